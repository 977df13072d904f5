"""JunoCam's field of view: its size and orientation (docs/sources.md §4a), the footprint on Io's
ellipsoid, and the drawn outline where the geometry puts it, hidden behind the limb (GL)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from viewer import junocam as jc
from viewer.render.camera import Camera, first_hit, look_rotation
from viewer.render.exposure import ToneSettings
from viewer.render.passes.junocam import field_of_view, fov_rays
from viewer.sim.constants import BODIES
from viewer.sim.timescales import utc_to_et

CA = "2023-12-30T08:36:00.836"
SIZE = (320, 240)


@pytest.fixture(scope="module")
def snap(world):
    return world.at(utc_to_et(CA))


def _on_detector(snap, points_or_dirs):
    """Detector coordinates (px from the optical centre, distorted) of J2000 directions from Juno."""
    cam = np.asarray(points_or_dirs) @ jc.camera_to_j2000(snap.rotations["juno"])
    return jc.distort(jc.FOCAL_PX * cam[:, 0] / cam[:, 2], jc.FOCAL_PX * cam[:, 1] / cam[:, 2]), cam[:, 2]


def test_field_is_the_four_strips_through_the_instruments_model(snap) -> None:
    """The boundary rays land on the outline of the four strips on the detector (1648 samples across,
    methane's first line to red's last) through the kernel's distortion and mounting: about 58° across
    the spin axis and 23° along the scan, looking along -X."""
    tan_half_cross = 0.5 * jc.SAMPLES * jc.IFOV_RAD  # a pinhole as wide as the detector ...
    tan_half_along = 0.5 * len(jc.FILTERS) * jc.STRIP_ROWS * jc.IFOV_RAD  # ... as high as the 4 strips
    assert math.degrees(2 * math.atan(tan_half_cross)) == pytest.approx(58.0, abs=0.5)
    assert math.degrees(2 * math.atan(tan_half_along)) == pytest.approx(23.65, abs=0.05)
    rot = snap.rotations["juno"]
    rays = fov_rays(rot, 8)
    np.testing.assert_allclose(np.linalg.norm(rays, axis=1), 1.0, rtol=1e-12)
    local = rays @ rot  # spacecraft frame
    assert np.all(local[:, 0] < 0.0)  # all look along -X
    (xd, yd), z = _on_detector(snap, rays)
    assert np.all(z > 0)
    x0, x1, y0, y1 = jc.field_extent()
    assert (x0, x1) == pytest.approx((-814.71, 833.29)) and (y0, y1) == pytest.approx((-315.98, 279.02))
    on_edge = np.isclose(xd, x0, atol=1e-6) | np.isclose(xd, x1, atol=1e-6) | np.isclose(yd, y0, atol=1e-6) \
        | np.isclose(yd, y1, atol=1e-6)
    assert on_edge.all()
    corners = np.stack([xd[[0, 8, 16, 24]], yd[[0, 8, 16, 24]]], axis=1)
    np.testing.assert_allclose(corners, [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], atol=1e-6)
    across = math.degrees(math.acos(float(rays[8] @ rays[0])))  # top edge, corner to corner
    assert across == pytest.approx(58.0, abs=2.5)


def test_footprint_lies_on_ios_ellipsoid_along_the_boundary_rays(snap) -> None:
    """At I57 closest approach (the spin phase points JunoCam at Io) the field's boundary meets Io:
    every footprint point is on Io's IAU ellipsoid and on a boundary ray from Juno (on the outline of
    the strips on the detector)."""
    fov = field_of_view(snap)
    assert fov is not None and [b for b, _ in fov.footprint] == ["io"]
    points = fov.footprint[0][1]
    assert len(points) > 200
    rot, radii = snap.rotations["io"], np.asarray(BODIES["io"].radii_km)
    q = ((points - snap.positions["io"]) @ rot) / radii
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-9)
    (xd, yd), _ = _on_detector(snap, points - snap.positions["juno"])
    x0, x1, y0, y1 = jc.field_extent()
    on_edge = np.isclose(xd, x0, atol=1e-4) | np.isclose(xd, x1, atol=1e-4) | np.isclose(yd, y0, atol=1e-4) \
        | np.isclose(yd, y1, atol=1e-4)
    assert on_edge.all()
    assert np.all((xd > x0 - 1e-4) & (xd < x1 + 1e-4) & (yd > y0 - 1e-4) & (yd < y1 + 1e-4))


def side_camera(snap) -> Camera:
    """12,000 km from Io's centre, 20 deg above the plane perpendicular to the direction of the
    closest-approach point, on the side where part of the footprint lies beyond Io's limb."""
    io, juno = snap.positions["io"], snap.positions["juno"]
    up = (juno - io) / np.linalg.norm(juno - io)
    side = np.cross(up, snap.rotations["io"][:, 2])
    side /= np.linalg.norm(side)
    el = math.radians(20.0)
    d = -math.cos(el) * np.cross(up, side) + math.sin(el) * up
    pos = io + 12_000.0 * d
    return Camera(pos, look_rotation(io - pos, snap.rotations["io"][:, 2]), 25.0)


def distance_to_polyline(pixels: np.ndarray, line: np.ndarray) -> np.ndarray:
    """Distance (px) from each (x, y) in ``pixels`` to the polyline ``line`` (k, 2)."""
    a, b = line[:-1][None], line[1:][None]
    p = pixels[:, None, :]
    d = b - a
    t = np.clip(np.sum((p - a) * d, axis=2) / np.maximum(np.sum(d * d, axis=2), 1e-12), 0.0, 1.0)
    return np.min(np.linalg.norm(p - (a + t[..., None] * d), axis=2), axis=1)


@pytest.mark.gl
def test_footprint_outline_is_drawn_where_the_geometry_puts_it(gl_context, snap) -> None:
    """The yellow footprint pixels lie within 2 px of the projected ellipsoid intersection; every
    visible part of it is drawn; the part behind Io's limb is not."""
    from viewer.render.renderer import Renderer, RenderSettings

    cam = side_camera(snap)
    images = {}
    for on in (False, True):
        r = Renderer(gl_context, RenderSettings(size=SIZE, supersample=1, junocam_fov=on,
                                                hide=frozenset({"stars", "juno"}),
                                                tone=ToneSettings(exposure=0.0)))
        images[on] = r.render(snap, cam).image.astype(int)
    img = images[True]
    yellow = np.any(img != images[False], axis=2) & (img[..., 0] - img[..., 2] > 60)
    rows, cols = np.nonzero(yellow)
    pixels = np.stack([cols + 0.5, rows + 0.5], axis=1)
    points = r.junocam.field.footprint[0][1]
    xy, depth = cam.project(points, *SIZE)
    assert np.all(depth > 0.0) and len(pixels) > 50
    assert distance_to_polyline(pixels, xy).max() <= 2.0
    # Which footprint points the camera sees: Io's surface faces it and nothing is in front.
    rot = snap.rotations["io"]
    normals = (((points - snap.positions["io"]) @ rot) / np.asarray(BODIES["io"].radii_km) ** 2) @ rot.T
    seen = np.einsum("ij,ij->i", normals, cam.position_km - points) > 0.0
    for p, s in zip(points, seen, strict=True):
        if s:
            d = (p - cam.position_km) / np.linalg.norm(p - cam.position_km)
            assert first_hit(snap, cam.position_km, d)[0] == "io"
    assert 20 < seen.sum() < len(points) - 20  # part in front, part behind the limb
    inside = np.all((xy > 3.0) & (xy < np.array(SIZE) - 3.0), axis=1)
    # (where a cyan frustum edge crosses or ends on the outline, the pixels are not yellow)
    for edge in r.junocam.field.edges:
        inside &= distance_to_polyline(xy, cam.project(edge, *SIZE)[0]) > 3.0
    for x, y in xy[seen & inside]:
        assert np.min(np.hypot(pixels[:, 0] - x, pixels[:, 1] - y)) <= 2.0
    # Hidden points far (> 3 px) from every seen one have no drawn pixel within 1 px.
    hidden = xy[~seen & inside]
    far = np.array([np.min(np.hypot(*(xy[seen] - h).T)) > 3.0 for h in hidden])
    assert far.sum() > 20
    for x, y in hidden[far]:
        assert np.min(np.hypot(pixels[:, 0] - x, pixels[:, 1] - y)) > 1.0
