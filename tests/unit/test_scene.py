"""Scene files: shots, frame times, keyframes by time and frame, slow-down, eased exposure, and one-line
errors that name the file, the key and the line."""

from __future__ import annotations

import pytest

from viewer.errors import UserError
from viewer.scene import frames_in, scene_from_text
from viewer.sim.timescales import utc_to_et
from viewer.sim.world import World

CA = "2023-12-30T08:36:00.836"
BASE = f'''name = "t"
time = "{CA}"
camera = "look:juno:io"
'''


@pytest.fixture(scope="module")
def world() -> World:
    return World()


def scene(text: str, world: World):
    return scene_from_text(BASE + text, "scene file t.toml", world)


def test_plain_preset_is_one_frame_at_its_time(world: World) -> None:
    s = scene("", world)
    assert s.frame_count == 1 and s.frame(0).et == utc_to_et(CA)


def test_shot_frames_and_times(world: World) -> None:
    s = scene('''fps = 30
[[shots]]
start = "2023-12-30T08:26:00.836"
end = "2023-12-30T08:46:00.836"
rate = 60
''', world)
    assert s.frame_count == 600  # 1,200 s at 60x is 20 s of video at 30 fps
    t0 = utc_to_et("2023-12-30T08:26:00.836")
    assert s.frame(0).et == t0
    assert s.frame(450).et == pytest.approx(t0 + 900.0, abs=1e-6)
    assert s.frame(599).et < utc_to_et("2023-12-30T08:46:00.836")
    assert [s.frame(i).et for i in (7, 3)] == [s.frame(i).et for i in (7, 3)]  # pure, any order


def test_two_shots_and_seconds(world: World) -> None:
    s = scene('''fps = 24
[[shots]]
start = "2023-12-30T08:30:00"
end = "2023-12-30T08:31:00"
seconds = 2
[[shots]]
start = "2023-12-30T12:30:00"
end = "2023-12-30T12:40:00"
rate = 100
''', world)
    assert [sh.frames for sh in s.shots] == [48, 144]
    f = s.frame(48)
    assert f.shot == 1 and f.local == 0 and f.et == utc_to_et("2023-12-30T12:30:00")


def test_keys_by_time_and_frame_and_eased_exposure(world: World) -> None:
    s = scene('''fps = 10
[[shots]]
start = "2023-12-30T08:35:00.836"
end = "2023-12-30T08:37:00.836"
rate = 12
follow = "juno"
aim = "io"
[[shots.keys]]
frame = 0
camera = "orbit:juno:0:0:0.05"
exposure = 0
[[shots.keys]]
time = "2023-12-30T08:37:00.836"
camera = "orbit:juno:30:90:0.1"
exposure = 4
''', world)
    shot = s.shots[0]
    assert shot.frames == 100 and len(shot.keys) == 2
    assert s.frame(0).ev == 0.0
    assert s.frame(50).ev == pytest.approx(2.0, abs=0.13)  # smoothstep at u = 0.5
    assert s.frame(10).ev < 4 * 0.1  # eased: slow at the start
    path = s.camera_path(0, world.at)
    assert path is not None
    cam = path.at(s.frame(0).et)
    snap = world.at(s.frame(0).et)
    import numpy as np

    assert np.linalg.norm(cam.position_km - snap.positions["juno"]) == pytest.approx(0.05, abs=1e-9)


def test_slowdown_near_closest_approach_adds_frames_there(world: World) -> None:
    text = '''fps = 30
[[shots]]
start = "2023-12-30T08:26:00.836"
end = "2023-12-30T08:46:00.836"
rate = 60
'''
    plain = scene(text, world)
    slow = scene(text + 'slowdown = { at = ["closest_approach"], near_rate = 2, horizon = "1min" }\n', world)
    assert slow.frame_count > plain.frame_count
    ca = utc_to_et(CA)
    near = min(range(slow.frame_count), key=lambda i: abs(slow.frame(i).et - ca))
    step = slow.frame(near + 1).et - slow.frame(near).et
    assert step == pytest.approx(2.0 / 30.0, rel=0.05)


@pytest.mark.parametrize(("text", "fragment"), [
    ('fps = 30\nbogus = 1\n', "'bogus'"),
    ('[[shots]]\nstart = "2023-12-30T08:26"\nend = "2023-12-30T08:26"\n', "zero or negative length"),
    ('[[shots]]\nstart = "2023-12-30T08:26"\nend = "2023-12-30T08:27"\nrate = 2\nseconds = 3\n',
     "either rate or seconds"),
    ('[[shots]]\nstart = "2023-12-30T08:26"\nend = "2023-12-30T08:27"\nwobble = 1\n', "line 7"),
    ('[[shots]]\nstart = "2023-12-30T08:26"\nend = "2023-12-30T08:27"\n[[shots.keys]]\nframe = 5000\n'
     'camera = "look:juno:io"\n', "whole frame number"),
    ('[[shots]]\nstart = "2023-12-30T08:26"\nend = "2023-12-30T08:27"\n[[shots.keys]]\n'
     'time = "2023-12-30T08:26:30"\ncamera = "look:juno:io"\n[[shots.keys]]\ntime = "2023-12-30T08:26:10"\n'
     'camera = "look:juno:io"\n', "out of order"),
    ('[[shots]]\nstart = "2023-12-30T08:26"\nend = "2023-12-30T08:27"\n[[shots.keys]]\n'
     'time = "2023-12-30T08:26:30"\ncamera = "look:juno:io"\nexposure = 2\n[[shots.keys]]\n'
     'time = "2023-12-30T08:26:40"\ncamera = "look:juno:io"\n', "every key or on none"),
    ('[[shots]]\nstart = "2023-12-30T08:26"\nend = "2023-12-30T08:27"\nrate = 0\n', "outside"),
    ('[[shots]]\nstart = "tomorrow"\nend = "2023-12-30T08:27"\n', "'start'"),
    ('fps = 1000\n', "frames per second"),
])
def test_bad_scenes_are_one_line(world: World, text: str, fragment: str) -> None:
    with pytest.raises(UserError) as err:
        scene(text, world)
    msg = str(err.value)
    assert fragment in msg and "\n" not in msg and msg.startswith("scene file t.toml")


def test_frames_option(world: World) -> None:
    s = scene('fps = 10\n[[shots]]\nstart = "2023-12-30T08:26"\nend = "2023-12-30T08:27"\nrate = 6\n',
              world)
    assert list(frames_in(s, "3:6")) == [3, 4, 5]
    assert list(frames_in(s, "95:")) == [95, 96, 97, 98, 99]
    assert len(frames_in(s, None)) == 100
    for bad in ("5", "a:b", "200:300"):
        with pytest.raises(UserError):
            frames_in(s, bad)


def test_cameras_are_checked_when_the_file_is_read(world: World) -> None:
    outside = '[[shots]]\nstart = "2024-03-01T00:00"\nend = "2024-03-01T00:01"\n'
    with pytest.raises(UserError, match=r"shot 1: .*Juno"):
        scene(outside, world)  # look:juno:io where Juno's trajectory is unknown
    inside = ('[[shots]]\nstart = "2023-12-30T08:30"\nend = "2023-12-30T08:31"\n[[shots.keys]]\nframe = 0\n'
              'camera = "orbit:io:0:0:100"\n')
    with pytest.raises(UserError, match="inside Io"):
        scene(inside, world)
