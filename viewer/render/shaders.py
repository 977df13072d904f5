"""GLSL loading: ``shaders/`` files, ``#include "lib/…"``, a generated ``#define`` block, a program cache,
and compile/link errors that name the shader file and line.

How a stage is assembled (``load_stage("tonemap.frag", {"SUPERSAMPLE": 2})``)::

    // jupitershine: tonemap.frag                 <- marker line (finds our code after vispy's edits)
    #define SUPERSAMPLE 2                          <- the define block, sorted by name
    #line-free copy of tonemap.frag, with each ``#include "lib/x.glsl"`` replaced by that file's
    text (recursively, each file at most once per stage — later includes of it become blank lines)

Every line of the result is recorded in a line map ``(file, line)``, so a driver message such as Mesa's
``0:57(12): error: …`` is reported as ``shaders/lib/exposure.glsl:14: error: …``. We do not emit
``#line`` directives: in GLSL 1.20 their second argument is a source-string *number*, not a file name.

Includes are resolved by this module, relative to the shader root, never outside it; vispy's own
``#include`` search (which looks in vispy's glsl folders first) never sees one. vispy then only inserts
``#version 120`` (and hoists ``#extension`` lines), which the marker line lets us undo exactly.

Programs are cached per context on (vertex file, fragment file, defines); see :class:`ProgramCache`.

Must not import: ``viewer.sim``, ``viewer.cli``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.paths import data_dir

#: The project's shader folder (``shaders/`` in a checkout, ``viewer/_data/shaders`` in a wheel).
SHADER_DIR = data_dir("shaders")

_INCLUDE = re.compile(r'^\s*#\s*include\s+(?:"([^"]*)"|<([^>]*)>)\s*(?://.*)?$')
_DEFINE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MARKER = "// jupitershine: "

DefineValue = bool | int | float | str | None
Defines = Mapping[str, DefineValue]


class ShaderError(RuntimeError):
    """A shader file could not be loaded, compiled or linked; the message names file and line."""


@dataclass(frozen=True)
class StageSource:
    """One assembled shader stage.

    Attributes
    ----------
    name : the stage file, relative to the root (``"tonemap.frag"``)
    code : GLSL text as handed to vispy
    line_map : for each line of ``code`` (0-based), the (file relative to the root, 1-based line) it
        came from; generated lines map to ``("<defines>", n)`` or ``("<generated>", 0)``
    root : the shader root the files were read from
    """

    name: str
    code: str
    line_map: tuple[tuple[str, int], ...]
    root: Path

    def locate(self, code_line: int) -> tuple[str, int]:
        """Map a 1-based line of :attr:`code` to (file, 1-based line)."""
        if 1 <= code_line <= len(self.line_map):
            return self.line_map[code_line - 1]
        return (self.name, 0)


def format_defines(defines: Defines | None) -> list[str]:
    """The ``#define`` lines for a variant, sorted by name (a stable cache key and source).

    ``True`` → ``#define NAME`` (for ``#ifdef``), ``False``/``None`` → omitted, numbers and strings →
    ``#define NAME value`` (floats always carry a decimal point or exponent, as GLSL needs).
    """
    lines = []
    for name in sorted(defines or {}):
        value = (defines or {})[name]
        if not _DEFINE_NAME.match(name):
            raise ShaderError(f"bad #define name {name!r}")
        if value is None or value is False:
            continue
        if value is True:
            lines.append(f"#define {name}")
        elif isinstance(value, int):
            lines.append(f"#define {name} {value}")
        elif isinstance(value, float):
            text = repr(value)
            if not any(c in text for c in ".en"):
                text += ".0"
            lines.append(f"#define {name} {text}")
        elif isinstance(value, str) and "\n" not in value and "\\" not in value:
            lines.append(f"#define {name} {value}")
        else:
            raise ShaderError(f"bad #define value for {name}: {value!r}")
    return lines


def _resolve_include(target: str, root: Path, where: str) -> Path:
    """The file an ``#include`` names, relative to ``root``; errors name the including file:line."""
    if not target or target.startswith(("/", "\\")) or ":" in target:
        raise ShaderError(f"{where}: #include \"{target}\" must be a relative path inside the shader folder")
    path = (root / target).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ShaderError(f"{where}: #include \"{target}\" escapes the shader folder {root}")
    if not path.is_file():
        raise ShaderError(f"{where}: #include \"{target}\" not found in {root}")
    return path


def load_stage(name: str, defines: Defines | None = None, root: Path | None = None) -> StageSource:
    """Assemble one stage file with its includes and a define block (see the module docstring).

    Parameters
    ----------
    name : stage file relative to ``root`` (``"tonemap.frag"``)
    defines : variant flags, see :func:`format_defines`
    root : shader folder; default :data:`SHADER_DIR` (tests point it at a temporary folder)

    Raises
    ------
    ShaderError
        A missing file, an include that is missing or escapes ``root``.
    """
    root = (root or SHADER_DIR).resolve()
    stage = _resolve_include(name, root, "load_stage")
    code: list[str] = [_MARKER + name]
    line_map: list[tuple[str, int]] = [("<generated>", 0)]
    for i, line in enumerate(format_defines(defines), 1):
        code.append(line)
        line_map.append(("<defines>", i))
    seen: set[Path] = set()

    def expand(path: Path, chain: tuple[Path, ...]) -> None:
        rel = path.relative_to(root).as_posix()
        seen.add(path)
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if not line.isascii():
                # GLSL 1.20 source is ASCII; vispy also passes the length in characters, so a UTF-8
                # comment would silently truncate the shader.
                raise ShaderError(f"{rel}:{number}: non-ASCII character in GLSL (comments included)")
            m = _INCLUDE.match(line)
            if m is None:
                code.append(line)
                line_map.append((rel, number))
                continue
            where = f"{rel}:{number}"
            if m.group(2) is not None:
                raise ShaderError(f'{where}: use #include "lib/<name>.glsl", not <...>')
            target = _resolve_include(m.group(1), root, where)
            # A marker, not the directive: vispy's include merger would act on '#include' even here.
            code.append(f"// (included {m.group(1)})")
            line_map.append((rel, number))
            if target not in seen:
                expand(target, (*chain, path))

    expand(stage, ())
    return StageSource(name=name, code="\n".join(code) + "\n", line_map=tuple(line_map), root=root)


def shader_includes(root: Path | None = None) -> dict[str, list[str]]:
    """Every ``#include`` target per GLSL file under ``root`` (for the include test)."""
    root = (root or SHADER_DIR).resolve()
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*")):
        if path.suffix in (".vert", ".frag", ".glsl") and path.is_file():
            targets = []
            for line in path.read_text(encoding="utf-8").splitlines():
                m = _INCLUDE.match(line)
                if m:
                    targets.append(m.group(1) if m.group(1) is not None else f"<{m.group(2)}>")
            found[path.relative_to(root).as_posix()] = targets
    return found


# -- error translation -------------------------------------------------------------------------------

# Mesa "0:12(5): error: …"; NVIDIA "0(12) : error C1008: …"; ATI/Intel "ERROR: 0:12: …";
# vispy's reformatting "on line 12: …".
_ERROR_LINE = (
    re.compile(r"^\s*\d+:(?P<line>\d+)\(\d+\):\s*(?P<msg>.*)$"),
    re.compile(r"^\s*\d+\((?P<line>\d+)\)\s*:\s*(?P<msg>.*)$"),
    re.compile(r"^\s*ERROR:\s*\d+:(?P<line>\d+):\s*(?P<msg>.*)$"),
    re.compile(r"^\s*on line (?P<line>\d+):\s*(?P<msg>.*)$"),
)


def _vispy_offset(stage: StageSource) -> int:
    """How many lines vispy puts before our marker line (``#version``, hoisted ``#extension``s)."""
    try:
        from vispy.gloo.glir import convert_shader

        converted = convert_shader("desktop", stage.code).split("\n")
        return int(converted.index(_MARKER + stage.name))
    except (ImportError, ValueError):
        return 2  # vispy 0.17: "#version 120\n" + "\n".join(lines) puts two lines first


def translate_error(message: str, stage: StageSource) -> list[str]:
    """Rewrite a driver/vispy compile log so each message starts with ``file:line:``."""
    offset = _vispy_offset(stage)
    out: list[str] = []
    for raw in message.splitlines():
        for pattern in _ERROR_LINE:
            m = pattern.match(raw)
            if m:
                file, line = stage.locate(int(m.group("line")) - offset)
                out.append(f"{_display_path(stage.root, file)}:{line}: {m.group('msg').strip()}")
                break
    return out or [f"{_display_path(stage.root, stage.name)}: {' '.join(message.split())}"]


def _display_path(root: Path, file: str) -> str:
    if file.startswith("<"):
        return file
    path = root / file
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


# -- programs ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProgramKey:
    """Cache key: the two stage files and the sorted define lines."""

    vertex: str
    fragment: str
    defines: tuple[str, ...]


class ProgramCache:
    """Compiled programs of one :class:`~viewer.render.context.GLContext`, keyed by (files, defines).

    ``get`` compiles and links at once (it flushes vispy's command queue), so a broken shader raises
    :class:`ShaderError` at the line that asked for it, naming file and line, not later at a draw.
    """

    def __init__(self, context: Any, root: Path | None = None) -> None:
        self._context = context
        self._root = root
        self._programs: dict[ProgramKey, Any] = {}

    def __len__(self) -> int:
        return len(self._programs)

    def get(self, vertex: str, fragment: str, defines: Defines | None = None) -> Any:
        """The ``vispy.gloo.Program`` for these files and defines, compiled on first use."""
        key = ProgramKey(vertex, fragment, tuple(format_defines(defines)))
        program = self._programs.get(key)
        if program is None:
            program = self._build(vertex, fragment, defines)
            self._programs[key] = program
        return program

    def _build(self, vertex: str, fragment: str, defines: Defines | None) -> Any:
        from vispy import gloo

        vert = load_stage(vertex, defines, self._root)
        frag = load_stage(fragment, defines, self._root)
        self._context.make_current()
        program = gloo.Program(vert.code, frag.code)
        queue = self._context.canvas.context.glir
        queue.associate(program.glir)  # vispy would do this at the first draw; compile now instead
        try:
            self._context.flush()
        except RuntimeError as exc:
            queue.clear()  # drop the commands after the failed one, or the next flush fails too
            text = str(exc)
            if "GL_VERTEX_SHADER" in text:
                lines = translate_error(text, vert)
            elif "GL_FRAGMENT_SHADER" in text:
                lines = translate_error(text, frag)
            else:  # link errors carry no line numbers; name both files
                detail = " ".join(text.replace("Program linking error:", "").split())
                names = f"{_display_path(vert.root, vertex)} + {_display_path(frag.root, fragment)}"
                lines = [f"{names}: link error: {detail}"]
            raise ShaderError("\n".join(lines)) from None
        return program


def program_cache(context: Any) -> ProgramCache:
    """The program cache of ``context`` (made on first use, stored on the context)."""
    if context.programs is None:
        context.programs = ProgramCache(context)
    cache: ProgramCache = context.programs
    return cache
