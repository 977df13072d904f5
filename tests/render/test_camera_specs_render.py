"""The grown camera specs rendered (issue 14): standing on Io, Jupiter is drawn where the camera's
geometry puts it; looking at Jupiter from Io, Jupiter is centred and no part of Io is in the frame; the
horizon seen from 2 m up is level across the middle of the image."""

from __future__ import annotations

import math

import numpy as np
import pytest
from raycast import render_only, surface_points

from viewer.render.camera import camera_from_spec
from viewer.sim.constants import BODIES
from viewer.sim.timescales import utc_to_et

pytestmark = pytest.mark.gl

W, H = 320, 240
I57 = "2023-12-30T08:36:00.836"
LIGHT = ("sun", "eclipses")


@pytest.fixture(scope="module")
def snap(world):
    return world.at(utc_to_et(I57))


def _coverage(ctx, snap, cam, keep: str) -> np.ndarray:
    return render_only(ctx, snap, cam, (W, H), keep, LIGHT, None)[:, :, 3]


def _disc_centre(mask: np.ndarray) -> tuple[float, float]:
    """Centre of a drawn disc, pixels (x right, y down, pixel centres at +0.5): the mean of its pixels."""
    ys, xs = np.nonzero(mask)
    assert xs.size > 100, "the disc is not in the frame"
    return float(xs.mean() + 0.5), float(ys.mean() + 0.5)


@pytest.mark.parametrize("spec", ["surface:io:0:0:0:85", "surface:io:0:0:90:82", "surface:io:0:0:180:84"])
def test_jupiter_over_ios_sub_jupiter_point_is_where_the_geometry_puts_it(gl_context, snap, spec) -> None:
    """Jupiter's disc, 19° across, a few degrees off the view axis (so the off-axis stretch of the disc
    moves its centroid by < 0.5 px): its drawn centre within 2 px of camera.project of Jupiter's
    centre, and its pixels those the independent numpy ray caster finds on Jupiter's ellipsoid."""
    cam = camera_from_spec(spec, snap)
    cov = _coverage(gl_context, snap, cam, "jupiter")
    drawn = cov > 0.5
    (px, py), depth = cam.project(snap.positions["jupiter"], W, H)
    assert depth > 0
    cx, cy = _disc_centre(drawn)
    assert math.hypot(cx - px, cy - py) < 2.0, ((cx, cy), (px, py))
    hits, _ = surface_points(cam, (W, H), snap.positions["jupiter"], snap.rotations["jupiter"],
                             BODIES["jupiter"].radii_km)
    expected = np.isfinite(hits[..., 0])
    assert expected[~drawn].sum() + drawn[~expected].sum() < 0.02 * expected.sum()  # limb pixels only
    # the view is up into the sky: no part of Io in the frame
    assert not (_coverage(gl_context, snap, cam, "io") > 0).any()


def test_look_from_io_centres_jupiter_and_io_stays_out_of_the_frame(gl_context, snap) -> None:
    cam = camera_from_spec("look:io:jupiter", snap)
    jupiter = _coverage(gl_context, snap, cam, "jupiter") > 0.5
    cx, cy = _disc_centre(jupiter)
    assert math.hypot(cx - W / 2, cy - H / 2) < 1.0, (cx, cy)
    assert jupiter[H // 2 - 1:H // 2 + 1, W // 2 - 1:W // 2 + 1].all()
    io = _coverage(gl_context, snap, cam, "io")
    assert not (io > 0).any(), "Io covers part of the view from just above Io"
    # both drawn together: the centre is Jupiter's (Io hides nothing)
    both = render_only(gl_context, snap, cam, (W, H), "jupiter,io", LIGHT, None)
    assert np.array_equal(both[:, :, 3] > 0.5, jupiter)


def test_standing_on_io_the_horizon_is_level_across_the_middle(gl_context, snap) -> None:
    """From 2 m up the horizon dips by sqrt(2h/R) = 0.085°, 0.3 px: looking north along the ground, Io
    fills the rows below the middle and none above, the same at every column."""
    cam = camera_from_spec("surface:io:20:40:0:0", snap)
    cov = _coverage(gl_context, snap, cam, "io") > 0.5
    assert cov[H // 2 + 2:].all(), "ground missing below the horizon"
    assert not cov[:H // 2 - 2].any(), "ground drawn above the horizon"
    tilted = camera_from_spec("surface:io:20:40:0:0:roll=90", snap)
    cov = _coverage(gl_context, snap, tilted, "io") > 0.5
    # rolled 90° (right edge down): the ground is on the right half
    assert cov[:, W // 2 + 2:].all() and not cov[:, :W // 2 - 2].any()
