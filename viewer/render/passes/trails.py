"""Trails: where bodies have been and will be, as lines of constant pixel width (``shaders/trail.vert|frag``).

Data on the GPU, once. Each :class:`viewer.sim.trails.Trail` (sample times and positions relative to its
frame body, float64) becomes one vertex buffer when first drawn: every chord between two samples is a
quad of four vertices carrying both chord ends (so the vertex shader can extrude the line across its
screen direction: no geometry shader in GLSL 1.20), the ends' times (float32 seconds after the trail's
own epoch, the middle of its samples: 0.06 s resolution on a 20-day trail, used only for the fade and
the dashes), the chord's index and the corner. Nothing is re-uploaded per frame: the vertex shader
places, cuts and fades every chord from a handful of uniforms the CPU computes from the snapshot
(:func:`trail_cuts`, a binary search and a few float64 differences):

* precision: positions as two floats each (:func:`split`), hi = float32(p) and lo = float32(p − hi),
  and the camera's position relative to the frame body's *current* centre split the same way; the
  shader forms (hi − c_hi) + (lo − c_lo), exact near the camera, so the line is placed to ~1e-8 km
  anywhere within 10⁷ km of its frame body (Juno's trail through Juno's model 20 m away; the hyperbola
  1,500 km above Io without jitter). The trail moves with its frame body (Io-relative around Io's
  current position, Jupiter-relative around Jupiter);
* the head: the chord holding ``et`` is cut at the body's exact current position (``u_head``, the
  snapshot's float64 position relative to the camera), so the line ends exactly at the body whatever
  the sampling; the past's far end is cut at et − past (``u_cut``, on the chord), so nothing beyond the
  span is drawn;
* the fade: opacity 1 − age/past, from 1 at the head to 0 at the tail; the future (when its span is
  not 0) is a second draw of the same buffer with ``FUTURE``: dashed (:data:`DASHES_PER_SPAN` over the
  span, fixed to the path) at opacity :data:`FUTURE_OPACITY`.

Levels of detail. A full orbit has ~31,000 chords (:mod:`viewer.sim.trails`); seen whole, most are
a fraction of a pixel and llvmpipe spends its time setting up triangles (six trails, 154,000 chords:
91 ms a 1280×720 frame). So each trail is also uploaded at strides 2, 4, 8, … (twice the memory in
all, :func:`levels_of_detail`, each level with its measured largest distance from the path), and
each frame draws the coarsest level whose chords stay within :data:`LOD_TOLERANCE_PX` of the path
seen from the camera (:func:`pick_level`: that distance over a lower bound of the camera's distance
to the trail, times the focal length). A camera on or near a trail gets every sample. With the same
six trails: 2.4–2.7 ms a frame from 4.5·10⁶ km, from 40,000 km off Io and from inside Io's orbit.

Width and anti-aliasing: :attr:`TrailStyle.width_px` output pixels (default 2) times the HiDPI
``pixel_ratio`` times the supersampling factor (``scale`` in :meth:`TrailsPass.draw`); each fragment's
coverage is computed exactly from its distance to the projected chord (a one-pixel ramp; square
terminal ends centred on the end point). Where chords join, each pixel is drawn by one chord only
(overlapping caps would compound a faded tail's opacity where chords are only a few pixels long).

Radiance: emissive, in the renderer's linear unit (docs/architecture.md "Radiometry"): every trail's colour
has luminance :data:`TRAIL_RADIANCE` = 0.3, i.e. 30 % of a white Lambert surface facing the Sun — a
little under sunlit Io (0.63 at normal incidence), so under the auto exposure of a sunlit scene a
trail reads as a clear light line that neither vanishes nor clips. The renderer draws trails after the
exposure is metered (:meth:`viewer.render.renderer.Renderer.render`), so they never change it.

Depth: each fragment writes the logarithmic depth of its point (``lib/depth.glsl``) for the depth test
against the bodies and the spacecraft — a trail behind Jupiter or Io is hidden, the head inside Juno's
model is hidden by it — without writing depth itself. Blending: premultiplied "over", alpha =
coverage × opacity (a pixel is drawn by one chord of a trail, so joins never brighten the line).

GL state set by :meth:`TrailsPass.draw`: depth test ``less`` without depth writes, blending ``(one,
one_minus_src_alpha)``; depth writes are switched back on afterwards (a cleared target needs them).

Must not import: ``viewer.cli``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from viewer.render.exposure import LUMA
from viewer.render.shaders import program_cache
from viewer.render.view import View
from viewer.sim.trails import TOLERANCE_RAD, Trail, chord_deviation

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]

#: Luminance of every trail's line, in units of a white Lambert surface facing the Sun.
TRAIL_RADIANCE = 0.3
#: Opacity of the future (dashed) part of a trail.
FUTURE_OPACITY = 0.6
#: Dashes (one dash and one gap each) over the future span.
DASHES_PER_SPAN = 12
#: Chords are clipped this far in front of the camera, km (1 cm).
NEAR_KM = 1e-5
#: A coarser level of detail is drawn while its chords stay this close to the path, render pixels.
LOD_TOLERANCE_PX = 0.25
#: Chords of the level :func:`distance_to_trail` measures against (a few µs a frame).
BOUND_CHORDS = 64
#: Each body's trail colour (linear RGB; scaled to luminance TRAIL_RADIANCE).
COLOURS: dict[str, tuple[float, float, float]] = {
    "juno": (1.0, 0.45, 0.12),
    "io": (1.0, 0.85, 0.25),
    "europa": (0.45, 0.75, 1.0),
    "ganymede": (0.55, 1.0, 0.55),
    "callisto": (0.85, 0.55, 1.0),
}

VERTEX_DTYPE = np.dtype([("a_p0_hi", np.float32, 3), ("a_p0_lo", np.float32, 3),
                         ("a_p1_hi", np.float32, 3), ("a_p1_lo", np.float32, 3),
                         ("a_time_s", np.float32, 2), ("a_index", np.float32),
                         ("a_corner", np.float32, 2)])
#: The four corners of a chord's quad (end, side) and its two triangles.
_CORNERS = np.array([[0.0, -1.0], [0.0, 1.0], [1.0, -1.0], [1.0, 1.0]], dtype=np.float32)
_QUAD = np.array([0, 1, 2, 2, 1, 3], dtype=np.uint32)


@dataclass(frozen=True)
class TrailStyle:
    """How trails look: ``width_px`` in output pixels, ``pixel_ratio`` the display's device pixels per
    pixel (HiDPI: 2), ``radiance`` the lines' luminance (renderer units)."""

    width_px: float = 2.0
    pixel_ratio: float = 1.0
    radiance: float = TRAIL_RADIANCE


def split(values: npt.ArrayLike) -> tuple[F32, F32]:
    """float64 → (hi, lo) float32 with hi + lo ≈ value to float64 precision (~1e-15 relative)."""
    v = np.asarray(values, dtype=np.float64)
    hi = v.astype(np.float32)
    lo = (v - hi.astype(np.float64)).astype(np.float32)
    return hi, lo


def trail_colour(body: str, radiance: float = TRAIL_RADIANCE) -> tuple[float, float, float]:
    """``body``'s trail colour, linear RGB of luminance ``radiance``."""
    rgb = np.asarray(COLOURS.get(body, (1.0, 1.0, 1.0)), dtype=np.float64)
    rgb = rgb * (radiance / float(rgb @ np.asarray(LUMA)))
    return float(rgb[0]), float(rgb[1]), float(rgb[2])


def epoch_of(trail: Trail) -> float:
    """The trail's own time origin (TDB s): the middle of its samples."""
    return 0.5 * (float(trail.et[0]) + float(trail.et[-1]))


def trail_vertices(trail: Trail) -> tuple[npt.NDArray[Any], npt.NDArray[np.uint32]]:
    """The vertex array (4 per chord, :data:`VERTEX_DTYPE`) and triangle indices (6 per chord)."""
    chords = len(trail) - 1
    hi, lo = split(trail.positions_km)
    t = (np.asarray(trail.et, dtype=np.float64) - epoch_of(trail)).astype(np.float32)
    v = np.empty((chords, 4), dtype=VERTEX_DTYPE)
    v["a_p0_hi"] = hi[:-1, None, :]
    v["a_p0_lo"] = lo[:-1, None, :]
    v["a_p1_hi"] = hi[1:, None, :]
    v["a_p1_lo"] = lo[1:, None, :]
    v["a_time_s"] = np.stack([t[:-1], t[1:]], axis=1)[:, None, :]
    v["a_index"] = np.arange(chords, dtype=np.float32)[:, None]
    v["a_corner"] = _CORNERS[None, :, :]
    indices = (_QUAD[None, :] + 4 * np.arange(chords, dtype=np.uint32)[:, None]).ravel()
    return v.reshape(-1), indices


@dataclass(frozen=True)
class Level:
    """One level of detail of a trail: every ``stride``-th sample (and the last), and the largest distance
    (km) of the path from its chords: from the skipped samples, plus the full trail's own tolerance."""

    trail: Trail
    stride: int
    deviation_km: float


def levels_of_detail(trail: Trail, min_chords: int = 8) -> list[Level]:
    """The trail at strides 1, 2, 4, … while a level keeps at least ``min_chords`` chords."""
    p = trail.positions_km
    chords = np.linalg.norm(np.diff(p, axis=0), axis=1)
    own = TOLERANCE_RAD * float(chords.max()) / 4.0  # sampling.adaptive_samples' rule
    levels = [Level(trail, 1, own)]
    stride = 2
    while (len(trail) - 1) // stride >= min_chords:
        keep = np.unique(np.append(np.arange(0, len(trail), stride), len(trail) - 1))
        chord = np.minimum(np.searchsorted(keep, np.arange(len(trail)), side="right") - 1, keep.size - 2)
        dev = chord_deviation(p[keep[chord]], p[keep[chord + 1]], p)
        coarse = Trail(trail.body, trail.frame, trail.et[keep], p[keep], trail.past_s, trail.future_s)
        levels.append(Level(coarse, stride, float(dev.max()) + own))
        stride *= 2
    return levels


def distance_to_trail(levels: Sequence[Level], point_km: npt.ArrayLike, chords: int = BOUND_CHORDS) -> float:
    """A lower bound (km, ≥ 0) on the distance from ``point_km`` (relative to the frame body's centre)
    to any point of the trail: the distance to the chords of the coarsest level that keeps ``chords``
    chords, less that level's deviation from the path."""
    level = next((lv for lv in reversed(levels) if len(lv.trail) > chords), levels[0])
    p = level.trail.positions_km
    a, d = p[:-1], np.diff(p, axis=0)
    rel = np.asarray(point_km, dtype=np.float64) - a
    length2 = np.einsum("ij,ij->i", d, d)
    t = np.clip(np.einsum("ij,ij->i", rel, d) / np.where(length2 > 0.0, length2, 1.0), 0.0, 1.0)
    nearest = float(np.min(np.linalg.norm(rel - t[:, None] * d, axis=1)))
    return max(nearest - level.deviation_km, 0.0)


def pick_level(levels: Sequence[Level], view: View, tolerance_px: float = LOD_TOLERANCE_PX) -> int:
    """The index of the coarsest level whose chords stay within ``tolerance_px`` render pixels of the
    path in this view: its deviation over the least distance from the camera to the trail
    (:func:`distance_to_trail`), times the focal length. Level 0 when the camera may be on the trail."""
    trail = levels[0].trail
    snap = view.snapshot
    if len(levels) == 1 or trail.frame not in snap.positions:
        return 0
    camera = np.asarray(view.camera.position_km, dtype=np.float64) \
        - np.asarray(snap.positions[trail.frame], dtype=np.float64)
    distance = distance_to_trail(levels, camera)
    best = 0
    for i, level in enumerate(levels[1:], start=1):
        if distance <= 0.0 or view.focal_px * level.deviation_km / distance > tolerance_px:
            break
        best = i
    return best


@dataclass(frozen=True)
class Cut:
    """Where one draw of a trail starts and stops: chord indices of the head (the body now) and of the
    far end of the span, and those two points (camera frame, km, float32) with their times (s after the
    trail's epoch)."""

    head_index: int
    head: tuple[float, float, float, float]
    cut_index: int
    cut: tuple[float, float, float, float]


def _point(trail: Trail, index: int, et: float) -> F64:
    """The point of chord ``index`` at time ``et`` (linear along the chord), relative to the frame body."""
    t0, t1 = float(trail.et[index]), float(trail.et[index + 1])
    f = 0.0 if t1 <= t0 else min(max((et - t0) / (t1 - t0), 0.0), 1.0)
    p = trail.positions_km
    return np.asarray(p[index] + f * (p[index + 1] - p[index]), dtype=np.float64)


def trail_cuts(trail: Trail, view: View) -> tuple[Cut | None, Cut | None, dict[str, Any]] | None:
    """The per-frame state of one trail: (past cut, future cut, common uniforms), each cut None when that
    part is empty; None when the frame body is not in the snapshot. Pure numpy (no GL)."""
    snap, camera = view.snapshot, view.camera
    if trail.frame not in snap.positions:
        return None
    origin = np.asarray(snap.positions[trail.frame], dtype=np.float64)
    cam_rel = np.asarray(camera.position_km, dtype=np.float64) - origin
    times = trail.et
    last = len(trail) - 2  # the last chord's index
    et = float(snap.et)
    epoch = epoch_of(trail)

    def camera_frame(rel_km: F64, t: float) -> tuple[float, float, float, float]:
        x = (np.asarray(rel_km, dtype=np.float64) - cam_rel) @ camera.rotation
        return float(np.float32(x[0])), float(np.float32(x[1])), float(np.float32(x[2])), float(t - epoch)

    def head_point(index: int, when: float) -> tuple[float, float, float, float]:
        # The body's exact position now when the trail's samples straddle now; else the chord's point.
        if times[0] <= et <= times[-1] and trail.body in snap.positions:
            return camera_frame(np.asarray(snap.positions[trail.body], dtype=np.float64) - origin, et)
        return camera_frame(_point(trail, index, when), when)

    def chord(when: float, side: Literal["left", "right"]) -> int:
        return int(np.clip(np.searchsorted(times, when, side=side) - 1, 0, last))

    past = future = None
    start = max(et - trail.past_s, float(times[0]))
    if trail.past_s > 0.0 and et > times[0] and start < et:
        now = min(et, float(times[-1]))
        k, j = chord(now, "left"), chord(start, "right")
        past = Cut(k, head_point(k, now), j, camera_frame(_point(trail, j, start), start))
    end = min(et + trail.future_s, float(times[-1]))
    if trail.future_s > 0.0 and et < times[-1] and end > et:
        now = max(et, float(times[0]))
        k, j = chord(now, "right"), chord(end, "left")
        future = Cut(k, head_point(k, now), j, camera_frame(_point(trail, j, end), end))
    hi, lo = split(cam_rel)
    common = {"u_camera_hi": tuple(float(v) for v in hi), "u_camera_lo": tuple(float(v) for v in lo),
              "u_last_index": float(last), "u_et_s": float(et - epoch)}
    return past, future, common


#: :func:`cut_footprint` bounds a drawn part of up to this many samples (else: anywhere).
FOOTPRINT_MAX_SAMPLES = 8192


def cut_footprint(trail: Trail, cut: Cut, view: View, pad_px: float) -> npt.NDArray[np.float32] | None:
    """Where one drawn part of ``trail`` (``cut``: its chords between the head and the far end, at this
    level of detail) can write in ``view``: the rectangle bounding the images of its polyline (the far
    end, the samples between, the head), each chord clipped :data:`NEAR_KM` in front of the camera as
    ``trail.vert`` clips it, ``pad_px`` wider (NDC, see :mod:`viewer.render.passes`; a chord clipped near
    the camera reaches far out, and the rectangle with it, to be cut at the viewport). None (anywhere)
    for a part of more than :data:`FOOTPRINT_MAX_SAMPLES` samples. Straight chords in front of the
    camera project to straight segments between their ends' images, so the rectangle holds them."""
    from viewer.render.passes import bbox_footprint

    lo, hi = sorted((cut.head_index, cut.cut_index))
    if hi + 2 - lo > FOOTPRINT_MAX_SAMPLES:
        return None
    snap, camera = view.snapshot, view.camera
    cam_rel = np.asarray(camera.position_km, dtype=np.float64) \
        - np.asarray(snap.positions[trail.frame], dtype=np.float64)
    inner = (np.asarray(trail.positions_km[lo + 1:hi + 1], dtype=np.float64) - cam_rel) @ camera.rotation
    ends = np.asarray([cut.cut[:3], cut.head[:3]], dtype=np.float64)
    if cut.cut_index > cut.head_index:  # the future: from the head to the far end
        ends = ends[::-1]
    line = np.concatenate([ends[:1], inner, ends[1:]])
    depth = -line[:, 2]
    front = depth > NEAR_KM
    a, b = line[:-1], line[1:]
    da, db = depth[:-1], depth[1:]
    crossing = front[:-1] != front[1:]
    f = (NEAR_KM - da[crossing]) / (db[crossing] - da[crossing])
    clipped = a[crossing] + f[:, None] * (b[crossing] - a[crossing])
    points = np.concatenate([line[front], clipped])
    depth = np.maximum(-points[:, 2], NEAR_KM)
    tx, ty = view.tan_half_fov
    ndc = np.stack([points[:, 0] / depth / tx, points[:, 1] / depth / ty], axis=1)
    return bbox_footprint(ndc, pad_px, view.size)


class TrailsPass:
    """Draws trails into the bound HDR target, after the scene passes.

    Parameters
    ----------
    context : GLContext
    trails : the sampled trails (:func:`viewer.sim.trails.make_trails`)
    style : width, pixel ratio and radiance
    """

    def __init__(self, context: Any, trails: Sequence[Trail], style: TrailStyle | None = None) -> None:
        self.context = context
        self.trails = list(trails)
        self.style = style or TrailStyle()
        self._levels: list[list[tuple[Level, Any, Any]]] | None = None
        self._drawn: tuple[View, list[npt.NDArray[np.float32] | None]] | None = None

    def __len__(self) -> int:
        return len(self.trails)

    def footprint(self, view: View) -> npt.NDArray[np.float32] | None:
        """Where the last :meth:`draw` in ``view`` wrote (NDC rectangles of :func:`cut_footprint`, see
        :mod:`viewer.render.passes`; None: anywhere); nothing when it did not draw in ``view``."""
        from viewer.render.passes import NO_FOOTPRINT

        if self._drawn is None or self._drawn[0] is not view:
            return NO_FOOTPRINT
        parts = self._drawn[1]
        if any(p is None for p in parts):
            return None
        return np.concatenate([NO_FOOTPRINT, *[p for p in parts if p is not None]])

    @property
    def vertex_count(self) -> int:
        """Samples over all trails (full detail)."""
        return sum(len(t) for t in self.trails)

    def levels(self, view: View) -> list[Level]:
        """The level of detail each trail is drawn with in ``view`` (after :meth:`prepare`)."""
        if self._levels is None:
            raise RuntimeError("TrailsPass.levels: call prepare(view) first")
        return [levels[pick_level([lv for lv, _, _ in levels], view)][0] for levels in self._levels]

    def _program(self, future: bool) -> Any:
        return program_cache(self.context).get("trail.vert", "trail.frag",
                                               {"FUTURE": future, "FUTURE_OPACITY": FUTURE_OPACITY})

    def prepare(self, view: View) -> None:
        """Compile both programs and upload every trail's vertices (once). Call before binding a target."""
        from vispy import gloo

        self._program(False)
        self._program(True)
        if self._levels is None:
            self.context.make_current()
            self._levels = []
            for trail in self.trails:
                buffers = []
                for level in levels_of_detail(trail):
                    vertices, indices = trail_vertices(level.trail)
                    buffers.append((level, gloo.VertexBuffer(vertices), gloo.IndexBuffer(indices)))
                self._levels.append(buffers)
            self.context.flush()

    def draw(self, view: View, scale: float = 1.0) -> None:
        """Draw every trail; ``scale`` is render pixels per output pixel (the supersampling factor)."""
        from vispy import gloo

        if not self.trails:
            return
        if self._levels is None:
            raise RuntimeError("TrailsPass.draw: call prepare(view) before binding the target")
        w, h = view.size
        half_width = 0.5 * self.style.width_px * self.style.pixel_ratio * scale
        frame = {"u_to_camera": np.asarray(view.camera.rotation, dtype=np.float32),
                 "u_projection": view.projection().T, "u_viewport_px": (float(w), float(h)),
                 "u_half_width_px": float(half_width), "u_near_km": NEAR_KM, **View.depth_uniforms()}
        gloo.set_state(blend=True, blend_func=("one", "one_minus_src_alpha"), depth_test=True,
                       depth_mask=False, cull_face=False)
        gloo.set_depth_func("less")
        drawn: list[npt.NDArray[np.float32] | None] = []
        self._drawn = (view, drawn)
        try:
            for levels in self._levels:
                level, vertices, indices = levels[pick_level([lv for lv, _, _ in levels], view)]
                trail = level.trail
                state = trail_cuts(trail, view)
                if state is None:
                    continue
                past, future, common = state
                for cut, is_future, span in ((past, False, trail.past_s), (future, True, trail.future_s)):
                    if cut is None:
                        continue
                    # the line's half width, its one-pixel edge ramp and a pixel of rounding
                    drawn.append(cut_footprint(trail, cut, view, half_width + 2.0))
                    program = self._program(is_future)
                    program.bind(vertices)
                    for name, value in {**frame, **common}.items():
                        program[name] = value
                    program["u_head_index"] = float(cut.head_index)
                    program["u_head"] = cut.head
                    program["u_cut_index"] = float(cut.cut_index)
                    program["u_cut"] = cut.cut
                    program["u_span_s"] = float(span)
                    program["u_radiance"] = trail_colour(trail.body, self.style.radiance)
                    if is_future:
                        program["u_dash_s"] = float(span / DASHES_PER_SPAN)
                    program.draw("triangles", indices)
        finally:
            gloo.set_depth_mask(True)
