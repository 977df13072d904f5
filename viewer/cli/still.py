"""``jupitershine still``: one image, headless."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from viewer.cli.options import (
    add_asset_options,
    add_content_options,
    add_kernels_option,
    add_look_options,
    add_view_options,
    detail_from_args,
    maps_reporter,
    user_assets,
    world_from_args,
)


def add(sub: Any) -> None:
    p = sub.add_parser("still", help="render one image (headless OpenGL)",
                       description="Render one still image headlessly: Jupiter, the Galilean moons, "
                       "Juno and the stars at one instant, seen by one camera, exposed and tone-mapped "
                       "(docs/architecture.md 'Radiometry'). Without --preset the i57 preset is used; every "
                       "option given overrides the preset's value. Files are written atomically.")
    add_view_options(p)
    add_look_options(p)
    add_content_options(p)
    p.add_argument("--out", "-o", default=None, metavar="F.png",
                   help="PNG to write (default out/still.png unless only --linear is given)")
    p.add_argument("--linear", default=None, metavar="F.npy",
                   help="also write the radiance before exposure as float32 (H, W, 3) .npy "
                   "(with --look linear: default the PNG's name with .npy)")
    p.add_argument("--no-supersample", action="store_true",
                   help="render at the output size (faster; limbs keep analytic anti-aliasing)")
    add_asset_options(p)
    add_kernels_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from viewer.render.looks import get_look
    from viewer.still import check_outputs, make_still, save_linear, save_png

    look = get_look(args.look) if args.look is not None else None
    out = args.out
    if out is None and args.linear is None:
        out = "out/still.png"
        try:
            Path("out").mkdir(exist_ok=True)
        except OSError:
            pass  # a file named out, a read-only folder: check_outputs says which
    linear_out = args.linear
    if linear_out is None and look is not None and look.writes_linear and Path(out).name:
        linear_out = str(Path(out).with_suffix(".npy"))  # (a nameless --out: check_outputs says so)
    check_outputs(out, linear_out)  # names and folders before the render, not after it
    given, spacecraft = user_assets(args)
    tonemap = "stretch" if args.stretch is not None and args.tonemap is None else args.tonemap
    still = make_still(args.preset, args.time, args.camera, args.fov, args.size, args.exposure, tonemap,
                       args.stretch, args.hide, maps=given, spacecraft=spacecraft,
                       world=world_from_args(args), supersample=1 if args.no_supersample else 2,
                       light=args.light, look=args.look, trails=args.trails, trail_span=args.trail_span,
                       labels=args.labels, junocam_fov=args.junocam_fov, detail=detail_from_args(args),
                       maps_choice=args.maps, on_maps=maps_reporter(args))
    if out is not None:
        save_png(out, still.image)
        tone = f", look {still.look}" if still.look is not None else ""
        if still.tone is not None and still.tone.curve == "stretch":
            tone += f", stretch {':'.join(f'{v:g}' for v in still.tone.stretch)}"
        exposure = (f"EV {still.ev:+.2f}" if still.exposed_for is None
                    else f"auto exposure EV {still.ev:+.2f} {still.exposed_for}")
        print(f"wrote {out} ({still.image.shape[1]}x{still.image.shape[0]}, {exposure}{tone}, "
              f"{still.time_utc} UTC, camera {still.camera})", file=sys.stderr)
    if linear_out is not None:
        save_linear(linear_out, still.linear)
        print(f"wrote {linear_out} (radiance, float32)", file=sys.stderr)
    return 0
