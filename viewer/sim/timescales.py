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

Leap seconds are valid input (``2016-12-31T23:59:60.5``). The supported span is 1900–2050, the span of
the embedded JPL DE421 ephemeris that every position depends on.
"""

from __future__ import annotations

import re
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

_TIME = r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?)?\s*Z?"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$", re.IGNORECASE)
_DOY = re.compile(r"^(\d{4})-(\d{3})" + _TIME + "$", re.IGNORECASE)
_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME + "$", re.IGNORECASE)

_FORMATS_HINT = (
    "use e.g. 2023-12-30T08:36:00.836Z, 2023-364T08:36:00 or 12/30/2023 08:36:00.836"
)

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
    return year, month, day, hour, minute, second


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
    """Parse one UTC string (any accepted spelling) into ``et``; raises :class:`UserError`."""
    if not isinstance(text, str):
        raise UserError(f"a time must be a string, not {type(text).__name__}; {_FORMATS_HINT}")
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
