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

from stakegraph.graph.store import GraphStore

__all__ = [
    "ApiKey",
    "Forbidden",
    "Principal",
    "Role",
    "Unauthenticated",
    "authenticate",
    "extract_key",
    "hash_api_key",
    "may_act_for_rep",
    "may_see",
    "may_see_rep",
    "may_see_team",
    "require_admin",
    "require_writer",
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
            frozenset(store.covered_company_ids(rep_id=principal.rep_id))
            if principal.rep_id
            else frozenset()
        )
    ids: set[str] = set()
    for team_id in principal.team_ids:
        ids.update(store.covered_company_ids(team_id=team_id))
    return frozenset(ids)


def extract_key(authorization: str | None, x_api_key: str | None) -> str | None:
    """The API key from ``X-API-Key`` or ``Authorization: Bearer …``."""
    if x_api_key:
        return x_api_key
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None


def may_see(visible: frozenset[str] | None, company_id: str | None) -> bool:
    """Whether an account is among the visible ones (``None``: every account).

    A node that belongs to no account (``company_id`` None) is visible only to
    principals who see everything.
    """
    if visible is None:
        return True
    return company_id is not None and company_id in visible


def may_see_rep(principal: Principal, rep_id: str, rep_team_ids: frozenset[str]) -> bool:
    """ADMIN and ANALYST see every rep; a REP sees themselves; a MANAGER their members."""
    if principal.sees_everything:
        return True
    if principal.role == Role.REP:
        return rep_id == principal.rep_id
    return bool(principal.team_ids & rep_team_ids)


def may_see_team(principal: Principal, team_id: str) -> bool:
    if principal.sees_everything:
        return True
    return principal.role == Role.MANAGER and team_id in principal.team_ids


def require_writer(principal: Principal) -> None:
    """Refuse read-only principals (ANALYST, anonymous demo callers)."""
    if not principal.can_write:
        raise Forbidden(f"{principal.role} {principal.name!r} has read-only access")


def require_admin(principal: Principal, what: str) -> None:
    if principal.role != Role.ADMIN or principal.anonymous:
        raise Forbidden(f"only an ADMIN may {what}")


def may_act_for_rep(principal: Principal, rep_id: str, rep_team_ids: frozenset[str]) -> bool:
    """Whose relationship levels and coverage a principal may change: a REP their own,
    a MANAGER their teams' members', an ADMIN anyone's."""
    if principal.role == Role.ADMIN:
        return True
    if principal.role == Role.REP:
        return rep_id == principal.rep_id
    if principal.role == Role.MANAGER:
        return bool(principal.team_ids & rep_team_ids)
    return False
