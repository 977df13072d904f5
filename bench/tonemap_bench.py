"""Tone-map pass timings on this machine's GL (headless): resolve + expose + curve + sRGB, 8-bit readback,
and the two ways of getting the auto-exposure sample. Writes bench/results/tonemap.json.

Usage: .venv/bin/python bench/tonemap_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from viewer.render.context import headless_context
from viewer.render.exposure import ToneSettings, auto_ev
from viewer.render.passes.tonemap import TonemapPass
from viewer.render.targets import HDRTarget, LDRTarget


def _ms(ctx, fn, repeat: int) -> float:
    fn()
    ctx.finish()
    t0 = time.perf_counter()
    for _ in range(repeat):
        fn()
        ctx.finish()
    return 1000.0 * (time.perf_counter() - t0) / repeat


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    results: dict = {}
    with headless_context() as ctx:
        results["renderer"] = ctx.capabilities().renderer
        tm = TonemapPass(ctx)
        rng = np.random.default_rng(0)
        for w, h in ((320, 240), (1920, 1080)):
            for ss in (1, 2):
                hdr = HDRTarget(ctx, (w, h), supersample=ss, depth=False)
                hdr.upload(rng.uniform(0, 2, (h * ss, w * ss, 3)).astype(np.float32))
                out = LDRTarget(ctx, (w, h))
                key = f"{w}x{h}_ss{ss}"
                for curve in ("filmic", "stretch"):
                    s = ToneSettings(exposure=0.0, curve=curve, stretch=(0.0, 1.0, 2.2))
                    results[f"{key}_tonemap_{curve}_ms"] = _ms(
                        ctx, lambda s=s, hdr=hdr, out=out: tm.draw(hdr, out, s), args.repeat)
                results[f"{key}_readback_u8_ms"] = _ms(ctx, out.read, args.repeat)
                results[f"{key}_auto_ev_gpu_subsample_ms"] = _ms(
                    ctx, lambda hdr=hdr: auto_ev(tm.subsample(hdr)), args.repeat)
                results[f"{key}_auto_ev_full_readback_ms"] = _ms(
                    ctx, lambda hdr=hdr: auto_ev(hdr.read()), max(2, args.repeat // 3))
    for k, v in results.items():
        print(f"{k:45s} {v:.2f}" if isinstance(v, float) else f"{k:45s} {v}")
    path = Path(__file__).parent / "results" / "tonemap.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
