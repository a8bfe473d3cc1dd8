"""`make screenshots`: each main screen at 1024x640 and 1440x900, light and dark, written to
docs/screenshots/ as NAME-WxH-THEME.png (and the README's few as NAME.png at 1280x800).

Runs the real app (real model, real store in a throwaway data folder) with the microphone
replaced by a corpus clip played in real time, so the feedback shown is real feedback.
Run under Xvfb: `xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python docs/screenshots/take.py`.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STARCOACH_HOME", tempfile.mkdtemp(prefix="starcoach-shots-"))

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from starcoach.app import build_context, build_window  # noqa: E402
from starcoach.audio.fake import FakeSoundDevice  # noqa: E402
from starcoach.content import STEP_ORDER  # noqa: E402
from starcoach.ui.shell import theme  # noqa: E402

CLIPS = ROOT / "tests" / "corpus" / "clips"
ANSWER_MOCK = {
    "situation": "uo-situation-strong__joe_clean.flac",
    "task": "uo-task-para__joe_clean.flac",
    "action": "uo-action-strong__joe_clean.flac",
    "result": "uo-result-mixed__joe_clean.flac",
    "reflection": "uo-reflection-weak__joe_clean.flac",
}
ANSWER = {
    "situation": "dsl-situation-strong__joe_clean.flac",
    "task": "dsl-task-weak__joe_clean.flac",
    "action": "dsl-action-mixed__joe_clean.flac",
    "result": "dsl-result-strong__joe_clean.flac",
    "reflection": "dsl-reflection-weak__joe_clean.flac",
}


def wait(app: QApplication, predicate, timeout_s: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(20)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)

    def check() -> None:
        if predicate():
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    deadline.start(int(timeout_s * 1000))
    loop.exec()
    timer.stop()


def pause(app: QApplication, seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


SIZES = ((1024, 640), (1440, 900))
THEMES = ("light", "dark")


def shot(window, name: str) -> None:  # type: ignore[no-untyped-def]
    QApplication.processEvents()
    path = HERE / f"{name}.png"
    window.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT)}")


def matrix(app: QApplication, window, name: str, redraw=lambda: None) -> None:  # type: ignore[no-untyped-def]
    """``name`` at every size in both themes; ``redraw`` repaints what a theme bakes in."""
    for width, height in SIZES:
        for choice in THEMES:
            theme.apply(app, choice)
            window.resize(width, height)
            pause(app, 0.15)
            redraw()
            pause(app, 0.25)
            shot(window, f"{name}-{width}x{height}-{choice}")
    theme.apply(app, "light")
    window.resize(1280, 800)
    pause(app, 0.15)
    redraw()
    pause(app, 0.2)


def main() -> None:
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 PID` prints where a slow run is
    app = QApplication(sys.argv)
    sd = FakeSoundDevice(end="silence", interval_s=0.02)
    context = build_context(sd=sd)
    theme.apply(app, "light")
    window = build_window(context)
    window.resize(1280, 800)
    window.show()
    window.loader.start()
    wait(app, lambda: window.loader.state == "ready")

    window.set_mode("study")
    pause(app, 0.3)
    shot(window, "study")
    matrix(app, window, "study")

    window.set_mode("practice")
    page = window.pages["practice"]
    verdicts: list[object] = []
    page.controller.verdict_ready.connect(verdicts.append)
    pause(app, 0.2)
    shot(window, "practice-ready")
    for step in STEP_ORDER:
        audio, _ = sf.read(str(CLIPS / ANSWER[step]), dtype="float32")
        sd.audio = audio
        page.controller.toggle()
        wait(app, lambda: page.controller.state == "recording")
        seconds = audio.size / 16000
        wait(app, lambda: page.controller.active is not None
             and page.controller.active.elapsed_s >= seconds * 0.6)
        if step == "action":
            shot(window, "practice-recording")
        wait(app, lambda: page.controller.active is not None
             and page.controller.active.elapsed_s >= seconds + 0.3)
        page.controller.toggle()
        wait(app, lambda: page.controller.state == "feedback")
        pause(app, 0.2)
        if step == "action":
            shot(window, "practice-feedback")
            theme.apply(app, "dark")
            page._show_feedback(page.controller.last_outcome)
            pause(app, 0.2)
            shot(window, "practice-feedback-dark")
            theme.apply(app, "light")
            outcome = page.controller.last_outcome
            matrix(app, window, "practice", lambda o=outcome: page._show_feedback(o))
        page.controller.next_step()
    wait(app, lambda: page.controller.state == "verdict")
    pause(app, 0.2)
    shot(window, "practice-verdict")
    matrix(app, window, "practice-verdict", lambda: page._show_verdict(verdicts[-1]))

    window.set_mode("review")
    pause(app, 1.0)
    shot(window, "review")
    review = window.pages["review"]

    def redraw_review() -> None:
        session = review.controller.session
        if session is not None:
            review.controller.select_session(session.id, force=True)

    matrix(app, window, "review", redraw_review)

    # Mock interview: one take of a whole answer, then the report with its split.
    window.set_mode("mock")
    mock = window.pages["mock"]
    parts = [sf.read(str(CLIPS / ANSWER_MOCK[s]), dtype="float32")[0] for s in STEP_ORDER]
    gap = np.zeros(8000, dtype=np.float32)
    sd.audio = np.concatenate([np.concatenate([p, gap]) for p in parts])
    mock.controller.toggle()
    wait(app, lambda: mock.controller.state == "recording")
    total = sd.audio.size / 16000
    wait(app, lambda: mock.controller.take is not None
         and mock.controller.take.elapsed_s >= total * 0.5, 200)
    shot(window, "mock-recording")
    wait(app, lambda: mock.controller.take is not None
         and mock.controller.take.elapsed_s >= total + 0.3, 200)
    mock.controller.toggle()
    wait(app, lambda: mock.controller.state == "report", 120)
    pause(app, 0.3)
    shot(window, "mock-report")
    matrix(app, window, "mock", lambda: mock._show_report(mock.controller.result))

    # The first follow-up, answered and judged.
    if mock.controller.result is not None and mock.controller.result.probes:
        mock.controller.next()
        wait(app, lambda: mock.controller.state == "probe")
        sd.audio = sf.read(str(CLIPS / ANSWER["reflection"]), dtype="float32")[0]
        mock.controller.toggle()
        wait(app, lambda: mock.controller.state == "probe-recording")
        seconds = sd.audio.size / 16000
        wait(app, lambda: mock.controller.take is not None
             and mock.controller.take.elapsed_s >= seconds + 0.3, 120)
        mock.controller.toggle()
        wait(app, lambda: mock.controller.state == "probe-judged", 120)
        pause(app, 0.3)
        matrix(app, window, "mock-follow-up", lambda: mock._show_report(mock.controller.result))
        # The other follow-ups, then the report: the mock is saved whole.
        while mock.controller.state == "probe-judged":
            mock.controller.next()
            if mock.controller.state != "probe":
                break
            mock.controller.toggle()
            wait(app, lambda: mock.controller.state == "probe-recording")
            wait(app, lambda: mock.controller.take is not None
                 and mock.controller.take.elapsed_s >= seconds + 0.3, 120)
            mock.controller.toggle()
            wait(app, lambda: mock.controller.state == "probe-judged", 120)
        wait(app, lambda: mock.controller.state in ("idle", "done"), 30)

    # Review of the mock: its whole answer, sections and follow-up.
    window.set_mode("review")
    pause(app, 1.0)
    matrix(app, window, "review-mock", redraw_review)
    window.close()


if __name__ == "__main__":
    main()
