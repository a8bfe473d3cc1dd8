"""Scoring the coach against the labelled corpus (used by the tests and by `make bench`).

A label is one (clip, key phrase) -> said or not, or one (clip, mistake id) -> present or
not. Accuracy is the share of labels the coach gets right. The comparison baseline is a
plain case-insensitive substring search of each key phrase in the same transcript.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Clip:
    path: Path
    text_id: str
    voice: str
    variant: str
    duration_s: float
    question: str
    step: str
    kind: str
    text: str
    phrases: dict[str, bool]
    mistakes: dict[str, bool]


@dataclass
class Outcome:
    total: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        self.right += int(ok)
        if not ok:
            self.misses.append(what)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def load_texts(folder: Path = HERE) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((folder / "texts.yaml").read_text(encoding="utf-8"))
    return {t["id"]: t for t in data["texts"]}


def load_text_items(folder: Path = HERE) -> list[Clip]:
    """One item per labelled text (no audio): for judging the coach on typed answers."""
    return [
        Clip(
            path=Path(t["id"]),
            text_id=t["id"],
            voice="text",
            variant="typed",
            duration_s=0.0,
            question=t["question"],
            step=t["step"],
            kind=t["kind"],
            text=t["text"],
            phrases=dict(t.get("phrases") or {}),
            mistakes=dict(t.get("mistakes") or {}),
        )
        for t in load_texts(folder).values()
    ]


def load_clips(folder: Path = HERE) -> list[Clip]:
    texts = load_texts(folder)
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    clips = []
    for entry in manifest["clips"]:
        text = texts[entry["text_id"]]
        clips.append(
            Clip(
                path=folder / entry["clip"],
                text_id=entry["text_id"],
                voice=entry["voice"],
                variant=entry["variant"],
                duration_s=float(entry["duration_s"]),
                question=text["question"],
                step=text["step"],
                kind=text["kind"],
                text=text["text"],
                phrases=dict(text.get("phrases") or {}),
                mistakes=dict(text.get("mistakes") or {}),
            )
        )
    return clips


def substring_match(phrase: str, transcript: str) -> bool:
    return phrase.casefold().replace("’", "'") in transcript.casefold().replace("’", "'")


def score(
    clips: Iterable[Clip],
    feedback_of: Callable[[Clip], dict[str, Any]],
) -> tuple[Outcome, Outcome, Outcome, Outcome]:
    """(phrase labels, mistake labels, all labels, substring baseline on phrase labels)."""
    phrases, mistakes, both, baseline = Outcome(), Outcome(), Outcome(), Outcome()
    for clip in clips:
        fb = feedback_of(clip)
        got = {p["phrase"]: p["matched"] for p in fb["key_phrases"]}
        found = {m["id"] for m in fb["mistakes"]}
        name = f"{clip.path.name}" if clip.path.name else clip.text_id
        for phrase, said in clip.phrases.items():
            ok = got.get(phrase) == said
            what = f"{name}: phrase {phrase!r} labelled {said}, heard in: {fb['transcript']!r}"
            phrases.add(ok, what)
            both.add(ok, what)
            baseline.add(substring_match(phrase, fb["transcript"]) == said, what)
        for mistake, present in clip.mistakes.items():
            ok = (mistake in found) == present
            what = f"{name}: mistake {mistake} labelled {present}; transcript {fb['transcript']!r}"
            mistakes.add(ok, what)
            both.add(ok, what)
    return phrases, mistakes, both, baseline


def report(title: str, outcomes: tuple[Outcome, Outcome, Outcome, Outcome]) -> str:
    phrases, mistakes, both, baseline = outcomes
    lines = [
        f"== {title}",
        f"all labels:     {both.right}/{both.total} = {both.accuracy:.1%}",
        f"phrase labels:  {phrases.right}/{phrases.total} = {phrases.accuracy:.1%}",
        f"mistake labels: {mistakes.right}/{mistakes.total} = {mistakes.accuracy:.1%}",
        f"substring baseline on phrase labels: {baseline.right}/{baseline.total} = "
        f"{baseline.accuracy:.1%}",
        "misses:",
        *[f"  - {m}" for m in both.misses],
    ]
    return "\n".join(lines)


def dump(path: Path, feedback: dict[str, dict[str, Any]]) -> None:
    path.write_text(json.dumps(feedback, indent=1, ensure_ascii=False), encoding="utf-8")
