"""End-to-end tests: the real speech model, the virtual microphone, the real window.

Every test in this folder is marked ``e2e`` here, by its folder, so a file needs no marker
of its own: ``make unit`` (-m "not e2e") leaves them out and ``make e2e`` runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A conftest hook sees every collected item, not only this folder's: pick ours by path.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)
