"""Stakeholder analytics of stakegraph (docs/analytics.md §3): pure functions over account subgraphs.

One module per family of analytics, each a plain function of a
``networkx.MultiDiGraph`` (the account-subgraph convention of :mod:`stakegraph.graph.model`) plus
keyword arguments, returning the pydantic results of :mod:`stakegraph.influence.models`; every
default lives in :class:`~stakegraph.influence.settings.AnalysisSettings`.

========================  ====================================================  ======
module                    functions                                             §
========================  ====================================================  ======
``levels``                stance_of, stance_value, effective_level(s),          3.1–3.2
                          can_influence
``chain``                 decision_chain, key_decision_makers, key_departments  3.3
``index``                 account_index (the per-call structure of an account)  3.3
``score``                 influence_scores, brokers, betweenness                3.4
``coverage``              decision_chain_coverage                               3.5
``balance``               supporter_balance                                     3.6
``grade``                 relationship_grade, rep_grade, rep_grades             3.7–3.8
``health``                account_potential, account_health                     3.9
``gaps``                  data_gaps                                             3.14
``coverage_model``        coverage_model_findings                               3.10
``paths``                 paths_to_power, best_paths, best_path_probabilities   3.11
``whatif``                what_if, apply_changes, next_best_contacts            3.12
``whitespace``            branch_whitespace                                     3.13
``suggestions``           level_suggestions                                     3.15
``warnings``              deal_warnings, opportunity_warnings                   3.16
``history``               graph_as_of, state_as_of (the account as it was)      3.17
``timeline``              account_timeline, drift_alert, account_changes        3.19
``analysis``              analyze_account (all of 3.2–3.9, 3.14, 3.16 at once)
========================  ====================================================  ======
"""

from stakegraph.influence.analysis import analyze_account
from stakegraph.influence.balance import balance_contacts, supporter_balance, verdict
from stakegraph.influence.chain import (
    account_contacts,
    account_departments,
    account_opportunities,
    chain_contacts,
    decision_chain,
    department_membership,
    key_decision_makers,
    key_departments,
    open_opportunities,
)
from stakegraph.influence.coverage import decision_chain_coverage, role_candidates
from stakegraph.influence.coverage_model import (
    coverage_model_findings,
    default_owners,
    owned_accounts,
    owners,
    owning_sides,
)
from stakegraph.influence.gaps import data_gaps
from stakegraph.influence.grade import relationship_grade, rep_grade, rep_grades
from stakegraph.influence.health import account_health, account_potential, health_status
from stakegraph.influence.history import graph_as_of, state_as_of
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.levels import (
    can_influence,
    days_since,
    decayed_level,
    effective_level,
    effective_levels,
    influenced,
    knows_levels,
    stance_of,
    stance_value,
)
from stakegraph.influence.models import (
    AccountAnalysis,
    Balance,
    BranchWhitespace,
    Broker,
    Change,
    ContactInfluence,
    ContactLeaves,
    Coverage,
    DataGap,
    DataGapKind,
    DealWarning,
    DealWarningCode,
    Finding,
    FindingKind,
    Health,
    HealthSignal,
    HealthSignalCode,
    HealthStatus,
    Hole,
    HoleKind,
    InfluenceResult,
    InfluenceTieAppears,
    KdmCoverage,
    KeyDepartmentStatus,
    LevelBecomes,
    LevelSuggestion,
    NextBestContact,
    Path,
    PathStep,
    Potential,
    PotentialBand,
    ProgrammeFlag,
    RelationshipGrade,
    RelationshipGradeLevel,
    RepGrade,
    RepGradeLevel,
    RoleCoverage,
    RoleStatus,
    StanceBecomes,
    Suggestion,
    SwingContact,
    Verdict,
    WhatIfResult,
    WhitespaceItem,
)
from stakegraph.influence.paths import (
    best_path_probabilities,
    best_paths,
    paths_to_power,
    power_graph,
)
from stakegraph.influence.score import betweenness, brokers, influence_graph, influence_scores
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings
from stakegraph.influence.suggestions import level_suggestions
from stakegraph.influence.timeline import (
    account_changes,
    account_timeline,
    drift_alert,
    snapshot_at,
    step_ends,
)
from stakegraph.influence.warnings import deal_warnings, opportunity_warnings
from stakegraph.influence.whatif import apply_changes, next_best_contacts, what_if
from stakegraph.influence.whitespace import (
    add_months,
    branch_whitespace,
    group_companies,
    kdm_coverage,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "AccountAnalysis",
    "AccountIndex",
    "AnalysisSettings",
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
    "NextBestContact",
    "Path",
    "PathStep",
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
    "Verdict",
    "WhatIfResult",
    "WhitespaceItem",
    "account_changes",
    "account_contacts",
    "account_departments",
    "account_health",
    "account_index",
    "account_opportunities",
    "account_potential",
    "account_timeline",
    "add_months",
    "analyze_account",
    "apply_changes",
    "balance_contacts",
    "best_path_probabilities",
    "best_paths",
    "betweenness",
    "branch_whitespace",
    "brokers",
    "can_influence",
    "chain_contacts",
    "coverage_model_findings",
    "data_gaps",
    "days_since",
    "deal_warnings",
    "decayed_level",
    "decision_chain",
    "decision_chain_coverage",
    "default_owners",
    "department_membership",
    "drift_alert",
    "effective_level",
    "effective_levels",
    "graph_as_of",
    "group_companies",
    "health_status",
    "influence_graph",
    "influence_scores",
    "influenced",
    "kdm_coverage",
    "key_decision_makers",
    "key_departments",
    "knows_levels",
    "level_suggestions",
    "next_best_contacts",
    "open_opportunities",
    "opportunity_warnings",
    "owned_accounts",
    "owners",
    "owning_sides",
    "paths_to_power",
    "power_graph",
    "relationship_grade",
    "rep_grade",
    "rep_grades",
    "role_candidates",
    "snapshot_at",
    "stance_of",
    "stance_value",
    "state_as_of",
    "step_ends",
    "supporter_balance",
    "verdict",
    "what_if",
]
