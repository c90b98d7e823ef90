"""Relationship plans over GraphQL (§3.18): setPlanTarget / removePlanTarget and
``account { plan { targets gap } }``, with an ADMIN and a REP key, on both stores."""

from __future__ import annotations

from typing import Any

from tests.gql.conftest import AS_OF, Api

SET = """
mutation($input: PlanTargetInput!) {
  setPlanTarget(input: $input) { id accountId level role contactId opportunityId repId due note }
}
"""
REMOVE = "mutation($id: ID!) { removePlanTarget(id: $id) { id accountId } }"
PLAN = """
query($id: ID!, $asOf: Date) {
  account(id: $id) {
    plan {
      targets { id level role due note contact { id name } rep { id name } }
      gap(asOf: $asOf) {
        targetId overdue targetLevel level role
        contact { id } holders { id }
        gradeBefore gradeAfter gradeGain scoreGain ratioGain
        path { probability steps { type } }
      }
    }
  }
}
"""


def _set(api: Api, key: str = "ADMIN", **fields: Any) -> dict[str, Any]:
    data = api.data(SET, {"input": fields}, role=key)
    return data["setPlanTarget"]


def _plan(api: Api, role: str = "ADMIN") -> dict[str, Any]:
    data = api.data(PLAN, {"id": "acme", "asOf": AS_OF.isoformat()}, role=role)
    return data["account"]["plan"]


def test_an_admin_sets_targets_and_the_gap_lists_the_unmet_ones_overdue_first(api: Api) -> None:
    cio = _set(
        api,
        accountId="acme",
        level=2,
        repId="r-amy",
        contactId="a-cio",
        due="2026-07-31",
        note="<b>before the steering committee</b>",
    )
    assert cio["contactId"] == "a-cio" and cio["role"] is None and cio["repId"] == "r-amy"
    # met: amy knows the CEO, the ECONOMIC_BUYER, at 3 (met 2026-06-01)
    eb = _set(api, accountId="acme", level=3, repId="r-amy", role="ECONOMIC_BUYER")
    # overdue (due before 2026-06-30): first in the gap although created last
    te = _set(
        api,
        accountId="acme",
        level=2,
        repId="r-amy",
        role="TECHNICAL_EVALUATOR",
        opportunityId="o-acme",
        due="2026-06-01",
    )
    plan = _plan(api)
    assert sorted(t["id"] for t in plan["targets"]) == sorted([cio["id"], eb["id"], te["id"]])
    by_id = {t["id"]: t for t in plan["targets"]}
    assert by_id[cio["id"]]["contact"] == {"id": "a-cio", "name": "Li Ming"}
    assert by_id[cio["id"]]["rep"] == {"id": "r-amy", "name": "Amy"}
    assert by_id[cio["id"]]["note"] == "<b>before the steering committee</b>"
    assert by_id[eb["id"]]["contact"] is None and by_id[eb["id"]]["role"] == "ECONOMIC_BUYER"

    gap = plan["gap"]
    assert [i["targetId"] for i in gap] == [te["id"], cio["id"]]
    first, second = gap
    assert first["overdue"] is True and second["overdue"] is False
    # the TECHNICAL_EVALUATOR is the CIO, whom nobody knows: level 0
    assert first["holders"] == [{"id": "a-cio"}] and first["contact"] == {"id": "a-cio"}
    assert first["level"] == 0 and second["level"] == 0 and second["targetLevel"] == 2
    # best path: bob KNOWS globex's CTO (4 → 1.0), who INFLUENCES the CIO (3 → 1.0)
    assert second["path"]["probability"] == 1.0
    assert [s["type"] for s in second["path"]["steps"]] == ["KNOWS", "INFLUENCES"]
    # the gain is the next best contact's (§3.12)
    nbc = api.data(
        'query($d: Date) { account(id: "acme") { nextBestContacts(k: 10, asOf: $d) '
        "{ contact { id } scoreGain gradeGain ratioGain } } }",
        {"d": AS_OF.isoformat()},
    )["account"]["nextBestContacts"]
    cio_gain = next(n for n in nbc if n["contact"]["id"] == "a-cio")
    assert second["scoreGain"] == cio_gain["scoreGain"] > 0
    assert second["ratioGain"] == cio_gain["ratioGain"]

    # a level change (today) meets the target: as of today it leaves the gap, and the
    # role target the CIO holds with it; as of AS_OF the account was as it was (§3.17)
    api.data(
        'mutation { setRelationshipLevel(repId: "r-amy", contactId: "a-cio", level: 2) { id } }'
    )
    today = api.data('query { account(id: "acme") { plan { gap { targetId } } } }')["account"][
        "plan"
    ]["gap"]
    assert {cio["id"], te["id"]}.isdisjoint(i["targetId"] for i in today)
    assert [i["targetId"] for i in _plan(api)["gap"]] == [te["id"], cio["id"]]

    removed = api.data(REMOVE, {"id": cio["id"]})["removePlanTarget"]
    assert removed == {"id": cio["id"], "accountId": "acme"}
    assert cio["id"] not in {t["id"] for t in _plan(api)["targets"]}


def test_replacing_a_contact_target_by_a_role_target_drops_the_contact(api: Api) -> None:
    t = _set(api, accountId="acme", level=2, repId="r-amy", contactId="a-cfo")
    again = _set(
        api, id=t["id"], accountId="acme", level=3, repId="r-amy", role="FINANCIAL_CONTROLLER"
    )
    assert again["id"] == t["id"] and again["contactId"] is None
    (stored,) = _plan(api)["targets"]
    assert stored["contact"] is None and stored["role"] == "FINANCIAL_CONTROLLER"
    assert stored["level"] == 3


def test_a_rep_plans_the_accounts_they_cover_only(api: Api) -> None:
    mine = _set(api, "REP", accountId="acme", level=2, repId="r-amy", contactId="a-cfo")
    assert mine["accountId"] == "acme"
    assert [t["id"] for t in _plan(api, "REP")["targets"]] == [mine["id"]]

    # globex is bob's: for amy it does not exist
    err = api.error(
        SET,
        {"input": {"accountId": "globex", "level": 2, "repId": "r-amy", "contactId": "g-ceo"}},
        role="REP",
    )
    assert err["extensions"]["code"] == "NOT_FOUND"
    # bob may not touch amy's account's plan either
    err = api.error(REMOVE, {"id": mine["id"]}, role="REP_BOB")
    assert err["extensions"]["code"] == "NOT_FOUND"
    err = api.error(PLAN, {"id": "acme", "asOf": AS_OF.isoformat()}, role="REP_BOB")
    assert err["extensions"]["code"] == "NOT_FOUND"
    # an analyst reads but may not change
    err = api.error(REMOVE, {"id": mine["id"]}, role="ANALYST")
    assert err["extensions"]["code"] == "FORBIDDEN"
    assert [t["id"] for t in _plan(api, "ANALYST")["targets"]] == [mine["id"]]


def test_bad_targets_are_refused_and_nothing_is_written(api: Api) -> None:
    cases = [
        ({"contactId": "a-cio", "role": "USER"}, "BAD_USER_INPUT"),
        ({}, "BAD_USER_INPUT"),
        ({"contactId": "g-ceo"}, "BAD_USER_INPUT"),  # a contact of another account
        ({"contactId": "a-cio", "level": 5}, "BAD_USER_INPUT"),
        ({"contactId": "a-cio", "repId": "r-nobody"}, "NOT_FOUND"),
    ]
    for extra, code in cases:
        fields = {"accountId": "acme", "level": 2, "repId": "r-amy"} | extra
        err = api.error(SET, {"input": fields})
        assert err["extensions"]["code"] == code, (extra, err)
    assert _plan(api)["targets"] == []
