"""``auto`` exposure of frames with nothing lit, end to end (GL): Io in Jupiter's shadow shows its hot
spots and an empty sky its stars, instead of the black frames EV 0 gave, and the status line says what
was exposed for. The GPU metering (subsample, then the whole frame) equals the numpy reference."""

from __future__ import annotations

import re

import numpy as np
import pytest
from raycast import surface_points

pytestmark = pytest.mark.gl

#: Io ten-odd minutes into Jupiter's umbra, from 8,000 km (issue 11 item 4's reproduction).
ECLIPSE = ["--time", "2030-06-16T03:10", "--camera", "orbit:io:0:30:8000", "--fov", "35"]
SKY = ["--camera", "sky:0:0"]
SIZE = (320, 240)


def _io_disc(still, world) -> np.ndarray:
    """Pixels whose centre ray meets Io (the numpy ray cast of the render tests)."""
    from viewer.render.camera import camera_from_spec
    from viewer.sim.constants import IO
    from viewer.sim.timescales import utc_to_et

    snap = world.at(utc_to_et(still.time_utc))
    cam = camera_from_spec(still.camera, snap, 35.0)
    points, _ = surface_points(cam, SIZE, snap.positions["io"], snap.rotations["io"], IO.radii_km)
    return np.isfinite(points[..., 0])


@pytest.mark.parametrize("look", [None, "junocam"])
def test_io_in_eclipse_shows_its_hot_spots(gl_context, world, look) -> None:
    from viewer.still import make_still

    still = make_still(time=ECLIPSE[1], camera=ECLIPSE[3], fov=35.0, size=SIZE, look=look, world=world,
                       context=gl_context)
    assert still.exposed_for == "for Io's hot spots (no lit pixels)"
    disc = _io_disc(still, world)
    assert disc.mean() > 0.2
    on_io = still.image[disc].max(axis=1)
    # Hot spots well above black (EV 0 left every pixel at 0), a few of them, and most of Io dark.
    assert on_io.max() >= 230 and (on_io > 64).sum() >= 4 and np.median(on_io) < 20
    assert 8.0 < still.ev < 25.0


@pytest.mark.parametrize(("kwargs", "text"), [
    # Zoomed in, the resolved hot spots exceed the lit threshold: the median rule meters them, and the
    # line still says they are hot spots (brighter than anything could reflect there in the umbra).
    ({"time": ECLIPSE[1], "camera": ECLIPSE[3], "fov": 12.0, "size": SIZE},
     "for the median lit pixel (Io's hot spots)"),
    ({"time": ECLIPSE[1], "camera": ECLIPSE[3], "fov": 35.0, "light": "sun,eclipses"},
     "for the stars (no lit pixels)"),
    ({"time": ECLIPSE[1], "camera": ECLIPSE[3], "fov": 35.0, "light": "sun,eclipses", "hide": "stars"},
     "for nothing: the frame is black"),
    ({}, "for the median lit pixel (Io's night side in Jupitershine)"),                # the i57 preset
    ({"look": "junocam"}, "for the median dim pixel (Io's night side in Jupitershine)"),
    ({"camera": "orbit:jupiter:3:212:1500000", "fov": 7.0, "hide": "stars"},
     "for the median lit pixel (sunlit Jupiter)"),
])
def test_exposed_for_says_what_lights_the_metered_pixel(gl_context, world, kwargs, text) -> None:
    from viewer.still import make_still

    still = make_still(world=world, context=gl_context, **{"size": (160, 120), **kwargs})
    assert still.exposed_for == text


def test_an_empty_sky_shows_its_stars(gl_context, world) -> None:
    from viewer.still import make_still

    still = make_still(camera=SKY[1], size=SIZE, world=world, context=gl_context)
    assert still.exposed_for == "for the stars (no lit pixels)"
    bright = still.image.max(axis=2)
    assert bright.max() >= 200 and (bright > 64).sum() >= 100 and np.median(bright) < 64


def test_gpu_metering_equals_the_reference_on_the_whole_frame(gl_context, world) -> None:
    """No lit surface in the 1/64 subsample → the whole frame is metered (a subsample misses hot spots
    and stars); the result is the numpy reference's on the resolved radiance and coverage."""
    from viewer.render.camera import camera_from_spec
    from viewer.render.exposure import ToneSettings, meter
    from viewer.render.renderer import Renderer, RenderSettings
    from viewer.sim.timescales import utc_to_et

    snap = world.at(utc_to_et(ECLIPSE[1]))
    cam = camera_from_spec(ECLIPSE[3], snap, 35.0)
    renderer = Renderer(gl_context, RenderSettings(size=SIZE))
    frame = renderer.render(snap, cam)
    reference = meter(renderer.linear(coverage=True), ToneSettings())
    assert frame.metering == reference and frame.ev == reference.ev
    assert reference.basis == "surfaces"


def test_the_subsample_carries_coverage(gl_context) -> None:
    """Stars are drawn with coverage 0, surfaces with 1: the auto exposure's subsample keeps that."""
    from viewer.render.passes.tonemap import TonemapPass
    from viewer.render.targets import HDRTarget

    data = np.zeros((16, 16, 4), np.float32)
    data[:8, :, :3], data[:8, :, 3] = 0.5, 1.0      # a lit surface in the top half
    data[8:, :, :3] = 2e-3                           # "stars" brighter than the lit threshold below
    hdr = HDRTarget(gl_context, (16, 16), depth=False)
    hdr.upload(data)
    sample = TonemapPass(gl_context).subsample(hdr)
    assert sample.shape == (2, 2, 4) and np.array_equal(sample[..., 3], [[1.0, 1.0], [0.0, 0.0]])


def test_status_line_names_what_was_exposed_for(gl_probe, tmp_path) -> None:
    import subprocess
    import sys

    for args, text in (([*ECLIPSE, "--look", "junocam"], "for Io's hot spots (no lit pixels)"),
                       (SKY, "for the stars (no lit pixels)")):
        proc = subprocess.run([sys.executable, "-m", "viewer", "still", *args, "--size", "160x120",
                               "--out", str(tmp_path / "x.png")], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        lines = [ln for ln in proc.stderr.strip().splitlines() if not ln.startswith("maps: ")]
        pattern = r"auto exposure EV \+\d+\.\d\d " + re.escape(text)
        assert len(lines) == 1 and re.search(pattern, lines[0]), lines
