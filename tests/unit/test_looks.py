"""The three looks (viewer/render/looks.py): each does what docs/rendering.md "Looks" says, through the
numpy reference of the tone map (viewer/render/exposure.py); no GL."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer.errors import UserError
from viewer.render.exposure import (
    MIDDLE_GREY,
    ToneSettings,
    filmic,
    quantize,
    srgb_encode,
    tonemap_reference,
)
from viewer.render.looks import (
    LOOKS,
    NIGHT_DISPLAY,
    NIGHT_MAX_RADIANCE,
    get_look,
    look_tone,
    night_ev,
)

DAY = 0.5  # sunlit ground of albedo ≈ 0.6 at 35° incidence, radiance units


def scene(hot_spot: float | None = None) -> np.ndarray:
    """A grey (R = G = B, so luminance = value) 40×40 frame: black sky, a day side at DAY, a night
    side of 201 pixels from 0.001 to 0.02 (Jupitershine levels) with median 0.0105, and optionally one
    night-side hot spot."""
    img = np.zeros((40, 40, 3), np.float32)
    img[:20, :] = DAY                                   # 800 day-side pixels
    night = np.linspace(0.001, 0.02, 201, dtype=np.float32)
    img[20:, :].reshape(-1, 3)[:201] = night[:, None]   # the rest stays black sky
    if hot_spot is not None:
        img[39, 39] = hot_spot
    return img


def test_the_three_looks_are_defined_once() -> None:
    assert list(LOOKS) == ["physical", "junocam", "linear"]
    assert get_look(" JunoCam ") is LOOKS["junocam"]
    for look in LOOKS.values():
        assert look.summary and look.name in LOOKS


def test_unknown_look_is_a_user_error_listing_the_choices() -> None:
    with pytest.raises(UserError, match="physical, junocam, linear"):
        get_look("pastel")


def test_physical_is_filmic_at_ev_0_and_leaves_the_night_side_nearly_black() -> None:
    tone, night = look_tone("physical", ToneSettings())
    assert tone == ToneSettings(exposure=0.0, curve="filmic") and not night
    # A sunlit 18 % grey card lands on middle grey (sRGB 118), whatever the frame holds.
    assert tonemap_reference(np.full((1, 1, 3), MIDDLE_GREY), tone)[0, 0, 0] == 118
    # Jupitershine at 1 % of the day side: display-linear below 0.05 (in fact below 0.005) …
    assert float(filmic(np.array(0.01 * DAY))) < 0.005
    out = tonemap_reference(np.array([[[DAY] * 3, [0.01 * DAY] * 3]]), tone)[0, :, 0]
    # … so sRGB ≤ 16 (display 0.05 would be 63), while the day side is bright and unclipped.
    assert out[1] <= quantize(srgb_encode(np.array(0.005))) and 180 < out[0] < 255


def test_junocam_puts_the_night_side_median_on_display_half_and_clips_the_day_side() -> None:
    img = scene()
    tone, night = look_tone("junocam", ToneSettings())
    assert night and tone.curve == "stretch" and tone.stretch == (0.0, 1.0, 2.2)
    ev = night_ev(img, tone)
    median = float(np.median(np.linspace(0.001, 0.02, 201)))
    assert ev == pytest.approx(math.log2(NIGHT_DISPLAY ** 2.2 / median))
    out = tonemap_reference(img, tone, ev)
    median_px = img[20:, :].reshape(-1, 3)[100]   # the 101st of 201: the median
    assert float(median_px[0]) == pytest.approx(median, rel=1e-6)
    assert out[20:, :].reshape(-1, 3)[100, 0] == quantize(srgb_encode(np.array(NIGHT_DISPLAY)))  # 188
    assert (out[:20] == 255).all()                # the day side clips
    assert (out[img[..., 0] == 0] == 0).all()     # black sky stays black


def test_junocam_ignores_hot_spots_and_sky() -> None:
    tone, _ = look_tone("junocam", ToneSettings())
    # A hot spot 40x brighter than the day side is not dim: the EV does not move (a rule relative to
    # the brightest pixel would); the black sky is not lit and does not count either.
    assert night_ev(scene(hot_spot=20.0), tone) == night_ev(scene(), tone)
    # The threshold lies above the brightest Jupitershine (white surface on Io under a full Jupiter:
    # p·(R_J/d)² × 1.04, docs/rendering.md) and below sunlit Io (albedo 0.63) up to 85° incidence.
    brightest_jupitershine = 0.52 * (71_492.0 / 421_700.0) ** 2 * 1.04
    assert 3 * brightest_jupitershine < NIGHT_MAX_RADIANCE < 0.63 * math.cos(math.radians(85.0))


def test_junocam_without_a_night_side_falls_back_to_the_lit_median_and_without_light_to_ev_0() -> None:
    tone, _ = look_tone("junocam", ToneSettings())
    day = np.full((4, 4, 3), DAY, np.float32)
    assert night_ev(day, tone) == pytest.approx(math.log2(NIGHT_DISPLAY ** 2.2 / DAY))
    assert night_ev(np.zeros((4, 4, 3), np.float32), tone) == 0.0


def test_junocam_through_another_curve_still_puts_the_median_on_half() -> None:
    tone, night = look_tone("junocam", ToneSettings(), curve="filmic")
    assert night and tone.curve == "filmic"
    median = float(np.median(np.linspace(0.001, 0.02, 201)))
    assert float(filmic(np.array(median * 2.0 ** night_ev(scene(), tone)))) == pytest.approx(NIGHT_DISPLAY)


@pytest.mark.parametrize("ev", [0.0, -1.0, 3.0])
def test_linear_png_is_clipped_scaled_radiance_srgb_encoded(ev: float) -> None:
    tone, night = look_tone("linear", ToneSettings(), exposure=None if ev == 0.0 else ev)
    assert not night and tone == ToneSettings(exposure=ev, curve="stretch", stretch=(0.0, 1.0, 1.0))
    assert LOOKS["linear"].writes_linear
    rng = np.random.default_rng(6)
    radiance = rng.uniform(0.0, 1.5, (16, 16, 3)).astype(np.float32)
    expected = quantize(srgb_encode(np.clip(radiance.astype(np.float64) * 2.0 ** ev, 0.0, 1.0)))
    assert np.array_equal(tonemap_reference(radiance, tone), expected)


def test_explicit_settings_override_the_look_and_no_look_keeps_the_default() -> None:
    tone, night = look_tone("junocam", ToneSettings(), exposure=2.5)
    assert not night and tone == ToneSettings(exposure=2.5, curve="stretch", stretch=(0.0, 1.0, 2.2))
    tone, night = look_tone("junocam", ToneSettings(), stretch=(0.0, 2.0, 1.0))
    assert night and tone.stretch == (0.0, 2.0, 1.0)
    tone, _ = look_tone("physical", ToneSettings(), exposure="auto", curve="stretch")
    assert tone == ToneSettings(exposure="auto", curve="stretch")
    preset = ToneSettings(exposure="auto", curve="filmic")
    assert look_tone(None, preset) == (preset, False)
    assert look_tone(None, preset, exposure=1.0)[0] == ToneSettings(exposure=1.0)
