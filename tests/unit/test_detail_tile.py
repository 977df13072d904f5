"""The detail tile (viewer.render.detail): its fields average to exactly 0 over every unit (so the albedo
modulation averages to 1 and the slope to 0 over every map texel), in the continuum and as the GPU
interpolates the stored samples; the variance is even across a unit (no grid along the texel edges); the
unit maps classify what they should; the CPU decides when a view can show any detail."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer.render import detail

SMALL = {name: detail.Lattice(lat.cells, lat.samples_per_cell, lat.seed, units=16)
         for name, lat in detail.LATTICES.items()}


@pytest.mark.parametrize("cells", [(3, 3), (2, 4), (5, 3)])
@pytest.mark.parametrize("kind", ["albedo", "relief"])
def test_constrained_noise_integrates_to_zero_over_every_unit(cells, kind):
    """Gauss-Legendre quadrature (exact for the noise's polynomial pieces) over every cell of 6x6 units:
    the albedo noise's integral and the relief noise's gradient integral are 0 to rounding."""
    mx, my = cells
    units = 6
    g = detail.constrained_gradients(np.random.default_rng(3), units * mx, units * my, cells, kind)
    nodes, weights = np.polynomial.legendre.leggauss(8)
    nodes, weights = (nodes + 1.0) / 2.0, weights / 2.0
    w2 = weights[:, None] * weights[None, :]
    value, dx, dy = (np.zeros((units, units)) for _ in range(3))
    for a in range(units * mx):
        for b in range(units * my):
            x = (a + nodes)[None, :] * np.ones((8, 1))
            y = (b + nodes)[:, None] * np.ones((1, 8))
            v, gx, gy = detail.perlin(g, x, y)
            value[b // my, a // mx] += (v * w2).sum()
            dx[b // my, a // mx] += (gx * w2).sum()
            dy[b // my, a // mx] += (gy * w2).sum()
    field = value if kind == "albedo" else np.stack([dx, dy])
    assert np.abs(field).max() < 1e-12
    # ... and the noise is not trivially 0
    v, gx, _ = detail.perlin(g, np.linspace(0, units * mx, 997)[None, :],
                             np.linspace(0, units * my, 991)[:, None])
    assert (v if kind == "albedo" else gx).std() > 0.1


@pytest.mark.parametrize("name", sorted(SMALL))
def test_tile_unit_means_vanish_as_interpolated(name):
    """The stored fields' bilinear interpolant integrates to 0 over every unit: exactly before the 8-bit
    quantisation, within 0.02 standard deviations after it (that is < 0.1 % of albedo at the styles'
    largest amplitude, 0.2)."""
    lattice = SMALL[name]
    fields = detail.tile_fields(lattice)
    values = detail.tile_values(detail.make_tile(lattice)).astype(np.float64)
    area = lattice.samples[0] * lattice.samples[1]
    for c in range(4):
        assert np.abs(detail.unit_integrals(fields[..., c], lattice.samples)).max() / area < 1e-12
        assert np.abs(detail.unit_integrals(values[..., c], lattice.samples)).max() / area < 0.02
        assert abs(values[..., c].std() - 1.0) < 0.05


@pytest.mark.parametrize("name", sorted(SMALL))
def test_variance_is_even_across_a_unit(name):
    """Along the unit edges (texel edges for every octave) the fields vary as much as elsewhere: the mean
    square on the edge rows and columns is within 15 % of the whole tile's (unboosted: 28 % lower, a
    visible grid). A 48x48-unit tile, for the statistics."""
    lattice = detail.Lattice(SMALL[name].cells, 4, SMALL[name].seed, units=48)
    v = detail.tile_fields(lattice)
    sx, sy = lattice.samples
    h, w = v.shape[:2]
    profile = (v ** 2).reshape(h // sy, sy, w // sx, sx, 4).mean(axis=(0, 2))
    for c in range(4):
        p = profile[..., c] / profile[..., c].mean()
        assert 0.85 < p[0].mean() < 1.15
        assert 0.85 < p[:, 0].mean() < 1.15


def test_unit_maps_classify_io_and_jupiter():
    """Io: a dark texel is lava/patera floor, a bright pale one frost, a checkerboard of bright and dark
    (shaded relief) rough, an even yellow one plain. Jupiter: a dark band between bright ones is belt,
    latitudes beyond 62 deg polar."""
    h, w = 64, 128
    io = np.tile(np.array([0.45, 0.38, 0.12]), (h, w, 1))  # plains (linear)
    io[10:20, 10:20] = [0.03, 0.03, 0.025]  # dark
    io[10:20, 40:50] = [0.62, 0.62, 0.58]  # frost
    chk = (np.indices((10, 10)).sum(axis=0) % 2)[..., None]
    io[30:40, 70:80] = np.where(chk, [0.6, 0.5, 0.2], [0.15, 0.12, 0.05])  # rough
    units = detail.unit_map("io", io).astype(np.float64) / 255.0
    assert units[15, 15, 0] > 0.95 and units[15, 45, 1] > 0.95 and units[35, 75, 2] > 0.9
    assert units[50, 100, :3].max() < 0.05
    jup = np.tile(np.array([0.6, 0.58, 0.5]), (h, w, 1))
    jup[28:31] = [0.25, 0.18, 0.1]  # a dark belt just north of the equator
    units = detail.unit_map("jupiter", jup).astype(np.float64) / 255.0
    assert units[29, :, 0].min() > 0.9 and units[20, :, 0].max() < 0.05
    assert units[2, :, 1].min() > 0.99 and units[25, :, 1].max() < 0.01
    assert detail.unit_map("europa", io)[..., :3].max() == 0  # no rules: the base unit everywhere


def test_shows_when_the_coarsest_cells_exceed_a_pixel():
    """Io's committed 2048x1024 map: 5.6 km texels, coarsest cells 1.86 km. From 1,500 km with a focal
    length of 1,000 px (1.5 km per pixel at the view's centre) they can show; from 3,000 km they cannot
    (2.9 km per pixel even at the field's corners, 31 deg off-axis)."""
    assert math.isclose(detail.km_per_texel("io", 1024), math.pi * 1821.49 / 1024, rel_tol=1e-3)
    tan = (0.5, 0.3)
    assert detail.shows("io", 1024, 1500.0, 1000.0, tan)
    assert not detail.shows("io", 1024, 3000.0, 1000.0, tan)
    assert detail.shows("io", 1024, -5.0, 1000.0, tan)  # a camera inside the bounding sphere


def test_styles_and_defines():
    """Every body's four styles give the shader uniforms it declares; colour directions have luminance 1,
    hue directions luminance 0; the #define block holds the constants lib/detail.glsl needs."""
    luma = np.array([0.2126, 0.7152, 0.0722])
    for body in ("io", "jupiter", "europa"):
        u = detail.style_uniforms(body)
        for i in range(4):
            assert np.isclose(np.asarray(u[f"u_dt_colour[{i}]"]) @ luma, 1.0)
            assert np.isclose(np.asarray(u[f"u_dt_hue_colour[{i}]"]) @ luma, 0.0)
        assert all(len(u[k]) == 4 for k in ("u_dt_amp", "u_dt_amp_ratio", "u_dt_hue", "u_dt_relief"))
    defines = detail.shader_defines()
    assert defines["DT_TILE_UNITS"] == detail.TILE_UNITS and defines["DT_FADE0"] == detail.FADE_PX[0]


def test_detail_gain_follows_the_maps_own_contrast():
    """The unit map's A channel (the detail's gain) is the map's texel-scale contrast times its evenness:
    0 on a uniform map, larger where the map varies more from texel to texel, and lower beside a sharp
    edge than on even ground of the same texture."""
    rng = np.random.default_rng(4)
    base = np.tile(np.array([0.4, 0.35, 0.2]), (64, 128, 1))
    assert detail.unit_map("io", base)[..., 3].max() == 0
    assert np.allclose(detail.texel_contrast(base), 0.0)
    quiet = base * (1.0 + 0.02 * rng.standard_normal((64, 128, 1)))
    busy = base * (1.0 + 0.06 * rng.standard_normal((64, 128, 1)))
    c_quiet, c_busy = np.median(detail.texel_contrast(quiet)), np.median(detail.texel_contrast(busy))
    assert 2.5 < c_busy / c_quiet < 3.5  # the 3x3 high-pass keeps ~8/9 of white noise, alike for both
    gain_quiet = detail.unit_map("io", quiet)[..., 3].astype(float)
    gain_busy = detail.unit_map("io", busy)[..., 3].astype(float)
    assert np.median(gain_busy) > np.median(gain_quiet) > 0
    edged = quiet.copy()
    edged[:, 64:] *= 0.3  # a sharp edge down the middle
    gain = detail.unit_map("io", edged)[..., 3].astype(float)
    assert gain[:, 63].mean() < 0.5 * gain[:, 20].mean()
