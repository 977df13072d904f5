"""Small reference images (tests/reference/*.png), tied to the renderer string that made them.

On the same renderer (tests/reference/renderer.json) a re-render must match almost exactly (a few
levels at a handful of pixels); on another GL implementation the tolerances are looser (different
rasterisation and float rounding, same picture). Regenerate after an intended visual change with
``pytest tests/render/test_reference_images.py --regenerate-references`` and look at the images.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.gl

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
RENDERER_FILE = REFERENCE / "renderer.json"
SIZE = (160, 90)
I57 = "2023-12-30T08:36:00.836"
SCENES = {
    "jupiter": {"camera": "orbit:jupiter:3:230:600000", "fov": 20.0, "hide": "stars", "exposure": -1.0},
    "io": {"camera": "orbit:io:10:200:9000", "fov": 30.0, "hide": "stars,jupiter", "exposure": -1.0},
    "i57": {"camera": None, "fov": None, "hide": None, "exposure": None},
}
# Same renderer: at most 1 % of pixels may differ, by at most 3 levels.
SAME_MAX_LEVEL, SAME_MAX_FRACTION = 3, 0.01
# Another renderer: mean absolute difference ≤ 3 levels, and 98 % of pixels within 16.
OTHER_MEAN, OTHER_P98 = 3.0, 16


def _render(gl_context, name: str) -> np.ndarray:
    from viewer.still import make_still

    kw = SCENES[name]
    return make_still(time=I57, camera=kw["camera"], fov=kw["fov"], size=SIZE, hide=kw["hide"],
                      exposure=kw["exposure"], context=gl_context).image


@pytest.mark.parametrize("name", sorted(SCENES))
def test_matches_reference(gl_context, name: str, regenerate_references: bool) -> None:
    import imageio.v3 as iio

    renderer = gl_context.capabilities().renderer
    image = _render(gl_context, name)
    path = REFERENCE / f"{name}.png"
    if regenerate_references:
        REFERENCE.mkdir(exist_ok=True)
        iio.imwrite(path, image)
        RENDERER_FILE.write_text(json.dumps({"renderer": renderer}, indent=1) + "\n")
        pytest.skip(f"regenerated {path.name} with {renderer}")
    if not path.exists():
        pytest.fail(f"{path} is missing: run pytest with --regenerate-references and commit it")
    ref = iio.imread(path)
    assert ref.shape == image.shape
    diff = np.abs(ref.astype(int) - image.astype(int)).max(axis=2)
    same = json.loads(RENDERER_FILE.read_text())["renderer"] == renderer
    if same:
        assert diff.max() <= SAME_MAX_LEVEL or (diff > SAME_MAX_LEVEL).mean() <= SAME_MAX_FRACTION, \
            f"{name}: {int((diff > SAME_MAX_LEVEL).sum())} pixels differ by up to {diff.max()} levels"
    else:
        assert diff.mean() <= OTHER_MEAN and np.percentile(diff, 98) <= OTHER_P98
