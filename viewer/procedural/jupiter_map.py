"""Procedural colour map of Jupiter (System III west longitude, planetocentric latitude).

How it is made (all seeded, vectorised; every noise field is 3-D noise of the position on the
sphere, :mod:`.noise`, so nothing converges into a starburst at the poles):

1. A **band profile**: belts and zones between published planetographic edge latitudes (converted
   to planetocentric with Jupiter's radii), with colours chosen by eye and checked against the row
   means of a Cassini map.
2. A **starting picture**: the profile read at a latitude displaced by zonal noise, soft darker and
   lighter streaks inside the belts, bluish tints in the zones, the NEB's dark projections and
   their blue-grey festoons, and the starting colours of the vortices (the GRS with its pale collar
   and the Red Spot Hollow, Oval BA, white ovals, brown barges, small spots, the polar cyclones).
   Toward the poles the bands fade, over a boundary that wanders in latitude, into a mottled
   bluish-grey polar haze.
3. **Stirring** (:mod:`.flow`): each pixel is traced back 24 steps in 3-D through a steady flow
   made of the zonal jets (approximate Cassini profile), a multi-scale eddy stream function
   (stronger in the belts and the polar regions), trains of Kelvin-Helmholtz-like waves on the
   belt/zone edges and Gaussian vortices; the picture is read where the air came from. The jets'
   shear draws eddies into filaments, the waves roll the belt edges, the vortices wind their
   colours into spirals.
4. On top: the white ovals' and the polar cyclones' bodies faintly re-stamped, a fine grain.

The amount of structure (each band's turbulence, the streak and grain amplitudes) was set so that,
band by band, the map's contrast and small-scale power spectrum are those of the Solar System Scope
Cassini map within 20 % (tests/unit/test_map_statistics.py; docs/assets.md has the numbers).
Colours are sRGB values picked by eye from Cassini/Juno-era global maps and published JunoCam
images; they are not measurements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.procedural.features import RGB, ellipse_radius, mix, rgb8, spot_patch
from viewer.procedural.flow import Vortex, advect, backtrace, velocity, vortex_streamfunction
from viewer.procedural.mapgrid import (
    JUPITER_EQUATORIAL_RADIUS_KM,
    Patch,
    graphic_to_centric,
    pixel_centres,
    smoothstep,
)
from viewer.procedural.noise import detail_noise, sphere_fbm

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Band:
    """A belt or zone between two planetographic latitudes (degrees, north > south)."""

    name: str
    north_pg: float
    south_pg: float
    colour: RGB
    turbulence: float  # relative amount of stirring and streaks (belts > zones)
    grain: float = 0.012  # relative amplitude of the fine grain laid on after the stirring
    zone: bool = False  # a bright zone: bluish-white tints and wisps


# Belt and zone edges, planetographic degrees: typical mean positions from Rogers (1995), "The
# Giant Planet Jupiter" (Cambridge Univ. Press), ch. 3 nomenclature, and the jet latitudes of the
# BAA Jupiter Section "Reference list of Jupiter's jets" (Rogers 2013,
# https://britastro.org/jupiter/reference/jup_jets/ref_jets.htm): NEBs jet ≈ +7°, NTBs jet
# ≈ +23.7°, SEBs (retrograde) ≈ −20°, STBn jet ≈ −26.5°, NNTBs ≈ +35.5°. Edges move by a degree or
# two from year to year; these are representative, not 2023 measurements. Colours: by eye.
BANDS: tuple[Band, ...] = (
    Band("NPR", 90.0, 64.0, rgb8(132, 136, 128), 0.6, 0.039),
    # the N5 domain poleward of 53° (boundary by eye on the Cassini map) is far more turbulent
    Band("N5", 64.0, 53.0, rgb8(166, 150, 130), 1.1, 0.048),
    Band("N4 (NNNTB/NNNTZ)", 53.0, 39.5, rgb8(174, 154, 132), 0.5, 0.036),
    # the NNTB's visible south edge: ~1.5° equatorward of the NNTBs jet on the Cassini map (by eye)
    Band("NNTB", 39.5, 34.0, rgb8(186, 164, 140), 0.4, 0.033),
    Band("NTZ", 34.0, 27.5, rgb8(194, 198, 200), 0.3, 0.032, zone=True),
    Band("NTB", 27.5, 23.7, rgb8(178, 156, 132), 0.8, 0.032),
    Band("NTrZ", 23.7, 18.0, rgb8(204, 204, 200), 0.4, 0.041, zone=True),
    Band("NEB", 18.0, 7.0, rgb8(174, 136, 102), 1.1, 0.036),
    Band("EZ(N)", 7.0, 2.0, rgb8(212, 210, 204), 0.5, 0.015, zone=True),
    Band("EB", 2.0, -1.5, rgb8(206, 200, 190), 0.5, 0.02),  # the faint tan Equatorial Band
    Band("EZ(S)", -1.5, -7.0, rgb8(212, 214, 212), 0.55, 0.025, zone=True),
    # the SEB as its two dark components around a paler, turbulent central zone (Rogers 1995)
    Band("SEBn", -7.0, -11.0, rgb8(190, 166, 140), 0.9, 0.03),
    Band("SEB centre", -11.0, -16.0, rgb8(192, 168, 142), 1.0, 0.039),
    Band("SEBs", -16.0, -20.0, rgb8(176, 150, 124), 0.9, 0.039),
    Band("STrZ", -20.0, -26.5, rgb8(206, 212, 214), 0.5, 0.027, zone=True),
    Band("STB", -26.5, -31.0, rgb8(192, 188, 178), 0.7, 0.027),
    Band("STZ", -31.0, -36.0, rgb8(190, 180, 166), 0.6, 0.03, zone=True),
    Band("SSTB", -36.0, -40.5, rgb8(180, 160, 136), 0.8, 0.03),
    # the S4 domain is more turbulent than S5 on the Cassini map (boundary at 50° by eye)
    Band("S4 (SSSTB/SSSTZ)", -40.5, -50.0, rgb8(168, 153, 134), 0.7, 0.046),
    Band("S5", -50.0, -64.0, rgb8(162, 148, 130), 0.55, 0.02),
    Band("SPR", -64.0, -90.0, rgb8(146, 154, 150), 0.4, 0.011),
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
# is ignored). Size: 16,350 km east–west, the width quoted with Hubble's Dec 2023–Mar 2024 GRS
# campaign (Simon et al. 2024, PSJ; docs/sources.md §7f); Hubble measured 16,500 km in 2014
# (NASA/ESA, A. Simon). The red oval itself spans that length; width/length 0.7 by eye from the
# Hubble images. Its pale collar and the Red Spot Hollow lie outside it.
GRS_LAT_PG = -22.4
GRS_LAT_PC = graphic_to_centric(GRS_LAT_PG)
GRS_WLON = 99.0
GRS_LENGTH_KM = 16350.0
GRS_WIDTH_KM = 0.7 * GRS_LENGTH_KM

# Oval BA: the STB red oval at ≈ −33° planetographic (Simon-Miller et al. 2006, Icarus 185, 558).
# Its longitude in Dec 2023 was not looked up: placed for display only.
OVAL_BA_LAT_PG = -33.0
OVAL_BA_WLON = 200.0


@dataclass(frozen=True)
class PolarCluster:
    """Juno's cyclones round one pole: a central cyclone at (``centre_lat``, ``centre_wlon``) of
    diameter ``centre_km``, and ``count`` circumpolar cyclones on a ring of angular radius
    ``ring_deg`` round it, of diameters between ``diam_km`` (min, max)."""

    centre_lat: float
    centre_wlon: float
    centre_km: float
    count: int
    ring_deg: float
    diam_km: tuple[float, float]


# Circumpolar cyclones (Adriani et al. 2018, Nature 555, 216; docs/sources.md §7f). North: eight
# round a central polar cyclone of ~4,000 km (placed on the pole: "just slightly offset" is not
# quantified), diameters 4,000–4,600 km. South: five round a central one, 5,600–7,000 km (the
# central one's size was not found: the low end is used); the south polar cyclone sits at
# 88.0–89.0° S toward System III 219° ± 21° (Adriani et al. 2018, Extended Data Fig. 1: 88.5° S,
# 219° W here) and the five keep their distance from it. Both rings lie along latitude ~84° (Gavriel
# & Kaspi 2021, Nature Geoscience 14, 559), i.e. 6° from the pole (north) or from the SPC (south).
# The north ring is a "double square" (an inner and an outer square; Adriani et al. 2018, Extended
# Data Fig. 2): alternate cyclones 0.5° nearer and farther (by eye); the south pentagon has one
# wider gap (ibid.): its spacings are by eye. Ring phases: for display.
NORTH_CPC = PolarCluster(90.0, 0.0, 4000.0, 8, 6.0, (4000.0, 4600.0))
SOUTH_CPC = PolarCluster(-88.5, 219.0, 5600.0, 5, 6.0, (5600.0, 7000.0))
NORTH_RING_STAGGER_DEG = 0.5
SOUTH_RING_SPACING_DEG = (68.0, 68.0, 68.0, 68.0, 88.0)  # the last one is the gap

R_KM = JUPITER_EQUATORIAL_RADIUS_KM


def _km(x: float) -> float:
    return x / R_KM


@dataclass(frozen=True)
class Profile:
    """The band table read at some planetocentric latitudes: colour (..., 3), turbulence, grain
    amplitude and zone weight (1 in a zone, 0 in a belt)."""

    colour: FloatArray
    turbulence: FloatArray
    grain: FloatArray
    zone: FloatArray


def _profile(lat_pc_deg: FloatArray, edge_deg: float = 1.3) -> Profile:
    """The :class:`Profile` at planetocentric latitudes (degrees), band edges softened over
    ``edge_deg``."""
    lat = np.asarray(lat_pc_deg, dtype=np.float64)
    col = np.zeros((*lat.shape, 3))
    acc = np.zeros((3, *lat.shape))
    wsum = np.zeros(lat.shape)
    for b in BANDS:
        n = graphic_to_centric(b.north_pg) if b.north_pg < 90 else 91.0
        s = graphic_to_centric(b.south_pg) if b.south_pg > -90 else -91.0
        w = smoothstep(s - edge_deg, s + edge_deg, lat) * smoothstep(n + edge_deg, n - edge_deg, lat)
        col += w[..., None] * np.asarray(b.colour)
        for i, v in enumerate((b.turbulence, b.grain, float(b.zone))):
            acc[i] += w * v
        wsum += w
    wsum = np.maximum(wsum, 1e-9)
    return Profile(col / wsum[..., None], acc[0] / wsum, acc[1] / wsum, acc[2] / wsum)


def _wind(lat_pc_deg: FloatArray) -> FloatArray:
    """Approximate zonal wind (m/s, positive eastward/prograde) at planetocentric latitudes."""
    u = np.zeros_like(lat_pc_deg)
    for lat_pg, speed, width in JETS:
        u += speed * np.exp(-0.5 * ((lat_pc_deg - graphic_to_centric(lat_pg)) / width) ** 2)
    return u


def _shift(pt: Patch, dx: float, dy: float) -> Patch:
    """The patch with its local origin moved by (dx east, dy north) radians."""
    return Patch(pt.rows, pt.cols, pt.east - dx, pt.north - dy, pt.dist)


def _great_red_spot(img: FloatArray, zone: RGB) -> list[Vortex]:
    """The GRS's pale collar and the Red Spot Hollow stamped into ``img``; returns the GRS vortex
    (its colours drawn by :func:`_stamp_vortices` and stirred by the flow)."""
    a, b = _km(GRS_LENGTH_KM / 2), _km(GRS_WIDTH_KM / 2)
    # Red Spot Hollow: the pale bay the GRS carves into the SEB's south edge, ~1.5× its size
    pt = spot_patch(img.shape, GRS_LAT_PC, GRS_WLON, a * 1.9)
    rho = ellipse_radius(_shift(pt, 0.0, 0.25 * b), a * 1.45, b * 1.5)
    mix(img, pt, 0.85 * smoothstep(1.0, 0.7, rho), zone)
    # the pale collar round the red oval
    rho = ellipse_radius(pt, a, b)
    mix(img, pt, 0.6 * smoothstep(1.3, 1.05, rho) * smoothstep(0.85, 1.0, rho), rgb8(232, 226, 214))
    return [Vortex(GRS_LAT_PC, GRS_WLON, a, b, 1.0, 1.0, rgb8(206, 138, 98), rgb8(186, 116, 82), 0.9),
            Vortex(GRS_LAT_PC, GRS_WLON, a * 0.5, b * 0.5, 1.0, 0.0, rgb8(214, 154, 112), None, 0.5)]


def _festoons(img: FloatArray, rng: np.random.Generator, soft: FloatArray) -> list[Vortex]:
    """NEB dark projections (5-µm hot spots; blue-grey in visible light) at the NEB's south edge,
    each trailing a soft blue-grey festoon south-west into the EZ, broken up by the noise ``soft``
    (a map-grid field of unit variance); returns the small cyclonic eddies that stir them."""
    edge = graphic_to_centric(7.0)  # NEBs jet (BAA jet list)
    n_spots = 11  # typically 8–15 around the planet (Rogers 1995; Orton et al. 1998)
    base = rng.uniform(0, 360)
    out: list[Vortex] = []
    # sizes of the spots and festoons (km) chosen by eye from Cassini/HST images
    for k in range(n_spots):
        wlon = (base + k * 360.0 / n_spots + rng.uniform(-8, 8)) % 360
        lat = edge - rng.uniform(0.2, 0.8)
        a = _km(rng.uniform(3000, 5000))
        b = _km(rng.uniform(1000, 1500))
        pt = spot_patch(img.shape, lat, wlon, a * 1.5 + _km(24000))
        x = -pt.east  # positive toward the west
        y = pt.north
        rr = np.arange(pt.rows.start, pt.rows.stop)
        broken = smoothstep(-1.2, 0.6, soft[rr[:, None], pt.cols[None, :]])
        # one broad plume curving from the projection toward the south-west and trailing west
        length = _km(rng.uniform(14000, 22000))
        drop = _km(rng.uniform(3000, 6000))
        t = np.clip(x / length, 0, 1)
        yc = -_km(600) - drop * np.sqrt(t)
        wid = _km(rng.uniform(1400, 2200)) * (0.6 + 0.6 * t)
        fest = np.exp(-(((y - yc) / wid) ** 2)) * (x > 0) * smoothstep(1.0, 0.3, t)
        mix(img, pt, 0.32 * fest * broken, rgb8(150, 160, 172))
        rho = ellipse_radius(pt, a, b)
        mix(img, pt, 0.5 * smoothstep(1.0, 0.3, rho), rgb8(118, 124, 136))
        out.append(Vortex(lat + 0.6, wlon - 2.0, a * 0.8, b * 1.2, -1.0, 0.3))
    return out


def _edge_plumes(img: FloatArray, rng: np.random.Generator, soft: FloatArray) -> None:
    """The train of small bright plumes with bluish shadows on the SEB's north edge (the −7° jet;
    ~80 round the planet on the Cassini map, by eye), drawn after the stirring (the jet's shear
    would smear them into streaks); ``soft`` (unit variance) breaks the train up."""
    h, w = img.shape[:2]
    lat, wlon = pixel_centres(h, w)
    c = graphic_to_centric(-7.0) + 0.6  # on the zone side of the edge
    rows = np.flatnonzero(np.abs(np.rad2deg(lat) - c) < 4.0)
    y = ((np.rad2deg(lat[rows]) - c) / 1.5)[:, None]
    n = soft[rows]
    phase = 70.0 * wlon[None, :] + rng.uniform(0, 2 * np.pi) + 1.2 * n
    env = np.exp(-(y**2)) * smoothstep(-1.0, 0.5, n)
    crest = smoothstep(0.3, 0.95, np.cos(phase + 2.2 * y)) * env
    shadow = smoothstep(0.3, 0.95, np.cos(phase + 2.2 * y - 1.1)) * np.exp(-((y + 0.4) ** 2))
    sub = img[rows]
    a = (0.3 * shadow * smoothstep(-1.0, 0.5, n))[..., None]
    sub = sub * (1 - a) + np.asarray(rgb8(150, 162, 178)) * a
    a = (0.7 * crest)[..., None]
    img[rows] = sub * (1 - a) + np.asarray(rgb8(238, 240, 240)) * a


def _ovals(rng: np.random.Generator) -> list[Vortex]:
    out: list[Vortex] = []
    # Oval BA (reddish-white, with a pale rim)
    a = _km(4500)
    out.append(Vortex(graphic_to_centric(OVAL_BA_LAT_PG), OVAL_BA_WLON, a, a * 0.75, 1.0, 1.0,
                      rgb8(212, 166, 138), rgb8(236, 232, 224), 0.8))
    # white anticyclonic ovals: S4 'string of pearls' (≈ −40° pg), STZ, and smaller, fainter ones
    # between −45° and −60°; NTrZ White Spot Z (≈ +19° pg); N4/N5 AWOs. Positions random (they
    # drift); counts, sizes (km) and opacities chosen by eye from Cassini/JunoCam-era maps.
    groups = (
        (-40.5, 6, 2000, 2800, 0.45), (-33.5, 2, 1800, 2800, 0.45), (-45, 10, 1000, 2200, 0.4),
        (-52, 8, 800, 1800, 0.3), (-58, 8, 700, 1500, 0.3), (19.0, 2, 1800, 2500, 0.6),
        (41.0, 3, 1200, 2200, 0.5), (47.5, 4, 800, 1600, 0.4), (55.0, 8, 700, 1400, 0.4),
    )
    for lat_pg, count, smin, smax, opacity in groups:
        for _ in range(count):
            lat = graphic_to_centric(lat_pg + rng.uniform(-1.0, 1.0))
            a = _km(rng.uniform(smin, smax))
            white = rgb8(236, 234, 228) if rng.random() < 0.8 else rgb8(222, 204, 180)
            rim = rgb8(160, 138, 116) if rng.random() < 0.3 else None
            out.append(Vortex(lat, rng.uniform(0, 360), a, a * rng.uniform(0.7, 0.9), 1.0,
                              rng.uniform(0.4, 0.8), white, rim, opacity * rng.uniform(0.7, 1.2)))
    # brown barges (cyclones) on the NEB's north side (≈ +15° pg) and dark STB fragments
    for lat_pg, count in ((15.0, 5), (-29.0, 3), (36.5, 1)):
        for _ in range(count):
            a = _km(rng.uniform(2500, 4500))
            out.append(Vortex(graphic_to_centric(lat_pg + rng.uniform(-0.6, 0.6)),
                              rng.uniform(0, 360), a, a * rng.uniform(0.35, 0.5), -1.0, 0.7,
                              rgb8(132, 92, 70), None, 0.6))
    # small, faint bright and dark spots scattered through the belts
    belts = [(b.north_pg, b.south_pg) for b in BANDS if b.turbulence >= 0.7 and abs(b.north_pg) < 60]
    for _ in range(60):
        n, s = belts[rng.integers(len(belts))]
        a = _km(rng.uniform(700, 2200))
        bright = rng.random() < 0.6
        out.append(Vortex(graphic_to_centric(rng.uniform(s, n)), rng.uniform(0, 360), a,
                          a * rng.uniform(0.5, 0.9), 1.0 if bright else -1.0, rng.uniform(0.5, 1.0),
                          rgb8(228, 222, 210) if bright else rgb8(138, 102, 80), None,
                          rng.uniform(0.2, 0.4)))
    return out


def polar_cyclone_centres(cluster: PolarCluster, phase_deg: float
                          ) -> list[tuple[float, float, float]]:
    """(lat °, west lon °, diameter km) of the central cyclone and of the ring members of
    ``cluster`` (ring members at mean diameter; the generator draws theirs), the ring turned by
    ``phase_deg``: each member lies ``ring_deg`` (± the north ring's stagger) from the centre."""
    north = cluster.centre_lat > 0
    c = np.array(_unit(cluster.centre_lat, cluster.centre_wlon))
    # local frame at the centre: e (toward 0° W, projected), n = c × e
    ref = np.array([1.0, 0.0, 0.0]) - c * c[0]
    e = ref / np.linalg.norm(ref)
    f = np.cross(c, e)
    spacing = ([360.0 / cluster.count] * cluster.count if north else list(SOUTH_RING_SPACING_DEG))
    out = [(cluster.centre_lat, cluster.centre_wlon, cluster.centre_km)]
    az = np.deg2rad(phase_deg)
    for i in range(cluster.count):
        r = cluster.ring_deg + (NORTH_RING_STAGGER_DEG * (1 if i % 2 else -1) if north else 0.0)
        rr = np.deg2rad(r)
        p = np.cos(rr) * c + np.sin(rr) * (np.cos(az) * e + np.sin(az) * f)
        lat = float(np.rad2deg(np.arcsin(np.clip(p[2], -1.0, 1.0))))
        wlon = float(np.rad2deg(np.mod(-np.arctan2(p[1], p[0]), 2 * np.pi)))
        out.append((lat, wlon, 0.5 * sum(cluster.diam_km)))
        az += np.deg2rad(spacing[i % len(spacing)])
    return out


def _unit(lat_deg: float, wlon_deg: float) -> tuple[float, float, float]:
    la, el = np.deg2rad(lat_deg), -np.deg2rad(wlon_deg)
    return (float(np.cos(la) * np.cos(el)), float(np.cos(la) * np.sin(el)), float(np.sin(la)))


def _polar_vortices(rng: np.random.Generator) -> tuple[list[Vortex], list[Vortex]]:
    """Juno's circumpolar cyclone clusters (:data:`NORTH_CPC`, :data:`SOUTH_CPC`), and a field of
    smaller cyclones and anticyclones in the polar regions (they get their spiral texture from the
    advection)."""
    clusters: list[Vortex] = []
    out: list[Vortex] = []
    for cluster in (NORTH_CPC, SOUTH_CPC):
        sign = 1.0 if cluster.centre_lat > 0 else -1.0
        centres = polar_cyclone_centres(cluster, float(rng.uniform(0, 360)))
        for i, (lat, wlon, _) in enumerate(centres):
            diam = cluster.centre_km if i == 0 else float(rng.uniform(*cluster.diam_km))
            a = _km(diam / 2)
            clusters.append(Vortex(lat, wlon, a, a, -1.0, 1.2, rgb8(196, 194, 182),
                                   rgb8(96, 106, 112), 0.7))
        lat0 = 56.0 if sign > 0 else 62.0  # the Cassini map's S. temperate domain is calmer
        for _ in range(45):
            lat = sign * float(np.rad2deg(np.arcsin(rng.uniform(np.sin(np.deg2rad(lat0)),
                                                                np.sin(np.deg2rad(80.0))))))
            a = _km(rng.uniform(700, 2200))
            bright = rng.random() < 0.5
            out.append(Vortex(lat, rng.uniform(0, 360), a, a * rng.uniform(0.8, 1.0),
                              -1.0 if rng.random() < 0.7 else 1.0, rng.uniform(0.6, 1.4),
                              rgb8(184, 184, 174) if bright else rgb8(110, 118, 122), None,
                              rng.uniform(0.25, 0.5)))
    return clusters, out


def _stamp_vortices(img: FloatArray, rng: np.random.Generator, vortices: list[Vortex],
                    texture: FloatArray | None = None) -> None:
    """Each vortex's starting colours: a core, an optional rim; ragged by a little noise. With a
    ``texture`` (a map-grid field of unit variance) the core is mottled by it, which the vortex's
    rotation then winds into spiral lanes."""
    for v in vortices:
        if v.core is None:
            continue
        pt = spot_patch(img.shape, v.lat, v.wlon, max(v.a, v.b) * 1.3)
        rho = ellipse_radius(pt, v.a, v.b)
        th = np.arctan2(pt.north / v.b, pt.east / v.a)
        ph = rng.uniform(0, 2 * np.pi, size=2)
        rho = rho * (1.0 + 0.05 * np.cos(3 * th + ph[0]) + 0.04 * np.cos(5 * th + ph[1]))
        mottle: FloatArray | float = 1.0
        if texture is not None:
            rr = np.arange(pt.rows.start, pt.rows.stop)
            mottle = 0.45 + 0.55 * smoothstep(-1.2, 1.2, texture[rr[:, None], pt.cols[None, :]])
        if v.rim is not None:
            mix(img, pt, v.opacity * smoothstep(1.2, 0.95, rho), v.rim)
            mix(img, pt, v.opacity * mottle * smoothstep(0.9, 0.7, rho), v.core)
        else:
            mix(img, pt, v.opacity * smoothstep(1.0, 0.7, rho), v.core)


def _kh_waves(rng: np.random.Generator, h: int, w: int) -> FloatArray:
    """Stream function of trains of Kelvin-Helmholtz-like waves (cat's-eye eddies) centred on the
    belt/zone edges, where the jets' shear is strongest: they roll the edges into wave crests.
    Equatorward of ±30° only (the Cassini map shows no wave trains poleward of that; and a function
    of longitude would be singular at a pole)."""
    lat, wlon = pixel_centres(h, w)
    lat_deg = np.rad2deg(lat)[:, None]
    psi = np.zeros((h, w))
    for b in BANDS:
        for edge in (b.north_pg, b.south_pg):
            if abs(edge) >= 30.0 or (edge == b.south_pg and b.name != "SSTB"):
                continue
            c = graphic_to_centric(edge)
            # waves round the planet; the NEB's south edge and the SEB's north edge (the ±7°
            # jets) carry a train of small, close rolls (~80 round the planet on Cassini's map)
            k = int(rng.integers(60, 100)) if abs(edge) == 7.0 else int(rng.integers(18, 60))
            width = rng.uniform(0.8, 1.6)
            env = np.exp(-0.5 * ((lat_deg - c) / width) ** 2)
            wave = np.cos(k * wlon[None, :] + rng.uniform(0, 2 * np.pi)
                          + 1.5 * np.sin(3 * wlon[None, :] + rng.uniform(0, 2 * np.pi)))
            mod = 0.5 + 0.5 * np.cos(2 * wlon[None, :] + rng.uniform(0, 2 * np.pi))
            psi += 0.0005 * (0.4 + 0.6 * mod) * env * wave * (40.0 / min(k, 50))
    return psi


def _starting_picture(h: int, w: int, rng: np.random.Generator) -> FloatArray:
    """The picture before stirring (h, w, 3): bands, belt streaks, zone tints, polar haze."""
    lat, _ = pixel_centres(h, w)
    lat_deg = np.rad2deg(lat)
    # the band profile read at a gently displaced latitude (zonal noise: waves along the edges)
    n1 = sphere_fbm(rng, h, w, octaves=4, base_freq=1.5, gain=0.55, zonal=6.0)
    n1b = sphere_fbm(rng, h, w, octaves=4, base_freq=4.0, gain=0.55, zonal=4.0)
    amp_deg = 0.2 + 0.3 * _profile(lat_deg).turbulence
    lat_warp = lat_deg[:, None] + amp_deg[:, None] * (0.8 * n1 + 0.45 * n1b)
    table_lat = np.linspace(-90.0, 90.0, 7201)
    table = _profile(table_lat)
    colour = np.stack([np.interp(lat_warp, table_lat, table.colour[:, c]) for c in range(3)], axis=-1)
    turb = np.interp(lat_warp, table_lat, table.turbulence)
    zone = np.interp(lat_warp, table_lat, table.zone)[..., None]
    # belt structure: soft darker and lighter streaks inside the belts, bluish whites in the zones
    nb = sphere_fbm(rng, h, w, octaves=5, base_freq=3.0, gain=0.55, zonal=5.0)
    belt = smoothstep(0.6, 1.0, turb)[..., None]
    dark_t = (0.4 * smoothstep(0.2, 1.8, nb))[..., None] * belt
    colour = colour * (1 - dark_t) + np.asarray(rgb8(150, 104, 74)) * dark_t
    light_t = (0.4 * smoothstep(-0.6, -1.9, nb))[..., None] * belt
    colour = colour * (1 - light_t) + np.asarray(rgb8(214, 196, 174)) * light_t
    blue_t = (0.35 * smoothstep(0.2, 1.6, n1b))[..., None] * zone
    colour = colour * (1 - blue_t) + np.asarray(rgb8(204, 214, 222)) * blue_t
    n2 = sphere_fbm(rng, h, w, octaves=5, base_freq=5.0, gain=0.55, zonal=2.5)
    colour *= (1.0 + (0.018 + 0.035 * turb) * n2)[..., None]
    # wisps in the zones (plumes and thin festoons, too small to draw one by one)
    nz = sphere_fbm(rng, h, w, octaves=4, base_freq=14.0, gain=0.6, zonal=3.0)
    colour *= (1.0 + 0.03 * zone[..., 0] * nz)[..., None]
    # the polar haze, over a boundary that wanders by several degrees in latitude: greyish tan
    # where it begins, bluish grey toward the pole. Latitudes and colours after the row means of
    # the Cassini map: a tan trough ~(138, 131, 119) at 60–64°, then bluish grey, ~(134, 141, 135)
    # beyond 70° N and a lighter ~(146, 153, 150) beyond 65° S.
    alat = np.abs(lat_deg)[:, None]
    south = (lat_deg < 0.0)[:, None]
    edge_noise = sphere_fbm(rng, h, w, octaves=4, base_freq=2.0, gain=0.5, zonal=2.0)
    pole = smoothstep(0.0, 10.0, alat - np.where(south, 50.0, 52.0) + 3.0 * edge_noise)
    blue = smoothstep(0.0, 10.0, alat - np.where(south, 60.0, 64.0) + 3.0 * edge_noise)[..., None]
    tan = np.asarray(rgb8(138, 131, 119))
    grey = np.where(south[..., None], np.asarray(rgb8(146, 153, 150)), np.asarray(rgb8(134, 141, 135)))
    t_p = (smoothstep(-1.6, 1.6, n2 + 0.6 * n1b) - 0.5)[..., None]
    haze = (tan * (1 - blue) + grey * blue) * (1.0 + 0.1 * t_p)
    brown = (0.2 * smoothstep(0.6, 1.9, nb))[..., None]
    haze = haze * (1 - brown) + np.asarray(rgb8(150, 136, 118)) * brown
    colour = colour * (1 - pole[..., None]) + haze * pole[..., None]
    return np.clip(colour, 0.0, 1.0)


def generate_jupiter(h: int, w: int, rng: np.random.Generator) -> FloatArray:
    """Jupiter's colour map, ``(h, w, 3)`` float sRGB in [0, 1] (see the module docstring)."""
    img = _starting_picture(h, w, rng)
    zone_colour = next(b.colour for b in BANDS if b.name == "STrZ")
    soft = sphere_fbm(rng, h, w, octaves=4, base_freq=12.0, gain=0.6)
    vortices = _great_red_spot(img, zone_colour)
    vortices += _festoons(img, rng, soft)
    vortices += _ovals(rng)
    clusters, polar = _polar_vortices(rng)
    vortices += clusters + polar
    _stamp_vortices(img, rng, [v for v in vortices[::-1] if v not in clusters])
    lanes = sphere_fbm(rng, h, w, octaves=3, base_freq=40.0, gain=0.6)
    _stamp_vortices(img, rng, clusters, texture=lanes)
    # stir it: zonal jets plus turbulent eddies and the vortices, traced back in 3-D
    hh, ww = max(h // 2, 8), max(w // 2, 16)
    lat_h, _ = pixel_centres(hh, ww)
    lat_h_deg = np.rad2deg(lat_h)
    turb_h = _profile(lat_h_deg).turbulence
    eddy = sphere_fbm(rng, hh, ww, octaves=3, base_freq=10.0, gain=0.6)
    polar_h = smoothstep(55.0, 70.0, np.abs(lat_h_deg))
    eddy_amp = (0.00013 + 0.0005 * turb_h**2) * (1.0 + 0.3 * polar_h)
    psi_v, vmask = vortex_streamfunction(hh, ww, vortices)
    psi = (eddy * eddy_amp[:, None] + _kh_waves(rng, hh, ww)) * (1 - vmask) + psi_v
    u_east = np.deg2rad(JET_DISPLACEMENT_DEG_PER_MS) * _wind(lat_h_deg)[:, None] * (1 - vmask)
    sources = backtrace(velocity(u_east, psi), h, w, steps=24)
    out = advect(img, sources)
    # the white ovals keep a crisp body (coherent vortices: only their edges get stirred)
    ovals = [v for v in vortices if v.core is not None and v.sense > 0 and v.core[2] > 0.8
             and v.opacity > 0.45]
    crisp = [Vortex(v.lat, v.wlon, v.a * 0.8, v.b * 0.8, v.sense, v.turns, v.core, None,
                    0.5 * v.opacity) for v in ovals]
    _stamp_vortices(out, rng, crisp)
    # the polar cyclones' bright cores, mottled by the lanes as the flow wound them
    cores = [Vortex(v.lat, v.wlon, v.a * 0.75, v.b * 0.75, v.sense, v.turns, v.core, None, 0.65)
             for v in clusters]
    _stamp_vortices(out, rng, cores, texture=advect(lanes[..., None], sources)[..., 0])
    _edge_plumes(out, rng, soft)
    # fine grain that the advection at half resolution cannot make
    grain_amp = _profile(np.rad2deg(pixel_centres(h, w)[0]), edge_deg=3.0).grain
    out *= (1.0 + grain_amp[:, None] * detail_noise(rng, h, w, beta=2.0))[..., None]
    # keep the GRS's core unmistakably red (stirred, but not mixed away)
    a, b = _km(GRS_LENGTH_KM / 2), _km(GRS_WIDTH_KM / 2)
    pt = spot_patch(out.shape, GRS_LAT_PC, GRS_WLON, a)
    mix(out, pt, 0.2 * smoothstep(0.9, 0.4, ellipse_radius(pt, a, b)), rgb8(200, 124, 86))
    return np.clip(out, 0.0, 1.0)


# Longitude (°) the advection moves air at 1 m/s of zonal wind; by eye: enough that the jets
# shear eddies into filaments without smearing everything into streaks.
JET_DISPLACEMENT_DEG_PER_MS = 0.2


__all__ = ["BANDS", "GRS_LAT_PC", "GRS_WLON", "NORTH_CPC", "SOUTH_CPC", "generate_jupiter",
           "polar_cyclone_centres"]
