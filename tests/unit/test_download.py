"""`jupitershine textures download`: pooch downloads, trust-on-first-use SHA-256, offline errors.

Never touches the internet: a local ``http.server`` on 127.0.0.1 (ephemeral port, in a thread, started
and stopped by each test) serves files the test makes; ``JUPITERSHINE_DOWNLOAD_BASE`` points at it.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from viewer import downloads
from viewer.errors import UserError

SOURCE = "io-usgs"
FILENAME = downloads.SOURCES[SOURCE].filename


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server:
    """A static file server on 127.0.0.1 whose files the test writes under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, data: bytes) -> str:
        (self.root / FILENAME).write_bytes(data)
        return hashlib.sha256(data).hexdigest()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory, and no proxy between us and 127.0.0.1."""
    monkeypatch.setenv("JUPITERSHINE_CACHE", str(tmp_path / "cache"))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.delenv(downloads.BASE_ENV, raising=False)
    return tmp_path / "cache" / "downloads"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[_Server]:
    root = tmp_path / "www"
    root.mkdir()
    srv = _Server(root)
    try:
        yield srv
    finally:
        srv.stop()


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed when the block ends: nothing listens there


def test_registry_is_urls_with_conventions():
    assert {"io-usgs", "jupiter-cassini"} <= set(downloads.SOURCES)
    for s in downloads.SOURCES.values():
        assert s.url.startswith("https://") and s.url.endswith(s.filename)
        assert s.body in ("jupiter", "io") and "public domain" in s.licence
        assert s.lon_direction in ("west", "east") and -360.0 <= s.lon_left_deg <= 360.0


def test_base_url_replaces_the_publisher(monkeypatch):
    s = downloads.SOURCES[SOURCE]
    monkeypatch.delenv(downloads.BASE_ENV, raising=False)
    assert downloads.source_url(s) == s.url
    assert downloads.source_url(s, "http://mirror/maps/") == f"http://mirror/maps/{s.filename}"
    monkeypatch.setenv(downloads.BASE_ENV, "http://127.0.0.1:9")
    assert downloads.source_url(s) == f"http://127.0.0.1:9/{s.filename}"


def test_first_download_records_sha256_and_later_runs_verify(cache, server):
    digest = server.serve(b"map bytes v1" * 1000)
    path = downloads.download(SOURCE, base_url=server.base, progressbar=False)
    assert path == cache / FILENAME and path.read_bytes() == b"map bytes v1" * 1000
    record = json.loads((cache / "sha256.json").read_text())
    assert record[FILENAME]["sha256"] == digest
    assert record[FILENAME]["url"] == f"{server.base}/{FILENAME}"
    assert record[FILENAME]["bytes"] == 12000

    # second run: the cached file is verified against the record, no download needed
    server.stop()
    assert downloads.download(SOURCE, base_url=server.base, progressbar=False) == path
    assert downloads.recorded_hashes()[FILENAME]["sha256"] == digest


def test_a_locally_damaged_copy_is_fetched_again_and_verified(cache, server):
    digest = server.serve(b"good" * 500)
    path = downloads.download(SOURCE, base_url=server.base, progressbar=False)
    path.write_bytes(b"bit rot")
    assert downloads.download(SOURCE, base_url=server.base, progressbar=False).read_bytes() \
        == b"good" * 500
    assert downloads.recorded_hashes()[FILENAME]["sha256"] == digest


def test_changed_upstream_file_is_rejected_and_not_kept(cache, server):
    digest = server.serve(b"original" * 100)
    path = downloads.download(SOURCE, base_url=server.base, progressbar=False)
    path.unlink()  # the cache is cleared; the record stays
    server.serve(b"tampered" * 100)
    with pytest.raises(UserError) as exc:
        downloads.download(SOURCE, base_url=server.base, progressbar=False)
    message = str(exc.value)
    assert "\n" not in message and FILENAME in message and "SHA-256" in message
    assert "changed upstream" in message and "--reset" in message
    assert not path.exists()
    assert sorted(p.name for p in cache.iterdir()) == ["sha256.json"]  # no temporary left either
    assert downloads.recorded_hashes()[FILENAME]["sha256"] == digest


def test_changed_upstream_with_a_stale_local_copy_leaves_nothing(cache, server):
    server.serve(b"original" * 100)
    path = downloads.download(SOURCE, base_url=server.base, progressbar=False)
    path.write_bytes(b"corrupt local copy")
    server.serve(b"tampered" * 100)
    with pytest.raises(UserError, match="SHA-256"):
        downloads.download(SOURCE, base_url=server.base, progressbar=False)
    assert not path.exists()


def test_reset_accepts_a_new_upstream_file(cache, server):
    server.serve(b"original" * 100)
    downloads.download(SOURCE, base_url=server.base, progressbar=False)
    digest = server.serve(b"new release" * 100)
    path = downloads.download(SOURCE, base_url=server.base, progressbar=False, reset=True)
    assert path.read_bytes() == b"new release" * 100
    assert downloads.recorded_hashes()[FILENAME]["sha256"] == digest


def test_base_from_the_environment(cache, server, monkeypatch):
    server.serve(b"via env")
    monkeypatch.setenv(downloads.BASE_ENV, server.base + "/")
    assert downloads.download(SOURCE, progressbar=False).read_bytes() == b"via env"


def test_offline_is_one_clear_line(cache):
    base = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(UserError) as exc:
        downloads.download(SOURCE, base_url=base, progressbar=False)
    message = str(exc.value)
    assert "\n" not in message and "cannot reach 127.0.0.1" in message and "offline" in message
    assert not (cache / FILENAME).exists()
    assert downloads.recorded_hashes() == {}


def test_http_error_is_one_clear_line(cache, server):
    with pytest.raises(UserError) as exc:  # nothing served: 404
        downloads.download(SOURCE, base_url=server.base, progressbar=False)
    assert "HTTP 404" in str(exc.value) and "\n" not in str(exc.value)
    assert not (cache / FILENAME).exists()


def test_unknown_source(cache):
    with pytest.raises(UserError, match=r"unknown map source 'mars'.*io-usgs"):
        downloads.download("mars")


def test_status_lists_cached_files(cache, server):
    rows = {r["name"]: r for r in downloads.status()}
    assert rows[SOURCE]["path"] is None and rows[SOURCE]["sha256"] is None
    digest = server.serve(b"x" * 10)
    downloads.download(SOURCE, base_url=server.base, progressbar=False)
    rows = {r["name"]: r for r in downloads.status()}
    assert rows[SOURCE]["path"] == str(cache / FILENAME) and rows[SOURCE]["sha256"] == digest


def test_progress_bar_path_works(cache, server, capsys):
    server.serve(b"y" * 50_000)
    downloads.download(SOURCE, base_url=server.base, progressbar=True)
    assert (cache / FILENAME).stat().st_size == 50_000


# --- CLI: jupitershine textures download ---------------------------------------------------------

def test_cli_download_then_verify(cache, server, monkeypatch, capsys):
    from viewer.cli import main

    digest = server.serve(b"io map" * 100)
    monkeypatch.setenv(downloads.BASE_ENV, server.base)
    assert main(["textures", "download", "--source", SOURCE]) == 0
    out = capsys.readouterr().out
    assert str(cache / FILENAME) in out and digest in out
    assert f"--io-map {cache / FILENAME} --map-lon-left -180 --map-lon-direction east" in out
    server.stop()  # verified from the cache, no network needed
    assert main(["textures", "download", "--source", SOURCE, "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["sha256"] == digest and row["path"] == str(cache / FILENAME)
    assert main(["textures", "download", "--list", "--json"]) == 0
    listed = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert listed[SOURCE]["sha256"] == digest and listed["jupiter-cassini"]["path"] is None
    assert main(["textures", "download", "--list"]) == 0
    assert "public domain" in capsys.readouterr().out


def test_cli_offline_and_mismatch_are_one_line_exit_2(cache, server, monkeypatch, capsys):
    from viewer.cli import main

    monkeypatch.setenv(downloads.BASE_ENV, f"http://127.0.0.1:{_closed_port()}")
    assert main(["textures", "download", "--source", SOURCE]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("jupitershine: error: cannot reach")

    monkeypatch.setenv(downloads.BASE_ENV, server.base)
    server.serve(b"first")
    assert main(["textures", "download", "-s", SOURCE, "-q"]) == 0
    (cache / FILENAME).unlink()
    server.serve(b"second")
    capsys.readouterr()
    assert main(["textures", "download", "-s", SOURCE, "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "SHA-256" in err and not (cache / FILENAME).exists()
    assert main(["textures", "download", "-s", SOURCE, "-q", "--reset"]) == 0
    assert (cache / FILENAME).read_bytes() == b"second"


def test_cli_unknown_source_is_a_usage_error(cache, capsys):
    from viewer.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["textures", "download", "--source", "mars"])
    assert exc.value.code == 2 and len(capsys.readouterr().err.strip().splitlines()) == 1


def test_downloaded_map_and_record_get_the_umask_permissions(cache, server):
    import os
    import stat

    server.serve(b"map" * 100)
    old = os.umask(0o022)
    try:
        path = downloads.download(SOURCE, base_url=server.base, progressbar=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # pooch's own temporary file is 0600
    assert stat.S_IMODE((cache / "sha256.json").stat().st_mode) == 0o644
    assert sorted(p.name for p in cache.iterdir()) == sorted([FILENAME, "sha256.json"])
