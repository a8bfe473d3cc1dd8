"""The window's question bank, story builder and coverage view; practising your own story
with coaching; Study labels your text as your notes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from starcoach.audio.fake import FakeSoundDevice
from starcoach.paths import user_content_dir
from tests.support.fakes import ScriptedEngine
from tests.unit.content.test_story_draft import PROSE


def _window(qtbot: Any):  # type: ignore[no-untyped-def]
    from starcoach.app import build_context, build_window

    context = build_context(sd=FakeSoundDevice(), engine=ScriptedEngine("hi"))
    window = build_window(context)
    qtbot.addWidget(window)
    window.show()
    return context, window


def _texts(widget: Any) -> str:
    return "\n".join(lab.text() for lab in widget.findChildren(QLabel))


def test_pick_a_question_and_the_story_that_answers_it(qtbot: Any) -> None:
    from starcoach.ui.stories.dialog import StoriesDialog

    context, window = _window(qtbot)

    def pick() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, StoriesDialog)
        tab = dialog.questions
        assert tab.principles.count() == 17  # "All principles" + sixteen
        tab.select_principle("Have Backbone; Disagree and Commit")
        assert "commit fully" in tab.meaning.text()
        tab.select_question("backbone-disagreed-with-manager")
        first = tab.stories.item(0).text()
        assert first.startswith("★ ") and "tagged Have Backbone" in first
        tab.stories.setCurrentRow(0)
        tab.go.click()

    QTimer.singleShot(50, pick)
    window.open_stories()
    practised = window.pages["practice"].walkthrough
    assert practised.id == "backbone-disagreed-with-manager"
    assert practised.title == "Tell Me About a Time You Disagreed With Your Manager"
    assert window.current_mode() == "practice"
    story_id = context.library.chosen_stories["backbone-disagreed-with-manager"]
    session = context.service.new_session(practised.id, "step", "sde1")
    assert session.story_id == story_id
    window.close()


def test_story_builder_drafts_and_saves_an_own_story_with_coaching(qtbot: Any) -> None:
    from starcoach.ui.stories.dialog import StoriesDialog

    context, window = _window(qtbot)
    dialog = StoriesDialog(context, window, tab="builder")
    qtbot.addWidget(dialog)
    builder = dialog.builder
    builder.save()  # nothing drafted yet: nothing happens
    builder.make_draft()
    assert "Write or paste" in builder.errors.text()
    builder.notes.setPlainText(PROSE)
    builder.title.setText("Checkout latency nobody owned")
    builder.make_draft()
    text = builder.yaml.toPlainText()
    assert "kind: story" in text and "I profiled the endpoint" in text
    preview = _texts(builder.preview_host)
    assert "Your notes:" in preview and "STRONG EXAMPLE" not in preview.upper().replace(
        "YOUR NOTES", ""
    )
    # An edit in the text is what gets saved.
    builder.yaml.setPlainText(text.replace("title: Checkout", "title: The checkout"))
    builder.save()
    assert (user_content_dir() / "checkout-latency-nobody-owned.yaml").is_file()
    assert dialog.saved_ids == ["checkout-latency-nobody-owned"]
    story = context.library.story("checkout-latency-nobody-owned")
    assert story.title == "The checkout latency nobody owned"
    builder.save()  # the same id again is refused, in words
    assert "exists" in builder.errors.text()

    composed = context.library.choose_story("ownership-outside-your-role", story.id)
    assert '"I"' in composed.step("action").coaching
    assert "For Ownership:" in composed.step("action").coaching
    window._fill_questions()
    window.set_mode("study")
    for row in range(window.questions.count()):
        if window.questions.item(row).data(256) == "ownership-outside-your-role":
            window.questions.setCurrentRow(row)
    window.pages["study"].select_section("steps")
    study = _texts(window.pages["study"].column("steps"))
    assert "YOUR NOTES" in study and "STRONG EXAMPLE" not in study
    window.set_mode("practice")
    page = window.pages["practice"]
    assert page.walkthrough.id == "ownership-outside-your-role"
    assert page.coaching.text()  # the rubric, never an empty panel
    dialog.close()
    window.close()


def test_coverage_view(qtbot: Any) -> None:
    from starcoach.ui.stories.dialog import StoriesDialog

    context, window = _window(qtbot)
    session = context.store.create_session(
        "ownership-outside-your-role", "step", "sde1", None, story_id="unpopular-opinion"
    )
    context.store.record_attempt(
        session.id, "result", duration_s=20, transcript=None, feedback=None, score=48
    )
    dialog = StoriesDialog(context, window, tab="coverage")
    qtbot.addWidget(dialog)
    view = dialog.coverage
    table = view.table
    assert table.rowCount() == 17
    rows = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    cols = [table.horizontalHeaderItem(c).toolTip() for c in range(table.columnCount())]
    col = cols.index(context.library.story("unpopular-opinion").title)
    assert table.item(0, col).text() == "48"
    assert table.item(rows.index("Ownership"), col).text() == "✓"
    assert table.item(rows.index("Frugality"), col).text() == ""
    assert "Practise the result of" in view.plan.text()
    assert "Frugality" in view.uncovered.text()
    dialog.close()
    shown = window.show_next_drill()  # what the window says at start-up
    assert shown.startswith("Next: Practise the result of")
    assert window.statusBar().currentMessage() == shown
    window.close()
