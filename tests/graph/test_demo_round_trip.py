"""The demo dataset through both stores: faithful, idempotent, and the same on each."""

from __future__ import annotations

from stakegraph.graph.dataset import export_dataset, import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import load_demo
from tests.graph.test_dataset import _without_timestamps


def _records(doc: dict) -> dict:
    """Records of a document keyed by id (relationships by their key), shorthands expanded."""
    return _without_timestamps(doc)


def test_demo_import_then_export_then_import_gives_the_same_graph(store: GraphStore) -> None:
    demo = load_demo()
    import_dataset(store, demo)
    exported = export_dataset(store)
    for key in ("companies", "contacts", "opportunities", "reps", "teams", "interactions"):
        assert {r["id"] for r in exported[key]} == {r["id"] for r in demo.get(key, [])}, key
    assert exported["changes"] == sorted(
        exported["changes"], key=lambda e: (e["at"], e["entity"], e["entity_id"], e["field"])
    )
    store.clear()
    import_dataset(store, exported)
    assert export_dataset(store) == exported


def test_importing_the_demo_twice_leaves_the_counts_unchanged(store: GraphStore) -> None:
    import_dataset(store, load_demo())
    counts = store.counts()
    summary = import_dataset(store, load_demo())
    assert store.counts() == counts
    assert summary.nodes_created == summary.relationships_created == 0
    assert summary.nodes_updated == summary.relationships_updated == 0


def test_both_stores_give_identical_exports_of_the_demo(
    embedded_store: GraphStore, neo4j_store: GraphStore
) -> None:
    for s in (embedded_store, neo4j_store):
        import_dataset(s, load_demo())
    a, b = export_dataset(embedded_store), export_dataset(neo4j_store)
    assert _records(a) == _records(b)
    assert a["changes"] == b["changes"]


def test_both_stores_give_the_same_account_subgraphs(
    embedded_store: GraphStore, neo4j_store: GraphStore
) -> None:
    for s in (embedded_store, neo4j_store):
        import_dataset(s, load_demo())
    ids = [c["id"] for c in load_demo()["companies"]]
    ga, gb = embedded_store.account_subgraphs(ids), neo4j_store.account_subgraphs(ids)
    assert set(ga) == set(gb) == set(ids)
    for cid in ids:
        a, b = ga[cid], gb[cid]
        strip = lambda d: {k: v for k, v in d.items() if k not in ("created_at", "updated_at")}  # noqa: E731
        assert {n: strip(d) for n, d in a.nodes(data=True)} == {
            n: strip(d) for n, d in b.nodes(data=True)
        }, cid
        assert sorted(a.edges(keys=True, data=True), key=repr) == sorted(
            b.edges(keys=True, data=True), key=repr
        ), cid
        assert a.graph["changes"] == b.graph["changes"], cid
