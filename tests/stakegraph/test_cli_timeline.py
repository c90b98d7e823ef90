"""``stakegraph timeline ACCOUNT``: the §3.19 timeline as a table (en, zh) or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.influence.test_history_on_both_stores import ACCOUNT, hengtai
from tests.stakegraph.cli_helpers import cli, store_args_of


@pytest.fixture(params=["embedded", "neo4j"])
def store_args(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    args = store_args_of(request, tmp_path, request.param)
    src = tmp_path / "hengtai.json"
    src.write_text(json.dumps(hengtai()), encoding="utf-8")
    result = cli("import", str(src), *args)
    assert result.exit_code == 0, result.stderr
    return args


def test_the_timeline_prints_a_row_per_month_end_with_its_events(store_args: list[str]) -> None:
    period = ("--from", "2025-02-01", "--to", "2025-05-31")
    result = cli("timeline", ACCOUNT, *period, *store_args)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    rows = [line for line in out.splitlines() if line.startswith("│ 2025-")]
    assert [r.split("│")[1].strip() for r in rows] == [
        "2025-02-28",
        "2025-03-31",
        "2025-04-30",
        "2025-05-31",
    ]
    assert [r.split("│")[2].strip() for r in rows] == ["Basic", "Basic", "Strong", "Intermediate"]
    assert "stance Neutral → Supporter" in out  # worded, one line per event below the table
    zh = cli("timeline", ACCOUNT, *period, "--lang", "zh", *store_args)
    assert "时间线" in zh.stdout and "强关系" in zh.stdout and "Strong" not in zh.stdout
    doc = json.loads(cli("timeline", ACCOUNT, *period, "--json", *store_args).stdout)
    assert [p["grade"] for p in doc["points"]] == ["BASIC", "BASIC", "STRONG", "INTERMEDIATE"]
    assert doc["points"][3]["events"][0]["new"] == "OPPONENT"


def test_a_timeline_of_an_unknown_account_fails_in_one_line(store_args: list[str]) -> None:
    result = cli("timeline", "nope", *store_args)
    assert result.exit_code == 1
    assert "Company 'nope' not found" in result.stderr


def test_a_bad_period_day_names_its_option_and_value(store_args: list[str]) -> None:
    result = cli("timeline", ACCOUNT, "--from", "2025-13-01", *store_args)
    assert result.exit_code == 2
    assert "--from" in result.stderr and "2025-13-01" in result.stderr
    assert "--as-of" not in result.stderr
