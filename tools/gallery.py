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
from viewer.sim.timescales import et_to_utc, utc_to_et
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
    look: str | None = None
    light: str | None = None
    trails: str | None = None
    trail_span: str | None = None
    labels: bool = False
    detail: bool = True


def _lat_wlon_deg(snap: Snapshot, body: str, point: np.ndarray) -> tuple[float, float]:
    lat, wlon = lat_wlon(snap.to_body(body, point))
    return float(np.degrees(lat)), float(np.degrees(wlon)) % 360.0


def _io_shadow_on_jupiter(world: World, et0: float) -> float:
    """The minute within a day of ``et0`` when Io's shadow falls nearest the centre of Jupiter's disc
    seen from the Sun (the Sun→Io line passes closest to Jupiter's centre, on Jupiter's side of Io)."""
    times = et0 + np.arange(-86400.0, 86400.0, 60.0)
    snaps = [world.at(t) for t in times]
    miss = []
    for sn in snaps:
        d = sn.positions["io"] - sn.positions["sun"]
        d /= np.linalg.norm(d)
        rel = -sn.positions["io"]
        miss.append(np.linalg.norm(rel - (rel @ d) * d) if rel @ d > 0 else np.inf)
    return float(times[int(np.argmin(miss))])


def light_shots(world: World) -> list[Shot]:
    """The light-path pictures (issue 6): Io's night side in Jupitershine six minutes after I57's
    closest approach, physically exposed and stretched; Io entering Jupiter's shadow (penumbra, then
    umbra with its hot spots glowing); Io's shadow crossing Jupiter's clouds."""
    et0 = utc_to_et(I57)
    after = et_to_utc(et0 + 360.0)
    events = {e.kind: e.et for e in world.find_events("eclipse", et0, et0 + 2 * 86400, "io")}
    shots = [
        Shot("i57_night_physical", "Io's night side in Jupitershine from Juno, 6 min after I57 closest "
             "approach: physical exposure (EV 0, filmic)", after, "look:juno:io", 36.0, look="physical"),
        Shot("i57_night_junocam", "The same view stretched like the JunoCam release (night-side median on "
             "display 0.5, gamma 2.2; the day side clips)", after, "look:juno:io", 36.0, look="junocam"),
    ]
    # The eclipse from between Io and Jupiter, 8,000 km from Io (Jupiter behind the camera).
    # EV +8 on the stretch for the umbra, fixed so the caption can state it: nothing there but the hot
    # spots (~1e-4 to 1e-2). (Auto would meter on the hot spots: EV +13 at 960x540, most of them white.)
    for name, key, dt, look, ev, caption in (
            ("eclipse_1_penumbra", "eclipse_entry", 0.0, "physical", None,
             "Io entering Jupiter's shadow: half the Sun hidden at Io's centre, the penumbra across "
             "its disc"),
            ("eclipse_2_umbra", "eclipse_umbra_entry", 600.0, "physical", None,
             "Ten minutes into the umbra, same exposure: no sunlight, no Jupitershine (Jupiter's night "
             "side faces Io)"),
            ("eclipse_3_umbra_stretched", "eclipse_umbra_entry", 600.0, "junocam", "8",
             "The same instant stretched (EV +8, gamma 2.2): Io's hot spots glow in the dark")):
        snap = world.at(events[key] + dt)
        lat, lon = _lat_wlon_deg(snap, "io", snap.positions["jupiter"])
        shots.append(Shot(name, caption, et_to_utc(events[key] + dt),
                          f"orbit:io:{lat:.2f}:{(lon + 25.0) % 360:.2f}:8000", 35.0, hide="stars",
                          exposure=ev, look=look))
    t = _io_shadow_on_jupiter(world, et0)
    snap = world.at(t)
    lat, lon = _lat_wlon_deg(snap, "jupiter", snap.positions["sun"])
    shots.append(Shot("io_shadow_transit", "Io and its shadow on Jupiter's clouds (umbra with penumbra), "
                      "seen 12° from the Sun's direction", et_to_utc(t),
                      f"orbit:jupiter:{lat:.2f}:{(lon + 12.0) % 360:.2f}:1000000", 10.0, hide="stars",
                      look="physical"))
    return shots


def motion_shots(world: World) -> list[Shot]:
    """The motion pictures (issue 12): the I57 hyperbola relative to Io, the whole PJ57 orbit relative
    to Jupiter with the Galilean moons' orbits, and Juno 30 m away with its trail running through it."""
    ca = utc_to_et(I57)
    # Juno's orbit seen face-on: the camera along the orbit's angular momentum at perijove.
    pj = min((t for kind, t in apsides_list(world) if kind == "perijove"), key=lambda t: abs(t - ca))
    snap = world.at(pj)
    r, v = snap.positions["juno"], snap.velocities["juno"]
    normal = np.cross(r, v)
    # At the end of the embedded coverage, so the whole orbit lies in the trail's past.
    end = world.juno.coverage()[0][-1] - 12 * 3600.0
    lat, lon = _lat_wlon_deg(world.at(end), "jupiter", normal / np.linalg.norm(normal) * 1e7)
    # Juno from 30 m, 2 minutes after closest approach, looking back along its path toward Io's side.
    t30 = ca + 120.0
    s30 = world.at(t30)
    back = s30.positions["juno"] - 0.3 * s30.velocities["juno"] / np.linalg.norm(s30.velocities["juno"]) \
        + 0.15 * (s30.positions["sun"] - s30.positions["juno"]) / np.linalg.norm(s30.positions["sun"])
    jlat, jlon = _lat_wlon_deg(s30, "juno", back)
    return [
        Shot("i57_trail", "The I57 flyby from 40,000 km: Juno's path relative to Io, 30 minutes back "
             "(fading) and 10 ahead (dashed), 4 minutes after closest approach", "2023-12-30T08:40:00.836",
             "orbit:io:17.24:223.58:40000", 30.0, trails="juno:io", trail_span="30min:10min", labels=True),
        Shot("pj57_orbit", "Juno's whole PJ57 orbit relative to Jupiter, face-on: 39 days from before the "
             "apojove of 2023-12-11 (6.4 million km) through perijove 57 to Juno near the next apojove, "
             "with the orbits of Io, Europa, Ganymede and Callisto nearly edge-on",
             et_to_utc(end), f"orbit:jupiter:{lat:.3f}:{lon:.3f}:12500000", 50.0, exposure="1",
             trails="juno:jupiter,io,europa,ganymede,callisto", trail_span="39d:0s"),
        Shot("juno_trail_30m", "Juno from 30 m, two minutes after closest approach, its trail relative to "
             "Io running through it (the trail's head is exactly at Juno's centre)", et_to_utc(t30),
             f"orbit:juno:{jlat:.2f}:{jlon:.2f}:0.030", 60.0, trails="juno:io", trail_span="2min:0s"),
    ]


def apsides_list(world: World) -> list[tuple[str, float]]:
    """(kind, et) of Juno's perijoves and apojoves over the embedded coverage."""
    from viewer.sim.events import search

    out = []
    for a, b in [(w[-2], w[-1]) for w in world.juno.coverage()]:
        out += [("perijove", e.et) for e in search(world, a, b, kinds=("perijove",))]
    return out


def shots(world: World) -> list[Shot]:
    snap = world.at(utc_to_et(I57))
    # Jupiter from 1.5 million km, 20 degrees off the sub-solar meridian (a slight phase shows depth).
    jlat, jlon = _lat_wlon_deg(snap, "jupiter", snap.positions["sun"])
    # Io's day side from 5,000 km above a point 15 degrees from the sub-solar point.
    ilat, ilon = _lat_wlon_deg(snap, "io", snap.positions["sun"])
    # Juno from 40 m on its sunlit side, between the Sun's direction and the side away from Io (Io itself,
    # 63 degrees off the view axis and on its night side, is not in the picture).
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
        Shot("juno_io", "Juno from 40 m on its sunlit side, I57 closest approach", I57,
             f"orbit:juno:{jn_lat:.2f}:{jn_lon:.2f}:0.040", 50.0),
        Shot("ursa_major", "The sky toward Ursa Major from Jupiter (Hipparcos stars)", I57,
             "sky:165:55", 50.0, exposure="15.5"),
        Shot("i57", "The i57 preset: from Juno toward Io at closest approach, 1,500 km up", I57,
             "look:juno:io", 80.0),
        *light_shots(world),
        *motion_shots(world),
        *junocam_shots(),
        *detail_shots(world),
    ]


#: JunoCam's pixel (instrument kernel: 675.4 µrad) as a vertical field at the gallery's 540 rows, degrees:
#: the view through JunoCam's field at its own pixel scale (a 960x540 window of its 1648-pixel strips).
JUNOCAM_FOV_540 = float(np.degrees(540 * 675.4e-6))


def detail_shots(world: World) -> list[Shot]:
    """The detail below the maps' resolution (issue 16), each beside the same view without it: Io from
    1,500 km at I57's closest approach through JunoCam's field (~1 km a pixel, the night side in
    Jupitershine), Io's day side from 300 km (~0.5 km a pixel: the detail's character), Jupiter from
    10,000 km above its clouds near noon, and both whole (the gallery's jupiter and io_day: from afar no
    pixel is finer than a texel, so the two are the same)."""
    snap = world.at(utc_to_et(I57))
    jlat, jlon = _lat_wlon_deg(snap, "jupiter", snap.positions["sun"])
    ilat, ilon = _lat_wlon_deg(snap, "io", snap.positions["sun"])
    pairs = [
        Shot("detail_io_ca", "Io from 1,500 km at I57's closest approach through JunoCam's field, at its "
             "pixel scale (~1 km a pixel), with the detail", I57, "junocam:io", JUNOCAM_FOV_540),
        Shot("detail_io_300km", "Io's day side from 300 km (~0.5 km a pixel), with the detail", I57,
             f"above:io:{ilat + 20:.2f}:{(ilon + 30) % 360:.2f}:300", 45.0),
        Shot("detail_jupiter_10000km", "Jupiter's clouds from 10,000 km near noon (~11 km a pixel), with "
             "the detail", I57, f"above:jupiter:{jlat + 12:.2f}:{(jlon + 8) % 360:.2f}:10000", 60.0),
        Shot("detail_jupiter_whole", "Jupiter whole from 1.5 million km (as the gallery's jupiter)", I57,
             f"orbit:jupiter:{jlat:.2f}:{(jlon + 20) % 360:.2f}:1500000", 7.0, hide="stars"),
        Shot("detail_io_whole", "Io whole from 5,000 km (as the gallery's io_day)", I57,
             f"above:io:{ilat + 10:.2f}:{(ilon + 10) % 360:.2f}:5000", 45.0),
    ]
    off = [Shot(f"{s.name}_off", s.caption.replace(", with the detail", "") + ", without the detail",
                s.time, s.camera, s.fov, hide=s.hide, detail=False) for s in pairs]
    return [x for pair in zip(pairs, off, strict=True) for x in pair]


def junocam_shots() -> list[Shot]:
    """The i57-jupitershine still (issue 15), physical and junocam looks: Io's night side in Jupitershine
    from JunoCam's boresight 93 s after I57's closest approach; and the pj57-perijove still."""
    from viewer.config import load_preset

    spec = load_preset("i57-jupitershine")
    perijove = load_preset("pj57-perijove")
    return [*(Shot(f"i57_jupitershine_{look}", f"The i57-jupitershine still, --look {look}", spec.time,
                   str(spec.camera), spec.fov_deg, look=look) for look in ("physical", "junocam")),
            Shot("pj57_perijove", "The pj57-perijove still: Jupiter's north from Juno, 30 min before "
                 "perijove 57", perijove.time, str(perijove.camera), perijove.fov_deg)]


#: The simulated JunoCam image of the gallery: its START_TIME (Io enters the strips in frame 0, 93 s
#: after I57's closest approach), TDI (192 ms: Io's night side well exposed), the frames of the raw stack
#: shown, and the reprojection's side.
JUNOCAM_START = "2023-12-30T08:37:30.6"
JUNOCAM_TDI = 60
JUNOCAM_RAW_FRAMES = (5, 9)
JUNOCAM_REPROJECTED_PX = 960


def render_junocam(out: Path, world: World, only: set[str] | None) -> None:
    """A simulated JunoCam pushframe image (viewer.pushframe) at full resolution: ``junocam_raw.png``,
    frames 5-8 of the raw framelet stack (blue, green, red each; shown at half size), and
    ``junocam_reprojected.png``, all its framelets reprojected into one colour view."""
    from viewer.pushframe import label, plan, simulate
    from viewer.reproject import reproject
    from viewer.still import save_png

    names = {"junocam_raw", "junocam_reprojected"}
    if only is not None and not names & only:
        return
    t0 = time.perf_counter()
    p = plan(world, JUNOCAM_START, tdi=JUNOCAM_TDI)
    raw = simulate(world, p)
    per_frame = raw.stack.shape[0] // p.frames
    a, b = JUNOCAM_RAW_FRAMES
    part = raw.stack[a * per_frame:b * per_frame].astype(np.float64)
    half = part.reshape(part.shape[0] // 2, 2, part.shape[1] // 2, 2).mean(axis=(1, 3))
    save_png(out / "junocam_raw.png", np.rint(half).astype(np.uint8))
    save_png(out / "junocam_reprojected.png", reproject(raw.stack, label(raw), JUNOCAM_REPROJECTED_PX).image)
    print(f"junocam_raw.png, junocam_reprojected.png  {p.frames} frames from {JUNOCAM_START}  "
          f"{time.perf_counter() - t0:.1f} s", flush=True)


#: Frames of the shipped movies: (file name, scene, a UTC instant — the frame nearest it is drawn).
MOVIE_FRAMES = (("movie_i57_ca", "i57-flyby", I57),
                ("movie_io_eclipse", "io-eclipse", "2023-12-30T21:30:50"))


def render_movie_frames(out: Path, size: tuple[int, int], world: World, only: set[str] | None) -> None:
    """One frame of each shipped movie, through the export's own renderer (viewer.export)."""
    from viewer.export import ExportOptions, SceneRenderer
    from viewer.scene import load
    from viewer.still import save_png

    for name, preset, utc in MOVIE_FRAMES:
        if only is not None and name not in only:
            continue
        scene = load(preset, world=world)
        target = utc_to_et(utc)
        index = min(range(scene.frame_count), key=lambda i: abs(scene.frame(i).et - target))
        r = SceneRenderer(scene, ExportOptions(size=size), [index], world=world)
        try:
            frame = r.frame(index)
        finally:
            r.close()
        save_png(out / f"{name}.png", frame.image)
        print(f"{name}.png  {preset} frame {index}  EV {frame.ev:+.2f}", flush=True)


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
                               exposure=s.exposure, world=world, context=ctx, look=s.look, light=s.light,
                               trails=s.trails or "none", trail_span=s.trail_span, labels=s.labels,
                               detail=s.detail)
            save_png(out / f"{s.name}.png", still.image)
            print(f"[{i}/{len(todo)}] {s.name}.png  {s.camera}  EV {still.ev:+.2f}  "
                  f"{time.perf_counter() - t0:.1f} s", flush=True)
    except UserError as exc:
        print(f"gallery: error: {exc}", file=sys.stderr)
        return 2
    finally:
        ctx.close()
    from viewer.still import parse_size

    try:
        render_movie_frames(out, parse_size(args.size), world,
                            set(args.only.split(",")) if args.only else None)
        render_junocam(out, world, set(args.only.split(",")) if args.only else None)
    except UserError as exc:
        print(f"gallery: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
