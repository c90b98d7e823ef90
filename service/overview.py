"""The front page's use case: a page of the accounts a caller may see, each with its
headline figures (relationship grade, coverage, balance, health, potential).

Accounts come in id order, straight from the store by keyset pages
(:func:`stakegraph.service.portfolio.account_page`), so a portfolio of thousands of
accounts is shown a page at a time; the figures are the accounts' analyses
(:meth:`stakegraph.service.scope.Scope.stream_analyses`, shared cache included), the
same numbers GraphQL and the reports give.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stakegraph.influence.models import Balance, Coverage, Health, Potential, RelationshipGrade
from stakegraph.service.portfolio import AccountSelection, account_page
from stakegraph.service.scope import Scope

__all__ = ["AccountSummary", "SummaryPage", "account_summaries"]


@dataclass(frozen=True)
class AccountSummary:
    """One visible account and its headline figures on a day."""

    id: str
    name: str
    tier: str | None
    industry: str | None
    region: str | None
    grade: RelationshipGrade
    coverage: Coverage
    balance: Balance
    health: Health
    potential: Potential


@dataclass(frozen=True)
class SummaryPage:
    """A page of summaries; ``next_cursor`` continues it (``None``: the last page)."""

    accounts: list[AccountSummary]
    total_count: int
    as_of: date
    next_cursor: str | None


def account_summaries(
    scope: Scope, *, first: int, after: str | None = None, as_of: date | None = None
) -> SummaryPage:
    """Up to ``first`` visible accounts after the cursor ``after``, in id order.

    Raises
    ------
    BadInput
        A malformed cursor (``field="after"``).
    """
    day = scope.as_of(as_of)
    page = account_page(scope, AccountSelection(), first=first, after=after)
    assert page is not None  # a selection without analytic filters is always paged
    nodes = {n.id: n for n in page.items}
    summaries = []
    for cid, _, a in scope.stream_analyses(list(nodes), day):
        attrs = nodes[cid].model_dump(mode="json")
        summaries.append(
            AccountSummary(
                id=cid,
                name=str(attrs.get("name") or cid),
                tier=attrs.get("tier"),
                industry=attrs.get("industry"),
                region=attrs.get("region"),
                grade=a.grade,
                coverage=a.coverage,
                balance=a.balance,
                health=a.health,
                potential=a.potential,
            )
        )
    return SummaryPage(
        accounts=summaries,
        total_count=page.total_count,
        as_of=day,
        next_cursor=page.end_cursor if page.has_next_page else None,
    )
