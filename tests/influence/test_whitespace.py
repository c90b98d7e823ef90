"""§3.13 branch whitespace and likely headquarters programmes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from influence_builders import AS_OF, Account

from stakegraph.influence import AnalysisSettings, branch_whitespace, group_companies

WON = date(2024, 1, 15)


def _group() -> Account:
    grp = Account("hq")
    for b in ("b1", "b2", "b3"):
        grp.company(b, branch_of="hq")
    grp.company("b3-city", branch_of="b3")  # a branch of a branch
    return grp


def _won(grp: Account, opp: str, company: str, product: str, close: date | None) -> None:
    grp.opp(opp, status="WON", products=[product], close_date=close, company=company)


def test_branches_without_an_opportunity_for_a_won_product_are_whitespace():
    grp = _group()
    _won(grp, "o1", "b1", "crm", WON)
    grp.opp("o2", status="LOST", products=["crm"], company="b2")
    ws = branch_whitespace(grp.graph(), as_of=AS_OF)
    assert ws.headquarters_id == "hq"
    assert ws.branch_ids == ["b1", "b2", "b3", "b3-city"]
    assert [(i.company_id, i.product, i.won_by) for i in ws.items] == [
        ("b3", "crm", ["b1"]),
        ("b3-city", "crm", ["b1"]),
    ]
    assert ws.programmes == []


@pytest.mark.parametrize(("apart", "flagged"), [(0, True), (365, True), (366, False)])
def test_two_branches_winning_a_product_within_12_months_flag_a_programme(apart, flagged):
    grp = _group()
    _won(grp, "o1", "b1", "crm", WON - timedelta(days=apart))
    _won(grp, "o2", "b2", "crm", WON)
    ws = branch_whitespace(grp.graph(), as_of=AS_OF)
    assert bool(ws.programmes) is flagged
    if flagged:
        (p,) = ws.programmes
        assert (p.product, p.branch_ids, p.last_won) == ("crm", ["b1", "b2"], WON)


def test_one_branch_winning_twice_is_no_programme():
    grp = _group()
    _won(grp, "o1", "b1", "crm", WON)
    _won(grp, "o2", "b1", "crm", WON - timedelta(days=10))
    assert branch_whitespace(grp.graph(), as_of=AS_OF).programmes == []


def test_wins_after_the_as_of_date_or_undated_do_not_flag_a_programme():
    grp = _group()
    _won(grp, "o1", "b1", "crm", WON)
    _won(grp, "o2", "b2", "crm", AS_OF + timedelta(days=1))
    _won(grp, "o3", "b3", "crm", None)
    ws = branch_whitespace(grp.graph(), as_of=AS_OF)
    assert ws.programmes == []
    assert [i.company_id for i in ws.items] == ["b3-city"]


def test_programme_reports_the_coverage_of_the_headquarters_kdms():
    grp = _group()
    grp.dept("d-board")
    grp.contact("ceo", "d-board", kdm=True)
    grp.contact("cfo", "d-board", kdm=True)
    grp.knows("r1", "ceo", 2)
    _won(grp, "o1", "b1", "crm", WON)
    _won(grp, "o2", "b2", "crm", WON)
    (p,) = branch_whitespace(grp.graph(), as_of=AS_OF).programmes
    cov = p.headquarters_kdm_coverage
    assert (cov.company_id, cov.kdm_ids, cov.influenced_kdm_ids, cov.ratio) == (
        "hq",
        ["ceo", "cfo"],
        ["ceo"],
        0.5,
    )


def test_headquarters_is_found_from_a_branch_graph():
    grp = _group()
    g = grp.graph()
    g.graph["company_id"] = "b3-city"
    assert group_companies(g) == ("hq", ["b1", "b2", "b3", "b3-city"])


@pytest.mark.parametrize(
    ("first", "second", "flagged"),
    [
        (date(2024, 2, 29), date(2025, 2, 28), True),  # 12 months after 29 Feb: 28 Feb
        (date(2024, 2, 29), date(2025, 3, 1), False),
        (date(2023, 3, 1), date(2024, 2, 29), True),  # 366 days, yet within 12 months
        (date(2023, 2, 28), date(2024, 2, 29), False),  # 366 days, past 28 Feb 2024
        (date(2024, 1, 31), date(2025, 1, 31), True),
    ],
)
def test_programme_window_counts_12_calendar_months_not_days(first, second, flagged):
    grp = _group()
    _won(grp, "o1", "b1", "crm", first)
    _won(grp, "o2", "b2", "crm", second)
    ws = branch_whitespace(grp.graph(), as_of=date(2025, 6, 30))
    assert bool(ws.programmes) is flagged


def test_programme_window_months_is_a_setting():
    grp = _group()
    _won(grp, "o1", "b1", "crm", date(2024, 1, 15))
    _won(grp, "o2", "b2", "crm", date(2024, 7, 15))
    g, day = grp.graph(), date(2024, 12, 31)
    assert branch_whitespace(g, as_of=day).programmes
    five = AnalysisSettings(programme_window_months=5)
    assert branch_whitespace(g, as_of=day, settings=five).programmes == []
