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
        sp.kclear()
        for f in files:
            _call(f"cannot load SPICE kernels from {f}", sp.furnsh, str(f))
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


__all__ = ["NAIF_IDS", "SpiceEphemeris", "SpiceJuno", "ck_coverage", "kernel_files", "spk_coverage"]
