"""What exporting costs beyond rendering (issue 13, "Performance"). Each line is a key of
bench/results/export.json and can run alone (``--only``); all go through the public API only
(:func:`viewer.export.render_sequence`, :class:`viewer.export.ExportOptions`,
:class:`viewer.export.SceneRenderer`), so they measure whatever the export does at the time.

Two frames are rendered and thrown away first (imports, the page cache, Mesa's shader cache), so that the
first run measured pays nothing the later ones do not. Every run reports the whole job's seconds and
frames/s (``fps``: setup included — a context, maps, programs, trails, ffmpeg's start, the movie's
assembly), the steady rate between the first and the last frame done (``fps_steady``), when the first
and the last frame were done (``callback`` of ``render_sequence``), the time after the last frame
(``after_last_frame_s``: whatever the export does once every frame is rendered), the CPU seconds of
this process and of its children (ffmpeg, worker processes) over the wall time (``cores_busy``), and
this process's CPU per frame between the first and the last frame (``cpu_ms_per_frame_steady``) and
its resident memory afterwards (``rss_mb_after``).

* ``throughput`` — the ``i57-flyby`` preset's first 120 frames at 1920×1080 (``jupitershine render
  --preset i57-flyby --frames 0:120 --size 1920x1080``), one process, ``ROUNDS`` rounds (the order of
  the three kinds rotated each round, so that each meets the same load; the machine is shared):

  - ``render_only``: ``SceneRenderer(scene, options, indices)`` then ``frame(i)`` for each frame (render +
    8-bit readback; no encoding, no file);
  - ``png``: ``render_sequence`` into a folder of PNG frames;
  - ``mp4``: ``render_sequence`` into ``FILE.mp4``.

  Figures per kind: every round, the best round (the fewest seconds: the least disturbed) and the
  median round. ``ratio_mp4_over_render_only`` (the target, ≥ 0.85) and ``ratio_png_over_render_only``:
  best round over best round and median over median, end to end and steady. ``gap_s`` splits the best
  MP4 (and PNG) run's extra seconds over the best render-only run into the first frame coming later
  (setup: folder, manifest, the encoder's start), the frames coming slower (the encoder, the pipe, PNG
  encoding and writing competing with the renderer for the cores) and the time after the last frame;
  the three add up to the whole gap.

  ``isolated_ms_per_frame`` — each step an export can add to a frame, timed alone on the 120 frames that the
  first ``render_only`` round kept, one after another, so nothing competes: PNG encoding
  (``SceneRenderer.encode``; and Pillow at zlib level 1 for comparison), writing the bytes through the
  project's atomic writer (``viewer.atomic.write_bytes_atomic``: temporary file, fsync, rename, folder
  fsync) against a plain write + rename (their difference is the fsync), decoding the PNG back (what
  assembling a movie from finished frames reads), and libx264 encoding the frames from memory through
  imageio-ffmpeg (H.264, yuv420p, the export's default quality) with x264's default preset (medium: what
  assembling from PNG frames used), with ``-preset veryfast -bf 0`` (what the streamed segments use when
  this was written), ``superfast -bf 0`` and ``ultrafast``; ffmpeg's wall and CPU time per frame (the CPU
  from the children's rusage) and the movie's bytes.
* ``workers`` — the same 120 frames into a PNG folder with ``workers=2`` against ``workers=1`` (the
  ``png`` rounds of ``throughput`` when it ran just before), and ``workers=2`` with ``LP_NUM_THREADS=1``
  (one llvmpipe rasteriser thread per process), ``WORKER_ROUNDS`` rounds. ``llvmpipe_scaling``: render
  only in a fresh subprocess with llvmpipe's default threads and with ``LP_NUM_THREADS=1`` — how much of
  the second core one rendering process already uses (``cores_busy_steady``) and what llvmpipe's own
  threads buy (``fps_steady``).
* ``versus_pyvista`` — our MP4 export of those 120 frames (``throughput``'s ``mp4`` rounds, or its own)
  against PyVista writing 120 frames of its two-sphere baseline to an MP4 with ``open_movie`` /
  ``write_frame`` (bench/baseline_pyvista.py ``--movie``, in a subprocess), at 1920×1080, 30 fps, the
  same x264 quality and macro block size (x264's preset is imageio's default, medium), with MSAA off
  (its cheapest frame: ``PYVISTA_ROUNDS`` rounds, the headline) and with its default 4× MSAA (one run).
  Ratio: our frames/s over theirs, best over best and median over median, end to end (setup to
  finished file) and steady (ours between the first and the last frame, theirs the write_frame loop).
  Target ≥ 1.5 end to end against MSAA off.
* ``memory`` — resident memory over a 2,000-frame export (frames 0:2000 at 640×360 into a PNG folder), in a
  fresh process (so that its memory is the export's alone): ``VmRSS`` from ``/proc/self/status`` sampled in
  the ``callback`` as each frame lands, and ``VmHWM`` (the peak) at the end. Target: growth < 50 MB from
  frame 100 to frame 2,000 (``growth_mb``; also the highest sample after frame 100, ``peak_growth_mb``).

``loadavg_*`` records the machine's load. The whole run takes ~6 min here (``memory`` ~1.5 of them);
``--frames``, ``--memory-frames`` and ``--rounds`` make it shorter (the JSON records what was used).

Usage: .venv/bin/python bench/run.py export   (or: .venv/bin/python bench/export.py
[--only throughput,workers,versus_pyvista,memory] [--frames N] [--memory-frames N] [--rounds N]
[--out F.json]; with ``--out`` an existing JSON file keeps its other keys)
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

PRESET = "i57-flyby"
SIZE = (1920, 1080)
FRAMES = 120
MEMORY_SIZE = (640, 360)
MEMORY_FRAMES = 2000
#: Memory growth is measured from this frame (the first frames fill caches and pools).
MEMORY_FROM = 100
MEMORY_TARGET_MB = 50.0
MP4_TARGET = 0.85
PYVISTA_TARGET = 1.5
ROUNDS = 3
WORKER_ROUNDS = 2
PYVISTA_ROUNDS = 2
#: x264 options of the streamed MP4 segments when this benchmark was written (viewer/export.py).
X264_STREAMED = ["-preset", "veryfast", "-bf", "0"]
KINDS = ("render_only", "png", "mp4")
LINES = ("throughput", "workers", "versus_pyvista", "memory")


def _loadavg() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def _cpu_s() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its waited-for children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _ms_stats(ms: list[float]) -> dict[str, float]:
    return {"mean_ms": round(statistics.fmean(ms), 2), "median_ms": round(statistics.median(ms), 2),
            "max_ms": round(max(ms), 2)}


def _timing(n: int, seconds: float, first: float, last: float, cpu: tuple[float, float],
            steady_cpu: float | None = None) -> dict[str, Any]:
    """The figures of one run: ``first``/``last`` are when the first and last frame were done (s from
    the start), ``cpu`` the CPU seconds of this process and its children during the run, ``steady_cpu``
    this process's CPU seconds between the first and the last frame (None: not known)."""
    steady = last - first if n > 1 and last > first else None
    out = {"frames": n, "seconds": round(seconds, 3), "fps": round(n / seconds, 2),
           "first_frame_done_s": round(first, 3), "last_frame_done_s": round(last, 3),
           "after_last_frame_s": round(seconds - last, 3),
           "fps_steady": round((n - 1) / steady, 2) if steady else None,
           "cpu_s_self": round(cpu[0], 2), "cpu_s_children": round(cpu[1], 2),
           "cores_busy": round((cpu[0] + cpu[1]) / seconds, 2)}
    if steady and steady_cpu is not None:
        out["cores_busy_steady"] = round(steady_cpu / steady, 2)
        out["cpu_ms_per_frame_steady"] = round(1000.0 * steady_cpu / (n - 1), 1)
    return out


def _scene() -> Any:
    from viewer.scene import load

    return load(PRESET)


def _options(size: tuple[int, int], frames: int) -> Any:
    from viewer.export import ExportOptions

    return ExportOptions(size=size, frames=f"0:{frames}")


# -- one run of each kind --------------------------------------------------------------------------------

def render_only(frames: int, keep: Callable[[Any, list[Any]], dict[str, Any]] | None = None
                ) -> dict[str, Any]:
    """``SceneRenderer.frame`` over the frames (module docstring); ``keep(renderer, results)`` runs on
    the rendered frames before the renderer closes (the isolated costs) and its dict is returned in
    ``"kept"``."""
    from viewer.export import SceneRenderer
    from viewer.scene import frames_in

    scene = _scene()
    options = _options(SIZE, frames)
    indices = list(frames_in(scene, options.frames))
    c0 = _cpu_s()
    t0 = time.perf_counter()
    r = SceneRenderer(scene, options, indices)
    setup = time.perf_counter() - t0
    ms, results = [], []
    first_cpu = 0.0
    for i in indices:
        f0 = time.perf_counter()
        res = r.frame(i)
        ms.append(1000.0 * (time.perf_counter() - f0))
        if len(ms) == 1:
            first_cpu = _cpu_s()[0]
        if keep is not None:
            results.append(res)
    seconds = time.perf_counter() - t0
    c1 = _cpu_s()
    out = _timing(len(indices), seconds, setup + ms[0] / 1000.0, seconds,
                  (c1[0] - c0[0], c1[1] - c0[1]), c1[0] - first_cpu)
    out.update({"setup_s": round(setup, 3), "frame": _ms_stats(ms), "rss_mb_after": round(_rss_mb()[0]),
                "fps_frames_only": round(1000.0 * len(ms) / sum(ms), 2),
                "renderer": r.renderer_name,
                "last_frame_mean_u8": round(float(res.image.mean()), 1)})
    if keep is not None:
        out["kept"] = keep(r, results)
    r.close()
    return out


def export(out: Path, frames: int, size: tuple[int, int] = SIZE, workers: int = 1,
           callback: Callable[[int, Path], None] | None = None) -> dict[str, Any]:
    """``render_sequence`` of the first ``frames`` frames into ``out`` (a folder or FILE.mp4)."""
    from viewer.export import render_sequence

    scene = _scene()
    done: list[float] = []
    cpu: list[float] = []

    def landed(index: int, path: Path) -> None:
        done.append(time.perf_counter())
        cpu.append(_cpu_s()[0])
        if callback is not None:
            callback(index, path)

    c0 = _cpu_s()
    t0 = time.perf_counter()
    res = render_sequence(scene, out, _options(size, frames), workers=workers, quiet=True, callback=landed)
    seconds = time.perf_counter() - t0
    c1 = _cpu_s()
    # In this process only: ffmpeg's and the workers' CPU count once they are waited for (children).
    result = _timing(res.written, seconds, done[0] - t0, done[-1] - t0, (c1[0] - c0[0], c1[1] - c0[1]),
                     cpu[-1] - cpu[0] if workers == 1 else None)
    result["workers"] = workers
    result["rss_mb_after"] = round(_rss_mb()[0])
    if res.movie is not None:
        result["movie_bytes"] = res.movie.stat().st_size
        result["movie"] = _movie_props(res.movie)
    else:
        pngs = list(out.glob("frame_*.png"))
        result["frame_bytes_mean"] = round(statistics.fmean(p.stat().st_size for p in pngs)) if pngs else 0
    return result


def _movie_props(movie: Path) -> dict[str, Any]:
    """Frame count, duration, size and fps of the MP4 read back by ffmpeg (a check that the run made what
    it claims)."""
    import imageio_ffmpeg

    count, secs = imageio_ffmpeg.count_frames_and_secs(str(movie))
    reader = imageio_ffmpeg.read_frames(str(movie))
    meta = next(reader)
    reader.close()
    return {"frames": count, "seconds": secs, "size": list(meta["size"]), "fps": meta["fps"],
            "codec": meta.get("codec")}


# -- the isolated costs --------------------------------------------------------------------------------

def isolated_costs(renderer: Any, results: list[Any], folder: Path) -> dict[str, Any]:
    """Each step an export adds to a rendered frame, alone (module docstring, ``isolated_ms_per_frame``)."""
    import imageio.v3 as iio

    from viewer.atomic import write_bytes_atomic

    encode, atomic, plain, decode, fast, fast_bytes = [], [], [], [], [], []
    for k, res in enumerate(results):
        t0 = time.perf_counter()
        data = renderer.encode(res)
        t1 = time.perf_counter()
        fast_bytes.append(len(iio.imwrite("<bytes>", res.image, extension=".png", compress_level=1)))
        fast.append(1000.0 * (time.perf_counter() - t1))
        t1 = time.perf_counter()
        write_bytes_atomic(folder / f"atomic_{k:06d}.png", data)
        t2 = time.perf_counter()
        tmp = folder / f".plain_{k:06d}.png.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, folder / f"plain_{k:06d}.png")
        t3 = time.perf_counter()
        iio.imread(data, extension=".png")
        t4 = time.perf_counter()
        encode.append(1000.0 * (t1 - t0))
        atomic.append(1000.0 * (t2 - t1))
        plain.append(1000.0 * (t3 - t2))
        decode.append(1000.0 * (t4 - t3))
    images = [res.image for res in results]
    out: dict[str, Any] = {
        "png_encode": _ms_stats(encode), "png_bytes_mean": round(statistics.fmean(
            p.stat().st_size for p in folder.glob("atomic_*.png"))),
        "write_atomic_fsync": _ms_stats(atomic), "write_plain_no_fsync": _ms_stats(plain),
        "fsync_mean_ms": round(statistics.fmean(atomic) - statistics.fmean(plain), 2),
        "png_encode_compress_level_1": {**_ms_stats(fast), "bytes_mean": round(statistics.fmean(fast_bytes))},
        "png_decode": _ms_stats(decode),
        "x264_medium": x264(images, folder / "x264.mp4"),
        "x264_veryfast_no_bframes": x264(images, folder / "x264_veryfast.mp4", X264_STREAMED),
        "x264_superfast_no_bframes": x264(images, folder / "x264_superfast.mp4",
                                          ["-preset", "superfast", "-bf", "0"]),
        "x264_ultrafast": x264(images, folder / "x264_ultrafast.mp4", ["-preset", "ultrafast"])}
    return out


def x264(images: list[Any], movie: Path, extra: list[str] | None = None) -> dict[str, Any]:
    """libx264 through imageio-ffmpeg on frames in memory, with the export's settings (H.264, yuv420p,
    the default quality): wall ms per frame and ffmpeg's CPU ms per frame."""
    import imageio_ffmpeg
    import numpy as np

    from viewer.export import ExportOptions

    h, w = images[0].shape[:2]
    quality = ExportOptions().quality
    c0 = _cpu_s()
    t0 = time.perf_counter()
    writer = imageio_ffmpeg.write_frames(str(movie), (w, h), fps=30.0, codec="libx264", quality=quality,
                                         pix_fmt_out="yuv420p", macro_block_size=2,
                                         output_params=[*(extra or []), "-f", "mp4"],
                                         ffmpeg_log_level="error")
    writer.send(None)
    for image in images:
        writer.send(np.ascontiguousarray(image[:, :, :3]))
    writer.close()
    seconds = time.perf_counter() - t0
    c1 = _cpu_s()
    n = len(images)
    return {"options": " ".join(extra or ["(x264 default preset: medium)"]), "quality": quality,
            "wall_ms_per_frame": round(1000.0 * seconds / n, 2),
            "ffmpeg_cpu_ms_per_frame": round(1000.0 * (c1[1] - c0[1]) / n, 2),
            "movie_bytes": movie.stat().st_size}


# -- the lines -------------------------------------------------------------------------------------------

def _warm_up(cache: dict[str, Any] | None) -> None:
    """Two frames rendered and thrown away, once per run (module docstring)."""
    if cache is None or not cache.get("warm"):
        print("  warm-up (2 frames, not counted) …", file=sys.stderr, flush=True)
        render_only(2)
    if cache is not None:
        cache["warm"] = True


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Every round (compact), the best round (whole) and the median round's rates."""
    keys = ("seconds", "fps", "fps_steady", "first_frame_done_s", "after_last_frame_s", "cores_busy",
            "cpu_ms_per_frame_steady", "cpu_s_children", "rss_mb_after")
    best = min(runs, key=lambda r: r["seconds"])
    return {"rounds": [{k: r.get(k) for k in keys} for r in runs], "best": best,
            "median_fps": round(statistics.median(r["fps"] for r in runs), 2),
            "median_fps_steady": round(statistics.median(r["fps_steady"] for r in runs), 2)}


def _ratio(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float]:
    """``a`` over ``b`` (two summaries): best over best and median over median, end to end and steady."""
    return {"best_end_to_end": round(a["best"]["fps"] / b["best"]["fps"], 3),
            "best_steady": round(a["best"]["fps_steady"] / b["best"]["fps_steady"], 3),
            "median_end_to_end": round(a["median_fps"] / b["median_fps"], 3),
            "median_steady": round(a["median_fps_steady"] / b["median_fps_steady"], 3)}


def _gap(run: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """``run``'s extra seconds over ``base`` (module docstring, ``gap_s``)."""
    n = run["frames"]
    later = run["first_frame_done_s"] - base["first_frame_done_s"]
    slower = (run["last_frame_done_s"] - run["first_frame_done_s"]) \
        - (base["last_frame_done_s"] - base["first_frame_done_s"])
    tail = run["after_last_frame_s"] - base["after_last_frame_s"]
    return {"total": round(run["seconds"] - base["seconds"], 3), "first_frame_later": round(later, 3),
            "frames_slower": round(slower, 3), "after_last_frame": round(tail, 3),
            "frames_slower_ms_per_frame": round(1000.0 * slower / max(n - 1, 1), 1),
            "cpu_ms_per_frame_steady_extra_in_process": round(
                run["cpu_ms_per_frame_steady"] - base["cpu_ms_per_frame_steady"], 1)
            if "cpu_ms_per_frame_steady" in run and "cpu_ms_per_frame_steady" in base else None,
            "children_cpu_ms_per_frame": round(1000.0 * run["cpu_s_children"] / n, 1)}


def run_throughput(frames: int = FRAMES, cache: dict[str, Any] | None = None,
                   rounds: int = ROUNDS) -> dict[str, Any]:
    out: dict[str, Any] = {"preset": PRESET, "size": f"{SIZE[0]}x{SIZE[1]}", "frames": f"0:{frames}",
                           "rounds": rounds, "loadavg_before": _loadavg()}
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    isolated: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="jupitershine-bench-export-") as tmp:
        base = Path(tmp)
        _warm_up(cache)
        for i in range(rounds):
            k = i % len(KINDS)
            for kind in KINDS[k:] + KINDS[:k]:
                print(f"  throughput round {i + 1}/{rounds}: {kind} …", file=sys.stderr, flush=True)
                if kind == "render_only":
                    if not isolated:  # the first round keeps its frames for the isolated costs
                        (base / "isolated").mkdir()
                        res = render_only(frames, lambda r, res: isolated_costs(r, res, base / "isolated"))
                        isolated = res.pop("kept")
                    else:
                        res = render_only(frames)
                else:
                    res = export(base / f"{kind}{i}{'.mp4' if kind == 'mp4' else ''}", frames)
                runs[kind].append(res)
    summary = {kind: _summary(runs[kind]) for kind in KINDS}
    only, png, mp4 = (summary[k] for k in KINDS)
    out.update(summary)
    out["ratio_png_over_render_only"] = _ratio(png, only)
    out["ratio_mp4_over_render_only"] = ratio = _ratio(mp4, only)
    out["gap_s"] = {"mp4": _gap(mp4["best"], only["best"]), "png": _gap(png["best"], only["best"])}
    out["isolated_ms_per_frame"] = isolated
    out["target"] = {"minimum_ratio": MP4_TARGET, "ratio_best_end_to_end": ratio["best_end_to_end"],
                     "ratio_median_end_to_end": ratio["median_end_to_end"],
                     "met": ratio["best_end_to_end"] >= MP4_TARGET}
    out["loadavg_after"] = _loadavg()
    if cache is not None:
        cache.update(summary)
    return out


def _json_of(args: list[str], env: dict[str, str], what: str, timeout: int = 1800) -> dict[str, Any]:
    """Run ``python ARGS`` with ``env`` added and read the JSON of its last output line, or
    ``{"skipped": why}``."""
    try:
        proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout,
                              check=False, env={**os.environ, **env})
    except subprocess.TimeoutExpired:
        return {"skipped": f"{what} timed out after {timeout} s"}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"skipped": f"{what} failed (exit {proc.returncode}): {tail}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def render_only_subprocess(frames: int, env: dict[str, str]) -> dict[str, Any]:
    """:func:`render_only` (after a 2-frame warm-up) in a fresh process with ``env`` added."""
    return _json_of([str(Path(__file__).resolve()), "--render-only", "--frames", str(frames)], env,
                    "render only", timeout=600)


def run_workers(frames: int = FRAMES, cache: dict[str, Any] | None = None,
                rounds: int = WORKER_ROUNDS) -> dict[str, Any]:
    out: dict[str, Any] = {"preset": PRESET, "size": f"{SIZE[0]}x{SIZE[1]}", "frames": f"0:{frames}",
                           "rounds": rounds, "cpu_count": os.cpu_count(),
                           "LP_NUM_THREADS": os.environ.get("LP_NUM_THREADS", "unset (llvmpipe: one "
                                                            "rasteriser thread per CPU)"),
                           "loadavg_before": _loadavg()}
    cache = cache if cache is not None else {}
    one: list[dict[str, Any]] = []
    two: list[dict[str, Any]] = []
    two_lp1: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="jupitershine-bench-export-") as tmp:
        base = Path(tmp)
        for i in range(rounds):
            if "png" not in cache:
                _warm_up(cache)
                print(f"  workers round {i + 1}/{rounds}: 1 …", file=sys.stderr, flush=True)
                one.append(export(base / f"w1_{i}", frames))
            print(f"  workers round {i + 1}/{rounds}: 2 …", file=sys.stderr, flush=True)
            two.append(export(base / f"w2_{i}", frames, workers=2))
            print(f"  workers round {i + 1}/{rounds}: 2 with LP_NUM_THREADS=1 …", file=sys.stderr, flush=True)
            old = os.environ.get("LP_NUM_THREADS")
            os.environ["LP_NUM_THREADS"] = "1"  # spawned workers inherit it
            try:
                two_lp1.append(export(base / f"w2lp1_{i}", frames, workers=2))
            finally:
                if old is None:
                    os.environ.pop("LP_NUM_THREADS", None)
                else:
                    os.environ["LP_NUM_THREADS"] = old
    w1 = cache["png"] if "png" in cache else _summary(one)
    w2, w2lp1 = _summary(two), _summary(two_lp1)
    out.update({"workers_1": w1, "workers_2": w2, "workers_2_lp_num_threads_1": w2lp1,
                "ratio_2_over_1": _ratio(w2, w1), "ratio_2_lp1_over_1": _ratio(w2lp1, w1)})
    print("  workers: llvmpipe's threads, render only in a subprocess …", file=sys.stderr, flush=True)
    scaling = {"default": render_only_subprocess(frames, {}),
               "lp_num_threads_1": render_only_subprocess(frames, {"LP_NUM_THREADS": "1"})}
    keys = ("fps", "fps_steady", "first_frame_done_s", "cores_busy", "cores_busy_steady",
            "cpu_ms_per_frame_steady", "frame")
    out["llvmpipe_scaling"] = {k: {x: v.get(x) for x in keys} if "skipped" not in v else v
                               for k, v in scaling.items()}
    if all("skipped" not in v for v in scaling.values()):
        out["llvmpipe_scaling"]["default_over_lp1_steady"] = round(
            scaling["default"]["fps_steady"] / scaling["lp_num_threads_1"]["fps_steady"], 3)
    out["loadavg_after"] = _loadavg()
    return out


def pyvista_movie(frames: int, multi_samples: int | None, quality: int) -> dict[str, Any]:
    """bench/baseline_pyvista.py --movie in a subprocess (its JSON, or ``skipped``)."""
    with tempfile.TemporaryDirectory(prefix="jupitershine-bench-pyvista-") as tmp:
        args = [str(HERE / "baseline_pyvista.py"), "--json", "--frames", str(frames),
                "--size", f"{SIZE[0]}x{SIZE[1]}", "--movie", str(Path(tmp) / "pyvista.mp4"), "--fps", "30",
                "--quality", str(quality), "--macro-block-size", "2"]
        if multi_samples is not None:
            args += ["--multi-samples", str(multi_samples)]
        return _json_of(args, {}, "PyVista movie")


def _pyvista_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    skipped = [r for r in runs if "skipped" in r]
    if skipped:
        return skipped[0]
    best = min(runs, key=lambda r: r["end_to_end_s"])
    return {"rounds": [{k: r[k] for k in ("end_to_end_s", "fps_end_to_end", "fps_loop")} for r in runs],
            "best": best, "median_fps": round(statistics.median(r["fps_end_to_end"] for r in runs), 2),
            "median_fps_steady": round(statistics.median(r["fps_loop"] for r in runs), 2)}


def run_versus_pyvista(frames: int = FRAMES, cache: dict[str, Any] | None = None,
                       rounds: int = PYVISTA_ROUNDS) -> dict[str, Any]:
    from viewer.export import ExportOptions

    out: dict[str, Any] = {"size": f"{SIZE[0]}x{SIZE[1]}", "frames": frames, "loadavg_before": _loadavg()}
    cache = cache if cache is not None else {}
    quality = ExportOptions().quality
    pv: dict[str, list[dict[str, Any]]] = {"no_msaa": [], "default_msaa": []}
    ours: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="jupitershine-bench-export-") as tmp:
        for i in range(rounds):
            if "mp4" not in cache:
                _warm_up(cache)
                print(f"  versus PyVista round {i + 1}/{rounds}: our MP4 export …", file=sys.stderr,
                      flush=True)
                ours.append(export(Path(tmp) / f"movie{i}.mp4", frames))
            print(f"  versus PyVista round {i + 1}/{rounds}: open_movie/write_frame, no MSAA …",
                  file=sys.stderr, flush=True)
            pv["no_msaa"].append(pyvista_movie(frames, 0, quality))
    print("  versus PyVista: open_movie/write_frame, default MSAA …", file=sys.stderr, flush=True)
    pv["default_msaa"].append(pyvista_movie(frames, None, quality))
    mine = cache["mp4"] if "mp4" in cache else _summary(ours)
    out["ours_mp4"] = {"best": {k: mine["best"][k] for k in ("seconds", "fps", "fps_steady", "movie_bytes")},
                       "median_fps": mine["median_fps"], "median_fps_steady": mine["median_fps_steady"]}
    for name, runs in pv.items():
        theirs = out[f"pyvista_{name}"] = _pyvista_summary(runs)
        if "skipped" not in theirs:
            out[f"ratio_vs_pyvista_{name}"] = {
                "best_end_to_end": round(mine["best"]["fps"] / theirs["best"]["fps_end_to_end"], 3),
                "best_steady": round(mine["best"]["fps_steady"] / theirs["best"]["fps_loop"], 3),
                "median_end_to_end": round(mine["median_fps"] / theirs["median_fps"], 3),
                "median_steady": round(mine["median_fps_steady"] / theirs["median_fps_steady"], 3)}
    ratio = out.get("ratio_vs_pyvista_no_msaa", {})
    if ratio:
        out["target"] = {"minimum_ratio": PYVISTA_TARGET, "against": "PyVista without MSAA, end to end",
                         "ratio_best": ratio["best_end_to_end"], "ratio_median": ratio["median_end_to_end"],
                         "met": ratio["best_end_to_end"] >= PYVISTA_TARGET}
    out["loadavg_after"] = _loadavg()
    return out


def _rss_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process, MB (10^6 bytes)."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, kb, _ = line.split()
                values[key[:-1]] = int(kb) * 1024 / 1e6
    return values["VmRSS"], values["VmHWM"]


def run_memory(frames: int = MEMORY_FRAMES, cache: dict[str, Any] | None = None) -> dict[str, Any]:
    """:func:`memory` in a fresh process: its resident memory is the export's alone (every headless
    context this process made before holds on to its memory)."""
    print(f"  memory: {frames} frames at {MEMORY_SIZE[0]}x{MEMORY_SIZE[1]}, in a subprocess …",
          file=sys.stderr, flush=True)
    return _json_of([str(Path(__file__).resolve()), "--memory-run", "--memory-frames", str(frames)], {},
                    "the memory run")


def memory(frames: int = MEMORY_FRAMES) -> dict[str, Any]:
    """RSS as each frame of a ``frames``-frame export lands (module docstring, ``memory``)."""
    start = min(MEMORY_FROM, max(frames - 1, 1))
    out: dict[str, Any] = {"preset": PRESET, "size": f"{MEMORY_SIZE[0]}x{MEMORY_SIZE[1]}",
                           "frames": f"0:{frames}", "from_frame": start, "loadavg_before": _loadavg(),
                           "rss_before_mb": round(_rss_mb()[0], 1)}
    rss: list[float] = []
    with tempfile.TemporaryDirectory(prefix="jupitershine-bench-export-") as tmp:
        run = export(Path(tmp) / "frames", frames, MEMORY_SIZE,
                     callback=lambda i, p: rss.append(_rss_mb()[0]))
    hwm = _rss_mb()[1]
    marks = sorted({1, start, *range(500, frames + 1, 500), frames})
    growth = rss[-1] - rss[start - 1]
    peak_growth = max(rss[start - 1:]) - rss[start - 1]
    out.update({"export": {k: run[k] for k in ("seconds", "fps", "fps_steady", "frame_bytes_mean")},
                "rss_mb_at_frame": {str(k): round(rss[k - 1], 1) for k in marks},
                "rss_max_sampled_mb": round(max(rss), 1), "vm_hwm_mb": round(hwm, 1),
                "growth_mb": round(growth, 1), "peak_growth_mb": round(peak_growth, 1),
                "target": {"maximum_growth_mb": MEMORY_TARGET_MB,
                           "met": growth < MEMORY_TARGET_MB and peak_growth < MEMORY_TARGET_MB},
                "loadavg_after": _loadavg()})
    return out


RUNNERS: dict[str, Callable[..., dict[str, Any]]] = {
    "throughput": run_throughput, "workers": run_workers, "versus_pyvista": run_versus_pyvista,
    "memory": run_memory}


def run(only: tuple[str, ...] = LINES, frames: int | None = None, memory_frames: int | None = None,
        rounds: int | None = None) -> dict[str, Any]:
    """Every line named in ``only`` (module docstring); ``frames`` overrides the 120 frames,
    ``memory_frames`` the 2,000, ``rounds`` every line's rounds. Lines run in this order share runs:
    ``workers`` reuses ``throughput``'s PNG exports, ``versus_pyvista`` its MP4 exports."""
    import imageio_ffmpeg

    out: dict[str, Any] = {"ffmpeg": imageio_ffmpeg.get_ffmpeg_version(),
                           "imageio_ffmpeg": imageio_ffmpeg.__version__}
    cache: dict[str, Any] = {}
    for name in only:
        print(f"bench export: {name} …", file=sys.stderr, flush=True)
        kwargs: dict[str, Any] = {"cache": cache}
        n = memory_frames if name == "memory" else frames
        if n is not None:
            kwargs["frames"] = n
        if rounds is not None and name != "memory":
            kwargs["rounds"] = rounds
        out[name] = RUNNERS[name](**kwargs)
    return out


if __name__ == "__main__":
    import argparse

    from render import write_json

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default=",".join(LINES), help="comma-separated lines (default: all)")
    ap.add_argument("--frames", type=int, default=None,
                    help=f"frames of the 1920x1080 runs (default {FRAMES})")
    ap.add_argument("--memory-frames", type=int, default=None,
                    help=f"frames of the memory run (default {MEMORY_FRAMES})")
    ap.add_argument("--rounds", type=int, default=None, help="rounds of every line but memory")
    ap.add_argument("--render-only", action="store_true",
                    help="print one line of JSON: a warm-up, then render only (what llvmpipe_scaling runs)")
    ap.add_argument("--memory-run", action="store_true",
                    help="print one line of JSON: the memory run in this process (what memory runs)")
    ap.add_argument("--out", type=Path, default=None, help="write (merge) the JSON here")
    args = ap.parse_args()
    if args.render_only:
        _warm_up(None)
        print(json.dumps(render_only(args.frames or FRAMES)))
        raise SystemExit(0)
    if args.memory_run:
        print(json.dumps(memory(args.memory_frames or MEMORY_FRAMES)))
        raise SystemExit(0)
    names = tuple(n.strip() for n in args.only.split(",") if n.strip())
    unknown = [n for n in names if n not in RUNNERS]
    if unknown:
        print(f"bench/export.py: unknown line {unknown[0]!r}; choose from {', '.join(LINES)}",
              file=sys.stderr)
        raise SystemExit(2)
    result = run(names, args.frames, args.memory_frames, args.rounds)
    if args.out is not None:
        write_json(args.out, {**result, "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                   merge=True)
    print(json.dumps(result, indent=2))
