"""``jupitershine fly``: the interactive window."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from viewer.cli.options import (
    add_asset_options,
    add_content_options,
    add_kernels_option,
    add_look_options,
    add_view_options,
    chosen_maps,
    detail_from_args,
    user_assets,
    world_from_args,
)


def add(sub: Any) -> None:
    from viewer.app.controls import keys_help

    p = sub.add_parser(
        "fly", help="the interactive window: fly around Jupiter, Io and Juno",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Open a window (Qt, PySide6) on a scene — by default the I57 closest approach seen "
        "from Juno — with time in your hands: play, reverse, change the rate, jump to events; orbit any "
        "body, chase Juno; the numbers of `jupitershine info` on screen; screenshots equal to "
        "`jupitershine still` of the same camera, time and size; record the flight as a scene file for "
        "`jupitershine render`. Needs a display (Xvfb works) and the `app` extra.",
        epilog="keys:\n" + keys_help())
    p.add_argument("scene", nargs="?", default=None, metavar="SCENE.toml",
                   help="a scene or preset file, or a shipped preset's name (default i57)")
    add_view_options(p)
    add_look_options(p)
    add_content_options(p)
    g = p.add_argument_group("window")
    g.add_argument("--screenshot-size", default=None, metavar="WxH",
                   help="size of screenshots (P), pixels (default: the window's canvas)")
    g.add_argument("--out-dir", default="out", metavar="DIR",
                   help="folder for screenshots and recorded scenes (default out)")
    g.add_argument("--no-panel", action="store_true", help="start with the side panel hidden")
    g.add_argument("--quit-after", type=float, default=None, metavar="SECONDS",
                   help="run for SECONDS after the first frame, print the mean and 5th-percentile frames "
                   "per second and exit 0 (benchmarks, CI)")
    g.add_argument("--script", default=None, metavar="FILE",
                   help="a scripted flight (TOML [[step]] tables: at, keys, rate, play, target, lat, wlon, "
                   "range_km, chase, fly; see viewer/app/script.py)")
    add_asset_options(p)
    add_kernels_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viewer.errors import UserError
    from viewer.render.context import qt_display_problem
    from viewer.still import parse_size, resolve_still

    if args.scene is not None and args.preset is not None:
        raise UserError("give a scene file or --preset, not both")
    if args.quit_after is not None and not args.quit_after > 0:
        raise UserError(f"--quit-after {args.quit_after}: give a positive number of seconds")
    problem = qt_display_problem()
    if problem is not None:
        raise UserError(problem)
    preset = args.scene if args.scene is not None else args.preset
    tonemap = "stretch" if args.stretch is not None and args.tonemap is None else args.tonemap
    setup = resolve_still(preset, args.time, args.camera, args.fov, args.size, args.exposure, tonemap,
                          args.stretch, args.hide, 2, args.light, args.look, args.trails, args.trail_span,
                          args.labels, args.junocam_fov, detail=detail_from_args(args))
    shot_size = parse_size(args.screenshot_size) if args.screenshot_size is not None else None
    from viewer.app.script import load_script
    from viewer.app.session import scene_span
    from viewer.app.window import FlyConfig, run_window

    script = load_script(args.script) if args.script is not None else ()
    world = world_from_args(args)
    given, spacecraft = user_assets(args)
    maps, maps_line = chosen_maps(args, given, setup)
    span = scene_span(preset, world)
    config = FlyConfig(setup, world, maps=maps, spacecraft=spacecraft, size=setup.settings.size, span=span,
                       quit_after=args.quit_after, script=script, screenshot_size=shot_size,
                       out_dir=Path(args.out_dir), panel=not args.no_panel,
                       threaded_events=args.kernels is None, status=maps_line)
    import vispy

    vispy.set_log_level("error")  # vispy's own old-GL warning: the Renderer says it in one line
    return run_window(config)

