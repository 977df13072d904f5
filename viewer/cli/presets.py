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
    from viewer.config import list_presets

    presets = list_presets()
    if args.json:
        rows = [{"name": s.name, "description": s.description, "time": s.time,
                 "camera": str(s.camera), "fov_deg": s.fov_deg, "size": list(s.size)} for s in presets]
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(s.name) for s in presets)
    for s in presets:
        print(f"{s.name:<{width}}  {s.time}  camera {s.camera}  fov {s.fov_deg:g}°")
        print(f"{'':<{width}}  {s.description}")
    return 0
