"""The geometry report behind ``jupitershine info``: one instant, as JSON-ready data or text.

Conventions (README "Conventions"): degrees, km, km/s; J2000 jovicentric vectors; planetocentric
latitudes; west longitudes in [0, 360); sub-points (sub-solar, sub-Jupiter, sub-spacecraft) are
SPICE's "Intercept/Ellipsoid" points, where the line to the body's centre pierces the IAU ellipsoid, as
in the Juno team's tables (their coordinates are the direction's); altitudes are to the nearest
ellipsoid point, given as ``near_point_*`` in the ``juno`` block; geometric quantities at the given
instant (no light-time correction); ``sun_visible_fraction`` at the body's centre.
"""

from __future__ import annotations

import math
from typing import Any

from viewer.sim.timescales import et_to_utc
from viewer.sim.world import Snapshot, World

#: Why the ``juno`` block is null outside the coverage (the coverage is appended).
JUNO_UNAVAILABLE = "Juno's position is known only inside its trajectory coverage"


def _vec(v: Any, digits: int) -> list[float]:
    return [round(float(x), digits) for x in v]


def _deg(rad: float, digits: int = 4) -> float:
    return round(math.degrees(rad), digits)


def io_block(snap: Snapshot) -> dict[str, Any]:
    """Io's geometry at the snapshot."""
    io = snap.positions["io"]
    subsolar = snap.subsolar_point("io")
    subjup = snap.subpoint("io", snap.positions["jupiter"])
    return {
        "position_km": _vec(io, 3),
        "velocity_km_s": _vec(snap.velocities["io"], 6),
        "subsolar_lat_deg": round(subsolar.lat_deg, 4),
        "subsolar_wlon_deg": round(subsolar.wlon_deg, 4),
        "sub_jupiter_lat_deg": round(subjup.lat_deg, 4),
        "sub_jupiter_wlon_deg": round(subjup.wlon_deg, 4),
        "sun_visible_fraction": round(snap.sun_visible_fraction(io, exclude=("io",)), 6),
        "jupiter_phase_angle_deg": _deg(snap.phase_angle("jupiter", "io")),
        "jupitershine_to_sunlight": round(snap.jupitershine_to_sunlight("io"), 6),
    }


def info_dict(world: World, et: float) -> dict[str, Any]:
    """The ``info --json`` document for TDB ``et`` (shape documented in the README)."""
    snap = world.at(et)
    jup_subsolar = snap.subsolar_point("jupiter")
    return {
        "utc": et_to_utc(et),
        "et": round(float(et), 3),
        "sun": {"direction_from_jupiter": _vec(snap.sun_direction, 8)},
        "jupiter": {
            "subsolar_lat_deg": round(jup_subsolar.lat_deg, 4),
            "subsolar_wlon_deg": round(jup_subsolar.wlon_deg, 4),
        },
        "io": io_block(snap),
        **juno_entries(world, snap),
    }


def juno_entries(world: World, snap: Snapshot) -> dict[str, Any]:
    """``{"juno": block}`` inside the coverage, else ``{"juno": None, "juno_unavailable_reason": …}``."""
    if "juno" not in snap.positions:
        return {"juno": None,
                "juno_unavailable_reason": f"{JUNO_UNAVAILABLE}: {world.juno.coverage_text()}"}
    return {"juno": juno_block(snap)}


def juno_block(snap: Snapshot) -> dict[str, Any]:
    """Juno's geometry at the snapshot (conventions as for Io). The sub-spacecraft point
    (``subsc_*``) is the intercept of the line from Io's centre to Juno; the altitude is the distance
    to the nearest point of Io's ellipsoid (``near_point_*``, SPICE's "NEAR POINT/ELLIPSOID"); the
    JunoCam pixel scale is the altitude × the instrument kernel's IFOV (0.0074 mm / 10.95637 mm =
    675.4 µrad, docs/sources.md §7d); the phase angle is Sun–Io–Juno at Io's centre; the spin phase as
    in :mod:`viewer.sim.juno`."""
    from viewer.sim.constants import BODIES
    from viewer.sim.frames import altitude, horizon_angles
    from viewer.sim.juno import JUNOCAM_IFOV_RAD, spin_phase_of

    juno = snap.positions["juno"]
    alt_io = float(altitude(snap.to_body("io", juno), BODIES["io"].radii_km))
    sub = snap.subpoint("io", juno)
    near = snap.near_point("io", juno)
    radii = BODIES["io"].radii_km
    sun_el, sun_az = horizon_angles(sub.body_fixed_km, radii, snap.to_body("io", snap.positions["sun"]))
    jup_el, jup_az = horizon_angles(sub.body_fixed_km, radii, snap.to_body("io", snap.positions["jupiter"]))
    return {
        "position_km": _vec(juno, 3),
        "velocity_km_s": _vec(snap.velocities["juno"], 6),
        "altitude_io_km": round(alt_io, 3),
        "range_io_km": round(math.dist(juno, snap.positions["io"]), 3),
        "speed_rel_io_km_s": round(math.dist(snap.velocities["juno"], snap.velocities["io"]), 6),
        "subsc_lat_deg": round(sub.lat_deg, 4),
        "subsc_wlon_deg": round(sub.wlon_deg, 4),
        "near_point_lat_deg": round(near.lat_deg, 4),
        "near_point_wlon_deg": round(near.wlon_deg, 4),
        "phase_angle_deg": _deg(snap.phase_angle("io", "juno")),
        "junocam_pixel_scale_km": round(alt_io * JUNOCAM_IFOV_RAD, 4),
        "altitude_jupiter_km": round(float(altitude(snap.to_body("jupiter", juno),
                                                    BODIES["jupiter"].radii_km)), 3),
        "sun_visible_fraction": round(snap.sun_visible_fraction(juno), 6),
        "spin_phase_deg": _deg(float(spin_phase_of(snap.rotations["juno"]))),
        # Io's sky at the sub-spacecraft point: elevation above the local horizon, azimuth from north
        # toward east (viewer.sim.frames.horizon_angles)
        "sky_below": {"sun_elevation_deg": round(sun_el, 4), "sun_azimuth_deg": round(sun_az, 4),
                      "jupiter_elevation_deg": round(jup_el, 4), "jupiter_azimuth_deg": round(jup_az, 4)},
    }


def info_text(info: dict[str, Any]) -> str:
    """A human summary of :func:`info_dict`'s document."""
    io = info["io"]
    sun = info["sun"]["direction_from_jupiter"]
    frac = io["sun_visible_fraction"]
    distance = math.dist(io["position_km"], (0.0, 0.0, 0.0))
    light = ("in full sunlight" if frac >= 1.0 else
             "in Jupiter's umbra (eclipsed)" if frac <= 0.0 else
             f"in Jupiter's penumbra ({frac:.1%} of the Sun's disc visible)")
    lines = [
        f"Time            {info['utc']}  (et {info['et']:.3f} s TDB past J2000)",
        f"Sun from Jupiter  ({sun[0]:+.5f}, {sun[1]:+.5f}, {sun[2]:+.5f})  J2000 unit vector",
        f"Jupiter         subsolar point {info['jupiter']['subsolar_lat_deg']:+.3f}° lat, "
        f"{info['jupiter']['subsolar_wlon_deg']:.3f}° W (System III)",
        f"Io              {distance:,.1f} km from Jupiter's centre; {light}",
        f"                subsolar point {io['subsolar_lat_deg']:+.3f}° lat, "
        f"{io['subsolar_wlon_deg']:.3f}° W",
        f"                sub-Jupiter point {io['sub_jupiter_lat_deg']:+.3f}° lat, "
        f"{io['sub_jupiter_wlon_deg']:.3f}° W",
        f"                Jupiter's phase angle seen from Io {io['jupiter_phase_angle_deg']:.2f}°; "
        f"Jupitershine ≈ {io['jupitershine_to_sunlight']:.2%} of sunlight (p·Φ(α)·(R/d)²)",
    ]
    if info["juno"] is None:
        lines.append(f"Juno            unavailable: {info['juno_unavailable_reason']}")
    else:
        j = info["juno"]
        sky = j["sky_below"]
        lines += [
            f"Juno            {j['altitude_io_km']:,.1f} km above Io (range {j['range_io_km']:,.1f} km) "
            f"over {j['subsc_lat_deg']:+.3f}° lat, {j['subsc_wlon_deg']:.3f}° W",
            f"                {j['speed_rel_io_km_s']:.3f} km/s relative to Io; phase angle "
            f"(Sun–Io–Juno) {j['phase_angle_deg']:.2f}°; JunoCam {j['junocam_pixel_scale_km']:.3f} km/px",
            f"                {j['altitude_jupiter_km']:,.1f} km above Jupiter; Sun "
            f"{j['sun_visible_fraction']:.1%} visible; spin phase {j['spin_phase_deg']:.2f}°",
            f"                Io's sky below Juno: Sun {sky['sun_elevation_deg']:+.1f}° high "
            f"(azimuth {sky['sun_azimuth_deg']:.0f}°), Jupiter {sky['jupiter_elevation_deg']:+.1f}° "
            f"(azimuth {sky['jupiter_azimuth_deg']:.0f}°)",
        ]
    return "\n".join(lines)
