"""Rotation models, sub-points and ellipsoid geometry."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.sim.constants import BODIES, IO, JUPITER, ROTATION
from viewer.sim.ephemeris import AnalyticEphemeris
from viewer.sim.frames import (
    body_to_j2000,
    iau_angles,
    lat_wlon,
    nearest_point_on_ellipsoid,
    point_for_normal,
    pole_j2000,
)
from viewer.sim.timescales import utc_to_et

EPH = AnalyticEphemeris()


@pytest.mark.parametrize("body", sorted(BODIES))
def test_rotations_are_proper_and_put_the_pole_on_z(body):
    et = np.linspace(utc_to_et("1950-01-01"), utc_to_et("2050-01-01"), 50)
    m = body_to_j2000(body, et)
    assert np.allclose(m @ np.swapaxes(m, -1, -2), np.eye(3), atol=1e-12)
    assert np.allclose(np.linalg.det(m), 1.0)
    assert np.allclose(m[:, :, 2], pole_j2000(body, et), atol=1e-12)


def test_prime_meridian_turns_at_the_published_rate():
    et0 = utc_to_et("2023-12-30")
    # Over one day System III turns 870.536° (IAU 2015): the body x axis comes back rotated by
    # 870.536 − 720 = 150.536° about the pole.
    x0 = body_to_j2000("jupiter", et0)[:, 0]
    x1 = body_to_j2000("jupiter", et0 + 86400.0)[:, 0]
    pole = pole_j2000("jupiter", et0)
    ang = np.degrees(np.arctan2(np.cross(x0, x1) @ pole, x0 @ x1))
    assert ang == pytest.approx(150.536, abs=0.01)


def test_io_faces_jupiter_2016_to_2030():
    """Synchronous rotation ties the orbit theory (E5) to the IAU model: the sub-Jupiter point of Io
    stays within ±1° of 0° W (the optical libration from Io's forced eccentricity is ±0.47°)."""
    et = np.arange(utc_to_et("2016-01-01"), utc_to_et("2030-12-31"), 6 * 3600.0)
    pos, _ = EPH.state("io", et)
    rot = body_to_j2000("io", et)
    jupiter_in_io = np.einsum("nji,nj->ni", rot, -pos)
    lat, wlon = lat_wlon(nearest_point_on_ellipsoid(jupiter_in_io, IO.radii_km))
    signed = (np.degrees(wlon) + 180.0) % 360.0 - 180.0
    assert np.abs(signed).max() < 1.0
    assert np.abs(np.degrees(lat)).max() < 0.2
    assert 0.3 < np.abs(signed).max()   # the libration is really there: positions are not forced


def test_subsolar_point_two_ways(world):
    """The sub-solar point (SPICE "Intercept/Ellipsoid": the Sun's planetocentric declination and
    longitude) and the nearest ellipsoid point to the Sun, vs. spherical astronomy on (α0, δ0, W)
    followed, for the nearest point, by the ellipsoid point whose normal faces the Sun (the
    planetographic → planetocentric step)."""
    for text in ("2023-12-30T08:36:00.836", "2019-03-11T02:00:00", "2030-07-04T18:30:00"):
        et = utc_to_et(text)
        snap = world.at(et)
        for body in ("io", "jupiter", "europa"):
            sub = snap.subsolar_point(body)
            a = snap.near_point(body, snap.positions["sun"])
            ra, dec, w = (float(x) for x in iau_angles(ROTATION[body], et))
            s = snap.positions["sun"] - snap.positions[body]
            s = s / np.linalg.norm(s)
            pole = np.array([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)])
            node = np.array([-np.sin(ra), np.cos(ra), 0.0])
            lat_g = np.arcsin(s @ pole)
            lam = np.arctan2(s @ np.cross(pole, node), s @ node)   # east of the node
            elon = lam - w
            normal = np.array([np.cos(lat_g) * np.cos(elon), np.cos(lat_g) * np.sin(elon),
                               np.sin(lat_g)])
            assert sub.lat_deg == pytest.approx(np.degrees(lat_g), abs=1e-3), (text, body)
            assert abs((sub.wlon_deg + np.degrees(elon) + 180.0) % 360.0 - 180.0) < 1e-3, (text, body)
            lat_c, wlon = lat_wlon(point_for_normal(normal, BODIES[body].radii_km))
            assert a.lat_deg == pytest.approx(np.degrees(lat_c), abs=1e-3), (text, body)
            dlon = (a.wlon_deg - np.degrees(wlon) + 180.0) % 360.0 - 180.0
            assert abs(dlon) < 1e-3, (text, body)


def test_jupiter_subsolar_latitude_follows_its_obliquity(world):
    """Over a Jupiter year the Sun's planetocentric declination — the latitude of the sub-solar
    (intercept) point — reaches ±3.13° (obliquity, docs/sources.md §3e); the nearest ellipsoid point's
    planetocentric latitude on the oblate ellipsoid only atan((c/a)²·tan 3.13°) = 2.74°."""
    snaps = [world.at(utc_to_et(f"{y}-06-01")) for y in range(2012, 2025)]
    lats = [s.subsolar_point("jupiter").lat_deg for s in snaps]
    near = [s.near_point("jupiter", s.positions["sun"]).lat_deg for s in snaps]
    limit = np.degrees(np.arctan((JUPITER.radii_km[2] / JUPITER.radii_km[0]) ** 2
                                 * np.tan(np.radians(3.13))))
    assert max(np.abs(near)) <= limit + 0.05
    assert limit + 0.2 < max(np.abs(lats)) <= 3.13 + 0.05
    assert max(lats) > 2.0 and min(lats) < -2.0


def test_nearest_point_beats_a_brute_force_search():
    rng = np.random.default_rng(7)
    radii = IO.radii_km
    lat = np.linspace(-np.pi / 2, np.pi / 2, 721)
    lon = np.linspace(-np.pi, np.pi, 1441)
    la, lo = np.meshgrid(lat, lon, indexing="ij")
    surface = np.stack([radii[0] * np.cos(la) * np.cos(lo), radii[1] * np.cos(la) * np.sin(lo),
                        radii[2] * np.sin(la)], -1).reshape(-1, 3)
    for p in rng.normal(size=(8, 3)) * 3000.0:
        near = nearest_point_on_ellipsoid(p, radii)
        assert np.sum((near / radii) ** 2) == pytest.approx(1.0, abs=1e-12)
        brute = np.linalg.norm(surface - p, axis=1).min()
        assert np.linalg.norm(near - p) <= brute + 1e-9
        assert np.linalg.norm(near - p) >= brute - 0.1      # grid spacing ~8 km → ~0.03 km error
