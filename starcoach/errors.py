"""Domain errors: each carries a message fit to show to the user as it is."""


class StarCoachError(Exception):
    """An error the user can cause or fix; its message is shown verbatim, never a traceback."""


class UnknownQuestion(StarCoachError):
    def __init__(self, question_id: str) -> None:
        super().__init__(
            f"Unknown question '{question_id}' (see 'starcoach content list' for the ids)"
        )
        self.question_id = question_id


class UnknownStory(StarCoachError):
    def __init__(self, story_id: str) -> None:
        super().__init__(f"Unknown story '{story_id}' (see 'starcoach stories' for the ids)")
        self.story_id = story_id


class UnknownStep(StarCoachError):
    def __init__(self, step: str) -> None:
        super().__init__(
            f"Unknown step '{step}': use one of situation, task, action, result, reflection"
        )
        self.step = step
