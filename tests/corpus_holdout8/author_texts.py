import yaml, pathlib

OUT = pathlib.Path("/work/main/tests/corpus_holdout8")
STEP_MISTAKES = {
    "situation": ["assigned-work", "opportunistic-motive"],
    "task": [
        "we-language",
        "handoff-escalation",
        "missing-scope-boundary",
        "assigned-work",
        "opportunistic-motive",
    ],
    "action": [
        "we-language",
        "handoff-escalation",
        "passive-waiting",
        "assigned-work",
        "opportunistic-motive",
        "disengaged-after-decision",
        "no-personal-verification",
    ],
    "result": ["vague-result", "disengaged-after-decision"],
    "reflection": ["generic-reflection"],
}
stories = {}
for f in sorted((OUT / "stories").glob("*.yaml")):
    d = yaml.safe_load(f.read_text())
    stories[d["id"]] = {s["name"]: s["key_phrases"] for s in d["steps"]}
# (slug, step, kind, text, true phrase indices, true mistakes, notes)
A = [
    (
        "cert-expiry",
        "situation",
        "mixed",
        "Um, so, during my on-call week, I, uh, I had spare time because my sprint was really light, so I was poking around the gateway, and I spotted that the TLS cert on the partner API was going to expire in, like, nineteen days. No, sorry, nine days. And there was no alert for expiry at all.",
        [0, 1, 2],
        ["opportunistic-motive"],
        "'I spotted' = I noticed; nineteen corrected to nine, so the final number is nine; motive is spare time.",
    ),
    (
        "cert-expiry",
        "task",
        "strong",
        "This service is not belong to my team, it is the identity team service. There was no ticket, and nobody was asking me to do it. So I take the ownership of it until it is safe.",
        [0, 1, 2, 3],
        [],
        "Non-native grammar; 'I take the ownership' heard as 'I decided to own it'.",
    ),
    (
        "cert-expiry",
        "task",
        "weak",
        "My team lead told me to take care of the certificate, so we picked it up as a ticket in our sprint, and we planned to rotate it that same week.",
        [],
        ["we-language", "assigned-work", "missing-scope-boundary"],
        "There WAS a ticket (near-miss for 'no ticket'); the lead told them (not 'nobody asked').",
    ),
    (
        "cert-expiry",
        "task",
        "mixed",
        "Well, it was partly my team's gateway, we shared it with identity. There was already a ticket sitting in the identity backlog, so I pinged their on-call and handed it over to them to fix.",
        [],
        ["handoff-escalation", "missing-scope-boundary"],
        "Says it WAS (partly) their team's: negation of 'not my team'; 'a ticket already existed' negates 'no ticket'. Single 'we shared' is not we-language of key actions.",
    ),
    (
        "cert-expiry",
        "action",
        "strong",
        "I added an expiry alert thirty days out. Before that, I went through every certificate on the load balancers and listed them. Wrote a daily expiry check. Rotated the gateway cert in staging first, tested it myself, and only then did production.",
        [0, 1, 2, 3],
        [],
        "Reordered; elided subject after 'I'; 'thirty days out' = thirty days before expiry; 'cert' = certificate.",
    ),
    (
        "cert-expiry",
        "action",
        "weak",
        "So we listed all the certificates together, and we wrote a check for expiry. The identity team rotated the certificate in staging. I didn't touch that part, their QA tested it. Then I opened a PR adding an alert three days before expiry, and I waited for their review, and it sat there for a while.",
        [],
        ["we-language", "passive-waiting", "no-personal-verification"],
        "Near-misses: 'we listed', 'we wrote' (changed subject), identity team rotated (changed subject), THREE days not thirty (different number).",
    ),
    (
        "cert-expiry",
        "result",
        "strong",
        "Unmonitored certs went from forty-one down to zero, and in the twelve months since, we haven't had a single certificate outage.",
        [0, 1],
        [],
        "Numbers in words; 'haven't had a single certificate outage in twelve months'.",
    ),
    (
        "cert-expiry",
        "result",
        "weak",
        "It got a lot safer. We had fewer unmonitored certificates, and I think there was no certificate outage for a good while, I'm not sure how long. The identity lead said no to rolling the check out to their other gateways, so I dropped it there.",
        [],
        ["vague-result", "disengaged-after-decision"],
        "'no certificate outage' without the twelve months: false.",
    ),
    (
        "cert-expiry",
        "reflection",
        "mixed",
        "What I took away, and this sounds obvious, is that expiry dates are basically invisible until the day they hurt you. And, well, communication is always important too.",
        [0],
        [],
        "One specific insight is given, so not generic-reflection; the owner lesson is missing.",
    ),
    (
        "label-noise",
        "situation",
        "strong",
        "Our fraud model, its precision was falling down from ninety-two percent to eighty-one percent in only one month. Everybody in the team was saying it is model drift.",
        [0, 1],
        [],
        "Non-native; 'falling down from' = dropped from; 'everybody in the team was saying it is model drift' = the team blamed model drift.",
    ),
    (
        "label-noise",
        "situation",
        "weak",
        "So, some background, we had this fraud model, gradient boosted trees, about four hundred features, and precision went from ninety-two to eighty-eight percent, and my manager asked me to look into whether it was drift. I personally never blamed model drift.",
        [],
        ["assigned-work"],
        "Near-misses: 88 not 81 (different number); 'I never blamed model drift' (changed subject and negated).",
    ),
    (
        "label-noise",
        "task",
        "mixed",
        "I had a quiet week, spare time basically. So I gave myself two days to test the labels. Wanted to prove what really caused it before we burned six weeks retraining.",
        [0, 1, 2],
        ["opportunistic-motive"],
        "'prove what really caused it' = prove the real cause; 'burned' = spent. One 'we' is not we-language.",
    ),
    (
        "label-noise",
        "action",
        "strong",
        "We, sorry, I took a sample of, um, five hundred recent labels, and I relabelled them by hand. Then I compared the error rates, vendor by vendor, and, uh, it turned out one vendor was marking refunds as fraud. I wrote it up on one page for the team, and then I retrained on the cleaned-up labels and checked precision on a holdout myself.",
        [0, 1, 2, 3],
        [],
        "'We' retracted, so we-language is false; light verb 'took a sample of' = sampled.",
    ),
    (
        "label-noise",
        "action",
        "weak",
        "We pulled some labels and we compared the vendors together. Someone noticed that one vendor had marked a few fraud cases as refunds. I passed my notebook to the platform team so they could retrain, and I waited to hear back from them. Their QA checked the precision, not me.",
        [],
        ["we-language", "handoff-escalation", "passive-waiting", "no-personal-verification"],
        "Near-miss: fraud marked AS refunds is the reverse of refunds marked as fraud; platform team retrained (changed subject).",
    ),
    (
        "label-noise",
        "action",
        "mixed",
        "I sampled, uh, fifty, no, five hundred labels, and compared the error rate per vendor. One of the vendors had been labelling refunds as fraud. I proposed retraining on the clean labels, but my lead said no, not this quarter, so I dropped it there.",
        [0, 1, 2],
        ["disengaged-after-decision"],
        "Fifty corrected to five hundred; 'proposed retraining' is not 'I retrained'.",
    ),
    (
        "label-noise",
        "result",
        "strong",
        "Precision climbed from eighty-one to ninety-three percent within four days, and we called off the six-week retrain.",
        [0, 1],
        [],
        "'called off' = cancelled.",
    ),
    (
        "label-noise",
        "result",
        "weak",
        "The model got noticeably better, and the team was happy. We didn't cancel the retrain in the end, it still went ahead.",
        [],
        ["vague-result"],
        "Negation of 'cancelled the six-week retrain'.",
    ),
    (
        "label-noise",
        "reflection",
        "weak",
        "I learned that data is really important, and that you should always, you know, communicate with your team and double check your work.",
        [],
        ["generic-reflection"],
        "",
    ),
    (
        "screen-reader",
        "situation",
        "strong",
        "So this all started when a customer who is blind wrote in to our support team. She said she couldn't get through checkout using her screen reader, and she'd tried, I think, three times. Five times? No, three times.",
        [0, 1, 2],
        [],
        "'a customer who is blind wrote in to support' = a blind customer emailed support; five corrected back to three.",
    ),
    (
        "screen-reader",
        "task",
        "strong",
        "My manager asked me to, well, no, she didn't, I picked it up myself. My goal was that she could, she could pay without needing a mouse at all. And honestly I'd never used a screen reader before, so I had to learn one first.",
        [0, 1],
        [],
        "Assigned-work retracted, so false.",
    ),
    (
        "screen-reader",
        "task",
        "weak",
        "My manager told me to look at accessibility on the checkout, so we audited the page and we made a plan to improve it in general. I'd used screen readers plenty of times before.",
        [],
        ["we-language", "assigned-work"],
        "Contradicts 'never used a screen reader'. missing-scope-boundary always false for this story.",
    ),
    (
        "screen-reader",
        "action",
        "strong",
        "I spent a day learning VoiceOver first. Then I went through checkout with my eyes closed and found fourteen buttons with no labels. Fixed the focus order in the payment form. Put an automated accessibility check into the pipeline. Last, I got the customer to try the new version.",
        [0, 1, 2, 3, 4],
        [],
        "Elided subjects after 'I'; 'buttons with no labels' = unlabeled buttons; 'put ... into' = added; 'got the customer to try' = asked.",
    ),
    (
        "screen-reader",
        "action",
        "weak",
        "We found some unlabeled buttons, I think about forty, and we fixed the focus order. The QA team did the screen reader testing, I didn't run it myself. I put up the PR and then waited for the design team to sign off.",
        [],
        ["we-language", "passive-waiting", "no-personal-verification"],
        "Near-misses: forty not fourteen and 'we found'; 'we fixed the focus order' (changed subject).",
    ),
    (
        "screen-reader",
        "action",
        "mixed",
        "First I am learning VoiceOver during one day. I find fourteen buttons without label. The focus order, I did not change it. I have add automatic accessibility check in the pipeline. The customer, we did not ask her to try it, the support team told her.",
        [0, 1, 3],
        [],
        "Non-native; focus order negated; asking the customer negated.",
    ),
    (
        "screen-reader",
        "result",
        "strong",
        "The outcome: errors on the checkout page went down from fourteen to none, she was able to complete her order that same week, and checkout-related support tickets dropped by thirty percent over the next quarter.",
        [0, 1, 2],
        [],
        "'none' = zero; 'she' is the customer.",
    ),
    (
        "screen-reader",
        "result",
        "mixed",
        "Errors went from fourteen to four, and the customer finished her order. Tickets fell by about thirteen percent.",
        [1],
        [],
        "Near-misses: fourteen to FOUR (not zero); THIRTEEN percent (not thirty). Numbers are given, so vague-result is false.",
    ),
    (
        "screen-reader",
        "reflection",
        "strong",
        "The big lesson: you have to test with an actual screen reader, because automated tools only catch about half the problems.",
        [0, 1],
        [],
        "'automated tools' = automated checks; reordered.",
    ),
    (
        "gpu-cost",
        "situation",
        "strong",
        "Our GPU bill had crept up to a hundred and eighty thousand dollars a month, and at night the clusters were sitting idle about sixty percent of the time.",
        [0, 1],
        [],
        "Numbers in words.",
    ),
    (
        "gpu-cost",
        "situation",
        "weak",
        "Our GPU bill was around eighteen thousand dollars a month, and, uh, I had some free time between projects, so I started looking at it. The clusters were busy most nights.",
        [],
        ["opportunistic-motive"],
        "Near-misses: eighteen thousand not 180,000; clusters BUSY at night.",
    ),
    (
        "gpu-cost",
        "task",
        "strong",
        "So I set myself a pretty bold target, cut the bill in half, but without slowing down anyone's training jobs. That was the hard constraint.",
        [0, 1],
        [],
        "'cut in half' = halve; inserted modifier 'anyone's ... jobs'.",
    ),
    (
        "gpu-cost",
        "task",
        "weak",
        "The director suggested we look at cost, so we set a goal to trim maybe ten percent, and we'd see if training got slower or not.",
        [],
        ["we-language", "assigned-work"],
        "Ten percent is not half; no commitment to not slowing training.",
    ),
    (
        "gpu-cost",
        "action",
        "strong",
        "First I, okay, first I measured, um, how much of each GPU every job actually used, over two weeks. Then I built an autoscaler that, uh, scales idle nodes down to zero. I shifted the batch jobs onto spot instances. And then I wrote up a proposal for a single shared GPU pool for all five teams.",
        [0, 1, 2, 3],
        [],
        "Idea over a clause for utilisation per job; 'shifted onto' = moved to; 'wrote up a proposal for' = proposed.",
    ),
    (
        "gpu-cost",
        "action",
        "mixed",
        "I measured utilisation per job. We then built an autoscaler, and we moved the batch jobs to spot. I suggested a shared pool to the infra lead, he said no, so I stopped pushing and left it.",
        [0, 3],
        ["we-language", "disengaged-after-decision"],
        "'we built', 'we moved' (changed subject); 'suggested a shared pool' = proposed a shared GPU pool.",
    ),
    (
        "gpu-cost",
        "result",
        "strong",
        "The bill went from one hundred eighty K down to ninety-five K a month. Queue times stayed below ten minutes.",
        [0, 1],
        [],
        "",
    ),
    (
        "gpu-cost",
        "reflection",
        "strong",
        "I learn that nobody was seeing the cost of their own jobs. So now every team is getting a cost report each week.",
        [0, 1],
        [],
        "Non-native; 'cost report each week' = weekly cost report.",
    ),
    (
        "gpu-cost",
        "reflection",
        "weak",
        "I'd say the lesson is that ownership matters and teamwork matters, things like that. You should always keep an eye on things.",
        [],
        ["generic-reflection"],
        "",
    ),
]
texts = []
count = {}
for slug, step, kind, text, tp, tm, notes in A:
    sid = "own8-" + slug
    kps = stories[sid][step]
    count[(slug, step)] = count.get((slug, step), 0) + 1
    for m in tm:
        assert m in STEP_MISTAKES[step], (slug, step, m)
    assert all(0 <= i < len(kps) for i in tp)
    if "missing-scope-boundary" in tm:
        assert slug == "cert-expiry"
    e = {
        "id": f"h8-{slug}-{step}-{count[(slug, step)]}",
        "question": sid,
        "step": step,
        "kind": kind,
        "origin": "authored",
        "text": text,
        "phrases": {k: (i in tp) for i, k in enumerate(kps)},
        "mistakes": {m: (m in tm) for m in STEP_MISTAKES[step]},
    }
    if notes:
        e["notes"] = notes
    texts.append(e)
hdr = (
    "# HELD-OUT corpus 8: authored answers, labelled by meaning. Measure once; never tune on it.\n"
)
(OUT / "texts.yaml").write_text(
    hdr
    + yaml.safe_dump(
        {"speak_as": {}, "texts": texts}, sort_keys=False, allow_unicode=True, width=100
    )
)
print(len(texts))
from collections import Counter

print(Counter(t["step"] for t in texts))
print(Counter(t["kind"] for t in texts))
pt = sum(v for t in texts for v in t["phrases"].values())
pn = sum(len(t["phrases"]) for t in texts)
print("phrases true/total", pt, pn)
mc = Counter()
mt = Counter()
for t in texts:
    for m, v in t["mistakes"].items():
        mt[m] += 1
        mc[m] += v
for m in mt:
    print(m, mc[m], "/", mt[m])
