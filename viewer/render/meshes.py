"""Spacecraft models: glTF/GLB (Draco-compressed too), OBJ (+MTL) and STL → float32 arrays in metres.

This module reads meshes with trimesh and hands the renderer plain numpy arrays, one :class:`MeshPart` per
scene-graph node, with the node transforms applied. It never imports OpenGL. The output frame is the
JUNO_SPACECRAFT frame of ``models/README.md``: metres, +Z the spin axis.

Draco. NASA publishes its spacecraft as glTF binaries whose meshes are compressed with the
``KHR_draco_mesh_compression`` extension. trimesh (5.x) decodes them through DracoPy in its own glTF
extension handler; older trimesh releases, or a missing DracoPy, leave zero-filled placeholder vertices
with no error. :func:`load_model` therefore checks every part for real geometry (non-zero spread,
triangles of non-zero area), drops the parts that have none, and fails with a message that names Draco when
nothing usable is left of a Draco-compressed file.

Size and axes. glTF's unit is the metre, but published files do not always honour it (NASA's Voyager file
is 0.34 m across); OBJ and STL carry no unit at all. ``size_m`` rescales the model about its origin so
that its largest bounding-box extent (its span) is that many metres; ``up_axis`` names the file axis that
is the spin axis and turns it onto +Z with one 90° or 180° rotation (table :data:`UP_ROTATIONS`).
The model's origin is kept: it is the point the spacecraft's trajectory places.
"""

from __future__ import annotations

import json
import logging
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.errors import UserError

__all__ = ["SUPPORTED_SUFFIXES", "UP_ROTATIONS", "MeshPart", "ModelMesh", "load_model"]

log = logging.getLogger(__name__)

#: File name endings :func:`load_model` accepts.
SUPPORTED_SUFFIXES = (".glb", ".gltf", ".obj", ".stl")

#: Rotation that carries the named file axis onto +Z (proper rotations, det = +1): a quarter turn about
#: the axis perpendicular to both, or a half turn about X for ``-z``.
UP_ROTATIONS: dict[str, npt.NDArray[np.float64]] = {
    "z": np.eye(3),
    "-z": np.diag([1.0, -1.0, -1.0]),
    "x": np.array([[0.0, 0.0, -1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),   # -90° about Y
    "-x": np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]]),  # +90° about Y
    "y": np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]]),   # +90° about X
    "-y": np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]]),  # -90° about X
}

#: A triangle whose area is below this fraction of (model span)² counts as degenerate.
_DEGENERATE_AREA = 1e-12


@dataclass(frozen=True, eq=False)
class MeshPart:
    """One drawable part (a scene-graph node with its mesh), in the output frame.

    Attributes
    ----------
    name : str
        The node's name in the file (or the geometry's, or ``part<N>``).
    material : str
        The material's name, ``""`` when the file names none.
    positions : (N, 3) float32 ndarray, metres
    normals : (N, 3) float32 ndarray, unit vectors
    indices : (M, 3) uint32 ndarray
        Triangles, counter-clockwise seen from outside; degenerate ones removed.
    base_color : (4,) float32 ndarray
        Linear RGBA in [0, 1]: glTF's ``baseColorFactor`` (default white) times the mean of its
        base-colour texture decoded from sRGB; OBJ's ``Kd``; grey when the file has none.
    vertex_colors : (N, 4) float32 ndarray or None
        Per-vertex RGBA in [0, 1] when the file has them (glTF ``COLOR_0``, coloured PLY/OBJ), else None.
    """

    name: str
    material: str
    positions: npt.NDArray[np.float32]
    normals: npt.NDArray[np.float32]
    indices: npt.NDArray[np.uint32]
    base_color: npt.NDArray[np.float32]
    vertex_colors: npt.NDArray[np.float32] | None = None

    @property
    def triangle_count(self) -> int:
        """Number of triangles."""
        return int(self.indices.shape[0])


@dataclass(frozen=True, eq=False)
class ModelMesh:
    """A spacecraft model in metres, spin axis along +Z.

    Attributes
    ----------
    path : Path
    parts : tuple of MeshPart
    scale : float
        Metres per file unit applied (1.0 unless ``size_m`` was given).
    up_axis : str
        The file axis turned onto +Z (``"z"``: none).
    file_units : str
        What the file says about its units: ``"metres (glTF)"`` or ``"unknown"`` (OBJ, STL).
    draco : bool
        Whether the file uses ``KHR_draco_mesh_compression``.
    dropped_parts : tuple of str
        Parts dropped for having no usable geometry.
    degenerate_triangles : int
        Zero-area triangles removed from the kept parts.
    """

    path: Path
    parts: tuple[MeshPart, ...]
    scale: float
    up_axis: str
    file_units: str
    draco: bool = False
    dropped_parts: tuple[str, ...] = field(default=())
    degenerate_triangles: int = 0

    @property
    def triangle_count(self) -> int:
        """Triangles over all parts."""
        return sum(p.triangle_count for p in self.parts)

    @property
    def vertex_count(self) -> int:
        """Vertices over all parts."""
        return sum(int(p.positions.shape[0]) for p in self.parts)

    @property
    def bounds(self) -> npt.NDArray[np.float64]:
        """(2, 3) axis-aligned bounding box, metres: row 0 the minimum, row 1 the maximum corner."""
        lo = np.min([p.positions.min(axis=0) for p in self.parts], axis=0)
        hi = np.max([p.positions.max(axis=0) for p in self.parts], axis=0)
        return np.array([lo, hi], dtype=np.float64)

    @property
    def extents(self) -> npt.NDArray[np.float64]:
        """(3,) bounding-box size along X, Y, Z in metres."""
        b = self.bounds
        return np.asarray(b[1] - b[0], dtype=np.float64)

    @property
    def span_m(self) -> float:
        """The largest bounding-box extent, metres (what ``size_m`` sets)."""
        return float(self.extents.max())

    @property
    def tip_to_tip_m(self) -> float:
        """The largest distance between two vertices across the spin axis (+Z), metres: the model's
        width seen along the axis, e.g. Juno's solar arrays tip to tip (:func:`tip_to_tip`)."""
        return tip_to_tip(np.concatenate([p.positions for p in self.parts]))


def tip_to_tip(points: npt.ArrayLike) -> float:
    """Largest distance between two points projected on the XY plane, i.e. across the spin axis +Z
    (metres for points in metres); the diameter of their convex hull there."""
    from scipy.spatial import ConvexHull, QhullError

    xy = np.asarray(points, dtype=np.float64)[:, :2]
    try:
        hull = xy[ConvexHull(xy).vertices]
    except QhullError:  # all on one line (or one point) seen along the axis: the length of that line
        centred = xy - xy.mean(axis=0)
        direction = np.linalg.svd(centred, full_matrices=False)[2][0]
        return float(np.ptp(centred @ direction))
    d = hull[:, None, :] - hull[None, :, :]
    return float(np.sqrt((d ** 2).sum(-1)).max())


def load_model(path: str | Path, size_m: float | None = None, up_axis: str | None = None) -> ModelMesh:
    """Load a spacecraft model.

    Parameters
    ----------
    path
        A ``.glb``/``.gltf`` (Draco-compressed or not), ``.obj`` (its ``.mtl`` beside it) or ``.stl`` file.
    size_m
        If given, rescale (about the origin) so that the largest bounding-box extent is this many metres.
        None keeps the file's units (glTF: metres; OBJ and STL: taken as metres).
    up_axis
        The file axis that is the spacecraft's spin axis, one of ``x y z -x -y -z``; it is rotated onto
        +Z (:data:`UP_ROTATIONS`). None: the file is already in the spacecraft frame (+Z up).

    Returns
    -------
    ModelMesh

    Raises
    ------
    UserError
        The file is missing, not a supported format, unreadable, or has no usable geometry (no triangles,
        all-zero positions, only zero-area triangles); or ``size_m``/``up_axis`` is invalid.
    """
    path = Path(path).expanduser()
    up = "z" if up_axis is None else str(up_axis).strip().lower()
    if up.startswith("+"):
        up = up[1:]
    if up not in UP_ROTATIONS:
        raise UserError(f"spacecraft up axis must be one of x, y, z, -x, -y, -z, not {up_axis!r}")
    if size_m is not None and not (np.isfinite(size_m) and size_m > 0):
        raise UserError(f"spacecraft size must be a positive number of metres, not {size_m!r}")
    scene = _read_scene(path)
    draco = "KHR_draco_mesh_compression" in _gltf_extensions(path)
    file_units = "metres (glTF)" if path.suffix.lower() in (".glb", ".gltf") else "unknown"

    rotation = UP_ROTATIONS[up]
    raw = _parts(scene, rotation)
    if not raw:
        raise UserError(f"model {path} has no triangle meshes: export the spacecraft as triangles "
                        "(glTF/GLB, OBJ or STL)")

    all_positions = np.concatenate([r["positions"] for r in raw])
    span = float(np.ptp(all_positions, axis=0).max()) if len(all_positions) else 0.0
    kept: list[MeshPart] = []
    dropped: list[str] = []
    degenerate = 0
    for r in raw:
        part, bad = _clean(r, span)
        if part is None:
            dropped.append(r["name"])
        else:
            kept.append(part)
            degenerate += bad
    if not kept:
        hint = (" Its meshes are Draco-compressed: decoding them needs DracoPy and trimesh >= 5 "
                "(pip install -U trimesh DracoPy)." if draco else "")
        raise UserError(f"model {path} has no usable geometry: every triangle has zero area or all "
                        f"positions are zero.{hint} Re-export the model with its meshes.")
    if dropped:
        log.info("%s: dropped %d part(s) with no usable geometry: %s", path.name, len(dropped),
                 ", ".join(dropped))

    scale = 1.0
    if size_m is not None:
        lo = np.min([p.positions.min(axis=0) for p in kept], axis=0)
        hi = np.max([p.positions.max(axis=0) for p in kept], axis=0)
        scale = float(size_m) / float((hi - lo).max())
        kept = [_scaled(p, scale) for p in kept]
    return ModelMesh(path=path, parts=tuple(kept), scale=scale, up_axis=up, file_units=file_units,
                     draco=draco, dropped_parts=tuple(dropped), degenerate_triangles=degenerate)


# --- helpers -------------------------------------------------------------------------------------

def _read_scene(path: Path) -> Any:
    if not path.exists():
        raise UserError(f"model {path}: no such file; check the path (models are glTF/GLB, OBJ or STL)")
    if path.is_dir():
        raise UserError(f"model {path} is a directory; give the model file itself")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UserError(f"model {path}: unsupported format {path.suffix or '(no extension)'!r}; "
                        "convert it to glTF/GLB, OBJ or STL")
    if path.stat().st_size == 0:
        raise UserError(f"model {path} is an empty file; re-export or re-download it")
    import trimesh

    try:
        return trimesh.load_scene(path)
    except Exception as exc:  # trimesh raises ValueError, KeyError, struct.error, ... on bad files
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(f"model {path} cannot be read ({detail}); the file is corrupt or not really "
                        f"{path.suffix.lstrip('.').upper()}: re-export or re-download it") from exc


def _gltf_extensions(path: Path) -> set[str]:
    """``extensionsUsed`` of a glTF/GLB file (empty for other files or unreadable headers)."""
    try:
        if path.suffix.lower() == ".gltf":
            doc = json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix.lower() == ".glb":
            with path.open("rb") as f:
                head = f.read(20)
                if len(head) < 20 or head[:4] != b"glTF":
                    return set()
                chunk_length, chunk_type = struct.unpack("<II", head[12:20])
                if chunk_type != 0x4E4F534A:  # "JSON"
                    return set()
                doc = json.loads(f.read(chunk_length))
        else:
            return set()
    except (OSError, ValueError):
        return set()
    return set(doc.get("extensionsUsed", [])) if isinstance(doc, dict) else set()


def _parts(scene: Any, rotation: npt.NDArray[np.float64]) -> list[dict[str, Any]]:
    """Every node's triangle mesh with the node transform and ``rotation`` applied (float64)."""
    import trimesh

    out: list[dict[str, Any]] = []
    for node in scene.graph.nodes_geometry:
        transform, geometry_name = scene.graph[node]
        mesh = scene.geometry.get(geometry_name)
        if not isinstance(mesh, trimesh.Trimesh) or len(mesh.faces) == 0:
            continue
        mesh = mesh.copy()
        mesh.apply_transform(transform)
        positions = np.asarray(mesh.vertices, dtype=np.float64) @ rotation.T
        normals = np.asarray(mesh.vertex_normals, dtype=np.float64) @ rotation.T
        base_color, vertex_colors, material = _colours(mesh)
        out.append({"name": _part_name(scene.graph, node, geometry_name, len(out)),
                    "material": material, "positions": positions, "normals": normals,
                    "faces": np.asarray(mesh.faces, dtype=np.int64), "base_color": base_color,
                    "vertex_colors": vertex_colors})
    return out


def _part_name(graph: Any, node: Any, geometry_name: Any, index: int) -> str:
    """A part's name, the same on every load: the file's node name, except for the frames trimesh makes
    up for each primitive of a multi-primitive glTF mesh (``<node>_<6 random hex digits>``), which are
    named ``<node>/<geometry>`` instead (trimesh names the geometries deterministically)."""
    parent = graph.transforms.parents.get(node)
    if parent is not None and re.fullmatch(re.escape(str(parent)) + r"_[0-9a-f]{6}", str(node)):
        return f"{parent}/{geometry_name}"
    return str(node) or str(geometry_name) or f"part{index}"


def _colours(mesh: Any) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32] | None, str]:
    """(linear base colour RGBA, per-vertex RGBA or None, material name) of a trimesh mesh."""
    from viewer.render.textures import srgb_to_linear

    grey = np.array([0.6, 0.6, 0.6, 1.0], dtype=np.float32)
    visual = mesh.visual
    kind = getattr(visual, "kind", None)
    if kind in ("vertex", "face"):
        colours = np.asarray(visual.vertex_colors, dtype=np.float32) / 255.0
        return grey, colours, ""
    material = getattr(visual, "material", None)
    if material is None:
        return grey, None, ""
    name = str(getattr(material, "name", "") or "")
    factor = getattr(material, "baseColorFactor", None)
    texture = getattr(material, "baseColorTexture", None)
    if hasattr(material, "baseColorFactor"):  # glTF PBR: the factor defaults to white
        rgba = (np.ones(4, dtype=np.float32) if factor is None
                else np.asarray(factor, dtype=np.float32) / 255.0)
    else:  # OBJ/MTL SimpleMaterial: Kd
        texture = getattr(material, "image", None)
        rgba = np.asarray(material.main_color, dtype=np.float32) / 255.0
    if texture is not None:
        pixels = np.asarray(texture.convert("RGBA"), dtype=np.float32) / 255.0
        mean = pixels.reshape(-1, 4).mean(axis=0)
        mean[:3] = srgb_to_linear(pixels[..., :3]).reshape(-1, 3).mean(axis=0)
        rgba = rgba * mean
    return np.clip(rgba, 0.0, 1.0).astype(np.float32), None, name


def _clean(raw: dict[str, Any], span: float) -> tuple[MeshPart | None, int]:
    """The part without zero-area triangles, or None when nothing usable is left; and how many went."""
    positions = raw["positions"]
    faces = raw["faces"]
    if span <= 0.0 or not np.any(positions):
        return None, len(faces)
    a, b, c = positions[faces[:, 0]], positions[faces[:, 1]], positions[faces[:, 2]]
    area = 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1)
    good = area > _DEGENERATE_AREA * span * span
    if not good.any():
        return None, len(faces)
    faces = faces[good]
    # keep only the vertices the remaining triangles use (those of degenerate ones have no normal)
    used, faces = np.unique(faces, return_inverse=True)
    faces = faces.reshape(-1, 3)
    positions = positions[used]
    normals = raw["normals"][used]
    colours = raw["vertex_colors"][used] if raw["vertex_colors"] is not None else None
    norm = np.linalg.norm(normals, axis=1)
    if np.any(norm == 0.0):  # a vertex whose faces cancel out: take one of its faces' normals
        face_normals = np.cross(positions[faces[:, 1]] - positions[faces[:, 0]],
                                positions[faces[:, 2]] - positions[faces[:, 0]])
        for k in np.flatnonzero(norm == 0.0):
            normals[k] = face_normals[np.argmax((faces == k).any(axis=1))]
        norm = np.linalg.norm(normals, axis=1)
    normals = normals / norm[:, np.newaxis]
    part = MeshPart(name=raw["name"], material=raw["material"],
                    positions=positions.astype(np.float32), normals=normals.astype(np.float32),
                    indices=faces.astype(np.uint32), base_color=raw["base_color"],
                    vertex_colors=colours)
    return part, int((~good).sum())


def _scaled(part: MeshPart, scale: float) -> MeshPart:
    return MeshPart(name=part.name, material=part.material,
                    positions=(part.positions.astype(np.float64) * scale).astype(np.float32),
                    normals=part.normals, indices=part.indices, base_color=part.base_color,
                    vertex_colors=part.vertex_colors)
