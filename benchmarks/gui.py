"""GUI figures (run under Xvfb by `make bench`): window-up time, and for a 90 s Action
spoken into the PulseAudio virtual microphone, idle and with one core kept busy by another
process: Stop -> feedback on screen (and its ratio to whole-file transcription in the same
run), live-text lag, the longest UI-thread stall, peak RSS."""

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
from starcoach.ui.shell import theme
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


BUSY_LOOP = "while True: pass"
WHOLE_FILE = """
import sys, time
from starcoach.transcribe.audio_io import load_audio
from starcoach.transcribe.whisper_engine import FasterWhisperEngine
engine = FasterWhisperEngine()
engine.load()
audio = load_audio(sys.argv[1])
t0 = time.perf_counter()
engine.transcribe(audio)
print(time.perf_counter() - t0)
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def practice_figures(runs: int, busy: bool) -> dict[str, list[float]]:
    """A guided-practice session in the window, the 90 s Action spoken ``runs`` times into
    the virtual microphone; ``busy``: one core kept busy by another process all along.

    Per answer: Stop -> feedback on screen; live-text lag (audio heard minus audio the live
    text stands for, sampled every 100 ms while speaking); the longest UI-thread stall (a
    10 ms timer's longest late firing, from Space to the feedback on screen). Once per
    condition: whole-file transcription of the same audio, for the ratio."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from benchmarks.__main__ import action_90s
    from starcoach.app import build_context, build_window
    from tests.support.pulse_mic import launch_pulse_server

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

    figures: dict[str, list[float]] = {"latency": [], "lag": [], "stall": [], "whole": []}
    hog = subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) if busy else None
    try:
        os.environ["STARCOACH_HOME"] = tempfile.mkdtemp(prefix="starcoach-bench-")
        context = build_context()
        context.settings.microphone = "pulse"
        window = build_window(context)
        window.show()
        window.loader.start()
        wait(lambda: window.loader.state == "ready")
        # In its own process: a whole-file decode's memory must not count in the session's
        # peak RSS (it grows with the audio decoded at once).
        out = subprocess.run(
            [sys.executable, "-c", WHOLE_FILE, str(wav)], capture_output=True, text=True
        )
        figures["whole"].append(float(out.stdout.split()[-1]))
        window.set_mode("practice")
        page = window.pages["practice"]
        c = page.controller
        for _ in range(runs):
            c.go_to_step("action")
            wait(lambda: c.microphone is not None and c.microphone.live.is_set(), 20)
            stall = [0.0, time.perf_counter()]

            def beat(stall: list[float] = stall) -> None:
                now = time.perf_counter()
                stall[0] = max(stall[0], now - stall[1] - 0.010)
                stall[1] = now

            heart = QTimer()
            heart.timeout.connect(beat)
            heart.start(10)
            lags: list[float] = []

            def sample(lags: list[float] = lags) -> None:
                active = c.active
                if active is not None and c.state == "recording":
                    live = active.live()
                    if live.audio_s > 3.0:
                        lags.append(max(0.0, live.audio_s - live.covered_s))

            sampler = QTimer()
            sampler.timeout.connect(sample)
            sampler.start(100)
            c.toggle()
            wait(lambda: c.state == "recording")
            player = subprocess.Popen(["paplay", "-d", "vmic_sink", str(wav)], env=server.env())
            wait(lambda p=player: p.poll() is not None, 200)
            sampler.stop()
            t0 = time.perf_counter()
            c.toggle()
            wait(lambda: c.state == "feedback" and page.feedback.isVisible())
            app.processEvents()
            figures["latency"].append(time.perf_counter() - t0)
            heart.stop()
            figures["stall"].append(stall[0])
            figures["lag"].extend(lags)
            outcome = c.last_outcome
            print(
                f"  GUI{' (busy)' if busy else ''}: 90 s Action, Stop -> feedback on screen "
                f"{figures['latency'][-1]:.2f} s; live-text lag median "
                f"{statistics.median(lags) if lags else float('nan'):.2f} s, worst "
                f"{max(lags, default=float('nan')):.2f} s; longest UI stall "
                f"{1000 * stall[0]:.0f} ms (dropped blocks {outcome.recording.dropped_blocks}, "
                f"overflows {outcome.recording.overflows})",
                flush=True,
            )
        window.close()
    finally:
        if hog is not None:
            hog.kill()
            hog.wait()
        server.stop()
    return figures


def stop_to_feedback(runs: int) -> list[float]:
    return practice_figures(runs, busy=False)["latency"]


def main() -> None:
    quick = "--quick" in sys.argv
    ups = window_up_times(3 if quick else 5)
    print(
        f"window up (process start -> window shown): median {statistics.median(ups):.2f} s "
        f"over {len(ups)} starts",
        flush=True,
    )
    runs = 1 if quick else 3
    for busy in (False, True):
        f = practice_figures(runs, busy)
        lat, whole = statistics.median(f["latency"]), statistics.median(f["whole"])
        label = "one core kept busy by another process" if busy else "idle"
        print(
            f"GUI, {label}: Stop -> feedback on screen for a 90 s Action via the virtual "
            f"microphone: median {lat:.2f} s over {len(f['latency'])} answers "
            f"({', '.join(f'{x:.2f}' for x in f['latency'])}); whole-file transcription of "
            f"the same audio {whole:.2f} s, ratio {lat / whole:.2f}; live-text lag median "
            f"{statistics.median(f['lag']):.2f} s, 95th percentile "
            f"{_percentile(f['lag'], 0.95):.2f} s, worst {max(f['lag']):.2f} s; longest "
            f"UI-thread stall median {1000 * statistics.median(f['stall']):.0f} ms, worst "
            f"{1000 * max(f['stall']):.0f} ms",
            flush=True,
        )
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the practice session (window + model + recordings): {rss:.0f} MB")


if __name__ == "__main__":
    main()
