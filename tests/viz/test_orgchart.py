"""The org chart in headless Chromium at 30, 300 and 3,000 contacts: readable labels at
the first view (read from the page), no overlapping labels, search focuses the card."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.model import Label, RelType
from stakegraph.seeds import generate
from stakegraph.viz.page import account_map_html
from stakegraph.viz.sample import AS_OF
from tests.viz.conftest import DEMO

pytestmark = pytest.mark.browser

READY = "body[data-ready=true]"

#: Every label vis-network draws inside the canvas: on-screen font size (canvas scale
#: x font size) and its box in page pixels, read from the network's own label modules.
DRAWN_LABELS = """(() => {
  const net = stakegraph.network, scale = net.getScale();
  const canvas = document.querySelector('#map canvas');
  const W = canvas.clientWidth, H = canvas.clientHeight;
  const out = [];
  const add = (id, item) => {
    if (item.options.hidden || !item.options.label || !item.labelModule) return;
    const sz = item.labelModule.size;
    const a = net.canvasToDOM({x: sz.left, y: sz.top});
    const b = net.canvasToDOM({x: sz.left + sz.width, y: sz.top + sz.height});
    if (b.x < 0 || b.y < 0 || a.x > W || a.y > H) return;
    out.push({id, px: item.labelModule.fontOptions.size * scale, box: [a.x, a.y, b.x, b.y]});
  };
  for (const id of Object.keys(net.body.nodes)) add(id, net.body.nodes[id]);
  for (const id of Object.keys(net.body.edges)) add(id, net.body.edges[id]);
  return out;
})()"""


def _graph(tmp: Path, contacts: int) -> nx.MultiDiGraph:
    store = EmbeddedStore(tmp / f"org{contacts}.db")
    try:
        if contacts == 0:  # the demo account with the most departments
            doc = json.loads(DEMO.read_text(encoding="utf-8"))
            company = max(
                doc["companies"],
                key=lambda c: sum(1 for d in doc["departments"] if d.get("company_id") == c["id"]),
            )["id"]
        else:
            doc = generate(1, contacts, 5)
            company = doc["companies"][0]["id"]
        import_dataset(store, doc)
        return store.account_subgraph(company)
    finally:
        store.close()


@pytest.fixture(scope="module")
def charts(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, nx.MultiDiGraph]]:
    tmp = tmp_path_factory.mktemp("org")
    out = {}
    for n in (0, 300, 3000):
        g = _graph(tmp, n)
        path = tmp / f"org{n}.html"
        path.write_text(account_map_html(g, view="org", as_of=AS_OF), encoding="utf-8")
        out[n] = (path, g)
    return out


def _open(browser: Any, path: Path, width: int, height: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector(READY, state="attached", timeout=120_000)
    return page


def _assert_readable(labels: list[dict[str, Any]]) -> None:
    assert labels, "nothing drawn"
    small = [(lb["id"], round(lb["px"], 1)) for lb in labels if lb["px"] < 12 - 1e-6]
    assert not small
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            ax0, ay0, ax1, ay1 = a["box"]
            bx0, by0, bx1, by1 = b["box"]
            apart = ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0
            assert apart, f"labels overlap: {a['id']} and {b['id']}"


@pytest.mark.parametrize("contacts", [0, 300, 3000])
@pytest.mark.parametrize("viewport", [(1400, 900), (800, 600)])
def test_first_view_is_readable(
    browser: Any, charts: dict, artifacts: Path, contacts: int, viewport: tuple[int, int]
) -> None:
    path, _ = charts[contacts]
    page = _open(browser, path, *viewport)
    try:
        _assert_readable(page.evaluate(DRAWN_LABELS))
        assert not page.errors
        reps = page.evaluate(
            "stakegraph.network.body.data.nodes.get().filter(n => n.meta.kind === 'rep')"
            ".map(n => !!n.hidden)"
        )
        assert reps and all(reps)  # our reps are off in the org view
        assert page.is_checked("#ov-reps") is False
        narrow = viewport[0] < 960
        assert page.locator("#panel").is_hidden() is narrow
        if narrow:
            page.click("#toggle-panel")
            assert page.locator("#panel").is_visible()
        page.screenshot(path=str(artifacts / f"org-{contacts}-{viewport[0]}.png"))
    finally:
        page.close()


def _chain(g: nx.MultiDiGraph, key: str) -> list[str]:
    chain, seen = [], set()
    while key and key not in seen:
        seen.add(key)
        chain.append(key)
        key = next(
            (
                b
                for _, b, rel in g.out_edges(key, keys=True)
                if rel == RelType.REPORTS_TO and not g.nodes[b].get("foreign") and b != key
            ),
            None,
        )
    return chain


def _deep_contact(g: nx.MultiDiGraph) -> str:
    contacts = [
        k for k, a in g.nodes(data=True) if a.get("label") == Label.CONTACT and not a.get("foreign")
    ]
    return max(sorted(contacts), key=lambda k: len(_chain(g, k)))


@pytest.mark.parametrize("contacts", [0, 300, 3000])
def test_search_focuses_the_card_and_its_manager_chain(
    browser: Any, charts: dict, artifacts: Path, contacts: int
) -> None:
    path, g = charts[contacts]
    key = _deep_contact(g)
    chain = _chain(g, key)
    assert len(chain) >= 2
    page = _open(browser, path, 1400, 900)
    try:
        page.fill("#search", g.nodes[key]["name"])
        page.click(f'#search-results button[data-node="{key}"]')
        assert page.evaluate("stakegraph.focused") == key
        assert page.evaluate("stakegraph.network.getSelectedNodes()") == chain
        labels = {lb["id"]: lb for lb in page.evaluate(DRAWN_LABELS)}
        assert key in labels and labels[key]["px"] >= 12
        page.screenshot(path=str(artifacts / f"org-{contacts}-search.png"))
    finally:
        page.close()


def test_collapsed_department_shows_counts_and_opens(browser: Any, charts: dict) -> None:
    path, g = charts[300]
    page = _open(browser, path, 1400, 900)
    try:
        closed = page.evaluate("stakegraph.collapsed()")
        assert closed
        dept = closed[0]
        label = page.evaluate(f"stakegraph.network.body.data.nodes.get({json.dumps(dept)}).label")
        people = sum(
            1
            for c, d, rel in g.edges(keys=True)
            if rel == RelType.WORKS_IN and d == dept and not g.nodes[c].get("foreign")
        )
        assert f"{people} people" in label and "covered" in label
        members = (
            "stakegraph.network.body.data.nodes.get().filter(n => n.meta.kind === 'contact'"
            f" && n.meta.departmentIds.includes({json.dumps(dept.split(':', 1)[1])}))"
        )
        # the cards of a closed department are not in the network at all (nothing to draw)
        assert page.evaluate(f"{members}.length") == 0
        page.evaluate(f"stakegraph.toggle({json.dumps(dept)})")
        assert page.evaluate(f"{members}.filter(n => !n.hidden).length") == people
        page.evaluate(f"stakegraph.toggle({json.dumps(dept)})")
        assert page.evaluate(f"{members}.length") == 0
    finally:
        page.close()
