"""Render the README's gallery (``make gallery``): 960×540 stills into docs/gallery/.

Each picture is a camera spec resolved at one instant; cameras that depend on the geometry (the
sub-solar longitude, the Io→Juno direction) are computed here from the snapshot, so the pictures stay
right if the ephemeris changes. One headless GL context renders them all; files are written atomically.

    python tools/gallery.py --out docs/gallery [--size 960x540] [--only NAME,...]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viewer.errors import UserError
from viewer.sim.frames import lat_wlon
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import Snapshot, World

I57 = "2023-12-30T08:36:00.836"


@dataclass(frozen=True)
class Shot:
    name: str
    caption: str
    time: str
    camera: str
    fov: float
    hide: str | None = None
    exposure: str | None = None


def _lat_wlon_deg(snap: Snapshot, body: str, point: np.ndarray) -> tuple[float, float]:
    lat, wlon = lat_wlon(snap.to_body(body, point))
    return float(np.degrees(lat)), float(np.degrees(wlon)) % 360.0


def shots(world: World) -> list[Shot]:
    snap = world.at(utc_to_et(I57))
    # Jupiter from 1.5 million km, 20 degrees off the sub-solar meridian (a slight phase shows depth).
    jlat, jlon = _lat_wlon_deg(snap, "jupiter", snap.positions["sun"])
    # Io's day side from 5,000 km above a point 15 degrees from the sub-solar point.
    ilat, ilon = _lat_wlon_deg(snap, "io", snap.positions["sun"])
    # Juno from 40 m on its sunlit side, between the Sun's direction and the side away from Io, so the
    # lit spacecraft stands in front of Io's limb.
    jd = snap.positions["juno"] - snap.positions["io"]
    sun_dir = snap.positions["sun"] - snap.positions["juno"]
    way = 0.8 * jd / np.linalg.norm(jd) + sun_dir / np.linalg.norm(sun_dir)
    back = snap.positions["juno"] + way / np.linalg.norm(way)
    jn_lat, jn_lon = _lat_wlon_deg(snap, "juno", back)
    return [
        Shot("jupiter", "Jupiter whole from 1.5 million km at I57 (2023-12-30)", I57,
             f"orbit:jupiter:{jlat:.2f}:{(jlon + 20) % 360:.2f}:1500000", 7.0, hide="stars"),
        Shot("io_day", "Io's day side from 5,000 km at I57", I57,
             f"above:io:{ilat + 10:.2f}:{(ilon + 10) % 360:.2f}:5000", 45.0),
        Shot("juno_io", "Juno from 40 m with Io behind it, I57 closest approach", I57,
             f"orbit:juno:{jn_lat:.2f}:{jn_lon:.2f}:0.040", 50.0),
        Shot("ursa_major", "The sky toward Ursa Major from Jupiter (Hipparcos stars)", I57,
             "sky:165:55", 50.0, exposure="15.5"),
        Shot("i57", "The i57 preset: from Juno toward Io at closest approach, 1,500 km up", I57,
             "look:juno:io", 80.0),
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="docs/gallery", help="folder for the PNGs")
    p.add_argument("--size", default="960x540")
    p.add_argument("--only", default=None, help="comma-separated shot names")
    args = p.parse_args(argv)
    from viewer.render.context import headless_context
    from viewer.still import make_still, save_png

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    world = World()
    todo = shots(world)
    if args.only:
        names = set(args.only.split(","))
        todo = [s for s in todo if s.name in names]
    ctx = headless_context()
    try:
        for i, s in enumerate(todo, 1):
            t0 = time.perf_counter()
            still = make_still(time=s.time, camera=s.camera, fov=s.fov, size=args.size, hide=s.hide,
                               exposure=s.exposure, world=world, context=ctx)
            save_png(out / f"{s.name}.png", still.image)
            print(f"[{i}/{len(todo)}] {s.name}.png  {s.camera}  EV {still.ev:+.2f}  "
                  f"{time.perf_counter() - t0:.1f} s", flush=True)
    except UserError as exc:
        print(f"gallery: error: {exc}", file=sys.stderr)
        return 2
    finally:
        ctx.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
