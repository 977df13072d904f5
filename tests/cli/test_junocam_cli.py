"""``jupitershine junocam``: bad input as one line with exit status 2, refused before anything is
rendered (tests/render/test_pushframe_render.py runs the command to the end)."""

from __future__ import annotations

import pytest

from viewer.cli import main

START = "2023-12-30T08:42:04.5"


@pytest.mark.parametrize(("args", "message"), [
    (["--frames", "0"], "--frames 0: use a whole number from 1 to 500"),
    (["--interframe-delay", "-1"], "--interframe-delay -1.0: use seconds"),
    (["--tdi", "101"], "--tdi 101: use a whole number of TDI steps"),
    (["--filters", "red,uv"], "unknown filter 'uv'"),
    (["--time", "2023-12-30T08:41:50", "--frames", "3"], "sees nothing of Io in the 3 frames"),
    (["--time", "2025-06-01T00:00:00"], "Juno's position is unknown at 2025-06-01T00:00:00"),
    (["--time", "yesterday"], "yesterday"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, message) -> None:
    argv = ["junocam", "--time", START, "--out", str(tmp_path / "jc"), *args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err
    assert not (tmp_path / "jc").exists()


def test_out_must_be_a_folder(tmp_path, capsys) -> None:
    path = tmp_path / "file.png"
    path.write_bytes(b"")
    assert main(["junocam", "--time", START, "--out", str(path)]) == 2
    assert "is a file; give a folder" in capsys.readouterr().err
