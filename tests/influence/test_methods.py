"""Sales-method views (influence.methods) of the demo's smart-factory deal, checked by hand.

The facts used (seeds/demo.json, as of 2026-11-20) for opportunity ``opp-or-sfdp`` of
``co-orient``:

* ECONOMIC_BUYER c-or-01 (NEUTRAL), known by rep-chen-hao at level 2, last contact
  2026-09-15 (66 days) → effective level 2: we can influence him;
* TECHNICAL_EVALUATOR c-or-08 (levels 3 on 2026-04-18 → 216 days → 2, and 2) and
  c-or-11 (level 1);
* FINANCIAL_CONTROLLER c-or-24 (level 1, 2025-10-20 → 396 days → 0), c-or-28
  (level 1) and c-or-27, who LEFT on 2026-10-12 (so out of the chain);
* USER c-or-14 (BLOCKER, level 1 on 2026-03-05 → 260 days → 0, the most influential
  user), c-or-15 (contact NEUTRAL, HAS_ROLE stance SUPPORTER, level 2 on 2026-05-20 →
  184 days → 1) and c-or-20 (CHAMPION, level 2);
* CHAMPIONs in the account: c-or-07 (level 4), c-or-10 (level 3), c-or-20 (level 2);
* COMPETES_FOR: Hengda and Yunqi; FAVORS: c-or-03 (an INFLUENCER of the deal) and
  c-or-14 lean to Yunqi, c-or-29 (not in the chain) to Hengda.
"""

from __future__ import annotations

import networkx as nx
import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.model import Stance
from stakegraph.graph.store import GraphStore
from stakegraph.influence import analyze_account
from stakegraph.influence.method_models import MethodStatus, MethodView
from stakegraph.influence.method_settings import (
    BlueSheetMode,
    BlueSheetSettings,
    MeddpiccSettings,
    SalesMethodSettings,
)
from stakegraph.influence.methods import altify_view, blue_sheet_view, meddpicc_view, method_view
from stakegraph.influence.models import AccountAnalysis
from stakegraph.seeds import DEMO_TODAY, load_demo

G, A, R, U = MethodStatus.GREEN, MethodStatus.AMBER, MethodStatus.RED, MethodStatus.UNKNOWN
DEAL = "opp-or-sfdp"


@pytest.fixture(scope="module")
def orient(tmp_path_factory: pytest.TempPathFactory) -> tuple[nx.MultiDiGraph, AccountAnalysis]:
    from stakegraph.graph.embedded_store import EmbeddedStore

    store: GraphStore = EmbeddedStore(tmp_path_factory.mktemp("methods") / "demo.db")
    import_dataset(store, load_demo())
    g = store.account_subgraph("co-orient")
    store.close()
    return g, analyze_account(g, as_of=DEMO_TODAY)


@pytest.fixture(scope="module")
def meddpicc(orient: tuple[nx.MultiDiGraph, AccountAnalysis]) -> MethodView:
    return meddpicc_view(*orient, opportunity_id=DEAL)


def test_meddpicc_lists_its_eight_letters_in_order(meddpicc: MethodView) -> None:
    assert [e.code for e in meddpicc.elements] == ["M", "E", "D1", "D2", "P", "I", "C1", "C2"]
    assert meddpicc.opportunity_id == DEAL and meddpicc.company_id == "co-orient"


def test_economic_buyer_identified_and_engaged_when_we_can_influence_its_holder(
    meddpicc: MethodView,
) -> None:
    e = meddpicc.element("E")
    assert (e.status, e.state, e.contact_ids) == (G, "engaged", ["c-or-01"])
    (ev,) = e.evidence
    assert ev.values["effective_level"] == 2 and ev.values["stance"] == "NEUTRAL"


def test_decision_criteria_engaged_through_one_of_two_technical_evaluators(
    meddpicc: MethodView,
) -> None:
    d1 = meddpicc.element("D1")
    assert d1.status == G and set(d1.contact_ids) == {"c-or-08", "c-or-11"}
    assert {ev.contact_id: ev.values["can_influence"] for ev in d1.evidence} == {
        "c-or-08": True,
        "c-or-11": False,
    }


def test_paper_process_identified_not_engaged_and_leavers_are_not_holders(
    meddpicc: MethodView,
) -> None:
    p = meddpicc.element("P")
    assert (p.status, p.state) == (A, "identified, not engaged")
    assert set(p.contact_ids) == {"c-or-24", "c-or-28"}  # c-or-27 LEFT


def test_pain_is_at_risk_when_the_most_influential_user_is_a_blocker(
    meddpicc: MethodView,
) -> None:
    i = meddpicc.element("I")
    assert (i.status, i.state) == (A, "engaged, at risk")
    assert i.contact_ids[0] == "c-or-14"
    stances = {ev.contact_id: ev.values["stance"] for ev in i.evidence}
    assert stances == {"c-or-14": "BLOCKER", "c-or-15": "SUPPORTER", "c-or-20": "CHAMPION"}


def test_decision_process_covers_three_of_four_required_roles(meddpicc: MethodView) -> None:
    d2 = meddpicc.element("D2")
    assert (d2.status, d2.state) == (A, "partly mapped")
    assert {ev.values["role"]: ev.values["status"] for ev in d2.evidence} == {
        "ECONOMIC_BUYER": "COVERED",
        "TECHNICAL_EVALUATOR": "COVERED",
        "FINANCIAL_CONTROLLER": "UNCOVERED",
        "USER": "COVERED",
    }


def test_champion_tested_needs_level_3_and_influence_half(meddpicc: MethodView) -> None:
    c1 = meddpicc.element("C1")
    assert (c1.status, c1.state) == (G, "tested")
    tested = {ev.contact_id: ev.values["tested"] for ev in c1.evidence}
    assert tested == {"c-or-07": True, "c-or-10": True, "c-or-20": False}


def test_competition_is_red_when_a_chain_member_favours_a_competitor(
    meddpicc: MethodView,
) -> None:
    c2 = meddpicc.element("C2")
    assert (c2.status, c2.state) == (R, "a buyer favours a competitor")
    assert c2.contact_ids == ["c-or-14", "c-or-03", "c-or-29"]
    rivals = {ev.values["competitor"] for ev in c2.evidence if ev.contact_id is None}
    assert rivals == {"恒达软件 Hengda Software", "云启科技 Yunqi Tech"}


def test_metrics_are_not_in_the_graph_and_the_deal_value_is_their_evidence(
    meddpicc: MethodView,
) -> None:
    m = meddpicc.element("M")
    assert m.status == U and m.evidence[0].values["amount"] == 6_800_000.0
    assert meddpicc.status == R  # the worst letter


def test_a_stricter_champion_threshold_leaves_the_champion_untested(
    orient: tuple[nx.MultiDiGraph, AccountAnalysis],
) -> None:
    strict = SalesMethodSettings(meddpicc=MeddpiccSettings(champion_min_level=4))
    c1 = meddpicc_view(*orient, opportunity_id=DEAL, methods=strict).element("C1")
    assert c1.status == G and {e.contact_id for e in c1.evidence if e.values["tested"]} == {
        "c-or-07"
    }
    in_chain = SalesMethodSettings(meddpicc=MeddpiccSettings(champion_in_chain_only=True))
    c1 = meddpicc_view(*orient, opportunity_id=DEAL, methods=in_chain).element("C1")
    assert (c1.status, c1.contact_ids) == (G, ["c-or-10", "c-or-20"])  # c-or-07 holds no role


# ------------------------------------------------------------------- Blue Sheet


@pytest.fixture(scope="module")
def blue(orient: tuple[nx.MultiDiGraph, AccountAnalysis]) -> MethodView:
    return blue_sheet_view(*orient, opportunity_id=DEAL)


def test_blue_sheet_boxes_hold_the_role_holders_and_coaches(blue: MethodView) -> None:
    boxes = {e.code: e.contact_ids for e in blue.elements}
    assert boxes == {
        "ECONOMIC": ["c-or-01"],
        "USER": ["c-or-14", "c-or-15", "c-or-20"],
        "TECHNICAL": ["c-or-24", "c-or-08", "c-or-28", "c-or-11"],
        "COACH": ["c-or-07", "c-or-10"],  # c-or-20 is a CHAMPION we know at level 2 only
    }


def test_blue_sheet_modes_and_ratings_come_from_the_deal_stance(blue: MethodView) -> None:
    person = {(p.group, p.contact_id): p.attributes for p in blue.people}
    assert person[("ECONOMIC", "c-or-01")]["mode"] == "EVEN_KEEL"
    assert person[("USER", "c-or-14")]["mode"] == "OVERCONFIDENT"
    assert person[("USER", "c-or-14")]["rating"] == -5
    assert person[("USER", "c-or-15")]["rating"] == 3  # HAS_ROLE stance SUPPORTER
    assert person[("TECHNICAL", "c-or-28")]["mode"] is None  # stance UNKNOWN
    assert person[("COACH", "c-or-07")]["covered_by"] == "rep-chen-hao"
    assert person[("ECONOMIC", "c-or-01")]["degree"] == "HIGH"
    assert blue.element("ECONOMIC").state == "covered, not receptive"
    assert blue.element("COACH").status == G


def test_blue_sheet_red_flags_name_uncovered_unknown_and_the_reorganisation(
    blue: MethodView,
) -> None:
    flags = {(f.kind, tuple(f.contact_ids)) for f in blue.red_flags}
    assert ("UNCOVERED", ("c-or-11", "c-or-14", "c-or-15", "c-or-24", "c-or-28")) in flags
    assert ("MISSING_INFORMATION", ("c-or-28",)) in flags
    assert ("REORGANISATION", ("c-or-27",)) in flags


def test_blue_sheet_modes_are_a_setting(orient: tuple[nx.MultiDiGraph, AccountAnalysis]) -> None:
    modes = {**BlueSheetSettings().modes, Stance.NEUTRAL: BlueSheetMode.TROUBLE}
    view = blue_sheet_view(
        *orient,
        opportunity_id=DEAL,
        methods=SalesMethodSettings(blue_sheet=BlueSheetSettings(modes=modes)),
    )
    assert view.element("ECONOMIC").status == G  # covered and now receptive


# ------------------------------------------------------------------------ Altify


def test_altify_map_is_amber_with_supportive_key_players_none_deciding(
    orient: tuple[nx.MultiDiGraph, AccountAnalysis],
) -> None:
    view = altify_view(*orient, opportunity_id=DEAL)
    assert view.status == A and view.element("MAP").state == "supportive key players"
    person = {p.contact_id: p.attributes for p in view.people}
    assert person["c-or-01"]["decision_role"] == "Decision Maker"
    assert person["c-or-14"]["status"] == "Enemy" and person["c-or-14"]["coverage"] == "No Contact"
    assert person["c-or-07"]["status"] == "Mentor" and person["c-or-07"]["coverage"] == "In Depth"
    assert person["c-or-24"]["decision_role"] == "Approver"
    assert view.element("OPPOSITION").status == R


def test_method_view_by_name_and_unknown_methods(
    orient: tuple[nx.MultiDiGraph, AccountAnalysis],
) -> None:
    assert method_view("meddpicc", *orient, opportunity_id=DEAL).method == "MEDDPICC"
    with pytest.raises(ValueError, match="unknown sales method"):
        method_view("spin", *orient)  # type: ignore[arg-type]
