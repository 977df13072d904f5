"""The interactive viewer (``jupitershine fly``, ``viewer.Viewer``): a Qt window or a notebook canvas
around the renderer of stills and exports.

Layers: :mod:`viewer.app.controls` (clock, camera modes, keys), :mod:`viewer.app.hud` (the numbers,
frame rates), :mod:`viewer.app.record` (a flight as a scene file), :mod:`viewer.app.script`
(scripted flights) and :mod:`viewer.app.session` (the flight and its frames, input to actions) need no
Qt; :mod:`viewer.app.window` and :mod:`viewer.app.panel` are the Qt window (PySide6, the optional
``app`` extra) and :mod:`viewer.app.notebook` the same flight in Jupyter (``viewer.Viewer``, the
``notebook`` extra). Nothing here imports Qt or Jupyter at import time of the package.
"""
