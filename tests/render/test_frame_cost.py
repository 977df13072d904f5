"""The whole frame's fixed costs cut without changing a pixel's meaning (issue 12, "Performance"):

* the stencil marks every pixel a pass draws into the HDR target; the tone map then skips the others
  (they hold radiance 0, black under any curve), and the next clear resets only the marked pixels —
  both looking only inside the rectangles the passes report (their footprints);
* the renderer draws only the stars the frame's exposure can show (an ``auto`` exposure is metered with
  the stars that could count as lit, the rest added *under* the frame afterwards), and
  :meth:`Renderer.linear` still holds every star;
* Io's hot spots ride in its map's alpha; Jupitershine skips pixels whose horizon hides every light.

Each test compares the fast path with the way the frame was made before (all stars first, a full clear,
a tone map over every pixel, a separate emission texture)."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.render import exposure as ex

pytestmark = pytest.mark.gl

I57 = "2023-12-30T08:36:00.836"
SIZE = (240, 135)
#: The sky camera sits at Jupiter's centre: no Sun's disc from there.
SKY_HIDE = frozenset({"sun"})


@pytest.fixture(scope="module")
def snap(world):
    from viewer.sim.timescales import utc_to_et

    return world.at(utc_to_et(I57))


def _io_camera(snap, theta_deg: float):
    """10,000 km from Io, ``theta_deg`` from the anti-Jupiter direction in the plane normal to Jupiter's
    pole, looking at Io (bench/render.py's path at 20°: Jupiter beside Io)."""
    from viewer.render.camera import Camera, look_rotation

    io = np.asarray(snap.positions["io"], dtype=np.float64)
    j = np.asarray(snap.positions["jupiter"], dtype=np.float64) - io
    j /= np.linalg.norm(j)
    north = np.asarray(snap.rotations["jupiter"][:, 2], dtype=np.float64)
    n = north - (north @ j) * j
    n /= np.linalg.norm(n)
    e = np.cross(n, j)
    theta = np.radians(theta_deg)
    pos = io + 10_000.0 * (-np.cos(theta) * j + np.sin(theta) * e)
    return Camera(pos, look_rotation(io - pos, n))


@pytest.fixture(scope="module")
def io_camera(snap):
    return _io_camera(snap, 20.0)


def _every_star_first(renderer, snap, camera, ev: float):
    """The frame as it was made before: every star drawn first, then the tone map at ``ev``."""
    renderer.draw(snap, camera)
    return renderer.finish(ev)


def _spy_clears(monkeypatch) -> list[dict]:
    from vispy import gloo

    calls: list[dict] = []
    real = gloo.clear

    def spy(color=True, depth=True, stencil=True):
        calls.append({"color": color, "depth": depth, "stencil": stencil})
        real(color=color, depth=depth, stencil=stencil)

    monkeypatch.setattr(gloo, "clear", spy)
    return calls


def test_tone_map_skips_pixels_no_pass_drew(gl_context) -> None:
    """A pixel given radiance behind the stencil's back stays black: the tone map only reads marked
    pixels. Tone-mapped in full (``marked`` off), the same target shows it."""
    from vispy import gloo

    from viewer.render.passes import fullscreen_triangle
    from viewer.render.passes.tonemap import TonemapPass
    from viewer.render.shaders import program_cache
    from viewer.render.targets import HDRTarget, LDRTarget

    hdr, out = HDRTarget(gl_context, (16, 12)), LDRTarget(gl_context, (16, 12))
    fill = program_cache(gl_context).get("fullscreen.vert", "fill.frag")
    fill["a_position"] = fullscreen_triangle()
    fill["u_radiance"] = (0.18, 0.18, 0.18)
    hdr.clear()
    with hdr:  # a pass: marks what it draws
        gloo.set_state(blend=False, depth_test=False, scissor_test=True)
        gloo.set_scissor(0, 0, 4, 12)
        fill.draw("triangles")
    gl_context.make_current()
    hdr.fbo.activate()  # bound without HDRTarget.__enter__: no marks
    gloo.set_state(stencil_test=False, scissor_test=True)
    gloo.set_scissor(10, 0, 2, 12)
    fill.draw("triangles")
    gloo.set_state(scissor_test=False)
    hdr.fbo.deactivate()
    settings = ex.ToneSettings(exposure=0.0)
    TonemapPass(gl_context).draw(hdr, out, settings)
    masked = out.read()
    assert hdr.marked
    hdr.marked = False
    TonemapPass(gl_context).draw(hdr, out, settings)
    full = out.read()
    grey = int(ex.tonemap_reference(np.full((1, 1, 3), 0.18), settings)[0, 0, 0])
    assert np.all(masked[:, :4] == grey) and np.all(full[:, :4] == grey)    # drawn: tone-mapped
    assert np.all(masked[:, 10:12] == 0) and np.all(full[:, 10:12] == grey)  # unmarked: skipped
    assert np.all(masked[:, 4:10] == 0) and np.all(full[:, 4:10] == 0)


def test_fast_frame_equals_the_frame_made_the_old_way(gl_context, world, snap, io_camera,
                                                      monkeypatch) -> None:
    """A lit frame of Io and Jupiter with every light path and a trail: the exposure, the 8-bit image
    and the radiance (every star included) equal those of a frame made with every star drawn first, a
    full clear and a full tone map; only the stars that can count as lit pixels are drawn before
    metering, and the second frame's clear resets the marked pixels instead of clearing the colour."""
    from viewer.render.renderer import Renderer, RenderSettings
    from viewer.sim.trails import make_trails

    trails = make_trails(world, [("juno", "io"), ("io", "jupiter")], snap.et, 1800.0, 600.0)
    fast = Renderer(gl_context, RenderSettings(size=SIZE), trails=trails)
    slow = Renderer(gl_context, RenderSettings(size=SIZE), trails=trails)
    fast.render(snap, io_camera)  # a first frame: the second one's clear has marks to reset
    clears = _spy_clears(monkeypatch)
    frame = fast.render(snap, io_camera)
    hdr_clears = [c for c in clears if c["depth"]]  # (the 8-bit image's clear has no depth)
    assert hdr_clears and all(c["color"] is False for c in hdr_clears)  # HDR colour never cleared whole
    assert frame.metering.basis == "lit"
    assert fast.stars is not None and fast.stars.drawn < len(fast.stars) // 100
    slow.hdr.marked = False  # full clear; the tone map below is the full one too
    slow.draw(snap, io_camera, trails=False)
    metering = slow.tonemap.meter(slow.hdr, slow.settings.tone)
    slow.draw_trails()
    slow.hdr.marked = False
    old = slow.finish(metering.ev, metering)
    assert metering.basis == frame.metering.basis and frame.ev == pytest.approx(metering.ev, abs=1e-6)
    assert np.abs(frame.image.astype(int) - old.image).max() <= 1
    assert np.mean(frame.image != old.image) < 1e-3
    np.testing.assert_allclose(fast.linear(coverage=True), slow.linear(coverage=True), rtol=1e-5,
                               atol=1e-12)
    assert fast.stars.drawn == len(fast.stars)  # linear() added the rest


@pytest.mark.parametrize("ev", [0.0, 10.0, 12.0, 24.0])
def test_fixed_exposure_draws_the_stars_it_can_show(gl_context, snap, ev) -> None:
    """A sky at fixed EVs from a sunlit scene's (no star shows) to a long exposure (every star
    drawn): the stars left out change no pixel by more than a level, and none where the sky is black
    in the full frame."""
    from viewer.render.camera import camera_from_spec
    from viewer.render.renderer import Renderer, RenderSettings

    camera = camera_from_spec("sky:185:56", snap, 40.0)
    settings = RenderSettings(size=(320, 240), tone=ex.ToneSettings(exposure=ev), hide=SKY_HIDE)
    fast, slow = Renderer(gl_context, settings), Renderer(gl_context, settings)
    image = fast.render(snap, camera).image
    drawn, total = fast.stars.drawn, len(fast.stars)
    old = _every_star_first(slow, snap, camera, ev).image
    assert np.abs(image.astype(int) - old).max() <= 1
    assert np.all(image[old.max(axis=2) == 0] == 0)
    if ev == 0.0:
        assert drawn < 10 and old.max() == 0
    elif ev == 24.0:
        assert drawn == total
    else:
        assert 0 < drawn < total and old.max() > 8  # some stars show, the faintest are left out


def test_an_empty_sky_meters_on_every_star(gl_context, snap) -> None:
    """No surface in the frame: the exposure comes from the stars, so all of them are drawn before the
    whole frame is metered, as before."""
    from viewer.render.camera import camera_from_spec
    from viewer.render.renderer import Renderer, RenderSettings

    camera = camera_from_spec("sky:185:56", snap, 40.0)
    fast, slow = (Renderer(gl_context, RenderSettings(size=(320, 240), hide=SKY_HIDE)) for _ in range(2))
    frame = fast.render(snap, camera)
    slow.draw(snap, camera)
    assert frame.metering == slow.tonemap.meter(slow.hdr, slow.settings.tone)
    assert frame.metering.basis == "sky" and fast.stars.drawn == len(fast.stars)


def test_hot_spots_in_the_maps_alpha_equal_their_own_texture(gl_context, snap, io_camera,
                                                             monkeypatch) -> None:
    """Io's emission map of its colour map's size rides in its alpha: the radiance equals the one
    drawn with the emission map as a texture of its own, to the half-float texels' precision (llvmpipe
    rounds the same float32 map to RGB16F and to RGBA16F texels up to one unit apart, 2^-10)."""
    from viewer.render.passes.bodies import BodiesPass
    from viewer.render.renderer import Renderer, RenderSettings

    settings = RenderSettings(size=SIZE, hide=frozenset({"stars", "juno", "sun"}), tone=ex.ToneSettings(0.0))
    one = Renderer(gl_context, settings)
    assert one.bodies.emission_in_map("io")
    one.render(snap, io_camera)
    combined = one.linear()
    monkeypatch.setattr(BodiesPass, "emission_in_map", lambda self, name: False)
    two = Renderer(gl_context, settings)
    two.render(snap, io_camera)
    separate = two.linear()
    assert float(combined.max()) > 0.1
    np.testing.assert_allclose(combined, separate, rtol=1e-3, atol=1e-9)


def test_jupitershine_skips_only_pixels_no_light_reaches(gl_context, snap, monkeypatch) -> None:
    """Io seen side-on, half its disc facing Jupiter: with the horizon test (pixels whose horizon hides
    every Jupitershine light run no iteration) the radiance equals the full 48-light sum everywhere."""
    import viewer.render.passes.bodies as bodies
    from viewer.render.renderer import Renderer, RenderSettings

    camera = _io_camera(snap, 90.0)
    settings = RenderSettings(size=SIZE, hide=frozenset({"stars", "juno", "sun", "jupiter"}),
                              light=frozenset({"jupitershine"}), tone=ex.ToneSettings(0.0))
    skip = Renderer(gl_context, settings)
    skip.render(snap, camera)
    fast = skip.linear(coverage=True)
    monkeypatch.setattr(bodies, "js_horizon", lambda dirs, power, axis: 2.0)  # never skip
    full = Renderer(gl_context, settings)
    full.render(snap, camera)
    slow = full.linear(coverage=True)
    disc = slow[..., 3] > 0.999
    shone = disc & (slow[..., :3].max(axis=2) > 0.0)
    assert 0.2 < shone.sum() / disc.sum() < 0.8  # lit by Jupiter on one side only
    np.testing.assert_array_equal(fast, slow)


@pytest.mark.parametrize("spec", ["bench", "look:juno:io", "orbit:juno:0:0:0.05", "orbit:io:0:30:8000",
                                  "orbit:jupiter:80:0:150000"])
def test_footprints_hold_every_drawn_pixel(gl_context, world, snap, io_camera, spec) -> None:
    """The rectangles the passes report (the tone map and the next clear visit only those) hold every
    pixel the frame wrote: nothing with radiance or coverage lies outside them, and a clear after the
    frame leaves the whole target at radiance 0, coverage 0, depth far."""
    from vispy import gloo

    from viewer.render.camera import camera_from_spec
    from viewer.render.renderer import Renderer, RenderSettings
    from viewer.sim.trails import make_trails

    camera = io_camera if spec == "bench" else camera_from_spec(spec, snap, 40.0)
    trails = make_trails(world, [("juno", "io"), ("io", "jupiter")], snap.et, 1800.0, 600.0)
    r = Renderer(gl_context, RenderSettings(size=SIZE), trails=trails)
    r.render(snap, camera)
    r.render(snap, camera)  # the second frame's clear is the footprint's
    rects = r.hdr.dirty
    assert rects is not None or spec != "bench"
    px = r.hdr.read()  # (binding the target forgets the rectangles)
    written = np.any(px != 0.0, axis=2)[::-1]  # GL rows (bottom first), as NDC
    assert written.any()
    if rects is not None:
        h, w = written.shape
        inside = np.zeros_like(written)
        for x0, y0, x1, y1 in rects:
            c0, c1 = int(np.floor((x0 + 1) * 0.5 * w)), int(np.ceil((x1 + 1) * 0.5 * w))
            r0, r1 = int(np.floor((y0 + 1) * 0.5 * h)), int(np.ceil((y1 + 1) * 0.5 * h))
            inside[max(r0, 0):r1, max(c0, 0):c1] = True
        assert not np.any(written & ~inside)
        if spec == "bench":
            assert inside.mean() < 0.8  # Io, Jupiter, the trails, a few stars: not the whole frame
    r.hdr.dirty = rects
    r.hdr.clear()
    assert np.all(r.hdr.read() == 0.0)
    with r.hdr:
        depth = gloo.read_pixels((0, 0, *r.hdr.render_size), mode="depth", out_type=np.float32)
    assert np.all(depth == 1.0)
