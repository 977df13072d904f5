"""What an animation costs per frame (issue 12, "Performance"). Each line is a key of
bench/results/animation.json and can run alone (``--only``):

* ``light_setup`` — per-frame CPU time of the light setup at 1280×720: everything the bodies and
  spacecraft passes compute from ``et`` before drawing (``BodiesPass.prepare`` and
  ``SpacecraftPass.prepare``: the occulters of each body, the moons' Jupitershine lights and colour,
  Juno's Sun fractions and its Jupitershine and Ioshine irradiance maps with their upload). *Before*:
  the exact lights at every instant, what each new instant cost before issue 12 item 9 (a snapshot
  without its World, which the passes light exactly — the same computations as the code before, whose
  colour took a separate 64² sampling of the disc); *after*: the World's time grid
  (:mod:`viewer.sim.shine_table`). Each sequence starts from a fresh Renderer (programs compiled and maps
  uploaded beforehand, the grid empty), so node builds count where they fall. Camera: 2 km behind Juno,
  looking at Io (Juno ~6 px, Io, and the other moons when in view). Sequences around I57's closest
  approach: 60 frames at 60 fps of the clock at 1×, 10×, 100× and 1000×, and the 60-frame export
  sequence of ±10 min (20.3 s apart). Figures per frame: mean (the amortised cost), median (the
  steady cost), 95th percentile and max (frames that build nodes), and the nodes built. Target: ≤ 3 ms.
* ``trail_vertices`` — per-frame CPU time (the passes' prepare and draw calls, as Python issues them;
  also the trails pass alone) and wall time of a whole frame (render + readback) at 640×360 with one
  trail of 10³ and one of 10⁶ vertices (Juno's PJ57 orbit relative to Jupiter resampled uniformly),
  30 frames moving through it, and the bytes the trails pass uploads per frame.
  Target: the CPU times differ by < 20 % (nothing is re-uploaded per frame).
* ``sequence`` — frames per second of the I57 sequence (the ``i57-flyby`` preset's camera, look and
  trail, ±10 min around closest approach, every light path on) at 1280×720 and 1920×1080, render +
  readback through one :class:`viewer.frames.FrameMaker` (``frame(et, camera)`` per frame, after one
  untimed frame that loads the maps and compiles: its time is reported apart), against
  the same frames rendered one by one through :func:`viewer.still.render_still` in the same process
  (one GL context for all). Target: the sequence ≥ 1.5× faster per frame.
* ``versus_pyvista`` — the whole frame (render + readback, every light path and the trails on) on
  bench/render.py's 60-camera path around Io at 1920×1080, against PyVista's fastest setting (no
  MSAA, bench/baseline_pyvista.py in a subprocess). Target: ratio ≥ 1.0.

The machine is shared (2 cores): light_setup takes ~1 min, the others several (``--frames`` makes
them shorter; the JSON records the frame counts used).

Usage: .venv/bin/python bench/run.py animation   (or: .venv/bin/python bench/animation.py
[--only light_setup,trail_vertices,sequence,versus_pyvista] [--frames N] [--out F.json]; with ``--out``
an existing JSON file keeps its other keys)
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

I57_UTC = "2023-12-30T08:36:00.836"
LIGHT_SETUP_SIZE = (1280, 720)
FPS = 60.0
RATES = (1.0, 10.0, 100.0, 1000.0)
FRAMES = 60
#: The export sequence: FRAMES frames over ±EXPORT_HALF_S around closest approach.
EXPORT_HALF_S = 600.0
#: Target of the light setup, ms per frame (issue 12).
LIGHT_SETUP_TARGET_MS = 3.0
#: Chase camera: distance behind Juno, km.
CHASE_KM = 2.0
TRAIL_VERTICES = (1_000, 1_000_000)
TRAIL_SIZE = (640, 360)
TRAIL_FRAMES = 30
SEQUENCE_SIZES = ((1280, 720), (1920, 1080))
SEQUENCE_PRESET = "i57-flyby"
SEQUENCE_TARGET = 1.5
LINES = ("light_setup", "trail_vertices", "sequence", "versus_pyvista")


def _ca_et() -> float:
    from viewer.sim.timescales import utc_to_et

    return utc_to_et(I57_UTC)


def _loadavg() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def _ms_stats(ms: list[float]) -> dict[str, float]:
    a = np.asarray(ms)
    return {"mean_ms": round(float(a.mean()), 3), "median_ms": round(float(np.median(a)), 3),
            "p95_ms": round(float(np.percentile(a, 95)), 3), "max_ms": round(float(a.max()), 3)}


# -- light setup ---------------------------------------------------------------------------------------

def chase_camera(snap: Any) -> Any:
    """:data:`CHASE_KM` behind Juno on the line from Io, looking at Io, Io's north up."""
    from viewer.render.camera import Camera, look_rotation

    juno = np.asarray(snap.positions["juno"], dtype=np.float64)
    to_io = np.asarray(snap.positions["io"], dtype=np.float64) - juno
    to_io /= np.linalg.norm(to_io)
    return Camera(juno - CHASE_KM * to_io, look_rotation(to_io, snap.rotations["io"][:, 2]), 60.0)


def light_sequences(ca: float, frames: int = FRAMES) -> dict[str, list[float]]:
    """The instants of each sequence (module docstring)."""
    out = {}
    for rate in RATES:
        step = rate / FPS
        out[f"playback_{rate:g}x"] = [ca + (i - frames // 2) * step for i in range(frames)]
    out["export_pm10min"] = list(np.linspace(ca - EXPORT_HALF_S, ca + EXPORT_HALF_S, frames))
    return out


def light_setup_times(ctx: Any, world: Any, times: list[float], exact: bool) -> tuple[list[float], int]:
    """ms of ``BodiesPass.prepare`` + ``SpacecraftPass.prepare`` per frame, and the grid nodes built."""
    from viewer.render.renderer import Renderer, RenderSettings

    r = Renderer(ctx, RenderSettings(size=LIGHT_SETUP_SIZE), trails=())
    assert r.spacecraft is not None
    first = world.at(times[0])
    warm = r.view(dataclasses.replace(first), chase_camera(first))
    r.bodies.prepare(warm)  # programs, maps and the first exact light, outside the timing
    r.spacecraft.prepare(warm)
    ctx.finish()
    ms = []
    for et in times:
        snap = world.at(et)
        if exact:
            snap = dataclasses.replace(snap)  # no World: lit exactly
        view = r.view(snap, chase_camera(snap))
        t0 = time.perf_counter()
        r.bodies.prepare(view)
        r.spacecraft.prepare(view)
        ms.append(1000.0 * (time.perf_counter() - t0))
    nodes = sum(t.computed for t in r.bodies._shine._tables.values()) \
        + sum(t.computed for t in r.spacecraft._tables.values())
    return ms, nodes


def run_light_setup(frames: int = FRAMES) -> dict[str, Any]:
    from viewer.render.context import headless_context
    from viewer.sim.world import World

    world = World()
    ca = _ca_et()
    out: dict[str, Any] = {
        "size": f"{LIGHT_SETUP_SIZE[0]}x{LIGHT_SETUP_SIZE[1]}", "frames": frames, "fps": FPS,
        "camera": f"{CHASE_KM:g} km behind Juno looking at Io", "target_ms": LIGHT_SETUP_TARGET_MS,
        "method": "ms of BodiesPass.prepare + SpacecraftPass.prepare per frame; before = exact lights at "
                  "every instant (snapshot without its World), after = the World's time grid, from a "
                  "fresh Renderer per sequence (node builds included)",
        "loadavg_before": _loadavg()}
    with headless_context() as ctx:
        for name, times in light_sequences(ca, frames).items():
            print(f"  light setup: {name} …", file=sys.stderr, flush=True)
            before, _ = light_setup_times(ctx, world, times, exact=True)
            after, nodes = light_setup_times(ctx, world, times, exact=False)
            out[name] = {"frame_step_s": round(times[1] - times[0], 4),
                         "before": _ms_stats(before), "after": {**_ms_stats(after), "nodes_built": nodes},
                         "speedup_mean": round(statistics.fmean(before) / statistics.fmean(after), 2)}
    playback = [k for k in out if k.startswith("playback_")]
    out["target"] = {f"{k}_median_ms": out[k]["after"]["median_ms"] for k in playback}
    out["target"]["met_by_median_at"] = [k for k in playback if out[k]["after"]["median_ms"]
                                         <= LIGHT_SETUP_TARGET_MS]
    out["target"]["met_by_mean_at"] = [k for k in (*playback, "export_pm10min")
                                       if out[k]["after"]["mean_ms"] <= LIGHT_SETUP_TARGET_MS]
    out["loadavg_after"] = _loadavg()
    return out


# -- trail vertices ------------------------------------------------------------------------------------

def uniform_trail(world: Any, vertices: int, start: float, end: float) -> Any:
    """Juno relative to Jupiter sampled at ``vertices`` equally spaced instants over [start, end]."""
    from viewer.sim.trails import Trail

    t = np.linspace(start, end, vertices)
    juno, _ = world.state("juno", t)
    jupiter, _ = world.state("jupiter", t)
    rel = np.asarray(juno, dtype=np.float64) - np.asarray(jupiter, dtype=np.float64)
    return Trail("juno", "jupiter", t, rel, past_s=end - start)


def run_trail_vertices(frames: int = TRAIL_FRAMES) -> dict[str, Any]:
    from viewer.render.camera import Camera, look_rotation
    from viewer.render.context import headless_context
    from viewer.render.renderer import Renderer, RenderSettings
    from viewer.sim.juno import FLYBYS, span_et
    from viewer.sim.world import World

    world = World()
    start, end = span_et(FLYBYS["i57"])  # the whole PJ57 orbit
    times = np.linspace(start + 0.6 * (end - start), start + 0.65 * (end - start), frames)
    out: dict[str, Any] = {"size": f"{TRAIL_SIZE[0]}x{TRAIL_SIZE[1]}", "frames": frames,
                           "trail": "juno:jupiter over the PJ57 orbit, uniform samples",
                           "loadavg_before": _loadavg()}
    with headless_context() as ctx:
        for n in TRAIL_VERTICES:
            trail = uniform_trail(world, n, start, end)
            r = Renderer(ctx, RenderSettings(size=TRAIL_SIZE, hide=frozenset({"stars"})), trails=[trail])
            cpu, trails_cpu, wall, sent = [], [], [], []
            for i, et in enumerate(times):
                snap = world.at(float(et))
                up = snap.rotations["jupiter"][:, 2]
                eye = np.asarray(snap.positions["jupiter"]) + 3.0e6 * up + 1.0e5 * np.array([1.0, 0.0, 0.0])
                cam = Camera(eye, look_rotation(np.asarray(snap.positions["jupiter"]) - eye,
                                                np.array([1.0, 0.0, 0.0])), 40.0)
                t0 = time.perf_counter()
                c0, c1, uploaded = _cpu_of_passes(r, snap, cam)
                ctx.finish()
                r.tonemap.draw(r.hdr, r.ldr, r.settings.tone)
                r.ldr.read()
                if i:  # the first frame compiles
                    wall.append(1000.0 * (time.perf_counter() - t0))
                    cpu.append(c0)
                    trails_cpu.append(c1)
                    sent.append(uploaded)
            out[f"{n}_vertices"] = {"vertex_count": r.trails.vertex_count if r.trails else 0,
                                    "cpu_ms": _ms_stats(cpu), "trails_pass_cpu_ms": _ms_stats(trails_cpu),
                                    "trails_pass_bytes_uploaded_per_frame_max": max(sent),
                                    "frame_wall_ms": _ms_stats(wall)}
    a, b = (out[f"{n}_vertices"]["cpu_ms"]["median_ms"] for n in TRAIL_VERTICES)
    out["cpu_ratio_1e6_over_1e3"] = round(b / a, 3)
    out["note"] = ("cpu_ms includes llvmpipe's vertex processing, which runs on the calling thread when "
                   "vispy flushes its queue; the finer level of detail the 10^6-vertex trail draws costs "
                   "there, not uploads (trails_pass_bytes_uploaded_per_frame_max)")
    sent = {out[f"{n}_vertices"]["trails_pass_bytes_uploaded_per_frame_max"] for n in TRAIL_VERTICES}
    out["target"] = {"maximum_difference": 0.2, "met": abs(b / a - 1.0) < 0.2,
                     "uploads_per_frame_independent_of_vertex_count": len(sent) == 1}
    out["loadavg_after"] = _loadavg()
    return out


def _cpu_of_passes(r: Any, snap: Any, cam: Any) -> tuple[float, float, int]:
    """Renderer.draw's passes, their prepare and draw calls timed without waiting for the GPU: all of
    them and the trails pass alone (ms), and the bytes the trails pass sends to the GPU (DATA commands
    of vispy's GLIR queue: buffer and texture uploads)."""
    from vispy.gloo import glir

    sent = [0]
    original = glir._GlirQueueShare.command

    def counting(queue: Any, *args: Any) -> Any:
        if args and args[0] == "DATA":
            sent[0] += int(getattr(args[-1], "nbytes", 0))
        return original(queue, *args)

    view = r.view(snap, cam)
    t0 = time.perf_counter()
    for p in r.passes:
        if hasattr(p, "prepare"):
            p.prepare(view)
    t1 = time.perf_counter()
    glir._GlirQueueShare.command = counting
    try:
        r.trails.prepare(view)
        t2 = time.perf_counter()
        r.hdr.clear()
        with r.hdr:
            t3 = time.perf_counter()
            for p in r.passes:
                p.draw(view)
            t4 = time.perf_counter()
            r.trails.draw(view)
            t5 = time.perf_counter()
    finally:
        glir._GlirQueueShare.command = original
    return 1000.0 * (t2 - t0 + t5 - t3), 1000.0 * (t2 - t1 + t5 - t4), sent[0]


# -- the I57 sequence vs render_still ------------------------------------------------------------------

def _sequence_times(frames: int) -> list[float]:
    ca = _ca_et()
    return list(np.linspace(ca - EXPORT_HALF_S, ca + EXPORT_HALF_S, frames))


def run_sequence(frames: int = FRAMES) -> dict[str, Any]:
    from viewer.config import load_preset
    from viewer.frames import FrameMaker
    from viewer.render.camera import camera_from_spec
    from viewer.render.context import headless_context
    from viewer.render.exposure import ToneSettings, parse_exposure
    from viewer.render.renderer import RenderSettings
    from viewer.sim.timescales import et_to_utc
    from viewer.sim.trails import make_trails
    from viewer.sim.world import World
    from viewer.still import render_still

    spec = load_preset(SEQUENCE_PRESET)
    world = World()
    times = _sequence_times(frames)
    mid = 0.5 * (times[0] + times[-1])
    half = 0.5 * (times[-1] - times[0])
    trails = make_trails(world, [(t.body, t.frame) for t in spec.trails], mid,
                         spec.trail_span.past_s + half, spec.trail_span.future_s + half)
    trails = [dataclasses.replace(t, past_s=spec.trail_span.past_s, future_s=spec.trail_span.future_s)
              for t in trails]
    out: dict[str, Any] = {"preset": SEQUENCE_PRESET, "frames": frames,
                           "span": f"±{EXPORT_HALF_S:g} s around I57 closest approach",
                           "light": sorted(spec.light), "loadavg_before": _loadavg()}
    tone = ToneSettings(exposure=parse_exposure(str(spec.exposure)), curve=spec.tonemap)  # type: ignore[arg-type]
    with headless_context() as ctx:
        for size in SEQUENCE_SIZES:
            key = f"{size[0]}x{size[1]}"
            print(f"  sequence {key}: FrameMaker …", file=sys.stderr, flush=True)
            settings = RenderSettings(size=size, tone=tone, light=frozenset(spec.light))
            t0 = time.perf_counter()
            maker = FrameMaker(world, settings, trails=trails, context=ctx)
            maker.frame(times[0], camera_from_spec(spec.camera, world.at(times[0]), spec.fov_deg))
            setup_ms = 1000.0 * (time.perf_counter() - t0)  # maps, model, programs: once per sequence
            seq = _timed_frames(times, lambda et, maker=maker: maker.frame(
                et, camera_from_spec(spec.camera, world.at(et), spec.fov_deg)))
            print(f"  sequence {key}: render_still …", file=sys.stderr, flush=True)
            still = _timed_frames(times, lambda et, size=size: render_still(
                SEQUENCE_PRESET, time=et_to_utc(et), size=size, context=ctx))
            out[key] = {"frame_maker": {**_fps(seq), "setup_and_first_frame_ms": round(setup_ms, 1)},
                        "render_still": _fps(still),
                        "speedup": round(statistics.fmean(still) / statistics.fmean(seq), 2)}
    out["target"] = {"minimum_speedup": SEQUENCE_TARGET,
                     "met": all(out[f"{w}x{h}"]["speedup"] >= SEQUENCE_TARGET for w, h in SEQUENCE_SIZES)}
    out["loadavg_after"] = _loadavg()
    return out


def _timed_frames(times: list[float], render: Callable[[float], Any]) -> list[float]:
    ms = []
    for et in times:
        t0 = time.perf_counter()
        render(et)
        ms.append(1000.0 * (time.perf_counter() - t0))
    return ms


def _fps(ms: list[float]) -> dict[str, float]:
    mean = statistics.fmean(ms)
    return {**_ms_stats(ms), "fps_mean": round(1000.0 / mean, 2)}


# -- the whole frame vs PyVista ------------------------------------------------------------------------

def run_versus_pyvista(frames: int = FRAMES) -> dict[str, Any]:
    from render import camera_path, pyvista_baseline

    from viewer.frames import FrameMaker
    from viewer.render.context import headless_context
    from viewer.render.renderer import RenderSettings
    from viewer.sim.trails import make_trails
    from viewer.sim.world import World

    world = World()
    ca = _ca_et()
    snap = world.at(ca)
    cams = camera_path(snap, frames)
    size = SEQUENCE_SIZES[-1]
    trails = make_trails(world, [("juno", "io"), ("io", "jupiter")], ca, 1800.0, 600.0)
    with headless_context() as ctx:
        maker = FrameMaker(world, RenderSettings(size=size), trails=trails, context=ctx)
        for cam in cams[:3]:
            maker.frame(ca, cam, snapshot=snap)
        ours = _timed_frames([float(i) for i in range(len(cams))],
                             lambda i: maker.frame(ca, cams[int(i)], snapshot=snap))
    print("  versus PyVista: baseline (no MSAA) …", file=sys.stderr, flush=True)
    pv = pyvista_baseline(size, frames, 0)
    out: dict[str, Any] = {"size": f"{size[0]}x{size[1]}", "frames": frames,
                           "path": "bench/render.py's cameras around Io at I57",
                           "ours_render_readback": _fps(ours), "pyvista_no_msaa": pv}
    if "skipped" not in pv:
        ratio = round(out["ours_render_readback"]["fps_mean"] / float(pv["fps_mean"]), 3)
        out["ratio_fps_mean"] = ratio
        out["target"] = {"minimum_ratio": 1.0, "met": ratio >= 1.0}
    return out


RUNNERS: dict[str, Callable[[int], dict[str, Any]]] = {
    "light_setup": run_light_setup, "trail_vertices": run_trail_vertices, "sequence": run_sequence,
    "versus_pyvista": run_versus_pyvista}


def run(only: tuple[str, ...] = LINES, frames: int | None = None) -> dict[str, Any]:
    """Every line named in ``only`` (module docstring); ``frames`` overrides each line's frame count."""
    out: dict[str, Any] = {}
    for name in only:
        print(f"bench animation: {name} …", file=sys.stderr, flush=True)
        out[name] = RUNNERS[name](frames) if frames is not None else RUNNERS[name]()  # type: ignore[call-arg]
    return out


if __name__ == "__main__":
    import argparse

    from render import write_json

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default=",".join(LINES), help="comma-separated lines (default: all)")
    ap.add_argument("--frames", type=int, default=None, help="frames per sequence (default: each line's)")
    ap.add_argument("--out", type=Path, default=None, help="write (merge) the JSON here")
    args = ap.parse_args()
    names = tuple(n.strip() for n in args.only.split(",") if n.strip())
    unknown = [n for n in names if n not in RUNNERS]
    if unknown:
        print(f"bench/animation.py: unknown line {unknown[0]!r}; choose from {', '.join(LINES)}",
              file=sys.stderr)
        raise SystemExit(2)
    result = run(names, args.frames)
    if args.out is not None:
        write_json(args.out, {**result, "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                   merge=True)
    import json

    print(json.dumps(result, indent=2))
