"""A session report (report/session.py) as Markdown: key phrases heard in **bold**, mistakes
in _italics_ followed by their titles; all text escaped so it shows literally."""

from __future__ import annotations

import re

from starcoach.coach.rules import title as mistake_title
from starcoach.report.session import Mark, SessionReport, clock, render_marked

_WHITESPACE = re.compile(r"\s+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")


def _md(text: str, at_line_start: bool = True) -> str:
    """Escape text so Markdown shows it literally (``<script>`` stays text), on one line."""
    text = _WHITESPACE.sub(" ", text)
    out = _MD_ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", text))
    if at_line_start:
        out = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), out, count=1)
    return out


def _md_open(mark: Mark) -> str:
    return "**" if mark.kind == "phrase" else "_"


def _md_close(mark: Mark) -> str:
    if mark.kind == "phrase":
        return "**"
    # "[!id]" stays literal: the document has no link definitions and escapes every "[".
    return "_ " + " ".join(f"[!{_md(mistake_title(label), False)}]" for label in mark.labels)


def to_markdown(report: SessionReport) -> str:
    out: list[str] = [f"# {_md(report.title, False)}", ""]
    out += [f"- **{k}:** {_md(v, False)}" for k, v in report.facts]
    out += [
        "",
        "In the transcripts, **bold** marks a key phrase heard and _italics_ [!id] a mistake.",
        "",
    ]
    if report.verdict:
        score = "" if report.verdict_score is None else f" ({report.verdict_score}/100)"
        out += [f"## Verdict: {_md(report.verdict, False)}{score}", ""]
        out += [f"- {_md(r, False)}" for r in report.verdict_reasons]
        out.append("")
    if not report.takes:
        out += ["_No step was recorded in this session._", ""]
    for take in report.takes:
        score = "" if take.score is None else f" — score {take.score}/100"
        out += [f"## {_md(take.title, False)}{score}", ""]
        out += [f"> **Note:** {_md(n, False)}" for n in take.notes]
        if take.notes:
            out.append("")
        if take.duration:
            out += [f"**Duration:** {_md(take.duration, False)}", ""]
        if take.text:
            body = render_marked(take.text, take.marks, _md, _md_open, _md_close)
            out += ["**Transcript:**", "", f"> {body}", ""]
        else:
            out += ["_Nothing was said._", ""]
        if take.heard:
            out += ["**Key phrases heard:**", ""]
            for p in take.heard:
                where = f" at {clock(p.start)}" if p.start is not None else ""
                said = (
                    f" (heard “{_md(p.heard, False)}”)" if p.heard and p.heard != p.phrase else ""
                )
                out.append(f"- “{_md(p.phrase, False)}”{said}{where}")
            out.append("")
        if take.missing:
            out += ["**Missing key phrases:**", ""]
            out += [f"- “{_md(p, False)}”" for p in take.missing]
            out.append("")
        if take.mistakes:
            out += ["**Mistakes:**", ""]
            for m in take.mistakes:
                line = f"- **{_md(mistake_title(m.id), False)}.** {_md(m.message, False)}"
                if m.evidence:
                    line += f" Heard: “{_md(m.evidence, False)}”"
                    if m.start is not None:
                        line += f" at {clock(m.start)}"
                    line += "."
                out.append(line)
            out.append("")
        if take.delivery:
            out += ["**Delivery:**", ""]
            out += [f"- {k}: {_md(v, False)}" for k, v in take.delivery]
            out.append("")
        if take.reasons:
            out += ["**Why this score:**", ""]
            out += [f"- {_md(r, False)}" for r in take.reasons]
            out.append("")
    return "\n".join(out).rstrip() + "\n"
