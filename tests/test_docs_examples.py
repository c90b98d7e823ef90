"""Every worked example of docs/analytics.md, run through the real functions.

Each test carries the section number of the page; the numbers asserted are the ones the
page prints (computed there by hand), so the page and the code cannot drift apart.
"""

from __future__ import annotations

import math
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).parent / "influence"))

from influence_builders import Account

from stakegraph.graph.dataset import parse_dataset
from stakegraph.graph.errors import InvalidDataset
from stakegraph.graph.model import ChangeEvent, PlanTarget
from stakegraph.graph.store import PlannedTarget
from stakegraph.influence import (
    FindingKind,
    LevelBecomes,
    analyze_account,
    coverage_model_findings,
    decayed_level,
    default_owners,
    level_suggestions,
    next_best_contacts,
    paths_to_power,
    rep_grade,
    what_if,
)
from stakegraph.influence.health import stance_drop
from stakegraph.influence.plans import plan_gap
from stakegraph.influence.settings import AnalysisSettings
from stakegraph.influence.timeline import account_changes, account_timeline, drift_alert
from stakegraph.influence.whatif import apply_changes
from stakegraph.influence.whitespace import add_months, branch_whitespace

AS_OF = date(2025, 6, 30)
DOC = Path(__file__).resolve().parents[1] / "docs" / "analytics.md"


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, tzinfo=UTC)


def hengtai() -> Account:
    """The example account of the page ("Hengtai Logistics", as of 2025-06-30)."""
    a = Account(
        "hengtai",
        tier="KEY",
        region="east",
        strategic_fit=4,
        profit_potential=5,
        stability=3,
        market_influence=4,
        usage_current=75,
        usage_prior=100,
    )
    a.dept("d-exec", key=True, function="EXECUTIVE")
    a.dept("d-it", key=True, function="TECHNICAL")
    a.dept("d-fin", key=True, function="FINANCE_PROCUREMENT")
    a.dept("d-ops", parent="d-it")
    a.contact("wang", "d-exec", seniority="EXECUTIVE", kdm=True, stance="CHAMPION")
    a.contact("li", "d-it", seniority="VP", stance="SUPPORTER", last_verified_at=at(2025, 3, 1))
    a.contact("zhang", "d-it", seniority="STAFF", rating="HIGH", stance="NEUTRAL")
    a.contact("zhao", "d-fin", seniority="DIRECTOR", stance="OPPONENT")
    a.contact("chen", "d-ops", seniority=None)
    a.contact("sun", "d-fin", seniority="DIRECTOR", kdm=True, status="LEFT")
    a.change("sun", "status", "ACTIVE", "LEFT", at(2025, 5, 15))
    a.opp("wms")
    a.role("wang", "wms", "ECONOMIC_BUYER")
    a.role("li", "wms", "TECHNICAL_EVALUATOR")
    a.role("zhao", "wms", "FINANCIAL_CONTROLLER")
    a.role("zhang", "wms", "USER")
    a.knows("amy", "wang", 3, at(2025, 5, 20))
    a.knows("amy", "li", 3, at(2024, 10, 1))
    a.knows("bob", "zhao", 2, at(2024, 5, 1))
    a.knows("bob", "zhang", 1)
    a.interaction("v1", at(2025, 5, 20), reps=("amy",), contacts=("wang",))
    return a


@pytest.fixture(scope="module")
def g() -> nx.MultiDiGraph:
    return hengtai().graph()


def test_the_page_exists_and_numbers_every_section() -> None:
    text = DOC.read_text(encoding="utf-8")
    for n in range(1, 20):
        assert f"\n## 3.{n} " in text, f"§3.{n} missing"
    assert "\n## 4 " in text


def test_3_1_role_stance_overrides_for_that_deal_only() -> None:
    a = hengtai()
    a.rels = [r for r in a.rels if not (r.type == "HAS_ROLE" and r.from_id == "zhao")]
    a.role("zhao", "wms", "FINANCIAL_CONTROLLER", stance="SUPPORTER")
    r = analyze_account(a.graph(), as_of=AS_OF)
    (deal,) = r.opportunity_balance
    assert round(deal.value or 0, 4) == round((2.0 + 0.8 + 0.6) / 6.32, 4)
    assert round(r.balance.value or 0, 4) == 0.3481


def test_3_2_levels_and_decay(g: nx.MultiDiGraph) -> None:
    assert decayed_level(3, 272) == 2
    assert decayed_level(2, 425) == 0
    assert decayed_level(1, None) == 1
    r = analyze_account(g, as_of=AS_OF)
    levels = {c: r.effective_levels[c] for c in ("wang", "li", "zhang", "zhao", "chen")}
    assert levels == {"wang": 3, "li": 2, "zhang": 1, "zhao": 0, "chen": 0}


def test_3_3_chain_kdms_and_departments(g: nx.MultiDiGraph) -> None:
    r = analyze_account(g, as_of=AS_OF)
    assert sorted(r.grade.kdm_ids) == ["li", "wang", "zhao"]
    it = next(d for d in r.grade.key_departments if d.department_id == "d-it")
    assert "chen" not in it.influenced_contact_ids  # chen sits in IT Operations, inside IT
    assert r.coverage.chain_contact_ids == ["li", "wang", "zhang", "zhao"]


def test_3_4_influence_of_the_example_account(g: nx.MultiDiGraph) -> None:
    r = analyze_account(g, as_of=AS_OF)
    score = {c.contact_id: round(c.score, 2) for c in r.influence.contacts}
    assert score == {"wang": 1.0, "li": 0.8, "zhang": 0.76, "zhao": 0.6, "chen": 0.2}
    hidden = [c.contact_id for c in r.influence.contacts if c.hidden]
    assert hidden == ["zhang"]


def test_3_4_pagerank_with_one_tie_and_a_broker() -> None:
    a = Account("two")
    a.contact("boss", seniority="EXECUTIVE")
    a.contact("eng", seniority="STAFF", rating="HIGH")
    a.reports_to("eng", "boss")
    r = analyze_account(a.graph(), as_of=AS_OF)
    c = {x.contact_id: x for x in r.influence.contacts}
    assert round(c["eng"].pagerank, 4) == 0.3509
    assert round(c["boss"].pagerank, 4) == 0.6491
    assert round(c["eng"].pagerank_n, 4) == 0.5405
    assert round(c["eng"].score, 4) == 0.5303
    assert c["eng"].hidden
    line = Account("line")
    for x in ("x", "y", "z"):
        line.contact(x)
    line.reports_to("x", "y")
    line.reports_to("z", "y")
    r = analyze_account(line.graph(), as_of=AS_OF)
    assert [(b.contact_id, b.betweenness) for b in r.brokers] == [("y", 1.0)]


def test_3_5_coverage(g: nx.MultiDiGraph) -> None:
    cov = analyze_account(g, as_of=AS_OF).coverage
    assert [(x.role.value, x.status.value) for x in cov.roles] == [
        ("ECONOMIC_BUYER", "COVERED"),
        ("TECHNICAL_EVALUATOR", "COVERED"),
        ("FINANCIAL_CONTROLLER", "UNCOVERED"),
        ("USER", "UNCOVERED"),
    ]
    assert cov.ratio == 0.5
    assert round(cov.weighted_ratio, 4) == 0.5696
    assert [(h.kind.value, h.role or h.department_id) for h in cov.holes] == [
        ("ROLE_UNCOVERED", "FINANCIAL_CONTROLLER"),
        ("ROLE_UNCOVERED", "USER"),
        ("DEPARTMENT_UNCOVERED", "d-fin"),
    ]
    user = cov.holes[1].suggestions[0]
    assert (user.contact_id, user.probability) == ("zhang", 0.25)


def test_3_6_balance(g: nx.MultiDiGraph) -> None:
    b = analyze_account(g, as_of=AS_OF).balance
    assert round(b.value or 0, 4) == 0.3481
    assert b.verdict is not None and b.verdict.value == "FAVORABLE"
    assert (b.supporters, b.opponents, b.known) == (2, 1, 4)
    assert [s.contact_id for s in b.swing] == ["zhang"]


def test_3_7_grade_and_score(g: nx.MultiDiGraph) -> None:
    gr = analyze_account(g, as_of=AS_OF).grade
    assert gr.grade.value == "INTERMEDIATE"
    assert round(gr.f_kdm, 4) == round(gr.f_dept, 4) == 0.6667
    assert round(gr.score, 2) == 64.35


def test_3_8_rep_grade() -> None:
    owned: dict[str, tuple[str, str]] = {f"k{i}": ("KEY", "BASIC") for i in range(5)}
    owned |= {f"m{i}": ("KEY", "INTERMEDIATE") for i in range(3)}
    owned |= {"s0": ("STRATEGIC", "STRONG"), "shop": ("SMB", "STRONG")}
    assert rep_grade(owned).grade.value == "SENIOR"
    assert rep_grade(owned, industry_expert=True).grade.value == "TOP"
    del owned["s0"]
    assert rep_grade(owned).grade.value == "INTERMEDIATE"
    assert rep_grade({"k0": ("KEY", "BASIC")}).grade.value == "JUNIOR"


def test_3_9_potential_and_health(g: nx.MultiDiGraph) -> None:
    r = analyze_account(g, as_of=AS_OF)
    assert r.potential.score is not None and round(r.potential.score, 2) == 4.1
    assert r.potential.band is not None and r.potential.band.value == "A"
    assert [s.code.value for s in r.health.signals] == ["KDM_LEFT", "STALE_MAP", "USAGE_DROP"]
    assert r.health.status.value == "RED"
    stale = next(s for s in r.health.signals if s.code.value == "STALE_MAP")
    assert stale.contact_ids == ["chen", "zhang", "zhao"]


def test_3_9_stance_drop_dip() -> None:
    seq = [
        ("CHAMPION", date(2025, 4, 1)),
        ("BLOCKER", date(2025, 5, 2)),
        ("CHAMPION", date(2025, 6, 3)),
    ]
    assert stance_drop(seq) == (("CHAMPION", date(2025, 4, 1)), ("BLOCKER", date(2025, 5, 2)))
    a = hengtai()
    a.change("wang", "stance", "CHAMPION", "BLOCKER", at(2025, 5, 2))
    a.change("wang", "stance", "BLOCKER", "CHAMPION", at(2025, 6, 3))
    health = analyze_account(a.graph(), as_of=AS_OF).health
    drop = next(s for s in health.signals if s.code.value == "STANCE_DROP")
    assert "fell from CHAMPION on 2025-04-01 to BLOCKER on 2025-05-02" in drop.evidence
    assert stance_drop([("SUPPORTER", date(2025, 4, 1)), ("NEUTRAL", date(2025, 5, 1))]) is None


def test_3_10_coverage_model() -> None:
    p = Account("big", tier="KEY", region="east")
    p.team("ka", "KEY_ACCOUNT")
    p.team("east", "REGIONAL", region="east")
    p.member("amy", "ka")
    p.member("rita", "east")
    p.covers("Team", "ka", "big")
    p.covers("Rep", "amy", "big")
    p.company("shop", tier="SMB", region="east")
    p.company("kiosk", tier="SMB", region="west")
    p.member("rob", "east")
    p.company("mall", tier="SMB", region="east")
    p.covers("Rep", "rita", "mall")
    p.covers("Rep", "rob", "mall")
    g = p.graph()
    assert default_owners(g, "shop") == ["Team:east"]
    found = {f.company_id: f for f in coverage_model_findings(g)}
    assert [(f.kind, c) for c, f in found.items()] == [
        (FindingKind.UNOWNED, "kiosk"),
        (FindingKind.CONFLICT, "mall"),
        (FindingKind.MISROUTED, "big"),
    ]
    assert found["mall"].sides == [["Rep:rita"], ["Rep:rob"]]


def test_3_11_path_through_two_other_accounts() -> None:
    a = hengtai()
    a.contact("liu", None, seniority="EXECUTIVE", foreign=True)
    a.contact("ma", None, seniority="VP", foreign=True)
    a.knows("amy", "liu", 4, at(2025, 6, 1))
    a.ally("liu", "ma")
    a.influences("ma", "zhao", 2)
    a.reports_to("zhao", "wang")
    paths = paths_to_power(a.graph(), "zhao", as_of=AS_OF)
    best = paths[0]
    assert [s.to_key for s in best.steps] == ["Contact:liu", "Contact:ma", "Contact:zhao"]
    assert round(best.probability, 4) == 0.4
    assert round(best.cost, 3) == round(-math.log(0.4), 3) == 0.916
    assert [s.to_key for s in paths[1].steps] == ["Contact:wang", "Contact:zhao"]
    assert round(paths[1].probability, 4) == 0.375


def test_3_12_what_if_and_next_best(g: nx.MultiDiGraph) -> None:
    w = what_if(g, [LevelBecomes(rep_id="bob", contact_id="zhao", level=2)], as_of=AS_OF)
    assert w.after.grade.grade.value == "INTERMEDIATE"
    assert round(w.after.grade.score, 2) == 88.10
    assert w.after.coverage.ratio == 0.75
    nbc = next_best_contacts(g, as_of=AS_OF)
    assert [(n.contact_id, n.grade_gain, round(n.score_gain, 2), n.ratio_gain) for n in nbc] == [
        ("zhao", 0, 23.75, 0.25),
        ("zhang", 0, 3.75, 0.25),
        ("chen", 0, 0.0, 0.0),
    ]


def test_3_13_whitespace_twelve_calendar_months() -> None:
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    grp = Account("hq", tier="KEY")
    grp.company("b1", branch_of="hq")
    grp.company("b2", branch_of="hq")
    grp.company("b3", branch_of="hq")
    grp.opp("o1", status="WON", products=["crm"], close_date=date(2024, 2, 29), company="b1")
    grp.opp("o2", status="WON", products=["crm"], close_date=date(2025, 2, 28), company="b2")
    ws = branch_whitespace(grp.graph(), as_of=AS_OF)
    assert [(w.company_id, w.product) for w in ws.items] == [("b3", "crm")]
    assert [p.product for p in ws.programmes] == ["crm"]
    grp2 = Account("hq", tier="KEY")
    grp2.company("b1", branch_of="hq")
    grp2.company("b2", branch_of="hq")
    grp2.opp("o1", status="WON", products=["crm"], close_date=date(2024, 2, 29), company="b1")
    grp2.opp("o2", status="WON", products=["crm"], close_date=date(2025, 3, 1), company="b2")
    assert branch_whitespace(grp2.graph(), as_of=AS_OF).programmes == []


def test_3_14_data_gaps(g: nx.MultiDiGraph) -> None:
    gaps = analyze_account(g, as_of=AS_OF).data_gaps
    assert [(x.kind.value, x.contact_id) for x in gaps] == [
        ("NO_SENIORITY", "chen"),
        ("NEVER_VERIFIED_NOR_MET", "chen"),
        ("NEVER_VERIFIED_NOR_MET", "zhang"),
    ]


def test_3_15_suggestions() -> None:
    a = Account("acct")
    a.contact("ming")
    a.contact("hua")
    a.knows("bob", "ming", 1)
    for i, d in enumerate((at(2025, 4, 2), at(2025, 5, 7), at(2025, 6, 11))):
        a.interaction(f"m{i}", d, reps=("bob",), contacts=("ming",))
    a.interaction("call", at(2025, 6, 20), reps=("amy",), contacts=("hua",))
    s = level_suggestions(a.graph(), as_of=AS_OF)
    assert [(x.rep_id, x.contact_id, x.current_level, x.suggested_level) for x in s] == [
        ("amy", "hua", None, 1),
        ("bob", "ming", 1, 2),
    ]


def test_3_16_deal_warnings(g: nx.MultiDiGraph) -> None:
    (w,) = analyze_account(g, as_of=AS_OF).deal_warnings
    assert (w.opportunity_id, w.code.value) == ("wms", "GONE_COLD")


def _hengtai_history() -> nx.MultiDiGraph:
    a = hengtai()
    a.nodes["Company:hengtai"] = a.nodes["Company:hengtai"].model_copy(
        update={"created_at": at(2025, 1, 1)}
    )
    a.nodes["Contact:chen"] = a.nodes["Contact:chen"].model_copy(
        update={"created_at": at(2025, 6, 2)}
    )
    a.change("zhao", "stance", "NEUTRAL", "OPPONENT", at(2025, 4, 10))
    a.changes += [
        ChangeEvent(
            entity="HAS_ROLE",
            entity_id="li->wms",
            contact_id="li",
            field="role",
            old=None,
            new="TECHNICAL_EVALUATOR",
            at=at(2025, 5, 1),
        ),
        ChangeEvent(
            entity="KNOWS",
            entity_id="amy->wang",
            contact_id="wang",
            field="level",
            old=2,
            new=3,
            at=at(2025, 5, 20),
        ),
    ]
    return a.graph()


def test_3_17_the_account_as_of_a_past_date() -> None:
    g = _hengtai_history()
    r = analyze_account(g, as_of=date(2025, 3, 31))
    assert sorted(r.grade.kdm_ids) == ["sun", "wang", "zhao"]
    assert r.coverage.chain_contact_ids == ["wang", "zhang", "zhao"]
    assert r.effective_levels == {"wang": 2, "li": 2, "zhang": 1, "zhao": 1, "sun": 0}
    assert [(x.role.value, x.status.value) for x in r.coverage.roles] == [
        ("ECONOMIC_BUYER", "COVERED"),
        ("TECHNICAL_EVALUATOR", "MISSING"),
        ("FINANCIAL_CONTROLLER", "UNCOVERED"),
        ("USER", "UNCOVERED"),
    ]
    assert r.coverage.ratio == 0.25
    assert round(r.balance.value or 0, 4) == round(2.0 / (2 * 2.36), 4) == 0.4237
    assert r.balance.verdict is not None and r.balance.verdict.value == "FAVORABLE"
    assert r.grade.grade.value == "INTERMEDIATE"
    expected = 100 * (0.35 / 3 + 0.25 * 2 / 3 + 0.25 * (0.4237 + 1) / 2 + 0.15 * 0.25)
    assert round(r.grade.score, 2) == round(expected, 2) == 49.88
    assert "KDM_LEFT" not in {s.code.value for s in r.health.signals}
    off = analyze_account(
        g, as_of=date(2025, 3, 31), settings=AnalysisSettings(replay_history=False)
    )
    assert (round(off.grade.score, 2), off.coverage.ratio) == (64.35, 0.5)
    now = analyze_account(g, as_of=AS_OF)
    assert now == analyze_account(hengtai().graph(), as_of=AS_OF)
    assert round(now.grade.score, 2) == 64.35


def _hengtai_plan() -> list[PlannedTarget]:
    return [
        PlannedTarget(
            PlanTarget(id="t-zhao", level=2, due=date(2025, 6, 15)),
            "hengtai",
            rep_id="bob",
            contact_id="zhao",
        ),
        PlannedTarget(
            PlanTarget(id="t-te", level=3, role="TECHNICAL_EVALUATOR", due=date(2025, 9, 30)),
            "hengtai",
            rep_id="amy",
            opportunity_id="wms",
        ),
        PlannedTarget(PlanTarget(id="t-wang", level=3), "hengtai", rep_id="amy", contact_id="wang"),
        PlannedTarget(PlanTarget(id="t-user", level=1, role="USER"), "hengtai", rep_id="bob"),
    ]


def test_3_18_plan_gap(g: nx.MultiDiGraph) -> None:
    gap = plan_gap(g, _hengtai_plan(), as_of=AS_OF)
    assert [(i.target_id, i.overdue, i.contact_id, i.level) for i in gap] == [
        ("t-zhao", True, "zhao", 0),
        ("t-te", False, "li", 2),
    ]
    zhao, te = gap
    assert (round(zhao.score_gain, 2), zhao.ratio_gain, zhao.path) == (23.75, 0.25, None)
    assert (te.score_gain, te.ratio_gain) == (0.0, 0.0)
    assert te.path is not None and te.path.probability == 0.5
    h = apply_changes(g, [LevelBecomes(rep_id="bob", contact_id="zhao", level=2)], as_of=AS_OF)
    assert [i.target_id for i in plan_gap(h, _hengtai_plan(), as_of=AS_OF)] == ["t-te"]


def test_3_19_timeline_of_the_3_17_history() -> None:
    g = _hengtai_history()
    t = account_timeline(g, date(2025, 3, 1), date(2025, 6, 30))
    rows = [
        (p.at.isoformat(), p.grade.value, round(p.score, 2), p.coverage_ratio) for p in t.points
    ]
    assert rows == [
        ("2025-03-31", "INTERMEDIATE", 49.88, 0.25),
        ("2025-04-30", "INTERMEDIATE", 48.29, 0.25),
        ("2025-05-31", "INTERMEDIATE", 64.35, 0.5),
        ("2025-06-30", "INTERMEDIATE", 64.35, 0.5),
    ]
    assert [round(p.balance or 0, 4) for p in t.points] == [0.4237, 0.2966, 0.3481, 0.3481]
    assert round((2 * 1.00 - 0.60) / 4.72, 4) == 0.2966
    assert [(e.contact_id, e.field) for e in t.points[1].events] == [("zhao", "stance")]
    assert len(t.points[2].events) == 3 and t.points[3].events == []
    assert drift_alert(g, date(2025, 6, 30)) is None
    c = account_changes(g, date(2025, 3, 31), date(2025, 6, 30))
    assert len(c.events) == 4
    assert (round(c.before.score, 2), round(c.after.score, 2)) == (49.88, 64.35)


def test_4_import_quotes_the_offending_value() -> None:
    doc = {
        "companies": [{"id": "co", "name": "Co", "tier": "GIGANTIC"}],
        "contacts": [{"id": "c1", "name": "A"}],
    }
    with pytest.raises(InvalidDataset) as e:
        parse_dataset(doc)
    (err,) = [x for x in e.value.errors if x.field == "tier"]
    assert (err.position, err.record_id) == ("companies[0]", "co")
    assert str(err).startswith("companies[0] (id 'co'): tier: ")
