"""The interactive viewer without a toolkit: one flight (clock and camera), its frames, its input.

A :class:`Session` is what the Qt window (:mod:`viewer.app.window`) and the notebook viewer
(:mod:`viewer.app.notebook`) both drive: the :class:`~viewer.app.controls.Flight` (the clock over its
span and the camera mode), the :class:`~viewer.frames.FrameMaker` every frame goes through (the
renderer call of stills and exports, in whatever GL context the frontend has: the window's canvas or a
headless EGL one), the free-flight keys held down, the events the jump keys reach (searched in a
thread with a World of its own) and the actions of the keys that move the clock and the camera. The
frontends turn their toolkit's events into key names (vispy's: ``"Space"``, ``"B"``, ``"]"``,
``"F1"``), drags in pixels and wheel notches, feed the wall time between two frames to
:meth:`Session.render`, and show the 8-bit image it returns; what only a window has (panel, HUD
labels, help, recording) stays in the frontend.

Nothing here reads the wall clock or imports Qt or Jupyter; units are those of
:mod:`viewer.app.controls` (km, J2000, degrees, TDB seconds).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from viewer.app.controls import MOVE_KEYS, Flight, FreeFlight, Transition
from viewer.errors import UserError
from viewer.sim.clock import Clock

#: The longest wall step one frame moves the clock by, s (a stalled frame does not leap in time).
MAX_WALL_STEP_S = 0.1
#: Simulated seconds between two frames beyond which the clock counts as fast: each frame would land
#: past the Jupitershine grid's nodes (1,024–2,048 s for the moons, seconds for Juno near Io), so the
#: frame reuses the nodes there or takes the far-field estimate (FrameMaker.frame's ``fast_clock``)
#: and costs what a still frame does, at 10⁶× too. A paused or slow clock gets the exact light.
FAST_CLOCK_S = 60.0
#: A moving view's automatic exposure is metered on one draft frame in this many (:meth:`Session.render`).
DRAFT_METER_EVERY = 4
#: How far around the opening instant the jump keys' events are searched, s (either side).
EVENT_SEARCH_S = 3 * 86400.0
#: The trails the toggle shows when the preset and the options had none.
DEFAULT_TRAILS = ("juno:io", "io", "europa", "ganymede", "callisto")
#: :meth:`Session.restyle`'s "leave the look as it is".
KEEP = object()
#: How far around the opening instant the interactive trails are sampled, s (either side).
TRAIL_REACH_S = 6 * 3600.0
#: The actions (:data:`viewer.app.controls.KEYS`) a session carries out itself: the clock's and the
#: camera's. The others (HUD, panel, help, screenshot, record, quit) belong to a frontend.
SESSION_ACTIONS = frozenset({"play_pause", "reverse", "faster", "slower", "chase", "free", "reset",
                             "labels", "trails", "look", "auto_exposure", "brighter", "darker", "junocam"})
#: The looks the look key steps through (None: the preset's own exposure and curve).
LOOK_CYCLE = (None, "physical", "junocam")
#: Stops the exposure keys move the EV by.
EV_STEP = 0.5


def clock_span(world: Any, et: float) -> tuple[float, float]:
    """The stretch of time (TDB s) the interactive clock may run over: Juno's trajectory coverage
    around ``et`` when it has one there, else 30 days either side."""
    from viewer.sim.events import juno_spans

    for a, b in juno_spans(world, et - 400 * 86400.0, et + 400 * 86400.0):
        if a <= et <= b:
            return a, b
    return et - 30 * 86400.0, et + 30 * 86400.0


def scene_span(preset: str | None, world: Any) -> tuple[float, float] | None:
    """The span (TDB s) of a scene's shots (the clock runs over it), or None for a plain preset."""
    from viewer import scene

    if preset is None:
        return None
    loaded = scene.load(preset, world)
    if not any(s.end > s.start for s in loaded.shots):
        return None
    return min(s.start for s in loaded.shots), max(s.end for s in loaded.shots)


def is_session_action(action: str) -> bool:
    """Whether :meth:`Session.do` carries out ``action`` (jumps and target switches included)."""
    return action in SESSION_ACTIONS or action.startswith(("jump:", "target:"))


class Session:
    """One interactive flight and its frames (module docstring).

    Parameters
    ----------
    setup : :class:`viewer.still.StillSetup` — the resolved preset and options (time, camera spec,
        field of view, render settings, look, trails, labels)
    world : the World (embedded ephemeris or SPICE)
    maps, spacecraft : users' maps (encoded arrays by body) and model, or None for the shipped ones
    span : the clock's span (TDB s); default :func:`clock_span`
    events : the jump keys' events if already found (else searched within :data:`EVENT_SEARCH_S`)
    threaded_events : search them in a thread with a World of its own (False with SPICE: its kernel
        pool is not thread-safe, so the search runs at once with ``world``)
    """

    def __init__(self, setup: Any, world: Any, *, maps: dict[str, Any] | None = None, spacecraft: Any = None,
                 span: tuple[float, float] | None = None, events: Any = None,
                 threaded_events: bool = True) -> None:
        self.setup, self.world = setup, world
        self.maps, self.spacecraft = maps, spacecraft
        et = setup.et
        self.span = span or clock_span(world, et)
        self.flight = Flight(world, Clock(et=et, span=self.span), str(setup.camera), float(setup.fov_deg))
        self.maker: Any = None
        self._trails = tuple(setup.trails)  # what the trails toggle brings back
        #: The EV of the last frame (the exposure keys step from it; 0 before the first frame).
        self.last_ev = 0.0
        self._metered_ago = 0  # frames since an automatic exposure was last metered
        self.last: tuple[float, Any, Any] | None = None  # (et, camera, snapshot) of the last frame made
        self.held: set[str] = set()  # free flight's movement keys held down
        self.boost = False
        self.message = ""
        self._events: list[Any] | None = None
        self._found: list[Any] | None = None
        self._start_event_search(events, threaded_events)

    # -- frames ---------------------------------------------------------------------------------------

    def make_maker(self, context: Any, size: tuple[int, int]) -> Any:
        """The session's FrameMaker in ``context`` at ``size`` (width, height) pixels: the setup's
        settings, trails sampled :data:`TRAIL_REACH_S` either side of the clock's instant (within its
        span), the event marks near it with labels. Kept as :attr:`maker`."""
        from viewer.frames import FrameMaker

        s = self.setup
        w, h = max(int(size[0]), 1), max(int(size[1]), 1)
        self.maker = FrameMaker(self.world, replace(s.settings, size=(w, h)), night=s.night, look=s.look,
                                maps=self.maps, spacecraft=self.spacecraft,
                                trails=self._sampled_trails(s.trails),
                                marks=self._marks() if s.labels else [], context=context)
        return self.maker

    def _sampled_trails(self, trails: Iterable[Any]) -> list[Any]:
        """``trails`` (TrailSpecs) sampled :data:`TRAIL_REACH_S` either side of the clock's instant
        (within its span), with the setup's trail span."""
        from viewer.export import sequence_trails

        specs = [(t.body, t.frame) for t in trails]
        if not specs:
            return []
        et = self.flight.clock.et
        span = self.flight.clock.span or (et, et)
        first, last = max(span[0], et - TRAIL_REACH_S), min(span[1], et + TRAIL_REACH_S)
        return list(sequence_trails(self.world, specs, first, last, self.setup.span.past_s,
                                    self.setup.span.future_s))

    def _marks(self) -> list[Any]:
        """The event marks near the clock's instant (for the labels)."""
        from viewer.render.passes.labels import event_marks

        return list(event_marks(self.world, self.flight.clock.et))

    @property
    def size(self) -> tuple[int, int]:
        """The size (width, height, pixels) frames are made at now."""
        w, h = self.maker.settings.size if self.maker is not None else self.setup.settings.size
        return int(w), int(h)

    def resize(self, size: tuple[int, int]) -> None:
        """Make frames of ``size`` (width, height) pixels from now on."""
        size = (max(int(size[0]), 1), max(int(size[1]), 1))
        if self.maker is not None and size != self.size:
            self.maker.resize(size)

    def render(self, wall_dt: float = 0.0, draft: bool = False) -> Any:
        """Move the clock, a flight between targets and free flight's held keys by ``wall_dt`` wall
        seconds (at most :data:`MAX_WALL_STEP_S`), then make the frame: a
        :class:`~viewer.frames.FrameResult` (``.image``: (H, W, 3) uint8 sRGB). :meth:`make_maker`
        first. Raises UserError (one line) when the camera cannot be made.

        ``draft``: a frame of a moving view (the window's reduced-size frames). An automatic exposure is
        then metered on one frame in :data:`DRAFT_METER_EVERY` and held in between (metering reads a
        subsample back, a stall of the GPU pipeline; measured ~6 ms of a ~30 ms draft on llvmpipe); a
        settled frame is always metered, so what the view settles on is the still's exposure."""
        step = min(max(float(wall_dt), 0.0), MAX_WALL_STEP_S)
        self.take_events()
        et = self.flight.advance(step)
        snap = self.world.at(et)
        if self.held and isinstance(self.flight.mode, FreeFlight):
            direction = [sum(MOVE_KEYS[k][i] for k in self.held) for i in range(3)]
            self.flight.mode.move(snap, direction, step, self.boost)
        cam = self.flight.camera(snap)
        fast = self.last is not None and abs(et - self.last[0]) > FAST_CLOCK_S
        tone = self.setup.tone
        hold = (draft and self.last is not None and tone.exposure == "auto" and not self.setup.night
                and self._metered_ago < DRAFT_METER_EVERY - 1)
        result = self.maker.frame(et, cam, snapshot=snap, fast_clock=fast, ev=self.last_ev if hold else None)
        self._metered_ago = self._metered_ago + 1 if hold else 0
        self.last = (et, cam, snap)
        self.last_ev = float(result.ev)
        return result

    @property
    def animating(self) -> bool:
        """Whether frames follow one another without input: the clock runs, a flight between targets,
        free flight's keys held."""
        return self.flight.clock.playing or isinstance(self.flight.mode, Transition) or bool(self.held)

    def snapshot(self) -> Any:
        """The world at the clock's instant (the last frame's when it was made at that instant)."""
        if self.last is not None and self.last[0] == self.flight.clock.et:
            return self.last[2]
        return self.flight.snapshot()

    def _current(self) -> Any:
        """:meth:`snapshot`, with the flight's last camera brought up to it: input between frames (a
        property set from Python, the clock moved) acts on the view as it is now."""
        snap = self.snapshot()
        self.flight.camera(snap)
        return snap

    def spec_text(self) -> str | None:
        """The exact camera spec of the current view (None in free flight or between targets)."""
        return self.flight.spec_text(self.snapshot())

    def screenshot(self, size: tuple[int, int], context: Any) -> Any:
        """The last frame's camera and instant rendered again at ``size`` through the still's
        FrameMaker (:meth:`viewer.still.StillSetup.maker`, in ``context``) — byte for byte what
        ``jupitershine still`` makes of the same spec, time and size: its FrameResult."""
        if self.last is None:
            raise UserError("no frame yet to take a screenshot of")
        et, cam, snap = self.last
        setup = replace(self.setup, settings=replace(self.setup.settings, size=tuple(size)))
        with setup.maker(self.world, et, self.maps, self.spacecraft, context) as maker:
            return maker.frame(et, cam, snapshot=snap)

    def restyle(self, *, labels: bool | None = None, trails: bool | None = None,
                light: Iterable[str] | None = None, look: str | object | None = KEEP,
                exposure: float | str | None = None) -> None:
        """Change what the frames show from the next one on (the panel's toggles and the keys L, O, M,
        X, ``,`` and ``.``): ``labels``; ``trails`` on or off (the setup's trails, or
        :data:`DEFAULT_TRAILS` when it had none); the enabled ``light`` paths; the ``look`` (a name
        from :data:`viewer.render.looks.LOOKS` or None for the preset's exposure and curve; its
        exposure replaces the current one); the ``exposure`` (EV, or ``"auto"``). The tone changes in
        place, the light paths too; labels and trails are made anew (trails sampled over
        :data:`TRAIL_REACH_S` around the instant). Raises UserError (one line) for an unknown light path,
        look or EV."""
        from viewer.config import TrailSpec
        from viewer.frames import Tone
        from viewer.render.exposure import check_ev
        from viewer.render.looks import get_look, look_tone
        from viewer.still import preset_tone

        s = self.setup
        settings = s.settings
        if look is not KEEP or exposure is not None:
            name = s.look if look is KEEP else look
            if name is not None:
                name = get_look(str(name)).name  # an unknown look: UserError
            ev: Any = None
            if exposure is not None:
                ev = "auto" if exposure == "auto" else check_ev(exposure)
            tone, night = look_tone(name, preset_tone(self.setup.spec), exposure=ev)
            s = replace(s, settings=replace(settings, tone=tone), tone=tone, night=night, look=name)
            settings = s.settings
            if self.maker is not None:
                self.maker.tone = Tone(tone, night, name)
        renderer = self.maker.renderer if self.maker is not None else None
        if light is not None:
            paths = frozenset(str(p) for p in light)
            settings = replace(settings, light=paths)  # RenderSettings refuses an unknown path
            if renderer is not None:
                renderer.set_light(paths)
        if labels is not None and bool(labels) != s.labels:
            s = replace(s, labels=bool(labels))
            if renderer is not None:
                renderer.set_labels(s.labels, self._marks() if s.labels else ())
        if trails is not None and bool(trails) != bool(s.trails):
            chosen = (self._trails or tuple(TrailSpec.parse(t) for t in DEFAULT_TRAILS)) if trails else ()
            s = replace(s, trails=chosen)
            if renderer is not None:
                renderer.set_trails(self._sampled_trails(chosen))
        self.setup = replace(s, settings=replace(settings, labels=s.labels))
        if self.maker is not None:
            self.maker.settings = replace(self.maker.settings, tone=settings.tone, light=settings.light,
                                          labels=s.labels)

    def exposure_text(self) -> str:
        """The exposure in words: ``auto (EV +3.2)``, ``night (EV +7.9)`` or ``EV +1.5``."""
        s = self.setup
        kind = "night" if s.night else "auto" if s.tone.exposure == "auto" else None
        return f"{kind} (EV {self.last_ev:+.1f})" if kind else f"EV {float(s.tone.exposure):+.1f}"

    # -- input ----------------------------------------------------------------------------------------

    def press(self, name: str, shift: bool = False) -> bool:
        """A key went down (``name``: a key name, letters in upper case): in free flight a movement
        key (:data:`~viewer.app.controls.MOVE_KEYS`) is held and True returned; otherwise False (the
        frontend looks up its action with :func:`~viewer.app.controls.action_for`)."""
        if isinstance(self.flight.mode, FreeFlight) and name in MOVE_KEYS:
            self.held.add(name)
            self.boost = shift
            return True
        return False

    def release(self, name: str) -> None:
        """A key went up."""
        self.held.discard(name)

    def do(self, action: str, backward: bool = False) -> str | None:
        """Carry out a clock or camera action (:func:`is_session_action`); returns a line for the
        user, or None. Raises UserError (one line) when it cannot be done."""
        clock, flight = self.flight.clock, self.flight
        self.held.clear()
        if action == "play_pause":
            clock.toggle()
        elif action == "reverse":
            clock.reverse()
        elif action == "faster":
            clock.faster()
        elif action == "slower":
            clock.slower()
        elif action.startswith("jump:"):
            what = action.split(":", 1)[1]
            if self._events is None and not clock.events:
                self.take_events()
                if self._events is None:
                    return "still searching for events; try again in a moment"
            event = flight.jump(what, backward)
            return (f"jumped to {event.label}" if event is not None
                    else f"no {what.replace('_', ' ')} {'before' if backward else 'after'} now in the span")
        elif action.startswith("target:"):
            flight.switch_target(self._current(), action.split(":", 1)[1])
        elif action == "chase":
            flight.chase(self._current())
        elif action == "free":
            flight.free(self._current())
            return "free flight: W/S A/D Q/E move (Shift: faster), drag to look; 1-6 or K to orbit again"
        elif action == "reset":
            flight.reset()
        elif action == "junocam":  # U: de-spun on the target (Io from Juno); Shift+U: turning with Juno
            target = flight.target()
            spec = "junocam:spin" if backward else f"junocam:{target if target != 'juno' else 'io'}"
            self.set_camera(spec)
            return (f"through JunoCam ({spec}): "
                    + ("turning with Juno's spin" if backward else "de-spun, on the target"))
        elif action in ("labels", "trails"):
            on = not (self.setup.labels if action == "labels" else bool(self.setup.trails))
            if action == "labels":
                self.restyle(labels=on)
            else:
                self.restyle(trails=on)
            return f"{action} {'on' if on else 'off'}"
        elif action == "look":
            look = self.setup.look if self.setup.look in LOOK_CYCLE else None
            self.restyle(look=LOOK_CYCLE[(LOOK_CYCLE.index(look) + 1) % len(LOOK_CYCLE)])
            return f"look: {self.setup.look or 'the preset own'}"
        elif action == "auto_exposure":
            auto = self.setup.tone.exposure == "auto" and not self.setup.night
            self.restyle(exposure=round(self.last_ev, 2) if auto else "auto")
            return f"exposure {self.exposure_text()}"
        elif action in ("brighter", "darker"):
            self.restyle(exposure=self.last_ev + (EV_STEP if action == "brighter" else -EV_STEP))
            return f"exposure {self.exposure_text()}"
        else:
            raise ValueError(f"not a session action: {action!r}")
        return None

    def drag(self, dx_px: float, dy_px: float) -> None:
        """A drag of (``dx_px``, ``dy_px``) pixels (x right, y down): orbit the target, or look around
        in free flight."""
        self.flight.rotate(self._current(), float(dx_px), float(dy_px))

    def wheel(self, notches: float) -> None:
        """``notches`` wheel steps (positive: away from the user, zoom in)."""
        if notches:
            self.flight.zoom(self._current(), float(notches))

    def set_time(self, et: float) -> None:
        """Go to TDB ``et`` (clamped to the span)."""
        self.flight.clock.set_time(float(et))

    def set_camera(self, spec: str) -> None:
        """View through the camera spec ``spec`` from now on (resolved at every instant; a bad spec
        raises UserError, one line). The 0 key still returns to the opening view."""
        from viewer.app.controls import SpecView
        from viewer.config import CameraSpec

        text = str(spec)
        CameraSpec.parse(text)
        self.held.clear()
        self.flight.mode = SpecView(text)

    # -- events for the jump keys ---------------------------------------------------------------------

    def _start_event_search(self, events: Any, threaded: bool) -> None:
        et = self.flight.clock.et
        a, b = max(self.span[0], et - EVENT_SEARCH_S), min(self.span[1], et + EVENT_SEARCH_S)
        if events is not None:
            self._found = list(events)
            return

        def search(world: Any) -> None:
            from viewer.sim import events as search_events

            try:
                self._found = search_events.search(world, a, b,
                                                   kinds=("closest_approach", "perijove", "eclipse"))
            except Exception as exc:  # the keys say so; the viewer keeps running
                self._found = []
                self.message = f"event search failed: {exc}"

        if threaded:
            from viewer.sim.world import World

            # A World of its own: the frames' World is not shared across threads.
            self._thread = threading.Thread(target=search, args=(World(),), daemon=True)
            self._thread.start()
        else:
            search(self.world)

    def take_events(self) -> None:
        """Hand the events found (once the search is done) to the clock."""
        if self._events is None and self._found is not None:
            self._events = self._found
            self.flight.set_events(self._events)

    @property
    def events_ready(self) -> bool:
        """Whether the jump keys' events have reached the clock."""
        return self._events is not None

    def wait_for_events(self, timeout_s: float | None = None) -> bool:
        """Wait (at most ``timeout_s``) for the event search to end and hand its events to the clock;
        whether they are there."""
        thread = getattr(self, "_thread", None)
        if thread is not None:
            thread.join(timeout_s)
        self.take_events()
        return self.events_ready

    def close(self) -> None:
        """Drop the FrameMaker (its context belongs to the frontend, which closes it)."""
        if self.maker is not None:
            self.maker.close()
        self.maker = None


__all__ = ["EVENT_SEARCH_S", "MAX_WALL_STEP_S", "SESSION_ACTIONS", "Session", "clock_span",
           "is_session_action", "scene_span"]
