"""Equirectangular maps: any JPEG, PNG or TIFF (8 or 16 bit) → float32 arrays in our map convention.

This module reads images with Pillow (16-bit colour TIFFs with imageio's TIFF reader) and hands the
renderer plain numpy arrays; it never imports OpenGL, so the CLI (``jupitershine assets``) and the unit
tests can use it anywhere. The GL upload (texture objects, sRGB decoding, mipmaps) comes with the renderer
and calls :func:`load_map`.

Large maps are read with bounded memory: a map above the texture limit is reduced while a JPEG is
decoded (DCT scaling) and otherwise resampled one channel at a time in the file's own bit depth, before
anything becomes float32; Pillow's process-wide decompression-bomb check is replaced by this module's
own limit, :data:`MAX_DECODED_PIXELS` (see :func:`load_map`).

Our convention (docs/assets.md, ``textures/README.md``)
-------------------------------------------------------
Equirectangular, the top row at +90° planetocentric latitude, **west** longitude increasing from right to
left: the left edge of the image is 360° W, the right edge 0° W, 180° W the centre. Column ``j`` of a map
``W`` pixels wide is centred on west longitude ``360 − 360 (j + ½) / W`` and row ``i`` of ``H`` rows on
latitude ``90 − 180 (i + ½) / H``. This is how the planet looks from outside, north up: east is to the
right.

A user's map states its own convention with two numbers
--------------------------------------------------------
``lon_left_deg`` (``--map-lon-left DEG``)
    The longitude of the image's **left edge** (the edge of the first column, not its centre), in the
    longitude system named by ``lon_direction``. Any value; taken modulo 360.
``lon_direction`` (``--map-lon-direction west|east``)
    The direction on the planet in which the map's longitudes increase: ``west`` for positive-west
    longitudes (the IAU/USGS convention for Io and Jupiter's System III), ``east`` for positive-east ones.
    Like every published global map, the image is taken to be drawn north up as seen from outside, so
    going right across it goes east: with ``west`` the longitudes decrease to the right
    (``λ_W(u) = L − 360 u`` at the fraction ``u`` of the width from the left edge), with ``east`` they
    increase to the right (``λ_E(u) = L + 360 u``).

Ours is ``lon_left_deg=360, lon_direction="west"`` (the defaults). Examples: the USGS Io colour mosaic
distributed as ``…_180W.jpg`` is ours; a map with 0° at its centre and east longitudes −180…180 (the
USGS GeoTIFF layout) is ``lon_left_deg=-180, lon_direction="east"`` — the same as ``180, "west"``.
:func:`load_map` rolls the columns (with a linear blend of two columns when the shift is not a whole
number of pixels) so that the result is in our convention. Latitudes are not touched: the map must have
north at the top and, for Jupiter, planetocentric latitudes (published Jupiter maps are often
planetographic; the difference is up to 3.8° at ±45°).

Values are kept as encoded in the file, scaled to [0, 1] (``v / 255`` or ``v / 65535``); no transfer
function is applied (colour maps are sRGB-encoded, see :func:`srgb_to_linear`). ``bit_depth`` says which.
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from viewer.errors import UserError

__all__ = [
    "DEFAULT_MAX_TEXTURE_SIZE",
    "MAX_DECODED_PIXELS",
    "SUPPORTED_SUFFIXES",
    "MapImage",
    "column_west_longitude_deg",
    "load_map",
    "pixel_of",
    "srgb_to_linear",
]

log = logging.getLogger(__name__)

#: File name endings :func:`load_map` accepts.
SUPPORTED_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")

#: Texture size limit (pixels per side) assumed when no GL context is at hand to ask for
#: ``GL_MAX_TEXTURE_SIZE``: 16384 on current desktop GPUs and on Mesa's llvmpipe. The renderer passes the
#: limit of its own context instead.
DEFAULT_MAX_TEXTURE_SIZE = 16384

#: The largest image decoded whole (pixels): any PNG or TIFF, and a JPEG after its decode-time
#: reduction. 2^29 = 32768 × 16384 pixels, 2 GiB as Pillow holds an RGB image (4 bytes a pixel); a
#: larger file is refused by name before anything is decoded (Pillow's own decompression-bomb check,
#: a warning from 89 Mpx and an error from 179 Mpx, is not used: it refused valid maps).
MAX_DECODED_PIXELS = 32768 * 16384

#: Bytes of float32 converted at a time (bounds the temporaries of the conversion, roll and decoding).
_STRIP_BYTES = 16 * 1024 * 1024

#: How far from 2:1 a map's width/height may be (relative) and still count as a whole-globe
#: equirectangular map (covers off-by-one sizes such as 2049 × 1024).
ASPECT_TOLERANCE = 0.02

LonDirection = Literal["west", "east"]


@dataclass(frozen=True, eq=False)
class MapImage:
    """One map in our convention, ready for upload.

    Attributes
    ----------
    data : (H, W, C) float32 ndarray
        Values in [0, 1] as encoded in the file; ``C`` is 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA).
        Row 0 is +90° latitude; column ``j`` is centred on west longitude ``360 − 360 (j + ½) / W``.
    path : Path
        The file it was read from.
    bit_depth : int
        Bits per channel of the values kept (8 or 16).
    source_bit_depth : int
        Bits per channel in the file (16 for a 16-bit colour PNG that Pillow can only read at 8 bits).
    source_size : (int, int)
        (width, height) of the file in pixels.
    lon_left_deg, lon_direction
        The convention the file was read in (see the module docstring).
    shift_px : float
        Columns of the file (in [0, width)) that moved to the left edge: 0 when the file is already in our
        convention.
    downsampled_from : (int, int) or None
        (width, height) before downsampling to the texture limit, or None when the map fitted.
    """

    data: npt.NDArray[np.float32]
    path: Path
    bit_depth: int
    source_bit_depth: int
    source_size: tuple[int, int]
    lon_left_deg: float
    lon_direction: LonDirection
    shift_px: float
    downsampled_from: tuple[int, int] | None

    @property
    def width(self) -> int:
        """Width in pixels (after downsampling)."""
        return int(self.data.shape[1])

    @property
    def height(self) -> int:
        """Height in pixels (after downsampling)."""
        return int(self.data.shape[0])

    @property
    def channels(self) -> int:
        """Channels per pixel: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA."""
        return int(self.data.shape[2])

    @property
    def shift_deg(self) -> float:
        """The longitude shift applied, in degrees (``shift_px`` × 360 / source width)."""
        return self.shift_px * 360.0 / self.source_size[0]

    def sample(self, lat_deg: float, lon_w_deg: float) -> npt.NDArray[np.float32]:
        """The pixel (nearest) at a planetocentric latitude and west longitude, in degrees."""
        row, col = pixel_of(lat_deg, lon_w_deg, self.width, self.height)
        return np.asarray(self.data[row, col], dtype=np.float32)


def column_west_longitude_deg(width: int) -> npt.NDArray[np.float64]:
    """West longitude (degrees) of each column centre of a map ``width`` pixels wide, in our convention."""
    return 360.0 - 360.0 * (np.arange(width) + 0.5) / width


def pixel_of(lat_deg: float, lon_w_deg: float, width: int, height: int) -> tuple[int, int]:
    """(row, column) of the pixel holding (planetocentric latitude, west longitude) in our convention."""
    rows, cols = pixels_of(np.asarray(lat_deg), np.asarray(lon_w_deg), width, height)
    return int(rows), int(cols)


def pixels_of(lat_deg: npt.ArrayLike, lon_w_deg: npt.ArrayLike, width: int,
              height: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """:func:`pixel_of` for arrays of latitudes and west longitudes (degrees)."""
    u = np.mod(360.0 - np.asarray(lon_w_deg, dtype=np.float64), 360.0) / 360.0
    v = (90.0 - np.asarray(lat_deg, dtype=np.float64)) / 180.0
    col = np.minimum(np.floor(u * width), width - 1).astype(np.int64)
    row = np.clip(np.floor(v * height), 0, height - 1).astype(np.int64)
    return row, col


def srgb_to_linear(values: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """Decode sRGB-encoded values in [0, 1] to linear light (IEC 61966-2-1 piecewise curve).

    Large arrays are decoded a block of rows at a time, so the temporaries stay small (a 16384 × 8192
    RGB map is 1.6 GB as float32)."""
    c = np.asarray(values, dtype=np.float32)
    if c.ndim == 0 or c.nbytes <= _STRIP_BYTES:
        return _srgb_decode(c)
    out = np.empty(c.shape, dtype=np.float32)
    step = _rows_per_strip(c)
    for i in range(0, c.shape[0], step):
        out[i:i + step] = _srgb_decode(c[i:i + step])
    return out


def _srgb_decode(c: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


def _rows_per_strip(a: npt.NDArray[np.generic]) -> int:
    """Rows of ``a`` (along its first axis) in one :data:`_STRIP_BYTES` block of float32."""
    row = 4 * (a.size // max(a.shape[0], 1))
    return int(max(1, _STRIP_BYTES // max(row, 1)))


def load_map(
    path: str | Path,
    lon_left_deg: float = 360.0,
    lon_direction: LonDirection = "west",
    max_size: int | None = None,
) -> MapImage:
    """Read an equirectangular map and return it in our convention.

    Parameters
    ----------
    path
        A JPEG, PNG or TIFF file, 8 or 16 bits per channel, grey, grey + alpha, RGB or RGBA, about twice
        as wide as it is high.
    lon_left_deg
        Longitude of the image's left edge, degrees, in the system named by ``lon_direction``.
    lon_direction
        ``"west"`` (longitudes increase westward, i.e. right to left) or ``"east"`` (eastward, left to
        right). See the module docstring for the exact definition.
    max_size
        The texture size limit in pixels (``GL_MAX_TEXTURE_SIZE``): a larger map is downsampled (Lanczos)
        so that its longer side fits, with a one-line message on the ``viewer.render.textures`` logger.
        None: no limit. A JPEG is reduced while it is decoded (libjpeg's DCT scaling by 1/2, 1/4 or 1/8,
        never below the target size) and then resampled; other formats are decoded whole (at most
        :data:`MAX_DECODED_PIXELS`) and resampled one channel at a time in their own bit depth.

    Returns
    -------
    MapImage

    Raises
    ------
    UserError
        The file is missing, not a supported format, unreadable or corrupt, not about 2:1, larger than
        :data:`MAX_DECODED_PIXELS` to decode, or the convention is invalid. The message is one line
        naming the file and the fix.

    Notes
    -----
    Memory: besides the returned float32 array (H × W × C × 4 bytes at the output size), the peak holds
    the decoded image (4 bytes a pixel for RGB in Pillow, at the JPEG's reduced decode size), one
    channel of it and the integer pixels at the output size; conversion and roll go by strips of rows.
    """
    path = Path(path).expanduser()
    direction = _check_convention(lon_left_deg, lon_direction)
    raw, source_bits, (width, height) = _read(path, max_size)
    bit_depth = 8 if raw.dtype == np.uint8 else 16

    # West longitude of the file's left edge; the file column that holds our 360° W edge is then
    # s = (L_W mod 360) / 360 × W, and our column j is the file's column j + s (module docstring).
    left_w = lon_left_deg if direction == "west" else -lon_left_deg
    shift = (left_w % 360.0) / 360.0 * width
    if shift >= width - 1e-9:
        shift = 0.0
    # a downsampled map is rolled by the same longitude, in its own columns
    data = _to_float_rolled(raw, shift * raw.shape[1] / width)
    del raw

    downsampled_from = None
    if data.shape[:2] != (height, width):
        downsampled_from = (width, height)
        log.warning("%s is %d×%d, above the texture limit of %d pixels: downsampled to %d×%d",
                    path.name, width, height, max_size, data.shape[1], data.shape[0])

    return MapImage(data=data, path=path, bit_depth=bit_depth, source_bit_depth=source_bits,
                    source_size=(width, height), lon_left_deg=float(lon_left_deg),
                    lon_direction=direction, shift_px=float(shift), downsampled_from=downsampled_from)


# --- helpers -------------------------------------------------------------------------------------

def _check_convention(lon_left_deg: float, lon_direction: str) -> LonDirection:
    if lon_direction not in ("west", "east"):
        raise UserError(f"map longitude direction must be 'west' or 'east', not {lon_direction!r}")
    if not math.isfinite(lon_left_deg):
        raise UserError(f"map left-edge longitude must be a finite number of degrees, "
                        f"not {lon_left_deg!r}")
    return "west" if lon_direction == "west" else "east"


def _read(path: Path, max_size: int | None
          ) -> tuple[npt.NDArray[np.uint8] | npt.NDArray[np.uint16], int, tuple[int, int]]:
    """The file's pixels as uint8 or uint16, shape (H, W, C) — already downsampled to fit ``max_size``
    — the file's bits per channel and its (width, height)."""
    if not path.exists():
        raise UserError(f"map {path}: no such file; check the path (maps are JPEG, PNG or TIFF)")
    if path.is_dir():
        raise UserError(f"map {path} is a directory; give the image file itself")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UserError(f"map {path}: unsupported format {path.suffix or '(no extension)'!r}; "
                        "save it as PNG, JPEG or TIFF")
    try:
        im = _open_image(path)
    except UserError:
        raise
    except Exception as exc:  # Pillow raises OSError, ValueError, SyntaxError, ... on bad headers
        raise _unreadable(path, exc) from exc
    with im:
        width, height = im.size
        _check_aspect(path, width, height)
        target = _fit(width, height, max_size)
        file_bits = _file_bit_depth(path, im)
        try:
            if file_bits == 16 and im.format == "TIFF" and im.mode not in _SIXTEEN_BIT_MODES:
                _check_decoded_size(path, (width, height))
                # Pillow reads 16-bit colour TIFFs at 8 bits
                raw: npt.NDArray[np.uint8] | npt.NDArray[np.uint16] = _resized(_read_tiff16(path), target)
            else:
                if im.format == "JPEG" and target is not None:
                    im.draft(im.mode, target)  # decode at 1/2, 1/4 or 1/8 scale, not below target
                _check_decoded_size(path, im.size)
                im.load()
                raw = _bands(_supported_mode(path, im), target)
        except UserError:
            raise
        except Exception as exc:  # truncated or corrupt data
            raise _unreadable(path, exc) from exc

    source_bits = 16 if raw.dtype == np.uint16 else 8
    if raw.shape[0] < 2:
        raise UserError(f"map {path} has an unsupported layout {raw.shape}; it must be a single "
                        "grey, grey+alpha, RGB or RGBA image")
    if file_bits == 16 and raw.dtype == np.uint8:
        # Pillow reads 16-bit colour PNGs at 8 bits; say so rather than pretend.
        source_bits = 16
        log.warning("%s is a 16-bit colour PNG, read at 8 bits per channel (Pillow's limit); save it "
                    "as a 16-bit TIFF to keep all 16 bits", path.name)
    return raw, source_bits, (width, height)


#: Pillow modes of 16-bit grey images.
_SIXTEEN_BIT_MODES = ("I;16", "I;16L", "I;16B", "I;16N")


def _unreadable(path: Path, exc: BaseException) -> UserError:
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return UserError(f"map {path} cannot be read as an image ({detail}); the file is corrupt or "
                     "not really a PNG/JPEG/TIFF: re-export or re-download it")


def _open_image(path: Path) -> Any:
    """The file as a lazy Pillow image (nothing decoded yet), through the format's own plugin.

    ``PIL.Image.open`` would apply Pillow's decompression-bomb check, a process-wide setting; this
    loader has its own limit (:data:`MAX_DECODED_PIXELS`) and must not change Pillow's for others.
    """
    from PIL import JpegImagePlugin, PngImagePlugin, TiffImagePlugin

    with path.open("rb") as f:
        head = f.read(8)
    plugin: Any
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        plugin = PngImagePlugin.PngImageFile
    elif head.startswith(b"\xff\xd8\xff"):
        plugin = JpegImagePlugin.JpegImageFile
    elif head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        plugin = TiffImagePlugin.TiffImageFile
    else:
        raise UserError(f"map {path} cannot be read as an image (it starts with neither a PNG, a JPEG "
                        "nor a TIFF signature); the file is corrupt or not really a PNG/JPEG/TIFF: "
                        "re-export or re-download it")
    return plugin(str(path))


def _fit(width: int, height: int, max_size: int | None) -> tuple[int, int] | None:
    """The (width, height) that fits ``max_size`` (the longer side equal to it), or None if it fits."""
    if max_size is None or max(width, height) <= max_size:
        return None
    factor = max_size / max(width, height)
    return max(1, round(width * factor)), max(1, round(height * factor))


def _check_decoded_size(path: Path, size: tuple[int, int]) -> None:
    w, h = size
    if w * h > MAX_DECODED_PIXELS:
        raise UserError(f"map {path} is {w}×{h} ({w * h / 1e6:.0f} Mpx) to decode, more than the "
                        f"{MAX_DECODED_PIXELS / 1e6:.0f} Mpx (32768×16384) this program decodes: "
                        "downsample it first, or save it as JPEG, which is reduced while decoding")


def _supported_mode(path: Path, im: Any) -> Any:
    """``im`` in L, LA, RGB, RGBA or a 16-bit grey mode (palette and bilevel images expanded)."""
    mode = im.mode
    if mode in ("L", "LA", "RGB", "RGBA") or mode in _SIXTEEN_BIT_MODES:
        return im
    if mode == "1":
        return im.convert("L")
    if mode in ("P", "PA"):
        return im.convert("RGBA" if mode == "PA" or "transparency" in im.info else "RGB")
    if mode in ("CMYK", "YCbCr", "RGBX"):
        return im.convert("RGB")
    kind = {"I": "32-bit integer", "F": "32-bit float"}.get(mode, f"Pillow mode {mode}")
    raise UserError(f"map {path} holds {kind} samples; only 8- and 16-bit integer images are "
                    "supported: save it as an 8- or 16-bit PNG or TIFF")


def _bands(im: Any, target: tuple[int, int] | None) -> npt.NDArray[np.uint8] | npt.NDArray[np.uint16]:
    """(H, W, C) pixels of ``im``, each channel resampled (Lanczos) to ``target`` in its own mode."""
    from PIL import Image

    n = len(im.getbands())
    w, h = target if target is not None else im.size
    out = np.empty((h, w, n), dtype=np.uint16 if im.mode in _SIXTEEN_BIT_MODES else np.uint8)
    for c in range(n):
        band = im if n == 1 else im.getchannel(c)  # (16-bit images have one channel)
        if target is not None:
            band = band.resize(target, Image.Resampling.LANCZOS)
        out[:, :, c] = np.asarray(band)
        del band
    return out


def _resized(raw: npt.NDArray[np.uint16], target: tuple[int, int] | None) -> npt.NDArray[np.uint16]:
    """16-bit (H, W, C) pixels resampled to ``target`` one channel at a time (Pillow's I;16 mode)."""
    from PIL import Image

    if raw.ndim == 2:
        raw = raw[:, :, np.newaxis]
    if target is None:
        return raw
    out = np.empty((target[1], target[0], raw.shape[2]), dtype=np.uint16)
    for c in range(raw.shape[2]):
        band = Image.fromarray(np.ascontiguousarray(raw[:, :, c]))
        out[:, :, c] = np.asarray(band.resize(target, Image.Resampling.LANCZOS))
    return out


def _to_float_rolled(raw: npt.NDArray[np.uint8] | npt.NDArray[np.uint16],
                     shift: float) -> npt.NDArray[np.float32]:
    """``raw / 255`` (or ``/ 65535``) as float32 with the columns rolled by ``shift``
    (:func:`_roll_columns`), a strip of rows at a time."""
    scale = np.float32(255.0 if raw.dtype == np.uint8 else 65535.0)
    out = np.empty(raw.shape, dtype=np.float32)
    step = _rows_per_strip(raw)
    for i in range(0, raw.shape[0], step):
        out[i:i + step] = _roll_columns(raw[i:i + step].astype(np.float32) / scale, shift)
    return out


def _file_bit_depth(path: Path, im: Any) -> int | None:
    """Bits per sample stated in a PNG's or TIFF's header (the largest), or None; ``im`` is the file
    opened by :func:`_open_image`."""
    with path.open("rb") as f:
        head = f.read(26)
    if len(head) == 26 and head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":
        return int(head[24])
    if im.format == "TIFF":
        bits = getattr(im, "tag_v2", {}).get(258)  # BitsPerSample, one value per channel
        if bits is not None:
            return int(max(bits)) if isinstance(bits, tuple) else int(bits)
    return None


def _read_tiff16(path: Path) -> npt.NDArray[np.uint16]:
    """A 16-bit colour TIFF through imageio's tifffile backend (Pillow cannot read these at 16 bits).

    Without the ``tifffile`` package imageio falls back to its bundled copy, which warns that it is
    deprecated; that warning is addressed to packagers (install ``tifffile``), not to users.
    """
    import imageio.v3 as iio

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"imageio(\.|$)")
        raw = np.asarray(iio.imread(path, extension=".tif"))
    if raw.dtype != np.uint16:
        raise ValueError(f"expected 16-bit samples, got {raw.dtype}")
    return raw


def _check_aspect(path: Path, width: int, height: int) -> None:
    aspect = width / height
    if abs(aspect / 2.0 - 1.0) > ASPECT_TOLERANCE:
        raise UserError(f"map {path} is {width}×{height} (aspect {aspect:.2f}), but an equirectangular "
                        "map of the whole globe is twice as wide as it is high: give a 2:1 global map "
                        "(360° × 180°)")


def _roll_columns(data: npt.NDArray[np.float32], shift: float) -> npt.NDArray[np.float32]:
    """``out[:, j] = data[:, j + shift]`` with wrap-around; linear between columns for a fraction."""
    k = math.floor(shift)
    frac = shift - k
    if frac < 1e-6 or frac > 1.0 - 1e-6:
        k = round(shift)
        return np.roll(data, -k, axis=1) if k % data.shape[1] else data
    lo = np.roll(data, -k, axis=1)
    hi = np.roll(data, -k - 1, axis=1)
    lo *= np.float32(1.0 - frac)
    hi *= np.float32(frac)
    lo += hi
    return lo
