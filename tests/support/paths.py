"""Where the test data lives, for tests at any depth of tests/ (the corpora and the audio
fixtures stay in their own folders under tests/)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
DATA = TESTS / "data"
CLIPS = TESTS / "corpus" / "clips"
"""The labelled spoken-answer corpus's clips."""
