"""The interactive viewer's state without Qt: orbits are exact camera specs, zoom and drag limits,
flights between targets, recording as a scene, scripts, keys, HUD text and frame-rate statistics."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from viewer.app.controls import (
    KEYS,
    MIN_ALTITUDE_KM,
    POLE_MARGIN_DEG,
    Flight,
    Orbit,
    Transition,
    action_for,
    keys_help,
    north,
    orbit_from,
)
from viewer.errors import UserError
from viewer.render.camera import camera_from_spec, inside_body
from viewer.sim.clock import Clock

I57 = "2023-12-30T08:36:00.836"


@pytest.fixture(scope="module")
def world() -> Any:
    from viewer.sim.world import World

    return World()


@pytest.fixture(scope="module")
def et() -> float:
    from viewer.sim.timescales import utc_to_et

    return utc_to_et(I57)


@pytest.fixture
def snap(world: Any, et: float) -> Any:
    return world.at(et)


def test_an_orbit_is_its_spec_exactly(snap: Any) -> None:
    d = np.array([0.3, -0.5, 0.8]) / np.linalg.norm([0.3, -0.5, 0.8])
    orbit = Orbit("io", d, 5000.0)
    text = orbit.spec_text(snap)
    cam = orbit.camera(snap, 40.0)
    again = camera_from_spec(text, snap, 40.0)  # what `still --camera TEXT` resolves
    assert np.array_equal(cam.position_km, again.position_km) and np.array_equal(cam.rotation, again.rotation)
    assert np.allclose(cam.position_km, snap.positions["io"] + 5000.0 * d, rtol=0, atol=1e-8)
    assert np.allclose(cam.forward, -d, atol=1e-12) and float(cam.up @ north(snap, "io")) > 0.0


def test_zoom_stops_at_the_surface_of_a_triaxial_body(snap: Any) -> None:
    rng = np.random.default_rng(4)
    for target in ("io", "jupiter", "juno"):
        for _ in range(4):
            d = rng.normal(size=3)
            orbit = Orbit(target, d / np.linalg.norm(d), 1e5)
            orbit.zoom(snap, 400)
            assert orbit.altitude(snap) == pytest.approx(MIN_ALTITUDE_KM, abs=1e-9)  # km
            cam = orbit.camera(snap, 40.0)
            assert inside_body(snap, cam.position_km) is None
            orbit.zoom(snap, -2)
            assert orbit.altitude(snap) == pytest.approx(MIN_ALTITUDE_KM / 0.8**2, abs=1e-9)


def test_drag_keeps_off_the_poles_and_above_the_surface(snap: Any) -> None:
    up = north(snap, "io")
    orbit = Orbit("io", np.cross(up, [1.0, 0.0, 0.0]) / np.linalg.norm(np.cross(up, [1.0, 0.0, 0.0])), 1830.0)
    for _ in range(100):
        orbit.rotate(snap, 0.0, 5.0)  # up and over the pole
    polar = math.degrees(math.acos(float(orbit.world_direction(snap) @ up)))
    assert POLE_MARGIN_DEG - 1e-9 <= polar < POLE_MARGIN_DEG + 5.0
    assert orbit.altitude(snap) >= MIN_ALTITUDE_KM * (1 - 1e-12)
    before = orbit.world_direction(snap)
    orbit.rotate(snap, 90.0, 0.0)
    after = orbit.world_direction(snap)
    assert float(before @ up) == pytest.approx(float(after @ up), abs=1e-12)  # about the north axis


def test_a_flight_between_targets_is_smooth_and_ends_in_the_orbit(snap: Any) -> None:
    start = camera_from_spec("look:juno:io", snap, 60.0)
    end = orbit_from("europa", snap, near=start.position_km)
    flight = Transition.toward(start, end, snap, duration_s=1.0)
    first = flight.camera(snap, 60.0)
    assert np.allclose(first.position_km, start.position_km, rtol=1e-12, atol=1e-6)
    assert np.allclose(first.forward, start.forward, atol=1e-9)
    positions = []
    for _ in range(100):
        flight.advance(0.01)
        positions.append(flight.camera(snap, 60.0).position_km)
    assert flight.done
    final = end.camera(snap, 60.0)
    assert np.allclose(positions[-1], final.position_km, rtol=1e-12)
    steps = np.linalg.norm(np.diff(positions, axis=0), axis=1)
    assert steps.max() < 0.05 * np.linalg.norm(positions[-1] - positions[0])
    assert all(inside_body(snap, p) is None for p in positions)


def test_flight_modes_and_jumps(world: Any, et: float, snap: Any) -> None:
    from viewer.sim.world import Event

    flight = Flight(world, Clock(et=et, span=(et - 86400.0, et + 86400.0)), "look:juno:io", 60.0)
    cam = flight.camera(snap)
    assert flight.spec_text(snap) == "look:juno:io" and flight.target() == "io"
    orbit = flight.orbit(snap)  # the view from Juno becomes the orbit through Juno's place
    assert flight.mode is orbit and orbit.target == "io"
    assert orbit.range_km == pytest.approx(np.linalg.norm(cam.position_km - snap.positions["io"]), rel=1e-12)
    alt = orbit.altitude(snap)
    flight.zoom(snap, 1)
    assert orbit.altitude(snap) == pytest.approx(0.8 * alt, rel=1e-9)
    flight.set_events([Event("perijove", "jupiter", et + 3600.0, 7e4),
                       Event("closest_approach", "io", et - 10.0, 3300.0)])
    assert flight.jump("perijove").et == et + 3600.0 and flight.clock.et == et + 3600.0
    assert flight.jump("closest_approach", backward=True).et == et - 10.0
    assert flight.jump("eclipse") is None
    flight.chase(snap)
    assert isinstance(flight.mode, Transition) and flight.mode.end.chase
    flight.advance(10.0)
    assert isinstance(flight.mode, Orbit) and flight.anchor(snap).follow == "juno"
    with pytest.raises(UserError, match="camera spec"):
        Flight(world, Clock(et=et), "orbit:io:0:0", 60.0)


def test_keys_and_help() -> None:
    assert action_for("Space") == "play_pause" and action_for("b") == "reverse"
    assert action_for("3") == "target:europa" and action_for("F1") == "help" and action_for("Z") is None
    text = keys_help()
    for k in KEYS:
        assert k.help in text


def test_recorded_shots_make_a_scene(world: Any, et: float, snap: Any) -> None:
    from viewer.app.record import Anchor, Recorder
    from viewer.scene import scene_from_text
    from viewer.still import resolve_still

    rec = Recorder(resolve_still(), 50.0)
    orbit = Orbit("io", np.array([1.0, 0.0, 0.0]), 6000.0)
    wall, t = 0.0, et
    for i in range(40):  # 2 s at 10x, turning, then paused, then 1 s at 100x, then backwards (10 Hz)
        playing, rate = (i < 20 or i >= 25), (10.0 if i < 20 else 100.0)
        if i >= 35:
            rate = -100.0
        orbit.rotate(snap, 1.0, 0.0)
        rec.sample(wall, t, rate, playing, Anchor(orbit.spec_text(world.at(t)), "io", "io"))
        wall += 0.1
        t += rate * 0.1 if playing else 0.0
    rec.stop()
    scene = scene_from_text(rec.scene_text("test"), "recorded", world)
    assert [s.rate for s in scene.shots] == [10.0, 100.0]
    assert all(s.follow == "io" and s.aim == "io" for s in scene.shots)
    a, b = scene.shots
    assert a.start == pytest.approx(et, abs=1e-6) and a.end == pytest.approx(et + 19.0, abs=1e-6)
    assert b.start == pytest.approx(et + 20.0, abs=1e-6)
    assert b.end == pytest.approx(et + 110.0, abs=1e-6)  # the backward frames are left out
    assert scene.frame_count > 0
    with pytest.raises(ValueError, match="nothing recorded"):
        Recorder(resolve_still(), 50.0).scene_text()


def test_scripts_parse_and_refuse_mistakes(tmp_path: Any) -> None:
    from viewer.app.script import ScriptRunner, load_script, parse_script

    steps = parse_script('[[step]]\nat = 1.5\ntarget = "juno"\nchase = true\n'
                         '[[step]]\nat = 0\nkeys = ["Space", "]"]\nrate = -20\n', "s")
    assert [s.at for s in steps] == [0.0, 1.5] and steps[0].rate == -20.0 and steps[1].chase
    runner = ScriptRunner(steps)
    assert runner.due(0.1) == [steps[0]] and runner.due(1.0) == [] and runner.due(2.0) == [steps[1]]
    assert runner.finished
    for text, fragment in (('[[step]]\nkeys = ["Space"]\n', "needs at"),
                           ('[[step]]\nat = 0\nkeys = ["Nope"]\n', "keys"),
                           ('[[step]]\nat = 0\nlat = 3\n', "add target"),
                           ('[[step]]\nat = 0\ntarget = "io"\nchase = true\n', "chase needs"),
                           ('[[step]]\nat = 0\nrate = 0\n', "rate"),
                           ("at = 0\n", "unknown key"), ("[[step", "not valid TOML")):
        with pytest.raises(UserError, match=fragment):
            parse_script(text, "s")
    with pytest.raises(UserError, match="does not exist"):
        load_script(tmp_path / "missing.toml")


def test_hud_lines_are_the_info_numbers(world: Any, et: float) -> None:
    from viewer.app.hud import FrameStats, hud_lines, summarize
    from viewer.report import info_dict, info_text

    info = info_dict(world, et)
    lines = hud_lines(info, -1000.0, True, 29.94)
    j = info["juno"]
    text = "\n".join(lines)
    assert f"{j['altitude_io_km']:,.1f} km above Io" in text
    assert f"{j['altitude_io_km']:,.1f} km" in info_text(info)
    assert "◀ 1000x" in lines[0] and "29.9 fps" in lines[-1]
    stats = FrameStats()
    for dt in [0.02] * 90 + [0.1] * 10:  # the slowest 5 % of frames take 0.1 s
        stats.add(dt)
    mean, p5, n = stats.summary()
    assert n == 100 and mean == pytest.approx(100 / 2.8) and p5 == pytest.approx(10.0)
    assert summarize([]) == (0.0, 0.0, 0)


def test_free_flight_slows_near_surfaces_and_never_enters_one(snap: Any) -> None:
    from viewer.app.controls import FREE_SPEED, FreeFlight, nearest_surface_km, surface_radius
    from viewer.render.camera import look_rotation

    io = np.asarray(snap.positions["io"])
    start = np.array([0.0, 0.0, 1.0])
    flight = FreeFlight("io", start * 4000.0, look_rotation(-start, [1.0, 0.0, 0.0]))  # looking at Io
    altitude = []  # above Io
    for k in range(200):
        p0 = flight.position(snap)
        flight.move(snap, (0.0, 0.0, -1.0), 0.1)  # forward, 10 frames a second
        p = flight.position(snap)
        if k == 0:  # FREE_SPEED of the distance to the nearest surface (Juno's or Io's) per second
            assert np.linalg.norm(p - p0) == pytest.approx(0.1 * FREE_SPEED * nearest_surface_km(snap, p0))
        assert inside_body(snap, p) is None
        altitude.append(float(np.linalg.norm(p - io)) - surface_radius(snap, "io", p - io))
    assert altitude[-1] < 0.1 and bool(np.all(np.diff(altitude) < 0))
    fwd = -flight.rotation[:, 2]
    flight.look(30.0, 0.0)
    assert math.degrees(math.acos(float(fwd @ -flight.rotation[:, 2]))) == pytest.approx(30.0)
    assert np.allclose(flight.rotation.T @ flight.rotation, np.eye(3), atol=1e-12)
    assert np.allclose(flight.position(snap) - io, flight.offset)
