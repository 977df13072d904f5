"""The renderer: runs the scene passes for one frame into a linear HDR target, then the tone map.

``Renderer.draw(snapshot, camera)`` is the whole render layer's entry point (docs/architecture.md, "Data
flows one way"): it builds a :class:`~viewer.render.view.View`, lets each pass ``prepare(view)``
(uploads, outside any bound target), clears the HDR target (radiance 0, coverage 0, depth far)
and runs the passes in this order:

1. stars (additive, no depth) — the background; :meth:`Renderer.render` draws only those the exposure can
   show, the fainter ones (if metering needs them) added *under* the frame later;
1b. the Sun's disc (additive, no depth; :mod:`viewer.render.passes.sun`) — background too;
2. bodies (ray-cast ellipsoids, far to near, premultiplied "over" with log depth) — they cover the stars;
3. the spacecraft mesh (depth-tested against the bodies' log depth);
4. the trails (lines in linear radiance, depth-tested, no depth writes; :mod:`viewer.render.passes.trails`).

:meth:`Renderer.render` meters an ``auto`` exposure *before* drawing the trails, so they never change it.
:meth:`Renderer.finish` then draws what needs the exposure — JunoCam's field of view (``junocam_fov``,
:mod:`viewer.render.passes.junocam`) into the HDR target — tone-maps, and draws the overlays into the
8-bit image: the Sun's glare and the labels (``labels``, :mod:`viewer.render.passes.labels`).

Cost (issue 12): every pass marks the pixels it writes in the HDR target's stencil and reports where it
drew (``footprint``, :mod:`viewer.render.passes`); the tone map reads only the marked pixels inside those
rectangles and the next clear resets only them (:class:`~viewer.render.targets.HDRTarget`;
docs/rendering.md "The whole frame against PyVista's fastest setting").

:meth:`Renderer.render` adds exposure and the tone map and reads the 8-bit image back;
:meth:`Renderer.linear` reads the radiance itself (``--linear``). Anti-aliasing: analytic limb coverage
for the bodies plus 2×2 supersampling (``RenderSettings.supersample``) for frames with the spacecraft mesh
in view (:meth:`Renderer.supersample_for`), resolved by the tone-map pass (targets.py and
bench/results/render.json have the measurements behind the choice).

Must not import: ``viewer.cli`` (the frontends compose this layer; it never parses arguments).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from viewer.config import LIGHT_PATHS
from viewer.paths import data_dir
from viewer.render.camera import Camera
from viewer.render.exposure import LIT_MIN_RADIANCE, Metering, ToneSettings, invisible_radiance
from viewer.render.meshes import load_model
from viewer.render.passes import join_footprints
from viewer.render.passes.bodies import BODY_ORDER, BodiesPass, BodyMap, EmissionMap
from viewer.render.passes.junocam import JunoCamPass
from viewer.render.passes.labels import LabelsPass, Mark
from viewer.render.passes.spacecraft import SpacecraftPass
from viewer.render.passes.stars import StarsPass
from viewer.render.passes.sun import GlarePass, SunPass
from viewer.render.passes.tonemap import TonemapPass
from viewer.render.passes.trails import TrailsPass, TrailStyle
from viewer.render.passes.yuv import YuvPass
from viewer.render.targets import HDRTarget, LDRTarget
from viewer.render.view import View
from viewer.sim.trails import Trail
from viewer.sim.world import Snapshot

#: Supersample frames where the spacecraft's bounding radius is at least this many pixels.
MESH_SUPERSAMPLE_MIN_PX = 2.0

#: Under ``auto`` exposure the frame is metered with only the stars whose brightest pixel exceeds this
#: (radiance, one channel): a quarter of the level from which a pixel counts as lit
#: (:data:`~viewer.render.exposure.LIT_MIN_RADIANCE`), so the fainter ones cannot change the median.
STAR_METERING_FLOOR = LIT_MIN_RADIANCE / 4.0

#: A frame that drew more stars than one per this many render pixels is cleared whole, not pixel by
#: marked pixel (1920×1080: 3,240 stars; with the ~9,000 of a night sky the marked reset took 7.4 ms of
#: CPU, the whole clear 6.4 ms).
DENSE_STAR_PIXELS = 640

#: Sizes whose targets :meth:`Renderer.resize` keeps (the current one included).
KEPT_SIZES = 3

#: What ``hide`` may name: the bodies, the spacecraft, the star field and the Sun's disc.
HIDEABLE = (*BODY_ORDER, "juno", "stars", "sun")


@dataclass(frozen=True)
class RenderSettings:
    """How a frame is rendered.

    Attributes
    ----------
    size : (width, height) of the output image, pixels
    supersample : 1 or 2 (2×2 supersampling; default)
    tone : exposure and tone curve
    hide : names from :data:`HIDEABLE` not to draw
    hdr_format : ``"rgba32f"`` (default) or ``"rgba16f"``
    light : the enabled light paths, from ``sun, jupitershine, ioshine, hotspots, eclipses`` (all); the
        Sun's disc is drawn with the ``sun`` path (and not hidden)
    labels : draw body names and event marks over the image
    junocam_fov : draw JunoCam's field of view and its footprint
    detail : add detail below the maps' resolution where a pixel covers less than a texel
        (:mod:`viewer.render.detail`; texel means kept, no cost where no body is that close)
    """

    size: tuple[int, int] = (1280, 720)
    supersample: int = 2
    tone: ToneSettings = field(default_factory=ToneSettings)
    hide: frozenset[str] = frozenset()
    hdr_format: str = "rgba32f"
    light: frozenset[str] = frozenset(LIGHT_PATHS)
    labels: bool = False
    junocam_fov: bool = False
    detail: bool = True

    def __post_init__(self) -> None:
        unknown = set(self.hide) - set(HIDEABLE)
        if unknown:
            from viewer.errors import UserError

            raise UserError(f"--hide {','.join(sorted(unknown))}: unknown; choose from {', '.join(HIDEABLE)}")
        bad = set(self.light) - set(LIGHT_PATHS)
        if bad:
            from viewer.errors import UserError

            raise UserError(f"--light {','.join(sorted(bad))}: unknown; choose from {', '.join(LIGHT_PATHS)}")


def _body_map(body: str, data: npt.ArrayLike | None) -> BodyMap:
    """``body``'s calibrated map from encoded values, or from the shipped map when ``data`` is None."""
    return BodyMap.from_encoded(body, shipped_map_data(body) if data is None else data)


def _io_hotspots(data: npt.ArrayLike | None) -> EmissionMap:
    """Io's hot-spot emission from map values, or from the shipped ``io_hotspots.png`` when None."""
    return EmissionMap.io_hotspots(shipped_map_data("io_hotspots") if data is None else data)


def shipped_map_data(name: str) -> npt.NDArray[np.float32]:
    """The shipped map ``textures/<name>.png`` as encoded values in [0, 1]."""
    from viewer.render.textures import load_map

    return load_map(data_dir("textures") / f"{name}.png").data


#: How a frame's 8-bit image is read back: RGB, or the planes of a yuv420p video frame.
Pixels = Literal["rgb", "yuv420p"]


@dataclass(frozen=True)
class Frame:
    """A rendered frame: the 8-bit sRGB image (H, W, 3) — or, when read as ``yuv420p``, its video planes
    (3H/2, W) — the exposure (EV) that made it and, for an ``auto`` exposure, what it was metered on
    (None for a fixed or given EV)."""

    image: npt.NDArray[np.uint8]
    ev: float
    metering: Metering | None = None


class Renderer:
    """Renders snapshots with cameras into images of one size.

    Parameters
    ----------
    context : GLContext
    settings : RenderSettings
    maps : {body: encoded map values (H, W, C) in [0, 1]} — defaults to the shipped maps for the bodies
        not given (and not hidden); ``"io_hotspots"``: Io's emission map values (default the shipped
        ``textures/io_hotspots.png``)
    spacecraft : ModelMesh or None — default the shipped models/juno.glb (unless ``juno`` is hidden)
    trails : sampled trails to draw (:func:`viewer.sim.trails.make_trails`), uploaded once
    trail_style : their width, pixel ratio and radiance
    marks : event marks to label (with ``settings.labels``)
    """

    def __init__(self, context: Any, settings: RenderSettings | None = None,
                 maps: dict[str, npt.ArrayLike] | None = None, spacecraft: Any = None,
                 trails: Sequence[Trail] = (), trail_style: TrailStyle | None = None,
                 marks: Sequence[Mark] = ()) -> None:
        from viewer.render.context import GLUnavailable, gl_problem

        self.context = context
        self.settings = settings or RenderSettings()
        problem = gl_problem(context.capabilities(), self.settings.hdr_format)
        if problem is not None:
            raise GLUnavailable(problem)
        hide = self.settings.hide
        given = dict(maps or {})
        # Loaded on first draw (start-up reads no map the frame does not show).
        body_maps = {b: partial(_body_map, b, given.get(b)) for b in BODY_ORDER if b not in hide}
        # Two targets: 1x for frames whose only edges are the ray-cast limbs (analytically anti-aliased),
        # supersampled when a mesh (Juno) is in view — measured: supersampling the bodies made the
        # 1920x1080 frame 170 ms instead of 75 ms on llvmpipe (bench/results/render.json).
        self._targets: dict[int, HDRTarget] = {}
        self._kept: dict[tuple[int, int], tuple[dict[int, HDRTarget], LDRTarget]] = {}  # resize
        self.hdr = self._target(1)
        self.ldr = LDRTarget(context, self.settings.size)
        emission = {"io": partial(_io_hotspots, given.get("io_hotspots"))} if "io" in body_maps else {}
        self.bodies = BodiesPass(context, body_maps, light=self.settings.light, emission=emission,
                                 detail=self.settings.detail)
        self.stars: StarsPass | None = None if "stars" in hide else StarsPass(context)
        self.sun: SunPass | None = None
        self.glare: GlarePass | None = None
        self._sun_passes()
        if "juno" not in hide:
            model = spacecraft if spacecraft is not None else load_model(data_dir("models") / "juno.glb")
            self.spacecraft: SpacecraftPass | None = SpacecraftPass(
                context, model, body="juno", light=self.settings.light,
                jupiter_colour=self.bodies.jupiter_colour,
                io_map=None if "io" in hide else lambda: self.bodies.body_map("io").rgb)
        else:
            self.spacecraft = None
        self.tonemap = TonemapPass(context)
        self.trails: TrailsPass | None = TrailsPass(context, trails, trail_style) if trails else None
        self._view: View | None = None
        self.junocam: JunoCamPass | None = JunoCamPass(context) if self.settings.junocam_fov else None
        self.yuv: YuvPass | None = None  # made on the first frame read as yuv420p
        #: The clock runs so fast that every frame needs new light nodes (10⁵–10⁶× in the window): compute
        #: none, use the nodes there or the far-field estimate (:meth:`viewer.sim.shine_table.ShineTable.at`).
        self.fast_clock = False
        self.labels: LabelsPass | None = None
        self.set_labels(self.settings.labels, marks)

    @property
    def passes(self) -> list[Any]:
        """The scene passes, in drawing order: stars, the Sun, the bodies, the spacecraft."""
        return [p for p in (self.stars, self.sun, self.bodies, self.spacecraft) if p is not None]

    def _sun_passes(self) -> None:
        """Make (or drop) the Sun's disc and glare passes as the ``sun`` path is on (and not hidden)."""
        on = "sun" not in self.settings.hide and "sun" in self.settings.light
        if on and self.sun is None:
            self.sun, self.glare = SunPass(self.context), GlarePass(self.context, self.settings.hide)
        elif not on:
            self.sun = self.glare = None

    def set_light(self, light: Iterable[str]) -> None:
        """Enable the light paths ``light`` (from :data:`viewer.config.LIGHT_PATHS`) from the next frame
        on, in place: maps, model and programs stay (the interactive window's light toggles)."""
        paths = frozenset(light)
        self.settings = replace(self.settings, light=paths)  # checks the names
        self.bodies.set_light(paths)
        if self.spacecraft is not None:
            self.spacecraft.light = paths
        self._sun_passes()

    def set_labels(self, on: bool, marks: Sequence[Mark] = ()) -> None:
        """Draw the labels (with event ``marks``) or not, from the next frame on."""
        self.settings = replace(self.settings, labels=bool(on))
        if not on:
            self.labels = None
            return
        craft = self.spacecraft
        self.labels = LabelsPass(self.context, marks, None if craft is None else (
            lambda v: craft.pixel_radius(v) if craft.visible(v) else None))

    def set_trails(self, trails: Sequence[Trail], style: TrailStyle | None = None) -> None:
        """Draw ``trails`` (sampled: :func:`viewer.sim.trails.make_trails`; empty: none) from the next
        frame on."""
        self.trails = TrailsPass(self.context, list(trails), style) if trails else None

    def resize(self, size: tuple[int, int]) -> None:
        """Render images of ``size`` (width, height) pixels from now on; maps, meshes, trails and
        programs are kept. The targets of the last :data:`KEPT_SIZES` sizes are kept too (each keeps
        its own record of what it holds), so the interactive window can alternate between a reduced
        size while the view moves and the full one when it settles without making targets anew."""
        w, h = int(size[0]), int(size[1])
        if (w, h) == self.settings.size:
            return
        kept = self._kept
        kept[self.settings.size] = (self._targets, self.ldr)
        self.settings = replace(self.settings, size=(w, h))
        self._targets, ldr = kept.pop((w, h), ({}, None))
        self.ldr = ldr if ldr is not None else LDRTarget(self.context, (w, h))
        while len(kept) > KEPT_SIZES - 1:
            kept.pop(next(iter(kept)))
        self._view = None
        self.hdr = self._target(1)

    def _target(self, supersample: int) -> HDRTarget:
        if supersample not in self._targets:
            self._targets[supersample] = HDRTarget(self.context, self.settings.size, supersample=supersample,
                                                   internalformat=self.settings.hdr_format)
        return self._targets[supersample]

    def supersample_for(self, snapshot: Snapshot, camera: Camera) -> int:
        """2 (the setting) when the spacecraft mesh is in view, else 1: the bodies' limbs carry analytic
        coverage and stars are flux-conserving sprites, so only meshes need supersampling."""
        s = self.settings.supersample
        if s == 1 or self.spacecraft is None:
            return 1
        view = View(snapshot, camera, self.settings.size)
        # A spacecraft smaller than a couple of pixels has no edges worth supersampling.
        big = self.spacecraft.pixel_radius(view) >= MESH_SUPERSAMPLE_MIN_PX
        return s if big and self.spacecraft.visible(view) else 1

    def view(self, snapshot: Snapshot, camera: Camera) -> View:
        """The View the passes get for this snapshot and camera (render-pixel size)."""
        return View(snapshot, camera, self.hdr.render_size)

    def draw(self, snapshot: Snapshot, camera: Camera, trails: bool = True,
             star_floor: float | None = None) -> HDRTarget:
        """Render the scene's linear radiance into the HDR target and return it; without ``trails``
        the trails are left for :meth:`draw_trails` (after metering the exposure). ``star_floor``: draw
        only the stars whose brightest pixel exceeds this radiance (None: all); :meth:`add_stars` adds
        the others later, under the frame."""
        self.hdr = self._target(self.supersample_for(snapshot, camera))
        view = self._view = self.view(snapshot, camera)
        for p in (self.bodies, self.spacecraft):
            if p is not None:
                p.reuse_light_nodes = self.fast_clock
        if self.stars is not None:
            self.stars.floor = star_floor
        # uploads happen here, outside the bound target
        for p in [*self.passes, self.trails, self.junocam, self.glare, self.labels]:
            if hasattr(p, "prepare"):
                p.prepare(view)
        if self.stars is not None and self.stars.drawn * DENSE_STAR_PIXELS > self.hdr.render_size[0] * \
                self.hdr.render_size[1]:
            self.hdr.marked = False  # thousands of sprites marked: clearing the whole target is cheaper
        self.hdr.clear()
        with self.hdr:
            for p in self.passes:
                p.draw(view)
        if trails:
            self.draw_trails()
        return self.hdr

    def draw_trails(self) -> None:
        """Add the trails to the frame last drawn by :meth:`draw` (nothing without trails)."""
        if self.trails is None or self._view is None:
            return
        with self.hdr:
            self.trails.draw(self._view, scale=self.hdr.supersample)

    def add_stars(self, floor: float | None = None) -> None:
        """Add to the frame last drawn, under what it holds, the stars down to ``floor`` (radiance of
        their brightest pixel; None: all) that it left out."""
        if self.stars is not None and self._view is not None:
            with self.hdr:
                self.stars.draw_under(self._view, floor)

    def render(self, snapshot: Snapshot, camera: Camera, ev: float | None = None,
               pixels: Pixels = "rgb") -> Frame:
        """Draw, expose (``ev`` overrides the settings), tone-map and read back the 8-bit image. An
        ``auto`` exposure is metered before the trails are drawn.

        Stars the exposure cannot show are not drawn (their brightest pixel under
        :func:`~viewer.render.exposure.invisible_radiance`: a quarter of a display step at most, on
        any pixel): at a fixed EV from the start; under ``auto``, the frame is drawn with only the stars
        that could count as lit pixels (:data:`STAR_METERING_FLOOR`), metered, and the stars the metered
        EV shows are added under it — when the GPU subsample finds no lit surface, every star is added
        before the whole frame is metered (rules 2–4 look at the sky). :meth:`linear` adds the rest."""
        tone = self.settings.tone
        auto = ev is None and tone.exposure == "auto"
        fixed = None if auto else float(tone.exposure if ev is None else ev)
        self.draw(snapshot, camera, trails=False,
                  star_floor=STAR_METERING_FLOOR if fixed is None else invisible_radiance(tone, fixed))
        metering = None
        if auto:
            metering = self.tonemap.meter_lit(self.hdr, tone)
            if metering is None:
                self.add_stars()
                metering = self.tonemap.meter(self.hdr, tone)
            else:
                self.add_stars(invisible_radiance(tone, metering.ev))
            ev = metering.ev
        self.draw_trails()
        return self.finish(ev, metering, pixels)

    def finish(self, ev: float | None = None, metering: Metering | None = None,
               pixels: Pixels = "rgb") -> Frame:
        """Complete the frame last drawn by :meth:`draw`: meter the exposure unless ``ev`` is given
        (``metering``: what a given ``ev`` was metered on), draw JunoCam's field at that exposure,
        tone-map, draw the glare and the labels over the 8-bit image and read it back: as RGB (H, W, 3),
        or with ``pixels="yuv420p"`` as a video frame's planes (3H/2, W) (:mod:`viewer.render.passes.yuv`)."""
        tone = self.settings.tone
        if ev is None and tone.exposure == "auto":
            metering = self.tonemap.meter(self.hdr, tone)
            ev = metering.ev
        elif ev is None:
            ev = float(tone.exposure)
        view = self._view
        if self.junocam is not None and view is not None:
            self.junocam.draw(view, self.hdr, ev, tone, self.hdr.supersample)
        if view is not None:
            self.hdr.dirty = self.footprint(view)
        self.tonemap.draw(self.hdr, self.ldr, tone, ev=ev)
        if view is not None:
            if self.glare is not None:
                self.glare.draw(view, self.ldr, ev, tone, self.hdr)
            if self.labels is not None:
                self.labels.draw(View(view.snapshot, view.camera, self.ldr.size), self.ldr)
        if pixels == "yuv420p":
            if self.yuv is None:
                self.yuv = YuvPass(self.context)
            return Frame(self.yuv.read(self.ldr), ev, metering)
        return Frame(self.ldr.read(), ev, metering)

    def footprint(self, view: View) -> Any:
        """Where the passes drew the frame last drawn in ``view``: NDC rectangles (:mod:`viewer.render.
        passes` "Footprints"), or None (anywhere) when a pass cannot tell."""
        return join_footprints([p.footprint(view) if hasattr(p, "footprint") else None
                                for p in (*self.passes, self.trails, self.junocam) if p is not None])

    def linear(self, coverage: bool = False) -> npt.NDArray[np.float32]:
        """The last drawn frame's radiance at output size, (H, W, 3) float32, top row first (the
        supersampled pixels averaged 2×2, as the tone map resolves them); with ``coverage`` (H, W, 4),
        the surfaces' coverage in [0, 1] as the fourth channel. Every star is in it (those
        :meth:`render` left out as invisible are added first)."""
        self.add_stars()
        px = self.hdr.read_resolved()
        return np.ascontiguousarray(px if coverage else px[:, :, :3], dtype=np.float32)
