"""`make screenshots`: the window in each mode at 1280x800, written to docs/screenshots/.

Runs the real app (real model, real store in a throwaway data folder) with the microphone
replaced by a corpus clip played in real time, so the feedback shown is real feedback.
Run under Xvfb: `xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python docs/screenshots/take.py`.
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

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from starcoach.app import build_context, build_window  # noqa: E402
from starcoach.audio.fake import FakeSoundDevice  # noqa: E402
from starcoach.content import STEP_ORDER  # noqa: E402
from starcoach.ui import theme  # noqa: E402

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


def shot(window, name: str) -> None:  # type: ignore[no-untyped-def]
    QApplication.processEvents()
    path = HERE / f"{name}.png"
    window.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
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

    window.set_mode("practice")
    page = window.pages["practice"]
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
            page._show_feedback(page.controller.last_outcome)
        page.controller.next_step()
    wait(app, lambda: page.controller.state == "verdict")
    pause(app, 0.2)
    shot(window, "practice-verdict")

    window.set_mode("review")
    pause(app, 1.0)
    shot(window, "review")

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
    window.close()


if __name__ == "__main__":
    main()
