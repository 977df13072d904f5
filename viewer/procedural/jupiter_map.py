"""Procedural colour map of Jupiter (System III west longitude, planetocentric latitude).

How it is made (all seeded, vectorised):

1. A **band profile**: belts and zones between published planetographic edge latitudes (converted
   to planetocentric with Jupiter's radii), with colours chosen by eye.
2. **Zonal-jet shear and turbulence**: anisotropic spectral noise is advected along an approximate
   zonal-wind profile (each row is smeared and shifted by the wind at its latitude), then used to
   displace the latitude at which the band profile is read (wavy, sheared belt edges), to modulate
   brightness (more in the belts) and to lay bright rifts and streaks.
3. **Discrete features** on the sphere: the Great Red Spot with its collar, the Red Spot Hollow and
   the turbulent wake to its west; Oval BA and other white ovals; brown barges; NEB dark
   "hot spots" with festoons trailing into the Equatorial Zone; the circumpolar cyclones and a
   field of smaller polar vortices under a bluish-grey polar haze.

Colours are sRGB values picked by eye from Cassini/Juno-era global maps (the Solar System Scope
Cassini map in ``reference/textures`` and published JunoCam images); they are not measurements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.procedural.features import RGB, ellipse_radius, get, mix, put, rgb8, spiral, spot_patch
from viewer.procedural.mapgrid import (
    JUPITER_EQUATORIAL_RADIUS_KM,
    Patch,
    graphic_to_centric,
    pixel_centres,
    smoothstep,
)
from viewer.procedural.noise import spectral_noise

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Band:
    """A belt or zone between two planetographic latitudes (degrees, north > south)."""

    name: str
    north_pg: float
    south_pg: float
    colour: RGB
    turbulence: float  # relative amount of small-scale structure (belts > zones)


# Belt and zone edges, planetographic degrees: typical mean positions from Rogers (1995), "The
# Giant Planet Jupiter" (Cambridge Univ. Press), ch. 3 nomenclature, and the jet latitudes of the
# BAA Jupiter Section "Reference list of Jupiter's jets" (Rogers 2013,
# https://britastro.org/jupiter/reference/jup_jets/ref_jets.htm): NEBs jet ≈ +7°, NTBs jet
# ≈ +23.7°, SEBs (retrograde) ≈ −20°, STBn jet ≈ −26.5°, NNTBs ≈ +35.5°. Edges move by a degree or
# two from year to year; these are representative, not 2023 measurements. Colours: by eye.
BANDS: tuple[Band, ...] = (
    Band("NPR", 90.0, 64.0, rgb8(156, 162, 156), 0.6),
    Band("N4-N5 (NNNTB/NNNTZ)", 64.0, 39.5, rgb8(198, 170, 138), 0.6),
    Band("NNTB", 39.5, 35.5, rgb8(166, 140, 112), 1.0),
    Band("NTZ", 35.5, 27.5, rgb8(204, 194, 178), 0.5),
    Band("NTB", 27.5, 23.7, rgb8(160, 122, 92), 1.0),
    Band("NTrZ", 23.7, 18.0, rgb8(214, 210, 202), 0.4),
    Band("NEB", 18.0, 7.0, rgb8(168, 118, 82), 1.2),
    Band("EZ", 7.0, -7.0, rgb8(220, 214, 204), 0.5),
    Band("SEB", -7.0, -20.0, rgb8(176, 134, 98), 1.1),
    Band("STrZ", -20.0, -26.5, rgb8(216, 220, 220), 0.4),
    Band("STB", -26.5, -31.0, rgb8(172, 146, 118), 1.0),
    Band("STZ", -31.0, -36.0, rgb8(202, 192, 174), 0.5),
    Band("SSTB", -36.0, -40.5, rgb8(176, 150, 122), 0.9),
    Band("S4-S5 (SSSTB/SSSTZ)", -40.5, -64.0, rgb8(196, 168, 136), 0.6),
    Band("SPR", -64.0, -90.0, rgb8(156, 164, 160), 0.6),
)

# Approximate zonal-wind jets (planetographic latitude °, speed m/s in System III, Gaussian
# half-width °), after the Cassini ISS profile (Porco et al. 2003, Science 299, 1541, fig. 6) and
# the BAA jet list above. Used only to shear the texture, so rounded values are enough.
JETS: tuple[tuple[float, float, float], ...] = (
    (43.0, 25.0, 1.5), (35.5, 40.0, 1.2), (31.0, -20.0, 1.5), (23.7, 150.0, 1.3),
    (17.5, -25.0, 1.5), (7.0, 110.0, 2.2), (0.0, 60.0, 3.0), (-7.0, 100.0, 2.2),
    (-17.5, -55.0, 1.6), (-26.5, 45.0, 1.3), (-32.5, -20.0, 1.5), (-36.5, 35.0, 1.2),
    (-41.5, 20.0, 1.5), (-48.0, 25.0, 1.5),
)

# Great Red Spot. Latitude: −22.4° planetographic (Simon et al. 2018, AJ 155, 151 — stable to
# ~0.3° since 1979). Longitude: it drifts in System III, so it is placed where it was at the I57
# flyby (2023-12-30): Hubble (GO 17275) measured 64.4° W on 2023-09-09 and 350.5° W on 2023-01-13
# (Tollefson et al. 2024, PSJ, doi:10.3847/PSJ/ad71d1, table 2, as quoted in the public repository
# haydenCoder/great-red-spot-detector, app/grs_ephemeris_truth.py), i.e. a mean westward drift of
# 0.309°/day; 64.4 + 0.309 × 112 d ≈ 99° W on 2023-12-30 (DERIVED; the ~90-day, ~1° oscillation
# is ignored). Size: ~14,750 km long in 2023–24 (Simon et al. 2024, PSJ, Hubble GRS campaign, via
# NASA's release of 2024-10-09); width/length 0.7 chosen by eye from the Hubble images.
GRS_LAT_PG = -22.4
GRS_LAT_PC = graphic_to_centric(GRS_LAT_PG)
GRS_WLON = 99.0
GRS_LENGTH_KM = 14750.0
GRS_WIDTH_KM = 0.7 * GRS_LENGTH_KM

# Oval BA: the STB red oval at ≈ −33° planetographic (Simon-Miller et al. 2006, Icarus 185, 558).
# Its longitude in Dec 2023 was not looked up: placed for display only.
OVAL_BA_LAT_PG = -33.0
OVAL_BA_WLON = 200.0

# Circumpolar cyclones seen by Juno (Adriani et al. 2018, Nature 555, 216): north, one polar
# cyclone + 8 at ≈ 83° N; south, one + 5 at ≈ 84° S; diameters ≈ 4,000–4,600 km (north) and
# 5,600–7,000 km (south). Longitudes of the ring members: evenly spaced, phase chosen for display.
NORTH_CPC_LAT, NORTH_CPC_N, NORTH_CPC_DIAM_KM = 83.0, 8, 4300.0
SOUTH_CPC_LAT, SOUTH_CPC_N, SOUTH_CPC_DIAM_KM = -84.0, 5, 6000.0

R_KM = JUPITER_EQUATORIAL_RADIUS_KM


def _km(x: float) -> float:
    return x / R_KM


def _profile(lat_pc_deg: FloatArray, edge_deg: float = 0.7) -> tuple[FloatArray, FloatArray]:
    """Band colour (..., 3) and turbulence weight at planetocentric latitudes (degrees), with
    edges softened over ``edge_deg``."""
    col = np.zeros((*lat_pc_deg.shape, 3))
    turb = np.zeros(lat_pc_deg.shape)
    wsum = np.zeros(lat_pc_deg.shape)
    for b in BANDS:
        n = graphic_to_centric(b.north_pg) if b.north_pg < 90 else 91.0
        s = graphic_to_centric(b.south_pg) if b.south_pg > -90 else -91.0
        w = smoothstep(s - edge_deg, s + edge_deg, lat_pc_deg) * smoothstep(
            n + edge_deg, n - edge_deg, lat_pc_deg)
        col += w[..., None] * np.asarray(b.colour)
        turb += w * b.turbulence
        wsum += w
    wsum = np.maximum(wsum, 1e-9)
    return col / wsum[..., None], turb / wsum


def _wind(lat_pc_deg: FloatArray) -> FloatArray:
    """Approximate zonal wind (m/s, positive eastward/prograde) at planetocentric latitudes."""
    u = np.zeros_like(lat_pc_deg)
    for lat_pg, speed, width in JETS:
        u += speed * np.exp(-0.5 * ((lat_pc_deg - graphic_to_centric(lat_pg)) / width) ** 2)
    return u


def _advect(field: FloatArray, shift_px: FloatArray, steps: int = 6) -> FloatArray:
    """Smear each row of ``field`` along itself over shifts of 0…``shift_px[row]`` pixels (a crude
    semi-Lagrangian advection by a zonal flow: streaks where the wind is strong, shear between
    rows where it changes). Done in the Fourier domain along the rows: the mean of ``steps``
    shifted copies is one multiplication per frequency."""
    w = field.shape[1]
    spec = np.fft.rfft(field, axis=1)
    k = np.arange(spec.shape[1])[None, :]
    kernel = np.zeros(spec.shape, dtype=np.complex128)
    for j in range(1, steps + 1):
        kernel += np.exp(2j * np.pi * k * (shift_px[:, None] * j / steps) / w)
    return np.asarray(np.fft.irfft(spec * kernel / steps, n=w, axis=1), dtype=np.float64)


def _local_noise(rng: np.random.Generator, n: int = 256, beta: float = 2.6) -> FloatArray:
    """A small periodic noise tile for textures inside vortices."""
    return spectral_noise(rng, n, n, beta=beta, aspect=1.0)


def _tile_sample(tile: FloatArray, x: FloatArray, y: FloatArray) -> FloatArray:
    """Bilinear periodic lookup of ``tile`` at continuous coordinates (x, y) in tile pixels."""
    n0, n1 = tile.shape
    x0 = np.floor(x).astype(np.int64)
    y0 = np.floor(y).astype(np.int64)
    fx, fy = x - x0, y - y0
    x0 %= n1
    y0 %= n0
    x1, y1 = (x0 + 1) % n1, (y0 + 1) % n0
    out = (tile[y0, x0] * (1 - fx) * (1 - fy) + tile[y0, x1] * fx * (1 - fy)
           + tile[y1, x0] * (1 - fx) * fy + tile[y1, x1] * fx * fy)
    return np.asarray(out, dtype=np.float64)


def _vortex(img: FloatArray, rng: np.random.Generator, tile: FloatArray, lat: float, wlon: float,
            a: float, b: float, core: RGB, rim: RGB | None, swirl: float, anticyclone: bool,
            opacity: float = 1.0, rim_width: float = 0.15, texture: float = 0.12) -> None:
    """An oval vortex of semi-axes a (E–W) × b (N–S) radians with a swirled interior texture."""
    pt = spot_patch(img.shape, lat, wlon, max(a, b) * 1.4)
    rho = ellipse_radius(pt, a, b)
    # swirl: rotate the sampling angle more toward the centre; the sense follows the vortex type
    # and the hemisphere (anticyclones turn counter-clockwise in the south, clockwise in the north)
    ccw = (lat < 0) == anticyclone
    # flow-aligned texture: the tile is read in (radius, angle) so its features become concentric
    # streaks along the vortex's closed streamlines, twisted slightly toward the centre
    th = np.arctan2(pt.north / b, pt.east / a)
    th = th + (1 if ccw else -1) * swirl * (1 - np.clip(rho, 0, 1)) ** 2
    off = rng.uniform(0, tile.shape[0], size=2)
    n = tile.shape[0]
    tex = _tile_sample(tile, off[0] + n * (th / (2 * np.pi)), off[1] + 0.35 * n * rho)
    inside = smoothstep(1.0, 0.85, rho)
    colour = np.asarray(core) * (1.0 + texture * tex)[..., None]
    mix(img, pt, opacity * inside, colour)
    if rim is not None:
        ring = np.exp(-(((rho - 0.95) / rim_width) ** 2))
        mix(img, pt, opacity * 0.8 * ring, rim)


def _great_red_spot(img: FloatArray, rng: np.random.Generator, tile: FloatArray,
                    zone: RGB) -> None:
    a, b = _km(GRS_LENGTH_KM / 2), _km(GRS_WIDTH_KM / 2)
    # Red Spot Hollow: the pale bay the GRS carves into the SEB's south edge, ~1.5× its size
    pt = spot_patch(img.shape, GRS_LAT_PC, GRS_WLON, a * 1.9)
    rho = ellipse_radius(_shift(pt, 0.0, 0.3 * b), a * 1.4, b * 1.45)
    mix(img, pt, 0.9 * smoothstep(1.0, 0.75, rho), zone)
    # turbulent wake to the west (higher west longitude) of the GRS, in the SEB
    wake_lat = GRS_LAT_PC + 3.5
    for k in range(7):
        dl = 6.0 + 5.5 * k + rng.uniform(-1.5, 1.5)
        wa = _km(rng.uniform(2500, 5000))
        _vortex(img, rng, tile, wake_lat + rng.uniform(-2.0, 2.5), GRS_WLON + dl, wa,
                wa * rng.uniform(0.4, 0.7), rgb8(236, 228, 214) if k % 2 else rgb8(200, 150, 110),
                None, swirl=3.0, anticyclone=False, opacity=0.55 - 0.05 * k, texture=0.25)
    # dark collar, salmon-red body with a paler, more orange core
    _vortex(img, rng, tile, GRS_LAT_PC, GRS_WLON, a, b, rgb8(196, 116, 80), rgb8(158, 88, 62),
            swirl=1.5, anticyclone=True, rim_width=0.12, texture=0.16)
    _vortex(img, rng, tile, GRS_LAT_PC, GRS_WLON, a * 0.5, b * 0.5, rgb8(204, 138, 100), None,
            swirl=1.0, anticyclone=True, opacity=0.5, texture=0.08)


def _festoons(img: FloatArray, rng: np.random.Generator, wind_n: FloatArray) -> None:
    """NEB dark 'hot spots' (5-µm hot spots; blue-grey in visible light) at the NEB's south edge,
    each with a dark festoon curving south-west into the EZ and a white plume to its west."""
    edge = graphic_to_centric(7.0)  # NEBs jet (BAA jet list)
    n_spots = 11  # typically 8–15 around the planet (Rogers 1995; Orton et al. 1998)
    base = rng.uniform(0, 360)
    # sizes of the spots, plumes and festoons (km) chosen by eye from Cassini/HST images
    for k in range(n_spots):
        wlon = (base + k * 360.0 / n_spots + rng.uniform(-8, 8)) % 360
        lat = edge - rng.uniform(0.2, 0.9)
        a = _km(rng.uniform(3500, 6000))
        b = _km(rng.uniform(1000, 1600))
        pt = spot_patch(img.shape, lat, wlon, a * 1.5 + _km(16000))
        # white plume just west (left on the map: larger west longitude) and south
        rp = ellipse_radius(_shift(pt, -_km(7000), -_km(1800)), _km(5500), _km(1800), tilt=0.25)
        mix(img, pt, 0.5 * smoothstep(1.0, 0.4, rp), rgb8(236, 234, 228))
        # the festoon: a dark streak curving from the hot spot toward the south-west
        x = -pt.east  # positive toward the west
        y = pt.north
        t = np.clip(x / _km(15000), 0, 1)
        yc = -_km(1000) - _km(3200) * t ** 1.5
        d = np.abs(y - yc)
        wid = _km(500) * (1.2 - 0.6 * t)
        fest = np.exp(-((d / wid) ** 2)) * (x > 0) * smoothstep(1.0, 0.6, t)
        mix(img, pt, 0.5 * fest, rgb8(118, 126, 136))
        # the hot spot itself: dark blue-grey
        rho = ellipse_radius(pt, a, b)
        mix(img, pt, 0.8 * smoothstep(1.0, 0.45, rho), rgb8(100, 108, 122))


def _shift(pt: Patch, dx: float, dy: float) -> Patch:
    """The patch with its local origin moved by (dx east, dy north) radians."""
    return Patch(pt.rows, pt.cols, pt.east - dx, pt.north - dy, pt.dist)


def _ovals(img: FloatArray, rng: np.random.Generator, tile: FloatArray) -> None:
    # Oval BA (reddish-white, with a pale rim)
    a = _km(4500)
    _vortex(img, rng, tile, graphic_to_centric(OVAL_BA_LAT_PG), OVAL_BA_WLON, a, a * 0.75,
            rgb8(214, 160, 130), rgb8(240, 236, 228), swirl=3.0, anticyclone=True, texture=0.1)
    # white anticyclonic ovals: S4 'string of pearls' (≈ −40° pg), STZ, and smaller ones between
    # −35° and −60°; NTrZ White Spot Z (≈ +19° pg); N4/N5 AWOs. Positions random (they drift);
    # counts and sizes (km) chosen by eye from Cassini/JunoCam-era maps.
    groups = (
        (-40.5, 8, 2000, 2800), (-33.5, 3, 1800, 2800), (-45, 14, 1000, 2200),
        (-52, 16, 800, 1800), (-58, 18, 700, 1500), (19.0, 2, 1800, 2500),
        (41.0, 6, 1200, 2200), (47.5, 8, 800, 1600), (55.0, 12, 700, 1400),
    )
    for lat_pg, count, smin, smax in groups:
        for _ in range(count):
            lat = graphic_to_centric(lat_pg + rng.uniform(-1.0, 1.0))
            a = _km(rng.uniform(smin, smax))
            white = rgb8(244, 240, 232) if rng.random() < 0.8 else rgb8(226, 200, 170)
            _vortex(img, rng, tile, lat, rng.uniform(0, 360), a, a * rng.uniform(0.7, 0.9),
                    white, rgb8(150, 120, 95) if rng.random() < 0.3 else None, swirl=2.5,
                    anticyclone=True, opacity=0.85, texture=0.06, rim_width=0.08)
    # brown barges (cyclones) on the NEB's north side (≈ +15° pg) and dark STB fragments
    for lat_pg, count in ((15.0, 5), (-29.0, 3), (36.5, 3)):
        for _ in range(count):
            a = _km(rng.uniform(2500, 4500))
            _vortex(img, rng, tile, graphic_to_centric(lat_pg + rng.uniform(-0.6, 0.6)),
                    rng.uniform(0, 360), a, a * rng.uniform(0.35, 0.5), rgb8(120, 72, 52), None,
                    swirl=1.5, anticyclone=False, opacity=0.8, texture=0.08)


def _eddies(img: FloatArray, rng: np.random.Generator, tile: FloatArray) -> None:
    """Small, faint vortices (bright and dark) scattered through the belts and along the jets."""
    belts = [(b.north_pg, b.south_pg) for b in BANDS if b.turbulence >= 0.8 and abs(b.north_pg) < 60]
    for _ in range(260):
        n, s = belts[rng.integers(len(belts))]
        lat = graphic_to_centric(rng.uniform(s, n))
        a = _km(rng.uniform(600, 2200))
        bright = rng.random() < 0.6
        colour = rgb8(236, 230, 218) if bright else rgb8(128, 86, 62)
        _vortex(img, rng, tile, lat, rng.uniform(0, 360), a, a * rng.uniform(0.5, 0.9), colour,
                None, swirl=2.0, anticyclone=bright, opacity=rng.uniform(0.2, 0.5), texture=0.1)


def _polar(img: FloatArray, rng: np.random.Generator, tile: FloatArray) -> None:
    """Circumpolar cyclones and a field of small vortices in the polar regions."""
    for lat0, n, diam, sign in ((NORTH_CPC_LAT, NORTH_CPC_N, NORTH_CPC_DIAM_KM, 1),
                                (SOUTH_CPC_LAT, SOUTH_CPC_N, SOUTH_CPC_DIAM_KM, -1)):
        phase = rng.uniform(0, 360)
        centres = [(sign * 89.9, 0.0)] + [(lat0, phase + k * 360.0 / n) for k in range(n)]
        for lat, wlon in centres:
            a = _km(diam / 2)
            pt = spot_patch(img.shape, lat, wlon, a * 1.2)
            r = pt.dist / a
            arms = spiral(pt, a, arms=3, twist=4.0, clockwise=(lat > 0))
            fade = smoothstep(1.1, 0.3, r)
            col = np.where((arms > 0.55)[..., None], np.asarray(rgb8(222, 220, 208)),
                           np.asarray(rgb8(126, 132, 136)))
            mix(img, pt, 0.7 * fade, col)
            mix(img, pt, 0.8 * smoothstep(0.18, 0.05, r), rgb8(206, 190, 160))
        # a field of smaller cyclones and folded filamentary regions between 58° and 80°
        for _ in range(40):
            lat = sign * rng.uniform(58.0, 80.0)
            a = _km(rng.uniform(900, 2600))
            pt = spot_patch(img.shape, lat, rng.uniform(0, 360), a * 1.2)
            r = pt.dist / a
            arms = spiral(pt, a, arms=2, twist=rng.uniform(3, 6), clockwise=(lat > 0))
            mix(img, pt, 0.45 * smoothstep(1.0, 0.2, r) * arms, rgb8(214, 210, 198))
            mix(img, pt, 0.35 * smoothstep(1.0, 0.2, r) * (1 - arms), rgb8(112, 120, 126))


def generate_jupiter(h: int, w: int, rng: np.random.Generator) -> FloatArray:
    """Jupiter's colour map, ``(h, w, 3)`` float sRGB in [0, 1] (see the module docstring)."""
    lat, _ = pixel_centres(h, w)
    lat_deg = np.rad2deg(lat)
    u = _wind(lat_deg)
    px_per_deg = w / 360.0
    # 1) meridional displacement of the band edges: zonally stretched noise, advected by the jets
    n1 = spectral_noise(rng, h, w, beta=3.4, aspect=6.0, kmin=2.0)
    n1 = _advect(n1, u * 0.09 * px_per_deg, steps=4)
    n1 /= n1.std()
    n1b = spectral_noise(rng, h, w, beta=2.6, aspect=3.0, kmin=6.0)
    n1b = _advect(n1b, u * 0.12 * px_per_deg, steps=6)
    n1b /= n1b.std()
    # displacement amplitude: largest near jets' flanks and in the turbulent belts
    _, turb_rows = _profile(lat_deg)
    amp_deg = 0.45 + 0.8 * turb_rows
    lat_warp = lat_deg[:, None] + amp_deg[:, None] * (0.8 * n1 + 0.45 * n1b)
    table_lat = np.linspace(-90.0, 90.0, 7201)
    table_col, table_turb = _profile(table_lat)
    colour = np.stack([np.interp(lat_warp, table_lat, table_col[:, c]) for c in range(3)], axis=-1)
    turb = np.interp(lat_warp, table_lat, table_turb)
    # 2) fine turbulence modulating brightness and hue, stronger in belts
    n2 = spectral_noise(rng, h, w, beta=2.2, aspect=2.5, kmin=8.0)
    n2 = _advect(n2, u * 0.2 * px_per_deg, steps=6)
    n2 /= n2.std()
    n2b = spectral_noise(rng, h, w, beta=1.7, aspect=1.5, kmin=30.0)
    n2b = _advect(n2b, u * 0.05 * px_per_deg, steps=4)
    n2b /= n2b.std()
    calm = 1.0 - 0.7 * smoothstep(60.0, 75.0, np.abs(lat_deg))[:, None]  # smoother polar haze
    shade = 1.0 + calm * ((0.03 + 0.07 * turb) * n2 + (0.025 + 0.07 * turb) * n2b)
    colour *= shade[..., None]
    # 3) bright rifts/streaks (white) and dark streaks along the jets
    n3 = spectral_noise(rng, h, w, beta=2.0, aspect=10.0, kmin=10.0)
    n3 = _advect(n3, u * 0.35 * px_per_deg, steps=8)
    n3 /= n3.std()
    rift = smoothstep(1.3, 2.3, n3) * (0.25 + 0.5 * turb)
    colour = colour * (1 - rift[..., None]) + np.asarray(rgb8(240, 232, 218)) * rift[..., None]
    dark = smoothstep(-1.5, -2.4, n3) * 0.35 * turb
    colour = colour * (1 - dark[..., None]) + np.asarray(rgb8(120, 80, 60)) * dark[..., None]
    # polar haze: bluish grey, mottled, toward the poles
    pole = smoothstep(62.0, 82.0, np.abs(lat_deg))[:, None]
    haze = np.asarray(rgb8(156, 166, 164)) * (1.0 + 0.04 * n2)[..., None]
    colour = colour * (1 - 0.5 * pole[..., None]) + haze * 0.5 * pole[..., None]
    img = np.clip(colour, 0.0, 1.0)
    tile = _local_noise(rng)
    zone_colour = BANDS[9].colour  # STrZ
    _eddies(img, rng, tile)
    _festoons(img, rng, u)
    _ovals(img, rng, tile)
    _great_red_spot(img, rng, tile, zone_colour)
    _polar(img, rng, tile)
    return np.clip(img, 0.0, 1.0)


__all__ = ["BANDS", "GRS_LAT_PC", "GRS_WLON", "generate_jupiter", "get", "put"]
