"""Generate the project's planet maps (``textures/``): entry point for ``jupitershine textures
generate``.

Maps (file name → generator): ``jupiter.png`` (:mod:`.jupiter_map`), ``io.png`` (:mod:`.io_map`),
``io_hotspots.png`` (:mod:`.io_hotspots`, 16-bit greyscale emission map), ``europa.png``,
``ganymede.png``, ``callisto.png`` (:mod:`.moons_map`). All follow the convention of
:mod:`.mapgrid` (equirectangular, planetocentric latitude, west longitude increasing to the left,
180° W at the centre).

Determinism: each map draws from its own :class:`numpy.random.Generator` seeded with
``SeedSequence([seed, crc32(name)])``, so a map depends only on (name, size, seed) — not on which
other maps are generated, nor on their order — and the same inputs give the same PNG bytes.
Colour maps are 8-bit sRGB RGB PNGs; the emission map a 16-bit greyscale PNG (scale in
``textures/README.md``). Files are written atomically by :func:`viewer.atomic.write_atomic`.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.atomic import write_atomic
from viewer.procedural.io_hotspots import encode_emission, generate_io_hotspots
from viewer.procedural.io_map import generate_io
from viewer.procedural.jupiter_map import generate_jupiter
from viewer.procedural.moons_map import generate_callisto, generate_europa, generate_ganymede

FloatArray = npt.NDArray[np.float64]

#: The committed size (width, height) and seed; other sizes go to the cache.
DEFAULT_SIZE: tuple[int, int] = (2048, 1024)
DEFAULT_SEED = 2023

_COLOUR: dict[str, Callable[[int, int, np.random.Generator], FloatArray]] = {
    "jupiter": generate_jupiter,
    "io": generate_io,
    "europa": generate_europa,
    "ganymede": generate_ganymede,
    "callisto": generate_callisto,
}
#: Map names in generation order; the file of map ``n`` is ``f"{n}.png"``.
MAP_NAMES: tuple[str, ...] = ("jupiter", "io", "io_hotspots", "europa", "ganymede", "callisto")


def map_rng(name: str, seed: int) -> np.random.Generator:
    """The generator for map ``name`` at ``seed`` (independent of the other maps)."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), zlib.crc32(name.encode())]))


def parse_size(text: str) -> tuple[int, int]:
    """``"2048x1024"`` → (2048, 1024). Width must be twice the height and both ≥ 16."""
    try:
        w_s, h_s = text.lower().split("x")
        w, h = int(w_s), int(h_s)
    except ValueError as exc:
        raise ValueError(f"size {text!r} is not WIDTHxHEIGHT, e.g. 2048x1024") from exc
    if w != 2 * h or h < 16:
        raise ValueError(f"size {text!r}: an equirectangular map needs width = 2 × height ≥ 32")
    return w, h


def generate_map(name: str, width: int, height: int, seed: int = DEFAULT_SEED
                 ) -> npt.NDArray[np.uint8] | npt.NDArray[np.uint16]:
    """The pixels of map ``name``: (height, width, 3) uint8 sRGB for colour maps, (height, width)
    uint16 for ``io_hotspots``."""
    if name == "io_hotspots":
        return encode_emission(generate_io_hotspots(height, width))
    if name not in _COLOUR:
        raise ValueError(f"unknown map {name!r}; known: {', '.join(MAP_NAMES)}")
    img = _COLOUR[name](height, width, map_rng(name, seed))
    return np.clip(np.rint(img * 255.0), 0, 255).astype(np.uint8)


def write_png_atomic(path: Path, pixels: npt.NDArray[np.uint8] | npt.NDArray[np.uint16]) -> None:
    """Write ``pixels`` as a PNG at ``path`` (:func:`viewer.atomic.write_atomic`: permissions from the
    umask, like any new file), creating the folder when needed."""
    import imageio.v3 as iio

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, lambda tmp: iio.imwrite(tmp, pixels, extension=".png", plugin="pillow"))


def _generate_and_write(args: tuple[str, int, int, int, str]) -> str:
    name, width, height, seed, out = args
    path = Path(out) / f"{name}.png"
    write_png_atomic(path, generate_map(name, width, height, seed))
    return str(path)


def generate_all(out_dir: Path, width: int, height: int, seed: int = DEFAULT_SEED,
                 names: Sequence[str] = MAP_NAMES, workers: int | None = None,
                 progress: bool = True) -> list[Path]:
    """Generate ``names`` into ``out_dir``; returns the written paths (in ``names`` order).

    ``workers`` processes (default: the CPU count, at most the number of maps) share the work;
    the bytes do not depend on it. ``progress`` shows a tqdm bar on standard error.
    """
    unknown = [n for n in names if n not in MAP_NAMES]
    if unknown:
        raise ValueError(f"unknown map(s) {', '.join(unknown)}; known: {', '.join(MAP_NAMES)}")
    jobs = [(n, width, height, seed, str(out_dir)) for n in names]
    n_workers = min(workers or os.cpu_count() or 1, len(jobs))
    results: dict[str, str] = {}
    bar = _progress(len(jobs), progress)
    try:
        if n_workers <= 1:
            done: Iterable[str] = (_generate_and_write(j) for j in jobs)
            for path in done:
                results[Path(path).stem] = path
                bar.update(1)
        else:
            with ProcessPoolExecutor(max_workers=n_workers) as pool:
                futures = [pool.submit(_generate_and_write, j) for j in jobs]
                for fut in futures:
                    path = fut.result()
                    results[Path(path).stem] = path
                    bar.update(1)
    finally:
        bar.close()
    return [Path(results[n]) for n in names]


class _NoBar:
    def update(self, n: int) -> None:
        """Do nothing."""

    def close(self) -> None:
        """Do nothing."""


def _progress(total: int, enabled: bool) -> Any:
    """A tqdm progress bar on standard error, or a do-nothing stand-in."""
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc="maps", unit="map")


def default_out_dir(width: int, height: int, seed: int) -> Path:
    """``textures/`` for the committed size and seed; otherwise the cache folder
    ``cache_dir()/textures/<W>x<H>-<seed>/``."""
    from viewer.paths import cache_dir, data_dir

    if (width, height) == DEFAULT_SIZE and seed == DEFAULT_SEED:
        return data_dir("textures")
    return cache_dir() / "textures" / f"{width}x{height}-{seed}"


def write_previews(src_dir: Path, out_dir: Path, width: int = 1024) -> list[Path]:
    """Downscaled flat previews ``<name>_preview.png`` of the maps in ``src_dir`` (for docs). The
    16-bit emission map is shown log-stretched (1e-7 … EMISSION_SCALE radiance) over a dimmed Io
    map, with the hot spots' names' positions marked by their own glow only."""
    from PIL import Image

    from viewer.procedural.io_hotspots import decode_emission

    written = []
    for name in MAP_NAMES:
        src = src_dir / f"{name}.png"
        if not src.exists():
            continue
        with Image.open(src) as im:
            arr = np.asarray(im)
        if name == "io_hotspots":
            em = decode_emission(arr)
            lo, hi = 1e-7, float(em.max()) if em.max() > 0 else 1.0
            t = np.clip(np.log10(np.maximum(em, lo) / lo) / np.log10(hi / lo), 0, 1)
            base = np.zeros((*em.shape, 3))
            io_path = src_dir / "io.png"
            if io_path.exists():
                with Image.open(io_path) as im:
                    base = np.asarray(im.convert("RGB"), dtype=np.float64) / 255.0 * 0.25
            glow = np.stack([t, t**2 * 0.8, t**4 * 0.5], axis=-1)
            arr = np.clip(np.rint(255 * np.maximum(base, glow)), 0, 255).astype(np.uint8)
        img = Image.fromarray(arr)
        if img.mode != "RGB":
            img = img.convert("RGB")
        img = img.resize((width, width // 2), Image.Resampling.LANCZOS)
        path = out_dir / f"{name}_preview.png"
        buf = np.asarray(img)
        write_png_atomic(path, buf)
        written.append(path)
    return written
