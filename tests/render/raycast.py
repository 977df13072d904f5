"""Render-test helpers: an independent numpy ray caster (which surface point each pixel centre shows),
a camera on a body's sunlit side, and a render of chosen bodies only."""

from __future__ import annotations

import math

import numpy as np

from viewer.render.camera import Camera, look_rotation


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


def sunside_camera(snap, body: str, lean: float, range_km: float, fov_deg: float) -> Camera:
    """A camera ``range_km`` from ``body``'s centre between the Sun's direction and the side (``lean``
    parts of the direction perpendicular to the Sun and the body's pole), looking at it, north up."""
    centre = snap.positions[body]
    rot = snap.rotations[body]
    sun = snap.positions["sun"] - centre
    sun /= np.linalg.norm(sun)
    side = np.cross(sun, rot[:, 2])
    side /= np.linalg.norm(side)
    v = (sun + lean * side) / np.linalg.norm(sun + lean * side)
    return Camera(centre + range_km * v, look_rotation(-v, rot[:, 2]), fov_deg)


def render_only(ctx, snap, cam: Camera, size: tuple[int, int], keep: str, light, maps) -> np.ndarray:
    """Radiance + coverage (H, W, 4) of a 1× render drawing only the bodies named in ``keep`` (comma
    separated) with the light paths ``light`` and the given maps."""
    from viewer.render.renderer import HIDEABLE, Renderer, RenderSettings

    settings = RenderSettings(size=size, supersample=1, light=frozenset(light),
                              hide=frozenset(h for h in HIDEABLE if h not in keep.split(",")))
    r = Renderer(ctx, settings, maps=maps)
    r.draw(snap, cam)
    return r.hdr.read()
