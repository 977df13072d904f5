"""``jupitershine compare``: align another image of Io (a JunoCam product, another render) onto ours by
Io's limb, and show the difference (:mod:`viewer.compare`, docs/compare.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add(sub: Any) -> None:
    p = sub.add_parser("compare", help="align another image of Io onto ours by the limb; show the "
                       "difference",
                       description="Align THEIRS (a JunoCam image, another render) onto OURS by Io's "
                       "limb: the limb's centre and radius give the offset and the scale, the disc's "
                       "content in polar coordinates the rotation. Writes DIR/side_by_side.png, "
                       "DIR/difference.png, DIR/blink.gif and DIR/compare.json (atomically), and prints "
                       "the offset (px), scale, rotation (degrees, counter-clockwise as displayed) and the "
                       "residual offset left after alignment. See docs/compare.md.")
    p.add_argument("ours", metavar="OURS", help="the reference image (PNG, JPEG or TIFF), e.g. a "
                   "`jupitershine still` render")
    p.add_argument("theirs", metavar="THEIRS", help="the image to align onto OURS, e.g. a JunoCam "
                   "product")
    p.add_argument("--out", "-o", required=True, metavar="DIR",
                   help="folder for the images and compare.json (created if missing)")
    p.add_argument("--no-rotation", action="store_true",
                   help="assume THEIRS is not rotated relative to OURS (only offset and scale)")
    p.add_argument("--json", action="store_true",
                   help="print the result as JSON (what compare.json holds) instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from viewer.compare import compare, load_image, write_outputs

    ours = load_image(args.ours, "OURS")
    theirs = load_image(args.theirs, "THEIRS")
    result = compare(ours, theirs, rotation=not args.no_rotation)
    if ours.ndim != theirs.ndim:
        print("compare: one image is grey and the other colour; the alignment uses luma, the pictures "
              "show each as it is", file=sys.stderr)
    info = {"ours": str(args.ours), "theirs": str(args.theirs),
            "ours_size_px": [ours.shape[1], ours.shape[0]],
            "theirs_size_px": [theirs.shape[1], theirs.shape[0]]}
    paths = write_outputs(args.out, ours, result, info)
    if args.json:
        print(paths["compare.json"].read_text(encoding="utf-8"), end="")
    else:
        s = result.summary()
        res = s["residual"]
        print(f"offset {s['offset_px'][0]:+.2f} {s['offset_px'][1]:+.2f} px (OURS limb centre − THEIRS'), "
              f"scale {result.scale:.5f}, rotation {result.rotation_deg:+.3f}° "
              f"(counter-clockwise as displayed; match {result.rotation_peak:.2f})")
        if res["offset_norm_px"] is None:
            print("residual: the limb was not found again in the aligned image")
        else:
            print(f"residual offset {res['offset_norm_px']:.3f} px ({res['offset_px'][0]:+.3f} "
                  f"{res['offset_px'][1]:+.3f}), radius {res['radius_px']:+.3f} px, rotation "
                  f"{res['rotation_deg']:+.3f}°")
        for what, limb in (("OURS", result.ours_limb), ("THEIRS", result.theirs_limb)):
            print(f"{what} limb: centre ({limb.center[0]:.2f}, {limb.center[1]:.2f}) px, radius "
                  f"{limb.radius:.2f} px, {limb.model} through {len(limb.points)} points over "
                  f"{limb.arc_deg:.0f}°, rms {limb.rms_px:.3f} px")
    for path in paths.values():
        print(f"wrote {path}", file=sys.stderr)
    return 0
