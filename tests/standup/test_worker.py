"""The worker: every domain's sweep is scheduled, and each runs on an empty database without error."""

import pytest

from standup.worker import SWEEPS, build_scheduler


def test_every_sweep_is_scheduled_once():
    scheduler = build_scheduler()
    names = [job.id for job in scheduler.get_jobs()]
    assert sorted(names) == sorted(s.name for s in SWEEPS)
    assert len(set(names)) == len(names)
    assert {"heartbeat", "retention", "sms_dispatch"} <= set(names)


@pytest.mark.parametrize("sweep", SWEEPS, ids=lambda s: s.name)
def test_each_sweep_runs_on_an_empty_database(db, sweep):
    sweep.run()  # raises on any error: the scheduler's guard is not in the way here
    sweep.run()  # and again: sweeps must be safe to repeat
    assert sweep.every_seconds > 0
