"""``stakegraph report ACCOUNT --method``: the demo deal in MEDDPICC and Blue Sheet
words, checked by hand (the facts: tests/influence/test_methods.py), on both stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from stakegraph.seeds import DEMO_TODAY
from tests.stakegraph.cli_helpers import cli, store_args_of

DAY = DEMO_TODAY.isoformat()


@pytest.fixture(params=["embedded", "neo4j"])
def demo_args(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    args = store_args_of(request, tmp_path, request.param)
    seeded = cli("seed", *args)
    assert seeded.exit_code == 0, seeded.stderr
    return args


def _rows(markdown: str) -> dict[str, list[str]]:
    """Element table rows by their first cell's code."""
    rows = {}
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 5 and cells[0] != "Element":
            rows[cells[0].split()[0]] = cells
    return rows


def test_meddpicc_of_the_demo_deal_in_markdown(demo_args: list[str]) -> None:
    result = cli("report", "co-orient", "--method", "meddpicc", "--format", "md",
                 "--opportunity", "opp-or-sfdp", "--as-of", DAY, *demo_args)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = _rows(result.stdout)
    assert list(rows) == ["M", "E", "D1", "D2", "P", "I", "C1", "C2"]
    status = {code: (cells[1], cells[2]) for code, cells in rows.items()}
    assert status == {
        "M": ("unknown", "not tracked"),
        "E": ("green", "engaged"),  # c-or-01 at effective level 2
        "D1": ("green", "engaged"),  # c-or-08 influenced, c-or-11 not
        "D2": ("amber", "partly mapped"),  # 3 of 4 required roles
        "P": ("amber", "identified, not engaged"),
        "I": ("amber", "engaged, at risk"),  # the most influential user is a BLOCKER
        "C1": ("green", "tested"),  # c-or-07 (level 4), c-or-10 (level 3)
        "C2": ("red", "a buyer favours a competitor"),
    }
    assert "c-or-27" not in rows["P"][4]  # she LEFT
    assert "tested ✗" in rows["C1"][4] and "吴昊 (c-or-20)" in rows["C1"][4]


def test_blue_sheet_of_the_demo_deal_in_html(demo_args: list[str], tmp_path: Path) -> None:
    out = tmp_path / "blue.html"
    result = cli("report", "co-orient", "--method", "bluesheet", "-f", "html", "-o", str(out),
                 "--as-of", DAY, *demo_args)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "Blue Sheet" in html and "opp-or-sfdp" in html  # the first open deal
    assert "Chairman &amp; President" in html  # escaped
    md = cli("report", "co-orient", "--method", "bluesheet", "-f", "md", "--as-of", DAY,
             *demo_args).stdout  # fmt: skip
    rows = _rows(md)
    assert {c: rows[c][1] for c in rows} == {
        "ECONOMIC": "amber", "USER": "amber", "TECHNICAL": "amber", "COACH": "green",
    }  # fmt: skip
    assert "郑凯 (c-or-07)" in rows["COACH"][4] and "吴昊" not in rows["COACH"][4]
    assert "| USER | 刘大伟 (c-or-14) |" in md and "| OVERCONFIDENT | -5 |" in md


def test_a_method_report_refuses_what_it_cannot_do(demo_args: list[str]) -> None:
    unknown = cli("report", "co-orient", "--method", "spin", *demo_args)
    assert unknown.exit_code == 2 and "meddpicc" in unknown.stderr
    csv = cli("report", "co-orient", "--method", "meddpicc", "-f", "csv", *demo_args)
    assert csv.exit_code == 2
    other = cli("report", "co-orient", "--method", "meddpicc", "--opportunity", "opp-nope",
                *demo_args)  # fmt: skip
    assert other.exit_code == 1 and "opp-nope" in other.stderr
