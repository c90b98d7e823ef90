"""Widget tokens: genuine ones pass, expired / tampered / other-scope ones are refused."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from stakegraph.service.embed import (
    InvalidEmbedToken,
    embed_url,
    mint_embed_token,
    verify_embed_token,
)

SECRET = "test-secret"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _mint(**kw: object) -> str:
    args: dict[str, object] = {
        "account_id": "acme",
        "view": "org",
        "ttl_seconds": 900,
        "subject": "amy",
    }
    args.update(kw)
    return mint_embed_token(SECRET, now=NOW, **args)  # type: ignore[arg-type]


def _payload(token: str) -> dict[str, object]:
    body = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _reencode(payload: dict[str, object]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_fresh_token_verifies_with_its_claims() -> None:
    token = _mint(opportunity_id="opp-1")
    claims = verify_embed_token(SECRET, token, account_id="acme", view="org", now=NOW)
    assert claims.account_id == "acme"
    assert claims.view == "org"
    assert claims.opportunity_id == "opp-1"
    assert claims.expires_at == NOW + timedelta(seconds=900)
    assert claims.issued_at == NOW


def test_payload_is_compact_json_with_the_six_claims() -> None:
    payload = _payload(_mint())
    assert set(payload) == {"acc", "view", "sub", "exp", "iat", "nonce"}
    assert payload["sub"] == "amy"
    assert payload["exp"] == payload["iat"] + 900  # type: ignore[operator]


def test_two_tokens_differ_by_nonce() -> None:
    assert _mint() != _mint()


def test_expired_token_is_refused() -> None:
    token = _mint(ttl_seconds=60)
    with pytest.raises(InvalidEmbedToken, match="expired"):
        verify_embed_token(SECRET, token, account_id="acme", now=NOW + timedelta(seconds=60))


def test_token_for_another_account_is_refused() -> None:
    with pytest.raises(InvalidEmbedToken, match="another account"):
        verify_embed_token(SECRET, _mint(), account_id="globex", now=NOW)


def test_token_for_another_view_is_refused() -> None:
    with pytest.raises(InvalidEmbedToken, match="another view"):
        verify_embed_token(SECRET, _mint(), account_id="acme", view="political", now=NOW)


def test_tampered_payload_is_refused() -> None:
    token = _mint()
    payload = _payload(token)
    payload["acc"] = "globex"
    forged = _reencode(payload) + "." + token.split(".")[1]
    with pytest.raises(InvalidEmbedToken, match="signature"):
        verify_embed_token(SECRET, forged, account_id="globex", now=NOW)


def test_extended_expiry_is_refused() -> None:
    token = _mint()
    payload = _payload(token)
    payload["exp"] = payload["exp"] + 10**6  # type: ignore[operator]
    forged = _reencode(payload) + "." + token.split(".")[1]
    with pytest.raises(InvalidEmbedToken):
        verify_embed_token(SECRET, forged, account_id="acme", now=NOW)


def test_tampered_signature_is_refused() -> None:
    body, sig = _mint().split(".")
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    with pytest.raises(InvalidEmbedToken):
        verify_embed_token(SECRET, f"{body}.{flipped}", account_id="acme", now=NOW)


def test_token_of_another_secret_is_refused() -> None:
    token = mint_embed_token("other-secret", "acme", "org", 900, subject="amy", now=NOW)
    with pytest.raises(InvalidEmbedToken):
        verify_embed_token(SECRET, token, account_id="acme", now=NOW)


@pytest.mark.parametrize(
    "garbage", ["", ".", "abc", "a.b.c", "!!!.???", "e30.", "x" * 5000, "e30.e30"]
)
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidEmbedToken):
        verify_embed_token(SECRET, garbage, account_id="acme", now=NOW)


def test_signed_but_malformed_payload_is_refused() -> None:
    from stakegraph.service.embed import _b64encode, _sign

    body = _b64encode(b'{"acc":"acme","view":"org","exp":"never","iat":0,"nonce":"n"}')
    token = f"{body}.{_b64encode(_sign(SECRET, body))}"
    with pytest.raises(InvalidEmbedToken, match="malformed"):
        verify_embed_token(SECRET, token, account_id="acme", now=NOW)


@pytest.mark.parametrize(
    "kwargs",
    [{"view": "tree"}, {"ttl_seconds": 0}, {"account_id": ""}, {"subject": ""}],
)
def test_minting_rejects_bad_arguments(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        _mint(**kwargs)


def test_embed_url_quotes_the_account_and_token() -> None:
    url = embed_url("https://sg.example/", "a/b c", "t.k", lang="zh")
    assert url == "https://sg.example/embed/accounts/a%2Fb%20c?token=t.k&lang=zh"
