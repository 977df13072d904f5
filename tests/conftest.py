"""Shared fixtures. Paths to ../shared (reference files) are found beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _own_settings(tmp_path_factory: pytest.TempPathFactory):
    """The user's settings (viewer.maps: ``jupitershine textures use``) from an empty folder, so that a
    developer's own choice of maps cannot change what the tests render."""
    import os

    old = os.environ.get("JUPITERSHINE_CONFIG")
    os.environ["JUPITERSHINE_CONFIG"] = str(tmp_path_factory.mktemp("config"))
    yield
    if old is None:
        os.environ.pop("JUPITERSHINE_CONFIG", None)
    else:
        os.environ["JUPITERSHINE_CONFIG"] = old


@pytest.fixture(scope="session")
def world():
    from viewer.sim.world import World

    return World()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not beside the checkout ({SHARED})")
    return SHARED


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regenerate-references", action="store_true", default=False,
                     help="rewrite tests/reference/*.png (and renderer.json) from this machine's renderer")


@pytest.fixture(scope="session")
def regenerate_references(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regenerate-references"))
