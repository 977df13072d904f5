"""Headless context, capability report, float targets and `jupitershine doctor`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.gl
def test_context_reports_renderer(gl_context) -> None:
    caps = gl_context.capabilities()
    assert caps.backend == "egl"
    assert caps.max_texture_size >= 2048
    assert caps.max_renderbuffer_size >= 2048
    assert caps.glsl_version[:1].isdigit()
    if os.environ.get("CI", "").lower() == "true" or "llvmpipe" in caps.renderer:
        # this machine and CI run Mesa's llvmpipe
        assert "llvmpipe" in caps.renderer
        assert caps.software


@pytest.mark.gl
@pytest.mark.parametrize("fmt", ["rgba16f", "rgba32f"])
def test_float_target_stores_values_beyond_one(gl_context, fmt: str) -> None:
    from viewer.render.passes import fullscreen_triangle
    from viewer.render.shaders import program_cache
    from viewer.render.targets import HDRTarget

    assert gl_context.capabilities().float_targets[fmt]
    target = HDRTarget(gl_context, (8, 6), internalformat=fmt, depth=False)
    program = program_cache(gl_context).get("fullscreen.vert", "fill.frag")
    program["a_position"] = fullscreen_triangle()
    program["u_radiance"] = (4.0, 0.25, 1e-3)
    with target:
        program.draw("triangles")
    px = target.read()
    assert px.shape == (6, 8, 4)
    np.testing.assert_allclose(px[..., :3], np.broadcast_to((4.0, 0.25, 1e-3), (6, 8, 3)), rtol=1e-3)
    np.testing.assert_array_equal(px[..., 3], 1.0)


@pytest.mark.gl
def test_upload_read_round_trip_keeps_orientation(gl_context) -> None:
    from viewer.render.targets import HDRTarget

    img = np.arange(5 * 7 * 3, dtype=np.float32).reshape(5, 7, 3) / 10.0
    target = HDRTarget(gl_context, (7, 5), depth=False)
    target.upload(img)
    np.testing.assert_array_equal(target.read()[..., :3], img)


def _doctor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "viewer", "doctor", *args], capture_output=True, text=True,
                          timeout=120, cwd=REPO, env={**os.environ, **(env or {})})


@pytest.mark.gl
def test_doctor_prints_renderer(gl_context) -> None:
    proc = _doctor()
    assert proc.returncode == 0, proc.stderr
    assert gl_context.capabilities().renderer in proc.stdout
    assert "float targets" in proc.stdout
    proc = _doctor("--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["headless"]["renderer"] == gl_context.capabilities().renderer
    assert report["headless"]["float_targets"] == {"rgba16f": True, "rgba32f": True}


@pytest.mark.gl
def test_doctor_without_gl_prints_one_line_and_exits_2() -> None:
    proc = _doctor(env={"JUPITERSHINE_DISABLE_GL": "1"})
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "no OpenGL" in lines[0] and "Traceback" not in proc.stderr


def test_missing_egl_library_names_the_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes.util

    from viewer.render import context

    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    message = context._headless_remedy("Could not initialize")
    assert "libEGL not found" in message
    assert "libegl1" in message and "libgl1-mesa-dri" in message
