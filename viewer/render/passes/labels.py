"""Labels: body names and event marks drawn over the 8-bit image after the tone map
(``shaders/label.vert|frag``).

Why after the tone map. A label is an annotation, not light: drawn into the 8-bit image it has the same
colour and contrast under every exposure and look, it never enters the ``auto`` exposure's statistics
or the ``--linear`` radiance, and the text is drawn 1:1 at output pixels (in the supersampled HDR
target it would be resampled). Which labels show is decided geometrically on the CPU, so no depth
buffer is needed.

What is labelled (:func:`label_targets`): the bodies (Jupiter, the Galilean moons, the Sun, Juno) and
:class:`Mark` points — an event's place, e.g. Juno at Io's closest approach carried along with Io, which
is where that point of Juno's Io-relative trail lies (a small ring marks the point). A target is shown
when it is wholly in front of the camera, its disc reaches into the image and it is not hidden: a ray
from the camera to its centre or to one of 8 points at 0.8 of its radius around it (perpendicular to
the line of sight) meets it before any other body (:func:`viewer.render.camera.first_hit`). Juno and a
mark need their centre inside the image and the ray to reach them before any body; Juno is not
labelled from a camera on board.

Placement (:func:`place_labels`): beside the target's projected disc — its bounding box in pixels
(:func:`viewer.render.passes.bodies.silhouette_bounds`; Juno's bounding sphere; a mark's ring) — on the
first of right, left, above, below where the label's box lies wholly inside the image, clear of the disc
by a margin and of the labels placed before it; a label that fits nowhere is left out. So a label never
covers the body it names.

Font. OpenSans Regular, the TrueType font vispy ships (``vispy/util/fonts/data``, Apache 2.0),
rasterised by Pillow's FreeType on the CPU, each text once (cached), with a dark outline so it reads on
a bright disc; Pillow's own scalable default font (Pillow ≥ 10.1) if the file were missing. No system
font is assumed. Text height :data:`FONT_FRACTION` of the image height, at least :data:`MIN_FONT_PX`.

Must not import: ``viewer.cli``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.render.camera import first_hit
from viewer.render.passes import perpendicular_basis, pixel_quad
from viewer.render.passes.bodies import silhouette_bounds
from viewer.render.shaders import program_cache
from viewer.render.view import View
from viewer.sim.constants import BODIES, SUN_RADIUS_KM

#: Label text height as a fraction of the image height (13 px at 720 lines, 19 px at 1080), and its least.
FONT_FRACTION = 1.0 / 56.0
MIN_FONT_PX = 10
#: Gap between a disc's box and its label, in font heights.
MARGIN_EM = 0.4
#: A mark's ring radius, in font heights.
RING_EM = 0.35
#: Display-encoded colours (sRGB, 0..1): body names, marks, the outline.
BODY_COLOUR = (0.92, 0.92, 0.92)
MARK_COLOUR = (1.0, 0.84, 0.35)
OUTLINE_ALPHA = 0.8
#: Bodies labelled, in the order they claim a place.
LABELLED = ("io", "juno", "europa", "ganymede", "callisto", "jupiter", "sun")
#: Where a label may go, in order of preference.
SIDES = ("right", "left", "above", "below")
#: Juno's closest approaches to the moons and its perijoves this near the instant are marked, s.
MARK_WINDOW_S = 12 * 3600.0

Box = tuple[float, float, float, float]  # x0, y0, x1, y1: pixels, x right, y down


@dataclass(frozen=True)
class Mark:
    """A labelled point that moves with a body: ``body``'s centre plus ``offset_km`` (J2000, km)."""

    text: str
    body: str
    offset_km: tuple[float, float, float]

    def position(self, snapshot: Any) -> npt.NDArray[np.float64] | None:
        """Where the mark is in ``snapshot`` (km, jovicentric J2000), or None without its body."""
        if self.body not in snapshot.positions:
            return None
        return np.asarray(np.asarray(snapshot.positions[self.body], dtype=np.float64)
                          + np.asarray(self.offset_km), dtype=np.float64)


def event_marks(world: Any, et: float, window_s: float = MARK_WINDOW_S) -> list[Mark]:
    """Marks for Juno's closest approaches to the moons and its perijoves within ``window_s`` of TDB
    ``et`` (:func:`viewer.sim.events.search`): Juno's place at the event relative to the moon (or
    Jupiter), carried along with it, labelled e.g. ``"Io C/A 08:36"``, ``"perijove 12:36"`` (UTC)."""
    from viewer.sim.events import search
    from viewer.sim.timescales import et_to_utc

    marks = []
    for event in search(world, et - window_s, et + window_s, kinds=("closest_approach", "perijove")):
        juno = np.asarray(world.state("juno", event.et)[0], dtype=np.float64)
        ref = np.asarray(world.state(event.body, event.et)[0], dtype=np.float64)
        hhmm = et_to_utc(event.et, 0)[11:16]
        closest = event.kind == "closest_approach"
        text = f"{event.body.capitalize()} C/A {hhmm}" if closest else f"perijove {hhmm}"
        offset = juno - ref
        marks.append(Mark(text, event.body, (float(offset[0]), float(offset[1]), float(offset[2]))))
    return marks


@dataclass(frozen=True)
class Target:
    """Something to label: its text, the box of its projected disc (pixels) and its kind."""

    text: str
    disc: Box
    kind: str  # "body" or "mark"


@dataclass(frozen=True)
class Placed:
    """A placed label: its target and the label's box (pixels, x right, y down)."""

    target: Target
    box: Box


def font_px(height: int) -> int:
    """The label text height in pixels for an image ``height`` pixels high."""
    return max(MIN_FONT_PX, round(height * FONT_FRACTION))


@cache
def label_font(px: int) -> Any:
    """OpenSans Regular (shipped with vispy) at ``px`` pixels, as a Pillow FreeType font."""
    from importlib.resources import files

    from PIL import ImageFont

    path = files("vispy.util.fonts") / "data" / "OpenSans-Regular.ttf"
    if path.is_file():
        return ImageFont.truetype(str(path), px)
    return ImageFont.load_default(px)


@cache
def rasterize(text: str, px: int, colour: tuple[float, float, float]) -> npt.NDArray[np.float32]:
    """``text`` as premultiplied display-encoded RGBA (h, w, 4) float32, top row first: the glyphs in
    ``colour`` over a dark outline of OUTLINE_ALPHA opacity, one pixel wider than the glyphs."""
    from PIL import Image, ImageDraw

    font = label_font(px)
    stroke = max(1, round(px / 12))
    x0, y0, x1, y1 = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font=font,
                                                                    stroke_width=stroke)
    size = (int(x1 - x0) + 2, int(y1 - y0) + 2)
    fill, outline = Image.new("L", size), Image.new("L", size)
    at = (1 - x0, 1 - y0)
    ImageDraw.Draw(fill).text(at, text, font=font, fill=255)
    ImageDraw.Draw(outline).text(at, text, font=font, fill=255, stroke_width=stroke, stroke_fill=255)
    a_fill = np.asarray(fill, dtype=np.float32) / 255.0
    alpha = np.maximum(a_fill, OUTLINE_ALPHA * np.asarray(outline, dtype=np.float32) / 255.0)
    rgb = a_fill[..., None] * np.asarray(colour, dtype=np.float32)
    return np.ascontiguousarray(np.concatenate([rgb, alpha[..., None]], axis=2), dtype=np.float32)


@cache
def ring(px: int, colour: tuple[float, float, float]) -> npt.NDArray[np.float32]:
    """A mark's ring: premultiplied RGBA, (2r + 4) pixels square, r = RING_EM × ``px``."""
    r = max(3.0, RING_EM * px)
    n = math.ceil(2 * r + 4)
    yy, xx = np.mgrid[0:n, 0:n] + 0.5
    dist = np.hypot(xx - n / 2, yy - n / 2)
    width = max(1.0, px / 10)
    core = np.clip(width / 2 + 0.5 - np.abs(dist - r), 0.0, 1.0)
    halo = OUTLINE_ALPHA * np.clip(width / 2 + 1.5 - np.abs(dist - r), 0.0, 1.0)
    alpha = np.maximum(core, halo).astype(np.float32)
    rgb = core[..., None] * np.asarray(colour, dtype=np.float32)
    return np.ascontiguousarray(np.concatenate([rgb, alpha[..., None]], axis=2), dtype=np.float32)


def _unit(v: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.asarray(v / np.linalg.norm(v), dtype=np.float64)


def _seen(snap: Any, eye: npt.NDArray[np.float64], point: npt.NDArray[np.float64], name: str | None) -> bool:
    """Whether the ray from ``eye`` to ``point`` meets body ``name`` first (``name`` None: no body before
    ``point``)."""
    to = point - eye
    dist = float(np.linalg.norm(to))
    hit, t = first_hit(snap, eye, to / dist)
    return hit == name if name is not None else t >= dist * (1.0 - 1e-9)


def _visible_body(view: View, name: str, centre: npt.NDArray[np.float64], radius_km: float) -> bool:
    """The body's centre or one of 8 points at 0.8 of its radius around it is seen (see the module)."""
    eye = view.camera.position_km
    e1, e2 = perpendicular_basis(_unit(centre - eye))
    points = [centre] + [centre + 0.8 * radius_km * (math.cos(a) * e1 + math.sin(a) * e2)
                         for a in np.linspace(0.0, 2.0 * math.pi, 8, endpoint=False)]
    # A ray aimed at a point inside the body (not only on its surface) meets its ellipsoid first unless
    # another body is in the way.
    return any(_seen(view.snapshot, eye, p, name) for p in points)


def _on_screen(view: View, point: npt.NDArray[np.float64]) -> tuple[float, float] | None:
    (xy,), (depth,) = view.project(point[None, :])
    w, h = view.size
    if depth <= 0.0 or not (0.0 <= xy[0] < w and 0.0 <= xy[1] < h):
        return None
    return float(xy[0]), float(xy[1])


def _box_of(view: View, centre: npt.NDArray[np.float64], radius_km: float) -> Box | None:
    bounds = silhouette_bounds(view, centre, radius_km)
    if bounds is None:
        return None
    w, h = view.size
    (lx, ly), (hx, hy) = bounds
    return ((lx + 1) * w / 2, (1 - hy) * h / 2, (hx + 1) * w / 2, (1 - ly) * h / 2)


def label_targets(view: View, marks: Sequence[Mark] = (),
                  spacecraft_px: Callable[[View], float | None] | None = None) -> list[Target]:
    """What to label in ``view`` (pixels of ``view.size``), in the order they claim a place.

    ``spacecraft_px(view)``: Juno's bounding radius in pixels, or None when it is not drawn or the
    camera is on board; without it Juno is not labelled.
    """
    snap = view.snapshot
    px = font_px(view.size[1])
    out: list[Target] = []
    for name in LABELLED:
        if name not in snap.positions:
            continue
        centre = np.asarray(snap.positions[name], dtype=np.float64)
        if name == "juno":
            at = _on_screen(view, centre)
            if at is None:
                continue
            radius = spacecraft_px(view) if spacecraft_px is not None else None
            if radius is None or not _seen(snap, view.camera.position_km, centre, None):
                continue
            r = max(float(radius), 1.0)
            out.append(Target("Juno", (at[0] - r, at[1] - r, at[0] + r, at[1] + r), "body"))
            continue
        radius_km = SUN_RADIUS_KM if name == "sun" else float(max(BODIES[name].radii_km))
        box = _box_of(view, centre, radius_km)
        w, h = view.size
        if (box is None or box[2] <= 0 or box[0] >= w or box[3] <= 0 or box[1] >= h
                or not _visible_body(view, name, centre, radius_km)):
            continue
        out.append(Target(name.capitalize(), box, "body"))
    r = max(3.0, RING_EM * px) + 1.0
    for mark in marks:
        p = mark.position(snap)
        at = None if p is None else _on_screen(view, p)
        if at is None or p is None or not _seen(snap, view.camera.position_km, p, None):
            continue
        out.append(Target(mark.text, (at[0] - r, at[1] - r, at[0] + r, at[1] + r), "mark"))
    return out


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(targets: Sequence[Target], text_size: Callable[[Target], tuple[int, int]],
                 size: tuple[int, int]) -> list[Placed]:
    """Place each target's label (``text_size``: its (width, height) in pixels) beside its disc box on
    the first side of :data:`SIDES` that keeps it inside the ``size`` image, off every disc box and off
    the labels already placed; targets that fit nowhere get no label."""
    w, h = size
    m = MARGIN_EM * font_px(h)
    placed: list[Placed] = []
    discs = [t.disc for t in targets]
    for target in targets:
        tw, th = text_size(target)
        x0, y0, x1, y1 = target.disc
        cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
        options = {"right": (x1 + m, cy - th / 2), "left": (x0 - m - tw, cy - th / 2),
                   "above": (cx - tw / 2, y0 - m - th), "below": (cx - tw / 2, y1 + m)}
        for side in SIDES:
            bx, by = options[side]
            box = (float(round(bx)), float(round(by)), float(round(bx)) + tw, float(round(by)) + th)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= w and box[3] <= h
            if (inside and not any(_overlaps(box, d) for d in discs)
                    and not any(_overlaps(box, p.box) for p in placed)):
                placed.append(Placed(target, box))
                break
    return placed


class LabelsPass:
    """Draw labels over the bound 8-bit target (premultiplied "over").

    Parameters
    ----------
    context : GLContext
    marks : event marks to label besides the bodies
    spacecraft_px : Juno's bounding radius in pixels for a view, or None when not drawn (see
        :func:`label_targets`)
    """

    def __init__(self, context: Any, marks: Sequence[Mark] = (),
                 spacecraft_px: Callable[[View], float | None] | None = None) -> None:
        self.context = context
        self.marks = tuple(marks)
        self.spacecraft_px = spacecraft_px
        self._textures: dict[tuple[str, int, str], Any] = {}
        #: The labels of the last :meth:`draw`.
        self.placed: list[Placed] = []

    def _program(self) -> Any:
        return program_cache(self.context).get("label.vert", "label.frag")

    def prepare(self, view: View) -> None:
        self._program()

    def _image(self, target: Target, px: int) -> npt.NDArray[np.float32]:
        return rasterize(target.text, px, MARK_COLOUR if target.kind == "mark" else BODY_COLOUR)

    def _texture(self, key: tuple[str, int, str], image: npt.NDArray[np.float32]) -> Any:
        from vispy import gloo

        if key not in self._textures:
            self._textures[key] = gloo.Texture2D(image, interpolation="nearest", internalformat="rgba32f")
        return self._textures[key]

    def layout(self, view: View) -> list[Placed]:
        """The labels for ``view`` (pixels of ``view.size``)."""
        px = font_px(view.size[1])
        targets = label_targets(view, self.marks, self.spacecraft_px)

        def text_size(t: Target) -> tuple[int, int]:
            img = self._image(t, px)
            return img.shape[1], img.shape[0]

        return place_labels(targets, text_size, view.size)

    def draw(self, view: View, target: Any) -> None:
        """Draw into ``target`` (an 8-bit :class:`~viewer.render.targets.LDRTarget` of ``view.size``),
        which this binds after uploading the textures (so call it with no target bound)."""
        from vispy import gloo

        w, h = view.size
        px = font_px(h)
        self.placed = self.layout(view)
        quads: list[tuple[Box, tuple[str, int, str], npt.NDArray[np.float32]]] = []
        for p in self.placed:
            colour = "mark" if p.target.kind == "mark" else "body"
            quads.append((p.box, (p.target.text, px, colour), self._image(p.target, px)))
            if p.target.kind == "mark":
                img = ring(px, MARK_COLOUR)
                x0, y0, x1, y1 = p.target.disc
                cx, cy = round(0.5 * (x0 + x1) - img.shape[1] / 2), round(0.5 * (y0 + y1) - img.shape[0] / 2)
                quads.append(((cx, cy, cx + img.shape[1], cy + img.shape[0]), ("", px, "ring"), img))
        if not quads:
            return
        program = self._program()
        textures = [self._texture(key, img) for _, key, img in quads]
        with target:
            gloo.set_state(depth_test=False, blend=True, blend_func=("one", "one_minus_src_alpha"))
            for (box, _, _), texture in zip(quads, textures, strict=True):
                program["a_position"] = pixel_quad(box, (w, h))
                program["a_uv"] = np.array([[0, 1], [1, 1], [0, 0], [1, 0]], dtype=np.float32)
                program["u_texture"] = texture
                program.draw("triangle_strip")
