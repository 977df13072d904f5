"""The one clock of simulation time: play, pause, reverse, rate, slow-down near events, jumps.

Every frontend moves time through a :class:`Clock`: the interactive viewer calls
:meth:`Clock.advance` with the wall time that passed between two frames; exports ask
:meth:`Clock.frame_et` for the exact TDB time of frame ``i`` (a pure function of ``i``, never an
accumulated sum, so any frame re-renders at the same ``et`` in any order and any process). The clock
never reads the wall clock itself and knows nothing of GL.

Time is ``et`` (TDB seconds past J2000, float64). The rate is simulation seconds per wall (or video)
second, ``1 ≤ |rate| ≤ 10⁶``; a negative rate runs time backwards.

**Slow-down near events** (:class:`SlowDown`): near each event time ``t_k`` (e.g. Io closest
approach, perijove) the clock's speed eases from ``|rate| = R`` down to ``near_rate`` r₀ at the event::

    r(Δ) = min(R, sqrt(r₀² + (R·Δ/h)²)),      Δ = et − t_k,  h = horizon_s

so the speed is back to ``R`` at ``|Δ| = Δc = h·sqrt(1 − (r₀/R)²) ≈ h``. Wall time over the window
has the closed form ``s(Δ) = (h/R)·asinh(R·Δ/(h·r₀))`` and its inverse
``Δ = (h·r₀/R)·sinh(R·s/h)``, so both :meth:`Clock.advance` and :meth:`Clock.frame_et` are exact
(no integration steps, nothing skipped over, however large the wall step). Windows of events closer
than ``2h`` shrink to meet halfway, so the speed stays continuous.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from viewer.errors import UserError

#: The slowest and fastest clock speeds, simulation seconds per wall second (either direction).
RATE_MIN = 1.0
RATE_MAX = 1e6

#: The speeds that ``faster()``/``slower()`` step through: 1, 2, 5, 10, 20, 50 … 10⁶.
RATE_STEPS: tuple[float, ...] = tuple(
    float(m * 10**e) for e in range(7) for m in (1, 2, 5) if m * 10**e <= RATE_MAX)


def check_rate(rate: float, what: str = "the clock rate") -> float:
    """``rate`` as a float if ``RATE_MIN ≤ |rate| ≤ RATE_MAX``; otherwise a one-line UserError."""
    r = float(rate)
    if not math.isfinite(r) or not RATE_MIN <= abs(r) <= RATE_MAX:
        raise UserError(f"{what} {rate!r} is out of range; use a speed from {RATE_MIN:g}x to "
                        f"{RATE_MAX:g}x (negative runs time backwards)")
    return r


@dataclass(frozen=True)
class TimedEvent:
    """An instant the clock can jump to: ``kind`` (e.g. ``closest_approach``), a label, TDB ``et``."""

    kind: str
    label: str
    et: float


@dataclass(frozen=True)
class SlowDown:
    """Ease the clock down to ``near_rate`` within about ``horizon_s`` (TDB seconds) of each event.

    ``events``: TDB times (e.g. closest approaches, perijoves). ``near_rate``: the speed at an event,
    simulation seconds per wall second. ``horizon_s``: how far (simulation seconds) from an event the
    slow-down reaches; neighbouring windows shrink so they never overlap.
    """

    events: tuple[float, ...]
    near_rate: float = 1.0
    horizon_s: float = 600.0

    def __post_init__(self) -> None:
        check_rate(self.near_rate, "the slow-down's speed at the event")
        if not (math.isfinite(self.horizon_s) and self.horizon_s > 0.0):
            raise UserError(f"the slow-down horizon {self.horizon_s!r} s must be a positive duration")
        if not all(math.isfinite(t) for t in self.events):
            raise UserError("the slow-down's event times must be finite TDB seconds")
        object.__setattr__(self, "events", tuple(sorted(float(t) for t in self.events)))


@dataclass(frozen=True)
class _Window:
    centre: float  # TDB
    h: float  # the window's own horizon (shrunk where events crowd), s
    half: float  # Δc: half-width where the speed is back to R, s
    scale: float  # R/h, 1/s
    r0: float  # speed at the centre

    def wall(self, d: float) -> float:
        """Wall seconds from the centre to offset ``d`` (|d| ≤ half), at full speed R = scale·h."""
        return math.asinh(self.scale * d / self.r0) / self.scale

    def offset(self, s: float) -> float:
        """Inverse of :meth:`wall`: the offset reached ``s`` wall seconds after the centre."""
        return self.r0 * math.sinh(self.scale * s) / self.scale


class _Warp:
    """The map between ``et`` and wall (or video) time at speed ``R`` with slow-down windows.

    ``wall(et)`` is monotonic; ``et(wall)`` inverts it exactly (closed forms, see the module doc).
    Wall time is counted from ``origin`` (a TDB time) so that float64 keeps sub-microsecond steps.
    """

    def __init__(self, speed: float, slow: SlowDown | None, origin: float) -> None:
        self.speed = speed
        self.origin = origin
        self.windows: list[_Window] = []
        if slow is not None and slow.near_rate < speed:
            ratio = math.sqrt(1.0 - (slow.near_rate / speed) ** 2)
            times = slow.events
            for k, t in enumerate(times):
                room = min((t - times[k - 1]) / 2.0 if k > 0 else math.inf,
                           (times[k + 1] - t) / 2.0 if k + 1 < len(times) else math.inf)
                h = min(slow.horizon_s, room / ratio)
                if h > 0.0:
                    self.windows.append(_Window(t, h, h * ratio, speed / h, slow.near_rate))
        self._lows = [w.centre - w.half for w in self.windows]
        # Wall time at each window's start and end, cumulative over the windows before.
        self._starts: list[float] = []
        self._ends: list[float] = []
        extra = 0.0
        for w in self.windows:
            start = (w.centre - w.half - origin) / speed + extra
            inside = 2.0 * w.wall(w.half)
            self._starts.append(start)
            self._ends.append(start + inside)
            extra += inside - 2.0 * w.half / speed

    def wall(self, et: float) -> float:
        """Wall seconds from ``origin`` to ``et``."""
        k = bisect_right(self._lows, et) - 1
        if k < 0:
            return (et - self.origin) / self.speed
        w = self.windows[k]
        if et <= w.centre + w.half:
            return self._starts[k] + w.wall(w.half) + w.wall(et - w.centre)
        return self._ends[k] + (et - (w.centre + w.half)) / self.speed

    def et(self, wall: float) -> float:
        """The ``et`` reached ``wall`` seconds after ``origin`` (inverse of :meth:`wall`)."""
        k = bisect_right(self._starts, wall) - 1
        if k < 0:
            return self.origin + wall * self.speed
        w = self.windows[k]
        if wall <= self._ends[k]:
            return w.centre + w.offset(wall - self._starts[k] - w.wall(w.half))
        return w.centre + w.half + (wall - self._ends[k]) * self.speed


def video_seconds(start: float, end: float, rate: float, slowdown: SlowDown | None = None) -> float:
    """Wall (video) seconds the clock takes from TDB ``start`` to ``end`` at ``|rate|`` with ``slowdown``."""
    warp = _Warp(abs(check_rate(rate)), slowdown, float(start))
    return abs(warp.wall(float(end)) - warp.wall(float(start)))


@dataclass
class Clock:
    """Simulation time under the user's (or a scene's) control.

    Attributes
    ----------
    et : the current TDB time, s past J2000
    rate : simulation seconds per wall second; negative runs backwards (``1 ≤ |rate| ≤ 10⁶``)
    playing : whether :meth:`advance` moves time
    span : (start, end) TDB limits, or None; time stops (and the clock pauses) at either end
    slowdown : ease the speed near events, or None
    events : instants :meth:`jump` can reach, e.g. from :func:`viewer.sim.events.search`
    """

    et: float
    rate: float = 1.0
    playing: bool = False
    span: tuple[float, float] | None = None
    slowdown: SlowDown | None = None
    events: Sequence[TimedEvent] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        self.rate = check_rate(self.rate)
        if not math.isfinite(self.et):
            raise UserError(f"the clock's time {self.et!r} must be a finite TDB time")
        if self.span is not None:
            a, b = (float(x) for x in self.span)
            if not (math.isfinite(a) and math.isfinite(b) and b > a):
                raise UserError("the clock's span must end after it starts")
            self.span = (a, b)
            self.et = min(max(float(self.et), a), b)
        self.events = tuple(sorted(self.events, key=lambda e: e.et))

    # --- controls ----------------------------------------------------------------------------------

    def play(self) -> None:
        self.playing = True

    def pause(self) -> None:
        self.playing = False

    def toggle(self) -> None:
        """Play ↔ pause (the Space key)."""
        self.playing = not self.playing

    def reverse(self) -> None:
        """Run time the other way at the same speed."""
        self.rate = -self.rate

    def set_rate(self, rate: float) -> None:
        self.rate = check_rate(rate)

    def faster(self) -> None:
        """The next speed up in :data:`RATE_STEPS` (direction kept)."""
        up = [r for r in RATE_STEPS if r > abs(self.rate) * (1 + 1e-9)]
        self.rate = math.copysign(up[0] if up else RATE_MAX, self.rate)

    def slower(self) -> None:
        """The next speed down in :data:`RATE_STEPS` (direction kept)."""
        down = [r for r in RATE_STEPS if r < abs(self.rate) * (1 - 1e-9)]
        self.rate = math.copysign(down[-1] if down else RATE_MIN, self.rate)

    def set_time(self, et: float) -> None:
        """Go to ``et`` (clamped to the span)."""
        self.et = self._clamp(float(et))

    # --- moving time ---------------------------------------------------------------------------------

    def speed_at(self, et: float | None = None) -> float:
        """The clock's signed speed at ``et`` (default now), simulation s per wall s, slow-down included."""
        t = self.et if et is None else float(et)
        r = abs(self.rate)
        if self.slowdown is not None:
            for w in _Warp(r, self.slowdown, t).windows:
                d = t - w.centre
                if abs(d) <= w.half:
                    r = min(r, math.hypot(w.r0, r * d / w.h))
        return math.copysign(r, self.rate)

    def advance(self, wall_dt: float) -> float:
        """Move time by ``wall_dt`` wall seconds at the current rate (if playing); return the new ``et``.

        Exact under the slow-down (closed form); stops and pauses at the span's ends.
        """
        dt = float(wall_dt)
        if not math.isfinite(dt) or dt < 0.0:
            raise UserError(f"the wall-time step {wall_dt!r} must be a non-negative number of seconds")
        if not self.playing or dt == 0.0:
            return self.et
        warp = _Warp(abs(self.rate), self.slowdown, self.et)
        target = warp.et(warp.wall(self.et) + math.copysign(dt, self.rate))
        clamped = self._clamp(target)
        if clamped != target:
            self.playing = False
        self.et = clamped
        return self.et

    def frame_et(self, index: int, fps: float, start: float | None = None) -> float:
        """The exact TDB time of video frame ``index`` at ``fps`` frames per second, starting at
        ``start`` (default: the span's start, or now) and running at this clock's rate and slow-down.

        A pure function of its arguments (never accumulated), so frame ``i`` is the same ``et``
        whichever frames were computed before it and in whatever process.
        """
        if not (math.isfinite(fps) and fps > 0.0):
            raise UserError(f"frames per second {fps!r} must be a positive number")
        t0 = float(start) if start is not None else (self.span[0] if self.span else self.et)
        if self.slowdown is None:
            return t0 + (int(index) * self.rate) / fps
        warp = _Warp(abs(self.rate), self.slowdown, t0)
        return warp.et(warp.wall(t0) + math.copysign(int(index) / fps, self.rate))

    # --- events ----------------------------------------------------------------------------------------

    def next_event(self, kinds: Iterable[str] | None = None, forward: bool | None = None
                   ) -> TimedEvent | None:
        """The first event (of ``kinds``, default any) strictly ahead of now in the direction of time
        (``forward`` defaults to the rate's sign), or None."""
        wanted = None if kinds is None else set(kinds)
        ahead = (self.rate > 0) if forward is None else forward
        eps = 1e-6
        pool = [e for e in self.events if wanted is None or e.kind in wanted]
        if ahead:
            later = [e for e in pool if e.et > self.et + eps]
            return later[0] if later else None
        earlier = [e for e in pool if e.et < self.et - eps]
        return earlier[-1] if earlier else None

    def jump(self, kinds: Iterable[str] | None = None, forward: bool | None = None) -> TimedEvent | None:
        """Go to :meth:`next_event` (if any, and inside the span); return it."""
        event = self.next_event(kinds, forward)
        if event is not None and self._clamp(event.et) == event.et:
            self.et = event.et
            return event
        return None

    def _clamp(self, et: float) -> float:
        if self.span is None:
            return et
        return min(max(et, self.span[0]), self.span[1])


__all__ = ["RATE_MAX", "RATE_MIN", "RATE_STEPS", "Clock", "SlowDown", "TimedEvent", "check_rate",
           "video_seconds"]
