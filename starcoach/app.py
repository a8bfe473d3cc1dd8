"""Composition root: builds settings, store, library, engine and the window, and runs them.

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
    from starcoach.content import load_library
    from starcoach.practice import PracticeService
    from starcoach.settings import load_settings
    from starcoach.store import Store
    from starcoach.ui.shell.context import AppContext

    settings, settings_problem = load_settings()
    library = load_library()
    store = Store()
    if engine is None:
        from starcoach.transcribe.whisper_engine import FasterWhisperEngine

        engine = FasterWhisperEngine(settings.model)
    service = PracticeService(store, library, engine, sd=sd)
    context = AppContext(library, store, engine, service, settings, sd=sd)
    problems = [str(e) for e in library.errors]
    if settings_problem:
        problems.append(settings_problem)
    context.extras["problems"] = problems
    return context


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
