"""``jupitershine render``: a scene's frames or movie, headless, deterministic, resumable, parallel."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from viewer.cli.options import (
    add_detail_option,
    add_kernels_option,
    add_maps_option,
    detail_from_args,
    world_from_args,
)
from viewer.errors import UserError


def add(sub: Any) -> None:
    from viewer.export import DEFAULT_QUALITY, FORMATS

    p = sub.add_parser("render", help="render a scene's frames or movie (PNG, 16-bit PNG, .npy, MP4)",
                       description="Render every frame of a scene file (docs/scenes.md) or preset, "
                       "headless: frame i at exactly the scene's time for i, the same bytes in any order "
                       "and any process. Files are written under a temporary name and renamed when whole, "
                       "with a manifest, so --resume finishes an interrupted export. An MP4 (H.264, "
                       "yuv420p) is streamed to ffmpeg in resumable 64-frame segments (FILE.mp4.parts/) "
                       "and joined at the end (docs/export.md).")
    p.add_argument("scene", nargs="?", default=None, metavar="SCENE.toml",
                   help="a scene file (or give --preset)")
    p.add_argument("--preset", "-p", default=None, help="a shipped preset or scene, e.g. i57-flyby")
    p.add_argument("--out", "-o", default=None, metavar="DIR|FILE.mp4",
                   help="a folder for the frames, or a movie name ending in .mp4 (default: the scene's "
                   "output, else out/NAME/)")
    p.add_argument("--size", default=None, metavar="WxH", help="frame size in pixels (default the scene's)")
    p.add_argument("--fps", type=float, default=None, metavar="N",
                   help="frames per second (default the scene's); changes the frame count")
    p.add_argument("--frames", default=None, metavar="A:B",
                   help="only frames A to B-1 (either end may be left out, e.g. 0:120 or 300:)")
    p.add_argument("--format", "-f", choices=FORMATS, default="png",
                   help="png (8-bit sRGB), png16 (16-bit sRGB, same tone map), npy (linear radiance "
                   "float32 for compositing)")
    p.add_argument("--look", default=None, metavar="NAME",
                   help="a look over the scene's exposure: physical, junocam, linear (shots may name "
                   "their own)")
    p.add_argument("--quality", type=int, default=DEFAULT_QUALITY, metavar="1-10",
                   help=f"MP4 quality, 10 best (default {DEFAULT_QUALITY})")
    p.add_argument("--resume", action="store_true",
                   help="finish an interrupted export: skip frames already written (same scene, settings "
                   "and renderer only)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing export in --out")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="render in N processes, each with its own headless OpenGL context")
    p.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="send frame chunks to the Dask scheduler at ADDRESS (tcp://host:8786); its "
                   "workers render headless and return the frames (docs/export.md)")
    p.add_argument("--no-supersample", action="store_true",
                   help="no 2x2 supersampling of frames with the spacecraft in view (faster)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    add_detail_option(p)
    add_maps_option(p)
    add_kernels_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from viewer import maps
    from viewer import scene as scenes
    from viewer.export import ExportOptions, render_sequence
    from viewer.render.looks import get_look
    from viewer.still import parse_size

    if (args.scene is None) == (args.preset is None):
        raise UserError("give a scene file or --preset NAME (one of them), e.g. "
                        "`jupitershine render --preset i57-flyby --out out/i57-flyby.mp4`")
    if args.resume and args.overwrite:
        raise UserError("give --resume or --overwrite, not both")
    source = args.scene if args.scene is not None else args.preset
    if args.scene is not None and not str(args.scene).endswith(".toml"):
        raise UserError(f"{args.scene}: a scene file ends in .toml (or give --preset NAME)")
    world = world_from_args(args)
    scene = scenes.load(source, world=world, fps=args.fps)
    look = get_look(args.look).name if args.look is not None else None
    choice = maps.choose(args.maps, scene.base)
    if choice.name == "downloaded":
        maps.check_downloaded(maps.BODIES)
    options = ExportOptions(size=parse_size(args.size) if args.size else None, format=args.format,
                            frames=args.frames, supersample=1 if args.no_supersample else 2,
                            quality=args.quality, look=look, detail=detail_from_args(args), maps=choice.name)
    out = args.out or scene.output or str(Path("out") / scene.base.name)
    render_sequence(scene, out, options, resume=args.resume, overwrite=args.overwrite,
                    workers=args.workers, dask=args.dask, world=world, quiet=args.quiet,
                    on_start=lambda: print(maps.status_line(choice), file=sys.stderr))
    return 0
