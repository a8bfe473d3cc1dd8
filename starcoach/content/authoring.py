"""Writing the user's own walkthroughs (Qt-free): a draft from a bundled question, validated
by the same loader that reads them back, saved as hand-editable YAML in the data folder."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from starcoach import paths
from starcoach.content.loader import ContentError, ContentLoadError, load_file
from starcoach.content.models import STEP_ORDER, Walkthrough

DEFAULT_TARGETS = {
    "situation": 30.0,
    "task": 20.0,
    "action": 90.0,
    "result": 20.0,
    "reflection": 15.0,
}


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].strip("-") or "my-story"


def draft_story(
    base: Walkthrough | None, title: str, story_id: str | None = None
) -> dict[str, Any]:
    """A new walkthrough's data: the base question's targets, key phrases and coaching, with
    the strong examples left for the user to write in their own words."""
    steps = []
    for name in STEP_ORDER:
        step: dict[str, Any] = {"name": name, "target_s": DEFAULT_TARGETS[name]}
        if base is not None:
            b = base.step(name)
            step["target_s"] = b.target_s
            if b.max_s is not None:
                step["max_s"] = b.max_s
            if b.key_phrases:
                step["key_phrases"] = list(b.key_phrases)
            if b.coaching:
                step["coaching"] = b.coaching
            if b.common_mistake:
                step["common_mistake"] = b.common_mistake
        steps.append(step)
    data: dict[str, Any] = {"id": story_id or slugify(title), "title": title, "steps": steps}
    if base is not None and base.principles:
        data["principles"] = list(base.principles)
    return data


class _BlockDumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = ">" if len(value) > 70 or "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str_presenter)


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=88)


def save_user_walkthrough(
    data: dict[str, Any],
    *,
    bundled_ids: Collection[str],
    folder: Path | None = None,
    replace: bool = False,
) -> Path:
    """Validate ``data`` exactly as a file would be loaded, then write ``<folder>/<id>.yaml``.

    Raises ContentLoadError (path: field: message) when it would not load, and when its id
    belongs to a bundled walkthrough or, unless ``replace``, to an existing file.
    """
    folder = folder or paths.user_content_dir()
    story_id = str(data.get("id", ""))
    target = folder / f"{story_id or 'untitled'}.yaml"
    if story_id in bundled_ids:
        raise ContentLoadError(
            target, [ContentError(str(target), "id", f"'{story_id}' is a bundled question's id")]
        )
    if target.exists() and not replace:
        raise ContentLoadError(
            target, [ContentError(str(target), "id", f"a story called '{story_id}' exists")]
        )
    text = to_yaml(data)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".draft-", suffix=".yaml", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            load_file(tmp)
        except ContentLoadError as exc:
            errors = [ContentError(str(target), e.field, e.message, e.line) for e in exc.errors]
            raise ContentLoadError(target, errors) from None
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
