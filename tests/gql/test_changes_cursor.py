"""``changes(after:)``: a sequence cursor over an account's change events, beside
``changes(since:)``."""

from __future__ import annotations

from .conftest import Api


def test_changes_after_a_sequence_number_lists_only_later_events(api: Api) -> None:
    for stance in ("SUPPORTER", "CHAMPION", "BLOCKER"):
        api.data(f'mutation {{ setStance(contactId: "a-cio", stance: {stance}) {{ stance }} }}')
    q = '{ account(id: "acme") { changes(after: %d) { seq contactId field old new } } }'
    every = [e for e in api.data(q % 0)["account"]["changes"] if e["contactId"] == "a-cio"]
    mine = [e for e in every if e["field"] == "stance"][-3:]
    assert [(e["old"], e["new"]) for e in mine] == [
        ("NEUTRAL", "SUPPORTER"),
        ("SUPPORTER", "CHAMPION"),
        ("CHAMPION", "BLOCKER"),
    ]
    later = api.data(q % mine[0]["seq"])["account"]["changes"]
    assert [(e["old"], e["new"]) for e in later if e["contactId"] == "a-cio"] == [
        ("SUPPORTER", "CHAMPION"),
        ("CHAMPION", "BLOCKER"),
    ]
    since = '{ account(id: "acme") { changes(since: "2000-01-01T00:00:00Z") { seq } } }'
    assert len(api.data(since)["account"]["changes"]) == len(api.data(q % 0)["account"]["changes"])
