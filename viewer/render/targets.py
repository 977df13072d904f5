"""Render targets: the linear HDR float target the scene draws into, the 8-bit target of the final image,
supersampling, and readback.

Anti-aliasing plan (measured on llvmpipe with a one-off script; numbers in docs/rendering.md):
supersampling. An :class:`HDRTarget` with ``supersample=2`` renders at 2×2 the output size and the
tone-map pass resolves it with four nearest-texel taps per output pixel (the exact 2×2 box mean). 4× MSAA
measured the same cost at 1920×1080 (284 vs 273 ms per frame, a 64×32 sphere + tone map + readback),
needs raw GL outside vispy's gloo (multisample renderbuffers, ``glBlitFramebuffer``), and would not
smooth the ray-cast limbs (drawn in the fragment shader, they get analytic edge coverage instead).

Orientation: GL's, row 0 at the bottom. :meth:`HDRTarget.read` and :meth:`LDRTarget.read` return
top-row-first arrays, as images are stored.

Must not import: ``viewer.sim``, ``viewer.cli``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.errors import UserError

HDR_FORMATS = ("rgba16f", "rgba32f")
#: ``GL_DEPTH24_STENCIL8``: the HDR target's depth buffer with the stencil that marks drawn pixels.
GL_DEPTH24_STENCIL8 = 0x88F0
#: Bytes per texel of each HDR format (four channels of 4- or 2-byte floats).
HDR_TEXEL_BYTES = {"rgba16f": 8, "rgba32f": 16}
#: The advice for an image too large for the GL, by whether the target is the supersampled one.
_FIX = {False: "use a smaller --size", True: "use --no-supersample (or a smaller --size)"}


def max_side(context: Any) -> int:
    """The largest side, pixels, of a colour texture with a depth renderbuffer in ``context``
    (``GL_MAX_TEXTURE_SIZE`` and ``GL_MAX_RENDERBUFFER_SIZE``, as ``jupitershine doctor`` reports)."""
    caps = context.capabilities()
    return int(min(caps.max_renderbuffer_size, caps.max_texture_size))


def _check_size(context: Any, size: tuple[int, int], what: str,
                supersampled: bool = False) -> tuple[int, int]:
    width, height = (int(size[0]), int(size[1]))
    if width < 1 or height < 1:
        raise UserError(f"{what} size {width}x{height}: both sides must be at least 1 pixel")
    limit = max_side(context)
    if max(width, height) > limit:
        raise UserError(f"{what} size {width}x{height} exceeds this GL's limit of {limit} pixels a side "
                        f"(GL_MAX_TEXTURE_SIZE/GL_MAX_RENDERBUFFER_SIZE, `jupitershine doctor`); "
                        f"{_FIX[supersampled]}")
    return width, height


def _check_complete(context: Any, fbo: Any, what: str, size: tuple[int, int], texel_bytes: int,
                    supersampled: bool = False) -> None:
    """Bind ``fbo`` once and run vispy's queued GL commands now, so that a framebuffer the GL refuses
    (sides within the limits but too much memory: llvmpipe takes at most ~1.5 GiB per texture) is a
    UserError before anything is drawn rather than a RuntimeError at the first draw."""
    context.make_current()
    fbo.activate()
    fbo.deactivate()
    try:
        context.flush()
    except RuntimeError as exc:  # vispy: "FrameBuffer attachments are incomplete.", GL errors
        w, h = size
        gib = w * h * texel_bytes / 2**30
        renderer = context.capabilities().renderer
        reason = str(exc).rstrip(".")
        raise UserError(f"{what} {w}x{h} ({gib:.1f} GiB of {texel_bytes}-byte texels) is more than this GL "
                        f"({renderer}) can render into ({reason}); {_FIX[supersampled]}") from None


class HDRTarget:
    """A linear float colour texture (+ depth) the scene passes draw radiance into.

    Parameters
    ----------
    context : GLContext
    size : (width, height) of the *output* image in pixels
    supersample : 1 or 2; the target is ``supersample`` times larger on each side
    internalformat : ``"rgba32f"`` (default; exact for ``--linear``) or ``"rgba16f"`` (same speed on
        llvmpipe per docs/rendering.md, half the memory)
    depth : attach a 24-bit depth renderbuffer

    Use as a context manager to draw into it: ``with target: program.draw(...)`` binds the framebuffer
    and sets the viewport to the full render size.
    """

    def __init__(self, context: Any, size: tuple[int, int], supersample: int = 1,
                 internalformat: str = "rgba32f", depth: bool = True) -> None:
        from vispy import gloo

        if supersample not in (1, 2):
            raise ValueError(f"supersample must be 1 or 2, not {supersample!r}")
        if internalformat not in HDR_FORMATS:
            raise ValueError(f"internalformat must be one of {HDR_FORMATS}, not {internalformat!r}")
        self.context = context
        self.size = _check_size(context, size, "image")
        self.supersample = supersample
        self.render_size = _check_size(context, (self.size[0] * supersample, self.size[1] * supersample),
                                       "supersampled render", supersampled=supersample > 1)
        w, h = self.render_size
        context.make_current()
        # Nearest filtering: every reader fetches whole texels (the resolve averages the 2x2 block in
        # four taps). A bilinear tap at a texel centre or block corner leaked ~1e-6 of the neighbours
        # on llvmpipe (float rounding of the weights): a grey halo beside bright limbs under the
        # junocam look's EV +7.7 and gamma 2.2.
        self.texture = gloo.Texture2D(shape=(h, w, 4), format="rgba", internalformat=internalformat,
                                      interpolation="nearest", wrapping="clamp_to_edge")
        self.depth = gloo.RenderBuffer((h, w), format=GL_DEPTH24_STENCIL8) if depth else None
        self.fbo = gloo.FrameBuffer(color=self.texture, depth=self.depth, stencil=self.depth)
        #: Whether every pixel outside the stencil's marks holds radiance 0 (see :meth:`clear`).
        self.marked = False
        #: Where the marks can be: NDC rectangles (N, 4) (:mod:`viewer.render.passes` "Footprints"), or
        #: None for anywhere. Drawing (``with target``) makes it None; the renderer, which knows what its
        #: passes drew, sets it before the tone map; :meth:`clear` and the tone map visit only these.
        self.dirty: npt.NDArray[np.float32] | None = None
        _check_complete(context, self.fbo, "the render target" if supersample == 1 else
                        "the supersampled render target", self.render_size, HDR_TEXEL_BYTES[internalformat],
                        supersampled=supersample > 1)

    def __enter__(self) -> HDRTarget:
        from vispy import gloo

        self.context.make_current()
        self.fbo.activate()
        gloo.set_viewport(0, 0, *self.render_size)
        self.dirty = None
        if self.depth is not None:
            # Every fragment written marks its pixel in the stencil (the passes never touch it), so the
            # tone map can skip the pixels nothing was drawn into.
            gloo.set_state(stencil_test=True)
            gloo.set_stencil_func("always", 1, 0xFF)
            gloo.set_stencil_op("keep", "keep", "replace")
            gloo.set_stencil_mask(0xFF)
        return self

    def __exit__(self, *exc: object) -> None:
        from vispy import gloo

        if self.depth is not None:
            gloo.set_state(stencil_test=False)
        self.fbo.deactivate()

    def clear(self, radiance: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> None:
        """Clear colour to ``radiance`` with coverage 0 (values in [0, 1]; vispy clamps), depth to far and
        the stencil to 0 (nothing drawn). After a black clear, :attr:`marked`: the pixels the stencil does
        not mark hold radiance 0 (and depth far).

        A black clear of a target that is :attr:`marked` resets only the marked pixels (colour and
        stencil; depth is cleared whole, ~0.6 ms), drawing a triangle over the whole target — or only
        over the :attr:`dirty` rectangles when they are known — that the stencil lets through where it
        marks a pixel (``shaders/clear.frag``): the others hold those values already. Measured at
        1920×1080 on llvmpipe (rgba32f, the bench's bodies and trails marked): ~1 ms of CPU over the
        rectangles, ~4 ms over the whole target, where clearing the whole target took ~7 ms."""
        from vispy import gloo

        black = not any(radiance)
        if black and self.marked:
            from viewer.render.passes import footprint_triangles, fullscreen_triangle
            from viewer.render.shaders import program_cache

            # compiled before binding: compiling makes the context current, which binds the default
            # framebuffer
            program = program_cache(self.context).get("fullscreen.vert", "clear.frag", {"FULLSCREEN_Z": 1.0})
            corners = fullscreen_triangle() if self.dirty is None else footprint_triangles(self.dirty)
            if len(corners):
                program["a_position"] = corners
            with self:
                gloo.clear(color=False, depth=True, stencil=False)
                gloo.set_state(blend=False, depth_test=False, stencil_test=True)
                gloo.set_stencil_func("equal", 1, 0xFF)
                gloo.set_stencil_op("keep", "keep", "zero")
                if len(corners):
                    program.draw("triangles")
        else:
            with self:
                gloo.clear(color=(*radiance, 0.0), depth=self.depth is not None,
                           stencil=self.depth is not None)
        self.marked = self.depth is not None and black
        self.dirty = np.zeros((0, 4), dtype=np.float32)  # nothing drawn since

    def upload(self, linear: npt.ArrayLike) -> None:
        """Fill the colour texture from an image, top row first: (H, W, 3|4) radiance at render size."""
        data = np.asarray(linear, dtype=np.float32)
        w, h = self.render_size
        if data.ndim != 3 or data.shape[:2] != (h, w) or data.shape[2] not in (3, 4):
            raise ValueError(f"expected ({h}, {w}, 3|4) radiance, got {data.shape}")
        if data.shape[2] == 3:
            data = np.concatenate([data, np.ones((h, w, 1), np.float32)], axis=2)
        self.context.make_current()
        self.texture.set_data(np.ascontiguousarray(data[::-1]))
        self.marked = False

    def read(self) -> npt.NDArray[np.float32]:
        """(H, W, 4) float32 radiance + coverage at render size, top row first (a full float readback:
        ~40 ms at 1920×1080 on llvmpipe — for ``--linear`` and tests, not every frame)."""
        from vispy import gloo

        with self:
            px = gloo.read_pixels((0, 0, *self.render_size), alpha=True, out_type=np.float32)
        return np.asarray(px, dtype=np.float32)

    def read_resolved(self) -> npt.NDArray[np.float32]:
        """(H, W, 4) float32 radiance + coverage at *output* size, top row first: the supersampled
        texels averaged 2×2, as the tone map resolves them (a full float readback, as :meth:`read`)."""
        px = self.read()
        s = self.supersample
        if s > 1:
            h, w = px.shape[0] // s, px.shape[1] // s
            px = px.reshape(h, s, w, s, 4).mean(axis=(1, 3))
        return np.ascontiguousarray(px, dtype=np.float32)


class LDRTarget:
    """The 8-bit RGBA target the tone-map pass writes the final sRGB image into.

    Parameters
    ----------
    context : GLContext
    size : (width, height) in pixels
    """

    def __init__(self, context: Any, size: tuple[int, int]) -> None:
        from vispy import gloo

        self.context = context
        self.size = _check_size(context, size, "image")
        w, h = self.size
        context.make_current()
        self.texture = gloo.Texture2D(shape=(h, w, 4), format="rgba", internalformat="rgba8")
        self.fbo = gloo.FrameBuffer(color=self.texture)
        _check_complete(context, self.fbo, "the 8-bit image", self.size, 4)
        self._masked: dict[int, Any] = {}

    def masked_by(self, hdr: HDRTarget) -> Any:
        """A framebuffer of this image with ``hdr``'s depth-stencil buffer (same size, ``supersample``
        1), so that a pass can draw into the image only where the stencil marks ``hdr``'s drawn pixels."""
        from vispy import gloo

        if hdr.size != self.size or hdr.supersample != 1 or hdr.depth is None:
            raise ValueError("the stencil of a 1x HDR target of the image's size is needed")
        key = id(hdr)
        if key not in self._masked:
            self._masked[key] = gloo.FrameBuffer(color=self.texture, depth=hdr.depth, stencil=hdr.depth)
        return self._masked[key]

    def __enter__(self) -> LDRTarget:
        from vispy import gloo

        self.context.make_current()
        self.fbo.activate()
        gloo.set_viewport(0, 0, *self.size)
        return self

    def __exit__(self, *exc: object) -> None:
        self.fbo.deactivate()

    def read(self) -> npt.NDArray[np.uint8]:
        """(H, W, 3) uint8 sRGB, top row first."""
        from vispy import gloo

        with self:
            px = gloo.read_pixels((0, 0, *self.size), alpha=False)
        return np.ascontiguousarray(px, dtype=np.uint8)

    def read_raw(self) -> npt.NDArray[np.uint8]:
        """(H, W, 4) uint8 as the GL stores it: bottom row (GL row 0) first, RGBA."""
        from vispy import gloo

        with self:
            px = gloo.read_pixels((0, 0, *self.size), alpha=True)  # flushes the queued GL commands
        return np.ascontiguousarray(px[::-1], dtype=np.uint8)  # gloo flips to top row first: undo
