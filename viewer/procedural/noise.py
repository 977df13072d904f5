"""Seeded noise for the map generators: spectral (FFT) noise on the map grid and 3-D lattice noise
on the sphere. Every function takes a :class:`numpy.random.Generator`; nothing touches the global RNG.

- :func:`spectral_noise` — noise on an ``(h, w)`` grid with a power-law spectrum and an optional
  anisotropy (features ``aspect`` times longer in longitude than in latitude). Periodic in
  longitude; used for Jupiter, whose structures are zonal, so the poleward stretching of the
  equirectangular grid is harmless there.
- :func:`sphere_fbm` — fractal value noise of the 3-D position on the unit sphere (no seam, no
  pinching at the poles); used for the moons. Each octave is evaluated on a grid just fine enough
  for its frequency and upsampled with a cubic spline, so whole maps stay fast.

Outputs are float64 arrays normalised to zero mean and unit standard deviation.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import ndimage
from scipy.interpolate import RectBivariateSpline

from viewer.procedural.mapgrid import pixel_centres, unit_vector

FloatArray = npt.NDArray[np.float64]


def _normalise(a: FloatArray) -> FloatArray:
    a = a - a.mean()
    s = a.std()
    return a / s if s > 0 else a


def spectral_noise(rng: np.random.Generator, h: int, w: int, beta: float = 3.0,
                   aspect: float = 1.0, kmin: float = 1.0, kmax: float | None = None) -> FloatArray:
    """Gaussian noise on an ``(h, w)`` grid with power spectrum ∝ k^−β.

    ``aspect`` > 1 stretches features along the rows (longitude). ``kmin``/``kmax`` (cycles per
    map width) limit the band. Rows are generated on a grid twice as tall and cropped, so the top
    and bottom rows are not correlated with each other.
    """
    hh = 2 * h
    white = rng.standard_normal((hh, w))
    f = np.fft.rfft2(white)
    ky = np.fft.fftfreq(hh)[:, None] * hh * (w / (2.0 * h))  # cycles per 360° of arc
    kx = np.fft.rfftfreq(w)[None, :] * w  # cycles per 360° of longitude
    k = np.sqrt((kx * aspect) ** 2 + ky**2)
    k[0, 0] = 1.0
    amp = k ** (-beta / 2.0)
    amp[k < kmin] = 0.0
    if kmax is not None:
        amp *= np.exp(-((k / kmax) ** 2))
    out = np.fft.irfft2(f * amp, s=(hh, w))[:h]
    return _normalise(out)


def upsample(a: FloatArray, h: int, w: int) -> FloatArray:
    """Cubic-spline resampling of a map-grid array ``a`` (pixel-centred, periodic in columns) to
    ``(h, w)``."""
    h0, w0 = a.shape
    if (h0, w0) == (h, w):
        return a
    pad = 3
    ap = np.concatenate([a[:, -pad:], a, a[:, :pad]], axis=1)
    y0 = (np.arange(h0) + 0.5) / h0
    x0 = (np.arange(-pad, w0 + pad) + 0.5) / w0
    spline = RectBivariateSpline(y0, x0, ap, kx=3, ky=3)
    y = (np.arange(h) + 0.5) / h
    x = (np.arange(w) + 0.5) / w
    return np.asarray(spline(y, x, grid=True))


def sphere_fbm(rng: np.random.Generator, h: int, w: int, octaves: int = 6,
               base_freq: float = 2.0, gain: float = 0.5, lacunarity: float = 2.0,
               warp: float = 0.0) -> FloatArray:
    """Fractal value noise of the position on the unit sphere, sampled at the pixel centres of an
    ``(h, w)`` map. ``base_freq`` is the number of lattice cells per sphere radius of the first
    octave; ``warp`` (radians-ish) displaces the sample points by a low-frequency noise first,
    which gives swirled, less regular shapes."""
    n = 64
    lattice = rng.standard_normal((n, n, n))
    coeffs = ndimage.spline_filter(lattice, order=3, mode="grid-wrap")
    offsets = rng.uniform(0, n, size=(octaves + 1, 3))
    out = np.zeros((h, w))
    positions: dict[int, FloatArray] = {}
    amp, freq, total = 1.0, base_freq, 0.0
    for o in range(octaves):
        # grid fine enough for this octave: ≥ ~3 samples per lattice cell around the equator
        wo = int(min(w, max(64, 2 ** int(np.ceil(np.log2(freq * 2 * np.pi * 3))))))
        ho = max(wo // 2, 8) if wo < w else h
        if wo not in positions:
            lat, wlon = pixel_centres(ho, wo)
            p = unit_vector(lat[:, None], wlon[None, :])
            if warp > 0.0:
                q = (p * 1.5 + offsets[-1]) % n
                big = ho * wo > 600_000
                d = ndimage.map_coordinates(lattice if big else coeffs, q.reshape(-1, 3).T,
                                            order=1 if big else 3, mode="grid-wrap",
                                            prefilter=False).reshape(ho, wo)
                p = p + warp * d[..., None] * np.array([0.57, 0.61, 0.55])
            positions[wo] = p
        p = positions[wo]
        coords = (p * freq + offsets[o]) % n
        order = 3 if ho * wo <= 600_000 else 1
        src = coeffs if order == 3 else lattice
        val = ndimage.map_coordinates(src, coords.reshape(-1, 3).T, order=order,
                                      mode="grid-wrap", prefilter=False).reshape(ho, wo)
        out += amp * upsample(val, h, w)
        total += amp
        amp *= gain
        freq *= lacunarity
    return _normalise(out / total)


def detail_noise(rng: np.random.Generator, h: int, w: int, beta: float = 2.0) -> FloatArray:
    """Cheap fine-scale detail (spectral noise above ~40 cycles around the equator) on the map
    grid, faded toward the poles where the equirectangular grid would stretch it into streaks."""
    n = spectral_noise(rng, h, w, beta=beta, aspect=1.0, kmin=40.0)
    lat, _ = pixel_centres(h, w)
    return n * np.sqrt(np.cos(lat))[:, None]
