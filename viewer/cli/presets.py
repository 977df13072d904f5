"""``jupitershine presets``: the shipped presets and scenes."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add(sub: Any) -> None:
    p = sub.add_parser("presets", help="list the shipped presets",
                       description="List the shipped presets (viewer/presets/*.toml).")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viewer import scene as scenes
    from viewer.config import preset_paths

    found = [scenes.load(p) for p in preset_paths()]
    if args.json:
        rows = [{"name": s.base.name, "description": s.base.description, "time": s.base.time,
                 "camera": str(s.base.camera), "fov_deg": s.base.fov_deg, "size": list(s.base.size),
                 "frames": s.frame_count, "fps": s.fps, "shots": len(s.shots) if s.frame_count > 1 else 0}
                for s in found]
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(s.base.name) for s in found)
    for s in found:
        b = s.base
        print(f"{b.name:<{width}}  {b.time}  camera {b.camera}  fov {b.fov_deg:g}°")
        print(f"{'':<{width}}  {b.description}")
        if s.frame_count > 1:
            print(f"{'':<{width}}  movie: {len(s.shots)} shots, {s.frame_count:,} frames at {s.fps:g} fps "
                  f"({s.frame_count / s.fps:.1f} s) — `jupitershine render --preset {b.name}`")
    return 0
