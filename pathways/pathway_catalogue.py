"""The standard pathways as data, and the rules any pathway (standard or added by an
administrator) must keep.

NICE NG116: psychological first aid and practical support come first; screen at about one
month and rescreen; treat positive screens after a clinician's assessment. Single-session
psychological debriefing is not recommended and may harm, so no stage or intervention may
be one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STANDARD_SCREENING_MONTHS = (1, 3, 6, 9, 12)
# Pathway.screening_months keeps them as "1,3,6": 20 two-digit months fit in its 60 characters.
MAX_SCREENINGS = 20
# Catches "debrief", "debriefing", "de-briefing", "critical incident stress debriefing" (CISD).
_DEBRIEFING = re.compile(r"de[\s\-]*brief|\bcisd\b", re.IGNORECASE)


@dataclass(frozen=True)
class StageSpec:
    code: str
    name: str
    intervention: str


@dataclass(frozen=True)
class PathwaySpec:
    code: str
    name: str
    description: str
    screening_months: tuple[int, ...]
    stages: tuple[StageSpec, ...]  # the first is where everyone starts
    moves: tuple[tuple[str, str], ...]


_FIRST = StageSpec("first_support", "Psychological first aid and practical support",
                   "Psychological first aid (Prepare, Look, Listen, Link); practical help and information")
_MONITOR = StageSpec("active_monitoring", "Active monitoring and screening",
                     "Watchful waiting with screening at the scheduled months")
_ASSESS = StageSpec("clinical_assessment", "Clinical assessment", "Assessment by a clinician after a positive screen")
_TRAUMA = StageSpec("trauma_treatment", "Trauma-focused treatment",
                    "Trauma-focused CBT or EMDR via the NHS mental-health trust")
_TALKING = StageSpec("talking_therapies", "NHS Talking Therapies", "For mild to moderate depression or anxiety")
_RECOVERY = StageSpec("recovery", "Recovery and follow-up", "Check-ins until discharge")

STANDARD_PATHWAYS: tuple[PathwaySpec, ...] = (
    PathwaySpec(
        "adult_trauma", "Adult trauma", "Adults affected by the incident: screen and treat.",
        STANDARD_SCREENING_MONTHS,
        (_FIRST, _MONITOR, _ASSESS, _TRAUMA, _TALKING, _RECOVERY),
        (("first_support", "active_monitoring"), ("first_support", "clinical_assessment"),
         ("active_monitoring", "clinical_assessment"), ("active_monitoring", "recovery"),
         ("clinical_assessment", "trauma_treatment"), ("clinical_assessment", "talking_therapies"),
         ("clinical_assessment", "active_monitoring"), ("trauma_treatment", "recovery"),
         ("talking_therapies", "recovery"), ("recovery", "active_monitoring")),
    ),
    PathwaySpec(
        "children_young_people", "Children and young people",
        "Under-18s: support through the family; CRIES-8 from age 8; CAMHS for assessment and treatment.",
        STANDARD_SCREENING_MONTHS,
        (StageSpec("first_support", "Psychological first aid and family support",
                   "Psychological first aid for the child and practical support for the family"),
         _MONITOR,
         StageSpec("camhs_assessment", "CAMHS assessment", "Assessment by CAMHS after a positive screen or concern"),
         StageSpec("camhs_treatment", "CAMHS treatment", "Trauma-focused CBT for children and young people"),
         _RECOVERY),
        (("first_support", "active_monitoring"), ("first_support", "camhs_assessment"),
         ("active_monitoring", "camhs_assessment"), ("active_monitoring", "recovery"),
         ("camhs_assessment", "camhs_treatment"), ("camhs_assessment", "active_monitoring"),
         ("camhs_treatment", "recovery"), ("recovery", "active_monitoring")),
    ),
    PathwaySpec(
        "bereaved", "Bereaved", "Bereaved family members: family liaison, bereavement support, screen for traumatic grief.",
        STANDARD_SCREENING_MONTHS,
        (_FIRST,
         StageSpec("bereavement_support", "Bereavement support", "Bereavement support (e.g. Cruse), peer support"),
         _MONITOR, _ASSESS, _TRAUMA, _RECOVERY),
        (("first_support", "bereavement_support"), ("bereavement_support", "active_monitoring"),
         ("active_monitoring", "clinical_assessment"), ("bereavement_support", "clinical_assessment"),
         ("clinical_assessment", "trauma_treatment"), ("clinical_assessment", "bereavement_support"),
         ("trauma_treatment", "recovery"), ("active_monitoring", "recovery"), ("recovery", "active_monitoring")),
    ),
    PathwaySpec(
        "practical_support", "Practical support only",
        "People who need practical help and information; one screen at a month in case more emerges.",
        (1,),
        (StageSpec("first_support", "Practical support", "Practical help: housing, finance, information"),
         StageSpec("signposting", "Information and signposting", "Information and signposting to partner services"),
         _RECOVERY),
        (("first_support", "signposting"), ("signposting", "recovery"), ("first_support", "recovery")),
    ),
)


def debriefing_refusal(*texts: str) -> str:
    """Refuses any stage or intervention that is (single-session) debriefing; "" when none is."""
    for text in texts:
        if _DEBRIEFING.search(text or ""):
            return (f"{text!r} looks like psychological debriefing, which NICE (NG116) does not recommend and "
                    "may harm; offer psychological first aid, active monitoring or trauma-focused treatment instead")
    return ""


def pathway_problems(spec: PathwaySpec) -> list[str]:
    """Everything wrong with a pathway definition; empty when it may be saved."""
    problems = []
    if not spec.name.strip():
        problems.append("a pathway needs a name")
    if not spec.stages:
        problems.append("a pathway needs at least one stage")
    codes = [s.code for s in spec.stages]
    if len(set(codes)) != len(codes):
        problems.append("stage codes must be unique within a pathway")
    for stage in spec.stages:
        if refusal := debriefing_refusal(stage.name, stage.intervention, stage.code):
            problems.append(refusal)
    if spec.stages and not re.search(r"first aid|practical", f"{spec.stages[0].name} {spec.stages[0].intervention}",
                                     re.IGNORECASE):
        problems.append("the first stage must be psychological first aid or practical support")
    for start, end in spec.moves:
        if start not in codes or end not in codes:
            problems.append(f"the move {start} -> {end} names a stage the pathway does not have")
        elif start == end:
            problems.append(f"the move {start} -> {end} goes nowhere")
    if not spec.screening_months or any(m < 1 or m > 60 for m in spec.screening_months):
        problems.append("screening months must be whole months from 1 to 60, e.g. 1, 3, 6, 9, 12")
    if len(spec.screening_months) > MAX_SCREENINGS:
        problems.append(f"a pathway has at most {MAX_SCREENINGS} screening months (got {len(spec.screening_months)})")
    return problems


def move_refusal(current: str, target: str, allowed: set[tuple[str, str]], stage_names: dict[str, str]) -> str:
    """Why this pathway does not allow the move; "" when it does."""
    if (current, target) in allowed:
        return ""
    onward = sorted(stage_names[end] for start, end in allowed if start == current)
    return (f"The pathway does not allow a move from {stage_names.get(current, current)!r} to "
            f"{stage_names.get(target, target)!r}; allowed from here: {', '.join(onward) or 'none'}")
