"""Hesitations Whisper leaves out are found in the audio and put in the transcript."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from starcoach.transcribe.audio_io import SAMPLE_RATE, AudioArray
from starcoach.transcribe.engine import TranscriptionOptions
from starcoach.transcribe.fillers import find_fillers, is_hesitation, islands, with_fillers
from starcoach.transcribe.types import Transcript, Word


def _tone(seconds: float, amp: float = 0.3) -> AudioArray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (amp * np.sin(2 * np.pi * 150 * t)).astype(np.float32)


def _silence(seconds: float) -> AudioArray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


class IslandEngine:
    """Hears ``said`` for each stretch of sound in what it is given (at its time)."""

    def __init__(self, said: str) -> None:
        self.said = said
        self.options: list[TranscriptionOptions] = []

    @property
    def loaded(self) -> bool:
        return True

    def load(self) -> None:
        pass

    def transcribe(
        self, audio: AudioArray, options: TranscriptionOptions | None = None, progress=None
    ) -> Transcript:  # type: ignore[no-untyped-def]
        assert options is not None
        self.options.append(options)
        words = tuple(Word(self.said, a / SAMPLE_RATE, b / SAMPLE_RATE) for a, b in islands(audio))
        return Transcript(words=words, duration_s=audio.size / SAMPLE_RATE)


def _answer() -> AudioArray:
    # 2 s of "words", a pause, a 0.4 s "um", a pause, 2 s of words.
    return np.concatenate(
        [_tone(2.0), _silence(0.3), _tone(0.4), _silence(0.3), _tone(2.0), _silence(0.2)]
    )


def test_islands_are_short_stretches_of_sound_between_silences() -> None:
    found = islands(_answer())
    assert len(found) == 1
    a, b = found[0]
    assert abs(a / SAMPLE_RATE - 2.3) < 0.03 and abs(b / SAMPLE_RATE - 2.7) < 0.03


def test_an_island_heard_as_a_hesitation_becomes_a_filler_word_with_its_time() -> None:
    engine = IslandEngine("Umm,")
    words = [Word("So", 0.0, 1.0), Word("I", 1.0, 2.0), Word("and", 2.7, 3.5)]
    fillers = find_fillers(_answer(), words, engine)
    assert [(f.text, f.filler) for f in fillers] == [("um", True)]
    assert fillers[0].start is not None and abs(fillers[0].start - 2.3) < 0.03
    # One decode for all candidates, greedy, with the disfluent prompt, no second look of its own.
    assert len(engine.options) == 1
    opts = engine.options[0]
    assert opts.beam_size == 1 and opts.initial_prompt and not opts.fillers
    merged = with_fillers(words, fillers)
    assert [w.text for w in merged] == ["So", "I", "um", "and"]


def test_an_island_heard_as_a_word_the_first_pass_also_heard_is_not_a_filler() -> None:
    words = [Word("So", 0.0, 2.0), Word("I", 2.2, 2.8), Word("went", 3.0, 4.5)]
    assert find_fillers(_answer(), words, IslandEngine("I.")) == []


def test_a_short_sound_the_first_pass_left_out_is_a_hesitation() -> None:
    # Whisper drops disfluencies, not words: heard alone ("Dum.") but absent from the answer.
    words = [Word("So", 0.0, 1.6), Word("went", 3.4, 4.5)]
    (filler,) = find_fillers(_answer(), words, IslandEngine("Dum."))
    assert filler.text == "um" and filler.filler
    # A longer word left out is not guessed at.
    assert find_fillers(_answer(), words, IslandEngine("Dashboard.")) == []


def test_a_hesitation_whisper_already_wrote_is_not_counted_twice() -> None:
    words = [Word("So", 0.0, 2.0), Word("uh,", 2.25, 2.75), Word("and", 3.0, 4.5)]
    assert find_fillers(_answer(), words, IslandEngine("Umm,")) == []


def test_fluent_audio_without_islands_costs_no_decode() -> None:
    engine = IslandEngine("Umm,")
    assert find_fillers(np.concatenate([_tone(3.0), _silence(0.5)]), [], engine) == []
    assert engine.options == []


def test_spellings() -> None:
    assert all(is_hesitation(t) for t in ("Um,", "uh.", "Hmm...", "Erm", "mm"))
    assert not any(is_hesitation(t) for t in ("I", "a", "umbrella", "hum"))


def test_filler_words_survive_the_store_round_trip() -> None:
    t = Transcript((Word("So", 0.0, 0.4), Word("um", 0.5, 0.9, filler=True)), 1.0)
    data = t.to_dict()
    assert data["words"] == [  # a word that is not a filler keeps its old shape
        {"text": "So", "start": 0.0, "end": 0.4, "probability": None},
        {"text": "um", "start": 0.5, "end": 0.9, "probability": None, "filler": True},
    ]
    assert Transcript.from_dict(data) == t
    assert t.text == "So um"


def test_the_filler_count_counts_inserted_fillers() -> None:
    from starcoach.coach.delivery import measure_delivery
    from starcoach.coach.document import Document

    words = (Word("I", 0.0, 0.3), Word("um", 0.4, 0.8, filler=True), Word("fixed", 0.9, 1.3))
    doc = Document(Transcript(words, 1.5))
    assert measure_delivery(doc).filler_count == 1


@pytest.mark.e2e
@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="needs espeak-ng")
def test_the_real_model_hears_a_spoken_um(tmp_path: Path) -> None:
    from starcoach.transcribe.audio_io import load_audio
    from starcoach.transcribe.whisper_engine import FasterWhisperEngine

    raw, wav = tmp_path / "raw.wav", tmp_path / "um.wav"
    text = "So I looked at the dashboard, um, and saw the error rate climbing."
    subprocess.run(["espeak-ng", "-v", "en-gb-scotland", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(wav)], check=True)
    transcript = FasterWhisperEngine().transcribe(load_audio(wav))
    fillers = [w for w in transcript.words if w.filler or is_hesitation(w.text)]
    assert len(fillers) == 1, transcript.text
    # Where it was said: after "looked", before "climbing" (tiny.en may hear "dashboard"
    # as "dashpot"; the words around the "um" are the ones it keeps).
    words = [w.text.strip(" ,.").lower() for w in transcript.words]
    looked = next(w for w, t in zip(transcript.words, words, strict=True) if t == "looked")
    climb = next(w for w, t in zip(transcript.words, words, strict=True) if t.startswith("climb"))
    um = fillers[0]
    assert um.start is not None and looked.end is not None and climb.start is not None
    assert looked.end <= um.start < climb.start, transcript.text
