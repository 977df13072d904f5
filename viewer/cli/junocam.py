"""``jupitershine junocam``: a simulated JunoCam pushframe image (raw framelet stack, label, reprojection)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from viewer.cli.options import add_kernels_option, world_from_args


def add(sub: Any) -> None:
    from viewer import junocam as jc
    from viewer.pushframe import MAX_FRAMES, TARGETS

    p = sub.add_parser("junocam", help="simulate a JunoCam pushframe image (raw framelets, reprojection)",
                       description="Render what JunoCam's framelets would record as Juno spins: every frame "
                       "at its own time and spin phase (the instrument kernel's timing), each filter strip "
                       "through the instrument's distortion, exposed for TDI x 3.2 ms, stacked like the "
                       "mission's raw products (raw.png, label.json), and reprojected into one colour view "
                       "(reprojected.png). The filters' responses and the DN scale are approximate "
                       "(docs/junocam.md).")
    p.add_argument("--time", "-t", required=True,
                   help="the image's START_TIME, UTC (e.g. 2023-12-30T08:41:55)")
    p.add_argument("--frames", "-n", type=int, default=None, metavar="N",
                   help=f"frames to take (1 to {MAX_FRAMES}; default: until the target has passed every "
                   "strip)")
    p.add_argument("--interframe-delay", type=float, default=jc.DEFAULT_INTERFRAME_DELAY_S, metavar="S",
                   help=f"seconds between frames, as the labels' INTERFRAME_DELAY (default "
                   f"{jc.DEFAULT_INTERFRAME_DELAY_S}; the kernel adds {jc.INTERFRAME_DELTA_S * 1000:g} ms)")
    p.add_argument("--tdi", type=int, default=jc.DEFAULT_TDI, metavar="N",
                   help=f"time-delay-integration steps, 3.2 ms each (1 to {jc.MAX_TDI}; default "
                   f"{jc.DEFAULT_TDI}, the PJ58 Io image's 6.4 ms; Io's night side wants ~50)")
    p.add_argument("--filters", default=",".join(jc.RGB_FILTERS), metavar="LIST",
                   help="filter strips read out: blue, green, red, methane (default blue,green,red)")
    p.add_argument("--target", default="io", choices=TARGETS,
                   help="the body the image is for (default io)")
    p.add_argument("--binning", type=int, default=1, choices=jc.BINNINGS,
                   help="sum NxN detector pixels (smaller, faster images; default 1: full resolution)")
    p.add_argument("--no-reproject", action="store_true", help="write only the raw stack and its label")
    p.add_argument("--out", "-o", required=True, metavar="DIR", help="folder for raw.png, label.json and "
                   "reprojected.png (created if missing)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    add_kernels_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    from viewer.atomic import check_writable
    from viewer.errors import UserError
    from viewer.export import Progress
    from viewer.pushframe import plan, simulate, write
    from viewer.sim.timescales import et_to_utc

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: is a file; give a folder")
    if out.is_dir():
        check_writable(out / "label.json")
    world = world_from_args(args)
    p = plan(world, args.time, frames=args.frames, interframe_delay_s=args.interframe_delay, tdi=args.tdi,
             filters=args.filters, target=args.target, binning=args.binning)
    bar = Progress(p.frames, 0, "junocam", quiet=args.quiet)
    start = time.perf_counter()
    try:
        raw = simulate(world, p, progress=bar.update)
    finally:
        bar.close()
    per_frame = (time.perf_counter() - start) / p.frames
    reprojected, view = None, None
    if not args.no_reproject:
        from viewer.pushframe import label
        from viewer.reproject import reproject

        r = reproject(raw.stack, label(raw))
        reprojected, view = r.image, r.view
    written = write(out, raw, reprojected, view)
    seen = [k for k, s in enumerate(raw.seen) if s]
    names = ",".join(f.name for f in p.filters)
    print(f"wrote {', '.join(str(w) for w in written)}: {p.frames} frames x {names}, "
          f"{raw.stack.shape[1]}x{raw.stack.shape[0]}, TDI {p.tdi} ({p.exposure_s * 1000:g} ms), "
          f"{p.target.capitalize()} in frames {seen[0]}-{seen[-1]}, {per_frame:.2f} s per frame",
          file=sys.stderr)
    if seen and seen[0] > 0:
        first = et_to_utc(float(p.opens[seen[0]]) - (p.opens[0] - p.start_et), 2).rstrip("Z")
        print(f"note: frames 0-{seen[0] - 1} see nothing of {p.target.capitalize()}; --time {first} "
              "starts the image as it enters", file=sys.stderr)
    return 0
