"""The tone-map pass on the GPU against the numpy reference (viewer.render.exposure)."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.render import exposure as ex

pytestmark = pytest.mark.gl


def _gradient(w: int = 320, h: int = 24) -> np.ndarray:
    """Radiance from 1e-5 to 60 along x, with three different channel ratios down the rows."""
    x = np.geomspace(1e-5, 60.0, w)
    rows = [np.stack([x, x, x], -1), np.stack([x, 0.5 * x, 2.0 * x], -1), np.stack([0.1 * x, x, 0.3 * x], -1)]
    return np.repeat(np.stack(rows), h // 3, axis=0).astype(np.float32)


@pytest.mark.parametrize(("exposure", "curve", "stretch"), [
    (0.0, "filmic", (0.0, 1.0, 1.0)),
    (-2.5, "filmic", (0.0, 1.0, 1.0)),
    ("auto", "filmic", (0.0, 1.0, 1.0)),
    (0.0, "stretch", (0.0, 1.0, 1.0)),
    (1.0, "stretch", (0.02, 3.0, 2.2)),
])
def test_gpu_matches_numpy_reference(gl_context, exposure, curve, stretch) -> None:
    from viewer.render.passes.tonemap import tonemap

    img = _gradient()
    gpu = tonemap(img, exposure=exposure, tonemap=curve, stretch=stretch, context=gl_context)
    ref = ex.tonemap_reference(img, ex.ToneSettings(exposure=exposure, curve=curve, stretch=stretch))
    assert gpu.shape == ref.shape == (24, 320, 3) and gpu.dtype == np.uint8
    assert np.abs(gpu.astype(int) - ref).max() <= 1
    assert gpu.min() < 10 and gpu.max() > 245  # the gradient spans the range


def test_middle_grey_at_ev0(gl_context) -> None:
    from viewer.render.passes.tonemap import tonemap

    grey = tonemap(np.full((4, 4, 3), 0.18, np.float32), exposure=0.0, context=gl_context)
    assert np.all(np.abs(grey.astype(int) - 118) <= 1)
    assert ex.tonemap_reference(np.full((1, 1, 3), 0.18), ex.ToneSettings(exposure=0.0))[0, 0, 0] == 118
    # the curve is monotonic and saturates at display white near 10x (5.8 stops over middle grey)
    assert ex.filmic(np.array([9.9]))[0] < 1.0 and ex.filmic(np.array([10.1]))[0] == 1.0


def test_auto_ev_puts_median_lit_pixel_on_middle_grey(gl_context) -> None:
    from viewer.render.passes.tonemap import tonemap

    rng = np.random.default_rng(5)
    lum = np.exp(rng.normal(np.log(0.03), 1.0, (60, 80)))
    lum[:, :30] = 0.0  # unlit sky: must not pull the median down
    img = np.repeat(lum[..., None], 3, axis=2).astype(np.float32)
    ev = ex.auto_ev(img)
    lit = lum[lum > ex.LIT_MIN_RADIANCE]
    assert ev == pytest.approx(np.log2(0.18 / np.median(lit)))
    out = tonemap(img, exposure="auto", context=gl_context)[..., 0]
    assert abs(float(np.median(out[:, 30:])) - 118) <= 1
    assert np.all(out[:, :30] == 0)
    assert ex.auto_ev(np.zeros((4, 4, 3))) == 0.0


def test_auto_ev_on_gpu_subsample_is_close(gl_context) -> None:
    from viewer.render.passes.tonemap import TonemapPass
    from viewer.render.targets import HDRTarget

    rng = np.random.default_rng(7)
    lum = np.exp(rng.normal(np.log(0.5), 0.8, (240, 320)))
    lum[:80] = 0.0
    img = np.repeat(lum[..., None], 3, axis=2).astype(np.float32)
    hdr = HDRTarget(gl_context, (320, 240), depth=False)
    hdr.upload(img)
    ev_gpu = TonemapPass(gl_context).exposure_ev(hdr, ex.ToneSettings())
    assert ev_gpu == pytest.approx(ex.auto_ev(img), abs=0.1)  # a 1/64 subsample; 0.1 stop


def test_stretch_endpoints(gl_context) -> None:
    from viewer.render.passes.tonemap import tonemap

    black, white, gamma = 0.1, 0.9, 2.0
    values = np.array([0.0, 0.1, 0.5, 0.9, 5.0], np.float32)
    img = np.repeat(values[None, :, None], 3, axis=2)
    out = tonemap(img, exposure=0.0, tonemap="stretch", stretch=(black, white, gamma), context=gl_context)
    assert list(out[0, :, 0]) == [0, 0, int(ex.quantize(ex.srgb_encode(0.5 ** 0.5))), 255, 255]
    out = tonemap(img * 0.5, exposure=1.0, tonemap="stretch", stretch=(black, white, gamma),
                  context=gl_context)
    assert out[0, 1, 0] == 0 and out[0, 3, 0] == 255  # the EV scales before black/white


def test_supersample_resolve_is_the_box_mean(gl_context) -> None:
    from viewer.render.passes.tonemap import TonemapPass
    from viewer.render.targets import HDRTarget, LDRTarget

    rng = np.random.default_rng(3)
    big = rng.uniform(0.0, 0.5, (48, 64, 3)).astype(np.float32)
    hdr = HDRTarget(gl_context, (32, 24), supersample=2, depth=False)
    hdr.upload(big)
    out = LDRTarget(gl_context, (32, 24))
    settings = ex.ToneSettings(exposure=0.0)
    TonemapPass(gl_context).draw(hdr, out, settings)
    mean = big.reshape(24, 2, 32, 2, 3).mean(axis=(1, 3))
    assert np.abs(out.read().astype(int) - ex.tonemap_reference(mean, settings)).max() <= 1


def test_same_input_gives_identical_bytes(gl_context) -> None:
    from viewer.render.passes.tonemap import tonemap

    img = _gradient()
    a = tonemap(img, context=gl_context)
    b = tonemap(img, context=gl_context)
    assert a.tobytes() == b.tobytes()


def test_bad_settings_are_user_errors() -> None:
    from viewer.errors import UserError

    with pytest.raises(UserError, match="BLACK < WHITE"):
        ex.parse_stretch("1:0.5:1")
    with pytest.raises(UserError, match="GAMMA > 0"):
        ex.parse_stretch("0:1:0")
    with pytest.raises(UserError):
        ex.parse_exposure("bright")
    assert ex.parse_stretch("0:2") == (0.0, 2.0, 1.0)
    assert ex.parse_exposure("AUTO") == "auto" and ex.parse_exposure("-1.5") == -1.5
