"""``viewer.render``: the only package that touches GL.

Everything OpenGL lives here (context, shaders, passes, render targets); ``from OpenGL import GL`` appears
only in ``context.py``. Two modules are deliberately GL-free loaders, so that the CLI and the tests can use
them on a machine without a GPU or a display:

* :mod:`viewer.render.textures` — equirectangular maps (imageio) → float32 numpy arrays in the project's
  map convention (docs/assets.md "Our convention"); the GL upload, sRGB decoding on the GPU and mipmaps
  come later.
* :mod:`viewer.render.meshes` — spacecraft models (trimesh, with DracoPy for NASA's Draco-compressed glTF)
  → float32 arrays in metres, spin axis along +Z.

Importing this package imports nothing: submodules are imported by name.
"""
