"""The front page (``/``), the report page (``/accounts/{id}/report``) and the offline
GraphiQL and API docs, through the app over the small world of ``conftest``.

Authorization is the map routes': an API key, anonymous only in demo mode; an
account the caller may not see is 404, as one that does not exist.
"""

from __future__ import annotations

import base64
import hashlib
import re
import string
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stakegraph.gql.app import create_app
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore

from .conftest import AS_OF, KEYS, make_settings, world

HOSTILE = '<script>window.__xss=1</script> & "Sons" <img src=x onerror=alert(1)>'


def _world() -> dict[str, Any]:
    """The world plus an account of amy's whose name is markup."""
    w = world()
    w["companies"].append({"id": "evil", "name": HOSTILE, "tier": "SMB", "region": "East"})
    w["relationships"].append(
        {"type": "COVERS", "from": "r-amy", "to": "evil", "kind": "OWNER", "from_label": "Rep"}
    )
    return w


def _client(store: GraphStore, **settings: Any) -> Iterator[TestClient]:
    import_dataset(store, _world())
    with TestClient(create_app(make_settings(**settings), store)) as client:
        yield client


@pytest.fixture
def client(embedded_store: GraphStore) -> Iterator[TestClient]:
    yield from _client(embedded_store)


@pytest.fixture
def demo_client(embedded_store: GraphStore) -> Iterator[TestClient]:
    yield from _client(embedded_store, demo_mode=True)


def key(role: str) -> dict[str, str]:
    return {"X-API-Key": KEYS[role][0]}


class Links(HTMLParser):
    """Every ``href`` and ``src`` of a page, and the ``data-account`` rows."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.srcs: list[tuple[str, str | None]] = []
        self.accounts: list[str] = []
        self.scripts_inline = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("a", "link") and a.get("href"):
            self.hrefs.append(str(a["href"]))
        if tag == "link" and a.get("rel") == "stylesheet":
            self.srcs.append((str(a["href"]), a.get("integrity")))
        if tag == "script":
            if a.get("src"):
                self.srcs.append((str(a["src"]), a.get("integrity")))
            else:
                self.scripts_inline += 1
        if tag == "tr" and a.get("data-account"):
            self.accounts.append(str(a["data-account"]))


def _front(client: TestClient, headers: dict[str, str] | None = None, **params: Any) -> Links:
    r = client.get("/", headers=headers or {}, params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    return Links(r.text)


# --------------------------------------------------------------------------- front page


def test_a_rep_sees_only_the_accounts_they_cover(client: TestClient) -> None:
    page = _front(client, key("REP"))
    assert page.accounts == ["acme", "acme-north", "evil"]
    for cid in page.accounts:
        assert f"/accounts/{cid}/report" in page.hrefs
        assert f"/accounts/{cid}/map?view=org" in page.hrefs
        assert f"/accounts/{cid}/map?view=political" in page.hrefs
    assert not any("globex" in h or "acme-south" in h for h in page.hrefs)
    assert "/docs" in page.hrefs
    # another rep, a manager and an admin see their own sets
    assert _front(client, key("REP_BOB")).accounts == ["acme-south", "globex"]
    assert _front(client, key("ADMIN")).accounts == [
        "acme",
        "acme-north",
        "acme-south",
        "evil",
        "globex",
    ]


def test_the_figures_are_the_analyses_graphql_gives(client: TestClient) -> None:
    r = client.post(
        "/graphql",
        json={
            "query": '{ account(id: "acme") { relationshipGrade(asOf: "2026-06-30") { grade }'
            ' health(asOf: "2026-06-30") { status } coverage(asOf: "2026-06-30") { ratio }'
            ' balance(asOf: "2026-06-30") { value verdict }'
            ' potential(asOf: "2026-06-30") { score band } } }'
        },
        headers=key("REP"),
    )
    acme = r.json()["data"]["account"]
    html = client.get("/", params={"asOf": AS_OF.isoformat()}, headers=key("REP")).text
    row = re.search(r'<tr data-account="acme">(.*?)</tr>', html, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert f">{acme['relationshipGrade']['grade']}<" in cells[1]
    assert f"{acme['coverage']['ratio'] * 100:.0f}%" in cells[2]
    assert f"{acme['balance']['value']:+.2f}" in cells[3]
    assert acme["balance"]["verdict"] in cells[3]
    assert f">{acme['health']['status']}<" in cells[4]
    potential = acme["potential"]
    assert potential["score"] is not None  # acme has every ICP score
    assert f"{potential['band']} {potential['score']:.1f}" in cells[5]
    assert "figures as of 2026-06-30" in html
    assert '/accounts/acme/report?asOf=2026-06-30"' in html
    assert '/accounts/acme/map?view=political&amp;asOf=2026-06-30"' in html  # maps too


def test_the_front_page_needs_a_key_outside_demo_mode(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert "<tr" not in r.text
    assert client.get("/", headers={"X-API-Key": "nope"}).status_code == 401
    ok = client.get("/", headers={"Authorization": f"Bearer {KEYS['REP'][0]}"})
    assert ok.status_code == 200


def test_demo_mode_without_a_key_shows_the_demo_accounts(demo_client: TestClient) -> None:
    page = _front(demo_client)
    assert page.accounts == ["acme", "acme-north", "acme-south", "evil", "globex"]
    assert "/graphql" in page.hrefs  # GraphiQL is on in demo mode
    # a key still narrows the view
    assert _front(demo_client, key("REP")).accounts == ["acme", "acme-north", "evil"]


def test_graphiql_is_linked_only_when_it_is_served(client: TestClient) -> None:
    assert "/graphql" not in _front(client, key("ADMIN")).hrefs


def test_every_data_string_is_escaped(client: TestClient) -> None:
    r = client.get("/", headers=key("REP"))
    assert HOSTILE not in r.text
    assert "<script>window.__xss" not in r.text
    assert "<img src=x" not in r.text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt; &amp; &#34;Sons&#34;" in r.text
    page = Links(r.text)
    assert page.scripts_inline == 0 and page.srcs == []  # the page runs no script
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert "frame-ancestors 'none'" in csp


def test_the_front_page_is_paged(client: TestClient) -> None:
    first = client.get("/", params={"first": 2}, headers=key("ADMIN"))
    page = Links(first.text)
    assert page.accounts == ["acme", "acme-north"]
    nxt = re.search(r'<a id="next-page" href="([^"]+)"', first.text)
    assert nxt is not None
    href = nxt.group(1).replace("&amp;", "&")
    second = Links(client.get(href, headers=key("ADMIN")).text)
    assert second.accounts == ["acme-south", "evil"]
    assert client.get("/", params={"after": "garbage"}, headers=key("ADMIN")).status_code == 400
    assert client.get("/", params={"first": 0}, headers=key("ADMIN")).status_code == 422


# ------------------------------------------------------------------------- report page


def test_the_report_of_a_visible_account(client: TestClient) -> None:
    r = client.get("/accounts/acme/report", params={"asOf": "2026-06-30"}, headers=key("REP"))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.text.lstrip().startswith("<!DOCTYPE html>")
    assert "Acme Group" in r.text and "2026-06-30" in r.text
    assert "Wang Wei" in r.text  # a contact of the account
    assert "script-src" not in r.headers["content-security-policy"]
    zh = client.get("/accounts/acme/report?lang=zh", headers=key("REP"))
    assert zh.status_code == 200 and "关系等级" in zh.text


def test_the_report_escapes_the_account_name(client: TestClient) -> None:
    r = client.get("/accounts/evil/report", headers=key("REP"))
    assert r.status_code == 200
    assert "<script>window.__xss" not in r.text
    assert "&lt;script&gt;" in r.text


def test_the_report_of_an_invisible_or_absent_account_is_404(client: TestClient) -> None:
    invisible = client.get("/accounts/globex/report", headers=key("REP"))
    absent = client.get("/accounts/nope/report", headers=key("REP"))
    assert invisible.status_code == absent.status_code == 404
    assert invisible.text == absent.text == "not found"
    assert "Globex" not in invisible.text
    wrong_deal = client.get("/accounts/acme/report?opportunity=o-globex", headers=key("ADMIN"))
    assert wrong_deal.status_code == 404
    assert client.get("/accounts/acme/report").status_code == 401
    assert client.get("/accounts/acme/report?lang=fr", headers=key("REP")).status_code == 422


# -------------------------------------------------------------- offline GraphiQL, /docs


def _sri(body: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()


def _assets_are_served(client: TestClient, page: Links) -> None:
    assert page.srcs, "the page loads no asset"
    for url, integrity in page.srcs:
        assert url.startswith("/static/vendor/"), url
        r = client.get(url)
        assert r.status_code == 200, url
        if integrity is not None:
            assert _sri(r.content) == integrity, url


def test_graphiql_loads_its_assets_from_the_app(demo_client: TestClient) -> None:
    r = demo_client.get("/graphql", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "GraphiQL" in r.text
    assert not re.search(r"""(src|href)=["']https?://""", r.text)
    assert "unpkg.com" not in r.text and "jsdelivr" not in r.text
    page = Links(r.text)
    assert len(page.srcs) == 7  # react, react-dom, js-cookie, graphiql js+css, explorer js+css
    assert all(integrity for _, integrity in page.srcs)
    _assets_are_served(demo_client, page)


def test_the_api_docs_are_for_demo_mode_only(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 404
    assert client.get("/openapi.json", headers=key("ADMIN")).status_code == 404


def test_the_api_docs_load_their_assets_from_the_app(demo_client: TestClient) -> None:
    client = demo_client
    r = client.get("/docs")
    assert r.status_code == 200
    assert "cdn.jsdelivr.net" not in r.text and "fastapi.tiangolo.com" not in r.text
    assert not re.search(r"""(src|href)=["']https?://""", r.text)
    page = Links(r.text)
    _assets_are_served(client, page)
    assert any(h.endswith("favicon-32x32.png") for h in page.hrefs)
    assert client.get("/openapi.json").json()["paths"]["/"]
    assert client.get("/redoc").status_code == 404  # no page that needs a CDN


def test_the_vendored_assets_keep_their_licences(client: TestClient) -> None:
    for folder in (
        "react@18.2.0",
        "react-dom@18.2.0",
        "js-cookie@3.0.5",
        "graphiql@3.8.3",
        "graphiql-plugin-explorer@1.0.2",
        "swagger-ui-dist@5.35.0",
    ):
        r = client.get(f"/static/vendor/{folder}/LICENSE")
        assert r.status_code == 200, folder
        assert "MIT License" in r.text or "Apache License" in r.text, folder


# --------------------------------------------------------------------------- languages


def _visible_text(html: str) -> str:
    """What a reader sees: the text and the titles, the data strings of the world left out."""
    text = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    text = re.sub(r'<span class="who">[^(<]*', " ", text)  # the key's name is data
    text = " ".join(re.findall(r'title="([^"]*)"', text)) + re.sub(r"<[^>]+>", " ", text)
    for value in sorted(_data_strings(_world()), key=len, reverse=True):
        text = text.replace(value, " ")
    return text


def _data_strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value} if len(value) >= 3 else set()
    if isinstance(value, dict):
        return set().union(*(_data_strings(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_data_strings(v) for v in value))
    return set()


def _english_pieces() -> list[str]:
    from stakegraph.gql.front_words import FRONT_WORDS

    zh = " ".join(FRONT_WORDS["zh"].values())
    pieces = set()
    for key, template in FRONT_WORDS["en"].items():
        if key == "nav.other_lang":  # the link to the other language is in it
            continue
        for literal, *_ in string.Formatter().parse(template):
            for piece in re.split(r"[·:→]", literal):
                if re.search(r"[A-Za-z]{3}", piece.strip()) and piece.strip() not in zh:
                    pieces.add(piece.strip())
    return sorted(pieces)


def test_both_languages_have_every_word_of_the_front_page() -> None:
    from stakegraph.gql.front_words import FRONT_WORDS

    assert FRONT_WORDS["en"].keys() == FRONT_WORDS["zh"].keys()


@pytest.mark.parametrize(
    ("params", "headers"),
    [({"lang": "zh"}, {}), ({}, {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})],
)
def test_the_chinese_front_page_has_no_english_catalogue_word(
    client: TestClient, params: dict[str, str], headers: dict[str, str]
) -> None:
    r = client.get("/", params=params, headers={**key("ADMIN"), **headers})
    assert r.status_code == 200
    assert '<html lang="zh-CN">' in r.text and "地图与报告" in r.text
    seen = _visible_text(r.text)
    assert [p for p in _english_pieces() if re.search(rf"\b{re.escape(p)}\b", seen)] == []
    links = Links(r.text)
    assert "/accounts/acme/map?view=org&lang=zh" in links.hrefs
    assert "/accounts/acme/report?lang=zh" in links.hrefs


def test_the_english_front_page_has_its_words(client: TestClient) -> None:
    r = client.get("/", headers={**key("ADMIN"), "Accept-Language": "fr, en;q=0.5"})
    seen = _visible_text(r.text)
    assert {"Maps and report", "Org chart", "accounts visible to you"} <= {
        p for p in _english_pieces() if p in seen
    }
    assert '<html lang="en">' in r.text
    assert client.get("/", params={"lang": "de"}, headers=key("ADMIN")).status_code == 422


def test_the_chinese_front_page_escapes_data_too(client: TestClient) -> None:
    r = client.get("/", params={"lang": "zh"}, headers=key("REP"))
    assert HOSTILE not in r.text and "&lt;script&gt;window.__xss=1&lt;/script&gt;" in r.text
