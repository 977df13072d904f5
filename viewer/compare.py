"""Compare two images of Io: align THEIRS (a JunoCam product, another render) onto OURS by Io's limb.

Pure numpy / SciPy / scikit-image; no OpenGL. ``jupitershine compare`` (:mod:`viewer.cli.compare`) is the
command; docs/compare.md says how to use it and how to get a JunoCam image.

Coordinates and units
---------------------
Pixel coordinates are ``(x, y)`` = (column, row) in pixels, with pixel *centres* at integers (scikit-image's
convention for transforms), x to the right and y **down**, as the file is stored. Radii and offsets are in
pixels of the image named; the scale is a pure number (OURS px per THEIRS px). Angles reported to users
(``rotation_deg``) are in degrees, **positive counter-clockwise as the image is displayed** (y down);
scikit-image's ``SimilarityTransform.rotation`` turns +x toward +y, which on the screen is clockwise, so
``rotation_deg = -degrees(transform.rotation)``.

The method
----------
1. **Limb points** (:func:`find_limb`). The luminance is smoothed (Gaussian, σ = 1 px). The sky level is
   the median of the darkest 5 % of the pixels (under 15 % of the 99.5th percentile, or there is no black
   sky) and its noise the scaled median absolute deviation there;
   pixels above ``sky + max(6 noise, 3 % of (99.5th percentile − sky))`` are "not sky". The largest
   connected region of them, holes filled, is the disc. From its centroid, :data:`RAYS` rays go out; on
   each, the outermost disc sample is the crossing into sky, and the limb point is the maximum of the
   outward brightness drop (the most negative radial derivative) within ±4 px of it, refined to a
   fraction of a pixel by a parabola through the three samples around the minimum. A ray is dropped when
   the disc reaches the image border there (the frame cuts the disc: not a limb), or when the profile
   beyond the point does not stay at sky level for 4 px (another body behind).
2. **Terminator rejection.** The terminator is an *inner* edge: where the night side is too dark to be
   seen, the outermost crossing along a ray can be the terminator, but there the brightness falls off
   gently (Lambert: in proportion to the cosine of the incidence angle, over a good part of the radius)
   while at the limb against the sky it drops within a pixel or two. Points whose steepest drop is less
   than :data:`MIN_SHARPNESS` times the mean slope 3–6 px further in (a ramp, not a step), or under
   :data:`MIN_STRENGTH` of the 90th percentile of the sharp points' drops (a dim edge), are discarded;
   the remaining stray
   points (a dim horn, a hot spot) are rejected by RANSAC (``skimage.measure.ransac`` with
   ``CircleModel``, residual threshold 1 px + 0.5 % of the radius), which keeps the limb's circle.
3. **Ellipse.** ``EllipseModel`` is fitted to the RANSAC inliers when they cover at least
   :data:`ELLIPSE_MIN_ARC_DEG` of the limb (on a shorter arc an ellipse is poorly constrained and the
   circle is kept) and the ellipse is plausible for Io (axis ratio ≥ 0.8: Io's radii differ by 0.7 % and
   perspective elongates a limb by far less than 20 % in any image of the disc). The limb's *centre* and
   its *radius* (geometric mean of the semi-axes) enter the alignment.
4. **Translation and scale** come from the two limbs: THEIRS' limb centre is moved onto OURS', and THEIRS
   is scaled by ``radius_ours / radius_theirs``.
5. **Rotation** cannot come from a circle. Io's limb is a circle to within 1 %, so its fitted orientation
   says nothing reliable; the rotation comes from the image *content* inside the limb. Each image is
   resampled in polar coordinates about its own limb centre (``skimage.transform.warp_polar``) out to
   97 % of its own limb radius, with the same number of samples, so that after steps 1–4 both polar
   images cover the same part of the disc row for row: a rotation of the image about the limb centre is
   then a pure cyclic shift along the angle axis, which ``skimage.registration.phase_cross_correlation``
   measures to a small fraction of a row (:data:`POLAR_ANGLES` rows, upsampled 50×). It is run as a plain
   cross-correlation (``normalization=None``): the phase-only (whitened) form weights every frequency
   alike, and the finest ones hold the interpolation pattern of the pixel grid, which both images share
   unturned; it then found no turn for turns under ~8° of two synthetic discs. The mean of each
   radius over all angles is removed first (it is the same at every rotation: the limb darkening, the
   radial part of the phase). This needs some structure on the disc (surface markings, the terminator,
   the night side); a uniform disc lit face-on has none (angular contrast under
   :data:`MIN_ANGULAR_CONTRAST`): its rotation is then reported as 0 with ``rotation_peak`` 0, and a low
   peak in general says the rotation is not to be trusted. Log-polar resampling would also recover the
   scale, but the limb fixes the scale more precisely than content does, so the radius is linear.
6. **Residual.** THEIRS is warped onto OURS' pixel grid with the similarity (``warp``, bilinear), its limb
   found again, and the remaining offset between the two limb centres, the radius difference and a second
   polar correlation (rotation left over) are reported.
"""

from __future__ import annotations

import importlib
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.errors import UserError

__all__ = ["Comparison", "Limb", "align", "compare", "find_limb", "load_image", "luminance",
           "rotation_between", "write_outputs"]

FloatArray = npt.NDArray[np.float64]

#: The sky level is the median of this darkest fraction of the (smoothed) pixels ...
SKY_FRACTION = 0.05
#: ... and must be under this fraction of the 99.5th percentile (otherwise there is no black sky).
MAX_SKY_LEVEL = 0.15
#: Rays cast from the disc's centroid to find limb points (one every 0.5°).
RAYS = 720
#: Sampling step along a ray, px.
RAY_STEP_PX = 0.25
#: Half-width of the window around the crossing into sky where the steepest drop is sought, px.
EDGE_WINDOW_PX = 4.0
#: Run of sky beyond a limb point that must stay below the threshold, px; also the least distance from
#: the image border.
SKY_RUN_PX = 4.0
#: A limb point's brightness drop must be at least this fraction of the 90th percentile of all drops.
MIN_STRENGTH = 0.3
#: A limb point's drop must be at least this many times the mean slope 3 to 6 px inside it. Measured:
#: the terminator of a Lambert sphere ~1.0 (the brightness falls as steadily inside as at the edge); the
#: limb of a rendered Io 2–40, of a Lambert sphere at zero phase (darkening to nothing at the limb) 1.7+.
MIN_SHARPNESS = 1.5
#: Sigma clipping of the RANSAC inliers about their circle: rounds, the clip in robust standard
#: deviations (1.4826 × the median absolute residual), and a floor in px below which nothing is clipped.
CLIP_ROUNDS = 5
CLIP_SIGMA = 3.0
CLIP_FLOOR_PX = 0.1
#: Least number of limb points after rejection.
MIN_POINTS = 20
#: Least arc of the limb (degrees about the fitted centre) the inliers must span to fit anything.
MIN_ARC_DEG = 40.0
#: Least arc for an ellipse rather than a circle, degrees.
ELLIPSE_MIN_ARC_DEG = 180.0
#: Least minor/major axis ratio of a plausible limb ellipse.
MIN_AXIS_RATIO = 0.8
#: Angle samples of the polar images (0.25° each).
POLAR_ANGLES = 1440
#: Most radius samples of the polar images.
POLAR_MAX_RADII = 400
#: Polar images reach this fraction of the limb radius (the limb pixels themselves are mixed with sky).
POLAR_REACH = 0.97
#: Least standard deviation of a polar image across the angles, as a fraction of the disc's mean level,
#: for a rotation to be sought (a uniform disc lit face-on: 1e-4, from the pixel grid; Io's markings or
#: its terminator: 0.1–0.3).
MIN_ANGULAR_CONTRAST = 0.005
#: Upsampling of the phase correlation (the rotation is found to 0.25° / 50 = 0.005°).
POLAR_UPSAMPLE = 50
#: Rec. 709 luma weights of the stored (encoded) R, G, B values.
LUMA = (0.2126, 0.7152, 0.0722)


def _skimage(module: str) -> Any:
    """A scikit-image submodule (``"measure"``, ``"transform"``, …), typed Any: scikit-image's partial
    stubs leave its functions untyped."""
    return importlib.import_module(f"skimage.{module}")


# --- reading --------------------------------------------------------------------------------------------

def load_image(path: str | os.PathLike[str], what: str = "image") -> npt.NDArray[np.float32]:
    """An image file as float32 in [0, 1]: (H, W) grey or (H, W, 3) RGB, stored (encoded) values.

    PNG, JPEG or GIF (Pillow) or TIFF (tifffile), 8 or 16 bits (or float). Grey + alpha and RGBA are
    multiplied by their alpha (a transparent sky becomes black). ``what`` names the file in errors
    ("OURS", "THEIRS").

    Raises
    ------
    UserError
        One line: the file is missing, a folder, unreadable or corrupt, holds several frames, has a
        channel layout other than grey, grey + alpha, RGB or RGBA, or is smaller than 16 px a side.
    """
    import imageio.v3 as iio

    p = Path(path).expanduser()
    if not p.exists():
        raise UserError(f"{what} {p} does not exist; check the path")
    if p.is_dir():
        raise UserError(f"{what} {p} is a folder; give an image file (PNG, JPEG or TIFF)")
    with p.open("rb") as fh:
        head = fh.read(8)
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        plugin = "tifffile"  # Pillow reads 16-bit colour TIFFs at 8 bits
    elif head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")):
        plugin = "pillow"
    else:
        raise UserError(f"{what} {p} cannot be read as an image (it starts with neither a PNG, a JPEG, a "
                        "TIFF nor a GIF signature); re-download it or save it as PNG, JPEG or TIFF")
    try:
        raw = np.asarray(iio.imread(p, plugin=plugin))
    except Exception as exc:  # each decoder raises its own types (OSError, ValueError, SyntaxError, …)
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(f"{what} {p} cannot be read as an image ({detail}); re-download it or save it "
                        "as PNG, JPEG or TIFF") from None
    return _as_float(raw, p, what)


def _as_float(raw: npt.NDArray[Any], p: Path, what: str) -> npt.NDArray[np.float32]:
    """Pixels of any integer or float dtype → float32 [0, 1], grey (H, W) or RGB (H, W, 3)."""
    if raw.ndim == 3 and raw.shape[2] == 1:
        raw = raw[:, :, 0]
    if raw.ndim == 4 or (raw.ndim == 3 and raw.shape[2] > 4):
        raise UserError(f"{what} {p} holds several frames or {raw.shape[-1]} channels (shape "
                        f"{raw.shape}); give one grey, RGB or RGBA image (export one frame as PNG)")
    if raw.ndim not in (2, 3):
        raise UserError(f"{what} {p} has an unsupported layout {raw.shape}; give one grey, RGB or RGBA "
                        "image")
    if min(raw.shape[:2]) < 16:
        raise UserError(f"{what} {p} is {raw.shape[1]}×{raw.shape[0]} px; give an image at least 16 px "
                        "a side")
    if raw.dtype == np.bool_:
        data = raw.astype(np.float32)
    elif np.issubdtype(raw.dtype, np.integer):
        data = raw.astype(np.float32) / np.float32(np.iinfo(raw.dtype).max)
    elif np.issubdtype(raw.dtype, np.floating):
        data = np.nan_to_num(raw.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
        top = float(data.max())
        if top > 1.0:
            data /= np.float32(top)
    else:
        raise UserError(f"{what} {p} holds {raw.dtype} samples; save it as an 8- or 16-bit PNG or TIFF")
    data = np.clip(data, 0.0, 1.0)
    if data.ndim == 3 and data.shape[2] == 2:  # grey + alpha
        data = data[:, :, 0] * data[:, :, 1]
    elif data.ndim == 3 and data.shape[2] == 4:  # RGBA
        data = data[:, :, :3] * data[:, :, 3:4]
    return np.ascontiguousarray(data, dtype=np.float32)


def luminance(image: npt.NDArray[np.floating[Any]]) -> FloatArray:
    """(H, W) float64 luma of an (H, W) grey or (H, W, 3) RGB image (:data:`LUMA` weights on the stored
    values; edges and correlations need no linear light)."""
    if image.ndim == 2:
        return image.astype(np.float64)
    return np.asarray(np.asarray(image[:, :, :3], dtype=np.float64) @ np.array(LUMA), dtype=np.float64)


# --- the limb -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Limb:
    """Io's limb in one image; pixels of that image, ``(x, y)`` = (column, row), y down.

    Attributes
    ----------
    center : (x, y) of the fitted ellipse's (or circle's) centre, px
    semi_axes : (a, b), the semi-axes along ``orientation`` and across it, px (a = b for a circle)
    orientation_deg : angle of the ``a`` axis from +x, degrees, counter-clockwise as displayed
    model : ``"ellipse"`` or ``"circle"`` (the circle when the inliers span less than
        :data:`ELLIPSE_MIN_ARC_DEG` or the ellipse is implausible)
    points : (N, 2) limb points used (the RANSAC inliers), px
    rms_px : root-mean-square distance of ``points`` from the fitted curve, px
    arc_deg : arc of the limb the points span, degrees about ``center`` (360 minus the largest gap)
    rejected : limb candidates discarded (weak drops: the terminator, dim horns; RANSAC outliers)
    sky : sky level and threshold used, in [0, 1] luma
    """

    center: tuple[float, float]
    semi_axes: tuple[float, float]
    orientation_deg: float
    model: str
    points: FloatArray
    rms_px: float
    arc_deg: float
    rejected: int
    sky: tuple[float, float]

    @property
    def radius(self) -> float:
        """Geometric mean of the semi-axes (the radius of the circle of equal area), px."""
        return math.sqrt(self.semi_axes[0] * self.semi_axes[1])

    def summary(self) -> dict[str, Any]:
        """JSON-ready numbers (pixels and degrees)."""
        return {"center_px": [round(self.center[0], 4), round(self.center[1], 4)],
                "radius_px": round(self.radius, 4),
                "semi_axes_px": [round(self.semi_axes[0], 4), round(self.semi_axes[1], 4)],
                "orientation_deg": round(self.orientation_deg, 3), "model": self.model,
                "points": len(self.points), "rejected": self.rejected, "rms_px": round(self.rms_px, 4),
                "arc_deg": round(self.arc_deg, 1),
                "sky_level": round(self.sky[0], 5), "threshold": round(self.sky[1], 5)}


class NoLimb(UserError):
    """No limb could be fitted in an image (the message names the reason)."""


def _sky(smooth: FloatArray) -> tuple[float, float, float]:
    """(sky level, sky noise, 99.5th percentile) of a smoothed luma image, [0, 1]."""
    flat = smooth.ravel()
    n = max(1, round(SKY_FRACTION * flat.size))
    dark = np.partition(flat, n - 1)[:n]
    level = float(np.median(dark))
    noise = 1.4826 * float(np.median(np.abs(dark - level)))
    return level, noise, float(np.percentile(flat, 99.5))


def _disc_mask(smooth: FloatArray, threshold: float) -> npt.NDArray[np.bool_]:
    """The largest connected region above ``threshold``, holes filled."""
    from scipy import ndimage
    labels = _skimage("measure").label(smooth > threshold, connectivity=2)
    if labels.max() == 0:
        return np.zeros(smooth.shape, dtype=bool)
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    return np.asarray(ndimage.binary_fill_holes(labels == int(np.argmax(sizes))), dtype=bool)


def _edge_points(smooth: FloatArray, disc: npt.NDArray[np.bool_], threshold: float,
                 rays: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Candidate limb points (N, 2) (x, y) px, their brightness drops (N,) (luma per px, the steepest
    outward slope) and their sharpness (N,) (the drop over the mean slope from 6 to 3 px inside), one
    per ray at most (module docstring, steps 1–2)."""
    from scipy import ndimage

    h, w = smooth.shape
    ys, xs = np.nonzero(disc)
    cx, cy = float(xs.mean()), float(ys.mean())
    reach = float(np.hypot(xs - cx, ys - cy).max()) + EDGE_WINDOW_PX + SKY_RUN_PX + 2.0
    r = np.arange(0.0, reach, RAY_STEP_PX)
    phi = np.linspace(0.0, 2.0 * np.pi, rays, endpoint=False)
    x = cx + np.cos(phi)[:, None] * r[None, :]
    y = cy + np.sin(phi)[:, None] * r[None, :]
    in_frame = (x >= 0) & (x <= w - 1) & (y >= 0) & (y <= h - 1)
    # cubic spline: a bilinear profile has a piecewise-constant slope, whose steepest piece snaps the
    # limb to the pixel grid (biases of ~0.25 px)
    profile = ndimage.map_coordinates(smooth, [y, x], order=3, mode="nearest")
    on_disc = ndimage.map_coordinates(disc.astype(np.float32), [y, x], order=0, mode="constant") > 0.5
    slope = np.gradient(profile, RAY_STEP_PX, axis=1)

    window = round(EDGE_WINDOW_PX / RAY_STEP_PX)
    run = round(SKY_RUN_PX / RAY_STEP_PX)
    points, drops, sharpness = [], [], []
    n = r.size
    in3, in6 = round(3.0 / RAY_STEP_PX), round(6.0 / RAY_STEP_PX)
    for k in range(rays):
        hits = np.flatnonzero(on_disc[k])
        if hits.size == 0:
            continue
        last = int(hits[-1])
        lo, hi = max(1, last - window), min(n - 2, last + window)
        if hi <= lo:
            continue
        j = lo + int(np.argmin(slope[k, lo:hi + 1]))
        start = max(j, last) + round(1.0 / RAY_STEP_PX)  # 1 px past the last disc sample
        if start + run >= n or not in_frame[k, start + run] or not in_frame[k, j]:
            continue  # the frame cuts the disc here (or no room to see the sky beyond)
        if profile[k, start:start + run].max() > threshold:
            continue  # not sky beyond: another body, or the frame
        s0, s1, s2 = slope[k, j - 1], slope[k, j], slope[k, j + 1]
        denom = s0 - 2.0 * s1 + s2
        frac = 0.5 * (s0 - s2) / denom if denom > 0 else 0.0
        rj = r[j] + float(np.clip(frac, -1.0, 1.0)) * RAY_STEP_PX
        points.append((cx + math.cos(phi[k]) * rj, cy + math.sin(phi[k]) * rj))
        drops.append(-s1)
        inner = (profile[k, j - in3] - profile[k, j - in6]) / 3.0 if j >= in6 else 0.0
        sharpness.append(-s1 / inner if inner > 0.0 else math.inf)
    return (np.asarray(points, dtype=np.float64).reshape(-1, 2), np.asarray(drops, dtype=np.float64),
            np.asarray(sharpness, dtype=np.float64))


def _arc_deg(points: FloatArray, center: tuple[float, float]) -> float:
    """Arc spanned by ``points`` about ``center``: 360° minus the largest angular gap, degrees."""
    if len(points) < 2:
        return 0.0
    ang = np.sort(np.degrees(np.arctan2(points[:, 1] - center[1], points[:, 0] - center[0])))
    gaps = np.diff(np.concatenate([ang, ang[:1] + 360.0]))
    return float(360.0 - gaps.max())


def find_limb(image: npt.NDArray[np.floating[Any]], what: str = "image", rays: int = RAYS) -> Limb:
    """Fit Io's limb in an image (module docstring, steps 1–3).

    Parameters
    ----------
    image : (H, W) grey or (H, W, 3) RGB, values in [0, 1] (:func:`load_image`)
    what : the image's name in error messages
    rays : rays cast from the disc's centroid

    Raises
    ------
    NoLimb (a UserError)
        One line: nothing stands out from the sky (all black, a flat field), or too few limb points
        against the sky remain (the disc fills or leaves the frame), or they span too short an arc.
    """
    from scipy import ndimage

    measure = _skimage("measure")
    circle_model, ellipse_model = measure.CircleModel, measure.EllipseModel
    smooth = ndimage.gaussian_filter(luminance(image), 1.0)
    level, noise, peak = _sky(smooth)
    contrast = peak - level
    if contrast < max(10.0 * noise, 0.02):
        raise NoLimb(f"{what}: no disc brighter than the sky (a blank or flat image: brightest "
                     f"{peak:.3f}, sky {level:.3f}); give an image that shows Io against black sky")
    if level > MAX_SKY_LEVEL * peak:
        raise NoLimb(f"{what}: no black sky (the darkest {SKY_FRACTION:.0%} of the image is at "
                     f"{level / peak:.0%} of its brightest); give an image that shows Io's limb against "
                     "black sky")
    threshold = level + max(6.0 * noise, 0.03 * contrast)
    disc = _disc_mask(smooth, threshold)
    points, drops, sharpness = _edge_points(smooth, disc, threshold, rays)
    hint = "give an image where part of Io's limb is seen against black sky"
    if len(points) < MIN_POINTS:
        raise NoLimb(f"{what}: no limb against the sky found ({len(points)} edge points; the disc "
                     f"fills the frame or is cut by it, or there is no sky); {hint}")
    sharp = sharpness >= MIN_SHARPNESS
    if sharp.sum() < MIN_POINTS:
        raise NoLimb(f"{what}: no limb against the sky found, only a soft edge ({int(sharp.sum())} sharp "
                     f"points of {len(points)}: a terminator with a black night side beyond?); {hint}")
    strong = sharp & (drops >= MIN_STRENGTH * np.percentile(drops[sharp], 90))
    candidates = points[strong]
    if len(candidates) < MIN_POINTS:
        raise NoLimb(f"{what}: only {len(candidates)} sharp limb points; {hint}")
    scale = float(np.ptp(candidates, axis=0).max())
    model, inliers = measure.ransac(candidates, circle_model, min_samples=3,
                            residual_threshold=1.0 + 0.005 * scale / 2.0, max_trials=400,
                            rng=np.random.default_rng(0))
    if model is None or inliers is None or int(inliers.sum()) < MIN_POINTS:
        raise NoLimb(f"{what}: the edge points do not lie on a circle; {hint}")
    kept = candidates[inliers]
    for _ in range(CLIP_ROUNDS):  # sigma clipping: the horns, where the limb meets the terminator
        circle = circle_model.from_estimate(kept)
        if not circle:
            raise NoLimb(f"{what}: the limb points do not fit a circle; {hint}")
        res = np.abs(circle.residuals(kept))
        keep = res <= max(CLIP_SIGMA * 1.4826 * float(np.median(res)), CLIP_FLOOR_PX)
        if keep.all() or keep.sum() < MIN_POINTS:
            break
        kept = kept[keep]
    center = (float(circle.center[0]), float(circle.center[1]))
    radius = float(circle.radius)
    arc = _arc_deg(kept, center)
    if arc < MIN_ARC_DEG:
        raise NoLimb(f"{what}: the limb seen against the sky spans only {arc:.0f}° (at least "
                     f"{MIN_ARC_DEG:.0f}° needed); {hint}")
    rejected = len(points) - len(kept)
    sky = (level, threshold)
    if arc >= ELLIPSE_MIN_ARC_DEG:
        ellipse = ellipse_model.from_estimate(kept)
        if ellipse:
            a, b = (float(v) for v in ellipse.axis_lengths)
            ec = (float(ellipse.center[0]), float(ellipse.center[1]))
            theta = float(ellipse.theta)
            if b > a:
                a, b, theta = b, a, theta + math.pi / 2.0
            if (b / a >= MIN_AXIS_RATIO and math.dist(ec, center) < 0.05 * radius):
                rms = float(np.sqrt(np.mean(ellipse.residuals(kept) ** 2)))
                orientation = (-math.degrees(theta) + 90.0) % 180.0 - 90.0
                return Limb(ec, (a, b), orientation, "ellipse", kept, rms, _arc_deg(kept, ec), rejected,
                            sky)
    rms = float(np.sqrt(np.mean(circle.residuals(kept) ** 2)))
    return Limb(center, (radius, radius), 0.0, "circle", kept, rms, arc, rejected, sky)


# --- rotation -------------------------------------------------------------------------------------------

def _polar(gray: FloatArray, limb: Limb, radii: int) -> tuple[FloatArray, float]:
    """(POLAR_ANGLES, radii) polar resampling about the limb centre out to POLAR_REACH of its radius,
    row i at the angle 2π i / POLAR_ANGLES from +x toward +y (clockwise as displayed), with each radius'
    mean over the angles removed; and the mean of the resampled values (the disc's level)."""
    polar = _skimage("transform").warp_polar(gray, center=(limb.center[1], limb.center[0]),
                                             radius=POLAR_REACH * limb.radius,
                                             output_shape=(POLAR_ANGLES, radii), scaling="linear", order=1)
    return (np.asarray(polar - polar.mean(axis=0, keepdims=True), dtype=np.float64),
            float(np.mean(polar)))


def rotation_between(ours: FloatArray, ours_limb: Limb, theirs: FloatArray,
                     theirs_limb: Limb) -> tuple[float, float]:
    """The rotation about the limb centres that turns THEIRS' content onto OURS' (step 5).

    Parameters
    ----------
    ours, theirs : (H, W) luma images
    ours_limb, theirs_limb : their limbs (:func:`find_limb`)

    Returns
    -------
    (rotation, peak) : rotation in degrees, counter-clockwise as displayed, in (-180, 180]; ``peak``, the
        correlation coefficient of the two polar images once turned (1: the same content; near 0: no
        common structure, and the rotation means nothing).
    """
    from scipy import ndimage

    radii = int(min(POLAR_MAX_RADII, max(16, round(ours_limb.radius))))
    a, level_a = _polar(ours, ours_limb, radii)
    b, level_b = _polar(theirs, theirs_limb, radii)
    if (float(np.std(a)) <= MIN_ANGULAR_CONTRAST * abs(level_a)
            or float(np.std(b)) <= MIN_ANGULAR_CONTRAST * abs(level_b)):
        return 0.0, 0.0  # a disc that looks alike at every turn: no rotation to find
    shift, _, _ = _skimage("registration").phase_cross_correlation(a, b, upsample_factor=POLAR_UPSAMPLE,
                                                                   normalization=None)
    rows = float(shift[0])
    turned = ndimage.shift(b, (rows, 0.0), order=3, mode="grid-wrap")
    peak = float(np.sum(a * turned) / math.sqrt(float(np.sum(a * a)) * float(np.sum(turned * turned))))
    # a feature at polar row i of THEIRS is at row i + shift in OURS: OURS = THEIRS turned by +shift rows
    # in the +x → +y sense, i.e. clockwise as displayed.
    deg = -rows * 360.0 / POLAR_ANGLES
    deg = (deg + 180.0) % 360.0 - 180.0
    if deg == -180.0:
        deg = 180.0
    return deg, max(peak, 0.0)


# --- the comparison -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    """Result of :func:`compare`: THEIRS mapped onto OURS.

    Attributes
    ----------
    ours_limb, theirs_limb : the limbs found (each in its own image's pixels)
    scale : OURS px per THEIRS px (``radius_ours / radius_theirs``)
    rotation_deg : the turn applied to THEIRS, degrees, counter-clockwise as displayed
    rotation_peak : phase-correlation peak of the rotation (0–1; low: little structure to go by)
    offset_px : (dx, dy), OURS' limb centre minus THEIRS' limb centre, px
    transform : ``skimage.transform.SimilarityTransform`` taking THEIRS' pixel (x, y) to OURS'
    aligned : THEIRS resampled onto OURS' pixel grid, same channels as THEIRS
    residual_offset_px : (dx, dy), OURS' limb centre minus the aligned THEIRS' limb centre, px
    residual_radius_px : aligned THEIRS' limb radius minus OURS', px
    residual_rotation_deg : rotation still between OURS and the aligned THEIRS, degrees
    """

    ours_limb: Limb
    theirs_limb: Limb
    scale: float
    rotation_deg: float
    rotation_peak: float
    offset_px: tuple[float, float]
    transform: Any
    aligned: npt.NDArray[np.float32]
    residual_offset_px: tuple[float, float]
    residual_radius_px: float
    residual_rotation_deg: float

    @property
    def residual_px(self) -> float:
        """Length of :attr:`residual_offset_px`, px."""
        return math.hypot(*self.residual_offset_px)

    def summary(self) -> dict[str, Any]:
        """JSON-ready numbers (pixels, degrees; null where the aligned limb was not found)."""
        m = np.asarray(self.transform.params)
        return {"offset_px": [_num(v) for v in self.offset_px],
                "scale": _num(self.scale, 6), "rotation_deg": _num(self.rotation_deg),
                "rotation_peak": _num(self.rotation_peak),
                "residual": {"offset_px": [_num(v) for v in self.residual_offset_px],
                             "offset_norm_px": _num(self.residual_px),
                             "radius_px": _num(self.residual_radius_px),
                             "rotation_deg": _num(self.residual_rotation_deg)},
                "transform_theirs_to_ours": [[_num(float(v), 8) for v in row] for row in m[:2]],
                "ours_limb": self.ours_limb.summary(), "theirs_limb": self.theirs_limb.summary()}


def _num(value: float, digits: int = 4) -> float | None:
    """``value`` rounded for JSON; None (null) when it is not finite."""
    return round(float(value), digits) if math.isfinite(value) else None


def align(ours_limb: Limb, theirs_limb: Limb, rotation_deg: float) -> Any:
    """The similarity transform (``skimage.transform.SimilarityTransform``) taking THEIRS' pixels to
    OURS': THEIRS' limb centre onto OURS', scaled by the radii's ratio, turned by ``rotation_deg``
    (degrees, counter-clockwise as displayed) about the centre."""
    s = ours_limb.radius / theirs_limb.radius
    rot = -math.radians(rotation_deg)  # scikit-image: +x toward +y (clockwise as displayed)
    c, si = math.cos(rot), math.sin(rot)
    tx, ty = theirs_limb.center
    ox, oy = ours_limb.center
    translation = (ox - s * (c * tx - si * ty), oy - s * (si * tx + c * ty))
    return _skimage("transform").SimilarityTransform(scale=s, rotation=rot, translation=translation)


def compare(ours: npt.NDArray[np.float32], theirs: npt.NDArray[np.float32], *,
            rotation: bool = True) -> Comparison:
    """Align THEIRS onto OURS by Io's limb and content (module docstring).

    Parameters
    ----------
    ours, theirs : (H, W) grey or (H, W, 3) RGB images in [0, 1] (:func:`load_image`); sizes may differ
    rotation : estimate the rotation from the content (False: assume none)

    Raises
    ------
    NoLimb (a UserError)
        Either image has no limb to fit.
    """
    gray_o, gray_t = luminance(ours), luminance(theirs)
    limb_o = find_limb(ours, "OURS")
    limb_t = find_limb(theirs, "THEIRS")
    deg, peak = rotation_between(gray_o, limb_o, gray_t, limb_t) if rotation else (0.0, 0.0)
    tform = align(limb_o, limb_t, deg)
    aligned = _skimage("transform").warp(theirs, tform.inverse, output_shape=ours.shape[:2], order=1,
                                         mode="constant", cval=0.0, preserve_range=True).astype(np.float32)
    try:
        limb_a = find_limb(aligned, "THEIRS (aligned)")
    except NoLimb:
        limb_a = None
    if limb_a is None:
        residual, dr, drot = (math.nan, math.nan), math.nan, math.nan
    else:
        residual = (limb_o.center[0] - limb_a.center[0], limb_o.center[1] - limb_a.center[1])
        dr = limb_a.radius - limb_o.radius
        drot = rotation_between(gray_o, limb_o, luminance(aligned), limb_a)[0] if rotation else 0.0
    offset = (limb_o.center[0] - limb_t.center[0], limb_o.center[1] - limb_t.center[1])
    return Comparison(limb_o, limb_t, limb_o.radius / limb_t.radius, deg, peak, offset, tform, aligned,
                      residual, dr, drot)


# --- pictures -------------------------------------------------------------------------------------------

def _rgb8(image: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.uint8]:
    """(H, W, 3) uint8 of a grey or RGB [0, 1] image."""
    rgb = np.repeat(image[:, :, None], 3, axis=2) if image.ndim == 2 else image[:, :, :3]
    return np.asarray(np.round(np.clip(rgb, 0.0, 1.0) * 255.0), dtype=np.uint8)


def _disc_level(gray: FloatArray, limb: Limb) -> float:
    """The 99th percentile of the luma inside the limb (a robust 'bright surface' level), > 0."""
    h, w = gray.shape
    yy, xx = np.mgrid[0:h, 0:w]
    inside = np.hypot(xx - limb.center[0], yy - limb.center[1]) < 0.97 * limb.radius
    values = gray[inside] if inside.any() else gray.ravel()
    return max(float(np.percentile(values, 99)), 1e-6)


def _draw_limb(rgb: npt.NDArray[np.uint8], limb: Limb) -> None:
    """Mark OURS' fitted limb in green, one pixel wide, in place."""
    a, b = limb.semi_axes
    rr, cc = _skimage("draw").ellipse_perimeter(round(limb.center[1]), round(limb.center[0]), round(b),
                                                round(a), orientation=math.radians(limb.orientation_deg),
                                                shape=rgb.shape[:2])
    rgb[rr, cc] = (0, 220, 0)


def pictures(ours: npt.NDArray[np.float32], result: Comparison
             ) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint8], list[npt.NDArray[np.uint8]]]:
    """(side by side, difference, blink frames), each (H, W', 3) uint8.

    * side by side: OURS | 4 px gap | THEIRS aligned, both as stored, OURS' fitted limb drawn in green
      on both (a misalignment shows as the limb off THEIRS' edge);
    * difference: OURS − THEIRS aligned, each luma divided by its disc's 99th percentile (exposures
      differ): red where OURS is brighter, cyan where THEIRS is, full colour at a difference of 0.5 of
      the disc level;
    * blink: OURS, then THEIRS aligned with its brightness scaled to OURS' disc level.
    """
    gray_o, gray_a = luminance(ours), luminance(result.aligned)
    level_o = _disc_level(gray_o, result.ours_limb)
    level_a = _disc_level(gray_a, result.ours_limb)
    left, right = _rgb8(ours), _rgb8(result.aligned)
    _draw_limb(left, result.ours_limb)
    _draw_limb(right, result.ours_limb)
    gap = np.full((left.shape[0], 4, 3), 64, dtype=np.uint8)
    side = np.concatenate([left, gap, right], axis=1)

    d = np.clip((gray_o / level_o - gray_a / level_a) / 0.5, -1.0, 1.0)
    diff = np.zeros((*d.shape, 3), dtype=np.float64)
    diff[:, :, 0] = np.maximum(d, 0.0)
    diff[:, :, 1] = diff[:, :, 2] = np.maximum(-d, 0.0)
    blink = [_rgb8(ours), _rgb8(result.aligned * np.float32(level_o / level_a))]
    return side, _rgb8(diff), blink


def write_outputs(folder: str | os.PathLike[str], ours: npt.NDArray[np.float32], result: Comparison,
                  info: dict[str, Any]) -> dict[str, Path]:
    """Write ``side_by_side.png``, ``difference.png``, ``blink.gif`` (two frames, 0.6 s each, looping)
    and ``compare.json`` (``info`` plus :meth:`Comparison.summary`) into ``folder`` (created if missing),
    each atomically (:mod:`viewer.atomic`). Returns {name: path}."""
    import json

    import imageio.v3 as iio

    from viewer.atomic import write_atomic, write_text_atomic

    out = Path(folder).expanduser()
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file; give a folder for the comparison's images")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder {out} ({exc.strerror or exc}); choose a folder you "
                        "can write to") from None
    side, diff, blink = pictures(ours, result)
    paths = {name: out / name for name in ("side_by_side.png", "difference.png", "blink.gif",
                                           "compare.json")}
    write_atomic(paths["side_by_side.png"], lambda tmp: iio.imwrite(tmp, side, extension=".png"))
    write_atomic(paths["difference.png"], lambda tmp: iio.imwrite(tmp, diff, extension=".png"))
    write_atomic(paths["blink.gif"], lambda tmp: iio.imwrite(tmp, np.stack(blink), extension=".gif",
                                                              duration=600, loop=0))
    record = {**info, **result.summary(), "outputs": {k: str(v) for k, v in paths.items()}}
    write_text_atomic(paths["compare.json"], json.dumps(record, indent=2, allow_nan=False) + "\n")
    return paths

