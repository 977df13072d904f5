"""Procedural colour map of Io (planetocentric latitude, west longitude; USGS layout).

How it is made: seeded fractal noise on the sphere (3-D, :mod:`.noise`: no pinch at the poles), with
soft steps, lays muted colour units (sulfur yellows, ochres, olive greens, browns), shifted by a
low-frequency regional field between greenish-yellow and orange-ochre provinces; paler layered-plains
mesas; SO₂ frost as diffuse greyish veils with patchy cores over broad regions placed where the
USGS Galileo/Voyager mosaic is whitest; reddish sulfur patches mostly poleward of ~30°; darker,
redder-brown mottled polar regions beyond ~45°. Relief: a height map (km) of the mesa scarps and
~115 mountains (:data:`IO_MOUNTAINS` plus anonymous ones: plateaus and tilted blocks with a scarp
on one flank, massifs of one to three blocks; lengths, heights and longitude concentration after
Schenk et al. 2001), Lambert-shaded with a low sun so that mountains show bright and dark flanks.
Then ~330 anonymous paterae, clustered (longitude bands 90° from the mountains' maxima, low
latitudes, and a low-frequency clustering field) with log-normal diameters (Radebaugh et al.
2001), irregular outlines, dark/olive/bright floors partly covered by paler lobes, bright, dark, yellow or red
halos, and dark lobate lava flows from some of them; finally the table of named volcanic features
(:data:`IO_FEATURES`) — dark paterae, plume-deposit rings (Pele's red ring), Loki's dark horseshoe,
lobate flow fields.

Feature coordinates are planetocentric latitude and west longitude (degrees) as given by the USGS
Gazetteer of Planetary Nomenclature (https://planetarynames.wr.usgs.gov/, values rounded) unless
stated; sizes of deposits were measured by eye on the USGS Galileo SSI/Voyager colour mosaic
("Io Galileo SSI / Voyager Global Mosaic ClrMerge 2km", USGS Astrogeology); colours are sRGB
picked by eye from that mosaic and Galileo SSI images. None of these are measurements for science.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.procedural.features import RGB, ellipse_radius, get, mix, put, rgb8, spot_patch
from viewer.procedural.mapgrid import pixel_centres, smoothstep, unit_vector
from viewer.procedural.noise import detail_noise, sphere_fbm

FloatArray = npt.NDArray[np.float64]

IO_RADIUS_KM = 1821.5  # mean radius (IAU 2015 / pck00011; docs/sources.md §3a)

# Pele and Loki, as given in the issue and checked against the USGS mosaic (Pele's ring centre,
# Loki Patera's horseshoe): Pele 18.7° S 255.3° W; Loki Patera ~13° N 309° W.
PELE_LAT, PELE_WLON = -18.7, 255.3
LOKI_LAT, LOKI_WLON = 13.0, 309.0


@dataclass(frozen=True)
class IoFeature:
    """A named surface feature on Io.

    ``kind``: ``patera`` (dark floor), ``ring`` (plume deposit: a ring of ``colour`` between
    ``inner_km`` and ``radius_km`` around a dark vent), ``horseshoe`` (Loki: dark annulus open on
    one side around a bright island), ``flow`` (dark lava-flow field elongated along ``tilt_deg``),
    ``halo`` (diffuse bright or coloured deposit). ``aspect`` = N–S / E–W extent.
    """

    name: str
    lat: float
    wlon: float
    kind: str
    radius_km: float
    colour: RGB
    source: str
    inner_km: float = 0.0
    aspect: float = 1.0
    tilt_deg: float = 0.0


_DARK = rgb8(38, 34, 28)
_DARK_GREEN = rgb8(58, 62, 40)
_RED = rgb8(214, 112, 62)
_PALE = rgb8(226, 222, 200)

GAZ = "USGS Gazetteer of Planetary Nomenclature"
MOSAIC = "size by eye, USGS Galileo/Voyager mosaic"

IO_FEATURES: tuple[IoFeature, ...] = (
    # Pele: the red, N–S-elongated plume-deposit ring ~1,000 × 1,400 km (by eye on the mosaic; the
    # ~1,200 km ring is described by McEwen et al. 1998, Icarus 135, 181) around a dark patera
    IoFeature("Pele", PELE_LAT, PELE_WLON, "ring", 540.0, _RED, f"issue 4; {MOSAIC}",
              inner_km=390.0, aspect=1.4),
    IoFeature("Pele Patera (vent)", PELE_LAT, PELE_WLON, "patera", 35.0, _DARK, GAZ),
    # Loki Patera: ~200 km dark horseshoe-shaped lava lake around a bright island (Radebaugh et
    # al. 2001, JGR 106, 33005: 202 km); the lake's open side faces north-east
    IoFeature("Loki Patera", LOKI_LAT, LOKI_WLON, "horseshoe", 100.0, _DARK,
              "issue 4; Radebaugh et al. 2001", inner_km=48.0, aspect=1.0, tilt_deg=45.0),
    IoFeature("Loki bright deposits", 16.0, 305.0, "halo", 260.0, rgb8(232, 226, 196),
              MOSAIC),
    IoFeature("Prometheus", -1.6, 153.3, "ring", 150.0, rgb8(220, 214, 190), f"{GAZ}; {MOSAIC}",
              inner_km=80.0),
    IoFeature("Prometheus flows", -1.6, 156.0, "flow", 110.0, _DARK, f"{GAZ}; {MOSAIC}",
              aspect=0.35, tilt_deg=0.0),
    IoFeature("Pillan Patera", -12.0, 243.0, "flow", 200.0, _DARK_GREEN, f"{GAZ}; Pillan's "
              "1997 dark deposit ~400 km (McEwen et al. 1998)", aspect=0.8),
    IoFeature("Babbar dark deposits", -39.8, 272.2, "halo", 170.0, rgb8(70, 66, 56), MOSAIC),
    IoFeature("Babbar Patera", -39.8, 272.2, "patera", 75.0, _DARK, f"{GAZ}; {MOSAIC}"),
    IoFeature("Tvashtar Paterae", 62.8, 123.5, "ring", 330.0, rgb8(190, 120, 80),
              f"{GAZ}; red ring after the 2000 eruption (Galileo SSI)", inner_km=250.0),
    IoFeature("Tvashtar vents", 62.8, 123.5, "flow", 80.0, _DARK, GAZ, aspect=0.3),
    IoFeature("Dazhbog Patera", 54.0, 301.5, "ring", 240.0, rgb8(188, 122, 84),
              f"{GAZ}; 2001 red ring (Galileo SSI)", inner_km=180.0),
    IoFeature("Surt", 45.0, 336.0, "ring", 210.0, rgb8(186, 124, 86), GAZ, inner_km=160.0),
    IoFeature("Marduk Fluctus", -27.4, 209.7, "flow", 140.0, _DARK, GAZ, aspect=0.6),
    IoFeature("Culann Patera", -19.9, 160.2, "ring", 180.0, rgb8(200, 120, 70), GAZ,
              inner_km=90.0),
    IoFeature("Culann flows", -19.9, 160.2, "flow", 90.0, _DARK_GREEN, GAZ, aspect=0.5),
    IoFeature("Amirani", 24.5, 114.7, "flow", 200.0, _DARK, f"{GAZ}; ~300 km flow field",
              aspect=0.3, tilt_deg=60.0),
    IoFeature("Maui", 18.5, 122.0, "flow", 90.0, _DARK, GAZ, aspect=0.5),
    IoFeature("Zamama", 18.0, 173.0, "flow", 110.0, _DARK, GAZ, aspect=0.35, tilt_deg=-20.0),
    IoFeature("Janus Patera", -3.0, 39.0, "patera", 50.0, _DARK, GAZ),
    IoFeature("Kanehekili Fluctus", -17.8, 35.6, "flow", 90.0, _DARK, GAZ, aspect=0.5),
    IoFeature("Masubi", -45.5, 55.6, "flow", 220.0, _DARK, GAZ, aspect=0.25, tilt_deg=10.0),
    IoFeature("Ra Patera", -8.6, 325.3, "flow", 160.0, rgb8(92, 70, 44), GAZ, aspect=0.6),
    IoFeature("Isum Patera", 29.9, 206.5, "patera", 45.0, _DARK, GAZ),
    IoFeature("Girru", 22.3, 237.0, "patera", 40.0, _DARK, GAZ),
    IoFeature("Gish Bar Patera", 16.2, 90.3, "patera", 55.0, _DARK, GAZ),
    IoFeature("Kurdalagon Patera", -49.0, 217.0, "patera", 50.0, _DARK, GAZ),
    IoFeature("Tupan Patera", -18.6, 141.1, "patera", 38.0, _DARK_GREEN, GAZ),
    IoFeature("Camaxtli Patera", 15.0, 137.0, "patera", 40.0, _DARK, GAZ),
    IoFeature("Emakong Patera", -3.2, 119.1, "patera", 50.0, _DARK, GAZ),
    IoFeature("Chaac Patera", 12.0, 157.0, "patera", 50.0, _DARK_GREEN, GAZ),
    IoFeature("Hi'iaka Patera", -3.5, 79.2, "patera", 40.0, _DARK, GAZ),
    IoFeature("Mulungu Patera", 17.0, 218.0, "patera", 30.0, _DARK, GAZ),
    IoFeature("Reiden Patera", -13.9, 235.6, "patera", 40.0, _DARK, GAZ),
    IoFeature("Heno Patera", -57.0, 312.0, "patera", 45.0, _DARK, GAZ),
    IoFeature("Svarog Patera", -48.0, 268.0, "patera", 40.0, _DARK, GAZ),
)

# Named mountains (Schenk et al. 2001, JGR 106, 33201: 115 mountains, mean length 157 km, mean
# height 6.3 km). (name, lat, wlon, length km, width km, height km, azimuth of the long axis °
# from north toward east, source). Positions are where the mountain's relief is centred.
IO_MOUNTAINS: tuple[tuple[str, float, float, float, float, float, float, str], ...] = (
    # three massifs on a raised plain north-west of Pele; the summit of South Boösaule, 17.5 ± 3 km
    # (Schenk et al. 2001), lies at 9.9° S 271.2° W in a stereo DEM of Io (White et al. 2014,
    # JGR Planets 119, 1276, as quoted in public notes); extent by eye
    ("Boösaule Montes (South)", -9.9, 271.2, 190.0, 110.0, 17.5, 20.0,
     "Schenk et al. 2001 (height); DEM summit (White et al. 2014); size by eye"),
    ("Boösaule Montes (North)", -3.5, 268.0, 150.0, 70.0, 9.0, -10.0,
     "Schenk et al. 2001 (three massifs NW of Pele); place and size by eye"),
    # Tohil Mons: 5.4 km high; Galileo mosaic PIA03600 (Oct 2001) centred at 28° S 161° W
    ("Tohil Mons", -28.0, 161.0, 130.0, 80.0, 5.4, 40.0, "NASA/JPL PIA03600; size by eye"),
)

# Broad SO₂-frost-rich, grey-white regions where the USGS mosaic is whitest (centre lat, wlon,
# angular radius °), placed by eye on a 10°-cell table of the mosaic's whiteness (luminance minus
# saturation; not copied pixel by pixel): the equatorial white plains around 95–145° W and 185–235°
# W (+5…+35°: Colchis Regio), 355–15° W near the equator, 35–65° W at 25–45° S, and smaller
# patches at middle latitudes.
FROST_REGIONS: tuple[tuple[float, float, float], ...] = (
    (-5.0, 120.0, 22.0), (10.0, 145.0, 12.0), (20.0, 205.0, 20.0), (5.0, 190.0, 12.0),
    (-38.0, 50.0, 16.0), (0.0, 5.0, 16.0), (-15.0, 350.0, 10.0), (45.0, 240.0, 16.0),
    (62.0, 195.0, 8.0), (55.0, 75.0, 9.0), (-45.0, 125.0, 8.0), (55.0, 335.0, 7.0),
    (30.0, 35.0, 9.0), (-25.0, 215.0, 10.0),
)
# the frost region whose plains hold the fewest mountains (Colchis Regio; Schenk & Hargitai 1998,
# DPS abstract 54.07)
COLCHIS = (20.0, 200.0, 25.0)

# Where volcanic centres and mountains concentrate: Schenk et al. (2001) found both bimodal in
# longitude, mountains most frequent near 65° and 265° W, volcanic centres (paterae) offset ~90°
# from them, near the sub- and anti-Jovian regions (Radebaugh et al. 2001, JGR 106, 33005); both
# concentrated at low latitudes. Peaks (° W) and the Gaussian half-width (°) of the bumps:
MOUNTAIN_LON_PEAKS, PATERA_LON_PEAKS, LON_PEAK_WIDTH = (65.0, 265.0), (155.0, 335.0), 55.0
# Patera diameters: Radebaugh et al. (2001) measured 417 paterae, mean diameter 41 km (2–202 km);
# drawn log-normal with this median (km) and log-sigma, clipped to 8–200 km.
PATERA_MEDIAN_KM, PATERA_SIGMA, N_PATERAE = 32.0, 0.6, 330
N_MOUNTAINS = 115 - len(IO_MOUNTAINS)  # Schenk et al. (2001) catalogued 115
# Amplitude of the finest mottling (relative) at planetocentric latitudes (°), set band by band so
# that the map's small-scale power spectrum is the USGS mosaic's (docs/assets.md): the mosaic's
# equatorial plains are smoother than its middle latitudes.
FINE_MOTTLE: tuple[tuple[float, float], ...] = (
    (-90.0, 0.100), (-73.5, 0.100), (-61.5, 0.100), (-58.5, 0.043), (-46.5, 0.043),
    (-43.5, 0.048), (-31.5, 0.048), (-28.5, 0.047), (-16.5, 0.047), (-13.5, 0.053), (-1.5, 0.053),
    (1.5, 0.010), (13.5, 0.010), (16.5, 0.068), (28.5, 0.068), (31.5, 0.099), (43.5, 0.099),
    (46.5, 0.052), (58.5, 0.052), (61.5, 0.081), (73.5, 0.081), (90.0, 0.081),
)

def _km(x: float) -> float:
    return x / IO_RADIUS_KM


def _draw_feature(img: FloatArray, f: IoFeature, rng: np.random.Generator) -> None:
    a = _km(f.radius_km)
    b = a * f.aspect
    tilt = np.deg2rad(f.tilt_deg)
    pt = spot_patch(img.shape, f.lat, f.wlon, max(a, b) * 1.6)
    rho = ellipse_radius(pt, a, b, tilt)
    if f.kind == "patera":  # an irregular floor with a diffuse yellow-brown halo
        _patera(img, rng, f.lat, f.wlon, a, f.colour, rgb8(196, 170, 110), 2.2, 0.3)
    elif f.kind == "ring":
        ri = _km(f.inner_km) / a
        th = np.arctan2(pt.north, pt.east)
        ph = rng.uniform(0, 2 * np.pi, size=3)
        ragged = (1.0 + 0.035 * np.cos(3 * th + ph[0]) + 0.03 * np.cos(7 * th + ph[1])
                  + 0.02 * np.cos(13 * th + ph[2]))
        r = rho / ragged
        # a broad, diffuse deposit brightest just inside the outer edge, fading inward
        band = smoothstep(ri - 0.5, ri + 0.12, r) * smoothstep(1.2, 0.8, r)
        mix(img, pt, 0.85 * band, f.colour)
        # a paler orange haze outside, and a darker greyish interior with dark radial streaks
        mix(img, pt, 0.25 * smoothstep(1.5, 1.0, r) * smoothstep(0.9, 1.1, r), f.colour)
        inner = smoothstep(ri - 0.1, ri - 0.45, r)
        rays = np.clip(np.cos(5 * th + ph[0]) + 0.5 * np.cos(9 * th + ph[1]), 0, None) ** 2 / 2.25
        mix(img, pt, 0.3 * inner, rgb8(170, 136, 96))
        mix(img, pt, 0.35 * rays * smoothstep(ri * 0.9, 0.05, r), rgb8(82, 76, 62))
    elif f.kind == "horseshoe":
        ri = _km(f.inner_km) / a
        th = np.arctan2(pt.north, pt.east) - tilt
        gap = smoothstep(0.35, 0.75, np.cos(th))  # the open side
        ann = smoothstep(ri - 0.05, ri + 0.1, rho) * smoothstep(1.05, 0.9, rho)
        mix(img, pt, 0.95 * ann * (1 - 0.85 * gap), f.colour)
        mix(img, pt, 0.8 * smoothstep(ri, ri * 0.6, rho), rgb8(214, 200, 150))
        mix(img, pt, 0.5 * smoothstep(1.6, 1.05, rho) * smoothstep(0.95, 1.05, rho),
            rgb8(190, 160, 90))
    elif f.kind == "flow":
        th = np.arctan2(pt.north, pt.east)
        lobes = (1.0 + 0.12 * np.cos(2 * th + rng.uniform(0, 6))
                 + 0.08 * np.cos(5 * th + rng.uniform(0, 6)))
        mix(img, pt, 0.35 * smoothstep(1.0, 0.45, rho / lobes), f.colour)
        # lobate flows: along the field's long axis when it is elongated, else all around
        _flow_field(img, rng, f.lat, f.wlon, max(a, b) * 1.1, 5 if f.aspect < 0.6 else 6,
                    f.colour, 0.45, tilt if f.aspect < 0.6 else None, width=0.16)
    elif f.kind == "halo":
        mix(img, pt, 0.55 * smoothstep(1.0, 0.2, rho), f.colour)
    else:  # pragma: no cover - table typo
        raise ValueError(f"unknown Io feature kind {f.kind!r}")


def _lon_bumps(wlon_deg: FloatArray, peaks: tuple[float, ...], width: float) -> FloatArray:
    """Sum of Gaussian bumps in longitude (° W) centred on ``peaks``."""
    out = np.zeros_like(wlon_deg)
    for p in peaks:
        d = (wlon_deg - p + 180.0) % 360.0 - 180.0
        out = out + np.exp(-((d / width) ** 2))
    return out


def _sites(rng: np.random.Generator, n: int, density: Callable[[FloatArray, FloatArray], FloatArray]
           ) -> tuple[FloatArray, FloatArray]:
    """``n`` points on the sphere (lat, wlon in degrees) drawn with probability ∝ ``density(lat,
    wlon)`` (values in [0, 1]) by rejection from area-uniform candidates."""
    lats: list[float] = []
    lons: list[float] = []
    while len(lats) < n:
        z = rng.uniform(-1.0, 1.0, 4 * n)
        la = np.rad2deg(np.arcsin(z))
        lo = rng.uniform(0.0, 360.0, 4 * n)
        keep = rng.random(4 * n) < density(la, lo)
        lats.extend(la[keep].tolist())
        lons.extend(lo[keep].tolist())
    return np.asarray(lats[:n]), np.asarray(lons[:n])


def _field_at(field: FloatArray, lat_deg: FloatArray, wlon_deg: FloatArray) -> FloatArray:
    """Nearest-pixel values of a map-grid ``field`` at many points."""
    h, w = field.shape[:2]
    row = np.clip(np.floor((90.0 - lat_deg) / 180.0 * h).astype(int), 0, h - 1)
    col = np.floor((360.0 - wlon_deg % 360.0) / 360.0 * w).astype(int) % w
    return np.asarray(field[row, col])


def _cap_weight(lat_deg: FloatArray, wlon_deg: FloatArray, cap: tuple[float, float, float]
                ) -> FloatArray:
    """1 inside a cap (lat, wlon, radius °), fading to 0 at 1.5 radii."""
    c = unit_vector(np.deg2rad(cap[0]), np.deg2rad(cap[1]))
    p = unit_vector(np.deg2rad(lat_deg), np.deg2rad(wlon_deg))
    d = np.rad2deg(np.arccos(np.clip(p @ c, -1.0, 1.0)))
    return smoothstep(1.5 * cap[2], cap[2], d)


def _mountain(height: FloatArray, rng: np.random.Generator, lat: float, wlon: float,
              length_km: float, width_km: float, top_km: float, azimuth_deg: float,
              rough: FloatArray) -> None:
    """Add one mountain to the height map (km): an elongated block with an irregular outline, a
    steep scarp on one flank (a tilted crustal block) and a rough top; ``rough`` is a map-grid
    noise field (unit variance) for the roughness."""
    a, b = _km(length_km / 2.0), _km(width_km / 2.0)
    pt = spot_patch(height.shape, lat, wlon, a * 1.3)
    th0 = np.deg2rad(90.0 - azimuth_deg)  # long axis, radians from east toward north
    x = np.cos(th0) * pt.east + np.sin(th0) * pt.north
    y = -np.sin(th0) * pt.east + np.cos(th0) * pt.north
    th = np.arctan2(y / b, x / a)
    outline = np.ones_like(th)
    for k, amp in ((2, 0.12), (3, 0.1), (5, 0.07), (9, 0.04)):
        outline += amp * rng.uniform(0.3, 1.0) * np.cos(k * th + rng.uniform(0, 2 * np.pi))
    # a tilted block: the gentle slope on one side of the long axis, the scarp on the other
    tiltside = 1.0 if rng.random() < 0.5 else -1.0
    yy = y / b
    yy = np.where(yy * tiltside > 0, yy * rng.uniform(1.6, 2.6), yy * rng.uniform(0.8, 1.0))
    rho = np.sqrt((x / a) ** 2 + yy**2) / outline
    r = get(rough[..., None], pt)[..., 0]
    kind = rng.random()
    if kind < 0.5:  # plateau / mesa: flat, rough top, steep edges (half of Io's mountains)
        prof = smoothstep(1.0, 0.7, rho) * (0.85 + 0.15 * r)
    else:  # ridge, peak or massif: rising to a crest
        prof = np.clip(1.0 - rho, 0.0, 1.0) ** rng.uniform(0.7, 1.3) * (1.0 + 0.25 * r)
    sub = get(height[..., None], pt)[..., 0]
    put(height, pt, np.maximum(sub, top_km * np.clip(prof, 0.0, None)))


def _hillshade(height_km: FloatArray, lat: FloatArray, azimuth_deg: float = 110.0,
               elevation_deg: float = 35.0) -> FloatArray:
    """Lambertian shading of a height map (km) relative to flat ground, lit from ``azimuth_deg``
    (from north toward east) at ``elevation_deg``: 1 on flat ground, > 1 on slopes facing the
    light, < 1 (down to 0) on slopes facing away."""
    h, w = height_km.shape
    dy = np.pi * IO_RADIUS_KM / h
    dx = 2.0 * np.pi * IO_RADIUS_KM * np.maximum(np.cos(lat), 0.02)[:, None] / w
    # east is toward larger column (smaller west longitude); north is toward smaller row
    hx = (np.roll(height_km, -1, axis=1) - np.roll(height_km, 1, axis=1)) / (2.0 * dx)
    hy = np.zeros_like(height_km)
    hy[1:-1] = (height_km[:-2] - height_km[2:]) / (2.0 * dy)
    az, el = np.deg2rad(azimuth_deg), np.deg2rad(elevation_deg)
    lx, ly, lz = np.cos(el) * np.sin(az), np.cos(el) * np.cos(az), np.sin(el)
    cos_i = (-hx * lx - hy * ly + lz) / np.sqrt(1.0 + hx**2 + hy**2)
    return np.asarray(np.clip(cos_i, 0.0, None) / lz, dtype=np.float64)


def _patera(img: FloatArray, rng: np.random.Generator, lat: float, wlon: float, r: float,
            floor: RGB, halo: RGB | None, halo_extent: float = 2.5,
            halo_opacity: float = 0.5) -> None:
    """An irregular patera (scalloped outline, floor darkest at the margin, partly covered) of mean
    radius ``r`` radians, with an optional diffuse halo."""
    ext = r * max(1.6, halo_extent) * 1.3
    pt = spot_patch(img.shape, lat, wlon, ext)
    # elongated along a random direction, with a lobed, scalloped outline
    rot = rng.uniform(0, np.pi)
    stretch = rng.uniform(1.0, 1.6)
    x = (np.cos(rot) * pt.east + np.sin(rot) * pt.north) / np.sqrt(stretch)
    y = (-np.sin(rot) * pt.east + np.cos(rot) * pt.north) * np.sqrt(stretch)
    th = np.arctan2(y, x)
    dist = np.hypot(x, y)
    outline = np.ones_like(th)
    for k, amp in ((2, 0.3), (3, 0.2), (5, 0.12), (8, 0.08), (13, 0.05)):
        outline += amp * rng.uniform(0.3, 1.0) * np.cos(k * th + rng.uniform(0, 2 * np.pi))
    # angular, scalloped edges: fold the outline
    outline = 0.8 + 0.3 * np.abs(outline - 0.3)
    rho = dist / r / outline
    if halo is not None:
        hth = rng.uniform(0, 2 * np.pi, 2)
        lobes = 1.0 + 0.25 * np.cos(2 * th + hth[0]) + 0.15 * np.cos(3 * th + hth[1])
        mix(img, pt, halo_opacity * smoothstep(halo_extent, 1.0, rho / lobes) ** 1.5, halo)
    # floors: darkest at the margins (cooled crust), a little brighter inside, and partly covered
    # (lobes of paler, older floor or substrate reaching in from the margin on one or two sides)
    shade = rng.uniform(0.8, 1.2) * (0.8 + 0.35 * smoothstep(1.0, 0.2, rho))
    ph = rng.uniform(0, 2 * np.pi, 2)
    lobes = 0.5 * np.cos(int(rng.integers(1, 3)) * th + ph[0]) + 0.3 * np.cos(3 * th + ph[1])
    patchy = 1.0 - 0.6 * smoothstep(0.2, 0.8, lobes) * smoothstep(0.1, 0.8, rho)
    col = np.asarray(floor)[None, None, :] * shade[..., None]
    alpha = rng.uniform(0.5, 0.8) * smoothstep(1.1, 0.6, rho) * patchy
    mix(img, pt, alpha, col)


def _flow_field(img: FloatArray, rng: np.random.Generator, lat: float, wlon: float,
                length: float, n_flows: int, colour: RGB, opacity: float = 0.85,
                direction: float | None = None, width: float = 0.2) -> None:
    """Lobate lava flows radiating from a centre: each a wandering chain of elongated blobs that
    narrows downstream and may fork, ending in a wider lobe, ``length`` radians long; with
    ``direction`` (radians from east, toward north) they run along that axis, both ways, instead
    of all around. ``width``: the flows' width at the source as a fraction of ``length``."""
    pt = spot_patch(img.shape, lat, wlon, length * 1.3)
    alpha = np.zeros(pt.dist.shape)
    base = rng.uniform(0, 2 * np.pi)
    steps = 14
    for j in range(n_flows):
        if direction is None:
            ang = base + 2 * np.pi * j / n_flows + rng.uniform(-0.5, 0.5)
        else:
            ang = direction + np.pi * (j % 2) + rng.uniform(-0.4, 0.4)
        flen = length * rng.uniform(0.45, 1.0)
        wid0 = length * width * rng.uniform(0.6, 1.3)
        dark = rng.uniform(0.7, 1.0)  # older flows are paler
        branches = [(0.0, 0.0, ang, 0)]
        while branches:
            x, y, a, k0 = branches.pop()
            for k in range(k0, steps):
                a += rng.normal(0, 0.3)
                x += np.cos(a) * flen / steps
                y += np.sin(a) * flen / steps
                lobe = 1.6 if k == steps - 1 else 1.0
                wid = wid0 * (1.0 - 0.55 * k / steps) * rng.uniform(0.7, 1.3) * lobe
                d = np.sqrt((pt.east - x) ** 2 + (pt.north - y) ** 2) / wid
                alpha = np.maximum(alpha, smoothstep(1.0, 0.45, d) * dark)
                if k > 3 and rng.random() < 0.07 and len(branches) < 2:
                    branches.append((x, y, a + rng.choice([-0.7, 0.7]), k + 1))
    shade = 0.8 + 0.4 * rng.random()
    mix(img, pt, opacity * alpha, np.asarray(colour) * shade)


def generate_io(h: int, w: int, rng: np.random.Generator) -> FloatArray:
    """Io's colour map, ``(h, w, 3)`` float sRGB in [0, 1] (see the module docstring)."""
    lat, wlon = pixel_centres(h, w)
    lat_d = np.rad2deg(lat)[:, None]
    n1 = sphere_fbm(rng, h, w, octaves=5, base_freq=1.5, gain=0.45, warp=0.6)
    n2 = sphere_fbm(rng, h, w, octaves=5, base_freq=3.0, gain=0.45, warp=0.3)
    n3 = sphere_fbm(rng, h, w, octaves=4, base_freq=6.0)
    n4 = sphere_fbm(rng, h, w, octaves=5, base_freq=7.0, warp=0.5)  # layered plains, mesas
    nr = sphere_fbm(rng, h, w, octaves=3, base_freq=0.8)  # regional palette
    nd = detail_noise(rng, h, w)
    nd3 = np.stack([nd, nd, nd], axis=-1)
    yellow = np.asarray(rgb8(172, 156, 96))
    ochre = np.asarray(rgb8(166, 132, 88))
    green = np.asarray(rgb8(144, 138, 92))
    # colour units with soft boundaries at several scales; the regional noise shifts the balance
    # between greenish-yellow and orange-ochre provinces
    t1 = smoothstep(-0.4, 0.5, n1 + 0.35 * n3 + 0.5 * nr)[..., None]
    img = yellow * (1 - 0.85 * t1) + ochre * 0.85 * t1
    tg = (0.6 * smoothstep(0.3, 0.9, n2 + 0.3 * n3 - 0.4 * nr))[..., None]
    img = img * (1 - tg) + green * tg
    tb = (0.25 * smoothstep(0.8, 1.3, n3 - 0.3 * n1))[..., None]
    img = img * (1 - tb) + np.asarray(rgb8(150, 104, 66)) * tb
    # layered plains: paler, scarp-bounded mesas (Williams et al. 2011, USGS SIM 3168: "layered
    # plains"), and the terraced height of their scarps for the relief below
    mesa = (0.3 * smoothstep(0.55, 0.62, n4) * smoothstep(-0.8, 0.2, n1))[..., None]
    img = img * (1 - mesa) + np.asarray(rgb8(206, 188, 132)) * mesa
    # regional albedo: broad brighter and darker provinces, and patches of ~100–300 km
    n_mid = sphere_fbm(rng, h, w, octaves=3, base_freq=10.0, gain=0.5, warp=0.2)
    img *= (1.0 + 0.085 * n1 + 0.06 * n_mid)[..., None]
    # SO2 frost: broad, diffuse grey-white regions (by eye on the USGS mosaic), patchy inside
    lat_g = np.broadcast_to(lat_d, (h, w))
    wlon_g = np.broadcast_to(np.rad2deg(wlon)[None, :], (h, w))
    frost_w = np.zeros((h, w))
    for cap in FROST_REGIONS:
        frost_w = np.maximum(frost_w, _cap_weight(lat_g, wlon_g, (cap[0], cap[1], cap[2] * 0.85)))
    veil = (0.55 * frost_w * smoothstep(-1.6, 0.0, n3 + 0.5 * n2))[..., None]
    img = img * (1 - veil) + np.asarray(rgb8(188, 184, 166)) * veil
    core = (frost_w * smoothstep(0.0, 0.9, n3 + 0.4 * n2)
            + 0.5 * smoothstep(1.5, 1.9, n3 + 0.3 * n1))
    fmask = np.clip(0.3 * core, 0, 1)[..., None]
    img = img * (1 - fmask) + np.asarray(rgb8(200, 196, 184)) * fmask
    # reddish-orange short-chain-sulfur patches, mostly at middle and high latitudes
    tr = (0.4 * smoothstep(25.0, 50.0, np.abs(lat_d)) * smoothstep(0.3, 0.7, n2 - 0.4 * n1)
          * (1 - fmask[..., 0]))[..., None]
    img = img * (1 - tr) + np.asarray(rgb8(178, 100, 62)) * tr
    # darker, redder-brown polar regions beyond ~45–50°, mottled
    polar = np.asarray(rgb8(128, 98, 68))
    tp = 0.78 * smoothstep(42.0, 75.0, np.abs(lat_d)) * (0.7 + 0.3 * smoothstep(-0.3, 0.3, n2))
    img = img * (1 - tp[..., None]) + polar * (1.0 + 0.2 * n1 + 0.1 * n3 + 0.04 * nd)[
        ..., None] * tp[..., None]
    img = np.clip(img, 0.0, 1.0)
    # --- relief: mountains (Schenk et al. 2001) and the scarps of the layered plains --------------
    height = 0.25 * smoothstep(0.55, 0.65, n4) * smoothstep(-0.8, 0.2, n1)

    def mountain_density(la: FloatArray, lo: FloatArray) -> FloatArray:
        lon = 0.35 + _lon_bumps(lo, MOUNTAIN_LON_PEAKS, LON_PEAK_WIDTH)
        return np.asarray(lon / 1.4 * smoothstep(78.0, 65.0, np.abs(la))
                          * (1.0 - 0.85 * _cap_weight(la, lo, COLCHIS)))

    mlat, mlon = _sites(rng, N_MOUNTAINS, mountain_density)
    for la, lo in zip(mlat, mlon, strict=True):
        length = float(np.clip(rng.lognormal(np.log(130.0), 0.5), 40.0, 570.0))
        width = length * float(rng.uniform(0.25, 0.7))
        top = float(np.clip(rng.lognormal(np.log(5.5), 0.45), 1.0, 13.0))
        az = float(rng.uniform(0, 180))
        for k in range(int(rng.integers(1, 4))):
            # massifs of one to three blocks strung along the long axis
            off = _km(length) * (0.35 * k) * float(rng.uniform(0.6, 1.2))
            sub_lat = float(la) + np.rad2deg(off * np.cos(np.deg2rad(az)))
            sub_lon = float(lo) - np.rad2deg(off * np.sin(np.deg2rad(az))) / np.cos(np.deg2rad(la))
            _mountain(height, rng, float(np.clip(sub_lat, -85, 85)), float(sub_lon),
                      length * (1.0 - 0.25 * k), width * float(rng.uniform(0.6, 1.1)),
                      top * (1.0 - 0.3 * k), az + float(rng.normal(0, 20)), nd)
    for _name, la0, lo0, length, width, top, az, _src in IO_MOUNTAINS:
        _mountain(height, rng, la0, lo0, length, width, top, az, nd)
    relief = smoothstep(0.3, 2.0, height)[..., None]
    # mountain material: paler tan-brown, with frost on some summits
    img = img * (1 - 0.35 * relief) + np.asarray(rgb8(176, 150, 104)) * 0.35 * relief
    shade = _hillshade(height, lat)
    img = img * np.clip(1.0 + 0.9 * (shade - 1.0), 0.5, 1.4)[..., None]
    img = np.clip(img, 0.0, 1.0)
    # --- volcanic centres: paterae clustered in longitude and latitude, with flows and deposits --
    nc = sphere_fbm(rng, 128, 256, octaves=3, base_freq=2.5)

    def patera_density(la: FloatArray, lo: FloatArray) -> FloatArray:
        lon = 0.12 + _lon_bumps(lo, PATERA_LON_PEAKS, LON_PEAK_WIDTH)
        latw = 0.3 + np.exp(-((la / 40.0) ** 2))
        clus = np.exp(0.6 * (_field_at(nc, la, lo) - 1.5))
        return np.asarray(np.clip(lon / 1.12 * latw / 1.3 * clus, 0.0, 1.0))

    plat, pwlon = _sites(rng, N_PATERAE, patera_density)
    diam = np.clip(rng.lognormal(np.log(PATERA_MEDIAN_KM), PATERA_SIGMA, N_PATERAE), 8.0, 200.0)
    order = np.argsort(-diam, kind="stable")  # big ones first, small ones on top
    floors = (rgb8(52, 46, 36), _DARK_GREEN, rgb8(84, 66, 46), rgb8(112, 106, 76), rgb8(196, 188, 150))
    for i in order:
        la, lo, r = float(plat[i]), float(pwlon[i]), _km(float(diam[i]) / 2.0)
        u = rng.random()
        # lava flows from about a quarter of the larger paterae
        if diam[i] > 25.0 and u < 0.2 and abs(la) < 60.0:
            length = min(r * float(rng.uniform(3.0, 8.0)), _km(350.0))
            col = (_DARK, _DARK_GREEN, rgb8(84, 64, 44), rgb8(104, 96, 70))[int(rng.integers(4))]
            _flow_field(img, rng, la, lo, length, int(rng.integers(1, 6)), col,
                        opacity=float(rng.uniform(0.2, 0.45)), width=float(rng.uniform(0.1, 0.2)))
        v = rng.random()
        # deposits: a few red (S2-rich) plume rings, bright SO2 halos, dark pyroclastics
        if v < 0.05:
            pt = spot_patch(img.shape, la, lo, r * 9.0)
            ring = (smoothstep(3.0, 6.0, pt.dist / r) * smoothstep(8.5, 6.0, pt.dist / r)
                    * (0.6 + 0.4 * smoothstep(-0.5, 0.5, get(nd3, pt)[..., 0])))
            mix(img, pt, 0.45 * ring, rgb8(198, 104, 60))
            halo: RGB | None = rgb8(200, 140, 90)
        elif v < 0.25:
            halo = rgb8(214, 210, 190)
        elif v < 0.5:
            halo = rgb8(112, 102, 78)
        elif v < 0.75:
            halo = rgb8(206, 194, 136)
        else:
            halo = None
        fl = floors[int(rng.choice(5, p=[0.22, 0.3, 0.22, 0.16, 0.1]))]
        _patera(img, rng, la, lo, r, fl, halo, float(rng.uniform(2.0, 5.0)),
                float(rng.uniform(0.2, 0.45)))
    for f in IO_FEATURES:
        _draw_feature(img, f, rng)
    # fine mottling, and small-scale detail with a slight hue shift
    fine = np.interp(lat_d, *np.asarray(FINE_MOTTLE).T)
    img *= (1.0 + 0.01 * n3 + 0.01 * n2 + fine * nd)[..., None]
    img[..., 2] *= 1.0 - 0.02 * nd
    # muted toward grey-olive (the mosaic is less saturated than pure sulfur colours)
    grey = img.mean(axis=-1, keepdims=True)
    img = np.asarray(grey + 0.88 * (img - grey), dtype=np.float64)
    return np.clip(img, 0.0, 1.0)
