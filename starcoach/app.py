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
    from starcoach.ui.shell.context import AppContext
    from starcoach.ui.shell.main_window import MainWindow

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
    pages = {
        "study": StudyPage(context),
        "practice": PracticePage(context, loader),
        "mock": MockPage(context, loader),
        "review": ReviewPage(context),
    }
    window = MainWindow(context, pages, loader)
    loader.setParent(window)
    return window


def run_app(argv: list[str] | None = None) -> int:
    """Open the window (the Qt side lives in starcoach/ui/application.py)."""
    from starcoach.ui.shell.application import run

    return run(build_context, build_window, argv if argv is not None else sys.argv)
