"""``jupitershine info``: the geometry at one instant."""

from __future__ import annotations

import argparse
import json
from typing import Any

from viewer.cli.options import add_kernels_option, world_from_args


def add(sub: Any) -> None:
    p = sub.add_parser("info", help="geometry of Jupiter, Io, the Sun (and Juno) at one instant",
                       description="Print the geometry at one instant: the Sun's direction, sub-solar "
                       "and sub-Jupiter points (SPICE's Intercept/Ellipsoid), eclipse state, Jupiter's "
                       "phase seen from Io and the Jupitershine/sunlight ratio. Degrees, km, km/s; "
                       "planetocentric latitudes; west longitudes in [0, 360).")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--time", "-t", help="UTC, e.g. 2023-12-30T08:36:00.836, with an offset "
                      "(2023-12-30T10:36:00+02:00) or now (default: the preset's)")
    when.add_argument("--preset", "-p", default=None, help="take the time from a preset (default i57)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a human summary")
    add_kernels_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viewer.config import load_preset
    from viewer.report import info_dict, info_text
    from viewer.sim.timescales import utc_to_et

    time = args.time if args.time is not None else load_preset(args.preset or "i57").time
    et = utc_to_et(time)
    info = info_dict(world_from_args(args), et)
    print(json.dumps(info, indent=2) if args.json else info_text(info))
    return 0
