"""The ``jupitershine geometry`` table: Juno's geometry relative to Io, in the Juno Io team's format.

Columns, header and time format are those of the tables the team makes with SPICE
(volcanopele/juno ``junopositiontrack.py``; docs/sources.md §7d), so a table drops into their tools::

    Perijove,Time (UTC),SC Range to Io (km),SC Altitude (km),SC Latitude (deg),SC W Longitude (deg),
    Subsolar Latitude (deg),Subsolar W Longitude (deg),Sun-Io-SC Angle (deg),JIRAM scale (km/pixel),
    JunoCAM scale (km/pixel)

Rows are at ``start + k·step`` for ``start ≤ t < end`` (half open, like the team's 4,800 rows for
±20 min at 0.5 s), times ``MM/DD/YYYY HH:MM:SS.sss`` UTC, numbers with 4 decimals. Definitions (this
project's conventions, docs/architecture.md "Units, frames, time"): geometric states (no light-time
correction; the team uses LT+S, which at these ranges moves Juno relative to Io by < 0.3 km); the
sub-spacecraft and sub-solar points are, as the team's, SPICE's "Intercept/Ellipsoid" points of Io's
IAU ellipsoid (where the line to Io's centre pierces it), so their planetocentric latitude and west
longitude in [0, 360) are those of Juno's and the Sun's directions from Io's centre; the altitude is
the distance to the *nearest* ellipsoid point (SPICE's "Near point/Ellipsoid", up to ~0.3° from the
intercept on Io's triaxial ellipsoid; the team's script takes the distance to the intercept point,
≤ 0.04 km more in the I57/I58 windows; docs/spice.md "Sub-points"); the Sun–Io–SC angle at Io's
centre; pixel scales = altitude × IFOV, with JIRAM's 0.000237767 as the team uses and JunoCam's
instrument-kernel IFOV 0.0074 mm / 10.95637 mm = 675.4 µrad (the team's tables use 672.7 µrad, 0.4 %
less).

Every row is computed at once from arrays of ``et`` (no loop over :meth:`World.at`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viewer.atomic import write_text_atomic
from viewer.errors import UserError
from viewer.sim.constants import BODIES
from viewer.sim.frames import altitude, lat_wlon
from viewer.sim.juno import JIRAM_IFOV_RAD, JUNOCAM_IFOV_RAD, flyby_at
from viewer.sim.timescales import et_to_utc_table
from viewer.sim.world import World

F64 = NDArray[np.float64]

HEADER = ("Perijove", "Time (UTC)", "SC Range to Io (km)", "SC Altitude (km)", "SC Latitude (deg)",
          "SC W Longitude (deg)", "Subsolar Latitude (deg)", "Subsolar W Longitude (deg)",
          "Sun-Io-SC Angle (deg)", "JIRAM scale (km/pixel)", "JunoCAM scale (km/pixel)")
#: The most rows one table may have (a guard against a mistyped step).
MAX_ROWS = 2_000_000
DECIMALS = 4


def sample_times(start: float, end: float, step: float) -> F64:
    """``start + k·step`` for ``start ≤ t < end``."""
    if not step > 0.0:
        raise UserError(f"the step must be positive, not {step:g} s")
    if not end > start:
        raise UserError("the table must end after it starts (--end after --start)")
    # et near 2024 carries ~0.1 µs of rounding: a row within 10 µs of the end counts as at the end.
    n = max(int(np.ceil((end - start - 1e-5) / step)), 1)
    if n > MAX_ROWS:
        raise UserError(f"that is {n:,} rows (more than {MAX_ROWS:,}); use a larger --step or a "
                        "shorter span")
    return np.asarray(start + step * np.arange(n), dtype=np.float64)


def compute(world: World, et: F64) -> dict[str, Any]:
    """All columns for the times ``et`` (TDB seconds), as arrays keyed by :data:`HEADER`."""
    e = np.asarray(et, dtype=np.float64)
    juno, _ = world.juno.state(e)  # raises a UserError naming the coverage outside it
    eph = world.ephemeris
    io, _ = eph.state("io", e)
    sun, _ = eph.state("sun", e)
    rot = eph.orientation("io", e)  # (N, 3, 3) body → J2000
    radii = BODIES["io"].radii_km
    sc_body = np.einsum("nji,nj->ni", rot, juno - io)
    sun_body = np.einsum("nji,nj->ni", rot, sun - io)
    sc_lat, sc_wlon = lat_wlon(sc_body)  # the intercept points' coordinates are the directions'
    ss_lat, ss_wlon = lat_wlon(sun_body)
    alt = altitude(sc_body, radii)
    cross = np.linalg.norm(np.cross(sun_body, sc_body), axis=-1)
    phase = np.arctan2(cross, np.sum(sun_body * sc_body, axis=-1))
    flybys = {f.perijove for f in flyby_at(e) if f is not None}
    label = f"PJ{flybys.pop()}" if len(flybys) == 1 else ""
    return {
        HEADER[0]: label,
        HEADER[1]: et_to_utc_table(e),
        HEADER[2]: np.linalg.norm(sc_body, axis=-1),
        HEADER[3]: alt,
        HEADER[4]: np.degrees(sc_lat),
        HEADER[5]: np.degrees(sc_wlon),
        HEADER[6]: np.degrees(ss_lat),
        HEADER[7]: np.degrees(ss_wlon),
        HEADER[8]: np.degrees(phase),
        HEADER[9]: alt * JIRAM_IFOV_RAD,
        HEADER[10]: alt * JUNOCAM_IFOV_RAD,
    }


def _numbers(cols: dict[str, Any]) -> F64:
    """The numeric columns as an (N, 9) array, rounded as printed (a west longitude that rounds
    to 360.0000 is written 0.0000)."""
    arr = np.round(np.stack([np.asarray(cols[h], dtype=np.float64) for h in HEADER[2:]], -1),
                   DECIMALS)
    for j in (3, 5):  # SC W Longitude, Subsolar W Longitude
        arr[:, j] = np.where(arr[:, j] >= 360.0, arr[:, j] - 360.0, arr[:, j])
    return np.asarray(arr + 0.0, dtype=np.float64)  # + 0.0: no "-0.0000"


def to_csv(cols: dict[str, Any]) -> str:
    """The table as CSV text (header line, then one line per row)."""
    label = cols[HEADER[0]]
    nums = _numbers(cols)
    fmt = ",".join([f"{label}", "{}"] + ["{:.4f}"] * nums.shape[1])
    lines = [",".join(HEADER)]
    lines += [fmt.format(t, *row) for t, row in zip(cols[HEADER[1]], nums.tolist(), strict=True)]
    return "\n".join(lines) + "\n"


def to_json(cols: dict[str, Any]) -> str:
    """The table as a JSON array of objects keyed by the CSV header names."""
    label = cols[HEADER[0]]
    nums = _numbers(cols).tolist()
    rows = [{HEADER[0]: label, HEADER[1]: t, **dict(zip(HEADER[2:], row, strict=True))}
            for t, row in zip(cols[HEADER[1]], nums, strict=True)]
    return json.dumps(rows, indent=1) + "\n"


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (:func:`viewer.atomic.write_text_atomic`), so a reader never
    sees half a table and a failure leaves any old file intact."""
    write_text_atomic(path, text)


def table(world: World, start: float, end: float, step: float, fmt: str = "csv") -> str:
    """The whole table as text in ``fmt`` (``csv`` or ``json``)."""
    if fmt not in ("csv", "json"):
        raise UserError(f"unknown format {fmt!r}; use csv or json")
    cols = compute(world, sample_times(start, end, step))
    return to_csv(cols) if fmt == "csv" else to_json(cols)


__all__ = ["HEADER", "compute", "sample_times", "table", "to_csv", "to_json", "write_atomic"]
