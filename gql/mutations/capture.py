"""Activity capture (活动捕获, §3.15): a calendar export becomes interactions.

Thin over :func:`stakegraph.service.capture.capture_calendar`: who may capture as whom,
what is matched and what is written are decided there.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from stakegraph.capture import EventOutcome, UnmatchedAddress
from stakegraph.gql.context import Info
from stakegraph.gql.mutations.common import WriteResult
from stakegraph.service.capture import Captured, capture_calendar

__all__ = ["CaptureMutations", "CaptureResult"]


@strawberry.enum(description="What became of one captured event.")
class CaptureOutcome(Enum):
    CAPTURED = "CAPTURED"
    DUPLICATE = "DUPLICATE"
    NO_CONTACT = "NO_CONTACT"
    CANCELLED = "CANCELLED"
    NO_DATE = "NO_DATE"


@strawberry.type(description="One event of the captured file and its outcome.")
class CapturedEvent:
    outcome: CaptureOutcome
    summary: str
    start: datetime | None
    interaction_id: strawberry.ID = strawberry.field(
        description="the interaction's id (written, already stored, or would-be)"
    )
    contact_ids: list[strawberry.ID]
    rep_ids: list[strawberry.ID]
    unmatched: list[str]

    @classmethod
    def of(cls, o: EventOutcome) -> CapturedEvent:
        return cls(
            outcome=CaptureOutcome(o.outcome.value),
            summary=o.summary,
            start=o.start,
            interaction_id=strawberry.ID(o.interaction_id),
            contact_ids=[strawberry.ID(c) for c in o.contact_ids],
            rep_ids=[strawberry.ID(r) for r in o.rep_ids],
            unmatched=list(o.unmatched),
        )


@strawberry.type(description="An address no contact or rep you may see holds (never guessed).")
class UnmatchedAddressResult:
    address: str
    name: str | None
    events: int

    @classmethod
    def of(cls, u: UnmatchedAddress) -> UnmatchedAddressResult:
        return cls(address=u.address, name=u.name, events=u.events)


@strawberry.type(description="Events per outcome.")
class CaptureCounts:
    captured: int
    duplicate: int
    no_contact: int
    cancelled: int
    no_date: int


@strawberry.type(description="What a capture did.")
class CaptureResult:
    counts: CaptureCounts
    events: list[CapturedEvent]
    unmatched: list[UnmatchedAddressResult]
    interaction_ids: list[strawberry.ID] = strawberry.field(description="interactions written")
    upcoming: int = strawberry.field(description="events not yet held, left out")
    rep_id: strawberry.ID | None = strawberry.field(description="the rep credited by default")
    write: WriteResult

    @classmethod
    def of(cls, r: Captured) -> CaptureResult:
        c = {k.value: v for k, v in r.counts.items()}
        return cls(
            counts=CaptureCounts(
                captured=c["CAPTURED"],
                duplicate=c["DUPLICATE"],
                no_contact=c["NO_CONTACT"],
                cancelled=c["CANCELLED"],
                no_date=c["NO_DATE"],
            ),
            events=[CapturedEvent.of(o) for o in r.outcomes],
            unmatched=[UnmatchedAddressResult.of(u) for u in r.unmatched],
            interaction_ids=[strawberry.ID(i) for i in r.written],
            upcoming=r.upcoming,
            rep_id=None if r.rep_id is None else strawberry.ID(r.rep_id),
            write=WriteResult.of(r.summary),
        )


@strawberry.type
class CaptureMutations:
    @strawberry.mutation(
        description="§3.15 capture the meetings of an iCalendar export (Outlook or Google) "
        "held between since (default: 90 days before until) and until (default: now) as "
        "interactions, matched by e-mail address to the contacts you may see; repId: whose "
        "calendar it is (a REP: themselves). Capturing it again changes nothing."
    )
    async def capture_calendar(
        self,
        info: Info,
        ics: str,
        rep_id: strawberry.ID | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> CaptureResult:
        ctx = info.context
        result = await ctx.run(
            capture_calendar,
            ctx.scope,
            ics,
            rep_id=None if rep_id is None else str(rep_id),
            window=(since, until),
        )
        ctx.forget()
        return CaptureResult.of(result)
