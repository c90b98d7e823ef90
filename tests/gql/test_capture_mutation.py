"""``captureCalendar`` on both stores, over the capture fixtures' accounts: Lin Wei
(REP) covers 东方精工 (co-orient) only; Zhou Min (REP) covers 华夏银行总行 (co-hx-hq).

By hand (tests/capture): Lin Wei's Google calendar holds 9 meetings with contacts, 8 of
them with contacts of co-orient and one (the signing, with 周敏 and 丁一鸣) with a
contact of co-hx-hq; one internal meeting, one cancelled demo.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stakegraph.gql.app import create_app
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.model import Interaction, InteractionKind, Label, RelType
from stakegraph.graph.store import GraphBatch, GraphStore
from stakegraph.service.access import ApiKey, hash_api_key
from tests.capture.conftest import GOOGLE_ICS, PLACES, accounts_dataset
from tests.gql.conftest import KEYS, Api, make_settings

LIN = ("lin-key", {"role": "REP", "rep_id": "rep-lin-wei"})

MUTATION = """
mutation($ics: String!, $rep: ID) {
  captureCalendar(ics: $ics, repId: $rep, since: "2026-10-01T00:00:00Z",
                  until: "2026-12-01T00:00:00Z") {
    counts { captured duplicate noContact cancelled noDate }
    events { outcome summary interactionId contactIds repIds unmatched }
    unmatched { address name events }
    interactionIds upcoming repId
    write { nodesCreated relationshipsCreated }
  }
}"""


@pytest.fixture
def capture_api(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    doc = accounts_dataset()
    doc["relationships"] += [
        {"type": "COVERS", "from": "rep-lin-wei", "to": "co-orient", "kind": "OWNER"},
        {"type": "COVERS", "from": "rep-zhou-min", "to": "co-hx-hq", "kind": "OWNER"},
    ]
    import_dataset(store, doc)
    monkeypatch.setitem(KEYS, "LIN", LIN)
    keys = [
        ApiKey(name=name, key_sha256=hash_api_key(key), **extra)
        for name, (key, extra) in {
            "admin": KEYS["ADMIN"],
            "analyst": KEYS["ANALYST"],
            "lin": LIN,
        }.items()
    ]
    places = {k: list(v) for k, v in PLACES.items()}
    app = create_app(make_settings(api_keys=keys, capture_places=places), store)
    with TestClient(app) as client:
        yield Api(client, store)


def ics() -> str:
    return GOOGLE_ICS.read_text(encoding="utf-8")


def _captured(api: Api, rep: str | None, role: str) -> dict[str, Any]:
    result: dict[str, Any] = api.data(MUTATION, {"ics": ics(), "rep": rep}, role=role)[
        "captureCalendar"
    ]
    return result


def test_an_admin_captures_a_calendar_once(capture_api: Api) -> None:
    first = _captured(capture_api, "rep-lin-wei", "ADMIN")
    assert first["counts"] == {
        "captured": 9,
        "duplicate": 0,
        "noContact": 1,
        "cancelled": 1,
        "noDate": 0,
    }
    assert first["write"] == {"nodesCreated": 9, "relationshipsCreated": 24 + 9}
    assert len(first["interactionIds"]) == 9 and first["repId"] == "rep-lin-wei"
    assert [u["address"] for u in first["unmatched"]] == [
        "presales.liu@sales.example.com",
        "secretary.wang@huaxiabank.example.cn",
        "suntao@orient-precision.example.cn",
    ]
    signing = next(e for e in first["events"] if "signing" in e["summary"])
    assert signing["repIds"] == ["rep-lin-wei", "rep-zhou-min"]
    before = capture_api.store.counts()
    second = _captured(capture_api, "rep-lin-wei", "ADMIN")
    assert (second["counts"]["captured"], second["counts"]["duplicate"]) == (0, 9)
    assert second["interactionIds"] == [] and second["write"]["nodesCreated"] == 0
    assert capture_api.store.counts() == before


def test_a_rep_captures_only_as_themselves_and_only_their_accounts(capture_api: Api) -> None:
    api = capture_api
    refused = api.error(MUTATION, {"ics": ics(), "rep": "rep-zhou-min"}, role="LIN")
    assert refused["extensions"] == {"code": "FORBIDDEN", "field": "repId"}
    unknown = api.error(MUTATION, {"ics": ics(), "rep": "rep-nobody"}, role="LIN")
    assert unknown["extensions"] == {"code": "NOT_FOUND", "field": "repId"}
    read_only = api.error(MUTATION, {"ics": ics(), "rep": None}, role="ANALYST")
    assert read_only["extensions"]["code"] == "FORBIDDEN"
    assert api.store.counts().get("Interaction", 0) == 0

    mine = _captured(api, None, "LIN")  # no repId: a REP captures as themselves
    assert mine["repId"] == "rep-lin-wei"
    assert mine["counts"]["captured"] == 8
    signing = next(e for e in mine["events"] if "signing" in e["summary"])
    # 丁一鸣 is a contact of an account Lin Wei does not cover: unmatched, as if unknown;
    # 周敏 is a rep Lin Wei may not act for: neither an attendee nor unmatched
    assert signing["outcome"] == "NO_CONTACT"
    assert sorted(signing["unmatched"]) == [
        "dingyiming@huaxiabank.example.cn",
        "secretary.wang@huaxiabank.example.cn",
    ]
    assert "zhou.min@sales.example.com" not in {u["address"] for u in mine["unmatched"]}
    about = {r.to_id for r in api.store.relationships(RelType.ABOUT)}
    assert about <= {"co-orient", "opp-or-mes", "opp-or-dp"}
    reps = {
        r.from_id for r in api.store.relationships(RelType.ATTENDED) if r.from_label == Label.REP
    }
    assert reps == {"rep-lin-wei"}


def test_an_unparsable_calendar_is_bad_user_input_naming_ics(capture_api: Api) -> None:
    err = capture_api.error(MUTATION, {"ics": "BEGIN:VCARD\nEND:VCARD\n", "rep": None})
    assert err["extensions"] == {"code": "BAD_USER_INPUT", "field": "ics"}
    assert "iCalendar" in err["message"]
    assert capture_api.store.counts().get("Interaction", 0) == 0


def test_an_interaction_edited_since_is_not_overwritten(capture_api: Api) -> None:
    api = capture_api
    first = _captured(api, "rep-lin-wei", "ADMIN")
    breakfast_id = next(e for e in first["events"] if "早餐" in e["summary"])["interactionId"]
    stored = api.store.get_node(Label.INTERACTION, breakfast_id)
    assert isinstance(stored, Interaction) and stored.kind == "VISIT"
    edited = stored.model_copy(
        update={"notes": "breakfast: budget confirmed", "kind": InteractionKind.CALL}
    )
    api.store.write(GraphBatch(nodes=[edited]), by="someone")
    api.store.delete_relationships(
        [(str(RelType.ATTENDED), str(Label.CONTACT), "c-or-zjg", "Interaction", breakfast_id)],
        by="someone",
    )
    again = _captured(api, "rep-lin-wei", "ADMIN")
    assert again["counts"]["duplicate"] == 9 and again["write"]["relationshipsCreated"] == 0
    kept = api.store.get_node(Label.INTERACTION, breakfast_id)
    assert isinstance(kept, Interaction)
    assert (kept.notes, kept.kind) == ("breakfast: budget confirmed", "CALL")
    attendees = {
        r.from_id for r in api.store.relationships(RelType.ATTENDED, to_ids=[breakfast_id])
    }
    assert attendees == {"rep-lin-wei"}
    assert kept.at == datetime(2026, 10, 14, 23, 30, tzinfo=UTC)
