"""Screenshots of your own stories: the question bank, the story builder with a draft, the
coverage view, and practice / Study of an own story with its coaching.

Run under Xvfb:
`xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python docs/screenshots/take_stories.py`.
No speech model is needed: nothing is recorded; two past sessions are stored by hand so the
coverage view has scores to show.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STARCOACH_HOME", tempfile.mkdtemp(prefix="starcoach-shots-"))

from PySide6.QtWidgets import QApplication  # noqa: E402

from starcoach.app import build_context, build_window  # noqa: E402
from starcoach.audio.fake import FakeSoundDevice  # noqa: E402
from starcoach.ui.shell import theme  # noqa: E402
from starcoach.ui.stories.dialog import StoriesDialog  # noqa: E402

NOTES = """\
I was an SDE2 on the payments team at a mid-size retailer. Checkout p99 latency had crept up \
to 2.4 seconds and conversion was dropping during peak hours.
The checkout service belonged to another team and nobody had asked me to look at it, but I \
could see it in our dashboards.
I profiled the endpoint with async-profiler and found an N+1 query on the promotions table. \
Then I wrote a batched query and added a cache with a 5 minute TTL. I paired with the checkout \
team's on-call to review the change, and I ran a canary on 5% of traffic for two days.
p99 latency went from 2.4 seconds to 380 ms, and conversion recovered by 1.8% in the first \
week, about $40K a month.
I learned that the fastest fix is often in a service you don't own, so now I always check the \
slowest dependency first.
"""


class _Idle:
    """A transcription engine that is never used here (nothing is recorded)."""

    loaded = True

    def load(self) -> None:
        pass

    def transcribe(self, audio, options=None, progress=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("not used")


def settle(app: QApplication) -> None:
    for _ in range(20):
        app.processEvents()


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    theme.apply(app, "light")
    context = build_context(sd=FakeSoundDevice(), engine=_Idle())
    window = build_window(context)
    window.resize(1280, 800)
    window.show()
    settle(app)

    dialog = StoriesDialog(context, window, tab="builder")
    dialog.resize(1280, 800)
    dialog.show()
    dialog.builder.title.setText("Checkout latency nobody owned")
    dialog.builder.notes.setPlainText(NOTES)
    dialog.builder.make_draft()
    settle(app)
    dialog.grab().save(str(HERE / "story-builder.png"))
    dialog.builder.save()
    settle(app)

    store = context.store
    for question, story, scores in (
        ("ownership-outside-your-role", "checkout-latency-nobody-owned", (82, 74, 88, 61, 55)),
        ("backbone-disagreed-with-manager", "unpopular-opinion", (70, 48, 77, 52, 66)),
    ):
        session = store.create_session(question, "full", "sde1", None, story_id=story)
        for step, score in zip(
            ("situation", "task", "action", "result", "reflection"), scores, strict=True
        ):
            store.record_attempt(
                session.id, step, duration_s=20, transcript=None, feedback=None, score=score
            )
        store.finish_session(session.id)

    dialog.tabs.setCurrentIndex(0)
    dialog.questions.refresh()
    dialog.questions.select_principle("Ownership")
    dialog.questions.select_question("ownership-outside-your-role")
    settle(app)
    dialog.grab().save(str(HERE / "question-bank.png"))

    dialog.coverage.refresh()
    dialog.tabs.setCurrentIndex(2)
    settle(app)
    dialog.grab().save(str(HERE / "coverage.png"))
    dialog.chosen = ("ownership-outside-your-role", "checkout-latency-nobody-owned")
    dialog.close()

    context.library.choose_story(*dialog.chosen)
    context.settings.last_question = "ownership-outside-your-role"
    window._fill_questions()
    window.set_mode("practice")
    page = window.pages["practice"]
    page.controller.go_to_step("action")
    settle(app)
    window.grab().save(str(HERE / "own-story-practice.png"))
    window.set_mode("study")
    window.pages["study"].select_section("steps")
    settle(app)
    window.grab().save(str(HERE / "own-story-study.png"))
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
