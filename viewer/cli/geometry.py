"""``jupitershine geometry``: Juno's geometry relative to Io, as the Juno Io team's tables."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from viewer.cli.options import add_kernels_option, world_from_args
from viewer.errors import UserError


def add(sub: Any) -> None:
    p = sub.add_parser("geometry", help="Juno–Io geometry table in the Juno Io team's CSV format",
                       description="Write Juno's geometry relative to Io (range, altitude to the nearest "
                       "surface point, sub-spacecraft and sub-solar points as SPICE's "
                       "Intercept/Ellipsoid, phase, JIRAM and JunoCam pixel scales) "
                       "at a fixed step, in the Juno Io team's table format: rows at start + k·step "
                       "for start <= t < end, times MM/DD/YYYY HH:MM:SS.sss UTC. Default: the i57 "
                       "preset's window (±20 min around closest approach at 0.5 s, 4,800 rows).")
    p.add_argument("--preset", "-p", default=None,
                   help="take start, end and step from a preset's [window] (default i57)")
    p.add_argument("--start", help="first row's UTC time (with --end)")
    p.add_argument("--end", help="UTC time the rows stop before (with --start)")
    p.add_argument("--step", default=None, help="row spacing, e.g. 0.5s, 2m, 1h (default: the "
                   "preset's, or 0.5s with --start/--end)")
    p.add_argument("--format", "-f", choices=("csv", "json"), default="csv", help="output format")
    p.add_argument("--out", "-o", default=None, help="write to this file (atomically) instead of "
                   "standard output")
    add_kernels_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viewer.config import load_preset
    from viewer.geometry import table, write_atomic
    from viewer.sim.timescales import parse_duration, utc_to_et

    if args.out is not None:
        from viewer.atomic import check_writable

        check_writable(args.out)  # before the table is computed
    if (args.start is None) != (args.end is None):
        raise UserError("give both --start and --end (or neither, to use a preset's window)")
    if args.start is not None:
        if args.preset is not None:
            raise UserError("give either --preset or --start/--end, not both")
        start, end = utc_to_et(args.start), utc_to_et(args.end)
        step = parse_duration(args.step or "0.5s")
    else:
        spec = load_preset(args.preset or "i57")
        if spec.window is None:
            raise UserError(f"preset {spec.name!r} has no [window]; give --start and --end")
        start, end = utc_to_et(spec.window.start), utc_to_et(spec.window.end)
        step = parse_duration(args.step) if args.step is not None else spec.window.step_s
    text = table(world_from_args(args), start, end, step, args.format)
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_atomic(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0
