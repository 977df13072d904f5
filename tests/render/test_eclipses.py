"""Eclipses per pixel against the reference photometry: Jupiter's penumbra across Io, Io in umbra,
Io's shadow on Jupiter's clouds (position and depth)."""

from __future__ import annotations

import numpy as np
import pytest
from raycast import render_only, sunside_camera, surface_points

from viewer.render.camera import Camera, look_rotation
from viewer.sim import photometry
from viewer.sim.constants import BODIES
from viewer.sim.timescales import utc_to_et

pytestmark = pytest.mark.gl

W, H = 240, 180
I57 = "2023-12-30T08:36:00.836"
UNIFORM = np.full((64, 128, 3), 0.5, np.float32)



@pytest.fixture(scope="module")
def io_eclipse(world):
    et = utc_to_et(I57)
    events = {e.kind: e.et for e in world.find_events("eclipse", et, et + 2 * 86400, "io")}
    return events


def _render(ctx, snap, cam, keep: str, light=("sun", "eclipses")):
    return render_only(ctx, snap, cam, (W, H), keep, light, {b: UNIFORM for b in keep.split(",")})


def _io_camera(snap):
    return sunside_camera(snap, "io", 0.5, 8000.0, 35.0)


def test_io_penumbra_matches_disc_overlap(gl_context, world, io_eclipse) -> None:
    """At eclipse_entry Jupiter's limb crosses the middle of Io's disc: every sunlit-side pixel reads
    its uneclipsed radiance × f, f the reference visible fraction of the Sun at its surface point,
    within 0.05 (the ratio to a render with eclipses off, so it holds whatever the reflectance law)."""
    snap = world.at(io_eclipse["eclipse_entry"])
    cam = _io_camera(snap)
    rgba = _render(gl_context, snap, cam, "io")
    io, rot = snap.positions["io"], snap.rotations["io"]
    points, normals = surface_points(cam, (W, H), io, rot, BODIES["io"].radii_km)
    sun = snap.positions["sun"]
    to_sun = sun - points
    cos_i = np.sum(normals * to_sun, -1) / np.linalg.norm(to_sun, axis=-1)
    ok = (rgba[:, :, 3] > 0.999) & np.isfinite(cos_i) & (cos_i > 0.2)
    jrot = snap.rotations["jupiter"]
    jc = snap.positions["jupiter"]
    frac = photometry.sun_visible_fraction((points[ok] - jc) @ jrot, (sun - jc) @ jrot,
                                           BODIES["jupiter"].radii_km)
    measured = rgba[:, :, 0][ok] / _render(gl_context, snap, cam, "io", light=("sun",))[:, :, 0][ok]
    assert frac.min() < 0.05 and frac.max() > 0.95 and ((frac > 0.1) & (frac < 0.9)).sum() > 50
    assert np.abs(measured - frac).max() < 0.05


def test_io_in_umbra_gets_no_sunlight(gl_context, world, io_eclipse) -> None:
    snap = world.at(io_eclipse["eclipse_umbra_entry"] + 300.0)
    rgba = _render(gl_context, snap, _io_camera(snap), "io")
    assert (rgba[:, :, 3] > 0.999).sum() > 3000
    assert float(rgba[:, :, :3].max()) == 0.0
    # The same view with eclipses off is sunlit: the test can fail.
    lit = _render(gl_context, snap, _io_camera(snap), "io", light=("sun",))
    assert float(lit[:, :, :3].max()) > 0.3


def _io_shadow_time(world) -> float:
    """A time near I57 when Io's shadow falls near the middle of Jupiter's sunlit disc."""
    et0 = utc_to_et(I57)
    times = et0 + np.arange(-1.0 * 86400, 1.0 * 86400, 60.0)
    best, best_t = np.inf, et0
    for t in times:
        s = world.at(t)
        sun = s.positions["sun"]
        io = s.positions["io"]
        d = io - sun
        d /= np.linalg.norm(d)
        # Distance of Jupiter's centre from the Sun→Io line, on Jupiter's far side of Io.
        rel = -io
        if rel @ d <= 0:
            continue
        miss = np.linalg.norm(rel - (rel @ d) * d)
        if miss < best:
            best, best_t = miss, t
    return float(best_t)


def test_io_shadow_on_jupiter_position_and_depth(gl_context, world) -> None:
    t = _io_shadow_time(world)
    snap = world.at(t)
    jc, jrot = snap.positions["jupiter"], snap.rotations["jupiter"]
    sun = snap.positions["sun"]
    io = snap.positions["io"]
    # Where the Sun→Io ray meets Jupiter's ellipsoid: the shadow's centre.
    d = (io - sun) / np.linalg.norm(io - sun)
    radii = np.asarray(BODIES["jupiter"].radii_km)
    o, dd = jrot.T @ (io - jc) / radii, jrot.T @ d / radii
    a, b, c = dd @ dd, o @ dd, o @ o - 1.0
    tt = (-b - np.sqrt(b * b - a * c)) / a
    shadow = jc + jrot @ ((o + tt * dd) * radii)
    v = (sun - jc) / np.linalg.norm(sun - jc)
    cam = Camera(jc + 400_000.0 * v, look_rotation(-v, jrot[:, 2]), 25.0)
    rgba = _render(gl_context, snap, cam, "jupiter")
    points, normals = surface_points(cam, (W, H), jc, jrot, radii)
    to_sun = sun - points
    cos_i = np.sum(normals * to_sun, -1) / np.linalg.norm(to_sun, axis=-1)
    ok = (rgba[:, :, 3] > 0.999) & np.isfinite(cos_i) & (cos_i > 0.1)
    ratio = np.ones((H, W))
    # The ratio to the render without eclipses: Jupiter's law (Minnaert, haze) divides out.
    ratio[ok] = rgba[:, :, 0][ok] / _render(gl_context, snap, cam, "jupiter", light=("sun",))[:, :, 0][ok]
    dark = ok & (ratio < 0.5)
    assert 3 <= dark.sum() < 400
    ys, xs = np.nonzero(dark)
    wgt = 1.0 - ratio[dark]
    (px, py), _ = cam.project(shadow, W, H)
    cx, cy = (xs + 0.5) @ wgt / wgt.sum(), (ys + 0.5) @ wgt / wgt.sum()
    assert np.hypot(cx - px, cy - py) < 2.0
    # As dark as the reference: Io's umbra at the centre pixel.
    iy, ix = int(py), int(px)
    irot = snap.rotations["io"]
    ref = photometry.sun_visible_fraction((points[iy, ix] - io) @ irot, (sun - io) @ irot,
                                          tuple(np.full(3, BODIES["io"].mean_radius_km)))
    assert abs(ratio[iy, ix] - float(ref)) < 0.05
