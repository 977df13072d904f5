"""The spacecraft pass (viewer.render.passes.spacecraft): pose, coverage, calibrated lighting, log depth.

Poses come from the embedded I57 trajectory (closest approach 2023-12-30T08:36:00.836 UTC); lighting
tests move the Sun in a copy of the snapshot to put it at a known angle to the spacecraft's axes.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest

from viewer.render.camera import Camera, camera_from_spec, log_depth, look_rotation
from viewer.render.meshes import MeshPart, ModelMesh, load_model
from viewer.render.passes.spacecraft import merge_parts, model_to_camera
from viewer.render.view import View
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import Snapshot, World

pytestmark = pytest.mark.gl

MODEL = Path(__file__).resolve().parents[2] / "models" / "juno.glb"
SIZE = (320, 240)
SUN_DISTANCE_KM = 7.8e8


@pytest.fixture(scope="module")
def model() -> ModelMesh:
    return load_model(MODEL)


@pytest.fixture(scope="module")
def snap() -> Snapshot:
    return World().at(utc_to_et("2023-12-30T08:36:00.836"))


def _to_j2000(snap: Snapshot, points_m: np.ndarray) -> np.ndarray:
    """Spacecraft-frame points (m) → J2000 jovicentric (km)."""
    return snap.positions["juno"] + (np.asarray(points_m, np.float64) * 1e-3) @ snap.rotations["juno"].T


def _with_sun(snap: Snapshot, direction_body: np.ndarray) -> Snapshot:
    """A copy of ``snap`` with the Sun far along ``direction_body`` (spacecraft frame) from Juno."""
    d = snap.rotations["juno"] @ (np.asarray(direction_body, np.float64) / np.linalg.norm(direction_body))
    positions = dict(snap.positions)
    positions["sun"] = snap.positions["juno"] + SUN_DISTANCE_KM * d
    return dataclasses.replace(snap, positions=MappingProxyType(positions))


def _camera_at(snap: Snapshot, eye_m: np.ndarray, target_m: np.ndarray, up_body: np.ndarray,
               fov_deg: float = 60.0) -> Camera:
    """A camera at ``eye_m`` (spacecraft frame, metres) looking at ``target_m``."""
    eye, target = _to_j2000(snap, eye_m), _to_j2000(snap, target_m)
    return Camera(eye, look_rotation(target - eye, snap.rotations["juno"] @ up_body), fov_deg)


def _render(gl_context, model: ModelMesh, draws: list[tuple[Snapshot, Camera, dict]],
            size: tuple[int, int] = SIZE) -> np.ndarray:
    """Clear an HDR target and run each (snapshot, camera, pass attributes) draw in order; (H, W, 4)."""
    from viewer.render.passes.spacecraft import SpacecraftPass
    from viewer.render.targets import HDRTarget

    target = HDRTarget(gl_context, size)
    target.clear()
    spacecraft = SpacecraftPass(gl_context, model)
    views = [(View(s, camera, target.render_size), attrs) for s, camera, attrs in draws]
    for view, attrs in views:  # light and shader variants, before the target is bound
        for name, value in attrs.items():
            setattr(spacecraft, name, value)
        spacecraft.prepare(view)
    with target:
        for view, attrs in views:
            for name, value in attrs.items():
                setattr(spacecraft, name, value)
            spacecraft.draw(view)
    return target.read()


def _subset(model: ModelMesh, names: tuple[str, ...]) -> ModelMesh:
    return dataclasses.replace(model, parts=tuple(p for p in model.parts if p.name in names))


def _part(model: ModelMesh, name: str) -> MeshPart:
    return next(p for p in model.parts if p.name == name)


ALBEDO = {"light": frozenset(), "ambient_radiance": (1.0, 1.0, 1.0)}  # renders the albedo itself
SUNLIT = {"light": frozenset({"sun"}), "ambient_radiance": (0.0, 0.0, 0.0)}  # the Sun alone, no eclipses


# -- CPU side ---------------------------------------------------------------------------------------

def test_merge_parts_keeps_every_triangle_and_colour(model: ModelMesh) -> None:
    vertices, indices = merge_parts(model)
    assert len(vertices) == model.vertex_count and indices.size == 3 * model.triangle_count
    assert indices.max() == len(vertices) - 1
    first, last = model.parts[0], model.parts[-1]
    np.testing.assert_array_equal(vertices["a_color"][0], first.base_color[:3])
    np.testing.assert_array_equal(vertices["a_color"][-1], last.base_color[:3])
    np.testing.assert_array_equal(vertices["a_position"][-len(last.positions):], last.positions)
    # vertex colours win over the base colour
    tri = MeshPart("t", "", np.eye(3, dtype=np.float32), np.tile(np.float32([0, 0, 1]), (3, 1)),
                   np.array([[0, 1, 2]], np.uint32), np.float32([0.5, 0.5, 0.5, 1.0]),
                   np.float32([[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1]]))
    v, i = merge_parts(dataclasses.replace(model, parts=(first, tri)))
    np.testing.assert_array_equal(v["a_color"][-3:], np.eye(3))
    np.testing.assert_array_equal(i[-3:], len(first.positions) + np.arange(3))


def test_model_to_camera_matches_the_float64_pose(snap: Snapshot) -> None:
    camera = camera_from_spec("orbit:juno:30:40:0.04", snap)
    view = View(snap, camera, SIZE)
    rotation, translation = model_to_camera(view)
    point_m = np.array([3.0, -2.0, 4.5])
    expected = (_to_j2000(snap, point_m) - camera.position_km) @ camera.rotation
    # (the reference goes through J2000 coordinates ~4e5 km from Jupiter: float64 rounding ~1e-10 km)
    np.testing.assert_allclose(rotation @ (point_m * 1e-3) + translation, expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(np.linalg.norm(translation), 0.04, rtol=0, atol=1e-9)
    assert model_to_camera(view, body="voyager") is None


# -- GL ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", ["orbit:juno:30:40:0.04", "orbit:juno:-20:200:0.04",
                                  "orbit:juno:85:10:0.04"])
def test_juno_from_40_m_covers_its_projected_span(gl_context, model, snap, spec) -> None:
    camera = camera_from_spec(spec, snap)
    img = _render(gl_context, model, [(snap, camera, SUNLIT)])
    vertices, _ = merge_parts(model)
    px, depth = View(snap, camera, SIZE).project(_to_j2000(snap, vertices["a_position"]))
    assert depth.min() > 0.02  # the whole spacecraft is in front of the camera
    rows, cols = np.nonzero(img[..., 3] > 0)
    # pixel (c, r) is drawn when its centre (c + 0.5, r + 0.5) lies inside: span of covered pixels
    expected_cols = (math.ceil(px[:, 0].min() - 0.5), math.floor(px[:, 0].max() - 0.5))
    expected_rows = (math.ceil(px[:, 1].min() - 0.5), math.floor(px[:, 1].max() - 0.5))
    assert abs(cols.min() - expected_cols[0]) <= 2 and abs(cols.max() - expected_cols[1]) <= 2
    assert abs(rows.min() - expected_rows[0]) <= 2 and abs(rows.max() - expected_rows[1]) <= 2
    assert len(rows) > 600  # a real silhouette, not a few specks
    assert np.all(img[..., 3][img[..., 3] > 0] == 1.0)  # opaque (coverage 1)
    assert np.all(np.isfinite(img)) and img[..., :3].min() >= 0.0


def test_nothing_without_a_pose_or_out_of_view(gl_context, model, snap) -> None:
    camera = camera_from_spec("orbit:juno:30:40:0.04", snap)
    positions = {k: v for k, v in snap.positions.items() if k != "juno"}
    no_juno = dataclasses.replace(snap, positions=MappingProxyType(positions))
    away = Camera(camera.position_km, look_rotation(-camera.forward, camera.up), 60.0)
    for s, c in ((no_juno, camera), (snap, away)):
        img = _render(gl_context, model, [(s, c, SUNLIT)])
        assert not np.any(img)


def _erode(mask: np.ndarray, by: int = 2) -> np.ndarray:
    out = mask.copy()
    for axis in (0, 1):
        for shift in range(-by, by + 1):
            out &= np.roll(mask, shift, axis=axis)
    return out


@pytest.mark.parametrize("sun_body", [(0.0, 0.0, 1.0), (0.0, math.sin(1.0), math.cos(1.0)), None])
def test_sunlit_cells_read_albedo_times_cos_incidence(gl_context, model, snap, sun_body) -> None:
    """Looking down on solar panel wing_2_panel_2 (normal +Z): radiance / albedo = cos i on the panel,
    for the true Sun (None) and for two chosen directions; its back, seen from below, reads 0."""
    s = snap if sun_body is None else _with_sun(snap, np.array(sun_body))
    to_sun = s.positions["sun"] - s.positions["juno"]
    cos_i = float((to_sun / np.linalg.norm(to_sun)) @ s.rotations["juno"][:, 2])
    cells = _part(model, "wing_2_panel_2_cells")
    centre = 0.5 * (cells.positions.min(0) + cells.positions.max(0)).astype(np.float64)
    views = {}
    for name, z, parts in (("above", 6.0, ("wing_2_panel_2_cells", "wing_2_panel_2_frame")),
                           ("below", -6.0, ("wing_2_panel_2_back",))):
        camera = _camera_at(s, centre + np.array([0.5, 0.3, z]), centre, np.array([1.0, 0.0, 0.0]))
        lit = _render(gl_context, model, [(s, camera, SUNLIT)])
        albedo = _render(gl_context, model, [(s, camera, ALBEDO)])
        alone = _render(gl_context, _subset(model, parts), [(s, camera, ALBEDO)])
        inner = _erode(alone[..., 3] > 0)  # away from the panel's edges and the hinges
        assert inner.sum() > 3000
        np.testing.assert_array_equal(albedo[inner], alone[inner])  # nothing in front of the panel
        views[name] = (lit[inner, :3], albedo[inner, :3])
    lit, albedo = views["above"]
    ratio = lit / albedo
    assert cos_i > 0.5
    np.testing.assert_allclose(ratio, cos_i, rtol=0.1)
    np.testing.assert_allclose(np.median(ratio), cos_i, rtol=1e-3)
    back_lit, back_albedo = views["below"]
    assert back_albedo.min() > 0.0 and not np.any(back_lit)  # lit side brighter than the unlit side


def _quad(model: ModelMesh) -> ModelMesh:
    """A single-sided 4 x 4 m square in the spacecraft's XY plane at z = 10 m, normal +Z, albedo 0.5."""
    positions = np.float32([[-2, -2, 10], [2, -2, 10], [2, 2, 10], [-2, 2, 10]])
    square = MeshPart("square", "", positions, np.tile(np.float32([0, 0, 1]), (4, 1)),
                      np.array([[0, 1, 2], [0, 2, 3]], np.uint32), np.float32([0.5, 0.5, 0.5, 1.0]))
    return dataclasses.replace(model, parts=(square,))


@pytest.mark.parametrize(("eye_z", "sun_z", "expected"), [(1.0, 1.0, 0.5), (-1.0, -1.0, 0.5),
                                                         (-1.0, 1.0, 0.0), (1.0, -1.0, 0.0)])
def test_single_sided_sheet_is_lit_on_the_side_the_camera_sees(gl_context, model, snap,
                                                                eye_z, sun_z, expected) -> None:
    """A one-triangle-thick sheet (normal +Z) seen from either side: lit when the Sun is on the side
    the camera sees (the normal flips on back faces), dark when the Sun is on the other side."""
    s = _with_sun(snap, np.array([0.0, 0.3, sun_z]))
    cos_i = 1.0 / math.hypot(1.0, 0.3)
    centre = np.array([0.0, 0.0, 10.0])
    camera = _camera_at(s, centre + np.array([0.0, 0.0, eye_z]), centre, np.array([1.0, 0.0, 0.0]))
    img = _render(gl_context, _quad(model), [(s, camera, SUNLIT)])
    assert np.all(img[..., 3] == 1.0)
    np.testing.assert_allclose(img[..., :3], expected * cos_i, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("side", [1.0, -1.0])
def test_camera_1_m_from_a_panel_sees_only_that_side(gl_context, model, snap, side) -> None:
    """1 m from wing_2_panel_2 (2.2 × 2.65 m, 3 cm thick), looking straight and at 45° from the normal:
    the panel fills the frame with coverage 1, and wherever its near face is drawn alone, the whole
    model shows exactly that face (nothing behind it, no z-fighting with the other side 3 cm away)."""
    cells = _part(model, "wing_2_panel_2_cells")
    centre = 0.5 * (cells.positions.min(0) + cells.positions.max(0)).astype(np.float64)
    centre[2] -= 0.015  # mid-plane of the panel
    near_face = (("wing_2_panel_2_cells", "wing_2_panel_2_frame") if side > 0 else ("wing_2_panel_2_back",))
    lit = _with_sun(snap, np.array([0.0, 0.0, side]))
    for tilt_deg in (0.0, 45.0):
        t = math.radians(tilt_deg)
        eye = centre + np.array([0.0, 0.0, side * 0.015]) + np.array([0.0, math.sin(t), side * math.cos(t)])
        camera = _camera_at(lit, eye, centre, np.array([1.0, 0.0, 0.0]), fov_deg=35.0 if tilt_deg else 60.0)
        whole = _render(gl_context, model, [(lit, camera, SUNLIT)])
        alone = _render(gl_context, _subset(model, near_face), [(lit, camera, SUNLIT)])
        face = alone[..., 3] > 0
        assert np.all(whole[..., 3] == 1.0), "holes in the panel"
        # The cells and the frame strips meet in T-junctions (cell corners on frame edges), which can
        # leave a single-pixel crack in the face itself; where the face is drawn, it must win.
        assert face.mean() > 0.999
        np.testing.assert_array_equal(whole[face], alone[face])
        # flat: each pixel is the albedo of one of the face's materials (cos i = 1), no shading noise
        albedos = np.array([_part(model, name).base_color[:3] for name in near_face])
        error = np.abs(whole[face][:, None, :3] - albedos[None]).max(axis=2).min(axis=1)
        assert error.max() < 1e-6


def test_nearer_copy_wins_in_either_order(gl_context, model, snap) -> None:
    """Juno drawn at 30 m (red ambient) and at 60 m (blue ambient) into one target, in both orders:
    where both cover a pixel the nearer one shows, and the second draw lands in the target too (a
    ``make_current()`` inside ``draw`` once sent it to framebuffer 0)."""
    spin = snap.rotations["juno"][:, 2]
    near_cam = camera_from_spec("orbit:juno:40:100:0.03", snap)
    far_cam = Camera(near_cam.position_km - 0.03 * near_cam.forward, near_cam.rotation, 60.0)
    assert abs(far_cam.forward @ spin) < 1.0
    red = {"light": frozenset(), "ambient_radiance": (1.0, 0.0, 0.0)}
    blue = {"light": frozenset(), "ambient_radiance": (0.0, 0.0, 1.0)}
    near = _render(gl_context, model, [(snap, near_cam, red)])
    far = _render(gl_context, model, [(snap, far_cam, blue)])
    both = (near[..., 3] > 0) & (far[..., 3] > 0)
    far_only = (far[..., 3] > 0) & ~(near[..., 3] > 0)
    assert both.sum() > 500 and far_only.sum() > 100
    first, second = (snap, near_cam, red), (snap, far_cam, blue)
    for order in ([first, second], [second, first]):
        img = _render(gl_context, model, order)
        np.testing.assert_array_equal(img[both], near[both])
        np.testing.assert_array_equal(img[far_only], far[far_only])


def test_log_depth_against_a_surface_at_1000_km(gl_context, model, snap) -> None:
    """A full-screen surface at window depth 0.5 stands for a body ~10^3 km away: Juno at 40 m is drawn
    over it; Juno at 10^4 km (a telescopic view, 3·10^-4 degrees) is hidden behind it but drawn
    without it, at its projected size (float32 precision at that range)."""
    from vispy import gloo

    from viewer.render.passes import fullscreen_triangle
    from viewer.render.passes.spacecraft import SpacecraftPass
    from viewer.render.shaders import program_cache
    from viewer.render.targets import HDRTarget

    assert log_depth(0.04) < 0.5 < log_depth(1e4)
    fill = program_cache(gl_context).get("fullscreen.vert", "fill.frag")
    fill["a_position"] = fullscreen_triangle()
    fill["u_radiance"] = (0.25, 0.5, 0.75)
    near = camera_from_spec("orbit:juno:30:40:0.04", snap)
    far = Camera(snap.positions["juno"] - 1e4 * near.forward, near.rotation, 3e-4)
    spacecraft = SpacecraftPass(gl_context, model)
    out = {}
    for name, camera, with_fill in (("near", near, True), ("far", far, True), ("far_alone", far, False)):
        target = HDRTarget(gl_context, SIZE)
        target.clear()
        spacecraft.prepare(View(snap, camera, target.render_size))
        with target:
            if with_fill:
                gloo.set_state(depth_test=True, blend=False)
                gloo.set_depth_func("less")
                fill.draw("triangles")
            spacecraft.draw(View(snap, camera, target.render_size))
        out[name] = target.read()
    drawn = np.any(out["near"][..., :3] != (0.25, 0.5, 0.75), axis=-1)
    assert drawn.sum() > 600
    np.testing.assert_allclose(out["far"], np.broadcast_to((0.25, 0.5, 0.75, 1.0), out["far"].shape))
    rows, cols = np.nonzero(out["far_alone"][..., 3] > 0)
    vertices, _ = merge_parts(model)
    px, _ = View(snap, far, SIZE).project(_to_j2000(snap, vertices["a_position"]))
    assert len(rows) > 600
    assert abs(cols.min() - math.ceil(px[:, 0].min() - 0.5)) <= 2
    assert abs(cols.max() - math.floor(px[:, 0].max() - 0.5)) <= 2
    assert abs(rows.min() - math.ceil(px[:, 1].min() - 0.5)) <= 2
    assert abs(rows.max() - math.floor(px[:, 1].max() - 0.5)) <= 2
