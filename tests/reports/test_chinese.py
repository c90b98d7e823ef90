"""Full Chinese reports: the analytics' texts come as codes and are worded per language.

Every demo account's report in zh (HTML and Markdown) shows no fixed piece of the
English catalogue (hole reasons, health evidence, deal warnings, findings) and no raw
enum value; in en the same texts are the analytics' English ones.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stakegraph.graph.store import GraphStore
from stakegraph.influence.messages import ENUM_WORDS, TEMPLATES, english, render, text_of
from stakegraph.influence.models import AccountAnalysis
from stakegraph.reports.i18n import labels
from stakegraph.reports.model import AccountReport, account_report, portfolio_report
from stakegraph.reports.render import render_account, render_portfolio
from stakegraph.seeds import DEMO_TODAY
from stakegraph.service.portfolio import findings, portfolio_graph, rep_grades_of
from tests.conftest import operator_scope
from tests.reports.chinese import (
    demo_account_ids,
    demo_store,
    english_in,
    raw_values_in,
    visible_text,
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    s = demo_store(tmp_path_factory.mktemp("zh") / "demo.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def reports(store: GraphStore) -> dict[str, AccountReport]:
    return {
        cid: account_report(store.account_subgraph(cid), as_of=DEMO_TODAY)
        for cid in demo_account_ids()
    }


def _texts(a: AccountAnalysis) -> list[object]:
    covs = [a.coverage, *a.opportunity_coverage]
    return [*(h for c in covs for h in c.holes), *a.health.signals, *a.deal_warnings]


def test_the_demo_has_texts_of_every_kind(reports: dict[str, AccountReport]) -> None:
    """The demo exercises holes, health evidence and deal warnings (else the test is idle)."""
    analyses = [r.analysis for r in reports.values()]
    assert any(a.coverage.holes for a in analyses)
    assert any(a.health.signals for a in analyses)
    assert any(a.deal_warnings for a in analyses)


def test_every_text_carries_its_code_and_reads_as_its_english(
    reports: dict[str, AccountReport],
) -> None:
    words = labels("en")
    for r in reports.values():
        for item in _texts(r.analysis):
            assert getattr(item, "code", None) is not None
            english_text = getattr(item, "reason", None) or getattr(item, "evidence", "")
            assert text_of(item, lang="en", words=words) == english_text  # type: ignore[arg-type]


def test_every_code_has_a_chinese_template_with_the_same_placeholders() -> None:
    import string

    def fields(template: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(template) if f}

    assert TEMPLATES["zh"].keys() == TEMPLATES["en"].keys()
    for code, template in TEMPLATES["en"].items():
        assert fields(TEMPLATES["zh"][code]) == fields(template), code
    assert ENUM_WORDS["zh"].keys() == ENUM_WORDS["en"].keys()


def test_a_hole_names_its_role_in_chinese() -> None:
    zh = render(
        "NO_CONTACT_IN_ROLE", {"role": "FINANCIAL_CONTROLLER"}, lang="zh", words=labels("zh")
    )
    assert zh == "没有在职联系人担任财务/采购把关者"
    assert english("NO_CONTACT_IN_ROLE", {"role": "FINANCIAL_CONTROLLER"}) == (
        "no active contact holds FINANCIAL_CONTROLLER"
    )


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_chinese_reports_show_no_english_text_nor_raw_enum_value(
    reports: dict[str, AccountReport], fmt: str
) -> None:
    for cid, r in reports.items():
        out = render_account(r, fmt, lang="zh")  # type: ignore[arg-type]
        text = visible_text(out) if fmt == "html" else out
        assert english_in(text) == [], cid
        assert raw_values_in(text) == [], cid
        for item in _texts(r.analysis):
            assert text_of(item, lang="zh", words=labels("zh")) in " ".join(text.split())


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_english_reports_keep_the_english_texts(
    reports: dict[str, AccountReport], fmt: str
) -> None:
    for r in reports.values():
        out = render_account(r, fmt, lang="en")  # type: ignore[arg-type]
        text = " ".join((visible_text(out) if fmt == "html" else out).split())
        for item in _texts(r.analysis):
            english_text = getattr(item, "reason", None) or getattr(item, "evidence", "")
            assert " ".join(english_text.split()) in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_portfolio_report_words_findings_tiers_and_scope(store: GraphStore, lang: str) -> None:
    scope = operator_scope(store)
    analyses = {cid: scope.analysis(cid, DEMO_TODAY) for cid in demo_account_ids()}
    found = findings(scope, company_ids=list(analyses))
    report = portfolio_report(
        list(analyses.values()),
        portfolio_graph(scope),
        as_of=DEMO_TODAY,
        scope="all",
        findings=found,
        rep_grades=rep_grades_of(scope, analyses, None),
    )
    for fmt in ("html", "md"):
        out = render_portfolio(report, fmt, lang=lang)  # type: ignore[arg-type]
        text = visible_text(out) if fmt == "html" else out
        if lang == "zh":
            assert english_in(text) == []
            assert raw_values_in(text) == []
        for f in found:
            assert f.code is not None
            assert text_of(f, lang=lang, words=labels(lang)) in " ".join(text.split())


def test_an_analysis_cached_before_the_codes_still_renders_in_english(
    reports: dict[str, AccountReport],
) -> None:
    """Entries of the old cache format decode (new fields default) and show their English."""
    from stakegraph.service.analysis_cache import analysis_key

    assert analysis_key("c", DEMO_TODAY, None, "f").startswith("a2|")
    r = next(r for r in reports.values() if r.analysis.coverage.holes)
    old = r.analysis.model_dump(mode="json")
    for h in old["coverage"]["holes"]:
        del h["code"], h["params"]
    a = AccountAnalysis.model_validate(old)
    h = a.coverage.holes[0]
    assert h.code is None
    assert text_of(h, lang="zh", words=labels("zh")) == h.reason
