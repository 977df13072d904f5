"""Maps larger than the texture limit: read with bounded memory, downsampled where they belong, no
foreign warnings (viewer.render.textures, docs/assets.md "Bit depth, size").

Peak memory is measured in a fresh Python process (its VmHWM), against what the same process holds
after importing the loader. The 20000 × 10000 JPEG is a flat colour with stripes and a red marker at a
known (latitude, west longitude), drawn in the convention "left edge 180° W", so the marker also checks
that a map reduced while decoding and then rolled keeps its geography.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest

from viewer.errors import UserError
from viewer.render.textures import MAX_DECODED_PIXELS, load_map, srgb_to_linear

BIG = (20000, 10000)  # width, height
LEFT_W = 180.0  # the file's left edge, west longitude
MARK_LAT, MARK_LON_W, MARK_PX = 20.0, 100.0, 200  # the red marker: centre and side (file pixels)
BACKGROUND = (40, 80, 160)
STRIPE = (0, 200, 0)


def _draw_big_jpeg(path: Path) -> None:
    from PIL import Image, ImageDraw

    w, h = BIG
    im = Image.new("RGB", BIG, BACKGROUND)
    draw = ImageDraw.Draw(im)
    for i in range(8):  # 8 green stripes 500 px wide
        draw.rectangle([i * w // 8, 0, i * w // 8 + 499, h - 1], fill=STRIPE)
    u = ((LEFT_W - MARK_LON_W) / 360.0) % 1.0  # fraction of the width from the left edge
    cx, cy = u * w, (90.0 - MARK_LAT) / 180.0 * h
    half = MARK_PX / 2
    draw.rectangle([round(cx - half), round(cy - half), round(cx + half) - 1, round(cy + half) - 1],
                   fill=(255, 0, 0))
    im.save(path, quality=92)


@pytest.fixture(scope="module")
def big_jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.jpg"
    _draw_big_jpeg(path)
    return path


# Runs in a fresh process: loads the map, reports its geometry and the memory the load took.
# The high-water mark is the process's own VmHWM: ru_maxrss would start from the parent's (Linux keeps
# it across fork and exec), and the parent here has drawn a 20000 × 10000 image.
_MEASURE = """
import json, sys
import numpy as np
import PIL.Image, PIL.JpegImagePlugin, PIL.PngImagePlugin
from viewer.render.textures import column_west_longitude_deg, load_map

def hwm_kb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))

base = hwm_kb()
m = load_map(sys.argv[1], lon_left_deg=float(sys.argv[2]), max_size=int(sys.argv[3]))
peak = hwm_kb()
d = m.data
red = (d[..., 0] > 0.6) & (d[..., 1] < 0.3) & (d[..., 2] < 0.3)
rows, cols = np.nonzero(red)
h, w = d.shape[:2]
ang = np.deg2rad(column_west_longitude_deg(w)[cols])
print(json.dumps({
    "shape": d.shape, "from": m.downsampled_from, "bits": m.bit_depth,
    "lat": float(90.0 - (rows.mean() + 0.5) * 180.0 / h),
    "lon_w": float(np.rad2deg(np.arctan2(np.sin(ang).mean(), np.cos(ang).mean())) % 360.0),
    "marker_px": int(red.sum()),
    "background": [float(x) for x in np.median(d[h // 4], axis=0)],
    "extra_mb": (peak - base) / 1024.0,
}))
"""


needs_proc = pytest.mark.skipif(not Path("/proc/self/status").is_file(),
                                reason="peak memory is read from /proc/self/status (Linux)")


def _measure(path: Path, max_size: int) -> dict:
    out = subprocess.run([sys.executable, "-W", "error", "-c", _MEASURE, str(path), str(LEFT_W),
                          str(max_size)], capture_output=True, text=True, check=False, timeout=240)
    assert out.returncode == 0, out.stderr
    # our own one-line message (the logging module's default handler), no warning of Pillow's
    assert out.stderr.splitlines() == [f"{path.name} is 20000×10000, above the texture limit of "
                                       f"{max_size} pixels: downsampled to {max_size}×{max_size // 2}"]
    return json.loads(out.stdout)


def _check_geography(r: dict, size: tuple[int, int]) -> None:
    w, h = size
    assert r["shape"] == [h, w, 3] and r["from"] == list(BIG) and r["bits"] == 8
    assert abs(r["lat"] - MARK_LAT) < 0.1
    assert abs((r["lon_w"] - MARK_LON_W + 180.0) % 360.0 - 180.0) < 0.1
    assert np.allclose(r["background"], np.array(BACKGROUND) / 255.0, atol=3 / 255)
    side = MARK_PX * w / BIG[0]
    assert 0.7 * side**2 < r["marker_px"] < 1.3 * side**2


@needs_proc
def test_big_jpeg_is_reduced_while_decoding(big_jpeg: Path) -> None:
    """20000 × 10000 (200 Mpx, above Pillow's decompression-bomb error limit of 179 Mpx: it used to be
    refused as "corrupt"): decoded at 1/4 scale (5000 × 2500) and resampled to 4096 × 2048. Decoding it
    whole would take 800 MB in Pillow alone; the load takes < 300 MB (measured 154 MB)."""
    r = _measure(big_jpeg, 4096)
    _check_geography(r, (4096, 2048))
    assert r["extra_mb"] < 300, r


@pytest.mark.slow
@needs_proc
def test_big_jpeg_at_the_default_texture_limit(big_jpeg: Path) -> None:
    """To 16384 × 8192 (the limit `still` uses): a full decode (JPEG's 1/2 scale would be below the
    target). The result alone is 1.61 GB of float32; the load takes < 2.3 GB in all (measured 1.95 GB,
    against 7.45 GB for the old loader with Pillow's limit lifted)."""
    r = _measure(big_jpeg, 16384)
    _check_geography(r, (16384, 8192))
    assert r["extra_mb"] < 2300, r


def test_16k_png_loads_without_a_warning_and_pillow_is_left_alone(tmp_path: Path) -> None:
    """16384 × 8192 = 134 Mpx, above Pillow's warning limit (89 Mpx): no warning reaches the user, and
    Pillow's own check stays in force for everything else (pytest turns warnings into errors)."""
    from PIL import Image

    path = tmp_path / "grey16k.png"
    im = Image.new("L", (16384, 8192), 90)
    im.paste(200, (8192, 0, 16384, 4096))  # the north-west quarter (file convention ours)
    im.save(path, compress_level=1)
    del im
    limit = Image.MAX_IMAGE_PIXELS
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = load_map(path, max_size=2048)
    assert not caught, [str(w.message) for w in caught]
    assert (m.width, m.height, m.channels) == (2048, 1024, 1)
    assert m.downsampled_from == (16384, 8192)
    assert m.data[100, 1500, 0] == pytest.approx(200 / 255, abs=1e-6)
    assert m.data[900, 100, 0] == pytest.approx(90 / 255, abs=1e-6)
    assert Image.MAX_IMAGE_PIXELS == limit
    with pytest.warns(Image.DecompressionBombWarning), Image.open(path):
        pass


def _png_header_only(path: Path, width: int, height: int) -> None:
    """A PNG that claims width × height RGB pixels but holds one compressed row: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                                            0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(bytes(1 + 3 * width))) + chunk(b"IEND", b""))


def test_a_map_too_large_to_decode_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    _png_header_only(path, 40000, 20000)  # 800 Mpx: 3.2 GB in Pillow
    assert 40000 * 20000 > MAX_DECODED_PIXELS
    with pytest.raises(UserError) as exc:
        load_map(path, max_size=2048)
    text = str(exc.value)
    assert "\n" not in text and "bomb.png" in text and "40000×20000" in text and "JPEG" in text


def test_srgb_decoding_by_blocks_is_exact() -> None:
    """A large array is decoded a block of rows at a time; the values are those of one whole pass."""
    rng = np.random.default_rng(3)
    big = rng.random((2500, 2000, 3), dtype=np.float32)  # 60 MB: several blocks
    whole = np.where(big <= 0.04045, big / 12.92, ((big + 0.055) / 1.055) ** 2.4).astype(np.float32)
    np.testing.assert_array_equal(srgb_to_linear(big), whole)
