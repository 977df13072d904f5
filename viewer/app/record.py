"""Recording a flight as a scene file (docs/scenes.md) that ``jupitershine render`` turns into a movie.

While recording, the window hands :meth:`Recorder.sample` the frame's instant and the camera's exact
spec every frame; a key is kept every :data:`KEY_INTERVAL_S` wall seconds. A shot is one stretch of
time running forward at one rate with one camera anchor: pausing, reversing, changing the rate,
jumping and switching targets end a shot and the next forward-running frame starts another (a
scene's shots run forward at rates of 1 to 10⁶, so the paused and backward stretches are left out).
Each key is a camera spec (``orbit:TARGET:LAT:WLON:RANGE_KM`` with every digit, or the starting
spec), each shot ``follow``\\s and ``aim``\\s at its target, so the exported camera passes through
every key exactly and between keys follows the scene's splines (docs/scenes.md). During a flight between
targets the keys hold the camera's position but aim at the new target's centre.

Times are written as UTC with microseconds (TDB round trip within 1 µs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viewer.sim.timescales import et_to_utc

#: Wall seconds between recorded keys.
KEY_INTERVAL_S = 0.25
#: Frames per second of the recorded scene's video.
RECORD_FPS = 30


@dataclass
class RecordedShot:
    """Keys (TDB ``et``, camera spec text) of one forward stretch at ``rate`` following ``follow``."""

    rate: float
    follow: str
    aim: str | None
    keys: list[tuple[float, str]] = field(default_factory=list)
    last_wall: float = -1e300
    tail: tuple[float, str] | None = None

    def finish(self) -> None:
        """Make the latest frame the last key: added, or replacing the last key when it came less than
        half a key interval after it (close keys would bend the spline)."""
        if self.tail is None:
            return
        if len(self.keys) >= 2 and self.tail[0] - self.keys[-1][0] < 0.5 * self.rate * KEY_INTERVAL_S:
            self.keys[-1] = self.tail
        else:
            self.keys.append(self.tail)
        self.tail = None


@dataclass(frozen=True)
class Anchor:
    """What a recorded key is relative to: the spec text, the body followed and the body aimed at."""

    spec: str
    follow: str
    aim: str | None


class Recorder:
    """Collects shots from frames (:meth:`sample`) and writes them as a scene (:meth:`scene_text`).

    ``base``: the window's :class:`~viewer.still.StillSetup` (preset, tone, trails, labels, size);
    ``fov_deg``: the keys' vertical field of view.
    """

    def __init__(self, base: Any, fov_deg: float) -> None:
        self.base = base
        self.fov_deg = float(fov_deg)
        self.shots: list[RecordedShot] = []
        self._open: RecordedShot | None = None
        self._last: tuple[float, float] | None = None  # (wall, et) of the last frame sampled

    def sample(self, wall_s: float, et: float, rate: float, playing: bool, anchor: Anchor | None) -> None:
        """One frame at wall time ``wall_s`` (s, any origin), TDB ``et``, clock ``rate`` and ``playing``;
        ``anchor`` None: a camera with no spec (nothing recorded)."""
        last, self._last = self._last, (wall_s, et)
        shot = self._open
        moving = playing and rate > 0.0 and anchor is not None
        jumped = (last is not None and shot is not None
                  and not 0.0 < et - last[1] <= 2.0 * rate * max(wall_s - last[0], 0.0) + 1e-3)
        if shot is not None and (not moving or jumped or shot.rate != rate or anchor is None
                                 or (shot.follow, shot.aim) != (anchor.follow, anchor.aim)):
            self._close()
            shot = None
        if not moving or anchor is None:
            return
        if shot is None:
            shot = self._open = RecordedShot(rate, anchor.follow, anchor.aim)
        if not shot.keys or wall_s - shot.last_wall >= KEY_INTERVAL_S:
            shot.keys.append((et, anchor.spec))
            shot.last_wall = wall_s
            shot.tail = None
        else:
            shot.tail = (et, anchor.spec)  # the latest frame: where the shot ends if it ends now

    def stop(self) -> None:
        """End the open shot (recording stops)."""
        self._close()
        self._last = None

    def _close(self) -> None:
        shot, self._open = self._open, None
        if shot is not None:
            shot.finish()
        if shot is not None and len(shot.keys) >= 2 and shot.keys[-1][0] > shot.keys[0][0]:
            self.shots.append(shot)

    @property
    def empty(self) -> bool:
        return not self.shots

    def scene_text(self, name: str = "recorded-flight") -> str:
        """The recorded shots as a scene file's TOML text (docs/scenes.md)."""
        from viewer.render.exposure import ToneSettings

        if not self.shots:
            raise ValueError("nothing recorded: the clock must run forward while recording")
        b = self.base
        spec = b.spec
        first = self.shots[0].keys[0]
        tone: ToneSettings = b.tone
        exposure = tone.exposure if isinstance(tone.exposure, str) else float(tone.exposure)
        w, h = b.settings.size
        lines = [
            "# A flight recorded by `jupitershine fly` (docs/scenes.md): render it with",
            f"# `jupitershine render {name}.toml`.",
            f"name = {json.dumps(name)}",
            f"description = {json.dumps('Recorded in the interactive viewer from ' + spec.name)}",
            f"time = {json.dumps(_utc(first[0]))}",
            f"camera = {json.dumps(first[1])}",
            f"fov_deg = {self.fov_deg!r}",
            f"size = [{w}, {h}]",
            f"exposure = {json.dumps(exposure)}",
            f"tonemap = {json.dumps(tone.curve)}",
            f"light = {json.dumps(sorted(b.settings.light))}",
            f"trails = {json.dumps([str(t) for t in b.trails])}",
            f"trail_span = {json.dumps(str(b.span))}",
            f"labels = {'true' if b.labels else 'false'}",
            f"fps = {RECORD_FPS}",
        ]
        for shot in self.shots:
            lines += ["", "[[shots]]",
                      f"start = {json.dumps(_utc(shot.keys[0][0]))}",
                      f"end = {json.dumps(_utc(shot.keys[-1][0]))}",
                      f"rate = {shot.rate!r}",
                      f"follow = {json.dumps(shot.follow)}"]
            if shot.aim is not None:
                lines.append(f"aim = {json.dumps(shot.aim)}")
            if b.look is not None:
                lines.append(f"look = {json.dumps(b.look)}")
            for et, camera in shot.keys:
                lines += ["[[shots.keys]]", f"time = {json.dumps(_utc(et))}",
                          f"camera = {json.dumps(camera)}", f"fov_deg = {self.fov_deg!r}"]
        return "\n".join(lines) + "\n"

    def write(self, path: str | Path) -> Path:
        """Write :meth:`scene_text` atomically to ``path`` (named after the file)."""
        from viewer.atomic import write_text_atomic

        p = Path(path)
        return write_text_atomic(p, self.scene_text(p.stem))


def _utc(et: float) -> str:
    return et_to_utc(et, places=6).removesuffix("Z")


__all__ = ["KEY_INTERVAL_S", "RECORD_FPS", "Anchor", "RecordedShot", "Recorder"]
