"""Still images: compose the layers (preset → time → world → camera → renderer → file).

:func:`render_still` is the Python API (re-exported as ``viewer.render_still``); the ``still`` command
of :mod:`viewer.cli` calls :func:`make_still` and writes the results. Without a preset, ``i57`` is used;
every argument given overrides the preset's value. ``look`` picks one of the documented looks
(:mod:`viewer.render.looks`); an explicit exposure, curve or stretch overrides the look's value.

Output files are written atomically (a temporary file in the same folder, then a rename), so an
interrupted run never leaves a half-written PNG or .npy behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from viewer.atomic import check_writable, write_atomic
from viewer.errors import UserError

#: Largest image side accepted before asking GL (the GL limit is checked too).
MAX_SIDE = 16384


def parse_size(text: str | Iterable[int]) -> tuple[int, int]:
    """``"WxH"`` (or a pair) → (width, height); bad input raises UserError."""
    if isinstance(text, str):
        parts = text.lower().replace("×", "x").split("x")
        try:
            w, h = (int(parts[0]), int(parts[1])) if len(parts) == 2 else (0, -1)
        except ValueError:
            w, h = 0, -1
        if h == -1:
            raise UserError(f"--size {text!r}: expected WIDTHxHEIGHT in pixels, e.g. 960x540")
    else:
        w, h = (int(v) for v in text)
    if w < 1 or h < 1:
        raise UserError(f"--size {w}x{h}: both sides must be at least 1 pixel, e.g. 960x540")
    if max(w, h) > MAX_SIDE:
        raise UserError(f"--size {w}x{h}: at most {MAX_SIDE} pixels a side; render smaller")
    return w, h


def parse_names(items: str | Iterable[str] | None) -> frozenset[str]:
    """``"juno,stars"`` or a list of such (a repeated ``--hide``, ``--light``) → a set of lower-case
    names; the names are checked by RenderSettings."""
    if items is None:
        return frozenset()
    groups = [items] if isinstance(items, str) else list(items)
    return frozenset(n.strip().lower() for group in groups for n in str(group).split(",") if n.strip())


@dataclass(frozen=True)
class Still:
    """One rendered still: 8-bit sRGB image, linear radiance (H, W, 3), EV used, and what made it
    (``tone``: the curve and the EV used; ``look``: the look's name, if one was asked for;
    ``exposed_for``: for an exposure metered from the frame, what it was metered on, in words, e.g.
    ``"for Io's hot spots (no lit pixels)"``; None for a fixed EV)."""

    image: npt.NDArray[np.uint8]
    linear: npt.NDArray[np.float32]
    ev: float
    time_utc: str
    camera: str
    renderer: str
    tone: Any = None
    look: str | None = None
    exposed_for: str | None = None


def exposed_for(metering: Any, linear: npt.NDArray[np.float32], snapshot: Any, camera: Any,
                light: frozenset[str], hide: frozenset[str]) -> str:
    """What a metered exposure (:class:`viewer.render.exposure.Metering`) was computed from, in words
    for the status line, e.g. ``"for Io's hot spots (no lit pixels)"``.

    The pixel the metering names (the brightest of its basis, or the one nearest the median) is traced
    to a body (:func:`viewer.render.camera.first_hit`) and what lights that point is estimated
    (:func:`_what_shines`): light brighter than any surface could reflect there is the body's own,
    i.e. Io's hot spots. ``linear`` is the frame's radiance (H, W, 3) at output size.
    """
    unlit = " (no lit pixels)"
    if metering.basis == "none":
        return "for nothing: the frame is black"
    row, col = metering.pixel
    thing = _what_shines(snapshot, camera, (row, col), linear, light, hide, metering.basis == "sky")
    if thing is None:  # a sky pixel
        return ("for the stars" if "stars" not in hide else "for the faint light beside the bodies") + unlit
    if metering.basis == "lit":
        return f"for the median lit pixel ({thing})"
    if metering.basis == "night":
        return f"for the median dim pixel ({thing})"
    return f"for {thing}{unlit}"


def _what_shines(snapshot: Any, camera: Any, pixel: tuple[int, int], linear: npt.NDArray[np.float32],
                 light: frozenset[str], hide: frozenset[str], sky: bool) -> str | None:
    """What the surface seen in ``pixel`` is, by the light that reaches it: "sunlit Io", "Io's night
    side in Jupitershine", "Io's hot spots" (brighter than twice what a white surface there could
    reflect of the Sun and Jupitershine together, so its own light), "the faint light on Europa", or
    "Juno" (no ellipsoid met: the spacecraft's mesh); None when no ellipsoid is met and ``sky`` (the
    pixel was metered as sky: stars). Light paths not in ``light`` count as off."""
    from viewer.render.camera import ellipsoids, first_hit
    from viewer.render.exposure import luminance
    from viewer.sim.constants import R_JUPITER_KM

    h, w = linear.shape[:2]
    direction = camera.pixel_direction(pixel[0], pixel[1], w, h)
    name, distance = first_hit(snapshot, camera.position_km, direction)
    if name is None:
        return None if sky else ("Juno" if "juno" not in hide else "a surface")
    if name == "sun":
        return "the Sun"
    body = next(e for e in ellipsoids(snapshot) if e.name == name)
    point = camera.position_km + distance * direction
    normal = body.normal(point)
    to_sun = snapshot.positions["sun"] - point
    sun = 0.0
    if "sun" in light:
        sun = max(0.0, float(normal @ to_sun) / float(np.linalg.norm(to_sun)))
        if sun > 0.0 and "eclipses" in light:
            sun *= snapshot.sun_visible_fraction(point, exclude=(name,))
    jupiter = 0.0
    if "jupitershine" in light and name not in ("jupiter", "sun"):
        to_jupiter = snapshot.positions["jupiter"] - point
        r = float(np.linalg.norm(to_jupiter))
        if float(normal @ to_jupiter) / r > -R_JUPITER_KM / r:  # some of Jupiter is up
            jupiter = snapshot.jupitershine_to_sunlight(name)
    seen = float(luminance(linear[pixel[0], pixel[1]]))
    title = body.title
    if seen > 2.0 * (sun + jupiter):
        return "Io's hot spots" if name == "io" and "hotspots" in light else f"{title}'s own light"
    if sun > 0.0 and sun >= jupiter:
        return f"sunlit {title}"
    if jupiter > 0.0:
        return f"{title}'s night side in Jupitershine"
    return f"the faint light on {title}"


def _ev(value: str | float) -> float | Literal["auto"]:
    """An exposure given as text (``"auto"`` or stops) or as a number → ``"auto"`` or EV."""
    from viewer.render.exposure import parse_exposure

    return parse_exposure(value) if isinstance(value, str) else float(value)


def preset_tone(spec: Any) -> Any:
    """A preset's or scene's own exposure and tone curve (a ToneSettings): what no look stands for."""
    from viewer.render.exposure import ToneSettings

    return ToneSettings(exposure=_ev(spec.exposure), curve=spec.tonemap)


@dataclass(frozen=True)
class StillSetup:
    """What a preset and the options of ``still`` resolve to, before any time or camera is rendered:
    the preset (``spec``), its UTC ``time`` and TDB ``et`` (or the given ones), the camera spec and
    vertical field of view (degrees), the render settings, the night metering and look, the tone
    curve, the trails and their span, the labels. :func:`make_still` renders it once; the interactive
    window (:mod:`viewer.app`) renders its screenshots through :meth:`maker` so that they equal
    ``still`` byte for byte."""

    spec: Any  # viewer.config.SceneSpec
    time: str
    et: float
    camera: Any  # viewer.config.CameraSpec
    fov_deg: float
    settings: Any  # viewer.render.renderer.RenderSettings
    night: bool
    look: str | None
    tone: Any  # viewer.render.exposure.ToneSettings
    trails: tuple[Any, ...]  # viewer.config.TrailSpec
    span: Any  # viewer.config.TrailSpan
    labels: bool

    def maker(self, world: Any, et: float, maps: dict[str, Any] | None = None, spacecraft: Any = None,
              context: Any = None) -> Any:
        """A :class:`~viewer.frames.FrameMaker` for one frame at TDB ``et``: the trails sampled around
        ``et`` over the span, the event marks near ``et`` (with labels)."""
        from viewer.frames import FrameMaker
        from viewer.render.passes.labels import event_marks
        from viewer.sim.trails import make_trails

        sampled = make_trails(world, [(t.body, t.frame) for t in self.trails], et, self.span.past_s,
                              self.span.future_s)
        marks = event_marks(world, et) if self.labels else []
        return FrameMaker(world, self.settings, night=self.night, look=self.look, maps=maps,
                          spacecraft=spacecraft, trails=sampled, marks=marks, context=context)


def resolve_still(preset: str | None = None, time: str | None = None, camera: str | None = None,
                  fov: float | None = None, size: str | tuple[int, int] | None = None,
                  exposure: str | float | None = None, tonemap: str | None = None,
                  stretch: str | tuple[float, float, float] | None = None,
                  hide: str | Iterable[str] | None = None, supersample: int = 2,
                  light: str | Iterable[str] | None = None, look: str | None = None,
                  trails: str | Iterable[str] | None = None, trail_span: str | None = None,
                  labels: bool | None = None, junocam_fov: bool = False, detail: bool = True) -> StillSetup:
    """Resolve the options of :func:`render_still` against the preset (default ``i57``): every
    argument given overrides the preset's value; bad input raises UserError (one line)."""
    from viewer.config import CameraSpec, TrailSpan, load_preset, parse_trails
    from viewer.render.exposure import parse_stretch
    from viewer.render.looks import get_look, look_tone
    from viewer.render.renderer import RenderSettings
    from viewer.sim.timescales import utc_to_et

    spec = load_preset(preset or "i57")
    when = time if time is not None else spec.time
    et = utc_to_et(when)
    cam_spec = CameraSpec.parse(camera) if camera is not None else spec.camera
    w, h = parse_size(size if size is not None else spec.size)
    look_name = get_look(look).name if look is not None else None
    if isinstance(stretch, str):
        stretch = parse_stretch(stretch)
    # Explicit exposure, curve and stretch over the look's (or, without a look, the preset's) values.
    tone, night = look_tone(look_name, preset_tone(spec), None if exposure is None else _ev(exposure),
                            tonemap,  # type: ignore[arg-type]
                            (stretch[0], stretch[1], stretch[2]) if stretch is not None else None)
    paths = parse_names(light) if light is not None else frozenset(spec.light)
    labels = spec.labels if labels is None else bool(labels)
    settings = RenderSettings(size=(w, h), supersample=supersample, tone=tone, hide=parse_names(hide),
                              light=paths, labels=labels, junocam_fov=junocam_fov, detail=detail)
    trail_specs = (parse_trails(trails if isinstance(trails, str) else list(trails)) if trails is not None
                   else spec.trails)
    span = TrailSpan.parse(trail_span) if trail_span is not None else spec.trail_span
    return StillSetup(spec, when, et, cam_spec, fov if fov is not None else spec.fov_deg, settings, night,
                      look_name, tone, tuple(trail_specs), span, labels)


def make_still(preset: str | None = None, time: str | None = None, camera: str | None = None,
               fov: float | None = None, size: str | tuple[int, int] | None = None,
               exposure: str | float | None = None, tonemap: str | None = None,
               stretch: str | tuple[float, float, float] | None = None,
               hide: str | Iterable[str] | None = None, maps: dict[str, Any] | None = None,
               spacecraft: Any = None, world: Any = None, context: Any = None,
               supersample: int = 2, light: str | Iterable[str] | None = None,
               look: str | None = None, trails: str | Iterable[str] | None = None,
               trail_span: str | None = None, labels: bool | None = None,
               junocam_fov: bool = False, detail: bool = True, maps_choice: str | None = None,
               on_maps: Callable[[Any, list[str]], None] | None = None) -> Still:
    """Render one still; see :func:`render_still` for the arguments. ``maps`` are encoded map arrays by
    body, ``spacecraft`` a ModelMesh, ``world`` a World (default the embedded ephemeris). A look whose
    EV comes from the frame (``junocam``) draws, reads the radiance back, computes the EV on the CPU
    (:func:`viewer.render.looks.night_ev`) and then tone-maps with it. Trails are sampled here
    (:func:`viewer.sim.trails.make_trails`) and drawn after the exposure is metered. ``maps_choice``
    (``--maps``), the preset's ``maps`` or the user's setting may add the downloaded maps to ``maps``
    (:func:`viewer.maps.for_still`); ``on_maps(choice, bodies drawn)`` is then called, once every
    option has been checked and before anything is drawn (the command line's status line)."""
    from viewer.maps import for_still
    from viewer.render.camera import camera_from_spec
    from viewer.render.exposure import ToneSettings
    from viewer.sim.world import World

    setup = resolve_still(preset, time, camera, fov, size, exposure, tonemap, stretch, hide, supersample,
                          light, look, trails, trail_span, labels, junocam_fov, detail)
    world = world or World()
    snapshot = world.at(setup.et)
    cam = camera_from_spec(setup.camera, snapshot, setup.fov_deg)
    maps, choice, shown = for_still(maps_choice, setup.spec, maps or {}, setup.settings.hide)
    with setup.maker(world, setup.et, maps, spacecraft, context) as maker:
        if on_maps is not None:
            on_maps(choice, shown)
        frame = maker.frame(setup.et, cam, snapshot=snapshot, linear=True)
        name = maker.renderer_name
    image, ev, linear, metering = frame.image, frame.ev, frame.linear, frame.metering
    assert linear is not None
    tone = setup.tone
    used = ToneSettings(exposure=ev, curve=tone.curve, stretch=tone.stretch)
    note = None if metering is None else exposed_for(metering, linear, snapshot, cam,
                                                     setup.settings.light, setup.settings.hide)
    return Still(image, linear, ev, setup.time, str(setup.camera), name, tone=used, look=setup.look,
                 exposed_for=note)


def render_still(preset: str | None = None, *, time: str | None = None, camera: str | None = None,
                 fov: float | None = None, size: str | tuple[int, int] | None = None,
                 exposure: str | float | None = None, tonemap: str | None = None,
                 stretch: str | tuple[float, float, float] | None = None,
                 hide: str | Iterable[str] | None = None, linear: bool = False,
                 spacecraft_model: str | os.PathLike[str] | None = None,
                 context: Any = None, look: str | None = None, trails: str | Iterable[str] | None = None,
                 trail_span: str | None = None, labels: bool | None = None,
                 junocam_fov: bool = False, light: str | Iterable[str] | None = None,
                 supersample: bool = True, jupiter_map: str | os.PathLike[str] | None = None,
                 io_map: str | os.PathLike[str] | None = None, map_lon_left: float = 360.0,
                 map_lon_direction: str = "west", spacecraft_size: float | None = None,
                 spacecraft_up: str | None = None, kernels: str | os.PathLike[str] | None = None,
                 detail: bool = True, maps: str | None = None) -> npt.NDArray[Any]:
    """Render one still image headlessly: every option of ``jupitershine still``.

    Parameters
    ----------
    preset : a shipped preset's name (default ``"i57"``); the arguments below override it
    time : UTC (ISO 8601, day-of-year, …)
    camera : a camera spec (README 'Frames and conventions'), e.g. ``"orbit:io:0:180:10000"``
    fov : vertical field of view, degrees
    size : ``"WxH"`` or (width, height), pixels
    exposure : ``"auto"`` or EV (stops); tonemap: ``"filmic"`` or ``"stretch"``; stretch: B:W:G
        (each overrides the look's value)
    hide : bodies not to draw: jupiter, io, europa, ganymede, callisto, juno, stars, sun
    linear : return radiance (H, W, 3) float32 before exposure instead of the 8-bit image
    spacecraft_model : a glTF/GLB/OBJ/STL file to draw instead of the shipped Juno
    context : a GLContext to reuse (default: a headless one, closed afterwards)
    look : ``"physical"``, ``"junocam"`` or ``"linear"`` (:mod:`viewer.render.looks`,
        docs/rendering.md "Looks"); default the preset's exposure and curve
    trails : trails to draw, ``"BODY[:FRAME],…"`` (``"juno:io,europa"``; FRAME defaults to jupiter;
        ``"none"``: no trails); default the preset's
    trail_span : ``"PAST:FUTURE"`` durations (``"30min:10min"``) or ``"auto"``; default the preset's
    labels : name the bodies and mark Juno's events nearby (:mod:`viewer.render.passes.labels`);
        default the preset's (off)
    junocam_fov : draw JunoCam's field of view and footprint (:mod:`viewer.render.passes.junocam`)
    light : the light paths, ``"sun,jupitershine,ioshine,hotspots,eclipses"`` or a list (default the
        preset's: all)
    supersample : 2×2 supersampling of frames with the spacecraft in view (default True)
    jupiter_map, io_map : your own equirectangular maps (docs/assets.md); ``map_lon_left`` (degrees)
        and ``map_lon_direction`` (``"west"``/``"east"``) state their longitude convention
    spacecraft_size, spacecraft_up : rescale ``spacecraft_model`` to this span (m); its spin axis
        (``"x"``, ``"-y"``, …) turned onto +Z
    kernels : NAIF SPICE kernels (a meta-kernel or a folder, docs/spice.md) instead of the embedded
        ephemeris and trajectories
    detail : texture and relief below the maps' resolution where a pixel covers less than a texel,
        each texel's mean kept (:mod:`viewer.render.detail`; default True)
    maps : ``"procedural"`` or ``"downloaded"`` (the public maps ``jupitershine textures download``
        fetched; :mod:`viewer.maps`); default the preset's ``maps``, else the user's setting, else
        procedural. ``jupiter_map``/``io_map`` still win for their bodies

    For many frames, keep one renderer: :class:`viewer.frames.FrameMaker` (``frame(et, camera)``), or
    export a scene with :func:`viewer.export.render_sequence`.

    Returns
    -------
    (H, W, 3) uint8 sRGB image, or, with ``linear``, float32 radiance in the units of
    docs/architecture.md 'Radiometry'.
    """
    from viewer.render.textures import DEFAULT_MAX_TEXTURE_SIZE, load_map
    from viewer.sim.world import World

    if spacecraft_model is None and (spacecraft_size is not None or spacecraft_up is not None):
        raise UserError("spacecraft_size/spacecraft_up describe a spacecraft_model; give the model too")
    if map_lon_direction not in ("west", "east"):
        raise UserError(f"map_lon_direction {map_lon_direction!r}: use 'west' or 'east'")
    spacecraft = None
    if spacecraft_model is not None:
        from viewer.render.meshes import load_model

        spacecraft = load_model(Path(spacecraft_model), spacecraft_size, spacecraft_up)
    given = {body: load_map(path, map_lon_left, map_lon_direction,  # type: ignore[arg-type]
                            DEFAULT_MAX_TEXTURE_SIZE).data
             for body, path in (("jupiter", jupiter_map), ("io", io_map)) if path is not None}
    world = None
    if kernels is not None:
        from viewer.sim.spice import SpiceEphemeris

        world = World(SpiceEphemeris(str(kernels)))
    still = make_still(preset, time, camera, fov, size, exposure, tonemap, stretch, hide, maps=given,
                       spacecraft=spacecraft, world=world, context=context,
                       supersample=2 if supersample else 1, light=light, look=look, trails=trails,
                       trail_span=trail_span, labels=labels, junocam_fov=junocam_fov, detail=detail,
                       maps_choice=maps)
    return still.linear if linear else still.image


def _check_png_name(path: str | os.PathLike[str]) -> None:
    if Path(path).suffix.lower() != ".png":
        raise UserError(f"--out {path}: stills are written as PNG; give a name ending in .png")


def _check_npy_name(path: str | os.PathLike[str]) -> None:
    if Path(path).suffix.lower() != ".npy":
        raise UserError(f"--linear {path}: radiance is written as NumPy .npy; give a name ending in .npy")


def check_outputs(png: str | os.PathLike[str] | None, linear: str | os.PathLike[str] | None) -> None:
    """Before rendering: the names end in .png / .npy and their folders take a new file
    (:func:`viewer.atomic.check_writable`); otherwise UserError, one line. None: not written."""
    if png is not None:
        _check_png_name(png)
    if linear is not None:
        _check_npy_name(linear)
    for path in (png, linear):
        if path is not None:
            check_writable(path)


def save_png(path: str | os.PathLike[str], image: npt.NDArray[np.uint8]) -> Path:
    """Write an 8-bit RGB PNG atomically (deterministic bytes: no timestamps)."""
    import imageio.v3 as iio

    _check_png_name(path)
    return write_atomic(path, lambda tmp: iio.imwrite(tmp, image, extension=".png"))


def save_linear(path: str | os.PathLike[str], linear: npt.NDArray[np.float32]) -> Path:
    """Write radiance (H, W, 3) float32 as .npy atomically."""
    _check_npy_name(path)

    def write(tmp: str) -> None:
        with open(tmp, "wb") as f:
            np.save(f, np.asarray(linear, dtype=np.float32))

    return write_atomic(path, write)
