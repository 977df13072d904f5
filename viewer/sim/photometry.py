"""The physics of sunlight, eclipses and Jupitershine as plain numpy functions.

These are the reference the renderer's shaders are tested against. Angles in radians, distances in
km. Radiance unit (ARCHITECTURE.md): 1.0 = a white Lambertian surface facing the Sun at Jupiter's
solar distance, so every ratio here is "fraction of local sunlight".

* :func:`jupitershine_to_sunlight` — the closed-form sanity value p·Φ(α)·(R/d)² (FACTS.md §6): the
  irradiance from a Lambert-phase Jupiter of geometric albedo p, relative to direct sunlight, on a
  surface facing Jupiter at distance d. (The full integral over the lit, visible, limb-darkened oblate
  disc comes with the light issue.)
* :func:`occulter_edge` and :func:`sun_visible_fraction` — how much of the Sun's disc an observer sees
  past an occulting triaxial ellipsoid (umbra, penumbra).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from viewer.sim.constants import JUPITER, R_JUPITER_KM, SUN_RADIUS_KM

F64 = NDArray[np.float64]


def lambert_phase_function(alpha: ArrayLike) -> F64:
    """Φ(α) = [sin α + (π − α) cos α]/π of a Lambert sphere at phase angle α (rad); Φ(0) = 1."""
    a = np.clip(np.asarray(alpha, dtype=np.float64), 0.0, np.pi)
    return np.asarray((np.sin(a) + (np.pi - a) * np.cos(a)) / np.pi, dtype=np.float64)


def jupitershine_to_sunlight(phase_angle: ArrayLike, distance_km: ArrayLike,
                             albedo: float = JUPITER.geometric_albedo,
                             radius_km: float = R_JUPITER_KM) -> F64:
    """Jupitershine irradiance / direct sunlight, closed form p·Φ(α)·(R/d)².

    ``phase_angle``: Sun–Jupiter–receiver angle (rad); ``distance_km``: Jupiter's centre to the
    receiver. p = 0.52 (FACTS §3f) and R = 71,492 km (equatorial) by default. About 0.015 at full
    Jupiter seen from Io; a sanity value only (see module doc).
    """
    d = np.asarray(distance_km, dtype=np.float64)
    return np.asarray(albedo * lambert_phase_function(phase_angle) * (radius_km / d) ** 2,
                      dtype=np.float64)


def disc_overlap_fraction(r_disc: ArrayLike, r_occ: ArrayLike, sep: ArrayLike) -> F64:
    """Fraction of a disc of angular radius ``r_disc`` covered by a disc of radius ``r_occ`` whose
    centre is ``sep`` away (all radians; flat geometry, exact to ~1e-5 for the Sun's 0.05° disc)."""
    r = np.asarray(r_disc, dtype=np.float64)
    big = np.asarray(r_occ, dtype=np.float64)
    d = np.asarray(sep, dtype=np.float64)
    r, big, d = np.broadcast_arrays(r, big, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        c1 = np.clip((d**2 + r**2 - big**2) / (2.0 * d * r), -1.0, 1.0)
        c2 = np.clip((d**2 + big**2 - r**2) / (2.0 * d * big), -1.0, 1.0)
        k = (-d + r + big) * (d + r - big) * (d - r + big) * (d + r + big)
        lens = r**2 * np.arccos(c1) + big**2 * np.arccos(c2) - 0.5 * np.sqrt(np.maximum(k, 0.0))
    area = np.where(d >= r + big, 0.0,
                    np.where(d <= big - r, np.pi * r**2,
                             np.where(d <= r - big, np.pi * big**2, lens)))
    return np.asarray(np.clip(area / (np.pi * r**2), 0.0, 1.0), dtype=np.float64)


def occulter_edge(observer: ArrayLike, toward: ArrayLike, radii: tuple[float, float, float]
                  ) -> tuple[F64, F64]:
    """Where an ellipsoid's silhouette lies, seen from ``observer``, in the direction of ``toward``.

    ``observer``: position relative to the ellipsoid's centre, in the ellipsoid's body frame (km).
    ``toward``: a direction (body frame) — e.g. to the Sun. Returns ``(sep, edge)``: the angle from
    the ellipsoid's centre to ``toward``, and the angle from the centre to the silhouette in the
    plane containing both (radians). ``sep < edge`` means ``toward`` is hidden.

    Exact for a triaxial ellipsoid: scaling by 1/radii maps it onto the unit sphere, and the grazing
    ray at angle θ from the centre direction solves a quadratic in tan θ. Observers inside get edge=π.
    """
    p = np.asarray(observer, dtype=np.float64)
    s = np.asarray(toward, dtype=np.float64)
    s = s / np.linalg.norm(s, axis=-1, keepdims=True)
    inv = 1.0 / np.asarray(radii, dtype=np.float64)
    dist = np.linalg.norm(p, axis=-1, keepdims=True)
    c_hat = -p / dist
    cos_sep = np.clip(np.sum(s * c_hat, axis=-1), -1.0, 1.0)
    sep = np.arccos(cos_sep)
    perp = s - cos_sep[..., None] * c_hat
    norm = np.linalg.norm(perp, axis=-1, keepdims=True)
    # Exactly toward (or away from) the centre: any perpendicular serves.
    fallback = np.cross(c_hat, np.where(np.abs(c_hat[..., :1]) < 0.9, [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]))
    e_hat = np.where(norm > 1e-15, perp / np.where(norm > 1e-15, norm, 1.0),
                     fallback / np.linalg.norm(fallback, axis=-1, keepdims=True))
    q, a, b = p * inv, c_hat * inv, e_hat * inv
    k = np.sum(q * q, axis=-1) - 1.0
    qa, qb = np.sum(q * a, axis=-1), np.sum(q * b, axis=-1)
    aa, bb, ab = np.sum(a * a, axis=-1), np.sum(b * b, axis=-1), np.sum(a * b, axis=-1)
    c2 = qb * qb - k * bb
    c1 = 2.0 * (qa * qb - k * ab)
    c0 = qa * qa - k * aa
    disc = np.sqrt(np.maximum(c1 * c1 - 4.0 * c2 * c0, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        # c2 < 0 for an observer outside: the larger root is the positive one (this side's edge).
        t_edge = (-c1 - disc) / (2.0 * c2)
    edge = np.where(k > 0.0, np.arctan(t_edge), np.pi)
    return np.asarray(sep, dtype=np.float64), np.asarray(edge, dtype=np.float64)


def sun_visible_fraction(observer: ArrayLike, sun: ArrayLike, radii: tuple[float, float, float],
                         sun_radius_km: float = SUN_RADIUS_KM) -> F64:
    """Fraction of the Sun's disc (by area) an observer sees past one occulting ellipsoid.

    ``observer`` and ``sun``: positions relative to the occulter's centre in its body frame (km).
    1 in full sunlight, 0 in the umbra, in between in the penumbra. (Limb darkening of the Sun's disc
    is not weighted here.)
    """
    obs = np.asarray(observer, dtype=np.float64)
    to_sun = np.asarray(sun, dtype=np.float64) - obs
    sep, edge = occulter_edge(obs, to_sun, radii)
    r_sun = np.arcsin(np.clip(sun_radius_km / np.linalg.norm(to_sun, axis=-1), 0.0, 1.0))
    hidden = np.where(sep >= edge + r_sun, 0.0, disc_overlap_fraction(r_sun, edge, sep))
    return np.asarray(1.0 - hidden, dtype=np.float64)


def sun_angular_radius(distance_km: ArrayLike) -> F64:
    """The Sun's angular radius (rad) seen from ``distance_km``."""
    return np.asarray(np.arcsin(SUN_RADIUS_KM / np.asarray(distance_km, dtype=np.float64)),
                      dtype=np.float64)
