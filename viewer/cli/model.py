"""``jupitershine model generate``: the procedural Juno model."""

from __future__ import annotations

import argparse
import json
from typing import Any

from viewer.errors import UserError


def add(sub: Any) -> None:
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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
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
