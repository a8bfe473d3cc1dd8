"""The window through the real parts: the PulseAudio virtual microphone, the recorder, live
transcription on the bundled tiny.en, the coach, SQLite on disk, and Review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.support.paths import TESTS

CLIP = TESTS / "corpus" / "clips" / "dsl-task-strong__joe_clean.flac"


def test_guided_practice_with_the_real_microphone_and_model(
    qtbot: Any, pulse_mic: Any, whisper_engine: Any
) -> None:
    from starcoach.app import build_context, build_window
    from starcoach.ui.shell import theme

    context = build_context(engine=whisper_engine)
    context.settings.microphone = pulse_mic.device
    theme.apply(QApplication.instance(), "light")  # type: ignore[arg-type]
    window = build_window(context)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.loader.start()
    qtbot.waitUntil(lambda: window.loader.state == "ready", timeout=30000)
    window.set_mode("practice")
    page = window.pages["practice"]
    page.controller.go_to_step("task")

    qtbot.keyClick(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.controller.state == "recording", timeout=15000)
    pulse_mic.play_and_wait(CLIP)
    # The live transcript grew while speaking, before Stop.
    qtbot.waitUntil(lambda: "ticket" in page.live.toPlainText().lower(), timeout=15000)
    qtbot.keyClick(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.controller.state == "feedback", timeout=30000)

    text = page.feedback.toPlainText()
    assert "This service belonged" in text or "this service belonged" in text.lower()
    assert "Heard" in text and "no ticket" in text
    assert page.controller.feedback_latency_s is not None
    assert page.controller.feedback_latency_s < 3.0  # `make bench` reports the real median
    outcome = page.controller.last_outcome
    assert outcome.recording.dropped_blocks == 0 and outcome.recording.overflows == 0

    (session,) = context.store.list_sessions()
    assert session.attempts[0].step == "task"
    assert Path(session.attempts[0].audio_path).exists()
    window.close()
