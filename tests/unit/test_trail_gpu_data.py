"""Trails' GPU data without GL (viewer.render.passes.trails): the two-float split, the vertex layout, the
per-frame cuts that put the head at the body, and the levels of detail."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from viewer.render.camera import Camera, camera_from_spec, look_rotation
from viewer.render.passes.trails import (
    LOD_TOLERANCE_PX,
    levels_of_detail,
    pick_level,
    split,
    trail_cuts,
    trail_vertices,
)
from viewer.render.view import View
from viewer.sim.timescales import utc_to_et
from viewer.sim.trails import Trail, make_trail

CA = utc_to_et("2023-12-30T08:36:00.836")


def test_split_keeps_float64_precision() -> None:
    x = np.array([421700.123456789, -7.1e6 + 1e-6, 3.0])
    hi, lo = split(x)
    assert hi.dtype == lo.dtype == np.float32
    assert np.abs(hi.astype(np.float64) + lo - x).max() < 1e-9 * 7.1e6 * 1e-6


def test_vertices_carry_both_chord_ends() -> None:
    t = np.array([0.0, 10.0, 30.0])
    p = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    v, idx = trail_vertices(Trail("io", "jupiter", t, p, 30.0))
    assert v.shape == (8,) and idx.tolist() == [0, 1, 2, 2, 1, 3, 4, 5, 6, 6, 5, 7]
    assert np.array_equal(v["a_p0_hi"][4], p[1]) and np.array_equal(v["a_p1_hi"][4], p[2])
    assert v["a_index"].tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert v["a_time_s"][0].tolist() == [-15.0, -5.0]  # seconds after the trail's epoch (its middle)


def test_cuts_put_the_head_at_the_body(world) -> None:
    et = CA + 100.0
    snap = world.at(et)
    trail = make_trail(world, "juno", "io", et, 900.0, 300.0)
    cam = Camera(snap.positions["juno"] + np.array([0.03, 0.0, 0.0]),
                 look_rotation(np.array([-1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0])), 40.0)
    view = SimpleNamespace(snapshot=snap, camera=cam)
    past, future, common = trail_cuts(trail, view)
    juno_cam = (snap.positions["juno"] - cam.position_km) @ cam.rotation
    assert np.allclose(past.head[:3], juno_cam, atol=1e-9)
    assert np.allclose(future.head[:3], juno_cam, atol=1e-9)
    assert trail.et[past.head_index] < et <= trail.et[past.head_index + 1]
    assert trail.et[future.head_index] <= et < trail.et[future.head_index + 1]
    assert past.cut_index == 0 and future.cut_index == len(trail) - 2
    epoch = 0.5 * (trail.et[0] + trail.et[-1])
    assert past.cut[3] == pytest.approx(et - 900.0 - epoch)
    assert future.cut[3] == pytest.approx(et + 300.0 - epoch)
    # The camera's position relative to Io, split in two floats, adds back up to float64 precision.
    rel = np.asarray(common["u_camera_hi"], np.float64) + np.asarray(common["u_camera_lo"], np.float64)
    assert np.abs(rel - (cam.position_km - snap.positions["io"])).max() < 1e-9


def test_levels_of_detail_stay_within_a_quarter_pixel(world) -> None:
    """A coarser level is drawn only while every skipped sample projects within LOD_TOLERANCE_PX of its
    chord; a camera on the trail (riding the body) always gets every sample."""
    et = CA + 240.0
    snap = world.at(et)
    trail = make_trail(world, "europa", "jupiter", et)
    levels = levels_of_detail(trail)
    assert [lv.stride for lv in levels[:3]] == [1, 2, 4] and levels[1].deviation_km > levels[0].deviation_km
    size = (1280, 720)
    for spec, fov in (("orbit:jupiter:25:150:4500000", 30.0), ("orbit:io:17:224:40000", 30.0),
                      ("orbit:europa:0:0:3000", 60.0)):
        cam = camera_from_spec(spec, snap, fov)
        view = View(snap, cam, size)
        i = pick_level(levels, view)
        level = levels[i]
        keep = np.searchsorted(trail.et, level.trail.et)
        chord = np.minimum(np.searchsorted(keep, np.arange(len(trail)), side="right") - 1, keep.size - 2)
        a, depth_a = cam.project(trail.positions_km[keep[chord]], *size)
        b, depth_b = cam.project(trail.positions_km[keep[chord + 1]], *size)
        q, depth = cam.project(trail.positions_km, *size)
        seen = (depth > 0) & (depth_a > 0) & (depth_b > 0)
        d, r = b - a, q - a
        cross = np.abs(d[:, 0] * r[:, 1] - d[:, 1] * r[:, 0]) / np.maximum(np.linalg.norm(d, axis=1), 1e-9)
        assert cross[seen].max() <= LOD_TOLERANCE_PX, (spec, level.stride)
        if spec.endswith("4500000"):
            assert level.stride >= 64
    on_trail = Camera(trail.positions_km[len(trail) // 2] + np.array([0.0, 0.0, 1e-3]),
                      look_rotation(np.array([1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0])), 60.0)
    assert pick_level(levels, View(snap, on_trail, size)) == 0
