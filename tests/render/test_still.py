"""``jupitershine still`` and ``viewer.render_still`` end to end (GL)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.gl

CA = "2023-12-30T08:36:00.836"


def test_still_writes_png_and_linear(gl_probe, tmp_path) -> None:
    import imageio.v3 as iio

    png, npy = tmp_path / "io.png", tmp_path / "io.npy"
    proc = subprocess.run([sys.executable, "-m", "viewer", "still", "--time", CA, "--camera",
                           "orbit:io:0:180:9000", "--fov", "30", "--size", "160x90", "--hide", "stars",
                           "--out", str(png), "--linear", str(npy)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    image = iio.imread(png)
    linear = np.load(npy)
    assert image.shape == (90, 160, 3) and image.dtype == np.uint8
    assert linear.shape == (90, 160, 3) and linear.dtype == np.float32
    # The PNG is the tone-mapped radiance: bright where the radiance is, black where it is zero.
    lit = linear.sum(axis=2) > 0.05
    assert lit.mean() > 0.03 and image[lit].mean() > 60 and image[linear.sum(axis=2) == 0].max() == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["io.npy", "io.png"]  # no temporary files left


def test_render_still_api(gl_context) -> None:
    import viewer

    img = viewer.render_still(time=CA, camera="orbit:io:0:180:9000", size=(64, 36), context=gl_context)
    rad = viewer.render_still(time=CA, camera="orbit:io:0:180:9000", size=(64, 36), linear=True,
                              context=gl_context)
    assert img.shape == (36, 64, 3) and img.dtype == np.uint8 and img.max() > 50
    assert rad.shape == (36, 64, 3) and rad.dtype == np.float32 and 0.0 < rad.max() < 1.5
