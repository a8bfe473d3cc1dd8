"""Live transcription degrades by decoding more cheaply, never by a growing backlog."""

from __future__ import annotations

import numpy as np

from starcoach.transcribe.audio_io import AudioArray, load_audio
from starcoach.transcribe.engine import TranscriptionOptions
from starcoach.transcribe.streaming import StreamingTranscriber, StreamSettings
from starcoach.transcribe.types import Transcript
from tests.support.fakes import ScriptedEngine
from tests.support.paths import TESTS

CLIP = TESTS / "corpus" / "clips" / "cdc-action-mixed__joe_clean.flac"


class BeamEngine(ScriptedEngine):
    def __init__(self) -> None:
        super().__init__("I fixed it")
        self.beams: list[int] = []

    def transcribe(
        self, audio: AudioArray, options: TranscriptionOptions | None = None, progress=None
    ) -> Transcript:  # type: ignore[no-untyped-def]
        assert options is not None
        if options.initial_prompt is None:  # not the second look for fillers
            self.beams.append(options.beam_size)
        return super().transcribe(audio, options)


def _speech() -> AudioArray:
    audio = load_audio(CLIP)
    return np.concatenate([audio, audio])[: 40 * 16000]


def _feed_all(streamer: StreamingTranscriber, audio: AudioArray) -> None:
    for i in range(0, audio.size, 1600):
        streamer.feed(audio[i : i + 1600])


def test_a_worker_behind_the_voice_catches_up_greedily() -> None:
    engine = BeamEngine()
    streamer = StreamingTranscriber(engine)
    _feed_all(streamer, _speech())  # all of it waiting: as if the CPU had been busy
    transcript = streamer.finish()
    assert transcript.words
    assert len(streamer.chunks) >= 3
    # Every chunk with audio waiting behind it is greedy; the last one (a short tail at
    # Stop, nothing behind it) may keep the full beam.
    assert set(engine.beams[:-1]) == {1}
    assert streamer.greedy_chunks >= len(streamer.chunks) - 1


def test_a_worker_that_kept_up_decodes_with_the_full_beam() -> None:
    engine = BeamEngine()
    settings = StreamSettings(behind_s=float("inf"), final_greedy_s=float("inf"))
    streamer = StreamingTranscriber(engine, settings=settings)
    _feed_all(streamer, _speech())
    streamer.finish()
    assert set(engine.beams) == {5}
    assert streamer.greedy_chunks == 0


def test_chunks_cover_the_audio_once() -> None:
    streamer = StreamingTranscriber(BeamEngine())
    audio = _speech()
    _feed_all(streamer, audio)
    transcript = streamer.finish()
    assert transcript.duration_s == audio.size / 16000
    ends = [end for _, end in streamer.chunks]
    starts = [start for start, _ in streamer.chunks]
    assert all(a <= b + 1e-6 for a, b in zip(ends, starts[1:], strict=False))


def test_fillers_are_looked_for_off_the_chunk_path_and_kept_with_their_times() -> None:
    from tests.unit.transcribe.test_transcribe_fillers import IslandEngine, _answer

    class Engine(IslandEngine):
        def transcribe(self, audio, options=None, progress=None):  # type: ignore[no-untyped-def]
            if options is not None and options.initial_prompt is None:
                return Transcript((), audio.size / 16000)  # the first pass hears no "um"
            return super().transcribe(audio, options)

    audio = np.concatenate([np.zeros(16000, np.float32), _answer()])
    streamer = StreamingTranscriber(Engine("Umm,"))
    _feed_all(streamer, audio)
    transcript = streamer.finish()
    (filler,) = [w for w in transcript.words if w.filler]
    assert filler.text == "um" and filler.start is not None and filler.end is not None
    # Its time in the whole recording: the "um" is at 3.3-3.7 s (the VAD hears no speech in
    # tones and may drop the start of it).
    assert 3.25 <= filler.start < filler.end <= 3.75


def test_a_filler_no_decode_writes_is_found_by_ear_in_live_transcription() -> None:
    from tests.unit.transcribe.test_transcribe_fillers import _answer

    class Deaf(ScriptedEngine):
        """Hears no words at all, with or without the disfluent prompt."""

        def transcribe(self, audio, options=None, progress=None):  # type: ignore[no-untyped-def]
            return Transcript((), audio.size / 16000)

    audio = np.concatenate([np.zeros(16000, np.float32), _answer()])
    streamer = StreamingTranscriber(Deaf(""))
    _feed_all(streamer, audio)
    (filler,) = [w for w in streamer.finish().words if w.filler]
    # The 0.4 s held tone between 2 s of sound either side, at 3.3-3.7 s of the recording.
    assert filler.start is not None and filler.end is not None
    assert 3.25 <= filler.start < filler.end <= 3.75
