"""An import into an empty embedded store is a bulk load: the relationships' secondary
indexes are dropped in its transaction and built once at its end, so they are there
afterwards, and there as before when the import stops halfway."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import _REL_INDEX_NAMES, EmbeddedStore
from tests.graph.test_dataset import small_dataset


def rel_indexes(store: EmbeddedStore) -> dict[str, str]:
    rows = store._conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rels' "
        "AND sql IS NOT NULL"
    )
    return {r[0]: r[1] for r in rows}


def test_an_import_into_an_empty_store_builds_the_indexes_at_its_end(tmp_path: Path) -> None:
    fresh = EmbeddedStore(tmp_path / "fresh.db")
    before = rel_indexes(fresh)
    assert set(before) == set(_REL_INDEX_NAMES)
    import_dataset(fresh, small_dataset())
    assert rel_indexes(fresh) == before
    plan = fresh._conn.execute(
        "EXPLAIN QUERY PLAN SELECT to_id FROM rels WHERE from_label = ? AND from_id = ?",
        ("Contact", "p1"),
    ).fetchall()
    assert any("rels_from" in str(row[-1]) for row in plan)
    assert [r.to_id for r in fresh.relationships("KNOWS", from_ids=["r1"])] == ["p1"]


def test_an_import_stopped_halfway_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "stopped.db")
    before = rel_indexes(store)

    def stop(done: int, total: int) -> None:
        if done:  # after the first statement, inside the transaction
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_dataset(store, small_dataset(), progress=stop)
    assert rel_indexes(store) == before
    assert store._conn.execute("SELECT count(*) FROM nodes").fetchone()[0] == 0
    import_dataset(store, small_dataset())  # and the next import loads it all
    assert [r.to_id for r in store.relationships("KNOWS", from_ids=["r1"])] == ["p1"]
