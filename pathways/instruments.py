"""Screening instruments used on the trauma pathway, described as data.

Scoring lives in `pathways.screening`; this module only says what each form looks
like: how many items, which points each item can give, where the cut-offs are.

Item text is shipped only for the instruments that are free to reproduce (PHQ-9,
GAD-7, PCL-5). TSQ and CRIES-8 text needs the authors' permission, so they carry item
numbers only and an administrator loads the licensed wording later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def _empty_mapping() -> Mapping:
    return MappingProxyType({})


# Mappings are read-only views and left out of the hash, so an Instrument stays hashable.
@dataclass(frozen=True)
class Instrument:
    name: str
    item_count: int
    # Points the printed form lets a person give for each item (the same for every item).
    allowed_answers: tuple[int, ...]
    # Total at or above which the screen is positive (referred to a clinician).
    positive_from: int
    # Severity bands as (lowest total, label), ascending. Empty for instruments that only
    # have a cut-off: screening then reports "below threshold" / "positive".
    severity_bands: tuple[tuple[int, str], ...] = ()
    # Symptom clusters as label -> 1-based item numbers (PCL-5 only).
    clusters: Mapping[str, tuple[int, ...]] = field(default_factory=_empty_mapping, hash=False)
    # Wording of the form; empty where it is licensed and not ours to ship.
    instructions: str = ""
    answer_labels: Mapping[int, str] = field(default_factory=_empty_mapping, hash=False)
    item_text: tuple[str, ...] = ()
    use: str = ""

    @property
    def max_total(self) -> int:
        return self.item_count * max(self.allowed_answers)


# "Over the last 2 weeks" frequency scale shared by PHQ-9 and GAD-7.
_PHQ_FREQUENCY = MappingProxyType(
    {0: "Not at all", 1: "Several days", 2: "More than half the days", 3: "Nearly every day"}
)

TSQ = Instrument(
    name="TSQ",
    item_count=10,
    allowed_answers=(0, 1),  # no / yes
    positive_from=6,
    use="Trauma Screening Questionnaire (Brewin et al. 2002): adults, at least 1 month after the incident.",
)

PCL_5 = Instrument(
    name="PCL-5",
    item_count=20,
    allowed_answers=(0, 1, 2, 3, 4),
    # 33 is the usual cut-off (Bovin et al. 2016); services also use 31-33, so
    # screening.score lets the caller choose.
    positive_from=33,
    clusters=MappingProxyType(
        {
            "B": (1, 2, 3, 4, 5),  # intrusion
            "C": (6, 7),  # avoidance
            "D": (8, 9, 10, 11, 12, 13, 14),  # negative alterations in cognition and mood
            "E": (15, 16, 17, 18, 19, 20),  # arousal and reactivity
        }
    ),
    instructions=(
        "Below is a list of problems that people sometimes have in response to a very stressful "
        "experience. Please read each problem carefully and then choose one of the answers to "
        "indicate how much you have been bothered by that problem in the past month. "
        "In the past month, how much were you bothered by:"
    ),
    answer_labels=MappingProxyType(
        {0: "Not at all", 1: "A little bit", 2: "Moderately", 3: "Quite a bit", 4: "Extremely"}
    ),
    item_text=(
        "Repeated, disturbing, and unwanted memories of the stressful experience?",
        "Repeated, disturbing dreams of the stressful experience?",
        "Suddenly feeling or acting as if the stressful experience were actually happening again "
        "(as if you were actually back there reliving it)?",
        "Feeling very upset when something reminded you of the stressful experience?",
        "Having strong physical reactions when something reminded you of the stressful experience "
        "(for example, heart pounding, trouble breathing, sweating)?",
        "Avoiding memories, thoughts, or feelings related to the stressful experience?",
        "Avoiding external reminders of the stressful experience (for example, people, places, "
        "conversations, activities, objects, or situations)?",
        "Trouble remembering important parts of the stressful experience?",
        "Having strong negative beliefs about yourself, other people, or the world (for example, "
        "having thoughts such as: I am bad, there is something seriously wrong with me, no one can "
        "be trusted, the world is completely dangerous)?",
        "Blaming yourself or someone else for the stressful experience or what happened after it?",
        "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
        "Loss of interest in activities that you used to enjoy?",
        "Feeling distant or cut off from other people?",
        "Trouble experiencing positive feelings (for example, being unable to feel happiness or have "
        "loving feelings for people close to you)?",
        "Irritable behavior, angry outbursts, or acting aggressively?",
        "Taking too many risks or doing things that could cause you harm?",
        'Being "superalert" or watchful or on guard?',
        "Feeling jumpy or easily startled?",
        "Having difficulty concentrating?",
        "Trouble falling or staying asleep?",
    ),
    use="PTSD Checklist for DSM-5 (Weathers et al., National Center for PTSD): adults; public domain.",
)

PHQ_9 = Instrument(
    name="PHQ-9",
    item_count=9,
    allowed_answers=(0, 1, 2, 3),
    positive_from=10,
    severity_bands=(
        (0, "none/minimal"),
        (5, "mild"),
        (10, "moderate"),
        (15, "moderately severe"),
        (20, "severe"),
    ),
    instructions="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    answer_labels=_PHQ_FREQUENCY,
    item_text=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    use="Patient Health Questionnaire (depression), Kroenke, Spitzer and Williams; free to use.",
)

GAD_7 = Instrument(
    name="GAD-7",
    item_count=7,
    allowed_answers=(0, 1, 2, 3),
    positive_from=10,
    severity_bands=((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")),
    instructions="Over the last 2 weeks, how often have you been bothered by the following problems?",
    answer_labels=_PHQ_FREQUENCY,
    item_text=(
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ),
    use="Generalised Anxiety Disorder 7 (anxiety), Spitzer, Kroenke, Williams and Löwe; free to use.",
)

CRIES_8 = Instrument(
    name="CRIES-8",
    item_count=8,
    # The form's own weighting; it must not be altered (e.g. to 0-3).
    allowed_answers=(0, 1, 3, 5),
    positive_from=17,
    use="Children's Revised Impact of Event Scale (Children and War Foundation): ages 8-17.",
)

INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType(
    {instrument.name: instrument for instrument in (TSQ, PCL_5, PHQ_9, GAD_7, CRIES_8)}
)
