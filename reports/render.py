"""Rendering of the influence reports: HTML, Markdown, JSON and CSV.

* **HTML** is one self-contained file: inline CSS and SVG, no script, no external
  resource (a Content-Security-Policy forbids them too); every text from the data passes
  through jinja2's autoescape.
* **Markdown** has the same sections as tables; every value is escaped for Markdown
  (``|``, ``<``, emphasis characters) by the environment's ``finalize``.
* **JSON** is the report model itself (:class:`~stakegraph.reports.model.AccountReport`, whose
  ``analysis`` is the :class:`~stakegraph.influence.models.AccountAnalysis`).
* **CSV** is one row per contact (:data:`CSV_COLUMNS`).

Labels come from :mod:`stakegraph.reports.i18n` (``lang="en"`` or ``"zh"``).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from stakegraph.graph.model import ChangeEvent, Label
from stakegraph.influence.messages import text_of
from stakegraph.influence.models import HealthStatus, RelationshipGradeLevel
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings
from stakegraph.reports.i18n import labels
from stakegraph.reports.markdown import md_cell
from stakegraph.reports.model import AccountReport, PlanRow, PortfolioReport
from stakegraph.reports.svg import (
    GRADE_COLOURS,
    HEALTH_COLOURS,
    balance_chart,
    coverage_matrix,
    distribution_chart,
    path_diagrams,
    political_map,
    ranking_chart,
    timeline_chart,
)

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "PORTFOLIO_CSV_COLUMNS",
    "Format",
    "render_account",
    "render_portfolio",
]

Format = Literal["html", "md", "json", "csv"]
FORMATS: tuple[str, ...] = ("html", "md", "json", "csv")

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "title",
    "department",
    "seniority",
    "status",
    "influence",
    "pagerank",
    "betweenness",
    "stance",
    "effective_level",
    "can_influence",
    "roles",
    "flags",
)
PORTFOLIO_CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "tier",
    "region",
    "grade",
    "score",
    "coverage_ratio",
    "weighted_coverage",
    "balance",
    "verdict",
    "health",
    "signals",
    "potential",
    "band",
    "owners",
)


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


def _environment(markdown: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("stakegraph.reports", "templates"),
        autoescape=not markdown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=md_cell if markdown else None,
    )
    env.filters.update(num=_num, pct=_pct, signed=_signed)
    return env


_ENVS: dict[bool, Environment] = {}


def _template(name: str) -> Template:
    markdown = name.endswith(".md.j2")
    if markdown not in _ENVS:
        _ENVS[markdown] = _environment(markdown)
    return _ENVS[markdown].get_template(name)


def _csv(header: tuple[str, ...], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buf.getvalue()


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


# ------------------------------------------------------------------------------ account


def _account_csv(report: AccountReport) -> str:
    rows = [
        [
            c.contact_id,
            c.name,
            c.title,
            c.department,
            None if c.seniority is None else str(c.seniority),
            str(c.status),
            None if c.influence is None else round(c.influence, 6),
            None if c.pagerank is None else round(c.pagerank, 6),
            None if c.betweenness is None else round(c.betweenness, 6),
            str(c.stance),
            c.effective_level,
            "yes" if c.can_influence else "no",
            ";".join(str(r) for r in c.roles),
            ";".join(c.flags),
        ]
        for c in report.contacts
    ]
    return _csv(CSV_COLUMNS, rows)


def _account_context(
    report: AccountReport, words: Mapping[str, str], settings: AnalysisSettings, lang: str
) -> dict[str, Any]:
    coverage, balance = report.coverage, report.balance
    names = report.names
    map_chart, shown, total = political_map(report.contacts, report.ties, words)
    return {
        "r": report,
        "a": report.analysis,
        "t": words,
        "lang": lang,
        "coverage": coverage,
        "balance": balance,
        "focus": report.analysis.opportunity_id,
        "charts": {
            "balance": balance_chart(balance, words, threshold=settings.verdict_threshold),
            "matrix": coverage_matrix(coverage, words, names),
            "ranking": ranking_chart(report.active_contacts, words),
            "paths": path_diagrams(report.economic_buyer_paths, names, words),
            "map": map_chart,
            "timeline": timeline_chart(report.timeline, words) if report.timeline else None,
        },
        "map_caption": words["legend.map_cap"].format(shown=shown, total=total)
        if shown < total
        else "",
        "dept_name": lambda d: names.get(f"Department:{d}", d),
        "name": report.name_of,
        "names_of": lambda ids: ", ".join(report.name_of(i) for i in ids),
        "path_text": lambda p: " → ".join(names.get(k, k.partition(":")[2]) for k in p.node_keys),
        "text": lambda item: text_of(item, lang=lang, words=words),
        "word": lambda kind, value: _word(words, kind, value),
        "plan_target": lambda p: _plan_target(report, words, p),
        "event": lambda e: event_text(e, words, lambda i: _any_name(report, i)),
    }


def _any_name(report: AccountReport, node_id: str) -> str:
    for label in (Label.CONTACT, Label.REP, Label.OPPORTUNITY):
        key = f"{label}:{node_id}"
        if key in report.names:
            return report.names[key]
    return node_id


def _scope(words: Mapping[str, str], scope: str) -> str:
    """``"rep R"``, ``"team T"`` or ``"all"`` in the report's words."""
    kind, _, who = scope.partition(" ")
    word = words.get(f"scope.{kind}", kind)
    return f"{word} {who}".strip()


def _word(words: Mapping[str, str], kind: str, value: object) -> str:
    """The word of an enum value (``tier``, ``KEY`` → "Key"); empty for none, else the value."""
    if value is None or value == "":
        return ""
    return words.get(f"{kind}.{value}", str(value))


def event_text(e: ChangeEvent, words: Mapping[str, str], name: Callable[[str], str] = str) -> str:
    """A change event in words: whom it concerns, which field, old → new, when, by whom
    (§3.19); ``name`` turns a contact id into its name."""

    def value(v: object) -> str:
        if v is None:
            return "–"
        return words.get(f"{e.field}.{v}", str(v))

    ends = e.entity_id.split("->")
    who = " → ".join(name(x) for x in ends) if len(ends) > 1 else name(e.entity_id)
    field = words.get(f"field.{e.field}", e.field)
    return f"{who}: {field} {value(e.old)} → {value(e.new)} ({e.at:%Y-%m-%d}, {e.by})"


def _plan_target(report: AccountReport, words: Mapping[str, str], row: PlanRow) -> str:
    """Whom a plan target is about: the contact, or "<role> (any)" of a deal."""
    if row.contact_id is not None:
        return report.name_of(row.contact_id)
    who = f"{words.get('role.' + str(row.role), str(row.role))} ({words['plan.any']})"
    if row.opportunity_id is not None:
        who += f" · {report.name_of(row.opportunity_id, Label.OPPORTUNITY)}"
    return who


def render_account(
    report: AccountReport,
    fmt: Format = "html",
    *,
    lang: str = "en",
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> str:
    """The account report as text in one of :data:`FORMATS`.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> from stakegraph.reports.model import account_report
    >>> r = account_report(tiny_account(), as_of=AS_OF)
    >>> render_account(r, "csv").splitlines()[1].split(",")[:3]
    ['c-ceo', 'Wang Wei', '']
    >>> "关系等级" in render_account(r, "md", lang="zh")
    True
    """
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        return _account_csv(report)
    words = labels(lang)
    context = _account_context(report, words, settings, lang)
    if fmt == "html":
        return str(_template("account_report.html.j2").render(context))
    if fmt == "md":
        return str(_template("account_report.md.j2").render(context))
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------- portfolio


def _portfolio_csv(report: PortfolioReport) -> str:
    rows = [
        [
            r.company_id,
            r.name,
            r.tier,
            r.region,
            str(r.grade.grade),
            round(r.grade.score, 2),
            round(r.ratio, 4),
            round(r.weighted_ratio, 4),
            None if r.balance is None else round(r.balance, 4),
            r.verdict,
            r.health,
            ";".join(r.signals),
            None if r.potential is None else round(r.potential, 2),
            r.band,
            ";".join(r.owners),
        ]
        for r in report.rows
    ]
    return _csv(PORTFOLIO_CSV_COLUMNS, rows)


def render_portfolio(report: PortfolioReport, fmt: Format = "html", *, lang: str = "en") -> str:
    """The portfolio report as text in one of :data:`FORMATS`."""
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        return _portfolio_csv(report)
    words = labels(lang)
    grades = Counter(str(r.grade.grade) for r in report.rows)
    health = Counter(r.health for r in report.rows)
    context = {
        "p": report,
        "t": words,
        "lang": lang,
        "scope": _scope(words, report.scope),
        "rows": sorted(report.rows, key=lambda r: (-r.grade.score, r.company_id)),
        "charts": {
            "grades": distribution_chart(
                {str(g): grades[str(g)] for g in reversed(RelationshipGradeLevel)},
                GRADE_COLOURS,
                words,
                "grade",
                words["f.grade"],
            ),
            "health": distribution_chart(
                {str(h): health[str(h)] for h in HealthStatus},
                HEALTH_COLOURS,
                words,
                "health",
                words["f.health"],
            ),
        },
        "name": lambda key: report.names.get(key, key.partition(":")[2]),
        "text": lambda item: text_of(item, lang=lang, words=words),
        "word": lambda kind, value: _word(words, kind, value),
        "event": lambda e: event_text(e, words),
    }
    if fmt == "html":
        return str(_template("portfolio_report.html.j2").render(context))
    if fmt == "md":
        return str(_template("portfolio_report.md.j2").render(context))
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
