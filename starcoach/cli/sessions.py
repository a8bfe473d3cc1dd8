"""The command line's session commands: practice, history, export, delete, recover, devices."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from starcoach.cli.common import print_json, warn_about
from starcoach.coach.coach import warm_up
from starcoach.errors import StarCoachError, UnknownStep
from starcoach.steps import STEP_ORDER as STEPS

if TYPE_CHECKING:
    from starcoach.practice import PracticeService


def _service(model: str | None = None) -> PracticeService:
    """The practice service as the window builds it, on the model --model, STARCOACH_MODEL or
    Settings names (one loaded engine per process)."""
    from starcoach import bootstrap

    services = bootstrap.build_services(engine=bootstrap.engine_for(bootstrap.model_setting(model)))
    warn_about(services.library)
    return services.service


def _device(spec: str | None) -> int | str | None:
    if spec is None:
        return None
    return int(spec) if spec.strip().isdigit() else spec


class _Interrupted(StarCoachError):
    """Ctrl+C (or SIGTERM) came while a take was being finished: say where its audio is."""

    exit_code = 130


@contextlib.contextmanager
def _stop_signals() -> Iterator[None]:
    """SIGTERM behaves like Ctrl+C (KeyboardInterrupt) while recording from the terminal,
    so both stop the take cleanly instead of killing the process mid-write."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _kept_message(active) -> str:  # type: ignore[no-untyped-def]
    path = active.recorder.path
    return (
        f"interrupted while finishing the recording; the audio is kept in {path.parent} — "
        "run 'starcoach recover' to analyse it"
    )


def practice(args: argparse.Namespace) -> int:
    with _stop_signals():
        return _practice(args)


def _practice(args: argparse.Namespace) -> int:
    from starcoach.content import normalize_level
    from starcoach.report.text import feedback_text
    from starcoach.terminal import EnterKey, Screen, status_line

    level = normalize_level(args.level)
    if level is None:
        raise StarCoachError(f"Unknown level '{args.level}': use sde1 or senior")
    if args.step is not None and args.step.strip().lower() not in STEPS:
        raise UnknownStep(args.step)
    if args.seconds is not None and args.seconds <= 0:
        raise StarCoachError("--seconds must be more than 0")
    if args.mock:
        return _mock(args, level)
    steps = list(STEPS) if args.full else [args.step.strip().lower()]
    screen = Screen()
    service = _service(args.model)
    story = getattr(args, "story", None)
    walkthrough = service.library.walkthrough_for(args.question, story)
    device = _device(args.device)
    from starcoach.audio import resolve_device

    resolve_device(device)  # "No microphone found" before a session is created
    screen.say(f"{walkthrough.title}  [{level}]")
    screen.say("Loading the speech model…")
    service.engine.load()
    warm_up(walkthrough)
    session = service.new_session(
        walkthrough.id, "full" if args.full else "step", level, args.device, story_id=story
    )
    enter = EnterKey()
    outcomes = []
    for index, step_name in enumerate(steps):
        step = walkthrough.step(step_name)
        screen.say("")
        limit = f", max {step.max_s:g} s" if step.max_s else ""
        screen.say(f"{step_name.upper()}  target {step.target_s:g} s{limit}")
        if step.coaching:
            screen.say(f"  {step.coaching}")
        # The terminal shows no live text: no need to spend the CPU on tentative decodes.
        active = service.begin_step(session, step_name, device=device, live_text=False)
        enter.reset()
        interrupted = _record_until_stopped(
            active,
            args,
            screen,
            enter,
            lambda e, lvl, st=step: status_line(e, st.target_s, st.max_s, lvl),
        )
        try:
            outcome = active.stop()
        except KeyboardInterrupt:
            raise _Interrupted(_kept_message(active)) from None
        outcomes.append(outcome)
        if outcome.recording.error:
            screen.say(f"starcoach: {outcome.recording.error}")
        if outcome.recording.dropped_blocks or outcome.recording.overflows:
            screen.say(
                f"warning: {outcome.recording.dropped_blocks} audio block(s) dropped, "
                f"{outcome.recording.overflows} overflow(s) during this recording"
            )
        if not args.json:
            print(feedback_text(outcome.feedback), flush=True)
        if interrupted:
            screen.say("Stopped: this step is kept; run the command again for the others.")
            break
        if outcome.recording.error_kind in ("disconnected", "disk-full", "no-audio"):
            break
        if index + 1 < len(steps) and args.seconds is None:
            screen.say("Press Enter for the next step.")
            enter.reset()
            waiting = threading.Event()
            while not enter.poll() and enter.usable:
                waiting.wait(0.1)
    verdict = service.finish_session(session, outcomes)
    if args.json:
        print_json(
            {
                "session": session.id,
                "question": walkthrough.id,
                "level": level,
                "steps": [o.to_json() for o in outcomes],
                "verdict": None
                if verdict is None
                else {
                    "verdict": verdict.verdict,
                    "score": verdict.score,
                    "reasons": verdict.reasons,
                },
            }
        )
    else:
        if verdict is not None:
            print(f"\nVerdict: {verdict.verdict} ({verdict.score}/100)")
            for reason in verdict.reasons:
                print(f"  - {reason}")
        print(f"\nSaved as session {session.id}  (starcoach export {session.id} --format html)")
    return 0


def history(args: argparse.Namespace) -> int:
    from starcoach.store import Store

    store = Store(allow_read_only=True)
    sessions = store.list_sessions(args.question)
    live = {a.session_id for a in store.live_attempts()}
    unfinished = {a.session_id for a in store.orphaned_attempts()}
    if store.read_only:
        print(
            f"starcoach: note: the data folder {store.db_path.parent} is not writable; "
            "showing the history read-only",
            file=sys.stderr,
        )
    rows = [
        {
            "session": s.id,
            "created_at": s.created_at,
            "question": s.question_id,
            "mode": s.mode,
            "level": s.level,
            "status": s.status,
            "steps_done": list(s.steps_done),
            "mean_score": s.mean_score,
            "interrupted": s.id in unfinished,
            "recording_now": s.id in live,
        }
        for s in sessions
    ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No sessions yet. Start one: starcoach practice --question ID --step task")
        return 0
    for r in rows:
        score = "  -" if r["mean_score"] is None else f"{r['mean_score']:3.0f}"
        mark = "  INTERRUPTED — run 'starcoach recover'" if r["interrupted"] else ""
        if r["recording_now"]:
            mark = "  RECORDING NOW" + (" (another take was interrupted)" if mark else "")
        steps = ",".join(str(x)[:3] for x in r["steps_done"]) or "-"  # type: ignore[union-attr]
        print(
            f"{r['session']}  {str(r['created_at'])[:16]}  {r['question']:<36} "
            f"{r['mode']:<4} {r['level']:<6} {score}  {steps}{mark}"
        )
    return 0


def export(args: argparse.Namespace) -> int:
    from starcoach import paths
    from starcoach.content import load_library
    from starcoach.report.export import export_session, write_export
    from starcoach.store import Store

    session = Store(allow_read_only=True).get_session(args.session)
    library = load_library()
    try:
        walkthrough = library.walkthrough_for(session.question_id, session.story_id)
    except StarCoachError:  # the question or the story is gone since: export what is stored
        walkthrough = None
    text = export_session(session, walkthrough, args.format)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_export(Path(args.output), text, data_dir=paths.data_dir(), force=args.force)
    print(f"Wrote {args.output}", file=sys.stderr)
    return 0


def delete(args: argparse.Namespace) -> int:
    from starcoach.store import Store

    store = Store()
    session = store.get_session(args.session)
    if not args.yes:
        if not sys.stdin.isatty():
            raise StarCoachError("Refusing to delete without confirmation: add --yes")
        answer = input(f"Delete session {session.id} and its audio? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Kept.")
            return 1
    store.delete_session(session.id)
    print(f"Deleted session {session.id} and its recordings.")
    return 0


def recover(args: argparse.Namespace) -> int:
    from starcoach.store import RecordingInProgress

    service = _service(args.model)
    live = service.recording_now()
    results = []
    for attempt in service.unfinished():
        try:
            feedback = service.recover(attempt)
        except RecordingInProgress:
            live.append(attempt)  # its owner turned out to be alive: hands off
            continue
        results.append(
            {
                "session": attempt.session_id,
                "attempt": attempt.id,
                "step": attempt.step,
                "recovered": feedback is not None,
                "duration_s": None if feedback is None else feedback.duration_s,
                "score": None if feedback is None else feedback.score,
            }
        )
    if args.json:
        print_json(results)
    elif not results:
        print("Nothing to recover.")
    else:
        for r in results:
            if r["recovered"]:
                what = f"{r['session']} {r['step']}"
                print(f"Recovered {what}: {r['duration_s']:.1f} s, score {r['score']}")
            else:
                print(f"Nothing was left of {r['session']} {r['step']}; removed.")
    for attempt in live:
        print(
            f"starcoach: {attempt.session_id} {attempt.step} is being recorded right now; "
            "left alone",
            file=sys.stderr,
        )
    return 0


def devices(args: argparse.Namespace) -> int:
    from starcoach.audio import list_input_devices

    found = list_input_devices()
    if args.json:
        print_json(
            [
                {
                    "index": d.index,
                    "name": d.name,
                    "hostapi": d.hostapi,
                    "channels": d.channels,
                    "default_samplerate": d.default_samplerate,
                    "default": d.is_default,
                }
                for d in found
            ]
        )
        return 0
    if not found:
        print("No microphone found — plug one in or pick one in Settings")
        return 1
    for d in found:
        mark = "*" if d.is_default else " "
        print(f"{mark} {d.index:>3}  {d.name}  ({d.hostapi}, {d.channels} ch)")
    return 0


def _record_until_stopped(active, args, screen, enter, line) -> bool:  # type: ignore[no-untyped-def]
    """Show the clock and level until Enter, --seconds, Ctrl+C / SIGTERM (then True is
    returned: the caller keeps the take and stops there) or the microphone going away."""
    try:
        if not active.wait_until_listening(10):
            active.finish()
            raise StarCoachError(
                "The microphone delivered no audio; check it in 'starcoach devices'"
            )
        how = f"{args.seconds:g} s" if args.seconds else "press Enter to stop"
        screen.say(f"Recording — speak now ({how})")
        tick = threading.Event()
        while True:
            elapsed = active.elapsed_s
            if args.seconds is not None and elapsed >= args.seconds:
                break
            if active.ended_by_itself or enter.poll():
                break
            if args.seconds is None and not enter.usable:
                raise StarCoachError("No terminal to press Enter in: give --seconds N")
            screen.live(line(elapsed, active.level), elapsed)
            tick.wait(0.1)
    except KeyboardInterrupt:
        screen.end_live()
        screen.say("Stopping (Ctrl+C): keeping what was recorded…")
        return True
    screen.end_live()
    return False


def _record_take(service, session, name: str, args: argparse.Namespace, limit: float | None):  # type: ignore[no-untyped-def]
    """Record one take from the terminal until Enter or --seconds; returns the TakeResult."""
    from starcoach.terminal import EnterKey, Screen, clock, level_bar

    screen = Screen()
    take = service.begin_take(session, name, device=_device(args.device), live_text=False)
    limit_text = f" / {clock(limit)}" if limit else ""
    interrupted = _record_until_stopped(
        take,
        args,
        screen,
        EnterKey(),
        lambda e, lvl: f"● REC {clock(e)}{limit_text} [{level_bar(lvl)}]",
    )
    try:
        result = take.finish()
    except KeyboardInterrupt:
        raise _Interrupted(_kept_message(take)) from None
    if result.recording.error:
        screen.say(f"starcoach: {result.recording.error}")
    return result, interrupted


def _mock(args: argparse.Namespace, level: str) -> int:
    from starcoach.coach.mock import analyze_mock, answer_probes, report_markdown
    from starcoach.terminal import Screen

    screen = Screen()
    service = _service(args.model)
    story = getattr(args, "story", None)
    walkthrough = service.library.walkthrough_for(args.question, story)
    from starcoach.audio import resolve_device

    resolve_device(_device(args.device))
    screen.say("Loading the speech model…")
    service.engine.load()
    warm_up(walkthrough)
    session = service.new_session(walkthrough.id, "mock", level, args.device, story_id=story)
    guidance = walkthrough.level(level)
    limit = guidance.time_s_max if guidance and guidance.time_s_max else None
    screen.say("")
    screen.say(f"The interviewer asks: {walkthrough.title}")
    screen.say("Answer the whole question in one go: Situation, Task, Action, Result, Reflection.")
    answer, interrupted = _record_take(service, session, "answer", args, limit)
    service.save_take(answer)
    result = analyze_mock(walkthrough, answer.transcript, level)
    answers = {}
    for number, probe in enumerate(result.probes, 1):
        if interrupted:
            screen.say("Stopped: the follow-up questions are skipped.")
            break
        screen.say("")
        screen.say(f"Follow-up {number}: {probe.chosen.question}")
        take, interrupted = _record_take(service, session, f"probe-{number}", args, 60.0)
        answers[probe.chosen.index] = take.transcript
        judged = answer_probes(result, walkthrough, {probe.chosen.index: take.transcript})
        report = next(p for p in judged.probes if p.chosen.index == probe.chosen.index)
        service.save_take(take, report.to_json())
    result = answer_probes(result, walkthrough, answers)
    service.save_mock(session, answer, result)
    if args.json:
        print_json({"session": session.id, **result.to_json()})
    else:
        print(report_markdown(result))
        print(f"\nSaved as session {session.id}  (starcoach export {session.id} --format html)")
    return 0
