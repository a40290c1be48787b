"""The notifications part of `standup demo`: one call-out that met its quorum and one still asking
(which phones those who have not answered), whatever the hour the demo is built (which gaps anyone can be texted for changes with the hour)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from core.db import unit_of_work
from notifications.model import CallOut, CallOutRecipient, CallOutStatus, MobilisationRequest
from standup.demo import build_demo


# 07:55 UTC on a Tuesday once left only a gap needing an Arabic speaker nobody could cover first.
@pytest.mark.parametrize("built_at", [datetime(2026, 12, 1, 7, 55, tzinfo=UTC),
                                      datetime(2026, 12, 5, 23, 40, tzinfo=UTC)], ids=["tuesday-0755", "saturday-2340"])
def test_the_demo_has_a_finished_call_out_and_one_in_progress(db, frozen_clock, built_at):
    frozen_clock.set(built_at)
    result = build_demo(db.engine, seed=11)
    with unit_of_work(db.engine) as s:
        callouts = list(s.scalars(select(CallOut).where(CallOut.incident_id == result.incident_id)
                                  .order_by(CallOut.id)))
        asked = [s.scalar(select(CallOutRecipient.id).where(CallOutRecipient.callout_id == c.id,
                                                             CallOutRecipient.asked_at.is_not(None)).limit(1))
                 for c in callouts]
        offered = s.scalar(select(MobilisationRequest.offered).where(
            MobilisationRequest.incident_id == result.incident_id))
    assert [c.status for c in callouts] == [CallOutStatus.QUORUM_MET.value, CallOutStatus.OPEN.value]
    assert [c.call_if_unanswered for c in callouts] == [False, True]  # the one still asking phones, in time
    assert all(asked)
    assert offered == 3
