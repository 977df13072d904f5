"""Export: a scene's frames as PNG (8 or 16 bit), linear radiance (.npy) or an MP4 — deterministic,
resumable, in one process, in several, or on a Dask cluster.

Frame ``i`` is rendered at exactly ``scene.frame(i).et`` (:mod:`viewer.scene`) through the one renderer
call (:class:`viewer.frames.FrameMaker`), so re-rendering any frame, in any order, in any process,
gives the same bytes. Every file goes through :mod:`viewer.atomic` (a temporary name, renamed when
whole; the user's umask's permissions), so a crash, a Ctrl-C or a full disk never leaves half a frame.

Layout of an export to a folder ``OUT/``::

    OUT/manifest.json          what made the frames: scene hash, settings, frame count, renderer
    OUT/frame_000000.png       one file per frame (.png, or .npy for --format npy)

An MP4 (``--out FILE.mp4``) is **assembled from finished frames**: they are written to
``FILE.mp4.frames/`` (same layout; PNG), then piped in order to ffmpeg (imageio-ffmpeg's own binary:
H.264, yuv420p) into a temporary file renamed to ``FILE.mp4``. The frames stay, so an interrupted
export resumes with ``--resume`` and the movie is assembled again at the end; ``--keep-frames``
is the default, delete the folder when the movie is what you want.

``--resume`` skips frames whose file exists (a file exists only when whole) after checking that the
manifest matches this scene, these settings and this renderer; otherwise the export is refused with
one line (``--overwrite`` starts over). Without either flag an existing export is never touched.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.atomic import check_writable, write_atomic, write_text_atomic
from viewer.errors import UserError
from viewer.scene import Scene

FORMATS = ("png", "png16", "npy")
#: MP4 quality (imageio-ffmpeg's 0–10 scale, 10 best); 8 is visually lossless for these scenes.
DEFAULT_QUALITY = 8
MANIFEST = "manifest.json"
FRAME_PATTERN = "frame_{:06d}.{}"


@dataclass(frozen=True)
class ExportOptions:
    """What the command line (or the Python API) asks of an export besides the scene.

    size : (width, height) override, or None for the scene's
    format : ``png`` (8-bit sRGB), ``png16`` (16-bit sRGB from the radiance through the same tone map),
        ``npy`` (linear radiance, float32 (H, W, 3))
    frames : ``"A:B"`` selection (:func:`viewer.scene.frames_in`) or None for all
    supersample : 2 (default) or 1
    quality : MP4 quality 0–10
    look : a look over the scene's exposure (shots may still name their own)
    """

    size: tuple[int, int] | None = None
    format: str = "png"
    frames: str | None = None
    supersample: int = 2
    quality: int = DEFAULT_QUALITY
    look: str | None = None

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise UserError(f"--format {self.format!r}: choose from {', '.join(FORMATS)}")
        if not 0 <= int(self.quality) <= 10:
            raise UserError(f"--quality {self.quality}: choose 0 (smallest) to 10 (best)")


@dataclass(frozen=True)
class ExportResult:
    """What an export did: the frames written and skipped, the output, the seconds it took."""

    out: Path
    written: int
    skipped: int
    seconds: float
    movie: Path | None = None


# --- the per-frame work (also what worker processes and Dask tasks run) ---------------------------

class SceneRenderer:
    """Renders any frame of a scene: a :class:`FrameMaker` prepared once (trails sampled for the whole
    selection, one camera path per shot), then ``render(i)`` → the file's bytes."""

    def __init__(self, scene: Scene, options: ExportOptions, indices: Sequence[int] | None = None,
                 world: Any = None, context: Any = None) -> None:
        from viewer.config import TrailSpan
        from viewer.frames import FrameMaker, Tone
        from viewer.render.exposure import ToneSettings
        from viewer.render.looks import look_tone
        from viewer.render.passes.labels import event_marks
        from viewer.render.renderer import RenderSettings
        from viewer.sim.world import World

        self.scene, self.options = scene, options
        self.world = world or World()
        base = scene.base
        size = options.size or base.size
        exposure = base.exposure if base.exposure == "auto" else float(base.exposure)
        self._default = ToneSettings(exposure=exposure, curve=base.tonemap)  # type: ignore[arg-type]
        tone, night = look_tone(options.look, self._default)
        settings = RenderSettings(size=size, supersample=options.supersample, tone=tone,
                                  light=frozenset(base.light), labels=base.labels)
        chosen = list(indices) if indices is not None else list(range(scene.frame_count))
        times = [scene.frame(i).et for i in chosen] or [scene.frame(0).et]
        first, last = min(times), max(times)
        span = base.trail_span if isinstance(base.trail_span, TrailSpan) else TrailSpan()
        trails = sequence_trails(self.world, [(t.body, t.frame) for t in base.trails], first, last,
                                 span.past_s, span.future_s)
        marks = event_marks(self.world, 0.5 * (first + last)) if base.labels else []
        self._tones: dict[str | None, Tone] = {None: Tone(tone, night, options.look)}
        self._look_tone = look_tone
        self._paths: dict[int, Any] = {}
        self.maker = FrameMaker(self.world, settings, night=night, look=options.look, trails=trails,
                                marks=marks, context=context)

    @property
    def renderer_name(self) -> str:
        return self.maker.renderer_name

    def _tone(self, look: str | None) -> Any:
        from viewer.frames import Tone

        if look not in self._tones:
            tone, night = self._look_tone(look, self._default)
            self._tones[look] = Tone(tone, night, look)
        return self._tones[look]

    def camera(self, index: int, snapshot: Any) -> Any:
        """The camera of frame ``index`` (its shot's keyframed path, or the scene's spec)."""
        from viewer.render.camera import camera_from_spec

        spec = self.scene.frame(index)
        if spec.shot not in self._paths:
            self._paths[spec.shot] = self.scene.camera_path(spec.shot, self.world.at)
        path = self._paths[spec.shot]
        if path is not None:
            return path.at(spec.et, snapshot)
        return camera_from_spec(self.scene.base.camera, snapshot, self.scene.base.fov_deg)

    def frame(self, index: int) -> Any:
        """Render frame ``index``: a :class:`~viewer.frames.FrameResult` (radiance included for npy
        and png16)."""
        spec = self.scene.frame(index)
        snap = self.world.at(spec.et)
        cam = self.camera(index, snap)
        shot_look = self.scene.shots[spec.shot].look
        tone = self._tone(shot_look if shot_look is not None else self.options.look)
        linear = self.options.format in ("npy", "png16")
        return self.maker.frame(spec.et, cam, ev=spec.ev, tone=tone, linear=linear, snapshot=snap)

    def encode(self, result: Any) -> bytes:
        """The file's bytes for a rendered frame, in the export's format (deterministic)."""
        import io

        import imageio.v3 as iio

        if self.options.format == "npy":
            buf = io.BytesIO()
            np.save(buf, np.asarray(result.linear, dtype=np.float32))
            return buf.getvalue()
        if self.options.format == "png16":  # Pillow writes 8-bit RGB only: pypng for 16-bit RGB
            import png

            image16 = tonemap16(result.linear, self._tone(None).settings, result.ev)
            h, w = image16.shape[:2]
            buf = io.BytesIO()
            png.Writer(w, h, greyscale=False, bitdepth=16).write(buf, image16.reshape(h, w * 3))
            return buf.getvalue()
        return bytes(iio.imwrite("<bytes>", result.image, extension=".png"))

    def render(self, index: int) -> bytes:
        return self.encode(self.frame(index))

    def close(self) -> None:
        self.maker.close()


def tonemap16(linear: npt.NDArray[np.float32], settings: Any, ev: float) -> npt.NDArray[np.uint16]:
    """Radiance → 16-bit sRGB through the same exposure and curve as the 8-bit image (the numpy twin
    of the tone-map pass, :mod:`viewer.render.exposure`)."""
    from viewer.render.exposure import filmic, srgb_encode, stretch

    x = np.asarray(linear, dtype=np.float64) * 2.0 ** float(ev)
    display = filmic(x) if settings.curve == "filmic" else stretch(x, *settings.stretch)
    encoded = np.clip(srgb_encode(display), 0.0, 1.0)
    return np.asarray(np.round(encoded * 65535.0), dtype=np.uint16)


def sequence_trails(world: Any, specs: Sequence[tuple[str, str]], first: float, last: float,
                    past_s: float | None, future_s: float | None) -> list[Any]:
    """Trails sampled once for frames from TDB ``first`` to ``last``: each covers [first − past,
    last + future] and draws ``past``/``future`` around every frame's instant."""
    from viewer.sim.trails import make_trail, trail_span

    out = []
    for body, frame in specs:
        past, future = trail_span(world, body, frame, first, past_s, future_s, where="trails")
        trail = make_trail(world, body, frame, last, past + (last - first), future, where="trails")
        out.append(replace(trail, past_s=past, future_s=future))
    return out


# --- files: manifest, frames, resume -----------------------------------------------------------------

def frame_name(index: int, fmt: str) -> str:
    return FRAME_PATTERN.format(index, "npy" if fmt == "npy" else "png")


def manifest_for(scene: Scene, options: ExportOptions, renderer: str,
                 indices: Sequence[int]) -> dict[str, Any]:
    """What must match for frames to be mixed: the scene's bytes, the settings, the renderer."""
    from viewer import __version__

    return {"jupitershine": __version__, "scene": scene.base.name, "scene_sha256": scene.digest,
            "settings": {**asdict(options), "size": list(options.size or scene.base.size),
                         "fps": scene.fps, "frames": None},
            "frame_count": scene.frame_count, "renderer": renderer,
            "selection": [indices[0], indices[-1] + 1] if indices else [0, 0]}


def _comparable(m: dict[str, Any]) -> dict[str, Any]:
    return {k: m.get(k) for k in ("scene_sha256", "settings", "frame_count", "renderer")}


def prepare_folder(folder: Path, manifest: dict[str, Any], resume: bool, overwrite: bool) -> None:
    """Make ``folder`` ready: new, resumed (matching manifest) or cleared (``overwrite``); refuse
    anything else with one line naming the fix."""
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is a file, not a folder; give --out a folder (or FILE.mp4)")
    old_path = folder / MANIFEST
    if folder.is_dir() and any(folder.iterdir()):
        if overwrite:
            for p in folder.iterdir():
                if p.name == MANIFEST or (p.name.startswith("frame_") and p.suffix in (".png", ".npy")):
                    p.unlink()
        elif not old_path.exists():
            raise UserError(f"{folder} is not empty and holds no export; choose another folder or "
                            "give --overwrite")
        elif not resume:
            raise UserError(f"{folder} already holds an export; give --resume to finish it or --overwrite "
                            "to start over")
        else:
            try:
                old = json.loads(old_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise UserError(f"{old_path} is unreadable; give --overwrite to start over") from None
            mine, theirs = _comparable(manifest), _comparable(old)
            if mine != theirs:
                what = next(k for k in mine if mine[k] != theirs.get(k))
                raise UserError(f"cannot resume into {folder}: its frames come from another "
                                f"{what.replace('_sha256', ' file').replace('_', ' ')} "
                                f"({theirs.get(what)!r:.80}); give --overwrite or another folder")
    try:
        folder.mkdir(parents=False, exist_ok=True)
    except FileNotFoundError:
        raise UserError(f"cannot create {folder}: the folder {folder.parent} does not exist; create it "
                        "first") from None
    except OSError as exc:
        raise UserError(f"cannot create {folder}: {exc.strerror or exc}") from None
    check_writable(folder / MANIFEST)
    write_text_atomic(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")


# --- progress ----------------------------------------------------------------------------------------

class Progress:
    """A tqdm bar on a terminal (frames/s, time left), plain lines every ~5 % otherwise, a summary."""

    def __init__(self, total: int, done: int, label: str, quiet: bool = False) -> None:
        self.total, self.done, self.label, self.quiet = total, done, label, quiet
        self.start = time.perf_counter()
        self.bar: Any = None
        self._next = 0
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=done, unit="frame", desc=label, file=sys.stderr)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif not self.quiet and (self.done >= self._next or self.done == self.total):
            rate = self.done / max(time.perf_counter() - self.start, 1e-9)
            print(f"{self.label}: {self.done}/{self.total} frames ({rate:.1f} frames/s)", file=sys.stderr)
            self._next = self.done + max(1, self.total // 20)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --- running an export ---------------------------------------------------------------------------------

def _work_folder(out: Path) -> tuple[Path, Path | None]:
    """(frames folder, movie path or None) for an ``--out`` value."""
    if out.suffix.lower() == ".mp4":
        return out.with_name(out.name + ".frames"), out
    if out.suffix:
        raise UserError(f"--out {out}: give a folder for frames or a name ending in .mp4")
    return out, None


def render_sequence(scene: Scene, out: str | os.PathLike[str], options: ExportOptions | None = None, *,
                    resume: bool = False, overwrite: bool = False, workers: int = 1,
                    dask: str | None = None, world: Any = None, quiet: bool = False,
                    callback: Callable[[int, Path], None] | None = None) -> ExportResult:
    """Render ``scene``'s frames into ``out`` (a folder, or ``FILE.mp4``); see the module docstring.

    ``workers``: processes, each with its own headless context; ``dask``: the address of a Dask
    scheduler (``tcp://host:8786``) whose workers render chunks and return the bytes; ``callback``
    is called with (frame index, path) as each frame lands.
    """
    options = options or ExportOptions()
    out_path = Path(out).expanduser()
    folder, movie = _work_folder(out_path)
    if movie is not None:
        if options.format != "png":
            raise UserError(f"--out {out_path}: an MP4 is made from 8-bit frames; drop --format "
                            f"{options.format} or write frames to a folder")
        w, h = options.size or scene.base.size
        if w % 2 or h % 2:
            raise UserError(f"--size {w}x{h}: H.264 in yuv420p needs even sides; use e.g. {w + w % 2}x"
                            f"{h + h % 2}")
        if movie.exists() and not (overwrite or resume):
            raise UserError(f"{movie} exists; give --overwrite to replace it (or --resume)")
        check_writable(movie)
    if workers < 1:
        raise UserError(f"--workers {workers}: give at least 1")
    from viewer.scene import frames_in

    indices = list(frames_in(scene, options.frames))
    started = time.perf_counter()
    first = SceneRenderer(scene, options, indices, world=world) if (workers == 1 and dask is None) else None
    renderer_name = first.renderer_name if first is not None else _renderer_name()
    try:
        prepare_folder(folder, manifest_for(scene, options, renderer_name, indices), resume, overwrite)
        todo = [i for i in indices if not (folder / frame_name(i, options.format)).exists()]
        skipped = len(indices) - len(todo)
        progress = Progress(len(indices), skipped, f"{scene.base.name} → {out_path}", quiet)
        try:
            if dask is not None:
                _run_dask(scene, options, folder, todo, dask, progress, callback)
            elif workers > 1:
                _run_workers(scene, options, folder, todo, workers, progress, callback)
            else:
                assert first is not None
                _run_here(first, folder, todo, progress, callback)
        finally:
            progress.close()
    finally:
        if first is not None:
            first.close()
    made = None
    if movie is not None:
        made = assemble_mp4(folder, indices, movie, scene.fps, options.quality)
    seconds = time.perf_counter() - started
    if not quiet:
        rate = len(todo) / seconds if seconds > 0 else 0.0
        print(f"wrote {len(todo)} frames ({skipped} already there) into {folder} in {seconds:.1f} s "
              f"({rate:.2f} frames/s)" + (f"; movie {made}" if made else ""), file=sys.stderr)
    return ExportResult(out_path, len(todo), skipped, seconds, made)


def _renderer_name() -> str:
    from viewer.render.context import headless_context

    ctx = headless_context()
    try:
        return str(ctx.capabilities().renderer)
    finally:
        ctx.close()


def _run_here(renderer: SceneRenderer, folder: Path, todo: Sequence[int], progress: Progress,
              callback: Callable[[int, Path], None] | None) -> None:
    """Render in this process; PNG encoding and the write run in a thread, overlapping the next frame."""
    fmt = renderer.options.format
    lock = threading.Lock()

    def write(index: int, result: Any) -> None:
        path = folder / frame_name(index, fmt)
        data = renderer.encode(result)
        write_atomic(path, lambda tmp: Path(tmp).write_bytes(data))
        with lock:
            progress.update()
        if callback is not None:
            callback(index, path)

    pending: Future[None] | None = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        for index in todo:
            result = renderer.frame(index)
            if pending is not None:
                pending.result()  # one frame in flight: bounded memory, errors surface at once
            pending = pool.submit(write, index, result)
        if pending is not None:
            pending.result()


def _worker(scene_text: str, scene_name: str, fps: float | None, options: ExportOptions, folder: str,
            indices: list[int], queue: Any) -> None:
    """A worker process: its own headless context, renders ``indices``, reports each finished frame."""
    from viewer.scene import scene_from_text

    try:
        scene = scene_from_text(scene_text, scene_name, fps_override=fps)
        r = SceneRenderer(scene, options, indices)
        try:
            for i in indices:
                data = r.render(i)
                path = Path(folder) / frame_name(i, options.format)
                write_atomic(path, lambda tmp, d=data: Path(tmp).write_bytes(d))
                queue.put(("done", i))
        finally:
            r.close()
        queue.put(("end", None))
    except UserError as exc:
        queue.put(("error", str(exc)))
    except BaseException as exc:  # report, never hang the parent
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def _run_workers(scene: Scene, options: ExportOptions, folder: Path, todo: Sequence[int], workers: int,
                 progress: Progress, callback: Callable[[int, Path], None] | None) -> None:
    """N processes (spawned, each with its own GL context), frames dealt round-robin."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    shares = [list(todo[k::workers]) for k in range(workers)]
    procs = [ctx.Process(target=_worker, args=(scene.text, scene.name, scene.fps_override, options,
                                               str(folder), share, queue))
             for share in shares if share]
    for p in procs:
        p.start()
    ended, error = 0, None
    try:
        while ended < len(procs):
            kind, value = queue.get()
            if kind == "done":
                progress.update()
                if callback is not None:
                    callback(int(value), folder / frame_name(int(value), options.format))
            elif kind == "end":
                ended += 1
            else:
                error = value
                break
    finally:
        if error is not None:
            for p in procs:
                p.terminate()
        for p in procs:
            p.join()
    if error is not None:
        raise UserError(f"a worker failed: {error}")


def _render_chunk(scene_text: str, scene_name: str, fps: float | None, options: ExportOptions,
                  indices: list[int]) -> list[tuple[int, bytes]]:
    """A Dask task: render ``indices`` in the worker's own headless context, return the files' bytes."""
    from viewer.scene import scene_from_text

    scene = scene_from_text(scene_text, scene_name, fps_override=fps)
    r = SceneRenderer(scene, options, indices)
    try:
        return [(i, r.render(i)) for i in indices]
    finally:
        r.close()


def _run_dask(scene: Scene, options: ExportOptions, folder: Path, todo: Sequence[int], address: str,
              progress: Progress, callback: Callable[[int, Path], None] | None,
              chunk: int = 8) -> None:
    """Send chunks of frames to the Dask scheduler at ``address``; write the returned bytes here."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UserError("--dask needs Dask's distributed scheduler: pip install 'jupitershine[cluster]'") \
            from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise UserError(f"--dask {address}: no Dask scheduler answers there ({exc}); start one with "
                        "`dask scheduler` or check the address") from None
    try:
        chunks = [list(todo[k:k + chunk]) for k in range(0, len(todo), chunk)]
        futures = [client.submit(_render_chunk, scene.text, scene.name, scene.fps_override, options, c,
                                 pure=False)
                   for c in chunks]
        for fut in as_completed(futures):
            for i, data in fut.result():
                path = folder / frame_name(i, options.format)
                write_atomic(path, lambda tmp, d=data: Path(tmp).write_bytes(d))
                progress.update()
                if callback is not None:
                    callback(i, path)
    finally:
        client.close()


def assemble_mp4(folder: Path, indices: Sequence[int], movie: Path, fps: float, quality: int) -> Path:
    """Pipe the finished PNG frames, in order, to ffmpeg (H.264, yuv420p) into ``movie`` atomically."""
    import imageio.v3 as iio

    try:
        import imageio_ffmpeg
    except ImportError:
        raise UserError("MP4 output needs imageio-ffmpeg: pip install imageio-ffmpeg") from None
    missing = [i for i in indices if not (folder / frame_name(i, "png")).exists()]
    if missing:
        raise UserError(f"cannot assemble {movie}: frame {missing[0]} is missing from {folder}; "
                        "run again with --resume")
    first = iio.imread(folder / frame_name(indices[0], "png"))
    h, w = first.shape[:2]

    def write(tmp: str) -> None:
        writer = imageio_ffmpeg.write_frames(tmp, (w, h), fps=fps, codec="libx264", quality=quality,
                                             pix_fmt_out="yuv420p", macro_block_size=2,
                                             output_params=["-f", "mp4"],
                                             ffmpeg_log_level="error")
        writer.send(None)
        try:
            for i in indices:
                writer.send(np.ascontiguousarray(iio.imread(folder / frame_name(i, "png"))[:, :, :3]))
        finally:
            writer.close()

    return write_atomic(movie, write)


def iter_frames(scene: Scene, options: ExportOptions | None = None, world: Any = None
                ) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, FrameResult)`` for the selected frames, rendered in this process — for notebooks
    (``result.image`` is the 8-bit picture)."""
    from viewer.scene import frames_in

    options = options or ExportOptions()
    indices = list(frames_in(scene, options.frames))
    r = SceneRenderer(scene, options, indices, world=world)
    try:
        for i in indices:
            yield i, r.frame(i)
    finally:
        r.close()


__all__ = ["FORMATS", "ExportOptions", "ExportResult", "SceneRenderer", "assemble_mp4", "iter_frames",
           "render_sequence", "sequence_trails", "tonemap16"]
