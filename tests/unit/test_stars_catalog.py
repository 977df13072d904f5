"""The star catalogue (viewer.render.stars): parsing and caching, J2000 propagation, V from Hp, colours,
brightness in the renderer's units and the PSF weights. No GL."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer.render import stars as S

# Published J2000 (ICRS, epoch J2000.0) positions, SIMBAD, and V (Bright Star Catalogue, 5th ed.).
BIG_DIPPER = {  # HIP: (RA h m s, Dec ° ′ ″, V)
    54061: ("11 03 43.672", "+61 45 03.72", 1.79),   # Dubhe
    53910: ("11 01 50.477", "+56 22 56.73", 2.37),   # Merak
    58001: ("11 53 49.847", "+53 41 41.14", 2.44),   # Phecda
    59774: ("12 15 25.561", "+57 01 57.42", 3.31),   # Megrez
    62956: ("12 54 01.750", "+55 57 35.36", 1.77),   # Alioth
    65378: ("13 23 55.540", "+54 55 31.27", 2.27),   # Mizar (A)
    67301: ("13 47 32.438", "+49 18 47.76", 1.86),   # Alkaid
}
BARNARD = 87937  # J2000: 17h57m48.50s +04°41′36.1″, μ = 10.39″/yr


def radec(ra: str, dec: str) -> tuple[float, float]:
    h, m, s = (float(v) for v in ra.split())
    sign = -1.0 if dec.startswith("-") else 1.0
    d, dm, ds = (float(v) for v in dec.lstrip("+-").split())
    return math.radians(15.0 * (h + m / 60 + s / 3600)), sign * math.radians(d + dm / 60 + ds / 3600)


def sep_arcsec(a: np.ndarray, b: np.ndarray) -> float:
    return math.degrees(math.atan2(np.linalg.norm(np.cross(a, b)), float(a @ b))) * 3600.0


@pytest.fixture(scope="module")
def catalog() -> S.StarCatalog:
    return S.hipparcos(None)


# -- file and cache ----------------------------------------------------------------------------------

def test_cache_is_written_atomically_and_reused(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("JUPITERSHINE_CACHE", str(tmp_path))
    path = S.cache_path()
    assert path.parent == tmp_path and S.catalog_version() in path.name
    cols = S.load_columns()
    assert path.is_file() and [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left
    assert cols["hip"].shape == (117_955,) and cols["hip"].dtype == np.int32

    def no_parse(_path):
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(S, "parse_hip2", no_parse)
    again = S.load_columns()
    for name, values in cols.items():
        np.testing.assert_array_equal(again[name], values)

    # a damaged cache is parsed again and replaced
    path.write_bytes(b"not an npz")
    monkeypatch.undo()
    monkeypatch.setenv("JUPITERSHINE_CACHE", str(tmp_path))
    np.testing.assert_array_equal(S.load_columns()["hp_mag"], cols["hp_mag"])
    with np.load(path) as data:
        assert data["hip"].shape == (117_955,)


def test_catalogue_contents(catalog) -> None:
    assert len(catalog) == 117_955                      # every star has a position and Hp
    assert np.all(np.diff(catalog.v_mag) >= 0.0)        # brightest first
    assert catalog.hip[0] == 32349 and catalog.v_mag[0] == -1.46  # Sirius (override)
    np.testing.assert_allclose(np.linalg.norm(catalog.direction, axis=1), 1.0, atol=1e-12)
    assert np.isnan(catalog.b_v).sum() == 1143
    bright = S.hipparcos(S.DEFAULT_MAG_LIMIT)
    assert 80_000 < len(bright) < 86_000 and bright.v_mag.max() <= S.DEFAULT_MAG_LIMIT


# -- astrometry --------------------------------------------------------------------------------------

def test_barnards_star_moves_to_its_j2000_position(catalog) -> None:
    i = catalog.index(BARNARD)
    cols = S.load_columns()
    j = int(np.flatnonzero(cols["hip"] == BARNARD)[0])
    at_1991 = S.unit_vectors(cols["ra_rad"][j], cols["dec_rad"][j])
    moved = sep_arcsec(at_1991, catalog.direction[i])
    assert moved == pytest.approx(10.36 * 8.75, abs=0.5)            # ≈ 90.6″ in 8.75 yr
    published = S.unit_vectors(*radec("17 57 48.50", "+04 41 36.1"))
    assert sep_arcsec(published, catalog.direction[i]) < 1.0
    assert sep_arcsec(published, at_1991) > 85.0                     # unpropagated it would be off


def test_big_dipper_positions_and_magnitudes(catalog) -> None:
    for hip, (ra, dec, v) in BIG_DIPPER.items():
        i = catalog.index(hip)
        assert sep_arcsec(S.unit_vectors(*radec(ra, dec)), catalog.direction[i]) < 0.1, hip
        assert catalog.v_mag[i] == pytest.approx(v, abs=0.05), hip     # V from Hp (Bessell 2000)


def test_propagation_is_along_the_proper_motion() -> None:
    # 1″/yr east at Dec 60° for 8.75 yr: RA grows by 8.75″/cos 60°, Dec unchanged (to second order)
    p = S.propagate(0.0, math.radians(60.0), 1000.0, 0.0)
    ra, dec = math.atan2(p[1], p[0]), math.asin(p[2])
    assert math.degrees(ra) * 3600 == pytest.approx(8.75 / 0.5, rel=1e-6)
    assert math.degrees(dec) * 3600 == pytest.approx(60.0 * 3600, abs=1e-3)  # great circle: 0.3 mas
    q = S.propagate(1.0, -0.3, 0.0, -2000.0, years=1.0)
    assert math.degrees(math.asin(q[2]) + 0.3) * 3600 == pytest.approx(-2.0, rel=1e-6)


# -- photometry and colour ---------------------------------------------------------------------------

def test_v_from_hp() -> None:
    assert S.v_from_hp(5.0, 0.0) == pytest.approx(5.0 - 0.011, abs=0.003)    # A0: V ≈ Hp
    assert S.v_from_hp(5.0, 1.0) == pytest.approx(5.0 - 0.16, abs=0.01)      # K giants: V brighter
    assert S.v_from_hp(5.0, float("nan")) == 5.0


def test_temperature_from_b_minus_v() -> None:
    assert S.bv_to_temperature(0.65) == pytest.approx(5778.0, abs=20.0)     # the Sun
    assert S.bv_to_temperature(0.0) == pytest.approx(10_100.0, abs=200.0)
    assert S.bv_to_temperature(1.5) == pytest.approx(3800.0, abs=100.0)


def test_colour_matching_fit_peaks() -> None:
    lam = np.arange(380.0, 781.0)
    xyz = S.cie1931_xyz(lam)
    assert lam[np.argmax(xyz[:, 1])] == pytest.approx(555.0, abs=5.0)       # photopic peak
    assert xyz[:, 1].max() == pytest.approx(1.0, abs=0.02)
    # equal-energy white: X ≈ Y ≈ Z (the CIE normalisation), within the fit's accuracy
    sums = xyz.sum(axis=0)
    np.testing.assert_allclose(sums / sums[1], 1.0, atol=0.02)


def test_colours(catalog) -> None:
    sun, blue, red, none = S.bv_to_rgb([0.65, -0.3, 1.5, float("nan")])
    for rgb in (sun, blue, red, none):
        assert rgb @ S.LUMA == pytest.approx(1.0)
    np.testing.assert_allclose(sun, 1.0, atol=0.02)      # a solar twin is white (the renderer's sunlight)
    np.testing.assert_array_equal(none, 1.0)
    assert blue[2] > 1.5 * blue[0]                       # hot: blue
    assert red[0] > 2.0 * red[2] and red[0] > red[1]     # cool: red
    # without the white balance a Sun-like star is slightly warm but still near white in D65 sRGB
    d65 = S.blackbody_rgb(S.bv_to_temperature(0.65))
    assert 1.0 < d65[0] / d65[2] < 1.3
    assert np.all(catalog.rgb >= 0.0)
    np.testing.assert_allclose(catalog.rgb @ S.LUMA, 1.0, rtol=1e-9)


# -- brightness ----------------------------------------------------------------------------------------

def test_radiance_scale_for_a_known_magnitude() -> None:
    jupiter_km = 5.2 * S.AU_KM
    v_sun = S.sun_v_mag(jupiter_km)
    assert v_sun == pytest.approx(-26.74 + 5 * math.log10(5.2))       # −23.16
    assert S.sun_v_mag(S.AU_KM) == -26.74
    # a V = 0 star at Jupiter: 10^(−0.4·23.16) = 5.4e−10 of the Sun's irradiance
    ratio = float(S.irradiance_ratio(0.0, jupiter_km))
    assert ratio == pytest.approx(10 ** (-0.4 * 26.74) * 5.2**2, rel=1e-12)
    assert ratio == pytest.approx(5.43e-10, rel=0.01)
    assert float(S.irradiance_ratio(5.0, jupiter_km)) == pytest.approx(ratio / 100.0)
    # spread over pixels of 1/f² sr, the radiances sum to π·ratio·f²
    f = 935.3
    assert float(S.pixel_radiance_sum(ratio, f)) == pytest.approx(math.pi * ratio * f * f)
    # ... i.e. Σ L·Ω_px = π·E*/E_sun: the irradiance in units where a white Lambert surface is 1
    assert float(S.pixel_radiance_sum(ratio, f)) / f**2 / math.pi == pytest.approx(ratio)


@pytest.mark.parametrize("center", [(10.5, 20.5), (10.0, 20.0), (10.999, 3.001), (-2.3, 7.7)])
def test_psf_weights_conserve_flux(center) -> None:
    (x0, y0), w = S.psf_weights(center)
    n = 2 * S.PSF_RADIUS_PX + 1
    assert w.shape == (n, n) and np.all(w >= 0.0)
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    # the pixel holding the centre is the footprint's middle one
    assert (x0 + S.PSF_RADIUS_PX, y0 + S.PSF_RADIUS_PX) == (math.floor(center[0]), math.floor(center[1]))
    # the footprint holds nearly all of the Gaussian (normalising changes it by < 1 %)
    from scipy.special import ndtr

    raw = [ndtr((np.array([f + n]) - c) / S.PSF_SIGMA_PX) - ndtr((f - c) / S.PSF_SIGMA_PX)
           for f, c in ((x0, center[0]), (y0, center[1]))]
    assert float(raw[0][0] * raw[1][0]) > 0.99
    # the centroid is the star's position
    cx = (w.sum(axis=0) * (x0 + np.arange(n) + 0.5)).sum()
    cy = (w.sum(axis=1) * (y0 + np.arange(n) + 0.5)).sum()
    assert (cx, cy) == pytest.approx(center, abs=0.02)
