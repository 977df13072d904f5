"""Positions and attitudes from NAIF SPICE kernels (spiceypy), behind the same protocol as the
embedded ephemeris: ``jupitershine … --kernels FILE.tm|DIR`` (docs/spice.md).

* :class:`SpiceEphemeris` — ``state(body, et)`` = ``spkezr(body, et, "J2000", "NONE", "JUPITER")``
  (geometric, jovicentric J2000, like the embedded ephemeris); ``orientation(body, et)`` =
  ``pxform("IAU_<BODY>", "J2000", et)`` (the PCK's rotation model). Its ``juno`` attribute is a
  :class:`SpiceJuno`, so :class:`~viewer.sim.world.World` takes Juno from the kernels too.
* :class:`SpiceJuno` — Juno (NAIF −61) from the SPKs and its attitude from the CKs of frame
  ``JUNO_SPACECRAFT`` (−61000; needs the FK that defines it, the SCLK and an LSK). Juno is
  available where both the SPK and the CK cover; elsewhere it is absent, with the coverage named.

Kernels: a meta-kernel (``.tm``) or any single kernel is loaded with ``furnsh``; for a folder every
kernel file in it (``.bsp .bc .tpc .bpc .tf .ti .tls .tsc``, in name order) is. SPICE's kernel pool
is global to the process: creating a :class:`SpiceEphemeris` clears it first. Every SPICE failure
(a missing or corrupt file, a meta-kernel naming absent files, a time outside the coverage)
becomes a one-line :class:`~viewer.errors.UserError`.

Each file — those given, those of a folder and those a meta-kernel names — is checked by
:func:`check_kernel` before it counts as loaded, because ``furnsh`` takes any file it cannot identify
(random bytes, a text file with no ``\\begindata``) as a text kernel holding nothing, and the set then
fails much later with SPICE's "NOLOADEDFILES", naming no file. A set with no SPK at all is refused too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from viewer.errors import UserError

F64 = NDArray[np.float64]

NAIF_IDS = {"sun": 10, "earth": 399, "jupiter": 599, "io": 501, "europa": 502, "ganymede": 503,
            "callisto": 504, "juno": -61}
JUNO_FRAME = "JUNO_SPACECRAFT"
JUNO_FRAME_ID = -61000
KERNEL_SUFFIXES = (".bsp", ".bc", ".tpc", ".bpc", ".tf", ".ti", ".tls", ".tsc")
#: At most this many coverage intervals are named in a message.
MAX_NAMED_INTERVALS = 4


def _sp() -> Any:
    import spiceypy

    return spiceypy


def _message(exc: Exception) -> str:
    short = getattr(exc, "short", "") or ""
    long = getattr(exc, "long", "") or str(exc)
    return f"{short} {long}".strip()


def _call(what: str, fn: Callable[..., Any], *args: Any) -> Any:
    from spiceypy.utils.exceptions import SpiceyError

    try:
        return fn(*args)
    except SpiceyError as exc:
        raise UserError(f"{what}: {_message(exc)}") from None


def _utc(et: float) -> str:
    from viewer.sim.timescales import et_to_utc

    return et_to_utc(et, places=0)


def _windows_text(windows: list[tuple[float, float]]) -> str:
    if not windows:
        return "nothing"
    parts = [f"{_utc(a)} to {_utc(b)}" for a, b in windows[:MAX_NAMED_INTERVALS]]
    more = len(windows) - MAX_NAMED_INTERVALS
    return "; ".join(parts) + (f" and {more} more intervals" if more > 0 else "")


#: Binary kernels' file suffixes and the ID word (first bytes) each should start with.
BINARY_IDS = {".bsp": "DAF/SPK", ".bc": "DAF/CK", ".bpc": "DAF/PCK"}
#: How much of a text kernel is searched for ``\begindata`` (bytes): far more than any real one needs.
TEXT_SEARCH_BYTES = 64 * 1024 * 1024


def _first_bytes(path: Path, n: int) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(n)
    except OSError as exc:
        raise UserError(f"cannot read the SPICE kernel {path} ({exc.strerror or exc})") from None


def _find(path: Path, needles: tuple[bytes, ...]) -> set[bytes]:
    """Which of ``needles`` occur in the first :data:`TEXT_SEARCH_BYTES` of ``path``."""
    found: set[bytes] = set()
    keep = max(len(n) for n in needles) - 1
    tail, read = b"", 0
    with path.open("rb") as f:
        while read < TEXT_SEARCH_BYTES and len(found) < len(needles):
            chunk = f.read(1 << 20)
            if not chunk:
                break
            read += len(chunk)
            window = tail + chunk
            found.update(n for n in needles if n in window)
            tail = window[-keep:]
    return found


def check_kernel(path: Path, named_in: str | None = None) -> None:
    """Refuse ``path`` unless it can be a SPICE kernel: a binary one (DAF/DAS ID word, at least its
    1024-byte file record) or a text one (no NUL bytes, a ``\\begindata`` section; a meta-kernel also a
    ``KERNELS_TO_LOAD``). ``named_in``: the meta-kernel that named the file, for the message.

    SPICE checks the rest when it loads the file; this catches what it would take silently as an empty
    text kernel.

    Raises
    ------
    UserError
        One line naming the file and what is wrong with it.
    """
    where = f"the SPICE kernel {path}" + (f" (named in {named_in})" if named_in else "")
    head = _first_bytes(path, 4096)
    word = head[:8]
    expected = BINARY_IDS.get(path.suffix.lower())
    if word[:4] in (b"DAF/", b"DAS/") or word.startswith(b"NAIF/DA"):
        size = path.stat().st_size
        if size < 1024:
            raise UserError(f"{where} is truncated: {size} bytes, less than a binary kernel's 1024-byte "
                            "file record; download it again")
        return
    if expected is not None and not head.startswith(b"KPL/"):
        raise UserError(f"{where} is not a binary SPICE kernel: a {path.suffix} file starts with "
                        f"{expected!r}, this one with {word!r}; the file is corrupt or not a kernel "
                        "(download it again)")
    if b"\0" in head or not head.strip():
        kind = "empty" if not head.strip() else "binary data without a DAF/DAS ID word"
        raise UserError(f"{where} is not a SPICE kernel ({kind}): a binary kernel starts with an ID "
                        "word such as 'DAF/SPK', a text kernel with 'KPL/' and holds a \\begindata "
                        "section")
    is_meta = head.startswith(b"KPL/MK") or path.suffix.lower() == ".tm"
    needles = (b"\\begindata", b"KERNELS_TO_LOAD")
    found = _find(path, needles)
    if needles[0] not in found:
        raise UserError(f"{where} holds no \\begindata section, so SPICE would load nothing from it: "
                        f"it is not a text kernel{' or meta-kernel' if is_meta else ''} (a text kernel "
                        "starts with 'KPL/<type>' and holds its data after \\begindata)")
    if is_meta and needles[1] not in found:
        raise UserError(f"the meta-kernel {path} names no kernels: it has no KERNELS_TO_LOAD "
                        "(docs/spice.md shows one)")


def kernel_files(path: Path) -> list[Path]:
    """The kernels to load for ``path`` (a file, or the kernel files of a folder)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in KERNEL_SUFFIXES and p.is_file())
        if not files:
            raise UserError(f"the folder {path} holds no SPICE kernels "
                            f"({' '.join(KERNEL_SUFFIXES)}); give a meta-kernel or a kernel folder")
        return files
    if not path.is_file():
        raise UserError(f"the SPICE kernel path {path} does not exist")
    return [path]


def _loaded(kind: str) -> list[str]:
    sp = _sp()
    return [sp.kdata(i, kind)[0] for i in range(sp.ktotal(kind))]


def _check_loaded(path: Path) -> None:
    """Check the kernels meta-kernels loaded (:func:`check_kernel`), and that there is an SPK."""
    sp = _sp()
    for i in range(sp.ktotal("ALL")):
        file, _kind, source, _handle = sp.kdata(i, "ALL")
        if source:
            check_kernel(Path(file), named_in=source)
    if not sp.ktotal("SPK"):
        raise UserError(f"the SPICE kernels from {path} hold no SPK (.bsp): positions need SPKs of the "
                        "Sun, the Earth, the moons and Juno (docs/spice.md lists them)")


def _cell_windows(cell: Any) -> list[tuple[float, float]]:
    sp = _sp()
    return [tuple(float(x) for x in sp.wnfetd(cell, i)) for i in range(sp.wncard(cell))]  # type: ignore[misc]


def spk_coverage(naif_id: int) -> list[tuple[float, float]]:
    """TDB intervals where the loaded SPKs hold segments for ``naif_id`` (itself, not its centre)."""
    sp = _sp()
    cell = sp.cell_double(20000)
    for f in _loaded("SPK"):
        _call(f"cannot read the SPK {f}", sp.spkcov, f, naif_id, cell)
    return _cell_windows(cell)


def ck_coverage(frame_id: int) -> list[tuple[float, float]]:
    """TDB intervals where the loaded CKs give the attitude of ``frame_id``'s instrument."""
    sp = _sp()
    cell = sp.cell_double(20000)
    for f in _loaded("CK"):
        _call(f"cannot read the CK {f} (an SCLK and an LSK kernel are needed too)", sp.ckcov,
              f, frame_id, False, "INTERVAL", 0.0, "TDB", cell)
    return _cell_windows(cell)


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi > lo:
                out.append((lo, hi))
    return sorted(out)


def _vectorised(fn: Callable[[float], F64], et: ArrayLike, shape: tuple[int, ...]) -> F64:
    e = np.asarray(et, dtype=np.float64)
    flat = np.atleast_1d(e).ravel()
    out = np.empty((flat.size, *shape))
    for i, t in enumerate(flat):
        out[i] = fn(float(t))
    return out.reshape(*e.shape, *shape)


class SpiceEphemeris:
    """The :class:`~viewer.sim.ephemeris.Ephemeris` protocol over user-supplied NAIF kernels."""

    def __init__(self, kernels: str | Path) -> None:
        sp = _sp()
        path = Path(kernels).expanduser()
        files = kernel_files(path)
        for f in files:
            check_kernel(f)
        sp.kclear()
        try:
            for f in files:
                _call(f"cannot load SPICE kernels from {f}", sp.furnsh, str(f))
            _check_loaded(path)
        except UserError:
            sp.kclear()  # leave no half-loaded set behind
            raise
        self.path = path
        self.name = f"SPICE kernels ({path})"
        self.juno = SpiceJuno()

    def _coverage_error(self, body: str, naif_id: int, et: F64, exc: UserError) -> UserError:
        windows = spk_coverage(naif_id)
        lo, hi = float(np.min(et)), float(np.max(et))
        return UserError(f"the SPICE kernels give no {body} position for {_utc(lo)}"
                         + (f" to {_utc(hi)}" if hi > lo else "")
                         + f"; {body}'s own SPK segments cover {_windows_text(windows)} ({exc})")

    def state(self, body: str, et: ArrayLike) -> tuple[F64, F64]:
        if body not in NAIF_IDS:
            raise UserError(f"unknown body {body!r}; use one of: {', '.join(NAIF_IDS)}")
        e = np.asarray(et, dtype=np.float64)
        if body == "jupiter":
            zero = np.zeros((*e.shape, 3))
            return zero, zero.copy()
        sp = _sp()
        naif = NAIF_IDS[body]
        try:
            s = _vectorised(lambda t: _call("SPICE", sp.spkezr, str(naif), t, "J2000", "NONE",
                                            "599")[0], e, (6,))
        except UserError as exc:
            raise self._coverage_error(body, naif, e, exc) from None
        return s[..., :3], s[..., 3:]

    def orientation(self, body: str, et: ArrayLike) -> F64:
        if body not in NAIF_IDS or body in ("sun", "earth", "juno"):
            raise UserError(f"no IAU body-fixed frame for {body!r} in this program")
        sp = _sp()
        frame = f"IAU_{body.upper()}"
        return _vectorised(lambda t: _call(f"no {frame} orientation from the SPICE kernels "
                                           "(a PCK is needed)", sp.pxform, frame, "J2000", t),
                           et, (3, 3))


class SpiceJuno:
    """Juno's position (SPK, NAIF −61) and attitude (CK, JUNO_SPACECRAFT) from the loaded kernels."""

    name = "SPICE kernels"

    def __init__(self) -> None:
        self.spk_windows = spk_coverage(NAIF_IDS["juno"])
        try:
            self.ck_windows = ck_coverage(JUNO_FRAME_ID)
            self.ck_problem = ""
        except UserError as exc:
            self.ck_windows, self.ck_problem = [], str(exc)
        self.windows = _intersect(self.spk_windows, self.ck_windows)

    def covers(self, et: float) -> bool:
        return any(a <= et <= b for a, b in self.windows)

    def coverage(self) -> list[tuple[float, float]]:
        return list(self.windows)

    def coverage_text(self) -> str:
        if not self.spk_windows:
            return "the SPICE kernels hold no Juno (NAIF -61) SPK data"
        if not self.ck_windows:
            return ("the SPICE kernels hold no Juno attitude (CK for JUNO_SPACECRAFT, -61000)"
                    + (f": {self.ck_problem}" if self.ck_problem else ""))
        return (f"the SPICE kernels cover Juno's position and attitude over "
                f"{_windows_text(self.windows)}")

    def _check(self, et: F64) -> None:
        flat = np.atleast_1d(et).ravel()
        bad = [float(t) for t in flat if not self.covers(float(t))]
        if bad:
            raise UserError(f"no Juno data at {_utc(bad[0])}: {self.coverage_text()}")

    def state(self, et: ArrayLike) -> tuple[F64, F64]:
        e = np.asarray(et, dtype=np.float64)
        self._check(e)
        sp = _sp()
        s = _vectorised(lambda t: _call("SPICE", sp.spkezr, "-61", t, "J2000", "NONE", "599")[0],
                        e, (6,))
        return s[..., :3], s[..., 3:]

    def orientation(self, et: ArrayLike, earth_pos: ArrayLike | None = None) -> F64:
        e = np.asarray(et, dtype=np.float64)
        self._check(e)
        sp = _sp()
        return _vectorised(lambda t: _call("SPICE", sp.pxform, JUNO_FRAME, "J2000", t), e, (3, 3))

    def spin_phase(self, et: ArrayLike) -> F64:
        from viewer.sim.juno import spin_phase_of

        return spin_phase_of(self.orientation(et))


__all__ = ["NAIF_IDS", "SpiceEphemeris", "SpiceJuno", "check_kernel", "ck_coverage", "kernel_files",
           "spk_coverage"]
