"""Plan targets (§3.18) in the store contract: written, read, exported and imported the
same on the embedded store and on Neo4j; a bad plan target in a dataset writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from stakegraph.graph.dataset import export_dataset, import_dataset, parse_dataset
from stakegraph.graph.errors import InvalidDataset
from stakegraph.graph.model import Label, PlanTarget, Relationship, RelType
from stakegraph.graph.store import GraphBatch, GraphStore, PlannedTarget


def _doc() -> dict[str, Any]:
    return {
        "version": 1,
        "companies": [{"id": "acme", "name": "ACME"}, {"id": "beta", "name": "Beta"}],
        "departments": [{"id": "d1", "name": "Board", "company_id": "acme"}],
        "contacts": [{"id": "ceo", "name": "Wang", "department_id": "d1"}],
        "opportunities": [{"id": "o1", "name": "Deal", "company_id": "acme"}],
        "reps": [{"id": "r1", "name": "Rita"}],
        "plan_targets": [
            {
                "id": "t-ceo",
                "level": 3,
                "due": "2024-09-30",
                "note": "<b>O'Brien</b> `x` $y",
                "company_id": "acme",
                "contact_id": "ceo",
                "rep_id": "r1",
            },
            {
                "id": "t-fc",
                "level": 2,
                "role": "FINANCIAL_CONTROLLER",
                "company_id": "acme",
                "opportunity_id": "o1",
                "rep_id": "r1",
            },
        ],
    }


def test_a_plan_target_round_trips_write_read_export_import(store: GraphStore) -> None:
    import_dataset(store, _doc())
    plan = store.plan_targets(["acme", "beta"])
    assert plan["beta"] == []
    ceo, fc = plan["acme"]
    assert (ceo.id, ceo.contact_id, ceo.rep_id, ceo.opportunity_id) == ("t-ceo", "ceo", "r1", None)
    assert ceo.target.level == 3 and ceo.target.due == date(2024, 9, 30)
    assert ceo.target.note == "<b>O'Brien</b> `x` $y" and ceo.target.role is None
    assert (fc.contact_id, fc.opportunity_id, str(fc.target.role)) == (
        None,
        "o1",
        "FINANCIAL_CONTROLLER",
    )
    assert fc.target.due is None
    assert store.counts()["PlanTarget"] == 2 and store.counts()["PLAN_OF"] == 2

    exported = export_dataset(store)
    assert [t["id"] for t in exported["plan_targets"]] == ["t-ceo", "t-fc"]
    ties = sorted(
        (r["type"], r["from"], r["to"])
        for r in exported["relationships"]
        if r["type"] in {"PLAN_OF", "PLAN_FOR", "TARGETS", "ASSIGNED_TO"}
    )
    assert ties == [
        ("ASSIGNED_TO", "t-ceo", "r1"),
        ("ASSIGNED_TO", "t-fc", "r1"),
        ("PLAN_FOR", "t-fc", "o1"),
        ("PLAN_OF", "t-ceo", "acme"),
        ("PLAN_OF", "t-fc", "acme"),
        ("TARGETS", "t-ceo", "ceo"),
    ]
    store.clear()
    import_dataset(store, exported)
    assert export_dataset(store) == exported
    again = store.plan_targets(["acme"])["acme"]
    assert [(t.id, t.contact_id, t.opportunity_id, t.rep_id) for t in again] == [
        ("t-ceo", "ceo", None, "r1"),
        ("t-fc", None, "o1", "r1"),
    ]
    # plan targets never enter an account's subgraph (the analytics' input)
    g = store.account_subgraph("acme")
    assert not [n for n, a in g.nodes(data=True) if a["label"] == "PlanTarget"]


def test_a_target_written_as_a_batch_can_turn_from_contact_to_role(store: GraphStore) -> None:
    import_dataset(store, _doc())
    store.write(
        GraphBatch(
            nodes=[PlanTarget(id="t-ceo", level=4, role="ECONOMIC_BUYER")],
            deletions=[("TARGETS", "PlanTarget", "t-ceo", "Contact", "ceo")],
        )
    )
    (t, _) = store.plan_targets(["acme"])["acme"]
    assert isinstance(t, PlannedTarget) and t.contact_id is None
    assert t.target.level == 4 and str(t.target.role) == "ECONOMIC_BUYER"
    assert store.relationships(RelType.TARGETS) == []
    store.write(
        GraphBatch(
            relationships=[
                Relationship(
                    type="PLAN_OF",
                    from_label="PlanTarget",
                    from_id="t-ceo",
                    to_label="Company",
                    to_id="beta",
                )
            ]
        )
    )
    # PLAN_OF is single: moving the target to beta replaces acme
    assert [t.id for t in store.plan_targets(["beta"])["beta"]] == ["t-ceo"]
    assert store.delete_nodes(Label.PLAN_TARGET, ["t-ceo"]) == 1
    assert [t.id for t in store.plan_targets(["acme"])["acme"]] == ["t-fc"]
    assert store.plan_targets(["beta"]) == {"beta": []}
    assert store.relationships(RelType.PLAN_OF, from_ids=["t-ceo"]) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"level": 7},
            "plan_targets[0] (id 't-ceo'): level: 7: input should be less than or equal to 4",
        ),
        (
            {"role": "BOSS"},
            "plan_targets[0] (id 't-ceo'): role: 'BOSS' is not one of ECONOMIC_BUYER, ",
        ),
        (
            {"role": "USER"},
            "plan_targets[0] (id 't-ceo'): role: 'USER': give a contact_id or a role, not both",
        ),
        ({"rep_id": None}, "plan_targets[0] (id 't-ceo'): rep_id: required: the owning rep"),
        (
            {"company_id": None},
            "plan_targets[0] (id 't-ceo'): company_id: required: the account of the plan",
        ),
        (
            {"contact_id": None},
            "plan_targets[0] (id 't-ceo'): contact_id: required: give a contact_id or a role",
        ),
        (
            {"contact_id": "nobody"},
            "plan_targets[0].contact_id: to: TARGETS: dangling reference: no Contact with id "
            "'nobody'",
        ),
        (
            {"opportunity_id": "o-beta"},
            "plan_targets[0] (id 't-ceo'): opportunity_id: 'o-beta': an opportunity of 'beta', "
            "not of the plan's account 'acme'",
        ),
    ],
)
def test_a_bad_plan_target_is_named_and_nothing_is_written(
    store: GraphStore, change: dict[str, Any], expected: str
) -> None:
    doc = _doc()
    doc["opportunities"].append({"id": "o-beta", "name": "Other", "company_id": "beta"})
    record = doc["plan_targets"][0]
    for key, value in change.items():
        if value is None:
            record.pop(key)
        else:
            record[key] = value
    with pytest.raises(InvalidDataset) as caught:
        import_dataset(store, doc)
    lines = [str(e) for e in caught.value.errors]
    assert any(line.startswith(expected) for line in lines), lines
    assert store.counts()["PlanTarget"] == 0 and store.counts()["Company"] == 0


def test_the_dataset_schema_lists_plan_targets() -> None:
    from stakegraph.graph.dataset import dataset_json_schema

    schema = dataset_json_schema()
    assert "plan_targets" in schema["properties"]
    assert parse_dataset({"plan_targets": []}).nodes == []
