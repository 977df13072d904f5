"""The clock: play/pause, reverse, rates, the exact slow-down near events, frame times, event jumps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer.errors import UserError
from viewer.sim import events
from viewer.sim.clock import RATE_MAX, RATE_STEPS, Clock, SlowDown, TimedEvent
from viewer.sim.timescales import utc_to_et

CA_UTC = "2023-12-30T08:36:00.836"  # I57 closest approach (docs/sources.md §1a)
PJ57_UTC = "2023-12-30T12:36:20.761"  # perijove 57 (docs/sources.md §1d); embedded orbit: 0.73 s early


def test_paused_clock_does_not_move_and_play_moves_by_rate() -> None:
    c = Clock(et=100.0, rate=50.0)
    assert c.advance(2.0) == 100.0
    c.play()
    assert c.advance(2.0) == pytest.approx(200.0, abs=1e-9)


def test_reverse_runs_time_back_to_the_same_instant() -> None:
    c = Clock(et=1000.0, rate=20.0, playing=True)
    for _ in range(7):
        c.advance(0.3)
    c.reverse()
    assert c.rate == -20.0
    for _ in range(7):
        c.advance(0.3)
    assert c.et == pytest.approx(1000.0, abs=1e-9)


def test_rate_steps_and_limits() -> None:
    c = Clock(et=0.0, rate=-1.0)
    c.faster()
    c.faster()
    assert c.rate == -5.0  # direction kept
    for _ in range(40):
        c.faster()
    assert c.rate == -RATE_MAX
    for _ in range(40):
        c.slower()
    assert c.rate == -1.0
    assert RATE_STEPS[:4] == (1.0, 2.0, 5.0, 10.0) and RATE_STEPS[-1] == RATE_MAX
    for bad in (0.0, 0.5, 2e6, math.nan, math.inf):
        with pytest.raises(UserError):
            c.set_rate(bad)


def test_span_clamps_and_pauses() -> None:
    c = Clock(et=0.0, rate=100.0, playing=True, span=(0.0, 500.0))
    c.advance(10.0)
    assert c.et == 500.0 and not c.playing
    c.reverse()
    c.play()
    c.advance(100.0)
    assert c.et == 0.0 and not c.playing


def test_slowdown_reaches_near_rate_at_the_event_and_full_rate_away() -> None:
    slow = SlowDown((5000.0,), near_rate=2.0, horizon_s=600.0)
    c = Clock(et=0.0, rate=1000.0, slowdown=slow)
    assert c.speed_at(5000.0) == pytest.approx(2.0)
    assert c.speed_at(5000.0 + 300.0) == pytest.approx(math.hypot(2.0, 500.0))
    assert c.speed_at(4000.0) == 1000.0 and c.speed_at(6000.0) == 1000.0
    # Speed is continuous at the window's edge.
    edge = 600.0 * math.sqrt(1 - (2.0 / 1000.0) ** 2)
    assert c.speed_at(5000.0 + edge * (1 - 1e-9)) == pytest.approx(1000.0, rel=1e-6)


def test_slowdown_advance_is_exact_and_never_skips_the_event() -> None:
    """However large the wall step, the warp is closed-form: many small steps and one big step agree,
    and a step ending near the event lands where the integral of 1/speed says."""
    slow = SlowDown((5000.0,), near_rate=1.0, horizon_s=600.0)
    small = Clock(et=0.0, rate=1000.0, playing=True, slowdown=slow)
    for _ in range(1000):
        small.advance(0.01)
    big = Clock(et=0.0, rate=1000.0, playing=True, slowdown=slow)
    big.advance(10.0)
    assert small.et == pytest.approx(big.et, abs=1e-6)
    # Wall time to cross the window, integrated numerically, vs the clock's.
    d = np.linspace(-600.0, 600.0, 2_000_001)
    speed = np.minimum(1000.0, np.hypot(1.0, 1000.0 * d / 600.0))
    wall = np.trapezoid(1.0 / speed, d)
    c = Clock(et=4400.0, rate=1000.0, playing=True, slowdown=slow)
    c.advance(wall)
    assert c.et == pytest.approx(5600.0, abs=0.05)
    # Reaching the event from 4,400 s takes half that wall time.
    c = Clock(et=4400.0, rate=1000.0, playing=True, slowdown=slow)
    c.advance(wall / 2)
    assert c.et == pytest.approx(5000.0, abs=0.05)


def test_close_events_windows_shrink_and_speed_stays_continuous() -> None:
    slow = SlowDown((5000.0, 5400.0), near_rate=1.0, horizon_s=600.0)
    c = Clock(et=0.0, rate=1000.0, slowdown=slow)
    mid = c.speed_at(5200.0)
    assert mid == pytest.approx(1000.0, rel=1e-6)  # the windows meet halfway, at full speed
    ts = np.linspace(4500.0, 5900.0, 14001)
    speeds = np.array([c.speed_at(t) for t in ts])
    assert np.max(np.abs(np.diff(speeds))) < 2.0  # no jumps (1000/s peak slope × 0.1 s grid)


def test_frame_times_are_pure_functions_of_the_index() -> None:
    slow = SlowDown((5000.0,), near_rate=1.0, horizon_s=600.0)
    c = Clock(et=0.0, rate=1000.0, slowdown=slow)
    forward = [c.frame_et(i, 30.0, 0.0) for i in range(0, 600)]
    backward = [c.frame_et(i, 30.0, 0.0) for i in reversed(range(0, 600))][::-1]
    assert forward == backward
    assert np.all(np.diff(forward) > 0)
    # The same frames played live at 1/30 s per step land on the same et.
    live = Clock(et=0.0, rate=1000.0, playing=True, slowdown=slow)
    for i in range(1, 600):
        live.advance(1 / 30)
        assert live.et == pytest.approx(forward[i], abs=1e-6)
    # Without slow-down: t0 + i·rate/fps exactly.
    plain = Clock(et=0.0, rate=-60.0)
    assert plain.frame_et(90, 30.0, 1e8) == 1e8 - 180.0


def test_jumps_follow_direction_and_kind() -> None:
    evs = [TimedEvent("perijove", "PJ", 300.0), TimedEvent("closest_approach", "CA", 100.0),
           TimedEvent("eclipse_entry", "E", 200.0)]
    c = Clock(et=0.0, rate=10.0, events=evs)
    assert c.jump().label == "CA" and c.et == 100.0
    assert c.jump(["perijove"]).label == "PJ" and c.et == 300.0
    assert c.jump() is None and c.et == 300.0
    c.reverse()
    assert c.jump().label == "E"
    assert c.jump(forward=True).label == "PJ"


@pytest.fixture(scope="module")
def i57_events() -> list[TimedEvent]:
    from viewer.sim.world import World

    world = World()
    a, b = utc_to_et("2023-12-30T00:00"), utc_to_et("2023-12-31T00:00")
    return [TimedEvent(e.kind, events.describe(e), e.et) for e in events.search(world, a, b)]


def test_jumps_land_on_closest_approach_perijove_and_eclipse(i57_events: list[TimedEvent]) -> None:
    from viewer.sim.world import World

    c = Clock(et=utc_to_et("2023-12-30T06:00"), rate=100.0, events=i57_events)
    ca = c.jump(["closest_approach"])
    assert ca is not None and abs(c.et - utc_to_et(CA_UTC)) < 0.01
    pj = c.jump(["perijove"])
    assert pj is not None and abs(c.et - utc_to_et(PJ57_UTC)) < 1.0
    entry = c.jump(["eclipse_entry"])
    world = World()
    ref = [e.et for e in world.find_events("eclipse", c.et - 10.0, c.et + 10.0, body="io")
           if e.kind == "eclipse_entry"]
    assert entry is not None and ref and c.et == pytest.approx(ref[0], abs=2e-3)  # Brent tolerance


def test_slowdown_at_closest_approach_from_found_events(i57_events: list[TimedEvent]) -> None:
    ca = next(e.et for e in i57_events if e.kind == "closest_approach")
    c = Clock(et=ca - 3600.0, rate=600.0, playing=True,
              slowdown=SlowDown((ca,), near_rate=1.0, horizon_s=300.0))
    c.advance(3600.0 / 600.0)  # an hour at full speed would reach CA; the slow-down holds it back
    assert ca - 300.0 < c.et < ca
    assert c.speed_at() < 600.0
