"""The coach: phrase matching, mistake detectors, delivery metrics, scoring (Qt-free)."""
