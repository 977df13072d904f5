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

Windowed canvases use vispy's ``glfw`` or ``pyside6`` backend, whichever is installed
(:func:`create_window`); the interactive viewer (:mod:`viewer.app`, the optional ``app`` extra) embeds a
``pyside6`` canvas in its Qt window (:func:`qt_canvas_context`).

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


#: The oldest GL the shaders and targets are written for: desktop OpenGL 2.1 (GLSL 1.20, vispy's
#: dialect) or OpenGL ES 2.0, with float colour targets.
MIN_GL = (2, 1)
MIN_GLES = (2, 0)
OLD_GL_REMEDY = ("update the graphics driver (or Mesa: sudo apt-get install libgl1-mesa-dri), or render "
                 "without a window: jupitershine still / render use a headless context")


#: GL_RENDERER words of rasterisers that run on the CPU (Mesa's llvmpipe, softpipe and swrast, SwiftShader,
#: Microsoft's GDI renderer): there a full-screen pass costs CPU time like any other code.
SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast", "software rasterizer", "swiftshader", "gdi generic")


def is_software_renderer(renderer: str) -> bool:
    """Whether a GL_RENDERER string names a CPU rasteriser (:data:`SOFTWARE_RENDERERS`)."""
    text = renderer.lower()
    return any(word in text for word in SOFTWARE_RENDERERS)


def gl_version(version: str) -> tuple[bool, tuple[int, int]]:
    """(OpenGL ES?, (major, minor)) from a GL_VERSION string ("4.5 (Compatibility Profile) Mesa 22.3.6",
    "OpenGL ES 3.2 Mesa …", "2.1 NVIDIA 470.57"); (False, (0, 0)) when it cannot be read."""
    import re

    es = version.strip().startswith("OpenGL ES")
    m = re.search(r"(\d+)\.(\d+)", version)
    return es, ((int(m.group(1)), int(m.group(2))) if m else (0, 0))


def gl_problem(caps: Capabilities, hdr_format: str = "rgba32f") -> str | None:
    """Why this GL cannot render Jupitershine's frames (one line with the remedy), or None."""
    es, version = gl_version(caps.version)
    need = MIN_GLES if es else MIN_GL
    if version < need:
        return (f"OpenGL {caps.version} ({caps.renderer}) is too old: Jupitershine needs OpenGL "
                f"{MIN_GL[0]}.{MIN_GL[1]} (or ES {MIN_GLES[0]}.{MIN_GLES[1]}); {OLD_GL_REMEDY}")
    if not caps.float_targets.get(hdr_format, True):
        return (f"OpenGL {caps.version} ({caps.renderer}) cannot render into {hdr_format} float targets, "
                f"which the HDR pipeline needs; {OLD_GL_REMEDY}")
    return None


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
        """Destroy the canvas and every GL object made in it (for a headless context, the EGL context
        itself: vispy's egl backend destroys only the surface and keeps every canvas in a module list,
        which held ~150 MB of textures per closed renderer in a long-lived process)."""
        if not self._closed:
            self._closed = True
            self.programs = None
            backend = getattr(self.canvas, "_backend", None)
            self.canvas.close()
            if self.backend == "egl" and backend is not None:
                _destroy_egl_context(backend)

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


def _destroy_egl_context(backend: Any) -> None:
    """Release a closed egl canvas's EGL context and drop vispy's reference to the canvas."""
    from vispy.app.backends import _egl
    from vispy.ext import egl

    windows = getattr(_egl, "_VP_EGL_ALL_WINDOWS", [])
    if backend in windows:
        windows.remove(backend)
    context = getattr(backend, "_native_context", None)
    if context is None or any(getattr(w, "_native_context", None) == context for w in windows):
        return  # shared with a canvas still open
    display = _egl._EGL_DISPLAY
    egl.eglMakeCurrent(display, egl.EGL_NO_SURFACE, egl.EGL_NO_SURFACE, egl.EGL_NO_CONTEXT)
    egl._lib.eglDestroyContext(display, context)
    backend._native_context = None


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


#: What Qt's X11 platform plugin (``libqxcb``, PySide6 6.x) loads beyond the C library and GL: the
#: shared library vispy's loader names, by the Debian/Ubuntu package that ships it.
QT_XCB_LIBRARIES = {
    "libxcb-cursor0": "xcb-cursor", "libxcb-icccm4": "xcb-icccm", "libxcb-image0": "xcb-image",
    "libxcb-keysyms1": "xcb-keysyms", "libxcb-randr0": "xcb-randr", "libxcb-render-util0": "xcb-render-util",
    "libxcb-xinerama0": "xcb-xinerama", "libxcb-xkb1": "xcb-xkb", "libxkbcommon-x11-0": "xkbcommon-x11",
    "libxcb-shape0": "xcb-shape", "libglib2.0-0": "glib-2.0", "libfontconfig1": "fontconfig",
    "libdbus-1-3": "dbus-1",
}
#: The one line a window command prints where no window can open.
NO_DISPLAY_REMEDY = ("run it in a desktop session or under a virtual display (sudo apt-get install xvfb; "
                     "xvfb-run -a jupitershine fly ...), or render headlessly with `jupitershine still` "
                     "or `jupitershine render`")


def xcb_connect(display: str) -> tuple[Any, int] | None:
    """A libxcb connection to X ``display``: (the library, the connection pointer, possibly 0 or in error),
    or None without libxcb. The caller disconnects with ``lib.xcb_disconnect(conn)``."""
    name = ctypes.util.find_library("xcb")
    if name is None:
        return None
    xcb = ctypes.CDLL(name)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    return xcb, xcb.xcb_connect(display.encode(), None)


def _x11_reachable(display: str) -> bool:
    """Whether an X server answers at ``display`` (libxcb's connect; False without libxcb)."""
    found = xcb_connect(display)
    if found is None:
        return False
    xcb, conn = found
    try:
        return bool(conn) and xcb.xcb_connection_has_error(conn) == 0
    finally:
        if conn:
            xcb.xcb_disconnect(conn)


def qt_display_problem() -> str | None:
    """Why a Qt window cannot open in this session, as one line with the remedy, or None when it can
    (PySide6 installed; on Linux a display in ``$DISPLAY``/``$WAYLAND_DISPLAY``, and for X11 the xcb
    plugin's libraries and a server that answers). Sets ``QT_QPA_PLATFORM=xcb`` for an X11 display
    when the user chose no platform (Qt aborts the process, with no Python exception, on a platform
    it cannot load: these checks come first)."""
    import importlib.util

    if os.environ.get(DISABLE_ENV, "") not in ("", "0"):
        return f"no OpenGL: disabled by {DISABLE_ENV}; unset it to use GL"
    if importlib.util.find_spec("PySide6") is None:
        return ("the window needs PySide6: pip install 'jupitershine[app]' (or render headlessly with "
                "`jupitershine still` or `jupitershine render`)")
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    display, wayland = os.environ.get("DISPLAY", ""), os.environ.get("WAYLAND_DISPLAY", "")
    if platform.split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return None  # the user chose a platform without a display server
    if not display and not wayland:
        return f"no display ($DISPLAY and $WAYLAND_DISPLAY are unset): {NO_DISPLAY_REMEDY}"
    if display and platform in ("", "xcb"):
        missing = [pkg for pkg, lib in QT_XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]
        if missing:
            return (f"Qt's X11 plugin needs system libraries: sudo apt-get install {' '.join(missing)} "
                    "(or render headlessly with `jupitershine render`)")
        if not _x11_reachable(display):
            return f"cannot connect to the display {display!r}: {NO_DISPLAY_REMEDY}"
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    return None


def qt_canvas_context(size: tuple[int, int] = (1280, 720)) -> GLContext:
    """A GL context in a vispy canvas of the ``pyside6`` backend, not shown: the caller puts
    ``context.canvas.native`` (a ``QOpenGLWidget``) into its Qt window. A QApplication must exist (or
    vispy makes one). GL objects can be made once the widget is shown and its context initialised
    (the canvas's ``initialize`` event or first ``draw``).

    Raises
    ------
    GLUnavailable
        GL disabled, or the backend failed.
    """
    if os.environ.get(DISABLE_ENV, "") not in ("", "0"):
        raise GLUnavailable(f"no OpenGL: disabled by {DISABLE_ENV}; unset it to use GL")
    try:
        from vispy import app

        application = app.Application("pyside6")
        canvas = app.Canvas(app=application, size=size, show=False, keys=None, vsync=False,
                            title="Jupitershine")
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise GLUnavailable(f"no window: vispy backend 'pyside6' failed ({reason})") from exc
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
