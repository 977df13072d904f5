"""The pushframe simulation without GL (viewer/pushframe.py, viewer/reproject.py): the distorted
projection's camera and resampling taps, the frame plan and its one-line errors, the label's times, the
encoding, and what a framelet sees."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer import junocam as jc
from viewer import pushframe as pf
from viewer.errors import UserError
from viewer.render.camera import ellipsoids
from viewer.sim.timescales import utc_to_et

#: Io crosses JunoCam's strips from frame 0 of an image starting here, 6 minutes after I57's closest
#: approach (11,000 km from Io).
START = "2023-12-30T08:42:04.5"


@pytest.mark.parametrize("binning", [1, 8])
def test_strip_view_samples_every_framelet_pixel_on_its_ray(world, binning) -> None:
    """The pinhole camera and the bilinear taps agree with the instrument model: resampling an image that
    holds its own pixel coordinates (bilinear is exact on linear functions) gives, at each framelet
    pixel, where the camera projects that pixel's ray (through the distortion), to 1e-3 px."""
    filters = jc.get_filters("methane,blue,green,red")
    view = pf.StripView.build(filters, binning)
    w, h = view.size
    cols, rows = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    coords = view.resample(np.stack([cols, rows], axis=-1))
    snap = world.at(utc_to_et(START))
    juno, attitude = snap.positions["juno"], snap.rotations["juno"]
    camera = view.camera(juno, attitude)
    cam = jc.camera_to_j2000(attitude)
    samples, lines = jc.framelet_shape(binning)
    s, ln = np.meshgrid(np.arange(0, samples, max(1, samples // 50)), np.arange(lines))
    for f in filters:
        rays = jc.pixel_to_camera(s, ln, f, binning) @ cam.T
        px, depth = camera.project(juno + 1e4 * rays, w, h)
        assert np.all(depth > 0.0)
        got = coords[f.name][ln, s]
        np.testing.assert_allclose(got[..., 0], px[..., 0] - 0.5, atol=1e-3)
        np.testing.assert_allclose(got[..., 1], px[..., 1] - 0.5, atol=1e-3)
    # Every tap lies inside the render (the margin holds the whole framelets).
    assert all(0 <= idx.min() and idx.max() < w * h for idx, _ in view.taps.values())


def test_strip_view_is_small() -> None:
    """One pinhole render per frame covers the blue, green and red strips with little to spare: the
    strips' 3 x 128 lines (and the gaps between) take 1732 x 456 render pixels at full resolution."""
    view = pf.StripView.build(jc.get_filters("blue,green,red"))
    assert view.size == (1732, 456)
    assert math.degrees(view.tilt_rad) == pytest.approx(2.34, abs=0.01)


def test_plan_counts_frames_until_the_target_has_passed(world) -> None:
    p = pf.plan(world, START, binning=8)
    assert p.frames == 8
    assert p.filters == jc.get_filters("blue,green,red") and p.target == "io" and p.tdi == 2
    step = jc.DEFAULT_INTERFRAME_DELAY_S + jc.INTERFRAME_DELTA_S
    expected = utc_to_et(START) + jc.START_TIME_BIAS_S + step * np.arange(8)
    np.testing.assert_allclose(p.opens, expected, atol=1e-6)
    snaps = [world.at(float(t)) for t in p.mids]
    seen = [any(pf.sees(s, f, "io", 8) for f in p.filters) for s in snaps]
    assert all(seen)
    after = world.at(float(p.mids[-1]) + step)
    assert not any(pf.sees(after, f, "io", 8) for f in p.filters)


def test_sees_is_where_the_limb_projects(world) -> None:
    """A framelet sees Io when a limb point projects inside it; Io's centre projected into a strip
    means that strip sees it."""
    p = pf.plan(world, START, binning=8)
    snap = world.at(float(p.mids[4]))
    io = next(e for e in ellipsoids(snap) if e.name == "io")
    cam = jc.camera_to_j2000(snap.rotations["juno"])
    limb = pf.limb_points(io, snap.positions["juno"], 64)
    # The limb points are on the ellipsoid and their lines of sight graze it.
    q = io.scaled(limb - io.centre_km)
    np.testing.assert_allclose(np.sum(q * q, axis=1), 1.0, atol=1e-9)
    sight = limb - snap.positions["juno"]
    normal = np.array([io.normal(x) for x in limb])
    np.testing.assert_allclose(np.sum(normal * sight, axis=1) / np.linalg.norm(sight, axis=1), 0.0, atol=1e-9)
    for f in p.filters:
        s, ln, front = jc.camera_to_pixel((io.centre_km - snap.positions["juno"]) @ cam, f, 8)
        if front and 0 <= s < 206 and 0 <= ln < 16:
            assert pf.sees(snap, f, "io", 8)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"frames": 0}, "--frames 0"), ({"frames": 501}, "--frames 501"), ({"frames": 2.5}, "--frames 2.5"),
    ({"interframe_delay_s": 0.0}, "--interframe-delay"), ({"interframe_delay_s": 61.0}, "--interframe-delay"),
    ({"interframe_delay_s": float("nan")}, "--interframe-delay"),
    ({"interframe_delay_s": 0.2, "tdi": 100}, "0.32"), ({"tdi": 0}, "--tdi"),
    ({"filters": "uv"}, "--filters"),
    ({"target": "sun"}, "--target"), ({"binning": 3}, "binning"),
])
def test_bad_values_are_one_line_errors(world, kwargs, match) -> None:
    with pytest.raises(UserError, match=match) as info:
        pf.plan(world, START, **kwargs)
    assert "\n" not in str(info.value)


def test_a_time_outside_junos_coverage_is_refused(world) -> None:
    with pytest.raises(UserError, match=r"Juno's position is unknown at 2025-01-01.*coverage is I57"):
        pf.plan(world, "2025-01-01T00:00:00")


def test_an_image_that_sees_nothing_says_when_the_target_next_is_seen(world) -> None:
    """Three frames 14 s before Io's pass: refused, naming a start time; an image started there sees Io
    in its first frame."""
    with pytest.raises(UserError, match=r"sees nothing of Io in the 3 frames .* next does at about "
                                        r"(2023-12-30T08:4\d:\d\d\.\d) UTC") as info:
        pf.plan(world, "2023-12-30T08:41:50", frames=3)
    when = str(info.value).split("next does at about ")[1].split(" UTC")[0]
    assert 0.0 < utc_to_et(when) - utc_to_et("2023-12-30T08:41:50") < 30.0
    p = pf.plan(world, when, frames=1)
    assert any(pf.sees(world.at(float(p.mids[0])), f, "io") for f in p.filters)


def _raw(world, p: pf.Plan) -> pf.RawImage:
    samples, lines = jc.framelet_shape(p.binning)
    n = len(p.filters)
    dn = np.zeros((p.frames, n, lines, samples), dtype=np.float32)
    geometry = [pf.frame_geometry(world.at(float(t)), p.target) for t in p.mids]
    return pf.RawImage(p, pf.encode(dn).reshape(-1, samples), dn, geometry, [True] * p.frames, "none")


def test_label_times_match_the_interframe_delay(world) -> None:
    """Shutter-open and mid-exposure times step by INTERFRAME_DELAY + 1 ms; frame k's framelets are
    rows k x 3 x 128 onward, blue, green, red; the geometry is the world's at mid-exposure."""
    p = pf.plan(world, START, frames=5, interframe_delay_s=0.4, tdi=3)
    doc = pf.label(_raw(world, p))
    frames = doc["frames"]
    assert doc["INTERFRAME_DELAY"] == 0.4 and doc["TDI_STAGES"] == 3 and doc["EXPOSURE_DURATION"] == 9.6
    assert doc["LINES"] == 5 * 3 * 128 and doc["LINE_SAMPLES"] == 1648
    assert doc["FILTER_NAME"] == ["BLUE", "GREEN", "RED"]
    opens = np.array([f["shutter_open_et"] for f in frames])
    mids = np.array([f["mid_exposure_et"] for f in frames])
    # TDB seconds near 7.6e8 carry ~1e-7 s: compare to a microsecond.
    np.testing.assert_allclose(np.diff(opens), 0.401, atol=1e-6)
    np.testing.assert_allclose(mids - opens, 0.0048, atol=1e-6)
    assert opens[0] - doc["START_TIME_ET"] == pytest.approx(0.06188, abs=1e-6)
    assert utc_to_et(frames[2]["mid_exposure_utc"]) == pytest.approx(mids[2], abs=1e-4)
    assert frames[1]["rows"] == {"blue": [384, 512], "green": [512, 640], "red": [640, 768]}
    snap = world.at(mids[3])
    np.testing.assert_allclose(frames[3]["juno_position_km"], snap.positions["juno"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(frames[3]["camera_to_j2000"], jc.camera_to_j2000(snap.rotations["juno"]),
                               atol=1e-15)


def test_encoding_round_trips_to_its_step() -> None:
    dn = np.linspace(0.0, 4095.0, 10001)
    back = pf.decode(pf.encode(dn))
    step = 2.0 * 4095.0 * np.sqrt(dn / 4095.0) / 255.0 + 4095.0 / 255.0**2
    assert np.all(np.abs(back - dn) <= 0.5 * step + 1e-9)
    assert pf.encode([0.0, 4095.0, 9999.0]).tolist() == [0, 255, 255]
    # Io's night side at ~1 % of the day side's radiance lands near 10 % of the 8-bit range.
    assert pf.encode([0.01 * 3000.0])[0] == pytest.approx(22, abs=1)
