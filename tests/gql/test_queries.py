"""Queries read like the contract: entities, connections, and every analytic field.

Each test runs on the embedded store and on Neo4j (the ``api`` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stakegraph.influence.analysis import analyze_account
from stakegraph.service.access import Role
from stakegraph.service.embed import verify_embed_token

from .conftest import AS_OF, Api

ASOF = AS_OF.isoformat()


def test_accounts_is_a_relay_connection_paginated_by_cursor(api: Api) -> None:
    query = """query($after: String) { accounts(first: 2, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id name } } } }"""
    first = api.data(query)["accounts"]
    assert first["totalCount"] == 4
    assert [e["node"]["id"] for e in first["edges"]] == ["acme", "acme-north"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = api.data(query, {"after": first["pageInfo"]["endCursor"]})["accounts"]
    assert [e["node"]["id"] for e in second["edges"]] == ["acme-south", "globex"]
    assert second["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": second["edges"][-1]["cursor"],
    }


def test_accounts_filter_by_tier_region_owner_team_and_name(api: Api) -> None:
    def ids(f: dict) -> list[str]:
        q = "query($f: AccountFilter) { accounts(filter: $f) { edges { node { id } } } }"
        return [e["node"]["id"] for e in api.data(q, {"f": f})["accounts"]["edges"]]

    assert ids({"tier": ["SMB"]}) == ["acme-north", "acme-south"]
    assert ids({"tier": "KEY"}) == ["acme"]  # a single value is a one-item list
    assert ids({"region": ["West"], "industry": ["Energy"]}) == ["globex"]
    assert ids({"ownerRepId": "r-amy"}) == ["acme", "acme-north"]
    assert ids({"teamId": "t-west"}) == ["acme-south", "globex"]
    assert ids({"nameContains": "acme s"}) == ["acme-south"]


def test_accounts_filter_by_grade_and_health_and_sort_by_grade_score(api: Api) -> None:
    q = """query($f: AccountFilter, $s: AccountSort) {
        accounts(filter: $f, sort: $s, asOf: "2026-06-30") {
          totalCount edges { node { id relationshipGrade(asOf: "2026-06-30") { grade score } } } } }"""
    graded = api.data(q, {"f": {"grade": ["INTERMEDIATE", "STRONG"]}})["accounts"]
    assert [e["node"]["id"] for e in graded["edges"]] == ["acme", "globex"]
    by_score = api.data(q, {"s": {"field": "GRADE_SCORE", "direction": "DESC"}})["accounts"]
    scores = [e["node"]["relationshipGrade"]["score"] for e in by_score["edges"]]
    assert scores == sorted(scores, reverse=True)
    yellow = api.data(q, {"f": {"healthStatus": ["YELLOW"]}})["accounts"]
    assert "acme" in [e["node"]["id"] for e in yellow["edges"]]


def test_accounts_sorted_by_name_paginate_with_offset_cursors(api: Api) -> None:
    q = """query($after: String) { accounts(first: 3, after: $after,
        sort: {field: NAME, direction: DESC}) { pageInfo { endCursor hasNextPage }
        edges { node { name } } } }"""
    page = api.data(q)["accounts"]
    assert [e["node"]["name"] for e in page["edges"]] == ["Globex", "Acme South", "Acme North"]
    rest = api.data(q, {"after": page["pageInfo"]["endCursor"]})["accounts"]
    assert [e["node"]["name"] for e in rest["edges"]] == ["Acme Group"]


def test_first_above_the_page_max_is_refused_with_the_field(api: Api) -> None:
    err = api.error("{ accounts(first: 101) { totalCount } }")
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    err = api.error('{ account(id: "acme") { contacts(first: 500) { totalCount } } }')
    assert err["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_bad_cursor_is_bad_user_input(api: Api) -> None:
    err = api.error('{ account(id: "acme") { contacts(after: "%%%") { totalCount } } }')
    assert err["extensions"]["code"] == "BAD_USER_INPUT"


def test_account_structure_departments_contacts_opportunities(api: Api) -> None:
    q = """{ account(id: "acme") { id name tier industry region
        departments { id name function isKey }
        contacts(first: 2, filter: {status: [ACTIVE]}) { totalCount pageInfo { hasNextPage }
          edges { node { id } } }
        kdms: contacts(filter: {isKdm: true}) { edges { node { id } } }
        it: contacts(filter: {departmentId: "d-acme-it"}) { edges { node { id } } }
        opportunities { id name status products roles { role contact { id } } competitors { name } }
        coveredBy { kind rep { id } team { id } }
        branches { id } } }"""
    a = api.data(q)["account"]
    assert a["tier"] == "KEY" and a["region"] == "East"
    assert [d["id"] for d in a["departments"]] == ["d-acme-exec", "d-acme-fin", "d-acme-it"]
    assert a["contacts"]["totalCount"] == 4 and a["contacts"]["pageInfo"]["hasNextPage"]
    assert [e["node"]["id"] for e in a["kdms"]["edges"]] == ["a-ceo"]
    assert [e["node"]["id"] for e in a["it"]["edges"]] == ["a-cio", "a-eng"]
    assert a["opportunities"] == [
        {
            "id": "o-acme",
            "name": "MES rollout",
            "status": "OPEN",
            "products": ["MES"],
            "roles": [
                {"role": "ECONOMIC_BUYER", "contact": {"id": "a-ceo"}},
                {"role": "TECHNICAL_EVALUATOR", "contact": {"id": "a-cio"}},
            ],
            "competitors": [{"name": "Rival Corp"}],
        }
    ]
    assert a["coveredBy"] == [{"kind": "OWNER", "rep": {"id": "r-amy"}, "team": None}]
    assert [b["id"] for b in a["branches"]] == ["acme-north", "acme-south"]


def test_contact_has_properties_org_chart_ties_roles_level_and_influence(api: Api) -> None:
    q = """{ contact(id: "a-cio") { id name title seniority stance status isKdm
        department { id } company { id }
        reportsTo { id } directReports { id }
        ties { type direction strength masked contact { id } }
        roles { role opportunity { id } }
        knownBy { level rep { id } }
        effectiveLevel(asOf: "2026-06-30")
        influence(asOf: "2026-06-30") { score pagerank betweenness hidden } } }"""
    c = api.data(q)["contact"]
    assert c["title"] == "CIO" and c["seniority"] == "VP" and c["stance"] == "NEUTRAL"
    assert c["department"] == {"id": "d-acme-it"} and c["company"] == {"id": "acme"}
    assert c["reportsTo"] == {"id": "a-ceo"} and c["directReports"] == [{"id": "a-eng"}]
    ties = {(t["type"], t["direction"], (t["contact"] or {}).get("id")) for t in c["ties"]}
    assert ("INFLUENCES", "IN", "g-cto") in ties  # the cross-account tie, visible to an ADMIN
    assert c["roles"] == [{"role": "TECHNICAL_EVALUATOR", "opportunity": {"id": "o-acme"}}]
    assert c["effectiveLevel"] == 0
    assert 0 < c["influence"]["score"] <= 1


def test_contact_profile_is_returned(api: Api) -> None:
    c = api.data('{ contact(id: "a-ceo") { profile { hometown hobbies } } }')["contact"]
    assert c["profile"] == {"hometown": "Suzhou", "hobbies": ["golf"]}


def test_opportunity_rep_and_team_entry_points(api: Api) -> None:
    q = """{ opportunity(id: "o-acme") { id stage account { id } coverage(asOf: "2026-06-30") { ratio }
              balance(asOf: "2026-06-30") { verdict } }
            rep(id: "r-bob") { id name industryExpert teams { id } accounts { id }
              grade(asOf: "2026-06-30") { grade basic intermediate strong } }
            team(id: "t-east") { kind members { id } accounts { id } } }"""
    d = api.data(q)
    assert d["opportunity"]["stage"] == "SOLUTION" and d["opportunity"]["account"] == {"id": "acme"}
    assert d["rep"]["teams"] == [{"id": "t-west"}]
    assert [a["id"] for a in d["rep"]["accounts"]] == ["acme-south", "globex"]
    assert d["rep"]["grade"]["grade"] in {"JUNIOR", "NOVICE"}
    assert d["team"]["members"] == [{"id": "r-amy"}]


def test_unknown_ids_are_not_found(api: Api) -> None:
    for q in (
        '{ account(id: "nope") { id } }',
        '{ contact(id: "nope") { id } }',
        '{ opportunity(id: "nope") { id } }',
        '{ rep(id: "nope") { id } }',
    ):
        assert api.error(q)["extensions"]["code"] == "NOT_FOUND"


def test_analytics_match_the_influence_engine_exactly(api: Api) -> None:
    q = """{ account(id: "acme") {
        relationshipGrade(asOf: "2026-06-30") { grade score }
        coverage(asOf: "2026-06-30") { ratio weightedRatio
          roles { role status atRisk holders { id name } }
          holes { kind role department { id name } reason suggestions { contact { id name } probability } } }
        balance(asOf: "2026-06-30") { value verdict supporters opponents swing { contact { id name } influence } }
        influence(asOf: "2026-06-30") { contact { id name } score pagerank betweenness hidden }
        health(asOf: "2026-06-30") { status signals { code evidence } }
        potential(asOf: "2026-06-30") { score band } } }"""
    a = api.data(q)["account"]
    expected = analyze_account(api.store.account_subgraph("acme"), as_of=AS_OF)
    assert a["relationshipGrade"] == {
        "grade": expected.grade.grade.value,
        "score": pytest.approx(expected.grade.score),
    }
    assert a["coverage"]["ratio"] == pytest.approx(expected.coverage.ratio)
    assert a["coverage"]["weightedRatio"] == pytest.approx(expected.coverage.weighted_ratio)
    assert [r["status"] for r in a["coverage"]["roles"]] == [
        r.status.value for r in expected.coverage.roles
    ]
    assert [(h["kind"], h["role"]) for h in a["coverage"]["holes"]] == [
        (h.kind.value, h.role.value if h.role else None) for h in expected.coverage.holes
    ]
    assert a["balance"]["value"] == pytest.approx(expected.balance.value)
    assert a["balance"]["verdict"] == expected.balance.verdict.value
    assert [i["contact"]["id"] for i in a["influence"]] == [
        c.contact_id for c in expected.influence.contacts
    ]
    assert a["health"]["status"] == expected.health.status.value
    assert a["potential"] == {"score": pytest.approx(4.1), "band": "A"}


def test_coverage_and_balance_of_one_opportunity(api: Api) -> None:
    q = """{ account(id: "acme") {
        coverage(opportunityId: "o-acme", asOf: "2026-06-30") { ratio roles { role status } }
        balance(opportunityId: "o-acme", asOf: "2026-06-30") { value verdict } } }"""
    a = api.data(q)["account"]
    assert a["coverage"]["roles"][0] == {"role": "ECONOMIC_BUYER", "status": "COVERED"}
    err = api.error('{ account(id: "acme") { coverage(opportunityId: "o-globex") { ratio } } }')
    assert err["extensions"] == {"code": "NOT_FOUND", "field": "opportunityId"}


def test_as_of_makes_answers_reproducible(api: Api) -> None:
    q = """{ account(id: "acme") { now: relationshipGrade(asOf: "2026-06-30") { grade }
        later: relationshipGrade(asOf: "2028-01-01") { grade } } }"""
    a = api.data(q)["account"]
    assert a["now"]["grade"] == "INTERMEDIATE"
    assert a["later"]["grade"] == "NONE"  # amy's level 3 with the CEO decays to 1 after a year


def test_paths_to_a_contact_cross_accounts_for_an_admin(api: Api) -> None:
    q = """{ account(id: "acme") { pathsTo(contactId: "a-cio", k: 2, asOf: "2026-06-30") {
        probability steps { from { id name } to { id name } type } } } }"""
    paths = api.data(q)["account"]["pathsTo"]
    assert len(paths) == 2
    assert paths[0]["probability"] == pytest.approx(1.0)
    assert [s["to"]["id"] for s in paths[0]["steps"]] == ["g-cto", "a-cio"]
    assert paths[1]["probability"] <= paths[0]["probability"]


def test_next_best_contacts_and_what_if(api: Api) -> None:
    q = """{ account(id: "acme") {
        nextBestContacts(k: 2, asOf: "2026-06-30") { contact { id } gradeBefore gradeAfter gradeGain scoreGain path { probability } }
        whatIf(asOf: "2026-06-30", changes: [{contactLeaves: {contactId: "a-ceo"}},
                                          {levelBecomes: {repId: "r-amy", contactId: "a-cio", level: 3}}]) {
          before { relationshipGrade { grade } coverage { ratio } }
          after { relationshipGrade { grade } coverage { ratio } balance { verdict } health { status } } } } }"""
    a = api.data(q)["account"]
    assert a["nextBestContacts"][0]["contact"] == {"id": "a-cio"}
    assert a["nextBestContacts"][0]["gradeGain"] >= a["nextBestContacts"][1]["gradeGain"]
    assert a["whatIf"]["before"]["relationshipGrade"]["grade"] == "INTERMEDIATE"
    assert a["whatIf"]["after"]["coverage"]["ratio"] >= 0
    # nothing was written
    assert api.store.get_node(*_contact("a-ceo")).status == "ACTIVE"


def _contact(cid: str):
    from stakegraph.graph.model import Label

    return Label.CONTACT, cid


def test_what_if_refuses_a_change_without_a_kind_and_unknown_contacts(api: Api) -> None:
    q = '{ account(id: "acme") { whatIf(changes: [%s]) { before { potential { band } } } } }'
    err = api.error(q % '{levelBecomes: {repId: "r-amy", contactId: "a-cio", level: 9}}')
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert err["extensions"]["field"].startswith("changes[0]")
    err = api.error(q % '{contactLeaves: {contactId: "ghost"}}')
    assert err["extensions"]["code"] == "NOT_FOUND"


def test_changes_since_lists_recorded_change_events(api: Api) -> None:
    api.data('mutation { setStance(contactId: "a-cio", stance: SUPPORTER) { stance } }')
    q = '{ account(id: "acme") { changes(since: "2000-01-01T00:00:00Z") { entity entityId field old new by } } }'
    changes = api.data(q)["account"]["changes"]
    assert {
        "entity": "Contact",
        "entityId": "a-cio",
        "field": "stance",
        "old": "NEUTRAL",
        "new": "SUPPORTER",
        "by": "admin",
    } in changes


def test_map_url_carries_a_signed_token_for_the_account_and_view(api: Api) -> None:
    url = api.data('{ account(id: "acme") { mapUrl(view: POLITICAL) } }')["account"]["mapUrl"]
    assert url.startswith("https://sg.example.com/embed/accounts/acme?view=political&token=")
    token = url.split("token=")[1]
    claims = verify_embed_token(
        "test-embed-secret-of-at-least-32-bytes", token, account_id="acme", view="political"
    )
    assert claims.expires_at > datetime.now(UTC)


def test_coverage_holes_across_accounts_each_with_its_account(api: Api) -> None:
    q = """query($f: CoverageHoleFilter) { coverageHoles(filter: $f, asOf: "2026-06-30") {
        account { id } kind role department { id } reason suggestions { contact { id } } } }"""
    holes = api.data(q)["coverageHoles"]
    assert {h["account"]["id"] for h in holes} >= {"acme", "globex"}
    missing = api.data(q, {"f": {"kind": ["ROLE_MISSING"], "account": {"tier": ["KEY"]}}})
    assert missing["coverageHoles"]
    assert all(
        h["kind"] == "ROLE_MISSING" and h["account"]["id"] == "acme"
        for h in missing["coverageHoles"]
    )


def test_portfolio_findings(api: Api) -> None:
    q = "{ portfolioFindings { kind detail account { id } rep { id } } }"
    findings = api.data(q)["portfolioFindings"]
    kinds = {(f["kind"], (f["account"] or {}).get("id")) for f in findings}
    # acme-south (SMB, West) is owned by bob, whose team is STRATEGIC, not REGIONAL
    assert ("MISROUTED", "acme-south") in kinds
    only = api.data("{ portfolioFindings(filter: {kind: [MISROUTED]}) { kind } }")
    assert {f["kind"] for f in only["portfolioFindings"]} == {"MISROUTED"}


def test_whitespace_of_branches(api: Api) -> None:
    q = """{ whitespace(asOf: "2026-06-30") { headquarters { id } branches { id }
        items { product account { id } wonBy { id } } programmes { product } } }"""
    groups = api.data(q)["whitespace"]
    assert groups[0]["headquarters"] == {"id": "acme"}
    assert groups[0]["items"] == [
        {"product": "MES", "account": {"id": "acme-south"}, "wonBy": [{"id": "acme-north"}]}
    ]


def test_me_names_the_principal(api: Api) -> None:
    me = api.data("{ me { name role repId teamIds anonymous } }", role="REP")["me"]
    assert me == {
        "name": "rep",
        "role": Role.REP.value,
        "repId": "r-amy",
        "teamIds": [],
        "anonymous": False,
    }


def test_map_url_opens_the_embedded_widget(embedded_api: Api) -> None:
    url = embedded_api.data('{ account(id: "acme") { mapUrl(view: ORG) } }')["account"]["mapUrl"]
    page = embedded_api.client.get(url.removeprefix("https://sg.example.com"))
    assert page.status_code == 200, page.text[:300]
    forged = embedded_api.client.get("/embed/accounts/acme?view=org&token=forged.token")
    assert forged.status_code in (401, 403)


def test_texts_carry_their_code_and_parameters(api: Api) -> None:
    """Holes, health signals, deal warnings and findings: code + params next to the text."""
    from stakegraph.influence.messages import english

    q = """{ account(id: "acme") {
        coverage(asOf: "2026-06-30") { holes { reason code params } }
        health(asOf: "2026-06-30") { signals { code evidence evidenceCode evidenceParams
          evidenceItems { code params } } } }
      coverageHoles(asOf: "2026-06-30") { reason code params }
      portfolioFindings { detail code params }
      dealWarnings(asOf: "2026-06-30") { warnings { evidence evidenceCode evidenceParams } } }"""
    d = api.data(q)
    expected = analyze_account(api.store.account_subgraph("acme"), as_of=AS_OF)
    holes = d["account"]["coverage"]["holes"]
    assert holes and [(h["code"], h["params"]) for h in holes] == [
        (h.code, h.params) for h in expected.coverage.holes
    ]
    for h in [*holes, *d["coverageHoles"]]:
        assert h["code"] and english(h["code"], h["params"]) == h["reason"]
    for s in d["account"]["health"]["signals"]:
        items = [english(i["code"], i["params"]) for i in s["evidenceItems"]]
        assert english(s["evidenceCode"], s["evidenceParams"], items) == s["evidence"]
    warnings = [w for x in d["dealWarnings"] for w in x["warnings"]]
    assert warnings
    for w in warnings:
        assert english(w["evidenceCode"], w["evidenceParams"]) == w["evidence"]
    assert d["portfolioFindings"]
    for f in d["portfolioFindings"]:
        assert f["code"] and english(f["code"], f["params"]) == f["detail"]
