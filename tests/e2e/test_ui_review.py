"""test_ui_review: the end-to-end half (the real model, microphone or disk); the rest is in
tests/ui/review/test_ui_review.py."""

from __future__ import annotations

from typing import Any

from tests.ui.review import test_ui_review as unit_half
from tests.ui.review.test_ui_review import (
    History,
    click_word,
    wait_audio,
)

# Fixtures shared with the unit half (pytest finds them as this module's names).
filled = unit_half.filled
history = unit_half.history
make_page = unit_half.make_page


def test_real_playback_lights_the_words_in_turn(
    qtbot: Any, filled: History, make_page: Any, pulse_mic: Any
):
    """Through PortAudio to the private PulseAudio's default sink (a null sink)."""
    import sounddevice

    page = make_page(filled, sounddevice)
    page.detail.select_step("action")
    wait_audio(qtbot, page)
    take = page.controller.take
    assert take is not None
    click_word(qtbot, page, 2)
    assert page.controller.player.playing
    seen: set[int] = set()

    def advanced() -> bool:
        word = page.detail.transcript.current_word
        if word is not None:
            seen.add(word)
        return word is not None and word >= 6

    qtbot.waitUntil(advanced, timeout=10_000)
    assert {2, 3, 4, 5} <= seen  # one word after another, none skipped at 30 Hz
    assert page.controller.timer.isActive()
    page.controller.toggle_play()
    assert not page.controller.player.playing
