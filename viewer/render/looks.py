"""The three documented looks (``--look``): named exposure + tone-curve settings, all defined here.

Radiance ``L`` is in docs/architecture.md "Radiometry" units (1 = a white Lambertian surface facing the Sun
at Jupiter's distance from it); the curves and ``EV`` are those of :mod:`viewer.render.exposure`.

* ``physical`` — filmic curve, **EV 0**: a surface of albedo 0.18 facing the Sun (radiance 0.18) lands
  on display middle grey, the exposure a light meter gives for a grey card in full sunlight ("sunny
  16"), here at Jupiter's distance from the Sun. It is fixed, not metered from the frame, so frames of
  a sequence compare, and the night side under Jupitershine (≈1 % of the day side: at most
  ``p·(R_J/d)² ≈ 0.016`` for a white surface on Io) stays nearly black (display-linear < 0.005) as a
  real exposure for the day side shows it.
* ``junocam`` — the night side stretched like the NASA/SwRI/MSSS JunoCam release of PJ57 (Io's night
  side lit by Jupitershine, January 2024): stretch curve ``0:1:2.2`` and the EV from the frame
  (:func:`night_ev`): the median luminance of the *dim* pixels (``LIT_MIN_RADIANCE < Y <
  NIGHT_MAX_RADIANCE``) lands on display-linear ``NIGHT_DISPLAY`` = 0.5 (sRGB 188), i.e.
  ``EV = log2(0.5^2.2 / median)``. The day side is 50–100× brighter and clips to white. With no lit
  surface (Io in eclipse) the ``auto`` rules 2–4 of :mod:`viewer.render.exposure` apply through the
  stretch: the hot spots, else the stars, near white.
* ``linear`` — no curve: stretch ``0:1:1`` at EV 0, so the PNG is ``sRGB(clip(L · 2^EV, 0, 1))``
  (radiance 1 → 255; invert with the sRGB decoding and ``· 2^−EV`` below the clip), and the radiance
  itself is written as float32 ``.npy`` too (``--linear``, else beside the PNG).

Explicit ``--exposure``, ``--tonemap`` and ``--stretch`` override a look's values (:func:`look_tone`);
with another curve the junocam rule still puts the dim median on display 0.5 through that curve.

Pure numpy; must not import vispy or OpenGL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np

from viewer.errors import UserError
from viewer.render.exposure import (
    LIT_MIN_RADIANCE,
    Curve,
    FloatArray,
    Metering,
    ToneSettings,
    curve_inverse,
    lit_surface,
    luminance_coverage,
    median_pixel,
    meter_unlit,
)

#: Pixels dimmer than this (radiance units) are the night side for the ``junocam`` look. Three times the
#: brightest Jupitershine anywhere (a white surface on Io facing a full Jupiter: p·(R_J/d)² × 1.04 ≈
#: 0.016, docs/rendering.md "Jupitershine"), and below sunlit Io or Jupiter (albedo ≈ 0.6–0.75) except
#: within ≈ 5° of the terminator. An absolute level, not a fraction of the brightest pixel: a resolved
#: hot spot outshines sunlit ground many times, and a frame with the Sun's path off has no day side.
NIGHT_MAX_RADIANCE = 0.05
#: Display-linear value the night side's median luminance lands on in the ``junocam`` look: the middle
#: of the display range (sRGB 188), with 2.2 stops of headroom above it before white under gamma 2.2.
NIGHT_DISPLAY = 0.5
#: Gamma of the ``junocam`` stretch: lifts the dark half of the night side and tempers its colour
#: ratios, as the processed JunoCam night-side images do; the usual display gamma.
JUNOCAM_GAMMA = 2.2

#: What a look's exposure may be: EV in stops, ``"auto"`` (the GPU auto exposure) or ``"night"``
#: (:func:`night_ev` of the frame's radiance, computed on the CPU).
LookExposure = float | Literal["auto", "night"]


@dataclass(frozen=True)
class Look:
    """One named look.

    Attributes
    ----------
    name : the ``--look`` value
    curve : ``"filmic"`` or ``"stretch"``
    exposure : EV, ``"auto"`` or ``"night"`` (see :data:`LookExposure`)
    stretch : (black, white, gamma) of the stretch curve
    writes_linear : the still command also writes the radiance as .npy
    summary : one line for ``--help`` and the docs
    """

    name: str
    curve: Curve
    exposure: LookExposure
    stretch: tuple[float, float, float]
    writes_linear: bool
    summary: str


#: The looks, by name (docs/rendering.md "Looks").
LOOKS: dict[str, Look] = {look.name: look for look in (
    Look("physical", "filmic", 0.0, (0.0, 1.0, 1.0), False,
         "filmic at EV 0 (a sunlit 18 % grey card on middle grey); the night side nearly black"),
    Look("junocam", "stretch", "night", (0.0, 1.0, JUNOCAM_GAMMA), False,
         f"stretch 0:1:{JUNOCAM_GAMMA:g}, EV putting the night side's median on display "
         f"{NIGHT_DISPLAY:g}; the day side clips"),
    Look("linear", "stretch", 0.0, (0.0, 1.0, 1.0), True,
         "PNG = sRGB(clip(radiance x 2^EV)) at EV 0, no curve; radiance also written as .npy"),
)}


def get_look(name: str) -> Look:
    """The look called ``name`` (case-insensitive); an unknown name raises UserError listing the choices."""
    look = LOOKS.get(name.strip().lower())
    if look is None:
        raise UserError(f"--look {name!r}: unknown; choose from {', '.join(LOOKS)}")
    return look


def night_metering(linear: FloatArray, settings: ToneSettings) -> Metering:
    """The ``junocam`` look's exposure: the median luminance of the dim pixels onto ``NIGHT_DISPLAY``.

    Dim: Rec. 709 luminance in (``LIT_MIN_RADIANCE``, ``NIGHT_MAX_RADIANCE``).
    ``EV = log2(curve⁻¹(NIGHT_DISPLAY) / median)`` through ``settings``' curve (basis ``"night"``).
    With no dim pixel the median of all lit pixels is used (basis ``"lit"``). With no lit surface
    pixel, :func:`viewer.render.exposure.meter_unlit`: the surfaces' own light (hot spots), else the
    stars, on display ``FEATURE_DISPLAY``; a black frame gets EV 0.

    Parameters
    ----------
    linear : (H, W, 3) radiance, or (H, W, 4) with the coverage as alpha (without it every pixel
        counts as a surface); every pixel used
    settings : the curve (its exposure is ignored)
    """
    y, covered = luminance_coverage(linear)
    if not lit_surface(y, covered):
        return meter_unlit(y, covered, settings)
    lit = y > LIT_MIN_RADIANCE
    dim = lit & (y < NIGHT_MAX_RADIANCE)
    sample = dim if np.any(dim) else lit
    median = float(np.median(y[sample]))
    ev = math.log2(curve_inverse(settings, NIGHT_DISPLAY) / median)
    return Metering(float(ev), "night" if np.any(dim) else "lit", median,
                    median_pixel(y, sample & covered, median))


def night_ev(linear_rgb: FloatArray, settings: ToneSettings) -> float:
    """The EV of :func:`night_metering`."""
    return night_metering(linear_rgb, settings).ev


def look_tone(look: str | None, default: ToneSettings, exposure: float | Literal["auto"] | None = None,
              curve: Curve | None = None,
              stretch: tuple[float, float, float] | None = None) -> tuple[ToneSettings, bool]:
    """The tone settings of ``look`` (or ``default`` without one) with the explicit values put over it.

    Parameters
    ----------
    look : a name from :data:`LOOKS`, or None for ``default`` (a preset's exposure and curve)
    default : used when ``look`` is None
    exposure, curve, stretch : explicit settings (``--exposure``, ``--tonemap``, ``--stretch``); None
        keeps the look's

    Returns
    -------
    (settings, night): when ``night`` the EV is to come from :func:`night_metering` of the frame's radiance
    (``settings.exposure`` is then a placeholder 0).
    """
    if look is None:
        base: LookExposure = default.exposure
        base_curve, base_stretch = default.curve, default.stretch
    else:
        chosen = get_look(look)
        base, base_curve, base_stretch = chosen.exposure, chosen.curve, chosen.stretch
    ev = base if exposure is None else exposure
    night = ev == "night"
    tone = ToneSettings(exposure=0.0 if night else cast("float | Literal['auto']", ev),
                        curve=curve or base_curve, stretch=stretch if stretch is not None else base_stretch)
    return tone, night
