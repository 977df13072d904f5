"""The interactive viewer (``jupitershine fly``): a Qt window around the renderer of stills and exports.

Layers: :mod:`viewer.app.controls` (clock, camera modes, keys), :mod:`viewer.app.hud` (the numbers,
frame rates), :mod:`viewer.app.record` (a flight as a scene file) and :mod:`viewer.app.script`
(scripted flights) need no Qt; :mod:`viewer.app.window` and :mod:`viewer.app.panel` are the Qt window
(PySide6, the optional ``app`` extra). Nothing here imports Qt at import time of the package.
"""
