"""The command line's parser and dispatch: same services as the window (starcoach.bootstrap).
Errors are one plain line, never a traceback. Each command group lives in its own module;
they import what is heavy (the model, the microphone) only when a command needs it."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from starcoach import __version__, paths
from starcoach.errors import StarCoachError
from starcoach.steps import STEP_ORDER

log = logging.getLogger("starcoach")

STEPS = "|".join(STEP_ORDER)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="starcoach",
        description="Rehearse behavioral interview answers aloud, step by STAR step. "
        "Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"starcoach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    content = sub.add_parser("content", help="list, show and validate walkthroughs")
    csub = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    c_list = csub.add_parser("list", help="list the walkthroughs")
    c_list.add_argument("--json", action="store_true", help="print JSON")
    c_show = csub.add_parser("show", help="show one walkthrough in full")
    c_show.add_argument("id", help="walkthrough id (see 'content list')")
    c_show.add_argument("--json", action="store_true", help="print JSON")
    c_val = csub.add_parser("validate", help="check content files (default: all)")
    c_val.add_argument("path", nargs="?", type=Path, help="a file or folder (default: all)")

    questions = sub.add_parser("questions", help="the question bank, by principle")
    questions.add_argument("--principle", help="only this principle (e.g. 'Ownership')")
    questions.add_argument("--json", action="store_true", help="print JSON")

    stories = sub.add_parser("stories", help="your stories and the principles they cover")
    stories.add_argument("--json", action="store_true", help="print JSON")

    story = sub.add_parser("story", help="draft one of your stories from notes")
    ssub = story.add_subparsers(dest="story_command", metavar="ACTION", required=True)
    s_draft = ssub.add_parser("draft", help="print a story draft (YAML) from prose or notes")
    notes = s_draft.add_mutually_exclusive_group(required=True)
    notes.add_argument("file", nargs="?", type=Path, help="a text file with your notes")
    notes.add_argument("--text", help="the notes themselves")
    s_draft.add_argument("--title", help="the story's title (default: from the notes)")
    s_draft.add_argument("-o", "--output", type=Path, help="write the YAML here (not stdout)")
    s_draft.add_argument("--force", action="store_true", help="replace the output file")

    analyze = sub.add_parser("analyze", help="feedback on one spoken (or typed) step")
    source = analyze.add_mutually_exclusive_group(required=True)
    source.add_argument("audio", nargs="?", type=Path, help="audio file (FLAC, WAV, OGG...)")
    source.add_argument("--text", help="analyse this text instead of audio (no timings)")
    analyze.add_argument("--question", required=True, help="walkthrough id")
    analyze.add_argument("--step", required=True, help=STEPS)
    analyze.add_argument("--level", default="sde1", help="sde1 (default) or senior")
    analyze.add_argument("--json", action="store_true", help="print the JSON object")
    analyze.add_argument("--model", help="a CTranslate2 Whisper model folder (default: tiny.en)")

    practice = sub.add_parser("practice", help="record an answer from the microphone")
    practice.add_argument("--question", required=True, help="question id (see 'questions')")
    practice.add_argument("--story", help="answer with this story (default: the question's own)")
    which = practice.add_mutually_exclusive_group(required=True)
    which.add_argument("--step", help=STEPS)
    which.add_argument("--full", action="store_true", help="all five steps in turn")
    which.add_argument(
        "--mock", action="store_true", help="mock interview: one take, then follow-up probes"
    )
    practice.add_argument("--seconds", type=float, help="record N seconds (default: until Enter)")
    practice.add_argument("--device", help="input device index or name (see 'devices')")
    practice.add_argument("--level", default="sde1", help="sde1 (default) or senior")
    practice.add_argument("--json", action="store_true", help="print the result as JSON")
    practice.add_argument("--model", help="a CTranslate2 Whisper model folder (default: tiny.en)")

    history = sub.add_parser("history", help="past sessions")
    history.add_argument("--question", help="only this walkthrough")
    history.add_argument("--json", action="store_true", help="print JSON")

    export = sub.add_parser("export", help="export a session as Markdown or HTML")
    export.add_argument("session", help="session id (or a unique start of it)")
    export.add_argument("--format", choices=("md", "html"), default="md")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    export.add_argument("--force", action="store_true", help="replace the output file if it exists")

    delete = sub.add_parser("delete", help="delete a session and its audio")
    delete.add_argument("session", help="session id (or a unique start of it)")
    delete.add_argument("--yes", action="store_true", help="do not ask")

    recover = sub.add_parser("recover", help="analyse recordings a crash interrupted")
    recover.add_argument("--json", action="store_true", help="print JSON")
    recover.add_argument("--model", help="a CTranslate2 Whisper model folder (default: tiny.en)")

    devices = sub.add_parser("devices", help="list microphones")
    devices.add_argument("--json", action="store_true", help="print JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _open_app()
    try:
        handler = _handler(args.command)
        if handler is not None:
            return handler(args)
    except StarCoachError as exc:
        return _fail(str(exc), code=getattr(exc, "exit_code", 1))
    except KeyboardInterrupt:
        return _fail("interrupted", code=130)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the promise: one plain line, the details in a log file
        return _fail(f"unexpected error: {exc} (details in {_log_crash()})")
    parser.print_help()
    return 2


# Each command's module and function, imported when the command runs: `starcoach --help`
# and `content list` never load the coach, the microphone or the model.
COMMANDS = {
    "content": "content:run",
    "analyze": "analyze:run",
    "questions": "stories:run",
    "stories": "stories:run",
    "story": "stories:run",
    "practice": "sessions:practice",
    "history": "sessions:history",
    "export": "sessions:export",
    "delete": "sessions:delete",
    "recover": "sessions:recover",
    "devices": "sessions:devices",
}


def _handler(command: str) -> Callable[[argparse.Namespace], int] | None:
    if command not in COMMANDS:
        return None
    module, function = COMMANDS[command].split(":")
    handler: Callable[[argparse.Namespace], int] = getattr(
        importlib.import_module(f"starcoach.cli.{module}"), function
    )
    return handler


def _fail(message: str, code: int = 1) -> int:
    print(f"starcoach: {message}", file=sys.stderr)
    return code


def _log_crash() -> Path:
    target = paths.data_dir() / "logs" / "crash.log"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
    except OSError:
        return Path("(no log: data folder not writable)")
    return target


def _open_app() -> int:
    import os

    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    ):
        # Qt would abort with "could not connect to display"; say it plainly instead.
        return _fail(
            "no display found: the window needs a desktop session "
            "(or run it as 'xvfb-run starcoach'); the command line works without one, "
            "see 'starcoach --help'"
        )
    from starcoach.app import run_app

    return int(run_app())
