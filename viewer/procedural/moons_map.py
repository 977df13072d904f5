"""Procedural colour maps of Europa, Ganymede and Callisto — simpler than Io's, but recognisable.

- Europa: bright ice, darker and redder on the trailing hemisphere (centred on 270° W), crossed by
  reddish-brown lineae (arcs of great circles, with a bright median stripe on the wide ones),
  mottled chaos terrain (Conamara Chaos, Thera and Thrace Maculae) and the bright-rayed crater Pwyll.
- Ganymede: dark, cratered terrain (Galileo, Marius, Perrine, Nicholson and Barnard Regiones) in
  a network of light grooved terrain (sulci: families of parallel grooves), bright polar frost and
  bright-rayed young craters (Osiris, Tros).
- Callisto: dark, uniformly saturated with bright-floored craters (power-law sizes) and the
  multi-ring basins Valhalla and Asgard.

Coordinates: planetocentric latitude and west longitude from the USGS Gazetteer of Planetary
Nomenclature (https://planetarynames.wr.usgs.gov/), rounded; regio extents and all colours chosen
by eye from Voyager/Galileo global mosaics (USGS Astrogeology). Radii: IAU 2015 (docs/sources.md §7a).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from viewer.procedural.features import (
    crater,
    ellipse_radius,
    great_circle_arcs,
    mix,
    random_great_circles,
    rgb8,
    spot_patch,
)
from viewer.procedural.mapgrid import pixel_centres, smoothstep, unit_vector
from viewer.procedural.noise import detail_noise, sphere_fbm

FloatArray = npt.NDArray[np.float64]

EUROPA_RADIUS_KM = 1560.8
GANYMEDE_RADIUS_KM = 2631.2
CALLISTO_RADIUS_KM = 2410.3

# Named features (planetocentric latitude °, west longitude °; USGS Gazetteer, rounded) — the maps draw
# them and camera specs find them by name (viewer.procedural.nomenclature).
#: Europa's chaos terrain and maculae (name or None, lat, wlon, radius km); sizes by eye. Conamara Chaos
#: 9.7° N 273.7° W, Thera Macula 47° S 181° W, Thrace Macula 46° S 172° W; three unnamed patches.
EUROPA_CHAOS: tuple[tuple[str | None, float, float, float], ...] = (
    ("Conamara Chaos", 9.7, 273.7, 110.0), ("Thera Macula", -47.0, 181.0, 90.0),
    ("Thrace Macula", -46.0, 172.0, 160.0), (None, 20.0, 300.0, 200.0), (None, -5.0, 100.0, 250.0),
    (None, 30.0, 200.0, 180.0),
)
#: Pwyll (name, lat, wlon, crater radius km): 25.2° S 271.4° W, ~26 km across.
EUROPA_PWYLL: tuple[str, float, float, float] = ("Pwyll", -25.2, 271.4, 13.0)
#: Ganymede's bright-rayed young craters (name, lat, wlon, radius km): Osiris 38° S 166° W, Tros 11° N 28° W.
GANYMEDE_RAYED_CRATERS: tuple[tuple[str, float, float, float], ...] = (
    ("Osiris", -38.0, 166.0, 55.0), ("Tros", 11.0, 28.0, 47.0),
)
#: Callisto's multi-ring basins (name, lat, wlon, bright central zone radius km, outer ring radius km):
#: Valhalla 14.7° N 56° W, zone ~600 km across, rings to ~1,900 km; Asgard 32° N 140° W, zone ~230 km,
#: rings to ~800 km (USGS Gazetteer; Schenk 1995, JGR 100, 19023).
CALLISTO_BASINS: tuple[tuple[str, float, float, float, float], ...] = (
    ("Valhalla", 14.7, 56.0, 300.0, 1900.0), ("Asgard", 32.0, 140.0, 115.0, 800.0),
)


def _hemisphere_weight(lat: FloatArray, wlon: FloatArray, centre_wlon: float) -> FloatArray:
    """cos of the angular distance to the equatorial point at ``centre_wlon`` (° W), clipped ≥ 0."""
    p = unit_vector(lat[:, None], wlon[None, :])
    c = unit_vector(0.0, np.deg2rad(centre_wlon))
    return np.clip(p @ c, 0.0, 1.0)


def _lerp(img: FloatArray, colour: tuple[float, float, float], t: FloatArray) -> FloatArray:
    t3 = np.clip(t, 0.0, 1.0)[..., None]
    return img * (1 - t3) + np.asarray(colour) * t3


def _craters(img: FloatArray, rng: np.random.Generator, n: int, radius_km: float,
             rmin_km: float, rmax_km: float, floor: tuple[float, float, float],
             rim: tuple[float, float, float], strength: float) -> None:
    """``n`` craters with a power-law (cumulative ∝ D⁻²) size distribution, uniform on the sphere."""
    u = rng.random(n)
    a, b = rmin_km ** -2.0, rmax_km ** -2.0
    radii = (a + u * (b - a)) ** -0.5
    lats = np.rad2deg(np.arcsin(rng.uniform(-1, 1, n)))
    wlons = rng.uniform(0, 360, n)
    for r, la, lo in zip(radii, lats, wlons, strict=True):
        crater(img, float(la), float(lo), float(r) / radius_km, floor, rim, strength=strength)


def generate_europa(h: int, w: int, rng: np.random.Generator) -> FloatArray:
    """Europa's colour map, ``(h, w, 3)`` float sRGB in [0, 1]."""
    lat, wlon = pixel_centres(h, w)
    n1 = sphere_fbm(rng, h, w, octaves=6, base_freq=2.0, warp=0.5)
    n2 = sphere_fbm(rng, h, w, octaves=5, base_freq=6.0)
    img = np.empty((h, w, 3))
    img[:] = np.asarray(rgb8(214, 206, 190))
    trailing = _hemisphere_weight(lat, wlon, 270.0)
    img = _lerp(img, rgb8(168, 134, 104), (0.65 * trailing) * smoothstep(-1.2, 0.8, n1))
    img = _lerp(img, rgb8(232, 230, 224), 0.5 * smoothstep(0.6, 1.6, n1) * (1 - trailing))
    img *= (1.0 + 0.05 * n2 + 0.04 * detail_noise(rng, h, w))[..., None]
    # lineae: many narrow arcs and a few long, wide bands
    normals, starts = random_great_circles(rng, 150)
    lengths = np.deg2rad(rng.uniform(8.0, 70.0, 150))
    widths = np.deg2rad(rng.uniform(0.08, 0.25, 150))
    lengths[:14] = np.deg2rad(rng.uniform(80.0, 170.0, 14))
    widths[:14] = np.deg2rad(rng.uniform(0.35, 0.7, 14))
    strength, idx = great_circle_arcs(h, w, normals, starts, lengths, widths)
    wide = idx >= 0
    wide &= idx < 14
    line = smoothstep(0.0, 0.5, strength)
    img = _lerp(img, rgb8(150, 96, 66), 0.75 * line * (0.6 + 0.4 * trailing))
    # bright median stripe of the wide bands (triple bands)
    img = _lerp(img, rgb8(226, 216, 200), 0.6 * smoothstep(0.75, 0.95, strength) * wide)
    # chaos terrain (mottled, ruddy): EUROPA_CHAOS
    tile = sphere_fbm(rng, h, w, octaves=4, base_freq=12.0)
    for _, la, lo, rad_km in EUROPA_CHAOS:
        pt = spot_patch(img.shape, la, lo, rad_km / EUROPA_RADIUS_KM * 1.5)
        rho = ellipse_radius(pt, rad_km / EUROPA_RADIUS_KM, rad_km / EUROPA_RADIUS_KM * 0.8)
        rr = np.arange(pt.rows.start, pt.rows.stop)
        mott = tile[rr[:, None], pt.cols[None, :]]
        mix(img, pt, 0.7 * smoothstep(1.0, 0.5, rho) * smoothstep(-0.5, 0.6, mott),
            rgb8(140, 92, 64))
    # Pwyll: a ~26 km crater with bright rays over ~1000 km
    _, la, lo, r_km = EUROPA_PWYLL
    crater(img, la, lo, r_km / EUROPA_RADIUS_KM, rgb8(120, 100, 86), rgb8(240, 238, 232),
           ray=rgb8(238, 236, 230), ray_extent=40.0, rng=rng)
    return np.clip(img, 0.0, 1.0)


# Dark regiones of Ganymede (centre lat °, west lon °, E–W and N–S angular radii °), by eye
GANYMEDE_REGIONES: tuple[tuple[str, float, float, float, float], ...] = (
    ("Galileo Regio", 35.0, 145.0, 33.0, 22.0),
    ("Marius Regio", -5.0, 195.0, 30.0, 28.0),
    ("Perrine Regio", 38.0, 30.0, 22.0, 15.0),
    ("Nicholson Regio", -25.0, 0.0, 22.0, 14.0),
    ("Barnard Regio", 15.0, 10.0, 14.0, 12.0),
    ("Melotte Regio", -55.0, 160.0, 25.0, 10.0),
)


def generate_ganymede(h: int, w: int, rng: np.random.Generator) -> FloatArray:
    """Ganymede's colour map, ``(h, w, 3)`` float sRGB in [0, 1]."""
    lat, wlon = pixel_centres(h, w)
    n1 = sphere_fbm(rng, h, w, octaves=6, base_freq=2.5, warp=0.8)
    n2 = sphere_fbm(rng, h, w, octaves=5, base_freq=5.0)
    light = np.asarray(rgb8(176, 168, 154))
    dark = np.asarray(rgb8(100, 88, 74))
    # dark regiones plus noise-made smaller dark polygons
    dmask = smoothstep(0.7, 1.3, n1)
    for _, la, lo, ae, an in GANYMEDE_REGIONES:
        pt_lat, pt_lon = np.deg2rad(la), np.deg2rad(lo)
        p = unit_vector(lat[:, None], wlon[None, :])
        c = unit_vector(pt_lat, pt_lon)
        e = np.array([np.sin(pt_lon), np.cos(pt_lon), 0.0])  # east for west longitudes
        nvec = np.cross(c, e)
        x = np.arctan2(p @ e, p @ c) / np.deg2rad(ae)
        y = np.arctan2(p @ nvec, p @ c) / np.deg2rad(an)
        rho = np.hypot(x, y) * (1.0 + 0.25 * n2)
        dmask = np.maximum(dmask, smoothstep(1.0, 0.8, rho) * ((p @ c) > 0))
    # grooves: two families of parallel grooves, switching by a low-frequency noise
    p = unit_vector(lat[:, None], wlon[None, :])
    d1 = rng.standard_normal(3)
    d2 = rng.standard_normal(3)
    g1 = np.sin(260.0 * (p @ (d1 / np.linalg.norm(d1))) + 6.0 * n2 + 2.0 * n1)
    g2 = np.sin(320.0 * (p @ (d2 / np.linalg.norm(d2))) + 6.0 * n2 + 2.0 * n1)
    sel = smoothstep(-0.2, 0.2, n2)
    grooves = (g1 * sel + g2 * (1 - sel)) * 0.5 + 0.5
    img = light * (0.93 + 0.08 * grooves)[..., None] * (1.0 + 0.05 * n2)[..., None]
    img = img * (1 - 0.9 * dmask[..., None]) + dark * 0.9 * dmask[..., None]
    img *= (1.0 + 0.06 * n1 * dmask + 0.05 * detail_noise(rng, h, w))[..., None]
    # polar frost caps above ~40° (brighter, slightly bluish)
    cap = smoothstep(35.0, 60.0, np.abs(np.rad2deg(lat)))[:, None]
    img = _lerp(img, rgb8(214, 214, 212), 0.55 * cap * (0.8 + 0.2 * smoothstep(-1, 1, n2)))
    _craters(img, rng, 500, GANYMEDE_RADIUS_KM, 6.0, 60.0, rgb8(130, 120, 108),
             rgb8(226, 222, 214), strength=0.6)
    # bright-rayed young craters: GANYMEDE_RAYED_CRATERS
    for _, la, lo, r_km in GANYMEDE_RAYED_CRATERS:
        crater(img, la, lo, r_km / GANYMEDE_RADIUS_KM, rgb8(200, 196, 188), rgb8(244, 242, 238),
               ray=rgb8(236, 234, 228), ray_extent=12.0, rng=rng)
    return np.clip(img, 0.0, 1.0)


def generate_callisto(h: int, w: int, rng: np.random.Generator) -> FloatArray:
    """Callisto's colour map, ``(h, w, 3)`` float sRGB in [0, 1]."""
    n1 = sphere_fbm(rng, h, w, octaves=6, base_freq=2.0, warp=0.4)
    n2 = sphere_fbm(rng, h, w, octaves=4, base_freq=10.0)
    img = np.empty((h, w, 3))
    img[:] = np.asarray(rgb8(92, 80, 66))
    img *= (1.0 + 0.1 * n1 + 0.06 * n2 + 0.07 * detail_noise(rng, h, w))[..., None]
    img = _lerp(img, rgb8(120, 108, 92), 0.4 * smoothstep(0.5, 1.5, n1))
    # the multi-ring basins: CALLISTO_BASINS
    for _, la, lo, core_km, outer_km in CALLISTO_BASINS:
        core = core_km / CALLISTO_RADIUS_KM
        outer = outer_km / CALLISTO_RADIUS_KM
        pt = spot_patch(img.shape, la, lo, outer * 1.05)
        th = np.arctan2(pt.north, pt.east)
        r = pt.dist * (1.0 + 0.03 * np.cos(5 * th) + 0.02 * np.cos(9 * th + 1.0))
        mix(img, pt, 0.85 * smoothstep(core, core * 0.6, r), rgb8(178, 168, 150))
        rings = 0.5 + 0.5 * np.cos(2 * np.pi * (r - core) / (0.06 * outer + core * 0.25))
        fade = smoothstep(outer, core, r) * (r > core)
        mix(img, pt, 0.45 * fade * rings ** 4, rgb8(160, 150, 134))
    _craters(img, rng, 1400, CALLISTO_RADIUS_KM, 5.0, 70.0, rgb8(150, 140, 124),
             rgb8(214, 208, 196), strength=0.7)
    return np.clip(img, 0.0, 1.0)
