"""The one renderer call every frontend makes: a prepared renderer that turns (``et``, camera) into a
frame.

:class:`FrameMaker` owns a GL context (headless unless one is handed in), the :class:`Renderer` with its
settings, maps, model, trails and event marks, and the world. ``frame(et, camera)`` computes the
snapshot, draws, meters or applies the exposure (a look's night metering included: the ``junocam``
look reads the radiance back, puts the night side's median on display 0.5, then tone-maps), draws the
overlays and reads the 8-bit image back — the same code for a still, each frame of an export and each
frame of the interactive window, so the same inputs give the same pixels everywhere.

Nothing here reads the wall clock or parses arguments; :mod:`viewer.still`, :mod:`viewer.export` and
the command line compose it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from viewer.render.renderer import Pixels


@dataclass(frozen=True)
class Tone:
    """How radiance becomes pixels for a frame: the tone settings, whether the EV is metered on the
    night side (the ``junocam`` look), and the look's name (None: no named look)."""

    settings: Any  # viewer.render.exposure.ToneSettings
    night: bool = False
    look: str | None = None


@dataclass(frozen=True)
class FrameResult:
    """One rendered frame: the 8-bit sRGB image (H, W, 3) — or its yuv420p video planes (3H/2, W) when
    the frame was made with ``pixels="yuv420p"`` — the EV used, what an auto exposure was
    metered on (None for a fixed EV), the linear radiance (H, W, 3) float32 when asked for, and the
    snapshot and camera that made it."""

    image: npt.NDArray[np.uint8]
    ev: float
    metering: Any
    linear: npt.NDArray[np.float32] | None
    snapshot: Any
    camera: Any


class FrameMaker:
    """A renderer prepared once and called per frame (module docstring).

    Parameters
    ----------
    world : the World (embedded ephemeris or SPICE)
    settings : RenderSettings (size, supersampling, tone, hidden bodies, light paths, labels, …)
    night : meter the EV on the night side (the ``junocam`` look)
    maps, spacecraft : users' maps (encoded arrays by body) and model (ModelMesh), or None for shipped
    trails : sampled trails (:func:`viewer.sim.trails.make_trails`) covering every frame's span
    marks : event marks for the labels (:func:`viewer.render.passes.labels.event_marks`)
    context : a GLContext to draw with (default: a headless one, closed by :meth:`close`)
    """

    def __init__(self, world: Any, settings: Any, *, night: bool = False, look: str | None = None,
                 maps: dict[str, Any] | None = None, spacecraft: Any = None,
                 trails: Sequence[Any] = (), marks: Sequence[Any] = (), context: Any = None) -> None:
        from viewer.render.renderer import Renderer

        self.world = world
        self.tone = Tone(settings.tone, night, look)
        self._own = context is None
        if context is None:
            from viewer.render.context import headless_context

            context = headless_context()
        self.context = context
        try:
            self.renderer = Renderer(context, settings, maps=maps, spacecraft=spacecraft,
                                     trails=list(trails), marks=list(marks))
        except BaseException:
            self.close()
            raise
        self.settings = settings

    @property
    def renderer_name(self) -> str:
        """The GL renderer string (e.g. ``llvmpipe (LLVM 15.0.6, 256 bits)``), for manifests."""
        return str(self.context.capabilities().renderer)

    def frame(self, et: float, camera: Any, *, ev: float | None = None, tone: Tone | None = None,
              linear: bool = False, snapshot: Any = None, pixels: Pixels = "rgb",
              fast_clock: bool = False) -> FrameResult:
        """Render the world at TDB ``et`` seen by ``camera`` (a :class:`~viewer.render.camera.Camera`).

        ``ev`` fixes the exposure (else the tone's: a number, ``auto``, or the night metering);
        ``tone`` overrides this maker's tone for this frame (a shot with another look); ``linear``
        also returns the radiance; ``snapshot``: the world at ``et`` if already computed; ``pixels``:
        ``"rgb"`` or ``"yuv420p"`` (the image as a video frame's planes, converted on the GPU);
        ``fast_clock``: the interactive window's clock runs so fast that each frame would need new
        Jupitershine nodes — use the ones there or the far-field estimate, at a still frame's cost
        (:meth:`viewer.sim.shine_table.ShineTable.at`; never for stills or exports).
        """
        from viewer.render.looks import night_metering

        tone = tone or self.tone
        metering: Any
        snap = snapshot if snapshot is not None else self.world.at(et)
        r = self.renderer
        r.fast_clock = fast_clock
        if r.settings.tone != tone.settings:
            r.settings = replace(r.settings, tone=tone.settings)
        if tone.night and ev is None:
            r.draw(snap, camera, trails=False)
            covered = r.linear(coverage=True)
            metering = night_metering(covered, tone.settings)
            r.draw_trails()  # after metering: trails never change the exposure
            out = r.finish(metering.ev, metering, pixels)
            radiance = np.ascontiguousarray(covered[:, :, :3]) if linear else None
            if linear and (r.trails is not None or r.junocam is not None):
                radiance = r.linear()
        else:
            out = r.render(snap, camera, ev=ev, pixels=pixels)
            metering = out.metering
            radiance = r.linear() if linear else None
        return FrameResult(out.image, out.ev, metering, radiance, snap, camera)

    def resize(self, size: tuple[int, int]) -> None:
        """Make frames of ``size`` (width, height) pixels from now on (the targets are remade; maps,
        model and trails are kept)."""
        self.renderer.resize(size)
        self.settings = replace(self.settings, size=self.renderer.settings.size)

    def close(self) -> None:
        """Release the context if this maker made it."""
        if self._own and getattr(self, "context", None) is not None:
            self.context.close()
            self.context = None

    def __enter__(self) -> FrameMaker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["FrameMaker", "FrameResult", "Tone"]
