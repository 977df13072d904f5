"""The event catalogue (`jupitershine events`): each contact checked against the geometry it names."""

from __future__ import annotations

import json

import numpy as np
import pytest

from viewer.cli import main
from viewer.errors import UserError
from viewer.sim import events
from viewer.sim.constants import BODIES
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import World

START, END = utc_to_et("2023-12-29T00:00"), utc_to_et("2023-12-31T00:00")


@pytest.fixture(scope="module")
def world() -> World:
    return World()


@pytest.fixture(scope="module")
def found(world: World) -> list[events.Event]:
    return events.search(world, START, END)


def _pairs(found: list[events.Event], kind: str, body: str) -> list[tuple[float, float]]:
    starts = [e.et for e in found if e.body == body and e.kind in (f"{kind}_start", f"{kind}_entry")]
    ends = [e.et for e in found if e.body == body and e.kind in (f"{kind}_end", f"{kind}_exit")]
    return [(a, min(b for b in ends if b > a)) for a in starts if any(b > a for b in ends)]


def _hits_jupiter(world: World, et: float, origin: np.ndarray, direction: np.ndarray) -> bool:
    """Does the ray from ``origin`` along ``direction`` (J2000) meet Jupiter's ellipsoid?"""
    rot = world.ephemeris.orientation("jupiter", et)
    o = (origin @ rot) / np.asarray(BODIES["jupiter"].radii_km)
    d = (direction @ rot) / np.asarray(BODIES["jupiter"].radii_km)
    b = o @ d
    return bool(b < 0 and b * b - (d @ d) * (o @ o - 1.0) > 0)


def test_eclipses_are_the_worlds(world: World, found: list[events.Event]) -> None:
    mine = [e for e in found if e.body == "io" and e.kind.startswith("eclipse")]
    ref = world.find_events("eclipse", START, END, body="io")
    assert [e.kind for e in mine] == [e.kind for e in ref]
    assert np.allclose([e.et for e in mine], [e.et for e in ref], atol=1e-6)


def test_shadow_transit_contacts_are_where_the_shadow_axis_meets_jupiter(
        world: World, found: list[events.Event]) -> None:
    pairs = _pairs(found, "shadow_transit", "io")
    assert pairs, "Io's shadow crosses Jupiter every 1.77 days"
    for a, b in pairs:
        assert 1.8 * 3600 < b - a < 2.6 * 3600  # Io's shadow transits last ~2.2 h
        for t, inside in ((a - 60, False), (a + 60, True), (0.5 * (a + b), True), (b + 60, False)):
            snap = world.at(t)
            io, sun = snap.positions["io"], snap.positions["sun"]
            assert _hits_jupiter(world, t, io, io - sun) is inside


def test_occultations_and_transits_seen_from_earth(world: World, found: list[events.Event]) -> None:
    occ = _pairs(found, "occultation", "io")
    tra = _pairs(found, "transit", "io")
    assert occ and tra
    for (a, b), behind in [(p, True) for p in occ] + [(p, False) for p in tra]:
        assert 1.8 * 3600 < b - a < 2.6 * 3600
        def seen(t: float) -> tuple[np.ndarray, np.ndarray]:
            earth = world.at(t).positions["earth"]
            tau = np.linalg.norm(earth) / events.C_KM_S  # light time, ~45 min
            # Earth at reception, relative to Jupiter at emission (Jupiter moved by v_J·τ).
            return earth - world.at(t).velocities["sun"] * tau, world.at(t - tau).positions["io"]

        # Io's centre projects onto Jupiter's disc just inside the contacts and off it just outside.
        for t, on_disc in ((a - 30, False), (a + 30, True), (b - 30, True), (b + 30, False)):
            observer, io = seen(t)
            assert _hits_jupiter(world, t, observer, io - observer) is on_disc
        observer, io = seen(0.5 * (a + b))
        # ... and lies behind (occultation) or in front of (transit) Jupiter's centre.
        assert bool(np.linalg.norm(io - observer) > np.linalg.norm(observer)) is behind
    # Light time matters: the geometric (instantaneous) contacts are ~45 min earlier.
    assert 30 * 60 < np.linalg.norm(world.at(START).positions["earth"]) / events.C_KM_S < 60 * 60


def test_juno_flyby_perijove_and_shadow(world: World, found: list[events.Event]) -> None:
    ca = [e for e in found if e.kind == "closest_approach"]
    assert [e.body for e in ca] == ["io"]
    assert abs(ca[0].et - utc_to_et("2023-12-30T08:36:00.836")) < 0.01
    assert 1_400 < ca[0].value - BODIES["io"].radii_km[0] < 1_600
    pj = [e for e in found if e.kind == "perijove"]
    assert len(pj) == 1 and abs(pj[0].et - utc_to_et("2023-12-30T12:36:20.761")) < 1.0
    entry = next(e.et for e in found if e.kind == "juno_shadow_entry")
    exit_ = next(e.et for e in found if e.kind == "juno_shadow_exit")
    assert entry < exit_
    for t, lit in ((entry - 30, True), (0.5 * (entry + exit_), False), (exit_ + 30, True)):
        snap = world.at(t)
        frac = snap.sun_visible_fraction(snap.positions["juno"])
        assert (frac > 0.5) is lit


def test_juno_kinds_are_absent_outside_its_trajectory(world: World) -> None:
    a = utc_to_et("2024-03-10T00:00")
    assert events.juno_spans(world, a, a + 86400) == []
    assert events.search(world, a, a + 86400, kinds=events.JUNO_KINDS) == []


def test_bad_requests(world: World) -> None:
    with pytest.raises(UserError, match="unknown event kind"):
        events.search(world, START, END, kinds=["eclipses"])
    with pytest.raises(UserError, match="Galilean moons"):
        events.search(world, START, END, moons=["amalthea"])
    with pytest.raises(UserError, match="end after"):
        events.search(world, END, START)


def test_cli_lists_json_and_refuses_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--from", "2023-12-30T08:00", "--to", "2023-12-30T13:00", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in rows] == ["closest_approach", "perijove", "juno_shadow_entry",
                                         "juno_shadow_exit"]
    assert rows[0]["utc"].startswith("2023-12-30T08:36:00.8")
    assert main(["events", "--from", "2023-12-30", "--kind", "eclipse", "--body", "io"]) == 0
    out = capsys.readouterr().out
    assert "Io eclipse entry" in out and "Europa" not in out
    for argv, fragment in ((["events", "--kind", "bogus"], "unknown event kind"),
                           (["events", "--from", "2024-01-02", "--to", "2024-01-01"], "not after"),
                           (["events", "--from", "2020-01-01", "--to", "2023-01-01"], "at most 366"),
                           (["events", "--body", "moon"], "Galilean moons")):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert fragment in err and len(err.splitlines()) == 1
