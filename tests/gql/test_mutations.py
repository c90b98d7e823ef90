"""Mutations: validated, atomic, coded errors naming the field, change events recorded."""

from __future__ import annotations

from datetime import UTC, datetime

from stakegraph.graph.model import Label, RelType

from .conftest import Api

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _rels(api: Api, t: RelType, frm: str) -> list:
    return api.store.relationships(t, from_ids=[frm])


def test_upsert_contact_creates_in_a_department_and_updates_only_given_fields(api: Api) -> None:
    m = """mutation($i: ContactInput!) { upsertContact(input: $i) { id name title stance
        department { id } company { id } } }"""
    made = api.data(
        m, {"i": {"id": "a-new", "name": "New Person", "title": "PM", "departmentId": "d-acme-it"}}
    )["upsertContact"]
    assert made == {
        "id": "a-new",
        "name": "New Person",
        "title": "PM",
        "stance": "UNKNOWN",
        "department": {"id": "d-acme-it"},
        "company": {"id": "acme"},
    }
    changed = api.data(m, {"i": {"id": "a-new", "stance": "SUPPORTER"}})["upsertContact"]
    assert changed["title"] == "PM" and changed["stance"] == "SUPPORTER"  # title kept
    cleared = api.data(m, {"i": {"id": "a-new", "title": None}})["upsertContact"]
    assert cleared["title"] is None
    events = api.store.changes_since(EPOCH, contact_ids=["a-new"])
    assert [(e.field, e.old, e.new, e.by) for e in events] == [
        ("stance", "UNKNOWN", "SUPPORTER", "admin")
    ]


def test_upsert_generates_an_id_when_none_is_given(api: Api) -> None:
    m = 'mutation { upsertCompetitor(input: {name: "NewCo"}) { id name } }'
    c = api.data(m)["upsertCompetitor"]
    assert c["id"].startswith("competitor-") and c["name"] == "NewCo"


def test_every_label_can_be_upserted(api: Api) -> None:
    d = api.data("""mutation {
      c: upsertCompany(input: {id: "initech", name: "Initech", tier: SMB, strategicFit: 3}) { id tier }
      d: upsertDepartment(input: {id: "d-ini", name: "Ops", companyId: "initech", isKey: true}) { id company { id } }
      d2: upsertDepartment(input: {id: "d-ini-sub", name: "Ops sub", parentDepartmentId: "d-ini"}) { parent { id } company { id } }
      o: upsertOpportunity(input: {id: "o-ini", name: "Deal", companyId: "initech", products: ["X"], closeDate: "2026-12-31"}) { id account { id } closeDate }
      r: upsertRep(input: {id: "r-new", name: "Neo", industryExpert: true}) { id industryExpert }
      t: upsertTeam(input: {id: "t-new", name: "Gov", kind: GOVERNMENT, memberIds: ["r-new"]}) { id members { id } }
      k: upsertCompetitor(input: {id: "k-2", name: "K2"}) { id }
    }""")
    assert d["d"]["company"] == {"id": "initech"}
    assert d["d2"] == {"parent": {"id": "d-ini"}, "company": {"id": "initech"}}
    assert d["o"] == {"id": "o-ini", "account": {"id": "initech"}, "closeDate": "2026-12-31"}
    assert d["t"]["members"] == [{"id": "r-new"}]


def test_invalid_input_is_bad_user_input_naming_the_field_and_writes_nothing(api: Api) -> None:
    before = api.store.counts()
    err = api.error('mutation { upsertCompany(input: {id: "acme", strategicFit: 9}) { id } }')
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert err["extensions"]["field"] == "input.strategicFit"
    err = api.error('mutation { upsertContact(input: {id: "x", name: "No dept"}) { id } }')
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "input.departmentId"}
    err = api.error('mutation { upsertContact(input: {name: "X", departmentId: "d-none"}) { id } }')
    assert err["extensions"] == {"code": "NOT_FOUND", "field": "input.departmentId"}
    err = api.error(
        'mutation { upsertContact(input: {id: "", name: "X", departmentId: "d-acme-it"}) { id } }'
    )
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert api.store.counts() == before


def test_set_stance_records_a_change_event_and_per_deal_override(api: Api) -> None:
    c = api.data('mutation { setStance(contactId: "a-cfo", stance: BLOCKER) { stance } }')
    assert c["setStance"]["stance"] == "BLOCKER"
    api.data(
        'mutation { setStance(contactId: "a-cio", stance: CHAMPION, opportunityId: "o-acme") { id } }'
    )
    role = next(r for r in _rels(api, RelType.HAS_ROLE, "a-cio") if r.to_id == "o-acme")
    assert role.properties == {"role": "TECHNICAL_EVALUATOR", "stance": "CHAMPION"}
    fields = {(e.entity, e.field, e.new) for e in api.store.changes_since(EPOCH)}
    assert ("Contact", "stance", "BLOCKER") in fields and (
        "HAS_ROLE",
        "stance",
        "CHAMPION",
    ) in fields
    err = api.error(
        'mutation { setStance(contactId: "a-eng", stance: CHAMPION, opportunityId: "o-acme") { id } }'
    )
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "opportunityId"}


def test_set_relationship_level_validates_the_level(api: Api) -> None:
    # as of today: the tie is created now, so on any earlier day it did not exist (§3.17)
    today = datetime.now(UTC).date().isoformat()
    m = (
        'mutation($l: Int!) { setRelationshipLevel(repId: "r-amy", contactId: "a-cio", '
        f'level: $l, lastContactAt: "{today}T00:00:00Z") {{ effectiveLevel(asOf: "{today}") }} }}'
    )
    assert api.data(m, {"l": 3})["setRelationshipLevel"]["effectiveLevel"] == 3
    err = api.error(m, {"l": 7})
    assert err["extensions"]["code"] == "BAD_USER_INPUT" and err["extensions"]["field"] == "level"
    events = [e for e in api.store.changes_since(EPOCH) if e.entity == "KNOWS"]
    assert [(e.entity_id, e.old, e.new) for e in events] == [("r-amy->a-cio", None, 3)]


def test_link_and_unlink_ties(api: Api) -> None:
    m = 'mutation { link(type: INFLUENCES, fromId: "a-cfo", toId: "a-cio", strength: 2) { relationshipsCreated } }'
    assert api.data(m)["link"]["relationshipsCreated"] == 1
    assert [r.properties for r in _rels(api, RelType.INFLUENCES, "a-cfo")] == [{"strength": 2}]
    for t in ("REPORTS_TO", "ALLY_OF", "RIVAL_OF"):
        api.data(
            f'mutation {{ link(type: {t}, fromId: "a-eng", toId: "a-cfo") {{ relationshipsCreated }} }}'
        )
    u = api.data(
        'mutation { unlink(type: RIVAL_OF, fromId: "a-eng", toId: "a-cfo") { relationshipsDeleted } }'
    )
    assert u["unlink"]["relationshipsDeleted"] == 1
    assert not _rels(api, RelType.RIVAL_OF, "a-eng")
    err = api.error(
        'mutation { unlink(type: RIVAL_OF, fromId: "a-eng", toId: "a-cfo") { relationshipsDeleted } }'
    )
    assert err["extensions"]["code"] == "NOT_FOUND"
    err = api.error(
        'mutation { link(type: INFLUENCES, fromId: "a-cfo", toId: "a-ceo", strength: 5) { relationshipsCreated } }'
    )
    assert err["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "strength",
        "errors": [{"field": "strength", "reason": "5: Input should be less than or equal to 3"}],
    }
    err = api.error(
        'mutation { link(type: ALLY_OF, fromId: "a-cfo", toId: "a-cfo") { relationshipsCreated } }'
    )
    assert err["extensions"]["code"] == "BAD_USER_INPUT"


def test_assign_and_remove_role_record_change_events(api: Api) -> None:
    m = 'mutation { assignRole(contactId: "a-cfo", opportunityId: "o-acme", role: FINANCIAL_CONTROLLER) { relationshipsCreated changesRecorded } }'
    assert api.data(m)["assignRole"] == {"relationshipsCreated": 1, "changesRecorded": 1}
    r = api.data(
        'mutation { removeRole(contactId: "a-cfo", opportunityId: "o-acme") { relationshipsDeleted } }'
    )
    assert r["removeRole"]["relationshipsDeleted"] == 1
    events = [
        (e.field, e.old, e.new) for e in api.store.changes_since(EPOCH) if e.entity == "HAS_ROLE"
    ]
    assert events == [
        ("role", None, "FINANCIAL_CONTROLLER"),
        ("role", "FINANCIAL_CONTROLLER", None),
    ]
    err = api.error(
        'mutation { assignRole(contactId: "a-cfo", opportunityId: "o-globex", role: USER) { relationshipsCreated } }'
    )
    assert err["extensions"]["code"] == "BAD_USER_INPUT"


def test_log_interaction_links_attendees_and_subject(api: Api) -> None:
    m = """mutation { logInteraction(input: {kind: MEETING, purpose: PROGRESS, notes: "demo",
        opportunityId: "o-acme", repIds: ["r-amy"], contactIds: ["a-cio", "a-cfo"]}) {
        id kind reps { id } contacts { id } } }"""
    i = api.data(m)["logInteraction"]
    assert i["kind"] == "MEETING" and i["reps"] == [{"id": "r-amy"}]
    assert [c["id"] for c in i["contacts"]] == ["a-cfo", "a-cio"]
    about = api.store.relationships(RelType.ABOUT, from_ids=[i["id"]])
    assert [(r.to_label, r.to_id) for r in about] == [(Label.OPPORTUNITY, "o-acme")]
    err = api.error("mutation { logInteraction(input: {kind: CALL}) { id } }")
    assert err["extensions"]["code"] == "BAD_USER_INPUT"


def test_assign_and_unassign_coverage(api: Api) -> None:
    m = 'mutation { assignCoverage(companyId: "globex", teamId: "t-east", kind: SUPPORT) { relationshipsCreated } }'
    assert api.data(m)["assignCoverage"]["relationshipsCreated"] == 1
    u = 'mutation { unassignCoverage(companyId: "globex", teamId: "t-east") { relationshipsDeleted } }'
    assert api.data(u)["unassignCoverage"]["relationshipsDeleted"] == 1
    err = api.error(
        'mutation { assignCoverage(companyId: "globex", repId: "r-amy", teamId: "t-east") { relationshipsCreated } }'
    )
    assert err["extensions"]["code"] == "BAD_USER_INPUT"


def test_import_dataset_is_validated_whole_and_reports_positions(api: Api) -> None:
    m = "mutation($d: JSON!) { importDataset(dataset: $d) { nodesCreated relationshipsCreated } }"
    ok = {
        "companies": [{"id": "umbrella", "name": "Umbrella"}],
        "departments": [{"id": "d-u", "name": "R&D", "company_id": "umbrella"}],
    }
    assert api.data(m, {"d": ok})["importDataset"] == {"nodesCreated": 2, "relationshipsCreated": 1}
    before = api.store.counts()
    bad = {"companies": [{"id": "x1", "name": "Fine"}, {"id": "x2", "name": "Bad", "tier": "HUGE"}]}
    err = api.error(m, {"d": bad})
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert err["extensions"]["errors"][0]["position"] == "companies[1]"
    assert api.store.counts() == before


def test_embed_token_mutation_returns_a_token_and_url(api: Api) -> None:
    t = api.data('mutation { embedToken(accountId: "acme", view: ORG) { token url expiresAt } }')
    assert t["embedToken"]["url"].endswith("token=" + t["embedToken"]["token"])
    assert "view=org" in t["embedToken"]["url"]


def test_mutations_run_in_order_and_later_fields_see_earlier_writes(api: Api) -> None:
    d = api.data("""mutation {
      a: setStance(contactId: "a-eng", stance: SUPPORTER) { stance }
      b: setStance(contactId: "a-eng", stance: CHAMPION) { stance company { balance(asOf: "2026-06-30") { supporters } } }
    }""")
    assert d["b"]["stance"] == "CHAMPION"
    assert d["b"]["company"]["balance"]["supporters"] >= 1
