"""Adversarial authorization checks (a security review of the GraphQL API and the map).

The world is the one of ``conftest.py``: amy (REP ``r-amy``, team ``t-east``) owns
``acme`` and ``acme-north``; bob (REP ``r-bob``, team ``t-west``) owns ``acme-south``
and ``globex``; ``g-cto`` (Gus, globex) INFLUENCES ``a-cio`` (acme). Each test tries
one way around the rule "a REP / MANAGER sees and writes only their own accounts".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from stakegraph.graph.model import Relationship, Rep
from stakegraph.graph.store import GraphBatch, GraphStore

from .conftest import KEYS, Api, make_api

FOREIGN_NAMES = ("Gus", "Gloria", "Globex", "Grid analytics", "Bob", "bob@example.com")


def _rel(t: str, fl: str, f: str, tl: str, to: str, **props: Any) -> Relationship:
    return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to, properties=props)


def _codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


# ------------------------------------------------------------------ interactions


def test_account_interactions_hide_an_interaction_about_a_foreign_account(api: Api) -> None:
    """A visit about globex that an acme contact attended is bob's, not amy's."""
    iid = api.data(
        """mutation { logInteraction(input: {kind: MEETING, companyId: "globex",
             contactIds: ["a-cio", "g-ceo"], repIds: ["r-bob"], notes: "globex pricing"}) { id } }"""
    )["logInteraction"]["id"]
    q = '{ account(id: "acme") { interactions { id notes } } }'
    assert iid in {i["id"] for i in api.data(q)["account"]["interactions"]}
    amy = api.data(q, role="REP")["account"]["interactions"]
    assert [i["id"] for i in amy] == ["i-1"]
    assert "globex pricing" not in str(amy)
    err = api.error("query($id: ID!) { interaction(id: $id) { id } }", {"id": iid}, role="REP")
    assert err["extensions"]["code"] == "NOT_FOUND"
    bob = api.data('{ account(id: "globex") { interactions { id } } }', role="REP_BOB")
    assert iid in {i["id"] for i in bob["account"]["interactions"]}


def test_interaction_attendees_of_a_foreign_account_are_masked(api: Api) -> None:
    """An acme visit attended by globex's CTO: amy sees the visit, not Gus."""
    iid = api.data(
        'mutation { logInteraction(input: {kind: VISIT, companyId: "acme", '
        'contactIds: ["a-ceo", "g-cto"]}) { id } }'
    )["logInteraction"]["id"]
    q = "query($id: ID!) { interaction(id: $id) { contacts { id name } } }"
    amy = api.data(q, {"id": iid}, role="REP")["interaction"]["contacts"]
    assert amy == [{"id": "a-ceo", "name": "Wang Wei"}]


# --------------------------------------------------------------------- the map


def _map(api: Api, path: str, key: str | None = None) -> Any:
    headers = {"X-API-Key": key} if key else {}
    return api.client.get(path, headers=headers)


def test_map_page_masks_contacts_of_foreign_accounts(embedded_api: Api) -> None:
    admin = _map(embedded_api, "/accounts/acme/map?view=political", "admin-key")
    assert admin.status_code == 200 and "Gus" in admin.text and "g-cto" in admin.text
    for key in ("amy-key", "east-key"):
        page = _map(embedded_api, "/accounts/acme/map?view=political", key)
        assert page.status_code == 200
        assert "Li Ming" in page.text  # amy's own contact tied to Gus
        assert "Gus" not in page.text and "g-cto" not in page.text
        assert not re.search(r"\bCTO\b", page.text)  # Gus's title (not DIRECTOR's letters)
    # bob, whose contact Gus is, sees him on the acme map? No: acme is not his.
    assert _map(embedded_api, "/accounts/acme/map", "bob-key").status_code == 404


def test_map_url_minted_by_a_rep_masks_foreign_contacts(embedded_api: Api) -> None:
    def widget(role: str) -> str:
        url = embedded_api.data('{ account(id: "acme") { mapUrl(view: POLITICAL) } }', role=role)[
            "account"
        ]["mapUrl"]
        r = embedded_api.client.get(url.removeprefix("https://sg.example.com"))
        assert r.status_code == 200
        return r.text

    assert "Gus" in widget("ADMIN")
    assert "Gus" not in widget("REP")
    assert "Gus" not in widget("MANAGER")
    token = embedded_api.data(
        'mutation { embedToken(accountId: "acme", view: POLITICAL) { url } }', role="REP"
    )["embedToken"]["url"]
    r = embedded_api.client.get(token.removeprefix("https://sg.example.com"))
    assert r.status_code == 200 and "Gus" not in r.text


def test_map_path_to_a_foreign_contact_reveals_nothing(embedded_api: Api) -> None:
    page = _map(embedded_api, "/accounts/acme/map?view=political&pathTo=g-cto", "amy-key")
    assert "Gus" not in page.text


# ---------------------------------------------------------------- reps and teams


@pytest.fixture
def crowded(store: GraphStore) -> Iterator[Api]:
    """The world plus cat (a second member of t-east) and t-west supporting acme."""
    for api in make_api(store):
        store.write(
            GraphBatch(
                nodes=[Rep(id="r-cat", name="Cat", email="cat@example.com")],
                relationships=[
                    _rel("MEMBER_OF", "Rep", "r-cat", "Team", "t-east"),
                    _rel("COVERS", "Team", "t-west", "Company", "acme", kind="SUPPORT"),
                    _rel("COVERS", "Rep", "r-bob", "Company", "acme", kind="SUPPORT"),
                ],
            )
        )
        yield api


def test_team_members_show_only_reps_the_caller_may_see(crowded: Api) -> None:
    q = '{ rep(id: "r-amy") { teams { id members { id name email } } } }'
    amy = crowded.data(q, role="REP")["rep"]["teams"]
    assert amy == [
        {"id": "t-east", "members": [{"id": "r-amy", "name": "Amy", "email": "amy@example.com"}]}
    ]
    manager = crowded.data(q, role="MANAGER")["rep"]["teams"][0]["members"]
    assert {m["id"] for m in manager} == {"r-amy", "r-cat"}
    covered = crowded.data(
        '{ account(id: "acme") { coveredBy { team { id members { id } } } } }', role="MANAGER"
    )["account"]["coveredBy"]
    west = next(c["team"] for c in covered if c["team"] and c["team"]["id"] == "t-west")
    assert west["members"] == []  # bob is not the east manager's to see


def test_a_foreign_reps_grade_and_accounts_stay_hidden_through_coverage(crowded: Api) -> None:
    q = '{ account(id: "acme") { coveredBy { rep { id accounts { id } } } } }'
    reps = {
        c["rep"]["id"]: c["rep"]
        for c in crowded.data(q, role="REP")["account"]["coveredBy"]
        if c["rep"]
    }
    assert {a["id"] for a in reps["r-bob"]["accounts"]} == {"acme"}
    body = crowded(
        '{ account(id: "acme") { coveredBy { rep { id grade(asOf: "2026-06-30") { grade } } } } }',
        role="REP",
    )
    assert "FORBIDDEN" in _codes(body)
    body = crowded("{ portfolioFindings { rep { id } account { id } } }", role="REP")
    assert not body.get("errors")
    assert all(
        (f["account"] or {}).get("id") in (None, "acme", "acme-north")
        for f in body["data"]["portfolioFindings"]
    )


def test_a_rival_rep_who_knows_an_own_contact_shows_only_id_and_name(api: Api) -> None:
    """Issue 9 item 11: ``knownBy { rep }`` is the same restricted view ``rep(id)`` gives."""
    api.store.write(
        GraphBatch(relationships=[_rel("KNOWS", "Rep", "r-bob", "Contact", "a-cio", level=2)])
    )
    q = """{ contact(id: "a-cio") { knownBy { level rep { id name email industryExpert
             teams { name } accounts { id } } } } }"""
    known = api.data(q, role="REP")["contact"]["knownBy"]
    assert known == [
        {
            "level": 2,
            "rep": {
                "id": "r-bob",
                "name": "Bob",
                "email": None,
                "industryExpert": None,
                "teams": [],
                "accounts": [],
            },
        }
    ]
    full = api.data(q, role="ADMIN")["contact"]["knownBy"][0]["rep"]
    assert full["email"] == "bob@example.com" and full["industryExpert"] is True
    assert full["teams"] == [{"name": "Strategic West"}]


def test_a_rep_may_edit_their_name_but_not_make_themselves_an_industry_expert(api: Api) -> None:
    ok = api.data(
        'mutation { upsertRep(input: {id: "r-amy", email: "amy@new.example"}) { email } }',
        role="REP",
    )
    assert ok["upsertRep"]["email"] == "amy@new.example"
    err = api.error(
        'mutation { upsertRep(input: {id: "r-amy", industryExpert: true}) { id } }', role="REP"
    )
    assert err["extensions"] == {"code": "FORBIDDEN", "field": "input.industryExpert"}
    assert api.data('{ rep(id: "r-amy") { industryExpert } }')["rep"]["industryExpert"] is False
    # an admin may
    api.data('mutation { upsertRep(input: {id: "r-amy", industryExpert: true}) { id } }')


# ------------------------------------------------------------ escalation by writing


@pytest.mark.parametrize(
    ("role", "mutation"),
    [
        ("REP", 'assignCoverage(companyId: "globex", repId: "r-amy") { relationshipsCreated }'),
        (
            "REP",
            'assignCoverage(companyId: "acme", repId: "r-amy", kind: SUPPORT) { relationshipsCreated }',
        ),
        ("MANAGER", 'assignCoverage(companyId: "globex", repId: "r-amy") { relationshipsCreated }'),
        (
            "MANAGER",
            'assignCoverage(companyId: "globex", teamId: "t-east") { relationshipsCreated }',
        ),
        ("MANAGER", 'assignCoverage(companyId: "acme", repId: "r-bob") { relationshipsCreated }'),
        (
            "MANAGER",
            'unassignCoverage(companyId: "acme-south", repId: "r-bob") { relationshipsDeleted }',
        ),
        ("REP", 'unassignCoverage(companyId: "acme", repId: "r-amy") { relationshipsDeleted }'),
        ("ANALYST", 'assignCoverage(companyId: "acme", repId: "r-amy") { relationshipsCreated }'),
        ("MANAGER", 'upsertTeam(input: {id: "t-east", memberIds: ["r-bob"]}) { id }'),
        ("REP", 'upsertTeam(input: {id: "t-west", memberIds: ["r-amy"]}) { id }'),
        ("MANAGER", 'upsertRep(input: {id: "r-amy", name: "Amy"}) { id }'),
        ("REP", 'upsertRep(input: {id: "r-new", name: "New"}) { id }'),
        ("REP", 'upsertRep(input: {id: "r-bob", name: "Bobby"}) { id }'),
        (
            "REP",
            'importDataset(dataset: {relationships: [{type: "COVERS", from: "r-amy", '
            'to: "globex", kind: "OWNER", from_label: "Rep"}]}) { relationshipsCreated }',
        ),
        (
            "MANAGER",
            'importDataset(dataset: {relationships: [{type: "MEMBER_OF", from: "r-bob", '
            'to: "t-east"}]}) { relationshipsCreated }',
        ),
        ("ANALYST", "importDataset(dataset: {competitors: []}) { nodesCreated }"),
        ("REP", 'upsertCompany(input: {id: "new-co", name: "New Co"}) { id }'),
        ("MANAGER", 'upsertCompany(input: {id: "new-co", name: "New Co"}) { id }'),
    ],
)
def test_no_escalation_by_coverage_teams_reps_or_import(api: Api, role: str, mutation: str) -> None:
    err = api.error(f"mutation {{ {mutation} }}", role=role)
    # an account the caller may not see is not found; what they see but may not do is
    # forbidden
    foreign = role in ("REP", "MANAGER") and any(
        f'companyId: "{c}"' in mutation for c in ("globex", "acme-south")
    )
    assert err["extensions"]["code"] == ("NOT_FOUND" if foreign else "FORBIDDEN"), err
    visible = api.data("{ accounts(first: 100) { edges { node { id } } } }", role=role)
    ids = {e["node"]["id"] for e in visible["accounts"]["edges"]}
    if role in ("REP", "MANAGER"):
        assert ids == {"acme", "acme-north"}


@pytest.mark.parametrize(
    ("name", "mutation", "field"),
    [
        (
            "new contact in a foreign department",
            'upsertContact(input: {id: "x-new", name: "X", departmentId: "d-globex-exec"}) { id }',
            "input.departmentId",
        ),
        (
            "new department under a foreign one",
            'upsertDepartment(input: {id: "d-x", name: "X", parentDepartmentId: "d-globex-exec"}) { id }',
            "input.parentDepartmentId",
        ),
        (
            "own department moved to a foreign account",
            'upsertDepartment(input: {id: "d-acme-it", companyId: "globex"}) { id }',
            "input.companyId",
        ),
        (
            "own opportunity moved to a foreign account",
            'upsertOpportunity(input: {id: "o-acme", companyId: "globex"}) { id }',
            "input.companyId",
        ),
        (
            "new opportunity for a foreign account",
            'upsertOpportunity(input: {id: "o-x", name: "X", companyId: "acme-south"}) { id }',
            "input.companyId",
        ),
        (
            "interaction about a foreign opportunity",
            'logInteraction(input: {kind: CALL, companyId: "acme", opportunityId: "o-globex"}) { id }',
            "input.opportunityId",
        ),
        (
            "interaction attended by a foreign contact",
            'logInteraction(input: {kind: CALL, companyId: "acme", contactIds: ["a-ceo", "g-ceo"]}) { id }',
            "input.contactIds[1]",
        ),
        (
            "changing bob's interaction",
            'upsertInteraction(input: {id: "i-1", notes: "x"}) { id }',
            "input.id",
        ),
        (
            "stance of an own contact in a foreign deal",
            'setStance(contactId: "a-cio", stance: BLOCKER, opportunityId: "o-globex") { id }',
            "opportunityId",
        ),
        (
            "own contact's role in a foreign deal",
            'assignRole(contactId: "a-cio", opportunityId: "o-globex", role: USER) { relationshipsCreated }',
            "opportunityId",
        ),
        (
            "removing a foreign tie",
            'unlink(type: INFLUENCES, fromId: "g-cto", toId: "a-cio") { relationshipsDeleted }',
            "fromId",
        ),
        (
            "own level with a foreign contact",
            'setRelationshipLevel(repId: "r-amy", contactId: "g-cto", level: 4) { id }',
            "contactId",
        ),
        (
            "embed token of a foreign opportunity",
            'embedToken(accountId: "acme", opportunityId: "o-globex") { token }',
            "opportunityId",
        ),
    ],
)
def test_a_rep_cannot_write_into_a_foreign_account(
    api: Api, name: str, mutation: str, field: str
) -> None:
    before = api.store.export()
    err = api.error(f"mutation {{ {mutation} }}", role="REP")
    if name == "changing bob's interaction":  # amy's own interaction: only an ADMIN edits
        assert err["extensions"]["code"] == "FORBIDDEN"
    else:  # the foreign record is not amy's to see: not found, as one that does not exist
        assert err["extensions"] == {"code": "NOT_FOUND", "field": field}, name
    assert _no_foreign_name(err["message"])
    after = api.store.export()
    assert (len(after.nodes), len(after.relationships)) == (
        len(before.nodes),
        len(before.relationships),
    )


def test_an_analyst_and_an_anonymous_demo_caller_write_nothing(store: GraphStore) -> None:
    writes = [
        'upsertCompetitor(input: {id: "k-rival", name: "X"}) { id }',
        'setStance(contactId: "a-cio", stance: CHAMPION) { id }',
        'logInteraction(input: {kind: CALL, companyId: "acme"}) { id }',
        'upsertRep(input: {id: "r-amy", name: "Amy"}) { id }',
        'assignCoverage(companyId: "acme", repId: "r-amy") { relationshipsCreated }',
        "importDataset(dataset: {competitors: []}) { nodesCreated }",
    ]
    for api in make_api(store, demo_mode=True):
        for m in writes:
            for role in ("ANALYST", None):
                body = api(f"mutation {{ {m} }}", role=role)
                assert _codes(body) == ["FORBIDDEN"], (role, m, body)


# ------------------------------------------------------------------- reads


def _no_foreign_name(text: str) -> bool:
    return not any(n in text for n in FOREIGN_NAMES)


def test_aliases_and_fragments_do_not_reach_foreign_data(api: Api) -> None:
    body = api(
        """fragment C on Contact { id name company { id name } }
           fragment A on Account { id name contacts { edges { node { ...C } } } }
           { mine: account(id: "acme") { ...A }
             theirs: account(id: "globex") { ...A }
             alsoTheirs: contact(id: "g-cto") { ...C }
             deal: opportunity(id: "o-globex") { id name roles { contact { ...C } } }
             visit: interaction(id: "i-1") { id } }""",
        role="REP",
    )
    data = body["data"]
    assert data["mine"]["id"] == "acme"
    assert data["theirs"] is None and data["alsoTheirs"] is None and data["deal"] is None
    assert sorted(_codes(body)) == ["NOT_FOUND"] * 3
    assert _no_foreign_name(str(body))


def test_account_list_filters_and_cursors_stay_within_visible_accounts(api: Api) -> None:
    q = """query($f: AccountFilter, $after: String, $sort: AccountSort) {
        accounts(filter: $f, after: $after, first: 100, sort: $sort) {
          totalCount edges { cursor node { id } } } }"""
    for f in (
        {"ids": ["globex", "acme-south"]},
        {"ownerRepId": "r-bob"},
        {"teamId": "t-west"},
        {"nameContains": "Glob"},
        {"region": ["West"]},
    ):
        for sort in (None, {"field": "NAME", "direction": "DESC"}):
            d = api.data(q, {"f": f, "sort": sort}, role="REP")["accounts"]
            ids = {e["node"]["id"] for e in d["edges"]}
            assert ids <= {"acme", "acme-north"} and d["totalCount"] == len(ids), (f, d)
    # a cursor taken from the admin's list does not widen amy's page
    admin = api.data(q, {"f": None})["accounts"]["edges"]
    for edge in admin:
        body = api(q, {"f": None, "after": edge["cursor"]}, role="REP")
        if not body.get("errors"):
            ids = {e["node"]["id"] for e in body["data"]["accounts"]["edges"]}
            assert ids <= {"acme", "acme-north"}


def test_forbidden_errors_name_no_foreign_record(api: Api) -> None:
    queries = [
        ('{ account(id: "globex") { id } }', "REP"),
        ('{ contact(id: "g-cto") { id } }', "REP"),
        ('{ opportunity(id: "o-globex") { id } }', "MANAGER"),
        ('{ rep(id: "r-bob") { id } }', "REP"),
        ('{ team(id: "t-west") { id } }', "MANAGER"),
        ('{ account(id: "acme") { pathsTo(contactId: "g-cto") { cost } } }', "REP"),
        ('{ account(id: "acme") { coverage(opportunityId: "o-globex") { ratio } } }', "REP"),
        (
            '{ account(id: "acme") { whatIf(changes: [{contactLeaves: {contactId: "g-cto"}}]) '
            "{ after { health { status } } } } }",
            "REP",
        ),
    ]
    for q, role in queries:
        body = api(q, role=role)
        assert body.get("errors"), q
        assert _no_foreign_name(str(body["errors"])), body


def test_analytics_of_an_own_account_mask_foreign_contacts(api: Api) -> None:
    body = api.data(
        """{ account(id: "acme") {
             influence(asOf: "2026-06-30") { contact { id name } }
             analysis(asOf: "2026-06-30") { effectiveLevels influence { contact { id } } }
             nextBestContacts(asOf: "2026-06-30") { contact { id name } path { steps { to { id name } } } }
             coverage(asOf: "2026-06-30") { chain { id } holes { suggestions { contact { id name } } } }
             contacts { edges { node { id reportsTo { id } directReports { id }
                 ties { contact { id name } } roles { opportunity { id } } } } }
           } }""",
        role="REP",
    )
    assert _no_foreign_name(str(body)) and "g-cto" not in str(body)


def test_changes_since_show_only_own_contacts_events(api: Api) -> None:
    api.data('mutation { setStance(contactId: "g-cto", stance: CHAMPION) { id } }')
    api.data('mutation { setStance(contactId: "a-cio", stance: SUPPORTER) { id } }')
    events = api.data(
        '{ account(id: "acme") { changes(since: "2000-01-01T00:00:00Z") { contactId } } }',
        role="REP",
    )["account"]["changes"]
    assert {e["contactId"] for e in events} == {"a-cio"}


def test_a_foreign_role_holder_in_an_own_deal_is_masked(api: Api) -> None:
    api.store.write(
        GraphBatch(
            relationships=[
                _rel("HAS_ROLE", "Contact", "g-cto", "Opportunity", "o-acme", role="USER")
            ]
        )
    )
    roles = api.data(
        '{ opportunity(id: "o-acme") { roles { role contact { id name } } } }', role="REP"
    )["opportunity"]["roles"]
    assert {"role": "USER", "contact": None} in roles
    assert _no_foreign_name(str(roles))


def test_whitespace_of_a_group_does_not_reveal_foreign_branches_wins(api: Api) -> None:
    api.data(
        'mutation { upsertOpportunity(input: {id: "o-south", name: "MES south", status: WON, '
        'stage: IMPLEMENTATION, products: ["MES"], closeDate: "2026-04-01", '
        'companyId: "acme-south"}) { id } }'
    )
    q = """{ whitespace(asOf: "2026-06-30") { headquarters { id }
            items { product account { id } }
            programmes { product firstWon lastWon branches { id } } } }"""
    admin = api.data(q)["whitespace"][0]["programmes"]
    assert admin and admin[0]["lastWon"] == "2026-04-01"
    for role in ("REP", "REP_BOB", "MANAGER", "MANAGER_WEST"):
        body = api.data(q, role=role)["whitespace"]
        assert "2026-04-01" not in str(body) or role in ("REP_BOB", "MANAGER_WEST"), role
        assert "2026-03-01" not in str(body) or role in ("REP", "MANAGER"), role
    # amy owns the headquarters: §3.13 flags the programme for her, without bob's dates
    (programme,) = api.data(q, role="REP")["whitespace"][0]["programmes"]
    assert programme["product"] == "MES"
    assert programme["firstWon"] is None and programme["lastWon"] is None
    assert [b["id"] for b in programme["branches"]] == ["acme-north"]


def test_a_widget_token_speaks_for_its_key_as_configured_now() -> None:
    from stakegraph.service.access import ApiKey, Role, hash_api_key
    from stakegraph.service.embed import (
        InvalidEmbedToken,
        mint_embed_token,
        token_principal,
        verify_embed_token,
    )

    amy = ApiKey(name="amy", key_sha256=hash_api_key("k"), role=Role.REP, rep_id="r-amy")
    token = mint_embed_token("s3cret", "acme", "political", 60, subject="amy")
    claims = verify_embed_token("s3cret", token, account_id="acme")
    assert token_principal(claims, [amy], demo_mode=False).rep_id == "r-amy"
    with pytest.raises(InvalidEmbedToken, match="no longer configured"):
        token_principal(claims, [], demo_mode=False)  # the key was revoked
    anonymous = mint_embed_token("s3cret", "acme", "org", 60, subject="anonymous")
    anon = verify_embed_token("s3cret", anonymous, account_id="acme")
    assert token_principal(anon, [], demo_mode=True).anonymous
    with pytest.raises(InvalidEmbedToken):
        token_principal(anon, [], demo_mode=False)
    body, sig = token.split(".")
    import base64
    import json

    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["sub"] = "admin"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidEmbedToken):
        verify_embed_token("s3cret", f"{forged}.{sig}", account_id="acme")


def _whitespace_section(html: str) -> str:
    assert '<section id="whitespace-section">' in html
    return html.split('<section id="whitespace-section">', 1)[1].split("</section>", 1)[0]


def test_the_whitespace_on_a_branchs_map_does_not_reveal_foreign_branches(api: Api) -> None:
    """§3.13 on the map: bob's branch (acme-south) won MES and CRM; amy sees the group's
    headquarters and her branch only, so her map names neither bob's branch nor its
    dates, and lists no product only bob's branch bought."""
    for oid, product in (("o-south", "MES"), ("o-south-crm", "CRM")):
        api.data(
            f'mutation {{ upsertOpportunity(input: {{id: "{oid}", name: "{product} south", '
            'status: WON, stage: IMPLEMENTATION, products: ["' + product + '"], '
            'closeDate: "2026-04-01", companyId: "acme-south"}) { id } }'
        )

    def section(account: str, role: str, lang: str = "en") -> str:
        r = api.client.get(
            f"/accounts/{account}/map",
            params={"asOf": "2026-06-30", "lang": lang},
            headers={"X-API-Key": KEYS[role][0]},
        )
        assert r.status_code == 200, r.text
        return _whitespace_section(r.text)

    admin = section("acme-north", "ADMIN")
    assert "<strong>CRM</strong>" in admin and "Acme South" in admin and "2026-04-01" in admin
    assert "Likely headquarters programmes" in admin and "2026-03-01" in admin
    for account in ("acme-north", "acme"):
        amy = section(account, "REP")
        assert "Acme South" not in amy and "acme-south" not in amy, account
        assert "2026-04-01" not in amy and "CRM" not in amy, account
        # the headquarters' owner is told of the programme, without bob's dates
        assert "<strong>MES</strong>" in amy and "2026-03-01" not in amy, account
    bob = section("acme-south", "REP_BOB", "zh")
    assert "空白产品" in bob and "Acme North" not in bob and "2026-03-01" not in bob
    assert (
        api.client.get(
            "/accounts/acme-south/map", headers={"X-API-Key": KEYS["REP"][0]}
        ).status_code
        == 404
    )
