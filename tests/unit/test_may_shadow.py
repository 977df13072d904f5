"""The CPU cull of eclipse tests (viewer.render.passes.bodies.may_shadow) never drops a real shadow."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.render.passes.bodies import may_shadow
from viewer.sim import photometry
from viewer.sim.constants import BODIES
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import World

I57 = "2023-12-30T08:36:00.836"


def _min_fraction_on_io(snap) -> float:
    """The least visible fraction of the Sun past Jupiter over 2,000 points of Io's surface."""
    rng = np.random.default_rng(0)
    v = rng.normal(size=(2000, 3))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    pts = snap.positions["io"] + BODIES["io"].mean_radius_km * v
    jrot, jc = snap.rotations["jupiter"], snap.positions["jupiter"]
    frac = photometry.sun_visible_fraction((pts - jc) @ jrot, (snap.positions["sun"] - jc) @ jrot,
                                           BODIES["jupiter"].radii_km)
    return float(np.min(frac))


def test_may_shadow_is_conservative_through_an_eclipse() -> None:
    world = World()
    et = utc_to_et(I57)
    events = {e.kind: e.et for e in world.find_events("eclipse", et, et + 2 * 86400, "io")}
    start = events["eclipse_penumbra_entry"]
    seen_true = seen_false = 0
    for t in np.linspace(start - 1800.0, start + 1800.0, 61):
        snap = world.at(float(t))
        shadowed = _min_fraction_on_io(snap) < 1.0
        cull = may_shadow(snap, "jupiter", "io")
        assert cull or not shadowed, t          # a real shadow is never culled
        seen_true += cull
        seen_false += not cull
    assert seen_true > 10 and seen_false > 10   # and the cull does cull, well before first contact
    snap = world.at(et)
    assert not may_shadow(snap, "jupiter", "io")   # I57: Io in full sunlight
    assert not may_shadow(snap, "io", "callisto")


def test_jupitershine_colour_is_the_lit_visible_part_of_the_map() -> None:
    """jupitershine.lit_colour: a Jupiter map red on one hemisphere (west longitudes 0–180°) and blue on the
    other gives a red light to a receiver over the red hemisphere's middle with the Sun behind it, a
    blue one over the blue side, and a uniform map gives its own colour (luminance 1)."""
    from viewer.render.exposure import LUMA
    from viewer.render.jupitershine import lit_colour
    from viewer.sim.frames import vector_from_lat_wlon
    from viewer.sim.photometry import minnaert_law

    h, w = 90, 180
    rgb = np.zeros((h, w, 3), np.float32)
    wlon = (360.0 - (np.arange(w) + 0.5) * 360.0 / w) % 360.0      # west longitude of each column
    rgb[:, wlon < 180.0] = (0.8, 0.1, 0.1)
    rgb[:, wlon >= 180.0] = (0.1, 0.1, 0.8)
    radii = BODIES["jupiter"].radii_km
    for lon, channel in ((90.0, 0), (270.0, 2)):
        out = vector_from_lat_wlon(0.0, np.radians(lon))
        colour = lit_colour(rgb, 421_700.0 * out, np.zeros(3), np.eye(3), out, radii, minnaert_law())
        assert colour is not None and int(np.argmax(colour)) == channel
        assert float(colour @ np.asarray(LUMA)) == pytest.approx(1.0, rel=1e-5)
    flat = np.full((h, w, 3), (0.6, 0.5, 0.3), np.float32)
    colour = lit_colour(flat, (421_700.0, 0.0, 0.0), np.zeros(3), np.eye(3), (1.0, 0.0, 0.0), radii,
                        minnaert_law())
    expect = np.array([0.6, 0.5, 0.3]) / (np.array([0.6, 0.5, 0.3]) @ np.asarray(LUMA))
    np.testing.assert_allclose(colour, expect, rtol=1e-5)
    # Seen from the night side, nothing is lit.
    assert lit_colour(flat, (421_700.0, 0.0, 0.0), np.zeros(3), np.eye(3), (-1.0, 0.0, 0.0), radii,
                      minnaert_law()) is None
