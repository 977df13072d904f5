"""The interactive viewer's state without Qt: the clock, the camera modes, the keys.

:class:`Flight` is everything the window moves — a :class:`~viewer.sim.clock.Clock` and a camera mode —
in float64, in plain Python and NumPy. The window (:mod:`viewer.app.window`) feeds it the wall time
that passed between two frames and the user's input, and asks it for each frame's
:class:`~viewer.render.camera.Camera`; a script (:mod:`viewer.app.script`) drives the same object.
Nothing here reads the wall clock or knows of GL or Qt.

Camera modes (positions in km, jovicentric J2000; angles in degrees):

* :class:`SpecView` — a camera spec resolved at every instant (the view the window opens on, e.g.
  ``look:juno:io``, which rides with Juno).
* :class:`Orbit` — around a target body: ``range_km`` from its centre along a direction held fixed in
  J2000 (the body turns under the camera) or, for a chase, fixed relative to Juno's velocity about
  Jupiter and its spin axis; looking at the centre with the target's north up. Its camera *is* the
  camera of the spec ``orbit:TARGET:LAT:WLON:RANGE_KM`` (LAT and WLON of the direction in the
  target's body frame at that instant, written with every digit: :meth:`Orbit.spec_text`), so a
  screenshot equals ``jupitershine still --camera`` of that text, and a recorded path replays it.
* :class:`FreeFlight` — free flight: a position held relative to a body's centre and an orientation;
  held keys move it (W/S, A/D, Q/E) at a speed proportional to the distance to the nearest surface
  (:data:`FREE_SPEED` of it per second, ×:data:`FREE_BOOST` with Shift), the mouse turns it.
* :class:`Transition` — a smooth flight (smoothstep in time; direction slerped, range eased in log,
  the view turning onto the new target) from any camera into an orbit: target switches and script
  steps.

Dragging rotates the direction about the target's north and the camera's right axis (never closer than
:data:`POLE_MARGIN_DEG` to a pole, where "north up" has no meaning); the wheel scales the altitude
above the surface along the direction (the speed is proportional to the altitude), never closer than
:data:`MIN_ALTITUDE_KM`; no camera position is ever inside a body's ellipsoid (:func:`inside_body`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.config import CameraSpec
from viewer.errors import UserError
from viewer.render.camera import Camera, camera_from_spec, ellipsoids, inside_body, look_rotation
from viewer.sim.clock import Clock, TimedEvent
from viewer.sim.constants import BODIES
from viewer.sim.frames import lat_wlon
from viewer.sim.world import Snapshot

F64 = npt.NDArray[np.float64]

#: Juno's bounding sphere, km: half its 20.1 m × 4.6 m span diagonal (docs/sources.md §4c), the
#: "surface" an orbit around Juno keeps clear of.
JUNO_BOUND_KM = math.hypot(20.1 / 2.0, 4.6 / 2.0) / 1000.0
#: The closest the camera comes to a surface (a body's ellipsoid or Juno's bounding sphere), km.
MIN_ALTITUDE_KM = 1e-3
#: The farthest an orbit reaches from its target, km (beyond Callisto's orbit many times over).
MAX_RANGE_KM = 5e7
#: Altitude scale per wheel step (one notch in: × 0.8; out: ÷ 0.8).
ZOOM_STEP = 0.8
#: Degrees of rotation per pixel dragged.
DRAG_DEG_PER_PX = 0.3
#: How close to the target's poles an orbit may look from, degrees.
POLE_MARGIN_DEG = 1.0
#: Wall seconds a target switch flies.
TRANSITION_S = 1.5
#: The range a target switch arrives at: this many mean radii from a body's centre; Juno: 50 m.
ARRIVAL_RADII = 4.0
JUNO_ARRIVAL_KM = 0.05
#: A chase's starting place: this far behind Juno (km) and this many degrees above its path.
CHASE_RANGE_KM = 0.04
CHASE_ELEVATION_DEG = 12.0
#: Free flight's speed: this fraction of the distance to the nearest surface per wall second; Shift
#: multiplies it by FREE_BOOST.
FREE_SPEED = 0.5
FREE_BOOST = 5.0
#: Degrees the free camera turns per pixel dragged.
LOOK_DEG_PER_PX = 0.15
#: Free flight's movement keys → direction in the camera frame (x right, y up, −z forward).
MOVE_KEYS: dict[str, tuple[float, float, float]] = {
    "W": (0.0, 0.0, -1.0), "S": (0.0, 0.0, 1.0), "A": (-1.0, 0.0, 0.0), "D": (1.0, 0.0, 0.0),
    "Q": (0.0, -1.0, 0.0), "E": (0.0, 1.0, 0.0),
}
#: The bodies the number keys orbit, in key order 1 … 6.
TARGETS = ("jupiter", "io", "europa", "ganymede", "callisto", "juno")
#: Event kinds the jump keys reach (``Clock.jump`` kinds, as :func:`viewer.sim.events.search` names them).
JUMPS: dict[str, tuple[str, ...]] = {
    "closest_approach": ("closest_approach",),
    "perijove": ("perijove",),
    "eclipse": ("eclipse_entry", "eclipse_exit"),
}


@dataclass(frozen=True)
class Key:
    """One row of the key table: what to press (as the help shows it), the action, what it does."""

    keys: str
    action: str
    help: str


#: Every key of the window, in the order the help overlay and ``fly --help`` list them.
KEYS: tuple[Key, ...] = (
    Key("Space", "play_pause", "play / pause the clock"),
    Key("B", "reverse", "run time backwards / forwards"),
    Key("] or +", "faster", "faster clock (1, 2, 5, 10 … 10^6 x)"),
    Key("[ or -", "slower", "slower clock"),
    Key("C, Shift+C", "jump:closest_approach", "jump to Juno's next / previous closest approach to a moon"),
    Key("J, Shift+J", "jump:perijove", "jump to the next / previous perijove"),
    Key("E, Shift+E", "jump:eclipse", "jump to the next / previous eclipse entry or exit of a moon"),
    Key("1 … 6", "target", "fly to and orbit Jupiter, Io, Europa, Ganymede, Callisto, Juno"),
    Key("K", "chase", "chase Juno (behind it on its path)"),
    Key("U, Shift+U", "junocam", "look through JunoCam: de-spun, on the target / turning with Juno's spin"),
    Key("F", "free", "free flight: W/S forward/back, A/D left/right, Q/E down/up (Shift: faster), "
        "drag to look; speed proportional to the distance to the nearest surface"),
    Key("0", "reset", "back to the starting camera"),
    Key("drag", "rotate", "orbit the target (left mouse button); in free flight: look around"),
    Key("wheel", "zoom", "zoom: speed proportional to the altitude, stops above the surface (free: move)"),
    Key("L", "labels", "show / hide the labels (bodies, events)"),
    Key("O", "trails", "show / hide the trails (orbits and Juno's path)"),
    Key("M", "look", "look: the preset's, physical, junocam (in turn)"),
    Key("X", "auto_exposure", "auto exposure on / off (off: hold the current EV)"),
    Key(". and ,", "brighter", "exposure: half a stop brighter / darker"),
    Key("I", "hud", "show / hide the numbers (HUD)"),
    Key("T", "panel", "show / hide the side panel (tools)"),
    Key("H or F1", "help", "show / hide this help"),
    Key("P", "screenshot", "screenshot: the view rendered offscreen at the screenshot size, as PNG"),
    Key("R", "record", "start / stop recording the flight as a scene file (for `jupitershine render`)"),
    Key("Esc", "quit", "quit"),
)

#: Key names (vispy's: "Space", "B", "F1", "]", …) → action (and, for the number keys, its body).
_KEYMAP: dict[str, str] = {
    "Space": "play_pause", "B": "reverse", "]": "faster", "+": "faster", "=": "faster",
    "[": "slower", "-": "slower", "C": "jump:closest_approach", "J": "jump:perijove",
    "E": "jump:eclipse", "K": "chase", "U": "junocam",
    "F": "free", "0": "reset", "I": "hud", "T": "panel", "H": "help",
    "F1": "help", "P": "screenshot", "R": "record", "Escape": "quit", "L": "labels", "O": "trails",
    "M": "look", "X": "auto_exposure", ".": "brighter", ",": "darker",
    **{str(i + 1): f"target:{name}" for i, name in enumerate(TARGETS)},
}


def action_for(key: str) -> str | None:
    """The action of a key (vispy's key name, e.g. ``"Space"``, ``"B"``, ``"]"``), or None."""
    return _KEYMAP.get(key if len(key) != 1 else key.upper())


def keys_help(columns: int | None = None) -> str:
    """The key table as text (the help overlay and ``fly --help``); with ``columns``, each description
    wrapped to fit that many characters a line (continuations under the description)."""
    import textwrap

    width = max(len(k.keys) for k in KEYS)
    indent = " " * (width + 4)
    lines = []
    for k in KEYS:
        head = f"  {k.keys:<{width}}  "
        if columns is None:
            lines.append(head + k.help)
        else:
            lines.append(textwrap.fill(k.help, columns, initial_indent=head, subsequent_indent=indent))
    return "\n".join(lines)


# --- geometry helpers -------------------------------------------------------------------------------

def _unit(v: npt.ArrayLike) -> F64:
    a = np.asarray(v, dtype=np.float64)
    return np.asarray(a / np.linalg.norm(a), dtype=np.float64)


def _rotate(v: F64, axis: F64, angle_rad: float) -> F64:
    """``v`` rotated by ``angle_rad`` about the unit ``axis`` (Rodrigues, right-handed)."""
    c, s = math.cos(angle_rad), math.sin(angle_rad)
    return np.asarray(v * c + np.cross(axis, v) * s + axis * float(axis @ v) * (1.0 - c), dtype=np.float64)


def _slerp(a: F64, b: F64, w: float) -> F64:
    """Spherical interpolation between unit vectors (``w`` in [0, 1])."""
    dot = min(1.0, max(-1.0, float(a @ b)))
    angle = math.acos(dot)
    if angle < 1e-9:
        return b.copy()
    if math.pi - angle < 1e-6:  # opposite: turn about any perpendicular axis
        axis = _unit(np.cross(a, [1.0, 0.0, 0.0] if abs(a[0]) < 0.9 else [0.0, 1.0, 0.0]))
        return _rotate(a, axis, w * angle)
    s = math.sin(angle)
    return _unit(a * (math.sin((1.0 - w) * angle) / s) + b * (math.sin(w * angle) / s))


def _smoothstep(u: float) -> float:
    x = min(1.0, max(0.0, u))
    return x * x * (3.0 - 2.0 * x)


def _require(snap: Snapshot, body: str) -> F64:
    if body not in snap.positions:
        if body == "juno":
            raise UserError("Juno's position is unknown at this time (outside its trajectory's coverage); "
                            "pick another target or time")
        raise UserError(f"unknown body {body!r}")
    return np.asarray(snap.positions[body], dtype=np.float64)


def north(snap: Snapshot, body: str) -> F64:
    """The body's +Z axis (north; Juno's spin axis) in J2000."""
    return np.asarray(snap.rotations[body][:, 2], dtype=np.float64)


def surface_radius(snap: Snapshot, body: str, direction: F64) -> float:
    """Distance (km) from ``body``'s centre to its surface along the J2000 ``direction``: the IAU
    ellipsoid; Juno's bounding sphere (:data:`JUNO_BOUND_KM`)."""
    if body == "juno":
        return JUNO_BOUND_KM
    for e in ellipsoids(snap):
        if e.name == body:
            return e.radius_along(direction)
    raise UserError(f"unknown body {body!r}")


def arrival_range(body: str) -> float:
    """The range (km from the centre) a flight to ``body`` arrives at."""
    if body == "juno":
        return JUNO_ARRIVAL_KM
    return ARRIVAL_RADII * BODIES[body].mean_radius_km


def push_out(snap: Snapshot, position: F64) -> F64:
    """``position`` moved out of any body it is inside, radially to :data:`MIN_ALTITUDE_KM` above the
    surface (unchanged when outside every body)."""
    p = np.asarray(position, dtype=np.float64)
    for _ in range(3):  # a body pushed out of could only put it in another that touches it
        body = inside_body(snap, p)
        if body is None:
            return p
        d = _unit(p - body.centre_km)
        p = body.centre_km + d * (body.radius_along(d) + MIN_ALTITUDE_KM)
    return p


def spec_camera(text: str, snap: Snapshot, fov_deg: float | None) -> Camera:
    """The camera of a spec's text at the snapshot (the resolution every frontend uses)."""
    return camera_from_spec(CameraSpec.parse(text), snap, fov_deg)


# --- camera modes -------------------------------------------------------------------------------------

def chase_basis(snap: Snapshot) -> F64:
    """Columns: behind Juno (against its velocity about Jupiter), left, and up (Juno's spin axis made
    perpendicular to the first), J2000. A chase's direction is held in this frame."""
    v = np.asarray(snap.velocities["juno"], dtype=np.float64) - np.asarray(snap.velocities["jupiter"])
    back = -_unit(v)
    up = north(snap, "juno")
    up = up - float(up @ back) * back
    if float(np.linalg.norm(up)) < 1e-9:
        up = np.cross(back, [1.0, 0.0, 0.0] if abs(back[0]) < 0.9 else [0.0, 1.0, 0.0])
    up = _unit(up)
    return np.stack([back, np.cross(up, back), up], axis=1)


@dataclass
class Orbit:
    """Around ``target``: ``range_km`` from its centre along ``direction`` (a unit vector in J2000, or,
    with ``chase``, in :func:`chase_basis`'s frame), looking at the centre, the target's north up."""

    target: str
    direction: F64
    range_km: float
    chase: bool = False

    def basis(self, snap: Snapshot) -> F64:
        return chase_basis(snap) if self.chase else np.eye(3)

    def world_direction(self, snap: Snapshot) -> F64:
        """The direction from the target's centre to the camera, J2000."""
        return _unit(self.basis(snap) @ self.direction)

    def spec_text(self, snap: Snapshot) -> str:
        """``orbit:TARGET:LAT:WLON:RANGE_KM`` with every digit (``repr`` of the floats), LAT and WLON
        (degrees, planetocentric, west) of the direction in the target's body frame at the snapshot."""
        v = np.asarray(snap.rotations[self.target], dtype=np.float64).T @ self.world_direction(snap)
        lat, wlon = lat_wlon(v)
        lat_d = min(90.0, max(-90.0, math.degrees(float(lat))))
        wlon_d = math.degrees(float(wlon)) % 360.0
        return f"orbit:{self.target}:{lat_d!r}:{wlon_d!r}:{float(self.range_km)!r}"

    def camera(self, snap: Snapshot, fov_deg: float | None) -> Camera:
        return spec_camera(self.spec_text(snap), snap, fov_deg)

    # -- input ------------------------------------------------------------------------------------------

    def rotate(self, snap: Snapshot, dx_deg: float, dy_deg: float) -> None:
        """Orbit by ``dx_deg`` about the target's north (drag right: the camera moves left round it, the
        body turns right) and ``dy_deg`` up over it, keeping :data:`POLE_MARGIN_DEG` from the poles;
        the range grows if the new direction meets a higher surface."""
        b = self.basis(snap)
        d = b @ self.direction
        up = north(snap, self.target)
        d = _rotate(d, up, math.radians(-dx_deg))
        right = np.cross(up, d)
        if float(np.linalg.norm(right)) > 1e-12:
            d2 = _rotate(d, _unit(right), math.radians(-dy_deg))
            polar = math.degrees(math.acos(min(1.0, max(-1.0, float(d2 @ up)))))
            if POLE_MARGIN_DEG <= polar <= 180.0 - POLE_MARGIN_DEG:
                d = d2
        self.direction = _unit(b.T @ _unit(d))
        self.range_km = max(self.range_km, self.min_range(snap))

    def min_range(self, snap: Snapshot) -> float:
        """The least range along the current direction: the surface plus :data:`MIN_ALTITUDE_KM`."""
        return surface_radius(snap, self.target, self.world_direction(snap)) + MIN_ALTITUDE_KM

    def altitude(self, snap: Snapshot) -> float:
        """Height above the target's surface along the direction, km."""
        return self.range_km - surface_radius(snap, self.target, self.world_direction(snap))

    def zoom(self, snap: Snapshot, steps: float) -> None:
        """``steps`` wheel notches (positive: in): the altitude times :data:`ZOOM_STEP` per notch, not
        below :data:`MIN_ALTITUDE_KM`; a step that would put the camera inside another body is refused."""
        surface = surface_radius(snap, self.target, self.world_direction(snap))
        alt = max(self.range_km - surface, MIN_ALTITUDE_KM)
        new = min(max(alt * ZOOM_STEP ** float(steps), MIN_ALTITUDE_KM), MAX_RANGE_KM)
        r = surface + new
        position = _require(snap, self.target) + self.world_direction(snap) * r
        if inside_body(snap, position) is None:
            self.range_km = r


@dataclass
class SpecView:
    """A camera spec resolved at each instant (``fov_deg``: vertical field of view or None)."""

    text: str

    @property
    def spec(self) -> CameraSpec:
        return CameraSpec.parse(self.text)

    def camera(self, snap: Snapshot, fov_deg: float | None) -> Camera:
        """The spec's camera; through JunoCam always with the instrument's 58° cross-scan field."""
        return spec_camera(self.text, snap, None if self.spec.mode == "junocam" else fov_deg)

    def target(self) -> str:
        """The body the view is about (an orbit around it continues from here)."""
        s = self.spec
        return "jupiter" if s.mode == "sky" else s.target


def nearest_surface_km(snap: Snapshot, position: F64) -> float:
    """Distance (km) from ``position`` to the nearest surface: each ellipsoid along the line to its
    centre, Juno's bounding sphere; never below :data:`MIN_ALTITUDE_KM`."""
    p = np.asarray(position, dtype=np.float64)
    best = math.inf
    for e in ellipsoids(snap):
        if e.name == "sun":
            continue
        r = p - e.centre_km
        d = float(np.linalg.norm(r))
        best = min(best, d - e.radius_along(r) if d > 0.0 else 0.0)
    if "juno" in snap.positions:
        best = min(best, float(np.linalg.norm(p - snap.positions["juno"])) - JUNO_BOUND_KM)
    return max(best, MIN_ALTITUDE_KM)


@dataclass
class FreeFlight:
    """Free flight: the camera at ``offset`` (km, J2000) from ``anchor``'s centre — carried along as the
    body moves — with orientation ``rotation`` (camera → J2000, columns right, up, back)."""

    anchor: str
    offset: F64
    rotation: F64

    def position(self, snap: Snapshot) -> F64:
        return np.asarray(_require(snap, self.anchor) + self.offset, dtype=np.float64)

    def camera(self, snap: Snapshot, fov_deg: float | None) -> Camera:
        from viewer.render.camera import DEFAULT_FOV_DEG

        return Camera(self.position(snap), self.rotation, float(fov_deg or DEFAULT_FOV_DEG))

    def look(self, dx_deg: float, dy_deg: float) -> None:
        """Turn right by ``dx_deg`` (about the camera's up) and up by ``dy_deg`` (about its right)."""
        r = self.rotation
        yawed = np.stack([_rotate(r[:, k], r[:, 1], math.radians(-dx_deg)) for k in range(3)], axis=1)
        turned = np.stack([_rotate(yawed[:, k], yawed[:, 0], math.radians(dy_deg)) for k in range(3)], axis=1)
        self.rotation = look_rotation(-turned[:, 2], turned[:, 1])  # re-orthonormalised

    def move(self, snap: Snapshot, direction: npt.ArrayLike, wall_dt: float, boost: bool = False) -> None:
        """Move along ``direction`` (camera frame, any length: normalised) for ``wall_dt`` wall seconds
        at :data:`FREE_SPEED` × the distance to the nearest surface per second (never into a body)."""
        d = np.asarray(direction, dtype=np.float64)
        n = float(np.linalg.norm(d))
        if n == 0.0 or wall_dt <= 0.0:
            return
        p = self.position(snap)
        speed = FREE_SPEED * (FREE_BOOST if boost else 1.0) * nearest_surface_km(snap, p)
        # At most half the distance to the nearest surface per step: a long frame cannot cross into it.
        step = min(speed * float(wall_dt), 0.5 * nearest_surface_km(snap, p) * (FREE_BOOST if boost else 1.0))
        target = push_out(snap, p + self.rotation @ (d / n) * step)
        self.offset = target - _require(snap, self.anchor)


@dataclass
class Transition:
    """A flight from the camera ``start`` (at the switch) into ``end`` over ``duration_s`` wall seconds.

    The position is the end target's centre plus an offset whose direction (in the end orbit's frame)
    is slerped from where the camera was to the end direction and whose length is eased in log from
    the start range to the end range; the view turns from the start's forward to the target's centre
    and the up from the start's to the target's north, all with a smoothstep in time. Positions inside
    a body are pushed out (:func:`push_out`)."""

    start: Camera
    start_direction: F64  # unit, in the end orbit's frame
    start_range_km: float
    end: Orbit
    duration_s: float = TRANSITION_S
    elapsed_s: float = 0.0

    @classmethod
    def toward(cls, camera: Camera, end: Orbit, snap: Snapshot,
               duration_s: float = TRANSITION_S) -> Transition:
        offset = np.asarray(camera.position_km, dtype=np.float64) - _require(snap, end.target)
        r = float(np.linalg.norm(offset))
        if r < 1e-12:
            offset, r = end.world_direction(snap) * end.range_km, end.range_km
        d = _unit(end.basis(snap).T @ (offset / r))
        return cls(camera, d, r, end, max(float(duration_s), 1e-6))

    @property
    def done(self) -> bool:
        return self.elapsed_s >= self.duration_s

    def advance(self, wall_dt: float) -> None:
        self.elapsed_s += float(wall_dt)

    def camera(self, snap: Snapshot, fov_deg: float | None) -> Camera:
        if self.done:
            return self.end.camera(snap, fov_deg)
        w = _smoothstep(self.elapsed_s / self.duration_s)
        centre = _require(snap, self.end.target)
        b = self.end.basis(snap)
        d = _slerp(self.start_direction, _unit(self.end.direction), w)
        r = math.exp((1.0 - w) * math.log(self.start_range_km) + w * math.log(self.end.range_km))
        position = push_out(snap, centre + b @ d * r)
        look = _slerp(self.start.forward, _unit(centre - position),
                      _smoothstep(self.elapsed_s / (0.7 * self.duration_s)))
        up = (1.0 - w) * self.start.up + w * north(snap, self.end.target)
        fov = self.start.fov_deg if fov_deg is None else (1.0 - w) * self.start.fov_deg + w * fov_deg
        return Camera(position, look_rotation(look, up), float(fov))


# --- the whole state ----------------------------------------------------------------------------------

@dataclass
class Flight:
    """The clock and the camera of the interactive viewer (module docstring).

    ``world``: the World; ``clock``: its Clock (the window's span and events); ``start``: the camera
    spec the view opens on; ``fov_deg``: the vertical field of view (degrees) of every camera but a
    spec's own (JunoCam's).
    """

    world: Any
    clock: Clock
    start: str
    fov_deg: float
    mode: SpecView | Orbit | Transition | FreeFlight = field(init=False)
    last_camera: Camera | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        CameraSpec.parse(self.start)  # bad specs: one line before the window opens
        self.mode = SpecView(self.start)

    # -- time -------------------------------------------------------------------------------------------

    def advance(self, wall_dt: float) -> float:
        """Move the clock (when playing) and any flight by ``wall_dt`` wall seconds; return ``et``."""
        et = self.clock.advance(wall_dt)
        if isinstance(self.mode, Transition):
            self.mode.advance(wall_dt)
            if self.mode.done:
                self.mode = self.mode.end
        return et

    def set_events(self, events: Iterable[Any]) -> None:
        """Events the jump keys reach (:class:`viewer.sim.world.Event` from the search)."""
        from viewer.sim.events import describe

        self.clock.events = tuple(sorted((TimedEvent(e.kind, describe(e), float(e.et)) for e in events),
                                         key=lambda t: t.et))

    def jump(self, what: str, backward: bool = False) -> TimedEvent | None:
        """Jump to the next (``backward``: previous, in the direction of time) event of a kind of
        :data:`JUMPS`; returns it, or None when there is none in the span."""
        forward = (self.clock.rate > 0) != backward
        return self.clock.jump(JUMPS[what], forward=forward)

    # -- camera -----------------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        snap: Snapshot = self.world.at(self.clock.et)
        return snap

    def camera(self, snap: Snapshot) -> Camera:
        """The camera of the frame at ``snap`` (raises UserError, one line, when it cannot be made)."""
        cam = self.mode.camera(snap, self.fov_deg)
        self.last_camera = cam
        return cam

    def spec_text(self, snap: Snapshot) -> str | None:
        """The camera spec of the current view, exact (None during a flight between targets)."""
        if isinstance(self.mode, SpecView):
            return self.mode.text
        if isinstance(self.mode, Orbit):
            return self.mode.spec_text(snap)
        return None  # a flight between targets, free flight: no spec

    def anchor(self, snap: Snapshot) -> Any:
        """What a recorded key of this frame holds (:class:`viewer.app.record.Anchor`): the exact spec
        and the bodies the scene's shot follows and aims at; during a flight, the orbit around the new
        target through the camera's position."""
        from viewer.app.record import Anchor

        if isinstance(self.mode, FreeFlight):
            return None  # an orientation of its own: no camera spec holds it
        if isinstance(self.mode, Orbit):
            return Anchor(self.mode.spec_text(snap), self.mode.target, self.mode.target)
        if isinstance(self.mode, Transition):
            end = self.mode.end
            cam = self.last_camera or self.camera(snap)
            offset = np.asarray(cam.position_km, dtype=np.float64) - _require(snap, end.target)
            here = Orbit(end.target, _unit(offset), float(np.linalg.norm(offset)))
            return Anchor(here.spec_text(snap), end.target, end.target)
        s = self.mode.spec
        if s.mode in ("look", "junocam"):
            return Anchor(self.mode.text, s.origin, s.target if s.mode == "look" else None)
        if s.mode in ("orbit", "above"):
            return Anchor(self.mode.text, s.target, s.target)
        return Anchor(self.mode.text, s.target if s.target in snap.positions else "jupiter", None)

    def target(self) -> str:
        """The body the camera is about."""
        if isinstance(self.mode, SpecView):
            return self.mode.target()
        if isinstance(self.mode, FreeFlight):
            return self.mode.anchor
        return self.mode.end.target if isinstance(self.mode, Transition) else self.mode.target

    def orbit(self, snap: Snapshot) -> Orbit:
        """The current mode as an orbit (a spec's view or a flight becomes the orbit around its target
        through the camera's position; a flight is cut short)."""
        if isinstance(self.mode, Orbit):
            return self.mode
        if isinstance(self.mode, Transition):
            self.mode.elapsed_s = self.mode.duration_s
            self.mode = self.mode.end
            return self.mode
        target = self.target()
        if isinstance(self.mode, FreeFlight):  # the orbit around the body nearest to the camera
            pos = self.mode.position(snap)
            target = min((e.name for e in ellipsoids(snap) if e.name != "sun"),
                         key=lambda b: float(np.linalg.norm(snap.positions[b] - pos)))
        cam = self.last_camera or self.camera(snap)
        offset = np.asarray(cam.position_km, dtype=np.float64) - _require(snap, target)
        r = float(np.linalg.norm(offset))
        d = _unit(offset) if r > 0.0 else _unit(-cam.forward)
        orbit = Orbit(target, d, 0.0)
        orbit.range_km = max(r, orbit.min_range(snap))
        self.mode = orbit
        return orbit

    def rotate(self, snap: Snapshot, dx_px: float, dy_px: float) -> None:
        """A drag of (``dx_px``, ``dy_px``) pixels (x right, y down): orbit, or in free flight look."""
        if isinstance(self.mode, FreeFlight):
            self.mode.look(dx_px * LOOK_DEG_PER_PX, -dy_px * LOOK_DEG_PER_PX)
            return
        self.orbit(snap).rotate(snap, dx_px * DRAG_DEG_PER_PX, -dy_px * DRAG_DEG_PER_PX)

    def zoom(self, snap: Snapshot, steps: float) -> None:
        """``steps`` wheel notches (positive: in; in free flight: forward, a fifth of the way to the
        nearest surface per notch)."""
        if isinstance(self.mode, FreeFlight):
            self.mode.move(snap, (0.0, 0.0, -math.copysign(1.0, steps)), 0.2 * abs(steps) / FREE_SPEED)
            return
        self.orbit(snap).zoom(snap, steps)

    def free(self, snap: Snapshot) -> None:
        """Free flight from the current camera, carried along with the body it is about."""
        cam = self.last_camera or self.camera(snap)
        anchor = self.target() if self.target() in snap.positions else "jupiter"
        self.mode = FreeFlight(anchor, np.asarray(cam.position_km, dtype=np.float64) - _require(snap, anchor),
                               np.asarray(cam.rotation, dtype=np.float64))

    def fly_to(self, snap: Snapshot, end: Orbit, duration_s: float = TRANSITION_S) -> None:
        """Fly smoothly from the current camera into ``end``."""
        if end.target == "juno" and "juno" not in snap.positions:
            raise UserError("Juno's position is unknown at this time (outside its trajectory's "
                            "coverage); pick another target or time")
        cam = self.last_camera or self.camera(snap)
        self.mode = Transition.toward(cam, end, snap, duration_s)

    def switch_target(self, snap: Snapshot, target: str) -> None:
        """Fly to ``target`` (a body of :data:`TARGETS`) along the line from the camera to its centre,
        arriving at :func:`arrival_range` with the new target in the middle."""
        centre = _require(snap, target)
        cam = self.last_camera or self.camera(snap)
        offset = np.asarray(cam.position_km, dtype=np.float64) - centre
        d = _unit(offset) if float(np.linalg.norm(offset)) > 0.0 else _unit(-cam.forward)
        end = Orbit(target, d, 0.0)
        end.range_km = max(arrival_range(target), end.min_range(snap))
        self.fly_to(snap, end)

    def chase(self, snap: Snapshot) -> None:
        """Fly to the place behind Juno on its path (:data:`CHASE_RANGE_KM`, :data:`CHASE_ELEVATION_DEG`)
        and hold it there relative to Juno's velocity."""
        e = math.radians(CHASE_ELEVATION_DEG)
        self.fly_to(snap, Orbit("juno", np.array([math.cos(e), 0.0, math.sin(e)]), CHASE_RANGE_KM, True))

    def reset(self) -> None:
        """Back to the starting camera spec."""
        self.mode = SpecView(self.start)


def orbit_from(target: str, snap: Snapshot, *, lat_deg: float | None = None, wlon_deg: float | None = None,
               range_km: float | None = None, chase: bool = False, near: F64 | None = None) -> Orbit:
    """An orbit around ``target`` from script values: LAT/WLON of the direction in the target's body
    frame (for a chase: elevation above and azimuth from behind Juno), ``range_km`` from the centre
    (default :func:`arrival_range`); without LAT/WLON, the direction toward ``near`` (a J2000 position)."""
    from viewer.sim.frames import vector_from_lat_wlon

    centre = _require(snap, target)
    if lat_deg is not None or wlon_deg is not None:
        v = vector_from_lat_wlon(math.radians(lat_deg or 0.0), math.radians(wlon_deg or 0.0))
        d = v if chase else np.asarray(snap.rotations[target], dtype=np.float64) @ v
    elif near is not None and not chase:
        d = _unit(np.asarray(near, dtype=np.float64) - centre)
    else:
        e = math.radians(CHASE_ELEVATION_DEG)
        d = np.array([math.cos(e), 0.0, math.sin(e)])
    orbit = Orbit(target, _unit(d), 0.0, chase)
    orbit.range_km = max(float(range_km) if range_km is not None else arrival_range(target),
                         orbit.min_range(snap))
    return orbit


def projected_centre(camera: Camera, snap: Snapshot, body: str, size: tuple[int, int]) -> F64:
    """Pixel (x right, y down) where ``body``'s centre is seen in a ``size`` image."""
    px, _ = camera.project(_require(snap, body), size[0], size[1])
    return np.asarray(px, dtype=np.float64)


__all__ = ["JUMPS", "KEYS", "MOVE_KEYS", "TARGETS", "Flight", "FreeFlight", "Key", "Orbit", "SpecView",
           "Transition", "action_for", "arrival_range", "chase_basis", "keys_help", "nearest_surface_km",
           "orbit_from", "projected_centre", "push_out", "surface_radius"]
