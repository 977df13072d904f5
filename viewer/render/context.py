"""OpenGL contexts: headless EGL (Mesa llvmpipe or a GPU) and windowed canvases; the capability report.

This is the only module that creates GL contexts, and the only one allowed to ``from OpenGL import GL``
(a project rule). Every GL object the renderer makes belongs to one :class:`GLContext`; nothing here
keeps GL state at module level, so a process may hold several contexts (export runs one per worker).

Headless contexts use vispy's ``egl`` backend on a pbuffer surface. Mesa's EGL only comes up without a
display when ``EGL_PLATFORM=surfaceless`` is in the environment *before* libEGL loads
(docs/rendering.md "GL context"); :func:`prepare_headless_environment` sets it (without overriding a user's
choice) before vispy's backend is imported. We set it whenever a headless context is asked for, not only
when ``$DISPLAY`` is unset, because vispy's egl backend hides ``$DISPLAY`` from EGL anyway and NVIDIA's
EGL ignores the variable.

Windowed canvases (for the interactive app) use vispy's ``glfw`` or ``pyside6`` backend, whichever is
installed; neither is a dependency yet.

Must not import: ``viewer.sim``, ``viewer.cli``.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

from viewer.errors import UserError

#: Set to ``1`` to make every context creation fail as if no GL were installed (tests of `doctor`).
DISABLE_ENV = "JUPITERSHINE_DISABLE_GL"

# Debian/Ubuntu packages that provide a headless GL stack, and the remedy line for users.
HEADLESS_PACKAGES = ("libegl1", "libgl1-mesa-dri", "libegl-mesa0")
WINDOW_PACKAGES_QT = (
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
    "libxcb-render-util0", "libxcb-xinerama0", "libxcb-xkb1", "libxkbcommon-x11-0", "libxcb-shape0",
)
HEADLESS_REMEDY = ("install EGL and Mesa (Debian/Ubuntu: sudo apt-get install "
                   f"{' '.join(HEADLESS_PACKAGES)}) or a GPU driver with EGL")

# Enums not in vispy's ES2 subset (values from the OpenGL registry).
_GL_MAX_SAMPLES = 0x8D57
_GL_MAX_RENDERBUFFER_SIZE = 0x84E8


class GLUnavailable(UserError):
    """No usable OpenGL: the message is one line that names the cause and the remedy."""


def prepare_headless_environment() -> None:
    """Make Mesa's EGL work without a display: ``EGL_PLATFORM=surfaceless`` unless already chosen.

    Must run before libEGL is loaded (i.e. before vispy's egl backend is imported); it is a no-op for a
    user who set ``EGL_PLATFORM`` themselves.
    """
    os.environ.setdefault("EGL_PLATFORM", "surfaceless")


def _headless_remedy(reason: str) -> str:
    if ctypes.util.find_library("EGL") is None:
        return f"no OpenGL: libEGL not found; {HEADLESS_REMEDY}"
    return f"no OpenGL: could not create a headless EGL context ({reason}); {HEADLESS_REMEDY}"


@dataclass(frozen=True)
class Capabilities:
    """What the current GL context can do (the ``jupitershine doctor`` report).

    Sizes are in pixels; ``float_targets`` maps ``rgba16f``/``rgba32f`` to whether rendering 4.0 into
    such a target and reading it back gives 4.0.
    """

    backend: str
    vendor: str
    renderer: str
    version: str
    glsl_version: str
    max_texture_size: int
    max_renderbuffer_size: int
    max_samples: int
    float_targets: dict[str, bool] = field(default_factory=dict)

    @property
    def software(self) -> bool:
        """True on a CPU rasterizer (llvmpipe, softpipe, swrast, lavapipe)."""
        r = self.renderer.lower()
        return any(s in r for s in ("llvmpipe", "softpipe", "swrast", "software"))

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (adds ``software``)."""
        return {**asdict(self), "software": self.software}


class GLContext:
    """One OpenGL context (a vispy canvas) and the GL objects made in it.

    Parameters
    ----------
    size : (width, height) in pixels
        Size of the default framebuffer (a pbuffer when headless). Offscreen rendering goes to
        render targets (:mod:`viewer.render.targets`), so this can stay small.
    canvas : vispy.app.Canvas, optional
        Wrap an existing canvas (e.g. from :func:`create_window`) instead of making a headless one.

    Notes
    -----
    vispy records GL commands (GLIR) per context and runs them at :meth:`flush`. gloo objects attach
    to the *current* canvas when created, so call :meth:`make_current` before making them;
    :class:`viewer.render.shaders.ProgramCache` and the targets do that themselves.
    """

    def __init__(self, size: tuple[int, int] = (16, 16), *, canvas: Any = None) -> None:
        if canvas is None:
            canvas = _create_headless_canvas(size)
            self.backend = "egl"
        else:
            self.backend = canvas.app.backend_name
        self.canvas = canvas
        self._closed = False
        self._capabilities: Capabilities | None = None
        self.programs: Any = None  # a ProgramCache, made on first use by viewer.render.shaders
        self.make_current()

    # -- lifetime ---------------------------------------------------------------------------------

    def make_current(self) -> None:
        """Make this context current for gloo and raw GL calls."""
        if self._closed:
            raise RuntimeError("GLContext is closed")
        self.canvas.set_current()

    def flush(self) -> None:
        """Run the queued vispy GL commands now (compiles pending shaders, uploads pending data)."""
        self.make_current()
        self.canvas.context.flush_commands()

    def finish(self) -> None:
        """Flush and wait until the GL has finished all work (for timing)."""
        self.flush()
        from vispy.gloo import gl

        gl.glFinish()

    def close(self) -> None:
        """Destroy the canvas and every GL object made in it."""
        if not self._closed:
            self._closed = True
            self.programs = None
            self.canvas.close()

    def __enter__(self) -> GLContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- report -----------------------------------------------------------------------------------

    def capabilities(self) -> Capabilities:
        """Query vendor, versions and limits, and test float render targets (cached per context)."""
        if self._capabilities is None:
            from vispy.gloo import gl

            self.flush()

            def text(enum: int) -> str:
                value = gl.glGetParameter(enum)
                return value.decode() if isinstance(value, bytes) else str(value)

            self._capabilities = Capabilities(
                backend=self.backend,
                vendor=text(gl.GL_VENDOR),
                renderer=text(gl.GL_RENDERER),
                version=text(gl.GL_VERSION),
                glsl_version=text(gl.GL_SHADING_LANGUAGE_VERSION),
                max_texture_size=int(gl.glGetParameter(gl.GL_MAX_TEXTURE_SIZE)),
                max_renderbuffer_size=int(gl.glGetParameter(_GL_MAX_RENDERBUFFER_SIZE)),
                max_samples=int(gl.glGetParameter(_GL_MAX_SAMPLES)),
                float_targets={fmt: self._float_target_works(fmt) for fmt in ("rgba16f", "rgba32f")},
            )
        return self._capabilities

    def _float_target_works(self, internalformat: str) -> bool:
        """Render radiance (4.0, -1.0, 0.5) into a tiny float target and read it back: a real float
        target keeps the values outside [0, 1]."""
        import numpy as np
        from vispy import gloo

        from viewer.render.passes import fullscreen_triangle
        from viewer.render.shaders import program_cache

        self.make_current()
        try:
            program = program_cache(self).get("fullscreen.vert", "fill.frag")
            program["a_position"] = fullscreen_triangle()
            program["u_radiance"] = (4.0, -1.0, 0.5)
            tex = gloo.Texture2D(shape=(4, 4, 4), format="rgba", internalformat=internalformat)
            fbo = gloo.FrameBuffer(color=tex)
            with fbo:
                gloo.set_viewport(0, 0, 4, 4)
                gloo.set_state(blend=False, depth_test=False)
                program.draw("triangles")
                px = gloo.read_pixels((0, 0, 4, 4), alpha=True, out_type=np.float32)
            self.flush()
        except Exception:
            return False
        return bool(np.allclose(px[..., :3], (4.0, -1.0, 0.5)))


def _create_headless_canvas(size: tuple[int, int]) -> Any:
    if os.environ.get(DISABLE_ENV, "") not in ("", "0"):
        raise GLUnavailable(f"no OpenGL: disabled by {DISABLE_ENV}; unset it to use GL")
    prepare_headless_environment()
    try:
        from vispy import app

        application = app.Application("egl")
        return app.Canvas(app=application, size=size, show=False, title="jupitershine (headless)")
    except GLUnavailable:
        raise
    except Exception as exc:  # vispy raises RuntimeError/OSError with multi-line texts
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise GLUnavailable(_headless_remedy(reason)) from exc


def headless_context(size: tuple[int, int] = (16, 16)) -> GLContext:
    """A new offscreen GL context (EGL pbuffer); raises :class:`GLUnavailable` with the remedy."""
    return GLContext(size)


# -- windows ----------------------------------------------------------------------------------------

WINDOW_BACKENDS = ("glfw", "pyside6")


def window_backend() -> tuple[str | None, str]:
    """The first usable windowed vispy backend and, when there is none, what to install.

    Returns
    -------
    (backend, remedy) : backend is ``"glfw"``/``"pyside6"`` or None; remedy is "" when one is usable.
    """
    import importlib.util

    have_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    for name, module in (("glfw", "glfw"), ("pyside6", "PySide6")):
        if importlib.util.find_spec(module) is not None:
            if not have_display and sys.platform.startswith("linux"):
                return None, ("no display: run under a desktop session or a virtual one "
                              "(sudo apt-get install xvfb; xvfb-run -a jupitershine ...)")
            return name, ""
    remedy = ("no window backend: pip install glfw (or PySide6, which on Debian/Ubuntu also needs "
              f"sudo apt-get install {' '.join(WINDOW_PACKAGES_QT)} and QT_QPA_PLATFORM=xcb)")
    return None, remedy


def create_window(size: tuple[int, int] = (1280, 720), title: str = "Jupitershine",
                  backend: str | None = None, **canvas_kwargs: Any) -> GLContext:
    """A visible window with a GL context, for the interactive app.

    Parameters
    ----------
    size : (width, height) in pixels
    title : window title
    backend : ``"glfw"`` or ``"pyside6"``; default: the first one installed (:func:`window_backend`)
    **canvas_kwargs : passed to ``vispy.app.Canvas`` (e.g. ``keys="interactive"``, ``vsync=True``)

    Raises
    ------
    GLUnavailable
        No window backend or no display, with what to install.
    """
    if os.environ.get(DISABLE_ENV, "") not in ("", "0"):
        raise GLUnavailable(f"no OpenGL: disabled by {DISABLE_ENV}; unset it to use GL")
    if backend is None:
        backend, remedy = window_backend()
        if backend is None:
            raise GLUnavailable(remedy)
    try:
        from vispy import app

        application = app.Application(backend)
        canvas = app.Canvas(app=application, size=size, title=title, show=True, **canvas_kwargs)
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise GLUnavailable(f"no window: vispy backend {backend!r} failed ({reason})") from exc
    return GLContext(canvas=canvas)


# -- doctor ------------------------------------------------------------------------------------------

def doctor_report() -> dict[str, Any]:
    """Everything ``jupitershine doctor`` prints: headless GL capabilities, window backend, remedies.

    Raises
    ------
    GLUnavailable
        When no headless context can be made (the CLI prints its one line and exits 2).
    """
    with headless_context() as ctx:
        caps = ctx.capabilities()
    window, window_remedy = window_backend()
    remedies: list[str] = []
    missing = [fmt for fmt, ok in caps.float_targets.items() if not ok]
    if missing:
        remedies.append(f"float render targets ({', '.join(missing)}) do not work: update Mesa "
                        "(sudo apt-get install libgl1-mesa-dri) or the GPU driver")
    if caps.max_texture_size < 8192:
        remedies.append(f"max texture size {caps.max_texture_size} < 8192: large maps will be downsampled")
    if window is None:
        remedies.append(window_remedy)
    import vispy

    return {
        "headless": caps.as_dict(),
        "egl_platform": os.environ.get("EGL_PLATFORM", ""),
        "vispy": vispy.__version__,
        "window_backend": window,
        "remedies": remedies,
        "ok": not missing,
    }


def doctor_text(report: dict[str, Any]) -> str:
    """A human summary of :func:`doctor_report`."""
    h = report["headless"]
    floats = ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in h["float_targets"].items())
    lines = [
        f"GL renderer     {h['renderer']} ({h['vendor']}{', software' if h['software'] else ''})",
        f"GL version      {h['version']}; GLSL {h['glsl_version']}",
        f"headless        {h['backend']} (EGL_PLATFORM={report['egl_platform'] or 'unset'}), "
        f"vispy {report['vispy']}",
        f"limits          texture {h['max_texture_size']} px, renderbuffer {h['max_renderbuffer_size']} px, "
        f"{h['max_samples']} samples",
        f"float targets   {floats}",
        f"window backend  {report['window_backend'] or 'none'}",
    ]
    lines += [f"to fix          {r}" for r in report["remedies"]]
    return "\n".join(lines)
