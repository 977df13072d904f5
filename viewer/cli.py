"""``jupitershine``: the command line, and the only argv parser of the project.

Each command is a pair: ``_add_<name>(sub)`` declares its arguments, ``_cmd_<name>(args)`` runs it and
returns the exit status. Bad input raises :class:`viewer.errors.UserError`; :func:`main` prints it as
one line and returns 2, with no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, Literal, NoReturn

from viewer.errors import UserError


class _Parser(argparse.ArgumentParser):
    """argparse, but usage mistakes become one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


# --- SPICE kernels (any command that needs positions) --------------------------------------------

def add_kernels_option(p: argparse.ArgumentParser) -> None:
    """``--kernels FILE.tm|DIR``: take positions and attitudes from NAIF SPICE kernels."""
    p.add_argument("--kernels", "-k", metavar="FILE.tm|DIR", default=None,
                   help="take positions and attitudes from NAIF SPICE kernels: a meta-kernel, or a "
                   "folder whose kernels are all loaded (docs/spice.md); default: the embedded "
                   "ephemeris and Juno trajectories")


def world_from_args(args: argparse.Namespace) -> Any:
    """The :class:`~viewer.sim.world.World` for a command: SPICE if ``--kernels`` was given."""
    from viewer.sim.world import World

    kernels = getattr(args, "kernels", None)
    if kernels is None:
        return World()
    from viewer.sim.spice import SpiceEphemeris

    return World(SpiceEphemeris(kernels))


# --- info ----------------------------------------------------------------------------------------

def _add_info(sub: Any) -> None:
    p = sub.add_parser("info", help="geometry of Jupiter, Io, the Sun (and Juno) at one instant",
                       description="Print the geometry at one instant: the Sun's direction, sub-solar "
                       "and sub-Jupiter points, eclipse state, Jupiter's phase seen from Io and the "
                       "Jupitershine/sunlight ratio. Degrees, km, km/s; planetocentric latitudes; west "
                       "longitudes in [0, 360).")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--time", "-t", help="UTC, e.g. 2023-12-30T08:36:00.836 (default: the preset's)")
    when.add_argument("--preset", "-p", default=None, help="take the time from a preset (default i57)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a human summary")
    add_kernels_option(p)
    p.set_defaults(func=_cmd_info)


def _cmd_info(args: argparse.Namespace) -> int:
    from viewer.config import load_preset
    from viewer.report import info_dict, info_text
    from viewer.sim.timescales import utc_to_et

    time = args.time if args.time is not None else load_preset(args.preset or "i57").time
    et = utc_to_et(time)
    info = info_dict(world_from_args(args), et)
    print(json.dumps(info, indent=2) if args.json else info_text(info))
    return 0


# --- events --------------------------------------------------------------------------------------

#: The longest span `events` searches, days (about 1 s of search per 5 days on 2 cores).
EVENTS_MAX_DAYS = 366.0


def _add_events(sub: Any) -> None:
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
    p.set_defaults(func=_cmd_events)


def _cmd_events(args: argparse.Namespace) -> int:
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
    kinds = _split_list(args.kind) or list(events.KINDS)
    moons = _split_list(args.body) or None
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


def _split_list(values: list[str] | None) -> list[str]:
    """Repeatable comma lists (``--kind a,b --kind c``) → ``[a, b, c]``, lower case, blanks dropped."""
    return [v.strip().lower() for item in values or [] for v in item.split(",") if v.strip()]


# --- presets -------------------------------------------------------------------------------------

def _add_presets(sub: Any) -> None:
    p = sub.add_parser("presets", help="list the shipped presets",
                       description="List the shipped presets (viewer/presets/*.toml).")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_presets)


def _cmd_presets(args: argparse.Namespace) -> int:
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


# --- model ---------------------------------------------------------------------------------------

def _add_model(sub: Any) -> None:
    p = sub.add_parser("model", help="the procedural Juno spacecraft model",
                       description="Generate the procedural Juno model (glTF 2.0 binary, metres, "
                       "JUNO_SPACECRAFT axes: +Z spin axis/HGA, -X JunoCam). The same code always "
                       "writes the same bytes.")
    msub = p.add_subparsers(dest="model_command", required=True, metavar="ACTION")
    g = msub.add_parser("generate", help="write models/juno.glb (or --out PATH)",
                        description="Write the model atomically (temporary file, then rename) and "
                        "print its triangle count and measured dimensions.")
    g.add_argument("--out", "-o", default=None, help="output .glb path (default: models/juno.glb)")
    g.add_argument("--previews", metavar="DIR", default=None,
                   help="also render top/side/three-quarter PNG views into DIR (needs matplotlib, "
                   "the 'docs' extra)")
    g.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=_cmd_model)


def _cmd_model(args: argparse.Namespace) -> int:
    from pathlib import Path

    from viewer.procedural import juno_model

    if args.out is not None and Path(args.out).suffix.lower() != ".glb":
        raise UserError(f"--out {args.out}: the model is written as binary glTF; give a name ending in .glb")
    path = juno_model.write_glb(args.out)
    info: dict[str, Any] = {"path": str(path), **juno_model.summary()}
    if args.previews is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError as exc:
            raise UserError("--previews needs matplotlib: "
                            "pip install 'jupitershine[docs]'") from exc
        info["previews"] = [str(q) for q in juno_model.render_previews(args.previews)]
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        print(f"wrote {path}: {info['triangles']} triangles in {info['meshes']} meshes; span "
              f"{info['span_m']:.3f} m (largest bounding-box side), {info['tip_to_tip_m']:.3f} m tip to "
              f"tip across the spin axis, height {info['height_m']:.3f} m, bus "
              f"{info['bus_diameter_m']:.2f} m across")
        for q in info.get("previews", []):
            print(f"wrote {q}")
    return 0


# --- geometry ------------------------------------------------------------------------------------

def _add_geometry(sub: Any) -> None:
    p = sub.add_parser("geometry", help="Juno–Io geometry table in the Juno Io team's CSV format",
                       description="Write Juno's geometry relative to Io (range, altitude, "
                       "sub-spacecraft and sub-solar points, phase, JIRAM and JunoCam pixel scales) "
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
    p.set_defaults(func=_cmd_geometry)


def _cmd_geometry(args: argparse.Namespace) -> int:
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


# --- still ---------------------------------------------------------------------------------------

def _add_still(sub: Any) -> None:
    p = sub.add_parser("still", help="render one image (headless OpenGL)",
                       description="Render one still image headlessly: Jupiter, the Galilean moons, "
                       "Juno and the stars at one instant, seen by one camera, exposed and tone-mapped "
                       "(docs/architecture.md 'Radiometry'). Without --preset the i57 preset is used; every "
                       "option given overrides the preset's value. Files are written atomically.")
    p.add_argument("--preset", "-p", default=None, help="start from a preset (default i57)")
    p.add_argument("--time", "-t", default=None, help="UTC, e.g. 2023-12-30T08:36:00.836")
    p.add_argument("--camera", "-c", default=None,
                   help="camera spec: above:BODY:LAT:WLON:ALT_KM, orbit:TARGET:LAT:WLON:RANGE_KM, "
                   "look:juno:TARGET, junocam[:TARGET], sky:RA_DEG:DEC_DEG")
    p.add_argument("--fov", type=float, default=None, metavar="DEG", help="vertical field of view")
    p.add_argument("--size", default=None, metavar="WxH", help="image size in pixels, e.g. 960x540")
    p.add_argument("--look", default=None, metavar="NAME",
                   help="a documented look (docs/rendering.md 'Looks'): physical (filmic, EV 0), "
                   "junocam (night side stretched to display 0.5, day side clips), linear (PNG = "
                   "sRGB(clip(radiance x 2^EV)), radiance also to .npy); --exposure/--tonemap/--stretch "
                   "override its values (default: the preset's exposure and curve)")
    p.add_argument("--exposure", default=None, metavar="EV|auto",
                   help="exposure in stops (radiance x 2^EV) or auto (median lit pixel to middle grey; with "
                   "nothing lit, the hot spots or else the stars near white)")
    p.add_argument("--tonemap", choices=("filmic", "stretch"), default=None, help="tone curve")
    p.add_argument("--stretch", default=None, metavar="B:W:G",
                   help="black, white and gamma of the stretch curve (implies --tonemap stretch)")
    p.add_argument("--hide", action="append", default=None, metavar="BODY,...",
                   help="do not draw these: jupiter, io, europa, ganymede, callisto, juno, stars, sun "
                   "(repeatable: --hide io --hide stars hides both)")
    p.add_argument("--light", action="append", default=None, metavar="PATH,...",
                   help="the light paths to enable, from sun,jupitershine,ioshine,hotspots,eclipses "
                   "(repeatable, the paths add up; default: the preset's, i.e. all)")
    p.add_argument("--trails", action="append", default=None, metavar="SPEC,...",
                   help="draw trails, each SPEC BODY or BODY:FRAME: the body's path relative to FRAME "
                   "(default jupiter), e.g. juno:io, juno:jupiter, io, europa; none for no trails "
                   "(repeatable; default: the preset's)")
    p.add_argument("--trail-span", default=None, metavar="PAST:FUTURE",
                   help="how much of each trail to draw before and after the instant, e.g. 30min:0s, "
                   "2h:30min (units s, min, h, d); the future is dashed; auto: a bound body's whole "
                   "orbit, 30 min of Juno passing a moon (default: the preset's)")
    p.add_argument("--labels", action=argparse.BooleanOptionalAction, default=None,
                   help="name the bodies beside their discs and mark Juno's closest approach to a moon "
                   "and perijove within 12 h (default: the preset's, off)")
    p.add_argument("--junocam-fov", action="store_true",
                   help="draw JunoCam's field of view from Juno and its footprint on the surfaces")
    p.add_argument("--out", "-o", default=None, metavar="F.png",
                   help="PNG to write (default out/still.png unless only --linear is given)")
    p.add_argument("--linear", default=None, metavar="F.npy",
                   help="also write the radiance before exposure as float32 (H, W, 3) .npy "
                   "(with --look linear: default the PNG's name with .npy)")
    p.add_argument("--no-supersample", action="store_true",
                   help="render at the output size (faster; limbs keep analytic anti-aliasing)")
    add_asset_options(p)
    add_kernels_option(p)
    p.set_defaults(func=_cmd_still)


def _cmd_still(args: argparse.Namespace) -> int:
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
    if linear_out is None and look is not None and look.writes_linear:
        linear_out = str(Path(out).with_suffix(".npy"))
    check_outputs(out, linear_out)  # names and folders before the render, not after it
    from viewer.render.textures import DEFAULT_MAX_TEXTURE_SIZE

    assets = load_assets_from_args(args, DEFAULT_MAX_TEXTURE_SIZE, include_shipped=False)
    maps = {}
    for key, body in (("jupiter_map", "jupiter"), ("io_map", "io")):
        if not assets[key]["shipped"]:
            maps[body] = assets[key]["asset"].data
    spacecraft = assets["spacecraft"]["asset"]
    tonemap = "stretch" if args.stretch is not None and args.tonemap is None else args.tonemap
    still = make_still(args.preset, args.time, args.camera, args.fov, args.size, args.exposure, tonemap,
                       args.stretch, args.hide, maps=maps, spacecraft=spacecraft,
                       world=world_from_args(args), supersample=1 if args.no_supersample else 2,
                       light=args.light, look=args.look, trails=args.trails, trail_span=args.trail_span,
                       labels=args.labels, junocam_fov=args.junocam_fov)
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


# --- doctor --------------------------------------------------------------------------------------

def _add_doctor(sub: Any) -> None:
    p = sub.add_parser("doctor", help="check OpenGL: renderer, limits, float targets, what to install",
                       description="Create a headless OpenGL context (EGL) and report the GL vendor, "
                       "renderer, versions, limits, whether float render targets work and which window "
                       "backend is available; when something is missing, say what to install. Exits 2 "
                       "when no GL context can be made.")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_doctor)


def _cmd_doctor(args: argparse.Namespace) -> int:
    from viewer.render.context import doctor_report, doctor_text

    report = doctor_report()  # raises GLUnavailable (a UserError: one line, exit 2) without GL
    print(json.dumps(report, indent=2) if args.json else doctor_text(report))
    return 0


# --- users' own maps and models (assets) ---------------------------------------------------------

_UP_AXES = ("x", "y", "z", "-x", "-y", "-z")


def add_asset_options(p: argparse.ArgumentParser) -> None:
    """The asset options shared by ``assets`` and the commands that render (``still``, …).

    Read them back with :func:`load_assets_from_args`. Conventions: docs/assets.md.
    """
    g = p.add_argument_group("maps and spacecraft model (docs/assets.md)")
    g.add_argument("--jupiter-map", metavar="FILE", default=None,
                   help="equirectangular Jupiter map (JPEG, PNG or TIFF; 8 or 16 bit; 2:1); default: "
                   "the shipped textures/jupiter.png")
    g.add_argument("--io-map", metavar="FILE", default=None,
                   help="equirectangular Io map, as --jupiter-map; default: textures/io.png")
    g.add_argument("--map-lon-left", metavar="DEG", type=float, default=None,
                   help="longitude of the left edge of the maps given above, in the system of "
                   "--map-lon-direction (default 360, i.e. ours: 360° W at the left edge)")
    g.add_argument("--map-lon-direction", choices=("west", "east"), default=None,
                   help="which way the maps' longitudes increase on the planet: west (positive-west, "
                   "decreasing to the right; ours, the default) or east (increasing to the right)")
    g.add_argument("--spacecraft-model", metavar="FILE", default=None,
                   help="spacecraft model: glTF/GLB (Draco too), OBJ (+MTL) or STL; default: the "
                   "shipped models/juno.glb")
    g.add_argument("--spacecraft-size", metavar="M", type=float, default=None,
                   help="rescale the model so its largest extent (span) is M metres (for files whose "
                   "units are unknown or wrong)")
    g.add_argument("--spacecraft-up", metavar="AXIS", choices=_UP_AXES, default=None,
                   help="the model file's spin axis, one of x y z -x -y -z, turned onto +Z (write "
                   "--spacecraft-up=-x for a negative axis); default z")


def load_assets_from_args(args: argparse.Namespace, max_texture_size: int | None,
                          include_shipped: bool = True) -> dict[str, Any]:
    """Load what :func:`add_asset_options` names: user files, else the shipped ones where present
    (``include_shipped=False``: leave those to the renderer, with ``asset`` None and ``shipped`` True).

    Returns ``{"jupiter_map", "io_map", "spacecraft"}``, each ``{"path", "shipped", "asset"}`` with
    ``asset`` a :class:`~viewer.render.textures.MapImage` / :class:`~viewer.render.meshes.ModelMesh`,
    or None (with ``path`` None) when nothing was given and nothing is shipped yet.
    """
    from viewer.paths import data_dir
    from viewer.render.meshes import load_model
    from viewer.render.textures import load_map

    user_maps = args.jupiter_map is not None or args.io_map is not None
    if not user_maps and (args.map_lon_left is not None or args.map_lon_direction is not None):
        raise UserError("--map-lon-left/--map-lon-direction describe a map given with --jupiter-map "
                        "or --io-map; give the map too")
    if args.spacecraft_model is None and (args.spacecraft_size is not None
                                          or args.spacecraft_up is not None):
        raise UserError("--spacecraft-size/--spacecraft-up describe a model given with "
                        "--spacecraft-model; give the model too")
    lon_left = 360.0 if args.map_lon_left is None else args.map_lon_left
    direction: Literal["west", "east"] = "east" if args.map_lon_direction == "east" else "west"

    out: dict[str, Any] = {}
    for key, given, shipped in (("jupiter_map", args.jupiter_map, data_dir("textures") / "jupiter.png"),
                                ("io_map", args.io_map, data_dir("textures") / "io.png")):
        if given is not None:
            out[key] = {"path": given, "shipped": False,
                        "asset": load_map(given, lon_left, direction, max_texture_size)}
        elif shipped.exists() and include_shipped:  # shipped maps are in our convention
            out[key] = {"path": str(shipped), "shipped": True,
                        "asset": load_map(shipped, max_size=max_texture_size)}
        else:
            out[key] = {"path": None, "shipped": True, "asset": None}
    shipped_model = data_dir("models") / "juno.glb"
    if args.spacecraft_model is not None:
        out["spacecraft"] = {"path": args.spacecraft_model, "shipped": False,
                             "asset": load_model(args.spacecraft_model, args.spacecraft_size,
                                                 args.spacecraft_up)}
    elif shipped_model.exists() and include_shipped:
        out["spacecraft"] = {"path": str(shipped_model), "shipped": True,
                             "asset": load_model(shipped_model)}
    else:
        out["spacecraft"] = {"path": None, "shipped": True, "asset": None}
    return out


def _add_assets(sub: Any) -> None:
    from viewer.render.textures import DEFAULT_MAX_TEXTURE_SIZE

    p = sub.add_parser("assets", help="check maps and a spacecraft model: what would be drawn",
                       description="Load the Jupiter and Io maps and the spacecraft model the renderer "
                       "would use (your files, else the shipped ones) and report what was found: map "
                       "size, bit depth, the longitude shift applied, downsampling; the model's "
                       "triangles, bounding box in metres and parts. Errors name the file and the fix.")
    add_asset_options(p)
    p.add_argument("--max-texture-size", metavar="N", type=int, default=DEFAULT_MAX_TEXTURE_SIZE,
                   help="texture size limit to check maps against (default %(default)s; "
                   "`jupitershine doctor` shows your GPU's)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_assets)


def _cmd_assets(args: argparse.Namespace) -> int:
    if args.max_texture_size < 1:
        raise UserError(f"--max-texture-size must be a positive number of pixels, "
                        f"not {args.max_texture_size}")
    loaded = load_assets_from_args(args, args.max_texture_size)
    report = {key: {"path": item["path"], "shipped": item["shipped"],
                    **(_asset_summary(item["asset"]) if item["asset"] is not None else {})}
              for key, item in loaded.items()}
    report["max_texture_size"] = args.max_texture_size
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    labels = {"jupiter_map": "jupiter map", "io_map": "io map", "spacecraft": "spacecraft"}
    hints = {"jupiter_map": "textures/jupiter.png not generated yet: `jupitershine textures generate`",
             "io_map": "textures/io.png not generated yet: `jupitershine textures generate`",
             "spacecraft": "models/juno.glb not generated yet: `jupitershine model generate`"}
    for key, label in labels.items():
        r = report[key]
        if r["path"] is None:
            print(f"{label}: none ({hints[key]})")
            continue
        print(f"{label}: {r['path']}{' (shipped)' if r['shipped'] else ''}")
        if "width" in r:
            shift = (f"rolled {r['shift_px']:g} px ({r['shift_deg']:.2f}°) into ours"
                     if r["shift_px"] else "already ours, no shift")
            size = (f"downsampled from {r['downsampled_from'][0]}×{r['downsampled_from'][1]} to fit "
                    f"{args.max_texture_size} px" if r["downsampled_from"]
                    else f"fits the {args.max_texture_size}-px limit")
            depth = (f"{r['bit_depth']}-bit" if r["bit_depth"] == r["source_bit_depth"]
                     else f"{r['bit_depth']}-bit (file {r['source_bit_depth']}-bit)")
            print(f"  {r['width']}×{r['height']}, {r['channels']} channel(s), {depth}; convention "
                  f"left edge {r['lon_left_deg']:g}° {r['lon_direction']}: {shift}; {size}")
        else:
            (x0, y0, z0), (x1, y1, z1) = r["bounds_m"]
            print(f"  {r['triangles']} triangles, {r['vertices']} vertices in {len(r['parts'])} "
                  f"part(s){', Draco-compressed' if r['draco'] else ''}; file units "
                  f"{r['file_units']}; scale ×{r['scale']:.6g}; spin axis {r['up_axis']} → +z")
            print(f"  bounding box x {x0:.3f}…{x1:.3f}, y {y0:.3f}…{y1:.3f}, z {z0:.3f}…{z1:.3f} m; "
                  f"span {r['span_m']:.3f} m (largest bounding-box side), {r['tip_to_tip_m']:.3f} m tip "
                  "to tip across the spin axis")
            names = r["parts"]
            shown = ", ".join(names[:8]) + (f", … ({len(names)} in all)" if len(names) > 8 else "")
            print(f"  parts: {shown}")
            if r["dropped_parts"]:
                print(f"  dropped (no usable geometry): {', '.join(r['dropped_parts'])}")
    return 0


def _asset_summary(asset: Any) -> dict[str, Any]:
    """JSON-ready facts about a loaded MapImage or ModelMesh."""
    from viewer.render.textures import MapImage

    if isinstance(asset, MapImage):
        return {"width": asset.width, "height": asset.height, "channels": asset.channels,
                "bit_depth": asset.bit_depth, "source_bit_depth": asset.source_bit_depth,
                "source_size": list(asset.source_size), "lon_left_deg": asset.lon_left_deg,
                "lon_direction": asset.lon_direction, "shift_px": round(asset.shift_px, 6),
                "shift_deg": round(asset.shift_deg, 6),
                "downsampled_from": list(asset.downsampled_from) if asset.downsampled_from else None}
    return {"triangles": asset.triangle_count, "vertices": asset.vertex_count,
            "bounds_m": [[round(float(v), 6) for v in row] for row in asset.bounds],
            "extents_m": [round(float(v), 6) for v in asset.extents],
            "span_m": round(asset.span_m, 6), "tip_to_tip_m": round(asset.tip_to_tip_m, 6),
            "scale": asset.scale, "up_axis": asset.up_axis,
            "file_units": asset.file_units, "draco": asset.draco,
            "parts": [p.name for p in asset.parts], "dropped_parts": list(asset.dropped_parts),
            "degenerate_triangles_removed": asset.degenerate_triangles}


# --- textures --------------------------------------------------------------------------------------
# `textures` has its own actions (sub-subcommands), each added by one function taking `tsub`:
# `_add_textures_generate(tsub)` here; `textures download` is added the same way by
# `_add_textures_download(tsub)` (see the marked line in `_add_textures`). Each action sets its
# own `func`.

def _add_textures(sub: Any) -> None:
    p = sub.add_parser("textures", help="generate the planet maps (or fetch public ones)",
                       description="Planet and moon maps in the project's convention "
                       "(textures/README.md): equirectangular, planetocentric latitude, west "
                       "longitude increasing to the left, 180° W at the centre.")
    tsub = p.add_subparsers(dest="textures_command", required=True, metavar="ACTION",
                            parser_class=_Parser)
    _add_textures_generate(tsub)
    _add_textures_download(tsub)


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


# --- textures download ---------------------------------------------------------------------------

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
            print(f"  use it with: {use(row, str(path))}")
    if args.json:
        print(json.dumps(done, indent=2))
    return 0


# --- entry point ---------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jupitershine",
                     description="Jupiter, Io and Juno in 3D, lit by the Sun and by Jupitershine.")
    from viewer import __version__

    parser.add_argument("--version", action="version", version=f"jupitershine {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)
    _add_info(sub)
    _add_events(sub)
    _add_geometry(sub)
    _add_still(sub)
    _add_presets(sub)
    _add_model(sub)
    _add_doctor(sub)
    _add_assets(sub)
    _add_textures(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UserError as exc:
        print(f"jupitershine: error: {exc}", file=sys.stderr)
        return UserError.exit_code
    except KeyboardInterrupt:
        print("jupitershine: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
