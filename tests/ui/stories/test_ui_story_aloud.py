"""The story builder's "Tell it aloud": record the story, Stop, and its words are in the
notes and drafted -- through the app's recorder (a fake microphone) and a scripted engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt

from starcoach.audio.fake import DEFAULT_DEVICES, FakeSoundDevice, ramp
from starcoach.paths import dictations_dir
from starcoach.ui.stories.controller import AloudState
from tests.support.fakes import ScriptedEngine
from tests.unit.content.test_story_draft import PROSE


def _builder(qtbot: Any, sd: Any, engine: Any):  # type: ignore[no-untyped-def]
    from starcoach.app import build_context
    from starcoach.ui.stories.dialog import StoriesDialog

    context = build_context(sd=sd, engine=engine)
    dialog = StoriesDialog(context, tab="builder")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, dialog.builder


def _recorded(controller: Any) -> float:
    dictation = controller.dictation
    return 0.0 if dictation is None else float(dictation.elapsed_s)


def test_tell_it_aloud_puts_the_words_in_the_notes_and_drafts_them(qtbot: Any) -> None:
    # One second of "speech", then the silence of a quiet room.
    dialog, builder = _builder(qtbot, FakeSoundDevice(audio=ramp(1.0)), ScriptedEngine(PROSE))
    builder.notes.setPlainText("Context: the payments team.")
    button = builder.aloud_button
    assert button.accessibleName() == "Tell your story aloud"
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)  # the keyboard starts it

    controller = builder.aloud
    qtbot.waitUntil(lambda: controller.state is AloudState.RECORDING)
    assert builder.stop_button.isVisible() and builder.aloud_meter.isVisible()
    assert builder.stop_button.hasFocus()  # Space again stops
    qtbot.waitUntil(lambda: _recorded(controller) >= 1)
    qtbot.waitUntil(lambda: builder.aloud_clock.text() == "0:01")
    assert builder.aloud_meter.value > 0  # the meter moved while the microphone heard

    with qtbot.waitSignal(controller.transcribed, timeout=10_000):
        qtbot.keyClick(builder.stop_button, Qt.Key.Key_Space)
    notes = builder.notes.toPlainText()
    assert notes.startswith("Context: the payments team.\n\n")
    assert "I profiled the endpoint with async-profiler" in notes
    draft = builder.yaml.toPlainText()
    assert "kind: story" in draft and "I profiled the endpoint" in draft
    assert builder.save_button.isEnabled()
    assert "words to your notes" in builder.aloud_status.text()
    assert controller.state is AloudState.IDLE and button.isEnabled()
    assert not builder.stop_button.isVisible()
    # The recording is kept in the data folder.
    (kept,) = dictations_dir().glob("story-*.flac")
    assert kept.stat().st_size > 0
    dialog.close()


def test_no_microphone_says_so_plainly(qtbot: Any) -> None:
    speakers_only = FakeSoundDevice(devices=DEFAULT_DEVICES[1:], default_input=-1)
    dialog, builder = _builder(qtbot, speakers_only, ScriptedEngine(PROSE))
    builder.aloud_button.click()
    qtbot.waitUntil(lambda: "No microphone found" in builder.aloud_status.text())
    assert builder.aloud.state is AloudState.IDLE and builder.aloud_button.isEnabled()
    assert not builder.notes.toPlainText() and not builder.yaml.toPlainText()
    assert not list(dictations_dir().glob("*.flac"))
    dialog.close()


def test_no_model_yet_says_so_and_records_nothing(qtbot: Any) -> None:
    sd = FakeSoundDevice(audio=ramp(1.0))
    dialog, builder = _builder(qtbot, sd, ScriptedEngine(PROSE, loaded=False))
    builder.aloud_button.click()
    assert "speech model is still loading" in builder.aloud_status.text()
    assert builder.aloud.state is AloudState.IDLE and not sd.streams
    dialog.close()


class _BrokenEngine(ScriptedEngine):
    def transcribe(self, audio: np.ndarray, options: Any = None, progress: Any = None) -> Any:
        raise RuntimeError("out of memory")


def test_a_failed_transcription_keeps_the_audio_and_says_where(qtbot: Any) -> None:
    dialog, builder = _builder(qtbot, FakeSoundDevice(audio=ramp(1.0)), _BrokenEngine(PROSE))
    controller = builder.aloud
    builder.aloud_button.click()
    qtbot.waitUntil(lambda: controller.state is AloudState.RECORDING)
    qtbot.waitUntil(lambda: _recorded(controller) > 0.5)
    with qtbot.waitSignal(controller.problem, timeout=10_000) as said:
        builder.stop_button.click()
    message = said.args[0]
    assert "out of memory" in message and "The recording is kept" in message
    kept = Path(message.split("The recording is kept: ")[1])
    assert kept.exists() and kept.stat().st_size > 0
    assert "out of memory" in builder.aloud_status.text()
    assert not builder.notes.toPlainText()
    dialog.close()


def test_closing_while_recording_stops_and_transcribes_first(qtbot: Any) -> None:
    dialog, builder = _builder(qtbot, FakeSoundDevice(audio=ramp(1.0)), ScriptedEngine(PROSE))
    controller = builder.aloud
    builder.aloud_button.click()
    qtbot.waitUntil(lambda: controller.state is AloudState.RECORDING)
    qtbot.waitUntil(lambda: _recorded(controller) > 0.6)
    with qtbot.waitSignal(controller.transcribed, timeout=10_000):
        dialog.reject()  # Esc: Stop, not lose it
        assert dialog.isVisible()
        assert controller.state is AloudState.TRANSCRIBING
        dialog.reject()  # again while it transcribes: still open, and says why
        assert dialog.isVisible()
        assert "Still transcribing" in builder.aloud_status.text()
    assert "I profiled the endpoint" in builder.notes.toPlainText()
    dialog.reject()
    assert not dialog.isVisible()
