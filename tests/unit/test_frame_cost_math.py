"""The bounds behind the frame's shortcuts (issue 12): the radiance an exposure cannot show
(:func:`viewer.render.exposure.invisible_radiance`, for culling stars) and the horizon beyond which no
Jupitershine light reaches a surface (:func:`viewer.render.passes.bodies.js_horizon`)."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.render import exposure as ex
from viewer.render.passes.bodies import js_horizon


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
