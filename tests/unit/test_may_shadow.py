"""The CPU cull of eclipse tests (viewer.render.passes.bodies.may_shadow) never drops a real shadow."""

from __future__ import annotations

import numpy as np

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
