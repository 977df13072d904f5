"""SPICE mode: kernels written here with spiceypy from the embedded model must give the same answers.

The test writes every kernel it loads: an SPK (type 9 Lagrange segments for the Sun, the Earth and the
moons, a type 13 Hermite segment for Juno, all relative to Jupiter's centre in J2000), a type 3 CK of
JUNO_SPACECRAFT with a text SCLK, and text LSK, PCK (the IAU 2015 models of viewer.sim.constants) and
FK files. SPICE mode and embedded mode must then agree to 1 m and 0.001° — positions and body-fixed
sub-points, which would expose a frame mix-up — and the reported sub-points must be spiceypy's own
``subpnt``/``subslr`` "INTERCEPT/ELLIPSOID" points (the Juno team's method) to 10⁻⁶°, the altitude its
"NEAR POINT/ELLIPSOID" distance.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

spiceypy = pytest.importorskip("spiceypy")

from viewer.cli import main  # noqa: E402
from viewer.errors import UserError  # noqa: E402
from viewer.report import info_dict  # noqa: E402
from viewer.sim import juno  # noqa: E402
from viewer.sim.constants import BODIES, JUPITER_ANGLES, ROTATION  # noqa: E402
from viewer.sim.ephemeris import AnalyticEphemeris  # noqa: E402
from viewer.sim.spice import SpiceEphemeris  # noqa: E402
from viewer.sim.timescales import utc_to_et  # noqa: E402
from viewer.sim.world import World  # noqa: E402

CA = utc_to_et("2023-12-30T08:36:00.836")
SPAN = (CA - 3600.0, CA + 3600.0)  # Juno's SPK and CK
BODY_SPAN = (CA - 10800.0, CA + 10800.0)  # the other bodies' SPK segments
LEAPS = ["1972-JAN-1", "1972-JUL-1", "1973-JAN-1", "1974-JAN-1", "1975-JAN-1", "1976-JAN-1",
         "1977-JAN-1", "1978-JAN-1", "1979-JAN-1", "1980-JAN-1", "1981-JUL-1", "1982-JUL-1",
         "1983-JUL-1", "1985-JUL-1", "1988-JAN-1", "1990-JAN-1", "1991-JAN-1", "1992-JUL-1",
         "1993-JUL-1", "1994-JUL-1", "1996-JAN-1", "1997-JUL-1", "1999-JAN-1", "2006-JAN-1",
         "2009-JAN-1", "2012-JUL-1", "2015-JUL-1", "2017-JAN-1"]
NAIF = {"sun": 10, "earth": 399, "io": 501, "europa": 502, "ganymede": 503, "callisto": 504}
PCK_IDS = {"jupiter": 599, "io": 501, "europa": 502, "ganymede": 503, "callisto": 504}


def _lsk() -> str:
    pairs = "\n".join(f"    {10 + i}, @{d}" for i, d in enumerate(LEAPS))
    return ("KPL/LSK\n\\begindata\nDELTET/DELTA_T_A = 32.184\nDELTET/K = 1.657D-3\n"
            "DELTET/EB = 1.671D-2\nDELTET/M = ( 6.239996D0 1.99096871D-7 )\n"
            f"DELTET/DELTA_AT = (\n{pairs} )\n\\begintext\n")


def _wrap(values: list[str]) -> str:
    """Text-kernel values, a few per line (SPICE reads at most 132 characters per line)."""
    return "\n    ".join(" ".join(values[i:i + 4]) for i in range(0, len(values), 4))


def _pck() -> str:
    names = list(JUPITER_ANGLES)
    angles = _wrap([f"{a!r} {b!r}" for a, b in JUPITER_ANGLES.values()])
    lines = ["KPL/PCK", "\\begindata", f"BODY5_NUT_PREC_ANGLES = ( {angles} )"]
    for body, naif in PCK_IDS.items():
        m = ROTATION[body]

        def terms(values: tuple[float, ...], model=m) -> str:
            full = [0.0] * len(names)
            for name, v in zip(model.angles, values, strict=True):
                full[names.index(name)] = v
            return _wrap([repr(x) for x in full])

        lines += [f"BODY{naif}_POLE_RA = ( {m.ra[0]!r} {m.ra[1]!r} 0.0 )",
                  f"BODY{naif}_POLE_DEC = ( {m.dec[0]!r} {m.dec[1]!r} 0.0 )",
                  f"BODY{naif}_PM = ( {m.pm[0]!r} {m.pm[1]!r} 0.0 )",
                  f"BODY{naif}_NUT_PREC_RA = ( {terms(m.ra_terms)} )",
                  f"BODY{naif}_NUT_PREC_DEC = ( {terms(m.dec_terms)} )",
                  f"BODY{naif}_NUT_PREC_PM = ( {terms(m.pm_terms)} )",
                  f"BODY{naif}_RADII = ( {' '.join(repr(r) for r in BODIES[body].radii_km)} )"]
    return "\n".join([*lines, "\\begintext", ""])


FK = """KPL/FK
\\begindata
NAIF_BODY_NAME += ( 'JUNO' )
NAIF_BODY_CODE += ( -61 )
FRAME_JUNO_SPACECRAFT = -61000
FRAME_-61000_NAME = 'JUNO_SPACECRAFT'
FRAME_-61000_CLASS = 3
FRAME_-61000_CLASS_ID = -61000
FRAME_-61000_CENTER = -61
CK_-61000_SCLK = -61
CK_-61000_SPK = -61
\\begintext
"""

SCLK = """KPL/SCLK
\\begindata
SCLK_KERNEL_ID = ( @2023-12-30/00:00 )
SCLK_DATA_TYPE_61 = ( 1 )
SCLK01_TIME_SYSTEM_61 = ( 1 )
SCLK01_N_FIELDS_61 = ( 2 )
SCLK01_MODULI_61 = ( 4294967296 256 )
SCLK01_OFFSETS_61 = ( 0 0 )
SCLK01_OUTPUT_DELIM_61 = ( 1 )
SCLK_PARTITION_START_61 = ( 0.0 )
SCLK_PARTITION_END_61 = ( 1.099511627776E+12 )
SCLK01_COEFFICIENTS_61 = ( 0.0 0.0 1.0 )
\\begintext
"""


def write_kernels(folder: Path) -> None:
    """Write the LSK, PCK, FK, SCLK, SPK and CK into ``folder``."""
    (folder / "test.tls").write_text(_lsk())
    (folder / "test.tpc").write_text(_pck())
    (folder / "test.tf").write_text(FK)
    (folder / "test.tsc").write_text(SCLK)
    eph = AnalyticEphemeris()
    spiceypy.kclear()
    for k in ("test.tls", "test.tf", "test.tsc"):
        spiceypy.furnsh(str(folder / k))
    try:
        handle = spiceypy.spkopn(str(folder / "test.bsp"), "test", 0)
        for body, naif in NAIF.items():
            step = 600.0 if body in ("sun", "earth") else 60.0
            t = np.arange(BODY_SPAN[0], BODY_SPAN[1] + 1.0, step)
            p, v = eph.state(body, t)
            spiceypy.spkw09(handle, naif, 599, "J2000", t[0], t[-1], f"{body} (embedded)", 7,
                            len(t), np.hstack([p, v]), t)
        t = np.arange(SPAN[0], SPAN[1] + 1.0, 20.0)
        p, v = juno.EmbeddedJuno().state(t)
        spiceypy.spkw13(handle, -61, 599, "J2000", t[0], t[-1], "juno (embedded)", 7, len(t),
                        np.hstack([p, v]), t)
        spiceypy.spkcls(handle)

        t = np.arange(SPAN[0], SPAN[1] + 0.5, 1.0)
        rot = juno.EmbeddedJuno().orientation(t)
        quats = np.array([spiceypy.m2q(m.T.copy()) for m in rot])  # C-matrix: J2000 → spacecraft
        ticks = np.array([spiceypy.sce2c(-61, float(x)) for x in t])
        handle = spiceypy.ckopn(str(folder / "test.bc"), "test", 0)
        spiceypy.ckw03(handle, ticks[0], ticks[-1], -61000, "J2000", False, "juno attitude",
                       len(t), ticks, quats, np.zeros((len(t), 3)), 1, np.array([ticks[0]]))
        spiceypy.ckcls(handle)
    finally:
        spiceypy.kclear()


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kernels")
    write_kernels(folder)
    return folder


@pytest.fixture(scope="module")
def spice_world(kernel_dir: Path) -> World:
    return World(SpiceEphemeris(kernel_dir))


TIMES = [CA - 1800.0, CA, CA + 385.5, CA + 3000.25]


@pytest.mark.parametrize("et", TIMES)
def test_positions_and_rotations_agree(spice_world: World, et: float) -> None:
    s, e = spice_world.at(et), World().at(et)
    assert set(s.positions) == set(e.positions)
    for body in ("sun", "earth", "io", "europa", "ganymede", "callisto", "juno"):
        assert np.linalg.norm(s.positions[body] - e.positions[body]) < 1e-3, body
    assert np.linalg.norm(s.velocities["juno"] - e.velocities["juno"]) < 1e-6
    for body in ("jupiter", "io", "juno"):
        m = s.rotations[body].T @ e.rotations[body]
        angle = np.degrees(np.arccos(np.clip((np.trace(m) - 1.0) / 2.0, -1.0, 1.0)))
        assert angle < 1e-3, body


@pytest.mark.parametrize("et", TIMES)
def test_info_agrees_positions_and_subpoints(spice_world: World, et: float) -> None:
    s, e = info_dict(spice_world, et), info_dict(World(), et)
    js, je = s["juno"], e["juno"]
    assert np.allclose(js["position_km"], je["position_km"], atol=1.5e-3)
    for key in ("altitude_io_km", "range_io_km", "altitude_jupiter_km"):
        assert js[key] == pytest.approx(je[key], abs=1.5e-3), key
    for key in ("subsc_lat_deg", "subsc_wlon_deg", "phase_angle_deg", "spin_phase_deg"):
        assert js[key] == pytest.approx(je[key], abs=1e-3), key
    for key in ("subsolar_lat_deg", "subsolar_wlon_deg", "sub_jupiter_lat_deg", "sub_jupiter_wlon_deg"):
        assert s["io"][key] == pytest.approx(e["io"][key], abs=1e-3), key
    assert s["jupiter"]["subsolar_wlon_deg"] == pytest.approx(e["jupiter"]["subsolar_wlon_deg"],
                                                             abs=1e-3)


def _spice_lat_wlon(spoint: np.ndarray) -> tuple[float, float]:
    """SPICE ``reclat`` → planetocentric latitude and west longitude in [0, 360), degrees."""
    _, lon, lat = spiceypy.reclat(spoint)
    return float(np.degrees(lat)), float(-np.degrees(lon)) % 360.0


def _close_deg(a: tuple[float, float], b: tuple[float, float], tol: float) -> bool:
    return abs(a[0] - b[0]) < tol and abs((a[1] - b[1] + 180.0) % 360.0 - 180.0) < tol


@pytest.mark.parametrize("et", TIMES)
def test_subpoints_are_spices_intercepts_and_the_altitude_its_near_point(
        kernel_dir: Path, spice_world: World, et: float) -> None:
    """Sub-points against spiceypy's own subpnt/subslr "INTERCEPT/ELLIPSOID" (the Juno team's method),
    to 10⁻⁶°, in SPICE mode and in embedded mode (the same states); the altitude and its foot against
    "NEAR POINT/ELLIPSOID"; the geometry table's columns against the same."""
    from viewer.geometry import compute
    from viewer.sim.frames import altitude

    SpiceEphemeris(kernel_dir)  # the kernel pool is global: reload for this world
    method = "INTERCEPT/ELLIPSOID"
    sc = spiceypy.subpnt(method, "IO", et, "IAU_IO", "NONE", "JUNO")[0]
    near, _, srfvec = spiceypy.subpnt("NEAR POINT/ELLIPSOID", "IO", et, "IAU_IO", "NONE", "JUNO")
    io_sun = spiceypy.subslr(method, "IO", et, "IAU_IO", "NONE", "JUNO")[0]
    io_jup = spiceypy.subpnt(method, "IO", et, "IAU_IO", "NONE", "JUPITER")[0]
    jup_sun = spiceypy.subslr(method, "JUPITER", et, "IAU_JUPITER", "NONE", "IO")[0]
    for world, tol in ((spice_world, 1e-6), (World(), 1e-3)):  # embedded: its states agree to 1 m
        snap = world.at(et)
        juno_pos, jup = snap.positions["juno"], snap.positions["jupiter"]
        for got, want in ((snap.subpoint("io", juno_pos), sc), (snap.subsolar_point("io"), io_sun),
                          (snap.subpoint("io", jup), io_jup), (snap.subsolar_point("jupiter"), jup_sun),
                          (snap.near_point("io", juno_pos), near)):
            assert _close_deg((got.lat_deg, got.wlon_deg), _spice_lat_wlon(want), tol), (got, want)
        if world is spice_world:
            assert np.allclose(snap.subpoint("io", juno_pos).body_fixed_km, sc, atol=1e-6)
            alt = float(altitude(snap.to_body("io", juno_pos), BODIES["io"].radii_km))
            assert alt == pytest.approx(float(spiceypy.vnorm(srfvec)), abs=1e-6)
            cols = compute(world, np.array([et]))
            assert _close_deg((cols["SC Latitude (deg)"][0], cols["SC W Longitude (deg)"][0]),
                              _spice_lat_wlon(sc), 1e-6)
            assert _close_deg((cols["Subsolar Latitude (deg)"][0], cols["Subsolar W Longitude (deg)"][0]),
                              _spice_lat_wlon(io_sun), 1e-6)
            assert cols["SC Altitude (km)"][0] == pytest.approx(alt, abs=1e-9)


def test_lsk_written_by_the_test_matches_the_time_scales(kernel_dir: Path) -> None:
    SpiceEphemeris(kernel_dir)
    assert spiceypy.str2et("2023-12-30T08:36:00.836") == pytest.approx(CA, abs=1e-3)


def test_outside_coverage_juno_is_absent_and_errors_name_the_window(spice_world: World,
                                                                   kernel_dir: Path) -> None:
    SpiceEphemeris(kernel_dir)  # the kernel pool is global: reload for this world
    late = SPAN[1] + 600.0
    info = info_dict(spice_world, late)
    assert info["juno"] is None
    assert "2023-12-30T07:36:01Z" in info["juno_unavailable_reason"]
    cov = spice_world.juno.coverage()
    assert any(a <= CA <= b for a, b in cov) and not any(a <= late <= b for a, b in cov)
    with pytest.raises(UserError, match=r"no juno|Juno"):
        spice_world.juno.state(late)
    with pytest.raises(UserError, match="io's own SPK segments cover 2023-12-30T05:36:01Z to "
                                        "2023-12-30T11:36:01Z"):
        spice_world.ephemeris.state("io", SPAN[1] + 86400.0)


def test_cli_info_and_geometry_with_kernels(kernel_dir: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--kernels", str(kernel_dir), "--time", "2023-12-30T08:36:00.836",
                 "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["juno"]["altitude_io_km"] == pytest.approx(1500.0, abs=0.01)
    out_s, out_e = tmp_path / "s.csv", tmp_path / "e.csv"
    args = ["geometry", "--start", "2023-12-30T08:35", "--end", "2023-12-30T08:37", "--step", "10s"]
    assert main([*args, "--kernels", str(kernel_dir), "--out", str(out_s)]) == 0
    assert main([*args, "--out", str(out_e)]) == 0
    rows_s = [r.split(",") for r in out_s.read_text().splitlines()[1:]]
    rows_e = [r.split(",") for r in out_e.read_text().splitlines()[1:]]
    assert len(rows_s) == len(rows_e) == 12
    for a, b in zip(rows_s, rows_e, strict=True):
        assert a[:2] == b[:2]
        assert np.allclose(np.array(a[2:], float), np.array(b[2:], float), atol=2e-3)


def test_meta_kernel(kernel_dir: Path, tmp_path: Path) -> None:
    names = ["test.tls", "test.tpc", "test.tf", "test.tsc", "test.bsp", "test.bc"]
    tm = tmp_path / "ok.tm"
    tm.write_text("KPL/MK\n\\begindata\nPATH_VALUES = ( '" + str(kernel_dir) + "' )\n"
                  "PATH_SYMBOLS = ( 'K' )\nKERNELS_TO_LOAD = ( "
                  + " ".join(f"'$K/{n}'" for n in names) + " )\n\\begintext\n")
    world = World(SpiceEphemeris(tm))
    assert "juno" in world.at(CA).positions


@pytest.mark.parametrize(("case", "named"), [("missing", "does not exist"),
                                             ("absent-in-meta", "absent.bsp"),
                                             ("corrupt-spk", "broken.bsp"),
                                             ("corrupt-text", "broken.tpc"),
                                             ("empty-dir", "holds no SPICE kernels")])
def test_bad_kernels_are_one_line_errors(case: str, named: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    if case == "missing":
        path = tmp_path / "nothing.tm"
    elif case == "absent-in-meta":
        path = tmp_path / "bad.tm"
        path.write_text("KPL/MK\n\\begindata\nKERNELS_TO_LOAD = ( '"
                        + str(tmp_path / "absent.bsp") + "' )\n\\begintext\n")
    elif case == "corrupt-spk":
        path = tmp_path / "k"
        path.mkdir()
        (path / "broken.bsp").write_bytes(b"DAF/SPK " + bytes(range(256)) * 8)
    elif case == "corrupt-text":
        path = tmp_path / "k"
        path.mkdir()
        (path / "broken.tpc").write_text("KPL/PCK\n\\begindata\nBODY501_RADII = ( 1 2 x3 )\n")
    else:
        path = tmp_path / "k"
        path.mkdir()
    code = main(["info", "--kernels", str(path), "--time", "2023-12-30T08:36:00.836"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("jupitershine: error:") and err.count("\n") == 1, err
    assert "Traceback" not in err and named in err
    spiceypy.kclear()


# Files furnsh takes silently as empty text kernels (the set then failed later with NOLOADEDFILES,
# naming no file): each must be refused by name, even among good kernels.
NOT_KERNELS = {
    "random.bsp": bytes(np.random.default_rng(5).integers(0, 256, 5000, dtype=np.uint8)),
    "notes.tpc": b"These are my notes about Jupiter.\nNot a kernel.\n",
    "empty.tls": b"",
    "zeros.bc": bytes(4096),
    "short.bsp": b"DAF/SPK " + bytes(100),
    "legacy.tf": b"no id word, no data section\n",
}


@pytest.mark.parametrize("name", sorted(NOT_KERNELS))
@pytest.mark.parametrize("how", ["folder", "file", "meta-kernel"])
def test_a_file_that_is_not_a_kernel_is_named(name: str, how: str, kernel_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / name
    bad.write_bytes(NOT_KERNELS[name])
    if how == "folder":
        for k in kernel_dir.iterdir():
            (tmp_path / k.name).symlink_to(k)
        path = tmp_path
    elif how == "file":
        path = bad
    else:
        path = tmp_path / "set.tm"
        path.write_text("KPL/MK\n\\begindata\nKERNELS_TO_LOAD = ( '" + str(kernel_dir / "test.bsp")
                        + "'\n  '" + str(bad) + "' )\n\\begintext\n")
    code = main(["info", "--kernels", str(path), "--time", "2023-12-30T08:36:00.836"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("jupitershine: error:") and err.count("\n") == 1, err
    assert str(bad) in err and "NOLOADEDFILES" not in err
    if how == "meta-kernel":
        assert f"named in {path}" in err or f"kernels from {path}: SPICE(" in err, err
    assert spiceypy.ktotal("ALL") == 0  # nothing is left half-loaded


@pytest.mark.parametrize(("text", "needle"), [
    ("Just some notes.\n", "no \\begindata"),
    ("KPL/MK\n\\begindata\nPATH_VALUES = ( '/x' )\n\\begintext\n", "no KERNELS_TO_LOAD"),
])
def test_a_text_file_that_is_not_a_meta_kernel_is_named(text: str, needle: str, tmp_path: Path) -> None:
    path = tmp_path / "juno.tm"
    path.write_text(text)
    with pytest.raises(UserError) as exc:
        SpiceEphemeris(path)
    assert str(path) in str(exc.value) and needle in str(exc.value)


def test_kernels_without_an_spk_are_refused(kernel_dir: Path, tmp_path: Path) -> None:
    for name in ("test.tls", "test.tpc"):
        (tmp_path / name).symlink_to(kernel_dir / name)
    with pytest.raises(UserError, match="hold no SPK"):
        SpiceEphemeris(tmp_path)


def test_good_text_kernels_without_an_id_word_still_load(kernel_dir: Path, tmp_path: Path) -> None:
    """Old text kernels may lack the 'KPL/' ID word; a \\begindata section is what counts."""
    for k in kernel_dir.iterdir():
        if k.name != "test.tf":
            (tmp_path / k.name).symlink_to(k)
    (tmp_path / "test.tf").write_text(FK.removeprefix("KPL/FK\n"))
    world = World(SpiceEphemeris(tmp_path))
    assert "juno" in world.at(CA).positions
    spiceypy.kclear()
