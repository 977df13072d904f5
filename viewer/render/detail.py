"""Detail below the map's resolution: the CPU half of ``shaders/lib/detail.glsl`` (issue 16).

Where a pixel covers less surface than a map texel, ``body.frag`` multiplies the map's albedo by a
modulation ``1 + D`` and tilts the shading normal by a slope field ``S``, both made of octaves of a
noise tile baked here. The one property that matters for the radiometry: **over every map texel the
modulation averages to exactly 1 and the slope to exactly 0**, so each texel keeps the map's mean
colour and the calibrated geometric albedo (:mod:`viewer.render.albedo`) holds at any zoom.

How the exactness is built (all in texel-aligned coordinates, not on the sphere):

* The tile is a periodic grid of *units* (``TILE_UNITS`` on a side); octave k puts ``2**k`` units on a
  map texel's side, so every texel is a whole number of units and a field whose integral over every
  unit vanishes has a zero mean over every texel too.
* In a unit, the fields are Perlin gradient noise on a lattice of ``cells`` = (m_x, m_y) cells with the
  unit's edges on lattice lines. A gradient-noise kernel (g·d)·w(|d_x|)·w(|d_y|) is odd, so kernels wholly
  inside a unit integrate to 0; only the lattice points *on* the unit's edges straddle it. Their
  gradients are constrained so that what they add to one side cancels (:func:`constrained_gradients`):
  for the albedo fields, the edge-normal component is antisymmetric along each edge segment and at the
  corners it alternates in sign from one unit to the next; for the relief height H, the corners are flat
  (gradient 0), so H integrates to 0 along every edge segment and ∇H to 0 over the unit. Points on the
  edges are given ``EDGE_BOOST`` times larger gradients, which evens out the noise's lower variance along
  lattice lines (all octaves share the texel edges; unboosted they would show as a faint grid).
* The tile stores samples of those fields (``samples_per_cell`` per cell) and the GPU interpolates them
  bilinearly; the bilinear interpolant's own integral over each unit is made exactly 0 by a smooth bump
  over the unit's interior samples (:func:`zero_unit_means`, ~1 % of the field's spread).

Channels (RGBA8, value = 127 + 127·x / ``TILE_RANGE``): R albedo noise N_A, G and B the relief slope
∂H/∂x (east) and ∂H/∂y (south) in cells, A a second albedo noise N_B (hue); each of unit standard
deviation.

The poles: a unit is 1/2^k texel tall but only cos(latitude) as wide on the surface, so poleward the
shader widens each unit to 2^j texels in longitude (j ≈ log2(1/cos lat)), blending two j across a narrow
band of latitudes; the field then averages to 1 over every 2^j texels of a row (there single texels are
slivers narrower than the noise's cells, and no isotropic texture can average to 1 over each).

Per unit of terrain (:class:`Style`), the octaves' amplitude, colour and relief differ: Io's plains,
dark paterae floors and flows, SO₂ frost and rough (mountain) terrain; Jupiter's zones, belts, polar
regions and red spots. Each pixel's mix of units comes from a small unit map made here from the map's
colours (:func:`unit_map`), so any map (procedural, downloaded or the user's) gets it.

Must not import: ``viewer.cli``.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Units on a side of the noise tile (the tile repeats every ``TILE_UNITS`` units: at the zoom where an
#: octave shows, at least ~2 px a cell, that is more than 700 px on screen).
TILE_UNITS = 128
#: The tile stores x / TILE_RANGE in [-1, 1] (x in standard deviations; beyond ±4 σ it clips).
TILE_RANGE = 4.0
#: Gradients of lattice points on the unit edges are this much larger (even variance, see above), for
#: the albedo noise and the relief height (measured: the variance on the edges within 10 % of the mean).
EDGE_BOOST = {"albedo": 1.3, "relief": 1.15}
#: Octaves at most: octave k has 2^k units per texel side (the finest: cells of 1/(m·32) texel).
MAX_OCTAVES = 6
#: An octave fades in as its cells grow from FADE_PX[0] to FADE_PX[1] pixels on screen (its features are
#: about two cells across: below a pixel they would alias).
FADE_PX = (1.0, 2.0)
#: Half-width, in log2(1/cos latitude), of the band where two widths of units are blended.
POLE_BAND = 0.1
#: Units over which the tile is blended across the 0 deg meridian when it does not repeat there.
SEAM_UNITS = 8.0
#: Least modulation (the albedo is multiplied by max(1 + D, this)).
MIN_MODULATION = 0.1


@dataclass(frozen=True)
class Lattice:
    """A body's noise tile: ``cells`` (m_x east, m_y south) per unit — Jupiter's are twice as long
    east–west as north–south, the zonal grain of its clouds —, samples per cell, the seed, and units on
    a side (the shader's tile has :data:`TILE_UNITS`; smaller tiles are for tests)."""

    cells: tuple[int, int]
    samples_per_cell: int = 4
    seed: int = 16
    units: int = TILE_UNITS

    @property
    def samples(self) -> tuple[int, int]:
        """Samples per unit (x, y)."""
        return self.cells[0] * self.samples_per_cell, self.cells[1] * self.samples_per_cell

    @property
    def shape(self) -> tuple[int, int]:
        """The tile's (height, width) in samples."""
        sx, sy = self.samples
        return self.units * sy, self.units * sx


LATTICES: dict[str, Lattice] = {"io": Lattice((3, 3), seed=161), "jupiter": Lattice((2, 4), seed=162)}


def lattice_of(body: str) -> Lattice:
    """The tile a body's detail is drawn with (Io's for the icy moons too)."""
    return LATTICES.get(body, LATTICES["io"])


# --- the tile ----------------------------------------------------------------------------------------

def _random_unit(rng: np.random.Generator, shape: tuple[int, ...]) -> FloatArray:
    return rng.uniform(-1.0, 1.0, size=shape)


def constrained_gradients(rng: np.random.Generator, lx: int, ly: int, cells: tuple[int, int],
                          kind: str) -> FloatArray:
    """Gradients (ly, lx, 2) of a periodic lattice of lx × ly points with ``cells`` = (m_x, m_y) cells
    per unit, constrained so that Perlin noise on it (``kind="albedo"``) integrates to 0 over every
    unit, or (``kind="relief"``) so that its gradient does (module docstring)."""
    mx, my = cells
    g = _random_unit(rng, (ly, lx, 2))
    ix = np.arange(lx)[None, :]
    iy = np.arange(ly)[:, None]
    on_v = np.broadcast_to(ix % mx == 0, (ly, lx))  # on a vertical unit edge
    on_h = np.broadcast_to(iy % my == 0, (ly, lx))  # on a horizontal unit edge
    corner = on_v & on_h
    row, col = iy // my, ix // mx
    if kind == "albedo":
        # edge-normal components antisymmetric along each edge segment (the midpoint's is 0)
        m = iy % my
        partner = (iy - m + np.minimum(m, my - m)) % ly
        sign = np.sign(my - 2 * m).astype(np.float64)
        gx = np.where(on_v & ~on_h, sign * g[partner[:, 0], :, 0], g[..., 0])
        n = ix % mx
        partner_x = (ix - n + np.minimum(n, mx - n)) % lx
        sign_x = np.sign(mx - 2 * n).astype(np.float64)
        gy = np.where(on_h & ~on_v, sign_x * g[:, partner_x[0, :], 1], g[..., 1])
        # corners: the x component alternates from one unit row to the next along each vertical line,
        # the y component from one unit column to the next along each horizontal line
        q_col = _random_unit(rng, (lx,))[None, :]
        q_row = _random_unit(rng, (ly,))[:, None]
        gx = np.where(corner, np.where(row % 2 == 0, 1.0, -1.0) * q_col, gx)
        gy = np.where(corner, np.where(col % 2 == 0, 1.0, -1.0) * q_row, gy)
    elif kind == "relief":
        # corners flat (gradient 0): H then integrates to 0 along every edge segment, so its gradient
        # does over every unit (sharing the corners' gradients along each lattice line would also do,
        # but repeats the same tilt along a whole row of texel corners: a visible line)
        gx = np.where(corner, 0.0, g[..., 0])
        gy = np.where(corner, 0.0, g[..., 1])
    else:
        raise ValueError(f"kind {kind!r}: albedo or relief")
    boost = np.where(on_v | on_h, EDGE_BOOST[kind], 1.0)
    if kind == "relief":  # the flat corners are 1/m of an edge line's points: the others make up for them
        boost = boost * np.where(on_h & ~on_v, math.sqrt(mx / max(mx - 1, 1)), 1.0) \
            * np.where(on_v & ~on_h, math.sqrt(my / max(my - 1, 1)), 1.0)
    return np.stack([gx * boost, gy * boost], axis=-1)


def _fade(t: FloatArray) -> FloatArray:
    return t * t * t * (t * (t * 6.0 - 15.0) + 10.0)


def _dfade(t: FloatArray) -> FloatArray:
    return 30.0 * t * t * (t * (t - 2.0) + 1.0)


def perlin(gradients: FloatArray, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Perlin gradient noise of a periodic lattice (``gradients`` (ly, lx, 2)) at lattice coordinates
    ``x``, ``y`` (any shape, broadcast): the value and its derivatives along x and y (per cell)."""
    ly, lx = gradients.shape[:2]
    x0, y0 = np.floor(x), np.floor(y)
    fx, fy = x - x0, y - y0
    ux, uy, dux, duy = _fade(fx), _fade(fy), _dfade(fx), _dfade(fy)
    i0 = x0.astype(np.int64) % lx
    j0 = y0.astype(np.int64) % ly
    i1, j1 = (i0 + 1) % lx, (j0 + 1) % ly
    g00, g10 = gradients[j0, i0], gradients[j0, i1]
    g01, g11 = gradients[j1, i0], gradients[j1, i1]
    v00 = g00[..., 0] * fx + g00[..., 1] * fy
    v10 = g10[..., 0] * (fx - 1.0) + g10[..., 1] * fy
    v01 = g01[..., 0] * fx + g01[..., 1] * (fy - 1.0)
    v11 = g11[..., 0] * (fx - 1.0) + g11[..., 1] * (fy - 1.0)
    k1, k2, k3 = v10 - v00, v01 - v00, v00 - v10 - v01 + v11
    value = v00 + k1 * ux + k2 * uy + k3 * ux * uy
    gx = (g00[..., 0] + ux * (g10[..., 0] - g00[..., 0]) + uy * (g01[..., 0] - g00[..., 0])
          + ux * uy * (g00[..., 0] - g10[..., 0] - g01[..., 0] + g11[..., 0]) + dux * (k1 + k3 * uy))
    gy = (g00[..., 1] + ux * (g10[..., 1] - g00[..., 1]) + uy * (g01[..., 1] - g00[..., 1])
          + ux * uy * (g00[..., 1] - g10[..., 1] - g01[..., 1] + g11[..., 1]) + duy * (k2 + k3 * ux))
    return value, gx, gy


def _unit_weights(samples: int) -> FloatArray:
    """1-D weights of a unit's bilinear integral over its ``samples`` samples and one neighbour on each
    side (samples at (i + 1/2) h, the unit's edges at 0 and samples·h): 1/8, 7/8, 1, …, 1, 7/8, 1/8."""
    w = np.ones(samples + 2)
    w[0] = w[-1] = 1.0 / 8.0
    w[1] = w[-2] = 7.0 / 8.0
    return w


def unit_integrals(v: FloatArray, samples: tuple[int, int]) -> FloatArray:
    """The integral over each unit of the bilinear interpolant of a periodic sample grid ``v`` (H, W),
    ``samples`` = (s_x, s_y) per unit, in units of a sample's area: (H / s_y, W / s_x)."""
    sx, sy = samples
    wx, wy = _unit_weights(sx), _unit_weights(sy)
    acc_x = sum(w * np.roll(v, 1 - i, axis=1) for i, w in enumerate(wx))[:, ::sx]
    acc = sum(w * np.roll(acc_x, 1 - i, axis=0) for i, w in enumerate(wy))[::sy, :]
    return np.asarray(acc, dtype=np.float64)


def _bump(samples: int) -> FloatArray:
    """sin² across a unit's samples, 0 on the two whose interpolant reaches the next unit."""
    b = np.sin(np.pi * (np.arange(samples) + 0.5) / samples) ** 2
    b[0] = b[-1] = 0.0
    return b


def zero_unit_means(v: FloatArray, samples: tuple[int, int]) -> FloatArray:
    """``v`` plus, in each unit, a smooth bump over its interior samples (those whose interpolant reaches
    no other unit; a flat shift would leave a step a sample inside the unit's edges) scaled so that the
    bilinear interpolant integrates to exactly 0 over every unit."""
    sx, sy = samples
    h, w = v.shape
    integral = unit_integrals(v, samples)
    bump = np.outer(_bump(sy), _bump(sx))
    return np.asarray(v - np.kron(integral / bump.sum(), bump)[:h, :w], dtype=np.float64)


def tile_fields(lattice: Lattice) -> FloatArray:
    """The tile's four fields (H, W, 4) before quantisation, in standard deviations: N_A, ∂H/∂x,
    ∂H/∂y (per cell), N_B, each with a bilinear integral of exactly 0 over every unit."""
    rng = np.random.default_rng(lattice.seed)
    mx, my = lattice.cells
    lx, ly = lattice.units * mx, lattice.units * my
    r = lattice.samples_per_cell
    h, w = lattice.shape
    x = ((np.arange(w) + 0.5) / r)[None, :]
    y = ((np.arange(h) + 0.5) / r)[:, None]
    fields = []
    for kind in ("albedo", "relief", "albedo"):
        g = constrained_gradients(rng, lx, ly, lattice.cells, kind)
        value, dx, dy = perlin(g, x, y)
        fields.extend([value] if kind == "albedo" else [dx, dy])
    return np.stack([zero_unit_means(f / float(np.std(f)), lattice.samples) for f in fields], axis=-1)


def make_tile(lattice: Lattice) -> npt.NDArray[np.uint8]:
    """The noise tile (H, W, 4) uint8 of a :class:`Lattice`: :func:`tile_fields` as 127 + 127·x /
    :data:`TILE_RANGE` (the quantisation leaves unit means below 0.01 standard deviations)."""
    f = tile_fields(lattice)
    return np.clip(np.rint(127.0 + 127.0 * f / TILE_RANGE), 0, 254).astype(np.uint8)


def tile_values(tile: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """The tile's channels as the shader reads them (standard deviations), float32 (H, W, 4)."""
    return np.asarray((tile.astype(np.float32) - 127.0) * (TILE_RANGE / 127.0), dtype=np.float32)


def _cache_key(lattice: Lattice) -> str:
    """The lattice, numpy's version and this module's own text (a change to how tiles are made makes
    new ones)."""
    text = repr((lattice, np.__version__)) + Path(__file__).read_text(encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@lru_cache(maxsize=4)
def tile(lattice: Lattice) -> npt.NDArray[np.uint8]:
    """:func:`make_tile`, kept in this process and in ``cache_dir()/detail`` (about a second to make)."""
    from viewer.atomic import write_bytes_atomic
    from viewer.errors import UserError
    from viewer.paths import cache_dir

    path = cache_dir() / "detail" / f"tile-{_cache_key(lattice)}.npy"
    if path.exists():
        try:
            data = np.load(path, allow_pickle=False)
            if data.shape == (*lattice.shape, 4) and data.dtype == np.uint8:
                return np.asarray(data)
        except (OSError, ValueError):
            pass  # a damaged cache file is made anew
    data = make_tile(lattice)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        np.save(buf, data)
        write_bytes_atomic(path, buf.getvalue())
    except (OSError, UserError):
        pass  # a read-only cache: the tile is made again next time
    return data


# --- terrain units and their styles ------------------------------------------------------------------

_LUMA = np.array([0.2126, 0.7152, 0.0722])


def _smoothstep(e0: float, e1: float, x: FloatArray) -> FloatArray:
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return np.asarray(t * t * (3.0 - 2.0 * t), dtype=np.float64)


def _half(rgb: FloatArray) -> FloatArray:
    """The map at half resolution (2×2 means) while wider than 1024 texels."""
    while rgb.shape[1] > 1024 and rgb.shape[0] % 2 == 0 and rgb.shape[1] % 2 == 0:
        h, w = rgb.shape[:2]
        rgb = rgb.reshape(h // 2, 2, w // 2, 2, -1).mean(axis=(1, 3))
    return rgb


def _box(a: FloatArray, radius: int) -> FloatArray:
    """Mean over (2r+1)² texels, wrapping in longitude and clamping at the poles."""
    out = np.zeros_like(a)
    padded = np.pad(a, ((radius, radius), (0, 0)), mode="edge")
    for dy in range(2 * radius + 1):
        rows = padded[dy:dy + a.shape[0]]
        for dx in range(-radius, radius + 1):
            out += np.roll(rows, dx, axis=1)
    return out / float((2 * radius + 1) ** 2)


def io_units(rgb: FloatArray) -> FloatArray:
    """Io's terrain units from its linear map colour (H, W, 3): weights (H, W, 3) in [0, 1] of dark
    volcanic material (paterae floors, lava flows: the darkest few per cent of the surface), SO₂ frost
    (bright and pale) and rough terrain (mountains and scarps: strong texel-to-texel contrast of the
    shaded relief the map carries); plains are what remains. Thresholds by eye on the shipped map and
    the USGS mosaic."""
    lum = rgb @ _LUMA
    top, bottom = rgb.max(axis=-1), rgb.min(axis=-1)
    sat = (top - bottom) / np.maximum(top, 1e-6)
    dark = _smoothstep(0.13, 0.06, lum)
    frost = _smoothstep(0.42, 0.55, lum) * _smoothstep(0.6, 0.4, sat) * (1.0 - dark)
    mean = _box(lum, 1)
    spread = np.sqrt(np.maximum(_box(lum * lum, 1) - mean * mean, 0.0)) / np.maximum(mean, 1e-3)
    rough = _smoothstep(0.15, 0.35, spread) * (1.0 - dark) * (1.0 - frost)
    return np.stack([dark, frost, rough], axis=-1)


def jupiter_units(rgb: FloatArray) -> FloatArray:
    """Jupiter's cloud units from its linear map colour (H, W, 3): weights (H, W, 3) of belt (darker
    than the mean of the latitudes within ±15°: belts and dark features), polar (poleward of ~55°, where
    Juno found chaotic turbulence and cyclones instead of bands) and a spare 0; zones are what
    remains."""
    h = rgb.shape[0]
    lum = rgb @ _LUMA
    rows = lum.mean(axis=1)
    reach = max(1, round(h * 15.0 / 180.0))
    kernel = np.ones(2 * reach + 1) / (2 * reach + 1)
    reference = np.convolve(np.pad(rows, reach, mode="edge"), kernel, mode="valid")[:, None]
    belt = _smoothstep(0.0, 0.25, (reference - lum) / np.maximum(reference, 1e-3))
    lat = 90.0 - (np.arange(h) + 0.5) * 180.0 / h
    polar = np.broadcast_to(_smoothstep(50.0, 62.0, np.abs(lat))[:, None], lum.shape)
    belt = belt * (1.0 - polar)
    return np.stack([belt, polar, np.zeros_like(lum)], axis=-1)


UNIT_MAPS: dict[str, Callable[[FloatArray], FloatArray]] = {"io": io_units, "jupiter": jupiter_units}


#: Relative change of luminance across one texel at which the detail is halved (:func:`evenness`).
EDGE_CONTRAST = 0.25


def evenness(rgb: FloatArray) -> FloatArray:
    """Per texel, 1 / (1 + (γ / EDGE_CONTRAST)²) with γ the relative change of luminance across the
    texel (central differences), the least over the 3×3 texels around: 1 on even ground, toward 0
    within a texel of a sharp edge in the map (a patera's rim). The detail is scaled by it: it keeps a
    texel's mean exactly only where the map's colour is even across the texel (over a texel whose
    bilinear colour runs from bright to dark, the bright half's noise counts more), so it steps aside at
    edges, which the map draws itself (measured: texel means within 0.5 % with it, 2.7 % without)."""
    lum = np.maximum(rgb @ _LUMA, 1e-3)
    gx = 0.5 * (np.roll(lum, -1, axis=1) - np.roll(lum, 1, axis=1))
    padded = np.pad(lum, ((1, 1), (0, 0)), mode="edge")
    gy = 0.5 * (padded[2:] - padded[:-2])
    gamma = np.hypot(gx, gy) / lum
    even = 1.0 / (1.0 + (gamma / EDGE_CONTRAST) ** 2)
    # the least over each texel's 3x3 neighbourhood: the GPU interpolates between texel centres, so a
    # texel beside an edge must not borrow its even neighbour's value
    padded = np.pad(even, ((1, 1), (0, 0)), mode="edge")
    rows = np.minimum(np.minimum(padded[:-2], padded[1:-1]), padded[2:])
    return np.asarray(np.minimum(np.minimum(np.roll(rows, 1, axis=1), rows), np.roll(rows, -1, axis=1)),
                      dtype=np.float64)


#: The local texel-scale contrast the unit map holds saturates here (relative RMS of luminance).
CONTRAST_MAX = 0.2
#: The contrast at which a style's relief slopes apply as given (half to twice that scales them).
CONTRAST_REF = 0.03


def texel_contrast(rgb: FloatArray) -> FloatArray:
    """Per texel, the map's own relative contrast at the texel scale: the RMS over the 9×9 texels around
    of luminance less its 3×3 mean, over the mean luminance there (the shipped maps' medians: Io 2.8 %,
    Jupiter 1.6 %). The detail continues the map's spectrum from it (:class:`Style`)."""
    lum = np.maximum(rgb @ _LUMA, 1e-3)
    high = lum - _box(lum, 1)
    return np.asarray(np.sqrt(_box(high * high, 4)) / _box(lum, 4), dtype=np.float64)


def _half_min(a: FloatArray, shape: tuple[int, int]) -> FloatArray:
    """``a`` (H, W) reduced to ``shape`` by the least value of each block."""
    fy, fx = a.shape[0] // shape[0], a.shape[1] // shape[1]
    return np.asarray(a.reshape(shape[0], fy, shape[1], fx).min(axis=(1, 3)), dtype=np.float64)


def unit_map(body: str, rgb: npt.ArrayLike) -> npt.NDArray[np.uint8]:
    """A body's unit map (h, w, 4) uint8 from its linear map (H, W, 3), at half resolution while wider
    than 1024 texels: the weights × 255 of its three mapped units in R, G, B (all 0, the base unit,
    for a body without unit rules) and in A the detail's gain: the map's :func:`texel_contrast` (up to
    :data:`CONTRAST_MAX`, which A = 255 stands for) times its :func:`evenness` (the least of each
    block)."""
    full = np.asarray(rgb, dtype=np.float64)
    small = _half(full)
    rule = UNIT_MAPS.get(body)
    weights = rule(small) if rule is not None else np.zeros((*small.shape[:2], 3))
    out = np.zeros((*small.shape[:2], 4), dtype=np.uint8)
    out[..., :3] = np.clip(np.rint(weights * 255.0), 0, 255).astype(np.uint8)
    gain = evenness(full) * np.minimum(texel_contrast(full) / CONTRAST_MAX, 1.0)
    out[..., 3] = np.clip(np.rint(_half_min(gain, small.shape[:2]) * 255.0), 0, 255).astype(np.uint8)
    return out


@dataclass(frozen=True)
class Style:
    """How one terrain unit's detail looks.

    The albedo's amplitude continues the map's own spectrum below its resolution: the coarsest octave's
    standard deviation is ``amplitude`` times the map's local texel-scale contrast
    (:func:`texel_contrast`), each finer octave's ``ratio`` times the previous one's. The real mosaics'
    relative RMS falls by ~0.75 an octave toward small scales (measured on the USGS Io mosaic from 64 km
    to 4 km, and on a Cassini-based Jupiter map from 3,500 km to 220 km, luminance within ±45° of the
    equator), and the coarsest cells lie ~1.6 octaves below a texel, hence ~0.75^1.6 ≈ 0.63 for a unit
    that varies as the map does. Colours, the hue's share and the relief are by eye against Galileo,
    Voyager and JunoCam images, not measurements.

    Attributes
    ----------
    amplitude : the albedo noise's standard deviation in the coarsest octave per unit of texel contrast
    ratio : each finer octave's amplitude over the previous one's
    colour : linear RGB direction of the albedo variation (luminance 1: grey (1, 1, 1) varies brightness
        alone; (1.1, 1, 0.6) yellows the brighter parts)
    hue : standard deviation of the second noise along ``hue_colour`` (luminance 0: a change of hue),
        per unit of texel contrast
    hue_colour : linear RGB direction of the hue variation (its luminance is removed)
    relief : RMS slope (tan of the tilt) of the coarsest octave's relief where the texel contrast is
        :data:`CONTRAST_REF` (proportionally more or less elsewhere, up to twice)
    relief_ratio : each finer octave's RMS slope over the previous one's
    """

    amplitude: float
    ratio: float
    colour: tuple[float, float, float]
    hue: float
    hue_colour: tuple[float, float, float]
    relief: float
    relief_ratio: float


#: Each body's base unit and its three mapped units, in the order of :func:`unit_map`'s channels.
STYLES: dict[str, tuple[Style, Style, Style, Style]] = {
    "io": (
        # plains: sulfur-coated, mottled yellow to ochre, gently rolling
        Style(0.63, 0.75, (1.05, 1.0, 0.8), 0.3, (1.0, 0.0, -1.0), 0.015, 0.9),
        # dark paterae floors and lava flows: patchy black-green to brown, lobate
        Style(0.8, 0.75, (0.9, 1.0, 0.9), 0.35, (1.0, 0.2, -0.8), 0.03, 1.0),
        # SO2 frost: bright, smooth, faintly bluish where thicker
        Style(0.5, 0.7, (0.95, 1.0, 1.1), 0.15, (-0.4, 0.0, 1.0), 0.01, 0.8),
        # rough terrain: mountain flanks and scarps, steep at every scale
        Style(0.63, 0.75, (1.0, 1.0, 0.95), 0.15, (1.0, 0.0, -1.0), 0.12, 0.85),
    ),
    "jupiter": (
        # zones: bright, with small convective cells
        Style(0.55, 0.75, (1.0, 1.0, 1.0), 0.2, (1.0, 0.3, -1.0), 0.005, 0.8),
        # belts: darker brown-orange, filamentary turbulence
        Style(0.75, 0.75, (1.15, 1.0, 0.75), 0.3, (1.0, -0.2, -0.6), 0.008, 0.8),
        # polar regions: grey-blue, chaotic small-scale turbulence
        Style(0.7, 0.8, (0.95, 1.0, 1.1), 0.3, (-0.3, 0.0, 1.0), 0.008, 0.8),
        Style(0.55, 0.75, (1.0, 1.0, 1.0), 0.2, (1.0, 0.3, -1.0), 0.005, 0.8),
    ),
}


def styles_of(body: str) -> tuple[Style, Style, Style, Style]:
    """A body's unit styles (the icy moons take Io's plains style for every unit)."""
    if body in STYLES:
        return STYLES[body]
    plains = STYLES["io"][0]
    return plains, plains, plains, plains


def _scaled_to_luminance_1(colour: tuple[float, float, float]) -> tuple[float, float, float]:
    c = np.asarray(colour, dtype=np.float64)
    c = c / float(c @ _LUMA)
    return float(c[0]), float(c[1]), float(c[2])


def _luminance_removed(colour: tuple[float, float, float]) -> tuple[float, float, float]:
    c = np.asarray(colour, dtype=np.float64)
    c = c - float(c @ _LUMA)
    return float(c[0]), float(c[1]), float(c[2])


def style_uniforms(body: str) -> dict[str, Any]:
    """``body.frag``'s detail uniforms of a body's styles: per unit (base, R, G, B of the unit map) the
    albedo amplitudes and ratios, relief slopes and ratios (vec4s), and the colour directions."""
    styles = styles_of(body)
    out: dict[str, Any] = {
        "u_dt_amp": tuple(s.amplitude for s in styles),
        "u_dt_amp_ratio": tuple(s.ratio for s in styles),
        "u_dt_hue": tuple(s.hue for s in styles),
        "u_dt_relief": tuple(s.relief for s in styles),
        "u_dt_relief_ratio": tuple(s.relief_ratio for s in styles),
    }
    for i, s in enumerate(styles):
        out[f"u_dt_colour[{i}]"] = _scaled_to_luminance_1(s.colour)
        out[f"u_dt_hue_colour[{i}]"] = _luminance_removed(s.hue_colour)
    return out


# --- per body and view ---------------------------------------------------------------------------------

def shader_defines() -> dict[str, float | int]:
    """The constants ``shaders/lib/detail.glsl`` takes from the #define block."""
    return {"DT_TILE_UNITS": float(TILE_UNITS), "DT_RANGE": TILE_RANGE, "DT_MAX_OCTAVES": MAX_OCTAVES,
            "DT_FADE0": FADE_PX[0], "DT_FADE1": FADE_PX[1], "DT_POLE_BAND": POLE_BAND,
            "DT_SEAM_UNITS": SEAM_UNITS, "DT_MIN_MODULATION": MIN_MODULATION,
            "DT_CONTRAST_MAX": CONTRAST_MAX, "DT_CONTRAST_REF": CONTRAST_REF}


def km_per_texel(body: str, map_height: int) -> float:
    """The map's north–south texel size on the body, km (mean radius)."""
    from viewer.sim.constants import BODIES

    return math.pi * BODIES[body].mean_radius_km / map_height


def finest_cell_km(body: str, map_height: int) -> float:
    """The north–south size of the coarsest octave's cells, km (the first detail to show)."""
    return km_per_texel(body, map_height) / lattice_of(body).cells[1]


def shows(body: str, map_height: int, nearest_km: float, focal_px: float,
          tan_half_fov: tuple[float, float]) -> bool:
    """Whether any pixel of a view can show the detail of ``body``: the coarsest octave fades in where
    its cells exceed FADE_PX[0] pixels, and no visible point is nearer than ``nearest_km`` (camera to
    surface) nor seen with a footprint smaller than that depth over the focal length (``focal_px``
    render pixels; the depth along the view axis is at least cos(half the diagonal field) of the
    distance). Else ``body.frag`` is compiled without it (no cost)."""
    cos_edge = 1.0 / math.sqrt(1.0 + tan_half_fov[0] ** 2 + tan_half_fov[1] ** 2)
    least_footprint_km = max(nearest_km, 0.0) * cos_edge / focal_px
    return finest_cell_km(body, map_height) > FADE_PX[0] * least_footprint_km


def grid_uniforms(body: str, map_shape: tuple[int, ...], focal_px: float) -> dict[str, Any]:
    """``u_dt_grid`` (map width and height in texels, cells per unit x and y) and ``u_dt_scale`` (km per
    texel north–south, 1/focal length in px, the widest units' exponent j: at least four units around
    the body)."""
    h, w = int(map_shape[0]), int(map_shape[1])
    mx, my = lattice_of(body).cells
    widest = max(0, math.floor(math.log2(w)) - 2)
    return {"u_dt_grid": (float(w), float(h), float(mx), float(my)),
            "u_dt_scale": (km_per_texel(body, h), 1.0 / focal_px, float(widest), 0.0)}
