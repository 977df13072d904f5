"""The interactive window (``jupitershine fly``): a Qt main window holding the vispy canvas, the side
panel, the HUD and the help.

The flight, its frames and the clock's and camera's keys are a :class:`viewer.app.session.Session`
(shared with the notebook viewer, :mod:`viewer.app.notebook`): every frame goes through the renderer
call of stills and exports — a :class:`viewer.frames.FrameMaker` made in the canvas's own GL context —
and the 8-bit image it made is copied onto the canvas
(:class:`~viewer.render.passes.present.PresentPass`); the window adds no drawing path of its own. The
wall time between two frames (``time.perf_counter``) moves the clock (:class:`viewer.app.controls.Flight`);
the simulation never reads the wall clock.

A screenshot (P) renders the current camera and instant again, offscreen, at the screenshot size
through :meth:`viewer.still.StillSetup.maker` — exactly what ``jupitershine still`` does — and writes
the PNG atomically; with the same camera spec, time and size the two files are equal byte for byte.
Recording (R) writes the flight as a scene file (:mod:`viewer.app.record`).
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.app.controls import KEYS, TARGETS, Flight, action_for, keys_help
from viewer.app.hud import FrameStats, hud_lines, summarize
from viewer.app.record import Recorder
from viewer.app.script import ScriptRunner, Step, orbit_from_step
from viewer.app.session import MAX_WALL_STEP_S, Session, clock_span, is_session_action
from viewer.errors import UserError
from viewer.render.context import OLD_GL_REMEDY, GLUnavailable
from viewer.render.shaders import ShaderError

#: How often the HUD's numbers are recomputed while time runs, s.
HUD_INTERVAL_S = 0.5
#: Wall seconds a resize must settle before the frames are made at the new size.
RESIZE_SETTLE_S = 0.2
#: The frame interval the window aims for while the view moves, s (30 frames per second).
FRAME_BUDGET_S = 1.0 / 30.0
#: Fractions of the canvas's size a moving view is drawn at, tried in turn while frames take longer
#: than the budget (the image is scaled up onto the canvas); a settled view is drawn whole.
DRAFT_SCALES = (1.0, 0.85, 0.7, 0.6, 0.5, 0.42, 0.35, 0.3, 0.25)
#: Wall seconds after the last drag or wheel notch (or the clock's stop) when the view has settled.
SETTLE_S = 0.2
#: Frame intervals left out of the fps statistics at the start (map loading, first compiles).
WARMUP_FRAMES = 3
#: Characters a line of the help overlay holds (longer descriptions wrap under themselves).
HELP_COLUMNS = 84


@dataclass
class FlyConfig:
    """What ``fly`` opens: ``setup`` (the resolved preset and options, as for a still), the world, users'
    maps and model, the canvas size (pixels), the clock's span (TDB s), and the automation options."""

    setup: Any  # viewer.still.StillSetup
    world: Any
    maps: dict[str, Any] | None = None
    spacecraft: Any = None
    size: tuple[int, int] = (1280, 720)
    span: tuple[float, float] | None = None
    quit_after: float | None = None
    script: tuple[Step, ...] = ()
    screenshot_size: tuple[int, int] | None = None
    out_dir: Path = Path("out")
    panel: bool = True
    threaded_events: bool = True
    events: Sequence[Any] | None = None  # the jump keys' events, if already found (else searched)
    status: str | None = None  # a line for stderr once the renderer is made (which maps: viewer.maps)


def _qt() -> Any:
    from PySide6 import QtCore, QtGui, QtWidgets

    return QtCore, QtGui, QtWidgets


def make_window(config: FlyConfig) -> Any:
    """The main window (a ``QMainWindow``), not yet shown. A QApplication must exist."""
    _, _, QtWidgets = _qt()

    class FlyWindow(QtWidgets.QMainWindow):  # type: ignore[misc, name-defined]
        def closeEvent(self, event: Any) -> None:  # Qt names it
            self.viewer.close()
            super().closeEvent(event)

    win = FlyWindow()
    win.viewer = Viewer(win, config)
    return win


class Viewer:
    """The window's logic: the canvas and its frames, input, HUD, panel, screenshots, recording."""

    def __init__(self, window: Any, config: FlyConfig) -> None:
        from viewer.render.context import qt_canvas_context

        QtCore, QtGui, QtWidgets = _qt()
        self.window, self.config = window, config
        self.session = Session(config.setup, config.world, maps=config.maps, spacecraft=config.spacecraft,
                               span=config.span, events=config.events, threaded_events=config.threaded_events)
        self.context = qt_canvas_context(config.size)
        self.canvas = self.context.canvas
        self.present: Any = None
        self.stats = FrameStats()
        self.frames = 0
        self.error: BaseException | None = None
        self.exit_code = 0
        self.info: dict[str, Any] | None = None
        self.recorder: Recorder | None = None
        self.written: list[Path] = []
        self.message = ""
        self._want_screenshot: Path | None = None
        self._prev_draw: float | None = None
        self._first_frame: float | None = None
        self._hud_time = -1e300
        self._hud_et: float | None = None
        self._drag: tuple[float, float] | None = None
        self._pending_size: tuple[int, int] | None = None
        self.full_size = (max(int(config.size[0]), 1), max(int(config.size[1]), 1))
        self._level = 0  # index into DRAFT_SCALES while the view moves
        self._moved = -1e300  # wall time of the last motion (input, running clock, flight)
        self._was_moving = False
        self.reduced_frames = 0  # frames drawn below the full size (for --quit-after's report)
        self.refine_latencies: list[float] = []  # s from the view settling to its full-size frame
        self._drew_reduced = False
        self._size_changed = 0.0
        self._script = ScriptRunner(config.script) if config.script else None
        self._closed = False

        window.setWindowTitle(f"Jupitershine — {self.setup.spec.name}")
        native = self.canvas.native
        native.setMinimumSize(64, 64)
        window.setCentralWidget(native)
        window.resize(*config.size)

        font = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
        self.hud = QtWidgets.QLabel(native)
        self.hud.setFont(font)
        self.hud.setStyleSheet("color: #e8e8e8; background: rgba(0, 0, 0, 150); padding: 4px; "
                               "border: 1px solid rgba(255, 255, 255, 60);")
        self.hud.move(6, 6)
        self.help = QtWidgets.QLabel(native)
        self.help.setFont(font)
        self.help.setStyleSheet("color: #f0f0f0; background: rgba(0, 0, 0, 200); padding: 10px;")
        self.help.setText("Keys\n" + keys_help(HELP_COLUMNS))
        self.help.adjustSize()
        self.help.hide()
        self.status = window.statusBar()

        from viewer.app.panel import Panel

        self.panel = Panel(self)
        window.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, self.panel.dock)
        self.panel.dock.setVisible(config.panel)

        c = self.canvas
        c.events.draw.connect(self._on_draw)
        c.events.key_press.connect(self._on_key)
        c.events.key_release.connect(self._on_key_release)
        c.events.mouse_press.connect(self._on_mouse_press)
        c.events.mouse_move.connect(self._on_mouse_move)
        c.events.mouse_release.connect(self._on_mouse_release)
        c.events.mouse_wheel.connect(self._on_wheel)
        c.events.resize.connect(self._on_resize)
        self._info = InfoWorker(self.world, threaded=config.threaded_events)
        self._info_timer = QtCore.QTimer(native)
        self._info_timer.timeout.connect(self._poll_info)
        self._info_timer.start(100)
        if config.quit_after is not None:
            self._quit_timer = QtCore.QTimer(native)
            self._quit_timer.setSingleShot(True)
            self._quit_timer.timeout.connect(self.finish)

    # -- the session's state ----------------------------------------------------------------------------

    @property
    def flight(self) -> Flight:
        return self.session.flight

    @property
    def setup(self) -> Any:
        return self.session.setup

    @property
    def world(self) -> Any:
        return self.session.world

    @property
    def maker(self) -> Any:
        return self.session.maker

    @property
    def last(self) -> tuple[float, Any, Any] | None:
        """(et, camera, snapshot) of the last frame drawn."""
        return self.session.last

    # -- frames ---------------------------------------------------------------------------------------

    @property
    def render_size(self) -> tuple[int, int]:
        """The size (pixels) the last frame was made at (below :attr:`full_size` while moving)."""
        if self.maker is None:
            w, h = self.canvas.physical_size
            return int(w), int(h)
        w, h = self.maker.settings.size
        return int(w), int(h)

    def _make_maker(self) -> None:
        from viewer.render.passes.present import PresentPass

        w, h = (int(v) for v in self.canvas.physical_size)
        self.full_size = (max(w, 1), max(h, 1))
        self.session.make_maker(self.context, self.full_size)
        self.present = PresentPass(self.context)
        if self.config.status is not None:  # after the GL checks, so a GL too old stays one line
            print(self.config.status, file=sys.stderr, flush=True)

    def _on_draw(self, event: Any) -> None:
        if self._closed:
            return
        try:
            self._draw()
        except ShaderError as exc:  # a driver that cannot compile the shaders: one line, exit 2
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self._fail(GLUnavailable(f"the OpenGL driver could not build a shader ({first}); "
                                     f"{OLD_GL_REMEDY}"))
        except UserError as exc:
            if self.maker is None:  # no renderer (a GL too old): nothing to show, end with its line
                self._fail(exc)
                return
            self.flight.clock.pause()
            self.say(str(exc))
        except Exception as exc:  # a bug: report it and end the run with its traceback
            self.error = exc
            traceback.print_exc()
            self.exit_code = 1
            self._close_later()

    def _fail(self, exc: UserError) -> None:
        """End the run: ``fly`` prints ``exc``'s one line and exits 2."""
        self.error = exc
        self.exit_code = 2
        self._close_later()

    def _draw(self) -> None:
        now = time.perf_counter()
        if self.maker is None:
            self._make_maker()
        dt = 0.0 if self._prev_draw is None else now - self._prev_draw
        if self._prev_draw is not None and self.frames >= WARMUP_FRAMES:
            self.stats.add(dt)
        self._prev_draw = now
        self.session.take_events()
        if self._script is not None and self._first_frame is not None:
            for step in self._script.due(now - self._first_frame):
                self.run_step(step)
        self._apply_size(now)
        self._choose_scale(now, dt)
        if self.session.held:  # free flight's keys move the view
            self._moved = now
        self.session.render(min(dt, MAX_WALL_STEP_S), draft=self.render_size != self.full_size)
        et, _, snap = self.session.last  # type: ignore[misc]
        self.present.draw(self.maker.renderer.ldr, tuple(int(v) for v in self.canvas.physical_size))
        self.frames += 1
        full = self.render_size == self.full_size
        if full and self._drew_reduced:  # the refinement: seconds from the last motion to this frame
            self.refine_latencies.append(time.perf_counter() - self._moved)
        self._drew_reduced = not full
        if self.render_size != self.full_size and self.frames > WARMUP_FRAMES:
            self.reduced_frames += 1
        if self.frames == 1:  # scripts and --quit-after count from the end of the first (slowest) frame
            self._first_frame = time.perf_counter()
            if self.config.quit_after is not None:
                self._quit_timer.start(int(self.config.quit_after * 1000))
        if self.recorder is not None:
            self.recorder.sample(now, et, self.flight.clock.rate, self.flight.clock.playing,
                                 self._anchor(snap))
        if self._want_screenshot is not None:
            path, self._want_screenshot = self._want_screenshot, None
            self.screenshot(path)
        self._update_hud(now, et)
        if self.animating:
            self.canvas.update()

    @property
    def animating(self) -> bool:
        """Whether frames follow one another without input (time runs, a flight, automation)."""
        return (self.session.animating  # time runs, a flight, held keys
                or self.config.quit_after is not None or self._pending_size is not None
                or (self._script is not None and not self._script.finished)
                or self.render_size != self.full_size)  # a draft to refine

    def moving(self, now: float) -> bool:
        """Whether the view is changing: time runs, a flight, a drag or wheel within :data:`SETTLE_S`."""
        from viewer.app.controls import Transition

        if self.flight.clock.playing or isinstance(self.flight.mode, Transition):
            self._moved = now
        return now - self._moved < SETTLE_S

    def _choose_scale(self, now: float, dt: float) -> None:
        """Draw a moving view at the largest :data:`DRAFT_SCALES` size whose frames keep within
        :data:`FRAME_BUDGET_S` (from the last interval, stepping one size at a time), a settled one at
        the canvas's full size (the refinement: the next frame after the view settles)."""
        was = self.render_size
        moving, was_moving = self.moving(now), self._was_moving
        self._was_moving = moving
        if moving and was_moving and 0.0 < dt < 1.0:  # an interval between two moving frames
            scale = DRAFT_SCALES[self._level]
            budget = FRAME_BUDGET_S
            if dt > 1.15 * budget and self._level + 1 < len(DRAFT_SCALES):
                self._level += 1
            elif self._level > 0 and dt * (DRAFT_SCALES[self._level - 1] / scale) ** 2 < 0.85 * budget:
                self._level -= 1  # the next size up would fit the budget (cost ~ pixels)
        scale = DRAFT_SCALES[self._level] if moving else 1.0
        w, h = self.full_size
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        if size != was:
            self.maker.resize(size)

    def _anchor(self, snap: Any) -> Any:
        try:
            return self.flight.anchor(snap)
        except UserError:
            return None

    def fit_canvas(self) -> None:
        """Resize the shown window so that the canvas gets the configured size (the panel, the status
        bar and the frame take the rest)."""
        _, _, QtWidgets = _qt()
        QtWidgets.QApplication.processEvents()
        native = self.canvas.native
        w, h = self.config.size
        dx, dy = w - native.width(), h - native.height()
        if dx or dy:
            self.window.resize(self.window.width() + dx, self.window.height() + dy)
            QtWidgets.QApplication.processEvents()

    def refresh(self) -> None:
        """Draw a new frame soon (after input)."""
        self.canvas.update()

    # -- sizes ----------------------------------------------------------------------------------------

    def _on_resize(self, event: Any) -> None:
        w, h = (int(v) for v in event.physical_size)
        self._pending_size = (max(w, 1), max(h, 1))
        self._size_changed = time.perf_counter()
        self._place_overlays()
        self.refresh()

    def _apply_size(self, now: float) -> None:
        if self._pending_size is None or now - self._size_changed < RESIZE_SETTLE_S:
            return
        self.full_size, self._pending_size = self._pending_size, None

    def _place_overlays(self) -> None:
        """The help centred on the canvas, below the HUD when there is room for both."""
        native = self.canvas.native
        top = self.hud.geometry().bottom() + 8 if self.hud.isVisible() else 0
        y = (native.height() - self.help.height()) // 2
        if y < top and top + self.help.height() <= native.height():
            y = top
        self.help.move(max(0, (native.width() - self.help.width()) // 2), max(0, y))

    # -- HUD ------------------------------------------------------------------------------------------

    def _update_hud(self, now: float, et: float) -> None:
        """Ask for the numbers of a new instant (at most every :data:`HUD_INTERVAL_S` while time runs)
        and show the latest that arrived."""
        if et != self._hud_et and (now - self._hud_time >= HUD_INTERVAL_S or not self.flight.clock.playing):
            self._hud_et, self._hud_time = et, now
            self._info.request(et)
        self._poll_info()

    def _poll_info(self) -> None:
        """Show the HUD numbers that arrived (also between frames, from a timer: a paused view)."""
        info = self._info.take()
        if info is not None:
            self.info = info
            self.panel.sync()
        self._show_hud()

    def _show_hud(self) -> None:
        if self.info is None or not self.hud.isVisible():
            return
        clock = self.flight.clock
        status = "REC" if self.recorder is not None else ""
        self.hud.setText("\n".join(hud_lines(self.info, clock.rate, clock.playing, self.stats.recent_fps,
                                             status)))
        self.hud.adjustSize()
        # Never shrink: a translucent child of the GL widget that shrinks leaves the uncovered strip
        # grey until the canvas repaints, which a paused view does not do.
        self.hud.setMinimumSize(self.hud.size())

    def say(self, text: str) -> None:
        """A one-line message in the status bar (and kept in :attr:`message`)."""
        self.message = text
        self.status.showMessage(text, 8000)

    # -- input ----------------------------------------------------------------------------------------

    def _on_key(self, event: Any) -> None:
        from vispy.util import keys

        if event.key is None:
            return
        name = event.key.name.upper() if len(event.key.name) == 1 else event.key.name
        if self.session.press(name, keys.SHIFT in event.modifiers):
            self._moved = time.perf_counter()
            self.refresh()
            return
        action = action_for(event.key.name)
        if action is not None:
            self.do(action, backward=keys.SHIFT in event.modifiers)

    def _on_key_release(self, event: Any) -> None:
        if event.key is None or (event.native is not None and event.native.isAutoRepeat()):
            return
        name = event.key.name.upper() if len(event.key.name) == 1 else event.key.name
        self.session.release(name)

    def restyle(self, **changes: Any) -> None:
        """The panel's look and light controls: :meth:`viewer.app.session.Session.restyle`."""
        try:
            self.session.restyle(**changes)
        except UserError as exc:
            self.say(str(exc))
        self.panel.sync()
        self.refresh()

    def do(self, action: str, backward: bool = False) -> None:
        """Carry out a key's action (:data:`viewer.app.controls.KEYS`); the panel's buttons call this too."""
        try:
            self._do(action, backward)
        except UserError as exc:
            self.say(str(exc))
        self.panel.sync()
        self.refresh()

    def _do(self, action: str, backward: bool) -> None:
        self.session.held.clear()
        if is_session_action(action):
            text = self.session.do(action, backward)
            if action == "free" and text is not None and self.recorder is not None:
                text += " (not recorded: no camera spec holds it)"
            if text is not None:
                self.say(text)
        elif action == "hud":
            self.hud.setVisible(not self.hud.isVisible())
            self._show_hud()
        elif action == "panel":
            self.panel.dock.setVisible(not self.panel.dock.isVisible())
        elif action == "help":
            self.help.setVisible(not self.help.isVisible())
            self._place_overlays()
        elif action == "screenshot":
            self.request_screenshot()
        elif action == "record":
            self.toggle_record()
        elif action == "quit":
            self._close_later()

    def _on_mouse_press(self, event: Any) -> None:
        if event.button == 1:
            self._drag = (float(event.pos[0]), float(event.pos[1]))

    def _on_mouse_move(self, event: Any) -> None:
        if self._drag is None or 1 not in (event.buttons or []):
            return
        x, y = float(event.pos[0]), float(event.pos[1])
        dx, dy = x - self._drag[0], y - self._drag[1]
        self._drag = (x, y)
        self._moved = time.perf_counter()
        try:
            self.session.drag(dx, dy)
        except UserError as exc:
            self.say(str(exc))
        self.refresh()

    def _on_mouse_release(self, event: Any) -> None:
        self._drag = None

    def _on_wheel(self, event: Any) -> None:
        steps = float(event.delta[1])
        if steps == 0.0:
            return
        self._moved = time.perf_counter()
        try:
            self.session.wheel(steps)
        except UserError as exc:
            self.say(str(exc))
        self.refresh()

    def set_time(self, et: float) -> None:
        """Go to TDB ``et`` (clamped to the span)."""
        self.session.set_time(et)
        self._moved = time.perf_counter()
        self.refresh()

    # -- automation -----------------------------------------------------------------------------------

    def run_step(self, step: Step) -> None:
        """Carry out a script step (:mod:`viewer.app.script`)."""
        clock = self.flight.clock
        for key in step.keys:
            action = action_for(key)
            if action is not None:
                self.do(action)
        if step.rate is not None:
            clock.set_rate(step.rate)
        if step.play is not None:
            clock.playing = step.play
        if step.target is not None:
            snap = self.session.snapshot()
            try:
                self.flight.fly_to(snap, orbit_from_step(step, snap, self.flight.last_camera), step.fly)
            except UserError as exc:
                self.say(str(exc))

    def finish(self) -> None:
        """End a ``--quit-after`` run: print the frame rates and close (exit status 0)."""
        mean, p5, n = summarize(self.stats.intervals)
        w, h = self.full_size
        reduced = self.reduced_frames / max(self.frames - WARMUP_FRAMES, 1)
        print(f"fps: mean {mean:.1f}, 5th percentile {p5:.1f} ({n} frames at {w}x{h}, {reduced:.0%} of them "
              f"drawn smaller while moving, {self.stats_seconds():.1f} s)", flush=True)
        if self.refine_latencies:
            print(f"refined to full size {1000 * max(self.refine_latencies):.0f} ms at most after the view "
                  f"settled ({len(self.refine_latencies)} times)", flush=True)
        self._close_later()

    def stats_seconds(self) -> float:
        return float(sum(self.stats.intervals))

    def _close_later(self) -> None:
        QtCore, _, _ = _qt()
        QtCore.QTimer.singleShot(0, self.window.close)

    @property
    def events_ready(self) -> bool:
        return self.session.events_ready

    # -- capture --------------------------------------------------------------------------------------

    def screenshot_name(self) -> Path:
        from viewer.sim.timescales import et_to_utc

        et = self.last[0] if self.last is not None else self.flight.clock.et
        stamp = et_to_utc(et).replace(":", "").replace("-", "").removesuffix("Z")
        return self.config.out_dir / f"fly-{stamp}.png"

    def request_screenshot(self, path: str | Path | None = None) -> None:
        """Take a screenshot after the next frame (P)."""
        self._want_screenshot = Path(path) if path is not None else self.screenshot_name()
        self.refresh()

    def screenshot(self, path: str | Path) -> Path:
        """Render the last frame's camera and instant offscreen at the screenshot size through the
        still's FrameMaker (:meth:`viewer.still.StillSetup.maker`) and write it atomically as PNG."""
        from viewer.sim.timescales import et_to_utc
        from viewer.still import save_png

        size = self.config.screenshot_size or self.full_size
        shot = self.session.screenshot(size, self.context)
        et, _, snap = self.session.last  # type: ignore[misc]
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        save_png(p, shot.image)
        self.written.append(p)
        spec = self.flight.spec_text(snap)
        where = f"camera {spec}" if spec is not None else "camera in flight"
        text = f"wrote {p} ({size[0]}x{size[1]}, {et_to_utc(et, places=6)} UTC, {where})"
        print(text, file=sys.stderr, flush=True)
        self.say(text)
        return p

    def toggle_record(self) -> Path | None:
        """Start recording, or stop and write the scene file (returns its path)."""
        if self.recorder is None:
            self.recorder = Recorder(self.setup, self.flight.fov_deg)
            self.say("recording: fly with the clock running forward; R again writes the scene")
            return None
        rec, self.recorder = self.recorder, None
        rec.stop()
        if rec.empty:
            self.say("nothing recorded: the clock must run forward while recording")
            return None
        n = 1
        while (path := self.config.out_dir / f"flight-{n}.toml").exists():
            n += 1
        self.config.out_dir.mkdir(parents=True, exist_ok=True)
        rec.write(path)
        self.written.append(path)
        text = f"wrote {path}: render it with `jupitershine render {path}`"
        print(text, file=sys.stderr, flush=True)
        self.say(text)
        return path

    def close(self) -> None:
        """The window closes: write a recording still open, stop drawing and release the GL context
        (no longer current on this thread, so a headless EGL context can be made current after it)."""
        if self._closed:
            return
        if self.recorder is not None:
            try:
                self.toggle_record()
            except (OSError, UserError) as exc:
                print(f"jupitershine: could not write the recording: {exc}", file=sys.stderr)
        self._closed = True
        self._info_timer.stop()
        self.session.close()
        self.present = None
        self.context.close()
        release_gl()


def release_gl() -> None:
    """Make no Qt GL context current on this thread (Qt's compositor keeps one current after a
    window's last paint; Mesa's EGL then refuses to make a headless context current)."""
    _, QtGui, _ = _qt()
    current = QtGui.QOpenGLContext.currentContext()
    if current is not None:
        current.doneCurrent()


class InfoWorker:
    """The HUD's numbers (:func:`viewer.report.info_dict`) computed beside the frame loop: a thread
    with a World of its own computes the latest instant asked for while the frame thread waits on GL
    (ctypes calls release the GIL), so the ~10 ms of geometry never lands on one frame. ``threaded``
    False (SPICE: its kernel pool is not thread-safe) computes at once, with the frames' World."""

    def __init__(self, world: Any, threaded: bool = True) -> None:
        self.world = world
        self._wanted: float | None = None
        self._result: dict[str, Any] | None = None
        self._cv = threading.Condition()
        self.threaded = threaded
        if threaded:
            threading.Thread(target=self._loop, daemon=True, name="hud-info").start()

    def request(self, et: float) -> None:
        """Compute the numbers at TDB ``et`` (replacing an instant asked for and not yet started)."""
        from viewer.report import info_dict

        if not self.threaded:
            self._result = info_dict(self.world, et)
            return
        with self._cv:
            self._wanted = float(et)
            self._cv.notify()

    def take(self) -> dict[str, Any] | None:
        """The numbers computed since the last call, or None."""
        with self._cv:
            result, self._result = self._result, None
        return result

    def _loop(self) -> None:
        from viewer.report import info_dict
        from viewer.sim.world import World

        world = World()
        while True:
            with self._cv:
                while self._wanted is None:
                    self._cv.wait()
                et, self._wanted = self._wanted, None
            info = info_dict(world, et)
            with self._cv:
                self._result = info


def run_window(config: FlyConfig) -> int:
    """Open the window and run Qt's event loop until it closes; returns the exit status."""
    QtCore, _, QtWidgets = _qt()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([sys.argv[0]])
    win = make_window(config)
    win.show()
    # Inside the event loop: a window closed before exec() starts would leave exec() waiting forever.
    QtCore.QTimer.singleShot(0, win.viewer.fit_canvas)
    app.exec()
    viewer = win.viewer
    if viewer.error is not None:
        raise viewer.error
    return int(viewer.exit_code)


__all__ = ["KEYS", "TARGETS", "FlyConfig", "Viewer", "clock_span", "make_window", "release_gl", "run_window"]
