"""Named surface features, found by name wherever a camera spec takes a latitude and longitude.

The names and positions are those the maps are drawn from — no second copy: Io's volcanic features
(:data:`~viewer.procedural.io_map.IO_FEATURES`), its named mountains
(:data:`~viewer.procedural.io_map.IO_MOUNTAINS`) and hot spots
(:data:`~viewer.procedural.io_hotspots.IO_HOTSPOTS`); Europa's chaos, maculae and Pwyll, Ganymede's dark
regiones and rayed craters, Callisto's ring basins (:mod:`~viewer.procedural.moons_map`); Jupiter's Great
Red Spot (:mod:`~viewer.procedural.jupiter_map`, where it stood on 2023-12-30: it drifts in System III
longitude by ~0.3° a day, so at other dates the spec names a fixed point, not the storm).

Positions are planetocentric latitude and west longitude in degrees (the maps' and the camera specs'
convention). A name is matched on its *key*: accents folded, lower case, apostrophes dropped, every run of
other characters (spaces, hyphens, underscores, brackets) one ``_`` — ``"Hi'iaka Patera"`` is
``hiiaka_patera``, ``"Boösaule Montes (South)"`` is ``boosaule_montes_south``. Each name also answers
without its generic term (patera, paterae, mons, montes, fluctus, regio, chaos, macula) when that short
form names no other place: ``loki`` is Loki Patera, ``tvashtar`` Tvashtar Paterae. The Great Red Spot
also answers to ``grs``. A name listed in two tables at the same place is one feature (the map's
spelling wins).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from viewer.errors import UserError

#: Generic terms of the IAU nomenclature a short form of a name may leave out.
DESCRIPTORS = ("patera", "paterae", "mons", "montes", "fluctus", "regio", "chaos", "macula")
#: Extra names (body → alias → the table's name).
ALIASES = {"jupiter": {"grs": "Great Red Spot"}}
#: Two table entries with one name farther apart than this (degrees) would be two places; they are not.
SAME_PLACE_DEG = 0.05


@dataclass(frozen=True)
class SurfaceFeature:
    """A named place: ``body`` (lower case), planetocentric ``lat_deg``, west ``wlon_deg`` in [0, 360),
    and the table it comes from."""

    name: str
    body: str
    lat_deg: float
    wlon_deg: float
    table: str

    @property
    def key(self) -> str:
        """The name as a camera spec writes it: ``loki_patera``."""
        return feature_key(self.name)


def feature_key(name: str) -> str:
    """A name's key: accents folded, lower case, apostrophes dropped, other non-alphanumerics one ``_``."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", str(name)) if not unicodedata.combining(c))
    folded = re.sub(r"['’`]", "", folded.lower())
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")


def _short_key(key: str) -> str:
    return "_".join(w for w in key.split("_") if w not in DESCRIPTORS)


def _table_entries() -> list[SurfaceFeature]:
    """Every named entry of the maps' tables, in table order."""
    from viewer.procedural.io_hotspots import IO_HOTSPOTS
    from viewer.procedural.io_map import IO_FEATURES, IO_MOUNTAINS
    from viewer.procedural.jupiter_map import GRS_LAT_PC, GRS_WLON
    from viewer.procedural.moons_map import (
        CALLISTO_BASINS,
        EUROPA_CHAOS,
        EUROPA_PWYLL,
        GANYMEDE_RAYED_CRATERS,
        GANYMEDE_REGIONES,
    )

    rows: list[tuple[str, str, float, float, str]] = [
        *(("io", f.name, f.lat, f.wlon, "io_map.IO_FEATURES") for f in IO_FEATURES),
        *(("io", m[0], m[1], m[2], "io_map.IO_MOUNTAINS") for m in IO_MOUNTAINS),
        *(("io", h.name, h.lat, h.wlon, "io_hotspots.IO_HOTSPOTS") for h in IO_HOTSPOTS),
        *(("europa", c[0], c[1], c[2], "moons_map.EUROPA_CHAOS") for c in EUROPA_CHAOS if c[0]),
        ("europa", EUROPA_PWYLL[0], EUROPA_PWYLL[1], EUROPA_PWYLL[2], "moons_map.EUROPA_PWYLL"),
        *(("ganymede", r[0], r[1], r[2], "moons_map.GANYMEDE_REGIONES") for r in GANYMEDE_REGIONES),
        *(("ganymede", c[0], c[1], c[2], "moons_map.GANYMEDE_RAYED_CRATERS") for c in GANYMEDE_RAYED_CRATERS),
        *(("callisto", b[0], b[1], b[2], "moons_map.CALLISTO_BASINS") for b in CALLISTO_BASINS),
        ("jupiter", "Great Red Spot", GRS_LAT_PC, GRS_WLON, "jupiter_map.GRS_LAT_PC/GRS_WLON"),
    ]
    return [SurfaceFeature(str(name), body, float(lat), float(wlon) % 360.0, table)
            for body, name, lat, wlon, table in rows]


@lru_cache(maxsize=1)
def surface_features() -> tuple[SurfaceFeature, ...]:
    """The named features of every body, one per (body, key): a name the tables list twice (Loki Patera
    on the map and among the hot spots) keeps its first entry."""
    seen: dict[tuple[str, str], SurfaceFeature] = {}
    for f in _table_entries():
        seen.setdefault((f.body, f.key), f)
    return tuple(seen.values())


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, SurfaceFeature]]:
    """body → {key or short form or alias: feature}. A short form that would name two places is left out."""
    index: dict[str, dict[str, SurfaceFeature]] = {}
    for f in surface_features():
        index.setdefault(f.body, {})[f.key] = f
    for body, names in index.items():
        shorts: dict[str, list[SurfaceFeature]] = {}
        for f in names.values():
            short = _short_key(f.key)
            if short and short != f.key:
                shorts.setdefault(short, []).append(f)
        for short, found in shorts.items():
            if short not in names and len({(f.lat_deg, f.wlon_deg) for f in found}) == 1:
                names[short] = found[0]
        for alias, name in ALIASES.get(body, {}).items():
            names[alias] = names[feature_key(name)]
    return index


def feature_names(body: str) -> list[str]:
    """Every key, short form and alias that names a feature of ``body``, sorted."""
    return sorted(_index().get(body, {}))


def find_feature(body: str, name: str) -> SurfaceFeature:
    """The feature of ``body`` called ``name`` (any spelling of its key, module docstring), or a one-line
    :class:`UserError`: the body it is on when it is on another, else the nearest names (difflib)."""
    key = feature_key(name)
    index = _index()
    names = index.get(body, {})
    if key in names:
        return names[key]
    elsewhere = [b for b, n in index.items() if key in n]
    if elsewhere:
        f = index[elsewhere[0]][key]
        raise UserError(f"{f.name} is on {f.body.capitalize()}, not {body.capitalize()}; "
                      f"use {f.body} as the body")
    if not names:
        bodies = ", ".join(sorted(index))
        raise UserError(f"{body.capitalize()} has no named surface features (those of {bodies} do); "
                      "give LAT:WLON in degrees")
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
    if close:
        raise UserError(f"no feature {name!r} on {body.capitalize()}; did you mean {', '.join(close)}?")
    some = ", ".join(sorted({f.key for f in names.values()})[:6])
    raise UserError(f"no feature {name!r} on {body.capitalize()} (its {len(set(names.values()))} named "
                  f"features include {some}, …); give LAT:WLON in degrees or one of its names")
