"""The map convention of ``textures/`` and small geometry helpers shared by all map generators.

Convention (docs/assets.md, "Our convention"): equirectangular; the top row is +90°
**planetocentric** latitude, the bottom row −90°; **west** longitude increases from right to left,
with 180° W at the centre of the image, the left edge at 360° W and the right edge at 0° W.

A map of shape ``(h, w)`` has pixel centres at::

    lat  = 90 − (row + 0.5) · 180 / h        (degrees, planetocentric)
    wlon = 360 − (col + 0.5) · 360 / w       (degrees west, in (0, 360))

:func:`latlon_to_pixel` and :func:`pixel_to_latlon` are the single implementation of this mapping;
generators and tests both use them; :func:`lat_wlon` inverts :func:`unit_vector` and
:func:`interpolate` reads a map bilinearly at any points. Angles are degrees at this interface and
radians inside. This module imports numpy and scipy.ndimage only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import ndimage

FloatArray = npt.NDArray[np.float64]

# Jupiter's 1-bar radii, km (pck00011 BODY599_RADII; docs/sources.md §3e).
JUPITER_EQUATORIAL_RADIUS_KM = 71492.0
JUPITER_POLAR_RADIUS_KM = 66854.0


def latlon_to_pixel(lat_deg: float, wlon_deg: float, shape: tuple[int, ...]) -> tuple[int, int]:
    """The (row, col) of the pixel that contains planetocentric latitude ``lat_deg`` and west
    longitude ``wlon_deg`` (any real value; taken modulo 360) in a map of ``shape = (h, w, ...)``."""
    h, w = int(shape[0]), int(shape[1])
    v = (90.0 - float(lat_deg)) / 180.0 * h
    u = (360.0 - (float(wlon_deg) % 360.0)) / 360.0 * w
    row = min(max(int(np.floor(v)), 0), h - 1)
    col = int(np.floor(u)) % w
    return row, col


def pixel_to_latlon(row: float, col: float, shape: tuple[int, ...]) -> tuple[float, float]:
    """(planetocentric latitude, west longitude in [0, 360)) in degrees of the centre of pixel
    (``row``, ``col``) in a map of ``shape = (h, w, ...)``."""
    h, w = int(shape[0]), int(shape[1])
    lat = 90.0 - (float(row) + 0.5) * 180.0 / h
    wlon = (360.0 - (float(col) + 0.5) * 360.0 / w) % 360.0
    return lat, wlon


def sample(image: npt.NDArray[np.generic], lat_deg: float, wlon_deg: float
           ) -> npt.NDArray[np.generic]:
    """The pixel value of ``image`` at (``lat_deg``, ``wlon_deg``), nearest pixel."""
    row, col = latlon_to_pixel(lat_deg, wlon_deg, image.shape)
    return np.asarray(image[row, col])


def pixel_centres(h: int, w: int) -> tuple[FloatArray, FloatArray]:
    """1-D arrays of the pixel-centre latitudes (length ``h``) and west longitudes (length ``w``),
    in radians."""
    lat = np.deg2rad(90.0 - (np.arange(h) + 0.5) * 180.0 / h)
    wlon = np.deg2rad(360.0 - (np.arange(w) + 0.5) * 360.0 / w)
    return lat, wlon


def graphic_to_centric(lat_graphic_deg: float, a: float = JUPITER_EQUATORIAL_RADIUS_KM,
                       b: float = JUPITER_POLAR_RADIUS_KM) -> float:
    """Planetocentric latitude (deg) of a planetographic latitude (deg) on a spheroid with
    equatorial radius ``a`` and polar radius ``b``: tan φc = (b/a)² tan φg."""
    g = np.deg2rad(lat_graphic_deg)
    return float(np.rad2deg(np.arctan((b / a) ** 2 * np.tan(g))))


def unit_vector(lat: FloatArray | float, wlon: FloatArray | float) -> FloatArray:
    """Unit vectors (..., 3) of points at latitude ``lat`` and west longitude ``wlon`` (radians).
    Body-fixed axes: +x at 0° longitude, +z north; east longitude = −west longitude."""
    lat = np.asarray(lat, dtype=np.float64)
    elon = -np.asarray(wlon, dtype=np.float64)
    c = np.cos(lat)
    return np.stack(np.broadcast_arrays(c * np.cos(elon), c * np.sin(elon), np.sin(lat)), axis=-1)


def lat_wlon(p: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Latitude and west longitude in [0, 2π) (radians) of vectors ``p`` (..., 3), the inverse of
    :func:`unit_vector` (``p`` need not be unit length)."""
    p = np.asarray(p, dtype=np.float64)
    lat = np.arctan2(p[..., 2], np.hypot(p[..., 0], p[..., 1]))
    wlon = np.mod(-np.arctan2(p[..., 1], p[..., 0]), 2.0 * np.pi)
    return lat, wlon


def interpolate(image: FloatArray, lat: FloatArray, wlon: FloatArray) -> FloatArray:
    """Bilinear values of a map ``image`` (h, w) or (h, w, C) at latitudes ``lat`` and west
    longitudes ``wlon`` (radians, any shape): periodic in longitude; beyond the first and last row
    centres (within half a row of a pole) the row is held. Returns shape ``lat.shape`` (+ (C,))."""
    img = np.asarray(image, dtype=np.float64)
    h, w = img.shape[:2]
    v = np.clip((0.5 - np.asarray(lat) / np.pi) * h - 0.5, 0.0, h - 1.0)
    u = (1.0 - np.mod(np.asarray(wlon), 2.0 * np.pi) / (2.0 * np.pi)) * w - 0.5
    coords = [v.ravel(), u.ravel()]
    shape = np.shape(v)
    if img.ndim == 2:
        return np.asarray(ndimage.map_coordinates(img, coords, order=1, mode="grid-wrap")
                          .reshape(shape))
    return np.stack([ndimage.map_coordinates(img[..., c], coords, order=1, mode="grid-wrap")
                     .reshape(shape) for c in range(img.shape[2])], axis=-1)


@dataclass(frozen=True)
class Patch:
    """A window of a map around one point, in local tangent-plane coordinates.

    ``rows`` is a slice, ``cols`` an index array (wrapping in longitude). ``east`` and ``north``
    (radians, shape (len(rows), len(cols))) are gnomonic offsets from the centre toward east and
    north; ``dist`` is the great-circle distance from the centre (radians).
    """

    rows: slice
    cols: npt.NDArray[np.intp]
    east: FloatArray
    north: FloatArray
    dist: FloatArray


def patch(shape: tuple[int, ...], lat_deg: float, wlon_deg: float, radius_deg: float) -> Patch:
    """The :class:`Patch` of a map of ``shape`` covering a cap of angular radius ``radius_deg``
    around (``lat_deg``, ``wlon_deg``); the window widens to the full width near the poles."""
    h, w = int(shape[0]), int(shape[1])
    r = float(radius_deg)
    r0 = max(int(np.floor((90.0 - min(lat_deg + r, 90.0)) / 180.0 * h)), 0)
    r1 = min(int(np.ceil((90.0 - max(lat_deg - r, -90.0)) / 180.0 * h)), h)
    coslat = np.cos(np.deg2rad(min(abs(lat_deg) + r, 90.0)))
    if lat_deg + r >= 89.0 or lat_deg - r <= -89.0 or coslat < 1e-3 or r / coslat >= 180.0:
        cols = np.arange(w)
    else:
        half = r / coslat
        u0 = (360.0 - (wlon_deg % 360.0) - half) / 360.0 * w
        u1 = (360.0 - (wlon_deg % 360.0) + half) / 360.0 * w
        cols = np.arange(int(np.floor(u0)), int(np.ceil(u1)) + 1) % w
    lat, wlon = pixel_centres(h, w)
    p = unit_vector(lat[r0:r1, None], wlon[None, cols])
    c = unit_vector(np.deg2rad(lat_deg), np.deg2rad(wlon_deg))
    phi, elon = np.deg2rad(lat_deg), -np.deg2rad(wlon_deg)
    e = np.array([-np.sin(elon), np.cos(elon), 0.0])
    n = np.array([-np.sin(phi) * np.cos(elon), -np.sin(phi) * np.sin(elon), np.cos(phi)])
    pc = np.clip(p @ c, -1.0, 1.0)
    safe = np.maximum(pc, 1e-6)
    return Patch(slice(r0, r1), cols, np.arctan2(p @ e, safe), np.arctan2(p @ n, safe),
                 np.arccos(pc))


def smoothstep(e0: float, e1: float, x: FloatArray) -> FloatArray:
    """Hermite step: 0 for x ≤ e0, 1 for x ≥ e1 (e0 > e1 reverses it)."""
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)
