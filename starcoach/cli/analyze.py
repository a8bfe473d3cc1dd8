"""``starcoach analyze``: feedback on one spoken (or typed) step."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from starcoach.cli.common import print_json
from starcoach.errors import StarCoachError
from starcoach.steps import STEP_ORDER

if TYPE_CHECKING:
    from starcoach.transcribe.types import Transcript


def run(args: argparse.Namespace) -> int:
    from starcoach.coach.coach import analyze_step
    from starcoach.content import load_library, normalize_level
    from starcoach.errors import UnknownStep
    from starcoach.transcribe.types import Transcript

    step = args.step.strip().lower()
    if step not in STEP_ORDER:
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
    from starcoach import bootstrap
    from starcoach.transcribe.audio_io import load_audio
    from starcoach.transcribe.decoding import options_for

    notes: list[str] = []
    samples = load_audio(audio, notes=notes)
    for note in notes:
        print(f"starcoach: note: {note}", file=sys.stderr)
    engine = bootstrap.engine_for(bootstrap.model_setting(model))
    return engine.transcribe(samples, options_for(key_phrases))
