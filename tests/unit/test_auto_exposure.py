"""``auto`` exposure when nothing is lit (viewer/render/exposure.py ``meter``, looks.py ``night_metering``):
Io's hot spots in an eclipse and the stars of an empty sky land near white instead of a black frame at
EV 0, and frames with a lit surface keep the median rule exactly. Numpy reference only, no GL."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer.render.exposure import (
    FEATURE_DISPLAY,
    FEATURE_RANK,
    LIT_MIN_RADIANCE,
    MIDDLE_GREY,
    ToneSettings,
    auto_ev,
    curve_inverse,
    filmic,
    meter,
    srgb_encode,
    tonemap_reference,
)
from viewer.render.looks import NIGHT_DISPLAY, night_ev, night_metering

JUNOCAM = ToneSettings(curve="stretch", stretch=(0.0, 1.0, 2.2))


def frame(h: int = 60, w: int = 80) -> np.ndarray:
    """(H, W, 4) radiance + coverage, all black sky."""
    return np.zeros((h, w, 4), np.float32)


def add_disc(img: np.ndarray, radiance: float = 0.0) -> np.ndarray:
    """A surface (coverage 1) of radius 20 px in the middle, uniformly ``radiance`` (grey)."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[:h, :w]
    disc = (yy - h / 2) ** 2 + (xx - w / 2) ** 2 < 20 ** 2
    img[disc, :3] = radiance
    img[disc, 3] = 1.0
    return img


def add_spots(img: np.ndarray, spots: list[tuple[int, int, float]], size: int = 3) -> np.ndarray:
    """Square size×size grey spots of the given radiance at (row, col), on whatever coverage is there."""
    for r, c, value in spots:
        img[r:r + size, c:c + size, :3] = value
    return img


def eclipse() -> np.ndarray:
    """Io in Jupiter's shadow: a black disc with three hot spots (1e-6 … 4e-5, the reproduction's
    levels) and fainter stars around it (coverage 0)."""
    img = add_disc(frame())
    add_spots(img, [(25, 35, 4e-5), (35, 45, 8e-6), (30, 28, 1e-6)])
    add_spots(img, [(2, 2, 2e-6), (55, 70, 5e-7), (5, 75, 1e-7)], size=2)
    return img


def test_hot_spots_in_an_eclipse_land_near_white() -> None:
    img = eclipse()
    assert luminance_max(img) < LIT_MIN_RADIANCE  # nothing lit: the old rule gave EV 0, a black frame
    m = meter(img)
    assert m.basis == "surfaces" and m.pixel == (25, 35)  # the brightest spot's first pixel
    # The brightest spot has 9 pixels, so the 10th brightest surface pixel is the second spot.
    assert m.level == pytest.approx(8e-6)
    assert m.ev == pytest.approx(math.log2(curve_inverse(ToneSettings(), FEATURE_DISPLAY) / 8e-6))
    out = tonemap_reference(img, ToneSettings(), m.ev)[..., 0]
    assert out[26, 36] >= 250 and 200 < out[36, 46] < 250 and out[31, 29] > 40   # all three visible
    assert out[3, 3] > 0                                                           # stars too, dimmer
    assert auto_ev(img) == m.ev


def test_the_stars_of_an_empty_sky_land_near_white() -> None:
    img = frame()
    add_spots(img, [(10, 10, 3e-6), (40, 60, 5e-7), (50, 20, 5e-8)], size=4)
    m = meter(img)
    assert m.basis == "sky" and m.pixel == (10, 10)
    # 16 pixels of the brightest star: its own level is the 10th brightest, on display 0.8.
    assert m.level == pytest.approx(3e-6)
    display = filmic(np.array(3e-6 * 2.0 ** m.ev))
    assert float(display) == pytest.approx(FEATURE_DISPLAY)
    out = tonemap_reference(img, ToneSettings(), m.ev)[..., 0]
    assert out[11, 11] == round(255 * float(srgb_encode(np.array(FEATURE_DISPLAY))))
    assert out[41, 61] > 60 and out[51, 21] > 0 and out[30, 30] == 0


def test_a_bright_star_alone_is_metered_as_a_star_not_as_lit_ground() -> None:
    """A star brighter than the lit threshold (a narrow field) is not a lit surface: with the old rule
    its pixels sat on middle grey (sRGB 118), now it is near white like any other brightest star."""
    img = frame()
    add_spots(img, [(10, 10, 5e-3), (40, 60, 2e-4)], size=4)
    m = meter(img)
    assert m.basis == "sky" and m.level == pytest.approx(5e-3)
    out = tonemap_reference(img, ToneSettings(), m.ev)[..., 0]
    assert out[11, 11] == round(255 * float(srgb_encode(np.array(FEATURE_DISPLAY)))) and out[41, 61] > 40


def test_one_outlier_pixel_does_not_set_the_exposure() -> None:
    """A single pixel brighter than everything (still unlit) is not what the EV is computed from."""
    evs = set()
    for outlier in (5e-5, 9e-5):
        img = eclipse()
        img[40, 40, :3] = outlier
        m = meter(img)
        assert m.pixel == (40, 40) and m.level == pytest.approx(4e-5)  # the brightest spot decides
        evs.add(m.ev)
    assert len(evs) == 1 and FEATURE_RANK > 1


def test_surfaces_come_before_the_stars() -> None:
    """A faint surface glow is exposed for even when stars outshine it."""
    img = add_disc(frame(), 1e-8)
    add_spots(img, [(2, 2, 1e-5)], size=4)
    m = meter(img)
    assert m.basis == "surfaces" and m.level == pytest.approx(1e-8)


def test_limb_pixels_partly_covered_are_not_surface() -> None:
    """A limb pixel keeps the star behind it in proportion to what the surface leaves uncovered: with
    nothing on the surfaces it is metered with the sky, as what it shows (a star), not as surface light."""
    img = add_disc(frame(), 0.0)
    img[40, 50, :3], img[40, 50, 3] = 2e-6, 0.5   # half a star on a limb pixel, half covered
    img[2, 2, :3] = 3e-6                          # a whole star in the sky
    m = meter(img)
    assert m.basis == "sky" and m.pixel == (2, 2)
    img[40, 50, 3] = 1.0                          # entirely covered: then it is surface light
    assert meter(img).basis == "surfaces" and meter(img).pixel == (40, 50)


def test_every_basis_names_a_pixel_showing_what_was_metered() -> None:
    """The status line traces this pixel to a body: the one nearest the median for the median rules."""
    img = add_disc(frame(), 0.0)
    disc = img[..., 3] > 0
    img[disc, :3] = np.linspace(0.01, 0.5, int(disc.sum()))[:, None]
    m = meter(img)
    y = img[..., :3] @ np.array([0.2126, 0.7152, 0.0722])
    assert m.basis == "lit" and disc[m.pixel] and abs(y[m.pixel] - m.level) == np.abs(y[disc] - m.level).min()
    n = night_metering(img, JUNOCAM)
    assert n.basis == "night" and disc[n.pixel] and y[n.pixel] < 0.05
    assert meter(frame()).pixel is None


def test_a_black_frame_stays_at_ev_0() -> None:
    assert meter(frame()).basis == "none" and meter(frame()).ev == 0.0
    assert auto_ev(np.zeros((4, 4, 3))) == 0.0
    # Denormal dust is black: it must not drive the EV to hundreds of stops.
    tiny = frame()
    tiny[5, 5, :3] = 1e-30
    assert meter(tiny).ev == 0.0


@pytest.mark.parametrize("coverage", [True, False])
def test_a_lit_surface_keeps_the_median_rule_exactly(coverage: bool) -> None:
    """Frames with a lit surface (every frame of the gallery but the sky) get the EV they always had:
    the median of all lit pixels (stars above the threshold included) on middle grey."""
    rng = np.random.default_rng(3)
    img = add_disc(frame(), 0.0)
    disc = img[..., 3] > 0
    img[disc, :3] = np.exp(rng.normal(np.log(0.05), 1.0, (int(disc.sum()), 1)))
    add_spots(img, [(1, 1, 3e-4), (50, 70, 2e-6)], size=2)  # a bright and a faint star
    y = img[..., :3] @ np.array([0.2126, 0.7152, 0.0722])
    expected = math.log2(MIDDLE_GREY / float(np.median(y[y > LIT_MIN_RADIANCE])))
    data = img if coverage else img[..., :3]
    assert meter(data).basis == "lit" and meter(data).ev == pytest.approx(expected, abs=1e-12)


def test_junocam_look_shows_the_hot_spots_through_its_stretch() -> None:
    img = eclipse()
    m = night_metering(img, JUNOCAM)
    assert m.basis == "surfaces" and night_ev(img, JUNOCAM) == m.ev
    assert m.ev == pytest.approx(math.log2(FEATURE_DISPLAY ** 2.2 / 8e-6))
    out = tonemap_reference(img, JUNOCAM, m.ev)[..., 0]
    assert out[26, 36] == 255 and out[31, 29] > 100
    # With a night side in the frame the junocam rule is unchanged (its median on display 0.5).
    night = add_disc(frame(), 0.01)
    assert night_metering(night, JUNOCAM).basis == "night"
    assert night_ev(night, JUNOCAM) == pytest.approx(math.log2(NIGHT_DISPLAY ** 2.2 / 0.01), rel=1e-6)


def luminance_max(img: np.ndarray) -> float:
    return float((img[..., :3] @ np.array([0.2126, 0.7152, 0.0722])).max())
