"""§3.18 the plan section of the account report (HTML and Markdown), on both stores:
the gap first (overdue first), then the met targets; user text is escaped."""

from __future__ import annotations

from typing import Any

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.reports.render import render_account
from stakegraph.service.reports import account_report, account_report_html
from tests.conftest import operator_scope
from tests.influence.test_plan_gap import AS_OF
from tests.influence.test_plan_gap import _doc as gap_doc

NOTE = "<script>alert('x')</script> | *bold*"


def _doc() -> dict[str, Any]:
    doc = gap_doc()
    doc["plan_targets"][1]["note"] = NOTE  # t-cfo
    doc["contacts"][1]["name"] = "Zhao <b>Lei</b>"  # the CFO
    return doc


def test_the_report_lists_the_gap_then_the_met_targets(store: GraphStore) -> None:
    import_dataset(store, _doc())
    scope = operator_scope(store)
    report = account_report(scope, "acme", as_of=AS_OF)
    assert [(p.target_id, p.status, p.level) for p in report.plan] == [
        ("t-fc", "OVERDUE", 1),
        ("t-cfo", "OPEN", 1),
        ("t-ceo", "MET", 3),
    ]
    fc = report.plan[0]
    assert fc.work_on_id == "cfo" and fc.path is not None
    assert round(fc.path.probability, 3) == 0.375

    html = account_report_html(scope, "acme", as_of=AS_OF)
    section = html[html.index('<section id="plan">') : html.index('<section id="contacts">')]
    assert "Relationship plan" in section
    assert "<script>" not in section and "&lt;script&gt;" in section
    assert "Zhao &lt;b&gt;Lei&lt;/b&gt;" in section and "<b>Lei</b>" not in section
    assert "Financial controller (any)" in section and "overdue" in section
    assert section.index("overdue") < section.index(">open<") < section.index(">met<")
    assert "Rita" in section

    md = render_account(report, "md")
    part = md[md.index("## Relationship plan") : md.index("## Contacts")]
    rows = [line for line in part.splitlines() if line.startswith("| ")][1:]
    assert [r.split(" | ")[1] for r in rows] == ["overdue", "open", "met"]
    assert "\\<script>" in part and "\\| \\*bold\\*" in part
    assert "Rita → Wang → Zhao \\<b>Lei\\</b>, p=0.375" in part

    zh = render_account(report, "md", lang="zh")
    assert "## 关系计划" in zh and "已逾期" in zh


def test_an_account_without_a_plan_says_so(store: GraphStore) -> None:
    doc = _doc()
    doc.pop("plan_targets")
    import_dataset(store, doc)
    report = account_report(operator_scope(store), "acme", as_of=AS_OF)
    assert report.plan == []
    assert "No relationship plan: no targets set." in render_account(report, "md")
