"""JunoCam, the instrument: its detector and filter strips, optics, radial distortion, mounting on the
spacecraft and frame timing, as the instrument kernel ``juno_junocam_v03.ti`` and the USGS ISIS/ALE
camera model give them (docs/sources.md §4a). Pure numpy; the pushframe renderer that uses it is
:mod:`viewer.pushframe`.

Frames and units
----------------
* **Camera frame** ``JUNO_JUNOCAM`` (NAIF −61500): +z the boresight, +x along the detector's samples
  (columns, left to right in an image), +y along its lines (rows, downward in an image). Focal-plane
  coordinates are in detector pixels (7.4 µm), from the optical centre.
* **Framelet pixels** ``(sample, line)``: 0-based, integers at pixel centres (sample 0…1647, line 0…127),
  the convention of the kernel's distortion formulas (pixel index minus the centre). A binned detector
  (``binning`` b: b×b pixels summed, like JunoCam's 2×2 summing mode; used here for small test renders)
  has samples 0…1648/b−1 and lines 0…128/b−1, pixel (s, l) covering full-resolution pixels b·s…b·s+b−1.
* **Spacecraft frame** as in :mod:`viewer.sim.juno` (+Z the spin axis); directions elsewhere are J2000.

The detector and its strips (docs/sources.md §4a)
--------------------------------------------------
1648 samples of :data:`PIXEL_SIZE_MM` (7.4 µm) at :data:`FOCAL_LENGTH_MM` (10.95637 mm): f = 1480.59 px,
IFOV 675.4 µrad. Four filter strips (methane, blue, green, red) lie across the detector's full width, each
≈ 155 rows high; each reads out a framelet of :data:`FRAMELET_LINES` (128) lines. The optical centre is at
sample :data:`DISTORTION_X` (814.21) and, counted in each framelet's own lines, at the filter's
``DISTORTION_Y`` (kernel values: methane 315.48, blue 158.48, green 3.48, red −151.52). The kernel puts
the boresight at detector line :data:`BORESIGHT_LINE` (600) and ISIS starts each framelet at detector
line ``FILTER_OFFSET``, so ``FILTER_OFFSET = 600 − DISTORTION_Y`` — the kernel's methane value 284.52 is
that; blue 441.52, green 596.52 and red 751.52 are DERIVED here the same way (:attr:`Filter.
filter_offset`). The framelets' middle lines lie −252.0 (methane), −95.0 (blue), +60.0 (green) and
+215.0 (red) lines from the optical centre: 157, 155 and 155 rows apart.

The distortion
--------------
The kernel's radial model, as ISIS's ``JunoDistortionMap`` implements it (its ``SetUndistortedFocalPlane``
and the kernel's own ``distort``): an ideal pinhole point (x_u, y_u), pixels from the optical centre,
lands on the detector at

    (x_d, y_d) = (x_u, y_u) · (1 + K1·r² + K2·r⁴),   r² = x_u² + y_u²  (the *undistorted* radius)

with K1 = −5.9624209455667325e−08, K2 = 2.7381910042256151e−14 (barrel: 2.8 % at the detector's edge,
r ≈ 830 px). :func:`undistort` inverts it (Newton's method on the radius; the map is monotonic for every r
since 9·K1² < 20·K2). A pixel's ray is (x_u, y_u, f) for (x_u, y_u) = undistort(sample − 814.21,
line − DISTORTION_Y).

Mounting
--------
The constant rotation JUNO_SPACECRAFT → JUNO_JUNOCAM of the USGS ALE JunoCam test ISD
(:data:`MOUNTING_ISD`; rows: the camera's axes in the spacecraft frame), made exactly orthonormal
(:data:`SPACECRAFT_TO_CAMERA`, polar decomposition; it moves no element by more than 4e−8). The
boresight is ≈ −X of the spacecraft, 0.127° from the plane perpendicular to the +Z spin axis and 0.72°
round it; the samples run along −Z (the spin axis), the lines along −Y, so spin (right-handed about
+Z) carries the scene from high lines to low ones: red, green, blue, then methane.

Timing (ISIS ``JunoCamera``)
----------------------------
Frame k (0-based) of an image that starts at ``START_TIME`` opens its shutter at
START_TIME + :data:`START_TIME_BIAS_S` + k·(INTERFRAME_DELAY + :data:`INTERFRAME_DELTA_S`); all its
framelets are exposed together, for TDI × :data:`TDI_STEP_S` (3.2 ms per time-delay-integration step), and
their geometry is taken at mid-exposure, as ISIS takes it. TDI moves the charge one row per 3.2 ms with
the scene, so a framelet is sharp: at 2 rpm the scene moves 0.992 rows per step, a smear of
0.008 rows per step (:func:`tdi_smear_lines`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from viewer.errors import UserError
from viewer.sim.frames import rot_x
from viewer.sim.juno import JUNOCAM_FOCAL_LENGTH_MM, JUNOCAM_IFOV_RAD, JUNOCAM_PIXEL_SIZE_MM, SPIN_RATE_DEG_S

F64 = NDArray[np.float64]

#: Pixel pitch and focal length, mm; the focal length in pixels; the IFOV, rad (docs/sources.md §4a).
PIXEL_SIZE_MM = JUNOCAM_PIXEL_SIZE_MM
FOCAL_LENGTH_MM = JUNOCAM_FOCAL_LENGTH_MM
FOCAL_PX = FOCAL_LENGTH_MM / PIXEL_SIZE_MM
IFOV_RAD = JUNOCAM_IFOV_RAD
#: Detector samples (columns) across the spin axis, and rows of each filter strip (docs/sources.md §4a).
SAMPLES = 1648
STRIP_ROWS = 155
#: Lines of a framelet (one filter's readout per frame).
FRAMELET_LINES = 128
#: The detector line of the boresight (kernel, docs/sources.md §4a).
BORESIGHT_LINE = 600.0
#: The distortion's centre (sample) and coefficients (kernel, per pixel², pixel⁴; docs/sources.md §4a).
DISTORTION_X = 814.21
K1 = -5.9624209455667325e-08
K2 = 2.7381910042256151e-14
#: Frame timing: the kernel's fixed biases, s, and the TDI step (one row per 3.2 ms; docs/sources.md §4a).
START_TIME_BIAS_S = 0.06188
INTERFRAME_DELTA_S = 0.001
TDI_STEP_S = 3.2e-3
#: "Up to about 100 TDI steps" (docs/sources.md §4a).
MAX_TDI = 100
#: A label's INTERFRAME_DELAY (PJ4 sample) and the PJ58 Io image's TDI 2 (6.4 ms), the defaults here.
DEFAULT_INTERFRAME_DELAY_S = 0.375
DEFAULT_TDI = 2
#: Binning factors that divide both the 1648 samples and the 128 lines.
BINNINGS = (1, 2, 4, 8, 16)

#: JUNO_SPACECRAFT → JUNO_JUNOCAM as the USGS ALE JunoCam test ISD gives it (rows: camera x, y, z in the
#: spacecraft frame; docs/sources.md §4a).
MOUNTING_ISD = np.array([[0.0022410, -0.0022206, -0.9999950],
                         [0.0124863, -0.9999195, 0.0022484],
                         [-0.9999195, -0.0124913, -0.0022131]])


def _orthonormal(m: F64) -> F64:
    """The rotation nearest ``m`` (polar decomposition)."""
    u, _, vt = np.linalg.svd(m)
    return np.asarray(u @ vt, dtype=np.float64)


#: The mounting made exactly orthonormal: ``v_camera = SPACECRAFT_TO_CAMERA @ v_spacecraft``.
SPACECRAFT_TO_CAMERA = _orthonormal(MOUNTING_ISD)
#: The boresight (camera +z) in the spacecraft frame.
BORESIGHT_SC = SPACECRAFT_TO_CAMERA[2].copy()


@dataclass(frozen=True)
class Filter:
    """One filter strip: its name, NAIF instrument id, the framelet line of the optical centre
    (``DISTORTION_Y``, px) and its approximate response as weights on the renderer's linear (R, G, B)
    radiance (:mod:`viewer.pushframe` says how rough that is)."""

    name: str
    naif_id: int
    distortion_y: float
    rgb_weights: tuple[float, float, float]

    @property
    def filter_offset(self) -> float:
        """The detector line where the framelet starts: BORESIGHT_LINE − DISTORTION_Y (the kernel's
        value for methane; DERIVED for the others)."""
        return BORESIGHT_LINE - self.distortion_y

    @property
    def centre_line(self) -> float:
        """The framelet's middle line, counted from the optical centre (px; + toward the red strip)."""
        return 0.5 * (FRAMELET_LINES - 1) - self.distortion_y


#: The four strips, in the order a frame stacks them in a raw product (blue, green, red; then methane)
#: — DISTORTION_Y from the kernel (docs/sources.md §4a). The responses: each visible filter takes the
#: renderer's channel of its colour; the methane filter (≈ 890 nm, beyond the renderer's bands) the red
#: channel, a stand-in (:mod:`viewer.pushframe`).
FILTERS: dict[str, Filter] = {
    "blue": Filter("blue", -61501, 158.48, (0.0, 0.0, 1.0)),
    "green": Filter("green", -61502, 3.48, (0.0, 1.0, 0.0)),
    "red": Filter("red", -61503, -151.52, (1.0, 0.0, 0.0)),
    "methane": Filter("methane", -61504, 315.48, (1.0, 0.0, 0.0)),
}
#: The filters of JunoCam's usual colour images (the public raw products' three framelets per frame).
RGB_FILTERS = ("blue", "green", "red")


def get_filters(names: str | tuple[str, ...] | list[str]) -> tuple[Filter, ...]:
    """``"blue,green,red"`` (or a sequence of names) → the filters in raw-product order; UserError
    (one line) for an unknown or repeated name or none."""
    items = names.split(",") if isinstance(names, str) else list(names)
    keys = [str(n).strip().lower() for n in items if str(n).strip()]
    bad = [k for k in keys if k not in FILTERS]
    if bad or not keys or len(set(keys)) != len(keys):
        problem = (f"unknown filter {bad[0]!r}" if bad else "no filter given" if not keys
                   else "a filter is named twice")
        raise UserError(f"--filters {','.join(keys)}: {problem}; name some of {', '.join(FILTERS)}")
    return tuple(f for f in FILTERS.values() if f.name in keys)


def check_binning(binning: int) -> int:
    """``binning`` if it divides the detector (:data:`BINNINGS`), else UserError."""
    if binning not in BINNINGS:
        raise UserError(f"binning {binning}: use one of {', '.join(map(str, BINNINGS))}")
    return binning


def framelet_shape(binning: int = 1) -> tuple[int, int]:
    """(samples, lines) of a framelet binned ``binning``×``binning``."""
    b = check_binning(binning)
    return SAMPLES // b, FRAMELET_LINES // b


# --- the distortion --------------------------------------------------------------------------------

def distort(xu: ArrayLike, yu: ArrayLike) -> tuple[F64, F64]:
    """Ideal (pinhole) focal-plane coordinates → detector coordinates, pixels from the optical centre
    (the kernel's model: × (1 + K1·r² + K2·r⁴), r the undistorted radius)."""
    x, y = np.asarray(xu, dtype=np.float64), np.asarray(yu, dtype=np.float64)
    r2 = x * x + y * y
    dr = 1.0 + K1 * r2 + K2 * r2 * r2
    return x * dr, y * dr


def undistort(xd: ArrayLike, yd: ArrayLike, iterations: int = 8) -> tuple[F64, F64]:
    """Detector coordinates → ideal focal-plane coordinates, pixels from the optical centre: the
    inverse of :func:`distort`, by Newton's method on the radius (8 steps: exact to ~1e−12 px)."""
    x, y = np.asarray(xd, dtype=np.float64), np.asarray(yd, dtype=np.float64)
    rd = np.hypot(x, y)
    r = rd.copy()
    for _ in range(iterations):
        r2 = r * r
        f = r * (1.0 + K1 * r2 + K2 * r2 * r2) - rd
        r = r - f / (1.0 + 3.0 * K1 * r2 + 5.0 * K2 * r2 * r2)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(rd > 0.0, r / np.where(rd > 0.0, rd, 1.0), 1.0)
    return x * scale, y * scale


# --- pixels ⇄ rays -----------------------------------------------------------------------------------

def _full_resolution(sample: ArrayLike, line: ArrayLike, binning: int) -> tuple[F64, F64]:
    b = check_binning(binning)
    off = 0.5 * (b - 1)
    return (np.asarray(sample, dtype=np.float64) * b + off, np.asarray(line, dtype=np.float64) * b + off)


def detector_to_camera(xd: ArrayLike, yd: ArrayLike) -> F64:
    """Unit ray directions (…, 3), camera frame, of detector points (pixels from the optical centre,
    distorted)."""
    xu, yu = undistort(xd, yd)
    v = np.stack([xu, yu, np.full_like(xu, FOCAL_PX)], axis=-1)
    return np.asarray(v / np.linalg.norm(v, axis=-1, keepdims=True), dtype=np.float64)


def pixel_to_camera(sample: ArrayLike, line: ArrayLike, filt: Filter, binning: int = 1) -> F64:
    """Unit ray directions (…, 3), camera frame, of framelet pixels (``sample``, ``line``) of ``filt``."""
    s, ln = _full_resolution(sample, line, binning)
    return detector_to_camera(s - DISTORTION_X, ln - filt.distortion_y)


def camera_to_pixel(v: ArrayLike, filt: Filter, binning: int = 1) -> tuple[F64, F64, NDArray[np.bool_]]:
    """Framelet pixel coordinates (sample, line) of ``filt`` where camera-frame directions (…, 3) land,
    and whether each lies in front of the camera (z > 0; the others' coordinates are meaningless).
    Coordinates outside the framelet are returned as they fall."""
    d = np.asarray(v, dtype=np.float64)
    front = d[..., 2] > 0.0
    z = np.where(front, d[..., 2], 1.0)
    xd, yd = distort(FOCAL_PX * d[..., 0] / z, FOCAL_PX * d[..., 1] / z)
    s, ln = xd + DISTORTION_X, yd + filt.distortion_y
    off = 0.5 * (binning - 1)
    return (s - off) / binning, (ln - off) / binning, front


def field_extent() -> tuple[float, float, float, float]:
    """The four strips' outline on the detector, pixels from the optical centre (distorted, pixel edges):
    (x from, x to, y from, y to) — samples 0…1647 across, from the first line of the strip nearest line 0
    (methane) to the last of the farthest (red)."""
    x0, x1 = -0.5 - DISTORTION_X, SAMPLES - 0.5 - DISTORTION_X
    y0 = min(-0.5 - f.distortion_y for f in FILTERS.values())
    y1 = max(FRAMELET_LINES - 0.5 - f.distortion_y for f in FILTERS.values())
    return x0, x1, y0, y1


def field_outline(n: int) -> F64:
    """Unit camera-frame directions (4n, 3) around the outline of the four strips (:func:`field_extent`)
    through the distortion, walked corner to corner (corners at 0, n, 2n, 3n): what JunoCam's whole
    frame sees."""
    x0, x1, y0, y1 = field_extent()
    s = np.linspace(0.0, 1.0, n, endpoint=False)
    xd = np.concatenate([x0 + s * (x1 - x0), np.full(n, x1), x1 - s * (x1 - x0), np.full(n, x0)])
    yd = np.concatenate([np.full(n, y0), y0 + s * (y1 - y0), np.full(n, y1), y1 - s * (y1 - y0)])
    return detector_to_camera(xd, yd)


def camera_to_j2000(attitude: ArrayLike) -> F64:
    """Camera → J2000 matrices (columns: the camera's x, y, z in J2000) from the spacecraft attitude
    (spacecraft → J2000, columns X, Y, Z; e.g. ``snapshot.rotations["juno"]``)."""
    return np.asarray(np.asarray(attitude, dtype=np.float64) @ SPACECRAFT_TO_CAMERA.T, dtype=np.float64)


def tilt(angle: float) -> F64:
    """The rotation (camera frame → camera frame) that turns the boresight by ``angle`` (rad) toward +y
    (toward higher lines): its columns are the tilted frame's x, y, z axes (z = (0, sin, cos))."""
    return np.asarray(rot_x(-angle), dtype=np.float64)


# --- timing --------------------------------------------------------------------------------------

def exposure_s(tdi: int) -> float:
    """Exposure of TDI steps of 3.2 ms (the labels' EXPOSURE = TDI × 3.2 ms)."""
    if not 1 <= int(tdi) <= MAX_TDI or int(tdi) != tdi:
        raise UserError(f"--tdi {tdi}: use a whole number of TDI steps from 1 to {MAX_TDI} "
                        "(the exposure is 3.2 ms per step)")
    return int(tdi) * TDI_STEP_S


def frame_times(start_et: float, frames: int, interframe_delay_s: float, tdi: int) -> tuple[F64, F64]:
    """(shutter-open times, mid-exposure times) of frames 0…``frames``−1 of an image starting at TDB
    ``start_et`` (ISIS's JunoCamera timing; module docstring)."""
    k = np.arange(int(frames), dtype=np.float64)
    opens = start_et + START_TIME_BIAS_S + k * (interframe_delay_s + INTERFRAME_DELTA_S)
    return opens, opens + 0.5 * exposure_s(tdi)


def spin_step_rad(interframe_delay_s: float, spin_rate_deg_s: float = SPIN_RATE_DEG_S) -> float:
    """The spin between consecutive frames, rad."""
    return math.radians(spin_rate_deg_s) * (interframe_delay_s + INTERFRAME_DELTA_S)


def tdi_smear_lines(tdi: int, spin_rate_deg_s: float = SPIN_RATE_DEG_S) -> float:
    """Rows the scene moves during the exposure beyond what TDI follows, at the optical centre: TDI
    shifts one row per step, the spin moves the scene ω·3.2 ms/IFOV rows per step."""
    per_step = math.radians(spin_rate_deg_s) * TDI_STEP_S / IFOV_RAD
    return abs(per_step - 1.0) * int(tdi)


# --- the swath in spin coordinates ---------------------------------------------------------------------

def spin_coordinates(v_camera: ArrayLike) -> tuple[F64, F64]:
    """(longitude, latitude), rad, of camera-frame directions about the spacecraft's spin axis: latitude
    from the spin plane, longitude from the boresight's meridian, increasing toward +Z × boresight
    (the way the lines increase). Spin (right-handed about +Z) lowers every fixed direction's longitude
    at the spin rate and keeps its latitude."""
    d = np.asarray(v_camera, dtype=np.float64) @ SPACECRAFT_TO_CAMERA  # spacecraft frame
    e_x = BORESIGHT_SC - BORESIGHT_SC[2] * np.array([0.0, 0.0, 1.0])
    e_x /= np.linalg.norm(e_x)
    e_y = np.cross([0.0, 0.0, 1.0], e_x)
    lon = np.arctan2(d @ e_y, d @ e_x)
    lat = np.arcsin(np.clip(d[..., 2], -1.0, 1.0))
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def strip_edges(filt: Filter, binning: int = 1) -> tuple[F64, F64, F64, F64]:
    """The framelet's leading and trailing edges in spin coordinates: (lon_top, lat_top, lon_bottom,
    lat_bottom), rad, one value per sample column, along the top edge of line 0 and the bottom edge of
    the last line."""
    samples, lines = framelet_shape(binning)
    s = np.arange(samples, dtype=np.float64)
    top = spin_coordinates(pixel_to_camera(s, np.full_like(s, -0.5), filt, binning))
    bottom = spin_coordinates(pixel_to_camera(s, np.full_like(s, lines - 0.5), filt, binning))
    return top[0], top[1], bottom[0], bottom[1]


def frame_overlap(filt: Filter, interframe_delay_s: float, spin_rate_deg_s: float = SPIN_RATE_DEG_S,
                  n: int = 257) -> tuple[F64, F64]:
    """How consecutive frames' framelets of ``filt`` overlap as the spacecraft spins: (latitudes (n,),
    rad, across the strip's common latitude range; overlap at each, in IFOV units (pixels at the optical
    centre), negative where a gap opens). Frame k covers longitudes [top, bottom] + φ_k at each latitude,
    frame k+1 the same shifted by :func:`spin_step_rad`."""
    lon_t, lat_t, lon_b, lat_b = strip_edges(filt)
    lo = max(lat_t.min(), lat_b.min())
    hi = min(lat_t.max(), lat_b.max())
    lat = np.linspace(lo, hi, n)
    it, ib = np.argsort(lat_t), np.argsort(lat_b)
    top = np.interp(lat, lat_t[it], lon_t[it])
    bottom = np.interp(lat, lat_b[ib], lon_b[ib])
    overlap = bottom - top - spin_step_rad(interframe_delay_s, spin_rate_deg_s)
    return lat, np.asarray(overlap / IFOV_RAD, dtype=np.float64)


__all__ = ["BORESIGHT_SC", "FILTERS", "FOCAL_PX", "FRAMELET_LINES", "IFOV_RAD", "MOUNTING_ISD", "RGB_FILTERS",
           "SAMPLES", "SPACECRAFT_TO_CAMERA", "STRIP_ROWS", "Filter", "camera_to_j2000", "camera_to_pixel",
           "detector_to_camera", "distort", "field_extent", "field_outline", "frame_overlap", "frame_times",
           "framelet_shape", "get_filters", "pixel_to_camera", "spin_coordinates", "strip_edges",
           "tdi_smear_lines", "undistort"]
