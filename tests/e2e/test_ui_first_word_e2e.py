"""The first word is never lost: speaking at the very instant Space is pressed, through the
PulseAudio virtual microphone, the real recorder and tiny.en."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.support.paths import TESTS

# Starts with "This service belonged...", which was heard as "service belong..." when the
# device was opened on Space.
CLIP = TESTS / "corpus" / "clips" / "dsl-task-strong__joe_clean.flac"


def test_speaking_the_instant_space_is_pressed_keeps_the_first_word(
    qtbot: Any, pulse_mic: Any, whisper_engine: Any, tmp_path: Path
) -> None:
    from starcoach.app import build_context, build_window
    from starcoach.ui.shell import theme

    # The clip without its leading silence: the first word starts with the first sample.
    speech = tmp_path / "speech.wav"
    subprocess.run(
        ["sox", str(CLIP), str(speech), "silence", "1", "0.01", "1%"], check=True, timeout=60
    )
    context = build_context(engine=whisper_engine)
    context.settings.microphone = pulse_mic.device
    theme.apply(QApplication.instance(), "light")  # type: ignore[arg-type]
    window = build_window(context)
    qtbot.addWidget(window)
    window.show()
    window.loader.start()
    qtbot.waitUntil(lambda: window.loader.state == "ready", timeout=30000)
    window.set_mode("practice")
    page = window.pages["practice"]
    c = page.controller
    c.go_to_step("task")
    # The window says when the microphone is live; the candidate speaks when it says so.
    qtbot.waitUntil(lambda: c.microphone is not None and c.microphone.live.is_set(), timeout=15000)
    assert "Microphone on" in page.status.text()

    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_Space)
    player = pulse_mic.play(speech)  # the same instant: no wait for "recording"
    qtbot.waitUntil(lambda: c.state == "recording", timeout=15000)
    assert player.wait(60) == 0
    qtbot.keyClick(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.state == "feedback", timeout=30000)

    words = c.last_outcome.feedback.transcript.words
    assert words, "nothing heard"
    first = [w.text.lower().strip(",.") for w in words if not w.filler][:3]
    assert first[0] == "this", " ".join(w.text for w in words[:8])
    window.close()
