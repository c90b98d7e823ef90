"""A small world of two rival sales teams, their accounts, and one API key per role.

* ``acme`` (KEY) — owned by rep ``r-amy`` of team ``t-east``; HQ of the group
  ``acme-north`` (amy) and ``acme-south`` (bob).
* ``globex`` (STRATEGIC) — owned by rep ``r-bob`` of team ``t-west``.
* ``g-cto`` (globex) INFLUENCES ``a-cio`` (acme): a tie across accounts, so paths
  to ``a-cio`` run through a contact amy may not see.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stakegraph.gql.app import create_app
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.service.access import ApiKey, hash_api_key
from stakegraph.service.settings import Settings

AS_OF = date(2026, 6, 30)

KEYS = {
    "ADMIN": ("admin-key", {"role": "ADMIN"}),
    "ANALYST": ("analyst-key", {"role": "ANALYST"}),
    "REP": ("amy-key", {"role": "REP", "rep_id": "r-amy"}),
    "REP_BOB": ("bob-key", {"role": "REP", "rep_id": "r-bob"}),
    "MANAGER": ("east-key", {"role": "MANAGER", "team_ids": ["t-east"]}),
    "MANAGER_WEST": ("west-key", {"role": "MANAGER", "team_ids": ["t-west"]}),
}


def api_keys() -> list[ApiKey]:
    return [
        ApiKey(name=name.lower(), key_sha256=hash_api_key(key), **extra)
        for name, (key, extra) in KEYS.items()
    ]


def make_settings(**overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "api_keys": api_keys(),
        "embed_secret": "test-embed-secret-of-at-least-32-bytes",
        "public_url": "https://sg.example.com",
        "demo_mode": False,
        "store": "embedded",
        "db_path": Path("/nonexistent/unused.db"),
    }
    return Settings(**(base | overrides))


WORLD: dict[str, Any] = {
    "companies": [
        {
            "id": "acme",
            "name": "Acme Group",
            "tier": "KEY",
            "industry": "Manufacturing",
            "region": "East",
            "strategic_fit": 5,
            "profit_potential": 4,
            "stability": 4,
            "market_influence": 3,
        },
        {
            "id": "acme-north",
            "name": "Acme North",
            "tier": "SMB",
            "industry": "Manufacturing",
            "region": "East",
        },
        {
            "id": "acme-south",
            "name": "Acme South",
            "tier": "SMB",
            "industry": "Manufacturing",
            "region": "West",
        },
        {
            "id": "globex",
            "name": "Globex",
            "tier": "STRATEGIC",
            "industry": "Energy",
            "region": "West",
        },
    ],
    "departments": [
        {
            "id": "d-acme-exec",
            "name": "Executive",
            "function": "EXECUTIVE",
            "is_key": True,
            "company_id": "acme",
        },
        {
            "id": "d-acme-it",
            "name": "IT",
            "function": "TECHNICAL",
            "is_key": True,
            "company_id": "acme",
        },
        {
            "id": "d-acme-fin",
            "name": "Finance",
            "function": "FINANCE_PROCUREMENT",
            "company_id": "acme",
        },
        {"id": "d-north", "name": "North office", "company_id": "acme-north"},
        {
            "id": "d-globex-exec",
            "name": "Board",
            "function": "EXECUTIVE",
            "is_key": True,
            "company_id": "globex",
        },
    ],
    "contacts": [
        {
            "id": "a-ceo",
            "name": "Wang Wei",
            "title": "CEO",
            "seniority": "EXECUTIVE",
            "is_kdm": True,
            "stance": "SUPPORTER",
            "department_id": "d-acme-exec",
            "profile": {"hometown": "Suzhou", "hobbies": ["golf"]},
        },
        {
            "id": "a-cio",
            "name": "Li Ming",
            "title": "CIO",
            "seniority": "VP",
            "stance": "NEUTRAL",
            "department_id": "d-acme-it",
        },
        {
            "id": "a-cfo",
            "name": "Zhao Min",
            "title": "CFO",
            "seniority": "VP",
            "stance": "OPPONENT",
            "department_id": "d-acme-fin",
        },
        {
            "id": "a-eng",
            "name": "Sun Li",
            "title": "Engineer",
            "seniority": "STAFF",
            "department_id": "d-acme-it",
        },
        {"id": "n-boss", "name": "North Boss", "seniority": "DIRECTOR", "department_id": "d-north"},
        {
            "id": "g-ceo",
            "name": "Gloria",
            "title": "CEO",
            "seniority": "EXECUTIVE",
            "is_kdm": True,
            "stance": "CHAMPION",
            "department_id": "d-globex-exec",
        },
        {
            "id": "g-cto",
            "name": "Gus",
            "title": "CTO",
            "seniority": "VP",
            "department_id": "d-globex-exec",
        },
    ],
    "opportunities": [
        {
            "id": "o-acme",
            "name": "MES rollout",
            "status": "OPEN",
            "stage": "SOLUTION",
            "amount": 500000,
            "currency": "CNY",
            "products": ["MES"],
            "company_id": "acme",
        },
        {
            "id": "o-north",
            "name": "MES north",
            "status": "WON",
            "stage": "IMPLEMENTATION",
            "products": ["MES"],
            "close_date": "2026-03-01",
            "company_id": "acme-north",
        },
        {
            "id": "o-globex",
            "name": "Grid analytics",
            "status": "OPEN",
            "products": ["GRID"],
            "company_id": "globex",
        },
    ],
    "reps": [
        {"id": "r-amy", "name": "Amy", "email": "amy@example.com"},
        {"id": "r-bob", "name": "Bob", "email": "bob@example.com", "industry_expert": True},
    ],
    "teams": [
        {"id": "t-east", "name": "KA East", "kind": "KEY_ACCOUNT", "region": "East"},
        {"id": "t-west", "name": "Strategic West", "kind": "STRATEGIC", "region": "West"},
    ],
    "interactions": [
        {
            "id": "i-1",
            "at": "2026-06-01T09:00:00Z",
            "kind": "VISIT",
            "purpose": "RELATIONSHIP",
            "notes": "coffee",
            "rep_ids": ["r-amy"],
            "contact_ids": ["a-ceo"],
        },
    ],
    "competitors": [{"id": "k-rival", "name": "Rival Corp"}],
    "relationships": [
        {"type": "MEMBER_OF", "from": "r-amy", "to": "t-east"},
        {"type": "MEMBER_OF", "from": "r-bob", "to": "t-west"},
        {"type": "COVERS", "from": "r-amy", "to": "acme", "kind": "OWNER", "from_label": "Rep"},
        {
            "type": "COVERS",
            "from": "r-amy",
            "to": "acme-north",
            "kind": "OWNER",
            "from_label": "Rep",
        },
        {
            "type": "COVERS",
            "from": "r-bob",
            "to": "acme-south",
            "kind": "OWNER",
            "from_label": "Rep",
        },
        {"type": "COVERS", "from": "r-bob", "to": "globex", "kind": "OWNER", "from_label": "Rep"},
        {"type": "BRANCH_OF", "from": "acme-north", "to": "acme"},
        {"type": "BRANCH_OF", "from": "acme-south", "to": "acme"},
        {"type": "REPORTS_TO", "from": "a-cio", "to": "a-ceo"},
        {"type": "REPORTS_TO", "from": "a-cfo", "to": "a-ceo"},
        {"type": "REPORTS_TO", "from": "a-eng", "to": "a-cio"},
        {"type": "INFLUENCES", "from": "a-eng", "to": "a-cio", "strength": 3},
        {"type": "INFLUENCES", "from": "g-cto", "to": "a-cio", "strength": 3},
        {"type": "ALLY_OF", "from": "a-ceo", "to": "a-cfo"},
        {
            "type": "KNOWS",
            "from": "r-amy",
            "to": "a-ceo",
            "level": 3,
            "last_contact_at": "2026-06-01T09:00:00Z",
        },
        {"type": "KNOWS", "from": "r-amy", "to": "a-eng", "level": 1},
        {
            "type": "KNOWS",
            "from": "r-bob",
            "to": "g-ceo",
            "level": 3,
            "last_contact_at": "2026-05-01T09:00:00Z",
        },
        {
            "type": "KNOWS",
            "from": "r-bob",
            "to": "g-cto",
            "level": 4,
            "last_contact_at": "2026-05-01T09:00:00Z",
        },
        {"type": "HAS_ROLE", "from": "a-ceo", "to": "o-acme", "role": "ECONOMIC_BUYER"},
        {"type": "HAS_ROLE", "from": "a-cio", "to": "o-acme", "role": "TECHNICAL_EVALUATOR"},
        {"type": "HAS_ROLE", "from": "g-ceo", "to": "o-globex", "role": "ECONOMIC_BUYER"},
        {"type": "COMPETES_FOR", "from": "k-rival", "to": "o-acme"},
        {"type": "ABOUT", "from": "i-1", "to": "acme", "to_label": "Company"},
    ],
}


def world() -> dict[str, Any]:
    return copy.deepcopy(WORLD)


class Api:
    """A GraphQL caller over the in-process test client."""

    def __init__(self, client: TestClient, store: GraphStore) -> None:
        self.client = client
        self.store = store

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        role: str | None = "ADMIN",
        **kw: Any,
    ):
        headers = {} if role is None else {"X-API-Key": KEYS[role][0]}
        return self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers, **kw
        )

    def __call__(
        self, query: str, variables: dict[str, Any] | None = None, *, role: str | None = "ADMIN"
    ) -> dict[str, Any]:
        response = self.post(query, variables, role=role)
        assert response.status_code == 200, response.text
        return response.json()

    def data(
        self, query: str, variables: dict[str, Any] | None = None, *, role: str = "ADMIN"
    ) -> dict[str, Any]:
        body = self(query, variables, role=role)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def error(
        self, query: str, variables: dict[str, Any] | None = None, *, role: str = "ADMIN"
    ) -> dict[str, Any]:
        """The first error of a request expected to fail."""
        body = self(query, variables, role=role)
        assert body.get("errors"), body
        return body["errors"][0]


def make_api(store: GraphStore, **settings: Any) -> Iterator[Api]:
    import_dataset(store, world())
    app = create_app(make_settings(**settings), store)
    with TestClient(app) as client:
        yield Api(client, store)


@pytest.fixture
def api(store: GraphStore) -> Iterator[Api]:
    """The service over the world, on each store."""
    yield from make_api(store)


@pytest.fixture
def embedded_api(embedded_store: GraphStore) -> Iterator[Api]:
    """The service over the world on the embedded store only (store-independent tests)."""
    yield from make_api(embedded_store)
