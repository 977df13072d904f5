"""The star-field pass on the GPU: where the stars land (against an independent gnomonic projection of
published J2000 coordinates), how bright they are (flux conservation in the renderer's units), the PSF
against its numpy reference, stars at the image edge, and the blending contract (additive, alpha 0)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer.render import stars as S
from viewer.render.camera import Camera, camera_from_spec
from viewer.render.view import View

pytestmark = pytest.mark.gl

SIZE = (320, 240)
FOV_DEG = 40.0
SKY = (185.0, 56.0)  # RA, Dec of the view's centre: Ursa Major
# Published J2000 positions (SIMBAD, ICRS at epoch J2000.0) and V (Bright Star Catalogue, 5th ed.).
BIG_DIPPER = {  # name: (HIP, RA h m s, Dec ° ′ ″, V)
    "Dubhe": (54061, "11 03 43.672", "+61 45 03.72", 1.79),
    "Merak": (53910, "11 01 50.477", "+56 22 56.73", 2.37),
    "Phecda": (58001, "11 53 49.847", "+53 41 41.14", 2.44),
    "Megrez": (59774, "12 15 25.561", "+57 01 57.42", 3.31),
    "Alioth": (62956, "12 54 01.750", "+55 57 35.36", 1.77),
    "Mizar": (65378, "13 23 55.540", "+54 55 31.27", 2.27),
    "Alkaid": (67301, "13 47 32.438", "+49 18 47.76", 1.86),
}


def radec(ra: str, dec: str) -> tuple[float, float]:
    h, m, s = (float(v) for v in ra.split())
    sign = -1.0 if dec.startswith("-") else 1.0
    d, dm, ds = (float(v) for v in dec.lstrip("+-").split())
    return math.radians(15.0 * (h + m / 60 + s / 3600)), sign * math.radians(d + dm / 60 + ds / 3600)


def gnomonic(ra: float, dec: float, size=SIZE, fov_deg=FOV_DEG, centre=SKY) -> tuple[float, float]:
    """Pixel (x right, y down; pixel i spans [i, i+1)) of (ra, dec) in a north-up view of the sky
    centred on ``centre`` (degrees) with vertical field ``fov_deg`` — written independently of the
    renderer's camera code."""
    a0, d0 = math.radians(centre[0]), math.radians(centre[1])
    cos_c = math.sin(d0) * math.sin(dec) + math.cos(d0) * math.cos(dec) * math.cos(ra - a0)
    xi = math.cos(dec) * math.sin(ra - a0) / cos_c      # toward east (+RA): image left
    eta = (math.cos(d0) * math.sin(dec) - math.sin(d0) * math.cos(dec) * math.cos(ra - a0)) / cos_c
    f = 0.5 * size[1] / math.tan(math.radians(fov_deg) / 2)
    return 0.5 * size[0] - f * xi, 0.5 * size[1] - f * eta


@pytest.fixture(scope="module")
def snapshot():
    from viewer.sim.timescales import utc_to_et
    from viewer.sim.world import World

    return World().at(utc_to_et("2023-12-30T08:36:00"))


@pytest.fixture(scope="module")
def stars_pass(gl_context):
    from viewer.render.passes.stars import StarsPass

    return StarsPass(gl_context)


def render(context, view: View, stars_pass, clear=(0.0, 0.0, 0.0)) -> np.ndarray:
    from viewer.render.targets import HDRTarget

    target = HDRTarget(context, view.size)
    target.clear(clear)
    with target:
        stars_pass.draw(view)
    return target.read()


def one_star(direction, v_mag=2.0, b_v=0.65) -> S.StarCatalog:
    d = np.asarray(direction, dtype=np.float64).reshape(1, 3)
    return S.StarCatalog(hip=np.array([1], np.int32), direction=d / np.linalg.norm(d),
                         v_mag=np.array([v_mag]), b_v=np.array([b_v]), rgb=S.bv_to_rgb([b_v]))


def direction_at_pixel(camera: Camera, x: float, y: float, size) -> np.ndarray:
    """The J2000 direction that projects to pixel (x right, y down)."""
    f = camera.focal_px(*size)
    v = np.array([(x - 0.5 * size[0]) / f, (0.5 * size[1] - y) / f, -1.0])
    return np.asarray(camera.rotation @ (v / np.linalg.norm(v)))


def sun_km(snapshot) -> float:
    return float(np.linalg.norm(snapshot.positions["sun"]))


def expected_total(catalog: S.StarCatalog, rows, snapshot, focal_px: float) -> np.ndarray:
    """π·(E*/E_sun)/Ω_px of the catalogue's ``rows`` (luminance of the sum of pixel radiances)."""
    return S.pixel_radiance_sum(catalog.irradiance_ratio(sun_km(snapshot))[rows], focal_px)


def test_big_dipper_positions_brightness_and_flux(gl_context, stars_pass, snapshot) -> None:
    camera = camera_from_spec(f"sky:{SKY[0]}:{SKY[1]}", snapshot, fov_deg=FOV_DEG)
    view = View(snapshot, camera, SIZE)
    img = render(gl_context, view, stars_pass)
    assert np.all(img[..., 3] == 0.0)                 # stars never count as coverage
    lum = img[..., :3] @ S.LUMA
    cat = stars_pass.catalog
    f = view.focal_px
    ratio = cat.irradiance_ratio(sun_km(snapshot))
    xy_all, dist = camera.project(cat.direction, *SIZE)
    box_flux = {}
    for name, (hip, ra, dec, _v) in BIG_DIPPER.items():
        x, y = gnomonic(*radec(ra, dec))
        ix, iy = math.floor(x), math.floor(y)
        assert 4 <= ix < SIZE[0] - 4 and 4 <= iy < SIZE[1] - 4, name
        box = lum[iy - 3:iy + 4, ix - 3:ix + 4]
        yy, xx = np.mgrid[iy - 3:iy + 4, ix - 3:ix + 4] + 0.5
        cx, cy = (box * xx).sum() / box.sum(), (box * yy).sum() / box.sum()
        assert math.hypot(cx - x, cy - y) < 2.0, (name, (cx, cy), (x, y))
        box_flux[name] = float(box.sum())
        # the box holds the star's whole footprint (5x5 around its pixel) and bits of any neighbours
        i = cat.index(hip)
        own = float(S.pixel_radiance_sum(ratio[i], f))
        near = np.flatnonzero((dist > 0) & (np.abs(xy_all[:, 0] - x) < 7) & (np.abs(xy_all[:, 1] - y) < 7))
        expected = 0.0
        for j in near:
            (x0, y0), w = S.psf_weights(tuple(xy_all[j]))
            n = w.shape[0]
            inside = w[max(iy - 3 - y0, 0):max(iy + 4 - y0, 0), max(ix - 3 - x0, 0):max(ix + 4 - x0, 0)]
            assert inside.shape[0] <= n
            expected += float(inside.sum()) * float(S.pixel_radiance_sum(ratio[j], f))
        assert own / expected > 0.8, name                 # the box is about this star (Mizar: + Alcor)
        assert box_flux[name] == pytest.approx(expected, rel=0.01), name
        if own / expected > 0.98:                         # no neighbour worth counting
            assert box_flux[name] == pytest.approx(own, rel=0.05), name
    # brightest first, by published V: Alioth 1.77, Phecda 2.44, Megrez 3.31 (0.7 and 0.9 mag apart)
    ranked = sorted(("Alioth", "Phecda", "Megrez"), key=lambda n: -box_flux[n])
    assert ranked == ["Alioth", "Phecda", "Megrez"]
    assert box_flux["Alioth"] / box_flux["Megrez"] == pytest.approx(10 ** (0.4 * (3.31 - 1.77)), rel=0.1)


def test_whole_image_flux(gl_context, stars_pass, snapshot) -> None:
    camera = camera_from_spec(f"sky:{SKY[0]}:{SKY[1]}", snapshot, fov_deg=FOV_DEG)
    view = View(snapshot, camera, SIZE)
    lum = render(gl_context, view, stars_pass)[..., :3] @ S.LUMA
    cat = stars_pass.catalog
    xy, dist = camera.project(cat.direction, *SIZE)
    w, h = SIZE
    near = (xy[:, 0] > -4) & (xy[:, 0] < w + 4) & (xy[:, 1] > -4) & (xy[:, 1] < h + 4)
    seen = np.flatnonzero((dist > 0) & near)
    inner = (xy[seen, 0] >= 3) & (xy[seen, 0] < w - 3) & (xy[seen, 1] >= 3) & (xy[seen, 1] < h - 3)
    totals = expected_total(cat, seen, snapshot, view.focal_px)
    expected = float(totals[inner].sum())
    for k in np.flatnonzero(~inner):  # partly outside: only the pixels inside count
        (x0, y0), wts = S.psf_weights(tuple(xy[seen[k]]))
        ys, xs = np.mgrid[y0:y0 + wts.shape[0], x0:x0 + wts.shape[1]]
        expected += float(wts[(xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)].sum() * totals[k])
    assert len(seen) > 1000
    assert float(lum.sum()) == pytest.approx(expected, rel=0.01)


def test_flux_is_the_same_at_two_image_sizes(gl_context, snapshot) -> None:
    from viewer.render.passes.stars import StarsPass

    camera = camera_from_spec(f"sky:{SKY[0]}:{SKY[1]}", snapshot, fov_deg=FOV_DEG)
    star = one_star(direction_at_pixel(camera, 123.3, 87.8, SIZE), v_mag=2.0)
    stars_pass = StarsPass(gl_context, catalog=star, mag_limit=None)
    sums = []
    for size in (SIZE, (160, 120)):
        view = View(snapshot, camera, size)
        lum = render(gl_context, view, stars_pass)[..., :3] @ S.LUMA
        assert np.count_nonzero(lum) == 25                      # one 5x5 footprint
        expected = float(expected_total(star, 0, snapshot, view.focal_px))
        assert float(lum.sum()) == pytest.approx(expected, rel=0.01)
        sums.append(float(lum.sum()) / view.focal_px**2)          # Σ L·Ω_px: the star's irradiance
    assert sums[0] == pytest.approx(sums[1], rel=0.05)
    assert sums[0] == pytest.approx(math.pi * float(star.irradiance_ratio(sun_km(snapshot))[0]), rel=0.01)


@pytest.mark.parametrize("pixel", [(100.5, 60.5), (100.02, 60.97), (200.73, 33.41)])
def test_psf_matches_the_numpy_reference(gl_context, snapshot, pixel) -> None:
    from viewer.render.passes.stars import StarsPass

    camera = camera_from_spec(f"sky:{SKY[0]}:{SKY[1]}", snapshot, fov_deg=FOV_DEG)
    star = one_star(direction_at_pixel(camera, *pixel, SIZE), v_mag=0.0, b_v=1.2)
    view = View(snapshot, camera, SIZE)
    img = render(gl_context, view, StarsPass(gl_context, catalog=star, mag_limit=None))
    total = float(expected_total(star, 0, snapshot, view.focal_px))
    (x0, y0), w = S.psf_weights(pixel)
    ref = np.zeros(SIZE[::-1])
    ref[y0:y0 + w.shape[0], x0:x0 + w.shape[1]] = w * total
    lum = img[..., :3] @ S.LUMA
    assert np.abs(lum - ref).max() < 2e-3 * ref.max()
    # the colour: every pixel carries the star's rgb (B−V 1.2: red over blue)
    peak = img[y0 + 2, x0 + 2, :3]
    np.testing.assert_allclose(peak / (peak @ S.LUMA), star.rgb[0], rtol=1e-4)
    assert peak[0] > peak[2]


@pytest.mark.parametrize("pixel", [(-1.2, 100.4), (319.0 + 1.7, 5.5), (40.6, -0.4)])
def test_stars_just_outside_the_image_reach_its_edge(gl_context, snapshot, pixel) -> None:
    from viewer.render.passes.stars import StarsPass

    camera = camera_from_spec(f"sky:{SKY[0]}:{SKY[1]}", snapshot, fov_deg=FOV_DEG)
    star = one_star(direction_at_pixel(camera, *pixel, SIZE), v_mag=0.0)
    view = View(snapshot, camera, SIZE)
    lum = render(gl_context, view, StarsPass(gl_context, catalog=star, mag_limit=None))[..., :3] @ S.LUMA
    total = float(expected_total(star, 0, snapshot, view.focal_px))
    (x0, y0), w = S.psf_weights(pixel)
    ys, xs = np.mgrid[y0:y0 + w.shape[0], x0:x0 + w.shape[1]]
    inside = (xs >= 0) & (xs < SIZE[0]) & (ys >= 0) & (ys < SIZE[1])
    expected = float(w[inside].sum()) * total
    assert expected > 0.02 * total
    assert float(lum.sum()) == pytest.approx(expected, rel=0.01)


def test_additive_and_nothing_behind_the_camera(gl_context, snapshot) -> None:
    from viewer.render.passes.stars import StarsPass

    camera = camera_from_spec(f"sky:{SKY[0]}:{SKY[1]}", snapshot, fov_deg=FOV_DEG)
    view = View(snapshot, camera, SIZE)
    front = direction_at_pixel(camera, 150.5, 100.5, SIZE)
    stars = S.StarCatalog(hip=np.array([1, 2], np.int32), direction=np.stack([front, -front]),
                          v_mag=np.array([0.0, -1.0]), b_v=np.array([0.65, 0.65]),
                          rgb=S.bv_to_rgb([0.65, 0.65]))
    stars_pass = StarsPass(gl_context, catalog=stars, mag_limit=None)
    base = 0.25
    img = render(gl_context, view, stars_pass, clear=(base, base, base))
    lum = img[..., :3] @ S.LUMA - base
    assert np.all(img[..., 3] == 0.0)                                   # alpha untouched
    assert np.count_nonzero(np.abs(lum) > 1e-9) == 25                   # only the star in front
    total = float(expected_total(stars, 0, snapshot, view.focal_px))
    assert float(lum.sum()) == pytest.approx(total, rel=0.01)           # added on top of the clear colour


def test_stars_show_only_at_night_exposures(gl_context, stars_pass, snapshot) -> None:
    from viewer.render import exposure as ex

    camera = camera_from_spec(f"sky:{SKY[0]}:{SKY[1]}", snapshot, fov_deg=FOV_DEG)
    img = render(gl_context, View(snapshot, camera, SIZE), stars_pass)[..., :3]
    day = ex.tonemap_reference(img, ex.ToneSettings(exposure=0.0))      # a sunlit scene's exposure
    night = ex.tonemap_reference(img, ex.ToneSettings(exposure=20.0))   # a long exposure of the sky
    assert day.max() == 0
    assert night.max() > 200 and np.count_nonzero(night.max(axis=2) > 20) > 50
