"""Composition root: the services (starcoach.bootstrap, shared with the command line), the
window and its pages, and running them.

The window is up before the speech model loads (ModelLoader does that in the background),
and nothing here blocks on the model: ``starcoach`` opens in well under 2 s.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starcoach.ui.mock.page import MockPage
    from starcoach.ui.practice.page import PracticePage
    from starcoach.ui.shell.context import AppContext
    from starcoach.ui.shell.main_window import MainWindow
    from starcoach.ui.shell.page import Page

log = logging.getLogger(__name__)


def build_context(sd: Any | None = None, engine: Any | None = None) -> AppContext:
    """The window's services: built by starcoach.bootstrap, as the command line's are."""
    from starcoach.bootstrap import build_services
    from starcoach.ui.shell.context import AppContext

    s = build_services(engine=engine, sd=sd)
    return AppContext(
        s.library, s.store, s.engine, s.service, s.settings, sd=sd, problems=s.problems
    )


def build_window(context: AppContext) -> MainWindow:
    from starcoach.coach.coach import warm_up
    from starcoach.ui.mock.page import MockPage
    from starcoach.ui.practice.page import PracticePage
    from starcoach.ui.review.page import ReviewPage
    from starcoach.ui.shell.main_window import MainWindow
    from starcoach.ui.shell.model_loader import ModelLoader
    from starcoach.ui.study.page import StudyPage

    library = context.library
    first = next(iter(library.walkthroughs.values()), None)
    loader = ModelLoader(
        context.engine, warm_up=None if first is None else (lambda: warm_up(first))
    )
    practice, mock = PracticePage(context, loader), MockPage(context, loader)
    _history_signals(context, practice, mock)
    pages: dict[str, Page] = {
        "study": StudyPage(context),
        "practice": practice,
        "mock": mock,
        "review": ReviewPage(context),
    }
    window = MainWindow(context, pages, loader)
    loader.setParent(window)
    return window


def _history_signals(context: AppContext, practice: PracticePage, mock: MockPage) -> None:
    """What writes the history tells ``context.history.changed`` (Review listens): a practice
    take or verdict, a mock's report and its judged follow-ups."""
    changed = context.history.changed
    practice.controller.feedback_ready.connect(lambda *_: changed.emit())
    practice.controller.verdict_ready.connect(lambda *_: changed.emit())
    mock.controller.report_ready.connect(lambda *_: changed.emit())
    mock.controller.state_changed.connect(
        lambda state: changed.emit() if state == "probe-judged" else None
    )


def run_app(argv: list[str] | None = None) -> int:
    """Open the window (the Qt side lives in starcoach/ui/shell/application.py)."""
    from starcoach.ui.shell.application import run

    return run(build_context, build_window, argv if argv is not None else sys.argv)
