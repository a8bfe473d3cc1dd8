"""The window from the keyboard alone: Tab reaches every interactive control on each screen
(and leaves text boxes), Space / Enter press the focused button, ← / → change step, and
every control has a name a screen reader can say."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from starcoach.audio.fake import FakeSoundDevice
from starcoach.ui.common.widgets import StepPills
from tests.support.fakes import ScriptedEngine

SAID = "This service belonged to the Platform team, not my team. No ticket existed."
INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    StepPills,
)


def voice(seconds: float = 3.0) -> np.ndarray:
    t = np.arange(int(seconds * 16000), dtype=np.float32) / 16000
    return (0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def app() -> QApplication:
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    return instance


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    from starcoach.app import build_context, build_window
    from starcoach.ui.shell import theme

    sd = FakeSoundDevice(audio=voice(), end="silence")
    context = build_context(sd=sd, engine=ScriptedEngine(SAID))
    theme.apply(app(), "light")
    win = build_window(context)
    qtbot.addWidget(win)
    win.resize(1024, 640)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: app().activeWindow() is win)
    win.loader.start()
    qtbot.waitUntil(lambda: win.loader.state == "ready")
    yield win
    win.close()


def interactive_controls(root: QWidget) -> list[QWidget]:
    """What a mouse user can operate on the screen now: visible, enabled controls (not the
    parts Qt builds inside a control, and not scroll bars, which the keys scroll anyway)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QScrollBar):
            continue
        if not (widget.isVisible() and widget.isEnabled()):
            continue
        parent = widget.parentWidget()
        inner = False
        while parent is not None and parent is not root:
            if isinstance(parent, QComboBox | QTabBar | QAbstractSpinBox):
                inner = True  # a combo's list, a tab bar's scroll arrows
            parent = parent.parentWidget()
        if not inner:
            found.append(widget)
    return found


def walk_tab_order(qtbot: Any, start: QWidget, limit: int = 300) -> list[QWidget]:
    """Press Tab from ``start`` until the focus comes back round; every widget it visited."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: app().focusWidget() is start)
    visited: list[QWidget] = [start]
    for _ in range(limit):
        current = app().focusWidget()
        assert current is not None
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        now = app().focusWidget()
        assert (now is not None and now is not current) or len(visited) == 1, (
            f"Tab is stuck on {type(current).__name__} {current.accessibleName()!r}"
        )
        if now is start:
            return visited
        visited.append(now)
    raise AssertionError("Tab never came back round to where it started")


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return f"{type(widget).__name__}({widget.accessibleName() or text or widget.objectName()})"


def assert_all_reached(qtbot: Any, window: Any) -> list[QWidget]:
    order = walk_tab_order(qtbot, window.questions)
    controls = interactive_controls(window)
    missed = [describe(w) for w in controls if w not in order]
    assert not missed, f"Tab never reaches: {missed}"
    # A sensible order: the sidebar first (question, level, mode), then the page.
    sidebar = [window.questions, *window.level_buttons.values(), *window.mode_buttons.values()]
    positions = [order.index(w) for w in sidebar]
    assert positions == sorted(positions)
    page = window.pages[window.current_mode()]
    in_page = [i for i, w in enumerate(order) if page.isAncestorOf(w)]
    assert in_page and min(in_page) > max(positions)
    return order


def assert_named(controls: list[QWidget]) -> None:
    nameless = [
        describe(w)
        for w in controls
        if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text().strip()))
        and not isinstance(w, QTabBar | QComboBox | QLineEdit | QAbstractSlider)
    ]
    assert not nameless, f"no accessible name: {nameless}"


def record_step(qtbot: Any, page: Any) -> None:
    qtbot.keyClick(page.record, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.controller.state == "recording", timeout=5000)
    qtbot.waitUntil(lambda: page.controller.active.elapsed_s >= 0.8, timeout=5000)
    qtbot.keyClick(app().focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.controller.state == "feedback", timeout=10000)


def test_tab_reaches_every_control_on_study(qtbot: Any, window: Any) -> None:
    window.set_mode("study")
    order = assert_all_reached(qtbot, window)
    assert window.pages["study"].tabs in order
    assert window.level_buttons["senior"] in order  # not only the checked level
    assert window.mode_buttons["review"] in order  # not only the checked mode


def test_tab_reaches_every_control_on_guided_practice(qtbot: Any, window: Any) -> None:
    window.set_mode("practice")
    page = window.pages["practice"]
    assert app().focusWidget() is page.record  # the mode opens on its main button
    record_step(qtbot, page)  # Retry and Next are live now
    order = assert_all_reached(qtbot, window)
    for control in (page.pills, page.record, page.retry_button, page.next_button):
        assert control in order
    assert_named(interactive_controls(page))


def test_tab_reaches_every_control_on_mock(qtbot: Any, window: Any) -> None:
    window.set_mode("mock")
    page = window.pages["mock"]
    order = assert_all_reached(qtbot, window)
    assert page.record in order
    assert_named(interactive_controls(page))


def test_tab_reaches_every_control_on_review(qtbot: Any, window: Any) -> None:
    window.set_mode("practice")
    record_step(qtbot, window.pages["practice"])
    window.set_mode("review")
    review = window.pages["review"]
    qtbot.waitUntil(lambda: review.detail.isVisible())
    order = assert_all_reached(qtbot, window)
    for control in (
        review.sessions.search,
        review.sessions.list,
        review.detail.step_tabs,
        review.detail.transcript,
        review.detail.export_button,
        review.detail.delete_button,
        *review.view_buttons.values(),
    ):
        assert control in order, describe(control)
    # Tab leaves the transcript at once instead of walking its words.
    transcript = review.detail.transcript
    assert order.count(transcript) == 1
    assert_named(interactive_controls(review.detail))


def test_tab_leaves_the_story_form_text_boxes(qtbot: Any, window: Any) -> None:
    from starcoach.ui.stories.editor import StoryEditor

    editor = StoryEditor(window.context, window)
    qtbot.addWidget(editor)
    editor.show()
    box = editor.examples["situation"]
    box.setFocus()
    qtbot.waitUntil(lambda: app().focusWidget() is box)
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert box.toPlainText() == ""
    assert app().focusWidget() is editor.phrases["situation"]
    # The wheel over a time field it does not have focus on scrolls the form, not the value.
    spin = editor.targets["situation"]
    before = spin.value()
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    event = QWheelEvent(
        QPointF(5, 5),
        QPointF(spin.mapToGlobal(QPoint(5, 5))),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    app().sendEvent(spin, event)
    assert spin.value() == before
    assert spin.focusPolicy() == Qt.FocusPolicy.StrongFocus
    editor.reject()


def test_arrows_change_step_and_space_presses_the_focused_button(qtbot: Any, window: Any) -> None:
    window.set_mode("practice")
    page = window.pages["practice"]
    qtbot.keyClick(page.record, Qt.Key.Key_Right)
    assert page.controller.step == "task"
    qtbot.keyClick(app().focusWidget(), Qt.Key.Key_Left)
    assert page.controller.step == "situation"
    record_step(qtbot, page)
    page.retry_button.setFocus()
    qtbot.waitUntil(lambda: app().focusWidget() is page.retry_button)
    qtbot.keyClick(page.retry_button, Qt.Key.Key_Space)  # Retry, not a new recording
    assert page.controller.state == "idle" and page.controller.step == "situation"
    # The step pills: click one, or Tab to them and use the arrows.
    page.pills.setFocus()
    qtbot.waitUntil(lambda: app().focusWidget() is page.pills)
    qtbot.keyClick(page.pills, Qt.Key.Key_End)
    assert page.controller.step == "reflection"


def test_sidebar_folds_away_and_back(qtbot: Any, window: Any) -> None:
    assert window.sidebar.width() < 300  # narrower at 1024 wide
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not window.sidebar.isVisible() and window.rail.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert window.sidebar.isVisible()
    assert app().focusWidget() is window.questions


def test_start_practising_opens_guided_practice(qtbot: Any, window: Any) -> None:
    from PySide6.QtCore import QTimer

    from starcoach.ui.common.welcome_dialog import WelcomeDialog

    window.context.settings.welcomed = False
    window.set_mode("study")

    def start() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WelcomeDialog)
        start_button = next(
            b for b in dialog.findChildren(QAbstractButton) if b.text() == "Start practising"
        )
        start_button.click()

    QTimer.singleShot(50, start)
    window.after_start()
    assert window.current_mode() == "practice"


def test_microphone_names_a_person_can_read(
    qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starcoach.ui.common import mic_check

    assert mic_check.friendly_mic_name("pulse") == "PulseAudio sound server (pulse)"
    assert mic_check.friendly_mic_name("default") == "ALSA default device (default)"
    assert mic_check.friendly_mic_name("USB Audio: Mic (hw:1,0)") == "USB Audio: Mic"
    window.context.settings.microphone = "pulse"
    window._show_mic()
    assert "PulseAudio sound server" in window.mic_label.text()
    # No microphone at all: the status bar says so, not "system default microphone".
    monkeypatch.setattr(mic_check, "list_input_devices", lambda sd=None: [])
    window.context.settings.microphone = None
    window._show_mic()
    assert window.mic_label.text() == "Microphone: none found"
    check = mic_check.MicCheck(window.context.sd, None)
    qtbot.addWidget(check)
    assert check.combo.itemText(0) == "No microphone found"
    assert "No microphone found" in check.status.text()
