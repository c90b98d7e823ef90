"""Enums and scalars of the schema: the domain's enums, exposed under their own names."""

from __future__ import annotations

from enum import Enum

import strawberry
import strawberry.scalars

from stakegraph.graph.model import (
    ContactStatus,
    CoverKind,
    DecisionRole,
    DepartmentFunction,
    InfluenceRating,
    InteractionKind,
    InteractionPurpose,
    OpportunityStatus,
    Seniority,
    Stage,
    Stance,
    TeamKind,
    Tier,
)
from stakegraph.influence.models import (
    DataGapKind,
    DealWarningCode,
    FindingKind,
    HealthSignalCode,
    HealthStatus,
    HoleKind,
    PotentialBand,
    RelationshipGradeLevel,
    RepGradeLevel,
    RoleStatus,
    TimelineStep,
    Verdict,
)

__all__ = [
    "JSON",
    "AccountSortField",
    "ContactStatus",
    "CoverKind",
    "DataGapKind",
    "DealWarningCode",
    "DecisionRole",
    "DepartmentFunction",
    "FindingKind",
    "HealthSignalCode",
    "HealthStatus",
    "HoleKind",
    "InfluenceRating",
    "InteractionKind",
    "InteractionPurpose",
    "MapView",
    "OpportunityStatus",
    "PotentialBand",
    "RelationshipGradeLevel",
    "RepGradeLevel",
    "RoleStatus",
    "Seniority",
    "SortDirection",
    "Stage",
    "Stance",
    "TeamKind",
    "TieType",
    "Tier",
    "TimelineStep",
    "Verdict",
]

# The domain's enums, registered with strawberry under their own names (in place).
for _enum in (
    Tier,
    DepartmentFunction,
    Seniority,
    InfluenceRating,
    Stance,
    ContactStatus,
    Stage,
    OpportunityStatus,
    TeamKind,
    InteractionKind,
    InteractionPurpose,
    DecisionRole,
    CoverKind,
    RelationshipGradeLevel,
    RepGradeLevel,
    RoleStatus,
    HoleKind,
    Verdict,
    PotentialBand,
    HealthStatus,
    HealthSignalCode,
    FindingKind,
    DataGapKind,
    DealWarningCode,
    TimelineStep,
):
    strawberry.enum(_enum)


@strawberry.enum(description="Contact-to-contact ties a caller may link and unlink.")
class TieType(Enum):
    REPORTS_TO = "REPORTS_TO"
    INFLUENCES = "INFLUENCES"
    ALLY_OF = "ALLY_OF"
    RIVAL_OF = "RIVAL_OF"


@strawberry.enum(description="Views of the embeddable map widget.")
class MapView(Enum):
    ORG = "org"
    POLITICAL = "political"


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.enum
class AccountSortField(Enum):
    ID = "ID"
    NAME = "NAME"
    TIER = "TIER"
    GRADE_SCORE = "GRADE_SCORE"
    POTENTIAL_SCORE = "POTENTIAL_SCORE"


JSON = strawberry.scalars.JSON
