"""A whole guided practice with the keyboard only, through the real parts: the PulseAudio
virtual microphone, the recorder, live transcription on tiny.en, the coach and the store.
No mouse, no method calls: only keys, sent where the keyboard focus is."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

SAID = {
    "situation": "Our payments service was failing at peak traffic last spring.",
    "task": "It was not my team and there was no ticket, but I owned the fix.",
    "action": "I traced the failing calls and I wrote the retry change myself.",
    "result": "Failures dropped from three percent to zero in one week.",
    "reflection": "Next time I would add an alarm before the launch.",
}


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def test_guided_practice_with_the_keyboard_only(
    qtbot: Any, pulse_mic: Any, whisper_engine: Any, make_speech: Any
) -> None:
    from starcoach.app import build_context, build_window
    from starcoach.content import STEP_ORDER
    from starcoach.ui.shell import theme

    context = build_context(engine=whisper_engine)
    context.settings.microphone = pulse_mic.device
    theme.apply(QApplication.instance(), "dark")  # type: ignore[arg-type]
    window = build_window(context)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.loader.start()
    qtbot.waitUntil(lambda: window.loader.state == "ready", timeout=30000)
    clips = {step: make_speech(text) for step, text in SAID.items()}

    qtbot.keyClick(focus(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.pages["practice"]
    assert window.current_mode() == "practice"
    assert focus() is page.record  # the mode opens on Record

    for step in STEP_ORDER:
        assert page.controller.step == step
        qtbot.keyClick(focus(), Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: page.controller.state == "recording", timeout=15000)
        pulse_mic.play_and_wait(clips[step])
        qtbot.keyClick(focus(), Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: page.controller.state == "feedback", timeout=30000)
        assert page.feedback.toPlainText().strip()
        if step == "task":
            # ← goes back a step (its feedback kept), → comes forward again.
            qtbot.keyClick(focus(), Qt.Key.Key_Left)
            assert page.controller.step == "situation" and page.controller.state == "feedback"
            qtbot.keyClick(focus(), Qt.Key.Key_Right)
            assert page.controller.step == "task"
        qtbot.keyClick(focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.controller.state == "verdict", timeout=15000)
    assert "verdict" in page.right_title.text().lower()

    (session,) = context.store.list_sessions()
    assert sorted(session.steps_done) == sorted(STEP_ORDER)
    assert session.verdict is not None
    # Tab still walks out of the page into the sidebar and back (nothing traps it).
    seen = []
    for _ in range(60):
        qtbot.keyClick(focus(), Qt.Key.Key_Tab)
        seen.append(focus())
    names = [f"{type(w).__name__}:{w.accessibleName()}" for w in seen]
    assert window.questions in seen and page.retry_button in seen, names
    window.close()
