"""The command line: content and analyze, their JSON contracts and their plain errors."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest
import soundfile as sf

from starcoach.cli import main
from tests.support.paths import TESTS

QUESTION = "disagree-senior-leader"
STEPS = ["situation", "task", "action", "result", "reflection"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("starcoach ")
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("content", "analyze"):
        assert command in out


def test_content_list_json_lists_the_five_ids(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content", "list", "--json")
    assert code == 0
    ids = [row["id"] for row in json.loads(out)]
    assert ids == [
        "disagree-senior-leader",
        "unpopular-opinion",
        "commitment-difficult-circumstances",
        "have-backbone-disagree-commit",
        "earths-best-employer",
    ]


def test_content_show_json_holds_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content", "show", QUESTION, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["id"] == QUESTION
    assert data["principles"] and data["scenario"]["overview"] and data["scenario"]["summary"]
    assert [s["name"] for s in data["steps"]] == STEPS
    assert [s["target_s"] for s in data["steps"]] == [30, 20, 90, 20, 15]
    assert data["steps"][0]["max_s"] == 45
    for step in data["steps"]:
        assert step["key_phrases"] and step["coaching"] and step["common_mistake"]
    assert data["reflections"]["sde2"] and data["reflections"]["senior"]
    probe = data["probes"][0]
    for key in ("question", "probes", "weak_answer", "weak_why", "strong_answer", "key_line"):
        assert probe[key], key
    assert data["weak_answer"]["text"] and data["weak_answer"]["critique"]
    assert data["weak_answer"]["bar_raiser_thinks"]
    assert data["quiz"] and all(q["explanation"] for q in data["quiz"])
    assert all(q["authored"] for q in data["quiz"] if q["options"])
    angle = data["angles"][0]
    assert angle["principle"] and angle["lead"] and angle["emphasize"] and angle["downplay"]
    assert {g["level"] for g in data["levels"]} == {"sde1", "senior"}


def test_content_show_text_and_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content", "show", QUESTION)
    assert code == 0 and "Bar Raiser" in out and "SITUATION" in out
    code, out, err = run(capsys, "content", "show", "no-such-question")
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and "no-such-question" in err


def test_content_validate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "content", "validate")
    assert code == 0, out
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: my-story\ntitle: Mine\nsteps: []\n", encoding="utf-8")
    code, out, _ = run(capsys, "content", "validate", str(bad))
    assert code == 1
    assert out.startswith(f"{bad}: steps")


# -- analyze --------------------------------------------------------------------------------

CONTRACT_TYPES = {
    "question": str,
    "step": str,
    "transcript": str,
    "duration_s": float,
    "target_s": float,
    "max_s": (float, type(None)),
    "key_phrases": list,
    "mistakes": list,
    "metrics": dict,
    "score": int,
    # Beyond DESIGN.md's object: the one thing to change next, in plain words.
    "next_step": str,
}


def check_contract(data: dict[str, object]) -> None:
    assert set(data) == set(CONTRACT_TYPES)
    for key, kind in CONTRACT_TYPES.items():
        assert isinstance(data[key], kind), (key, data[key])
    assert not isinstance(data["score"], bool) and 0 <= data["score"] <= 100  # type: ignore[operator]
    for phrase in data["key_phrases"]:  # type: ignore[attr-defined]
        assert set(phrase) == {"phrase", "matched", "heard", "start", "end"}
        assert isinstance(phrase["matched"], bool)
    for mistake in data["mistakes"]:  # type: ignore[attr-defined]
        assert set(mistake) == {"id", "message", "evidence", "start", "end"}
    metrics = data["metrics"]
    assert isinstance(metrics, dict)
    assert isinstance(metrics["words_per_minute"], float)
    for key in ("i_count", "we_count", "filler_count"):
        assert isinstance(metrics[key], int) and not isinstance(metrics[key], bool)


def test_analyze_text_json_contract(capsys: pytest.CaptureFixture[str], library) -> None:  # type: ignore[no-untyped-def]
    said = "We figured it out together. I sent them a Slack message and they handled it."
    code, out, _ = run(
        capsys, "analyze", "--text", said, "--question", QUESTION, "--step", "action", "--json"
    )
    assert code == 0
    data = json.loads(out)
    check_contract(data)
    assert data["question"] == QUESTION and data["step"] == "action"
    assert data["target_s"] == 90.0 and data["max_s"] is None
    expected = library.get(QUESTION).step("action").key_phrases
    assert [p["phrase"] for p in data["key_phrases"]] == expected
    assert all(p["start"] is None for p in data["key_phrases"])
    ids = {m["id"] for m in data["mistakes"]}
    assert {"we-language", "handoff-escalation"} <= ids
    assert data["metrics"]["we_count"] == 1 and data["metrics"]["i_count"] == 1


def test_analyze_text_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "analyze",
        "--text",
        "This was not my team, no ticket existed, and nobody had asked me.",
        "--question",
        QUESTION,
        "--step",
        "task",
    )
    assert code == 0
    assert "[x] not my team" in out and "score" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--text", "x", "--question", "nope", "--step", "task"], "Unknown question 'nope'"),
        (["--text", "x", "--question", QUESTION, "--step", "actoin"], "Unknown step 'actoin'"),
        (["--text", "x", "--question", QUESTION, "--step", "task", "--level", "cto"], "level"),
        (["/no/such/file.flac", "--question", QUESTION, "--step", "task"], "not found"),
    ],
)
def test_analyze_errors_are_one_plain_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, "analyze", *argv)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err


def test_analyze_unreadable_audio(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    junk = tmp_path / "answer.flac"
    junk.write_bytes(b"this is not audio at all" * 100)
    code, _, err = run(capsys, "analyze", str(junk), "--question", QUESTION, "--step", "task")
    assert code != 0 and "Cannot read audio file" in err and err.count("\n") == 1


def test_analyze_two_hour_file_is_refused_quickly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A real two-hour WAV, kept sparse on disk: the header says so and the data is zeros.
    path = tmp_path / "meeting.wav"
    frames = 2 * 3600 * 16000
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.setnframes(frames)
        w.writeframes(b"")
    with path.open("r+b") as fh:
        fh.truncate(44 + frames * 2)
        fh.seek(40)
        fh.write((frames * 2).to_bytes(4, "little"))
        fh.seek(4)
        fh.write((36 + frames * 2).to_bytes(4, "little"))
    assert sf.info(str(path)).duration > 7000
    code, _, err = run(capsys, "analyze", str(path), "--question", QUESTION, "--step", "task")
    assert code != 0 and "2:00:00 long" in err


def test_missing_model_is_a_plain_error_never_a_download(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clip = TESTS / "corpus" / "clips" / "dsl-task-strong__joe_clean.flac"
    for model in (str(tmp_path / "no-model"), "base.en"):
        code, out, err = run(
            capsys, "analyze", str(clip), "--question", QUESTION, "--step", "task", "--model", model
        )
        assert code != 0 and out == ""
        assert "Speech model folder not found" in err and err.count("\n") == 1


def test_no_display_is_a_plain_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    code, _, err = run(capsys)
    assert code != 0 and "no display found" in err and err.count("\n") == 1
