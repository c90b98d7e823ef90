"""§3.12 what-if (on a copy, every analytic before and after) and next best contacts."""

from __future__ import annotations

import copy

import pytest
from influence_builders import AS_OF, Account, days_ago

from stakegraph.graph.errors import NotFound
from stakegraph.graph.model import Rep
from stakegraph.influence import (
    ContactLeaves,
    HealthSignalCode,
    InfluenceTieAppears,
    LevelBecomes,
    RelationshipGradeLevel,
    StanceBecomes,
    apply_changes,
    next_best_contacts,
    what_if,
)

G = RelationshipGradeLevel


def _account() -> Account:
    acct = Account()
    acct.dept("d-key", key=True)
    acct.dept("d-other")
    acct.contact("k1", "d-key", seniority="EXECUTIVE", kdm=True, stance="CHAMPION")
    acct.contact("k2", "d-key", kdm=True, stance="NEUTRAL")
    acct.contact("x", "d-other", seniority="VP", stance="SUPPORTER")
    acct.contact("y-staff", "d-other", seniority="STAFF")
    acct.contact("y-vp", "d-other", seniority="VP")
    acct.opp("o1")
    acct.role("k1", "o1", "ECONOMIC_BUYER")
    acct.role("k2", "o1", "TECHNICAL_EVALUATOR")
    acct.role("x", "o1", "USER")
    acct.knows("r1", "k1", 3)
    return acct


def _snapshot(g):
    return (
        copy.deepcopy(dict(g.nodes(data=True))),
        copy.deepcopy(sorted(g.edges(keys=True, data=True), key=lambda e: e[:3])),
        list(g.graph["changes"]),
    )


def test_contact_leaves_changes_grade_and_health_but_not_the_input():
    g = _account().graph()
    before = _snapshot(g)
    r = what_if(g, [ContactLeaves(contact_id="k1")], as_of=AS_OF)
    assert r.before.grade.grade == G.INTERMEDIATE
    assert r.after.grade.grade == G.NONE
    assert r.after.influence.get("k1") is None
    assert {HealthSignalCode.KDM_LEFT, HealthSignalCode.CHAMPION_LOST} <= set(r.after.health.codes)
    assert HealthSignalCode.KDM_LEFT not in r.before.health.codes
    assert _snapshot(g) == before


def test_stance_becomes_changes_the_balance():
    g = _account().graph()
    r = what_if(g, [StanceBecomes(contact_id="k2", stance="BLOCKER")], as_of=AS_OF)
    assert r.after.balance.value < r.before.balance.value
    assert r.after.grade.opposing_kdm_ids == ["k2"]


def test_stance_becomes_for_an_opportunity_sets_the_has_role_override_only():
    g = _account().graph()
    change = StanceBecomes(contact_id="x", stance="OPPONENT", opportunity_id="o1")
    r = what_if(g, [change], as_of=AS_OF)
    assert r.after.balance == r.before.balance
    assert r.after.opportunity_balance[0].value < r.before.opportunity_balance[0].value
    with pytest.raises(NotFound):
        what_if(
            g,
            [StanceBecomes(contact_id="y-vp", stance="SUPPORTER", opportunity_id="o1")],
            as_of=AS_OF,
        )


def test_level_becomes_changes_coverage_and_grade_and_creates_the_edge():
    g = _account().graph()
    r = what_if(g, [LevelBecomes(rep_id="r1", contact_id="k2", level=2)], as_of=AS_OF)
    assert (r.before.coverage.ratio, r.after.coverage.ratio) == (0.25, 0.5)
    assert (r.before.grade.grade, r.after.grade.grade) == (G.INTERMEDIATE, G.STRONG)
    assert r.after.effective_levels["k2"] == 2
    assert not g.has_edge("Rep:r1", "Contact:k2")


def test_level_becomes_is_not_decayed_by_an_old_last_contact():
    acct = _account()
    acct.knows("r1", "k2", 4, last=days_ago(400))  # decays to 2
    g = acct.graph()
    r = what_if(g, [LevelBecomes(rep_id="r1", contact_id="k2", level=3)], as_of=AS_OF)
    assert (r.before.effective_levels["k2"], r.after.effective_levels["k2"]) == (2, 3)


def test_influence_tie_appears_raises_the_influencers_score():
    g = _account().graph()
    tie = InfluenceTieAppears(from_contact_id="x", to_contact_id="k2", strength=3)
    r = what_if(g, [tie], as_of=AS_OF)
    assert r.after.influence.score_of("x") > r.before.influence.score_of("x")


def test_what_if_on_an_unknown_node_is_not_found():
    g = _account().graph()
    with pytest.raises(NotFound):
        what_if(g, [ContactLeaves(contact_id="nobody")], as_of=AS_OF)
    with pytest.raises(NotFound):
        what_if(g, [LevelBecomes(rep_id="nobody", contact_id="k2", level=2)], as_of=AS_OF)


def test_next_best_contacts_rank_by_grade_gain_then_score_gain_then_influence():
    best = next_best_contacts(_account().graph(), as_of=AS_OF)
    assert [n.contact_id for n in best] == ["k2", "x", "y-vp", "y-staff"]
    k2, x, y_vp, y_staff = best
    assert (k2.grade_before, k2.grade_after, k2.grade_gain) == (G.INTERMEDIATE, G.STRONG, 1)
    assert x.grade_gain == 0 and x.score_gain > 0 and x.ratio_gain == 0.25
    assert y_vp.score_gain == y_staff.score_gain == 0
    assert y_vp.score > y_staff.score
    assert next_best_contacts(_account().graph(), as_of=AS_OF, limit=1) == best[:1]


def test_next_best_contact_gains_match_a_what_if_at_level_two():
    g = _account().graph()
    (k2,) = [n for n in next_best_contacts(g, as_of=AS_OF) if n.contact_id == "k2"]
    r = what_if(g, [LevelBecomes(rep_id="r1", contact_id="k2", level=2)], as_of=AS_OF)
    assert k2.score_gain == pytest.approx(r.after.grade.score - r.before.grade.score)
    assert k2.ratio_gain == pytest.approx(r.after.coverage.ratio - r.before.coverage.ratio)


def test_next_best_contacts_carry_their_best_path():
    acct = _account()
    acct.reports_to("k2", "k1")
    (k2,) = [n for n in next_best_contacts(acct.graph(), as_of=AS_OF) if n.contact_id == "k2"]
    assert k2.path is not None
    assert k2.path.node_keys == ["Rep:r1", "Contact:k1", "Contact:k2"]
    assert k2.path.probability == pytest.approx(0.75 * 0.5)


def test_level_becomes_for_a_rep_with_no_tie_into_the_account_adds_the_rep_from_the_registry():
    g = _account().graph()
    assert "Rep:newbie" not in g
    newbie = Rep(id="newbie", name="Nina", email="nina@example.com", industry_expert=True)
    change = LevelBecomes(rep_id="newbie", contact_id="k2", level=2)
    r = what_if(g, [change], as_of=AS_OF, reps=[newbie])
    assert (r.before.coverage.ratio, r.after.coverage.ratio) == (0.25, 0.5)
    assert (r.before.grade.grade, r.after.grade.grade) == (G.INTERMEDIATE, G.STRONG)
    h = apply_changes(g, [change], as_of=AS_OF, reps={"newbie": newbie})
    assert h.nodes["Rep:newbie"]["name"] == "Nina"
    assert h.get_edge_data("Rep:newbie", "Contact:k2", "KNOWS")["level"] == 2
    assert "Rep:newbie" not in g


def test_level_becomes_for_an_unknown_rep_is_not_found_naming_it():
    g = _account().graph()
    with pytest.raises(NotFound) as err:
        what_if(g, [LevelBecomes(rep_id="ghost", contact_id="k2", level=2)], as_of=AS_OF, reps=[])
    assert (err.value.label, err.value.node_id) == ("Rep", "ghost")
    assert "'ghost'" in str(err.value)


def test_what_if_of_levels_and_stances_reuses_the_influence_before():
    g = _account().graph()
    changes = [
        LevelBecomes(rep_id="r1", contact_id="x", level=3),
        StanceBecomes(contact_id="k2", stance="BLOCKER"),
    ]
    r = what_if(g, changes, as_of=AS_OF)
    assert r.after.influence is r.before.influence  # not recomputed
    assert r.after.grade.opposing_kdm_ids == ["k2"]
    left = what_if(g, [ContactLeaves(contact_id="x")], as_of=AS_OF)
    assert left.after.influence.get("x") is None  # a change that moves influence recomputes it
