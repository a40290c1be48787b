"""Governance on the pages: Gold's board shows what authorised each request and stand-down and asks
for it; the commissioner's office reads the governance page across incidents, nothing else; an
administrator records the delegation."""

from datetime import date

from core.audit.model import AuditEvent
from core.clock import now
from core.db import unit_of_work
from incident.activation_service import Authority, activations_board, catalogue, request_activation
from incident.decision_service import Decision, log_decision
from incident.delegation_service import record_delegation
from incident.delegation_terms import DelegationTerms
from incident.model import ActivationStageChange, Delegation
from rosters.contribution import Agreement
from rosters.contribution_service import record_contribution
from tests.page_text import as_read

GOLD_PAGE = "incident/pages/gold.py"
GOVERNANCE_PAGE = "incident/pages/governance.py"
DELEGATION_PAGE = "incident/pages/delegation.py"


def _texts(at) -> str:
    return "\n".join(as_read(m.value) for m in at.markdown)


def _activate(db, gold, incident_id, agency_id, authority: Authority) -> int:
    with unit_of_work(db.engine) as s:
        return request_activation(s, gold, incident_id, catalogue(s, gold)[0].id, agency_id, "", authority).id


def test_gold_asks_for_a_service_naming_the_newest_decision_by_default(app_as, db, gold, incident_id, agency_id):
    with unit_of_work(db.engine) as s:
        log_decision(s, gold, incident_id, Decision(now(), "Ch Supt Khan", "Set up the hub", "witnesses"))
        log_decision(s, gold, incident_id, Decision(now(), "ACC Jones", "Surge the hub to 24 hours", "families"))
    at = app_as("gold", GOLD_PAGE, actor=gold, incident_id=incident_id)
    assert at.selectbox(key="activate_decision").value is not None
    {b.label: b for b in at.selectbox}["Lead agency"].select_index(0)
    at.button(key="FormSubmitter:activate-Request activation").click().run()
    assert not at.exception and not at.error
    with unit_of_work(db.engine) as s:
        (card,) = activations_board(s, gold, incident_id)
    assert (card.steps[0].authority.sequence, card.steps[0].authority.decision_maker) == (2, "ACC Jones")
    assert "Requested: authorised by entry 2 (ACC Jones, decided " in _texts(at)


def test_gold_stands_a_service_down_naming_its_decision_or_is_told_why_not(app_as, db, gold, incident_id, agency_id,
                                                                         authority):
    activation = _activate(db, gold, incident_id, agency_id, authority)
    at = app_as("gold", GOLD_PAGE, actor=gold, incident_id=incident_id)
    prefix = f"move{activation}stood_down"
    choice = at.selectbox(key=f"{prefix}_decision")
    assert choice.options == ["Entry 1: Stand up victim support (Ch Supt Khan, 09:00)", "Not in the log yet"]
    choice.select_index(1)  # and no reason given
    at.button(key=f"FormSubmitter:{prefix}-Move to stood down").click().run()
    assert [as_read(e.value) for e in at.error] == [
        "Standing a service down needs the decision-log entry that authorised it. If the decision is not in the "
        "log yet, say why (it will be recorded late)."]
    with unit_of_work(db.engine) as s:
        assert s.query(ActivationStageChange).count() == 1
    at.text_input(key=f"{prefix}_late").input("Stood down by radio; Gold logs it at the 06:00 SCG")
    at.button(key=f"FormSubmitter:{prefix}-Move to stood down").click().run()
    assert not at.error
    with unit_of_work(db.engine) as s:
        (card,) = activations_board(s, gold, incident_id)
    assert card.stage == "stood_down" and card.steps[-1].authority.late_reason.startswith("Stood down by radio")
    assert ("Stood down: authorising decision not in the log yet: Stood down by radio; Gold logs it at the 06:00 SCG"
            in _texts(at))


def test_the_commissioners_office_reads_governance_and_nothing_else(app_as, db, gold, make_actor, incident_id,
                                                                   agency_id, authority):
    _activate(db, gold, incident_id, agency_id, authority)
    hub_manager = make_actor("hub_manager")
    with unit_of_work(db.engine) as s:
        record_delegation(s, gold, DelegationTerms("Police and Crime Commissioner", "Chief Constable",
                                                   "Standing up victim support", date(2026, 4, 1), "PCC 2026/014"))
        record_contribution(s, hub_manager, incident_id, agency_id,
                            Agreement(4, date(2026, 11, 23), None, "support workers"))
    at = app_as("scrutiny", incident_id=None)
    assert not at.exception
    assert not at.sidebar.selectbox  # no incident picker: the governance page chooses across incidents
    for page in (GOLD_PAGE, "incident/pages/methane.py", "standup/pages/map.py", DELEGATION_PAGE):
        try:
            at.switch_page(page)
        except ValueError:
            continue
        raise AssertionError(f"{page} is offered to the commissioner's office")
    at.switch_page(GOVERNANCE_PAGE).run()
    assert not at.exception and not at.error
    delegation, incidents, activations, contributions = (frame.value for frame in at.dataframe)
    assert list(delegation["document"]) == ["PCC 2026/014"] and list(delegation["in force today"]) == ["yes"]
    assert list(incidents["incident"]) == ["Arena explosion"] and list(incidents["naming their decision"]) == [1]
    assert list(activations["step"]) == ["requested"]
    assert activations["authority"][0].startswith("authorised by entry 1 (Ch Supt Khan, decided ")
    # What the agencies agreed and gave, which the composition layer puts on the page (rosters' figures).
    assert list(contributions["agreed a day"]) == [4] and list(contributions["roles"]) == ["support workers"]
    text = _texts(at)
    assert "Stood up under **PCC 2026/014**" in text and "**1.** Stand up victim support" in text
    assert [s.value for s in at.success][0].startswith("Intact: none of its 1 entries")
    # The after-action report, which the composition layer puts beside them: made for its recipient.
    at.text_input(key=f"after-action_recipient_{incident_id}").input("Police and crime panel")
    at.radio(key=f"after-action_format_{incident_id}").set_value("md")
    at.button(key=f"FormSubmitter:after-action_{incident_id}-Make the after-action report").click().run()
    assert not at.exception and not at.error
    (button,) = at.get("download_button")
    assert button.proto.label.startswith("Download MD, made ")
    assert at.session_state[f"after-action_made_{incident_id}"][1].startswith(b"# After-action report: Arena")
    with unit_of_work(db.engine) as s:
        (made,) = s.query(AuditEvent).filter_by(action="export", entity="after_action").all()
    assert (made.actor_user_id, made.recipient) == (at.session_state["actor"].user_id, "Police and crime panel")


def test_an_administrator_records_the_delegation_on_its_page(app_as, db, make_actor):
    at = app_as("admin", DELEGATION_PAGE)
    at.text_input(key="delegation_by").input("Police and Crime Commissioner")
    at.text_input(key="delegation_to").input("Chief Constable")
    at.text_area(key="delegation_scope").input("Standing up victim support")
    at.date_input(key="delegation_from").set_value(date(2026, 4, 1))
    at.button(key="FormSubmitter:delegation-Record the delegation").click().run()
    assert [as_read(e.value) for e in at.error] == ["A delegation needs the document reference."]
    at.text_input(key="delegation_reference").input("PCC 2026/014")
    at.button(key="FormSubmitter:delegation-Record the delegation").click().run()
    assert not at.error and [s.value for s in at.success] == ["Delegation PCC 2026/014 recorded."]
    with unit_of_work(db.engine) as s:
        (row,) = s.query(Delegation).all()
    assert (row.delegated_to, row.effective_from, row.effective_until) == ("Chief Constable", date(2026, 4, 1), None)
