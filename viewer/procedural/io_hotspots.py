"""Io's volcanic hot spots as an emission map of linear radiance (16-bit greyscale PNG).

Each hot spot (:data:`IO_HOTSPOTS`) is a hot component of colour temperature ``temp_k`` and
radiated power ``power_w``; its area is A = P / (σ T⁴). The area is spread over a Gaussian
footprint (σ = ``radius_km``/2, widened by half a map pixel so that small sources are never lost
between pixel centres, truncated at 2 × ``radius_km``), so each pixel holds the fraction f of its
area covered by lava at T. The pixel's radiance in the red band is then

    L = f · B̄(T) / B̄☉,   B̄ = mean Planck radiance over 600–700 nm,

in the renderer's unit (docs/architecture.md "Radiometry": 1.0 = a white Lambertian surface facing the
Sun at Jupiter's distance): B̄☉ is that radiance for the Sun taken as a 5772 K blackbody giving
1361 W m⁻² at 1 AU (Kopp & Lean 2011, GRL 38, L01706) at 5.20 AU (docs/sources.md §7c).

One channel only: the red band (600–700 nm, roughly the sRGB red primary) holds nearly all of the
visible light of lava at 1000–1600 K, and Pillow (hence the map loader) reads 16-bit *colour* PNGs
at 8 bits only, while it reads 16-bit greyscale at full depth. A renderer gets the green and blue
channels as ``L × HOTSPOT_GB_OVER_R`` (the band ratios of a 1300 K blackbody).

Stored: ``value = round(L / EMISSION_SCALE × 65535)``, clipped; EMISSION_SCALE = 0.05 (documented
in textures/README.md). Pixels farther than 2 footprint radii from every hot spot are exactly
zero.

Temperatures and powers are representative values rounded from the literature cited per entry
(and the summaries in Lopes & Spencer (eds.) 2007, "Io after Galileo", Springer; Davies 2007,
"Volcanism on Io", CUP). Io's hot spots vary by factors of several over weeks to years, so the
map is illustrative of a typical state, not of 2023-12-30.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.procedural.features import spot_patch
from viewer.procedural.io_map import IO_RADIUS_KM, LOKI_LAT, LOKI_WLON, PELE_LAT, PELE_WLON

FloatArray = npt.NDArray[np.float64]

EMISSION_SCALE = 0.05  # radiance of the 16-bit value 65535
SIGMA_SB = 5.670374419e-8  # W m⁻² K⁻⁴
_H, _C, _K = 6.62607015e-34, 2.99792458e8, 1.380649e-23
SUN_TEFF_K = 5772.0  # IAU 2015 Resolution B3 nominal solar effective temperature
SOLAR_CONSTANT = 1361.0  # W m⁻², Kopp & Lean 2011
SUN_RADIUS_M, AU_M = 6.957e8, 1.495978707e11
JUPITER_DISTANCE_AU = 5.20  # docs/sources.md §7c (mean; 4.95–5.46)
BANDS_NM: tuple[tuple[float, float], ...] = ((600.0, 700.0), (500.0, 600.0), (400.0, 500.0))
COLOUR_TEMPERATURE_K = 1300.0  # for the green/blue ratios a renderer applies


@dataclass(frozen=True)
class IoHotSpot:
    """A volcanic hot spot: position (planetocentric °, west °), footprint radius (km), colour
    temperature of the hot component (K), its radiated power (W), and the source."""

    name: str
    lat: float
    wlon: float
    radius_km: float
    temp_k: float
    power_w: float
    source: str


IO_HOTSPOTS: tuple[IoHotSpot, ...] = (
    # Loki: Io's most powerful volcano, ~15 % of its volcanic heat (Galileo PPR, NASA/JPL PIA02589,
    # 2001); a ~200 km overturning lava lake whose crust is mostly cool (de Pater et al. 2017,
    # Icarus 297, 265); only a small hot component (~1000 K) is counted here.
    IoHotSpot("Loki Patera", LOKI_LAT, LOKI_WLON, 100.0, 1000.0, 3e12,
              "PIA02589; de Pater et al. 2017; Rathbun et al. 2002"),
    # Pele: persistent lava lake, ~1300–1400 K (Lopes et al. 2001, JGR 106, 33053; Davies et al.
    # 2001, JGR 106, 33079), a few 10¹¹ W
    IoHotSpot("Pele", PELE_LAT, PELE_WLON, 20.0, 1350.0, 3e11, "Lopes et al. 2001; Davies 2001"),
    # Pillan: 1997 eruption ≥ 1600 K (McEwen et al. 1998, Science 281, 87); quieter since
    IoHotSpot("Pillan Patera", -12.0, 243.0, 40.0, 1600.0, 5e10, "McEwen et al. 1998"),
    # Tvashtar: high-latitude fountains (Keszthelyi et al. 2001, JGR 106, 33025; 2007 New Horizons
    # plume, Spencer et al. 2007, Science 318, 240)
    IoHotSpot("Tvashtar Paterae", 62.8, 123.5, 50.0, 1300.0, 3e11,
              "Keszthelyi et al. 2001; Spencer et al. 2007"),
    IoHotSpot("Janus Patera", -3.0, 39.0, 30.0, 1200.0, 1e11, "Lopes et al. 2001; Tsang 2014"),
    IoHotSpot("Kanehekili Fluctus", -17.8, 35.6, 40.0, 1200.0, 1e11,
              "Lopes et al. 2001; Tsang et al. 2014, JGR 119, 2222"),
    IoHotSpot("Marduk Fluctus", -27.4, 209.7, 40.0, 1200.0, 1e11, "Lopes et al. 2001"),
    IoHotSpot("Amirani", 24.5, 114.7, 80.0, 1100.0, 2e11, "Lopes et al. 2001; Tsang 2014"),
    IoHotSpot("Prometheus", -1.6, 153.3, 40.0, 1200.0, 1e11, "Lopes et al. 2001; Tsang 2014"),
    IoHotSpot("Culann Patera", -19.9, 160.2, 30.0, 1100.0, 5e10, "Lopes et al. 2001"),
    IoHotSpot("Zamama", 18.0, 173.0, 30.0, 1100.0, 5e10, "Lopes et al. 2001"),
    IoHotSpot("Masubi", -45.5, 55.6, 60.0, 1000.0, 5e10, "Tsang et al. 2014"),
    IoHotSpot("Gish Bar Patera", 16.2, 90.3, 40.0, 1000.0, 5e10, "Lopes et al. 2001"),
    # East Girru: new in 2007 at 22° N 245° W (Spencer et al. 2007, New Horizons LORRI)
    IoHotSpot("East Girru", 22.0, 245.0, 25.0, 1300.0, 5e10, "Spencer et al. 2007"),
    IoHotSpot("Dazhbog Patera", 54.0, 301.5, 40.0, 1100.0, 1e11, "Mura et al. 2024, Front. "
              "Astron. Space Sci. 11:1369472 (JIRAM polar hot spots)"),
    IoHotSpot("Kurdalagon Patera", -49.0, 217.0, 40.0, 1000.0, 5e10, "Mura et al. 2024"),
    IoHotSpot("Isum Patera", 29.9, 206.5, 30.0, 1000.0, 5e10, "Lopes et al. 2001"),
    IoHotSpot("Ra Patera", -8.6, 325.3, 40.0, 1000.0, 3e10, "Tsang et al. 2014"),
)


def planck_band(temp_k: float, lo_nm: float, hi_nm: float) -> float:
    """Mean spectral radiance (W m⁻² sr⁻¹ m⁻¹) of a blackbody at ``temp_k`` over [lo, hi] nm."""
    lam = np.linspace(lo_nm, hi_nm, 201) * 1e-9
    with np.errstate(over="ignore"):
        b = 2 * _H * _C**2 / lam**5 / np.expm1(_H * _C / (lam * _K * temp_k))
    return float(np.trapezoid(b, lam) / (lam[-1] - lam[0]))


def white_band(lo_nm: float, hi_nm: float) -> float:
    """Mean spectral radiance over [lo, hi] nm of a white Lambertian surface facing the Sun at
    Jupiter: the Sun's blackbody radiance × the Sun's solid angle / π."""
    omega_over_pi = (SUN_RADIUS_M / (JUPITER_DISTANCE_AU * AU_M)) ** 2
    scale = SOLAR_CONSTANT / (SIGMA_SB * SUN_TEFF_K**4 * (SUN_RADIUS_M / AU_M) ** 2)
    return planck_band(SUN_TEFF_K, lo_nm, hi_nm) * omega_over_pi * scale


def channel_ratios(temp_k: float) -> tuple[float, float, float]:
    """Band radiances (R, G, B bands of :data:`BANDS_NM`) of a blackbody at ``temp_k``, each
    relative to the same band of a sunlit white surface, normalised to R = 1."""
    rel = [planck_band(temp_k, lo, hi) / white_band(lo, hi) for lo, hi in BANDS_NM]
    return (1.0, rel[1] / rel[0], rel[2] / rel[0])


HOTSPOT_GB_OVER_R: tuple[float, float] = channel_ratios(COLOUR_TEMPERATURE_K)[1:]


def generate_io_hotspots(h: int, w: int) -> FloatArray:
    """Emission map ``(h, w)``: red-band radiance in renderer units (see module docstring)."""
    out = np.zeros((h, w))
    px_km = 2 * np.pi * IO_RADIUS_KM / w
    white_r = white_band(*BANDS_NM[0])
    for s in IO_HOTSPOTS:
        area_km2 = s.power_w / (SIGMA_SB * s.temp_k**4) / 1e6
        sigma = np.hypot(s.radius_km / 2.0, px_km / 2.0)
        reach = max(2.0 * s.radius_km, 3.0 * sigma)
        pt = spot_patch(out.shape, s.lat, s.wlon, reach / IO_RADIUS_KM)
        d = pt.dist * IO_RADIUS_KM
        f = area_km2 / (2 * np.pi * sigma**2) * np.exp(-0.5 * (d / sigma) ** 2)
        f = np.where(d <= reach, np.minimum(f, 1.0), 0.0)
        rel = planck_band(s.temp_k, *BANDS_NM[0]) / white_r
        rr = np.arange(pt.rows.start, pt.rows.stop)
        out[rr[:, None], pt.cols[None, :]] += f * rel
    return out


def encode_emission(radiance: FloatArray) -> npt.NDArray[np.uint16]:
    """Radiance (renderer units) → 16-bit values: ``round(L / EMISSION_SCALE × 65535)``."""
    return np.clip(np.rint(radiance / EMISSION_SCALE * 65535.0), 0, 65535).astype(np.uint16)


def decode_emission(values: npt.NDArray[np.integer]) -> FloatArray:
    """16-bit values → radiance in renderer units (the inverse of :func:`encode_emission`)."""
    return np.asarray(values, dtype=np.float64) / 65535.0 * EMISSION_SCALE
