"""The command line's question and story commands: questions, stories, story draft."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from starcoach.cli.common import print_json, warn_about
from starcoach.content import Library, load_library
from starcoach.content.questions import principle_key
from starcoach.errors import StarCoachError


def run(args: argparse.Namespace) -> int:
    if args.command == "questions":
        return questions(args)
    if args.command == "stories":
        return stories(args)
    return story_draft(args)


def _library() -> Library:
    return warn_about(load_library())


def resolve_principle(library: Library, text: str) -> str:
    """The bank's name for a principle written loosely ("ownership", "backbone", "dive")."""
    key = principle_key(text)
    names = [p.name for p in library.principles.values()]
    exact = [n for n in names if principle_key(n) == key]
    if exact:
        return exact[0]
    partial = [n for n in names if key and key in principle_key(n)]
    if len(partial) == 1:
        return partial[0]
    hint = "; matches " + ", ".join(partial) if partial else ""
    raise StarCoachError(f"Unknown principle '{text}'{hint}. Use one of: " + ", ".join(names))


def questions(args: argparse.Namespace) -> int:
    library = _library()
    chosen = [p.name for p in library.principles.values()]
    if args.principle:
        chosen = [resolve_principle(library, args.principle)]
    groups: list[dict[str, Any]] = []
    listed: set[str] = set()
    for name in chosen:
        principle = library.principles[principle_key(name)]
        rows = []
        for question in library.questions_for(name):
            listed.add(question.id)
            rows.append(
                {
                    "id": question.id,
                    "title": question.title,
                    "principles": list(question.principles),
                    "authored": question.authored,
                    "source": "bank" if question.id in library.bank else "walkthrough",
                    "story": question.story_id,
                }
            )
        groups.append(
            {"principle": principle.name, "meaning": principle.meaning, "questions": rows}
        )
    if args.json:
        print_json(groups)
        return 0
    for group in groups:
        print(f"{group['principle']} — {group['meaning']}")
        for row in group["questions"]:
            mark = "  (with its story)" if row["story"] else ""
            print(f"  {row['id']:<40}  {row['title']}{mark}")
        print()
    return 0


def stories(args: argparse.Namespace) -> int:
    from starcoach.coverage import coverage
    from starcoach.store import Store

    library = _library()
    with Store(allow_read_only=True) as store:
        sessions = store.list_sessions()
    cov = coverage(library, sessions)
    if args.json:
        print_json(
            {
                "stories": [
                    {**s.to_json(), "path": str(library.paths.get(s.story_id, ""))}
                    for s in cov.stories
                ],
                "uncovered": cov.uncovered,
                "next": [d.text for d in cov.plan],
            }
        )
        return 0
    width = max((len(s.story_id) for s in cov.stories), default=0)
    for s in cov.stories:
        score = f"last {s.last_score:g}" if s.last_score is not None else "not practised"
        mark = "yours" if s.own else "bundled"
        print(f"{s.story_id:<{width}}  {s.title}  [{mark}; {score}]")
        if s.principles:
            print(f"{'':<{width}}  covers: {', '.join(s.principles)}")
    if cov.uncovered:
        print(f"\nNo story yet for: {', '.join(cov.uncovered)}")
    if cov.plan:
        print("\nPractise next:")
        for drill in cov.plan:
            print(f"  - {drill.text}")
    return 0


def story_draft(args: argparse.Namespace) -> int:
    from starcoach.content.authoring import to_yaml
    from starcoach.content.draft import draft_from_notes

    if args.text is not None:
        notes = args.text
    else:
        try:
            notes = Path(args.file).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise StarCoachError(f"No such file: {args.file}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise StarCoachError(f"Cannot read {args.file}: {exc}") from None
    if not notes.strip():
        raise StarCoachError("The notes are empty: write your story as prose or bullet points")
    draft = draft_from_notes(notes, title=args.title)
    text = "# A story draft by StarCoach: check the split and the key phrases, then save it\n"
    text += "# into your data folder's content/ (see docs/content-format.md).\n"
    text += to_yaml(draft.to_data())
    if args.output is None:
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    if out.exists() and not args.force:
        raise StarCoachError(f"{out} exists; add --force to replace it")
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise StarCoachError(f"Could not save {out}: {exc.strerror or exc}") from None
    print(f"Draft written to {out}", file=sys.stderr)
    return 0
