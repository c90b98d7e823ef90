"""The map routes over real HTTP (uvicorn): who may see a map, what the widget sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from stakegraph.service.embed import mint_embed_token
from tests.viz.conftest import ADMIN_KEY, REP_KEY, SECRET, Served


def _get(served: Served, path: str, **kw: object) -> httpx.Response:
    return httpx.get(served.base + path, timeout=30, **kw)  # type: ignore[arg-type]


def _token(account: str = "acme", view: str = "org", **kw: object) -> str:
    kw.setdefault("subject", "admin")
    return mint_embed_token(SECRET, account, view, 300, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------- /accounts/{id}/map


def test_map_needs_an_api_key(served: Served) -> None:
    r = _get(served, "/accounts/acme/map")
    assert r.status_code == 401
    assert "set-cookie" not in r.headers


def test_map_refuses_an_unknown_key(served: Served) -> None:
    assert _get(served, "/accounts/acme/map", headers={"X-API-Key": "nope"}).status_code == 401


@pytest.mark.parametrize(
    "headers",
    [{"X-API-Key": ADMIN_KEY}, {"Authorization": f"Bearer {ADMIN_KEY}"}],
    ids=["x-api-key", "bearer"],
)
def test_map_is_served_to_an_admin(served: Served, headers: dict[str, str]) -> None:
    r = _get(served, "/accounts/acme/map?view=political", headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'self'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "set-cookie" not in r.headers


def test_rep_sees_the_account_they_cover_only(served: Served) -> None:
    key = {"X-API-Key": REP_KEY}
    assert _get(served, "/accounts/acme/map", headers=key).status_code == 200
    assert _get(served, "/accounts/globex/map", headers=key).status_code == 404


def test_unknown_account_and_opportunity_are_404(served: Served) -> None:
    key = {"X-API-Key": ADMIN_KEY}
    assert _get(served, "/accounts/nope/map", headers=key).status_code == 404
    assert _get(served, "/accounts/acme/map?opportunity=nope", headers=key).status_code == 404


def test_bad_view_or_language_is_422(served: Served) -> None:
    key = {"X-API-Key": ADMIN_KEY}
    assert _get(served, "/accounts/acme/map?view=tree", headers=key).status_code == 422
    assert _get(served, "/accounts/acme/map?lang=fr", headers=key).status_code == 422


def test_opportunity_scope_and_chinese_labels(served: Served) -> None:
    r = _get(
        served,
        "/accounts/acme/map?view=org&opportunity=acme-o2&lang=zh",
        headers={"X-API-Key": ADMIN_KEY},
    )
    assert r.status_code == 200
    assert "组织架构" in r.text
    assert "Service renewal" in r.text
    assert '<html lang="zh-CN">' in r.text


# ------------------------------------------------------------------------ /embed


def test_widget_is_served_for_a_valid_token(served: Served) -> None:
    r = _get(served, f"/embed/accounts/acme?token={_token()}")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors " + served.settings.embed_allowed_origins[0] in csp
    nonce = csp.split("script-src 'nonce-")[1].split("'")[0]
    assert r.text.count(f'<script nonce="{nonce}" src="/static/map/') == 2
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    assert "set-cookie" not in r.headers
    assert '"allowedOrigins": ["http://localhost:' in r.text


def test_each_response_has_a_fresh_nonce(served: Served) -> None:
    a = _get(served, f"/embed/accounts/acme?token={_token()}").headers["content-security-policy"]
    b = _get(served, f"/embed/accounts/acme?token={_token()}").headers["content-security-policy"]
    assert a != b


def test_widget_view_comes_from_the_token(served: Served) -> None:
    r = _get(served, f"/embed/accounts/acme?token={_token(view='political')}")
    assert r.status_code == 200
    assert 'body class="view-political embed"' in r.text
    assert (
        _get(served, f"/embed/accounts/acme?view=org&token={_token(view='political')}").status_code
        == 403
    )


def test_widget_needs_a_token(served: Served) -> None:
    r = _get(served, "/embed/accounts/acme")
    assert r.status_code == 401
    assert "set-cookie" not in r.headers


def test_expired_token_is_refused(served: Served) -> None:
    old = datetime.now(UTC) - timedelta(seconds=301)
    r = _get(served, f"/embed/accounts/acme?token={_token(now=old)}")
    assert r.status_code == 403
    assert "expired" in r.text


def test_tampered_token_is_refused(served: Served) -> None:
    body, sig = _token().split(".")
    tampered = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + sig
    assert _get(served, f"/embed/accounts/acme?token={tampered}").status_code == 403


def test_token_of_another_account_is_refused(served: Served) -> None:
    r = _get(served, f"/embed/accounts/acme?token={_token('globex')}")
    assert r.status_code == 403
    assert "another account" in r.text


def test_token_signed_with_another_secret_is_refused(served: Served) -> None:
    forged = mint_embed_token("not-the-secret", "acme", "org", 300, subject="admin")
    assert _get(served, f"/embed/accounts/acme?token={forged}").status_code == 403


def test_widget_for_a_deleted_account_is_404(served: Served) -> None:
    assert _get(served, f"/embed/accounts/gone?token={_token('gone')}").status_code == 404


def test_the_url_graphql_hands_out_opens_the_widget(served: Served) -> None:
    r = httpx.post(
        f"{served.base}/graphql",
        json={
            "query": 'mutation { embedToken(accountId: "acme", view: POLITICAL, '
            'opportunityId: "acme-o1") { url } }'
        },
        headers={"X-API-Key": ADMIN_KEY},
        timeout=30,
    )
    url = r.json()["data"]["embedToken"]["url"]
    path = url.split("/embed/", 1)[1]
    r = _get(served, f"/embed/{path}")
    assert r.status_code == 200
    assert '"view": "political"' in r.text
    assert '"opportunity": {"id": "acme-o1"' in r.text
