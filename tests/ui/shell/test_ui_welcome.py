"""The first-run welcome: shown once, with a working microphone check."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from starcoach.audio.fake import FakeSoundDevice
from starcoach.settings import load_settings
from tests.support.fakes import ScriptedEngine


def test_welcome_once_with_a_microphone_check(qtbot: Any) -> None:
    from starcoach.app import build_context, build_window
    from starcoach.ui.common.welcome_dialog import WelcomeDialog

    t = np.arange(16000 * 5, dtype=np.float32) / 16000
    sd = FakeSoundDevice(audio=(0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32))
    context = build_context(sd=sd, engine=ScriptedEngine("hi"))
    window = build_window(context)
    qtbot.addWidget(window)
    seen: list[str] = []

    def answer_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, WelcomeDialog)
        seen.append(dialog.windowTitle())
        assert "Nothing leaves this computer" in "".join(
            w.text() for w in dialog.findChildren(type(dialog.mic.status))
        )
        dialog.mic.test_button.setChecked(True)
        qtbot.waitUntil(lambda: dialog.mic.meter.value > 0.5, timeout=5000)
        dialog.accept()

    QTimer.singleShot(100, answer_the_dialog)
    window.after_start()
    assert seen == ["Welcome to StarCoach"]
    settings, _ = load_settings()
    assert settings.welcomed
    # The second start does not show it again.
    context2 = build_context(sd=sd, engine=ScriptedEngine("hi"))
    window2 = build_window(context2)
    qtbot.addWidget(window2)
    window2.after_start()
    assert QApplication.activeModalWidget() is None
