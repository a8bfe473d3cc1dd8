"""The shape of the house, held by a test (`make lint` runs it): who may import whom.

The rule of STYLE.md: only starcoach/ui imports Qt, and data flows one way -- microphone
-> recorder -> transcriber -> coach -> store -> views -- with no module reaching back up.
Every import in the package is read with ast (lazy imports inside functions included).

The layers, bottom up (docs/architecture.md draws them):
  leaves     errors, paths, clock, steps
  core       audio, transcribe, store, content, settings; coach (reads content, transcripts)
  session    practice, coverage, dictation, terminal (a take end to end, over the core)
  report     what a stored session or a walkthrough looks like, in words (Qt-free)
  bootstrap  builds the services for both front ends
  front ends cli (the command line), app + ui (the window)
In the window, each screen (ui/practice, mock, study, review, stories) is its own folder
that may use ui/shell and ui/common but not another screen; its views (every module but
controller.py) never touch the store or start background jobs -- the controller does.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "starcoach"
QT = ("PySide6", "shiboken6")
# The core: each may import only what is listed (and itself). The errors, where the
# data folder is (paths), how a time is written (clock) and the STAR steps are everyone's.
LEAVES = {"errors", "paths", "clock", "steps"}
CORE = {
    "audio": LEAVES,
    "transcribe": LEAVES,
    "store": LEAVES,
    "content": LEAVES,
    "settings": LEAVES,
    "coach": LEAVES | {"content", "transcribe"},
    "paths": {"errors"},
    "errors": set(),
    "steps": set(),
}
# Only the window's own code, and the two places that start it, may import the window.
MAY_IMPORT_UI = {"ui", "app", "__main__"}
FRONT_ENDS = {"ui", "app", "cli", "__main__"}
# Above the core: each may import the core, the leaves and what is listed.
UPPER = {
    "practice": {"coach", "content", "store", "audio", "transcribe", "settings"},
    "coverage": {"coach", "content", "store", "transcribe"},
    "dictation": {"audio", "transcribe"},
    "terminal": set(),
    "report": {"coach", "content", "store", "transcribe"},
    "bootstrap": {"content", "practice", "settings", "store", "transcribe"},
}
SCREENS = {"practice", "mock", "study", "review", "stories"}
SHARED_UI = {"shell", "common"}
# Where a screen uses another's piece, named with the reason (to remove when it moves).
SCREEN_EXCEPTIONS = {
    ("stories", "study"): "the story builder shows key phrases as Study's chips (study/widgets.py)",
}
# The window's host opens screens: the main window hosts the stories dialog and editor.
HOSTS = {"ui/shell/main_window.py"}
# Views that still reach the store or run jobs themselves, each with the reason.
VIEW_EXCEPTIONS = {
    "ui/common/mic_check.py": "a self-contained widget that opens the microphone off the UI thread",
    "ui/stories/dialog.py": "reads the history for the coverage table; no controller yet",
}
FORBIDDEN_IN_VIEWS = ("starcoach.store", "starcoach.ui.shell.tasks")


def _part(path: Path) -> str:
    """The top-level piece of starcoach a file belongs to: a package or a module."""
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _imports(path: Path) -> Iterator[tuple[str, int]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, node.lineno
            if node.module == "starcoach":  # from starcoach import cli_sessions
                for alias in node.names:
                    yield f"starcoach.{alias.name}", node.lineno


def _starcoach_imports() -> Iterator[tuple[Path, str, str, int]]:
    """(file, its part, the starcoach part it imports, line) for every internal import."""
    for path in sorted(PACKAGE.rglob("*.py")):
        part = _part(path)
        for name, line in _imports(path):
            pieces = name.split(".")
            if pieces[0] == "starcoach" and len(pieces) > 1 and pieces[1] != part:
                yield path, part, pieces[1], line


def test_qt_only_in_the_window() -> None:
    outside = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if _part(path) != "ui"
        for name, line in _imports(path)
        if name.split(".")[0] in QT
    ]
    assert not outside, outside


@pytest.mark.parametrize("core", sorted(CORE))
def test_the_core_does_not_reach_up(core: str) -> None:
    allowed = CORE[core]
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports starcoach.{target}"
        for path, part, target, line in _starcoach_imports()
        if part == core and target not in allowed
    ]
    assert not wrong, wrong


def test_only_the_window_and_its_starters_import_the_window() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path, part, target, line in _starcoach_imports()
        if target == "ui" and part not in MAY_IMPORT_UI
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("upper", sorted(UPPER))
def test_the_layers_above_the_core_do_not_reach_up(upper: str) -> None:
    allowed = UPPER[upper] | LEAVES
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports starcoach.{target}"
        for path, part, target, line in _starcoach_imports()
        if part == upper and target not in allowed
    ]
    assert not wrong, wrong


def test_no_module_imports_a_front_end_but_the_front_ends() -> None:
    """The command line and the window sit on top: nothing under them imports them (the
    command line opens the window through app.py, the only way in)."""
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports starcoach.{target}"
        for path, part, target, line in _starcoach_imports()
        if target in FRONT_ENDS and part not in FRONT_ENDS
    ]
    assert not wrong, wrong


def _ui_imports() -> Iterator[tuple[str, str, str, int]]:
    """(file relative to starcoach/, its ui folder, the ui folder it imports, line)."""
    for path in sorted((PACKAGE / "ui").rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) < 3:
            continue
        for name, line in _imports(path):
            pieces = name.split(".")
            if pieces[:2] == ["starcoach", "ui"] and len(pieces) > 2:
                yield relative.as_posix(), relative.parts[1], pieces[2], line


def test_screens_are_kept_apart() -> None:
    wrong = [
        f"{file}:{line} ({folder}) imports starcoach.ui.{target}"
        for file, folder, target, line in _ui_imports()
        if target != folder
        and target not in SHARED_UI
        and (folder, target) not in SCREEN_EXCEPTIONS
        and file not in HOSTS
    ]
    assert not wrong, wrong


def test_shared_ui_does_not_import_a_screen() -> None:
    wrong = [
        f"{file}:{line} ({folder}) imports starcoach.ui.{target}"
        for file, folder, target, line in _ui_imports()
        if folder in SHARED_UI and target in SCREENS and file not in HOSTS
    ]
    assert not wrong, wrong


def _views() -> list[Path]:
    """The screens' modules but their controllers (and their states), and ui/common."""
    return [
        path
        for folder in sorted(SCREENS | {"common"})
        for path in sorted((PACKAGE / "ui" / folder).glob("*.py"))
        if path.stem not in ("controller", "state", "__init__")
    ]


def test_views_never_use_the_store_or_background_jobs() -> None:
    wrong = []
    for path in _views():
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in VIEW_EXCEPTIONS:
            continue
        text = path.read_text(encoding="utf-8")
        wrong += [
            f"{relative}:{line} imports {name}"
            for name, line in _imports(path)
            if name.startswith(FORBIDDEN_IN_VIEWS)
        ]
        wrong += [
            f"{relative} uses {attr}" for attr in (".store.", "context.service.") if attr in text
        ]
    assert not wrong, wrong


def test_the_exceptions_are_still_needed() -> None:
    """A named exception that nothing needs any more is taken off the list."""
    for relative in VIEW_EXCEPTIONS:
        path = PACKAGE / relative
        text = path.read_text(encoding="utf-8")
        uses = any(n.startswith(FORBIDDEN_IN_VIEWS) for n, _ in _imports(path)) or any(
            attr in text for attr in (".store.", "context.service.")
        )
        assert uses, f"{relative} no longer needs its exception"
    found = {(folder, target) for _, folder, target, _ in _ui_imports()}
    for pair in SCREEN_EXCEPTIONS:
        assert pair in found, f"{pair} no longer needs its exception"


def test_the_contracts_see_real_imports() -> None:
    """The reader finds what is there: the coach reads content, the window imports Qt."""
    found = {(part, target) for _, part, target, _ in _starcoach_imports()}
    assert ("coach", "content") in found and ("ui", "coach") in found
    assert ("report", "store") in found and ("bootstrap", "practice") in found
    assert any(folder == "practice" and target == "shell" for _, folder, target, _ in _ui_imports())
    assert any(path.name == "page.py" for path in _views())
    assert any(
        name.startswith("PySide6")
        for path in (PACKAGE / "ui").rglob("*.py")
        for name, _ in _imports(path)
    )
