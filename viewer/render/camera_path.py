"""Keyframed camera paths: a camera at any instant between keyframes, interpolated in float64.

A :class:`CameraPath` holds keyframes — each a TDB time, a camera spec (``orbit:io:…``,
``look:juno:io``, …) and optionally a vertical field of view — and returns the :class:`Camera` at any
``et`` inside them:

* **Position**: each key's camera position is taken relative to an *anchor* body at the key's time
  (``follow``; default Jupiter's centre, i.e. plain jovicentric J2000), and the offsets are interpolated
  with a cubic spline through every key (``scipy.interpolate.CubicSpline``, not-a-knot ends: C² — no
  velocity or acceleration jump at the keys), then added to the anchor's position at ``et``. Following
  Juno, a camera riding 50 m off its side stays there while Juno moves 30 km/s.
* **Orientation**: ``scipy.spatial.transform.RotationSpline`` through the keys' orientations (C²
  in angular velocity: no jerk at the keys), or, with ``aim``, a look-at toward that body's centre at
  ``et`` with the interpolated up direction.
* **Field of view**: eased between neighbouring keys (smoothstep: zero rate of change at every key).

With one key the path is that camera, carried along with the anchor. Times outside the keys are
refused (one line). Units: km, s (TDB), degrees for the field of view; frames: J2000 jovicentric.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.interpolate import CubicSpline
from scipy.spatial.transform import Rotation, RotationSpline

from viewer.config import CameraSpec, check_body
from viewer.errors import UserError
from viewer.render.camera import DEFAULT_FOV_DEG, Camera, camera_from_spec, look_rotation
from viewer.sim.world import Snapshot

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class CameraKey:
    """One keyframe: TDB ``et`` (s past J2000), a camera spec, and a vertical field of view (degrees;
    None: the spec's default)."""

    et: float
    camera: CameraSpec | str
    fov_deg: float | None = None


def eased(times: Sequence[float] | F64, values: Sequence[float] | F64, x: float) -> float:
    """``values`` keyed at increasing ``times``, eased between neighbouring keys (smoothstep: no rate of
    change at a key) and held beyond the first and last."""
    if len(times) == 1 or x <= times[0]:
        return float(values[0])
    i = min(int(np.searchsorted(times, x, side="right")) - 1, len(times) - 2)
    u = min((x - times[i]) / (times[i + 1] - times[i]), 1.0)
    w = u * u * (3.0 - 2.0 * u)
    return float((1.0 - w) * values[i] + w * values[i + 1])


class CameraPath:
    """The camera between keyframes (module docstring). ``snapshot_at(et)`` gives the world's state
    (usually ``World().at``); ``follow``: the anchor body for positions; ``aim``: a body to keep centred.
    """

    def __init__(self, keys: Sequence[CameraKey], snapshot_at: Callable[[float], Snapshot],
                 follow: str = "jupiter", aim: str | None = None) -> None:
        if not keys:
            raise UserError("a camera path needs at least one keyframe")
        times = np.array([float(k.et) for k in keys], dtype=np.float64)
        if not np.all(np.isfinite(times)):
            raise UserError("camera keyframe times must be finite")
        if np.any(np.diff(times) <= 0.0):
            i = int(np.flatnonzero(np.diff(times) <= 0.0)[0])
            raise UserError(f"camera keyframes must be in time order: key {i + 2} is not after key {i + 1}; "
                            "sort them or fix their times")
        self.follow = check_body(follow)
        self.aim = check_body(aim) if aim is not None else None
        if self.aim == "sun" or self.follow == "sun":
            raise UserError("a camera path cannot follow or aim at the Sun; use a planet, moon or juno")
        self.snapshot_at = snapshot_at
        self.t0 = float(times[0])
        self.times = times - self.t0  # spline abscissae relative to the first key (well conditioned)
        cams: list[Camera] = []
        offsets = []
        for key in keys:
            snap = snapshot_at(float(key.et))
            cam = camera_from_spec(key.camera, snap, key.fov_deg)
            cams.append(cam)
            offsets.append(cam.position_km - self._anchor(snap))
        self.cameras = cams
        self.offsets = np.array(offsets, dtype=np.float64)
        self.fovs = np.array([c.fov_deg for c in cams], dtype=np.float64)
        self.horizontal_fov = cams[0].horizontal_fov_deg
        self._position: CubicSpline | None = None
        self._rotation: RotationSpline | None = None
        if len(keys) >= 2:
            bc = "not-a-knot" if len(keys) >= 4 else "natural"
            self._position = CubicSpline(self.times, self.offsets, axis=0, bc_type=bc)
            self._rotation = RotationSpline(self.times, Rotation.from_matrix([c.rotation for c in cams]))

    @property
    def span(self) -> tuple[float, float]:
        """(first, last) keyframe TDB times."""
        return self.t0, self.t0 + float(self.times[-1])

    def _anchor(self, snap: Snapshot) -> F64:
        if self.follow not in snap.positions:
            raise UserError(f"the camera path follows {self.follow}, which has no position at "
                            f"et {snap.et:.3f}; pick times inside its coverage")
        return np.asarray(snap.positions[self.follow], dtype=np.float64)

    def at(self, et: float, snap: Snapshot | None = None) -> Camera:
        """The camera at TDB ``et`` (``snap``: the world at ``et``, computed if not given)."""
        a, b = self.span
        t = float(et)
        if not (a - 1e-9 <= t <= b + 1e-9):
            raise UserError(f"et {t:.3f} is outside the camera keyframes ({a:.3f} to {b:.3f} TDB s)")
        snap = snap if snap is not None else self.snapshot_at(t)
        x = min(max(t - self.t0, 0.0), float(self.times[-1]))
        if self._position is None or self._rotation is None:
            offset, rot, fov = self.offsets[0], self.cameras[0].rotation, float(self.fovs[0])
        else:
            offset = np.asarray(self._position(x), dtype=np.float64)
            rot = self._rotation(x).as_matrix()
            fov = self._fov(x)
        position = self._anchor(snap) + offset
        if self.aim is not None:
            if self.aim not in snap.positions:
                raise UserError(f"the camera path aims at {self.aim}, which has no position at et {t:.3f}")
            rot = look_rotation(np.asarray(snap.positions[self.aim]) - position, rot[:, 1])
        horizontal = self.horizontal_fov if self.cameras[0].horizontal_fov_deg is not None else None
        return Camera(position, np.asarray(rot, dtype=np.float64), fov, horizontal)

    def _fov(self, x: float) -> float:
        value = eased(self.times, self.fovs, x)
        return value if math.isfinite(value) else DEFAULT_FOV_DEG


__all__ = ["CameraKey", "CameraPath", "eased"]
