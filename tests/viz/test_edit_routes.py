"""The served pages and their edit script: which pages edit, their CSP, HEAD on the
assets, and the org chart's collapse threshold from the settings."""

from __future__ import annotations

from typing import Any

import httpx

from stakegraph.service.embed import mint_embed_token
from stakegraph.service.settings import Settings
from stakegraph.viz.page import account_map_html, map_assets, read_page_data
from stakegraph.viz.sample import AS_OF, sample_subgraph
from tests.viz.conftest import ADMIN_KEY, REP_KEY, SECRET, Served


def _data(html: str) -> dict[str, Any]:
    return read_page_data(html)


def _get(served: Served, path: str, **kw: Any) -> httpx.Response:
    return httpx.get(served.base + path, timeout=60, **kw)


def test_a_rep_keys_page_edits_as_that_rep(served: Served) -> None:
    r = _get(served, "/accounts/acme/map", headers={"X-API-Key": REP_KEY})
    assert r.status_code == 200
    edit = _data(r.text)["edit"]
    assert edit["repId"] == "r-amy" and edit["accountId"] == "acme"
    assert "connect-src 'self'" in r.headers["content-security-policy"]
    assert map_assets()["edit.js"].filename in r.text
    assert "set-cookie" not in r.headers


def test_an_admin_keys_page_names_no_rep_and_does_not_edit(served: Served) -> None:
    r = _get(served, "/accounts/acme/map", headers={"X-API-Key": ADMIN_KEY})
    assert r.status_code == 200 and "edit" not in _data(r.text)
    assert "connect-src" not in r.headers["content-security-policy"]
    assert map_assets()["edit.js"].filename not in r.text


def test_a_read_only_widget_does_not_edit(served: Served) -> None:
    token = mint_embed_token(SECRET, "acme", "org", 300, subject="admin")
    r = _get(served, f"/embed/accounts/acme?token={token}")
    assert r.status_code == 200 and "edit" not in _data(r.text)
    written = mint_embed_token(
        SECRET, "acme", "org", 300, subject="admin", write=True, rep_id="r-amy"
    )
    w = _get(served, f"/embed/accounts/acme?token={written}")
    assert _data(w.text)["edit"]["repId"] == "r-amy"


def test_head_on_an_asset_answers_like_get_without_a_body(served: Served) -> None:
    asset = map_assets()["map.js"]
    path = f"/static/map/{asset.filename}"
    get = _get(served, path, headers={"Accept-Encoding": "gzip"})
    head = httpx.head(served.base + path, headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "cache-control", "etag", "content-encoding"):
        assert head.headers[name] == get.headers[name]
    assert head.headers["content-length"] == get.headers["content-length"]
    missing = httpx.head(served.base + "/static/map/nope.js", timeout=30)
    assert missing.status_code == 404


def test_the_collapse_threshold_is_a_setting() -> None:
    assert Settings().org_collapse_above == 12
    assert Settings(org_collapse_above=40).org_collapse_above == 40
    g = sample_subgraph(60, company_id="big")
    by_default = _data(account_map_html(g, view="org", as_of=AS_OF))["org"]["collapsed"]
    loose = _data(account_map_html(g, view="org", as_of=AS_OF, collapse_above=1000))
    assert by_default and loose["org"]["collapsed"] == []
