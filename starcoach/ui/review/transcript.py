"""A take's transcript as clickable words: key phrases highlighted, mistakes underlined.

Each word is an anchor ``w:<index>``. Hovering a word shows what it carries (the mistake's
message, the key phrase, its time); clicking it emits ``word_clicked(index)``. The word being
heard is shown with an extra selection, so moving it never rebuilds the document.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QToolTip, QWidget

from starcoach.clock import moment
from starcoach.report.review import WordView
from starcoach.ui.shell import theme

ANCHOR_PREFIX = "w:"


NO_KEYBOARD_LINKS = (
    Qt.TextInteractionFlag.TextSelectableByMouse
    | Qt.TextInteractionFlag.TextSelectableByKeyboard
    | Qt.TextInteractionFlag.LinksAccessibleByMouse
)
"""A text browser whose links Tab does not walk (QTextBrowser.focusNextPrevChild visits
every link first, and here every word is one)."""


class TranscriptView(QTextBrowser):
    word_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, seekable: bool = True) -> None:
        super().__init__(parent)
        self.seekable = seekable
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        # Tab leaves the transcript (it would otherwise walk every word, each one a link);
        # the player's Space and the slider's arrows move through the audio instead.
        self.setTabChangesFocus(True)
        self.setTextInteractionFlags(NO_KEYBOARD_LINKS)
        self.setAccessibleName("Transcript")
        self.anchorClicked.connect(self._clicked)
        self.highlighted.connect(self._hovered)
        self._words: tuple[WordView, ...] = ()
        self._spans: list[tuple[int, int]] = []
        self._current: int | None = None
        self._placeholder = ""
        self._rendering = False
        self._render_pending = False
        self.hover_text = ""
        """What the last hover showed (tests read it; the user sees it as a tool tip)."""

    # -- content ---------------------------------------------------------------------------

    def set_words(self, words: Sequence[WordView], placeholder: str = "") -> None:
        self._words = tuple(words)
        self._placeholder = placeholder
        self._current = None
        self._render()
        self.moveCursor(QTextCursor.MoveOperation.Start)  # else a resize scrolls to the end
        self.verticalScrollBar().setValue(0)

    @property
    def words(self) -> tuple[WordView, ...]:
        return self._words

    def _render(self) -> None:
        self._rendering = True
        try:
            self._build()
        finally:
            self._rendering = False
        self._show_current(scroll=False)

    def _build(self) -> None:
        t = theme.current()
        doc = self.document()
        doc.clear()
        doc.setDocumentMargin(12)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() + 1.5)
        doc.setDefaultFont(font)
        self._spans = []
        cursor = QTextCursor(doc)
        block = QTextBlockFormat()
        block.setLineHeight(165, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.setBlockFormat(block)
        base = QTextCharFormat()
        base.setForeground(QColor(t.text))
        if not self._words:
            quiet = QTextCharFormat(base)
            quiet.setForeground(QColor(t.muted))
            quiet.setFontItalic(True)
            cursor.insertText(self._placeholder, quiet)
            return
        previous: WordView | None = None
        for word in self._words:
            if previous is not None:
                gap = QTextCharFormat(base)
                if word.phrase and word.phrase == previous.phrase:
                    gap.setBackground(QColor(t.phrase_bg))
                shared = {m.id for m in word.mistakes} & {m.id for m in previous.mistakes}
                if shared:
                    _underline(gap, t.mistake)
                cursor.insertText(" ", gap)
            fmt = QTextCharFormat(base)
            fmt.setAnchor(True)
            fmt.setAnchorHref(f"{ANCHOR_PREFIX}{word.index}")
            if word.phrase:
                fmt.setBackground(QColor(t.phrase_bg))
                fmt.setForeground(QColor(t.phrase_text))
            if word.mistakes:
                _underline(fmt, t.mistake)
            start = cursor.position()
            cursor.insertText(word.text, fmt)
            self._spans.append((start, cursor.position()))
            previous = word

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        changed = event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange)
        # A theme change sends many of these: lay the words out once, after the last one
        # (laying out a long mock answer per event froze the window for a minute).
        if changed and not self._rendering and not self._render_pending:
            self._render_pending = True
            QTimer.singleShot(0, self, self._render_later)

    def _render_later(self) -> None:
        self._render_pending = False
        self._render()

    # -- the word being heard --------------------------------------------------------------

    def highlight_word(self, index: int | None) -> None:
        if index == self._current:
            return
        self._current = index
        self._show_current(scroll=True)

    @property
    def current_word(self) -> int | None:
        return self._current

    def _show_current(self, scroll: bool) -> None:
        index = self._current
        if index is None or not 0 <= index < len(self._spans):
            self.setExtraSelections([])
            return
        t = theme.current()
        start, end = self._spans[index]
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(t.current_word))
        fmt.setForeground(QColor(t.text))
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
        selection.format = fmt
        self.setExtraSelections([selection])
        if scroll:
            self._scroll_to(start)

    def _scroll_to(self, position: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        rect = self.cursorRect(cursor)
        view = self.viewport().rect()
        margin = min(40, view.height() // 4)
        if rect.top() >= view.top() + margin and rect.bottom() <= view.bottom() - margin:
            return
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - view.height() // 3)

    def word_rect(self, index: int) -> QRect:
        """Where word ``index`` is drawn, in viewport coordinates."""
        start, end = self._spans[index]
        first = QTextCursor(self.document())
        first.setPosition(start)
        last = QTextCursor(self.document())
        last.setPosition(end)
        a, b = self.cursorRect(first), self.cursorRect(last)
        return QRect(QPoint(a.left(), a.top()), QPoint(max(b.left(), a.left() + 1), a.bottom()))

    def word_visible(self, index: int) -> bool:
        return self.viewport().rect().intersects(self.word_rect(index))

    # -- mouse -------------------------------------------------------------------------------

    def _index(self, url: QUrl) -> int | None:
        text = url.toString()
        if not text.startswith(ANCHOR_PREFIX):
            return None
        try:
            index = int(text[len(ANCHOR_PREFIX) :])
        except ValueError:
            return None
        return index if 0 <= index < len(self._words) else None

    def _clicked(self, url: QUrl) -> None:
        cursor = self.textCursor()  # no dotted focus frame left around the clicked word
        cursor.clearSelection()
        self.setTextCursor(cursor)
        index = self._index(url)
        if index is not None and self.seekable:
            self.word_clicked.emit(index)

    def _hovered(self, url: QUrl) -> None:
        index = self._index(url)
        if index is None:
            self.hover_text = ""
            QToolTip.hideText()
            return
        self.hover_text = self.describe(index)
        if self.hover_text:
            QToolTip.showText(QCursor.pos(), self.hover_text, self.viewport())

    def describe(self, index: int) -> str:
        """The tool tip of word ``index``: its mistakes, its key phrase, its time."""
        word = self._words[index]
        parts = [
            f"<b>{html.escape(m.title)}</b><br>{html.escape(m.message)}" for m in word.mistakes
        ]
        if word.phrase:
            parts.append(f"Key phrase heard: “{html.escape(word.phrase)}”")
        if word.start is not None and self.seekable:
            parts.append(f"<span>{moment(word.start)} — click to play from here</span>")
        return "<br><br>".join(parts)


def _underline(fmt: QTextCharFormat, color: str) -> None:
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    fmt.setUnderlineColor(QColor(color))
