"""Contrast of the themes, computed from their palettes (WCAG 2): text at least 4.5:1 on every
ground it is drawn on, focus rings and control edges at least 3:1."""

from __future__ import annotations

import pytest

from starcoach.ui.shell import theme
from starcoach.ui.shell.theme import DARK, LIGHT, Theme, contrast

TEXT = 4.5
NON_TEXT = 3.0
GROUNDS = ("bg", "surface", "raised")
"""Window, cards and fields, buttons and selected rows."""
TEXT_COLOURS = ("text", "muted", "accent", "ok", "warn", "alarm", "mistake")
"""Every colour text is written in on those grounds (titles, hints, links, scores, clock)."""


@pytest.mark.parametrize("t", [LIGHT, DARK], ids=lambda t: t.name)
@pytest.mark.parametrize("ground", GROUNDS)
@pytest.mark.parametrize("colour", TEXT_COLOURS)
def test_text_on_every_ground(t: Theme, ground: str, colour: str) -> None:
    ratio = contrast(getattr(t, colour), getattr(t, ground))
    assert ratio >= TEXT, f"{t.name}: {colour} on {ground} is {ratio:.2f}:1"


@pytest.mark.parametrize("t", [LIGHT, DARK], ids=lambda t: t.name)
def test_text_on_filled_controls(t: Theme) -> None:
    pairs = {
        "Primary button, checked Segment (Senior), current step pill": (t.accent_text, t.accent),
        "Record button": (t.on_alarm, t.alarm),
        "heard key phrase": (t.phrase_text, t.phrase_bg),
        "word being played": (t.text, t.current_word),
        "tooltip": (t.text, t.surface),
    }
    for what, (fg, bg) in pairs.items():
        ratio = contrast(fg, bg)
        assert ratio >= TEXT, f"{t.name}: {what} is {ratio:.2f}:1"


@pytest.mark.parametrize("t", [LIGHT, DARK], ids=lambda t: t.name)
@pytest.mark.parametrize("ground", GROUNDS)
def test_focus_ring_and_control_edges(t: Theme, ground: str) -> None:
    for role in ("focus", "control"):
        ratio = contrast(getattr(t, role), getattr(t, ground))
        assert ratio >= NON_TEXT, f"{t.name}: {role} on {ground} is {ratio:.2f}:1"


def test_the_sheet_draws_focus_and_record_from_the_palette() -> None:
    for t in (LIGHT, DARK):
        sheet = theme.style_sheet(t)
        assert f"border: 2px solid {t.focus}" in sheet
        assert f"color: {t.on_alarm}" in sheet
        assert "color: white" not in sheet


def test_contrast_formula() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
