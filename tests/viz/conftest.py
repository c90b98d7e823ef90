"""Fixtures of the map tests: a store with sample accounts, the real app served by
uvicorn on a free 127.0.0.1 port, a second server playing the CRM parent page, and
Chromium (``STAKEGRAPH_CHROMIUM``, else ``chromium`` or ``chromium-browser`` from PATH)
driven by Playwright.

The browser is never skipped: when Chromium is missing or does not start, the
browser tests fail.
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from pydantic import SecretStr

from stakegraph.gql.app import create_app
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.store import GraphStore
from stakegraph.service.access import ApiKey, Role, hash_api_key
from stakegraph.service.settings import Settings
from stakegraph.viz.sample import sample_account

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DEMO = ROOT / "seeds" / "demo.json"
CHROMIUM_ENV = "STAKEGRAPH_CHROMIUM"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SECRET = "viz-test-secret-0123456789-abcdefghij"
ADMIN_KEY = "admin-key-for-viz-tests"
REP_KEY = "rep-key-for-viz-tests"
HOSTILE_NAMES = (
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "<script>window.__xss=2;alert(2)</script>",
    '"><svg onload="window.__xss=3">',
)


def find_chromium() -> str | None:
    """The Chromium to drive: ``STAKEGRAPH_CHROMIUM`` (a path, or a name on PATH) when set,
    else ``chromium`` or ``chromium-browser`` from PATH; None when there is none."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return shutil.which(configured)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def viz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """acme (24 contacts, hostile names), globex (12), big (300) and the demo dataset."""
    store = EmbeddedStore(tmp_path_factory.mktemp("viz") / "stakegraph.viz.db")
    store.write(sample_account(24, company_id="acme", names=HOSTILE_NAMES))
    store.write(sample_account(12, company_id="globex", seed=3, owner="r-bob"))
    store.write(sample_account(300, company_id="big", seed=11))
    if DEMO.exists():
        import json

        from stakegraph.graph.dataset import import_dataset

        import_dataset(store, json.loads(DEMO.read_text(encoding="utf-8")))
    yield store
    store.close()


@dataclass
class Parent:
    """The CRM page server: serves registered HTML pages on its own origin."""

    port: int
    pages: dict[str, str] = field(default_factory=dict)

    def origin(self, host: str = "localhost") -> str:
        return f"http://{host}:{self.port}"


@pytest.fixture(scope="session")
def parent() -> Iterator[Parent]:
    state = Parent(free_port())

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = state.pages.get(self.path.split("?")[0])
            if body is None:
                self.send_error(404)
                return
            raw = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", state.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def viz_settings(parent: Parent, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        store="embedded",
        db_path=tmp_path_factory.mktemp("unused") / "unused.db",
        demo_mode=False,
        embed_secret=SecretStr(SECRET),
        embed_token_ttl_seconds=300,
        embed_allowed_origins=[parent.origin("localhost")],
        api_keys=[
            ApiKey(name="admin", key_sha256=hash_api_key(ADMIN_KEY), role=Role.ADMIN),
            ApiKey(name="amy", key_sha256=hash_api_key(REP_KEY), role=Role.REP, rep_id="r-amy"),
        ],
    )


@pytest.fixture(scope="session")
def viz_app(viz_settings: Settings, viz_store: GraphStore) -> Any:
    """The service app (GraphQL, health and the map routes)."""
    return create_app(viz_settings, store=viz_store)


@dataclass
class Served:
    base: str
    settings: Settings


@pytest.fixture(scope="session")
def served(viz_app: Any, viz_settings: Settings) -> Iterator[Served]:
    """The real app under uvicorn on a free 127.0.0.1 port."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(viz_app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield Served(f"http://127.0.0.1:{port}", viz_settings)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Chromium through Playwright; failing (never skipping) when unavailable."""
    executable = find_chromium()
    if executable is None:
        configured = os.environ.get(CHROMIUM_ENV)
        where = (
            f"{CHROMIUM_ENV}={configured!r} is not an executable file"
            if configured
            else f"no chromium or chromium-browser on PATH and {CHROMIUM_ENV} is not set"
        )
        pytest.fail(
            f"Chromium not found: {where} (apt-get install chromium, or set "
            f"{CHROMIUM_ENV} to the browser's path)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception as exc:
            pytest.fail(f"Chromium did not launch: {exc}")
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that fails the test on any dialog (alert = script ran)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]

    def on_dialog(dialog: Any) -> None:
        pg.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    context.close()
