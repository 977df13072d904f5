"""The ray-cast bodies against independent geometry: limb radius, flattening, the Lambert law with the
calibrated albedo, the lit side toward the Sun, map orientation, determinism."""

from __future__ import annotations

import math

import numpy as np
import pytest
from raycast import sunside_camera, surface_points

from viewer.render.camera import Camera, look_rotation
from viewer.sim.constants import BODIES
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import World

pytestmark = pytest.mark.gl

W, H = 320, 240
I57 = "2023-12-30T08:36:00.836"


def _hide_all_but(body: str) -> frozenset[str]:
    from viewer.render.renderer import HIDEABLE

    return frozenset(h for h in HIDEABLE if h != body)


@pytest.fixture(scope="module")
def snap():
    return World().at(utc_to_et(I57))


def _renderer(ctx, body: str, maps=None, supersample: int = 1):
    from viewer.render.renderer import Renderer, RenderSettings

    # Sunlight only: Jupitershine (tests/render/test_jupitershine.py) would light the night side. No
    # detail below the maps' resolution (tests/render/test_detail_render.py): the laws are tested per pixel.
    return Renderer(ctx, RenderSettings(size=(W, H), supersample=supersample, hide=_hide_all_but(body),
                                        light=frozenset({"sun", "eclipses"}), detail=False), maps=maps)


def _coverage(renderer) -> np.ndarray:
    return renderer.hdr.read()[:, :, 3]


def test_jupiter_limb_radius_and_flattening(gl_context, snap) -> None:
    """Horizontal radius = f·tan(asin(a/d)); vertical = f·c/sqrt(d² − a²) (tangents to the meridian
    ellipse from a point in its plane), both within 1.5 px; their ratio shows the 6.5 % flattening."""
    a, _, c = BODIES["jupiter"].radii_km
    d = 330_000.0
    pole = snap.rotations["jupiter"][:, 2]
    # A direction in Jupiter's equatorial plane (sub-observer latitude exactly 0).
    eq = np.cross(pole, [1.0, 0.0, 0.0])
    eq /= np.linalg.norm(eq)
    centre = snap.positions["jupiter"]
    fov = 30.0
    cam = Camera(centre + d * eq, look_rotation(-eq, pole), fov)
    r = _renderer(gl_context, "jupiter")
    r.draw(snap, cam)
    cov = _coverage(r)
    f = (H / 2) / math.tan(math.radians(fov / 2))  # independent of the camera module
    expect_h = f * math.tan(math.asin(a / d))
    expect_v = f * c / math.sqrt(d * d - a * a)
    # The image centre lies between rows/columns H/2−1 and H/2: average the two chords.
    measured_h = 0.25 * (cov[H // 2 - 1].sum() + cov[H // 2].sum())
    measured_v = 0.25 * (cov[:, W // 2 - 1].sum() + cov[:, W // 2].sum())
    assert abs(measured_h - expect_h) < 1.5, (measured_h, expect_h)
    assert abs(measured_v - expect_v) < 1.5, (measured_v, expect_v)
    flattening = 1.0 - measured_v / measured_h
    assert abs(flattening - (1.0 - c / a)) < 0.005, flattening  # 0.0649


def _law_reference(body: str, mu0, mu, alpha):
    """Radiance under unit sunlight of a uniform map calibrated to the body's geometric albedo: Io's
    lunar-Lambert law (McEwen 1991, B = p), Jupiter's Minnaert law (A = p(2k+1)/2), else Lambert
    (A = 3p/2)."""
    from viewer.sim import photometry

    p = BODIES[body].geometric_albedo
    if body == "io":
        return photometry.io_reflectance(mu0, mu, alpha)
    if body == "jupiter":
        k = photometry.JUPITER_MINNAERT_K
        return photometry.minnaert_radiance(photometry.minnaert_albedo_scale(p, k), mu0, mu, k)
    return 1.5 * p * np.clip(mu0, 0.0, None)


@pytest.mark.parametrize("body", ["io", "europa"])
def test_reflectance_law_and_calibrated_albedo(gl_context, snap, body) -> None:
    """With a uniform map, every fully covered pixel reads the body's law times its calibrated albedo
    (Io: lunar-Lambert with B = p = 0.63; Europa: Lambert with A = 3p/2), within 2 %, at ~50° phase;
    the night side is exactly dark; the brightest quadrant faces the Sun."""
    centre = snap.positions[body]
    rot = snap.rotations[body]
    sun = snap.positions["sun"] - centre
    sun /= np.linalg.norm(sun)
    # ~50° phase, the disc filling ~60 % of the frame height
    cam = sunside_camera(snap, body, 1.2, 5.0 * BODIES[body].mean_radius_km, 30.0)
    r = _renderer(gl_context, body, maps={body: np.full((64, 128, 3), 0.5, np.float32)})
    r.draw(snap, cam)
    rgba = r.hdr.read()
    inside = rgba[:, :, 3] > 0.999
    pts, n = surface_points(cam, (W, H), centre, rot, BODIES[body].radii_km)
    view = cam.position_km - pts
    view /= np.linalg.norm(view, axis=-1, keepdims=True)
    mu0, mu = np.sum(n * sun, -1), np.sum(n * view, -1)
    alpha = np.arccos(np.clip(np.sum(view * sun, -1), -1.0, 1.0))
    ok = inside & np.isfinite(mu0)
    assert ok.sum() > 5000
    expect = _law_reference(body, mu0[ok], mu[ok], alpha[ok])
    expect *= snap.sun_visible_fraction(centre, exclude=(body,))
    got = rgba[:, :, 0][ok]
    day = expect > 0.05
    assert day.sum() > 3000
    assert np.allclose(got[day], expect[day], rtol=0.02, atol=0.003)
    night = mu0[ok] < -0.02
    assert night.sum() > 500 and float(np.abs(got[night]).max()) == 0.0
    # The brightest quadrant of the disc is the one the Sun's direction points into.
    sx, sy = (sun @ cam.rotation)[:2]
    ys, xs = np.nonzero(inside)
    cx, cy = xs.mean(), ys.mean()
    quads = {(qx, qy): rgba[:, :, 0][ys[(np.sign(xs - cx) == qx) & (np.sign(cy - ys) == qy)],
                                    xs[(np.sign(xs - cx) == qx) & (np.sign(cy - ys) == qy)]].mean()
             for qx in (-1, 1) for qy in (-1, 1)}
    assert max(quads, key=quads.__getitem__) == (np.sign(sx), np.sign(sy))


def test_map_orientation_spot_lands_where_projected(gl_context, snap) -> None:
    """A map with one bright spot at 20° N, 300° W: the spot's pixel is where the camera projects that
    surface point (west longitudes, IAU orientation, map convention): the centroid within 1.5 px."""
    from viewer.render.textures import pixel_of
    from viewer.sim.frames import vector_from_lat_wlon

    lat, wlon = 20.0, 300.0
    hgt, wid = 512, 1024
    m = np.full((hgt, wid, 3), 0.3, np.float32)
    row, col = pixel_of(lat, wlon, wid, hgt)
    m[row - 2:row + 3, col - 2:col + 3] = (1.0, 0.0, 0.0)
    io = snap.positions["io"]
    rot = snap.rotations["io"]
    unit = vector_from_lat_wlon(math.radians(lat), math.radians(wlon))
    radii = np.asarray(BODIES["io"].radii_km)
    point_body = unit / math.sqrt(float(np.sum((unit / radii) ** 2)))
    point = io + rot @ point_body
    out = rot @ unit
    cam = Camera(io + 6000.0 * out, look_rotation(-out, rot[:, 2]), 40.0)
    # Light it from the camera's side so the spot is lit wherever the Sun really is.
    lit = snap.__class__(snap.et, {**snap.positions, "sun": io + 7.8e8 * out}, snap.velocities,
                         snap.rotations)
    r = _renderer(gl_context, "io", maps={"io": m})
    r.draw(lit, cam)
    rgb = r.hdr.read()[:, :, :3]
    redness = rgb[:, :, 0] - rgb[:, :, 1]
    ys, xs = np.nonzero(redness > 0.5 * redness.max())  # the spot's pixels; their centroid
    assert 0 < ys.size < 100
    (px, py), _ = cam.project(point, W, H)
    assert math.hypot(xs.mean() + 0.5 - px, ys.mean() + 0.5 - py) < 1.5


def test_same_still_twice_identical_and_not_blank(gl_context) -> None:
    from viewer.still import make_still

    kw = {"camera": "orbit:io:10:200:10000", "size": (W, H), "context": gl_context, "hide": "stars"}
    a = make_still(**kw)
    b = make_still(**kw)
    assert a.image.tobytes() == b.image.tobytes()
    assert a.linear.tobytes() == b.linear.tobytes()
    assert a.image.max() > 100 and (a.image.reshape(-1, 3).max(axis=1) < 5).mean() > 0.2


def test_juno_in_front_of_io_occludes_it(gl_context, snap) -> None:
    """Juno 40 m from the camera with Io filling the background: wherever Juno is drawn (a render
    without Io shows where), the full scene shows Juno's radiance, not Io's."""
    from viewer.render.renderer import Renderer, RenderSettings

    juno, io = snap.positions["juno"], snap.positions["io"]
    away = (juno - io) / np.linalg.norm(juno - io)
    cam = Camera(juno + 0.04 * away, look_rotation(-away, snap.rotations["io"][:, 2]), 60.0)
    sunward = {**snap.positions, "sun": io + 7.8e8 * away}  # light Io's visible face and Juno alike
    lit = snap.__class__(snap.et, sunward, snap.velocities, snap.rotations)

    def draw(hide: set[str]) -> np.ndarray:
        r = Renderer(gl_context, RenderSettings(size=(W, H), supersample=1, hide=frozenset(hide),
                                                light=frozenset({"sun"})))
        r.draw(lit, cam)
        return r.hdr.read()

    others = {"jupiter", "europa", "ganymede", "callisto", "stars"}
    both = draw(others)
    juno_only = draw(others | {"io"})
    io_only = draw(others | {"juno"})
    on_juno = juno_only[:, :, 3] > 0.999
    assert 300 < on_juno.sum() < 0.8 * W * H
    assert (io_only[:, :, 3] > 0.999).mean() > 0.6  # Io fills most of the background
    np.testing.assert_array_equal(both[on_juno], juno_only[on_juno])
    assert np.abs(both[on_juno] - io_only[on_juno]).max() > 0.01  # the two differ there
