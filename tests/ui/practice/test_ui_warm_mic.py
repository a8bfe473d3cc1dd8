"""The window keeps the microphone open while practice waits for Space, and says so."""

from __future__ import annotations

from typing import Any

import numpy as np
import soundfile as sf
from PySide6.QtCore import Qt

from starcoach.audio.fake import FakeSoundDevice
from tests.support.fakes import ScriptedEngine
from tests.ui.practice.test_ui_practice import SAID, page_of, press, qtbot_app


def _window(qtbot: Any, sd: Any) -> Any:
    from starcoach.app import build_context, build_window
    from starcoach.ui.shell import theme

    context = build_context(sd=sd, engine=ScriptedEngine(SAID))
    context.warm_microphone = True
    theme.apply(qtbot_app(), "light")
    window = build_window(context)
    qtbot.addWidget(window)
    window.show()
    window.loader.start()
    qtbot.waitUntil(lambda: window.loader.state == "ready")
    window.set_mode("practice")
    return window


def test_space_records_from_before_the_press_on_the_open_microphone(qtbot: Any) -> None:
    # A tone that starts at once: with the microphone already open, the take starts with
    # the pre-roll, so its first samples are sound, not the 0.3-2 s a device takes to open.
    t = np.arange(60 * 16000, dtype=np.float32) / 16000
    sd = FakeSoundDevice(audio=(0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32))
    window = _window(qtbot, sd)
    page = page_of(window)
    c = page.controller
    qtbot.waitUntil(lambda: c.microphone is not None and c.microphone.live.is_set(), timeout=5000)
    assert "Microphone on" in page.status.text()
    qtbot.waitUntil(lambda: sd.streams[0].blocks_delivered >= 8, timeout=5000)
    page.setFocus()
    press(qtbot, page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.state == "recording", timeout=5000)
    qtbot.waitUntil(lambda: c.active.elapsed_s >= 1.0, timeout=5000)
    press(qtbot, page, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: c.state == "feedback", timeout=10000)
    assert len(sd.streams) == 1  # the take recorded through the open microphone
    audio, _ = sf.read(str(c.last_outcome.recording.path), dtype="float32")
    assert np.abs(audio[:1600]).max() > 0.1  # sound from the very first block
    assert "Microphone on" in page.status.text()
    # Leaving practice closes the microphone.
    window.set_mode("study")
    qtbot.waitUntil(lambda: c.microphone is None and sd.streams[0].closed, timeout=5000)
    window.close()
