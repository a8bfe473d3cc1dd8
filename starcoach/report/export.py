"""A stored session exported: Markdown or a standalone HTML page, written safely (Qt-free).

The report is built once (report/session.py) and rendered by report/markdown.py or
report/html.py; ``write_export`` never writes inside the data folder.
"""

from __future__ import annotations

import contextlib
import os
from datetime import tzinfo
from pathlib import Path
from typing import Literal

from starcoach.content.models import Walkthrough
from starcoach.errors import StarCoachError
from starcoach.report.html import to_html
from starcoach.report.markdown import to_markdown
from starcoach.report.session import build_report
from starcoach.store.models import Session

Format = Literal["md", "html"]
FORMATS: tuple[Format, ...] = ("md", "html")


def export_filename(session: Session, fmt: str) -> str:
    return f"starcoach-{session.id}.{_check_format(fmt)}"


def export_session(
    session: Session,
    walkthrough: Walkthrough | None,
    fmt: str,
    *,
    tz: tzinfo | None = None,
) -> str:
    """The report of one session as Markdown (``fmt='md'``) or a standalone HTML page
    (``fmt='html'``). ``walkthrough`` gives the question's title and level names (the id is
    shown without it). Dates are shown in ``tz`` (default: the computer's time zone)."""
    report = build_report(session, walkthrough, tz)
    if _check_format(fmt) == "md":
        return to_markdown(report)
    return to_html(report)


def write_export(target: Path, text: str, *, data_dir: Path, force: bool = False) -> None:
    """Write an exported report to ``target``, never into the data folder.

    The data folder holds the history database and the recordings: a report written over
    one of them destroys it, so any path inside it is refused. An existing file elsewhere is
    replaced only with ``force`` (the window asks first and then passes it). The file is
    written beside the target and renamed over it, so a failure leaves the old one whole.
    Raises StarCoachError with a message fit to show.
    """
    target = Path(target)
    try:
        resolved = target.resolve()
        inside = resolved.is_relative_to(Path(data_dir).resolve())
    except OSError as exc:
        raise StarCoachError(f"Could not save {target}: {exc.strerror or exc}") from exc
    if inside:
        raise StarCoachError(
            f"Will not write {target}: it is inside StarCoach's data folder ({data_dir}), "
            "which holds your history and recordings. Pick a file elsewhere."
        )
    if resolved.is_dir():
        raise StarCoachError(f"Cannot write {target}: it is a folder")
    if resolved.exists() and not force:
        raise StarCoachError(f"{target} exists already; add --force to replace it")
    tmp = resolved.with_name(f".{resolved.name}.starcoach-tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, resolved)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StarCoachError(f"Could not save {target}: {exc.strerror or exc}") from exc


def _check_format(fmt: str) -> Format:
    for known in FORMATS:
        if fmt == known:
            return known
    raise ValueError(f"export format must be 'md' or 'html', not {fmt!r}")
