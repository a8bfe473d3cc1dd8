"""The Qt application around the window: names, icon, theme, the event loop."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from starcoach import __version__, paths
from starcoach.errors import StarCoachError
from starcoach.ui.shell import theme
from starcoach.ui.shell.tasks import wait_for_background

log = logging.getLogger(__name__)

JOIN_TIMEOUT_MS = 120_000


def run(
    build_context: Callable[[], Any], build_window: Callable[[Any], Any], argv: list[str]
) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("StarCoach")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("StarCoach")
    app.setDesktopFileName("starcoach")  # Wayland matches the window to the menu entry
    icon_path = paths.resources_dir() / "icons" / "starcoach.svg"
    if icon_path.exists():
        app.setWindowIcon(QIcon(str(icon_path)))
    try:
        context = build_context()
    except StarCoachError as exc:
        QMessageBox.critical(None, "StarCoach cannot start", str(exc))
        return 1
    theme.apply(app, context.settings.theme)
    window = build_window(context)
    window.show()
    # After the first paint: load the model, report problems, offer crashed recordings back.
    QTimer.singleShot(0, window.loader.start)
    QTimer.singleShot(50, window.after_start)
    code = app.exec()
    # A job may still be storing a take (Stop pressed just before closing): let it finish
    # before the store goes away, so nothing it writes is lost.
    if not wait_for_background(JOIN_TIMEOUT_MS):
        log.warning("background jobs still running after %d ms; closing anyway", JOIN_TIMEOUT_MS)
    context.store.close()
    return int(code)
