"""The physics of sunlight, eclipses and Jupitershine as plain numpy functions.

These are the reference the renderer's shaders are tested against. Angles in radians, distances in
km. Radiance unit (docs/architecture.md): 1.0 = a white Lambertian surface facing the Sun at Jupiter's
solar distance (i.e. E_sun/π per sr); irradiance in units of that solar irradiance, so every ratio
here is "fraction of local sunlight". docs/rendering.md "Light: the reference physics" summarises.

* :func:`jupitershine_to_sunlight` — the closed-form sanity value p·Φ(α)·(R/d)² (docs/sources.md §6), and
  :func:`lambert_sphere_full_phase`, its exact near-field version for a Lambert sphere at α = 0.
* :func:`minnaert_radiance`, :func:`minnaert_albedo_scale` — Jupiter's limb-darkened clouds
  (k = :data:`JUPITER_MINNAERT_K`), calibrated to the geometric albedo 0.52.
* :func:`jupitershine_irradiance` — the irradiance on a surface element from the lit part of
  Jupiter's oblate disc above its horizon (a numerical integral), and :func:`jupitershine_lights`, the
  same reduced to N directional lights for the shaders; :func:`jupitershine_radiance`, the radiance a
  surface of any reflectance law (e.g. Io's) sends toward a viewer under Jupitershine.
* :func:`shine_irradiance`, :func:`shine_lights`, :func:`shine_radiance` — the same for any sunlit
  ellipsoid with a :data:`Reflectance` law; :func:`ioshine_irradiance` and :func:`ioshine_lights` are
  Io's light (its lunar-Lambert law) on a nearby receiver such as Juno.
* :func:`occulter_edge`, :func:`sun_visible_fraction` and :func:`sun_fraction_past_sphere` — how much
  of the Sun's disc an observer sees past an occulting ellipsoid or sphere (umbra, penumbra).
* :func:`io_reflectance` — Io's lunar-Lambert surface law, calibrated to p = 0.63.
* :func:`thermal_radiance` — blackbody glow of hot spots in the R, G, B bands, in radiance units.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from viewer.sim.constants import AU_KM, IO, JUPITER, R_JUPITER_KM, SUN_RADIUS_KM

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
    receiver. p = 0.52 (docs/sources.md §3f) and R = 71,492 km (equatorial) by default. About 0.015 at full
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
    # An observer at the very centre (the sky camera at Jupiter's) is inside: any direction serves.
    c_hat = np.where(dist > 0.0, -p / np.where(dist > 0.0, dist, 1.0), [0.0, 0.0, 1.0])
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


# ---------------------------------------------------------------------------------------------------
# Light: the reference physics (issue 6). Radiances are in the renderer's unit (module doc): the
# radiance of a white Lambert surface facing the Sun at Jupiter's solar distance. Irradiances are in
# units of the solar irradiance at that distance, so a Lambert surface of normal albedo A under
# irradiance E has radiance A·E, and a reflectance law's value *is* the radiance under unit sunlight.
# ---------------------------------------------------------------------------------------------------

#: Jupiter's Minnaert limb-darkening exponent. The OPAL programme (HST WFC3/UVIS, Simon, Wong & Orton
#: 2015, ApJ 812, 55) lists the Minnaert k it uses to flatten each Jupiter map in the MAST
#: high-level-product readme (hlsp_opal_hst_wfc3-uvis_jupiter-2024-2_all_v1_readme.txt): F467M 0.950,
#: F502N 0.950, F631N 0.999, F658N 0.999 (F395N 0.850, FQ889N 1.000). We use k = 0.95, the value at
#: 467–502 nm, for the visual band (docs/sources.md §7c: k ≈ 0.8–1.0 in the visible continuum); the red maps
#: suggest k → 1.0 at 630 nm. One k for all latitudes and phases is itself the approximation.
JUPITER_MINNAERT_K = 0.95


def minnaert_radiance(albedo_scale: ArrayLike, mu0: ArrayLike, mu: ArrayLike, k: ArrayLike) -> F64:
    """Minnaert's law, L = A·μ0^k·μ^(k−1), as radiance under unit sunlight (renderer units).

    ``mu0`` = cos(incidence), ``mu`` = cos(emission) (both against the local outward normal);
    ``albedo_scale`` A is the Minnaert normal albedo (k = 1 gives Lambert, L = A·μ0). Zero where the
    surface is unlit (μ0 ≤ 0) or faces away (μ ≤ 0). Minnaert, ApJ 93, 403 (1941).
    """
    a = np.asarray(albedo_scale, dtype=np.float64)
    m0 = np.asarray(mu0, dtype=np.float64)
    m = np.asarray(mu, dtype=np.float64)
    kk = np.asarray(k, dtype=np.float64)
    ok = (m0 > 0.0) & (m > 0.0)
    m0c = np.where(ok, m0, 1.0)
    mc = np.where(ok, m, 1.0)
    return np.asarray(np.where(ok, a * m0c**kk * mc ** (kk - 1.0), 0.0), dtype=np.float64)


def minnaert_albedo_scale(geometric_albedo: float = JUPITER.geometric_albedo,
                          k: float = JUPITER_MINNAERT_K) -> float:
    """The Minnaert normal albedo A that gives a sphere the geometric albedo ``p`` at full phase.

    At α = 0, μ0 = μ, so L = A·μ^(2k−1). The geometric albedo is the disc-averaged radiance relative to
    a white Lambert disc facing the Sun (radiance 1); on the disc the projected-area element is
    2μ dμ, so p = ∫₀¹ A μ^(2k−1) 2μ dμ = 2A/(2k+1), i.e. A = p(2k+1)/2 (k = 1: p = 2A/3, the Lambert
    sphere). The sphere's scale is used for the oblate Jupiter: A = 0.754 for p = 0.52, k = 0.95.
    Measured (tests), the oblate body's full-phase disc average relative to its own projected area
    is then 0.9875·p seen equator-on (as from Io or Earth) and 1.024·p pole-on — oblateness moves the
    calibration by ~1 %, well inside the spread of published albedos and of k with latitude.
    """
    return float(geometric_albedo * (2.0 * k + 1.0) / 2.0)


def _unit(v: F64) -> F64:
    return np.asarray(v / np.linalg.norm(v, axis=-1, keepdims=True), dtype=np.float64)


def _perpendicular_basis(c_hat: F64, hint: F64) -> tuple[F64, F64]:
    """Two unit vectors completing ``c_hat`` to a right-handed basis, e1 as close to ``hint`` as can be."""
    e1 = hint - (hint @ c_hat) * c_hat
    if np.linalg.norm(e1) < 1e-9:
        other = np.array([1.0, 0.0, 0.0]) if abs(c_hat[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
        e1 = other - (other @ c_hat) * c_hat
    e1 = _unit(e1)
    return e1, np.cross(c_hat, e1)


def aligned_frame(point_km: ArrayLike, centre_km: ArrayLike, hint: ArrayLike) -> F64:
    """Rows (ĉ, e1, e2): ĉ the unit vector from ``point_km`` toward ``centre_km``, e1 the direction
    ``hint`` projected across ĉ (another axis where they are parallel), e2 = ĉ × e1. Any one frame for
    the inputs; the rows are in it."""
    c_hat = _unit(np.asarray(centre_km, dtype=np.float64) - np.asarray(point_km, dtype=np.float64))
    e1, e2 = _perpendicular_basis(c_hat, np.asarray(hint, dtype=np.float64))
    return np.stack([c_hat, e1, e2])


def disc_frame(point_km: ArrayLike, centre_km: ArrayLike, rotation: ArrayLike) -> F64:
    """The frame a body's apparent disc seen from ``point_km`` is sampled and cut into light cells in
    (:func:`_disc_hits`, :func:`shine_lights`): :func:`aligned_frame` with e1 along the body's pole
    (``rotation[:, 2]``, rotation = body-fixed → frame) projected across ĉ."""
    return aligned_frame(point_km, centre_km, np.asarray(rotation, dtype=np.float64)[:, 2])


#: A surface's reflectance law: its radiance (renderer units) under unit sunlight as a function of
#: (μ0, μ, α) — the cosines of incidence and emission against the local normal and the phase angle
#: (rad), numpy arrays that broadcast together. :func:`io_reflectance` is one; a Lambert surface of
#: normal albedo A is ``lambda mu0, mu, alpha: A * mu0``. The callers only evaluate it where μ0 > 0
#: and μ > 0 (elsewhere the radiance is zero).
Reflectance = Callable[[F64, F64, F64], F64]


def minnaert_law(k: float = JUPITER_MINNAERT_K, p: float = JUPITER.geometric_albedo) -> Reflectance:
    """Jupiter's Minnaert clouds (:func:`minnaert_radiance`, calibrated to geometric albedo ``p`` by
    :func:`minnaert_albedo_scale`) as a :data:`Reflectance` (it ignores the phase angle)."""
    a_scale = minnaert_albedo_scale(p, k)

    def law(mu0: F64, mu: F64, alpha: F64) -> F64:
        return minnaert_radiance(a_scale, mu0, mu, k)

    return law


#: Spheres that may hide part of a source from the receiver: (centre km, radius km) in the input frame.
Blockers = Sequence[tuple[ArrayLike, float]]


def _disc_samples(point_km: ArrayLike, centre_km: ArrayLike, rotation: ArrayLike, sun_dir: ArrayLike,
                  radii: tuple[float, float, float], law: Reflectance, n: int,
                  blockers: Blockers = ()) -> tuple[F64, F64, F64, F64]:
    """:func:`_disc_hits` without the surface points."""
    w, q, x, y, _ = _disc_hits(point_km, centre_km, rotation, sun_dir, radii, law, n, blockers)
    return w, q, x, y


def lit_disc_points(point_km: ArrayLike, centre_km: ArrayLike, rotation: ArrayLike, sun_dir: ArrayLike,
                    radii: tuple[float, float, float], law: Reflectance, n: int = 64,
                    blockers: Blockers = ()) -> tuple[F64, F64]:
    """The lit part of a body that ``point_km`` sees: ``(q, points)`` for the samples of
    :func:`_disc_hits` that carry light, q their irradiance per direction (solar units) and points
    their surface points in the body frame (km). What a receiver's light is made of, e.g. to average
    the source's map colour over it."""
    _, q, _, _, xb = _disc_hits(point_km, centre_km, rotation, sun_dir, radii, law, n, blockers)
    lit = q > 0.0
    return q[lit], xb[lit]


def _disc_hits(point_km: ArrayLike, centre_km: ArrayLike, rotation: ArrayLike, sun_dir: ArrayLike,
               radii: tuple[float, float, float], law: Reflectance, n: int,
               blockers: Blockers = ()) -> tuple[F64, F64, F64, F64, F64]:
    """A sunlit ellipsoid's radiance field as seen from ``point_km``, sampled on an n×n direction grid.

    The grid is a square "camera image" of the body: directions w = normalise(ĉ + x·e1 + y·e2) with
    (x, y) on an n×n midpoint grid over [−tan θmax, tan θmax]², θmax the angular radius of the body's
    bounding sphere, so each sample's solid angle is dΩ = dx·dy/(1 + x² + y²)^(3/2) exactly. Every
    sample is ray-traced to the ellipsoid (body frame, exact; a convex body, so the first hit is the
    visible surface) and gets the radiance ``law`` (μ0, μ, α) with μ0 toward ``sun_dir`` (the Sun at
    infinity), μ toward the receiver and α the angle between those two directions at the surface.
    ``rotation``: the body-fixed → frame matrix (columns = body axes); e1 points along the projected
    pole. A sample whose ray meets one of the ``blockers`` spheres before the body is dark (a moon in
    front of Jupiter).

    Returns ``(w, q, x, y, points)``: unit directions (M, 3) in the input frame, q = radiance·dΩ/π
    (M,) in units of the solar irradiance (the radiance unit is E_sun/π per steradian), the
    tangent-plane coordinates and the hit points in the body frame (km; meaningless where q = 0).
    """
    pt = np.asarray(point_km, dtype=np.float64)
    centre = np.asarray(centre_km, dtype=np.float64)
    rot = np.asarray(rotation, dtype=np.float64)
    sun = _unit(np.asarray(sun_dir, dtype=np.float64))
    ax = np.asarray(radii, dtype=np.float64)
    to_c = centre - pt
    dist = float(np.linalg.norm(to_c))
    if dist <= float(ax.max()):
        raise ValueError("the receiver must lie outside the source body's bounding sphere")
    c_hat = to_c / dist
    e1, e2 = _perpendicular_basis(c_hat, rot[:, 2])          # e1 along the projected pole
    t_max = float(ax.max()) / np.sqrt(dist * dist - float(ax.max()) ** 2)   # tan θmax
    step = 2.0 * t_max / n
    g = -t_max + step * (np.arange(n) + 0.5)
    x, y = (a.ravel() for a in np.meshgrid(g, g, indexing="ij"))
    inside = x * x + y * y <= t_max * t_max
    x, y = x[inside], y[inside]
    rho2 = 1.0 + x * x + y * y
    w = (c_hat[None, :] + x[:, None] * e1[None, :] + y[:, None] * e2[None, :]) / np.sqrt(rho2)[:, None]
    d_omega = step * step / rho2**1.5
    # Ray–ellipsoid in the body frame, scaled to the unit sphere: |q + t v|² = 1.
    pb = (pt - centre) @ rot
    wb = w @ rot
    qv, vv = pb / ax, wb / ax
    qdv = vv @ qv
    v2 = np.sum(vv * vv, axis=-1)
    cross = np.cross(qv[None, :], vv)
    disc = v2 - np.sum(cross * cross, axis=-1)                   # (q·v)² − |v|²(|q|²−1), stably
    hit = disc > 0.0
    t = np.where(hit, (-qdv - np.sqrt(np.maximum(disc, 0.0))) / v2, 0.0)
    xb = pb[None, :] + t[:, None] * wb
    nj = _unit(xb / ax**2)
    mu = -np.sum(nj * wb, axis=-1)
    sun_b = sun @ rot
    mu0 = nj @ sun_b
    lit = hit & (mu0 > 0.0) & (mu > 0.0)
    for b_centre, b_radius in blockers:
        rel = np.asarray(b_centre, dtype=np.float64) - pt
        along = w @ rel
        gap = along * along - (float(rel @ rel) - float(b_radius) ** 2)
        lit &= ~((along > 0.0) & (gap > 0.0) & (along - np.sqrt(np.maximum(gap, 0.0)) < t))
    rad = np.zeros(len(w))
    alpha = np.arccos(np.clip(-(wb[lit] @ sun_b), -1.0, 1.0))    # Sun · receiver (−w) at the surface
    rad[lit] = np.broadcast_to(law(mu0[lit], mu[lit], alpha), alpha.shape)
    # Radiance unit = E_sun/π per sr (a white Lambert surface under E_sun), hence the 1/π.
    return w, np.asarray(rad * d_omega / np.pi, dtype=np.float64), x, y, xb


def _jupiter_disc_samples(point_km: ArrayLike, jupiter_centre_km: ArrayLike, jupiter_rotation: ArrayLike,
                          sun_dir: ArrayLike, radii: tuple[float, float, float], k: float, p: float,
                          n: int) -> tuple[F64, F64, F64, F64]:
    """Jupiter's radiance field seen from ``point_km``: :func:`_disc_samples` with its Minnaert law."""
    return _disc_samples(point_km, jupiter_centre_km, jupiter_rotation, sun_dir, radii,
                         minnaert_law(k, p), n)


def _irradiance(w: F64, q: F64, normal: ArrayLike) -> F64:
    """Σ_j q_j·max(0, n·w_j) for each normal (3,) or (..., 3), shaped like ``normal[..., 0]``."""
    nrm = np.asarray(normal, dtype=np.float64)
    flat = nrm.reshape(-1, 3)
    out = np.empty(flat.shape[0])
    for i in range(0, flat.shape[0], 64):                         # bounded memory: 64 normals a pass
        out[i:i + 64] = np.maximum(flat[i:i + 64] @ w.T, 0.0) @ q
    return np.asarray(out.reshape(nrm.shape[:-1]), dtype=np.float64)


def shine_irradiance(point_km: ArrayLike, normal: ArrayLike, source_centre_km: ArrayLike,
                     source_rotation: ArrayLike, sun_dir: ArrayLike, radii: tuple[float, float, float],
                     law: Reflectance, n: int = 400, blockers: Blockers = ()) -> F64:
    """Irradiance from any sunlit ellipsoid's lit, visible disc on a flat surface element.

    E = ∫ L(w)·max(0, n·w) dΩ over the directions w that hit the ellipsoid (radii, body-fixed →
    frame ``source_rotation``), L its radiance under the Sun (direction ``sun_dir`` from the source,
    at infinity) by ``law`` — :func:`_disc_samples` has the n×n grid. max(0, n·w) is both the
    receiver's cosine and its horizon; spheres in ``blockers`` hide what is behind them. In units of
    the solar irradiance, shaped like ``normal[..., 0]``; :func:`jupitershine_irradiance` and
    :func:`ioshine_irradiance` are this for Jupiter and Io.
    """
    w, q, _, _ = _disc_samples(point_km, source_centre_km, source_rotation, sun_dir, radii, law, n, blockers)
    return _irradiance(w, q, normal)


def jupitershine_irradiance(point_km: ArrayLike, normal: ArrayLike, jupiter_centre_km: ArrayLike,
                            jupiter_rotation: ArrayLike, sun_dir: ArrayLike,
                            radii: tuple[float, float, float] = JUPITER.radii_km,
                            k: float = JUPITER_MINNAERT_K, p: float = JUPITER.geometric_albedo,
                            n: int = 400) -> F64:
    """Irradiance from Jupiter's lit, visible disc on a flat surface element (the reference).

    ``point_km``: the element's position; ``normal``: its unit outward normal, shape (3,) or (..., 3);
    ``jupiter_centre_km``; ``jupiter_rotation``: Jupiter's body-fixed → frame matrix
    (``Snapshot.rotations["jupiter"]``, columns = body axes); ``sun_dir``: unit vector from Jupiter
    toward the Sun. Any one frame for all of them (J2000 in the renderer), km. The Sun is taken at
    infinity across Jupiter (its direction changes by 1e-4 rad over Jupiter's disc).

    E = ∫ L_J(w) · max(0, n·w) dΩ over the directions w that hit Jupiter's ellipsoid, where L_J is
    Jupiter's Minnaert radiance (k, calibrated to geometric albedo p, zero on the night side) — see
    :func:`_disc_samples` for the n×n direction grid. max(0, n·w) is both the receiver's
    cosine and its horizon: directions below the element's tangent plane do not count. Returns E in
    units of the solar irradiance at Jupiter (so a Lambert element of albedo A shows radiance A·E),
    shaped like ``normal[..., 0]``. Not modelled: the receiving body's own shadow on Jupiter (≤ 0.1 %
    for Io at α ≈ 0) and light scattered by Jupiter's rings.
    """
    return shine_irradiance(point_km, normal, jupiter_centre_km, jupiter_rotation, sun_dir, radii,
                            minnaert_law(k, p), n)


def shine_radiance(point_km: ArrayLike, normal: ArrayLike, view_dir: ArrayLike, source_centre_km: ArrayLike,
                   source_rotation: ArrayLike, sun_dir: ArrayLike, radii: tuple[float, float, float],
                   law: Reflectance, reflectance: Reflectance, n: int = 400) -> F64:
    """Radiance a receiver with law ``reflectance`` sends toward ``view_dir`` under a sunlit ellipsoid's
    light (the source's ``law``; arguments as :func:`shine_irradiance`).

    L = Σ_j q_j · reflectance(n·w_j, n·v, angle(w_j, v)) over the disc samples w_j (weights q_j, the
    irradiance per direction, :func:`_disc_samples`), counting only samples above the receiver's
    horizon (n·w_j > 0) and only when the viewer is (n·v > 0). ``normal`` and ``view_dir`` (unit,
    from the surface toward the viewer): (3,) or (..., 3), broadcast together; the result has their
    shape less the last axis. Exact (to the grid) for any law: nothing is reduced to lights.
    """
    w, q, _, _ = _disc_samples(point_km, source_centre_km, source_rotation, sun_dir, radii, law, n)
    w, q = w[q > 0.0], q[q > 0.0]                                 # only the lit samples contribute
    nrm, vw = np.broadcast_arrays(np.asarray(normal, dtype=np.float64),
                                  np.asarray(view_dir, dtype=np.float64))
    shape = nrm.shape[:-1]
    nrm, vw = nrm.reshape(-1, 3), vw.reshape(-1, 3)
    out = np.zeros(nrm.shape[0])
    for i in range(nrm.shape[0]):
        mu0 = w @ nrm[i]
        mu = float(nrm[i] @ vw[i])
        if mu <= 0.0:
            continue
        up = mu0 > 0.0
        alpha = np.arccos(np.clip(w[up] @ vw[i], -1.0, 1.0))
        r = np.broadcast_to(reflectance(mu0[up], np.full(alpha.shape, mu), alpha), alpha.shape)
        out[i] = float(r @ q[up])
    return np.asarray(out.reshape(shape), dtype=np.float64)


def jupitershine_radiance(point_km: ArrayLike, normal: ArrayLike, view_dir: ArrayLike,
                          jupiter_centre_km: ArrayLike, jupiter_rotation: ArrayLike, sun_dir: ArrayLike,
                          reflectance: Reflectance,
                          radii: tuple[float, float, float] = JUPITER.radii_km,
                          k: float = JUPITER_MINNAERT_K, p: float = JUPITER.geometric_albedo,
                          n: int = 400) -> F64:
    """The radiance a surface of law ``reflectance`` (e.g. :func:`io_reflectance`) reflects toward
    ``view_dir`` (unit, surface → viewer) under Jupitershine alone — the reference for night sides.

    L = Σ_j q_j · reflectance(n·w_j, n·v, angle(w_j, v)): each of Jupiter's disc samples w_j (its
    irradiance per direction q_j, as in :func:`jupitershine_irradiance`) lights the surface as a
    small sun would, with μ0 = n·w_j, μ = n·v and phase angle angle(w_j, v); samples below the
    horizon (n·w_j ≤ 0) and views from below it (n·v ≤ 0) give 0. ``normal``, ``view_dir``: (3,) or
    (..., 3), broadcast together; other arguments as :func:`jupitershine_irradiance`. A Lambert law
    A·μ0 gives A·:func:`jupitershine_irradiance` (tested). One law value per normal and sample: about
    0.1 s per normal at n = 400 (~125k samples, of which the lit ones are evaluated).
    """
    return shine_radiance(point_km, normal, view_dir, jupiter_centre_km, jupiter_rotation, sun_dir, radii,
                          minnaert_law(k, p), reflectance, n)


def light_cells(n_lights: int) -> list[int]:
    """Sectors per ring of the polar partition of a body's apparent disc used by
    :func:`shine_lights`: rings of 3, 9, 15, … (3(2i−1)) cells, so ring i ends at the radius
    ∝ i and every cell spans the same solid angle and is roughly square; a remainder joins the
    outer ring (48 → 3 + 9 + 15 + 21)."""
    if n_lights < 1:
        raise ValueError("n_lights must be at least 1")
    rings = max(1, int(np.sqrt(n_lights / 3.0)))
    counts = [3 * (2 * i + 1) for i in range(rings)] if n_lights >= 3 else [n_lights]
    counts[-1] += n_lights - sum(counts)
    return counts


def _reduce_to_lights(w: F64, q: F64, x: F64, y: F64, point_km: ArrayLike, centre_km: ArrayLike,
                      rotation: ArrayLike, radii: tuple[float, float, float],
                      n_lights: int) -> tuple[F64, F64]:
    """Disc samples (:func:`_disc_samples`) → ``n_lights`` directional lights (see :func:`shine_lights`)."""
    counts = light_cells(n_lights)
    rings = len(counts)
    pt = np.asarray(point_km, dtype=np.float64)
    dist = float(np.linalg.norm(np.asarray(centre_km, dtype=np.float64) - pt))
    big = float(np.max(radii))
    t_max = big / np.sqrt(dist * dist - big * big)
    # Equal solid angle per cell: cumulative cells ∝ 1 − cos θ of the ring's outer edge.
    cos_max = 1.0 / np.sqrt(1.0 + t_max * t_max)
    u = 1.0 - 1.0 / np.sqrt(1.0 + x * x + y * y)
    cum = np.concatenate([[0], np.cumsum(counts)])
    u_edges = (1.0 - cos_max) * cum / cum[-1]
    ring = np.clip(np.searchsorted(u_edges, u, side="right") - 1, 0, rings - 1)
    phi = np.mod(np.arctan2(y, x), 2.0 * np.pi)
    sector = np.minimum((phi / (2.0 * np.pi) * np.asarray(counts)[ring]).astype(np.int64),
                        np.asarray(counts)[ring] - 1)
    cell = cum[ring] + sector
    vec = np.stack([np.bincount(cell, weights=q * w[:, j], minlength=n_lights) for j in range(3)],
                   axis=-1)
    # Cell centres for dark cells (any direction would do: their power is zero).
    centres = np.zeros((n_lights, 3))
    c_hat, e1, e2 = disc_frame(pt, centre_km, rotation)
    for i, cnt in enumerate(counts):
        u_mid = 0.5 * (u_edges[i] + u_edges[i + 1])
        th = np.arccos(1.0 - u_mid)
        for s in range(cnt):
            ph = 2.0 * np.pi * (s + 0.5) / cnt
            centres[cum[i] + s] = (np.cos(th) * c_hat
                                   + np.sin(th) * (np.cos(ph) * e1 + np.sin(ph) * e2))
    power = np.linalg.norm(vec, axis=-1)
    dirs = np.where((power > 0.0)[:, None], vec / np.where(power > 0.0, power, 1.0)[:, None], centres)
    return np.asarray(dirs, dtype=np.float64), np.asarray(power, dtype=np.float64)


def lit_disc_lights(point_km: ArrayLike, centre_km: ArrayLike, rotation: ArrayLike, sun_dir: ArrayLike,
                    radii: tuple[float, float, float], law: Reflectance, n_lights: int = 48, n: int = 192,
                    blockers: Blockers = ()) -> tuple[F64, F64, F64, F64]:
    """:func:`shine_lights` and :func:`lit_disc_points` from one sampling of the disc (the n×n grid of
    :func:`_disc_hits`): ``(dirs (N, 3), power (N,), q (M,), points (M, 3))`` — the lights and the lit
    samples they are made of (irradiance per direction, surface points in the body frame, km)."""
    w, q, x, y, xb = _disc_hits(point_km, centre_km, rotation, sun_dir, radii, law, n, blockers)
    dirs, power = _reduce_to_lights(w, q, x, y, point_km, centre_km, rotation, radii, n_lights)
    lit = q > 0.0
    return dirs, power, q[lit], xb[lit]


def shine_lights(point_km: ArrayLike, source_centre_km: ArrayLike, source_rotation: ArrayLike,
                 sun_dir: ArrayLike, radii: tuple[float, float, float], law: Reflectance,
                 n_lights: int = 48, n: int = 192, blockers: Blockers = ()) -> tuple[F64, F64]:
    """:func:`shine_irradiance` pre-reduced to ``n_lights`` directional lights.

    The body's apparent disc (its bounding circle, seen from ``point_km``) is cut into equal-solid-angle
    polar cells (:func:`light_cells`, sector 0 starting at the body's projected north pole); each
    cell's light is its vector irradiance V_i = Σ L·w·dΩ over its samples: direction d_i = V_i/|V_i|
    (the power-weighted mean direction; the cell centre where the cell is dark) and power
    P_i = |V_i| (solar-irradiance units), which is Σ L·dΩ times the cosine of the cell's spread.
    Then E(n) ≈ Σ P_i·max(0, n·d_i) for any normal n — exact for cells wholly above or below the
    element's horizon, since n·w is linear in w; only cells cut by the horizon differ. Returns
    ``(dirs (N, 3), power (N,))`` in the input frame: what the shaders get as uniform arrays. Spheres
    in ``blockers`` (moons in front of the source) darken the samples they hide.
    """
    w, q, x, y = _disc_samples(point_km, source_centre_km, source_rotation, sun_dir, radii, law, n, blockers)
    return _reduce_to_lights(w, q, x, y, point_km, source_centre_km, source_rotation, radii, n_lights)


def jupitershine_lights(point_km: ArrayLike, jupiter_centre_km: ArrayLike, jupiter_rotation: ArrayLike,
                        sun_dir: ArrayLike, n_lights: int = 48,
                        radii: tuple[float, float, float] = JUPITER.radii_km,
                        k: float = JUPITER_MINNAERT_K, p: float = JUPITER.geometric_albedo,
                        n: int = 192) -> tuple[F64, F64]:
    """:func:`jupitershine_irradiance` pre-reduced to ``n_lights`` directional lights (:func:`shine_lights`).

    Jupiter's apparent disc is cut into equal-solid-angle polar cells, each one light: direction the
    cell's power-weighted mean direction, power its vector irradiance (solar-irradiance units; the
    cell's Σ L·dΩ times the cosine of its spread, the same to ~1e-4 for 48 cells across Jupiter from
    Io). E(n) ≈ Σ P_i·max(0, n·d_i) is exact for cells wholly above or below the element's horizon.
    Returns ``(dirs (N, 3), power (N,))`` in the input frame: what the shaders get as uniform arrays,
    computed once per frame on the CPU. ``n`` = 192 (the direction grid, ~7 ms) keeps the lights
    within ~0.1 % of the n = 400 integral; measured differences from :func:`jupitershine_irradiance`
    are in tests/unit/test_photometry_light.py.
    """
    return shine_lights(point_km, jupiter_centre_km, jupiter_rotation, sun_dir, radii, minnaert_law(k, p),
                        n_lights, n)


def lambert_sphere_full_phase(distance_km: ArrayLike, radius_km: float = R_JUPITER_KM,
                              albedo: float = JUPITER.geometric_albedo) -> F64:
    """Exact irradiance (solar units) from a Lambert sphere of geometric albedo p at full phase
    (α = 0) on an element facing its centre at ``distance_km`` — the near-field closed form.

    With s = R/d, normal albedo A = 3p/2 and the Sun behind the receiver, integrating
    A·cos β · cos e · cos θ / (π r²) over the visible cap (cos β > s) and substituting x = r²/d² gives
    E = (A/8s)·[a m²(1/x₁ − 1/x₂) − a(x₂ − x₁) − m² ln(x₂/x₁) + (x₂² − x₁²)/2], a = 1 + s²,
    m = 1 − s², x₁ = (1 − s)², x₂ = m (derived here; checked against quadrature in the tests).
    Far away it tends to p·s² (the usual p·(R/d)²); from Io (s = 0.170) it is 12.1 % larger: near
    the receiver's limb of the sphere the visible surface is still well lit (μ0 = s there, not 0).
    """
    s = radius_km / np.asarray(distance_km, dtype=np.float64)
    a, m = 1.0 + s * s, 1.0 - s * s
    x1, x2 = (1.0 - s) ** 2, m
    big_a = 1.5 * albedo
    val = (big_a / (8.0 * s)) * (a * m * m * (1.0 / x1 - 1.0 / x2) - a * (x2 - x1)
                                 - m * m * np.log(x2 / x1) + 0.5 * (x2 * x2 - x1 * x1))
    return np.asarray(val, dtype=np.float64)


def sun_fraction_past_sphere(point_km: ArrayLike, occulter_centre_km: ArrayLike, occulter_radius_km: float,
                             sun_km: ArrayLike, sun_radius_km: float = SUN_RADIUS_KM) -> F64:
    """Fraction of the Sun's disc visible from each point past a spherical occulter — the shader's
    formula (numpy twin), vectorised over points (..., 3), any one frame, km.

    Apparent radii ρ = asin(R_occ/|C − P|) and r☉ = asin(R☉/|S − P|), separation = the angle between
    C − P and S − P; visible = 1 − :func:`disc_overlap_fraction` (r☉, ρ, sep) (flat circle–circle
    overlap; the occulter's limb curvature across the 0.05° Sun costs < 5e-4). 1 in sunlight, 0 in
    the umbra, ½ where the occulter's limb bisects the Sun. Points inside the occulter get 0. For
    Jupiter's oblate shadow use :func:`sun_visible_fraction` (exact silhouette; ρ → the edge angle).
    """
    p = np.asarray(point_km, dtype=np.float64)
    to_c = np.asarray(occulter_centre_km, dtype=np.float64) - p
    to_s = np.asarray(sun_km, dtype=np.float64) - p
    dc = np.linalg.norm(to_c, axis=-1)
    ds = np.linalg.norm(to_s, axis=-1)
    rho = np.arcsin(np.clip(occulter_radius_km / dc, 0.0, 1.0))
    r_sun = np.arcsin(np.clip(sun_radius_km / ds, 0.0, 1.0))
    # atan2(|a×b|, a·b): accurate at the tiny separations of a central eclipse.
    sep = np.arctan2(np.linalg.norm(np.cross(to_c, to_s), axis=-1), np.sum(to_c * to_s, axis=-1))
    vis = 1.0 - disc_overlap_fraction(r_sun, rho, sep)
    return np.asarray(np.where(dc <= occulter_radius_km, 0.0, vis), dtype=np.float64)


# --- Io's surface --------------------------------------------------------------------------------

#: McEwen's (1991, Icarus 92, 298) lunar-Lambert weight L(α) = 1 + c1·α + c2·α² + c3·α³ (α in
#: degrees), the polynomial fitted for the Moon, as coded in USGS ISIS (LunarLambertMcEwen). No
#: Io-specific L(α) was found in the references we could reach; it is used for Io as a stand-in and
#: agrees with Io's near-flat disc at low phase: Simonelli & Veverka (Repts. of Planetary Geology and
#: Geophysics Program 1984, NASA 1985; NTRS 19850015308) find Minnaert k ≈ 0.5 at α ≈ 10° for Io's
#: white regions, which is L ≈ 1.
LUNAR_LAMBERT_MCEWEN = (-0.019, 0.000242, -0.00000146)


def io_lunar_lambert_weight(alpha: ArrayLike,
                            coeffs: tuple[float, float, float] = LUNAR_LAMBERT_MCEWEN) -> F64:
    """L(α) of :data:`LUNAR_LAMBERT_MCEWEN`, clipped to [0, 1] (it falls to 0 near α = 105°, where the
    law becomes Lambert). ``alpha`` in radians."""
    a = np.degrees(np.asarray(alpha, dtype=np.float64))
    c1, c2, c3 = coeffs
    return np.asarray(np.clip(1.0 + c1 * a + c2 * a**2 + c3 * a**3, 0.0, 1.0), dtype=np.float64)


def io_albedo_scale(geometric_albedo: float = IO.geometric_albedo, weight0: float = 1.0) -> float:
    """Normal-albedo scale B of the lunar-Lambert law giving a sphere the geometric albedo p.

    At α = 0 (μ0 = μ) the law is B·[L + (1 − L)μ]; averaged over the disc (weight 2μ dμ) that is
    p = B·(L + (1 − L)·2/3) = B·(2 + L)/3 with L = L(0) = ``weight0``. For L(0) = 1 (Lommel–Seeliger
    at opposition: a uniformly bright disc) B = p = 0.63 (Io, docs/sources.md §3f).
    """
    return float(geometric_albedo * 3.0 / (2.0 + weight0))


def io_reflectance(mu0: ArrayLike, mu: ArrayLike, alpha: ArrayLike, albedo_scale: ArrayLike | None = None,
                   weight: ArrayLike | None = None) -> F64:
    """Io's surface radiance under unit sunlight: McEwen's lunar-Lambert law (renderer units).

    r = B·[2L·μ0/(μ0 + μ) + (1 − L)·μ0] — a mix of Lommel–Seeliger (normalised to 1 at normal
    incidence and emission) and Lambert — with μ0, μ the cosines of incidence and emission, α the
    phase angle (rad), L = ``weight`` (default :func:`io_lunar_lambert_weight` (α)) and B =
    ``albedo_scale`` (default :func:`io_albedo_scale`: 0.63, so a uniform Io has p = 0.63; with a
    colour map, B is the map's normal albedo). McEwen 1991, Icarus 92, 298. Zero where μ0 ≤ 0 or
    μ ≤ 0. Not modelled: the opposition surge and the particles' own phase function, which vary
    strongly across Io (Galileo SSI: Geissler et al. 2001, JGR, doi:10.1029/2000JE001361).
    """
    m0 = np.asarray(mu0, dtype=np.float64)
    m = np.asarray(mu, dtype=np.float64)
    ell = io_lunar_lambert_weight(alpha) if weight is None else np.asarray(weight, dtype=np.float64)
    b = io_albedo_scale() if albedo_scale is None else np.asarray(albedo_scale, dtype=np.float64)
    ok = (m0 > 0.0) & (m > 0.0)
    m0c = np.where(ok, m0, 0.0)
    denom = np.where(ok, m0 + m, 1.0)
    val = b * (2.0 * ell * m0c / denom + (1.0 - ell) * m0c)
    return np.asarray(np.where(ok, val, 0.0), dtype=np.float64)


def io_law(albedo_scale: float | None = None) -> Reflectance:
    """Io's lunar-Lambert surface (:func:`io_reflectance` with its L(α)) as a :data:`Reflectance`, of
    uniform normal albedo ``albedo_scale`` (default :func:`io_albedo_scale`: p = 0.63)."""
    b = io_albedo_scale() if albedo_scale is None else float(albedo_scale)

    def law(mu0: F64, mu: F64, alpha: F64) -> F64:
        return io_reflectance(mu0, mu, alpha, albedo_scale=b)

    return law


def ioshine_irradiance(point_km: ArrayLike, normal: ArrayLike, io_centre_km: ArrayLike,
                       io_rotation: ArrayLike, sun_dir: ArrayLike,
                       radii: tuple[float, float, float] = IO.radii_km,
                       law: Reflectance | None = None, n: int = 400) -> F64:
    """Irradiance from Io's lit, visible disc on a flat surface element (the reference for Ioshine).

    :func:`shine_irradiance` for Io: its triaxial ellipsoid (IAU radii, body-fixed → frame
    ``io_rotation`` = ``Snapshot.rotations["io"]``), sunlit from ``sun_dir`` (unit, Io → Sun), with
    radiance from ``law`` — default :func:`io_law`, McEwen's lunar-Lambert law with μ0 toward the
    Sun, μ toward the receiver and α the Sun–surface–receiver angle, uniform albedo calibrated to
    p = 0.63. Units of the solar irradiance, shaped like ``normal[..., 0]``. Io fills much of the sky
    near it (66° across from 1,500 km up), so no far-field formula applies; the integral is exact to
    the grid. Not modelled: Io's albedo pattern (uniform), Jupitershine on Io's night side (a second
    bounce ~1 % of the day side's light) and the thermal glow of its hot spots.
    """
    return shine_irradiance(point_km, normal, io_centre_km, io_rotation, sun_dir, radii,
                            io_law() if law is None else law, n)


#: The direction grid of :func:`ioshine_lights` (n × n; accuracy and cost in its docstring).
IOSHINE_GRID = 160
#: Io's mean radius, km (the far-field Ioshine estimate).
IO_MEAN_RADIUS_KM = IO.mean_radius_km


def ioshine_to_sunlight(distance_km: ArrayLike, albedo: float = IO.geometric_albedo) -> F64:
    """The far-field Ioshine scale p·(R/d)² at full phase (R Io's mean radius, ``distance_km`` from
    Io's centre): an upper bound on Ioshine far from Io (Φ(α) ≤ 1), used to skip it where it is
    negligible. From 1,500 km up (d = 3,320 km) the near-field irradiance on an element facing Io at
    full phase is larger: 0.204 (:func:`ioshine_irradiance`), about sin²θmax·p = 0.30·0.63."""
    d = np.asarray(distance_km, dtype=np.float64)
    return np.asarray(albedo * (IO_MEAN_RADIUS_KM / d) ** 2, dtype=np.float64)


def ioshine_lights(point_km: ArrayLike, io_centre_km: ArrayLike, io_rotation: ArrayLike, sun_dir: ArrayLike,
                   n_lights: int = 48, radii: tuple[float, float, float] = IO.radii_km,
                   law: Reflectance | None = None, n: int = IOSHINE_GRID) -> tuple[F64, F64]:
    """:func:`ioshine_irradiance` reduced to ``n_lights`` directional lights (:func:`shine_lights`).

    Returns ``(dirs (N, 3), power (N,))`` in the input frame (power in solar-irradiance units; scale
    it by the Sun's visible fraction at Io when Io is eclipsed).

    Accuracy, measured against the n = 400 integral (tests/unit/test_photometry_light.py) with
    48 lights and the default n = 160 grid (~6 ms), 1,500 km and 10,000 km above Io (Io 66° and 17°
    across), Sun–Io–receiver angle α = 0°–90°: an element facing Io's centre or 30° from it is within
    0.08 % (0.6 % at α = 120°, where Ioshine is 0.7 % of its full-phase value); 60° from Io within
    0.15 %, or 2.3 % on the side away from the Sun (a small value there); 90° from Io (the horizon
    halves the disc and the cells it crosses are misjudged) 0.9–1.8 % toward the Sun and sideways,
    and never more than 0.25 % of the facing irradiance (0.4 % at α = 120°). A 24-light set is as
    good facing Io but misses more at 90°; a 96 × 96 grid (~4 ms) is up to 0.2 % off facing Io.
    Io is a big light near closest approach, but a smooth one: the directional reduction holds
    because the horizon cut is the only error, whatever the disc's size. Cost grows as n².
    """
    return shine_lights(point_km, io_centre_km, io_rotation, sun_dir, radii, io_law() if law is None else law,
                        n_lights, n)


# --- Thermal glow ---------------------------------------------------------------------------------

#: Sun's effective temperature, K (IAU 2015 Resolution B3 nominal T_eff☉ = 5772 K).
SUN_TEFF_K = 5772.0
#: Jupiter's mean solar distance used when no snapshot distance is given (docs/sources.md §7c: 5.20 AU).
JUPITER_SUN_DISTANCE_KM = 5.20 * AU_KM
#: Visible bands standing in for the sRGB primaries, nm (the project's convention).
BANDS_NM: dict[str, tuple[float, float]] = {"R": (600.0, 700.0), "G": (500.0, 600.0), "B": (400.0, 500.0)}

_H = 6.62607015e-34      # J s (SI 2019, exact)
_C = 299792458.0         # m/s (exact)
_KB = 1.380649e-23       # J/K (SI 2019, exact)


def planck_band_radiance(temperature_k: ArrayLike, band_nm: tuple[float, float],
                         samples: int = 257) -> F64:
    """Blackbody radiance integrated over a wavelength band, W m⁻² sr⁻¹ (Simpson's rule in λ).

    B_λ = 2hc²/λ⁵ / (exp(hc/λkT) − 1); written with exp(−x) so cold surfaces underflow to 0 cleanly.
    ``temperature_k`` any shape; T ≤ 0 gives 0.
    """
    t = np.asarray(temperature_k, dtype=np.float64)
    lam = np.linspace(band_nm[0], band_nm[1], samples) * 1e-9
    tt = np.where(t > 0.0, t, 1.0)[..., None]
    x = _H * _C / (lam * _KB * tt)
    ex = np.exp(-x)
    b_lam = 2.0 * _H * _C**2 / lam**5 * ex / (-np.expm1(-x))
    h = lam[1] - lam[0]
    wts = np.ones(samples)
    wts[1:-1:2], wts[2:-1:2] = 4.0, 2.0
    val = b_lam @ wts * h / 3.0
    return np.asarray(np.where(t > 0.0, val, 0.0), dtype=np.float64)


def thermal_radiance(temperature_k: ArrayLike, band: str | tuple[float, float],
                     sun_distance_km: float = JUPITER_SUN_DISTANCE_KM, emissivity: ArrayLike = 1.0) -> F64:
    """Thermal radiance of a surface at ``temperature_k`` in a visible band, in renderer units.

    The renderer's unit is the radiance of a white Lambert surface facing the Sun at Jupiter's solar
    distance D: E☉/π, with E☉ the solar irradiance in the same band. Taking the Sun as a blackbody of
    T = 5772 K and radius R☉ = 695,700 km (IAU 2015 Resolution B3 nominal values), E☉ = π·B(5772 K)·
    (R☉/D)², so the unit is B_band(5772 K)·(R☉/D)² and

        L = ε·B_band(T) / (B_band(5772 K)·(R☉/D)²).

    ``band``: "R", "G", "B" (:data:`BANDS_NM`: 600–700, 500–600, 400–500 nm) or (λ₁, λ₂) in nm.
    ``sun_distance_km``: the snapshot's Sun distance (default 5.20 AU). Scale at 5.2 AU (R, G, B): a
    5772 K surface is (D/R☉)² ≈ 1.25e6 units; 2,000 K lava 902, 256, 44; 1,500 K 24, 3.6, 0.27 (a
    1,500 K blackbody outshines white sunlit ground at Jupiter ~24× in red — real hot spots fill a
    small fraction of a pixel); 1,000 K 0.017, 8e-4, 1e-5; 300 K 7e-24 in R (nothing).
    """
    lo_hi = BANDS_NM[band] if isinstance(band, str) else band
    unit = planck_band_radiance(SUN_TEFF_K, lo_hi) * (SUN_RADIUS_KM / sun_distance_km) ** 2
    return np.asarray(np.asarray(emissivity, dtype=np.float64) * planck_band_radiance(temperature_k, lo_hi)
                      / unit, dtype=np.float64)
