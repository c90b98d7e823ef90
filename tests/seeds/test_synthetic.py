"""The synthetic generator: deterministic, sized as asked, realistic, valid at scale."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from stakegraph.graph.dataset import import_dataset, parse_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.model import Label
from stakegraph.seeds import generate

TODAY = date(2026, 11, 20)
ROOT = Path(__file__).resolve().parents[2]


def _json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return generate(60, 40, seed=11)


def _rels(doc: dict[str, Any], rel_type: str) -> list[dict[str, Any]]:
    return [r for r in doc["relationships"] if r["type"] == rel_type]


def _account(node_id: str) -> str:
    return node_id[: node_id.index("-", 4)] if node_id.count("-") > 1 else node_id


# -------------------------------------------------------------- determinism


def test_same_arguments_give_byte_identical_json() -> None:
    assert _json(generate(15, 20, seed=3)) == _json(generate(15, 20, seed=3))


def test_a_different_seed_gives_a_different_dataset() -> None:
    assert _json(generate(15, 20, seed=3)) != _json(generate(15, 20, seed=4))


def test_today_shifts_every_date_and_nothing_else() -> None:
    a = generate(5, 10, seed=1)
    b = generate(5, 10, seed=1, today=date(2027, 11, 20))
    assert [c["id"] for c in a["contacts"]] == [c["id"] for c in b["contacts"]]
    shifts = {
        (datetime.fromisoformat(y["at"]) - datetime.fromisoformat(x["at"])).days
        for x, y in zip(a["interactions"], b["interactions"], strict=True)
    }
    assert shifts == {365}


def test_output_does_not_depend_on_the_hash_seed() -> None:
    code = (
        "import hashlib, json; from stakegraph.seeds import generate; "
        "print(hashlib.sha256(json.dumps(generate(12, 15, 5), ensure_ascii=False)"
        ".encode()).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    here = hashlib.sha256(_json(generate(12, 15, 5)).encode()).hexdigest()
    assert digests == {here}


# ------------------------------------------------------------------ sizes


@pytest.mark.parametrize(("accounts", "contacts"), [(0, 0), (1, 1), (3, 2), (7, 13), (25, 60)])
def test_counts_match_the_arguments_and_the_document_validates(
    accounts: int, contacts: int
) -> None:
    doc = generate(accounts, contacts, seed=accounts + contacts)
    assert len(doc["companies"]) == accounts
    assert len(doc["contacts"]) == accounts * contacts
    per_account = Counter(_account(c["id"]) for c in doc["contacts"])
    assert all(n == contacts for n in per_account.values())
    parse_dataset(doc)


def test_ids_follow_the_documented_pattern(doc: dict[str, Any]) -> None:
    assert doc["companies"][0]["id"] == "acc-0001"
    assert doc["contacts"][41]["id"] == "acc-0002-c002"
    assert doc["contacts"][0]["id"] == "acc-0001-c001"
    wide = generate(2, 1000, seed=1)
    assert wide["contacts"][-1]["id"] == "acc-0002-c1000"


def test_negative_sizes_are_refused() -> None:
    with pytest.raises(ValueError):
        generate(-1, 5, seed=1)


def test_the_document_imports_into_the_embedded_store(doc: dict[str, Any]) -> None:
    store = EmbeddedStore(":memory:")
    try:
        import_dataset(store, doc)
        counts = store.counts()
        for label in Label:
            assert counts[str(label)] == len(doc[label.plural]), label
        assert counts["WORKS_IN"] == len(doc["contacts"])
        assert counts["changes"] == len(doc["changes"])
        g = store.account_subgraph("acc-0001")
        own = [n for n, a in g.nodes(data=True) if a["label"] == "Contact" and not a["foreign"]]
        assert len(own) == 40
    finally:
        store.close()


def test_a_thousand_accounts_of_a_hundred_contacts_generate_and_validate() -> None:
    big = generate(1000, 100, seed=2026)
    assert len(big["companies"]) == 1000
    assert len(big["contacts"]) == 100_000
    assert big["contacts"][-1]["id"] == "acc-1000-c100"
    batch = parse_dataset(big)
    assert len(batch.nodes) == sum(len(big[label.plural]) for label in Label)


# ----------------------------------------------------------------- shapes


def test_tier_mix_and_departments(doc: dict[str, Any]) -> None:
    tiers = Counter(c["tier"] for c in doc["companies"])
    assert tiers["SMB"] > tiers["KEY"] > 0
    per_account = Counter(d["company_id"] for d in doc["departments"])
    assert set(per_account) == {c["id"] for c in doc["companies"]}
    assert all(4 <= n <= 8 for n in per_account.values())
    assert any(d["is_key"] for d in doc["departments"])
    assert not all(d["is_key"] for d in doc["departments"])
    assert any(c["region"] for c in doc["companies"])


def test_reports_to_is_a_tree_rooted_at_an_executive(doc: dict[str, Any]) -> None:
    seniority = {c["id"]: c["seniority"] for c in doc["contacts"]}
    boss: dict[str, str] = {}
    for r in _rels(doc, "REPORTS_TO"):
        assert r["from"] not in boss
        assert _account(r["from"]) == _account(r["to"])
        assert r["to"] < r["from"], "bosses come first, so there is no cycle"
        boss[r["from"]] = r["to"]
    roots = defaultdict(list)
    for cid in seniority:
        if cid not in boss:
            roots[_account(cid)].append(cid)
    assert len(roots) == len(doc["companies"])
    assert all(len(r) == 1 and seniority[r[0]] == "EXECUTIVE" for r in roots.values())


def test_political_ties(doc: dict[str, Any]) -> None:
    n = len(doc["contacts"])
    influences = _rels(doc, "INFLUENCES")
    assert 0.8 * n <= len(influences) <= 1.3 * n
    assert {r["strength"] for r in influences} == {1, 2, 3}
    assert all(r["from"] != r["to"] for r in influences)
    assert len(_rels(doc, "ALLY_OF")) > len(_rels(doc, "RIVAL_OF")) > 0
    assert any(_account(r["from"]) != _account(r["to"]) for r in _rels(doc, "ALLY_OF"))
    keys = [(r["type"], r["from"], r["to"]) for r in doc["relationships"]]
    assert len(keys) == len(set(keys)), "no relationship is given twice"


def test_stances_statuses_and_history(doc: dict[str, Any]) -> None:
    stances = Counter(c["stance"] for c in doc["contacts"])
    assert set(stances) == {"CHAMPION", "SUPPORTER", "NEUTRAL", "OPPONENT", "BLOCKER", "UNKNOWN"}
    assert stances["UNKNOWN"] == max(stances.values())
    status = Counter(c["status"] for c in doc["contacts"])
    assert 0 < status["LEFT"] < 0.1 * len(doc["contacts"])
    left = {c["id"] for c in doc["contacts"] if c["status"] == "LEFT"}
    events = {e["entity_id"] for e in doc["changes"] if e["field"] == "status"}
    assert left <= events
    assert any(e["field"] == "stance" for e in doc["changes"])
    assert any(c.get("profile") for c in doc["contacts"])


def test_opportunities_and_roles(doc: dict[str, Any]) -> None:
    per_account = Counter(o["company_id"] for o in doc["opportunities"])
    assert set(per_account.values()) <= {1, 2}
    assert {o["status"] for o in doc["opportunities"]} == {"OPEN", "WON", "LOST"}
    roles = _rels(doc, "HAS_ROLE")
    assert {r["role"] for r in roles} == {
        "ECONOMIC_BUYER",
        "TECHNICAL_EVALUATOR",
        "FINANCIAL_CONTROLLER",
        "USER",
        "INFLUENCER",
    }
    assert all(_account(r["from"]) == _account(r["to"]) for r in roles)
    assert _rels(doc, "COMPETES_FOR")


def test_reps_teams_and_coverage() -> None:
    doc = generate(300, 5, seed=8)
    kinds = {t["kind"] for t in doc["teams"]}
    assert kinds >= {"KEY_ACCOUNT", "REGIONAL", "SOLUTION", "STRATEGIC", "GOVERNMENT"}
    assert all("@" in r["email"] for r in doc["reps"])
    assert {r["from"] for r in _rels(doc, "MEMBER_OF")} == {r["id"] for r in doc["reps"]}
    covers = _rels(doc, "COVERS")
    owned = Counter(r["from"] for r in covers if r["kind"] == "OWNER" and r["from_label"] == "Rep")
    average = sum(owned.values()) / len(owned)
    assert 4 <= average <= 10
    assert any(r["kind"] == "SUPPORT" for r in covers)
    owners = Counter(r["to"] for r in covers if r["kind"] == "OWNER")
    assert len(owners) < len(doc["companies"]), "a few accounts are unowned"
    assert max(owners.values()) >= 2, "a few accounts are claimed twice"


def test_knows_levels_and_recency(doc: dict[str, Any]) -> None:
    knows = _rels(doc, "KNOWS")
    assert {r["level"] for r in knows} == {0, 1, 2, 3, 4}
    ages = [
        (TODAY - datetime.fromisoformat(r["last_contact_at"]).date()).days
        for r in knows
        if "last_contact_at" in r
    ]
    assert min(ages) >= 0
    assert any(a <= 180 for a in ages)
    assert any(180 < a <= 365 for a in ages)
    assert any(a > 365 for a in ages)
    assert all(r["since"] <= r.get("last_contact_at", "9999")[:10] for r in knows)


def test_interactions_in_the_last_18_months(doc: dict[str, Any]) -> None:
    days = [datetime.fromisoformat(i["at"]).date() for i in doc["interactions"]]
    assert max(days) <= TODAY
    assert (TODAY - min(days)).days <= 548
    assert all(i["rep_ids"] and i["contact_ids"] for i in doc["interactions"])
    assert {r["from"] for r in _rels(doc, "ABOUT")} == {i["id"] for i in doc["interactions"]}
