"""Splitting one recorded answer into Situation, Task, Action, Result and Reflection.

In a mock interview the candidate answers in one take. Where they marked the section
changes with a key, those marks are kept exactly; the rest of the boundaries are proposed
from what each part says:

* the transcript is cut into clauses (at sentence ends, commas and pauses);
* every clause is scored against each step by a naive-Bayes-like model whose word weights
  come from the walkthrough's own texts for that step (strong example, key phrases,
  coaching, the level reflections) plus a small generic STAR vocabulary, so a word that
  only one step uses ("adopted", "learned") speaks loudly and a word every step uses
  ("webhook") says nothing;
* the cue words people use to open a section ("so my task was", "first I", "as a result",
  "looking back") add a bonus where a section starts on them;
* a dynamic programme finds the five sections, in order, each possibly short, that
  maximise the total score plus a weak prior on their relative lengths (the steps' target
  times, 30/20/90/20/15 s) and a preference for boundaries at sentence ends and pauses.

Qt-free and fast: a three-minute answer is split in a few milliseconds.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from starcoach.coach.text import FILLERS, FUNCTION_WORDS, PRONOUNS, tokenize_words
from starcoach.content.models import STEP_ORDER, Walkthrough
from starcoach.transcribe.types import Transcript, Word

# Typed answers have no clock: a word is taken to last this long (150 words a minute).
UNTIMED_WORD_S = 0.4

# Clause cutting.
PAUSE_BREAK_S = 0.3  # a silence this long between two words ends a clause
MIN_CLAUSE_WORDS = 3  # shorter clauses ("Honestly,") join the next one
MAX_CLAUSE_WORDS = 18  # longer runs without punctuation are cut at their longest pause

# The model. Tuned on typed answers built from tests/corpus (see tests/test_coach_split.py);
# the held-out answer sets and the spoken mock corpus were only measured.
SMOOTHING = 0.3  # add-alpha smoothing of each step's word counts
WORD_CLIP = 2.5  # no single word may weigh more than this for or against a step
GENERIC_WEIGHT = 0.5  # the generic STAR vocabulary, against 1.0 for the walkthrough's texts
COACHING_WEIGHT = 0.0  # coaching and common-mistake texts describe a step more loosely
PRIOR_WEIGHT = 6.0  # the length prior: penalty PRIOR_WEIGHT * ln(actual / expected)^2
PRIOR_SOFTENING_S = 2.0  # seconds added to both sides, so short sections are not crushed
CUE_BONUS = 2.0  # a section that opens on one of its cue phrases
MID_SENTENCE_COST = 4.0  # a boundary inside a sentence (at a comma or a pause)
PAUSE_BONUS = 1.5  # per second of silence at a boundary (up to PAUSE_BONUS_CAP_S)
PAUSE_BONUS_CAP_S = 1.5

_SENTENCE_END = re.compile(r"[.?!…]+[\"')\]]*$")
_CLAUSE_END = re.compile(r"[,;:—–-]+[\"')\]]*$")
_LEAD_INS = frozenset(
    "so and then well okay ok um uh now but also anyway honestly basically right".split()
)

_BEFORE_CUE = _LEAD_INS | frozenset("i think guess say d would mean yeah really probably".split())

# A small vocabulary of how people talk in each section, whatever the story. It gives a
# user's own story (whose walkthrough may have little text) a sensible split as well.
GENERIC_TEXTS: dict[str, str] = {
    "situation": (
        "the situation was while working as at the time back when in my previous role "
        "a year ago months ago context background our team service system customers noticed "
        "problem issue persistent happening caused impacting affected complaints "
        # how weak situations go: the architecture tour, the spare-time motive
        "architecture setup works stack microservices database queue cache gateway pipeline "
        "quiet light sprint spare free time bored between projects"
    ),
    "task": (
        "my task the task was my goal my job my responsibility i needed to i had to i set out "
        "i wanted to decide objective own ownership scope not my team belonged another team "
        "nobody asked no ticket take on figure out identify find propose "
        "manager asked me lead told me assigned volunteered plan"
    ),
    "action": (
        "first then next after that what i did i started i pulled analyzed traced reproduced "
        "wrote built added implemented tested submitted proposed presented met scheduled "
        "shared coordinated convinced explained worked reviewed debugged logs data fix pr "
        "merged deployed rollout monitored meeting one-on-one "
        "we together escalated pinged slack forwarded waited hoped review qa testing"
    ),
    "result": (
        "as a result the result the impact the outcome in the end ultimately resulted reduced "
        "increased improved dropped went from to zero percent dollars per week month saved "
        "recovered revenue adopted standard within weeks metric faster fewer since then "
        "better smoother stable happy pleased complaints stopped noticeably numbers"
    ),
    "reflection": (
        "what i learned i learned looking back in hindsight next time i would differently "
        "lesson takeaway realized realised root cause organizational systemic gap going "
        "forward insight taught me if i did it again "
        "communication communicate important teamwork listen open loop talk more earlier"
    ),
}

# Phrases that open a section. Each is a sequence of word alternatives ("a|b"), matched
# against the first words of a clause after lead-ins like "so" and "and".
CUES: dict[str, tuple[str, ...]] = {
    "situation": (
        "the situation",
        "while working",
        "while i was",
        "back when",
        "at the time",
        "in my previous|last role|job|team",
        "a few|couple months|years|weeks ago",
        "about a year|month ago",
    ),
    "task": (
        "my|the task",
        "my|the goal",
        "my|the job was",
        "my responsibility",
        "my objective",
        "i needed|had to",
        "what i needed|had to",
        "i set out",
        "what i set out",
        "i decided to",
        "i took ownership",
    ),
    "action": (
        "what i did",
        "first",
        "the first thing",
        "my first step",
        "i started|began by",
        "i started|began with",
        "to do that",
        "step one",
    ),
    "result": (
        "as a result",
        "the result|results|outcome|impact",
        "in the end",
        "ultimately",
        "overall",
        "this|that resulted",
        "after the fix|rollout|change|deployment|launch",
        "after it shipped|launched|went",
        "within two|a|three|few weeks|days|months",
        "since then",
        "because of this|that",
    ),
    "reflection": (
        "what i learned|took|realized|realised",
        "i learned|realized|realised",
        "looking back",
        "in hindsight",
        "next time",
        "the lesson|takeaway",
        "my lesson|takeaway",
        "the biggest lesson|takeaway|thing",
        "if i did|had it again",
        "if i were to",
        "what stuck with me",
        "reflecting",
        "going forward",
        "on reflection",
        "i would do|have",
        "the real root cause",
    ),
}


@dataclass(frozen=True)
class Section:
    """One step's part of the answer: ``words[first_word:end_word]`` of the transcript."""

    step: str
    start_s: float
    end_s: float
    first_word: int
    end_word: int  # exclusive
    marked: bool  # the section's start was marked by the user (kept exactly)

    @property
    def duration_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)

    @property
    def word_count(self) -> int:
        return self.end_word - self.first_word

    def to_json(self) -> dict[str, object]:
        return {
            "step": self.step,
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "first_word": self.first_word,
            "end_word": self.end_word,
            "marked": self.marked,
        }


@dataclass(frozen=True)
class Split:
    transcript: Transcript
    sections: tuple[Section, ...]  # always five, in STEP_ORDER
    preamble_words: int = 0  # words before a Situation mark that belong to no section

    def section(self, step: str) -> Section:
        for section in self.sections:
            if section.step == step:
                return section
        raise KeyError(step)

    @property
    def boundaries(self) -> dict[str, float]:
        """Where each section starts (seconds): what a timeline draws and the user drags."""
        return {s.step: s.start_s for s in self.sections}

    def marks(self) -> dict[str, float]:
        """The starts the user marked, to pass back to ``propose_split`` with a change."""
        return {s.step: s.start_s for s in self.sections if s.marked}

    def text(self, step: str) -> str:
        section = self.section(step)
        words = self.transcript.words[section.first_word : section.end_word]
        return " ".join(w.text.strip() for w in words if w.text.strip())

    def transcripts(self) -> dict[str, Transcript]:
        """Each section as its own transcript. Word times are kept (seconds from the start
        of the recording) so feedback quotes real times; ``duration_s`` is the section's
        length. A typed answer gives untimed transcripts, as typed text always is."""
        timed = self.transcript.timed and self.transcript.duration_s > 0
        out: dict[str, Transcript] = {}
        for section in self.sections:
            words = self.transcript.words[section.first_word : section.end_word]
            if timed:
                out[section.step] = Transcript(
                    words=words,
                    duration_s=round(section.duration_s, 3),
                    language=self.transcript.language,
                )
            else:
                out[section.step] = Transcript(
                    words=tuple(Word(w.text) for w in words),
                    duration_s=0.0,
                    language=self.transcript.language,
                )
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "sections": [s.to_json() for s in self.sections],
            "preamble_words": self.preamble_words,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object], transcript: Transcript) -> Split:
        raw = data.get("sections")
        if not isinstance(raw, list):
            raise ValueError("a split needs a list of sections")
        sections = []
        for item in raw:
            if not isinstance(item, Mapping):
                raise ValueError("a section must be an object")
            sections.append(
                Section(
                    step=str(item["step"]),
                    start_s=_as_float(item["start_s"]),
                    end_s=_as_float(item["end_s"]),
                    first_word=_as_int(item["first_word"]),
                    end_word=_as_int(item["end_word"]),
                    marked=bool(item.get("marked", False)),
                )
            )
        if [s.step for s in sections] != list(STEP_ORDER):
            raise ValueError("a split has the five steps in order")
        preamble = data.get("preamble_words", 0)
        return cls(transcript, tuple(sections), _as_int(preamble))


def _as_float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


def _as_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not a whole number: {value!r}")
    return value


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class StepModel:
    """Per step, the log-weight of each word: how much more this step uses it than the
    average step does."""

    weights: dict[str, tuple[float, ...]]  # feature -> one weight per step in STEP_ORDER
    # first word of a cue -> (step index, the whole cue) for every cue starting with it
    cues: dict[str, tuple[tuple[int, tuple[frozenset[str], ...]], ...]]

    def clause_scores(self, features: Iterable[str]) -> list[float]:
        totals = [0.0] * len(STEP_ORDER)
        for feature in features:
            row = self.weights.get(feature)
            if row is None:
                continue
            for k, value in enumerate(row):
                totals[k] += value
        return totals


KEEP_FUNCTION_WORDS = False
KEEP_PRONOUNS = False


@dataclass(frozen=True)
class _Tok:
    """A coach token (text.py) with the feature the split weighs."""

    norm: str
    lemmas: frozenset[str]
    feature: str | None
    word: int  # index of the source word


def _feature(norm: str, lemmas: frozenset[str]) -> str | None:
    if not norm.isalpha():  # numbers, said in words or digits, are canonical here
        return "<num>"
    if norm in FILLERS:
        return None
    if norm in PRONOUNS:
        return norm if KEEP_PRONOUNS else None
    if norm in FUNCTION_WORDS:
        return norm if KEEP_FUNCTION_WORDS else None
    if len(norm) < 2:
        return None
    # The shortest lemma (then alphabetical) names the word: "pulled" -> "pull".
    return min(lemmas | {norm}, key=lambda w: (len(w), w))


def _tokens(words: Sequence[Word] | Sequence[str]) -> list[_Tok]:
    """The coach's one tokenizer (text.tokenize_words), with each token's feature."""
    return [
        _Tok(t.norm, t.lemmas, _feature(t.norm, t.lemmas), t.first) for t in tokenize_words(words)
    ]


def _features_of_text(text: str) -> list[str]:
    return [t.feature for t in _tokens(text.split()) if t.feature is not None]


def _step_texts(walkthrough: Walkthrough) -> dict[str, list[tuple[str, float]]]:
    texts: dict[str, list[tuple[str, float]]] = {name: [] for name in STEP_ORDER}
    for step in walkthrough.steps:
        bucket = texts[step.name]
        if step.strong_example:
            bucket.append((step.strong_example, 1.0))
        for phrase in step.key_phrases:
            bucket.append((phrase, 1.0))
        if step.coaching:
            bucket.append((step.coaching, COACHING_WEIGHT))
        if step.common_mistake:
            bucket.append((step.common_mistake, COACHING_WEIGHT))
    for reflection in (walkthrough.reflections.sde2, walkthrough.reflections.senior):
        if reflection:
            texts["reflection"].append((reflection, 1.0))
    for guidance in walkthrough.levels:
        if guidance.reflection:
            texts["reflection"].append((guidance.reflection, 0.5))
    for name, generic in GENERIC_TEXTS.items():
        texts[name].append((generic, GENERIC_WEIGHT))
    return texts


def build_model(walkthrough: Walkthrough) -> StepModel:
    counts: list[dict[str, float]] = [{} for _ in STEP_ORDER]
    for k, name in enumerate(STEP_ORDER):
        for text, weight in _step_texts(walkthrough)[name]:
            for feature in _features_of_text(text):
                counts[k][feature] = counts[k].get(feature, 0.0) + weight
    vocabulary = sorted(set().union(*counts))
    size = max(1, len(vocabulary))
    totals = [sum(c.values()) for c in counts]
    weights: dict[str, tuple[float, ...]] = {}
    for feature in vocabulary:
        probs = [
            (counts[k].get(feature, 0.0) + SMOOTHING) / (totals[k] + SMOOTHING * size)
            for k in range(len(STEP_ORDER))
        ]
        mean = sum(probs) / len(probs)
        weights[feature] = tuple(max(-WORD_CLIP, min(WORD_CLIP, math.log(p / mean))) for p in probs)
    by_first: dict[str, list[tuple[int, tuple[frozenset[str], ...]]]] = {}
    for k, name in enumerate(STEP_ORDER):
        for cue in CUES[name]:
            pattern = _compile_cue(cue)
            for word in pattern[0]:
                by_first.setdefault(word, []).append((k, pattern))
    return StepModel(weights, {w: tuple(v) for w, v in by_first.items()})


def _compile_cue(cue: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(part.split("|")) for part in cue.split())


_MODELS: dict[int, tuple[Walkthrough, StepModel]] = {}


def model_for(walkthrough: Walkthrough) -> StepModel:
    """The model of a walkthrough, built once (walkthroughs are frozen)."""
    key = id(walkthrough)
    cached = _MODELS.get(key)
    if cached is not None and cached[0] is walkthrough:
        return cached[1]
    model = build_model(walkthrough)
    if len(_MODELS) > 64:
        _MODELS.clear()
    _MODELS[key] = (walkthrough, model)
    return model


# --------------------------------------------------------------------------- clauses


@dataclass
class _Clause:
    first_word: int
    end_word: int  # exclusive
    sentence_end: bool  # the clause ends a sentence
    scores: list[float]
    cues: list[bool]


def _word_times(words: Sequence[Word]) -> tuple[list[float], list[float]]:
    """Start and end of every word; untimed words get an even clock, gaps interpolated."""
    n = len(words)
    starts: list[float] = []
    ends: list[float] = []
    if not any(w.start is not None for w in words):
        return (
            [i * UNTIMED_WORD_S for i in range(n)],
            [(i + 1) * UNTIMED_WORD_S for i in range(n)],
        )
    last = 0.0
    for w in words:
        start = w.start if w.start is not None else last
        end = w.end if w.end is not None else start
        start = max(start, last if not starts else starts[-1])
        end = max(end, start)
        starts.append(start)
        ends.append(end)
        last = end
    return starts, ends


def _cut_points(
    words: Sequence[Word], starts: list[float], ends: list[float], forced: set[int]
) -> list[tuple[int, bool]]:
    """Word indices where a clause ends (exclusive) and whether it ends a sentence."""
    n = len(words)
    cuts: list[tuple[int, bool]] = []
    for i in range(n):
        text = words[i].text.strip()
        end_here = i + 1
        if end_here == n:
            cuts.append((n, True))
            break
        sentence = bool(_SENTENCE_END.search(text)) and not re.fullmatch(r"\d+\.", text)
        gap = starts[i + 1] - ends[i]
        if sentence or _CLAUSE_END.search(text) or gap >= PAUSE_BREAK_S or end_here in forced:
            cuts.append((end_here, sentence))
    # Join short clauses to the next one (never across a sentence end or a forced cut).
    joined: list[tuple[int, bool]] = []
    begin = 0
    for end, sentence in cuts:
        if end - begin < MIN_CLAUSE_WORDS and not sentence and end not in forced and end < n:
            continue
        joined.append((end, sentence))
        begin = end
    # Cut long runs at their longest pause.
    out: list[tuple[int, bool]] = []
    begin = 0
    for end, sentence in joined:
        out.extend(_cut_long(begin, end, starts, ends))
        out.append((end, sentence))
        begin = end
    return out


def _cut_long(
    begin: int, end: int, starts: list[float], ends: list[float]
) -> list[tuple[int, bool]]:
    if end - begin <= MAX_CLAUSE_WORDS:
        return []
    lo, hi = begin + MIN_CLAUSE_WORDS, end - MIN_CLAUSE_WORDS
    if hi <= lo:
        return []
    cut = max(
        range(lo, hi + 1), key=lambda k: (starts[k] - ends[k - 1], -abs(k - (begin + end) / 2))
    )
    return [*_cut_long(begin, cut, starts, ends), (cut, False), *_cut_long(cut, end, starts, ends)]


def _cues(tokens: Sequence[_Tok], model: StepModel) -> list[bool]:
    """Which steps' cue phrases open this clause (after lead-ins such as "so", "I think")."""
    found = [False] * len(STEP_ORDER)
    k = 0
    while k < len(tokens) and k < 3 and tokens[k].norm in _LEAD_INS:
        k += 1
    head = tokens[k : k + 8]
    for offset in range(min(4, len(head))):
        if offset and head[offset - 1].norm not in _BEFORE_CUE:
            break  # a cue opens a clause: only lead-ins may come before it
        token = head[offset]
        candidates = [c for form in (token.norm, *token.lemmas) for c in model.cues.get(form, ())]
        for step, pattern in candidates:
            if not found[step] and _matches_at(head, offset, pattern):
                found[step] = True
    return found


def _matches_at(tokens: Sequence[_Tok], at: int, pattern: tuple[frozenset[str], ...]) -> bool:
    if at + len(pattern) > len(tokens):
        return False
    for token, wanted in zip(tokens[at : at + len(pattern)], pattern, strict=False):
        if token.norm not in wanted and not (token.lemmas & wanted):
            return False
    return True


# --------------------------------------------------------------------------- the split


def propose_split(
    transcript: Transcript,
    walkthrough: Walkthrough,
    marks: Mapping[str, float] | None = None,
) -> Split:
    """Five sections covering ``transcript``, their starts at ``marks`` where given.

    ``marks`` maps a step to the time (seconds from the start of the recording) the user
    marked its start. Marks are honoured exactly: the section starts at the mark and holds
    the words that start at or after it. Marks must be in step order; a Situation mark
    later than 0 leaves the words before it out of every section (a preamble).
    """
    marks = dict(marks or {})
    for step in marks:
        if step not in STEP_ORDER:
            raise ValueError(f"unknown step in marks: {step!r}")
    marked_order = [marks[s] for s in STEP_ORDER if s in marks]
    if any(b < a for a, b in itertools.pairwise(marked_order)):
        raise ValueError("marks must be in step order (situation, task, action, ...)")

    words = transcript.words
    n = len(words)
    starts, ends = _word_times(words)
    timed = transcript.timed
    if transcript.duration_s > 0 and (timed or n == 0):
        end_of_audio = transcript.duration_s
    else:
        end_of_audio = ends[-1] if ends else 0.0

    # Where each mark falls: the first word whose middle is at or after it.
    mark_word: dict[str, int] = {}
    for step, t in marks.items():
        mark_word[step] = next((i for i in range(n) if (starts[i] + ends[i]) / 2 >= t), n)
    forced = {i for i in mark_word.values() if 0 < i < n}

    if n == 0:
        return _empty_split(transcript, marks, end_of_audio)

    model = model_for(walkthrough)
    tokens = _tokens(words)
    token_words = [t.word for t in tokens]
    cut_points = _cut_points(words, starts, ends, forced)
    clauses: list[_Clause] = []
    begin = 0
    t_index = 0
    for end, sentence in cut_points:
        clause_tokens: list[_Tok] = []
        while t_index < len(tokens) and token_words[t_index] < end:
            if token_words[t_index] >= begin:
                clause_tokens.append(tokens[t_index])
            t_index += 1
        features = [t.feature for t in clause_tokens if t.feature is not None]
        clauses.append(
            _Clause(
                first_word=begin,
                end_word=end,
                sentence_end=sentence,
                scores=model.clause_scores(features),
                cues=_cues(clause_tokens, model),
            )
        )
        begin = end

    positions = [c.first_word for c in clauses] + [n]  # boundary position -> word index
    m = len(clauses)
    position_of_word = {w: p for p, w in enumerate(positions)}
    fixed: dict[int, int] = {}  # step index -> boundary position
    for step, word in mark_word.items():
        fixed[STEP_ORDER.index(step)] = position_of_word[word]

    boundary_time = [0.0] * (m + 1)
    boundary_bonus = [0.0] * (m + 1)
    for p in range(m + 1):
        if p == 0:
            boundary_time[p] = starts[0]
        elif p == m:
            boundary_time[p] = ends[-1]
        else:
            w = positions[p]
            gap = max(0.0, starts[w] - ends[w - 1])
            boundary_time[p] = (ends[w - 1] + starts[w]) / 2 if gap > 0 else starts[w]
            bonus = PAUSE_BONUS * min(gap, PAUSE_BONUS_CAP_S) if timed else 0.0
            if not clauses[p - 1].sentence_end:
                bonus -= MID_SENTENCE_COST
            boundary_bonus[p] = bonus

    bounds = _solve(clauses, boundary_time, boundary_bonus, fixed, walkthrough)

    sections: list[Section] = []
    start_position = bounds[0]
    preamble = positions[start_position] if 0 in fixed else 0
    for k, step in enumerate(STEP_ORDER):
        first = positions[bounds[k]]
        last = positions[bounds[k + 1]]
        if step in marks:
            start_s = float(marks[step])
        elif k == 0:
            start_s = 0.0
        else:
            start_s = round(boundary_time[bounds[k]] if first < n else end_of_audio, 3)
        sections.append(Section(step, start_s, start_s, first, last, step in marks))
    # Each section ends where the next starts; the last at the end of the recording.
    finished = []
    for k, section in enumerate(sections):
        end_s = sections[k + 1].start_s if k + 1 < len(sections) else end_of_audio
        finished.append(
            Section(
                section.step,
                section.start_s,
                max(end_s, section.start_s),
                section.first_word,
                section.end_word,
                section.marked,
            )
        )
    return Split(transcript, tuple(finished), preamble)


def _empty_split(transcript: Transcript, marks: Mapping[str, float], end: float) -> Split:
    sections = []
    starts: list[float] = []
    for k, step in enumerate(STEP_ORDER):
        starts.append(float(marks.get(step, starts[-1] if k else 0.0)))
    for k, step in enumerate(STEP_ORDER):
        stop = starts[k + 1] if k + 1 < len(starts) else max(end, starts[k])
        sections.append(Section(step, starts[k], stop, 0, 0, step in marks))
    return Split(transcript, tuple(sections), 0)


def _solve(
    clauses: Sequence[_Clause],
    boundary_time: Sequence[float],
    boundary_bonus: Sequence[float],
    fixed: Mapping[int, int],
    walkthrough: Walkthrough,
) -> list[int]:
    """Boundary positions b0 <= b1 <= ... <= b5 (b5 = number of clauses) maximising the
    total score. b_k is where step k starts; fixed ones come from the marks."""
    m = len(clauses)
    steps = len(STEP_ORDER)
    targets = [walkthrough.step(s).target_s for s in STEP_ORDER]
    target_total = sum(targets)
    first = fixed.get(0, 0)
    times = np.asarray(boundary_time, dtype=np.float64)
    total = max(1e-6, float(times[m] - times[first]))
    expected = [total * t / target_total for t in targets]

    scores = np.array([c.scores for c in clauses], dtype=np.float64).reshape(m, steps)
    prefix = np.vstack([np.zeros((1, steps)), np.cumsum(scores, axis=0)])  # (m+1, steps)
    cues = np.array([c.cues for c in clauses] + [[False] * steps], dtype=bool)  # (m+1, steps)

    neg = -np.inf
    # best[k][j]: the best score with steps 0..k-1 placed and step k starting at j.
    best = np.full((steps + 1, m + 1), neg)
    back = np.zeros((steps + 1, m + 1), dtype=np.int64)
    best[0, first] = 0.0
    for k in range(1, steps + 1):
        step = k - 1  # the step that runs from i to j
        allowed = [m] if k == steps else ([fixed[k]] if k in fixed else range(first, m + 1))
        previous = best[k - 1]
        for j in allowed:
            i = np.arange(first, j + 1)
            duration = times[j] - times[i]
            ratio = (duration + PRIOR_SOFTENING_S) / (expected[step] + PRIOR_SOFTENING_S)
            value = (
                previous[first : j + 1]
                + prefix[j, step]
                - prefix[first : j + 1, step]
                - PRIOR_WEIGHT * np.log(ratio) ** 2
            )
            if step > 0:
                # A section that opens on one of its cue phrases (an empty one opens nothing).
                value = value + CUE_BONUS * (cues[first : j + 1, step] & (i < j))
            arg = int(np.argmax(value))
            top = float(value[arg])
            if top == neg:
                continue
            if k < steps:
                top += boundary_bonus[j]
            best[k, j] = top
            back[k, j] = first + arg
    bounds = [m]
    j = m
    for k in range(steps, 0, -1):
        j = int(back[k, j])
        bounds.append(j)
    bounds.reverse()
    return bounds
