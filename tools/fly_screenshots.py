"""Screenshots of the running interactive window for the README (``make screenshots``): the real
``jupitershine fly`` window (panel, HUD, help overlay) grabbed from the X server's screen as it is
displayed, under Xvfb on a machine without a display.

A grab of the screen, not of the widgets: Qt's widget grab composes the translucent HUD over the GL
canvas itself and left a grey patch where the HUD had been; the screen holds what a user sees.

    xvfb-run -a -s "-screen 0 1600x900x24" python tools/fly_screenshots.py --out docs/gallery
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from viewer.atomic import write_atomic

SIZE = (960, 540)


def _wait(app: Any, until: Any, timeout_s: float = 120.0) -> None:
    end = time.monotonic() + timeout_s
    while not until():
        if time.monotonic() > end:
            raise SystemExit("fly_screenshots: the window did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def _settle(app: Any, viewer: Any, frames: int = 4) -> None:
    """Let ``frames`` full-size frames be drawn (the view refined, the HUD's numbers in)."""
    target = viewer.frames + frames
    _wait(app, lambda: (viewer.refresh(), viewer.frames >= target and viewer.info is not None
                        and viewer.render_size == viewer.full_size)[1])
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _grab(app: Any, window: Any, path: Path) -> None:
    """The window's area of the screen, as the X server shows it, written atomically as PNG."""
    geo = window.frameGeometry()
    pixmap = app.primaryScreen().grabWindow(0, geo.x(), geo.y(), geo.width(), geo.height())

    def save(tmp: str) -> None:
        if not pixmap.save(tmp, "PNG"):
            raise OSError(f"could not write {tmp}")

    write_atomic(path, save)
    print(f"wrote {path} ({geo.width()}x{geo.height()})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("docs/gallery"))
    args = ap.parse_args()

    from PySide6 import QtCore, QtWidgets

    from viewer.app.window import FlyConfig, make_window
    from viewer.sim.world import World
    from viewer.still import resolve_still

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["jupitershine"])
    setup = resolve_still("i57", size=SIZE, labels=True)
    win = make_window(FlyConfig(setup, World(), size=SIZE, panel=True, threaded_events=True))
    win.move(0, 0)
    win.show()
    QtCore.QTimer.singleShot(0, win.viewer.fit_canvas)
    viewer = win.viewer
    _wait(app, lambda: viewer.frames >= 1 and viewer.events_ready)
    _settle(app, viewer)
    _grab(app, win, args.out / "fly_i57.png")
    viewer.do("help")
    _settle(app, viewer, 2)
    _grab(app, win, args.out / "fly_help.png")
    win.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
