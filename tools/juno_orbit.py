"""Measure the embedded whole PJ57 orbit (juno.orbit("i57")) away from the fitted points (run once).

    .venv/bin/python tools/juno_orbit.py > tools/juno_orbit_output.txt

Nothing here is refitted: the I57 arc's fitted parameters (tools/fit_juno.py) are continued over the
orbit by viewer.sim.juno.extend. This prints (docs/trajectory.md, "The whole PJ57 orbit"):

1. the apsides inside the coverage (the apojoves fix ``orbit_utc``) against docs/sources.md §2b's two-body
   apojove distances;
2. the orbit propagated past the coverage, in the same field, back to PJ56 and on to PJ58, against
   the published perijove times (docs/sources.md §1d), and against the separately fitted I58 arc;
3. numerical error: the tolerance loosened 100×, and the moons splined on 60 s instead of 600 s;
4. the Sun's tide, left out of the model: how far it would move Juno;
5. the fit's formal 1σ (covariance from the Jacobian of tools/fit_juno.py's weighted residuals),
   propagated linearly (central differences) to Juno's position and the PJ56/PJ58 times.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.optimize import brentq, minimize_scalar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_juno import residuals

from viewer.sim import juno
from viewer.sim.constants import JUPITER, MOONS
from viewer.sim.ephemeris import AnalyticEphemeris
from viewer.sim.frames import pole_j2000
from viewer.sim.timescales import et_to_utc, utc_to_et

DAY = 86400.0
#: Published perijove times (docs/sources.md §1d).
PJ56, PJ58 = utc_to_et("2023-11-22T12:17:18.437"), utc_to_et("2024-02-03T21:47:29.385")
#: docs/sources.md §2b (DERIVED, two-body): apojove ≈ 90 R_J for the 38.01 d orbit, ≈ 85.9 R_J (6.14×10⁶ km)
#: for the 35.38 d one.
APOJOVE_TWO_BODY_KM = (90.0 * JUPITER.radii_km[0], 6.14e6)
#: The Sun's GM, km³/s²: IAU 2015 Resolution B3 nominal solar mass parameter 1.3271244×10²⁰ m³/s².
GM_SUN = 1.3271244e11
#: Propagated span for the PJ56/PJ58 checks: 40 days either side of the I57 window.
FAR_S = 40.0 * DAY


def utc(et: float) -> str:
    return str(et_to_utc(et))[:23]


def far_orbit(flyby: juno.Flyby, rtol: float = juno.RTOL) -> juno.Orbit:
    """The flyby's arc continued 40 days either side of its window (past PJ56 and PJ58)."""
    a = juno.integrate(flyby, rtol=rtol)
    return juno.extend(a, (a.start - FAR_S, a.end + FAR_S), rtol=rtol)


def perijove_near(o: juno.Orbit, et: float) -> float:
    """The perijove of ``o`` within 2 days of ``et``."""
    found = [t for k, t, _ in juno.apsides(o, et - 2 * DAY, et + 2 * DAY) if k == "perijove"]
    if len(found) != 1:
        raise RuntimeError(f"expected one perijove near {utc(et)}, found {len(found)}")
    return found[0]


def with_sun(o: juno.Orbit, t: float, beyond: float = 0.0) -> Any:
    """The dense solution from the window edge nearest ``t`` to ``beyond`` seconds past ``t``, with
    the Sun's tide added (Sun position from the embedded ephemeris, splined daily)."""
    a = o.arc
    edge = a.start if t < a.start else a.end
    t = t + beyond * np.sign(t - edge)
    lo, hi = min(edge, t) - 2 * DAY, max(edge, t) + 2 * DAY
    grid = np.arange(lo, hi + DAY, DAY)
    sun = CubicSpline(grid, AnalyticEphemeris().state("sun", grid)[0])
    field = juno.MoonField(lo, hi, juno.ORBIT_MOON_SPLINE_STEP_S)
    pole = pole_j2000("jupiter", a.t_ca)

    def rhs(tt: float, y: np.ndarray) -> np.ndarray:
        acc = juno.acceleration(y[:3], field.positions(tt), field.gm, pole)
        s = sun(tt)
        d = s - y[:3]
        acc = acc + GM_SUN * (d / np.linalg.norm(d) ** 3 - s / np.linalg.norm(s) ** 3)
        return np.concatenate([y[3:], acc])

    from scipy.integrate import solve_ivp

    sol = solve_ivp(rhs, (edge, t), np.concatenate(a.state(edge)), method="DOP853", rtol=juno.RTOL,
                    atol=juno.ATOL_KM, dense_output=True)
    return sol.sol


def section_apsides(o: juno.Orbit) -> None:
    print("== 1. Apsides inside the coverage", juno.span_utc(o.arc.flyby))
    apo = []
    for kind, t, r in juno.apsides(o, o.start, o.end):
        print(f"{kind:9s} {utc(t)} UTC  r {r:12.1f} km = {r / JUPITER.radii_km[0]:6.2f} R_J  "
              f"(CA {(t - o.arc.t_ca) / DAY:+8.3f} d)")
        if kind == "apojove":
            apo.append(r)
    for r, ref in zip(apo, APOJOVE_TWO_BODY_KM, strict=True):
        print(f"apojove {r:.4g} km vs docs/sources.md §2b two-body {ref:.4g} km: {(r / ref - 1):+.2%}")


def section_far(o: juno.Orbit) -> None:
    print("\n== 2. Propagated past the coverage (same field, nothing refitted)")
    t56, t57, t58 = perijove_near(o, PJ56), juno.perijove_et(o.arc), perijove_near(o, PJ58)
    for name, t, pub in (("PJ56", t56, PJ56), ("PJ58", t58, PJ58)):
        print(f"{name}: model {utc(t)} UTC, published {utc(pub)}: {(t - pub) / 60:+.1f} min; "
              f"r_p {np.linalg.norm(o.state(t)[0]):.0f} km")
    pj57 = utc_to_et(o.arc.flyby.perijove_utc)
    print(f"PJ56→PJ57 {(t57 - t56) / DAY:.4f} d (published {(pj57 - PJ56) / DAY:.4f}); "
          f"PJ57→PJ58 {(t58 - t57) / DAY:.4f} d (published {(PJ58 - pj57) / DAY:.4f})")
    b = juno.arc("i58")
    for label, t in (("I58 window start", b.start), ("I58 CA", b.t_ca), ("PJ58 (published)", PJ58)):
        p, v = o.state(t)
        q, w = b.state(t)
        print(f"I57 orbit − fitted I58 arc at {label} ({utc(t)}): |Δr| {np.linalg.norm(p - q):9.0f} km, "
              f"|Δv| {np.linalg.norm(v - w):.3f} km/s")
    grid = np.arange(o.start, o.end, 60.0)
    grid = grid[(grid < o.arc.start) | (grid > o.arc.end)]
    d = np.linalg.norm(AnalyticEphemeris().moons(grid) - o.state(grid)[0], axis=-1)  # (4, N)
    for m, row in zip(MOONS, d, strict=True):
        before, after = grid < o.arc.start, grid > o.arc.end
        print(f"nearest {m.name} outside the I57 window (60 s grid): before {row[before].min():9.0f} km "
              f"at {utc(grid[before][row[before].argmin()])}, after {row[after].min():9.0f} km at "
              f"{utc(grid[after][row[after].argmin()])}")
    t_io = grid[grid > o.arc.end][d[0][grid > o.arc.end].argmin()]

    def io_range(t: float) -> float:
        return float(np.linalg.norm(AnalyticEphemeris().moons(t)[0] - o.state(t)[0]))

    ca = minimize_scalar(io_range, bounds=(t_io - 120.0, t_io + 120.0), method="bounded",
                         options={"xatol": 1e-3})
    print(f"the propagated orbit meets Io before PJ58: closest {ca.fun:.0f} km from Io's centre at "
          f"{utc(ca.x)} UTC (I58 published: ≈3,320 km at {juno.FLYBYS['i58'].ca_utc}, "
          f"{(ca.x - b.t_ca) / 60:+.1f} min)")
    h1 = np.cross(*o.state(b.start))
    h2 = np.cross(*b.state(b.start))
    ang = np.degrees(np.arccos(h1 @ h2 / np.linalg.norm(h1) / np.linalg.norm(h2)))
    print(f"orbit planes at the I58 window start: {ang:.3f}° apart")


def section_numerics(o: juno.Orbit, t: np.ndarray) -> None:
    print("\n== 3. Numerical error over the coverage (max |Δr|)")
    loose = juno.extend(juno.integrate(o.arc.flyby, rtol=juno.RTOL * 100.0), (o.start, o.end),
                        rtol=juno.RTOL * 100.0)
    dr = np.linalg.norm(loose.state(t)[0] - o.state(t)[0], axis=-1)
    print(f"rtol 1e-12 → 1e-10: {np.max(dr) * 1e3:.1f} m")
    step = juno.ORBIT_MOON_SPLINE_STEP_S
    juno.ORBIT_MOON_SPLINE_STEP_S = juno.MOON_SPLINE_STEP_S
    try:
        fine = juno.extend(o.arc, (o.start, o.end))
    finally:
        juno.ORBIT_MOON_SPLINE_STEP_S = step
    print(f"moons splined on 60 s instead of {step:.0f} s: "
          f"{np.max(np.linalg.norm(fine.state(t)[0] - o.state(t)[0], axis=-1)) * 1e3:.2f} m")


def section_sun(o: juno.Orbit) -> None:
    print("\n== 4. The Sun's tide (left out of the model): Juno moved by")
    for t in (o.start, o.start + 4 * DAY, o.arc.start - 5 * DAY, o.arc.end + 5 * DAY, o.end - 4 * DAY,
              o.end):
        dr = np.linalg.norm(with_sun(o, t)(t)[:3] - o.state(t)[0])
        print(f"  {utc(t)} (CA {(t - o.arc.t_ca) / DAY:+6.1f} d): |Δr| {dr:7.0f} km")
    far = far_orbit(o.arc.flyby)
    for name, pub in (("PJ56", PJ56), ("PJ58", PJ58)):
        t = perijove_near(far, pub)
        sol = with_sun(far, t, beyond=DAY)

        def rv(x: float, sol: Any = sol) -> float:
            y = sol(x)
            return float(y[:3] @ y[3:])

        ts = brentq(rv, t - 3 * 3600.0, t + 3 * 3600.0, xtol=1e-3)
        print(f"  {name} with the Sun's tide: {utc(ts)} UTC ({(ts - pub) / 60:+.1f} min from published; "
              f"{(ts - t) / 60:+.1f} min from the model's)")


def fit_covariance(flyby: juno.Flyby) -> np.ndarray:
    """Formal covariance of (lat, wlon, v, ψ, t_img) from the Jacobian of the weighted residuals."""
    x0 = np.array([*flyby.params, 385.2366480423114])  # image time: tools/fit_juno_output.txt
    h = np.array([1e-3, 1e-3, 1e-5, 1e-3, 0.1])
    jac = np.empty((len(residuals(flyby, x0, None)), x0.size))
    for i in range(x0.size):
        d = np.zeros_like(x0)
        d[i] = h[i]
        jac[:, i] = (residuals(flyby, x0 + d, None) - residuals(flyby, x0 - d, None)) / (2 * h[i])
    return np.asarray(np.linalg.inv(jac.T @ jac))


def section_sensitivity(o: juno.Orbit) -> None:
    print("\n== 5. The fit's formal 1σ propagated over the orbit (linearised)")
    f = o.arc.flyby
    cov = fit_covariance(f)[:4, :4]
    sig = np.sqrt(np.diag(cov))
    print(f"1σ: normal lat {sig[0]:.3f}°, wlon {sig[1]:.3f}°, v_rel {sig[2]:.4f} km/s, ψ {sig[3]:.3f}°")
    days = np.array([-15, -10, -5, -1, 0, 1, 5, 10, 15])
    t = np.array(sorted({o.start, *(o.arc.t_ca + DAY * days), o.end}))
    h = np.array([1e-3, 1e-3, 1e-5, 1e-3])
    fields = ("ca_normal_lat_deg", "ca_normal_wlon_deg", "v_rel_km_s", "psi_deg")
    dpos = np.empty((t.size, 3, 4))
    dpj = np.empty((2, 4))
    for i, name in enumerate(fields):
        runs = []
        for sgn in (1.0, -1.0):
            g = replace(f, **{name: getattr(f, name) + sgn * h[i]})
            far = far_orbit(g)
            runs.append((far.state(t)[0], [perijove_near(far, p) for p in (PJ56, PJ58)]))
        dpos[:, :, i] = (runs[0][0] - runs[1][0]) / (2 * h[i])
        dpj[:, i] = (np.array(runs[0][1]) - np.array(runs[1][1])) / (2 * h[i])
    for k, tk in enumerate(t):
        s = np.sqrt(np.trace(dpos[k] @ cov @ dpos[k].T))
        pos = o.state(tk)[0]
        r = np.linalg.norm(pos)
        radial = (pos / r) @ dpos[k]
        print(f"  {utc(tk)} (CA {(tk - o.arc.t_ca) / DAY:+6.1f} d): 1σ |Δr| {s:8.0f} km "
              f"({s / r:.2%} of r = {r:.3g} km); in the distance from Jupiter "
              f"{np.sqrt(radial @ cov @ radial):6.0f} km")
    for name, row, note in zip(("PJ56", "PJ58"), dpj, ("", " (after an unfitted Io encounter, whose pull "
                                                       "depends steeply on the miss: not linear)"),
                               strict=True):
        print(f"  {name} time: 1σ {np.sqrt(row @ cov @ row) / 60:.1f} min{note}")


def main() -> None:
    o = juno.orbit("i57")
    t = np.linspace(o.start, o.end, 20001)
    section_apsides(o)
    section_far(far_orbit(o.arc.flyby))
    section_numerics(o, t)
    section_sun(o)
    section_sensitivity(o)


if __name__ == "__main__":
    main()
