"""Loading the bundled library and users' files: every broken file is reported, the rest load."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from starcoach.content import (
    BUNDLED_ORDER,
    MAX_FILE_BYTES,
    ContentError,
    ContentLoadError,
    Library,
    load_file,
    load_library,
    validate_path,
)
from starcoach.content.yamlsafe import MAX_DEPTH
from starcoach.errors import UnknownQuestion
from tests.support.paths import DATA, REPO

BUNDLED = REPO / "content"
GOOD = DATA / "content" / "good.yaml"
GOOD_TEXT = GOOD.read_text(encoding="utf-8")

EXPECTED_IDS = [
    "disagree-senior-leader",
    "unpopular-opinion",
    "commitment-difficult-circumstances",
    "have-backbone-disagree-commit",
    "earths-best-employer",
]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder with an empty user content folder; bundled content from the repo."""
    monkeypatch.setenv("STARCOACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("STARCOACH_CONTENT_DIR", str(BUNDLED))
    user = tmp_path / "home" / "content"
    user.mkdir(parents=True)
    return user


def _good(user: Path, name: str = "good.yaml", story_id: str = "good-story") -> Path:
    path = user / name
    path.write_text(GOOD_TEXT.replace("id: good-story", f"id: {story_id}"), encoding="utf-8")
    return path


def _bad(user: Path, text: str | bytes, name: str = "bad.yaml") -> Path:
    path = user / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _only_error(library: Library, path: Path) -> ContentError:
    mine = [error for error in library.errors if error.path == str(path)]
    assert len(mine) == 1, library.errors
    assert len(library.errors) == 1, library.errors
    return mine[0]


def _assert_rest_loads(library: Library) -> None:
    assert library.ids() == [*EXPECTED_IDS, "good-story"]


# -- the bundled library ---------------------------------------------------------------------


def test_bundled_library_loads_in_design_order(home: Path) -> None:
    library = load_library()
    assert library.errors == []
    assert library.ids() == EXPECTED_IDS == list(BUNDLED_ORDER)
    for question_id in EXPECTED_IDS:
        walkthrough = library.get(question_id)
        assert library.is_bundled(question_id)
        assert [(s.name, s.target_s) for s in walkthrough.steps] == [
            ("situation", 30),
            ("task", 20),
            ("action", 90),
            ("result", 20),
            ("reflection", 15),
        ]
        assert library.paths[question_id] == BUNDLED / f"{question_id}.yaml"


def test_bundled_titles(home: Path) -> None:
    library = load_library()
    assert library.get("disagree-senior-leader").title == (
        "Tell Me About a Time You Had to Disagree With a Senior Leader Respectfully"
    )
    assert library.get("have-backbone-disagree-commit").title == (
        "Have Backbone; Disagree and Commit — what it means and what interviewers listen for"
    )
    assert library.get("earths-best-employer").title == (
        "Strive to Be Earth's Best Employer — what it means and what interviewers listen for"
    )


def test_disagree_senior_leader_has_every_field_family(home: Path) -> None:
    w = load_library().get("disagree-senior-leader")
    assert w.principles and w.source == "001_5c37fc9d2e2cc9f4.txt"
    assert w.scenario.overview and w.scenario.summary
    for step in w.steps:
        assert step.key_phrases and step.coaching and step.common_mistake
        assert step.strong_example or step.name == "reflection"
    assert w.step("situation").max_s == 45
    assert w.step("reflection").strong_example is None  # the seed has only quoted phrases
    assert w.reflections.sde2 and w.reflections.senior
    assert len(w.probes) == 4
    for probe in w.probes:
        assert probe.question and probe.probes and probe.weak_answer and probe.weak_why
        assert probe.strong_answer and probe.key_line
    assert w.weak_answer is not None
    assert w.weak_answer.text and w.weak_answer.critique and w.weak_answer.bar_raiser_thinks
    assert len(w.quiz) == 3
    for question in w.quiz:
        assert question.explanation and question.authored and question.correct_option
    assert [a.principle for a in w.angles] == [
        "Customer Obsession",
        "Ownership",
        "Invent and Simplify",
    ]
    assert all(a.lead and a.emphasize and a.downplay for a in w.angles)
    sde1, senior = w.level("sde1"), w.level("senior")
    assert sde1 is not None and senior is not None
    assert sde1.focus and sde1.reflection and sde1.bar
    assert (sde1.time_text, sde1.time_s_min, sde1.time_s_max) == ("Keep to 2 minutes.", None, 120)
    assert (senior.time_text, senior.time_s_min, senior.time_s_max) == ("2.5-3 minutes.", 150, 180)


def test_key_phrases_keep_curly_apostrophe(home: Path) -> None:
    situation = load_library().get("unpopular-opinion").step("situation")
    assert "outside my team’s scope" in situation.key_phrases


def test_unknown_question(home: Path) -> None:
    library = load_library()
    with pytest.raises(UnknownQuestion):
        library.get("nope")
    assert "nope" not in library and not library.is_bundled("nope")


def test_loading_is_fast(home: Path) -> None:
    best = min(_timed(load_library) for _ in range(3))
    assert best < 0.1, f"loading the five walkthroughs took {best * 1000:.0f} ms"


def _timed(fn: object) -> float:
    assert callable(fn)
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_nothing_is_written_into_the_bundled_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = tmp_path / "bundled"
    shutil.copytree(BUNDLED, bundled)
    bundled.chmod(0o555)
    before = {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in bundled.iterdir()}
    monkeypatch.setenv("STARCOACH_CONTENT_DIR", str(bundled))
    monkeypatch.setenv("STARCOACH_HOME", str(tmp_path / "home"))
    try:
        library = load_library()
        validate_path(bundled)
        after = {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in bundled.iterdir()}
    finally:
        bundled.chmod(0o755)
    assert library.errors == [] and library.ids() == EXPECTED_IDS
    assert after == before


def test_missing_user_folder_is_fine(tmp_path: Path) -> None:
    library = load_library(BUNDLED, tmp_path / "does-not-exist")
    assert library.errors == [] and library.ids() == EXPECTED_IDS


def test_missing_bundled_folder_is_reported(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    _good(user)
    library = load_library(tmp_path / "nowhere", user)
    assert library.ids() == ["good-story"]
    assert library.errors[0].path == str(tmp_path / "nowhere")


# -- users' files ----------------------------------------------------------------------------


def test_user_files_load_after_bundled(home: Path) -> None:
    _good(home, "b.yml", "b-story")
    _good(home, "a.yaml", "a-story")
    (home / "notes.txt").write_text("not content", encoding="utf-8")
    (home / ".#a.yaml").write_text("editor lock file", encoding="utf-8")
    library = load_library()
    assert library.errors == []
    assert library.ids() == [*EXPECTED_IDS, "a-story", "b-story"]
    assert not library.is_bundled("a-story")


def test_utf8_bom_is_accepted(home: Path) -> None:
    _bad(home, "\ufeff".encode() + GOOD_TEXT.encode())
    library = load_library()
    assert library.errors == [] and "good-story" in library


def _case(home: Path, text: str | bytes) -> tuple[ContentError, Path]:
    _good(home)
    bad = _bad(home, text)
    library = load_library()
    _assert_rest_loads(library)
    error = _only_error(library, bad)
    assert str(error).startswith(f"{bad}: {error.field}: ")
    return error, bad


def test_yaml_syntax_error_gives_line(home: Path) -> None:
    text = GOOD_TEXT.replace("title: Tell Me", "title: [Tell Me")
    error, _ = _case(home, text)
    assert error.field == "(file)"
    assert "YAML syntax error at line" in error.message
    assert error.line is not None and f"line {error.line}" in error.message


def test_bad_indentation_gives_line(home: Path) -> None:
    text = GOOD_TEXT.replace("    target_s: 90", "      target_s: 90")
    error, _ = _case(home, text)
    expected = GOOD_TEXT.splitlines().index("    target_s: 90") + 1
    assert error.field == "(file)" and error.line == expected
    assert f"line {expected}" in error.message


def test_missing_required_field(home: Path) -> None:
    error, _ = _case(home, GOOD_TEXT.replace("    target_s: 90\n", ""))
    assert error.field == "steps.action.target_s"
    assert "required field is missing" in error.message
    assert error.line is not None


def test_missing_title(home: Path) -> None:
    text = re.sub(r"^title: .*\n", "", GOOD_TEXT, flags=re.M)
    error, _ = _case(home, text)
    assert (error.field, error.message) == ("title", "required field is missing (line 2)")


def test_wrong_type(home: Path) -> None:
    error, _ = _case(home, GOOD_TEXT.replace("target_s: 90", "target_s: ninety"))
    assert error.field == "steps.action.target_s"
    assert "expected a number" in error.message and "'ninety'" in error.message


def test_negative_target(home: Path) -> None:
    error, _ = _case(home, GOOD_TEXT.replace("target_s: 90", "target_s: -5"))
    assert error.field == "steps.action.target_s"
    assert "greater than 0" in error.message and "-5" in error.message


def test_misspelt_step_name_suggests_the_right_one(home: Path) -> None:
    error, _ = _case(home, GOOD_TEXT.replace("name: action", "name: actoin"))
    assert error.field == "steps.2.name"
    assert "'actoin'" in error.message and "did you mean 'action'?" in error.message


def test_unknown_field_is_reported_with_suggestion(home: Path) -> None:
    text = GOOD_TEXT.replace("    coaching: Keep it short.", "    coachng: Keep it short.")
    error, _ = _case(home, text)
    assert error.field == "steps.situation.coachng"
    assert "unknown field 'coachng'" in error.message and "'coaching'" in error.message


def test_unknown_top_level_field(home: Path) -> None:
    error, _ = _case(home, GOOD_TEXT.replace("principles:", "principle:"))
    assert error.field == "principle" and "'principles'" in error.message


def test_duplicate_id_between_user_files_reports_the_second(home: Path) -> None:
    _good(home, "a.yaml")
    second = _good(home, "b.yaml")
    library = load_library()
    _assert_rest_loads(library)
    error = _only_error(library, second)
    assert error.field == "id" and "already used" in error.message
    assert str(home / "a.yaml") in error.message
    assert library.paths["good-story"] == home / "a.yaml"


def test_user_file_cannot_override_a_bundled_id(home: Path) -> None:
    _good(home)
    clash = _good(home, "mine.yaml", "disagree-senior-leader")
    library = load_library()
    _assert_rest_loads(library)
    error = _only_error(library, clash)
    assert error.field == "id" and "bundled" in error.message and error.line == 2
    assert library.paths["disagree-senior-leader"] == BUNDLED / "disagree-senior-leader.yaml"
    assert library.get("disagree-senior-leader").source == "001_5c37fc9d2e2cc9f4.txt"


def test_huge_file_is_refused_before_reading(home: Path) -> None:
    _good(home)
    big = home / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    start = time.perf_counter()
    library = load_library()
    elapsed = time.perf_counter() - start
    _assert_rest_loads(library)
    error = _only_error(library, big)
    assert error.field == "(file)" and "50.0 MB" in error.message and "1 MB" in error.message
    assert elapsed < 0.5


def test_file_just_over_the_limit_is_refused(home: Path) -> None:
    error, _ = _case(home, GOOD_TEXT + "#" * (MAX_FILE_BYTES - len(GOOD_TEXT) + 1))
    assert error.field == "(file)" and "1 MB" in error.message


def test_invalid_utf8(home: Path) -> None:
    error, _ = _case(home, GOOD_TEXT.encode().replace(b"Keep it short", b"Keep \xff short"))
    assert error.field == "(file)" and "UTF-8" in error.message and "0xff" in error.message
    assert error.line == GOOD_TEXT.splitlines().index("    coaching: Keep it short.") + 1


@pytest.mark.parametrize("text", ["", "\n\n  \n", "# just a comment\n"])
def test_empty_file(home: Path, text: str) -> None:
    error, _ = _case(home, text)
    assert error.field == "(file)" and ("empty" in error.message or "no content" in error.message)


def test_top_level_list(home: Path) -> None:
    error, _ = _case(home, "- id: x\n- title: y\n")
    assert error.field == "(file)"
    assert "mapping" in error.message and "found a list" in error.message


def test_top_level_scalar(home: Path) -> None:
    error, _ = _case(home, "just some words\n")
    assert error.field == "(file)" and "found text" in error.message


def test_yaml_11_words_stay_text(home: Path) -> None:
    """`no`, `on`, `1:30`, `010` and dates are text, not False / True / 90 / 8 / a date."""
    _good(home)
    text = GOOD_TEXT.replace("id: good-story", "id: other")
    text = text.replace("title: Tell Me About a Time You Did Something Good", "title: no")
    text = text.replace(
        '      - "I pulled"', "      - on\n      - 1:30\n      - 010\n      - 2024-01-01"
    )
    _bad(home, text, "other.yaml")
    library = load_library()
    assert library.errors == []
    other = library.get("other")
    assert other.title == "no"
    assert other.step("action").key_phrases == ["on", "1:30", "010", "2024-01-01", "I traced"]


def test_number_where_text_is_expected_is_clear(home: Path) -> None:
    error, _ = _case(
        home, GOOD_TEXT.replace("title: Tell Me About a Time You Did Something Good", "title: 2024")
    )
    assert error.field == "title"
    assert "expected text, found the number 2024" in error.message and '"2024"' in error.message


def test_boolean_where_text_is_expected_is_clear(home: Path) -> None:
    error, _ = _case(home, GOOD_TEXT.replace('      - "I traced"', "      - true"))
    assert error.field == "steps.action.key_phrases.1"
    assert "boolean true" in error.message and "quotes" in error.message


def test_yes_is_not_a_boolean(home: Path) -> None:
    quiz = "quiz:\n  - question: Q?\n    options:\n      - text: a\n        correct: yes\n"
    text = GOOD_TEXT + quiz + "      - text: b\n"
    error, _ = _case(home, text)
    assert error.field == "quiz.0.options.0.correct"
    assert "expected true or false" in error.message and "'yes'" in error.message


def test_duplicate_key_is_reported(home: Path) -> None:
    error, _ = _case(home, GOOD_TEXT.replace("principles:", "title: again\nprinciples:"))
    assert error.field == "(file)" and "'title' appears twice" in error.message
    assert error.line == 4


def test_aliases_are_refused(home: Path) -> None:
    text = "id: &x a\ntitle: *x\n" + GOOD_TEXT.split("\n", 3)[3]
    error, _ = _case(home, text)
    assert error.field == "(file)" and "anchors" in error.message and error.line == 1


def test_python_tags_are_refused(home: Path) -> None:
    text = GOOD_TEXT.replace("title: Tell Me", "title: !!python/object/apply:os.system Tell Me")
    error, _ = _case(home, text)
    assert error.field == "(file)" and "!!python/object/apply:os.system" in error.message


@pytest.mark.parametrize(
    "text",
    [
        "id: " + "[" * 200_000 + "]" * 200_000 + "\n",  # flow style, far past any parser limit
        "id: " + "{a: " * 40 + "1" + "}" * 40 + "\n",  # just past ours
        "id:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40)) + "  " * 40 + "v\n",
    ],
    ids=["flow-200k", "flow-40", "block-40"],
)
def test_deep_nesting_is_refused_without_crashing(home: Path, text: str) -> None:
    error, bad = _case(home, text)  # the rest of the library still loads
    # Refused by StarCoach's own limit, in its own words, naming the file and the line.
    assert error.field == "(file)" and error.path == str(bad)
    assert f"more than {MAX_DEPTH} levels" in error.message and error.line is not None


def test_brackets_in_quoted_text_or_comments_are_not_nesting(home: Path) -> None:
    many = "[" * 40
    text = GOOD_TEXT.replace("title: Tell Me", f"title: '{many}' # {many}\ntitel_: x", 1)
    text = text.replace("\ntitel_: x", "", 1)
    good = _bad(home, text, name="brackets.yaml")
    library = load_library()
    assert not [e for e in library.errors if e.path == str(good) and "levels" in e.message]


def test_step_order_error_names_the_field(home: Path) -> None:
    text = GOOD_TEXT.replace("name: task", "name: result", 1)
    error, _ = _case(home, text)
    assert error.field == "steps" and "appears 2 times" in error.message


def test_several_errors_in_one_file_are_all_reported(home: Path) -> None:
    _good(home)
    text = GOOD_TEXT.replace("target_s: 90", "target_s: -5").replace("title: Tell", "titel: Tell")
    bad = _bad(home, text)
    library = load_library()
    _assert_rest_loads(library)
    fields = {error.field for error in library.errors if error.path == str(bad)}
    assert fields == {"title", "titel", "steps.action.target_s"}


# -- load_file and validate_path -------------------------------------------------------------


def test_load_file_returns_the_walkthrough() -> None:
    assert load_file(GOOD).id == "good-story"


def test_load_file_raises_with_errors(tmp_path: Path) -> None:
    bad = _bad(tmp_path, GOOD_TEXT.replace("target_s: 90", "target_s: -5"))
    with pytest.raises(ContentLoadError) as info:
        load_file(bad)
    assert [e.field for e in info.value.errors] == ["steps.action.target_s"]
    assert str(info.value).startswith(f"{bad}: steps.action.target_s: ")


def test_validate_path_file_and_folder(tmp_path: Path) -> None:
    assert validate_path(GOOD) == []
    assert validate_path(BUNDLED) == []
    _good(tmp_path, "a.yaml")
    _good(tmp_path, "b.yaml")
    _bad(tmp_path, "- a list\n", "c.yml")
    errors = validate_path(tmp_path)
    assert [(Path(e.path).name, e.field) for e in errors] == [("b.yaml", "id"), ("c.yml", "(file)")]
    missing = validate_path(tmp_path / "nope.yaml")
    assert len(missing) == 1 and missing[0].field == "(file)"


def test_content_error_str() -> None:
    error = ContentError("a/b.yaml", "steps.action.target_s", "must be greater than 0")
    assert str(error) == "a/b.yaml: steps.action.target_s: must be greater than 0"


def test_documented_examples_are_valid(tmp_path: Path) -> None:
    doc = (REPO / "docs" / "content-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)
    assert len(blocks) >= 2
    (tmp_path / "questions").mkdir()
    for index, block in enumerate(blocks):
        bank = block.lstrip().startswith(("authored:", "principles:"))
        path = tmp_path / ("questions" if bank else "") / f"example{index}.yaml"
        path.write_text(block, encoding="utf-8")
        assert validate_path(path) == [], block
    complete_index = next(i for i, block in enumerate(blocks) if "quiz:" in block)
    complete = load_file(tmp_path / f"example{complete_index}.yaml")
    assert complete.quiz and complete.probes and complete.angles and complete.levels
