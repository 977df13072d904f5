"""The final pass: linear HDR radiance → exposure → tone curve → sRGB 8-bit (``shaders/tonemap.frag``).

Implements docs/architecture.md "Radiometry" exactly as the numpy reference :mod:`viewer.render.exposure`
does; tests compare the two within 1/255.

``auto`` exposure of a frame on the GPU: the subsample pass copies every ``AUTO_STRIDE``-th texel of
the HDR target (radiance and coverage) into a small float target (an unbiased sample of the median,
without mixing lit and dark pixels as an average would), which is read back (≈0.3 ms for 240×135) and
its median taken on the CPU. Reading the whole float frame back instead costs ≈40 ms at 1920×1080 on
llvmpipe; it is done only when the subsample holds no lit surface pixel: then the frame's small
features (hot spots, stars, a distant lit moon) decide (:func:`viewer.render.exposure.meter`), and a
1/64 subsample would miss them.

Must not import: ``viewer.sim``, ``viewer.cli``.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from viewer.render.exposure import Metering, ToneSettings, auto_ev, meter, shader_defines
from viewer.render.passes import footprint_triangles, fullscreen_triangle
from viewer.render.shaders import program_cache
from viewer.render.targets import HDRTarget, LDRTarget

#: Stride of the auto-exposure subsample, in render pixels (1/64 of the pixels).
AUTO_STRIDE = 8


class TonemapPass:
    """Resolve (supersampling), expose, tone-map and sRGB-encode an :class:`HDRTarget` into an
    :class:`LDRTarget`.

    Parameters
    ----------
    context : GLContext
    """

    def __init__(self, context: Any) -> None:
        self.context = context
        self._corners = fullscreen_triangle()
        #: What the last :meth:`draw` metered for an ``auto`` exposure (None for a fixed or given EV).
        self.metering: Metering | None = None
        self._small: dict[tuple[int, int], HDRTarget] = {}

    def _program(self, settings: ToneSettings, supersample: int) -> Any:
        defines: dict[str, Any] = {**shader_defines(), "SUPERSAMPLE": supersample,
                                   "TONE_STRETCH": settings.curve == "stretch"}
        return program_cache(self.context).get("fullscreen.vert", "tonemap.frag", defines)

    def exposure_ev(self, hdr: HDRTarget, settings: ToneSettings) -> float:
        """The EV for this frame: ``settings.exposure`` or, for ``auto``, :meth:`meter`'s."""
        if settings.exposure != "auto":
            return float(settings.exposure)
        return self.meter(hdr, settings).ev

    def meter(self, hdr: HDRTarget, settings: ToneSettings) -> Metering:
        """The ``auto`` exposure of ``hdr``: from the GPU subsample when it holds a lit surface pixel,
        else from the whole frame at output size (``Metering.pixel`` in output pixels either way)."""
        lit = self.meter_lit(hdr, settings)
        return lit if lit is not None else meter(hdr.read_resolved(), settings)

    def meter_lit(self, hdr: HDRTarget, settings: ToneSettings) -> Metering | None:
        """:meth:`meter`'s result when the GPU subsample holds a lit surface pixel (rule 1), else None."""
        sample = meter(self.subsample(hdr), settings)
        if sample.basis == "lit" and sample.pixel is not None:
            # The subsample's texel (r, c) is render texel (8r, 8c): output pixel 8r // supersample.
            row, col = (AUTO_STRIDE * v // hdr.supersample for v in sample.pixel)
            return Metering(sample.ev, sample.basis, sample.level, (row, col))
        return None

    def subsample(self, hdr: HDRTarget, stride: int = AUTO_STRIDE) -> npt.NDArray[np.float32]:
        """Every ``stride``-th texel of ``hdr`` (render resolution), (h, w, 4) float32, top row first."""
        from vispy import gloo

        w, h = hdr.render_size
        sw, sh = math.ceil(w / stride), math.ceil(h / stride)
        if (sw, sh) not in self._small:  # made once per size (a new target each frame cost ~0.3 ms)
            self._small[(sw, sh)] = HDRTarget(self.context, (sw, sh), internalformat="rgba32f", depth=False)
        small = self._small[(sw, sh)]
        program = program_cache(self.context).get("fullscreen.vert", "subsample.frag", {"STRIDE": stride})
        program["a_position"] = self._corners
        program["u_hdr"] = hdr.texture
        program["u_texel"] = (1.0 / w, 1.0 / h)
        with small:
            gloo.set_state(blend=False, depth_test=False)
            program.draw("triangles")
        return small.read()

    def draw(self, hdr: HDRTarget, out: LDRTarget, settings: ToneSettings, ev: float | None = None) -> float:
        """Tone-map ``hdr`` into ``out`` (same output size); returns the EV used."""
        from vispy import gloo

        if hdr.size != out.size:
            raise ValueError(f"HDR output size {hdr.size} != 8-bit target size {out.size}")
        self.metering = None
        if ev is None and settings.exposure == "auto":
            self.metering = self.meter(hdr, settings)
            ev = self.metering.ev
        elif ev is None:
            ev = float(settings.exposure)
        program = self._program(settings, hdr.supersample)
        w, h = hdr.render_size
        program["a_position"] = self._corners
        program["u_hdr"] = hdr.texture
        program["u_texel"] = (1.0 / w, 1.0 / h)
        program["u_exposure_scale"] = float(2.0 ** ev)
        if settings.curve == "stretch":
            program["u_stretch"] = tuple(float(v) for v in settings.stretch)
        if hdr.marked and hdr.supersample == 1:
            # Only the pixels something was drawn into (the stencil marks them), looked for only inside
            # the target's dirty rectangles when it has them: the others hold radiance 0, which every
            # curve maps to black, the colour the image is cleared to.
            with out:
                gloo.clear(color=(0.0, 0.0, 0.0, 1.0), depth=False, stencil=False)
            if hdr.dirty is not None:
                if not len(hdr.dirty):
                    return ev
                program["a_position"] = footprint_triangles(hdr.dirty)
            fbo = out.masked_by(hdr)
            out.context.make_current()
            fbo.activate()
            gloo.set_viewport(0, 0, *out.size)
            gloo.set_state(blend=False, depth_test=False, stencil_test=True)
            gloo.set_stencil_func("equal", 1, 0xFF)
            gloo.set_stencil_op("keep", "keep", "keep")
            try:
                program.draw("triangles")
            finally:
                gloo.set_state(stencil_test=False)
                fbo.deactivate()
            return ev
        with out:
            gloo.set_state(blend=False, depth_test=False)
            program.draw("triangles")
        return ev


def tonemap(linear_rgb: npt.ArrayLike, exposure: float | Literal["auto"] = "auto",
            tonemap: Literal["filmic", "stretch"] = "filmic",
            stretch: tuple[float, float, float] = (0.0, 1.0, 1.0),
            context: Any = None) -> npt.NDArray[np.uint8]:
    """Tone-map a radiance image on the GPU (headless) and return the 8-bit sRGB image.

    Parameters
    ----------
    linear_rgb : (H, W, 3) float radiance, top row first (docs/architecture.md units)
    exposure : ``"auto"`` (median lit luminance → middle grey, computed exactly on the CPU here) or EV
    tonemap : ``"filmic"`` or ``"stretch"``
    stretch : (black, white, gamma) for ``"stretch"``
    context : a GLContext to use; default a new headless one, closed afterwards

    Returns
    -------
    (H, W, 3) uint8 sRGB image.
    """
    from viewer.render.context import headless_context

    data = np.asarray(linear_rgb, dtype=np.float32)
    if data.ndim != 3 or data.shape[2] != 3:
        raise ValueError(f"expected (H, W, 3) radiance, got shape {data.shape}")
    settings = ToneSettings(exposure=exposure, curve=tonemap, stretch=stretch)
    ev = auto_ev(data, settings) if settings.exposure == "auto" else float(settings.exposure)
    own = context is None
    ctx = headless_context() if own else context
    try:
        size = (data.shape[1], data.shape[0])
        hdr = HDRTarget(ctx, size, internalformat="rgba32f", depth=False)
        hdr.upload(data)
        out = LDRTarget(ctx, size)
        TonemapPass(ctx).draw(hdr, out, settings, ev=ev)
        return out.read()
    finally:
        if own:
            ctx.close()
