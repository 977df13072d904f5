"""viewer.compare: the limb of a synthetic Io-like disc, the similarity between two drawings of it, the
pictures written, and bad images refused in one line."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from io_disc import check_points, io_disc, true_map

from viewer.compare import NoLimb, compare, find_limb, load_image, rotation_between, write_outputs
from viewer.errors import UserError

OURS_CENTER, OURS_RADIUS = (160.0, 120.0), 60.0


@pytest.fixture(scope="module")
def ours() -> np.ndarray:
    return io_disc(center=OURS_CENTER, radius=OURS_RADIUS)


@pytest.mark.parametrize("phase", [0.0, 40.0, 90.0, 130.0])
def test_limb_of_a_synthetic_disc(phase) -> None:
    """Full, gibbous, half and crescent discs: the fitted limb is the disc's outline (within 0.6 px at
    the centre and 1.5 % in radius: the Lambert limb of the synthetic disc darkens to nothing toward the
    terminator, which pulls the steepest drop inward there), and no point lies on the terminator."""
    center, radius = (150.3, 118.7), 61.2
    limb = find_limb(io_disc(center=center, radius=radius, phase_deg=phase))
    assert math.dist(limb.center, center) < 0.6
    assert limb.radius == pytest.approx(radius, rel=0.015)
    dist = np.hypot(limb.points[:, 0] - center[0], limb.points[:, 1] - center[1])
    assert np.abs(dist - radius).max() < 1.5  # the terminator runs up to a radius inside
    assert limb.arc_deg > 120.0 and limb.rms_px < 0.2


def test_terminator_is_rejected() -> None:
    """At 90° phase with a black night side the terminator is a straight edge through the centre, as long
    as a radius and as dark beyond as the sky; none of its points is taken for the limb."""
    limb = find_limb(io_disc(center=OURS_CENTER, radius=OURS_RADIUS, phase_deg=90.0, sun_azimuth_deg=180.0))
    dist = np.hypot(limb.points[:, 0] - OURS_CENTER[0], limb.points[:, 1] - OURS_CENTER[1])
    assert dist.min() > OURS_RADIUS - 1.5
    assert limb.rejected > 100  # the terminator rays were there to reject
    assert np.all(limb.points[:, 0] < OURS_CENTER[0] + 5.0)  # all on the lit (left) half


@pytest.mark.parametrize(("center", "radius", "turn"), [
    ((180.0, 100.0), 60.0, 7.0),      # shift (+20, −20) px, turn 7°
    ((130.5, 135.2), 54.0, -7.0),     # scale 1.11 (THEIRS 0.9×), shift (−29.5, +15.2)
    ((175.0, 108.0), 66.0, 30.0),     # scale 0.91 (THEIRS 1.1×)
    ((140.0, 128.0), 63.0, 172.0),    # nearly upside down
])
def test_compare_recovers_the_similarity(ours, center, radius, turn) -> None:
    """THEIRS is the same scene drawn shifted, scaled and turned (no resampling): the fitted transform
    puts THEIRS' limb and disc within 0.5 px of where they belong in OURS (measured: ≤ 0.14 px)."""
    theirs = io_disc(center=center, radius=radius, turn_deg=turn)
    result = compare(ours, theirs)
    pts = check_points(center, radius)
    err = np.hypot(*(result.transform(pts) - true_map(OURS_CENTER, OURS_RADIUS, center, radius, turn, pts)).T)
    assert err.max() < 0.5, err.max()
    assert result.scale == pytest.approx(OURS_RADIUS / radius, rel=3e-3)
    # THEIRS is turned `turn` counter-clockwise: compare turns it back
    assert result.rotation_deg == pytest.approx(-turn, abs=0.1)
    assert result.rotation_peak > 0.95
    assert result.residual_px < 0.3 and abs(result.residual_radius_px) < 0.3
    assert result.offset_px == pytest.approx((OURS_CENTER[0] - center[0], OURS_CENTER[1] - center[1]),
                                             abs=0.7)


def test_compare_noisy_8_bit_grey_against_colour(ours) -> None:
    """A JunoCam-like THEIRS: grey, sky noise, 8-bit steps, a dim night side; still within 0.5 px."""
    center, radius, turn = (150.0, 130.0), 57.0, -12.0
    theirs = io_disc(center=center, radius=radius, turn_deg=turn, night=0.05, rgb=False)
    rng = np.random.default_rng(1)
    theirs = np.round(np.clip(theirs + rng.normal(0.0, 0.01, theirs.shape), 0, 1) * 255) / 255
    result = compare(ours, theirs.astype(np.float32))
    pts = check_points(center, radius)
    err = np.hypot(*(result.transform(pts) - true_map(OURS_CENTER, OURS_RADIUS, center, radius, turn, pts)).T)
    assert err.max() < 0.5, err.max()


def test_rotation_needs_structure() -> None:
    """A uniform disc lit face-on looks the same at every turn: no rotation is claimed (peak 0)."""
    disc = io_disc(phase_deg=0.0, spots=False)
    limb = find_limb(disc)
    gray = disc.mean(axis=2).astype(np.float64)
    assert rotation_between(gray, limb, gray, limb) == (0.0, 0.0)


@pytest.mark.parametrize(("image", "needle"), [
    (np.zeros((120, 160), np.float32), "no disc brighter than the sky"),
    (np.full((120, 160), 0.5, np.float32), "no disc brighter than the sky"),
    # the disc fills the frame: no sky, or only a terminator with a black night side beyond it
    (io_disc(shape=(120, 160), center=(80.0, 60.0), radius=300.0, phase_deg=0.0), "no black sky"),
    (io_disc(shape=(120, 160), center=(80.0, 60.0), radius=300.0, phase_deg=100.0), "spans only"),
    (io_disc(shape=(120, 160), center=(80.0, 60.0), radius=1.5), "no disc brighter than the sky"),
])
def test_no_limb_is_one_line_naming_the_fix(image, needle) -> None:
    with pytest.raises(NoLimb) as exc:
        find_limb(image, "THEIRS")
    text = str(exc.value)
    assert needle in text and text.startswith("THEIRS") and "\n" not in text
    assert "against black sky" in text


def test_load_image_layouts(tmp_path) -> None:
    import imageio.v3 as iio

    rgb = (io_disc(shape=(40, 50), center=(25.0, 20.0), radius=15.0) * 255).round().astype(np.uint8)
    iio.imwrite(tmp_path / "rgb.png", rgb)
    grey16 = (np.linspace(0, 1, 40 * 50).reshape(40, 50) * 65535).astype(np.uint16)
    iio.imwrite(tmp_path / "grey16.png", grey16)
    la = np.stack([np.full((40, 50), 200, np.uint8), np.zeros((40, 50), np.uint8)], axis=2)
    la[:, 25:, 1] = 255
    iio.imwrite(tmp_path / "la.png", la)
    a = load_image(tmp_path / "rgb.png")
    assert a.shape == (40, 50, 3) and a.dtype == np.float32 and np.allclose(a * 255, rgb, atol=1e-3)
    b = load_image(tmp_path / "grey16.png")
    assert b.shape == (40, 50) and b.max() == pytest.approx(1.0) and b.min() == 0.0
    c = load_image(tmp_path / "la.png")  # grey + alpha: a transparent sky is black
    assert c.shape == (40, 50) and c[:, :25].max() == 0.0 and c[:, 25:] == pytest.approx(200 / 255)


@pytest.mark.parametrize(("make", "needle"), [
    ("missing", "does not exist"),
    ("folder", "is a folder"),
    ("text", "neither a PNG, a JPEG, a TIFF nor a GIF"),
    ("truncated", "cannot be read as an image"),
    ("frames", "several frames"),
    ("channels", "5 channels"),
    ("tiny", "at least 16 px"),
])
def test_bad_files_are_one_line(tmp_path, make, needle) -> None:
    import imageio.v3 as iio
    import tifffile

    path = tmp_path / "x.png"
    if make == "folder":
        path.mkdir()
    elif make == "text":
        path.write_text("not an image\n")
    elif make == "truncated":
        iio.imwrite(path, np.zeros((64, 64, 3), np.uint8) + 40)
        path.write_bytes(path.read_bytes()[:60])
    elif make == "frames":
        path = tmp_path / "x.gif"
        iio.imwrite(path, np.zeros((3, 32, 32, 3), np.uint8), extension=".gif")
    elif make == "channels":
        path = tmp_path / "x.tif"
        tifffile.imwrite(path, np.zeros((32, 32, 5), np.uint8), photometric="minisblack",
                         planarconfig="contig")
    elif make == "tiny":
        iio.imwrite(path, np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(UserError) as exc:
        load_image(path, "THEIRS")
    text = str(exc.value)
    assert needle in text and "THEIRS" in text and "\n" not in text


def test_write_outputs(ours, tmp_path) -> None:
    import imageio.v3 as iio

    theirs = io_disc(center=(180.0, 110.0), radius=55.0, turn_deg=10.0)
    result = compare(ours, theirs)
    paths = write_outputs(tmp_path / "cmp", ours, result, {"ours": "a.png", "theirs": "b.png"})
    assert sorted(p.name for p in (tmp_path / "cmp").iterdir()) == [
        "blink.gif", "compare.json", "difference.png", "side_by_side.png"]  # no temporary files left
    side = iio.imread(paths["side_by_side.png"])
    assert side.shape == (240, 2 * 320 + 4, 3)
    # OURS' limb is drawn in green on both halves, through THEIRS' aligned limb
    assert (side[:, :320, 1] == 220).sum() > 200 and (side[:, 324:, 1] == 220).sum() > 200
    diff = iio.imread(paths["difference.png"])
    assert diff.shape == (240, 320, 3)
    assert diff[:, :, 0].mean() < 8 and diff[:, :, 1].mean() < 8  # aligned: little difference
    frames = iio.imread(paths["blink.gif"], index=None)
    assert frames.shape[0] == 2 and frames.shape[1:3] == (240, 320)
    record = json.loads(paths["compare.json"].read_text())
    assert record["ours"] == "a.png" and record["scale"] == pytest.approx(60 / 55, rel=3e-3)
    assert record["rotation_deg"] == pytest.approx(-10.0, abs=0.1)
    assert record["residual"]["offset_norm_px"] < 0.3
    assert set(record["outputs"]) == {"side_by_side.png", "difference.png", "blink.gif", "compare.json"}


def test_out_is_a_file(ours, tmp_path) -> None:
    (tmp_path / "f").write_text("a file\n")
    result = compare(ours, ours)
    with pytest.raises(UserError, match="is a file; give a folder"):
        write_outputs(tmp_path / "f", ours, result, {})
