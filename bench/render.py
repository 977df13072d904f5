"""Renderer frame rate on a fixed 60-frame camera path around Io at I57 (issue 5, "Performance").

The path: 60 cameras 10,000 km from Io's centre, on the far side of Io from Jupiter, in the plane that
holds the Io→Jupiter direction and is normal to Jupiter's north pole (≈ Io's orbital plane). The
cameras sweep from −30° to +30° about the anti-Jupiter direction, each looking at Io's centre with
Jupiter's north up, so Jupiter stands beside Io — wholly in the frame at 16:9 and the default 60°
vertical field — in every frame (``jupiter_in_view`` in the results checks it). Io fills ~21° of the
field, Jupiter ~19°.

At 1280×720 and 1920×1080, with the default RenderSettings (every pass the Renderer has — ``passes`` in
the results names them; 2×2 supersampling where the spacecraft needs it; auto exposure; filmic) and the
trails on (:data:`TRAILS`: Juno relative to Io and Io relative to Jupiter, 30 min back and 10 min ahead,
as bench/animation.py's ``versus_pyvista``), ms/frame and frames/s for

* ``draw``: ``Renderer.draw`` + ``GLContext.finish()`` — the scene into the HDR target;
* ``render``: ``Renderer.render`` — draw + auto exposure + tone map + 8-bit readback (what a still or a
  video frame costs);
* ``breakdown_median_ms``: every 4th frame once more, each step of ``render`` timed on its own and
  followed by ``finish()``: the passes' ``prepare``, the HDR clear, each pass's draw (the stars only
  those that can count as lit pixels), the auto-exposure sample (``exposure``), the stars the metered EV
  shows, added under the frame (``stars_under``), the trails, the passes' footprints (where the tone
  map and the next clear look), the tone map, the readback (the sum
  exceeds ``render`` by the extra synchronisations); ``breakdown_cpu_median_ms`` the same steps in CPU
  time of the whole process (llvmpipe's threads included: less disturbed by other load than wall
  time, but not what a frame waits for).

Machines shared with other work make single runs noisy (±50 % seen on 2 cores), so each size runs
``ROUNDS`` rounds, and in each round ours and then the PyVista baseline (bench/baseline_pyvista.py: the
same path and size, in a subprocess so that a VTK failure cannot take our figures down; with PyVista's
default 4× MSAA and with MSAA off) — both meet the same load. Figures: the median and mean over every
frame, and the best round's median (``fps_best_round``, the headline: the least disturbed estimate for
both). ``ratio_vs_pyvista_*`` is our render + readback fps over PyVista's screenshot fps.
``ours_variants`` (1920×1080) repeats ``render`` with an rgba16f HDR target and with supersampling off,
to show where the time goes. ``loadavg_*`` records the machine's load. The default settings have every
light path on (``settings.light``); ``target`` checks issue 5's ratio (≥ 1.0 against PyVista with its
default MSAA at 1920×1080, best round) on them, ``target_no_msaa`` issue 12's (≥ 1.0 against PyVista's
fastest setting, MSAA off, with the trails on).

``light_paths`` — the cost of each light path (``viewer.config.LIGHT_PATHS``: sun, jupitershine,
ioshine, hotspots, eclipses), at 1920×1080 on the same path: ``render`` ms/frame with every path on
(``all``), with each path switched off in turn (``without_<path>``) and with only ``sun``, each a
Renderer with ``RenderSettings(light=...)``, in ``ROUNDS`` interleaved rounds (each round every
configuration once over the whole path, the order rotated by one each round so that none always runs
after the same one). Figures are the best round's median; a path's ``cost_ms`` = ms(all) − ms(all
without it), and ``bodies_pass_cost_ms`` the same difference of the bodies pass alone (the breakdown's
``pass_BodiesPass``, less noisy: the light paths are computed there). Paths interact (eclipses dim the
Sun's light, Io's hot spots show on the night side), so the costs need not add up to ms(all) −
ms(sun only).

Writes bench/results/render.json via bench/run.py.
Usage: .venv/bin/python bench/run.py render   (or: .venv/bin/python bench/render.py [--frames N]
[--rounds N] [--size WxH] [--light-paths | --no-light-paths] [--out F.json [--merge]];
``--light-paths`` measures only the light paths, and with ``--out`` an existing JSON file keeps its
other keys, as it does with ``--merge`` — so the sizes can be measured one at a time)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from viewer.config import LIGHT_PATHS

HERE = Path(__file__).resolve().parent
I57_UTC = "2023-12-30T08:36:00.836"
RANGE_KM = 10_000.0
FRAMES = 60
SWEEP_DEG = 30.0
SIZES = ((1280, 720), (1920, 1080))
#: Sizes of the light-path costs (the issue's target size).
LIGHT_PATH_SIZES = ((1920, 1080),)
#: The issue's target: ours / PyVista (default MSAA) frames per second at this size, best round.
TARGET_SIZE, TARGET_RATIO = "1920x1080", 1.0
WARMUP = 3
BREAKDOWN_EVERY = 4
ROUNDS = 3
#: The trails drawn in every configuration: (body, frame) and the span (past, future), s.
TRAILS = (("juno", "io"), ("io", "jupiter"))
TRAIL_SPAN_S = (1800.0, 600.0)


def trails(snap: Any) -> list[Any]:
    """:data:`TRAILS` sampled around the snapshot's instant."""
    from viewer.sim.trails import make_trails

    return make_trails(snap.world, list(TRAILS), float(snap.et), *TRAIL_SPAN_S)


def snapshot() -> Any:
    """The world at I57 (the embedded ephemeris)."""
    from viewer.sim.timescales import utc_to_et
    from viewer.sim.world import World

    return World().at(utc_to_et(I57_UTC))


def camera_path(snap: Any, frames: int = FRAMES) -> list[Any]:
    """The benchmark's cameras (module docstring): Cameras in jovicentric J2000, km."""
    from viewer.render.camera import Camera, look_rotation

    io = np.asarray(snap.positions["io"], dtype=np.float64)
    to_jupiter = np.asarray(snap.positions["jupiter"], dtype=np.float64) - io
    j = to_jupiter / np.linalg.norm(to_jupiter)
    north = np.asarray(snap.rotations["jupiter"][:, 2], dtype=np.float64)
    n = north - (north @ j) * j
    n /= np.linalg.norm(n)
    e = np.cross(n, j)
    cams = []
    for theta in np.radians(np.linspace(-SWEEP_DEG, SWEEP_DEG, frames)):
        pos = io + RANGE_KM * (-np.cos(theta) * j + np.sin(theta) * e)
        cams.append(Camera(pos, look_rotation(io - pos, n)))
    return cams


def jupiter_in_view(snap: Any, cams: list[Any], size: tuple[int, int]) -> int:
    """How many cameras see Jupiter's whole disc (its bounding circle inside the image)."""
    from viewer.sim.constants import BODIES

    w, h = size
    centre = np.asarray(snap.positions["jupiter"], dtype=np.float64)
    count = 0
    for cam in cams:
        (x, y), d = cam.project(centre, w, h)
        r = cam.focal_px(w, h) * np.tan(np.arcsin(BODIES["jupiter"].radii_km[0] / d))
        count += bool(d > 0 and r <= x <= w - r and r <= y <= h - r)
    return count


def _stats(rounds: list[list[float]]) -> dict[str, Any]:
    """ms/frame over every frame of every round, and the best round's median (the least disturbed by
    other load on the machine: the headline figure)."""
    ms = [v for r in rounds for v in r]
    med, mean = statistics.median(ms), statistics.fmean(ms)
    round_medians = [statistics.median(r) for r in rounds]
    best = min(round_medians)
    return {"median_ms": round(med, 2), "mean_ms": round(mean, 2), "min_ms": round(min(ms), 2),
            "max_ms": round(max(ms), 2), "round_medians_ms": [round(v, 2) for v in round_medians],
            "best_round_median_ms": round(best, 2), "fps_best_round": round(1000.0 / best, 2),
            "fps_median": round(1000.0 / med, 2), "fps_mean": round(1000.0 / mean, 2)}


class _Ours:
    """One Renderer configuration, measured over rounds (bench/render.py docstring)."""

    def __init__(self, ctx: Any, settings: Any, snap: Any, cams: list[Any]) -> None:
        from viewer.render.renderer import Renderer

        self.ctx, self.snap, self.cams = ctx, snap, cams
        t0 = time.perf_counter()
        self.renderer = Renderer(ctx, settings, trails=trails(snap))
        self.setup_s = time.perf_counter() - t0
        for cam in cams[:WARMUP]:
            self.renderer.render(snap, cam)
        ctx.finish()
        self.draw_ms: list[list[float]] = []
        self.render_ms: list[list[float]] = []
        self.steps: dict[str, list[float]] = {}
        self.steps_cpu: dict[str, list[float]] = {}
        self.evs: list[float] = []
        self.mean_u8 = 0.0

    def round(self, draw: bool = True) -> None:
        r, ctx, snap = self.renderer, self.ctx, self.snap
        if draw:
            ms = []
            for cam in self.cams:
                t0 = time.perf_counter()
                r.draw(snap, cam)
                ctx.finish()
                ms.append(1000.0 * (time.perf_counter() - t0))
            self.draw_ms.append(ms)
        ms = []
        for cam in self.cams:
            t0 = time.perf_counter()
            frame = r.render(snap, cam)
            ms.append(1000.0 * (time.perf_counter() - t0))
            self.evs.append(frame.ev)
        self.render_ms.append(ms)
        self.mean_u8 = float(frame.image.mean())
        self._breakdown(self.cams[::BREAKDOWN_EVERY])

    def _breakdown(self, cams: list[Any]) -> None:
        """Each step of Renderer.render timed on its own, followed by finish() (mirrors Renderer.draw
        and Renderer.render for an auto exposure)."""
        for cam in cams:
            self._breakdown_frame(cam)

    def _timed(self, name: str, fn: Any) -> Any:
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        self.ctx.finish()
        self.steps.setdefault(name, []).append(1000.0 * (time.perf_counter() - t0))
        self.steps_cpu.setdefault(name, []).append(1000.0 * (time.process_time() - c0))
        return out

    def _breakdown_frame(self, cam: Any) -> None:
        from viewer.render.exposure import invisible_radiance
        from viewer.render.renderer import STAR_METERING_FLOOR

        r, timed = self.renderer, self._timed
        tm, ldr, tone = r.tonemap, r.ldr, r.settings.tone
        r.hdr = hdr = r._target(r.supersample_for(self.snap, cam))
        view = r._view = r.view(self.snap, cam)
        timed("prepare", lambda: [p.prepare(view) for p in (*r.passes, r.trails) if hasattr(p, "prepare")])
        timed("clear", hdr.clear)
        if r.stars is not None:
            r.stars.floor = STAR_METERING_FLOOR
        for p in r.passes:
            def draw(p: Any = p) -> None:
                with hdr:
                    p.draw(view)
            timed(f"pass_{type(p).__name__}", draw)
        metering = timed("exposure", lambda: tm.meter_lit(hdr, tone))
        if metering is None:
            timed("stars_under", r.add_stars)
            metering = timed("exposure_whole_frame", lambda: tm.meter(hdr, tone))
        else:
            ev = metering.ev
            timed("stars_under", lambda: r.add_stars(invisible_radiance(tone, ev)))
        timed("trails", r.draw_trails)
        timed("footprint", lambda: setattr(hdr, "dirty", r.footprint(view)))
        timed("tonemap", lambda: tm.draw(hdr, ldr, tone, ev=metering.ev))
        timed("readback_u8", ldr.read)

    def result(self) -> dict[str, Any]:
        s = self.renderer.settings
        steps = {k: round(statistics.median(v), 2) for k, v in self.steps.items()}
        steps["sum"] = round(sum(steps.values()), 2)
        steps_cpu = {k: round(statistics.median(v), 2) for k, v in self.steps_cpu.items()}
        steps_cpu["sum"] = round(sum(steps_cpu.values()), 2)
        out = {"settings": {"supersample": s.supersample, "exposure": s.tone.exposure,
                            "tonemap": s.tone.curve, "hdr_format": s.hdr_format, "hide": sorted(s.hide),
                            "light": [p for p in LIGHT_PATHS if p in s.light],
                            "trails": [f"{b}:{f}" for b, f in TRAILS],
                            "trail_span_s": list(TRAIL_SPAN_S)},
               "passes": [type(p).__name__ for p in self.renderer.passes], "setup_s": round(self.setup_s, 3)}
        if self.draw_ms:
            out["draw"] = _stats(self.draw_ms)
        out.update({"render": _stats(self.render_ms), "breakdown_median_ms": steps,
                    "breakdown_cpu_median_ms": steps_cpu,
                    "ev_range": [round(min(self.evs), 2), round(max(self.evs), 2)],
                    "last_frame_mean_u8": round(self.mean_u8, 1)})
        return out


def pyvista_baseline(size: tuple[int, int], frames: int, multi_samples: int | None = None) -> dict[str, Any]:
    """bench/baseline_pyvista.py at one size, in a subprocess (its JSON, or ``skipped``)."""
    cmd = [sys.executable, str(HERE / "baseline_pyvista.py"), "--json", "--frames", str(frames),
           "--size", f"{size[0]}x{size[1]}"]
    if multi_samples is not None:
        cmd += ["--multi-samples", str(multi_samples)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
    except subprocess.TimeoutExpired:
        return {"skipped": "PyVista baseline timed out after 30 min"}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"skipped": f"PyVista baseline failed (exit {proc.returncode}): {tail}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _pyvista_rounds(results: list[dict[str, Any]]) -> dict[str, Any]:
    skipped = [r["skipped"] for r in results if "skipped" in r]
    if skipped:
        return {"skipped": skipped[0]}
    meta = {k: v for k, v in results[0].items() if k not in ("frames_ms", "median_ms", "mean_ms",
                                                             "fps_median", "fps_mean")}
    return {**meta, **_stats([r["frames_ms"] for r in results])}


def _ratio(ours: dict[str, Any], pv: dict[str, Any]) -> dict[str, float]:
    return {"best_round": round(ours["fps_best_round"] / pv["fps_best_round"], 3),
            "median": round(ours["fps_median"] / pv["fps_median"], 3),
            "mean": round(ours["fps_mean"] / pv["fps_mean"], 3)}


def light_path_costs(ctx: Any, snap: Any, cams: list[Any], size: tuple[int, int],
                     rounds: int = ROUNDS) -> dict[str, Any]:
    """Each light path's cost at one size (module docstring, ``light_paths``)."""
    from viewer.render.renderer import RenderSettings

    every = frozenset(LIGHT_PATHS)
    lights = {"all": every, **{f"without_{p}": every - {p} for p in LIGHT_PATHS},
              "sun_only": frozenset({"sun"})}
    ours = {name: _Ours(ctx, RenderSettings(size=size, light=light), snap, cams)
            for name, light in lights.items()}
    names = list(ours)
    for i in range(rounds):
        k = i % len(names)
        for name in names[k:] + names[:k]:
            print(f"  light paths {size[0]}x{size[1]} round {i + 1}/{rounds}: {name} …", file=sys.stderr,
                  flush=True)
            ours[name].round(draw=False)
    configs = {name: o.result() for name, o in ours.items()}

    def ms(name: str) -> float:
        return float(configs[name]["render"]["best_round_median_ms"])

    def bodies(name: str) -> float:
        return float(configs[name]["breakdown_median_ms"]["pass_BodiesPass"])

    paths = {p: {"ms_all": ms("all"), "ms_without": ms(f"without_{p}"),
                 "cost_ms": round(ms("all") - ms(f"without_{p}"), 2),
                 "bodies_pass_cost_ms": round(bodies("all") - bodies(f"without_{p}"), 2)}
             for p in LIGHT_PATHS}
    return {"ms_all": ms("all"), "fps_all": configs["all"]["render"]["fps_best_round"],
            "ms_sun_only": ms("sun_only"), "fps_sun_only": configs["sun_only"]["render"]["fps_best_round"],
            "cost_of_all_but_sun_ms": round(ms("all") - ms("sun_only"), 2), "paths": paths,
            "configs": {name: {"light": r["settings"]["light"], "render": r["render"],
                               "breakdown_median_ms": r["breakdown_median_ms"]}
                        for name, r in configs.items()}}


#: Views with detail below the maps' resolution (issue 16), each drawn DETAIL_FRAMES times a round: JunoCam's
#: field from Juno at I57's closest approach (1,500 km above Io, ~1 km per pixel at this size) and Jupiter
#: from 10,000 km above its clouds near noon. (camera spec, vertical field of view in degrees)
DETAIL_VIEWS = {"io_junocam_ca": ("junocam:io", 58.0),
                "jupiter_10000km": ("above:jupiter:15:200:10000", 60.0)}
DETAIL_FRAMES = 8


def detail_costs(ctx: Any, snap: Any, cams: list[Any], size: tuple[int, int],
                 rounds: int = ROUNDS) -> dict[str, Any]:
    """The cost of the detail (``RenderSettings.detail``) at one size: ``render`` ms/frame with it on
    and off on the benchmark's path (where no body is close enough for any: the frames are the same) and
    on :data:`DETAIL_VIEWS`, in interleaved rounds with PyVista's baseline (default MSAA and none), and
    each configuration's frames per second over PyVista's."""
    from viewer.config import CameraSpec
    from viewer.render.camera import camera_from_spec
    from viewer.render.renderer import RenderSettings

    views = {"bench_path": cams}
    for name, (spec, fov) in DETAIL_VIEWS.items():
        views[name] = [camera_from_spec(CameraSpec.parse(spec), snap, fov)] * DETAIL_FRAMES
    ours = {(view, on): _Ours(ctx, RenderSettings(size=size, detail=on), snap, view_cams)
            for view, view_cams in views.items() for on in (True, False)}
    pv_kinds = (("default_msaa", None), ("no_msaa", 0))
    pv_runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in pv_kinds}
    keys = list(ours)
    for i in range(rounds):
        k = i % len(keys)
        for key in keys[k:] + keys[:k]:
            print(f"  detail {size[0]}x{size[1]} round {i + 1}/{rounds}: {key[0]} detail "
                  f"{'on' if key[1] else 'off'} …", file=sys.stderr, flush=True)
            ours[key].round(draw=False)
        for name, samples in pv_kinds:
            print(f"  detail {size[0]}x{size[1]} round {i + 1}/{rounds}: pyvista {name} …", file=sys.stderr,
                  flush=True)
            pv_runs[name].append(pyvista_baseline(size, len(cams), samples))
    pv = {name: _pyvista_rounds(pv_runs[name]) for name, _ in pv_kinds}
    out: dict[str, Any] = {"pyvista": {name: {k: v for k, v in r.items() if k != "round_medians_ms"}
                                       for name, r in pv.items()}}
    for view in views:
        on, off = ours[(view, True)].result()["render"], ours[(view, False)].result()["render"]
        entry: dict[str, Any] = {
            "ms_on": on["best_round_median_ms"], "ms_off": off["best_round_median_ms"],
            "cost_ms": round(on["best_round_median_ms"] - off["best_round_median_ms"], 2),
            "fps_on": on["fps_best_round"], "fps_off": off["fps_best_round"],
            "render_on": on, "render_off": off}
        if view != "bench_path":
            entry["camera"], entry["fov_deg"] = DETAIL_VIEWS[view]
        for name, r in pv.items():
            if "skipped" not in r:
                entry[f"ratio_on_vs_pyvista_{name}"] = _ratio(on, r)
                entry[f"ratio_off_vs_pyvista_{name}"] = _ratio(off, r)
        out[view] = entry
    return out


def run_detail(frames: int = FRAMES, rounds: int = ROUNDS,
               sizes: tuple[tuple[int, int], ...] = LIGHT_PATH_SIZES) -> dict[str, Any]:
    """Only the detail's cost: ``{"detail": {...}}`` (:func:`detail_costs` at each size)."""
    from viewer.render.context import headless_context

    snap = snapshot()
    cams = camera_path(snap, frames)
    entry: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "frames_path": frames,
        "frames_view": DETAIL_FRAMES, "rounds": rounds,
        "method": "render ms/frame (best round's median) with RenderSettings.detail on and off, in rotated "
                  "interleaved rounds with PyVista's baseline; ratio = our fps / PyVista's (its two-sphere "
                  "path at the same size)",
        "loadavg_before": [round(v, 2) for v in os.getloadavg()]}
    with headless_context() as ctx:
        for size in sizes:
            entry[f"{size[0]}x{size[1]}"] = detail_costs(ctx, snap, cams, size, rounds)
    entry["loadavg_after"] = [round(v, 2) for v in os.getloadavg()]
    return {"detail": entry}


def _path_info(cams: list[Any], frames: int) -> dict[str, Any]:
    return {"time_utc": I57_UTC, "frames": frames, "range_km_from_io_centre": RANGE_KM,
            "sweep_deg": [-SWEEP_DEG, SWEEP_DEG], "fov_deg": cams[0].fov_deg,
            "description": "far side of Io from Jupiter, plane ⟂ Jupiter's north, looking at Io, "
                           "Jupiter beside Io in every frame"}


def run_light_paths(frames: int = FRAMES, rounds: int = ROUNDS,
                    sizes: tuple[tuple[int, int], ...] = LIGHT_PATH_SIZES) -> dict[str, Any]:
    """Only the light-path costs: ``{"path": ..., "light_paths": {...}}`` (no PyVista)."""
    from viewer.render.context import headless_context

    snap = snapshot()
    cams = camera_path(snap, frames)
    out: dict[str, Any] = {"path": _path_info(cams, frames), "warmup_frames": WARMUP, "rounds": rounds}
    with headless_context() as ctx:
        out["light_paths"] = _light_paths_entry(ctx, snap, cams, sizes, rounds)
    return out


def _light_paths_entry(ctx: Any, snap: Any, cams: list[Any], sizes: tuple[tuple[int, int], ...],
                       rounds: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "frames": len(cams), "rounds": rounds,
        "method": "render ms/frame (best round's median) with every path on, with each path off in turn, "
                  "and with only sun; cost_ms = ms_all - ms_without",
        "loadavg_before": [round(v, 2) for v in os.getloadavg()]}
    for size in sizes:
        entry[f"{size[0]}x{size[1]}"] = light_path_costs(ctx, snap, cams, size, rounds)
    entry["loadavg_after"] = [round(v, 2) for v in os.getloadavg()]
    return entry


def run(frames: int = FRAMES, rounds: int = ROUNDS, sizes: tuple[tuple[int, int], ...] = SIZES,
        light_path_sizes: tuple[tuple[int, int], ...] = LIGHT_PATH_SIZES) -> dict[str, Any]:
    from viewer.render.context import headless_context
    from viewer.render.renderer import RenderSettings

    snap = snapshot()
    cams = camera_path(snap, frames)
    out: dict[str, Any] = {
        "path": _path_info(cams, frames),
        "warmup_frames": WARMUP, "rounds": rounds, "breakdown_every_nth_frame": BREAKDOWN_EVERY,
        "loadavg_before": [round(v, 2) for v in os.getloadavg()],
    }
    pv_kinds = (("default_msaa", None), ("no_msaa", 0))
    with headless_context() as ctx:
        caps = ctx.capabilities()
        out["renderer"] = caps.renderer
        out["gl_version"] = caps.version
        for size in sizes:
            key = f"{size[0]}x{size[1]}"
            configs = {"default": RenderSettings(size=size, light=frozenset(LIGHT_PATHS))}
            if size == SIZES[-1]:
                configs["hdr_rgba16f"] = RenderSettings(size=size, hdr_format="rgba16f")
                configs["supersample_1"] = RenderSettings(size=size, supersample=1)
            ours = {name: _Ours(ctx, settings, snap, cams) for name, settings in configs.items()}
            pv_runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in pv_kinds}
            for i in range(rounds):
                for name, o in ours.items():
                    print(f"  {key} round {i + 1}/{rounds}: ours {name} …", file=sys.stderr, flush=True)
                    o.round(draw=name == "default")
                for name, samples in pv_kinds:
                    print(f"  {key} round {i + 1}/{rounds}: pyvista {name} …", file=sys.stderr, flush=True)
                    pv_runs[name].append(pyvista_baseline(size, frames, samples))
            default = ours.pop("default").result()
            default["jupiter_in_view"] = f"{jupiter_in_view(snap, cams, size)}/{len(cams)}"
            entry: dict[str, Any] = {"ours": default}
            for name, _ in pv_kinds:
                pv = entry[f"pyvista_{name}"] = _pyvista_rounds(pv_runs[name])
                if "skipped" not in pv:
                    entry[f"ratio_vs_pyvista_{name}"] = _ratio(default["render"], pv)
            if ours:
                entry["ours_variants"] = {name: o.result() for name, o in ours.items()}
            out[key] = entry
        if light_path_sizes:
            out["light_paths"] = _light_paths_entry(ctx, snap, cams, light_path_sizes, rounds)
    ratio = out.get(TARGET_SIZE, {}).get("ratio_vs_pyvista_default_msaa", {}).get("best_round")
    if ratio is not None:
        out["target"] = {"size": TARGET_SIZE, "light": list(LIGHT_PATHS), "minimum_ratio": TARGET_RATIO,
                         "ratio_vs_pyvista_default_msaa_best_round": ratio, "met": ratio >= TARGET_RATIO}
    ratio = out.get(TARGET_SIZE, {}).get("ratio_vs_pyvista_no_msaa", {}).get("best_round")
    if ratio is not None:
        out["target_no_msaa"] = {"issue": 12, "size": TARGET_SIZE, "light": list(LIGHT_PATHS),
                                 "trails": [f"{b}:{f}" for b, f in TRAILS], "minimum_ratio": TARGET_RATIO,
                                 "ratio_vs_pyvista_no_msaa_best_round": ratio, "met": ratio >= TARGET_RATIO}
    out["loadavg_after"] = [round(v, 2) for v in os.getloadavg()]
    return out


def parse_size(text: str) -> tuple[int, int]:
    """``"WxH"`` → (width, height)."""
    w, h = text.lower().split("x")
    return int(w), int(h)


def write_json(path: Path, result: dict[str, Any], merge: bool) -> None:
    """Write ``result`` to ``path`` atomically; with ``merge``, over the keys of the JSON already there."""
    old = json.loads(path.read_text()) if merge and path.exists() else {}
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps({**old, **result}, indent=2) + "\n")
    os.replace(tmp, path)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--frames", type=int, default=FRAMES)
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    ap.add_argument("--size", type=parse_size, action="append", default=None, metavar="WxH",
                    help="size(s) to measure (repeatable; default 1280x720 and 1920x1080, light paths "
                    "1920x1080)")
    ap.add_argument("--light-paths", action="store_true",
                    help="measure only each light path's cost (no PyVista, no variants)")
    ap.add_argument("--no-light-paths", action="store_true", help="leave the light paths' cost out")
    ap.add_argument("--detail", action="store_true",
                    help="measure only the detail's cost (on and off, on the path and on close views, with "
                    "PyVista; default size 1920x1080)")
    ap.add_argument("--out", type=Path, default=None, metavar="F.json",
                    help="write the JSON here (with --light-paths: into the file's other keys) instead of "
                    "printing it")
    ap.add_argument("--merge", action="store_true", help="with --out: keep the file's other keys")
    args = ap.parse_args()
    if args.detail:
        result = run_detail(args.frames, args.rounds, tuple(args.size or LIGHT_PATH_SIZES))
    elif args.light_paths:
        result = run_light_paths(args.frames, args.rounds, tuple(args.size or LIGHT_PATH_SIZES))
        result = {"light_paths": result["light_paths"]} if args.out is not None else result
    else:
        sizes = tuple(args.size or SIZES)
        light = () if args.no_light_paths else tuple(args.size or LIGHT_PATH_SIZES)
        result = run(args.frames, args.rounds, sizes, light)
    if args.out is None:
        print(json.dumps(result, indent=2))
    else:
        write_json(args.out, result, merge=args.light_paths or args.detail or args.merge)
        print(f"wrote {args.out}", file=sys.stderr)
