"""The Sun in the sky (GL): its disc at its physical radiance and size, hidden by Jupiter, kept out of the
auto exposure, and its glare."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import ndimage

from tests.render.raycast import surface_points
from viewer.render.camera import Camera, camera_from_spec, look_rotation
from viewer.render.exposure import ToneSettings, meter, srgb_encode
from viewer.render.passes.sun import (
    GLARE_REACH,
    GLARE_SCALE,
    disc_radiance,
    glare_profile,
    mean_radiance,
    sun_image,
)
from viewer.render.renderer import Renderer, RenderSettings
from viewer.render.view import View
from viewer.sim.constants import BODIES, SUN_RADIUS_KM
from viewer.sim.timescales import utc_to_et

pytestmark = pytest.mark.gl

CA = "2023-12-30T08:36:00.836"
SIZE = (320, 240)


@pytest.fixture(scope="module")
def snap(world):
    return world.at(utc_to_et(CA))


def render(ctx, snap, cam, hide=("stars", "juno"), exposure=0.0, size=SIZE):
    r = Renderer(ctx, RenderSettings(size=size, supersample=1, hide=frozenset(hide),
                                     tone=ToneSettings(exposure=exposure)))
    frame = r.render(snap, cam)
    return r, frame, r.linear()


def pixel_solid_angles(cam: Camera, size) -> np.ndarray:
    """Each pixel's solid angle, sr: cos³(off-axis angle) / f² for a pinhole."""
    w, h = size
    f = cam.focal_px(w, h)
    x = (np.arange(w) + 0.5 - w / 2) / f
    y = (np.arange(h) + 0.5 - h / 2) / f
    r2 = x[None, :] ** 2 + y[:, None] ** 2
    return (1.0 + r2) ** -1.5 / f**2


def test_disc_radiance_is_pi_over_its_solid_angle_and_its_size_matches(gl_context, snap) -> None:
    """Mean radiance over the disc = π/Ω (Ω the Sun's solid angle from Jupiter, the unit's reference)
    within 2 %, the centre = the limb-darkening law's centre within 2 %, the radius within 1 px."""
    cam = camera_from_spec("look:juno:sun", snap, 1.0)
    _, frame, lin = render(gl_context, snap, cam)
    sun_km = float(np.linalg.norm(snap.positions["sun"]))
    omega_j = 2.0 * math.pi * (1.0 - math.cos(math.asin(SUN_RADIUS_KM / sun_km)))
    assert mean_radiance(sun_km) == pytest.approx(math.pi / omega_j, rel=1e-5)
    assert 1.1e6 < math.pi / omega_j < 1.3e6  # at 4.95-5.0 AU
    # Flux over the disc's solid angle from the camera is its mean radiance.
    theta = math.asin(SUN_RADIUS_KM / float(np.linalg.norm(snap.positions["sun"] - cam.position_km)))
    flux = (lin * pixel_solid_angles(cam, SIZE)[..., None]).sum(axis=(0, 1))
    np.testing.assert_allclose(flux / (math.pi * math.sin(theta) ** 2), math.pi / omega_j, rtol=0.02)
    # Centre: the look camera puts the Sun's centre on the image centre, a pixel corner (mu = 0.998).
    sun = sun_image(View(snap, cam, SIZE))
    assert sun.centre_px == pytest.approx((160.0, 120.0), abs=1e-6)
    np.testing.assert_allclose(lin[119, 159], disc_radiance(1.0, sun_km), rtol=0.02)
    # Radius: the pixels the disc touches on the centre row and column.
    expected = 13750.98 * math.tan(theta)
    assert sun.radius_px == pytest.approx(expected, rel=1e-3)
    for line in (lin[119, :, 1], lin[:, 159, 1]):
        lit = np.flatnonzero(line > 0.0)
        assert abs((lit[-1] + 1 - lit[0]) / 2.0 - expected) <= 1.0
    assert frame.image[119, 159].min() == 255  # saturated at EV 0


@pytest.mark.parametrize("fov", [60.0, 10.0, 3.0, 1.3])
def test_a_small_disc_keeps_its_flux(gl_context, snap, fov) -> None:
    """A sub-pixel or few-pixel Sun (radius 0.19, 1.2, 4.2 and 9.5 px), wherever it falls on the grid,
    sums to the flux of its mean radiance π/Ω_J over its solid angle within 2 %."""
    sun_km = float(np.linalg.norm(snap.positions["sun"]))
    theta = math.asin(SUN_RADIUS_KM / float(np.linalg.norm(snap.positions["sun"] - snap.positions["juno"])))
    look = camera_from_spec("look:juno:sun", snap, fov)
    for dx, dy in ((0.0, 0.0), (0.3, 0.1), (0.5, 0.5)):  # pixel shifts of the Sun's image
        f = look.focal_px(*SIZE)
        turn = look_rotation(look.rotation @ np.array([dx / f, -dy / f, -1.0]), look.up)
        cam = Camera(look.position_km, turn, fov)
        _, _, lin = render(gl_context, snap, cam, hide=("stars", "juno", "io", "jupiter"))
        flux = (lin * pixel_solid_angles(cam, SIZE)[..., None]).sum(axis=(0, 1))
        np.testing.assert_allclose(flux / (math.pi * math.sin(theta) ** 2), mean_radiance(sun_km), rtol=0.02)


def limb_camera(snap, range_km: float, fov_deg: float) -> Camera:
    """A camera ``range_km`` behind Jupiter's equatorial limb, looking at the Sun's centre along the
    line tangent to the limb there: the limb crosses the Sun's disc at the image centre."""
    jc, pole = snap.positions["jupiter"], snap.rotations["jupiter"][:, 2]
    s = snap.positions["sun"] - jc
    e = np.cross(pole, s / np.linalg.norm(s))
    limb = jc + BODIES["jupiter"].radii_km[0] * e / np.linalg.norm(e)
    u = (snap.positions["sun"] - limb) / np.linalg.norm(snap.positions["sun"] - limb)
    return Camera(limb - range_km * u, look_rotation(u, pole), fov_deg)


def test_jupiter_in_front_hides_the_sun(gl_context, snap) -> None:
    """Behind Jupiter the Sun is gone (and so is its glare); at the limb, pixel by pixel: Jupiter's
    pixels hold no sunlight and the sky's pixels inside the disc hold the disc's radiance."""
    jc = snap.positions["jupiter"]
    s = (snap.positions["sun"] - jc) / np.linalg.norm(snap.positions["sun"] - jc)
    behind = Camera(jc - 300_000.0 * s, look_rotation(s, snap.rotations["jupiter"][:, 2]), 30.0)
    r, _, lin = render(gl_context, snap, behind)
    assert lin.max() < 10.0 and r.glare.strength == 0.0
    r, _, lin = render(gl_context, snap, behind, hide=("stars", "juno", "jupiter"))
    assert lin.max() > 1e4 and r.glare.strength > 0.0

    cam = limb_camera(snap, 300_000.0, 0.5)
    r, frame, lin = render(gl_context, snap, cam)
    points, _ = surface_points(cam, SIZE, jc, snap.rotations["jupiter"], BODIES["jupiter"].radii_km)
    jupiter = np.isfinite(points[..., 0])
    assert 0.3 < jupiter.mean() < 0.7
    inner = ndimage.binary_erosion(jupiter, iterations=2)
    assert lin[inner].max() < 1.0
    # The glare of the visible half lies on the sky, not over Jupiter's night side in front.
    assert 0.3 < r.glare.strength < 0.7 and frame.image[inner].max() <= 5
    sun = sun_image(View(snap, cam, SIZE))
    yy, xx = np.mgrid[0:SIZE[1], 0:SIZE[0]] + 0.5
    rho = np.hypot(xx - sun.centre_px[0], yy - sun.centre_px[1]) / sun.radius_px
    sky = ~ndimage.binary_dilation(jupiter, iterations=2) & (rho < 1.0 - 1.5 / sun.radius_px)
    assert sky.sum() > 200
    sun_km = float(np.linalg.norm(snap.positions["sun"]))
    expected = disc_radiance(np.sqrt(1.0 - rho[sky] ** 2), sun_km)
    np.testing.assert_allclose(lin[sky], expected, rtol=0.03)


def test_auto_exposure_ignores_the_sun(gl_context, snap) -> None:
    """With the Sun's 550 saturated pixels in a 1° field, ``auto`` still exposes for the stars beside
    it: as without the Sun, less the stars behind its disc (before, the Sun's pixels were the brightest
    'sky' features and set the exposure ~20 stops darker)."""
    cam = camera_from_spec("look:juno:sun", snap, 1.0)
    _, with_sun, lin = render(gl_context, snap, cam, hide=("juno",), exposure="auto")
    r, without, _ = render(gl_context, snap, cam, hide=("juno", "sun"), exposure="auto")
    disc = lin.mean(axis=2) > 1e4
    assert disc.sum() > 400
    assert with_sun.metering.basis == without.metering.basis == "sky"
    stars = r.linear(coverage=True)
    stars[disc] = 0.0
    assert with_sun.ev == pytest.approx(meter(stars).ev, abs=1e-6)
    assert with_sun.ev == pytest.approx(without.ev, abs=0.5) and with_sun.ev > 5.0
    # A lit moon in the frame: the median of its lit pixels, with or without the Sun.
    cam = camera_from_spec("look:juno:sun", snap, 60.0)
    _, with_sun, _ = render(gl_context, snap, cam, exposure="auto")
    _, without, _ = render(gl_context, snap, cam, hide=("stars", "juno", "sun"), exposure="auto")
    assert with_sun.metering.basis == "lit"
    assert with_sun.ev == pytest.approx(without.ev, abs=0.01)
    assert with_sun.image[119, 159].min() == 255


def test_glare_is_small_and_follows_its_profile(gl_context, snap) -> None:
    """Around a saturated sub-pixel Sun the 8-bit image is the documented glare profile (sRGB-encoded,
    over black sky) within 2/255, and black beyond its reach (4 e-folding lengths, 11.5 px here)."""
    cam = camera_from_spec("look:juno:sun", snap, 60.0)
    r, frame, _ = render(gl_context, snap, cam, hide=("stars", "juno", "io", "jupiter"))
    sun = sun_image(View(snap, cam, SIZE))
    assert sun.radius_px < 0.3 and r.glare.strength == pytest.approx(1.0)
    yy, xx = np.mgrid[0:SIZE[1], 0:SIZE[0]] + 0.5
    dist = np.hypot(xx - sun.centre_px[0], yy - sun.centre_px[1])
    scale = GLARE_SCALE * SIZE[1]
    ring = dist > 2.0
    expected = np.round(srgb_encode(glare_profile(dist, sun.radius_px, scale, 1.0)) * 255.0)
    assert np.abs(frame.image[..., 1][ring].astype(float) - expected[ring]).max() <= 2.0
    assert frame.image[dist > sun.radius_px + GLARE_REACH * scale + 1.5].max() == 0
    assert frame.image[dist < 1.5].min() == 255
