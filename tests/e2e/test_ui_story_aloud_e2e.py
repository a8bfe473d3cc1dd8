"""Telling a story aloud in the story builder, through the real parts: espeak-ng speaking
into the PulseAudio virtual microphone, the app's recorder, tiny.en, a real window (offscreen);
the words land in the notes and a draft in the YAML box."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

STORY = (
    "I was the engineer on the payments team. Checkout latency had grown to two seconds. "
    "I profiled the service and I found a slow database query. "
    "I rewrote the query and I added a cache. "
    "Latency went from two seconds to three hundred milliseconds. "
    "I learned to measure before I guess."
)
WORDS = ("payments", "latency", "profiled", "query", "cache", "milliseconds", "learned")


def test_tell_a_story_aloud_and_get_a_draft(
    qtbot: Any, pulse_mic: Any, whisper_engine: Any, make_speech: Any
) -> None:
    from starcoach.app import build_context, build_window
    from starcoach.ui.shell import theme
    from starcoach.ui.stories.controller import AloudState
    from starcoach.ui.stories.dialog import StoriesDialog

    speech = make_speech(STORY)
    context = build_context(engine=whisper_engine)
    context.settings.microphone = pulse_mic.device
    theme.apply(QApplication.instance(), "light")  # type: ignore[arg-type]
    window = build_window(context)
    qtbot.addWidget(window)
    window.show()
    window.loader.start()
    qtbot.waitUntil(lambda: window.loader.state == "ready", timeout=30000)
    dialog = StoriesDialog(context, window, tab="builder")
    qtbot.addWidget(dialog)
    dialog.show()
    builder = dialog.builder
    controller = builder.aloud

    builder.aloud_button.setFocus()
    qtbot.keyClick(builder.aloud_button, Qt.Key.Key_Space)
    # The window says when the microphone hears; the candidate starts speaking then.
    qtbot.waitUntil(lambda: controller.state is AloudState.RECORDING, timeout=15000)
    assert "Listening" in builder.aloud_status.text()
    pulse_mic.play_and_wait(speech)
    qtbot.waitUntil(lambda: builder.aloud_clock.text() != "0:00")
    with qtbot.waitSignal(controller.transcribed, timeout=60000):
        qtbot.keyClick(builder.stop_button, Qt.Key.Key_Space)

    notes = builder.notes.toPlainText().lower()
    heard = [w for w in WORDS if w in notes]
    assert len(heard) >= 4, notes
    draft = builder.yaml.toPlainText()
    assert "kind: story" in draft and "name: action" in draft, draft
    assert "profiled" in draft.lower() or "rewrote" in draft.lower(), draft
    assert builder.save_button.isEnabled()
    dialog.close()
    window.close()
