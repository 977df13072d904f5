"""`jupitershine geometry`: the Juno Io team's table format, vectorised values, atomic output."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from viewer.cli import main
from viewer.errors import UserError
from viewer.geometry import HEADER, compute, sample_times, table, to_csv
from viewer.report import info_dict
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import World

# docs/sources.md §7d, verbatim.
TEAM_HEADER = ("Perijove,Time (UTC),SC Range to Io (km),SC Altitude (km),SC Latitude (deg),"
               "SC W Longitude (deg),Subsolar Latitude (deg),Subsolar W Longitude (deg),"
               "Sun-Io-SC Angle (deg),JIRAM scale (km/pixel),JunoCAM scale (km/pixel)")
CA = "2023-12-30T08:36:00.836"


@pytest.fixture(scope="module")
def i57_csv(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("geo") / "i57.csv"
    assert main(["geometry", "--preset", "i57", "--out", str(out)]) == 0
    return out.read_text().splitlines()


def test_preset_table_header_rows_and_times(i57_csv: list[str]) -> None:
    assert i57_csv[0] == TEAM_HEADER
    rows = [r.split(",") for r in i57_csv[1:]]
    assert len(rows) == 4800  # ±20 min at 0.5 s, end excluded, as the team's tables
    assert all(len(r) == 11 and r[0] == "PJ57" for r in rows)
    assert rows[0][1] == "12/30/2023 08:16:00.836"
    assert rows[1][1] == "12/30/2023 08:16:01.336"
    assert rows[2400][1] == "12/30/2023 08:36:00.836"
    assert rows[-1][1] == "12/30/2023 08:56:00.336"
    assert all(len(x.split(".")[1]) == 4 for x in rows[0][2:])
    alt = np.array([float(r[3]) for r in rows])
    assert int(np.argmin(alt)) == 2400 and abs(alt[2400] - 1500.0) < 10.0


def test_row_at_closest_approach_matches_info(i57_csv: list[str]) -> None:
    row = dict(zip(HEADER, i57_csv[1 + 2400].split(","), strict=True))
    j = info_dict(World(), utc_to_et(CA))["juno"]
    assert float(row["SC Range to Io (km)"]) == pytest.approx(j["range_io_km"], abs=1e-3)
    assert float(row["SC Altitude (km)"]) == pytest.approx(j["altitude_io_km"], abs=1e-3)
    assert float(row["SC Latitude (deg)"]) == pytest.approx(j["subsc_lat_deg"], abs=1e-4)
    assert float(row["SC W Longitude (deg)"]) == pytest.approx(j["subsc_wlon_deg"], abs=1e-4)
    assert float(row["Sun-Io-SC Angle (deg)"]) == pytest.approx(j["phase_angle_deg"], abs=1e-4)
    assert float(row["JunoCAM scale (km/pixel)"]) == pytest.approx(j["junocam_pixel_scale_km"],
                                                                  abs=1e-4)
    assert float(row["JIRAM scale (km/pixel)"]) == pytest.approx(
        float(row["SC Altitude (km)"]) * 0.000237767, abs=1e-4)


def test_vectorised_rows_match_snapshots() -> None:
    world = World()
    et = utc_to_et(CA) + np.array([-1100.0, -3.5, 0.5, 733.0])
    cols = compute(world, et)
    for i, t in enumerate(et):
        snap = world.at(float(t))
        sub = snap.subpoint("io", snap.positions["juno"])
        sol = snap.subsolar_point("io")
        assert cols["SC Latitude (deg)"][i] == pytest.approx(sub.lat_deg, abs=1e-9)
        assert cols["SC W Longitude (deg)"][i] == pytest.approx(sub.wlon_deg, abs=1e-9)
        assert cols["Subsolar W Longitude (deg)"][i] == pytest.approx(sol.wlon_deg, abs=1e-9)
        assert cols["SC Range to Io (km)"][i] == pytest.approx(
            np.linalg.norm(snap.positions["juno"] - snap.positions["io"]), abs=1e-6)


def test_json_has_the_same_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["geometry", "--start", "2023-12-30T08:35:00", "--end", "2023-12-30T08:36:00",
            "--step", "15s"]
    assert main([*args, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    csv_rows = capsys.readouterr().out.splitlines()[1:]
    assert len(rows) == len(csv_rows) == 4
    for obj, line in zip(rows, csv_rows, strict=True):
        assert list(obj) == list(HEADER)
        values = line.split(",")
        assert [obj["Perijove"], obj["Time (UTC)"]] == values[:2]
        assert [obj[h] for h in HEADER[2:]] == [float(v) for v in values[2:]]


def test_i58_window_is_labelled_pj58() -> None:
    text = table(World(), utc_to_et("2024-02-03T17:48:00"), utc_to_et("2024-02-03T17:49:00"), 30.0)
    assert [r.split(",")[0] for r in text.splitlines()[1:]] == ["PJ58", "PJ58"]


def test_west_longitude_never_prints_360() -> None:
    cols = {h: np.array([0.0]) for h in HEADER[2:]}
    cols.update({HEADER[0]: "PJ57", HEADER[1]: ["12/30/2023 08:36:00.836"],
                 "SC W Longitude (deg)": np.array([359.99999]), "SC Latitude (deg)": np.array([-1e-7])})
    row = to_csv(cols).splitlines()[1].split(",")
    assert row[5] == "0.0000" and row[4] == "0.0000"


def test_out_is_atomic_and_a_failure_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    out.write_text("old\n")
    assert main(["geometry", "--start", "2024-01-25", "--end", "2024-01-25T00:01",
                 "--out", str(out)]) == 2
    assert out.read_text() == "old\n"
    assert main(["geometry", "--start", "2023-12-30T08:36", "--end", "2023-12-30T08:36:01",
                 "--out", str(out)]) == 0
    assert out.read_text().splitlines()[0] == TEAM_HEADER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]  # no temporary file left


@pytest.mark.parametrize("argv", [
    ["--start", "2024-01-25", "--end", "2024-01-25T00:01"],           # outside the coverage
    ["--start", "2023-12-30T12:00"],                                   # no --end
    ["--preset", "i57", "--start", "2023-12-30T08:00", "--end", "2023-12-30T08:01"],
    ["--start", "2023-12-30T08:01", "--end", "2023-12-30T08:00"],      # ends before it starts
    ["--start", "2023-12-30T08:00", "--end", "2023-12-30T08:01", "--step", "fast"],
    ["--start", "2023-12-30T08:00", "--end", "2023-12-30T08:01", "--step=-1s"],
    ["--start", "2023-12-30T08:00", "--end", "2023-12-30T08:01", "--out", "/no/such/dir/x.csv"],
    ["--preset", "nosuchpreset"],
])
def test_bad_input_is_one_line_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geometry", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jupitershine: error:") and err.count("\n") == 1 and "Traceback" not in err


def test_outside_error_names_the_windows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geometry", "--start", "2024-01-25", "--end", "2024-01-25T00:01"]) == 2
    err = capsys.readouterr().err
    assert "2023-12-10" in err and "2024-01-19" in err and "2024-02-04" in err


def test_sample_times_half_open_and_guarded() -> None:
    t = sample_times(0.0, 10.0, 2.5)
    assert t.tolist() == [0.0, 2.5, 5.0, 7.5]
    with pytest.raises(UserError):
        sample_times(0.0, 1e9, 0.001)


def test_closest_approach_search() -> None:
    world = World()
    lo, hi = utc_to_et("2023-12-30T06:00"), utc_to_et("2023-12-30T10:00")
    (ca,) = world.closest_approach("juno", "io", (lo, hi))
    assert abs(ca.et - utc_to_et(CA)) < 1e-2 and ca.body == "io"
    assert world.closest_approach("juno", "io", (lo, lo + 600.0)) == []  # still approaching
    with pytest.raises(UserError):
        world.closest_approach("juno", "io", (hi, lo))


def test_i58_preset_window(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geometry", "--preset", "i58"]) == 0
    rows = [r.split(",") for r in capsys.readouterr().out.splitlines()[1:]]
    assert len(rows) == 4800 and rows[2400][1] == "02/03/2024 17:48:35.126"
    alt = np.array([float(r[3]) for r in rows])
    assert int(np.argmin(alt)) == 2400 and abs(alt[2400] - 1500.0) < 10.0


def test_horizon_angles_conventions() -> None:
    """Elevation above the ellipsoid's local horizon; azimuth from local north toward east (east is
    +Y at 0° longitude: the body's east longitudes increase toward +Y)."""
    from viewer.sim.frames import horizon_angles

    radii = (1829.4, 1819.4, 1815.7)
    eq = np.array([radii[0], 0.0, 0.0])  # 0° N, 0° W
    assert horizon_angles(eq, radii, eq * 3)[0] == pytest.approx(90.0)
    el, az = horizon_angles(eq, radii, eq + np.array([0.0, 0.0, 1e6]))
    assert el == pytest.approx(0.0, abs=1e-9) and az == pytest.approx(0.0)  # due north on the horizon
    el, az = horizon_angles(eq, radii, eq + np.array([0.0, 1e6, 0.0]))
    assert el == pytest.approx(0.0, abs=1e-9) and az == pytest.approx(90.0)  # +Y: east
    el, _ = horizon_angles(eq, radii, eq + np.array([1.0, 0.0, -1.0]) * 1e6)
    assert el == pytest.approx(45.0)
    pole = np.array([0.0, 0.0, radii[2]])
    el, az = horizon_angles(pole, radii, pole + np.array([-1e6, 0.0, 0.0]))  # toward 180° W
    assert el == pytest.approx(0.0, abs=1e-9) and az == pytest.approx(0.0)
