"""Presets and camera specs."""

from __future__ import annotations

import pytest

from viewer.config import CameraSpec, list_presets, load_preset, load_scene
from viewer.errors import UserError


def test_i57_preset_is_first_and_at_closest_approach():
    presets = list_presets()
    assert presets[0].name == "i57"
    spec = load_preset("i57")
    assert spec.time == "2023-12-30T08:36:00.836"
    assert str(spec.camera) == "look:juno:io"
    assert spec.fov_deg == 80.0
    assert spec.window is not None and spec.window.step_s == 0.5


@pytest.mark.parametrize("text, mode, target, args", [
    ("above:io:34.2:326.68:10220.6", "above", "io", (34.2, 326.68, 10220.6)),
    ("orbit:jupiter:0:0:1500000", "orbit", "jupiter", (0.0, 0.0, 1.5e6)),
    ("look:juno:io", "look", "io", ()),
    ("junocam", "junocam", "io", ()),
    ("junocam:jupiter", "junocam", "jupiter", ()),
    ("sky:165.5:56.4", "sky", "sky", (165.5, 56.4)),
    ("orbit:io:10:-90:5000", "orbit", "io", (10.0, 270.0, 5000.0)),
])
def test_camera_specs(text, mode, target, args):
    spec = CameraSpec.parse(text)
    assert (spec.mode, spec.target, spec.args) == (mode, target, args)
    assert CameraSpec.parse(str(spec)) == spec


@pytest.mark.parametrize("text", [
    "", "above:io", "above:pluto:0:0:100", "above:io:95:0:100", "above:io:0:0:-5",
    "look:io:jupiter", "look:juno:juno", "junocam:juno", "sky:10", "sky:1:100", "orbit:io:a:b:c",
    "above:io:nan:0:100",
])
def test_bad_camera_specs(text):
    with pytest.raises(UserError):
        CameraSpec.parse(text)


def test_unknown_preset_names_the_known_ones():
    with pytest.raises(UserError, match="i57"):
        load_preset("i99")


@pytest.mark.parametrize("body, fragment", [
    ('name = "x"\ncamera = "look:juno:io"\n', "'time' is missing"),
    ('name = "x"\ntime = "2023-02-30"\ncamera = "look:juno:io"\n', "time"),
    ('name = "x"\ntime = "2023-12-30"\ncamera = "look:mars"\n', "camera"),
    ('name = "x"\ntime = "2023-12-30"\ncamera = "junocam"\nfov_deg = 0\n', "fov_deg"),
    ('name = "x"\ntime = "2023-12-30"\ncamera = "junocam"\nlight = ["sun", "moon"]\n', "light"),
    ('name = "x"\ntime = "2023-12-30"\ncamera = "junocam"\nsize = [0, 10]\n', "size"),
    ('name = "x"\ntime = "2023-12-30"\ncamera = "junocam"\ncolour = 1\n', "unknown key"),
    ('name = "x\ntime = ', "not valid TOML"),
])
def test_malformed_preset_files(tmp_path, body, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(UserError, match=fragment) as info:
        load_scene(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("body, key, line", [
    # ``keys`` (reserved for later animation) used to be accepted and ignored
    ('name = "x"\ntime = "2023-12-30"\ncamera = "junocam"\nkeys = [1, 2]\n', "keys", 4),
    ('# a comment\nname = "x"\n\n  "fov" = 30\ntime = "2023-12-30"\ncamera = "junocam"\n', "fov", 4),
    ('name = "x"\ntime = "2023-12-30"\ncamera = "junocam"\n\n[[keys]]\nt = 1\n', "keys", 5),
    ('name = "x"\ntime = "2023-12-30"\ncamera = "junocam"\n[window]\nstart = "2023-12-30"\n'
     'end = "2023-12-31"\nstep = "1h"\nstop = "2024-01-01"\n', "stop", 8),
])
def test_unknown_preset_key_is_refused_with_its_line(tmp_path, body, key, line):
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(UserError, match=f"bad.toml, line {line}: unknown key '{key}'") as info:
        load_scene(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("value", ["5000", "-65", "inf", "true", '"bright"'])
def test_preset_exposure_outside_the_ev_range_is_refused(tmp_path, value):
    path = tmp_path / "bad.toml"
    path.write_text(f'name = "x"\ntime = "2023-12-30"\ncamera = "junocam"\nexposure = {value}\n')
    with pytest.raises(UserError, match=r"bad\.toml: 'exposure'") as info:
        load_scene(path)
    assert "\n" not in str(info.value)


def test_preset_exposure_at_the_limit_is_accepted(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text('name = "x"\ntime = "2023-12-30"\ncamera = "junocam"\nexposure = -64\n')
    assert load_scene(path).exposure == -64


@pytest.mark.parametrize("text, fragment", [
    ("above:sun:0:0:100", "the Sun has no surface to stand above; above: takes one of jupiter"),
    ("orbit:sun:0:0:1e6", "the Sun cannot be an orbit target"),
])
def test_the_sun_as_a_camera_body_says_why_per_mode(text, fragment):
    with pytest.raises(UserError, match=fragment) as info:
        CameraSpec.parse(text)
    assert "\n" not in str(info.value)
