"""The numbers on screen (HUD) and the frame-rate statistics, without Qt.

The HUD shows what ``jupitershine info`` prints for the frame's instant — the document of
:func:`viewer.report.info_dict`, not a second computation — in the same formats as
:func:`viewer.report.info_text`: UTC, Juno's altitude above Io and above Jupiter (km, above the IAU
ellipsoids, to the nearest point), its range to Io's centre (km) and speed relative to Io (km/s), the
sub-spacecraft point on Io (SPICE's "Intercept/Ellipsoid" point, as in the Juno team's tables:
planetocentric latitude, west longitude, degrees), the solar phase angle at Io (Sun–Io–Juno,
degrees) and Jupitershine over sunlight at Io (p·Φ(α)·(R/d)²) — plus the clock's rate and the frames
per second.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from typing import Any

import numpy as np


def clock_text(rate: float, playing: bool) -> str:
    """``"▶ 10x"``, ``"◀ 1000x"`` (backwards) or ``"paused (10x)"``."""
    speed = f"{abs(rate):g}x"
    if not playing:
        return f"paused ({'-' if rate < 0 else ''}{speed})"
    return ("◀ " if rate < 0 else "▶ ") + speed


def hud_lines(info: dict[str, Any], rate: float, playing: bool, fps: float | None = None,
              status: str = "") -> list[str]:
    """The HUD's lines from an :func:`~viewer.report.info_dict` document."""
    io = info["io"]
    lines = [f"{info['utc']}  {clock_text(rate, playing)}"]
    j = info.get("juno")
    if j is None:
        lines.append("Juno: not in its trajectory's coverage at this time")
    else:
        lines += [
            f"Juno {j['altitude_io_km']:,.1f} km above Io, {j['altitude_jupiter_km']:,.1f} km above Jupiter",
            f"range to Io {j['range_io_km']:,.1f} km, {j['speed_rel_io_km_s']:.3f} km/s relative to Io",
            f"over {j['subsc_lat_deg']:+.3f}° lat, {j['subsc_wlon_deg']:.3f}° W; "
            f"phase {j['phase_angle_deg']:.2f}°",
        ]
    lines.append(f"Jupitershine at Io ≈ {io['jupitershine_to_sunlight']:.2%} of sunlight")
    tail = f"{fps:.1f} fps" if fps is not None else ""
    if status:
        tail = f"{tail}  {status}" if tail else status
    if tail:
        lines.append(tail)
    return lines


class FrameStats:
    """Wall-clock frame intervals (seconds): the recent frame rate for the HUD, and over the whole run
    the mean and the 5th-percentile frame rate (the rate of the slowest 5 % of frames: 1 / the 95th
    percentile interval) that ``--quit-after`` prints."""

    def __init__(self, recent: int = 30) -> None:
        self.intervals: list[float] = []
        self._recent: deque[float] = deque(maxlen=recent)

    def add(self, interval_s: float) -> None:
        if interval_s > 0.0 and math.isfinite(interval_s):
            self.intervals.append(float(interval_s))
            self._recent.append(float(interval_s))

    @property
    def recent_fps(self) -> float | None:
        return len(self._recent) / sum(self._recent) if self._recent else None

    def summary(self) -> tuple[float, float, int]:
        """(mean fps, 5th-percentile fps, frames counted); zeros when no interval was measured."""
        return summarize(self.intervals)


def summarize(intervals: Sequence[float]) -> tuple[float, float, int]:
    """Mean frame rate (frames / their total time) and 5th-percentile frame rate of frame intervals (s)."""
    if not intervals:
        return 0.0, 0.0, 0
    a = np.asarray(intervals, dtype=np.float64)
    return float(a.size / a.sum()), float(1.0 / np.percentile(a, 95.0)), int(a.size)


__all__ = ["FrameStats", "clock_text", "hud_lines", "summarize"]
