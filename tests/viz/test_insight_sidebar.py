"""Brokers (§3.4), data gaps (§3.14) and deal warnings (§3.16) on the map and in the
account report: what the analysis found, in the reader's language, escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from stakegraph.graph.model import Label, node_key
from stakegraph.graph.store import GraphStore
from stakegraph.influence import analyze_account
from stakegraph.reports.model import account_report
from stakegraph.reports.render import render_account
from stakegraph.seeds import DEMO_TODAY
from stakegraph.viz.page import account_map_html, read_page_data
from tests.reports.chinese import demo_store

ACCOUNT = "co-orient"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    s = demo_store(tmp_path_factory.mktemp("insights") / "demo.db")
    yield s
    s.close()


def _section(html: str, section_id: str) -> str:
    return html.split(f'<section id="{section_id}">', 1)[1].split("</section>", 1)[0]


def _data(html: str) -> dict[str, Any]:
    return read_page_data(html)


@pytest.mark.parametrize("view", ["org", "political"])
def test_the_map_lists_what_the_analysis_found(store: GraphStore, view: str) -> None:
    g = store.account_subgraph(ACCOUNT)
    analysis = analyze_account(g, as_of=DEMO_TODAY)
    assert analysis.brokers and analysis.data_gaps  # the demo account has both
    html = account_map_html(g, view=view, as_of=DEMO_TODAY)
    brokers = _section(html, "brokers-section")
    names = [g.nodes[node_key(Label.CONTACT, b.contact_id)]["name"] for b in analysis.brokers]
    assert re.findall(r"<li>(.*?) <span", brokers) == names  # highest betweenness first
    data = _data(html)
    assert [b["node"] for b in data["brokers"]] == [
        node_key(Label.CONTACT, b.contact_id) for b in analysis.brokers
    ]
    gaps = _section(html, "gaps-section")
    assert gaps.count("<li>") == len(analysis.data_gaps)
    assert "Never verified nor met" in gaps or "Stance of a key decision maker" in gaps
    warnings = _section(html, "warnings-section")
    assert warnings.count("<li>") == len(analysis.deal_warnings)
    assert 'id="ov-brokers"' in html


def test_the_chinese_map_words_them_in_chinese(store: GraphStore) -> None:
    html = account_map_html(store.account_subgraph(ACCOUNT), view="political", as_of=DEMO_TODAY,
                            lang="zh")  # fmt: skip
    assert "<h2>关键桥梁人物</h2>" in html and "<h2>数据缺口</h2>" in html
    assert "从未核实也从未拜访" in _section(html, "gaps-section")
    assert "Never verified" not in html


def test_names_are_escaped_in_the_sidebar(store: GraphStore) -> None:
    g = store.account_subgraph(ACCOUNT)
    top = analyze_account(g, as_of=DEMO_TODAY).brokers[0].contact_id
    g.nodes[node_key(Label.CONTACT, top)]["name"] = HOSTILE
    html = account_map_html(g, view="political", as_of=DEMO_TODAY)
    assert HOSTILE not in _section(html, "brokers-section")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _section(html, "brokers-section")


def test_the_account_report_has_brokers_and_data_gaps(store: GraphStore) -> None:
    g = store.account_subgraph(ACCOUNT)
    report = account_report(g, as_of=DEMO_TODAY)
    analysis = report.analysis
    html = render_account(report, "html")
    assert _section(html, "brokers").count("<tr>") == len(analysis.brokers) + 1
    assert _section(html, "data-gaps").count("<tr>") == len(analysis.data_gaps) + 1
    md = render_account(report, "md")
    brokers = md.split("## Brokers", 1)[1].split("## ", 1)[0]
    assert brokers.count("\n| ") == len(analysis.brokers) + 1  # header + one row each
    zh = render_account(report, "md", lang="zh")
    assert "## 关键桥梁人物" in zh and "## 数据缺口" in zh
