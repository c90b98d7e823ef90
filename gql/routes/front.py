"""The front page, the account report page and the offline API docs.

* ``GET /?first=&after=&asOf=`` — the accounts the caller may see (a page at a time),
  each with its grade, coverage, balance, health and potential, and links to its
  maps (``/accounts/{id}/map``), its report (``/accounts/{id}/report``), GraphiQL
  (when on) and the API docs.
* ``GET /accounts/{id}/report?lang=en|zh&opportunity=…&asOf=…`` — the account's HTML report
  (the page ``stakegraph report --format html`` writes).
* ``GET /docs`` — FastAPI's Swagger UI, with its script and styles served from
  ``/static/vendor`` (no CDN).

Authentication and visibility are the map routes' (:mod:`stakegraph.gql.deps`): an
API key (``X-API-Key`` or ``Authorization: Bearer``), anonymous in demo mode; an
account the caller may not see is ``404``, as one that does not exist. Every string
of the data is escaped (jinja2 autoescape); the pages run no script.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from stakegraph.gql.deps import ScopeDep
from stakegraph.gql.front_words import front_words
from stakegraph.gql.routes.maps import BASE_HEADERS
from stakegraph.service.overview import account_summaries
from stakegraph.service.reports import account_report_html
from stakegraph.viz.page import new_nonce

__all__ = ["STATIC_DIR", "SWAGGER_UI", "router"]

router = APIRouter(tags=["pages"])

HERE = Path(__file__).resolve().parents[1]
#: The vendored browser assets, mounted at ``/static`` by the app.
STATIC_DIR = HERE / "static"
#: The pinned Swagger UI served under ``/static/vendor``.
SWAGGER_UI = "/static/vendor/swagger-ui-dist@5.35.0"

Lang = Literal["en", "zh"]

_env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _segment(value: str) -> str:
    """One URL path segment (every reserved character quoted, ``/`` too)."""
    return quote(value, safe="")


def _query(**params: object) -> str:
    """``?a=1&b=2`` of the given parameters without the ``None`` ones (``""``: none)."""
    given = {k: str(v) for k, v in params.items() if v is not None}
    return "?" + urlencode(given) if given else ""


_env.filters["segment"] = _segment
_env.globals["query"] = _query
_env.filters["pct"] = _pct
_env.filters["signed"] = _signed
_env.filters["score"] = _score


def _csp(nonce: str) -> str:
    return (
        "default-src 'none'; "
        f"style-src 'nonce-{nonce}'; "
        "img-src 'self' data:; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


@router.get("/", response_class=HTMLResponse)
async def front_page(
    request: Request,
    scope: ScopeDep,
    first: Annotated[int, Query(ge=1)] = 50,
    after: str | None = None,
    as_of: Annotated[date | None, Query(alias="asOf")] = None,
    lang: Lang | None = None,
) -> Response:
    """The accounts the caller may see, with their figures and links (figures as of
    ``asOf``, default today; the report links carry it). In ``lang``; without it, the
    first of ``Accept-Language`` that is ``zh`` or ``en``, else ``STAKEGRAPH_LANG``."""
    shown_lang = lang or _accepted(
        request.headers.get("accept-language"), scope.settings.default_lang
    )
    size = min(first, scope.settings.page_max)
    page = await asyncio.to_thread(account_summaries, scope, first=size, after=after, as_of=as_of)
    nonce = new_nonce()
    html = _env.get_template("front.html.j2").render(
        page=page,
        first=size,
        as_of=as_of.isoformat() if as_of else None,
        nonce=nonce,
        graphiql=scope.settings.demo_mode,
        demo_mode=scope.settings.demo_mode,
        principal=scope.principal,
        lang=shown_lang,
        lang_param=lang,
        w=front_words(shown_lang),
    )
    headers = {**BASE_HEADERS, "Content-Security-Policy": _csp(nonce), "Vary": "Accept-Language"}
    return HTMLResponse(html, headers=headers)


def _accepted(header: str | None, default: Lang) -> Lang:
    """The first language of an ``Accept-Language`` header the page has (``zh-CN``,
    ``zh;q=0.9`` … are ``zh``), by preference; ``default`` when none."""
    ranked: list[tuple[float, int, Lang]] = []
    for i, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        base = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if base in ("en", "zh") and q > 0:
            ranked.append((-q, i, "zh" if base == "zh" else "en"))
    return min(ranked)[2] if ranked else default


@router.get("/accounts/{account_id}/report", response_class=HTMLResponse)
async def account_report(
    scope: ScopeDep,
    account_id: str,
    lang: Lang = "en",
    opportunity: str | None = None,
    as_of: Annotated[date | None, Query(alias="asOf")] = None,
) -> Response:
    """The HTML report of one account (API key; the account must be visible)."""
    html = await asyncio.to_thread(
        account_report_html,
        scope,
        account_id,
        lang=lang,
        opportunity_id=opportunity,
        as_of=as_of,
    )
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    )
    return HTMLResponse(html, headers={**BASE_HEADERS, "Content-Security-Policy": csp})


@router.get("/docs", include_in_schema=False)
async def swagger_ui(request: Request) -> HTMLResponse:
    """FastAPI's Swagger UI over the vendored assets (works offline); demo mode only."""
    if request.app.openapi_url is None:
        raise HTTPException(status_code=404, detail="not found")
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} — API docs",
        swagger_js_url=f"{SWAGGER_UI}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER_UI}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER_UI}/favicon-32x32.png",
        oauth2_redirect_url=None,
        swagger_ui_parameters={"validatorUrl": None},
    )
