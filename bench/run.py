"""Run every benchmark in bench/ and write JSON results under bench/results/.

Each ``bench/<name>.py`` module defines ``run() -> dict``; the result is written to
``bench/results/<name>.json`` with the machine and versions. Targets are ratios against a baseline
measured in the same run where an issue gives one. ``render`` includes the cost of each light path
(``light_paths``, see bench/render.py). ``export`` (bench/export.py, ~5 min) measures the export: render
only vs PNG and MP4 export, ``--workers 2`` vs 1, memory over 2,000 frames, and PyVista's own movie
writer.

Usage: .venv/bin/python bench/run.py [NAME ...] [--out-dir DIR]   (default: every benchmark, into
bench/results/)
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> dict[str, object]:
    return {"python": sys.version.split()[0], "platform": platform.platform(),
            "cpu_count": os.cpu_count(), "processor": platform.processor() or platform.machine()}


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default: all)")
    ap.add_argument("--out-dir", type=Path, default=HERE / "results", metavar="DIR",
                    help="where the JSON results go (default bench/results)")
    args = ap.parse_args(argv)
    wanted = set(args.names)
    out_dir = args.out_dir
    out_dir.mkdir(exist_ok=True)
    for path in sorted(HERE.glob("*.py")):
        if path.name in ("run.py",) or path.name.startswith("_") or (wanted and path.stem not in wanted):
            continue
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not hasattr(module, "run"):
            continue
        print(f"bench: {path.stem} …", flush=True)
        result = module.run()
        result = {"benchmark": path.stem, "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  "machine": machine(), **result}
        target = out_dir / f"{path.stem}.json"
        tmp = target.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(result, indent=2) + "\n")
        os.replace(tmp, target)
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
