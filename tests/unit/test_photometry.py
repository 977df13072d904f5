"""Reference physics: phase function, closed-form Jupitershine, occultation of the Sun's disc."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from viewer.sim.constants import SUN_RADIUS_KM
from viewer.sim.photometry import (
    disc_overlap_fraction,
    jupitershine_to_sunlight,
    lambert_phase_function,
    occulter_edge,
    sun_visible_fraction,
)


def test_lambert_phase_function():
    assert lambert_phase_function(0.0) == pytest.approx(1.0)
    assert lambert_phase_function(np.pi / 2) == pytest.approx(1.0 / np.pi)
    assert lambert_phase_function(np.pi) == pytest.approx(0.0, abs=1e-15)
    a = np.linspace(0, np.pi, 50)
    assert np.all(np.diff(lambert_phase_function(a)) < 0)


def test_jupitershine_closed_form():
    # Full Jupiter from Io's mean distance: p (R/d)² = 0.52 × (71,492/421,700)² ≈ 1.5 % (docs/sources.md §6).
    full = float(jupitershine_to_sunlight(0.0, 421_700.0))
    assert full == pytest.approx(0.52 * (71492 / 421700) ** 2, rel=1e-12)
    assert 0.014 < full < 0.016
    # At the I57 phase (~61–63°) it is ~0.9 % (docs/sources.md §6: ≈0.8 % at 63° with R = 69,911 km).
    assert 0.008 < float(jupitershine_to_sunlight(np.radians(61.0), 422_500.0)) < 0.0095


def test_disc_overlap_limits():
    assert disc_overlap_fraction(1.0, 2.0, 3.5) == 0.0
    assert disc_overlap_fraction(1.0, 2.0, 0.5) == 1.0
    assert disc_overlap_fraction(1.0, 0.5, 0.2) == pytest.approx(0.25)
    assert disc_overlap_fraction(1.0, 1.0, 0.0) == pytest.approx(1.0)
    # Two equal discs whose centres are one radius apart overlap by 2π/3 − √3/2 of πr².
    assert disc_overlap_fraction(1.0, 1.0, 1.0) == pytest.approx(
        (2 * np.pi / 3 - np.sqrt(3) / 2) / np.pi, rel=1e-12)


def _observer_at(edge_offset: float, radius: float, distance: float, sun_distance: float):
    """An observer behind a sphere (Sun along +x) whose line to the Sun's centre passes at
    ``edge_offset`` (rad) outside the sphere's limb."""
    ang = np.arcsin(radius / distance) + edge_offset
    return np.array([-distance * np.cos(ang), distance * np.sin(ang), 0.0])


def test_shadow_fractions_one_half_zero():
    radius, distance, sun_d = 71492.0, 421_700.0, 7.78e8
    r_sun = np.arcsin(SUN_RADIUS_KM / sun_d)
    radii = (radius, radius, radius)
    frac = []
    for k in (-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0):
        obs = _observer_at(k * r_sun, radius, distance, sun_d)
        sun = obs + np.array([sun_d, 0.0, 0.0])      # the Sun exactly along +x from the observer
        frac.append(float(sun_visible_fraction(obs, sun, radii)))
    assert frac[0] == 0.0 and frac[1] == pytest.approx(0.0, abs=1e-4)
    assert frac[3] == pytest.approx(0.5, abs=2e-3)          # limb curvature: 0.4996
    assert frac[5] == pytest.approx(1.0, abs=1e-4) and frac[6] == 1.0
    assert all(a < b for a, b in itertools.pairwise(frac[1:6]))
    # Half a solar radius outside the limb: 1 − (segment of height r/2) = 0.8045 of the disc.
    seg = (np.arccos(0.5) - 0.5 * np.sqrt(0.75)) / np.pi
    assert frac[4] == pytest.approx(1.0 - seg, abs=2e-3)


def test_occulter_edge_exact_for_a_triaxial_body():
    radii = (71492.0, 71492.0, 66854.0)
    rng = np.random.default_rng(3)
    for _ in range(5):
        obs = rng.normal(size=3) * 400_000.0
        toward = -obs / np.linalg.norm(obs) + rng.normal(size=3) * 0.1
        sep, edge = occulter_edge(obs, toward, radii)
        c = -obs / np.linalg.norm(obs)
        s = toward / np.linalg.norm(toward)
        e = s - (s @ c) * c
        e /= np.linalg.norm(e)

        def hits(theta, c=c, e=e, obs=obs):
            d = (np.cos(theta) * c + np.sin(theta) * e) / radii
            q = obs / radii
            return (q @ d) ** 2 - (d @ d) * (q @ q - 1.0) >= 0.0

        lo, hi = 0.0, np.pi / 2
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if hits(mid) else (lo, mid)
        assert float(edge) == pytest.approx(lo, abs=1e-12)
        assert float(sep) == pytest.approx(np.arccos(s @ c), abs=1e-12)


def test_occulter_edge_at_the_centre_is_inside_without_warnings() -> None:
    """The sky camera sits at Jupiter's centre: the Sun is hidden (edge π), with no division by zero."""
    import warnings

    from viewer.sim import photometry

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sep, edge = photometry.occulter_edge(np.zeros(3), np.array([1.0, 0.0, 0.0]),
                                             (71492.0, 71492.0, 66854.0))
    assert edge == pytest.approx(np.pi) and np.isfinite(sep)
