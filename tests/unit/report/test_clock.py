"""One way to write a time (starcoach/clock.py), wherever it is shown."""

from __future__ import annotations

import pytest

from starcoach.clock import moment, running
from starcoach.coach import mock, probes
from starcoach.report import session as session_report
from starcoach.report import text as render_text


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0.0, "0:00"), (89.4, "1:29"), (89.5, "1:30"), (0.5, "0:01"), (3723.0, "1:02:03")],
)
def test_a_moment_is_rounded_half_up(seconds: float, shown: str) -> None:
    assert moment(seconds) == shown


def test_a_missing_moment_and_a_running_clock() -> None:
    assert moment(None) == "–" and moment(None, missing="?") == "?"
    assert running(59.9) == "0:59" and running(60.0) == "1:00" and running(None) == "0:00"


def test_every_report_writes_the_same_moment_the_same_way() -> None:
    """Review, the exports, the terminal and the mock report agree on 1:29.5."""
    shown = {
        session_report.clock(89.5),
        render_text._clock(89.5),
        mock._clock(89.5),
        probes._clock(89.5),
    }
    assert shown == {"1:30"}
