"""Dataset v1 (docs/analytics.md §4): validation, idempotent import, faithful export — on both stores."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from stakegraph.graph.dataset import (
    dataset_json_schema,
    document_digest,
    export_dataset,
    import_dataset,
    parse_dataset,
)
from stakegraph.graph.errors import InvalidDataset
from stakegraph.graph.model import Label
from stakegraph.graph.store import GraphStore


def small_dataset() -> dict[str, Any]:
    return {
        "companies": [
            {
                "id": "hq",
                "name": "华夏联合银行总行",
                "tier": "STRATEGIC",
                "industry": "Banking",
                "strategic_fit": 5,
                "profit_potential": 4,
                "stability": 5,
                "market_influence": 4,
            },
            {"id": "br1", "name": "Shanghai branch", "tier": "KEY", "region": "East"},
        ],
        "departments": [
            {
                "id": "d1",
                "name": "Technology",
                "function": "TECHNICAL",
                "is_key": True,
                "company_id": "hq",
            },
            {"id": "d2", "name": "Infra"},
        ],
        "contacts": [
            {
                "id": "p1",
                "name": '王"总"',
                "title": "CIO",
                "seniority": "EXECUTIVE",
                "is_kdm": True,
                "stance": "CHAMPION",
                "department_id": "d1",
                "profile": {"hometown": "杭州", "hobbies": ["golf"], "notes": "line1\nline2 🚀"},
            },
            {
                "id": "p2",
                "name": "<script>alert(1)</script>",
                "seniority": "MANAGER",
                "department_id": "d2",
                "last_verified_at": "2026-05-01T08:00:00Z",
            },
        ],
        "opportunities": [
            {
                "id": "o1",
                "name": "Core upgrade",
                "stage": "SOLUTION",
                "status": "OPEN",
                "amount": 5000000,
                "currency": "CNY",
                "products": ["Core", "Risk"],
                "close_date": "2027-06-30",
                "company_id": "hq",
            },
        ],
        "reps": [{"id": "r1", "name": "Alice", "email": "a@example.com", "industry_expert": True}],
        "teams": [{"id": "t1", "name": "KA", "kind": "KEY_ACCOUNT"}],
        "interactions": [
            {
                "id": "i1",
                "at": "2026-03-04T05:06:07Z",
                "kind": "VISIT",
                "purpose": "RESEARCH",
                "notes": "MATCH (n) DETACH DELETE n; {x} `y`",
                "rep_ids": ["r1"],
                "contact_ids": ["p1", "p2"],
            },
        ],
        "competitors": [{"id": "k1", "name": "RivalSoft"}],
        "relationships": [
            {"type": "BRANCH_OF", "from": "br1", "to": "hq"},
            {"type": "PART_OF", "from": "d2", "to": "d1", "to_label": "Department"},
            {"type": "REPORTS_TO", "from": "p2", "to": "p1"},
            {"type": "INFLUENCES", "from": "p2", "to": "p1", "strength": 2},
            {
                "type": "KNOWS",
                "from": "r1",
                "to": "p1",
                "level": 3,
                "since": "2025-01-01",
                "last_contact_at": "2026-10-01T00:00:00Z",
            },
            {
                "type": "HAS_ROLE",
                "from": "p1",
                "to": "o1",
                "role": "ECONOMIC_BUYER",
                "stance": "SUPPORTER",
            },
            {"type": "MEMBER_OF", "from": "r1", "to": "t1"},
            {"type": "COVERS", "from": "r1", "to": "hq", "kind": "OWNER"},
            {"type": "COVERS", "from": "t1", "to": "hq", "kind": "SUPPORT"},
            {"type": "ABOUT", "from": "i1", "to": "o1"},
            {"type": "FAVORS", "from": "p2", "to": "k1"},
            {"type": "COMPETES_FOR", "from": "k1", "to": "o1"},
        ],
    }


def _without_timestamps(doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for key, records in doc.items():
        if isinstance(records, list) and key not in ("relationships", "changes"):
            for r in records:
                r.pop("created_at", None)
                r.pop("updated_at", None)
    doc.pop("changes", None)
    return doc


def test_import_then_export_gives_the_same_records(store: GraphStore) -> None:
    import_dataset(store, small_dataset())
    exported = export_dataset(store)
    # shorthands come back as relationships
    assert "department_id" not in exported["contacts"][0]
    works_in = [r for r in exported["relationships"] if r["type"] == "WORKS_IN"]
    assert {(r["from"], r["to"]) for r in works_in} == {("p1", "d1"), ("p2", "d2")}
    # re-importing the export into an empty store gives the same export
    store.clear()
    import_dataset(store, exported)
    assert export_dataset(store) == exported
    contact = store.get_node(Label.CONTACT, "p1")
    assert contact is not None and contact.profile is not None
    assert contact.profile.notes == "line1\nline2 🚀"


def test_importing_twice_changes_nothing(store: GraphStore) -> None:
    import_dataset(store, small_dataset())
    counts = store.counts()
    before = export_dataset(store)
    summary = import_dataset(store, small_dataset())
    assert summary.nodes_created == summary.nodes_updated == 0
    assert summary.relationships_created == summary.relationships_updated == 0
    assert store.counts() == counts
    assert export_dataset(store) == before


def test_both_stores_export_the_same_graph(
    embedded_store: GraphStore, neo4j_store: GraphStore
) -> None:
    for s in (embedded_store, neo4j_store):
        import_dataset(s, small_dataset())
    assert _without_timestamps(export_dataset(embedded_store)) == _without_timestamps(
        export_dataset(neo4j_store)
    )


def test_a_bad_dataset_is_refused_whole_with_one_line_per_error(store: GraphStore) -> None:
    doc = small_dataset()
    doc["contacts"][1]["department_id"] = "no-such-dept"  # dangling reference
    doc["contacts"][0]["stance"] = "FRIENDLY"  # unknown enum value
    doc["opportunities"][0]["amount"] = "lots"  # wrong type
    doc["relationships"].append({"type": "KNOWS", "from": "p1", "to": "p2", "level": 2})
    with pytest.raises(InvalidDataset) as info:
        import_dataset(store, doc)
    lines = [str(e) for e in info.value.errors]
    assert len(lines) == 4, lines
    assert any(
        line.startswith("contacts[1].department_id")
        and "no Department with id 'no-such-dept'" in line
        for line in lines
    )
    assert any(line.startswith("contacts[0] (id 'p1'): stance:") for line in lines)
    assert any(line.startswith("opportunities[0] (id 'o1'): amount:") for line in lines)
    assert any(
        line.startswith("relationships[12]: from:")
        and "'p1' is a Contact, but this end must be a Rep" in line
        for line in lines
    )
    assert sum(store.counts().values()) == 0


def test_the_digest_ignores_key_order_and_writes_what_orjson_cannot() -> None:
    doc = small_dataset()
    reordered = {key: doc[key] for key in reversed(list(doc))}
    reordered["companies"] = [dict(reversed(list(c.items()))) for c in doc["companies"]]
    assert document_digest(reordered) == document_digest(doc)
    big = small_dataset()
    big["companies"][0]["market_influence"] = 2**70  # beyond 64 bits: the json fallback
    assert document_digest(big) not in (document_digest(doc), "")


def test_a_document_with_nan_is_refused_even_after_its_null_twin(store: GraphStore) -> None:
    # the digest writes NaN as null: the twin's digest is this one's, yet it is no repeat
    twin = small_dataset()
    twin["opportunities"][0]["amount"] = None
    import_dataset(store, twin)
    doc = small_dataset()
    doc["opportunities"][0]["amount"] = float("nan")
    assert document_digest(doc) == document_digest(twin)
    with pytest.raises(InvalidDataset, match=r"opportunities\[0\].*amount.*not a finite number"):
        import_dataset(store, doc)


def test_a_reimport_numbers_its_change_events_account_by_account(store: GraphStore) -> None:
    # the document lists account b's contact first; both stores number the events of
    # the accounts in the order of the accounts (a before b), whatever the file's order
    def doc(stance: str) -> dict[str, Any]:
        return {
            "companies": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "departments": [
                {"id": "da", "name": "DA", "company_id": "a"},
                {"id": "db", "name": "DB", "company_id": "b"},
            ],
            "contacts": [
                {"id": "pb", "name": "PB", "stance": stance, "department_id": "db"},
                {"id": "pa", "name": "PA", "stance": stance, "department_id": "da"},
            ],
        }

    import_dataset(store, doc("NEUTRAL"))
    import_dataset(store, doc("CHAMPION"))
    events = store.changes_after(0)
    assert [(e.entity_id, e.new) for e in events] == [("pa", "CHAMPION"), ("pb", "CHAMPION")]
    assert [e.seq for e in events] == sorted(e.seq for e in events)


def test_relationships_may_point_at_records_already_in_the_store(store: GraphStore) -> None:
    import_dataset(store, small_dataset())
    import_dataset(
        store,
        {
            "contacts": [{"id": "p3", "name": "New", "department_id": "d1"}],
            "relationships": [{"type": "KNOWS", "from": "r1", "to": "p3", "level": 1}],
        },
    )
    assert [r.to_id for r in store.relationships("KNOWS", from_ids=["r1"])] == ["p1", "p3"]


def test_an_ambiguous_id_needs_a_label() -> None:
    doc = {
        "reps": [{"id": "x", "name": "Rep X"}],
        "teams": [{"id": "x", "name": "Team X", "kind": "REGIONAL"}],
        "companies": [{"id": "c", "name": "C"}],
        "relationships": [{"type": "COVERS", "from": "x", "to": "c"}],
    }
    with pytest.raises(InvalidDataset, match="ambiguous id 'x'"):
        parse_dataset(doc)
    doc["relationships"][0]["from_label"] = "Team"
    (rel,) = parse_dataset(doc).relationships
    assert rel.from_label == "Team"


def test_unknown_keys_and_syntax_are_reported() -> None:
    with pytest.raises(InvalidDataset, match="widgets: widgets: unknown key"):
        parse_dataset({"widgets": []})
    with pytest.raises(InvalidDataset, match="must be a JSON object"):
        parse_dataset([1, 2])


def test_the_json_schema_describes_every_collection() -> None:
    schema = dataset_json_schema()
    for key in (
        "companies",
        "departments",
        "contacts",
        "opportunities",
        "reps",
        "teams",
        "interactions",
        "competitors",
        "relationships",
    ):
        assert key in schema["properties"]
    text = json.dumps(schema)
    assert "ECONOMIC_BUYER" in text and "KEY_ACCOUNT" in text and "department_id" in text


def test_a_contact_may_work_in_only_one_department() -> None:
    doc = small_dataset()
    doc["relationships"].append({"type": "WORKS_IN", "from": "p1", "to": "d2"})
    with pytest.raises(InvalidDataset, match="Contact 'p1' already has WORKS_IN 'd1'"):
        parse_dataset(doc)


def test_a_relationship_given_twice_with_other_properties_is_refused() -> None:
    doc = small_dataset()
    doc["relationships"].append({"type": "KNOWS", "from": "r1", "to": "p1", "level": 1})
    with pytest.raises(
        InvalidDataset, match=r"given again with other properties \(first at relationships\[4\]\)"
    ):
        parse_dataset(doc)


def test_reimporting_an_updated_dataset_records_the_stance_change(store: GraphStore) -> None:
    import_dataset(store, small_dataset())
    assert [e.field for e in store.changes_since(datetime(2000, 1, 1, tzinfo=UTC))] == []
    doc = small_dataset()
    doc["contacts"][0]["stance"] = "BLOCKER"
    doc["relationships"][4]["level"] = 1
    import_dataset(store, doc, by="crm-sync")
    events = store.changes_since(datetime(2000, 1, 1, tzinfo=UTC))
    assert {(e.entity, e.field, e.old, e.new, e.by) for e in events} == {
        ("Contact", "stance", "CHAMPION", "BLOCKER", "crm-sync"),
        ("KNOWS", "level", 3, 1, "crm-sync"),
    }
