"""``jupitershine assets``: check maps and a spacecraft model."""

from __future__ import annotations

import argparse
import json
from typing import Any

from viewer.cli.options import add_asset_options, load_assets_from_args
from viewer.errors import UserError


def add(sub: Any) -> None:
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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
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
