"""Calendars and mail captured into BOTH stores, each twice: exact interactions."""

from __future__ import annotations

from datetime import UTC, datetime

from stakegraph.capture import Outcome, parse_calendar, parse_mail
from stakegraph.graph.model import Interaction, Label, RelType
from stakegraph.graph.store import GraphStore
from tests.capture.conftest import GOOGLE_ICS, INBOX, MBOX, OUTLOOK_ICS, WINDOW, capture_into


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def interactions(store: GraphStore) -> dict[str, Interaction]:
    page = store.list_nodes(Label.INTERACTION, first=1000)
    return {n.id: n for n in page.items if isinstance(n, Interaction)}


def attended(store: GraphStore) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in store.relationships(RelType.ATTENDED):
        out.setdefault(r.to_id, set()).add(r.from_id)
    return out


def about(store: GraphStore) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in store.relationships(RelType.ABOUT):
        out.setdefault(r.from_id, set()).add(r.to_id)
    return out


def by_start(store: GraphStore) -> dict[datetime, list[Interaction]]:
    out: dict[datetime, list[Interaction]] = {}
    for i in interactions(store).values():
        out.setdefault(i.at, []).append(i)
    return out


def test_a_google_calendar_is_captured_once_however_often_it_is_read(
    accounts_store: GraphStore,
) -> None:
    store = accounts_store
    events = parse_calendar(GOOGLE_ICS.read_bytes(), **WINDOW)
    result, summary = capture_into(store, events, default_rep="rep-lin-wei")
    assert [o.outcome for o in result.outcomes].count(Outcome.CAPTURED) == 9
    assert {o.summary for o in result.outcomes if o.outcome is not Outcome.CAPTURED} == {
        "内部周会 Team sync",  # NO_CONTACT
        "已取消：方案演示 demo",  # CANCELLED
    }
    assert (summary.nodes_created, summary.relationships_created) == (9, 24 + 9)

    found = interactions(store)
    assert len(found) == 9
    starts = by_start(store)
    assert sorted(starts) == [
        utc(2026, 10, 6, 2),
        utc(2026, 10, 13, 2),
        utc(2026, 10, 14, 23, 30),  # 07:30 in Asia/Shanghai on 15 Oct
        utc(2026, 10, 20, 1),
        utc(2026, 10, 28, 6),
        utc(2026, 11, 3, 2),
        utc(2026, 11, 4, 16),  # all day on 5 Nov in Asia/Shanghai
        utc(2026, 11, 10, 2),
    ]
    assert len(starts[utc(2026, 11, 10, 2)]) == 2  # weekly meeting and the signing
    (breakfast,) = starts[utc(2026, 10, 14, 23, 30)]
    assert (breakfast.kind, breakfast.purpose) == ("VISIT", "RELATIONSHIP")
    who, what = attended(store), about(store)
    assert who[breakfast.id] == {"rep-lin-wei", "c-or-zjg"}
    assert what[breakfast.id] == {"co-orient"}
    (moved,) = starts[utc(2026, 10, 28, 6)]
    assert (moved.kind, moved.purpose) == ("MEETING", "PROGRESS")
    assert who[moved.id] == {"rep-lin-wei", "c-or-zk"}  # 冯静 declined this one
    assert what[moved.id] == {"opp-or-mes"}  # the title names "MES upgrade"
    (weekly,) = starts[utc(2026, 10, 6, 2)]
    assert who[weekly.id] == {"rep-lin-wei", "c-or-zk", "c-or-fj"}
    signing = next(i for i in starts[utc(2026, 11, 10, 2)] if i.purpose == "SIGNING")
    assert signing.kind == "VISIT"
    assert who[signing.id] == {"rep-lin-wei", "rep-zhou-min", "c-hx-dym"}
    assert what[signing.id] == {"co-hx-hq"}
    (survey,) = starts[utc(2026, 11, 4, 16)]
    assert (survey.kind, survey.purpose, what[survey.id]) == ("VISIT", "RESEARCH", {"co-orient"})
    assert sum(len(v) for v in who.values()) == 24

    assert [(u.address, u.events) for u in result.unmatched] == [
        ("presales.liu@sales.example.com", 1),
        ("secretary.wang@huaxiabank.example.cn", 1),
        ("suntao@orient-precision.example.cn", 5),
    ]

    before = store.counts()
    again, summary = capture_into(
        store, parse_calendar(GOOGLE_ICS.read_bytes(), **WINDOW), default_rep="rep-lin-wei"
    )
    assert again.batch == result.batch
    assert (summary.nodes_created, summary.nodes_updated, summary.relationships_created) == (
        0,
        0,
        0,
    )
    assert summary.nodes_unchanged == 9
    assert store.counts() == before


def test_the_same_meeting_in_an_outlook_export_joins_the_google_one(
    accounts_store: GraphStore,
) -> None:
    store = accounts_store
    capture_into(
        store, parse_calendar(GOOGLE_ICS.read_bytes(), **WINDOW), default_rep="rep-lin-wei"
    )
    outlook = parse_calendar(OUTLOOK_ICS.read_bytes(), **WINDOW)
    for _ in range(2):
        result, summary = capture_into(store, outlook, default_rep="rep-zhou-min")
        assert result.captured == 6
    assert summary.nodes_created == summary.relationships_created == 0
    # 9 from Google + 6 from Outlook, one of which (the signing, same UID) is shared
    assert len(interactions(store)) == 14
    assert store.counts()["ATTENDED"] == 24 + 14 - 3
    starts = by_start(store)
    (demo,) = starts[utc(2026, 10, 22, 6, 30)]
    assert (demo.kind, demo.purpose) == ("VISIT", "SOLUTION")
    assert about(store)[demo.id] == {"opp-or-dp"}  # named by id: [opp-or-dp]
    assert attended(store)[demo.id] == {"rep-zhou-min", "c-or-zk", "c-or-fj"}
    (stuttgart,) = starts[utc(2026, 10, 26, 8)]
    assert (stuttgart.kind, stuttgart.purpose) == ("VISIT", "RESEARCH")
    finance = [starts[d][0] for d in (utc(2026, 10, 29, 6, 30), utc(2026, 11, 5, 6, 30))]
    finance.append(starts[utc(2026, 11, 19, 6, 30)][0])
    assert {(i.kind, i.purpose) for i in finance} == {("MEETING", "PROGRESS")}
    assert all(attended(store)[i.id] == {"rep-zhou-min", "c-or-why"} for i in finance)
    assert utc(2026, 11, 12, 6, 30) not in starts  # the EXDATE


def test_mail_is_captured_from_an_mbox_and_a_folder_of_eml_files(
    accounts_store: GraphStore,
) -> None:
    store = accounts_store
    for _ in range(2):
        sent, _ = capture_into(store, parse_mail(MBOX), default_rep="rep-lin-wei")
        inbox, summary = capture_into(store, parse_mail(INBOX), default_rep="rep-zhou-min")
    assert summary.nodes_created == summary.nodes_updated == summary.relationships_created == 0
    assert [o.outcome for o in sent.outcomes] == [
        Outcome.CAPTURED,
        Outcome.NO_CONTACT,  # only 孙涛, who is not a contact yet
        Outcome.CAPTURED,
    ]
    assert [o.outcome for o in inbox.outcomes] == [
        Outcome.CAPTURED,
        Outcome.CAPTURED,  # the proposal again (Bcc copy): same Message-ID, same id
        Outcome.NO_CONTACT,  # the newsletter
    ]
    assert inbox.outcomes[1].interaction_id == sent.outcomes[0].interaction_id

    found = interactions(store)
    assert len(found) == 3
    assert {i.kind for i in found.values()} == {"EMAIL"}
    starts = by_start(store)
    (proposal,) = starts[utc(2026, 10, 13, 23, 10)]
    assert proposal.purpose == "SOLUTION"
    assert attended(store)[proposal.id] == {"rep-lin-wei", "c-or-zk", "c-or-fj"}
    assert about(store)[proposal.id] == {"opp-or-mes"}
    (signing,) = starts[utc(2026, 11, 2, 1, 15)]
    assert signing.purpose == "SIGNING"
    assert attended(store)[signing.id] == {"rep-zhou-min", "rep-lin-wei", "c-hx-dym"}
    (update,) = starts[utc(2026, 11, 2, 10)]
    assert (update.purpose, attended(store)[update.id]) == ("PROGRESS", {"rep-lin-wei", "c-or-why"})
    assert store.counts()["ATTENDED"] == 8

    assert [(u.address, u.name) for u in sent.unmatched] == [
        ("presales.liu@sales.example.com", "刘工 (售前)"),
        ("suntao@orient-precision.example.cn", "孙涛"),
    ]
    assert [(u.address, u.name) for u in inbox.unmatched] == [
        ("no-reply@news.shop.example.com", "双十一 大促 Newsletter 订阅"),
        ("presales.liu@sales.example.com", "刘工 (售前)"),
        ("secretary.wang@huaxiabank.example.cn", "王秘书"),
    ]


def test_a_captured_email_is_part_of_the_accounts_subgraph(
    accounts_store: GraphStore,
) -> None:
    store = accounts_store
    capture_into(store, parse_mail(INBOX), default_rep="rep-zhou-min")
    g = store.account_subgraph("co-hx-hq")
    interactions_in_map = [a for _, a in g.nodes(data=True) if a["label"] == Label.INTERACTION]
    assert [(a["kind"], a["at"]) for a in interactions_in_map] == [
        ("EMAIL", utc(2026, 11, 2, 1, 15))
    ]
