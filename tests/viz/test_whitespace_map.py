"""§3.13 whitespace on a group's map, in Chromium: the demo bank group's Shanghai
branch has not bought the Data Governance Suite that Chengdu (2026-06-20) and Shenzhen
(2025-12-19) won — a likely headquarters programme; a branch named with markup is
shown as text."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from stakegraph.graph.store import GraphStore
from stakegraph.seeds import DEMO_TODAY
from stakegraph.viz.facts import (
    GroupWhitespaceView,
    ProgrammeView,
    WhitespaceBuyer,
    WhitespaceRowView,
)
from stakegraph.viz.page import account_map_html
from tests.viz.conftest import ADMIN_KEY, DEMO, Served

pytestmark = pytest.mark.browser

READY = "body[data-ready=true]"
HOSTILE = "<script>window.__xss=1</script>Branch"


def _open(page: Any, url: str) -> Any:
    page.goto(url)
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    return page.locator("#whitespace-section")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_shanghai_has_the_groups_data_governance_suite_as_whitespace(
    page: Any, served: Served, artifacts: Path, lang: str
) -> None:
    assert DEMO.exists()
    page.set_extra_http_headers({"X-API-Key": ADMIN_KEY})
    section = _open(
        page, f"{served.base}/accounts/co-hx-sh/map?view=political&lang={lang}"
        f"&asOf={DEMO_TODAY.isoformat()}",
    )  # fmt: skip
    (row,) = section.locator("ul.whitespace li").all_inner_texts()
    assert row.startswith("Data Governance Suite")
    assert "Huaxia United Bank Chengdu Branch" in row and "2026-06-20" in row
    assert "Huaxia United Bank Shenzhen Branch" in row and "2025-12-19" in row
    (programme,) = section.locator("ul.programmes li").all_inner_texts()
    assert "Data Governance Suite" in programme and "2025-12-19 … 2026-06-20" in programme
    heading = section.locator("h2").inner_text()
    assert heading == {"en": "Whitespace", "zh": "空白产品"}[lang]
    if lang == "zh":
        assert "已购买" in row and "成交于 2026-06-20" in row
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"whitespace-shanghai-{lang}.png"))


def test_the_headquarters_map_lists_every_branchs_whitespace(page: Any, served: Served) -> None:
    page.set_extra_http_headers({"X-API-Key": ADMIN_KEY})
    section = _open(page, f"{served.base}/accounts/co-hx-hq/map?asOf={DEMO_TODAY.isoformat()}")
    rows = section.locator("ul.whitespace li").all_inner_texts()
    assert len(rows) == 3
    assert any(r.startswith("华夏联合银行上海分行") and "Data Governance Suite" in r for r in rows)
    assert sum("Smart Risk Platform" in r for r in rows) == 2
    assert _open(page, f"{served.base}/accounts/co-orient/map").count() == 0  # in no group


def test_a_branch_named_with_markup_shows_as_text(
    page: Any, viz_store: GraphStore, tmp_path: Path, artifacts: Path
) -> None:
    view = GroupWhitespaceView(
        headquarters=HOSTILE,
        is_headquarters=False,
        rows=[
            WhitespaceRowView(
                "Shanghai", "<b>Suite</b>", [WhitespaceBuyer(HOSTILE, date(2026, 1, 2))]
            )
        ],
        programmes=[ProgrammeView("<b>Suite</b>", [HOSTILE], None, None)],
    )
    html = account_map_html(
        viz_store.account_subgraph("co-hx-sh"), view="org", as_of=DEMO_TODAY, whitespace=view
    )
    assert HOSTILE not in html
    file = tmp_path / "hostile.html"
    file.write_text(html, encoding="utf-8")
    section = _open(page, file.as_uri())
    text = section.inner_text()
    assert HOSTILE in text and "<b>Suite</b>" in text  # drawn as text, never as markup
    assert section.locator("script, b").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "whitespace-hostile.png"))
