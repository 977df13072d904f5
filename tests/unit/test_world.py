"""World snapshots and the event search."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from viewer.errors import UserError
from viewer.sim.timescales import utc_to_et

CA = utc_to_et("2023-12-30T08:36:00.836")
SYNODIC_D = 1.769861  # Io's synodic period (relative to the Sun), ~1.7699 d


def test_snapshot_is_frozen(world):
    snap = world.at(CA)
    with pytest.raises(ValueError):
        snap.positions["io"][0] = 0.0
    with pytest.raises(TypeError):
        snap.positions["io"] = np.zeros(3)  # type: ignore[index]
    with pytest.raises(AttributeError):
        snap.et = 0.0  # type: ignore[misc]
    assert world.at(CA).positions["io"].tolist() == snap.positions["io"].tolist()


def test_snapshot_contents(world):
    snap = world.at(CA)
    assert set(snap.positions) >= {"sun", "earth", "jupiter", "io", "europa", "ganymede", "callisto"}
    assert np.allclose(snap.positions["jupiter"], 0.0)
    au = 149597870.7
    assert 4.95 * au < np.linalg.norm(snap.positions["sun"]) < 5.46 * au   # docs/sources.md §7c
    assert np.linalg.norm(snap.sun_direction) == pytest.approx(1.0)
    # On 2023-12-30 Io was in sunlight, Jupiter about 61° from full as seen from Io.
    assert snap.sun_visible_fraction(snap.positions["io"], exclude=("io",)) == 1.0
    assert 55.0 < np.degrees(snap.phase_angle("jupiter", "io")) < 70.0


@pytest.fixture(scope="module")
def eclipses(world):
    start = utc_to_et("2024-03-01")
    return world.find_events("eclipse", start, start + 20 * 86400.0)


def test_eclipse_entries_are_one_synodic_period_apart(eclipses):
    entries = np.array([e.et for e in eclipses if e.kind == "eclipse_entry"])
    assert len(entries) == 11
    gaps = np.diff(entries) / 86400.0
    assert np.all(np.abs(gaps - SYNODIC_D) < 0.005)        # Io's forced eccentricity: ± minutes
    assert gaps.mean() == pytest.approx(SYNODIC_D, abs=5e-4)


def test_eclipses_last_the_chord_of_jupiters_shadow(eclipses):
    entries = [e.et for e in eclipses if e.kind == "eclipse_entry"]
    exits = [e.et for e in eclipses if e.kind == "eclipse_exit"]
    if exits[0] < entries[0]:
        exits = exits[1:]
    hours = (np.array(exits[: len(entries)]) - np.array(entries[: len(exits)])) / 3600.0
    assert np.all((hours > 2.0) & (hours < 2.4))


def test_eclipse_contacts_are_roots_not_samples(world, eclipses):
    """Each contact is located to the root finder's tolerance: the Sun's visible fraction just
    before and after an entry straddles the contact's definition."""
    first = {e.kind: e for e in reversed(eclipses)}
    assert first["eclipse_penumbra_entry"].value == pytest.approx(1.0, abs=1e-3)
    assert first["eclipse_entry"].value == pytest.approx(0.5, abs=2e-3)
    assert first["eclipse_umbra_entry"].value == pytest.approx(0.0, abs=1e-3)
    t = first["eclipse_entry"].et
    before, _ = world._shadow_margin("io", t - 0.05)
    after, _ = world._shadow_margin("io", t + 0.05)
    assert before > 0.0 > after
    ordered = [first[k].et for k in ("eclipse_penumbra_entry", "eclipse_entry",
                                     "eclipse_umbra_entry", "eclipse_umbra_exit",
                                     "eclipse_exit", "eclipse_penumbra_exit")]
    assert ordered == sorted(ordered)
    # Penumbra crossing: the Sun's 0.05° disc at Io's 17.3 km/s over Jupiter's limb ≈ 45–50 s.
    assert 30.0 < first["eclipse_umbra_entry"].et - first["eclipse_penumbra_entry"].et < 70.0
    mid = 0.5 * (first["eclipse_umbra_entry"].et + first["eclipse_umbra_exit"].et)
    snap = world.at(mid)
    assert snap.sun_visible_fraction(snap.positions["io"], exclude=("io",)) == 0.0


def test_jupiter_phase_extremes(world):
    start = utc_to_et("2023-12-30")
    events = world.find_events("jupiter_phase", start, start + 5 * 86400.0)
    kinds = [e.kind for e in events]
    assert kinds.count("jupiter_phase_min") >= 2 and kinds.count("jupiter_phase_max") >= 2
    assert all(a != b for a, b in itertools.pairwise(kinds))      # they alternate
    for e in events:
        snap_phase = np.degrees(world.at(e.et).phase_angle("jupiter", "io"))
        assert snap_phase == pytest.approx(e.value, abs=1e-6)
        for dt in (-60.0, 60.0):   # an extreme: both neighbours are on the same side
            other = np.degrees(world.at(e.et + dt).phase_angle("jupiter", "io"))
            assert (other > e.value) if e.kind.endswith("min") else (other < e.value)
        # The Sun is ≤ 3.2° from Jupiter's equator, so Io sees Jupiter within ~3.2° of full/new.
        assert (e.value < 3.3) if e.kind.endswith("min") else (e.value > 176.7)


def test_event_search_rejects_bad_input(world):
    with pytest.raises(UserError):
        world.find_events("transit", CA, CA + 86400.0)
    with pytest.raises(UserError):
        world.find_events("eclipse", CA, CA - 1.0)
    with pytest.raises(UserError):
        world.find_events("eclipse", CA, CA + 86400.0, body="juno")


@pytest.mark.parametrize("et", [float("nan"), float("inf"), -float("inf")])
def test_at_non_finite_time_is_a_user_error_without_warnings(world, et) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # jplephem's "invalid value encountered" must not leak
        with pytest.raises(UserError, match="finite number of TDB seconds"):
            world.at(et)


@pytest.mark.parametrize("et", [1e12, -1e10])
def test_at_outside_the_ephemeris_names_the_span(world, et) -> None:
    with pytest.raises(UserError, match=r"covers 1899-07-29 to 2053-10-09") as info:
        world.at(et)
    assert "JPL DE421" in str(info.value)


def test_span_edges_are_inside() -> None:
    from viewer.sim.ephemeris import AnalyticEphemeris

    eph = AnalyticEphemeris()
    lo, hi = eph.span
    for et in (lo, hi):
        p, _ = eph.state("sun", et)
        assert np.all(np.isfinite(p))
    with pytest.raises(UserError, match="outside"):
        eph.state("io", np.array([0.0, hi + 86400.0]))
