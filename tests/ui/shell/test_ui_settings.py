"""The settings dialog: microphone with a test meter, model folder check, persistence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from starcoach.audio.fake import FakeSoundDevice
from starcoach.settings import load_settings
from tests.support.fakes import ScriptedEngine


def make(qtbot: Any, sd: Any) -> Any:
    from starcoach.app import build_context
    from starcoach.ui.common.settings_dialog import SettingsDialog

    context = build_context(sd=sd, engine=ScriptedEngine("hello"))
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    return context, dialog


def test_microphones_listed_and_the_test_meter_moves(qtbot: Any) -> None:
    t = np.arange(16000 * 5, dtype=np.float32) / 16000
    sd = FakeSoundDevice(audio=(0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32))
    _, dialog = make(qtbot, sd)
    names = [dialog.mic.combo.itemText(i) for i in range(dialog.mic.combo.count())]
    assert names == ["System default", "Fake Microphone"]
    dialog.mic.test_button.setChecked(True)
    qtbot.waitUntil(lambda: dialog.mic.meter.value > 0.5, timeout=5000)
    dialog.mic.test_button.setChecked(False)
    assert not dialog.mic.testing


def test_no_microphone_is_said_in_the_dialog(qtbot: Any) -> None:
    _, dialog = make(qtbot, FakeSoundDevice(devices=[], default_input=-1))
    dialog.mic.test_button.setChecked(True)  # the device is opened off the UI thread
    qtbot.waitUntil(lambda: "No microphone found" in dialog.mic.status.text(), timeout=5000)
    assert not dialog.mic.test_button.isChecked()


def test_bad_model_folder_is_refused_inline(qtbot: Any, tmp_path: Path) -> None:
    context, dialog = make(qtbot, FakeSoundDevice())
    dialog.model_choice.setCurrentIndex(1)
    dialog.model_path.setText(str(tmp_path / "nothing-here"))
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "not found" in dialog.model_error.text()
    assert context.settings.model is None


def test_saved_settings_persist(qtbot: Any) -> None:
    _, dialog = make(qtbot, FakeSoundDevice())
    dialog.mic.combo.setCurrentIndex(1)
    dialog.level.setCurrentIndex(1)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.accept()
    # Written off the UI thread, soon after.
    qtbot.waitUntil(lambda: load_settings()[0].theme == "dark", timeout=5000)
    saved, problem = load_settings()
    assert problem is None
    assert (saved.microphone, saved.level, saved.theme) == ("Fake Microphone", "senior", "dark")


def test_save_returns_at_once_on_a_slow_disk(qtbot: Any, monkeypatch: Any) -> None:
    import threading

    import starcoach.ui.shell.context as ui_context

    disk = threading.Event()
    real_save = ui_context.save_settings

    def slow_save(*args: Any, **kwargs: Any) -> None:
        disk.wait(10)  # a disk that takes its time
        real_save(*args, **kwargs)

    monkeypatch.setattr(ui_context, "save_settings", slow_save)
    _, dialog = make(qtbot, FakeSoundDevice())
    dialog.level.setCurrentIndex(1)
    dialog.accept()  # returns while the disk is still busy
    assert dialog.result() == dialog.DialogCode.Accepted
    assert load_settings()[0].level != "senior"
    disk.set()
    qtbot.waitUntil(lambda: load_settings()[0].level == "senior", timeout=5000)
