"""``GraphStore.owning_accounts``: which account each node belongs to, in one query.

Every test runs on the embedded store AND on Neo4j.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stakegraph.graph.model import (
    Company,
    Competitor,
    Contact,
    Department,
    Interaction,
    Label,
    Opportunity,
    Relationship,
    Rep,
    Team,
)
from stakegraph.graph.store import GraphBatch, GraphStore

AT = datetime(2026, 5, 1, tzinfo=UTC)


def rel(t: str, fl: str, f: str, tl: str, to: str, **props: object) -> Relationship:
    return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to, properties=props)


@pytest.fixture
def portfolio(store: GraphStore) -> GraphStore:
    """Two accounts; A's departments nest three deep; B has a branch HQ."""
    store.write(
        GraphBatch(
            nodes=[
                Company(id="A", name="A"),
                Company(id="B", name="B"),
                Company(id="HQ", name="HQ"),
                Department(id="a-top", name="top"),
                Department(id="a-mid", name="mid"),
                Department(id="a-leaf", name="leaf"),
                Department(id="b-d", name="b"),
                Department(id="orphan-d", name="nowhere"),
                Contact(id="pa", name="pa"),
                Contact(id="pb", name="pb"),
                Contact(id="pz", name="works nowhere"),
                Contact(id="p-orphan", name="in a department of no company"),
                Opportunity(id="oa", name="oa"),
                Opportunity(id="o-loose", name="for nobody"),
                Interaction(id="i-direct", at=AT, kind="VISIT"),
                Interaction(id="i-opp", at=AT, kind="CALL"),
                Interaction(id="i-both", at=AT, kind="CALL"),
                Interaction(id="i-people", at=AT, kind="MEETING"),
                Interaction(id="i-nobody", at=AT, kind="EMAIL"),
                Rep(id="r1", name="r1"),
                Team(id="t1", name="t1", kind="REGIONAL"),
                Competitor(id="k1", name="k1"),
            ],
            relationships=[
                rel("BRANCH_OF", "Company", "B", "Company", "HQ"),
                rel("PART_OF", "Department", "a-top", "Company", "A"),
                rel("PART_OF", "Department", "a-mid", "Department", "a-top"),
                rel("PART_OF", "Department", "a-leaf", "Department", "a-mid"),
                rel("PART_OF", "Department", "b-d", "Company", "B"),
                rel("WORKS_IN", "Contact", "pa", "Department", "a-leaf"),
                rel("WORKS_IN", "Contact", "pb", "Department", "b-d"),
                rel("WORKS_IN", "Contact", "p-orphan", "Department", "orphan-d"),
                rel("FOR", "Opportunity", "oa", "Company", "A"),
                rel("ABOUT", "Interaction", "i-direct", "Company", "B"),
                rel("ABOUT", "Interaction", "i-opp", "Opportunity", "oa"),
                # about B directly and about A's opportunity: the direct one wins
                rel("ABOUT", "Interaction", "i-both", "Company", "B"),
                rel("ABOUT", "Interaction", "i-both", "Opportunity", "oa"),
                # about nothing: the account of the attendee first by id ("pb" > "pa")
                rel("ATTENDED", "Contact", "pb", "Interaction", "i-people"),
                rel("ATTENDED", "Contact", "pa", "Interaction", "i-people"),
                rel("ATTENDED", "Contact", "pz", "Interaction", "i-people"),
                rel("ATTENDED", "Rep", "r1", "Interaction", "i-people"),
                rel("ATTENDED", "Contact", "pz", "Interaction", "i-nobody"),
                rel("ATTENDED", "Rep", "r1", "Interaction", "i-direct"),
            ],
        )
    )
    return store


def test_a_company_owns_itself(portfolio: GraphStore) -> None:
    assert portfolio.owning_accounts(Label.COMPANY, ["A", "HQ", "missing"]) == {
        "A": "A",
        "HQ": "HQ",
    }


def test_a_department_belongs_to_the_company_at_the_top_of_its_parents(
    portfolio: GraphStore,
) -> None:
    got = portfolio.owning_accounts(Label.DEPARTMENT, ["a-top", "a-mid", "a-leaf", "b-d"])
    assert got == {"a-top": "A", "a-mid": "A", "a-leaf": "A", "b-d": "B"}
    assert portfolio.owning_accounts(Label.DEPARTMENT, ["orphan-d", "missing"]) == {}


def test_a_contact_belongs_to_its_departments_company(portfolio: GraphStore) -> None:
    got = portfolio.owning_accounts(Label.CONTACT, ["pa", "pb", "pz", "p-orphan", "missing"])
    assert got == {"pa": "A", "pb": "B"}


def test_an_opportunity_belongs_to_the_company_it_is_for(portfolio: GraphStore) -> None:
    assert portfolio.owning_accounts(Label.OPPORTUNITY, ["oa", "o-loose"]) == {"oa": "A"}


def test_an_interaction_belongs_to_what_it_is_about_else_to_its_attendees_account(
    portfolio: GraphStore,
) -> None:
    ids = ["i-direct", "i-opp", "i-both", "i-people", "i-nobody", "missing"]
    assert portfolio.owning_accounts(Label.INTERACTION, ids) == {
        "i-direct": "B",
        "i-opp": "A",
        "i-both": "B",
        "i-people": "A",
    }


@pytest.mark.parametrize("label", [Label.REP, Label.TEAM, Label.COMPETITOR])
def test_reps_teams_and_competitors_belong_to_no_account(
    portfolio: GraphStore, label: Label
) -> None:
    assert portfolio.owning_accounts(label, ["r1", "t1", "k1"]) == {}


def test_no_ids_no_answer(portfolio: GraphStore) -> None:
    assert portfolio.owning_accounts(Label.CONTACT, []) == {}


def test_many_nodes_in_one_call(store: GraphStore) -> None:
    nodes: list = [Company(id="C", name="C"), Department(id="d0", name="d0")]
    rels = [rel("PART_OF", "Department", "d0", "Company", "C")]
    for i in range(1, 30):  # a chain thirty departments deep
        nodes.append(Department(id=f"d{i}", name=f"d{i}"))
        rels.append(rel("PART_OF", "Department", f"d{i}", "Department", f"d{i - 1}"))
    for i in range(1200):  # more ids than one SQL parameter list holds
        nodes.append(Contact(id=f"p{i}", name=f"p{i}"))
        rels.append(rel("WORKS_IN", "Contact", f"p{i}", "Department", f"d{i % 30}"))
    store.write(GraphBatch(nodes=nodes, relationships=rels))
    got = store.owning_accounts(Label.CONTACT, [f"p{i}" for i in range(1200)])
    assert got == {f"p{i}": "C" for i in range(1200)}
