"""The hand-designed demo portfolio (seeds/demo.json): valid, importable, and shaped
so that every analytic of docs/analytics.md §3 has something to find."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

import pytest

from stakegraph.graph.dataset import export_dataset, import_dataset, parse_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.model import Label, RelType, Stance
from stakegraph.seeds import DEMO_TODAY, load_demo
from stakegraph.seeds._format import dumps_dataset
from stakegraph.seeds.build_demo import DEMO_PATH, build

TODAY = DEMO_TODAY
HQ = "co-hx-hq"
MANUFACTURER = "co-orient"


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    return load_demo()


def _rels(doc: dict[str, Any], rel_type: str) -> list[dict[str, Any]]:
    return [r for r in doc["relationships"] if r["type"] == rel_type]


def _by_id(doc: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in doc[key]}


def _company_of_department(doc: dict[str, Any]) -> dict[str, str]:
    """Department id -> company id, following PART_OF through parent departments."""
    parent = {d["id"]: d.get("company_id") for d in doc["departments"]}
    for r in _rels(doc, "PART_OF"):
        parent[r["from"]] = r["to"]
    out = {}
    for dept in parent:
        node = dept
        while node in parent:
            node = parent[node]
        out[dept] = node
    return out


def _contacts_of(doc: dict[str, Any], company_id: str) -> list[dict[str, Any]]:
    company = _company_of_department(doc)
    return [c for c in doc["contacts"] if company[c["department_id"]] == company_id]


def _day(text: str) -> date:
    return datetime.fromisoformat(text).date()


def _days_ago(text: str) -> int:
    return (TODAY - _day(text)).days


# ----------------------------------------------------------------- the format


def test_committed_json_is_what_build_demo_writes(demo: dict[str, Any]) -> None:
    assert DEMO_PATH.read_text(encoding="utf-8") == dumps_dataset(build())
    assert demo == build()


def test_demo_validates_with_parse_dataset(demo: dict[str, Any]) -> None:
    batch = parse_dataset(demo)
    node_counts = Counter(str(n.label) for n in batch.nodes)
    for label in Label:
        assert node_counts[str(label)] == len(demo[label.plural]), label
    assert len(batch.changes) == len(demo["changes"])


def test_ids_are_unique_across_labels_so_no_relationship_is_ambiguous(
    demo: dict[str, Any],
) -> None:
    ids = [r["id"] for label in Label for r in demo[label.plural]]
    assert len(ids) == len(set(ids))


def test_demo_imports_into_the_embedded_store(demo: dict[str, Any]) -> None:
    store = EmbeddedStore(":memory:")
    try:
        summary = import_dataset(store, demo)
        counts = store.counts()
        for label in Label:
            assert counts[str(label)] == len(demo[label.plural]), label
        assert summary.nodes_created == sum(len(demo[label.plural]) for label in Label)
        expected = Counter(r["type"] for r in demo["relationships"])
        expected["WORKS_IN"] += len(demo["contacts"])
        expected["PART_OF"] += sum(1 for d in demo["departments"] if "company_id" in d)
        expected["FOR"] += len(demo["opportunities"])
        expected["ATTENDED"] += sum(
            len(i["rep_ids"]) + len(i["contact_ids"]) for i in demo["interactions"]
        )
        for field, rel_type in (
            ("company_id", "PLAN_OF"),
            ("opportunity_id", "PLAN_FOR"),
            ("contact_id", "TARGETS"),
            ("rep_id", "ASSIGNED_TO"),
        ):
            expected[rel_type] += sum(1 for t in demo["plan_targets"] if field in t)
        for rel_type in RelType:
            assert counts[str(rel_type)] == expected[str(rel_type)], rel_type
        # the demo carries its own history: nothing is stamped with the import time
        assert counts["changes"] == len(demo["changes"])
        g = store.account_subgraph(MANUFACTURER)
        contacts = [
            n for n, a in g.nodes(data=True) if a["label"] == "Contact" and not a["foreign"]
        ]
        assert len(contacts) == len(_contacts_of(demo, MANUFACTURER))
        exported = export_dataset(store)
        assert {c["id"] for c in exported["contacts"]} == {c["id"] for c in demo["contacts"]}
    finally:
        store.close()


# ------------------------------------------------------- bank HQ and branches


def test_the_bank_has_three_branches_of_its_headquarters(demo: dict[str, Any]) -> None:
    companies = _by_id(demo, "companies")
    branches = [r["from"] for r in _rels(demo, "BRANCH_OF") if r["to"] == HQ]
    assert len(branches) == 3
    assert companies[HQ]["tier"] == "STRATEGIC"
    assert {companies[b]["industry"] for b in branches} == {"Banking"}


def _products(demo: dict[str, Any], company_id: str, status: str | None = None) -> set[str]:
    return {
        p
        for o in demo["opportunities"]
        if o["company_id"] == company_id and (status is None or o["status"] == status)
        for p in o["products"]
    }


def test_one_branch_won_a_product_its_siblings_have_not_bought(demo: dict[str, Any]) -> None:
    branches = [r["from"] for r in _rels(demo, "BRANCH_OF") if r["to"] == HQ]
    whitespace = {
        (b, product)
        for b in branches
        for product in _products(demo, b, "WON")
        if all(product not in _products(demo, s) for s in branches if s != b)
    }
    assert ("co-hx-sh", "Smart Risk Platform") in whitespace


def test_two_branches_won_the_same_product_within_twelve_months(demo: dict[str, Any]) -> None:
    branches = {r["from"] for r in _rels(demo, "BRANCH_OF") if r["to"] == HQ}
    won: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for o in demo["opportunities"]:
        if o["company_id"] in branches and o["status"] == "WON":
            for p in o["products"]:
                won[p].append((o["company_id"], date.fromisoformat(o["close_date"])))
    programme = [
        p
        for p, wins in won.items()
        if len({c for c, _ in wins}) >= 2
        and (max(d for _, d in wins) - min(d for _, d in wins)).days <= 365
    ]
    assert programme == ["Data Governance Suite"]


def test_headquarters_has_key_departments_kdms_and_an_open_programme(
    demo: dict[str, Any],
) -> None:
    company = _company_of_department(demo)
    hq_depts = [d for d in demo["departments"] if company[d["id"]] == HQ]
    assert len(hq_depts) >= 5
    assert sum(d["is_key"] for d in hq_depts) >= 3
    kdms = [c for c in _contacts_of(demo, HQ) if c["is_kdm"] and c["status"] == "ACTIVE"]
    assert len(kdms) >= 4
    assert any(o["company_id"] == HQ and o["status"] == "OPEN" for o in demo["opportunities"])


# ------------------------------------------------- the manufacturer's decision chain


def test_manufacturer_has_thirty_plus_contacts_over_all_department_functions(
    demo: dict[str, Any],
) -> None:
    companies = _by_id(demo, "companies")
    assert companies[MANUFACTURER]["tier"] == "KEY"
    contacts = _contacts_of(demo, MANUFACTURER)
    assert len(contacts) >= 30
    company = _company_of_department(demo)
    depts = [d for d in demo["departments"] if company[d["id"]] == MANUFACTURER]
    assert {d["function"] for d in depts} >= {
        "EXECUTIVE",
        "TECHNICAL",
        "BUSINESS",
        "FINANCE_PROCUREMENT",
        "LEGAL",
    }
    assert 0 < sum(d["is_key"] for d in depts) < len(depts)
    # a sub-department hangs off a department, not the company
    assert any(r["to_label"] == "Department" for r in _rels(demo, "PART_OF"))


def test_manufacturer_reporting_lines_form_one_tree(demo: dict[str, Any]) -> None:
    ids = {c["id"] for c in _contacts_of(demo, MANUFACTURER)}
    boss: dict[str, str] = {}
    for r in _rels(demo, "REPORTS_TO"):
        if r["from"] in ids:
            assert r["from"] not in boss, "one formal line per contact"
            assert r["to"] in ids
            boss[r["from"]] = r["to"]
    roots = ids - set(boss)
    assert len(roots) == 1
    depths = []
    for contact in ids:
        seen = []
        while contact in boss:
            assert contact not in seen, "no cycle"
            seen.append(contact)
            contact = boss[contact]
        assert contact in roots
        depths.append(len(seen))
    depth = max(depths)
    assert depth >= 4


def test_manufacturer_political_map(demo: dict[str, Any]) -> None:
    ids = {c["id"] for c in _contacts_of(demo, MANUFACTURER)}
    influences = [r for r in _rels(demo, "INFLUENCES") if r["from"] in ids and r["to"] in ids]
    assert len(influences) >= len(ids) * 0.8
    assert {r["strength"] for r in influences} == {1, 2, 3}
    for rel_type in ("ALLY_OF", "RIVAL_OF"):
        assert sum(1 for r in _rels(demo, rel_type) if r["from"] in ids and r["to"] in ids) >= 3
    assert any(r["from"] in ids for r in _rels(demo, "FAVORS"))
    # a tie reaches the manufacturer from another account (paths across accounts)
    assert any(
        (r["from"] in ids) != (r["to"] in ids)
        for r in _rels(demo, "INFLUENCES") + _rels(demo, "ALLY_OF")
    )


def test_manufacturer_open_deal_has_every_role_and_a_per_deal_stance(
    demo: dict[str, Any],
) -> None:
    open_deals = [
        o
        for o in demo["opportunities"]
        if o["company_id"] == MANUFACTURER and o["status"] == "OPEN"
    ]
    assert len(open_deals) == 1
    deal = open_deals[0]["id"]
    roles = [r for r in _rels(demo, "HAS_ROLE") if r["to"] == deal]
    assert {r["role"] for r in roles} == {
        "ECONOMIC_BUYER",
        "TECHNICAL_EVALUATOR",
        "FINANCIAL_CONTROLLER",
        "USER",
        "INFLUENCER",
    }
    contacts = _by_id(demo, "contacts")
    overrides = [r for r in roles if "stance" in r]
    assert len(overrides) == 1
    assert overrides[0]["stance"] != contacts[overrides[0]["from"]]["stance"]
    assert any(r["to"] == deal for r in _rels(demo, "COMPETES_FOR"))


def test_manufacturer_has_every_stance(demo: dict[str, Any]) -> None:
    stances = Counter(c["stance"] for c in _contacts_of(demo, MANUFACTURER))
    assert set(stances) == {str(s) for s in Stance}
    assert stances["BLOCKER"] >= 1
    assert stances["CHAMPION"] >= 2
    assert stances["UNKNOWN"] >= 5


def test_a_kdm_left_within_the_last_90_days_with_its_change_event(demo: dict[str, Any]) -> None:
    left = [c for c in _contacts_of(demo, MANUFACTURER) if c["status"] == "LEFT"]
    assert len(left) == 1 and left[0]["is_kdm"]
    events = [
        e for e in demo["changes"] if e["contact_id"] == left[0]["id"] and e["field"] == "status"
    ]
    assert [(e["old"], e["new"]) for e in events] == [("ACTIVE", "LEFT")]
    assert 0 <= _days_ago(events[0]["at"]) <= 90


def test_a_kdm_stance_dropped_two_steps_within_90_days(demo: dict[str, Any]) -> None:
    contacts = _by_id(demo, "contacts")
    drops = [
        e
        for e in demo["changes"]
        if e["entity"] == "Contact"
        and e["field"] == "stance"
        and contacts[e["entity_id"]]["is_kdm"]
        and Stance(e["old"]).weight is not None
        and Stance(e["old"]).weight - Stance(e["new"]).weight >= 2
        and _days_ago(e["at"]) <= 90
    ]
    assert [e["entity_id"] for e in drops] == ["c-or-03"]
    assert contacts["c-or-03"]["stance"] == drops[0]["new"]


def test_contacts_have_full_kp_profiles(demo: dict[str, Any]) -> None:
    full = [
        c
        for c in _contacts_of(demo, MANUFACTURER)
        if all(
            c.get("profile", {}).get(k) for k in ("hometown", "school", "hobbies", "goals", "notes")
        )
    ]
    assert len(full) >= 5


def test_some_notes_hold_quotes_newlines_and_emoji(demo: dict[str, Any]) -> None:
    notes = [c["profile"].get("notes") or "" for c in demo["contacts"] if "profile" in c]
    notes += [i.get("notes") or "" for i in demo["interactions"]]
    assert any('"' in n and "\n" in n for n in notes)
    assert sum(1 for n in notes if any(ord(ch) > 0x1F000 for ch in n)) >= 2


# ------------------------------------------------------------ the sales org


def test_teams_of_every_needed_kind_and_reps_with_emails(demo: dict[str, Any]) -> None:
    kinds = {t["kind"] for t in demo["teams"]}
    assert kinds >= {"KEY_ACCOUNT", "REGIONAL", "SOLUTION", "STRATEGIC", "GOVERNMENT"}
    assert all("@" in r["email"] for r in demo["reps"])
    assert sum(r["industry_expert"] for r in demo["reps"]) == 1
    members = {r["from"] for r in _rels(demo, "MEMBER_OF")}
    assert members == {r["id"] for r in demo["reps"]}


def _owners(demo: dict[str, Any]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {c["id"]: [] for c in demo["companies"]}
    for r in _rels(demo, "COVERS"):
        if r["kind"] == "OWNER":
            owners[r["to"]].append(r["from"])
    return owners


def test_coverage_model_has_a_conflict_an_unowned_account_and_solution_support(
    demo: dict[str, Any],
) -> None:
    owners = _owners(demo)
    reps = {r["id"] for r in demo["reps"]}
    conflicts = [c for c, o in owners.items() if len([x for x in o if x in reps]) >= 2]
    assert conflicts == ["co-hx-sz"]
    assert [c for c, o in owners.items() if not o] == ["co-hx-cd"]
    teams = _by_id(demo, "teams")
    assert any(
        r["from_label"] == "Team"
        and teams[r["from"]]["kind"] == "SOLUTION"
        and r["kind"] == "SUPPORT"
        for r in _rels(demo, "COVERS")
    )


def test_government_account_is_owned_by_the_government_team(demo: dict[str, Any]) -> None:
    gov = [c for c in demo["companies"] if c["industry"] == "Government"]
    assert len(gov) == 1 and gov[0]["tier"] in ("KEY", "STRATEGIC")
    team_of = {r["from"]: r["to"] for r in _rels(demo, "MEMBER_OF")}
    teams = _by_id(demo, "teams")
    (owner,) = _owners(demo)[gov[0]["id"]]
    assert teams[team_of[owner]]["kind"] == "GOVERNMENT"


def test_smb_accounts_have_regions(demo: dict[str, Any]) -> None:
    smb = [c for c in demo["companies"] if c["tier"] == "SMB"]
    assert len(smb) >= 3
    assert all(c["region"] for c in smb)
    assert len({c["region"] for c in smb}) >= 2


# ---------------------------------------------------- relationships and metrics


def test_knows_levels_and_recency_bands(demo: dict[str, Any]) -> None:
    knows = _rels(demo, "KNOWS")
    assert {r["level"] for r in knows} == {0, 1, 2, 3, 4}
    assert all("since" in r for r in knows)
    bands = Counter()
    for r in knows:
        if "last_contact_at" not in r:
            bands["undated"] += 1
            continue
        d = _days_ago(r["last_contact_at"])
        bands["<=180" if d <= 180 else "181-365" if d <= 365 else ">365"] += 1
    assert bands["<=180"] >= 10
    assert bands["181-365"] >= 3
    assert bands[">365"] >= 3
    assert bands["undated"] >= 1


def test_icp_scores_with_one_gap(demo: dict[str, Any]) -> None:
    fields = ("strategic_fit", "profit_potential", "stability", "market_influence")
    scored = [c for c in demo["companies"] if all(f in c for f in fields)]
    partial = [c for c in demo["companies"] if 0 < sum(f in c for f in fields) < 4]
    assert len(scored) >= 5
    assert [c["id"] for c in partial] == ["co-hx-cd"]


def test_health_metrics_with_a_usage_drop(demo: dict[str, Any]) -> None:
    with_metrics = [c for c in demo["companies"] if "usage_current" in c]
    assert len(with_metrics) >= 4
    drops = [c["id"] for c in with_metrics if c["usage_current"] <= 0.8 * c["usage_prior"]]
    assert drops == [MANUFACTURER]
    assert any(c.get("overdue_invoices") for c in with_metrics)
    assert any(c.get("renewal_intent") is False for c in with_metrics)


def test_interactions_span_at_least_15_of_the_last_18_months(demo: dict[str, Any]) -> None:
    days = sorted(_day(i["at"]) for i in demo["interactions"])
    assert days[-1] <= TODAY
    assert (TODAY - days[0]).days <= 548
    assert (days[-1] - days[0]).days >= 456  # 15 months
    assert {i["kind"] for i in demo["interactions"]} == {
        "VISIT",
        "CALL",
        "EMAIL",
        "MEETING",
        "EVENT",
    }
    assert {i["purpose"] for i in demo["interactions"]} == {
        "SIGNING",
        "RELATIONSHIP",
        "PROGRESS",
        "SOLUTION",
        "RESEARCH",
    }
    about = {r["from"] for r in _rels(demo, "ABOUT")}
    assert about == {i["id"] for i in demo["interactions"]}
    assert all(i["rep_ids"] for i in demo["interactions"])
