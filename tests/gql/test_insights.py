"""GraphQL: brokers (§3.4), data gaps (§3.14), deal warnings (§3.16) and suggested
levels (§3.15) with their accept / dismiss mutations, masked and authorized like the
rest of the API — on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from stakegraph.gql.app import create_app
from stakegraph.graph.dataset import export_dataset, import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.model import Label, RelType
from stakegraph.graph.store import GraphStore

from .conftest import Api, make_settings, world

EPOCH = datetime(2000, 1, 1).astimezone()
AS_OF = '"2026-06-30"'


def _florentine() -> dict[str, Any]:
    """Padgett's Florentine families as one account, a mutual INFLUENCES tie per
    marriage; the Pazzi have no seniority."""
    g = nx.florentine_families_graph()
    contacts = [
        {"id": f, "name": f, "department_id": "d-fl"}
        | ({} if f == "Pazzi" else {"seniority": "MANAGER"})
        for f in sorted(g)
    ]
    rels = [
        {"type": "INFLUENCES", "from": x, "to": y, "strength": 1}
        for a, b in g.edges
        for x, y in ((a, b), (b, a))
    ]
    return {
        "companies": [{"id": "florence", "name": "Florence", "tier": "KEY"}],
        "departments": [{"id": "d-fl", "name": "Signoria", "company_id": "florence"}],
        "contacts": contacts,
        "relationships": rels,
    }


@pytest.fixture
def florence(store: GraphStore) -> Iterator[Api]:
    import_dataset(store, _florentine())
    with TestClient(create_app(make_settings(), store)) as client:
        yield Api(client, store)


def test_medici_are_the_first_broker_of_the_florentine_families(florence: Api) -> None:
    q = f"""{{ account(id: "florence") {{ brokers(asOf: {AS_OF}) {{
        contact {{ id name }} betweenness }} }} }}"""
    brokers = florence.data(q)["account"]["brokers"]
    # Padgett's network, normalised betweenness: Medici .522, Guadagni .255, Albizzi .212
    assert [(b["contact"]["id"], round(b["betweenness"], 3)) for b in brokers] == [
        ("Medici", 0.522),
        ("Guadagni", 0.255),
        ("Albizzi", 0.212),
    ]
    assert brokers[0]["betweenness"] == pytest.approx(0.521978, abs=1e-6)


def test_a_contact_without_seniority_is_a_data_gap(florence: Api) -> None:
    q = f"""{{ account(id: "florence") {{ dataGaps(asOf: {AS_OF}) {{
        kind record {{ label id name }} contact {{ id }} fields }} }} }}"""
    gaps = florence.data(q)["account"]["dataGaps"]
    no_seniority = [g for g in gaps if g["kind"] == "NO_SENIORITY"]
    assert no_seniority == [
        {
            "kind": "NO_SENIORITY",
            "record": {"label": "Contact", "id": "Pazzi", "name": "Pazzi"},
            "contact": {"id": "Pazzi"},
            "fields": [],
        }
    ]
    (icp,) = [g for g in gaps if g["kind"] == "NO_ICP_SCORE"]
    assert icp["record"] == {"label": "Company", "id": "florence", "name": "Florence"}
    assert icp["fields"] == ["strategic_fit", "profit_potential", "stability", "market_influence"]


# ------------------------------------------------------------------ deal warnings


def test_opportunity_warnings_with_their_evidence(api: Api) -> None:
    # o-acme's chain: a-ceo (ECONOMIC_BUYER, amy level 3, met 29 days before) and a-cio
    # (no tie): one of two influenced, EB influenced, two contacts, warm, no champion
    q = f"""{{ opportunity(id: "o-acme") {{ warnings(asOf: {AS_OF}) {{
        kind evidence opportunityId contacts {{ id }} }} }} }}"""
    warnings = api.data(q)["opportunity"]["warnings"]
    assert [(w["kind"], [c["id"] for c in w["contacts"]]) for w in warnings] == [
        ("SINGLE_THREADED", ["a-ceo"]),
        ("NOT_ENOUGH_CONTACTS", ["a-ceo", "a-cio"]),
        ("CHAMPION_UNTESTED", []),
    ]
    assert warnings[0]["evidence"] == "we can influence 1 of 2 chain contact(s)"
    assert warnings[1]["evidence"] == "2 active chain contact(s), fewer than 3"
    closed = '{ opportunity(id: "o-north") { warnings(asOf: "2026-06-30") { kind } } }'
    assert api.data(closed)["opportunity"]["warnings"] == []


def test_portfolio_deal_warnings_cover_only_visible_accounts(api: Api) -> None:
    q = f"{{ dealWarnings(asOf: {AS_OF}) {{ account {{ id }} warnings {{ kind opportunityId }} }} }}"
    admin = {x["account"]["id"]: x["warnings"] for x in api.data(q)["dealWarnings"]}
    assert set(admin) == {"acme", "globex"}
    # o-globex: g-ceo alone in its chain (fewer than 3), who attended no interaction
    assert {w["opportunityId"] for w in admin["globex"]} == {"o-globex"}
    assert {"NOT_ENOUGH_CONTACTS", "GONE_COLD"} <= {w["kind"] for w in admin["globex"]}
    amy = [x["account"]["id"] for x in api.data(q, role="REP")["dealWarnings"]]
    assert amy == ["acme"]


# --------------------------------------------------------------- suggested levels


def _activity(store: GraphStore) -> None:
    """amy met a-cio three times in the 180 days before 2026-06-30 (no tie: level 2)
    and called a-cfo once (no tie: level 1); bob e-mailed g-cto (level 4: nothing)."""
    data = {
        "interactions": [
            {
                "id": f"i-cio-{n}",
                "at": at,
                "kind": "MEETING",
                "rep_ids": ["r-amy"],
                "contact_ids": ["a-cio"],
            }
            for n, at in enumerate(
                ("2026-01-01T09:00:00Z", "2026-04-01T09:00:00Z", "2026-06-20T09:00:00Z")
            )
        ]
        + [
            {
                "id": "i-cfo",
                "at": "2026-06-10T09:00:00Z",
                "kind": "CALL",
                "rep_ids": ["r-amy"],
                "contact_ids": ["a-cfo"],
            },
            {
                "id": "i-old",
                "at": "2025-12-31T09:00:00Z",  # 181 days before: outside the window
                "kind": "MEETING",
                "rep_ids": ["r-amy"],
                "contact_ids": ["a-cio"],
            },
            {
                "id": "i-gcto",
                "at": "2026-06-10T09:00:00Z",
                "kind": "EMAIL",
                "rep_ids": ["r-bob"],
                "contact_ids": ["g-cto"],
            },
        ],
    }
    import_dataset(store, data)


@pytest.fixture
def active(store: GraphStore) -> Iterator[Api]:
    import_dataset(store, world())
    _activity(store)
    with TestClient(create_app(make_settings(), store)) as client:
        yield Api(client, store)


SUGGESTIONS = f"""{{ account(id: "acme") {{ suggestions(asOf: {AS_OF}) {{
    rep {{ id }} contact {{ id }} currentLevel suggestedLevel interactions visitsOrMeetings
    lastAt interactionIds account {{ id }} }} }} }}"""


def _pairs(api: Api, role: str = "ADMIN") -> list[tuple[str, str, int | None, int]]:
    return [
        (s["rep"]["id"], s["contact"]["id"], s["currentLevel"], s["suggestedLevel"])
        for s in api.data(SUGGESTIONS, role=role)["account"]["suggestions"]
    ]


def test_account_and_rep_suggestions(active: Api) -> None:
    found = active.data(SUGGESTIONS)["account"]["suggestions"]
    assert found == [
        {
            "rep": {"id": "r-amy"},
            "contact": {"id": "a-cfo"},
            "currentLevel": None,
            "suggestedLevel": 1,
            "interactions": 1,
            "visitsOrMeetings": 0,
            "lastAt": "2026-06-10",
            "interactionIds": ["i-cfo"],
            "account": {"id": "acme"},
        },
        {
            "rep": {"id": "r-amy"},
            "contact": {"id": "a-cio"},
            "currentLevel": None,
            "suggestedLevel": 2,
            "interactions": 3,
            "visitsOrMeetings": 3,
            "lastAt": "2026-06-20",
            "interactionIds": ["i-cio-0", "i-cio-1", "i-cio-2"],
            "account": {"id": "acme"},
        },
    ]
    q = f"""{{ rep(id: "r-amy") {{ suggestions(asOf: {AS_OF}) {{
        account {{ id }} contact {{ id }} suggestedLevel }} }} }}"""
    mine = active.data(q, role="REP")["rep"]["suggestions"]
    assert [(s["account"]["id"], s["contact"]["id"], s["suggestedLevel"]) for s in mine] == [
        ("acme", "a-cfo", 1),
        ("acme", "a-cio", 2),
    ]
    # bob's e-mail with g-cto (level 4) suggests nothing
    bob = '{ rep(id: "r-bob") { suggestions(asOf: "2026-06-30") { contact { id } } } }'
    assert active.data(bob)["rep"]["suggestions"] == []
    # amy may not see bob's suggestions
    err = active.error(bob, role="REP")
    assert err["extensions"]["code"] in {"FORBIDDEN", "NOT_FOUND"}


ACCEPT = f"""mutation($r: ID!, $c: ID!) {{ acceptSuggestion(repId: $r, contactId: $c,
    asOf: {AS_OF}) {{ contact {{ id }} suggestedLevel }} }}"""
DISMISS = f"""mutation($r: ID!, $c: ID!) {{ dismissSuggestion(repId: $r, contactId: $c,
    asOf: {AS_OF}) {{ contact {{ id }} suggestedLevel }} }}"""


def test_accepting_a_suggestion_is_an_ordinary_level_change(active: Api) -> None:
    got = active.data(ACCEPT, {"r": "r-amy", "c": "a-cio"}, role="REP")["acceptSuggestion"]
    assert got == {"contact": {"id": "a-cio"}, "suggestedLevel": 2}
    (tie,) = [
        r
        for r in active.store.relationships(RelType.KNOWS, from_ids=["r-amy"])
        if r.to_id == "a-cio"
    ]
    assert tie.properties["level"] == 2
    events = [e for e in active.store.changes_since(EPOCH) if e.entity == "KNOWS"]
    assert [(e.entity_id, e.old, e.new, e.by) for e in events] == [("r-amy->a-cio", None, 2, "rep")]
    assert _pairs(active) == [("r-amy", "a-cfo", None, 1)]
    # nothing open any more for the pair
    err = active.error(ACCEPT, {"r": "r-amy", "c": "a-cio"}, role="REP")
    assert err["extensions"]["code"] == "NOT_FOUND"


def test_only_who_may_act_for_the_rep_decides(active: Api) -> None:
    # bob may not see acme's contacts; the analyst writes nothing; east's manager acts for amy
    assert (
        active.error(ACCEPT, {"r": "r-amy", "c": "a-cio"}, role="REP_BOB")["extensions"]["code"]
        == "NOT_FOUND"
    )
    assert (
        active.error(DISMISS, {"r": "r-amy", "c": "a-cio"}, role="ANALYST")["extensions"]["code"]
        == "FORBIDDEN"
    )
    assert active.error(DISMISS, {"r": "r-amy", "c": "a-cio"}, role="MANAGER_WEST")["extensions"][
        "code"
    ] in {"FORBIDDEN", "NOT_FOUND"}
    assert not [e for e in active.store.changes_since(EPOCH) if e.entity == "KNOWS"]
    ok = active.data(DISMISS, {"r": "r-amy", "c": "a-cio"}, role="MANAGER")
    assert ok["dismissSuggestion"]["suggestedLevel"] == 2


def test_a_dismissed_suggestion_does_not_return_for_the_same_evidence(active: Api) -> None:
    active.data(DISMISS, {"r": "r-amy", "c": "a-cfo"}, role="REP")
    assert _pairs(active) == [("r-amy", "a-cio", None, 2)]
    rep = active.store.get_node(Label.REP, "r-amy")
    assert rep is not None and rep.dismissed_suggestions == ['["a-cfo", 1, ["i-cfo"]]']
    # no level change, no change event
    assert not [e for e in active.store.changes_since(EPOCH) if e.entity == "KNOWS"]
    # new evidence (another call) brings it back
    import_dataset(
        active.store,
        {
            "interactions": [
                {
                    "id": "i-cfo-2",
                    "at": "2026-06-25T09:00:00Z",
                    "kind": "CALL",
                    "rep_ids": ["r-amy"],
                    "contact_ids": ["a-cfo"],
                }
            ]
        },
    )
    assert _pairs(active) == [("r-amy", "a-cfo", None, 1), ("r-amy", "a-cio", None, 2)]


def test_a_dismissal_survives_the_dataset_round_trip(active: Api, tmp_path) -> None:
    active.data(DISMISS, {"r": "r-amy", "c": "a-cfo"}, role="REP")
    doc = export_dataset(active.store)
    (amy,) = [r for r in doc["reps"] if r["id"] == "r-amy"]
    assert amy["dismissed_suggestions"] == ['["a-cfo", 1, ["i-cfo"]]']
    other = EmbeddedStore(tmp_path / "copy.db")
    other.ensure_schema()
    import_dataset(other, doc)
    again = other.get_node(Label.REP, "r-amy")
    assert again is not None and again.dismissed_suggestions == amy["dismissed_suggestions"]
    other.close()
