"""The camera: a float64 pose in the jovicentric J2000 frame, projection, and camera-relative data.

Positions stay float64 on the CPU (km, J2000, origin at Jupiter's centre); the GPU gets float32
values *relative to the camera* (``Camera.relative``), so a camera 40 m from Juno and 422,000 km
from Jupiter loses no precision. The camera frame follows OpenGL: +x right, +y up, looking along −z.
``Camera.rotation`` maps camera-frame vectors to J2000 (its columns are right, up and back).

Depth from 1 m to 10⁹ km in one frame uses a logarithmic depth, ``log_depth`` below (the numpy
reference of what the shaders write): depth = log2(1 + d/d0) / log2(1 + far/d0), d0 = 1 m.

Camera specs (``viewer.config.CameraSpec``) are resolved against a :class:`Snapshot`:

* ``above:BODY:LAT:WLON:ALT_KM`` — ALT above the ellipsoid point at planetocentric LAT, west WLON
  (along the surface normal), looking at the body's centre, the body's north up.
* ``orbit:TARGET:LAT:WLON:RANGE_KM`` — RANGE from the centre along the direction (LAT, WLON) of the
  body-fixed frame (Juno's frame for ``juno``), looking at the centre, north (+Z) up.
* ``look:FROM:TARGET`` — toward TARGET's centre, TARGET's north up (celestial north for the Sun).
  From Juno the camera is at Juno's centre. From a body it stands on the line from FROM's centre to
  TARGET's centre, ``LOOK_LIFT`` (1 %) of FROM's mean radius above FROM's ellipsoid (18 km over Io's
  sub-Jupiter point): a place an observer can be, so no body has to be hidden and the inside-a-body
  check holds for every camera; TARGET's centre is exactly where it is seen from FROM's centre (the
  camera is on that line), only a little nearer (by 1.01 R_FROM: 0.4 % larger for Jupiter from Io).
  FROM's own surface lies more than 90° from the view axis, outside any field of view below 180°.
* ``surface:BODY:LAT:WLON[:HEADING:PITCH]`` — standing on BODY: ``SURFACE_EYE_KM`` (2 m) above the
  ellipsoid point at planetocentric LAT, west WLON, along its normal; looking HEADING degrees from
  local north clockwise toward east, PITCH degrees above the local horizon (defaults 0, 0); the image's
  up is the normal tilted with the view (looking at the zenith while facing north, the image's top is
  south). Local north: the body's rotation axis projected onto the tangent plane (toward the north
  pole); at a pole, where that vanishes, the direction of meridian WLON + 180° (across the pole).
* ``junocam:spin`` — through JunoCam as it turns with Juno: the instrument frame at the instant
  (:func:`viewer.junocam.camera_to_j2000` of Juno's attitude, spin included): samples to the right,
  lines down, the 58° cross-scan field across.
* ``junocam[:TARGET]`` — from Juno along JunoCam's boresight (−X of the spacecraft, perpendicular
  to the +Z spin axis) at the spin phase that brings TARGET nearest the boresight; the image's
  horizontal axis is the spin axis (the detector's samples, running toward −Z as in the raw
  products and ``junocam:spin``) and spans JunoCam's 58° cross-scan field.
* ``sky:RA:DEC`` — from Jupiter's centre toward a J2000 direction, celestial north up.

A feature name may stand for LAT:WLON (``above:io:pele:500``, ``surface:io:loki``;
:mod:`viewer.procedural.nomenclature`). ``roll=DEG`` at the end of any spec turns the camera about its
view axis by DEG (positive: the right edge of the image dips, the scene turns counter-clockwise on the
screen); without it every camera is bit for bit what it was before roll existed.

A camera inside (or on) a body's ellipsoid would draw a black frame: :func:`camera_from_spec` refuses
it (:func:`inside_body`, the same test the interactive viewer makes for a moving camera), except the
``sky`` camera, whose position is only nominal (the bodies are not seen from inside).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from viewer.config import LOOK_LIFT, SURFACE_EYE_KM, CameraSpec
from viewer.errors import UserError
from viewer.sim.constants import BODIES, SUN_RADIUS_KM
from viewer.sim.frames import vector_from_lat_wlon
from viewer.sim.world import Snapshot

F64 = NDArray[np.float64]

#: Nearest and farthest distances one frame must depth-sort, km (1 m … 10⁹ km).
NEAR_KM = 1e-3
FAR_KM = 1e9
#: JunoCam's cross-scan field of view, degrees (docs/sources.md §4a).
JUNOCAM_FOV_DEG = 58.0
#: Default vertical field of view for specs that do not set one, degrees.
DEFAULT_FOV_DEG = 60.0
CELESTIAL_NORTH = np.array([0.0, 0.0, 1.0])


def _unit(v: ArrayLike) -> F64:
    a = np.asarray(v, dtype=np.float64)
    n = float(np.linalg.norm(a))
    if n == 0.0:
        raise UserError("the camera cannot look along a zero-length direction; move it off the target")
    return a / n


def look_rotation(forward: ArrayLike, up_hint: ArrayLike) -> F64:
    """Camera → J2000 rotation looking along ``forward`` with ``up_hint`` as near to up as possible.
    When ``up_hint`` is parallel to ``forward``, another axis serves."""
    f = _unit(forward)
    up = np.asarray(up_hint, dtype=np.float64)
    right = np.cross(f, up)
    if np.linalg.norm(right) < 1e-9 * max(1.0, float(np.linalg.norm(up))):
        alt = np.array([1.0, 0.0, 0.0]) if abs(f[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
        right = np.cross(f, alt)
    right = _unit(right)
    true_up = np.cross(right, f)
    return np.stack([right, true_up, -f], axis=1)


def log_depth(distance_km: ArrayLike, far_km: float = FAR_KM, d0_km: float = NEAR_KM) -> F64:
    """Logarithmic depth in [0, 1] for a distance along the view axis (the shaders' reference)."""
    d = np.maximum(np.asarray(distance_km, dtype=np.float64), 0.0)
    return np.asarray(np.log2(1.0 + d / d0_km) / np.log2(1.0 + far_km / d0_km), dtype=np.float64)


@dataclass(frozen=True)
class Camera:
    """A pinhole camera: float64 position (km, jovicentric J2000), orientation, vertical field of view.

    ``horizontal_fov_deg`` (if set) fixes the horizontal field instead, and the vertical one follows
    from the image's aspect ratio (JunoCam's 58° cross-scan field).
    """

    position_km: F64
    rotation: F64
    fov_deg: float = DEFAULT_FOV_DEG
    horizontal_fov_deg: float | None = None

    @property
    def forward(self) -> F64:
        """Viewing direction, unit vector in J2000."""
        return np.asarray(-self.rotation[:, 2], dtype=np.float64)

    @property
    def up(self) -> F64:
        return np.asarray(self.rotation[:, 1], dtype=np.float64)

    def vertical_fov_deg(self, width: int, height: int) -> float:
        """The vertical field of view (degrees) for an image of ``width`` × ``height`` pixels."""
        if self.horizontal_fov_deg is None:
            return self.fov_deg
        half = math.radians(self.horizontal_fov_deg) / 2.0
        return math.degrees(2.0 * math.atan(math.tan(half) * height / width))

    def focal_px(self, width: int, height: int) -> float:
        """Focal length in pixels: f = (H/2) / tan(vfov/2)."""
        return 0.5 * height / math.tan(math.radians(self.vertical_fov_deg(width, height)) / 2.0)

    def pixel_direction(self, row: float, column: float, width: int, height: int) -> F64:
        """Unit J2000 direction of the ray through the centre of pixel (``row``, ``column``) of a
        ``width`` × ``height`` image (row 0 at the top): the inverse of :meth:`project`."""
        f = self.focal_px(width, height)
        v = np.array([(column + 0.5 - 0.5 * width) / f, (0.5 * height - row - 0.5) / f, -1.0])
        return _unit(self.rotation @ v)

    def relative(self, points_km: ArrayLike) -> NDArray[np.float32]:
        """Points (km, J2000) relative to the camera, in the camera frame, as float32 for the GPU.
        The subtraction happens in float64, so precision is relative to the distance from the camera."""
        rel = np.asarray(points_km, dtype=np.float64) - self.position_km
        return np.asarray(rel @ self.rotation, dtype=np.float32)

    def project(self, points_km: ArrayLike, width: int, height: int) -> tuple[F64, F64]:
        """Pixel coordinates (x right, y down, pixel centres at +0.5) and view distance (km) of
        J2000 points, in float64. Points behind the camera get a negative distance."""
        rel = (np.asarray(points_km, dtype=np.float64) - self.position_km) @ self.rotation
        depth = -rel[..., 2]
        f = self.focal_px(width, height)
        with np.errstate(divide="ignore", invalid="ignore"):
            x = 0.5 * width + f * rel[..., 0] / depth
            y = 0.5 * height - f * rel[..., 1] / depth
        return np.stack([x, y], axis=-1), np.asarray(depth, dtype=np.float64)

    def projection_matrix(self, width: int, height: int, near_km: float = NEAR_KM) -> F64:
        """An OpenGL perspective matrix with an infinite far plane (depth comes from ``log_depth``
        in the shaders; this matrix only places pixels and clips behind ``near_km``)."""
        f = 1.0 / math.tan(math.radians(self.vertical_fov_deg(width, height)) / 2.0)
        aspect = width / height
        return np.array([[f / aspect, 0.0, 0.0, 0.0],
                         [0.0, f, 0.0, 0.0],
                         [0.0, 0.0, -1.0, -2.0 * near_km],
                         [0.0, 0.0, -1.0, 0.0]])


@dataclass(frozen=True)
class Ellipsoid:
    """A body's surface at one instant: ``radii_km`` (a, b, c) along the axes of ``rotation`` (body →
    J2000; the identity for the Sun, a sphere) about ``centre_km`` (jovicentric J2000)."""

    name: str
    centre_km: F64
    rotation: F64
    radii_km: tuple[float, float, float]

    @property
    def mean_radius_km(self) -> float:
        a, b, c = self.radii_km
        return float((a * b * c) ** (1.0 / 3.0))

    @property
    def title(self) -> str:
        """The body's name for people: ``"Io"``."""
        return self.name.capitalize()

    def scaled(self, vectors: ArrayLike) -> F64:
        """J2000 vectors (or points relative to the centre) in the body frame divided by the radii:
        the ellipsoid becomes the unit sphere."""
        return np.asarray(np.asarray(vectors, dtype=np.float64) @ self.rotation / np.asarray(self.radii_km),
                          dtype=np.float64)

    def normal(self, point_km: ArrayLike) -> F64:
        """Unit outward normal (J2000) of the ellipsoid at a surface point (jovicentric J2000, km)."""
        q = (np.asarray(point_km, dtype=np.float64) - self.centre_km) @ self.rotation
        return _unit(self.rotation @ (q / np.asarray(self.radii_km) ** 2))

    def radius_along(self, direction: ArrayLike) -> float:
        """Distance (km) from the centre to the surface along a J2000 ``direction``."""
        d = self.scaled(_unit(direction))
        return float(1.0 / math.sqrt(float(d @ d)))


def ellipsoids(snap: Snapshot) -> list[Ellipsoid]:
    """The surfaces of the Sun and of the bodies of ``viewer.sim.constants.BODIES`` present in the
    snapshot, with their IAU triaxial radii."""
    out = [Ellipsoid(name, np.asarray(snap.positions[name], dtype=np.float64),
                     np.asarray(snap.rotations[name], dtype=np.float64), body.radii_km)
           for name, body in BODIES.items() if name in snap.positions and name in snap.rotations]
    if "sun" in snap.positions:
        out.append(Ellipsoid("sun", np.asarray(snap.positions["sun"], dtype=np.float64), np.eye(3),
                             (SUN_RADIUS_KM,) * 3))
    return out


def inside_body(snap: Snapshot, position_km: ArrayLike) -> Ellipsoid | None:
    """The body whose ellipsoid contains ``position_km`` (jovicentric J2000, km) — inside or on the
    surface, to 1e-12 of its radius — or None. Pure (no GL): the still command refuses such a camera,
    the interactive viewer tests a moving one."""
    p = np.asarray(position_km, dtype=np.float64)
    for body in ellipsoids(snap):
        q = body.scaled(p - body.centre_km)
        if float(q @ q) <= 1.0 + 1e-12:
            return body
    return None


def body_at_pixel(snap: Snapshot, camera: Camera, pixel: tuple[int, int],
                  size: tuple[int, int]) -> str | None:
    """The name of the body whose ellipsoid the ray through ``pixel`` (row, column) of a ``size``
    (width, height) image meets first, or None (sky, or the spacecraft's mesh)."""
    d = camera.pixel_direction(pixel[0], pixel[1], size[0], size[1])
    return first_hit(snap, camera.position_km, d)[0]


def first_hit(snap: Snapshot, origin_km: ArrayLike, direction: ArrayLike) -> tuple[str | None, float]:
    """The body whose ellipsoid the ray from ``origin_km`` (jovicentric J2000, km) along the unit J2000
    ``direction`` meets first, and the distance to that hit in km; (None, inf) when it meets none."""
    origin = np.asarray(origin_km, dtype=np.float64)
    d = np.asarray(direction, dtype=np.float64)
    best, name = math.inf, None
    for body in ellipsoids(snap):
        o, v = body.scaled(origin - body.centre_km), body.scaled(d)
        a, b, c = float(v @ v), float(o @ v), float(o @ o) - 1.0
        disc = b * b - a * c
        if disc < 0.0:
            continue
        t = (-b - math.sqrt(disc)) / a
        if 0.0 < t < best:
            best, name = t, body.name
    return name, best


def _refuse_inside(spec: CameraSpec, snap: Snapshot, position: F64, direction: F64 | None = None) -> None:
    """Raise UserError naming the body when the camera at ``position`` is inside one; ``direction``
    (J2000, from the target's centre) makes the message give the least range that works."""
    body = inside_body(snap, position)
    if body is None:
        return
    a, b, c = body.radii_km
    size = (f"radius {a:,.1f} km" if a == b == c
            else f"radii {a:,.1f} × {b:,.1f} × {c:,.1f} km, mean {body.mean_radius_km:,.1f} km")
    if spec.mode == "above" and spec.target == body.name:
        fix = "use an altitude above 0 km"
    elif spec.mode == "orbit" and spec.target == body.name and direction is not None:
        fix = f"use a range above {body.radius_along(direction):,.1f} km (the surface in that direction)"
    elif spec.mode == "junocam" or (spec.mode == "look" and spec.origin == "juno"):
        fix = "Juno is never inside a body; check the trajectory kernels or pick another time"
    else:
        fix = f"move it out of {body.title}"
    raise UserError(f"camera {spec} is inside {body.title} ({size}): {fix}")


def _north(snap: Snapshot, body: str) -> F64:
    rot = snap.rotations.get(body)
    return np.asarray(rot[:, 2], dtype=np.float64) if rot is not None else CELESTIAL_NORTH


def _require(snap: Snapshot, body: str, spec: CameraSpec) -> F64:
    if body not in snap.positions:
        if body == "juno":
            raise UserError(f"camera {spec}: Juno's position is unavailable at this time (outside "
                            "its trajectory's coverage); pick a time inside it or another camera")
        raise UserError(f"camera {spec}: unknown body {body!r}")
    return np.asarray(snap.positions[body], dtype=np.float64)


def _above_surface(radii_km: ArrayLike, direction: F64, height_km: float) -> tuple[F64, F64]:
    """The body-frame point ``height_km`` above the ellipsoid point in the unit ``direction`` from the
    centre (planetocentric), along that point's outward normal; and that unit normal (body frame)."""
    radii = np.asarray(radii_km, dtype=np.float64)
    surface = direction / math.sqrt(float(np.sum((direction / radii) ** 2)))
    normal = surface / radii**2
    length = np.linalg.norm(normal)
    return surface + height_km * normal / length, normal / length


def _surface_camera(s: CameraSpec, snap: Snapshot, fov: float) -> Camera:
    """``surface:BODY:LAT:WLON:HEADING:PITCH`` (module docstring)."""
    centre = _require(snap, s.target, s)
    rot = np.asarray(snap.rotations[s.target], dtype=np.float64)
    lat, wlon, heading, pitch = (math.radians(a) for a in s.args)
    offset, normal = _above_surface(BODIES[s.target].radii_km, vector_from_lat_wlon(lat, wlon),
                                    SURFACE_EYE_KM)
    up = rot @ normal
    pole = rot[:, 2] - (rot[:, 2] @ up) * up  # the rotation axis in the tangent plane
    if np.linalg.norm(pole) < 1e-12:  # at a pole: d(direction)/d(lat), across the pole
        pole = rot @ vector_from_lat_wlon(lat + math.pi / 2.0, wlon)
    north = _unit(pole - (pole @ up) * up)
    east = np.cross(north, up)
    level = math.cos(heading) * north + math.sin(heading) * east
    forward = math.cos(pitch) * level + math.sin(pitch) * up
    cam_up = -math.sin(pitch) * level + math.cos(pitch) * up
    position = centre + rot @ offset
    _refuse_inside(s, snap, position)
    return Camera(position, np.stack([np.cross(forward, cam_up), cam_up, -forward], axis=1), fov)


def _rolled(camera: Camera, roll_deg: float) -> Camera:
    """``camera`` turned by ``roll_deg`` about its view axis: positive dips the image's right edge."""
    if roll_deg == 0.0:
        return camera
    c, s = math.cos(math.radians(roll_deg)), math.sin(math.radians(roll_deg))
    right, up, back = camera.rotation.T
    rotation = np.stack([c * right - s * up, s * right + c * up, back], axis=1)
    return Camera(camera.position_km, rotation, camera.fov_deg, camera.horizontal_fov_deg)


def camera_from_spec(spec: CameraSpec | str, snap: Snapshot, fov_deg: float | None = None) -> Camera:
    """Resolve a camera spec against a snapshot. ``fov_deg`` (vertical) overrides the default."""
    s = CameraSpec.parse(spec) if isinstance(spec, str) else spec
    fov = float(fov_deg) if fov_deg is not None else DEFAULT_FOV_DEG
    if not 0.0 < fov < 180.0:
        raise UserError(f"field of view {fov}° must lie between 0 and 180 degrees")
    return _rolled(_unrolled_camera(s, snap, fov, fov_deg), s.roll_deg)


def _unrolled_camera(s: CameraSpec, snap: Snapshot, fov: float, fov_deg: float | None) -> Camera:
    if s.mode in ("above", "orbit"):
        centre = _require(snap, s.target, s)
        lat, wlon, dist = (math.radians(s.args[0]), math.radians(s.args[1]), s.args[2])
        direction = vector_from_lat_wlon(lat, wlon)
        rot = snap.rotations.get(s.target)
        if rot is None:
            raise UserError(f"camera {s}: {s.target} has no body frame at this time")
        if s.mode == "above":
            if s.target not in BODIES:
                raise UserError(f"camera {s}: 'above' needs a body with a surface; use orbit:")
            # The surface point at planetocentric (lat, wlon), then ALT along its normal.
            offset = _above_surface(BODIES[s.target].radii_km, direction, dist)[0]
        else:
            offset = dist * direction
        position = centre + rot @ offset
        _refuse_inside(s, snap, position, rot @ direction)
        return Camera(position, look_rotation(centre - position, rot[:, 2]), fov)

    if s.mode == "surface":
        return _surface_camera(s, snap, fov)

    if s.mode == "look":
        origin = _require(snap, s.origin, s)
        target = _require(snap, s.target, s)
        if s.origin != "juno":
            body = next((e for e in ellipsoids(snap) if e.name == s.origin), None)
            if body is None:
                raise UserError(f"camera {s}: {s.origin} has no body frame at this time")
            d = _unit(target - origin)
            origin = origin + (body.radius_along(d) + LOOK_LIFT * body.mean_radius_km) * d
        _refuse_inside(s, snap, origin)
        return Camera(origin, look_rotation(target - origin, _north(snap, s.target)), fov)

    if s.mode == "junocam" and s.target == "juno":  # junocam:spin
        from viewer.junocam import camera_to_j2000

        origin = _require(snap, "juno", s)
        _refuse_inside(s, snap, origin)
        axes = camera_to_j2000(snap.rotations["juno"])  # columns: samples, lines, boresight (J2000)
        return Camera(origin, look_rotation(axes[:, 2], -axes[:, 1]), fov,
                      horizontal_fov_deg=JUNOCAM_FOV_DEG if fov_deg is None else None)

    if s.mode == "junocam":
        origin = _require(snap, "juno", s)
        target = _require(snap, s.target, s)
        _refuse_inside(s, snap, origin)
        spin_axis = _north(snap, "juno")
        to_target = target - origin
        in_plane = to_target - (to_target @ spin_axis) * spin_axis
        if np.linalg.norm(in_plane) < 1e-9 * np.linalg.norm(to_target):
            raise UserError(f"camera {s}: {s.target} lies on Juno's spin axis; JunoCam never sees it")
        forward = _unit(in_plane)
        # As the detector sees it (junocam:spin, the raw products): samples run to the right along −Z
        # (the spin axis's opposite, the mounting's camera x), lines downward: up = forward × spin axis.
        up = np.cross(forward, spin_axis)
        camera = Camera(origin, look_rotation(forward, up), fov,
                        horizontal_fov_deg=JUNOCAM_FOV_DEG if fov_deg is None else None)
        return camera

    # sky:RA:DEC
    ra, dec = math.radians(s.args[0]), math.radians(s.args[1])
    direction = np.array([math.cos(dec) * math.cos(ra), math.cos(dec) * math.sin(ra), math.sin(dec)])
    return Camera(np.zeros(3), look_rotation(direction, CELESTIAL_NORTH), fov)
