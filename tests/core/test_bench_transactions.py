"""core.bench.timed_transactions: the longest transaction a piece of work held, as `standup bench`
reports it for imports (how long a concurrent write could wait behind them)."""

from __future__ import annotations

import time

from sqlalchemy import text

from core.bench import timed_transactions
from core.db import unit_of_work


def test_the_longest_of_several_transactions_is_the_one_measured(db):
    def work() -> None:
        with unit_of_work(db.engine) as session:
            session.execute(text("SELECT 1"))
        with unit_of_work(db.engine) as session:
            session.execute(text("SELECT 1"))
            time.sleep(0.3)
        time.sleep(0.3)  # outside any transaction: not counted

    seconds, longest = timed_transactions(db.engine, work)
    assert 0.3 <= longest < seconds
    _, after = timed_transactions(db.engine, lambda: None)
    assert after == 0.0  # the listeners went with the first measurement
