"""The accounts, contacts and reps the capture fixtures speak of, and the three-step
capture flow (parse → match → write) run against a real store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from stakegraph.capture import (
    AccountRef,
    CapturedEvent,
    CaptureResult,
    ContactRef,
    captured_interactions,
    event_addresses,
)
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.model import Label, Opportunity, RelType
from stakegraph.graph.store import GraphStore, WriteSummary

FIXTURES = Path(__file__).parent / "fixtures"
GOOGLE_ICS = FIXTURES / "google_lin_wei.ics"
OUTLOOK_ICS = FIXTURES / "outlook_zhou_min.ics"
MBOX = FIXTURES / "mail" / "lin_wei_sent.mbox"
INBOX = FIXTURES / "mail" / "zhou_min_inbox"
WINDOW = {
    "window_start": datetime(2026, 10, 1, tzinfo=UTC),
    "window_end": datetime(2026, 12, 1, tzinfo=UTC),
}

#: The accounts' places (configured per account: the graph holds no address).
PLACES: dict[str, tuple[str, ...]] = {
    "co-orient": ("88 Jinji Lake Avenue", "苏州工厂", "Orient Precision GmbH"),
    "co-hx-hq": ("华夏联合银行总行",),
}


def accounts_dataset() -> dict[str, Any]:
    return {
        "companies": [
            {"id": "co-orient", "name": "东方精工集团 Orient Precision Manufacturing"},
            {"id": "co-hx-hq", "name": "华夏联合银行总行 Huaxia United Bank HQ"},
        ],
        "departments": [
            {"id": "dept-or-exec", "name": "总裁办", "company_id": "co-orient"},
            {"id": "dept-or-it", "name": "信息中心", "company_id": "co-orient"},
            {"id": "dept-or-arch", "name": "架构组"},  # PART_OF dept-or-it
            {"id": "dept-or-fin", "name": "财务部", "company_id": "co-orient"},
            {"id": "dept-hx-it", "name": "信息科技部", "company_id": "co-hx-hq"},
        ],
        "contacts": [
            {
                "id": "c-or-zjg",
                "name": "赵建国",
                "email": "zhaojianguo@orient-precision.example.cn",
                "department_id": "dept-or-exec",
            },
            {
                "id": "c-or-zk",
                "name": "郑凯",
                "emails": ["ZhengKai@Orient-Precision.example.cn", "zk.private@gmail.com"],
                "department_id": "dept-or-it",
            },
            {
                "id": "c-or-fj",
                "name": "冯静",
                "emails": ["fengjing@orient-precision.example.cn"],
                "department_id": "dept-or-arch",
            },
            {
                "id": "c-or-why",
                "name": "吴海燕",
                "email": "wuhaiyan@orient-precision.example.cn",
                "department_id": "dept-or-fin",
            },
            {
                "id": "c-hx-dym",
                "name": "丁一鸣",
                "email": "DingYiming@HuaxiaBank.example.cn",
                "department_id": "dept-hx-it",
            },
        ],
        "opportunities": [
            {"id": "opp-or-mes", "name": "MES upgrade", "company_id": "co-orient"},
            {"id": "opp-or-dp", "name": "Group data platform", "company_id": "co-orient"},
        ],
        "reps": [
            {"id": "rep-lin-wei", "name": "林伟", "email": "lin.wei@sales.example.com"},
            {"id": "rep-zhou-min", "name": "周敏", "email": "Zhou.Min@sales.example.com"},
        ],
        "relationships": [
            {
                "type": "PART_OF",
                "from": "dept-or-arch",
                "to": "dept-or-it",
                "to_label": "Department",
            }
        ],
    }


@pytest.fixture
def accounts_store(store: GraphStore) -> GraphStore:
    import_dataset(store, accounts_dataset())
    return store


def contact_accounts(store: GraphStore, contact_ids: Sequence[str]) -> dict[str, str | None]:
    """The account of each contact: WORKS_IN its department, PART_OF up to a company."""
    dept = {r.from_id: r.to_id for r in store.relationships(RelType.WORKS_IN, from_ids=contact_ids)}
    parent: dict[str, tuple[Label, str]] = {}
    frontier = set(dept.values())
    while frontier:
        for r in store.relationships(RelType.PART_OF, from_ids=sorted(frontier)):
            parent[r.from_id] = (r.to_label, r.to_id)
        frontier = {t for lab, t in parent.values() if lab == Label.DEPARTMENT} - set(parent)

    def company(d: str | None) -> str | None:
        while d is not None and d in parent:
            label, d2 = parent[d]
            if label == Label.COMPANY:
                return d2
            d = d2
        return None

    return {c: company(dept.get(c)) for c in contact_ids}


def account_refs(store: GraphStore, company_ids: Sequence[str]) -> dict[str, AccountRef]:
    fors = store.relationships(RelType.FOR, to_ids=company_ids)
    opps = store.get_nodes(Label.OPPORTUNITY, [r.from_id for r in fors])
    by_company: dict[str, dict[str, str]] = {c: {} for c in company_ids}
    for r in fors:
        node = opps[r.from_id]
        assert isinstance(node, Opportunity)
        by_company[r.to_id][node.id] = node.name
    return {
        c: AccountRef(locations=PLACES.get(c, ()), opportunities=by_company[c]) for c in company_ids
    }


def capture_into(
    store: GraphStore, events: list[CapturedEvent], *, default_rep: str | None
) -> tuple[CaptureResult, WriteSummary]:
    """Steps 2 and 3 of the capture flow, as the package documents them."""
    addresses = event_addresses(events)
    contact_ids = store.find_by_emails(Label.CONTACT, addresses)
    rep_ids = store.find_by_emails(Label.REP, addresses)
    owner = contact_accounts(store, sorted(set(contact_ids.values())))
    contacts = {a: ContactRef(c, owner[c]) for a, c in contact_ids.items()}
    companies = sorted({c for c in owner.values() if c})
    result = captured_interactions(
        events,
        contacts=contacts,
        reps=rep_ids,
        accounts=account_refs(store, companies),
        default_rep=default_rep,
    )
    return result, store.write(result.batch, by="capture")
