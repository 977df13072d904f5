"""Export (viewer.export, `jupitershine render`): identical bytes in any order and any process (1 worker,
2 workers, a Dask LocalCluster of 2), resume after a real SIGKILL and after a full disk, MP4 frame count,
size and duration read back, manifests that refuse to mix scenes, one-line errors."""

from __future__ import annotations

import errno
import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from viewer.errors import UserError
from viewer.export import ExportOptions, render_sequence
from viewer.scene import scene_from_text

pytestmark = pytest.mark.gl

SCENE = '''name = "tiny"
time = "2023-12-30T08:36:00.836"
camera = "look:juno:io"
fov_deg = 40
size = [64, 48]
fps = 10
trails = ["juno:io"]
trail_span = "5min:0s"

[[shots]]
start = "2023-12-30T08:35:00.836"
end = "2023-12-30T08:35:01.636"
rate = 1
follow = "juno"
aim = "io"
[[shots.keys]]
frame = 0
camera = "orbit:juno:0:0:0.05"
[[shots.keys]]
frame = 7
camera = "orbit:juno:30:60:0.08"

[[shots]]
start = "2023-12-30T08:36:00.836"
end = "2023-12-30T08:36:10.836"
rate = 20
look = "junocam"
'''


@pytest.fixture(scope="module")
def scene(world):
    return scene_from_text(SCENE, "scene file tiny.toml", world)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith("frame_")}


@pytest.fixture(scope="module")
def reference(scene, world, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("ref") / "frames"
    result = render_sequence(scene, out, world=world, quiet=True)
    assert result.written == scene.frame_count == 13
    return _files(out)


def test_rerender_in_another_order_gives_the_same_bytes(scene, world, reference, tmp_path) -> None:
    out = tmp_path / "frames"
    render_sequence(scene, out, ExportOptions(frames="8:"), world=world, quiet=True)
    render_sequence(scene, out, ExportOptions(frames="0:8"), world=world, quiet=True, resume=True)
    assert _files(out) == reference
    frames = [np.frombuffer(b, np.uint8) for b in reference.values()]
    assert len({f.tobytes() for f in frames}) > 10  # the frames differ: the scene moves


def test_two_workers_give_the_same_bytes(scene, reference, tmp_path) -> None:
    out = tmp_path / "w2"
    result = render_sequence(scene, out, workers=2, quiet=True)
    assert result.written == 13 and _files(out) == reference


def test_dask_local_cluster_gives_the_same_bytes(scene, reference, tmp_path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "dask"
        render_sequence(scene, out, dask=cluster.scheduler_address, quiet=True)
    assert _files(out) == reference


def test_dask_address_nobody_answers_is_one_line(scene, tmp_path) -> None:
    pytest.importorskip("distributed")
    with pytest.raises(UserError, match="no Dask scheduler answers"):
        render_sequence(scene, tmp_path / "x", dask="tcp://127.0.0.1:9", quiet=True)


def test_sigkill_then_resume_gives_the_same_files(reference, tmp_path) -> None:
    scene_file = tmp_path / "tiny.toml"
    scene_file.write_text(SCENE)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "viewer", "render", str(scene_file), "--out", str(out), "--quiet"]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("frame_*.png"))) < 4:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(out.glob("frame_*.png")))
    assert 0 < done < 13, f"the kill came too late to test resuming ({done} frames)"
    resumed = subprocess.run([*cmd, "--resume"], cwd=tmp_path, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert _files(out) == reference  # a killed write never leaves a frame: the set is identical


def test_full_disk_leaves_no_partial_frame_and_resumes(scene, world, reference, tmp_path,
                                                       monkeypatch) -> None:
    import viewer.export as export

    real = export.write_atomic
    calls = {"n": 0}

    def filling(path, write):
        calls["n"] += 1
        if calls["n"] > 5 and Path(path).name.startswith("frame_"):
            def full(tmp):
                Path(tmp).write_bytes(b"\x89PNG half")  # part of a frame, then the disk is full
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(path, full)
        return real(path, write)

    monkeypatch.setattr(export, "write_atomic", filling)
    out = tmp_path / "full"
    with pytest.raises(UserError, match="No space left on device"):
        render_sequence(scene, out, world=world, quiet=True)
    names = sorted(p.name for p in out.iterdir())
    assert all(n == "manifest.json" or n.startswith("frame_") for n in names)  # no temporary file
    written = _files(out)
    assert 0 < len(written) < 13 and all(reference[n] == b for n, b in written.items())
    monkeypatch.setattr(export, "write_atomic", real)
    render_sequence(scene, out, world=world, quiet=True, resume=True)
    assert _files(out) == reference


# imageio's ffmpeg reader leaves its pipe to ffmpeg for the garbage collector (ResourceWarning); the
# writer the export uses closes its own.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_mp4_has_the_right_frames_size_and_duration(scene, world, tmp_path) -> None:
    import imageio

    movie = tmp_path / "tiny.mp4"
    result = render_sequence(scene, movie, world=world, quiet=True)
    assert result.movie == movie and movie.stat().st_size > 0
    with imageio.get_reader(movie) as reader:
        meta = reader.get_meta_data()
        count = sum(1 for _ in reader)
    del reader
    gc.collect()  # collect the reader's pipes here, under this test's filter
    assert meta["size"] == (64, 48) and meta["fps"] == pytest.approx(10.0)
    assert count == 13
    assert meta["duration"] == pytest.approx(1.3, abs=0.05)
    assert oct(movie.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_png16_and_npy_formats(scene, world, reference, tmp_path) -> None:
    import imageio.v3 as iio

    render_sequence(scene, tmp_path / "p16", ExportOptions(format="png16", frames="0:2"), world=world,
                    quiet=True)
    render_sequence(scene, tmp_path / "npy", ExportOptions(format="npy", frames="0:2"), world=world,
                    quiet=True)
    import png

    data = (tmp_path / "p16" / "frame_000000.png").read_bytes()
    w, h, rows, info = png.Reader(bytes=data).asDirect()
    assert info["bitdepth"] == 16 and not info["greyscale"]
    img16 = np.vstack([np.asarray(r, dtype=np.uint16) for r in rows]).reshape(h, w, 3)
    assert img16.dtype == np.uint16 and img16.shape == (48, 64, 3)
    radiance = np.load(tmp_path / "npy" / "frame_000001.npy")
    assert radiance.dtype == np.float32 and radiance.shape == (48, 64, 3) and radiance.max() > 0
    # The 16-bit frame is the 8-bit one at finer steps (same exposure and curve).
    ref8 = iio.imread(reference["frame_000000.png"])
    assert np.max(np.abs(img16.astype(float) / 257.0 - ref8.astype(float))) <= 1.5


def test_manifests_refuse_to_mix(scene, world, tmp_path) -> None:
    out = tmp_path / "m"
    render_sequence(scene, out, ExportOptions(frames="0:1"), world=world, quiet=True)
    with pytest.raises(UserError, match="already holds an export"):
        render_sequence(scene, out, world=world, quiet=True)
    other = scene_from_text(SCENE.replace("fov_deg = 40", "fov_deg = 41"), "scene file b.toml", world)
    with pytest.raises(UserError, match="another scene file"):
        render_sequence(other, out, world=world, quiet=True, resume=True)
    with pytest.raises(UserError, match="another settings"):
        render_sequence(scene, out, ExportOptions(size=(32, 24)), world=world, quiet=True, resume=True)
    render_sequence(other, out, ExportOptions(frames="0:1"), world=world, quiet=True, overwrite=True)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="not empty"):
        render_sequence(scene, tmp_path / "busy", world=world, quiet=True)


@pytest.mark.parametrize(("argv", "fragment"), [
    (["render"], "give a scene file or --preset"),
    (["render", "x.txt"], "ends in .toml"),
    (["render", "--preset", "nope"], "unknown scene or preset"),
    (["render", "--preset", "i57", "--out", "/proc/x"], "cannot create /proc/x"),
    (["render", "--preset", "i57", "--out", "a.gif"], "a folder for frames or a name ending in .mp4"),
    (["render", "--preset", "i57", "--size", "63x48", "--out", "m.mp4"], "even sides"),
    (["render", "--preset", "i57", "--frames", "5:9"], "selects no frame"),
    (["render", "--preset", "i57", "--fps", "0"], "frames per second"),
    (["render", "--preset", "i57", "--workers", "0"], "at least 1"),
    (["render", "--preset", "i57", "--resume", "--overwrite"], "not both"),
])
def test_bad_input_is_one_line(argv, fragment, capsys, tmp_path, monkeypatch) -> None:
    from viewer.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert fragment in err and len(err.splitlines()) == 1


@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_movie_resumes_from_its_last_whole_segment(scene, world, tmp_path, monkeypatch) -> None:
    """A movie in 4-frame segments: the disk fills while the third segment is written; --resume encodes
    only the missing segments and the joined movie is byte-identical to an uninterrupted one."""
    import imageio_ffmpeg

    import viewer.export as export

    monkeypatch.setattr(export, "SEGMENT_FRAMES", 4)
    whole = tmp_path / "whole.mp4"
    render_sequence(scene, whole, world=world, quiet=True)
    real = export.write_atomic
    calls = {"n": 0}

    def filling(path, write):
        if Path(path).name.startswith("segment_"):
            calls["n"] += 1
            if calls["n"] == 3:
                def full(tmp):
                    write(tmp)
                    raise OSError(errno.ENOSPC, "No space left on device")
                return real(path, full)
        return real(path, write)

    monkeypatch.setattr(export, "write_atomic", filling)
    movie = tmp_path / "cut.mp4"
    with pytest.raises(UserError, match="No space left on device"):
        render_sequence(scene, movie, world=world, quiet=True)
    parts = sorted(p.name for p in (tmp_path / "cut.mp4.parts").iterdir())
    assert parts == ["manifest.json", "segment_000000_000003.h264", "segment_000004_000007.h264"]
    assert not movie.exists()
    result = render_sequence(scene, movie, world=world, quiet=True, resume=True)
    assert (result.written, result.skipped) == (5, 8)
    assert movie.read_bytes() == whole.read_bytes()
    assert imageio_ffmpeg.count_frames_and_secs(str(movie)) == (13, pytest.approx(1.3))


def test_movie_segments_from_two_workers_are_the_same_movie(scene, world, tmp_path, monkeypatch) -> None:
    import viewer.export as export

    monkeypatch.setattr(export, "SEGMENT_FRAMES", 4)  # units are cut here and sent to the workers
    one = render_sequence(scene, tmp_path / "one.mp4", world=world, quiet=True)
    two = render_sequence(scene, tmp_path / "two.mp4", workers=2, quiet=True)
    assert one.movie is not None and two.movie is not None
    assert one.movie.read_bytes() == two.movie.read_bytes()
