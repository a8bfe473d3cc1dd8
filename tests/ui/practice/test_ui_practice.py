"""Guided practice in the real window, with a fake microphone and a scripted engine (fast);
tests/test_ui_e2e.py does the same through the virtual microphone and the real model."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from starcoach.audio.fake import FakeSoundDevice
from starcoach.content import STEP_ORDER
from tests.support.fakes import ScriptedEngine

SAID = (
    "This service belonged to the Platform team, not my team. No ticket existed, and "
    "nobody had asked me to investigate. We figured it out together."
)


def voice(seconds: float = 3.0) -> np.ndarray:
    t = np.arange(int(seconds * 16000), dtype=np.float32) / 16000
    return (0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def make_window(qtbot: Any, sd: Any, engine: Any) -> Any:
    from starcoach.app import build_context, build_window
    from starcoach.ui.shell import theme

    context = build_context(sd=sd, engine=engine)
    theme.apply(qtbot_app(), "light")
    window = build_window(context)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: qtbot_app().activeWindow() is window)
    window.loader.start()
    qtbot.waitUntil(lambda: window.loader.state == "ready")
    window.set_mode("practice")
    return window


def qtbot_app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


@pytest.fixture
def window(qtbot: Any) -> Any:
    sd = FakeSoundDevice(audio=voice(), end="silence")
    win = make_window(qtbot, sd, ScriptedEngine(SAID))
    yield win
    win.close()


def page_of(window: Any) -> Any:
    return window.pages["practice"]


def press(qtbot: Any, widget: Any, key: Qt.Key) -> None:
    qtbot.keyClick(widget, key)


def record_one(qtbot: Any, page: Any, seconds: float = 1.2) -> None:
    press(qtbot, page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.controller.state == "recording", timeout=5000)
    qtbot.waitUntil(lambda: page.controller.active.elapsed_s >= seconds, timeout=5000)
    press(qtbot, page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.controller.state == "feedback", timeout=10000)


def test_space_records_and_feedback_appears(qtbot: Any, window: Any, tmp_path: Path) -> None:
    page = page_of(window)
    page.setFocus()
    assert "Record" in page.record.text()
    record_one(qtbot, page)
    html = page.feedback.toHtml()
    assert "Heard" in html and "Missing" in html and "I noticed" in html
    assert theme_phrase_bg() in html.lower()
    assert page.score.text().isdigit()
    assert page.pills.scores["situation"] == int(page.score.text())
    # Saved like the command line saves it: one session, one attempt, its FLAC on disk.
    store = window.context.store
    (session,) = store.list_sessions()
    (attempt,) = session.attempts
    assert attempt.step == "situation" and attempt.status == "done"
    assert Path(attempt.audio_path).exists()
    assert attempt.feedback["score"] == int(page.score.text())


def test_keys_retry_next_and_discard(qtbot: Any, window: Any) -> None:
    page = page_of(window)
    page.setFocus()
    record_one(qtbot, page)
    press(qtbot, page, Qt.Key.Key_R)
    assert page.controller.state == "idle" and page.controller.step == "situation"
    record_one(qtbot, page)
    press(qtbot, page, Qt.Key.Key_Return)
    assert page.controller.step == "task" and page.controller.state == "idle"
    # Esc while recording: nothing of this take is kept.
    press(qtbot, page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.controller.state == "recording", timeout=5000)
    press(qtbot, page, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.controller.state == "idle", timeout=5000)
    (session,) = window.context.store.list_sessions()
    assert [a.step for a in session.attempts if a.status == "done"] == ["situation", "situation"]
    assert not [a for a in session.attempts if a.step == "task" and a.status == "done"]


def test_five_steps_give_a_verdict(qtbot: Any, window: Any) -> None:
    page = page_of(window)
    page.setFocus()
    for step in STEP_ORDER:
        assert page.controller.step == step
        record_one(qtbot, page, seconds=0.8)
        press(qtbot, page, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: page.controller.state == "verdict")
    html = page.verdict.toHtml()
    assert "Hire" in html
    (session,) = window.context.store.list_sessions()
    assert session.verdict is not None and session.verdict["verdict"] in html
    press(qtbot, page, Qt.Key.Key_R)  # again, from Situation, in a new session
    assert page.controller.state == "idle" and page.controller.step == "situation"
    assert page.controller.session is None


def test_clock_turns_warning_then_alarm(qtbot: Any, window: Any) -> None:
    page = page_of(window)
    step = window.context.library.get("disagree-senior-leader").step("situation")
    page._tick(step.target_s - 1, 0.1, "")
    calm = page.clock.styleSheet()
    page._tick(step.target_s + 1, 0.1, "")
    warn = page.clock.styleSheet()
    page._tick(step.max_s + 1, 0.1, "")
    alarm = page.clock.styleSheet()
    assert len({calm, warn, alarm}) == 3


def test_no_microphone_is_shown_in_the_window(qtbot: Any) -> None:
    sd = FakeSoundDevice(devices=[], default_input=-1)
    win = make_window(qtbot, sd, ScriptedEngine(SAID))
    page = page_of(win)
    page.setFocus()
    press(qtbot, page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.problem_label.isVisible())
    assert "No microphone found" in page.problem_label.text()
    assert page.controller.state == "idle"
    win.close()


def test_unplugged_mid_answer_keeps_the_take(qtbot: Any) -> None:
    sd = FakeSoundDevice(audio=voice(1.5), end="finish")
    win = make_window(qtbot, sd, ScriptedEngine(SAID))
    page = page_of(win)
    page.setFocus()
    press(qtbot, page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.controller.state == "feedback", timeout=10000)
    assert "disconnected" in page.problem_label.text()
    (session,) = win.context.store.list_sessions()
    assert session.attempts[0].duration_s == pytest.approx(1.5, abs=0.15)
    win.close()


def test_model_still_loading_blocks_recording(qtbot: Any) -> None:
    gate = threading.Event()

    class SlowEngine(ScriptedEngine):
        def load(self) -> None:
            gate.wait(10)
            super().load()

    from starcoach.app import build_context, build_window

    context = build_context(
        sd=FakeSoundDevice(audio=voice()), engine=SlowEngine(SAID, loaded=False)
    )
    win = build_window(context)
    qtbot.addWidget(win)
    win.show()
    win.loader.start()
    win.set_mode("practice")
    page = page_of(win)
    assert not page.record.isEnabled()
    assert "Loading" in win.model_label.text()
    gate.set()
    qtbot.waitUntil(lambda: page.record.isEnabled())
    assert "ready" in win.model_label.text()
    win.close()


def test_closing_while_recording_asks_and_keeps_the_audio(
    qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = page_of(window)
    page.setFocus()
    press(qtbot, page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.controller.state == "recording", timeout=5000)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes
    )
    assert window.close()
    assert asked
    (session,) = window.context.store.list_sessions()
    assert session.attempts[0].status == "done"
    assert not [t for t in threading.enumerate() if t.name.startswith("starcoach")]


def theme_phrase_bg() -> str:
    from starcoach.ui.shell import theme

    return theme.current().phrase_bg.lower()
