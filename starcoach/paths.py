"""Where StarCoach keeps things: the user's data folder and the bundled content."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "StarCoach"


def data_dir() -> Path:
    """The user's data folder; ``STARCOACH_HOME`` overrides the platform's standard place."""
    override = os.environ.get("STARCOACH_HOME")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_content_dir() -> Path:
    """The user's own walkthroughs (same format as the bundled ones)."""
    return data_dir() / "content"


def bundled_content_dir() -> Path:
    """The walkthroughs shipped with the app (read-only).

    Looked up in order: ``STARCOACH_CONTENT_DIR``; a PyInstaller bundle's data folder;
    the repository's content/ beside the package (editable install, the normal case).
    """
    override = os.environ.get("STARCOACH_CONTENT_DIR")
    if override:
        return Path(override).expanduser()
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "content"
    return Path(__file__).resolve().parent.parent / "content"


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def dictations_dir() -> Path:
    """Stories told aloud in the story builder: each recording is kept here."""
    return data_dir() / "dictations"
