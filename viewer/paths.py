"""Where the project's data lives, in a checkout or in an installed wheel.

In a checkout the folders ``shaders/``, ``models/`` and ``textures/`` sit beside the ``viewer``
package; in a wheel they are installed inside it as ``viewer/_data/<name>``. Presets always live in
``viewer/presets``. Caches (generated high-resolution maps, parsed catalogues) go under
``$JUPITERSHINE_CACHE`` or ``~/.cache/jupitershine``; the user's settings (:mod:`viewer.maps`) under
``$JUPITERSHINE_CONFIG`` or the platform's config folder (``$XDG_CONFIG_HOME/jupitershine``, by default
``~/.config/jupitershine`` on Linux).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_ROOT = PACKAGE_DIR.parent


def data_dir(name: str) -> Path:
    """The directory of one data folder (``shaders``, ``models`` or ``textures``)."""
    packaged = PACKAGE_DIR / "_data" / name
    if packaged.is_dir():
        return packaged
    return CHECKOUT_ROOT / name


def presets_dir() -> Path:
    """The directory holding the shipped ``*.toml`` presets."""
    return PACKAGE_DIR / "presets"


def config_dir() -> Path:
    """The folder of the user's settings (not created here)."""
    root = os.environ.get("JUPITERSHINE_CONFIG")
    if root:
        return Path(root).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("jupitershine", appauthor=False))


def cache_dir() -> Path:
    """A writable cache directory (created on first use)."""
    root = os.environ.get("JUPITERSHINE_CACHE")
    path = Path(root) if root else Path.home() / ".cache" / "jupitershine"
    path.mkdir(parents=True, exist_ok=True)
    return path
