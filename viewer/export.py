"""Export: a scene's frames as PNG (8 or 16 bit), linear radiance (.npy) or an MP4 — deterministic,
resumable, in one process, in several, or on a Dask cluster.

Frame ``i`` is rendered at exactly ``scene.frame(i).et`` (:mod:`viewer.scene`) through the one renderer
call (:class:`viewer.frames.FrameMaker`), so re-rendering any frame, in any order, in any process,
gives the same bytes. Every file goes through :mod:`viewer.atomic` (a temporary name, renamed when
whole; the user's umask's permissions), so a crash, a Ctrl-C or a full disk never leaves half a frame.

Layout of an export to a folder ``OUT/``::

    OUT/manifest.json          what made the frames: scene hash, settings, frame count, renderer
    OUT/frame_000000.png       one file per frame (.png, or .npy for --format npy)

An MP4 (``--out FILE.mp4``) is **streamed in resumable segments**: frames are piped as they are
rendered to ffmpeg (imageio-ffmpeg's own binary; H.264, yuv420p), which encodes in its own process
beside the renderer, one raw H.264 segment of :data:`SEGMENT_FRAMES` frames at a time, each written
atomically into ``FILE.mp4.parts/`` (with the manifest). When every segment is there they are joined
without re-encoding into a temporary file renamed to ``FILE.mp4``. An interrupted movie resumes from its
last whole segment; no PNG is written on the way (``--out DIR`` gives frames).

``--resume`` skips frames (or segments) whose file exists (a file exists only when whole) after checking
that the manifest matches this scene, these settings and this renderer; otherwise the export is refused with
one line (``--overwrite`` starts over). Without either flag an existing export is never touched.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from viewer.atomic import check_writable, write_atomic, write_text_atomic
from viewer.errors import UserError
from viewer.scene import Scene

if TYPE_CHECKING:
    from viewer.render.renderer import Pixels

FORMATS = ("png", "png16", "npy")
#: MP4 quality (imageio-ffmpeg's 1–10 scale, 10 best; x264's constant rate factor is 51·(1 − q/10)):
#: 6 is CRF 20, visually lossless here; 8 (CRF 10) made 5× larger files for 15 % more encoder CPU.
DEFAULT_QUALITY = 6
MANIFEST = "manifest.json"
#: Frames per MP4 segment: the unit an interrupted movie resumes from (about 2 s at 30 fps).
SEGMENT_FRAMES = 64
#: x264's speed/size trade-off for segments: encoding runs beside the renderer on the same cores.
X264_PRESET = "veryfast"
#: Frames per Dask task for frame exports.
DASK_CHUNK_FRAMES = 8
FRAME_PATTERN = "frame_{:06d}.{}"
#: How the H.264 stream is tagged: the GPU conversion's BT.709 matrix, limited range, centre-sited
#: chroma (viewer.render.passes.yuv); frames it cannot pack go through ffmpeg's conversion with the
#: same matrix and range.
RGB_TO_YUV = "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,"
VIDEO_TAGS = "setparams=colorspace=bt709:color_primaries=bt709:color_trc=bt709:range=tv"


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
    detail : texture and relief below the maps' resolution (:mod:`viewer.render.detail`)
    maps : ``procedural`` or ``downloaded`` (:mod:`viewer.maps`; the command line resolves it, so every
        worker draws the same); None: the scene's ``maps`` key, else the user's setting, else procedural
    """

    size: tuple[int, int] | None = None
    format: str = "png"
    frames: str | None = None
    supersample: int = 2
    quality: int = DEFAULT_QUALITY
    look: str | None = None
    detail: bool = True
    maps: str | None = None

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise UserError(f"--format {self.format!r}: choose from {', '.join(FORMATS)}")
        if not 1 <= int(self.quality) <= 10:
            raise UserError(f"--quality {self.quality}: choose 1 (smallest) to 10 (best)")


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
        from viewer.render.looks import look_tone
        from viewer.render.passes.labels import event_marks
        from viewer.render.renderer import RenderSettings
        from viewer.sim.world import World
        from viewer.still import preset_tone

        self.scene, self.options = scene, options
        self.world = world or World()
        base = scene.base
        size = options.size or base.size
        self._default = preset_tone(base)
        tone, night = look_tone(options.look, self._default)
        settings = RenderSettings(size=size, supersample=options.supersample, tone=tone,
                                  light=frozenset(base.light), labels=base.labels, detail=options.detail)
        chosen = list(indices) if indices is not None else list(range(scene.frame_count))
        times = [scene.frame(i).et for i in chosen] or [scene.frame(0).et]
        first, last = min(times), max(times)
        span = base.trail_span if isinstance(base.trail_span, TrailSpan) else TrailSpan()
        trails = sequence_trails(self.world, [(t.body, t.frame) for t in base.trails], first, last,
                                 span.past_s, span.future_s)
        marks = event_marks(self.world, 0.5 * (first + last)) if base.labels else []
        self._tones: dict[str | None, Tone] = {None: Tone(tone, night, options.look)}
        self._paths: dict[int, Any] = {}
        from viewer.maps import BODIES, choose, downloaded_maps

        maps = downloaded_maps(BODIES) if choose(options.maps, base).name == "downloaded" else None
        self.maker = FrameMaker(self.world, settings, night=night, look=options.look, trails=trails,
                                marks=marks, context=context, maps=maps)

    @property
    def renderer_name(self) -> str:
        return self.maker.renderer_name

    def _tone(self, look: str | None) -> Any:
        from viewer.frames import Tone
        from viewer.render.looks import look_tone

        if look not in self._tones:
            tone, night = look_tone(look, self._default)
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

    def frame(self, index: int, pixels: Pixels = "rgb") -> Any:
        """Render frame ``index``: a :class:`~viewer.frames.FrameResult` (radiance included for npy
        and png16; ``pixels="yuv420p"``: the image as a video frame's planes)."""
        spec = self.scene.frame(index)
        snap = self.world.at(spec.et)
        cam = self.camera(index, snap)
        shot_look = self.scene.shots[spec.shot].look
        tone = self._tone(shot_look if shot_look is not None else self.options.look)
        linear = self.options.format in ("npy", "png16")
        return self.maker.frame(spec.et, cam, ev=spec.ev, tone=tone, linear=linear, snapshot=snap,
                                pixels=pixels)

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

    def movie_pixels(self, size: tuple[int, int]) -> Pixels:
        """How a movie's frames leave the GPU: as yuv420p planes converted there (a hardware GPU: the
        pass is free and the readback halves) or as RGB for ffmpeg to convert (a CPU rasteriser such as
        llvmpipe, where the pass cost ~5 ms a 1080p frame against ~3.5 ms in ffmpeg's SIMD code;
        bench/results/export.json), or when the size cannot be packed."""
        from viewer.render.context import is_software_renderer
        from viewer.render.passes.yuv import supports

        software = is_software_renderer(self.renderer_name)
        return "yuv420p" if supports(size) and not software else "rgb"

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


# --- files: units, manifest, resume ----------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """One file of an export: a frame (``frame_000123.png``) or an MP4 segment of consecutive frames
    (``segment_000064_000127.h264``), and the frame indices it holds."""

    name: str
    indices: tuple[int, ...]


def frame_name(index: int, fmt: str) -> str:
    return FRAME_PATTERN.format(index, "npy" if fmt == "npy" else "png")


def units_for(indices: Sequence[int], fmt: str, movie: bool) -> list[Unit]:
    """The files an export of ``indices`` consists of: one per frame, or, for a movie, one H.264 segment
    per block of :data:`SEGMENT_FRAMES` scene frames (a block is cut where the selection starts or ends)."""
    if not movie:
        return [Unit(frame_name(i, fmt), (i,)) for i in indices]
    blocks: dict[int, list[int]] = {}
    for i in indices:
        blocks.setdefault(i // SEGMENT_FRAMES, []).append(i)
    return [Unit(f"segment_{b[0]:06d}_{b[-1]:06d}.h264", tuple(b)) for b in blocks.values()]


def manifest_for(scene: Scene, options: ExportOptions, renderer: str,
                 indices: Sequence[int], movie: bool) -> dict[str, Any]:
    """What must match for files to be mixed: the scene's bytes, the settings, the renderer."""
    from viewer import __version__

    settings = {**asdict(options), "size": list(options.size or scene.base.size), "fps": scene.fps,
                "frames": None, "movie": movie}
    if not movie:
        settings["quality"] = None  # frames do not depend on the MP4 quality
    return {"jupitershine": __version__, "scene": scene.base.name, "scene_sha256": scene.digest,
            "settings": settings, "frame_count": scene.frame_count, "renderer": renderer,
            "segment_frames": SEGMENT_FRAMES if movie else None,
            "selection": [indices[0], indices[-1] + 1] if indices else [0, 0]}


def _comparable(m: dict[str, Any]) -> dict[str, Any]:
    return {k: m.get(k) for k in ("scene_sha256", "settings", "frame_count", "renderer", "segment_frames")}


def _ours(name: str) -> bool:
    return name == MANIFEST or (name.startswith(("frame_", "segment_"))
                                and name.endswith((".png", ".npy", ".h264")))


def prepare_folder(folder: Path, manifest: dict[str, Any], resume: bool, overwrite: bool) -> None:
    """Make ``folder`` ready: new, resumed (matching manifest) or cleared (``overwrite``); refuse
    anything else with one line naming the fix."""
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is a file, not a folder; give --out a folder (or FILE.mp4)")
    old_path = folder / MANIFEST
    if folder.is_dir() and any(folder.iterdir()):
        if overwrite:
            for p in folder.iterdir():
                if _ours(p.name):
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
                raise UserError(f"cannot resume into {folder}: its files come from another "
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
    """A tqdm bar on a terminal (frames/s, time left), plain lines every ~5 % otherwise."""

    def __init__(self, total: int, done: int, label: str, quiet: bool = False) -> None:
        self.total, self.done, self.label, self.quiet = total, done, label, quiet
        self.start = time.perf_counter()
        self.bar: Any = None
        self._next = 0
        self._lock = threading.Lock()
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=done, unit="frame", desc=label, file=sys.stderr)

    def update(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            if self.bar is not None:
                self.bar.update(n)
            elif not self.quiet and (self.done >= self._next or self.done == self.total):
                rate = self.done / max(time.perf_counter() - self.start, 1e-9)
                print(f"{self.label}: {self.done}/{self.total} frames ({rate:.1f} frames/s)",
                      file=sys.stderr)
                self._next = self.done + max(1, self.total // 20)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# --- writing units --------------------------------------------------------------------------------------

def encode_segment(path: str, images: Iterator[npt.NDArray[np.uint8]], size: tuple[int, int], fps: float,
                   quality: int, pix_fmt: str = "rgb24") -> None:
    """Encode ``images`` (in order: 8-bit RGB (H, W, 3) with ``pix_fmt="rgb24"``, or yuv420p planes
    (3H/2, W) with ``"yuv420p"``) as a raw H.264 stream (yuv420p, BT.709 limited range, starting with
    its own key frame) into ``path``, through imageio-ffmpeg's own ffmpeg. Deterministic: the same
    frames give the same bytes (x264 without its non-deterministic option).

    A feeder thread owns the pipe to ffmpeg, so drawing the next image (``images`` is usually a
    generator that renders) overlaps both the pipe write of this one and ffmpeg's encoding: measured
    at 1920x1080, the pipe write in the drawing thread held the whole export to one busy core."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise UserError("MP4 output needs imageio-ffmpeg: pip install imageio-ffmpeg") from None
    frames: queue.Queue[npt.NDArray[np.uint8] | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def feed() -> None:
        try:
            convert = "" if pix_fmt == "yuv420p" else RGB_TO_YUV
            writer = imageio_ffmpeg.write_frames(path, size, fps=fps, codec="libx264", quality=quality,
                                                 pix_fmt_in=pix_fmt, pix_fmt_out="yuv420p",
                                                 macro_block_size=2,
                                                 output_params=["-vf", convert + VIDEO_TAGS, "-preset",
                                                                X264_PRESET, "-bf", "0",
                                                                "-chroma_sample_location", "center",
                                                                "-f", "h264"],
                                                 ffmpeg_log_level="error")
            writer.send(None)
            try:
                while (image := frames.get()) is not None:
                    writer.send(image)
            finally:
                writer.close()
        except BaseException as exc:  # handed to the drawing thread below
            failed.append(exc)
            while frames.get() is not None:  # let the drawing thread finish putting
                pass

    feeder = threading.Thread(target=feed, name="ffmpeg-feed", daemon=True)
    feeder.start()
    try:
        for image in images:
            if failed:
                break
            frames.put(np.ascontiguousarray(image if pix_fmt == "yuv420p" else image[:, :, :3]))
    finally:
        frames.put(None)
        feeder.join()
    if failed:
        raise failed[0]


def write_unit(r: SceneRenderer, unit: Unit, folder: Path, movie: bool,
               on_frame: Callable[[int], None] = lambda i: None) -> Path:
    """Render ``unit`` with ``r`` and write its file atomically into ``folder``."""
    path = folder / unit.name
    if not movie:
        data = r.render(unit.indices[0])
        write_atomic(path, lambda tmp: Path(tmp).write_bytes(data))
        on_frame(unit.indices[0])
        return path

    w, h = r.options.size or r.scene.base.size
    pixels = r.movie_pixels((w, h))

    def images() -> Iterator[npt.NDArray[np.uint8]]:
        for i in unit.indices:
            yield r.frame(i, pixels).image
            on_frame(i)

    pix_fmt = "yuv420p" if pixels == "yuv420p" else "rgb24"
    write_atomic(path, lambda tmp: encode_segment(tmp, images(), (w, h), r.scene.fps, r.options.quality,
                                                  pix_fmt))
    return path


def unit_bytes(r: SceneRenderer, unit: Unit, movie: bool) -> bytes:
    """Render ``unit`` and return its file's bytes (what a Dask task sends back)."""
    import tempfile

    if not movie:
        return r.render(unit.indices[0])
    with tempfile.TemporaryDirectory() as tmp:
        return write_unit(r, unit, Path(tmp), movie).read_bytes()


# --- running an export ---------------------------------------------------------------------------------

def _work_folder(out: Path) -> tuple[Path, Path | None]:
    """(folder for the files, movie path or None) for an ``--out`` value."""
    if out.suffix.lower() == ".mp4":
        return out.with_name(out.name + ".parts"), out
    if out.suffix:
        raise UserError(f"--out {out}: give a folder for frames or a name ending in .mp4")
    return out, None


def render_sequence(scene: Scene, out: str | os.PathLike[str], options: ExportOptions | None = None, *,
                    resume: bool = False, overwrite: bool = False, workers: int = 1,
                    dask: str | None = None, world: Any = None, quiet: bool = False,
                    callback: Callable[[int, Path], None] | None = None,
                    on_start: Callable[[], None] | None = None) -> ExportResult:
    """Render ``scene``'s frames into ``out`` (a folder, or ``FILE.mp4``); see the module docstring.

    ``workers``: processes, each with its own headless context; ``dask``: the address of a Dask
    scheduler (``tcp://host:8786``) whose workers render chunks and return the bytes; ``callback``
    is called with (frame index, file) as each frame is rendered (for a movie, the file is its segment,
    complete only when the segment is); ``on_start`` once every input has been checked, before the first
    frame (the command line's status line).
    """
    options = options or ExportOptions()
    out_path = Path(out).expanduser()
    folder, movie = _work_folder(out_path)
    if movie is not None:
        if options.format != "png":
            raise UserError(f"--out {out_path}: a movie is made from the 8-bit pictures; drop --format "
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
    units = units_for(indices, options.format, movie is not None)
    started = time.perf_counter()
    here = workers == 1 and dask is None
    first = SceneRenderer(scene, options, indices, world=world) if here else None
    renderer_name = first.renderer_name if first is not None else _renderer_name()
    try:
        prepare_folder(folder, manifest_for(scene, options, renderer_name, indices, movie is not None),
                       resume, overwrite)
        if on_start is not None:
            on_start()
        todo = [u for u in units if not (folder / u.name).exists()]
        rendered = sum(len(u.indices) for u in todo)
        progress = Progress(len(indices), len(indices) - rendered, f"{scene.base.name} → {out_path}", quiet)

        def landed(i: int, path: Path) -> None:
            progress.update()
            if callback is not None:
                callback(i, path)

        try:
            if dask is not None:
                _run_dask(scene, options, folder, todo, movie is not None, dask, landed)
            elif workers > 1:
                _run_workers(scene, options, folder, todo, movie is not None, workers, landed)
            else:
                assert first is not None
                _run_here(first, folder, todo, movie is not None, landed)
        finally:
            progress.close()
    finally:
        if first is not None:
            first.close()
    made = assemble_mp4(folder, units, movie, scene.fps) if movie is not None else None
    seconds = time.perf_counter() - started
    if not quiet:
        rate = rendered / seconds if seconds > 0 else 0.0
        print(f"rendered {rendered} frames ({len(indices) - rendered} already there) in {seconds:.1f} s "
              f"({rate:.2f} frames/s): " + (f"{made}" if made else f"{folder}"), file=sys.stderr)
    return ExportResult(out_path, rendered, len(indices) - rendered, seconds, made)


def _renderer_name() -> str:
    from viewer.render.context import headless_context

    ctx = headless_context()
    try:
        return str(ctx.capabilities().renderer)
    finally:
        ctx.close()


def _run_here(r: SceneRenderer, folder: Path, todo: Sequence[Unit], movie: bool,
              landed: Callable[[int, Path], None]) -> None:
    """Render in this process. Frames: PNG encoding and the write run in a thread while the next frame
    renders. Movies: ffmpeg encodes in its own process while the next frame renders."""
    if movie:
        for unit in todo:
            path = folder / unit.name

            def segment_frame(i: int, p: Path = path) -> None:
                landed(i, p)

            write_unit(r, unit, folder, True, segment_frame)
        return

    def write(index: int, result: Any) -> None:
        path = folder / frame_name(index, r.options.format)
        data = r.encode(result)
        write_atomic(path, lambda tmp: Path(tmp).write_bytes(data))
        landed(index, path)

    pending: Future[None] | None = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        for unit in todo:
            result = r.frame(unit.indices[0])
            if pending is not None:
                pending.result()  # one frame in flight: bounded memory, errors surface at once
            pending = pool.submit(write, unit.indices[0], result)
        if pending is not None:
            pending.result()


def _worker(scene_text: str, scene_name: str, fps: float | None, options: ExportOptions, folder: str,
            units: list[Unit], movie: bool, queue: Any) -> None:
    """A worker process: its own headless context, writes ``units``, reports each rendered frame."""
    from viewer.scene import scene_from_text

    try:
        scene = scene_from_text(scene_text, scene_name, fps_override=fps)
        r = SceneRenderer(scene, options, [i for u in units for i in u.indices])
        try:
            for unit in units:
                def report(i: int, n: str = unit.name) -> None:
                    queue.put(("done", (i, n)))

                write_unit(r, unit, Path(folder), movie, report)
        finally:
            r.close()
        queue.put(("end", None))
    except UserError as exc:
        queue.put(("error", str(exc)))
    except BaseException as exc:  # report, never hang the parent
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def _run_workers(scene: Scene, options: ExportOptions, folder: Path, todo: Sequence[Unit], movie: bool,
                 workers: int, landed: Callable[[int, Path], None]) -> None:
    """N processes (spawned, each with its own GL context), units dealt round-robin."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    shares = [list(todo[k::workers]) for k in range(workers)]
    procs = [ctx.Process(target=_worker, args=(scene.text, scene.name, scene.fps_override, options,
                                               str(folder), share, movie, queue))
             for share in shares if share]
    for p in procs:
        p.start()
    ended, error = 0, None
    try:
        while ended < len(procs):
            kind, value = queue.get()
            if kind == "done":
                landed(int(value[0]), folder / value[1])
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
        queue.close()
    if error is not None:
        raise UserError(f"a worker failed: {error}")


def _render_units(scene_text: str, scene_name: str, fps: float | None, options: ExportOptions,
                  units: list[Unit], movie: bool) -> list[tuple[str, bytes]]:
    """A Dask task: render ``units`` in the worker's own headless context, return the files' bytes."""
    from viewer.scene import scene_from_text

    scene = scene_from_text(scene_text, scene_name, fps_override=fps)
    r = SceneRenderer(scene, options, [i for u in units for i in u.indices])
    try:
        return [(u.name, unit_bytes(r, u, movie)) for u in units]
    finally:
        r.close()


def _run_dask(scene: Scene, options: ExportOptions, folder: Path, todo: Sequence[Unit], movie: bool,
              address: str, landed: Callable[[int, Path], None]) -> None:
    """Send chunks of units (8 frames, or one segment) to the Dask scheduler at ``address``; write the
    returned bytes here."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UserError("--dask needs Dask's distributed scheduler: pip install 'jupitershine[cluster]'") \
            from None
    try:
        client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise UserError(f"--dask {address}: no Dask scheduler answers there ({exc}); start one with "
                        "`dask scheduler` or check the address") from None
    step = 1 if movie else DASK_CHUNK_FRAMES
    by_name = {u.name: u for u in todo}
    try:
        chunks = [list(todo[k:k + step]) for k in range(0, len(todo), step)]
        futures = [client.submit(_render_units, scene.text, scene.name, scene.fps_override, options, c,
                                 movie, pure=False) for c in chunks]
        for fut in as_completed(futures):  # type: ignore[no-untyped-call]
            for name, data in fut.result():
                path = folder / name
                write_atomic(path, partial(_write_bytes, data=data))
                for i in by_name[name].indices:
                    landed(i, path)
    finally:
        client.close()  # type: ignore[no-untyped-call]


def _write_bytes(tmp: str, data: bytes) -> None:
    Path(tmp).write_bytes(data)


def assemble_mp4(folder: Path, units: Sequence[Unit], movie: Path, fps: float) -> Path:
    """Join the finished H.264 segments, in order, into ``movie`` (an MP4 container, no re-encoding:
    ``ffmpeg -f h264 -framerate FPS -i - -c copy``), atomically."""
    import subprocess

    import imageio_ffmpeg

    missing = [u for u in units if not (folder / u.name).exists()]
    if missing:
        raise UserError(f"cannot assemble {movie}: {missing[0].name} is missing from {folder}; run again "
                        "with --resume")

    def write(tmp: str) -> None:
        cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "h264",
               "-framerate", repr(float(fps)), "-i", "-", "-c", "copy", "-movflags", "+faststart",
               "-f", "mp4", tmp]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdin is not None and proc.stderr is not None
        try:
            for u in units:
                proc.stdin.write((folder / u.name).read_bytes())
        finally:
            proc.stdin.close()
            err = proc.stderr.read().decode(errors="replace").strip()
            proc.stderr.close()
            code = proc.wait()
        if code != 0:
            raise UserError(f"ffmpeg could not join the segments into {movie}: "
                            f"{err.splitlines()[-1] if err else code}")

    return write_atomic(movie, write)


def iter_frames(scene: Scene, options: ExportOptions | None = None, world: Any = None,
                context: Any = None) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, FrameResult)`` for the selected frames, rendered in this process — for notebooks
    (``result.image`` is the 8-bit picture). ``context``: a GLContext to draw in (e.g. a window's;
    default a headless one of its own)."""
    from viewer.scene import frames_in

    options = options or ExportOptions()
    indices = list(frames_in(scene, options.frames))
    r = SceneRenderer(scene, options, indices, world=world, context=context)
    try:
        for i in indices:
            yield i, r.frame(i)
    finally:
        r.close()


__all__ = ["FORMATS", "ExportOptions", "ExportResult", "SceneRenderer", "Unit", "assemble_mp4",
           "encode_segment", "iter_frames", "render_sequence", "sequence_trails", "tonemap16", "units_for"]
