"""Jupitershine on the moons for the bodies pass: each moon's 48 lights and the colour of Jupiter's light.

The lights are :func:`viewer.sim.photometry.jupitershine_lights` at the moon's centre; the colour is
Jupiter's map averaged over the lit part of the disc the moon sees (:func:`lit_colour`). Both change with
``et``, and computed at every new instant they cost ~7–15 ms per moon on the CPU. :class:`MoonShine`
serves them from the snapshot's World's time grid instead (:class:`viewer.sim.shine_table.ShineTable`,
one per moon: exact at the nodes, interpolated in the source frame between them), and exactly for a
snapshot that did not come from ``World.at`` (``Snapshot.world`` is None: a test's hand-placed state).

The colour is the map's average over the very samples the lights are made of (one 192² sampling of the
disc gives both: :func:`viewer.sim.photometry.lit_disc_lights`), on a copy of Jupiter's map
box-filtered to :data:`COLOUR_MAP_WIDTH` texels around (:func:`colour_map`: texels ~1,750 km wide at
the equator). Before, a separate 64² grid read one texel of the full map per sample: its samples lie
~2,300 km apart on Jupiter seen from Io, ten texels of the shipped 2048-wide map, so the average
flickered as the planet turned under them (up to 1 % between instants 1 s apart, measured for Io over
a day), and a crescent held too few samples (1 % jumps near new Jupiter). Filtered, and sampled like
the lights (~760 km apart), it is a smooth function of time that the grid can interpolate (measured:
within 0.25 % of itself interpolated over a day, tests/unit/test_shine_table.py); the extra cost is the
map lookups (~1 ms).

Must not import: ``viewer.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.render.exposure import LUMA
from viewer.render.textures import pixels_of
from viewer.sim.constants import BODIES, JUPITER
from viewer.sim.frames import lat_wlon
from viewer.sim.photometry import Reflectance, lit_disc_lights, lit_disc_points, minnaert_law
from viewer.sim.shine_table import ShineTable

F64 = npt.NDArray[np.float64]

#: Width (texels, 360°) of the box-filtered Jupiter map the colour is averaged over.
COLOUR_MAP_WIDTH = 256
#: Lights per moon (the ``u_js_lights`` array of ``shaders/body.frag``).
LIGHTS = 48


def lit_colour(rgb: npt.NDArray[np.float32], point_km: npt.ArrayLike, centre_km: npt.ArrayLike,
               rotation: npt.ArrayLike, sun_dir: npt.ArrayLike, radii: tuple[float, float, float],
               law: Reflectance, n: int = 64) -> npt.NDArray[np.float32] | None:
    """The colour of the light a body sends to ``point_km``: its linear map ``rgb`` (H, W, 3) averaged
    over the lit part of its disc seen from there, each sample weighted by its light
    (:func:`viewer.sim.photometry.lit_disc_points`, an n×n grid), scaled to Rec. 709 luminance 1.
    None when nothing lit is in view. Frames as :func:`~viewer.sim.photometry.jupitershine_lights`."""
    q, points = lit_disc_points(point_km, centre_km, rotation, sun_dir, radii, law, n)
    return samples_colour(rgb, q, points)


def samples_colour(rgb: npt.NDArray[np.float32], q: F64, points: F64) -> npt.NDArray[np.float32] | None:
    """The map ``rgb`` (H, W, 3, row 0 = +90°) averaged over surface points (M, 3; body frame, km)
    weighted ``q`` (M,), scaled to Rec. 709 luminance 1; None without weight."""
    if q.size == 0:
        return None
    lat, wlon = lat_wlon(points)
    rows, cols = pixels_of(np.degrees(lat), np.degrees(wlon), rgb.shape[1], rgb.shape[0])
    colour = q @ rgb[rows, cols].astype(np.float64)
    luma = float(colour @ np.asarray(LUMA))
    return np.asarray(colour / luma, dtype=np.float32) if luma > 0.0 else None


def _bin_mean(a: npt.NDArray[Any], n_out: int, axis: int) -> F64:
    """Means of ``n_out`` contiguous, nearly equal runs of ``a`` along ``axis``."""
    size = a.shape[axis]
    edges = np.round(np.arange(n_out) * size / n_out).astype(np.int64)
    counts = np.diff(np.append(edges, size)).astype(np.float64)
    shape = [1] * a.ndim
    shape[axis] = n_out
    return np.add.reduceat(a, edges, axis=axis, dtype=np.float64) / counts.reshape(shape)


def colour_map(rgb: npt.ArrayLike, width: int = COLOUR_MAP_WIDTH) -> npt.NDArray[np.float32]:
    """A linear map (H, W, 3) box-filtered to ``width`` texels around (and as many rows as keep its
    aspect): each texel the mean of the input texels it covers. Maps no wider are returned as they are."""
    a = np.asarray(rgb, dtype=np.float32)
    h, w = a.shape[:2]
    if w <= width:
        return a
    rows = max(1, round(h * width / w))
    return np.asarray(_bin_mean(_bin_mean(a, width, 1), rows, 0), dtype=np.float32)


def _sun_from_jupiter(snap: Any) -> F64:
    jc = np.asarray(snap.positions["jupiter"], dtype=np.float64)
    sun = np.asarray(snap.positions["sun"], dtype=np.float64) - jc
    return np.asarray(sun / np.linalg.norm(sun), dtype=np.float64)


def moon_disc(snap: Any, moon: str) -> tuple[F64, F64, F64, F64]:
    """Jupiter's disc seen from ``moon``'s centre, sampled once
    (:func:`~viewer.sim.photometry.lit_disc_lights` with Jupiter's Minnaert law, the 192² grid of
    :func:`~viewer.sim.photometry.jupitershine_lights`): the exact lights (J2000 directions (48, 3),
    irradiances (48,)) and the lit samples (weights, points)."""
    return lit_disc_lights(snap.positions[moon], snap.positions["jupiter"], snap.rotations["jupiter"],
                           _sun_from_jupiter(snap), JUPITER.radii_km, minnaert_law(), LIGHTS)


def moon_lights(snap: Any, moon: str) -> tuple[F64, F64]:
    """The exact Jupitershine lights at ``moon``'s centre (J2000 directions (48, 3), irradiances (48,)):
    :func:`viewer.sim.photometry.jupitershine_lights`."""
    dirs, power, _, _ = moon_disc(snap, moon)
    return dirs, power


class MoonShine:
    """Jupitershine on each moon at a snapshot's instant (module doc).

    Parameters
    ----------
    jupiter_map : a function returning Jupiter's linear map (H, W, 3), or None when Jupiter has none
        (then :meth:`at` gives no colour). Called once, the first time a colour is needed.
    """

    def __init__(self, jupiter_map: Callable[[], npt.ArrayLike | None]) -> None:
        self._map_source = jupiter_map
        self._map: npt.NDArray[np.float32] | None = None
        self._map_loaded = False
        self._world: Any = None
        self._tables: dict[str, ShineTable] = {}
        self._last: tuple[Any, str, tuple[F64, F64, npt.NDArray[np.float32] | None]] | None = None

    def colour_map(self) -> npt.NDArray[np.float32] | None:
        """Jupiter's map filtered for :func:`lit_colour` (:func:`colour_map`), or None without one."""
        if not self._map_loaded:
            rgb = self._map_source()
            self._map = None if rgb is None else colour_map(rgb)
            self._map_loaded = True
        return self._map

    def exact(self, snap: Any, moon: str) -> tuple[F64, F64, npt.NDArray[np.float32] | None]:
        """The exact lights on ``moon`` and the colour of Jupiter's light there (luminance 1; None
        without a map or when nothing lit is in view), from one sampling of the disc (the last one is
        kept: a node asks for the lights and then the colour)."""
        if self._last is None or self._last[0] is not snap or self._last[1] != moon:
            dirs, power, q, points = moon_disc(snap, moon)
            rgb = self.colour_map()
            self._last = (snap, moon, (dirs, power, None if rgb is None else samples_colour(rgb, q, points)))
        return self._last[2]

    def colour(self, snap: Any, moon: str) -> npt.NDArray[np.float32] | None:
        """The exact colour of Jupiter's light on ``moon`` (:meth:`exact`)."""
        return self.exact(snap, moon)[2]

    def table(self, world: Any, moon: str) -> ShineTable:
        """``moon``'s table on ``world``'s grid (made the first time; all are dropped for a new World)."""
        if world is not self._world:
            self._world, self._tables = world, {}
        if moon not in self._tables:
            self._tables[moon] = ShineTable(world.at, moon, "jupiter", lambda s: self.exact(s, moon)[:2],
                                            JUPITER.radii_km, BODIES["jupiter"].geometric_albedo, LIGHTS,
                                            extra=lambda s, dirs, power: self.colour(s, moon))
        return self._tables[moon]

    def at(self, snap: Any, moon: str, reuse_only: bool = False) -> tuple[F64, F64,
                                                                          npt.NDArray[np.float32] | None]:
        """``moon``'s lights (J2000 directions (48, 3), irradiances (48,), solar units) and the colour
        of Jupiter's light on it (luminance 1, or None), from the grid of ``snap.world`` or exactly.
        ``reuse_only``: no new node (:meth:`viewer.sim.shine_table.ShineTable.at`; the far-field
        estimate where none is there, in the map's mean colour)."""
        blend = None if snap.world is None else self.table(snap.world, moon).at(snap, reuse_only)
        if blend is None:
            return self.exact(snap, moon)
        dirs, power = blend.lights()
        a, b = blend.before.extra, blend.after.extra
        colour = a if b is None else b if a is None else np.asarray(blend.mix(a, b), dtype=np.float32)
        return dirs, power, colour
