"""Scripted flights for automation (``jupitershine fly --script FILE``): benchmarks and tests drive the
real window with them.

A script is a TOML file of steps, each run when the wall time since the window's first frame reaches
its ``at`` (seconds)::

    [[step]]
    at = 0.0              # wall seconds after the first frame
    keys = ["Space"]      # keys pressed, named as in the help: Space, B, ], [, C, J, E, 1 … 6, K, P, R …
    rate = 100            # the clock's rate, simulation s per wall s (negative: backwards)
    play = true           # play (true) or pause (false)

    [[step]]
    at = 2.0
    target = "io"         # fly into an orbit around this body …
    lat = 10              # … above this planetocentric latitude and west longitude of its body frame, deg
    wlon = 200            #   (for a chase: elevation above and azimuth from behind Juno's path)
    range_km = 5000       # … this far from its centre (default: 4 mean radii; Juno 50 m)
    chase = false         # true (Juno only): hold the place relative to Juno's path
    fly = 2.0             # wall seconds the flight takes (default 1.5)

Every mistake is one line naming the file and the step.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.app.controls import TARGETS, TRANSITION_S, action_for
from viewer.errors import UserError, read_user_text
from viewer.sim.clock import check_rate

STEP_KEYS = ("at", "keys", "rate", "play", "target", "lat", "wlon", "range_km", "chase", "fly")


@dataclass(frozen=True)
class Step:
    """One scripted step (module docstring); None: not set."""

    at: float
    keys: tuple[str, ...] = ()
    rate: float | None = None
    play: bool | None = None
    target: str | None = None
    lat: float | None = None
    wlon: float | None = None
    range_km: float | None = None
    chase: bool = False
    fly: float = TRANSITION_S


def _number(value: Any, where: str, low: float = -math.inf, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UserError(f"{where} must be a number")
    if not low <= float(value) <= high:
        raise UserError(f"{where} = {value} is outside {low:g}…{high:g}")
    return float(value)


def parse_script(text: str, name: str) -> tuple[Step, ...]:
    """Steps from a script's TOML ``text`` (``name`` names it in errors), in time order."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{name} is not valid TOML ({exc}); fix the file") from None
    unknown = [k for k in data if k != "step"]
    if unknown:
        raise UserError(f"{name}: unknown key {unknown[0]!r}; a script holds [[step]] tables")
    raw = data.get("step", [])
    if not isinstance(raw, list) or not raw:
        raise UserError(f"{name}: no [[step]] tables; add at least one")
    steps = []
    for i, table in enumerate(raw):
        where = f"{name}: step {i + 1}"
        if not isinstance(table, dict):
            raise UserError(f"{where} must be a table")
        bad = [k for k in table if k not in STEP_KEYS]
        if bad:
            raise UserError(f"{where}: unknown key {bad[0]!r}; allowed: {', '.join(STEP_KEYS)}")
        if "at" not in table:
            raise UserError(f"{where} needs at = SECONDS (wall time after the first frame)")
        keys = table.get("keys", [])
        if not isinstance(keys, list) or not all(isinstance(k, str) and action_for(k) for k in keys):
            raise UserError(f"{where}: keys must list key names the help shows, e.g. [\"Space\", \"2\"]")
        target = table.get("target")
        if target is not None and target not in TARGETS:
            raise UserError(f"{where}: target {target!r}: use one of {', '.join(TARGETS)}")
        for key in ("play", "chase"):
            if key in table and not isinstance(table[key], bool):
                raise UserError(f"{where}: {key} must be true or false")
        chase = bool(table.get("chase", False))
        if chase and target != "juno":
            raise UserError(f"{where}: chase needs target = \"juno\"")
        if target is None and any(k in table for k in ("lat", "wlon", "range_km", "chase", "fly")):
            raise UserError(f"{where}: lat, wlon, range_km, chase and fly describe a flight; add target")
        rate = table.get("rate")
        steps.append(Step(
            at=_number(table["at"], f"{where}: at", 0.0),
            keys=tuple(keys),
            rate=check_rate(_number(rate, f"{where}: rate"), f"{where}: rate") if rate is not None else None,
            play=table.get("play"),
            target=target,
            lat=_number(table["lat"], f"{where}: lat", -90.0, 90.0) if "lat" in table else None,
            wlon=_number(table["wlon"], f"{where}: wlon") if "wlon" in table else None,
            range_km=_number(table["range_km"], f"{where}: range_km", 1e-6) if "range_km" in table else None,
            chase=chase,
            fly=_number(table.get("fly", TRANSITION_S), f"{where}: fly", 0.0),
        ))
    return tuple(sorted(steps, key=lambda s: s.at))


def load_script(path: str | Path) -> tuple[Step, ...]:
    """Read a script file (one line on any problem)."""
    return parse_script(read_user_text(path, "script"), f"script {Path(path).name}")


def orbit_from_step(step: Step, snap: Any, camera: Any = None) -> Any:
    """The orbit a step flies into (:func:`viewer.app.controls.orbit_from`); without LAT/WLON, on the
    line from the new target toward ``camera`` (the current one)."""
    from viewer.app.controls import orbit_from

    assert step.target is not None
    return orbit_from(step.target, snap, lat_deg=step.lat, wlon_deg=step.wlon, range_km=step.range_km,
                      chase=step.chase, near=None if camera is None else camera.position_km)


class ScriptRunner:
    """Hands out the steps that are due as wall time passes."""

    def __init__(self, steps: tuple[Step, ...]) -> None:
        self.steps = steps
        self._next = 0

    def due(self, elapsed_s: float) -> list[Step]:
        """Steps whose ``at`` is ≤ ``elapsed_s`` and not yet handed out."""
        out = []
        while self._next < len(self.steps) and self.steps[self._next].at <= elapsed_s:
            out.append(self.steps[self._next])
            self._next += 1
        return out

    @property
    def finished(self) -> bool:
        return self._next >= len(self.steps)


__all__ = ["STEP_KEYS", "ScriptRunner", "Step", "load_script", "orbit_from_step", "parse_script"]
