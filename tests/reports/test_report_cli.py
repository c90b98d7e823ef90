"""Portfolio reports on both stores, and ``stakegraph report | grade | whatif`` run as real
processes against both stores."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.influence.models import AccountAnalysis, WhatIfResult
from stakegraph.reports.model import PortfolioReport
from stakegraph.reports.render import PORTFOLIO_CSV_COLUMNS, render_portfolio
from stakegraph.seeds import generate
from stakegraph.service.reports import portfolio_report
from tests.conftest import operator_scope
from tests.reports.test_report import AS_OF, XSS, report_dataset

DAY = AS_OF.isoformat()


class CountingStore:
    """The real store, counting how subgraphs are fetched."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.batches: list[list[str]] = []
        self.single = 0

    def account_subgraphs(
        self, company_ids: Sequence[str], **kwargs: Any
    ) -> dict[str, nx.MultiDiGraph]:
        self.batches.append(list(company_ids))
        return self._store.account_subgraphs(company_ids, **kwargs)

    def account_subgraph(self, company_id: str) -> nx.MultiDiGraph:
        self.single += 1
        return self._store.account_subgraph(company_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_the_portfolio_fetches_subgraphs_in_batches(store: GraphStore) -> None:
    import_dataset(store, generate(7, 6, 3))
    counting = CountingStore(store)
    seen: list[tuple[int, int]] = []
    report = portfolio_report(
        operator_scope(counting),  # type: ignore[arg-type]
        as_of=AS_OF,
        batch_size=3,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(report.rows) == 7
    assert [len(b) for b in counting.batches] == [3, 3, 1]
    assert len(counting.batches) == math.ceil(7 / 3) and counting.single == 0
    assert sorted(c for batch in counting.batches for c in batch) == sorted(
        r.company_id for r in report.rows
    )
    assert seen[-1] == (7, 7)
    counting.batches.clear()
    portfolio_report(operator_scope(counting), as_of=AS_OF)  # type: ignore[arg-type]
    assert len(counting.batches) == 1  # 200 per batch by default


def test_the_portfolio_report_has_rows_findings_and_rep_grades(store: GraphStore) -> None:
    import_dataset(store, report_dataset())
    report = portfolio_report(operator_scope(store), as_of=AS_OF)
    rows = {r.company_id: r for r in report.rows}
    assert set(rows) == {"acc", "acc2"}
    assert rows["acc"].owners == ["Amy"] and rows["acc2"].owners == ["Amy", "Bob"]
    assert rows["acc"].band == "A" and rows["acc"].verdict is not None
    assert [(f.kind, f.company_id) for f in report.findings if f.kind == "CONFLICT"] == [
        ("CONFLICT", "acc2")
    ]
    grades = {g.rep_id: g for g in report.rep_grades}
    assert set(grades) == {"r1", "r2"}
    assert grades["r1"].account_ids == ["acc", "acc2"]
    team = portfolio_report(operator_scope(store), as_of=AS_OF, team_id="t1")
    assert [g.rep_id for g in team.rep_grades] == ["r1"] and team.scope == "team t1"
    _check_portfolio_formats(report)


def _check_portfolio_formats(report: PortfolioReport) -> None:
    html = render_portfolio(report, "html")
    assert "Acme &lt;Ltd&gt; &amp; Co" in html and "Acme <Ltd>" not in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert "Coverage-model findings" in html and "Rep grades" in html and "<svg" in html
    zh = render_portfolio(report, "md", lang="zh")
    assert "客户覆盖模型问题" in zh and "销售分级" in zh and "相互争" in zh
    rows = list(csv.DictReader(io.StringIO(render_portfolio(report, "csv"))))
    assert tuple(rows[0]) == PORTFOLIO_CSV_COLUMNS and len(rows) == 2
    assert PortfolioReport.model_validate_json(render_portfolio(report, "json")) == report


# --------------------------------------------------------------------------- processes


@pytest.fixture(params=["embedded", "neo4j"])
def store_args(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    if request.param == "embedded":
        args = ["--store", "embedded", "--db", str(tmp_path / "cli.db")]
    else:
        request.getfixturevalue("neo4j_store")  # a clean Neo4j database
        args = ["--store", "neo4j", "--neo4j-uri", request.getfixturevalue("neo4j_uri")]
    src = tmp_path / "report.json"
    src.write_text(json.dumps(report_dataset(), ensure_ascii=False), encoding="utf-8")
    loaded = run("import", str(src), *args)
    assert loaded.returncode == 0, loaded.stderr
    return args


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "STAKEGRAPH_STORE")}
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "stakegraph", *args],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip


def test_report_writes_every_format(store_args: list[str], tmp_path: Path) -> None:
    out = tmp_path / "acc.html"
    html = run("report", "acc", "-o", str(out), "--as-of", DAY, *store_args)
    assert html.returncode == 0, html.stderr
    text = out.read_text(encoding="utf-8")
    assert "Decision-chain coverage" in text and "&lt;script&gt;" in text and XSS not in text
    assert "https://" not in text and "http://" not in text
    zh = run("report", "acc", "-f", "md", "--lang", "zh", "--as-of", DAY, *store_args)
    assert zh.returncode == 0 and "## 决策链覆盖" in zh.stdout and "## 关系等级" in zh.stdout
    as_json = run("report", "acc", "-f", "json", "--as-of", DAY, *store_args)
    analysis = AccountAnalysis.model_validate(json.loads(as_json.stdout)["analysis"])
    assert analysis.company_id == "acc" and analysis.as_of == AS_OF
    rows = list(csv.DictReader(io.StringIO(run("report", "acc", "-f", "csv", "--as-of", DAY,
                                               *store_args).stdout)))  # fmt: skip
    assert sorted(r["id"] for r in rows if r["status"] == "ACTIVE") == [
        "ana", "ceo", "cfo", "cio", "eng"
    ]  # fmt: skip
    focus = run("report", "acc", "--opportunity", "o1", "-f", "json", "--as-of", DAY, *store_args)
    assert json.loads(focus.stdout)["analysis"]["opportunity_id"] == "o1"


def test_report_of_a_portfolio(store_args: list[str]) -> None:
    result = run("report", "--portfolio", "--rep", "r2", "-f", "csv", "--as-of", DAY, *store_args)
    assert result.returncode == 0, result.stderr
    assert [r["id"] for r in csv.DictReader(io.StringIO(result.stdout))] == ["acc2"]
    team = run("report", "--portfolio", "--team", "t1", "-f", "md", "--as-of", DAY, *store_args)
    assert team.returncode == 0 and "team t1" in team.stdout and "Beta Bank" in team.stdout


def test_report_errors_exit_non_zero(store_args: list[str]) -> None:
    missing = run("report", "nope", *store_args)
    assert missing.returncode == 1 and "'nope' not found" in missing.stderr
    assert run("report", "acc", "-f", "pdf", *store_args).returncode == 2
    assert run("report", *store_args).returncode == 2  # neither an account nor --portfolio
    assert run("report", "acc", "--as-of", "30/06/2026", *store_args).returncode == 2


def test_grade_prints_the_rep_grade_with_its_counts(store_args: list[str]) -> None:
    result = run("grade", "--rep", "r1", "--as-of", DAY, *store_args)
    assert result.returncode == 0, result.stderr
    assert "Amy (r1)" in result.stdout and "JUNIOR" in result.stdout
    assert "Acme <Ltd> & Co (acc)" in result.stdout and "Beta Bank (acc2)" in result.stdout
    assert run("grade", "--rep", "ghost", *store_args).returncode == 1


def test_whatif_prints_before_and_after_and_writes_nothing(store_args: list[str]) -> None:
    before = run("export", "-", *store_args).stdout
    counts = run("counts", *store_args).stdout
    changes = ["--leave", "ceo", "--stance", "cio=OPPONENT", "--level", "cfo=3",
               "--level", "r1:eng=2", "--tie", "ana>cio=2"]  # fmt: skip
    table = run("whatif", "acc", *changes, "--as-of", DAY, *store_args)
    assert table.returncode == 0, table.stderr
    assert "before" in table.stdout and "role ECONOMIC_BUYER" in table.stdout
    as_json = run("whatif", "acc", *changes, "--as-of", DAY, "--json", *store_args)
    result = WhatIfResult.model_validate_json(as_json.stdout)
    assert len(result.changes) == 5
    assert result.before.effective_levels["cfo"] == 1 and result.after.effective_levels["cfo"] == 3
    assert "KDM_LEFT" in [str(c) for c in result.after.health.codes]
    assert run("export", "-", *store_args).stdout == before
    assert run("counts", *store_args).stdout == counts
    bad = run("whatif", "acc", "--stance", "cio=HAPPY", *store_args)
    assert bad.returncode == 2 and "unknown stance" in bad.stderr
    assert run("whatif", "acc", "--leave", "ghost", *store_args).returncode == 1
