"""An independent numpy ray caster for render tests: which surface point each pixel centre shows."""

from __future__ import annotations

import math

import numpy as np

from viewer.render.camera import Camera


def surface_points(cam: Camera, size: tuple[int, int], centre, rot, radii) -> tuple[np.ndarray, np.ndarray]:
    """For every pixel centre of a (W, H) image: the J2000 surface point (km) and unit normal the ray hits
    on the ellipsoid (``rot``: body → J2000, ``radii`` km); NaN where the ray misses."""
    w, h = size
    f = (h / 2) / math.tan(math.radians(cam.vertical_fov_deg(w, h) / 2))
    x = (np.arange(w) + 0.5 - w / 2) / f
    y = -(np.arange(h) + 0.5 - h / 2) / f
    dirs_cam = np.stack(np.broadcast_arrays(x[None, :], y[:, None], -np.ones((h, 1))), -1)
    dirs = dirs_cam @ cam.rotation.T @ rot  # body frame
    o = rot.T @ (cam.position_km - centre)
    inv = 1.0 / np.asarray(radii, dtype=np.float64)
    os_, ds = o * inv, dirs * inv
    a = np.sum(ds * ds, -1)
    b = np.sum(os_ * ds, -1)
    cc = os_ @ os_ - 1.0
    disc = b * b - a * cc
    with np.errstate(invalid="ignore"):
        t = (-b - np.sqrt(np.where(disc > 0, disc, np.nan))) / a
    p = o + t[..., None] * dirs
    n = p * inv * inv
    n /= np.linalg.norm(n, axis=-1, keepdims=True)
    return centre + p @ rot.T, n @ rot.T
