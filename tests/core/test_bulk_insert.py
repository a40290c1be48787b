"""core.db.bulk_insert: each row's new id, in the rows' order, on either database, across batches."""

from __future__ import annotations

from sqlalchemy import select

from core.agencies.model import Agency
from core.db import BULK_CHUNK, bulk_insert, unit_of_work


def test_bulk_insert_gives_each_row_its_own_id_in_order(db):
    with unit_of_work(db.engine) as session:
        session.add_all([Agency(name="Already here 1"), Agency(name="Already here 2")])
    count = BULK_CHUNK * 2 + 7  # three batches, the last one short
    # Shuffled names: the ids must follow the rows, not the names' order.
    names = [f"Agency {(n * 7919) % count:05d}" for n in range(count)]
    with unit_of_work(db.engine) as session:
        ids = bulk_insert(session, Agency, [{"name": name, "kind": "other", "coordinator_mobile": None}
                                            for name in names])
    assert len(ids) == len(set(ids)) == count
    with unit_of_work(db.engine) as session:
        stored = dict(session.execute(select(Agency.id, Agency.name)).all())
    assert [stored[i] for i in ids] == names
    assert {"Already here 1", "Already here 2"} <= set(stored.values()) and len(stored) == count + 2


def test_bulk_insert_of_nothing_inserts_nothing(db):
    with unit_of_work(db.engine) as session:
        assert bulk_insert(session, Agency, []) == []
        assert session.scalar(select(Agency.id)) is None
