"""Trails as data (viewer.sim.trails, viewer.config): adaptive sampling error, default spans, coverage,
and the parsing of trail specs and spans."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer.config import TrailSpan, TrailSpec, load_preset, parse_trails, scene_from_dict
from viewer.errors import UserError
from viewer.sim.constants import IO_SIDEREAL_PERIOD_D
from viewer.sim.timescales import utc_to_et
from viewer.sim.trails import (
    TOLERANCE_RAD,
    RelativePath,
    adaptive_samples,
    chord_deviation,
    make_trail,
    trail_span,
)

CA = utc_to_et("2023-12-30T08:36:00.836")


def _worst(path, t: np.ndarray, p: np.ndarray, per_chord: int = 15, every: int = 1,
           noise_km: float = 0.0) -> float:
    """The largest chord deviation (less ``noise_km``) over tolerance · chord / 4, checked at ``per_chord``
    inner times of every ``every``-th chord."""
    f = np.linspace(0.0, 1.0, per_chord + 2)[1:-1]
    a, b = t[:-1:every], t[1::every]
    q = path((a[:, None] + (b - a)[:, None] * f[None, :]).ravel()).reshape(a.size, f.size, 3)
    p0, p1 = p[:-1:every], p[1::every]
    dev = chord_deviation(p0[:, None, :], p1[:, None, :], q).max(axis=1) - noise_km
    return float((dev / (TOLERANCE_RAD * np.linalg.norm(p1 - p0, axis=1) / 4.0)).max())


def test_circle_gets_pi_over_theta_chords_per_turn() -> None:
    radius, period = 421700.0, 152853.5

    def circle(t):
        a = 2.0 * np.pi * np.asarray(t) / period
        return radius * np.stack([np.cos(a), np.sin(a), 0.0 * a], axis=-1)

    t, p = adaptive_samples(circle, 0.0, period)
    assert t[0] == 0.0 and t[-1] == period and np.all(np.diff(t) > 0)
    assert _worst(circle, t, p) <= 1.0
    # Each chord turns the circle by at most 2θ, and the halving lands between θ and 2θ.
    assert math.pi / TOLERANCE_RAD <= len(t) - 1 <= 2.0 * math.pi / TOLERANCE_RAD


def test_straight_line_is_not_subdivided() -> None:
    t, _ = adaptive_samples(lambda t: np.outer(np.asarray(t), [30.0, -2.0, 1.0]), 0.0, 1800.0)
    assert len(t) == 65  # the initial grid only


def test_denser_where_the_path_turns(world) -> None:
    """Juno relative to Jupiter: chords near perijove (fast, tightly curved) are far shorter than near
    the ends of the span."""
    trail = make_trail(world, "juno", "jupiter", CA + 4.0 * 3600.0, 6.0 * 3600.0, 0.0)
    steps = np.diff(trail.et)
    mid = trail.et[:-1] + steps / 2
    perijove = mid[np.argmin(np.linalg.norm(trail.positions_km[:-1], axis=1))]
    near = steps[np.abs(mid - perijove) < 600.0]
    assert near.max() < 0.25 * steps.max()


@pytest.mark.parametrize(("body", "frame", "past_s", "future_s"), [
    ("juno", "io", 1800.0, 600.0),
    ("juno", "jupiter", 6.0 * 3600.0, 3600.0),
    ("io", "jupiter", None, None),
    ("europa", "io", 86400.0, 0.0),
])
def test_sampling_error_against_the_exact_path(world, body, frame, past_s, future_s) -> None:
    """Every chord within the tolerance of the exact ephemeris (not the spline the sampler used)."""
    trail = make_trail(world, body, frame, CA, past_s, future_s)

    def exact(t):
        p = np.asarray(world.state(body, t)[0])
        return p - (np.asarray(world.state(frame, t)[0]) if frame != "jupiter" else 0.0)

    smooth = RelativePath(world, body, frame, (trail.et[0], trail.et[-1]))  # what the sampler sampled
    assert _worst(smooth, trail.et, trail.positions_km, every=3) <= 1.0
    # The analytic series reads time as a float64 Julian date (40 µs steps: ~0.7 m of scatter in a
    # moon's position between neighbouring instants); the sampler used a spline through it.
    noise = 0.0 if frame == "jupiter" and body == "juno" else 2e-3
    assert _worst(exact, trail.et, trail.positions_km, every=7, noise_km=noise) <= 1.0
    assert np.allclose(trail.positions_km, exact(trail.et), atol=noise + 1e-6)


def test_default_spans(world) -> None:
    past, future = trail_span(world, "io", "jupiter", CA)
    assert past == pytest.approx(IO_SIDEREAL_PERIOD_D * 86400.0, rel=0.01) and future == 0.0
    assert trail_span(world, "juno", "io", CA) == (1800.0, 0.0)  # unbound: Juno passing Io
    past, _ = trail_span(world, "juno", "jupiter", CA)
    assert world.juno.covers(CA - past) and past > 86400.0


def test_trail_outside_juno_coverage_is_one_line(world) -> None:
    with pytest.raises(UserError) as err:
        make_trail(world, "juno", "io", CA, 400.0 * 86400.0, 0.0)
    assert "--trail-span" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(UserError, match="does not cover"):
        make_trail(world, "juno", "io", utc_to_et("2030-01-01T00:00:00"))


@pytest.mark.parametrize(("text", "expected"), [
    ("30min:0s", (1800.0, 0.0)), ("2h:30min", (7200.0, 1800.0)), ("1.5d", (129600.0, 0.0)),
    ("0s:10min", (0.0, 600.0)), ("auto", (None, None)), (" 45 : 15s ", (45.0, 15.0)),
])
def test_span_parsing(text, expected) -> None:
    span = TrailSpan.parse(text)
    assert (span.past_s, span.future_s) == expected


@pytest.mark.parametrize(("text", "needle"), [
    ("-5min:0s", "negative"), ("30min:-1s", "negative"), ("soon", "PAST:FUTURE"), ("1h:2h:3h", "PAST:FUTURE"),
    ("0s:0s", "empty"), ("", "PAST:FUTURE"), ("5 parsecs", "PAST:FUTURE"),
])
def test_bad_spans(text, needle) -> None:
    with pytest.raises(UserError, match=needle) as err:
        TrailSpan.parse(text)
    assert "\n" not in str(err.value)


def test_trail_specs() -> None:
    assert parse_trails("juno:io, europa,IO") == (TrailSpec("juno", "io"), TrailSpec("europa", "jupiter"),
                                                  TrailSpec("io", "jupiter"))
    assert parse_trails(["juno:io", "juno:io"]) == (TrailSpec("juno", "io"),)
    assert parse_trails("none") == ()
    for bad, needle in (("pluto", "no trail for 'pluto'"), ("juno:mars", "unknown frame 'mars'"),
                        ("io:io", "relative to itself"), ("juno:io:x", "BODY:FRAME"),
                        ("jupiter", "no trail")):
        with pytest.raises(UserError, match=needle):
            parse_trails(bad)


def test_shipped_flyby_preset_has_a_trail() -> None:
    spec = load_preset("i57-flyby")
    assert spec.trails == (TrailSpec("juno", "io"),)
    assert (spec.trail_span.past_s, spec.trail_span.future_s) == (1800.0, 600.0)


def test_preset_keys() -> None:
    base = {"name": "t", "time": "2023-12-30T08:36:00.836", "camera": "look:juno:io"}
    spec = scene_from_dict({**base, "trails": ["juno:io", "europa"], "trail_span": "30min:10min"}, "t.toml")
    assert spec.trails == (TrailSpec("juno", "io"), TrailSpec("europa"))
    assert (spec.trail_span.past_s, spec.trail_span.future_s) == (1800.0, 600.0)
    assert scene_from_dict(base, "t.toml").trails == ()
    for extra, needle in (({"trails": ["juno:mars"]}, "'trails'"), ({"trail_span": "-1h"}, "'trail_span'"),
                          ({"trail_span": 30}, "'trail_span'"), ({"trails": [3]}, "'trails'")):
        with pytest.raises(UserError, match=needle):
            scene_from_dict({**base, **extra}, "t.toml")
