"""GraphiQL, the API docs and the front page in Chromium with no internet: the app is
served for real (uvicorn, demo mode) and every request that is not to 127.0.0.1 is
aborted, so a page that needed a CDN would not run."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn

from stakegraph.gql.app import create_app
from stakegraph.graph.store import GraphStore
from stakegraph.service.settings import Settings
from tests.viz.conftest import free_port

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_base(viz_store: GraphStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app in demo mode (anonymous read-only access, GraphiQL on) over uvicorn."""
    settings = Settings(
        store="embedded", db_path=tmp_path_factory.mktemp("demo") / "unused.db", demo_mode=True
    )
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, store=viz_store),
            host="127.0.0.1",
            port=free_port(),
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("offline-screenshots")


@pytest.fixture
def offline(browser: Any) -> Iterator[Any]:
    """A page whose requests off 127.0.0.1 are aborted (and recorded)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    blocked: list[str] = []
    served: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            served.append(url)
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.blocked = blocked  # type: ignore[attr-defined]
    pg.served = served  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    context.close()


def test_graphiql_runs_a_query_offline(offline: Any, demo_base: str, shots: Path) -> None:
    offline.goto(f"{demo_base}/graphql", wait_until="networkidle")
    editor = offline.locator(".graphiql-query-editor .CodeMirror").first
    editor.wait_for(state="visible", timeout=20_000)
    offline.screenshot(path=str(shots / "graphiql-loaded.png"))
    editor.click()
    offline.keyboard.press("Control+A")
    offline.keyboard.press("Delete")
    # CodeMirror closes brackets itself; the typed "}" steps over the closing one
    offline.keyboard.type('{ account(id: "co-orient") { name } }', delay=15)
    offline.keyboard.press("Escape")  # close the completion list, if open
    offline.locator(".graphiql-execute-button").click()
    result = offline.locator(".graphiql-response")
    result.get_by_text("Orient Precision Manufacturing").wait_for(timeout=20_000)
    offline.screenshot(path=str(shots / "graphiql-result.png"))
    text = result.inner_text()
    assert '"name"' in text and "东方精工集团" in text
    assert offline.errors == []
    assert offline.blocked == []  # nothing was fetched from outside
    assert any("/static/vendor/graphiql@3.8.3/graphiql.min.js" in u for u in offline.served)


def test_the_front_page_renders_offline(offline: Any, demo_base: str, shots: Path) -> None:
    offline.goto(f"{demo_base}/", wait_until="networkidle")
    rows = offline.locator("#accounts tbody tr")
    assert rows.count() >= 10  # the demo accounts (and the sample ones)
    orient = offline.locator('tr[data-account="co-orient"]')
    assert "Orient Precision Manufacturing" in orient.inner_text()
    offline.screenshot(path=str(shots / "front-page.png"), full_page=True)
    # its links lead to the map, the report and GraphiQL
    orient.get_by_role("link", name="Report", exact=True).click()
    offline.wait_for_load_state("networkidle")
    assert "/accounts/co-orient/report" in offline.url
    assert "Orient Precision Manufacturing" in offline.content()
    offline.screenshot(path=str(shots / "report.png"))
    offline.go_back()
    offline.locator("#graphiql-link").click()
    offline.locator(".graphiql-query-editor .CodeMirror").first.wait_for(timeout=20_000)
    assert offline.errors == []
    assert offline.blocked == []


def test_the_api_docs_render_offline(offline: Any, demo_base: str, shots: Path) -> None:
    offline.goto(f"{demo_base}/docs", wait_until="networkidle")
    offline.locator(".swagger-ui .info .title").get_by_text("stakegraph").wait_for(timeout=20_000)
    offline.locator(
        ".opblock-summary-path", has_text="/accounts/{account_id}/report"
    ).first.wait_for()
    offline.screenshot(path=str(shots / "docs.png"))
    assert offline.errors == []
    assert offline.blocked == []


def test_the_chinese_front_page(offline: Any, demo_base: str, artifacts: Path) -> None:
    offline.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})
    offline.goto(f"{demo_base}/", wait_until="networkidle")
    heads = offline.locator("#accounts thead th").all_inner_texts()
    assert heads == ["客户", "关系等级", "覆盖率", "支持力量对比", "健康度", "潜力", "地图与报告"]
    orient = offline.locator('tr[data-account="co-orient"]')
    assert "东方精工集团" in orient.inner_text()
    offline.screenshot(path=str(artifacts / "front-page-zh.png"), full_page=False)
    orient.get_by_role("link", name="政治版图", exact=True).click()
    offline.wait_for_load_state("networkidle")
    assert "lang=zh" in offline.url and "政治版图" in offline.content()
    assert offline.errors == [] and offline.blocked == []
