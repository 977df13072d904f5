"""``jupitershine compare``: the numbers printed and the files written for two synthetic discs, and bad
input as one line with exit status 2 (no GL: tests/render/test_compare_render.py compares renders)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from tests.unit.io_disc import io_disc
from viewer.cli import main


def _png(path, image) -> str:
    import imageio.v3 as iio

    iio.imwrite(path, np.round(np.clip(image, 0, 1) * 255).astype(np.uint8))
    return str(path)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pair")
    ours = _png(folder / "ours.png", io_disc(center=(160.0, 120.0), radius=60.0))
    theirs = _png(folder / "theirs.png", io_disc(center=(185.0, 105.0), radius=66.0, turn_deg=7.0))
    return ours, theirs


def test_text_output_and_files(pair, tmp_path, capsys) -> None:
    ours, theirs = pair
    assert main(["compare", ours, theirs, "--out", str(tmp_path / "c")]) == 0
    out, err = capsys.readouterr()
    numbers = re.match(r"offset (\S+) (\S+) px .*scale (\S+), rotation (\S+)°.*\nresidual offset (\S+) px",
                       out, re.DOTALL)
    assert numbers is not None, out
    dx, dy, scale, rotation, residual = (float(v) for v in numbers.groups())
    assert (dx, dy) == pytest.approx((-25.0, 15.0), abs=0.7) and scale == pytest.approx(60 / 66, rel=3e-3)
    assert rotation == pytest.approx(-7.0, abs=0.1) and residual < 0.3
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == [
        "blink.gif", "compare.json", "difference.png", "side_by_side.png"]
    assert err.count("wrote ") == 4


def test_json_output(pair, tmp_path, capsys) -> None:
    ours, theirs = pair
    assert main(["compare", ours, theirs, "--out", str(tmp_path), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record == json.loads((tmp_path / "compare.json").read_text())
    assert record["scale"] == pytest.approx(60 / 66, rel=3e-3)
    assert record["rotation_deg"] == pytest.approx(-7.0, abs=0.1)
    assert record["offset_px"] == pytest.approx([-25.0, 15.0], abs=0.7)
    assert record["residual"]["offset_norm_px"] < 0.3
    assert record["ours_size_px"] == [320, 240] and record["theirs"] == theirs


def test_no_rotation(pair, tmp_path, capsys) -> None:
    ours, theirs = pair
    assert main(["compare", ours, theirs, "--out", str(tmp_path), "--json", "--no-rotation"]) == 0
    assert json.loads(capsys.readouterr().out)["rotation_deg"] == 0.0


@pytest.mark.parametrize(("theirs", "needle"), [
    ("missing", "THEIRS TMP/missing.png does not exist"),
    ("black", "THEIRS: no disc brighter than the sky"),
    ("flat", "THEIRS: no disc brighter than the sky"),
    ("corrupt", "cannot be read as an image"),
    ("frames", "several frames"),
    ("out-file", "is a file; give a folder"),
])
def test_bad_input_is_one_line_exit_2(pair, tmp_path, capsys, theirs, needle) -> None:
    import imageio.v3 as iio

    ours, good = pair
    out = tmp_path / "c"
    path = tmp_path / f"{theirs}.png"
    if theirs == "black":
        _png(path, np.zeros((120, 160)))
    elif theirs == "flat":
        _png(path, np.full((120, 160, 3), 0.6))
    elif theirs == "corrupt":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    elif theirs == "frames":
        path = tmp_path / "frames.gif"
        iio.imwrite(path, np.zeros((2, 32, 32, 3), np.uint8), extension=".gif")
    elif theirs == "out-file":
        path = tmp_path / "good.png"
        path.write_bytes(Path(good).read_bytes())
        out.write_text("a file\n")
    code = main(["compare", ours, str(path), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and needle.replace("TMP", str(tmp_path)) in err, err
    assert err.startswith("jupitershine: error:") and "Traceback" not in err
    assert theirs == "out-file" or not out.exists()
