"""Render passes: one class ↔ one shader pair (docs/architecture.md). Each pass takes a GLContext, gets its
programs from the context's ProgramCache, and draws into a target it is handed.

Passes so far: :class:`~viewer.render.passes.tonemap.TonemapPass` (HDR → sRGB 8-bit).

Footprints. A pass that draws into the HDR target may say where its last draw can have written:
``footprint(view)`` returns NDC rectangles (N, 4) as (x0, y0, x1, y1) — conservative, every pixel it
wrote inside one of them — or None when it cannot tell (anywhere). The renderer joins them
(:func:`join_footprints`) so that the tone map and the next clear visit only those rectangles of the
target instead of the whole of it (``HDRTarget.dirty``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def perpendicular_basis(axis: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Two unit vectors perpendicular to the unit vector ``axis`` and to each other (e1, axis × e1)."""
    a = np.asarray(axis, dtype=np.float64)
    helper = np.array([1.0, 0.0, 0.0]) if abs(a[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    e1 = np.cross(a, helper)
    e1 /= np.linalg.norm(e1)
    return e1, np.asarray(np.cross(a, e1), dtype=np.float64)


def pixel_quad(box: tuple[float, float, float, float], size: tuple[int, int]) -> npt.NDArray[np.float32]:
    """NDC corners (4, 2) of a pixel rectangle ``box`` = (x0, y0, x1, y1) (x right, y down, in a
    ``size`` image) as a triangle strip: bottom-left, bottom-right, top-left, top-right."""
    x0, y0, x1, y1 = box
    w, h = size
    xs = (2.0 * x0 / w - 1.0, 2.0 * x1 / w - 1.0)
    ys = (1.0 - 2.0 * y1 / h, 1.0 - 2.0 * y0 / h)
    return np.array([[xs[0], ys[0]], [xs[1], ys[0]], [xs[0], ys[1]], [xs[1], ys[1]]], dtype=np.float32)


def fullscreen_triangle() -> npt.NDArray[np.float32]:
    """The three ``a_position`` corners of ``shaders/fullscreen.vert``'s viewport-covering triangle."""
    return np.array([[-1.0, -1.0], [3.0, -1.0], [-1.0, 3.0]], dtype=np.float32)


#: A footprint: NDC rectangles (N, 4), (x0, y0, x1, y1), or None for "anywhere".
Footprint = npt.NDArray[np.float32] | None

NO_FOOTPRINT = np.zeros((0, 4), dtype=np.float32)


def _pad(pad_px: float, size: tuple[int, int]) -> npt.NDArray[np.float64]:
    """``pad_px`` pixels in NDC units along x and y of a ``size`` target."""
    return np.array([2.0 * pad_px / size[0], 2.0 * pad_px / size[1]])


def point_footprint(ndc_xy: npt.ArrayLike, pad_px: float, size: tuple[int, int]) -> npt.NDArray[np.float32]:
    """One rectangle per point (M, 2 NDC), ``pad_px`` pixels around it in a ``size`` target."""
    xy = np.asarray(ndc_xy, dtype=np.float64).reshape(-1, 2)
    pad = _pad(pad_px, size)
    return np.concatenate([xy - pad, xy + pad], axis=1).astype(np.float32)


def bbox_footprint(ndc_xy: npt.ArrayLike, pad_px: float, size: tuple[int, int]) -> npt.NDArray[np.float32]:
    """The rectangle bounding the points (M, 2 NDC), ``pad_px`` pixels wider on every side (none for no
    point)."""
    xy = np.asarray(ndc_xy, dtype=np.float64).reshape(-1, 2)
    if len(xy) == 0:
        return NO_FOOTPRINT
    pad = _pad(pad_px, size)
    return np.array([[*(xy.min(axis=0) - pad), *(xy.max(axis=0) + pad)]], dtype=np.float32)


def quad_footprint(quad: npt.ArrayLike | None) -> npt.NDArray[np.float32]:
    """The rectangle of a pass's NDC quad corners (4, 2) (none for None)."""
    if quad is None:
        return NO_FOOTPRINT
    q = np.asarray(quad, dtype=np.float32).reshape(-1, 2)
    return np.array([[*q.min(axis=0), *q.max(axis=0)]], dtype=np.float32)


def join_footprints(parts: list[Footprint]) -> Footprint:
    """All the parts' rectangles clipped to the viewport, those left empty dropped; None if any part is
    None."""
    if any(p is None for p in parts):
        return None
    rects = np.concatenate([np.asarray(p, dtype=np.float32).reshape(-1, 4) for p in parts] or [NO_FOOTPRINT])
    rects = np.clip(rects, -1.0, 1.0)
    keep = (rects[:, 2] > rects[:, 0]) & (rects[:, 3] > rects[:, 1])
    return np.asarray(rects[keep], dtype=np.float32)


def footprint_triangles(rects: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """Two triangles per rectangle, (6N, 2) NDC corners for ``a_position``."""
    r = np.asarray(rects, dtype=np.float32).reshape(-1, 4)
    x0, y0, x1, y1 = r[:, 0], r[:, 1], r[:, 2], r[:, 3]
    corners = np.stack([np.stack([x0, y0], 1), np.stack([x1, y0], 1), np.stack([x0, y1], 1),
                        np.stack([x0, y1], 1), np.stack([x1, y0], 1), np.stack([x1, y1], 1)], axis=1)
    return np.ascontiguousarray(corners.reshape(-1, 2), dtype=np.float32)
