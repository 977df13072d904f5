"""Jupitershine: Jupiter, Io and Juno in 3D, lit by the Sun and by the light Jupiter reflects.

The package is layered, and data flows one way (see docs/architecture.md):

* ``viewer.sim`` — "what is where at time t": UTC ⇄ TDB, the embedded ephemeris (JPL DE421 for the
  Sun and Earth, the Lieske E5 theory for the Galilean moons), IAU rotation models, and
  ``World.at(et)`` → a frozen ``Snapshot`` in km, J2000, jovicentric. Pure numpy, float64.
* ``viewer.config`` — presets and camera specs, validated and frozen.
* ``viewer.render`` — the only package that touches OpenGL: headless EGL context, shaders, the HDR
  target, the passes (stars, ray-cast bodies, the spacecraft mesh, tone map) and the ``Renderer``.
* ``viewer.still`` — one image: preset → time → world → camera → renderer → PNG / radiance.
* ``viewer.cli`` — the ``jupitershine`` command line, composing the layers below it.

* ``viewer.frames`` — ``FrameMaker``: the one renderer call (a renderer prepared once, then
  ``frame(et, camera)``), used by stills, exports and the window alike.
* ``viewer.scene`` / ``viewer.export`` — scene files (shots, keyframes, slow-down) and their export to
  frames and movies (resumable, workers, Dask).
* ``viewer.app`` — the interactive viewer: one flight (``app.session``) in a Qt window (``jupitershine
  fly``) or in a Jupyter notebook (``Viewer``, a jupyter_rfb canvas over an offscreen context).

Public API: ``World``, ``Snapshot``, ``utc_to_et``, ``et_to_utc``, ``render_still``, ``FrameMaker``,
``load_scene``, ``render_sequence``, ``Viewer``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["FrameMaker", "Snapshot", "Viewer", "World", "__version__", "et_to_utc", "load_scene",
           "render_sequence", "render_still", "utc_to_et"]

if TYPE_CHECKING:
    from viewer.app.notebook import Viewer
    from viewer.export import render_sequence
    from viewer.frames import FrameMaker
    from viewer.scene import load as load_scene
    from viewer.sim.timescales import et_to_utc, utc_to_et
    from viewer.sim.world import Snapshot, World
    from viewer.still import render_still


def __getattr__(name: str) -> Any:
    # Lazy re-exports keep `jupitershine --help` fast.
    if name in ("World", "Snapshot"):
        from viewer.sim import world

        return getattr(world, name)
    if name in ("utc_to_et", "et_to_utc"):
        from viewer.sim import timescales

        return getattr(timescales, name)
    if name == "FrameMaker":
        from viewer.frames import FrameMaker

        return FrameMaker
    if name == "load_scene":
        from viewer.scene import load

        return load
    if name == "render_sequence":
        from viewer.export import render_sequence

        return render_sequence
    if name == "render_still":
        from viewer.still import render_still

        return render_still
    if name == "Viewer":  # Jupyter itself is imported only when a canvas is shown
        from viewer.app.notebook import Viewer

        return Viewer
    raise AttributeError(name)
