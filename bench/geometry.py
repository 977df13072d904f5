"""`jupitershine geometry --preset i57`: 4,800 rows (±20 min at 0.5 s) — target under 2 s.

Measures (1) the whole command in a fresh interpreter (imports, the one-time integration of the
I57 arc, the table, the atomic write), best of 3; (2) in process, the table alone from a cold Juno
cache (integration included) and warm (best of 5). Run: ``.venv/bin/python bench/run.py geometry``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import best_of

TARGET_S = 2.0



def run() -> dict[str, object]:
    from viewer.geometry import table
    from viewer.sim import juno
    from viewer.sim.timescales import utc_to_et
    from viewer.sim.world import World

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "i57.csv"
        cmd = [sys.executable, "-m", "viewer", "geometry", "--preset", "i57", "--out", str(out)]
        t_cli = best_of(lambda: subprocess.run(cmd, check=True, capture_output=True), 3)
        rows = len(out.read_text().splitlines()) - 1

    start, end = utc_to_et("2023-12-30T08:16:00.836"), utc_to_et("2023-12-30T08:56:00.836")
    world = World()
    world.at(start)  # DE421, timescale and the I57 arc
    juno.arc.cache_clear()
    t0 = time.perf_counter()
    table(world, start, end, 0.5)
    t_cold = time.perf_counter() - t0
    t_warm = best_of(lambda: table(world, start, end, 0.5), 5)
    return {"rows": rows, "cli_fresh_process_s": round(t_cli, 3),
            "table_cold_juno_cache_s": round(t_cold, 3), "table_warm_s": round(t_warm, 3),
            "target_s": TARGET_S, "meets_target": t_cli < TARGET_S}


if __name__ == "__main__":
    print(run())
