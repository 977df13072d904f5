"""Juno's trajectory and attitude for the I57 and I58 Io flybys, built from physics (docs/trajectory.md).

**Trajectory.** Each flyby window (I57: 2023-12-29 00:00 → 12-31 00:00 UTC; I58: 2024-02-02 00:00 →
02-04 00:00 UTC) holds one numerically integrated arc: Juno's jovicentric J2000 state is integrated
(scipy ``solve_ivp``, DOP853, rtol 1e-12) in the field of Jupiter — a point mass plus its J2 zonal
term (jup309: J2 = 1.469562×10⁻², R = 71,492 km; docs/sources.md §3d) about the IAU pole — and of the four
Galilean moons as point masses at their Lieske E5 positions (with the indirect term, since the frame
is centred on Jupiter). Io's pull *is* the hyperbolic flyby: no patching is needed. The arc starts at
the closest-approach (CA) epoch from a state set by four parameters and is integrated backward and
forward to the window edges:

* ``ca_normal_lat_deg``, ``ca_normal_wlon_deg`` — the direction of the outward normal of Io's IAU
  ellipsoid under Juno at CA (Io body frame; planetocentric-style angles of that normal);
* ``v_rel_km_s`` — Juno's speed relative to Io at CA;
* ``psi_deg`` — the direction of that relative velocity in the plane perpendicular to the Io→Juno
  vector, measured from local east toward local north.

Juno sits ``ca_altitude_km`` along the normal above the ellipsoid point with that normal, so the
altitude is exact; the relative velocity is perpendicular to the relative position, so the range to
Io's centre is at a minimum exactly at the CA epoch (SPICE ``gfdist`` ABSMIN, docs/sources.md §1a). The
parameters were fitted once, by ``tools/fit_juno.py`` (output in ``tools/fit_juno_output.txt``), to
the published perijove times and PJ-to-PJ periods and, for I57, the planned geometry of image
JNCE_2023364_57C00015; they are constants here. The integration runs once per flyby, lazily, and
the dense DOP853 solution (a 7th-order interpolant) is evaluated for any array of ``et``.

**The whole PJ57 orbit.** I57's arc is continued outward from its window's edges, in the same field
(the moons splined on a 600 s grid there), to the span ``orbit_utc`` that holds the apojoves before
and after PJ57 (2023-12-11 and 2024-01-17): :func:`orbit` joins the three pieces, the window's own
arc unchanged inside the window, each extension starting from that arc's state at the edge. Nothing
was refitted; the accuracy away from the fitted points is in docs/trajectory.md. :func:`coverage`
lists the spans where Juno is known (TDB seconds).

**Attitude.** Spin axis +Z toward the Earth (the high-gain antenna, docs/sources.md §2a/§4b), spinning at
2 rpm (one turn per 30 s) right-handedly about +Z. The spin phase φ is the angle about +Z from the
reference axis X₀ = unit(Z × ẑ_J2000) to the spacecraft +X axis; φ = φ₀ + 12°/s·(et − et_CA), with
φ₀ chosen so that JunoCam's boresight −X points as close as it can to Io's centre at CA. JunoCam
looks along −X, perpendicular to the spin axis (docs/sources.md §4a).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import solve_ivp
from scipy.interpolate import CubicSpline

from viewer.errors import UserError
from viewer.sim.constants import IO, JUPITER, MOONS
from viewer.sim.frames import body_to_j2000, point_for_normal, pole_j2000, vector_from_lat_wlon
from viewer.sim.timescales import utc_to_et

F64 = NDArray[np.float64]

#: NAIF ids: the spacecraft and its spacecraft frame (docs/sources.md §4a).
JUNO_NAIF_ID = -61
JUNO_FRAME_ID = -61000
#: Jupiter's J2 and its reference radius, from JPL's jup309 solution (docs/sources.md §3d).
JUPITER_J2 = 1.469562e-2
JUPITER_J2_RADIUS_KM = 71492.0
#: Spin rate, degrees per second: 2 rpm (docs/sources.md §4b).
SPIN_RATE_DEG_S = 360.0 / 30.0
#: JunoCam's boresight in the spacecraft frame (docs/sources.md §4a: ≈ −X, perpendicular to the +Z spin axis).
JUNOCAM_BORESIGHT = np.array([-1.0, 0.0, 0.0])
#: JunoCam's full cross-scan field of view, degrees (docs/sources.md §4a).
JUNOCAM_FOV_DEG = 58.0
#: JunoCam's pixel pitch and focal length, mm (IK juno_junocam_v03, docs/sources.md §4a).
JUNOCAM_PIXEL_SIZE_MM = 0.0074
JUNOCAM_FOCAL_LENGTH_MM = 10.95637
#: JunoCam's IFOV used for pixel scales: 0.0074 mm / 10.95637 mm (IK juno_junocam_v03, docs/sources.md §7d).
JUNOCAM_IFOV_RAD = JUNOCAM_PIXEL_SIZE_MM / JUNOCAM_FOCAL_LENGTH_MM
#: JIRAM's scale factor, km per km of range, as in the Juno Io team's tables (docs/sources.md §4a, §7d).
JIRAM_IFOV_RAD = 0.000237767
#: Integration tolerances and the step of the moon-position splines.
RTOL = 1e-12
ATOL_KM = 1e-7
MOON_SPLINE_STEP_S = 60.0
#: Seconds integrated beyond each window edge, so the edges themselves interpolate cleanly.
EDGE_MARGIN_S = 120.0
#: The moon-position spline step of the orbit's extensions, s: far from the moons a 600 s step instead
#: of 60 s moves Juno by < 1 m over the whole orbit (tools/juno_orbit_output.txt) at a tenth of the cost.
ORBIT_MOON_SPLINE_STEP_S = 600.0


@dataclass(frozen=True)
class Flyby:
    """One Io flyby: its window, the published figures it was fitted to, and the fitted parameters."""

    name: str
    perijove: int
    window_utc: tuple[str, str]
    ca_utc: str
    ca_altitude_km: float
    perijove_utc: str
    period_before_d: float
    period_after_d: float
    ca_normal_lat_deg: float
    ca_normal_wlon_deg: float
    v_rel_km_s: float
    psi_deg: float
    spin_phase0_deg: float
    #: The span the arc is continued over (the whole orbit, apojove to apojove with a margin), or None
    #: where only the window is covered.
    orbit_utc: tuple[str, str] | None = None

    @property
    def params(self) -> tuple[float, float, float, float]:
        return (self.ca_normal_lat_deg, self.ca_normal_wlon_deg, self.v_rel_km_s, self.psi_deg)


# Published inputs (docs/sources.md §1a, §1d, §1e): CA epochs, ~1,500 km altitudes, perijove times; the
# periods are the PJ-to-PJ intervals of docs/sources.md §1d's perijove times (38.01, 35.38, 32.75 d
# rounded there).
# Fitted parameters and spin phases: tools/fit_juno.py → tools/fit_juno_output.txt.
FLYBYS: dict[str, Flyby] = {
    "i57": Flyby(
        name="i57", perijove=57, window_utc=("2023-12-29T00:00:00", "2023-12-31T00:00:00"),
        ca_utc="2023-12-30T08:36:00.836", ca_altitude_km=1500.0,
        perijove_utc="2023-12-30T12:36:20.761", period_before_d=38.013220, period_after_d=35.382739,
        ca_normal_lat_deg=63.753658282579444, ca_normal_wlon_deg=94.6590619420037,
        v_rel_km_s=30.094307625948094, psi_deg=48.022755922933996,
        spin_phase0_deg=238.8624436294189,
        # Apojoves 2023-12-11 12:14 and 2024-01-17 05:14 UTC (tools/juno_orbit_output.txt), each with
        # more than a day to spare.
        orbit_utc=("2023-12-10T00:00:00", "2024-01-19T00:00:00"),
    ),
    "i58": Flyby(
        name="i58", perijove=58, window_utc=("2024-02-02T00:00:00", "2024-02-04T00:00:00"),
        ca_utc="2024-02-03T17:48:35.126", ca_altitude_km=1500.0,
        perijove_utc="2024-02-03T21:47:29.385", period_before_d=35.382739, period_after_d=32.746421,
        ca_normal_lat_deg=61.60902028533586, ca_normal_wlon_deg=89.09319330785061,
        v_rel_km_s=30.13235319966979, psi_deg=42.9965373981528,
        spin_phase0_deg=240.2128214617651,
    ),
}


@cache
def _et(utc: str) -> float:
    return utc_to_et(utc)


def window_et(flyby: Flyby) -> tuple[float, float]:
    """The flyby's window as TDB seconds past J2000."""
    return _et(flyby.window_utc[0]), _et(flyby.window_utc[1])


def span_utc(flyby: Flyby) -> tuple[str, str]:
    """The flyby's coverage in UTC: its whole orbit where it has one, else its window."""
    return flyby.orbit_utc if flyby.orbit_utc is not None else flyby.window_utc


def span_et(flyby: Flyby) -> tuple[float, float]:
    """The flyby's coverage as TDB seconds past J2000 (see :func:`span_utc`)."""
    lo, hi = span_utc(flyby)
    return _et(lo), _et(hi)


def coverage() -> list[tuple[float, float]]:
    """The spans (TDB seconds past J2000, inclusive, in time order) where the embedded Juno is known."""
    return sorted(span_et(f) for f in FLYBYS.values())


def coverage_text() -> str:
    """The coverage, for messages."""
    return "; ".join(f"{f.name.upper()}{' (whole orbit)' if f.orbit_utc else ''} "
                     f"{span_utc(f)[0]} to {span_utc(f)[1]} UTC" for f in FLYBYS.values())


# --- dynamics ----------------------------------------------------------------------------------

class MoonField:
    """Positions and velocities of the four Galilean moons over a span, as cubic splines of the
    Lieske E5 positions on a ``step`` grid (60 s: interpolation error ≪ 1 mm)."""

    def __init__(self, t0: float, t1: float, step: float = MOON_SPLINE_STEP_S) -> None:
        from viewer.sim.ephemeris import AnalyticEphemeris

        n = int(np.ceil((t1 - t0) / step)) + 1
        self.grid = t0 + step * np.arange(n + 1)
        pos = AnalyticEphemeris().moons(self.grid)  # (4, N, 3)
        self.spline = CubicSpline(self.grid, np.moveaxis(pos, 1, 0).reshape(len(self.grid), 12))
        self.velocity_spline = self.spline.derivative()
        self.gm = np.array([m.gm_km3_s2 for m in MOONS])

    def positions(self, t: ArrayLike) -> F64:
        p = np.asarray(self.spline(t))
        return p.reshape(*p.shape[:-1], 4, 3)

    def velocities(self, t: ArrayLike) -> F64:
        v = np.asarray(self.velocity_spline(t))
        return v.reshape(*v.shape[:-1], 4, 3)


def acceleration(r: F64, moons: F64, gm_moons: F64, pole: F64) -> F64:
    """Jovicentric acceleration (km/s²) at ``r``: Jupiter point mass + J2, and each moon's direct
    pull minus its pull on Jupiter (the indirect term of a Jupiter-centred frame)."""
    mu = JUPITER.gm_km3_s2
    rn = np.linalg.norm(r)
    z = float(r @ pole)
    a = -mu * r / rn**3
    k = -1.5 * JUPITER_J2 * mu * JUPITER_J2_RADIUS_KM**2 / rn**5
    a = a + k * ((1.0 - 5.0 * z * z / (rn * rn)) * r + 2.0 * z * pole)
    d = moons - r
    a = a + np.sum(gm_moons[:, None] * (d / np.linalg.norm(d, axis=1)[:, None] ** 3
                                        - moons / np.linalg.norm(moons, axis=1)[:, None] ** 3), axis=0)
    return np.asarray(a, dtype=np.float64)


def ca_state(flyby: Flyby, params: ArrayLike, field: MoonField) -> tuple[F64, F64]:
    """Juno's jovicentric J2000 position and velocity at the CA epoch from the four parameters."""
    lat, wlon, speed, psi = (float(x) for x in np.asarray(params, dtype=np.float64))
    t_ca = _et(flyby.ca_utc)
    rot = body_to_j2000("io", t_ca)
    n = vector_from_lat_wlon(np.radians(lat), np.radians(wlon))
    rel = point_for_normal(n, IO.radii_km) + flyby.ca_altitude_km * n  # Io body frame
    up = rel / np.linalg.norm(rel)
    east = np.cross([0.0, 0.0, 1.0], up)
    east /= np.linalg.norm(east)
    north = np.cross(up, east)
    p = np.radians(psi)
    vrel = speed * (np.cos(p) * east + np.sin(p) * north)
    io_p = field.positions(t_ca)[0]
    io_v = field.velocities(t_ca)[0]
    return io_p + rot @ rel, io_v + rot @ vrel


@dataclass(frozen=True)
class Arc:
    """An integrated arc: dense solutions backward and forward from the CA epoch."""

    flyby: Flyby
    t_ca: float
    start: float
    end: float
    backward: Any
    forward: Any
    field: MoonField

    def state(self, et: ArrayLike) -> tuple[F64, F64]:
        """Position (km) and velocity (km/s), jovicentric J2000; ``et`` inside [start, end]."""
        e = np.asarray(et, dtype=np.float64)
        flat = np.atleast_1d(e).ravel()
        out = np.empty((flat.size, 6))
        before = flat < self.t_ca
        if before.any():
            out[before] = self.backward(flat[before]).T
        if (~before).any():
            out[~before] = self.forward(flat[~before]).T
        out = out.reshape(*e.shape, 6)
        return out[..., :3], out[..., 3:]


def propagate(y0: F64, t0: float, t1: float, field: MoonField, pole: F64, rtol: float = RTOL) -> Any:
    """Integrate the state ``y0`` (km, km/s) from ``t0`` to ``t1`` in the field of :func:`acceleration`;
    the dense DOP853 solution (``sol(et)`` → (6, …) states)."""

    def rhs(t: float, y: F64) -> F64:
        return np.concatenate([y[3:], acceleration(y[:3], field.positions(t), field.gm, pole)])

    sol = solve_ivp(rhs, (t0, t1), y0, method="DOP853", rtol=rtol, atol=ATOL_KM, dense_output=True)
    if not sol.success:  # pragma: no cover - the fixed parameters integrate
        raise RuntimeError(f"integration of Juno's trajectory failed: {sol.message}")
    return sol.sol


def integrate(flyby: Flyby, params: ArrayLike | None = None, rtol: float = RTOL,
              span: tuple[float, float] | None = None) -> Arc:
    """Integrate the flyby's arc from its CA state over its window (or ``span``)."""
    start, end = span if span is not None else window_et(flyby)
    t_ca = _et(flyby.ca_utc)
    field = MoonField(start - 2 * EDGE_MARGIN_S, end + 2 * EDGE_MARGIN_S)
    pole = pole_j2000("jupiter", t_ca)
    y0 = np.concatenate(ca_state(flyby, flyby.params if params is None else params, field))
    sols = [propagate(y0, t_ca, t_end, field, pole, rtol)
            for t_end in (start - EDGE_MARGIN_S, end + EDGE_MARGIN_S)]
    return Arc(flyby, t_ca, start, end, sols[0], sols[1], field)


@dataclass(frozen=True)
class Orbit:
    """A flyby's whole coverage: its window's :class:`Arc`, continued before and after the window by
    dense solutions that start from the arc's state at the window's edges (None: not continued)."""

    arc: Arc
    start: float
    end: float
    before: Any | None
    after: Any | None

    def state(self, et: ArrayLike) -> tuple[F64, F64]:
        """Position (km) and velocity (km/s), jovicentric J2000; ``et`` inside [start, end]. Inside
        the window the values are the arc's own, bit for bit."""
        e = np.asarray(et, dtype=np.float64)
        flat = np.atleast_1d(e).ravel()
        out = np.empty((flat.size, 6))
        early, late = flat < self.arc.start, flat > self.arc.end
        inside = ~(early | late)
        if inside.any():
            out[inside] = np.concatenate(self.arc.state(flat[inside]), axis=-1)
        for mask, sol in ((early, self.before), (late, self.after)):
            if mask.any():
                if sol is None:
                    raise ValueError("time outside the flyby's coverage")
                out[mask] = sol(flat[mask]).T
        out = out.reshape(*e.shape, 6)
        return out[..., :3], out[..., 3:]


def extend(a: Arc, span: tuple[float, float], rtol: float = RTOL) -> Orbit:
    """Continue the arc ``a`` outward from its window's edges to cover ``span`` (TDB seconds), in the
    same field, with the moons splined on the coarser orbit grid."""
    start, end = min(span[0], a.start), max(span[1], a.end)
    pole = pole_j2000("jupiter", a.t_ca)
    pieces: list[Any | None] = []
    for edge, far in ((a.start, start - EDGE_MARGIN_S), (a.end, end + EDGE_MARGIN_S)):
        if abs(far - edge) <= EDGE_MARGIN_S:
            pieces.append(None)
            continue
        lo, hi = min(edge, far), max(edge, far)
        field = MoonField(lo - EDGE_MARGIN_S, hi + EDGE_MARGIN_S, ORBIT_MOON_SPLINE_STEP_S)
        pieces.append(propagate(np.concatenate(a.state(edge)), edge, far, field, pole, rtol))
    return Orbit(a, start, end, pieces[0], pieces[1])


@cache
def arc(name: str) -> Arc:
    """The integrated arc of a flyby with its fitted parameters (integrated once, on first use)."""
    return integrate(FLYBYS[name])


@cache
def orbit(name: str) -> Orbit:
    """The flyby's whole coverage (:func:`span_et`): its arc, continued over its orbit where it has
    one (integrated once, on first use)."""
    return extend(arc(name), span_et(FLYBYS[name]))


# --- derived quantities (used by the fit and the tests) ------------------------------------------

def system_period_d(r: F64, v: F64, moons: F64, moon_v: F64, pole: F64) -> float:
    """Osculating Keplerian period (days) about the Jupiter-system barycentre with the system's
    total GM, the energy including Jupiter's J2 potential — the proxy for a PJ-to-PJ period used by
    the fit (docs/trajectory.md)."""
    gm = np.array([m.gm_km3_s2 for m in MOONS])
    mu = JUPITER.gm_km3_s2 + gm.sum()
    rb = r - (gm[:, None] * moons).sum(0) / mu
    vb = v - (gm[:, None] * moon_v).sum(0) / mu
    rn = float(np.linalg.norm(rb))
    p2 = 1.5 * (float(rb @ pole) / rn) ** 2 - 0.5
    energy = (0.5 * float(vb @ vb) - mu / rn
              + JUPITER.gm_km3_s2 * JUPITER_J2 * JUPITER_J2_RADIUS_KM**2 * p2 / rn**3)
    if energy >= 0.0:  # unbound (only ever for a fit's trial parameters)
        return float("inf")
    a = -mu / (2.0 * energy)
    return float(2.0 * np.pi * np.sqrt(a**3 / mu) / 86400.0)


def periods(a: Arc) -> tuple[float, float]:
    """The period proxy before (at the window start) and after (at the window end) the flyby."""
    out = []
    pole = pole_j2000("jupiter", a.t_ca)
    for t in (a.start, a.end):
        r, v = a.state(t)
        out.append(system_period_d(r, v, a.field.positions(t), a.field.velocities(t), pole))
    return out[0], out[1]


def perijove_et(a: Arc) -> float:
    """Time of minimum jovicentric distance in the window (root of r·v by bisection on a grid)."""
    from scipy.optimize import brentq

    grid = np.arange(a.t_ca, a.end, 60.0)
    r, v = a.state(grid)
    rv = np.sum(r * v, axis=-1)
    i = int(np.argmax((rv[:-1] < 0.0) & (rv[1:] >= 0.0)))

    def f(t: float) -> float:
        p, w = a.state(t)
        return float(p @ w)

    return float(brentq(f, grid[i], grid[i + 1], xtol=1e-6))


def apsides(state: Any, t0: float, t1: float, step: float = 600.0) -> list[tuple[str, float, float]]:
    """Perijoves and apojoves of a trajectory (anything with ``state(et)`` → (position, velocity),
    jovicentric) between ``t0`` and ``t1``: roots of r·v (− → + a perijove, + → − an apojove)
    bracketed on a ``step`` grid, then Brent's method to 1 ms. Returns (kind, et, distance km)."""
    from scipy.optimize import brentq

    n = max(int(np.ceil((t1 - t0) / step)), 1)
    offsets = np.linspace(0.0, t1 - t0, n + 1)  # offsets keep brentq's tolerance absolute

    def rv(s: ArrayLike) -> F64:
        p, v = state.state(t0 + np.asarray(s, dtype=np.float64))
        return np.asarray(np.sum(p * v, axis=-1), dtype=np.float64)

    f = rv(offsets)
    out = []
    for i in np.flatnonzero(np.sign(f[:-1]) != np.sign(f[1:])):
        s = brentq(lambda x: float(rv(x)), offsets[i], offsets[i + 1], xtol=1e-3)
        kind = "perijove" if f[i] < 0.0 else "apojove"
        out.append((kind, t0 + s, float(np.linalg.norm(state.state(t0 + s)[0]))))
    return out


def io_relative(a: Arc, et: ArrayLike) -> tuple[F64, F64]:
    """Juno relative to Io (position in Io's body frame, km; velocity J2000 km/s)."""
    e = np.asarray(et, dtype=np.float64)
    r, v = a.state(e)
    io_p = a.field.positions(e)[..., 0, :]
    io_v = a.field.velocities(e)[..., 0, :]
    rot = body_to_j2000("io", e)
    rel = np.einsum("...ji,...j->...i", rot, r - io_p)
    return rel, v - io_v


# --- the provider used by World ------------------------------------------------------------------

def spin_axes(juno_pos: F64, earth_pos: F64) -> tuple[F64, F64, F64]:
    """(Z, X₀, Y₀): the spin axis toward the Earth and the reference axes of spin phase 0."""
    z = np.asarray(earth_pos - juno_pos, dtype=np.float64)
    z = z / np.linalg.norm(z, axis=-1, keepdims=True)
    x0 = np.cross(z, [0.0, 0.0, 1.0])
    x0 = x0 / np.linalg.norm(x0, axis=-1, keepdims=True)
    y0 = np.cross(z, x0)
    return z, x0, y0


def attitude(juno_pos: ArrayLike, earth_pos: ArrayLike, spin_phase_rad: ArrayLike) -> F64:
    """Spacecraft → J2000 matrices (columns: X, Y, Z in J2000) for the given spin phases."""
    z, x0, y0 = spin_axes(np.asarray(juno_pos, dtype=np.float64),
                          np.asarray(earth_pos, dtype=np.float64))
    c = np.cos(np.asarray(spin_phase_rad, dtype=np.float64))[..., None]
    s = np.sin(np.asarray(spin_phase_rad, dtype=np.float64))[..., None]
    x = c * x0 + s * y0
    y = np.cross(z, x)
    return np.stack([x, y, z], axis=-1)


def spin_phase_of(rotation: ArrayLike) -> F64:
    """The spin phase (radians in [0, 2π)) of spacecraft → J2000 matrices, measured from the
    reference axis X₀ built on the matrices' own +Z (so it also reads SPICE attitudes)."""
    m = np.asarray(rotation, dtype=np.float64)
    z, x = m[..., :, 2], m[..., :, 0]
    x0 = np.cross(z, [0.0, 0.0, 1.0])
    x0 = x0 / np.linalg.norm(x0, axis=-1, keepdims=True)
    y0 = np.cross(z, x0)
    phi = np.arctan2(np.sum(x * y0, axis=-1), np.sum(x * x0, axis=-1))
    return np.asarray(np.mod(phi, 2.0 * np.pi), dtype=np.float64)


def spin_phase_rad(flyby: Flyby, et: ArrayLike) -> F64:
    """The spin phase φ (radians in [0, 2π)) at ``et`` (see the module doc)."""
    e = np.asarray(et, dtype=np.float64)
    deg = flyby.spin_phase0_deg + SPIN_RATE_DEG_S * (e - _et(flyby.ca_utc))
    return np.asarray(np.radians(np.mod(deg, 360.0)), dtype=np.float64)


def flyby_at(et: ArrayLike) -> list[Flyby | None]:
    """The flyby whose coverage (:func:`span_et`: its orbit or its window) holds each ``et`` (None
    outside every coverage)."""
    e = np.atleast_1d(np.asarray(et, dtype=np.float64))
    out: list[Flyby | None] = [None] * e.size
    for f in FLYBYS.values():
        lo, hi = span_et(f)
        for i in np.flatnonzero((e >= lo) & (e <= hi)):
            out[int(i)] = f
    return out


class JunoSource(Protocol):
    """Where :class:`viewer.sim.world.World` gets Juno from (embedded trajectories or SPICE)."""

    name: str

    def covers(self, et: float) -> bool:
        """Whether Juno's state is available at ``et``."""
        ...

    def coverage(self) -> list[tuple[float, float]]:
        """The spans (TDB seconds past J2000, inclusive, in time order) where Juno is available."""
        ...

    def coverage_text(self) -> str:
        """The coverage, in words, for messages."""
        ...

    def state(self, et: ArrayLike) -> tuple[F64, F64]:
        """Jovicentric J2000 position (km) and velocity (km/s)."""
        ...

    def orientation(self, et: ArrayLike, earth_pos: ArrayLike | None = None) -> F64:
        """Spacecraft → J2000 rotation matrices."""
        ...

    def spin_phase(self, et: ArrayLike) -> F64:
        """Spin phase, radians in [0, 2π) (see the module doc)."""
        ...


class EmbeddedJuno:
    """Juno from the embedded trajectories (the default Juno source of :class:`World`)."""

    name = "embedded I57/I58 trajectories (docs/trajectory.md)"

    def coverage(self) -> list[tuple[float, float]]:
        return coverage()

    def coverage_text(self) -> str:
        return coverage_text()

    def covers(self, et: float) -> bool:
        return flyby_at(et)[0] is not None

    def _flyby(self, et: ArrayLike) -> Flyby:
        found = flyby_at(et)
        first = found[0]
        if first is None or any(f is not first for f in found):
            raise UserError("Juno's embedded trajectory covers only " + coverage_text()
                            + "; pick times inside one span (or give SPICE kernels with --kernels)")
        return first

    def _trajectory(self, flyby: Flyby, et: ArrayLike) -> Arc | Orbit:
        """The window's arc when every ``et`` is inside the window (the orbit's extensions are
        integrated only when a time outside it is asked for), else the whole orbit."""
        e = np.asarray(et, dtype=np.float64)
        lo, hi = window_et(flyby)
        return arc(flyby.name) if bool(np.all((e >= lo) & (e <= hi))) else orbit(flyby.name)

    def state(self, et: ArrayLike) -> tuple[F64, F64]:
        """Juno's jovicentric J2000 position (km) and velocity (km/s); all ``et`` in one span."""
        return self._trajectory(self._flyby(et), et).state(et)

    def spin_phase(self, et: ArrayLike) -> F64:
        return spin_phase_rad(self._flyby(et), et)

    def orientation(self, et: ArrayLike, earth_pos: ArrayLike | None = None) -> F64:
        """Spacecraft → J2000 matrices at ``et`` (Earth's position from the embedded ephemeris
        unless given)."""
        flyby = self._flyby(et)
        if earth_pos is None:
            from viewer.sim.ephemeris import AnalyticEphemeris

            earth_pos = AnalyticEphemeris().state("earth", et)[0]
        return attitude(self._trajectory(flyby, et).state(et)[0], earth_pos, spin_phase_rad(flyby, et))


__all__ = ["FLYBYS", "JUNOCAM_BORESIGHT", "JUNOCAM_IFOV_RAD", "Arc", "EmbeddedJuno", "Flyby",
           "JunoSource", "Orbit", "apsides", "arc", "attitude", "coverage", "coverage_text", "extend",
           "integrate", "orbit", "span_et", "window_et"]
