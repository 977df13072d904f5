"""``jupitershine textures``: generate the procedural maps or fetch public ones."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from viewer.cli.options import Parser
from viewer.errors import UserError

# `textures` has its own actions (sub-subcommands), each added by one function taking `tsub`:
# `_add_textures_generate(tsub)` here; `textures download` is added the same way by
# `_add_textures_download(tsub)` (see the marked line in `add`). Each action sets its
# own `func`.

def add(sub: Any) -> None:
    p = sub.add_parser("textures", help="generate the planet maps (or fetch public ones)",
                       description="Planet and moon maps in the project's convention "
                       "(textures/README.md): equirectangular, planetocentric latitude, west "
                       "longitude increasing to the left, 180° W at the centre.")
    tsub = p.add_subparsers(dest="textures_command", required=True, metavar="ACTION",
                            parser_class=Parser)
    _add_textures_generate(tsub)
    _add_textures_download(tsub)
    _add_textures_use(tsub)


def _add_textures_generate(tsub: Any) -> None:
    from viewer.procedural.textures import DEFAULT_SEED, DEFAULT_SIZE, MAP_NAMES

    g = tsub.add_parser("generate", help="generate the procedural maps (deterministic)",
                        description="Generate the procedural maps of Jupiter, Io (colour and "
                        "16-bit hot-spot emission), Europa, Ganymede and Callisto. The same size "
                        "and seed always give the same bytes. The committed size and seed "
                        f"({DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]}, seed {DEFAULT_SEED}) write into "
                        "textures/; other sizes or seeds go to the cache folder "
                        "(<cache>/textures/<W>x<H>-<seed>/) unless --out is given.")
    g.add_argument("--size", default=f"{DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]}", metavar="WxH",
                   help="map size, width = 2 × height (default %(default)s)")
    g.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help="random seed (default %(default)s, the committed maps')")
    g.add_argument("--out", "-o", default=None, metavar="DIR",
                   help="output folder (default: textures/ or the cache, see above)")
    g.add_argument("--only", default=None, metavar="NAMES",
                   help=f"comma-separated subset of: {','.join(MAP_NAMES)}")
    g.add_argument("--jobs", "-j", type=int, default=None,
                   help="worker processes (default: one per CPU core); no effect on the bytes")
    g.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    g.set_defaults(func=_cmd_textures_generate)


def _cmd_textures_generate(args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    from viewer.procedural.textures import MAP_NAMES, default_out_dir, generate_all, parse_size

    try:
        width, height = parse_size(args.size)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    names = MAP_NAMES if args.only is None else tuple(
        n.strip() for n in args.only.split(",") if n.strip())
    unknown = [n for n in names if n not in MAP_NAMES]
    if unknown or not names:
        raise UserError(f"--only: unknown map(s) {', '.join(unknown) or '(none given)'}; "
                        f"known: {', '.join(MAP_NAMES)}")
    if args.jobs is not None and args.jobs < 1:
        raise UserError(f"--jobs must be at least 1, not {args.jobs}")
    out = Path(args.out) if args.out is not None else default_out_dir(width, height, args.seed)
    t0 = time.perf_counter()
    paths = generate_all(out, width, height, args.seed, names, workers=args.jobs,
                         progress=not args.quiet and sys.stderr.isatty())
    for path in paths:
        print(f"wrote {path}")
    print(f"{len(paths)} map(s) at {width}x{height}, seed {args.seed}, in "
          f"{time.perf_counter() - t0:.1f} s")
    return 0


def _add_textures_download(tsub: Any) -> None:
    from viewer.downloads import BASE_ENV, SOURCES

    d = tsub.add_parser("download", help="fetch public-domain maps (USGS Io mosaic, Cassini Jupiter)",
                        description="Download public-domain maps into the cache folder "
                        "(<cache>/downloads/) with pooch. The first download records each file's "
                        "SHA-256 in <cache>/downloads/sha256.json; later runs verify the file against "
                        "it. Prints the options to use each map with (docs/assets.md). "
                        f"{BASE_ENV}=URL fetches <URL>/<file name> instead (a mirror).")
    d.add_argument("--source", "-s", action="append", choices=tuple(SOURCES), default=None,
                   metavar="NAME", help=f"one of {', '.join(SOURCES)} (repeatable; default: all)")
    d.add_argument("--list", action="store_true",
                   help="list the sources, their licences and conventions, and what is cached")
    d.add_argument("--reset", action="store_true",
                   help="forget the recorded SHA-256 and the cached file first (after the publisher "
                   "changed the file)")
    d.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    d.add_argument("--json", action="store_true", help="print JSON")
    d.set_defaults(func=_cmd_textures_download)


def _cmd_textures_download(args: argparse.Namespace) -> int:
    from viewer import downloads

    def use(row: dict[str, Any], path: str) -> str:
        return (f"--{row['body']}-map {path} --map-lon-left {row['lon_left_deg']:g} "
                f"--map-lon-direction {row['lon_direction']}")

    rows = {r["name"]: r for r in downloads.status()}
    names = args.source or list(rows)
    if args.list:
        shown = [rows[n] for n in names]
        if args.json:
            print(json.dumps(shown, indent=2))
            return 0
        for r in shown:
            print(f"{r['name']}: {r['description']}")
            print(f"  {r['url']}")
            print(f"  licence: {r['licence']}; convention: {r['convention']}")
            print(f"  cached: {r['path'] or 'no'}" + (f" (sha256 {r['sha256']})" if r["sha256"] else ""))
        return 0
    progress = not args.quiet and sys.stderr.isatty()
    done = []
    for name in names:
        path = downloads.download(name, progressbar=progress, reset=args.reset)
        row = {**downloads.status_of(name), "path": str(path)}
        done.append(row)
        if not args.json:
            print(f"{name}: {path} (sha256 {row['sha256']})")
            print(f"  use it with: --maps downloaded, or everywhere from now on: `jupitershine textures use "
                  f"downloaded`; or as a file: {use(row, str(path))}")
    if args.json:
        print(json.dumps(done, indent=2))
    return 0


def _add_textures_use(tsub: Any) -> None:
    from viewer.maps import CHOICES

    u = tsub.add_parser("use", help="choose the maps renders use by default: procedural or downloaded",
                        description="Remember which maps `still`, `render` and `fly` use when neither --maps "
                        "nor the preset's `maps` key says: procedural (the shipped textures/) or downloaded "
                        "(the public mosaics `jupitershine textures download` fetched: Jupiter and Io; the "
                        "other moons stay procedural). Written to settings.toml in $JUPITERSHINE_CONFIG or "
                        "the platform's config folder. Without a choice, prints the current one.")
    u.add_argument("choice", nargs="?", choices=CHOICES, default=None, metavar="procedural|downloaded",
                   help="the maps to use from now on")
    u.set_defaults(func=_cmd_textures_use)


def _cmd_textures_use(args: argparse.Namespace) -> int:
    from viewer import maps

    path = maps.setting_path()
    if args.choice is None:
        current = maps.read_setting()
        print(f"maps: {current} (set in {path})" if current is not None
              else f"maps: procedural (the default; nothing set in {path})")
        return 0
    if args.choice == "downloaded":
        maps.check_downloaded(maps.BODIES)
    print(f"maps: {args.choice} from now on (written to {maps.write_setting(args.choice)})")
    return 0
