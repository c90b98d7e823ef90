"""Who is calling, and which accounts they may see.

API keys come from configuration, stored only as SHA-256 hashes; each maps to a
principal with a role: ``ADMIN``; ``MANAGER`` of teams; ``REP`` (a Rep id);
``ANALYST`` (read-only, every account). A REP sees the accounts they cover, a
MANAGER those covered by their teams or their teams' members. Anonymous callers are
let in only in demo mode, as read-only analysts.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, Field

from graph.store import GraphStore

__all__ = [
    "ApiKey",
    "Forbidden",
    "Principal",
    "Role",
    "Unauthenticated",
    "authenticate",
    "hash_api_key",
    "visible_accounts",
]


class Role(StrEnum):
    ADMIN = "ADMIN"
    MANAGER = "MANAGER"
    REP = "REP"
    ANALYST = "ANALYST"


class Unauthenticated(Exception):
    """No or an unknown API key."""


class Forbidden(Exception):
    """The principal may not do this."""


class ApiKey(BaseModel):
    """One configured API key (only its hash is kept)."""

    name: str
    key_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    role: Role
    rep_id: str | None = None
    team_ids: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    rep_id: str | None = None
    team_ids: frozenset[str] = field(default_factory=frozenset)
    anonymous: bool = False

    @property
    def can_write(self) -> bool:
        return self.role in (Role.ADMIN, Role.MANAGER, Role.REP) and not self.anonymous

    @property
    def sees_everything(self) -> bool:
        return self.role in (Role.ADMIN, Role.ANALYST)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def authenticate(presented: str | None, keys: list[ApiKey], *, demo_mode: bool) -> Principal:
    """The principal of a presented API key (constant-time comparison of hashes)."""
    if not presented:
        if demo_mode:
            return Principal(name="anonymous", role=Role.ANALYST, anonymous=True)
        raise Unauthenticated("an API key is required (header X-API-Key or Bearer token)")
    digest = hash_api_key(presented)
    for key in keys:
        if hmac.compare_digest(digest, key.key_sha256):
            return Principal(
                name=key.name, role=key.role, rep_id=key.rep_id, team_ids=frozenset(key.team_ids)
            )
    raise Unauthenticated("unknown API key")


def visible_accounts(principal: Principal, store: GraphStore) -> frozenset[str] | None:
    """Company ids the principal may see; ``None`` means every account."""
    if principal.sees_everything:
        return None
    if principal.role == Role.REP:
        return (
            frozenset(store.portfolio(rep_id=principal.rep_id)) if principal.rep_id else frozenset()
        )
    ids: set[str] = set()
    for team_id in principal.team_ids:
        ids.update(store.portfolio(team_id=team_id))
    return frozenset(ids)


def extract_key(authorization: str | None, x_api_key: str | None) -> str | None:
    """The API key from ``X-API-Key`` or ``Authorization: Bearer …``."""
    if x_api_key:
        return x_api_key
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None
