"""Time: UTC strings ⇄ ``et`` (TDB seconds past J2000), leap seconds included.

``et`` is the SPICE convention: seconds of Barycentric Dynamical Time past 2000-01-01 12:00:00 TDB.
The conversion uses skyfield's built-in timescale (its own leap-second and ΔT tables, no download);
nothing here keeps a leap-second table of its own. ``et`` is carried as ``float64``: at 2024 that is a
resolution of about 0.1 µs.

Accepted UTC spellings (``Z`` optional everywhere, ``T`` or a space between date and time)::

    2023-12-30T08:36:00.836      ISO calendar date
    2023-12-30                   a date alone means 00:00:00
    2023-364T08:36:00            ISO day of year
    12/30/2023 08:36:00.836      the Juno team's geometry tables (month/day/year)
    2023-12-30T10:36:00+02:00    any of these with a UTC offset (±HH:MM, ±HHMM or ±HH, at most ±14:00):
                                 local time minus the offset is UTC, so this is 08:36:00 UTC
    now                          the wall clock's UTC, read when the text is parsed

Leap seconds are valid input (``2016-12-31T23:59:60.5``). The supported span is 1900–2050, the span of
the embedded JPL DE421 ephemeris that every position depends on.

``now`` is the only place the program reads the wall clock for a date (:func:`wall_clock_utc`): it is
resolved here, at the edge, each time :func:`utc_to_et` reads it, and everything past this parser works
with the ``et`` it returned — the simulation never asks the clock what time it is. A command reads each
time option once, so one run sees one "now"; the system clock knows no leap seconds, so during one
``now`` is a second off.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from skyfield.api import load
from skyfield.timelib import Time, Timescale

from viewer.errors import UserError

J2000_JD = 2451545.0
SECONDS_PER_DAY = 86400.0

#: Supported span (inclusive), in UTC calendar years — the embedded DE421 ephemeris covers it.
FIRST_YEAR = 1900
LAST_YEAR = 2050

_TIME = (r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?)?"
         r"\s*(?:Z|([+-])(\d{2})(?::?(\d{2}))?)?")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$", re.IGNORECASE)
_DOY = re.compile(r"^(\d{4})-(\d{3})" + _TIME + "$", re.IGNORECASE)
_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME + "$", re.IGNORECASE)

_FORMATS_HINT = (
    "use e.g. 2023-12-30T08:36:00.836Z, 2023-12-30T10:36:00+02:00, 2023-364T08:36:00, "
    "12/30/2023 08:36:00.836 or now"
)
#: The largest UTC offset accepted, minutes (the clocks in use run from −12:00 to +14:00).
MAX_OFFSET_MIN = 14 * 60

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@lru_cache(maxsize=1)
def timescale() -> Timescale:
    """skyfield's built-in timescale (bundled leap seconds and ΔT; never touches the network)."""
    return load.timescale(builtin=True)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _parse_fields(text: str) -> tuple[int, int, int, int, int, float]:
    """Split a UTC string into (year, month, day, hour, minute, second), validating each field."""
    s = text.strip()
    m = _ISO.match(s)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        hms = m.groups()[3:]
    elif (m := _DOY.match(s)) is not None:
        year, doy = int(m[1]), int(m[2])
        ndays = 366 if _is_leap(year) else 365
        if not 1 <= doy <= ndays:
            raise UserError(f"time {text!r}: day of year {doy} is outside 1–{ndays}; {_FORMATS_HINT}")
        month, day = 1, doy
        hms = m.groups()[2:]
    elif (m := _MDY.match(s)) is not None:
        month, day, year = int(m[1]), int(m[2]), int(m[3])
        hms = m.groups()[3:]
    else:
        raise UserError(f"cannot read the time {text!r}; {_FORMATS_HINT}")

    hour = int(hms[0]) if hms[0] is not None else 0
    minute = int(hms[1]) if hms[1] is not None else 0
    second = float(hms[2]) if hms[2] is not None else 0.0
    if not 1 <= month <= 12:
        raise UserError(f"time {text!r}: month {month} is outside 1–12; {_FORMATS_HINT}")
    if m.re is not _DOY:
        limit = _DAYS_IN_MONTH[month - 1] - (1 if month == 2 and not _is_leap(year) else 0)
        if not 1 <= day <= limit:
            raise UserError(f"time {text!r}: day {day} does not exist in month {month} of {year}")
    if hour > 23 or minute > 59 or second >= 61.0:
        raise UserError(f"time {text!r}: hour, minute or second out of range; {_FORMATS_HINT}")
    if hms[3] is not None:
        off_h, off_m = int(hms[4]), int(hms[5] or 0)
        offset = (off_h * 60 + off_m) * (1 if hms[3] == "+" else -1)
        if off_m > 59 or abs(offset) > MAX_OFFSET_MIN:
            raise UserError(f"time {text!r}: the UTC offset {hms[3]}{hms[4]}:{off_m:02d} is not one a clock "
                            "uses (at most ±14:00, minutes below 60)")
        # Local time minus the offset is UTC; the seconds (a leap second's :60 too) stay as they are.
        _check_span(year, text)
        utc = datetime(year, month, 1) + timedelta(days=day - 1, hours=hour, minutes=minute - offset)
        year, month, day, hour, minute = utc.year, utc.month, utc.day, utc.hour, utc.minute
    return year, month, day, hour, minute, second


def wall_clock_utc() -> datetime:
    """The wall clock, as an aware UTC datetime: the one place the program asks what time it is now
    (for ``now``; tests replace it)."""
    return datetime.now(UTC)


def _now_fields(text: str) -> tuple[int, int, int, int, int, float]:
    """``now`` as (year, month, day, hour, minute, second) UTC, read from :func:`wall_clock_utc`."""
    t = wall_clock_utc()
    if t.tzinfo is None or t.utcoffset() is None:
        raise UserError(f"time {text!r}: the wall clock gave a time without a zone; set the system clock")
    t = t.astimezone(UTC)
    return t.year, t.month, t.day, t.hour, t.minute, t.second + t.microsecond / 1e6


def _check_span(year: int, text: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(
            f"time {text!r} is outside {FIRST_YEAR}–{LAST_YEAR}, the span of the embedded JPL DE421 "
            "ephemeris; pick a time inside it"
        )


def _et_of(t: Time) -> Any:
    """TDB seconds past J2000 from a skyfield Time, keeping the split-JD precision."""
    return ((t.whole - J2000_JD) + t.tdb_fraction) * SECONDS_PER_DAY


def utc_to_et(text: str) -> float:
    """Parse one UTC string (any accepted spelling, a UTC offset, or ``now`` — the wall clock read at
    this call) into ``et``; raises :class:`UserError`."""
    if not isinstance(text, str):
        raise UserError(f"a time must be a string, not {type(text).__name__}; {_FORMATS_HINT}")
    if text.strip().lower() == "now":
        year, month, day, hour, minute, second = _now_fields(text)
    else:
        year, month, day, hour, minute, second = _parse_fields(text)
    _check_span(year, text)
    if second >= 60.0:
        # Only a real leap second may be :60; skyfield would silently roll any other into the next
        # minute, and it spells a real one back as ":60".
        probe = timescale().utc(year, month, day, hour, minute, 60.0).utc_iso(places=0)
        if not probe.endswith(":60Z"):
            raise UserError(f"time {text!r}: second 60 exists only in a leap second, not at this minute")
    t = timescale().utc(year, month, day, hour, minute, second)
    return float(_et_of(t))


def utc_array_to_et(texts: list[str]) -> NDArray[np.float64]:
    """Parse many UTC strings into an array of ``et``."""
    return np.array([utc_to_et(t) for t in texts], dtype=np.float64)


def et_to_time(et: ArrayLike) -> Time:
    """A skyfield :class:`Time` for ``et`` (scalar or array)."""
    e = np.asarray(et, dtype=np.float64)
    days = e / SECONDS_PER_DAY
    whole = np.floor(days)
    return timescale().tdb_jd(J2000_JD + whole, days - whole)


def et_to_utc(et: float, places: int = 3) -> str:
    """``et`` → ISO UTC string ``YYYY-MM-DDTHH:MM:SS.sssZ`` rounded to ``places`` decimals."""
    return str(et_to_time(float(et)).utc_iso(places=places))


def et_to_utc_table(et: ArrayLike) -> list[str]:
    """``et`` → the Juno team's table spelling ``MM/DD/YYYY HH:MM:SS.sss`` (rounded to 1 ms)."""
    iso = et_to_time(np.atleast_1d(np.asarray(et, dtype=np.float64))).utc_iso(places=3)
    return [f"{s[5:7]}/{s[8:10]}/{s[0:4]} {s[11:23]}" for s in iso]


def et_of_year_start(year: int) -> float:
    """``et`` of January 1 of ``year`` at 00:00 UTC."""
    return float(_et_of(timescale().utc(year, 1, 1)))


_DURATION = re.compile(r"^\s*([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*(ms|s|m|min|h|d)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"ms": 1e-3, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str) -> float:
    """A duration like ``0.5s``, ``2m``, ``1h``, ``3d`` or ``90`` (seconds) → seconds."""
    m = _DURATION.match(str(text))
    if not m:
        raise UserError(f"cannot read the duration {text!r}; use a number with s, m, h or d, e.g. 0.5s or 2m")
    return float(m[1]) * _UNIT_SECONDS[(m[2] or "s").lower()]
