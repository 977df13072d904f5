"""Calibrating a body's map to its published geometric albedo (ARCHITECTURE.md "Radiometry").

A map holds relative colours. The renderer multiplies the linear map by a scale so that the body,
seen at full phase with the reflectance law it is drawn with, has its published geometric albedo p
(FACTS §3f: Jupiter 0.52, Io 0.63; Europa 0.67, Ganymede 0.43, Callisto 0.20 from NSSDC).

Lambert law. Radiance of a surface element of normal albedo a at incidence i is a·cos i (radiance unit:
a white Lambert surface facing the Sun). At full phase (i = e) seen from direction s the disc's mean
radiance, i.e. the geometric albedo, is

    p(s) = (1/π) ∫_{n·s>0} a(n) (n·s)² dΩ.

Averaged over sub-observer points on the equator (s at latitude 0, all longitudes), with n at latitude φ:
⟨max(0, cos φ cos Δλ)²⟩ = cos²φ / 4, so

    p̄ = (1 / 4π) ∫∫ a(φ, λ) cos³φ dφ dλ,

which gives p̄ = 2a/3 for a uniform map (the Lambert sphere). :func:`lambert_geometric_albedo` evaluates
this on the map grid with the map's luminance (Rec. 709 weights, close to the V band); the scale is
p_published / p̄. Oblateness changes p̄ by < 1 % for Jupiter and is neglected.

Must not import: GL, ``viewer.cli``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from viewer.render.exposure import LUMA


def lambert_geometric_albedo(linear_rgb: npt.ArrayLike) -> float:
    """The full-phase geometric albedo of a Lambert body painted with this map (scale 1), averaged over
    sub-observer longitudes on the equator. ``linear_rgb``: (H, W, 3) linear map, row 0 = +90°."""
    a = np.asarray(linear_rgb, dtype=np.float64)
    lum = a[..., :3] @ np.asarray(LUMA) if a.ndim == 3 else a
    h = lum.shape[0]
    lat = np.pi / 2 - (np.arange(h) + 0.5) * np.pi / h
    w = np.cos(lat) ** 3
    # (1/4π) Σ a cos³φ Δφ Δλ with Δφ = π/H, Δλ = 2π/W, i.e. (π/2) × the weighted row means / H.
    return float(np.pi / 2.0 * np.sum(lum.mean(axis=1) * w) / h)


def albedo_scale(linear_rgb: npt.ArrayLike, geometric_albedo: float) -> float:
    """Factor that makes the map's Lambert geometric albedo equal ``geometric_albedo``."""
    p = lambert_geometric_albedo(linear_rgb)
    if not p > 0.0:
        raise ValueError("the map is black: it has no albedo to calibrate")
    return geometric_albedo / p
