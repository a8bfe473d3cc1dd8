"""Settings: microphone (with a test meter), speech model, level, theme, data folder."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from starcoach import paths
from starcoach.audio import Recorder, list_input_devices
from starcoach.errors import StarCoachError
from starcoach.transcribe.model_location import check_model_dir
from starcoach.ui import theme
from starcoach.ui.context import AppContext
from starcoach.ui.widgets import LevelMeter

DEFAULT_MIC = "System default"


class SettingsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self._tester: Recorder | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="starcoach-mic-test-"))
        s = context.settings

        form = QFormLayout()
        form.setSpacing(12)
        self.mic = QComboBox()
        self.mic.addItem(DEFAULT_MIC, None)
        self.device_problem = ""
        try:
            for device in list_input_devices(sd=context.sd):
                self.mic.addItem(device.name, device.name)
        except StarCoachError as exc:
            self.device_problem = str(exc)
        if s.microphone:
            index = self.mic.findData(s.microphone)
            if index < 0:
                self.mic.addItem(f"{s.microphone} (not connected)", s.microphone)
                index = self.mic.count() - 1
            self.mic.setCurrentIndex(index)
        self.test_button = QPushButton("Test microphone")
        self.test_button.setCheckable(True)
        self.test_button.toggled.connect(self._test)
        self.meter = LevelMeter()
        self.mic_status = QLabel(self.device_problem)
        self.mic_status.setObjectName("Muted")
        self.mic_status.setWordWrap(True)
        mic_row = QHBoxLayout()
        mic_row.addWidget(self.mic, 1)
        mic_row.addWidget(self.test_button)
        form.addRow("Microphone", mic_row)
        form.addRow("", self.meter)
        form.addRow("", self.mic_status)

        self.model_choice = QComboBox()
        self.model_choice.addItem("Bundled tiny.en (fast, English, on this computer)", None)
        self.model_choice.addItem("A model folder…", "folder")
        self.model_path = QLineEdit(s.model or "")
        self.model_path.setPlaceholderText("A CTranslate2 Whisper model folder")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.model_choice.setCurrentIndex(1 if s.model else 0)
        self.model_choice.currentIndexChanged.connect(self._model_choice_changed)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_path, 1)
        model_row.addWidget(browse)
        self.model_row = QWidget()
        self.model_row.setLayout(model_row)
        self.model_error = QLabel()
        self.model_error.setWordWrap(True)
        form.addRow("Speech model", self.model_choice)
        form.addRow("", self.model_row)
        form.addRow("", self.model_error)
        self._model_choice_changed()

        self.level = QComboBox()
        self.level.addItem("SDE1 / SDE2", "sde1")
        self.level.addItem("Senior SDE", "senior")
        self.level.setCurrentIndex(0 if s.level == "sde1" else 1)
        form.addRow("Level", self.level)

        self.theme = QComboBox()
        for key, label in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(self.theme.findData(s.theme))
        form.addRow("Appearance", self.theme)

        folder = paths.data_dir()
        data_row = QHBoxLayout()
        data_label = QLabel(str(folder))
        data_label.setObjectName("Muted")
        open_folder = QPushButton("Open")
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        )
        data_row.addWidget(data_label, 1)
        data_row.addWidget(open_folder)
        form.addRow("Data folder", data_row)
        note = QLabel(
            "Recordings, transcripts and feedback stay in this folder. Nothing is uploaded."
        )
        note.setObjectName("Muted")
        note.setWordWrap(True)
        form.addRow("", note)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._poll = QTimer(self)
        self._poll.setInterval(33)
        self._poll.timeout.connect(self._tick)

    # -- microphone test -----------------------------------------------------------------
    def _test(self, on: bool) -> None:
        if not on:
            self._stop_test()
            return
        device = self.mic.currentData()
        self._tester = Recorder(self._tmp / "test.flac", device=device, sd=self.context.sd)
        try:
            self._tester.start()
        except StarCoachError as exc:
            self._tester = None
            self.mic_status.setText(str(exc))
            self.test_button.setChecked(False)
            return
        self.mic_status.setText("Speak: the bar should move.")
        self.test_button.setText("Stop test")
        self._poll.start()

    def _tick(self) -> None:
        if self._tester is None:
            return
        self.meter.set_level(self._tester.level)
        if self._tester.finished.is_set():
            self.mic_status.setText(self._tester.error or "The microphone stopped.")
            self.test_button.setChecked(False)

    def _stop_test(self) -> None:
        self._poll.stop()
        if self._tester is not None:
            self._tester.stop()
            self._tester = None
        self.test_button.setText("Test microphone")
        self.meter.set_level(0.0)

    # -- model -----------------------------------------------------------------------------
    def _model_choice_changed(self) -> None:
        self.model_row.setVisible(self.model_choice.currentData() == "folder")
        self.model_error.clear()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a Whisper model folder")
        if folder:
            self.model_path.setText(folder)

    def chosen_model(self) -> str | None:
        if self.model_choice.currentData() != "folder":
            return None
        return self.model_path.text().strip() or None

    # -- saving ----------------------------------------------------------------------------
    def accept(self) -> None:
        model = self.chosen_model()
        if self.model_choice.currentData() == "folder":
            try:
                check_model_dir(model or "")
            except StarCoachError as exc:
                t = theme.current()
                self.model_error.setStyleSheet(f"color: {t.alarm};")
                self.model_error.setText(str(exc))
                return
        self._stop_test()
        s = self.context.settings
        s.microphone = self.mic.currentData()
        s.model = model
        s.level = self.level.currentData()
        s.theme = self.theme.currentData()
        self.context.save_settings()
        super().accept()

    def done(self, result: int) -> None:
        self._stop_test()
        super().done(result)
