"""Ephemerides: where each body is (jovicentric, J2000, km and km/s) and how it is turned.

:class:`Ephemeris` is the protocol the rest of the program uses; :class:`AnalyticEphemeris` is the
embedded default, needing no download:

* the Sun and the Earth from JPL DE421 (shipped by ``skyfield-data``; valid 1900–2050), read with
  ``jplephem``. DE421 holds the Jupiter-system *barycentre*; Jupiter's centre is recovered from it by
  removing the four Galilean moons' mass-weighted offsets (up to ~200 km; GM values in
  :mod:`viewer.sim.constants`);
* Io, Europa, Ganymede and Callisto from Lieske's E5 theory (:mod:`viewer.sim.galilean`);
* orientations from the IAU 2015 rotation models (:mod:`viewer.sim.frames`).

Velocities of the moons are central differences of the analytic positions over ±30 s (error below
10⁻⁵ km/s, far under the theory's own accuracy).

A SPICE-kernel ephemeris with the same protocol lives in :mod:`viewer.sim.spice` (with the Juno
trajectory issue).
"""

from __future__ import annotations

import atexit
import datetime as _dt
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from jplephem.spk import SPK
from numpy.typing import ArrayLike, NDArray

from viewer.errors import UserError
from viewer.sim import galilean
from viewer.sim.constants import BODIES, JUPITER, MOONS
from viewer.sim.frames import body_to_j2000

F64 = NDArray[np.float64]

J2000_JD = 2451545.0
SECONDS_PER_DAY = 86400.0
#: Half-step of the central difference for the moons' velocities, s.
VELOCITY_STEP_S = 30.0

EPHEMERIS_BODIES = ("sun", "earth", "jupiter", "io", "europa", "ganymede", "callisto")
ORIENTED_BODIES = ("jupiter", "io", "europa", "ganymede", "callisto")


class Ephemeris(Protocol):
    """Positions, velocities and orientations of the Jovian system, relative to Jupiter's centre."""

    name: str

    def state(self, body: str, et: ArrayLike) -> tuple[F64, F64]:
        """Position (km) and velocity (km/s) of ``body`` relative to Jupiter's centre, J2000."""
        ...

    def orientation(self, body: str, et: ArrayLike) -> F64:
        """Body-fixed → J2000 rotation matrices of ``body``; shape (..., 3, 3)."""
        ...


def de421_path() -> Path:
    """The DE421 file shipped by ``skyfield-data`` (found without calling its warning helper)."""
    import skyfield_data

    path = Path(skyfield_data.__file__).resolve().parent / "data" / "de421.bsp"
    if not path.is_file():
        raise UserError(f"JPL DE421 is missing at {path}; reinstall with `pip install skyfield-data`")
    return path


@lru_cache(maxsize=1)
def _de421() -> SPK:
    kernel = SPK.open(str(de421_path()))
    atexit.register(kernel.close)  # no unclosed-file warning at interpreter exit
    return kernel


#: The (centre, target) DE421 segments read: Sun, Earth-Moon barycentre, Earth, Jupiter barycentre.
_SEGMENTS = ((0, 10), (0, 3), (3, 399), (0, 5))


@lru_cache(maxsize=1)
def de421_span() -> tuple[float, float]:
    """First and last TDB instants (s past J2000) that every DE421 segment read here covers."""
    segments = [s for s in _de421().segments if (s.center, s.target) in _SEGMENTS]
    start = max(s.start_jd for s in segments)
    end = min(s.end_jd for s in segments)
    return (start - J2000_JD) * SECONDS_PER_DAY, (end - J2000_JD) * SECONDS_PER_DAY


def _date(et: float) -> str:
    """A TDB instant inside the DE421 span as a calendar date (TDB and UTC differ by about a minute)."""
    return (_dt.datetime(2000, 1, 1, 12) + _dt.timedelta(seconds=et)).strftime("%Y-%m-%d")


def check_et(et: ArrayLike, span: tuple[float, float] | None = None, source: str = "") -> None:
    """Raise UserError unless every ``et`` (TDB s past J2000) is finite and, when ``span`` is given,
    inside it: the coverage of ``source`` (named in the message with the span's dates)."""
    e = np.asarray(et, dtype=np.float64)
    if not np.all(np.isfinite(e)):
        bad = e[~np.isfinite(e)].flat[0] if e.ndim else e
        raise UserError(f"et = {float(bad)!r}: a time must be a finite number of TDB seconds past J2000")
    if span is None:
        return
    lo, hi = span
    outside = (e < lo) | (e > hi)
    if np.any(outside):
        first = float(e[outside].flat[0]) if e.ndim else float(e)
        years = 2000.0 + first / (365.25 * SECONDS_PER_DAY)
        raise UserError(f"time et = {first:.6g} s (about the year {years:.0f}) is outside {source}, which "
                        f"covers {_date(lo)} to {_date(hi)}; choose a time inside it")


def _split_jd(et: F64) -> tuple[F64, F64]:
    days = et / SECONDS_PER_DAY
    whole = np.floor(days)
    return J2000_JD + whole, days - whole


def _segment(a: int, b: int, et: F64) -> tuple[F64, F64]:
    jd, frac = _split_jd(et)
    pos, vel = _de421()[a, b].compute_and_differentiate(jd, frac)
    return np.moveaxis(pos, 0, -1), np.moveaxis(vel, 0, -1) / SECONDS_PER_DAY


class AnalyticEphemeris:
    """The embedded ephemeris: DE421 + Lieske E5 + IAU 2015 rotation models (see module doc)."""

    name = "embedded (JPL DE421 + Lieske E5 + IAU 2015)"

    def __init__(self) -> None:
        # The last evaluated times → (positions, velocities) of the four moons. A snapshot asks for
        # every body at one et, and an event search asks for two bodies at each et: the theory is
        # evaluated once per et, not once per body.
        self._memo_key: tuple[tuple[int, ...], bytes] | None = None
        self._memo: tuple[F64, F64] | None = None

    def moons(self, et: ArrayLike) -> F64:
        """Positions of Io, Europa, Ganymede, Callisto (km, jovicentric J2000); (4, ..., 3)."""
        e = np.asarray(et, dtype=np.float64)
        days = e / SECONDS_PER_DAY
        return galilean.positions_j2000(J2000_JD + days, days + (J2000_JD - galilean.THEORY_EPOCH_JD))

    def moon_states(self, et: ArrayLike) -> tuple[F64, F64]:
        """Positions (km) and velocities (km/s) of the four moons; each (4, ..., 3)."""
        e = np.asarray(et, dtype=np.float64)
        key = (e.shape, e.tobytes())
        if key != self._memo_key or self._memo is None:
            h = VELOCITY_STEP_S
            stacked = self.moons(np.stack([e - h, e, e + h]))   # one vectorised evaluation
            vel = (stacked[:, 2] - stacked[:, 0]) / (2.0 * h)
            self._memo, self._memo_key = (stacked[:, 1], vel), key
        return self._memo

    def _moon_state(self, index: int, et: F64) -> tuple[F64, F64]:
        pos, vel = self.moon_states(et)
        return pos[index], vel[index]

    def _barycentre_offset(self, et: F64) -> tuple[F64, F64]:
        """Jupiter's centre minus the system barycentre, km and km/s (J2000)."""
        gms = np.array([m.gm_km3_s2 for m in MOONS])
        weights = gms / (JUPITER.gm_km3_s2 + gms.sum())
        pos, vel = self.moon_states(et)
        return (-np.einsum("m,m...i->...i", weights, pos),
                -np.einsum("m,m...i->...i", weights, vel))

    @property
    def span(self) -> tuple[float, float]:
        """TDB seconds past J2000 of the first and last instant covered (DE421's span)."""
        return de421_span()

    def state(self, body: str, et: ArrayLike) -> tuple[F64, F64]:
        e = np.asarray(et, dtype=np.float64)
        check_et(e, self.span, "the embedded ephemeris (JPL DE421)")
        if body == "jupiter":
            zero = np.zeros((*e.shape, 3))
            return zero, zero.copy()
        if body in galilean.MOON_ORDER:
            return self._moon_state(galilean.MOON_ORDER.index(body), e)
        if body in ("sun", "earth"):
            jup_p, jup_v = _segment(0, 5, e)
            if body == "sun":
                p, v = _segment(0, 10, e)
            else:
                p, v = _segment(0, 3, e)
                p2, v2 = _segment(3, 399, e)
                p, v = p + p2, v + v2
            off_p, off_v = self._barycentre_offset(e)
            return p - jup_p - off_p, v - jup_v - off_v
        raise UserError(f"unknown body {body!r} for the embedded ephemeris; use one of: "
                        f"{', '.join(EPHEMERIS_BODIES)}")

    def barycentric(self, body: str, et: ArrayLike) -> F64:
        """Position of ``body`` relative to the solar-system barycentre, J2000, km (for light-time
        work: what an observer at Earth sees left ``body`` one light time earlier)."""
        e = np.asarray(et, dtype=np.float64)
        check_et(e, self.span, "the embedded ephemeris (JPL DE421)")
        jupiter = _segment(0, 5, e)[0] + self._barycentre_offset(e)[0]
        return np.asarray(jupiter + self.state(body, e)[0], dtype=np.float64)

    def orientation(self, body: str, et: ArrayLike) -> F64:
        if body not in BODIES:
            raise UserError(f"no rotation model for {body!r}; use one of: {', '.join(ORIENTED_BODIES)}")
        return body_to_j2000(body, et)
