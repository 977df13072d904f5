"""The Galilean satellites' orbits: Lieske's E5 theory as given by Meeus (ch. 44, high accuracy).

Source: J. Meeus, *Astronomical Algorithms*, 2nd ed. (Willmann-Bell 1998), chapter 44, "high-accuracy
method", which abridges J. H. Lieske, "Galilean satellite ephemerides E5", A&AS 129, 205–217 (1998).
The coefficients below are Meeus's (as also transcribed in the ``pymeeus`` package,
``JupiterMoons.py``; docs/sources.md §3c). This module evaluates them in vectorised numpy and returns
**geometric** (no light time), **jovicentric** positions in **J2000** equatorial coordinates, km.

Method, as in Meeus: mean longitudes l, perijoves π, nodes ω and the libration, Jupiter and Saturn
angles are linear in t = JDE − 2443000.5 (days, TDB); periodic series give the true longitude L,
the latitude B above Jupiter's equator and the radius vector R (in Jupiter equatorial radii). The
coordinates in Jupiter's equatorial frame are rotated through Jupiter's orbit (inclination of its
equator 3.120262° + 0.0006°·T1900) and the ecliptic of date into ecliptic coordinates of date; we then
rotate by the mean obliquity of date and precess to J2000 with skyfield's IAU 2006 precession.

Meeus evaluates the theory at t − τ (τ = light time to Earth) to give apparent positions. Here the
time argument is the instant itself; :mod:`tests.unit.test_galilean` re-applies the light time to
reproduce Meeus's worked example.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from skyfield.nutationlib import mean_obliquity
from skyfield.precessionlib import compute_precession

from viewer.sim.frames import rot_x, rot_z

F64 = NDArray[np.float64]
Terms = tuple[tuple[float, Callable[[Any], Any]], ...]

J2000_JD = 2451545.0
ARCSEC = np.pi / (180.0 * 3600.0)

#: The theory's unit of distance: Jupiter's equatorial radius as adopted by Lieske's E-series theories,
#: 71,398 km (not the IAU 71,492 km). Meeus's perspective factor 2095 (ch. 44) is 1 AU / 71,398 km.
THEORY_RJ_KM = 71398.0
#: Mean distances of the four satellites, in THEORY_RJ_KM (Meeus ch. 44).
MEAN_DISTANCE_RJ = (5.90569, 9.39657, 14.98832, 26.36273)
MOON_ORDER = ("io", "europa", "ganymede", "callisto")


# --- Periodic terms (Meeus ch. 44): (amplitude, argument in degrees) -------------------------
# Longitudes: Σ amplitude·sin(argument), degrees. Radius vectors: Σ amplitude·cos(argument), fraction.

LON_IO: Terms = (
    (0.47259, lambda a: 2*(a.l1-a.l2)),
    (-0.03478, lambda a: a.p3-a.p4),
    (0.01081, lambda a: a.l2-2*a.l3+a.p3),
    (0.00738, lambda a: a.phl),
    (0.00713, lambda a: a.l2-2*a.l3+a.p2),
    (-0.00674, lambda a: a.p1+a.p3-2*a.PI-2*a.G),
    (0.00666, lambda a: a.l2-2*a.l3+a.p4),
    (0.00445, lambda a: a.l1-a.p3),
    (-0.00354, lambda a: a.l1-a.l2),
    (-0.00317, lambda a: 2*a.psi-2*a.PI),
    (0.00265, lambda a: a.l1-a.p4),
    (-0.00186, lambda a: a.G),
    (0.00162, lambda a: a.p2-a.p3),
    (0.00158, lambda a: 4*(a.l1-a.l2)),
    (-0.00155, lambda a: a.l1-a.l3),
    (-0.00138, lambda a: a.psi+a.w3-2*a.PI-2*a.G),
    (-0.00115, lambda a: 2*(a.l1-2*a.l2+a.w2)),
    (0.00089, lambda a: a.p2-a.p4),
    (0.00085, lambda a: a.l1+a.p3-2*a.PI-2*a.G),
    (0.00083, lambda a: a.w2-a.w3),
    (0.00053, lambda a: a.psi-a.w2),
)

LON_EUROPA: Terms = (
    (1.06476, lambda a: 2*(a.l2-a.l3)),
    (0.04256, lambda a: a.l1-2*a.l2+a.p3),
    (0.03581, lambda a: a.l2-a.p3),
    (0.02395, lambda a: a.l1-2*a.l2+a.p4),
    (0.01984, lambda a: a.l2-a.p4),
    (-0.01778, lambda a: a.phl),
    (0.01654, lambda a: a.l2-a.p2),
    (0.01334, lambda a: a.l2-2*a.l3+a.p2),
    (0.01294, lambda a: a.p3-a.p4),
    (-0.01142, lambda a: a.l2-a.l3),
    (-0.01057, lambda a: a.G),
    (-0.00775, lambda a: 2*(a.psi-a.PI)),
    (0.00524, lambda a: 2*(a.l1-a.l2)),
    (-0.0046, lambda a: a.l1-a.l3),
    (0.00316, lambda a: a.psi-2*a.G+a.w3-2*a.PI),
    (-0.00203, lambda a: a.p1+a.p3-2*a.PI-2*a.G),
    (0.00146, lambda a: a.psi-a.w3),
    (-0.00145, lambda a: 2*a.G),
    (0.00125, lambda a: a.psi-a.w4),
    (-0.00115, lambda a: a.l1-2*a.l3+a.p3),
    (-0.00094, lambda a: 2*(a.l2-a.w2)),
    (0.00086, lambda a: 2*(a.l1-2*a.l2+a.w2)),
    (-0.00086, lambda a: 5*a.G_-2*a.G+52.225),
    (-0.00078, lambda a: a.l2-a.l4),
    (-0.00064, lambda a: 3*a.l3-7*a.l4+4*a.p4),
    (0.00064, lambda a: a.p1-a.p4),
    (-0.00063, lambda a: a.l1-2*a.l3+a.p4),
    (0.00058, lambda a: a.w3-a.w4),
    (0.00056, lambda a: 2*(a.psi-a.PI-a.G)),
    (0.00056, lambda a: 2*(a.l2-a.l4)),
    (0.00055, lambda a: 2*(a.l1-a.l3)),
    (0.00052, lambda a: 3*a.l3-7*a.l4+a.p3+3*a.p4),
    (-0.00043, lambda a: a.l1-a.p3),
    (0.00041, lambda a: 5*(a.l2-a.l3)),
    (0.00041, lambda a: a.p4-a.PI),
    (0.00032, lambda a: a.w2-a.w3),
    (0.00032, lambda a: 2*(a.l3-a.G-a.PI)),
)

LON_GANYMEDE: Terms = (
    (0.1649, lambda a: a.l3-a.p3),
    (0.09081, lambda a: a.l3-a.p4),
    (-0.06907, lambda a: a.l2-a.l3),
    (0.03784, lambda a: a.p3-a.p4),
    (0.01846, lambda a: 2*(a.l3-a.l4)),
    (-0.0134, lambda a: a.G),
    (-0.01014, lambda a: 2*(a.psi-a.PI)),
    (0.00704, lambda a: a.l2-2*a.l3+a.p3),
    (-0.0062, lambda a: a.l2-2*a.l3+a.p2),
    (-0.00541, lambda a: a.l3-a.l4),
    (0.00381, lambda a: a.l2-2*a.l3+a.p4),
    (0.00235, lambda a: a.psi-a.w3),
    (0.00198, lambda a: a.psi-a.w4),
    (0.00176, lambda a: a.phl),
    (0.0013, lambda a: 3*(a.l3-a.l4)),
    (0.00125, lambda a: a.l1-a.l3),
    (-0.00119, lambda a: 5*a.G_-2*a.G+52.225),
    (0.00109, lambda a: a.l1-a.l2),
    (-0.001, lambda a: 3*a.l3-7*a.l4+4*a.p4),
    (0.00091, lambda a: a.w3-a.w4),
    (0.0008, lambda a: 3*a.l3-7*a.l4+a.p3+3*a.p4),
    (-0.00075, lambda a: 2*a.l2-3*a.l3+a.p3),
    (0.00072, lambda a: a.p1+a.p3-2*a.PI-2*a.G),
    (0.00069, lambda a: a.p4-a.PI),
    (-0.00058, lambda a: 2*a.l3-3*a.l4+a.p4),
    (-0.00057, lambda a: a.l3-2*a.l4+a.p4),
    (0.00056, lambda a: a.l3+a.p3-2*a.PI-2*a.G),
    (-0.00052, lambda a: a.l2-2*a.l3+a.p1),
    (-0.0005, lambda a: a.p2-a.p3),
    (0.00048, lambda a: a.l3-2*a.l4+a.p3),
    (-0.00045, lambda a: 2*a.l2-3*a.l3+a.p4),
    (-0.00041, lambda a: a.p2-a.p4),
    (-0.00038, lambda a: 2*a.G),
    (-0.00037, lambda a: a.p3-a.p4+a.w3-a.w4),
    (-0.00032, lambda a: 3*a.l3-7*a.l4+2*a.p3+2*a.p4),
    (0.0003, lambda a: 4*(a.l3-a.l4)),
    (0.00029, lambda a: a.l3+a.p4-2*a.PI-2*a.G),
    (-0.00028, lambda a: a.w3+a.psi-2*a.PI-2*a.G),
    (0.00026, lambda a: a.l3-a.PI-a.G),
    (0.00024, lambda a: a.l2-3*a.l3+2*a.l4),
    (0.00021, lambda a: 2*(a.l3-a.PI-a.G)),
    (-0.00021, lambda a: a.l3-a.p2),
    (0.00017, lambda a: 2*(a.l3-a.p3)),
)

LON_CALLISTO: Terms = (
    (0.84287, lambda a: a.l4-a.p4),
    (0.03431, lambda a: a.p4-a.p3),
    (-0.03305, lambda a: 2*(a.psi-a.PI)),
    (-0.03211, lambda a: a.G),
    (-0.01862, lambda a: a.l4-a.p3),
    (0.01186, lambda a: a.psi-a.w4),
    (0.00623, lambda a: a.l4+a.p4-2*a.G-2*a.PI),
    (0.00387, lambda a: 2*(a.l4-a.p4)),
    (-0.00284, lambda a: 5*a.G_-2*a.G+52.225),
    (-0.00234, lambda a: 2*(a.psi-a.p4)),
    (-0.00223, lambda a: a.l3-a.l4),
    (-0.00208, lambda a: a.l4-a.PI),
    (0.00178, lambda a: a.psi+a.w4-2*a.p4),
    (0.00134, lambda a: a.p4-a.PI),
    (0.00125, lambda a: 2*(a.l4-a.G-a.PI)),
    (-0.00117, lambda a: 2*a.G),
    (-0.00112, lambda a: 2*(a.l3-a.l4)),
    (0.00107, lambda a: 3*a.l3-7*a.l4+4*a.p4),
    (0.00102, lambda a: a.l4-a.G-a.PI),
    (0.00096, lambda a: 2*a.l4-a.psi-a.w4),
    (0.00087, lambda a: 2*(a.psi-a.w4)),
    (-0.00085, lambda a: 3*a.l3-7*a.l4+a.p3+3*a.p4),
    (0.00085, lambda a: a.l3-2*a.l4+a.p4),
    (-0.00081, lambda a: 2*(a.l4-a.psi)),
    (0.00071, lambda a: a.l4+a.p4-2*a.PI-3*a.G),
    (0.00061, lambda a: a.l1-a.l4),
    (-0.00056, lambda a: a.psi-a.w3),
    (-0.00054, lambda a: a.l3-2*a.l4+a.p3),
    (0.00051, lambda a: a.l2-a.l4),
    (0.00042, lambda a: 2*(a.psi-a.G-a.PI)),
    (0.00039, lambda a: 2*(a.p4-a.w4)),
    (0.00036, lambda a: a.psi+a.PI-a.p4-a.w4),
    (0.00035, lambda a: 2*a.G_-a.G+188.37),
    (-0.00035, lambda a: a.l4-a.p4+2*a.PI-2*a.psi),
    (-0.00032, lambda a: a.l4+a.p4-2*a.PI-a.G),
    (0.0003, lambda a: 2*a.G_-2*a.G+149.15),
    (0.00029, lambda a: 3*a.l3-7*a.l4+2*a.p3+2*a.p4),
    (0.00028, lambda a: a.l4-a.p4+2*a.psi-2*a.PI),
    (-0.00028, lambda a: 2*(a.l4-a.w4)),
    (-0.00027, lambda a: a.p3-a.p4+a.w3-a.w4),
    (-0.00026, lambda a: 5*a.G_-3*a.G+188.37),
    (0.00025, lambda a: a.w4-a.w3),
    (-0.00025, lambda a: a.l2-3*a.l3+2*a.l4),
    (-0.00023, lambda a: 3*(a.l3-a.l4)),
    (0.00021, lambda a: 2*a.l4-2*a.PI-3*a.G),
    (-0.00021, lambda a: 2*a.l3-3*a.l4+a.p4),
    (0.00019, lambda a: a.l4-a.p4-a.G),
    (-0.00019, lambda a: 2*a.l4-a.p3-a.p4),
    (-0.00018, lambda a: a.l4-a.p4+a.G),
    (-0.00016, lambda a: a.l4+a.p3-2*a.PI-2*a.G),
)

RAD_IO: Terms = (
    (-0.0041339, lambda a: 2*(a.l1-a.l2)),
    (-3.87e-05, lambda a: a.l1-a.p3),
    (-2.14e-05, lambda a: a.l1-a.p4),
    (1.7e-05, lambda a: a.l1-a.l2),
    (-1.31e-05, lambda a: 4*(a.l1-a.l2)),
    (1.06e-05, lambda a: a.l1-a.l3),
    (-6.6e-06, lambda a: a.l1+a.p3-2*a.PI-2*a.G),
)

RAD_EUROPA: Terms = (
    (0.0093848, lambda a: a.l1-a.l2),
    (-0.0003116, lambda a: a.l2-a.p3),
    (-0.0001744, lambda a: a.l2-a.p4),
    (-0.0001442, lambda a: a.l2-a.p2),
    (5.53e-05, lambda a: a.l2-a.l3),
    (5.23e-05, lambda a: a.l1-a.l3),
    (-2.9e-05, lambda a: 2*(a.l1-a.l2)),
    (1.64e-05, lambda a: 2*(a.l2-a.w2)),
    (1.07e-05, lambda a: a.l1-2*a.l3+a.p3),
    (-1.02e-05, lambda a: a.l2-a.p1),
    (-9.1e-06, lambda a: 2*(a.l1-a.l3)),
)

RAD_GANYMEDE: Terms = (
    (-0.0014388, lambda a: a.l3-a.p3),
    (-0.0007919, lambda a: a.l3-a.p4),
    (0.0006342, lambda a: a.l2-a.l3),
    (-0.0001761, lambda a: 2*(a.l3-a.l4)),
    (2.94e-05, lambda a: a.l3-a.l4),
    (-1.56e-05, lambda a: 3*(a.l3-a.l4)),
    (1.56e-05, lambda a: a.l1-a.l3),
    (-1.53e-05, lambda a: a.l1-a.l2),
    (7e-06, lambda a: 2*a.l2-3*a.l3+a.p3),
    (-5.1e-06, lambda a: a.l3+a.p3-2*a.PI-2*a.G),
)

RAD_CALLISTO: Terms = (
    (-0.0073546, lambda a: a.l4-a.p4),
    (0.0001621, lambda a: a.l4-a.p3),
    (9.74e-05, lambda a: a.l3-a.l4),
    (-5.43e-05, lambda a: a.l4+a.p4-2*a.PI-2*a.G),
    (-2.71e-05, lambda a: 2*(a.l4-a.p4)),
    (1.82e-05, lambda a: a.l4-a.PI),
    (1.77e-05, lambda a: 2*(a.l3-a.l4)),
    (-1.67e-05, lambda a: 2*a.l4-a.psi-a.w4),
    (1.67e-05, lambda a: a.psi-a.w4),
    (-1.55e-05, lambda a: 2*(a.l4-a.PI-a.G)),
    (1.42e-05, lambda a: 2*(a.l4-a.psi)),
    (1.05e-05, lambda a: a.l1-a.l4),
    (9.2e-06, lambda a: a.l2-a.l4),
    (-8.9e-06, lambda a: a.l4-a.PI-a.G),
    (-6.2e-06, lambda a: a.l4+a.p4-2*a.PI-3*a.G),
    (4.8e-06, lambda a: 2*(a.l4-a.w4)),
)


def _sin_sum(terms: Terms, a: SimpleNamespace) -> F64:
    total = np.zeros_like(a.t)
    for coef, arg in terms:
        total = total + coef * np.sin(np.radians(arg(a)))
    return np.asarray(total, dtype=np.float64)


def _cos_sum(terms: Terms, a: SimpleNamespace) -> F64:
    total = np.zeros_like(a.t)
    for coef, arg in terms:
        total = total + coef * np.cos(np.radians(arg(a)))
    return np.asarray(total, dtype=np.float64)


#: The theory's time origin, TDB Julian date (t = JDE − THEORY_EPOCH_JD days).
THEORY_EPOCH_JD = 2443000.5


def _angles(jde: F64, t_days: F64 | None = None) -> SimpleNamespace:
    """The theory's fundamental angles (degrees) at TDB Julian date ``jde``, or at ``t_days`` past
    :data:`THEORY_EPOCH_JD` when given (exact to ~0.2 µs; a float64 JDE only resolves 40 µs, 0.7 m of
    Io's motion)."""
    t = jde - THEORY_EPOCH_JD if t_days is None else t_days
    a = SimpleNamespace(t=t)
    a.l1 = 106.07719 + 203.488955790 * t
    a.l2 = 175.73161 + 101.374724735 * t
    a.l3 = 120.55883 + 50.317609207 * t
    a.l4 = 84.44459 + 21.571071177 * t
    a.p1 = 97.0881 + 0.16138586 * t
    a.p2 = 154.8663 + 0.04726307 * t
    a.p3 = 188.1840 + 0.00712734 * t
    a.p4 = 335.2868 + 0.00184000 * t
    a.w1 = 312.3346 - 0.13279386 * t
    a.w2 = 100.4411 - 0.03263064 * t
    a.w3 = 119.1942 - 0.00717703 * t
    a.w4 = 322.6186 - 0.00175934 * t
    # Principal inequality in Jupiter's longitude.
    gamma = (0.33033 * np.sin(np.radians(163.679 + 0.0010512 * t))
             + 0.03439 * np.sin(np.radians(34.486 - 0.0161731 * t)))
    a.phl = 199.6766 + 0.17379190 * t          # libration
    a.psi = 316.5182 - 0.00000208 * t          # node of Jupiter's equator on the ecliptic
    a.G = 30.23756 + 0.0830925701 * t + gamma  # mean anomaly of Jupiter
    a.G_ = 31.97853 + 0.0334597339 * t         # mean anomaly of Saturn
    a.PI = 13.469942                           # longitude of Jupiter's perihelion
    return a


def _latitudes(a: SimpleNamespace) -> tuple[F64, F64, F64, F64]:
    """tan B of each satellite (Meeus ch. 44)."""
    s = np.sin
    r = np.radians
    tb1 = (0.0006393 * s(r(a.L1 - a.w1)) + 0.0001825 * s(r(a.L1 - a.w2))
           + 0.0000329 * s(r(a.L1 - a.w3)) - 0.0000311 * s(r(a.L1 - a.psi))
           + 0.0000093 * s(r(a.L1 - a.w4))
           + 0.0000075 * s(r(3 * a.L1 - 4 * a.l2 - 1.9927 * a.S1 + a.w2))
           + 0.0000046 * s(r(a.L1 + a.psi - 2 * a.PI - 2 * a.G)))
    tb2 = (0.0081004 * s(r(a.L2 - a.w2)) + 0.0004512 * s(r(a.L2 - a.w3))
           - 0.0003284 * s(r(a.L2 - a.psi)) + 0.0001160 * s(r(a.L2 - a.w4))
           + 0.0000272 * s(r(a.l1 - 2 * a.l3 + 1.0146 * a.S2 + a.w2))
           - 0.0000144 * s(r(a.L2 - a.w1))
           + 0.0000143 * s(r(a.L2 + a.psi - 2 * a.PI - 2 * a.G))
           + 0.0000035 * s(r(a.L2 - a.psi + a.G))
           - 0.0000028 * s(r(a.l1 - 2 * a.l3 + 1.0146 * a.S2 + a.w3)))
    tb3 = (0.0032402 * s(r(a.L3 - a.w3)) - 0.0016911 * s(r(a.L3 - a.psi))
           + 0.0006847 * s(r(a.L3 - a.w4)) - 0.0002797 * s(r(a.L3 - a.w2))
           + 0.0000321 * s(r(a.L3 + a.psi - 2 * a.PI - 2 * a.G))
           + 0.0000051 * s(r(a.L3 - a.psi + a.G)) - 0.0000045 * s(r(a.L3 - a.psi - a.G))
           - 0.0000045 * s(r(a.L3 + a.psi - 2 * a.PI))
           + 0.0000037 * s(r(a.L3 + a.psi - 2 * a.PI - 3 * a.G))
           + 0.0000030 * s(r(2 * a.l2 - 3 * a.L3 + 4.03 * a.S3 + a.w2))
           - 0.0000021 * s(r(2 * a.l2 - 3 * a.L3 + 4.03 * a.S3 + a.w3)))
    tb4 = (-0.0076579 * s(r(a.L4 - a.psi)) + 0.0044134 * s(r(a.L4 - a.w4))
           - 0.0005112 * s(r(a.L4 - a.w3)) + 0.0000773 * s(r(a.L4 + a.psi - 2 * a.PI - 2 * a.G))
           + 0.0000104 * s(r(a.L4 - a.psi + a.G)) - 0.0000102 * s(r(a.L4 - a.psi - a.G))
           + 0.0000088 * s(r(a.L4 + a.psi - 2 * a.PI - 3 * a.G))
           - 0.0000038 * s(r(a.L4 + a.psi - 2 * a.PI - a.G)))
    return tb1, tb2, tb3, tb4


def ecliptic_of_date_to_j2000(jde: ArrayLike) -> F64:
    """Matrices taking mean-ecliptic-and-equinox-of-date vectors to J2000 equatorial; (..., 3, 3)."""
    jd = np.asarray(jde, dtype=np.float64)
    eps = mean_obliquity(jd) * ARCSEC
    ecl_to_eq_date = rot_x(eps)
    precess = np.asarray(compute_precession(jd), dtype=np.float64)  # J2000 → mean of date
    j2000_from_date = np.swapaxes(np.moveaxis(precess, -1, 0) if precess.ndim == 3 else precess,
                                  -1, -2)
    return np.asarray(j2000_from_date @ ecl_to_eq_date, dtype=np.float64)


def _theory_frame_to_ecliptic(a: SimpleNamespace, jde: F64) -> F64:
    """Matrices from the theory's Jupiter-equator frame (x toward ψ) to the ecliptic of date."""
    t_j2000 = (jde - J2000_JD) / 36525.0
    node = (100.464407 + 1.0209774 * t_j2000 + 0.00040315 * t_j2000**2
            + 0.000000404 * t_j2000**3)                      # Jupiter's orbit node, of date
    incl = (1.303267 - 0.0054965 * t_j2000 + 0.00000466 * t_j2000**2
            - 0.000000002 * t_j2000**3)                      # Jupiter's orbit inclination
    t1900 = (jde - 2415020.5) / 36525.0
    inc_eq = 3.120262 + 0.0006 * t1900                       # Jupiter's equator to its orbit
    precession = _precession_since_b1950(jde)
    psi = a.psi + precession
    return np.asarray(
        rot_z(np.radians(node)) @ rot_x(np.radians(incl)) @ rot_z(np.radians(psi - node))
        @ rot_x(np.radians(inc_eq)), dtype=np.float64)


def _precession_since_b1950(jde: F64) -> F64:
    """General precession in longitude from B1950.0 to the date, degrees (Meeus ch. 44)."""
    t0 = (jde - 2433282.423) / 36525.0
    return np.asarray(1.3966626 * t0 + 0.0003088 * t0**2, dtype=np.float64)


def positions_j2000(jde: ArrayLike, t_days: ArrayLike | None = None) -> F64:
    """Geometric jovicentric positions of Io, Europa, Ganymede, Callisto, J2000, km.

    ``jde``: TDB Julian dates, scalar or any array shape S. ``t_days`` (optional, same shape): the
    same instants as days past :data:`THEORY_EPOCH_JD`, for the fast angles at full precision (from
    ``et``: ``et / 86400 + 8544.5``). Returns shape (4, *S, 3), in the order of :data:`MOON_ORDER`.
    """
    shape = np.shape(jde)
    jd = np.asarray(jde, dtype=np.float64).reshape(-1)
    a = _angles(jd, None if t_days is None else np.asarray(t_days, dtype=np.float64).reshape(-1))
    a.S1 = _sin_sum(LON_IO, a)
    a.S2 = _sin_sum(LON_EUROPA, a)
    a.S3 = _sin_sum(LON_GANYMEDE, a)
    a.S4 = _sin_sum(LON_CALLISTO, a)
    a.L1, a.L2, a.L3, a.L4 = a.l1 + a.S1, a.l2 + a.S2, a.l3 + a.S3, a.l4 + a.S4
    tan_b = _latitudes(a)
    radial = (_cos_sum(RAD_IO, a), _cos_sum(RAD_EUROPA, a), _cos_sum(RAD_GANYMEDE, a),
              _cos_sum(RAD_CALLISTO, a))
    longitudes = (a.L1, a.L2, a.L3, a.L4)
    to_ecliptic = _theory_frame_to_ecliptic(a, jd)
    to_j2000 = ecliptic_of_date_to_j2000(jd) @ to_ecliptic
    out = np.empty((4, jd.size, 3))
    for i in range(4):
        r_km = MEAN_DISTANCE_RJ[i] * (1.0 + radial[i]) * THEORY_RJ_KM
        b = np.arctan(tan_b[i])
        lam = np.radians(longitudes[i] - a.psi)   # both precessed by the same P: it cancels
        v = np.stack([np.cos(lam) * np.cos(b), np.sin(lam) * np.cos(b), np.sin(b)], -1)
        out[i] = np.einsum("nij,nj->ni", to_j2000, v) * r_km[:, None]
    return out.reshape((4, *shape, 3))


def theory_pole_j2000(jde: ArrayLike) -> F64:
    """Jupiter's pole as the theory defines it (its frame's +z), unit vector in J2000."""
    jd = np.atleast_1d(np.asarray(jde, dtype=np.float64))
    a = _angles(jd)
    m = ecliptic_of_date_to_j2000(jd) @ _theory_frame_to_ecliptic(a, jd)
    pole = m[..., :, 2]
    return pole if np.ndim(jde) else pole[0]
