"""§3.19 in the reports: the account's timeline as an inline SVG chart and a table (en
and zh, escaped, no script), and drift alerts and what changed since in the portfolio
report."""

from __future__ import annotations

import json
from datetime import date

from stakegraph.influence.analysis import analyze_account
from stakegraph.influence.timeline import account_changes, account_timeline, drift_alert
from stakegraph.reports.i18n import labels
from stakegraph.reports.model import account_report, portfolio_report
from stakegraph.reports.render import render_account, render_portfolio
from tests.influence.test_history import hengtai_history

JUN = date(2025, 6, 30)


def _report():  # type: ignore[no-untyped-def]
    g = hengtai_history()
    g.nodes["Contact:wang"]["name"] = "<b>Wang</b>"
    t = account_timeline(g, date(2025, 1, 1), JUN)
    return account_report(g, as_of=JUN, timeline=t.points)


def test_the_html_report_draws_the_timeline_and_names_the_events() -> None:
    html = render_account(_report(), "html", lang="en")
    section = html[html.index('<section id="timeline">') :]
    section = section[: section.index("</section>")]
    assert "<svg" in section and "<script" not in html
    assert section.count("<tr>") == 1 + 6  # header and six month ends
    assert "&lt;b&gt;Wang&lt;/b&gt;: stance Supporter → Opponent (2025-05-01, system)" in section
    assert "<b>Wang</b>" not in html


def test_the_chinese_report_words_the_timeline_in_chinese() -> None:
    html = render_account(_report(), "html", lang="zh")
    section = html[html.index('<section id="timeline">') :]
    section = section[: section.index("</section>")]
    zh, en = labels("zh"), labels("en")
    assert zh["sec.timeline"] in section and "态度 支持 → 反对" in section
    for key in ("sec.timeline", "f.events", "field.stance", "field.level"):
        assert en[key] not in section, key


def test_markdown_and_json_carry_the_timeline_table() -> None:
    r = _report()
    md = render_account(r, "md", lang="en")
    assert "## Timeline" in md and "| 2025-04-30 | Strong |" in md
    doc = json.loads(render_account(r, "json"))
    assert [p["grade"] for p in doc["timeline"]][1:5] == [
        "BASIC",
        "BASIC",
        "STRONG",
        "INTERMEDIATE",
    ]


def test_the_portfolio_report_shows_drift_and_what_changed_since() -> None:
    g = hengtai_history()
    a = analyze_account(g, as_of=JUN)
    alert = drift_alert(g, JUN)
    changes = account_changes(g, date(2025, 4, 15), JUN)
    assert alert is not None
    p = portfolio_report(
        [a],
        g,
        as_of=JUN,
        scope="all",
        findings=[],
        rep_grades=[],
        drift=[alert],
        changes_since=date(2025, 4, 15),
        changes=[changes],
    )
    for lang in ("en", "zh"):
        w = labels(lang)
        html = render_portfolio(p, "html", lang=lang)
        drift = html[html.index('<section id="drift">') :]
        assert w["drift.grade_fell"] in drift and "wang: " in drift
        assert f"{w['sec.changes']} 2025-04-15" in html
        md = render_portfolio(p, "md", lang=lang)
        assert f"## {w['sec.drift']}" in md and w["grade.STRONG"] in md
    zh = render_portfolio(p, "html", lang="zh")
    assert labels("en")["sec.drift"] not in zh and labels("en")["no_changes"] not in zh
