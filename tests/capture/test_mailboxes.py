"""parse_mail: headers only, encoded-word names, canonical addresses, UTC dates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from stakegraph.capture import CapturedEvent, EventSource, InvalidMailbox, parse_mail
from tests.capture.conftest import INBOX, MBOX


def names(event: CapturedEvent) -> list[tuple[str, str | None]]:
    return [(p.address, p.name) for p in event.participants]


def test_an_mbox_gives_one_event_per_message_in_file_order() -> None:
    events = parse_mail(MBOX)
    assert [e.summary for e in events] == [
        "MES upgrade 方案 v2 — solution proposal",
        "你好，我是新来的IT经理",
        "智能工厂 进展 update",
    ]
    assert {e.source for e in events} == {EventSource.MAIL}


def test_encoded_word_names_are_decoded_and_addresses_made_canonical() -> None:
    proposal = parse_mail(MBOX)[0]
    # From =?UTF-8?B?..?= <Lin.Wei@...>, To UTF-8 base64, Cc GB2312 base64 and a
    # second Cc on a folded line
    assert names(proposal) == [
        ("lin.wei@sales.example.com", "林伟"),
        ("zhengkai@orient-precision.example.cn", "郑凯"),
        ("fengjing@orient-precision.example.cn", "冯静"),
        ("presales.liu@sales.example.com", "刘工 (售前)"),
    ]
    progress = parse_mail(MBOX)[2]
    assert names(progress)[1] == ("wuhaiyan@orient-precision.example.cn", "吴海燕")  # gb18030


def test_eml_files_in_a_folder_are_read_in_path_order_with_q_encoded_subjects() -> None:
    events = parse_mail(INBOX)
    assert len(events) == 3
    signing = events[0]
    assert signing.summary == "回复：合同 签约 安排"  # two Q encoded words, folded
    assert names(signing) == [
        ("dingyiming@huaxiabank.example.cn", "丁一鸣"),
        ("zhou.min@sales.example.com", "周敏"),
        ("lin.wei@sales.example.com", "林伟"),
        ("secretary.wang@huaxiabank.example.cn", "王秘书"),
    ]
    assert parse_mail(INBOX / "01-huaxia-signing.eml") == [signing]


def test_dates_are_in_utc_and_a_minus_zero_zone_is_utc() -> None:
    events = parse_mail(MBOX)
    # Wed, 14 Oct 2026 07:10:00 +0800 is the previous UTC day
    assert events[0].start == datetime(2026, 10, 13, 23, 10, tzinfo=UTC)
    assert events[2].start == datetime(2026, 11, 2, 10, tzinfo=UTC)  # -0000
    assert parse_mail(INBOX)[0].start == datetime(2026, 11, 2, 1, 15, tzinfo=UTC)


def test_the_message_id_is_the_identity_and_one_without_falls_back_to_headers() -> None:
    events = parse_mail(MBOX)
    assert events[0].identity == "20261013231000.4F2A91@mail.sales.example.com"
    assert events[2].identity == (
        "no-message-id|2026-11-02T10:00:00+00:00|lin.wei@sales.example.com"
        "|wuhaiyan@orient-precision.example.cn|智能工厂 进展 update"
    )
    # the same message in another mailbox has the same interaction id
    assert parse_mail(INBOX)[1].interaction_id == events[0].interaction_id


def test_bodies_are_never_read_only_from_to_cc_headers() -> None:
    every = parse_mail(MBOX) + parse_mail(INBOX)
    addresses = {p.address for e in every for p in e.participants}
    # header-like lines inside bodies, and Bcc, are not participants
    assert not {a for a in addresses if "evil" in a or "body" in a}
    assert "zhou.min@sales.example.com" not in {
        p.address for p in parse_mail(INBOX)[1].participants
    }
    newsletter = parse_mail(INBOX)[2]
    assert names(newsletter) == [("no-reply@news.shop.example.com", "双十一 大促 Newsletter 订阅")]


def test_an_unreadable_date_gives_no_start(tmp_path: Path) -> None:
    eml = tmp_path / "bad.eml"
    eml.write_bytes(b"From: a@x.example.com\r\nTo: b@y.example.com\r\nDate: soon\r\n\r\nhi\r\n")
    (event,) = parse_mail(eml)
    assert event.start is None
    assert event.uid.startswith("no-message-id|soon|a@x.example.com|b@y.example.com")


def test_a_missing_path_or_a_file_that_is_no_mbox_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidMailbox, match="no such file"):
        parse_mail(tmp_path / "missing.mbox")
    text = tmp_path / "notes.txt"
    text.write_text("just some notes\n")
    with pytest.raises(InvalidMailbox, match="not an mbox"):
        parse_mail(text)
