"""Draft quality on held-out own stories: `python -m benchmarks.story_draft`.

The twelve own stories of tests/corpus_holdout{4,6,8}/stories were written by separate
authors who never saw the story builder. Each story's five strong examples, joined into
one paragraph without labels, are the "notes"; the author's split is which step each
sentence came from, and the author's key phrases are each step's key_phrases.

Figures (the issue's goals in brackets):
- sentences the draft puts in the author's step (>= 90 %)
- the author's key phrases covered by the draft's phrases of the same step, by meaning, as
  the coach hears it (>= 80 %)
- drafted phrases the author did not list for that step, by meaning (an upper bound of the
  ones the author would reject; <= 20 %)
"""

from __future__ import annotations

import sys
from pathlib import Path

from starcoach.coach.document import Document
from starcoach.coach.phrases import match_phrases
from starcoach.content import STEP_ORDER, load_file
from starcoach.content.draft import draft_from_notes, sentences_of
from starcoach.transcribe.types import Transcript

ROOT = Path(__file__).resolve().parent.parent
SETS = ("corpus_holdout4", "corpus_holdout6", "corpus_holdout8")


def _covered(phrases: list[str], said: list[str]) -> list[bool]:
    """Each of ``phrases`` heard, by meaning, in ``said`` (one phrase per sentence)."""
    if not phrases:
        return []
    if not said:
        return [False] * len(phrases)
    doc = Document(Transcript.from_text(". ".join(said) + "."))
    return [m.matched for m in match_phrases(list(phrases), doc)]


def main() -> int:
    files = sorted(p for s in SETS for p in (ROOT / "tests" / s / "stories").glob("*.yaml"))
    right = total = 0
    covered = author_total = 0
    unlisted = drafted_total = 0
    rows = []
    for path in files:
        story = load_file(path)
        truth: list[tuple[str, str]] = []
        for step in story.steps:
            for sentence in sentences_of(step.strong_example or ""):
                truth.append((sentence.text, step.name))
        notes = " ".join(text for text, _ in truth)
        draft = draft_from_notes(notes)
        placed = {text: name for name in STEP_ORDER for text in draft.steps[name]}
        story_right = sum(1 for text, name in truth if placed.get(text) == name)
        right += story_right
        total += len(truth)
        story_cov = story_auth = story_unl = story_dr = 0
        for step in story.steps:
            mine = draft.phrases[step.name]
            hits = _covered(list(step.key_phrases), mine)
            story_cov += sum(hits)
            story_auth += len(hits)
            back = _covered(mine, list(step.key_phrases))
            story_unl += sum(1 for hit in back if not hit)
            story_dr += len(back)
        covered += story_cov
        author_total += story_auth
        unlisted += story_unl
        drafted_total += story_dr
        rows.append(
            f"{story.id:<28} split {story_right}/{len(truth)}  "
            f"author phrases covered {story_cov}/{story_auth}  "
            f"drafted not listed {story_unl}/{story_dr}"
        )
    print("\n".join(rows))
    print(
        f"\n{len(files)} stories: sentences in the author's step {right}/{total} "
        f"({right / total:.0%}); author's phrases covered {covered}/{author_total} "
        f"({covered / author_total:.0%}); drafted phrases the author did not list "
        f"{unlisted}/{drafted_total} ({unlisted / drafted_total:.0%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
