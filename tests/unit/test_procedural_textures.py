"""Procedural planet maps (viewer.procedural): convention helper, determinism, features where they
belong (sampled through the shared lat/lon → pixel helper), the committed files and the CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from viewer.cli import main
from viewer.paths import data_dir
from viewer.procedural.io_hotspots import IO_HOTSPOTS, decode_emission
from viewer.procedural.io_map import LOKI_LAT, LOKI_WLON, PELE_LAT, PELE_WLON
from viewer.procedural.jupiter_map import GRS_LAT_PC, GRS_WLON
from viewer.procedural.mapgrid import (
    graphic_to_centric,
    latlon_to_pixel,
    pixel_to_latlon,
    sample,
)
from viewer.procedural.textures import MAP_NAMES, generate_map, write_png_atomic

TEXTURES = data_dir("textures")
COMMITTED_SIZE = (1024, 2048)  # (height, width)


def _read(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im)


def _redness(rgb: np.ndarray) -> float:
    c = np.asarray(rgb, dtype=float)
    return float(c[..., 0].mean() - c[..., 2].mean())


def _luma(rgb: np.ndarray) -> float:
    c = np.asarray(rgb, dtype=float)
    return float((0.2126 * c[..., 0] + 0.7152 * c[..., 1] + 0.0722 * c[..., 2]).mean())


def _around(img: np.ndarray, lat: float, wlon: float, radius_deg: float, n: int = 16,
            skip: tuple[float, float] | None = None) -> np.ndarray:
    """Pixels on a small circle of angular radius ``radius_deg`` around (lat, wlon); azimuths
    (° from east, counter-clockwise) inside ``skip`` are left out."""
    out = []
    for az in np.linspace(0, 360, n, endpoint=False):
        if skip is not None and skip[0] <= az <= skip[1]:
            continue
        dlat = radius_deg * np.sin(np.deg2rad(az))
        dlon = radius_deg * np.cos(np.deg2rad(az)) / np.cos(np.deg2rad(lat + dlat))
        out.append(sample(img, lat + dlat, wlon - dlon))  # east = smaller west longitude
    return np.array(out)


# --- the map convention -----------------------------------------------------------------------------

def test_convention_corners_and_centre() -> None:
    shape = (128, 256)
    assert latlon_to_pixel(89.9, 359.9, shape) == (0, 0)  # top-left: +90°, 360° W
    assert latlon_to_pixel(-89.9, 0.1, shape) == (127, 255)  # bottom-right: −90°, 0° W
    assert latlon_to_pixel(0.1, 180.1, shape) == (63, 127)  # 180° W at the centre
    assert latlon_to_pixel(-0.1, 179.9, shape) == (64, 128)
    assert latlon_to_pixel(10.0, 370.0, shape) == latlon_to_pixel(10.0, 10.0, shape)


@pytest.mark.parametrize("row,col", [(0, 0), (5, 17), (63, 128), (127, 255)])
def test_convention_round_trip(row: int, col: int) -> None:
    shape = (128, 256)
    lat, wlon = pixel_to_latlon(row, col, shape)
    assert latlon_to_pixel(lat, wlon, shape) == (row, col)
    assert 0.0 <= wlon < 360.0


def test_planetographic_to_planetocentric() -> None:
    # tan φc = (b/a)² tan φg with Jupiter's 71,492 / 66,854 km
    assert graphic_to_centric(0.0) == 0.0
    assert graphic_to_centric(-22.4) == pytest.approx(-19.82, abs=0.02)
    assert graphic_to_centric(90.0) == pytest.approx(90.0)


# --- determinism ---------------------------------------------------------------------------------

def _png_bytes(pixels: np.ndarray, tmp_path: Path, name: str) -> bytes:
    path = tmp_path / f"{name}.png"
    write_png_atomic(path, pixels)
    return path.read_bytes()


@pytest.mark.parametrize("name", ["jupiter", "io", "europa"])
def test_same_seed_same_bytes_other_seed_differs(name: str, tmp_path: Path) -> None:
    a = _png_bytes(generate_map(name, 256, 128, seed=7), tmp_path, "a")
    b = _png_bytes(generate_map(name, 256, 128, seed=7), tmp_path, "b")
    c = _png_bytes(generate_map(name, 256, 128, seed=8), tmp_path, "c")
    assert a == b
    assert a != c


def test_written_png_round_trips_and_leaves_no_temp(tmp_path: Path) -> None:
    pixels = generate_map("io_hotspots", 512, 256)
    write_png_atomic(tmp_path / "io_hotspots.png", pixels)
    assert [p.name for p in tmp_path.iterdir()] == ["io_hotspots.png"]
    back = _read(tmp_path / "io_hotspots.png")
    assert back.dtype == np.uint16 and np.array_equal(back, pixels)


# --- features where they belong ---------------------------------------------------------------

@pytest.fixture(scope="module")
def jupiter_small() -> np.ndarray:
    return generate_map("jupiter", 512, 256, seed=11)


@pytest.fixture(scope="module")
def io_medium() -> np.ndarray:
    return generate_map("io", 1024, 512, seed=11)


def _check_grs(img: np.ndarray) -> None:
    grs = np.array([sample(img, GRS_LAT_PC + dy, GRS_WLON + dx)
                    for dy in (-1.0, 0.0, 1.0) for dx in (-1.5, 0.0, 1.5)])
    zone = np.array([sample(img, GRS_LAT_PC, GRS_WLON + 180.0 + dx) for dx in range(-40, 41, 5)])
    assert _redness(grs) > _redness(zone) + 25, (grs.mean(axis=0), zone.mean(axis=0))
    assert grs[:, 0].mean() > grs[:, 2].mean() + 50  # clearly red, not just darker


def _check_poles_bluer(img: np.ndarray) -> None:
    h = img.shape[0]
    rows = np.array([latlon_to_pixel(lat, 0.0, img.shape)[0] for lat in (75.0, -75.0)])
    eq = latlon_to_pixel(0.0, 0.0, img.shape)[0]
    def blue_ratio(r: int) -> float:
        band = img[max(r - 2, 0):min(r + 3, h)].astype(float)
        return float(band[..., 2].mean() / band[..., 0].mean())
    assert min(blue_ratio(r) for r in rows) > blue_ratio(eq) + 0.02


def _check_pele_loki(img: np.ndarray) -> None:
    # Pele's ring: between 390 and 540 km (E–W semi-axes; ×1.4 N–S) from the vent, on Io's
    # 1821.5 km radius ≈ 14.5° on average
    ring = _around(img, PELE_LAT, PELE_WLON, 14.0, n=24)
    plains = np.array([sample(img, lat, wl) for lat in (-30, -10, 0, 10, 30)
                       for wl in range(0, 360, 20)])
    assert _redness(ring) > _redness(plains) + 15, (ring.mean(axis=0), plains.mean(axis=0))
    assert _redness(ring) > 60
    # Loki: the dark annulus ~48–100 km from the centre (≈ 2.3° of arc), open to the north-east
    loki = _around(img, LOKI_LAT, LOKI_WLON, 2.3, n=16, skip=(10.0, 80.0))
    assert _luma(loki) < 0.6 * _luma(plains), (_luma(loki), _luma(plains))


def test_generated_jupiter_features(jupiter_small: np.ndarray) -> None:
    _check_grs(jupiter_small)
    _check_poles_bluer(jupiter_small)


def test_generated_io_features(io_medium: np.ndarray) -> None:
    _check_pele_loki(io_medium)


def test_hotspot_map_bright_at_loki_and_pele_zero_elsewhere() -> None:
    em = decode_emission(generate_map("io_hotspots", 1024, 512))
    assert sample(em, LOKI_LAT, LOKI_WLON) > 0
    assert sample(em, PELE_LAT, PELE_WLON) > 100 * sample(em, LOKI_LAT, LOKI_WLON)
    assert em.max() == pytest.approx(sample(em, PELE_LAT, PELE_WLON), rel=0.2)
    # every pixel centre more than 10° of arc from all hot spots holds exactly zero
    h, w = em.shape
    lat = np.deg2rad(90.0 - (np.arange(h) + 0.5) * 180.0 / h)[:, None]
    wlon = np.deg2rad(360.0 - (np.arange(w) + 0.5) * 360.0 / w)[None, :]
    near = np.zeros((h, w), dtype=bool)
    for s in IO_HOTSPOTS:
        la, lo = np.deg2rad(s.lat), np.deg2rad(s.wlon)
        cosd = np.sin(lat) * np.sin(la) + np.cos(lat) * np.cos(la) * np.cos(wlon - lo)
        near |= cosd > np.cos(np.deg2rad(10.0))
    assert (~near).mean() > 0.5
    assert np.all(em[~near] == 0.0)


# --- the committed maps ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", MAP_NAMES)
def test_committed_maps_exist_with_size_and_depth(name: str) -> None:
    path = TEXTURES / f"{name}.png"
    assert path.is_file(), f"{path} missing: run `jupitershine textures generate`"
    with Image.open(path) as im:
        assert im.format == "PNG"
        assert im.size == (COMMITTED_SIZE[1], COMMITTED_SIZE[0])
        if name == "io_hotspots":
            assert im.mode in ("I;16", "I;16B", "I")
            assert np.asarray(im).dtype == np.uint16 or np.asarray(im).max() > 255
        else:
            assert im.mode == "RGB"


def test_committed_maps_features() -> None:
    _check_grs(_read(TEXTURES / "jupiter.png"))
    _check_poles_bluer(_read(TEXTURES / "jupiter.png"))
    _check_pele_loki(_read(TEXTURES / "io.png"))
    em = decode_emission(_read(TEXTURES / "io_hotspots.png"))
    assert sample(em, LOKI_LAT, LOKI_WLON) > 0 and sample(em, PELE_LAT, PELE_WLON) > 0


# --- the command line -----------------------------------------------------------------------------

def test_cli_textures_generate_small(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "maps"
    rc = main(["textures", "generate", "--size", "256x128", "--out", str(out), "--quiet"])
    assert rc == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.png" for n in MAP_NAMES)
    for n in MAP_NAMES:
        arr = _read(out / f"{n}.png")
        assert arr.shape[:2] == (128, 256)
        assert arr.dtype == (np.uint16 if n == "io_hotspots" else np.uint8)
    assert "6 map(s) at 256x128" in capsys.readouterr().out
    # the parallel run wrote the same pixels as a direct single-process generation
    assert np.array_equal(_read(out / "io.png"), generate_map("io", 256, 128))


def test_cli_textures_generate_only_and_errors(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["textures", "generate", "--size", "64x32", "--only", "io,callisto",
               "--out", str(tmp_path), "-q", "--jobs", "1"])
    assert rc == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["callisto.png", "io.png"]
    assert main(["textures", "generate", "--size", "100x100", "--out", str(tmp_path)]) == 2
    assert main(["textures", "generate", "--only", "saturn", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "width = 2 × height" in err and "saturn" in err


def test_io_paterae_cluster_in_longitude(io_medium: np.ndarray) -> None:
    # volcanic centres concentrate near 155° and 335° W, ~90° from the mountains' maxima (Schenk et
    # al. 2001; Radebaugh et al. 2001): more dark (patera/flow) pixels at low latitudes there than
    # around 65° W (the 245° W band is left out: Pele, Pillan and Babbar, named, lie in it)
    w = io_medium.shape[1]
    rows = slice(*sorted(latlon_to_pixel(lat, 0.0, io_medium.shape)[0] for lat in (40.0, -40.0)))
    luma = io_medium[rows].astype(float) @ np.array([0.2126, 0.7152, 0.0722])
    dark = (luma < 0.65 * np.median(luma)).mean(axis=0)  # patera floors: darker than 0.65 of it
    wlon = (360.0 - (np.arange(w) + 0.5) * 360.0 / w)

    def band(centre: float) -> float:
        d = np.abs((wlon - centre + 180.0) % 360.0 - 180.0)
        return float(dark[d < 45.0].mean())

    assert band(155.0) > 1.3 * band(65.0)
    assert band(335.0) > 1.3 * band(65.0)
