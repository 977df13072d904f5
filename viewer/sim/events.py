"""The events of the Jovian system in a time span, found by root finding: what `jupitershine events`
lists and what the clock jumps to.

Kinds (each event's ``kind`` starts with the kind's name):

* ``eclipse`` — a moon in Jupiter's shadow (:meth:`World.find_events`): ``eclipse_penumbra_entry``,
  ``eclipse_entry`` (half the Sun hidden from the moon's centre), ``eclipse_umbra_entry`` and the
  matching exits. ``value``: the Sun's visible fraction.
* ``shadow_transit`` — a moon's shadow on Jupiter's clouds: ``shadow_transit_start``/``_end`` when the
  shadow's axis (the line from the Sun through the moon's centre) meets Jupiter's 1-bar ellipsoid.
* ``transit`` / ``occultation`` — a moon's centre in front of / behind Jupiter's disc **as seen from
  Earth**, light time included (the moons and Jupiter at the emission time, Earth at reception):
  ``transit_start``/``_end``, ``occultation_start``/``_end``. Times are when Earth sees them.
* ``closest_approach`` — Juno's flybys of the Galilean moons: minima of the distance closer than
  :data:`FLYBY_MAX_KM` (where Juno's trajectory is known); ``value``: the distance between centres, km.
* ``perijove`` — Juno's closest approaches to Jupiter's centre; ``value``: the distance, km.
* ``juno_shadow`` — Juno entering (``juno_shadow_entry``) and leaving (``juno_shadow_exit``) Jupiter's
  shadow: the Sun's centre crossing Jupiter's limb seen from Juno.

Times are TDB seconds past J2000, found to :data:`~viewer.sim.world.EVENT_TOLERANCE_S`. Shadow and
occultation contacts use Jupiter's oblate ellipsoid exactly (:func:`photometry.occulter_edge`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq

from viewer.errors import UserError
from viewer.sim import photometry
from viewer.sim.constants import BODIES, MOONS
from viewer.sim.world import EVENT_TOLERANCE_S, Event, World

F64 = NDArray[np.float64]

#: Every kind :func:`search` knows, in the order `jupitershine events --kind` lists them.
KINDS = ("eclipse", "shadow_transit", "transit", "occultation", "closest_approach", "perijove",
         "juno_shadow")
#: Kinds that need Juno's trajectory (found only where it is known).
JUNO_KINDS = ("closest_approach", "perijove", "juno_shadow")
#: Juno's closest approaches to a moon are listed when nearer than this, km (flybys, not the
#: distant minima of every orbit).
FLYBY_MAX_KM = 100_000.0
#: Speed of light, km/s (exact, SI).
C_KM_S = 299_792.458
#: Grid step for bracketing the moons' contacts, s: a quarter of the shortest Io shadow transit (~2.2 h).
MOON_GRID_S = 1800.0
#: Grid step for bracketing Juno's events, s (Juno crosses Jupiter's shadow in ≥ 10 min near perijove).
JUNO_GRID_S = 60.0


def _jupiter_frame(world: World, et: F64) -> F64:
    """J2000 → Jupiter body-fixed for each time: the transposed body → J2000 matrices, (n, 3, 3)."""
    rot = np.asarray(world.ephemeris.orientation("jupiter", et), dtype=np.float64)
    return np.asarray(np.swapaxes(rot, -1, -2), dtype=np.float64)


def _margin(world: World, et: F64, observer: F64, toward: F64) -> F64:
    """Angle (rad) from ``toward`` to Jupiter's limb seen from ``observer`` (jovicentric J2000 km,
    each (n, 3)); negative while ``toward`` points at Jupiter's disc."""
    to_body = _jupiter_frame(world, et)
    obs = np.einsum("nij,nj->ni", to_body, observer)
    direction = np.einsum("nij,nj->ni", to_body, toward)
    sep, edge = photometry.occulter_edge(obs, direction, BODIES["jupiter"].radii_km)
    return np.asarray(sep - edge, dtype=np.float64)


def _roots(f: Callable[[F64], F64], start: float, end: float, step: float,
           names: tuple[str, str], body: str) -> list[Event]:
    """Events where ``f`` changes sign on a ``step`` grid over [start, end]: ``names[0]`` where it
    falls below zero, ``names[1]`` where it rises above; refined by Brent's method."""
    n = max(int(np.ceil((end - start) / step)), 1)
    offsets = np.linspace(0.0, end - start, n + 1)  # offsets keep brentq's tolerance absolute
    values = f(start + offsets)
    out: list[Event] = []
    for i in np.flatnonzero(np.sign(values[:-1]) != np.sign(values[1:])):
        s = brentq(lambda x: float(f(np.array([start + x]))[0]), offsets[i], offsets[i + 1],
                   xtol=EVENT_TOLERANCE_S)
        out.append(Event(names[0] if values[i] > 0 else names[1], body, float(start + s)))
    return out


def _shadow_transits(world: World, moon: str, start: float, end: float) -> list[Event]:
    def f(et: F64) -> F64:
        p = world.ephemeris.state(moon, et)[0]
        sun = world.ephemeris.state("sun", et)[0]
        return _margin(world, et, p, p - sun)  # from the moon, away from the Sun

    return _roots(f, start, end, MOON_GRID_S, ("shadow_transit_start", "shadow_transit_end"), moon)


def _seen_from_earth(world: World, moon: str, start: float, end: float) -> list[Event]:
    def geometry(et: F64) -> tuple[F64, F64]:
        earth, _ = world.ephemeris.state("earth", et)
        _, v_sun = world.ephemeris.state("sun", et)
        light_time = np.linalg.norm(earth, axis=-1) / C_KM_S
        # Earth at reception relative to Jupiter at emission: Jupiter moved by v_J·τ meanwhile
        # (v_J = −v_sun: Jupiter's heliocentric velocity).
        observer = earth - v_sun * light_time[:, None]
        moon_p = world.ephemeris.state(moon, et - light_time)[0]
        return observer, moon_p

    def margin(et: F64) -> F64:
        observer, moon_p = geometry(et)
        return _margin(world, et, observer, moon_p - observer)

    out = []
    for e in _roots(margin, start, end, MOON_GRID_S, ("start", "end"), moon):
        observer, moon_p = geometry(np.array([e.et]))
        behind = np.linalg.norm(moon_p - observer) > np.linalg.norm(observer)
        out.append(Event(f"{'occultation' if behind else 'transit'}_{e.kind}", moon, e.et))
    return out


def juno_spans(world: World, start: float, end: float) -> list[tuple[float, float]]:
    """The parts of [start, end] where Juno's trajectory is known (embedded windows or SPICE)."""
    source = world.juno
    windows: list[tuple[float, float]] = []
    if hasattr(source, "coverage"):
        windows = [(float(w[-2]), float(w[-1])) for w in source.coverage()]
    elif hasattr(source, "windows"):
        windows = [(float(a), float(b)) for a, b in source.windows]
    return [(max(a, start), min(b, end)) for a, b in windows if min(b, end) > max(a, start)]


def _juno_shadow(world: World, start: float, end: float) -> list[Event]:
    def f(et: F64) -> F64:
        p = world.juno.state(et)[0]
        sun = world.ephemeris.state("sun", et)[0]
        return _margin(world, et, p, sun - p)

    return _roots(f, start, end, JUNO_GRID_S, ("juno_shadow_entry", "juno_shadow_exit"), "juno")


def search(world: World, start: float, end: float, kinds: Iterable[str] = KINDS,
           moons: Iterable[str] | None = None) -> list[Event]:
    """All events of ``kinds`` between TDB ``start`` and ``end``, in time order.

    ``moons``: the Galilean moons to search (default all four). Juno's kinds are searched only where
    Juno's trajectory is known; outside it they are silently absent (``juno_spans`` says where).
    """
    if not (np.isfinite(start) and np.isfinite(end)) or not end > start:
        raise UserError("the event search span must end after it starts")
    kinds = tuple(kinds)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise UserError(f"unknown event kind {unknown[0]!r}; use one of: {', '.join(KINDS)}")
    names = tuple(m.name for m in MOONS) if moons is None else tuple(moons)
    bad = [m for m in names if m not in {b.name for b in MOONS}]
    if bad:
        raise UserError(f"events are found for the Galilean moons, not {bad[0]!r}; "
                        f"use {', '.join(m.name for m in MOONS)}")
    events: list[Event] = []
    for moon in names:
        if "eclipse" in kinds:
            events += world.find_events("eclipse", start, end, body=moon)
        if "shadow_transit" in kinds:
            events += _shadow_transits(world, moon, start, end)
        if "transit" in kinds or "occultation" in kinds:
            events += [e for e in _seen_from_earth(world, moon, start, end)
                       if e.kind.split("_")[0] in kinds]
    for a, b in juno_spans(world, start, end) if set(kinds) & set(JUNO_KINDS) else []:
        if "closest_approach" in kinds:
            for moon in names:
                events += [e for e in world.closest_approach("juno", moon, (a, b))
                           if e.value < FLYBY_MAX_KM]
        if "perijove" in kinds:
            events += [Event("perijove", "jupiter", e.et, e.value)
                       for e in world.closest_approach("jupiter", "juno", (a, b))]
        if "juno_shadow" in kinds:
            events += _juno_shadow(world, a, b)
    return sorted(events, key=lambda e: e.et)


def describe(event: Event) -> str:
    """A short human label, e.g. ``Io eclipse entry`` or ``Juno closest approach to Io (1,821 km)``."""
    body = event.body.capitalize()
    kind = event.kind
    if kind == "closest_approach":
        radius = BODIES[event.body].radii_km[0] if event.body in BODIES else 0.0
        return (f"Juno closest approach to {body}: {event.value:,.1f} km from the centre "
                f"(~{event.value - radius:,.0f} km up)")
    if kind == "perijove":
        return f"Juno perijove: {event.value:,.1f} km from Jupiter's centre"
    if kind.startswith("juno_shadow"):
        return "Juno " + ("enters" if kind.endswith("entry") else "leaves") + " Jupiter's shadow"
    return f"{body} {kind.replace('_', ' ')}"


__all__ = ["FLYBY_MAX_KM", "JUNO_KINDS", "KINDS", "describe", "juno_spans", "search"]
