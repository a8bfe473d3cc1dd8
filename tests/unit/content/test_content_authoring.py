"""Own stories: drafted from a bundled question, validated like a file, loaded back."""

from __future__ import annotations

from pathlib import Path

import pytest

from starcoach.content import load_library
from starcoach.content.authoring import draft_story, save_user_walkthrough, to_yaml
from starcoach.content.loader import ContentLoadError
from starcoach.paths import user_content_dir


def test_round_trip_into_the_library(library) -> None:  # type: ignore[no-untyped-def]
    base = library.get("disagree-senior-leader")
    data = draft_story(base, "My own disagreement story")
    assert data["id"] == "my-own-disagreement-story"
    data["steps"][2]["strong_example"] = "I pulled the payment logs and I wrote the fix."
    path = save_user_walkthrough(data, bundled_ids=library.bundled_ids)
    assert path.parent == user_content_dir() and path.name == "my-own-disagreement-story.yaml"
    reloaded = load_library()
    story = reloaded.get("my-own-disagreement-story")
    assert not reloaded.is_bundled(story.id)
    assert story.step("action").key_phrases == base.step("action").key_phrases
    assert story.step("action").strong_example.startswith("I pulled")
    assert story.step("situation").max_s == 45
    assert "strong_example: " in path.read_text(encoding="utf-8")


def test_invalid_story_is_refused_with_path_and_field(library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = draft_story(None, "Broken")
    data["steps"][1]["target_s"] = -5
    with pytest.raises(ContentLoadError) as exc:
        save_user_walkthrough(data, bundled_ids=library.bundled_ids, folder=tmp_path)
    (error,) = exc.value.errors
    assert error.path.endswith("broken.yaml") and error.field == "steps.task.target_s"
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_bundled_ids_and_existing_files_are_protected(library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = draft_story(None, "x", story_id="disagree-senior-leader")
    with pytest.raises(ContentLoadError, match="bundled"):
        save_user_walkthrough(data, bundled_ids=library.bundled_ids, folder=tmp_path)
    mine = draft_story(None, "Mine")
    save_user_walkthrough(mine, bundled_ids=library.bundled_ids, folder=tmp_path)
    with pytest.raises(ContentLoadError, match="exists"):
        save_user_walkthrough(mine, bundled_ids=library.bundled_ids, folder=tmp_path)
    save_user_walkthrough(mine, bundled_ids=library.bundled_ids, folder=tmp_path, replace=True)


def test_yaml_is_readable_by_hand() -> None:
    text = to_yaml({"id": "a", "title": "b", "long": ("word " * 30).strip()})
    assert "long: >" in text
