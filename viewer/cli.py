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
from typing import Any, NoReturn

from viewer.errors import UserError


class _Parser(argparse.ArgumentParser):
    """argparse, but usage mistakes become one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: error: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


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
    p.set_defaults(func=_cmd_info)


def _cmd_info(args: argparse.Namespace) -> int:
    from viewer.config import load_preset
    from viewer.report import info_dict, info_text
    from viewer.sim.timescales import utc_to_et
    from viewer.sim.world import World

    time = args.time if args.time is not None else load_preset(args.preset or "i57").time
    et = utc_to_et(time)
    info = info_dict(World(), et)
    print(json.dumps(info, indent=2) if args.json else info_text(info))
    return 0


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
    from viewer.procedural import juno_model

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
              f"{info['span_m']:.2f} m, height {info['height_m']:.2f} m, bus "
              f"{info['bus_diameter_m']:.2f} m across")
        for q in info.get("previews", []):
            print(f"wrote {q}")
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
    _add_presets(sub)
    _add_model(sub)
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
