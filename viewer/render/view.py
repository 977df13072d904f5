"""What every scene pass needs to draw one frame: the camera, the snapshot and the target's pixel size.

A :class:`View` is built once per frame by :class:`viewer.render.renderer.Renderer` and handed to each
pass's ``draw(view)``; passes read positions from ``view.snapshot`` (km, J2000, origin Jupiter) and send
the GPU only camera-relative float32 values (``view.relative``), in the camera frame (+x right, +y up,
looking along −z; OpenGL's).

Depth. All scene passes write the logarithmic depth of ``shaders/lib/depth.glsl`` into ``gl_FragDepth``
(uniforms from :meth:`View.depth_uniforms`), so a 24-bit depth buffer orders surfaces from 1 m to 10⁹ km in
one frame: relative resolution ≈ log2(1 + far/d0)·2⁻²⁴ ≈ 2.4·10⁻⁶ in log₂ distance (0.7 km at Io's
distance from Jupiter, 0.1 mm at 40 m). The numpy reference is :func:`viewer.render.camera.log_depth`.

Must not import: ``viewer.cli``; no GL here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from viewer.render.camera import FAR_KM, NEAR_KM, Camera
from viewer.sim.world import Snapshot


@dataclass(frozen=True)
class View:
    """One frame's view.

    Attributes
    ----------
    snapshot : Snapshot
        Where everything is (km, J2000, origin Jupiter's centre).
    camera : Camera
        float64 pose and field of view.
    size : (width, height)
        Pixels of the target drawn into (the supersampled render size).
    """

    snapshot: Snapshot
    camera: Camera
    size: tuple[int, int]

    @property
    def focal_px(self) -> float:
        """Focal length in render pixels."""
        return self.camera.focal_px(*self.size)

    @property
    def tan_half_fov(self) -> tuple[float, float]:
        """(tan of half the horizontal field, tan of half the vertical field)."""
        w, h = self.size
        f = self.focal_px
        return (0.5 * w / f, 0.5 * h / f)

    def relative(self, points_km: npt.ArrayLike) -> npt.NDArray[np.float32]:
        """J2000 jovicentric points (km) → camera frame relative to the camera, float32."""
        return self.camera.relative(points_km)

    def to_camera(self, directions: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """J2000 directions (or a J2000 → X rotation's columns) in the camera frame, float64."""
        return np.asarray(np.asarray(directions, dtype=np.float64) @ self.camera.rotation, dtype=np.float64)

    def projection(self) -> npt.NDArray[np.float32]:
        """The GL projection matrix (row-major, as numpy writes it; transpose for gloo uniforms)."""
        return np.asarray(self.camera.projection_matrix(*self.size), dtype=np.float32)

    def project(self, points_km: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Pixel coordinates (x right, y down) and view distance (km) in this view's pixels."""
        return self.camera.project(points_km, *self.size)

    @staticmethod
    def depth_uniforms() -> dict[str, float]:
        """Uniforms of ``shaders/lib/depth.glsl``: ``u_depth_d0_km`` and ``u_depth_scale``."""
        return {"u_depth_d0_km": NEAR_KM, "u_depth_scale": 1.0 / math.log2(1.0 + FAR_KM / NEAR_KM)}
