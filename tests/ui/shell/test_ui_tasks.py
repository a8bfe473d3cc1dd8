"""The one task runner: store jobs one at a time in order, other work beside them."""

from __future__ import annotations

import threading
from typing import Any

from starcoach.ui.shell.tasks import run_in_background, wait_for_background

OVERLAP_PROBE_S = 0.5  # how long the first job listens for a second one running beside it


def _jobs(lane: str) -> tuple[list[str], bool]:
    second_started = threading.Event()
    order: list[str] = []
    overlapped: list[bool] = []

    def first() -> None:
        order.append("first")
        overlapped.append(second_started.wait(OVERLAP_PROBE_S))

    def second() -> None:
        second_started.set()
        order.append("second")

    run_in_background(None, first, lane=lane)  # type: ignore[arg-type]
    run_in_background(None, second, lane=lane)  # type: ignore[arg-type]
    assert wait_for_background(10_000)
    return order, overlapped[0]


def test_store_jobs_run_one_at_a_time_in_order(qapp: Any) -> None:
    order, overlapped = _jobs("store")
    assert order == ["first", "second"] and not overlapped


def test_other_work_runs_beside_them(qapp: Any) -> None:
    _, overlapped = _jobs("any")
    assert overlapped  # the first job heard the second start: the probe above can tell


def test_results_come_back_on_the_ui_thread(qtbot: Any) -> None:
    seen: list[bool] = []
    ui = threading.current_thread()
    run_in_background(
        None,
        lambda: 42,
        lambda r: seen.append(threading.current_thread() is ui and r == 42),
        lane="store",
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert seen == [True]
