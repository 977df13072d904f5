"""Physical constants and IAU rotation models, each number with its source.

Distances in km, GM in km³/s², angles in degrees (as published), rates in degrees per day (``d``) or
per Julian century (``T``), both counted from J2000 TDB. ``docs/sources.md`` lists the
sources; section numbers below refer to it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Speed of light, km/s (IAU 1976, exact by definition of the metre).
C_KM_S = 299792.458
#: Astronomical unit, km (IAU 2012 Resolution B2, exact).
AU_KM = 149597870.7
#: Solar radius, km (IAU 2015 Resolution B3 nominal value).
SUN_RADIUS_KM = 695700.0
#: The Sun's V magnitude at 1 AU (docs/sources.md §7c).
SUN_V_MAG_1AU = -26.74


@dataclass(frozen=True)
class Body:
    """A body's size, mass and NAIF id. ``radii_km`` are the IAU triaxial semi-axes (a, b, c)."""

    name: str
    naif_id: int
    radii_km: tuple[float, float, float]
    gm_km3_s2: float
    geometric_albedo: float

    @property
    def mean_radius_km(self) -> float:
        a, b, c = self.radii_km
        return float((a * b * c) ** (1.0 / 3.0))


# Radii: IAU WGCCRE 2015 = NAIF pck00011 BODY5xx_RADII (docs/sources.md §3a, §3e, §7a; Europa's triaxial
# values 1562.6 × 1560.3 × 1559.5 from the same kernel).
# GM: Jupiter and Io from JPL's jup309 satellite ephemeris comment (docs/sources.md §3a, §3b, §2b); Europa,
# Ganymede and Callisto from JPL SSD "Planetary Satellite Physical Parameters" (same solution family).
# Geometric albedos (visual): Jupiter 0.52, Io 0.63 (docs/sources.md §3f); Europa 0.67, Ganymede 0.43,
# Callisto 0.20 (NSSDC fact sheets, docs/sources.md §7a).
JUPITER = Body("jupiter", 599, (71492.0, 71492.0, 66854.0), 1.266865342e8, 0.52)
IO = Body("io", 501, (1829.4, 1819.4, 1815.7), 5959.916, 0.63)
EUROPA = Body("europa", 502, (1562.6, 1560.3, 1559.5), 3202.739, 0.67)
GANYMEDE = Body("ganymede", 503, (2631.2, 2631.2, 2631.2), 9887.834, 0.43)
CALLISTO = Body("callisto", 504, (2410.3, 2410.3, 2410.3), 7179.289, 0.20)

MOONS: tuple[Body, ...] = (IO, EUROPA, GANYMEDE, CALLISTO)
BODIES: dict[str, Body] = {b.name: b for b in (JUPITER, *MOONS)}

#: Jupiter's equatorial radius, the unit of the Galilean-satellite theory's distances (km).
R_JUPITER_KM = JUPITER.radii_km[0]


@dataclass(frozen=True)
class RotationModel:
    """An IAU pole-and-prime-meridian model (WGCCRE 2015 form, as in NAIF pck00011).

    α0 = ra[0] + ra[1]·T + Σ ra_terms[i]·sin θi;  δ0 = dec[0] + dec[1]·T + Σ dec_terms[i]·cos θi;
    W = pm[0] + pm[1]·d + Σ pm_terms[i]·sin θi, with θi = the Jupiter-system angle named in
    ``angles[i]`` (see :data:`JUPITER_ANGLES`). Degrees; T in Julian centuries, d in days of TDB.
    """

    ra: tuple[float, float]
    dec: tuple[float, float]
    pm: tuple[float, float]
    angles: tuple[str, ...] = ()
    ra_terms: tuple[float, ...] = ()
    dec_terms: tuple[float, ...] = ()
    pm_terms: tuple[float, ...] = ()


#: BODY5_NUT_PREC_ANGLES of pck00011 (docs/sources.md §3d): name → (degrees, degrees per Julian century).
JUPITER_ANGLES: dict[str, tuple[float, float]] = {
    "J1": (73.32, 91472.9), "J2": (24.62, 45137.2), "J3": (283.90, 4850.7),
    "J4": (355.80, 1191.3), "J5": (119.90, 262.1), "J6": (229.80, 64.3),
    "J7": (352.25, 2382.6), "J8": (113.35, 6070.0),
    "Ja": (99.360714, 4850.4046), "Jb": (175.895369, 1191.9605), "Jc": (300.323162, 262.5475),
    "Jd": (114.012305, 6070.2476), "Je": (49.511251, 64.3000),
}

# pck00011 (IAU WGCCRE 2015), docs/sources.md §3d; the Europa/Ganymede/Callisto periodic terms are the
# BODY50x_NUT_PREC_* rows of the same kernel.
ROTATION: dict[str, RotationModel] = {
    # System III. W rate 870.5360000 °/d (2015); the older 870.5366420 is not used.
    "jupiter": RotationModel(
        ra=(268.056595, -0.006499), dec=(64.495303, 0.002413), pm=(284.95, 870.5360000),
        angles=("Ja", "Jb", "Jc", "Jd", "Je"),
        ra_terms=(0.000117, 0.000938, 0.001432, 0.000030, 0.002150),
        dec_terms=(0.000050, 0.000404, 0.000617, -0.000013, 0.000926),
        pm_terms=(0.0, 0.0, 0.0, 0.0, 0.0),
    ),
    "io": RotationModel(
        ra=(268.05, -0.009), dec=(64.50, 0.003), pm=(200.39, 203.4889538),
        angles=("J3", "J4"), ra_terms=(0.094, 0.024), dec_terms=(0.040, 0.011),
        pm_terms=(-0.085, -0.022),
    ),
    "europa": RotationModel(
        ra=(268.08, -0.009), dec=(64.51, 0.003), pm=(36.022, 101.3747235),
        angles=("J4", "J5", "J6", "J7"), ra_terms=(1.086, 0.060, 0.015, 0.009),
        dec_terms=(0.468, 0.026, 0.007, 0.002), pm_terms=(-0.980, -0.054, -0.014, -0.008),
    ),
    "ganymede": RotationModel(
        ra=(268.20, -0.009), dec=(64.57, 0.003), pm=(44.064, 50.3176081),
        angles=("J4", "J5", "J6"), ra_terms=(-0.037, 0.431, 0.091),
        dec_terms=(-0.016, 0.186, 0.039), pm_terms=(0.033, -0.389, -0.082),
    ),
    "callisto": RotationModel(
        ra=(268.72, -0.009), dec=(64.83, 0.003), pm=(259.51, 21.5710715),
        angles=("J5", "J6", "J8"), ra_terms=(-0.068, 0.590, 0.010),
        dec_terms=(-0.029, 0.254, -0.004), pm_terms=(0.061, -0.533, -0.009),
    ),
}

#: Io's sidereal orbital period, days (docs/sources.md §3b) — for tests only; the code derives periods.
IO_SIDEREAL_PERIOD_D = 1.769137786
