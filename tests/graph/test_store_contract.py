"""The store contract: every test runs on the embedded store AND on Neo4j."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from stakegraph.graph.errors import InvalidWrite
from stakegraph.graph.model import (
    Company,
    Contact,
    ContactProfile,
    Department,
    Interaction,
    Label,
    Opportunity,
    Relationship,
    Rep,
    Team,
)
from stakegraph.graph.store import GraphBatch, GraphStore

NASTY = [
    'O\'Brien "the boss"',
    "back`tick`) DETACH DELETE n //",
    "{braces} $param ${x}",
    "line one\nline two\r\n\ttab",
    "MATCH (n) RETURN n; DROP CONSTRAINT x",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "张伟 🚀👩‍💼 emoji",
]


def rel(t: str, fl: str, f: str, tl: str, to: str, **props: object) -> Relationship:
    return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to, properties=props)


def small_account() -> GraphBatch:
    """c1 with a nested department, three contacts, a rep, a team, an opportunity;
    c2 is another account whose contact x1 influences one of c1's."""
    return GraphBatch(
        nodes=[
            Company(id="c1", name="Orient Precision", tier="KEY", region="East"),
            Company(id="c2", name="Other Co", tier="SMB"),
            Company(id="hq", name="Group HQ", tier="STRATEGIC"),
            Department(id="d-exec", name="Executive Office", function="EXECUTIVE", is_key=True),
            Department(id="d-it", name="IT", function="TECHNICAL"),
            Department(id="d-it-ops", name="IT Ops", function="TECHNICAL"),
            Department(id="d-x", name="Other dept"),
            Contact(
                id="p-ceo",
                name="王总",
                title="CEO",
                seniority="EXECUTIVE",
                is_kdm=True,
                stance="SUPPORTER",
            ),
            Contact(id="p-cio", name="李明", title="CIO", seniority="VP", stance="NEUTRAL"),
            Contact(id="p-ops", name="赵强", title="Ops lead", seniority="MANAGER", status="LEFT"),
            Contact(id="x1", name="Foreign friend", seniority="DIRECTOR"),
            Opportunity(
                id="o1",
                name="MES upgrade",
                status="OPEN",
                amount=1_200_000.0,
                currency="CNY",
                products=["MES", "APS"],
                close_date=date(2027, 3, 31),
            ),
            Rep(id="r1", name="Alice", email="alice@example.com"),
            Rep(id="r-far", name="Unrelated rep"),
            Team(id="t1", name="KA East", kind="KEY_ACCOUNT", region="East"),
            Interaction(
                id="i1",
                at=datetime(2026, 10, 1, 9, 30, tzinfo=UTC),
                kind="VISIT",
                purpose="RELATIONSHIP",
                notes="first visit",
            ),
        ],
        relationships=[
            rel("BRANCH_OF", "Company", "c1", "Company", "hq"),
            rel("PART_OF", "Department", "d-exec", "Company", "c1"),
            rel("PART_OF", "Department", "d-it", "Company", "c1"),
            rel("PART_OF", "Department", "d-it-ops", "Department", "d-it"),
            rel("PART_OF", "Department", "d-x", "Company", "c2"),
            rel("WORKS_IN", "Contact", "p-ceo", "Department", "d-exec"),
            rel("WORKS_IN", "Contact", "p-cio", "Department", "d-it"),
            rel("WORKS_IN", "Contact", "p-ops", "Department", "d-it-ops"),
            rel("WORKS_IN", "Contact", "x1", "Department", "d-x"),
            rel("REPORTS_TO", "Contact", "p-cio", "Contact", "p-ceo"),
            rel("INFLUENCES", "Contact", "x1", "Contact", "p-cio", strength=3),
            rel("FOR", "Opportunity", "o1", "Company", "c1"),
            rel("HAS_ROLE", "Contact", "p-ceo", "Opportunity", "o1", role="ECONOMIC_BUYER"),
            rel(
                "KNOWS",
                "Rep",
                "r1",
                "Contact",
                "p-cio",
                level=3,
                since=date(2024, 5, 1),
                last_contact_at=datetime(2026, 9, 1, tzinfo=UTC),
            ),
            rel("KNOWS", "Rep", "r1", "Contact", "x1", level=2),
            rel("MEMBER_OF", "Rep", "r1", "Team", "t1"),
            rel("COVERS", "Rep", "r1", "Company", "c1", kind="OWNER"),
            rel("COVERS", "Team", "t1", "Company", "c1", kind="SUPPORT"),
            rel("ATTENDED", "Rep", "r1", "Interaction", "i1"),
            rel("ATTENDED", "Contact", "p-cio", "Interaction", "i1"),
            rel("ABOUT", "Interaction", "i1", "Opportunity", "o1"),
        ],
    )


def test_a_node_reads_back_exactly_as_written(store: GraphStore) -> None:
    contact = Contact(
        id="p1",
        name="李明",
        title="CIO",
        seniority="VP",
        is_kdm=True,
        stance="CHAMPION",
        influence_rating="HIGH",
        profile=ContactProfile(
            hometown="杭州",
            school="浙大",
            hobbies=["golf", "tea"],
            goals="digital plant",
            notes="likes data",
        ),
        last_verified_at=datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
    )
    store.write(GraphBatch(nodes=[contact]))
    got = store.get_node(Label.CONTACT, "p1")
    assert got is not None
    assert got.model_dump(exclude={"created_at", "updated_at"}) == contact.model_dump(
        exclude={"created_at", "updated_at"}
    )
    assert got.created_at is not None and got.updated_at is not None
    assert store.get_node(Label.CONTACT, "missing") is None
    # ids are unique per label, not across labels
    assert store.get_node(Label.COMPANY, "p1") is None


@pytest.mark.parametrize("text", NASTY)
def test_hostile_strings_round_trip_unchanged(store: GraphStore, text: str) -> None:
    store.write(
        GraphBatch(
            nodes=[
                Contact(
                    id=text,
                    name=text,
                    title=text,
                    profile=ContactProfile(notes=text, hobbies=[text]),
                ),
                Opportunity(id="o", name=text, products=[text]),
            ]
        )
    )
    got = store.get_node(Label.CONTACT, text)
    assert got is not None
    assert (got.id, got.name, got.title) == (text, text, text)
    assert got.profile is not None and got.profile.notes == text and got.profile.hobbies == [text]
    opp = store.get_node(Label.OPPORTUNITY, "o")
    assert opp is not None and opp.products == [text]
    page = store.list_nodes(Label.CONTACT, name_contains=text[:5])
    assert [n.id for n in page.items] == [text]


def test_writing_the_same_batch_twice_changes_nothing(store: GraphStore) -> None:
    first = store.write(small_account())
    assert first.nodes_created == 16 and first.relationships_created == 21
    counts = store.counts()
    exported = store.export()
    again = store.write(small_account(), at=datetime.now(UTC) + timedelta(days=1))
    assert again.nodes_created == again.nodes_updated == 0
    assert again.relationships_created == again.relationships_updated == 0
    assert store.counts() == counts
    assert store.export() == exported


def test_a_relationship_to_a_missing_node_is_refused_and_nothing_is_written(
    store: GraphStore,
) -> None:
    batch = GraphBatch(
        nodes=[Contact(id="p1", name="A")],
        relationships=[rel("WORKS_IN", "Contact", "p1", "Department", "nowhere")],
    )
    with pytest.raises(InvalidWrite) as info:
        store.write(batch)
    assert "nowhere" in str(info.value)
    assert store.get_node(Label.CONTACT, "p1") is None
    assert sum(store.counts().values()) == 0


def test_list_filters_and_paginates_by_cursor(store: GraphStore) -> None:
    nodes = [
        Company(id=f"c{i:02d}", name=f"Company {i}", tier="KEY" if i % 2 else "SMB", region="East")
        for i in range(25)
    ]
    store.write(GraphBatch(nodes=nodes))
    page = store.list_nodes(Label.COMPANY, where={"tier": "KEY"}, first=5)
    assert page.total_count == 12 and page.has_next_page
    seen = [n.id for n in page.items]
    while page.has_next_page:
        page = store.list_nodes(
            Label.COMPANY, where={"tier": "KEY"}, first=5, after=page.end_cursor
        )
        seen += [n.id for n in page.items]
    assert seen == [f"c{i:02d}" for i in range(25) if i % 2]
    both = store.list_nodes(Label.COMPANY, where={"tier": ["KEY", "SMB"]}, first=100)
    assert both.total_count == 25
    named = store.list_nodes(Label.COMPANY, name_contains="COMPANY 1", first=100)
    assert {n.id for n in named.items} == {"c01"} | {f"c{i}" for i in range(10, 20)}
    with pytest.raises(ValueError, match="no property"):
        store.list_nodes(Label.COMPANY, where={"bogus": 1})


def test_stance_status_level_and_role_changes_are_recorded(store: GraphStore) -> None:
    store.write(small_account())
    t0 = datetime(2030, 1, 1, tzinfo=UTC)
    store.write(
        GraphBatch(
            nodes=[
                Contact(
                    id="p-cio",
                    name="李明",
                    title="CIO",
                    seniority="VP",
                    stance="OPPONENT",
                    status="MOVED",
                )
            ],
            relationships=[
                rel(
                    "KNOWS",
                    "Rep",
                    "r1",
                    "Contact",
                    "p-cio",
                    level=1,
                    since=date(2024, 5, 1),
                    last_contact_at=datetime(2026, 9, 1, tzinfo=UTC),
                ),
                rel(
                    "HAS_ROLE",
                    "Contact",
                    "p-ceo",
                    "Opportunity",
                    "o1",
                    role="ECONOMIC_BUYER",
                    stance="BLOCKER",
                ),
            ],
        ),
        by="rep:r1",
        at=t0,
    )
    events = store.changes_since(t0)
    got = {(e.entity, e.entity_id, e.field, e.old, e.new, e.by) for e in events}
    assert got == {
        ("Contact", "p-cio", "stance", "NEUTRAL", "OPPONENT", "rep:r1"),
        ("Contact", "p-cio", "status", "ACTIVE", "MOVED", "rep:r1"),
        ("KNOWS", "r1->p-cio", "level", 3, 1, "rep:r1"),
        ("HAS_ROLE", "p-ceo->o1", "stance", None, "BLOCKER", "rep:r1"),
    }
    assert all(e.at == t0 for e in events)
    assert store.changes_since(t0 + timedelta(seconds=1)) == []
    only_cio = store.changes_since(t0, contact_ids=["p-cio"])
    assert {e.contact_id for e in only_cio} == {"p-cio"} and len(only_cio) == 3


def test_removing_a_role_records_its_change(store: GraphStore) -> None:
    store.write(small_account())
    t0 = datetime(2030, 1, 1, tzinfo=UTC)
    n = store.delete_relationships([("HAS_ROLE", "Contact", "p-ceo", "Opportunity", "o1")], at=t0)
    assert n == 1
    (event,) = store.changes_since(t0)
    assert (event.entity, event.field, event.old, event.new) == (
        "HAS_ROLE",
        "role",
        "ECONOMIC_BUYER",
        None,
    )


def test_moving_a_contact_replaces_its_department(store: GraphStore) -> None:
    store.write(small_account())
    store.write(
        GraphBatch(relationships=[rel("WORKS_IN", "Contact", "p-cio", "Department", "d-exec")])
    )
    works_in = store.relationships("WORKS_IN", from_ids=["p-cio"])
    assert [(r.to_id) for r in works_in] == ["d-exec"]


def test_detach_delete_removes_the_node_and_its_relationships(store: GraphStore) -> None:
    store.write(small_account())
    assert store.delete_nodes(Label.CONTACT, ["p-cio", "nope"]) == 1
    assert store.get_node(Label.CONTACT, "p-cio") is None
    assert store.relationships("KNOWS", to_ids=["p-cio"]) == []
    assert store.relationships("REPORTS_TO", from_ids=["p-cio"]) == []


def test_account_subgraph_holds_what_the_domain_preamble_lists(store: GraphStore) -> None:
    store.write(small_account())
    g = store.account_subgraph("c1")
    assert g.graph["company_id"] == "c1"
    assert set(g.nodes) == {
        "Company:c1",
        "Company:hq",
        "Department:d-exec",
        "Department:d-it",
        "Department:d-it-ops",
        "Contact:p-ceo",
        "Contact:p-cio",
        "Contact:p-ops",
        "Contact:x1",
        "Opportunity:o1",
        "Rep:r1",
        "Team:t1",
        "Interaction:i1",
    }
    assert g.nodes["Contact:x1"]["foreign"] is True
    assert g.nodes["Contact:p-cio"]["foreign"] is False
    assert g.nodes["Contact:p-ops"]["status"] == "LEFT"
    assert g.edges["Rep:r1", "Contact:p-cio", "KNOWS"]["level"] == 3
    assert g.edges["Rep:r1", "Contact:p-cio", "KNOWS"]["last_contact_at"] == datetime(
        2026, 9, 1, tzinfo=UTC
    )
    assert g.edges["Contact:x1", "Contact:p-cio", "INFLUENCES"]["strength"] == 3
    assert g.edges["Contact:p-ceo", "Opportunity:o1", "HAS_ROLE"]["role"] == "ECONOMIC_BUYER"
    # x1's own department belongs to c2 and is not part of c1's subgraph
    assert "Department:d-x" not in g
    assert g.number_of_edges() == 19  # all 21 but the two inside c2
    # creating the HAS_ROLE and the KNOWS edges recorded events; x1 is not c1's contact
    assert [(e.entity, e.contact_id) for e in g.graph["changes"]] == [
        ("HAS_ROLE", "p-ceo"),
        ("KNOWS", "p-cio"),
    ]


def test_subgraphs_of_many_accounts_come_in_one_batch(store: GraphStore) -> None:
    store.write(small_account())
    graphs = store.account_subgraphs(["c1", "c2", "missing"])
    assert set(graphs) == {"c1", "c2"}
    assert "Contact:x1" in graphs["c2"] and graphs["c2"].nodes["Contact:x1"]["foreign"] is False


def test_portfolio_by_rep_and_by_team(store: GraphStore) -> None:
    store.write(small_account())
    store.write(
        GraphBatch(relationships=[rel("COVERS", "Rep", "r-far", "Company", "c2", kind="OWNER")])
    )
    assert store.covered_company_ids(rep_id="r1") == ["c1"]
    assert store.covered_company_ids(team_id="t1") == ["c1"]
    assert store.covered_company_ids(rep_id="r-far") == ["c2"]
    assert store.covered_company_ids(rep_id="r1", kinds=["SUPPORT"]) == []
