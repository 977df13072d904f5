"""The spacecraft pass: Juno's mesh (``models/juno.glb`` or ``--spacecraft-model``) posed by its attitude.

Units and frames. The model (:class:`viewer.render.meshes.ModelMesh`) is in metres in the spacecraft frame
(``JUNO_SPACECRAFT``: +Z the spin axis). The snapshot gives the spacecraft's position (km, J2000, origin
Jupiter's centre) and attitude (``snapshot.rotations[body]``: a 3×3 matrix whose columns are the spacecraft
X, Y, Z axes in J2000, i.e. it maps spacecraft-frame vectors to J2000). Each frame the model → camera
transform is computed on the CPU in float64 and sent as float32:

* rotation = ``camera.rotation.T @ attitude`` (spacecraft frame → camera frame),
* translation = ``view.relative(position)`` (the spacecraft origin relative to the camera, camera frame, km),
* scale = 1e-3 km per model unit (metres).

The vertex coordinates stay small (metres) and the translation is a camera-relative float64 difference,
so the only error is float32 rounding, ~6·10⁻⁸ of the distance from the camera: sub-pixel at any field of
view, from a camera 1 m from a panel to one 10⁶ km away (tested at 40 m, 1 m and 10⁴ km).

What ``shaders/spacecraft.frag`` computes, in the radiance unit of ARCHITECTURE.md "Radiometry" (1.0 = a
white Lambert surface facing the Sun)::

    L = albedo · (sun_fraction · max(0, n·s) + ambient_radiance)

with ``albedo`` the linear base colour of each part (vertex colours when the file has them), ``n`` the
camera-frame normal of the side the camera sees (flipped on back faces, so thin panels are lit on both
sides correctly), ``s`` the unit direction from the spacecraft to the Sun in the camera frame,
``sun_fraction`` the visible fraction of the Sun's disc (:attr:`SpacecraftPass.sun_fraction`, 1 by
default; eclipses) and ``ambient_radiance`` a radiance on white added to every surface
(:attr:`SpacecraftPass.ambient_radiance`, 0 by default; Jupitershine). Coverage is 1: meshes are
anti-aliased by the renderer's supersampling.

Depth. The fragment writes ``gl_FragDepth = log_depth(−z_camera)`` (``shaders/lib/depth.glsl``), the
same logarithmic depth the ray-cast bodies write, so Juno in front of Io hides Io and Juno behind Io is
hidden. The projection's near plane is :data:`NEAR_CLIP_KM` (1 mm), far below the 1 m the log depth is
scaled for, so a camera 1 m from a panel does not clip it. All parts are merged into one vertex buffer
with a per-vertex colour and drawn with one call (measured against one call per part: see
:class:`SpacecraftPass`).

GL state set by :meth:`SpacecraftPass.draw`: depth test on with ``less``, depth writes on, blending off,
no face culling. It draws into whatever framebuffer is bound (an :class:`~viewer.render.targets.HDRTarget`
with depth), after the stars and the bodies.

Must not import: ``viewer.cli``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.render.meshes import ModelMesh
from viewer.render.shaders import program_cache
from viewer.render.view import View

__all__ = ["KM_PER_MODEL_UNIT", "NEAR_CLIP_KM", "SpacecraftPass", "merge_parts", "model_to_camera"]

#: Model units (metres) → km.
KM_PER_MODEL_UNIT = 1e-3
#: Near clip plane of the spacecraft's projection, km (1 mm: a camera 1 m from a panel keeps all of it).
NEAR_CLIP_KM = 1e-6

VERTEX_DTYPE = np.dtype([("a_position", np.float32, 3), ("a_normal", np.float32, 3),
                         ("a_color", np.float32, 3)])


def merge_parts(model: ModelMesh) -> tuple[npt.NDArray[Any], npt.NDArray[np.uint32]]:
    """All parts of ``model`` in one interleaved vertex array (position m, normal, linear RGB albedo) and
    one flat index array, so the whole spacecraft is one draw call."""
    vertices = np.empty(model.vertex_count, dtype=VERTEX_DTYPE)
    indices: list[npt.NDArray[np.uint32]] = []
    start = 0
    for part in model.parts:
        n = int(part.positions.shape[0])
        block = vertices[start:start + n]
        block["a_position"] = part.positions
        block["a_normal"] = part.normals
        if part.vertex_colors is not None:
            block["a_color"] = part.vertex_colors[:, :3]
        else:
            block["a_color"] = part.base_color[:3]
        indices.append(part.indices.reshape(-1).astype(np.uint32) + np.uint32(start))
        start += n
    return vertices, np.concatenate(indices)


def model_to_camera(view: View, body: str = "juno") -> tuple[npt.NDArray[np.float64],
                                                              npt.NDArray[np.float64]] | None:
    """(rotation, translation_km): spacecraft frame → camera frame, float64; None without a pose.

    ``camera_point_km = rotation @ (model_point_m · 1e-3) + translation_km``.
    """
    snap = view.snapshot
    if body not in snap.positions or body not in snap.rotations:
        return None
    attitude = np.asarray(snap.rotations[body], dtype=np.float64)
    rotation = view.camera.rotation.T @ attitude
    translation = (np.asarray(snap.positions[body], dtype=np.float64) - view.camera.position_km) \
        @ view.camera.rotation
    return np.asarray(rotation, dtype=np.float64), np.asarray(translation, dtype=np.float64)


#: A camera closer than this to the model's origin (metres) rides on board and does not draw it.
ONBOARD_M = 1.0


class SpacecraftPass:
    """Draw a spacecraft mesh posed by the snapshot, into the bound target, with log depth.

    Parameters
    ----------
    context : GLContext
    model : ModelMesh
        The spacecraft in metres, spin axis +Z (:func:`viewer.render.meshes.load_model`).
    body : str
        The snapshot key of its position and attitude (``"juno"``).

    Attributes
    ----------
    sun_fraction : float
        Visible fraction of the Sun's disc at the spacecraft (1.0; issue 6 sets it for eclipses).
    ambient_radiance : (3,) tuple of float
        Radiance on a white surface from other light (0; issue 6 sets it to Jupitershine).

    Notes
    -----
    The buffers are uploaded once, here. All parts share one vertex buffer with a per-vertex colour and
    are drawn with one call: for ``models/juno.glb`` (66 parts, 8,376 triangles, 12,614 vertices) one
    call per part measured ~2 ms more per frame on llvmpipe at 1920×1080, whatever Juno's size on screen.
    Cost there (2 busy cores): ~1.7 ms when Juno is a few pixels (vertex work), 3–5 ms at 40 m,
    22–38 ms when it covers a quarter of the frame from 12 m. Writing ``gl_FragDepth`` turns off early
    depth rejection and costs ~40 % of that last figure; culling back faces would save ~25 % for closed
    models like ours, but a user's model may have open sheets, so all faces are drawn.

    :meth:`draw` does not call ``context.make_current()``: vispy's CURRENT command rebinds framebuffer
    0, which would send the draw away from the caller's target.

    Limits. A spacecraft smaller than a pixel may cover no pixel centre and vanish (there is no point
    sprite). The log depth resolves ~1.7e-6 of the distance, so self-occlusion is right while that is
    well under the parts' separations (~10 cm): within ~10 km (1.7 cm), beyond which a 20 m Juno spans
    under 2 pixels of a 1080-pixel, 60° view (only telescopic fields would show it mis-ordered).
    """

    def __init__(self, context: Any, model: ModelMesh, body: str = "juno") -> None:
        from vispy import gloo

        self.context = context
        self.model = model
        self.body = body
        self.sun_fraction = 1.0
        self.ambient_radiance: tuple[float, float, float] = (0.0, 0.0, 0.0)
        vertices, indices = merge_parts(model)
        self.triangle_count = int(indices.size // 3)
        # bounding sphere about the model's origin, metres (frustum culling on the CPU)
        self._radius_m = float(np.sqrt((vertices["a_position"].astype(np.float64) ** 2).sum(1).max()))
        context.make_current()
        self._program = program_cache(context).get("spacecraft.vert", "spacecraft.frag")
        self._vertices = gloo.VertexBuffer(vertices)
        index_type = np.uint16 if len(vertices) <= np.iinfo(np.uint16).max else np.uint32
        self._indices = gloo.IndexBuffer(indices.astype(index_type))

    def pixel_radius(self, view: View) -> float:
        """The model's bounding-sphere radius in render pixels (0 without a pose)."""
        pose = model_to_camera(view, self.body)
        if pose is None:
            return 0.0
        dist = float(np.linalg.norm(pose[1]))
        return self._radius_m * KM_PER_MODEL_UNIT * view.focal_px / max(dist, 1e-12)

    def visible(self, view: View) -> bool:
        """Whether the spacecraft has a pose, the camera is not on board (within :data:`ONBOARD_M` of
        the model's origin, as ``look:juno:…`` and ``junocam`` cameras are: they do not see the
        spacecraft itself), and the bounding sphere meets the view frustum."""
        pose = model_to_camera(view, self.body)
        if pose is None:
            return False
        x, y, z = pose[1]
        r = self._radius_m * KM_PER_MODEL_UNIT
        if math.sqrt(x * x + y * y + z * z) < ONBOARD_M * KM_PER_MODEL_UNIT:
            return False
        if z - r > -NEAR_CLIP_KM:  # entirely behind the near plane
            return False
        tx, ty = view.tan_half_fov
        # side planes through the eye: outward normals (±1, 0, tx)/|..| and (0, ±1, ty)/|..|
        depth = -z
        return bool(abs(x) - tx * depth <= r * math.hypot(1.0, tx)
                    and abs(y) - ty * depth <= r * math.hypot(1.0, ty))

    def draw(self, view: View) -> None:
        """Draw the spacecraft into the bound framebuffer (nothing when ``body`` has no pose or is out
        of view). Sets depth test ``less``, depth writes on, blending off, no culling."""
        from vispy import gloo

        pose = model_to_camera(view, self.body)
        if pose is None or not self.visible(view):
            return
        rotation, translation = pose
        snap = view.snapshot
        to_sun = np.asarray(snap.positions["sun"], dtype=np.float64) \
            - np.asarray(snap.positions[self.body], dtype=np.float64)
        sun = to_sun @ view.camera.rotation
        sun = sun / np.linalg.norm(sun)
        w, h = view.size
        projection = view.camera.projection_matrix(w, h, near_km=NEAR_CLIP_KM)

        program = self._program
        program.bind(self._vertices)  # the program is shared (ProgramCache): bind our buffer each draw
        # gloo uploads matrices as stored (row-major) and GLSL reads them column-major: send transposes
        program["u_rotation"] = np.asarray(rotation.T, dtype=np.float32)
        program["u_km_per_unit"] = KM_PER_MODEL_UNIT
        program["u_translation_km"] = tuple(float(v) for v in np.asarray(translation, dtype=np.float32))
        program["u_projection"] = np.asarray(projection.T, dtype=np.float32)
        program["u_sun_direction"] = tuple(float(v) for v in sun)
        program["u_sun_fraction"] = float(self.sun_fraction)
        program["u_ambient_radiance"] = tuple(float(v) for v in self.ambient_radiance)
        for name, value in View.depth_uniforms().items():
            program[name] = value
        # no make_current() here: vispy's CURRENT command rebinds framebuffer 0 (the caller's target)
        gloo.set_state(depth_test=True, blend=False, cull_face=False)
        gloo.set_depth_func("less")
        gloo.set_depth_mask(True)
        program.draw("triangles", self._indices)
