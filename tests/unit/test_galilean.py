"""The Galilean-satellite theory against Meeus's worked example and against physics."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.sim import galilean
from viewer.sim.constants import C_KM_S, IO, IO_SIDEREAL_PERIOD_D, JUPITER
from viewer.sim.ephemeris import AnalyticEphemeris
from viewer.sim.frames import pole_j2000
from viewer.sim.timescales import utc_to_et

# Meeus, Astronomical Algorithms 2nd ed., ch. 44, example for 1992 Dec 16 0h UT, high accuracy
# (docs/sources.md §7b): apparent X (positive west), Y (positive north), in Jupiter equatorial radii.
MEEUS_XY = {"io": (-3.4502, 0.2137), "europa": (7.4418, 0.2752),
            "ganymede": (1.2011, 0.5900), "callisto": (7.0720, 1.0290)}
# Meeus's correction constants K for the differential light time (ch. 44).
MEEUS_K = {"io": 17295.0, "europa": 21819.0, "ganymede": 27558.0, "callisto": 36548.0}
AU_KM = 149597870.7

EPH = AnalyticEphemeris()
ET_1992 = utc_to_et("1992-12-16T00:00:00")


def _sky_axes(et_jupiter: float, earth: np.ndarray):
    """Unit vectors: u from Earth to Jupiter, Y Jupiter's (theory) pole on the sky, X toward west."""
    d = EPH.barycentric("jupiter", et_jupiter) - earth
    u = d / np.linalg.norm(d)
    pole = galilean.theory_pole_j2000(2451545.0 + et_jupiter / 86400.0)
    y = pole - pole.dot(u) * u
    y /= np.linalg.norm(y)
    return d, u, np.cross(u, y), y


def _jupiter_light_time(earth: np.ndarray) -> float:
    tau = 0.0
    for _ in range(6):
        tau = np.linalg.norm(EPH.barycentric("jupiter", ET_1992 - tau) - earth) / C_KM_S
    return tau


def test_meeus_worked_example_with_meeus_reduction():
    """Our geometric positions, reduced to Earth's view exactly as Meeus reduces his (all moons at
    Jupiter's light time, his differential light-time and perspective corrections), reproduce his
    printed X, Y within 0.001 R_J — this isolates the theory and its frame rotations."""
    earth = EPH.barycentric("earth", ET_1992)
    tau = _jupiter_light_time(earth)
    d, u, x_axis, y_axis = _sky_axes(ET_1992 - tau, earth)
    delta_au = np.linalg.norm(d) / AU_KM
    moons = EPH.moons(ET_1992 - tau) / galilean.THEORY_RJ_KM
    for i, name in enumerate(galilean.MOON_ORDER):
        m = moons[i]
        x, y, z = m @ x_axis, m @ y_axis, m @ u
        x += abs(z) / MEEUS_K[name] * np.sqrt(1.0 - (x / np.linalg.norm(m)) ** 2)
        w = delta_au / (delta_au + z / 2095.0)
        assert x * w == pytest.approx(MEEUS_XY[name][0], abs=0.001), name
        assert y * w == pytest.approx(MEEUS_XY[name][1], abs=0.001), name


def test_meeus_worked_example_with_exact_light_time():
    """The same view with each moon's own light time solved exactly. It differs from Meeus's printed
    values by Jupiter's heliocentric motion over the differential light time (≤ 6 s × 13 km/s ≈
    0.0011 R_J for Callisto), which Meeus's reduction leaves out."""
    earth = EPH.barycentric("earth", ET_1992)
    tau_j = _jupiter_light_time(earth)
    d, u, x_axis, y_axis = _sky_axes(ET_1992 - tau_j, earth)
    for name in galilean.MOON_ORDER:
        tau = tau_j
        for _ in range(6):
            s = EPH.barycentric(name, ET_1992 - tau) - earth
            tau = np.linalg.norm(s) / C_KM_S
        sh = s / np.linalg.norm(s)
        scale = np.linalg.norm(d) / galilean.THEORY_RJ_KM / (sh @ u)
        assert sh @ x_axis * scale == pytest.approx(MEEUS_XY[name][0], abs=0.0015), name
        assert sh @ y_axis * scale == pytest.approx(MEEUS_XY[name][1], abs=0.001), name


@pytest.fixture(scope="module")
def io_2016_2030():
    et = np.arange(utc_to_et("2016-01-01"), utc_to_et("2030-12-31"), 1800.0)
    return et, EPH.moons(et)[0]


def test_io_distance_matches_published_periapsis_and_apoapsis(io_2016_2030):
    """Published: periapsis 420,000 km and apoapsis 423,400 km (docs/sources.md §3b; rounded to 3 and 4
    significant figures). E5 gives Io's forced eccentricity 0.0041 about a 421,654 km mean."""
    _, pos = io_2016_2030
    r = np.linalg.norm(pos, axis=-1)
    assert 419_500.0 <= r.min() <= 420_500.0
    assert 423_350.0 <= r.max() <= 423_450.0
    assert 421_600.0 <= r.mean() <= 421_800.0   # mean orbital radius 421,700 km


def test_io_period_comes_out_of_the_positions(io_2016_2030):
    """The sidereal period from the unwrapped longitude over 15 years, and the osculating period
    from position and velocity (two-body, GM of Jupiter + Io), against 1.769137786 d."""
    et, pos = io_2016_2030
    pole = pole_j2000("jupiter", et[len(et) // 2])
    e1 = np.cross(pole, [1.0, 0.0, 0.0])
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(pole, e1)
    lon = np.unwrap(np.arctan2(pos @ e2, pos @ e1))
    rate = np.polyfit(et, lon, 1)[0]                      # rad/s
    period_d = 2 * np.pi / rate / 86400.0
    assert period_d == pytest.approx(IO_SIDEREAL_PERIOD_D, rel=2e-6)

    p, v = EPH.state("io", et[::5000])
    mu = JUPITER.gm_km3_s2 + IO.gm_km3_s2
    a = 1.0 / (2.0 / np.linalg.norm(p, axis=-1) - np.sum(v * v, axis=-1) / mu)
    osc = 2 * np.pi * np.sqrt(a**3 / mu) / 86400.0
    # Jupiter's J2 (and the Laplace resonance) make the osculating period differ from the mean one
    # by a few 1e-3; within 1 %.
    assert np.all(np.abs(osc / IO_SIDEREAL_PERIOD_D - 1.0) < 0.01)


def test_velocity_is_the_derivative_of_position():
    et = utc_to_et("2023-12-30T08:36:00")
    _, v = EPH.state("io", et)
    p_minus, _ = EPH.state("io", et - 5.0)
    p_plus, _ = EPH.state("io", et + 5.0)
    assert np.allclose((p_plus - p_minus) / 10.0, v, atol=1e-5)
    assert np.linalg.norm(v) == pytest.approx(17.33, abs=0.1)   # docs/sources.md §3b orbital speed


def test_theory_pole_agrees_with_the_iau_pole():
    for year in ("1995-01-01", "2023-12-30", "2040-06-01"):
        et = utc_to_et(year)
        a = galilean.theory_pole_j2000(2451545.0 + et / 86400.0)
        b = pole_j2000("jupiter", et)
        assert np.degrees(np.arccos(np.clip(a @ b, -1, 1))) < 0.02


def test_moon_positions_move_smoothly_at_sub_millisecond_steps() -> None:
    """A float64 Julian date resolves only ~40 µs (0.7 m of Io's motion): the theory takes its fast
    angles from days since its own epoch instead, so 0.1 ms steps move Io by v·dt (1.7 m) within 2 %."""
    eph = AnalyticEphemeris()
    t = 757197430.02 + np.arange(0.0, 0.01, 1e-4)
    p, v = eph.state("io", t)
    steps = np.linalg.norm(np.diff(p, axis=0), axis=1)
    expected = np.linalg.norm(v[0]) * 1e-4
    assert np.all(np.abs(steps - expected) < 0.02 * expected)
