"""The map in real headless Chromium: what it draws, what the widget posts, what never runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from stakegraph.graph.model import Label, RelType
from stakegraph.graph.store import GraphStore
from stakegraph.service.embed import mint_embed_token
from tests.viz.conftest import ADMIN_KEY, DEMO, HOSTILE_NAMES, SECRET, Parent, Served

pytestmark = pytest.mark.browser

#: The page marks its body once laid out (no eval needed: the page's CSP forbids it).
READY = "body[data-ready=true]"


def _open_map(page: Any, served: Served, path: str) -> None:
    page.set_extra_http_headers({"X-API-Key": ADMIN_KEY})
    page.goto(served.base + path)
    page.wait_for_selector(READY, state="attached", timeout=60_000)


def _vis_counts(page_or_frame: Any) -> tuple[int, int]:
    """Nodes and edges of the view: those in the network plus those folded into a closed
    department (the network holds only what can be drawn)."""
    counts = page_or_frame.evaluate(
        "({...stakegraph.counts(), dsNodes: stakegraph.network.body.data.nodes.length,"
        " dsEdges: stakegraph.network.body.data.edges.length})"
    )
    assert (counts["nodes"], counts["edges"]) == (counts["dsNodes"], counts["dsEdges"])
    return counts["nodes"] + counts["foldedNodes"], counts["edges"] + counts["foldedEdges"]


def _kind(g: nx.MultiDiGraph, label: Label) -> list[str]:
    return [k for k, a in g.nodes(data=True) if a.get("label") == label]


def expected_counts(g: nx.MultiDiGraph, view: str) -> tuple[int, int]:
    """Nodes and edges the view must draw, counted straight from the subgraph."""
    contacts = [
        k for k in _kind(g, Label.CONTACT) if view == "political" or not g.nodes[k]["foreign"]
    ]
    shown = set(contacts)
    knows = [(u, v) for u, v, k in g.edges(keys=True) if k == RelType.KNOWS and v in shown]
    reps = {u for u, _ in knows}
    if view == "political":
        ties = set()
        for u, v, k in g.edges(keys=True):
            if u in shown and v in shown and u != v and k in ("INFLUENCES", "ALLY_OF", "RIVAL_OF"):
                ties.add((k, u, v) if k == "INFLUENCES" else (k, *sorted((u, v))))
        return len(contacts) + len(reps), len(ties) + len(knows)
    depts = _kind(g, Label.DEPARTMENT)
    # each department hangs from its parent; each contact from its department or manager;
    # a manager in another department adds a cross-department REPORTS_TO edge
    cross = sum(
        1
        for u, v, k in g.edges(keys=True)
        if k == RelType.REPORTS_TO and u in shown and v in shown and _dept(g, u) != _dept(g, v)
    )
    return 1 + len(depts) + len(contacts) + len(reps), len(depts) + len(contacts) + cross + len(
        knows
    )


def _dept(g: nx.MultiDiGraph, key: str) -> str | None:
    return next((d for _, d, k in g.out_edges(key, keys=True) if k == RelType.WORKS_IN), None)


# ------------------------------------------------------------------------ rendering


@pytest.mark.parametrize("view", ["org", "political"])
def test_map_renders_every_node_and_edge(
    page: Any, served: Served, viz_store: GraphStore, artifacts: Path, view: str
) -> None:
    _open_map(page, served, f"/accounts/acme/map?view={view}")
    assert _vis_counts(page) == expected_counts(viz_store.account_subgraph("acme"), view)
    assert page.locator("#map canvas").count() == 1
    assert not page.errors
    page.screenshot(path=str(artifacts / f"map-acme-{view}.png"))


def _demo_account() -> str:
    """The demo account with the most departments (the sample one until the demo exists)."""
    if not DEMO.exists():
        return "acme"
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    return max(
        demo["companies"],
        key=lambda c: sum(1 for d in demo["departments"] if d.get("company_id") == c["id"]),
    )["id"]


@pytest.mark.parametrize(("view", "lang"), [("org", "en"), ("political", "zh")])
def test_demo_account_renders(
    page: Any, served: Served, viz_store: GraphStore, artifacts: Path, view: str, lang: str
) -> None:
    account = _demo_account()
    _open_map(page, served, f"/accounts/{account}/map?view={view}&lang={lang}")
    assert _vis_counts(page) == expected_counts(viz_store.account_subgraph(account), view)
    assert not page.errors
    page.screenshot(path=str(artifacts / f"map-demo-{view}-{lang}.png"))


def test_overlays_and_filters(page: Any, served: Served, artifacts: Path) -> None:
    _open_map(page, served, "/accounts/acme/map?view=political")
    page.check("#ov-holes")
    page.check("#ov-whatif")
    assert page.locator("#whatif-list li").count() >= 1
    paths = page.evaluate(
        "Object.keys(JSON.parse(document.getElementById('map-data').textContent).paths)"
    )
    page.select_option("#ov-path", paths[0])
    assert page.locator("#path-list li").count() >= 1
    page.screenshot(path=str(artifacts / "map-acme-political-overlays.png"))
    page.uncheck("#ov-whatif")
    page.select_option("#ov-path", "")
    page.select_option("#f-dept", "acme-it")
    hidden = page.evaluate(
        "stakegraph.network.body.data.nodes.get().filter(n => n.hidden).map(n => n.meta.kind)"
    )
    assert hidden and set(hidden) == {"contact"}
    page.select_option("#f-dept", "")
    page.uncheck("#ov-reps")
    hidden = page.evaluate(
        "stakegraph.network.body.data.nodes.get().filter(n => n.hidden).map(n => n.meta.kind)"
    )
    assert hidden and set(hidden) == {"rep"}


@pytest.mark.parametrize("view", ["political", "org"])
def test_physics_stops_for_a_300_contact_account(
    page: Any, served: Served, viz_store: GraphStore, artifacts: Path, view: str
) -> None:
    _open_map(page, served, f"/accounts/big/map?view={view}")
    stats = page.evaluate(
        "({ms: stakegraph.stabilizedMs, physics: stakegraph.network.physics.physicsEnabled,"
        " nodes: stakegraph.nodeCount, edges: stakegraph.edgeCount,"
        " bytes: document.documentElement.outerHTML.length})"
    )
    assert stats["physics"] is False
    assert (stats["nodes"], stats["edges"]) == expected_counts(
        viz_store.account_subgraph("big"), view
    )
    assert stats["ms"] is not None  # the page reached its stable, drawn state
    page.screenshot(path=str(artifacts / f"map-big-{view}.png"))
    page.click("#zoom-in")
    page.evaluate("stakegraph.network.focus('Contact:big-c005', {scale: 1.0})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / f"map-big-{view}-zoomed.png"))
    (artifacts / f"map-big-{view}.json").write_text(json.dumps(stats))


# --------------------------------------------------------------------------- widget


def _parent_page(parent: Parent, name: str, src: str, app_origin: str) -> str:
    parent.pages[f"/{name}"] = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>CRM</title></head><body><h1>CRM account page</h1>
<iframe id="w" src="{src}" width="1100" height="700"></iframe>
<script>
window.received = [];
window.addEventListener("message", function (e) {{
  if (e.origin !== "{app_origin}") return;
  window.received.push({{origin: e.origin, data: e.data}});
}});
</script></body></html>"""
    return f"/{name}"


def _widget_url(served: Served, account: str = "acme", view: str = "political") -> str:
    token = mint_embed_token(SECRET, account, view, 300, subject="admin")
    return f"{served.base}/embed/accounts/{account}?token={token}"


def _node_xy(frame: Any, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in the frame's viewport (after centring it)."""
    frame.evaluate(f"stakegraph.network.focus({json.dumps(node_id)}, {{scale: 1.5}})")
    frame.wait_for_timeout(200)
    x, y = frame.evaluate(
        f"""(() => {{
        const p = stakegraph.network.canvasToDOM(stakegraph.network.getPosition({json.dumps(node_id)}));
        const r = document.querySelector('#map canvas').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }})()"""
    )
    return x, y


def _click_node(page: Any, frame: Any, node_id: str) -> None:
    x, y = _node_xy(frame, node_id)
    box = page.locator("#w").bounding_box() if frame != page.main_frame else {"x": 0, "y": 0}
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_widget_posts_the_selection_to_an_allowed_parent(
    page: Any, served: Served, parent: Parent, artifacts: Path
) -> None:
    path = _parent_page(parent, "crm-ok", _widget_url(served), served.base)
    page.goto(parent.origin("localhost") + path)
    frame = page.frame_locator("#w")
    frame.locator(READY).wait_for(state="attached", timeout=60_000)
    widget = next(f for f in page.frames if f.url.startswith(served.base))
    assert widget.evaluate("stakegraph.parentAllowed") is True
    _click_node(page, widget, "Contact:acme-c005")
    page.wait_for_function("window.received.length > 0", timeout=10_000)
    received = page.evaluate("window.received")
    assert received == [
        {
            "origin": served.base,
            "data": {"type": "stakegraph:select", "contactId": "acme-c005", "accountId": "acme"},
        }
    ]
    assert widget.evaluate("document.cookie") == ""
    page.screenshot(path=str(artifacts / "widget-in-crm.png"))


def test_widget_refuses_to_be_framed_by_another_origin(
    page: Any, served: Served, parent: Parent
) -> None:
    path = _parent_page(parent, "crm-evil", _widget_url(served), served.base)
    page.goto(parent.origin("127.0.0.1") + path)  # same server, origin not allowed
    page.wait_for_timeout(1500)
    widget = [f for f in page.frames if f.url.startswith(served.base)]
    ready = [f.evaluate("!!(window.stakegraph && window.stakegraph.ready)") for f in widget]
    assert not any(ready)
    assert page.evaluate("window.received") == []


def test_widget_at_top_level_posts_nothing(page: Any, served: Served) -> None:
    page.goto(_widget_url(served))
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    assert page.evaluate("stakegraph.parentOrigin") is None
    _click_node(page, page.main_frame, "Contact:acme-c005")
    page.wait_for_timeout(300)
    assert page.evaluate("stakegraph.network.getSelectedNodes()") == ["Contact:acme-c005"]
    assert page.evaluate("stakegraph.posted") == []


# ------------------------------------------------------------------------- security


@pytest.mark.parametrize("view", ["org", "political"])
def test_hostile_names_are_text(page: Any, served: Served, parent: Parent, view: str) -> None:
    _open_map(page, served, f"/accounts/acme/map?view={view}")
    for i in range(len(HOSTILE_NAMES)):
        node = f"Contact:acme-c{i:03d}"
        if view == "org":  # open the contact's (collapsed) department
            page.evaluate(f"stakegraph.focusContact({json.dumps(node)})")
        x, y = _node_xy(page.main_frame, node)
        page.mouse.move(x, y)
        page.wait_for_selector("div.vis-tooltip h4", state="visible", timeout=5_000)
        assert page.inner_text("div.vis-tooltip h4") == HOSTILE_NAMES[i]
        page.mouse.move(5, 5)
    assert page.evaluate("window.__xss") is None
    assert (
        page.locator("img, svg[onload], script:not([nonce]):not([type='application/json'])").count()
        == 0
    )
    assert page.dialogs == []
    # the path list and the path select show names as text too
    page.select_option("#ov-path", "Contact:acme-c000")
    assert HOSTILE_NAMES[0] in page.inner_text("#path-list")
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []


def test_hostile_names_in_the_widget(page: Any, served: Served, parent: Parent) -> None:
    path = _parent_page(parent, "crm-xss", _widget_url(served, view="org"), served.base)
    page.goto(parent.origin("localhost") + path)
    page.frame_locator("#w").locator(READY).wait_for(state="attached", timeout=60_000)
    widget = next(f for f in page.frames if f.url.startswith(served.base))
    assert widget.evaluate("window.__xss") is None
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
