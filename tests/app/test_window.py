"""The real window under Xvfb: keys and mouse events through Qt, state and pixels checked."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.app.conftest import I57, SIZE

pytestmark = [
    pytest.mark.timeout(300),
    # vispy 0.14-0.17 reads QMouseEvent.pos(), deprecated in Qt 6 (the value is right)
    pytest.mark.filterwarnings(r"ignore:.*QMouseEvent\.pos\(\) const' is marked as deprecated"
                               ":DeprecationWarning"),
]
REPO = Path(__file__).resolve().parents[2]
WAIT_MS = 60_000


def key(qtbot: Any, fly: Any, name: str, shift: bool = False) -> None:
    """Press a key on the canvas (``name``: a Qt.Key member name without ``Key_``)."""
    from PySide6 import QtCore

    mods = QtCore.Qt.KeyboardModifier.ShiftModifier if shift else QtCore.Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(fly.canvas.native, getattr(QtCore.Qt.Key, f"Key_{name}"), mods)


def frames_later(qtbot: Any, fly: Any, n: int = 2) -> None:
    """Wait until ``n`` more frames are drawn."""
    target = fly.frames + n
    fly.refresh()
    qtbot.waitUntil(lambda: (fly.refresh(), fly.frames >= target)[1], timeout=WAIT_MS)


def wheel(fly: Any, notches: int) -> None:
    """Send one real wheel event of ``notches`` (positive: away from the user, i.e. zoom in)."""
    from PySide6 import QtCore, QtGui, QtWidgets

    w = fly.canvas.native
    pos = QtCore.QPointF(w.width() / 2, w.height() / 2)
    event = QtGui.QWheelEvent(pos, w.mapToGlobal(pos), QtCore.QPoint(0, 0), QtCore.QPoint(0, 120 * notches),
                              QtCore.Qt.MouseButton.NoButton, QtCore.Qt.KeyboardModifier.NoModifier,
                              QtCore.Qt.ScrollPhase.NoScrollPhase, False)
    QtWidgets.QApplication.sendEvent(w, event)


def drag(fly: Any, dx: int, dy: int) -> None:
    """A left-button drag over the canvas by (dx, dy) pixels, as real mouse events."""
    from PySide6 import QtCore, QtGui, QtWidgets

    w = fly.canvas.native
    left, none = QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.MouseButton.NoButton
    mods = QtCore.Qt.KeyboardModifier.NoModifier
    start = QtCore.QPointF(w.width() / 2, w.height() / 2)
    end = QtCore.QPointF(start.x() + dx, start.y() + dy)
    for kind, at, button, buttons in ((QtCore.QEvent.Type.MouseButtonPress, start, left, left),
                                      (QtCore.QEvent.Type.MouseMove, end, none, left),
                                      (QtCore.QEvent.Type.MouseButtonRelease, end, left, none)):
        QtWidgets.QApplication.sendEvent(w, QtGui.QMouseEvent(kind, at, w.mapToGlobal(at), button, buttons,
                                                              mods))


def test_opens_on_the_i57_closest_approach_from_juno(fly: Any) -> None:
    from viewer.sim.timescales import utc_to_et

    assert fly.flight.clock.et == utc_to_et(I57)
    assert not fly.flight.clock.playing
    assert fly.flight.spec_text(fly.last[2]) == "look:juno:io"
    assert fly.render_size == SIZE
    image = fly.maker.renderer.ldr.read()
    assert image.shape == (SIZE[1], SIZE[0], 3) and image.max() > 0  # Io is in the picture


def test_space_plays_and_pauses_time(qtbot: Any, fly: Any) -> None:
    clock = fly.flight.clock
    et0 = clock.et
    key(qtbot, fly, "Space")
    assert clock.playing
    qtbot.waitUntil(lambda: clock.et > et0 + 0.05, timeout=WAIT_MS)
    key(qtbot, fly, "Space")
    assert not clock.playing
    paused = clock.et
    frames_later(qtbot, fly, 3)
    assert clock.et == paused


def test_reverse_runs_time_backwards_and_rate_keys_step(qtbot: Any, fly: Any) -> None:
    clock = fly.flight.clock
    key(qtbot, fly, "BracketRight")
    key(qtbot, fly, "BracketRight")
    assert clock.rate == 5.0
    key(qtbot, fly, "BracketLeft")
    assert clock.rate == 2.0
    key(qtbot, fly, "B")
    key(qtbot, fly, "Space")
    start = clock.et
    qtbot.waitUntil(lambda: clock.et < start - 0.1, timeout=WAIT_MS)
    assert clock.rate == -2.0


def test_jump_keys_reach_the_events(qtbot: Any, fly: Any, i57_events: list[Any]) -> None:
    clock = fly.flight.clock
    perijoves = [e.et for e in i57_events if e.kind == "perijove"]
    key(qtbot, fly, "J")
    assert clock.et == perijoves[0] > fly.setup.et
    key(qtbot, fly, "C", shift=True)  # back to the closest approach before the perijove: I57
    ca = [e.et for e in i57_events if e.kind == "closest_approach" and e.body == "io"]
    assert clock.et in ca and abs(clock.et - fly.setup.et) < 30.0


def test_switching_target_flies_there_and_centres_it(qtbot: Any, fly: Any) -> None:
    from viewer.app.controls import Orbit, Transition
    from viewer.render.camera import body_at_pixel

    key(qtbot, fly, "3")  # Europa
    assert isinstance(fly.flight.mode, Transition)
    positions = []

    def arrived() -> bool:
        fly.refresh()
        if fly.last is not None:
            positions.append(np.array(fly.last[1].position_km))
        return isinstance(fly.flight.mode, Orbit)

    qtbot.waitUntil(arrived, timeout=WAIT_MS)
    frames_later(qtbot, fly, 2)
    _, cam, snap = fly.last
    w, h = fly.render_size  # the last frame may still be a reduced one
    (x, y), depth = cam.project(snap.positions["europa"], w, h)
    assert depth > 0 and abs(x - w / 2) < 2.0 and abs(y - h / 2) < 2.0
    assert body_at_pixel(snap, cam, (h // 2, w // 2), (w, h)) == "europa"
    steps = np.linalg.norm(np.diff(np.array(positions), axis=0), axis=1)
    travelled = np.linalg.norm(positions[-1] - positions[0])
    assert steps.max() < 0.5 * travelled  # a flight over several frames, not a jump


def test_zooming_in_stops_above_the_surface(qtbot: Any, fly: Any) -> None:
    from viewer.app.controls import MIN_ALTITUDE_KM, Orbit
    from viewer.render.camera import inside_body

    wheel(fly, 1)  # the view from Juno becomes an orbit around Io through Juno's place
    frames_later(qtbot, fly)
    assert isinstance(fly.flight.mode, Orbit) and fly.flight.mode.target == "io"
    alt0 = fly.flight.mode.altitude(fly.last[2])
    for _ in range(60):
        wheel(fly, 2)
    frames_later(qtbot, fly)
    _, cam, snap = fly.last
    alt = fly.flight.mode.altitude(snap)
    assert MIN_ALTITUDE_KM * (1 - 1e-9) <= alt < 1e-2 < alt0
    assert inside_body(snap, cam.position_km) is None
    wheel(fly, -3)  # and out again: the altitude grows by 1/0.8 per notch
    frames_later(qtbot, fly)
    assert fly.flight.mode.altitude(fly.last[2]) == pytest.approx(alt / 0.8**3, rel=1e-6)


def test_drag_orbits_the_target(qtbot: Any, fly: Any) -> None:
    from viewer.app.controls import Orbit

    wheel(fly, 1)
    frames_later(qtbot, fly)
    orbit = fly.flight.mode
    d0, r0 = orbit.world_direction(fly.last[2]), orbit.range_km
    drag(fly, 40, 0)
    frames_later(qtbot, fly)
    assert isinstance(fly.flight.mode, Orbit)
    d1 = orbit.world_direction(fly.last[2])
    angle = np.degrees(np.arccos(np.clip(d0 @ d1, -1, 1)))
    assert angle > 1.0 and orbit.range_km == pytest.approx(r0)


def test_hud_shows_what_info_prints(qtbot: Any, fly: Any) -> None:
    from viewer.cli import main

    qtbot.waitUntil(lambda: fly.info is not None, timeout=WAIT_MS)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["info", "--json", "--time", I57]) == 0
    info = json.loads(out.getvalue())
    assert fly.info == info
    juno = info["juno"]
    text = fly.hud.text()
    assert f"{juno['altitude_io_km']:,.1f} km above Io" in text
    assert f"{juno['altitude_jupiter_km']:,.1f} km above Jupiter" in text
    assert f"{juno['speed_rel_io_km_s']:.3f} km/s" in text and "2023-12-30T08:36:00.836Z" in text
    # the sub-spacecraft point: the intercept (SPICE "Intercept/Ellipsoid"), not the nearest point
    assert f"{juno['subsc_lat_deg']:+.3f}° lat, {juno['subsc_wlon_deg']:.3f}° W" in text
    assert f"{juno['near_point_lat_deg']:+.3f}° lat" not in text
    key(qtbot, fly, "I")
    assert not fly.hud.isVisible()


def test_screenshot_equals_the_still_command_byte_for_byte(qtbot: Any, fly: Any, tmp_path: Path) -> None:
    wheel(fly, 3)  # an orbit around Io, nearer than Juno: a camera with an exact spec
    drag(fly, 25, -10)
    frames_later(qtbot, fly)
    spec = fly.flight.spec_text(fly.last[2])
    assert spec.startswith("orbit:io:")
    key(qtbot, fly, "P")
    qtbot.waitUntil(lambda: bool(fly.written), timeout=WAIT_MS)
    shot = fly.written[-1]
    still = tmp_path / "still.png"
    proc = subprocess.run([sys.executable, "-m", "viewer", "still", "--time", I57, "--camera", spec,
                           "--size", "160x120", "--out", str(still)], cwd=REPO, capture_output=True,
                          text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert shot.read_bytes() == still.read_bytes()


def test_a_recorded_flight_is_a_scene_that_renders(qtbot: Any, fly: Any, world: Any) -> None:
    from viewer import scene
    from viewer.export import ExportOptions, iter_frames
    from viewer.render.camera import camera_from_spec

    clock = fly.flight.clock
    key(qtbot, fly, "R")
    for _ in range(3):
        key(qtbot, fly, "BracketRight")  # 10x
    wheel(fly, 2)
    key(qtbot, fly, "Space")
    start = clock.et
    qtbot.waitUntil(lambda: clock.et > start + 4.0, timeout=WAIT_MS)
    drag(fly, 30, 0)
    qtbot.waitUntil(lambda: clock.et > start + 8.0, timeout=WAIT_MS)
    key(qtbot, fly, "R")
    assert fly.written and fly.written[-1].suffix == ".toml"
    loaded = scene.load(fly.written[-1], world)
    assert len(loaded.shots) == 1 and loaded.shots[0].rate == 10.0 and loaded.shots[0].follow == "io"
    shot = loaded.shots[0]
    assert start <= shot.start < shot.end <= clock.et + 1e-3 and len(shot.keys) >= 3
    path = loaded.camera_path(0, world.at)
    for k in (shot.keys[0], shot.keys[-1]):  # the exported camera passes through the flown keys
        flown = camera_from_spec(k.camera, world.at(k.et), k.fov_deg)
        assert np.allclose(path.at(k.et).position_km, flown.position_km, rtol=0, atol=1e-6)
    # While the window's GL context is current, Mesa's EGL makes no headless one current: draw in it.
    frames = list(iter_frames(loaded, ExportOptions(size=(64, 36), frames="0:1", supersample=1), world=world,
                              context=fly.context))
    assert len(frames) == 1 and frames[0][1].image.shape == (36, 64, 3) and frames[0][1].image.max() > 0
    out = fly.written[-1].parent / "frames"
    proc = subprocess.run([sys.executable, "-m", "viewer", "render", str(fly.written[-1]), "--frames", "0:2",
                           "--size", "64x36", "--no-supersample", "--quiet", "--out", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.glob("*.png")) == ["frame_000000.png", "frame_000001.png"]


def test_a_moving_view_is_drawn_smaller_and_refined_once_it_settles(qtbot: Any, fly: Any,
                                                                     monkeypatch: Any) -> None:
    import time

    import viewer.app.window as window

    monkeypatch.setattr(window, "FRAME_BUDGET_S", 1e-4)  # every frame is over budget: drop the size
    key(qtbot, fly, "Space")
    qtbot.waitUntil(lambda: fly.render_size[0] <= SIZE[0] * window.DRAFT_SCALES[2], timeout=WAIT_MS)
    w, h = fly.render_size
    assert w / h == pytest.approx(SIZE[0] / SIZE[1], rel=0.02)  # the aspect is kept
    key(qtbot, fly, "Space")
    stopped = time.perf_counter()
    qtbot.waitUntil(lambda: fly.render_size == SIZE, timeout=WAIT_MS)
    assert time.perf_counter() - stopped < 0.5 + 1.0  # SETTLE_S plus a frame on a busy machine
    frames = fly.frames
    frames_later(qtbot, fly, 1)
    assert fly.render_size == SIZE and fly.frames > frames and not fly.animating


def test_free_flight_moves_with_held_keys_and_looks_with_the_mouse(qtbot: Any, fly: Any) -> None:
    from PySide6 import QtCore

    from viewer.app.controls import FreeFlight
    from viewer.render.camera import inside_body

    key(qtbot, fly, "F")
    assert isinstance(fly.flight.mode, FreeFlight) and fly.flight.mode.anchor == "io"
    frames_later(qtbot, fly)
    _, cam0, snap = fly.last
    d0 = np.linalg.norm(cam0.position_km - snap.positions["io"])
    qtbot.keyPress(fly.canvas.native, QtCore.Qt.Key.Key_W)
    frames_later(qtbot, fly, 5)
    qtbot.keyRelease(fly.canvas.native, QtCore.Qt.Key.Key_W)
    assert not fly.animating or fly.render_size != SIZE
    frames_later(qtbot, fly)
    _, cam1, snap = fly.last
    d1 = np.linalg.norm(cam1.position_km - snap.positions["io"])
    assert d1 < d0 and inside_body(snap, cam1.position_km) is None
    drag(fly, 50, 0)
    frames_later(qtbot, fly)
    _, cam2, _ = fly.last
    assert np.allclose(cam2.position_km, cam1.position_km) and float(cam2.forward @ cam1.forward) < 0.999
    assert fly.flight.spec_text(fly.last[2]) is None  # no spec: screenshots still work, recording skips it


def test_look_and_light_toggles_from_keys_and_panel(qtbot: Any, fly: Any) -> None:
    """L, O, M, X and the exposure keys, and the panel's check boxes: each changes the frame, and undoing
    it gives back the same pixels; switching Jupitershine off darkens Io's night side."""
    key(qtbot, fly, "0")
    frames_later(qtbot, fly)
    base = fly.maker.renderer.ldr.read().copy()
    assert fly.setup.labels is False and not fly.setup.trails
    for name, field in (("L", "labels"), ("O", "trails")):
        key(qtbot, fly, name)
        frames_later(qtbot, fly)
        assert bool(getattr(fly.setup, field)) is True
        assert fly.panel.checks[field].isChecked()
        assert not np.array_equal(fly.maker.renderer.ldr.read(), base)
        key(qtbot, fly, name)
        frames_later(qtbot, fly)
    assert np.array_equal(fly.maker.renderer.ldr.read(), base)
    # X holds the metered EV; "." is half a stop brighter, exactly
    key(qtbot, fly, "X")
    frames_later(qtbot, fly)
    held = fly.session.last_ev
    assert fly.setup.tone.exposure == pytest.approx(round(held, 2))
    assert not fly.panel.checks["auto"].isChecked()
    key(qtbot, fly, "Period")
    frames_later(qtbot, fly)
    assert fly.session.last_ev == pytest.approx(round(held, 2) + 0.5)
    assert fly.maker.renderer.ldr.read().astype(int).sum() > base.astype(int).sum()
    fly.panel.checks["auto"].click()  # the panel: back to auto
    frames_later(qtbot, fly)
    assert fly.setup.tone.exposure == "auto"
    assert np.array_equal(fly.maker.renderer.ldr.read(), base)
    # The panel's Jupitershine box: at a fixed EV, Io's night side (lit by Jupiter alone) goes dark.
    key(qtbot, fly, "X")
    frames_later(qtbot, fly)
    lit = fly.maker.renderer.ldr.read().astype(int).sum()
    box = fly.panel.checks["light:jupitershine"]
    assert box.isChecked()
    box.click()  # the panel is hidden in these tests: a click through the widget's own API
    frames_later(qtbot, fly)
    assert "jupitershine" not in fly.setup.settings.light
    assert fly.maker.renderer.ldr.read().astype(int).sum() < lit
    box.click()
    key(qtbot, fly, "X")
    # M steps the look: preset → physical → junocam → preset
    for look in ("physical", "junocam", None):
        key(qtbot, fly, "M")
        assert fly.setup.look == look
    frames_later(qtbot, fly)
    assert np.array_equal(fly.maker.renderer.ldr.read(), base)


def test_u_looks_through_junocam_despun_and_spinning(qtbot: Any, fly: Any) -> None:
    """U: through JunoCam at the spin phase that brings the target nearest (de-spun), with the
    instrument's 58° field; Shift+U: turning with Juno, so a running clock turns the view."""
    from viewer.sim.juno import SPIN_RATE_DEG_S

    key(qtbot, fly, "2")  # orbit Io
    qtbot.waitUntil(lambda: (fly.refresh(), fly.flight.target() == "io")[1], timeout=WAIT_MS)
    key(qtbot, fly, "U")
    frames_later(qtbot, fly)
    assert fly.flight.spec_text(fly.last[2]) == "junocam:io"
    assert fly.last[1].horizontal_fov_deg == pytest.approx(58.0)
    key(qtbot, fly, "U", shift=True)
    frames_later(qtbot, fly)
    assert fly.flight.spec_text(fly.last[2]) == "junocam:spin"
    before = np.array(fly.last[1].forward)
    fly.session.set_time(fly.flight.clock.et + 90.0 / SPIN_RATE_DEG_S)  # a quarter turn later
    frames_later(qtbot, fly)
    after = np.array(fly.last[1].forward)
    assert float(before @ after) == pytest.approx(0.0, abs=0.05)
    key(qtbot, fly, "0")
