"""Jupiter's limb darkening and haze, and Io's hot-spot glow, in the shader against their references:
viewer.sim.photometry (Minnaert), viewer.sim.haze (the haze layer) and the emission map's documented
scale (textures/README.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from raycast import render_only, sunside_camera, surface_points

from viewer.render.camera import Camera, look_rotation
from viewer.sim import haze, photometry
from viewer.sim.constants import BODIES
from viewer.sim.frames import vector_from_lat_wlon
from viewer.sim.timescales import utc_to_et

pytestmark = pytest.mark.gl

W, H = 240, 180
I57 = "2023-12-30T08:36:00.836"
UNIFORM = np.full((64, 128, 3), 0.5, np.float32)



@pytest.fixture(scope="module")
def snap(world):
    return world.at(utc_to_et(I57))


def _with_sun(snap, sun_km):
    """The snapshot with the Sun moved (a test light placed where the geometry needs it)."""
    return snap.__class__(snap.et, {**snap.positions, "sun": np.asarray(sun_km, dtype=np.float64)},
                          snap.velocities, snap.rotations)


def test_jupiter_minnaert_limb_darkening_under_haze(gl_context, snap) -> None:
    """Every fully covered pixel of a uniform Jupiter at ~50° phase reads the Minnaert radiance
    (k = 0.95, A = p(2k+1)/2) seen through the haze plus the haze's own light (viewer.sim.haze),
    within 2 %; the limb is darker than the centre, as Minnaert predicts."""
    jc, rot = snap.positions["jupiter"], snap.rotations["jupiter"]
    radii = BODIES["jupiter"].radii_km
    cam = sunside_camera(snap, "jupiter", 1.2, 5.0 * radii[0], 30.0)
    rgba = render_only(gl_context, snap, cam, (W, H), "jupiter", {"sun"}, {"jupiter": UNIFORM})
    pts, n = surface_points(cam, (W, H), jc, rot, radii)
    sun = snap.positions["sun"] - pts
    sun /= np.linalg.norm(sun, axis=-1, keepdims=True)
    view = cam.position_km - pts
    view /= np.linalg.norm(view, axis=-1, keepdims=True)
    mu0, mu = np.sum(n * sun, -1), np.sum(n * view, -1)
    ok = (rgba[:, :, 3] > 0.999) & np.isfinite(mu0) & (mu0 > 0.05)
    assert ok.sum() > 5000
    k = photometry.JUPITER_MINNAERT_K
    a_scale = photometry.minnaert_albedo_scale(BODIES["jupiter"].geometric_albedo, k)
    clouds = photometry.minnaert_radiance(a_scale, mu0[ok], mu[ok], k)
    tau = haze.vertical_tau((n[ok] @ rot)[:, 2])
    radius = np.linalg.norm(pts[ok] - jc, axis=-1)
    trans, glow = [], []
    for m0, m1, t, r in zip(mu0[ok], mu[ok], tau, radius, strict=True):
        a, b = haze.disc(m0, m1, t, float(r))
        trans.append(float(a))
        glow.append(float(b))
    expect = clouds * np.asarray(trans) + np.asarray(glow)
    got = rgba[:, :, 0][ok]
    assert np.allclose(got, expect, rtol=0.02, atol=1e-3)
    # Limb darkening: near the limb (mu < 0.3) the clouds are darker than Lambert's A·mu0 would make
    # them relative to the centre, i.e. the radiance over mu0 falls with mu.
    ratio = got / mu0[ok]
    assert ratio[mu[ok] < 0.3].mean() < ratio[mu[ok] > 0.8].mean()


def test_jupiter_haze_rim_above_the_limb(gl_context, snap) -> None:
    """A telescopic view (0.6° field, ~3 km per pixel) across Jupiter's sunlit equatorial limb: the
    pixels just above the limb glow like the haze model's tangent-ray radiance (within 10 % from 5 to
    80 km up), the glow falls off with the 27 km scale height, and beyond ~10 scale heights it is dark."""
    jc, rot = snap.positions["jupiter"], snap.rotations["jupiter"]
    radii = np.asarray(BODIES["jupiter"].radii_km)
    pole = rot[:, 2]
    limb_dir = np.cross(pole, snap.positions["sun"] - jc)
    limb_dir /= np.linalg.norm(limb_dir)                    # an equatorial direction
    limb = jc + radii[0] * limb_dir                         # on the equator: the normal is limb_dir
    along = np.cross(pole, limb_dir)                        # the line of sight, tangent at the limb
    cam = Camera(limb - 100_000.0 * along, look_rotation(along, pole), 0.6)
    lit = _with_sun(snap, limb + 7.8e8 * limb_dir)          # the Sun straight above the limb point
    rgba = render_only(gl_context, lit, cam, (W, H), "jupiter", {"sun"}, {"jupiter": UNIFORM})
    tau = float(haze.vertical_tau(0.0))
    checked = 0
    for h in (5.0, 15.0, 30.0, 50.0, 80.0):
        # The ray through the pixel showing the point h above the limb passes the limb ~h up.
        (px, py), _ = cam.project(limb + h * limb_dir, W, H)
        ix, iy = int(px), int(py)
        # The pixel centre's own tangent altitude (the column holds the limb: one pixel is ~3 km).
        (lx, _), _ = cam.project(limb, W, H)
        km_per_px = h / max(abs(px - lx), 1e-9)
        h_px = (ix + 0.5 - lx) * km_per_px
        ref = float(haze.limb(h_px, 1.0, tau, radii[0]))
        got = float(rgba[iy, ix, 0])
        assert abs(got - ref) < 0.10 * ref, (h, got, ref)
        checked += 1
    assert checked == 5
    # Above 10 scale heights (270 km, ~90 px) the rim is gone: the quad ends there.
    (px, py), _ = cam.project(limb + 300.0 * limb_dir, W, H)
    if 0 <= int(px) < W:
        assert float(rgba[int(py), int(px), :3].max()) < 1e-4


def _io_umbra_snapshot(world):
    et = utc_to_et(I57)
    events = {e.kind: e.et for e in world.find_events("eclipse", et, et + 2 * 86400, "io")}
    return world.at(events["eclipse_umbra_entry"] + 600.0)


def test_io_hot_spots_glow_in_eclipse(gl_context, world) -> None:
    """Io in Jupiter's umbra, seen from 2,500 km above Pele (8° field): with only the hot spots on,
    the brightest pixel reads the emission map's brightest value near Pele × EMISSION_SCALE (within
    5 %) with the documented 1300 K colour ratios (within 1 %); sunlight and Jupitershine add nothing
    in the umbra; with hot spots off the night is black."""
    from viewer.procedural.io_hotspots import EMISSION_SCALE, HOTSPOT_GB_OVER_R
    from viewer.procedural.io_map import PELE_LAT, PELE_WLON
    from viewer.render.renderer import shipped_map_data
    from viewer.render.textures import pixel_of

    snap = _io_umbra_snapshot(world)
    io, rot = snap.positions["io"], snap.rotations["io"]
    up = rot @ vector_from_lat_wlon(math.radians(PELE_LAT), math.radians(PELE_WLON))
    # 8° field: ~1.5 km per pixel against the map's 5.6 km texels, so the texture filter keeps the peak.
    cam = Camera(io + (BODIES["io"].mean_radius_km + 2500.0) * up, look_rotation(-up, rot[:, 2]), 8.0)
    everything = render_only(gl_context, snap, cam, (W, H), "io",
                             {"sun", "jupitershine", "hotspots", "eclipses"}, {"io": UNIFORM})
    glow = render_only(gl_context, snap, cam, (W, H), "io", {"hotspots"}, {"io": UNIFORM})
    dark = render_only(gl_context, snap, cam, (W, H), "io", {"sun", "jupitershine", "eclipses"},
                       {"io": UNIFORM})
    assert (glow[:, :, 3] > 0.999).all()                     # Io fills the frame
    assert float(dark[:, :, :3].max()) < 1e-6                # umbra: no sunlight, no Jupitershine
    np.testing.assert_allclose(everything[:, :, :3], glow[:, :, :3], rtol=1e-5, atol=1e-6)
    emission = shipped_map_data("io_hotspots")
    emission = emission[..., 0] if emission.ndim == 3 else emission
    row, col = pixel_of(PELE_LAT, PELE_WLON, emission.shape[1], emission.shape[0])
    peak = float(emission[row - 20:row + 21, col - 20:col + 21].max()) * EMISSION_SCALE
    iy, ix = np.unravel_index(np.argmax(glow[:, :, 0]), glow.shape[:2])
    assert abs(float(glow[iy, ix, 0]) - peak) < 0.05 * peak
    g, b = HOTSPOT_GB_OVER_R
    assert abs(float(glow[iy, ix, 1]) / float(glow[iy, ix, 0]) - g) < 0.01 * g
    assert abs(float(glow[iy, ix, 2]) / float(glow[iy, ix, 0]) - b) < 0.01 * b + 1e-4
    # The surface around the vents is black in the umbra: the glow is local.
    assert np.median(glow[:, :, 0]) < 1e-3 * peak
