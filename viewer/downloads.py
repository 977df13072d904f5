"""Public-domain maps on demand: ``jupitershine textures download`` (pooch, SHA-256 recorded on first use).

The project ships no third-party image: it knows where the real mosaics are published (:data:`SOURCES`)
and fetches them with pooch into ``viewer.paths.cache_dir()/downloads/``, with a progress bar.

Trust on first use. The publishers give no checksums, so the first successful download records the file's
SHA-256 in ``downloads/sha256.json``; every later run verifies the cached file (and any re-download)
against it. A mismatch means the file changed upstream or arrived corrupt: it raises a
:class:`~viewer.errors.UserError` naming the fix (``--reset`` forgets the record and downloads afresh),
and no unverified file is left in place. pooch downloads to a temporary file and moves it only once
verified.

``JUPITERSHINE_DOWNLOAD_BASE`` (or the ``base_url`` argument) replaces each source's URL by
``<base>/<file name>``: a mirror, or a local server in the tests. Nothing here runs at import time, and
nothing else in the project touches the network.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from viewer.atomic import apply_default_mode, write_text_atomic
from viewer.errors import UserError
from viewer.paths import cache_dir

__all__ = ["BASE_ENV", "SOURCES", "Source", "download", "downloads_dir", "recorded_hashes", "source_url",
           "status", "status_of"]

#: Environment variable that replaces the publishers' URLs by ``<base>/<file name>``.
BASE_ENV = "JUPITERSHINE_DOWNLOAD_BASE"

#: Seconds to wait for a server to answer (connect and each read).
TIMEOUT_S = 30.0

_HASHES = "sha256.json"


@dataclass(frozen=True)
class Source:
    """A published map: where it is, what it is, and the convention to load it with.

    ``lon_left_deg`` and ``lon_direction`` are the values to pass as ``--map-lon-left`` and
    ``--map-lon-direction`` (see :mod:`viewer.render.textures`).
    """

    name: str
    body: str
    url: str
    filename: str
    licence: str
    description: str
    lon_left_deg: float
    lon_direction: str
    convention_note: str

    def map_option(self) -> str:
        """The ``--<body>-map`` option this file is for."""
        return f"--{self.body}-map"


#: The registry: name → source. URLs only; no map file is shipped.
SOURCES: dict[str, Source] = {s.name: s for s in (
    Source(
        name="io-usgs",
        body="io",
        url="https://planetarymaps.usgs.gov/mosaic/Io_GalileoSSI-Voyager_Global_Mosaic_ClrMerge_1km.tif",
        filename="Io_GalileoSSI-Voyager_Global_Mosaic_ClrMerge_1km.tif",
        licence="public domain (USGS Astrogeology / NASA / JPL)",
        description="Io Galileo SSI / Voyager global colour mosaic, 1 km/pixel (GeoTIFF, ~200 MB)",
        lon_left_deg=-180.0,
        lon_direction="east",
        convention_note="GeoTIFF tie point at -180° E: 0° at the centre, east to the right, "
                        "planetocentric latitude",
    ),
    Source(
        name="jupiter-cassini",
        body="jupiter",
        url="https://photojournal.jpl.nasa.gov/jpeg/PIA07782.jpg",
        filename="PIA07782.jpg",
        licence="public domain (NASA / JPL / Space Science Institute)",
        description="Cassini colour map of Jupiter from 11-12 Dec 2000 (PIA07782, JPEG)",
        lon_left_deg=180.0,
        lon_direction="west",
        convention_note="the file carries no georeferencing: System III west longitude with 0° at "
                        "the centre is assumed; latitudes are planetographic. The Great Red Spot "
                        "drifts in longitude, so adjust --map-lon-left to place it for your date",
    ),
)}


def downloads_dir() -> Path:
    """``cache_dir()/downloads``, created on first use."""
    path = cache_dir() / "downloads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def recorded_hashes() -> dict[str, dict[str, Any]]:
    """The trust-on-first-use record: file name → ``{"sha256", "url", "bytes"}``."""
    path = downloads_dir() / _HASHES
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{path} is not valid JSON ({exc}); delete it to record the hashes "
                        "afresh") from exc
    return data if isinstance(data, dict) else {}


def source_url(source: Source, base_url: str | None = None) -> str:
    """The URL to fetch: ``<base>/<file name>`` when a base is given (or set in the environment)."""
    base = base_url if base_url is not None else os.environ.get(BASE_ENV, "")
    return f"{base.rstrip('/')}/{source.filename}" if base else source.url


def status() -> list[dict[str, Any]]:
    """Each source with its cached path (or None) and recorded SHA-256 (or None), for ``--list``."""
    folder = downloads_dir()
    hashes = recorded_hashes()
    rows = []
    for s in SOURCES.values():
        path = folder / s.filename
        rows.append({"name": s.name, "body": s.body, "url": s.url, "licence": s.licence,
                     "description": s.description, "lon_left_deg": s.lon_left_deg,
                     "lon_direction": s.lon_direction, "convention": s.convention_note,
                     "path": str(path) if path.exists() else None,
                     "sha256": hashes.get(s.filename, {}).get("sha256")})
    return rows


def status_of(name: str) -> dict[str, Any]:
    """:func:`status` of one source (a KeyError for an unknown name)."""
    rows = {r["name"]: r for r in status()}
    return rows[name]


def download(name: str, base_url: str | None = None, progressbar: bool = True,
             reset: bool = False) -> Path:
    """Fetch one source into :func:`downloads_dir` (or verify the cached copy) and return its path.

    Parameters
    ----------
    name
        A key of :data:`SOURCES`.
    base_url
        Replaces the publisher's URL by ``<base_url>/<file name>``; default ``$JUPITERSHINE_DOWNLOAD_BASE``.
    progressbar
        Show pooch's tqdm progress bar on stderr.
    reset
        Forget the recorded SHA-256 and the cached file first (after a legitimate upstream change).

    Raises
    ------
    UserError
        Unknown source; the server cannot be reached (offline) or answers with an HTTP error; the file
        differs from the SHA-256 recorded on the first download (nothing is left in place).
    """
    import pooch
    import requests

    source = SOURCES.get(name)
    if source is None:
        raise UserError(f"unknown map source {name!r}; known: {', '.join(SOURCES)} "
                        "(see `jupitershine textures download --list`)")
    folder = downloads_dir()
    target = folder / source.filename
    hashes = recorded_hashes()
    if reset:
        hashes.pop(source.filename, None)
        _write_hashes(hashes)
        target.unlink(missing_ok=True)
    known = hashes.get(source.filename, {}).get("sha256")
    url = source_url(source, base_url)
    if known is None and target.exists():
        target.unlink()  # a file with no record was not verified: fetch it afresh and record it

    fresh = not target.exists()
    downloader = pooch.HTTPDownloader(progressbar=progressbar, timeout=TIMEOUT_S)
    try:
        with _quiet_pooch():
            fetched = Path(pooch.retrieve(url, known_hash=f"sha256:{known}" if known else None,
                                          fname=source.filename, path=folder,
                                          downloader=downloader))
    except requests.exceptions.HTTPError as exc:
        code: int | str = "an error"
        if exc.response is not None:
            code = exc.response.status_code
            exc.response.close()  # pooch streams and leaves the failed response (and its socket) open
        raise UserError(f"{url} answered HTTP {code}: the map has moved or the server is down; "
                        f"try later, or set {BASE_ENV} to a mirror") from exc
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
        host = urlsplit(url).netloc or url
        raise UserError(f"cannot reach {host} to download {source.name} (offline, or the server is "
                        f"down); check the network connection, or set {BASE_ENV} to a mirror") from exc
    except requests.exceptions.RequestException as exc:
        raise UserError(f"downloading {url} failed ({type(exc).__name__}: {exc}); "
                        "try again later") from exc
    except ValueError as exc:  # pooch: the SHA-256 does not match the recorded one
        target.unlink(missing_ok=True)
        if known is None:  # not a hash check: nothing was recorded to check against
            raise UserError(f"downloading {url} failed ({exc}); try again later") from exc
        raise UserError(f"{source.filename} from {url} does not match the SHA-256 recorded on its "
                        f"first download ({known[:12]}…): the file changed upstream or arrived "
                        "corrupt, and was not kept. Try again; if the publisher really changed it, "
                        f"accept the new file with `jupitershine textures download --source "
                        f"{source.name} --reset`") from exc

    if fresh:  # pooch writes through a 0600 temporary file: give the map the umask's permissions
        apply_default_mode(fetched)
    if known is None:
        hashes[source.filename] = {"sha256": pooch.file_hash(str(fetched), alg="sha256"),
                                   "url": url, "bytes": fetched.stat().st_size}
        _write_hashes(hashes)
    return fetched


def _write_hashes(hashes: dict[str, dict[str, Any]]) -> None:
    write_text_atomic(downloads_dir() / _HASHES, json.dumps(hashes, indent=2, sort_keys=True) + "\n")


@contextmanager
def _quiet_pooch() -> Iterator[None]:
    """Hide pooch's INFO lines ("Downloading…", "SHA256 hash of downloaded file…"): we record the hash."""
    import pooch

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
