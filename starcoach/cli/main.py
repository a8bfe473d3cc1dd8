"""The command line: same engine as the window. Errors are one plain line, never a traceback."""

from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from starcoach import __version__, paths
from starcoach.errors import StarCoachError

if TYPE_CHECKING:
    from starcoach.transcribe.engine import TranscriptionEngine
    from starcoach.transcribe.types import Transcript

log = logging.getLogger("starcoach")

STEPS = ("situation", "task", "action", "result", "reflection")


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
    analyze.add_argument("--step", required=True, help="|".join(STEPS))
    analyze.add_argument("--level", default="sde1", help="sde1 (default) or senior")
    analyze.add_argument("--json", action="store_true", help="print the JSON object")
    analyze.add_argument("--model", help="a CTranslate2 Whisper model folder (default: tiny.en)")

    practice = sub.add_parser("practice", help="record an answer from the microphone")
    practice.add_argument("--question", required=True, help="question id (see 'questions')")
    practice.add_argument("--story", help="answer with this story (default: the question's own)")
    which = practice.add_mutually_exclusive_group(required=True)
    which.add_argument("--step", help="|".join(STEPS))
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
        if args.command == "content":
            return _content(args)
        if args.command == "analyze":
            return _analyze(args)
        if args.command in ("questions", "stories", "story"):
            from starcoach.cli import stories as cli_stories

            return cli_stories.run(args)
        from starcoach.cli import sessions as cli_sessions

        handler = {
            "practice": cli_sessions.practice,
            "history": cli_sessions.history,
            "export": cli_sessions.export,
            "delete": cli_sessions.delete,
            "recover": cli_sessions.recover,
            "devices": cli_sessions.devices,
        }.get(args.command)
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


def print_json(obj: object) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False))


# -- content ---------------------------------------------------------------------------------


def _content(args: argparse.Namespace) -> int:
    from starcoach.content import load_library, validate_path

    if args.content_command == "validate":
        if args.path is not None:
            errors = validate_path(args.path)
        else:
            errors = load_library().errors
        for error in errors:
            print(str(error))
        if not errors:
            print("All content is valid.")
        return 1 if errors else 0

    library = load_library()
    for error in library.errors:
        print(f"starcoach: warning: {error}", file=sys.stderr)
    if args.content_command == "list":
        rows = [
            {
                "id": w.id,
                "title": w.title,
                "principles": list(w.principles),
                "source": "bundled" if library.is_bundled(w.id) else "user",
                "path": str(library.paths.get(w.id, "")),
            }
            for w in library.walkthroughs.values()
        ]
        if args.json:
            print_json(rows)
        else:
            width = max((len(r["id"]) for r in rows), default=0)
            for r in rows:
                mark = "" if r["source"] == "bundled" else "  (yours)"
                print(f"{r['id']:<{width}}  {r['title']}{mark}")
        return 0
    walkthrough = library.get(args.id)
    if args.json:
        print_json(walkthrough.model_dump(mode="json"))
    else:
        from starcoach.report.text import walkthrough_text

        print(walkthrough_text(walkthrough))
    return 0


# -- analyze ---------------------------------------------------------------------------------


def _analyze(args: argparse.Namespace) -> int:
    from starcoach.coach.coach import analyze_step
    from starcoach.content import load_library, normalize_level
    from starcoach.errors import UnknownStep
    from starcoach.transcribe.types import Transcript

    step = args.step.strip().lower()
    if step not in STEPS:
        raise UnknownStep(args.step)
    level = normalize_level(args.level)
    if level is None:
        raise StarCoachError(f"Unknown level '{args.level}': use sde1 or senior")
    walkthrough = load_library().get(args.question)
    if args.text is not None:
        transcript = Transcript.from_text(args.text)
    else:
        transcript = _transcribe_file(args.audio, args.model, walkthrough.step(step).key_phrases)
    feedback = analyze_step(walkthrough, step, transcript, level)
    if args.json:
        print_json(feedback.to_json())
    else:
        from starcoach.report.text import feedback_text

        print(feedback_text(feedback))
    return 0


def _transcribe_file(audio: Path, model: str | None, key_phrases: Sequence[str]) -> Transcript:
    from starcoach.transcribe.audio_io import load_audio
    from starcoach.transcribe.decoding import options_for

    notes: list[str] = []
    samples = load_audio(audio, notes=notes)
    for note in notes:
        print(f"starcoach: note: {note}", file=sys.stderr)
    return engine_for(model or model_setting()).transcribe(samples, options_for(key_phrases))


@functools.cache
def engine_for(model: str | None) -> TranscriptionEngine:
    """One loaded model per process and model setting (loading is the slow part)."""
    from starcoach.transcribe.whisper_engine import FasterWhisperEngine

    return FasterWhisperEngine(model)


def model_setting() -> str | None:
    """``STARCOACH_MODEL``, else the model chosen in Settings, else None (bundled tiny.en)."""
    import os

    from starcoach.settings import load_settings

    return os.environ.get("STARCOACH_MODEL") or load_settings()[0].model


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
