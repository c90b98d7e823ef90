"""Account reports (HTML, Markdown, JSON, CSV) rendered from a small hand-built account."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from typing import Any

import networkx as nx
import pytest

from stakegraph.graph.dataset import parse_dataset
from stakegraph.graph.subgraph import build_subgraph
from stakegraph.influence.models import (
    AccountAnalysis,
    ContactLeaves,
    InfluenceTieAppears,
    LevelBecomes,
)
from stakegraph.influence.whatif import what_if
from stakegraph.reports.model import AccountReport, account_report
from stakegraph.reports.render import CSV_COLUMNS, render_account
from stakegraph.reports.whatif import comparison
from stakegraph.service.whatif_specs import ChangeSpecError, parse_changes

AS_OF = date(2026, 6, 30)
XSS = "<script>alert(1)</script>"


def report_dataset() -> dict[str, Any]:
    """Two KEY accounts: ``acc`` (the one reported on) and ``acc2`` (for portfolios).

    ``acc``: CEO (CHAMPION, KDM, economic buyer, known at 3 by Amy), CIO (SUPPORTER,
    technical evaluator, known at 2), CFO (OPPONENT, financial controller, known at 1 by
    Bob), a HIGH-rated engineer named like a script (NEUTRAL, user, influences the CIO),
    an analyst whose title looks like a spreadsheet formula, and a KDM who left.
    Amy owns both accounts, Bob owns ``acc2`` too (a conflict).
    """
    met = "2026-06-01T09:00:00Z"
    return {
        "companies": [
            {
                "id": "acc",
                "name": "Acme <Ltd> & Co",
                "tier": "KEY",
                "region": "East",
                "industry": "Manufacturing",
                "strategic_fit": 5,
                "profit_potential": 4,
                "stability": 4,
                "market_influence": 3,
            },
            {"id": "acc2", "name": "Beta Bank", "tier": "KEY", "region": "East"},
        ],
        "departments": [
            {
                "id": "d-exec",
                "name": "Executive",
                "function": "EXECUTIVE",
                "is_key": True,
                "company_id": "acc",
            },
            {
                "id": "d-it",
                "name": "IT",
                "function": "TECHNICAL",
                "is_key": True,
                "company_id": "acc",
            },
            {
                "id": "d-fin",
                "name": "Finance",
                "function": "FINANCE_PROCUREMENT",
                "company_id": "acc",
            },
            {
                "id": "d2-exec",
                "name": "Board",
                "function": "EXECUTIVE",
                "is_key": True,
                "company_id": "acc2",
            },
        ],
        "contacts": [
            {
                "id": "ceo",
                "name": "王伟",
                "title": "CEO",
                "seniority": "EXECUTIVE",
                "is_kdm": True,
                "stance": "CHAMPION",
                "department_id": "d-exec",
            },
            {
                "id": "cio",
                "name": "Li Na",
                "title": "CIO",
                "seniority": "VP",
                "stance": "SUPPORTER",
                "department_id": "d-it",
            },
            {
                "id": "cfo",
                "name": "Zhao Lei",
                "title": "CFO",
                "seniority": "DIRECTOR",
                "stance": "OPPONENT",
                "department_id": "d-fin",
            },
            {
                "id": "eng",
                "name": XSS,
                "title": "Engineer",
                "seniority": "STAFF",
                "influence_rating": "HIGH",
                "stance": "NEUTRAL",
                "department_id": "d-it",
            },
            {
                "id": "ana",
                "name": "Sun Qi",
                "title": '=HYPERLINK("x")',
                "seniority": "STAFF",
                "department_id": "d-fin",
            },
            {
                "id": "old",
                "name": "Former CFO",
                "seniority": "DIRECTOR",
                "is_kdm": True,
                "status": "LEFT",
                "department_id": "d-fin",
            },
            {
                "id": "b-ceo",
                "name": "Qian Hua",
                "seniority": "EXECUTIVE",
                "is_kdm": True,
                "stance": "SUPPORTER",
                "department_id": "d2-exec",
            },
        ],
        "opportunities": [
            {
                "id": "o1",
                "name": "ERP rollout",
                "stage": "SOLUTION",
                "status": "OPEN",
                "company_id": "acc",
            },
        ],
        "reps": [
            {"id": "r1", "name": "Amy", "industry_expert": True},
            {"id": "r2", "name": "Bob"},
        ],
        "teams": [{"id": "t1", "name": "Key accounts", "kind": "KEY_ACCOUNT"}],
        "relationships": [
            {"type": "HAS_ROLE", "from": "ceo", "to": "o1", "role": "ECONOMIC_BUYER"},
            {"type": "HAS_ROLE", "from": "cio", "to": "o1", "role": "TECHNICAL_EVALUATOR"},
            {"type": "HAS_ROLE", "from": "cfo", "to": "o1", "role": "FINANCIAL_CONTROLLER"},
            {"type": "HAS_ROLE", "from": "eng", "to": "o1", "role": "USER"},
            {"type": "KNOWS", "from": "r1", "to": "ceo", "level": 3, "last_contact_at": met},
            {"type": "KNOWS", "from": "r1", "to": "cio", "level": 2, "last_contact_at": met},
            {"type": "KNOWS", "from": "r2", "to": "cfo", "level": 1, "last_contact_at": met},
            {"type": "KNOWS", "from": "r2", "to": "b-ceo", "level": 3, "last_contact_at": met},
            {"type": "INFLUENCES", "from": "eng", "to": "cio", "strength": 3},
            {"type": "REPORTS_TO", "from": "cio", "to": "ceo"},
            {"type": "REPORTS_TO", "from": "cfo", "to": "ceo"},
            {"type": "REPORTS_TO", "from": "ana", "to": "cfo"},
            {"type": "ALLY_OF", "from": "eng", "to": "cfo"},
            {"type": "MEMBER_OF", "from": "r1", "to": "t1"},
            {"type": "COVERS", "from": "r1", "to": "acc", "kind": "OWNER"},
            {"type": "COVERS", "from": "r1", "to": "acc2", "kind": "OWNER"},
            {"type": "COVERS", "from": "r2", "to": "acc2", "kind": "OWNER"},
        ],
    }


def account_graph() -> nx.MultiDiGraph:
    batch = parse_dataset(report_dataset())
    return build_subgraph("acc", batch.nodes, batch.relationships)


@pytest.fixture(scope="module")
def report() -> AccountReport:
    return account_report(account_graph(), as_of=AS_OF)


# ------------------------------------------------------------------------------ HTML


def test_html_has_every_section_with_its_picture(report: AccountReport) -> None:
    html = render_account(report, "html")
    for section in ("summary", "grade", "coverage", "balance", "influence", "paths", "map",
                    "health", "opportunities", "contacts"):  # fmt: skip
        assert f'<section id="{section}"' in html
    assert html.count("<svg") >= 6  # balance, matrix, ranking, 2+ paths, map
    for label in ("Relationship grade", "Decision-chain coverage", "Role × status",
                  "Supporter / opponent balance", "Influence ranking",
                  "Paths to the economic buyer", "Political map"):  # fmt: skip
        assert label in html


def test_html_escapes_every_user_string(report: AccountReport) -> None:
    html = render_account(report, "html")
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()  # no script of our own either
    assert "Acme &lt;Ltd&gt; &amp; Co" in html


def test_html_is_one_self_contained_file(report: AccountReport) -> None:
    html = render_account(report, "html")
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"\bsrc\s*=", html, re.I)
    assert "@import" not in html and "url(h" not in html
    assert "default-src 'none'" in html  # a CSP forbids loading anything


def test_lang_zh_shows_chinese_headings(report: AccountReport) -> None:
    for fmt in ("html", "md"):
        text = render_account(report, fmt, lang="zh")
        for heading in ("关系等级", "决策链覆盖", "支持/反对力量对比", "影响力排名", "关键人路径",
                        "政治版图"):  # fmt: skip
            assert heading in text, (fmt, heading)
        assert "Decision-chain coverage" not in text
    assert '<html lang="zh-CN">' in render_account(report, "html", lang="zh")


# -------------------------------------------------------------------------- Markdown


def test_markdown_has_the_same_sections_as_tables(report: AccountReport) -> None:
    md = render_account(report, "md")
    headings = re.findall(r"^#+ (.+)$", md, re.M)
    assert headings[:4] == [
        "Influence report: Acme \\<Ltd> & Co",
        "Summary",
        "Relationship grade",
        "Key departments",
    ]
    for h in ("Decision-chain coverage", "Role × status", "Coverage holes",
              "Supporter / opponent balance", "Influence ranking",
              "Paths to the economic buyer", "Health", "Contacts"):  # fmt: skip
        assert h in headings
    assert "| Economic buyer | Covered | 王伟 | 王伟 |" in md
    assert XSS not in md and "\\<script>alert(1)\\</script>" in md
    assert "&amp;" not in md and "&gt;" not in md and "\\_" not in md  # reads as plain text


# ------------------------------------------------------------------------------- CSV


def test_csv_has_one_row_per_contact_with_the_columns(report: AccountReport) -> None:
    rows = list(csv.DictReader(io.StringIO(render_account(report, "csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    active = [r for r in rows if r["status"] == "ACTIVE"]
    assert sorted(r["id"] for r in active) == ["ana", "ceo", "cfo", "cio", "eng"]
    assert len({r["id"] for r in rows}) == len(rows) == 6
    by_id = {r["id"]: r for r in rows}
    assert by_id["ceo"]["roles"] == "ECONOMIC_BUYER" and "KDM" in by_id["ceo"]["flags"]
    assert by_id["ceo"]["effective_level"] == "3" and by_id["ceo"]["can_influence"] == "yes"
    assert by_id["eng"]["name"] == XSS and set(by_id["eng"]["flags"].split(";")) >= {"hidden"}
    assert by_id["old"]["flags"] == "KDM;LEFT" and by_id["old"]["influence"] == ""
    assert by_id["ana"]["title"].startswith("'=")  # no formula for spreadsheets
    assert active[0]["id"] == "ceo"  # most influential first
    assert float(by_id["ceo"]["influence"]) == pytest.approx(
        report.analysis.influence.score_of("ceo"), abs=1e-6
    )


# ------------------------------------------------------------------------------ JSON


def test_json_parses_back_into_the_analysis(report: AccountReport) -> None:
    doc = json.loads(render_account(report, "json"))
    assert doc["account"]["name"] == "Acme <Ltd> & Co"
    assert AccountAnalysis.model_validate(doc["analysis"]) == report.analysis
    assert AccountReport.model_validate(doc) == report


# ---------------------------------------------------------------------- report content


def test_paths_to_the_economic_buyer_start_with_the_best(report: AccountReport) -> None:
    assert report.economic_buyer_ids == ["ceo"]
    best = report.economic_buyer_paths[0]
    assert (best.rep_id, best.target_id, best.probability) == ("r1", "ceo", 0.75)
    probabilities = [p.probability for p in report.economic_buyer_paths]
    assert probabilities == sorted(probabilities, reverse=True)


def test_the_political_map_draws_only_ties_between_active_contacts(report: AccountReport) -> None:
    assert {(t.type, t.from_id, t.to_id) for t in report.ties} == {
        ("INFLUENCES", "eng", "cio"),
        ("REPORTS_TO", "cio", "ceo"),
        ("REPORTS_TO", "cfo", "ceo"),
        ("REPORTS_TO", "ana", "cfo"),
        ("ALLY_OF", "eng", "cfo"),
    }


def test_an_opportunity_focus_uses_its_coverage_and_stance_overrides() -> None:
    g = account_graph()
    g.edges["Contact:cfo", "Opportunity:o1", "HAS_ROLE"]["stance"] = "SUPPORTER"
    r = account_report(g, as_of=AS_OF, opportunity_id="o1")
    assert r.coverage.opportunity_id == "o1" and r.balance.opportunity_id == "o1"
    assert {c.contact_id: c.stance for c in r.contacts}["cfo"] == "SUPPORTER"
    assert "ERP rollout (o1)" in render_account(r, "md")


def test_no_economic_buyer_says_so() -> None:
    g = account_graph()
    g.remove_edge("Contact:ceo", "Opportunity:o1", "HAS_ROLE")
    r = account_report(g, as_of=AS_OF)
    assert r.economic_buyer_ids == []
    assert "No economic buyer is identified yet." in render_account(r, "html")


def test_a_large_map_is_capped_and_says_so() -> None:
    g = account_graph()
    from stakegraph.graph.model import Contact, Relationship

    for i in range(70):
        c = Contact(id=f"x{i:02d}", name=f"Extra {i}", seniority="STAFF")
        g.add_node(f"Contact:{c.id}", label="Contact", foreign=False, **c.model_dump())
        rel = Relationship(type="WORKS_IN", from_label="Contact", from_id=c.id,
                           to_label="Department", to_id="d-it")  # fmt: skip
        g.add_edge(rel.from_key, rel.to_key, key="WORKS_IN", type="WORKS_IN")
    html = render_account(account_report(g, as_of=AS_OF), "html")
    assert "Showing the 60 most influential of 75 active contacts." in html


def test_unknown_format_is_refused(report: AccountReport) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render_account(report, "pdf")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- what-if


def test_whatif_specs_become_changes() -> None:
    g = account_graph()
    changes = parse_changes(
        g, leave=["ceo"], stance=["cio=opponent"], level=["cfo=3", "r2:eng=2"], tie=["ana>cio=2"]
    )
    assert changes[0] == ContactLeaves(contact_id="ceo")
    assert changes[1].stance == "OPPONENT"
    assert changes[2] == LevelBecomes(rep_id="r2", contact_id="cfo", level=3)  # Bob knows cfo
    assert changes[3] == LevelBecomes(rep_id="r2", contact_id="eng", level=2)
    assert changes[4] == InfluenceTieAppears(from_contact_id="ana", to_contact_id="cio", strength=2)
    assert parse_changes(g, level=["ana=2"])[0].rep_id == "r1"  # nobody knows her: the owner


@pytest.mark.parametrize(
    ("option", "spec"),
    [
        ("stance", "cio=HAPPY"),
        ("level", "cio=7"),
        ("level", "cio"),
        ("tie", "a>b=9"),
        ("tie", "ab=1"),
    ],
)
def test_whatif_refuses_bad_specs(option: str, spec: str) -> None:
    with pytest.raises(ChangeSpecError):
        parse_changes(account_graph(), **{option: [spec]})


def test_whatif_comparison_marks_what_changed() -> None:
    g = account_graph()
    result = what_if(g, parse_changes(g, leave=["ceo"]), as_of=AS_OF)
    rows = {r.metric: r for r in comparison(result)}
    assert rows["role ECONOMIC_BUYER"].before == "COVERED"
    assert rows["role ECONOMIC_BUYER"].after == "MISSING"
    assert rows["grade"].changed or rows["score"].changed
    assert not rows["potential band"].changed
    assert g.nodes["Contact:ceo"]["status"] == "ACTIVE"  # the input graph is untouched
