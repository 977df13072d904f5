"""Seeded noise for the map generators, evaluated in 3-D on the unit sphere. Every function takes a
:class:`numpy.random.Generator`; nothing touches the global RNG.

All noise is a function of the **3-D unit vector** of each texel (:func:`mapgrid.unit_vector`), never
of its latitude and longitude: the equirectangular grid's rows converge at the poles, and noise made
on that grid turns there into a starburst of radial streaks. Noise of the position on the sphere has
no seam and no pole.

- :func:`gradient_noise` — Perlin gradient noise of lattice coordinates, with an integer hash (no
  periodic lattice, so no repeats at high frequencies).
- :func:`sphere_fbm` — fractal sums of it sampled at the pixel centres of a map. Each octave is
  evaluated at every row but only as many columns as its frequency needs, and resampled in longitude
  (:func:`upsample_longitude`), so whole maps stay fast and nothing is extrapolated across a pole.
  ``zonal`` > 1 shortens features in the north–south direction (Jupiter's zonal structure): it
  scales the z axis before the lattice, so features near the equator are ``zonal`` times longer
  east–west than north–south, while at the poles, whose tangent plane is x–y, they stay round — a
  zonal pattern that needs no special case at the pole.
- :func:`detail_noise` — fine-scale fractal detail down to about two pixels at the equator.

Outputs are float64 arrays normalised to zero mean and unit standard deviation over the map's pixels.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from viewer.procedural.mapgrid import pixel_centres, unit_vector

FloatArray = npt.NDArray[np.float64]

_N_GRADIENTS = 256
_CHUNK = 1 << 18
# hash multipliers (odd 64-bit constants: the golden ratio's and two of SplitMix64's)
_MX, _MY, _MZ = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9)
_MIX = np.uint64(0xBF58476D1CE4E5B9)


def _normalise(a: FloatArray) -> FloatArray:
    a = a - a.mean()
    s = a.std()
    return a / s if s > 0 else a


def gradient_table(rng: np.random.Generator) -> npt.NDArray[np.float32]:
    """256 random unit gradient vectors (float32) for :func:`gradient_noise`."""
    g = rng.standard_normal((_N_GRADIENTS, 3))
    return np.asarray(g / np.linalg.norm(g, axis=1, keepdims=True), dtype=np.float32)


def gradient_noise(points: FloatArray, gradients: npt.NDArray[np.float32], seed: int) -> FloatArray:
    """Perlin gradient noise (quintic fade) at lattice coordinates ``points`` (N, 3): about ±0.7,
    zero at every lattice point, one feature per lattice cell. The gradient of each lattice point is
    ``gradients[hash(i, j, k, seed) % 256]``; the integer hash has no period within ±2²⁰ cells."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    out = np.empty(len(pts), dtype=np.float64)
    s64 = np.uint64(seed & 0xFFFFFFFFFFFFFFFF)
    for s in range(0, len(pts), _CHUNK):
        q = pts[s:s + _CHUNK]
        base = np.floor(q)
        f = (q - base).astype(np.float32)
        ii = base.astype(np.int64) + (1 << 20)
        u = f * f * f * (f * (f * 6.0 - 15.0) + 10.0)
        hx = [(ii[:, 0] + d).astype(np.uint64) * _MX for d in (0, 1)]
        hy = [(ii[:, 1] + d).astype(np.uint64) * _MY for d in (0, 1)]
        hz = [(ii[:, 2] + d).astype(np.uint64) * _MZ for d in (0, 1)]
        corner: dict[tuple[int, int, int], npt.NDArray[np.float32]] = {}
        for dx in (0, 1):
            for dy in (0, 1):
                for dz in (0, 1):
                    h = hx[dx] ^ hy[dy] ^ hz[dz] ^ s64
                    h ^= h >> np.uint64(29)
                    h *= _MIX
                    h ^= h >> np.uint64(32)
                    g = gradients[(h & np.uint64(_N_GRADIENTS - 1)).astype(np.intp)]
                    corner[dx, dy, dz] = (g[:, 0] * (f[:, 0] - dx) + g[:, 1] * (f[:, 1] - dy)
                                          + g[:, 2] * (f[:, 2] - dz))
        ux, uy, uz = u[:, 0], u[:, 1], u[:, 2]
        x00 = corner[0, 0, 0] + ux * (corner[1, 0, 0] - corner[0, 0, 0])
        x10 = corner[0, 1, 0] + ux * (corner[1, 1, 0] - corner[0, 1, 0])
        x01 = corner[0, 0, 1] + ux * (corner[1, 0, 1] - corner[0, 0, 1])
        x11 = corner[0, 1, 1] + ux * (corner[1, 1, 1] - corner[0, 1, 1])
        y0 = x00 + uy * (x10 - x00)
        y1 = x01 + uy * (x11 - x01)
        out[s:s + _CHUNK] = y0 + uz * (y1 - y0)
    return out.reshape(np.shape(points)[:-1])


def random_rotation(rng: np.random.Generator) -> FloatArray:
    """A random rotation matrix (3, 3) (QR of a Gaussian matrix, sign-fixed)."""
    q, r = np.linalg.qr(rng.standard_normal((3, 3)))
    q = q * np.sign(np.diag(r))[None, :]
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return np.asarray(q, dtype=np.float64)


def upsample_longitude(a: FloatArray, w: int) -> FloatArray:
    """Band-limited (FFT) resampling of a map-grid array ``a`` (h, w0) to ``w`` columns, row by row.
    Only longitude is resampled: every row keeps its own latitude, so the rows round a pole, which
    are tiny circles, are interpolated along those circles and never extrapolated across the pole
    (a 2-D spline from a coarser grid would give each column its own value at the pole: a pinch)."""
    w0 = a.shape[1]
    if w0 == w:
        return a
    f = np.fft.rfft(a, axis=1)
    g = np.zeros((a.shape[0], w // 2 + 1), dtype=np.complex128)
    n = min(w0 // 2, w // 2) + 1
    g[:, :n] = f[:, :n]
    if w0 % 2 == 0 and w0 < w:
        g[:, w0 // 2] *= 0.5  # the coarse grid's Nyquist term, split between ±k
    return np.asarray(np.fft.irfft(g, n=w, axis=1) * (w / w0), dtype=np.float64)


def _pow2_at_least(x: float, lo: int, hi: int) -> int:
    return int(min(hi, max(lo, 2 ** int(np.ceil(np.log2(max(x, 1.0)))))))


def sphere_fbm(rng: np.random.Generator, h: int, w: int, octaves: int = 6,
               base_freq: float = 2.0, gain: float = 0.5, lacunarity: float = 2.0,
               warp: float = 0.0, zonal: float = 1.0) -> FloatArray:
    """Fractal gradient noise of the position on the unit sphere, sampled at the pixel centres of an
    ``(h, w)`` map.

    ``base_freq`` is the number of lattice cells per sphere radius of the first octave (each octave
    ``lacunarity`` times finer, ``gain`` times weaker). ``warp`` (sphere radii) first displaces the
    sample points by a smooth 3-D noise field of frequency 1.5, which gives swirled, less regular
    shapes. ``zonal`` ≥ 1 multiplies the z coordinate (see the module docstring). Each octave has its
    own random rotation, offset and hash seed, drawn from ``rng``. Coarse octaves are evaluated at
    every row but fewer columns (≥ 3 per lattice cell at the equator) and resampled in longitude
    (:func:`upsample_longitude`).
    """
    if zonal < 1.0:
        raise ValueError("zonal must be >= 1")
    grads = gradient_table(rng)
    stretch = np.array([1.0, 1.0, float(zonal)])
    warp_params = [(random_rotation(rng), rng.uniform(0, 1000, 3), int(rng.integers(1 << 62)))
                   for _ in range(3)]
    params = [(random_rotation(rng), rng.uniform(0, 1000, 3), int(rng.integers(1 << 62)))
              for _ in range(octaves)]
    lat, _ = pixel_centres(h, w)
    warp_field: FloatArray | None = None
    if warp > 0.0:  # frequency 1.5: 64 columns resolve it
        pw = unit_vector(lat[:, None], pixel_centres(h, 64)[1][None, :])
        warp_field = np.stack([gradient_noise((pw @ r.T) * 1.5 + o, grads, sd)
                               for r, o, sd in warp_params], axis=-1)
    out = np.zeros((h, w))
    positions: dict[int, FloatArray] = {}
    amp, freq, total = 1.0, base_freq, 0.0
    for rot, off, seed in params:
        wo = _pow2_at_least(freq * 2 * np.pi * 3, 64, w)
        if wo not in positions:
            _, wlon = pixel_centres(h, wo)
            p = unit_vector(lat[:, None], wlon[None, :])
            if warp_field is not None:
                p = p + warp * np.stack([upsample_longitude(warp_field[..., k], wo)
                                         for k in range(3)], axis=-1)
            positions[wo] = p * stretch
        val = gradient_noise((positions[wo] @ rot.T) * freq + off, grads, seed)
        out += amp * upsample_longitude(val, w)
        total += amp
        amp *= gain
        freq *= lacunarity
    return _normalise(out / total)


def detail_noise(rng: np.random.Generator, h: int, w: int, beta: float = 2.0) -> FloatArray:
    """Fine-scale detail on the sphere: octaves from ~40 cycles around the equator down to about two
    map pixels, each octave's amplitude set so that the power spectrum falls as k^−``beta``."""
    base = 40.0 / (2 * np.pi)
    finest = w / (2 * np.pi) / 2.0
    octaves = max(1, int(np.floor(np.log2(finest / base))) + 1)
    return sphere_fbm(rng, h, w, octaves=octaves, base_freq=base, gain=2.0 ** (1.0 - beta / 2.0))
