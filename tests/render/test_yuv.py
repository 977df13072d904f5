"""The export's GPU conversion to yuv420p (viewer.render.passes.yuv, shaders/yuv420.frag): the planes
equal BT.709 limited-range quantisation of the RGB image (2x2 chroma means) computed in numpy, and a
movie decoded by ffmpeg gives back the PNG frames' colours."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from viewer.export import ExportOptions, SceneRenderer
from viewer.render.passes.yuv import supports
from viewer.scene import scene_from_text

pytestmark = pytest.mark.gl

SCENE = '''name = "yuv"
time = "2023-12-30T08:36:00.836"
camera = "look:juno:io"
fov_deg = 70
size = [96, 56]
fps = 10
labels = true

[[shots]]
start = "2023-12-30T08:30:00.836"
end = "2023-12-30T08:30:00.936"
rate = 1
look = "junocam"
'''


def bt709_planes(rgb: np.ndarray) -> np.ndarray:
    """The I420 planes (3H/2, W) of an 8-bit RGB image: Rec. BT.709-6 items 3.2-3.4."""
    h, w = rgb.shape[:2]
    f = rgb.astype(np.float64) / 255.0
    luma = np.array([0.2126, 0.7152, 0.0722])
    y = np.round(16 + 219 * (f @ luma))
    block = f.reshape(h // 2, 2, w // 2, 2, 3).mean(axis=(1, 3))
    ey = block @ luma
    u = np.round(128 + 224 * (block[..., 2] - ey) / 1.8556)
    v = np.round(128 + 224 * (block[..., 0] - ey) / 1.5748)
    return np.concatenate([y.ravel(), u.ravel(), v.ravel()]).astype(np.uint8).reshape(3 * h // 2, w)


@pytest.fixture(scope="module")
def frames(world, gl_context):
    scene = scene_from_text(SCENE, "scene file yuv.toml", world)
    r = SceneRenderer(scene, ExportOptions(), [0], world=world, context=gl_context)
    try:
        yield r.frame(0).image, r.frame(0, "yuv420p").image
    finally:
        r.close()


def test_planes_are_bt709_of_the_rgb_image(frames) -> None:
    rgb, yuv = frames
    assert rgb.shape == (56, 96, 3) and yuv.shape == (84, 96)
    assert rgb.std() > 5  # a picture, not a flat field (Io, labels)
    diff = np.abs(yuv.astype(int) - bt709_planes(rgb).astype(int))
    # at most the filtering unit's rounding of a 2x2 mean, or the GPU's float rounding at a .5 tie
    assert diff.max() <= 1 and (diff > 0).mean() < 0.01


def test_what_it_packs_and_where() -> None:
    from viewer.render.context import is_software_renderer

    assert supports((1920, 1080)) and supports((640, 360)) and supports((96, 56))
    assert not supports((100, 48)) and not supports((64, 54)) and not supports((64, 47))
    assert is_software_renderer("llvmpipe (LLVM 15.0.6, 256 bits)")
    assert not is_software_renderer("NVIDIA H200/PCIe/SSE2")
    assert not is_software_renderer("AMD Radeon RX 7900")


def test_movies_convert_on_a_gpu_and_leave_it_to_ffmpeg_on_a_cpu_rasteriser(world, gl_context,
                                                                              monkeypatch) -> None:
    scene = scene_from_text(SCENE, "scene file yuv.toml", world)
    r = SceneRenderer(scene, ExportOptions(), [0], world=world, context=gl_context)
    try:
        assert r.movie_pixels((96, 56)) == ("rgb" if "llvmpipe" in r.renderer_name else "yuv420p")
        monkeypatch.setattr(SceneRenderer, "renderer_name", property(lambda self: "NVIDIA H200/PCIe/SSE2"))
        assert r.movie_pixels((96, 56)) == "yuv420p" and r.movie_pixels((100, 56)) == "rgb"
    finally:
        r.close()


def test_the_movie_decodes_to_the_png_colours(frames, tmp_path) -> None:
    import imageio_ffmpeg

    from viewer.export import encode_segment

    rgb, yuv = frames
    for name, images, fmt in (("gpu.h264", [yuv] * 3, "yuv420p"), ("cpu.h264", [rgb] * 3, "rgb24")):
        path = tmp_path / name
        encode_segment(str(path), iter(images), (96, 56), 10.0, 10, fmt)
        out = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-i", str(path),
                              "-f", "rawvideo", "-pix_fmt", "rgb24", "-vf",
                              "scale=in_color_matrix=bt709:in_range=tv", "-"],
                             capture_output=True, check=True).stdout
        back = np.frombuffer(out, np.uint8).reshape(-1, 56, 96, 3)[0].astype(float)
        # Quality 10 (CRF 0: lossless H.264): what differs is 4:2:0 chroma and rounding alone.
        err = np.abs(back - rgb).mean(axis=2)
        assert np.median(err) <= 2.0, (name, np.median(err))
        assert abs(back.mean() - rgb.mean()) < 1.5, (name, back.mean(), rgb.mean())
