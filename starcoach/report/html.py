"""A session report (report/session.py) as a standalone HTML page, light and dark.

Every piece is a ``string.Template`` filled by ``fill``, which escapes each value unless it is
``Html`` (markup another template made): text from a transcript or a content file can never
become markup, without a template engine to depend on.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from string import Template

from starcoach.coach.rules import title as mistake_title
from starcoach.report.session import Mark, SessionReport, TakeReport, clock, render_marked


class Html(str):
    """Markup that is already safe (made by ``fill``): put in as it is, never escaped again."""


def fill(template: Template, **values: object) -> Html:
    """``template`` with every value escaped, but ``Html`` ones."""
    return Html(
        template.substitute(
            {
                k: v if isinstance(v, Html) else html.escape(str(v), quote=True)
                for k, v in values.items()
            }
        )
    )


def join(parts: Iterable[Html], sep: str = "\n") -> Html:
    return Html(sep.join(parts))


_CSS = """
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1d1d1f; --muted: #6e6e73; --card: #f5f5f7; --border: #d2d2d7;
  --phrase: #fff0a0; --mistake: #c9211e; --good: #1e7b34;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #1c1c1e; --fg: #f2f2f7; --muted: #a1a1a6; --card: #2c2c2e; --border: #48484a;
    --phrase: #5e4f00; --mistake: #ff6b63; --good: #5fd17a;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
}
main { max-width: 760px; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 2.2rem 0 .6rem; padding-top: 1rem;
     border-top: 1px solid var(--border); }
h2 .score { float: right; font-weight: 600; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.legend { color: var(--muted); font-size: .9rem; margin-top: 1rem; }
.verdict { background: var(--card); border-radius: 8px; padding: .8rem 1rem; margin-top: 1.5rem; }
.verdict h2 { border: 0; margin: 0 0 .4rem; padding: 0; }
.note { color: var(--mistake); margin: .3rem 0; }
.transcript { background: var(--card); border-left: 4px solid var(--border); border-radius: 6px;
              padding: .75rem 1rem; margin: .8rem 0; }
mark.phrase { background: var(--phrase); color: inherit; border-radius: 3px; padding: 0 .1em; }
span.mistake { text-decoration: underline wavy var(--mistake); text-underline-offset: 3px;
               text-decoration-skip-ink: none; cursor: help; }
sup.mistake-id { color: var(--mistake); font-size: .7em; margin-left: .15em; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
ul { margin: .2rem 0; padding-left: 1.3rem; }
.heard li::marker { color: var(--good); }
.missing li::marker, .mistakes li::marker { color: var(--mistake); }
.mistake-name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
                font-size: .9em; color: var(--mistake); }
.evidence, .muted { color: var(--muted); }
@media print { body { background: #fff; color: #000; } .transcript { break-inside: avoid; } }
"""


PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="StarCoach">
<title>$title — StarCoach</title>
<style>$css</style>
</head>
<body>
<main>
<header>
<h1>$title</h1>
<dl class="facts">
$facts
</dl>
<p class="legend"><mark class="phrase">Highlighted</mark>: a key phrase heard. \
<span class="mistake">Underlined</span><sup class="mistake-id">id</sup>: a mistake \
(hover for the coaching).</p>
</header>
$body
</main>
</body>
</html>
""")
FACT = Template("<dt>$name</dt><dd>$value</dd>")
VERDICT = Template("""<section class="verdict">
<h2>Verdict: $verdict$score</h2>$reasons
</section>""")
ITEM = Template("<li>$text</li>")
LIST = Template("""<ul$attrs>
$items
</ul>""")
NO_TAKES = Html('<p class="muted">No step was recorded in this session.</p>')
STEP = Template("""<section class="step">
<h2>$title$score</h2>$parts
</section>""")
STEP_SCORE = Template('<span class="score">$score/100</span>')
NOTE = Template('<p class="note">$note</p>')
DURATION = Template("<p><strong>Duration:</strong> $duration</p>")
TRANSCRIPT = Template('<blockquote class="transcript">$body</blockquote>')
NOTHING_SAID = Html('<p class="muted">Nothing was said.</p>')
HEADING = Template("<h3>$text</h3>")
HEARD = Template("<li>“$phrase”$said$where</li>")
HEARD_AS = Template(' <span class="evidence">(heard “$heard”)</span>')
AT = Template(' <span class="muted">at $when</span>')
MISSING = Template("<li>“$phrase”</li>")
MISTAKE = Template('<li><span class="mistake-name">$title</span> $message$evidence</li>')
EVIDENCE = Template(' <span class="evidence">Heard: “$evidence”$where.</span>')
DELIVERY = Template("<li>$name: $value</li>")
PHRASE_OPEN = Template('<mark class="phrase" title="Key phrase: $phrase">')
MISTAKE_OPEN = Template('<span class="mistake" data-mistake="$ids" title="$messages">')
MISTAKE_ID = Template('<sup class="mistake-id">$title</sup>')


def to_html(report: SessionReport) -> str:
    body: list[Html] = []
    if report.verdict:
        score = "" if report.verdict_score is None else f" ({report.verdict_score}/100)"
        reasons = _list(report.verdict_reasons)
        body.append(
            fill(
                VERDICT,
                verdict=report.verdict,
                score=score,
                reasons=Html("\n" + reasons) if reasons else Html(""),
            )
        )
    if not report.takes:
        body.append(NO_TAKES)
    body += [_take(take) for take in report.takes]
    page = fill(
        PAGE,
        title=report.title,
        css=Html(_CSS),
        facts=join(fill(FACT, name=k, value=v) for k, v in report.facts),
        body=join(body),
    )
    return str(page)


def _take(take: TakeReport) -> Html:
    parts: list[Html] = [fill(NOTE, note=n) for n in take.notes]
    if take.duration:
        parts.append(fill(DURATION, duration=take.duration))
    if take.text:
        marked = render_marked(take.text, take.marks, _escape, _open, _close)
        parts.append(fill(TRANSCRIPT, body=Html(marked)))
    else:
        parts.append(NOTHING_SAID)
    if take.heard:
        parts.append(fill(HEADING, text="Key phrases heard"))
        items = [
            fill(
                HEARD,
                phrase=p.phrase,
                said=fill(HEARD_AS, heard=p.heard) if p.heard and p.heard != p.phrase else Html(""),
                where=fill(AT, when=clock(p.start)) if p.start is not None else Html(""),
            )
            for p in take.heard
        ]
        parts.append(fill(LIST, attrs=Html(' class="heard"'), items=join(items)))
    if take.missing:
        parts.append(fill(HEADING, text="Missing key phrases"))
        items = [fill(MISSING, phrase=p) for p in take.missing]
        parts.append(fill(LIST, attrs=Html(' class="missing"'), items=join(items)))
    if take.mistakes:
        parts.append(fill(HEADING, text="Mistakes"))
        items = [
            fill(
                MISTAKE,
                title=mistake_title(m.id),
                message=m.message,
                evidence=fill(
                    EVIDENCE,
                    evidence=m.evidence,
                    where=f" at {clock(m.start)}" if m.start is not None else "",
                )
                if m.evidence
                else Html(""),
            )
            for m in take.mistakes
        ]
        parts.append(fill(LIST, attrs=Html(' class="mistakes"'), items=join(items)))
    if take.delivery:
        parts.append(fill(HEADING, text="Delivery"))
        items = [fill(DELIVERY, name=k, value=v) for k, v in take.delivery]
        parts.append(fill(LIST, attrs=Html(""), items=join(items)))
    if take.reasons:
        parts.append(fill(HEADING, text="Why this score"))
        parts.append(fill(LIST, attrs=Html(""), items=_items(take.reasons)))
    return fill(
        STEP,
        title=take.title,
        score=fill(STEP_SCORE, score=take.score) if take.score is not None else Html(""),
        parts=Html("".join("\n" + p for p in parts)),
    )


def _items(values: Iterable[str]) -> Html:
    return join(fill(ITEM, text=v) for v in values)


def _list(values: Iterable[str]) -> Html:
    """A plain list of ``values``, or nothing."""
    items = _items(values)
    return fill(LIST, attrs=Html(""), items=items) if items else Html("")


def _escape(text: str, _at_start: bool) -> str:
    return html.escape(text, quote=True)


def _open(mark: Mark) -> str:
    if mark.kind == "phrase":
        return fill(PHRASE_OPEN, phrase=mark.labels[0])
    return fill(MISTAKE_OPEN, ids=" ".join(mark.labels), messages=" / ".join(mark.messages))


def _close(mark: Mark) -> str:
    if mark.kind == "phrase":
        return "</mark>"
    return "</span>" + "".join(fill(MISTAKE_ID, title=mistake_title(i)) for i in mark.labels)
