"""Score the trauma pathway's screening questionnaires, as their entries in the registry
(pathways.instruments) say.

The tool only flags. A positive screen, or an alert, means "a clinician should look at
this person"; the clinician assesses and decides what happens next (NICE NG116
screen-and-treat; UK GDPR art. 22: no solely automated decisions about a person).
Nothing here diagnoses, refers or rules anyone out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from pathways.instruments import PCL_5, Instrument, instrument_named, used_at_age

POSITIVE_NEXT_STEP = (
    "Positive screen: flag for assessment by a clinician, who decides on any treatment or "
    "referral. This score is not a diagnosis."
)
BELOW_THRESHOLD_NEXT_STEP = (
    "Below threshold: nothing flagged; rescreen as planned. A clinician may still assess "
    "anyone they or the person are worried about."
)


@dataclass(frozen=True)
class ScreeningResult:
    instrument: str
    total: int
    band: str
    # True means "flag for a clinician", never "has the condition".
    positive: bool
    # Things that need a person now (e.g. self-harm thoughts); empty otherwise.
    alerts: tuple[str, ...]
    # Cluster subtotals (PCL-5's B/C/D/E); empty for instruments without clusters. Left out of the
    # hash because a mapping is not hashable.
    clusters: Mapping[str, int] = field(hash=False)
    # What staff do with this result: a clinician decides, the tool does not.
    next_step: str


def score(
    instrument: str, answers: Sequence[int], *, pcl5_threshold: int = PCL_5.positive_from
) -> ScreeningResult:
    """Score one completed questionnaire.

    `answers` are the points printed on the form, item by item (item 1 first).
    `pcl5_threshold` is the PCL-5 cut-off (33 by default; 31-33 are in use) and is
    ignored for the other instruments. Raises ValueError, naming the item, for a
    wrong number of answers or any answer the form cannot give.
    """
    form = instrument_named(instrument)
    points = _checked_answers(form, answers)
    total = sum(points)

    positive_from = _checked_pcl5_threshold(pcl5_threshold) if form is PCL_5 else form.positive_from
    positive = total >= positive_from

    clusters = {label: sum(points[item - 1] for item in items) for label, items in form.clusters.items()}
    alerts = tuple(alert.text for alert in form.alerts if points[alert.item - 1] > alert.above)

    return ScreeningResult(
        instrument=form.name,
        total=total,
        band=_band(form, total, positive),
        positive=positive,
        alerts=alerts,
        clusters=MappingProxyType(clusters),
        next_step=POSITIVE_NEXT_STEP if positive else BELOW_THRESHOLD_NEXT_STEP,
    )


def instrument_for_age(age_years: int) -> tuple[str, ...]:
    """Instruments to offer a person of this age (whole years) at screening: those whose age range
    in the registry holds it. None below the youngest (8): no self-report screen is used that
    young, so do not screen; refer the child for clinician judgement (e.g. CAMHS) with the
    family's account."""
    if isinstance(age_years, bool) or not isinstance(age_years, int) or age_years < 0:
        raise ValueError(f"age_years must be a whole number of years, 0 or more, got {age_years!r}")
    return used_at_age(age_years)


def _checked_answers(form: Instrument, answers: Sequence[int]) -> tuple[int, ...]:
    # Only ordered sequences: a set or a dict would lose which answer belongs to which item.
    if not isinstance(answers, Sequence) or isinstance(answers, str | bytes):
        raise ValueError(f"{form.name} answers must be a list of points, item by item, got {answers!r}")
    if len(answers) != form.item_count:
        raise ValueError(f"{form.name} needs {form.item_count} answers, got {len(answers)}")

    allowed = ", ".join(str(points) for points in form.allowed_answers)
    for item, answer in enumerate(answers, start=1):
        where = f"{form.name} item {item}"
        if answer is None:
            raise ValueError(f"{where}: no answer given ({allowed})")
        # bool is an int subclass: True would silently count as 1.
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ValueError(f"{where}: {answer!r} is not a whole number of points ({allowed})")
        if answer not in form.allowed_answers:
            raise ValueError(f"{where}: {answer} is not an allowed answer ({allowed})")
    return tuple(answers)


def _checked_pcl5_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 1 <= threshold <= PCL_5.max_total:
        raise ValueError(
            f"pcl5_threshold must be a whole number from 1 to {PCL_5.max_total}, got {threshold!r}"
        )
    return threshold


def _band(form: Instrument, total: int, positive: bool) -> str:
    if not form.severity_bands:
        return "positive" if positive else "below threshold"
    # Bands are ascending; the last one whose floor the total reaches is the band.
    return [label for floor, label in form.severity_bands if total >= floor][-1]
