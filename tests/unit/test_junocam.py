"""The JunoCam instrument model (viewer/junocam.py): the instrument kernel's figures, the distortion and its
inverse, the mounting, the strips' rows, the spin's direction across the detector and the frames'
overlaps (docs/sources.md §4a)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer import junocam as jc
from viewer.errors import UserError
from viewer.sim.juno import JUNOCAM_IFOV_RAD, SPIN_RATE_DEG_S


def test_detector_figures_are_the_kernels() -> None:
    """f = 10.95637 mm / 7.4 µm = 1480.59 px; IFOV 675.4 µrad, the one the geometry tables use."""
    assert jc.FOCAL_PX == pytest.approx(1480.5906, abs=1e-4)
    assert jc.IFOV_RAD == JUNOCAM_IFOV_RAD == pytest.approx(675.4e-6, rel=1e-4)
    assert 1.0 / jc.FOCAL_PX == pytest.approx(JUNOCAM_IFOV_RAD, rel=1e-15)
    assert jc.framelet_shape() == (1648, 128)
    assert jc.framelet_shape(8) == (206, 16)
    # 58.2 deg across the spin axis: 1648 px of 675.4 urad through the distortion at the edges.
    edge = jc.pixel_to_camera(np.array([-0.5, 1647.5]), np.array([63.5, 63.5]), jc.FILTERS["green"])
    across = math.degrees(math.acos(float(edge[0] @ edge[1])))
    assert across == pytest.approx(59.6, abs=0.2)  # 58.2 deg pinhole, +1.4 deg of barrel distortion


def test_strips_are_at_the_kernels_rows() -> None:
    """FILTER_OFFSET = 600 - DISTORTION_Y: the kernel's methane 284.52; the others derived, 155 rows
    apart (157 methane to blue); the framelets' middles on both sides of the optical centre."""
    f = jc.FILTERS
    assert f["methane"].filter_offset == pytest.approx(284.52)
    offsets = [f[n].filter_offset for n in ("methane", "blue", "green", "red")]
    np.testing.assert_allclose(np.diff(offsets), [157.0, 155.0, 155.0], atol=1e-9)
    assert [f[n].naif_id for n in ("blue", "green", "red", "methane")] == [-61501, -61502, -61503, -61504]
    assert f["green"].centre_line == pytest.approx(60.02) and f["red"].centre_line == pytest.approx(215.02)
    assert min(np.diff(offsets)) >= jc.FRAMELET_LINES


def test_distortion_is_the_kernels_direction_and_round_trips() -> None:
    """distort multiplies the *undistorted* point by 1 + K1 r^2 + K2 r^4 (the kernel's formula, ISIS's
    SetUndistortedFocalPlane); undistort inverts it to 1e-9 px over and beyond the detector."""
    xu, yu = 700.0, -250.0
    r2 = xu * xu + yu * yu
    dr = 1.0 + jc.K1 * r2 + jc.K2 * r2 * r2
    xd, yd = jc.distort(xu, yu)
    assert (float(xd), float(yd)) == pytest.approx((xu * dr, yu * dr), rel=1e-15)
    assert dr < 1.0  # barrel: the detector sees the edges pulled in
    x, y = np.meshgrid(np.linspace(-1200.0, 1200.0, 97), np.linspace(-700.0, 700.0, 57))
    back = jc.undistort(*jc.distort(x, y))
    assert np.abs(back[0] - x).max() < 1e-9 and np.abs(back[1] - y).max() < 1e-9
    assert jc.undistort(0.0, 0.0) == (0.0, 0.0)


def test_pixels_and_rays_round_trip() -> None:
    """camera_to_pixel(pixel_to_camera(p)) = p for every filter and binning, to 1e-9 px."""
    for binning in (1, 8):
        samples, lines = jc.framelet_shape(binning)
        s, ln = np.meshgrid(np.linspace(-0.5, samples - 0.5, 41), np.linspace(-0.5, lines - 0.5, 9))
        for filt in jc.FILTERS.values():
            v = jc.pixel_to_camera(s, ln, filt, binning)
            np.testing.assert_allclose(np.linalg.norm(v, axis=-1), 1.0, rtol=1e-14)
            s2, l2, front = jc.camera_to_pixel(v, filt, binning)
            assert front.all()
            assert np.abs(s2 - s).max() < 1e-9 and np.abs(l2 - ln).max() < 1e-9
    # A binned pixel's ray is the middle of the full-resolution pixels it sums.
    g = jc.FILTERS["green"]
    np.testing.assert_allclose(jc.pixel_to_camera(3.0, 2.0, g, 8), jc.pixel_to_camera(27.5, 19.5, g),
                               atol=1e-15)


def test_isd_methane_boresight_lands_in_the_methane_framelets_middle() -> None:
    """The ALE ISD's methane boresight (0.00855, -0.16805, 0.98574) in JUNO_JUNOCAM, through this model,
    lands on the methane framelet's middle (sample 823.5, line 63.5) to within 4 px: the strips'
    DISTORTION_Y, their sign and the lines' direction agree with the ISD."""
    s, ln, front = jc.camera_to_pixel(np.array([0.00855, -0.16805, 0.98574]), jc.FILTERS["methane"])
    assert bool(front)
    assert abs(float(s) - 823.5) < 4.0 and abs(float(ln) - 63.5) < 1.0


def test_mounting_looks_along_minus_x_across_the_spin_axis() -> None:
    """The ISD's rotation, made orthonormal (moved < 1e-7): the boresight ~ -X, 0.127 deg from the plane
    perpendicular to the spin axis +Z, the samples along -Z, the lines along -Y."""
    m = jc.SPACECRAFT_TO_CAMERA
    np.testing.assert_allclose(m @ m.T, np.eye(3), atol=1e-14)
    assert np.linalg.det(m) == pytest.approx(1.0, abs=1e-14)
    assert np.abs(m - jc.MOUNTING_ISD).max() < 1e-7
    assert math.degrees(math.acos(-jc.BORESIGHT_SC[0])) < 1.0
    assert math.degrees(math.asin(jc.BORESIGHT_SC[2])) == pytest.approx(-0.1268, abs=1e-3)
    assert m[0] @ [0.0, 0.0, -1.0] > 0.9999 and m[1] @ [0.0, -1.0, 0.0] > 0.9999
    # camera -> J2000 composes with the attitude: the camera's z is the attitude applied to the boresight.
    attitude = np.linalg.qr(np.arange(9.0).reshape(3, 3) + np.eye(3))[0]
    attitude *= np.sign(np.linalg.det(attitude))
    np.testing.assert_allclose(jc.camera_to_j2000(attitude)[:, 2], attitude @ jc.BORESIGHT_SC, atol=1e-15)


def test_spin_carries_the_scene_from_red_to_methane(world) -> None:
    """Juno spins right-handedly about +Z (viewer.sim.juno): a fixed direction's line decreases as the
    spacecraft turns, by 116.6 lines per 0.376 s frame step at the optical centre (12 deg/s)."""
    from viewer.sim.timescales import utc_to_et

    t0 = utc_to_et("2023-12-30T08:36:00.836")
    snap = world.at(t0)
    cam = jc.camera_to_j2000(snap.rotations["juno"])
    g = jc.FILTERS["green"]
    direction = cam @ jc.pixel_to_camera(823.5, 100.0, g)
    step = jc.INTERFRAME_DELTA_S + jc.DEFAULT_INTERFRAME_DELAY_S
    later = jc.camera_to_j2000(world.at(t0 + step).rotations["juno"])
    s, ln, _ = jc.camera_to_pixel(direction @ later, g)
    assert float(ln) == pytest.approx(100.0 - jc.spin_step_rad(jc.DEFAULT_INTERFRAME_DELAY_S) / jc.IFOV_RAD,
                                      abs=1.5)
    assert abs(float(s) - 823.5) < 1.0


def test_consecutive_frames_overlap_without_gaps() -> None:
    """At the labels' 0.375 s interframe delay (+ the kernel's 1 ms) and 2 rpm, each filter's framelets
    overlap the next frame's by 9-15 lines at every latitude (128 lines against a 116.6-line step; the
    barrel distortion widens the overlap toward the detector's ends); at 0.43 s a gap opens."""
    for filt in jc.FILTERS.values():
        lat, overlap = jc.frame_overlap(filt, jc.DEFAULT_INTERFRAME_DELAY_S)
        assert math.degrees(lat[-1] - lat[0]) > 58.0
        assert 9.0 < overlap.min() and overlap.max() < 15.5, filt.name
        assert jc.frame_overlap(filt, 0.43)[1].min() < 0.0
    assert jc.spin_step_rad(0.375, SPIN_RATE_DEG_S) / jc.IFOV_RAD == pytest.approx(116.6, abs=0.05)


def test_timing_follows_isis() -> None:
    """Frame k opens at START + 0.06188 s + k (delay + 1 ms); geometry at mid-exposure (TDI x 3.2 ms)."""
    opens, mids = jc.frame_times(1000.0, 4, 0.375, 2)
    np.testing.assert_allclose(opens, 1000.0 + 0.06188 + np.arange(4) * 0.376, rtol=0, atol=1e-12)
    np.testing.assert_allclose(mids - opens, 0.0032, atol=1e-15)
    assert jc.exposure_s(2) == pytest.approx(0.0064)
    assert jc.tdi_smear_lines(2) < 0.02
    for bad in (0, 101, 2.5):
        with pytest.raises(UserError, match="--tdi"):
            jc.exposure_s(bad)  # type: ignore[arg-type]


def test_filters_parse_in_raw_order() -> None:
    assert [f.name for f in jc.get_filters("red,blue , green")] == ["blue", "green", "red"]
    assert [f.name for f in jc.get_filters(["methane"])] == ["methane"]
    for bad in ("", "red,red", "infrared"):
        with pytest.raises(UserError, match="--filters"):
            jc.get_filters(bad)
    with pytest.raises(UserError, match="binning"):
        jc.framelet_shape(3)
