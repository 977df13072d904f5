"""The interactive viewer in a Jupyter notebook: ``viewer.Viewer(...)``.

The same flight as the window (``jupitershine fly``) — a :class:`viewer.app.session.Session`: the
clock, the camera modes, the keys, and every frame made by the renderer call of stills and exports
(:class:`viewer.frames.FrameMaker`) — drawn offscreen in a headless EGL context of its own
(:func:`viewer.render.context.headless_context`) and streamed to the notebook by a
``jupyter_rfb.RemoteFrameBuffer`` (the optional ``notebook`` extra): the browser needs no OpenGL, the
kernel's machine only what ``jupitershine still`` needs. The browser's pointer, wheel and key events
come back to the same session: drag to orbit (or look around in free flight), the wheel zooms, and the
window's keys work once the canvas has the focus (click on it).

From Python the clock and the camera are properties — ``time`` (UTC), ``et``, ``rate``, ``playing``,
``camera`` (a camera spec), ``target``, ``fov``, ``exposure``, ``look``, ``labels``, ``trails``,
``light``, ``size`` — and :meth:`Viewer.frame` returns the current view as an RGB array without any
widget, so a notebook (or a script) can step through time and collect frames.
:meth:`Viewer.screenshot` renders the view again through the still's FrameMaker: with the same spec,
time and size it equals ``jupitershine still`` byte for byte, like the window's P.

Nothing here imports Jupyter until a widget is asked for (:attr:`Viewer.canvas`, displaying the
viewer), so ``import viewer`` stays light and :meth:`Viewer.frame` works without the extra.
"""

from __future__ import annotations

import base64
import io
import math
import time as wallclock
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.app.controls import TARGETS, action_for, keys_help
from viewer.app.session import Session, is_session_action, scene_span
from viewer.errors import UserError

#: The canvas's default size, pixels (width, height): quick frames on a software renderer.
DEFAULT_SIZE = (640, 360)
#: Browser wheel pixels per wheel notch (a notch scrolls 100 px in Chrome and Firefox's pixel mode).
WHEEL_PX_PER_NOTCH = 100.0
#: The most device pixels per CSS pixel frames are drawn at (1: a HiDPI screen scales the frame up,
#: a quarter of the pixels to render on the CPU).
MAX_PIXEL_RATIO = 1.0
#: How often the HUD's numbers are recomputed while time runs, wall seconds.
HUD_INTERVAL_S = 0.5
#: Browser key names (``KeyboardEvent.key``) that differ from vispy's, which the key table uses.
BROWSER_KEYS = {" ": "Space", "Esc": "Escape"}


def key_name(key: str) -> str:
    """A browser or vispy key name as the key table names it: ``" "`` → ``"Space"``, letters in upper
    case (``"b"`` → ``"B"``), others as they are (``"]"``, ``"F1"``, ``"Escape"``)."""
    name = BROWSER_KEYS.get(key, key)
    return name.upper() if len(name) == 1 else name


class Viewer:
    """Jupiter, Io and Juno in a notebook: the interactive viewer's flight as Python properties and a
    live canvas (module docstring).

    Parameters
    ----------
    preset : a shipped preset's name or a preset or scene file (default ``i57``); ``scene`` is the same
        (give one of them). A scene's shots set the span the clock runs over.
    time : UTC (ISO 8601 and the forms ``jupitershine still --time`` takes); default the preset's
    camera : a camera spec (README "Frames and conventions"), e.g. ``"orbit:io:0:180:10000"``
    fov : vertical field of view, degrees
    size : (width, height) or ``"WxH"``, pixels (default :data:`DEFAULT_SIZE`)
    exposure, tonemap, stretch, look, hide, light, trails, trail_span, labels, junocam_fov,
    supersample : as for :func:`viewer.render_still`
    world : a :class:`viewer.World` (e.g. with SPICE kernels); default the embedded ephemeris
    maps, spacecraft : users' maps (encoded arrays by body) and model (ModelMesh), as ``fly`` loads them
    map_choice : ``"procedural"`` or ``"downloaded"`` for the bodies ``maps`` leaves out (viewer.maps;
        default the preset's ``maps`` key, else the user's setting, else procedural)
    detail : texture and relief below the maps' resolution (viewer.render.detail; default on)

    Examples
    --------
    >>> v = viewer.Viewer(camera="orbit:io:0:180:10000", size=(320, 180))
    >>> v.time = "2023-12-30T08:40:00"; v.rate = 100; v.play()
    >>> v                    # the live canvas (the last expression of a cell)
    >>> image = v.frame()    # the view now, (180, 320, 3) uint8
    """

    def __init__(self, preset: str | None = None, *, scene: str | None = None, time: str | None = None,
                 camera: str | None = None, fov: float | None = None,
                 size: str | tuple[int, int] = DEFAULT_SIZE, exposure: str | float | None = None,
                 tonemap: str | None = None, stretch: str | tuple[float, float, float] | None = None,
                 look: str | None = None, hide: str | Iterable[str] | None = None,
                 light: str | Iterable[str] | None = None, trails: str | Iterable[str] | None = None,
                 trail_span: str | None = None, labels: bool | None = None, junocam_fov: bool = False,
                 supersample: bool = True, world: Any = None, maps: dict[str, Any] | None = None,
                 spacecraft: Any = None, map_choice: str | None = None, detail: bool = True) -> None:
        from viewer.sim.world import World
        from viewer.still import resolve_still

        if preset is not None and scene is not None:
            raise UserError("give a scene file or a preset, not both")
        preset = scene if scene is not None else preset
        if stretch is not None and tonemap is None:
            tonemap = "stretch"
        setup = resolve_still(preset, time, camera, fov, size, exposure, tonemap, stretch, hide,
                              2 if supersample else 1, light, look, trails, trail_span, labels, junocam_fov,
                              detail)
        from viewer.maps import for_still

        maps = for_still(map_choice, setup.spec, maps or {}, setup.settings.hide)[0]
        world = world if world is not None else World()
        spice = type(world.ephemeris).__name__ == "SpiceEphemeris"  # its kernel pool: one thread
        self.session = Session(setup, world, maps=maps, spacecraft=spacecraft, span=scene_span(preset, world),
                               threaded_events=not spice)
        self._size = tuple(setup.settings.size)
        self.context: Any = None
        self.message = ""
        self.last_frame: Any = None  # the FrameResult of the last frame made
        self._canvas: Any = None
        self._widget: Any = None
        self._hud: Any = None
        self._hud_info: dict[str, Any] | None = None
        self._hud_at = (-math.inf, math.nan)  # (wall time, et) of the HUD's numbers
        self._show_help = False

    # -- frames ---------------------------------------------------------------------------------------

    def _maker(self) -> Any:
        if self.context is None:
            from viewer.render.context import headless_context

            self.context = headless_context()
        if self.session.maker is None:
            self.session.make_maker(self.context, self._size)
        self.session.resize(self._size)
        return self.session.maker

    def render(self, wall_dt: float = 0.0) -> npt.NDArray[np.uint8]:
        """Move the clock and any flight by ``wall_dt`` wall seconds (at most
        :data:`viewer.app.session.MAX_WALL_STEP_S`: the canvas passes the time between two frames)
        and make the frame: (H, W, 3) uint8 sRGB."""
        self._maker()
        self.last_frame = self.session.render(wall_dt)
        return np.asarray(self.last_frame.image)

    def frame(self) -> npt.NDArray[np.uint8]:
        """The current view at :attr:`size`: (H, W, 3) uint8 sRGB, the clock not moved."""
        return self.render(0.0)

    def screenshot(self, path: str | Path | None = None,
                   size: str | tuple[int, int] | None = None) -> npt.NDArray[np.uint8]:
        """The current view rendered again through the still's FrameMaker at ``size`` (default
        :attr:`size`) — equal byte for byte to ``jupitershine still --time T --camera SPEC --size WxH``
        of :attr:`time` and :attr:`camera` — written as PNG to ``path`` (atomically) when given."""
        from viewer.still import parse_size, save_png

        self.frame()  # the view as it is now (a property may have changed since the last frame)
        shot = self.session.screenshot(parse_size(size) if size is not None else self._size, self.context)
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            save_png(path, shot.image)
        return np.asarray(shot.image)

    @property
    def ev(self) -> float | None:
        """The exposure (EV, stops) of the last frame; None before the first."""
        return None if self.last_frame is None else float(self.last_frame.ev)

    # -- the clock ------------------------------------------------------------------------------------

    @property
    def et(self) -> float:
        """The clock's instant, TDB seconds past J2000 (set it to go there; clamped to the span)."""
        return float(self.session.flight.clock.et)

    @et.setter
    def et(self, value: float) -> None:
        self.session.set_time(float(value))
        self._changed()

    @property
    def time(self) -> str:
        """The clock's instant in UTC, ``YYYY-MM-DDTHH:MM:SS.sssZ``; set a UTC string (or TDB ``et``)."""
        from viewer.sim.timescales import et_to_utc

        return et_to_utc(self.et)

    @time.setter
    def time(self, value: str | float) -> None:
        from viewer.sim.timescales import utc_to_et

        self.et = utc_to_et(value) if isinstance(value, str) else float(value)

    @property
    def span(self) -> tuple[float, float]:
        """The stretch of time the clock runs over (TDB s): Juno's trajectory coverage around the
        opening instant, or the scene's shots."""
        return self.session.span

    @property
    def rate(self) -> float:
        """Simulation seconds per wall second, 1 … 10⁶ either way (negative: backwards)."""
        return float(self.session.flight.clock.rate)

    @rate.setter
    def rate(self, value: float) -> None:
        self.session.flight.clock.set_rate(value)
        self._changed()

    @property
    def playing(self) -> bool:
        """Whether the clock runs (the canvas then draws frame after frame)."""
        return bool(self.session.flight.clock.playing)

    @playing.setter
    def playing(self, value: bool) -> None:
        if value:
            self.session.flight.clock.play()
        else:
            self.session.flight.clock.pause()
        self._changed()

    def play(self, rate: float | None = None) -> None:
        """Run the clock (at ``rate`` when given)."""
        if rate is not None:
            self.rate = rate
        self.playing = True

    def pause(self) -> None:
        """Stop the clock."""
        self.playing = False

    def advance(self, seconds: float) -> float:
        """Move the clock (when playing) and a flight between targets by ``seconds`` wall seconds, at
        once and exactly; returns the new ``et``."""
        et = float(self.session.flight.advance(float(seconds)))
        self._changed()
        return et

    def jump(self, what: str = "closest_approach", backward: bool = False) -> str | None:
        """Jump to the next (``backward``: previous) ``closest_approach``, ``perijove`` or ``eclipse``
        (as the C, J and E keys do); returns what happened, in words."""
        self.session.wait_for_events()  # from Python: wait for the search rather than say "try again"
        return self._do(f"jump:{what}", backward)

    # -- the camera -----------------------------------------------------------------------------------

    @property
    def camera(self) -> str | None:
        """The current view's camera spec, exact (``orbit:io:LAT:WLON:RANGE_KM`` after a drag); None in
        free flight and during a flight between targets. Set a spec to view through it."""
        return self.session.spec_text()

    @camera.setter
    def camera(self, spec: str) -> None:
        self.session.set_camera(spec)
        self._changed()

    @property
    def target(self) -> str:
        """The body the camera is about; set one of jupiter, io, europa, ganymede, callisto, juno to fly
        there and orbit it (over :data:`~viewer.app.controls.TRANSITION_S` wall seconds of frames, as
        the number keys do; :meth:`advance` finishes the flight at once)."""
        return self.session.flight.target()

    @target.setter
    def target(self, body: str) -> None:
        name = str(body).lower()
        if name not in TARGETS:
            raise UserError(f"target {body!r}: choose one of {', '.join(TARGETS)}")
        self._do(f"target:{name}")

    @property
    def fov(self) -> float:
        """The vertical field of view, degrees (a spec's own, JunoCam's, wins)."""
        return float(self.session.flight.fov_deg)

    @fov.setter
    def fov(self, degrees: float) -> None:
        d = float(degrees)
        if not 0.0 < d < 180.0:
            raise UserError(f"fov {degrees!r}: give a vertical field of view between 0 and 180 degrees")
        self.session.flight.fov_deg = d
        self._changed()

    def drag(self, dx: float, dy: float) -> None:
        """Drag by (``dx``, ``dy``) pixels (x right, y down): orbit the target, or look in free flight."""
        self.session.drag(dx, dy)
        self._changed()

    def zoom(self, notches: float) -> None:
        """Wheel notches (positive: in), the altitude × 0.8 per notch, never below the surface."""
        self.session.wheel(notches)
        self._changed()

    def press(self, key: str, shift: bool = False) -> str | None:
        """Press a key of the window's key table (``"Space"``, ``"B"``, ``"]"``, ``"3"``, ``"K"``, …,
        ``shift`` for the previous event); returns what it did, in words, when it says something."""
        name = key_name(key)
        if self.session.press(name, shift):
            self._changed()
            return None
        action = action_for(name)
        if action is None:
            return None
        return self._do(action, shift)

    def release(self, key: str) -> None:
        """Let a held key go (free flight's W/S, A/D, Q/E)."""
        self.session.release(key_name(key))

    def _do(self, action: str, backward: bool = False) -> str | None:
        if is_session_action(action):
            text = self.session.do(action, backward)
        elif action == "help":
            self._show_help = not self._show_help
            text = None
        elif action == "hud" and self._hud is not None:
            self._hud.layout.display = "none" if self._hud.layout.display != "none" else None
            text = None
        else:
            text = "in a notebook: Viewer.screenshot(path) for P; R, T and Esc are the window's"
        if text is not None:
            self.message = text
        self._changed()
        return text

    # -- the look -------------------------------------------------------------------------------------

    @property
    def exposure(self) -> float | str:
        """The exposure: EV (stops), ``"auto"`` (metered on each frame's lit pixels) or ``"night"``
        (the junocam look's night-side metering); set EV or ``"auto"``."""
        s = self.session.setup
        return "night" if s.night else s.tone.exposure

    @exposure.setter
    def exposure(self, value: float | str) -> None:
        self._restyle(exposure=value)

    @property
    def look(self) -> str | None:
        """The look (``physical``, ``junocam``, ``linear``; None: the preset's exposure and curve);
        setting one also sets its exposure."""
        return self.session.setup.look  # type: ignore[no-any-return]

    @look.setter
    def look(self, name: str | None) -> None:
        self._restyle(look=name)

    @property
    def labels(self) -> bool:
        """Whether the bodies' names and the marks of Juno's events are drawn (the L key)."""
        return bool(self.session.setup.labels)

    @labels.setter
    def labels(self, on: bool) -> None:
        self._restyle(labels=bool(on))

    @property
    def trails(self) -> bool:
        """Whether the trails are drawn (the O key): the preset's or the options', else the moons' orbits
        and Juno's path relative to Io."""
        return bool(self.session.setup.trails)

    @trails.setter
    def trails(self, on: bool) -> None:
        self._restyle(trails=bool(on))

    @property
    def light(self) -> frozenset[str]:
        """The light paths drawn: sun, jupitershine, ioshine, hotspots, eclipses (set any of them)."""
        return frozenset(self.session.setup.settings.light)

    @light.setter
    def light(self, paths: str | Iterable[str]) -> None:
        from viewer.still import parse_names

        self._restyle(light=parse_names(paths))

    def _restyle(self, **changes: Any) -> None:
        self.session.restyle(**changes)  # checks the values: one line when wrong
        self._changed()

    @property
    def size(self) -> tuple[int, int]:
        """Frames' size (width, height), pixels; the canvas follows it, and it follows the canvas when
        the notebook resizes it."""
        return (int(self._size[0]), int(self._size[1]))

    @size.setter
    def size(self, value: str | tuple[int, int]) -> None:
        from viewer.still import parse_size

        self._size = parse_size(value)
        if self._canvas is not None:
            self._canvas.css_width, self._canvas.css_height = f"{self._size[0]}px", f"{self._size[1]}px"
        self._changed()

    # -- the numbers ----------------------------------------------------------------------------------

    @property
    def info(self) -> dict[str, Any]:
        """What ``jupitershine info --json`` prints for the clock's instant
        (:func:`viewer.report.info_dict`)."""
        from viewer.report import info_dict

        return info_dict(self.session.world, self.et)

    def hud_text(self, info: dict[str, Any] | None = None) -> str:
        """The window's HUD lines for the clock's instant (or for ``info``), and the last message."""
        from viewer.app.hud import hud_lines

        clock = self.session.flight.clock
        lines = hud_lines(info if info is not None else self.info, clock.rate, clock.playing)
        if self.message or self.session.message:
            lines.append(self.message or self.session.message)
        return "\n".join(lines)

    # -- the widget -----------------------------------------------------------------------------------

    @property
    def canvas(self) -> Any:
        """The live canvas: a ``jupyter_rfb.RemoteFrameBuffer`` whose ``get_frame()`` makes this
        viewer's frames and whose ``handle_event()`` takes the browser's input (made on first use;
        needs the ``notebook`` extra)."""
        if self._canvas is None:
            self._canvas = _canvas_class()(self)
        return self._canvas

    @property
    def widget(self) -> Any:
        """What the notebook shows: the canvas above the HUD's numbers (an ``ipywidgets.VBox``)."""
        if self._widget is None:
            import ipywidgets

            self._hud = ipywidgets.HTML()
            self._widget = ipywidgets.VBox([self.canvas, self._hud])
            self._update_hud(force=True)
        return self._widget

    def show(self) -> Any:
        """Display the live canvas (and the HUD) in the notebook; returns the widget."""
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]
        return self.widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """The live widget and, for pages that cannot run it (a rendered notebook), the frame as PNG."""
        bundle: dict[str, Any] = {}
        try:
            bundle.update(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        except (ImportError, UserError):  # no notebook extra: the picture alone
            bundle["text/plain"] = repr(self)
        image = self.last_frame.image if self.last_frame is not None else self.frame()
        bundle["image/png"] = base64.b64encode(png_bytes(image)).decode("ascii")
        return bundle

    def __repr__(self) -> str:
        w, h = self._size
        return f"<jupitershine Viewer {self.time} {self.camera or self.target} {w}x{h}>"

    def _changed(self) -> None:
        """Draw a new frame on the canvas (when there is one) after a change from Python or input."""
        if self._canvas is not None:
            self._canvas.request_draw()

    def _update_hud(self, force: bool = False) -> None:
        if self._hud is None:
            return
        now, et = wallclock.perf_counter(), self.et
        playing = self.session.flight.clock.playing
        if force or self._hud_info is None or (et != self._hud_at[1]
                                               and (now - self._hud_at[0] >= HUD_INTERVAL_S or not playing)):
            from viewer.report import info_dict

            self._hud_info = info_dict(self.session.world, et)
            self._hud_at = (now, et)
        import html

        text = keys_help() if self._show_help else self.hud_text(self._hud_info)
        self._hud.value = f"<pre style='margin:0;font-size:11px;line-height:1.25'>{html.escape(text)}</pre>"

    def close(self) -> None:
        """Close the canvas and release the GL context."""
        if self._widget is not None:
            self._widget.close()
        if self._canvas is not None:
            self._canvas.close()
        self.session.close()
        if self.context is not None:
            self.context.close()
            self.context = None

    def __enter__(self) -> Viewer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def png_bytes(image: npt.NDArray[np.uint8]) -> bytes:
    """An 8-bit RGB image as PNG bytes (in memory)."""
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image)).save(out, format="PNG")
    return out.getvalue()


_CANVAS_CLASS: Any = None


def _canvas_class() -> Any:
    """The RemoteFrameBuffer subclass (made once, on first use: jupyter_rfb is imported only then)."""
    global _CANVAS_CLASS
    if _CANVAS_CLASS is not None:
        return _CANVAS_CLASS
    try:
        from jupyter_rfb import RemoteFrameBuffer
    except ImportError as exc:
        raise UserError("the notebook canvas needs jupyter_rfb: pip install 'jupitershine[notebook]'"
                        ) from exc

    class ViewerCanvas(RemoteFrameBuffer):  # type: ignore[misc]
        """A :class:`Viewer`'s live canvas: frames from its session, input back to it."""

        def __init__(self, viewer: Viewer) -> None:
            w, h = viewer.size
            super().__init__(css_width=f"{w}px", css_height=f"{h}px")
            self.viewer = viewer
            self._prev: float | None = None  # wall time of the last frame
            self._drag: tuple[float, float] | None = None

        def get_frame(self) -> npt.NDArray[np.uint8] | None:
            """The next frame (jupyter_rfb calls this when a draw was requested): the wall time since
            the last one moves the clock; while anything moves, the next draw is requested."""
            v = self.viewer
            now = wallclock.perf_counter()
            dt = 0.0 if self._prev is None else now - self._prev
            try:
                image = v.render(dt)
            except UserError as exc:  # e.g. Juno outside its coverage: stop the clock, say why
                v.session.flight.clock.pause()
                v.message = str(exc)
                v._update_hud(force=True)
                self._prev = None
                return v.last_frame.image if v.last_frame is not None else None
            animating = v.session.animating
            self._prev = now if animating else None
            v._update_hud()
            if animating:
                self.request_draw()
            return image

        def handle_event(self, event: dict[str, Any]) -> None:
            """Browser input (jupyter_rfb's events) → the session: resize, drag, wheel, keys."""
            v = self.viewer
            kind = event.get("type", event.get("event_type"))
            try:
                if kind == "resize":
                    ratio = min(float(event.get("ratio", event.get("pixel_ratio", 1.0))), MAX_PIXEL_RATIO)
                    w = max(1, round(float(event["width"]) * ratio))
                    h = max(1, round(float(event["height"]) * ratio))
                    v._size = (w, h)  # follows the canvas; the draw is requested by jupyter_rfb
                elif kind == "pointer_down" and event.get("button") == 1:
                    self._drag = (float(event["x"]), float(event["y"]))
                elif kind == "pointer_move" and self._drag is not None and 1 in event.get("buttons", ()):
                    x, y = float(event["x"]), float(event["y"])
                    dx, dy = x - self._drag[0], y - self._drag[1]
                    self._drag = (x, y)
                    v.drag(dx, dy)
                elif kind == "pointer_up":
                    self._drag = None
                elif kind == "wheel":
                    v.zoom(-float(event.get("dy", 0.0)) / WHEEL_PX_PER_NOTCH)
                elif kind == "key_down":
                    v.press(str(event["key"]), "Shift" in event.get("modifiers", ()))
                elif kind == "key_up":
                    v.release(str(event["key"]))
            except UserError as exc:
                v.message = str(exc)
                v._update_hud(force=True)

    _CANVAS_CLASS = ViewerCanvas
    return ViewerCanvas


__all__ = ["DEFAULT_SIZE", "MAX_PIXEL_RATIO", "WHEEL_PX_PER_NOTCH", "Viewer", "key_name", "png_bytes"]
