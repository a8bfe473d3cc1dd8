"""Pieces more than one screen uses: small widgets, the recording page base (clock, level
meter), the microphone check, the settings and welcome dialogs."""
