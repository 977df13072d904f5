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


@pytest.mark.parametrize("look", ["physical", "junocam", "linear"])
def test_each_look_renders_what_its_documentation_says(gl_context, look) -> None:
    """The GPU image of each look equals the numpy reference with the look's settings (within 1/255)."""
    from viewer.render.exposure import ToneSettings, quantize, srgb_encode, tonemap_reference
    from viewer.render.looks import look_tone, night_ev
    from viewer.still import make_still

    still = make_still(time=CA, size=(96, 54), hide="stars", context=gl_context, look=look)
    tone, night = look_tone(look, ToneSettings())
    assert still.look == look and still.tone.curve == tone.curve and still.tone.stretch == tone.stretch
    if look == "junocam":
        assert night and still.ev == pytest.approx(night_ev(still.linear, tone))
    else:
        assert still.ev == 0.0
    # Every pixel, black sky beside a bright limb included: the tone map reads its texel exactly
    # (gl_FragCoord, not an interpolated coordinate that leaked ~1e-6 of the neighbour, which the
    # junocam look's EV +7.7 and gamma 2.2 showed as sRGB 40).
    reference = tonemap_reference(still.linear, tone, still.ev)
    assert np.abs(still.image.astype(int) - reference).max() <= 1
    if look == "linear":
        plain = quantize(srgb_encode(np.clip(still.linear.astype(np.float64), 0.0, 1.0)))
        assert np.abs(still.image.astype(int) - plain).max() <= 1


def test_look_linear_writes_the_radiance_beside_the_png(gl_probe, tmp_path) -> None:
    png = tmp_path / "lin.png"
    proc = subprocess.run([sys.executable, "-m", "viewer", "still", "--time", CA, "--size", "64x36",
                           "--look", "linear", "--exposure", "-1", "--out", str(png)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "look linear" in proc.stderr and "EV -1.00" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lin.npy", "lin.png"]
    assert np.load(tmp_path / "lin.npy").shape == (36, 64, 3)


@pytest.mark.gl
def test_render_still_has_the_command_lines_options(tmp_path) -> None:
    """The Python API takes every option of `still` (maps, light paths, supersampling, model size and
    axis, kernels) and gives the command line's pixels."""
    import imageio.v3 as iio

    from viewer import render_still
    from viewer.cli import main
    from viewer.errors import UserError

    stripes = np.zeros((64, 128, 3), np.uint8)
    stripes[:, ::16] = (200, 60, 30)
    iio.imwrite(tmp_path / "io.png", stripes)
    args = dict(time="2023-12-30T08:40:00", camera="orbit:io:0:200:6000", fov=40.0, size=(64, 48),
                light="sun,eclipses", supersample=False, io_map=tmp_path / "io.png", map_lon_left=180.0,
                map_lon_direction="east")
    image = render_still(**args)
    assert main(["still", "--time", args["time"], "--camera", args["camera"], "--fov", "40",
                 "--size", "64x48", "--light", "sun,eclipses", "--no-supersample",
                 "--io-map", str(tmp_path / "io.png"),
                 "--map-lon-left", "180", "--map-lon-direction", "east", "--out",
                 str(tmp_path / "cli.png")]) == 0
    assert np.array_equal(image, iio.imread(tmp_path / "cli.png"))
    plain = render_still(**{**args, "io_map": None})
    assert not np.array_equal(image, plain)  # the map was used
    with pytest.raises(UserError, match="give the model too"):
        render_still(spacecraft_size=20.0)
