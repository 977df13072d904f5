"""Jupitershine in the shader against the reference integral (viewer.sim.photometry): Io lit only by
Jupiter, at its sub-Jupiter point and 30°, 60° and 95° from it, at full Jupiter and at phase 90°. The
reference is the radiance Io's lunar-Lambert law reflects toward the camera under every sample of
Jupiter's lit disc (photometry.jupitershine_radiance)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from raycast import render_only, surface_points

from viewer.render.camera import Camera, look_rotation
from viewer.sim import photometry
from viewer.sim.constants import BODIES
from viewer.sim.timescales import utc_to_et

pytestmark = pytest.mark.gl

W, H = 240, 180
I57 = "2023-12-30T08:36:00.836"
UNIFORM = np.full((64, 128, 3), 0.5, np.float32)
LUMA = np.array([0.2126, 0.7152, 0.0722])



def _phase(snap) -> float:
    io, sun = snap.positions["io"], snap.positions["sun"]
    a, b = sun - snap.positions["jupiter"], io - snap.positions["jupiter"]
    return math.degrees(math.acos(a @ b / np.linalg.norm(a) / np.linalg.norm(b)))


def _time_at_phase(world, target_deg: float) -> float:
    et0 = utc_to_et(I57)
    times = et0 + np.arange(0.0, 2.0 * 86400, 300.0)
    return float(times[np.argmin([abs(_phase(world.at(t)) - target_deg) for t in times])])


def _render(ctx, snap, cam):
    return render_only(ctx, snap, cam, (W, H), "io", {"jupitershine"}, {"io": UNIFORM})


@pytest.mark.parametrize("phase_deg", [0.0, 90.0])
def test_jupitershine_matches_reference_integral(gl_context, world, phase_deg) -> None:
    snap = world.at(_time_at_phase(world, phase_deg))
    assert abs(_phase(snap) - phase_deg) < 4.0  # the Sun is ~3° off Io's orbital plane: α ≥ 3.1°
    io, rot, jc = snap.positions["io"], snap.rotations["io"], snap.positions["jupiter"]
    to_j = (jc - io) / np.linalg.norm(jc - io)
    axis = np.cross(to_j, rot[:, 2])
    axis /= np.linalg.norm(axis)
    perp = np.cross(axis, to_j)

    def direction(angle_deg: float) -> np.ndarray:
        a = math.radians(angle_deg)
        return math.cos(a) * to_j + math.sin(a) * perp

    view = direction(50.0)  # 0°, 30°, 60° and 95° all lie within 50° of the view direction
    cam = Camera(io + 9000.0 * view, look_rotation(-view, axis), 32.0)
    rgba = _render(gl_context, snap, cam)
    points, normals = surface_points(cam, (W, H), io, rot, BODIES["io"].radii_km)
    sun_dir = snap.positions["sun"] - jc
    sun_dir /= np.linalg.norm(sun_dir)
    full = None
    for angle in (0.0, 30.0, 60.0, 95.0):
        # The pixel whose surface normal is nearest the wanted direction.
        cos = np.nan_to_num(np.sum(normals * direction(angle), -1), nan=-2.0)
        cos[rgba[:, :, 3] < 0.999] = -2.0
        iy, ix = np.unravel_index(np.argmax(cos), cos.shape)
        assert cos[iy, ix] > math.cos(math.radians(2.0))
        # Io's lunar-Lambert law (B = p = 0.63 for the uniform map) under each of Jupiter's disc samples.
        to_cam = cam.position_km - points[iy, ix]
        ref = float(photometry.jupitershine_radiance(points[iy, ix], normals[iy, ix],
                                                     to_cam / np.linalg.norm(to_cam), jc,
                                                     snap.rotations["jupiter"], sun_dir,
                                                     photometry.io_reflectance))
        got = float(rgba[iy, ix, :3] @ LUMA)
        if angle == 0.0:
            full = ref
            assert ref > 0.001
        if angle == 95.0:
            assert abs(got - ref) < 0.002 * full
        else:
            assert abs(got - ref) < 0.10 * ref, (angle, got, ref)
