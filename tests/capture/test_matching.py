"""captured_interactions: who attended, kind, purpose, about, identity (pure rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from stakegraph.capture import (
    PURPOSE_KEYWORDS,
    AccountRef,
    Attendee,
    CapturedEvent,
    CaptureResult,
    ContactRef,
    EventSource,
    Outcome,
    captured_interactions,
    parse_calendar,
    purpose_of,
)
from stakegraph.graph.model import Interaction, InteractionPurpose, RelType
from tests.capture.conftest import GOOGLE_ICS, WINDOW

AT = datetime(2026, 10, 14, 23, 30, tzinfo=UTC)
LIN, ZHOU = "lin.wei@sales.example.com", "zhou.min@sales.example.com"
ZHAO, FENG = "zhao@orient.example.cn", "feng@orient.example.cn"
DING = "ding@huaxia.example.cn"
CONTACTS = {
    ZHAO: ContactRef("c-zhao", "co-orient"),
    FENG: ContactRef("c-feng", "co-orient"),
    DING: ContactRef("c-ding", "co-hx"),
}
REPS = {LIN: "rep-lin", ZHOU: "rep-zhou"}
ACCOUNTS = {
    "co-orient": AccountRef(
        locations=("88 Jinji Lake Avenue", "苏州工厂"),
        opportunities={"opp-mes": "MES upgrade", "opp-dp": "Group data platform"},
    ),
    "co-hx": AccountRef(locations=("华夏联合银行总行",)),
}


def event(
    *people: str,
    summary: str = "拜访",
    location: str | None = None,
    source: EventSource = EventSource.CALENDAR,
    uid: str = "uid-1@example.com",
    declined: Sequence[str] = (),
    **extra: object,
) -> CapturedEvent:
    return CapturedEvent(
        source,
        uid,
        AT,
        summary=summary,
        location=location,
        attendees=tuple(Attendee(p, declined=p in declined) for p in people),
        **extra,  # type: ignore[arg-type]
    )


def capture(*events: CapturedEvent, default_rep: str | None = None) -> CaptureResult:
    return captured_interactions(
        events, contacts=CONTACTS, reps=REPS, accounts=ACCOUNTS, default_rep=default_rep
    )


def interaction(result: CaptureResult) -> Interaction:
    (node,) = result.batch.nodes
    assert isinstance(node, Interaction)
    return node


def edges(result: CaptureResult, rel: RelType) -> set[tuple[str, str, str]]:
    return {
        (str(r.from_label), r.from_id, r.to_id)
        if rel == RelType.ATTENDED
        else (str(r.to_label), r.to_id, r.from_id)
        for r in result.batch.relationships
        if r.type == rel
    }


def test_an_event_with_a_matched_contact_becomes_one_interaction_at_its_start() -> None:
    result = capture(event(LIN, ZHAO))
    i = interaction(result)
    assert (i.id, i.at) == (result.outcomes[0].interaction_id, AT)
    assert i.id.startswith("cal-")
    assert edges(result, RelType.ATTENDED) == {
        ("Rep", "rep-lin", i.id),
        ("Contact", "c-zhao", i.id),
    }
    assert result.outcomes[0].outcome is Outcome.CAPTURED


def test_an_event_with_no_matched_contact_is_not_captured_and_its_strangers_listed() -> None:
    result = capture(event(LIN, "presales@sales.example.com"), default_rep="rep-lin")
    assert result.batch.nodes == []
    assert result.outcomes[0].outcome is Outcome.NO_CONTACT
    assert [u.address for u in result.unmatched] == ["presales@sales.example.com"]


def test_unmatched_addresses_are_counted_per_event_with_the_first_name_seen() -> None:
    a = CapturedEvent(
        EventSource.CALENDAR,
        "a",
        AT,
        attendees=(Attendee(ZHAO), Attendee("new@orient.example.cn")),
    )
    b = CapturedEvent(
        EventSource.MAIL,
        "b",
        AT,
        attendees=(Attendee("new@orient.example.cn", "孙涛"), Attendee(FENG)),
    )
    result = capture(a, b)
    assert [(u.address, u.name, u.events) for u in result.unmatched] == [
        ("new@orient.example.cn", "孙涛", 2)
    ]
    assert result.outcomes[1].unmatched == ("new@orient.example.cn",)


def test_a_meeting_at_one_of_the_accounts_places_is_a_visit() -> None:
    assert interaction(capture(event(ZHAO, location="东方精工 苏州工厂 2号厂房"))).kind == "VISIT"
    assert interaction(capture(event(ZHAO, location="88  JINJI lake avenue"))).kind == "VISIT"
    assert interaction(capture(event(ZHAO, location="Tencent Meeting"))).kind == "MEETING"
    assert interaction(capture(event(ZHAO))).kind == "MEETING"
    # another account's place does not make it a visit to this one
    assert interaction(capture(event(ZHAO, location="华夏联合银行总行 12F"))).kind == "MEETING"


def test_a_message_is_an_email_wherever_it_was_sent_from() -> None:
    mail = event(LIN, ZHAO, source=EventSource.MAIL, location="苏州工厂")
    i = interaction(capture(mail))
    assert (i.kind, i.id[:5]) == ("EMAIL", "mail-")


def test_the_purpose_comes_from_the_first_keyword_group_the_title_names() -> None:
    cases = {
        "华夏银行 合同签约 contract signing": "SIGNING",
        "合同方案评审": "SIGNING",  # SIGNING is tried before SOLUTION and PROGRESS
        "数据平台 方案演示": "SOLUTION",
        "PoC kick-off": "SOLUTION",
        "智能工厂 需求调研": "RESEARCH",
        "Weekly status": "PROGRESS",
        "项目进展": "PROGRESS",
        "早餐 with 赵总": "RELATIONSHIP",
        "Memo: lunch": "RELATIONSHIP",  # "memo" does not begin with "demo"
    }
    assert {t: purpose_of(t).value for t in cases} == cases
    assert interaction(capture(event(ZHAO, summary="数据平台 方案演示"))).purpose == "SOLUTION"


def test_a_custom_keyword_map_replaces_the_default() -> None:
    own = {InteractionPurpose.RESEARCH: ("benchmark",)}
    result = captured_interactions(
        [event(ZHAO, summary="Plant benchmark 合同")],
        contacts=CONTACTS,
        reps=REPS,
        keyword_map=own,
    )
    assert interaction(result).purpose == "RESEARCH"
    assert purpose_of("Plant benchmark 合同", PURPOSE_KEYWORDS) == "SIGNING"


def test_it_is_about_the_opportunity_the_title_names_else_the_contacts_accounts() -> None:
    by_name = capture(event(ZHAO, summary="MES Upgrade 周会"))
    by_id = capture(event(ZHAO, summary="方案演示 [opp-dp]"))
    neither = capture(event(ZHAO, DING, summary="MES 周会"))
    assert edges(by_name, RelType.ABOUT) == {("Opportunity", "opp-mes", by_name.batch.nodes[0].id)}
    assert edges(by_id, RelType.ABOUT) == {("Opportunity", "opp-dp", by_id.batch.nodes[0].id)}
    i = neither.batch.nodes[0].id
    assert edges(neither, RelType.ABOUT) == {("Company", "co-orient", i), ("Company", "co-hx", i)}


def test_an_opportunity_of_an_account_not_at_the_meeting_is_not_named() -> None:
    result = capture(event(DING, summary="MES upgrade 周会"))
    assert edges(result, RelType.ABOUT) == {("Company", "co-hx", result.batch.nodes[0].id)}


def test_the_default_rep_attends_only_when_no_rep_of_ours_is_named() -> None:
    alone = capture(event(ZHAO), default_rep="rep-zhou")
    named = capture(event(LIN, ZHAO), default_rep="rep-zhou")
    assert ("Rep", "rep-zhou", alone.batch.nodes[0].id) in edges(alone, RelType.ATTENDED)
    assert {r for _, r, _ in edges(named, RelType.ATTENDED)} == {"rep-lin", "c-zhao"}
    assert {r for _, r, _ in edges(capture(event(ZHAO)), RelType.ATTENDED)} == {"c-zhao"}


def test_a_contact_who_declined_did_not_attend() -> None:
    some = capture(event(LIN, ZHAO, FENG, declined=[FENG]))
    assert {r for _, r, _ in edges(some, RelType.ATTENDED)} == {"rep-lin", "c-zhao"}
    nobody = capture(event(LIN, FENG, declined=[FENG]))
    assert nobody.outcomes[0].outcome is Outcome.NO_CONTACT
    assert nobody.unmatched == []  # declined, but known


def test_cancelled_and_undated_events_are_not_captured() -> None:
    cancelled = event(ZHAO, cancelled=True)
    undated = CapturedEvent(EventSource.MAIL, "m@x", None, attendees=(Attendee(ZHAO),))
    result = capture(cancelled, undated)
    assert result.batch.nodes == []
    assert [o.outcome for o in result.outcomes] == [Outcome.CANCELLED, Outcome.NO_DATE]


def test_copies_of_one_event_make_one_interaction_attended_by_everyone_on_them() -> None:
    google = event(LIN, DING, uid="sign@google.com", summary="合同签约")
    outlook = event(ZHOU, DING, uid="sign@google.com", summary="合同签约 (copy)")
    result = capture(google, outlook)
    i = interaction(result)
    assert i.notes == "合同签约"
    assert [o.outcome for o in result.outcomes] == [Outcome.CAPTURED, Outcome.DUPLICATE]
    assert {r for _, r, _ in edges(result, RelType.ATTENDED)} == {"rep-lin", "rep-zhou", "c-ding"}


def test_capturing_the_same_file_twice_gives_the_same_batch() -> None:
    def once() -> CaptureResult:
        events = parse_calendar(GOOGLE_ICS.read_bytes(), **WINDOW)
        contacts = {
            "zhengkai@orient-precision.example.cn": ContactRef("c-zk", "co-orient"),
            "dingyiming@huaxiabank.example.cn": ContactRef("c-ding", "co-hx"),
        }
        return captured_interactions(events, contacts=contacts, reps=REPS, accounts=ACCOUNTS)

    first, second = once(), once()
    assert first.batch == second.batch
    # the five weekly meetings with 郑凯, and the signing with 丁一鸣
    assert first.captured == 6
    assert len({n.id for n in first.batch.nodes}) == 6


def test_the_notes_hold_the_title_and_the_location() -> None:
    i = interaction(capture(event(ZHAO, summary="早餐", location="88 Jinji Lake Avenue")))
    assert i.notes == "早餐 @ 88 Jinji Lake Avenue"
    assert interaction(capture(event(ZHAO, summary=""))).notes is None
