"""Hypothesis drives the scene parser with generated scene files (hundreds of cases): every one either
parses or raises one UserError line — never another exception, never a warning."""

from __future__ import annotations

import json
import math
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.errors import UserError
from viewer.scene import KEY_KEYS, SHOT_KEYS, SLOWDOWN_KEYS, scene_from_text

TIMES = ["2023-12-30T08:36:00.836", "2023-12-30T08:30", "2023-12-30T08:40:00", "1850-01-01",
         "2099-01-01", "2024-03-01T00:00", "yesterday", "", "2023-13-45"]
CAMERAS = ["look:juno:io", "orbit:io:0:0:9000", "orbit:juno:0:0:0.05", "orbit:io:0:0:100",
           "above:sun:0:0:5", "junocam", "sky:0:0", "look:io:io", "bogus", ""]
SCALARS = st.one_of(
    st.sampled_from(TIMES), st.sampled_from(CAMERAS),
    st.integers(-5, 5000), st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.booleans(), st.sampled_from(["auto", "filmic", "junocam", "juno", "io", "closest_approach",
                                    "2min", "-1s", "physical", "x"]),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3))


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def _table(keys: list[str]) -> st.SearchStrategy[dict[str, object]]:
    return st.dictionaries(st.sampled_from(keys), VALUES, max_size=len(keys))


BASE = _table(["name", "description", "time", "camera", "fov_deg", "size", "exposure", "tonemap",
               "light", "trails", "trail_span", "labels", "fps", "output", "bogus"])
SHOT_TIMES = ["2023-12-30T08:35:00", "2023-12-30T08:35:30", "2023-12-30T08:36:00.836",
              "2023-12-30T08:37:00", *TIMES]
SHOT = st.fixed_dictionaries(
    {"start": st.sampled_from(SHOT_TIMES[:2]),
     "end": st.one_of(st.sampled_from(SHOT_TIMES[2:4]), st.sampled_from(SHOT_TIMES))},
    optional={k: st.one_of(st.sampled_from([1, 5, 60, "juno", "io"]), VALUES)
              for k in SHOT_KEYS if k not in ("start", "end", "keys", "slowdown")}
    | {"slowdown": st.one_of(
        st.fixed_dictionaries({}, optional={"at": st.sampled_from(["closest_approach", ["perijove"],
                                                                  "2023-12-30T08:36", "eclipse", 3]),
                                            "near_rate": VALUES, "horizon": VALUES}),
        VALUES, _table([*SLOWDOWN_KEYS, "zzz"]))})
KEY = st.one_of(_table([*KEY_KEYS, "roll"]),
                st.fixed_dictionaries({"time": st.sampled_from(SHOT_TIMES[:4]),
                                       "camera": st.sampled_from(CAMERAS)},
                                      optional={"fov_deg": VALUES, "exposure": VALUES}))


@st.composite
def scene_texts(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 3)) > 0:  # mostly a valid preset part, so the shots get parsed too
        base: dict[str, object] = {"name": "f", "time": TIMES[0], "camera": CAMERAS[0]}
        if draw(st.integers(0, 4)) == 0:  # now and then one doubtful extra key
            base.update(draw(_table(["fps", "exposure", "bogus"]).filter(lambda d: len(d) <= 1)))
    else:
        base = draw(BASE)
    lines = [f"{k} = {_toml_value(v)}" for k, v in base.items()]
    for shot in draw(st.lists(SHOT, max_size=2)):
        lines.append("[[shots]]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in shot.items()]
        for key in draw(st.lists(KEY, max_size=3)):
            lines.append("[[shots.keys]]")
            lines += [f"{k} = {_toml_value(v)}" for k, v in key.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def world():
    from viewer.sim.world import World

    return World()


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=scene_texts())
def test_scene_parser_never_tracebacks(world, text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            scene = scene_from_text(text, "scene file f.toml", world)
        except UserError as exc:
            msg = str(exc)
            assert msg and "\n" not in msg and msg.startswith("scene file f.toml"), msg
            return
    assert scene.frame_count >= 1
    scene.frame(scene.frame_count - 1)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_any_text_is_valid_toml_or_one_line(world, text: str) -> None:
    try:
        scene_from_text(text, "scene file f.toml", world)
    except UserError as exc:
        assert "\n" not in str(exc).strip()
