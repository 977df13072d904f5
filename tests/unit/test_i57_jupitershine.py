"""The ``i57-jupitershine`` preset: the still is taken from where ``info`` puts Juno at its time, along
JunoCam's real boresight at that instant, with Io's whole disc, mostly night side, in the field."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer import junocam as jc
from viewer.config import load_preset
from viewer.render.camera import camera_from_spec
from viewer.report import info_dict
from viewer.sim.timescales import utc_to_et
from viewer.still import resolve_still


@pytest.fixture(scope="module")
def still(world):
    setup = resolve_still("i57-jupitershine")
    snap = world.at(setup.et)
    return setup, snap, camera_from_spec(setup.camera, snap, setup.fov_deg)


def test_the_still_is_taken_from_the_position_info_reports(world, still) -> None:
    setup, _, camera = still
    spec = load_preset("i57-jupitershine")
    assert setup.time == spec.time and str(setup.camera) == "junocam:io"
    info = info_dict(world, utc_to_et(spec.time))
    np.testing.assert_allclose(camera.position_km, info["juno"]["position_km"], rtol=0, atol=1e-3)
    # 93 s after I57's closest approach, 2,519 km above Io, at a phase angle of 96 degrees.
    assert utc_to_et(spec.time) - utc_to_et(load_preset("i57").time) == pytest.approx(92.961, abs=1e-3)
    assert info["juno"]["altitude_io_km"] == pytest.approx(2518.6, abs=1.0)
    assert info["juno"]["phase_angle_deg"] == pytest.approx(96.2, abs=0.1)


def test_the_still_looks_along_junocams_boresight_at_that_instant(still) -> None:
    """The preset's time is when the spin sweeps the boresight across Io's centre: the junocam:io
    camera's axis is the real boresight to within the mounting's 0.73 degrees, and Io's centre has the
    boresight's spin longitude."""
    _, snap, camera = still
    cam = jc.camera_to_j2000(snap.rotations["juno"])
    angle = math.degrees(math.acos(float(np.clip(camera.forward @ cam[:, 2], -1.0, 1.0))))
    assert angle < 0.75
    to_io = snap.positions["io"] - snap.positions["juno"]
    lon, lat = jc.spin_coordinates((to_io / np.linalg.norm(to_io)) @ cam)
    assert abs(math.degrees(float(lon))) < 0.01
    # Io's disc (50 degrees across) lies inside the 58 degree field, across the spin axis and along it.
    radius = math.degrees(math.asin(max(1829.4, 1819.4, 1815.7) / np.linalg.norm(to_io)))
    assert abs(math.degrees(float(lat))) + radius < 29.0
