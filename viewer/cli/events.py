"""``jupitershine events``: the Jovian system's events in a span, in UTC."""

from __future__ import annotations

import argparse
import json
from typing import Any

from viewer.cli.options import add_kernels_option, world_from_args
from viewer.errors import UserError

#: The longest span `events` searches, days (about 1 s of search per 5 days on 2 cores).
EVENTS_MAX_DAYS = 366.0


def add(sub: Any) -> None:
    from viewer.sim.events import KINDS

    p = sub.add_parser("events", help="eclipses, transits, occultations, Juno's flybys and perijoves in UTC",
                       description="List the events of the Jovian system between two times, in UTC: the "
                       "Galilean moons' eclipses (penumbra, half-Sun and umbra contacts), their shadow "
                       "transits on Jupiter, their transits and occultations as seen from Earth (light time "
                       "included), and, where Juno's trajectory is known, its flybys of the moons, its "
                       "perijoves and its passages through Jupiter's shadow. Default span: one day either "
                       "side of the i57 preset's time.")
    p.add_argument("--from", dest="start", default=None, metavar="UTC", help="start of the span")
    p.add_argument("--to", dest="end", default=None, metavar="UTC",
                   help="end of the span (default: 2 days after the start)")
    p.add_argument("--kind", action="append", default=None, metavar="KIND[,KIND…]",
                   help=f"only these kinds (repeatable): {', '.join(KINDS)}")
    p.add_argument("--body", action="append", default=None, metavar="MOON[,MOON…]",
                   help="only these moons (repeatable): io, europa, ganymede, callisto")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_kernels_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viewer.config import load_preset
    from viewer.sim import events
    from viewer.sim.timescales import et_to_utc, utc_to_et

    start = utc_to_et(args.start) if args.start else utc_to_et(load_preset("i57").time) - 86400.0
    end = utc_to_et(args.end) if args.end else start + 2 * 86400.0
    if not end > start:
        raise UserError(f"--to {args.end} is not after --from {et_to_utc(start)}; give a later --to")
    if end - start > EVENTS_MAX_DAYS * 86400.0:
        raise UserError(f"the span is {(end - start) / 86400:.0f} days; search at most "
                        f"{EVENTS_MAX_DAYS:.0f} days at a time (narrow --from/--to)")
    from viewer.still import parse_names

    kinds = sorted(parse_names(args.kind)) or list(events.KINDS)
    moons = sorted(parse_names(args.body)) or None
    world = world_from_args(args)
    found = events.search(world, start, end, kinds, moons)
    if args.json:
        print(json.dumps([{"utc": et_to_utc(e.et), "et": e.et, "kind": e.kind, "body": e.body,
                           "value": None if e.value != e.value else e.value,
                           "label": events.describe(e)} for e in found], indent=2))
        return 0
    print(f"{len(found)} events from {et_to_utc(start)} to {et_to_utc(end)}")
    for e in found:
        print(f"{et_to_utc(e.et)}  {e.kind:<24} {events.describe(e)}")
    if set(kinds) & set(events.JUNO_KINDS) and not events.juno_spans(world, start, end):
        print(f"(no Juno events: {world.juno.coverage_text()})")
    return 0


