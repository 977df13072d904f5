"""Drawing primitives shared by the map generators: elliptical spots, rings, spiral vortices and
great-circle lineae, stamped into an ``(h, w, 3)`` float image (sRGB values 0..1) through the
local tangent-plane :class:`~viewer.procedural.mapgrid.Patch` of :mod:`~viewer.procedural.mapgrid`,
so that shapes are drawn on the sphere (and stretched correctly toward the poles of the map).

Sizes are angular radii in radians on the body unless stated; a size in km is ``km / radius_km``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from viewer.procedural.mapgrid import Patch, patch, pixel_centres, smoothstep, unit_vector

FloatArray = npt.NDArray[np.float64]
RGB = tuple[float, float, float]


def rgb8(r: float, g: float, b: float) -> RGB:
    """An sRGB colour given as 0..255 components, as 0..1 floats."""
    return (r / 255.0, g / 255.0, b / 255.0)


def get(img: FloatArray, pt: Patch) -> FloatArray:
    """The pixels of ``img`` under ``pt`` (a copy)."""
    rr = np.arange(pt.rows.start, pt.rows.stop)
    return img[rr[:, None], pt.cols[None, :]]


def put(img: FloatArray, pt: Patch, values: FloatArray) -> None:
    """Write ``values`` into ``img`` under ``pt``."""
    rr = np.arange(pt.rows.start, pt.rows.stop)
    img[rr[:, None], pt.cols[None, :]] = values


def mix(img: FloatArray, pt: Patch, alpha: FloatArray, colour: FloatArray | RGB) -> None:
    """Alpha-blend ``colour`` (RGB or an array matching the patch) into ``img`` over ``pt``."""
    sub = get(img, pt)
    a = np.clip(alpha, 0.0, 1.0)
    if sub.ndim == 3:
        a = a[..., None]
    put(img, pt, sub * (1.0 - a) + np.asarray(colour, dtype=np.float64) * a)


def ellipse_radius(pt: Patch, a: float, b: float, tilt: float = 0.0) -> FloatArray:
    """Normalised elliptical radius ρ (1 on the rim) for semi-axes ``a`` (east–west) and ``b``
    (north–south), radians, rotated by ``tilt`` radians counter-clockwise (toward north)."""
    c, s = np.cos(tilt), np.sin(tilt)
    x = c * pt.east + s * pt.north
    y = -s * pt.east + c * pt.north
    return np.asarray(np.sqrt((x / a) ** 2 + (y / b) ** 2), dtype=np.float64)


def spot_patch(shape: tuple[int, ...], lat_deg: float, wlon_deg: float, extent: float) -> Patch:
    """A patch big enough for a feature of angular extent ``extent`` radians."""
    return patch(shape, lat_deg, wlon_deg, float(np.rad2deg(extent)) * 1.05 + 0.2)


def spiral(pt: Patch, a: float, arms: int = 2, twist: float = 5.0,
           clockwise: bool = False) -> FloatArray:
    """A spiral-arm pattern in [0, 1] around the patch centre, of radius ``a`` radians; the sign of
    the twist follows ``clockwise`` (as seen from above the surface, north up)."""
    r = np.hypot(pt.east, pt.north) / a
    th = np.arctan2(pt.north, pt.east)
    sgn = -1.0 if clockwise else 1.0
    return 0.5 + 0.5 * np.cos(arms * th + sgn * twist * np.log(r + 0.05))


def great_circle_arcs(h: int, w: int, normals: FloatArray, starts: FloatArray,
                      lengths: FloatArray, widths: FloatArray
                      ) -> tuple[FloatArray, npt.NDArray[np.int32]]:
    """Distance field of arcs of great circles on an ``(h, w)`` map.

    Each arc ``i`` lies on the great circle with unit ``normals[i]``, starts at unit vector
    ``starts[i]`` (on that circle) and runs ``lengths[i]`` radians. Returns ``(strength, index)``:
    for every pixel the largest ``max(0, 1 − d/width)`` over the arcs (d: angular distance to the
    arc) and the index of that arc (−1 where none).
    """
    lat, wlon = pixel_centres(h, w)
    p = unit_vector(lat[:, None], wlon[None, :]).astype(np.float32).reshape(-1, 3)
    px, py, pz = p[:, 0].copy(), p[:, 1].copy(), p[:, 2].copy()
    best = np.zeros(h * w, dtype=np.float32)
    idx = np.full(h * w, -1, dtype=np.int32)
    for i in range(len(normals)):
        n = normals[i].astype(np.float32)
        s = starts[i].astype(np.float32)
        t = np.cross(n, s)
        d = np.abs(px * n[0] + py * n[1] + pz * n[2])
        sel = np.flatnonzero(d < widths[i])
        if sel.size == 0:
            continue
        q = p[sel]
        pos = np.arctan2(q @ t, q @ s) % (2 * np.pi)
        val = np.where(pos < lengths[i], 1.0 - d[sel] / widths[i], 0.0).astype(np.float32)
        # taper the ends over 10 % of the length
        val *= np.clip(np.minimum(pos, lengths[i] - pos) / (0.1 * lengths[i] + 1e-9), 0, 1)
        better = val > best[sel]
        best[sel[better]] = val[better]
        idx[sel[better]] = i
    return best.reshape(h, w).astype(np.float64), idx.reshape(h, w)


def random_great_circles(rng: np.random.Generator, n: int) -> tuple[FloatArray, FloatArray]:
    """``n`` random great circles: (normals, start points), both (n, 3) unit vectors."""
    v = rng.standard_normal((n, 3))
    normals = v / np.linalg.norm(v, axis=1, keepdims=True)
    u = rng.standard_normal((n, 3))
    u -= (u * normals).sum(axis=1, keepdims=True) * normals
    starts = u / np.linalg.norm(u, axis=1, keepdims=True)
    return normals, starts


def crater(img: FloatArray, lat_deg: float, wlon_deg: float, radius: float,
           floor: RGB, rim: RGB, ray: RGB | None = None, ray_extent: float = 0.0,
           rng: np.random.Generator | None = None, strength: float = 1.0) -> None:
    """A bowl crater: ``floor`` colour inside, a bright ``rim`` annulus, and optional radial rays
    (``ray`` colour out to ``ray_extent`` crater radii)."""
    ext = radius * max(1.6, ray_extent)
    pt = spot_patch(img.shape, lat_deg, wlon_deg, ext)
    r = pt.dist / radius
    rim_a = np.exp(-(((r - 1.0) / 0.18) ** 2))
    mix(img, pt, strength * 0.75 * smoothstep(1.0, 0.75, r), floor)
    mix(img, pt, strength * 0.8 * rim_a, rim)
    if ray is not None and ray_extent > 1.0 and rng is not None:
        th = np.arctan2(pt.north, pt.east)
        k = rng.integers(9, 17)
        phase = rng.uniform(0, 2 * np.pi, size=3)
        rays = (np.cos(k * th + phase[0]) + 0.6 * np.cos((k + 5) * th + phase[1])
                + 0.4 * np.cos((2 * k - 3) * th + phase[2]))
        rays = np.clip(rays - 0.6, 0, None) / 1.4
        fade = smoothstep(ray_extent, 1.0, r) * (r > 0.9)
        mix(img, pt, strength * 0.8 * rays * fade, ray)
