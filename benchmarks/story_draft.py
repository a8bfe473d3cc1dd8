"""Draft quality on own stories: `python -m benchmarks.story_draft [--set NAME] [-v]`.

Each own story (``stories/*.yaml`` of a corpus set) was written by an author who never saw
the story builder. Its five strong examples, joined into one paragraph without labels, are
the "notes"; the author's split is which step each sentence came from, and the author's key
phrases are each step's key_phrases. A notes set (``tests/corpus_notes13``, see
``_notes_cases``) gives the notes as the author wrote them (prose, bullets, asides) with the
author's split and key phrases beside them.

Figures (the issue's goals in brackets):
- sentences the draft puts in the author's step (>= 90 %)
- the author's key phrases covered by the draft's phrases of the same step, by meaning, as
  the coach hears it (>= 80 %)
- drafted phrases the author did not list for that step, by meaning (an upper bound of the
  ones the author would reject; <= 20 %)

Sets: ``dev`` (the tuning set: holdout 4, 6, 8, 10 and dev3), ``heldout`` (notes13 and the
stories of holdout12, measured once), or any one folder name under tests/.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from starcoach.coach.document import Document
from starcoach.coach.phrases import match_phrases
from starcoach.content import STEP_ORDER, load_file
from starcoach.content.draft import draft_from_notes, sentences_of
from starcoach.transcribe.types import Transcript

ROOT = Path(__file__).resolve().parent.parent
GROUPS = {
    "dev": (
        "corpus_holdout4",
        "corpus_holdout6",
        "corpus_holdout8",
        "corpus_holdout10",
        "corpus_dev3",
    ),
    "heldout": ("corpus_notes13", "corpus_holdout12"),
}


@dataclass
class Case:
    """One story's notes with its author's split and key phrases."""

    name: str
    notes: str
    truth: list[tuple[str, str]]
    """(sentence, step) in the order of the notes, as ``sentences_of`` splits them."""
    phrases: dict[str, list[str]]


def _covered(phrases: list[str], said: list[str]) -> list[bool]:
    """Each of ``phrases`` heard, by meaning, in ``said`` (one phrase per sentence)."""
    if not phrases:
        return []
    if not said:
        return [False] * len(phrases)
    doc = Document(Transcript.from_text(". ".join(said) + "."))
    return [m.matched for m in match_phrases(list(phrases), doc)]


def _placed(sentence: str, steps: Mapping[str, list[str]]) -> str | None:
    """The draft's step for a sentence of the notes: the step of the draft sentence that
    holds it, or of the longest piece of it (a run-on sentence is cut into pieces)."""
    key = _norm(sentence)
    best: tuple[int, str | None] = (0, None)
    for name, texts in steps.items():
        for text in texts:
            other = _norm(text)
            if key and (key in other or other in key) and min(len(key), len(other)) > best[0]:
                best = (min(len(key), len(other)), name)
    return best[1]


def _story_cases(folder: Path) -> Iterator[Case]:
    for path in sorted((folder / "stories").glob("*.yaml")):
        story = load_file(path)
        truth: list[tuple[str, str]] = []
        for step in story.steps:
            for sentence in sentences_of(step.strong_example or ""):
                truth.append((sentence.text, step.name))
        yield Case(
            name=story.id,
            notes=" ".join(text for text, _ in truth),
            truth=truth,
            phrases={step.name: list(step.key_phrases) for step in story.steps},
        )


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _notes_cases(folder: Path) -> Iterator[Case]:
    """A notes set (``tests/corpus_notes13``): one YAML file per story holding ``notes`` (the
    raw paste: prose, bullets, asides), ``split`` (step -> every sentence or bullet of the
    notes, verbatim, in the author's step) and ``key_phrases`` (step -> the author's
    phrases). A sentence of the author's split is scored by the draft's step of the text that
    holds it (the draft may cut or join sentences differently)."""
    for path in sorted(folder.glob("*.yaml")):
        meta: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(meta, dict) or "notes" not in meta:
            continue
        split = meta.get("split") or {}
        truth = [(str(text), str(step)) for step, texts in split.items() for text in texts or []]
        # in the order of the notes, as the split of sentences_of keeps it
        notes = str(meta["notes"])
        truth.sort(key=lambda pair: notes.find(pair[0]))
        phrases = {
            str(k): [str(x) for x in (v or [])] for k, v in (meta.get("key_phrases") or {}).items()
        }
        yield Case(str(meta.get("id") or path.stem), notes, truth, phrases)


def cases(set_name: str) -> Iterator[Case]:
    for name in GROUPS.get(set_name, (set_name,)):
        folder = ROOT / "tests" / name
        if (folder / "stories").is_dir():
            yield from _story_cases(folder)
        else:
            yield from _notes_cases(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.story_draft")
    parser.add_argument("--set", default="dev", help="dev, heldout or a folder under tests/")
    parser.add_argument("-v", "--verbose", action="store_true", help="each step's phrases")
    args = parser.parse_args(argv)
    right = total = covered = author_total = unlisted = drafted_total = 0
    rows = []
    n = 0
    for case in cases(args.set):
        n += 1
        draft = draft_from_notes(case.notes)
        placed = {text: _placed(text, draft.steps) for text, _ in case.truth}
        story_right = sum(1 for text, name in case.truth if placed.get(text) == name)
        right += story_right
        total += len(case.truth)
        story_cov = story_auth = story_unl = story_dr = 0
        detail = []
        for name in STEP_ORDER:
            author = case.phrases.get(name, [])
            mine = draft.phrases[name]
            hits = _covered(author, mine)
            back = _covered(mine, author)
            story_cov += sum(hits)
            story_auth += len(hits)
            story_unl += sum(1 for hit in back if not hit)
            story_dr += len(back)
            if args.verbose:
                detail.append(f"  {name}:")
                detail += [
                    f"    {'+' if h else '-'} {p}" for p, h in zip(author, hits, strict=True)
                ]
                detail += [f"    {'=' if h else '?'} {p}" for p, h in zip(mine, back, strict=True)]
                wrong = [t for t, s in case.truth if s == name and placed.get(t) != name]
                detail += [f"    ! {t}  -> {placed.get(t)}" for t in wrong]
        covered += story_cov
        author_total += story_auth
        unlisted += story_unl
        drafted_total += story_dr
        rows.append(
            f"{case.name:<28} split {story_right}/{len(case.truth)}  "
            f"author phrases covered {story_cov}/{story_auth}  "
            f"drafted not listed {story_unl}/{story_dr}"
        )
        rows += detail
    print("\n".join(rows))
    print(
        f"\n{n} stories: sentences in the author's step {right}/{total} "
        f"({right / max(1, total):.0%}); author's phrases covered {covered}/{author_total} "
        f"({covered / max(1, author_total):.0%}); drafted phrases the author did not list "
        f"{unlisted}/{drafted_total} ({unlisted / max(1, drafted_total):.0%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
