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
