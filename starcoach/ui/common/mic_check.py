"""Pick a microphone and see that it hears you: a device list, a Test button, a level meter."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from starcoach.audio import Recorder, list_input_devices
from starcoach.errors import StarCoachError
from starcoach.ui.common.widgets import LevelMeter
from starcoach.ui.shell.tasks import run_in_background

DEFAULT_MIC = "System default"
FRIENDLY = {
    "pulse": "PulseAudio sound server",
    "pipewire": "PipeWire sound server",
    "default": "ALSA default device",
    "sysdefault": "ALSA system default device",
}


def friendly_mic_name(name: str) -> str:
    """A device name a person can read: the sound servers' bare ALSA names spelled out, the
    hardware address ("(hw:1,0)") left off."""
    if name in FRIENDLY:
        return f"{FRIENDLY[name]} ({name})"
    base = name.split(" (hw:")[0].strip()
    return base or name


def input_names(sd: Any | None) -> list[str] | None:
    """The names of the microphones there are now; None when they cannot be listed."""
    try:
        return [d.name for d in list_input_devices(sd=sd)]
    except (StarCoachError, OSError, AttributeError, RuntimeError):
        return None  # an audio stack that cannot say: the status bar does not guess


class MicCheck(QWidget):
    def __init__(self, sd: Any | None, current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sd = sd
        self._tester: Recorder | None = None
        self._tmp: Path | None = None
        self._opened = threading.Event()
        self._opened.set()
        self.combo = QComboBox()
        self.combo.setAccessibleName("Microphone")
        problem = ""
        try:
            devices = list_input_devices(sd=sd)
        except StarCoachError as exc:
            devices, problem = [], str(exc)
        if devices:
            self.combo.addItem(DEFAULT_MIC, None)
        else:
            self.combo.addItem("No microphone found", None)
            problem = problem or "No microphone found — plug one in, then pick it here."
        for device in devices:
            self.combo.addItem(friendly_mic_name(device.name), device.name)
            self.combo.setItemData(self.combo.count() - 1, device.name, Qt.ItemDataRole.ToolTipRole)
        if current:
            index = self.combo.findData(current)
            if index < 0:
                self.combo.addItem(f"{friendly_mic_name(current)} (not connected)", current)
                index = self.combo.count() - 1
            self.combo.setCurrentIndex(index)
        self.test_button = QPushButton("Test microphone")
        self.test_button.setCheckable(True)
        self.test_button.setAccessibleDescription("Records nothing: shows the level only")
        self.test_button.toggled.connect(self._toggle)
        self.meter = LevelMeter()
        self.meter.setToolTip("Microphone level")
        self.status = QLabel(problem)
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.meter)
        layout.addWidget(self.status)
        self._poll = QTimer(self)
        self._poll.setInterval(33)
        self._poll.timeout.connect(self._tick)

    def selected_device(self) -> str | None:
        data = self.combo.currentData()
        return str(data) if data else None

    @property
    def testing(self) -> bool:
        return self._tester is not None

    def _toggle(self, on: bool) -> None:
        if not on:
            self.stop()
            return
        self._tmp = Path(tempfile.mkdtemp(prefix="starcoach-mic-test-"))
        tester = Recorder(self._tmp / "test.flac", device=self.selected_device(), sd=self._sd)
        self._tester = tester
        opened = threading.Event()
        self._opened = opened
        self.status.setText("Opening the microphone…")

        def open_it() -> None:
            # Opening a device takes 0.3-2 s (more on a busy laptop): off the UI thread.
            try:
                tester.start()
            finally:
                opened.set()

        def started(_: object) -> None:
            if self._tester is tester:
                self.status.setText("Speak: the bar should move.")
                self.test_button.setText("Stop test")
                self._poll.start()

        def failed(exc: BaseException) -> None:
            if self._tester is tester:
                self.stop()
                self.status.setText(str(exc))
                self.test_button.setChecked(False)

        run_in_background(self, open_it, started, failed)

    def _tick(self) -> None:
        if self._tester is None:
            return
        self.meter.set_level(self._tester.level)
        if self._tester.finished.is_set():
            self.status.setText(self._tester.error or "The microphone stopped.")
            self.test_button.setChecked(False)

    def stop(self) -> None:
        """End a test; nothing of it is kept. Returns at once: stopping the stream and
        finishing its file (seconds on a busy laptop) happen off the UI thread."""
        self._poll.stop()
        tester, self._tester = self._tester, None
        tmp, self._tmp = self._tmp, None
        opened = self._opened
        if tester is not None or tmp is not None:

            def clean_up() -> None:
                if tester is not None:
                    opened.wait(30)  # a stream still being opened is stopped after it opens
                    tester.stop()
                if tmp is not None:
                    shutil.rmtree(tmp, ignore_errors=True)

            run_in_background(None, clean_up)
        self.test_button.setText("Test microphone")
        self.meter.set_level(0.0)
