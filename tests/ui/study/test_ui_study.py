"""Study mode: every walkthrough reads well, chips and highlights, the quiz, levels, keys."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLayout, QWidget
from pytestqt.qtbot import QtBot

from starcoach.clock import moment
from starcoach.content import Library, QuizQuestion
from starcoach.report.study import (
    found_phrases,
    highlight_html,
    phrase_spans,
    step_timing,
)
from starcoach.settings import Settings
from starcoach.ui.shell import theme
from starcoach.ui.study.page import StudyPage
from starcoach.ui.study.quiz import QuizView
from starcoach.ui.study.widgets import Chips, LevelPanel, study_style_sheet

BUNDLED = [
    "disagree-senior-leader",
    "unpopular-opinion",
    "commitment-difficult-circumstances",
    "have-backbone-disagree-commit",
    "earths-best-employer",
]
SPARSE = ["have-backbone-disagree-commit", "earths-best-employer"]
HEADINGS = ("Label", "Heading", "MistakeLabel", "WeakLabel", "StrongLabel")


def _use_theme(mode: str) -> None:
    """Apply a theme while no Study widgets exist: restyling hundreds of them takes seconds."""
    app = QApplication.instance()
    if theme.current().name != mode or not app.styleSheet():  # type: ignore[union-attr]
        theme.apply(app, mode)  # type: ignore[arg-type]


@pytest.fixture
def make_page(qtbot: QtBot, library: Library) -> Iterator[Callable[..., StudyPage]]:
    made: list[StudyPage] = []

    def make(mode: str = "light", level: str = "sde1") -> StudyPage:
        _use_theme(mode)
        context = SimpleNamespace(library=library, settings=Settings(level=level))
        widget = StudyPage(context)  # type: ignore[arg-type]
        made.append(widget)
        widget.resize(1000, 760)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    yield make
    for widget in made:
        widget.close()
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    _use_theme("light")


@pytest.fixture
def page(make_page: Callable[..., StudyPage]) -> StudyPage:
    return make_page()


def _texts(widget: QWidget, name: str | None = None) -> list[str]:
    return [
        label.text()
        for label in widget.findChildren(QLabel)
        if (name is None or label.objectName() == name) and not label.isHidden()
    ]


def _layout_of(widget: QWidget) -> QLayout | None:
    """The layout (maybe nested) that holds ``widget`` directly."""
    parent = widget.parentWidget()
    stack = [parent.layout()] if parent is not None and parent.layout() is not None else []
    while stack:
        layout = stack.pop()
        if layout.indexOf(widget) >= 0:
            return layout
        for i in range(layout.count()):
            child = layout.itemAt(i).layout()
            if child is not None:
                stack.append(child)
    return None


def _assert_no_empty_headings(column: QWidget) -> None:
    """Every heading is followed (in its layout) by a shown widget with something in it."""
    for heading in column.findChildren(QLabel):
        if heading.objectName() not in HEADINGS or heading.isHidden():
            continue
        assert heading.text().strip()
        layout = _layout_of(heading)
        assert layout is not None, heading.text()
        index = layout.indexOf(heading)
        following = [
            layout.itemAt(i).widget()
            for i in range(index + 1, layout.count())
            if layout.itemAt(i).widget() is not None
        ]
        shown = [w for w in following if not w.isHidden()]
        assert shown, f"heading {heading.text()!r} has nothing under it"
        content = shown[0]
        if isinstance(content, Chips):
            assert content.phrases, heading.text()
            continue
        texts = [content.text()] if isinstance(content, QLabel) else _texts(content)
        assert any(t.strip() for t in texts), f"heading {heading.text()!r} is empty"


# -- rendering -----------------------------------------------------------------------------
@pytest.mark.parametrize("wid", BUNDLED)
def test_every_walkthrough_renders_every_section(
    page: StudyPage, library: Library, wid: str
) -> None:
    w = library.get(wid)
    page.show_walkthrough(w)
    assert page.title.text() == w.title
    assert page.section_keys[:2] == ["overview", "steps"]
    for key in page.section_keys:
        page.select_section(key)
        assert page.current_section() == key
        column = page.column(key)
        assert column is not None
        _assert_no_empty_headings(column)
        bodies = _texts(column, "Body")
        assert bodies and all(b.strip() for b in bodies), key
    if w.quiz:
        assert "quiz" in page.section_keys


@pytest.mark.parametrize("wid", SPARSE)
def test_sparse_walkthroughs_leave_out_what_they_lack(
    page: StudyPage, library: Library, wid: str
) -> None:
    page.show_walkthrough(library.get(wid))
    assert "quiz" not in page.section_keys
    steps = page.column("steps")
    assert steps is not None
    labels = _texts(steps, "Label")
    assert "STRONG EXAMPLE" not in labels and "KEY PHRASES" not in labels
    assert "COACHING" in labels
    assert not steps.findChildren(Chips)
    weak = page.column("weak")
    assert weak is not None
    weak_labels = _texts(weak, "Label") + _texts(weak, "WeakLabel")
    assert weak_labels == ["WHAT A WEAK ANSWER GETS WRONG"]
    probes = page.column("probes")
    assert probes is not None
    assert not _texts(probes, "CardTitle")  # the seed has no probe questions
    assert page.column("quiz") is None


def test_key_phrases_are_chips_and_highlighted(page: StudyPage, library: Library) -> None:
    w = library.get("disagree-senior-leader")
    page.show_walkthrough(w)
    page.select_section("steps")
    column = page.column("steps")
    assert column is not None
    chips = [phrase for widget in column.findChildren(Chips) for phrase in widget.phrases]
    assert all(widget.height() > 10 for widget in column.findChildren(Chips))
    for step in w.steps:
        for phrase in step.key_phrases:
            assert phrase in chips
    assert len(chips) == sum(len(s.key_phrases) for s in w.steps)
    marked = f"background-color:{theme.current().phrase_bg}"
    situation = next(b for b in _texts(column, "Body") if "persistent 0.3% webhook" in b)
    assert f'{marked}; color:{theme.current().phrase_text};">I noticed</span>' in situation
    assert ">nobody had asked</span>" in situation
    # Reflection has no strong example of its own: both levels' reflections stand in.
    reflections = [b for b in _texts(column, "Body") if "organizational" in b]
    assert any(">shared webhook reliability SLO</span>" in b for b in reflections)


def test_highlighting_rules() -> None:
    text = "It was outside my team\u2019s scope. I Noticed it; I noticedx nothing."
    assert found_phrases(text, ["outside my team's scope", "I noticed", "absent"]) == {
        "outside my team's scope",
        "I noticed",
    }
    start = text.index("I Noticed")
    assert phrase_spans(text, ["I noticed"]) == [(start, start + 9)]  # not in "noticedx"
    assert phrase_spans("a b c", ["a b", "b c"]) == [(0, 5)]  # overlaps merge
    html = highlight_html("x < I pulled & more", ["i PULLED"], bg="#ff0", fg="#000")
    assert (
        html == 'x &lt; <span style="background-color:#ff0; color:#000;">I pulled</span> &amp; more'
    )
    assert highlight_html("$8K recovered", ["$8K"], bg="b", fg="f").count("<span") == 1
    assert moment(90) == "1:30" and moment(15) == "0:15"
    assert step_timing(30, 45) == "target 0:30 \u00b7 max 0:45"
    assert step_timing(20, None) == "target 0:20"


# -- quiz ----------------------------------------------------------------------------------
def test_quiz_is_answered_interactively(page: StudyPage, library: Library, qtbot: QtBot) -> None:
    w = library.get("disagree-senior-leader")
    page.show_walkthrough(w)
    page.select_section("quiz")
    column = page.column("quiz")
    assert column is not None
    view = column.findChild(QuizView)
    assert view is not None and len(view.cards) == len(w.quiz)
    assert any("Options written by StarCoach" in t for t in _texts(column, "Small"))

    first = view.cards[0]
    wrong = next(i for i, o in enumerate(first.question.options) if not o.correct)
    right = next(i for i, o in enumerate(first.question.options) if o.correct)
    assert not first.explanation.isVisible() and not first.verdict.isVisible()
    qtbot.mouseClick(first.options[wrong], Qt.MouseButton.LeftButton)
    assert first.explanation.isVisible()
    assert first.question.explanation in " ".join(_texts(first.explanation))
    assert first.verdict.isVisible() and "Not quite" in first.verdict.text()
    assert first.options[wrong].state == "wrong"
    assert first.options[right].state == "correct"
    # Answered is answered: a second click changes nothing.
    qtbot.mouseClick(first.options[right], Qt.MouseButton.LeftButton)
    assert first.chosen == wrong and first.correct is False

    second = view.cards[1]
    right2 = next(i for i, o in enumerate(second.question.options) if o.correct)
    second.options[right2].setFocus()
    qtbot.keyClick(second.options[right2], Qt.Key.Key_Space)
    assert second.verdict.text().endswith("Correct.") and second.explanation.isVisible()
    assert view.score.text().startswith("1 of 2 correct")

    qtbot.mouseClick(view.restart, Qt.MouseButton.LeftButton)
    assert first.chosen is None and not first.explanation.isVisible()
    assert all(o.state == "open" for o in first.options)


def test_quiz_without_options_reveals_the_explanation(
    page: StudyPage, library: Library, qtbot: QtBot
) -> None:
    w = library.get("disagree-senior-leader").model_copy(
        update={"quiz": [QuizQuestion(question="Why quantify?", explanation="Numbers stick.")]}
    )
    page.show_walkthrough(w)
    page.select_section("quiz")
    view = page.column("quiz").findChild(QuizView)  # type: ignore[union-attr]
    card = view.cards[0]
    assert card.reveal is not None and not card.options
    assert not card.explanation.isVisible()
    qtbot.mouseClick(card.reveal, Qt.MouseButton.LeftButton)
    assert card.explanation.isVisible() and not card.reveal.isVisible()
    assert "Numbers stick." in " ".join(_texts(card.explanation))


# -- level ---------------------------------------------------------------------------------
def _current(panels: list[LevelPanel]) -> list[str]:
    return [p.level for p in panels if p.property("current") == "true"]


def test_set_level_moves_the_emphasis(page: StudyPage, library: Library) -> None:
    page.show_walkthrough(library.get("disagree-senior-leader"))
    angles = page.column("angles")
    steps = page.column("steps")
    assert angles is not None and steps is not None
    assert _current(angles.level_panels) == ["sde1"]
    assert _current(steps.level_panels) == ["sde1"]  # the reflection step's two examples
    sde1 = next(p for p in angles.level_panels if p.level == "sde1")
    senior = next(p for p in angles.level_panels if p.level == "senior")
    page.select_section("angles")
    assert sde1.yours.isVisible() and not senior.yours.isVisible()

    page.set_level("senior")
    assert _current(angles.level_panels) == ["senior"]
    assert _current(steps.level_panels) == ["senior"]
    assert senior.yours.isVisible() and not sde1.yours.isVisible()

    # A section laid out after the change starts with the new level.
    page.show_walkthrough(library.get("unpopular-opinion"))
    overview = page.column("overview")
    assert overview is not None and _current(overview.level_panels) == ["senior"]


# -- keyboard ------------------------------------------------------------------------------
def _activate(page: StudyPage, qtbot: QtBot) -> None:
    page.activateWindow()
    page.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)


def test_keyboard_switches_sections(page: StudyPage, library: Library, qtbot: QtBot) -> None:
    page.show_walkthrough(library.get("disagree-senior-leader"))
    _activate(page, qtbot)
    ctrl = Qt.KeyboardModifier.ControlModifier
    shift = Qt.KeyboardModifier.ShiftModifier
    alt = Qt.KeyboardModifier.AltModifier
    assert page.current_section() == "overview"
    qtbot.keyClick(page, Qt.Key.Key_Tab, ctrl)
    assert page.current_section() == "steps"
    qtbot.keyClick(page, Qt.Key.Key_Backtab, ctrl | shift)
    assert page.current_section() == "overview"
    qtbot.keyClick(page, Qt.Key.Key_Backtab, ctrl | shift)
    assert page.current_section() == "quiz"  # wraps around
    qtbot.keyClick(page, Qt.Key.Key_3, alt)
    assert page.current_section() == "probes"
    assert page.stack.currentIndex() == page.tabs.currentIndex()

    # No quiz here: Alt+6 does nothing, Ctrl+Tab skips it.
    page.show_walkthrough(library.get("have-backbone-disagree-commit"))
    assert page.current_section() == "probes"  # the section stays where it was
    qtbot.keyClick(page, Qt.Key.Key_6, alt)
    assert page.current_section() == "probes"
    qtbot.keyClick(page, Qt.Key.Key_5, alt)
    assert page.current_section() == "angles"
    qtbot.keyClick(page, Qt.Key.Key_Tab, ctrl)
    assert page.current_section() == "overview"


def test_switching_question_is_quick(page: StudyPage, library: Library) -> None:
    page.show_walkthrough(library.get("disagree-senior-leader"))
    page.select_section("steps")
    app = QApplication.instance()
    timings = []
    for wid in BUNDLED * 2:
        start = time.perf_counter()
        page.show_walkthrough(library.get(wid))
        app.processEvents()  # type: ignore[union-attr]
        timings.append(time.perf_counter() - start)
    # About 60 ms here for the heaviest (Steps of a full walkthrough, laid out and painted);
    # generous so a loaded CI machine does not flake.
    assert sorted(timings)[len(timings) // 2] < 0.3, timings


# -- screenshots ---------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_screenshot(
    make_page: Callable[..., StudyPage], library: Library, tmp_path: Path, mode: str
) -> None:
    page = make_page(mode)
    page.show_walkthrough(library.get("disagree-senior-leader"))
    page.resize(1000, 760)
    for key in page.section_keys:
        page.select_section(key)
        shot = tmp_path / f"study-{key}.png"
        assert page.grab().save(str(shot))
        assert shot.stat().st_size > 0


def test_follows_a_theme_change(page: StudyPage, library: Library, qtbot: QtBot) -> None:
    page.show_walkthrough(library.get("disagree-senior-leader"))  # Overview only: cheap to restyle
    app = QApplication.instance()
    study_rule = study_style_sheet(theme.LIGHT).strip().splitlines()[0]
    assert study_rule in app.styleSheet()  # type: ignore[union-attr]
    theme.apply(app, "dark")  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: study_style_sheet(theme.DARK) in app.styleSheet())  # type: ignore[union-attr]
    assert page.current_section() == "overview" and page.column("overview") is not None


def test_coming_back_keeps_the_place(page: StudyPage, library: Library, qtbot: QtBot) -> None:
    w = library.get("disagree-senior-leader")
    page.show_walkthrough(w)
    page.select_section("quiz")
    view = page.column("quiz").findChild(QuizView)  # type: ignore[union-attr]
    qtbot.mouseClick(view.cards[0].options[0], Qt.MouseButton.LeftButton)
    page.show_walkthrough(library.get(w.id))  # e.g. back from Guided practice
    assert page.current_section() == "quiz"
    assert page.column("quiz").findChild(QuizView) is view  # type: ignore[union-attr]
    assert view.cards[0].chosen == 0
    page.show_walkthrough(library.get("unpopular-opinion"))
    fresh = page.column("quiz").findChild(QuizView)  # type: ignore[union-attr]
    assert fresh is not view and fresh.cards[0].chosen is None
