"""Statistics of a colour map, to hold a procedural map up against a real mosaic: per latitude band
(mean colour, contrast, small-scale power spectrum), the sharpness of the polar boundary, the
fine streaks round the poles that make a starburst pinch, and bright-cored vortices round a pole.

A map is an ``(h, w, 3)`` float array of sRGB-encoded values in [0, 1] in the convention of
:mod:`.mapgrid`. Luma is the Rec. 709-weighted sum of the encoded channels (what the eye reads off
the map). Pixels are weighted by cos(latitude), i.e. by area. Only numpy and the map helpers.

- **Mean colour**: the area-weighted mean sRGB of the band.
- **Contrast**: RMS contrast of luma, std / mean, over the band.
- **Power**: each row's luma minus its mean, Fourier-transformed along the row; a term k (cycles
  per row) has wavelength 360°·cos φ / k of great circle. The power (variance, luma²) of the terms
  whose wavelength lies in a range, averaged over the band's rows by area: :data:`SMALL` (0.7–2.8°:
  ~870–3,500 km on Jupiter, 22–90 km on Io at 2048×1024) and :data:`MEDIUM` (2.8–11.2°).
- **Polar edge**: the largest change of the row-mean colour (Euclidean, sRGB) over 2° of latitude in
  a latitude range.
- **Pole streaks**: round a pole, luma's structure along rings finer than two map rows over the
  map's texel-scale variation across them (:func:`pole_streaks`): ~10 for a map whose rows converge
  into a starburst, < 0.1 for a map made on the sphere.
- **Bright cores**: vortices with bright cores round a pole (:func:`bright_cores`), to count and
  place Jupiter's circumpolar cyclones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.procedural.mapgrid import interpolate

FloatArray = npt.NDArray[np.float64]

LUMA = np.array([0.2126, 0.7152, 0.0722])
#: wavelength ranges (degrees of great circle) of the "small" and "medium" scales
SMALL: tuple[float, float] = (0.7, 2.8)
MEDIUM: tuple[float, float] = (2.8, 11.2)


@dataclass(frozen=True)
class BandStats:
    """Statistics of one latitude band (see the module docstring)."""

    south: float
    north: float
    mean_rgb: tuple[float, float, float]
    contrast: float
    power_small: float
    power_medium: float


def _band_rows(h: int, south: float, north: float) -> npt.NDArray[np.intp]:
    lat = 90.0 - (np.arange(h) + 0.5) * 180.0 / h
    return np.flatnonzero((lat >= south) & (lat < north))


def band_power(luma: FloatArray, lat_deg: FloatArray, wavelengths: tuple[float, float]) -> float:
    """Area-weighted mean over rows of the power of each row's luma (rows of ``luma`` (n, w), at
    latitudes ``lat_deg`` (n,)) in the wavelength range ``wavelengths`` (degrees of great circle)."""
    w = luma.shape[1]
    f = np.fft.rfft(luma - luma.mean(axis=1, keepdims=True), axis=1)
    p = np.abs(f) ** 2 / float(w) ** 2
    p[:, 1:] *= 2.0  # ±k; the sum over k is then the row's variance (up to the Nyquist term)
    c = np.cos(np.deg2rad(lat_deg))
    k = np.arange(p.shape[1])[None, :]
    wl = 360.0 * c[:, None] / np.maximum(k, 1)
    sel = (k > 0) & (wl >= wavelengths[0]) & (wl < wavelengths[1])
    return float(((p * sel).sum(axis=1) * c).sum() / c.sum())


def band_stats(img: FloatArray, south: float, north: float) -> BandStats:
    """:class:`BandStats` of the rows of ``img`` whose centres lie in [``south``, ``north``) °."""
    h, w = img.shape[:2]
    rows = _band_rows(h, south, north)
    lat = 90.0 - (rows + 0.5) * 180.0 / h
    sub = np.asarray(img[rows], dtype=np.float64)
    wt = np.cos(np.deg2rad(lat))[:, None] * np.ones((1, w))
    wt /= wt.sum()
    mean = (sub * wt[..., None]).sum(axis=(0, 1))
    y = sub @ LUMA
    my = float((y * wt).sum())
    sd = float(np.sqrt(((y - my) ** 2 * wt).sum()))
    return BandStats(south, north, (float(mean[0]), float(mean[1]), float(mean[2])), sd / my,
                     band_power(y, lat, SMALL), band_power(y, lat, MEDIUM))


def polar_edge(img: FloatArray, lat_from: float, lat_to: float, span_deg: float = 2.0) -> float:
    """The largest change of the row-mean colour (sRGB, Euclidean) between rows ``span_deg`` apart
    with latitudes between ``lat_from`` and ``lat_to`` (either order, same hemisphere)."""
    h = img.shape[0]
    lat = 90.0 - (np.arange(h) + 0.5) * 180.0 / h
    rows = np.flatnonzero((lat >= min(lat_from, lat_to)) & (lat <= max(lat_from, lat_to)))
    mean = np.asarray(img, dtype=np.float64)[rows].mean(axis=1)
    step = max(1, round(span_deg / (180.0 / h)))
    return float(np.linalg.norm(mean[step:] - mean[:-step], axis=1).max())


def pole_streaks(img: FloatArray, north: bool, colatitudes_deg: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0),
                 n: int = 4096) -> FloatArray:
    """Starburst measure round a pole, one value per ring at ``colatitudes_deg``: the power of luma
    along the ring (``n`` points, read bilinearly) at azimuthal wavelengths shorter than two map
    rows — structure finer across the meridians than the map can hold along them, which only rows
    converging at the pole make — over half the mean squared luma difference between the ring and
    the ring one row nearer the equator (the map's own texel-scale variation there). A map made on
    the sphere gives < 0.1; noise made on the map grid gives ~10."""
    y = np.asarray(img, dtype=np.float64) @ LUMA
    row = np.pi / y.shape[0]
    sign = 1.0 if north else -1.0
    az = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    m = np.arange(n // 2 + 1)
    out = []
    for th in colatitudes_deg:
        lat = sign * (np.pi / 2.0 - np.deg2rad(th))
        f = interpolate(y, np.full(n, lat), az)
        power = np.abs(np.fft.rfft(f - f.mean())) ** 2 * (2.0 / n**2)
        wavelength = 2.0 * np.pi * np.sin(np.deg2rad(th)) / np.maximum(m, 1)
        streaks = float(power[(m > 0) & (wavelength < 2.0 * row)].sum())
        g = interpolate(y, np.full(n, lat - sign * row), az)
        out.append(streaks / max(0.5 * float(np.mean((f - g) ** 2)), 1e-30))
    return np.asarray(out)


def bright_cores(img: FloatArray, north: bool, radius_deg: float, extent_deg: float = 9.5,
                 k: float = 3.0, step_deg: float = 0.05) -> list[tuple[float, float, float]]:
    """Vortices with bright cores of about ``radius_deg`` (angular radius) within ``extent_deg``
    of a pole: maxima of the luma smoothed over 0.3 radii minus the luma smoothed over 2 radii, on
    an azimuthal-equidistant grid round the pole (``step_deg`` per pixel), at least 1.5 radii apart
    and ``k`` times the median absolute value above zero. Returns (planetocentric latitude °, west
    longitude °, height over the threshold) for each."""
    from scipy import ndimage

    m = int(np.ceil((extent_deg + 3.0 * radius_deg) / step_deg))
    x = np.arange(-m, m + 1) * step_deg
    xx, yy = np.meshgrid(x, x)
    r = np.hypot(xx, yy)
    sign = 1.0 if north else -1.0
    lat = np.deg2rad(sign * (90.0 - r))
    wlon = np.mod(np.arctan2(yy, xx), 2.0 * np.pi)
    y = interpolate(np.asarray(img, dtype=np.float64) @ LUMA, lat, wlon)
    s = radius_deg / step_deg
    d = ndimage.gaussian_filter(y, 0.3 * s) - ndimage.gaussian_filter(y, 2.0 * s)
    peak = ndimage.maximum_filter(d, size=int(1.5 * s)) == d
    inside = r < extent_deg
    threshold = k * float(np.median(np.abs(d[inside])))
    found = np.argwhere(peak & inside & (d > threshold))
    return [(float(sign * (90.0 - r[i, j])), float(np.rad2deg(wlon[i, j])), float(d[i, j] / threshold))
            for i, j in found]
