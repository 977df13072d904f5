"""The command line, run as users run it (a subprocess) and in-process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from viewer.cli import main

CA = "2023-12-30T08:36:00.836"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "viewer", *args], capture_output=True, text=True,
                          timeout=120)


def test_info_json_has_exactly_the_documented_shape():
    proc = run("info", "--time", CA, "--json")
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert set(info) == {"utc", "et", "sun", "jupiter", "io", "juno", "juno_unavailable_reason"} or \
        set(info) == {"utc", "et", "sun", "jupiter", "io", "juno"}
    assert info["utc"] == "2023-12-30T08:36:00.836Z"
    assert set(info["sun"]) == {"direction_from_jupiter"}
    assert set(info["jupiter"]) == {"subsolar_lat_deg", "subsolar_wlon_deg"}
    assert set(info["io"]) == {"position_km", "velocity_km_s", "subsolar_lat_deg",
                               "subsolar_wlon_deg", "sub_jupiter_lat_deg", "sub_jupiter_wlon_deg",
                               "sun_visible_fraction", "jupiter_phase_angle_deg",
                               "jupitershine_to_sunlight"}
    io = info["io"]
    assert 0.0 <= io["subsolar_wlon_deg"] < 360.0 and 0.0 <= io["sub_jupiter_wlon_deg"] < 360.0
    assert abs(io["sub_jupiter_lat_deg"]) < 0.2
    assert io["sun_visible_fraction"] == 1.0
    assert 0.005 < io["jupitershine_to_sunlight"] < 0.015
    if info["juno"] is None:
        assert "juno_unavailable_reason" in info
    else:
        assert "juno_unavailable_reason" not in info


def test_info_text_and_preset(capsys):
    assert main(["info", "--preset", "i57"]) == 0
    out = capsys.readouterr().out
    assert "2023-12-30T08:36:00.836Z" in out and "sub-Jupiter point" in out


@pytest.mark.parametrize("args, fragment", [
    (["info", "--time", "yesterday"], "cannot read the time"),
    (["info", "--time", "1850-01-01"], "1900–2050"),
    (["info", "--preset", "i99"], "unknown preset"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_is_one_line_exit_2_no_traceback(args, fragment):
    proc = run(*args)
    assert proc.returncode == 2
    assert fragment in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_presets_command(capsys):
    assert main(["presets"]) == 0
    assert capsys.readouterr().out.startswith("i57")
    assert main(["presets", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["name"] == "i57" and rows[0]["camera"] == "look:juno:io"


def test_python_dash_m_viewer_help():
    proc = run("--help")
    assert proc.returncode == 0 and "info" in proc.stdout
