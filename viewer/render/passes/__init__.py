"""Render passes: one class ↔ one shader pair (docs/architecture.md). Each pass takes a GLContext, gets its
programs from the context's ProgramCache, and draws into a target it is handed.

Passes so far: :class:`~viewer.render.passes.tonemap.TonemapPass` (HDR → sRGB 8-bit).
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
