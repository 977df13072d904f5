"""Validated, frozen configuration: presets (TOML), camera specs, render settings.

A preset is a TOML file in ``viewer/presets/`` (schema in docs/architecture.md)::

    name = "i57"
    description = "…"
    time = "2023-12-30T08:36:00.836"      # UTC, any spelling viewer.sim.timescales accepts
    camera = "look:juno:io"               # a camera spec, grammar below
    fov_deg = 80.0                        # vertical field of view, degrees
    size = [1280, 720]                    # pixels
    exposure = "auto"                     # "auto" or an EV number
    tonemap = "filmic"                    # "filmic" | "stretch"
    light = ["sun", "jupitershine", "ioshine", "hotspots", "eclipses"]
    trails = ["juno:io"]                  # optional: trails, BODY or BODY:FRAME (frame default jupiter)
    trail_span = "30min:10min"            # optional: PAST:FUTURE drawn of each trail, or "auto"
    labels = true                         # optional: body names and event marks (default false)
    maps = "downloaded"                   # optional: "procedural" or "downloaded" (viewer.maps)
    [window]                              # optional: the span of geometry tables
    start = "2023-12-30T08:16:00.836"
    end = "2023-12-30T08:56:00.836"
    step = "0.5s"

Camera specs (angles in degrees, distances in km; geometry in viewer/render/camera.py)::

    above:BODY:LAT:WLON:ALT_KM       over a surface point, looking at the body's centre, north up
    orbit:TARGET:LAT:WLON:RANGE_KM   the same with range from the centre (also for juno)
    look:FROM:TARGET                 toward TARGET's centre, TARGET's north up: from Juno's centre, or
                                     from 1 % of FROM's mean radius above FROM on the line to TARGET
    surface:BODY:LAT:WLON[:HEADING:PITCH]
                                     standing 2 m above the surface, looking HEADING from local north
                                     (clockwise, toward east) and PITCH above the horizon (−90…90;
                                     defaults 0:0); BODY is jupiter or a Galilean moon
    junocam[:TARGET]                 from Juno along JunoCam's boresight (TARGET defaults to io)
    junocam:spin                     through JunoCam as it turns with Juno's spin (the instrument frame)
    sky:RA_DEG:DEC_DEG               from Jupiter's centre toward a J2000 direction

A named surface feature may stand for LAT:WLON (``above:io:pele:500``, ``surface:io:loki``,
``orbit:io:tvashtar:5000``; names from the maps' tables, viewer.procedural.nomenclature). Any spec may
end with ``:roll=DEG``, a turn about the view axis (the only NAME=VALUE field, so it cannot be taken for a
number); ``str(spec)`` writes a spec back in this grammar (a feature by its full key, e.g.
``loki_patera``; roll only when not 0) and parses back to the same spec.

Every problem raises :class:`viewer.errors.UserError` with one line naming the file, the key and the fix.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viewer import paths
from viewer.errors import UserError
from viewer.render.exposure import check_ev
from viewer.sim.timescales import parse_duration, utc_to_et

#: Bodies the application knows, by the names used in specs, presets and the CLI.
BODY_NAMES = ("sun", "jupiter", "io", "europa", "ganymede", "callisto", "juno")
#: Light paths that ``--light`` and presets may enable.
LIGHT_PATHS = ("sun", "jupitershine", "ioshine", "hotspots", "eclipses")
TONEMAPS = ("filmic", "stretch")


def check_body(name: str, allowed: tuple[str, ...] = BODY_NAMES) -> str:
    """Normalise a body name or raise a one-line error listing the known ones."""
    key = str(name).strip().lower()
    if key not in allowed:
        raise UserError(f"unknown body {name!r}; use one of: {', '.join(allowed)}")
    return key


#: Eye height of a ``surface:`` camera above the IAU ellipsoid, along its normal, km (2 m: a standing
#: person's eyes; the camera sits outside the body's surface, the horizon is nearly flat).
SURFACE_EYE_KM = 0.002
#: Height of a ``look:FROM:TARGET`` camera above FROM's surface (FROM not Juno), as a fraction of FROM's
#: mean radius, on the line from FROM's centre toward TARGET's centre.
LOOK_LIFT = 0.01
#: The bodies one may stand on (``surface:``): the Sun has no surface and Juno is the spacecraft.
SURFACE_BODIES = ("jupiter", "io", "europa", "ganymede", "callisto")

_CAMERA_HINT = (
    "use above:BODY:LAT:WLON:ALT_KM, orbit:TARGET:LAT:WLON:RANGE_KM, look:FROM:TARGET, "
    "surface:BODY:LAT:WLON[:HEADING:PITCH], junocam[:TARGET|spin] or sky:RA_DEG:DEC_DEG (a feature name may "
    "stand for LAT:WLON; roll=DEG may end any spec)"
)


def _num(value: float) -> str:
    """A number as a spec writes it: shortest text that reads back to the same float (no ``.0``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _wrap360(angle: float) -> float:
    """An angle in degrees into [0, 360) (``%`` alone gives 360.0 for a tiny negative angle)."""
    wrapped = angle % 360.0
    return 0.0 if wrapped == 360.0 else wrapped


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class CameraSpec:
    """A parsed camera spec (grammar: module docstring). ``args`` holds the numeric fields in the order
    of the grammar, degrees and km: (LAT, WLON, ALT_KM or RANGE_KM) for above/orbit, (LAT, WLON, HEADING,
    PITCH) for surface, (RA, DEC) for sky, () otherwise — a named feature's LAT and WLON come from its
    table. ``feature`` is that feature's name (None when numbers were given); ``roll_deg`` turns the
    camera about its view axis (positive: the image's right edge dips, the scene turns counter-clockwise)."""

    mode: str
    target: str
    origin: str = "jupiter"
    args: tuple[float, ...] = ()
    feature: str | None = None
    roll_deg: float = 0.0

    @classmethod
    def parse(cls, text: str) -> CameraSpec:
        parts = [p.strip() for p in str(text).split(":")]
        hint = _CAMERA_HINT

        def fail(why: str) -> UserError:
            return UserError(f"camera spec {text!r}: {why}")

        def numbers(fields: list[str]) -> tuple[float, ...]:
            try:
                values = tuple(float(f) for f in fields)
            except ValueError:
                raise fail(f"{fields} are not all numbers; {hint}") from None
            if not all(math.isfinite(v) for v in values):
                raise fail(f"numbers must be finite; {hint}")
            return values

        def place(body: str, fields: list[str], more: int) -> tuple[float, float, str | None, list[str]]:
            """LAT:WLON (two numbers) or a feature name at the front of ``fields``, and the rest."""
            if fields and not _is_number(fields[0]) and len(fields) == more + 1:
                from viewer.procedural.nomenclature import find_feature

                try:
                    f = find_feature(body, fields[0])
                except UserError as exc:
                    raise fail(str(exc)) from None
                return f.lat_deg, f.wlon_deg, f.name, fields[1:]
            if len(fields) != more + 2:
                raise UserError(f"malformed camera spec {text!r}; {hint}")
            lat, wlon = numbers(fields[:2])
            if not -90.0 <= lat <= 90.0:
                raise fail(f"latitude {lat:g} is outside −90…90")
            return lat, _wrap360(wlon), None, fields[2:]

        roll = 0.0
        if any("=" in p for p in parts):
            name, _, value = parts[-1].partition("=")
            if name.strip().lower() != "roll" or sum("=" in p for p in parts) > 1 or len(parts) < 2:
                raise fail(f"the only NAME=VALUE field is roll=DEG, once, at the end; {hint}")
            (roll,) = numbers([value])
            roll = _wrap360(roll)
            roll = roll - 360.0 if roll > 180.0 else roll
            parts = parts[:-1]
        mode = parts[0].lower()

        if mode in ("above", "orbit") and len(parts) in (4, 5):
            body = check_body(parts[1])
            if body == "sun":
                others = ", ".join(b for b in BODY_NAMES if b != "sun")
                why = ("the Sun has no surface to stand above" if mode == "above"
                       else "the Sun cannot be an orbit target (the views are of the Jovian system)")
                raise fail(f"{why}; {mode}: takes one of {others}")
            lat, wlon, feature, rest = place(body, parts[2:], 1)
            (dist,) = numbers(rest)
            if dist <= 0.0:
                raise fail("the altitude/range must be positive")
            return cls(mode, body, body, (lat, wlon, dist), feature, roll)
        if mode == "surface" and 3 <= len(parts) <= 6:
            body = check_body(parts[1])
            if body not in SURFACE_BODIES:
                why = "the Sun has no surface" if body == "sun" else "Juno is the spacecraft"
                raise fail(f"{why}; surface: stands on one of {', '.join(SURFACE_BODIES)}")
            fields = parts[2:]
            named = bool(fields) and not _is_number(fields[0])
            more = len(fields) - (1 if named else 2)
            if more == 1:
                raise fail(f"HEADING and PITCH come together or not at all; {hint}")
            if more not in (0, 2):
                raise UserError(f"malformed camera spec {text!r}; {hint}")
            lat, wlon, feature, rest = place(body, fields, more)
            heading, pitch = numbers(rest) if rest else (0.0, 0.0)
            if not -90.0 <= pitch <= 90.0:
                raise fail(f"pitch {pitch:g} is outside −90…90 (degrees above the horizon)")
            return cls(mode, body, body, (lat, wlon, _wrap360(heading), pitch), feature, roll)
        if mode == "look" and len(parts) == 3:
            origin = check_body(parts[1])
            target = check_body(parts[2])
            if target == origin:
                raise fail(f"FROM and TARGET are both {origin}: a body cannot look at itself; {hint}")
            return cls(mode, target, origin, roll_deg=roll)
        if mode == "junocam" and len(parts) == 2 and parts[1].lower() == "spin":
            return cls(mode, "juno", "juno", roll_deg=roll)  # spinning with Juno: target "juno"
        if mode == "junocam" and len(parts) in (1, 2):
            target = check_body(parts[1]) if len(parts) == 2 else "io"
            if target == "juno":
                raise fail(f"JunoCam cannot point at Juno (junocam:spin turns with it); {hint}")
            return cls(mode, target, "juno", roll_deg=roll)
        if mode == "sky" and len(parts) == 3:
            ra, dec = numbers(parts[1:])
            if not -90.0 <= dec <= 90.0:
                raise fail(f"declination {dec:g} is outside −90…90")
            return cls(mode, "sky", "jupiter", (_wrap360(ra), dec), roll_deg=roll)
        raise UserError(f"malformed camera spec {text!r}; {hint}")

    def __str__(self) -> str:
        if self.mode in ("above", "orbit", "surface"):
            if self.feature is not None:
                from viewer.procedural.nomenclature import feature_key

                where = feature_key(self.feature)
            else:
                where = f"{_num(self.args[0])}:{_num(self.args[1])}"
            if self.mode == "surface":
                heading, pitch = self.args[2:]
                text = f"surface:{self.target}:{where}"
                text += f":{_num(heading)}:{_num(pitch)}" if (heading, pitch) != (0.0, 0.0) else ""
            else:
                text = f"{self.mode}:{self.target}:{where}:{_num(self.args[2])}"
        elif self.mode == "look":
            text = f"look:{self.origin}:{self.target}"
        elif self.mode == "junocam":
            text = "junocam:spin" if self.target == "juno" else f"junocam:{self.target}"
        else:
            text = f"sky:{_num(self.args[0])}:{_num(self.args[1])}"
        return text + (f":roll={_num(self.roll_deg)}" if self.roll_deg else "")


@dataclass(frozen=True)
class TimeWindow:
    """A span of UTC time sampled at a fixed step (geometry tables, later animation)."""

    start: str
    end: str
    step_s: float


@dataclass(frozen=True)
class TrailSpec:
    """A trail to draw: ``body``'s path relative to ``frame``'s centre (J2000 axes, carried along by the
    frame body). Text form ``BODY`` or ``BODY:FRAME`` (FRAME defaults to jupiter): ``juno:io``, ``io``."""

    body: str
    frame: str = "jupiter"

    @classmethod
    def parse(cls, text: str, where: str = "--trails") -> TrailSpec:
        from viewer.sim.trails import check_trail

        parts = [p.strip() for p in str(text).split(":")]
        if len(parts) > 2 or not all(parts):
            raise UserError(f"{where} {text!r}: expected BODY or BODY:FRAME, e.g. juno:io or europa")
        body, frame = check_trail(parts[0], parts[1] if len(parts) == 2 else "jupiter", where, str(text))
        return cls(body, frame)

    def __str__(self) -> str:
        return f"{self.body}:{self.frame}"


def parse_trails(items: str | list[str] | tuple[str, ...] | None,
                 where: str = "--trails") -> tuple[TrailSpec, ...]:
    """``"juno:io,europa"`` (or a list of such) → trail specs, duplicates dropped; ``"none"`` → none."""
    if items is None:
        return ()
    groups = [items] if isinstance(items, str) else list(items)
    if not all(isinstance(g, str) for g in groups):
        raise UserError(f"{where}: expected trail specs as text, e.g. [\"juno:io\", \"europa\"]")
    texts = [t.strip() for g in groups for t in g.split(",") if t.strip()]
    if [t.lower() for t in texts] == ["none"]:
        return ()
    return tuple(dict.fromkeys(TrailSpec.parse(t, where) for t in texts))


@dataclass(frozen=True)
class TrailSpan:
    """How much of each trail to draw: ``past_s`` before the instant and ``future_s`` after it, seconds;
    None leaves it to each trail's default (:func:`viewer.sim.trails.trail_span`: one orbit of a bound
    body, 30 minutes of Juno's pass by a moon; no future). Text form ``PAST:FUTURE`` (or ``PAST``) with
    durations such as ``30min``, ``2h``, ``1.5d``, ``0s``; ``auto`` for the defaults."""

    past_s: float | None = None
    future_s: float | None = None

    @classmethod
    def parse(cls, text: str, where: str = "--trail-span") -> TrailSpan:
        hint = "expected PAST:FUTURE durations such as 30min:0s or 2h:30min (units s, min, h, d) or auto"
        raw = str(text).strip()
        if raw.lower() == "auto":
            return cls()
        parts = raw.split(":")
        if len(parts) > 2:
            raise UserError(f"{where} {text!r}: {hint}")
        try:
            values = [parse_duration(p) for p in parts]
        except UserError:
            raise UserError(f"{where} {text!r}: {hint}") from None
        if any(not math.isfinite(v) or v < 0.0 for v in values):
            raise UserError(f"{where} {text!r}: spans cannot be negative; give how far back and ahead, "
                            "e.g. 30min:10min")
        past, future = values[0], values[1] if len(values) == 2 else 0.0
        if past + future <= 0.0:
            raise UserError(f"{where} {text!r}: the span is empty; give a past or a future, e.g. 30min:0s")
        return cls(past, future)

    def __str__(self) -> str:
        if self.past_s is None and self.future_s is None:
            return "auto"
        return f"{self.past_s or 0.0:g}s:{self.future_s or 0.0:g}s"


@dataclass(frozen=True)
class SceneSpec:
    """One validated preset: when, from where, and how the picture is exposed."""

    name: str
    description: str
    time: str
    camera: CameraSpec
    fov_deg: float = 60.0
    size: tuple[int, int] = (1280, 720)
    exposure: str | float = "auto"
    tonemap: str = "filmic"
    light: tuple[str, ...] = LIGHT_PATHS
    window: TimeWindow | None = None
    trails: tuple[TrailSpec, ...] = ()
    trail_span: TrailSpan = TrailSpan()
    labels: bool = False
    maps: str | None = None
    source: Path | None = field(default=None, compare=False)


def _require(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in table:
        raise UserError(f"{where}: the key {key!r} is missing; add it (see docs/architecture.md, 'Presets')")
    value = table[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise UserError(f"{where}: {key!r} has the wrong type ({type(value).__name__}); fix its value")
    return value


#: The keys a preset may hold, at the top level and in its ``[window]`` table.
PRESET_KEYS = ("name", "description", "time", "camera", "fov_deg", "size", "exposure", "tonemap", "light",
               "window", "trails", "trail_span", "labels", "maps")
WINDOW_KEYS = ("start", "end", "step")
#: The keys that make a preset a scene with motion, validated by :mod:`viewer.scene` (a still ignores them).
SCENE_KEYS = ("fps", "output", "shots")


def key_line(text: str, key: str, table: str | None = None) -> int | None:
    """The 1-based line of ``text`` (TOML) where ``key`` is set, in the table ``[table]`` (None: the top
    level, before any header), or None when no such line is found (e.g. a key given as ``[key]``)."""
    pattern = re.compile(r"""^\s*(?:{0}|"{0}"|'{0}')\s*=""".format(re.escape(key)))
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?", line)
        if header:
            current = header.group(1).strip("\"'")
            if current == key and table is None:
                return number  # a [key] or [[key]] table at the top level
            continue
        if current == table and pattern.match(line):
            return number
    return None


def _check_keys(table: dict[str, Any], allowed: tuple[str, ...], where: str, text: str | None,
                name: str | None = None) -> None:
    """Refuse the first key of ``table`` not in ``allowed``, naming it and (with ``text``) its line."""
    unknown = [k for k in table if k not in allowed]
    if not unknown:
        return
    key = unknown[0]
    line = key_line(text, key, name) if text is not None else None
    at = f", line {line}" if line is not None else ""
    inside = f" in [{name}]" if name else ""
    raise UserError(f"{where}{at}: unknown key {key!r}{inside}; allowed: {', '.join(allowed)}")


def scene_from_dict(data: dict[str, Any], where: str, text: str | None = None) -> SceneSpec:
    """Validate a parsed TOML table into a :class:`SceneSpec`; ``where`` names it in errors and ``text``,
    the file's own text when there is one, gives the line of an unknown key."""
    _check_keys(data, PRESET_KEYS, where, text)
    name = _require(data, "name", str, where)
    description = str(data.get("description", ""))
    time = _require(data, "time", str, where)
    try:
        utc_to_et(time)
    except UserError as exc:
        raise UserError(f"{where}: 'time': {exc}") from None
    try:
        camera = CameraSpec.parse(_require(data, "camera", str, where))
    except UserError as exc:
        raise UserError(f"{where}: 'camera': {exc}") from None
    fov = float(data.get("fov_deg", 60.0)) if isinstance(data.get("fov_deg", 60.0), (int, float)) else None
    if fov is None or not 0.0 < fov < 180.0:
        raise UserError(f"{where}: 'fov_deg' must be a number between 0 and 180")
    size_raw = data.get("size", [1280, 720])
    if (not isinstance(size_raw, list) or len(size_raw) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in size_raw)):
        raise UserError(f"{where}: 'size' must be [width, height] in positive whole pixels")
    exposure = data.get("exposure", "auto")
    if exposure != "auto":
        try:
            check_ev(exposure)
        except UserError as exc:
            raise UserError(f"{where}: 'exposure': {exc}") from None
    tonemap = data.get("tonemap", "filmic")
    if tonemap not in TONEMAPS:
        raise UserError(f"{where}: 'tonemap' must be one of {', '.join(TONEMAPS)}")
    light = data.get("light", list(LIGHT_PATHS))
    if not isinstance(light, list) or not all(isinstance(x, str) and x in LIGHT_PATHS for x in light):
        raise UserError(f"{where}: 'light' must be a list drawn from {', '.join(LIGHT_PATHS)}")
    window = None
    if "window" in data:
        w = data["window"]
        if not isinstance(w, dict):
            raise UserError(f"{where}: [window] must be a table with start, end and step")
        wwhere = f"{where} [window]"
        _check_keys(w, WINDOW_KEYS, where, text, "window")
        start = _require(w, "start", str, wwhere)
        end = _require(w, "end", str, wwhere)
        step = parse_duration(_require(w, "step", (str, int, float), wwhere))
        try:
            et0, et1 = utc_to_et(start), utc_to_et(end)
        except UserError as exc:
            raise UserError(f"{wwhere}: {exc}") from None
        if et1 <= et0 or step <= 0.0:
            raise UserError(f"{wwhere}: end must come after start and step must be positive")
        window = TimeWindow(start, end, step)
    trails = parse_trails(data.get("trails"), f"{where}: 'trails':")
    span = data.get("trail_span", "auto")
    if not isinstance(span, str):
        raise UserError(f"{where}: 'trail_span' must be text such as \"30min:10min\" or \"auto\"")
    trail_span = TrailSpan.parse(span, f"{where}: 'trail_span':")
    labels = data.get("labels", False)
    if not isinstance(labels, bool):
        raise UserError(f"{where}: 'labels' must be true or false")
    maps = data.get("maps")
    if maps is not None:
        from viewer.maps import check_choice

        check_choice(maps, where)
    return SceneSpec(name=name, description=description, time=time, camera=camera, fov_deg=fov,
                     size=(size_raw[0], size_raw[1]), exposure=exposure, tonemap=tonemap,
                     light=tuple(light), window=window, trails=trails, trail_span=trail_span,
                     labels=labels, maps=maps)


def load_scene(path: Path) -> SceneSpec:
    """Read and validate one preset/scene TOML file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise UserError(f"preset file {path} does not exist; check the path") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"preset file {path} is not valid TOML ({exc}); fix the file") from None
    still = {k: v for k, v in data.items() if k not in SCENE_KEYS}
    spec = scene_from_dict(still, f"preset file {Path(path).name}", text)
    return SceneSpec(**{**spec.__dict__, "source": Path(path)})


def preset_paths() -> list[Path]:
    """The shipped preset files, ``i57`` first, then alphabetically."""
    files = sorted(paths.presets_dir().glob("*.toml"), key=lambda p: (p.stem != "i57", p.stem))
    return files


def list_presets() -> list[SceneSpec]:
    """All shipped presets, validated."""
    return [load_scene(p) for p in preset_paths()]


def load_preset(name: str) -> SceneSpec:
    """A shipped preset by name, or a path to a TOML file."""
    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.exists():
        return load_scene(candidate)
    for p in preset_paths():
        if p.stem == name:
            return load_scene(p)
    names = ", ".join(p.stem for p in preset_paths())
    raise UserError(f"unknown preset {name!r}; use one of: {names} (see `jupitershine presets`)")
