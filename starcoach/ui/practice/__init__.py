"""Guided practice: one STAR step at a time. page.py lays it out; controller.py drives a
take (start, stop, feedback) off the UI thread."""
