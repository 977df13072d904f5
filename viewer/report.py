"""The geometry report behind ``jupitershine info``: one instant, as JSON-ready data or text.

Conventions (README "Conventions"): degrees, km, km/s; J2000 jovicentric vectors; planetocentric
latitudes; west longitudes in [0, 360); sub-points are the nearest points on the IAU ellipsoids;
geometric quantities at the given instant (no light-time correction); ``sun_visible_fraction`` at
the body's centre.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from viewer.sim.timescales import et_to_utc
from viewer.sim.world import Snapshot, World

#: Why the ``juno`` block is null until the Juno trajectory exists.
JUNO_UNAVAILABLE = ("the embedded Juno trajectory is not built yet (it comes with the I57/I58 "
                    "trajectory issue); no Juno position is available")


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
        "juno": None,
        "juno_unavailable_reason": JUNO_UNAVAILABLE,
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
    return "\n".join(lines)
