"""Map and widget use cases: which graph a map of an account is drawn from, the map's
data, and the widget's tokens (minted for a caller, verified back into that caller's
scope).

The map renderer (:mod:`stakegraph.viz`) draws :attr:`AccountView.graph`, in which the
contacts of accounts the caller may not see are already masked.

A map's data (:func:`map_document`: facts, paths, sidebar, vis data; everything but the
page's nonce, widget and edit settings) is kept in the store's cache like an analysis
(:mod:`stakegraph.service.analysis_cache`): valid for the store's generation, so any
write redraws it, and keyed by everything the data depends on — account, view,
opportunity, day, language, settings and the caller (principal and the accounts it
sees), so no caller is ever shown a map drawn for another. A CRM page that shows the
same widget again is then answered without analysing the account again.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from stakegraph.graph.model import Label
from stakegraph.graph.store import GraphStore
from stakegraph.service import insights, plans, portfolio
from stakegraph.service.access import may_act_for_rep, require_writer
from stakegraph.service.analysis import require_opportunity
from stakegraph.service.analysis_cache import code_fingerprint, settings_fingerprint
from stakegraph.service.embed import (
    VIEWS,
    EmbedClaims,
    InvalidEmbedToken,
    mint_embed_token,
    token_principal,
    verify_embed_token,
)
from stakegraph.service.errors import BadInput, Forbidden, NotFound
from stakegraph.service.scope import AccountView, Scope
from stakegraph.service.settings import Settings
from stakegraph.viz.page import account_map_data, expand_map_data, map_json

__all__ = [
    "MapDocument",
    "WidgetToken",
    "map_data_key",
    "map_document",
    "map_view",
    "page_edit_token",
    "token_scope",
    "widget_scope",
    "widget_token",
]


def map_view(
    scope: Scope,
    account_id: str,
    *,
    opportunity_id: str | None = None,
    path_to: str | None = None,
) -> AccountView:
    """The view a map of a visible account is drawn from.

    Raises
    ------
    NotFound
        The account, the opportunity in it, or the path's target contact does not
        exist or is not visible to the caller.
    """
    view = scope.view(account_id, field="account")
    if opportunity_id is not None:
        require_opportunity(scope, account_id, opportunity_id, field="opportunity")
    if path_to is not None and not view.shows(path_to):
        raise NotFound.of(Label.CONTACT, path_to, field="pathTo")
    return view


#: Bump when the shape of the map data changes incompatibly.
_MAP_FORMAT = "m2"  # m2: the cached text is the page's data block (map_json), embedded as it is


def map_data_key(
    scope: Scope,
    account_id: str,
    *,
    view: str,
    day: date,
    opportunity_id: str | None,
    lang: str,
) -> str:
    """The cache key of one map's data: the account in clear, a digest of the rest
    (view, opportunity, day, language, settings, the caller and what it sees)."""
    p = scope.principal
    visible = scope.visible_account_ids()
    parts = {
        "view": view,
        "day": day.isoformat(),
        "opportunity": opportunity_id,
        "lang": lang,
        "code": code_fingerprint(),
        "analysis": settings_fingerprint(scope.analysis_settings),
        "collapse_above": scope.settings.org_collapse_above,
        "principal": [p.name, str(p.role), p.rep_id, sorted(p.team_ids), p.anonymous],
        "read_only": p.read_only,
        "sees": None if visible is None else sorted(visible),
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]
    return f"{_MAP_FORMAT}|map|{account_id}|{digest}"


@dataclass(frozen=True)
class MapDocument:
    """A map's data, and its text as the page embeds it (:func:`stakegraph.viz.page.map_json`)."""

    data: dict[str, Any]
    json: str


def map_document(
    scope: Scope,
    account_id: str,
    *,
    view: str,
    opportunity_id: str | None = None,
    lang: str = "en",
    path_to: str | None = None,
    as_of: date | None = None,
) -> MapDocument:
    """The data of a map of a visible account, with its JSON text (:class:`MapDocument`):
    a page shown again embeds the cached text as it is, without serialising it again.

    Served from the store's cache when this caller drew the same map at the store's
    generation; only maps of today are kept (a past date or a ``path_to`` map is drawn
    each time). The caller's right to the account is checked first either way; an entry
    exists only if the opportunity was the account's at this generation.

    Raises
    ------
    NotFound
        The account, the opportunity in it, or the path's target contact does not
        exist or is not visible to the caller.
    """
    day = scope.as_of(as_of)
    cache = scope.shared_cache() if path_to is None and day == scope.today else None
    key = None
    if cache is not None:
        scope.account(account_id, field="account")
        key = map_data_key(
            scope, account_id, view=view, day=day, opportunity_id=opportunity_id, lang=lang
        )
        hit = cache.get_blob(key)
        if hit is not None:
            cached = zlib.decompress(hit).decode()
            return MapDocument(data=expand_map_data(json.loads(cached)), json=cached)
    shown = map_view(scope, account_id, opportunity_id=opportunity_id, path_to=path_to)
    data = account_map_data(
        shown.graph,
        view=view,
        as_of=day,
        opportunity_id=opportunity_id,
        lang=lang,
        path_to=path_to,
        settings=scope.analysis_settings,
        suggestions=insights.account_suggestions(scope, account_id, as_of),
        whitespace=portfolio.map_whitespace(scope, account_id, as_of),
        plan_gap=plans.map_plan_gap(scope, account_id, as_of),
        collapse_above=scope.settings.org_collapse_above,
    )
    text = map_json(data)
    if cache is not None and key is not None:
        cache.put_blob(key, zlib.compress(text.encode(), 1))
    return MapDocument(data=expand_map_data(json.loads(text)), json=text)


@dataclass(frozen=True)
class WidgetToken:
    token: str
    url: str
    expires_at: datetime


def widget_token(
    scope: Scope,
    account_id: str,
    view: str = "org",
    opportunity_id: str | None = None,
    *,
    as_of: date | None = None,
    now: datetime | None = None,
    write: bool = False,
    rep_id: str | None = None,
) -> WidgetToken:
    """A signed, short-lived widget token (and its URL) for a visible account, speaking
    for the caller; with ``as_of`` the URL opens the map as of that date (``asOf=``).

    With ``write`` the token carries the write scope for one rep (``rep_id``, by default
    the caller's own rep): the widget may then change the account as that rep. Only a
    caller who may act for the rep mints it (:func:`~stakegraph.service.access.may_act_for_rep`:
    an ADMIN for anyone, a MANAGER for their teams' members, a REP for themselves).

    Raises
    ------
    Forbidden
        When no widget secret is configured (outside demo mode), or a write token is
        asked by a caller who may not write for the rep.
    BadInput
        A write token without a rep (the caller has none and ``rep_id`` is not given).
    """
    if view not in VIEWS:
        raise BadInput(f"view must be one of {', '.join(VIEWS)}", field="view")
    scope.account(account_id, field="accountId")
    if opportunity_id is not None:
        require_opportunity(scope, account_id, opportunity_id)
    if rep_id is not None and not write:
        raise BadInput("repId: names the rep of a write token (set write)", field="repId")
    if write:
        require_writer(scope.principal)
        rep_id = rep_id or scope.principal.rep_id
        if rep_id is None:
            raise BadInput("repId: a write token edits as one rep; give repId", field="repId")
        scope.record(Label.REP, rep_id, field="repId")
        teams = scope.rep_team_ids([rep_id])[rep_id]
        if not may_act_for_rep(scope.principal, rep_id, teams):
            raise Forbidden(
                f"{scope.principal.name!r} may not write for rep {rep_id!r}", field="repId"
            )
    settings = scope.settings
    secret = settings.widget_secret
    if secret is None:
        raise Forbidden("the map widget is off: set STAKEGRAPH_EMBED_SECRET (32 bytes or more)")
    moment = now or datetime.now(UTC)
    ttl = settings.embed_token_ttl_seconds
    token = mint_embed_token(
        secret,
        account_id,
        view,
        ttl,
        subject=scope.principal.name,
        now=moment,
        opportunity_id=opportunity_id,
        write=write,
        rep_id=rep_id,
    )
    params = {"view": view, "token": token}
    if as_of is not None:
        params["asOf"] = as_of.isoformat()
    query = urlencode(params)
    base = settings.public_url.rstrip("/")
    url = f"{base}/embed/accounts/{quote(account_id, safe='')}?{query}"
    return WidgetToken(token=token, url=url, expires_at=moment + timedelta(seconds=ttl))


def page_edit_token(
    scope: Scope, account_id: str, view: str, opportunity_id: str | None = None
) -> WidgetToken | None:
    """The write token of a signed-in map page, or ``None`` when the caller may not
    edit there: editing needs a principal who writes (not an ANALYST, not the
    anonymous demo caller) for a rep of their own (a REP key; an ADMIN or MANAGER key
    names no rep to edit as), and the widget secret."""
    p = scope.principal
    if not p.can_write or p.rep_id is None or scope.settings.widget_secret is None:
        return None
    return widget_token(scope, account_id, view, opportunity_id, write=True)


def widget_scope(
    store: GraphStore,
    settings: Settings,
    token: str,
    *,
    account_id: str,
    view: str | None = None,
    now: datetime | None = None,
) -> tuple[Scope, EmbedClaims]:
    """The scope of the principal a widget token speaks for, and its claims.

    Raises
    ------
    InvalidEmbedToken
        A malformed, tampered, expired or other-scope token, or one whose key is gone.
    NotFound
        When the widget is off (no secret configured).
    """
    secret = settings.widget_secret
    if secret is None:
        raise NotFound("the map widget is off", field="token")
    claims = verify_embed_token(secret, token, account_id=account_id, view=view, now=now)
    principal = token_principal(claims, settings.api_keys, demo_mode=settings.demo_mode)
    return Scope(store, settings, principal), claims


def token_scope(
    store: GraphStore, settings: Settings, token: str, *, now: datetime | None = None
) -> tuple[Scope, EmbedClaims]:
    """The scope of a widget token presented to GraphQL (``X-Stakegraph-Token``): the
    principal it speaks for (:func:`~stakegraph.service.embed.token_principal`), narrowed
    to the token's one account — every other account is invisible, so an edit of
    another account's record is refused as not found.

    Raises
    ------
    InvalidEmbedToken
        A malformed, tampered or expired token, one whose key is gone, or the widget is
        off (no secret).
    """
    secret = settings.widget_secret
    if secret is None:
        raise InvalidEmbedToken("the map widget is off")
    claims = verify_embed_token(secret, token, account_id=None, now=now)
    principal = token_principal(claims, settings.api_keys, demo_mode=settings.demo_mode)
    return Scope(store, settings, principal, only_account=claims.account_id), claims


__all__ += ["InvalidEmbedToken"]
