"""Trails as data: where a body has been (and will be) relative to another, sampled adaptively in time.

A :class:`Trail` holds sample times (TDB ``et``, float64) and the body's positions relative to the
centre of its frame body (km, float64, J2000 axes: a non-rotating frame carried along by that body).
It is drawn around the frame body's *current* position (``viewer.render.passes.trails``), so Juno's
trail relative to Io is the hyperbola of the flyby around Io wherever Io now is, and the Galilean
moons' trails relative to Jupiter are their orbits. Pure numpy; no GL here.

Sampling (:func:`adaptive_samples`). The drawn trail is a polyline of chords between samples. The
error a camera sees is the distance δ(t) from the true point p(t) to the chord, divided by the point's
distance D from the camera, times the focal length f in pixels: e = f·δ/D. Starting from a uniform
grid (at most :data:`INITIAL_STEP_S` apart, at least :data:`INITIAL_INTERVALS` intervals), every
interval whose chord is too far from the path is halved, recursively, until for each chord of length
L the path's largest distance from it (measured at the interval's quarter, middle and three-quarter
times, perpendicular to the chord) is

    δ ≤ θ · L / 4,        θ = :data:`TOLERANCE_RAD` = 1e-4 rad

(or δ ≤ :data:`FLOOR_KM`, or the interval is :data:`MIN_STEP_S` short). For a smooth path the
sagitta is δ = κL²/8 (κ the curvature), so the rule is L ≤ 2θ/κ: each chord turns the path by at
most 2θ, and a trail gets π/θ ≈ 31,400 chords per full turn of an orbit, wherever the turning
happens (dense at perijove and at Io's closest approach, sparse on the straight parts of the
hyperbola and near apojove). Why this bounds the error at every view the product's cameras take:

* A camera riding the trail's own body (``look:juno:…``, ``junocam``, ``orbit:juno:…`` at any range,
  and a moon's trail seen from ``orbit:MOON:…``) sits at p(et). A drawn chord [a, b] never contains
  ``et`` (the chord that does is cut at the body, below), so for t in [a, b] the camera is at least
  about v·min(t − a, b − t) from p(t) — the distance along the path to the chord's nearer end — while
  δ(t) ≈ ½·a⊥·(t − a)(b − t). Hence δ/D ≤ ½·a⊥·(b − a)/v = κL/2 ≤ θ: the error is at most f·θ,
  < 0.5 px for focal lengths up to 0.5/θ = 5,000 px (1080 rows at a 12° field, or 4320 rows at 47°).
  The last, partial chord ends at the body's exact current position (a uniform set each frame), so
  the head is exact and the same bound holds for it.
* Any other camera at least L/4 from the chord (that is, more than ~8 km from Juno's path at
  perijove, ~50 km from its hyperbola around Io, ~20 km from Io's orbit) sees
  e ≤ f·θ·(L/4)/D ≤ f·θ. Cameras placed relative to a body's surface (``above:``, ``orbit:`` at small
  ranges) are much farther than that from every trail here: Juno passes 1,500 km above Io and
  ~4,000 km above Jupiter's clouds, and a moon's own orbit leaves its surface at one radius from
  its centre.
* Not covered: a free camera placed closer than L/4 to a chord of a trail that is not its own body's
  (e.g. ``orbit:io:…`` with the range and direction of a point of Juno's path): there the error grows
  as L/(4D). Nothing in the shipped presets does that.

Coverage. Juno's embedded trajectory covers the windows :meth:`viewer.sim.juno.EmbeddedJuno.coverage`
names (SPICE kernels: theirs); a span outside it is refused with one line (:class:`UserError`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viewer.errors import UserError
from viewer.sim.constants import BODIES

F64 = NDArray[np.float64]

#: Largest angle (radians) a chord's deviation from the path may subtend, seen from where a camera can be
#: (see the module doc): 0.5 px at a 5,000 px focal length.
TOLERANCE_RAD = 1e-4
#: Deviations below this (km, 0.1 mm) are accepted whatever the chord's length (below the ephemerides'
#: own numerical noise; it stops subdivision on numerically straight stretches).
FLOOR_KM = 1e-7
#: Intervals are never split below this length, s.
MIN_STEP_S = 1e-3
#: The uniform grid subdivision starts from: at least this many intervals, at most INITIAL_STEP_S apart.
INITIAL_INTERVALS = 64
INITIAL_STEP_S = 600.0
#: Step of the moons' Hermite splines (:class:`RelativePath`), s.
SPLINE_STEP_S = 300.0
#: The past span of a trail whose body is not bound to its frame body (Juno relative to a moon), s.
UNBOUND_PAST_S = 1800.0
#: Bodies that may have a trail, and the bodies a trail may be drawn relative to.
TRAIL_BODIES = ("juno", "io", "europa", "ganymede", "callisto")
TRAIL_FRAMES = ("jupiter", "io", "europa", "ganymede", "callisto")


@dataclass(frozen=True)
class Trail:
    """A sampled trail and the part of it to draw.

    Attributes
    ----------
    body : the body whose path it is (``juno``, ``io``, …)
    frame : the body it is relative to (its centre, J2000 axes)
    et : (S,) sample times, TDB seconds past J2000, increasing
    positions_km : (S, 3) the body's position relative to ``frame``'s centre at those times, km, J2000
    past_s, future_s : how much of the path before and after the current instant to draw, s
    """

    body: str
    frame: str
    et: F64
    positions_km: F64
    past_s: float
    future_s: float = 0.0

    def __post_init__(self) -> None:
        if self.et.ndim != 1 or self.positions_km.shape != (self.et.size, 3) or self.et.size < 2:
            raise ValueError("a trail needs at least two samples: et (S,) and positions_km (S, 3)")

    @property
    def name(self) -> str:
        """``BODY:FRAME`` as the command line writes it."""
        return f"{self.body}:{self.frame}"

    def __len__(self) -> int:
        return int(self.et.size)


def chord_deviation(p_a: F64, p_b: F64, q: F64) -> F64:
    """Distance (km) of points ``q`` (..., 3) from the line through chord ends ``p_a``, ``p_b`` (..., 3),
    perpendicular to the chord; from ``p_a`` itself where the chord has no length."""
    d = p_b - p_a
    length = np.linalg.norm(d, axis=-1, keepdims=True)
    u = np.divide(d, length, out=np.zeros_like(d), where=length > 0.0)
    r = q - p_a
    perp = r - np.sum(r * u, axis=-1, keepdims=True) * u
    return np.asarray(np.linalg.norm(perp, axis=-1), dtype=np.float64)


def adaptive_samples(path: Callable[[F64], F64], start: float, end: float,
                     tolerance_rad: float = TOLERANCE_RAD, min_step_s: float = MIN_STEP_S,
                     initial_step_s: float = INITIAL_STEP_S) -> tuple[F64, F64]:
    """Sample ``path`` (times (n,) → positions (n, 3), km) on [start, end] so that every chord meets the
    rule of the module doc: deviation ≤ ``tolerance_rad``·L/4. Returns (times (S,), positions (S, 3)),
    both float64; ``start`` and ``end`` are samples. Each round evaluates the path at three points of
    every open interval (vectorised) and halves those that fail."""
    if not end > start:
        raise ValueError("the sampled span must end after it starts")
    n = max(INITIAL_INTERVALS, math.ceil((end - start) / initial_step_s))
    t = np.linspace(start, end, n + 1)
    p = np.asarray(path(t), dtype=np.float64)
    open_ = np.ones(n, dtype=bool)  # intervals still to test
    fractions = np.array([0.25, 0.5, 0.75])
    while open_.any():
        idx = np.flatnonzero(open_)
        a, b = t[idx], t[idx + 1]
        q_t = a[:, None] + (b - a)[:, None] * fractions[None, :]
        q = np.asarray(path(q_t.ravel()), dtype=np.float64).reshape(idx.size, 3, 3)
        dev = chord_deviation(p[idx][:, None, :], p[idx + 1][:, None, :], q).max(axis=1)
        length = np.linalg.norm(p[idx + 1] - p[idx], axis=1)
        good = (dev <= tolerance_rad * length / 4.0) | (dev <= FLOOR_KM) | (b - a <= min_step_s)
        open_[idx[good]] = False
        bad = idx[~good]
        if bad.size == 0:
            break
        # Halve the failing intervals, reusing their midpoints' positions; both halves stay open.
        t = np.insert(t, bad + 1, q_t[~good, 1])
        p = np.insert(p, bad + 1, q[~good, 1], axis=0)
        open_ = np.insert(open_, bad + 1, True)
    return t, p


def check_trail(body: str, frame: str, where: str = "--trails", text: str | None = None) -> tuple[str, str]:
    """Normalised (body, frame), or a one-line UserError naming the fix (``text``: the spec as given)."""
    b, f = str(body).strip().lower(), str(frame).strip().lower()
    spec = text if text is not None else f"{b}:{f}"
    if b not in TRAIL_BODIES:
        raise UserError(f"{where} {spec}: no trail for {body!r}; trails follow {', '.join(TRAIL_BODIES)} "
                        "(SPEC is BODY or BODY:FRAME, e.g. juno:io)")
    if f not in TRAIL_FRAMES:
        raise UserError(f"{where} {spec}: unknown frame {frame!r}; draw a trail relative to "
                        f"{', '.join(TRAIL_FRAMES)}")
    if b == f:
        raise UserError(f"{where} {spec}: a body has no trail relative to itself; pick another frame, "
                        f"e.g. {b}:jupiter")
    return b, f


class RelativePath:
    """A body's position relative to the frame body's centre (km, J2000) from a World, for any array of
    times (in ``span`` when one is given). Juno comes from its trajectory's own dense interpolant. With a
    span, the moons come from a cubic Hermite spline through the ephemeris' positions and velocities
    every :data:`SPLINE_STEP_S` (the analytic series costs ~25 µs a point, and a full orbit's subdivision
    asks for ~10⁵ points): within 1 m of the series, which itself scatters by ~0.7 m between
    neighbouring instants (it reads time as a float64 Julian date: 40 µs steps). Without a span, the
    ephemeris itself."""

    def __init__(self, world: Any, body: str, frame: str, span: tuple[float, float] | None = None) -> None:
        self.world, self.body, self.frame = world, body, frame
        self._paths = {name: self._path(name, span) for name in (body, frame) if name != "jupiter"}

    def _path(self, name: str, span: tuple[float, float] | None) -> Callable[[F64], F64]:
        if name == "juno" or span is None:
            return lambda et: np.asarray(self.world.state(name, et)[0], dtype=np.float64)
        from scipy.interpolate import CubicHermiteSpline

        start, end = span
        n = max(2, math.ceil((end - start) / SPLINE_STEP_S) + 1)
        grid = np.linspace(start, end, n)
        p, v = (np.asarray(x, dtype=np.float64) for x in self.world.state(name, grid))
        spline = CubicHermiteSpline(grid, p, v, axis=0)
        return lambda et: np.asarray(spline(et), dtype=np.float64)

    def __call__(self, et: F64) -> F64:
        p = self._paths[self.body](et)
        if self.frame != "jupiter":  # positions are jovicentric already
            p = p - self._paths[self.frame](et)
        return p

    def covers(self, et: float) -> bool:
        return self.body != "juno" or bool(self.world.juno.covers(float(et)))


def osculating_period_s(world: Any, body: str, frame: str, et: float) -> float | None:
    """The two-body period (s) of ``body`` about ``frame`` from their relative state at ``et``
    (μ = GM of both), or None when the relative orbit is unbound (Juno passing a moon)."""
    r, v = (np.asarray(x, dtype=np.float64) for x in world.state(body, et))
    if frame != "jupiter":
        rf, vf = (np.asarray(x, dtype=np.float64) for x in world.state(frame, et))
        r, v = r - rf, v - vf
    mu = BODIES[frame].gm_km3_s2 + (BODIES[body].gm_km3_s2 if body in BODIES else 0.0)
    energy = 0.5 * float(v @ v) - mu / float(np.linalg.norm(r))
    if energy >= 0.0:
        return None
    a = -mu / (2.0 * energy)
    return 2.0 * math.pi * math.sqrt(a**3 / mu)


def _utc(et: float) -> str:
    from viewer.sim.timescales import et_to_utc

    return et_to_utc(et, places=0)


def _covered_from(source: RelativePath, et: float, earliest: float) -> float:
    """The earliest time ≥ ``earliest`` from which ``source`` is covered up to ``et`` (bisection to 1 ms;
    coverage is taken to be one interval around ``et``)."""
    if source.covers(earliest):
        return earliest
    lo, hi = earliest, et
    while hi - lo > 1e-3:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if source.covers(mid) else (mid, hi)
    return hi


def trail_span(world: Any, body: str, frame: str, et: float, past_s: float | None = None,
               future_s: float | None = None, where: str = "--trails") -> tuple[float, float]:
    """The (past, future) spans (s) of the trail at ``et``. ``None`` picks the default: the past is one
    osculating period of a bound orbit (the whole orbit: a moon about Jupiter, Juno about Jupiter) or
    :data:`UNBOUND_PAST_S` (Juno passing a moon), shortened to the trajectory's coverage; the future
    is 0. A given span must lie inside the coverage: otherwise a one-line UserError names the fix."""
    source = RelativePath(world, body, frame)
    name = f"{body}:{frame}"
    if not source.covers(et):
        raise UserError(f"{where} {name}: Juno's trajectory does not cover {_utc(et)} UTC "
                        f"({world.juno.coverage_text()}); pick a time inside it or drop this trail")
    if past_s is None:
        period = osculating_period_s(world, body, frame, et)
        past = UNBOUND_PAST_S if period is None else period
        past_s = et - _covered_from(source, et, et - past)
    future = 0.0 if future_s is None else float(future_s)
    start, end = et - float(past_s), et + future
    grid = np.append(np.arange(start, end, 600.0), end)
    if not all(source.covers(float(t)) for t in grid):
        raise UserError(f"{where} {name}: {_utc(start)} to {_utc(end)} UTC (--trail-span) runs outside "
                        f"Juno's trajectory ({world.juno.coverage_text()}); shorten --trail-span or pick "
                        "another time")
    return float(past_s), future


def make_trail(world: Any, body: str, frame: str, et: float, past_s: float | None = None,
               future_s: float | None = None, tolerance_rad: float = TOLERANCE_RAD,
               where: str = "--trails") -> Trail:
    """Sample ``body``'s trail relative to ``frame`` over [et − past, et + future] (spans as
    :func:`trail_span`; errors as one-line UserErrors)."""
    body, frame = check_trail(body, frame, where)
    past, future = trail_span(world, body, frame, et, past_s, future_s, where)
    if past + future <= 0.0:
        raise UserError(f"{where} {body}:{frame}: the span is empty; give --trail-span a past or a future, "
                        "e.g. 30min:0s")
    try:
        source = RelativePath(world, body, frame, (et - past, et + future))
        t, p = adaptive_samples(source, et - past, et + future, tolerance_rad)
    except UserError as exc:
        raise UserError(f"{where} {body}:{frame}: {exc}") from None
    return Trail(body, frame, t, p, past, future)


def make_trails(world: Any, specs: Sequence[tuple[str, str]], et: float, past_s: float | None = None,
                future_s: float | None = None, where: str = "--trails") -> list[Trail]:
    """One :class:`Trail` per (body, frame) in ``specs``, all with the same spans (see :func:`make_trail`)."""
    return [make_trail(world, b, f, et, past_s, future_s, where=where) for b, f in specs]


__all__ = ["TOLERANCE_RAD", "TRAIL_BODIES", "TRAIL_FRAMES", "RelativePath", "Trail", "adaptive_samples",
           "check_trail", "chord_deviation", "make_trail", "make_trails", "osculating_period_s", "trail_span"]
