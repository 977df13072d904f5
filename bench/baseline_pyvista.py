"""PyVista baseline for bench/render.py: the same 60-frame camera path around Io at I57 and the same
sizes, drawn by PyVista/VTK offscreen.

The scene: two textured spheres — Jupiter (256×128 segments, scaled to its IAU radii) and Io (128×64,
triaxial) — posed by the IAU rotation models, with the ellipsoids' analytic normals and Phong shading,
``textures/jupiter.png`` and ``textures/io.png`` mapped in simple cylindrical projection (longitude origin
not matched to our renderer's: the cost is the same), one directional light from the Sun, black
background, PyVista's default render settings otherwise. Coordinates are Io-centred km (VTK's float32
points stay precise). Each frame: set the camera, ``plotter.render()``, ``plotter.screenshot()`` (the
8-bit readback), timed together.
Measured twice: with PyVista's default anti-aliasing (4× MSAA — costly on llvmpipe) and with MSAA off
(``multi_samples=0``: aliased edges, the cheapest PyVista frame).

Movie mode (``--movie F.mp4``, for bench/export.py): the same scene and path written to an MP4 through
PyVista's own recorder, ``plotter.open_movie(F, framerate, quality)`` and one ``plotter.write_frame()``
per camera (render + readback + imageio's ffmpeg pipe: libx264, yuv420p), then ``plotter.close()``
(which finishes the movie). Reported: the frame loop (``fps_loop``) and the whole job from the Plotter's
creation to the finished file (``fps_end_to_end``, what a user waits for; imports excluded). No warm-up
frames: exactly ``--frames`` frames go into the movie. ``--quality`` (0–10, imageio's scale, mapped to
x264's CRF) and ``--macro-block-size`` are passed to imageio's writer so the encoder can be given the
same settings as our export.

Offscreen on a machine with no display: the PyPI ``vtk`` wheel (9.4 and later) carries an EGL render
window; ``VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow`` selects it directly (set here when there is no
``$DISPLAY``), so neither Xvfb nor an OSMesa build is needed. When pyvista is missing or cannot render,
the results say ``skipped`` and why.

``make bench`` runs it through bench/render.py — one subprocess per size, kind and round, alternating
with our renderer so that both meet the same load — and bench/results/render.json holds its figures
(``pyvista_default_msaa``, ``pyvista_no_msaa``) beside ours; run alone it prints its JSON.

Usage: .venv/bin/python bench/baseline_pyvista.py [--size 1920x1080] [--frames 60] [--json]
                                                  [--save-frame F.png]
                                                  [--movie F.mp4 [--fps 30] [--quality 8]]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from render import FRAMES, SIZES, WARMUP, camera_path, snapshot  # noqa: E402

SEGMENTS = {"jupiter": (256, 128), "io": (128, 64)}


def _sphere(pv: Any, body: str, snap: Any, origin: np.ndarray) -> Any:
    """A textured ellipsoid mesh of ``body`` in Io-centred J2000 km."""
    from viewer.sim.constants import BODIES

    lon_n, lat_n = SEGMENTS[body]
    mesh = pv.Sphere(radius=1.0, theta_resolution=lon_n, phi_resolution=lat_n)
    unit = np.asarray(mesh.points, dtype=np.float64)
    lon = np.arctan2(unit[:, 1], unit[:, 0])
    lat = np.arcsin(np.clip(unit[:, 2], -1.0, 1.0))
    mesh.active_texture_coordinates = np.stack([0.5 + lon / (2 * np.pi), 0.5 + lat / np.pi], axis=1)
    radii = np.asarray(BODIES[body].radii_km)
    rot = np.asarray(snap.rotations[body], dtype=np.float64)
    mesh.points = (unit * radii) @ rot.T + (np.asarray(snap.positions[body]) - origin)
    # The ellipsoid's own outward normals (vtkPolyDataNormals left a third of them inward here).
    normals = (unit / radii) @ rot.T
    mesh.point_data.active_normals = normals / np.linalg.norm(normals, axis=1, keepdims=True)
    return mesh


def _gl_renderer(plotter: Any) -> str:
    for line in plotter.render_window.ReportCapabilities().splitlines():
        if "renderer string" in line:
            return line.split(":", 1)[1].strip()
    return "unknown"


def _import_pyvista() -> tuple[Any, Any] | str:
    """(pyvista, vtk) with the EGL window chosen when there is no display, or why they cannot load."""
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    try:
        import pyvista as pv
        import vtk
    except ImportError as exc:
        return f"pyvista is not installed ({exc}); pip install -e '.[bench]'"
    pv.OFF_SCREEN = True
    return pv, vtk


def _prepare(frames: int) -> tuple[Any, Any, Any, list[Any], np.ndarray] | str:
    """(pyvista, vtk, the snapshot at I57, the path's cameras, Io's position) or why PyVista cannot
    load."""
    loaded = _import_pyvista()
    if isinstance(loaded, str):
        return loaded
    snap = snapshot()
    return (*loaded, snap, camera_path(snap, frames), np.asarray(snap.positions["io"], dtype=np.float64))


def _plotter(pv: Any, size: tuple[int, int], snap: Any, origin: np.ndarray, cams: list[Any],
             multi_samples: int | None) -> Any:
    """The two-sphere scene (module docstring) in an offscreen Plotter of ``size``."""
    from viewer.paths import data_dir

    plotter = pv.Plotter(off_screen=True, window_size=list(size), lighting="none")
    if multi_samples is not None:
        plotter.render_window.SetMultiSamples(multi_samples)
    plotter.set_background("black")
    for body in ("jupiter", "io"):
        texture = pv.read_texture(str(data_dir("textures") / f"{body}.png"))
        plotter.add_mesh(_sphere(pv, body, snap, origin), texture=texture, smooth_shading=False,
                         interpolation="phong")  # smooth shading from the normals above
    sun = np.asarray(snap.positions["sun"], dtype=np.float64) - origin
    plotter.add_light(pv.Light(position=tuple(sun / np.linalg.norm(sun)), focal_point=(0.0, 0.0, 0.0),
                               light_type="scene light"))
    plotter.camera.view_angle = cams[0].fov_deg
    return plotter


def _set_camera(plotter: Any, cam: Any, origin: np.ndarray) -> None:
    plotter.camera_position = [tuple(cam.position_km - origin), (0.0, 0.0, 0.0), tuple(cam.up)]
    plotter.renderer.ResetCameraClippingRange()


def measure_movie(size: tuple[int, int], frames: int, movie: str, fps: float = 30.0, quality: int = 5,
                  multi_samples: int | None = None, macro_block_size: int | None = None) -> dict[str, Any]:
    """PyVista writing ``frames`` frames of the path to the MP4 ``movie`` with ``open_movie`` and
    ``write_frame`` (module docstring, movie mode): frames/s of the loop and of the whole job, or
    ``{"skipped": why}``."""
    prepared = _prepare(frames)
    if isinstance(prepared, str):
        return {"skipped": prepared}
    pv, vtk, snap, cams, origin = prepared
    kwargs: dict[str, Any] = {} if macro_block_size is None else {"macro_block_size": macro_block_size}
    try:
        t0 = time.perf_counter()
        plotter = _plotter(pv, size, snap, origin, cams, multi_samples)
        plotter.open_movie(movie, framerate=fps, quality=quality, **kwargs)
        t1 = time.perf_counter()
        ms = []
        for cam in cams:
            f0 = time.perf_counter()
            _set_camera(plotter, cam, origin)
            plotter.write_frame()
            ms.append(1000.0 * (time.perf_counter() - f0))
        t2 = time.perf_counter()
        samples = plotter.render_window.GetMultiSamples()
        renderer = _gl_renderer(plotter)
        plotter.close()  # closes the movie writer: ffmpeg finishes the file
        t3 = time.perf_counter()
    except Exception as exc:  # a VTK without a usable offscreen window, a GL or ffmpeg error …
        return {"skipped": f"PyVista could not write the movie: {type(exc).__name__}: {exc}"}
    return {"pyvista": pv.__version__, "vtk": vtk.vtkVersion.GetVTKVersion(), "renderer": renderer,
            "multi_samples": samples, "frames": frames, "fps": fps, "quality": quality,
            "macro_block_size": macro_block_size if macro_block_size is not None else "imageio default (16)",
            "movie_bytes": os.path.getsize(movie),
            "setup_s": round(t1 - t0, 3), "loop_s": round(t2 - t1, 3), "close_s": round(t3 - t2, 3),
            "end_to_end_s": round(t3 - t0, 3), "median_ms": round(statistics.median(ms), 2),
            "fps_loop": round(frames / (t2 - t1), 2), "fps_end_to_end": round(frames / (t3 - t0), 2)}


def measure(size: tuple[int, int], frames: int = FRAMES, save_frame: str | None = None,
            multi_samples: int | None = None) -> dict[str, Any]:
    """PyVista's ms/frame on the path at ``size`` (or ``{"skipped": why}``); ``multi_samples`` sets the
    render window's MSAA samples (None: PyVista's default, 4 — its anti-aliasing)."""
    prepared = _prepare(frames)
    if isinstance(prepared, str):
        return {"skipped": prepared}
    pv, vtk, snap, cams, origin = prepared
    try:
        plotter = _plotter(pv, size, snap, origin, cams, multi_samples)

        def frame(cam: Any) -> np.ndarray:
            _set_camera(plotter, cam, origin)
            plotter.render()
            return np.asarray(plotter.screenshot(return_img=True))

        for cam in cams[:WARMUP]:
            image = frame(cam)
        ms = []
        for cam in cams:
            t0 = time.perf_counter()
            image = frame(cam)
            ms.append(1000.0 * (time.perf_counter() - t0))
        if save_frame:
            import imageio.v3 as iio

            iio.imwrite(save_frame, image)
        result = {
            "pyvista": pv.__version__, "vtk": vtk.vtkVersion.GetVTKVersion(),
            "render_window": type(plotter.render_window).__name__, "renderer": _gl_renderer(plotter),
            "multi_samples": plotter.render_window.GetMultiSamples(),
            "image_shape": list(image.shape), "last_frame_mean_u8": round(float(image.mean()), 1),
            "median_ms": round(statistics.median(ms), 2), "mean_ms": round(statistics.fmean(ms), 2),
            "fps_median": round(1000.0 / statistics.median(ms), 2),
            "fps_mean": round(1000.0 / statistics.fmean(ms), 2),
            "frames_ms": [round(v, 2) for v in ms],
        }
        plotter.close()
        return result
    except Exception as exc:  # a VTK without a usable offscreen window, a GL error …
        return {"skipped": f"PyVista could not render offscreen: {type(exc).__name__}: {exc}"}


def run_all() -> dict[str, Any]:
    """Every size, with PyVista's default 4× MSAA and with MSAA off (named so that bench/run.py does not
    run it a second time: bench/render.py runs the baseline, interleaved with ours)."""
    return {"scene": "Jupiter 256×128 + Io 128×64 textured spheres, one directional light, screenshot()",
            **{f"{w}x{h}": {"default_msaa": measure((w, h)), "no_msaa": measure((w, h), multi_samples=0)}
               for w, h in SIZES}}


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", help="WxH (default: every size of bench/render.py)")
    ap.add_argument("--frames", type=int, default=FRAMES)
    ap.add_argument("--json", action="store_true", help="print one line of JSON (bench/render.py reads it)")
    ap.add_argument("--save-frame", help="write the last frame to this PNG")
    ap.add_argument("--multi-samples", type=int, help="MSAA samples (default: PyVista's, 4)")
    ap.add_argument("--movie", help="movie mode: write the frames to this MP4 with open_movie/write_frame")
    ap.add_argument("--fps", type=float, default=30.0, help="movie mode: frames per second (default 30)")
    ap.add_argument("--quality", type=int, default=5, help="movie mode: imageio quality 0-10 (default 5, "
                    "PyVista's)")
    ap.add_argument("--macro-block-size", type=int, help="movie mode: imageio's macro block size (default "
                    "imageio's, 16: 1080 rows are scaled to 1088)")
    args = ap.parse_args(argv)
    if args.movie:
        w, h = (int(v) for v in (args.size or "1920x1080").lower().split("x"))
        result = measure_movie((w, h), args.frames, args.movie, args.fps, args.quality, args.multi_samples,
                               args.macro_block_size)
    elif args.size:
        w, h = (int(v) for v in args.size.lower().split("x"))
        result = measure((w, h), args.frames, args.save_frame, args.multi_samples)
    else:
        result = run_all()
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
