"""The bounds behind the frame's shortcuts (issue 12): the radiance an exposure cannot show
(:func:`viewer.render.exposure.invisible_radiance`, for culling stars), the horizon beyond which no
Jupitershine light reaches a surface (:func:`viewer.render.passes.bodies.js_horizon`) and the map cut a
view cannot see (:func:`viewer.render.passes.bodies.map_cut`)."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.render import exposure as ex
from viewer.render.passes.bodies import MAP_CUT_MARGIN_RAD, js_horizon, map_cut
from viewer.sim.constants import BODIES


def _encoded(settings: ex.ToneSettings, x: np.ndarray) -> np.ndarray:
    curve = ex.filmic(x) if settings.curve == "filmic" else ex.stretch(x, *settings.stretch)
    return ex.srgb_encode(curve)


@pytest.mark.parametrize("settings", [
    ex.ToneSettings(),
    ex.ToneSettings(curve="stretch", stretch=(0.0, 1.0, 1.0)),
    ex.ToneSettings(curve="stretch", stretch=(0.02, 3.0, 2.2)),
    ex.ToneSettings(curve="stretch", stretch=(0.1, 1.5, 0.5)),
])
@pytest.mark.parametrize("ev", [-3.0, 0.0, 17.5])
def test_invisible_radiance_moves_no_pixel_by_a_quarter_level(settings, ev) -> None:
    """Added to any pixel (a dense grid of exposed radiance from black to white, the curve's steepest
    parts included), the radiance moves the display value by at most a quarter of an 8-bit step; twice
    as much moves some pixel by more (the bound is tight, not a blanket zero)."""
    d = ex.invisible_radiance(settings, ev)
    x = np.unique(np.concatenate([np.geomspace(1e-14, 50.0, 200_000), [0.0, settings.stretch[0]]]))
    exposed = d * 2.0 ** ev
    assert exposed > 0.0
    step = _encoded(settings, x + exposed) - _encoded(settings, x)
    assert step.max() * 255.0 <= 0.25 * 1.001
    assert (_encoded(settings, x + 2.0 * exposed) - _encoded(settings, x)).max() * 255.0 > 0.25


def test_invisible_radiance_scales_with_the_exposure() -> None:
    settings = ex.ToneSettings()
    assert ex.invisible_radiance(settings, 3.0) == pytest.approx(ex.invisible_radiance(settings, 0.0) / 8.0)
    # filmic's steepest part is its toe, not black: the bound is below black's slope alone (2.0 per unit)
    assert ex.invisible_radiance(settings, 0.0) < 0.25 / 255.0 / 2.0


def test_js_horizon_puts_every_light_below_the_horizon() -> None:
    """Lights spread over a 10° disc: every normal n with n·axis ≤ −h sees them all at or below its
    horizon, and h is the widest light's sine plus the float32 margin (no wider: the skip is tight)."""
    rng = np.random.default_rng(5)
    axis = np.array([0.3, -0.2, 0.9])
    axis /= np.linalg.norm(axis)
    e1 = np.cross(axis, [1.0, 0.0, 0.0])
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(axis, e1)
    r = np.radians(10.0) * np.sqrt(rng.uniform(size=48))
    phi = rng.uniform(0.0, 2.0 * np.pi, 48)
    across = np.cos(phi)[:, None] * e1 + np.sin(phi)[:, None] * e2
    dirs = np.cos(r)[:, None] * axis + np.sin(r)[:, None] * across
    power = rng.uniform(0.1, 1.0, 48)
    h = js_horizon(dirs, power, axis)
    assert np.sin(r.max()) < h < np.sin(r.max()) + 2e-4
    normals = rng.normal(size=(200_000, 3))
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    below = normals @ axis <= -h
    assert below.sum() > 1000 and np.all((normals[below] @ dirs.T) <= 0.0)


def test_js_horizon_special_cases() -> None:
    axis = np.array([0.0, 0.0, 1.0])
    assert js_horizon(np.array([[1.0, 0.0, 0.0]]), np.array([1.0]), axis) == 2.0    # 90°: never skip
    assert js_horizon(np.array([[0.0, 0.0, 1.0]]), np.array([0.0]), axis) == -2.0   # none shines: always
    assert js_horizon(np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), np.array([0.0, 1.0]), axis) == \
        pytest.approx(1e-4)  # a dark light does not widen the cone


def _camera(radii, lat_deg: float, elon_deg: float, dist: float) -> np.ndarray:
    """A camera ``dist`` (in units of the radii) from the centre in the direction of planetocentric
    ``lat_deg``, east longitude ``elon_deg`` of the *scaled* space (body frame, km)."""
    lat, lon = np.radians(lat_deg), np.radians(elon_deg)
    u = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    return dist * u * np.asarray(radii)


@pytest.mark.parametrize(("lat", "elon", "dist", "cut"), [
    (0.0, 180.0, 5.5, 1),     # looking at 180°: the map cut at 0° E is behind the body
    (0.0, 0.0, 5.5, 2),       # and the other way round
    (0.0, 175.0, 6.0, 1),     # bench/render.py's bodies: near the equator, ~80° of cap
    (3.0, 175.0, 240.0, 0),   # far: the cap reaches the pole, through which every cut runs
    (3.0, 90.0, 30.0, 0),     # both cuts in view
    (80.0, 180.0, 1.06, 0),   # over the pole at perijove: every meridian in view
    (30.0, 180.0, 1.5, 1),    # close, the cap narrow
    (60.0, 180.0, 5.5, 0),    # the pole in view
])
def test_map_cut_cases(lat, elon, dist, cut) -> None:
    radii = BODIES["jupiter"].radii_km
    assert map_cut(_camera(radii, lat, elon, dist), radii) == cut


def test_map_cut_keeps_every_visible_point_off_the_cut() -> None:
    """Random cameras around Jupiter and Io: whenever one parameterisation is chosen, every visible
    surface point (n·(camera − x) ≥ 0, sampled densely) is more than the margin from its cut, the
    half-meridian at 0° E (cut 1) or 180° (cut 2), measured in the scaled space on its own samples."""
    rng = np.random.default_rng(11)
    chosen = 0
    meridian_lat = np.radians(np.linspace(-90.0, 90.0, 721))  # 0.25° apart: distances within 0.125°
    for body in ("jupiter", "io"):
        radii = np.asarray(BODIES[body].radii_km)
        for _ in range(60):
            elon = rng.uniform(-40, 40) + rng.choice([0.0, 180.0])
            cam = _camera(radii, rng.uniform(-20, 20), elon, rng.uniform(1.05, 8.0))
            cut = map_cut(cam, radii)
            if cut == 0:
                continue
            chosen += 1
            v = rng.normal(size=(5_000, 3))
            unit = v / np.linalg.norm(v, axis=1, keepdims=True)
            x = unit * radii
            normal = x / radii**2
            seen = unit[np.einsum("ij,ij->i", normal, cam - x) >= 0.0]
            lon = 0.0 if cut == 1 else np.pi
            arc = np.stack([np.cos(meridian_lat) * np.cos(lon), np.cos(meridian_lat) * np.sin(lon),
                            np.sin(meridian_lat)], axis=1)
            nearest = np.arccos(np.clip(seen @ arc.T, -1.0, 1.0)).min(axis=1)
            assert nearest.min() > MAP_CUT_MARGIN_RAD - np.radians(0.13), (body, cut)
    assert chosen > 60
