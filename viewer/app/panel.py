"""The window's collapsible side panel (a Qt dock widget): the clock, the jumps, the camera, capture.

Every control calls the same action as its key (:meth:`viewer.app.window.Viewer.do`), so the panel
and the keyboard cannot disagree. Buttons take no keyboard focus: the keys keep going to the canvas.
"""

from __future__ import annotations

from typing import Any

from viewer.app.controls import TARGETS
from viewer.app.hud import clock_text
from viewer.errors import UserError

#: Positions of the time slider over the clock's span.
SLIDER_STEPS = 10_000


class Panel:
    """The side panel of ``viewer`` (a :class:`viewer.app.window.Viewer`)."""

    def __init__(self, viewer: Any) -> None:
        from PySide6 import QtCore, QtWidgets

        self.viewer = viewer
        self.dock = QtWidgets.QDockWidget("Controls", viewer.window)
        self.dock.setObjectName("controls")
        self.dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetClosable
                              | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable)
        body = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(body)
        no_focus = QtCore.Qt.FocusPolicy.NoFocus

        def button(text: str, action: str, backward: bool = False) -> Any:
            b = QtWidgets.QPushButton(text)
            b.setFocusPolicy(no_focus)
            b.clicked.connect(lambda: viewer.do(action, backward))
            return b

        def row(*widgets: Any) -> Any:
            w = QtWidgets.QWidget()
            h = QtWidgets.QHBoxLayout(w)
            h.setContentsMargins(0, 0, 0, 0)
            for x in widgets:
                h.addWidget(x)
            return w

        clock = QtWidgets.QGroupBox("Time")
        c = QtWidgets.QVBoxLayout(clock)
        self.rate = QtWidgets.QLabel()
        c.addWidget(self.rate)
        c.addWidget(row(button("Play/pause", "play_pause"), button("Reverse", "reverse")))
        c.addWidget(row(button("Slower", "slower"), button("Faster", "faster")))
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setFocusPolicy(no_focus)
        self.slider.sliderMoved.connect(self._slid)
        c.addWidget(self.slider)
        self.utc = QtWidgets.QLineEdit()
        self.utc.setPlaceholderText("UTC, e.g. 2023-12-30T08:36:00.836")
        self.utc.returnPressed.connect(self._typed)
        c.addWidget(self.utc)
        for label, what in (("closest approach", "closest_approach"), ("perijove", "perijove"),
                            ("eclipse", "eclipse")):
            c.addWidget(row(button(f"◀ {label}", f"jump:{what}", True), button(f"{label} ▶", f"jump:{what}")))
        layout.addWidget(clock)

        camera = QtWidgets.QGroupBox("Camera")
        g = QtWidgets.QGridLayout(camera)
        for i, name in enumerate(TARGETS):
            g.addWidget(button(f"{i + 1} {name.capitalize()}", f"target:{name}"), i // 2, i % 2)
        g.addWidget(button("Chase Juno", "chase"), 3, 0)
        g.addWidget(button("Free flight", "free"), 3, 1)
        g.addWidget(button("Start view", "reset"), 4, 0)
        layout.addWidget(camera)

        capture = QtWidgets.QGroupBox("View and capture")
        v = QtWidgets.QVBoxLayout(capture)
        v.addWidget(row(button("HUD", "hud"), button("Help", "help")))
        self.record = button("Record", "record")
        v.addWidget(row(button("Screenshot", "screenshot"), self.record))
        layout.addWidget(capture)
        layout.addStretch(1)
        scroll = QtWidgets.QScrollArea()  # the panel never forces the window taller than the canvas
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(no_focus)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(body.sizeHint().width() + 20)
        self.dock.setWidget(scroll)

    def sync(self) -> None:
        """Show the clock's state (rate, the slider at the current instant, recording)."""
        clock = self.viewer.flight.clock
        self.rate.setText(clock_text(clock.rate, clock.playing))
        if clock.span is not None and not self.slider.isSliderDown():
            a, b = clock.span
            self.slider.blockSignals(True)
            self.slider.setValue(round((clock.et - a) / (b - a) * SLIDER_STEPS))
            self.slider.blockSignals(False)
        self.record.setText("Stop recording" if self.viewer.recorder is not None else "Record")

    def _slid(self, value: int) -> None:
        clock = self.viewer.flight.clock
        if clock.span is not None:
            a, b = clock.span
            self.viewer.set_time(a + (b - a) * value / SLIDER_STEPS)

    def _typed(self) -> None:
        from viewer.sim.timescales import utc_to_et

        try:
            self.viewer.set_time(utc_to_et(self.utc.text().strip()))
        except UserError as exc:
            self.viewer.say(str(exc))
        self.viewer.canvas.native.setFocus()


__all__ = ["SLIDER_STEPS", "Panel"]
