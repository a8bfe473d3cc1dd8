"""The sections of Study mode, each laid out into a reading Column from one walkthrough.

Every builder shows only what the walkthrough has: a heading is added together with its
content or not at all, so the sparse walkthroughs (000, 004) never show an empty heading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from starcoach.clock import moment
from starcoach.content import LEVEL_ORDER, Step, Walkthrough
from starcoach.report.study import (
    STEP_LETTERS,
    highlight_html,
    step_timing,
    text_html,
)
from starcoach.ui.shell.theme import Theme
from starcoach.ui.study.quiz import QuizView
from starcoach.ui.study.widgets import (
    Box,
    Column,
    LevelPanel,
    badge,
    body,
    caps,
    chips,
    label,
    pill,
)

LEVEL_TITLES = {"sde1": "SDE1 / SDE2", "senior": "Senior"}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    has: Callable[[Walkthrough], bool]
    build: Callable[[Walkthrough, Theme, Column], None]


def level_title(w: Walkthrough, level: str) -> str:
    guidance = w.level(level)
    return (guidance.label if guidance and guidance.label else None) or LEVEL_TITLES[level]


def reflection_for(w: Walkthrough, level: str) -> str | None:
    guidance = w.level(level)
    if guidance and guidance.reflection:
        return guidance.reflection
    return w.reflections.sde2 if level == "sde1" else w.reflections.senior


def _quote(text: str) -> str:
    return f"\u201c{text_html(text)}\u201d"


def _intro(col: Column, text: str) -> None:
    col.add(label(text, "Muted"))


def _row(*widgets: QWidget, spacing: int = 12) -> QWidget:
    holder = QWidget()
    h = QHBoxLayout(holder)
    h.setContentsMargins(0, 0, 0, 0)
    h.setSpacing(spacing)
    for w in widgets:
        h.addWidget(w, 1)
    return holder


# -- Overview ------------------------------------------------------------------------------
def has_overview(w: Walkthrough) -> bool:
    return True  # the five steps and their timing are always there


def build_overview(w: Walkthrough, t: Theme, col: Column) -> None:
    if w.scenario.overview:
        col.add(Box().add(caps("The story"), body(text_html(w.scenario.overview))))
    if w.scenario.summary:
        col.add(Box().add(caps("Why it works"), body(text_html(w.scenario.summary))))

    col.heading("Timing")
    _intro(col, "Target time for each step, and the whole answer at each level.")
    col.add(_row(*(_timing_tile(step) for step in w.steps), spacing=10))
    panels = []
    for level in LEVEL_ORDER:
        guidance = w.level(level)
        if guidance and guidance.time_text:
            panel = col.panel(LevelPanel(level, level_title(w, level), compact=True))
            panel.add(label(guidance.time_text, "Body"))
            panels.append(panel)
    if panels:
        col.add(_row(*panels))


def _timing_tile(step: Step) -> QWidget:
    tile = Box("Tile", margins=12, spacing=4)
    head = QHBoxLayout()
    head.setSpacing(8)
    head.addWidget(badge(STEP_LETTERS[step.name], 24, "SmallBadge"))
    head.addWidget(label(step.name.capitalize(), "Muted", select=False), 1)
    tile.v.addLayout(head)
    tile.add(label(moment(step.target_s), "TileTime", select=False))
    tile.add(label(f"max {moment(step.max_s)}" if step.max_s else "target", "Small", select=False))
    return tile


# -- Steps ---------------------------------------------------------------------------------
def has_steps(w: Walkthrough) -> bool:
    return True


def build_steps(w: Walkthrough, t: Theme, col: Column) -> None:
    _intro(
        col,
        (
            "Each step in your notes, with what a strong step contains."
            if w.examples_are_notes
            else "Each step as a strong answer tells it."
        )
        + " Highlighted: the phrases a bar raiser listens for.",
    )
    for step in w.steps:
        col.add(_step_card(w, step, t, col))


def _step_card(w: Walkthrough, step: Step, t: Theme, col: Column) -> QWidget:
    card = Box(spacing=12)
    head = QHBoxLayout()
    head.setSpacing(14)
    head.addWidget(badge(STEP_LETTERS[step.name]))
    head.addWidget(label(step.name.capitalize(), "CardTitle", select=False), 1)
    head.addWidget(pill(step_timing(step.target_s, step.max_s), "Timing"))
    card.v.addLayout(head)

    inner = Box("StudyHost", margins=0, spacing=8)
    inner.v.setContentsMargins(48, 0, 0, 0)
    card.add(inner)

    def marked(text: str) -> str:
        return highlight_html(text, step.key_phrases, bg=t.phrase_bg, fg=t.phrase_text)

    if step.strong_example:
        heading = "Your notes" if w.examples_are_notes else "Strong example"
        inner.block(caps(heading), body(marked(step.strong_example)))
    elif step.name == "reflection":
        panels = []
        for level in LEVEL_ORDER:
            text = reflection_for(w, level)
            if text:
                panel = col.panel(LevelPanel(level, level_title(w, level), compact=True))
                panel.add(body(marked(text)))
                panels.append(panel)
        if panels:
            inner.block(caps("Strong example, by level"), *panels)
    if step.key_phrases:
        inner.block(caps("Key phrases"), chips(step.key_phrases))
    if step.coaching:
        inner.block(caps("Coaching"), body(text_html(step.coaching)))
    if step.common_mistake:
        note = Box("Mistake", margins=14, spacing=6)
        note.add(
            caps("\u26a0  Common mistake", "MistakeLabel"), body(text_html(step.common_mistake))
        )
        inner.block(note)
    return card


# -- Probes --------------------------------------------------------------------------------
def has_probes(w: Walkthrough) -> bool:
    return bool(w.probes)


def build_probes(w: Walkthrough, t: Theme, col: Column) -> None:
    _intro(
        col, "Follow-ups an interviewer may ask next. Read the weak answer, then the strong one."
    )
    n = len(w.probes)
    for i, probe in enumerate(w.probes, 1):
        card = Box(spacing=12)
        card.add(caps(f"Follow-up {i} of {n}"))
        if probe.question:
            card.add(label(probe.question, "CardTitle"))
        if probe.probes:
            card.add(body(f"<b>What it probes:</b> {text_html(probe.probes)}"))
        if probe.weak_answer or probe.weak_why:
            weak = Box("Weak", margins=14, spacing=6)
            weak.add(caps("\u2717  Weak answer", "WeakLabel"))
            if probe.weak_answer:
                weak.add(body(f"<i>{_quote(probe.weak_answer)}</i>"))
            if probe.weak_why:
                weak.add(body(f"<b>Why it fails:</b> {text_html(probe.weak_why)}"))
            card.add(weak)
        if probe.strong_answer or probe.key_line:
            strong = Box("Strong", margins=14, spacing=6)
            strong.add(caps("\u2713  Strong answer", "StrongLabel"))
            if probe.strong_answer:
                strong.add(body(text_html(probe.strong_answer)))
            if probe.key_line:
                strong.add(body(f"<b>Key line:</b> {_quote(probe.key_line)}"))
            card.add(strong)
        col.add(card)


# -- Weak answer ---------------------------------------------------------------------------
def has_weak(w: Walkthrough) -> bool:
    weak = w.weak_answer
    return bool(weak and (weak.text or weak.critique or weak.bar_raiser_thinks))


def build_weak(w: Walkthrough, t: Theme, col: Column) -> None:
    weak = w.weak_answer
    assert weak is not None
    if weak.text:
        _intro(col, "The whole answer told weakly, and what a bar raiser makes of it.")
        box = Box("Weak", margins=16, spacing=8)
        box.add(caps("\u2717  The weak answer", "WeakLabel"), body(f"<i>{_quote(weak.text)}</i>"))
        col.add(box)
    if weak.critique:
        card = Box(spacing=10)
        card.add(caps("What goes wrong" if weak.text else "What a weak answer gets wrong"))
        for point in weak.critique:
            card.add(_bullet(point))
        col.add(card)
    if weak.bar_raiser_thinks:
        verdict = Box("Verdict", margins=16, spacing=6)
        verdict.add(
            caps("The bar raiser thinks"), body(f"<b>{text_html(weak.bar_raiser_thinks)}</b>")
        )
        col.add(verdict)


def _bullet(text: str) -> QWidget:
    holder = QWidget()
    h = QHBoxLayout(holder)
    h.setContentsMargins(0, 0, 0, 0)
    h.setSpacing(10)
    cross = label("\u2717", "Cross", select=False)
    cross.setFixedWidth(14)
    h.addWidget(cross, 0, Qt.AlignmentFlag.AlignTop)
    h.addWidget(body(text_html(text)), 1)
    return holder


# -- Angles & levels -----------------------------------------------------------------------
def has_angles(w: Walkthrough) -> bool:
    return bool(w.angles or _has_levels(w))


def _has_levels(w: Walkthrough) -> bool:
    return any(g.focus or g.reflection or g.bar or g.time_text for g in w.levels) or bool(
        w.reflections.sde2 or w.reflections.senior
    )


def build_angles(w: Walkthrough, t: Theme, col: Column) -> None:
    if _has_levels(w):
        col.heading("Levels", space_before=0)
        _intro(col, "Both levels side by side; yours is highlighted (change it in the sidebar).")
        panels = []
        for level in LEVEL_ORDER:
            guidance = w.level(level)
            reflection = reflection_for(w, level)
            if not (guidance or reflection):
                continue
            panel = col.panel(LevelPanel(level, level_title(w, level)))
            if guidance and guidance.time_text:
                panel.v.addWidget(pill(guidance.time_text, "Timing"), 0, Qt.AlignmentFlag.AlignLeft)
            if guidance and guidance.focus:
                panel.block(caps("Focus"), body(text_html(guidance.focus)))
            if reflection:
                panel.block(caps("Reflection"), body(f"<i>{_quote(reflection)}</i>"))
            if guidance and guidance.bar:
                panel.block(caps("The bar"), body(text_html(guidance.bar)))
            panel.v.addStretch(1)
            panels.append(panel)
        col.add(_row(*panels, spacing=14))
    if w.angles:
        col.heading("The same story, other principles", space_before=14 if _has_levels(w) else 0)
        _intro(col, "How to retell this story when the question targets another principle.")
        for i, angle in enumerate(w.angles, 1):
            card = Box(spacing=10)
            card.add(label(angle.principle or f"Angle {i}", "CardTitle"))
            grid = QGridLayout()
            grid.setHorizontalSpacing(16)
            grid.setVerticalSpacing(10)
            rows = (
                ("Lead with", angle.lead),
                ("Emphasize", angle.emphasize),
                ("Downplay", angle.downplay),
            )
            r = 0
            for name, text in rows:
                if not text:
                    continue
                head = caps(name)
                head.setFixedWidth(96)
                grid.addWidget(head, r, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(body(text_html(text)), r, 1)
                r += 1
            grid.setColumnStretch(1, 1)
            card.v.addLayout(grid)
            col.add(card)


# -- Quiz ----------------------------------------------------------------------------------
def has_quiz(w: Walkthrough) -> bool:
    return bool(w.quiz)


def build_quiz(w: Walkthrough, t: Theme, col: Column) -> None:
    col.add(QuizView(w.quiz))


SECTIONS: tuple[Section, ...] = (
    Section("overview", "Overview", has_overview, build_overview),
    Section("steps", "Steps", has_steps, build_steps),
    Section("probes", "Probes", has_probes, build_probes),
    Section("weak", "Weak answer", has_weak, build_weak),
    Section("angles", "Angles && levels", has_angles, build_angles),
    Section("quiz", "Quiz", has_quiz, build_quiz),
)
