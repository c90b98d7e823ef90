"""Activity capture where users reach it: ``stakegraph capture-calendar``,
``capture-mail`` and ``suggestions``, on both stores, over the capture fixtures' accounts
(tests/capture/conftest.py).

Facts by hand (the fixtures): Lin Wei's Google calendar holds, from October to
November 2026, 9 meetings with contacts (24 attendances, 9 ABOUT ties), one internal
meeting (NO_CONTACT) and one cancelled demo; three addresses nobody holds. 郑凯
(c-or-zk) attended five of the weekly MES meetings (6 and 13 Oct, the one moved to
28 Oct, 3 and 10 Nov): five MEETINGs, no KNOWS tie → suggested level 2 (§3.15: three
visits or meetings in 180 days). 赵建国 (c-or-zjg) only the breakfast of 15 Oct (07:30
in Shanghai, 14 Oct UTC) → level 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.capture.conftest import GOOGLE_ICS, INBOX, MBOX, PLACES, accounts_dataset
from tests.stakegraph.cli_helpers import cli, exported, store_args_of

WINDOW = ["--since", "2026-10-01", "--until", "2026-11-30"]
AS_OF = ["--as-of", "2026-12-01"]


@pytest.fixture(params=["embedded", "neo4j"])
def args(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    monkeypatch.setenv("STAKEGRAPH_CAPTURE_PLACES", json.dumps(PLACES, ensure_ascii=False))
    store_args = store_args_of(request, tmp_path, request.param)
    doc = tmp_path / "accounts.json"
    doc.write_text(json.dumps(accounts_dataset(), ensure_ascii=False), encoding="utf-8")
    loaded = cli("import", str(doc), *store_args)
    assert loaded.exit_code == 0, loaded.stderr
    return store_args


def run_json(*argv: str) -> Any:
    result = cli(*argv)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def attendances(doc: dict[str, Any]) -> int:
    return sum(r["type"] == "ATTENDED" for r in doc["relationships"])


def test_a_calendar_captured_twice_is_written_once(args: list[str]) -> None:
    argv = ("capture-calendar", str(GOOGLE_ICS), "--rep", "rep-lin-wei", *WINDOW, *args)
    first = run_json(*argv, "--json")
    assert first["counts"] == {
        "CAPTURED": 9,
        "DUPLICATE": 0,
        "NO_CONTACT": 1,
        "CANCELLED": 1,
        "NO_DATE": 0,
    }
    assert len(first["written"]) == 9
    assert (first["summary"]["nodes_created"], first["summary"]["relationships_created"]) == (
        9,
        24 + 9,
    )
    assert [u["address"] for u in first["unmatched"]] == [
        "presales.liu@sales.example.com",
        "secretary.wang@huaxiabank.example.cn",
        "suntao@orient-precision.example.cn",
    ]
    after = exported(args)
    assert len(after["interactions"]) == 9
    assert attendances(after) == 24
    kinds = {i["notes"].split(" @ ")[0]: i["kind"] for i in after["interactions"]}
    assert kinds["早餐 with 赵总"] == "VISIT"  # at a place of co-orient (the setting)

    second = run_json(*argv, "--json")
    assert second["counts"] == {
        "CAPTURED": 0,
        "DUPLICATE": 9,
        "NO_CONTACT": 1,
        "CANCELLED": 1,
        "NO_DATE": 0,
    }
    assert second["written"] == []
    assert set(second["summary"].values()) == {0}
    assert exported(args) == after

    table = cli(*argv)
    assert table.exit_code == 0, table.stderr
    assert "DUPLICATE 9, NO_CONTACT 1, CANCELLED 1; interactions written: 0" in table.stdout
    assert "unmatched addresses" in table.stdout
    for address in ("presales.liu@sales.example.com", "suntao@orient-precision.example.cn"):
        assert address in table.stdout
    assert exported(args) == after


def test_mail_is_captured_without_its_bodies(args: list[str]) -> None:
    sent = run_json("capture-mail", str(MBOX), "--rep", "rep-lin-wei", "--json", *args)
    assert [e["outcome"] for e in sent["events"]] == ["CAPTURED", "NO_CONTACT", "CAPTURED"]
    inbox = run_json("capture-mail", str(INBOX), "--rep", "rep-zhou-min", "--json", *args)
    # the proposal again (a Bcc copy, the same Message-ID): already stored
    assert [e["outcome"] for e in inbox["events"]] == ["CAPTURED", "DUPLICATE", "NO_CONTACT"]
    assert inbox["events"][1]["interaction_id"] == sent["events"][0]["interaction_id"]
    assert [u["address"] for u in inbox["unmatched"]] == [
        "no-reply@news.shop.example.com",
        "presales.liu@sales.example.com",
        "secretary.wang@huaxiabank.example.cn",
    ]
    doc = exported(args)
    assert sorted(i["kind"] for i in doc["interactions"]) == ["EMAIL"] * 3
    assert attendances(doc) == 3 + 2 + 3  # proposal, update, signing
    text = json.dumps(doc, ensure_ascii=False)
    assert "请审阅" not in text and "附件是" not in text  # the proposal's body
    again = run_json("capture-mail", str(INBOX), "--rep", "rep-zhou-min", "--json", *args)
    assert again["written"] == [] and exported(args) == doc


def test_bad_files_are_one_line_and_write_nothing(args: list[str], tmp_path: Path) -> None:
    before = exported(args)
    bad = tmp_path / "broken.ics"
    bad.write_text("this is no calendar\n", encoding="utf-8")
    result = cli("capture-calendar", str(bad), *args)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {bad}: not an iCalendar document")
    missing = cli("capture-calendar", str(tmp_path / "none.ics"), *args)
    assert missing.exit_code == 1 and missing.stderr.startswith(f"error: {tmp_path / 'none.ics'}:")
    not_mail = cli("capture-mail", str(bad), *args)
    assert not_mail.exit_code == 2
    assert not_mail.stderr == f"error: {bad}: not an mbox file (no 'From ' separator line)\n"
    nowhere = cli("capture-mail", str(tmp_path / "nowhere"), *args)
    assert nowhere.exit_code == 2 and "no such file or folder" in nowhere.stderr
    unknown_rep = cli("capture-calendar", str(GOOGLE_ICS), "--rep", "rep-nobody", *args)
    assert unknown_rep.exit_code == 1 and "rep-nobody" in unknown_rep.stderr
    assert exported(args) == before


def _suggested(rows: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    return {
        r["id"]: (
            r["company_id"],
            r["current_level"],
            r["suggested_level"],
            r["interactions"],
            r["visits_or_meetings"],
            r["last_at"],
        )
        for r in rows
    }


def test_suggestions_list_accept_and_dismiss(args: list[str]) -> None:
    captured = cli("capture-calendar", str(GOOGLE_ICS), "--rep", "rep-lin-wei", *WINDOW, *args)
    assert captured.exit_code == 0, captured.stderr
    found = _suggested(run_json("suggestions", "co-orient", *AS_OF, "--json", *args))
    assert found["rep-lin-wei:c-or-zk"] == ("co-orient", None, 2, 5, 5, "2026-11-10")
    assert found["rep-lin-wei:c-or-zjg"] == ("co-orient", None, 1, 1, 1, "2026-10-14")
    by_rep = _suggested(run_json("suggestions", "--rep", "rep-zhou-min", *AS_OF, "--json", *args))
    assert by_rep == {"rep-zhou-min:c-hx-dym": ("co-hx-hq", None, 1, 1, 1, "2026-11-10")}
    table = cli("suggestions", "co-orient", *AS_OF, *args)
    assert table.exit_code == 0 and "rep-lin-wei:c-or-zk" in table.stdout

    accepted = cli("suggestions", "accept", "rep-lin-wei:c-or-zk", *AS_OF, *args)
    assert accepted.exit_code == 0, accepted.stderr
    assert "accepted rep-lin-wei:c-or-zk: level - → 2 (co-orient)" in accepted.stdout
    knows = [
        (r["from"], r["to"], r["level"])
        for r in exported(args)["relationships"]
        if r["type"] == "KNOWS"
    ]
    assert knows == [("rep-lin-wei", "c-or-zk", 2)]
    dismissed = cli("suggestions", "dismiss", "rep-lin-wei:c-or-zjg", *AS_OF, *args)
    assert dismissed.exit_code == 0, dismissed.stderr
    left = _suggested(run_json("suggestions", "--rep", "rep-lin-wei", *AS_OF, "--json", *args))
    assert "rep-lin-wei:c-or-zk" not in left and "rep-lin-wei:c-or-zjg" not in left
    assert "rep-lin-wei:c-or-fj" in left

    gone = cli("suggestions", "accept", "rep-lin-wei:c-or-zk", *AS_OF, *args)
    assert gone.exit_code == 1 and "no open level suggestion" in gone.stderr
    unnamed = cli("suggestions", "accept", "c-or-zk", *args)
    assert unnamed.exit_code == 2 and "REP:CONTACT" in unnamed.stderr


def test_the_map_sidebar_lists_open_suggestions(args: list[str], tmp_path: Path) -> None:
    captured = cli("capture-calendar", str(GOOGLE_ICS), "--rep", "rep-lin-wei", *WINDOW, *args)
    assert captured.exit_code == 0, captured.stderr

    def sidebar() -> str:
        out = tmp_path / "map.html"
        drawn = cli("map", "co-orient", "-o", str(out), *AS_OF, *args)
        assert drawn.exit_code == 0, drawn.stderr
        html = out.read_text(encoding="utf-8")
        return html.split('<section id="suggestions-section">', 1)[1].split("</section>", 1)[0]

    before = sidebar()
    assert before.count("<li>") == len(
        run_json("suggestions", "co-orient", *AS_OF, "--json", *args)
    )
    assert "L– → <strong>L2</strong>" in before  # Lin Wei and c-or-zk: no tie yet, 2 suggested
    assert "5 interactions together, the latest on 2026-11-10" in before
    dismissed = cli("suggestions", "dismiss", "rep-lin-wei:c-or-zk", *AS_OF, *args)
    assert dismissed.exit_code == 0, dismissed.stderr
    after = sidebar()
    assert after.count("<li>") == before.count("<li>") - 1  # a dismissed one does not return
    assert "5 interactions together" not in after
