"""viewer.atomic, the project's one file writer: permissions from the umask, atomic replacement, one-line
errors — and every command that writes a file goes through it."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from viewer import atomic
from viewer.atomic import write_atomic, write_bytes_atomic, write_text_atomic
from viewer.cli import main
from viewer.errors import UserError

UMASKS = [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)]


@pytest.fixture(params=UMASKS, ids=[f"umask{u:03o}" for u, _ in UMASKS])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """Run the test under a umask; yields the file mode a new file must get."""
    mask, mode = request.param
    old = os.umask(mask)
    try:
        yield mode
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _only(folder: Path) -> list[str]:
    """Every name in ``folder`` (a temporary file left behind would show here)."""
    return sorted(p.name for p in folder.iterdir())


# --- the writer ----------------------------------------------------------------------------------

def test_umask_is_read_without_changing_it() -> None:
    old = os.umask(0o027)
    try:
        assert atomic.current_umask() == 0o027
        assert atomic.default_mode() == 0o640
        assert os.umask(0o027) == 0o027  # still set
    finally:
        os.umask(old)


def test_umask_fallback_without_proc(monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = open

    def no_proc(file: object, *args: object, **kwargs: object) -> object:
        if str(file).startswith("/proc/"):
            raise FileNotFoundError(2, "No such file or directory", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", no_proc)
    old = os.umask(0o037)
    try:
        assert atomic.current_umask() == 0o037
        assert os.umask(0o037) == 0o037  # restored after the probe
    finally:
        os.umask(old)


@pytest.mark.parametrize("writer", ["text", "bytes", "callable"])
def test_new_files_get_the_umask_permissions(writer: str, umask: int, tmp_path: Path) -> None:
    path = tmp_path / "out.dat"
    if writer == "text":
        write_text_atomic(path, "a\n")
    elif writer == "bytes":
        write_bytes_atomic(path, b"a\n")
    else:
        write_atomic(path, lambda tmp: Path(tmp).write_bytes(b"a\n"))
    assert path.read_bytes() == b"a\n"
    assert _mode(path) == umask
    assert _only(tmp_path) == ["out.dat"]


def test_replaces_atomically_and_a_failure_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    write_text_atomic(path, "old")

    def fail(tmp: str) -> None:
        Path(tmp).write_text("half")
        raise RuntimeError("writer failed")

    with pytest.raises(RuntimeError):
        write_atomic(path, fail)
    assert path.read_text() == "old" and _only(tmp_path) == ["t.txt"]

    def disk_full(tmp: str) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(UserError, match="No space left on device"):
        write_atomic(path, disk_full)
    assert path.read_text() == "old" and _only(tmp_path) == ["t.txt"]


def test_the_temporary_file_keeps_the_suffix_and_is_fsynced(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    seen: list[str] = []
    write_atomic(tmp_path / "a.png", lambda tmp: (seen.append(tmp), Path(tmp).write_bytes(b"x")))
    assert seen[0].endswith(".tmp.png") and Path(seen[0]).parent == tmp_path
    assert len(synced) >= 1  # the file (and, on POSIX, the folder)


def test_concurrent_writers_never_share_a_temporary_file(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            for _ in range(20):
                write_text_atomic(tmp_path / "same.txt", f"{i}\n" * 1000)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    text = (tmp_path / "same.txt").read_text()
    assert len(set(text.split())) == 1 and _only(tmp_path) == ["same.txt"]  # one whole file


@pytest.mark.parametrize(("where", "needle"), [
    ("/proc/a.png", "cannot create a file in the folder /proc"),
    ("MISSING/a.png", "does not exist"),
    ("AFILE/a.png", "is a file, not a folder"),
])
def test_unwritable_places_are_one_line_errors(where: str, needle: str, tmp_path: Path) -> None:
    if where.startswith("/proc") and not Path("/proc/self").is_dir():
        pytest.skip("no /proc on this system")
    (tmp_path / "AFILE").write_text("")
    target = where.replace("MISSING", str(tmp_path / "missing")).replace("AFILE", str(tmp_path / "AFILE"))
    with pytest.raises(UserError) as exc:
        write_text_atomic(target, "x")
    assert needle in str(exc.value) and "\n" not in str(exc.value) and target in str(exc.value)


def test_a_folder_that_refuses_new_files_is_a_one_line_error(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only or immutable folder answers (EACCES/EROFS/EPERM), even where the tests run as
    root, who may write anywhere."""
    real_open = os.open

    def refuse(path: str, flags: int, mode: int = 0o777, **kwargs: object) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, mode, **kwargs)  # type: ignore[arg-type]

    (tmp_path / "old.csv").write_text("old")
    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(UserError) as exc:
        write_text_atomic(tmp_path / "old.csv", "new")
    assert str(exc.value) == (f"cannot write {tmp_path / 'old.csv'}: cannot create a file in the folder "
                              f"{tmp_path} (Permission denied); choose a folder you can write to")
    monkeypatch.undo()
    assert (tmp_path / "old.csv").read_text() == "old" and _only(tmp_path) == ["old.csv"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions that apply (not root)")
def test_read_only_folder_is_a_one_line_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UserError, match="Permission denied"):
            write_text_atomic(folder / "x.csv", "x")
    finally:
        folder.chmod(0o700)


# --- every command that writes -------------------------------------------------------------------

def test_still_png_and_npy(umask: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import viewer.still

    image = np.zeros((24, 32, 3), np.uint8)
    fake = viewer.still.Still(image=image, linear=np.zeros((24, 32, 3), np.float32), ev=0.0,
                              time_utc="2023-12-30T08:36:00.836", camera="test", renderer="none")
    monkeypatch.setattr(viewer.still, "make_still", lambda *a, **k: fake)
    png, npy = tmp_path / "s.png", tmp_path / "s.npy"
    assert main(["still", "--size", "32x24", "--out", str(png), "--linear", str(npy)]) == 0
    assert _mode(png) == umask and _mode(npy) == umask
    assert np.load(npy).shape == (24, 32, 3)
    assert _only(tmp_path) == ["s.npy", "s.png"]


def test_geometry_csv(umask: int, tmp_path: Path) -> None:
    out = tmp_path / "g.csv"
    assert main(["geometry", "--start", "2023-12-30T08:36", "--end", "2023-12-30T08:36:01",
                 "--out", str(out)]) == 0
    assert _mode(out) == umask and _only(tmp_path) == ["g.csv"]


def test_textures_generate(umask: int, tmp_path: Path) -> None:
    assert main(["textures", "generate", "--size", "32x16", "--only", "io,io_hotspots",
                 "--out", str(tmp_path), "--jobs", "1", "--quiet"]) == 0
    assert _only(tmp_path) == ["io.png", "io_hotspots.png"]
    assert {_mode(p) for p in tmp_path.iterdir()} == {umask}


def test_model_generate(umask: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from viewer.procedural import juno_model

    monkeypatch.setattr(juno_model, "glb_bytes", lambda: b"glTF")  # the bytes are tested elsewhere
    monkeypatch.setattr(juno_model, "summary", lambda: {"triangles": 0})
    out = tmp_path / "m.glb"
    assert main(["model", "generate", "--out", str(out), "--json"]) == 0
    assert out.read_bytes() == b"glTF" and _mode(out) == umask and _only(tmp_path) == ["m.glb"]


def test_star_cache(umask: int, tmp_path: Path) -> None:
    from viewer.render import stars

    path = tmp_path / "c.npz"
    stars._write_atomic(path, {"a": np.arange(3)})
    assert _mode(path) == umask
    with np.load(path) as data:
        assert list(data["a"]) == [0, 1, 2]


def test_no_writer_bypasses_the_atomic_writer() -> None:
    """No module but viewer/atomic.py creates temporary files or renames over targets itself."""
    root = Path(__file__).resolve().parents[2] / "viewer"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "atomic.py":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("mkstemp", "NamedTemporaryFile", "os.replace(", ".replace(path)", "os.chmod("):
            if needle in text:
                offenders.append(f"{path.relative_to(root)}: {needle}")
    assert not offenders
