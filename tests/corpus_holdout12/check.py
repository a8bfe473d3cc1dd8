#!/usr/bin/env python3
"""Check set12: reads only files in this folder (stories/*.yaml, texts.yaml)."""
import collections, glob, os, re, sys
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = ["situation", "task", "action", "result", "reflection"]
TARGETS = {"situation": 30, "task": 20, "action": 90, "result": 20, "reflection": 15}
KINDS = ["strong", "mixed", "weak"]
SCOPE_STORY = "own12-android-crash"      # the only story whose Task states a scope boundary
SHORT = {"own12-warehouse-roster": "wr", "own12-android-crash": "ac",
         "own12-pipeline-migration": "pm", "own12-mentoring-new-hire": "mn"}
MISTAKES = {   # every mistake id that can apply to a step (over-time/too-short left out)
    "situation": ["assigned-work", "opportunistic-motive"],
    "task": ["we-language", "handoff-escalation", "missing-scope-boundary",
             "assigned-work", "opportunistic-motive"],
    "action": ["we-language", "handoff-escalation", "passive-waiting", "assigned-work",
               "disengaged-after-decision", "no-personal-verification"],
    "result": ["vague-result"],
    "reflection": ["generic-reflection"],
}
STORY_KEYS = {"id", "title", "kind", "principles", "scenario", "steps"}
STEP_KEYS = {"name", "target_s", "strong_example", "key_phrases", "coaching"}
errors = []


class StrictLoader(yaml.SafeLoader):
    pass


def _no_dupes(loader, node, deep=False):
    seen = set()
    for k, _ in node.value:
        key = loader.construct_object(k, deep=deep)
        if key in seen:
            errors.append(f"duplicate key {key!r} (line {k.start_mark.line + 1})")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_dupes)


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=StrictLoader)


# ---- stories
stories = {}
for path in sorted(glob.glob(os.path.join(HERE, "stories", "*.yaml"))):
    d = load(path)
    sid = d.get("id")
    if os.path.basename(path) != f"{sid}.yaml":
        errors.append(f"{path}: file name does not match id {sid}")
    if not re.fullmatch(r"own12-[a-z0-9-]+", sid or ""):
        errors.append(f"{path}: bad id {sid}")
    if set(d) - STORY_KEYS:
        errors.append(f"{sid}: unknown keys {set(d) - STORY_KEYS}")
    if d.get("kind") != "story" or not isinstance(d.get("title"), str):
        errors.append(f"{sid}: kind must be story and title text")
    if not d.get("principles"):
        errors.append(f"{sid}: no principles")
    names = [s.get("name") for s in d.get("steps", [])]
    if names != STEPS:
        errors.append(f"{sid}: steps {names}")
    phrases = {}
    for s in d["steps"]:
        if set(s) - STEP_KEYS:
            errors.append(f"{sid}.{s['name']}: unknown keys {set(s) - STEP_KEYS}")
        if s.get("target_s") != TARGETS[s["name"]]:
            errors.append(f"{sid}.{s['name']}: target_s {s.get('target_s')}")
        kp = s.get("key_phrases") or []
        if not 2 <= len(kp) <= 5 or len(set(kp)) != len(kp):
            errors.append(f"{sid}.{s['name']}: {len(kp)} key phrases (want 2-5, distinct)")
        if not s.get("strong_example"):
            errors.append(f"{sid}.{s['name']}: no notes")
        phrases[s["name"]] = kp
    stories[sid] = phrases
    for w in ("webhook", "payment"):
        if w in open(path, encoding="utf-8").read().lower():
            errors.append(f"{sid}: mentions {w}")
if len(stories) != 4:
    errors.append(f"{len(stories)} stories, want 4")
if set(stories) != set(SHORT):
    errors.append(f"story ids {sorted(stories)} != {sorted(SHORT)}")
principles = {sid: tuple(load(os.path.join(HERE, 'stories', sid + '.yaml'))['principles'])
              for sid in stories}
if len({p[0] for p in principles.values()}) != 4:
    errors.append("stories should lead with four different principles")

# ---- texts
texts = load(os.path.join(HERE, "texts.yaml"))["texts"]
ids = set()
kind_step = collections.Counter()
per_story_step = collections.Counter()
phrase_counts = collections.Counter()
mistake_counts = collections.defaultdict(collections.Counter)
for t in texts:
    tid = t.get("id")
    if tid in ids:
        errors.append(f"duplicate id {tid}")
    ids.add(tid)
    q, step, kind = t.get("question"), t.get("step"), t.get("kind")
    if q not in stories:
        errors.append(f"{tid}: unknown question {q}")
        continue
    if step not in STEPS or kind not in KINDS:
        errors.append(f"{tid}: bad step/kind {step}/{kind}")
        continue
    if not re.fullmatch(rf"h12-{SHORT[q]}-{step}-\d+", tid):
        errors.append(f"{tid}: id does not follow h12-<short>-<step>-<n>")
    if set(t) != {"id", "question", "step", "kind", "text", "phrases", "mistakes", "notes"}:
        errors.append(f"{tid}: keys {sorted(t)}")
    if not isinstance(t.get("text"), str) or not t["text"].strip():
        errors.append(f"{tid}: empty text")
    want = stories[q][step]
    got = t.get("phrases") or {}
    for k in got:
        if k not in want:
            errors.append(f"{tid}: phrase {k!r} not a key phrase of {q}.{step}")
    for k in want:
        if k not in got:
            errors.append(f"{tid}: key phrase {k!r} not labelled")
    for k, v in got.items():
        if not isinstance(v, bool):
            errors.append(f"{tid}: phrase {k!r} label not bool")
        phrase_counts[v] += 1
    m = t.get("mistakes") or {}
    if sorted(m) != sorted(MISTAKES[step]):
        errors.append(f"{tid}: mistakes {sorted(m)} != {sorted(MISTAKES[step])}")
    for k, v in m.items():
        if not isinstance(v, bool):
            errors.append(f"{tid}: mistake {k} not bool")
        mistake_counts[k][v] += 1
    if q != SCOPE_STORY and m.get("missing-scope-boundary"):
        errors.append(f"{tid}: missing-scope-boundary true on a story without a scope boundary")
    kind_step[(kind, step)] += 1
    per_story_step[(q, step)] += 1

for q in stories:
    for s in STEPS:
        if per_story_step[(q, s)] == 0:
            errors.append(f"{q}: no text for step {s}")
    if max(STEPS, key=lambda s: per_story_step[(q, s)]) != "action":
        errors.append(f"{q}: action is not the most-covered step")

# ---- report
print(f"stories: {len(stories)}   texts: {len(texts)}")
print("%-8s" % "" + "".join("%12s" % s for s in STEPS) + "%8s" % "total")
for k in KINDS:
    print("%-8s" % k + "".join("%12d" % kind_step[(k, s)] for s in STEPS)
          + "%8d" % sum(kind_step[(k, s)] for s in STEPS))
print("%-8s" % "total" + "".join("%12d" % sum(kind_step[(k, s)] for k in KINDS) for s in STEPS)
      + "%8d" % len(texts))
print("per story:", {SHORT[q]: sum(per_story_step[(q, s)] for s in STEPS) for q in stories})
print(f"phrase labels: true {phrase_counts[True]}, false {phrase_counts[False]}")
for k in sorted(mistake_counts):
    print(f"  {k:28s} true {mistake_counts[k][True]:3d}  false {mistake_counts[k][False]:3d}")
if errors:
    print("\nERRORS:")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("\nOK")
