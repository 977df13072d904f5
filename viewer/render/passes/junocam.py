"""JunoCam's field of view: the frustum's edges from Juno and the outline of its footprint on the bodies'
surfaces (``shaders/fov.vert|frag``), ``still --junocam-fov``.

The field (docs/sources.md §4a) is the instrument model's (:mod:`viewer.junocam`): the outline of the
four filter strips on the detector (1648 samples across; from the first line of the methane strip to the
last of the red one, 595 lines, asymmetric about the optical centre) through the kernel's distortion
(:func:`viewer.junocam.field_outline`), turned by the kernel's mounting and Juno's attitude
(``snapshot.rotations["juno"]``, spin included; :func:`viewer.junocam.camera_to_j2000`). Roughly: 58°
across the spin axis, 23° along the scan, looking along −X of the spacecraft.

Geometry (CPU, float64; :func:`fov_rays`, :func:`footprint`). The field's boundary is sampled by
:data:`RAYS_PER_SIDE` rays per side; each is intersected with the bodies' IAU ellipsoids (the first hit).
Consecutive rays that hit the same body give the footprint's polylines on its surface; the four corner
rays are the frustum's edges, from Juno to their hit, or, when they miss, to :func:`far_distance` (the
distance to the body they pass nearest… Io's centre by default), where the missing part of the boundary
is drawn too.

Drawing. After the ``auto`` exposure is metered (so the lines never set it), into the HDR target with
the scene's depth: lines of constant pixel width (:data:`WIDTH_PX` output pixels), anti-aliased by their
exact distance to each segment in screen space, depth-tested (``less``, no writes) with the log depth of
``lib/depth.glsl``, the fragment pulled toward the camera by :data:`DEPTH_PULL` of its distance so a line
lying on a surface is not hidden by it (while the far side of a body still hides the footprint behind
its limb). The radiance is set from the frame's exposure so the lines show at a fixed display colour
(:data:`EDGE_COLOUR`, :data:`FOOTPRINT_COLOUR`, display-linear) under every exposure and curve:
L = curve⁻¹(colour) / 2^EV per channel. They are in the ``--linear`` radiance only when drawn before it
is read (the still command reads it before).

Must not import: ``viewer.cli``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.junocam import camera_to_j2000, field_outline
from viewer.render.exposure import ToneSettings, curve_inverse
from viewer.render.shaders import program_cache
from viewer.render.view import View
from viewer.sim.constants import BODIES

F64 = npt.NDArray[np.float64]

#: Rays sampling each side of the field's boundary.
RAYS_PER_SIDE = 256
#: Line width, output pixels.
WIDTH_PX = 1.5
#: Display-linear colours of the frustum's edges and of the footprint.
EDGE_COLOUR = (0.35, 0.8, 1.0)
FOOTPRINT_COLOUR = (1.0, 0.8, 0.2)
#: Fraction of its distance a line's fragment is pulled toward the camera for the depth test.
DEPTH_PULL = 1e-3
#: Nearest distance a segment is drawn at (clipped in front of it), km.
NEAR_KM = 1e-6
#: A camera nearer Juno's origin than this (km) is on board: the edges, rays through the eye, are not drawn.
ONBOARD_KM = 0.05

SEGMENT_DTYPE = np.dtype([("a_p0", np.float32, 3), ("a_p1", np.float32, 3), ("a_corner", np.float32, 2),
                          ("a_colour", np.float32, 3)])


def fov_rays(rotation: npt.ArrayLike, n: int = RAYS_PER_SIDE) -> F64:
    """Unit J2000 directions (4n, 3) around the field's boundary, a closed loop (corners at 0, n, 2n,
    3n): :func:`viewer.junocam.field_outline` turned by the mounting and ``rotation``, Juno's attitude
    (spacecraft frame → J2000, columns X, Y, Z)."""
    return np.asarray(field_outline(n) @ camera_to_j2000(rotation).T, dtype=np.float64)


def ray_hits(snap: Any, origin_km: npt.ArrayLike, directions: npt.ArrayLike) -> tuple[list[str | None], F64]:
    """For each unit J2000 direction from ``origin_km``: the body of :data:`BODIES` its ray meets first
    (or None) and the distance to the hit, km (inf on a miss)."""
    o = np.asarray(origin_km, dtype=np.float64)
    d = np.asarray(directions, dtype=np.float64)
    best = np.full(len(d), np.inf)
    names: list[str | None] = [None] * len(d)
    for name, body in BODIES.items():
        if name not in snap.positions or name not in snap.rotations:
            continue
        rot = np.asarray(snap.rotations[name], dtype=np.float64)
        inv = 1.0 / np.asarray(body.radii_km, dtype=np.float64)
        os_ = (rot.T @ (o - snap.positions[name])) * inv
        ds = (d @ rot) * inv
        a = np.sum(ds * ds, axis=1)
        b = ds @ os_
        c = float(os_ @ os_) - 1.0
        disc = b * b - a * c
        with np.errstate(invalid="ignore"):
            t = (-b - np.sqrt(np.where(disc >= 0.0, disc, np.nan))) / a
        closer = np.isfinite(t) & (t > 0.0) & (t < best)
        best = np.where(closer, t, best)
        for i in np.flatnonzero(closer):
            names[i] = name
    return names, best


@dataclass(frozen=True)
class FieldOfView:
    """JunoCam's field at one instant: the footprint's polylines (each (k, 3) J2000 km on one body's
    surface, with that body's name), the frustum's four edges ((2, 3) from Juno to their end) and the
    missed parts of the far rectangle (polylines (k, 3))."""

    footprint: list[tuple[str, F64]]
    edges: list[F64]
    far: list[F64]


def far_distance(snap: Any, juno_km: F64) -> float:
    """How far the frustum is drawn where it meets nothing: the distance from Juno to Io's centre (the
    flybys' target), else to Jupiter's."""
    for name in ("io", "jupiter"):
        if name in snap.positions:
            return float(np.linalg.norm(np.asarray(snap.positions[name]) - juno_km))
    return 1e4


def _runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """The runs of True in the closed loop ``mask`` as (first, last) indices counted on from the first
    False (take them modulo ``len(mask)``); the whole loop is (0, len), its first point repeated."""
    n = len(mask)
    if not mask.any():
        return []
    if mask.all():
        return [(0, n)]
    i = int(np.flatnonzero(~mask)[0]) + 1
    end = i - 1 + n
    runs = []
    while i < end:
        if mask[i % n]:
            j = i
            while j + 1 < end and mask[(j + 1) % n]:
                j += 1
            runs.append((i, j))
            i = j + 1
        else:
            i += 1
    return runs


def field_of_view(snap: Any, n: int = RAYS_PER_SIDE) -> FieldOfView | None:
    """JunoCam's field in ``snap`` (None without Juno's position and attitude)."""
    if "juno" not in snap.positions or "juno" not in snap.rotations:
        return None
    juno = np.asarray(snap.positions["juno"], dtype=np.float64)
    rays = fov_rays(snap.rotations["juno"], n)
    names, dist = ray_hits(snap, juno, rays)
    far = far_distance(snap, juno)
    loop = len(rays)
    footprint: list[tuple[str, F64]] = []
    for body in sorted({b for b in names if b is not None}):
        mask = np.array([b == body for b in names])
        for a, b in _runs(mask):
            idx = np.arange(a, b + 1) % loop
            footprint.append((body, juno + rays[idx] * dist[idx, None]))
    edges = [np.stack([juno, juno + rays[i] * min(float(dist[i]), far)]) for i in range(0, loop, n)]
    misses: list[F64] = []
    for a, b in _runs(~np.isfinite(dist)):
        idx = np.arange(a, b + 1) % loop
        misses.append(juno + rays[idx] * far)
    return FieldOfView(footprint, edges, misses)


def display_radiance(colour: tuple[float, float, float], ev: float, tone: ToneSettings) -> F64:
    """The radiance per channel that ``tone`` at ``ev`` shows as display-linear ``colour``."""
    levels = [curve_inverse(tone, min(max(c, 0.002), 0.98)) for c in colour]
    return np.asarray(np.asarray(levels, dtype=np.float64) / 2.0 ** ev, dtype=np.float64)


def segments(view: View, polylines: list[tuple[F64, F64]]) -> npt.NDArray[Any]:
    """The vertex data of ``polylines`` ((points (k, 3) J2000 km, radiance (3,)) each): six vertices per
    segment, ends camera-relative (float64 difference, then float32), clipped in front of NEAR_KM."""
    rows = []
    corners = np.array([[0, -1], [0, 1], [1, -1], [1, -1], [0, 1], [1, 1]], dtype=np.float32)
    for points, radiance in polylines:
        rel = (np.asarray(points, dtype=np.float64) - view.camera.position_km) @ view.camera.rotation
        p0, p1 = rel[:-1], rel[1:]
        z0, z1 = -p0[:, 2], -p1[:, 2]
        keep = (z0 > NEAR_KM) | (z1 > NEAR_KM)
        p0, p1, z0, z1 = p0[keep], p1[keep], z0[keep], z1[keep]
        with np.errstate(divide="ignore", invalid="ignore"):
            f0 = np.where(z0 < NEAR_KM, (NEAR_KM - z0) / (z1 - z0), 0.0)
            f1 = np.where(z1 < NEAR_KM, (NEAR_KM - z1) / (z0 - z1), 0.0)
        q0 = p0 + f0[:, None] * (p1 - p0)
        q1 = p1 + f1[:, None] * (p0 - p1)
        data = np.zeros((len(q0), 6), dtype=SEGMENT_DTYPE)
        data["a_p0"] = q0[:, None, :]
        data["a_p1"] = q1[:, None, :]
        data["a_corner"] = corners[None, :, :]
        data["a_colour"] = np.asarray(radiance, dtype=np.float32)
        rows.append(data.reshape(-1))
    return np.concatenate(rows) if rows else np.zeros(0, dtype=SEGMENT_DTYPE)


class JunoCamPass:
    """Draw JunoCam's field of view into the bound HDR target after metering (see the module docstring).

    Parameters
    ----------
    context : GLContext
    """

    def __init__(self, context: Any) -> None:
        self.context = context
        #: The field drawn last (None: none).
        self.field: FieldOfView | None = None

    def _program(self) -> Any:
        return program_cache(self.context).get("fov.vert", "fov.frag")

    def prepare(self, view: View) -> None:
        self._program()

    def polylines(self, view: View, ev: float, tone: ToneSettings) -> list[tuple[F64, F64]]:
        """The field's lines for ``view`` with their radiance at exposure ``ev``."""
        self.field = field_of_view(view.snapshot)
        if self.field is None:
            return []
        edge = display_radiance(EDGE_COLOUR, ev, tone)
        foot = display_radiance(FOOTPRINT_COLOUR, ev, tone)
        juno = np.asarray(view.snapshot.positions["juno"], dtype=np.float64)
        onboard = float(np.linalg.norm(view.camera.position_km - juno)) < ONBOARD_KM
        lines = [(p, foot) for _, p in self.field.footprint]
        if not onboard:
            lines += [(e, edge) for e in self.field.edges] + [(p, edge) for p in self.field.far]
        return lines

    def draw(self, view: View, target: Any, ev: float, tone: ToneSettings, supersample: int = 1) -> None:
        """Draw into ``target`` (the HDR target with the scene's depth, of ``view.size`` render pixels,
        which this binds); ``supersample`` render pixels make one output pixel."""
        from vispy import gloo

        data = segments(view, self.polylines(view, ev, tone))
        if len(data) == 0:
            return
        program = self._program()
        program.bind(gloo.VertexBuffer(data))
        program["u_projection"] = view.projection().T
        program["u_viewport_px"] = tuple(float(v) for v in view.size)
        program["u_half_width_px"] = 0.5 * WIDTH_PX * supersample
        program["u_pull"] = DEPTH_PULL
        for key, value in View.depth_uniforms().items():
            program[key] = value
        with target:
            gloo.set_state(depth_test=True, depth_mask=False, blend=True,
                           blend_func=("one", "one_minus_src_alpha"), cull_face=False)
            gloo.set_depth_func("less")
            program.draw("triangles")
            gloo.set_state(depth_mask=True)
