"""Jupitershine and Ioshine on a time grid: the exact lights at fixed nodes, interpolated between them.

Why. The exact lights of a source on a receiver (:func:`viewer.sim.photometry.shine_lights`: an n×n
direction grid ray-traced to the source's ellipsoid, reduced to 48 cells) cost 7–15 ms each on the CPU,
and every new instant of an animation needs them for each moon in view and for Juno. They are smooth
functions of the geometry, so a :class:`ShineTable` computes them exactly at nodes of a time grid and
interpolates between two nodes; a frame then costs a few small array operations.

The grid. Node times are whole multiples of a step that is a power of two seconds, counted from
et = 0 (J2000 TDB): t_k = k·h, exact in float64. A node's value is a function of t_k alone
(``World.at(t_k)`` and the exact lights there), never of which instants were asked for first, so a
table filled lazily, in any order, with any eviction, gives the same value at every et: frame i of an
export is the same whatever order the frames are rendered in. The step at et is chosen from the geometry
at et (:func:`pattern_rate`, :func:`grid_step`): :data:`KAPPA` over the fastest rate at which the lit
pattern can change (first derivatives, and square roots of second ones where a quantity turns round),
as a power of two between :data:`MIN_STEP_S` and :data:`MAX_STEP_S` — 1,024–2,048 s for a moon,
4 s for Juno 1,500 km over Io, 2–4 s for Juno over Jupiter's night side at perijove.

The frame. Lights are interpolated in a source frame (ĉ, e1, e2): ĉ from the receiver toward the
source's centre and, for the moons' 48 lights, e1 the source's pole projected across ĉ
(:func:`viewer.sim.photometry.disc_frame`) — the frame the cells are drawn in, so cell i is the same
part of the source's disc at every node; for Juno's irradiance maps, which mix whole light sets, e1
toward the Sun (a sphere's lit pattern then depends on the phase and distance alone, and the frame
rolling as Juno swings past Io costs no nodes). What moves fast (the source's direction as a spacecraft
flies by) is carried exactly by the frame at et; only the lit pattern within it (phase, distance, what
a moon in front hides) is interpolated. Each cell's vector irradiance V_i = P_i·d_i is stored in that
frame divided by the far-field estimate s = p·Φ(α)·(R/d)² at the node
(:func:`viewer.sim.photometry.jupitershine_to_sunlight`, Φ the Lambert phase function; close in, α is
replaced by π less the lit margin, :meth:`ShineTable.geometry`), interpolated
linearly in time, and multiplied by s at et: the estimate carries most of the change of a crescent
narrowing toward new phase, where the light falls as (π − α)³ (measured for Io over a day: the
normalisation cuts the largest error 5–10×). Cells wholly above a surface element's horizon give the
irradiance n·ΣV_i, so interpolating V_i interpolates that irradiance exactly.

What a renderer gets: :meth:`Blend.lights` (each cell's V_i interpolated: 48 lights, for the bodies'
shader) and :meth:`Blend.mix` (the same weights for anything else stored per node — an irradiance map
in the source frame, a colour). Measured errors against the exact lights, and the test that bounds
them: tests/unit/test_shine_table.py (docs/rendering.md "Light on a time grid").

Must not import: ``viewer.render``, ``viewer.cli``.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viewer.sim.photometry import aligned_frame, disc_frame, jupitershine_to_sunlight

F64 = NDArray[np.float64]
#: Directional lights: unit directions (N, 3) and irradiances (N,) in solar units.
Lights = tuple[F64, F64]

#: The grid's finest and coarsest steps, s (powers of two: node times k·h are exact in float64).
MIN_STEP_S = 2.0 ** -3
MAX_STEP_S = 2.0 ** 11
#: The step is the largest power of two ≤ KAPPA / rate (rate from :func:`pattern_rate`, 1/s): a node
#: interval spans at most this fraction of the pattern's time scale. Tuned with the tests' day of I57
#: (tests/unit/test_shine_table.py): the largest error is then well inside 0.5 %.
KAPPA = 1.0 / 16.0
#: Floors of the rate's denominators: π − α (the crescent's width near new phase) and the sine of the
#: angle between the source's pole and the line of sight (the cells' frame turns fast over a pole).
MIN_CRESCENT_RAD = math.radians(2.0)
MIN_POLE_SINE = math.sin(math.radians(2.0))
#: The frames a table can interpolate in: e1 along the source's pole (the 48 cells' own frame, needed to
#: interpolate each cell: :meth:`Blend.lights`) or toward the Sun (a sphere's lit pattern then turns with
#: the frame and depends on the phase and distance alone: fewer nodes where a spacecraft swings past,
#: for what mixes whole irradiance maps: :meth:`Blend.union`, :meth:`Blend.mix`).
FRAMES = ("pole", "sun")
#: Smallest far-field scale divided out (the scale is 0 exactly at phase π).
SCALE_FLOOR = 1e-15


def grid_step(rate_per_s: float) -> float:
    """The grid step (s) for a lit pattern changing at ``rate_per_s`` (1/s): the largest power of two
    ≤ :data:`KAPPA` / rate, within [:data:`MIN_STEP_S`, :data:`MAX_STEP_S`]."""
    if not rate_per_s > 0.0:
        return MAX_STEP_S
    step = 2.0 ** math.floor(math.log2(KAPPA / rate_per_s))
    return min(MAX_STEP_S, max(MIN_STEP_S, step))


def bracket(et: float, step: float) -> tuple[float, float, float]:
    """The nodes around ``et`` on the grid of ``step`` (a power of two, s) and the later one's weight:
    (t0, t1, w) with t0 = ⌊et/step⌋·step ≤ et < t1 = t0 + step and et = (1 − w)·t0 + w·t1."""
    k = math.floor(et / step)
    t0 = k * step
    return t0, t0 + step, (et - t0) / step


def _norm(v: F64) -> float:
    return float(np.sqrt(v @ v))


def _sky_velocity(rel: F64, vel: F64) -> F64:
    """d/dt of the unit vector ``rel``/|rel| when ``rel`` changes at ``vel`` (km, km/s → rad/s)."""
    d = _norm(rel)
    u = rel / d
    return np.asarray((vel - (vel @ u) * u) / d, dtype=np.float64)


def lit_margin(distance_km: float, radius_km: float, alpha: float) -> float:
    """How far (rad) the sunlit hemisphere of a sphere of radius R reaches into the cap of it seen from
    distance d: π/2 + acos(R/d) − α, the visible cap's angular radius acos(R/d) (π/2 far away) plus the
    lit hemisphere's π/2, less the phase α (Sun–centre–receiver). π − α far away (the width of a
    crescent near new phase); 0 where the last lit sliver leaves the receiver's view (close in, past the
    terminator: Juno over Jupiter's night side); negative when nothing lit is in view."""
    return math.pi / 2.0 + math.acos(min(1.0, radius_km / distance_km)) - alpha


def _sliver(distance_km: float, radii: Sequence[float], alpha: float) -> float:
    """The lit margin of an ellipsoid, bounded by its smallest and largest radius: 0 where the margins
    of those two spheres straddle 0 (the last lit sliver may be leaving view there), else the smaller
    of their absolute values (rad)."""
    lo = lit_margin(distance_km, max(radii), alpha)
    hi = lit_margin(distance_km, min(radii), alpha)
    return 0.0 if lo <= 0.0 <= hi else min(abs(lo), abs(hi))


def _phase_rates(rel: F64, vel: F64, s_hat: F64, timescale_s: float) -> tuple[float, float]:
    """|dα/dt| and √|d²α/dt²| (1/s) of the angle α between ``rel`` (the receiver from the source, km)
    and ``s_hat`` as ``rel`` moves in a straight line at ``vel`` (km/s): finite differences over a
    tenth of ``timescale_s`` (the encounter's d/v). The square root of the curvature counts where α
    turns round (closest approach), where its rate vanishes but linear interpolation still errs."""
    h = 0.1 * timescale_s

    def angle(t: float) -> float:
        r = rel + vel * t
        return math.acos(max(-1.0, min(1.0, float(r @ s_hat) / _norm(r))))

    a_m, a_0, a_p = angle(-h), angle(0.0), angle(h)
    return abs(a_p - a_m) / (2.0 * h), math.sqrt(abs(a_p - 2.0 * a_0 + a_m)) / h


def pattern_rate(snap: Any, receiver: str, source: str, radii: Sequence[float],
                 blockers: Sequence[tuple[str, float]] = (), frame: str = "pole") -> float:
    """How fast the light of ``source`` on ``receiver`` changes in the source frame (1/s), from the
    snapshot's positions and velocities (km, km/s, J2000). In the ``"pole"`` frame (the cells' frame,
    e1 along the source's pole) the largest of

    * (ω + |ȧ|) / max(m, 2°): the lit pattern follows the Sun's direction in the source frame, which
      turns as fast as the source's direction (ω, rad/s), and a sliver of width m (:func:`lit_margin`:
      π − α far away, α the phase at the source; 0 while the spheres of the source's smallest and
      largest radius disagree on whether any lit part is in view) changes faster by 1/m; close in, the
      visible cap's radius a = acos(R/d) changes too;
    * ω·|cos β| / max(sin β, sin 2°): the cells' frame turns about ĉ as the line of sight passes near the
      source's pole (β the angle between them);
    * |ḋ| / (d − R) and √(|d̈| / (d − R)), d̈ = |v⊥|²/d for straight-line motion: the disc grows or
      shrinks (d the distance, R the largest of ``radii``, km), also where d turns round;
    * for each blocker (name, radius km) — a moon that may hide part of the source: its speed on the
      sky relative to the source over max(θ, gap/(2·KAPPA)), θ the source's angular radius and gap the
      angle between the two discs' edges. A blocker crossing the source changes the light on the time
      it takes to move θ (whatever its size: a small one changes less, for as long); one off the disc
      changes nothing until it touches it, so the step only has to stay under half the time to
      contact.

    In the ``"sun"`` frame (e1 toward the Sun, :data:`FRAMES`) the lit pattern of a sphere depends on α
    and d alone, so ω becomes the larger of |α̇| and √|α̈| (:func:`_phase_rates`) in the first term,
    the second is replaced by the frame's roll about
    ĉ relative to the source's shape, ω⊥·|cot α| (ω⊥ the part of ω across the Sun's plane), times
    √(1 − c/a) (a, c the largest and smallest radii: interpolation errors grow as the square of a
    rate, and a shape's effect on the light is about its flattening), and the roll is added to each
    blocker's speed.
    """
    pos, vel = snap.positions, snap.velocities
    radius_km = float(max(radii))
    p = np.asarray(pos[receiver], dtype=np.float64)
    rel = np.asarray(pos[source], dtype=np.float64) - p
    v_rel = np.asarray(vel[source], dtype=np.float64) - np.asarray(vel[receiver], dtype=np.float64)
    d = _norm(rel)
    c_hat = rel / d
    c_dot = _sky_velocity(rel, v_rel)
    omega = _norm(c_dot)
    sun = np.asarray(pos["sun"], dtype=np.float64) - np.asarray(pos[source], dtype=np.float64)
    alpha = math.acos(max(-1.0, min(1.0, float(-(sun @ c_hat)) / _norm(sun))))
    a_dot = radius_km * abs(float(v_rel @ c_hat)) / (d * math.sqrt(max(d * d - radius_km * radius_km, 1e-6)))
    d_dot = abs(float(v_rel @ c_hat))
    d_ddot = float(v_rel @ v_rel) / d - d_dot * d_dot / d  # straight-line relative motion: |v⊥|²/d
    roll = 0.0
    if frame == "sun":
        s_hat = sun / _norm(sun)
        sin_a = math.sin(alpha)
        turn = max(_phase_rates(-rel, -v_rel, s_hat, d / max(_norm(v_rel), 1e-12)))
        across = np.cross(c_hat, s_hat)
        n_across = _norm(across)
        omega_perp = abs(float(c_dot @ across)) / n_across if n_across > 0.0 else omega
        roll = omega_perp * abs(math.cos(alpha)) / max(sin_a, MIN_POLE_SINE)
        frame_rate = roll * math.sqrt(max(0.0, 1.0 - min(radii) / max(radii)))
    else:
        turn = omega
        pole = np.asarray(snap.rotations[source], dtype=np.float64)[:, 2]
        cos_b = abs(float(c_hat @ pole))
        frame_rate = omega * cos_b / max(math.sqrt(max(0.0, 1.0 - cos_b * cos_b)), MIN_POLE_SINE)
    rate = max((turn + a_dot) / max(_sliver(d, radii, alpha), MIN_CRESCENT_RAD), frame_rate,
               d_dot / max(d - radius_km, 1e-3), math.sqrt(max(d_ddot, 0.0) / max(d - radius_km, 1e-3)))
    theta = math.asin(min(1.0, radius_km / d))
    for name, r_b in blockers:
        if name in (receiver, source) or name not in pos:
            continue
        rel_b = np.asarray(pos[name], dtype=np.float64) - p
        d_b = _norm(rel_b)
        v_b = np.asarray(vel[name], dtype=np.float64) - np.asarray(vel[receiver], dtype=np.float64)
        sep = math.acos(max(-1.0, min(1.0, float(rel_b @ c_hat) / d_b)))
        speed = _norm(_sky_velocity(rel_b, v_b) - c_dot) + roll * sep
        gap = sep - theta - math.asin(min(1.0, r_b / d_b))
        rate = max(rate, speed / max(theta, gap / (2.0 * KAPPA)))
    return rate


@dataclass(frozen=True)
class Node:
    """A grid node: its time, each light's vector irradiance P_i·d_i in the source frame at that time
    divided by the far-field scale there (``cells`` (N, 3); zero where no light reaches the receiver),
    and what the table's ``extra`` function made of it (None without one)."""

    et: float
    cells: F64
    extra: Any


@dataclass(frozen=True)
class Blend:
    """A table at one instant: the nodes ``before`` and ``after`` it, the later node's ``weight`` in
    [0, 1), and the source ``frame`` (rows ĉ, e1, e2 in J2000) and far-field ``scale`` at the instant."""

    before: Node
    after: Node
    weight: float
    frame: F64
    scale: float
    step: float
    per_cell: bool = True

    def mix(self, a: Any, b: Any) -> Any:
        """(1 − w)·a + w·b for values stored per node (``a`` at ``before``, ``b`` at ``after``)."""
        return a if self.weight == 0.0 else (1.0 - self.weight) * a + self.weight * b

    def lights(self) -> Lights:
        """The interpolated lights in J2000: each cell's V_i mixed, turned out of the frame at the
        instant and scaled by the far-field scale there; (directions (N, 3), irradiances (N,)). A dark
        cell gets the direction ĉ and irradiance 0. Only in the cells' own (``"pole"``) frame."""
        if not self.per_cell:
            raise ValueError("per-cell lights need a table in the cells' own frame (frame='pole')")
        v = self.mix(self.before.cells, self.after.cells) @ self.frame * self.scale
        power = np.sqrt(np.sum(v * v, axis=-1))
        lit = power > 0.0
        dirs = np.where(lit[:, None], v / np.where(lit, power, 1.0)[:, None], self.frame[0])
        return np.asarray(dirs, dtype=np.float64), np.asarray(power, dtype=np.float64)

    def union(self) -> Lights:
        """Both nodes' lights, each in the frame at the instant, weighted (1 − w) and w and scaled:
        what a linear mix of per-node irradiance maps (:meth:`mix`) holds, as 2N lights."""
        out_d, out_p = [], []
        for node, weight in ((self.before, 1.0 - self.weight), (self.after, self.weight)):
            p = np.sqrt(np.sum(node.cells * node.cells, axis=-1))
            d = node.cells / np.where(p > 0.0, p, 1.0)[:, None]
            out_d.append(d @ self.frame)
            out_p.append(weight * self.scale * p)
        return np.concatenate(out_d), np.concatenate(out_p)


class ShineTable:
    """One source's lights on one receiver, computed exactly at grid nodes and interpolated.

    Parameters
    ----------
    world_at : et → snapshot (``World.at``): the node snapshots, with the positions, velocities and
        rotations the query snapshots come from
    receiver, source : body names in the snapshots (``"io"`` and ``"jupiter"``, ``"juno"`` and ``"io"``…)
    lights : snapshot → the exact lights (J2000 directions (N, 3), irradiances (N,)) or None when none
        reach the receiver
    radii : the source's semi-axes, km (the largest bounds it; the smallest bounds how much of it a
        close receiver sees)
    albedo : the source's geometric albedo (the far-field scale p·Φ(α)·(R/d)²)
    n_lights : N
    blockers : (name, radius km) of bodies that may hide part of the source (:func:`pattern_rate`)
    extra : (node snapshot, directions in the source frame (N, 3), irradiances over the far-field scale
        (N,)) → anything stored with the node and mixed with the same weights (:meth:`Blend.mix`)
    capacity : nodes kept (least recently used dropped; a dropped node computes to the same value)
    frame : ``"pole"`` or ``"sun"`` (:data:`FRAMES`)
    far_extra : (directions (N, 3), irradiances (N,)) → the ``extra`` of :meth:`far_node` (None: no
        extra there)
    """

    def __init__(self, world_at: Callable[[float], Any], receiver: str, source: str,
                 lights: Callable[[Any], Lights | None], radii: Sequence[float], albedo: float, n_lights: int,
                 blockers: Sequence[tuple[str, float]] = (),
                 extra: Callable[[Any, F64, F64], Any] | None = None, capacity: int = 64,
                 frame: str = "pole", far_extra: Callable[[F64, F64], Any] | None = None) -> None:
        if frame not in FRAMES:
            raise ValueError(f"frame must be one of {FRAMES}")
        self.frame = frame
        self.world_at = world_at
        self.receiver = receiver
        self.source = source
        self._lights = lights
        self.radii = tuple(float(r) for r in radii)
        self.albedo = float(albedo)
        self.n_lights = int(n_lights)
        self.blockers = tuple(blockers)
        self._extra = extra
        self.capacity = int(capacity)
        self._nodes: OrderedDict[float, Node | None] = OrderedDict()
        self._far_extra = far_extra
        self._far: Node | None = None
        #: Nodes computed so far (a cost counter for benchmarks and tests).
        self.computed = 0

    def _present(self, snap: Any) -> bool:
        return self.receiver in snap.positions and self.source in snap.positions

    def geometry(self, snap: Any) -> tuple[F64, float]:
        """The source frame (rows ĉ, e1, e2, J2000) and the far-field scale in ``snap``: p·Φ(α')·(R/d)²,
        R the largest radius and α' = π − m, m the :func:`lit_margin` of the sphere of the smallest
        radius (α' = α far away; close in, Φ(α') reaches 0 only once nothing lit can be in view, so
        the lights over the scale stay finite and go smoothly to 0)."""
        point = np.asarray(snap.positions[self.receiver], dtype=np.float64)
        centre = np.asarray(snap.positions[self.source], dtype=np.float64)
        sun = np.asarray(snap.positions["sun"], dtype=np.float64) - centre
        frame = disc_frame(point, centre, snap.rotations[self.source]) if self.frame == "pole" \
            else aligned_frame(point, centre, sun)
        out = point - centre
        alpha = math.acos(max(-1.0, min(1.0, float(sun @ out) / (_norm(sun) * _norm(out)))))
        d = _norm(out)
        alpha_eff = math.pi - lit_margin(d, min(self.radii), alpha)
        scale = float(jupitershine_to_sunlight(alpha_eff, d, self.albedo, max(self.radii)))
        return frame, max(scale, SCALE_FLOOR)

    def node(self, t: float) -> Node | None:
        """The node at grid time ``t`` (computed the first time; None where the snapshot lacks the
        receiver or the source, or ``t`` is outside the ephemeris)."""
        if t in self._nodes:
            self._nodes.move_to_end(t)
            return self._nodes[t]
        try:
            snap = self.world_at(t)
        except ValueError:  # UserError: outside the ephemeris's span
            snap = None
        value: Node | None = None
        if snap is not None and self._present(snap):
            frame, scale = self.geometry(snap)
            lit = self._lights(snap)
            if lit is None:
                dirs = np.tile(np.array([1.0, 0.0, 0.0]), (self.n_lights, 1))
                power = np.zeros(self.n_lights)
            else:
                dirs, power = np.asarray(lit[0], dtype=np.float64) @ frame.T, np.asarray(lit[1]) / scale
            extra = self._extra(snap, dirs, power) if self._extra is not None else None
            value = Node(t, np.asarray(power[:, None] * dirs, dtype=np.float64), extra)
            self.computed += 1
        self._nodes[t] = value
        while len(self._nodes) > self.capacity:
            self._nodes.popitem(last=False)
        return value

    def _cached(self, t: float) -> Node:
        """The node at ``t`` if the table holds it, else :meth:`far_node` (nothing is computed)."""
        value = self._nodes.get(t)
        return value if value is not None else self.far_node()

    def step_at(self, snap: Any) -> float:
        """The grid step used at ``snap``'s instant (:func:`grid_step` of :func:`pattern_rate`)."""
        return grid_step(pattern_rate(snap, self.receiver, self.source, self.radii, self.blockers,
                                      self.frame))

    def far_node(self) -> Node:
        """A node that stands for the source as a point at its centre: one cell along ĉ carrying the
        whole far-field scale (so a blend of it gives the far-field estimate p·Φ(α')·(R/d)² from the
        source's centre), the other cells dark. Made once; a function of nothing but the table."""
        if self._far is None:
            cells = np.zeros((self.n_lights, 3))
            cells[0, 0] = 1.0
            power = np.zeros(self.n_lights)
            power[0] = 1.0
            dirs = np.tile(np.array([1.0, 0.0, 0.0]), (self.n_lights, 1))
            extra = self._far_extra(dirs, power) if self._far_extra is not None else None
            self._far = Node(float("nan"), cells, extra)
        return self._far

    def at(self, snap: Any, reuse_only: bool = False) -> Blend | None:
        """The table at ``snap``'s instant, or None where it cannot serve it (the snapshot or a node
        lacks the receiver or the source): the caller computes the exact lights instead.

        ``reuse_only`` (the interactive window while the clock runs so fast that every frame lands
        between new nodes, e.g. 10⁶×): compute no node; a node not already in the table is replaced
        by :meth:`far_node`, so the frame costs what a still one does. Such a frame depends on what was
        computed before it — never used for stills or exports."""
        if not self._present(snap):
            return None
        step = self.step_at(snap)
        t0, t1, weight = bracket(float(snap.et), step)
        node = self._cached if reuse_only else self.node
        before = node(t0)
        after = before if weight == 0.0 else node(t1)
        if before is None or after is None:
            return None
        frame, scale = self.geometry(snap)
        return Blend(before, after, weight, frame, scale, step, self.frame == "pole")
