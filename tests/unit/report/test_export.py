"""Exporting a stored session as Markdown and as a standalone HTML page.

Fixtures come from the real coach, stored and read back through a real Store, so the export
sees exactly what the history holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any, ClassVar

import pytest

from starcoach.coach.coach import analyze_answer, analyze_step
from starcoach.coach.rules import RULES
from starcoach.content import Library
from starcoach.report.export import export_filename, export_session
from starcoach.store import Session, Store
from starcoach.transcribe.types import Transcript, Word

# Mistakes are shown by their titles (coach/rules.py), never their ids.
WE = RULES["we-language"].title
HANDOFF = RULES["handoff-escalation"].title

QUESTION = "disagree-senior-leader"

TYPED_ACTION = (
    "We escalated it to the manager. Um, I wrote a design doc <script>alert('x')</script> "
    "with data, you know, and we waited for their review."
)


def timed(text: str, pause_after: str = "") -> Transcript:
    """A spoken-looking transcript: 0.3 s words, 0.1 s gaps, a 2.5 s pause after a word."""
    words = []
    t = 0.0
    for token in text.split():
        words.append(Word(token, round(t, 2), round(t + 0.3, 2), 0.9))
        t += 0.4
        if token == pause_after:
            t += 2.5
    return Transcript(words=tuple(words), duration_s=round(t + 0.5, 2))


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 1, 12, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store(clock=FakeClock())
    yield s
    s.close()


def add(store: Store, session: Session, step: str, transcript: Transcript, fb: Any) -> None:
    data = fb.to_json()
    store.record_attempt(
        session.id,
        step,
        audio_path=store.audio_path(session.id, step) if transcript.timed else None,
        duration_s=data["duration_s"],
        transcript=transcript.to_dict(),
        feedback=data,
        score=data["score"],
    )


@pytest.fixture
def session(store: Store, library: Library) -> Session:
    """Situation spoken (timed words), Action typed (no times), and a verdict."""
    walkthrough = library.get(QUESTION)
    s = store.create_session(QUESTION, "step", "sde1", "Built-in Microphone")
    situation = timed(
        "I noticed the webhook failure rate was 0.3%. It was not my team and there was no ticket.",
        pause_after="0.3%.",
    )
    action = Transcript.from_text(TYPED_ACTION)
    transcripts = {"situation": situation, "action": action}
    for step, transcript in transcripts.items():
        add(store, s, step, transcript, analyze_step(walkthrough, step, transcript))
    store.finish_session(s.id, analyze_answer(walkthrough, transcripts).to_json())
    return store.get_session(s.id)


def transcript_line(md: str, heading: str) -> str:
    """The transcript blockquote under the ``## heading`` section of the Markdown."""
    section = md.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("> ") and "Note" not in line]
    assert len(lines) == 1, section
    return lines[0]


# -- Markdown ----------------------------------------------------------------------------


def test_markdown_report_has_header_steps_and_verdict(session: Session, library: Library) -> None:
    md = export_session(session, library.get(QUESTION), "md", tz=UTC)
    assert md.startswith(
        "# Tell Me About a Time You Had to Disagree With a Senior Leader Respectfully\n"
    )
    assert "- **Date:** 2026-11-23 01:12 UTC" in md
    assert "- **Level:** SDE 1" in md
    assert "- **Mode:** Guided practice, step by step" in md
    assert "- **Steps done:** 2 of 5" in md
    assert f"- **Session:** {session.id}" in md
    verdict = session.verdict
    assert verdict is not None
    assert f"## Verdict: {verdict['verdict']} ({verdict['score']}/100)" in md
    for reason in verdict["reasons"]:
        assert f"- {reason}" in md
    # Steps in STAR order with their scores.
    situation, action = session.attempts
    assert md.index("## Situation") < md.index("## Action")
    assert f"## Situation — score {situation.score}/100" in md
    assert f"## Action — score {action.score}/100" in md
    assert md.endswith("\n") and not md.endswith("\n\n")


def test_markdown_marks_phrases_by_time_and_lists_the_rest(
    session: Session, library: Library
) -> None:
    md = export_session(session, library.get(QUESTION), "md", tz=UTC)
    line = transcript_line(md, "Situation")
    assert line == (
        "> **I noticed** the webhook failure rate was 0.3%. It was **not my team** and there "
        "was **no ticket**."
    )
    assert "- “I noticed” at 0:00" in md
    assert "**Missing key phrases:**\n\n- “nobody had asked”" in md
    assert "**Duration:** 10 s against a target of 30 s (maximum 45 s)" in md
    # Delivery of a spoken answer: measured pace and the long pause.
    situation = md.split("## Situation", 1)[1].split("\n## ", 1)[0]
    feedback = session.attempts[0].feedback
    assert feedback is not None
    wpm = feedback["metrics"]["words_per_minute"]
    assert f"- Pace: {wpm:.0f} words/min" in situation
    assert "- I vs we: 1 I, 0 we" in situation
    assert "- Fillers: 0" in situation
    assert "- Long pauses: 1 (0:03)" in situation


def test_markdown_typed_answer_marks_by_text_and_escapes(
    session: Session, library: Library
) -> None:
    md = export_session(session, library.get(QUESTION), "md", tz=UTC)
    line = transcript_line(md, "Action")
    # Two mistakes found in the same words share one mark.
    assert line.startswith(
        f"> _We escalated it to the_ [!{WE}] [!{HANDOFF}] manager. Um, **I wrote** a"
    )
    assert "_waited for their_ [!Waited for others to act] review." in line
    # The transcript's markup is shown, never interpreted.
    assert "\\<script\\>alert('x')\\</script\\>" in line
    assert re.search(r"(?<!\\)<", md) is None  # no raw HTML anywhere
    action = md.split("## Action", 1)[1]
    assert "**Duration:** about 9 s at an interview pace (typed) against a target of 90 s" in (
        action
    )
    assert "- Pace: not measured (typed answer)" in action
    assert "- Fillers: 2 (“Um”, “you know”)" in action
    assert "Long pauses" not in action
    assert "- **Said “we” where the interviewer needs “I”.** Use 'I' for every sentence" in action
    assert "Heard: “We escalated it to the”." in action
    assert "- “I pulled”" in action.split("**Missing key phrases:**", 1)[1]
    # Emphasis delimiters pair up on the transcript line.
    assert line.count("**") % 2 == 0
    assert len(re.findall(r"(?<!\\)_", line)) % 2 == 0


def test_markdown_escapes_markup_in_every_field(store: Store, library: Library) -> None:
    s = store.create_session(QUESTION, "step", "sde1", None)
    text = "# I *pulled* the [logs](http://x) | 5 < 6 & &amp; `code` ~~gone~~"
    transcript = Transcript.from_text(text)
    add(store, s, "action", transcript, analyze_step(library.get(QUESTION), "action", transcript))
    md = export_session(store.get_session(s.id), None, "md", tz=UTC)
    line = transcript_line(md, "Action")
    assert line.startswith("> \\# **I \\*pulled\\***")
    assert "\\[logs\\](http://x)" in line
    assert "\\| 5 \\< 6 & \\&amp; \\`code\\` \\~\\~gone\\~\\~" in line
    # Without a walkthrough the question id stands in for the title.
    assert md.startswith(f"# {QUESTION}\n")


# -- HTML --------------------------------------------------------------------------------


class TagBalance(HTMLParser):
    VOID: ClassVar[set[str]] = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def parse(page: str) -> TagBalance:
    parser = TagBalance()
    parser.feed(page)
    parser.close()
    assert parser.problems == []
    assert parser.stack == []
    return parser


def test_html_is_a_standalone_themed_page(session: Session, library: Library) -> None:
    page = export_session(session, library.get(QUESTION), "html", tz=UTC)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    parsed = parse(page)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags  # nothing external
    assert '<meta charset="utf-8">' in page
    assert "@media (prefers-color-scheme: dark)" in page
    assert "max-width: 760px" in page
    assert "system-ui" in page
    assert "<title>Tell Me About a Time You Had to Disagree With a Senior Leader Respectfully" in (
        page
    )
    assert "<dt>Level</dt><dd>SDE 1</dd>" in page


def test_html_marks_phrases_and_mistakes_with_messages(session: Session, library: Library) -> None:
    page = export_session(session, library.get(QUESTION), "html", tz=UTC)
    parsed = parse(page)
    phrases = [a for t, a in parsed.tags if t == "mark" and a.get("class") == "phrase"]
    # 3 in the situation, 1 in the action, 1 in the legend.
    assert len(phrases) == 5
    assert '<mark class="phrase" title="Key phrase: not my team">not my team</mark>' in page
    mistakes = [a for t, a in parsed.tags if t == "span" and a.get("class") == "mistake"]
    by_id = {a["data-mistake"]: a["title"] or "" for a in mistakes if a.get("data-mistake")}
    assert set(by_id) == {"we-language handoff-escalation", "passive-waiting"}
    assert by_id["passive-waiting"] == "Passive approach shows lack of ownership and influence."
    assert by_id["we-language handoff-escalation"].count(" / ") == 1  # both messages
    assert (
        f'>We escalated it to the</span><sup class="mistake-id">{WE}</sup>'
        f'<sup class="mistake-id">{HANDOFF}</sup>'
    ) in page
    assert "<h3>Missing key phrases</h3>" in page
    assert "<li>“nobody had asked”</li>" in page
    assert "<li>Long pauses: 1 (0:03)</li>" in page
    assert "<li>Pace: not measured (typed answer)</li>" in page
    verdict = session.verdict
    assert verdict is not None
    assert f"<h2>Verdict: {verdict['verdict']} ({verdict['score']}/100)</h2>" in page


def test_html_escapes_the_transcript(session: Session, library: Library) -> None:
    page = export_session(session, library.get(QUESTION), "html", tz=UTC)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_html_escapes_messages_in_attributes(store: Store) -> None:
    s = store.create_session(QUESTION, "step", "sde1", None)
    feedback = {
        "question": QUESTION,
        "step": "action",
        "transcript": "I did it",
        "duration_s": 3.0,
        "target_s": 90.0,
        "max_s": None,
        "key_phrases": [],
        "mistakes": [
            {"id": "x", "message": '"><img src=x onerror=alert(1)>', "evidence": "did",
             "start": None, "end": None},
        ],
        "metrics": {},
        "score": 5,
    }  # fmt: skip
    store.record_attempt(
        s.id, "action", duration_s=3.0, transcript=None, feedback=feedback, score=5
    )
    page = export_session(store.get_session(s.id), None, "html", tz=UTC)
    parsed = parse(page)
    assert "img" not in [t for t, _ in parsed.tags]
    assert 'title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in page
    assert '>did</span><sup class="mistake-id">X</sup>' in page  # found in feedback's text


# -- placing marks -----------------------------------------------------------------------


def hand_made(
    store: Store,
    transcript: Transcript,
    phrases: list[dict[str, Any]],
    mistakes: list[dict[str, Any]] | None = None,
) -> Session:
    s = store.create_session(QUESTION, "step", "sde1", None)
    feedback = {
        "question": QUESTION,
        "step": "action",
        "transcript": transcript.text,
        "duration_s": transcript.duration_s,
        "target_s": 90.0,
        "max_s": None,
        "key_phrases": phrases,
        "mistakes": mistakes or [],
        "metrics": {"words_per_minute": 150.0, "timed": transcript.timed},
        "score": 50,
    }
    store.record_attempt(
        s.id,
        "action",
        duration_s=transcript.duration_s,
        transcript=transcript.to_dict(),
        feedback=feedback,
        score=50,
    )
    return store.get_session(s.id)


def phrase(text: str, start: float | None = None, end: float | None = None) -> dict[str, Any]:
    return {"phrase": text, "matched": True, "heard": text, "start": start, "end": end}


def test_word_times_pick_the_occurrence_that_was_heard(store: Store) -> None:
    transcript = timed("I wrote code. Later I wrote tests.")
    # Words: I 0.0, wrote 0.4, code. 0.8, Later 1.2, I 1.6, wrote 2.0 (ends 2.3).
    s = hand_made(store, transcript, [phrase("I wrote", 1.6, 2.3)])
    line = transcript_line(export_session(s, None, "md", tz=UTC), "Action")
    assert line == "> I wrote code. Later **I wrote** tests."


def test_untimed_phrases_are_found_case_insensitively_as_whole_words(store: Store) -> None:
    transcript = Transcript.from_text("HI, AI wrote nothing; then I WROTE the fix.")
    s = hand_made(store, transcript, [phrase("i wrote")])
    line = transcript_line(export_session(s, None, "md", tz=UTC), "Action")
    assert line == "> HI, AI wrote nothing; then **I WROTE** the fix."


def test_overlapping_marks_nest_or_merge(store: Store) -> None:
    transcript = Transcript.from_text("Then we escalated it and I pulled the logs myself.")
    s = hand_made(
        store,
        transcript,
        [phrase("I pulled"), phrase("escalated it and I")],  # the second crosses a mistake
        [
            {"id": "we-language", "message": "Say I.", "evidence": "we escalated",
             "start": None, "end": None},
            {"id": "handoff-escalation", "message": "Own it.", "evidence": "escalated it",
             "start": None, "end": None},
            {"id": "generic", "message": "m", "evidence": "and I pulled the logs",
             "start": None, "end": None},
        ],
    )  # fmt: skip
    md = export_session(s, None, "md", tz=UTC)
    assert transcript_line(md, "Action") == (
        f"> Then _we escalated it_ [!{WE}] [!{HANDOFF}] "
        "_and **I pulled** the logs_ [!Generic] myself."
    )
    # The phrase that could not be marked is still listed as heard.
    assert "- “escalated it and I”" in md
    page = export_session(s, None, "html", tz=UTC)
    parse(page)
    assert 'data-mistake="we-language handoff-escalation" title="Say I. / Own it."' in page


def test_evidence_not_in_the_text_is_listed_not_marked(store: Store) -> None:
    transcript = Transcript.from_text("I did the work.")
    s = hand_made(
        store,
        transcript,
        [],
        [{"id": "over-time", "message": "Too long.", "evidence": "95 s against a maximum of 45 s",
          "start": None, "end": None}],
    )  # fmt: skip
    md = export_session(s, None, "md", tz=UTC)
    assert transcript_line(md, "Action") == "> I did the work."
    assert "- **Ran past the time.** Too long. Heard: “95 s against a maximum of 45 s”." in md


# -- edge cases --------------------------------------------------------------------------


def test_failed_and_empty_sessions_still_export(store: Store) -> None:
    empty = store.create_session(QUESTION, "mock", "senior", None)
    assert "_No step was recorded in this session._" in export_session(empty, None, "md")
    assert "No step was recorded" in export_session(empty, None, "html")

    s = store.create_session(QUESTION, "step", "sde1", None)
    attempt = store.start_attempt(s.id, "task", None)
    store.finish_attempt(
        attempt,
        duration_s=None,
        transcript=None,
        feedback=None,
        score=None,
        error="The microphone <was> unplugged",
        status="failed",
    )
    retry = store.start_attempt(s.id, "task", None)
    store.finish_attempt(retry, duration_s=None, transcript=None, feedback=None, score=None)
    got = store.get_session(s.id)
    md = export_session(got, None, "md")
    assert "## Task — take 1" in md and "## Task — take 2" in md
    assert "> **Note:** The microphone \\<was\\> unplugged" in md
    assert "_Nothing was said._" in md
    page = export_session(got, None, "html")
    parse(page)
    assert '<p class="note">The microphone &lt;was&gt; unplugged</p>' in page


def test_unknown_format_and_file_name(session: Session) -> None:
    with pytest.raises(ValueError, match="'md' or 'html'"):
        export_session(session, None, "pdf")
    assert export_filename(session, "html") == f"starcoach-{session.id}.html"
