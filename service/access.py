"""The access policy: who is calling, and what they may see and do — all of it, here.

Principals come from API keys (only their SHA-256 hashes are configured). Roles:

=========  ===============================================  ==========================
role       sees                                             may change
=========  ===============================================  ==========================
ADMIN      every account, rep and team                      everything
ANALYST    every account, rep and team                      nothing (read-only)
MANAGER    accounts covered by their teams or the teams'    those accounts; levels and
           members; those reps in full; their teams         coverage of their members
REP        accounts they cover; themselves in full          those accounts; their own
                                                            levels; their own name
=========  ===============================================  ==========================

Relationship plans (§3.18) are changed like the accounts they belong to.

Anonymous callers exist only in demo mode, as read-only analysts.

Every entry point asks these functions (through :class:`~stakegraph.service.scope.Scope`);
none decides by itself. The defaults deny: a principal sees no account unless a rule
above grants it, a contact of an account the caller may not see is masked wherever it
appears, and an id the caller may not see is answered as not found.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from stakegraph.graph.model import CoverKind, Label
from stakegraph.service.errors import BadInput, Forbidden, Unauthenticated

__all__ = [
    "ANONYMOUS",
    "FUTURE_SKEW",
    "ApiKey",
    "Principal",
    "Role",
    "admin_key_from_file",
    "authenticate",
    "check_interaction_time",
    "extract_key",
    "hash_api_key",
    "may_act_for_rep",
    "may_assign_coverage",
    "may_change_plan",
    "may_see_account",
    "may_see_rep",
    "may_see_team",
    "require_admin",
    "require_writer",
    "sees_all_accounts",
    "sees_all_reps",
]


class Role(StrEnum):
    ADMIN = "ADMIN"
    MANAGER = "MANAGER"
    REP = "REP"
    ANALYST = "ANALYST"


class ApiKey(BaseModel):
    """One configured API key (only its hash is kept)."""

    name: str = Field(min_length=1)
    key_sha256: str
    role: Role
    rep_id: str | None = None
    team_ids: list[str] = Field(default_factory=list)

    @field_validator("key_sha256")
    @classmethod
    def _is_a_sha256(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{64}", value):
            raise ValueError("must be 64 lowercase hex digits (the SHA-256 of the key)")
        return value

    def principal(self) -> Principal:
        return Principal(
            name=self.name, role=self.role, rep_id=self.rep_id, team_ids=frozenset(self.team_ids)
        )


def admin_key_from_file(path: Path) -> tuple[ApiKey, str | None]:
    """The ADMIN key kept in ``path``: created (owner-only, 0600) with a fresh random key
    when the file does not exist yet. Returns the key's record and, only when it was
    just created, the key itself (to be shown once)."""
    created: str | None = None
    if not path.exists():
        created = secrets.token_urlsafe(32)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(created + "\n")
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise BadInput(f"STAKEGRAPH_ADMIN_KEY_FILE {str(path)!r} is empty", field="admin_key_file")
    record = ApiKey(
        name="admin", key_sha256=hashlib.sha256(key.encode()).hexdigest(), role=Role.ADMIN
    )
    return record, created


@dataclass(frozen=True)
class Principal:
    """The caller: a name (recorded as ``by`` of change events), a role and its ties."""

    name: str
    role: Role
    rep_id: str | None = None
    team_ids: frozenset[str] = field(default_factory=frozenset)
    anonymous: bool = False
    #: A read-only widget token's principal: it sees as its role, changes nothing.
    read_only: bool = False

    @property
    def can_write(self) -> bool:
        return (
            self.role in (Role.ADMIN, Role.MANAGER, Role.REP)
            and not self.anonymous
            and not self.read_only
        )

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN and not self.anonymous and not self.read_only


#: The demo-mode caller without a key.
ANONYMOUS = Principal(name="anonymous", role=Role.ANALYST, anonymous=True)

#: How far in the future an interaction may be dated (clock skew between machines).
FUTURE_SKEW = timedelta(minutes=10)


# ------------------------------------------------------------------ authentication


def hash_api_key(key: str) -> str:
    """The SHA-256 hex digest under which a key is configured.

    Examples
    --------
    >>> hash_api_key("k")[:12]
    '8254c329a928'
    """
    return hashlib.sha256(key.encode()).hexdigest()


def extract_key(authorization: str | None, x_api_key: str | None) -> str | None:
    """The API key from ``X-API-Key`` or ``Authorization: Bearer …``.

    Examples
    --------
    >>> extract_key("Bearer abc", None), extract_key(None, "xyz"), extract_key("Basic x", None)
    ('abc', 'xyz', None)
    """
    if x_api_key:
        return x_api_key
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None


def authenticate(presented: str | None, keys: Iterable[ApiKey], *, demo_mode: bool) -> Principal:
    """The principal of a presented API key (constant-time comparison of hashes).

    Raises
    ------
    Unauthenticated
        No key outside demo mode, or an unknown key.
    """
    if not presented:
        if demo_mode:
            return ANONYMOUS
        raise Unauthenticated("an API key is required (header X-API-Key or Bearer token)")
    digest = hash_api_key(presented)
    found = None
    for key in keys:
        if hmac.compare_digest(digest, key.key_sha256):
            found = key
    if found is None:
        raise Unauthenticated("unknown API key")
    return found.principal()


# --------------------------------------------------------------------------- seeing


def sees_all_accounts(p: Principal) -> bool:
    """ADMIN and ANALYST (and the anonymous demo caller) see every account."""
    return p.role in (Role.ADMIN, Role.ANALYST)


def sees_all_reps(p: Principal) -> bool:
    return p.role in (Role.ADMIN, Role.ANALYST)


def may_see_account(visible: frozenset[str] | None, company_id: str | None) -> bool:
    """Whether an account is among the visible ones (``None``: every account).

    A record that belongs to no account (``company_id`` None) is visible only to
    principals who see everything.

    Examples
    --------
    >>> may_see_account(frozenset({"a"}), "a"), may_see_account(frozenset({"a"}), "b")
    (True, False)
    >>> may_see_account(None, None), may_see_account(frozenset(), None)
    (True, False)
    """
    if visible is None:
        return True
    return company_id is not None and company_id in visible


def may_see_rep(p: Principal, rep_id: str, rep_team_ids: frozenset[str]) -> bool:
    """Who sees a rep in full (e-mail, flags, teams, accounts, grade): ADMIN and
    ANALYST everyone, a REP themselves, a MANAGER their teams' members. Others see a
    rep's id and name only (wherever it is nested: ``knownBy``, attendees, …)."""
    if sees_all_reps(p):
        return True
    if p.role == Role.REP:
        return rep_id == p.rep_id
    if p.role == Role.MANAGER:
        return bool(p.team_ids & rep_team_ids)
    return False


def may_see_team(p: Principal, team_id: str) -> bool:
    """ADMIN and ANALYST see every team, a MANAGER their own teams. (A rep's own teams
    show in the rep's full view, :func:`may_see_rep`.)"""
    if sees_all_reps(p):
        return True
    return p.role == Role.MANAGER and team_id in p.team_ids


# -------------------------------------------------------------------------- changing


def require_writer(p: Principal) -> None:
    """Refuse read-only principals (ANALYST, anonymous demo callers)."""
    if p.read_only:
        raise Forbidden(f"the widget token of {p.name!r} is read-only (mint one with write)")
    if not p.can_write:
        raise Forbidden(f"{p.role} {p.name!r} has read-only access")


def require_admin(p: Principal, what: str, *, field: str | None = None) -> None:
    if not p.is_admin:
        raise Forbidden(f"only an ADMIN may {what}", field=field)


def may_act_for_rep(p: Principal, rep_id: str, rep_team_ids: frozenset[str]) -> bool:
    """Whose relationship levels, visits and coverage a principal may change: a REP
    their own, a MANAGER their teams' members', an ADMIN anyone's."""
    if not p.can_write:
        return False
    if p.is_admin:
        return True
    if p.role == Role.REP:
        return rep_id == p.rep_id
    if p.role == Role.MANAGER:
        return bool(p.team_ids & rep_team_ids)
    return False


def may_change_plan(p: Principal) -> bool:
    """Who may set and remove the relationship-plan targets (§3.18) of an account they
    see: ADMIN, and a MANAGER or REP for the accounts they may change (their visible
    ones); nobody else (ANALYST, anonymous demo callers, any other role)."""
    return p.can_write


def may_assign_coverage(
    p: Principal, coverer: Label, coverer_id: str, rep_team_ids: frozenset[str], kind: CoverKind
) -> bool:
    """ADMIN: any coverage; MANAGER: coverage by their own teams or their members."""
    if not p.can_write:
        return False
    if p.is_admin:
        return True
    if p.role != Role.MANAGER:
        return False
    if coverer == Label.TEAM:
        return coverer_id in p.team_ids
    return bool(p.team_ids & rep_team_ids)


def check_interaction_time(at: datetime, now: datetime, *, field: str = "input.at") -> None:
    """A visit is logged after it happened: ``at`` may not lie in the future (beyond a
    small clock skew), else its recency would never decay (§3.2)."""
    if at > now + FUTURE_SKEW:
        raise BadInput(f"{field}: {at.isoformat()} is in the future", field=field)
