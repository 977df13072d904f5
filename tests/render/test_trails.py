"""Trails on the GPU (viewer.render.passes.trails): the head exactly at the body from 50 m to 10⁴ km, the
fade along the tail, precision near the camera, occlusion by Jupiter, the Io-relative hyperbola 1,500 km
above Io at closest approach, constant pixel width, and exposure untouched by trails.

Images are read as coverage (the HDR target's alpha): a trail writes alpha = coverage × opacity."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.render.camera import Camera, look_rotation
from viewer.render.passes.trails import TrailsPass, TrailStyle
from viewer.render.view import View
from viewer.sim.timescales import utc_to_et
from viewer.sim.trails import make_trail
from viewer.sim.world import Snapshot

pytestmark = pytest.mark.gl

SIZE = (320, 240)
CA = utc_to_et("2023-12-30T08:36:00.836")


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _alpha(ctx, trails, snap: Snapshot, cam: Camera, style: TrailStyle | None = None) -> np.ndarray:
    """Coverage × opacity of the trails alone, (H, W), top row first."""
    from viewer.render.targets import HDRTarget

    target = HDRTarget(ctx, SIZE)
    trails_pass = TrailsPass(ctx, trails, style)
    view = View(snap, cam, target.render_size)
    trails_pass.prepare(view)
    target.clear()
    with target:
        trails_pass.draw(view)
    return target.read()[:, :, 3]


def _pixels(alpha: np.ndarray, threshold: float) -> np.ndarray:
    """Centres (x right, y down) of the pixels whose alpha exceeds ``threshold``, (n, 2)."""
    rows, cols = np.nonzero(alpha > threshold)
    return np.stack([cols + 0.5, rows + 0.5], axis=1)


def _side_camera(snap: Snapshot, frame: str, distance_km: float, fov_deg: float = 40.0) -> Camera:
    """A camera ``distance_km`` from Juno, off its path (perpendicular to its velocity relative to
    ``frame``), looking past Juno so that Juno sits left of the image centre."""
    v = _unit(snap.velocities["juno"] - snap.velocities[frame])
    side = _unit(np.cross(v, snap.positions["juno"] - snap.positions[frame]))
    third = np.cross(side, v)
    eye = snap.positions["juno"] + distance_km * side
    return Camera(eye, look_rotation(-side + 0.3 * third, v), fov_deg)


def _drawn(snap: Snapshot, trail_frame: str, et: float, world) -> np.ndarray:
    """Juno's position at ``et`` relative to ``trail_frame``, placed around that body's position now."""
    p = world.state("juno", et)[0] - (world.state(trail_frame, et)[0] if trail_frame != "jupiter" else 0.0)
    return snap.positions[trail_frame] + p


@pytest.mark.parametrize("frame", ["io", "jupiter"])
@pytest.mark.parametrize("offset_s", [-1200.0, -300.0, 0.0, 420.0, 1140.0])
@pytest.mark.parametrize("distance_km", [0.05, 2000.0])
def test_head_is_at_the_body(gl_context, world, frame, offset_s, distance_km) -> None:
    et = CA + offset_s
    snap = world.at(et)
    trail = make_trail(world, "juno", frame, et, 1800.0, 0.0)
    cam = _side_camera(snap, frame, distance_km)
    alpha = _alpha(gl_context, [trail], snap, cam)
    head = cam.project(snap.positions["juno"], *SIZE)[0]
    assert 20 < head[0] < SIZE[0] - 20 and 20 < head[1] < SIZE[1] - 20
    # Toward the tail on screen: along the last chord, from Juno toward the last sample before now
    # (the sampling keeps that chord within 1e-4 rad of the path).
    k = int(np.searchsorted(trail.et, et)) - 1
    last = snap.positions[frame] + trail.positions_km[k]
    toward = snap.positions["juno"] + 1e-3 * distance_km / np.linalg.norm(last - snap.positions["juno"]) \
        * (last - snap.positions["juno"])
    u = _unit(cam.project(toward, *SIZE)[0] - head)
    lit = _pixels(alpha, 0.02)
    along = (lit - head) @ u
    assert along.min() >= -1.0, f"the line runs {-along.min():.2f} px past the body"
    near = np.linalg.norm(_pixels(alpha, 0.4) - head, axis=1).min()
    assert near <= 1.0, f"the line stops {near:.2f} px short of the body"
    across = np.abs((lit - head) @ np.array([-u[1], u[0]]))
    assert across[along < 20].max() <= 2.0  # near the head the line lies on Juno's path


def test_line_through_a_sample_seen_from_50_m(gl_context, world) -> None:
    """Precision: a camera 50 m from a past point of Juno's Jupiter-relative trail (422,000 km from
    Jupiter's centre, where float32 alone resolves ~30 m) sees the line through that point within 1 px."""
    et = CA + 600.0
    snap = world.at(et)
    trail = make_trail(world, "juno", "jupiter", et, 1800.0, 0.0)
    i = int(np.searchsorted(trail.et, CA))  # a sample near closest approach
    point = trail.positions_km[i]
    v = _unit(world.state("juno", trail.et[i])[1])
    side = _unit(np.cross(v, point))
    eye = point + 0.05 * side
    cam = Camera(eye, look_rotation(-side, v), 40.0)
    alpha = _alpha(gl_context, [trail], snap, cam)
    centre = np.array(SIZE, dtype=float) / 2.0
    assert np.allclose(cam.project(point, *SIZE)[0], centre, atol=1e-6)
    lit = _pixels(alpha, 0.4)
    assert lit.size and np.linalg.norm(lit - centre, axis=1).min() <= 1.0
    # The line's direction there is the path's.
    u = _unit(cam.project(point - 1e-4 * v, *SIZE)[0] - centre)
    near = lit[np.linalg.norm(lit - centre, axis=1) < 40]
    assert np.abs((near - centre) @ np.array([-u[1], u[0]])).max() <= 1.5


def test_fade_is_monotonic_along_the_tail(gl_context, world) -> None:
    et = CA + 300.0
    snap = world.at(et)
    past = 600.0
    trail = make_trail(world, "juno", "io", et, past, 0.0)
    io = snap.positions["io"]
    normal = _unit(np.cross(snap.positions["juno"] - io, snap.velocities["juno"] - snap.velocities["io"]))
    middle = _drawn(snap, "io", et - past / 2, world)
    cam = Camera(middle + 45000.0 * normal, look_rotation(-normal, snap.velocities["juno"]), 30.0)
    alpha = _alpha(gl_context, [trail], snap, cam)
    ages = np.linspace(0.03, 0.97, 40) * past
    xy = cam.project(np.array([_drawn(snap, "io", et - a, world) for a in ages]), *SIZE)[0]
    assert np.all((xy > 3) & (xy < np.array(SIZE) - 3)), "the tail must lie inside the image"
    col, row = np.floor(xy[:, 0]).astype(int), np.floor(xy[:, 1]).astype(int)
    seen = np.array([alpha[r - 1:r + 2, c - 1:c + 2].max() for r, c in zip(row, col, strict=True)])
    expected = 1.0 - ages / past
    assert np.all(np.diff(seen) <= 0.01), "opacity must fall with age"
    assert np.abs(seen - expected).max() < 0.05
    assert alpha.max() <= 1.0


def test_trail_behind_jupiter_leaves_jupiter_untouched(gl_context, world) -> None:
    """Io's orbit seen from inside it: the far side passes behind Jupiter's disc (log depth)."""
    from viewer.render.exposure import ToneSettings
    from viewer.render.renderer import Renderer, RenderSettings

    et = CA
    snap = world.at(et)
    pole = snap.rotations["jupiter"][:, 2]
    io_dir = _unit(snap.positions["io"])
    away = _unit(np.cross(pole, io_dir))  # in the orbit plane, 90 degrees from Io
    eye = -300000.0 * away + 10000.0 * pole
    cam = Camera(eye, look_rotation(-eye, pole), 40.0)
    trail = make_trail(world, "io", "jupiter", et)
    settings = RenderSettings(size=SIZE, supersample=1, tone=ToneSettings(exposure=0.0),
                              hide=frozenset({"io", "europa", "ganymede", "callisto", "juno", "stars"}))
    images = []
    for trails in ([], [trail]):
        renderer = Renderer(gl_context, settings, trails=trails)
        renderer.draw(snap, cam)
        images.append(renderer.hdr.read())
    plain, with_trail = images
    jupiter = plain[:, :, 3] > 0.0
    # The orbit's projection crosses Jupiter's disc...
    xy, depth = cam.project(trail.positions_km, *SIZE)
    inside = (depth > 0) & np.all((xy >= 0) & (xy < np.array(SIZE)), axis=1)
    cols, rows = xy[inside, 0].astype(int), xy[inside, 1].astype(int)
    assert jupiter[rows, cols].sum() > 10
    # ...and leaves its pixels as they were, while it is drawn beside the disc.
    assert np.array_equal(with_trail[jupiter], plain[jupiter])
    assert (with_trail[~jupiter, 3] > 0.05).sum() > 100


def test_io_relative_trail_passes_1500_km_above_io(gl_context, world) -> None:
    et = CA + 300.0
    snap = world.at(et)
    trail = make_trail(world, "juno", "io", et, 1800.0, 0.0)
    ca = world.at(CA)
    rel_ca = ca.positions["juno"] - ca.positions["io"]
    # The embedded trajectory: closest approach 1,500 km above Io's ellipsoid.
    surface = ca.subpoint("io", ca.positions["juno"]).body_fixed_km
    altitude = np.linalg.norm(rel_ca @ ca.rotations["io"] - np.asarray(surface))
    assert abs(altitude - 1500.0) < 1.0
    io = snap.positions["io"]
    normal = _unit(np.cross(rel_ca, ca.velocities["juno"] - ca.velocities["io"]))
    cam = Camera(io + 40000.0 * normal, look_rotation(-normal, rel_ca), 20.0)
    alpha = _alpha(gl_context, [trail], snap, cam)
    centre = cam.project(io, *SIZE)[0]
    expected = cam.project(io + rel_ca, *SIZE)[0]
    r_expected = np.linalg.norm(expected - centre)
    assert r_expected > 40.0  # 3,316 km from Io's centre is ~57 px here
    # The drawn line's distance from Io's centre along the closest-approach direction.
    u = _unit(expected - centre)
    radii = np.arange(r_expected - 10.0, r_expected + 10.0, 0.125)
    pts = centre + radii[:, None] * u
    weights = alpha[np.floor(pts[:, 1]).astype(int), np.floor(pts[:, 0]).astype(int)]
    assert weights.sum() > 0
    r_drawn = float((weights * radii).sum() / weights.sum())
    assert abs(r_drawn - r_expected) <= 2.0


@pytest.mark.parametrize("ratio", [1.0, 2.0])
def test_width_is_constant_in_pixels_near_and_far(gl_context, world, ratio) -> None:
    """Juno's trail from 50 m away, receding to ~30 km: the same width at both ends of the image."""
    et = CA
    snap = world.at(et)
    trail = make_trail(world, "juno", "io", et, 1800.0, 0.0)
    v = _unit(snap.velocities["juno"] - snap.velocities["io"])
    side = _unit(np.cross(v, snap.positions["juno"] - snap.positions["io"]))
    eye = snap.positions["juno"] + 0.05 * side + 0.03 * v  # ahead of Juno, looking back along the trail
    cam = Camera(eye, look_rotation(-0.6 * side - v, np.cross(side, v)), 60.0)
    alpha = _alpha(gl_context, [trail], snap, cam, TrailStyle(width_px=2.0, pixel_ratio=ratio))
    head = cam.project(snap.positions["juno"], *SIZE)[0]
    points = [_drawn(snap, "io", et - s, world) for s in (1e-4, 1.0)]
    ends = cam.project(np.array(points), *SIZE)
    assert ends[1][1] > 100.0 * ends[1][0]  # from ~50 m to ~30 km away
    far_end = ends[0][1]
    u = _unit(far_end - head)
    n = np.array([-u[1], u[0]])
    lit = _pixels(alpha, 0.0)
    a = alpha[alpha > 0.0]
    along, across = (lit - head) @ u, np.abs((lit - head) @ n)
    length = np.linalg.norm(far_end - head)
    widths = []
    for a0 in (0.2 * length, 0.8 * length):  # near Juno, then far along the trail
        band = (np.abs(along - a0) <= 8.0) & (across < 6.0 * ratio)
        widths.append(a[band].sum() / 16.0)
    assert widths[0] == pytest.approx(2.0 * ratio, abs=0.25)
    assert widths[1] == pytest.approx(2.0 * ratio, abs=0.25)


def test_trails_do_not_change_the_auto_exposure(gl_context, world) -> None:
    from viewer.render.renderer import Renderer, RenderSettings

    et = CA + 240.0
    snap = world.at(et)
    trail = make_trail(world, "juno", "io", et, 1800.0, 600.0)
    io = snap.positions["io"]
    cam = Camera(io + np.array([0.0, 0.0, 20000.0]), look_rotation(np.array([0.0, 0.0, -1.0]),
                                                                   np.array([0.0, 1.0, 0.0])), 40.0)
    settings = RenderSettings(size=SIZE, supersample=1, hide=frozenset({"stars", "juno"}))
    evs, lit = [], []
    for trails in ([], [trail]):
        frame = Renderer(gl_context, settings, trails=trails).render(snap, cam)
        evs.append(frame.ev)
        lit.append(int((frame.image.max(axis=2) > 0).sum()))
    assert evs[0] == evs[1]
    assert lit[1] > lit[0]  # the trail is in the picture
