"""The STAR steps, defined once: their names in answer order and how they are shown.

A leaf like clock.py (imports nothing of StarCoach), so the content schema, the store, the
coach, the reports and the command line all read the same list.
"""

from __future__ import annotations

from typing import Literal, get_args

StepName = Literal["situation", "task", "action", "result", "reflection"]
STEP_ORDER: tuple[StepName, ...] = get_args(StepName)
STEP_TITLES: dict[str, str] = {step: step.capitalize() for step in STEP_ORDER}
"""Situation, Task, Action, Result, Reflection."""
STEP_LETTERS: dict[str, str] = dict(zip(STEP_ORDER, "STARL", strict=True))
"""The keys that mark a section in a mock, and the pills' short names (Reflection is L)."""
