"""``jupitershine still``: files written, and bad input as one line with exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.cli import main
from viewer.errors import UserError

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


def _no_render(*args, **kwargs):
    raise AssertionError("rendered before the output was checked")


def _unwritable_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder that refuses new files, whoever runs the test (root ignores permission bits)."""
    import viewer.atomic

    def refuse(folder, prefix, suffix):
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(viewer.atomic, "_create_temp", refuse)


@pytest.mark.parametrize(("args", "needle"), [
    (["--out", "TMP/a.jpg"], "give a name ending in .png"),
    (["--out", "TMP/a.png", "--linear", "TMP/x.txt"], "give a name ending in .npy"),
    (["--look", "linear", "--out", "TMP/a.jpeg"], "give a name ending in .png"),
    (["--out", "TMP/afile/a.png"], "afile is a file, not a folder"),
    (["--linear", "TMP/afile/x.npy"], "afile is a file, not a folder"),
    (["--out", "TMP/ro/a.png"], "Permission denied"),
    (["--look", "linear", "--out", "TMP/ro/a.png"], "Permission denied"),
])
def test_outputs_are_checked_before_rendering(args, needle, tmp_path, monkeypatch, capsys) -> None:
    import viewer.still

    (tmp_path / "afile").write_text("a file, not a folder\n")
    (tmp_path / "ro").mkdir()
    if any("/ro/" in a for a in args):
        _unwritable_folder(monkeypatch)
    monkeypatch.setattr(viewer.still, "make_still", _no_render)
    code = main(["still", *(a.replace("TMP", str(tmp_path)) for a in args)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and needle in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "ro"]  # nothing left behind


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize("command", [["still", "--out", "/proc/a.png"],
                                     ["geometry", "--preset", "i57", "--out", "/proc/a.csv"]])
def test_proc_is_refused_before_the_work(command, monkeypatch, capsys) -> None:
    """/proc exists and root may "write" there by its mode bits, but no file can be created in it."""
    import viewer.geometry
    import viewer.still

    monkeypatch.setattr(viewer.still, "make_still", _no_render)
    monkeypatch.setattr(viewer.geometry, "table", _no_render)
    code = main(command)
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "cannot write /proc/a." in err, err


def test_geometry_unwritable_folder_before_the_table(tmp_path, monkeypatch, capsys) -> None:
    import viewer.geometry

    _unwritable_folder(monkeypatch)
    monkeypatch.setattr(viewer.geometry, "table", _no_render)
    code = main(["geometry", "--out", str(tmp_path / "t.csv")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "Permission denied" in err, err


@pytest.mark.parametrize(("argv", "hide", "light"), [
    (["--hide", "io", "--hide", "jupiter"], {"io", "jupiter"}, None),
    (["--hide", "io,stars", "--hide", "JUNO"], {"io", "stars", "juno"}, None),
    (["--light", "sun", "--light", "eclipses,hotspots"], set(), {"sun", "eclipses", "hotspots"}),
])
def test_repeated_hide_and_light_accumulate(argv, hide, light, tmp_path, monkeypatch) -> None:
    import viewer.still
    from viewer.still import parse_names

    seen: dict[str, object] = {}

    def capture(*args, **kwargs):
        seen["hide"], seen["light"] = args[8], kwargs["light"]
        raise UserError("captured")

    monkeypatch.setattr(viewer.still, "make_still", capture)
    assert main(["still", *argv, "--out", str(tmp_path / "x.png")]) == 2
    assert parse_names(seen["hide"]) == hide
    if light is not None:
        assert parse_names(seen["light"]) == light


@pytest.mark.parametrize(("camera", "needle"), [
    ("orbit:io:0:0:100", "is inside Io (radii 1,829.4 × 1,819.4 × 1,815.7 km, mean 1,821.5 km): "
                         "use a range above 1,829.4 km"),
    ("orbit:jupiter:0:90:50000", "is inside Jupiter (radii 71,492.0 × 71,492.0 × 66,854.0 km"),
])
def test_a_camera_inside_a_body_is_one_line_exit_2(camera, needle, tmp_path, capsys) -> None:
    """Refused before any rendering (no GL needed), instead of a silent black frame."""
    code = main(["still", "--time", CA, "--camera", camera, "--out", str(tmp_path / "x.png")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1, err
    assert f"camera {camera} {needle}" in err, err
    assert not (tmp_path / "x.png").exists()
