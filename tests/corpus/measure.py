"""Measure the coach on one labelled spoken set, typed and spoken, as a held-out report.

    python -m tests.corpus.measure tests/corpus_holdout3
    python -m tests.corpus.measure tests/corpus_holdout4 --stories tests/corpus_holdout4/stories

Each clip goes through `starcoach analyze AUDIO --json` (the real model); each text through
`analyze --text`. A miss on a clip is put down to *recognition* when the same label is
right on the typed text (the coach judged the words it was given correctly; the recogniser
gave it other words), and to the *matcher* otherwise. Reported: all labels, the labels whose
words were heard (all labels less the recognition misses), false matches among the labels
that must not count, and a plain substring baseline on the same transcripts. Own stories
(`--stories`) are loaded as a user's content folder.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.corpus.evaluate import Clip, load_clips, load_text_items, substring_match

REPORT_DIR = Path(__file__).resolve().parents[2] / "bench-out"


def _analyze(argv: list[str]) -> dict[str, Any]:
    from starcoach.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["analyze", *argv, "--json"])
    if code != 0:
        raise RuntimeError(f"analyze {argv[0]}: {err.getvalue().strip()}")
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def _labels(clip: Clip) -> list[tuple[str, str, bool]]:
    return [("phrase", p, v) for p, v in clip.phrases.items()] + [
        ("mistake", m, v) for m, v in clip.mistakes.items()
    ]


def _judged(fb: dict[str, Any], kind: str, name: str) -> bool:
    if kind == "phrase":
        return any(p["phrase"] == name and p["matched"] for p in fb["key_phrases"])
    return any(m["id"] == name for m in fb["mistakes"])


def measure(folder: Path, progress: Callable[[str], None] = lambda _s: None) -> str:
    texts = {c.text_id: c for c in load_text_items(folder)}
    typed = {
        tid: _analyze(["--text", c.text, "--question", c.question, "--step", c.step])
        for tid, c in texts.items()
    }
    clips = load_clips(folder)
    spoken: dict[str, dict[str, Any]] = {}
    for n, clip in enumerate(clips, 1):
        progress(f"{n}/{len(clips)} {clip.path.name}")
        spoken[clip.path.name] = _analyze(
            [str(clip.path), "--question", clip.question, "--step", clip.step]
        )

    total = right = recognition = matcher = 0
    must_not = false_matches = base_total = base_right = 0
    misses: list[str] = []
    for clip in clips:
        fb, fb_typed = spoken[clip.path.name], typed[clip.text_id]
        for kind, name, label in _labels(clip):
            total += 1
            got = _judged(fb, kind, name)
            if got == label:
                right += 1
            else:
                cause = "recognition" if _judged(fb_typed, kind, name) == label else "matcher"
                recognition += cause == "recognition"
                matcher += cause == "matcher"
                misses.append(
                    f"[{cause}] {clip.path.name}: {kind} {name!r} labelled {label}; "
                    f"heard {fb['transcript']!r}"
                )
            if not label:
                must_not += 1
                false_matches += got
            if kind == "phrase":
                base_total += 1
                base_right += substring_match(name, fb["transcript"]) == label
    heard_total = total - recognition
    typed_total = typed_right = 0
    for tid, c in texts.items():
        for kind, name, label in _labels(c):
            typed_total += 1
            typed_right += _judged(typed[tid], kind, name) == label
    lines = [
        f"== {folder.name}: {len(clips)} clips, {len(texts)} texts, {total} labels",
        f"all labels (spoken):           {right}/{total} = {right / total:.1%}",
        f"labels whose words were heard: {right}/{heard_total} = {right / heard_total:.1%}",
        f"misses: matcher {matcher}, recognition {recognition}",
        f"false matches among must-not labels: {false_matches}/{must_not} = "
        f"{false_matches / max(1, must_not):.1%}",
        f"typed text, all labels:        {typed_right}/{typed_total} = "
        f"{typed_right / typed_total:.1%}",
        f"substring baseline, phrase labels (spoken): {base_right}/{base_total} = "
        f"{base_right / max(1, base_total):.1%}",
        "misses:",
        *[f"  - {m}" for m in misses],
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--stories", type=Path, help="own stories, loaded as user content")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as home:
        os.environ["STARCOACH_HOME"] = home
        if args.stories:
            shutil.copytree(args.stories, Path(home) / "content")
        text = measure(args.folder.resolve(), lambda s: print(s, file=sys.stderr, flush=True))
    REPORT_DIR.mkdir(exist_ok=True)
    (REPORT_DIR / f"{args.folder.name}-spoken.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
