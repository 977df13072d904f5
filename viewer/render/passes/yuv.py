"""The export's video conversion on the GPU: the tone map's 8-bit sRGB image → the planes of a yuv420p
(I420) frame (``shaders/yuv420.frag``: BT.709, limited range, 2×2 centre-sited chroma), read back as
raw bytes.

Why on the GPU: an H.264 export read back 3 bytes a pixel and left ffmpeg's swscale to convert them,
single-threaded, in the encoder's process; the packed planes are 1.5 bytes a pixel, and the encoder
gets them as they are (measured at 1920×1080 on llvmpipe: the encoder's CPU per frame fell by about a
third, bench/results/export.json).

Must not import: ``viewer.sim``, ``viewer.cli``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.render.passes import fullscreen_triangle
from viewer.render.shaders import program_cache
from viewer.render.targets import LDRTarget


def supports(size: tuple[int, int]) -> bool:
    """Whether an image of ``size`` (width, height) px can be packed: width a multiple of 8 (four chroma
    bytes a texel within one chroma row), height a multiple of 4 (4:2:0 chroma, two chroma rows a
    packed row)."""
    w, h = int(size[0]), int(size[1])
    return w % 8 == 0 and h % 4 == 0 and w > 0 and h > 0


class YuvPass:
    """Convert an :class:`LDRTarget` (W×H) to a yuv420p frame: :meth:`read` → uint8 (3H/2, W), the Y
    plane's H rows, then U's and V's H/2 rows of W/2 bytes each, two to a row (I420 layout)."""

    def __init__(self, context: Any) -> None:
        self.context = context
        cache = program_cache(context)
        self.programs = [cache.get("fullscreen.vert", "yuv420.frag", {"PLANE": plane}) for plane in (0, 1)]
        for program in self.programs:
            program["a_position"] = fullscreen_triangle()
        self._packed: dict[tuple[int, int], LDRTarget] = {}

    def read(self, image: LDRTarget) -> npt.NDArray[np.uint8]:
        from vispy import gloo

        w, h = image.size
        if not supports((w, h)):
            raise ValueError(f"yuv420p packing needs a width divisible by 8 and a height by 4, not {w}x{h}")
        packed = self._packed.get((w, h))
        if packed is None:
            packed = self._packed[(w, h)] = LDRTarget(self.context, (w // 4, 3 * h // 2))
        texture = image.texture
        with packed:
            gloo.set_state(blend=False, depth_test=False, stencil_test=False, cull_face=False)
            for plane, program in enumerate(self.programs):
                # Y: nearest texels; chroma: a bilinear tap at each 2x2 block's shared corner is its mean.
                texture.interpolation = "linear" if plane else "nearest"
                program["u_image"] = texture
                program["u_size"] = (float(w), float(h))
                rows = (0, h) if plane == 0 else (h, h // 2)
                program["u_rows"] = float(rows[0])
                gloo.set_viewport(0, rows[0], w // 4, rows[1])
                program.draw("triangles")
            raw = packed.read_raw()
        texture.interpolation = "nearest"
        return raw.reshape(3 * h // 2, w)


__all__ = ["YuvPass", "supports"]
