"""The camera: spec resolution, projection, precision, logarithmic depth."""

from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np
import pytest

from viewer.errors import UserError
from viewer.render.camera import (
    FAR_KM,
    Camera,
    camera_from_spec,
    log_depth,
    look_rotation,
)
from viewer.sim.constants import IO
from viewer.sim.frames import altitude
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import Snapshot

CA = utc_to_et("2023-12-30T08:36:00.836")


@pytest.fixture(scope="module")
def snap(world):
    return world.at(CA)


def with_juno(snap: Snapshot, offset_km, spin_axis) -> Snapshot:
    """The snapshot plus a synthetic Juno ``offset_km`` from Io with its +Z along ``spin_axis``."""
    positions = dict(snap.positions)
    positions["juno"] = snap.positions["io"] + np.asarray(offset_km, dtype=float)
    rotations = dict(snap.rotations)
    z = np.asarray(spin_axis, dtype=float) / np.linalg.norm(spin_axis)
    x = np.cross([0.3, 0.7, 0.1], z)
    x /= np.linalg.norm(x)
    rotations["juno"] = np.stack([x, np.cross(z, x), z], axis=1)
    return Snapshot(snap.et, MappingProxyType(positions), snap.velocities, MappingProxyType(rotations))


def test_above_io_sits_at_the_altitude_and_looks_at_the_centre(snap):
    cam = camera_from_spec("above:io:34.2:326.68:10220.6", snap)
    rel_body = (cam.position_km - snap.positions["io"]) @ snap.rotations["io"]
    assert float(altitude(rel_body, IO.radii_km)) == pytest.approx(10220.6, abs=1e-6)
    xy, depth = cam.project(snap.positions["io"], 320, 240)
    assert np.allclose(xy, [160.0, 120.0]) and depth > 0
    north_pole = snap.positions["io"] + snap.rotations["io"][:, 2] * IO.radii_km[2]
    (px, py), _ = cam.project(north_pole, 320, 240)
    assert py < 120.0 and abs(px - 160.0) < 1e-6        # north is up, on the vertical axis


def test_orbit_range_and_sky_orientation(snap):
    cam = camera_from_spec("orbit:jupiter:10:200:1500000", snap)
    assert np.linalg.norm(cam.position_km) == pytest.approx(1.5e6)
    sky = camera_from_spec("sky:165.0:56.0", snap, fov_deg=40.0)
    ra, dec = math.radians(165.0), math.radians(56.0)
    centre = np.array([math.cos(dec) * math.cos(ra), math.cos(dec) * math.sin(ra), math.sin(dec)])
    assert np.allclose(sky.forward, centre)

    def star(ra_deg, dec_deg):
        r, d = math.radians(ra_deg), math.radians(dec_deg)
        return 1e12 * np.array([math.cos(d) * math.cos(r), math.cos(d) * math.sin(r), math.sin(d)])

    (x_east, _), _ = sky.project(star(170.0, 56.0), 320, 240)
    (_, y_north), _ = sky.project(star(165.0, 60.0), 320, 240)
    assert x_east < 160.0            # east is to the left on the sky, north up
    assert y_north < 120.0


def test_projection_matches_the_pinhole_formula(snap):
    cam = camera_from_spec("sky:0:0", snap, fov_deg=50.0)
    f = 0.5 * 240 / math.tan(math.radians(25.0))
    assert cam.focal_px(320, 240) == pytest.approx(f)
    off = math.radians(10.0)
    p = 1e9 * (math.cos(off) * cam.forward + math.sin(off) * cam.rotation[:, 0])
    (x, y), _ = cam.project(p, 320, 240)
    assert x == pytest.approx(160.0 + f * math.tan(off), abs=1e-6) and y == pytest.approx(120.0)


def test_look_from_juno_and_junocam_geometry(snap):
    spin = np.array([0.1, -0.4, 0.9])
    s = with_juno(snap, [2000.0, 2500.0, 1200.0], spin)
    look = camera_from_spec("look:juno:io", s)
    to_io = s.positions["io"] - s.positions["juno"]
    assert np.allclose(look.forward, to_io / np.linalg.norm(to_io))

    jc = camera_from_spec("junocam", s)
    spin_u = spin / np.linalg.norm(spin)
    assert abs(jc.forward @ spin_u) < 1e-12                    # boresight ⟂ spin axis
    assert abs(jc.rotation[:, 0] @ spin_u) == pytest.approx(1.0)  # image rows along the spin axis
    # Io lies in the plane of the boresight and the spin axis: it projects on the horizontal mid-line.
    (_, y), depth = jc.project(s.positions["io"], 320, 240)
    assert y == pytest.approx(120.0, abs=1e-6) and depth > 0
    assert jc.vertical_fov_deg(320, 240) == pytest.approx(
        math.degrees(2 * math.atan(math.tan(math.radians(29.0)) * 240 / 320)))


def test_juno_cameras_need_juno(world):
    outside = world.at(utc_to_et("2020-01-01"))      # no Juno trajectory then
    with pytest.raises(UserError, match="unavailable"):
        camera_from_spec("look:juno:io", outside)


def test_camera_relative_float32_keeps_millimetres(snap):
    spin = np.array([0.0, 0.0, 1.0])
    s = with_juno(snap, [1500.0, 2800.0, 0.0], spin)
    cam = Camera(s.positions["juno"] + np.array([0.040, 0.0, 0.0]), look_rotation([-1, 0, 0], spin))
    rel = cam.relative(s.positions["juno"])
    assert np.allclose(rel, [0.0, 0.0, -0.040], atol=1e-9)      # 40 m, exact to < 1 µm


def test_log_depth_spans_a_metre_to_a_billion_km():
    assert float(log_depth(0.0)) == 0.0 and float(log_depth(FAR_KM)) == pytest.approx(1.0)
    d = np.array([1e-3, 1.01e-3, 40e-3, 3320.0, 3321.0, 422_000.0, 423_000.0, 7.8e8])
    z24 = np.floor(log_depth(d) * (2**24 - 1))
    assert np.all(np.diff(z24) > 0)      # 1 cm at 1 m and 1 km at 3,320 km stay distinct in 24 bits
