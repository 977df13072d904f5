"""The shader loader: includes inside shaders/, the define block, the program cache, errors as file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.render.shaders import SHADER_DIR, ShaderError, format_defines, load_stage, shader_includes


def test_every_include_resolves_inside_shaders() -> None:
    includes = shader_includes()
    assert includes, f"no GLSL found under {SHADER_DIR}"
    root = SHADER_DIR.resolve()
    for file, targets in includes.items():
        for target in targets:
            assert target.startswith("lib/"), f'{file}: #include "{target}" must use the lib/ prefix'
            path = (root / target).resolve()
            assert path.is_relative_to(root) and path.is_file(), f'{file}: #include "{target}"'
    for stage in sorted(p.name for p in root.glob("*.vert")) + sorted(p.name for p in root.glob("*.frag")):
        load_stage(stage, {"FILMIC_INPUT_SCALE": 1.0})  # assembles without error, all ASCII


def test_every_fragment_stage_writes_through_the_output_contract() -> None:
    for path in sorted(SHADER_DIR.glob("*.frag")):
        text = path.read_text()
        assert "gl_FragColor" not in text, (
            f"{path.name}: use write_radiance()/write_display() from lib/output")
        assert '#include "lib/output.glsl"' in text, path.name


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_include_outside_the_root_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "secret.glsl").write_text("float x;\n")
    root = _tree(tmp_path / "shaders", {"a.frag": 'void main() {}\n#include "lib/../../secret.glsl"\n'})
    with pytest.raises(ShaderError, match=r"a\.frag:2: .*escapes the shader folder"):
        load_stage("a.frag", root=root)


def test_missing_include_is_an_error(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"a.frag": '// x\n\n#include "lib/nope.glsl"\n'})
    with pytest.raises(ShaderError, match=r'a\.frag:3: #include "lib/nope\.glsl" not found'):
        load_stage("a.frag", root=root)


def test_includes_are_recursive_and_once_only(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "a.frag": '#include "lib/b.glsl"\n#include "lib/c.glsl"\nvoid main() {}\n',
        "lib/b.glsl": '#include "lib/c.glsl"\nfloat b() { return c(); }\n',
        "lib/c.glsl": '#include "lib/b.glsl"\nfloat c() { return 1.0; }\n',  # a cycle is harmless
    })
    stage = load_stage("a.frag", {"B": True, "N": 3, "S": 0.5, "OFF": False}, root=root)
    assert stage.code.count("float c()") == 1 and stage.code.count("float b()") == 1
    assert stage.code.index("float c()") < stage.code.index("float b()")
    lines = stage.code.splitlines()
    assert lines[1:4] == ["#define B", "#define N 3", "#define S 0.5"]
    assert stage.locate(lines.index("float b() { return c(); }") + 1) == ("lib/b.glsl", 2)
    assert stage.locate(len(lines)) == ("a.frag", 3)


def test_non_ascii_glsl_is_an_error(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"a.frag": "void main() {}\n// radiance \u2192 display\n"})
    with pytest.raises(ShaderError, match=r"a\.frag:2: non-ASCII"):
        load_stage("a.frag", root=root)


def test_define_block_is_sorted_and_validated() -> None:
    assert format_defines({"Z": 1, "A": 2.0, "M": True}) == ["#define A 2.0", "#define M", "#define Z 1"]
    with pytest.raises(ShaderError):
        format_defines({"bad name": 1})
    with pytest.raises(ShaderError):
        format_defines({"X": "1\n#define Y 2"})


@pytest.mark.gl
def test_compile_error_names_file_and_line(gl_probe: str, tmp_path: Path) -> None:
    from viewer.render.context import headless_context
    from viewer.render.shaders import ProgramCache

    root = _tree(tmp_path, {
        "ok.vert": "attribute vec2 a_position;\nvoid main() { gl_Position = vec4(a_position, 0.0, 1.0); }\n",
        "broken.frag": '// a broken stage\n#include "lib/helper.glsl"\n\nvoid main() {\n'
                       "    gl_FragColor = vec4(helper(), 1.0) + u_undeclared;\n}\n",
        "lib/helper.glsl": "// fine\nvec3 helper() { return vec3(0.5); }\n",
        "lib/syntax.glsl": "// 1\n// 2\nvec3 helper() { return vec3(0.5) }\n",
        "syntax.frag": '#include "lib/syntax.glsl"\nvoid main() { gl_FragColor = vec4(helper(), 1.0); }\n',
    })
    with headless_context() as ctx:  # its own context: a failed compile leaves vispy's queue unusable
        cache = ProgramCache(ctx, root)
        with pytest.raises(ShaderError) as info:
            cache.get("ok.vert", "broken.frag", {"VARIANT": 1, "OTHER": True})
        assert f"{root / 'broken.frag'}:5: " in str(info.value) or "broken.frag:5: " in str(info.value)
        assert "u_undeclared" in str(info.value)
        with pytest.raises(ShaderError, match=r"lib/syntax\.glsl:3: .*syntax error"):
            cache.get("ok.vert", "syntax.frag", {"A": 1, "B": 2, "C": 3})


@pytest.mark.gl
def test_program_cache_reuses_programs(gl_context) -> None:
    from viewer.render.exposure import shader_defines
    from viewer.render.shaders import program_cache

    cache = program_cache(gl_context)
    a = cache.get("fullscreen.vert", "tonemap.frag", {**shader_defines(), "SUPERSAMPLE": 1})
    b = cache.get("fullscreen.vert", "tonemap.frag", {"SUPERSAMPLE": 1, **shader_defines()})
    c = cache.get("fullscreen.vert", "tonemap.frag", {**shader_defines(), "SUPERSAMPLE": 2})
    assert a is b and a is not c
