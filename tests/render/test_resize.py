"""A renderer that changes size (the interactive window follows its canvas) makes the frames a new
renderer of that size makes, byte for byte."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytestmark = pytest.mark.gl


def test_resized_maker_equals_a_fresh_one(gl_context: Any, world: Any) -> None:
    from viewer.frames import FrameMaker
    from viewer.render.camera import camera_from_spec
    from viewer.render.renderer import RenderSettings
    from viewer.sim.timescales import utc_to_et

    et = utc_to_et("2023-12-30T08:36:00.836")
    snap = world.at(et)
    cam = camera_from_spec("orbit:io:10:200:6000", snap, 40.0)
    with FrameMaker(world, RenderSettings(size=(64, 48)), context=gl_context) as maker:
        small = maker.frame(et, cam, snapshot=snap).image
        maker.resize((96, 54))
        assert maker.settings.size == (96, 54)
        resized = maker.frame(et, cam, snapshot=snap).image
        ldr = maker.renderer.ldr
        maker.resize((64, 48))  # back and forth: the kept targets are used again
        again = maker.frame(et, cam, snapshot=snap).image
        maker.resize((96, 54))
        assert maker.renderer.ldr is ldr
        resized_again = maker.frame(et, cam, snapshot=snap).image
    with FrameMaker(world, RenderSettings(size=(96, 54)), context=gl_context) as fresh:
        expected = fresh.frame(et, cam, snapshot=snap).image
    assert small.shape == (48, 64, 3) and resized.shape == (54, 96, 3)
    assert np.array_equal(resized, expected) and expected.max() > 0
    assert np.array_equal(again, small) and np.array_equal(resized_again, expected)
