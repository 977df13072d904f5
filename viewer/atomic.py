"""Atomic file output, the one writer of the project: a reader never sees half a file, a failure leaves
any old file intact, and a new file gets the permissions the user's umask gives.

:func:`write_atomic` creates a temporary file in the target's folder, lets the caller fill it, flushes
it to the disk (``fsync``) and renames it over the target (``os.replace``, atomic on POSIX and Windows);
on POSIX the folder is then synced too, so the rename itself survives a crash. Every command that writes
a file (``still``, ``geometry``, ``textures generate``, ``model generate``, the caches, the download
records) goes through it.

Permissions
-----------
The temporary file is created with ``os.open(..., O_CREAT | O_EXCL, 0o666)``, exactly as ``open(path,
"w")`` creates a file, so the kernel applies the umask (and a folder's default ACL, where one is set) at
creation: with umask 022 the result is 0644, with 077 it is 0600. ``tempfile.mkstemp`` is not used
because it always creates 0600 files, and a ``chmod`` afterwards would need the umask, which POSIX only
lets a process read by changing it (``os.umask``), a race with other threads creating files.

Files that another library writes (pooch's downloads) are given the same mode with
:func:`apply_default_mode`; :func:`current_umask` reads the umask from ``/proc/self/status`` (Linux ≥ 4.7,
no side effect) and elsewhere falls back to setting and restoring it under a lock, setting 077 for the
instant in between, so a file another thread creates then is at worst more private, never less.
"""

from __future__ import annotations

import errno
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path

from viewer.errors import UserError

__all__ = ["apply_default_mode", "check_writable", "current_umask", "default_mode", "write_atomic",
           "write_bytes_atomic", "write_text_atomic"]

#: The mode a new file is requested with; the umask removes bits from it (as for ``open(path, "w")``).
NEW_FILE_MODE = 0o666

_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | getattr(os, "O_CLOEXEC", 0)
_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's file-creation mask (e.g. ``0o022``)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass  # not Linux, or a kernel older than 4.7: ask os.umask
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def default_mode() -> int:
    """Permission bits a new file gets under the current umask (``0o666 & ~umask``)."""
    return NEW_FILE_MODE & ~current_umask()


def apply_default_mode(path: str | os.PathLike[str]) -> None:
    """Give ``path`` (a file written by another library, e.g. through ``mkstemp``) :func:`default_mode`."""
    os.chmod(path, default_mode())


def _create_temp(folder: Path, prefix: str, suffix: str) -> str:
    """Create an empty new file ``folder/prefix<random>suffix`` with :data:`NEW_FILE_MODE` minus the umask."""
    for _ in range(100):
        name = os.path.join(folder, f"{prefix}{secrets.token_hex(4)}{suffix}")
        try:
            fd = os.open(name, _CREATE_FLAGS, NEW_FILE_MODE)
        except FileExistsError:
            continue
        os.close(fd)
        return name
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def _fsync_file(path: str) -> None:
    fd = os.open(path, os.O_RDWR | _BINARY)  # Windows flushes only a handle open for writing
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); a file system that refuses is left as it is."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # e.g. EINVAL on file systems without folder syncing: the data itself is synced
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _start(path: str | os.PathLike[str]) -> tuple[Path, Path, str]:
    """(target, folder, temporary file) for writing ``path``; the UserErrors of :func:`write_atomic`."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists():
            raise UserError(f"cannot write {target}: {folder} is a file, not a folder")
        raise UserError(f"cannot write {target}: the folder {folder} does not exist; create it first")
    try:
        tmp = _create_temp(folder, f".{target.name}.", ".tmp" + target.suffix)
    except OSError as exc:
        raise UserError(f"cannot write {target}: cannot create a file in the folder {folder} "
                        f"({_reason(exc)}); choose a folder you can write to") from None
    return target, folder, tmp


def check_writable(path: str | os.PathLike[str]) -> Path:
    """Raise the UserError :func:`write_atomic` would raise for ``path``'s folder, before the work that
    makes the file (a render, a table). The folder must exist, be a folder and take a new file: a
    temporary file is created there and removed, the one test that holds alike for root (whom
    permission bits do not stop), read-only mounts and special file systems such as ``/proc``.

    Returns ``path`` with ``~`` expanded. Writing can still fail later (a full disk).
    """
    target, _, tmp = _start(path)
    Path(tmp).unlink(missing_ok=True)
    return target


def write_atomic(path: str | os.PathLike[str], write: Callable[[str], object]) -> Path:
    """Call ``write(tmp_path)`` to fill a temporary file next to ``path``, then rename it to ``path``.

    The temporary name ends in ``.tmp`` plus ``path``'s own suffix, so writers that pick the format from
    the name (imageio, NumPy) see the right one. ``write`` may open the file by name (it exists, empty,
    already with the final permissions) or replace its contents in any way except deleting it.

    Returns
    -------
    Path
        ``path`` (with ``~`` expanded).

    Raises
    ------
    UserError
        One line naming the file: the folder does not exist, is a file, or a file cannot be created in
        it (permissions, a read-only or special file system such as ``/proc``), or writing fails (disk
        full, …). Any old file at ``path`` is then left as it was and no temporary file remains.
    """
    target, folder, tmp = _start(path)
    try:
        write(tmp)
        _fsync_file(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"cannot write {target}: {_reason(exc)}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    return target


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` atomically (:func:`write_atomic`)."""

    def write(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)

    return write_atomic(path, write)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text atomically (no newline translation; :func:`write_atomic`)."""

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)

    return write_atomic(path, write)
