"""Properties of the analytics on random account graphs (hypothesis)."""

from __future__ import annotations

import copy
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from influence_builders import AS_OF, Account, days_ago

from stakegraph.graph.model import (
    DecisionRole,
    DepartmentFunction,
    InfluenceRating,
    Seniority,
    Stance,
)
from stakegraph.influence import (
    ContactLeaves,
    InfluenceTieAppears,
    LevelBecomes,
    StanceBecomes,
    Verdict,
    analyze_account,
    decision_chain_coverage,
    effective_levels,
    next_best_contacts,
    open_opportunities,
    paths_to_power,
    relationship_grade,
    supporter_balance,
    what_if,
)

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FLIP = {
    Stance.CHAMPION: Stance.BLOCKER,
    Stance.SUPPORTER: Stance.OPPONENT,
    Stance.NEUTRAL: Stance.NEUTRAL,
    Stance.OPPONENT: Stance.SUPPORTER,
    Stance.BLOCKER: Stance.CHAMPION,
    Stance.UNKNOWN: Stance.UNKNOWN,
}
TIES = ("influences", "reports_to", "ally")


@st.composite
def accounts(draw) -> Account:
    acct = Account()
    depts: list[str] = []
    for i in range(draw(st.integers(1, 3))):
        parent = draw(st.sampled_from([None, *depts]))
        function = draw(st.sampled_from(list(DepartmentFunction)))
        acct.dept(f"d{i}", key=draw(st.booleans()), function=function.value, parent=parent)
        depts.append(f"d{i}")
    contacts = []
    for i in range(draw(st.integers(1, 7))):
        contacts.append(
            acct.contact(
                f"c{i}",
                draw(st.sampled_from(depts)),
                seniority=draw(st.sampled_from([None, *Seniority])),
                kdm=draw(st.booleans()),
                stance=draw(st.sampled_from(list(Stance))).value,
                status=draw(st.sampled_from(["ACTIVE"] * 4 + ["LEFT", "MOVED"])),
                rating=draw(st.sampled_from([None, *InfluenceRating])),
            )
        )
    foreign = [acct.contact(f"f{i}", None, foreign=True) for i in range(draw(st.integers(0, 2)))]
    everyone = contacts + foreign
    for i in range(draw(st.integers(0, 2))):
        opp = acct.opp(f"o{i}", status=draw(st.sampled_from(["OPEN", "OPEN", "WON", "LOST"])))
        holders = draw(st.lists(st.sampled_from(contacts), unique=True, max_size=len(contacts)))
        for c in holders:
            override = draw(st.sampled_from([None, *Stance]))
            role = draw(st.sampled_from(list(DecisionRole)))
            acct.role(c, opp, role.value, None if override is None else override.value)
    reps = [acct.rep(f"r{i}") for i in range(draw(st.integers(1, 2)))]
    for r in reps:
        for c in draw(st.lists(st.sampled_from(everyone), unique=True, max_size=4)):
            last = draw(st.sampled_from([None, 0, 100, 180, 181, 365, 366, 700]))
            acct.knows(r, c, draw(st.integers(0, 4)), None if last is None else days_ago(last))
    pairs = st.lists(st.sampled_from(everyone), min_size=2, max_size=2, unique=True)
    ties = (
        draw(st.lists(st.tuples(st.sampled_from(TIES), pairs), max_size=10)) if everyone[1:] else []
    )
    seen = set()
    for tie, (a, b) in ties:
        if (tie, a, b) in seen:
            continue
        seen.add((tie, a, b))
        if tie == "influences":
            acct.influences(a, b, draw(st.integers(1, 3)))
        else:
            getattr(acct, tie)(a, b)
    for i in range(draw(st.integers(0, 2))):
        acct.interaction(
            f"i{i}",
            days_ago(draw(st.integers(0, 400))),
            reps=tuple(draw(st.lists(st.sampled_from(reps), unique=True, max_size=2))),
            contacts=tuple(draw(st.lists(st.sampled_from(contacts), unique=True, max_size=3))),
        )
    return acct


@PROPERTY
@given(accounts())
def test_coverage_ratios_are_between_0_and_1(acct):
    g = acct.graph()
    for opp in [None, *open_opportunities(g)]:
        cov = decision_chain_coverage(g, as_of=AS_OF, opportunity_id=opp)
        assert 0.0 <= cov.ratio <= 1.0
        assert 0.0 <= cov.weighted_ratio <= 1.0


@PROPERTY
@given(accounts(), st.data())
def test_raising_any_knows_level_never_lowers_the_grade_or_the_coverage_ratio(acct, data):
    g = acct.graph()
    reps = sorted(k for k, a in g.nodes(data=True) if a["label"] == "Rep")
    contacts = sorted(k for k, a in g.nodes(data=True) if a["label"] == "Contact")
    rep, contact = data.draw(st.sampled_from(reps)), data.draw(st.sampled_from(contacts))
    raised = copy.deepcopy(g)
    edge = raised.get_edge_data(rep, contact, "KNOWS")
    if edge is None:
        raised.add_edge(rep, contact, key="KNOWS", type="KNOWS", level=0)
        edge = raised.get_edge_data(rep, contact, "KNOWS")
    edge["level"] = data.draw(st.integers(edge["level"], 4))

    before = relationship_grade(g, as_of=AS_OF)
    after = relationship_grade(raised, as_of=AS_OF)
    assert after.grade.rank >= before.grade.rank
    assert after.ratio >= before.ratio
    assert after.score >= before.score - 1e-9
    cov_before = decision_chain_coverage(g, as_of=AS_OF, suggest=False)
    cov_after = decision_chain_coverage(raised, as_of=AS_OF, suggest=False)
    assert cov_after.weighted_ratio >= cov_before.weighted_ratio - 1e-12


def _flipped(g):
    h = copy.deepcopy(g)
    for _, attrs in h.nodes(data=True):
        if attrs["label"] == "Contact":
            attrs["stance"] = FLIP[Stance(attrs["stance"])]
    for _, _, key, attrs in h.edges(keys=True, data=True):
        if key == "HAS_ROLE" and attrs.get("stance") is not None:
            attrs["stance"] = FLIP[Stance(attrs["stance"])]
    return h


@PROPERTY
@given(accounts())
def test_flipping_every_stance_negates_the_balance(acct):
    g = acct.graph()
    h = _flipped(g)
    mirror = {
        Verdict.FAVORABLE: Verdict.UNFAVORABLE,
        Verdict.UNFAVORABLE: Verdict.FAVORABLE,
        Verdict.CONTESTED: Verdict.CONTESTED,
        None: None,
    }
    for opp in [None, *open_opportunities(g)]:
        b, f = supporter_balance(g, opportunity_id=opp), supporter_balance(h, opportunity_id=opp)
        if b.value is None:
            assert f.value is None
        else:
            assert f.value == -b.value
        assert f.verdict == mirror[b.verdict]
        assert (f.supporters, f.opponents) == (b.opponents, b.supporters)


def _snapshot(g):
    return (
        copy.deepcopy(dict(g.nodes(data=True))),
        copy.deepcopy(sorted(g.edges(keys=True, data=True), key=lambda e: e[:3])),
        copy.deepcopy(dict(g.graph)),
    )


@PROPERTY
@given(accounts(), st.data())
def test_what_if_never_mutates_the_input_graph(acct, data):
    g = acct.graph()
    contacts = sorted(a["id"] for _, a in g.nodes(data=True) if a["label"] == "Contact")
    reps = sorted(a["id"] for _, a in g.nodes(data=True) if a["label"] == "Rep")
    roles = [
        (u.partition(":")[2], v.partition(":")[2])
        for u, v, k in g.edges(keys=True)
        if k == "HAS_ROLE"
    ]
    contact = st.sampled_from(contacts)
    options = [
        st.builds(ContactLeaves, contact_id=contact),
        st.builds(StanceBecomes, contact_id=contact, stance=st.sampled_from(list(Stance))),
        st.builds(
            LevelBecomes, rep_id=st.sampled_from(reps), contact_id=contact, level=st.integers(0, 4)
        ),
        st.builds(
            InfluenceTieAppears,
            from_contact_id=contact,
            to_contact_id=contact,
            strength=st.integers(1, 3),
        ),
    ]
    if roles:
        options.append(
            st.sampled_from(roles).flatmap(
                lambda r: st.builds(
                    StanceBecomes,
                    contact_id=st.just(r[0]),
                    opportunity_id=st.just(r[1]),
                    stance=st.sampled_from(list(Stance)),
                )
            )
        )
    changes = data.draw(st.lists(st.one_of(options), min_size=1, max_size=3))
    before = _snapshot(g)
    result = what_if(g, changes, as_of=AS_OF)
    assert _snapshot(g) == before
    assert result.before == analyze_account(g, as_of=AS_OF)


@PROPERTY
@given(accounts(), st.data())
def test_paths_are_simple_start_at_a_rep_end_at_the_target_sorted_by_cost(acct, data):
    g = acct.graph()
    contacts = sorted(a["id"] for _, a in g.nodes(data=True) if a["label"] == "Contact")
    target = data.draw(st.sampled_from(contacts))
    paths = paths_to_power(g, target, as_of=AS_OF, k=4)
    assert len(paths) <= 4
    assert [p.cost for p in paths] == sorted(p.cost for p in paths)
    for p in paths:
        keys = p.node_keys
        assert len(set(keys)) == len(keys)
        assert keys[0].startswith("Rep:") and keys[0] == f"Rep:{p.rep_id}"
        assert keys[-1] == f"Contact:{target}"
        assert all(k.startswith("Contact:") for k in keys[1:])
        assert p.steps[0].type == "KNOWS"
        for step in p.steps:
            u, v, t = step.from_key, step.to_key, step.type
            assert g.has_edge(u, v, t) or (t != "INFLUENCES" and g.has_edge(v, u, t))
        assert p.probability == math.prod(s.probability for s in p.steps)
        assert math.isclose(p.cost, -math.log(p.probability), abs_tol=1e-9)
    assert len({tuple(p.node_keys) for p in paths}) == len(paths)


@PROPERTY
@given(accounts())
def test_next_best_contacts_gain_exactly_what_a_full_recomputation_at_level_two_gains(acct):
    g = acct.graph()
    base = relationship_grade(g, as_of=AS_OF)
    levels = effective_levels(g, as_of=AS_OF)
    for n in next_best_contacts(g, as_of=AS_OF):
        raised = {**levels, n.contact_id: 2}
        full = relationship_grade(g, as_of=AS_OF, levels=raised)
        assert n.grade_before == base.grade
        assert n.grade_after == full.grade
        assert n.score_gain == pytest.approx(full.score - base.score, abs=1e-9)
        assert n.ratio_gain == pytest.approx(full.ratio - base.ratio, abs=1e-12)
