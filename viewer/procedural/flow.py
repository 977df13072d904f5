"""Stirring a map by a steady flow on the sphere (Jupiter's clouds): vortices as Gaussian stream
functions, the flow's velocity as 3-D vectors, and a backward trace of every pixel in 3-D.

The flow is a zonal wind plus the rotational flow of a stream function ψ (radians² per unit time):
u_east = u_zonal − ∂ψ/∂n, u_north = ∂ψ/∂e (east and north in radians of arc on the unit sphere).
Its velocity is turned into body-fixed Cartesian vectors (mapgrid's axes: +x at 0° longitude, +z
north) before anything is interpolated, and the trace moves 3-D unit vectors,
p ← normalise(p − dt·v(p_mid)) (midpoint rule).
Near a pole the Cartesian components are smooth where the east/north ones are not, so the stirring
has no pinch at the pole and a vortex may sit anywhere, on the pole included.

Imports numpy and the map helpers only; the generators decide what the flow is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.procedural.features import RGB, ellipse_radius, spot_patch
from viewer.procedural.mapgrid import interpolate, lat_wlon, pixel_centres, unit_vector

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Vortex:
    """A vortex: its centre (planetocentric °, ° W), semi-axes a (E–W) × b (N–S) in radians,
    ``sense`` +1 anticyclone / −1 cyclone, ``turns`` how far it turns its interior during the
    advection, and the colours it starts with (``None``: it only stirs the flow)."""

    lat: float
    wlon: float
    a: float
    b: float
    sense: float
    turns: float
    core: RGB | None = None
    rim: RGB | None = None
    opacity: float = 1.0


def vortex_streamfunction(h: int, w: int, vortices: list[Vortex]) -> tuple[FloatArray, FloatArray]:
    """Stream function ψ (rad² per unit time) of the vortices on an ``(h, w)`` grid, and a mask
    (0..1) of where they dominate (the caller switches the zonal wind off there).

    Each vortex is a Gaussian ψ = ±A·exp(−ρ²) (ρ its elliptical radius), A = turns·π·a·b, so its
    centre turns ``turns`` half-turns in unit time; the sign makes anticyclones turn clockwise in
    the north and counter-clockwise in the south, cyclones the other way.
    """
    psi = np.zeros((h, w))
    mask = np.zeros((h, w))
    for v in vortices:
        if v.turns <= 0.0:
            continue
        pt = spot_patch((h, w), v.lat, v.wlon, max(v.a, v.b) * 2.2)
        rho2 = ellipse_radius(pt, v.a, v.b) ** 2
        amp = v.turns * np.pi * v.a * v.b
        hemi = 1.0 if v.lat >= 0 else -1.0
        rr = np.arange(pt.rows.start, pt.rows.stop)[:, None]
        cc = pt.cols[None, :]
        psi[rr, cc] += v.sense * hemi * amp * np.exp(-rho2)
        mask[rr, cc] = np.maximum(mask[rr, cc], np.exp(-(rho2 / 1.4) ** 2))
    return psi, mask


def velocity(u_east: FloatArray, psi: FloatArray) -> FloatArray:
    """Body-fixed Cartesian velocity (h, w, 3) (radians of arc per unit time) of the zonal wind
    ``u_east`` (h, w) plus the rotational flow of ``psi`` (h, w), both on the same map grid."""
    h, w = psi.shape
    lat, wlon = pixel_centres(h, w)
    coslat = np.cos(lat)[:, None]
    drow = np.pi / h
    dcol = 2.0 * np.pi / w
    dpsi_dn = np.empty_like(psi)
    dpsi_dn[1:-1] = (psi[:-2] - psi[2:]) / (2.0 * drow)  # row r − 1 is north of row r
    # across a pole: one row north of the first row, along its meridian, is the first row on the
    # opposite meridian (w even: half a turn is w/2 columns)
    dpsi_dn[0] = (np.roll(psi[0], w // 2) - psi[1]) / (2.0 * drow)
    dpsi_dn[-1] = (psi[-2] - np.roll(psi[-1], w // 2)) / (2.0 * drow)
    # column c + 1 is east of column c; ∂/∂e = ∂/∂λ_east / cos φ (finite at the poles for smooth ψ)
    dpsi_de = (np.roll(psi, -1, axis=1) - np.roll(psi, 1, axis=1)) / (2.0 * dcol) / coslat
    ue = u_east - dpsi_dn
    un = dpsi_de
    elon = np.broadcast_to(-wlon[None, :], (h, w))
    sinlat = np.sin(lat)[:, None]
    east = np.stack([-np.sin(elon), np.cos(elon), np.zeros((h, w))], axis=-1)
    north = np.stack([-sinlat * np.cos(elon), -sinlat * np.sin(elon),
                      np.broadcast_to(coslat, (h, w))], axis=-1)
    return np.asarray(ue[..., None] * east + un[..., None] * north, dtype=np.float64)


def _velocity_at(vel: FloatArray, p: FloatArray) -> FloatArray:
    """``vel`` (a Cartesian velocity map) at points ``p`` (..., 3): bilinear on the map grid, and
    between a pole and the first (last) row's centres blended linearly toward the velocity at the
    pole itself (the mean of that row's vectors), so that it does not depend on the longitude there."""
    h = vel.shape[0]
    la, wl = lat_wlon(p)
    v = interpolate(vel, la, wl)
    lat0 = np.pi / 2.0 - 0.5 * np.pi / h  # the first row's centre
    for row, sign in ((0, 1.0), (h - 1, -1.0)):
        t = np.clip((sign * la - lat0) / (np.pi / 2.0 - lat0), 0.0, 1.0)[..., None]
        v = v * (1.0 - t) + vel[row].mean(axis=0) * t
    return np.asarray(v, dtype=np.float64)


def backtrace(vel: FloatArray, h: int, w: int, steps: int) -> FloatArray:
    """Where the air at each pixel centre of an ``(h, w)`` map was one time unit ago in the steady
    flow ``vel`` (a Cartesian velocity map of any size, :func:`velocity`): unit vectors (h, w, 3).

    ``steps`` midpoint (second-order Runge–Kutta) steps backward, in 3-D. The trace runs at every
    row and every second
    column; the displacement is interpolated linearly in longitude to the full width (rows are
    never interpolated, so nothing crosses a pole).
    """
    wb = max(w // 2, 16)
    lat, wlon = pixel_centres(h, wb)
    p0 = unit_vector(lat[:, None], wlon[None, :])
    p = p0.copy()
    dt = 1.0 / steps
    for _ in range(steps):  # midpoint rule: a vortex's core turns a few radians in unit time
        mid = p - 0.5 * dt * _velocity_at(vel, p)
        mid /= np.linalg.norm(mid, axis=-1, keepdims=True)
        p = p - dt * _velocity_at(vel, mid)
        p /= np.linalg.norm(p, axis=-1, keepdims=True)
    disp = p - p0
    # linear, periodic interpolation of the displacement from wb to w columns (pixel-centred)
    x = (np.arange(w) + 0.5) * wb / w - 0.5
    i0 = np.floor(x).astype(int)
    t = (x - i0)[None, :, None]
    d = disp[:, i0 % wb] * (1.0 - t) + disp[:, (i0 + 1) % wb] * t
    _, wlon_f = pixel_centres(h, w)
    src = unit_vector(lat[:, None], wlon_f[None, :]) + d
    return np.asarray(src / np.linalg.norm(src, axis=-1, keepdims=True), dtype=np.float64)


def blur_on_sphere(image: FloatArray, sigma: float) -> FloatArray:
    """``image`` (h, w, C) blurred by a Gaussian of ``sigma`` radians of arc on the sphere,
    separably: along meridians (across a pole onto the opposite meridian) and along each row with
    σ/cos φ radians of longitude (an FFT per row), so that rows round a pole are averaged over the
    small circle they are rather than smeared radially."""
    from scipy import ndimage

    h, w = image.shape[:2]
    lat, _ = pixel_centres(h, w)
    pad = min(h, int(np.ceil(4.0 * sigma / (np.pi / h))) + 1)
    top = np.roll(image[:pad][::-1], w // 2, axis=1)
    bottom = np.roll(image[-pad:][::-1], w // 2, axis=1)
    tall = np.concatenate([top, image, bottom], axis=0)
    out = ndimage.gaussian_filter1d(tall, sigma / (np.pi / h), axis=0, mode="nearest")[pad:pad + h]
    k = np.fft.rfftfreq(w) * w  # cycles per turn
    sig_lon = sigma / np.maximum(np.cos(lat), 1e-6)
    gain = np.exp(-0.5 * (k[None, :] * sig_lon[:, None]) ** 2)
    f = np.fft.rfft(out, axis=1) * gain[..., None]
    return np.asarray(np.fft.irfft(f, n=w, axis=1), dtype=np.float64)


def advect(image: FloatArray, sources: FloatArray, levels: int = 5) -> FloatArray:
    """``image`` (h, w, C) read at the unit vectors ``sources`` (h, w, 3), anti-aliased: where the
    flow has drawn a stretch of the picture into one pixel (shear, a vortex's winding), the pixel
    reads a copy blurred on the sphere (:func:`blur_on_sphere`) by as much — the picture's
    equivalent of a mipmap, ``levels`` copies with σ = 0.5, 1, 2, … pixels — instead of one point
    of it, which would alias into jagged teeth along the drawn-out filaments."""
    h, w = image.shape[:2]
    lat, _ = pixel_centres(h, w)
    px = np.pi / h  # one pixel of arc along a meridian
    d_row = np.linalg.norm(np.diff(sources, axis=0, append=sources[-1:]), axis=-1) / px
    d_row[-1] = d_row[-2]
    d_col = np.linalg.norm(np.roll(sources, -1, axis=1) - sources, axis=-1)
    d_col = d_col / (px * np.maximum(np.cos(lat), 1e-6)[:, None])
    stretch = np.maximum(np.maximum(d_row, d_col), 1.0)
    level = np.clip(np.log2(stretch) * 1.0, 0.0, float(levels))
    la, wl = lat_wlon(sources)
    out = np.zeros((h, w, image.shape[2]))
    for k in range(levels + 1):
        weight = np.clip(1.0 - np.abs(level - k), 0.0, 1.0)
        if k == levels:
            weight = np.clip(level - (levels - 1), 0.0, 1.0)
        if not weight.any():
            continue
        src = image if k == 0 else blur_on_sphere(image, 2.0 ** (k - 1) * px)
        out += weight[..., None] * interpolate(src, la, wl)
    return out
