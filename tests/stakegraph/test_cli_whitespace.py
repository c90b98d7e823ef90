"""总部-分公司 whitespace (§3.13) where a user reaches it: ``stakegraph whitespace`` and
the portfolio report, on both stores, over the demo's bank group.

The demo's facts, by hand: Huaxia United Bank HQ (co-hx-hq) has three branches;
Chengdu (co-hx-cd) and Shenzhen (co-hx-sz) won the Data Governance Suite on 2025-12-19
and 2026-06-20 — within 12 calendar months, so a likely headquarters programme —
and Shanghai (co-hx-sh) has no opportunity for it; Shanghai won the Smart Risk
Platform, which Chengdu and Shenzhen have not bought."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stakegraph.seeds import DEMO_TODAY
from tests.stakegraph.cli_helpers import cli, store_args_of

DAY = DEMO_TODAY.isoformat()


@pytest.fixture(params=["embedded", "neo4j"])
def demo_args(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    args = store_args_of(request, tmp_path, request.param)
    seeded = cli("seed", *args)
    assert seeded.exit_code == 0, seeded.stderr
    return args


def test_the_whitespace_command(demo_args: list[str]) -> None:
    result = cli("whitespace", "--as-of", DAY, "--json", *demo_args)
    assert result.exit_code == 0, result.stderr
    (group,) = json.loads(result.stdout)
    assert group["headquarters_id"] == "co-hx-hq"
    assert sorted(group["branch_ids"]) == ["co-hx-cd", "co-hx-sh", "co-hx-sz"]
    items = {(i["company_id"], i["product"]): sorted(i["won_by"]) for i in group["items"]}
    assert items == {
        ("co-hx-sh", "Data Governance Suite"): ["co-hx-cd", "co-hx-sz"],
        ("co-hx-cd", "Smart Risk Platform"): ["co-hx-sh"],
        ("co-hx-sz", "Smart Risk Platform"): ["co-hx-sh"],
    }
    (programme,) = group["programmes"]
    assert programme["product"] == "Data Governance Suite"
    assert (programme["first_won"], programme["last_won"]) == ("2025-12-19", "2026-06-20")
    table = cli("whitespace", "co-hx-hq", "--as-of", DAY, *demo_args)
    assert table.exit_code == 0 and "likely headquarters programme: Data Governance" in table.stdout
    not_a_group = cli("whitespace", "co-orient", *demo_args)
    assert not_a_group.exit_code == 2 and "'co-orient' is no headquarters" in not_a_group.stderr


def test_the_portfolio_report_lists_the_whitespace(demo_args: list[str]) -> None:
    md = cli("report", "--portfolio", "-f", "md", "--as-of", DAY, *demo_args)
    assert md.exit_code == 0, md.stderr
    section = md.stdout.split("## Branch whitespace", 1)[1]
    assert "### Group of 华夏联合银行总行" in section
    assert (
        "| 华夏联合银行上海分行 Huaxia United Bank Shanghai Branch | Data Governance Suite |"
        in section
    )
    assert "Likely headquarters programme: Data Governance Suite" in section
    as_json = cli("report", "--portfolio", "-f", "json", "--as-of", DAY, *demo_args)
    (group,) = json.loads(as_json.stdout)["whitespace"]
    assert group["programmes"][0]["branch_ids"] == ["co-hx-cd", "co-hx-sz"]
    # a rep's portfolio without any account of the group shows none
    rep = cli("report", "--portfolio", "--rep", "rep-chen-hao", "-f", "json", "--as-of", DAY,
              *demo_args)  # fmt: skip
    assert rep.exit_code == 0 and json.loads(rep.stdout)["whitespace"] == []
