"""A JunoCam raw image reprojected into one perspective view: the colour picture assembled from its
framelets (``reprojected.png`` of ``jupitershine junocam``).

Input: the 8-bit stack of framelets and the label :mod:`viewer.pushframe` writes — each frame's time and
geometry (Juno's position, the camera → J2000 matrix, the target's centre and orientation), the filters,
the binning — so it needs nothing of the simulation. The view: from Juno at the middle frame, looking at
the target's centre with its north up, the field 1.25 × the target's apparent diameter (at most
:data:`MAX_FOV_DEG`), at the instrument's pixel scale (at most :data:`MAX_SIZE` pixels a side).

Each output pixel's ray is met with the target's ellipsoid at the middle frame; a surface point is
followed to every frame's time in the target's body frame (its centre and rotation from that frame's
geometry) and seen from Juno's position then, so Juno's motion between frames (≈ 11 km per frame at I57,
several pixels at 10,000 km) puts no seams in the target; rays that miss it keep their direction (the sky,
distant bodies). The direction goes into the camera frame of each frame and through the instrument model
(:func:`viewer.junocam.camera_to_pixel`, the distortion included) to a framelet pixel; of the frames whose
framelet holds it (and, for a surface point, that still see that side of it) the one nearest its framelet's
middle line gives the value (a sky ray only from frames where it misses the target too), bilinear in the
12-bit values the encoding stands for
(:func:`viewer.pushframe.decode`). Red, green and blue framelets make R, G and B (a methane-only image
is grey), encoded for display as the raw image is (:func:`viewer.pushframe.encode`).

Must not import: ``viewer.cli``; no GL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer import junocam as jc
from viewer.pushframe import decode, encode

F64 = npt.NDArray[np.float64]

#: The widest view and the largest side of a reprojected image.
MAX_FOV_DEG = 70.0
MAX_SIZE = 2048
#: The view's field as a multiple of the target's apparent diameter.
FIELD_MARGIN = 1.25
#: Which output channel each filter fills.
CHANNEL = {"red": 0, "green": 1, "blue": 2}


@dataclass(frozen=True)
class Reprojection:
    """A reprojected image: 8-bit RGB (H, W, 3); the 12-bit values per filter (H, W, F) (0 where no
    framelet holds the pixel); how many frames' framelets hold each pixel per filter (H, W, F); the view
    (``camera``: a :class:`~viewer.render.camera.Camera`); and the view for the label."""

    image: npt.NDArray[np.uint8]
    dn: npt.NDArray[np.float32]
    coverage: npt.NDArray[np.int16]
    on_target: npt.NDArray[np.bool_]
    camera: Any
    view: dict[str, Any]


def _frames(label: dict[str, Any]) -> tuple[F64, F64, F64, F64]:
    fr = label["frames"]
    juno = np.array([f["juno_position_km"] for f in fr], dtype=np.float64)
    cam = np.array([f["camera_to_j2000"] for f in fr], dtype=np.float64)
    centre = np.array([f["target_position_km"] for f in fr], dtype=np.float64)
    body = np.array([f["target_to_j2000"] for f in fr], dtype=np.float64)
    return juno, cam, centre, body


def view_camera(label: dict[str, Any], size: int | None = None) -> Any:
    """The view of the module docstring for a label (``size`` overrides the computed side)."""
    from viewer.render.camera import Camera, look_rotation
    from viewer.sim.constants import BODIES

    juno, _, centre, body = _frames(label)
    mid = len(juno) // 2
    radii = BODIES[label["TARGET_NAME"].lower()].radii_km
    dist = float(np.linalg.norm(centre[mid] - juno[mid]))
    diameter = 2.0 * math.asin(min(max(radii) / dist, 1.0))
    fov = min(math.degrees(diameter) * FIELD_MARGIN, MAX_FOV_DEG)
    if size is None:
        pitch = jc.IFOV_RAD * int(label.get("SUMMING", 1))
        size = min(MAX_SIZE, 2 * math.ceil(math.tan(math.radians(fov) / 2.0) / pitch))
    rotation = look_rotation(centre[mid] - juno[mid], body[mid][:, 2])
    return Camera(juno[mid].copy(), rotation, fov), (int(size), int(size))


def reproject(stack: npt.ArrayLike, label: dict[str, Any], size: int | None = None) -> Reprojection:
    """Reproject the 8-bit framelet ``stack`` (rows, samples) of a raw image with its ``label``
    (:func:`viewer.pushframe.label`) — module docstring."""
    from viewer.sim.constants import BODIES

    raw = np.asarray(stack)
    binning = int(label.get("SUMMING", 1))
    samples, lines = jc.framelet_shape(binning)
    filters = jc.get_filters([n.lower() for n in label["FILTER_NAME"]])
    juno, cams, centres, bodies = _frames(label)
    camera, (w, h) = view_camera(label, size)
    mid = len(juno) // 2
    radii = np.asarray(BODIES[label["TARGET_NAME"].lower()].radii_km, dtype=np.float64)

    # The output pixels' rays (J2000) and where they meet the target at the middle frame (body frame).
    f = camera.focal_px(w, h)
    cols, rows = np.meshgrid(np.arange(w, dtype=np.float64), np.arange(h, dtype=np.float64))
    local = np.stack([(cols + 0.5 - 0.5 * w) / f, (0.5 * h - rows - 0.5) / f, -np.ones_like(cols)], axis=-1)
    rays = (local / np.linalg.norm(local, axis=-1, keepdims=True)).reshape(-1, 3) @ camera.rotation.T
    o = ((juno[mid] - centres[mid]) @ bodies[mid]) / radii
    d = (rays @ bodies[mid]) / radii
    hit = _meets(juno[mid] - centres[mid], rays, bodies[mid], radii)
    a, b, c = np.sum(d * d, axis=1), d @ o, float(o @ o) - 1.0
    t = np.where(hit, (-b - np.sqrt(np.where(hit, b * b - a * c, 0.0))) / a, 0.0)
    surface = (o + t[:, None] * d) * radii  # body frame, km (meaningless where not hit)
    normal = surface / radii**2

    n = len(filters)
    best = np.full((n, rays.shape[0]), np.inf)
    best_s = np.zeros((n, rays.shape[0]))
    best_l = np.zeros((n, rays.shape[0]))
    best_k = np.full((n, rays.shape[0]), -1, dtype=np.int64)
    count = np.zeros((n, rays.shape[0]), dtype=np.int16)
    middle = 0.5 * (lines - 1)
    xmax, ymin, ymax = _footprint(filters, binning)
    for k in range(len(juno)):
        v = np.where(hit[:, None], centres[k] + surface @ bodies[k].T - juno[k], rays) @ cams[k]
        # Only the rays near the frame's strips go through the distortion (a pinhole box with a margin).
        z = np.where(v[:, 2] > 0.0, v[:, 2], 1.0)
        x, y = jc.FOCAL_PX * v[:, 0] / z, jc.FOCAL_PX * v[:, 1] / z
        near = np.flatnonzero((v[:, 2] > 0.0) & (np.abs(x) <= xmax) & (y >= ymin) & (y <= ymax))
        if near.size == 0:
            continue
        # A surface point counts where it faces Juno; a sky ray where it misses the target at this frame
        # too (else the target's limb, seen from where Juno was then, would fringe the limb in colour).
        towards = np.einsum("ij,ij->i", normal[near] @ bodies[k].T, v[near] @ cams[k].T)
        seen = np.where(hit[near], towards < 0.0, ~_meets(juno[k] - centres[k], rays[near], bodies[k], radii))
        for i, filt in enumerate(filters):
            s, ln, front = jc.camera_to_pixel(v[near], filt, binning)
            inside = seen & front & (s >= -0.5) & (s <= samples - 0.5) & (ln >= -0.5) & (ln <= lines - 0.5)
            idx, dist = near[inside], np.abs(ln[inside] - middle)
            count[i, idx] += 1
            closer = dist < best[i, idx]
            idx = idx[closer]
            best[i, idx] = dist[closer]
            best_s[i, idx] = s[inside][closer]
            best_l[i, idx] = ln[inside][closer]
            best_k[i, idx] = k

    dn12 = decode(raw)
    values = np.zeros((n, rays.shape[0]), dtype=np.float32)
    for i in range(n):
        ok = best_k[i] >= 0
        base = (best_k[i][ok] * n + i) * lines
        values[i][ok] = _bilinear(dn12, best_s[i][ok], best_l[i][ok], base, samples, lines)
    dn = values.T.reshape(h, w, n)
    image = np.zeros((h, w, 3), dtype=np.uint8)
    names = [fl.name for fl in filters]
    if any(name in CHANNEL for name in names):
        for i, name in enumerate(names):
            if name in CHANNEL:
                image[..., CHANNEL[name]] = encode(dn[..., i])
    else:
        image[...] = encode(dn[..., :1])
    view = {"camera_position_km": [float(x) for x in camera.position_km],
            "camera_to_j2000": camera.rotation.tolist(), "fov_deg": camera.fov_deg, "size": [w, h],
            "frame": mid}
    return Reprojection(image, dn, count.T.reshape(h, w, n).astype(np.int16), hit.reshape(h, w), camera, view)


def _footprint(filters: tuple[jc.Filter, ...], binning: int) -> tuple[float, float, float]:
    """A box about the framelets of ``filters`` in pinhole focal-plane coordinates (full-resolution
    pixels from the optical axis): (largest |x|, least y, largest y), with a 4-pixel margin."""
    samples, lines = jc.framelet_shape(binning)
    s, ln = np.meshgrid(np.linspace(-0.5, samples - 0.5, 65), np.linspace(-0.5, lines - 0.5, 9))
    v = np.concatenate([jc.pixel_to_camera(s, ln, f, binning).reshape(-1, 3) for f in filters])
    x, y = jc.FOCAL_PX * v[:, 0] / v[:, 2], jc.FOCAL_PX * v[:, 1] / v[:, 2]
    margin = 4.0 * binning
    return float(np.abs(x).max()) + margin, float(y.min()) - margin, float(y.max()) + margin


def _meets(origin: F64, rays: F64, body: F64, radii: F64) -> npt.NDArray[np.bool_]:
    """Whether rays (N, 3) from ``origin`` (relative to the ellipsoid's centre, J2000 km) meet the
    ellipsoid of ``radii`` along the axes of ``body`` (body → J2000)."""
    o = (origin @ body) / radii
    d = (rays @ body) / radii
    a, b, c = np.sum(d * d, axis=1), d @ o, float(o @ o) - 1.0
    return np.asarray((b * b - a * c >= 0.0) & (b < 0.0))


def _bilinear(dn: F64, s: F64, ln: F64, base: npt.NDArray[np.int64], samples: int, lines: int) -> F64:
    """Bilinear values of the stack ``dn`` at framelet coordinates (``s``, ``ln``) of framelets starting at
    rows ``base``, clamped inside each framelet."""
    s = np.clip(s, 0.0, samples - 1.0)
    ln = np.clip(ln, 0.0, lines - 1.0)
    s0 = np.minimum(np.floor(s).astype(np.int64), samples - 2)
    l0 = np.minimum(np.floor(ln).astype(np.int64), lines - 2)
    fs, fl = s - s0, ln - l0
    r0, r1 = base + l0, base + l0 + 1
    top = dn[r0, s0] * (1 - fs) + dn[r0, s0 + 1] * fs
    bottom = dn[r1, s0] * (1 - fs) + dn[r1, s0 + 1] * fs
    return np.asarray(top * (1 - fl) + bottom * fl, dtype=np.float64)


__all__ = ["Reprojection", "reproject", "view_camera"]
