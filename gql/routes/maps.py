"""HTTP routes of the map: the page for API callers and the widget for CRM iframes.

* ``GET /accounts/{id}/map?view=org|political&opportunity=…&lang=en|zh&pathTo=…&asOf=…``
  — needs an API key (``X-API-Key`` or ``Authorization: Bearer``; anonymous in demo
  mode) whose principal may see the account.
* ``GET /embed/accounts/{id}?token=…&lang=…&asOf=…`` — for an ``<iframe>``; the short-lived
  token (:mod:`stakegraph.service.embed`) is the only credential, and it speaks for
  the principal who minted it: the page shows what that principal may see now. The
  response may be framed only by the configured origins (CSP ``frame-ancestors``),
  sets no cookie and sends no referrer; the page posts
  ``{type: "stakegraph:select", contactId, accountId}`` to its parent on a node click,
  only when the parent's origin is an allowed one.

* Editing: a widget opened with a write token (``embedToken(write: true)``), and the
  page of a REP key, carry the edit script (``edit.js``); it sends the token in the
  ``X-Stakegraph-Token`` header to ``POST /graphql`` (the same mutations, rules and
  change events as the rep's own calls), reads the fresh map back from the widget URL,
  and (in the widget) posts ``{type: "stakegraph:changed", …}`` to an allowed parent.

* ``GET|HEAD /static/map/{name}.<sha256[:12]>.{ext}`` — the pages' assets (vis-network, our
  script and style sheet, :func:`stakegraph.viz.page.map_assets`), public, named by
  their content and so cached for a year (``immutable``); gzip-compressed once, sent
  compressed to a client that accepts it.

``asOf`` (``YYYY-MM-DD``, default today UTC) is the date the map is analysed at, shown
in its header; another value is ``400`` naming the parameter and the value. The pages
hold data, so no browser or proxy caches them (``no-store``); the app compresses them
(:class:`starlette.middleware.gzip.GZipMiddleware`). Their data is cached in the store
for the caller (:func:`stakegraph.service.maps.map_document`), so a page shown again is only
rendered, not analysed, until the next write.

An account the caller may not see is ``404``, exactly as one that does not exist
(as GraphQL's ``NOT_FOUND``).
"""

from __future__ import annotations

import asyncio
import gzip
import re
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from stakegraph.gql.deps import ScopeDep, SettingsDep, StoreDep
from stakegraph.service import maps
from stakegraph.service.embed import InvalidEmbedToken
from stakegraph.service.errors import BadInput, ServiceError
from stakegraph.service.logs import set_principal
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings
from stakegraph.viz.page import (
    Asset,
    content_security_policy,
    edit_config,
    map_assets,
    new_nonce,
    render_map_page,
)

__all__ = ["ASSETS_PATH", "allowed_origins", "parse_as_of", "router"]

#: Where the map pages' assets are served (each under its content-hashed name).
ASSETS_PATH = "/static/map"
IMMUTABLE = "public, max-age=31536000, immutable"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

router = APIRouter(tags=["map"])

View = Literal["org", "political"]
Lang = Literal["en", "zh"]

_ORIGIN = re.compile(
    r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?$"
)
BASE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def allowed_origins(settings: Settings) -> list[str]:
    """The configured parent origins that are well-formed origins (others are ignored).

    Examples
    --------
    >>> s = Settings(embed_allowed_origins=["https://crm.example", "https://x.test/; evil"])
    >>> allowed_origins(s)
    ['https://crm.example']
    """
    return [o.rstrip("/") for o in settings.embed_allowed_origins if _ORIGIN.match(o.rstrip("/"))]


def parse_as_of(text: str | None, *, field: str = "asOf") -> date | None:
    """The ``asOf`` query parameter: ``YYYY-MM-DD`` or absent.

    Raises
    ------
    BadInput
        On anything else (a ``400`` naming the parameter and its value).

    Examples
    --------
    >>> parse_as_of("2026-11-20")
    datetime.date(2026, 11, 20)
    >>> parse_as_of("2026-13-01")
    Traceback (most recent call last):
    ...
    stakegraph.service.errors.BadInput: asOf '2026-13-01' is not a date (YYYY-MM-DD)
    """
    if text is None:
        return None
    try:
        if not _DAY.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{field} {text!r} is not a date (YYYY-MM-DD)", field=field) from None


def refuse(status: int, detail: str, **headers: str) -> Response:
    """A plain-text refusal that nothing may frame or run."""
    return PlainTextResponse(
        detail,
        status_code=status,
        headers={**BASE_HEADERS, "Content-Security-Policy": "default-src 'none'", **headers},
    )


def _page(
    html: str, nonce: str, frame_ancestors: list[str], *, editing: bool = False
) -> HTMLResponse:
    csp = content_security_policy(nonce, frame_ancestors=frame_ancestors, connect_self=editing)
    return HTMLResponse(html, headers={**BASE_HEADERS, "Content-Security-Policy": csp})


def _render(
    scope: Scope,
    account_id: str,
    *,
    view: str,
    opportunity_id: str | None,
    lang: str,
    path_to: str | None,
    nonce: str,
    as_of: date | None,
    embed: dict[str, list[str]] | None = None,
    edit: dict[str, Any] | None = None,
) -> str:
    doc = maps.map_document(
        scope,
        account_id,
        view=view,
        opportunity_id=opportunity_id,
        lang=lang,
        path_to=path_to,
        as_of=as_of,
    )
    return render_map_page(
        doc.data, nonce=nonce, embed=embed, assets_base=ASSETS_PATH, edit=edit, data_json=doc.json
    )


def _data_url(account_id: str, token: str, lang: str, as_of: date | None) -> str:
    """The widget URL the edit script reads the map's fresh data from."""
    query = {"token": token, "lang": lang} | ({"asOf": as_of.isoformat()} if as_of else {})
    return f"/embed/accounts/{quote(account_id, safe='')}?{urlencode(query)}"


def _edit(
    account_id: str, token: str, rep_id: str | None, lang: str, as_of: date | None
) -> dict[str, Any] | None:
    if rep_id is None:
        return None
    return edit_config(
        token=token,
        account_id=account_id,
        rep_id=rep_id,
        data_url=_data_url(account_id, token, lang, as_of),
    )


@router.get("/accounts/{account_id}/map", response_class=HTMLResponse)
async def account_map(
    scope: ScopeDep,
    account_id: str,
    view: View = "org",
    opportunity: str | None = None,
    lang: Lang = "en",
    path_to: Annotated[str | None, Query(alias="pathTo")] = None,
    as_of: Annotated[str | None, Query(alias="asOf", description="YYYY-MM-DD")] = None,
) -> Response:
    """The interactive map of one account (API key; the account must be visible). A
    REP key's page edits the account as that rep (:func:`maps.page_edit_token`)."""
    day = parse_as_of(as_of)
    nonce = new_nonce()
    written = await asyncio.to_thread(maps.page_edit_token, scope, account_id, view, opportunity)
    edit = (
        None
        if written is None
        else _edit(account_id, written.token, scope.principal.rep_id, lang, day)
    )
    html = await asyncio.to_thread(
        _render,
        scope,
        account_id,
        view=view,
        opportunity_id=opportunity,
        lang=lang,
        path_to=path_to,
        nonce=nonce,
        as_of=day,
        edit=edit,
    )
    return _page(html, nonce, ["'self'"], editing=edit is not None)


@router.get("/embed/accounts/{account_id}", response_class=HTMLResponse)
async def embed_map(
    store: StoreDep,
    settings: SettingsDep,
    account_id: str,
    token: str | None = None,
    lang: Lang = "en",
    view: View | None = None,
    as_of: Annotated[str | None, Query(alias="asOf", description="YYYY-MM-DD")] = None,
) -> Response:
    """The map widget for an iframe: authenticated by its signed token only."""
    if not token:
        return refuse(401, "a widget token is required")
    try:
        scope, claims = maps.widget_scope(store, settings, token, account_id=account_id, view=view)
    except InvalidEmbedToken as exc:
        return refuse(403, f"widget token refused: {exc}")
    except ServiceError:
        return refuse(404, "not found")
    set_principal(scope.principal.name)  # the widget speaks for the token's minter
    day = parse_as_of(as_of)
    origins = allowed_origins(settings)
    nonce = new_nonce()
    edit = (
        _edit(claims.account_id, token, claims.rep_id, lang, day)
        if claims.write and scope.principal.can_write
        else None
    )
    html = await asyncio.to_thread(
        _render,
        scope,
        claims.account_id,
        view=claims.view,
        opportunity_id=claims.opportunity_id,
        lang=lang,
        path_to=None,
        nonce=nonce,
        as_of=day,
        embed={"allowedOrigins": origins},
        edit=edit,
    )
    return _page(html, nonce, origins, editing=edit is not None)


@lru_cache(maxsize=1)
def _served_assets() -> dict[str, tuple[Asset, bytes]]:
    """Each asset by its hashed file name, with its gzip encoding (made once)."""
    return {
        a.filename: (a, gzip.compress(a.body, compresslevel=9, mtime=0))
        for a in map_assets().values()
    }


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header admits gzip (``q=0`` refuses it).

    Examples
    --------
    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("br;q=1, gzip;q=0"), accepts_gzip(None)
    (True, False, False)
    >>> accepts_gzip("*")
    True
    """
    for part in (accept_encoding or "").lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            q = params.strip().replace(" ", "")
            try:
                return not q.startswith("q=") or float(q[2:]) > 0
            except ValueError:
                return False
    return False


@router.api_route(ASSETS_PATH + "/{filename}", methods=["GET", "HEAD"], include_in_schema=False)
async def map_asset(
    request: Request,
    filename: str,
    accept_encoding: Annotated[str | None, Header()] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """One asset of the map pages under its content-hashed name, cacheable for a year."""
    found = _served_assets().get(filename)
    if found is None:
        return refuse(404, "not found")
    asset, gzipped = found
    etag = f'"{asset.sha256[:32]}"'
    headers = {
        "Cache-Control": IMMUTABLE,
        "ETag": etag,
        "Vary": "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
    }
    if if_none_match and etag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]:
        return Response(status_code=304, headers=headers)
    body = asset.body
    if accepts_gzip(accept_encoding):
        headers["Content-Encoding"] = "gzip"
        body = gzipped
    if request.method == "HEAD":  # the GET's headers, its length, no body
        headers["Content-Length"] = str(len(body))
        return Response(None, media_type=asset.media_type, headers=headers)
    return Response(body, media_type=asset.media_type, headers=headers)
