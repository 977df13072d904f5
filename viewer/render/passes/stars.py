"""The star field: Hipparcos stars as point sprites at infinity (``shaders/stars.vert|frag``).

Units and frames. Each star's J2000 unit direction and brightness 10^(−0.4 V) × colour (luminance 1) go
to the GPU once, in a static vertex buffer. Per frame the pass sets the J2000 → camera rotation
(``view.camera.rotation.T``), the view's projection and one scale, 10^(0.4 V_sun)·π/Ω_px with
Ω_px = 1/f_px² and V_sun from the Sun–Jupiter distance of the snapshot, so a star's pixel radiances sum
to π (E*/E_sun)/Ω_px in the renderer's unit (docs/architecture.md "Radiometry"; see
:mod:`viewer.render.stars`). The PSF is a Gaussian of σ = 0.7 render pixels, integrated over each pixel
of a 5×5 footprint and normalised over it: the flux is the same at any image size or zoom.

Culling by brightness. The buffer holds the stars brightest first (by :attr:`StarsPass.peak`, the most
any one pixel of the star can get in one channel, before the view's flux scale), so "every star whose
brightest pixel reaches a radiance" is a prefix of it, found per frame by a binary search
(:meth:`StarsPass.count_above`) and drawn as a range, nothing uploaded. :attr:`StarsPass.floor` (set by the
renderer before the frame) limits :meth:`StarsPass.draw` to the stars above it;
:meth:`StarsPass.draw_under` later adds the stars down to a lower floor *under* what is drawn (blend
``(one_minus_dst_alpha, one)``: the bodies and the spacecraft wrote their coverage in alpha, so a star
behind a limb pixel adds in proportion to the uncovered part, exactly as when drawn first and covered
"over"; the Sun's disc, the haze above the limb and the stars themselves have alpha 0, so they simply
add). The renderer uses it to skip the stars an exposure cannot show
(:meth:`viewer.render.renderer.Renderer.render`).

GL state. The renderer binds and clears the HDR target and calls :meth:`StarsPass.draw` first; the pass
sets ``depth_test=False, blend=True, blend_func=('one', 'one')`` (stars add up and write alpha 0, so
they never count as coverage and the bodies drawn afterwards replace them), writes no depth, and leaves
that blend state set. It draws into a viewport 3 px larger than the target on every side (so a star
centred just outside the image still lights the edge pixels; GL clips points by their centre) and
restores the viewport to the full target (``view.size``) afterwards. ``gl_PointSize`` works because
vispy enables ``GL_VERTEX_PROGRAM_POINT_SIZE`` and ``GL_POINT_SPRITE`` on desktop GL.
The radiances are tiny (a V = 9 star's brightest pixel is ≈1e-7 at f = 1000 px, a V = 0 star's 4e-4):
use an ``rgba32f`` target (``rgba16f``'s smallest normal number is 6e-5; below it precision goes and
under 6e-8 values vanish).

Cost (llvmpipe, LLVM 15, on a 2-core machine shared with other jobs, so upper bounds; 1920×1080, best
and median of 30 frames): 60° field, the default V ≤ 9 (83,392 stars, 8,100–9,500 in view): 8–15 ms;
all 117,955 (12,800–14,100 in view): 20–49 ms; V ≤ 6.5 (8,916): 1.5 ms. A 150° field (34,000 of the
V ≤ 9 stars in view): 60–69 ms. That is ≈1.5 µs per star in view (the point's quad set-up and its 25
blended float fragments; computing the PSF integrals per star in the vertex stage instead of per
fragment changed nothing measurable), ≈0.1 µs per star outside it.

Must not import: ``viewer.sim`` (beyond the types a View carries), ``viewer.cli``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from viewer.render.passes import NO_FOOTPRINT, Footprint, point_footprint
from viewer.render.shaders import program_cache
from viewer.render.stars import (
    DEFAULT_MAG_LIMIT,
    PSF_RADIUS_PX,
    PSF_SIGMA_PX,
    StarCatalog,
    hipparcos,
    psf_weights,
    sun_v_mag,
)
from viewer.render.view import View

#: Extra viewport on each side, px: the sprite's half-size rounded up.
MARGIN_PX = PSF_RADIUS_PX + 1
#: :meth:`StarsPass.footprint` lists the drawn stars one by one up to this many (else: anywhere).
FOOTPRINT_MAX_STARS = 1024
#: ... each a square this many pixels from its centre (the 5×5 footprint starts 2 pixels before the
#: pixel holding the centre: at most 3 pixels away, and one for rounding).
FOOTPRINT_PAD_PX = PSF_RADIUS_PX + 2.0
#: The largest share of a star's light one pixel gets: the centre pixel's PSF weight for a star at the
#: centre of a pixel (0.275 for sigma 0.7 px).
PEAK_WEIGHT = float(psf_weights((0.5, 0.5))[1].max())


def _draw_points(program: Any, first: int, count: int) -> None:
    """``program.draw("points")`` for vertices ``first`` … ``first + count − 1`` of its bound buffer
    (gloo's ``draw`` takes every vertex; its GLIR ``DRAW`` command takes a range)."""
    from vispy.gloo.context import get_current_canvas

    canvas = get_current_canvas()
    canvas.context.glir.associate(program.glir)
    canvas.context.glir.command("DRAW", program.id, "points", (int(first), int(count)), 1)
    canvas.context.flush_commands()


class StarsPass:
    """Draw the star field into the bound HDR target (additively, alpha 0).

    Parameters
    ----------
    context : GLContext
    catalog : StarCatalog, optional
        The stars to draw; default the Hipparcos catalogue (:func:`viewer.render.stars.hipparcos`).
    mag_limit : float or None
        Drop stars fainter than this V (None keeps all of ``catalog``).
    """

    def __init__(self, context: Any, catalog: StarCatalog | None = None,
                 mag_limit: float | None = DEFAULT_MAG_LIMIT) -> None:
        from vispy import gloo

        self.context = context
        stars = (catalog if catalog is not None else hipparcos(None)).brighter_than(mag_limit)
        self.catalog = stars
        data = np.zeros(len(stars), dtype=[("a_direction", np.float32, 3), ("a_flux", np.float32, 3)])
        data["a_direction"] = stars.direction
        data["a_flux"] = stars.rgb * (10.0 ** (-0.4 * stars.v_mag))[:, None]
        peak = data["a_flux"].max(axis=1).astype(np.float64) * PEAK_WEIGHT if len(stars) else np.zeros(0)
        order = np.argsort(-peak, kind="stable")
        #: Row i of the buffer is catalogue row ``order[i]``: brightest first.
        self.order = order
        #: The most light (radiance, one channel) any pixel gets from each star, buffer order, divided by
        #: the view's :meth:`flux_scale`: descending.
        self.peak = peak[order]
        #: Draw only the stars whose brightest pixel exceeds this radiance (None: all); the renderer
        #: sets it per frame. :attr:`drawn` counts the stars drawn into the frame so far.
        self.floor: float | None = None
        self.drawn = 0
        context.make_current()
        self._program = program_cache(context).get("stars.vert", "stars.frag",
                                                   {"PSF_RADIUS_PX": PSF_RADIUS_PX})
        self._vertices = gloo.VertexBuffer(data[order]) if len(stars) else None
        self._directions = np.asarray(stars.direction, dtype=np.float64)[order]

    def __len__(self) -> int:
        return len(self.catalog)

    def count_above(self, view: View, radiance: float | None) -> int:
        """How many stars (a prefix of the buffer) can light some pixel of ``view`` above ``radiance``
        (renderer units, any one channel); all of them for None."""
        if radiance is None:
            return len(self.peak)
        threshold = radiance / self.flux_scale(view)
        return int(np.searchsorted(-self.peak, -threshold, side="left"))

    def flux_scale(self, view: View) -> float:
        """10^(0.4 V_sun)·π/Ω_px: turns a star's 10^(−0.4 V) into the sum of its pixel radiances."""
        sun_km = float(np.linalg.norm(view.snapshot.positions["sun"]))
        return float(10.0 ** (0.4 * sun_v_mag(sun_km)) * math.pi * view.focal_px**2)

    def footprint(self, view: View) -> Footprint:
        """Where the stars drawn into the frame so far (:attr:`drawn`) can have written in ``view``: a
        square around each one in front of the camera (NDC rectangles); None (anywhere) beyond
        :data:`FOOTPRINT_MAX_STARS`."""
        if self.drawn == 0:
            return NO_FOOTPRINT
        if self.drawn > FOOTPRINT_MAX_STARS:
            return None
        d = view.to_camera(self._directions[:self.drawn])
        d = d[d[:, 2] < 0.0]
        tx, ty = view.tan_half_fov
        ndc = np.stack([d[:, 0] / -d[:, 2] / tx, d[:, 1] / -d[:, 2] / ty], axis=1)
        return point_footprint(ndc, FOOTPRINT_PAD_PX, view.size)

    def draw(self, view: View) -> None:
        """Add the stars above :attr:`floor` to the currently bound target of ``view.size`` render
        pixels."""
        self.drawn = 0
        self._draw(view, self.count_above(view, self.floor), under=False)

    def draw_under(self, view: View, floor: float | None = None) -> int:
        """Add, under what the bound target holds, the stars down to ``floor`` (None: all) that
        :meth:`draw` and earlier calls left out; returns how many were added."""
        return self._draw(view, self.count_above(view, floor), under=True)

    def _draw(self, view: View, stop: int, under: bool) -> int:
        from vispy import gloo

        first = self.drawn
        if self._vertices is None or stop <= first:
            return 0
        self.drawn = stop
        w, h = view.size
        program = self._program
        program.bind(self._vertices)
        # gloo uploads a numpy matrix as is into GLSL's column-major storage, so GLSL sees the
        # transpose: upload rotation (camera -> J2000) for GLSL's J2000 -> camera = rotation.T, and the
        # projection transposed for GLSL's projection.
        program["u_to_camera"] = np.asarray(view.camera.rotation, dtype=np.float32)
        program["u_projection"] = view.projection().T
        program["u_size_px"] = (float(w), float(h))
        program["u_margin_px"] = float(MARGIN_PX)
        program["u_flux_scale"] = float(self.flux_scale(view))
        program["u_sigma_px"] = float(PSF_SIGMA_PX)
        gloo.set_state(depth_test=False, blend=True,
                       blend_func=("one_minus_dst_alpha", "one") if under else ("one", "one"))
        gloo.set_viewport(-MARGIN_PX, -MARGIN_PX, w + 2 * MARGIN_PX, h + 2 * MARGIN_PX)
        try:
            _draw_points(program, first, stop - first)
        finally:
            gloo.set_viewport(0, 0, w, h)
        return stop - first
