"""The spacecraft pass: Juno's mesh (``models/juno.glb`` or ``--spacecraft-model``) posed by its attitude.

Units and frames. The model (:class:`viewer.render.meshes.ModelMesh`) is in metres in the spacecraft frame
(``JUNO_SPACECRAFT``: +Z the spin axis). The snapshot gives the spacecraft's position (km, J2000, origin
Jupiter's centre) and attitude (``snapshot.rotations[body]``: a 3×3 matrix whose columns are the spacecraft
X, Y, Z axes in J2000, i.e. it maps spacecraft-frame vectors to J2000). Each frame the model → camera
transform is computed on the CPU in float64 and sent as float32:

* rotation = ``camera.rotation.T @ attitude`` (spacecraft frame → camera frame),
* translation = ``view.relative(position)`` (the spacecraft origin relative to the camera, camera frame, km),
* scale = 1e-3 km per model unit (metres).

The vertex coordinates stay small (metres) and the translation is a camera-relative float64 difference,
so the only error is float32 rounding, ~6·10⁻⁸ of the distance from the camera: sub-pixel at any field of
view, from a camera 1 m from a panel to one 10⁶ km away (tested at 40 m, 1 m and 10⁴ km).

What ``shaders/spacecraft.frag`` computes, in the radiance unit of docs/architecture.md "Radiometry" (1.0 = a
white Lambert surface facing the Sun)::

    L = albedo · (f☉ · max(0, n·s) + Σ_i P_i · c_J · max(0, n·d_i) + Σ_j Q_j · c_Io · max(0, n·e_j)
                  + ambient_radiance)

with ``albedo`` the linear base colour of each part (vertex colours when the file has them; every part
is a Lambert surface), ``n`` the normal of the side the camera sees (flipped on back faces, so thin
panels are lit on both sides correctly), and:

* ``s``, the unit direction from the spacecraft to the Sun, and f☉ the visible fraction of the Sun's
  disc at the spacecraft's origin (:func:`spacecraft_light`): past Jupiter's oblate ellipsoid
  (:func:`~viewer.sim.photometry.sun_visible_fraction`) and past each moon as a sphere of its mean
  radius (:func:`~viewer.sim.photometry.sun_fraction_past_sphere`), the product of those (occulters are
  taken not to overlap on the Sun's disc), with the ``eclipses`` light path; 1 without it, 0 without
  the ``sun`` path;
* (d_i, P_i), Jupitershine as 48 directional lights (the ``jupitershine`` path;
  :func:`~viewer.sim.photometry.shine_lights` with Jupiter's Minnaert law, the moons as spheres that
  may hide part of Jupiter) and c_J Jupiter's mean colour (luminance 1; white when not given);
* (e_j, Q_j), Ioshine as 48 directional lights (the ``ioshine`` path;
  :func:`~viewer.sim.photometry.ioshine_lights`: Io's lit disc with its lunar-Lambert law, uniform
  albedo p = 0.63), scaled by the visible fraction of the Sun at Io's centre when the ``eclipses``
  path is on (an approximation: a partly eclipsed Io is dimmed as a whole) and c_Io Io's map's mean
  colour (cos³-latitude weighted like its albedo, luminance 1). Skipped (no lights, a cheaper shader)
  where the far-field estimate p·(R_Io/d)² is below :data:`IOSHINE_MIN` = 1e-4 of sunlight, i.e.
  beyond ~145,000 km from Io's centre;
* ``ambient_radiance``, a radiance on white added to every surface (:attr:`SpacecraftPass.ambient_radiance`,
  0 by default; tests render the albedo with it).

The lights are computed on the CPU in float64 at the spacecraft's origin (Juno's 20 m are nothing
against the distances to the Sun, Jupiter and Io). The Sun's term is evaluated per fragment in the camera
frame. The two shine sums are not: summing 96 lights per fragment made the pass ~10× slower on llvmpipe
(Juno filling a quarter of a 2×2-supersampled 1920×1080 frame from 12 m: 1.27 s instead of 0.13 s,
target clear included). Instead the CPU tabulates each source's E(n) = Σ_i P_i c max(0, n·d_i) over all
normal directions of that source's frame (:func:`viewer.sim.photometry.disc_frame` at the spacecraft:
toward the source's centre, its pole projected across that; :func:`shine_map`: an octahedral irradiance
map of :data:`SHINE_MAP_SIZE`² samples) and the fragment shader reads each with one bilinear texture
fetch at its normal turned into that frame (a 3×3 matrix per source: the attitude and the frame;
:func:`shine_lookup` is the numpy twin): within 0.3 % of the light sums, on flat and curved parts alike.
(Per-vertex sums, also tried, were as cheap but up to 25 % off on juno.glb's coarsely tessellated curved
parts, whose vertex normals differ by up to 88° across a triangle; a latitude–longitude map needed atan
and asin per fragment, 40 % dearer.)

Per frame. In the sources' frames the maps change slowly, and Juno's spin is the matrix alone. For a
snapshot from ``World.at`` each source's map comes from the World's time grid
(:func:`shine_table`, :mod:`viewer.sim.shine_table`): exact maps at grid nodes (the lights, ~10 ms, and
the map, ~1.5 ms, computed once per node), mixed between the two nodes around the instant and scaled
by the far-field estimate there (~0.3 ms with the Sun's fractions), then uploaded (two 200 kB textures,
~0.1 ms) in :meth:`SpacecraftPass.prepare`. The Sun's visible fractions, Io's eclipse and the Ioshine
cut-off are exact at the instant. A snapshot made or changed by hand (no ``world``) gets the exact
lights (:func:`spacecraft_light`) and maps computed at its instant.
Not modelled: the spacecraft's shadows on itself and light its parts reflect onto each other, Io's
albedo pattern and hot spots in Ioshine, and the second bounce (Jupitershine on Io's night side).
Coverage is 1: meshes are anti-aliased by the renderer's supersampling.

Depth. The fragment writes ``gl_FragDepth = log_depth(−z_camera)`` (``shaders/lib/depth.glsl``), the
same logarithmic depth the ray-cast bodies write, so Juno in front of Io hides Io and Juno behind Io is
hidden. The projection's near plane is :data:`NEAR_CLIP_KM` (1 mm), far below the 1 m the log depth is
scaled for, so a camera 1 m from a panel does not clip it. All parts are merged into one vertex buffer
with a per-vertex colour and drawn with one call (measured against one call per part: see
:class:`SpacecraftPass`).

GL state set by :meth:`SpacecraftPass.draw`: depth test on with ``less``, depth writes on, blending off,
no face culling. It draws into whatever framebuffer is bound (an :class:`~viewer.render.targets.HDRTarget`
with depth), after the stars and the bodies. :meth:`SpacecraftPass.prepare` compiles the shader variant a
view needs and uploads its irradiance map (doing either while a framebuffer is bound would rebind
framebuffer 0), so call it first; :meth:`SpacecraftPass.draw` refuses a map it has not been prepared for.

Must not import: ``viewer.cli``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.config import LIGHT_PATHS
from viewer.render.albedo import map_colour
from viewer.render.meshes import ModelMesh
from viewer.render.passes import NO_FOOTPRINT, quad_footprint
from viewer.render.passes.bodies import silhouette_quad
from viewer.render.shaders import program_cache
from viewer.render.view import View
from viewer.sim.constants import BODIES, JUPITER, MOONS, SUN_RADIUS_KM
from viewer.sim.photometry import (
    disc_frame,
    ioshine_lights,
    ioshine_to_sunlight,
    minnaert_law,
    shine_lights,
    sun_fraction_past_sphere,
    sun_visible_fraction,
)
from viewer.sim.shine_table import ShineTable

__all__ = ["IOSHINE_MIN", "KM_PER_MODEL_UNIT", "LIGHTS", "NEAR_CLIP_KM", "SHINE_MAP_SIZE", "ShineMap",
           "SpacecraftLight", "SpacecraftPass", "SpacecraftShine", "irradiance_map", "map_colour",
           "merge_parts", "model_to_camera", "shine_lookup", "shine_map", "shine_map_lookup",
           "shine_table", "spacecraft_light"]

F64 = npt.NDArray[np.float64]

#: Model units (metres) → km.
KM_PER_MODEL_UNIT = 1e-3
#: Near clip plane of the spacecraft's projection, km (1 mm: a camera 1 m from a panel keeps all of it).
NEAR_CLIP_KM = 1e-6

VERTEX_DTYPE = np.dtype([("a_position", np.float32, 3), ("a_normal", np.float32, 3),
                         ("a_color", np.float32, 3)])


def merge_parts(model: ModelMesh) -> tuple[npt.NDArray[Any], npt.NDArray[np.uint32]]:
    """All parts of ``model`` in one interleaved vertex array (position m, normal, linear RGB albedo) and
    one flat index array, so the whole spacecraft is one draw call."""
    vertices = np.empty(model.vertex_count, dtype=VERTEX_DTYPE)
    indices: list[npt.NDArray[np.uint32]] = []
    start = 0
    for part in model.parts:
        n = int(part.positions.shape[0])
        block = vertices[start:start + n]
        block["a_position"] = part.positions
        block["a_normal"] = part.normals
        if part.vertex_colors is not None:
            block["a_color"] = part.vertex_colors[:, :3]
        else:
            block["a_color"] = part.base_color[:3]
        indices.append(part.indices.reshape(-1).astype(np.uint32) + np.uint32(start))
        start += n
    return vertices, np.concatenate(indices)


def model_to_camera(view: View, body: str = "juno") -> tuple[npt.NDArray[np.float64],
                                                              npt.NDArray[np.float64]] | None:
    """(rotation, translation_km): spacecraft frame → camera frame, float64; None without a pose.

    ``camera_point_km = rotation @ (model_point_m · 1e-3) + translation_km``.
    """
    snap = view.snapshot
    if body not in snap.positions or body not in snap.rotations:
        return None
    attitude = np.asarray(snap.rotations[body], dtype=np.float64)
    rotation = view.camera.rotation.T @ attitude
    translation = (np.asarray(snap.positions[body], dtype=np.float64) - view.camera.position_km) \
        @ view.camera.rotation
    return np.asarray(rotation, dtype=np.float64), np.asarray(translation, dtype=np.float64)


#: A camera closer than this to the model's origin (metres) rides on board and does not draw it.
ONBOARD_M = 1.0

#: Directional lights per source (Jupiter, Io) computed on the CPU (:func:`spacecraft_light`).
LIGHTS = 48
#: The irradiance map's samples per side: an octahedral map of all normal directions (:func:`shine_map`),
#: 129 × 129 samples 0.9°–2.2° apart. Bilinear filtering between them is within 0.3 % of the largest
#: irradiance of the light sums it samples (measured for Io 1,500 and 10,000 km away and for Jupiter
#: with Io's limb across it, in random orientations; 65 × 65 samples: 0.55 %);
#: tests/render/test_spacecraft_light.py checks it.
SHINE_MAP_SIZE = 129
#: Ioshine is skipped where its far-field estimate p·(R_Io/d)² (an upper bound away from Io) is below
#: this fraction of sunlight: beyond ~145,000 km from Io's centre. A white panel facing Io there would
#: read < 1e-4, under what an exposure that shows the sunlit side can show.
IOSHINE_MIN = 1e-4
#: The shining sources and their uniforms' suffixes in ``shaders/spacecraft.frag``.
SHINE_SOURCES = {"jupiter": "j", "io": "io"}
#: Time-grid nodes kept per source (each an irradiance map of 200 kB).
TABLE_NODES = 32

Lights = tuple[F64, F64]


@dataclass(frozen=True)
class SpacecraftLight:
    """The light at the spacecraft's origin for one snapshot and light set (J2000, float64).

    Attributes
    ----------
    sun_fraction : visible fraction of the Sun's disc (0 without the ``sun`` path)
    jupitershine : (directions (48, 3), irradiance (48,)) or None when off, Jupiter-less or dark
    ioshine : the same for Io, already scaled by ``io_sun_fraction``; None when off, Io-less, or below
        :data:`IOSHINE_MIN`
    io_sun_fraction : visible fraction of the Sun at Io's centre (1 without the ``eclipses`` path)
    """

    sun_fraction: float
    jupitershine: Lights | None
    ioshine: Lights | None
    io_sun_fraction: float = 1.0


def _clear_of_sun(point: F64, sun: F64, centre: F64, radius_km: float) -> bool:
    """Whether a sphere (``centre``, ``radius_km``; bounding an occulter) lies wholly off the Sun's disc
    seen from ``point``: the angle between their centres exceeds the sum of their angular radii (then
    the occulter hides nothing, and the exact fractions below are exactly 1). Plain float arithmetic:
    this test runs for every occulter at every frame."""
    tx, ty, tz = (float(v) for v in centre - point)
    sx, sy, sz = (float(v) for v in sun - point)
    dc, ds = math.sqrt(tx * tx + ty * ty + tz * tz), math.sqrt(sx * sx + sy * sy + sz * sz)
    if dc <= radius_km:
        return False
    sep = math.acos(max(-1.0, min(1.0, (tx * sx + ty * sy + tz * sz) / (dc * ds))))
    return sep > math.asin(radius_km / dc) + math.asin(min(1.0, SUN_RADIUS_KM / ds)) + 1e-9


def _sun_fraction(snap: Any, point: F64, skip: str | None = None) -> float:
    """The visible fraction of the Sun's disc at ``point`` past Jupiter (its IAU ellipsoid and pole) and
    the moons present (spheres of their mean radii), ``skip`` excepted; the product of those."""
    sun = np.asarray(snap.positions["sun"], dtype=np.float64)
    fraction = 1.0
    if "jupiter" in snap.positions and "jupiter" in snap.rotations:
        jc = np.asarray(snap.positions["jupiter"], dtype=np.float64)
        if not _clear_of_sun(point, sun, jc, max(JUPITER.radii_km)):
            rot = np.asarray(snap.rotations["jupiter"], dtype=np.float64)
            fraction *= float(sun_visible_fraction((point - jc) @ rot, (sun - jc) @ rot, JUPITER.radii_km))
    for moon in MOONS:
        if moon.name != skip and moon.name in snap.positions:
            centre = np.asarray(snap.positions[moon.name], dtype=np.float64)
            if not _clear_of_sun(point, sun, centre, moon.mean_radius_km):
                fraction *= float(sun_fraction_past_sphere(point, centre, moon.mean_radius_km, sun))
    return fraction


def _outside(point: F64, centre: F64, radius_km: float) -> bool:
    return float(np.linalg.norm(point - centre)) > radius_km


def _jupitershine(snap: Any, point: F64) -> Lights | None:
    """Jupitershine lights at ``point`` (the moons present may hide part of Jupiter); None where Jupiter
    is missing, ``point`` lies inside its bounding sphere or nothing lit is in view."""
    if "jupiter" not in snap.positions or "jupiter" not in snap.rotations:
        return None
    jc = np.asarray(snap.positions["jupiter"], dtype=np.float64)
    if not _outside(point, jc, max(JUPITER.radii_km)):
        return None
    moons = [(snap.positions[m.name], m.mean_radius_km) for m in MOONS if m.name in snap.positions]
    sun = np.asarray(snap.positions["sun"], dtype=np.float64)
    js = shine_lights(point, jc, snap.rotations["jupiter"], sun - jc, JUPITER.radii_km, minnaert_law(),
                      LIGHTS, blockers=moons)
    return js if float(js[1].sum()) > 0.0 else None


def _ioshine(snap: Any, point: F64) -> Lights | None:
    """Ioshine lights at ``point``, Io wholly sunlit; None inside Io's bounding sphere."""
    ic = np.asarray(snap.positions["io"], dtype=np.float64)
    if not _outside(point, ic, max(BODIES["io"].radii_km)):
        return None
    sun = np.asarray(snap.positions["sun"], dtype=np.float64)
    return ioshine_lights(point, ic, snap.rotations["io"], sun - ic, LIGHTS)


def _sun_fractions(snap: Any, point: F64, light: frozenset[str]) -> tuple[float, float]:
    """The Sun's visible fraction at ``point`` (0 without the ``sun`` path, 1 without ``eclipses``) and
    at Io's centre (1 without ``eclipses`` or without Io)."""
    eclipses = "eclipses" in light
    sun_fraction = (_sun_fraction(snap, point) if eclipses else 1.0) if "sun" in light else 0.0
    io_fraction = _sun_fraction(snap, np.asarray(snap.positions["io"], dtype=np.float64), skip="io") \
        if eclipses and "io" in snap.positions else 1.0
    return sun_fraction, io_fraction


def _ioshine_reaches(snap: Any, point: F64, light: frozenset[str], io_fraction: float) -> bool:
    """Whether Ioshine is drawn at ``point``: the path on, Io present and sunlit, ``point`` outside Io
    and within the :data:`IOSHINE_MIN` distance."""
    if "ioshine" not in light or "io" not in snap.positions or "io" not in snap.rotations:
        return False
    ic = np.asarray(snap.positions["io"], dtype=np.float64)
    near = float(ioshine_to_sunlight(np.linalg.norm(point - ic))) >= IOSHINE_MIN
    return near and io_fraction > 0.0 and _outside(point, ic, max(BODIES["io"].radii_km))


def spacecraft_light(snap: Any, body: str = "juno", light: frozenset[str] = frozenset(LIGHT_PATHS)
                     ) -> SpacecraftLight:
    """The Sun's visible fraction, Jupitershine and Ioshine at ``body``'s position (see the module doc),
    computed exactly."""
    point = np.asarray(snap.positions[body], dtype=np.float64)
    sun_fraction, io_fraction = _sun_fractions(snap, point, light)
    js = _jupitershine(snap, point) if "jupitershine" in light else None
    io_shine: Lights | None = None
    if _ioshine_reaches(snap, point, light, io_fraction):
        lit = _ioshine(snap, point)
        io_shine = None if lit is None else (lit[0], lit[1] * io_fraction)
    return SpacecraftLight(sun_fraction, js, io_shine, io_fraction)


def _octahedral_decode(p: F64) -> F64:
    """Unit vectors (..., 3) at octahedral-map coordinates p (..., 2) in [−1, 1]²: the upper hemisphere
    fills the diamond |x| + |y| ≤ 1, the lower one is folded out into the four corners."""
    x, y = p[..., 0], p[..., 1]
    z = 1.0 - np.abs(x) - np.abs(y)
    fold = z < 0.0
    sx, sy = np.where(x >= 0.0, 1.0, -1.0), np.where(y >= 0.0, 1.0, -1.0)
    x, y = (np.where(fold, (1.0 - np.abs(p[..., 1])) * sx, x),
            np.where(fold, (1.0 - np.abs(p[..., 0])) * sy, y))
    v = np.stack([x, y, z], axis=-1)
    return np.asarray(v / np.linalg.norm(v, axis=-1, keepdims=True), dtype=np.float64)


def _octahedral_encode(n: F64) -> F64:
    """The inverse of :func:`_octahedral_decode` (as ``shaders/spacecraft.frag`` computes it)."""
    p = n[..., :2] / np.sum(np.abs(n), axis=-1, keepdims=True)
    sign = np.where(p >= 0.0, 1.0, -1.0)
    folded = (1.0 - np.abs(p[..., ::-1])) * sign
    return np.asarray(np.where((n[..., 2] < 0.0)[..., None], folded, p), dtype=np.float64)


@functools.lru_cache(maxsize=4)
def _map_normals(size: int = SHINE_MAP_SIZE) -> F64:
    """Unit normals (size, size, 3) at the irradiance map's samples: an octahedral map whose samples
    lie on a (size × size) grid over [−1, 1]², edges included (row j: y = −1 + 2j/(size − 1), column
    i: x likewise), so that bilinear filtering never reaches across the map's edges (the fold maps each
    edge onto itself mirrored, so the map is continuous there)."""
    g = -1.0 + 2.0 * np.arange(size) / (size - 1)
    x, y = np.meshgrid(g, g, indexing="xy")
    normals = _octahedral_decode(np.stack([x, y], axis=-1))
    normals.setflags(write=False)  # cached
    return normals


def irradiance_map(dirs: npt.ArrayLike, power: npt.ArrayLike, size: int = SHINE_MAP_SIZE) -> F64:
    """Σ_i P_i·max(0, n·d_i) at the normals n of :func:`_map_normals` (size, size), in the frame of the
    directions ``dirs`` (N, 3); ``power`` (N,)."""
    cos = _map_normals(size) @ np.asarray(dirs, dtype=np.float64).T
    return np.asarray(np.maximum(cos, 0.0) @ np.asarray(power, dtype=np.float64), dtype=np.float64)


def shine_map(sources: Sequence[tuple[F64, F64, npt.ArrayLike]],
              size: int = SHINE_MAP_SIZE) -> npt.NDArray[np.float32]:
    """The irradiance map (size, size, 3) float32: Σ over ``sources`` (directions (N, 3), irradiances
    (N,), RGB colour) of colour · Σ_i P_i·max(0, n·d_i), at the normals of :func:`_map_normals` (in the
    frame of the directions)."""
    out = np.zeros((size, size, 3))
    for dirs, power, colour in sources:
        out += irradiance_map(dirs, power, size)[..., None] * np.asarray(colour)
    return np.asarray(out, dtype=np.float32)


def shine_map_lookup(table: npt.ArrayLike, normal: npt.ArrayLike) -> F64:
    """What ``shaders/spacecraft.frag`` reads from ``table`` for unit normals (..., 3): the octahedral
    coordinates of the normal, bilinear between the samples (its numpy twin, for tests)."""
    t = np.asarray(table, dtype=np.float64)
    size = t.shape[0]
    uv = (_octahedral_encode(np.asarray(normal, dtype=np.float64)) + 1.0) * 0.5 * (size - 1)
    i0 = np.clip(np.floor(uv).astype(int), 0, size - 2)
    f = uv - i0
    fx, fy = f[..., :1], f[..., 1:]
    x0, y0 = i0[..., 0], i0[..., 1]
    top = t[y0, x0] * (1 - fx) + t[y0, x0 + 1] * fx
    bottom = t[y0 + 1, x0] * (1 - fx) + t[y0 + 1, x0 + 1] * fx
    return np.asarray(top * (1 - fy) + bottom * fy, dtype=np.float64)


def shine_table(world: Any, body: str, source: str, colour: npt.ArrayLike,
                capacity: int = TABLE_NODES) -> ShineTable:
    """The time-grid table (:class:`viewer.sim.shine_table.ShineTable`) of ``source``'s light
    (``"jupiter"``: Jupitershine, the moons as blockers; ``"io"``: Ioshine, Io wholly sunlit) on
    ``body`` for ``world``: its nodes hold the exact lights and the irradiance map (:func:`shine_map`,
    tinted ``colour``) in the source's Sun-aligned frame (e1 toward the Sun: the lit pattern turns with
    it, so the grid needs fewer nodes as Juno swings past Io), over the far-field scale. What
    :class:`SpacecraftPass` mixes per frame; Io's eclipse and the Ioshine cut-off are applied at the
    instant, not here."""

    def lights(s: Any) -> Lights | None:
        point = np.asarray(s.positions[body], dtype=np.float64)
        return _jupitershine(s, point) if source == "jupiter" else _ioshine(s, point)

    tint = np.asarray(colour, dtype=np.float64)
    blockers = tuple((m.name, m.mean_radius_km) for m in MOONS) if source == "jupiter" else ()
    src = BODIES[source]
    return ShineTable(world.at, body, source, lights, src.radii_km, src.geometric_albedo, LIGHTS,
                      blockers=blockers, capacity=capacity, frame="sun",
                      extra=lambda s, dirs, power: shine_map([(dirs, power, tint)]),
                      far_extra=lambda dirs, power: shine_map([(dirs, power, tint)]))


@dataclass(frozen=True)
class ShineMap:
    """One source's light on the spacecraft as ``shaders/spacecraft.frag`` reads it: ``table``, the
    irradiance (size, size, 3) float32 (RGB, solar units, the source's tint included) over all normal
    directions of the source frame, an octahedral map (:func:`irradiance_map`), and ``frame``, that
    frame at the spacecraft (rows ĉ, e1, e2 in J2000: :func:`viewer.sim.photometry.disc_frame`)."""

    frame: F64
    table: npt.NDArray[np.float32]


@dataclass(frozen=True)
class SpacecraftShine:
    """What the spacecraft's fragments are lit with at one instant: the Sun's visible fraction and the
    shine maps by source (``"jupiter"``, ``"io"``; a source that does not light it is absent)."""

    sun_fraction: float
    maps: dict[str, ShineMap]


def shine_lookup(shine: SpacecraftShine, attitude: npt.ArrayLike, normals: npt.ArrayLike) -> F64:
    """What ``shaders/spacecraft.frag`` adds for model-frame unit normals (..., 3) with the spacecraft's
    ``attitude`` (spacecraft → J2000): each map read at the normal turned into its source's frame
    (its numpy twin, for tests); RGB (..., 3)."""
    m = np.asarray(normals, dtype=np.float64)
    out = np.zeros((*m.shape[:-1], 3))
    for lit in shine.maps.values():
        out += shine_map_lookup(lit.table, m @ (lit.frame @ np.asarray(attitude, dtype=np.float64)).T)
    return out


def _shipped_io_rgb() -> npt.NDArray[np.float32]:
    """Io's shipped map, linear (``textures/io.png``)."""
    from viewer.paths import data_dir
    from viewer.render.gpu_textures import linear_rgb
    from viewer.render.textures import load_map

    return linear_rgb(load_map(data_dir("textures") / "io.png").data)


class SpacecraftPass:
    """Draw a spacecraft mesh posed by the snapshot, into the bound target, with log depth, lit by the Sun,
    Jupitershine and Ioshine (module doc).

    Parameters
    ----------
    context : GLContext
    model : ModelMesh
        The spacecraft in metres, spin axis +Z (:func:`viewer.render.meshes.load_model`).
    body : str
        The snapshot key of its position and attitude (``"juno"``).
    light : frozenset of str
        The enabled light paths (:data:`viewer.config.LIGHT_PATHS`; all by default).
    jupiter_colour : callable returning (3,) linear RGB, or None
        Jupiter's mean colour, luminance 1 (``BodiesPass.jupiter_colour``); white when None. Called once,
        the first time Jupitershine is drawn.
    io_map : callable returning Io's (H, W, 3) linear map, or None
        The map Io is drawn with (its :func:`map_colour` tints Ioshine); the shipped ``textures/io.png``
        when None. Called once, the first time Ioshine is drawn.

    Attributes
    ----------
    light : frozenset of str
        May be changed between frames.
    ambient_radiance : (3,) tuple of float
        Radiance on a white surface added to every part (0 by default).

    Notes
    -----
    The buffers are uploaded once, here. All parts share one vertex buffer with a per-vertex colour and
    are drawn with one call: for ``models/juno.glb`` (66 parts, 8,376 triangles, 12,614 vertices) one
    call per part measured ~2 ms more per frame on llvmpipe at 1920×1080, whatever Juno's size on screen.
    Cost there (2 busy cores): ~1.7 ms when Juno is a few pixels (vertex work), 3–5 ms at 40 m,
    22–38 ms when it covers a quarter of the frame from 12 m. Writing ``gl_FragDepth`` turns off early
    depth rejection and costs ~40 % of that last figure; culling back faces would save ~25 % for closed
    models like ours, but a user's model may have open sheets, so all faces are drawn. The
    Jupitershine/Ioshine lookup adds (measured with the 2×2 supersampling, Sun only vs all light paths):
    0.4 ms with Juno 2 km away, ~2 ms at 40 m, ~15 ms at 12 m (18 → 32 ms); :meth:`prepare` adds
    ~0.5 ms of CPU for each new snapshot on the time grid (more when it needs new nodes: ~12 ms each,
    module doc), ~14 ms for an exact one.

    :meth:`draw` does not call ``context.make_current()``: vispy's CURRENT command rebinds framebuffer
    0, which would send the draw away from the caller's target.

    Limits. A spacecraft smaller than a pixel may cover no pixel centre and vanish (there is no point
    sprite). The log depth resolves ~1.7e-6 of the distance, so self-occlusion is right while that is
    well under the parts' separations (~10 cm): within ~10 km (1.7 cm), beyond which a 20 m Juno spans
    under 2 pixels of a 1080-pixel, 60° view (only telescopic fields would show it mis-ordered).
    """

    def __init__(self, context: Any, model: ModelMesh, body: str = "juno",
                 light: frozenset[str] = frozenset(LIGHT_PATHS),
                 jupiter_colour: Callable[[], npt.ArrayLike] | None = None,
                 io_map: Callable[[], npt.ArrayLike] | None = None) -> None:
        from vispy import gloo

        self.context = context
        self.model = model
        self.body = body
        self.light = frozenset(light)
        self.ambient_radiance: tuple[float, float, float] = (0.0, 0.0, 0.0)
        self._colour_sources: dict[str, Callable[[], npt.ArrayLike] | None] = {"jupiter": jupiter_colour,
                                                                                "io": io_map}
        self._colours: dict[str, npt.NDArray[np.float32]] = {}
        self._light_cache: dict[tuple[Any, ...], SpacecraftLight] = {}
        self._shine_cache: dict[tuple[Any, ...], SpacecraftShine] = {}
        self._map_key: tuple[Any, ...] | None = None  # what the irradiance maps on the GPU hold
        self._world: Any = None
        self._tables: dict[str, ShineTable] = {}
        #: Compute no new light node (a fast clock in the window; :meth:`ShineTable.at`'s ``reuse_only``).
        self.reuse_light_nodes = False
        vertices, indices = merge_parts(model)
        self.triangle_count = int(indices.size // 3)
        # bounding sphere about the model's origin, metres (frustum culling on the CPU)
        self._radius_m = float(np.sqrt((vertices["a_position"].astype(np.float64) ** 2).sum(1).max()))
        context.make_current()
        self._program(SpacecraftShine(1.0, {}))
        self._vertices = gloo.VertexBuffer(vertices)
        index_type = np.uint16 if len(vertices) <= np.iinfo(np.uint16).max else np.uint32
        self._indices = gloo.IndexBuffer(indices.astype(index_type))
        size = SHINE_MAP_SIZE
        # Samples on the map's edges (lookups never leave [0.5, size − 0.5] texels), no mipmaps.
        blank = np.zeros((size, size, 3), np.float32)
        self._shine = {name: gloo.Texture2D(blank, format="rgb", internalformat="rgb32f",
                                            interpolation="linear", wrapping="clamp_to_edge")
                       for name in SHINE_SOURCES}
        for texture in self._shine.values():
            context.canvas.context.glir.associate(texture.glir)
        context.flush()

    def _key(self, snap: Any) -> tuple[Any, ...]:
        """What :func:`spacecraft_light` and :meth:`shine_at` depend on: the light set, the instant,
        the snapshot's World, the positions of the spacecraft, Sun, Jupiter and moons and the rotations
        of Jupiter and Io (not the spacecraft's attitude: the maps are in the sources' frames)."""
        names = (self.body, "sun", "jupiter", *(m.name for m in MOONS))
        positions = [np.asarray(snap.positions[n], dtype=np.float64).tobytes() for n in names
                     if n in snap.positions]
        rotations = [np.asarray(snap.rotations[n], dtype=np.float64).tobytes()
                     for n in ("jupiter", "io") if n in snap.rotations]
        return (self.light, float(snap.et), id(snap.world), self.reuse_light_nodes, *positions, *rotations)

    def light_at(self, snap: Any) -> SpacecraftLight:
        """:func:`spacecraft_light` for this snapshot and :attr:`light`, cached (a few recent snapshots)."""
        key = self._key(snap)
        if key not in self._light_cache:
            if len(self._light_cache) >= 8:
                self._light_cache.clear()
            self._light_cache[key] = spacecraft_light(snap, self.body, self.light)
        return self._light_cache[key]

    def shine_at(self, snap: Any) -> SpacecraftShine:
        """The Sun's fraction and the shine maps for this snapshot and :attr:`light` (cached for a few
        recent snapshots): from the time grid of the snapshot's World (:meth:`_tabulated`) or, for a
        snapshot without one, from the exact lights."""
        key = self._key(snap)
        if key not in self._shine_cache:
            if len(self._shine_cache) >= 8:
                self._shine_cache.clear()
            shine = self._tabulated(snap) if snap.world is not None else None
            self._shine_cache[key] = shine if shine is not None else self._exact(snap)
        return self._shine_cache[key]

    def _exact(self, snap: Any) -> SpacecraftShine:
        """:meth:`shine_at` from :func:`spacecraft_light` (each map ~1.5 ms on top of the lights)."""
        lit = self.light_at(snap)
        point = np.asarray(snap.positions[self.body], dtype=np.float64)
        maps = {}
        for name, lights in (("jupiter", lit.jupitershine), ("io", lit.ioshine)):
            if lights is not None:
                frame = disc_frame(point, snap.positions[name], snap.rotations[name])
                maps[name] = ShineMap(frame, shine_map([(lights[0] @ frame.T, lights[1], self.colour(name))]))
        return SpacecraftShine(lit.sun_fraction, maps)

    def table(self, world: Any, source: str) -> ShineTable:
        """The time-grid table of ``source``'s light on the spacecraft for ``world`` (made the first time;
        all are dropped for a new World). Its nodes hold the irradiance map in the source frame, tinted,
        over the far-field scale (:class:`viewer.sim.shine_table.ShineTable`)."""
        if world is not self._world:
            self._world, self._tables = world, {}
        if source not in self._tables:
            self._tables[source] = shine_table(world, self.body, source, self.colour(source))
        return self._tables[source]

    def _tabulated(self, snap: Any) -> SpacecraftShine | None:
        """:meth:`shine_at` from the World's time grid: each source's map mixed between two nodes and
        scaled, in the source frame at the instant (:class:`~viewer.sim.shine_table.Blend`); the Sun's
        fractions, the Ioshine cut-off and Io's eclipse exactly at the instant. None where a table cannot
        serve the instant (a node outside Juno's trajectory): the caller computes the exact light."""
        if self.body not in snap.positions:
            return None
        point = np.asarray(snap.positions[self.body], dtype=np.float64)
        sun_fraction, io_fraction = _sun_fractions(snap, point, self.light)
        maps = {}
        wanted = {"jupiter": "jupitershine" in self.light and "jupiter" in snap.positions
                  and "jupiter" in snap.rotations and _outside(point, snap.positions["jupiter"],
                                                               max(JUPITER.radii_km)),
                  "io": _ioshine_reaches(snap, point, self.light, io_fraction)}
        for name in SHINE_SOURCES:
            if not wanted[name]:
                continue
            blend = self.table(snap.world, name).at(snap, self.reuse_light_nodes)
            if blend is None:
                return None
            if not (np.any(blend.before.cells) or np.any(blend.after.cells)):
                continue  # nothing lit in view at either node
            scale = blend.scale * (io_fraction if name == "io" else 1.0)
            table = blend.before.extra * np.float32((1.0 - blend.weight) * scale)
            if blend.weight > 0.0:
                table += blend.after.extra * np.float32(blend.weight * scale)
            maps[name] = ShineMap(blend.frame, table)
        return SpacecraftShine(sun_fraction, maps)

    def colour(self, source: str) -> npt.NDArray[np.float32]:
        """The tint of ``"jupiter"``'s or ``"io"``'s light: linear RGB, luminance 1 (computed once)."""
        if source not in self._colours:
            get = self._colour_sources[source]
            if source == "jupiter":
                value = np.ones(3) if get is None else get()
                self._colours[source] = np.asarray(value, dtype=np.float32).reshape(3)
            else:
                self._colours[source] = map_colour(_shipped_io_rgb() if get is None else get())
        return self._colours[source]

    def _program(self, shine: SpacecraftShine) -> Any:
        """The shader variant: each source's irradiance-map lookup compiled in only when it shines."""
        return program_cache(self.context).get("spacecraft.vert", "spacecraft.frag",
                                               {"SHINE_J": "jupiter" in shine.maps,
                                                "SHINE_IO": "io" in shine.maps, "SHINE_SIZE": SHINE_MAP_SIZE})

    def prepare(self, view: View) -> None:
        """Compute this view's light (CPU), compile its shader variant and upload its irradiance maps.
        Called before the target is bound: compiling and uploading flush vispy's queue and rebind the
        default framebuffer."""
        if not self.visible(view):
            return
        snap = view.snapshot
        shine = self.shine_at(snap)
        self._program(shine)
        key = self._key(snap)
        if shine.maps and self._map_key != key:
            for name, lit in shine.maps.items():
                self._shine[name].set_data(lit.table)
            self.context.flush()
            self._map_key = key

    def pixel_radius(self, view: View) -> float:
        """The model's bounding-sphere radius in render pixels (0 without a pose)."""
        pose = model_to_camera(view, self.body)
        if pose is None:
            return 0.0
        dist = float(np.linalg.norm(pose[1]))
        return self._radius_m * KM_PER_MODEL_UNIT * view.focal_px / max(dist, 1e-12)

    def visible(self, view: View) -> bool:
        """Whether the spacecraft has a pose, the camera is not on board (within :data:`ONBOARD_M` of
        the model's origin, as ``look:juno:…`` and ``junocam`` cameras are: they do not see the
        spacecraft itself), and the bounding sphere meets the view frustum."""
        pose = model_to_camera(view, self.body)
        if pose is None:
            return False
        x, y, z = pose[1]
        r = self._radius_m * KM_PER_MODEL_UNIT
        if math.sqrt(x * x + y * y + z * z) < ONBOARD_M * KM_PER_MODEL_UNIT:
            return False
        if z - r > -NEAR_CLIP_KM:  # entirely behind the near plane
            return False
        tx, ty = view.tan_half_fov
        # side planes through the eye: outward normals (±1, 0, tx)/|..| and (0, ±1, ty)/|..|
        depth = -z
        return bool(abs(x) - tx * depth <= r * math.hypot(1.0, tx)
                    and abs(y) - ty * depth <= r * math.hypot(1.0, ty))

    def footprint(self, view: View) -> npt.NDArray[np.float32]:
        """Where :meth:`draw` writes in ``view``: the quad bounding the model's bounding sphere (NDC
        rectangles, see :mod:`viewer.render.passes`; the whole view when the camera is inside it)."""
        if not self.visible(view):
            return NO_FOOTPRINT
        centre = np.asarray(view.snapshot.positions[self.body], dtype=np.float64)
        return quad_footprint(silhouette_quad(view, centre, self._radius_m * KM_PER_MODEL_UNIT))

    def draw(self, view: View) -> None:
        """Draw the spacecraft into the bound framebuffer (nothing when ``body`` has no pose or is out
        of view). Sets depth test ``less``, depth writes on, blending off, no culling. Call
        :meth:`prepare` with the view first, before binding the target."""
        from vispy import gloo

        pose = model_to_camera(view, self.body)
        if pose is None or not self.visible(view):
            return
        rotation, translation = pose
        snap = view.snapshot
        to_sun = np.asarray(snap.positions["sun"], dtype=np.float64) \
            - np.asarray(snap.positions[self.body], dtype=np.float64)
        sun = to_sun @ view.camera.rotation
        sun = sun / np.linalg.norm(sun)
        w, h = view.size
        projection = view.camera.projection_matrix(w, h, near_km=NEAR_CLIP_KM)
        shine = self.shine_at(snap)
        program = self._program(shine)
        program.bind(self._vertices)  # the program is shared (ProgramCache): bind our buffer each draw
        # gloo uploads matrices as stored (row-major) and GLSL reads them column-major: send transposes
        program["u_rotation"] = np.asarray(rotation.T, dtype=np.float32)
        program["u_km_per_unit"] = KM_PER_MODEL_UNIT
        program["u_translation_km"] = tuple(float(v) for v in np.asarray(translation, dtype=np.float32))
        program["u_projection"] = np.asarray(projection.T, dtype=np.float32)
        program["u_sun_direction"] = tuple(float(v) for v in sun)
        program["u_sun_fraction"] = float(shine.sun_fraction)
        program["u_ambient_radiance"] = tuple(float(v) for v in self.ambient_radiance)
        if shine.maps:
            if self._map_key != self._key(snap):
                raise RuntimeError("SpacecraftPass.draw: call prepare(view) before binding the target")
            attitude = np.asarray(snap.rotations[self.body], dtype=np.float64)  # spacecraft → J2000
            for name, lit in shine.maps.items():
                suffix = SHINE_SOURCES[name]
                program[f"u_shine_{suffix}"] = self._shine[name]
                # model → source frame; sent transposed (gloo's row-major upload, GLSL's column-major read)
                program[f"u_shine_frame_{suffix}"] = np.asarray((lit.frame @ attitude).T, dtype=np.float32)
        for name, value in View.depth_uniforms().items():
            program[name] = value
        # no make_current() here: vispy's CURRENT command rebinds framebuffer 0 (the caller's target)
        gloo.set_state(depth_test=True, blend=False, cull_face=False)
        gloo.set_depth_func("less")
        gloo.set_depth_mask(True)
        program.draw("triangles", self._indices)
