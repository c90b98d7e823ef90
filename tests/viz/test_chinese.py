"""Full Chinese maps and widget: hole reasons, enum values and what the script writes.

The pages of every demo account (org chart and political map) in zh show no fixed piece
of the English catalogue and no raw enum value; in en the hole reasons are the
analytics' English ones. In Chromium, the zh map with its overlays on, the zh widget and
the zh report are read back as the browser renders them, and screenshotted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stakegraph.graph.store import GraphStore
from stakegraph.influence.messages import text_of
from stakegraph.seeds import DEMO_TODAY
from stakegraph.service.embed import mint_embed_token
from stakegraph.viz.facts import map_facts
from stakegraph.viz.i18n import strings
from stakegraph.viz.page import account_map_html, read_page_data
from tests.reports.chinese import (
    demo_account_ids,
    demo_store,
    english_in,
    raw_values_in,
    visible_text,
)
from tests.viz.conftest import ADMIN_KEY, SECRET, Served


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    s = demo_store(tmp_path_factory.mktemp("zh-maps") / "demo.db")
    yield s
    s.close()


def _page(store: GraphStore, cid: str, view: str, lang: str) -> tuple[str, dict[str, Any]]:
    html = account_map_html(store.account_subgraph(cid), view=view, as_of=DEMO_TODAY, lang=lang)
    return html, read_page_data(html)


@pytest.mark.parametrize("view", ["org", "political"])
def test_chinese_maps_show_no_english_text_nor_raw_enum_value(store: GraphStore, view: str) -> None:
    holes = 0
    for cid in demo_account_ids():
        html, data = _page(store, cid, view, "zh")
        # what the page shows, and what its script may write from the data
        shown = [visible_text(html), *(h["reason"] for h in data["holes"])]
        shown += [str(v) for v in data["strings"].values()]
        shown += [n["label"] for n in data["nodes"] if n["meta"]["kind"] != "contact"]
        text = " ".join(shown)
        assert english_in(text) == [], cid
        assert raw_values_in(text) == [], cid
        assert all(w["gradeBefore"] in (None, *_grades()) for w in data["whatif"])
        holes += len(data["holes"])
    assert holes > 0  # the demo has holes to word


def _grades() -> list[str]:
    return ["NONE", "BASIC", "INTERMEDIATE", "STRONG"]


@pytest.mark.parametrize("view", ["org", "political"])
def test_english_maps_keep_the_analytics_english_reasons(store: GraphStore, view: str) -> None:
    for cid in demo_account_ids():
        html, data = _page(store, cid, view, "en")
        facts = map_facts(store.account_subgraph(cid), as_of=DEMO_TODAY)
        assert [h["reason"] for h in data["holes"]] == [h.reason for h in facts.holes]
        text = visible_text(html)
        for h in facts.holes:
            assert h.reason in text


def test_a_chinese_hole_reason_names_the_role_in_chinese(store: GraphStore) -> None:
    for cid in demo_account_ids():
        facts = map_facts(store.account_subgraph(cid), as_of=DEMO_TODAY)
        for h in facts.holes:
            assert h.hole is not None and h.hole.code is not None
            zh = text_of(h.hole, lang="zh", words=strings("zh"))
            if h.hole.role is not None:
                assert strings("zh")[f"role.{h.hole.role}"] in zh


# ---------------------------------------------------------------------------- browser

ACCOUNT = "co-orient"


def _check_chinese(text: str) -> None:
    assert english_in(text) == []
    assert raw_values_in(text) == []


@pytest.mark.browser
def test_chinese_map_widget_and_report_in_chromium(
    page: Any, served: Served, artifacts: Path
) -> None:
    page.set_extra_http_headers({"X-API-Key": ADMIN_KEY})
    page.goto(f"{served.base}/accounts/{ACCOUNT}/map?view=political&lang=zh")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    page.check("#ov-holes")
    page.check("#ov-whatif")
    assert page.locator("#whatif-list li").count() >= 1
    text = page.inner_text("body")
    assert "覆盖缺口" in text
    _check_chinese(text)
    assert not page.errors
    page.screenshot(path=str(artifacts / "zh-map-political.png"))

    page.goto(f"{served.base}/accounts/{ACCOUNT}/map?view=org&lang=zh")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    _check_chinese(page.inner_text("body"))
    page.screenshot(path=str(artifacts / "zh-map-org.png"))

    token = mint_embed_token(SECRET, ACCOUNT, "political", 300, subject="admin")
    page.goto(f"{served.base}/embed/accounts/{ACCOUNT}?token={token}&lang=zh")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    page.evaluate("document.getElementById('panel').hidden = false")
    _check_chinese(page.inner_text("body"))

    page.goto(f"{served.base}/accounts/{ACCOUNT}/report?lang=zh&asOf={DEMO_TODAY.isoformat()}")
    text = page.inner_text("body")
    assert "覆盖缺口" in text and "商机预警" in text
    _check_chinese(text)
    page.screenshot(path=str(artifacts / "zh-report.png"), full_page=True)
    for section in ("summary", "coverage", "health", "warnings"):
        page.locator(f"#{section}").screenshot(path=str(artifacts / f"zh-report-{section}.png"))
