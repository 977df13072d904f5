"""The window's collapsible side panel (a Qt dock widget): the clock, the jumps, the camera, capture.

Every control calls the same action as its key (:meth:`viewer.app.window.Viewer.do`), so the panel
and the keyboard cannot disagree. Buttons take no keyboard focus: the keys keep going to the canvas.
"""

from __future__ import annotations

from typing import Any

from viewer.app.controls import TARGETS
from viewer.app.hud import clock_text
from viewer.app.session import EV_STEP, LOOK_CYCLE
from viewer.config import LIGHT_PATHS
from viewer.errors import UserError

#: Positions of the time slider over the clock's span.
SLIDER_STEPS = 10_000
#: The exposure slider's range, EV (stops; the keys and ``--exposure`` reach ±64).
EV_RANGE = (-8.0, 24.0)


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

        look = QtWidgets.QGroupBox("Look and light")
        k = QtWidgets.QVBoxLayout(look)
        self.checks: dict[str, Any] = {}

        def check(text: str, key: str) -> Any:
            box = QtWidgets.QCheckBox(text)
            box.setFocusPolicy(no_focus)
            box.toggled.connect(lambda on: self._toggled(key, on))
            self.checks[key] = box
            return box

        k.addWidget(row(check("Labels (L)", "labels"), check("Trails (O)", "trails")))
        for i in range(0, len(LIGHT_PATHS), 2):
            k.addWidget(row(*(check(p.capitalize(), f"light:{p}") for p in LIGHT_PATHS[i:i + 2])))
        self.look = QtWidgets.QComboBox()
        self.look.setFocusPolicy(no_focus)
        for look_name in LOOK_CYCLE:
            self.look.addItem(look_name or "preset", look_name)
        self.look.activated.connect(self._chose_look)
        k.addWidget(row(QtWidgets.QLabel("Look (M)"), self.look))
        self.auto = check("Auto exposure (X)", "auto")
        self.ev = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.ev.setRange(round(EV_RANGE[0] / EV_STEP), round(EV_RANGE[1] / EV_STEP))
        self.ev.setFocusPolicy(no_focus)
        self.ev.valueChanged.connect(self._slid_ev)
        self.ev_text = QtWidgets.QLabel()
        k.addWidget(self.auto)
        k.addWidget(row(self.ev_text, self.ev))
        layout.addWidget(look)

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
        session = self.viewer.session
        setup = session.setup
        states = {"labels": setup.labels, "trails": bool(setup.trails),
                  "auto": setup.tone.exposure == "auto" or setup.night,
                  **{f"light:{p}": p in setup.settings.light for p in LIGHT_PATHS}}
        for key, on in states.items():
            self.checks[key].blockSignals(True)
            self.checks[key].setChecked(bool(on))
            self.checks[key].blockSignals(False)
        self.look.setCurrentIndex(LOOK_CYCLE.index(setup.look) if setup.look in LOOK_CYCLE else 0)
        self.ev.blockSignals(True)
        self.ev.setValue(round(min(max(session.last_ev, EV_RANGE[0]), EV_RANGE[1]) / EV_STEP))
        self.ev.blockSignals(False)
        self.ev.setEnabled(not states["auto"])
        self.ev_text.setText(session.exposure_text())

    def _toggled(self, key: str, on: bool) -> None:
        setup = self.viewer.session.setup
        if key.startswith("light:"):
            path = key.split(":", 1)[1]
            paths = set(setup.settings.light) | {path} if on else set(setup.settings.light) - {path}
            self.viewer.restyle(light=paths)
        elif key == "auto":
            self.viewer.restyle(exposure="auto" if on else round(self.viewer.session.last_ev, 2))
        else:
            self.viewer.restyle(**{key: on})

    def _chose_look(self, index: int) -> None:
        self.viewer.restyle(look=self.look.itemData(index))

    def _slid_ev(self, value: int) -> None:
        self.viewer.restyle(exposure=value * EV_STEP)

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
