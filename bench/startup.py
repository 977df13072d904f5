"""Process start → first PNG on disk for ``jupitershine still --size 960x540`` (issue 5: < 3 s warm).

Times the subprocess ``jupitershine still --size 960x540 --out <tmp>.png`` (the venv's console script
next to this Python) from launch until it has exited and the PNG exists. ``cold`` is the first run of
this benchmark (the OS file cache may already hold the files from earlier work: not a reboot-cold
start); ``warm`` is the median of the 5 runs after it. ``phases_s`` splits one more warm start into its
steps, in a subprocess timing each: interpreter start, imports, the world at the preset's time, the GL
context, the Renderer (shaders, maps, model), the frame, the PNG write. ``*_cpu_s`` is the child's CPU
time (user + system), less sensitive than wall time to other load on the machine (``loadavg_*``).

Writes bench/results/startup.json via bench/run.py (or: .venv/bin/python bench/startup.py).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZE = "960x540"
WARM_RUNS = 5
TARGET_WARM_S = 3.0

_PHASES = r"""
import json, sys, time
t = {}
t0 = time.perf_counter()
from viewer import cli  # noqa: F401  (what the console script imports first)
from viewer.config import load_preset
from viewer.render.camera import camera_from_spec
from viewer.render.renderer import Renderer, RenderSettings
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import World
from viewer.still import save_png
t1 = time.perf_counter(); t["imports"] = t1 - t0
spec = load_preset("i57")
snap = World().at(utc_to_et(spec.time))
cam = camera_from_spec(spec.camera, snap, spec.fov_deg)
t2 = time.perf_counter(); t["world_and_camera"] = t2 - t1
from viewer.render.context import headless_context
ctx = headless_context()
t3 = time.perf_counter(); t["gl_context"] = t3 - t2
renderer = Renderer(ctx, RenderSettings(size=(960, 540)))
t4 = time.perf_counter(); t["renderer_setup"] = t4 - t3
frame = renderer.render(snap, cam)
t5 = time.perf_counter(); t["first_frame"] = t5 - t4
save_png(sys.argv[1], frame.image)
t6 = time.perf_counter(); t["png_write"] = t6 - t5
ctx.close()
print(json.dumps({k: round(v, 3) for k, v in t.items()}))
"""


def _still_command(out: Path) -> list[str]:
    exe = Path(sys.executable).with_name("jupitershine")
    base = [str(exe)] if exe.exists() else [sys.executable, "-m", "viewer.cli"]
    return [*base, "still", "--size", SIZE, "--out", str(out)]


def _time_still(out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child: user + system)."""
    out.unlink(missing_ok=True)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(_still_command(out), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or not out.exists():
        tail = proc.stderr.strip()[-500:]
        raise RuntimeError(f"jupitershine still failed (exit {proc.returncode}): {tail}")
    return elapsed, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def run() -> dict[str, Any]:
    load_before = [round(v, 2) for v in os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "still.png"
        cold = _time_still(png)
        warm = [_time_still(png) for _ in range(WARM_RUNS)]
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _PHASES, str(png)], capture_output=True, text=True,
                              check=False)
        total = time.perf_counter() - t0
        phases: dict[str, Any] = (json.loads(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0
                                  else {"failed": proc.stderr.strip()[-300:]})
        if proc.returncode == 0:
            phases = {"interpreter_start_and_exit": round(total - sum(phases.values()), 3), **phases,
                      "total": round(total, 3)}
    med = statistics.median(w for w, _ in warm)
    cpu = statistics.median(c for _, c in warm)
    return {"command": f"jupitershine still --size {SIZE} --out <tmp>.png",
            "cold_s": round(cold[0], 3), "cold_cpu_s": round(cold[1], 3),
            "warm_median_s": round(med, 3), "warm_cpu_median_s": round(cpu, 3),
            "warm_runs_s": [round(w, 3) for w, _ in warm],
            "target_warm_s": TARGET_WARM_S, "meets_target": med < TARGET_WARM_S, "phases_s": phases,
            "loadavg_before": load_before, "loadavg_after": [round(v, 2) for v in os.getloadavg()]}


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
