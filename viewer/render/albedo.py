"""Calibrating a body's map to its published geometric albedo (docs/architecture.md "Radiometry").

A map holds relative colours. The renderer multiplies the linear map by a scale so that the body,
seen at full phase with the reflectance law it is drawn with, has its published geometric albedo p
(docs/sources.md §3f: Jupiter 0.52, Io 0.63; Europa 0.67, Ganymede 0.43, Callisto 0.20 from NSSDC).

At full phase (incidence = emission, μ0 = μ) each law the renderer uses is a power of μ times the
normal albedo a: Lambert a·μ, Minnaert a·μ^(2k−1) (Jupiter), and McEwen's lunar-Lambert law, whose
weight L(0) = 1 makes it Lommel–Seeliger, a·μ⁰ (Io). With the law a·μ^(m−1), the disc's mean radiance
seen from direction s, i.e. its geometric albedo, is

    p(s) = (1/π) ∫_{n·s>0} a(n) (n·s)^m dΩ.

Averaged over sub-observer points on the equator (s at latitude 0, all longitudes), with n at latitude φ:
⟨max(0, cos φ cos Δλ)^m⟩ = c_m cos^m φ with c_m = (1/2π)∫cos^m = Γ((m+1)/2) / (2√π Γ(m/2 + 1)), so

    p̄ = (c_m / π) ∫∫ a(φ, λ) cos^(m+1) φ dφ dλ.

For a uniform map this is p = 2a/3 (Lambert, m = 2, c = 1/4), p = 2a/(2k+1) (Minnaert, m = 2k) and p = a
(Lommel–Seeliger, m = 1, c = 1/π) — the closed forms of :mod:`viewer.sim.photometry` (tested).
:func:`geometric_albedo` evaluates it on the map grid with the map's luminance (Rec. 709 weights, close
to the V band); the scale is p_published / p̄. Oblateness changes p̄ by ~1 % for Jupiter and is neglected.

Must not import: GL, ``viewer.cli``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from viewer.render.exposure import LUMA

#: The full-phase exponent m of the Lambert law (a·μ^(m−1) with m = 2).
LAMBERT = 2.0


def geometric_albedo(linear_rgb: npt.ArrayLike, mu_exponent: float = LAMBERT) -> float:
    """The full-phase geometric albedo of a body painted with this map (scale 1) under the law
    a·μ^(m−1) at full phase (``mu_exponent`` = m), averaged over sub-observer longitudes on the
    equator. ``linear_rgb``: (H, W, 3) linear map, row 0 = +90°."""
    a = np.asarray(linear_rgb)
    row_lum = row_means(a) @ np.asarray(LUMA) if a.ndim == 3 else row_means(a[:, :, None])[:, 0]
    h = row_lum.shape[0]
    lat = np.pi / 2 - (np.arange(h) + 0.5) * np.pi / h
    m = float(mu_exponent)
    c_m = math.gamma((m + 1.0) / 2.0) / (2.0 * math.sqrt(math.pi) * math.gamma(m / 2.0 + 1.0))
    w = np.cos(lat) ** (m + 1.0)
    # (c/π) Σ a cos^(m+1)φ Δφ Δλ with Δφ = π/H, Δλ = 2π/W: 2π c × the weighted row means / H.
    return float(2.0 * np.pi * c_m * np.sum(row_lum * w) / h)


def row_means(a: npt.NDArray[np.floating], channels: int = 3) -> npt.NDArray[np.float64]:
    """(H, ``channels``) float64 means over the columns of each row of an (H, W, C) map's first
    ``channels`` channels, a block of rows at a time: no float64 copy of a whole map (3.2 GB for a
    16384 × 8192 RGB one)."""
    h, w = a.shape[:2]
    n = min(channels, a.shape[2])
    out = np.empty((h, n))
    step = max(1, (1 << 21) // max(1, w * n))  # 16 MB of float64 at a time
    for i in range(0, h, step):
        out[i:i + step] = a[i:i + step, :, :n].mean(axis=1, dtype=np.float64)
    return out


def albedo_scale(linear_rgb: npt.ArrayLike, geometric_albedo_: float, mu_exponent: float = LAMBERT) -> float:
    """Factor that makes the map's geometric albedo under the law of ``mu_exponent`` equal
    ``geometric_albedo_``."""
    p = geometric_albedo(linear_rgb, mu_exponent)
    if not p > 0.0:
        raise ValueError("the map is black: it has no albedo to calibrate")
    return geometric_albedo_ / p


def map_colour(linear_rgb: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """A map's mean linear colour with rows weighted by cos³ latitude (the Lambert full-phase disc
    weighting of :func:`geometric_albedo`), scaled to Rec. 709 luminance 1: the tint of the light the
    whole body reflects."""
    rows = row_means(np.asarray(linear_rgb))
    lat = np.pi / 2 - (np.arange(rows.shape[0]) + 0.5) * np.pi / rows.shape[0]
    mean = np.average(rows, axis=0, weights=np.cos(lat) ** 3)
    return np.asarray(mean / float(mean @ np.asarray(LUMA)), dtype=np.float32)
