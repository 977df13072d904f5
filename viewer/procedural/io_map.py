"""Procedural colour map of Io (planetocentric latitude, west longitude; USGS layout).

How it is made: seeded fractal noise on the sphere, thresholded with narrow steps, lays colour
units with fairly sharp edges (sulfur yellows, ochres, olive greens, browns); SO₂ frost sits in
sharp-edged bright cores inside diffuse grey veils, in broad regions placed where the USGS
Galileo/Voyager mosaic shows them; reddish sulfur patches lie mostly poleward of ~30°; the polar
caps are darker, mottled red-browns. Then lava-flow fields (lobate flows radiating from a centre
as wandering chains of blobs, some with red-orange deposits), irregular sharp-edged anonymous
paterae with halos, and the table of named volcanic features (:data:`IO_FEATURES`) — dark
paterae, plume-deposit rings (Pele's red ring), Loki's dark horseshoe, lobate flow fields.

Feature coordinates are planetocentric latitude and west longitude (degrees) as given by the USGS
Gazetteer of Planetary Nomenclature (https://planetarynames.wr.usgs.gov/, values rounded) unless
stated; sizes of deposits were measured by eye on the USGS Galileo SSI/Voyager colour mosaic
("Io Galileo SSI / Voyager Global Mosaic ClrMerge 2km", USGS Astrogeology); colours are sRGB
picked by eye from that mosaic and Galileo SSI images. None of these are measurements for science.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.procedural.features import RGB, ellipse_radius, get, mix, rgb8, spot_patch
from viewer.procedural.mapgrid import pixel_centres, smoothstep, unit_vector
from viewer.procedural.noise import detail_noise, sphere_fbm

FloatArray = npt.NDArray[np.float64]

IO_RADIUS_KM = 1821.5  # mean radius (IAU 2015 / pck00011; FACTS.md §3)

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
_RED = rgb8(200, 98, 56)
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
    IoFeature("Prometheus", -1.6, 153.3, "ring", 150.0, rgb8(236, 232, 206), f"{GAZ}; {MOSAIC}",
              inner_km=80.0),
    IoFeature("Prometheus flows", -1.6, 156.0, "flow", 110.0, _DARK, f"{GAZ}; {MOSAIC}",
              aspect=0.35, tilt_deg=0.0),
    IoFeature("Pillan Patera", -12.0, 243.0, "flow", 200.0, _DARK_GREEN, f"{GAZ}; Pillan's "
              "1997 dark deposit ~400 km (McEwen et al. 1998)", aspect=0.8),
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

# Broad bright SO₂-frost-rich regions where the USGS mosaic is white/grey (centre lat, wlon,
# angular radius °), placed by eye; e.g. the equatorial white plains around 140–210° W
# (Bosphorus/Colchis regiones) and the bright patches near 40–80° W.
FROST_REGIONS: tuple[tuple[float, float, float], ...] = (
    (8.0, 185.0, 24.0), (-12.0, 165.0, 16.0), (22.0, 150.0, 14.0), (-5.0, 60.0, 18.0),
    (-30.0, 45.0, 14.0), (28.0, 40.0, 14.0), (58.0, 330.0, 10.0), (-35.0, 110.0, 12.0),
    (40.0, 200.0, 12.0), (-20.0, 300.0, 8.0),
)


def _km(x: float) -> float:
    return x / IO_RADIUS_KM


def _draw_feature(img: FloatArray, f: IoFeature, rng: np.random.Generator) -> None:
    a = _km(f.radius_km)
    b = a * f.aspect
    tilt = np.deg2rad(f.tilt_deg)
    pt = spot_patch(img.shape, f.lat, f.wlon, max(a, b) * 1.6)
    rho = ellipse_radius(pt, a, b, tilt)
    if f.kind == "patera":
        mix(img, pt, 0.95 * smoothstep(1.0, 0.7, rho), f.colour)
        ring = np.exp(-(((rho - 1.25) / 0.3) ** 2))
        mix(img, pt, 0.25 * ring, rgb8(200, 150, 80))
    elif f.kind == "ring":
        ri = _km(f.inner_km) / a
        th = np.arctan2(pt.north, pt.east)
        ph = rng.uniform(0, 2 * np.pi, size=3)
        ragged = (1.0 + 0.035 * np.cos(3 * th + ph[0]) + 0.03 * np.cos(7 * th + ph[1])
                  + 0.02 * np.cos(13 * th + ph[2]))
        r = rho / ragged
        band = smoothstep(ri - 0.3, ri + 0.08, r) * smoothstep(1.08, 0.82, r)
        mix(img, pt, 0.85 * band, f.colour)
        # paler orange interior with faint dark radial streaks from the vent
        inner = smoothstep(ri + 0.02, ri - 0.25, r)
        rays = np.clip(np.cos(11 * th + ph[0]), 0, 1) ** 4
        mix(img, pt, 0.45 * inner, rgb8(208, 150, 100))
        mix(img, pt, 0.1 * inner * rays * smoothstep(ri, 0.1, r), rgb8(96, 80, 60))
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
        mix(img, pt, 0.5 * smoothstep(1.0, 0.45, rho / lobes), f.colour)
        # lobate flows: along the field's long axis when it is elongated, else all around
        _flow_field(img, rng, f.lat, f.wlon, max(a, b) * 1.1, 6 if f.aspect < 0.6 else 7,
                    f.colour, 0.8, tilt if f.aspect < 0.6 else None)
    elif f.kind == "halo":
        mix(img, pt, 0.55 * smoothstep(1.0, 0.2, rho), f.colour)
    else:  # pragma: no cover - table typo
        raise ValueError(f"unknown Io feature kind {f.kind!r}")


def _patera(img: FloatArray, rng: np.random.Generator, lat: float, wlon: float, r: float,
            floor: RGB, halo: RGB | None, halo_extent: float = 2.5) -> None:
    """An irregular, sharp-edged patera (scalloped outline, darker mottled floor) of mean
    radius ``r`` radians, with an optional diffuse halo."""
    ext = r * max(1.6, halo_extent) * 1.3
    pt = spot_patch(img.shape, lat, wlon, ext)
    # elongated along a random direction, with a lobed, scalloped outline
    rot = rng.uniform(0, np.pi)
    stretch = rng.uniform(1.0, 2.2)
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
        mix(img, pt, 0.5 * smoothstep(halo_extent, 1.0, rho), halo)
    # floors: darkest at the margins (cooled crust), a little brighter inside
    shade = rng.uniform(0.8, 1.2) * (0.8 + 0.35 * smoothstep(1.0, 0.2, rho))
    col = np.asarray(floor)[None, None, :] * shade[..., None]
    mix(img, pt, 0.95 * smoothstep(1.0, 0.9, rho), col)


def _flow_field(img: FloatArray, rng: np.random.Generator, lat: float, wlon: float,
                length: float, n_flows: int, colour: RGB, opacity: float = 0.85,
                direction: float | None = None) -> None:
    """Lobate lava flows radiating from a centre: each a wandering chain of elongated blobs that
    narrows downstream, ``length`` radians long; with ``direction`` (radians from east, toward
    north) they run along that axis, both ways, instead of all around."""
    pt = spot_patch(img.shape, lat, wlon, length * 1.3)
    alpha = np.zeros(pt.dist.shape)
    base = rng.uniform(0, 2 * np.pi)
    for j in range(n_flows):
        if direction is None:
            ang = base + 2 * np.pi * j / n_flows + rng.uniform(-0.5, 0.5)
        else:
            ang = direction + np.pi * (j % 2) + rng.uniform(-0.4, 0.4)
        x = y = 0.0
        flen = length * rng.uniform(0.5, 1.0)
        steps = 10
        wid0 = length * rng.uniform(0.16, 0.28)
        for k in range(steps):
            ang += rng.normal(0, 0.35)
            x += np.cos(ang) * flen / steps
            y += np.sin(ang) * flen / steps
            wid = wid0 * (1.0 - 0.5 * k / steps) * rng.uniform(0.7, 1.4)
            d2 = ((pt.east - x) ** 2 + (pt.north - y) ** 2) / wid**2
            alpha = np.maximum(alpha, smoothstep(1.0, 0.75, np.sqrt(d2)) * rng.uniform(0.7, 1.0))
    shade = 0.8 + 0.4 * rng.random()
    mix(img, pt, opacity * alpha, np.asarray(colour) * shade)


def generate_io(h: int, w: int, rng: np.random.Generator) -> FloatArray:
    """Io's colour map, ``(h, w, 3)`` float sRGB in [0, 1] (see the module docstring)."""
    lat, wlon = pixel_centres(h, w)
    n1 = sphere_fbm(rng, h, w, octaves=6, base_freq=1.5, warp=0.6)
    n2 = sphere_fbm(rng, h, w, octaves=6, base_freq=3.0, warp=0.3)
    n3 = sphere_fbm(rng, h, w, octaves=4, base_freq=6.0)
    yellow = np.asarray(rgb8(192, 168, 98))
    ochre = np.asarray(rgb8(184, 142, 90))
    green = np.asarray(rgb8(150, 140, 80))
    frost = np.asarray(rgb8(214, 212, 204))
    polar = np.asarray(rgb8(116, 90, 64))
    # colour units with fairly sharp boundaries at several scales
    t1 = smoothstep(-0.1, 0.25, n1 + 0.35 * n3)[..., None]
    img = yellow * (1 - 0.85 * t1) + ochre * 0.85 * t1
    tg = (0.7 * smoothstep(0.5, 0.8, n2 + 0.3 * n3))[..., None]
    img = img * (1 - tg) + green * tg
    tb = (0.3 * smoothstep(0.9, 1.2, n3 - 0.3 * n1))[..., None]
    img = img * (1 - tb) + np.asarray(rgb8(150, 104, 66)) * tb
    # SO2 frost: broad regions (by eye on the USGS mosaic) broken up by noise, plus scattered patches
    p = unit_vector(lat[:, None], wlon[None, :])
    frost_w = np.zeros((h, w))
    for flat, fwlon, rad in FROST_REGIONS:
        c = unit_vector(np.deg2rad(flat), np.deg2rad(fwlon))
        d = np.arccos(np.clip(p @ c, -1, 1))
        frost_w = np.maximum(frost_w, smoothstep(np.deg2rad(rad), np.deg2rad(rad) * 0.4, d))
    fmask = np.clip(frost_w * smoothstep(-0.9, -0.6, n3 + 0.4 * n2)
                    + 0.8 * smoothstep(1.4, 1.6, n3 + 0.3 * n1), 0, 1)[..., None]
    # a diffuse pale-grey veil around the bright, sharp-edged frost cores
    veil = (0.45 * frost_w * smoothstep(-1.5, -0.9, n3 + 0.4 * n2))[..., None]
    img = img * (1 - veil) + np.asarray(rgb8(198, 196, 186)) * veil
    img = img * (1 - 0.85 * fmask) + frost * 0.85 * fmask
    # reddish-orange short-chain-sulfur patches, mostly at middle and high latitudes
    lat_d = np.rad2deg(lat)[:, None]
    tr = (0.4 * smoothstep(25.0, 50.0, np.abs(lat_d)) * smoothstep(0.3, 0.7, n2 - 0.4 * n1)
          * (1 - fmask[..., 0]))[..., None]
    img = img * (1 - tr) + np.asarray(rgb8(178, 100, 62)) * tr
    # fine mottling, and small-scale detail with a slight hue shift
    nd = detail_noise(rng, h, w)
    nd3 = np.stack([nd, nd, nd], axis=-1)
    img *= (1.0 + 0.06 * n3 + 0.04 * n2 + 0.035 * nd)[..., None]
    img[..., 2] *= 1.0 - 0.05 * nd
    # darker, redder-brown polar regions beyond ~50°
    lat_deg = np.rad2deg(lat)
    tp = (0.75 * smoothstep(45.0, 72.0, np.abs(lat_deg)))[:, None, None]
    tp = tp * (0.7 + 0.3 * smoothstep(-0.3, 0.3, n2))[..., None]
    img = img * (1 - tp) + polar * (1.0 + 0.12 * n1 + 0.1 * n3 + 0.08 * nd)[..., None] * tp
    img = np.clip(img, 0.0, 1.0)
    # lava-flow fields radiating from some centres, with red/orange deposits around the active ones
    for _ in range(28):
        plat = float(np.rad2deg(np.arcsin(rng.uniform(-0.9, 0.9))))
        pw = rng.uniform(0, 360)
        length = _km(float(rng.uniform(80, 260)))
        if rng.random() < 0.35:
            pt = spot_patch(img.shape, plat, pw, length * 1.8)
            halo = smoothstep(1.8, 0.3, pt.dist / length)
            mix(img, pt, 0.45 * halo * (0.6 + 0.4 * smoothstep(-0.5, 0.5, get(nd3, pt)[..., 0])),
                rgb8(196, 102, 58))
        col = (_DARK, _DARK_GREEN, rgb8(84, 64, 44))[int(rng.integers(3))]
        _flow_field(img, rng, plat, pw, length, int(rng.integers(2, 6)), col, opacity=0.6)
    # anonymous paterae: irregular, sharp-edged, some with red or bright halos
    for _ in range(200):
        z = rng.uniform(-0.97, 0.97)
        plat = float(np.rad2deg(np.arcsin(z)))
        pw = rng.uniform(0, 360)
        r = _km(float(np.exp(rng.uniform(np.log(12), np.log(55)))))
        u = rng.random()
        halo_col = (rgb8(196, 104, 64) if u < 0.12 else rgb8(230, 226, 206) if u < 0.22
                    else rgb8(150, 140, 90) if u < 0.45 else rgb8(214, 200, 130) if u < 0.6 else None)
        col = (_DARK, _DARK_GREEN, rgb8(78, 60, 42))[int(rng.choice(3, p=[0.4, 0.3, 0.3]))]
        _patera(img, rng, plat, pw, r, col, halo_col, float(rng.uniform(1.8, 3.5)))
    for f in IO_FEATURES:
        _draw_feature(img, f, rng)
    # muted toward grey-olive (the mosaic is less saturated than pure sulfur colours)
    grey = img.mean(axis=-1, keepdims=True)
    img = np.asarray(grey + 0.88 * (img - grey), dtype=np.float64)
    return np.clip(img, 0.0, 1.0)
