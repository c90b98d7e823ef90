"""§3.18 the gap of a relationship plan, hand-computed, on both stores.

ACME as of 2024-06-30: rep r1 knows the CEO (3, met 2024-06-01 → 3), the CFO (1, no
date → 1) and the buyer (2, last contact 2023-01-01: 546 days → 2 − 2 = 0). The CFO
reports to the CEO. The CFO and the buyer are both FINANCIAL_CONTROLLER of the open
deal o1, the CEO its ECONOMIC_BUYER.

Targets: t-ceo (CEO at 3: met), t-cfo (CFO at 2, due 2024-09-30), t-fc (some
FINANCIAL_CONTROLLER of o1 at 2, due 2024-06-01: overdue). Gap: t-fc first (overdue),
worked on through the CFO (level 1 beats the buyer's 0), then t-cfo. Best path to the
CFO: r1 → CEO (3 ÷ 4 = 0.75) → CFO (REPORTS_TO 0.5) = 0.375, better than r1's own tie
(1 ÷ 4 = 0.25).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.model import Relationship
from stakegraph.graph.store import GraphBatch, GraphStore
from stakegraph.influence.plans import plan_gap
from stakegraph.influence.whatif import next_best_contacts

AS_OF = date(2024, 6, 30)


def _doc() -> dict[str, Any]:
    return {
        "version": 1,
        "companies": [{"id": "acme", "name": "ACME", "tier": "KEY"}],
        "departments": [
            {"id": "d-exec", "name": "Board", "is_key": True, "company_id": "acme"},
        ],
        "contacts": [
            {"id": "ceo", "name": "Wang", "seniority": "EXECUTIVE", "department_id": "d-exec"},
            {"id": "cfo", "name": "Zhao", "seniority": "DIRECTOR", "department_id": "d-exec"},
            {"id": "buyer", "name": "Qian", "seniority": "MANAGER", "department_id": "d-exec"},
        ],
        "opportunities": [{"id": "o1", "name": "WMS", "status": "OPEN", "company_id": "acme"}],
        "reps": [{"id": "r1", "name": "Rita"}],
        "relationships": [
            {
                "type": "KNOWS",
                "from": "r1",
                "to": "ceo",
                "level": 3,
                "last_contact_at": "2024-06-01T09:00:00Z",
            },
            {"type": "KNOWS", "from": "r1", "to": "cfo", "level": 1},
            {
                "type": "KNOWS",
                "from": "r1",
                "to": "buyer",
                "level": 2,
                "last_contact_at": "2023-01-01T09:00:00Z",
            },
            {"type": "REPORTS_TO", "from": "cfo", "to": "ceo"},
            {"type": "HAS_ROLE", "from": "ceo", "to": "o1", "role": "ECONOMIC_BUYER"},
            {"type": "HAS_ROLE", "from": "cfo", "to": "o1", "role": "FINANCIAL_CONTROLLER"},
            {"type": "HAS_ROLE", "from": "buyer", "to": "o1", "role": "FINANCIAL_CONTROLLER"},
        ],
        "plan_targets": [
            {"id": "t-ceo", "level": 3, "company_id": "acme", "contact_id": "ceo", "rep_id": "r1"},
            {
                "id": "t-cfo",
                "level": 2,
                "due": "2024-09-30",
                "company_id": "acme",
                "contact_id": "cfo",
                "rep_id": "r1",
            },
            {
                "id": "t-fc",
                "level": 2,
                "role": "FINANCIAL_CONTROLLER",
                "due": "2024-06-01",
                "company_id": "acme",
                "opportunity_id": "o1",
                "rep_id": "r1",
            },
        ],
    }


def _gap(store: GraphStore) -> list[Any]:
    g = store.account_subgraph("acme")
    return plan_gap(g, store.plan_targets(["acme"])["acme"], as_of=AS_OF)


def _knows(contact: str, level: int) -> GraphBatch:
    rel = Relationship(
        type="KNOWS",
        from_label="Rep",
        from_id="r1",
        to_label="Contact",
        to_id=contact,
        properties={"level": level, "last_contact_at": "2024-06-20T09:00:00Z"},
    )
    return GraphBatch(relationships=[rel])


@pytest.fixture
def acme(store: GraphStore) -> GraphStore:
    import_dataset(store, _doc())
    return store


def test_unmet_targets_overdue_first_with_level_path_and_gain(acme: GraphStore) -> None:
    gap = _gap(acme)
    assert [i.target_id for i in gap] == ["t-fc", "t-cfo"]
    fc, cfo = gap
    assert fc.overdue and not cfo.overdue
    assert (fc.contact_id, fc.level, fc.holder_ids) == ("cfo", 1, ["buyer", "cfo"])
    assert (cfo.contact_id, cfo.level, cfo.holder_ids) == ("cfo", 1, [])
    assert cfo.path is not None and round(cfo.path.probability, 4) == 0.375
    assert [s.type for s in cfo.path.steps] == ["KNOWS", "REPORTS_TO"]
    # the gain if met is the next-best-contact gain of the CFO (§3.12)
    g = acme.account_subgraph("acme")
    nbc = {n.contact_id: n for n in next_best_contacts(g, as_of=AS_OF)}["cfo"]
    for item in gap:
        assert (item.grade_gain, item.score_gain, item.ratio_gain) == (
            nbc.grade_gain,
            nbc.score_gain,
            nbc.ratio_gain,
        )
        assert item.grade_before == nbc.grade_before and item.grade_after == nbc.grade_after
    assert nbc.score_gain > 0


def test_a_level_change_meets_a_target_and_any_holder_meets_a_role(acme: GraphStore) -> None:
    on = datetime(2024, 6, 20, 9, tzinfo=UTC)  # the changes are recorded before AS_OF
    # the buyer, the other FINANCIAL_CONTROLLER, reaches 2: the role target is met
    acme.write(_knows("buyer", 2), at=on)
    assert [i.target_id for i in _gap(acme)] == ["t-cfo"]
    # the CFO reaches 2: the plan is met
    acme.write(_knows("cfo", 2), at=on)
    assert _gap(acme) == []
    # as of a day before the changes the account was as it was (§3.17): the CFO at 1,
    # so t-cfo is open; the buyer's level was 2 already and the later last contact is
    # not known yet, so that tie does not decay and t-fc stays met
    g = acme.account_subgraph("acme")
    before = plan_gap(g, acme.plan_targets(["acme"])["acme"], as_of=date(2024, 6, 19))
    assert [(i.target_id, i.level) for i in before] == [("t-cfo", 1)]


def test_a_target_is_measured_as_of_a_date(acme: GraphStore) -> None:
    # on 2024-05-31 t-fc is not overdue yet; both remain, by due date
    g = acme.account_subgraph("acme")
    earlier = plan_gap(g, acme.plan_targets(["acme"])["acme"], as_of=date(2024, 5, 31))
    assert [(i.target_id, i.overdue) for i in earlier] == [("t-fc", False), ("t-cfo", False)]
    # two years on, the CEO's level 3 has decayed to 1 (d > 365): t-ceo is open again
    later = plan_gap(g, acme.plan_targets(["acme"])["acme"], as_of=date(2026, 6, 30))
    assert [i.target_id for i in later] == ["t-fc", "t-cfo", "t-ceo"]
    assert next(i for i in later if i.target_id == "t-ceo").level == 1
