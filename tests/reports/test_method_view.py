"""The sales-method report section (reports.method_view): every letter, escaped values."""

from __future__ import annotations

import re

import networkx as nx

from stakegraph.influence import analyze_account
from stakegraph.influence._example import AS_OF, tiny_account
from stakegraph.influence.methods import blue_sheet_view, meddpicc_view
from stakegraph.reports.method_view import render_method_view


def _graph() -> nx.MultiDiGraph:
    g = tiny_account()
    g.nodes["Contact:c-ceo"]["name"] = "Wang | <script>alert(1)</script> *boss*"
    return g


def test_markdown_has_one_row_per_letter_and_escapes_names() -> None:
    g = _graph()
    view = meddpicc_view(g, analyze_account(g, as_of=AS_OF))
    text = render_method_view(view, "md")
    rows = [line for line in text.splitlines() if line.startswith("| ")][1:]
    assert [r.split(" ")[1] for r in rows] == ["M", "E", "D1", "D2", "P", "I", "C1", "C2"]
    assert not re.search(r"(?<!\\)<script>", text) and "Wang \\| \\<script>" in text
    assert "\\*boss\\*" in text


def test_html_escapes_every_value_and_colours_statuses() -> None:
    g = _graph()
    view = blue_sheet_view(g, analyze_account(g, as_of=AS_OF))
    html = render_method_view(view, "html")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<tr><td>") == len(view.elements) + len(view.people)
    assert f'class="{view.element("ECONOMIC").status.value}"' in html


def test_chinese_headings() -> None:
    g = tiny_account()
    text = render_method_view(blue_sheet_view(g, analyze_account(g, as_of=AS_OF)), lang="zh")
    assert text.startswith("## 蓝表（策略销售）") and "### 人员" in text
