"""The world at an instant: ``World.at(et)`` → a frozen :class:`Snapshot`, plus event searches.

A :class:`Snapshot` is plain data — jovicentric J2000 positions (km) and velocities (km/s), body-fixed
→ J2000 rotation matrices, the Sun's direction — with derived geometry as methods: sub-points on the
IAU ellipsoids (SPICE's "Intercept/Ellipsoid") and nearest points (the feet of altitudes), the fraction
of the Sun's disc visible from a point, Jupiter's phase seen from a moon, and the closed-form
Jupitershine ratio. The renderer takes a snapshot and a camera and nothing else.

:meth:`World.find_events` finds eclipse contacts and Jupiter phase extremes by root finding (Brent's
method on smooth functions of time), bracketed by the synodic period derived from the bodies' states.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import brentq, minimize_scalar

from viewer.errors import UserError
from viewer.sim import photometry
from viewer.sim.constants import BODIES, MOONS
from viewer.sim.ephemeris import EPHEMERIS_BODIES, AnalyticEphemeris, Ephemeris, check_et
from viewer.sim.frames import intercept_point_on_ellipsoid, lat_wlon, nearest_point_on_ellipsoid
from viewer.sim.juno import EmbeddedJuno, JunoSource

#: The embedded Juno trajectories (stateless; the arcs integrate lazily on first use).
_EMBEDDED_JUNO = EmbeddedJuno()

F64 = NDArray[np.float64]

#: Bodies that cast shadows (the occulters considered by :meth:`Snapshot.sun_visible_fraction`).
OCCULTERS = ("jupiter", "io", "europa", "ganymede", "callisto")
#: Kinds accepted by :meth:`World.find_events`.
EVENT_KINDS = ("eclipse", "jupiter_phase")
#: Root-finding tolerance for event times, s.
EVENT_TOLERANCE_S = 1e-3


def _frozen(a: ArrayLike) -> F64:
    arr = np.array(a, dtype=np.float64)
    arr.setflags(write=False)
    return arr


def _unit(v: F64) -> F64:
    return np.asarray(v / np.linalg.norm(v, axis=-1, keepdims=True), dtype=np.float64)


def _angle(a: F64, b: F64) -> F64:
    """Angle between vectors (rad), robust near 0 and π."""
    cross = np.linalg.norm(np.cross(a, b), axis=-1)
    return np.asarray(np.arctan2(cross, np.sum(a * b, axis=-1)), dtype=np.float64)


@dataclass(frozen=True)
class SurfacePoint:
    """A point on a body's IAU ellipsoid: planetocentric latitude and west longitude (degrees)."""

    lat_deg: float
    wlon_deg: float
    body_fixed_km: tuple[float, float, float]


def _surface_point(direction: F64, on_surface: F64) -> SurfacePoint:
    """A :class:`SurfacePoint` at ``on_surface`` (body frame, km), with the planetocentric latitude and
    west longitude of ``direction`` (the same direction from the centre, or the point itself)."""
    lat, wlon = lat_wlon(direction)
    return SurfacePoint(float(np.degrees(lat)), float(np.degrees(wlon)) % 360.0,
                        (float(on_surface[0]), float(on_surface[1]), float(on_surface[2])))


@dataclass(frozen=True)
class Snapshot:
    """Everything's state at TDB ``et``. Positions/velocities: km, km/s, J2000, origin Jupiter.

    ``world`` is the :class:`World` whose :meth:`World.at` made the snapshot, so that the renderer can
    compute what depends on ``et`` on that World's own time grid (:mod:`viewer.sim.shine_table`). It
    is not an argument: a snapshot built by hand, or changed with ``dataclasses.replace`` (which does
    not copy it), has None — its state need not be the World's — and is lit exactly."""

    et: float
    positions: Mapping[str, F64]
    velocities: Mapping[str, F64]
    rotations: Mapping[str, F64]
    world: World | None = field(default=None, init=False, compare=False, repr=False)

    @property
    def sun_direction(self) -> F64:
        """Unit vector from Jupiter's centre toward the Sun (J2000)."""
        return _unit(self.positions["sun"])

    def _check(self, body: str) -> None:
        if body not in self.positions:
            raise UserError(f"unknown body {body!r}; use one of: {', '.join(self.positions)}")

    def to_body(self, body: str, point: ArrayLike) -> F64:
        """A J2000 jovicentric point expressed in ``body``'s body-fixed frame about its centre."""
        rel = np.asarray(point, dtype=np.float64) - self.positions[body]
        return np.asarray(rel @ self.rotations[body], dtype=np.float64)

    def subpoint(self, body: str, point: ArrayLike) -> SurfacePoint:
        """The sub-point of ``point`` (J2000 jovicentric, km) on ``body``'s ellipsoid: where the line
        from the body's centre toward ``point`` pierces it — SPICE ``subpnt`` "INTERCEPT/ELLIPSOID",
        the Juno team's convention. Its planetocentric latitude and west longitude are the direction's."""
        self._check(body)
        v = self.to_body(body, point)
        return _surface_point(v, intercept_point_on_ellipsoid(v, BODIES[body].radii_km))

    def near_point(self, body: str, point: ArrayLike) -> SurfacePoint:
        """The point of ``body``'s ellipsoid nearest to ``point`` (J2000 jovicentric, km) — SPICE
        ``subpnt`` "NEAR POINT/ELLIPSOID", the foot of the altitude. On Io it lies up to ~0.3° from
        :meth:`subpoint` (docs/spice.md "Sub-points")."""
        self._check(body)
        near = nearest_point_on_ellipsoid(self.to_body(body, point), BODIES[body].radii_km)
        return _surface_point(near, near)

    def subsolar_point(self, body: str) -> SurfacePoint:
        """The sub-solar point of ``body``: the intercept of the line to the Sun's centre (SPICE
        ``subslr`` "INTERCEPT/ELLIPSOID"; its latitude is the Sun's planetocentric declination)."""
        return self.subpoint(body, self.positions["sun"])

    def sun_visible_fraction(self, point: ArrayLike, exclude: tuple[str, ...] = ()) -> float:
        """Fraction of the Sun's disc visible from ``point`` (J2000 jovicentric, km), past every
        occulter except those in ``exclude`` (a body never shadows its own centre: exclude it).
        Overlapping occulters multiply (they never overlap in practice)."""
        p = np.asarray(point, dtype=np.float64)
        fraction = 1.0
        for body in OCCULTERS:
            if body in exclude or body not in self.positions:
                continue
            fraction *= float(photometry.sun_visible_fraction(
                self.to_body(body, p), self.to_body(body, self.positions["sun"]),
                BODIES[body].radii_km))
        return fraction

    def phase_angle(self, body: str, observer: str) -> float:
        """Sun–``body``–``observer`` angle, radians (``body`` seen from ``observer``)."""
        self._check(body)
        self._check(observer)
        c = self.positions[body]
        return float(_angle(self.positions["sun"] - c, self.positions[observer] - c))

    def jupitershine_to_sunlight(self, body: str = "io") -> float:
        """Closed-form Jupitershine/sunlight at ``body``'s centre: p·Φ(α)·(R_J/d)² (sanity value)."""
        alpha = self.phase_angle("jupiter", body)
        distance = float(np.linalg.norm(self.positions[body] - self.positions["jupiter"]))
        return float(photometry.jupitershine_to_sunlight(alpha, distance))


@dataclass(frozen=True)
class Event:
    """A found event: ``kind`` (e.g. ``eclipse_entry``), the body, TDB time and a value."""

    kind: str
    body: str
    et: float
    value: float = float("nan")


class World:
    """The simulation: an ephemeris (embedded by default, or SPICE) queried at any ``et``."""

    def __init__(self, ephemeris: Ephemeris | None = None) -> None:
        self.ephemeris: Ephemeris = ephemeris if ephemeris is not None else AnalyticEphemeris()

    def at(self, et: float) -> Snapshot:
        """The frozen state of the Jovian system at TDB ``et`` (seconds past J2000).

        Raises UserError (a ValueError) for a non-finite ``et`` or one outside the ephemeris's span
        (the message names the span)."""
        e = float(et)
        check_et(e)
        positions: dict[str, F64] = {}
        velocities: dict[str, F64] = {}
        for body in EPHEMERIS_BODIES:
            p, v = self.ephemeris.state(body, e)
            positions[body], velocities[body] = _frozen(p), _frozen(v)
        rotations = {b: _frozen(self.ephemeris.orientation(b, e)) for b in BODIES}
        if self.juno.covers(e):  # Juno only inside its trajectory windows (or SPICE coverage)
            p, v = self.juno.state(e)
            positions["juno"], velocities["juno"] = _frozen(p), _frozen(v)
            rotations["juno"] = _frozen(self.juno.orientation(e, positions["earth"]))
        snap = Snapshot(e, MappingProxyType(positions), MappingProxyType(velocities),
                        MappingProxyType(rotations))
        object.__setattr__(snap, "world", self)  # frozen; not an __init__ argument (see Snapshot)
        return snap

    @property
    def juno(self) -> JunoSource:
        """Where Juno comes from: the ephemeris's own Juno (SPICE mode) or the embedded
        I57/I58 trajectories (:mod:`viewer.sim.juno`)."""
        source = getattr(self.ephemeris, "juno", None)
        return source if source is not None else _EMBEDDED_JUNO

    def state(self, body: str, et: ArrayLike) -> tuple[F64, F64]:
        """Position and velocity of any body, Juno included, for scalar or array ``et``."""
        if body == "juno":
            return self.juno.state(et)
        return self.ephemeris.state(body, et)

    def closest_approach(self, a: str, b: str, window: tuple[float, float],
                         step: float = 60.0) -> list[Event]:
        """Closest approaches of bodies ``a`` and ``b`` between TDB ``window[0]`` and ``window[1]``:
        local minima of their distance, found as roots of d|r|²/dt = 2 r·v (sign − → +) bracketed
        on a ``step`` grid, then Brent's method to 1 ms. ``value`` is the distance (km)."""
        start, end = (float(x) for x in window)
        if not end > start:
            raise UserError("the closest-approach window must end after it starts")
        n = max(int(np.ceil((end - start) / step)), 1)
        offsets = np.linspace(0.0, end - start, n + 1)  # offsets keep brentq's tolerance absolute

        def rdot(s: ArrayLike) -> F64:
            t = start + np.asarray(s, dtype=np.float64)
            pa, va = self.state(a, t)
            pb, vb = self.state(b, t)
            return np.asarray(np.sum((pb - pa) * (vb - va), axis=-1), dtype=np.float64)

        f = rdot(offsets)
        out = []
        for i in np.flatnonzero((f[:-1] < 0.0) & (f[1:] >= 0.0)):
            s = brentq(lambda x: float(rdot(x)), offsets[i], offsets[i + 1], xtol=EVENT_TOLERANCE_S)
            pa, _ = self.state(a, start + s)
            pb, _ = self.state(b, start + s)
            out.append(Event("closest_approach", b, float(start + s),
                             float(np.linalg.norm(np.asarray(pb) - np.asarray(pa)))))
        return out

    # --- event search ----------------------------------------------------------------------------

    def _shadow_margin(self, body: str, et: float) -> tuple[float, float]:
        """(angle from the Sun's centre to Jupiter's limb, Sun's angular radius) seen from
        ``body``'s centre, radians; the margin is negative while the Sun's centre is hidden."""
        rot = self.ephemeris.orientation("jupiter", et)
        obs = np.asarray(self.ephemeris.state(body, et)[0]) @ rot
        sun = np.asarray(self.ephemeris.state("sun", et)[0]) @ rot
        sep, edge = photometry.occulter_edge(obs, sun - obs, BODIES["jupiter"].radii_km)
        return float(sep - edge), float(photometry.sun_angular_radius(np.linalg.norm(sun - obs)))

    def _anti_sun_phase(self, body: str, et: float) -> float:
        """The angle of ``body`` around Jupiter's pole from the anti-Sun direction, in (−π, π]."""
        p_body, _ = self.ephemeris.state(body, et)
        p_sun, _ = self.ephemeris.state("sun", et)
        rot = self.ephemeris.orientation("jupiter", et)
        m = np.asarray(p_body) @ rot
        s = -np.asarray(p_sun) @ rot
        return float(np.angle(complex(m[0], m[1]) / complex(s[0], s[1])))

    def synodic_period(self, body: str, et: float) -> float:
        """``body``'s synodic period relative to the Sun as seen from Jupiter, s, from the states
        (osculating angular rates about Jupiter's pole), not from a constant."""
        pole = self.ephemeris.orientation("jupiter", et)[:, 2]
        rates = []
        for name in (body, "sun"):
            p, v = self.ephemeris.state(name, et)
            rates.append(float(np.cross(p, v) @ pole) / float(np.dot(p, p) - np.dot(p, pole) ** 2))
        return float(2.0 * np.pi / (rates[0] - rates[1]))

    def conjunctions(self, body: str, start: float, end: float) -> list[float]:
        """Times when ``body`` is opposite the Sun around Jupiter's pole (superior conjunction
        with the anti-Sun direction; mid-eclipse), by Brent root finding of the phase angle."""
        period = self.synodic_period(body, 0.5 * (start + end))
        step = period / 8.0
        grid = np.arange(start - step, end + 2.0 * step, step)
        phase = np.array([self._anti_sun_phase(body, t) for t in grid])
        found = []
        for i in range(len(grid) - 1):
            a, b = phase[i], phase[i + 1]
            if a < 0.0 <= b and b - a < np.pi:  # the wrap at ±π is not a crossing
                t = brentq(lambda x: self._anti_sun_phase(body, x), grid[i], grid[i + 1],
                           xtol=EVENT_TOLERANCE_S)
                if start <= t <= end:
                    found.append(float(t))
        return found

    def find_events(self, kind: str, start: float, end: float, body: str = "io") -> list[Event]:
        """Events of ``kind`` for ``body`` between TDB ``start`` and ``end``, in time order.

        * ``eclipse`` — Jupiter's shadow on the body's centre: ``eclipse_penumbra_entry`` (first
          contact), ``eclipse_entry`` (half the Sun's disc hidden), ``eclipse_umbra_entry``, and
          the matching ``…_exit`` events. ``value`` is the Sun's visible fraction at that instant.
        * ``jupiter_phase`` — extremes of Jupiter's phase angle seen from the body:
          ``jupiter_phase_min`` (full Jupiter) and ``jupiter_phase_max``; ``value`` in degrees.
        """
        if kind not in EVENT_KINDS:
            raise UserError(f"unknown event kind {kind!r}; use one of: {', '.join(EVENT_KINDS)}")
        if body not in {m.name for m in MOONS}:
            raise UserError(f"events are found for the Galilean moons only, not {body!r}")
        if not end > start:
            raise UserError("the event search window must end after it starts")
        period = self.synodic_period(body, 0.5 * (start + end))
        events: list[Event] = []
        # Search from half a period early so events near `start` belonging to an earlier
        # conjunction are found too; keep only those inside the window.
        for conj in self.conjunctions(body, start - 0.5 * period, end + 0.5 * period):
            if kind == "eclipse":
                events += self._eclipse_contacts(body, conj, period)
            else:
                events += self._phase_extremes(body, conj, period)
        return sorted((e for e in events if start <= e.et <= end), key=lambda e: e.et)

    def _eclipse_contacts(self, body: str, conj: float, period: float) -> list[Event]:
        quarter = 0.25 * period
        out: list[Event] = []
        # Contacts: the Sun's far limb (margin = +r), centre (0) and near limb (−r) at the shadow edge.
        for k, label in ((1.0, "penumbra_entry"), (0.0, "entry"), (-1.0, "umbra_entry")):
            def f(t: float, k: float = k) -> float:
                m, r = self._shadow_margin(body, t)
                return m - k * r
            if f(conj) >= 0.0:  # this contact is never reached (a grazing or missed eclipse)
                continue
            for lo, hi, name in ((conj - quarter, conj, label),
                                 (conj, conj + quarter, label.replace("entry", "exit"))):
                t = brentq(f, lo, hi, xtol=EVENT_TOLERANCE_S)
                snap = self.at(t)
                frac = snap.sun_visible_fraction(snap.positions[body], exclude=(body,))
                out.append(Event(f"eclipse_{name}", body, float(t), frac))
        return out

    def _phase_extremes(self, body: str, conj: float, period: float) -> list[Event]:
        def phase(t: float) -> float:
            sun = np.asarray(self.ephemeris.state("sun", t)[0])
            moon = np.asarray(self.ephemeris.state(body, t)[0])
            return float(_angle(sun, moon))

        out: list[Event] = []
        q = 0.25 * period
        for centre, sign, name in ((conj, -1.0, "jupiter_phase_max"),
                                   (conj + 0.5 * period, 1.0, "jupiter_phase_min")):
            res = minimize_scalar(lambda t, s=sign: s * phase(t), bounds=(centre - q, centre + q),
                                  method="bounded", options={"xatol": EVENT_TOLERANCE_S})
            out.append(Event(name, body, float(res.x), float(np.degrees(phase(float(res.x))))))
        return out


__all__ = ["EVENT_KINDS", "OCCULTERS", "Event", "Snapshot", "SurfacePoint", "World"]
