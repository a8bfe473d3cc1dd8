"""The user's settings: a pydantic model kept as TOML in the data folder (Qt-free).

``STARCOACH_HOME`` moves the data folder, so tests get their own settings file for free.
A damaged settings file never stops the app: it is set aside (settings.toml.bad) and the
defaults are used, with a message to show.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tomllib
from pathlib import Path
from typing import Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, ValidationError

from starcoach import paths
from starcoach.errors import StarCoachError


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    microphone: str | None = None
    """Input device name; None is the system default."""
    model: str | None = None
    """A CTranslate2 Whisper model folder; None is the bundled tiny.en."""
    level: Literal["sde1", "senior"] = "sde1"
    theme: Literal["system", "light", "dark"] = "system"
    welcomed: bool = False
    """The first-run welcome was shown."""
    last_question: str | None = None


def settings_path() -> Path:
    return paths.data_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings, and a message when the file was damaged and defaults are used."""
    path = path or settings_path()
    if not path.exists():
        return Settings(), None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Settings.model_validate(data), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError) as exc:
        bad = path.with_name(path.name + ".bad")
        try:
            os.replace(path, bad)
        except OSError:
            bad = path
        reason = str(exc).splitlines()[0]
        return (
            Settings(),
            f"Settings file {path} was damaged ({reason}); kept as {bad}, defaults used",
        )


class SettingsSaveError(StarCoachError):
    """The settings could not be written (disk full, folder not writable); the file on disk
    is unchanged."""


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically; raises SettingsSaveError (with a message fit to show)
    when the disk refuses, and then the previous file is left whole."""
    path = path or settings_path()
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(tomli_w.dumps(settings.model_dump(exclude_none=True)), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        why = "the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else exc.strerror
        raise SettingsSaveError(
            f"Your settings could not be saved ({why or exc}); they apply until StarCoach "
            f"closes. Free some space in {path.parent} and change a setting again to keep them."
        ) from exc
