"""A synthetic Io-like disc for the compare tests: a Lambert sphere with dark and bright spots (paterae,
frost), lit from a chosen phase angle, drawn analytically at any centre, radius and turn, so that two
drawings differ by an exact similarity transform with no resampling between them."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt


def _spots(seed: int, count: int = 60) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit vectors (count, 3), albedo changes (count,) and angular widths (count,) of the spots."""
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(count, 3))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    amp = rng.uniform(-0.45, 0.3, count)
    width = rng.uniform(0.03, 0.25, count)  # radians
    return v, amp, width


def io_disc(shape: tuple[int, int] = (240, 320), center: tuple[float, float] = (160.0, 120.0),
            radius: float = 60.0, turn_deg: float = 0.0, phase_deg: float = 50.0,
            sun_azimuth_deg: float = 200.0, night: float = 0.0, seed: int = 57, supersample: int = 4,
            rgb: bool = True, spots: bool = True) -> npt.NDArray[np.float32]:
    """(H, W, 3) (or (H, W) with ``rgb=False``) float32 image in [0, 1] of a textured Lambert sphere.

    Parameters
    ----------
    shape : (H, W) px
    center : disc centre (x, y) px, pixel centres at integers, y down
    radius : disc radius, px
    turn_deg : the whole scene (markings and lighting) turned about the centre by this angle,
        degrees, counter-clockwise as displayed
    phase_deg : Sun–Io–observer angle, degrees; ``sun_azimuth_deg``: the Sun's direction in the image
        (before the turn), degrees counter-clockwise from +x as displayed
    night : brightness of the night side (a Jupitershine-like fill from the side opposite the Sun),
        fraction of the day side's
    supersample : samples per pixel along each axis (anti-aliasing)
    spots : draw the markings (False: a uniform albedo)
    """
    h, w = shape
    offsets = (np.arange(supersample) + 0.5) / supersample - 0.5
    ys = (np.arange(h)[:, None] + offsets[None, :]).ravel()
    xs = (np.arange(w)[:, None] + offsets[None, :]).ravel()
    gx, gy = np.meshgrid(xs, ys)
    # y-up vector from the centre, turned back by turn_deg into the scene's own frame, in radii
    vx, vy = (gx - center[0]) / radius, -(gy - center[1]) / radius
    t = math.radians(turn_deg)
    u = math.cos(t) * vx + math.sin(t) * vy
    v = -math.sin(t) * vx + math.cos(t) * vy
    rho2 = u * u + v * v
    inside = rho2 < 1.0
    n = np.stack([u[inside], v[inside], np.sqrt(1.0 - rho2[inside])], axis=1)
    p, a = math.radians(phase_deg), math.radians(sun_azimuth_deg)
    sun = np.array([math.sin(p) * math.cos(a), math.sin(p) * math.sin(a), math.cos(p)])
    fill = np.array([-sun[0], -sun[1], 0.3])
    fill /= np.linalg.norm(fill)
    spot_v, spot_amp, spot_w = _spots(seed)
    cosang = n @ spot_v.T
    albedo = 0.75 + (spots * spot_amp * np.exp(-(1.0 - cosang) / (spot_w ** 2 / 2.0))).sum(axis=1)
    albedo = np.clip(albedo, 0.05, 1.0)
    light = np.maximum(n @ sun, 0.0) + night * np.maximum(n @ fill, 0.0)
    value = np.zeros(gx.shape)
    value[inside] = albedo * light
    image = value.reshape(h, supersample, w, supersample).mean(axis=(1, 3))
    image = np.clip(image, 0.0, 1.0).astype(np.float32)
    if not rgb:
        return image
    return np.clip(image[:, :, None] * np.array([1.0, 0.92, 0.62], dtype=np.float32), 0.0, 1.0)


def true_map(ours_center: tuple[float, float], ours_radius: float, theirs_center: tuple[float, float],
             theirs_radius: float, turn_deg: float,
             points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Where THEIRS' pixels ``points`` (N, 2) (x, y) lie in OURS, for two :func:`io_disc` drawings of the
    same scene, OURS unturned and THEIRS turned by ``turn_deg`` (counter-clockwise as displayed)."""
    vx = (points[:, 0] - theirs_center[0]) / theirs_radius
    vy = -(points[:, 1] - theirs_center[1]) / theirs_radius
    t = math.radians(turn_deg)
    u = math.cos(t) * vx + math.sin(t) * vy
    v = -math.sin(t) * vx + math.cos(t) * vy
    return np.stack([ours_center[0] + ours_radius * u, ours_center[1] - ours_radius * v], axis=1)


def check_points(center: tuple[float, float], radius: float) -> npt.NDArray[np.float64]:
    """(N, 2) test points (x, y) px: 72 on a circle of ``radius`` about ``center`` (the limb), 12 at half
    the radius, and the centre."""
    a = np.linspace(0.0, 2.0 * np.pi, 72, endpoint=False)
    b = a[::6]
    return np.concatenate([
        np.stack([center[0] + radius * np.cos(a), center[1] + radius * np.sin(a)], axis=1),
        np.stack([center[0] + 0.5 * radius * np.cos(b), center[1] + 0.5 * radius * np.sin(b)], axis=1),
        np.array([center], dtype=np.float64)])
