"""``jupitershine``: the command line, and the only argv parser of the project.

One module per command (``viewer/cli/<command>.py``), each with ``add(sub)`` declaring its arguments
and ``run(args)`` running it and returning the exit status; option groups shared between commands
(time and camera, look, content, SPICE kernels, users' maps and models) live in
:mod:`viewer.cli.options`. Bad input raises :class:`viewer.errors.UserError`; :func:`main` prints it as
one line and returns 2, with no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from viewer.cli.options import Parser
from viewer.errors import UserError

#: The commands, in the order ``--help`` lists them (module names under viewer/cli/).
COMMANDS = ("info", "events", "geometry", "still", "render", "junocam", "fly", "presets", "model", "doctor",
            "assets", "textures", "compare")


def build_parser() -> argparse.ArgumentParser:
    from importlib import import_module

    from viewer import __version__

    parser = Parser(prog="jupitershine",
                     description="Jupiter, Io and Juno in 3D, lit by the Sun and by Jupitershine.")
    parser.add_argument("--version", action="version", version=f"jupitershine {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        import_module(f"viewer.cli.{name}").add(sub)
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
