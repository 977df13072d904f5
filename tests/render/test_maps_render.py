"""The downloaded maps as a first-class choice (viewer.maps): with stand-ins for the two public maps in the
download folder, ``still --maps downloaded`` draws them (other pixels than the procedural maps) and says
so in its first line; the setting written by ``textures use downloaded`` draws the same bytes without
naming any file; a preset's ``maps`` key wins over the setting."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from viewer import maps
from viewer.cli import main

pytestmark = pytest.mark.gl

VIEW = ["--time", "2023-12-30T08:36:00.836", "--camera", "orbit:io:10:200:9000", "--fov", "30",
        "--size", "160x90", "--hide", "stars,juno", "--exposure", "-1"]


@pytest.fixture
def downloads(tmp_path, monkeypatch):
    """Small stand-ins for the public maps (a banded Jupiter, a red-and-black Io checkerboard), in the
    download folder under the publishers' file names."""
    monkeypatch.setenv("JUPITERSHINE_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("JUPITERSHINE_CACHE", str(tmp_path / "cache"))
    rows = np.arange(128)[:, None, None] * np.ones((1, 256, 1))
    bands = np.where((rows // 8) % 2 == 0, [230, 220, 200], [150, 90, 50]).astype(np.uint8)
    checker = (np.indices((128, 256)).sum(axis=0) // 16 % 2)[..., None]
    red = np.where(checker, [200, 40, 20], [20, 20, 20]).astype(np.uint8)
    for body, pixels in (("jupiter", bands), ("io", red)):
        path = maps.download_path(body)
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels).save(path)
    return tmp_path


def _still(tmp_path, capsys, name: str, *extra: str) -> tuple[np.ndarray, str]:
    out = tmp_path / f"{name}.png"
    assert main(["still", *VIEW, *extra, "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    return np.asarray(Image.open(out)), err[0]


def test_maps_choice_is_honoured_and_said(downloads, capsys) -> None:
    procedural, line_p = _still(downloads, capsys, "procedural")
    downloaded, line_d = _still(downloads, capsys, "downloaded", "--maps", "downloaded")
    assert line_p.startswith("maps: procedural (by the default)")
    assert line_d.startswith("maps: downloaded (by --maps): Jupiter jupiter-cassini (PIA07782.jpg); "
                             "Io io-usgs (Io_GalileoSSI-Voyager_Global_Mosaic_ClrMerge_1km.tif)")
    lit = procedural.max(axis=2) > 20
    assert lit.mean() > 0.2
    assert np.abs(procedural.astype(int) - downloaded.astype(int))[lit].mean() > 10
    # Io's stand-in is red and black: its disc turns red
    assert downloaded[lit][:, 0].mean() > 2 * downloaded[lit][:, 1].mean()
    # the setting draws the same bytes without naming anything ...
    assert main(["textures", "use", "downloaded"]) == 0
    capsys.readouterr()
    by_setting, line_s = _still(downloads, capsys, "setting")
    assert line_s.startswith("maps: downloaded (by the setting in ")
    assert np.array_equal(by_setting, downloaded)
    # ... and a preset's maps key wins over the setting
    preset = downloads / "mine.toml"
    preset.write_text('name = "mine"\ntime = "2023-12-30T08:36:00.836"\ncamera = "look:juno:io"\n'
                      'maps = "procedural"\n', encoding="utf-8")
    by_preset, line_k = _still(downloads, capsys, "preset", "--preset", str(preset))
    assert line_k.startswith("maps: procedural (by preset mine)") and np.array_equal(by_preset, procedural)
