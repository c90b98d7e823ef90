"""Every default of the analytics (docs/analytics.md §3), in one settings object.

:class:`AnalysisSettings` is a frozen pydantic model: change a default by building a
new object (``AnalysisSettings(pagerank_alpha=0.9)`` or
``DEFAULT_SETTINGS.model_copy(update={...})``); every function of ``influence`` takes
it as its ``settings`` keyword argument and defaults to :data:`DEFAULT_SETTINGS`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from stakegraph.graph.model import (
    DecisionRole,
    DepartmentFunction,
    InfluenceRating,
    InteractionKind,
    Seniority,
    TeamKind,
    Tier,
)

__all__ = ["DEFAULT_SETTINGS", "AnalysisSettings"]

_Fraction = Field(ge=0.0, le=1.0)


class AnalysisSettings(BaseModel):
    """Configurable defaults of docs/analytics.md §3; each default is exactly the documented one.

    Attributes are grouped by the section they serve. Day windows are whole days between
    UTC calendar dates; a window of ``n`` days includes day ``n`` (``d <= n``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    # ------------------------------------------------------------------ §3.2 levels
    decay_first_days: int = Field(
        default=180,
        ge=0,
        description="§3.2: a KNOWS level keeps its value while d <= this many days.",
    )
    decay_second_days: int = Field(
        default=365,
        ge=0,
        description="§3.2: level − 1 while d <= this many days; level − 2 beyond it.",
    )
    can_influence_level: int = Field(
        default=2,
        ge=0,
        le=4,
        description="§3.2: we can influence a contact whose effective level is at least this.",
    )
    max_level: int = Field(default=4, ge=1, description="§3.2/§3.11: the highest KNOWS level.")

    # ---------------------------------------------------------------- §3.3 chain
    required_roles: tuple[DecisionRole, ...] = Field(
        default=(
            DecisionRole.ECONOMIC_BUYER,
            DecisionRole.TECHNICAL_EVALUATOR,
            DecisionRole.FINANCIAL_CONTROLLER,
            DecisionRole.USER,
        ),
        min_length=1,
        description="§3.3/§3.5: the roles a decision chain must fill.",
    )
    kdm_roles: tuple[DecisionRole, ...] = Field(
        default=(
            DecisionRole.ECONOMIC_BUYER,
            DecisionRole.TECHNICAL_EVALUATOR,
            DecisionRole.FINANCIAL_CONTROLLER,
        ),
        description="§3.3: holding one of these in an OPEN opportunity makes a contact a KDM.",
    )

    # -------------------------------------------------------------- §3.4 influence
    pagerank_alpha: float = Field(default=0.85, gt=0.0, lt=1.0, description="§3.4: damping.")
    pagerank_tol: float = Field(
        default=1e-12, gt=0.0, description="Power-iteration tolerance (per node, L1)."
    )
    pagerank_max_iter: int = Field(default=1000, ge=1, description="Power-iteration cap.")
    reports_to_weight: float = Field(
        default=2.0, gt=0.0, description="§3.4: weight of a REPORTS_TO edge a→b."
    )
    authority_weights: dict[Seniority, float] = Field(
        default={
            Seniority.EXECUTIVE: 1.0,
            Seniority.VP: 0.8,
            Seniority.DIRECTOR: 0.6,
            Seniority.MANAGER: 0.4,
            Seniority.STAFF: 0.2,
        },
        description="§3.4: authority by seniority.",
    )
    unset_seniority: Seniority = Field(
        default=Seniority.STAFF,
        description=(
            "§3.4: a contact with no seniority counts as this one (authority, rating "
            "fallback, hidden influencer) and is listed as a data gap (§3.14)."
        ),
    )
    rating_weights: dict[InfluenceRating, float] = Field(
        default={
            InfluenceRating.HIGH: 1.0,
            InfluenceRating.MEDIUM: 0.6,
            InfluenceRating.LOW: 0.3,
        },
        description="§3.4: rating weight; an unset rating takes the authority value.",
    )
    influence_pagerank_weight: float = Field(
        default=0.5, ge=0.0, description="§3.4: weight of pagerank_n."
    )
    influence_authority_weight: float = Field(
        default=0.3, ge=0.0, description="§3.4: weight of authority."
    )
    influence_rating_weight: float = Field(
        default=0.2, ge=0.0, description="§3.4: weight of rating."
    )
    hidden_influencer_threshold: float = Field(
        default=0.5, ge=0.0, le=1.0, description="§3.4: influence at least this …"
    )
    hidden_influencer_seniorities: tuple[Seniority, ...] = Field(
        default=(Seniority.MANAGER, Seniority.STAFF),
        description="§3.4: … while seniority is one of these → hidden influencer.",
    )
    broker_threshold: float = Field(
        default=0.2,
        ge=0.0,
        le=1.0,
        description="§3.4: contacts with betweenness at least this are brokers.",
    )
    max_brokers: int = Field(default=5, ge=0, description="§3.4: at most this many brokers.")

    # -------------------------------------------------------------- §3.5 coverage
    max_suggestions: int = Field(
        default=3, ge=0, description="§3.5: suggested contacts per coverage hole."
    )
    role_department_functions: dict[DecisionRole, tuple[DepartmentFunction, ...]] = Field(
        default={
            DecisionRole.ECONOMIC_BUYER: (DepartmentFunction.EXECUTIVE,),
            DecisionRole.TECHNICAL_EVALUATOR: (DepartmentFunction.TECHNICAL,),
            DecisionRole.FINANCIAL_CONTROLLER: (DepartmentFunction.FINANCE_PROCUREMENT,),
            DecisionRole.USER: (DepartmentFunction.BUSINESS,),
        },
        description=(
            "§3.5 suggestions for a MISSING role: members of departments of these functions "
            "(the buying departments of KAM practice: 使用部门, 技术部门, 财务管控, 高层)."
        ),
    )
    role_candidate_seniorities: dict[DecisionRole, tuple[Seniority, ...]] = Field(
        default={DecisionRole.ECONOMIC_BUYER: (Seniority.EXECUTIVE, Seniority.VP)},
        description=(
            "§3.5 suggestions for a MISSING role: contacts of these seniorities anywhere "
            "(KAM practice: the economic buyer is usually a VP, the CEO or a unit head)."
        ),
    )

    # --------------------------------------------------------------- §3.6 balance
    verdict_threshold: float = Field(
        default=0.25,
        ge=0.0,
        le=1.0,
        description="§3.6: FAVORABLE when balance >= +t, UNFAVORABLE when <= −t.",
    )
    swing_threshold: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="§3.6: NEUTRAL/UNKNOWN contacts with influence >= this are swing.",
    )

    # ------------------------------------------------------------ §3.7 / §3.8 grades
    strong_kdm_fraction: float = Field(
        default=0.8,
        gt=0.0,
        le=1.0,
        description="§3.7: STRONG needs ⌈fraction·n⌉ of the n KDMs of each key department.",
    )
    score_kdm_weight: float = Field(default=0.35, ge=0.0, description="§3.7: weight of f_kdm.")
    score_department_weight: float = Field(
        default=0.25, ge=0.0, description="§3.7: weight of f_dept."
    )
    score_balance_weight: float = Field(
        default=0.25, ge=0.0, description="§3.7: weight of (balance+1)/2."
    )
    score_ratio_weight: float = Field(
        default=0.15, ge=0.0, description="§3.7: weight of the coverage ratio."
    )
    rep_grade_tiers: tuple[Tier, ...] = Field(
        default=(Tier.STRATEGIC, Tier.KEY),
        description="§3.8: only owned accounts of these tiers count.",
    )
    senior_min_basic: int = Field(default=9, ge=0, description="§3.8: SENIOR needs b >= this.")
    senior_min_intermediate: int = Field(
        default=4, ge=0, description="§3.8: SENIOR needs m >= this."
    )
    senior_min_strong: int = Field(default=1, ge=0, description="§3.8: SENIOR needs s >= this.")
    intermediate_min_basic: int = Field(
        default=8, ge=0, description="§3.8: INTERMEDIATE needs b >= this."
    )
    intermediate_min_intermediate: int = Field(
        default=3, ge=0, description="§3.8: INTERMEDIATE needs m >= this."
    )
    junior_min_basic: int = Field(default=1, ge=0, description="§3.8: JUNIOR needs b >= this.")

    # -------------------------------------------------------------- §3.9 potential
    potential_strategic_fit_weight: float = Field(default=0.3, ge=0.0, description="§3.9.")
    potential_profit_potential_weight: float = Field(default=0.3, ge=0.0, description="§3.9.")
    potential_stability_weight: float = Field(default=0.2, ge=0.0, description="§3.9.")
    potential_market_influence_weight: float = Field(default=0.2, ge=0.0, description="§3.9.")
    potential_band_a: float = Field(default=4.0, description="§3.9: band A when score >= this.")
    potential_band_b: float = Field(default=3.0, description="§3.9: band B when score >= this.")

    # ----------------------------------------------------------------- §3.9 health
    health_recent_days: int = Field(
        default=90,
        ge=0,
        description="§3.9: window of KDM_LEFT, CHAMPION_LOST, STANCE_DROP, NO_EXEC_TOUCH.",
    )
    health_stale_days: int = Field(
        default=180, ge=0, description="§3.9: STALE_MAP window (verified or met)."
    )
    stale_map_fraction: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="§3.9: STALE_MAP when more than this share of active contacts is stale.",
    )
    stance_drop_steps: int = Field(
        default=2, ge=1, description="§3.9: STANCE_DROP when a KDM's stance fell this much."
    )
    usage_drop_fraction: float = Field(
        default=0.20,
        ge=0.0,
        le=1.0,
        description="§3.9: USAGE_DROP when usage is down at least this share of the prior.",
    )
    ticket_spike_factor: float = Field(
        default=2.0, gt=0.0, description="§3.9: TICKET_SPIKE when tickets >= factor × prior."
    )
    negative_feedback_min: int = Field(
        default=2, ge=1, description="§3.9: NEGATIVE_FEEDBACK at this many feedbacks in 90 days."
    )
    overdue_invoices_min: int = Field(
        default=1, ge=1, description="§3.9: PAYMENT_LATE at this many overdue invoices."
    )
    red_signal_count: int = Field(
        default=3, ge=1, description="§3.9: RED with at least this many signals."
    )
    red_signal_combination: tuple[str, ...] = Field(
        default=("USAGE_DROP", "KDM_LEFT"),
        description="§3.9: RED when all of these signals are present.",
    )

    # ------------------------------------------------------- §3.10 coverage model
    major_owner_team_kinds: tuple[TeamKind, ...] = Field(
        default=(TeamKind.STRATEGIC, TeamKind.KEY_ACCOUNT, TeamKind.GOVERNMENT),
        description="§3.10: the owner rep of a STRATEGIC/KEY account belongs to one of these.",
    )
    smb_owner_team_kinds: tuple[TeamKind, ...] = Field(
        default=(TeamKind.REGIONAL,),
        description="§3.10: an SMB account is owned by a team (or its rep) of these kinds.",
    )
    max_key_accounts_per_rep: int = Field(
        default=10, ge=0, description="§3.10: OVERLOADED above this many owned KEY accounts."
    )
    max_strategic_accounts_per_rep: int = Field(
        default=1, ge=0, description="§3.10: OVERLOADED above this many owned STRATEGIC accounts."
    )

    # ---------------------------------------------------------------- §3.11 paths
    path_ally_probability: float = Field(
        default=0.6, gt=0.0, le=1.0, description="§3.11: p of an ALLY_OF step (either way)."
    )
    path_reports_to_probability: float = Field(
        default=0.5, gt=0.0, le=1.0, description="§3.11: p of a REPORTS_TO step (either way)."
    )
    path_max_strength: int = Field(
        default=3, ge=1, description="§3.11: an INFLUENCES step has p = strength / this."
    )
    path_k: int = Field(default=3, ge=1, description="§3.11: how many cheapest paths.")
    max_path_edges: int = Field(
        default=6,
        ge=1,
        description="§3.11: a path has at most this many edges in all (the rep's KNOWS included).",
    )

    # -------------------------------------------------------------- §3.13 whitespace
    programme_window_months: int = Field(
        default=12,
        ge=0,
        description=(
            "§3.13: two branch wins of a product within this many calendar months of each "
            "other flag a likely headquarters programme (the later close date no later than "
            "the same day that many months after the earlier, or that month's last day)."
        ),
    )

    # --------------------------------------------------- §3.15 activity suggestions
    suggestion_window_days: int = Field(
        default=180,
        ge=0,
        description="§3.15: interactions within this many days count for a suggestion.",
    )
    acquainted_min_interactions: int = Field(
        default=1,
        ge=1,
        description="§3.15: this many interactions and no KNOWS tie → suggest acquainted_level.",
    )
    acquainted_level: int = Field(default=1, ge=0, le=4, description="§3.15: level 1.")
    engaged_min_meetings: int = Field(
        default=3,
        ge=1,
        description="§3.15: this many VISIT/MEETING interactions, level below engaged_level → "
        "suggest engaged_level.",
    )
    engaged_level: int = Field(default=2, ge=0, le=4, description="§3.15: level 2.")
    engaged_kinds: tuple[InteractionKind, ...] = Field(
        default=(InteractionKind.VISIT, InteractionKind.MEETING),
        description="§3.15: the interaction kinds counted towards engaged_level.",
    )

    # ------------------------------------------------------- §3.16 deal warnings
    single_threaded_max: int = Field(
        default=1,
        ge=0,
        description="§3.16: SINGLE_THREADED when we can influence at most this many chain contacts.",
    )
    power_roles: tuple[DecisionRole, ...] = Field(
        default=(DecisionRole.ECONOMIC_BUYER,),
        description="§3.16: NO_POWER when we can influence no holder of these roles.",
    )
    min_chain_contacts: int = Field(
        default=3,
        ge=0,
        description="§3.16: NOT_ENOUGH_CONTACTS with fewer active chain contacts than this.",
    )
    gone_cold_days: int = Field(
        default=30,
        ge=0,
        description="§3.16: GONE_COLD without an interaction with a chain contact in this many days.",
    )
    champion_tested_level: int = Field(
        default=3,
        ge=0,
        le=4,
        description="§3.16: CHAMPION_UNTESTED without a CHAMPION of the chain at this level.",
    )

    # ------------------------------------------------------------- §3.17 history
    replay_history: bool = Field(
        default=True,
        description="§3.17: an as-of date in the past analyses the account as it was then "
        "(change events after it undone, later records and interactions left out); "
        "false: today's records with the recency windows measured to that date.",
    )

    # ------------------------------------------------------------- §3.19 timeline
    timeline_max_points: int = Field(
        default=120,
        ge=1,
        description="§3.19: the most points one timeline computes (a longer period is refused).",
    )
    drift_window_days: int = Field(
        default=90,
        ge=1,
        description="§3.19: drift alerts compare the account now with this many days ago.",
    )
    drift_balance_drop: float = Field(
        default=0.25,
        gt=0.0,
        le=2.0,
        description="§3.19: a drift alert when the balance dropped by at least this much.",
    )

    @model_validator(mode="after")
    def _check(self) -> AnalysisSettings:
        if self.decay_second_days < self.decay_first_days:
            raise ValueError("decay_second_days must be >= decay_first_days")
        if self.potential_band_b > self.potential_band_a:
            raise ValueError("potential_band_b must be <= potential_band_a")
        return self


#: The contract's defaults (docs/analytics.md §3).
DEFAULT_SETTINGS = AnalysisSettings()
