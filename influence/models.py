"""Result models of the analytics (docs/analytics.md §3), shared by GraphQL and the reports.

Every model is a frozen pydantic model; contacts, departments, opportunities, reps and
companies are named by their ``id`` (not by their subgraph node key), except in
:class:`PathStep`, whose ends are node keys (``"Rep:r1"``, ``"Contact:c7"``).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from stakegraph.graph.model import ChangeEvent, DecisionRole, Seniority, Stance

__all__ = [
    "AccountAnalysis",
    "AccountChanges",
    "AccountSnapshot",
    "Balance",
    "BranchWhitespace",
    "Broker",
    "Change",
    "ContactInfluence",
    "ContactLeaves",
    "Coverage",
    "DataGap",
    "DataGapKind",
    "DealWarning",
    "DealWarningCode",
    "DriftAlert",
    "Finding",
    "FindingKind",
    "Health",
    "HealthSignal",
    "HealthSignalCode",
    "HealthStatus",
    "Hole",
    "HoleKind",
    "InfluenceResult",
    "InfluenceTieAppears",
    "KdmCoverage",
    "KeyDepartmentStatus",
    "LevelBecomes",
    "LevelSuggestion",
    "Message",
    "NextBestContact",
    "ParamValue",
    "Path",
    "PathStep",
    "PlanGapItem",
    "Potential",
    "PotentialBand",
    "ProgrammeFlag",
    "RelationshipGrade",
    "RelationshipGradeLevel",
    "RepGrade",
    "RepGradeLevel",
    "RoleCoverage",
    "RoleStatus",
    "StanceBecomes",
    "Suggestion",
    "SwingContact",
    "Timeline",
    "TimelinePoint",
    "TimelineStep",
    "Verdict",
    "WhatIfResult",
    "WhitespaceItem",
]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


#: A parameter of a :class:`Message`: enum values travel as their string value.
ParamValue = str | int | float | bool | None


class Message(_Result):
    """A text as a code of :mod:`stakegraph.influence.messages` and its parameters."""

    code: str
    params: dict[str, ParamValue] = Field(default_factory=dict)


def _code_field() -> Any:
    return Field(default=None, description="the text's code (stakegraph.influence.messages)")


def _params_field() -> Any:
    return Field(default_factory=dict, description="the parameters of the text's code")


# ------------------------------------------------------------------------ enums


class RelationshipGradeLevel(StrEnum):
    """客户关系等级 (§3.7), lowest first; :attr:`rank` orders them."""

    NONE = "NONE"
    BASIC = "BASIC"
    INTERMEDIATE = "INTERMEDIATE"
    STRONG = "STRONG"

    @property
    def rank(self) -> int:
        return list(RelationshipGradeLevel).index(self)


class RepGradeLevel(StrEnum):
    """大客户销售分级 (§3.8), lowest first; :attr:`rank` orders them."""

    NOVICE = "NOVICE"
    JUNIOR = "JUNIOR"
    INTERMEDIATE = "INTERMEDIATE"
    SENIOR = "SENIOR"
    TOP = "TOP"

    @property
    def rank(self) -> int:
        return list(RepGradeLevel).index(self)


class RoleStatus(StrEnum):
    """Coverage of one required role (§3.5)."""

    MISSING = "MISSING"
    UNCOVERED = "UNCOVERED"
    COVERED = "COVERED"


class HoleKind(StrEnum):
    ROLE_MISSING = "ROLE_MISSING"
    ROLE_UNCOVERED = "ROLE_UNCOVERED"
    DEPARTMENT_UNCOVERED = "DEPARTMENT_UNCOVERED"


class Verdict(StrEnum):
    """支持/反对力量对比 verdict (§3.6)."""

    FAVORABLE = "FAVORABLE"
    CONTESTED = "CONTESTED"
    UNFAVORABLE = "UNFAVORABLE"


class PotentialBand(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class HealthStatus(StrEnum):
    GREEN = "GREEN"
    YELLOW = "YELLOW"
    RED = "RED"


class HealthSignalCode(StrEnum):
    """Health signals of §3.9: five graph-derived, five from account metrics."""

    KDM_LEFT = "KDM_LEFT"
    CHAMPION_LOST = "CHAMPION_LOST"
    STANCE_DROP = "STANCE_DROP"
    NO_EXEC_TOUCH = "NO_EXEC_TOUCH"
    STALE_MAP = "STALE_MAP"
    USAGE_DROP = "USAGE_DROP"
    TICKET_SPIKE = "TICKET_SPIKE"
    NEGATIVE_FEEDBACK = "NEGATIVE_FEEDBACK"
    PAYMENT_LATE = "PAYMENT_LATE"
    NO_RENEWAL_INTENT = "NO_RENEWAL_INTENT"


class DataGapKind(StrEnum):
    """What an analysis could not know (§3.14), one code per kind of missing record."""

    NO_SENIORITY = "NO_SENIORITY"
    UNKNOWN_KDM_STANCE = "UNKNOWN_KDM_STANCE"
    ROLE_UNFILLED = "ROLE_UNFILLED"
    NO_ICP_SCORE = "NO_ICP_SCORE"
    NEVER_VERIFIED_NOR_MET = "NEVER_VERIFIED_NOR_MET"


class DealWarningCode(StrEnum):
    """Warnings on one OPEN opportunity (§3.16)."""

    SINGLE_THREADED = "SINGLE_THREADED"
    NO_POWER = "NO_POWER"
    NOT_ENOUGH_CONTACTS = "NOT_ENOUGH_CONTACTS"
    GONE_COLD = "GONE_COLD"
    CHAMPION_UNTESTED = "CHAMPION_UNTESTED"


class FindingKind(StrEnum):
    """Coverage-model findings (客户覆盖模型, §3.10)."""

    UNOWNED = "UNOWNED"
    CONFLICT = "CONFLICT"
    MISROUTED = "MISROUTED"
    OVERLOADED = "OVERLOADED"


# -------------------------------------------------------------------- §3.4 influence


class ContactInfluence(_Result):
    """Influence of one active contact of the account (§3.4)."""

    contact_id: str
    name: str
    seniority: Seniority | None = None
    score: float = Field(
        ge=0.0, description="influence = 0.5·pagerank_n + 0.3·authority + 0.2·rating"
    )
    pagerank: float = Field(ge=0.0, description="raw personalised PageRank")
    pagerank_n: float = Field(ge=0.0, description="pagerank / max pagerank, in [0, 1]")
    authority: float
    rating: float
    betweenness: float = Field(ge=0.0, description="normalised, undirected, unweighted")
    hidden: bool = Field(description="hidden influencer: score >= 0.5 at MANAGER/STAFF")


class Broker(_Result):
    """A contact bridging the account's camps: betweenness >= 0.2 (§3.4)."""

    contact_id: str
    name: str
    betweenness: float = Field(ge=0.0)
    score: float = Field(description="the contact's influence")


class InfluenceResult(_Result):
    """Influence of every active contact, most influential first (ties by id)."""

    contacts: list[ContactInfluence] = Field(default_factory=list)
    brokers: list[Broker] = Field(
        default_factory=list, description="betweenness >= 0.2, highest first, at most 5"
    )

    _by_id: dict[str, ContactInfluence] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        self._by_id = {c.contact_id: c for c in self.contacts}

    def get(self, contact_id: str) -> ContactInfluence | None:
        """The entry of one contact, or ``None`` when it takes no part."""
        return self._by_id.get(contact_id)

    def score_of(self, contact_id: str) -> float:
        """Influence score of one contact; 0.0 when it takes no part."""
        entry = self.get(contact_id)
        return 0.0 if entry is None else entry.score

    def scores(self) -> dict[str, float]:
        """``{contact_id: score}``."""
        return {c.contact_id: c.score for c in self.contacts}

    @property
    def hidden_influencers(self) -> list[ContactInfluence]:
        return [c for c in self.contacts if c.hidden]


# ------------------------------------------------------------------------ §3.11 paths


class PathStep(_Result):
    """One hop of a path: node keys of both ends, the tie followed and its p."""

    from_key: str
    to_key: str
    type: str = Field(description="KNOWS, INFLUENCES, REPORTS_TO or ALLY_OF")
    probability: float = Field(gt=0.0, le=1.0)


class Path(_Result):
    """A path to power (找到关键人, §3.11): from one of our reps to the target."""

    rep_id: str
    target_id: str
    probability: float = Field(gt=0.0, le=1.0, description="product of the steps' p")
    cost: float = Field(ge=0.0, description="Σ −ln p")
    steps: list[PathStep]

    @property
    def node_keys(self) -> list[str]:
        return [self.steps[0].from_key, *(s.to_key for s in self.steps)]


# ---------------------------------------------------------------- §3.5 coverage


class Suggestion(_Result):
    """A contact suggested to close a hole, with our best path to it (if any)."""

    contact_id: str
    name: str
    score: float = Field(description="the contact's influence")
    probability: float | None = Field(default=None, description="of the best path")
    path: Path | None = None


class RoleCoverage(_Result):
    role: DecisionRole
    status: RoleStatus
    at_risk: bool = Field(description="COVERED, but the most influential holder has stance < 0")
    holder_ids: list[str] = Field(default_factory=list)
    influenced_holder_ids: list[str] = Field(default_factory=list)
    top_holder_id: str | None = Field(default=None, description="the most influential holder")


class Hole(_Result):
    kind: HoleKind
    role: DecisionRole | None = None
    department_id: str | None = None
    reason: str
    code: str | None = _code_field()
    params: dict[str, ParamValue] = _params_field()
    suggestions: list[Suggestion] = Field(default_factory=list)


class Coverage(_Result):
    """Decision-chain coverage (覆盖, §3.5) of one opportunity, or of the account."""

    opportunity_id: str | None = Field(default=None, description="None: the account's chain")
    ratio: float = Field(ge=0.0, le=1.0)
    weighted_ratio: float = Field(ge=0.0, le=1.0)
    roles: list[RoleCoverage]
    holes: list[Hole]
    chain_contact_ids: list[str] = Field(default_factory=list)


# ------------------------------------------------------------------ §3.6 balance


class SwingContact(_Result):
    contact_id: str
    name: str
    stance: Stance
    score: float


class Balance(_Result):
    """Supporter / opponent balance (支持/反对力量对比, §3.6)."""

    opportunity_id: str | None = None
    value: float | None = Field(default=None, ge=-1.0, le=1.0)
    verdict: Verdict | None = None
    supporters: int = 0
    opponents: int = 0
    supporter_influence: float = 0.0
    opponent_influence: float = 0.0
    known: int = Field(default=0, description="contacts with a known stance")
    swing: list[SwingContact] = Field(default_factory=list)


# ------------------------------------------------------------------- §3.7 / §3.8


class KeyDepartmentStatus(_Result):
    department_id: str
    name: str
    kdm_ids: list[str]
    influenced_kdm_ids: list[str]
    required: int = Field(description="⌈0.8·n⌉ KDMs to influence for STRONG")
    influenced_contact_ids: list[str] = Field(description="active members we can influence")


class RelationshipGrade(_Result):
    """客户关系等级 of an account and its 0–100 ranking score (§3.7)."""

    grade: RelationshipGradeLevel
    score: float = Field(ge=0.0, le=100.0)
    f_kdm: float = Field(ge=0.0, le=1.0)
    f_dept: float = Field(ge=0.0, le=1.0)
    balance: float = Field(ge=-1.0, le=1.0, description="balance used (null → 0)")
    ratio: float = Field(ge=0.0, le=1.0)
    kdm_ids: list[str]
    influenced_kdm_ids: list[str]
    opposing_kdm_ids: list[str] = Field(description="KDMs with stance < 0")
    key_departments: list[KeyDepartmentStatus]


class RepGrade(_Result):
    """大客户销售分级 of one rep (§3.8)."""

    rep_id: str | None = None
    grade: RepGradeLevel
    basic: int
    intermediate: int
    strong: int
    industry_expert: bool
    account_ids: list[str] = Field(description="the owned STRATEGIC/KEY accounts counted")


# -------------------------------------------------------------------- §3.9


class Potential(_Result):
    """ICP 潜力评分 (§3.9); score and band are null when a score is missing."""

    score: float | None = None
    band: PotentialBand | None = None
    missing: list[str] = Field(default_factory=list)


class HealthSignal(_Result):
    code: HealthSignalCode
    evidence: str
    evidence_code: str | None = _code_field()
    evidence_params: dict[str, ParamValue] = _params_field()
    evidence_items: list[Message] = Field(
        default_factory=list, description="the items a head code joins (one per contact)"
    )
    contact_ids: list[str] = Field(default_factory=list)


class Health(_Result):
    status: HealthStatus
    signals: list[HealthSignal] = Field(default_factory=list)

    @property
    def codes(self) -> list[HealthSignalCode]:
        return [s.code for s in self.signals]


# ------------------------------------------------------------------- §3.14


class DataGap(_Result):
    """One thing an analysis could not know, with the record it concerns (§3.14).

    A code and ids, no text, so each entry point renders it in its own words:

    * ``NO_SENIORITY`` — ``contact_id`` (counted as STAFF);
    * ``UNKNOWN_KDM_STANCE`` — ``contact_id`` of a KDM whose stance is UNKNOWN;
    * ``ROLE_UNFILLED`` — ``opportunity_id`` and ``role``: a required role nobody holds
      in that OPEN opportunity;
    * ``NO_ICP_SCORE`` — ``company_id`` and the missing score ``fields``;
    * ``NEVER_VERIFIED_NOR_MET`` — ``contact_id`` of a contact never verified nor met.
    """

    kind: DataGapKind
    contact_id: str | None = None
    company_id: str | None = None
    opportunity_id: str | None = None
    role: DecisionRole | None = None
    fields: list[str] = Field(default_factory=list)


# ------------------------------------------------------------------- §3.15


class LevelSuggestion(_Result):
    """A KNOWS level suggested by captured activity (§3.15); never applied by itself."""

    rep_id: str
    contact_id: str
    current_level: int | None = Field(description="the KNOWS level now; None: no tie")
    suggested_level: int = Field(ge=0, le=4)
    interactions: int = Field(description="interactions both attended in the window")
    visits_or_meetings: int = Field(description="of which VISIT or MEETING")
    last_at: date = Field(description="UTC date of the latest of them")
    interaction_ids: list[str] = Field(default_factory=list)


# ------------------------------------------------------------------- §3.16


class DealWarning(_Result):
    """A warning on one OPEN opportunity, with its evidence (§3.16)."""

    opportunity_id: str
    code: DealWarningCode
    evidence: str
    evidence_code: str | None = _code_field()
    evidence_params: dict[str, ParamValue] = _params_field()
    contact_ids: list[str] = Field(default_factory=list, description="the contacts concerned")


# ------------------------------------------------------------------- §3.10


class Finding(_Result):
    kind: FindingKind
    company_id: str | None = None
    rep_id: str | None = None
    detail: str
    code: str | None = _code_field()
    params: dict[str, ParamValue] = _params_field()
    owner_keys: list[str] = Field(
        default_factory=list, description="node keys of the owners concerned"
    )
    sides: list[list[str]] = Field(
        default_factory=list,
        description="CONFLICT: the owning sides (a team and its member reps are one side)",
    )


# -------------------------------------------------------------- account bundle


class AccountAnalysis(_Result):
    """Every per-account analytic, computed once (``analyze_account``)."""

    company_id: str
    as_of: date
    opportunity_id: str | None = Field(default=None, description="the deal asked about, if any")
    effective_levels: dict[str, int] = Field(description="§3.2, every contact in the subgraph")
    influence: InfluenceResult
    coverage: Coverage = Field(description="the account's chain (open opportunities)")
    opportunity_coverage: list[Coverage] = Field(
        description="each open opportunity, or only the one asked about"
    )
    balance: Balance = Field(description="the account's chain, contact stances")
    opportunity_balance: list[Balance] = Field(description="per opportunity, HAS_ROLE overrides")
    grade: RelationshipGrade
    potential: Potential
    health: Health
    brokers: list[Broker] = Field(
        default_factory=list, description="§3.4: betweenness >= 0.2, highest first, at most 5"
    )
    data_gaps: list[DataGap] = Field(
        default_factory=list, description="§3.14: what the analysis could not know"
    )
    deal_warnings: list[DealWarning] = Field(
        default_factory=list,
        description="§3.16: per OPEN opportunity (only the one asked about, if any)",
    )


# ------------------------------------------------------------------- §3.12


class ContactLeaves(_Result):
    """The contact leaves (status becomes LEFT)."""

    kind: Literal["contact_leaves"] = "contact_leaves"
    contact_id: str


class StanceBecomes(_Result):
    """The contact's stance becomes X (for one opportunity when ``opportunity_id``)."""

    kind: Literal["stance_becomes"] = "stance_becomes"
    contact_id: str
    stance: Stance
    opportunity_id: str | None = None


class LevelBecomes(_Result):
    """A rep's KNOWS level to the contact becomes L, as of the analysis date."""

    kind: Literal["level_becomes"] = "level_becomes"
    rep_id: str
    contact_id: str
    level: int = Field(ge=0, le=4)


class InfluenceTieAppears(_Result):
    """``(from)-[:INFLUENCES {strength}]->(to)`` appears (or takes that strength)."""

    kind: Literal["influence_tie_appears"] = "influence_tie_appears"
    from_contact_id: str
    to_contact_id: str
    strength: int = Field(default=1, ge=1, le=3)


Change = Annotated[
    ContactLeaves | StanceBecomes | LevelBecomes | InfluenceTieAppears,
    Field(discriminator="kind"),
]


class WhatIfResult(_Result):
    changes: list[Change]
    before: AccountAnalysis
    after: AccountAnalysis


class NextBestContact(_Result):
    """The gain if our level with a contact became 2 (§3.12)."""

    contact_id: str
    name: str
    score: float = Field(description="the contact's influence")
    grade_before: RelationshipGradeLevel
    grade_after: RelationshipGradeLevel
    grade_gain: int
    score_gain: float = Field(description="relationship-grade score points gained")
    ratio_gain: float = Field(description="account coverage ratio gained")
    path: Path | None = None


# ------------------------------------------------------------------- §3.18


class PlanGapItem(_Result):
    """A relationship-plan target not met yet (§3.18): where we stand, whom to work on,
    the best path there and what meeting it would gain (as next best contacts, §3.12)."""

    target_id: str
    role: DecisionRole | None = Field(default=None, description="set for a role target")
    opportunity_id: str | None = None
    rep_id: str | None = Field(default=None, description="the owning rep")
    due: date | None = None
    overdue: bool = Field(description="due before the as-of date")
    target_level: int
    level: int = Field(
        description="effective level now (§3.2): of the contact, or the best of the holders"
    )
    contact_id: str | None = Field(
        default=None,
        description="the contact to work on: the target's, or the role holder closest to "
        "the level (none when nobody active holds the role)",
    )
    holder_ids: list[str] = Field(
        default_factory=list, description="role target: the active holders of the role"
    )
    grade_before: RelationshipGradeLevel
    grade_after: RelationshipGradeLevel
    grade_gain: int
    score_gain: float = Field(description="relationship-grade score points gained if met")
    ratio_gain: float = Field(description="account coverage ratio gained if met")
    path: Path | None = None


# ------------------------------------------------------------------- §3.13


class WhitespaceItem(_Result):
    """A branch with no opportunity for a product another branch won."""

    company_id: str
    product: str
    won_by: list[str] = Field(description="branches that won the product")
    won_on: dict[str, date | None] = Field(
        default_factory=dict,
        description="each of won_by: the close date of its latest win of the product",
    )


class KdmCoverage(_Result):
    company_id: str
    kdm_ids: list[str]
    influenced_kdm_ids: list[str]
    ratio: float | None = Field(default=None, description="null when there is no KDM")


class ProgrammeFlag(_Result):
    """Likely headquarters programme: ≥ 2 branches won a product within the window."""

    product: str
    branch_ids: list[str]
    first_won: date
    last_won: date
    headquarters_kdm_coverage: KdmCoverage


class BranchWhitespace(_Result):
    """总部-分公司 whitespace of one group (§3.13)."""

    headquarters_id: str
    branch_ids: list[str]
    items: list[WhitespaceItem]
    programmes: list[ProgrammeFlag]


# ------------------------------------------------------------------- §3.19


class TimelineStep(StrEnum):
    """How far apart the points of a timeline are (§3.19)."""

    MONTH = "MONTH"
    WEEK = "WEEK"


class AccountSnapshot(_Result):
    """The headline figures of an account at one moment (§3.19)."""

    at: date
    grade: RelationshipGradeLevel
    score: float = Field(ge=0.0, le=100.0)
    coverage_ratio: float = Field(ge=0.0, le=1.0)
    balance: float | None = Field(default=None, ge=-1.0, le=1.0)
    health: HealthStatus


class TimelinePoint(AccountSnapshot):
    """A point of the timeline, with the change events since the previous point."""

    events: list[ChangeEvent] = Field(
        default_factory=list, description="change events after the previous point, up to this one"
    )


class Timeline(_Result):
    """An account's figures at each step end of a period (§3.19)."""

    company_id: str
    start: date
    end: date
    every: TimelineStep
    points: list[TimelinePoint]


class DriftAlert(_Result):
    """An account whose grade fell or whose balance dropped over the drift window (§3.19)."""

    company_id: str
    before: AccountSnapshot
    after: AccountSnapshot
    grade_fell: bool
    balance_drop: float | None = Field(default=None, description="before − after, when both known")
    events: list[ChangeEvent] = Field(description="the change events within the window")


class AccountChanges(_Result):
    """What changed in an account since a date: the events, and the figures before and
    after (§3.19)."""

    company_id: str
    since: date
    events: list[ChangeEvent]
    before: AccountSnapshot
    after: AccountSnapshot
