"""The screening instruments: the one registry of them.

Each entry carries all there is to know about its form: its items (and whether their wording
ships with Stand Up or an administrator loads it), the answers a person can give, how it scores
(the total of the points, severity bands, the total from which a screen is positive, symptom
clusters, answers that raise an alert whatever the total) and the ages it is used at. The scorer
(`pathways.screening`), the screening form on the person page, the age rules and the services all
read it here: a new instrument is one more entry in INSTRUMENTS.

Item text is shipped only for the instruments that are free to reproduce (PHQ-9, GAD-7, PCL-5).
TSQ and CRIES-8 text needs the authors' permission, so they carry item numbers only and an
administrator loads the licensed wording later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

NAME_LENGTH = 10  # pathways.model stores the name with each screening and loaded item text: String(10)
SELF_HARM_ALERT = "PHQ-9 item 9: thoughts of self-harm — urgent safety review by a clinician today"


def _empty_mapping() -> Mapping:
    return MappingProxyType({})


@dataclass(frozen=True)
class ItemAlert:
    """An answer to one item that needs a person now, whatever the total (e.g. PHQ-9 item 9 above 0)."""

    item: int  # 1-based
    above: int  # an answer above this raises the alert
    text: str


# Mappings are read-only views and left out of the hash, so an Instrument stays hashable.
@dataclass(frozen=True)
class Instrument:
    name: str
    item_count: int
    # Points the printed form lets a person give for each item (the same for every item).
    allowed_answers: tuple[int, ...]
    # Total at or above which the screen is positive (referred to a clinician).
    positive_from: int
    # The ages (whole years) it is used at: from `from_age`, up to but not including `before_age`
    # (None: no upper age).
    from_age: int
    before_age: int | None = None
    # Severity bands as (lowest total, label), ascending. Empty for instruments that only
    # have a cut-off: screening then reports "below threshold" / "positive".
    severity_bands: tuple[tuple[int, str], ...] = ()
    # Symptom clusters as label -> 1-based item numbers (PCL-5's B, C, D, E).
    clusters: Mapping[str, tuple[int, ...]] = field(default_factory=_empty_mapping, hash=False)
    alerts: tuple[ItemAlert, ...] = ()
    # True where the wording is licensed and not ours to ship: item numbers only, until an
    # administrator loads the text (pathways.pathway_admin.load_item_text).
    text_loaded_by_administrator: bool = False
    # Wording of the form; empty where it is licensed.
    instructions: str = ""
    answer_labels: Mapping[int, str] = field(default_factory=_empty_mapping, hash=False)
    item_text: tuple[str, ...] = ()
    use: str = ""
    # Days after the incident before which a screen with it is not recommended (trauma screens: about a
    # month, as early reactions mostly settle by themselves). Earlier, a clinician may still screen,
    # giving a reason (pathways.screening_timing).
    from_day_after_incident: int = 0

    def __post_init__(self) -> None:
        if problems := self._problems():
            raise ValueError(f"instrument {self.name!r}: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        """What makes the entry unusable, so a mistake in a new one stops start-up, not a screening."""
        items = range(1, self.item_count + 1)
        answers = self.allowed_answers
        checks = (
            (0 < len(self.name) <= NAME_LENGTH, f"the name must be 1 to {NAME_LENGTH} characters"),
            (self.item_count > 0, "it needs at least one item"),
            (bool(answers) and list(answers) == sorted(set(answers)) and answers[0] >= 0,
             "the allowed answers must be whole points, ascending, each once"),
            (bool(answers) and 0 < self.positive_from <= self.max_total,
             "the positive threshold must be a total the form can reach"),
            (self.from_age >= 0 and (self.before_age is None or self.before_age > self.from_age),
             "the age range must start at 0 or more and end after it starts"),
            (not self.severity_bands or (self.severity_bands[0][0] == 0 and [f for f, _ in self.severity_bands]
                                         == sorted({f for f, _ in self.severity_bands})),
             "severity bands must start at 0 and rise"),
            (all(item in items for cluster in self.clusters.values() for item in cluster),
             "every cluster item must be one of the form's items"),
            (all(alert.item in items for alert in self.alerts), "every alert must be on one of the form's items"),
            (set(self.answer_labels) <= set(answers), "answer labels must be for allowed answers"),
            (not self.item_text if self.text_loaded_by_administrator else len(self.item_text) == self.item_count,
             "ship the text of every item, or none when an administrator loads it"),
            (self.from_day_after_incident >= 0, "the earliest day after the incident cannot be negative"),
        )
        return [problem for ok, problem in checks if not ok]

    @property
    def max_total(self) -> int:
        return self.item_count * max(self.allowed_answers)

    def used_at(self, age_years: int) -> bool:
        return self.from_age <= age_years and (self.before_age is None or age_years < self.before_age)


# "Over the last 2 weeks" frequency scale shared by PHQ-9 and GAD-7.
_PHQ_FREQUENCY = MappingProxyType(
    {0: "Not at all", 1: "Several days", 2: "More than half the days", 3: "Nearly every day"}
)

# DOMAIN.md gives CRIES-8 for "ages 8-18": read as up to the 18th birthday, as under-18s are children
# in law; from then on the adult forms. No self-report screen is used under 8: a clinician's judgement.
ADULT_AGE = 18
# "Screening about 1 month after the incident" (DOMAIN.md, NICE NG116): read as four weeks.
ABOUT_A_MONTH = 28

TSQ = Instrument(
    name="TSQ",
    item_count=10,
    allowed_answers=(0, 1),  # no / yes
    positive_from=6,
    from_age=ADULT_AGE,
    text_loaded_by_administrator=True,
    use="Trauma Screening Questionnaire (Brewin et al. 2002): adults, at least 1 month after the incident.",
    from_day_after_incident=ABOUT_A_MONTH,
)

PCL_5 = Instrument(
    name="PCL-5",
    item_count=20,
    allowed_answers=(0, 1, 2, 3, 4),
    # 33 is the usual cut-off (Bovin et al. 2016); services also use 31-33, so
    # screening.score lets the caller choose.
    positive_from=33,
    from_age=ADULT_AGE,
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
    from_day_after_incident=ABOUT_A_MONTH,
)

PHQ_9 = Instrument(
    name="PHQ-9",
    item_count=9,
    allowed_answers=(0, 1, 2, 3),
    positive_from=10,
    from_age=ADULT_AGE,
    # DOMAIN.md: any positive answer to item 9 (thoughts of self-harm) alerts a clinician the same day.
    alerts=(ItemAlert(item=9, above=0, text=SELF_HARM_ALERT),),
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
    from_age=ADULT_AGE,
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
    from_age=8,
    before_age=ADULT_AGE,
    text_loaded_by_administrator=True,
    use="Children's Revised Impact of Event Scale (Children and War Foundation): ages 8-17.",
    from_day_after_incident=ABOUT_A_MONTH,
)


def registry(*instruments: Instrument) -> Mapping[str, Instrument]:
    """Instruments by name, in the order forms are offered; a name used twice is refused."""
    by_name: dict[str, Instrument] = {}
    for instrument in instruments:
        if instrument.name in by_name:
            raise ValueError(f"two instruments are named {instrument.name!r}")
        by_name[instrument.name] = instrument
    return MappingProxyType(by_name)


INSTRUMENTS = registry(TSQ, PCL_5, PHQ_9, GAD_7, CRIES_8)


# The readers: each looks INSTRUMENTS up when called, so nothing holds a copy of the list.


def instrument_named(name: object) -> Instrument:
    """The instrument, or ValueError listing the known ones."""
    form = INSTRUMENTS.get(name) if isinstance(name, str) else None
    if form is None:
        raise ValueError(f"unknown instrument {name!r}; known instruments: {', '.join(INSTRUMENTS)}")
    return form


def instrument_names() -> tuple[str, ...]:
    return tuple(INSTRUMENTS)


def used_at_age(age_years: int) -> tuple[str, ...]:
    return tuple(name for name, form in INSTRUMENTS.items() if form.used_at(age_years))


def youngest_screened_age() -> int:
    """Below this age no self-report screen is used: a clinician's judgement instead."""
    return min(form.from_age for form in INSTRUMENTS.values())


def text_loaded_by_administrator() -> tuple[str, ...]:
    return tuple(name for name, form in INSTRUMENTS.items() if form.text_loaded_by_administrator)
