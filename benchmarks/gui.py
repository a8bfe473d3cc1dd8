"""GUI figures (run under Xvfb by `make bench`): window-up time, and Stop -> feedback on
screen for a 90 s Action spoken into the PulseAudio virtual microphone."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent

WINDOW_PROBE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from starcoach.app import build_context, build_window
from starcoach.ui import theme
app = QApplication(sys.argv)
context = build_context()
theme.apply(app, context.settings.theme)
window = build_window(context)
window.show()
QTimer.singleShot(0, window.loader.start)
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""


def window_up_times(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        env = {**os.environ, "STARCOACH_HOME": tempfile.mkdtemp(prefix="starcoach-bench-")}
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", WINDOW_PROBE], stdout=subprocess.PIPE, text=True, env=env
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("shown"):
                times.append(time.perf_counter() - t0)
                break
        proc.wait(timeout=60)
    return times


def stop_to_feedback(runs: int) -> list[float]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from benchmarks.__main__ import action_90s
    from starcoach.app import build_context, build_window
    from tests.pulse_mic import launch_pulse_server

    server = launch_pulse_server(Path(tempfile.mkdtemp(prefix="bench-pulse-")))
    os.environ.update(server.env_vars)
    server.ensure_microphone()
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()
    wav = Path(tempfile.mkdtemp()) / "action.wav"
    sf.write(str(wav), action_90s(), 16000)
    app = QApplication.instance() or QApplication(sys.argv)

    def wait(predicate, timeout_s: float = 120.0) -> None:  # type: ignore[no-untyped-def]
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(lambda: loop.quit() if predicate() else None)
        timer.start(5)
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()
        timer.stop()

    latencies = []
    try:
        os.environ["STARCOACH_HOME"] = tempfile.mkdtemp(prefix="starcoach-bench-")
        context = build_context()
        context.settings.microphone = "pulse"
        window = build_window(context)
        window.show()
        window.loader.start()
        wait(lambda: window.loader.state == "ready")
        window.set_mode("practice")
        page = window.pages["practice"]
        for _ in range(runs):
            page.controller.go_to_step("action")
            page.controller.toggle()
            wait(lambda: page.controller.state == "recording")
            player = subprocess.Popen(["paplay", "-d", "vmic_sink", str(wav)], env=server.env())
            wait(lambda p=player: p.poll() is not None, 200)
            t0 = time.perf_counter()
            page.controller.toggle()
            wait(lambda: page.controller.state == "feedback" and page.feedback.isVisible())
            app.processEvents()
            latencies.append(time.perf_counter() - t0)
            outcome = page.controller.last_outcome
            print(
                f"  GUI: 90 s Action, Stop -> feedback on screen {latencies[-1]:.2f} s "
                f"(dropped blocks {outcome.recording.dropped_blocks}, "
                f"overflows {outcome.recording.overflows})",
                flush=True,
            )
        window.close()
    finally:
        server.stop()
    return latencies


def main() -> None:
    quick = "--quick" in sys.argv
    ups = window_up_times(3 if quick else 5)
    print(
        f"window up (process start -> window shown): median {statistics.median(ups):.2f} s "
        f"over {len(ups)} starts",
        flush=True,
    )
    lat = stop_to_feedback(1 if quick else 3)
    print(
        f"GUI Stop -> feedback on screen, 90 s Action via the virtual microphone: "
        f"median {statistics.median(lat):.2f} s over {len(lat)} answers",
        flush=True,
    )
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the practice session (window + model + recordings): {rss:.0f} MB")


if __name__ == "__main__":
    main()
