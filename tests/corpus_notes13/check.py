#!/usr/bin/env python3
"""Check the notes13 held-out story notes (python3 + PyYAML).

Usage: python3 check.py [DIR]   (default: the folder this file is in)

For every notes13-*.yaml:
  * keys are exactly id, notes, split, key_phrases, principles; id matches the file name;
  * notes are 120-300 words;
  * every sentence / bullet of `notes` appears exactly once in `split`, verbatim, and `split`
    holds nothing else.  Units: each non-empty line of notes; a leading bullet marker
    ("- ", "* ", "• ", "1. ", "1) ") is removed; the rest is split into sentences after
    ".", "!" or "?" followed by whitespace (so "0.4%", "2.5x", "WCAG 2.1" stay whole);
  * split and key_phrases each have the five steps, every step non-empty;
  * 2-5 key phrases per step, each 2-8 words (a token such as "8.7% → 3.1%" counts its
    arrow as a word);
  * principles are Amazon Leadership Principle names.
It also prints (as information, not an error) the key phrases that are not a verbatim,
case-insensitive substring of the notes.  Exit status 1 on any error.
"""
import os, re, sys, glob
import yaml

STEPS = ["situation", "task", "action", "result", "reflection"]
LPS = {"Customer Obsession", "Ownership", "Invent and Simplify", "Are Right, A Lot",
       "Learn and Be Curious", "Hire and Develop the Best", "Insist on the Highest Standards",
       "Think Big", "Bias for Action", "Frugality", "Earn Trust", "Dive Deep",
       "Have Backbone; Disagree and Commit", "Deliver Results",
       "Strive to be Earth's Best Employer", "Success and Scale Bring Broad Responsibility"}
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
SENT = re.compile(r"(?<=[.!?])\s+")


def units(notes):
    out = []
    for line in notes.splitlines():
        line = line.strip()
        if not line:
            continue
        line = BULLET.sub("", line, count=1)
        out += [u.strip() for u in SENT.split(line) if u.strip()]
    return out


def check(path):
    errs, info = [], []
    name = os.path.basename(path)
    with open(path, encoding="utf-8") as f:
        d = yaml.safe_load(f)
    if not isinstance(d, dict):
        return [f"{name}: not a mapping"], info, 0, 0
    keys = set(d)
    want = {"id", "notes", "split", "key_phrases", "principles"}
    if keys != want:
        errs.append(f"{name}: keys {sorted(keys)} != {sorted(want)}")
    if d.get("id") + ".yaml" != name:
        errs.append(f"{name}: id {d.get('id')!r} does not match file name")
    notes = d.get("notes") or ""
    nw = len(notes.split())
    if not 120 <= nw <= 300:
        errs.append(f"{name}: notes have {nw} words (want 120-300)")
    split = d.get("split") or {}
    kp = d.get("key_phrases") or {}
    for label, m in (("split", split), ("key_phrases", kp)):
        if list(m) != STEPS:
            errs.append(f"{name}: {label} steps {list(m)} != {STEPS}")
        for s in STEPS:
            if not m.get(s):
                errs.append(f"{name}: {label}.{s} is empty")
    # verbatim, exactly once
    want_u = units(notes)
    got = [x for s in STEPS for x in (split.get(s) or [])]
    for u in set(want_u) | set(got):
        a, b = want_u.count(u), got.count(u)
        if a != b:
            errs.append(f"{name}: unit appears {a}x in notes but {b}x in split: {u!r}")
    low = notes.lower()
    for s in STEPS:
        ph = kp.get(s) or []
        if not 2 <= len(ph) <= 5:
            errs.append(f"{name}: key_phrases.{s} has {len(ph)} phrases (want 2-5)")
        for p in ph:
            if not isinstance(p, str):
                errs.append(f"{name}: key_phrases.{s}: not text: {p!r}")
                continue
            w = len(p.split())
            if not 2 <= w <= 8:
                errs.append(f"{name}: key_phrases.{s}: {w} words: {p!r}")
            if p.lower() not in low:
                info.append(f"{name}: key_phrases.{s} not verbatim in notes: {p!r}")
    pr = d.get("principles") or []
    if not pr:
        errs.append(f"{name}: no principles")
    for p in pr:
        if p not in LPS:
            errs.append(f"{name}: unknown principle {p!r}")
    return errs, info, len(want_u), sum(len(kp.get(s) or []) for s in STEPS)


def main():
    here = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    files = sorted(glob.glob(os.path.join(here, "notes13-*.yaml")))
    all_errs, n_units, n_kp = [], 0, 0
    for p in files:
        r = check(p)
        errs, info = r[0], r[1]
        if len(r) > 2:
            n_units += r[2]; n_kp += r[3]
        all_errs += errs
        for i in info:
            print("info:", i)
    for e in all_errs:
        print("ERROR:", e)
    print(f"{len(files)} files, {n_units} sentences/bullets, {n_kp} key phrases, "
          f"{len(all_errs)} errors")
    sys.exit(1 if all_errs or not files else 0)


if __name__ == "__main__":
    main()
