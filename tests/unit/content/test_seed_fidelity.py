"""The bundled YAML files against the seed walkthroughs they were made from.

Key phrases must be exactly the seed's quoted strings under each step's strong example (none
missing, none invented); every piece of seed text must be somewhere in the file, and every text
in the file must come from the seed, except what is marked authored (quiz options) and the
fixed ids/titles/principle names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from starcoach.content import STEP_ORDER, Walkthrough, load_file
from tests.support.paths import REPO

CONTENT = REPO / "content"
SEEDS = REPO.parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"seed walkthroughs not found at {SEEDS} (only in the workspace)"
)

SEED_IDS = {
    "001_5c37fc9d2e2cc9f4.txt": "disagree-senior-leader",
    "002_0f19c1d7118f2ebe.txt": "unpopular-opinion",
    "003_6eaf593c5be8e81f.txt": "commitment-difficult-circumstances",
    "000_e5e4bf5b87407d32.txt": "have-backbone-disagree-commit",
    "004_6e38b8bde2a67867.txt": "earths-best-employer",
}
TITLES = {
    "disagree-senior-leader": (
        "Tell Me About a Time You Had to Disagree With a Senior Leader Respectfully"
    ),
    "unpopular-opinion": "Tell Me About a Time You Raised an Unpopular Opinion and Stood by It",
    "commitment-difficult-circumstances": (
        "Tell Me About a Time You Kept a Commitment Under Very Difficult Circumstances"
    ),
    "have-backbone-disagree-commit": (
        "Have Backbone; Disagree and Commit — what it means and what interviewers listen for"
    ),
    "earths-best-employer": (
        "Strive to Be Earth's Best Employer — what it means and what interviewers listen for"
    ),
}
TARGETS = {"situation": 30, "task": 20, "action": 90, "result": 20, "reflection": 15}

# Page furniture of the labelled seeds: section labels, icons, the mode picker.
CHROME = {
    "Bird",
    "Raised Fist0",
    "Amazon Leadership Principles",
    "Choose your preparation mode3 modes available",
    "Scenario Overview",
    "Strong Example",
    "SDE2 Reflection",
    "Senior Reflection",
    "Weak Answer",
}
CHROME_SUFFIXES = ("Coaching", "Common Mistake", "Weak", "Strong", "Emphasize", "Downplay")
# Fields whose text is not taken from the seed: fixed by DESIGN.md, or enumerations.
NOT_FROM_SEED = {"id", "title", "source", "principles", "name", "level", "kind"}

# Text that has no letters at all once emoji/mojibake is set aside (icons, step letters).
_WORD = re.compile(r"[A-Za-z]{2,}")
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass
class SeedSteps:
    """What a seed says under each step's "Strong Example" heading."""

    examples: list[str | None] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)


def parse_seed_steps(text: str) -> SeedSteps:
    """Strong example text and quoted key phrases per step, in step order.

    After a "Strong Example" line come the example's lines (none for a reflection that only
    lists phrases), then the line(s) made only of quoted strings, until the "Coaching" line.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found = SeedSteps()
    for index, line in enumerate(lines):
        if line != "Strong Example":
            continue
        example: list[str] = []
        phrases: list[str] = []
        for following in lines[index + 1 :]:
            if following.endswith("Coaching"):
                break
            if _is_phrase_line(following):
                phrases.extend(_QUOTED.findall(following))
            else:
                example.append(following)
        found.examples.append(" ".join(example) or None)
        found.phrases.append(phrases)
    return found


def _is_phrase_line(line: str) -> bool:
    return line.startswith('"') and _QUOTED.sub("", line).strip() == ""


def seed_pieces(text: str) -> Iterator[str]:
    """Every piece of content in a seed, with its labels, bullets and quotes taken off."""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line in CHROME or line.endswith("Amazon LP STAR Walkthrough"):
            continue
        if line.startswith("⏱ Target:") or not _WORD.search(line):
            continue
        if len(line) < 20 and line.endswith(CHROME_SUFFIXES):
            continue
        if _is_phrase_line(line):
            yield from _QUOTED.findall(line)
            continue
        for prefix in ("Probes: ", "Reflection: ", "Bar Raiser Thinks", "Bar ", "⏱ ", "• ", "- "):
            if line.startswith(prefix):
                line = line[len(prefix) :]
                break
        if line.startswith('"') and line.endswith('"') and line.count('"') == 2:
            line = line[1:-1]
        yield line


def strings(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every text in a dumped walkthrough, with the path of keys leading to it."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*path, key))
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, path)


def _cases() -> list[tuple[str, str]]:
    return sorted(SEED_IDS.items())


@pytest.fixture(scope="module")
def loaded() -> dict[str, tuple[str, Walkthrough]]:
    return {
        name: (
            (SEEDS / name).read_text(encoding="utf-8"),
            load_file(CONTENT / f"{question_id}.yaml"),
        )
        for name, question_id in SEED_IDS.items()
    }


def test_every_seed_has_a_file() -> None:
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(SEED_IDS)
    assert sorted(p.name for p in CONTENT.glob("*.yaml")) == sorted(
        f"{question_id}.yaml" for question_id in SEED_IDS.values()
    )


@pytest.mark.parametrize(("seed", "question_id"), _cases())
def test_id_title_source(
    loaded: dict[str, tuple[str, Walkthrough]], seed: str, question_id: str
) -> None:
    _, walkthrough = loaded[seed]
    assert walkthrough.id == question_id
    assert walkthrough.title == TITLES[question_id]
    assert walkthrough.source == seed


@pytest.mark.parametrize(("seed", "question_id"), _cases())
def test_key_phrases_are_the_seeds_quoted_strings(
    loaded: dict[str, tuple[str, Walkthrough]], seed: str, question_id: str
) -> None:
    text, walkthrough = loaded[seed]
    parsed = parse_seed_steps(text)
    if not parsed.phrases:  # flattened seeds (000, 004) quote no phrases under steps
        parsed.phrases = [[] for _ in STEP_ORDER]
        parsed.examples = [None for _ in STEP_ORDER]
    assert len(parsed.phrases) == len(STEP_ORDER)
    for name, seed_phrases, example in zip(
        STEP_ORDER, parsed.phrases, parsed.examples, strict=True
    ):
        step = walkthrough.step(name)
        for phrase in seed_phrases:
            assert phrase in step.key_phrases, f"{question_id} {name}: {phrase!r} missing"
        for phrase in step.key_phrases:
            assert phrase in seed_phrases, f"{question_id} {name}: {phrase!r} not in the seed"
        assert step.key_phrases == seed_phrases  # same order too
        assert step.strong_example == example


@pytest.mark.parametrize(("seed", "question_id"), _cases())
def test_every_seed_text_is_in_the_file(
    loaded: dict[str, tuple[str, Walkthrough]], seed: str, question_id: str
) -> None:
    text, walkthrough = loaded[seed]
    held = {value for _, value in strings(walkthrough.model_dump())}
    missing = [piece for piece in seed_pieces(text) if piece not in held]
    assert missing == [], f"{question_id}: seed text not placed in the file"


@pytest.mark.parametrize(("seed", "question_id"), _cases())
def test_every_text_in_the_file_comes_from_the_seed(
    loaded: dict[str, tuple[str, Walkthrough]], seed: str, question_id: str
) -> None:
    text, walkthrough = loaded[seed]
    invented = []
    for question in walkthrough.model_dump()["quiz"]:
        assert question["authored"], "the seeds have no quiz options: options must be authored"
    for path, value in strings(walkthrough.model_dump(exclude={"quiz": {"__all__": {"options"}}})):
        if path[-1] in NOT_FROM_SEED:
            continue
        if value not in text:
            invented.append((".".join(path), value))
    assert invented == [], f"{question_id}: text not found in the seed"


@pytest.mark.parametrize(("seed", "question_id"), _cases())
def test_targets_maximum_and_level_times(
    loaded: dict[str, tuple[str, Walkthrough]], seed: str, question_id: str
) -> None:
    _, walkthrough = loaded[seed]
    for step in walkthrough.steps:
        assert step.target_s == TARGETS[step.name]
        stated = re.search(r"(\d+) seconds max|under (\d+) seconds", step.coaching)
        expected = float(next(g for g in stated.groups() if g)) if stated else None
        assert step.max_s == expected, f"{question_id} {step.name}"
    for guidance in walkthrough.levels:
        if guidance.time_text is None:
            assert guidance.time_s_min is None and guidance.time_s_max is None
            continue
        span = re.search(r"(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))? minutes", guidance.time_text)
        assert span is not None
        low, high = span.group(1), span.group(2)
        if high is None:
            assert (guidance.time_s_min, guidance.time_s_max) == (None, float(low) * 60)
        else:
            assert (guidance.time_s_min, guidance.time_s_max) == (
                float(low) * 60,
                float(high) * 60,
            )


@pytest.mark.parametrize(("seed", "question_id"), _cases())
def test_quiz_matches_seed_and_options_are_consistent(
    loaded: dict[str, tuple[str, Walkthrough]], seed: str, question_id: str
) -> None:
    text, walkthrough = loaded[seed]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    seed_quiz = [(lines[i + 1], lines[i + 2]) for i, line in enumerate(lines) if line == "🧠"]
    assert [(q.question, q.explanation) for q in walkthrough.quiz] == seed_quiz
    for question in walkthrough.quiz:
        assert question.authored and len(question.options) >= 3
        assert sum(option.correct for option in question.options) == 1


def test_no_mojibake_or_emoji_in_content() -> None:
    allowed = {"’", "—"}
    for path in CONTENT.glob("*.yaml"):
        odd = {ch for ch in path.read_text(encoding="utf-8") if ord(ch) > 127} - allowed
        assert odd == set(), f"{path.name}: unexpected characters {sorted(odd)}"


def test_seed_parser_on_a_labelled_sample() -> None:
    sample = "\n".join(
        [
            "Strong Example",
            "I noticed it.",
            '"I noticed""not my team’s"',
            "πŸ’‘ Coaching",
            "x",
            "Strong Example",
            '"organizational gap"',
            "💡 Coaching",
        ]
    )
    parsed = parse_seed_steps(sample)
    assert parsed.examples == ["I noticed it.", None]
    assert parsed.phrases == [["I noticed", "not my team’s"], ["organizational gap"]]
