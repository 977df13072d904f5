"""The window's last step: the 8-bit image of a frame (:class:`~viewer.render.targets.LDRTarget`, what
:class:`viewer.frames.FrameMaker` read back) drawn onto the canvas's own framebuffer.

The picture in the window is the picture of a still or an export: the same passes made it in the same
target; this pass only copies it (one texel per pixel, exact for 8-bit values, when the sizes match;
bilinear while the window is resized and the next frames are not yet made at the new size).
"""

from __future__ import annotations

from typing import Any

from viewer.render.passes import fullscreen_triangle
from viewer.render.shaders import program_cache


class PresentPass:
    """Copy an :class:`~viewer.render.targets.LDRTarget` onto the current canvas (its default
    framebuffer) over a viewport of ``size`` (width, height) pixels."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.program = program_cache(context).get("fullscreen.vert", "present.frag")
        self.program["a_position"] = fullscreen_triangle()

    def draw(self, image: Any, size: tuple[int, int]) -> None:
        from vispy import gloo

        self.context.make_current()
        texture = image.texture
        texture.interpolation = "nearest" if tuple(image.size) == tuple(size) else "linear"
        self.program["u_image"] = texture
        gloo.set_viewport(0, 0, int(size[0]), int(size[1]))
        gloo.set_state(blend=False, depth_test=False, stencil_test=False, cull_face=False)
        self.program.draw("triangles")
