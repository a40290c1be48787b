"""Victims' Code compliance for the commissioner: per right the tool measures, how many cases were
eligible, met, missed and still pending, and the rate met (of those decided), across incidents and a
period; by month, and by age band, sex, ethnic group and disability where recorded, every figure
that could tell how fewer than 5 people fared suppressed (standup.compliance.small_numbers).

Live and exercise incidents never mix: without an incident named, the report covers every live
incident, or every exercise when there is no live one (the demo). Each reading is audited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit.service import record_opening
from core.auth.roles import Actor, Permission, require
from core.clock import now
from core.errors import InputError
from core.settings import get_settings
from incident.model import Incident
from outreach.queries import feedback_answers
from pathways.compliance_rules import RIGHTS, Right, rate
from pathways.equality_monitoring import AGE_BANDS, ETHNIC_GROUPS, NOT_RECORDED, SEXES, answer_group
from pathways.queries import CodeCase, victims_code_cases
from standup.compliance.feedback import FeedbackFigures, feedback_figures
from standup.compliance.small_numbers import SECONDARY, SUPPRESSED, THRESHOLD, Cell, Suppression, suppress

MEASURES = ("eligible", "met", "missed", "pending")
OVERALL = ("all", "all")
# The breakdowns, in the order the report shows them: (key, heading).
BREAKDOWNS = (("month", "By month"), ("age_band", "By age band"), ("sex", "By sex"),
              ("ethnicity", "By ethnic group (ONS 2021)"), ("disability", "By disability"),
              ("incident", "By incident"))
_FIXED_GROUPS = {
    "age_band": (*(band for _, band in AGE_BANDS), NOT_RECORDED),
    "sex": (*map(answer_group, SEXES), NOT_RECORDED),
    "ethnicity": (*ETHNIC_GROUPS, answer_group("prefer_not_to_say"), NOT_RECORDED),
    "disability": ("yes", "no", answer_group("prefer_not_to_say"), NOT_RECORDED),
}

Value = int | str  # a count, SUPPRESSED or SECONDARY
Rate = float | str | None  # per cent met of those decided; None with none decided; SUPPRESSED or SECONDARY


@dataclass(frozen=True)
class Line:
    group: str
    eligible: Value
    met: Value
    missed: Value
    pending: Value
    rate: Rate


@dataclass(frozen=True)
class RightFigures:
    right: Right
    overall: Line
    breakdowns: dict[str, list[Line]]  # BREAKDOWNS' keys


@dataclass(frozen=True)
class IncidentChoice:
    id: int
    name: str
    is_exercise: bool


@dataclass(frozen=True)
class ComplianceReport:
    incidents: list[tuple[int, str]]  # (id, name), the incidents covered
    choices: list[IncidentChoice]  # every incident, newest first: what else the report could cover
    is_exercise: bool
    start: date | None
    end: date | None
    generated_at: datetime
    rights: list[RightFigures]
    feedback: FeedbackFigures  # victims' own view: the satisfaction survey (outreach)
    notes: list[str]

    @property
    def marking(self) -> str:
        return "EXERCISE" if self.is_exercise else "LIVE INCIDENTS"

    def counts(self) -> str:
        """What the audit trail keeps of a disclosure: each right's overall figures as shown."""
        return "; ".join(f"{f.right.key} {f.overall.met}/{f.overall.eligible} met" for f in self.rights)


def _scope(choices: list[IncidentChoice], incident_id: int | None) -> tuple[list[tuple[int, str]], bool]:
    if incident_id is not None:
        chosen = [c for c in choices if c.id == incident_id]
        if not chosen:
            raise InputError(f"No incident {incident_id}: give the number of an incident (the Governance page "
                             "lists them).")
        return [(chosen[0].id, chosen[0].name)], chosen[0].is_exercise
    oldest_first = choices[::-1]
    live = [(c.id, c.name) for c in oldest_first if not c.is_exercise]
    return (live, False) if live or not choices else ([(c.id, c.name) for c in oldest_first], True)


def _check_period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise InputError(f"The period ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y}): give an end on "
                         "or after the start.")


def _months(days: Sequence[date], start: date | None, end: date | None) -> list[str]:
    """Every month from the period's start (or the first day given) to its end (or the last)."""
    first, last = start or (min(days) if days else None), end or (max(days) if days else None)
    if first is None or last is None:
        return []
    months, (y, m) = [], (first.year, first.month)
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _group_of(case: CodeCase, breakdown: str, names: dict[int, str]) -> str:
    if breakdown == "month":
        return f"{case.arose_on:%Y-%m}"
    if breakdown == "incident":
        return names[case.incident_id]
    return getattr(case, breakdown)


def right_figures(right: Right, cases: Sequence[CodeCase], groups: dict[str, Sequence[str]],
                  names: dict[int, str]) -> tuple[RightFigures, Suppression]:
    """One right's figures, overall and in every group of every breakdown, small numbers hidden."""
    people: dict[tuple, set[int]] = defaultdict(set)
    counts: dict[tuple, int] = defaultdict(int)
    for case in cases:
        for where in (OVERALL, *((b, _group_of(case, b, names)) for b, _ in BREAKDOWNS)):
            for measure in ("eligible", case.outcome.value):
                counts[(*where, measure)] += 1
                people[(*where, measure)].add(case.person_id)
    rows = [OVERALL, *((b, g) for b, _ in BREAKDOWNS for g in groups[b])]
    cells = {(*row, m): Cell(counts[(*row, m)], len(people[(*row, m)])) for row in rows for m in MEASURES}
    sums = [((*row, "eligible"), [(*row, m) for m in MEASURES[1:]]) for row in rows]
    sums += [((*OVERALL, m), [(b, g, m) for g in groups[b]]) for b, _ in BREAKDOWNS for m in MEASURES]
    hidden = suppress(cells, sums)

    def line(row: tuple) -> Line:
        values = {m: hidden.shown((*row, m), cells[(*row, m)].count) for m in MEASURES}
        met, missed = values["met"], values["missed"]
        if SUPPRESSED in (met, missed) or SECONDARY in (met, missed):
            share: Rate = SECONDARY  # never "fewer than 5": in a rate's column it would read as under 5 per cent
        else:
            decided = rate(met, missed)
            share = None if decided is None else round(100 * decided, 1)
        return Line(row[1], *values.values(), share)

    return RightFigures(right, line(OVERALL), {b: [line((b, g)) for g in groups[b]] for b, _ in BREAKDOWNS}), hidden


def _notes(hidden_any: bool, secondary_any: bool, is_exercise: bool) -> list[str]:
    settings = get_settings()
    notes = [f"A figure that could show how fewer than {THRESHOLD} people fared is shown as \"{SUPPRESSED}\"; a rate worked "
             f"from a hidden figure is shown as \"{SECONDARY}\". A 0 is shown: it describes nobody."]
    if secondary_any:
        notes.append(f"Where a total less its other figures would give away a hidden figure, the next-smallest "
                     f"figure of that total is hidden too, shown as \"{SECONDARY}\" (secondary suppression): no total "
                     "has one hidden figure alone.")
    elif not hidden_any:
        notes.append("No figure needed hiding.")
    notes += [
        "Rate: met as a share of the cases decided (met and missed); pending cases are not decided yet.",
        f"Right 4 referral: within {settings.referral_working_days} working days of registration. Right 6: told "
        f"within {settings.inform_working_days} working days of the decision ({settings.inform_enhanced_working_days} "
        f"with enhanced rights). Right 12: answered within {settings.complaint_working_days} working days. Working "
        "days exclude weekends and the bank holidays of the person's nation.",
        "Victims' feedback: the satisfaction survey offered at discharge and 6 months after registration, counted "
        "in the month it was offered; satisfied is 4 or 5 of 5; kept informed and treated with respect as shares "
        "of those asked (the text-message scale asks satisfaction only). What people wrote is never counted here.",
        "Right 1, the needs assessment and the enhanced-rights assessment have no deadline in the Code: pending "
        "while the case is open, missed when it closed without them.",
        "A case falls in the month its right arose: registration, the decision the person was to be told of, the "
        "complaint received. Ages are banded on that day. Sex, ethnic group and disability are counted as each "
        "person chose to record them; \"not recorded\" includes everyone not asked.",
    ]
    if is_exercise:
        notes.append("EXERCISE data: synthetic people, not for publication.")
    return notes


def build_compliance(session: Session, incident_id: int | None, start: date | None, end: date | None) -> ComplianceReport:
    """The figures, unaudited: for the audited reading and the disclosure below."""
    _check_period(start, end)
    choices = [IncidentChoice(*row) for row in session.execute(
        select(Incident.id, Incident.name, Incident.is_exercise).order_by(Incident.id.desc()))]
    incidents, is_exercise = _scope(choices, incident_id)
    names = dict(incidents)
    cases = victims_code_cases(session, list(names), start, end, now(), get_settings().complaint_working_days)
    answers = feedback_answers(session, list(names), start=start, end=end)
    months = _months([c.arose_on for c in cases] + [a.month for a in answers], start, end)
    groups = {**_FIXED_GROUPS, "month": months, "incident": list(names.values())}
    # Two incidents may share a name: told apart by their number.
    if len(set(names.values())) < len(names):
        names = {i: f"{name} ({i})" for i, name in names.items()}
        groups["incident"] = list(names.values())
    by_right: dict[str, list[CodeCase]] = defaultdict(list)
    for case in cases:
        by_right[case.right].append(case)
    figures, hidden_any, secondary_any = [], False, False
    for right in RIGHTS:
        f, hidden = right_figures(right, by_right[right.key], groups, names)
        figures.append(f)
        hidden_any |= bool(hidden.primary)
        secondary_any |= bool(hidden.secondary)
    feedback, hidden = feedback_figures(answers, months)
    hidden_any |= bool(hidden.primary)
    secondary_any |= bool(hidden.secondary)
    return ComplianceReport(incidents, choices, is_exercise, start, end, now(), figures, feedback,
                            _notes(hidden_any, secondary_any, is_exercise))


def scope_key(incident_id: int | None, start: date | None, end: date | None) -> str:
    """The audit trail's name for what was read: the incident (or all) and the period."""
    return f"{incident_id or 'all'} {start or ''}..{end or ''}"


def compliance_report(session: Session, actor: Actor, incident_id: int | None = None, start: date | None = None,
                      end: date | None = None) -> ComplianceReport:
    """The figures for the Compliance page; each opening recorded."""
    require(actor, Permission.COMPLIANCE_VIEW)
    report = build_compliance(session, incident_id, start, end)
    record_opening(session, actor, "compliance", scope_key(incident_id, start, end), reason="",
                   incident_id=incident_id, detail="Victims' Code compliance figures, small numbers suppressed")
    return report


def incident_feedback(session: Session, actor: Actor, incident_id: int) -> FeedbackFigures:
    """One incident's victims' feedback for the governance page, by the compliance report's own rule;
    each opening recorded."""
    require(actor, Permission.GOVERNANCE_VIEW)
    if session.get(Incident, incident_id) is None:
        raise InputError(f"No incident {incident_id}.")
    record_opening(session, actor, "feedback_offer", incident_id, incident_id=incident_id, reason="",
                   detail="governance: feedback survey figures by month (small numbers hidden)")
    answers = feedback_answers(session, [incident_id])
    return feedback_figures(answers, _months([a.month for a in answers], None, None))[0]

