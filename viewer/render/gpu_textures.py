"""Planet maps on the GPU: linear float textures with mipmaps, wrapping in longitude.

:func:`viewer.render.textures.load_map` reads a map (GL-free, values as encoded in the file); here the
colour maps are decoded from sRGB to linear (so the texture filter averages radiance, not encoded
values), uploaded as 16-bit float RGB and given a full mipmap chain. vispy's gloo has no mipmaps, so
:func:`upload_map` generates them with raw GL on the texture gloo created (``glGenerateMipmap``, core
since GL 3.0) and sets trilinear minification. Horizontal wrapping repeats (longitude is periodic),
vertical clamps (the poles).

Must not import: ``viewer.sim``, ``viewer.cli``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from viewer.render.textures import srgb_to_linear


def linear_rgb(data: npt.ArrayLike, srgb: bool = True) -> npt.NDArray[np.float32]:
    """(H, W, C) map values in [0, 1] → (H, W, 3) linear float32 (grey is repeated; alpha dropped)."""
    a = np.asarray(data, dtype=np.float32)
    if a.ndim == 2:
        a = a[:, :, None]
    if a.shape[2] in (1, 2):
        a = np.repeat(a[:, :, :1], 3, axis=2)
    a = a[:, :, :3]
    return srgb_to_linear(a) if srgb else np.ascontiguousarray(a, dtype=np.float32)


#: Rows per upload of a map with a fourth channel (the RGBA rows are assembled one strip at a time).
_STRIP_ROWS = 256


def upload_map(context: Any, rgb_linear: npt.ArrayLike, internalformat: str = "rgb16f",
               alpha: npt.ArrayLike | None = None) -> Any:
    """Upload a (H, W, 3) linear map (row 0 = +90° latitude) as a mipmapped gloo Texture2D; with
    ``alpha`` (H, W), as RGBA with it in the fourth channel (``internalformat`` then ``rgba16f``).

    In the shaders, ``t = 0`` is the map's top row and ``s`` wraps: ``s = 0`` is the left edge.
    """
    from vispy import gloo
    from vispy.gloo import gl

    data = np.ascontiguousarray(rgb_linear, dtype=np.float32)
    h, w = data.shape[:2]
    if alpha is not None:
        internalformat = "rgba16f"
    context.make_current()
    tex = gloo.Texture2D(shape=(h, w, 3 if alpha is None else 4), format="rgb" if alpha is None else "rgba",
                         internalformat=internalformat, interpolation="linear",
                         wrapping=("repeat", "clamp_to_edge"))
    context.canvas.context.glir.associate(tex.glir)  # vispy would at first use; we need it now
    context.flush()  # creates the GL texture (storage only)
    handle = context.canvas.context.shared.parser.get_object(tex.id).handle
    gl.glBindTexture(gl.GL_TEXTURE_2D, handle)
    # The pixels go to GL straight from ``data``: given the data, gloo would first copy it whole (1.6 GB
    # for a 16384 × 8192 map) and keep the copy until the upload.
    if alpha is None:
        gl.glTexSubImage2D(gl.GL_TEXTURE_2D, 0, 0, 0, gl.GL_RGB, gl.GL_FLOAT, data)
    else:
        a = np.asarray(alpha, dtype=np.float32)
        if a.shape != (h, w):
            raise ValueError(f"alpha of shape {a.shape} for a {h}x{w} map")
        for y in range(0, h, _STRIP_ROWS):
            strip = np.concatenate([data[y:y + _STRIP_ROWS], a[y:y + _STRIP_ROWS, :, None]], axis=2)
            gl.glTexSubImage2D(gl.GL_TEXTURE_2D, 0, 0, y, gl.GL_RGBA, gl.GL_FLOAT, strip)
    gl.glGenerateMipmap(gl.GL_TEXTURE_2D)
    gl.glTexParameteri(gl.GL_TEXTURE_2D, gl.GL_TEXTURE_MIN_FILTER, gl.GL_LINEAR_MIPMAP_LINEAR)
    gl.glBindTexture(gl.GL_TEXTURE_2D, 0)
    return tex
