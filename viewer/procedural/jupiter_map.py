"""Procedural colour map of Jupiter (System III west longitude, planetocentric latitude).

How it is made (all seeded, vectorised):

1. A **band profile**: belts and zones between published planetographic edge latitudes (converted
   to planetocentric with Jupiter's radii), with colours chosen by eye.
2. A **starting picture**: the profile read at a latitude displaced by zonally stretched noise,
   darker streaks and lighter rifts inside the belts, bluish tints in the zones, a mottled
   bluish-grey polar haze, and the starting colours of the vortices (GRS with collar and Red Spot
   Hollow, Oval BA, white ovals, brown barges, small spots, circumpolar and polar cyclones).
3. **Stirring**: each pixel is traced back (24 explicit Euler steps on a half-size grid) through a
   steady flow made of the zonal jets (approximate Cassini profile), a multi-scale eddy stream
   function (stronger in the belts), trains of Kelvin-Helmholtz-like waves on the belt/zone edges
   and Gaussian vortices; the picture is read where the air came from. The jets' shear draws the
   eddies into filaments, the waves roll the belt edges, the vortices wind their colours into
   spirals and leave wakes (the GRS's to its west).
4. On top: the white ovals' bodies faintly re-stamped (crisp), NEB dark "hot spots" with
   blue-grey festoons trailing into the Equatorial Zone and white plumes, fine grain.

Colours are sRGB values picked by eye from Cassini/Juno-era global maps (the Solar System Scope
Cassini map in ``reference/textures`` and published JunoCam images); they are not measurements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import ndimage

from viewer.procedural.features import RGB, ellipse_radius, get, mix, put, rgb8, spot_patch
from viewer.procedural.mapgrid import (
    JUPITER_EQUATORIAL_RADIUS_KM,
    Patch,
    graphic_to_centric,
    pixel_centres,
    smoothstep,
)
from viewer.procedural.noise import detail_noise, spectral_noise, sphere_fbm, upsample

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
    Band("NPR", 90.0, 64.0, rgb8(138, 146, 142), 0.6),
    Band("N4-N5 (NNNTB/NNNTZ)", 64.0, 39.5, rgb8(176, 156, 132), 0.6),
    Band("NNTB", 39.5, 35.5, rgb8(166, 140, 112), 1.0),
    Band("NTZ", 35.5, 27.5, rgb8(204, 194, 178), 0.5),
    Band("NTB", 27.5, 23.7, rgb8(160, 122, 92), 1.0),
    Band("NTrZ", 23.7, 18.0, rgb8(210, 214, 216), 0.4),
    Band("NEB", 18.0, 7.0, rgb8(172, 126, 92), 1.2),
    Band("EZ(N)", 7.0, 2.0, rgb8(216, 218, 216), 0.5),
    Band("EB", 2.0, -1.5, rgb8(212, 196, 176), 0.6),  # the faint tan Equatorial Band
    Band("EZ(S)", -1.5, -7.0, rgb8(216, 218, 216), 0.5),
    # the SEB as its two dark components around a paler, turbulent central zone (Rogers 1995)
    Band("SEBn", -7.0, -11.0, rgb8(170, 124, 90), 1.1),
    Band("SEB centre", -11.0, -16.0, rgb8(192, 158, 124), 1.2),
    Band("SEBs", -16.0, -20.0, rgb8(166, 122, 92), 1.1),
    Band("STrZ", -20.0, -26.5, rgb8(212, 218, 222), 0.4),
    Band("STB", -26.5, -31.0, rgb8(172, 146, 118), 1.0),
    Band("STZ", -31.0, -36.0, rgb8(202, 192, 174), 0.5),
    Band("SSTB", -36.0, -40.5, rgb8(176, 150, 122), 0.9),
    Band("S4-S5 (SSSTB/SSSTZ)", -40.5, -64.0, rgb8(174, 156, 134), 0.6),
    Band("SPR", -64.0, -90.0, rgb8(140, 150, 148), 0.6),
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


@dataclass(frozen=True)
class Vortex:
    """A vortex: its centre (planetocentric °, ° W), semi-axes a (E–W) × b (N–S) in radians,
    ``sense`` +1 anticyclone / −1 cyclone, ``turns`` how far it turns its interior during the
    advection, and the colours it starts with (``None``: it only stirs the flow)."""

    lat: float
    wlon: float
    a: float
    b: float
    sense: float
    turns: float
    core: RGB | None = None
    rim: RGB | None = None
    opacity: float = 1.0


def _great_red_spot(img: FloatArray, zone: RGB) -> list[Vortex]:
    """The GRS's Red Spot Hollow stamped into ``img``; returns the GRS vortex (colours drawn by
    :func:`_stamp_vortices` and stirred by the flow)."""
    a, b = _km(GRS_LENGTH_KM / 2), _km(GRS_WIDTH_KM / 2)
    # Red Spot Hollow: the pale bay the GRS carves into the SEB's south edge, ~1.5× its size
    pt = spot_patch(img.shape, GRS_LAT_PC, GRS_WLON, a * 1.9)
    rho = ellipse_radius(_shift(pt, 0.0, 0.3 * b), a * 1.4, b * 1.45)
    mix(img, pt, 0.9 * smoothstep(1.0, 0.75, rho), zone)
    return [Vortex(GRS_LAT_PC, GRS_WLON, a, b, 1.0, 1.3, rgb8(200, 112, 74), rgb8(150, 84, 60)),
            Vortex(GRS_LAT_PC, GRS_WLON, a * 0.55, b * 0.55, 1.0, 0.0, rgb8(212, 140, 98), None,
                   0.6)]


def _festoons(img: FloatArray, rng: np.random.Generator) -> list[Vortex]:
    """NEB dark 'hot spots' (5-µm hot spots; blue-grey in visible light) at the NEB's south edge,
    each with a dark festoon curving south-west into the EZ and a white plume to its west."""
    edge = graphic_to_centric(7.0)  # NEBs jet (BAA jet list)
    n_spots = 11  # typically 8–15 around the planet (Rogers 1995; Orton et al. 1998)
    base = rng.uniform(0, 360)
    out: list[Vortex] = []
    # sizes of the spots, plumes and festoons (km) chosen by eye from Cassini/HST images
    for k in range(n_spots):
        wlon = (base + k * 360.0 / n_spots + rng.uniform(-8, 8)) % 360
        lat = edge - rng.uniform(0.2, 0.9)
        a = _km(rng.uniform(3500, 6000))
        b = _km(rng.uniform(1000, 1600))
        pt = spot_patch(img.shape, lat, wlon, a * 1.5 + _km(27000))
        x = -pt.east  # positive toward the west
        y = pt.north
        # white plume just west (left on the map: larger west longitude) and south
        rp = ellipse_radius(_shift(pt, -_km(7000), -_km(2000)), _km(6000), _km(2000), tilt=0.25)
        mix(img, pt, 0.6 * smoothstep(1.0, 0.3, rp), rgb8(240, 240, 236))
        # the festoon: blue-grey plumes curving from the hot spot toward the south-west, two
        # or three strands of different curvature
        for j in range(int(rng.integers(2, 4))):
            length = _km(rng.uniform(14000, 26000))
            drop = _km(rng.uniform(3500, 8000))
            t = np.clip(x / length, 0, 1)
            yc = -_km(800) - drop * t ** rng.uniform(1.2, 2.0)
            d = np.abs(y - yc)
            wid = _km(rng.uniform(500, 1000)) * (1.3 - 0.6 * t)
            fest = np.exp(-((d / wid) ** 2)) * (x > 0) * smoothstep(1.0, 0.5, t)
            mix(img, pt, (0.6 - 0.12 * j) * fest, rgb8(112, 128, 146))
        # the hot spot itself: dark blue-grey
        rho = ellipse_radius(pt, a, b)
        mix(img, pt, 0.9 * smoothstep(1.0, 0.4, rho), rgb8(86, 96, 112))
        out.append(Vortex(lat + 0.6, wlon - 2.0, a * 0.8, b * 1.2, -1.0, 0.4))
    return out


def _shift(pt: Patch, dx: float, dy: float) -> Patch:
    """The patch with its local origin moved by (dx east, dy north) radians."""
    return Patch(pt.rows, pt.cols, pt.east - dx, pt.north - dy, pt.dist)


def _ovals(rng: np.random.Generator) -> list[Vortex]:
    out: list[Vortex] = []
    # Oval BA (reddish-white, with a pale rim)
    a = _km(4500)
    out.append(Vortex(graphic_to_centric(OVAL_BA_LAT_PG), OVAL_BA_WLON, a, a * 0.75, 1.0, 1.2,
                      rgb8(214, 156, 126), rgb8(242, 238, 230)))
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
            white = rgb8(244, 242, 236) if rng.random() < 0.8 else rgb8(226, 200, 170)
            rim = rgb8(150, 120, 95) if rng.random() < 0.35 else None
            out.append(Vortex(lat, rng.uniform(0, 360), a, a * rng.uniform(0.7, 0.9), 1.0,
                              rng.uniform(0.4, 0.8), white, rim, rng.uniform(0.6, 0.95)))
    # brown barges (cyclones) on the NEB's north side (≈ +15° pg) and dark STB fragments
    for lat_pg, count in ((15.0, 5), (-29.0, 3), (36.5, 3)):
        for _ in range(count):
            a = _km(rng.uniform(2500, 4500))
            out.append(Vortex(graphic_to_centric(lat_pg + rng.uniform(-0.6, 0.6)),
                              rng.uniform(0, 360), a, a * rng.uniform(0.35, 0.5), -1.0, 0.8,
                              rgb8(112, 66, 48), None, 0.85))
    # small, faint bright and dark spots scattered through the belts
    belts = [(b.north_pg, b.south_pg) for b in BANDS if b.turbulence >= 0.8 and abs(b.north_pg) < 60]
    for _ in range(90):
        n, s = belts[rng.integers(len(belts))]
        a = _km(rng.uniform(700, 2200))
        bright = rng.random() < 0.6
        out.append(Vortex(graphic_to_centric(rng.uniform(s, n)), rng.uniform(0, 360), a,
                          a * rng.uniform(0.5, 0.9), 1.0 if bright else -1.0, rng.uniform(0.5, 1.2),
                          rgb8(238, 234, 224) if bright else rgb8(122, 80, 58), None,
                          rng.uniform(0.3, 0.6)))
    return out


def _polar_vortices(rng: np.random.Generator) -> list[Vortex]:
    """Circumpolar cyclones and a field of smaller cyclones in the polar regions (they get their
    spiral texture from the advection)."""
    out: list[Vortex] = []
    for lat0, n, diam, sign in ((NORTH_CPC_LAT, NORTH_CPC_N, NORTH_CPC_DIAM_KM, 1),
                                (SOUTH_CPC_LAT, SOUTH_CPC_N, SOUTH_CPC_DIAM_KM, -1)):
        phase = rng.uniform(0, 360)
        centres = [(sign * 89.9, 0.0)] + [(lat0, phase + k * 360.0 / n) for k in range(n)]
        for lat, wlon in centres:
            a = _km(diam / 2)
            out.append(Vortex(lat, wlon, a, a, -1.0, 1.6, rgb8(200, 198, 186), rgb8(104, 112, 118),
                              0.55))
        for _ in range(70):
            lat = sign * float(np.rad2deg(np.arcsin(rng.uniform(np.sin(np.deg2rad(55.0)),
                                                                np.sin(np.deg2rad(81.0))))))
            a = _km(rng.uniform(700, 2600))
            bright = rng.random() < 0.5
            out.append(Vortex(lat, rng.uniform(0, 360), a, a * rng.uniform(0.8, 1.0), -1.0,
                              rng.uniform(0.8, 1.8),
                              rgb8(206, 204, 192) if bright else rgb8(102, 110, 118),
                              rgb8(110, 116, 120) if bright else None, rng.uniform(0.3, 0.6)))
    return out


def _stamp_vortices(img: FloatArray, rng: np.random.Generator, vortices: list[Vortex]) -> None:
    """Each vortex's starting colours: a core, an optional rim; ragged by a little noise."""
    for v in vortices:
        if v.core is None:
            continue
        pt = spot_patch(img.shape, v.lat, v.wlon, max(v.a, v.b) * 1.3)
        rho = ellipse_radius(pt, v.a, v.b)
        th = np.arctan2(pt.north / v.b, pt.east / v.a)
        ph = rng.uniform(0, 2 * np.pi, size=2)
        rho = rho * (1.0 + 0.05 * np.cos(3 * th + ph[0]) + 0.04 * np.cos(5 * th + ph[1]))
        if v.rim is not None:
            mix(img, pt, v.opacity * smoothstep(1.12, 0.98, rho), v.rim)
            mix(img, pt, v.opacity * smoothstep(0.9, 0.8, rho), v.core)
        else:
            mix(img, pt, v.opacity * smoothstep(1.0, 0.75, rho), v.core)


def _streamfunction(h: int, w: int, vortices: list[Vortex]) -> tuple[FloatArray, FloatArray]:
    """Stream function (rad² per unit time) of the vortices on an ``(h, w)`` grid, and a mask
    (0..1) of where they dominate (the jets are switched off there)."""
    psi = np.zeros((h, w))
    mask = np.zeros((h, w))
    shape = (h, w)
    for v in vortices:
        if v.turns <= 0.0:
            continue
        pt = spot_patch(shape, v.lat, v.wlon, max(v.a, v.b) * 2.2)
        rho2 = ellipse_radius(pt, v.a, v.b) ** 2
        # Gaussian ψ: angular velocity at the centre 2A/(ab); `turns` turns in unit time
        amp = v.turns * np.pi * v.a * v.b
        hemi = 1.0 if v.lat >= 0 else -1.0
        rr = np.arange(pt.rows.start, pt.rows.stop)[:, None]
        cc = pt.cols[None, :]
        psi[rr, cc] += v.sense * hemi * amp * np.exp(-rho2)
        mask[rr, cc] = np.maximum(mask[rr, cc], np.exp(-(rho2 / 1.4) ** 2))
    return psi, mask


def _backtrace(h: int, w: int, u_east: FloatArray, psi: FloatArray, steps: int
               ) -> tuple[FloatArray, FloatArray]:
    """Where each pixel's air was ``1`` time unit ago in the steady flow (zonal jets ``u_east``
    plus the rotational flow of ``psi``), by ``steps`` explicit Euler steps backward; returns
    the (row, col) displacements in pixels."""
    lat, _ = pixel_centres(h, w)
    coslat = np.maximum(np.cos(lat), 0.02)[:, None]
    drow_rad = np.pi / h
    dcol_rad = 2 * np.pi / w
    dpsi_dn = -(np.roll(psi, -1, axis=0) - np.roll(psi, 1, axis=0)) / (2 * drow_rad)
    dpsi_dn[0] = dpsi_dn[1]
    dpsi_dn[-1] = dpsi_dn[-2]
    dpsi_de = (np.roll(psi, -1, axis=1) - np.roll(psi, 1, axis=1)) / (2 * dcol_rad) / coslat
    ue = u_east - dpsi_dn
    vn = dpsi_de
    vcol = ue / coslat / dcol_rad
    vrow = -vn / drow_rad
    rows = np.broadcast_to(np.arange(h, dtype=np.float64)[:, None], (h, w))
    cols = np.broadcast_to(np.arange(w, dtype=np.float64)[None, :], (h, w))
    r, c = rows.copy(), cols.copy()
    dt = 1.0 / steps
    for _ in range(steps):
        rc = np.clip(r, 0, h - 1)
        coords = np.stack([rc, c])
        vr = ndimage.map_coordinates(vrow, coords, order=1, mode="grid-wrap")
        vc = ndimage.map_coordinates(vcol, coords, order=1, mode="grid-wrap")
        r = r - dt * vr
        c = c - dt * vc
    return np.clip(r, -0.5, h - 0.5) - rows, c - cols


def _kh_waves(rng: np.random.Generator, h: int, w: int) -> FloatArray:
    """Stream function of trains of Kelvin-Helmholtz-like waves (cat's-eye eddies) centred on the
    belt/zone edges, where the jets' shear is strongest: they roll the edges into wave crests."""
    lat, wlon = pixel_centres(h, w)
    lat_deg = np.rad2deg(lat)[:, None]
    psi = np.zeros((h, w))
    for b in BANDS:
        for edge in (b.north_pg, b.south_pg):
            if abs(edge) >= 60.0 or (edge == b.south_pg and edge != -90.0 and b.name != "SSTB"):
                continue
            c = graphic_to_centric(edge)
            k = int(rng.integers(18, 60))  # waves around the planet
            width = rng.uniform(0.8, 1.6)
            env = np.exp(-0.5 * ((lat_deg - c) / width) ** 2)
            wave = np.cos(k * wlon[None, :] + rng.uniform(0, 2 * np.pi)
                          + 1.5 * np.sin(3 * wlon[None, :] + rng.uniform(0, 2 * np.pi)))
            mod = 0.5 + 0.5 * np.cos(2 * wlon[None, :] + rng.uniform(0, 2 * np.pi))
            psi += 0.0009 * (0.4 + 0.6 * mod) * env * wave * (40.0 / k)
    return psi


def generate_jupiter(h: int, w: int, rng: np.random.Generator) -> FloatArray:
    """Jupiter's colour map, ``(h, w, 3)`` float sRGB in [0, 1] (see the module docstring)."""
    lat, _ = pixel_centres(h, w)
    lat_deg = np.rad2deg(lat)
    # 1) the starting picture: the band profile read at a gently displaced latitude
    n1 = spectral_noise(rng, h, w, beta=3.4, aspect=5.0, kmin=2.0)
    n1b = spectral_noise(rng, h, w, beta=2.6, aspect=3.0, kmin=6.0)
    _, turb_rows = _profile(lat_deg)
    amp_deg = 0.35 + 0.5 * turb_rows
    lat_warp = lat_deg[:, None] + amp_deg[:, None] * (0.8 * n1 + 0.45 * n1b)
    table_lat = np.linspace(-90.0, 90.0, 7201)
    table_col, table_turb = _profile(table_lat)
    colour = np.stack([np.interp(lat_warp, table_lat, table_col[:, c]) for c in range(3)], axis=-1)
    turb = np.interp(lat_warp, table_lat, table_turb)
    # belt structure: darker brown/orange streaks and lighter rifts inside the belts, bluish
    # whites in the zones, at several scales
    nb = spectral_noise(rng, h, w, beta=2.4, aspect=4.0, kmin=4.0)
    belt = smoothstep(0.75, 1.1, turb)[..., None]
    dark_t = (0.45 * smoothstep(0.0, 1.6, nb))[..., None] * belt
    colour = colour * (1 - dark_t) + np.asarray(rgb8(138, 90, 62)) * dark_t
    light_t = (0.5 * smoothstep(-0.6, -1.8, nb))[..., None] * belt
    colour = colour * (1 - light_t) + np.asarray(rgb8(222, 196, 168)) * light_t
    zone = smoothstep(0.6, 0.4, turb)[..., None]
    blue_t = (0.5 * smoothstep(0.2, 1.5, n1b))[..., None] * zone
    colour = colour * (1 - blue_t) + np.asarray(rgb8(206, 216, 224)) * blue_t
    n2 = spectral_noise(rng, h, w, beta=2.0, aspect=2.0, kmin=6.0)
    n2b = spectral_noise(rng, h, w, beta=2.0, aspect=1.5, kmin=30.0)
    shade = 1.0 + (0.025 + 0.045 * turb) * n2 + (0.006 + 0.01 * turb) * n2b
    colour *= shade[..., None]
    # bright rifts/streaks (white) and dark streaks
    n3 = spectral_noise(rng, h, w, beta=2.0, aspect=6.0, kmin=10.0)
    rift = smoothstep(1.2, 2.2, n3) * (0.3 + 0.5 * turb)
    colour = colour * (1 - rift[..., None]) + np.asarray(rgb8(244, 238, 226)) * rift[..., None]
    dark = smoothstep(-1.4, -2.3, n3) * 0.4 * turb
    colour = colour * (1 - dark[..., None]) + np.asarray(rgb8(112, 72, 52)) * dark[..., None]
    # polar regions: mottled bluish grey with brownish patches
    pole = smoothstep(52.0, 74.0, np.abs(lat_deg))[:, None, None]
    t_p = smoothstep(-1.2, 1.2, n2 + 0.6 * n1b)[..., None]
    haze = (np.asarray(rgb8(118, 130, 134)) * (1 - t_p) + np.asarray(rgb8(162, 168, 162)) * t_p)
    brown = (0.45 * smoothstep(0.6, 1.8, nb))[..., None]
    haze = haze * (1 - brown) + np.asarray(rgb8(150, 132, 112)) * brown
    haze *= (1.0 + 0.06 * n2b)[..., None]
    colour = colour * (1 - pole) + haze * pole
    img = np.clip(colour, 0.0, 1.0)
    zone_colour = next(b.colour for b in BANDS if b.name == "STrZ")
    vortices = _great_red_spot(img, zone_colour)
    vortices += _ovals(rng)
    vortices += _polar_vortices(rng)
    _stamp_vortices(img, rng, vortices[::-1])
    # 2) stir it: zonal jets plus turbulent eddies and the vortices, on a half-size grid
    hh, ww = max(h // 2, 8), max(w // 2, 16)
    lat_h, _ = pixel_centres(hh, ww)
    lat_h_deg = np.rad2deg(lat_h)
    _, turb_h = _profile(lat_h_deg)
    eddy = sphere_fbm(rng, hh, ww, octaves=3, base_freq=20.0, gain=0.6)
    eddy_amp = (0.0001 + 0.00045 * turb_h**2) * (1.0 + 0.5 * smoothstep(55.0, 70.0, np.abs(lat_h_deg)))
    psi_v, vmask = _streamfunction(hh, ww, vortices)
    psi = (eddy * eddy_amp[:, None] + _kh_waves(rng, hh, ww)) * (1 - vmask) + psi_v
    u_east = np.deg2rad(JET_DISPLACEMENT_DEG_PER_MS) * _wind(lat_h_deg)[:, None] * (1 - vmask)
    dr, dc = _backtrace(hh, ww, u_east, psi, steps=24)
    sy, sx = h / hh, w / ww
    dr = upsample(dr, h, w) * sy
    dc = upsample(dc, h, w) * sx
    rows = np.clip(np.arange(h)[:, None] + dr, 0, h - 1)
    cols = np.arange(w)[None, :] + dc
    coords = np.stack([rows, cols])
    out: FloatArray = np.stack([ndimage.map_coordinates(img[..., k], coords, order=1,
                                                        mode="grid-wrap") for k in range(3)], axis=-1)
    # the white ovals keep a crisp body (they are coherent vortices; only their edges get stirred)
    crisp = [Vortex(v.lat, v.wlon, v.a * 0.8, v.b * 0.8, v.sense, v.turns, v.core, None,
                    0.6 * v.opacity)
             for v in vortices if v.core is not None and v.sense > 0 and v.core[2] > 0.8
             and v.opacity > 0.55]
    _stamp_vortices(out, rng, crisp)
    # 3) NEB hot spots and festoons on the stirred picture (they hold their shape in the jet)
    _festoons(out, rng)
    # 4) fine grain that the advection at half resolution cannot make
    grain = detail_noise(rng, h, w, beta=1.2)
    out *= (1.0 + 0.015 * grain)[..., None]
    # keep the GRS's core unmistakably red (stirred, but not mixed away)
    a, b = _km(GRS_LENGTH_KM / 2), _km(GRS_WIDTH_KM / 2)
    pt = spot_patch(out.shape, GRS_LAT_PC, GRS_WLON, a)
    mix(out, pt, 0.35 * smoothstep(0.7, 0.3, ellipse_radius(pt, a, b)), rgb8(206, 116, 76))
    return np.clip(out, 0.0, 1.0)


# Longitude (°) the advection moves air at 1 m/s of zonal wind; by eye: enough that the jets
# shear eddies into filaments without smearing everything into streaks.
JET_DISPLACEMENT_DEG_PER_MS = 0.25


__all__ = ["BANDS", "GRS_LAT_PC", "GRS_WLON", "generate_jupiter", "get", "put"]
