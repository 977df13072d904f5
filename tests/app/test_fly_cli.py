"""``jupitershine fly`` as a command: no display, bad input, ``--quit-after`` and ``--script`` in a real
process under the session's X display."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(300)


def fly(args: list[str], env: dict[str, str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "viewer", "fly", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=240)


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    for k, v in changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


@pytest.mark.parametrize("display", [None, ":987"])
def test_without_a_display_one_line_exit_2(display: str | None) -> None:
    proc = fly(["--quit-after", "1"], _env(DISPLAY=display, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert "xvfb-run" in lines[0] and "jupitershine render" in lines[0]


@pytest.mark.parametrize(("args", "fragment"), [
    (["--preset", "nope"], "unknown preset"),
    (["--camera", "orbit:io:0:0"], "camera spec"),
    (["--time", "2023-13-45"], "2023-13-45"),
    (["i57", "--preset", "i57"], "not both"),
    (["--quit-after", "-1"], "--quit-after"),
])
def test_bad_input_is_one_line_exit_2(xdisplay: str, args: list[str], fragment: str) -> None:
    proc = fly(args, _env())
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in proc.stderr


def test_quit_after_runs_a_script_and_prints_the_frame_rates(xdisplay: str, tmp_path: Path) -> None:
    script = tmp_path / "flight.toml"
    script.write_text('[[step]]\nat = 0\nkeys = ["Space", "]", "]"]\n'
                      '[[step]]\nat = 0.2\ntarget = "io"\nlat = 10\nwlon = 200\nrange_km = 4000\nfly = 0.5\n'
                      '[[step]]\nat = 1.2\nkeys = ["P"]\n')
    proc = fly(["--quit-after", "2.5", "--size", "160x120", "--script", str(script), "--out-dir",
                str(tmp_path / "out"), "--no-panel", "--screenshot-size", "96x64"], _env())
    assert proc.returncode == 0, proc.stderr
    m = re.search(r"fps: mean ([\d.]+), 5th percentile ([\d.]+) \((\d+) frames at 160x120", proc.stdout)
    assert m is not None, proc.stdout
    assert float(m.group(1)) > 0 and float(m.group(2)) > 0 and int(m.group(3)) > 0
    shots = list((tmp_path / "out").glob("fly-*.png"))
    assert len(shots) == 1
    assert "(96x64, " in proc.stderr and "camera orbit:io:" in proc.stderr  # arrived at the scripted orbit


def test_a_bad_script_is_one_line(xdisplay: str, tmp_path: Path) -> None:
    script = tmp_path / "bad.toml"
    script.write_text('[[step]]\nat = 0\ntarget = "pluto"\n')
    proc = fly(["--script", str(script)], _env())
    assert proc.returncode == 2 and "step 1" in proc.stderr and "pluto" in proc.stderr


def test_a_gl_too_old_is_one_line_exit_2(xdisplay: str) -> None:
    """Mesa reports the version MESA_GL_VERSION_OVERRIDE says: the window's GL claims 1.4."""
    proc = fly(["--quit-after", "5", "--size", "160x120"], {**_env(), "MESA_GL_VERSION_OVERRIDE": "1.4"})
    if "Mesa" not in proc.stderr and proc.returncode == 0:
        pytest.skip("not a Mesa driver: the version override does not apply")
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "too old" in lines[0] and "OpenGL 2.1" in lines[0]


def test_help_lists_every_key(capsys: Any) -> None:
    from viewer.app.controls import KEYS
    from viewer.cli import main

    with pytest.raises(SystemExit):
        main(["fly", "--help"])
    out = capsys.readouterr().out
    for k in KEYS:
        assert k.help in " ".join(out.split())


def test_ci_installs_what_qt_loads() -> None:
    from viewer.render.context import QT_XCB_LIBRARIES

    text = (REPO / ".ci" / "run").read_text()
    block = text[text.index("for pair in") + len("for pair in"):text.index("; do")]
    pairs = dict(p.split(":") for p in block.replace("\\", " ").split())
    assert pairs == QT_XCB_LIBRARIES and "need+=(xvfb)" in text


def test_display_problems_name_their_remedy(monkeypatch: Any) -> None:
    import ctypes.util
    import importlib.util

    from viewer.render import context

    real_spec, real_lib = importlib.util.find_spec, ctypes.util.find_library
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda n, *a: None if n == "PySide6" else real_spec(n, *a))
    assert "pip install 'jupitershine[app]'" in (context.qt_display_problem() or "")
    monkeypatch.setattr(importlib.util, "find_spec", real_spec)
    monkeypatch.setattr(ctypes.util, "find_library", lambda n: None if n == "xcb-cursor" else real_lib(n))
    problem = context.qt_display_problem() or ""
    assert problem.startswith("Qt's X11 plugin needs system libraries: sudo apt-get install libxcb-cursor0 (")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # the user's own platform: not second-guessed
    assert context.qt_display_problem() is None
