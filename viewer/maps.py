"""Which planet maps a render uses: the procedural ones shipped in ``textures/``, or the public mosaics
``jupitershine textures download`` fetched (:mod:`viewer.downloads`), without naming files.

The choice, first found wins: ``--maps procedural|downloaded`` on the command line (``maps=`` in
:func:`viewer.render_still`), a preset's or scene's ``maps`` key, the user's setting (``maps`` in
:func:`setting_path`, written by ``jupitershine textures use downloaded|procedural``), else procedural.
A map given as a file (``--io-map``) still wins for its body. ``downloaded`` takes, for each body that
has a public map (:data:`DOWNLOADED`), the cached download; a body whose download is missing stops the
command with one line naming ``jupitershine textures download``. Bodies without one (Europa, Ganymede,
Callisto) stay procedural. Every render says in one line at start-up which maps it uses
(:func:`status_line`).

Must not import: ``viewer.render`` at module level (the CLI imports this before any GL).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from viewer.errors import UserError

#: The two kinds of maps.
CHOICES = ("procedural", "downloaded")
#: The user's settings file in :func:`viewer.paths.config_dir` (TOML).
SETTINGS_FILE = "settings.toml"
#: Bodies with a public map: the :data:`viewer.downloads.SOURCES` entry each takes.
DOWNLOADED = {"jupiter": "jupiter-cassini", "io": "io-usgs"}
#: The maps' bodies, in the order a status line names them.
BODIES = ("jupiter", "io", "europa", "ganymede", "callisto")


def setting_path() -> Path:
    """The user's settings file (``$JUPITERSHINE_CONFIG`` or the platform's config folder)."""
    from viewer.paths import config_dir

    return config_dir() / SETTINGS_FILE


def check_choice(value: Any, where: str) -> str:
    """``value`` if it is one of :data:`CHOICES`, else a UserError naming ``where``."""
    if value not in CHOICES:
        raise UserError(f"{where}: maps {value!r} is not one of {', '.join(CHOICES)}")
    return str(value)


def read_setting() -> str | None:
    """The ``maps`` setting, or None when there is no settings file or it does not set it."""
    path = setting_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read the settings file {path} ({exc}); fix or delete it") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"the settings file {path} is not valid TOML ({exc}); fix or delete it") from None
    if "maps" not in data:
        return None
    return check_choice(data["maps"], f"the settings file {path}")


def write_setting(choice: str) -> Path:
    """Make ``choice`` the ``maps`` setting (the file written atomically, its folder made)."""
    from viewer.atomic import write_text_atomic

    check_choice(choice, "jupitershine textures use")
    path = setting_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the settings folder {path.parent} ({exc}); set JUPITERSHINE_CONFIG "
                        "to a folder you can write to") from None
    return write_text_atomic(path, f'# jupitershine settings (docs/assets.md)\nmaps = "{choice}"\n')


@dataclass(frozen=True)
class MapChoice:
    """The maps a render uses (``name``, one of :data:`CHOICES`) and what chose them (``by``: ``--maps``,
    ``preset NAME``, ``the setting in PATH`` or ``the default``)."""

    name: str
    by: str


def choose(cli: str | None = None, preset: Any = None) -> MapChoice:
    """The choice for a render: ``cli`` (``--maps``), else the preset's or scene's ``maps`` (a
    :class:`viewer.config.SceneSpec`), else :func:`read_setting`, else procedural."""
    if cli is not None:
        return MapChoice(check_choice(cli, "--maps"), "--maps")
    if preset is not None and getattr(preset, "maps", None) is not None:
        return MapChoice(preset.maps, f"preset {preset.name}")
    setting = read_setting()
    if setting is not None:
        return MapChoice(setting, f"the setting in {setting_path()}")
    return MapChoice("procedural", "the default")


def download_path(body: str) -> Path:
    """Where ``textures download`` puts ``body``'s public map (a KeyError for a body without one)."""
    from viewer.downloads import SOURCES, downloads_dir

    return downloads_dir() / SOURCES[DOWNLOADED[body]].filename


def check_downloaded(bodies: Iterable[str]) -> list[str]:
    """Those of ``bodies`` with a public map, each checked to be downloaded: a missing one raises the
    one-line UserError naming ``jupitershine textures download``."""
    from viewer.downloads import SOURCES

    have = [b for b in bodies if b in DOWNLOADED]
    for body in have:
        if not download_path(body).exists():
            name = SOURCES[DOWNLOADED[body]].name
            raise UserError(f"maps downloaded: {body.capitalize()}'s public map ({name}) has not been "
                            f"downloaded; run `jupitershine textures download --source {name}` (or use "
                            "--maps procedural)")
    return have


def downloaded_maps(bodies: Iterable[str], max_size: int | None = None) -> dict[str, Any]:
    """The downloaded maps of ``bodies`` (those with a public map) as encoded arrays (H, W, C) in [0, 1]
    in our convention, by body (:func:`check_downloaded` first); at most ``max_size`` pixels a side
    (default the texture limit users' maps get)."""
    from viewer.downloads import SOURCES
    from viewer.render.textures import DEFAULT_MAX_TEXTURE_SIZE, load_map

    limit = DEFAULT_MAX_TEXTURE_SIZE if max_size is None else max_size
    out: dict[str, Any] = {}
    for body in check_downloaded(bodies):
        source = SOURCES[DOWNLOADED[body]]
        direction: Literal["west", "east"] = "east" if source.lon_direction == "east" else "west"
        out[body] = load_map(download_path(body), source.lon_left_deg, direction, limit).data
    return out


def resolve(choice: MapChoice, given: Mapping[str, Any], shown: Iterable[str]) -> dict[str, Any]:
    """The maps to hand the renderer (encoded arrays by body): the ``given`` ones (users' files) and,
    for ``downloaded``, the downloads of the ``shown`` bodies that were not given."""
    maps = dict(given)
    if choice.name == "downloaded":
        maps.update(downloaded_maps([b for b in shown if b not in given]))
    return maps


def for_still(cli: str | None, preset: Any, given: Mapping[str, Any],
              hidden: Iterable[str] = ()) -> tuple[dict[str, Any], MapChoice, list[str]]:
    """A still's (or the window's) maps: the choice (:func:`choose`: ``cli``, the ``preset``'s (a
    :class:`viewer.config.SceneSpec`) ``maps``, the setting), the maps to hand the renderer
    (:func:`resolve`: ``given`` users' files, downloads of the bodies drawn) and the bodies drawn (not
    ``hidden``)."""
    choice = choose(cli, preset)
    shown = [b for b in BODIES if b not in set(hidden)]
    return resolve(choice, given, shown), choice, shown


def status_line(choice: MapChoice, given: Mapping[str, str] | None = None,
                shown: Iterable[str] = BODIES) -> str:
    """One line for stderr saying which maps a render uses, e.g. ``maps: downloaded (by --maps):
    Jupiter jupiter-cassini (PIA07782.jpg), Io io-usgs (…); Europa, Ganymede, Callisto procedural``.
    ``given``: body → file of the maps given as files; ``shown``: the bodies drawn."""
    from viewer.downloads import SOURCES

    given = dict(given or {})
    parts, procedural = [], []
    for body in (b for b in BODIES if b in set(shown)):
        name = body.capitalize()
        if body in given:
            parts.append(f"{name} {given[body]} (given)")
        elif choice.name == "downloaded" and body in DOWNLOADED:
            source = SOURCES[DOWNLOADED[body]]
            parts.append(f"{name} {source.name} ({source.filename})")
        else:
            procedural.append(name)
    if procedural:
        parts.append(f"{', '.join(procedural)} procedural (textures/)")
    return f"maps: {choice.name} (by {choice.by}): " + "; ".join(parts)
