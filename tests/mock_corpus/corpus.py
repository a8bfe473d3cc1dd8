"""The labelled full answers of answers.yaml, and their audio joined in memory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile as sf
import yaml

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
SR = 16_000
STEPS = ("situation", "task", "action", "result", "reflection")


@dataclass(frozen=True)
class MockAnswer:
    id: str
    question: str
    voice: str  # joe | espeak
    kinds: tuple[str, ...]  # per step: strong | weak | para | mixed
    clips: tuple[Path, ...]
    pauses_s: tuple[float, ...]
    starts_s: dict[str, float]  # the true section starts
    duration_s: float

    @property
    def boundaries(self) -> list[float]:
        """The four true boundaries: where task, action, result and reflection start."""
        return [self.starts_s[s] for s in STEPS[1:]]


def load_answers(path: Path = HERE / "answers.yaml") -> list[MockAnswer]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        MockAnswer(
            id=a["id"],
            question=a["question"],
            voice=a["voice"],
            kinds=tuple(a["kinds"]),
            clips=tuple(TESTS / c for c in a["clips"]),
            pauses_s=tuple(float(p) for p in a["pauses_s"]),
            starts_s={k: float(v) for k, v in a["starts_s"].items()},
            duration_s=float(a["duration_s"]),
        )
        for a in data["answers"]
    ]


def join_audio(answer: MockAnswer) -> npt.NDArray[np.float32]:
    """The clips in order with the recorded pauses of silence between them."""
    parts: list[npt.NDArray[np.float32]] = []
    for k, clip in enumerate(answer.clips):
        audio, rate = sf.read(str(clip), dtype="float32")
        if rate != SR or audio.ndim != 1:
            raise ValueError(f"{clip}: expected 16 kHz mono")
        if k:
            parts.append(np.zeros(round(answer.pauses_s[k - 1] * SR), dtype=np.float32))
        parts.append(audio)
    return np.concatenate(parts)
