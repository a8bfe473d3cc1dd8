"""Own stories from inside the app: the form, validation, and the story in every mode."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from starcoach.audio.fake import FakeSoundDevice
from tests.support.fakes import ScriptedEngine


def test_write_a_story_and_practise_it(qtbot: Any) -> None:
    from starcoach.app import build_context, build_window
    from starcoach.ui.stories.editor import StoryEditor

    context = build_context(sd=FakeSoundDevice(), engine=ScriptedEngine("hi"))
    window = build_window(context)
    qtbot.addWidget(window)
    window.show()

    def fill() -> None:
        editor = QApplication.activeModalWidget()
        assert isinstance(editor, StoryEditor)
        editor.base.setCurrentIndex(editor.base.findData("disagree-senior-leader"))
        editor.title.setText("My manager and the flaky deploys")
        assert editor.story_id.text() == "my-manager-and-the-flaky-deploys"
        editor.targets["task"].setValue(25)
        editor.examples["action"].setPlainText("I pulled the deploy logs and I wrote the fix.")
        # An invalid id is refused with the field named; the dialog stays open.
        editor.story_id.setText("Not A Slug!")
        editor.save()
        assert editor.isVisible() and "id" in editor.errors.text()
        editor.story_id.setText("my-deploys")
        editor.save()

    QTimer.singleShot(50, fill)
    window.new_story()
    story = context.library.get("my-deploys")
    assert story.step("task").target_s == 25
    assert story.step("action").key_phrases  # taken from the question it is based on
    assert window.walkthrough is not None and window.walkthrough.id == "my-deploys"
    for mode in ("study", "practice", "mock", "review"):
        window.set_mode(mode)
    assert window.pages["practice"].walkthrough.id == "my-deploys"
    window.close()
