"""Mock interview in the real window: one take, marks, split, report, probes, saved."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt

from starcoach.audio.fake import FakeSoundDevice
from starcoach.content import STEP_ORDER, load_library
from tests.support.fakes import ScriptedEngine
from tests.ui.practice.test_ui_practice import make_window


def whole_answer() -> str:
    w = load_library().get("disagree-senior-leader")
    parts = [w.step(s).strong_example or w.reflections.senior or "" for s in STEP_ORDER]
    return " ".join(parts)


def tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * 16000), dtype=np.float32) / 16000
    return (0.2 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)


def test_mock_take_marks_split_report_probes_and_saved(qtbot: Any) -> None:
    sd = FakeSoundDevice(audio=tone(60), end="silence", interval_s=0.01)
    engine = ScriptedEngine(whole_answer())
    window = make_window(qtbot, sd, engine)
    window.set_mode("mock")
    page = window.pages["mock"]
    c = page.controller
    assert "the whole answer in" in page.limit.text()

    qtbot.keyClick(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.state == "recording", timeout=5000)
    qtbot.keyClick(page, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: c.take.elapsed_s > 3, timeout=5000)
    qtbot.keyClick(page, Qt.Key.Key_Tab)  # Task starts now
    assert set(c.marks) == {"situation", "task"}
    qtbot.waitUntil(lambda: c.take.elapsed_s > 10, timeout=10000)
    qtbot.keyClick(page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.state == "report", timeout=20000)

    report = page.report.toPlainText()
    assert "Verdict" in report and "fix next" in report.lower()
    assert page.timeline.isVisible()
    result = c.result
    assert result.split.section("task").marked
    before = result.section("action").start_s
    room = result.section("result").start_s - before
    # Drag the Action boundary later: the split and the report follow.
    page.timeline.move_boundary("action", before + room / 2)
    assert abs(c.result.section("action").start_s - (before + room / 2)) < 0.05

    # Follow-up probes, answered aloud.
    engine.words = (
        "I gathered the logs myself and I wrote the fix and I measured the drop from "
        "0.3% to zero, about $8K per week."
    ).split()
    probes = len(c.result.probes)
    assert probes >= 1
    for _ in range(probes):
        qtbot.keyClick(page, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: c.state == "probe")
        assert "FOLLOW-UP" in page.kicker.text()
        qtbot.keyClick(page, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: c.state == "probe-recording", timeout=5000)
        qtbot.waitUntil(lambda: c.take is not None and c.take.elapsed_s > 2, timeout=5000)
        qtbot.keyClick(page, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: c.state == "probe-judged", timeout=20000)
    qtbot.keyClick(page, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: c.state == "idle")
    assert all(p.judgement is not None for p in c.result.probes)

    (session,) = window.context.store.list_sessions()
    assert session.mode == "mock" and session.verdict is not None
    steps = [a.step for a in session.attempts]
    assert "answer" in steps and set(STEP_ORDER) <= set(steps)
    assert sum(s.startswith("probe-") for s in steps) == probes
    # Review shows it like any session (sections coached; the take and probes listed too).
    window.set_mode("review")
    review = window.pages["review"]
    assert review.sessions.row_ids() == [session.id]
    window.close()
