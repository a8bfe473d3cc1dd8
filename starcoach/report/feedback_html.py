"""One step's feedback as HTML for a QTextBrowser: the transcript with what was heard marked,
then what was missing, the mistakes and the delivery."""

from __future__ import annotations

from html import escape
from typing import Protocol

from starcoach.clock import moment
from starcoach.coach.feedback import StepFeedback
from starcoach.coach.rules import title as mistake_title


class Theme(Protocol):
    """The colours these fragments use; the window's theme (ui/shell/theme.py) has them."""

    @property
    def ok(self) -> str: ...
    @property
    def warn(self) -> str: ...
    @property
    def alarm(self) -> str: ...
    @property
    def muted(self) -> str: ...
    @property
    def mistake(self) -> str: ...
    @property
    def phrase_bg(self) -> str: ...
    @property
    def phrase_text(self) -> str: ...


def score_color(score: int, t: Theme) -> str:
    return t.ok if score >= 75 else t.warn if score >= 50 else t.alarm


def transcript_html(feedback: StepFeedback, t: Theme) -> str:
    words = feedback.transcript.words
    if not words:
        return f"<p style='color:{t.muted}'>Nothing was said.</p>"
    phrase_at: dict[int, bool] = {}
    for p in feedback.key_phrases:
        if p.matched and p.first_word is not None and p.last_word is not None:
            for k in range(p.first_word, p.last_word + 1):
                phrase_at[k] = True
    mistake_at: dict[int, int] = {}
    for i, m in enumerate(feedback.mistakes):
        if m.first_word is not None and m.last_word is not None:
            for k in range(m.first_word, m.last_word + 1):
                mistake_at.setdefault(k, i)
    out = []
    for k, w in enumerate(words):
        text = escape(w.text)
        style = ""
        if k in phrase_at:
            style += f"background-color:{t.phrase_bg}; color:{t.phrase_text};"
        if k in mistake_at:
            style += f"color:{t.mistake}; text-decoration: underline;"
            text = f"<a href='m:{mistake_at[k]}' style='{style}'>{text}</a>"
            out.append(text)
            continue
        out.append(f"<span style='{style}'>{text}</span>" if style else text)
    return "<p style='line-height:150%; font-size:12pt'>" + " ".join(out) + "</p>"


def feedback_html(feedback: StepFeedback, t: Theme) -> str:
    parts = []
    if feedback.next_step:
        parts.append(f"<p style='font-size:115%'><b>Next: </b>{escape(feedback.next_step)}</p>")
    parts.append(transcript_html(feedback, t))
    missing = [p.phrase for p in feedback.key_phrases if not p.matched]
    heard = [p for p in feedback.key_phrases if p.matched]
    if heard:
        items = "".join(
            f"<li><b style='color:{t.ok}'>✓</b> {escape(p.phrase)}"
            f"<span style='color:{t.muted}'> — “{escape(p.heard or '')}”"
            + (f" at {moment(p.start)}" if p.start is not None else "")
            + "</span></li>"
            for p in heard
        )
        parts.append(
            f"<h4>Heard ({len(heard)} of {len(feedback.key_phrases)})</h4><ul>{items}</ul>"
        )
    if missing:
        items = "".join(f"<li><b style='color:{t.alarm}'>✗</b> {escape(m)}</li>" for m in missing)
        parts.append(f"<h4>Missing</h4><ul>{items}</ul>")
    if feedback.mistakes:
        items = "".join(
            f"<li><b style='color:{t.mistake}'>{escape(mistake_title(m.id))}</b>: "
            f"“{escape(m.evidence)}”"
            f"<br><span style='color:{t.muted}'>{escape(m.message)}</span></li>"
            for m in feedback.mistakes
        )
        parts.append(f"<h4>Mistakes</h4><ul>{items}</ul>")
    else:
        parts.append(f"<h4 style='color:{t.ok}'>No common mistakes found</h4>")
    d = feedback.delivery
    limit = f" (max {moment(feedback.max_s)})" if feedback.max_s else ""
    parts.append(
        "<h4>Delivery</h4><p>"
        f"{moment(d.duration_s)} against a target of {moment(feedback.target_s)}{limit} · "
        f"{d.words_per_minute:.0f} words/min · I {d.i_count} vs we {d.we_count} · "
        f"{d.filler_count} filler(s) · {len(d.long_pauses)} long pause(s)</p>"
    )
    return "".join(parts)
