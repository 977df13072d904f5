"""Simulation core speed: snapshots, vectorised moon positions, event searches."""

from __future__ import annotations

import numpy as np
from _timing import best_of

from viewer.sim.ephemeris import AnalyticEphemeris
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import World


def run() -> dict[str, object]:
    world = World()
    eph = AnalyticEphemeris()
    ca = utc_to_et("2023-12-30T08:36:00.836")
    world.at(ca)  # warm caches (DE421 file, timescale)
    snaps = 200
    t_at = best_of(lambda: [world.at(ca + i) for i in range(snaps)], 3) / snaps
    et = ca + np.arange(4800) * 0.5
    t_states = best_of(lambda: [eph.state(b, et) for b in ("sun", "io", "europa")])
    t_events = best_of(lambda: world.find_events("eclipse", ca, ca + 30 * 86400.0), 1)
    return {
        "world_at_ms": round(t_at * 1e3, 3),
        "states_4800_rows_sun_io_europa_ms": round(t_states * 1e3, 2),
        "eclipse_search_30_days_s": round(t_events, 3),
    }
