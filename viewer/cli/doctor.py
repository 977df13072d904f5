"""``jupitershine doctor``: what this machine's OpenGL can do."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add(sub: Any) -> None:
    p = sub.add_parser("doctor", help="check OpenGL: renderer, limits, float targets, what to install",
                       description="Create a headless OpenGL context (EGL) and report the GL vendor, "
                       "renderer, versions, limits, whether float render targets work and which window "
                       "backend is available; when something is missing, say what to install. Exits 2 "
                       "when no GL context can be made.")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viewer.render.context import doctor_report, doctor_text

    report = doctor_report()  # raises GLUnavailable (a UserError: one line, exit 2) without GL
    print(json.dumps(report, indent=2) if args.json else doctor_text(report))
    return 0
