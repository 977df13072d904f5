"""The I57 recreation (issue 15): in the ``i57-jupitershine`` still the terminator lies where the
sub-solar point puts it, and the night side is lit by Jupiter — brighter where Jupiter stands high in
Io's sky than where it is low, and dark where Jupiter is below the horizon. Checked on the linear
radiance against an independent ray cast of Io's ellipsoid (tests/render/raycast.py); hot spots off
(their glow is not reflected light)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.render.raycast import surface_points
from viewer.render.camera import camera_from_spec
from viewer.sim.constants import IO
from viewer.still import render_still, resolve_still

pytestmark = pytest.mark.gl

SIZE = (240, 240)


@pytest.fixture(scope="module")
def scene(world, gl_probe):
    setup = resolve_still("i57-jupitershine", size=SIZE)
    snap = world.at(setup.et)
    cam = camera_from_spec(setup.camera, snap, setup.fov_deg)
    still = render_still("i57-jupitershine", size=SIZE, linear=True, light="sun,jupitershine,eclipses",
                         hide="juno")
    points, normals = surface_points(cam, SIZE, snap.positions["io"], snap.rotations["io"], IO.radii_km)
    luminance = np.asarray(still) @ np.array([0.2126, 0.7152, 0.0722])
    sun = snap.positions["sun"] - points
    sun /= np.linalg.norm(sun, axis=-1, keepdims=True)
    jupiter = snap.positions["jupiter"] - points
    jupiter /= np.linalg.norm(jupiter, axis=-1, keepdims=True)
    on_io = np.isfinite(points[..., 0])
    return (luminance, on_io, np.sum(normals * sun, -1), np.sum(normals * jupiter, -1))


def test_io_fills_most_of_the_frame_and_most_of_it_is_night(scene) -> None:
    _, on_io, mu_sun, _ = scene
    assert on_io.mean() > 0.4
    assert (mu_sun[on_io] < 0).mean() > 0.5  # phase angle 96°: more than half the disc seen is night side


def test_the_terminator_is_where_the_subsolar_point_puts_it(scene) -> None:
    """Day pixels (Sun above the horizon, μ0 > 0.05) are far brighter than night ones (μ0 < −0.05);
    the lit/unlit boundary falls within |μ0| < 0.05 of the predicted one for 99 % of Io's pixels."""
    lum, on_io, mu_sun, _ = scene
    day, night = on_io & (mu_sun > 0.05), on_io & (mu_sun < -0.05)
    assert day.sum() > 200 and night.sum() > 2000
    threshold = 0.1 * np.median(lum[day])
    wrong = (day & (lum < threshold)) | (night & (lum > threshold))
    assert wrong.sum() <= 0.01 * (day.sum() + night.sum())


def test_the_jupiter_facing_night_side_is_brighter_than_the_far_night_side(scene) -> None:
    lum, on_io, mu_sun, mu_jupiter = scene
    night = on_io & (mu_sun < -0.05)
    high = night & (mu_jupiter > 0.6)
    low = night & (mu_jupiter > 0.05) & (mu_jupiter < 0.3)
    below = night & (mu_jupiter < -0.2)
    assert high.sum() > 100 and low.sum() > 100
    assert np.median(lum[high]) > 1.5 * np.median(lum[low]) > 0
    if below.sum() > 20:  # Jupiter under the horizon: no Jupitershine (only Jupiter's limb near it)
        assert np.median(lum[below]) < 0.05 * np.median(lum[high])
