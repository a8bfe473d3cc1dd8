"""Settings: saved as TOML in the data folder; a damaged file never stops the app."""

from __future__ import annotations

from pathlib import Path

from starcoach.settings import Settings, load_settings, save_settings, settings_path


def test_defaults_then_round_trip(tmp_path: Path) -> None:
    settings, problem = load_settings()
    assert settings == Settings() and problem is None
    settings.level = "senior"
    settings.microphone = "USB Mic"
    save_settings(settings)
    assert settings_path().read_text(encoding="utf-8").count("senior") == 1
    again, problem = load_settings()
    assert again.level == "senior" and again.microphone == "USB Mic" and problem is None


def test_damaged_file_is_set_aside_and_defaults_used() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("level = [unclosed\n", encoding="utf-8")
    settings, problem = load_settings()
    assert settings == Settings()
    assert problem is not None and "damaged" in problem
    assert path.with_name("settings.toml.bad").exists() and not path.exists()


def test_wrong_values_are_reported_not_crashed() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('level = "cto"\n', encoding="utf-8")
    settings, problem = load_settings()
    assert settings.level == "sde1" and problem is not None
