"""Jupiter and the Galilean moons as ray-cast ellipsoids (``shaders/body.vert``, ``shaders/body.frag``).

Why ray-casting: per docs/rendering.md ("What llvmpipe costs") a 256×128 tessellated sphere runs at
13–15 fps at 1920×1080 on llvmpipe, the same sphere ray-cast on a screen quad at 28 fps, and the
ray-cast limb is exact at any zoom (no facets 1,500 km above Io). Each body is one quad bounding its
silhouette (computed here from the bounding sphere's cone), so pixels away from the body cost nothing.

Per pixel (``lib/ellipsoid.glsl``): the camera ray is turned into the body-fixed frame (IAU rotation
from the snapshot), intersected with the triaxial ellipsoid (IAU radii, km), the pixel's coverage of the
limb is computed analytically (signed distance to the limb in pixels via ``fwidth``), depth is the log
depth of the hit's view distance. The radiance (``shaders/body.frag``; the light paths of
:data:`viewer.config.LIGHT_PATHS`, each a ``#define``) is

    L = a · [f_sun · R(μ0, μ, α) + c_J · Σ_i P_i · R(n·d_i, μ, α_i) · (d_c/d_p)²] + E_hot

with a the body's linear map (``lib/mapcoords.glsl``) times its albedo scale
(:mod:`viewer.render.albedo`, calibrated to the published geometric albedo with the body's law); R the
body's reflectance law (:data:`LAWS`, ``lib/reflectance.glsl``): Minnaert for Jupiter, McEwen's
lunar-Lambert law for Io, Lambert for the icy moons; f_sun the visible fraction of the Sun's disc past
the other bodies that may shadow it (:func:`may_shadow`), per pixel (``lib/eclipse.glsl``: umbra and
penumbra both ways); the Jupitershine lights (d_i, P_i) of
:func:`viewer.sim.photometry.jupitershine_lights` at the moon's centre in Jupiter's colour c_J (its map
over the lit part seen, :func:`~viewer.render.jupitershine.lit_colour`), both interpolated on the World's
time grid (:class:`~viewer.render.jupitershine.MoonShine`), scaled to the pixel's distance from Jupiter;
E_hot Io's hot-spot emission map. Jupiter's clouds are seen through its stratospheric haze, which also
glows over the disc and in a thin rim above the limb (``lib/haze.glsl``, :mod:`viewer.sim.haze`;
Jupiter's quad reaches :data:`HAZE_TOP_KM` higher).

State: premultiplied "over" blending (ONE, ONE_MINUS_SRC_ALPHA) so limb pixels blend over what is
behind; depth test and writes on; bodies drawn far to near.

Must not import: ``viewer.cli``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from viewer.config import LIGHT_PATHS
from viewer.render import detail as fine
from viewer.render.albedo import LAMBERT, albedo_scale, map_colour
from viewer.render.gpu_textures import linear_rgb, upload_map
from viewer.render.jupitershine import MoonShine
from viewer.render.passes import NO_FOOTPRINT, quad_footprint
from viewer.render.shaders import program_cache
from viewer.render.view import View
from viewer.sim import haze
from viewer.sim.constants import BODIES, SUN_RADIUS_KM
from viewer.sim.photometry import JUPITER_MINNAERT_K, LUNAR_LAMBERT_MCEWEN

T = TypeVar("T")

#: Bodies this pass draws, in the order their maps are listed.
BODY_ORDER = ("jupiter", "io", "europa", "ganymede", "callisto")
#: Quad padding around the silhouette, render pixels (the coverage ramp needs ~1 px).
PAD_PX = 2.0
#: Points on the silhouette cone used to bound it.
_CONE_SAMPLES = 48
#: Jupiter's quad reaches this far above the cloud tops for the limb haze, km (10 scale heights: the
#: haze's slant optical depth there is 2e-4 of its value at the limb).
HAZE_TOP_KM = 10.0 * haze.SCALE_HEIGHT_KM


@dataclass(frozen=True)
class Law:
    """A body's reflectance law in ``body.frag``: the ``LAW`` define, its ``u_law`` parameters and the
    full-phase exponent m (radiance ∝ μ^(m−1) at μ0 = μ) that :func:`viewer.render.albedo.albedo_scale`
    calibrates with."""

    define: int
    params: tuple[float, float, float]
    mu_exponent: float


#: Lambert for the icy moons; Minnaert (k of the OPAL maps) for Jupiter; McEwen's lunar-Lambert law for
#: Io, Lommel–Seeliger at full phase since L(0) = 1 (see :mod:`viewer.sim.photometry`).
LAMBERT_LAW = Law(0, (0.0, 0.0, 0.0), LAMBERT)
LAWS: dict[str, Law] = {
    "jupiter": Law(1, (JUPITER_MINNAERT_K, 0.0, 0.0), 2.0 * JUPITER_MINNAERT_K),
    "io": Law(2, LUNAR_LAMBERT_MCEWEN, 1.0),
}


def law_of(body: str) -> Law:
    """The reflectance law ``body`` is drawn with."""
    return LAWS.get(body, LAMBERT_LAW)


@dataclass(frozen=True)
class BodyMap:
    """A body's colour map for this pass: (H, W, 3) linear values in [0, 1] (row 0 = +90°), and the
    factor that calibrates it to the published geometric albedo."""

    rgb: npt.NDArray[np.float32]
    scale: float

    @classmethod
    def from_encoded(cls, body: str, data: npt.ArrayLike) -> BodyMap:
        """From map values as encoded in an sRGB image file (``MapImage.data``)."""
        rgb = linear_rgb(data)
        return cls(rgb, albedo_scale(rgb, BODIES[body].geometric_albedo, law_of(body).mu_exponent))


@dataclass(frozen=True)
class EmissionMap:
    """A body's thermal emission for this pass: ``value`` (H, W, 3) in [0, 1] (the map's one channel,
    repeated; row 0 = +90°) and ``rgb``, the radiance in R, G, B of the value 1 (renderer units)."""

    value: npt.NDArray[np.float32]
    rgb: tuple[float, float, float]

    @classmethod
    def io_hotspots(cls, data: npt.ArrayLike) -> EmissionMap:
        """Io's hot spots from ``io_hotspots.png`` values in [0, 1] (textures/README.md: radiance =
        value × EMISSION_SCALE in the red band, green and blue × HOTSPOT_GB_OVER_R)."""
        from viewer.procedural.io_hotspots import EMISSION_SCALE, HOTSPOT_GB_OVER_R

        g, b = HOTSPOT_GB_OVER_R
        return cls(linear_rgb(data, srgb=False),
                   (EMISSION_SCALE, EMISSION_SCALE * g, EMISSION_SCALE * b))


def silhouette_bounds(view: View, centre_km: npt.ArrayLike,
                      radius_km: float) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None:
    """NDC bounds (lo, hi), each (x, y), of a sphere's image, unpadded and unclipped; None when the
    camera is inside the sphere or the sphere reaches the camera plane (its image is unbounded)."""
    c = np.asarray(view.relative(centre_km), dtype=np.float64)  # camera frame
    dist = float(np.linalg.norm(c))
    if dist <= radius_km * 1.0001 or -c[2] <= radius_km:
        return None
    axis = c / dist
    theta = math.asin(radius_km / dist)
    # Two unit vectors perpendicular to the axis; cone edge directions at half-angle theta.
    helper = np.array([1.0, 0.0, 0.0]) if abs(axis[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    e1 = np.cross(axis, helper)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(axis, e1)
    phi = np.linspace(0.0, 2.0 * np.pi, _CONE_SAMPLES, endpoint=False)
    # Points on the cone, pushed out by 1/cos(pi/N) so the polygon contains the circle.
    spread = math.tan(theta) / math.cos(math.pi / _CONE_SAMPLES)
    dirs = axis[None, :] + spread * (np.cos(phi)[:, None] * e1 + np.sin(phi)[:, None] * e2)
    tx, ty = view.tan_half_fov
    ndc = np.stack([dirs[:, 0] / -dirs[:, 2] / tx, dirs[:, 1] / -dirs[:, 2] / ty], axis=1)
    return ndc.min(axis=0), ndc.max(axis=0)


def silhouette_quad(view: View, centre_km: npt.ArrayLike, radius_km: float) -> npt.NDArray[np.float32] | None:
    """NDC corners (4, 2) of a rectangle bounding a sphere's image, or None when it is out of view.
    The whole viewport when the camera is inside the sphere or the sphere crosses the camera plane."""
    bounds = silhouette_bounds(view, centre_km, radius_km)
    if bounds is None:
        c = np.asarray(view.relative(centre_km), dtype=np.float64)
        behind = float(np.linalg.norm(c)) > radius_km and -c[2] < -radius_km
        return None if behind else np.array([[-1, -1], [1, -1], [-1, 1], [1, 1]], dtype=np.float32)
    w, h = view.size
    pad = np.array([2.0 * PAD_PX / w, 2.0 * PAD_PX / h])
    lo = np.maximum(bounds[0] - pad, -1.0)
    hi = np.minimum(bounds[1] + pad, 1.0)
    if np.any(lo >= hi):
        return None
    return np.array([[lo[0], lo[1]], [hi[0], lo[1]], [lo[0], hi[1]], [hi[0], hi[1]]], dtype=np.float32)


def _loaded(cache: dict[str, T], sources: Mapping[str, T | Callable[[], T]], name: str, kind: type[T]) -> T:
    """``cache[name]``, filled the first time from ``sources[name]``: a ``kind`` or a function making one."""
    if name not in cache:
        source = sources[name]
        cache[name] = source if isinstance(source, kind) else source()  # type: ignore[operator]
    return cache[name]


def may_shadow(snap: Any, occulter: str, body: str) -> bool:
    """Whether ``occulter`` may hide part of the Sun from some point of ``body`` (conservative, at the
    snapshot's instant). From ``body``'s centre the Sun and the occulter are ``sep`` apart; a point up
    to R (``body``'s largest radius) away sees the occulter's centre moved by at most asin(R/d) and its
    disc no larger than asin(a/(d − R)) (a: the occulter's equatorial radius); the Sun's direction and
    size change by < 1e-5 rad (margin 1e-4). No shadow is possible when ``sep`` exceeds the sum, or when
    the occulter lies farther from the Sun than every point of ``body``."""
    c = np.asarray(snap.positions[body], dtype=np.float64)
    r_body = float(max(BODIES[body].radii_km))
    to_occ = np.asarray(snap.positions[occulter], dtype=np.float64) - c
    to_sun = np.asarray(snap.positions["sun"], dtype=np.float64) - c
    d = float(np.linalg.norm(to_occ))
    a = float(max(BODIES[occulter].radii_km))
    if d <= r_body + a:
        return True
    sun_dist = float(np.linalg.norm(to_sun))
    if float(to_occ @ to_sun) / sun_dist < -r_body:
        return False
    sep = math.atan2(float(np.linalg.norm(np.cross(to_occ, to_sun))), float(to_occ @ to_sun))
    reach = math.asin(min(1.0, r_body / d)) + math.asin(min(1.0, a / (d - r_body)))
    return sep <= reach + math.asin(SUN_RADIUS_KM / sun_dist) + 1e-4


def js_horizon(dirs: npt.ArrayLike, power: npt.ArrayLike, axis: npt.ArrayLike) -> float:
    """``u_js_horizon`` of ``body.frag``: the sine of the largest angle between the unit ``axis`` and the
    unit directions ``dirs`` (N, 3) of the Jupitershine lights that shine (``power`` > 0), plus a margin
    for float32 rounding, so that every shining light is below the horizon of a surface whose normal n
    has n·axis ≤ −it (there the sum is exactly 0); 2 (never) when such a light is 90° or more from the
    axis, −2 (everywhere) when none shines."""
    d = np.asarray(dirs, dtype=np.float64)[np.asarray(power, dtype=np.float64) > 0.0]
    if len(d) == 0:
        return -2.0
    cos_max = float(np.min(d @ np.asarray(axis, dtype=np.float64)))
    if cos_max <= 0.0:
        return 2.0
    return min(math.sqrt(max(1.0 - cos_max * cos_max, 0.0)) + 1e-4, 2.0)


#: Least angle between the map parameterisation a body is drawn with alone (:func:`map_cut`) and the
#: part of the body in view: room for the limb points read by the pixels just outside the limb (a few
#: pixels, and at least this much).
MAP_CUT_MARGIN_RAD = math.radians(2.0)
#: ... and at least this many pixels' worth of angle.
MAP_CUT_MARGIN_PX = 8.0


def map_cut(origin_km: npt.ArrayLike, radii_km: npt.ArrayLike, focal_px: float = math.inf) -> int:
    """``MAP_CUT`` of ``body.frag`` for a camera at ``origin_km`` (body frame, from the centre): 1 (sample
    only the map parameterisation cut at 0° E), 2 (only the one cut at 180°) when that cut lies outside
    everything the camera can see of the ellipsoid (by :data:`MAP_CUT_MARGIN_RAD`, or
    :data:`MAP_CUT_MARGIN_PX` pixels of ``focal_px``), else 0 (both, chosen per pixel: any view).

    In the space scaled by 1/radii the ellipsoid is the unit sphere and the camera sees the cap around
    its direction u of angular radius acos(1/|o|) (the scaling keeps which points are visible). Each cut,
    a half-meridian from pole to pole, stays one (the scaling keeps the coordinate half-planes): at
    scaled longitude 0 or π it lies asin(|sin Δ| cos φ) from u when u's longitude is Δ < 90° from it,
    else at the nearer pole, 90° − |φ| away (φ: u's latitude)."""
    o = np.asarray(origin_km, dtype=np.float64) / np.asarray(radii_km, dtype=np.float64)
    dist = float(np.linalg.norm(o))
    if dist <= 1.0:
        return 0
    cap = math.acos(1.0 / dist)
    u = o / dist
    lat = math.asin(min(1.0, max(-1.0, float(u[2]))))
    lon = math.atan2(float(u[1]), float(u[0]))
    best, clearance = 0, -math.inf
    for cut, cut_lon in ((1, 0.0), (2, math.pi)):
        delta = abs((lon - cut_lon + math.pi) % (2.0 * math.pi) - math.pi)
        away = (math.asin(min(1.0, abs(math.sin(delta)) * math.cos(lat))) if delta < 0.5 * math.pi
                else 0.5 * math.pi - abs(lat))
        if away > clearance:
            best, clearance = cut, away
    margin = max(MAP_CUT_MARGIN_RAD, MAP_CUT_MARGIN_PX / focal_px)
    return best if clearance - cap > margin else 0


class BodiesPass:
    """Draws the bodies that have maps, far to near.

    Parameters
    ----------
    context : GLContext
    maps : {body name: BodyMap, or a function returning one}
        The bodies to draw (any of :data:`BODY_ORDER`). A function is called the first time the body
        is drawn, so a still reads, decodes and calibrates only the maps it shows.
    light : the enabled light paths (:data:`viewer.config.LIGHT_PATHS`)
    emission : {body name: EmissionMap, or a function returning one}
        Thermal emission maps (Io's hot spots), drawn with the ``hotspots`` light path; loaded lazily
        like ``maps``.
    detail : add detail below the maps' resolution where a view needs it (:mod:`viewer.render.detail`;
        a body and view that cannot show it compile without it)
    """

    def __init__(self, context: Any, maps: Mapping[str, BodyMap | Callable[[], BodyMap]],
                 light: frozenset[str] = frozenset(LIGHT_PATHS),
                 emission: Mapping[str, EmissionMap | Callable[[], EmissionMap]] | None = None,
                 detail: bool = True) -> None:
        unknown = set(maps) - set(BODY_ORDER)
        if unknown:
            raise ValueError(f"no ellipsoid body named {sorted(unknown)}")
        self.context = context
        self._sources = dict(maps)
        self._maps: dict[str, BodyMap] = {}
        self._textures: dict[str, Any] = {}  # uploaded on first draw: a still uploads only what it shows
        self._emission_sources = dict(emission or {})
        self._emission: dict[str, EmissionMap] = {}
        self._emission_textures: dict[str, Any] = {}
        self.light = frozenset(light)
        # per (instant, moon, World, reused nodes only): Jupitershine light directions (body frame), powers,
        # colour
        self._lights: dict[tuple[float, str, int, bool], tuple[npt.NDArray[np.float64],
                                                               npt.NDArray[np.float64],
                                                               npt.NDArray[np.float32]]] = {}
        #: Compute no new light node (a fast clock in the window; :meth:`ShineTable.at`'s ``reuse_only``).
        self.reuse_light_nodes = False
        self._shine = MoonShine(lambda: self.body_map("jupiter").rgb if "jupiter" in self._sources else None)
        self._colour: npt.NDArray[np.float32] | None = None
        self._memo_view: View | None = None  # the view of :meth:`_in_view`'s memo
        self._memo: dict[str, tuple[npt.NDArray[np.float32] | None, list[Any]]] = {}
        self.detail = detail
        self._dt_tiles: dict[fine.Lattice, Any] = {}
        self._dt_units: dict[str, Any] = {}

    def set_light(self, light: frozenset[str]) -> None:
        """Enable the light paths ``light`` from the next frame on (each is a shader ``#define`` chosen
        per frame, so nothing is remade)."""
        self.light = frozenset(light)

    def body_map(self, name: str) -> BodyMap:
        """The body's calibrated map (loaded the first time it is needed)."""
        return _loaded(self._maps, self._sources, name, BodyMap)

    def texture(self, name: str) -> Any:
        """The body's map on the GPU (uploaded with mipmaps the first time it is needed); for a body
        whose emission map rides in it (:meth:`emission_in_map`), RGBA with the emission in alpha."""
        if name not in self._textures:
            rgb = self.body_map(name).rgb
            alpha = self._emission_map(name).value[:, :, 0] if self.emission_in_map(name) else None
            self._textures[name] = upload_map(self.context, rgb, alpha=alpha)
        return self._textures[name]

    def _emission_map(self, name: str) -> EmissionMap:
        return _loaded(self._emission, self._emission_sources, name, EmissionMap)

    def emission_in_map(self, name: str) -> bool:
        """Whether body ``name``'s emission map rides in its colour map's alpha: drawn with the
        ``hotspots`` path and both maps of one size (same texels, same filtering), so the shader
        samples one texture where it sampled two (measured: Io's hot spots cost 3.3 ms of CPU per
        1920×1080 frame on llvmpipe as their own texture, nothing measurable in the alpha)."""
        return self._glows(name) and \
            self._emission_map(name).value.shape[:2] == self.body_map(name).rgb.shape[:2]

    def _glows(self, name: str) -> bool:
        """Whether body ``name`` is drawn with its emission map (the ``hotspots`` path)."""
        return "hotspots" in self.light and name in self._emission_sources

    def emission_texture(self, name: str) -> tuple[Any, tuple[float, float, float]]:
        """The body's emission map on the GPU (mipmapped: the filter averages radiance) and the
        radiance of its value 1, loaded and uploaded the first time they are needed."""
        emission = self._emission_map(name)
        if name not in self._emission_textures:
            self._emission_textures[name] = upload_map(self.context, emission.value)
        return self._emission_textures[name], emission.rgb

    def detail_shows(self, name: str, view: View) -> bool:
        """Whether body ``name`` is drawn with detail in ``view`` (:func:`viewer.render.detail.shows`)."""
        if not self.detail:
            return False
        rel = np.asarray(view.snapshot.positions[name], dtype=np.float64) - view.camera.position_km
        nearest = float(np.linalg.norm(rel)) - float(max(BODIES[name].radii_km))
        return fine.shows(name, self.body_map(name).rgb.shape[0], nearest, view.focal_px, view.tan_half_fov)

    def detail_textures(self, name: str) -> tuple[Any, Any]:
        """Body ``name``'s detail tile and unit map on the GPU (RGBA8, bilinear, no mipmaps; the tile
        is shared by the bodies of one lattice), made and uploaded the first time they are needed."""
        from vispy import gloo

        lattice = fine.lattice_of(name)
        made = []
        if lattice not in self._dt_tiles:
            self._dt_tiles[lattice] = gloo.Texture2D(fine.tile(lattice), interpolation="linear",
                                                     wrapping="repeat")
            made.append(self._dt_tiles[lattice])
        if name not in self._dt_units:
            self._dt_units[name] = gloo.Texture2D(fine.unit_map(name, self.body_map(name).rgb),
                                                  interpolation="linear",
                                                  wrapping=("repeat", "clamp_to_edge"))
            made.append(self._dt_units[name])
        if made:  # upload now (prepare), not at a draw inside the bound target
            self.context.make_current()
            for texture in made:
                self.context.canvas.context.glir.associate(texture.glir)
            self.context.flush()
        return self._dt_tiles[lattice], self._dt_units[name]

    def _set_detail(self, program: Any, name: str, view: View) -> None:
        """Set body ``name``'s detail uniforms (``lib/detail.glsl``)."""
        tile, units = self.detail_textures(name)
        program["u_dt_tile"] = tile
        program["u_dt_units"] = units
        for key, value in {**fine.grid_uniforms(name, self.body_map(name).rgb.shape, view.focal_px),
                           **fine.style_uniforms(name)}.items():
            program[key] = value

    def draw_order(self, view: View) -> list[str]:
        """The drawn bodies sorted far to near."""
        cam = view.camera.position_km
        names = [b for b in self._sources if b in view.snapshot.positions]
        return sorted(names, key=lambda b: -float(np.linalg.norm(view.snapshot.positions[b] - cam)))

    @staticmethod
    def occulters(snap: Any, name: str) -> list[tuple[tuple[float, float, float, float],
                                                      tuple[float, float, float, float]]]:
        """The other bodies that may shadow part of ``name`` now, as occulting spheroids in ``name``'s
        body frame: ((centre relative to its centre km, equatorial radius km), (unit pole, polar radius
        km)). Jupiter enters with its IAU radii and pole; the moons as spheres of their mean radii.
        Bodies that cannot (:func:`may_shadow`) are left out, so their pixels skip the test (the
        shader's loop runs over ``len(result)``: measured 14 ms of a 76 ms 1920×1080 frame for four)."""
        rot = np.asarray(snap.rotations[name], dtype=np.float64)
        centre = np.asarray(snap.positions[name], dtype=np.float64)
        out = []
        for other in BODY_ORDER:
            if other == name or other not in snap.positions or not may_shadow(snap, other, name):
                continue
            p = rot.T @ (np.asarray(snap.positions[other], dtype=np.float64) - centre)
            radii = BODIES[other].radii_km
            a, c = (radii[0], radii[2]) if other == "jupiter" else (BODIES[other].mean_radius_km,) * 2
            pole = rot.T @ np.asarray(snap.rotations[other], dtype=np.float64)[:, 2]
            out.append(((float(p[0]), float(p[1]), float(p[2]), float(a)),
                        (float(pole[0]), float(pole[1]), float(pole[2]), float(c))))
        return out

    def jupiter_colour(self) -> npt.NDArray[np.float32]:
        """Jupiter's mean linear colour (cos³-latitude weighted like the albedo), luminance 1; white
        when Jupiter is not drawn. Computed once, the first time Jupitershine needs it."""
        if self._colour is None:
            if "jupiter" not in self._sources:
                self._colour = np.ones(3, dtype=np.float32)
            else:
                self._colour = map_colour(self.body_map("jupiter").rgb)
        return self._colour

    def _shadowing(self, name: str, snap: Any) -> list[tuple[tuple[float, float, float, float],
                                                              tuple[float, float, float, float]]]:
        """The occulters the shader tests for eclipses of ``name`` (none with the path off)."""
        return self.occulters(snap, name) if "eclipses" in self.light else []

    def _shines(self, name: str, snap: Any) -> bool:
        """Whether Jupitershine lights body ``name`` (moons only, with the path enabled)."""
        return "jupitershine" in self.light and name != "jupiter" and "jupiter" in snap.positions

    def jupitershine(self, snap: Any, name: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64],
                                                          npt.NDArray[np.float32]]:
        """Moon ``name``'s Jupitershine at its centre: light directions (its body frame), irradiances
        (solar units) and colour (luminance 1), from :class:`~viewer.render.jupitershine.MoonShine` (the
        World's time grid, or exact for a hand-made snapshot), cached per instant."""
        key = (float(snap.et), name, id(snap.world), self.reuse_light_nodes)
        if key not in self._lights:
            dirs, power, colour = self._shine.at(snap, name, self.reuse_light_nodes)
            if len(self._lights) > 16:
                self._lights.clear()
            rot = np.asarray(snap.rotations[name], dtype=np.float64)
            self._lights[key] = (dirs @ rot, power, self.jupiter_colour() if colour is None else colour)
        return self._lights[key]

    def _set_jupitershine(self, program: Any, snap: Any, name: str, rot: npt.NDArray[np.float64],
                          centre: npt.NDArray[np.float64]) -> None:
        """Set moon ``name``'s Jupitershine uniforms (:meth:`jupitershine`)."""
        dirs, power, colour = self.jupitershine(snap, name)
        for i in range(len(power)):
            program[f"u_js_lights[{i}]"] = (float(dirs[i, 0]), float(dirs[i, 1]), float(dirs[i, 2]),
                                            float(power[i]))
        program["u_js_colour"] = tuple(float(v) for v in colour)
        jupiter = rot.T @ (np.asarray(snap.positions["jupiter"], dtype=np.float64) - centre)
        program["u_jupiter_km"] = jupiter.astype(np.float32)
        axis = power @ dirs
        norm = float(np.linalg.norm(axis))
        axis = axis / norm if norm > 0.0 else jupiter / np.linalg.norm(jupiter)
        program["u_js_axis"] = axis.astype(np.float32)
        program["u_js_horizon"] = js_horizon(dirs, power, axis)

    def _program(self, name: str, view: View, occulters: int) -> Any:
        """The shader variant for body ``name`` in ``view``: its law, eclipses, (moons) Jupitershine, (Io)
        hot spots, (Jupiter) haze and the map parameterisations to sample (:func:`map_cut`) as
        defines."""
        snap = view.snapshot
        origin = np.asarray(snap.rotations[name], dtype=np.float64).T @ (
            np.asarray(view.camera.position_km, dtype=np.float64)
            - np.asarray(snap.positions[name], dtype=np.float64))
        detail = self.detail_shows(name, view)
        return program_cache(self.context).get("body.vert", "body.frag",
                                               {**(fine.shader_defines() if detail else {}),
                                                "LAW": law_of(name).define,
                                                "OCCULTERS": occulters,
                                                "JUPITERSHINE": self._shines(name, snap),
                                                "HOTSPOTS": self._glows(name),
                                                "EMISSION_IN_MAP": self.emission_in_map(name),
                                                "HAZE": name == "jupiter",
                                                "DETAIL": detail,
                                                "MAP_CUT": map_cut(origin, BODIES[name].radii_km,
                                                                   view.focal_px)})

    def prepare(self, view: View) -> None:
        """Upload the maps and compile the programs this view needs. Called before the target is bound:
        both flush vispy's command queue and make the context current, which rebinds the default
        framebuffer, so they must not happen between binding the target and drawing."""
        for name in self.draw_order(view):
            self.texture(name)
            if self._glows(name) and not self.emission_in_map(name):
                self.emission_texture(name)
            quad, occulters = self._in_view(view, name)
            if quad is None:
                continue
            self._program(name, view, len(occulters))
            if self.detail_shows(name, view):
                self.detail_textures(name)
            if self._shines(name, view.snapshot):
                self.jupitershine(view.snapshot, name)  # the light, computed before any drawing

    def _in_view(self, view: View, name: str) -> tuple[npt.NDArray[np.float32] | None, list[Any]]:
        """Body ``name``'s screen quad and occulters in ``view``, computed once for :meth:`prepare` and
        :meth:`draw` of the same view (~0.2 ms of CPU a body)."""
        if self._memo_view is not view:
            self._memo_view, self._memo = view, {}
        if name not in self._memo:
            self._memo[name] = (self._quad(view, name), self._shadowing(name, view.snapshot))
        return self._memo[name]

    def footprint(self, view: View) -> npt.NDArray[np.float32]:
        """Where :meth:`draw` writes in ``view``: the bodies' quads (NDC rectangles, see
        :mod:`viewer.render.passes`)."""
        return np.concatenate([quad_footprint(self._in_view(view, name)[0]) for name in self.draw_order(view)]
                              or [NO_FOOTPRINT])

    def _quad(self, view: View, name: str) -> npt.NDArray[np.float32] | None:
        """Body ``name``'s screen quad (:func:`silhouette_quad`; Jupiter's reaches over its haze)."""
        reach = float(max(BODIES[name].radii_km)) + (HAZE_TOP_KM if name == "jupiter" else 0.0)
        return silhouette_quad(view, np.asarray(view.snapshot.positions[name], dtype=np.float64), reach)

    def draw(self, view: View) -> None:
        from vispy import gloo

        gloo.set_state(blend=True, blend_func=("one", "one_minus_src_alpha"), depth_test=True,
                       depth_mask=True, cull_face=False)
        gloo.set_depth_func("less")
        snap = view.snapshot
        for name in self.draw_order(view):
            radii = np.asarray(BODIES[name].radii_km, dtype=np.float64)
            centre = np.asarray(snap.positions[name], dtype=np.float64)
            quad, occulters = self._in_view(view, name)
            if quad is None:
                continue
            rot = np.asarray(snap.rotations[name], dtype=np.float64)  # body -> J2000
            cam_to_body = rot.T @ view.camera.rotation
            origin = rot.T @ (view.camera.position_km - centre)
            sun = rot.T @ (snap.positions["sun"] - centre)
            program = self._program(name, view, len(occulters))
            if self._shines(name, snap):
                self._set_jupitershine(program, snap, name, rot, centre)
            program["a_position"] = quad
            program["u_tan_half"] = view.tan_half_fov
            # gloo uploads a numpy matrix transposed relative to GLSL's column-major mat3: pass M.T
            # so that `u_cam_to_body * v` computes cam_to_body @ v.
            program["u_cam_to_body"] = cam_to_body.T.astype(np.float32)
            program["u_origin_km"] = origin.astype(np.float32)
            program["u_inv_radii"] = (1.0 / radii).astype(np.float32)
            program["u_sun_dir"] = (sun / np.linalg.norm(sun)).astype(np.float32)
            program["u_map"] = self.texture(name)
            program["u_albedo_scale"] = float(self.body_map(name).scale)
            program["u_law"] = law_of(name).params
            if self.emission_in_map(name):
                program["u_emission_rgb"] = self._emission_map(name).rgb
            elif self._glows(name):
                program["u_emission"], program["u_emission_rgb"] = self.emission_texture(name)
            if name == "jupiter":
                program["u_haze"] = haze.shader_uniform()
            if self.detail_shows(name, view):
                self._set_detail(program, name, view)
            program["u_sun_fraction"] = 1.0 if "sun" in self.light else 0.0
            program["u_sun_km"] = sun.astype(np.float32)
            program["u_sun_radius_km"] = SUN_RADIUS_KM
            for i, (occ, pole) in enumerate(occulters):
                program[f"u_occulters[{i}]"] = occ
                program[f"u_occ_poles[{i}]"] = pole
            for key, value in View.depth_uniforms().items():
                program[key] = value
            program.draw("triangle_strip")
