"""Exposure and tone mapping in numpy: the reference the GPU pass (``shaders/tonemap.frag``) must match.

Definitions (docs/architecture.md, "Radiometry"); radiance ``L`` is in units of a white Lambertian surface
facing the Sun:

* exposure: ``x = L · 2^EV``
* ``filmic``: ``display = aces(FILMIC_INPUT_SCALE · x)``, per channel, where ``aces`` is Krzysztof
  Narkowicz's fit of the ACES reference rendering + output transform
  (https://knarkowicz.wordpress.com/2016/01/06/aces-filmic-tone-mapping-curve/, 2016):
  ``aces(x) = clip(x(2.51x + 0.03) / (x(2.43x + 0.59) + 0.14), 0, 1)``.
  Narkowicz pre-scales by 0.6; we solve for the scale that puts x = 0.18 on display-linear 0.18
  (middle grey, sRGB 118): ``FILMIC_INPUT_SCALE`` ≈ 0.7232. Display white (1.0) is reached at
  x ≈ 10.0, 5.8 stops above middle grey.
* ``stretch``: ``display = clip((x − black) / (white − black), 0, 1) ^ (1/gamma)``.
* then sRGB encoding (IEC 61966-2-1 piecewise curve) and rounding to 8 bits.
* ``auto`` exposure (:func:`meter`), in this order:

  1. ``lit``: when some *surface* pixel (one the surfaces cover entirely: coverage, the HDR alpha,
     ≥ ``SURFACE_MIN_COVERAGE``) is lit (luminance, Rec. 709 weights, > ``LIT_MIN_RADIANCE``), the
     median luminance of all lit pixels maps to display middle grey:
     ``EV = log2(curve⁻¹(MIDDLE_GREY) / median)``; for ``filmic`` ``curve⁻¹(MIDDLE_GREY)`` is exactly 0.18.
  2. ``surfaces``: otherwise, when some surface pixel shines at all (> ``FEATURE_MIN_RADIANCE``: Io's
     hot spots in an eclipse, a faint night side), the luminance of the ``FEATURE_RANK``-th (10th)
     brightest of those pixels (the dimmest if fewer shine) maps to display ``FEATURE_DISPLAY`` (0.8,
     near but below white): ``EV = log2(curve⁻¹(FEATURE_DISPLAY) / Y₁₀)``.
  3. ``sky``: otherwise the same for the other pixels: the stars (and limb pixels, partly sky).
  4. ``none``: nothing above ``FEATURE_MIN_RADIANCE`` → EV 0.

  Pixels brighter than ``SUN_MIN_RADIANCE`` (the Sun's disc) count as black for every rule.

  Without a coverage channel ((H, W, 3) input) every pixel counts as a surface, which makes rule 1
  "any lit pixel" as it was before rules 2–4 existed.

Pure numpy; must not import vispy or OpenGL.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from viewer.errors import UserError

#: Display-linear middle grey (18 % reflectance); sRGB-encodes to 117.7 → 118.
MIDDLE_GREY = 0.18
#: Pixels with luminance above this (radiance units) count as lit for ``auto``; a 0-magnitude star
#: filling one 1080p pixel at 80° field is ~1e-3, the night side under Jupitershine ~1e-2.
LIT_MIN_RADIANCE = 1e-4
#: Rec. 709 / sRGB luminance weights.
LUMA = (0.2126, 0.7152, 0.0722)
#: Display-linear value the brightest features of a frame *without lit pixels* (hot spots, stars) land
#: on under ``auto``: near but below white (sRGB 231), so they keep their colour and a little headroom.
FEATURE_DISPLAY = 0.8
#: Rank of the pixel put on ``FEATURE_DISPLAY`` among the shining pixels, brightest first: the 10th, so
#: the brightest feature's core lands near white (a star's PSF or a small hot spot spans ~10 pixels) and
#: no single outlier pixel sets the EV. A rank, not a percentile: a wide field holds so many faint
#: stars that a percentile of the shining pixels (99 %: 5 stops more at 960×540, 50°) would bury the
#: bright ones in a saturated field of faint ones.
FEATURE_RANK = 10
#: Coverage from which a pixel is a *surface* pixel for ``auto``: entirely covered (the bodies' analytic
#: coverage is exactly 1 inside the limb). A limb pixel keeps the stars behind it in proportion, so with
#: nothing else on the surfaces partial coverage would expose for those stars as if they were surface.
SURFACE_MIN_COVERAGE = 0.999
#: Pixels at or below this luminance (radiance units) count as black for rules 2–4 of ``auto``: far
#: below the faintest star drawn (V = 9 at Jupiter is 1.4e-13 of the Sun's irradiance, spread over a
#: pixel's solid angle ~1e-11 and more in any frame), and it bounds the EV (filmic: ≤ 50.3 stops).
FEATURE_MIN_RADIANCE = 1e-15
#: Pixels brighter than this (luminance, radiance units) are the Sun's disc and count as black for every
#: rule of ``auto``: the Sun (≈1.25e6 at Jupiter; ≥ 300 in a pixel at any field of view up to 170°,
#: viewer.render.passes.sun) saturates under any exposure that shows a moon and never sets it. Nothing
#: else comes near: a white surface facing the Sun is 1, Io's brightest hot spot 0.05.
SUN_MIN_RADIANCE = 100.0

#: The largest exposure magnitude accepted, stops. Nothing in a scene needs more: a sunlit surface needs
#: ~0, the faintest light drawn (a V = 9 star spread over a pixel, ~1e-15) reaches white at about +50, and
#: ``2^±64`` (1.8e19) keeps exposed radiance well inside 32-bit floats (max 3.4e38 = 2^128) on the GPU.
MAX_ABS_EV = 64.0
#: Exposed radiance above which the filmic curve is white (it reaches 1.0 at ≈ 10.0): inputs are clamped
#: to it first, so the curve's x² cannot overflow (a 32-bit float overflows at x ≈ 1.8e19 there).
FILMIC_CLIP_INPUT = 1024.0
#: Range of the stretch's WHITE, exposed radiance. Any other (BLACK, WHITE) is the same picture at another
#: EV (scaling both by 2^k is EV − k); the bounds keep ``auto`` (through ``curve⁻¹``) inside ±MAX_ABS_EV.
STRETCH_WHITE_RANGE = (1e-6, 1e3)
#: Smallest WHITE − BLACK, as a fraction of WHITE: the two stay distinct as 32-bit floats on the GPU.
STRETCH_MIN_CONTRAST = 1e-6
#: Range of the stretch's GAMMA: 1/gamma is the exponent; at 10 the curve already puts 0.18^10 ≈ 4e-8 of
#: the range on display middle grey, beyond that it is a step.
STRETCH_GAMMA_RANGE = (0.1, 10.0)

_A, _B, _C, _D, _E = 2.51, 0.03, 2.43, 0.59, 0.14


def _aces_inverse(y: float) -> float:
    """x ≥ 0 with aces(x) = y, from (a − c·y)x² + (b − d·y)x − e·y = 0."""
    qa, qb, qc = _A - _C * y, _B - _D * y, -_E * y
    return (-qb + math.sqrt(qb * qb - 4.0 * qa * qc)) / (2.0 * qa)


#: Input scale of the filmic curve so that 0.18 lands on display-linear 0.18 (see module docstring).
FILMIC_INPUT_SCALE = _aces_inverse(MIDDLE_GREY) / MIDDLE_GREY

Curve = Literal["filmic", "stretch"]
FloatArray = npt.NDArray[np.floating]


@dataclass(frozen=True)
class ToneSettings:
    """How radiance becomes pixels.

    Attributes
    ----------
    exposure : ``"auto"`` or EV in stops (``L · 2^EV``)
    curve : ``"filmic"`` or ``"stretch"``
    stretch : (black, white, gamma) of the stretch curve, in exposed radiance units
    """

    exposure: float | Literal["auto"] = "auto"
    curve: Curve = "filmic"
    stretch: tuple[float, float, float] = (0.0, 1.0, 1.0)

    def __post_init__(self) -> None:
        if self.curve not in ("filmic", "stretch"):
            raise UserError(f"unknown tone curve {self.curve!r}: use filmic or stretch")
        if self.exposure != "auto":
            check_ev(self.exposure)
        black, white, gamma = self.stretch
        lo, hi = STRETCH_WHITE_RANGE
        if not (math.isfinite(black) and math.isfinite(white) and 0.0 <= black < white):
            raise UserError(f"--stretch {black:g}:{white:g}:{gamma:g} needs 0 <= BLACK < WHITE (exposed "
                            "radiance, never negative), e.g. 0:1.5:2.2")
        if not lo <= white <= hi:
            raise UserError(f"--stretch {black:g}:{white:g}:{gamma:g}: WHITE must be within {lo:g}…{hi:g} "
                            "(exposed radiance); divide BLACK and WHITE by 2^k and add k to --exposure")
        if white - black < STRETCH_MIN_CONTRAST * white:
            raise UserError(f"--stretch {black:g}:{white:g}:{gamma:g}: BLACK and WHITE must differ by at "
                            f"least {STRETCH_MIN_CONTRAST:g} of WHITE")
        glo, ghi = STRETCH_GAMMA_RANGE
        if not (math.isfinite(gamma) and glo <= gamma <= ghi):
            raise UserError(f"--stretch {black:g}:{white:g}:{gamma:g}: GAMMA must be within {glo:g}…{ghi:g} "
                            "(2.2 is the usual display gamma)")


def check_ev(ev: object) -> float:
    """``ev`` as a float if it is a finite number of stops within ±``MAX_ABS_EV``, else UserError."""
    if isinstance(ev, bool) or not isinstance(ev, int | float) or not math.isfinite(ev):
        raise UserError(f"exposure must be 'auto' or a number of stops, not {ev!r}")
    if abs(ev) > MAX_ABS_EV:
        raise UserError(f"exposure {ev:g} EV is outside -{MAX_ABS_EV:g}…+{MAX_ABS_EV:g} (2^{MAX_ABS_EV:g} "
                        "= 1.8e19 already brings the faintest light drawn to white); give an EV in that "
                        "range or auto")
    return float(ev)


def parse_stretch(text: str) -> tuple[float, float, float]:
    """``"BLACK:WHITE:GAMMA"`` (gamma optional, default 1) → floats; bad text raises UserError."""
    parts = text.split(":")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) == 2:
        values.append(1.0)
    if len(values) != 3:
        raise UserError(f"--stretch {text!r}: expected BLACK:WHITE[:GAMMA], e.g. 0:1.5:2.2")
    settings = ToneSettings(curve="stretch", stretch=(values[0], values[1], values[2]))
    return settings.stretch


def parse_exposure(text: str) -> float | Literal["auto"]:
    """``"auto"`` or a number of stops; bad text raises UserError."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        value = float(text)
    except ValueError:
        raise UserError(f"--exposure {text!r}: expected auto or a number of stops (EV)") from None
    ToneSettings(exposure=value)
    return value


def filmic(x: FloatArray) -> FloatArray:
    """Display-linear value in [0, 1] of exposed radiance ``x`` (per channel)."""
    x = np.clip(np.asarray(x, dtype=np.float64), 0.0, FILMIC_CLIP_INPUT) * FILMIC_INPUT_SCALE
    return np.clip((x * (_A * x + _B)) / (x * (_C * x + _D) + _E), 0.0, 1.0)


def stretch(x: FloatArray, black: float = 0.0, white: float = 1.0, gamma: float = 1.0) -> FloatArray:
    """Display-linear ``clip((x − black)/(white − black), 0, 1)^(1/gamma)`` (per channel)."""
    t = np.clip((np.asarray(x, dtype=np.float64) - black) / (white - black), 0.0, 1.0)
    return np.power(t, 1.0 / gamma)


def srgb_encode(y: FloatArray) -> FloatArray:
    """IEC 61966-2-1 encoding of display-linear ``y`` in [0, 1] (values outside are clipped)."""
    y = np.clip(np.asarray(y, dtype=np.float64), 0.0, 1.0)
    return np.where(y <= 0.0031308, 12.92 * y, 1.055 * np.power(y, 1.0 / 2.4) - 0.055)


def quantize(encoded: FloatArray) -> npt.NDArray[np.uint8]:
    """[0, 1] → uint8, rounding to nearest (as GL does for normalized 8-bit targets)."""
    out: npt.NDArray[np.uint8] = np.floor(np.clip(encoded, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    return out


def luminance(linear_rgb: FloatArray) -> FloatArray:
    """Rec. 709 luminance of (..., 3) linear RGB."""
    rgb = np.asarray(linear_rgb, dtype=np.float64)
    return rgb[..., 0] * LUMA[0] + rgb[..., 1] * LUMA[1] + rgb[..., 2] * LUMA[2]


def curve_inverse(settings: ToneSettings, display: float) -> float:
    """The exposed radiance ``x`` that the settings' curve maps to display-linear ``display`` in (0, 1)."""
    if not 0.0 < display < 1.0:
        raise ValueError(f"display value must be inside (0, 1), got {display}")
    if settings.curve == "filmic":
        return _aces_inverse(display) / FILMIC_INPUT_SCALE
    black, white, gamma = settings.stretch
    return float(black + (white - black) * display ** gamma)


def curve_inverse_grey(settings: ToneSettings) -> float:
    """The exposed radiance that the settings' curve maps to display middle grey (0.18 for filmic)."""
    return curve_inverse(settings, MIDDLE_GREY)


#: What an automatic exposure was computed from (see :class:`Metering`).
Basis = Literal["lit", "night", "surfaces", "sky", "none"]


@dataclass(frozen=True)
class Metering:
    """What an automatic exposure measured and the EV it chose.

    Attributes
    ----------
    ev : the EV, stops
    basis : ``"lit"`` (median of the lit pixels on middle grey), ``"night"`` (the ``junocam`` look:
        median of the dim pixels, :func:`viewer.render.looks.night_metering`), ``"surfaces"`` (no lit
        pixel: the 10th brightest pixel of the surfaces' own faint light, e.g. Io's hot spots, on
        ``FEATURE_DISPLAY``), ``"sky"`` (nothing on the surfaces either: the stars), ``"none"`` (a
        black frame: EV 0)
    level : the luminance (radiance units) put on the target display value; 0 for ``"none"``
    pixel : (row, column) in the metered image (top row first) of a pixel showing what was metered: the
        brightest of the basis for ``"surfaces"`` and ``"sky"``, the surface pixel nearest the median
        for ``"lit"`` and ``"night"``; None for ``"none"``
    """

    ev: float
    basis: Basis
    level: float = 0.0
    pixel: tuple[int, int] | None = None


def luminance_coverage(linear: FloatArray) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """(luminance, covered) of (H, W, 3|4) radiance: covered = alpha ≥ ``SURFACE_MIN_COVERAGE`` (the
    surfaces fill the pixel); every pixel counts as covered without an alpha channel. The Sun's pixels
    (above ``SUN_MIN_RADIANCE``) get luminance 0: no rule meters them."""
    arr = np.asarray(linear)
    covered = (arr[..., 3] >= SURFACE_MIN_COVERAGE if arr.shape[-1] >= 4
               else np.ones(arr.shape[:-1], dtype=bool))
    y = luminance(arr[..., :3])
    return np.where(y > SUN_MIN_RADIANCE, 0.0, y), covered


def lit_surface(y: FloatArray, covered: npt.NDArray[np.bool_]) -> bool:
    """Whether some surface pixel is lit (rule 1 of ``auto``): luminance > ``LIT_MIN_RADIANCE`` and
    covered."""
    return bool(np.any((y > LIT_MIN_RADIANCE) & covered))


def median_pixel(y: FloatArray, candidates: npt.NDArray[np.bool_], median: float) -> tuple[int, int]:
    """(row, column) of the candidate pixel whose luminance is nearest ``median``."""
    row, col = np.unravel_index(int(np.argmin(np.where(candidates, np.abs(y - median), np.inf))), y.shape)
    return int(row), int(col)


def meter_unlit(y: FloatArray, covered: npt.NDArray[np.bool_], settings: ToneSettings) -> Metering:
    """Rules 2–4 of ``auto`` (a frame with no lit surface): the ``FEATURE_RANK``-th brightest shining
    surface pixel, else sky pixel, on display ``FEATURE_DISPLAY``; EV 0 for a black frame.

    Parameters
    ----------
    y : (H, W) luminance, radiance units
    covered : (H, W) whether a surface covers the pixel
    settings : the curve (its exposure is ignored)
    """
    shining = y > FEATURE_MIN_RADIANCE
    basis: Basis
    for basis, mask in (("surfaces", shining & covered), ("sky", shining & ~covered)):
        if np.any(mask):
            values = y[mask]
            rank = min(FEATURE_RANK, values.size)
            level = float(np.partition(values, values.size - rank)[values.size - rank])
            row, col = np.unravel_index(int(np.argmax(np.where(mask, y, -1.0))), y.shape)
            ev = math.log2(curve_inverse(settings, FEATURE_DISPLAY) / level)
            return Metering(float(ev), basis, level, (int(row), int(col)))
    return Metering(0.0, "none")


def meter(linear: FloatArray, settings: ToneSettings | None = None, stride: int = 1) -> Metering:
    """The ``auto`` exposure of a frame and what it was computed from (rules in the module docstring).

    Parameters
    ----------
    linear : (H, W, 3) radiance, or (H, W, 4) radiance and coverage (the HDR target's alpha)
    settings : the curve (default filmic; its exposure is ignored)
    stride : use every ``stride``-th pixel in x and y (an unbiased subsample of the median; the
        returned ``pixel`` is then in the subsample's coordinates)
    """
    settings = settings or ToneSettings()
    y, covered = luminance_coverage(np.asarray(linear)[::stride, ::stride])
    if lit_surface(y, covered):
        lit = y > LIT_MIN_RADIANCE
        median = float(np.median(y[lit]))
        return Metering(float(math.log2(curve_inverse_grey(settings) / median)), "lit", median,
                        median_pixel(y, lit & covered, median))
    return meter_unlit(y, covered, settings)


def auto_ev(linear_rgb: FloatArray, settings: ToneSettings | None = None, stride: int = 1) -> float:
    """The EV of :func:`meter`: the median lit pixel on middle grey, or, with no lit surface, the
    brightest features (surfaces' own light, else stars) near white; 0 for a black frame.

    Parameters
    ----------
    linear_rgb : (H, W, 3) radiance, or (H, W, 4) with the coverage as alpha
    settings : the curve (default filmic)
    stride : use every ``stride``-th pixel in x and y

    Returns
    -------
    EV in stops.
    """
    return meter(linear_rgb, settings, stride).ev


def resolve_ev(linear_rgb: FloatArray, settings: ToneSettings) -> float:
    """The EV the settings ask for: ``auto`` computed from the image, else the given number."""
    if settings.exposure == "auto":
        return auto_ev(linear_rgb, settings)
    return float(settings.exposure)


def tonemap_reference(linear_rgb: FloatArray, settings: ToneSettings | None = None,
                      ev: float | None = None) -> npt.NDArray[np.uint8]:
    """The CPU reference of the tone-map pass: (H, W, 3) radiance → (H, W, 3) sRGB uint8."""
    settings = settings or ToneSettings()
    rgb = np.asarray(linear_rgb, dtype=np.float64)[..., :3]
    if ev is None:
        ev = resolve_ev(rgb, settings)
    x = rgb * 2.0 ** ev
    display = filmic(x) if settings.curve == "filmic" else stretch(x, *settings.stretch)
    return quantize(srgb_encode(display))


@functools.lru_cache(maxsize=64)
def _invisible_exposed(curve: Curve, stretch_params: tuple[float, float, float], levels: float) -> float:
    """The largest exposed radiance δ with enc(x + δ) − enc(x) ≤ ``levels``/255 for every x ≥ 0, where enc
    is the curve then sRGB encoding (:func:`invisible_radiance`); found by bisection in log δ over a
    dense grid of x that holds the curve's steepest parts (the filmic toe, the stretch's black point)."""
    black, white, gamma = stretch_params

    def enc(x: FloatArray) -> FloatArray:
        return srgb_encode(filmic(x) if curve == "filmic" else stretch(x, black, white, gamma))

    span = white - black
    xs = np.unique(np.concatenate([[0.0, black], np.geomspace(1e-12, 1e3, 3000),
                                   black + span * np.geomspace(1e-12, 1.0, 1500)]))
    base, step = enc(xs), levels / 255.0
    lo, hi = -40.0, 3.0  # log10 δ
    if float(np.max(enc(xs + 10.0 ** lo) - base)) > step:
        return 0.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        if float(np.max(enc(xs + 10.0 ** mid) - base)) <= step:
            lo = mid
        else:
            hi = mid
    return float(10.0 ** lo) * 0.98  # 2 % for the steepest point falling between grid points


def invisible_radiance(settings: ToneSettings, ev: float, levels: float = 0.25) -> float:
    """Radiance (renderer units, one channel) that, added to any pixel exposed at ``ev`` through the
    settings' curve, changes its display value by at most ``levels`` of an 8-bit step — whatever the
    pixel held (the steepest part of the curve counts, not only black). Light below it cannot change a
    rounded pixel by itself (``levels`` < 0.5); a quarter of a step leaves room for a few such lights in
    one pixel."""
    exposed = _invisible_exposed(settings.curve, tuple(float(v) for v in settings.stretch), float(levels))
    return float(exposed) * float(2.0 ** -float(ev))


def shader_defines() -> dict[str, float]:
    """Constants shared with ``shaders/lib/exposure.glsl`` (generated into its #define block)."""
    return {"FILMIC_INPUT_SCALE": float(FILMIC_INPUT_SCALE), "FILMIC_CLIP_INPUT": float(FILMIC_CLIP_INPUT)}
