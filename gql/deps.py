"""FastAPI dependencies of every HTTP route: settings, store, the caller, its scope.

Long-lived objects (the settings, the store) are built in the app's lifespan and kept
on ``app.state``; the caller and their :class:`~stakegraph.service.scope.Scope` are
built per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from stakegraph.graph.store import GraphStore
from stakegraph.service import maps
from stakegraph.service.access import Principal, authenticate, extract_key
from stakegraph.service.embed import InvalidEmbedToken
from stakegraph.service.errors import Unauthenticated
from stakegraph.service.logs import set_principal
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings

__all__ = [
    "TOKEN_HEADER",
    "PrincipalDep",
    "ScopeDep",
    "SettingsDep",
    "StoreDep",
    "get_principal",
    "get_scope",
    "get_settings",
    "get_store",
]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]


def get_principal(
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> Principal:
    """The caller of an API-key request (``X-API-Key`` or ``Authorization: Bearer``);
    raises :class:`~stakegraph.service.errors.Unauthenticated` (401). The principal's
    name (never the key) goes into the request's log lines."""
    principal = authenticate(
        extract_key(authorization, x_api_key), settings.api_keys, demo_mode=settings.demo_mode
    )
    set_principal(principal.name)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


#: The header a widget presents its token in (never a cookie, never the URL of a write).
TOKEN_HEADER = "X-Stakegraph-Token"


def get_scope(
    store: StoreDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
    x_stakegraph_token: Annotated[str | None, Header()] = None,
) -> Scope:
    """The caller's scope: of a widget token (``X-Stakegraph-Token``, narrowed to its
    account, :func:`stakegraph.service.maps.token_scope`) when one is presented — an
    API key is then refused alongside it —, else of the API key (:func:`get_principal`).

    Raises
    ------
    Unauthenticated
        A refused token (malformed, tampered, expired, its key gone), or a token sent
        together with an API key.
    """
    if x_stakegraph_token is not None:
        if authorization or x_api_key:
            raise Unauthenticated(f"send either an API key or {TOKEN_HEADER}, not both")
        try:
            scope, _ = maps.token_scope(store, settings, x_stakegraph_token)
        except InvalidEmbedToken as exc:
            raise Unauthenticated(f"widget token refused: {exc}") from None
        set_principal(scope.principal.name)
        return scope
    principal = get_principal(settings, authorization, x_api_key)
    return Scope(store, settings, principal)


ScopeDep = Annotated[Scope, Depends(get_scope)]
