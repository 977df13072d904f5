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
    first_hit,
    inside_body,
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
    assert jc.rotation[:, 0] @ spin_u == pytest.approx(-1.0)  # samples toward -Z, as the detector's
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


# --- the grown specs: look from any body, surface, roll (issue 14) --------------------------------------

W, H = 320, 240


def _unit(v):
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def test_look_from_juno_is_bit_for_bit_the_camera_it_always_was(snap):
    """The i57 preset's camera: at Juno's centre, looking at Io's centre, Io's north up — exactly."""
    cam = camera_from_spec("look:juno:io", snap, 80.0)
    juno, io = snap.positions["juno"], snap.positions["io"]
    assert np.array_equal(cam.position_km, juno)
    assert np.array_equal(cam.rotation, look_rotation(io - juno, snap.rotations["io"][:, 2]))
    assert cam.fov_deg == 80.0 and cam.horizontal_fov_deg is None


def test_look_from_io_stands_one_percent_above_io_toward_jupiter(snap):
    cam = camera_from_spec("look:io:jupiter", snap, 80.0)
    io, jup, rot = snap.positions["io"], snap.positions["jupiter"], snap.rotations["io"]
    d = _unit(jup - io)
    # on the line from Io's centre to Jupiter's centre ...
    off = cam.position_km - io
    assert np.linalg.norm(np.cross(off, d)) < 1e-6 and off @ d > 0
    # ... 1 % of Io's mean radius beyond the ellipsoid along it (18.2 km; independent ray-ellipsoid root)
    dd = (d @ rot) / np.asarray(IO.radii_km)
    surface = 1.0 / math.sqrt(dd @ dd)
    assert np.linalg.norm(off) - surface == pytest.approx(0.01 * IO.mean_radius_km, rel=1e-9)
    assert float(altitude(off @ rot, IO.radii_km)) == pytest.approx(18.2, abs=0.3)
    # Jupiter centred, its north pole above the centre
    (x, y), depth = cam.project(jup, W, H)
    assert (x, y) == pytest.approx((W / 2, H / 2), abs=1e-6) and depth > 0
    north = jup + snap.rotations["jupiter"][:, 2] * 66_854.0
    (px, py), _ = cam.project(north, W, H)
    assert py < H / 2 and abs(px - W / 2) < 1e-6
    # no pixel of the frame (80° vertical, 4:3) sees Io: it lies more than 90° behind the view axis
    for row in np.linspace(0, H - 1, 9):
        for col in np.linspace(0, W - 1, 9):
            assert first_hit(snap, cam.position_km, cam.pixel_direction(row, col, W, H))[0] != "io"


@pytest.mark.parametrize("origin, target", [
    ("jupiter", "io"), ("europa", "jupiter"), ("ganymede", "callisto"), ("callisto", "sun"),
    ("sun", "jupiter"), ("io", "juno"),
])
def test_look_from_any_body_centres_the_target_outside_every_body(snap, origin, target):
    cam = camera_from_spec(f"look:{origin}:{target}", snap)
    assert inside_body(snap, cam.position_km) is None
    to_target = _unit(snap.positions[target] - cam.position_km)
    assert cam.forward @ to_target == pytest.approx(1.0, abs=1e-12)
    assert first_hit(snap, cam.position_km, cam.forward)[0] != origin


def test_surface_camera_stands_two_metres_up_looking_north(snap):
    rot = snap.rotations["io"]
    cam = camera_from_spec("surface:io:0:0", snap)
    rel = (cam.position_km - snap.positions["io"]) @ rot
    assert float(altitude(rel, IO.radii_km)) == pytest.approx(0.002, abs=1e-9)
    # at 0° N 0° W of the triaxial ellipsoid the normal is body +X and north body +Z, exactly
    assert cam.up @ rot[:, 0] == pytest.approx(1.0, abs=1e-12)
    assert cam.forward @ rot[:, 2] == pytest.approx(1.0, abs=1e-12)
    east = camera_from_spec("surface:io:0:0:90:0", snap)
    assert east.forward @ rot[:, 1] == pytest.approx(1.0, abs=1e-12)   # east longitude +90° is body +Y
    west = camera_from_spec("surface:io:0:0:270:0", snap)
    assert west.forward @ rot[:, 1] == pytest.approx(-1.0, abs=1e-12)
    zenith = camera_from_spec("surface:io:0:0:0:90", snap)
    assert zenith.forward @ rot[:, 0] == pytest.approx(1.0, abs=1e-12)
    assert zenith.up @ rot[:, 2] == pytest.approx(-1.0, abs=1e-12)     # facing north, head tipped back
    nadir = camera_from_spec("surface:io:0:0:0:-90", snap)
    assert nadir.forward @ rot[:, 0] == pytest.approx(-1.0, abs=1e-12)


def test_jupiter_hangs_over_ios_sub_jupiter_point(snap):
    """Io keeps one face to Jupiter: from 0° N 0° W Jupiter is within ~1.5° of the zenith (libration and
    eccentricity), so looking north 45° up it is 45° above the view axis, straight up in the image."""
    jup = snap.positions["jupiter"]
    zenith = camera_from_spec("surface:io:0:0:0:90", snap)
    to_jup = _unit(jup - zenith.position_km)
    assert math.degrees(math.acos(zenith.forward @ to_jup)) < 1.5
    cam = camera_from_spec("surface:io:0:0:0:45", snap)
    assert math.degrees(math.acos(cam.forward @ to_jup)) == pytest.approx(45.0, abs=1.5)
    assert to_jup @ cam.up > 0.65 and abs(to_jup @ cam.rotation[:, 0]) < 0.03


def test_surface_heading_and_pitch_on_a_triaxial_ellipsoid(snap):
    """Elevation and azimuth measured with the ellipsoid's own normal (Ellipsoid.normal at the nearest
    surface point) and the body's pole, not with the camera module's local frame."""
    from viewer.render.camera import ellipsoids
    from viewer.sim.frames import nearest_point_on_ellipsoid

    io = next(e for e in ellipsoids(snap) if e.name == "io")
    cam = camera_from_spec("surface:io:30:100:33:20", snap)
    rel = (cam.position_km - io.centre_km) @ io.rotation
    foot = io.centre_km + io.rotation @ nearest_point_on_ellipsoid(rel, IO.radii_km)
    n = io.normal(foot)
    assert np.linalg.norm(cam.position_km - foot) == pytest.approx(0.002, abs=1e-9)
    assert np.allclose(_unit(cam.position_km - foot), n, atol=1e-9)
    assert math.degrees(math.asin(cam.forward @ n)) == pytest.approx(20.0, abs=1e-9)
    north = _unit(io.rotation[:, 2] - (io.rotation[:, 2] @ n) * n)   # toward the pole, in the tangent plane
    east = np.cross(north, n)
    azimuth = math.degrees(math.atan2(cam.forward @ east, cam.forward @ north))
    assert azimuth == pytest.approx(33.0, abs=1e-9)
    assert abs(cam.rotation[:, 0] @ n) < 1e-12   # the horizon is level: the image's x axis is horizontal


def test_surface_at_a_pole_is_well_defined(snap):
    rot = snap.rotations["io"]
    cam = camera_from_spec("surface:io:90:0", snap)
    assert np.all(np.isfinite(cam.rotation)) and abs(cam.forward @ rot[:, 2]) < 1e-12
    assert cam.forward @ rot[:, 0] == pytest.approx(-1.0, abs=1e-12)   # across the pole, toward 180° W


def test_a_named_feature_is_its_table_position(snap):
    named = camera_from_spec("above:io:pele:500", snap)
    numbers = camera_from_spec("above:io:-18.7:255.3:500", snap)
    assert np.array_equal(named.position_km, numbers.position_km)
    assert np.array_equal(named.rotation, numbers.rotation)


@pytest.mark.parametrize("spec", ["look:io:jupiter", "surface:io:0:0:0:45", "sky:10:20", "above:io:pele:500",
                                  "look:juno:io", "orbit:jupiter:0:0:1500000"])
def test_roll_turns_the_camera_about_its_view_axis(snap, spec):
    plain = camera_from_spec(spec, snap)
    assert np.array_equal(camera_from_spec(spec + ":roll=0", snap).rotation, plain.rotation)
    for roll in (30.0, -75.0, 90.0):
        cam = camera_from_spec(f"{spec}:roll={roll}", snap)
        r = math.radians(roll)
        assert np.array_equal(cam.position_km, plain.position_km)
        assert np.allclose(cam.forward, plain.forward, atol=1e-15)
        assert np.allclose(cam.up, math.cos(r) * plain.up + math.sin(r) * plain.rotation[:, 0], atol=1e-14)
        assert np.allclose(cam.rotation.T @ cam.rotation, np.eye(3), atol=1e-14)
        assert np.linalg.det(cam.rotation) == pytest.approx(1.0)
    # roll=90: what was on the right of the image is now at the top (the scene turns counter-clockwise)
    right_point = plain.position_km + 1e5 * (plain.forward + 0.3 * plain.rotation[:, 0])
    (x0, y0), _ = plain.project(right_point, W, H)
    (x1, y1), _ = camera_from_spec(spec + ":roll=90", snap).project(right_point, W, H)
    assert x0 > W / 2 and y0 == pytest.approx(H / 2, abs=1e-6)
    assert x1 == pytest.approx(W / 2, abs=1e-6) and y1 == pytest.approx(H / 2 - (x0 - W / 2), abs=1e-6)


def test_roll_turns_junocam_too(snap):
    s = with_juno(snap, [2000.0, 2500.0, 1200.0], [0.1, -0.4, 0.9])
    plain = camera_from_spec("junocam", s)
    cam = camera_from_spec("junocam:io:roll=90", s)
    assert np.allclose(cam.forward, plain.forward) and np.allclose(cam.up, plain.rotation[:, 0])
    assert cam.horizontal_fov_deg == plain.horizontal_fov_deg


def test_junocam_spin_turns_with_juno() -> None:
    """``junocam:spin``: the camera is JunoCam's frame at the instant (the mounting applied to Juno's
    attitude): boresight on the instrument's, samples to the right, and half a turn in half a spin."""
    import numpy as np

    from viewer.config import CameraSpec
    from viewer.junocam import BORESIGHT_SC, SPACECRAFT_TO_CAMERA
    from viewer.render.camera import camera_from_spec
    from viewer.sim.juno import SPIN_RATE_DEG_S
    from viewer.sim.timescales import utc_to_et
    from viewer.sim.world import World

    assert str(CameraSpec.parse("junocam:spin")) == "junocam:spin"
    assert str(CameraSpec.parse("junocam:SPIN:roll=10")) == "junocam:spin:roll=10"
    world = World()
    et = utc_to_et("2023-12-30T08:36:00.836")
    snap = world.at(et)
    cam = camera_from_spec("junocam:spin", snap, None)
    attitude = np.asarray(snap.rotations["juno"])
    np.testing.assert_allclose(cam.forward, attitude @ BORESIGHT_SC, atol=1e-12)
    samples = attitude @ SPACECRAFT_TO_CAMERA[0]
    np.testing.assert_allclose(cam.rotation[:, 0], samples, atol=1e-9)  # image right = +samples
    np.testing.assert_allclose(cam.position_km, snap.positions["juno"], atol=0)
    assert cam.horizontal_fov_deg == pytest.approx(58.0)
    half = camera_from_spec("junocam:spin", world.at(et + 180.0 / SPIN_RATE_DEG_S), None)
    spin_axis = attitude[:, 2]
    a = cam.forward - (cam.forward @ spin_axis) * spin_axis
    b = half.forward - (half.forward @ spin_axis) * spin_axis
    assert float(a @ b) / (np.linalg.norm(a) * np.linalg.norm(b)) == pytest.approx(-1.0, abs=1e-3)


def test_junocam_despun_is_the_spinning_view_when_the_spin_brings_the_target() -> None:
    """At the i57-jupitershine instant the spin sweeps JunoCam's boresight across Io's centre: the
    de-spun ``junocam:io`` and the spinning ``junocam:spin`` are then the same view (within the
    mounting's 0.13° tilt off the spin plane), the same way up."""

    from viewer.render.camera import camera_from_spec
    from viewer.sim.timescales import utc_to_et
    from viewer.sim.world import World

    snap = World().at(utc_to_et("2023-12-30T08:37:33.797"))
    despun = camera_from_spec("junocam:io", snap, None)
    spinning = camera_from_spec("junocam:spin", snap, None)
    assert math.degrees(math.acos(min(1.0, float(despun.forward @ spinning.forward)))) < 0.5
    assert float(despun.rotation[:, 0] @ spinning.rotation[:, 0]) > 0.999
    assert float(despun.up @ spinning.up) > 0.999
