"""What-if (§3.12): the inputs of hypothetical changes and the before/after result."""

from __future__ import annotations

import strawberry
from pydantic import TypeAdapter, ValidationError

from stakegraph.gql.analytics import AccountAnalysisView
from stakegraph.gql.scalars import Stance
from stakegraph.influence import models as m
from stakegraph.service.errors import BadInput, from_validation_error

__all__ = ["WhatIfChange", "WhatIfResult", "to_changes"]


@strawberry.type(description="§3.12 what-if: every analytic before and after; nothing written.")
class WhatIfResult:
    before: AccountAnalysisView
    after: AccountAnalysisView


@strawberry.input
class ContactLeavesInput:
    contact_id: strawberry.ID


@strawberry.input
class StanceBecomesInput:
    contact_id: strawberry.ID
    stance: Stance
    opportunity_id: strawberry.ID | None = None


@strawberry.input
class LevelBecomesInput:
    rep_id: strawberry.ID
    contact_id: strawberry.ID
    level: int


@strawberry.input
class InfluenceTieAppearsInput:
    from_contact_id: strawberry.ID
    to_contact_id: strawberry.ID
    strength: int = 1


@strawberry.input(one_of=True, description="One hypothetical change (set exactly one field).")
class WhatIfChange:
    contact_leaves: ContactLeavesInput | None = strawberry.UNSET
    stance_becomes: StanceBecomesInput | None = strawberry.UNSET
    level_becomes: LevelBecomesInput | None = strawberry.UNSET
    influence_tie_appears: InfluenceTieAppearsInput | None = strawberry.UNSET


_CHANGE: TypeAdapter[m.Change] = TypeAdapter(m.Change)


def _to_change(c: WhatIfChange, i: int) -> m.Change:
    chosen = [
        (kind, value)
        for kind, value in (
            ("contact_leaves", c.contact_leaves),
            ("stance_becomes", c.stance_becomes),
            ("level_becomes", c.level_becomes),
            ("influence_tie_appears", c.influence_tie_appears),
        )
        if value
    ]
    if len(chosen) != 1:
        raise BadInput("set exactly one kind of change", field=f"changes[{i}]")
    kind, value = chosen[0]
    raw = {k: v for k, v in vars(value).items() if v is not None}
    try:
        return _CHANGE.validate_python({"kind": kind, **raw})
    except ValidationError as exc:
        raise from_validation_error(exc, f"changes[{i}].{kind}") from exc


def to_changes(changes: list[WhatIfChange]) -> list[m.Change]:
    """The domain's change models of the GraphQL inputs."""
    return [_to_change(c, i) for i, c in enumerate(changes)]
