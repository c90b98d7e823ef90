"""§3.19 how accounts moved: the ``Account.timeline`` types and the ``changesSince``
query. Thin types over :mod:`stakegraph.service.timeline`."""

from __future__ import annotations

from datetime import date

import strawberry

from stakegraph.gql.analytics import ChangeEvent
from stakegraph.gql.context import Info
from stakegraph.gql.scalars import HealthStatus, RelationshipGradeLevel, TimelineStep
from stakegraph.graph.model import Label
from stakegraph.influence import models as m
from stakegraph.service import timeline as uc

__all__ = [
    "AccountChanges",
    "AccountSnapshot",
    "ChangedAccount",
    "DriftAlert",
    "Timeline",
    "TimelinePoint",
    "TimelineQueries",
    "timeline_of",
]


@strawberry.type(description="§3.19 an account's headline figures at one day.")
class AccountSnapshot:
    at: date
    grade: RelationshipGradeLevel
    score: float
    coverage_ratio: float
    balance: float | None
    health: HealthStatus

    @classmethod
    def of(cls, s: m.AccountSnapshot) -> AccountSnapshot:
        return cls(
            at=s.at,
            grade=s.grade,
            score=s.score,
            coverage_ratio=s.coverage_ratio,
            balance=s.balance,
            health=s.health,
        )


@strawberry.type(description="§3.19 a point of a timeline and the events since the previous one.")
class TimelinePoint(AccountSnapshot):
    events: list[ChangeEvent]


@strawberry.type(description="§3.19 an account's figures at each step end of a period.")
class Timeline:
    start: date = strawberry.field(name="from")
    end: date = strawberry.field(name="to")
    every: TimelineStep
    points: list[TimelinePoint]


def timeline_of(t: m.Timeline) -> Timeline:
    points = []
    for p in t.points:
        base = AccountSnapshot.of(p)
        points.append(
            TimelinePoint(
                at=base.at,
                grade=base.grade,
                score=base.score,
                coverage_ratio=base.coverage_ratio,
                balance=base.balance,
                health=base.health,
                events=[ChangeEvent.of(e) for e in p.events],
            )
        )
    return Timeline(start=t.start, end=t.end, every=t.every, points=points)


@strawberry.type(description="An account named in a §3.19 result.")
class ChangedAccount:
    id: strawberry.ID
    name: str


@strawberry.type(description="§3.19 what changed in an account since a date.")
class AccountChanges:
    account: ChangedAccount
    events: list[ChangeEvent]
    before: AccountSnapshot = strawberry.field(description="as of `since`, replayed")
    after: AccountSnapshot = strawberry.field(description="as of today (or `asOf`)")


@strawberry.type(
    description="§3.19 an account whose grade fell or balance dropped over the window."
)
class DriftAlert:
    account: ChangedAccount
    before: AccountSnapshot = strawberry.field(description="as of the window's first day")
    after: AccountSnapshot
    grade_fell: bool
    balance_drop: float | None
    events: list[ChangeEvent] = strawberry.field(description="the events within the window")


async def _accounts(info: Info, ids: list[str]) -> dict[str, ChangedAccount]:
    ctx = info.context
    nodes = await ctx.run(ctx.scope.nodes, Label.COMPANY, ids)
    return {
        c: ChangedAccount(id=strawberry.ID(c), name=str(getattr(nodes.get(c), "name", c)))
        for c in ids
    }


@strawberry.type
class TimelineQueries:
    @strawberry.field(
        description="§3.19 drift alerts of the accounts you may see: grade fell, or balance "
        "dropped by at least drift_balance_drop, over the last drift_window_days to `asOf`."
    )
    async def drift_alerts(self, info: Info, as_of: date | None = None) -> list[DriftAlert]:
        ctx = info.context
        found = await ctx.run(uc.drift_alerts, ctx.scope, None, as_of)
        accounts = await _accounts(info, [a.company_id for a in found])
        return [
            DriftAlert(
                account=accounts[a.company_id],
                before=AccountSnapshot.of(a.before),
                after=AccountSnapshot.of(a.after),
                grade_fell=a.grade_fell,
                balance_drop=a.balance_drop,
                events=[ChangeEvent.of(e) for e in a.events],
            )
            for a in found
        ]

    @strawberry.field(
        description="§3.19 per account you may see with change events after `since`: the "
        "events and the figures before (as of `since`) and after (as of `asOf`, default "
        "today); contacts of accounts you may not see are masked."
    )
    async def changes_since(
        self, info: Info, since: date, as_of: date | None = None
    ) -> list[AccountChanges]:
        ctx = info.context
        found = await ctx.run(uc.changes_since, ctx.scope, since, as_of=as_of)
        accounts = await _accounts(info, [c.company_id for c in found])
        return [
            AccountChanges(
                account=accounts[c.company_id],
                events=[ChangeEvent.of(e) for e in c.events],
                before=AccountSnapshot.of(c.before),
                after=AccountSnapshot.of(c.after),
            )
            for c in found
        ]
