"""Frames and surface coordinates: IAU body-fixed ⇄ J2000 rotations, lat/lon, ellipsoid geometry.

* The inertial frame is J2000 (ICRF) equatorial. A body-fixed frame follows the IAU convention:
  J2000 → body = [W]_3·[90° − δ0]_1·[90° + α0]_3 (frame rotations, SPICE notation), with the
  pole (α0, δ0) and prime meridian W of
  :mod:`viewer.sim.constants`. Functions here return **body → J2000** matrices (the transpose), so
  ``v_j2000 = M @ v_body``.
* Surface coordinates are **planetocentric** latitude and **west** longitude in [0, 360°): the angle
  from the prime meridian measured westward (the sense in which a synchronously rotating body's
  sub-observer point moves), as the Juno team's geometry tables and the USGS Io maps use.

Every function takes scalars or arrays (times of shape (N,), vectors of shape (N, 3)). Radians inside.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from viewer.sim.constants import JUPITER_ANGLES, ROTATION, RotationModel

F64 = NDArray[np.float64]

SECONDS_PER_DAY = 86400.0
DAYS_PER_CENTURY = 36525.0


def rot_x(angle: ArrayLike) -> F64:
    """Matrices that rotate vectors by ``angle`` (rad) about +x; shape (..., 3, 3)."""
    a = np.asarray(angle, dtype=np.float64)
    c, s = np.cos(a), np.sin(a)
    one, zero = np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([one, zero, zero], -1),
                     np.stack([zero, c, -s], -1),
                     np.stack([zero, s, c], -1)], -2)


def rot_z(angle: ArrayLike) -> F64:
    """Matrices that rotate vectors by ``angle`` (rad) about +z; shape (..., 3, 3)."""
    a = np.asarray(angle, dtype=np.float64)
    c, s = np.cos(a), np.sin(a)
    one, zero = np.ones_like(a), np.zeros_like(a)
    return np.stack([np.stack([c, -s, zero], -1),
                     np.stack([s, c, zero], -1),
                     np.stack([zero, zero, one], -1)], -2)


def iau_angles(model: RotationModel, et: ArrayLike) -> tuple[F64, F64, F64]:
    """Pole right ascension α0, declination δ0 and prime meridian W (radians) at TDB ``et``."""
    e = np.asarray(et, dtype=np.float64)
    d = e / SECONDS_PER_DAY
    t = d / DAYS_PER_CENTURY
    ra = model.ra[0] + model.ra[1] * t
    dec = model.dec[0] + model.dec[1] * t
    pm = model.pm[0] + model.pm[1] * d
    for name, cra, cdec, cpm in zip(model.angles, model.ra_terms, model.dec_terms, model.pm_terms,
                                    strict=True):
        theta = np.radians(JUPITER_ANGLES[name][0] + JUPITER_ANGLES[name][1] * t)
        ra = ra + cra * np.sin(theta)
        dec = dec + cdec * np.cos(theta)
        pm = pm + cpm * np.sin(theta)
    return np.radians(ra), np.radians(dec), np.radians(np.mod(pm, 360.0))


def body_to_j2000(body: str, et: ArrayLike) -> F64:
    """Rotation matrices body-fixed → J2000 for ``body`` at TDB ``et``; shape (..., 3, 3)."""
    ra, dec, w = iau_angles(ROTATION[body], et)
    # The IAU angles are frame (passive) rotations, [W]_3·[90°−δ0]_1·[90°+α0]_3 in SPICE notation;
    # a passive rotation by θ is rot_*(−θ) here.
    j2000_to_body = rot_z(-w) @ rot_x(-(np.pi / 2 - dec)) @ rot_z(-(np.pi / 2 + ra))
    return np.swapaxes(j2000_to_body, -1, -2)


def pole_j2000(body: str, et: ArrayLike) -> F64:
    """The body's north pole (unit vector, J2000) at ``et``; shape (..., 3)."""
    ra, dec, _ = iau_angles(ROTATION[body], et)
    return np.stack([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)], -1)


def lat_wlon(v_body: ArrayLike) -> tuple[F64, F64]:
    """Planetocentric latitude and west longitude in [0, 2π) of body-fixed vectors (radians)."""
    v = np.asarray(v_body, dtype=np.float64)
    x, y, z = v[..., 0], v[..., 1], v[..., 2]
    lat = np.arctan2(z, np.hypot(x, y))
    wlon = np.mod(-np.arctan2(y, x), 2.0 * np.pi)
    return lat, wlon


def vector_from_lat_wlon(lat: ArrayLike, wlon: ArrayLike) -> F64:
    """Unit body-fixed vectors from planetocentric latitude and west longitude (radians)."""
    la = np.asarray(lat, dtype=np.float64)
    lo = -np.asarray(wlon, dtype=np.float64)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], -1)


def nearest_point_on_ellipsoid(p: ArrayLike, radii: tuple[float, float, float]) -> F64:
    """The point of the ellipsoid x²/a² + y²/b² + z²/c² = 1 nearest to ``p`` (body frame, km).

    For p outside, the nearest point is x_i = p_i·a_i²/(a_i² + t) where t > 0 solves
    F(t) = Σ (a_i·p_i/(a_i² + t))² − 1 = 0 (a Lagrange multiplier). F decreases monotonically on
    t > −min(a²), so a bracketed bisection converges without fail; Newton steps then polish it. For a
    point inside the ellipsoid the root lies in (−min a², 0], found the same way.
    """
    pts = np.asarray(p, dtype=np.float64)
    a2 = np.square(np.asarray(radii, dtype=np.float64))

    def f(t: F64) -> F64:
        return np.asarray(np.sum(np.square(np.sqrt(a2) * pts / (a2 + t[..., None])), axis=-1) - 1.0)

    norm = np.linalg.norm(pts, axis=-1)
    lo = np.full(norm.shape, -a2.min() * (1.0 - 1e-12))
    hi = np.sqrt(a2.max()) * norm + 1.0  # F(hi) < 0: every term is below (p_i/|p|)²
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        positive = f(mid) > 0.0
        lo = np.where(positive, mid, lo)
        hi = np.where(positive, hi, mid)
    t = 0.5 * (lo + hi)
    for _ in range(2):
        denom = a2 + t[..., None]
        ft = np.sum(a2 * pts**2 / denom**2, axis=-1) - 1.0
        dft = -2.0 * np.sum(a2 * pts**2 / denom**3, axis=-1)
        t = np.where(dft != 0.0, t - ft / np.where(dft != 0.0, dft, 1.0), t)
    return np.asarray(pts * a2 / (a2 + t[..., None]), dtype=np.float64)


def intercept_point_on_ellipsoid(p: ArrayLike, radii: tuple[float, float, float]) -> F64:
    """Where the line from the ellipsoid's centre toward ``p`` pierces x²/a² + y²/b² + z²/c² = 1
    (body frame, km): p / √(Σ p_i²/a_i²).

    This is SPICE's ``subpnt``/``subslr`` "INTERCEPT/ELLIPSOID" sub-point, the one the Juno team's
    geometry tables give; its planetocentric latitude and longitude are those of ``p`` itself, so
    ``lat_wlon(p)`` gives them without this function. (The nearest point,
    :func:`nearest_point_on_ellipsoid`, is SPICE's "NEAR POINT/ELLIPSOID", the foot of the altitude.)
    """
    pts = np.asarray(p, dtype=np.float64)
    scale = np.sqrt(np.sum(np.square(pts / np.asarray(radii, dtype=np.float64)), axis=-1, keepdims=True))
    return np.asarray(pts / scale, dtype=np.float64)


def surface_normal(x: ArrayLike, radii: tuple[float, float, float]) -> F64:
    """Outward unit normal of the ellipsoid at surface points ``x`` (body frame)."""
    n = np.asarray(x, dtype=np.float64) / np.square(np.asarray(radii, dtype=np.float64))
    return np.asarray(n / np.linalg.norm(n, axis=-1, keepdims=True), dtype=np.float64)


def point_for_normal(n: ArrayLike, radii: tuple[float, float, float]) -> F64:
    """The ellipsoid surface point whose outward normal is the unit vector ``n`` (body frame)."""
    a2 = np.square(np.asarray(radii, dtype=np.float64))
    q = a2 * np.asarray(n, dtype=np.float64)
    scale = np.sqrt(np.sum(q * np.asarray(n, dtype=np.float64), axis=-1, keepdims=True))
    return np.asarray(q / scale, dtype=np.float64)


def horizon_angles(surface: ArrayLike, radii: tuple[float, float, float],
                   target: ArrayLike) -> tuple[float, float]:
    """Where ``target`` stands in the sky of the ellipsoid point ``surface`` (both body frame, km):
    (elevation above the local horizon — the plane normal to the ellipsoid — and azimuth from local north
    toward east, both degrees). Local north is the rotation axis (+Z) projected onto the horizon (at a
    pole, the meridian 180° W); east is north × up."""
    x = np.asarray(surface, dtype=np.float64)
    up = surface_normal(x, radii)
    d = np.asarray(target, dtype=np.float64) - x
    d = d / np.linalg.norm(d)
    z = np.array([0.0, 0.0, 1.0])
    north = z - (z @ up) * up
    if np.linalg.norm(north) < 1e-12:  # at a pole: the meridian 180° W counts as north
        north = np.array([-1.0, 0.0, 0.0]) - (-up[0]) * up
    north = north / np.linalg.norm(north)
    east = np.cross(north, up)  # toward increasing east longitude (+Y at 0°)
    elevation = math.degrees(math.asin(max(-1.0, min(1.0, float(d @ up)))))
    azimuth = math.degrees(math.atan2(float(d @ east), float(d @ north))) % 360.0
    return elevation, azimuth


def altitude(p: ArrayLike, radii: tuple[float, float, float]) -> F64:
    """Distance from ``p`` to the nearest ellipsoid point, negative inside (body frame, km)."""
    pts = np.asarray(p, dtype=np.float64)
    near = nearest_point_on_ellipsoid(pts, radii)
    inside = np.sum(np.square(pts / np.asarray(radii)), axis=-1) < 1.0
    dist = np.linalg.norm(pts - near, axis=-1)
    return np.asarray(np.where(inside, -dist, dist), dtype=np.float64)
