"""The walkthrough schema on its own: required fields, strict types, the five steps' rules."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from starcoach.content import (
    STEP_ORDER,
    LevelGuidance,
    QuizQuestion,
    Step,
    Walkthrough,
    normalize_level,
)
from starcoach.errors import UnknownStep
from tests.support.paths import DATA

GOOD = DATA / "content" / "good.yaml"


@pytest.fixture
def data() -> dict[str, Any]:
    loaded = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _errors(data: dict[str, Any]) -> list[tuple[tuple[int | str, ...], str]]:
    with pytest.raises(ValidationError) as info:
        Walkthrough.model_validate(data)
    return [(tuple(e["loc"]), e["type"]) for e in info.value.errors()]


def test_minimal_walkthrough_validates(data: dict[str, Any]) -> None:
    walkthrough = Walkthrough.model_validate(data)
    assert [step.name for step in walkthrough.steps] == list(STEP_ORDER)
    assert walkthrough.step("situation").max_s == 45
    assert walkthrough.step("action").key_phrases == ["I pulled", "I traced"]
    assert walkthrough.step("task").max_s is None
    assert walkthrough.step("task").strong_example is None
    assert walkthrough.step("task").key_phrases == []
    assert walkthrough.scenario.overview is None
    assert walkthrough.weak_answer is None
    assert walkthrough.quiz == [] and walkthrough.probes == [] and walkthrough.angles == []
    assert walkthrough.principle == "Ownership"


def test_step_lookup_raises_unknown_step(data: dict[str, Any]) -> None:
    walkthrough = Walkthrough.model_validate(data)
    with pytest.raises(UnknownStep) as info:
        walkthrough.step("actoin")
    assert "actoin" in str(info.value)


def test_level_lookup_accepts_common_spellings(data: dict[str, Any]) -> None:
    walkthrough = Walkthrough.model_validate(data)
    for spelling in ("sde1", "SDE 1", "sde-2", "SDE2"):
        guidance = walkthrough.level(spelling)
        assert guidance is not None and guidance.time_s_max == 120
    assert walkthrough.level("senior") is None  # not in this file
    assert walkthrough.level("intern") is None
    assert normalize_level("Senior SDE") == "senior"


@pytest.mark.parametrize("field", ["id", "title", "steps"])
def test_required_top_level_fields(data: dict[str, Any], field: str) -> None:
    del data[field]
    assert ((field,), "missing") in _errors(data)


def test_step_needs_target(data: dict[str, Any]) -> None:
    del data["steps"][2]["target_s"]
    assert (("steps", 2, "target_s"), "missing") in _errors(data)


@pytest.mark.parametrize("target", [-5, 0, 0.0])
def test_target_must_be_positive(data: dict[str, Any], target: float) -> None:
    data["steps"][2]["target_s"] = target
    assert (("steps", 2, "target_s"), "greater_than") in _errors(data)


@pytest.mark.parametrize("value", ["90", True, None, [90]])
def test_target_is_strictly_a_number(data: dict[str, Any], value: object) -> None:
    data["steps"][2]["target_s"] = value
    assert _errors(data)[0][0] == ("steps", 2, "target_s")


def test_integer_seconds_are_accepted_as_float(data: dict[str, Any]) -> None:
    assert isinstance(Walkthrough.model_validate(data).step("action").target_s, float)


def test_max_below_target_is_rejected(data: dict[str, Any]) -> None:
    data["steps"][0]["max_s"] = 10
    assert _errors(data) == [(("steps", 0), "value_error")]


@pytest.mark.parametrize("value", [False, 2024, 1.5, None, ["a"]])
def test_text_is_strictly_text(data: dict[str, Any], value: object) -> None:
    data["title"] = value
    assert _errors(data)[0][0] == ("title",)


def test_empty_text_is_rejected(data: dict[str, Any]) -> None:
    data["title"] = "   "
    assert _errors(data) == [(("title",), "string_too_short")]


def test_unknown_step_name(data: dict[str, Any]) -> None:
    data["steps"][2]["name"] = "actoin"
    assert (("steps", 2, "name"), "literal_error") in _errors(data)


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda steps: steps.pop(3), "missing step result"),
        (lambda steps: steps.append(copy.deepcopy(steps[2])), "'action' appears 2 times"),
        (lambda steps: steps.reverse(), "must be in the order"),
    ],
)
def test_exactly_five_steps_in_star_order(data: dict[str, Any], mutate: Any, fragment: str) -> None:
    mutate(data["steps"])
    with pytest.raises(ValidationError) as info:
        Walkthrough.model_validate(data)
    assert fragment in str(info.value)


def test_extra_field_is_forbidden_everywhere(data: dict[str, Any]) -> None:
    data["titel"] = "typo"
    data["steps"][0]["coachng"] = "typo"
    errors = _errors(data)
    assert (("titel",), "extra_forbidden") in errors
    assert (("steps", 0, "coachng"), "extra_forbidden") in errors


def test_id_must_be_a_slug(data: dict[str, Any]) -> None:
    data["id"] = "My Story"
    assert _errors(data) == [(("id",), "value_error")]


def test_duplicate_key_phrase_is_rejected(data: dict[str, Any]) -> None:
    data["steps"][2]["key_phrases"] = ["I pulled", "I pulled"]
    assert _errors(data) == [(("steps", 2, "key_phrases"), "value_error")]


def test_quiz_needs_exactly_one_correct_option() -> None:
    base = {"question": "Q?", "authored": True}
    good = QuizQuestion.model_validate(
        {**base, "options": [{"text": "a", "correct": True}, {"text": "b"}]}
    )
    assert good.correct_option is not None and good.correct_option.text == "a"
    assert QuizQuestion.model_validate(base).options == []
    for options in (
        [{"text": "a"}, {"text": "b"}],
        [{"text": "a", "correct": True}, {"text": "b", "correct": True}],
        [{"text": "a", "correct": True}],
    ):
        with pytest.raises(ValidationError):
            QuizQuestion.model_validate({**base, "options": options})


def test_quiz_correct_is_strictly_boolean() -> None:
    with pytest.raises(ValidationError):
        QuizQuestion.model_validate(
            {"question": "Q?", "options": [{"text": "a", "correct": "yes"}, {"text": "b"}]}
        )


def test_level_times_are_consistent() -> None:
    ok = LevelGuidance.model_validate({"level": "senior", "time_s_min": 150, "time_s_max": 180})
    assert (ok.time_s_min, ok.time_s_max) == (150, 180)
    with pytest.raises(ValidationError):
        LevelGuidance.model_validate({"level": "senior", "time_s_min": 200, "time_s_max": 180})
    with pytest.raises(ValidationError):
        LevelGuidance.model_validate({"level": "sde2"})


def test_levels_appear_once(data: dict[str, Any]) -> None:
    data["levels"].append({"level": "sde1"})
    assert _errors(data) == [(("levels",), "value_error")]


def test_models_are_frozen(data: dict[str, Any]) -> None:
    walkthrough = Walkthrough.model_validate(data)
    with pytest.raises(ValidationError):
        walkthrough.title = "changed"
    step = walkthrough.step("action")
    with pytest.raises(ValidationError):
        step.target_s = 1
    assert isinstance(step, Step)


def test_block_scalar_newline_is_stripped(data: dict[str, Any]) -> None:
    data["steps"][0]["coaching"] = "Keep it short.\n"
    assert Walkthrough.model_validate(data).step("situation").coaching == "Keep it short."
