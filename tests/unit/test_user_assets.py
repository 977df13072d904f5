"""Users' own maps and models: viewer.render.textures, viewer.render.meshes and `jupitershine assets`.

Synthetic maps carry a marker at a known (latitude, west longitude) drawn in a stated file convention;
after loading, the marker must sit where our convention (docs/assets.md "Our convention") puts that point. The
real maps and NASA models are read from ../shared/reference (never copied into the project).
"""

from __future__ import annotations

import json
import logging
import struct
import warnings
import zlib
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
import trimesh

from viewer.cli import build_parser, main
from viewer.cli.options import load_assets_from_args
from viewer.errors import UserError
from viewer.render.meshes import UP_ROTATIONS, load_model
from viewer.render.textures import column_west_longitude_deg, load_map, pixel_of, srgb_to_linear

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"
IO_MAP = REFERENCE / "textures" / "io_usgs_galileo_voyager_color_180W.jpg"
JUPITER_MAP = REFERENCE / "textures" / "jupiter_solarsystemscope_4k.jpg"
MODELS = REFERENCE / "models"

needs_reference = pytest.mark.skipif(
    not REFERENCE.is_dir(), reason="../shared/reference (real maps and NASA models) is not present")

W, H = 360, 180  # one pixel per degree
MARK_LAT, MARK_LON_W = 20.0, 100.0  # the marker's centre: planetocentric latitude, west longitude
BLOCK = 6  # marker size, pixels


def _west_left(lon_left: float, direction: str) -> float:
    return lon_left if direction == "west" else -lon_left


def _marked_map(lon_left: float, direction: str, dtype: type = np.uint8,
                channels: int = 3) -> np.ndarray:
    """A W×H map, zero but for a BLOCK×BLOCK marker at (MARK_LAT, MARK_LON_W) in the file convention."""
    top = 255 if dtype == np.uint8 else 65535
    img = np.zeros((H, W, channels), dtype=dtype)
    u = ((_west_left(lon_left, direction) - MARK_LON_W) / 360.0) % 1.0  # fraction from the left edge
    col0 = round(u * W) - BLOCK // 2
    row0 = round((90.0 - MARK_LAT) / 180.0 * H) - BLOCK // 2
    cols = np.arange(col0, col0 + BLOCK) % W
    img[row0:row0 + BLOCK, cols, 0] = top
    if channels == 4:
        img[..., 3] = top
    return img[..., 0] if channels == 1 else img


def _marker_centre(data: np.ndarray) -> tuple[float, float]:
    """(latitude, west longitude) of the centroid of the bright marker in a map in our convention."""
    rows, cols = np.nonzero(data[..., 0] > 0.5)
    assert rows.size, "marker not found"
    h, w = data.shape[:2]
    lat = 90.0 - (rows.mean() + 0.5) * 180.0 / h
    # circular mean of the columns' west longitudes
    lon = column_west_longitude_deg(w)[cols]
    ang = np.deg2rad(lon)
    lon_w = np.rad2deg(np.arctan2(np.sin(ang).mean(), np.cos(ang).mean())) % 360.0
    return float(lat), float(lon_w)


def _imwrite(path: Path, img: np.ndarray, **kwargs: object) -> None:
    """Write with Pillow; 16-bit colour TIFFs (which Pillow cannot write) with imageio's tifffile."""
    if path.suffix in (".tif", ".tiff") and img.dtype == np.uint16 and img.ndim == 3:
        with warnings.catch_warnings():  # imageio's bundled tifffile: "deprecated, install tifffile"
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"imageio(\.|$)")
            iio.imwrite(path, img, extension=".tif")
    else:
        iio.imwrite(path, img, plugin="pillow", **kwargs)


def _lon_diff(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


CONVENTIONS = [(360.0, "west"), (0.0, "west"), (180.0, "west"), (270.0, "west"), (-90.0, "west"),
               (-180.0, "east"), (0.0, "east"), (90.0, "east"), (37.0, "east")]


# --- maps: conventions ---------------------------------------------------------------------------

def test_our_convention_pixel_geometry():
    lon = column_west_longitude_deg(4)
    np.testing.assert_allclose(lon, [315.0, 225.0, 135.0, 45.0])  # left edge 360° W, right 0° W
    assert pixel_of(90.0, 359.9, 360, 180) == (0, 0)
    assert pixel_of(-89.9, 0.1, 360, 180) == (179, 359)
    assert pixel_of(0.0, 180.0, 360, 180)[1] in (179, 180)


@pytest.mark.parametrize(("lon_left", "direction"), CONVENTIONS)
def test_marker_lands_in_our_convention_png8(tmp_path, lon_left, direction):
    path = tmp_path / "map.png"
    _imwrite(path, _marked_map(lon_left, direction))
    m = load_map(path, lon_left_deg=lon_left, lon_direction=direction)
    assert (m.width, m.height, m.channels, m.bit_depth) == (W, H, 3, 8)
    lat, lon_w = _marker_centre(m.data)
    assert lat == pytest.approx(MARK_LAT, abs=0.01)
    assert _lon_diff(lon_w, MARK_LON_W) < 0.01
    assert m.sample(MARK_LAT, MARK_LON_W)[0] == 1.0


def test_default_convention_is_ours_and_untouched(tmp_path):
    img = _marked_map(360.0, "west")
    _imwrite(tmp_path / "ours.png", img)
    m = load_map(tmp_path / "ours.png")
    assert m.shift_px == 0.0
    np.testing.assert_array_equal(m.data, img.astype(np.float32) / 255.0)


def test_east_and_west_statements_of_one_map_agree(tmp_path):
    """0° at the centre with east longitudes −180…180 is the same map as 180° W at the left edge."""
    _imwrite(tmp_path / "m.png", _marked_map(-180.0, "east"))
    a = load_map(tmp_path / "m.png", lon_left_deg=-180.0, lon_direction="east")
    b = load_map(tmp_path / "m.png", lon_left_deg=180.0, lon_direction="west")
    np.testing.assert_array_equal(a.data, b.data)
    assert a.shift_px == W / 2


def test_fractional_shift_blends_two_columns(tmp_path):
    img = np.zeros((H, W), dtype=np.uint8)
    img[:, 10] = 255
    _imwrite(tmp_path / "line.png", img)
    m = load_map(tmp_path / "line.png", lon_left_deg=360.0 - 0.5, lon_direction="west")
    # the file's left edge is 359.5° W: its column 10 (centre 349° W) straddles our columns 10 and 11
    assert m.shift_px == pytest.approx(W - 0.5)
    np.testing.assert_allclose(m.data[0, 10:12, 0], [0.5, 0.5])
    assert m.data[0].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(("suffix", "dtype", "channels"), [
    (".png", np.uint8, 1), (".png", np.uint8, 4), (".png", np.uint16, 1),
    (".tif", np.uint8, 3), (".tif", np.uint16, 3), (".tif", np.uint16, 1), (".tiff", np.uint8, 1),
])
@pytest.mark.parametrize(("lon_left", "direction"), [(180.0, "west"), (-90.0, "east")])
def test_formats_and_bit_depths(tmp_path, suffix, dtype, channels, lon_left, direction):
    path = tmp_path / f"map{suffix}"
    _imwrite(path, _marked_map(lon_left, direction, dtype, channels))
    m = load_map(path, lon_left_deg=lon_left, lon_direction=direction)
    bits = 8 if dtype == np.uint8 else 16
    assert (m.bit_depth, m.source_bit_depth, m.channels) == (bits, bits, channels)
    assert m.data.dtype == np.float32 and m.data.max() == 1.0
    lat, lon_w = _marker_centre(m.data)
    assert lat == pytest.approx(MARK_LAT, abs=0.01)
    assert _lon_diff(lon_w, MARK_LON_W) < 0.01


def test_sixteen_bit_values_keep_their_precision(tmp_path):
    img = np.tile(np.arange(W, dtype=np.uint16) * 181, (H, 1))  # steps of 181/65535 < 1/255
    _imwrite(tmp_path / "ramp.tif", img)
    m = load_map(tmp_path / "ramp.tif")
    np.testing.assert_allclose(m.data[0, :, 0], img[0] / 65535.0, atol=1e-7)


@pytest.mark.parametrize(("lon_left", "direction"), [(360.0, "west"), (90.0, "east")])
def test_jpeg(tmp_path, lon_left, direction):
    path = tmp_path / "map.jpg"
    _imwrite(path, _marked_map(lon_left, direction), quality=95)
    m = load_map(path, lon_left_deg=lon_left, lon_direction=direction)
    assert m.bit_depth == 8
    lat, lon_w = _marker_centre(m.data)
    assert lat == pytest.approx(MARK_LAT, abs=0.5)  # JPEG ringing moves the centroid a little
    assert _lon_diff(lon_w, MARK_LON_W) < 0.5


def _png48(path: Path, rgb16: np.ndarray) -> None:
    """A 16-bit RGB PNG, written by hand: Pillow (our only image writer) cannot write one."""
    h, w, _ = rgb16.shape
    raw = b"".join(b"\x00" + rgb16[y].astype(">u2").tobytes() for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_sixteen_bit_colour_png_is_read_at_eight_bits_and_says_so(tmp_path, caplog):
    _png48(tmp_path / "rgb48.png", _marked_map(180.0, "west", np.uint16))
    with caplog.at_level(logging.WARNING, logger="viewer.render.textures"):
        m = load_map(tmp_path / "rgb48.png", lon_left_deg=180.0)
    assert (m.bit_depth, m.source_bit_depth) == (8, 16)
    assert "16-bit colour PNG" in caplog.text and "TIFF" in caplog.text
    lat, lon_w = _marker_centre(m.data)
    assert lat == pytest.approx(MARK_LAT, abs=0.01)
    assert _lon_diff(lon_w, MARK_LON_W) < 0.01


# --- maps: downsampling --------------------------------------------------------------------------

def test_downsampled_to_an_injected_limit_with_one_message(tmp_path, caplog):
    img = np.zeros((400, 800, 3), dtype=np.uint8)
    img[100:120, 400:440, 0] = 255  # a 20×40 marker: 5×10 pixels after a 4× reduction
    _imwrite(tmp_path / "big.png", img)
    with caplog.at_level(logging.WARNING, logger="viewer.render.textures"):
        m = load_map(tmp_path / "big.png", max_size=200)
    assert (m.width, m.height) == (200, 100)
    assert m.downsampled_from == (800, 400)
    assert m.data.min() >= 0.0 and m.data.max() <= 1.0
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1 and "\n" not in messages[0]
    assert "800×400" in messages[0] and "200×100" in messages[0] and "big.png" in messages[0]
    assert m.data[27, 105, 0] > 0.9 and m.data[27, 90, 0] < 0.1


def test_no_downsampling_at_or_below_the_limit(tmp_path, caplog):
    _imwrite(tmp_path / "m.png", np.zeros((100, 200), dtype=np.uint8))
    with caplog.at_level(logging.WARNING):
        m = load_map(tmp_path / "m.png", max_size=200)
    assert m.downsampled_from is None and (m.width, m.height) == (200, 100)
    assert not caplog.records


# --- maps: bad input -----------------------------------------------------------------------------

def _one_line(exc: pytest.ExceptionInfo[UserError], *words: str) -> None:
    text = str(exc.value)
    assert "\n" not in text
    for w in words:
        assert w in text


def test_missing_map(tmp_path):
    with pytest.raises(UserError) as exc:
        load_map(tmp_path / "nope.png")
    _one_line(exc, "nope.png", "no such file")


def test_corrupt_map(tmp_path):
    (tmp_path / "junk.png").write_bytes(b"this is not a PNG at all" * 10)
    with pytest.raises(UserError) as exc:
        load_map(tmp_path / "junk.png")
    _one_line(exc, "junk.png", "corrupt")


def test_truncated_map(tmp_path):
    _imwrite(tmp_path / "full.png", np.random.default_rng(1).integers(0, 255, (100, 200, 3),
                                                                           dtype=np.uint8))
    data = (tmp_path / "full.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError) as exc:
        load_map(tmp_path / "cut.png")
    _one_line(exc, "cut.png")


@pytest.mark.parametrize("shape", [(100, 100), (100, 300), (120, 200)])
def test_wrong_aspect(tmp_path, shape):
    _imwrite(tmp_path / "sq.png", np.zeros(shape, dtype=np.uint8))
    with pytest.raises(UserError) as exc:
        load_map(tmp_path / "sq.png")
    _one_line(exc, "sq.png", "2:1", f"{shape[1]}×{shape[0]}")


def test_near_two_to_one_is_accepted(tmp_path):
    _imwrite(tmp_path / "m.png", np.zeros((1024, 2049), dtype=np.uint8))
    assert load_map(tmp_path / "m.png").width == 2049


def test_unsupported_format_and_directory(tmp_path):
    (tmp_path / "m.bmp").write_bytes(b"BM")
    with pytest.raises(UserError) as exc:
        load_map(tmp_path / "m.bmp")
    _one_line(exc, "m.bmp", "PNG, JPEG or TIFF")
    with pytest.raises(UserError, match="directory"):
        load_map(tmp_path)


def test_bad_convention(tmp_path):
    _imwrite(tmp_path / "m.png", np.zeros((10, 20), dtype=np.uint8))
    with pytest.raises(UserError, match="west' or 'east"):
        load_map(tmp_path / "m.png", lon_direction="north")  # type: ignore[arg-type]
    with pytest.raises(UserError, match="finite"):
        load_map(tmp_path / "m.png", lon_left_deg=float("nan"))


def test_srgb_to_linear():
    np.testing.assert_allclose(srgb_to_linear([0.0, 0.04045, 0.5, 1.0]),
                               [0.0, 0.04045 / 12.92, 0.21404, 1.0], atol=1e-5)


# --- models --------------------------------------------------------------------------------------

@pytest.mark.parametrize("axis", list(UP_ROTATIONS))
def test_up_rotations_are_proper_and_carry_the_axis_to_plus_z(axis):
    r = UP_ROTATIONS[axis]
    v = np.zeros(3)
    v["xyz".index(axis[-1])] = -1.0 if axis.startswith("-") else 1.0
    np.testing.assert_allclose(r @ v, [0.0, 0.0, 1.0], atol=1e-15)
    np.testing.assert_allclose(r @ r.T, np.eye(3), atol=1e-15)
    assert np.linalg.det(r) == pytest.approx(1.0)


@needs_reference
@pytest.mark.parametrize(("name", "meshes", "triangles"), [("voyager", 16, 29911), ("tess", 14, 18314)])
def test_nasa_draco_models_have_real_geometry(name, meshes, triangles):
    """NASA's Draco-compressed glb files (counts from ../shared/reference/models/README.md)."""
    m = load_model(MODELS / f"{name}.glb")
    assert m.draco and m.file_units == "metres (glTF)"
    assert len(m.parts) == meshes and not m.dropped_parts
    assert m.triangle_count + m.degenerate_triangles == triangles
    assert m.degenerate_triangles < 0.005 * triangles
    assert np.all(m.extents > 0.05 * m.span_m)  # a 3-D object, not a flat or collapsed one
    total_area = 0.0
    for p in m.parts:
        assert p.positions.dtype == np.float32 and p.indices.dtype == np.uint32
        assert np.any(p.positions != 0.0), f"{p.name}: all-zero placeholder positions"
        a, b, c = (p.positions[p.indices[:, k]].astype(np.float64) for k in range(3))
        area = 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1)
        assert area.min() > 0.0
        total_area += area.sum()
        assert len(np.unique(p.positions.round(6), axis=0)) >= 3
        np.testing.assert_allclose(np.linalg.norm(p.normals, axis=1), 1.0, atol=1e-3)
        assert p.base_color.shape == (4,) and 0.0 <= p.base_color.min() <= p.base_color.max() <= 1.0
    assert total_area > 0.1 * m.span_m**2  # real surfaces, not slivers


@needs_reference
def test_nasa_model_size_and_up():
    plain = load_model(MODELS / "voyager.glb")
    m = load_model(MODELS / "voyager.glb", size_m=12.5, up_axis="y")
    assert m.span_m == pytest.approx(12.5, rel=1e-5)
    assert m.scale == pytest.approx(12.5 / plain.span_m, rel=1e-5)
    # +Y of the file is +Z now: the file's Y extent became the Z extent
    assert m.extents[2] == pytest.approx(plain.extents[1] * m.scale, rel=1e-5)
    assert m.extents[1] == pytest.approx(plain.extents[2] * m.scale, rel=1e-5)


def _box_obj(folder: Path) -> Path:
    box = trimesh.creation.box(extents=(2.0, 4.0, 8.0))
    box.apply_translation((5.0, 0.0, 0.0))
    box.visual = trimesh.visual.TextureVisuals(
        material=trimesh.visual.material.SimpleMaterial(diffuse=[200, 50, 25, 255], name="hull"))
    path = folder / "box.obj"
    box.export(path)
    assert any(folder.glob("*.mtl"))
    return path


def test_obj_with_mtl(tmp_path):
    m = load_model(_box_obj(tmp_path))
    assert m.file_units == "unknown" and not m.draco
    np.testing.assert_allclose(m.extents, [2.0, 4.0, 8.0], atol=1e-6)
    assert m.triangle_count == 12
    (part,) = m.parts
    assert part.material == "hull"
    np.testing.assert_allclose(part.base_color, [200 / 255, 50 / 255, 25 / 255, 1.0], atol=1e-6)


def test_obj_size_and_up(tmp_path):
    m = load_model(_box_obj(tmp_path), size_m=16.0, up_axis="x")
    # x → +z: the box's offset along +X is now along +Z; extents (2, 4, 8) → (8, 4, 2); ×2 to span 16
    np.testing.assert_allclose(m.extents, [16.0, 8.0, 4.0], atol=1e-5)
    centre = m.bounds.mean(axis=0)
    np.testing.assert_allclose(centre, [0.0, 0.0, 10.0], atol=1e-5)


@pytest.mark.parametrize(("up", "centre"), [("z", (5, 0, 0)), ("-x", (0, 0, -5)), ("y", (5, 0, 0)),
                                             ("-y", (5, 0, 0)), ("-z", (5, 0, 0))])
def test_stl_up_axes(tmp_path, up, centre):
    box = trimesh.creation.box(extents=(1.0, 2.0, 3.0))
    box.apply_translation((5.0, 0.0, 0.0))
    box.export(tmp_path / "b.stl")
    m = load_model(tmp_path / "b.stl", up_axis=up)
    np.testing.assert_allclose(m.bounds.mean(axis=0), centre, atol=1e-6)
    file_axis = "xyz".index(up[-1])
    assert m.extents[2] == pytest.approx([1.0, 2.0, 3.0][file_axis])
    assert m.span_m == pytest.approx(3.0)


def _write_mesh(path: Path, vertices: list[list[float]], faces: list[list[int]]) -> Path:
    trimesh.Trimesh(vertices=vertices, faces=faces, process=False).export(path)
    return path


@pytest.mark.parametrize("name", ["zero.glb", "zero.stl", "zero.obj"])
def test_all_zero_positions_are_an_error(tmp_path, name):
    path = _write_mesh(tmp_path / name, [[0, 0, 0]] * 3, [[0, 1, 2]])
    with pytest.raises(UserError) as exc:
        load_model(path)
    _one_line(exc, name, "no usable geometry")


def test_degenerate_triangles_only_is_an_error(tmp_path):
    path = _write_mesh(tmp_path / "line.stl", [[0, 0, 0], [1, 0, 0], [2, 0, 0]], [[0, 1, 2]])
    with pytest.raises(UserError, match="no usable geometry"):
        load_model(path)


def test_points_only_and_empty_files_are_errors(tmp_path):
    (tmp_path / "pts.obj").write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\n")
    with pytest.raises(UserError, match="no triangle meshes"):
        load_model(tmp_path / "pts.obj")
    (tmp_path / "empty.glb").write_bytes(b"")
    with pytest.raises(UserError, match="empty"):
        load_model(tmp_path / "empty.glb")


def test_corrupt_missing_and_unsupported_models(tmp_path):
    (tmp_path / "junk.glb").write_bytes(b"glTF" + b"\x00" * 40)
    with pytest.raises(UserError) as exc:
        load_model(tmp_path / "junk.glb")
    _one_line(exc, "junk.glb")
    with pytest.raises(UserError, match="no such file"):
        load_model(tmp_path / "nope.glb")
    (tmp_path / "m.fbx").write_bytes(b"x")
    with pytest.raises(UserError, match="glTF/GLB, OBJ or STL"):
        load_model(tmp_path / "m.fbx")


def test_bad_size_and_axis(tmp_path):
    path = _box_obj(tmp_path)
    with pytest.raises(UserError, match="positive"):
        load_model(path, size_m=-1.0)
    with pytest.raises(UserError, match="up axis"):
        load_model(path, up_axis="w")


# --- CLI: jupitershine assets --------------------------------------------------------------------

def _assets_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["assets", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


@needs_reference
def test_cli_real_io_map_in_its_stated_convention(capsys):
    """The USGS mosaic '..._180W.jpg' is in our convention: Pele's red ring and Loki's dark patera."""
    report = _assets_json(capsys, "--io-map", str(IO_MAP))
    io = report["io_map"]
    assert (io["width"], io["height"], io["bit_depth"], io["shift_px"]) == (5700, 2850, 8, 0)
    args = build_parser().parse_args(["assets", "--io-map", str(IO_MAP)])
    m = load_assets_from_args(args, 16384)["io_map"]["asset"]

    def box(lat: float, lon_w: float, half: float = 1.5) -> np.ndarray:
        r0, c0 = pixel_of(lat + half, lon_w + half, m.width, m.height)
        r1, c1 = pixel_of(lat - half, lon_w - half, m.width, m.height)
        return m.data[r0:r1 + 1, c0:c1 + 1].reshape(-1, 3).mean(axis=0)

    mean = m.data.reshape(-1, 3).mean(axis=0)
    # Pele's ring (18.7° S, 255.3° W) is ~600 km (~19° of Io) in radius: redder than Io on average
    ring = np.mean([box(-18.7 + 16 * np.sin(a), 255.3 + 16 * np.cos(a) / np.cos(np.radians(18.7)))
                    for a in np.linspace(0, 2 * np.pi, 12, endpoint=False)], axis=0)
    assert ring[0] - ring[2] > (mean[0] - mean[2]) + 0.1
    # Loki Patera (~13° N, 309° W), a ~200 km dark horseshoe: the darkest tenth of a 6° box around it
    # is well below Io's mean, and below the same box at the mirrored or half-turned longitude

    def darkest_tenth(lat: float, lon_w: float) -> float:
        r0, c0 = pixel_of(lat + 3, lon_w + 3, m.width, m.height)
        r1, c1 = pixel_of(lat - 3, lon_w - 3, m.width, m.height)
        return float(np.percentile(m.data[r0:r1, c0:c1].mean(axis=2), 10))

    loki = darkest_tenth(13.0, 309.0)
    assert loki < 0.65 * mean.mean()
    assert loki < 0.7 * min(darkest_tenth(13.0, 51.0), darkest_tenth(13.0, 129.0))
    # the mirror-image reading would put neither there
    assert box(-18.7, 360 - 255.3).mean() > 0.5 * mean.mean()


@needs_reference
def test_cli_real_jupiter_map_with_a_stated_left_edge(capsys):
    """The Solar System Scope map, read with its left edge at 180° W: the Great Red Spot lands where
    that statement puts it (the README asks to place it by the GRS; its longitude drifts)."""
    from scipy.ndimage import uniform_filter

    def grs(data: np.ndarray) -> tuple[float, float]:
        h, w = data.shape[:2]
        r0, r1 = int((90 + 12) / 180 * h), int((90 + 28) / 180 * h)
        red = uniform_filter(data[r0:r1, :, 0] - data[r0:r1, :, 2], size=(h // 30, w // 60),
                             mode="wrap")
        i, j = np.unravel_index(np.argmax(red), red.shape)
        return 90 - (r0 + i + 0.5) * 180 / h, (j + 0.5) / w  # latitude, fraction from left edge

    raw = iio.imread(JUPITER_MAP).astype(np.float32) / 255.0
    lat_raw, u_raw = grs(raw)
    assert -25.0 < lat_raw < -17.0  # the GRS in the south equatorial belt's southern edge

    report = _assets_json(capsys, "--jupiter-map", str(JUPITER_MAP), "--map-lon-left", "180",
                          "--map-lon-direction", "west")
    jup = report["jupiter_map"]
    assert (jup["width"], jup["height"], jup["shift_deg"]) == (4096, 2048, 180.0)
    args = build_parser().parse_args(["assets", "--jupiter-map", str(JUPITER_MAP),
                                      "--map-lon-left", "180", "--map-lon-direction", "west"])
    m = load_assets_from_args(args, 16384)["jupiter_map"]["asset"]
    lat, u = grs(m.data)
    expected_lon_w = (180.0 - 360.0 * u_raw) % 360.0
    assert lat == pytest.approx(lat_raw, abs=0.1)
    assert _lon_diff(360.0 - 360.0 * u, expected_lon_w) < 0.2
    assert m.sample(lat, expected_lon_w)[0] > m.sample(lat, expected_lon_w)[2] + 0.15  # reddish


@needs_reference
def test_cli_reports_model_and_downsampling(capsys):
    report = _assets_json(capsys, "--io-map", str(IO_MAP), "--max-texture-size", "2048",
                          "--spacecraft-model", str(MODELS / "tess.glb"), "--spacecraft-size", "3.7",
                          "--spacecraft-up=-y")
    assert report["io_map"]["downsampled_from"] == [5700, 2850]
    assert (report["io_map"]["width"], report["io_map"]["height"]) == (2048, 1024)
    sc = report["spacecraft"]
    assert sc["draco"] and sc["up_axis"] == "-y" and sc["span_m"] == pytest.approx(3.7, rel=1e-5)
    assert len(sc["parts"]) == 14 and sc["triangles"] > 18000
    assert main(["assets", "--spacecraft-model", str(MODELS / "tess.glb")]) == 0
    out = capsys.readouterr().out
    assert "tess.glb" in out and "span 37.100 m" in out and "Draco" in out


def test_cli_text_for_a_user_map(tmp_path, capsys):
    _imwrite(tmp_path / "m.png", _marked_map(-180.0, "east"))
    assert main(["assets", "--io-map", str(tmp_path / "m.png"), "--map-lon-left", "-180",
                 "--map-lon-direction", "east"]) == 0
    out = capsys.readouterr().out
    assert "360×180" in out and "rolled 180 px (180.00°)" in out and "8-bit" in out


def _error_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    return err


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "junk.png").write_bytes(b"junk")
    err = _error_line(capsys, ["assets", "--jupiter-map", str(tmp_path / "junk.png")])
    assert err.startswith("jupitershine: error:") and "junk.png" in err
    err = _error_line(capsys, ["assets", "--io-map", str(tmp_path / "missing.tif")])
    assert "missing.tif" in err and "no such file" in err
    _imwrite(tmp_path / "sq.png", np.zeros((64, 64), dtype=np.uint8))
    assert "2:1" in _error_line(capsys, ["assets", "--io-map", str(tmp_path / "sq.png")])
    assert "give the map" in _error_line(capsys, ["assets", "--map-lon-left", "180"])
    assert "give the model" in _error_line(capsys, ["assets", "--spacecraft-size", "3"])
    _box_obj(tmp_path)
    assert "positive" in _error_line(capsys, ["assets", "--spacecraft-model",
                                              str(tmp_path / "box.obj"), "--spacecraft-size", "0"])
    (tmp_path / "empty.stl").write_bytes(b"")
    assert "empty" in _error_line(capsys, ["assets", "--spacecraft-model", str(tmp_path / "empty.stl")])


@pytest.mark.parametrize("argv", [
    ["assets", "--map-lon-direction", "north"],
    ["assets", "--map-lon-left", "ten"],
    ["assets", "--spacecraft-up", "w"],
    ["assets", "--spacecraft-size", "big"],
])
def test_cli_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_loaders_import_without_opengl_or_vispy():
    """textures.py and meshes.py are GL-free: the CLI and these tests run without a GPU stack."""
    import subprocess
    import sys

    code = ("import sys; sys.modules['OpenGL'] = None; sys.modules['vispy'] = None; "
            "import viewer.render.textures, viewer.render.meshes, viewer.downloads")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def _multi_primitive_glb(path: Path) -> None:
    """A GLB whose one node holds one mesh of two primitives (trimesh makes up a random frame name for
    each primitive)."""
    scene = trimesh.Scene()
    scene.add_geometry(trimesh.creation.box((1.0, 2.0, 3.0)), geom_name="box")
    scene.add_geometry(trimesh.creation.icosphere(radius=0.5), geom_name="ball")
    data = scene.export(file_type="glb")
    json_len = struct.unpack("<I", data[12:16])[0]
    doc = json.loads(data[20:20 + json_len])
    doc["meshes"] = [{"name": "probe", "primitives": [p for m in doc["meshes"] for p in m["primitives"]]}]
    doc["nodes"] = [{"name": "body", "mesh": 0}]
    doc["scenes"] = [{"nodes": [0]}]
    body = json.dumps(doc).encode()
    body += b" " * (-len(body) % 4)
    rest = data[20 + json_len:]
    chunk = struct.pack("<II", len(body), 0x4E4F534A) + body + rest
    path.write_bytes(struct.pack("<III", 0x46546C67, 2, 12 + len(chunk)) + chunk)


def test_part_names_are_the_same_on_every_load(tmp_path, capsys):
    path = tmp_path / "multi.glb"
    _multi_primitive_glb(path)
    names = [[p.name for p in load_model(path).parts] for _ in range(3)]
    assert names[0] == names[1] == names[2]
    assert sorted(names[0]) == ["body/probe", "body/probe_1"]
    reports = [_assets_json(capsys, "--spacecraft-model", str(path))["spacecraft"]["parts"] for _ in range(2)]
    assert reports[0] == reports[1] == names[0]


def test_tip_to_tip_is_the_widest_distance_across_the_axis():
    from viewer.render.meshes import tip_to_tip

    square = np.array([[0, 0, 0], [3, 0, 5], [3, 4, -2], [0, 4, 1], [1, 1, 9]], float)
    assert tip_to_tip(square) == pytest.approx(5.0)  # the diagonal, whatever z
    rod = np.array([[0, 0, 0], [0, 0, 7], [1, 1, 3], [2, 2, 1]], float)  # all on one line in XY
    assert tip_to_tip(rod) == pytest.approx(2 * np.sqrt(2))
