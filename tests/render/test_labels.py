"""Labels: placement beside the discs, never over the body they name, hidden bodies unlabelled, drawn in
the GL frame with the font vispy ships; the ``labels`` preset key and ``still --labels``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage

from tests.render.raycast import surface_points
from viewer.errors import UserError
from viewer.render.camera import Camera, camera_from_spec, look_rotation
from viewer.render.passes.labels import (
    MARGIN_EM,
    Mark,
    Target,
    event_marks,
    font_px,
    label_font,
    label_targets,
    place_labels,
    rasterize,
)
from viewer.render.view import View
from viewer.sim.constants import BODIES
from viewer.sim.timescales import utc_to_et

CA = "2023-12-30T08:36:00.836"
SIZE = (320, 240)


def fixed(w: int, h: int):
    return lambda target: (w, h)


def test_labels_go_beside_the_disc_on_a_side_that_fits() -> None:
    near_right = Target("Io", (290.0, 100.0, 310.0, 120.0), "body")
    (placed,) = place_labels([near_right], fixed(30, 12), SIZE)
    assert placed.box[2] <= near_right.disc[0] - MARGIN_EM * font_px(240) + 1  # went left
    middle = Target("Io", (100.0, 100.0, 120.0, 120.0), "body")
    (placed,) = place_labels([middle], fixed(30, 12), SIZE)
    assert placed.box[0] == pytest.approx(120.0 + MARGIN_EM * font_px(240), abs=1.0)  # right, first choice
    assert placed.box[1] < 110.0 < placed.box[3]  # level with the centre


def test_labels_avoid_each_other_and_every_disc_or_are_left_out() -> None:
    a = Target("Io", (100.0, 100.0, 120.0, 120.0), "body")
    b = Target("Europa", (126.0, 100.0, 140.0, 120.0), "body")  # where a's right label would go
    placed = place_labels([a, b], fixed(30, 12), SIZE)
    boxes = [p.box for p in placed]
    for box in boxes:
        for disc in (a.disc, b.disc):
            assert not (box[0] < disc[2] and disc[0] < box[2] and box[1] < disc[3] and disc[1] < box[3])
    assert not (boxes[0][0] < boxes[1][2] and boxes[1][0] < boxes[0][2]
                and boxes[0][1] < boxes[1][3] and boxes[1][1] < boxes[0][3])
    huge = Target("Jupiter", (-50.0, -50.0, 370.0, 290.0), "body")
    assert place_labels([huge], fixed(50, 12), SIZE) == []


def test_the_font_ships_with_vispy() -> None:
    import vispy

    font = label_font(14)
    assert Path(font.path).name == "OpenSans-Regular.ttf"
    assert Path(vispy.__file__).parent in Path(font.path).parents
    img = rasterize("Io", 14, (1.0, 1.0, 1.0))
    assert img.shape[2] == 4 and 10 <= img.shape[0] <= 22 and img[..., 3].max() > 0.95
    assert np.all(img[..., :3] <= img[..., 3:] + 1e-6)  # premultiplied


def test_preset_key_and_cli_flag() -> None:
    from viewer.cli import build_parser
    from viewer.config import scene_from_dict

    base = {"name": "x", "time": CA, "camera": "look:juno:io"}
    assert scene_from_dict(base, "t").labels is False
    assert scene_from_dict({**base, "labels": True}, "t").labels is True
    with pytest.raises(UserError, match="'labels' must be true or false"):
        scene_from_dict({**base, "labels": "yes"}, "t")
    parser = build_parser()
    assert parser.parse_args(["still"]).labels is None
    assert parser.parse_args(["still", "--labels"]).labels is True
    assert parser.parse_args(["still", "--no-labels"]).labels is False
    assert parser.parse_args(["still", "--junocam-fov"]).junocam_fov is True


@pytest.fixture(scope="module")
def snap(world):
    return world.at(utc_to_et(CA))


def disc_mask(snap, cam, body: str) -> np.ndarray:
    points, _ = surface_points(cam, SIZE, snap.positions[body], snap.rotations[body], BODIES[body].radii_km)
    return np.isfinite(points[..., 0])


@pytest.mark.gl
def test_labels_are_drawn_beside_their_bodies_never_over_them(gl_context, snap) -> None:
    """In the GL frame: the image changes only inside the placed labels' boxes; each body's label box
    holds none of the body's projected disc and lies within the margin of it (+2 px, + the 6.5 % by
    which Jupiter's poles fall inside its bounding sphere)."""
    from viewer.render.exposure import ToneSettings
    from viewer.render.renderer import Renderer, RenderSettings

    cam = camera_from_spec("orbit:io:10:160:12000", snap, 40.0)
    images = {}
    for labels in (False, True):
        r = Renderer(gl_context, RenderSettings(size=SIZE, supersample=1, labels=labels,
                                                hide=frozenset({"stars"}), tone=ToneSettings(exposure=0.0)))
        images[labels] = r.render(snap, cam).image
    placed = {p.target.text: p.box for p in r.labels.placed}
    assert {"Io", "Jupiter", "Juno"} <= set(placed)
    changed = np.any(images[True] != images[False], axis=2)
    inside = np.zeros(changed.shape, dtype=bool)
    for x0, y0, x1, y1 in placed.values():
        inside[int(y0):int(y1), int(x0):int(x1)] = True
        assert changed[int(y0):int(y1), int(x0):int(x1)].sum() > 10  # text drawn there
    assert not np.any(changed & ~inside)
    margin = MARGIN_EM * font_px(SIZE[1])
    for body in ("io", "jupiter"):
        x0, y0, x1, y1 = (int(v) for v in placed[body.capitalize()])
        disc = disc_mask(snap, cam, body)
        assert not disc[max(y0 - 1, 0):y1 + 1, max(x0 - 1, 0):x1 + 1].any()
        gap = ndimage.distance_transform_edt(~disc)[y0:y1, x0:x1].min()
        # beside the box of the bounding sphere: Jupiter's poles lie 6.5 % of its radius inside it
        radius = np.sqrt(disc.sum() / np.pi)
        assert gap <= margin + 0.07 * radius + 2.0


@pytest.mark.gl
def test_hidden_and_offscreen_bodies_get_no_label(snap) -> None:
    """Europa exactly behind Jupiter, and bodies behind the camera, are not labelled; a mark behind Io
    is not either."""
    jc, ec = snap.positions["jupiter"], snap.positions["europa"]
    away = (jc - ec) / np.linalg.norm(jc - ec)
    cam = Camera(jc + 2_000_000.0 * away, look_rotation(-away, snap.rotations["jupiter"][:, 2]), 20.0)
    names = [t.text for t in label_targets(View(snap, cam, SIZE))]
    assert "Jupiter" in names and "Europa" not in names
    turned = Camera(cam.position_km, look_rotation(away, snap.rotations["jupiter"][:, 2]), 20.0)
    assert [t.text for t in label_targets(View(snap, turned, SIZE))] == []
    io = snap.positions["io"]
    cam = camera_from_spec("orbit:io:0:0:20000", snap, 30.0)
    behind = tuple(float(v) for v in (io - cam.position_km) / np.linalg.norm(io - cam.position_km) * 3000.0)
    front = tuple(-v for v in behind)
    marks = [Mark("behind", "io", behind), Mark("front", "io", front)]
    names = [t.text for t in label_targets(View(snap, cam, SIZE), marks)]
    assert "front" in names and "behind" not in names


def test_event_marks_sit_where_juno_was_relative_to_the_body(world, snap) -> None:
    """At I57 closest approach the Io mark is at Juno itself; the perijove mark lies ~1 R_J above
    Jupiter's clouds (72,500 km from the centre) and moves with Jupiter."""
    marks = {m.text.split()[0]: m for m in event_marks(world, snap.et)}
    assert set(marks) == {"Io", "perijove"}
    assert marks["Io"].text == "Io C/A 08:36"
    np.testing.assert_allclose(marks["Io"].position(snap), snap.positions["juno"], atol=1.0)
    assert np.linalg.norm(marks["perijove"].offset_km) == pytest.approx(72_523.0, abs=5.0)
