"""FastAPI dependencies of every HTTP route: settings, store, the caller, its scope.

Long-lived objects (the settings, the store) are built in the app's lifespan and kept
on ``app.state``; the caller and their :class:`~stakegraph.service.scope.Scope` are
built per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from stakegraph.graph.store import GraphStore
from stakegraph.service.access import Principal, authenticate, extract_key
from stakegraph.service.logs import set_principal
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings

__all__ = [
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


def get_scope(store: StoreDep, settings: SettingsDep, principal: PrincipalDep) -> Scope:
    return Scope(store, settings, principal)


ScopeDep = Annotated[Scope, Depends(get_scope)]
