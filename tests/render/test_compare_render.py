"""``jupitershine compare`` on real renders of Io (GL): a render against a shifted, scaled and turned copy
of itself, and two ``jupitershine still`` renders from different ranges."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.gl

CA = "2023-12-30T08:36:00.836"
SIZE = (320, 240)
FOV_DEG = 30.0


@pytest.fixture(scope="module")
def render(gl_context) -> np.ndarray:
    """Io at 14,000 km (about 58 px in radius), gibbous, its night side black: float32 (H, W, 3)."""
    import viewer

    image = viewer.render_still(time=CA, camera="orbit:io:10:200:14000", fov=FOV_DEG, size=SIZE,
                                hide="stars,jupiter", context=gl_context)
    return (image.astype(np.float32) / 255.0)


def _moved(image: np.ndarray, dx: float, dy: float, scale: float, turn_deg: float):
    """(THEIRS, T): ``image`` scaled by ``scale`` and turned ``turn_deg`` counter-clockwise as displayed
    about the frame's centre, then shifted by (dx, dy) px; T maps OURS' pixels to THEIRS'."""
    from skimage.transform import SimilarityTransform, warp

    h, w = image.shape[:2]
    c = np.array([w / 2.0, h / 2.0])
    t = (SimilarityTransform(translation=-c)
         + SimilarityTransform(scale=scale, rotation=-math.radians(turn_deg))
         + SimilarityTransform(translation=c + np.array([dx, dy])))
    moved = warp(image, t.inverse, output_shape=(h, w), order=3, preserve_range=True)
    return np.clip(moved, 0.0, 1.0).astype(np.float32), t


@pytest.mark.parametrize(("dx", "dy", "scale", "turn"), [
    (20.0, -15.0, 1.0, 7.0),
    (-30.0, 12.0, 0.9, -7.0),
    (25.0, 20.0, 1.1, 12.0),
    (-12.0, -25.0, 0.95, 45.0),
])
def test_render_against_a_moved_copy(render, dx, dy, scale, turn) -> None:
    """Every check point (72 on the limb, 12 at half the radius, the centre) maps back within 0.5 px."""
    from tests.unit.io_disc import check_points
    from viewer.compare import compare

    theirs, t = _moved(render, dx, dy, scale, turn)
    result = compare(render, theirs)
    limb = result.ours_limb
    pts = check_points(limb.center, limb.radius)
    err = np.hypot(*(result.transform(t(pts)) - pts).T)
    assert err.max() < 0.5, err.max()
    assert result.rotation_deg == pytest.approx(-turn, abs=0.15)
    assert result.scale == pytest.approx(1.0 / scale, rel=3e-3)
    assert result.residual_px < 0.3 and result.rotation_peak > 0.9


def _still(path, range_km: float) -> None:
    proc = subprocess.run([sys.executable, "-m", "viewer", "still", "--time", CA, "--camera",
                           f"orbit:io:10:200:{range_km:g}", "--fov", f"{FOV_DEG:g}",
                           "--size", f"{SIZE[0]}x{SIZE[1]}", "--hide", "stars,jupiter", "--out", str(path)],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr


def test_two_stills_from_different_ranges(gl_probe, tmp_path) -> None:
    """The same view from 14,000 and 12,000 km: no offset, no turn, and the scale of the geometry
    (the limb's angular radius asin(R/d) through the same lens), within 0.5 %."""
    from viewer.cli import main
    from viewer.sim.constants import BODIES

    io_radius_km = sum(BODIES["io"].radii_km) / 3.0  # the geometry's own Io (its mean radius)
    near, far = tmp_path / "near.png", tmp_path / "far.png"
    _still(near, 12000.0)
    _still(far, 14000.0)
    out = tmp_path / "cmp"
    assert main(["compare", str(far), str(near), "--out", str(out)]) == 0
    record = json.loads((out / "compare.json").read_text())

    def radius_px(d_km: float) -> float:
        return SIZE[1] / 2.0 / math.tan(math.radians(FOV_DEG / 2)) * math.tan(math.asin(io_radius_km / d_km))

    assert record["scale"] == pytest.approx(radius_px(14000.0) / radius_px(12000.0), rel=5e-3)
    assert record["offset_px"] == pytest.approx([0.0, 0.0], abs=0.5)
    assert record["rotation_deg"] == pytest.approx(0.0, abs=0.3)
    assert record["residual"]["offset_norm_px"] < 0.3
