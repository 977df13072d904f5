"""Keyframed camera paths: through every key, C² positions and C¹ (and smoother) orientations, following
and aiming at bodies, eased field of view, bad keys refused."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.errors import UserError
from viewer.render.camera_path import CameraKey, CameraPath
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import World

CA = utc_to_et("2023-12-30T08:36:00.836")


@pytest.fixture(scope="module")
def world() -> World:
    return World()


@pytest.fixture(scope="module")
def path(world: World) -> CameraPath:
    keys = [CameraKey(CA - 600, "orbit:io:0:120:20000", 40.0),
            CameraKey(CA - 200, "orbit:io:20:150:9000", 30.0),
            CameraKey(CA + 100, "orbit:io:-10:200:6000", 50.0),
            CameraKey(CA + 600, "orbit:io:5:260:15000", 35.0)]
    return CameraPath(keys, world.at, follow="io")


def test_passes_through_every_key(path: CameraPath, world: World) -> None:
    for key, cam in zip([CA - 600, CA - 200, CA + 100, CA + 600], path.cameras, strict=True):
        got = path.at(key)
        assert np.allclose(got.position_km, cam.position_km, atol=1e-6)
        assert np.allclose(got.rotation, cam.rotation, atol=1e-9)
        assert got.fov_deg == pytest.approx(cam.fov_deg, abs=1e-9)


def _velocity(path: CameraPath, world: World, t: float, h: float) -> np.ndarray:
    """Velocity of the camera relative to Io (the followed body), km/s, one-sided over h."""
    def offset(x: float) -> np.ndarray:
        return path.at(x).position_km - world.at(x).positions["io"]
    return (offset(t + h) - offset(t)) / h


@pytest.mark.parametrize("key", [CA - 200, CA + 100])
def test_no_velocity_or_spin_jump_at_interior_keys(path: CameraPath, world: World, key: float) -> None:
    h = 1e-2
    left, right = _velocity(path, world, key - h, h), _velocity(path, world, key, h)
    scale = np.linalg.norm(left)
    assert np.linalg.norm(left - right) < 1e-3 * scale
    # Orientation: the forward vector turns at the same rate either side of the key.
    f = [path.at(key + d).forward for d in (-h, 0.0, h)]
    w_left, w_right = np.linalg.norm(f[1] - f[0]) / h, np.linalg.norm(f[2] - f[1]) / h
    assert abs(w_left - w_right) < 1e-2 * max(w_left, w_right) + 1e-9
    # The field of view eases: no rate of change at a key.
    fovs = [path.at(key + d).fov_deg for d in (-h, 0.0, h)]
    assert abs(fovs[0] - fovs[1]) < 1e-5 and abs(fovs[2] - fovs[1]) < 1e-5


def test_following_juno_keeps_the_offset_while_juno_moves(world: World) -> None:
    key = CameraKey(CA, "orbit:juno:0:0:0.05")  # 50 m from Juno
    p = CameraPath([key, CameraKey(CA + 60, "orbit:juno:0:0:0.05")], world.at, follow="juno")
    for t in (CA, CA + 13.7, CA + 41.2, CA + 60):
        snap = world.at(t)
        d = np.linalg.norm(p.at(t, snap).position_km - snap.positions["juno"])
        assert d == pytest.approx(0.05, abs=1e-9)


def test_aim_keeps_the_body_centred(world: World) -> None:
    keys = [CameraKey(CA - 300, "orbit:io:0:100:10000"), CameraKey(CA + 300, "orbit:io:0:250:10000")]
    p = CameraPath(keys, world.at, follow="io", aim="jupiter")
    for t in np.linspace(CA - 300, CA + 300, 7):
        snap = world.at(t)
        cam = p.at(t, snap)
        to_jupiter = snap.positions["jupiter"] - cam.position_km
        assert np.dot(cam.forward, to_jupiter / np.linalg.norm(to_jupiter)) > 1 - 1e-12


def test_bad_keys_are_refused(world: World) -> None:
    with pytest.raises(UserError, match="time order"):
        CameraPath([CameraKey(CA, "orbit:io:0:0:9000"), CameraKey(CA, "orbit:io:0:10:9000")], world.at)
    with pytest.raises(UserError, match="at least one"):
        CameraPath([], world.at)
    p = CameraPath([CameraKey(CA, "orbit:io:0:0:9000"), CameraKey(CA + 10, "orbit:io:0:10:9000")],
                   world.at)
    with pytest.raises(UserError, match="outside the camera keyframes"):
        p.at(CA + 11)
    with pytest.raises(UserError, match="Sun"):
        CameraPath([CameraKey(CA, "orbit:io:0:0:9000")], world.at, aim="sun")
