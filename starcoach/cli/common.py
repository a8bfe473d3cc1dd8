"""What the command groups share: JSON output and the one plain line of a warning."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starcoach.content import Library


def print_json(obj: object) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False))


def warn_about(library: Library) -> Library:
    """Content files that did not load, one warning line each on stderr (the rest loaded)."""
    for error in library.errors:
        print(f"starcoach: warning: {error}", file=sys.stderr)
    return library
