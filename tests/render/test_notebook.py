"""The notebook viewer (``viewer.Viewer``): its jupyter_rfb canvas makes frames through the still's
renderer call, its properties and the browser's events move the clock and the camera, and the example
notebook (docs/notebooks/flyby.ipynb) runs in a real Jupyter kernel (GL, headless EGL)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytestmark = [pytest.mark.gl, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "docs" / "notebooks" / "flyby.ipynb"
CA = "2023-12-30T08:36:00.836"
SIZE = (320, 240)
ORBIT = "orbit:io:0:180:10000"


def pointer(kind: str, x: float, y: float, buttons: tuple[int, ...] = (1,)) -> dict[str, Any]:
    """A jupyter_rfb pointer event (its spec: logical pixels, button 1 the left)."""
    return {"type": kind, "x": x, "y": y, "button": 1 if kind != "pointer_move" else 0, "buttons": buttons,
            "modifiers": (), "timestamp": 0.0}


@pytest.fixture(scope="module")
def shared(gl_probe: str, world: Any) -> Iterator[Any]:
    from viewer import Viewer

    with Viewer(size=SIZE, world=world) as v:
        yield v


@pytest.fixture
def nb(shared: Any) -> Any:
    """The module's viewer back at its opening state: I57 from Juno, paused at 1x, auto exposure."""
    shared.pause()
    shared.rate = 1
    shared.time = CA
    shared.camera = "look:juno:io"
    shared.fov = 80
    shared.size = SIZE
    shared.look = None
    shared.exposure = "auto"
    shared.labels = False
    return shared


def test_the_canvas_frame_is_the_still_byte_for_byte(nb: Any, gl_context: Any) -> None:
    """get_frame() of the jupyter_rfb canvas is the frame ``render_still`` makes of the same time,
    camera and size; Io's disc is where the camera puts it and the sky beside it is black."""
    import viewer
    from viewer.render.camera import body_at_pixel

    nb.camera = ORBIT
    nb.fov = 30
    frame = nb.canvas.get_frame()
    assert frame.shape == (SIZE[1], SIZE[0], 3) and frame.dtype == np.uint8
    still = viewer.render_still(time=CA, camera=ORBIT, fov=30, size=SIZE, context=gl_context)
    assert np.array_equal(frame, still)
    _, cam, snap = nb.session.last
    (x, y), depth = cam.project(snap.positions["io"], *SIZE)
    assert depth > 0 and abs(x - SIZE[0] / 2) < 1 and abs(y - SIZE[1] / 2) < 1
    # Io's angular radius at 10,000 km (mean radius 1,821.5 km) in pixels of a 30° vertical field.
    radius_px = math.degrees(math.asin(1821.5 / 10000.0)) / 15.0 * (SIZE[1] / 2)
    assert body_at_pixel(snap, cam, (SIZE[1] // 2, SIZE[0] // 2), SIZE) == "io"
    assert frame[SIZE[1] // 2, SIZE[0] // 2].max() > 60  # the sunlit disc (subsolar 61.6° from the view)
    sky_col = int(SIZE[0] / 2 - 1.3 * radius_px)
    assert body_at_pixel(snap, cam, (SIZE[1] // 2, sky_col), SIZE) is None
    assert frame[SIZE[1] // 2, sky_col].max() < 20


def test_properties_move_the_clock_and_the_camera(nb: Any) -> None:
    from viewer.sim.timescales import utc_to_et

    first = nb.frame()
    assert nb.time == CA + "Z" and nb.et == pytest.approx(utc_to_et(CA), abs=1e-6)
    assert nb.camera == "look:juno:io" and nb.target == "io" and nb.ev is not None
    nb.time = "2023-12-30T08:46:00.836"  # ten minutes on: Juno 17,000 km further, Io far smaller
    later = nb.frame()
    assert nb.et - utc_to_et(CA) == pytest.approx(600.0, abs=1e-6)
    lit = (first.max(axis=2) > 30).mean(), (later.max(axis=2) > 30).mean()
    assert lit[0] > 4 * lit[1] > 0
    nb.camera = ORBIT
    assert not np.array_equal(nb.frame(), later) and nb.camera == ORBIT
    ev = nb.ev
    nb.exposure = ev + 1.0  # one stop more: every lit pixel brighter
    brighter = nb.frame()
    assert nb.exposure == ev + 1.0 and nb.ev == ev + 1.0
    nb.exposure = ev
    base = nb.frame()
    disc = base.max(axis=2) > 20
    assert brighter[disc].mean() > 1.2 * base[disc].mean()
    nb.labels = True  # the bodies' names: drawn over the frame, and gone again with the same bytes
    labelled = nb.frame()
    nb.labels = False
    assert nb.labels is False and not np.array_equal(labelled, base) and np.array_equal(nb.frame(), base)
    nb.play(rate=100)
    assert nb.playing and nb.rate == 100
    t0 = nb.et
    assert nb.advance(0.5) == pytest.approx(t0 + 50.0)
    nb.pause()
    assert nb.advance(0.5) == pytest.approx(t0 + 50.0)
    with pytest.raises(ValueError, match="camera spec"):
        nb.camera = "orbit:io:0:0"


def test_pointer_and_wheel_events_orbit_and_zoom(nb: Any) -> None:
    from viewer.app.controls import DRAG_DEG_PER_PX, Orbit

    c = nb.canvas
    nb.camera = ORBIT
    c.get_frame()
    c.handle_event(pointer("pointer_down", 100, 100))
    c.handle_event(pointer("pointer_move", 150, 100))
    c.handle_event(pointer("pointer_up", 150, 100, ()))
    mode = nb.session.flight.mode
    assert isinstance(mode, Orbit) and mode.target == "io"
    lat, wlon, rng = (float(v) for v in nb.camera.split(":")[2:])
    # A drag right by 50 px turns the camera 15° about Io's north, west longitude growing.
    assert abs(lat) < 1e-6 and wlon == pytest.approx(180.0 + 50 * DRAG_DEG_PER_PX, abs=1e-6)
    assert rng == pytest.approx(10000.0, rel=1e-9)
    before = c.get_frame()
    alt = mode.altitude(nb.session.snapshot())
    c.handle_event({"type": "wheel", "x": 10, "y": 10, "dx": 0.0, "dy": -200.0, "buttons": (),
                    "modifiers": ()})  # scrolled away from the user: two notches in
    assert mode.altitude(nb.session.snapshot()) == pytest.approx(alt * 0.8**2, rel=1e-9)
    after = c.get_frame()
    disc = [(im.max(axis=2) > 20).sum() for im in (before, after)]
    assert disc[1] > 1.2 * disc[0]  # nearer: Io's disc covers more pixels


def test_keys_play_the_clock_and_fly_to_a_target(nb: Any) -> None:
    from viewer.app.controls import Orbit, Transition

    c = nb.canvas
    c.get_frame()
    t0 = nb.et
    c.handle_event({"type": "key_down", "key": " ", "modifiers": ()})
    assert nb.playing
    c.get_frame()
    time.sleep(0.05)
    c.get_frame()  # the wall time between two frames moves the clock at 1x
    assert t0 < nb.et <= t0 + 0.1 + 0.05
    c.handle_event({"type": "key_down", "key": "]", "modifiers": ()})
    assert nb.rate == 2.0
    c.handle_event({"type": "key_down", "key": " ", "modifiers": ()})
    assert not nb.playing
    c.handle_event({"type": "key_down", "key": "3", "modifiers": ()})  # Europa
    assert isinstance(nb.session.flight.mode, Transition) and nb.target == "europa"
    nb.advance(2.0)
    assert isinstance(nb.session.flight.mode, Orbit)
    frame = c.get_frame()
    _, cam, snap = nb.session.last
    (x, y), _ = cam.project(snap.positions["europa"], *SIZE)
    assert abs(x - SIZE[0] / 2) < 1 and abs(y - SIZE[1] / 2) < 1
    assert frame[SIZE[1] // 2, SIZE[0] // 2].max() > 0


def test_a_resize_of_the_canvas_resizes_the_frames(nb: Any) -> None:
    c = nb.canvas
    c.handle_event({"type": "resize", "width": 200, "height": 100, "pwidth": 400, "pheight": 200,
                    "ratio": 2.0})
    assert c.get_frame().shape == (100, 200, 3)  # logical pixels (MAX_PIXEL_RATIO 1)
    nb.size = (160, 120)
    assert c.css_width == "160px" and c.get_frame().shape == (120, 160, 3)


def test_the_example_notebook_runs(gl_probe: str, tmp_path: Path, gl_context: Any) -> None:
    """docs/notebooks/flyby.ipynb runs in a kernel without an error; every view it shows comes out as
    a picture, and its screenshot equals ``render_still`` of the command it prints."""
    import imageio.v3 as iio
    import nbformat
    from nbclient import NotebookClient

    import viewer

    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=240, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 5
    shown = next(o for o in outputs if o.output_type == "execute_result")  # the first cell's `v`
    # the live canvas, and its picture for pages that cannot run widgets
    assert {"application/vnd.jupyter.widget-view+json", "image/png"} <= set(shown["data"])
    text = "".join(o.get("text", "") for o in outputs)
    command = next(line for line in text.splitlines() if line.startswith("jupitershine still"))
    words = command.split()
    opts = dict(zip(words[2::2], words[3::2], strict=True))
    shot = iio.imread(tmp_path / "out" / "io.png")
    w, h = (int(v) for v in opts["--size"].split("x"))
    still = viewer.render_still(time=opts["--time"], camera=opts["--camera"], fov=float(opts["--fov"]),
                                size=(w, h), context=gl_context)
    assert shot.shape == (h, w, 3) and np.array_equal(shot, still)
