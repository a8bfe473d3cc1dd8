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

import shiboken6
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
            self._deliver(self._relay.failed, exc)
            return
        self._deliver(self._relay.done, result)

    @staticmethod
    def _deliver(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the application is already gone: nobody to tell
            log.debug("background result not delivered: application closed")


_running: set[_Relay] = set()


def run_in_background(
    parent: QObject | None,
    work: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    # No Qt parent: a relay owned by a window would die with it while its job still runs
    # ("Signal source has been deleted"); the module keeps it alive until it delivers.
    relay = _Relay()
    _running.add(relay)

    def alive() -> bool:
        """The object that asked is still there (a closed page is not called back)."""
        return parent is None or shiboken6.isValid(parent)

    @Slot(object)
    def finished(result: Any) -> None:
        _running.discard(relay)
        if on_done is not None and alive():
            on_done(result)
        relay.deleteLater()

    @Slot(object)
    def failed(exc: BaseException) -> None:
        _running.discard(relay)
        if on_error is not None and alive():
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
