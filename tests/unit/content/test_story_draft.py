"""Story builder core: notes -> STAR split, key phrases as a coach picks them, principles;
the round trip prose -> draft -> YAML -> load -> analyze; ``starcoach story draft``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from starcoach.cli import main
from starcoach.coach.coach import analyze_step
from starcoach.content import load_library
from starcoach.content.authoring import save_user_walkthrough, to_yaml
from starcoach.content.draft import (
    draft_from_notes,
    first_person_actions,
    numbers_with_units,
    sentences_of,
)
from starcoach.content.loader import load_file
from starcoach.transcribe.types import Transcript

PROSE = """\
I was an SDE2 on the payments team at a mid-size retailer. Checkout p99 latency had crept up \
to 2.4 seconds and conversion was dropping during peak hours.
The checkout service belonged to another team and nobody had asked me to look at it, but I \
could see it in our dashboards.
I profiled the endpoint with async-profiler and found an N+1 query on the promotions table. \
Then I wrote a batched query and added a cache with a 5 minute TTL. I paired with the checkout \
team's on-call to review the change, and I ran a canary on 5% of traffic for two days.
p99 latency went from 2.4 seconds to 380 ms, and conversion recovered by 1.8% in the first \
week, about $40K a month.
I learned that the fastest fix is often in a service you don't own, so now I always check the \
slowest dependency first.
"""

BULLETS = """\
- Our team ran the nightly data pipeline for the ads org; it failed 3 times a week
- Not my team's code, no ticket: the pipeline was owned by the data platform team
- My goal was to stop the pager noise before the holiday freeze
- I read the last 60 failure logs and grouped them by cause
- I found that 80% were one flaky upstream export
- I added a retry with backoff and wrote an alert on export lag
- then I walked the platform team through the change and they merged it
- failures went from 3 a week to 1 a month
- on-call pages dropped by 70%, saving about 6 engineer hours a week
- Lesson: measure the failures before fixing anything; the obvious cause was wrong
"""

LABELLED = """\
Situation: Last spring our mobile app's crash rate hit 4% after a big release.
Task: I owned the release, so I had to get the crash rate under 1% within two weeks.
Action: I pulled the crash reports and sorted them by device. I disagreed with my manager, \
who wanted to roll back everything, and I showed him the data. I shipped a hotfix behind a flag.
Result: The crash rate dropped to 0.3% in five days and ratings went back up to 4.5 stars.
Reflection: Rolling back is not always the safest option; I now look at the crash \
distribution before deciding.
"""

# The author's own split of PROSE: sentence -> step.
PROSE_SPLIT = {
    "situation": ["I was an SDE2", "Checkout p99 latency"],
    "task": ["The checkout service belonged"],
    "action": ["I profiled", "Then I wrote", "I paired"],
    "result": ["p99 latency went"],
    "reflection": ["I learned"],
}


@pytest.mark.parametrize("notes", [PROSE, BULLETS, LABELLED], ids=["prose", "bullets", "labels"])
def test_every_number_in_the_result_and_every_action_is_in_the_draft(notes: str) -> None:
    draft = draft_from_notes(notes)
    chips = [p.lower() for phrases in draft.phrases.values() for p in phrases]
    for number in numbers_with_units(draft.step_text("result")):
        assert any(number.lower() in chip for chip in chips), (number, draft.phrases)
    for sentence in draft.steps["action"]:
        for action in first_person_actions(sentence):
            assert action.lower() in [c.lower() for c in draft.phrases["action"]], action
    assert all(draft.steps[name] for name in draft.steps), draft.steps


def test_the_prose_is_split_as_its_author_split_it() -> None:
    draft = draft_from_notes(PROSE)
    for step, starts in PROSE_SPLIT.items():
        assert [s[: len(b)] for s, b in zip(draft.steps[step], starts, strict=False)] == starts
        assert len(draft.steps[step]) == len(starts), (step, draft.steps[step])


def test_phrases_are_picked_as_a_coach_would() -> None:
    draft = draft_from_notes(PROSE)
    assert "from 2.4 seconds to 380 ms" in draft.phrases["result"]
    assert "$40K a month" in draft.phrases["result"]
    assert draft.phrases["action"][:4] == [
        "I profiled the endpoint",
        "I found an N+1 query",
        "I wrote a batched query",
        "I added a cache",
    ]
    assert "I ran a canary" in draft.phrases["action"]
    assert draft.phrases["task"] == ["nobody had asked"]
    assert draft.phrases["reflection"] == ["the fastest fix is often in a service you don't own"]
    assert draft.principles[:3] == ["Ownership", "Deliver Results", "Dive Deep"]

    bullets = draft_from_notes(BULLETS)
    assert bullets.phrases["task"][:2] == ["Not my team", "no ticket"]
    assert "from 3 a week to 1 a month" in bullets.phrases["result"]
    assert "6 engineer hours a week" in bullets.phrases["result"]
    assert bullets.phrases["reflection"] == ["measure the failures before fixing anything"]

    labelled = draft_from_notes(LABELLED)
    assert labelled.steps["situation"] == [
        "Last spring our mobile app's crash rate hit 4% after a big release."
    ]
    assert "dropped to 0.3%" in labelled.phrases["result"]
    assert "Have Backbone; Disagree and Commit" in labelled.principles


def test_sentences_and_units() -> None:
    assert [s.text for s in sentences_of("It was 2.5 hours, e.g. slow. Then I fixed it.")] == [
        "It was 2.5 hours, e.g. slow.",
        "Then I fixed it.",
    ]
    assert numbers_with_units("cut 12 ms, saved $8K, in 2023, 1,200 requests per second") == [
        "12 ms",
        "$8K",
        "1,200 requests per second",
    ]
    assert first_person_actions("I was tired, so I wrote a script and then deployed it.") == [
        "I wrote a script",
        "I deployed it",
    ]


def test_round_trip_prose_to_a_coached_practice(tmp_path: Path) -> None:
    draft = draft_from_notes(PROSE, title="Checkout latency nobody owned")
    text = to_yaml(draft.to_data())
    assert "kind: story" in text
    library = load_library()
    path = save_user_walkthrough(draft.to_data(), bundled_ids=library.bundled_ids)
    story = load_file(path)
    assert story.id == "checkout-latency-nobody-owned" and story.is_story_only
    library = load_library()
    assert not library.errors, library.errors
    assert story.id in library.own_stories() and story.id not in library.questions
    practised = library.walkthrough_for("ownership-outside-your-role", story.id)
    assert practised.step("action").coaching  # the rubric, since the story has none
    for step in ("action", "result", "task"):
        said = Transcript.from_text(draft.step_text(step))
        feedback = analyze_step(practised, step, said, "sde1").to_json()
        missed = [k["phrase"] for k in feedback["key_phrases"] if not k["matched"]]
        assert not missed, (step, missed)
    vague = analyze_step(
        practised, "result", Transcript.from_text("Things got a lot better."), "sde1"
    ).to_json()
    assert not any(k["matched"] for k in vague["key_phrases"])


def test_story_draft_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(BULLETS, encoding="utf-8")
    assert main(["story", "draft", str(notes), "--title", "Flaky pipeline"]) == 0
    out = capsys.readouterr().out
    assert "id: flaky-pipeline" in out and "- name: reflection" in out
    target = tmp_path / "flaky.yaml"
    assert main(["story", "draft", "--text", PROSE, "-o", str(target)]) == 0
    assert load_file(target).step("result").key_phrases
    assert main(["story", "draft", "--text", PROSE, "-o", str(target)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["story", "draft", "--text", "  "]) == 1
    assert main(["story", "draft", str(tmp_path / "missing.txt")]) == 1
    err = capsys.readouterr().err
    assert re.search(r"No such file: .*missing\.txt", err) and "Traceback" not in err
