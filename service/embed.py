"""Short-lived signed tokens for the embeddable map widget.

A token grants its holder the map of one account, in one view, until it expires, as
seen by the principal who minted it. It is minted by an authorised caller (GraphQL
``mapUrl`` / ``embedToken``) and presented by a CRM front end in the widget's URL
(``/embed/accounts/{id}?token=…``); it is the widget's only credential.

The token names its principal (``sub``: the API key's name, or ``anonymous`` in demo
mode), never its rights: every request made with it is authorised again by the access
policy with that principal as it is configured *now* — so a revoked key, or an account
the principal no longer covers, closes the widget, and contacts of other accounts are
masked exactly as for the principal's own requests.

Format: ``base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))``
without padding, where ``payload`` is compact JSON
``{"acc": …, "view": …, "sub": …, "exp": …, "iat": …, "nonce": …}`` (times in whole
seconds since the epoch, UTC) and, when the token is scoped to an opportunity,
``"opp": …``. The signature is checked, in constant time, before the payload is read.

**Write scope.** A token minted with ``write`` carries ``"scp": "write"`` and the rep
it edits as (``"rep": …``): its holder may change the one account of the token, through
the same mutations and with the same rules as that rep (a REP principal; see
:func:`token_principal`), and nothing else. A token without ``scp`` is read-only: the
principal it yields has ``read_only`` set, which :func:`~stakegraph.service.access.require_writer`
refuses. Tokens are presented in the URL of the widget page (to open it) and in the
``X-Stakegraph-Token`` header (GraphQL), never in a cookie.

Examples
--------
>>> from datetime import UTC, datetime
>>> now = datetime(2025, 1, 1, tzinfo=UTC)
>>> token = mint_embed_token("s3cret", "acme", "org", 900, subject="amy", now=now)
>>> claims = verify_embed_token("s3cret", token, account_id="acme", now=now)
>>> claims.view, claims.subject
('org', 'amy')
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

from stakegraph.service.access import ANONYMOUS, ApiKey, Principal, Role

__all__ = [
    "VIEWS",
    "EmbedClaims",
    "InvalidEmbedToken",
    "embed_url",
    "mint_embed_token",
    "token_principal",
    "verify_embed_token",
]

#: The map views a token may be scoped to.
VIEWS: tuple[str, ...] = ("org", "political")

_MAX_TOKEN_CHARS = 2048
_CLOCK_SKEW = timedelta(seconds=60)
_B64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


class InvalidEmbedToken(Exception):
    """A widget token that is malformed, tampered with, expired or for another scope."""


@dataclass(frozen=True)
class EmbedClaims:
    """What a verified token grants."""

    account_id: str
    view: str
    expires_at: datetime
    issued_at: datetime
    nonce: str
    subject: str
    opportunity_id: str | None = None
    #: May the holder change the account (``"scp": "write"``)?
    write: bool = False
    #: The rep a write token edits as.
    rep_id: str | None = None


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not text or any(c not in _B64_ALPHABET for c in text):
        raise InvalidEmbedToken("malformed token")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidEmbedToken("malformed token") from exc


def _sign(secret: str, signing_input: str) -> bytes:
    return hmac.new(secret.encode(), signing_input.encode("ascii"), hashlib.sha256).digest()


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def mint_embed_token(
    secret: str,
    account_id: str,
    view: str,
    ttl_seconds: int,
    *,
    subject: str,
    now: datetime | None = None,
    opportunity_id: str | None = None,
    write: bool = False,
    rep_id: str | None = None,
) -> str:
    """A signed token for the map of ``account_id`` in ``view``, valid ``ttl_seconds``.

    Parameters
    ----------
    secret : str
        The server's embed secret (``Settings.embed_secret``).
    account_id : str
        The Company id the token is scoped to.
    view : str
        ``"org"`` or ``"political"``.
    ttl_seconds : int
        Lifetime (``Settings.embed_token_ttl_seconds``); at least 1.
    subject : str
        The name of the minting principal (its API key's name).
    now : datetime, optional
        The issue time (tests); defaults to the current UTC time.
    opportunity_id : str, optional
        Scope the map to one opportunity as well.
    write : bool
        Grant the write scope (needs ``rep_id``).
    rep_id : str, optional
        The rep a write token edits as.

    Returns
    -------
    str
        A URL-safe token.

    Raises
    ------
    ValueError
        On an empty secret or account, an unknown view or a non-positive TTL.
    """
    if not secret:
        raise ValueError("the embed secret is empty")
    if not account_id:
        raise ValueError("account_id is empty")
    if not subject:
        raise ValueError("subject is empty")
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}")
    if ttl_seconds < 1:
        raise ValueError("ttl_seconds must be positive")
    if write and not rep_id:
        raise ValueError("a write token names the rep it edits as")
    issued = int(_now(now).timestamp())
    payload: dict[str, object] = {
        "acc": account_id,
        "view": view,
        "sub": subject,
        "exp": issued + int(ttl_seconds),
        "iat": issued,
        "nonce": secrets.token_urlsafe(12),
    }
    if opportunity_id:
        payload["opp"] = opportunity_id
    if write:
        payload["scp"] = "write"
    if rep_id:
        payload["rep"] = rep_id
    body = _b64encode(json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode())
    return f"{body}.{_b64encode(_sign(secret, body))}"


def verify_embed_token(
    secret: str,
    token: str,
    *,
    account_id: str | None,
    view: str | None = None,
    now: datetime | None = None,
) -> EmbedClaims:
    """The claims of ``token`` if it is genuine, unexpired and for this account (and view).

    ``account_id`` ``None`` accepts the token's own account (GraphQL requests, whose
    scope is then limited to it).

    Raises
    ------
    InvalidEmbedToken
        When the token is malformed, its signature does not match (tampered, or
        another secret), it has expired, or it is scoped to another account or view.
    """
    if not secret:
        raise InvalidEmbedToken("the server has no embed secret")
    if not token or len(token) > _MAX_TOKEN_CHARS or token.count(".") != 1:
        raise InvalidEmbedToken("malformed token")
    body, signature = token.split(".")
    if not hmac.compare_digest(_sign(secret, body), _b64decode(signature)):
        raise InvalidEmbedToken("bad signature")
    claims = _parse_payload(_b64decode(body))
    moment = _now(now)
    if claims.expires_at <= moment:
        raise InvalidEmbedToken("token expired")
    if claims.issued_at > moment + _CLOCK_SKEW:
        raise InvalidEmbedToken("token issued in the future")
    if account_id is not None and not hmac.compare_digest(
        claims.account_id.encode(), account_id.encode()
    ):
        raise InvalidEmbedToken("token is for another account")
    if view is not None and claims.view != view:
        raise InvalidEmbedToken("token is for another view")
    return claims


def _parse_payload(raw: bytes) -> EmbedClaims:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidEmbedToken("malformed payload") from exc
    if not isinstance(data, dict):
        raise InvalidEmbedToken("malformed payload")
    acc, view, exp, iat, nonce = (data.get(k) for k in ("acc", "view", "exp", "iat", "nonce"))
    opp, sub, scp, rep = (data.get(k) for k in ("opp", "sub", "scp", "rep"))
    if not (isinstance(acc, str) and acc and isinstance(nonce, str) and view in VIEWS):
        raise InvalidEmbedToken("malformed payload")
    if not (isinstance(sub, str) and sub):
        raise InvalidEmbedToken("malformed payload")
    if not (isinstance(exp, int) and isinstance(iat, int)) or isinstance(exp, bool):
        raise InvalidEmbedToken("malformed payload")
    if isinstance(iat, bool):
        raise InvalidEmbedToken("malformed payload")
    if opp is not None and not isinstance(opp, str):
        raise InvalidEmbedToken("malformed payload")
    if scp not in (None, "write") or (rep is not None and not (isinstance(rep, str) and rep)):
        raise InvalidEmbedToken("malformed payload")
    if scp == "write" and rep is None:
        raise InvalidEmbedToken("malformed payload")
    try:
        expires = datetime.fromtimestamp(exp, UTC)
        issued = datetime.fromtimestamp(iat, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise InvalidEmbedToken("malformed payload") from exc
    return EmbedClaims(
        acc, view, expires, issued, nonce, sub, opp or None, write=scp == "write", rep_id=rep
    )


def embed_url(public_url: str, account_id: str, token: str, *, lang: str | None = None) -> str:
    """The widget URL for an iframe: ``{public_url}/embed/accounts/{id}?token=…``."""
    query = {"token": token} | ({"lang": lang} if lang else {})
    return (
        f"{public_url.rstrip('/')}/embed/accounts/{quote(account_id, safe='')}?{urlencode(query)}"
    )


def token_principal(claims: EmbedClaims, keys: Iterable[ApiKey], *, demo_mode: bool) -> Principal:
    """The principal a verified token speaks for, as configured now.

    A token naming a rep speaks for that rep (a REP principal; the rep's own configured
    key's name when there is one, else the rep's id, recorded as ``by`` of its changes),
    provided the minting key is still configured. A token without the write scope
    yields a read-only principal.

    Raises
    ------
    InvalidEmbedToken
        When the minting key is no longer configured (revoked), or an anonymous token
        is presented outside demo mode.
    """
    if claims.subject == ANONYMOUS.name:
        if demo_mode and not claims.write:
            return ANONYMOUS
        raise InvalidEmbedToken("token of an anonymous caller outside demo mode")
    keys = list(keys)
    minter = next((k for k in keys if k.name == claims.subject), None)
    if minter is None:
        raise InvalidEmbedToken("the key that minted this token is no longer configured")
    if claims.rep_id is None:
        return replace(minter.principal(), read_only=not claims.write)
    own = next((k for k in keys if k.role == Role.REP and k.rep_id == claims.rep_id), None)
    return Principal(
        name=own.name if own is not None else claims.rep_id,
        role=Role.REP,
        rep_id=claims.rep_id,
        read_only=not claims.write,
    )
