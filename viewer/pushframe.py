"""JunoCam's pushframe images, simulated: every framelet rendered at its own time and spin phase through
its filter strip and the instrument's distortion, exposed, and stacked like the mission's public raw
products (``jupitershine junocam``; the instrument model is :mod:`viewer.junocam`).

The distorted projection
------------------------
The renderer draws pinhole images; JunoCam's optics are not a pinhole (barrel distortion, 2.8 % at the
detector's ends). :class:`StripView` renders, for each frame, one pinhole image that covers the frame's
filter strips with a margin: the pinhole turned about the camera's x axis onto the strips' middle, at the
instrument's focal length (``scale`` render pixels per detector pixel), and resamples it at every
framelet pixel's exact ray — the pixel's undistorted focal-plane point through the kernel's model
(:func:`viewer.junocam.pixel_to_camera`), projected into the pinhole in float64: bilinear weights
computed once, since the strips do not move on the detector. So the distortion itself is exact; what
remains is the bilinear resampling of an image whose limbs are analytically anti-aliased. Measured
against the kernel's model (tests/render/test_pushframe_render.py), Io's limb in a resampled framelet
lies within the figures docs/junocam.md gives. Distorting in the vertex stage was not an option: the
bodies are ray-cast per pixel on screen-space quads, so their pixels' rays, not vertices, would have to
be bent (the shaders are the renderer's; one pinhole per frame keeps them shared).

Exposure, TDI and the filters
-----------------------------
A framelet pixel's value is DN = L_f · t_exp · :data:`DN_PER_RADIANCE_S` on a 12-bit scale (0…4095,
clipped), where L_f is the filter's radiance — an approximate response: blue, green and red take the
renderer's linear B, G and R radiance (sRGB primaries, not JunoCam's passbands), and the methane filter
(≈ 890 nm) takes R, a stand-in (Jupiter's methane absorption and Io's near-infrared colour are not
modelled) — and t_exp = TDI × 3.2 ms. :data:`DN_PER_RADIANCE_S` is ours, not a published responsivity
(none is in docs/sources.md): a white Lambert surface facing the Sun gives 3,000 DN at the PJ58 Io image's
6.4 ms. TDI follows the scene to 0.008 rows per step at 2 rpm (:func:`viewer.junocam.tdi_smear_lines`),
so a framelet is rendered sharp at mid-exposure. The 12-bit values are stored in 8 bits with a
square-root encoding (DN8 = round(255·√(DN/4095)), :func:`encode`), a stand-in for the instrument's
companding table, which lifts Io's night side (≈ 1 % of the day side's radiance) to ≈ 10 % of the range.

The product
-----------
``raw.png``: 8-bit grey, 1648/b samples wide, frames × filters × 128/b lines: frame 0's framelets (blue,
green, red, then methane if asked for, each its lines in order), then frame 1's, … (b the binning, 1
unless asked). ``label.json``: the product's keys after the mission's labels (START_TIME, INTERFRAME_DELAY,
EXPOSURE_DURATION, TDI_STAGES, LINES, LINE_SAMPLES, FILTER_NAME, …) and, per frame, its times and its
geometry — Juno's position, the camera → J2000 matrix, the target's centre and orientation — enough to
reproject the framelets without the simulation (:mod:`viewer.reproject`). Files are written atomically.

Must not import: ``viewer.cli``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer import junocam as jc
from viewer.errors import UserError
from viewer.junocam import Filter

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]

#: 12-bit DN per unit radiance per second of exposure (ours: radiance 1.0 → 3,000 DN at 6.4 ms).
DN_PER_RADIANCE_S = 3000.0 / 0.0064
#: The 12-bit scale's top.
DN_MAX = 4095.0
#: Render pixels per (binned) detector pixel at the optical centre.
DEFAULT_SCALE = 1.0
#: Render pixels kept around the strips' footprint (bilinear needs one).
MARGIN_PX = 2.0
#: Most frames one image may have, and the frames the automatic count looks ahead (a spin and a half).
MAX_FRAMES = 500
#: Limb points sampled to decide whether a framelet sees the target.
LIMB_POINTS = 720
#: Targets JunoCam can be pointed at by name.
TARGETS = ("jupiter", "io", "europa", "ganymede", "callisto")
#: Time step (s) and look-ahead chunks (s) of the search for the next time JunoCam sees the target.
SEARCH_STEP_S = 0.1
SEARCH_CHUNKS_S = (60.0, 3600.0)


# --- the distorted projection ----------------------------------------------------------------------

@dataclass(frozen=True)
class StripView:
    """One pinhole render covering a frame's filter strips and its resampling at the framelets' pixels
    (module docstring, "The distorted projection").

    Attributes
    ----------
    filters : the strips covered, in raw order
    binning : detector pixels summed per framelet pixel (1, 2, 4, 8, 16)
    tilt_rad : the pinhole's axis, turned from the boresight toward +y (the camera's lines), rad
    size : (width, height) of the pinhole render, pixels
    focal_px : its focal length, render pixels
    taps : per filter, the bilinear taps into the render: (flat indices (4, lines, samples), weights
        (4, lines, samples))
    """

    filters: tuple[Filter, ...]
    binning: int
    tilt_rad: float
    size: tuple[int, int]
    focal_px: float
    taps: dict[str, tuple[npt.NDArray[np.int64], F32]] = field(repr=False)

    @classmethod
    def build(cls, filters: Sequence[Filter], binning: int = 1, scale: float = DEFAULT_SCALE) -> StripView:
        """The view of ``filters`` for framelets binned ``binning``×``binning``, rendered at ``scale``
        render pixels per framelet pixel."""
        samples, lines = jc.framelet_shape(binning)
        s, ln = np.meshgrid(np.arange(samples, dtype=np.float64), np.arange(lines, dtype=np.float64))
        rays = {f.name: jc.pixel_to_camera(s, ln, f, binning) for f in filters}
        # The footprint's edges, to centre and size the pinhole on the whole framelets.
        es, el = np.meshgrid(np.linspace(-0.5, samples - 0.5, 65), np.linspace(-0.5, lines - 0.5, 9))
        edges = np.concatenate([jc.pixel_to_camera(es, el, f, binning).reshape(-1, 3) for f in filters])
        angles = np.arctan2(edges[:, 1], edges[:, 2])
        tilt = 0.5 * float(angles.min() + angles.max())
        turn = jc.tilt(tilt)
        focal = jc.FOCAL_PX / binning * float(scale)

        def project(v: F64) -> tuple[F64, F64]:
            w = v @ turn
            return focal * w[..., 0] / w[..., 2], focal * w[..., 1] / w[..., 2]

        x, y = project(edges)
        width = 2 * math.ceil(float(np.abs(x).max()) + MARGIN_PX)
        height = 2 * math.ceil(float(np.abs(y).max()) + MARGIN_PX)
        taps = {}
        for name, v in rays.items():
            px, py = project(v)
            taps[name] = _bilinear_taps(0.5 * width + px - 0.5, 0.5 * height + py - 0.5, width, height)
        return cls(tuple(filters), binning, tilt, (width, height), focal, taps)

    def camera_axes(self, attitude: npt.ArrayLike) -> F64:
        """The turned pinhole's axes in J2000 (columns x', y', z'; z' its axis) for a spacecraft
        attitude (spacecraft → J2000)."""
        return np.asarray(jc.camera_to_j2000(attitude) @ jc.tilt(self.tilt_rad), dtype=np.float64)

    def camera(self, position_km: npt.ArrayLike, attitude: npt.ArrayLike) -> Any:
        """The renderer's :class:`~viewer.render.camera.Camera` for this view from ``position_km``
        (jovicentric J2000) at ``attitude``: right = x', up = −y' (the lines run down), back = −z'."""
        from viewer.render.camera import Camera

        axes = self.camera_axes(attitude)
        rotation = np.stack([axes[:, 0], -axes[:, 1], -axes[:, 2]], axis=1)
        fov = math.degrees(2.0 * math.atan(0.5 * self.size[1] / self.focal_px))
        return Camera(np.asarray(position_km, dtype=np.float64), rotation, fov)

    def resample(self, image: npt.ArrayLike) -> dict[str, F32]:
        """The framelets (lines, samples, C) of each filter from a render (H, W, C) of this view."""
        img = np.asarray(image, dtype=np.float32)
        flat = img.reshape(-1, img.shape[-1])
        out = {}
        for name, (index, weight) in self.taps.items():
            out[name] = np.asarray(np.einsum("klsc,kls->lsc", flat[index], weight), dtype=np.float32)
        return out


def _bilinear_taps(col: F64, row: F64, width: int, height: int) -> tuple[npt.NDArray[np.int64], F32]:
    """Flat indices (4, …) and weights (4, …) of bilinear interpolation at (``col``, ``row``) array
    coordinates (pixel centres at integers) of a ``width`` × ``height`` image; clamped at the border."""
    c0 = np.floor(col)
    r0 = np.floor(row)
    fc, fr = col - c0, row - r0
    c0i = np.clip(c0.astype(np.int64), 0, width - 1)
    c1i = np.clip(c0.astype(np.int64) + 1, 0, width - 1)
    r0i = np.clip(r0.astype(np.int64), 0, height - 1)
    r1i = np.clip(r0.astype(np.int64) + 1, 0, height - 1)
    index = np.stack([r0i * width + c0i, r0i * width + c1i, r1i * width + c0i, r1i * width + c1i])
    weight = np.stack([(1 - fr) * (1 - fc), (1 - fr) * fc, fr * (1 - fc), fr * fc]).astype(np.float32)
    return index, weight


# --- radiometry --------------------------------------------------------------------------------------

def framelet_dn(radiance_rgb: npt.ArrayLike, filt: Filter, exposure: float) -> F32:
    """12-bit DN (float, clipped to 0…4095) of a framelet from the renderer's linear RGB radiance
    (lines, samples, 3) through ``filt``'s approximate response, exposed ``exposure`` seconds."""
    rgb = np.asarray(radiance_rgb, dtype=np.float64)[..., :3]
    dn = (rgb @ np.asarray(filt.rgb_weights)) * exposure * DN_PER_RADIANCE_S
    return np.asarray(np.clip(dn, 0.0, DN_MAX), dtype=np.float32)


def encode(dn: npt.ArrayLike) -> npt.NDArray[np.uint8]:
    """12-bit DN → 8 bits, square-root encoded (module docstring)."""
    d = np.clip(np.asarray(dn, dtype=np.float64), 0.0, DN_MAX)
    return np.asarray(np.rint(255.0 * np.sqrt(d / DN_MAX)), dtype=np.uint8)


def decode(dn8: npt.ArrayLike) -> F64:
    """8-bit square-root-encoded values → 12-bit DN (the inverse of :func:`encode`, to its step)."""
    return np.asarray(DN_MAX * (np.asarray(dn8, dtype=np.float64) / 255.0) ** 2, dtype=np.float64)


# --- what a framelet sees --------------------------------------------------------------------------

def limb_points(ellipsoid: Any, eye_km: npt.ArrayLike, n: int = LIMB_POINTS) -> F64:
    """Points (n, 3), jovicentric J2000 km, on the limb of ``ellipsoid`` (a :class:`~viewer.render.camera.
    Ellipsoid`) seen from ``eye_km`` outside it: the circle of tangency of the unit sphere the body's
    radii map it to, mapped back."""
    e = ellipsoid.scaled(np.asarray(eye_km, dtype=np.float64) - ellipsoid.centre_km)
    d2 = float(e @ e)
    unit = e / math.sqrt(d2)
    u = np.cross(unit, [1.0, 0.0, 0.0] if abs(unit[0]) < 0.9 else [0.0, 1.0, 0.0])
    u /= np.linalg.norm(u)
    w = np.cross(unit, u)
    theta = np.linspace(0.0, 2.0 * math.pi, n, endpoint=False)
    ring = np.cos(theta)[:, None] * u + np.sin(theta)[:, None] * w
    q = e / d2 + math.sqrt(max(1.0 - 1.0 / d2, 0.0)) * ring
    return np.asarray(ellipsoid.centre_km + (q * np.asarray(ellipsoid.radii_km)) @ ellipsoid.rotation.T,
                      dtype=np.float64)


def _ellipsoid(snap: Any, target: str) -> Any:
    from viewer.render.camera import ellipsoids

    found = [e for e in ellipsoids(snap) if e.name == target]
    if not found:
        raise UserError(f"target {target!r}: not in the world at this time; use one of {', '.join(TARGETS)}")
    return found[0]


def sees(snap: Any, filt: Filter, target: str, binning: int = 1) -> bool:
    """Whether ``filt``'s framelet, with Juno's attitude in ``snap``, sees any of ``target``'s ellipsoid:
    a limb point lands inside the framelet, or the framelet's middle ray meets the body (the body covers
    the whole framelet). Occultation by other bodies is not considered."""
    ell = _ellipsoid(snap, target)
    juno = np.asarray(snap.positions["juno"], dtype=np.float64)
    cam = jc.camera_to_j2000(snap.rotations["juno"])
    samples, lines = jc.framelet_shape(binning)
    s, ln, front = jc.camera_to_pixel((limb_points(ell, juno) - juno) @ cam, filt, binning)
    inside = front & (s >= -0.5) & (s <= samples - 0.5) & (ln >= -0.5) & (ln <= lines - 0.5)
    if bool(inside.any()):
        return True
    ray = cam @ jc.pixel_to_camera(0.5 * (samples - 1), 0.5 * (lines - 1), filt, binning)
    o, d = ell.scaled(juno - ell.centre_km), ell.scaled(ray)
    a, b, c = float(d @ d), float(o @ d), float(o @ o) - 1.0
    return b < 0.0 and b * b - a * c >= 0.0


@dataclass(frozen=True)
class Swath:
    """A strip's field in spin coordinates (:func:`viewer.junocam.spin_coordinates`), as a box: the
    longitudes its framelet spans and the latitudes all its columns share, rad."""

    lon: tuple[float, float]
    lat: tuple[float, float]

    @classmethod
    def of(cls, filters: Sequence[Filter]) -> Swath:
        lon_lo, lon_hi, lat_lo, lat_hi = math.inf, -math.inf, -math.inf, math.inf
        for f in filters:
            lt, at, lb, ab = jc.strip_edges(f)
            lon_lo, lon_hi = min(lon_lo, float(lt.min())), max(lon_hi, float(lb.max()))
            lat_lo = max(lat_lo, float(min(at.min(), ab.min())))
            lat_hi = min(lat_hi, float(max(at.max(), ab.max())))
        return cls((lon_lo, lon_hi), (lat_lo, lat_hi))

    def near(self, lon: F64, lat: F64, radius: F64) -> npt.NDArray[np.bool_]:
        """Whether discs of angular ``radius`` centred at (``lon``, ``lat``) come near the box (a
        coarse, generous test for searching; :func:`sees` decides)."""
        slack = radius / np.maximum(np.cos(lat), 0.1)
        return ((lat >= self.lat[0] - radius) & (lat <= self.lat[1] + radius)
                & (lon >= self.lon[0] - slack) & (lon <= self.lon[1] + slack))


def next_sighting(world: Any, et: float, filters: Sequence[Filter], target: str) -> float | None:
    """The first time after TDB ``et`` (to :data:`SEARCH_STEP_S`) when one of ``filters``' strips comes
    near ``target`` (the coarse test of :class:`Swath`), searched over Juno's coverage; None if never."""
    from viewer.sim.constants import BODIES

    swath = Swath.of(filters)
    radius_km = max(BODIES[target].radii_km)
    end = max((hi for lo, hi in world.juno.coverage() if lo <= et <= hi), default=et)
    t0 = et
    chunks = iter(SEARCH_CHUNKS_S)
    chunk = next(chunks)
    while t0 < end:
        times = np.arange(t0, min(t0 + chunk, end), SEARCH_STEP_S)
        juno, _ = world.state("juno", times)
        body, _ = world.state(target, times)
        earth, _ = world.state("earth", times)
        cam = jc.camera_to_j2000(world.juno.orientation(times, earth))
        rel = body - juno
        dist = np.linalg.norm(rel, axis=-1)
        v = np.einsum("nji,nj->ni", cam, rel / dist[:, None])
        lon, lat = jc.spin_coordinates(v)
        hit = np.flatnonzero(swath.near(lon, lat, np.arcsin(np.minimum(radius_km / dist, 1.0))))
        if hit.size:
            return float(times[hit[0]])
        t0 = float(times[-1]) + SEARCH_STEP_S
        chunk = next(chunks, chunk)
    return None


# --- the image ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    """An image to simulate: its start (TDB and UTC), frames, interframe delay (s), TDI steps, filters,
    target, binning, and each frame's shutter-open and mid-exposure times (TDB)."""

    start_et: float
    start_utc: str
    frames: int
    interframe_delay_s: float
    tdi: int
    filters: tuple[Filter, ...]
    target: str
    binning: int
    opens: F64 = field(repr=False)
    mids: F64 = field(repr=False)

    @property
    def exposure_s(self) -> float:
        return jc.exposure_s(self.tdi)


def check_delay(delay: float, tdi: int) -> float:
    """The interframe delay (s) if usable: a frame must end its exposure before the next opens, and the
    delay is at most a minute; else UserError."""
    d = float(delay)
    if not math.isfinite(d) or d + jc.INTERFRAME_DELTA_S < jc.exposure_s(tdi) or d > 60.0:
        raise UserError(f"--interframe-delay {delay}: use seconds from {jc.exposure_s(tdi):g} (the "
                        f"exposure, TDI {tdi} x 3.2 ms) to 60, e.g. {jc.DEFAULT_INTERFRAME_DELAY_S}")
    return d


def plan(world: Any, start_utc: str, frames: int | None = None,
         interframe_delay_s: float = jc.DEFAULT_INTERFRAME_DELAY_S, tdi: int = jc.DEFAULT_TDI,
         filters: str | Sequence[str] = jc.RGB_FILTERS, target: str = "io", binning: int = 1) -> Plan:
    """Check an image's parameters and fix its frames. ``frames`` None: from the start until ``target``
    has left every strip (looking one and a half spins ahead); the target must then be in the first
    frame's view or come into it within that span. UserError (one line) for bad values, for a time
    outside Juno's coverage, and for an image in which JunoCam sees nothing of the target — the message
    says when it next does."""
    from viewer.sim.timescales import et_to_utc, utc_to_et

    start = utc_to_et(start_utc)
    chosen = jc.get_filters(filters if isinstance(filters, str) else list(filters))
    jc.exposure_s(tdi)
    delay = check_delay(interframe_delay_s, tdi)
    jc.check_binning(binning)
    name = str(target).strip().lower()
    if name not in TARGETS:
        raise UserError(f"--target {target}: use one of {', '.join(TARGETS)}")
    if frames is not None and (int(frames) != frames or not 1 <= frames <= MAX_FRAMES):
        raise UserError(f"--frames {frames}: use a whole number from 1 to {MAX_FRAMES}")
    step = delay + jc.INTERFRAME_DELTA_S
    look = frames if frames is not None else min(MAX_FRAMES, math.ceil(45.0 / step))
    opens, mids = jc.frame_times(start, look, delay, tdi)
    if not (world.juno.covers(float(opens[0])) and world.juno.covers(float(mids[-1]))):
        raise UserError(f"Juno's position is unknown at {start_utc} or in the {look * step:.1f} s its "
                        f"{look} frames take; its coverage is {world.juno.coverage_text()}")
    seen = [any(sees(world.at(float(t)), f, name, binning) for f in chosen) for t in mids]
    if not any(seen):
        nxt = next_sighting(world, float(mids[-1]), chosen, name)
        lead = jc.START_TIME_BIAS_S + 0.5 * jc.exposure_s(tdi)
        when = ("it does not again within Juno's coverage" if nxt is None else
                f"it next does at about {et_to_utc(nxt - lead, 1).rstrip('Z')} UTC (start the image there)")
        raise UserError(f"JunoCam sees nothing of {name.capitalize()} in the {look} frames from {start_utc} "
                        f"UTC; {when}")
    if frames is None:  # to the end of the target's first passage
        first = seen.index(True)
        frames = first + [*seen[first:], False].index(False)
        opens, mids = opens[:frames], mids[:frames]
    return Plan(start, start_utc, int(frames), delay, int(tdi), chosen, name, binning, opens, mids)


@dataclass(frozen=True)
class RawImage:
    """A simulated raw image: the 8-bit stack (frames × filters × lines, samples), the 12-bit values
    (frames, filters, lines, samples) before encoding, each frame's snapshot-derived geometry, and the
    plan. ``seen[k]``: whether frame k sees the target."""

    plan: Plan
    stack: npt.NDArray[np.uint8]
    dn: F32
    geometry: list[dict[str, Any]]
    seen: list[bool]
    renderer: str


def frame_geometry(snap: Any, target: str) -> dict[str, Any]:
    """One frame's geometry for the label: Juno's position (km), the camera → J2000 matrix (rows), the
    boresight, the spin phase (deg), the target's centre (km) and body → J2000 matrix (rows)."""
    from viewer.sim.juno import spin_phase_of

    cam = jc.camera_to_j2000(snap.rotations["juno"])
    return {
        "juno_position_km": [float(x) for x in snap.positions["juno"]],
        "camera_to_j2000": cam.tolist(),
        "boresight_j2000": [float(x) for x in cam[:, 2]],
        "spin_phase_deg": math.degrees(float(spin_phase_of(snap.rotations["juno"]))),
        "target_position_km": [float(x) for x in snap.positions[target]],
        "target_to_j2000": np.asarray(snap.rotations[target], dtype=np.float64).tolist(),
    }


def simulate(world: Any, p: Plan, *, context: Any = None, scale: float = DEFAULT_SCALE,
             progress: Callable[[int], None] | None = None, light: Any = None) -> RawImage:
    """Render every framelet of plan ``p`` (one pinhole render per frame through :class:`StripView`),
    expose and encode them. ``progress(1)`` is called after each frame; ``light`` a set of light paths
    (default all)."""
    from viewer.frames import FrameMaker
    from viewer.render.exposure import ToneSettings
    from viewer.render.renderer import RenderSettings

    view = StripView.build(p.filters, p.binning, scale)
    samples, lines = jc.framelet_shape(p.binning)
    settings = RenderSettings(size=view.size, supersample=1, tone=ToneSettings(exposure=0.0),
                              hide=frozenset({"juno"}))
    if light is not None:
        settings = replace(settings, light=frozenset(light))
    dn = np.zeros((p.frames, len(p.filters), lines, samples), dtype=np.float32)
    geometry, seen = [], []
    with FrameMaker(world, settings, context=context) as maker:
        renderer = maker.renderer
        for k, t in enumerate(p.mids):
            snap = world.at(float(t))
            renderer.draw(snap, view.camera(snap.positions["juno"], snap.rotations["juno"]))
            framelets = view.resample(renderer.linear())
            for i, f in enumerate(p.filters):
                dn[k, i] = framelet_dn(framelets[f.name], f, p.exposure_s)
            geometry.append(frame_geometry(snap, p.target))
            seen.append(any(sees(snap, f, p.target, p.binning) for f in p.filters))
            if progress is not None:
                progress(1)
        name = maker.renderer_name
    stack = encode(dn).reshape(-1, samples)
    return RawImage(p, stack, dn, geometry, seen, name)


def label(raw: RawImage) -> dict[str, Any]:
    """The JSON label of a simulated raw image (module docstring, "The product")."""
    from viewer.sim.timescales import et_to_utc

    p = raw.plan
    samples, lines = jc.framelet_shape(p.binning)
    per_frame = len(p.filters) * lines
    frames = []
    for k in range(p.frames):
        frames.append({
            "frame": k,
            "shutter_open_utc": et_to_utc(float(p.opens[k]), 4),
            "shutter_open_et": float(p.opens[k]),
            "mid_exposure_utc": et_to_utc(float(p.mids[k]), 4),
            "mid_exposure_et": float(p.mids[k]),
            "rows": {f.name: [k * per_frame + i * lines, k * per_frame + (i + 1) * lines]
                     for i, f in enumerate(p.filters)},
            "target_in_view": raw.seen[k],
            **raw.geometry[k],
        })
    return {
        "PRODUCT_TYPE": "SIMULATED_RAW",
        "INSTRUMENT_ID": "JNC",
        "TARGET_NAME": p.target.upper(),
        "START_TIME": et_to_utc(p.start_et, 4),
        "START_TIME_ET": p.start_et,
        "STOP_TIME": et_to_utc(float(p.opens[-1]) + p.exposure_s, 4),
        "INTERFRAME_DELAY": p.interframe_delay_s,
        "EXPOSURE_DURATION": round(p.exposure_s * 1000.0, 6),
        "TDI_STAGES": p.tdi,
        "FRAMES": p.frames,
        "FILTER_NAME": [f.name.upper() for f in p.filters],
        "LINES": int(raw.stack.shape[0]),
        "LINE_SAMPLES": samples,
        "SUMMING": p.binning,
        "SAMPLE_BIT_MODE_ID": "SQROOT",
        "encoding": "DN8 = round(255 * sqrt(DN12 / 4095)); DN12 = radiance * exposure_s * "
                    f"{DN_PER_RADIANCE_S:g} (a stand-in responsivity; viewer.pushframe)",
        "filter_response": {f.name: {"rgb_weights": list(f.rgb_weights)} for f in p.filters},
        "instrument": {
            "focal_length_mm": jc.FOCAL_LENGTH_MM, "pixel_size_mm": jc.PIXEL_SIZE_MM,
            "distortion_k1": jc.K1, "distortion_k2": jc.K2, "distortion_x": jc.DISTORTION_X,
            "distortion_y": {f.name: f.distortion_y for f in p.filters},
            "filter_offset": {f.name: f.filter_offset for f in p.filters},
            "start_time_bias_s": jc.START_TIME_BIAS_S, "interframe_delta_s": jc.INTERFRAME_DELTA_S,
            "spacecraft_to_camera": jc.SPACECRAFT_TO_CAMERA.tolist(),
        },
        "tdi_smear_lines": jc.tdi_smear_lines(p.tdi),
        "renderer": raw.renderer,
        "frames": frames,
    }


def write(folder: str | os.PathLike[str], raw: RawImage, reprojected: npt.NDArray[np.uint8] | None = None,
          view: dict[str, Any] | None = None) -> list[Path]:
    """Write ``raw.png``, ``label.json`` and, when given, ``reprojected.png`` (with its view in the
    label) into ``folder`` (created if missing), atomically. Returns the paths written."""
    from viewer.atomic import check_writable, write_text_atomic
    from viewer.still import save_png

    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {out}: cannot create the folder ({exc.strerror or exc})") from None
    check_writable(out / "label.json")
    doc = label(raw)
    if view is not None:
        doc["reprojected"] = view
    written = [save_png(out / "raw.png", raw.stack)]
    if reprojected is not None:
        written.append(save_png(out / "reprojected.png", reprojected))
    written.append(write_text_atomic(out / "label.json", json.dumps(doc, indent=1) + "\n"))
    return written


__all__ = ["DN_PER_RADIANCE_S", "Plan", "RawImage", "StripView", "Swath", "decode", "encode", "framelet_dn",
           "label", "limb_points", "next_sighting", "plan", "sees", "simulate", "write"]
