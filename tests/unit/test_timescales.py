"""UTC ⇄ et: spellings, leap seconds, round trips, the supported span, and a fuzzed parser."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.errors import UserError
from viewer.sim.timescales import (
    et_of_year_start,
    et_to_utc,
    et_to_utc_table,
    parse_duration,
    utc_to_et,
)

CA = "2023-12-30T08:36:00.836"


def test_all_spellings_agree():
    ref = utc_to_et(CA)
    for text in (CA + "Z", CA + "z", "2023-12-30 08:36:00.836", "2023-364T08:36:00.836",
                 "12/30/2023 08:36:00.836", " 2023-12-30T08:36:00.836Z "):
        assert utc_to_et(text) == pytest.approx(ref, abs=1e-6), text


def test_et_value_against_independent_arithmetic():
    # 2023-12-30 08:36:00.836 UTC = TAI + 37 s = TT + 32.184 s; TDB − TT < 2 ms.
    # Days from J2000 (2000-01-01 12:00 TT) to 2023-12-30 00:00 = 8763.5.
    tt_seconds = 8763.5 * 86400 + 8 * 3600 + 36 * 60 + 0.836 + 37 + 32.184
    assert utc_to_et(CA) == pytest.approx(tt_seconds, abs=2e-3)


def test_formats_out():
    et = utc_to_et(CA)
    assert et_to_utc(et) == "2023-12-30T08:36:00.836Z"
    assert et_to_utc_table(et) == ["12/30/2023 08:36:00.836"]


def test_leap_second_is_a_real_second():
    before = utc_to_et("2016-12-31T23:59:59")
    leap = utc_to_et("2016-12-31T23:59:60")
    after = utc_to_et("2017-01-01T00:00:00")
    assert leap - before == pytest.approx(1.0, abs=1e-6)
    assert after - before == pytest.approx(2.0, abs=1e-6)
    assert et_to_utc(utc_to_et("2016-12-31T23:59:60.5")) == "2016-12-31T23:59:60.500Z"


@pytest.mark.parametrize("bad", [
    "", "garbage", "2023-13-01", "2023-02-29", "2023-366T00:00:00", "2023-12-30T24:00:00",
    "2023-12-30T08:60:00", "2015-12-31T23:59:60", "1899-12-31", "2051-01-01", "12/32/2023 00:00:00",
])
def test_bad_times_raise_one_line_user_errors(bad):
    with pytest.raises(UserError) as info:
        utc_to_et(bad)
    assert "\n" not in str(info.value)


def test_span_limits():
    assert utc_to_et("1900-01-01") < utc_to_et("2050-12-31T23:59:59")
    with pytest.raises(UserError, match="1900–2050"):
        utc_to_et("2051-01-01")


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=et_of_year_start(1900) + 1.0, max_value=et_of_year_start(2050) + 3e7))
def test_round_trip_to_a_millisecond(et):
    text = et_to_utc(et)
    assert abs(utc_to_et(text) - et) <= 0.0005 + 1e-6


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_fuzzed_text_never_crashes(text):
    try:
        et = utc_to_et(text)
    except UserError as exc:
        assert "\n" not in str(exc)
    else:
        assert math.isfinite(et)


@settings(max_examples=300, deadline=None)
@given(st.integers(1900, 2050), st.integers(1, 12), st.integers(1, 28), st.integers(0, 23),
       st.integers(0, 59), st.integers(0, 59999))
def test_fuzzed_valid_fields_parse_in_every_spelling(y, mo, d, h, mi, ms):
    sec = f"{ms // 1000:02d}.{ms % 1000:03d}"
    iso = utc_to_et(f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{sec}")
    assert utc_to_et(f"{mo:02d}/{d:02d}/{y:04d} {h:02d}:{mi:02d}:{sec}") == iso
    assert et_to_utc(iso) == f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{sec}Z"


def test_durations():
    assert parse_duration("0.5s") == 0.5
    assert parse_duration("2m") == 120.0
    assert parse_duration("1h") == 3600.0
    assert parse_duration("90") == 90.0
    with pytest.raises(UserError):
        parse_duration("soon")


# --- UTC offsets and "now" (issue 14) ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "2023-12-30T10:36:00.836+02:00", "2023-12-30T03:36:00.836-05:00", "2023-12-30T08:36:00.836+00:00",
    "2023-12-30T14:06:00.836+0530", "2023-12-30T13:36:00.836+05", "2023-12-30 03:36:00.836 -05:00",
    "2023-12-30T22:36:00.836+14:00",
    "2023-12-29T22:36:00.836-10:00", "2023-364T10:36:00.836+02:00", "12/30/2023 10:36:00.836+02:00",
    CA + "Z",
])
def test_utc_offsets_give_the_same_instant(text):
    assert utc_to_et(text) == pytest.approx(utc_to_et(CA), abs=1e-6), text


def test_an_offset_carries_across_days_years_and_leap_seconds():
    assert et_to_utc(utc_to_et("2024-01-01T01:00:00+05:00")) == "2023-12-31T20:00:00.000Z"
    assert et_to_utc(utc_to_et("2023-12-31T20:00:00-05:00")) == "2024-01-01T01:00:00.000Z"
    assert et_to_utc(utc_to_et("2024-03-01T00:30:00+01:00")) == "2024-02-29T23:30:00.000Z"
    # the leap second at the end of 2016, written in Central European time
    assert et_to_utc(utc_to_et("2017-01-01T00:59:60.5+01:00")) == "2016-12-31T23:59:60.500Z"


@pytest.mark.parametrize("bad, fragment", [
    ("2023-12-30T10:36:00+15:00", "the UTC offset +15:00"),
    ("2023-12-30T10:36:00-02:75", "the UTC offset -02:75"),
    ("2023-12-30T10:36:00+2:00", "cannot read the time"),
    ("2023-12-30T10:36:00+02:00Z", "cannot read the time"),
    ("2050-12-31T23:30:00-05:00", "1900–2050"),
    ("1900-01-01T00:30:00+01:00", "1900–2050"),
    ("2015-12-31T23:59:60+01:00", "leap second"),
])
def test_bad_offsets_are_one_line_errors(bad, fragment):
    with pytest.raises(UserError) as info:
        utc_to_et(bad)
    assert fragment in str(info.value) and "\n" not in str(info.value), str(info.value)


def test_now_reads_the_wall_clock_when_parsed(monkeypatch):
    from datetime import UTC, datetime, timedelta, timezone

    import viewer.sim.timescales as ts

    reads: list[datetime] = []

    def clock() -> datetime:
        t = datetime(2023, 12, 30, 8, 36, 0, 836000, tzinfo=UTC) + timedelta(seconds=10 * len(reads))
        reads.append(t)
        return t

    monkeypatch.setattr(ts, "wall_clock_utc", clock)
    first = utc_to_et("now")
    assert first == pytest.approx(utc_to_et(CA), abs=1e-6) and len(reads) == 1
    assert utc_to_et(" NOW ") - first == pytest.approx(10.0, abs=1e-6)     # read again, at each parse
    # a clock that answers in another zone is the same instant
    plus_two = timezone(timedelta(hours=2))
    monkeypatch.setattr(ts, "wall_clock_utc",
                        lambda: datetime(2023, 12, 30, 10, 36, 0, 836000, tzinfo=plus_two))
    assert utc_to_et("now") == pytest.approx(utc_to_et(CA), abs=1e-6)
    monkeypatch.setattr(ts, "wall_clock_utc", lambda: datetime(2023, 12, 30, 8, 36))
    with pytest.raises(UserError, match="without a zone"):
        utc_to_et("now")
    monkeypatch.setattr(ts, "wall_clock_utc", lambda: datetime(2077, 1, 1, tzinfo=UTC))
    with pytest.raises(UserError, match="1900–2050"):
        utc_to_et("now")


def test_now_is_the_real_clock_by_default():
    import time

    before = time.time()
    et = utc_to_et("now")
    # et − UTC seconds since 1970 is a constant (leap seconds, TT − TAI, J2000) to within TDB's ±2 ms
    offset = et - before
    assert utc_to_et("2000-01-01T12:00:00") - 946728000.0 == pytest.approx(offset, abs=60.0)


def test_only_the_time_parser_reads_the_wall_clock():
    """``now`` is resolved at the edge: no other module of the product asks the system for the date."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "viewer"
    pattern = re.compile(r"datetime\.(?:now|utcnow|today)\(|date\.today\("
                         r"|time\.(?:time|gmtime|localtime|ctime)\(")
    readers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if pattern.search(p.read_text()))
    assert readers == ["sim/timescales.py"]


@settings(max_examples=300, deadline=None)
@given(st.integers(2018, 2049), st.integers(1, 12), st.integers(1, 28), st.integers(0, 23),
       st.integers(0, 59), st.integers(-14 * 60, 14 * 60))
def test_fuzzed_offsets_shift_by_exactly_the_offset(y, mo, d, h, mi, offset):
    # no leap second since 2016-12-31 (14 h before 2018 is 2017), so local − offset is plain arithmetic
    local = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:07.25"
    sign = "+" if offset >= 0 else "-"
    text = f"{local}{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    # to 0.1 ms: et is TDB, whose rate against UTC drifts by up to ~3e-10 (TDB − TT, 1.7 ms a year)
    assert utc_to_et(text) == pytest.approx(utc_to_et(local) - 60.0 * offset, abs=1e-4)
