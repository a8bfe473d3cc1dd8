"""Fault suite, the window's side (issue 12, points 2-4): the start-up recovery dialog and a
live recording, one owner per take, a full disk under Settings, no microphone on Record, many
content errors. Real window, real store and files; a fake microphone and a scripted engine."""

from __future__ import annotations

import errno
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QPushButton

from starcoach.audio.fake import FakeSoundDevice
from starcoach.audio.spool import WavSpool, spool_path
from starcoach.store import lease
from tests.support.fakes import ScriptedEngine
from tests.ui.practice.test_ui_practice import make_window, voice

QUESTION = "disagree-senior-leader"
SAID = "I pulled the dead letter queue myself and the failure rate dropped by forty percent."


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    win = make_window(qtbot, FakeSoundDevice(audio=voice(), end="silence"), ScriptedEngine(SAID))
    yield win
    win.close()


def crashed_take(store: Any, seconds: float) -> Any:
    """A take left 'recording' with its spool on disk, as a killed process leaves it."""
    session = store.create_session(QUESTION, "step", "sde1", None)
    path = store.audio_path(session.id, "action")
    store.start_attempt(session.id, "action", path)
    spool = WavSpool(spool_path(path), 16000)
    spool.write(voice(seconds))
    spool.close()
    return store.unfinished_attempts()[-1]


def answer_modal(qtbot: Any, seen: list[QMessageBox], button: str) -> None:
    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box)
        seen.append(box.text())  # type: ignore[arg-type]
        seen.append(box.defaultButton().text())  # type: ignore[arg-type]
        target = next(b for b in box.findChildren(QPushButton) if b.text() == button)
        target.click()

    QTimer.singleShot(50, answer)


def test_recovery_dialog_leaves_a_live_recording_alone_and_defaults_to_later(
    qtbot: Any, window: Any
) -> None:
    store = window.context.store
    live = crashed_take(store, 2.0)
    held = lease.try_acquire(live.audio_path)  # its recording process is alive
    assert held is not None
    try:
        orphan = crashed_take(store, 3.0)
        seen: list[Any] = []
        answer_modal(qtbot, seen, "Discard")
        window.offer_recovery()
        _, text, default = seen
        assert default == "Later"  # Enter never destroys anything
        assert text.count("action (") == 1  # only the orphan is offered
        assert store.get_attempt(orphan.id).status == "failed"
        assert not spool_path(orphan.audio_path).exists()
        # The live take is untouched: still recording, its audio still on disk.
        assert store.get_attempt(live.id).status == "recording"
        assert spool_path(live.audio_path).stat().st_size > 16000 * 2
        # Deleting its session is refused in plain words.
        with pytest.raises(Exception, match="still recording"):
            store.delete_session(live.session_id)
    finally:
        held.release()
    # Its owner gone, it is offered; "Later" keeps it.
    seen = []
    answer_modal(qtbot, seen, "Later")
    window.offer_recovery()
    assert seen and store.get_attempt(live.id).status == "recording"


def test_record_without_a_microphone_leaves_no_session(qtbot: Any) -> None:
    window = make_window(qtbot, FakeSoundDevice(devices=[]), ScriptedEngine(SAID))
    try:
        page = window.pages["practice"]
        problems: list[str] = []
        page.controller.problem.connect(problems.append)
        for press in (1, 2):
            # Opening the microphone happens off the UI thread: its refusal arrives later.
            qtbot.keyClick(page, Qt.Key.Key_Space)
            qtbot.waitUntil(lambda n=press: len(problems) >= n, timeout=10_000)
            qtbot.waitUntil(lambda: page.controller.state == "idle", timeout=10_000)
        assert problems and all("No microphone found" in p for p in problems)
        assert page.controller.state == "idle"
        assert window.context.store.list_sessions() == []
        mock = window.pages["mock"].controller
        mock.set_walkthrough(window.walkthrough)
        mock.toggle()
        qtbot.waitUntil(lambda: not mock.busy(), timeout=10_000)
        assert window.context.store.list_sessions() == []
    finally:
        window.close()


def test_stop_from_two_threads_finishes_the_take_once(window: Any, wait_until: Any) -> None:
    service = window.context.service
    store = window.context.store
    session = service.new_session(QUESTION, "step", "sde1", None)
    active = service.begin_step(session, "action")
    assert wait_until(lambda: active.elapsed_s >= 1.0, 5)
    writes: list[int] = []
    finish = store.finish_attempt

    def counting(*args: Any, **kwargs: Any) -> bool:
        writes.append(args[0])
        return bool(finish(*args, **kwargs))

    store.finish_attempt = counting
    outcomes: list[Any] = []
    threads = [threading.Thread(target=lambda: outcomes.append(active.stop())) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(outcomes) == 2 and outcomes[0] is outcomes[1]
    assert writes == [active.attempt_id]
    assert store.get_attempt(active.attempt_id).status == "done"
    assert not lease.is_held(active.recorder.path)  # the lease went with the take


def test_a_finished_take_is_never_overwritten(window: Any) -> None:
    """The mock's save and the probe job race on one take: the first outcome stays."""
    store = window.context.store
    session = store.create_session(QUESTION, "mock", "sde1", None)
    attempt = store.start_attempt(session.id, "probe-1", None)
    judged = {"verdict": "strong"}
    assert store.finish_attempt(
        attempt, duration_s=4.0, transcript=None, feedback=judged, score=None
    )
    assert not store.finish_attempt(
        attempt, duration_s=4.0, transcript=None, feedback=None, score=None
    )
    assert store.get_attempt(attempt).feedback == judged


def test_live_text_is_set_only_when_it_changes(window: Any) -> None:
    page = window.pages["practice"]
    view = page.live
    changes: list[int] = []
    view.textChanged.connect(lambda: changes.append(1))
    page.show_live(view, "I pulled the dead letter queue " * 40)
    assert changes
    bar = view.verticalScrollBar()
    bar.setValue(0)  # the user scrolls back to read
    changes.clear()
    for _ in range(5):
        page.show_live(view, "I pulled the dead letter queue " * 40)
    assert changes == [] and bar.value() == 0


class GatedEngine(ScriptedEngine):
    def __init__(self) -> None:
        super().__init__(SAID, loaded=False)
        self.gate = threading.Event()

    def load(self) -> None:
        self.gate.wait(10)
        raise RuntimeError("the old model failed late")


def test_a_stale_model_load_is_dropped(qtbot: Any) -> None:
    from starcoach.ui.shell.model_loader import ModelLoader
    from starcoach.ui.shell.tasks import wait_for_background

    old = GatedEngine()
    loader = ModelLoader(old)
    loader.start()
    assert loader.state == "loading"
    loader.switch(ScriptedEngine(SAID, loaded=False))
    qtbot.waitUntil(lambda: loader.state == "ready", timeout=5000)
    old.gate.set()
    assert wait_for_background(10_000)
    QApplication.processEvents()  # the stale result reaches the UI thread and is dropped
    assert loader.state == "ready"


def test_content_errors_dialog_scrolls(qtbot: Any, window: Any) -> None:
    problems = [f"/data/content/mine-{i}.yaml: steps: unknown field 'x{i}'" for i in range(400)]
    dialog = window.content_problems_dialog(problems)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.height() < 600
    text = dialog.findChild(QPlainTextEdit)
    assert text.verticalScrollBar().maximum() > 0  # it scrolls instead of growing
    ok = dialog.findChild(QPushButton)
    assert ok.isVisible() and dialog.rect().contains(ok.geometry())


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs filled to the last byte (a real ENOSPC); needs root and mount."""
    mount_point = tmp_path / "full"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def test_settings_on_a_full_disk_say_so_in_the_window(window: Any, full_disk: Path) -> None:
    settings_file = full_disk / "settings.toml"
    window.context.settings_file = settings_file
    assert window.context.save_settings()
    before = settings_file.read_bytes()
    fill(full_disk)
    window.set_level("senior")  # saves the settings
    message = window.statusBar().currentMessage()
    assert "could not be saved" in message and "disk is full" in message
    assert window.context.settings.level == "senior"  # applies until closing
    assert settings_file.read_bytes() == before  # the old file is whole
    assert not (full_disk / "settings.toml.tmp").exists()


def test_the_store_stays_open_until_background_jobs_end(qtbot: Any) -> None:
    """Closing the window while a job still stores a take: the job's write lands."""
    from starcoach.app import build_context, build_window
    from starcoach.settings import Settings, save_settings
    from starcoach.ui.shell.application import run
    from starcoach.ui.shell.tasks import run_in_background

    save_settings(Settings(welcomed=True))
    contexts: list[Any] = []

    def context() -> Any:
        made = build_context(sd=FakeSoundDevice(audio=voice()), engine=ScriptedEngine(SAID))
        contexts.append(made)
        return made

    closing = threading.Event()

    def window_for(ctx: Any) -> Any:
        win = build_window(ctx)
        store = ctx.store
        session = store.create_session(QUESTION, "step", "sde1", None)
        attempt = store.start_attempt(session.id, "task", None)

        def job() -> None:
            closing.wait(10)
            store.finish_attempt(attempt, duration_s=2.0, transcript=None, feedback={}, score=7)

        def close() -> None:
            run_in_background(None, job)
            closing.set()
            win.close()

        QTimer.singleShot(200, close)
        return win

    assert run(context, window_for, []) == 0
    ctx = contexts[0]
    from starcoach.store import Store

    with Store() as again:
        (session,) = again.list_sessions()
        assert session.attempts[0].status == "done" and session.attempts[0].score == 7
    assert ctx.store._db.closed


def test_truncated_recording_is_analysed_for_what_is_readable(tmp_path: Path) -> None:
    from starcoach.transcribe.audio_io import AudioReadError, load_audio

    full = tmp_path / "full.flac"
    t = np.arange(16000 * 6) / 16000
    rng = np.random.default_rng(1)
    audio = (0.3 * np.sin(2 * np.pi * 220 * t) + rng.normal(0, 0.05, t.size)).astype(np.float32)
    sf.write(str(full), audio, 16000)
    raw = full.read_bytes()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(raw[: len(raw) // 2])
    notes: list[str] = []
    got = load_audio(cut, notes=notes)
    assert 2.0 < got.size / 16000 < 3.2
    assert notes and "cut short" in notes[0] and "6.0 s" in notes[0]
    header_only = tmp_path / "header.flac"
    header_only.write_bytes(raw[:200])
    with pytest.raises(AudioReadError, match="cut short"):
        load_audio(header_only)
