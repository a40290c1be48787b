"""The woken-worker benchmarks at tiny sizes, for their correctness columns only (timings are never
asserted): every SMS handled once with one reply, every YES assigned, every alert texted once."""

from __future__ import annotations

from standup.wake_bench import bench_alert_texts, bench_inbound_answers


def test_every_sms_is_answered_once_and_every_yes_assigned(db):
    replies, assigned = bench_inbound_answers(db.engine, answers=3)
    assert replies.correctness == 0 and assigned.correctness == 0
    assert "6 signed SMS" in replies.note and "3 assignments for 3 YES" in assigned.note
    assert replies.figure.startswith("p95 ") and assigned.figure.startswith("p95 ")


def test_every_urgent_alert_is_texted_once(db):
    [row] = bench_alert_texts(db.engine, alerts=2)
    assert row.correctness == 0 and "2 PHQ-9 screenings" in row.note and row.figure.startswith("p95 ")
