"""§3.19 over GraphQL: ``account { timeline }`` and ``changesSince``, with an ADMIN and
REP keys, on both stores: a rep sees only its own accounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.gql.conftest import Api

TIMELINE = """
query($id: ID!, $from: Date!, $to: Date!, $every: TimelineStep) {
  account(id: $id) {
    timeline(from: $from, to: $to, every: $every) {
      from to every
      points { at grade score coverageRatio balance health events { entityId field old new by } }
    }
  }
}
"""
CHANGES = """
query($since: Date!) {
  changesSince(since: $since) {
    account { id name }
    events { entity entityId contactId field old new by }
    before { at grade score coverageRatio balance health }
    after { at grade health }
  }
}
"""


def _today() -> datetime:
    return datetime.now(UTC)


def test_a_timeline_has_a_point_per_week_end_with_todays_change(api: Api) -> None:
    api.data('mutation { setStance(contactId: "a-cio", stance: BLOCKER) { stance } }')
    today = _today().date()
    start = today - timedelta(days=20)
    t = api.data(
        TIMELINE,
        {"id": "acme", "from": start.isoformat(), "to": today.isoformat(), "every": "WEEK"},
    )["account"]["timeline"]
    assert t["every"] == "WEEK" and t["to"] == today.isoformat()
    assert t["points"][-1]["at"] == today.isoformat()
    assert all(datetime.fromisoformat(p["at"]).weekday() == 6 for p in t["points"][:-1])  # Sundays
    last = t["points"][-1]["events"]
    assert {"entityId": "a-cio", "field": "stance", "old": "NEUTRAL", "new": "BLOCKER",
            "by": "admin"} in last  # fmt: skip
    assert all(not p["events"] for p in t["points"][:-1])


def test_a_rep_sees_the_timeline_and_changes_of_its_own_accounts_only(api: Api) -> None:
    api.data('mutation { setStance(contactId: "a-cio", stance: BLOCKER) { stance } }')
    api.data('mutation { setStance(contactId: "g-ceo", stance: OPPONENT) { stance } }')
    since = (_today() - timedelta(days=1)).date().isoformat()
    admin = {c["account"]["id"] for c in api.data(CHANGES, {"since": since})["changesSince"]}
    assert admin == {"acme", "globex"}  # only accounts with events are listed
    amy = api.data(CHANGES, {"since": since}, role="REP")["changesSince"]
    assert [c["account"]["id"] for c in amy] == ["acme"]
    (acme,) = amy
    assert acme["events"] == [
        {"entity": "Contact", "entityId": "a-cio", "contactId": "a-cio", "field": "stance",
         "old": "NEUTRAL", "new": "BLOCKER", "by": "admin"}
    ]  # fmt: skip
    assert acme["before"]["at"] == since and acme["after"]["at"] == _today().date().isoformat()
    bob = api.data(CHANGES, {"since": since}, role="REP_BOB")["changesSince"]
    assert [c["account"]["id"] for c in bob] == ["globex"]
    today = _today().date().isoformat()
    err = api.error(TIMELINE, {"id": "globex", "from": since, "to": today}, role="REP")  # not amy's
    assert err["extensions"]["code"] == "NOT_FOUND"


def test_a_long_timeline_costs_more_than_a_short_one_and_is_bounded(api: Api) -> None:
    today = _today().date()
    err = api.error(
        TIMELINE,
        {"id": "acme", "from": "1990-01-01", "to": today.isoformat(), "every": "WEEK"},
    )
    # 36 years of weeks: one analysis per point, refused before anything runs
    assert err["extensions"]["code"] == "QUERY_TOO_COMPLEX" and "costs" in err["message"]
    short = api.data(
        TIMELINE, {"id": "acme", "from": (today - timedelta(days=60)).isoformat(),
                   "to": today.isoformat()},
    )  # fmt: skip
    assert len(short["account"]["timeline"]["points"]) >= 2


DRIFT = """
{ driftAlerts { account { id } gradeFell balanceDrop before { grade balance } after { grade balance }
  events { entityId field old new by } } }
"""


def test_drift_alerts_name_the_events_and_follow_visibility(api: Api) -> None:
    assert api.data(DRIFT)["driftAlerts"] == []  # no event in the window yet
    for contact in ("a-ceo", "a-cio"):
        api.data(f'mutation {{ setStance(contactId: "{contact}", stance: BLOCKER) {{ stance }} }}')
    (alert,) = api.data(DRIFT)["driftAlerts"]
    assert alert["account"] == {"id": "acme"}
    assert alert["gradeFell"] or alert["balanceDrop"] >= 0.25
    assert {e["entityId"] for e in alert["events"]} == {"a-ceo", "a-cio"}
    assert all(e["new"] == "BLOCKER" and e["by"] == "admin" for e in alert["events"])
    assert [a["account"]["id"] for a in api.data(DRIFT, role="REP")["driftAlerts"]] == ["acme"]
    assert api.data(DRIFT, role="REP_BOB")["driftAlerts"] == []
