"""One way to run work off the UI thread and get the result back on it (after Anki's QueryOp).

    run_in_background(parent, work, on_done, on_error)

``work`` runs on Qt's thread pool; ``on_done(result)`` or ``on_error(exc)`` runs on the UI
thread. Domain errors (StarCoachError) arrive as they are, for the view to show in plain
words; anything else is logged with its traceback and arrives too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as exc:  # handed to the UI thread
            log.debug("background task failed", exc_info=True)
            self._relay.failed.emit(exc)
            return
        self._relay.done.emit(result)


_running: set[_Relay] = set()


def run_in_background(
    parent: QObject | None,
    work: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    relay = _Relay(parent)
    _running.add(relay)  # keep it alive until the result is delivered

    @Slot(object)
    def finished(result: Any) -> None:
        _running.discard(relay)
        if on_done is not None:
            on_done(result)
        relay.deleteLater()

    @Slot(object)
    def failed(exc: BaseException) -> None:
        _running.discard(relay)
        if on_error is not None:
            on_error(exc)
        else:
            log.error("background task failed: %s", exc)
        relay.deleteLater()

    relay.done.connect(finished)
    relay.failed.connect(failed)
    QThreadPool.globalInstance().start(_Job(work, relay))


def wait_for_background(timeout_ms: int = 30_000) -> bool:
    """Join every background job (closing the window, and tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
