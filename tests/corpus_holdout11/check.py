#!/usr/bin/env python3
"""Check set11/texts.yaml against the brief's walkthrough files (reads nothing else).

Usage: python3 check.py   (from anywhere)
Exits non-zero on any problem; prints the counts used in README.md.
"""
import collections
import glob
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
BRIEF = os.path.join(HERE, "..", "brief")
TEXTS = os.path.join(HERE, "texts.yaml")

STEPS = ["situation", "task", "action", "result", "reflection"]
KINDS = ["strong", "mixed", "weak"]
MISTAKES_BY_STEP = {
    "situation": ["handoff-escalation", "assigned-work", "opportunistic-motive"],
    "task": ["we-language", "missing-scope-boundary", "assigned-work",
             "opportunistic-motive", "handoff-escalation"],
    "action": ["we-language", "handoff-escalation", "passive-waiting", "assigned-work",
               "opportunistic-motive", "disengaged-after-decision", "no-personal-verification"],
    "result": ["vague-result"],
    "reflection": ["generic-reflection"],
}
SCOPE_WORDS = ("not my team", "no ticket", "nobody", "outside my team")


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys (PyYAML silently keeps the last)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_content():
    content = {}
    for path in sorted(glob.glob(os.path.join(BRIEF, "*.yaml"))):
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        steps = {s["name"]: list(s.get("key_phrases") or []) for s in doc["steps"]}
        content[doc["id"]] = steps
    return content


def main():
    content = load_content()
    with open(TEXTS, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=StrictLoader)
    texts = data["texts"]
    errors = []
    ids = set()
    per_kind = collections.Counter()
    per_step = collections.Counter()
    per_question = collections.Counter()
    per_qstep = collections.Counter()
    phrase_counts = collections.Counter()
    mistake_counts = collections.defaultdict(collections.Counter)
    short = {}

    for i, t in enumerate(texts):
        tid = t.get("id", f"#{i}")
        where = f"{tid}:"
        for k in ("id", "question", "step", "kind", "text", "phrases", "mistakes", "notes"):
            if k not in t:
                errors.append(f"{where} missing field {k}")
        if tid in ids:
            errors.append(f"{where} duplicate id")
        ids.add(tid)
        m = re.fullmatch(r"h11-([a-z]+)-(situation|task|action|result|reflection)-(\d+)", tid)
        if not m:
            errors.append(f"{where} id does not match h11-<short>-<step>-<n>")
        q, step = t.get("question"), t.get("step")
        if q not in content:
            errors.append(f"{where} unknown question {q!r}")
            continue
        if step not in STEPS:
            errors.append(f"{where} bad step {step!r}")
            continue
        if m and m.group(2) != step:
            errors.append(f"{where} id step differs from step field")
        if m:
            prev = short.setdefault(m.group(1), q)
            if prev != q:
                errors.append(f"{where} short id {m.group(1)} used for two questions")
        if t.get("kind") not in KINDS:
            errors.append(f"{where} bad kind {t.get('kind')!r}")
        text = t.get("text")
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{where} empty text")

        # phrases: exactly the step's key phrases, boolean values
        want = content[q][step]
        got = t.get("phrases") or {}
        if not isinstance(got, dict):
            errors.append(f"{where} phrases is not a mapping")
            got = {}
        for key in got:
            if key not in want:
                errors.append(f"{where} phrase key not in {q}/{step}: {key!r}")
        for key in want:
            if key not in got:
                errors.append(f"{where} key phrase missing: {key!r}")
        for key, val in got.items():
            if not isinstance(val, bool):
                errors.append(f"{where} phrase {key!r} value is not true/false")
            else:
                phrase_counts[val] += 1

        # mistakes: exactly the step's mistake set, boolean values
        mis = t.get("mistakes") or {}
        if set(mis) != set(MISTAKES_BY_STEP[step]):
            errors.append(f"{where} mistakes {sorted(mis)} != {sorted(MISTAKES_BY_STEP[step])}")
        for key, val in mis.items():
            if not isinstance(val, bool):
                errors.append(f"{where} mistake {key} value is not true/false")
            else:
                mistake_counts[key][val] += 1
        if step == "task":
            task_phr = content[q]["task"]
            has_scope = any(w in p.lower() for p in task_phr for w in SCOPE_WORDS)
            if not has_scope and mis.get("missing-scope-boundary"):
                errors.append(f"{where} missing-scope-boundary true for a story without scope phrases")

        per_kind[t.get("kind")] += 1
        per_step[step] += 1
        per_question[q] += 1
        per_qstep[(q, step)] += 1

    # coverage: every question x step at least once
    for q in content:
        for s in STEPS:
            if per_qstep[(q, s)] == 0:
                errors.append(f"coverage: no text for {q}/{s}")

    print(f"texts: {len(texts)}")
    print("per kind:", dict(per_kind))
    print("per step:", {s: per_step[s] for s in STEPS})
    print("per question:", dict(per_question))
    print(f"phrase labels: true={phrase_counts[True]} false={phrase_counts[False]}")
    print("mistake labels (true/false):")
    for key in sorted(mistake_counts):
        print(f"  {key}: {mistake_counts[key][True]}/{mistake_counts[key][False]}")
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("\nOK")


if __name__ == "__main__":
    main()
