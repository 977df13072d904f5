"""GL tests: a probe in a subprocess (with a timeout, so a broken driver cannot hang the suite) decides
once per session whether they run. When the probe fails they are skipped with its message — except on
CI (``CI=true``), where working GL on llvmpipe is required and a failing probe fails the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("gl_probe.py")
PROBE_TIMEOUT_S = 60
REPO = Path(__file__).resolve().parents[2]


def _run_probe() -> tuple[bool, str]:
    try:
        proc = subprocess.run([sys.executable, str(PROBE)], capture_output=True, text=True,
                              timeout=PROBE_TIMEOUT_S, cwd=REPO)
    except subprocess.TimeoutExpired:
        return False, f"GL probe timed out after {PROBE_TIMEOUT_S} s"
    text = (proc.stdout.strip() or proc.stderr.strip().splitlines()[-1:] or ["no output"])
    message = text if isinstance(text, str) else text[0]
    return proc.returncode == 0, message


@pytest.fixture(scope="session")
def gl_probe() -> str:
    ok, message = _run_probe()
    if not ok:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs working GL (llvmpipe), but the probe failed: {message}")
        pytest.skip(f"no usable GL: {message}")
    return message


@pytest.fixture(autouse=True)
def _require_gl(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("gl") is not None:
        request.getfixturevalue("gl_probe")


@pytest.fixture(scope="session")
def gl_context(gl_probe: str):
    from viewer.render.context import headless_context

    ctx = headless_context()
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def world():
    """The embedded-ephemeris World, built once for all render tests."""
    from viewer.sim.world import World

    return World()
