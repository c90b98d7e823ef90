"""Short-lived signed tokens for the embeddable map widget.

A token grants read access to the map of one account, in one view, until it
expires. It is minted by an authorised caller (GraphQL ``mapUrl`` / ``embedToken``)
and presented by a CRM front end in the widget's URL
(``/embed/accounts/{id}?token=…``); it is the widget's only credential.

Format: ``base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))``
without padding, where ``payload`` is compact JSON
``{"acc": …, "view": …, "exp": …, "iat": …, "nonce": …}`` (times in whole seconds
since the epoch, UTC) and, when the token is scoped to an opportunity, ``"opp": …``.
The signature is checked, in constant time, before the payload is read.

Examples
--------
>>> from datetime import UTC, datetime
>>> now = datetime(2025, 1, 1, tzinfo=UTC)
>>> token = mint_embed_token("s3cret", "acme", "org", 900, now=now)
>>> verify_embed_token("s3cret", token, account_id="acme", now=now).view
'org'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

__all__ = [
    "VIEWS",
    "EmbedClaims",
    "InvalidEmbedToken",
    "embed_url",
    "mint_embed_token",
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
    opportunity_id: str | None = None
    #: Contacts of other accounts are shown masked (the minting caller may not see
    #: every account).
    mask_foreign: bool = False


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
    now: datetime | None = None,
    opportunity_id: str | None = None,
    mask_foreign: bool = False,
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
    now : datetime, optional
        The issue time (tests); defaults to the current UTC time.
    opportunity_id : str, optional
        Scope the map to one opportunity as well.
    mask_foreign : bool
        Show contacts of other accounts masked (claim ``"mask": 1``): set when the
        minting caller may not see every account.

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
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}")
    if ttl_seconds < 1:
        raise ValueError("ttl_seconds must be positive")
    issued = int(_now(now).timestamp())
    payload: dict[str, object] = {
        "acc": account_id,
        "view": view,
        "exp": issued + int(ttl_seconds),
        "iat": issued,
        "nonce": secrets.token_urlsafe(12),
    }
    if opportunity_id:
        payload["opp"] = opportunity_id
    if mask_foreign:
        payload["mask"] = 1
    body = _b64encode(json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode())
    return f"{body}.{_b64encode(_sign(secret, body))}"


def verify_embed_token(
    secret: str,
    token: str,
    *,
    account_id: str,
    view: str | None = None,
    now: datetime | None = None,
) -> EmbedClaims:
    """The claims of ``token`` if it is genuine, unexpired and for this account (and view).

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
    if not hmac.compare_digest(claims.account_id.encode(), account_id.encode()):
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
    opp = data.get("opp")
    if not (isinstance(acc, str) and acc and isinstance(nonce, str) and view in VIEWS):
        raise InvalidEmbedToken("malformed payload")
    if not all(isinstance(t, int) and not isinstance(t, bool) for t in (exp, iat)):
        raise InvalidEmbedToken("malformed payload")
    if opp is not None and not isinstance(opp, str):
        raise InvalidEmbedToken("malformed payload")
    mask = data.get("mask", 0)
    if mask not in (0, 1) or isinstance(mask, bool):
        raise InvalidEmbedToken("malformed payload")
    try:
        expires = datetime.fromtimestamp(exp, UTC)
        issued = datetime.fromtimestamp(iat, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise InvalidEmbedToken("malformed payload") from exc
    return EmbedClaims(acc, view, expires, issued, nonce, opp or None, mask_foreign=mask == 1)


def embed_url(public_url: str, account_id: str, token: str, *, lang: str | None = None) -> str:
    """The widget URL for an iframe: ``{public_url}/embed/accounts/{id}?token=…``."""
    query = {"token": token} | ({"lang": lang} if lang else {})
    return (
        f"{public_url.rstrip('/')}/embed/accounts/{quote(account_id, safe='')}?{urlencode(query)}"
    )
