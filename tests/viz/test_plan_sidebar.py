"""§3.18 the relationship plan in the map's sidebar (``stakegraph map``, both stores):
the open targets, overdue first, with whom to work on, the owner and the gain; every
target met says so; an account without a plan shows no plan section; names escaped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.influence.test_plan_gap import AS_OF
from tests.influence.test_plan_gap import _doc as gap_doc
from tests.stakegraph.cli_helpers import cli, store_args_of


def _map(request: pytest.FixtureRequest, tmp_path: Path, doc: dict[str, Any], *lang: str) -> str:
    args = store_args_of(request, tmp_path, request.param)
    src = tmp_path / "plan.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    assert cli("import", str(src), *args).exit_code == 0
    out = tmp_path / "map.html"
    result = cli("map", "acme", "--view", "political", "--as-of", AS_OF.isoformat(),
                 "-o", str(out), *lang, *args)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def _plan(html: str) -> str:
    assert '<section id="plan-section">' in html
    return html.split('<section id="plan-section">', 1)[1].split("</section>", 1)[0]


@pytest.fixture(params=["embedded", "neo4j"])
def backend(request: pytest.FixtureRequest) -> pytest.FixtureRequest:
    return request


def test_the_sidebar_lists_the_open_targets_overdue_first(
    backend: pytest.FixtureRequest, tmp_path: Path
) -> None:
    doc = gap_doc()
    doc["contacts"][1]["name"] = "Zhao <b>Lei</b>"  # the CFO
    section = _plan(_map(backend, tmp_path, doc))
    items = section.split("<li")[1:]
    assert len(items) == 2  # t-ceo is met
    overdue, due = items
    assert 'class="overdue"' in overdue and "Financial controller" in overdue
    assert "L1 → L2" in overdue and "work on Zhao &lt;b&gt;Lei&lt;/b&gt;" in overdue
    assert "overdue since 2024-06-01" in overdue
    assert "Zhao &lt;b&gt;Lei&lt;/b&gt;</strong>: L1 → L2" in due and "due 2024-09-30" in due
    assert "<b>Lei</b>" not in section


def test_the_chinese_sidebar_words_the_plan_in_chinese(
    backend: pytest.FixtureRequest, tmp_path: Path
) -> None:
    section = _plan(_map(backend, tmp_path, gap_doc(), "--lang", "zh"))
    assert "<h2>关系计划</h2>" in section and "已于 2024-06-01 逾期" in section
    assert "财务/采购把关者" in section
    assert "overdue" not in section.replace('class="overdue"', "") and "work on" not in section


def test_a_plan_whose_targets_are_met_says_so(
    backend: pytest.FixtureRequest, tmp_path: Path
) -> None:
    doc = gap_doc()
    doc["plan_targets"] = [t for t in doc["plan_targets"] if t["id"] == "t-ceo"]
    assert "Every target of the plan is met" in _plan(_map(backend, tmp_path, doc))


def test_an_account_without_a_plan_shows_no_plan_section(
    backend: pytest.FixtureRequest, tmp_path: Path
) -> None:
    doc = gap_doc()
    doc.pop("plan_targets")
    assert 'id="plan-section"' not in _map(backend, tmp_path, doc)
