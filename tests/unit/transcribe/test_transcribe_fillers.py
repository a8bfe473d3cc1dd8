"""Hesitations Whisper leaves out are found in the audio and put in the transcript."""

from __future__ import annotations

import numpy as np

from starcoach.transcribe.audio_io import SAMPLE_RATE, AudioArray
from starcoach.transcribe.engine import TranscriptionOptions
from starcoach.transcribe.fillers import (
    FillerSettings,
    find_fillers,
    is_hesitation,
    islands,
    sounds_like_hesitation,
    steady_syllables,
    with_fillers,
)
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


# The decode verdict alone (the tones below are steady voiced sounds to the acoustic one).
DECODE = FillerSettings(verdict="decode")


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
    fillers = find_fillers(_answer(), words, engine, DECODE)
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
    assert find_fillers(_answer(), words, IslandEngine("I."), DECODE) == []


def test_a_short_sound_the_first_pass_left_out_is_a_hesitation() -> None:
    # Whisper drops disfluencies, not words: heard alone ("Dum.") but absent from the answer.
    words = [Word("So", 0.0, 1.6), Word("went", 3.4, 4.5)]
    (filler,) = find_fillers(_answer(), words, IslandEngine("Dum."), DECODE)
    assert filler.text == "um" and filler.filler
    # A longer word left out is not guessed at.
    assert find_fillers(_answer(), words, IslandEngine("Dashboard."), DECODE) == []


def test_a_hesitation_whisper_already_wrote_is_not_counted_twice() -> None:
    words = [Word("So", 0.0, 2.0), Word("uh,", 2.25, 2.75), Word("and", 3.0, 4.5)]
    assert find_fillers(_answer(), words, IslandEngine("Umm,"), DECODE) == []


def test_fluent_audio_without_islands_costs_no_decode() -> None:
    engine = IslandEngine("Umm,")
    assert find_fillers(np.concatenate([_tone(3.0), _silence(0.5)]), [], engine, DECODE) == []
    assert engine.options == []


def _voice(seconds: float, f0_from: float = 120.0, f0_to: float | None = None) -> AudioArray:
    """A vowel-like sound: harmonics of a pitch that may glide (``f0_to``)."""
    n = int(seconds * SAMPLE_RATE)
    f0 = np.linspace(f0_from, f0_to or f0_from, n)
    phase = 2 * np.pi * np.cumsum(f0) / SAMPLE_RATE
    wave = sum(np.sin(k * phase) / k for k in range(1, 12))
    return (0.1 * wave).astype(np.float32)


def _noise(seconds: float) -> AudioArray:
    rng = np.random.default_rng(0)
    return (0.1 * rng.standard_normal(int(seconds * SAMPLE_RATE))).astype(np.float32)


def _judge(sound: AudioArray) -> bool:
    audio = np.concatenate([_silence(0.3), sound, _silence(0.3)])
    a = int(0.3 * SAMPLE_RATE)
    return sounds_like_hesitation(audio, a, a + sound.size)


def test_a_held_voiced_syllable_sounds_like_a_hesitation() -> None:
    assert _judge(_voice(0.35))
    assert _judge(_voice(0.35, 120.0, 105.0))  # a slowly falling "uhh" too
    (steady,) = steady_syllables(np.concatenate([_silence(0.3), _voice(0.35), _silence(0.3)]))
    assert abs(steady[0] / SAMPLE_RATE - 0.3) < 0.04 and abs(steady[1] / SAMPLE_RATE - 0.65) < 0.04


def test_words_do_not_sound_like_a_hesitation() -> None:
    assert not _judge(_noise(0.3))  # a fricative: unvoiced
    assert not _judge(np.concatenate([_noise(0.12), _voice(0.18)]))  # "so": mostly unvoiced
    assert not _judge(_voice(0.35, 90.0, 220.0))  # a pitch that moves: no steady stretch
    assert not _judge(_voice(0.8))  # longer than a hesitation


def test_the_acoustic_verdict_needs_no_decode() -> None:
    audio = np.concatenate([_noise(1.5), _silence(0.3), _voice(0.35), _silence(0.3), _noise(1.5)])
    words = [Word("So", 0.0, 1.5), Word("went", 2.45, 3.95)]
    (filler,) = find_fillers(audio, words, None, FillerSettings(verdict="acoustic"))
    assert filler.filler and filler.start is not None and abs(filler.start - 1.8) < 0.05
    assert (
        find_fillers(
            np.concatenate([_noise(1.5), _silence(0.3), _noise(0.35), _silence(0.3), _noise(1.5)]),
            words,
            None,
            FillerSettings(verdict="acoustic"),
        )
        == []
    )


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


def test_the_filler_count_counts_every_spelling_whisper_writes() -> None:
    from starcoach.coach.delivery import measure_delivery
    from starcoach.coach.document import Document
    from starcoach.transcribe.fillers import HESITATIONS

    for spelling in sorted(HESITATIONS):
        said = f"{spelling.capitalize()}, I fixed it"
        doc = Document(Transcript.from_text(said))
        assert measure_delivery(doc).filler_count == 1, said
