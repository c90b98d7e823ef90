"""Map and widget use cases: which graph a map of an account is drawn from, and the
widget's tokens (minted for a caller, verified back into that caller's scope).

The map renderer (:mod:`stakegraph.viz`) draws :attr:`AccountView.graph`, in which the
contacts of accounts the caller may not see are already masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, urlencode

from stakegraph.graph.model import Label
from stakegraph.graph.store import GraphStore
from stakegraph.service.analysis import require_opportunity
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

__all__ = ["WidgetToken", "map_view", "widget_scope", "widget_token"]


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
) -> WidgetToken:
    """A signed, short-lived widget token (and its URL) for a visible account, speaking
    for the caller; with ``as_of`` the URL opens the map as of that date (``asOf=``).

    Raises
    ------
    Forbidden
        When no widget secret is configured (outside demo mode).
    """
    if view not in VIEWS:
        raise BadInput(f"view must be one of {', '.join(VIEWS)}", field="view")
    scope.account(account_id, field="accountId")
    if opportunity_id is not None:
        require_opportunity(scope, account_id, opportunity_id)
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
    )
    params = {"view": view, "token": token}
    if as_of is not None:
        params["asOf"] = as_of.isoformat()
    query = urlencode(params)
    base = settings.public_url.rstrip("/")
    url = f"{base}/embed/accounts/{quote(account_id, safe='')}?{query}"
    return WidgetToken(token=token, url=url, expires_at=moment + timedelta(seconds=ttl))


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


__all__ += ["InvalidEmbedToken"]
