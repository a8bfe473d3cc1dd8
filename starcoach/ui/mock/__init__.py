"""Mock interview: the whole answer in one take, the split timeline, the follow-up probes.
page.py lays it out; controller.py drives the takes; timeline.py is the split widget."""
