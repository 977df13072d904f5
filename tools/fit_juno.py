"""Fit the embedded I57/I58 trajectories' free parameters to the published constraints (run once).

    .venv/bin/python tools/fit_juno.py > tools/fit_juno_output.txt

Method (docs/trajectory.md): for trial CA parameters (normal latitude/west longitude of Io's
ellipsoid under Juno at CA, relative speed, direction ψ of the relative velocity), integrate the
arc with :func:`viewer.sim.juno.integrate` and compare with the published figures, weighted by σ:

* perijove time (σ 10 s) — docs/sources.md §1d;
* the period proxy (osculating barycentric period) at the window start and end against the PJ-to-PJ
  periods (σ 0.02 d) — docs/sources.md §1d;
* I57 only: the planned geometry of JNCE_2023364_57C00015 (34.201° N, 326.678° W, 10,220.632 km;
  docs/sources.md §1b) at a free image time 300–480 s after CA (σ 0.1° and 10 km);
* I58 only: its pre-flyby orbit plane equals I57's post-flyby plane (σ 0.2° per component), the
  physical closure of the freedom the I58 figures leave (J2 turns the plane by ≪ 1° per orbit of a
  near-polar orbit).

CA time and altitude are exact by construction. Prints the parameters to paste into
viewer/sim/juno.py and every residual.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from viewer.sim import juno
from viewer.sim.constants import IO
from viewer.sim.frames import altitude, lat_wlon

IMAGE = (34.201, 326.678, 10220.632)  # docs/sources.md §1b
FIT_RTOL = 1e-10
#: σ of each residual: perijove time (s), periods (d), image lat/lon (deg), image altitude (km),
#: I58 plane components (rad).
SIGMA = {"pj": 10.0, "period": 0.05, "angle": 0.1, "alt": 20.0, "plane": float(np.radians(0.2))}


def image_residuals(a: juno.Arc, t_img: float) -> tuple[float, float, float]:
    rel, _ = juno.io_relative(a, a.t_ca + t_img)
    lat, wlon = (np.degrees(x) for x in lat_wlon(rel))
    dlon = (float(wlon) - IMAGE[1] + 180.0) % 360.0 - 180.0
    return (float(lat) - IMAGE[0], dlon * np.cos(np.radians(IMAGE[0])),
            float(altitude(rel, IO.radii_km)) - IMAGE[2])


def plane(a: juno.Arc, t: float) -> np.ndarray:
    r, v = a.state(t)
    h = np.cross(r, v)
    return h / np.linalg.norm(h)


def residuals(flyby: juno.Flyby, x: np.ndarray, ref_plane: np.ndarray | None) -> np.ndarray:
    a = juno.integrate(flyby, x[:4], rtol=FIT_RTOL)
    p0, p1 = juno.periods(a)
    try:
        pj = juno.perijove_et(a) - juno._et(flyby.perijove_utc)
    except ValueError:
        pj = 1e5
    out = [pj / SIGMA["pj"], (p0 - flyby.period_before_d) / SIGMA["period"],
           (p1 - flyby.period_after_d) / SIGMA["period"]]
    if flyby.name == "i57":
        dlat, dlon, dalt = image_residuals(a, x[4])
        out += [dlat / SIGMA["angle"], dlon / SIGMA["angle"], dalt / SIGMA["alt"]]
    if ref_plane is not None:
        h = plane(a, a.start)
        e1 = np.cross(ref_plane, [0.0, 0.0, 1.0])
        e1 /= np.linalg.norm(e1)
        e2 = np.cross(ref_plane, e1)
        out += [float(h @ e1) / SIGMA["plane"], float(h @ e2) / SIGMA["plane"]]
    return np.array(out)


def spin_phase0(flyby: juno.Flyby, a: juno.Arc) -> float:
    """φ₀ that puts JunoCam's boresight (−X) nearest Io's centre at CA."""
    from viewer.sim.ephemeris import AnalyticEphemeris

    r, _ = a.state(a.t_ca)
    earth = AnalyticEphemeris().state("earth", a.t_ca)[0]
    io = a.field.positions(a.t_ca)[0]
    _, x0, y0 = juno.spin_axes(r, earth)
    d = io - r
    # −X = −(cos φ X₀ + sin φ Y₀) ∥ d's projection → φ = atan2(−d·Y₀, −d·X₀)
    return float(np.degrees(np.arctan2(-(d @ y0), -(d @ x0))) % 360.0)


def report(flyby: juno.Flyby, ref_plane: np.ndarray | None) -> None:
    from scipy.optimize import minimize_scalar

    a = juno.integrate(flyby)
    p0, p1 = juno.periods(a)
    pj = juno.perijove_et(a)
    rp, vp = a.state(pj)
    print(f"== {flyby.name} with the stored parameters {flyby.params}, phi0 {flyby.spin_phase0_deg}")
    # Offsets from CA: the bounded method's relative tolerance would be ~10 s on raw et values.
    rng = minimize_scalar(lambda s: float(np.linalg.norm(juno.io_relative(a, a.t_ca + s)[0])),
                          bounds=(-60, 60), method="bounded", options={"xatol": 1e-5})
    alt = minimize_scalar(lambda s: float(altitude(juno.io_relative(a, a.t_ca + s)[0], IO.radii_km)),
                          bounds=(-60, 60), method="bounded", options={"xatol": 1e-5})
    rel, vrel = juno.io_relative(a, a.t_ca)
    print(f"CA (min range) − published: {rng.x:+.4f} s; range {rng.fun:.3f} km")
    print(f"min altitude {alt.fun:.3f} km at CA {alt.x:+.3f} s; altitude at CA "
          f"{float(altitude(rel, IO.radii_km)):.3f} km")
    la, lo = (float(np.degrees(v)) for v in lat_wlon(rel))
    print(f"sub-spacecraft point at CA: {la:.3f}°, {lo:.3f}° W")
    from viewer.sim.frames import body_to_j2000
    vb = body_to_j2000("io", a.t_ca).T @ vrel
    print(f"v_rel at CA {np.linalg.norm(vrel):.4f} km/s; Io body frame components "
          f"(+x→Jupiter, +y→trailing, +z→north) {np.round(vb, 4).tolist()}")
    print(f"perijove − published: {pj - juno._et(flyby.perijove_utc):+.3f} s; r_p {np.linalg.norm(rp):.1f}"
          f" km; speed {np.linalg.norm(vp):.3f} km/s")
    from viewer.sim.frames import body_to_j2000 as b2j
    rpb = b2j("jupiter", pj).T @ rp
    print(f"perijove planetocentric latitude {np.degrees(np.arcsin(rpb[2] / np.linalg.norm(rpb))):.2f}°")
    h = plane(a, a.start)
    pole = b2j("jupiter", a.t_ca)[:, 2]
    print(f"inclination to Jupiter's equator (pre) {np.degrees(np.arccos(h @ pole)):.3f}°; "
          f"(post) {np.degrees(np.arccos(plane(a, a.end) @ pole)):.3f}°")
    print(f"period proxy before {p0:.5f} d (published {flyby.period_before_d}; "
          f"{(p0 - flyby.period_before_d) * 1440:+.1f} min), after {p1:.5f} d (published "
          f"{flyby.period_after_d}; {(p1 - flyby.period_after_d) * 1440:+.1f} min)")
    if ref_plane is not None:
        print(f"plane change since I57's post-flyby plane {np.degrees(np.arccos(h @ ref_plane)):.4f}°")
    if flyby.name == "i57":
        res = minimize_scalar(lambda t: float(np.hypot(*image_residuals(a, t)[:2])),
                              bounds=(300, 480), method="bounded")
        dlat, dlon, dalt = image_residuals(a, res.x)
        print(f"JNCE_2023364_57C00015: best match {res.x:.2f} s after CA: Δlat {dlat:+.4f}°, "
              f"Δlon·cos(lat) {dlon:+.4f}°, Δalt {dalt:+.2f} km ({dalt / IMAGE[2]:+.3%})")


def main() -> None:
    refit = "--report" not in sys.argv
    ref_plane = None
    # Starting points: I57 from a first fit without the post-flyby period (a fit from a cruder start
    # stalled in a local minimum with residuals of hundreds of σ); I58 from several, best kept.
    starts = {"i57": [[63.69, 94.47, 30.10, 47.87, 385.0]],
              "i58": [[63.75, 94.66, 30.09, 48.02], [70.45, 124.6, 29.98, 75.5], [60.0, 60.0, 30.0, 30.0]]}
    for name in ("i57", "i58"):
        flyby = juno.FLYBYS[name]
        if refit:
            lb = [-89.0, -360.0, 15.0, -360.0] + ([300.0] if name == "i57" else [])
            ub = [89.0, 720.0, 40.0, 360.0] + ([480.0] if name == "i57" else [])
            fits = [least_squares(lambda x, f=flyby, rp=ref_plane: residuals(f, x, rp), x0, bounds=(lb, ub),
                                  x_scale=[1.0, 1.0, 0.1, 1.0] + ([10.0] if name == "i57" else []),
                                  diff_step=1e-6, xtol=1e-12, ftol=1e-12) for x0 in starts[name]]
            for x0, f in zip(starts[name], fits, strict=True):
                print(f"{name}: start {x0} → cost {f.cost:.4g}")
            fit = min(fits, key=lambda f: f.cost)
            print(f"{name}: least_squares {fit.message} nfev {fit.nfev}; cost {fit.cost:.4g}")
            print(f"{name}: x = {fit.x.tolist()}; weighted residuals {np.round(fit.fun, 4).tolist()}")
            lat, wlon, v, psi = fit.x[:4]
            flyby = replace(flyby, ca_normal_lat_deg=float(lat), ca_normal_wlon_deg=float(wlon) % 360.0,
                            v_rel_km_s=float(v), psi_deg=float(psi) % 360.0)
            flyby = replace(flyby, spin_phase0_deg=spin_phase0(flyby, juno.integrate(flyby)))
            juno.FLYBYS[name] = flyby
            print(f"{name}: PASTE ca_normal_lat_deg={flyby.ca_normal_lat_deg!r}, "
                  f"ca_normal_wlon_deg={flyby.ca_normal_wlon_deg!r}, v_rel_km_s={flyby.v_rel_km_s!r}, "
                  f"psi_deg={flyby.psi_deg!r}, spin_phase0_deg={flyby.spin_phase0_deg!r}")
        report(flyby, ref_plane)
        a = juno.integrate(flyby)
        ref_plane = plane(a, a.end)


if __name__ == "__main__":
    main()
