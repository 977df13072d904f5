"""Exposure and tone mapping in numpy: the reference the GPU pass (``shaders/tonemap.frag``) must match.

Definitions (ARCHITECTURE.md, "Radiometry"); radiance ``L`` is in units of a white Lambertian surface
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
* ``auto`` exposure: EV such that the median luminance (Rec. 709 weights) of the *lit* pixels
  (luminance > ``LIT_MIN_RADIANCE``) maps to display middle grey, i.e.
  ``EV = log2(curve⁻¹(MIDDLE_GREY) / median)``; for ``filmic`` ``curve⁻¹(MIDDLE_GREY)`` is exactly 0.18.
  No lit pixel → EV 0.

Pure numpy; must not import vispy or OpenGL.
"""

from __future__ import annotations

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


def auto_ev(linear_rgb: FloatArray, settings: ToneSettings | None = None, stride: int = 1) -> float:
    """EV that puts the median luminance of the lit pixels on middle grey.

    Parameters
    ----------
    linear_rgb : (H, W, 3) or (H, W, 4) radiance (alpha ignored)
    settings : the curve (default filmic)
    stride : use every ``stride``-th pixel in x and y (an unbiased subsample of the median)

    Returns
    -------
    EV in stops; 0.0 when no pixel is lit.
    """
    settings = settings or ToneSettings()
    rgb = np.asarray(linear_rgb)[::stride, ::stride, :3]
    y = luminance(rgb)
    lit = y[y > LIT_MIN_RADIANCE]
    if lit.size == 0:
        return 0.0
    return float(math.log2(curve_inverse_grey(settings) / float(np.median(lit))))


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


def shader_defines() -> dict[str, float]:
    """Constants shared with ``shaders/lib/exposure.glsl`` (generated into its #define block)."""
    return {"FILMIC_INPUT_SCALE": float(FILMIC_INPUT_SCALE), "FILMIC_CLIP_INPUT": float(FILMIC_CLIP_INPUT)}
