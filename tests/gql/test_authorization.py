"""The authorization matrix: each role × each query and mutation × own / foreign account.

"Own" is amy's side of the world (``acme``: REP ``r-amy``, MANAGER of ``t-east``);
"foreign" is bob's (``globex``). ADMIN may do everything, ANALYST read everything and
write nothing, REP and MANAGER read and write their own side only. A refusal is
``NOT_FOUND`` when the caller may not see the record (so answers never confirm which
ids exist elsewhere) and ``FORBIDDEN`` when they see it but may not do this. Mutations that
would change state are paired with their inverse in one request, so the world stays
the same for every case. Nested and cross-account paths are checked below the matrix.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from stakegraph.graph.model import Interaction, Relationship
from stakegraph.graph.store import GraphBatch, GraphStore

from .conftest import Api, make_api

ROLES = ("ADMIN", "ANALYST", "REP", "MANAGER")
ALL = frozenset(ROLES)
READERS = ALL
WRITERS = frozenset({"ADMIN", "REP", "MANAGER"})


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """One world per store for the whole module (every case leaves it unchanged)."""
    if request.param == "embedded":
        from stakegraph.graph.embedded_store import EmbeddedStore

        store: GraphStore = EmbeddedStore(tmp_path_factory.mktemp("authz") / "db")
    else:
        store = request.getfixturevalue("neo4j_store_session")
        store.clear()
    _add_foreign_interaction(store)
    yield from make_api(store)
    if request.param == "neo4j":
        store.clear()
    else:
        store.close()


def _add_foreign_interaction(store: GraphStore) -> None:
    from stakegraph.graph.dataset import import_dataset

    from .conftest import world as dataset

    import_dataset(store, dataset())
    store.write(
        GraphBatch(
            nodes=[Interaction(id="i-2", at="2026-06-02T10:00:00Z", kind="CALL")],
            relationships=[
                Relationship(
                    type="ABOUT",
                    from_label="Interaction",
                    from_id="i-2",
                    to_label="Company",
                    to_id="globex",
                )
            ],
        )
    )


@dataclass(frozen=True)
class Case:
    name: str
    query: str
    own: dict[str, Any]
    foreign: dict[str, Any]
    own_ok: frozenset[str] = READERS
    foreign_ok: frozenset[str] = frozenset({"ADMIN", "ANALYST"})
    #: (scope, role) pairs refused as NOT_FOUND: the record is not theirs to see
    hidden: frozenset[tuple[str, str]] = frozenset({("foreign", "REP"), ("foreign", "MANAGER")})

    def refusal(self, scope: str, role: str) -> str:
        return "NOT_FOUND" if (scope, role) in self.hidden else "FORBIDDEN"


def read(name: str, query: str, own: dict, foreign: dict, **kw: Any) -> Case:
    return Case(name, query, own, foreign, **kw)


def write(name: str, query: str, own: dict, foreign: dict, **kw: Any) -> Case:
    kw.setdefault("own_ok", WRITERS)
    kw.setdefault("foreign_ok", frozenset({"ADMIN"}))
    return Case(name, query, own, foreign, **kw)


ADMIN_ONLY = frozenset({"ADMIN"})
NOTHING_HIDDEN: frozenset[tuple[str, str]] = frozenset()

CASES = [
    read(
        "account",
        "query($id: ID!) { account(id: $id) { id name } }",
        {"id": "acme"},
        {"id": "globex"},
    ),
    read(
        "account.mapUrl",
        "query($id: ID!) { account(id: $id) { mapUrl(view: ORG) } }",
        {"id": "acme"},
        {"id": "globex"},
    ),
    read(
        "account.analytics",
        'query($id: ID!) { account(id: $id) { relationshipGrade(asOf: "2026-06-30") { grade } '
        "coverage { ratio } balance { verdict } health { status } } }",
        {"id": "acme"},
        {"id": "globex"},
    ),
    read(
        "contact",
        "query($id: ID!) { contact(id: $id) { id name } }",
        {"id": "a-cio"},
        {"id": "g-cto"},
    ),
    read(
        "opportunity",
        "query($id: ID!) { opportunity(id: $id) { id roles { role } } }",
        {"id": "o-acme"},
        {"id": "o-globex"},
    ),
    read(
        "interaction",
        "query($id: ID!) { interaction(id: $id) { id } }",
        {"id": "i-1"},
        {"id": "i-2"},
    ),
    read(
        "rep",
        "query($id: ID!) { rep(id: $id) { id accounts { id } } }",
        {"id": "r-amy"},
        {"id": "r-bob"},
    ),
    read(
        "rep.grade",
        'query($id: ID!) { rep(id: $id) { grade(asOf: "2026-06-30") { grade } } }',
        {"id": "r-amy"},
        {"id": "r-bob"},
    ),
    read(
        "team",
        "query($id: ID!) { team(id: $id) { id members { id } } }",
        {"id": "t-east"},
        {"id": "t-west"},
        own_ok=frozenset({"ADMIN", "ANALYST", "MANAGER"}),
        hidden=frozenset({("own", "REP"), ("foreign", "REP"), ("foreign", "MANAGER")}),
    ),
    write(
        "upsertCompany",
        "mutation($id: ID!, $n: String!) { upsertCompany(input: {id: $id, name: $n}) { id } }",
        {"id": "acme", "n": "Acme Group"},
        {"id": "globex", "n": "Globex"},
    ),
    write(
        "upsertDepartment",
        "mutation($id: ID!, $n: String!) { upsertDepartment(input: {id: $id, name: $n}) { id } }",
        {"id": "d-acme-it", "n": "IT"},
        {"id": "d-globex-exec", "n": "Board"},
    ),
    write(
        "upsertDepartment.new",
        'mutation($c: ID!) { a: upsertDepartment(input: {id: "d-tmp", name: "Tmp", companyId: $c}) { id } }',
        {"c": "acme"},
        {"c": "globex"},
    ),
    write(
        "upsertContact",
        "mutation($id: ID!, $t: String!) { upsertContact(input: {id: $id, title: $t}) { id } }",
        {"id": "a-eng", "t": "Engineer"},
        {"id": "g-cto", "t": "CTO"},
    ),
    write(
        "upsertOpportunity",
        "mutation($id: ID!, $n: String!) { upsertOpportunity(input: {id: $id, name: $n}) { id } }",
        {"id": "o-acme", "n": "MES rollout"},
        {"id": "o-globex", "n": "Grid analytics"},
    ),
    write(
        "setStance",
        "mutation($c: ID!, $s: Stance!) { a: setStance(contactId: $c, stance: CHAMPION) { id } "
        "b: setStance(contactId: $c, stance: $s) { id } }",
        {"c": "a-cio", "s": "NEUTRAL"},
        {"c": "g-cto", "s": "UNKNOWN"},
    ),
    write(
        "setRelationshipLevel",
        "mutation($r: ID!, $c: ID!, $l: Int!) { setRelationshipLevel(repId: $r, contactId: $c, level: $l) { id } }",
        {"r": "r-amy", "c": "a-eng", "l": 1},
        {"r": "r-bob", "c": "g-cto", "l": 4},
    ),
    write(
        "link+unlink",
        "mutation($a: ID!, $b: ID!) { x: link(type: RIVAL_OF, fromId: $a, toId: $b) { relationshipsCreated } "
        "y: unlink(type: RIVAL_OF, fromId: $a, toId: $b) { relationshipsDeleted } }",
        {"a": "a-eng", "b": "a-cfo"},
        {"a": "g-ceo", "b": "g-cto"},
    ),
    write(
        "assignRole+removeRole",
        "mutation($c: ID!, $o: ID!) { x: assignRole(contactId: $c, opportunityId: $o, role: USER) { relationshipsCreated } "
        "y: removeRole(contactId: $c, opportunityId: $o) { relationshipsDeleted } }",
        {"c": "a-eng", "o": "o-acme"},
        {"c": "g-cto", "o": "o-globex"},
    ),
    write(
        "logInteraction",
        "mutation($c: ID!) { logInteraction(input: {kind: CALL, companyId: $c}) { id } }",
        {"c": "acme"},
        {"c": "globex"},
    ),
    write(
        "assignCoverage",
        "mutation($c: ID!, $r: ID!) { assignCoverage(companyId: $c, repId: $r) { relationshipsUpdated } }",
        {"c": "acme", "r": "r-amy"},
        {"c": "globex", "r": "r-bob"},
        own_ok=frozenset({"ADMIN", "MANAGER"}),
    ),
    write(
        "upsertRep",
        "mutation($id: ID!, $n: String!) { upsertRep(input: {id: $id, name: $n}) { id } }",
        {"id": "r-amy", "n": "Amy"},
        {"id": "r-bob", "n": "Bob"},
        own_ok=frozenset({"ADMIN", "REP"}),
        hidden=NOTHING_HIDDEN,
    ),
    write(
        "upsertTeam",
        "mutation($id: ID!, $n: String!) { upsertTeam(input: {id: $id, name: $n}) { id } }",
        {"id": "t-east", "n": "KA East"},
        {"id": "t-west", "n": "Strategic West"},
        own_ok=ADMIN_ONLY,
        hidden=NOTHING_HIDDEN,
    ),
    write(
        "importDataset",
        "mutation($d: JSON!) { importDataset(dataset: $d) { nodesUpdated } }",
        {"d": {"competitors": [{"id": "k-rival", "name": "Rival Corp"}]}},
        {"d": {"competitors": [{"id": "k-rival", "name": "Rival Corp"}]}},
        own_ok=ADMIN_ONLY,
        hidden=NOTHING_HIDDEN,
    ),
    read(
        "embedToken(mutation)",
        "mutation($id: ID!) { embedToken(accountId: $id) { token } }",
        {"id": "acme"},
        {"id": "globex"},
    ),
    write(
        "upsertCompetitor",
        'mutation { upsertCompetitor(input: {id: "k-rival", name: "Rival Corp"}) { id } }',
        {},
        {},
        own_ok=ADMIN_ONLY,  # competitors are shared by every account, rivals' deals too
        hidden=NOTHING_HIDDEN,
    ),
]

MATRIX = [
    pytest.param(case, scope, role, id=f"{case.name}-{scope}-{role}")
    for case in CASES
    for scope in ("own", "foreign")
    for role in ROLES
]


@pytest.mark.parametrize(("case", "scope", "role"), MATRIX)
def test_matrix(world: Api, case: Case, scope: str, role: str) -> None:
    variables = case.own if scope == "own" else case.foreign
    allowed = role in (case.own_ok if scope == "own" else case.foreign_ok)
    body = world(case.query, variables, role=role)
    errors = body.get("errors") or []
    if allowed:
        assert not errors, errors
    else:
        assert errors, body
        assert errors[0]["extensions"]["code"] == case.refusal(scope, role), errors


# ------------------------------------------------------------------ lists and nesting


VISIBLE = {
    "ADMIN": {"acme", "acme-north", "acme-south", "globex"},
    "ANALYST": {"acme", "acme-north", "acme-south", "globex"},
    "REP": {"acme", "acme-north"},
    "MANAGER": {"acme", "acme-north"},
    "REP_BOB": {"acme-south", "globex"},
    "MANAGER_WEST": {"acme-south", "globex"},
}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_lists_hold_only_visible_accounts(world: Api, role: str) -> None:
    d = world.data(
        """{ accounts(first: 100) { totalCount edges { node { id } } }
             coverageHoles(asOf: "2026-06-30") { account { id } }
             portfolioFindings { account { id } } }""",
        role=role,
    )
    assert {e["node"]["id"] for e in d["accounts"]["edges"]} == VISIBLE[role]
    assert d["accounts"]["totalCount"] == len(VISIBLE[role])
    assert {h["account"]["id"] for h in d["coverageHoles"]} <= VISIBLE[role]
    assert {f["account"]["id"] for f in d["portfolioFindings"] if f["account"]} <= VISIBLE[role]


def test_a_path_through_a_foreign_contact_is_masked(world: Api) -> None:
    q = """{ account(id: "acme") { pathsTo(contactId: "a-cio", k: 1, asOf: "2026-06-30") {
        steps { from { id name masked } to { id name masked } } } } }"""
    admin = world.data(q)["account"]["pathsTo"][0]["steps"]
    assert admin[0]["to"] == {"id": "g-cto", "name": "Gus", "masked": False}
    amy = world.data(q, role="REP")["account"]["pathsTo"][0]["steps"]
    assert amy[0]["to"] == {"id": None, "name": None, "masked": True}
    assert amy[1]["to"] == {"id": "a-cio", "name": "Li Ming", "masked": False}


def test_ties_to_a_foreign_contact_are_masked_both_ways(world: Api) -> None:
    q = "query($id: ID!) { contact(id: $id) { ties(type: INFLUENCES) { direction masked contact { id name } } } }"
    amy = world.data(q, {"id": "a-cio"}, role="REP")["contact"]["ties"]
    assert {"direction": "IN", "masked": True, "contact": None} in amy
    bob = world.data(q, {"id": "g-cto"}, role="REP_BOB")["contact"]["ties"]
    assert bob == [{"direction": "OUT", "masked": True, "contact": None}]


def test_nested_fields_do_not_leak_foreign_accounts(world: Api) -> None:
    amy = world.data(
        """{ account(id: "acme") { branches { id } }
             rep(id: "r-amy") { accounts { id } } }""",
        role="REP",
    )
    assert amy["account"]["branches"] == [{"id": "acme-north"}]  # acme-south is bob's
    bob = world.data('{ account(id: "acme-south") { headquarters { id } } }', role="REP_BOB")
    assert bob["account"]["headquarters"] is None


def test_whitespace_shows_only_visible_branches(world: Api) -> None:
    q = '{ whitespace(asOf: "2026-06-30") { headquarters { id } items { account { id } wonBy { id } } } }'
    amy = world.data(q, role="REP")["whitespace"]
    assert amy == [{"headquarters": {"id": "acme"}, "items": []}]
    bob = world.data(q, role="REP_BOB")["whitespace"]
    assert bob == [
        {"headquarters": None, "items": [{"account": {"id": "acme-south"}, "wonBy": []}]}
    ]


def test_a_rep_may_not_set_a_colleagues_relationship_level(world: Api) -> None:
    err = world.error(
        'mutation { setRelationshipLevel(repId: "r-bob", contactId: "a-eng", level: 2) { id } }',
        role="REP",
    )
    assert err["extensions"] == {"code": "FORBIDDEN", "field": "repId"}


def test_moving_a_contact_into_a_foreign_department_is_refused_as_not_found(
    world: Api,
) -> None:
    err = world.error(
        'mutation { upsertContact(input: {id: "a-eng", departmentId: "d-globex-exec"}) { id } }',
        role="REP",
    )
    assert err["extensions"] == {"code": "NOT_FOUND", "field": "input.departmentId"}


def test_a_tie_into_a_foreign_account_is_refused_as_not_found(world: Api) -> None:
    err = world.error(
        'mutation { link(type: ALLY_OF, fromId: "a-cio", toId: "g-cto") { relationshipsCreated } }',
        role="MANAGER",
    )
    assert err["extensions"] == {"code": "NOT_FOUND", "field": "toId"}


def test_a_manager_may_not_assign_coverage_to_another_team(world: Api) -> None:
    err = world.error(
        'mutation { assignCoverage(companyId: "acme", teamId: "t-west", kind: SUPPORT) { relationshipsCreated } }',
        role="MANAGER",
    )
    assert err["extensions"] == {"code": "FORBIDDEN", "field": "teamId"}


def test_no_key_or_an_unknown_key_is_unauthenticated(world: Api) -> None:
    for headers in ({}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"}):
        r = world.client.post("/graphql", json={"query": "{ me { name } }"}, headers=headers)
        assert r.status_code == 401
        assert r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    ok = world.client.post(
        "/graphql", json={"query": "{ me { role } }"}, headers={"Authorization": "Bearer amy-key"}
    )
    assert ok.json() == {"data": {"me": {"role": "REP"}}}
