"""The Sun in the sky: its limb-darkened disc at its physical radiance (``shaders/sun.vert|frag``) and a
small glare drawn over the 8-bit image when the disc saturates (``shaders/glare.frag``).

Radiance. The renderer's unit is the radiance of a white Lambert surface facing the Sun at Jupiter's
distance d_J from it (docs/architecture.md "Radiometry"): E_J/π, E_J the solar irradiance there. A disc of
mean radiance L̄ and angular radius θ gives the irradiance E = L̄·π·sin²θ on a surface facing it, so
the Sun's mean radiance is L̄ = E_J/(π sin²θ_J) = 1/sin²θ_J = π/Ω_J in this unit, with
sin θ_J = R_sun/d_J and Ω_J ≈ π sin²θ_J the Sun's solid angle from Jupiter (:func:`mean_radiance`):
≈1.25·10⁶ at 5.2 AU. Radiance does not change with distance; the disc's size does: it is drawn with
the angular radius θ seen from the camera, so its irradiance there is π (sin θ/sin θ_J)².

Limb darkening. Neckel & Labs (1994), "The solar radiation between 3300 and 12500 Å", Solar Physics
153, 91–114, Table 1 (continuum windows): I(μ)/I(1) = Σₖ Aₖ μᵏ (k = 0…5), here at 610.975 nm (red),
541.760 nm (green) and 457.345 nm (blue) (:data:`NECKEL_LABS_1994`). Each channel is scaled by its
disc mean ⟨I/I(1)⟩ = 2 Σₖ Aₖ/(k+2) (0.822, 0.800, 0.765), so every channel's disc integral is the
white L̄ (sunlight is white in the renderer's colour space) and the centre is 1.22–1.31 L̄, the limb
0.31–0.22 L̄ (:func:`disc_radiance`).

Coverage. Each pixel takes the mean of the disc's radiance over its square (:func:`disc_mode`): a pixel
wholly inside the disc (its centre more than ¾ of a pixel from the limb) evaluates the law once at its
centre; a pixel the limb crosses averages 16×16 rays spread over it when the disc's radius is
:data:`TINY_DISC_PX` to :data:`SMALL_DISC_PX` pixels, and, for a larger disc, whose limb is nearly
straight across a pixel, takes the limb's analytic coverage of the pixel times the law at the middle of
the covered part. A disc under a pixel in radius (the Sun is 0.6 px across at 60° and 720 lines) is a
square of its area at its mean radiance, each pixel taking its exact overlap: the pixels sum to the
disc's flux wherever it falls on the grid. Measured: the flux within 2 % at radii 0.19, 1.2, 4.2 and 12 px.

Drawing. The pass runs after the stars and before the bodies, additively (blend ONE, ONE; alpha 0,
``write_additive``): it is background, and a body drawn over it (premultiplied "over" with its limb's
coverage) or the spacecraft hides it pixel by pixel. No depth is written or tested.

Exposure. Its pixels are ≥ 300 at any field of view up to 170°, far above any lit or glowing surface
(≤ ~1.5), and :data:`viewer.render.exposure.SUN_MIN_RADIANCE` keeps such pixels out of the ``auto``
exposure's statistics: the Sun saturates under any exposure that shows a moon and never sets it.

Glare (:class:`GlarePass`). A lens-like glow around a saturated Sun, drawn after the tone map into the
8-bit image (display-space, so it looks the same under every exposure and never enters the radiance, the
``--linear`` output or the metering): display-linear level g(t) = s·:data:`GLARE_PEAK`·e^(−t)·(1 − (t/4)²)²
for t = (r − r_disc)/r_g ≤ 4, r the distance from the disc's centre in output pixels, r_g =
:data:`GLARE_SCALE` × the image height (≈ 8.6 px at 720 lines, so it ends 35 px out), composited with a
"screen" blend (1 − (1 − a)(1 − b)) so it brightens and never clips a pixel beyond white. It lies on the
sky only: each pixel's glare is scaled by the part of it no surface covers (1 − the HDR coverage), so a
body in front of the Sun, or beside it, keeps its own pixels and a crisp limb. s, its strength,
is the product of the fraction of the Sun's disc visible from the camera past Jupiter and the moons
(:meth:`viewer.sim.world.Snapshot.sun_visible_fraction`: a Sun behind Jupiter has no glare) and how far
the brightest disc pixel is over white: clamp(log2(x/x_white)/:data:`GLARE_STOPS`, 0, 1), x its exposed
radiance and x_white the curve's display 0.99 (:func:`glare_strength`). A Sun exposed to show its disc
(not saturated) has none.

Must not import: ``viewer.cli``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.render.exposure import ToneSettings, curve_inverse, shader_defines
from viewer.render.passes import NO_FOOTPRINT, perpendicular_basis, pixel_quad, quad_footprint
from viewer.render.passes.bodies import silhouette_quad
from viewer.render.shaders import program_cache
from viewer.render.view import View
from viewer.sim.constants import SUN_RADIUS_KM

#: Neckel & Labs (1994) Table 1: I(μ)/I(1) = Σ A_k μ^k, rows (red 610.975 nm, green 541.760 nm,
#: blue 457.345 nm), columns A_0 … A_5.
NECKEL_LABS_1994 = np.array([
    [0.30854, 1.36620, -1.83572, 2.33221, -1.63082, 0.45959],
    [0.26073, 1.27428, -1.30352, 1.47085, -0.96618, 0.26384],
    [0.16604, 1.38544, -1.52275, 2.00232, -1.45969, 0.42864],
])
#: Rays per side averaged in a pixel the Sun's limb crosses (16 × 16), for a disc of a radius from
#: TINY_DISC_PX to SMALL_DISC_PX pixels; a larger one takes the limb's analytic coverage instead (at
#: 1280×720 a 37 px Sun cost ~45 ms with rays, 2.7 ms so; its flux is within 1 % either way), a smaller
#: one is drawn as a square of its area (16² rays left 5 % of a 0.2 px disc's flux to chance).
LIMB_SAMPLES = 16
SMALL_DISC_PX = 8.0
TINY_DISC_PX = 1.0
#: Glare: display-linear level next to the disc, its e-folding length as a fraction of the image
#: height, and the stops over white at which it reaches full strength.
GLARE_PEAK = 0.85
GLARE_SCALE = 0.012
GLARE_STOPS = 4.0
#: The glare reaches this many e-folding lengths beyond the disc (where its taper is 0).
GLARE_REACH = 4.0


def limb_darkening(mu: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """I(μ)/I(1) for R, G, B (Neckel & Labs 1994), shape (..., 3); μ = cos of the emergence angle."""
    m = np.clip(np.asarray(mu, dtype=np.float64), 0.0, 1.0)[..., None]
    powers = m ** np.arange(NECKEL_LABS_1994.shape[1])
    return np.asarray(np.einsum("...k,ck->...c", powers, NECKEL_LABS_1994), dtype=np.float64)


def disc_mean() -> npt.NDArray[np.float64]:
    """⟨I/I(1)⟩ over the disc, per channel: 2 Σ A_k/(k + 2)."""
    k = np.arange(NECKEL_LABS_1994.shape[1])
    return np.asarray(2.0 * (NECKEL_LABS_1994 / (k + 2.0)).sum(axis=1), dtype=np.float64)


def mean_radiance(sun_distance_km: float) -> float:
    """The Sun's disc-mean radiance in renderer units, 1/sin²θ_J = π/Ω_J, for the Sun–Jupiter distance
    ``sun_distance_km`` (the distance the unit refers to)."""
    s = SUN_RADIUS_KM / float(sun_distance_km)
    return 1.0 / (s * s)


def disc_radiance(mu: npt.ArrayLike, sun_distance_km: float) -> npt.NDArray[np.float64]:
    """The disc's radiance (R, G, B; renderer units) where the emergence angle's cosine is ``mu``."""
    return np.asarray(mean_radiance(sun_distance_km) * limb_darkening(mu) / disc_mean(), dtype=np.float64)


@dataclass(frozen=True)
class SunImage:
    """Where the Sun is in a view.

    Attributes
    ----------
    direction : unit vector to the Sun's centre, camera frame
    angular_radius : θ, radians, from the camera
    centre_px : (x right, y down) pixel coordinates of the centre in the view's pixels (pixel centres at
        +0.5; meaningless when ``direction`` points behind the camera)
    radius_px : the disc's radius in pixels: off the axis by α the projected disc is an ellipse of
        semi-axes f·tan θ/cos²α (radial) and f·tan θ/cos α; this is their geometric mean, f·tan θ/cos^1.5 α
    mean_radiance : L̄, renderer units
    """

    direction: npt.NDArray[np.float64]
    angular_radius: float
    centre_px: tuple[float, float]
    radius_px: float
    mean_radiance: float

    @property
    def in_front(self) -> bool:
        return bool(self.direction[2] < 0.0)


def sun_image(view: View) -> SunImage | None:
    """The Sun's place and size in ``view``, or None when the snapshot has no Sun."""
    snap = view.snapshot
    if "sun" not in snap.positions:
        return None
    sun = np.asarray(snap.positions["sun"], dtype=np.float64)
    rel = (sun - view.camera.position_km) @ view.camera.rotation
    dist = float(np.linalg.norm(rel))
    direction = rel / dist
    theta = math.asin(min(1.0, SUN_RADIUS_KM / dist))
    f = view.focal_px
    w, h = view.size
    if direction[2] < 0.0:
        cx = 0.5 * w + f * direction[0] / -direction[2]
        cy = 0.5 * h - f * direction[1] / -direction[2]
        cos_off = -direction[2]
        radius = f * math.tan(theta) / cos_off ** 1.5
    else:
        cx = cy = math.nan
        radius = 0.0
    return SunImage(direction, theta, (cx, cy), radius, mean_radiance(float(np.linalg.norm(sun))))


def disc_mode(radius_px: float) -> int:
    """``sun.frag``'s DISC_MODE for a disc of ``radius_px``: 0 analytic limb, 1 rays, 2 a square."""
    return 2 if radius_px < TINY_DISC_PX else 1 if radius_px < SMALL_DISC_PX else 0


class SunPass:
    """Draw the Sun's disc into the bound HDR target (additively, alpha 0), before the bodies.

    Parameters
    ----------
    context : GLContext
    """

    def __init__(self, context: Any) -> None:
        self.context = context
        self._defines = {"LIMB_SAMPLES": LIMB_SAMPLES}

    def _program(self, mode: int) -> Any:
        return program_cache(self.context).get("sun.vert", "sun.frag", {**self._defines, "DISC_MODE": mode})

    def prepare(self, view: View) -> None:
        """Compile the program the view needs (before the target is bound; a compile rebinds
        framebuffer 0)."""
        sun = sun_image(view)
        if sun is not None and sun.in_front:
            self._program(disc_mode(sun.radius_px))

    def footprint(self, view: View) -> npt.NDArray[np.float32]:
        """Where :meth:`draw` writes in ``view``: the disc's quad (NDC rectangles, see
        :mod:`viewer.render.passes`)."""
        sun = sun_image(view)
        if sun is None or not sun.in_front:
            return NO_FOOTPRINT
        return quad_footprint(silhouette_quad(view, view.snapshot.positions["sun"], SUN_RADIUS_KM))

    def draw(self, view: View) -> None:
        from vispy import gloo

        sun = sun_image(view)
        if sun is None or not sun.in_front:
            return
        quad = silhouette_quad(view, view.snapshot.positions["sun"], SUN_RADIUS_KM)
        if quad is None:
            return
        w, h = view.size
        tx, ty = view.tan_half_fov
        e1, e2 = perpendicular_basis(sun.direction)
        mode = disc_mode(sun.radius_px)
        program = self._program(mode)
        program["a_position"] = quad
        program["u_tan_half"] = (tx, ty)
        program["u_sun_dir"] = sun.direction.astype(np.float32)
        program["u_e1"] = e1.astype(np.float32)
        program["u_e2"] = e2.astype(np.float32)
        program["u_tan_radius"] = float(math.tan(sun.angular_radius))
        program["u_ray_per_px"] = (2.0 * tx / w, 2.0 * ty / h)
        program["u_radiance"] = (sun.mean_radiance / disc_mean()).astype(np.float32)
        for k in range(NECKEL_LABS_1994.shape[1]):
            program[f"u_ld[{k}]"] = NECKEL_LABS_1994[:, k].astype(np.float32)
        if mode == 2:
            program["u_mean"] = (sun.mean_radiance,) * 3
            program["u_centre_px"] = (float(sun.centre_px[0]), float(h - sun.centre_px[1]))
            program["u_square_px"] = float(sun.radius_px * math.sqrt(math.pi))
        gloo.set_state(depth_test=False, blend=True, blend_func=("one", "one"))
        program.draw("triangle_strip")


def white_level(tone: ToneSettings) -> float:
    """The exposed radiance the settings' curve maps to display 0.99 (white for the glare's purpose)."""
    return curve_inverse(tone, 0.99)


def glare_strength(peak_radiance: float, ev: float, tone: ToneSettings, visible: float) -> float:
    """The glare's strength s in [0, 1]: ``visible`` (the fraction of the disc not hidden) times
    clamp(log2(peak · 2^EV / x_white) / GLARE_STOPS, 0, 1), ``peak_radiance`` the brightest disc pixel."""
    exposed = peak_radiance * 2.0 ** ev
    if exposed <= 0.0 or visible <= 0.0:
        return 0.0
    over = math.log2(exposed / white_level(tone)) / GLARE_STOPS
    return float(visible * min(1.0, max(0.0, over)))


def glare_profile(r_px: npt.ArrayLike, disc_px: float, scale_px: float,
                  strength: float) -> npt.NDArray[np.float64]:
    """Display-linear glare level at ``r_px`` from the disc's centre (the numpy twin of glare.frag)."""
    t = np.maximum(np.asarray(r_px, dtype=np.float64) - disc_px, 0.0) / scale_px
    taper = np.clip(1.0 - (t / GLARE_REACH) ** 2, 0.0, 1.0) ** 2
    return np.asarray(strength * GLARE_PEAK * np.exp(-t) * taper, dtype=np.float64)


class GlarePass:
    """Draw the Sun's glare over the 8-bit image after the tone map (see the module docstring).

    Parameters
    ----------
    context : GLContext
    hide : bodies not drawn, which therefore hide no part of the Sun
    """

    def __init__(self, context: Any, hide: frozenset[str] = frozenset()) -> None:
        self.context = context
        self.hide = tuple(sorted(hide))
        #: The strength s of the last drawn glare (0: none drawn).
        self.strength = 0.0

    def _program(self, supersample: int) -> Any:
        return program_cache(self.context).get("sun.vert", "glare.frag",
                                               {**shader_defines(), "SUPERSAMPLE": supersample})

    def prepare(self, view: View) -> None:
        for s in (1, 2):
            self._program(s)

    def draw(self, view: View, target: Any, ev: float, tone: ToneSettings, hdr: Any) -> None:
        """Draw into ``target`` (the 8-bit :class:`~viewer.render.targets.LDRTarget`, which this binds),
        on the sky of ``hdr`` (the frame's :class:`~viewer.render.targets.HDRTarget`, whose coverage it
        reads); ``view`` is at ``hdr``'s render size."""
        from vispy import gloo

        self.strength = 0.0
        sun = sun_image(view)
        if sun is None or not sun.in_front:
            return
        out_size = target.size
        scale = out_size[1] / view.size[1]
        cx, cy = (sun.centre_px[0] * scale, sun.centre_px[1] * scale)
        disc = sun.radius_px * scale
        w, h = out_size
        # The brightest pixel: the centre's radiance, times the disc's share of a pixel when it is smaller.
        peak = sun.mean_radiance / float(disc_mean().mean()) * min(1.0, math.pi * disc * disc)
        visible = view.snapshot.sun_visible_fraction(view.camera.position_km, exclude=self.hide)
        s = glare_strength(peak, ev, tone, visible)
        if s <= 0.0:
            return
        g = GLARE_SCALE * h
        reach = disc + GLARE_REACH * g + 1.0
        x0, x1 = max(cx - reach, 0.0), min(cx + reach, float(w))
        y0, y1 = max(cy - reach, 0.0), min(cy + reach, float(h))
        if x0 >= x1 or y0 >= y1:
            return
        program = self._program(hdr.supersample)
        program["a_position"] = pixel_quad((x0, y0, x1, y1), out_size)
        program["u_hdr"] = hdr.texture
        program["u_texel"] = (1.0 / hdr.render_size[0], 1.0 / hdr.render_size[1])
        program["u_tan_half"] = view.tan_half_fov
        program["u_centre_px"] = (float(cx), float(h - cy))  # window coordinates: y up
        program["u_disc_px"] = float(disc)
        program["u_scale_px"] = float(g)
        program["u_level"] = float(s * GLARE_PEAK)
        program["u_reach"] = float(GLARE_REACH)
        with target:
            gloo.set_state(depth_test=False, blend=True, blend_func=("one", "one_minus_src_color"))
            program.draw("triangle_strip")
        self.strength = s
