"""Every shipped preset is a scene: it loads, its still resolves, its shots make frames inside the
trajectory's coverage, and the perijove preset is where the perijove time puts Juno."""

from __future__ import annotations

import pytest

from viewer import config, scene
from viewer.sim.timescales import utc_to_et

NAMES = sorted(p.stem for p in config.preset_paths())


@pytest.mark.parametrize("name", NAMES)
def test_every_preset_loads_as_a_scene_and_a_still(name: str, world) -> None:
    from viewer.still import resolve_still

    loaded = scene.load(name, world)
    setup = resolve_still(name)
    assert setup.spec.name == name
    snap = world.at(setup.et)
    assert "juno" in snap.positions  # every preset is inside Juno's trajectory
    if loaded.shots and any(s.end > s.start for s in loaded.shots):
        assert loaded.frame_count > 0
        for i in (0, loaded.frame_count - 1):
            assert "juno" in world.at(loaded.frame(i).et).positions


def test_the_new_presets_are_shipped() -> None:
    assert {"i58-flyby", "pj57-perijove"} <= set(NAMES)


def test_pj57_perijove_is_juno_over_the_north_before_perijove(world) -> None:
    from viewer.still import resolve_still

    setup = resolve_still("pj57-perijove")
    perijove = utc_to_et("2023-12-30T12:36:20.761")  # docs/sources.md §1d
    assert setup.et == pytest.approx(perijove - 1800.0, abs=1e-3)
    snap = world.at(setup.et)
    sub = snap.subpoint("jupiter", snap.positions["juno"])
    assert sub.lat_deg > 45.0  # descending over the northern hemisphere toward a northern perijove
