"""Generated command lines for ``still``, ``info`` and ``geometry``: never a traceback.

Every run must end with exit status 0, or 2 with exactly one line on stderr (``jupitershine …: error:
…``), and no Python warning. The values are mostly edge cases (NaN, infinities, huge and negative
numbers, malformed specs, unwritable or wrongly named outputs, files that are not what they claim) mixed
with valid ones, so every validation path and the valid path are both reached.

``still`` runs in-process through :func:`viewer.cli.main` with only the GL part stubbed
(:class:`_FakeRenderer` and a fake context): the preset, time, camera, exposure, assets, output checks,
world and camera resolution run for real, and so do the exposure metering and the tone map's numpy
reference on the fake frame (with the 2^EV uniform made a 32-bit float, as the GPU pass does).
``geometry`` runs for real with a table limit of :data:`FUZZ_MAX_ROWS` rows, so that a generated window
cannot cost seconds. Hypothesis is derandomized (the same examples on every
run, for CI) and has no deadline (the first example warms the caches).
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.cli import main

#: Rows a fuzzed geometry table may have (the real limit is 2,000,000; a table costs ~0.2 ms a row).
FUZZ_MAX_ROWS = 400

SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


# --- values ----------------------------------------------------------------------------------------

def _num_text(x: float) -> str:
    return repr(x) if not math.isnan(x) else "nan"


FLOATS = st.one_of(
    st.sampled_from(["0", "-0", "1", "-1", "1e300", "-1e300", "1e-320", "nan", "inf", "-inf", "64",
                     "64.0001", "-64", "200", "1100", "5000", "90", "90.5", "-90.1", "180", "360", "0.5",
                     "1e5", "1500000", "100", "1e", "--1", "", " ", "0x10"]),
    st.floats(allow_nan=True, allow_infinity=True).map(_num_text),
    st.integers(-10**7, 10**7).map(str),
)
JUNK = st.text(alphabet=" -:.,x0123456789eEnaifNAI+/abcz_\t", max_size=14)
BODIES = ["jupiter", "io", "europa", "ganymede", "callisto", "juno", "sun", "pluto", "IO", " io", ""]
TIMES = st.one_of(
    st.sampled_from(["2023-12-30T08:36:00.836", "2023-12-30T08:20", "2024-02-03T17:48:35",
                     "2023-12-30", "2024-001", "2023-366", "2016-12-31T23:59:60.5", "2017-01-01T23:59:60",
                     "1899-12-31", "1900-01-01", "2050-12-31T23:59", "2051-01-01", "2023-02-30",
                     "2023-13-01", "yesterday", "", "nan", "1e300", "2023-12-30T25:00"]),
    JUNK,
)


def _spec(parts: list[str]) -> str:
    return ":".join(parts)


CAMERAS = st.one_of(
    st.sampled_from(["look:juno:io", "junocam", "junocam:jupiter", "junocam:juno", "sky:0:0",
                     "orbit:io:0:30:8000", "orbit:jupiter:0:0:1500000", "above:io:10:200:500",
                     "above:sun:0:0:100", "orbit:sun:0:0:1e6", "orbit:io:0:0:100", "look:io:jupiter",
                     "look:juno:juno", "above:io:0", "", ":::", "orbit:juno:0:0:0.03"]),
    st.builds(lambda mode, body, nums: _spec([mode, body, *nums]),
              st.sampled_from(["above", "orbit", "sky", "look", "junocam", "ORBIT", "fly"]),
              st.sampled_from(BODIES), st.lists(FLOATS, max_size=4)),
)
SIZES = st.one_of(
    st.sampled_from(["960x540", "1x1", "0x10", "16384x8192", "16385x1", "12000x12000", "40000x100",
                     "big", "x", "10x", "-5x5", "64×32", "3.5x2", ""]),
    st.builds(lambda w, h: f"{w}x{h}", st.integers(-3, 20000), st.integers(-3, 20000)),
)
STRETCHES = st.one_of(
    st.sampled_from(["0:1:1e300", "0:1:2.2", "0:2", "1:0:1", "-1:0.1:1", "0:1e300", "1:1.0000000001",
                     "0:1:0", "0:1:nan", "a:b", "0", ""]),
    st.lists(FLOATS, min_size=1, max_size=4).map(":".join),
)
NAMES = st.lists(st.sampled_from(["jupiter", "io", "europa", "juno", "stars", "sun", "jupitershine",
                                  "ioshine", "hotspots", "eclipses", "pluto", "", " IO "]),
                 max_size=4).map(",".join)


def _paths(root: Path) -> dict[str, Any]:
    """Strategies for the file options, over files made in ``root``."""
    r = str(root)
    return {
        "--out": st.sampled_from([f"{r}/x.png", f"{r}/X.PNG", f"{r}/x.jpg", f"{r}/x", f"{r}/afile/x.png",
                                  f"{r}/nodir/x.png", "/proc/x.png", f"{r}", ""]),
        "--linear": st.sampled_from([f"{r}/x.npy", f"{r}/x.txt", f"{r}/afile/x.npy", "/proc/x.npy"]),
        "--jupiter-map": st.sampled_from([f"{r}/map.png", f"{r}/square.png", f"{r}/afile",
                                          f"{r}/missing.png", r]),
        "--io-map": st.sampled_from([f"{r}/map.png", f"{r}/afile", f"{r}/missing.jpg"]),
        "--spacecraft-model": st.sampled_from([f"{r}/box.stl", f"{r}/empty.obj", f"{r}/afile",
                                               f"{r}/missing.glb", f"{r}/x.txt"]),
        "--kernels": st.sampled_from([f"{r}/missing.tm", f"{r}/afile", f"{r}/emptydir",
                                      f"{r}/random.bsp"]),
        "--preset": st.sampled_from(["i57", "i58", "nope", "", f"{r}/good.toml", f"{r}/keys.toml",
                                     f"{r}/ev5000.toml", f"{r}/broken.toml", f"{r}/missing.toml"]),
    }


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files the generated options point at: good and bad maps, models, presets, kernels."""
    import imageio.v3 as iio
    import trimesh

    root = tmp_path_factory.mktemp("fuzz")
    (root / "afile").write_text("a file, not a folder\n")
    (root / "emptydir").mkdir()
    (root / "random.bsp").write_bytes(np.random.default_rng(1).bytes(4096))
    (root / "empty.obj").write_text("# no vertices\n")
    (root / "x.txt").write_text("not a model\n")
    gradient = np.linspace(0, 255, 32 * 16 * 3).reshape(16, 32, 3).astype(np.uint8)
    iio.imwrite(root / "map.png", gradient)
    iio.imwrite(root / "square.png", gradient[:, :16])
    trimesh.creation.box((1.0, 2.0, 0.5)).export(root / "box.stl")
    base = 'name = "fuzz"\ntime = "2023-12-30T08:36:00.836"\ncamera = "orbit:io:0:30:8000"\n'
    (root / "good.toml").write_text(base + "size = [64, 32]\n")
    (root / "keys.toml").write_text(base + "keys = [1]\n")
    (root / "ev5000.toml").write_text(base + "exposure = 5000\n")
    (root / "broken.toml").write_text('name = "x\n')
    return root


# --- the stubbed renderer -------------------------------------------------------------------------

class _Image:
    def read(self) -> np.ndarray:
        return np.zeros((2, 2, 3), np.uint8)


def _dim_frame(coverage: bool = False) -> np.ndarray:
    """The fake radiance: a faint lit surface in every pixel, (2, 2, 4) with coverage or (2, 2, 3)."""
    px = np.full((2, 2, 4), 0.01, np.float32)
    px[..., 3] = 1.0
    return px if coverage else px[..., :3].copy()


class _Tonemap:
    """The tone-map pass without GL: the real metering and the numpy reference of the curves."""

    metering = None

    def draw(self, hdr: Any, ldr: Any, tone: Any, ev: float | None = None) -> float:
        from viewer.render.exposure import resolve_ev, tonemap_reference

        if ev is None:
            ev = resolve_ev(_dim_frame(coverage=True), tone)
        np.float32(2.0 ** ev)  # the u_exposure_scale uniform
        tonemap_reference(_dim_frame(), tone, ev=ev)
        return float(ev)


class _Frame:
    def __init__(self, ev: float = 0.0) -> None:
        self.image, self.ev, self.metering = np.zeros((2, 2, 3), np.uint8), ev, None


class _FakeRenderer:
    """Stands in for :class:`viewer.render.renderer.Renderer`: no GL, a 2×2 dim frame (a faint lit
    surface, so every metering rule has something to measure)."""

    def __init__(self, context: Any, settings: Any, *args: Any, **kwargs: Any) -> None:
        self.settings = settings
        self.hdr, self.ldr, self.tonemap = object(), _Image(), _Tonemap()

    def linear(self, coverage: bool = False) -> np.ndarray:
        return _dim_frame(coverage)

    def render(self, *args: Any, **kwargs: Any) -> _Frame:
        return _Frame(self.tonemap.draw(None, None, self.settings.tone))

    def finish(self, ev: float, *args: Any, **kwargs: Any) -> _Frame:
        return _Frame(self.tonemap.draw(None, None, self.settings.tone, ev=ev))

    def __getattr__(self, name: str) -> Any:
        """draw, draw_trails, finish, …: nothing to draw without GL; a method that returns something
        returns a frame (image, ev, metering)."""
        return lambda *args, **kwargs: _Frame()


class _FakeContext:
    def capabilities(self) -> Any:
        return type("Caps", (), {"renderer": "fake (no GL)"})()

    def close(self) -> None:
        pass


@pytest.fixture()
def no_gl(monkeypatch: pytest.MonkeyPatch) -> None:
    import viewer.render.context
    import viewer.render.renderer

    monkeypatch.setattr(viewer.render.renderer, "Renderer", _FakeRenderer)
    monkeypatch.setattr(viewer.render.context, "headless_context", lambda *a, **k: _FakeContext())


# --- running one command line ---------------------------------------------------------------------

def _run(argv: list[str]) -> tuple[int, str]:
    """(exit status, stderr) of ``jupitershine ARGV`` in-process; an exception other than SystemExit
    propagates (and fails the test with its traceback), a warning fails it too."""
    err = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(err):
        warnings.simplefilter("always")
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's usage errors (and --help, never generated)
            code = int(exc.code or 0)
    benign = DeprecationWarning | PendingDeprecationWarning
    unexpected = [w for w in caught if not issubclass(w.category, benign)]
    assert not unexpected, f"{argv}: warning {unexpected[0].category.__name__}: {unexpected[0].message}"
    return code, err.getvalue()


def _check(argv: list[str], codes: Counter[int]) -> None:
    code, err = _run(argv)
    codes[code] += 1
    assert code in (0, 2), f"{argv}: exit {code}\n{err}"
    assert "Traceback" not in err, f"{argv}:\n{err}"
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("jupitershine"), f"{argv}:\n{err}"


def _argv(options: dict[str, Any], flags: list[str], max_options: int = 6) -> Any:
    """A list of ``[option, value]`` pairs and flags drawn from ``options`` (name → value strategy)."""
    pair = st.sampled_from(sorted(options)).flatmap(lambda o: options[o].map(lambda v: [o, v]))
    item = st.one_of(pair, st.sampled_from(flags).map(lambda f: [f])) if flags else pair
    return st.lists(item, max_size=max_options).map(lambda items: [a for i in items for a in i])


# --- the tests ------------------------------------------------------------------------------------

def test_still_never_a_traceback(files: Path, no_gl: None) -> None:
    options = {**_paths(files), "--time": TIMES, "--camera": CAMERAS, "--fov": FLOATS, "--size": SIZES,
               "--look": st.sampled_from(["physical", "junocam", "linear", "Physical", "pastel", ""]),
               "--exposure": st.one_of(FLOATS, st.sampled_from(["auto", "AUTO", "bright"])),
               "--tonemap": st.sampled_from(["filmic", "stretch", "aces"]), "--stretch": STRETCHES,
               "--hide": NAMES, "--light": NAMES, "--map-lon-left": FLOATS,
               "--map-lon-direction": st.sampled_from(["east", "west", "north"]),
               "--spacecraft-size": FLOATS,
               "--spacecraft-up": st.sampled_from(["x", "-y", "z", "w", "--spacecraft-up=-x"])}
    valid = st.fixed_dictionaries({
        "--time": st.sampled_from(["2023-12-30T08:36:00.836", "2023-12-30T08:40", "2024-02-03T17:48"]),
        "--camera": st.sampled_from(["look:juno:io", "orbit:io:0:30:8000", "sky:10:-20", "junocam",
                                     "orbit:jupiter:10:100:2000000", "above:europa:5:5:300"]),
        "--size": st.sampled_from(["64x32", "16x16", "1x1", "16384x8192"]),
        "--exposure": st.sampled_from(["auto", "0", "-64", "64", "12.5"]),
        "--look": st.sampled_from(["physical", "junocam", "linear"]),
        "--hide": NAMES.filter(lambda s: not any(b in s for b in ("pluto", "sun", "shine", "hot", "ecl"))),
    }).flatmap(lambda d: st.lists(st.sampled_from(sorted(d)), unique=True, max_size=4)
               .map(lambda keys: [a for k in keys for a in (k, d[k])]))
    codes: Counter[int] = Counter()

    @SETTINGS
    @given(st.one_of(_argv(options, ["--no-supersample"]), valid), st.booleans())
    def run(args: list[str], give_out: bool) -> None:
        if give_out and "--out" not in args:
            args = [*args, "--out", str(files / "x.png")]  # never the default out/ of the working folder
        if "--out" not in args and "--linear" not in args:
            args = [*args, "--linear", str(files / "x.npy")]
        _check(["still", *args], codes)

    run()
    assert codes[0] >= 20 and codes[2] >= 100, codes  # both the valid path and the refusals were reached


def test_info_never_a_traceback(files: Path) -> None:
    paths = _paths(files)
    options = {"--time": TIMES, "--preset": paths["--preset"], "--kernels": paths["--kernels"]}
    codes: Counter[int] = Counter()

    @settings(SETTINGS, max_examples=150)
    @given(_argv(options, ["--json"], max_options=3))
    def run(args: list[str]) -> None:
        _check(["info", *args], codes)

    run()
    assert codes[0] >= 10 and codes[2] >= 30, codes


def test_geometry_never_a_traceback(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import viewer.geometry

    monkeypatch.setattr(viewer.geometry, "MAX_ROWS", FUZZ_MAX_ROWS)
    paths = _paths(files)
    near_ca = st.sampled_from(["2023-12-30T08:36", "2023-12-30T08:37:30", "2023-12-30T08:16:00.836",
                               "2023-12-30T08:56:00.836", "2024-02-03T17:48:35", "2024-01-10"])
    options = {"--start": st.one_of(near_ca, TIMES), "--end": st.one_of(near_ca, TIMES),
               "--step": st.one_of(st.sampled_from(["1s", "0.5s", "2m", "1h", "0s", "-1s", "fast", "1e300s",
                                                    "nans", "infs", "1d", "30"]), JUNK),
               "--format": st.sampled_from(["csv", "json", "xml"]),
               "--out": st.sampled_from([str(files / "t.csv"), str(files / "afile" / "t.csv"),
                                         "/proc/t.csv", str(files / "nodir" / "t.csv")]),
               "--preset": paths["--preset"], "--kernels": paths["--kernels"]}
    valid = st.tuples(
        st.sampled_from([["--start", "2023-12-30T08:36", "--end", "2023-12-30T08:36:30"],
                         ["--start", "2023-12-30T08:30", "--end", "2023-12-30T08:40", "--step", "2s"],
                         ["--start", "2024-02-03T17:48", "--end", "2024-02-03T17:50", "--step", "1m"]]),
        st.sampled_from([[], ["--format", "json"], ["--out", str(files / "t.csv")], ["--out", "/proc/t.csv"],
                         ["--out", str(files / "afile" / "t.csv")]]),
    ).map(lambda t: t[0] + t[1])
    codes: Counter[int] = Counter()

    @settings(SETTINGS, max_examples=200)
    @given(st.one_of(_argv(options, [], max_options=5), valid))
    def run(args: list[str]) -> None:
        _check(["geometry", *args], codes)

    run()
    assert codes[0] >= 5 and codes[2] >= 50, codes
