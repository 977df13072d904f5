"""Maps on the bodies have no speckles: over many views (the 0/360 deg seam and the 180 deg meridian
in sight, several latitudes, distances and image sizes) every fully covered pixel of a smooth, high-contrast
map shows the map's own colour at the surface point it sees (numpy ray cast + ``textures.pixels_of``),
never the colour of a low mip level (the map's mean), which a jump of the texture coordinate inside a
2x2 pixel quad selects (issue 11: ~540 stray pixels on the gallery's Jupiter)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from raycast import surface_points

from viewer.render.camera import Camera, look_rotation
from viewer.render.textures import pixels_of, srgb_to_linear
from viewer.sim.constants import BODIES
from viewer.sim.frames import lat_wlon, vector_from_lat_wlon
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import World

pytestmark = pytest.mark.gl

MAP_W, MAP_H = 1024, 512
# Sub-camera points (planetocentric latitude, west longitude; degrees): the 0/360 seam at the centre and
# off-centre, the 180 meridian, the quarter meridians where the shader may switch parameterisations.
VIEWS = [(0.0, 0.0), (0.0, 180.0), (30.0, 355.0), (-40.0, 170.0), (55.0, 90.0), (-20.0, 270.0),
         (10.0, 45.0), (-60.0, 300.0)]
# (image size, distances from Io's centre in radii): the disc ~90 % and ~35 % of the frame height
SIZES = [((320, 240), (2.4, 6.0)), ((203, 151), (2.4, 6.0))]
FOV_DEG = 50.0
# Pixels whose 3x3 neighbourhood spans more than this part of the map in s or t are left out: there
# (the poles, the limb) the mipmap rightly blurs a large part of the map.
MAX_FOOTPRINT = 1.0 / 64.0


@pytest.fixture(scope="module")
def snap():
    return World().at(utc_to_et("2023-12-30T08:36:00.836"))


def _phase(lat: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The map's hue angle (radians) at planetocentric latitude ``lat`` (radians) and ``s`` = east
    longitude / 2 pi: smooth and periodic in longitude, one hue cycle around the body."""
    return 2.0 * np.pi * s + lat


def _colour_map() -> np.ndarray:
    """(H, W, 3) encoded map: three cosines 120 deg apart, so every texel is at least 0.25 away from
    the map's mean (0.5 grey) in some channel."""
    s = (np.arange(MAP_W) + 0.5) / MAP_W
    lat = np.radians(90.0 - 180.0 * (np.arange(MAP_H) + 0.5) / MAP_H)
    phi = _phase(lat[:, None], s[None, :])
    rgb = [0.5 + 0.5 * np.cos(phi - k * 2.0 * np.pi / 3.0) for k in range(3)]
    return np.stack(rgb, -1).astype(np.float32)


def _emission_map() -> np.ndarray:
    """(H, W) emission values in [0, 1], a smooth cosine whose mean is 0.5."""
    return _colour_map()[:, :, 0]


def _camera(snap, lat_deg: float, wlon_deg: float, radii: float) -> Camera:
    centre, rot = snap.positions["io"], snap.rotations["io"]
    out = rot @ vector_from_lat_wlon(math.radians(lat_deg), math.radians(wlon_deg))
    return Camera(centre + radii * BODIES["io"].mean_radius_km * out, look_rotation(-out, rot[:, 2]), FOV_DEG)


def _expected(snap, cam: Camera, size: tuple[int, int], values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The map's value (H, W, C) at the point each pixel centre sees, and where the mipmap should read
    it nearly unblurred (the footprint of the pixel's neighbourhood is small)."""
    centre, rot = snap.positions["io"], snap.rotations["io"]
    pts, _ = surface_points(cam, size, centre, rot, BODIES["io"].radii_km)
    lat, wlon = lat_wlon((pts - centre) @ rot)
    hit = np.isfinite(lat)
    lat_deg = np.degrees(np.where(hit, lat, 0.0))
    wlon_deg = np.degrees(np.where(hit, wlon, 0.0))
    rows, cols = pixels_of(lat_deg, wlon_deg, MAP_W, MAP_H)
    s = np.where(hit, (360.0 - wlon_deg) / 360.0, np.nan)
    t = np.where(hit, (90.0 - lat_deg) / 180.0, np.nan)
    span = np.zeros(lat.shape)
    for a, wrap in ((s, True), (t, False)):
        for d in (np.diff(a, axis=0, append=np.nan), np.diff(a, axis=1, append=np.nan)):
            d = np.abs(d - np.round(d)) if wrap else np.abs(d)
            span = np.maximum(span, np.where(np.isfinite(d), d, np.inf))
    # the largest step anywhere in the pixel's 3x3 neighbourhood (every 2x2 quad it may belong to)
    padded = np.pad(span, 1, constant_values=np.inf)
    near = np.max([padded[1 + dy:1 + dy + span.shape[0], 1 + dx:1 + dx + span.shape[1]]
                   for dy in (-1, 0, 1) for dx in (-1, 0, 1)], axis=0)
    return values[rows, cols], hit & (near < MAX_FOOTPRINT)


def _renders(gl_context, snap, maps: dict, light: set[str]):
    """((lat, wlon, radii, size), camera, snapshot, HDR radiance + coverage) for every view, size and
    distance, with the Sun moved behind the camera so that the whole visible face is lit."""
    from viewer.render.renderer import HIDEABLE, Renderer, RenderSettings

    io = snap.positions["io"]
    for size, distances in SIZES:
        settings = RenderSettings(size=size, supersample=1, light=frozenset(light),
                                  hide=frozenset(h for h in HIDEABLE if h != "io"))
        r = Renderer(gl_context, settings, maps=maps)
        for lat, wlon in VIEWS:
            for radii in distances:
                cam = _camera(snap, lat, wlon, radii)
                away = (cam.position_km - io) / np.linalg.norm(cam.position_km - io)
                lit = snap.__class__(snap.et, {**snap.positions, "sun": io + 7.8e8 * away}, snap.velocities,
                                     snap.rotations)
                r.draw(lit, cam)
                yield (lat, wlon, radii, size), cam, lit, r.hdr.read()


def test_albedo_map_has_no_stray_pixels(gl_context, snap) -> None:
    """Every fully covered, lit pixel has the chromaticity of the map at its surface point (the light
    only scales a pixel's colour) within 0.02; the map's mean (grey) is >= 0.1 away everywhere."""
    linear = srgb_to_linear(_colour_map())
    checked, worst = 0, []
    for view, cam, lit, rgba in _renders(gl_context, snap, {"io": _colour_map()}, {"sun"}):
        expect, ok = _expected(lit, cam, view[3], linear)
        got = rgba[:, :, :3].astype(np.float64)
        total = got.sum(-1)
        ok &= (rgba[:, :, 3] > 0.999) & (total > 0.05 * total.max())
        chroma = got[ok] / total[ok, None]
        chroma_ref = expect[ok] / expect[ok].sum(-1, keepdims=True)
        err = np.abs(chroma - chroma_ref).max(-1)
        checked += int(ok.sum())
        bad = err > 0.02
        if bad.any():
            worst.append((view, int(bad.sum()), float(err.max())))
    assert checked > 100_000
    assert not worst, worst


def test_emission_map_has_no_stray_pixels(gl_context, snap) -> None:
    """Io's emission alone (the hot-spots path, no sunlight): every fully covered pixel reads the
    emission map's value at its surface point times the radiance of 1, within 2 % + 0.01 of the radiance
    of 1 (the map changes by up to 0.003 from one texel to the next; the nearest texel is the reference);
    the map's mean, 0.5, is what a stray pixel would read."""
    from viewer.render.passes.bodies import EmissionMap

    values = _emission_map()
    scale = EmissionMap.io_hotspots(values).rgb[0]
    maps = {"io": _colour_map(), "io_hotspots": values}
    checked, worst = 0, []
    for view, cam, lit, rgba in _renders(gl_context, snap, maps, {"hotspots"}):
        expect, ok = _expected(lit, cam, view[3], values[:, :, None] * scale)
        ok &= rgba[:, :, 3] > 0.999
        got, ref = rgba[:, :, 0][ok], expect[:, :, 0][ok]
        bad = np.abs(got - ref) > 0.02 * ref + 0.01 * scale
        checked += int(ok.sum())
        if bad.any():
            worst.append((view, int(bad.sum()),
                          float(np.abs(got - ref).max() / scale)))
    assert checked > 100_000
    assert not worst, worst
