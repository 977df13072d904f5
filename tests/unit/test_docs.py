"""What a user reads stands on its own: no pointers outside the product, and every citation of the
project's reference list (docs/sources.md) names a section that exists there.

A user has the repository (or an installed wheel), not the folders beside the checkout that the project
was developed with, so README.md, docs/, the asset READMEs, shaders/, viewer/ (docstrings, comments,
messages, presets) and tools/ must not point to them. Figures are cited as ``docs/sources.md §1d`` in
code and as ``[sources §1d](sources.md#1d-perijove-times)`` in Markdown; both forms are checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "sources.md"

#: Names of things outside the product (the development notes beside the checkout).
FORBIDDEN = ("../shared", "shared/reference", "FACTS", "ARCHITECTURE", "ROADMAP.md", "STYLE.md",
             "GL-MEASUREMENTS")

#: A section heading of docs/sources.md: "## 5. Kernels …" or "### 1d. Perijove times".
HEADING = re.compile(r"^#{2,3} ((\d+[a-z]?)\. .*?)\s*$", re.MULTILINE)
#: "sources §1d", "docs/sources.md §1a, §1d, §1e", "sources.md §3a/§3e" — the sections cited.
CITATION = re.compile(r"\bsources(?:\.md)? (§\w+(?:(?:, | and |/)§\w+)*)")
#: A Markdown link into docs/sources.md: its text, its path and its anchor.
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s#]*sources\.md)(?:#([^)\s]*))?\)")


def user_facing_files() -> list[Path]:
    """Every text file a user reads: README.md, docs/*.md, asset READMEs, shaders/, viewer/, tools/."""
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "textures" / "README.md",
             ROOT / "models" / "README.md"]
    for folder in ("shaders", "viewer", "tools"):
        files += sorted(p for p in (ROOT / folder).rglob("*")
                        if p.is_file() and "__pycache__" not in p.parts)
    return [p for p in files if read_text(p) is not None]


def citing_files() -> list[Path]:
    """Files that may cite docs/sources.md: the user-facing ones plus tests/ and bench/."""
    files = user_facing_files()
    for folder in ("tests", "bench"):
        files += sorted(p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".md", ".toml"))
    return [p for p in files if read_text(p) is not None]


def read_text(path: Path) -> str | None:
    """The file's text, or None for a binary file (an image, a model, a compiled cache)."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def github_anchor(heading: str) -> str:
    """The anchor GitHub (and most Markdown renderers) give a heading: lower case, punctuation dropped,
    spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def sections() -> dict[str, str]:
    """docs/sources.md's section numbers ("1d", "5") → their anchors."""
    found = HEADING.findall(SOURCES.read_text(encoding="utf-8"))
    numbers = [number for _, number in found]
    assert len(numbers) == len(set(numbers)), f"duplicate section numbers in docs/sources.md: {numbers}"
    return {number: github_anchor(heading) for heading, number in found}


def test_sources_has_the_numbered_sections():
    # The sections the product cites, numbered as the code and docs cite them.
    assert {"1a", "1b", "1c", "1d", "1e", "2a", "2b", "3a", "3b", "3c", "3d", "3e", "3f", "4a", "4b", "4c",
            "5", "6", "7a", "7b", "7c", "7d", "7e", "7f"} <= set(sections())


@pytest.mark.parametrize("path", user_facing_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_pointer_outside_the_product(path):
    text = read_text(path)
    assert text is not None
    bad = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)
           if any(word in line for word in FORBIDDEN)]
    assert not bad, f"{path.relative_to(ROOT)} points outside the product: {bad}"


def test_every_citation_names_a_section_of_sources():
    known = sections()
    cited: list[tuple[str, str]] = []
    bad: list[str] = []
    for path in citing_files():
        text = read_text(path) or ""
        for match in CITATION.finditer(text):
            for number in re.findall(r"§(\w+)", match.group(1)):
                cited.append((str(path.relative_to(ROOT)), number))
                if number not in known:
                    bad.append(f"{path.relative_to(ROOT)}: §{number} ({match.group(0)!r})")
    assert not bad, "citations of sections docs/sources.md does not have: " + "; ".join(bad)
    # The scan itself works: the code and the docs cite the list in many places.
    assert len(cited) > 100
    assert len({name for name, _ in cited}) > 20


def test_markdown_links_into_sources_resolve():
    known = sections()
    anchors = set(known.values())
    links = 0
    bad: list[str] = []
    for path in user_facing_files():
        if path.suffix != ".md":
            continue
        for text, target, anchor in LINK.findall(read_text(path) or ""):
            links += 1
            where = f"{path.relative_to(ROOT)}: [{text}]({target}#{anchor})"
            if (path.parent / target).resolve() != SOURCES:
                bad.append(f"{where} does not lead to docs/sources.md")
            if anchor and anchor not in anchors:
                bad.append(f"{where}: no such heading")
            number = re.fullmatch(r"(?:sources )?§(\w+)", text)
            if number and known.get(number.group(1)) != anchor:
                bad.append(f"{where}: §{number.group(1)}'s anchor is #{known.get(number.group(1))}")
    assert not bad, "; ".join(bad)
    assert links > 30


def test_sources_is_self_contained():
    text = SOURCES.read_text(encoding="utf-8")
    # Every cross-reference inside the list ("§3a", "(§1b)") names one of its own sections.
    known = sections()
    missing = sorted({n for n in re.findall(r"§(\d+[a-z]?)\b", text) if n not in known})
    assert not missing, f"docs/sources.md refers to sections it does not have: {missing}"


def test_the_recreation_page_shows_what_info_prints():
    """docs/recreating-i57.md's table of presets is `jupitershine info --preset NAME`, row for row."""
    from viewer.config import load_preset
    from viewer.report import info_dict
    from viewer.sim.timescales import utc_to_et
    from viewer.sim.world import World

    text = (ROOT / "docs" / "recreating-i57.md").read_text()
    world = World()
    for name in ("i57", "i57-jupitershine", "i57-flyby", "i58", "i58-flyby", "pj57-perijove"):
        spec = load_preset(name)
        info = info_dict(world, utc_to_et(spec.time))
        j, sky = info["juno"], info["juno"]["sky_below"]
        row = (f"| `{name}` | {spec.time}Z | `{spec.camera}` | {j['altitude_io_km']:,.1f} | "
               f"{j['altitude_jupiter_km']:,.1f} | "
               f"{j['subsc_lat_deg']:+.3f}°, {j['subsc_wlon_deg']:.3f}° W | "
               f"{j['phase_angle_deg']:.2f}° | {j['junocam_pixel_scale_km']:.3f} | "
               f"{sky['sun_elevation_deg']:+.1f}° / {sky['jupiter_elevation_deg']:+.1f}° | "
               f"{info['io']['jupitershine_to_sunlight']:.2%} |")
        assert row in text, f"docs/recreating-i57.md: the {name} row should read\n{row}"
