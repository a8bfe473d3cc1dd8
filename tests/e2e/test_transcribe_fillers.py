"""test_transcribe_fillers: the end-to-end half (the real model on a spoken "um"); the rest
is in tests/unit/transcribe/test_transcribe_fillers.py."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from starcoach.transcribe.fillers import is_hesitation


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
