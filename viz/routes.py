"""HTTP routes of the map: the page for API callers and the widget for CRM iframes.

* ``GET /accounts/{id}/map?view=org|political&opportunity=…&lang=en|zh&pathTo=…`` —
  needs an API key (``X-API-Key`` or ``Authorization: Bearer``; anonymous in demo
  mode) whose principal may see the account.
* ``GET /embed/accounts/{id}?token=…&lang=…`` — for an ``<iframe>``; the short-lived
  token (:mod:`stakegraph.viz.tokens`) is the only credential. The response may be framed only
  by the configured origins (CSP ``frame-ancestors``), sets no cookie and sends no
  referrer; the page posts ``{type: "stakegraph:select", contactId, accountId}`` to
  its parent on a node click, only when the parent's origin is an allowed one.

Include with ``app.include_router(viz.routes.router)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Literal

import networkx as nx
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from stakegraph.config import Settings
from stakegraph.gql.auth import Unauthenticated, authenticate, extract_key, visible_accounts
from stakegraph.graph.errors import NotFound
from stakegraph.graph.model import Label, RelType, node_key
from stakegraph.graph.store import GraphStore
from stakegraph.viz.page import account_map_html, content_security_policy, new_nonce
from stakegraph.viz.tokens import InvalidEmbedToken, verify_embed_token

__all__ = ["allowed_origins", "mask_foreign_contacts", "router"]

router = APIRouter(tags=["map"])

View = Literal["org", "political"]
Lang = Literal["en", "zh"]

_ORIGIN = re.compile(
    r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?$"
)
_BASE_HEADERS = {
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


#: What a masked contact of another account is called on the map.
MASKED_NAME = "(other account)"
_IDENTITY = ("title", "email", "phone", "profile", "last_verified_at", "created_at", "updated_at")


def mask_foreign_contacts(
    g: nx.MultiDiGraph, shown: Callable[[str], bool] = lambda _: False
) -> nx.MultiDiGraph:
    """The subgraph with every contact of another account that ``shown`` refuses
    stripped of its identity (id ``masked-N``, no name, title, email…); its ties,
    seniority and other analytic attributes stay, so the analytics do not change."""
    hidden = sorted(
        a["id"]
        for _, a in g.nodes(data=True)
        if a.get("label") == Label.CONTACT and a.get("foreign") and not shown(a["id"])
    )
    if not hidden:
        return g
    mapping = {
        node_key(Label.CONTACT, c): node_key(Label.CONTACT, f"masked-{i}")
        for i, c in enumerate(hidden, 1)
    }
    h = nx.relabel_nodes(g, mapping, copy=True)
    for key in mapping.values():
        attrs = h.nodes[key]
        attrs.update({f: None for f in _IDENTITY if f in attrs})
        attrs.update(id=key.split(":", 1)[1], name=MASKED_NAME)
    return h


def _contact_accounts(store: GraphStore, contact_ids: list[str]) -> dict[str, str]:
    """The account of each contact (WORKS_IN, then PART_OF up to a company)."""
    dept = {
        r.from_id: r.to_id
        for r in store.relationships(RelType.WORKS_IN, from_ids=contact_ids)
        if r.to_label == Label.DEPARTMENT
    }
    owner: dict[str, str] = {}
    parent: dict[str, str] = {}
    frontier, seen = set(dept.values()), set()
    while frontier:
        seen |= frontier
        nxt = set()
        for r in store.relationships(RelType.PART_OF, from_ids=sorted(frontier)):
            if r.to_label == Label.COMPANY:
                owner[r.from_id] = r.to_id
            elif r.to_label == Label.DEPARTMENT:
                parent[r.from_id] = r.to_id
                nxt.add(r.to_id)
        frontier = nxt - seen
    out = {}
    for c, d in dept.items():
        hops = set()
        while d not in owner and d in parent and d not in hops:
            hops.add(d)
            d = parent[d]
        if d in owner:
            out[c] = owner[d]
    return out


def _visible_map(
    g: nx.MultiDiGraph, store: GraphStore, visible: frozenset[str] | None
) -> nx.MultiDiGraph:
    """The subgraph as a principal with these visible accounts may see it."""
    if visible is None:
        return g
    foreign = [
        a["id"]
        for _, a in g.nodes(data=True)
        if a.get("label") == Label.CONTACT and a.get("foreign")
    ]
    accounts = _contact_accounts(store, foreign) if foreign else {}
    return mask_foreign_contacts(g, lambda c: accounts.get(c) in visible)


def _store(request: Request) -> GraphStore:
    return request.app.state.store


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _today() -> datetime:
    return datetime.now(UTC)


def _refuse(status: int, detail: str, **headers: str) -> Response:
    return PlainTextResponse(
        detail,
        status_code=status,
        headers={**_BASE_HEADERS, "Content-Security-Policy": "default-src 'none'", **headers},
    )


def _page(html: str, nonce: str, frame_ancestors: list[str]) -> HTMLResponse:
    csp = content_security_policy(nonce, frame_ancestors=frame_ancestors)
    return HTMLResponse(html, headers={**_BASE_HEADERS, "Content-Security-Policy": csp})


@router.get("/accounts/{account_id}/map", response_class=HTMLResponse)
def account_map(
    request: Request,
    account_id: str,
    view: View = "org",
    opportunity: str | None = None,
    lang: Lang = "en",
    path_to: Annotated[str | None, Query(alias="pathTo")] = None,
    x_api_key: Annotated[str | None, Header()] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    """The interactive map of one account (API key; the account must be visible)."""
    settings, store = _settings(request), _store(request)
    try:
        principal = authenticate(
            extract_key(authorization, x_api_key), settings.api_keys, demo_mode=settings.demo_mode
        )
    except Unauthenticated as exc:
        return _refuse(401, str(exc), **{"WWW-Authenticate": "Bearer"})
    visible = visible_accounts(principal, store)
    if visible is not None and account_id not in visible:
        return _refuse(404, "account not found")
    nonce = new_nonce()
    try:
        g = _visible_map(store.account_subgraph(account_id), store, visible)
        html = account_map_html(
            g,
            view=view,
            as_of=_today().date(),
            opportunity_id=opportunity,
            lang=lang,
            path_to=path_to,
            settings=settings.analysis,
            nonce=nonce,
        )
    except NotFound as exc:
        return _refuse(404, str(exc))
    return _page(html, nonce, ["'self'"])


@router.get("/embed/accounts/{account_id}", response_class=HTMLResponse)
def embed_map(
    request: Request,
    account_id: str,
    token: str | None = None,
    lang: Lang = "en",
    view: View | None = None,
) -> Response:
    """The map widget for an iframe: authenticated by its signed token only."""
    settings = _settings(request)
    if not token:
        return _refuse(401, "a widget token is required")
    try:
        claims = verify_embed_token(
            settings.embed_secret.get_secret_value(), token, account_id=account_id, view=view
        )
    except InvalidEmbedToken as exc:
        return _refuse(403, f"widget token refused: {exc}")
    return _render_embed(
        request, claims.account_id, claims.view, claims.opportunity_id, lang, claims.mask_foreign
    )


def _render_embed(
    request: Request,
    account_id: str,
    view: str,
    opportunity_id: str | None,
    lang: str,
    mask_foreign: bool = False,
) -> Response:
    settings, store = _settings(request), _store(request)
    origins = allowed_origins(settings)
    nonce = new_nonce()
    try:
        g = store.account_subgraph(account_id)
        if mask_foreign:
            g = mask_foreign_contacts(g)
        html = account_map_html(
            g,
            view=view,
            as_of=_today().date(),
            opportunity_id=opportunity_id,
            lang=lang,
            settings=settings.analysis,
            nonce=nonce,
            embed={"allowedOrigins": origins},
        )
    except NotFound:
        return _refuse(404, "account not found")
    return _page(html, nonce, origins)
