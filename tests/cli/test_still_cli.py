"""``jupitershine still``: files written, and bad input as one line with exit status 2."""

from __future__ import annotations

import pytest

from viewer.cli import main

CA = "2023-12-30T08:36:00.836"


@pytest.mark.parametrize(("args", "needle"), [
    (["--size", "0x10"], "at least 1 pixel"),
    (["--size", "big"], "WIDTHxHEIGHT"),
    (["--size", "40000x100"], "pixels a side"),
    (["--camera", "orbit:pluto:0:0:100"], "pluto"),
    (["--camera", "above:io:0"], "camera"),
    (["--hide", "pluto"], "--hide"),
    (["--time", "2023-13-45"], "2023-13-45"),
    (["--exposure", "bright"], "--exposure"),
    (["--stretch", "1:0:1"], "BLACK < WHITE"),
    (["--io-map", "/nonexistent/io.png"], "io.png"),
    (["--out", "/nonexistent/dir/x.png"], "does not exist"),
    (["--preset", "nope"], "nope"),
    (["--light", "sun,moonshine"], "--light"),
    (["--look", "pastel"], "choose from physical, junocam, linear"),
])
def test_bad_input_is_one_line_exit_2(args, needle, tmp_path, capsys) -> None:
    args = [a.replace("TMP", str(tmp_path)) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "x.png")]
    code = main(["still", *args])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and needle in err, err
    assert not (tmp_path / "x.png").exists()


def test_spacecraft_model_without_geometry_is_an_error(tmp_path, capsys) -> None:
    bad = tmp_path / "empty.obj"
    bad.write_text("# no vertices\n")
    code = main(["still", "--spacecraft-model", str(bad), "--out", str(tmp_path / "x.png")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "empty.obj" in err
