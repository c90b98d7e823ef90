"""``stakegraph plan ACCOUNT [--as-of] [--json]`` on both stores (§3.18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.influence.test_plan_gap import AS_OF
from tests.influence.test_plan_gap import _doc as gap_doc
from tests.stakegraph.cli_helpers import cli, store_args_of


@pytest.fixture(params=["embedded", "neo4j"])
def store_args(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    args = store_args_of(request, tmp_path, request.param)
    src = tmp_path / "plan.json"
    doc = gap_doc()
    doc["plan_targets"][1]["note"] = "[bold]not markup[/bold]"
    src.write_text(json.dumps(doc), encoding="utf-8")
    result = cli("import", str(src), *args)
    assert result.exit_code == 0, result.stderr
    return args


def test_plan_prints_the_gap_first_as_a_table(store_args: list[str]) -> None:
    result = cli("plan", "acme", "--as-of", AS_OF.isoformat(), *store_args)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "relationship plan of acme as of 2024-06-30" in out
    assert out.index("[t-fc]") < out.index("[t-cfo]") < out.index("[t-ceo]")
    assert "overdue" in out and "met" in out
    assert "Rita → Wang → Zhao (p=0.375)" in out
    assert "[bold]not markup[/bold]" in out


def test_plan_json_is_the_targets_and_the_gap(store_args: list[str]) -> None:
    result = cli("plan", "acme", "--as-of", AS_OF.isoformat(), "--json", *store_args)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2024-06-30"
    assert [t["id"] for t in doc["targets"]] == ["t-ceo", "t-cfo", "t-fc"]
    assert [(i["target_id"], i["overdue"], i["contact_id"]) for i in doc["gap"]] == [
        ("t-fc", True, "cfo"),
        ("t-cfo", False, "cfo"),
    ]
    # a later day: the CEO's level has decayed below the target (§3.2)
    later = cli("plan", "acme", "--as-of", "2026-06-30", "--json", *store_args)
    assert [i["target_id"] for i in json.loads(later.stdout)["gap"]][-1] == "t-ceo"


def test_plan_of_an_unknown_account_fails_in_one_line(store_args: list[str]) -> None:
    result = cli("plan", "nope", *store_args)
    assert result.exit_code == 1
    assert "Company 'nope' not found" in result.stderr
