"""Jupiter's stratospheric haze as a thin single-scattering layer (numpy twin of ``shaders/lib/haze.glsl``).

Why. Seen at a grazing angle, the haze above Jupiter's clouds shows as a thin bright rim just outside
the limb (Cassini, Galileo and JunoCam limb images), and over the disc it adds a little light near the
limb, where the Minnaert law darkens the clouds.

The model (radiance unit of docs/architecture.md "Radiometry": 1.0 = a white Lambert surface facing the Sun):

* an exponential layer of scale height :data:`SCALE_HEIGHT_KM` starting at the 1-bar ellipsoid, of
  vertical optical depth τ: :data:`TAU_LOW_LATITUDES` between the equator and 30° latitude,
  :data:`TAU_HIGH_LATITUDES` from 60°, a smooth step between;
* single scattering with single-scattering albedo ϖ and phase function P (normalised to 4π):
  :data:`W_P_OVER_4` = ϖP/4. Over the disc, lit at μ0 and seen at μ (Chandrasekhar 1960, *Radiative
  Transfer*, ch. I)::

      L_haze = (ϖP/4) · m/(m0 + m) · (1 − exp(−τ(m0 + m))),   m0 = 1/μ0, m = 1/μ (air masses)

  and the clouds' own light is dimmed by exp(−τ(m0 + m)). Near the horizon the air masses are capped
  by the Chapman factor of a spherical shell, √(πr/2H) (one side of a tangent ray);
* outside the limb, a ray passing the limb at tangent altitude h crosses the slant optical depth
  τ_t(h) = τ·e^(−h/H)·√(2πr/H) (Chapman's grazing integral, both sides), and shows
  L(h) = (ϖP/4)·(1 − exp(−τ_t(h)))·T_sun(h), T_sun the sunlight's transmission to that height,
  where the tangent point is in sunlight (a smooth step across μ0 ≈ −0.03…0.01).

The figures. τ from Zhang, West, Banfield & Yung 2013 (Icarus 226, 159, "Stratospheric aerosols on
Jupiter from Cassini observations"): the stratospheric haze optical depth is ~0.03 at low latitudes and
~0.1 at high latitudes at 0.9 µm (in the UV it rises to a few at high latitudes); compact particles
lie between 40° S and 25° N and fractal aggregates poleward, hence the step from 30° to 60°. We take the
near-infrared values for the visible, which underestimates the polar haze in blue light. H = 27 km, the
atmosphere's scale height (NASA NSSDC Jupiter Fact Sheet). ϖ = 1 and an isotropic phase function: the
real haze absorbs in the UV and scatters forward (brighter at high phase angles, as Galileo's limb images
at 146–157° phase show: Rages et al., DPS 1997) — not modelled; the rim is drawn neutral white.

At I57 distances this rim is sub-pixel (Jupiter's limb is ~130 km per pixel at 1080p when Jupiter fills
the frame, against H = 27 km); the shader integrates it over each pixel's altitude span, so it adds a
faint brightening of the limb pixel there and a visible thin line in close views.

Must not import: GL, ``viewer.cli``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

F64 = NDArray[np.float64]

#: Vertical optical depth of the haze, equator to 30° latitude (Zhang et al. 2013).
TAU_LOW_LATITUDES = 0.03
#: Vertical optical depth of the haze, poleward of 60° latitude (Zhang et al. 2013, at 0.9 µm).
TAU_HIGH_LATITUDES = 0.1
#: Scale height of Jupiter's atmosphere, km (NASA NSSDC Jupiter Fact Sheet).
SCALE_HEIGHT_KM = 27.0
#: ϖ·P/4 with ϖ = 1 (conservative) and P = 1 (isotropic): the radiance of an optically thick haze
#: seen edge-on in full sunlight, in renderer units.
W_P_OVER_4 = 0.25


def shader_uniform() -> tuple[float, float, float, float]:
    """``u_haze`` of ``body.frag``: (τ low, τ high, H km, ϖP/4)."""
    return (TAU_LOW_LATITUDES, TAU_HIGH_LATITUDES, SCALE_HEIGHT_KM, W_P_OVER_4)


def vertical_tau(sin_latitude: ArrayLike) -> F64:
    """τ at latitude φ given sin φ: the low-latitude value to 30°, the high-latitude one from 60°, a
    smooth step (3t² − 2t³ in sin φ) between."""
    s = np.abs(np.asarray(sin_latitude, dtype=np.float64))
    t = np.clip((s - 0.5) / (np.sqrt(3.0) / 2.0 - 0.5), 0.0, 1.0)
    step = t * t * (3.0 - 2.0 * t)
    return np.asarray(TAU_LOW_LATITUDES + (TAU_HIGH_LATITUDES - TAU_LOW_LATITUDES) * step, dtype=np.float64)


def _air_mass(mu: F64, chapman: float) -> F64:
    return np.asarray(1.0 / np.maximum(mu, 1.0 / chapman), dtype=np.float64)


def disc(mu0: ArrayLike, mu: ArrayLike, tau: ArrayLike, radius_km: float,
         scale_height_km: float = SCALE_HEIGHT_KM) -> tuple[F64, F64]:
    """(transmission of the clouds' light, haze radiance) at a point of the disc lit at ``mu0`` and seen
    at ``mu``; (1, 0) on the night side (the column above is in shadow)."""
    m0v = np.asarray(mu0, dtype=np.float64)
    chapman = float(np.sqrt(np.pi * radius_km / (2.0 * scale_height_km)))
    am0 = _air_mass(m0v, chapman)
    am = _air_mass(np.asarray(mu, dtype=np.float64), chapman)
    ext = np.exp(-np.asarray(tau, dtype=np.float64) * (am0 + am))
    lit = m0v > 0.0
    return (np.asarray(np.where(lit, ext, 1.0), dtype=np.float64),
            np.asarray(np.where(lit, W_P_OVER_4 * am / (am0 + am) * (1.0 - ext), 0.0), dtype=np.float64))


def limb(altitude_km: ArrayLike, mu0: ArrayLike, tau: ArrayLike, radius_km: float,
         scale_height_km: float = SCALE_HEIGHT_KM) -> F64:
    """Radiance of the haze along a ray passing ``altitude_km`` above the limb (0 below it), where the
    limb point's normal makes cos = ``mu0`` with the Sun; see the module docstring."""
    h = np.asarray(altitude_km, dtype=np.float64)
    m0v = np.asarray(mu0, dtype=np.float64)
    chapman = float(np.sqrt(2.0 * np.pi * radius_km / scale_height_km))
    tau_h = np.asarray(tau, dtype=np.float64) * np.exp(-np.maximum(h, 0.0) / scale_height_km)
    t_sun = np.exp(-tau_h * _air_mass(m0v, 0.5 * chapman))
    x = np.clip((m0v + 0.03) / 0.04, 0.0, 1.0)
    lit = x * x * (3.0 - 2.0 * x)
    out = W_P_OVER_4 * (1.0 - np.exp(-tau_h * chapman)) * t_sun * lit
    return np.asarray(np.where(h >= 0.0, out, 0.0), dtype=np.float64)
