"""A camera inside a body (viewer/render/camera.py ``inside_body``, ``camera_from_spec``): the pure test
against every body's triaxial ellipsoid at the instant, and the one-line refusal naming the radius."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from viewer.errors import UserError
from viewer.render.camera import body_at_pixel, camera_from_spec, ellipsoids, inside_body
from viewer.sim.constants import BODIES, SUN_RADIUS_KM
from viewer.sim.timescales import utc_to_et

CA = "2023-12-30T08:36:00.836"


@pytest.fixture(scope="module")
def snap(world):
    return world.at(utc_to_et(CA))


@pytest.mark.parametrize("name", sorted(BODIES))
def test_each_body_contains_its_centre_and_the_points_just_under_its_surface(snap, name) -> None:
    centre, rot = snap.positions[name], snap.rotations[name]
    assert inside_body(snap, centre).name == name
    for axis, radius in enumerate(BODIES[name].radii_km):
        for sign in (1.0, -1.0):
            direction = sign * rot[:, axis]  # the body's own axes, in J2000
            assert inside_body(snap, centre + radius * (1 - 1e-9) * direction).name == name
            assert inside_body(snap, centre + radius * (1 + 1e-6) * direction) is None


def test_the_triaxial_shape_is_used_in_the_body_frame(snap) -> None:
    """70,000 km from Jupiter's centre is inside along the equator (a = 71,492 km) and outside along
    the pole (c = 66,854 km): the test uses the rotation of the instant, not a sphere."""
    centre, rot = snap.positions["jupiter"], snap.rotations["jupiter"]
    assert inside_body(snap, centre + 70000.0 * rot[:, 0]).name == "jupiter"
    assert inside_body(snap, centre + 70000.0 * rot[:, 2]) is None
    assert inside_body(snap, centre - 70000.0 * rot[:, 1]).name == "jupiter"


def test_the_sun_counts_too_and_open_space_is_outside(snap) -> None:
    sun = snap.positions["sun"]
    assert inside_body(snap, sun + np.array([0.0, 0.0, 0.9 * SUN_RADIUS_KM])).name == "sun"
    assert inside_body(snap, snap.positions["juno"]) is None
    assert {e.name for e in ellipsoids(snap)} == {*BODIES, "sun"}


def test_orbit_inside_io_is_refused_naming_the_radius_and_the_least_range(snap) -> None:
    with pytest.raises(UserError) as err:
        camera_from_spec("orbit:io:0:0:100", snap)
    text = str(err.value)
    assert "\n" not in text
    assert "camera orbit:io:0:0:100 is inside Io" in text
    assert "1,829.4 × 1,819.4 × 1,815.7 km, mean 1,821.5 km" in text
    assert "use a range above 1,829.4 km" in text  # lat 0, wlon 0 is the long (a) axis
    camera_from_spec("orbit:io:0:0:1830", snap)  # just outside: accepted


def test_a_camera_inside_another_body_is_refused(snap) -> None:
    """Io's sub-Jupiter direction (lat 0, wlon 0) at Io's distance from Jupiter ends inside Jupiter."""
    distance = float(np.linalg.norm(snap.positions["io"] - snap.positions["jupiter"]))
    with pytest.raises(UserError, match=r"is inside Jupiter \(radii 71,492\.0 × 71,492\.0 × 66,854\.0 km"):
        camera_from_spec(f"orbit:io:0:0:{distance:.0f}", snap)
    with pytest.raises(UserError, match="inside Jupiter"):
        camera_from_spec("orbit:jupiter:10:20:60000", snap)


def test_juno_inside_a_body_is_refused_for_look_and_junocam(snap) -> None:
    """Juno is never inside a body on a real trajectory; a bad kernel could put it there."""
    moved = dataclasses.replace(snap, positions={**snap.positions,
                                                 "juno": snap.positions["io"] + [100.0, 0.0, 0.0]})
    for spec in ("look:juno:io", "junocam:io"):
        with pytest.raises(UserError, match="inside Io"):
            camera_from_spec(spec, moved)
    camera_from_spec("look:juno:io", snap)


def test_the_sky_camera_at_jupiters_centre_is_not_refused(snap) -> None:
    """``sky:`` is a direction only (the bodies are not drawn from inside), its position nominal."""
    camera_from_spec("sky:0:0", snap)


def test_body_at_pixel_casts_the_ray_through_the_pixel(snap) -> None:
    cam = camera_from_spec("orbit:io:0:30:8000", snap, 35.0)
    assert body_at_pixel(snap, cam, (120, 160), (320, 240)) == "io"      # the centre of the frame
    assert body_at_pixel(snap, cam, (0, 0), (320, 240)) is None          # a corner: sky
    # pixel_direction inverts project; the ray toward a point under Io's surface meets Io.
    point = snap.positions["io"] + 1500.0 * snap.rotations["io"][:, 2]
    (x, y), _ = cam.project(point, 320, 240)
    d = cam.pixel_direction(y - 0.5, x - 0.5, 320, 240)
    expected = (point - cam.position_km) / np.linalg.norm(point - cam.position_km)
    assert np.allclose(d, expected, atol=1e-12)
    assert body_at_pixel(snap, cam, (int(y), int(x)), (320, 240)) == "io"
