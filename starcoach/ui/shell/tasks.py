"""One way to run work off the UI thread and get the result back on it (after Anki's QueryOp).

    run_in_background(parent, work, on_done, on_error, lane="store")

``work`` runs on a worker thread; ``on_done(result)`` or ``on_error(exc)`` runs on the UI
thread. Jobs in the "store" lane (anything that writes sessions, takes or audio) run one at
a time, in the order they were asked for, on a lane of their own -- like Anki's taskman
serialising collection ops -- so a take's finish and a delete or a probe's save never race;
other work ("any") runs on Qt's global pool. ``wait_for_background`` joins both (the window
does before it closes the store). Starting a take stays in "any": it opens the microphone,
and a Record press must not queue behind the last take's analysis. Domain errors
(StarCoachError) arrive as they are, for the view to show in plain words; anything else is
logged with its traceback and arrives too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal

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
_store_lane: QThreadPool | None = None

Lane = Literal["any", "store"]


def _pool(lane: Lane) -> QThreadPool:
    global _store_lane
    if lane == "any":
        return QThreadPool.globalInstance()
    if _store_lane is None:
        _store_lane = QThreadPool()
        _store_lane.setMaxThreadCount(1)  # one at a time, first asked first run
        _store_lane.setExpiryTimeout(-1)
    return _store_lane


def run_in_background(
    parent: QObject | None,
    work: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    lane: Lane = "any",
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
    _pool(lane).start(_Job(work, relay))


def wait_for_background(timeout_ms: int = 30_000) -> bool:
    """Join every background job, the store lane's too (closing the window, and tests)."""
    store_done = _store_lane is None or _store_lane.waitForDone(timeout_ms)
    return QThreadPool.globalInstance().waitForDone(timeout_ms) and store_done
