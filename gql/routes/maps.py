"""HTTP routes of the map: the page for API callers and the widget for CRM iframes.

* ``GET /accounts/{id}/map?view=org|political&opportunity=…&lang=en|zh&pathTo=…`` —
  needs an API key (``X-API-Key`` or ``Authorization: Bearer``; anonymous in demo
  mode) whose principal may see the account.
* ``GET /embed/accounts/{id}?token=…&lang=…`` — for an ``<iframe>``; the short-lived
  token (:mod:`stakegraph.service.embed`) is the only credential, and it speaks for
  the principal who minted it: the page shows what that principal may see now. The
  response may be framed only by the configured origins (CSP ``frame-ancestors``),
  sets no cookie and sends no referrer; the page posts
  ``{type: "stakegraph:select", contactId, accountId}`` to its parent on a node click,
  only when the parent's origin is an allowed one.

An account the caller may not see is ``404``, exactly as one that does not exist
(as GraphQL's ``NOT_FOUND``).
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from stakegraph.gql.deps import ScopeDep, SettingsDep, StoreDep
from stakegraph.service import maps
from stakegraph.service.embed import InvalidEmbedToken
from stakegraph.service.errors import ServiceError
from stakegraph.service.logs import set_principal
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings
from stakegraph.viz.page import account_map_html, content_security_policy, new_nonce

__all__ = ["allowed_origins", "router"]

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


def refuse(status: int, detail: str, **headers: str) -> Response:
    """A plain-text refusal that nothing may frame or run."""
    return PlainTextResponse(
        detail,
        status_code=status,
        headers={**BASE_HEADERS, "Content-Security-Policy": "default-src 'none'", **headers},
    )


def _page(html: str, nonce: str, frame_ancestors: list[str]) -> HTMLResponse:
    csp = content_security_policy(nonce, frame_ancestors=frame_ancestors)
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
    embed: dict[str, list[str]] | None = None,
) -> str:
    shown = maps.map_view(scope, account_id, opportunity_id=opportunity_id, path_to=path_to)
    return account_map_html(
        shown.graph,
        view=view,
        as_of=datetime.now(UTC).date(),
        opportunity_id=opportunity_id,
        lang=lang,
        path_to=path_to,
        settings=scope.analysis_settings,
        nonce=nonce,
        embed=embed,
    )


@router.get("/accounts/{account_id}/map", response_class=HTMLResponse)
async def account_map(
    scope: ScopeDep,
    account_id: str,
    view: View = "org",
    opportunity: str | None = None,
    lang: Lang = "en",
    path_to: Annotated[str | None, Query(alias="pathTo")] = None,
) -> Response:
    """The interactive map of one account (API key; the account must be visible)."""
    nonce = new_nonce()
    html = await asyncio.to_thread(
        _render,
        scope,
        account_id,
        view=view,
        opportunity_id=opportunity,
        lang=lang,
        path_to=path_to,
        nonce=nonce,
    )
    return _page(html, nonce, ["'self'"])


@router.get("/embed/accounts/{account_id}", response_class=HTMLResponse)
async def embed_map(
    store: StoreDep,
    settings: SettingsDep,
    account_id: str,
    token: str | None = None,
    lang: Lang = "en",
    view: View | None = None,
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
    origins = allowed_origins(settings)
    nonce = new_nonce()
    html = await asyncio.to_thread(
        _render,
        scope,
        claims.account_id,
        view=claims.view,
        opportunity_id=claims.opportunity_id,
        lang=lang,
        path_to=None,
        nonce=nonce,
        embed={"allowedOrigins": origins},
    )
    return _page(html, nonce, origins)
