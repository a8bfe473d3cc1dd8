"""Settings: microphone (with a test meter), speech model, level, theme, data folder."""

from __future__ import annotations

from PySide6.QtCore import QUrl
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
from starcoach.errors import StarCoachError
from starcoach.transcribe.model_location import check_model_dir
from starcoach.ui.common.mic_check import MicCheck
from starcoach.ui.shell import theme
from starcoach.ui.shell.context import AppContext


class SettingsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        s = context.settings

        form = QFormLayout()
        form.setSpacing(12)
        self.mic = MicCheck(context.sd, s.microphone)
        form.addRow("Microphone", self.mic)

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
        self.mic.stop()
        s = self.context.settings
        s.microphone = self.mic.selected_device()
        s.model = model
        s.level = self.level.currentData()
        s.theme = self.theme.currentData()
        self.context.save_settings_soon()  # Save returns at once
        super().accept()

    def done(self, result: int) -> None:
        self.mic.stop()
        super().done(result)
