"""The committed procedural Juno model, ``models/juno.glb``: layout, sizes, materials, determinism.

All positions are in the JUNO_SPACECRAFT frame (metres): +Z spin axis/HGA, +X magnetometer boom,
-X JunoCam boresight. Published figures are in docs/sources.md §4c.
"""

from __future__ import annotations

import json
import math
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import trimesh
from scipy.spatial import ConvexHull

from viewer.cli import main
from viewer.paths import data_dir
from viewer.procedural import juno_model

GLB = data_dir("models") / "juno.glb"


@pytest.fixture(scope="module")
def scene() -> Any:
    return trimesh.load_scene(str(GLB))


@pytest.fixture(scope="module")
def meshes(scene: Any) -> dict[str, Any]:
    """Every mesh moved into the spacecraft frame, keyed by its node name."""
    return juno_model.world_meshes(scene)


def _under(scene: Any, node: str) -> set[str]:
    """Names of all nodes below ``node`` (and ``node`` itself)."""
    children = scene.graph.transforms.children
    found, todo = set(), [node]
    while todo:
        n = todo.pop()
        found.add(n)
        todo.extend(children.get(n, ()))
    return found


def _points(scene: Any, meshes: dict[str, Any], node: str) -> np.ndarray:
    names = _under(scene, node)
    pts = [m.vertices for n, m in meshes.items() if n in names]
    assert pts, f"no geometry under node {node!r}"
    return np.concatenate(pts)


def _gltf_json(data: bytes) -> dict[str, Any]:
    assert data[:4] == b"glTF" and struct.unpack("<I", data[4:8])[0] == 2
    length, kind = struct.unpack("<II", data[12:20])
    assert kind == 0x4E4F534A  # "JSON"
    return json.loads(data[20:20 + length])


def test_span_is_within_5_percent_of_published(meshes: dict[str, Any]) -> None:
    pts = np.concatenate([m.vertices for m in meshes.values()])[:, :2]
    hull = pts[ConvexHull(pts).vertices]
    span = np.sqrt(((hull[:, None] - hull[None]) ** 2).sum(-1)).max()
    assert abs(span - 20.1) <= 0.05 * 20.1, span


def test_bus_is_a_3p5_m_hexagon_and_core_3p5_m_tall(scene: Any, meshes: dict[str, Any]) -> None:
    walls = meshes["bus_walls"].vertices
    radius = np.hypot(walls[:, 0], walls[:, 1])
    assert radius.max() * 2 == pytest.approx(3.5, abs=0.01)
    corners = np.unique(np.round(np.degrees(np.arctan2(walls[:, 1], walls[:, 0])) % 360, 3))
    assert len(corners) == 6
    np.testing.assert_allclose(np.diff(corners), 60.0, atol=1e-6)
    # two decks, at the aft end (separation plane, z = 0) and the forward end
    assert {"bus_aft_deck", "bus_forward_deck"} <= set(meshes)
    core = np.concatenate([_points(scene, meshes, "bus"), _points(scene, meshes, "vault")])
    core = core[core[:, 2] >= 0.0]  # the adapter ring hangs below the separation plane
    assert np.ptp(core[:, 2]) == pytest.approx(3.5, abs=0.02)


def test_overall_height(meshes: dict[str, Any]) -> None:
    z = np.concatenate([m.vertices for m in meshes.values()])[:, 2]
    assert 3.5 <= np.ptp(z) <= 4.6


def test_three_wings_120_degrees_apart(scene: Any, meshes: dict[str, Any]) -> None:
    azimuths = []
    for k in (1, 2, 3):
        panels = sorted(n for n in _under(scene, f"wing_{k}") if "_panel_" in n
                        and scene.graph.transforms.parents[n] == f"wing_{k}")
        assert len(panels) == (3 if k == 1 else 4), panels  # wing 1: boom instead of panel 4
        cells = np.concatenate([meshes[f"{p}_cells"].vertices for p in panels])
        azimuths.append(math.degrees(math.atan2(cells[:, 1].mean(), cells[:, 0].mean())))
    assert azimuths[0] == pytest.approx(0.0, abs=0.5)  # SA1 along +X
    for a, b in ((0, 1), (1, 2), (2, 0)):
        gap = (azimuths[a] - azimuths[b]) % 360
        assert gap == pytest.approx(120.0, abs=0.5)


def test_wing_size_is_2p65_by_8p9_m(scene: Any, meshes: dict[str, Any]) -> None:
    for k, az in ((2, -120.0), (3, 120.0)):
        pts = np.concatenate([meshes[f"wing_{k}_panel_{p}_{part}"].vertices
                              for p in range(1, 5) for part in ("frame", "back")])
        c, s = math.cos(math.radians(az)), math.sin(math.radians(az))
        along = pts[:, 0] * c + pts[:, 1] * s
        across = -pts[:, 0] * s + pts[:, 1] * c
        assert np.ptp(along) == pytest.approx(8.9, abs=0.01)
        assert np.ptp(across) == pytest.approx(2.65, abs=0.01)


def test_clusters_of_solar_cells_are_three_wings(meshes: dict[str, Any]) -> None:
    """Independently of node names: the cell material's geometry falls in three azimuth groups."""
    pts = np.concatenate([m.vertices for m in meshes.values()
                          if m.visual.material.name == "solar_cells"])
    az = np.degrees(np.arctan2(pts[:, 1], pts[:, 0])) % 360
    hist, _ = np.histogram(az, bins=36, range=(0, 360))
    occupied = hist > 0
    groups = np.count_nonzero(occupied & ~np.roll(occupied, 1))
    assert groups == 3


def test_solar_cells_face_plus_z(meshes: dict[str, Any]) -> None:
    for name, m in meshes.items():
        if m.visual.material.name == "solar_cells":
            assert (m.face_normals[:, 2] > 0.999).all(), name


def test_magnetometer_boom_at_tip_of_wing_1(scene: Any, meshes: dict[str, Any]) -> None:
    assert "mag_boom" in _under(scene, "wing_1")
    boom = _points(scene, meshes, "mag_boom")
    panels = np.concatenate([meshes[f"wing_1_panel_{p}_back"].vertices for p in (1, 2, 3)])
    assert np.abs(boom[:, 1]).max() < 0.5  # on the +X axis
    assert boom[:, 0].min() == pytest.approx(panels[:, 0].max(), abs=0.1)  # starts at the tip
    assert np.ptp(boom[:, 0]) == pytest.approx(4.0, abs=0.15)  # 4 m boom (Connerney 2008)
    for key, r in (("ib", 10.0), ("ob", 12.0)):
        bench = _points(scene, meshes, f"mag_bench_{key}")
        centre = (bench.min(0) + bench.max(0)) / 2
        assert np.hypot(centre[0], centre[1]) == pytest.approx(r, abs=0.25)
        assert f"mag_bench_{key}" in _under(scene, "mag_boom")


def test_hga_on_plus_z(scene: Any, meshes: dict[str, Any]) -> None:
    dish = meshes["hga_dish"].vertices
    assert np.ptp(dish[:, 0]) == pytest.approx(2.5, abs=0.02)
    assert np.ptp(dish[:, 1]) == pytest.approx(2.5, abs=0.02)
    assert abs(dish[:, 0].mean()) < 0.01 and abs(dish[:, 1].mean()) < 0.01
    vault_top = _points(scene, meshes, "vault")[:, 2].max()
    assert _points(scene, meshes, "hga")[:, 2].min() >= vault_top - 1e-6
    everything = np.concatenate([m.vertices for m in meshes.values()])
    assert _points(scene, meshes, "hga")[:, 2].max() == pytest.approx(everything[:, 2].max())


def test_vault_on_the_forward_deck(scene: Any, meshes: dict[str, Any]) -> None:
    vault = _points(scene, meshes, "vault")
    bus_top = meshes["bus_walls"].vertices[:, 2].max()
    assert vault[:, 2].min() == pytest.approx(bus_top)
    assert np.ptp(vault, axis=0) == pytest.approx([1.0, 1.0, 1.0], abs=0.01)
    assert meshes["vault_box"].visual.material.name == "titanium"


def test_junocam_on_minus_x(scene: Any, meshes: dict[str, Any]) -> None:
    cam = _points(scene, meshes, "junocam")
    walls = meshes["bus_walls"].vertices
    assert cam[:, 0].max() <= walls[:, 0].min() + 1e-6  # outside the -X face
    assert abs(cam[:, 1].mean()) < 0.1
    lens = meshes["junocam_glass"].vertices
    assert lens[:, 0].mean() < cam[:, 0].mean()  # the lens looks along -X


def test_thrusters_present(scene: Any, meshes: dict[str, Any]) -> None:
    names = _under(scene, "thrusters")
    assert {"rem_pos_y", "rem_neg_y", "main_engine"} <= names
    assert _points(scene, meshes, "rem_pos_y")[:, 1].min() > 0
    assert _points(scene, meshes, "rem_neg_y")[:, 1].max() < 0
    assert _points(scene, meshes, "main_engine")[:, 2].min() < 0  # on -Z


def test_meshes_have_real_triangles_and_pbr_materials(meshes: dict[str, Any]) -> None:
    known = set(juno_model.MATERIALS)
    for name, m in meshes.items():
        assert len(m.faces) > 0, name
        assert np.isfinite(m.vertices).all(), name
        assert (m.area_faces > 1e-7).all(), name
        assert isinstance(m.visual.material, trimesh.visual.material.PBRMaterial), name
        assert m.visual.material.name in known, name


def test_gltf_materials_are_metallic_roughness() -> None:
    doc = _gltf_json(GLB.read_bytes())
    assert doc["asset"]["version"] == "2.0"
    assert doc["asset"]["extras"]["units"] == "m"
    names = {m["name"] for m in doc["materials"]}
    assert {"solar_cells", "mli_black", "mli_gold", "white_paint", "titanium"} <= names
    for mat in doc["materials"]:
        pbr = mat["pbrMetallicRoughness"]
        assert len(pbr["baseColorFactor"]) == 4
        assert all(0.0 <= c <= 1.0 for c in pbr["baseColorFactor"])
        assert 0.0 <= pbr["metallicFactor"] <= 1.0 and 0.0 <= pbr["roughnessFactor"] <= 1.0
    for mesh in doc["meshes"]:
        assert all("material" in p for p in mesh["primitives"]), mesh["name"]
    node_names = {n.get("name") for n in doc["nodes"]}
    assert {"juno", "bus", "wing_1", "wing_2", "wing_3", "mag_boom", "hga", "junocam", "vault",
            "thrusters"} <= node_names


def test_light_enough_for_a_cpu_rasteriser(meshes: dict[str, Any]) -> None:
    assert sum(len(m.faces) for m in meshes.values()) < 20_000


def test_regenerating_gives_the_committed_bytes(tmp_path: Path) -> None:
    out = juno_model.write_glb(tmp_path / "juno.glb")
    assert out.read_bytes() == GLB.read_bytes()
    assert not list(tmp_path.glob("*.tmp"))


def test_cli_model_generate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sub" / "model.glb"
    assert main(["model", "generate", "--out", str(out), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["path"] == str(out) and info["triangles"] < 20_000
    assert out.read_bytes() == GLB.read_bytes()


def test_import_is_light() -> None:
    code = ("import sys, viewer.procedural.juno_model; "
            "sys.exit(int(any(m in sys.modules for m in ('matplotlib', 'trimesh'))))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_model_generate_and_assets_report_the_same_sizes(tmp_path: Path, capsys) -> None:
    """Issue 11: `model generate` said span 20.61 m and `assets` 19.538 m for the same file. Both now
    report the span (largest bounding-box side) and tip to tip (across the spin axis), equal."""
    from viewer.render.meshes import load_model

    out = tmp_path / "j.glb"
    assert main(["model", "generate", "--out", str(out), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert main(["assets", "--spacecraft-model", str(out), "--json"]) == 0
    seen = json.loads(capsys.readouterr().out)["spacecraft"]
    assert made["span_m"] == pytest.approx(seen["span_m"], abs=1e-3)
    assert made["tip_to_tip_m"] == pytest.approx(seen["tip_to_tip_m"], abs=1e-3)
    model = load_model(out)
    assert model.span_m == pytest.approx(float(model.extents.max()))
    assert model.tip_to_tip_m > model.span_m  # Juno's arrays reach farther diagonally than any box side
    assert main(["model", "generate", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "(largest bounding-box side)" in text and "tip to tip across the spin axis" in text


@pytest.mark.parametrize("name", ["x.txt", "juno.gltf", "juno"])
def test_model_generate_needs_a_glb_name(name: str, tmp_path: Path, capsys) -> None:
    assert main(["model", "generate", "--out", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "ending in .glb" in err
    assert not list(tmp_path.iterdir())
