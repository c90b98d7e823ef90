"""Rendering of a sales-method view (MEDDPICC, Blue Sheet, Altify) as a report section.

:func:`render_method_view` takes a :class:`~stakegraph.influence.method_models.MethodView`
and returns a Markdown or HTML section (an HTML fragment to place in a page, with its
own small style block); every value from the data is escaped (HTML by jinja2's
autoescape, Markdown by a ``finalize`` that escapes table and emphasis characters).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

from stakegraph.influence.method_models import MethodView
from stakegraph.reports.markdown import md_cell

__all__ = ["METHOD_LABELS", "method_view_page", "render_method_view"]

MethodFormat = Literal["md", "html"]

METHOD_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "MEDDPICC": "MEDDPICC",
        "BLUE_SHEET": "Blue Sheet (Strategic Selling)",
        "ALTIFY": "Altify relationship map",
        "opportunity": "Opportunity",
        "as_of": "as of",
        "status": "Status",
        "element": "Element",
        "state": "Where it stands",
        "summary": "Summary",
        "evidence": "Evidence",
        "people": "People",
        "name": "Name",
        "title": "Title",
        "group": "Group",
        "red_flags": "Red flags",
        "none": "none",
        "GREEN": "green",
        "AMBER": "amber",
        "RED": "red",
        "UNKNOWN": "unknown",
    },
    "zh": {
        "MEDDPICC": "MEDDPICC",
        "BLUE_SHEET": "蓝表（策略销售）",
        "ALTIFY": "Altify 关系图",
        "opportunity": "商机",
        "as_of": "截至",
        "status": "状态",
        "element": "要素",
        "state": "进展",
        "summary": "说明",
        "evidence": "依据",
        "people": "人员",
        "name": "姓名",
        "title": "职位",
        "group": "分组",
        "red_flags": "风险信号",
        "none": "无",
        "GREEN": "绿",
        "AMBER": "黄",
        "RED": "红",
        "UNKNOWN": "未知",
    },
}


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _values(values: Mapping[str, Any]) -> str:
    return "; ".join(f"{k} {_cell(v)}" for k, v in values.items() if v is not None)


_ENVS: dict[bool, Environment] = {}


def _environment(markdown: bool) -> Environment:
    if markdown not in _ENVS:
        env = Environment(
            loader=PackageLoader("stakegraph.reports", "templates"),
            autoescape=not markdown,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=md_cell if markdown else None,
        )
        env.filters.update(cell=_cell, values=_values)
        _ENVS[markdown] = env
    return _ENVS[markdown]


def render_method_view(view: MethodView, fmt: MethodFormat = "md", *, lang: str = "en") -> str:
    """A sales-method view as a Markdown or HTML report section.

    Parameters
    ----------
    view : MethodView
        From :func:`stakegraph.influence.methods.method_view` (or one of its three).
    fmt : {"md", "html"}
    lang : {"en", "zh"}
        The language of the headings; the method's own words stay as configured.

    Raises
    ------
    ValueError
        For another format or language.

    Examples
    --------
    >>> from stakegraph.influence import analyze_account
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> from stakegraph.influence.methods import meddpicc_view
    >>> g = tiny_account()
    >>> text = render_method_view(meddpicc_view(g, analyze_account(g, as_of=AS_OF)))
    >>> text.splitlines()[0]
    '## MEDDPICC: CRM rollout (o-crm)'
    """
    if fmt not in ("md", "html"):
        raise ValueError(f"unknown format {fmt!r}; choose md or html")
    if lang not in METHOD_LABELS:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(METHOD_LABELS)}")
    template = _environment(fmt == "md").get_template(f"method_view.{fmt}.j2")
    names = {p.contact_id: p.name for p in view.people}
    for element in view.elements:
        for ev in element.evidence:
            if ev.contact_id and ev.name:
                names.setdefault(ev.contact_id, ev.name)
    return template.render(v=view, t=METHOD_LABELS[lang], names=names)


def method_view_page(view: MethodView, *, lang: str = "en") -> str:
    """A sales-method view as one standalone HTML file (the section in a page).

    Examples
    --------
    >>> from stakegraph.influence import analyze_account
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> from stakegraph.influence.methods import meddpicc_view
    >>> g = tiny_account()
    >>> page = method_view_page(meddpicc_view(g, analyze_account(g, as_of=AS_OF)))
    >>> page.startswith("<!DOCTYPE html>") and "<title>MEDDPICC: CRM rollout</title>" in page
    True
    """
    section = render_method_view(view, "html", lang=lang)
    method = {"BLUE_SHEET": "Blue Sheet", "ALTIFY": "Altify"}.get(view.method, view.method)
    title = html.escape(f"{method}: {view.opportunity_name}")
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head>\n<body>\n{section}</body>\n</html>\n"
    )
