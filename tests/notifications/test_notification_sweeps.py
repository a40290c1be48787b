"""An exercise call-out driven only by the worker's sweeps (console gateway, injected clock):
send, simulated answers, the next wave, quorum; a failed send shows on the board and can be re-sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.auth.roles import Actor
from core.db import unit_of_work
from core.errors import InputError
from notifications import plugin
from notifications.board_queries import callout_board
from notifications.callout_service import start_callout
from notifications.model import CallOutRecipient, OutboundMessage
from notifications.outbox_service import resend
from notifications.simulated_responders import simulated_answer

HUB = Actor.system("test")


def run_sweeps() -> None:
    for sweep in plugin.SWEEPS:
        sweep.run()


def test_an_exercise_callout_runs_to_quorum_on_the_sweeps_alone(db, world, frozen_clock):
    w = world(headcount=3, staff=20)
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=3, exercise_yes_share=0.3,
                                exercise_reply_seconds=30, wave_interval_minutes=15)
    run_sweeps()
    with unit_of_work(db.engine) as s:
        assert set(s.scalars(select(OutboundMessage.status))) == {"delivered"}  # console gateway
    for _ in range(12):  # three hours of sweeps, a tick every 15 minutes
        frozen_clock.advance(timedelta(minutes=15))
        run_sweeps()
        run_sweeps()  # twice per tick: every sweep must be safe to run again
    with unit_of_work(db.engine) as s:
        board = callout_board(s, HUB, callout.id)
        people = list(s.scalars(select(CallOutRecipient).where(CallOutRecipient.callout_id == callout.id)))
    yes_people = [p for p in people if p.wave and simulated_answer(p.id, 0.3) == "yes"]
    assert board.callout.status == "quorum_met" and board.confirmed == 3
    assert len(board.waves) >= 2  # 30% YES from 6 asked falls short: a second wave was needed
    assert sum(w.yes for w in board.waves) == len(yes_people)
    assert board.minutes_to_quorum is not None


def test_a_failed_send_shows_on_the_board_and_only_a_failed_one_can_be_resent(db, world):
    w = world(headcount=1, staff=2)
    with unit_of_work(db.engine) as s:
        callout = start_callout(s, HUB, w.requirement_id, quorum=1)
        first = s.scalar(select(OutboundMessage).order_by(OutboundMessage.id))
        first.status, first.error_code, first.error_text = "failed", 30003, "Unreachable destination handset"
        first_id = first.id
    with unit_of_work(db.engine) as s:
        board = callout_board(s, HUB, callout.id)
        assert [p.error for p in board.recipients if p.message_status == "failed"] == [
            "30003 · phone unreachable (off or out of signal) · Unreachable destination handset"]
        assert board.waves[0].failed == 1
        copy = resend(s, HUB, first_id)
    assert copy.id != first_id
    with pytest.raises(InputError, match="only failed, undelivered or unknown"), unit_of_work(db.engine) as s:
        resend(s, HUB, copy.id)
