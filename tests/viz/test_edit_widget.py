"""Editing on the map (issue 13): in the widget, with a write token for one rep and one
account, a contact's card edits the store through GraphQL as that rep, redraws in
place and posts ``stakegraph:changed`` to an allowed parent only; a read-only widget
has no edit panel. Real Chromium against the real app under uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stakegraph.graph.model import Stance
from stakegraph.graph.store import GraphStore
from stakegraph.service.embed import mint_embed_token
from stakegraph.viz.i18n import strings
from stakegraph.viz.sample import sample_account
from tests.viz.conftest import SECRET, Parent, Served
from tests.viz.test_browser import _click_node, _parent_page

READY = "body[data-ready=true]"
ACCOUNT = "mapedit"
CONTACT = "mapedit-c003"
OTHER = "mapedit-c004"
PANEL = "#edit-panel:not([hidden])"


@pytest.fixture(scope="module")
def account(viz_store: GraphStore) -> str:
    """An account of its own (12 contacts, covered by r-amy), so edits touch no other test."""
    viz_store.write(sample_account(12, company_id=ACCOUNT, seed=5, owner="r-amy"))
    return ACCOUNT


def _url(served: Served, *, write: bool = True, lang: str = "en") -> str:
    token = mint_embed_token(
        SECRET,
        ACCOUNT,
        "political",
        300,
        subject="admin",
        write=write,
        rep_id="r-amy" if write else None,
    )
    return f"{served.base}/embed/accounts/{ACCOUNT}?token={token}&lang={lang}"


def _widget(page: Any, served: Served) -> Any:
    page.frame_locator("#w").locator(READY).wait_for(state="attached", timeout=60_000)
    return next(f for f in page.frames if f.url.startswith(served.base))


def _saved(widget: Any, n: int) -> None:
    """Wait (polling: the page's CSP forbids eval) until ``n`` edits are saved and drawn."""
    state: dict[str, Any] = {}
    for _ in range(300):
        state = widget.evaluate(
            "({saved: stakegraphEdit.saved, busy: stakegraphEdit.busy, errors: stakegraphEdit.errors})"
        )
        if state["errors"] or (state["saved"] >= n and not state["busy"]):
            break
        widget.wait_for_timeout(100)
    assert state["errors"] == [] and state["saved"] >= n, state


def _contact(store: GraphStore) -> dict[str, Any]:
    return dict(store.account_subgraph(ACCOUNT).nodes[f"Contact:{CONTACT}"])


def test_an_edit_in_the_widget_changes_the_store_and_tells_the_allowed_parent(
    page: Any, served: Served, parent: Parent, viz_store: GraphStore, account: str, artifacts: Path
) -> None:
    before = _contact(viz_store)
    new_stance = next(s.value for s in Stance if s.value != before.get("stance"))
    path = _parent_page(parent, "crm-edit", _url(served), served.base)
    page.goto(parent.origin("localhost") + path)
    widget = _widget(page, served)
    _click_node(page, widget, f"Contact:{CONTACT}")
    widget.locator(PANEL).wait_for(timeout=10_000)

    widget.select_option("#edit-stance", new_stance)
    widget.click("#edit-save-stance")
    _saved(widget, 1)
    assert _contact(viz_store)["stance"] == new_stance
    events = viz_store.account_subgraph(ACCOUNT).graph["changes"]
    mine = [e for e in events if e.contact_id == CONTACT and e.field == "stance"]
    assert (mine[-1].new, mine[-1].by) == (new_stance, "amy")  # r-amy's key is "amy"
    assert all(e.by != "amy" for e in mine[:-1])  # the one event of this edit
    received = [
        m for m in page.evaluate("window.received") if m["data"]["type"] != "stakegraph:select"
    ]
    assert received == [
        {
            "origin": served.base,
            "data": {
                "type": "stakegraph:changed",
                "accountId": ACCOUNT,
                "contactId": CONTACT,
                "change": "stance",
            },
        }
    ]
    redrawn = widget.evaluate(
        f"stakegraph.data.nodes.find(n => n.id === 'Contact:{CONTACT}').meta.stance"
    )
    assert redrawn == new_stance and widget.evaluate("stakegraph.ready") is True

    widget.select_option("#edit-kind", "VISIT")
    widget.select_option("#edit-purpose", "PROGRESS")
    widget.fill("#edit-notes", "<b>site visit</b> 每访必记")
    widget.select_option("#edit-attendees", [CONTACT, OTHER])
    widget.click("#edit-save-visit")
    _saved(widget, 2)
    g = viz_store.account_subgraph(ACCOUNT)
    visits = [k for k, a in g.nodes(data=True) if a.get("notes") == "<b>site visit</b> 每访必记"]
    assert len(visits) == 1
    attendees = {v for _, v in g.out_edges(visits[0])} | {u for u, _ in g.in_edges(visits[0])}
    assert {f"Contact:{CONTACT}", f"Contact:{OTHER}", "Rep:r-amy"} <= attendees

    widget.select_option("#edit-tie", "INFLUENCES")
    widget.select_option("#edit-to", OTHER)
    widget.click("#edit-save-tie")
    _saved(widget, 3)
    ties = viz_store.account_subgraph(ACCOUNT).get_edge_data(
        f"Contact:{CONTACT}", f"Contact:{OTHER}"
    )
    assert any(t.get("type", k) in ("INFLUENCES",) or k == "INFLUENCES" for k, t in ties.items())

    widget.select_option("#edit-level", "3")
    widget.click("#edit-save-level")
    _saved(widget, 4)
    knows = viz_store.account_subgraph(ACCOUNT).get_edge_data("Rep:r-amy", f"Contact:{CONTACT}")
    assert any(r.get("level") == 3 for r in knows.values())

    widget.select_option("#edit-contactstatus", "LEFT")
    widget.click("#edit-save-status")
    _saved(widget, 5)
    assert _contact(viz_store)["status"] == "LEFT"
    changes = [m["data"].get("change") for m in page.evaluate("window.received")]
    assert [c for c in changes if c] == ["stance", "interaction", "tie", "level", "status"]
    assert widget.evaluate("document.cookie") == ""
    assert page.dialogs == [] and widget.evaluate("window.__xss === undefined")
    widget.locator(PANEL).screenshot(path=str(artifacts / "edit-panel-en.png"))
    page.screenshot(path=str(artifacts / "edit-widget-en.png"))


def test_a_disallowed_parent_gets_no_widget_and_no_message(
    page: Any, served: Served, parent: Parent, account: str
) -> None:
    path = _parent_page(parent, "crm-edit-evil", _url(served), served.base)
    page.goto(parent.origin("127.0.0.1") + path)  # another origin: not an allowed one
    page.wait_for_timeout(1500)
    frames = [f for f in page.frames if f.url.startswith(served.base)]
    assert not any(f.evaluate("!!window.stakegraphEdit") for f in frames)
    assert page.evaluate("window.received") == []


def test_a_read_only_widget_has_no_edit_panel(page: Any, served: Served, account: str) -> None:
    page.goto(_url(served, write=False))
    page.locator(READY).wait_for(state="attached", timeout=60_000)
    assert page.locator("#edit-panel").count() == 0
    assert page.evaluate("window.stakegraphEdit === undefined")
    _click_node(page, page.main_frame, f"Contact:{CONTACT}")
    assert page.locator("#edit-panel").count() == 0


def test_the_edit_panel_speaks_chinese(
    page: Any, served: Served, account: str, artifacts: Path
) -> None:
    page.goto(_url(served, lang="zh"))
    page.locator(READY).wait_for(state="attached", timeout=60_000)
    _click_node(page, page.main_frame, f"Contact:{OTHER}")
    page.locator(PANEL).wait_for(timeout=10_000)
    text = page.locator("#edit-panel").inner_text()
    zh, en = strings("zh"), strings("en")
    for key in ("edit.stance", "edit.level", "edit.visit", "edit.tie", "edit.save"):
        assert zh[key] in text and en[key] not in text
    page.locator(PANEL).screenshot(path=str(artifacts / "edit-panel-zh.png"))
