"""The coach on typed answers of labelled sets, per set and per kind of error.

    python -m benchmarks.coach_typed tests/corpus_holdout3 tests/corpus_holdout4 ... [--misses]

Each set's ``stories/`` (own stories) is loaded as a user's content folder. Typed text has
no recognition noise, so every miss here is the matcher's. Prints, per set: all labels,
phrase labels (missed / falsely matched) and mistake labels (missed / false alarms).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from tests.corpus.evaluate import load_text_items


def _analyze(text: str, question: str, step: str) -> dict[str, Any]:
    from starcoach.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["analyze", "--text", text, "--question", question, "--step", step, "--json"])
    if code != 0:
        raise RuntimeError(f"analyze failed for {question}/{step}")
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def measure(folder: Path, show_misses: bool) -> tuple[int, int, list[str]]:
    home = Path(tempfile.mkdtemp(prefix="coach-typed-"))
    if (folder / "stories").is_dir():
        shutil.copytree(folder / "stories", home / "content")
    os.environ["STARCOACH_HOME"] = str(home)
    counts = dict.fromkeys(("p_fn", "p_fp", "p_n", "m_fn", "m_fp", "m_n"), 0)
    misses: list[str] = []
    try:
        for item in load_text_items(folder):
            fb = _analyze(item.text, item.question, item.step)
            got = {p["phrase"]: p["matched"] for p in fb["key_phrases"]}
            found = {m["id"] for m in fb["mistakes"]}
            for phrase, said in item.phrases.items():
                counts["p_n"] += 1
                if got.get(phrase) != said:
                    counts["p_fn" if said else "p_fp"] += 1
                    misses.append(f"{item.text_id}: phrase {phrase!r} labelled {said}")
            for mistake, present in item.mistakes.items():
                counts["m_n"] += 1
                if (mistake in found) != present:
                    counts["m_fn" if present else "m_fp"] += 1
                    misses.append(f"{item.text_id}: mistake {mistake} labelled {present}")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    total = counts["p_n"] + counts["m_n"]
    wrong = counts["p_fn"] + counts["p_fp"] + counts["m_fn"] + counts["m_fp"]
    print(
        f"{folder.name:24s} all {1 - wrong / total:6.1%} ({total - wrong}/{total})  "
        f"phrases: {counts['p_fn']} missed, {counts['p_fp']} false of {counts['p_n']}  "
        f"mistakes: {counts['m_fn']} missed, {counts['m_fp']} false of {counts['m_n']}"
    )
    if show_misses:
        for line in misses:
            print("   ", line)
    return total - wrong, total, misses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    right = total = 0
    for folder in args.folders:
        r, t, _ = measure(folder, args.misses)
        right, total = right + r, total + t
    print(f"{'overall':24s} all {right / total:6.1%} ({right}/{total})")


if __name__ == "__main__":
    main()
