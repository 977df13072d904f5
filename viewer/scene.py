"""Scene files: a preset plus motion — shots with a time span and rate, camera keyframes, slow-down near
events, exposure keys — and the exact instant and camera of every frame.

A scene is a TOML file with the keys of a preset (docs/architecture.md "Presets": ``time`` is the
scene's reference instant, the one ``still --preset`` renders) and::

    fps = 30                               # frames per second of video
    output = "out/i57-flyby.mp4"           # optional default output of `jupitershine render`

    [[shots]]
    start = "2023-12-30T08:26:00.836"      # UTC
    end = "2023-12-30T08:46:00.836"        # UTC, after start
    rate = 20                              # simulation seconds per video second (or `seconds = 60`)
    follow = "juno"                        # camera positions relative to this body (default jupiter)
    aim = "io"                             # optional: keep this body centred
    look = "junocam"                       # optional: the shot's look (default the scene's)
    slowdown = { at = ["closest_approach"], near_rate = 1, horizon = "2min" }   # optional

    [[shots.keys]]                         # camera keyframes (none: the scene's camera, every frame)
    time = "2023-12-30T08:26:00.836"       # UTC — or frame = 0 (counted within the shot)
    camera = "orbit:juno:10:90:0.05"       # any camera spec
    fov_deg = 60                           # optional, eased between keys
    exposure = 2.5                         # optional EV, eased between keys (all keys or none)

A scene without shots (every plain preset) is one frame at ``time``. Frame ``i`` of the scene lies in
one shot; its TDB time is :meth:`viewer.sim.clock.Clock.frame_et` of its
index within the shot (a pure function: the same ``et`` in any order, in any process). A shot of video
length ``D`` seconds has ``floor(D·fps)`` frames, covering [start, end).

Every problem raises :class:`viewer.errors.UserError` naming the file, the key and, where it can be
found, the line.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from viewer import config
from viewer.errors import UserError, read_user_text
from viewer.render.camera_path import CameraKey, CameraPath, eased
from viewer.sim.clock import Clock, SlowDown, check_rate, video_seconds

#: Keys a scene adds to a preset's (validated here; the rest by :func:`viewer.config.scene_from_dict`).
SCENE_KEYS = config.SCENE_KEYS
SHOT_KEYS = ("start", "end", "rate", "seconds", "follow", "aim", "look", "slowdown", "keys")
KEY_KEYS = ("time", "frame", "camera", "fov_deg", "exposure")
SLOWDOWN_KEYS = ("at", "near_rate", "horizon")
#: Frames per second a scene may ask for.
FPS_RANGE = (1.0, 240.0)


@dataclass(frozen=True)
class Shot:
    """One continuous stretch of simulated time at one rate, with its camera keys (TDB seconds)."""

    start: float
    end: float
    rate: float
    frames: int
    keys: tuple[CameraKey, ...] = ()
    exposures: tuple[float, ...] = ()  # EV per key (empty: the scene's exposure)
    follow: str = "jupiter"
    aim: str | None = None
    look: str | None = None
    slowdown: SlowDown | None = None

    def clock(self) -> Clock:
        return Clock(et=self.start, rate=self.rate, span=(self.start, self.end), slowdown=self.slowdown)


@dataclass(frozen=True)
class FrameSpec:
    """What frame ``index`` shows: its TDB time, the shot it belongs to and its index there, and
    its EV when the shot keys the exposure (None: the scene's exposure)."""

    index: int
    et: float
    shot: int
    local: int
    ev: float | None


@dataclass(frozen=True)
class Scene:
    """A validated scene: the preset part (``base``), frames per second and the shots."""

    base: config.SceneSpec
    fps: float
    shots: tuple[Shot, ...]
    output: str | None = None
    digest: str = ""  # SHA-256 of the file's bytes and overrides (manifests refuse to mix scenes)
    text: str = ""  # the file's text: worker processes re-read the scene from it
    name: str = "scene"  # how errors name it, e.g. "scene file i57-flyby.toml"
    fps_override: float | None = None

    @property
    def frame_count(self) -> int:
        return sum(s.frames for s in self.shots)

    def frame(self, index: int) -> FrameSpec:
        """The frame's time and shot (``0 ≤ index < frame_count``)."""
        i = int(index)
        if not 0 <= i < self.frame_count:
            raise UserError(f"frame {index} is outside the scene's {self.frame_count} frames (0 to "
                            f"{self.frame_count - 1})")
        for k, shot in enumerate(self.shots):
            if i < shot.frames:
                et = shot.start if i == 0 else shot.clock().frame_et(i, self.fps, shot.start)
                return FrameSpec(int(index), et, k, i, _eased(shot, et))
            i -= shot.frames
        raise AssertionError("unreachable")  # pragma: no cover

    def camera_path(self, shot: int, snapshot_at: Callable[[float], Any]) -> CameraPath | None:
        """The shot's keyframed camera (None: the scene's camera spec, evaluated every frame)."""
        s = self.shots[shot]
        if not s.keys:
            return None
        return CameraPath(s.keys, snapshot_at, follow=s.follow, aim=s.aim)


def _eased(shot: Shot, et: float) -> float | None:
    """The shot's keyed EV at ``et``, eased (smoothstep) between neighbouring keys."""
    if not shot.exposures:
        return None
    return eased([k.et for k in shot.keys], shot.exposures, et)


# --- parsing -------------------------------------------------------------------------------------------

class _Where:
    """Names a place in a scene file for error messages: file, table and, when found, the line."""

    def __init__(self, name: str, text: str | None) -> None:
        self.name, self.text = name, text

    def __call__(self, key: str, table: str | None = None) -> str:
        line = config.key_line(self.text, key, table) if self.text is not None else None
        inside = f" [{table}]" if table else ""
        return f"{self.name}{inside}" + (f", line {line}" if line is not None else "") + f": {key!r}"


def _number(value: Any, where: str, low: float, high: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        raise UserError(f"{where} must be a number ({what})")
    v = float(value)
    if not low <= v <= high:
        raise UserError(f"{where} = {value} is outside {low:g}…{high:g} ({what})")
    return v


def _utc(value: Any, where: str) -> float:
    from viewer.sim.timescales import utc_to_et

    if not isinstance(value, str):
        raise UserError(f"{where} must be a UTC time as text, e.g. \"2023-12-30T08:36:00.836\"")
    try:
        return utc_to_et(value)
    except UserError as exc:
        raise UserError(f"{where}: {exc}") from None


def _unknown(table: dict[str, Any], allowed: tuple[str, ...], where: _Where, name: str) -> None:
    for key in table:
        if key not in allowed:
            raise UserError(f"{where(key, name)} is not a scene key here; allowed: {', '.join(allowed)}")


def _slowdown(raw: Any, start: float, end: float, where: _Where, world: Any) -> SlowDown:
    from viewer.sim import events
    from viewer.sim.timescales import parse_duration

    if not isinstance(raw, dict):
        raise UserError(f"{where('slowdown', 'shots')} must be a table: "
                        "{ at = [\"closest_approach\"], near_rate = 1, horizon = \"2min\" }")
    _unknown(raw, SLOWDOWN_KEYS, where, "shots.slowdown")
    at = raw.get("at", ["closest_approach"])
    if isinstance(at, str):
        at = [at]
    if not isinstance(at, list) or not at:
        raise UserError(f"{where('at', 'shots')} must list event kinds or UTC times")
    times: list[float] = []
    kinds = [a for a in at if isinstance(a, str) and a in events.KINDS]
    for a in at:
        if not (isinstance(a, str) and a in events.KINDS):
            times.append(_utc(a, f"{where('at', 'shots')} entry {a!r} (an event kind or a UTC time)"))
    if kinds:
        times += [e.et for e in events.search(world, start, end, kinds=kinds)]
    near = _number(raw.get("near_rate", 1.0), where("near_rate", "shots"), 1.0, 1e6,
                   "simulation seconds per video second at the event")
    horizon = parse_duration(raw.get("horizon", "2min"))
    if not horizon > 0.0:
        raise UserError(f"{where('horizon', 'shots')} must be a positive duration, e.g. \"2min\"")
    return SlowDown(tuple(times), near, horizon)


def _shot(raw: Any, k: int, fps: float, where: _Where, world: Any) -> Shot:
    if not isinstance(raw, dict):
        raise UserError(f"{where.name}: [[shots]] number {k + 1} must be a table")
    _unknown(raw, SHOT_KEYS, where, "shots")
    for key in ("start", "end"):
        if key not in raw:
            raise UserError(f"{where.name}: shot {k + 1} needs {key!r} (UTC); add it")
    start, end = _utc(raw["start"], where("start", "shots")), _utc(raw["end"], where("end", "shots"))
    if not end > start:
        raise UserError(f"{where('end', 'shots')}: shot {k + 1} has zero or negative length; its end must "
                        "come after its start")
    if "rate" in raw and "seconds" in raw:
        raise UserError(f"{where('seconds', 'shots')}: give either rate or seconds, not both")
    slow = _slowdown(raw["slowdown"], start, end, where, world) if "slowdown" in raw else None
    if "seconds" in raw:
        if slow is not None:
            raise UserError(f"{where('seconds', 'shots')}: with a slowdown give the rate, not seconds")
        secs = _number(raw["seconds"], where("seconds", "shots"), 1.0 / fps, 86400.0, "video seconds")
        rate = check_rate((end - start) / secs, f"{where('seconds', 'shots')}: the rate it implies,")
    else:
        rate = check_rate(_number(raw.get("rate", 1.0), where("rate", "shots"), 1.0, 1e6,
                                  "simulation seconds per video second"), where("rate", "shots"))
    frames = max(1, math.floor(video_seconds(start, end, rate, slow) * fps + 1e-6))
    clock = Clock(et=start, rate=rate, span=(start, end), slowdown=slow)
    follow = config.check_body(raw.get("follow", "jupiter")) if isinstance(raw.get("follow", "jupiter"),
                                                                           str) else None
    aim = raw.get("aim")
    if follow is None or (aim is not None and not isinstance(aim, str)):
        raise UserError(f"{where('follow', 'shots')} and 'aim' must be body names")
    look = raw.get("look")
    if look is not None:
        from viewer.render.looks import get_look

        look = get_look(str(look)).name
    keys, evs = [], []
    raw_keys = raw.get("keys", [])
    if not isinstance(raw_keys, list):
        raise UserError(f"{where('keys', 'shots')} must be [[shots.keys]] tables")
    for j, key in enumerate(raw_keys):
        if not isinstance(key, dict):
            raise UserError(f"{where.name}: shot {k + 1} key {j + 1} must be a table")
        _unknown(key, KEY_KEYS, where, "shots.keys")
        if ("time" in key) == ("frame" in key):
            raise UserError(f"{where.name}: shot {k + 1} key {j + 1} needs exactly one of time or frame")
        if "time" in key:
            et = _utc(key["time"], where("time", "shots.keys"))
        else:
            f = key["frame"]
            if isinstance(f, bool) or not isinstance(f, int) or not 0 <= f < frames:
                raise UserError(f"{where('frame', 'shots.keys')} = {f!r} must be a whole frame number "
                                f"from 0 to {frames - 1} (counted within the shot)")
            et = clock.frame_et(f, fps, start)
        if not start - 1e-6 <= et <= end + 1e-6:
            raise UserError(f"{where('time', 'shots.keys')}: key {j + 1} of shot {k + 1} lies outside the "
                            "shot's start…end; move it inside")
        if "camera" not in key:
            raise UserError(f"{where.name}: shot {k + 1} key {j + 1} needs a camera spec; add camera = …")
        try:
            spec = config.CameraSpec.parse(key["camera"])
        except UserError as exc:
            raise UserError(f"{where('camera', 'shots.keys')}: {exc}") from None
        fov = key.get("fov_deg")
        if fov is not None:
            fov = _number(fov, where("fov_deg", "shots.keys"), 1e-3, 179.0, "vertical degrees")
        keys.append(CameraKey(et, spec, fov))
        if "exposure" in key:
            from viewer.render.exposure import check_ev

            evs.append(check_ev(key["exposure"]))
    if evs and len(evs) != len(keys):
        raise UserError(f"{where.name}: shot {k + 1}: give exposure on every key or on none")
    if any(b.et <= a.et for a, b in pairwise(keys)):
        raise UserError(f"{where.name}: shot {k + 1}'s keys are out of order; list them in time order")
    return Shot(start, end, rate, frames, tuple(keys), tuple(evs), follow, config.check_body(aim)
                if aim is not None else None, look, slow)


def _check_cameras(shot: Shot, base: config.SceneSpec, world: Any) -> None:
    """Resolve the shot's cameras at its first and last instants (a keyed path, or the scene's camera):
    a time outside Juno's trajectory or a camera inside a body is refused when the file is read, not
    frames into an export."""
    from viewer.render.camera import camera_from_spec

    last = max(shot.start, shot.end - 1e-3)
    if shot.keys:
        path = CameraPath(shot.keys, world.at, follow=shot.follow, aim=shot.aim)
        for t in {shot.keys[0].et, shot.keys[-1].et}:
            path.at(t)
        return
    for t in {shot.start, last}:
        camera_from_spec(base.camera, world.at(t), base.fov_deg)


def scene_from_text(text: str, name: str, world: Any = None, fps_override: float | None = None) -> Scene:
    """Parse and validate a scene from TOML ``text``; ``name`` names it in errors; ``fps`` overrides the
    file's frames per second (``--fps``)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{name} is not valid TOML ({exc}); fix the file") from None
    where = _Where(name, text)
    base_data = {k: v for k, v in data.items() if k not in SCENE_KEYS}
    base = config.scene_from_dict(base_data, name, text)
    fps = _number(data.get("fps", 30), where("fps"), *FPS_RANGE, "frames per second")
    if fps_override is not None:
        fps = _number(fps_override, "--fps", *FPS_RANGE, "frames per second")
    output = data.get("output")
    if output is not None and not isinstance(output, str):
        raise UserError(f"{where('output')} must be a path as text")
    raw_shots = data.get("shots", [])
    if not isinstance(raw_shots, list):
        raise UserError(f"{where('shots')} must be [[shots]] tables")
    if world is None:
        from viewer.sim.world import World

        world = World()
    parsed = []
    for k, raw in enumerate(raw_shots):
        try:
            parsed.append(_shot(raw, k, fps, where, world))
        except UserError as exc:  # a check deeper down (a look, a body, an EV) names no file: add it
            if str(exc).startswith(name):
                raise
            raise UserError(f"{name}: shot {k + 1}: {exc}") from None
    shots = tuple(parsed)
    for k, shot in enumerate(shots):  # every camera resolves at the shot's ends (coverage, bodies)
        try:
            _check_cameras(shot, base, world)
        except UserError as exc:
            raise UserError(f"{name}: shot {k + 1}: {exc}") from None
    if not shots:  # a preset without motion: one frame at its time
        from viewer.sim.timescales import utc_to_et

        et = utc_to_et(base.time)
        shots = (Shot(et, et, 1.0, 1),)
    digest = hashlib.sha256(f"{text}\0fps={fps!r}".encode()).hexdigest()
    return Scene(base, fps, shots, output, digest, text, name, fps_override)


def load(path: str | Path, world: Any = None, fps: float | None = None) -> Scene:
    """Read a scene file (or a shipped preset by name: ``i57-flyby``); ``fps`` overrides its rate."""
    p = Path(path)
    if p.suffix != ".toml":
        shipped = {q.stem: q for q in config.preset_paths()}
        if str(path) not in shipped:
            raise UserError(f"unknown scene or preset {str(path)!r}; give a .toml file or one of: "
                            f"{', '.join(shipped)} (see `jupitershine presets`)")
        p = shipped[str(path)]
    text = read_user_text(p, "scene file")
    return scene_from_text(text, f"scene file {p.name}", world, fps)


def frames_in(scene: Scene, spec: str | None) -> Sequence[int]:
    """``--frames A:B`` (half-open, either end optional, negative counts from the end) → indices."""
    n = scene.frame_count
    if spec is None:
        return range(n)
    parts = str(spec).split(":")
    try:
        if len(parts) != 2:
            raise ValueError
        a = int(parts[0]) if parts[0].strip() else 0
        b = int(parts[1]) if parts[1].strip() else n
    except ValueError:
        raise UserError(f"--frames {spec!r}: expected A:B (frame numbers, e.g. 0:120 or 300:)") from None
    r = range(n)[slice(a, b)]
    if not r:
        raise UserError(f"--frames {spec}: selects no frame of the scene's {n} (0 to {n - 1})")
    return r


__all__ = ["FPS_RANGE", "FrameSpec", "Scene", "Shot", "frames_in", "load", "scene_from_text"]
