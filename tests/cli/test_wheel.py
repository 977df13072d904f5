"""The built wheel (not an editable install) works from a fresh virtual environment."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_and_runs_info_outside_the_checkout(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(REPO)], check=True, timeout=300)
    wheels = list(dist.glob("jupitershine-*.whl"))
    assert len(wheels) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "viewer/presets/i57.toml" in names
    assert any(n.startswith("viewer/_data/textures/") for n in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(wheels[0])], check=True, timeout=600)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    proc = subprocess.run([str(env_dir / "bin" / "jupitershine"), "info", "--time",
                           "2023-12-30T08:36:00.836", "--json"], cwd=outside, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["utc"] == "2023-12-30T08:36:00.836Z"
    assert abs(info["io"]["sub_jupiter_lat_deg"]) < 0.2
    # The package in use is the installed one, not the checkout.
    where = subprocess.run([str(py), "-c", "import viewer; print(viewer.__file__)"], cwd=outside,
                           capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in where
