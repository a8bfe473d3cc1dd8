"""Questions, stories and coverage: the question bank, the story builder, the story editor."""
