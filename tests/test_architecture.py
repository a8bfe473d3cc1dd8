"""The shape of the house, held by a test (`make lint` runs it): who may import whom.

The rule of STYLE.md: only starcoach/ui imports Qt, and data flows one way -- microphone
-> recorder -> transcriber -> coach -> store -> views -- with no module reaching back up.
Every import in the package is read with ast (lazy imports inside functions included).
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


def test_the_contracts_see_real_imports() -> None:
    """The reader finds what is there: the coach reads content, the window imports Qt."""
    found = {(part, target) for _, part, target, _ in _starcoach_imports()}
    assert ("coach", "content") in found and ("ui", "coach") in found
    assert any(
        name.startswith("PySide6")
        for path in (PACKAGE / "ui").rglob("*.py")
        for name, _ in _imports(path)
    )
