"""Subgraph attributes, built from stored values without validating them again, are
exactly what the validated models give: same names, same values, same Python types
(enum members, aware UTC datetimes, dates, nested dicts, defaults)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from stakegraph.graph.model import (
    Company,
    Competitor,
    Contact,
    ContactProfile,
    Department,
    Interaction,
    Label,
    Opportunity,
    Relationship,
    Rep,
    Team,
    rel_properties,
    split_node_key,
)
from stakegraph.graph.store import GraphBatch, GraphStore


def rel(t: str, fl: str, f: str, tl: str, to: str, **props: object) -> Relationship:
    return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to, properties=props)


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same type all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, datetime):
        return a == b and a.tzinfo == b.tzinfo
    return bool(a == b)


def rich_account() -> GraphBatch:
    east8 = timezone(timedelta(hours=8))
    return GraphBatch(
        nodes=[
            Company(
                id="c1",
                name="Orient",
                industry="Manufacturing",
                region="East",
                tier="KEY",
                annual_revenue=12.5,
                employees=900,
                strategic_fit=4,
                profit_potential=3,
                renewal_intent=False,
                usage_current=3,
            ),
            Company(id="c2", name="Other"),
            Department(id="d1", name="IT", function="TECHNICAL", is_key=True),
            Department(id="d2", name="Ops"),
            Department(id="d9", name="Elsewhere"),
            Contact(
                id="p1",
                name="李明",
                title="CIO",
                seniority="VP",
                is_kdm=True,
                influence_rating="HIGH",
                stance="CHAMPION",
                email="li@example.com",
                profile=ContactProfile(hometown="杭州", hobbies=["golf"], notes="n"),
                last_verified_at=datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=east8),
            ),
            Contact(id="p2", name="Zhao", status="LEFT", profile=ContactProfile()),
            Contact(id="x1", name="Foreign"),
            Opportunity(
                id="o1",
                name="MES",
                stage="NEGOTIATION",
                status="OPEN",
                amount=100,
                currency="CNY",
                products=["MES", "APS"],
                close_date=date(2027, 1, 31),
            ),
            Rep(id="r1", name="Alice", industry_expert=True),
            Team(id="t1", name="KA", kind="KEY_ACCOUNT", region="East"),
            Interaction(
                id="i1",
                at=datetime(2026, 10, 1, 9, 30, tzinfo=east8),
                kind="VISIT",
                purpose="SIGNING",
                notes="signed",
            ),
            Interaction(id="i2", at=datetime(2026, 10, 2), kind="CALL"),
            Competitor(id="k1", name="Rival Inc"),
        ],
        relationships=[
            rel("PART_OF", "Department", "d1", "Company", "c1"),
            rel("PART_OF", "Department", "d2", "Department", "d1"),
            rel("PART_OF", "Department", "d9", "Company", "c2"),
            rel("WORKS_IN", "Contact", "p1", "Department", "d1"),
            rel("WORKS_IN", "Contact", "p2", "Department", "d2"),
            rel("WORKS_IN", "Contact", "x1", "Department", "d9"),
            rel("INFLUENCES", "Contact", "x1", "Contact", "p1"),
            rel("ALLY_OF", "Contact", "p1", "Contact", "p2"),
            rel("FOR", "Opportunity", "o1", "Company", "c1"),
            rel("HAS_ROLE", "Contact", "p1", "Opportunity", "o1", role="ECONOMIC_BUYER"),
            rel(
                "HAS_ROLE",
                "Contact",
                "p2",
                "Opportunity",
                "o1",
                role="USER",
                stance="BLOCKER",
            ),
            rel(
                "KNOWS",
                "Rep",
                "r1",
                "Contact",
                "p1",
                level=3,
                since=date(2024, 5, 1),
                last_contact_at=datetime(2026, 9, 1, 8, tzinfo=east8),
            ),
            rel("KNOWS", "Rep", "r1", "Contact", "x1", level=1),
            rel("COVERS", "Rep", "r1", "Company", "c1"),
            rel("COVERS", "Team", "t1", "Company", "c1", kind="SUPPORT"),
            rel("MEMBER_OF", "Rep", "r1", "Team", "t1"),
            rel("ATTENDED", "Rep", "r1", "Interaction", "i1"),
            rel("ATTENDED", "Contact", "p1", "Interaction", "i1"),
            rel("ATTENDED", "Contact", "p2", "Interaction", "i2"),
            rel("ABOUT", "Interaction", "i1", "Opportunity", "o1"),
            rel("COMPETES_FOR", "Competitor", "k1", "Opportunity", "o1"),
            rel("FAVORS", "Contact", "p2", "Competitor", "k1"),
        ],
    )


def test_node_attributes_are_the_validated_models_dump(store: GraphStore) -> None:
    store.write(rich_account())
    g = store.account_subgraph("c1")
    assert len(g) == 12
    for key, attrs in g.nodes(data=True):
        label, node_id = split_node_key(key)
        model = store.get_node(label, node_id)
        assert model is not None
        wanted = model.model_dump() | {"label": str(label)}
        if label == Label.CONTACT:
            wanted["foreign"] = node_id == "x1"
        assert same(attrs, wanted), (key, attrs, wanted)
    assert g.nodes["Contact:p1"]["last_verified_at"].tzinfo is UTC


def test_edge_attributes_are_the_validated_properties(store: GraphStore) -> None:
    store.write(rich_account())
    g = store.account_subgraph("c1")
    assert g.number_of_edges() == 20  # all but d9 → c2 and x1 → d9
    for u, v, key, attrs in g.edges(keys=True, data=True):
        (stored,) = [
            r for r in store.relationships(key, from_ids=[g.nodes[u]["id"]]) if r.to_key == v
        ]
        wanted = {"type": key} | rel_properties(key, stored.properties)
        assert same(attrs, wanted), (u, v, key, attrs, wanted)
    assert g.edges["Team:t1", "Company:c1", "COVERS"]["kind"] == "SUPPORT"
    assert g.edges["Contact:x1", "Contact:p1", "INFLUENCES"]["strength"] == 1


def test_change_events_read_back_as_written(store: GraphStore) -> None:
    store.write(rich_account())
    g = store.account_subgraph("c1")
    written = store.changes_since(datetime.min, contact_ids=["p1", "p2"])
    assert len(written) == 4  # p1 role, p2 role and stance, r1 level with p1
    assert [e.model_dump() for e in g.graph["changes"]] == [e.model_dump() for e in written]
    assert all(same(a.at, b.at) for a, b in zip(g.graph["changes"], written, strict=True))
