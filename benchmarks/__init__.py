"""Speed and quality figures printed by `make bench` (never part of the test suite)."""
