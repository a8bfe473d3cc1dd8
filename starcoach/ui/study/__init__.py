"""Study: a walkthrough read step by step (key phrases as chips, probes, the quiz)."""
