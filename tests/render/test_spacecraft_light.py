"""Juno lit by the same light as the bodies (viewer.render.passes.spacecraft against viewer.sim.photometry):
Jupiter's umbra and penumbra and Io's shadow, Jupitershine on a panel facing Jupiter, Ioshine 1,500 km
above Io's sub-solar point, and when each light is off or negligible.

The GL tests draw one flat grey square (4 × 4 m, albedo 0.5, normal +Z in the spacecraft frame) with the
spacecraft's attitude turned so that +Z points where the test wants, seen from 10 m in front of it.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import numpy as np
import pytest

from viewer.render.albedo import map_colour
from viewer.render.camera import Camera, look_rotation
from viewer.render.exposure import LUMA
from viewer.render.meshes import MeshPart, ModelMesh
from viewer.render.passes.spacecraft import (
    IOSHINE_MIN,
    ShineMap,
    SpacecraftPass,
    SpacecraftShine,
    shine_lookup,
    shine_map,
    shine_map_lookup,
    spacecraft_light,
)
from viewer.render.view import View
from viewer.sim import photometry
from viewer.sim.constants import BODIES, JUPITER
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import Snapshot

SIZE = (160, 120)
ALBEDO = 0.5
I57 = "2023-12-30T08:36:00.836"
MOON_NAMES = ("io", "europa", "ganymede", "callisto")
GREY_MAP = np.full((8, 16, 3), 0.3, np.float32)  # Io's tint: white (a grey map, luminance-normalised)



@pytest.fixture(scope="module")
def snap(world) -> Snapshot:
    return world.at(utc_to_et(I57))


@pytest.fixture(scope="module")
def square() -> ModelMesh:
    from pathlib import Path

    positions = np.float32([[-2, -2, 0], [2, -2, 0], [2, 2, 0], [-2, 2, 0]])
    part = MeshPart("square", "", positions, np.tile(np.float32([0, 0, 1]), (4, 1)),
                    np.array([[0, 1, 2], [0, 2, 3]], np.uint32), np.float32([ALBEDO, ALBEDO, ALBEDO, 1.0]))
    return ModelMesh(Path("square"), (part,), 1.0, "z", "metres (glTF)", False, (), 0)


def _unit(v) -> np.ndarray:
    v = np.asarray(v, np.float64)
    return v / np.linalg.norm(v)


def _attitude(normal) -> np.ndarray:
    """A spacecraft → J2000 rotation whose +Z axis is ``normal``."""
    z = _unit(normal)
    helper = np.array([1.0, 0, 0]) if abs(z[0]) < 0.9 else np.array([0, 1.0, 0])
    x = _unit(np.cross(helper, z))
    return np.stack([x, np.cross(z, x), z], axis=1)


def _placed(snap: Snapshot, position, normal, drop: tuple[str, ...] = ()) -> Snapshot:
    """``snap`` with Juno at ``position`` (km, J2000), its +Z along ``normal``, bodies in ``drop`` removed."""
    positions = {k: v for k, v in snap.positions.items() if k not in drop}
    positions["juno"] = np.asarray(position, np.float64)
    rotations = dict(snap.rotations)
    rotations["juno"] = _attitude(normal)
    return dataclasses.replace(snap, positions=MappingProxyType(positions),
                               rotations=MappingProxyType(rotations))


def _render(ctx, model: ModelMesh, s: Snapshot, light) -> np.ndarray:
    """The square seen from 10 m in front of its +Z face: the radiance of the pixels it covers, (N, 3)."""
    from viewer.render.targets import HDRTarget

    normal = s.rotations["juno"][:, 2]
    eye = s.positions["juno"] + 0.010 * normal
    camera = Camera(eye, look_rotation(-normal, s.rotations["juno"][:, 0]), 40.0)
    target = HDRTarget(ctx, SIZE)
    target.clear()
    spacecraft = SpacecraftPass(ctx, model, light=frozenset(light), io_map=lambda: GREY_MAP)
    view = View(s, camera, target.render_size)
    spacecraft.prepare(view)
    with target:
        spacecraft.draw(view)
    rgba = target.read()
    covered = rgba[..., 3] > 0
    assert covered.sum() > 4000  # the square: 66 × 66 pixels
    return rgba[covered][:, :3]


def _sun_hat(s: Snapshot, frm) -> np.ndarray:
    return _unit(s.positions["sun"] - np.asarray(frm, np.float64))


# -- Eclipses -----------------------------------------------------------------------------------------

def _behind_jupiter(snap: Snapshot, offset_km: float) -> np.ndarray:
    """400,000 km behind Jupiter from the Sun, ``offset_km`` from the shadow's axis toward Jupiter's pole."""
    jc = snap.positions["jupiter"]
    s_hat = _sun_hat(snap, jc)
    pole = snap.rotations["jupiter"][:, 2]
    across = _unit(pole - (pole @ s_hat) * s_hat)
    return jc - 400_000.0 * s_hat + offset_km * across


def _jupiter_fraction(s: Snapshot) -> float:
    jc, rot = s.positions["jupiter"], s.rotations["jupiter"]
    return float(photometry.sun_visible_fraction((s.positions["juno"] - jc) @ rot,
                                                 (s.positions["sun"] - jc) @ rot, JUPITER.radii_km))


@pytest.mark.gl
def test_juno_in_jupiters_umbra_is_black(gl_context, snap, square) -> None:
    s = _placed(snap, _behind_jupiter(snap, 0.0), _sun_hat(snap, _behind_jupiter(snap, 0.0)), drop=MOON_NAMES)
    assert _jupiter_fraction(s) == 0.0
    dark = _render(gl_context, square, s, {"sun", "eclipses"})
    assert float(dark.max()) <= 1e-6
    # Without eclipses the same panel faces the Sun: radiance = albedo (the test can fail).
    lit = _render(gl_context, square, s, {"sun"})
    np.testing.assert_allclose(lit, ALBEDO, rtol=1e-5)


@pytest.mark.gl
def test_juno_in_jupiters_penumbra_scales_by_the_visible_fraction(gl_context, snap, square) -> None:
    """Across the penumbra of Jupiter's oblate shadow (offsets along its pole, 400,000 km behind it) the
    sunlit panel reads albedo × cos i × f with f the reference visible fraction (to 1e-3; the fraction
    is computed on the CPU at the spacecraft's origin, so it is exact to float32)."""
    edge = [lo for lo in np.arange(60_000.0, 70_000.0, 50.0)
            if 0.0 < _jupiter_fraction(_placed(snap, _behind_jupiter(snap, lo), [1, 0, 0])) < 1.0]
    assert 5 <= len(edge) <= 40  # the penumbra is ~700 km wide there
    fractions = []
    for offset in np.linspace(edge[0], edge[-1], 5):
        pos = _behind_jupiter(snap, float(offset))
        tilt = _unit(_sun_hat(snap, pos) + 0.5 * snap.rotations["jupiter"][:, 0])   # cos i < 1
        s = _placed(snap, pos, tilt, drop=MOON_NAMES)
        f = _jupiter_fraction(s)
        fractions.append(f)
        cos_i = float(tilt @ _sun_hat(s, pos))
        got = _render(gl_context, square, s, {"sun", "eclipses"})
        np.testing.assert_allclose(got, ALBEDO * cos_i * f, rtol=1e-3, atol=1e-6)  # measured: exact (float32)
        assert spacecraft_light(s, light=frozenset({"sun", "eclipses"})).sun_fraction == pytest.approx(f)
    assert min(fractions) < 0.25 and max(fractions) > 0.75


def test_io_shadow_and_light_switches(snap) -> None:
    """3,000 km behind Io from the Sun Juno is in Io's umbra (Io's shadow is ~2·10⁶ km long); with
    eclipses off it is sunlit, with the Sun off dark."""
    io = snap.positions["io"]
    pos = io - 3000.0 * _sun_hat(snap, io)
    s = _placed(snap, pos, [0, 0, 1.0])
    assert spacecraft_light(s, light=frozenset({"sun", "eclipses"})).sun_fraction == 0.0
    assert spacecraft_light(s, light=frozenset({"sun"})).sun_fraction == 1.0
    assert spacecraft_light(s, light=frozenset({"eclipses"})).sun_fraction == 0.0
    off = spacecraft_light(s, light=frozenset({"sun"}))
    assert off.jupitershine is None and off.ioshine is None


# -- Jupitershine -------------------------------------------------------------------------------------

def _jupiter_facing(snap: Snapshot, tilt_deg: float) -> Snapshot:
    """Juno where it is at I57 (moons removed, so none hides Jupiter), +Z ``tilt_deg`` from Jupiter."""
    pos = snap.positions["juno"]
    to_j = _unit(snap.positions["jupiter"] - pos)
    side = _unit(np.cross(to_j, snap.rotations["jupiter"][:, 2]))
    t = np.radians(tilt_deg)
    return _placed(snap, pos, np.cos(t) * to_j + np.sin(t) * side, drop=MOON_NAMES)


@pytest.mark.gl
@pytest.mark.parametrize("tilt_deg", [0.0, 60.0])
def test_panel_facing_jupiter_reads_albedo_times_jupitershine(gl_context, snap, square, tilt_deg) -> None:
    """Jupitershine alone: albedo × jupitershine_irradiance (the n = 400 integral) within 1 % (the
    48 lights are within 0.2 % of it; Jupiter's tint is white when no colour is given)."""
    s = _jupiter_facing(snap, tilt_deg)
    jc = s.positions["jupiter"]
    normal = s.rotations["juno"][:, 2]
    e = float(photometry.jupitershine_irradiance(s.positions["juno"], normal, jc, s.rotations["jupiter"],
                                                 _sun_hat(s, jc)))
    assert e > 1e-3
    got = _render(gl_context, square, s, {"jupitershine"})
    np.testing.assert_allclose(got, ALBEDO * e, rtol=0.01)
    # With the path off, nothing (the panel faces away from the Sun's side here or not: no Sun either).
    assert not np.any(_render(gl_context, square, s, {"ioshine", "eclipses"}))


def test_io_hides_jupiter_from_juno(snap) -> None:
    """1,500 km above the point of Io facing away from Jupiter, Io (66° across) hides Jupiter (20°):
    no Jupitershine reaches Juno; with Io removed it does."""
    io = snap.positions["io"]
    away = _unit(io - snap.positions["jupiter"])
    pos = io + (BODIES["io"].mean_radius_km + 1500.0) * away
    light = frozenset({"jupitershine"})
    assert spacecraft_light(_placed(snap, pos, -away), light=light).jupitershine is None
    js = spacecraft_light(_placed(snap, pos, -away, drop=("io",)), light=light).jupitershine
    assert js is not None and float(js[1].sum()) > 1e-3


# -- Ioshine ------------------------------------------------------------------------------------------

def _above_subsolar(snap: Snapshot, altitude_km: float, drop: tuple[str, ...] = ()) -> Snapshot:
    io = snap.positions["io"]
    up = _sun_hat(snap, io)
    return _placed(snap, io + (BODIES["io"].mean_radius_km + altitude_km) * up, -up, drop)


@pytest.mark.gl
@pytest.mark.parametrize("altitude_km", [1500.0, 10000.0])
def test_panel_facing_io_reads_albedo_times_ioshine(gl_context, snap, square, altitude_km) -> None:
    """Ioshine alone, above Io's sub-solar point, panel facing Io: albedo × ioshine_irradiance (the
    n = 400 integral) within 1 % (measured 0.03 %); and nothing with Ioshine off."""
    s = _above_subsolar(snap, altitude_km)
    io = s.positions["io"]
    e = float(photometry.ioshine_irradiance(s.positions["juno"], s.rotations["juno"][:, 2], io,
                                            s.rotations["io"], _sun_hat(s, io)))
    assert e > (0.15 if altitude_km < 2000 else 0.01)
    got = _render(gl_context, square, s, {"ioshine"})
    np.testing.assert_allclose(got, ALBEDO * e, rtol=0.01)
    assert not np.any(_render(gl_context, square, s, {"sun", "eclipses", "hotspots"}))


def test_ioshine_off_when_io_is_far_or_eclipsed(world, snap) -> None:
    """Ioshine is skipped beyond the IOSHINE_MIN distance (~145,000 km) and vanishes with Io in Jupiter's
    umbra (eclipses on); with eclipses off an eclipsed Io still shines."""
    io_r = BODIES["io"].mean_radius_km
    limit = io_r * np.sqrt(BODIES["io"].geometric_albedo / IOSHINE_MIN)
    assert 140_000 < limit < 150_000
    light = frozenset({"ioshine", "eclipses"})
    assert spacecraft_light(_above_subsolar(snap, limit * 0.99 - io_r), light=light).ioshine is not None
    assert spacecraft_light(_above_subsolar(snap, limit * 1.01 - io_r), light=light).ioshine is None
    et = utc_to_et(I57)
    events = {e.kind: e.et for e in world.find_events("eclipse", et, et + 2 * 86400, "io")}
    dark = world.at(events["eclipse_umbra_entry"] + 300.0)
    inside = spacecraft_light(_above_subsolar(dark, 1500.0), light=light)
    assert inside.io_sun_fraction == 0.0 and inside.ioshine is None
    assert spacecraft_light(_above_subsolar(dark, 1500.0), light=frozenset({"ioshine"})).ioshine is not None
    # Half-eclipsed Io: its light is scaled by the visible fraction at its centre.
    half = world.at(events["eclipse_entry"])
    full = spacecraft_light(_above_subsolar(half, 1500.0), light=frozenset({"ioshine"})).ioshine
    part = spacecraft_light(_above_subsolar(half, 1500.0), light=light)
    assert part.ioshine is not None and full is not None
    assert 0.3 < part.io_sun_fraction < 0.7
    np.testing.assert_allclose(part.ioshine[1], full[1] * part.io_sun_fraction)


def _light_sum(lights, normals) -> np.ndarray:
    return np.maximum(np.asarray(normals) @ lights[0].T, 0.0) @ lights[1]


def test_irradiance_map_interpolates_the_light_sums(snap) -> None:
    """The 129 × 129 octahedral irradiance map read bilinearly (the shader's numpy twin) against the
    exact sums of the 48 + 48 lights, for 20,000 random normals: within 0.3 % of the largest value
    (measured 0.25 % for Io 1,500 km below, 0.27 % for Jupiter with Io's limb across it), and exact at
    the samples (the poles and the equator's four corners of the octahedron)."""
    s = _above_subsolar(snap, 1500.0)
    lit = spacecraft_light(s)
    assert lit.jupitershine is not None and lit.ioshine is not None
    rng = np.random.default_rng(7)
    normals = rng.normal(size=(20000, 3))
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    for lights in (lit.jupitershine, lit.ioshine):
        table = shine_map([(lights[0], lights[1], (1.0, 1.0, 1.0))])
        exact = _light_sum(lights, normals)
        got = shine_map_lookup(table, normals)[:, 0]
        assert np.abs(got - exact).max() < 3e-3 * exact.max()
        nodes = np.array([[0, 0, 1.0], [0, 0, -1.0], [1.0, 0, 0], [0, 1.0, 0]])  # samples of the map
        np.testing.assert_allclose(shine_map_lookup(table, nodes)[:, 0], _light_sum(lights, nodes),
                                   rtol=1e-6, atol=1e-9)


@pytest.mark.gl
def test_tilted_panels_read_the_light_sums(gl_context, snap, square) -> None:
    """Jupitershine and Ioshine together, 1,500 km above Io's sub-solar point, the panel in six random
    attitudes: the render matches the numpy twin of the shader's lookups (each source's map in its own
    frame, read at the normal turned by the attitude) to 1e-4 and the exact sums of
    the lights to 0.3 % of the facing-Io value (the panel's colour is white: both tints have
    luminance 1, the grey Io map gives white and Jupiter's default is white)."""
    base = _above_subsolar(snap, 1500.0)
    lit = spacecraft_light(base, light=frozenset({"jupitershine", "ioshine"}))
    assert lit.jupitershine is not None and lit.ioshine is not None
    full = float(lit.ioshine[1].sum())
    rng = np.random.default_rng(3)
    for _ in range(6):
        normal = _unit(rng.normal(size=3))
        s = _placed(base, base.positions["juno"], normal)
        got = _render(gl_context, square, s, {"jupitershine", "ioshine"})
        exact = ALBEDO * (_light_sum(lit.jupitershine, normal) + _light_sum(lit.ioshine, normal))
        model = np.array([0.0, 0.0, 1.0])   # the panel's normal in the spacecraft frame
        maps = {}
        for name, lights in (("jupiter", lit.jupitershine), ("io", lit.ioshine)):
            frame = photometry.disc_frame(s.positions["juno"], s.positions[name], s.rotations[name])
            maps[name] = ShineMap(frame, shine_map([(lights[0] @ frame.T, lights[1], (1.0, 1.0, 1.0))]))
        twin = ALBEDO * shine_lookup(SpacecraftShine(0.0, maps), s.rotations["juno"], model)
        np.testing.assert_allclose(got, np.broadcast_to(twin, got.shape), rtol=1e-4, atol=1e-7)
        assert np.abs(got - exact).max() < 3e-3 * ALBEDO * full


def test_map_colour_has_luminance_one() -> None:
    assert float(map_colour(GREY_MAP) @ np.asarray(LUMA)) == pytest.approx(1.0)
    np.testing.assert_allclose(map_colour(GREY_MAP), 1.0, rtol=1e-6)
    rgb = np.zeros((4, 8, 3), np.float32)
    rgb[1:3] = (0.4, 0.3, 0.2)  # low latitudes only count (cos³ weights)
    colour = np.array([0.4, 0.3, 0.2])
    np.testing.assert_allclose(map_colour(rgb), colour / (colour @ LUMA), rtol=1e-6)


@pytest.mark.gl
def test_renderer_hands_its_light_set_to_the_spacecraft(gl_context, square) -> None:
    from viewer.render.renderer import Renderer, RenderSettings

    settings = RenderSettings(size=SIZE, supersample=1, light=frozenset({"sun", "ioshine"}),
                              hide=frozenset({"stars", "europa", "ganymede", "callisto"}))
    r = Renderer(gl_context, settings, spacecraft=square)
    assert r.spacecraft is not None and r.spacecraft.light == frozenset({"sun", "ioshine"})
