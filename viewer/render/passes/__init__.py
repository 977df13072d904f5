"""Render passes: one class ↔ one shader pair (docs/architecture.md). Each pass takes a GLContext, gets its
programs from the context's ProgramCache, and draws into a target it is handed.

Passes so far: :class:`~viewer.render.passes.tonemap.TonemapPass` (HDR → sRGB 8-bit).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def fullscreen_triangle() -> npt.NDArray[np.float32]:
    """The three ``a_position`` corners of ``shaders/fullscreen.vert``'s viewport-covering triangle."""
    return np.array([[-1.0, -1.0], [3.0, -1.0], [-1.0, 3.0]], dtype=np.float32)
