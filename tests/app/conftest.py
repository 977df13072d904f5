"""Window tests: the real application under a virtual X server (Xvfb), driven by pytest-qt.

When ``$DISPLAY`` is unset, a session fixture starts Xvfb on a free display (``-displayfd``) and points
``$DISPLAY`` at it before the QApplication is made. Xvfb runs with ``-terminate`` (it exits when its last
client leaves) and the fixture holds a connection to it for the session: killing the server under a
live QApplication would make Qt end the process ("The X11 connection broke"). Without Xvfb (or without
Qt's system libraries) the tests are skipped with the reason — except on CI (``CI=true``), where they
must run and fail instead, like the GL probe of tests/render.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

XVFB_START_TIMEOUT_S = 20.0
#: The canvas size of window tests, pixels (small: fast frames on llvmpipe).
SIZE = (320, 240)
I57 = "2023-12-30T08:36:00.836"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI needs the window tests to run, but {reason}")
    pytest.skip(reason)


#: The session's Xvfb and the fixture's connection to it, kept until the interpreter exits.
_KEPT: list[Any] = []


def _hold_connection(display: str) -> tuple[Any, int] | None:
    """A libxcb connection to ``display`` (keeps a ``-terminate`` server up), or None."""
    from viewer.render.context import xcb_connect

    found = xcb_connect(display)
    return found if found is not None and found[1] else None


def _start_xvfb() -> tuple[int, str]:
    """Start Xvfb on a free display; its process id and ``:N``. Spawned without a Popen object, whose
    finaliser would warn at exit about a server that ends only after Qt's connection closes."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        _unavailable("Xvfb is not installed (sudo apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    os.set_inheritable(write_fd, True)
    devnull = os.open(os.devnull, os.O_WRONLY)
    pid = os.posix_spawn(str(xvfb), [str(xvfb), "-displayfd", str(write_fd), "-screen", "0", "1280x1024x24",
                                     "-nolisten", "tcp", "-terminate"], os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    os.close(write_fd)
    os.close(devnull)
    text = b""
    try:  # Xvfb writes the display number and a newline once it accepts connections
        while not text.endswith(b"\n"):
            ready, _, _ = select.select([read_fd], [], [], XVFB_START_TIMEOUT_S)
            chunk = os.read(read_fd, 64) if ready else b""
            if not chunk:
                break
            text += chunk
    finally:
        os.close(read_fd)
    number = text.decode().strip()
    if not number.isdigit():
        _stop(pid)
        _unavailable(f"Xvfb did not start within {XVFB_START_TIMEOUT_S:g} s")
    return pid, f":{number}"


def _stop(pid: int) -> None:
    """End the Xvfb this session started (by its id) and reap it."""
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


@pytest.fixture(scope="session")
def xdisplay() -> Iterator[str]:
    """An X display for the session: ``$DISPLAY`` if set, else a fresh Xvfb."""
    from viewer.render.context import qt_display_problem

    pid, held = None, None
    before = os.environ.get("DISPLAY")
    if not before:
        pid, display = _start_xvfb()
        held = _hold_connection(display)
        _KEPT.append((pid, held))
        os.environ["DISPLAY"] = display
    problem = qt_display_problem()
    if problem is not None:
        if pid is not None:
            _stop(pid)
        _unavailable(problem)
    yield os.environ["DISPLAY"]
    if pid is not None:
        os.environ.pop("DISPLAY", None)
        if held is not None:  # Xvfb exits once Qt's connection closes too (at the latest, at exit)
            held[0].xcb_disconnect(held[1])
        from PySide6 import QtWidgets

        if QtWidgets.QApplication.instance() is None or held is None:
            _stop(pid)


@pytest.fixture(scope="session")
def qapp_args(xdisplay: str) -> list[str]:
    """pytest-qt makes its QApplication with these arguments: after the display exists."""
    return ["jupitershine-tests"]


@pytest.fixture(scope="session")
def world() -> Any:
    from viewer.sim.world import World

    return World()


@pytest.fixture(scope="session")
def i57_events(world: Any) -> list[Any]:
    """The jump keys' events within a day of I57 (searched once for the session)."""
    from viewer.sim import events
    from viewer.sim.timescales import utc_to_et

    et = utc_to_et(I57)
    return events.search(world, et - 86400.0, et + 86400.0, kinds=("closest_approach", "perijove", "eclipse"))


@pytest.fixture
def fly(qtbot: Any, world: Any, i57_events: list[Any], tmp_path: Path) -> Any:
    """A window on the I57 closest approach (the default view), canvas :data:`SIZE`, first frame drawn;
    returns its :class:`viewer.app.window.Viewer` (``.window`` the QMainWindow)."""
    from viewer.app.window import FlyConfig, make_window
    from viewer.still import resolve_still

    setup = resolve_still(size=SIZE)
    config = FlyConfig(setup, world, size=SIZE, out_dir=tmp_path, panel=False, events=i57_events,
                       screenshot_size=(160, 120))
    win = make_window(config)
    qtbot.addWidget(win)
    win.show()
    win.viewer.fit_canvas()
    v = win.viewer
    qtbot.waitUntil(lambda: (v.refresh(), v.frames >= 1 and v.events_ready and v.render_size == SIZE
                             and v._pending_size is None)[1], timeout=120_000)
    yield win.viewer
    win.close()
