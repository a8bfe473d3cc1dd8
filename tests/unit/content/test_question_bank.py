"""The question bank: all sixteen principles, validated on load; ``questions`` and ``stories``
on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from starcoach.cli import main
from starcoach.content import load_library
from starcoach.content.loader import load_bank, validate_path
from starcoach.content.questions import principle_key
from starcoach.store import Store
from tests.support.paths import REPO

SIXTEEN = [
    "Customer Obsession",
    "Ownership",
    "Invent and Simplify",
    "Are Right, A Lot",
    "Learn and Be Curious",
    "Hire and Develop the Best",
    "Insist on the Highest Standards",
    "Think Big",
    "Bias for Action",
    "Frugality",
    "Earn Trust",
    "Dive Deep",
    "Have Backbone; Disagree and Commit",
    "Deliver Results",
    "Strive to Be Earth's Best Employer",
    "Success and Scale Bring Broad Responsibility",
]
BANK = REPO / "content" / "questions" / "leadership-principles.yaml"


def test_the_bank_covers_all_sixteen_principles() -> None:
    bank = load_bank(BANK)
    assert bank.authored is True
    assert [p.name for p in bank.principles] == SIXTEEN
    for principle in bank.principles:
        assert 3 <= len(principle.questions) <= 5, principle.name
        assert "\n" not in principle.meaning and len(principle.meaning) <= 120
        assert principle.meaning.endswith(".")
        for question in principle.questions:
            assert question.title.startswith("Tell Me About")
            for other in question.also:
                assert other in SIXTEEN, other  # cross-references use the bank's names


def test_bank_questions_join_the_library_beside_the_walkthroughs(library) -> None:  # type: ignore[no-untyped-def]
    assert len(library.principles) == 16
    assert all(q.authored for q in library.bank.values())
    assert not any(library.questions[w].authored for w in library.bundled_ids)
    # The walkthroughs' principles are spelled as the bank spells them.
    for walkthrough in library.walkthroughs.values():
        for name in walkthrough.principles:
            assert principle_key(name) in library.principles, name
    backbone = [q.id for q in library.questions_for("have backbone disagree & commit")]
    assert "disagree-senior-leader" in backbone and "backbone-disagreed-with-manager" in backbone


def _write_bank(folder: Path, text: str) -> Path:
    (folder / "questions").mkdir(parents=True, exist_ok=True)
    path = folder / "questions" / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_broken_bank_file_is_reported_and_the_rest_loads(tmp_path: Path) -> None:
    path = _write_bank(
        tmp_path,
        "principles:\n  - name: Ownership\n    meanng: typo\n    questions:\n"
        "      - id: Bad Id\n        title: x\n",
    )
    library = load_library(user_dir=tmp_path)
    fields = sorted(e.field for e in library.errors)
    assert fields == ["principles.0.meaning", "principles.0.meanng", "principles.0.questions.0.id"]
    assert all(e.path == str(path) for e in library.errors)
    assert any("did you mean 'meaning'" in e.message for e in library.errors)
    assert len(library.principles) == 16 and len(library.bank) >= 48  # the bundled bank
    assert validate_path(tmp_path) and validate_path(path)


def test_an_unknown_principle_in_also_is_reported(tmp_path: Path) -> None:
    _write_bank(
        tmp_path,
        "principles:\n  - name: Ownership\n    meaning: Mine.\n    questions:\n"
        "      - id: my-q\n        title: A question\n        also: [Are Right, A Lot]\n",
    )
    library = load_library(user_dir=tmp_path)
    # Unquoted, the comma splits the name in two: both halves are reported.
    first, second = library.errors
    assert first.field == "principles.0.questions.0.also.0"
    assert "unknown principle 'Are Right'" in first.message and "(line 7)" in first.message
    assert "quote a name with a comma" in first.message
    assert second.field == "principles.0.questions.0.also.1"
    assert "my-q" in library.bank  # the question itself still loads


def test_your_own_bank_questions_and_clashing_ids(tmp_path: Path) -> None:
    _write_bank(
        tmp_path,
        "principles:\n  - name: ownership\n    meaning: Mine.\n    questions:\n"
        "      - id: my-own-question\n        title: Tell Me About a Time You Owned a Launch\n"
        "      - id: ownership-outside-your-role\n        title: A clash\n",
    )
    library = load_library(user_dir=tmp_path)
    assert library.question("my-own-question").principles == ["ownership"]
    assert "my-own-question" in {q.id for q in library.questions_for("Ownership")}
    (error,) = library.errors
    assert error.field == "principles.0.questions.1.id" and "already used" in error.message


def test_questions_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["questions", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)
    assert [g["principle"] for g in groups] == SIXTEEN
    assert main(["questions", "--principle", "backbone"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Have Backbone; Disagree and Commit — ")
    assert "disagree-senior-leader" in out and "(with its story)" in out
    assert main(["questions", "--principle", "nonsense"]) == 1
    assert "Unknown principle 'nonsense'" in capsys.readouterr().err


def test_stories_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    with Store() as store:
        session = store.create_session(
            "ownership-outside-your-role", "step", "sde1", None, story_id="unpopular-opinion"
        )
        store.record_attempt(
            session.id, "result", duration_s=20, transcript=None, feedback=None, score=41
        )
        store.finish_session(session.id)
    assert main(["stories", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {s["id"]: s for s in data["stories"]}
    story = by_id["unpopular-opinion"]
    assert story["last_score"] == 41 and story["weakest_step"] == "result"
    assert "Ownership" in story["principles"]  # practised for an Ownership question
    assert "Ownership" not in data["uncovered"] and "Frugality" in data["uncovered"]
    assert data["next"][0].startswith("Practise the result of")
    assert main(["stories"]) == 0
    assert "Practise next:" in capsys.readouterr().out
