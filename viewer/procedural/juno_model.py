"""The procedural Juno spacecraft model: geometry in metres, written as glTF 2.0 binary (``.glb``).

Frame and units
---------------
Every vertex is in the NAIF ``JUNO_SPACECRAFT`` frame (ID −61000), in metres:

- +Z is the nominal spin axis and points along the high-gain-antenna (HGA) boresight;
- +X is along the symmetry axis of solar array 1 and points towards the magnetometer boom;
- +Y completes a right-handed frame; JunoCam looks along −X;
- the origin is on the launch-vehicle separation plane, i.e. the aft deck of the bus (z = 0).

Source: NAIF Juno frames kernel ``juno_v02.tf`` (B. Semenov, 2009), sections "Spacecraft Bus Frame",
"Solar Array Frames", "Antenna Frames", "Magnetometer Frames" and "Truster Frames"; the JunoCam
boresight ≈ −X is docs/sources.md §4a (USGS ALE JunoCam ISD). All node transforms are identity, so a
vertex's coordinates in the file are its coordinates in that frame.

Layout (each published number is cited where it is used below; every other number is marked
*estimated* and listed in ``models/README.md``): a hexagonal two-deck bus carrying the titanium
radiation vault on its forward deck and the HGA dish above the vault; three solar-array wings at
120° in the bus's mid-plane, cells facing +Z; the magnetometer boom in place of the fourth panel of
wing 1; two rocket-engine modules (REMs) on ±Y and the main engine on −Z; JunoCam on the −X face.

The build is deterministic: the same code gives byte-identical ``.glb`` files (no randomness, no
timestamps, and the glTF JSON is written by trimesh from ordered containers). trimesh is imported
inside the functions that need it and matplotlib only by :func:`render_previews`, so importing this
module is cheap.
"""

from __future__ import annotations

import io
import itertools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from viewer.atomic import write_atomic, write_bytes_atomic

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
Vec = Sequence[float] | NDArray[Any]  # a point or direction (m)

GENERATOR = "jupitershine viewer.procedural.juno_model"

# --- dimensions (metres) --------------------------------------------------------------------------
# Bus: "3.5 meters tall and 3.5 meters in diameter ... hexagonal ... two-deck structure"
# (spaceflight101.com/juno-spacecraft-information.html, docs/sources.md §4c). We read "diameter" as the
# circumscribed (corner-to-corner) diameter, and "3.5 m tall" as the core from the aft deck to the
# top of the radiation vault: the vault sits *on* the forward deck, visible between bus and dish
# (NASA/JPL PIA13255 caption), and the whole spacecraft is only 4.6 m tall including HGA and main
# engine (docs/sources.md §4c), which leaves no room for a 3.5 m hexagon *plus* vault and dish.
BUS_DIAMETER = 3.5  # corner to corner (spaceflight101)
CORE_HEIGHT = 3.5  # aft deck to the top of the vault (spaceflight101, read as above)
VAULT_SIZE = 1.0  # "roughly a cube ... each side about a square metre" (NASA, "Juno Armored Up
# to Go to Jupiter", 2010-07-12)
BUS_HEIGHT = CORE_HEIGHT - VAULT_SIZE  # hexagon side walls, 2.5 m: follows from the two above
BUS_APOTHEM = 0.5 * BUS_DIAMETER * math.cos(math.pi / 6)  # centre to the middle of a face, 1.516 m

# Solar arrays: three wings, each 2.65 m wide x 8.9 m long (JPL Photojournal PIA13928, docs/sources.md §4c);
# two wings have four hinged panels, the third three panels plus the magnetometer boom in place of
# the fourth; one panel is narrower, 2.091 m, for stowage (Wikipedia "Juno (spacecraft)", Solar
# panels, copy at liquisearch.com/juno_spacecraft/solar_panels). We make the innermost panel of
# each wing the narrow one (our reading; the source does not say which panel).
ARRAY_LENGTH = 8.9  # from the inner edge of panel 1 to the outer edge of panel 4 (PIA13928)
ARRAY_WIDTH = 2.65  # (PIA13928)
NARROW_PANEL_WIDTH = 2.091  # (Wikipedia, as above)
PANEL_GAP = 0.05  # hinge gap between panels: estimated
PANEL_LENGTH = (ARRAY_LENGTH - 3 * PANEL_GAP) / 4  # 2.1875 m
PANEL_THICKNESS = 0.03  # aluminium-honeycomb substrate: estimated
YOKE_LENGTH = 0.10  # bus face to the inner edge of panel 1: estimated
ARRAY_Z = 2.35  # mid-plane of the arrays, near the forward end of the bus: estimated from the
# juno_v02.tf "-Y side view" diagram, which draws the wings at the top of the bus
ARRAY_ROOT = BUS_APOTHEM + YOKE_LENGTH  # radius of the inner edge of panel 1
# Wing azimuths about +Z (degrees): SA1 on +X (it carries the boom), SA3 at +120° (+Y side) and SA2
# at -120° (juno_v02.tf "Solar Array Frames" diagram).
WING_AZIMUTH_DEG = {1: 0.0, 2: -120.0, 3: 120.0}
CELL_PITCH = 0.18  # one quad per block of cells, about this size: stylised (see README)
CELL_GAP = 0.03  # gap between blocks, showing the panel frame: stylised (wide enough to see)
CELL_BORDER = 0.04  # bare frame around the cell area of a panel: estimated

# Magnetometer boom: "a 4 m rigid boom at the outer end of one of the three solar-array wings";
# fluxgate sensors at 10 m and 12 m from the spacecraft, each on an optical bench with two star
# cameras (Connerney et al., AGU Fall Meeting 2008, SM41B-1679; docs/sources.md §4c). Distances are taken
# from the spin axis.
BOOM_LENGTH = 4.0
BENCH_RADII = {"ib": 10.0, "ob": 12.0}  # inboard and outboard benches (Connerney 2008)
BOOM_WIDTH = 0.45  # square truss, side: estimated
ASC_TILT_DEG = 13.0  # star-camera boresights 13° either side of -Z (juno_v02.tf, ASC frames)

# High-gain antenna: 2.5 m dual-reflector dish (ANTENNA_D = 2.5 m and X-band gain 44.5 dBi in a
# public TT&C sizing script citing the JPL "Juno Telecommunications" summary; 44.5 dBi at 8.4 GHz
# is what a 2.5 m dish gives at ~60 % efficiency). Not published (docs/sources.md §4c): see models/README.md.
HGA_DIAMETER = 2.5
HGA_DEPTH = 0.35  # rim above vertex: estimated (focal length 1.12 m, f/D 0.45)
HGA_VERTEX_Z = CORE_HEIGHT + 0.05  # on a short mount on top of the vault: estimated
SUBREFLECTOR_Z = HGA_VERTEX_Z + 0.62  # Cassegrain subreflector inside the focus: estimated
SUBREFLECTOR_RADIUS = 0.2  # estimated

# Main engine (Leros-1b, 645 N; spaceflight101) on -Z: bell below the separation plane. Sizes
# estimated. Overall height (engine exit to subreflector top) comes out at 4.6 m (docs/sources.md §4c).
ENGINE_EXIT_Z = -0.36
ENGINE_EXIT_RADIUS = 0.17

# JunoCam camera head on the -X face (boresight -X, docs/sources.md §4a); box and lens sizes estimated.
JUNOCAM_Z = 1.95

# Overall span 20.1 m x 4.6 m (Wikipedia infobox, docs/sources.md §4c): here the largest distance between
# two points of the model in the XY plane (magnetometer-boom tip to the far corner of wing 2).
PUBLISHED_SPAN = 20.1
PUBLISHED_HEIGHT = 4.6


# --- materials ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Material:
    """A glTF 2.0 metallic-roughness material; ``srgb`` is the base colour as displayed (sRGB)."""

    name: str
    srgb: tuple[float, float, float]
    metallic: float
    roughness: float
    double_sided: bool = False

    @property
    def base_color_linear(self) -> list[float]:
        """glTF ``baseColorFactor`` (linear RGB, alpha 1), rounded to 5 decimals."""
        return [round(_srgb_to_linear(c), 5) for c in self.srgb] + [1.0]


def _srgb_to_linear(c: float) -> float:
    """IEC 61966-2-1 sRGB decoding of one channel in [0, 1]."""
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


MATERIALS: dict[str, Material] = {m.name: m for m in (
    Material("solar_cells", (0.10, 0.14, 0.34), 0.1, 0.25),  # dark-blue triple-junction cells
    Material("array_frame", (0.60, 0.62, 0.66), 0.6, 0.40),  # front sheet/interconnects
    Material("array_back", (0.10, 0.10, 0.11), 0.0, 0.80),  # graphite-composite back
    Material("mli_black", (0.05, 0.05, 0.055), 0.0, 0.55),  # black Kapton blankets
    Material("mli_gold", (0.93, 0.72, 0.33), 1.0, 0.35),  # gold (aluminised Kapton) blankets
    Material("white_paint", (0.92, 0.92, 0.90), 0.0, 0.50),  # HGA reflector
    Material("titanium", (0.62, 0.60, 0.57), 1.0, 0.45),  # radiation vault
    Material("metal_grey", (0.55, 0.56, 0.58), 0.8, 0.45),  # struts, hinges, fittings
    Material("boom_composite", (0.78, 0.78, 0.76), 0.0, 0.60),  # magnetometer-boom truss
    Material("nozzle", (0.22, 0.22, 0.24), 1.0, 0.50),  # coated niobium engine bells
    Material("lens_glass", (0.02, 0.03, 0.05), 0.0, 0.05),
    Material("sensor_white", (0.90, 0.90, 0.88), 0.0, 0.60),  # fluxgate sensor covers
)}


# --- geometry helpers: (vertices, faces), faces counter-clockwise seen from outside ---------------

@dataclass
class _Part:
    """Triangles of one material, to become one glTF mesh under ``node``."""

    node: str
    mesh: str
    material: str
    verts: list[F64] = field(default_factory=list)
    faces: list[I64] = field(default_factory=list)
    count: int = 0

    def add(self, vf: tuple[F64, I64]) -> None:
        v, f = vf
        self.verts.append(v)
        self.faces.append(f + self.count)
        self.count += len(v)


def _quads(v: F64, quads: Sequence[Sequence[int]]) -> tuple[F64, I64]:
    """Unshared vertices (hard edges): each quad (a, b, c, d) gets its own 4 vertices."""
    verts = np.concatenate([v[list(q)] for q in quads]).reshape(-1, 3)
    base = 4 * np.arange(len(quads))[:, None]
    faces = np.concatenate([base + np.array([0, 1, 2]), base + np.array([0, 2, 3])], axis=1)
    faces = faces.reshape(-1, 3)
    return verts, faces.astype(np.int64)


_BOX_QUADS = {  # corner index bits: x = 1, y = 2, z = 4
    "-x": (0, 4, 6, 2), "+x": (1, 3, 7, 5), "-y": (0, 1, 5, 4),
    "+y": (2, 6, 7, 3), "-z": (0, 2, 3, 1), "+z": (4, 5, 7, 6),
}


def _box(lo: Sequence[float], hi: Sequence[float],
         sides: Sequence[str] = ("-x", "+x", "-y", "+y", "-z", "+z")) -> tuple[F64, I64]:
    """Axis-aligned box between corners ``lo`` and ``hi`` (m), only the listed sides."""
    lo_, hi_ = np.asarray(lo, float), np.asarray(hi, float)
    corners = np.array([[(hi_ if (i >> k) & 1 else lo_)[k] for k in range(3)] for i in range(8)])
    return _quads(corners, [_BOX_QUADS[s] for s in sides])


def _frame(axis: F64) -> F64:
    """Rows (u, v, w): an orthonormal frame with w along ``axis``."""
    w = axis / np.linalg.norm(axis)
    ref = np.array([0.0, 0.0, 1.0]) if abs(w[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    u = np.cross(ref, w)
    u /= np.linalg.norm(u)
    return np.array([u, np.cross(w, u), w])


def _beam(p0: Vec, p1: Vec, width: float,
          height: float | None = None) -> tuple[F64, I64]:
    """A box of square (or width x height) cross-section from point p0 to p1 (m)."""
    a, b = np.asarray(p0, float), np.asarray(p1, float)
    rows = _frame(b - a)
    h = width if height is None else height
    v, f = _box((-width / 2, -h / 2, 0.0), (width / 2, h / 2, float(np.linalg.norm(b - a))))
    return v @ rows + a, f


def _frustum(p0: Vec, p1: Vec, r0: float, r1: float, n: int = 12,
             cap0: bool = True, cap1: bool = True) -> tuple[F64, I64]:
    """A cylinder/cone frustum from p0 (radius r0) to p1 (radius r1), smooth sides, flat caps."""
    a, b = np.asarray(p0, float), np.asarray(p1, float)
    rows = _frame(b - a)
    t = 2 * np.pi * np.arange(n) / n
    ring = np.stack([np.cos(t), np.sin(t), np.zeros(n)], axis=1)
    length = float(np.linalg.norm(b - a))
    verts: list[F64] = []
    faces: list[NDArray[np.int64]] = []
    i = np.arange(n)
    j = (i + 1) % n
    if r1 > 0:
        verts += [ring * r0, ring * r1 + [0, 0, length]]
        faces += [np.stack([i, j, n + j], 1), np.stack([i, n + j, n + i], 1)]
    else:  # cone: apex triangles
        verts += [ring * r0, np.array([[0.0, 0.0, length]])]
        faces += [np.stack([i, j, np.full(n, n)], 1)]
    count = sum(len(v) for v in verts)
    for r, z, flip, on in ((r0, 0.0, True, cap0), (r1, length, False, cap1)):
        if on and r > 0:
            verts += [ring * r + [0, 0, z], np.array([[0.0, 0.0, z]])]
            c = count + n
            tri = np.stack([count + j, count + i, np.full(n, c)], 1) if flip else \
                np.stack([count + i, count + j, np.full(n, c)], 1)
            faces.append(tri)
            count += n + 1
    v = np.concatenate(verts) @ rows + a
    return v, np.concatenate(faces).astype(np.int64)


def _dish(radius: float, depth: float, z0: float, thickness: float, rings: int = 8,
          n: int = 48) -> tuple[F64, I64]:
    """A closed paraboloidal shell about +Z: concave side up, vertex at z0 (m)."""
    r = radius * (np.arange(1, rings + 1) / rings)
    t = 2 * np.pi * np.arange(n) / n

    def surface(dz: float) -> F64:
        pts = [[0.0, 0.0, z0 + dz]]
        for ri in r:
            zi = z0 + dz + depth * (ri / radius) ** 2
            pts += [[ri * math.cos(a), ri * math.sin(a), zi] for a in t]
        return np.array(pts)

    top, bottom = surface(0.0), surface(-thickness)
    m = len(top)
    i = np.arange(n)
    j = (i + 1) % n
    faces = [np.stack([np.zeros(n, int), 1 + i, 1 + j], 1)]  # centre fan, normal +Z
    for k in range(rings - 1):
        a0, a1 = 1 + k * n, 1 + (k + 1) * n
        faces += [np.stack([a0 + i, a1 + i, a1 + j], 1), np.stack([a0 + i, a1 + j, a0 + j], 1)]
    front = np.concatenate(faces)
    back = front[:, ::-1] + m
    o = 1 + (rings - 1) * n  # outer ring
    rim = np.concatenate([np.stack([o + i, m + o + j, o + j], 1),
                          np.stack([o + i, m + o + i, m + o + j], 1)])
    # the rim quads wind outward: top ring then bottom ring
    return np.concatenate([top, bottom]), np.concatenate([front, back, rim]).astype(np.int64)


def _rot_z(deg: float) -> F64:
    """Rotation matrix (applied as v @ R.T) for a rotation by ``deg`` about +Z."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def _rotated(vf: tuple[F64, I64], deg: float) -> tuple[F64, I64]:
    return vf[0] @ _rot_z(deg).T, vf[1]


def _hexagon(radius: float) -> F64:
    """Corners of the bus hexagon (XY, m): faces normal to 0°, 60°, ...; corners at 30°, 90°, ..."""
    a = np.radians(30.0 + 60.0 * np.arange(6))
    return np.stack([radius * np.cos(a), radius * np.sin(a)], 1)


# --- the parts ------------------------------------------------------------------------------------

class _Model:
    """Collects the parts as (node path, mesh, material) groups, in a fixed order."""

    def __init__(self) -> None:
        self.parts: dict[str, _Part] = {}
        self.parents: dict[str, str] = {"juno": "world"}  # node -> parent, insertion-ordered
        self.node_extras: dict[str, dict[str, Any]] = {}

    def group(self, node: str, parent: str = "juno", **extras: Any) -> str:
        self.parents[node] = parent
        if extras:
            self.node_extras[node] = extras
        return node

    def add(self, node: str, mesh: str, material: str, vf: tuple[F64, I64]) -> None:
        if mesh not in self.parts:
            self.parts[mesh] = _Part(node, mesh, material)
        part = self.parts[mesh]
        if (part.node, part.material) != (node, material):
            raise ValueError(f"mesh {mesh!r} reused with another node or material")
        part.add(vf)


def _build_bus(m: _Model) -> None:
    bus = m.group("bus", naif_frame="JUNO_SPACECRAFT")
    hexa = _hexagon(BUS_DIAMETER / 2)
    walls: list[list[int]] = []
    v = np.array([[x, y, z] for z in (0.0, BUS_HEIGHT) for x, y in hexa])
    for k in range(6):
        k1 = (k + 1) % 6
        walls.append([k, k1, 6 + k1, 6 + k])
    m.add(bus, "bus_walls", "mli_black", _quads(v, walls))
    # aft and forward decks (fans about the axis)
    for z, name, up in ((0.0, "bus_aft_deck", False), (BUS_HEIGHT, "bus_forward_deck", True)):
        ring = np.array([[x, y, z] for x, y in hexa] + [[0.0, 0.0, z]])
        tri = [[6, k, (k + 1) % 6] if up else [6, (k + 1) % 6, k] for k in range(6)]
        m.add(bus, name, "mli_gold" if name == "bus_aft_deck" else "mli_black",
              (ring, np.array(tri, dtype=np.int64)))
    # launch-adapter ring on the separation plane (z = 0): estimated 1.2 m diameter
    m.add(bus, "bus_adapter_ring", "metal_grey",
          _frustum((0, 0, 0.0), (0, 0, -0.08), 0.62, 0.62, n=36))


def _build_vault(m: _Model) -> None:
    vault = m.group("vault")
    h = VAULT_SIZE / 2
    m.add(vault, "vault_box", "titanium",
          _box((-h, -h, BUS_HEIGHT), (h, h, BUS_HEIGHT + VAULT_SIZE)))


def _build_hga(m: _Model) -> None:
    hga = m.group("hga", naif_frame="JUNO_HGA")
    radius = HGA_DIAMETER / 2
    m.add(hga, "hga_mount", "mli_black",
          _frustum((0, 0, CORE_HEIGHT), (0, 0, HGA_VERTEX_Z), 0.35, 0.30, n=24))
    m.add(hga, "hga_dish", "white_paint", _dish(radius, HGA_DEPTH, HGA_VERTEX_Z, 0.03))
    # feed horn at the vertex and the subreflector on a tripod
    m.add(hga, "hga_feed", "white_paint",
          _frustum((0, 0, HGA_VERTEX_Z), (0, 0, HGA_VERTEX_Z + 0.25), 0.08, 0.13, n=16))
    m.add(hga, "hga_subreflector", "white_paint",
          _frustum((0, 0, SUBREFLECTOR_Z - 0.06), (0, 0, SUBREFLECTOR_Z), 0.04,
                   SUBREFLECTOR_RADIUS, n=24))
    m.add(hga, "hga_subreflector", "white_paint",
          _frustum((0, 0, SUBREFLECTOR_Z), (0, 0, SUBREFLECTOR_Z + 0.03), SUBREFLECTOR_RADIUS,
                   SUBREFLECTOR_RADIUS, n=24, cap0=False))
    r_foot = 0.85
    z_foot = HGA_VERTEX_Z + HGA_DEPTH * (r_foot / radius) ** 2
    for k in range(3):
        a = math.radians(90.0 + 120.0 * k)
        foot = (r_foot * math.cos(a), r_foot * math.sin(a), z_foot)
        top = (0.9 * SUBREFLECTOR_RADIUS * math.cos(a), 0.9 * SUBREFLECTOR_RADIUS * math.sin(a),
               SUBREFLECTOR_Z - 0.01)
        m.add(hga, "hga_struts", "metal_grey", _beam(foot, top, 0.035))


def _build_junocam(m: _Model) -> None:
    """JunoCam camera head on the -X face, looking along -X (docs/sources.md §4a); sizes estimated."""
    cam = m.group("junocam", naif_frame="JUNO_JUNOCAM")
    x0 = -BUS_APOTHEM
    m.add(cam, "junocam_body", "mli_black",
          _box((x0 - 0.22, -0.12, JUNOCAM_Z - 0.15), (x0, 0.12, JUNOCAM_Z + 0.15)))
    m.add(cam, "junocam_mount", "metal_grey",
          _box((x0 - 0.04, -0.16, JUNOCAM_Z - 0.2), (x0, 0.16, JUNOCAM_Z - 0.15)))
    lens0 = (x0 - 0.22, 0.0, JUNOCAM_Z)
    m.add(cam, "junocam_lens", "metal_grey",
          _frustum(lens0, (x0 - 0.34, 0.0, JUNOCAM_Z), 0.055, 0.065, n=16, cap1=False))
    m.add(cam, "junocam_glass", "lens_glass",
          _frustum((x0 - 0.32, 0.0, JUNOCAM_Z), (x0 - 0.33, 0.0, JUNOCAM_Z), 0.05, 0.05,
                   n=16, cap0=False))


def _build_thrusters(m: _Model) -> None:
    """Two rocket-engine modules on ±Y (juno_v02.tf thruster frames) and the main engine on -Z.

    Each REM carries a forward and an aft cluster of one axial and two lateral nozzles; lateral
    nozzles are canted ~12.5° away from the bus as the kernel's REM_FL/RL frames are. Sizes are
    estimated.
    """
    thr = m.group("thrusters")
    r_vertex = BUS_DIAMETER / 2
    for sign, name in ((1.0, "rem_pos_y"), (-1.0, "rem_neg_y")):
        node = m.group(name, parent=thr)
        y0 = sign * (r_vertex + 0.05)
        y1 = sign * (r_vertex + 0.35)
        lo_y, hi_y = sorted((y0, y1))
        z_lo, z_hi = 0.25, 2.0
        m.add(node, f"{name}_body", "mli_gold", _box((-0.15, lo_y, z_lo), (0.15, hi_y, z_hi)))
        for z in (0.5, 1.75):  # two struts to the bus corner
            m.add(node, f"{name}_struts", "metal_grey",
                  _beam((0, sign * (r_vertex - 0.02), z), (0, y0 + sign * 0.01, z), 0.06))
        yc = sign * (r_vertex + 0.20)
        for z, dz in ((z_hi, 1.0), (z_lo, -1.0)):
            m.add(node, f"{name}_nozzles", "nozzle",
                  _frustum((0, yc, z), (0, yc, z + dz * 0.14), 0.025, 0.06, n=10, cap1=False))
            cant = math.tan(math.radians(12.5))
            for sx in (1.0, -1.0):
                p0 = np.array([sx * 0.15, yc, z - dz * 0.08])
                d = np.array([sx, 0.0, dz * cant])
                d /= np.linalg.norm(d)
                m.add(node, f"{name}_nozzles", "nozzle",
                      _frustum(p0, p0 + 0.13 * d, 0.022, 0.05, n=10, cap1=False))
    eng = m.group("main_engine", parent=thr)
    m.add(eng, "main_engine_bell", "nozzle",
          _frustum((0, 0, 0.12), (0, 0, ENGINE_EXIT_Z), 0.07, ENGINE_EXIT_RADIUS, n=24,
                   cap1=False))
    m.add(eng, "main_engine_chamber", "metal_grey",
          _frustum((0, 0, 0.30), (0, 0, 0.12), 0.10, 0.07, n=16))


def _panel_grid(x0: float, length: float, width: float) -> tuple[F64, F64]:
    """Cell-block edges of one panel: (u intervals, v intervals), each row (start, end) in m.

    Wing-local coordinates: u along the wing (from ``x0``), v across it (centred).
    """
    nu = max(1, round((length - 2 * CELL_BORDER) / CELL_PITCH))
    nv = max(1, round((width - 2 * CELL_BORDER) / CELL_PITCH))
    du = (length - 2 * CELL_BORDER) / nu
    dv = (width - 2 * CELL_BORDER) / nv
    u0 = x0 + CELL_BORDER + du * np.arange(nu) + CELL_GAP / 2
    v0 = -width / 2 + CELL_BORDER + dv * np.arange(nv) + CELL_GAP / 2
    return np.stack([u0, u0 + du - CELL_GAP], 1), np.stack([v0, v0 + dv - CELL_GAP], 1)


def _rects(rects: Sequence[tuple[float, float, float, float]], z: float) -> tuple[F64, I64]:
    """Up-facing (+Z) rectangles (u0, u1, v0, v1) at height z, one quad each."""
    verts = np.array([[[u0, v0, z], [u1, v0, z], [u1, v1, z], [u0, v1, z]]
                      for u0, u1, v0, v1 in rects], dtype=float).reshape(-1, 3)
    return _quads(verts, [range(4 * k, 4 * k + 4) for k in range(len(rects))])


def _panel_top(x0: float, length: float, width: float, z: float
               ) -> tuple[tuple[F64, I64], tuple[F64, I64]]:
    """The +Z face of one panel as (cells, frame): cell blocks, and the strips between them.

    Both lie in the plane z and do not overlap each other (frame strips cross each other only,
    in the same material), so no renderer sees coplanar fighting between cells and frame.
    """
    us, vs = _panel_grid(x0, length, width)
    cells = [(u0, u1, v0, v1) for u0, u1 in us for v0, v1 in vs]
    ucuts = [x0, *us.ravel(), x0 + length]  # gaps along u: between consecutive cut pairs
    vcuts = [-width / 2, *vs.ravel(), width / 2]
    frame = [(ucuts[2 * i], ucuts[2 * i + 1], -width / 2, width / 2)
             for i in range(len(ucuts) // 2)]
    frame += [(x0, x0 + length, vcuts[2 * i], vcuts[2 * i + 1]) for i in range(len(vcuts) // 2)]
    return _rects(cells, z), _rects(frame, z)


def _build_wing(m: _Model, k: int) -> None:
    """Wing ``k`` (1, 2, 3) along its azimuth; wing 1 has three panels and the boom."""
    az = WING_AZIMUTH_DEG[k]
    wing = m.group(f"wing_{k}", naif_frame=f"JUNO_SA{k}")
    n_panels = 3 if k == 1 else 4
    z_lo, z_hi = ARRAY_Z - PANEL_THICKNESS / 2, ARRAY_Z + PANEL_THICKNESS / 2
    for p in range(1, n_panels + 1):
        node = m.group(f"wing_{k}_panel_{p}", parent=wing)
        x0 = ARRAY_ROOT + (p - 1) * (PANEL_LENGTH + PANEL_GAP)
        x1 = x0 + PANEL_LENGTH
        w = NARROW_PANEL_WIDTH if p == 1 else ARRAY_WIDTH
        lo, hi = (x0, -w / 2, z_lo), (x1, w / 2, z_hi)
        cells, frame = _panel_top(x0, PANEL_LENGTH, w, z_hi)
        m.add(node, f"{node}_cells", "solar_cells", _rotated(cells, az))
        m.add(node, f"{node}_frame", "array_frame", _rotated(frame, az))
        m.add(node, f"{node}_back", "array_back",
              _rotated(_box(lo, hi, ("-x", "+x", "-y", "+y", "-z")), az))
    # hinges: the yoke from the bus face and two hinge blocks across each gap
    hinge = f"wing_{k}_hinges"
    for y in (-0.7, 0.7):
        m.add(wing, hinge, "metal_grey", _rotated(
            _beam((BUS_APOTHEM, y, ARRAY_Z), (ARRAY_ROOT + 0.05, y, ARRAY_Z), 0.06), az))
        for p in range(1, n_panels):
            xg = ARRAY_ROOT + p * PANEL_LENGTH + (p - 0.5) * PANEL_GAP
            m.add(wing, hinge, "metal_grey", _rotated(
                _frustum((xg, y - 0.1, ARRAY_Z), (xg, y + 0.1, ARRAY_Z), 0.03, 0.03, n=8), az))
    if k == 1:
        _build_mag_boom(m, wing, ARRAY_ROOT + 3 * PANEL_LENGTH + 2 * PANEL_GAP)


def _build_mag_boom(m: _Model, wing: str, x_root: float) -> None:
    """The 4 m magnetometer boom on +X at the end of wing 1, with its two optical benches."""
    boom = m.group("mag_boom", parent=wing)
    x_tip = x_root + BOOM_LENGTH
    h = BOOM_WIDTH / 2
    z = ARRAY_Z
    corners = [(-h, -h), (h, -h), (h, h), (-h, h)]  # (y, dz)
    rod = 0.03
    for y, dz in corners:  # longerons
        m.add(boom, "mag_boom_truss", "boom_composite",
              _beam((x_root, y, z + dz), (x_tip, y, z + dz), rod))
    stations = np.linspace(x_root, x_tip, 5)
    for xs in stations:  # square frames
        for c in range(4):
            (y0, d0), (y1, d1) = corners[c], corners[(c + 1) % 4]
            m.add(boom, "mag_boom_truss", "boom_composite",
                  _beam((xs, y0, z + d0), (xs, y1, z + d1), rod * 0.8))
    for a, b in itertools.pairwise(stations):  # one diagonal per side per bay
        for c in range(4):
            (y0, d0), (y1, d1) = corners[c], corners[(c + 1) % 4]
            m.add(boom, "mag_boom_truss", "boom_composite",
                  _beam((a, y0, z + d0), (b, y1, z + d1), rod * 0.6))
    m.add(boom, "mag_boom_root", "metal_grey",
          _box((x_root - 0.02, -h - 0.05, z - h - 0.05), (x_root + 0.06, h + 0.05, z + h + 0.05)))
    for key, r in BENCH_RADII.items():
        bench = m.group(f"mag_bench_{key}", parent=boom, naif_frame=f"JUNO_MOB_{key.upper()}")
        xb = r
        # bench plate across the truss, fluxgate on top (+Z), two star cameras looking -Z
        m.add(bench, f"mag_bench_{key}_plate", "mli_gold",
              _box((xb - 0.2, -h - 0.08, z - 0.04), (xb + 0.2, h + 0.08, z + 0.04)))
        m.add(bench, f"mag_bench_{key}_fgm", "sensor_white",
              _frustum((xb, 0.0, z + 0.04), (xb, 0.0, z + 0.16), 0.07, 0.07, n=16))
        for sy in (-1.0, 1.0):
            tilt = math.radians(ASC_TILT_DEG)
            p0 = np.array([xb, sy * 0.14, z - 0.04])
            d = np.array([0.0, sy * math.sin(tilt), -math.cos(tilt)])
            m.add(bench, f"mag_bench_{key}_asc", "mli_black",
                  _frustum(p0, p0 + 0.16 * d, 0.045, 0.055, n=12))


def build_model() -> _Model:
    """All parts of the model, in the spacecraft frame (m)."""
    m = _Model()
    _build_bus(m)
    _build_vault(m)
    _build_hga(m)
    _build_junocam(m)
    _build_thrusters(m)
    for k in (1, 2, 3):
        _build_wing(m, k)
    return m


# --- export ---------------------------------------------------------------------------------------

def _trimesh() -> Any:
    """trimesh, imported on first use (it is untyped; callers treat it as ``Any``)."""
    import trimesh
    import trimesh.exchange.gltf
    import trimesh.visual.material

    return trimesh


def build_scene() -> Any:
    """The model as a :class:`trimesh.Scene`: one mesh per (part, material), named nodes.

    Node tree: ``juno`` → ``bus``, ``vault``, ``hga``, ``junocam``, ``thrusters`` (→ ``rem_pos_y``,
    ``rem_neg_y``, ``main_engine``), ``wing_1`` … ``wing_3`` (→ ``wing_k_panel_p``; ``wing_1`` →
    ``mag_boom`` → ``mag_bench_ib``, ``mag_bench_ob``). All transforms are identity.
    """
    trimesh = _trimesh()
    model = build_model()
    scene = trimesh.Scene(base_frame="world")
    for node, parent in model.parents.items():
        scene.graph.update(frame_from=parent, frame_to=node, matrix=np.eye(4))
    for part in model.parts.values():
        verts = np.concatenate(part.verts)
        faces = np.concatenate(part.faces)
        mat = MATERIALS[part.material]
        mesh = trimesh.Trimesh(verts, faces, process=False)
        pbr = trimesh.visual.material.PBRMaterial(  # factors overwritten exactly in _postprocess
            name=mat.name, baseColorFactor=[*mat.srgb, 1.0], metallicFactor=mat.metallic,
            roughnessFactor=mat.roughness, doubleSided=mat.double_sided)
        mesh.visual = trimesh.visual.TextureVisuals(material=pbr)
        mesh.metadata = {}
        scene.add_geometry(mesh, geom_name=part.mesh, node_name=part.mesh,
                           parent_node_name=part.node)
    scene.metadata = {}
    return scene


def _postprocess(tree: dict[str, Any], model: _Model) -> None:
    """Exact material factors, per-mesh and per-node extras, and our asset block."""
    tree["asset"] = {"version": "2.0", "generator": GENERATOR,
                     "copyright": "Jupitershine developers; procedural, see models/README.md",
                     "extras": {"units": "m", "frame": "JUNO_SPACECRAFT (NAIF -61000)",
                                "axes": "+Z spin axis/HGA boresight, -X JunoCam boresight, "
                                        "+X magnetometer boom"}}
    for mat in tree.get("materials", []):
        spec = MATERIALS[mat["name"]]
        mat["pbrMetallicRoughness"] = {"baseColorFactor": spec.base_color_linear,
                                       "metallicFactor": spec.metallic,
                                       "roughnessFactor": spec.roughness}
        mat["doubleSided"] = spec.double_sided
    for mesh in tree.get("meshes", []):
        part = model.parts[mesh["name"]]
        mesh["extras"] = {"part": part.node, "material": part.material}
    for node in tree.get("nodes", []):
        extras = model.node_extras.get(node.get("name", ""))
        if extras:
            node["extras"] = dict(extras)


def glb_bytes() -> bytes:
    """The model as GLB bytes (deterministic)."""
    trimesh = _trimesh()
    model = build_model()
    scene = build_scene()
    return bytes(trimesh.exchange.gltf.export_glb(
        scene, include_normals=True, tree_postprocessor=lambda t: _postprocess(t, model)))


def default_path() -> Path:
    """``models/juno.glb`` in a checkout (or the installed package's data folder)."""
    from viewer.paths import data_dir

    return data_dir("models") / "juno.glb"


def write_glb(path: str | os.PathLike[str] | None = None) -> Path:
    """Write the model to ``path`` (default :func:`default_path`) atomically, with the permissions the
    umask gives (:func:`viewer.atomic.write_atomic`); returns the path."""
    out = Path(path) if path is not None else default_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_bytes_atomic(out, glb_bytes())


# --- measurements (used by the README, the CLI summary and the tests) -----------------------------

def world_meshes(scene: Any) -> dict[str, Any]:
    """Each geometry of ``scene`` moved to the spacecraft frame, keyed by node name."""
    out = {}
    for node in scene.graph.nodes_geometry:
        matrix, geom = scene.graph[node]
        mesh = scene.geometry[geom].copy()
        mesh.apply_transform(matrix)
        out[node] = mesh
    return out


def summary(scene: Any | None = None) -> dict[str, float | int]:
    """Triangle count and the main measured dimensions (m) of the model, with the definitions that
    ``jupitershine assets`` reports for any model (:class:`viewer.render.meshes.ModelMesh`): ``span_m``
    the largest side of the axis-aligned bounding box (what ``--spacecraft-size`` sets),
    ``tip_to_tip_m`` the largest distance between two points across the spin axis (the arrays' span)."""
    from viewer.render.meshes import tip_to_tip

    if scene is None:
        scene = build_scene()
    meshes = world_meshes(scene)
    pts = np.concatenate([m.vertices for m in meshes.values()])
    bus = np.concatenate([m.vertices for n, m in meshes.items() if n.startswith("bus_walls")])
    return {
        "triangles": int(sum(len(m.faces) for m in meshes.values())),
        "meshes": len(meshes),
        "span_m": round(float(np.ptp(pts, axis=0).max()), 3),
        "tip_to_tip_m": round(tip_to_tip(pts), 3),
        "height_m": round(float(np.ptp(pts[:, 2])), 3),
        "bus_diameter_m": round(float(np.hypot(bus[:, 0], bus[:, 1]).max() * 2), 3),
        "bus_height_m": round(float(np.ptp(bus[:, 2])), 3),
        "x_min_m": round(float(pts[:, 0].min()), 3),
        "x_max_m": round(float(pts[:, 0].max()), 3),
    }


# --- previews (matplotlib, imported lazily: it is only a docs dependency) -------------------------

PREVIEW_VIEWS: dict[str, tuple[float, float, float]] = {  # name -> (elevation, azimuth) deg, zoom
    "top": (90.0, -90.0, 1.4),
    "side": (0.0, -90.0, 1.4),
    "three_quarter": (25.0, -125.0, 1.1),
}


def _crop_to_content(png: bytes, path: Path, margin: int = 24) -> None:
    """Save ``png`` to ``path`` cropped to the pixels that differ from its corner colour."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        rgb = np.asarray(im.convert("RGB")).astype(int)
    mask = np.abs(rgb - rgb[0, 0]).sum(-1) > 6
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    top, bottom = max(rows[0] - margin, 0), min(rows[-1] + margin + 1, rgb.shape[0])
    left, right = max(cols[0] - margin, 0), min(cols[-1] + margin + 1, rgb.shape[1])
    cropped = Image.fromarray(rgb[top:bottom, left:right].astype(np.uint8))
    write_atomic(path, lambda tmp: cropped.save(tmp, format="PNG", optimize=True))


def render_previews(out_dir: str | os.PathLike[str], scene: Any | None = None,
                    size_px: int = 1800, background: str = "#10131a") -> list[Path]:
    """Write ``juno_model_<view>.png`` for the views in :data:`PREVIEW_VIEWS` into ``out_dir``.

    Flat-shaded triangles coloured by their material's base colour with a Lambert term for a
    light from the +Z/-Y/-X octant, back faces culled. Polygons are outlined in their own colour
    (hiding triangle seams and keeping the sub-pixel frame strips between cell blocks visible),
    except the cell blocks, drawn as whole quads. The images are cropped to the model. Needs
    matplotlib (the project's ``docs`` extra).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    if scene is None:
        scene = build_scene()
    meshes = world_meshes(scene)
    polys: list[F64] = []  # drawn polygons (triangles, or the quads of cells and frame strips)
    cols, widths, normals = [], [], []
    light = np.array([-0.35, -0.55, 0.76])
    light /= np.linalg.norm(light)
    for node, mesh in meshes.items():
        mat = MATERIALS[str(mesh.visual.material.name)]
        lam = np.clip(mesh.face_normals @ light, 0.0, 1.0)
        rgb = np.array(mat.srgb)[None, :] * (0.35 + 0.65 * lam)[:, None]
        rgb = np.clip(rgb + 0.08 * mat.metallic * lam[:, None], 0.0, 1.0)
        flat_quads = node.endswith(("_cells", "_frame"))  # built by _quads: 2 faces per quad
        step = 2 if flat_quads else 1
        polys += list(mesh.vertices.reshape(-1, 4, 3) if flat_quads else mesh.triangles)
        cols.append(rgb[::step])
        normals.append(mesh.face_normals[::step])
        # cells without outlines (their quads have no inner seams); all else outlined in its own
        # colour, which hides triangle seams and keeps sub-pixel frame strips visible
        widths.append(np.full(len(rgb[::step]), 0.0 if node.endswith("_cells") else 0.25))
    all_cols = np.concatenate(cols)
    all_widths = np.concatenate(widths)
    all_normals = np.concatenate(normals)
    pts = np.concatenate(polys)
    lo, hi = pts.min(0), pts.max(0)
    centre, half = (lo + hi) / 2, float((hi - lo).max()) / 2
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (elev, azim, zoom) in PREVIEW_VIEWS.items():
        e, a = math.radians(elev), math.radians(azim)
        to_camera = np.array([math.cos(e) * math.cos(a), math.cos(e) * math.sin(a), math.sin(e)])
        front = np.flatnonzero(all_normals @ to_camera > 0)  # culled: the painter's sort needs it
        fig = plt.figure(figsize=(size_px / 150, size_px / 150), dpi=150)
        ax: Any = fig.add_axes((0.0, 0.0, 1.0, 1.0), projection="3d", proj_type="ortho")
        coll = Poly3DCollection([polys[i] for i in front], facecolors=all_cols[front],
                                edgecolors=all_cols[front], linewidths=all_widths[front])
        ax.add_collection3d(coll)
        for axis, c in zip("xyz", centre, strict=True):
            getattr(ax, f"set_{axis}lim")(c - half, c + half)
        ax.set_box_aspect((1, 1, 1), zoom=zoom)
        ax.view_init(elev=elev, azim=azim)
        ax.set_axis_off()
        fig.patch.set_facecolor(background)
        ax.set_facecolor(background)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", facecolor=background)
        plt.close(fig)
        path = out / f"juno_model_{name}.png"
        _crop_to_content(buf.getvalue(), path)
        written.append(path)
    return written
