"""Fault suite, files (issue 12, point 4): export over the data folder, a read-only data
folder, a content file with thousands of errors, a truncated recording on the command line.

The read-only folder is real: a read-only bind mount (the tests run as root, and chmod does
not stop root). Where mounting is not allowed the test is skipped rather than faked.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from starcoach.cli import main
from starcoach.store import Store

QUESTION = "disagree-senior-leader"


def stored_session(home: Path) -> tuple[str, Path]:
    """A finished session with a recording, as the app leaves it; (session id, its FLAC)."""
    with Store() as store:
        session = store.create_session(QUESTION, "step", "sde1", None)
        path = store.audio_path(session.id, "task")
        attempt = store.start_attempt(session.id, "task", path)
        sf.write(str(path), np.zeros(16000, dtype=np.float32), 16000)
        store.finish_attempt(attempt, duration_s=1.0, transcript=None, feedback=None, score=40)
        store.finish_session(session.id)
    return session.id, path


def test_export_never_overwrites_the_data_folder(
    _own_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id, flac = stored_session(_own_data_dir)
    db = _own_data_dir / "starcoach.db"
    kept = {p: p.read_bytes() for p in (db, flac)}
    for target in (db, flac, _own_data_dir / "new-report.md"):
        code = main(["export", session_id, "--format", "md", "-o", str(target)])
        err = capsys.readouterr().err
        assert code == 1 and "inside StarCoach's data folder" in err, err
        assert "Wrote" not in err
    assert {p: p.read_bytes() for p in kept} == kept
    assert not (_own_data_dir / "new-report.md").exists()
    with Store() as store:
        assert [s.id for s in store.list_sessions()] == [session_id]

    elsewhere = tmp_path / "mine.md"
    elsewhere.write_text("my notes", encoding="utf-8")
    assert main(["export", session_id, "-o", str(elsewhere)]) == 1
    assert "add --force" in capsys.readouterr().err
    assert elsewhere.read_text(encoding="utf-8") == "my notes"
    assert main(["export", session_id, "-o", str(elsewhere), "--force"]) == 0
    assert elsewhere.read_text(encoding="utf-8").startswith("# ")
    fresh = tmp_path / "fresh.html"
    assert main(["export", session_id, "--format", "html", "-o", str(fresh)]) == 0
    assert fresh.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


@pytest.fixture
def read_only_home(_own_data_dir: Path, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The data folder, with a stored session, made read-only by a read-only bind mount."""
    session_id, _ = stored_session(_own_data_dir)
    view = tmp_path / "ro-home"
    view.mkdir()
    mounted = subprocess.run(
        ["mount", "--bind", str(_own_data_dir), str(view)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount here: {mounted.stderr.strip()}")
    try:
        ro = subprocess.run(
            ["mount", "-o", "remount,ro,bind", str(view)], capture_output=True, text=True
        )
        if ro.returncode != 0:
            pytest.skip(f"cannot make a read-only mount: {ro.stderr.strip()}")
        yield view, session_id
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)


def test_read_only_data_folder(
    read_only_home: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    home, session_id = read_only_home
    monkeypatch.setenv("STARCOACH_HOME", str(home))
    before = sorted(p.name for p in home.rglob("*"))

    # Recording needs to write: said plainly, before any microphone is asked.
    code = main(["practice", "--question", QUESTION, "--step", "task", "--seconds", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "is not writable" in err and "may be damaged" not in err
    assert "history' and 'starcoach export' still work" in err

    assert main(["history", "--json"]) == 0
    out = capsys.readouterr()
    assert session_id in out.out and "read-only" in out.err

    assert main(["export", session_id, "--format", "md"]) == 0
    assert "# " in capsys.readouterr().out
    report = tmp_path / "report.md"
    assert main(["export", session_id, "-o", str(report)]) == 0
    assert report.exists()

    assert main(["delete", session_id, "--yes"]) == 1
    assert "not writable" in capsys.readouterr().err
    assert sorted(p.name for p in home.rglob("*")) == before  # nothing was touched


def test_content_file_with_many_errors_loads_fast_and_reports_a_few(tmp_path: Path) -> None:
    from starcoach.content import validate_path
    from starcoach.content.loader import MAX_ERRORS_PER_FILE, MAX_FILE_BYTES

    lines = ["id: too-many", "title: Too many", "steps: []"]
    lines += [f"unknown_key_{i}: x" for i in range(200_000)]
    text = "\n".join(lines)[: MAX_FILE_BYTES - 100]
    text = text[: text.rfind("\n")] + "\n"
    unknown = text.count("unknown_key_")
    assert unknown > 40_000
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    errors = validate_path(path)
    took = time.perf_counter() - started
    assert took < 10.0, took  # it was 170 s for 75,000 keys
    assert len(errors) == MAX_ERRORS_PER_FILE + 1
    assert all(e.path == str(path) for e in errors)
    first = next(e for e in errors if "unknown_key_0'" in e.message)
    assert "unknown field" in first.message and "line 4" in first.message
    # Every unknown key and the missing steps are problems; a few are listed, then a count.
    assert f"and {unknown + 1 - MAX_ERRORS_PER_FILE} more problems" in errors[-1].message


def test_analyze_a_truncated_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line analyses what is readable and says the file is cut short."""
    from starcoach import bootstrap
    from tests.support.fakes import ScriptedEngine

    monkeypatch.setattr(bootstrap, "engine_for", lambda model: ScriptedEngine("I pulled the queue"))
    t = np.arange(16000 * 6) / 16000
    noise = np.random.default_rng(2).normal(0, 0.05, t.size)
    sf.write(str(tmp_path / "full.flac"), (0.3 * np.sin(2 * np.pi * 200 * t) + noise), 16000)
    raw = (tmp_path / "full.flac").read_bytes()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(raw[: len(raw) // 2])
    args = ["analyze", str(cut), "--question", QUESTION, "--step", "task", "--json"]
    assert main(args) == 0
    out: Any = capsys.readouterr()
    assert "is cut short" in out.err and "lost sync" not in out.err
    import json

    assert 2.0 < json.loads(out.out)["duration_s"] < 3.2
    empty = tmp_path / "empty.flac"
    empty.write_bytes(raw[:200])
    args[1] = str(empty)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "cut short" in err and err.count("\n") == 1
