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
    with pytest.raises(UserError, match=r"GAMMA must be within 0\.1…10"):
        ex.parse_stretch("0:1:0")
    with pytest.raises(UserError):
        ex.parse_exposure("bright")
    assert ex.parse_stretch("0:2") == (0.0, 2.0, 1.0)
    assert ex.parse_exposure("AUTO") == "auto" and ex.parse_exposure("-1.5") == -1.5


@pytest.mark.parametrize("text, fragment", [
    ("0:1:1e300", "GAMMA must be within"),   # was a math domain error in auto_ev (0.18^1e300 = 0)
    ("0:1:0.01", "GAMMA must be within"),
    ("0:1:nan", "GAMMA must be within"),
    ("-1:0.1:1", "0 <= BLACK < WHITE"),      # auto's grey target would be negative: log2 domain error
    ("0:inf", "0 <= BLACK < WHITE"),
    ("0:1e300", "WHITE must be within"),     # inf as a 32-bit uniform on the GPU
    ("0:1e-30", "WHITE must be within"),
    ("1:1.0000000001", "must differ"),       # equal as 32-bit floats: a division by zero in the shader
])
def test_stretch_out_of_range_is_refused(text, fragment) -> None:
    from viewer.errors import UserError

    with pytest.raises(UserError, match=fragment) as info:
        ex.parse_stretch(text)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("text", ["1100", "200", "-65", "1e308"])
def test_exposure_outside_the_ev_range_is_refused(text) -> None:
    from viewer.errors import UserError

    with pytest.raises(UserError, match=r"outside -64…\+64"):
        ex.parse_exposure(text)
    assert ex.parse_exposure("64") == 64.0 and ex.parse_exposure("-64") == -64.0


def test_auto_ev_over_the_stretch_range_is_finite() -> None:
    """Every accepted stretch gives a positive grey target, so auto's log2 is defined and the EV stays
    inside the accepted range for any lit level the renderer produces."""
    img = np.full((4, 4, 3), 1e-3, np.float32)
    for stretch in [(0.0, 1e-6, 10.0), (0.0, 1e3, 0.1), (999.0, 1e3, 10.0), (0.0, 1.0, 2.2)]:
        ev = ex.auto_ev(img, ex.ToneSettings(curve="stretch", stretch=stretch))
        assert np.isfinite(ev) and abs(ev) <= ex.MAX_ABS_EV


def test_tone_math_is_overflow_safe_at_the_ev_limits() -> None:
    """The brightest float32 radiance at EV +64 and the faintest at -64: no numpy warning, white and
    black (the filmic curve's x² overflowed float32 on the GPU and float64 here for huge inputs)."""
    import warnings

    img = np.array([[[3.4e38] * 3, [1e-45] * 3, [0.18] * 3]], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for curve in ("filmic", "stretch"):
            hi = ex.tonemap_reference(img, ex.ToneSettings(exposure=64.0, curve=curve))
            lo = ex.tonemap_reference(img, ex.ToneSettings(exposure=-64.0, curve=curve))
            assert hi[0, 0].tolist() == [255] * 3 and lo[0, 1].tolist() == [0] * 3
        assert ex.filmic(np.array([1e300, np.inf])).tolist() == [1.0, 1.0]


def test_gpu_filmic_is_white_for_huge_exposed_radiance(gl_context) -> None:
    """x = 3e38 · 2^64 is inf in float32 and x² overflowed before the clamp: NaN on some drivers."""
    from viewer.render.passes.tonemap import tonemap

    img = np.array([[[3e38] * 3, [1e3] * 3, [0.18] * 3]], np.float32)
    out = tonemap(img, exposure=64.0, tonemap="filmic", context=gl_context)
    assert out[0, :2].tolist() == [[255] * 3] * 2
    ref = ex.tonemap_reference(img, ex.ToneSettings(exposure=0.0))
    assert tonemap(img, exposure=0.0, context=gl_context).tolist() == ref.tolist()
