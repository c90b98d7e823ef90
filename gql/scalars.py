"""Enums and scalars of the schema: the domain's enums, exposed under their own names."""

from __future__ import annotations

from enum import Enum

import strawberry
import strawberry.scalars

from stakegraph.graph import model as m
from stakegraph.influence import models as r

__all__ = [
    "JSON",
    "AccountSortField",
    "ContactStatus",
    "CoverKind",
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
    "Verdict",
]

Tier = strawberry.enum(m.Tier, name="Tier")
DepartmentFunction = strawberry.enum(m.DepartmentFunction, name="DepartmentFunction")
Seniority = strawberry.enum(m.Seniority, name="Seniority")
InfluenceRating = strawberry.enum(m.InfluenceRating, name="InfluenceRating")
Stance = strawberry.enum(m.Stance, name="Stance")
ContactStatus = strawberry.enum(m.ContactStatus, name="ContactStatus")
Stage = strawberry.enum(m.Stage, name="Stage")
OpportunityStatus = strawberry.enum(m.OpportunityStatus, name="OpportunityStatus")
TeamKind = strawberry.enum(m.TeamKind, name="TeamKind")
InteractionKind = strawberry.enum(m.InteractionKind, name="InteractionKind")
InteractionPurpose = strawberry.enum(m.InteractionPurpose, name="InteractionPurpose")
DecisionRole = strawberry.enum(m.DecisionRole, name="DecisionRole")
CoverKind = strawberry.enum(m.CoverKind, name="CoverKind")

RelationshipGradeLevel = strawberry.enum(r.RelationshipGradeLevel, name="RelationshipGradeLevel")
RepGradeLevel = strawberry.enum(r.RepGradeLevel, name="RepGradeLevel")
RoleStatus = strawberry.enum(r.RoleStatus, name="RoleStatus")
HoleKind = strawberry.enum(r.HoleKind, name="HoleKind")
Verdict = strawberry.enum(r.Verdict, name="Verdict")
PotentialBand = strawberry.enum(r.PotentialBand, name="PotentialBand")
HealthStatus = strawberry.enum(r.HealthStatus, name="HealthStatus")
HealthSignalCode = strawberry.enum(r.HealthSignalCode, name="HealthSignalCode")
FindingKind = strawberry.enum(r.FindingKind, name="FindingKind")


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
