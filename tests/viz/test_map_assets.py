"""Fast, cacheable map pages and maps as of a date, over real HTTP (uvicorn) and in Chromium.

The served page carries its data and references vis-network, our script and our style
sheet by content-hashed URLs that are cached for a year and sent gzip-compressed; the
standalone file (``stakegraph map -o``) still inlines everything.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from stakegraph.graph.store import GraphStore
from stakegraph.service.embed import mint_embed_token
from stakegraph.viz.page import Asset, account_map_html, map_assets, read_page_data
from tests.viz.conftest import ADMIN_KEY, DEMO, ROOT, SECRET, Parent, Served
from tests.viz.test_browser import READY, _parent_page, _vis_counts, expected_counts

KEY = {"X-API-Key": ADMIN_KEY}
IMMUTABLE = "public, max-age=31536000, immutable"
#: the demo account with the most departments (tests/viz/test_browser.py's pick)
DEMO_ACCOUNT = "co-hx-hq"
ASSET_REF = re.compile(
    r'<(?:script|link)[^>]* (?:src|href)="(/static/map/[^"]+)" integrity="([^"]+)"'
)
EARLY, LATE = "2026-06-01", "2028-01-01"


def _get(served: Served, path: str, **kw: Any) -> httpx.Response:
    return httpx.get(served.base + path, timeout=60, **kw)


def _raw(served: Served, path: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
    """The response and its body as sent on the wire (not decoded)."""
    with httpx.stream("GET", served.base + path, headers=headers, timeout=60) as r:
        return r, b"".join(r.iter_raw())


def _data(html: str) -> dict[str, Any]:
    return read_page_data(html)


def _knows_levels(html: str) -> list[int]:
    return [e["meta"]["level"] for e in _data(html)["edges"] if e["meta"]["kind"] == "KNOWS"]


def _widget(account: str = "acme", view: str = "political") -> str:
    token = mint_embed_token(SECRET, account, view, 300, subject="admin")
    return f"/embed/accounts/{account}?token={token}"


@pytest.fixture(scope="module")
def demo_page(served: Served) -> httpx.Response:
    assert DEMO.exists()
    r = _get(served, f"/accounts/{DEMO_ACCOUNT}/map?view=political", headers=KEY)
    assert r.status_code == 200, r.text[:300]
    return r


# ------------------------------------------------------------------- the served page


def test_page_references_hashed_assets_and_inlines_none(
    demo_page: httpx.Response, viz_store: GraphStore
) -> None:
    html = demo_page.text
    refs = [url for url, _ in ASSET_REF.findall(html)]
    assert len(refs) == 3
    assert re.fullmatch(r"/static/map/map\.[0-9a-f]{12}\.css", refs[0])  # <link> in <head>
    assert re.fullmatch(r"/static/map/vis-network\.[0-9a-f]{12}\.min\.js", refs[1])
    assert re.fullmatch(r"/static/map/map\.[0-9a-f]{12}\.js", refs[2])
    for asset in map_assets().values():  # not one asset inlined
        middle = len(asset.text) // 2
        assert asset.text[middle : middle + 200] not in html
    assert "<style" not in html
    # only the data block is an inline script
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [
        '<script type="application/json" id="map-data">'
    ]
    size = len(demo_page.content)
    standalone = account_map_html(
        viz_store.account_subgraph(DEMO_ACCOUNT),
        view="political",
        as_of=datetime.now(UTC).date(),
    )
    assert size < 60_000 < 500_000 < len(standalone.encode())
    assert demo_page.headers["cache-control"] == "no-store"


def test_scripts_carry_the_nonce_of_the_page_csp(demo_page: httpx.Response) -> None:
    csp = demo_page.headers["content-security-policy"]
    nonce = csp.split("script-src 'nonce-")[1].split("'")[0]
    assert f"style-src 'nonce-{nonce}'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    html = demo_page.text
    assert html.count(f'<script nonce="{nonce}" src="/static/map/') == 2
    assert html.count(f'<link rel="stylesheet" nonce="{nonce}" href="/static/map/') == 1


def test_assets_are_immutable_and_named_by_their_content(
    served: Served, demo_page: httpx.Response
) -> None:
    refs = ASSET_REF.findall(demo_page.text)
    kinds = {}
    for url, integrity in refs:
        r, raw = _raw(served, url, {"Accept-Encoding": "identity"})
        assert r.status_code == 200
        assert "content-encoding" not in r.headers
        assert r.headers["cache-control"] == IMMUTABLE
        assert "set-cookie" not in r.headers
        digest = hashlib.sha256(raw)
        assert f".{digest.hexdigest()[:12]}." in url  # the name is the content's hash
        assert integrity == "sha256-" + base64.b64encode(digest.digest()).decode()
        kinds[url.rsplit(".", 1)[1]] = r.headers["content-type"]
        again = _get(served, url, headers={"If-None-Match": r.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
    assert kinds["js"].startswith("text/javascript") and kinds["css"].startswith("text/css")
    vis = next(url for url, _ in refs if "vis-network" in url)
    r, raw = _raw(served, vis, {"Accept-Encoding": "identity"})
    assert len(raw) > 400_000 and b"vis-network" in raw[:2000]


def test_a_changed_asset_gets_another_url(served: Served, demo_page: httpx.Response) -> None:
    current = map_assets()["map.js"]
    assert f"/static/map/{current.filename}" in demo_page.text
    changed = Asset.of("map.js", current.text + "\n/* one more line */\n")
    assert changed.filename != current.filename
    assert changed.filename == f"map.{hashlib.sha256(changed.body).hexdigest()[:12]}.js"
    # an old (or made-up) name is not served
    stale = current.filename.replace(current.sha256[:12], "0" * 12)
    assert _get(served, f"/static/map/{stale}").status_code == 404


def test_page_and_assets_are_gzip_compressed(served: Served, demo_page: httpx.Response) -> None:
    path = f"/accounts/{DEMO_ACCOUNT}/map?view=political"
    r, raw = _raw(served, path, {**KEY, "Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in r.headers["vary"].lower()
    assert r.headers["cache-control"] == "no-store"
    page = gzip.decompress(raw)
    assert len(raw) < len(page) / 3
    assert b'id="map-data"' in page
    for url, _ in ASSET_REF.findall(demo_page.text):
        r, raw = _raw(served, url, {"Accept-Encoding": "gzip, deflate, br"})
        assert r.headers["content-encoding"] == "gzip"
        assert r.headers["cache-control"] == IMMUTABLE
        body = gzip.decompress(raw)
        assert f".{hashlib.sha256(body).hexdigest()[:12]}." in url
        assert len(raw) < len(body) / 2
    # the data API too
    q = {"query": "{ accounts(first: 50) { nodes { id name } } }"}
    g = httpx.post(
        served.base + "/graphql", json=q, headers={**KEY, "Accept-Encoding": "gzip"}, timeout=60
    )
    assert g.status_code == 200 and g.headers["content-encoding"] == "gzip"
    assert g.json()["data"]["accounts"]["nodes"]


def test_the_widget_references_the_same_assets(served: Served) -> None:
    r = _get(served, _widget())
    assert r.status_code == 200
    assert [u for u, _ in ASSET_REF.findall(r.text)] == [
        f"/static/map/{map_assets()[n].filename}"
        for n in ("map.css", "vis-network.min.js", "map.js")
    ]
    origin = served.settings.embed_allowed_origins[0]
    assert "frame-ancestors " + origin in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"


# ------------------------------------------------------------------------------ asOf


def test_as_of_is_shown_and_analysed(served: Served) -> None:
    path = f"/accounts/{DEMO_ACCOUNT}/map?view=political"
    early = _get(served, f"{path}&asOf={EARLY}", headers=KEY)
    late = _get(served, f"{path}&asOf={LATE}", headers=KEY)
    assert early.status_code == late.status_code == 200
    for r, day in ((early, EARLY), (late, LATE)):
        assert _data(r.text)["asOf"] == day
        assert f'as of <time datetime="{day}">{day}</time>' in r.text
    # relationships decay: 19 months later the same ties are weaker
    a, b = _knows_levels(early.text), _knows_levels(late.text)
    assert len(a) == len(b) and a != b and sum(b) < sum(a)
    today = datetime.now(UTC).date().isoformat()
    assert _data(_get(served, path, headers=KEY).text)["asOf"] == today


def test_as_of_in_chinese(served: Served) -> None:
    r = _get(served, f"/accounts/acme/map?lang=zh&asOf={EARLY}", headers=KEY)
    assert f'截至 <time datetime="{EARLY}">{EARLY}</time>' in r.text


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "20261120", "2026-02-30", ""])
def test_a_bad_as_of_is_400_naming_it(served: Served, bad: str) -> None:
    r = _get(served, "/accounts/acme/map", params={"asOf": bad}, headers=KEY)
    assert r.status_code == 400
    assert r.text == f"asOf {bad!r} is not a date (YYYY-MM-DD)"
    assert r.headers["cache-control"] == "no-store"
    w = _get(served, _widget() + "&asOf=" + bad)
    assert w.status_code == 400 and r.text == w.text


def test_the_widget_takes_as_of(served: Served) -> None:
    early = _get(served, _widget(DEMO_ACCOUNT) + f"&asOf={EARLY}")
    late = _get(served, _widget(DEMO_ACCOUNT) + f"&asOf={LATE}")
    assert _data(early.text)["asOf"] == EARLY and _data(late.text)["asOf"] == LATE
    assert f'<time datetime="{LATE}">' in late.text
    assert sum(_knows_levels(late.text)) < sum(_knows_levels(early.text))
    # a bad date never outranks a missing token
    assert _get(served, "/embed/accounts/acme?asOf=nope").status_code == 401


def test_map_url_carries_as_of_to_the_widget(served: Served) -> None:
    q = f'{{ account(id: "acme") {{ mapUrl(view: POLITICAL, asOf: "{EARLY}") }} }}'
    r = httpx.post(served.base + "/graphql", json={"query": q}, headers=KEY, timeout=60)
    url = r.json()["data"]["account"]["mapUrl"]
    assert f"asOf={EARLY}" in url
    page = _get(served, "/embed/" + url.split("/embed/", 1)[1])
    assert page.status_code == 200
    assert _data(page.text)["asOf"] == EARLY
    plain = '{ account(id: "acme") { mapUrl(view: ORG) } }'
    r = httpx.post(served.base + "/graphql", json={"query": plain}, headers=KEY, timeout=60)
    assert "asOf" not in r.json()["data"]["account"]["mapUrl"]


# ------------------------------------------------------------------------- standalone


def test_the_standalone_export_inlines_everything(tmp_path: Path) -> None:
    from stakegraph.graph.embedded_store import EmbeddedStore
    from stakegraph.viz.sample import sample_account

    db = tmp_path / "cli.db"
    store = EmbeddedStore(db)
    store.write(sample_account(12, company_id="acme"))
    store.close()
    out = tmp_path / "map.html"
    cmd = [sys.executable, "-m", "stakegraph.cli", "map", "acme", "-o", str(out)]
    cmd += ["--view", "political", "--as-of", "2025-03-01", "--store", "embedded", "--db", str(db)]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    for name, asset in map_assets().items():
        if name == "edit.js":  # the export is read-only: no edit script, no edit panel
            assert asset.text not in html and 'id="edit-panel"' not in html
        else:
            assert asset.text in html
    assert '"edit"' not in _data(html) and "connect-src" not in html
    assert "/static/" not in html and " src=" not in html and "<link" not in html
    assert _data(html)["asOf"] == "2025-03-01"
    assert 'as of <time datetime="2025-03-01">2025-03-01</time>' in html
    bad = subprocess.run(
        [*cmd[:-6], "--as-of", "2025-02-30", *cmd[-4:]],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert bad.returncode == 2
    assert "--as-of '2025-02-30' is not a date" in bad.stderr


# ---------------------------------------------------------------------------- browser


@pytest.mark.browser
def test_served_map_draws_with_external_assets_under_its_csp(
    page: Any, served: Served, viz_store: GraphStore, artifacts: Path
) -> None:
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    assets: dict[str, tuple[int, str | None]] = {}
    page.on(
        "response",
        lambda r: (
            assets.__setitem__(r.url, (r.status, r.headers.get("cache-control")))
            if "/static/map/" in r.url
            else None
        ),
    )
    page.set_extra_http_headers(KEY)
    page.goto(f"{served.base}/accounts/{DEMO_ACCOUNT}/map?view=political&asOf={EARLY}")
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    assert _vis_counts(page) == expected_counts(
        viz_store.account_subgraph(DEMO_ACCOUNT), "political"
    )
    assert page.locator("#map canvas").count() == 1
    assert page.inner_text("#as-of") == f"as of {EARLY}"
    # the external style sheet applied (the header's date is bold)
    assert page.eval_on_selector("#as-of", "e => getComputedStyle(e).fontWeight") == "600"
    assert sorted(u.rsplit("/", 1)[1].split(".")[0] for u in assets) == [
        "map",
        "map",
        "vis-network",
    ]
    assert all(v == (200, IMMUTABLE) for v in assets.values())
    # something is drawn: the canvas is not blank
    painted = page.evaluate(
        """(() => { const c = document.querySelector('#map canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] < 200 || d[i+1] < 200) n++; }
        return n; })()"""
    )
    assert painted > 1000
    assert not page.errors and not csp_errors
    page.screenshot(path=str(artifacts / "map-assets-demo-political.png"))


@pytest.mark.browser
def test_widget_with_external_assets_in_a_crm_page(
    page: Any, served: Served, parent: Parent, artifacts: Path
) -> None:
    src = served.base + _widget(DEMO_ACCOUNT, "org") + f"&asOf={LATE}"
    path = _parent_page(parent, "crm-assets", src, served.base)
    page.goto(parent.origin("localhost") + path)
    page.frame_locator("#w").locator(READY).wait_for(state="attached", timeout=60_000)
    widget = next(f for f in page.frames if f.url.startswith(served.base))
    assert widget.evaluate("stakegraph.parentAllowed") is True
    assert widget.evaluate("stakegraph.nodeCount") > 10
    assert widget.locator("#map canvas").count() == 1
    assert widget.inner_text("#as-of") == f"as of {LATE}"
    assert not page.errors
    page.screenshot(path=str(artifacts / "map-assets-widget-in-crm.png"))
