"""Presets and camera specs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    "look:io:io", "look:juno:juno", "junocam:juno", "sky:10", "sky:1:100", "orbit:io:a:b:c",
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


# --- the grown grammar: look from any body, surface, named features, roll (issue 14) -------------------

PELE = (-18.7, 255.3)  # viewer/procedural/io_map.py PELE_LAT, PELE_WLON
LOKI = (13.0, 309.0)


@pytest.mark.parametrize("text, mode, target, origin, args, feature, roll", [
    ("look:io:jupiter", "look", "jupiter", "io", (), None, 0.0),
    ("look:Europa:SUN", "look", "sun", "europa", (), None, 0.0),
    ("look:jupiter:juno", "look", "juno", "jupiter", (), None, 0.0),
    ("surface:io:0:0:0:45", "surface", "io", "io", (0.0, 0.0, 0.0, 45.0), None, 0.0),
    ("surface:io:0:0", "surface", "io", "io", (0.0, 0.0, 0.0, 0.0), None, 0.0),
    ("surface:ganymede:-10:-20:-90:-30", "surface", "ganymede", "ganymede", (-10.0, 340.0, 270.0, -30.0),
     None, 0.0),
    ("surface:jupiter:grs:90:10", "surface", "jupiter", "jupiter", (None, 99.0, 90.0, 10.0),
     "Great Red Spot", 0.0),
    ("surface:io:loki", "surface", "io", "io", (*LOKI, 0.0, 0.0), "Loki Patera", 0.0),
    ("above:io:pele:500", "above", "io", "io", (*PELE, 500.0), "Pele", 0.0),
    ("orbit:io:tvashtar:5000", "orbit", "io", "io", (62.8, 123.5, 5000.0), "Tvashtar Paterae", 0.0),
    ("orbit:callisto:Valhalla:1e4", "orbit", "callisto", "callisto", (14.7, 56.0, 1e4), "Valhalla", 0.0),
    ("look:juno:io:roll=30", "look", "io", "juno", (), None, 30.0),
    ("junocam:roll=-45", "junocam", "io", "juno", (), None, -45.0),
    ("sky:10:20:roll=190", "sky", "sky", "jupiter", (10.0, 20.0), None, -170.0),
    ("above:io:pele:500:roll=-360", "above", "io", "io", (*PELE, 500.0), "Pele", 0.0),
    ("surface:io:0:0:0:45: ROLL = 12.5", "surface", "io", "io", (0.0, 0.0, 0.0, 45.0), None, 12.5),
])
def test_grown_camera_specs_parse_and_round_trip(text, mode, target, origin, args, feature, roll):
    spec = CameraSpec.parse(text)
    assert (spec.mode, spec.target, spec.origin, spec.feature, spec.roll_deg) == (
        mode, target, origin, feature, roll)
    assert len(spec.args) == len(args)
    assert all(a is None or b == pytest.approx(a, abs=1e-12) for a, b in zip(args, spec.args, strict=True))
    again = CameraSpec.parse(str(spec))
    assert again == spec and str(again) == str(spec)


def test_juno_specs_print_as_before():
    # The preset's spec and its text are untouched by the new fields (roll 0 is not written).
    assert str(CameraSpec.parse("look:juno:io")) == "look:juno:io"
    assert CameraSpec.parse("look:juno:io") == CameraSpec("look", "io", "juno")
    assert str(CameraSpec.parse("surface:io:1:2:0:0")) == "surface:io:1:2"
    assert str(CameraSpec.parse("surface:io:loki:0:0")) == "surface:io:loki_patera"


@pytest.mark.parametrize("spelling", ["loki", "LOKI", "Loki Patera", "loki_patera", "loki-patera",
                                      " loki  patera ", "Loki__Patera"])
def test_feature_names_are_case_and_separator_blind(spelling):
    spec = CameraSpec.parse(f"surface:io:{spelling}")
    assert spec.feature == "Loki Patera" and spec.args[:2] == LOKI


def test_accented_and_apostrophe_names():
    assert CameraSpec.parse("above:io:boosaule_montes_south:100").args[:2] == (-9.9, 271.2)
    assert CameraSpec.parse("above:io:Boösaule Montes (South):100").feature == "Boösaule Montes (South)"
    assert CameraSpec.parse("surface:io:hi'iaka").feature == "Hi'iaka Patera"
    assert CameraSpec.parse("surface:io:hiiaka").feature == "Hi'iaka Patera"


def test_feature_positions_are_the_maps_tables():
    """One lookup over the maps' own tables; a name in two tables (map and hot spots) is one place."""
    from viewer.procedural import io_hotspots, io_map, jupiter_map, moons_map
    from viewer.procedural.nomenclature import feature_key, find_feature, surface_features

    for f in io_map.IO_FEATURES:
        got = find_feature("io", f.name)
        assert (got.lat_deg, got.wlon_deg) == pytest.approx((f.lat, f.wlon), abs=0.05), f.name
    for h in io_hotspots.IO_HOTSPOTS:
        got = find_feature("io", h.name)
        assert (got.lat_deg, got.wlon_deg) == pytest.approx((h.lat, h.wlon), abs=0.05), h.name
    for body, table in (("io", io_map.IO_MOUNTAINS), ("ganymede", moons_map.GANYMEDE_REGIONES),
                        ("europa", [c for c in moons_map.EUROPA_CHAOS if c[0]]),
                        ("ganymede", moons_map.GANYMEDE_RAYED_CRATERS),
                        ("callisto", moons_map.CALLISTO_BASINS)):
        for name, lat, wlon, *_ in table:
            got = find_feature(body, name)
            assert (got.lat_deg, got.wlon_deg) == (lat, wlon), name
    grs = find_feature("jupiter", "Great Red Spot")
    assert (grs.lat_deg, grs.wlon_deg) == (jupiter_map.GRS_LAT_PC, jupiter_map.GRS_WLON)
    assert find_feature("jupiter", "grs") == grs
    assert find_feature("europa", "conamara").lat_deg == 9.7
    assert find_feature("callisto", "asgard").wlon_deg == 140.0
    keys = [(f.body, f.key) for f in surface_features()]
    assert len(keys) == len(set(keys))
    for f in surface_features():
        # a key can never be read as a number, a NAME=VALUE field or two fields
        assert f.key and ":" not in f.key and "=" not in f.key
        assert not f.key.replace("_", "").isdigit()
        assert feature_key(f.key) == f.key


@pytest.mark.parametrize("text, fragment", [
    ("surface:pluto:0:0", "unknown body 'pluto'"),
    ("look:mars:io", "unknown body 'mars'"),
    ("look:io:IO", "FROM and TARGET are both io"),
    ("surface:io:0:0:0:91", "pitch 91 is outside −90…90"),
    ("surface:io:0:0:0:-90.5", "pitch -90.5 is outside"),
    ("surface:io:95:0", "latitude 95 is outside"),
    ("surface:io:0:0:45", "HEADING and PITCH come together"),
    ("surface:io:loki:45", "HEADING and PITCH come together"),
    ("surface:sun:0:0", "the Sun has no surface"),
    ("surface:juno:0:0", "Juno is the spacecraft"),
    ("above:europa:pele:500", "Pele is on Io, not Europa; use io as the body"),
    ("surface:jupiter:loki", "Loki Patera is on Io, not Jupiter"),
    ("surface:io:pelle", "no feature 'pelle' on Io; did you mean pele"),
    ("orbit:io:tvastar:5000", "did you mean tvashtar"),
    ("surface:callisto:xyzzy", "no feature 'xyzzy' on Callisto"),
    ("orbit:io:pele:-5", "must be positive"),
    ("surface:io:0:0:0:45:roll=x", "are not all numbers"),
    ("surface:io:0:0:0:45:roll=inf", "finite"),
    ("look:io:jupiter:zoom=2", "the only NAME=VALUE field is roll=DEG"),
    ("look:io:roll=5:jupiter", "the only NAME=VALUE field is roll=DEG"),
    ("sky:1:2:roll=1:roll=2", "the only NAME=VALUE field is roll=DEG"),
    ("roll=5", "the only NAME=VALUE field is roll=DEG"),
    ("surface:io", "malformed camera spec"),
    ("surface:io:1:2:3:4:5", "malformed camera spec"),
])
def test_grown_camera_spec_errors_are_one_line(text, fragment):
    with pytest.raises(UserError) as info:
        CameraSpec.parse(text)
    message = str(info.value)
    assert fragment in message and "\n" not in message, message


@pytest.mark.parametrize("camera, fragment", [
    ("look:io:io", "FROM and TARGET are both io"),
    ("surface:io:0:0:0:100", "pitch 100 is outside"),
    ("above:ganymede:loki:100", "Loki Patera is on Io, not Ganymede"),
    ("surface:io:pelee", "did you mean pele"),
    ("look:io:jupiter:roll=abc", "not all numbers"),
])
def test_bad_camera_spec_on_the_command_line_is_one_line_exit_2(camera, fragment, tmp_path, capsys):
    from viewer.cli import main

    code = main(["still", "--camera", camera, "--out", str(tmp_path / "x.png")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and fragment in err, err
    assert not (tmp_path / "x.png").exists()


_NUM = st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: float(f"{v:.6g}"))
_LAT = st.floats(-90, 90).map(lambda v: float(f"{v:.5g}"))
_BODY = st.sampled_from(["jupiter", "io", "europa", "ganymede", "callisto"])
_ANY = st.sampled_from(["sun", "jupiter", "io", "europa", "ganymede", "callisto", "juno"])
_ROLL = st.one_of(st.just(""), _NUM.map(lambda r: f":roll={r!r}"))


@st.composite
def _specs(draw):
    kind = draw(st.sampled_from(["above", "orbit", "surface", "look", "sky", "junocam"]))
    if kind in ("above", "orbit", "surface"):
        body = draw(_BODY)
        from viewer.procedural.nomenclature import feature_names

        names = feature_names(body)
        where = (draw(st.sampled_from(names)) if names and draw(st.booleans())
                 else f"{draw(_LAT)!r}:{draw(_NUM)!r}")
        if kind == "surface":
            tail = draw(st.one_of(st.just(""), st.tuples(_NUM, _LAT).map(lambda hp: f":{hp[0]!r}:{hp[1]!r}")))
        else:
            tail = f":{draw(st.floats(1e-3, 1e9).map(lambda v: float(f'{v:.6g}')))!r}"
        text = f"{kind}:{body}:{where}{tail}"
    elif kind == "look":
        a, b = draw(st.lists(_ANY, min_size=2, max_size=2, unique=True))
        text = f"look:{a}:{b}"
    elif kind == "sky":
        text = f"sky:{draw(_NUM)!r}:{draw(_LAT)!r}"
    else:
        text = "junocam:" + draw(st.sampled_from(["io", "jupiter", "europa", "sun"]))
    return text + draw(_ROLL)


@settings(max_examples=300, deadline=None)
@given(_specs())
def test_every_spec_round_trips_through_its_text(text):
    spec = CameraSpec.parse(text)
    assert CameraSpec.parse(str(spec)) == spec
