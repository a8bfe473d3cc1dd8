"""A story told aloud (starcoach/dictation.py): recorded by the app's recorder into the data
folder, transcribed whole at Stop; when that fails the audio stays and the message says where."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from starcoach.audio.fake import FakeSoundDevice, ramp
from starcoach.dictation import Dictation, DictationFailed, new_dictation_path
from starcoach.paths import dictations_dir
from tests.support.fakes import ScriptedEngine


def _told(engine: Any, audio: Any, tmp_path: Path | None = None) -> Dictation:
    """A dictation that has heard all of ``audio`` (played flat out, then the stream ends)."""
    sd = FakeSoundDevice(audio=audio, interval_s=0, end="finish")
    dictation = Dictation(engine, None if tmp_path is None else tmp_path / "s.flac", sd=sd)
    dictation.start()
    assert dictation.recorder.finished.wait(10)
    return dictation


def test_the_words_of_the_recording_and_the_audio_kept() -> None:
    dictation = _told(ScriptedEngine("I profiled the endpoint."), ramp(1.0))
    assert dictation.listening and dictation.ended_by_itself
    result = dictation.finish()
    assert result.text == "I profiled the endpoint."
    assert result.recording.path.parent == dictations_dir() and result.recording.path.exists()
    assert dictation.progress == 1.0
    assert dictation.finish() is result  # done once


def test_a_failed_transcription_says_where_the_audio_is(tmp_path: Path) -> None:
    class Broken(ScriptedEngine):
        def transcribe(self, audio: Any, options: Any = None, progress: Any = None) -> Any:
            raise RuntimeError("model crashed")

    dictation = _told(Broken("x"), ramp(1.0), tmp_path)
    with pytest.raises(DictationFailed) as failed:
        dictation.finish()
    assert failed.value.path == tmp_path / "s.flac" and failed.value.path.exists()
    assert str(failed.value) == (
        f"Could not transcribe it: model crashed. The recording is kept: {tmp_path / 's.flac'}"
    )


def test_silence_is_no_words_and_the_audio_stays(tmp_path: Path) -> None:
    dictation = _told(ScriptedEngine("never heard"), np.zeros(16000, np.float32), tmp_path)
    with pytest.raises(DictationFailed, match=r"No words were heard.*is kept"):
        dictation.finish()
    assert (tmp_path / "s.flac").exists()


def test_recording_names_never_overwrite(tmp_path: Path) -> None:
    when = datetime(2026, 12, 1, 9, 30, 5)
    first = new_dictation_path(tmp_path, when)
    assert first.name == "story-20261201-093005.flac"
    first.write_bytes(b"kept")
    assert new_dictation_path(tmp_path, when).name == "story-20261201-093005-2.flac"
