"""Which maps a render uses (viewer.maps): --maps, then the preset's ``maps`` key, then the user's
setting (written by ``jupitershine textures use``), then procedural; a missing download is one line naming
``jupitershine textures download`` with exit status 2; the status line says which maps are used."""

from __future__ import annotations

import pytest

from viewer import maps
from viewer.cli import main
from viewer.config import load_preset, scene_from_dict
from viewer.errors import UserError


@pytest.fixture
def places(tmp_path, monkeypatch):
    """Empty settings and download folders of this test's own."""
    monkeypatch.setenv("JUPITERSHINE_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("JUPITERSHINE_CACHE", str(tmp_path / "cache"))
    return tmp_path


def _preset(**extra):
    data = {"name": "t", "time": "2023-12-30T08:36:00.836", "camera": "look:juno:io", **extra}
    return scene_from_dict(data, "preset t")


def test_choice_order(places) -> None:
    """--maps wins, then the preset's key, then the setting, then procedural; each names what chose it."""
    assert maps.choose() == maps.MapChoice("procedural", "the default")
    maps.write_setting("downloaded")
    assert maps.choose().name == "downloaded" and str(maps.setting_path()) in maps.choose().by
    assert maps.choose(None, _preset(maps="procedural")) == maps.MapChoice("procedural", "preset t")
    assert maps.choose("procedural", _preset(maps="downloaded")) == maps.MapChoice("procedural", "--maps")
    assert maps.choose(None, load_preset("i57")).name == "downloaded"  # the shipped presets set no maps


def test_setting_round_trip_and_bad_files(places) -> None:
    """The setting is a small TOML file written atomically (its folder made); a file that is not TOML or
    names no known maps is one line naming the file."""
    assert maps.read_setting() is None
    path = maps.write_setting("downloaded")
    assert path == places / "config" / "settings.toml" and maps.read_setting() == "downloaded"
    maps.write_setting("procedural")
    assert maps.read_setting() == "procedural"
    path.write_text("maps = [", encoding="utf-8")
    with pytest.raises(UserError, match=r"settings\.toml is not valid TOML"):
        maps.read_setting()
    path.write_text('maps = "satellite"\n', encoding="utf-8")
    with pytest.raises(UserError, match="'satellite' is not one of procedural, downloaded"):
        maps.read_setting()


def test_preset_key_is_checked() -> None:
    assert _preset(maps="downloaded").maps == "downloaded" and _preset().maps is None
    with pytest.raises(UserError, match="preset t: maps 'real'"):
        _preset(maps="real")


def test_missing_download_names_the_command(places) -> None:
    with pytest.raises(UserError) as err:
        maps.check_downloaded(maps.BODIES)
    text = str(err.value)
    assert "jupitershine textures download --source jupiter-cassini" in text and "\n" not in text
    assert maps.check_downloaded(["europa"]) == []  # no public map: nothing to check


@pytest.mark.parametrize("argv", [["still", "--maps", "downloaded", "--size", "64x36"],
                                  ["textures", "use", "downloaded"],
                                  ["render", "--preset", "i57", "--maps", "downloaded", "--frames", "0:1"]])
def test_missing_download_is_one_line_exit_2(places, capsys, argv) -> None:
    """``still``, ``render`` and ``textures use`` stop before any drawing with one line on stderr."""
    argv = [*argv, "--out", str(places / "x.png")] if argv[0] == "still" else argv
    if argv[0] == "render":
        argv += ["--out", str(places / "frames")]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "`jupitershine textures download" in err[0], err
    assert not (places / "x.png").exists() and not maps.setting_path().exists()


def test_textures_use_writes_and_reads_the_setting(places, capsys) -> None:
    assert main(["textures", "use"]) == 0
    assert "procedural (the default" in capsys.readouterr().out
    assert main(["textures", "use", "procedural"]) == 0
    assert maps.read_setting() == "procedural"
    assert main(["textures", "use"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("maps: procedural (set in ")


def test_status_line(places) -> None:
    """One line: the choice and what chose it, the downloaded files or the given ones, the rest
    procedural."""
    line = maps.status_line(maps.MapChoice("downloaded", "--maps"), {"io": "my_io.png"},
                            ["jupiter", "io", "europa"])
    assert line == ("maps: downloaded (by --maps): Jupiter jupiter-cassini (PIA07782.jpg); "
                    "Io my_io.png (given); Europa procedural (textures/)")
    assert maps.status_line(maps.MapChoice("procedural", "the default")).startswith(
        "maps: procedural (by the default): Jupiter, Io, Europa, Ganymede, Callisto procedural")
