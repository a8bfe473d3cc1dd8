"""``starcoach content list|show|validate``: the walkthroughs, bundled and the user's own."""

from __future__ import annotations

import argparse

from starcoach.cli.common import print_json, warn_about


def run(args: argparse.Namespace) -> int:
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

    library = warn_about(load_library())
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
