"""Import skips unchanged records by a content hash stored on the record (both stores):
an unchanged re-import writes nothing and records no change event, a changed record is
found by its hash and updated with its events, a record changed by another writer is
compared again; the hash never shows in reads. Endpoints are looked up under the labels
their relationship allows only; clear() empties a store larger than one batch."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from stakegraph.graph.dataset import export_dataset, import_dataset, parse_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.errors import InvalidDataset
from stakegraph.graph.model import Label
from stakegraph.graph.neo4j_store import Neo4jStore, _Neo4jUnit
from stakegraph.graph.store import IMPORT_BATCH, GraphStore
from tests.graph.test_dataset import small_dataset

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def stored_hashes(store: GraphStore, label: Label) -> dict[str, str | None]:
    """The content hash kept on each node of ``label`` (read past the store's API)."""
    if isinstance(store, EmbeddedStore):
        rows = store._conn.execute("SELECT id, hash FROM nodes WHERE label = ?", (str(label),))
        return {r[0]: r[1] for r in rows}
    assert isinstance(store, Neo4jStore)
    records, _, _ = store._driver.execute_query(
        f"MATCH (n:`{label}`) RETURN n.id AS id, n._hash AS hash", database_=store.database
    )
    return {r["id"]: r["hash"] for r in records}


def stored_rows(store: GraphStore) -> Any:
    """Every node and relationship as stored, timestamps included."""
    batch = store.export()
    return [n.model_dump() for n in batch.nodes], [r.model_dump() for r in batch.relationships]


def test_an_unchanged_reimport_writes_nothing_and_records_no_event(store: GraphStore) -> None:
    import_dataset(store, small_dataset())
    hashes = stored_hashes(store, Label.CONTACT)
    assert set(hashes) == {"p1", "p2"} and all(hashes.values())
    before, events = stored_rows(store), store.changes_since(EPOCH)
    summary = import_dataset(store, small_dataset(), by="again")
    assert summary.nodes_created == summary.nodes_updated == 0
    assert summary.nodes_unchanged == 11
    assert summary.relationships_created == summary.relationships_updated == 0
    assert summary.relationships_unchanged == 19
    assert summary.changes_recorded == 0
    assert stored_rows(store) == before  # not even updated_at moved
    assert store.changes_since(EPOCH) == events
    assert stored_hashes(store, Label.CONTACT) == hashes


def test_a_changed_record_is_found_by_its_hash_and_updated(store: GraphStore) -> None:
    import_dataset(store, small_dataset())
    doc = small_dataset()
    doc["contacts"][1]["stance"] = "OPPONENT"
    doc["contacts"][1]["title"] = "Head of IT"
    old_hash = stored_hashes(store, Label.CONTACT)["p2"]
    summary = import_dataset(store, doc, by="crm")
    assert (summary.nodes_updated, summary.nodes_unchanged, summary.changes_recorded) == (1, 10, 1)
    contact = store.get_node(Label.CONTACT, "p2")
    assert contact is not None and contact.title == "Head of IT"
    (event,) = store.changes_since(EPOCH)
    assert (event.entity_id, event.field, event.old, event.new, event.by) == (
        "p2",
        "stance",
        "UNKNOWN",
        "OPPONENT",
        "crm",
    )
    new_hash = stored_hashes(store, Label.CONTACT)["p2"]
    assert new_hash and new_hash != old_hash
    assert import_dataset(store, doc).nodes_updated == 0  # and now it is the stored one


def test_a_record_another_writer_changed_is_compared_again(store: GraphStore) -> None:
    import_dataset(store, small_dataset())
    store.patch_node(Label.CONTACT, "p1", {"stance": "BLOCKER"}, by="rep")
    summary = import_dataset(store, small_dataset(), by="crm")
    assert summary.nodes_updated == 1 and summary.nodes_unchanged == 10
    contact = store.get_node(Label.CONTACT, "p1")
    assert contact is not None and contact.stance == "CHAMPION"
    crm = [e for e in store.changes_since(EPOCH) if e.by == "crm"]
    assert [(e.field, e.old, e.new) for e in crm] == [("stance", "BLOCKER", "CHAMPION")]


def test_records_written_otherwise_get_their_hash_on_the_first_import(store: GraphStore) -> None:
    import_dataset(store, small_dataset())
    exported = export_dataset(store)
    store.clear()
    store.write(parse_dataset(exported))  # a plain write, no import
    summary = import_dataset(store, exported)
    assert summary.nodes_created == summary.nodes_updated == 0
    assert all(stored_hashes(store, Label.CONTACT).values())


def test_the_hash_never_shows_in_reads(store: GraphStore) -> None:
    import_dataset(store, small_dataset())
    contact = store.get_node(Label.CONTACT, "p1")
    assert contact is not None and "hash" not in contact.model_dump()
    page = store.list_nodes(Label.CONTACT)
    assert [n.id for n in page.items] == ["p1", "p2"]
    g = store.account_subgraph("hq")
    assert not [k for _, a in g.nodes(data=True) for k in a if "hash" in k]
    assert not [k for r in export_dataset(store)["contacts"] for k in r if "hash" in k]


def test_relationship_ends_are_looked_up_under_their_allowed_labels_only() -> None:
    asked: dict[Label, set[str]] = defaultdict(set)

    def known(label: Label, ids: list[str]) -> set[str]:
        asked[label].update(ids)
        return {"r9"} if label == Label.REP else set()

    doc = small_dataset()
    doc["relationships"].append({"type": "KNOWS", "from": "r9", "to": "p1", "level": 1})
    parse_dataset(doc, known_ids=known)
    # r9 is not in the file: asked as a Rep only. The ends of COVERS (Rep or Team) and
    # ABOUT (Opportunity or Company) are asked under the other label they may have
    # (an id under both is ambiguous); nothing under a label its end cannot have.
    assert dict(asked) == {
        Label.REP: {"r9", "t1"},
        Label.TEAM: {"r1"},
        Label.COMPANY: {"o1"},
    }


def test_a_dangling_end_still_names_the_label_it_has() -> None:
    doc = small_dataset()
    doc["relationships"].append({"type": "KNOWS", "from": "k9", "to": "p1", "level": 1})
    with pytest.raises(InvalidDataset) as info:
        parse_dataset(doc, known_ids=lambda label, ids: {"k9"} if label == "Competitor" else set())
    lines = [str(e) for e in info.value.errors]
    assert any("'k9' is a Competitor, but this end must be a Rep" in line for line in lines)


def test_clear_empties_a_store_larger_than_one_batch(store: GraphStore) -> None:
    n = IMPORT_BATCH + 500
    doc = {
        "companies": [{"id": "acme", "name": "Acme"}],
        "departments": [{"id": "d", "name": "D", "company_id": "acme"}],
        "contacts": [{"id": f"p{i}", "name": f"P {i}", "department_id": "d"} for i in range(n)],
        "relationships": [
            {"type": "REPORTS_TO", "from": f"p{i}", "to": f"p{i - 1}"} for i in range(1, n)
        ],
    }
    summary = import_dataset(store, doc)
    assert summary.nodes_created == n + 2 and summary.relationships_created == 2 * n
    store.clear()
    assert sum(store.counts().values()) == 0


def test_an_embedded_file_of_an_earlier_version_gets_the_hash_column(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE nodes (label TEXT NOT NULL, id TEXT NOT NULL, props TEXT NOT NULL, "
        "name_lc TEXT, PRIMARY KEY (label, id))"
    )
    conn.execute(
        "INSERT INTO nodes VALUES ('Company', 'hq', '{\"id\":\"hq\",\"name\":\"HQ\"}', 'hq')"
    )
    conn.commit()
    conn.close()
    store = EmbeddedStore(path)
    try:
        assert stored_hashes(store, Label.COMPANY) == {"hq": None}
        summary = import_dataset(store, {"companies": [{"id": "hq", "name": "HQ"}]})
        assert summary.nodes_unchanged == 1 and summary.nodes_updated == 0
        assert stored_hashes(store, Label.COMPANY)["hq"]
    finally:
        store.close()


def test_the_same_document_again_with_nothing_written_since_is_not_imported_again(
    store: GraphStore,
) -> None:
    import_dataset(store, small_dataset())
    generation, journal = store.generation(), store.import_journal()
    assert journal is not None and journal.generation == generation
    summary = import_dataset(store, small_dataset(), by="again")
    assert (summary.nodes_unchanged, summary.relationships_unchanged) == (11, 19)
    assert summary.nodes_created == summary.relationships_created == 0
    # not even the journal was written: caches computed under the generation stay valid
    assert store.generation() == generation
    assert store.import_journal() == journal


def test_a_document_imported_before_a_later_write_is_imported_again(store: GraphStore) -> None:
    import_dataset(store, small_dataset())
    other = {"companies": [{"id": "x1", "name": "Other"}]}
    import_dataset(store, other)
    store.patch_node(Label.CONTACT, "p1", {"stance": "BLOCKER"}, by="rep")
    import_dataset(store, other)  # a later write: this import runs, and changes nothing
    summary = import_dataset(store, small_dataset(), by="crm")
    assert summary.nodes_updated == 1
    contact = store.get_node(Label.CONTACT, "p1")
    assert contact is not None and contact.stance == "CHAMPION"


def test_a_reimport_that_moves_a_contact_replaces_its_department(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A contact works in one department: importing it with another one drops the old
    WORKS_IN and counts it; on Neo4j in the statement that writes the new one (no
    separate lookup of the old targets)."""
    if isinstance(store, Neo4jStore):

        def no_lookup(*_args: Any) -> Any:
            raise AssertionError("an import looked the old targets up on their own")

        monkeypatch.setattr(_Neo4jUnit, "targets_of", no_lookup)
    import_dataset(store, small_dataset())
    moved = small_dataset()
    p2 = next(c for c in moved["contacts"] if c["id"] == "p2")
    assert p2["department_id"] == "d2"
    p2["department_id"] = "d1"
    summary = import_dataset(store, moved, by="move")
    assert summary.relationships_deleted == 1
    assert summary.relationships_created == 1
    assert targets(store, "WORKS_IN") == [("p1", "d1"), ("p2", "d1")]
    again = import_dataset(store, moved, by="again")
    assert again.relationships_deleted == again.relationships_created == 0


def test_a_department_moved_from_its_company_under_another_department(store: GraphStore) -> None:
    """PART_OF has one target of either allowed label: a parent department given on
    import replaces the company."""
    import_dataset(store, small_dataset())
    assert ("d1", "hq") in targets(store, "PART_OF")
    moved = small_dataset()
    d1 = next(d for d in moved["departments"] if d["id"] == "d1")
    del d1["company_id"]
    moved.setdefault("relationships", []).append(
        {"type": "PART_OF", "from": "d1", "to": "d2", "to_label": "Department"}
    )
    summary = import_dataset(store, moved, by="move")
    assert summary.relationships_deleted == 1
    assert [t for t in targets(store, "PART_OF") if t[0] == "d1"] == [("d1", "d2")]


def test_a_reimport_leaves_a_tie_to_a_node_not_of_the_graph_model(
    neo4j_store: GraphStore,
) -> None:
    """Only targets of the labels the type allows are replaced: a WORKS_IN another
    program wrote to a node of its own label stays."""
    assert isinstance(neo4j_store, Neo4jStore)
    import_dataset(neo4j_store, small_dataset())
    neo4j_store._driver.execute_query(
        "MATCH (c:Contact {id: 'p2'}) CREATE (c)-[:WORKS_IN]->(:ForeignUnit {id: 'x'})",
        database_=neo4j_store.database,
    )
    moved = small_dataset()
    next(c for c in moved["contacts"] if c["id"] == "p2")["department_id"] = "d1"
    assert import_dataset(neo4j_store, moved, by="move").relationships_deleted == 1
    records, _, _ = neo4j_store._driver.execute_query(
        "MATCH (:Contact {id: 'p2'})-[:WORKS_IN]->(x) RETURN labels(x)[0] AS label, x.id AS id "
        "ORDER BY id",
        database_=neo4j_store.database,
    )
    assert [(r["label"], r["id"]) for r in records] == [("Department", "d1"), ("ForeignUnit", "x")]


def targets(store: GraphStore, rel_type: str) -> list[tuple[str, str]]:
    return sorted(
        (r.from_id, r.to_id) for r in store.export().relationships if str(r.type) == rel_type
    )


def test_the_part_rows_setting_reaches_the_neo4j_store(neo4j_uri: str) -> None:
    """NEO4J_IMPORT_PART_ROWS reaches the store the service opens; nonsense is refused."""
    from stakegraph.service.settings import Settings, open_store

    store = open_store(
        Settings(store="neo4j", neo4j_uri=neo4j_uri, neo4j_import_part_rows=7)  # type: ignore[call-arg]
    )
    try:
        assert store.import_part_rows == 7
    finally:
        store.close()
    with pytest.raises(ValueError, match="import_part_rows: 0"):
        Neo4jStore(neo4j_uri, import_part_rows=0)
