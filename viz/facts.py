"""What the map shows about an account, gathered from the analytics (``influence``).

The map draws facts; it computes none of the domain's rules itself. :func:`map_facts`
is the one adapter between the two packages: it asks ``influence`` for effective
levels (§3.2), the decision chain and KDMs (§3.3), influence scores (§3.4), coverage
holes (§3.5), paths to power (§3.11) and next best contacts (§3.12), and flattens
them into :class:`MapFacts`, keyed by contact id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import networkx as nx

from stakegraph.graph.gc_policy import gc_paused
from stakegraph.graph.model import ContactStatus, DecisionRole, Label, RelType, node_key
from stakegraph.influence import (
    Coverage,
    Hole,
    analyze_account,
    best_paths,
    knows_levels,
    next_best_contacts,
    paths_to_power,
    power_graph,
    stance_of,
)
from stakegraph.influence.history import state_as_of
from stakegraph.influence.index import account_index
from stakegraph.influence.models import (
    Broker,
    DataGap,
    DealWarning,
    LevelSuggestion,
    Path,
    PlanGapItem,
)
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["HoleView", "MapFacts", "NextBestView", "PathView", "map_facts"]

#: Accounts up to this many contacts get the k best paths to every contact; larger
#: ones get the single best path, and k paths only to KDMs, chain members and the
#: contact asked about.
K_PATHS_FOR_ALL = 150
#: What-if preview: how many next best contacts the map lists.
NEXT_BEST_LIMIT = 15


@dataclass(frozen=True)
class HoleView:
    """A coverage hole and the contacts the map highlights for it."""

    kind: str
    name: str
    reason: str
    contact_ids: tuple[str, ...] = ()
    suggestion_ids: tuple[str, ...] = ()
    hole: Hole | None = None
    """The analytics' hole: its code and parameters word it in the map's language."""


@dataclass(frozen=True)
class PathView:
    """One path from a rep to a contact: node keys in order and its probability."""

    probability: float
    node_keys: tuple[str, ...]


@dataclass(frozen=True)
class NextBestView:
    """What-if preview: the gain if our level with the contact became 2 (§3.12)."""

    contact_id: str
    ratio_gain: float
    closes: tuple[str, ...] = ()
    grade_before: str | None = None
    grade_after: str | None = None
    score_gain: float | None = None


@dataclass
class MapFacts:
    """Everything the map encodes, by contact id (rep ids in ``knows_levels``)."""

    as_of: date
    opportunity_id: str | None
    levels: dict[str, int]
    knows_levels: dict[tuple[str, str], int]
    influence: dict[str, float]
    kdm_ids: frozenset[str]
    roles: dict[str, list[str]]
    stances: dict[str, str]
    last_touch: dict[str, date | None]
    holes: list[HoleView] = field(default_factory=list)
    coverage_ratio: float | None = None
    next_best: list[NextBestView] = field(default_factory=list)
    paths: dict[str, list[PathView]] = field(default_factory=dict)
    brokers: list[Broker] = field(default_factory=list)
    """§3.4 brokers, highest betweenness first."""
    data_gaps: list[DataGap] = field(default_factory=list)
    """§3.14 what the analysis could not know."""
    deal_warnings: list[DealWarning] = field(default_factory=list)
    """§3.16 warnings of the open deals (the one asked about, if any)."""
    suggestions: list[LevelSuggestion] = field(default_factory=list)
    """§3.15 levels captured activity suggests (not dismissed), given by the caller."""
    plan_gap: list[PlanGapItem] | None = None
    """§3.18 the relationship plan's open targets, overdue first, given by the caller;
    ``None``: the account has no plan (an empty list: every target is met)."""
    whitespace: GroupWhitespaceView | None = None
    """§3.13 whitespace of the account's group (headquarters or branch), given by the
    caller as the caller may see it; ``None``: the account is in no group."""


@dataclass(frozen=True)
class WhitespaceBuyer:
    """A branch of the group that won the product, and when (its latest win)."""

    name: str
    won: date | None


@dataclass(frozen=True)
class WhitespaceRowView:
    """A product a branch has not bought, and who in the group bought it."""

    branch: str
    product: str
    buyers: list[WhitespaceBuyer]


@dataclass(frozen=True)
class ProgrammeView:
    """A likely headquarters programme (dates only when every branch is visible)."""

    product: str
    branches: list[str]
    first_won: date | None
    last_won: date | None


@dataclass(frozen=True)
class GroupWhitespaceView:
    """The whitespace shown on a headquarters' or a branch's map."""

    headquarters: str
    is_headquarters: bool
    rows: list[WhitespaceRowView]
    programmes: list[ProgrammeView]


@gc_paused()  # as analyze_account
def map_facts(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    opportunity_id: str | None = None,
    path_to: str | None = None,
) -> MapFacts:
    """Gather the facts the map shows for one account (optionally one opportunity).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The account subgraph (``stakegraph.graph.model`` convention).
    as_of : datetime.date
        The date levels decay to (§3.2).
    settings : AnalysisSettings
    opportunity_id : str, optional
        Scope roles, stances and coverage to this opportunity.
    path_to : str, optional
        A contact that surely gets its ``k`` best paths.

    Raises
    ------
    stakegraph.graph.errors.NotFound
        When ``opportunity_id`` is not an opportunity of the account.
    """
    g = state_as_of(g, as_of, settings=settings)  # the account as it was (§3.17)
    # One index, one influence and one path graph serve the analysis, the next best
    # contacts and the paths.
    index = account_index(g, settings=settings)
    knows = knows_levels(g, as_of=as_of, settings=settings)
    power = power_graph(g, as_of=as_of, settings=settings, knows=knows)
    analysis = analyze_account(
        g,
        as_of=as_of,
        settings=settings,
        opportunity_id=opportunity_id,
        index=index,
        power=power,
    )
    chain = index.chain_of(opportunity_id)
    roles: dict[str, list[str]] = {}
    for role, holders in chain.items():
        for c in holders:
            roles.setdefault(c, []).append(str(role))
    contacts = [a["id"] for _, a in g.nodes(data=True) if a.get("label") == Label.CONTACT]
    coverage = _scoped_coverage(analysis.coverage, analysis.opportunity_coverage, opportunity_id)
    kdms = frozenset(index.kdms)
    facts = MapFacts(
        as_of=as_of,
        opportunity_id=opportunity_id,
        levels=dict(analysis.effective_levels),
        knows_levels=knows,
        influence=analysis.influence.scores(),
        kdm_ids=kdms,
        roles=roles,
        stances={c: str(stance_of(g, c, opportunity_id=opportunity_id)) for c in contacts},
        last_touch=_last_touch(g),
        holes=[_hole_view(g, h, chain, index.membership) for h in coverage.holes],
        coverage_ratio=coverage.ratio if chain else None,
        brokers=list(analysis.brokers),
        data_gaps=list(analysis.data_gaps),
        deal_warnings=list(analysis.deal_warnings),
    )
    facts.next_best = [
        NextBestView(
            contact_id=n.contact_id,
            ratio_gain=n.ratio_gain,
            grade_before=str(n.grade_before),
            grade_after=str(n.grade_after),
            score_gain=n.score_gain,
        )
        for n in next_best_contacts(
            g,
            as_of=as_of,
            settings=settings,
            influence=analysis.influence,
            index=index,
            power=power,
        )
        if n.grade_gain > 0 or n.score_gain > 0 or n.ratio_gain > 0
    ][:NEXT_BEST_LIMIT]
    important = set(kdms) | set(roles) | {n.contact_id for n in facts.next_best}
    important |= {c for h in facts.holes for c in h.suggestion_ids}
    if path_to is not None:
        important.add(path_to)
    facts.paths = _paths(g, contacts, important, as_of, settings, power)
    return facts


def _scoped_coverage(
    account: Coverage, per_opportunity: list[Coverage], opportunity_id: str | None
) -> Coverage:
    if opportunity_id is None:
        return account
    return next((c for c in per_opportunity if c.opportunity_id == opportunity_id), account)


def _hole_view(
    g: nx.MultiDiGraph,
    hole: Hole,
    chain: Mapping[DecisionRole, list[str]],
    membership: Mapping[str, list[str]],
) -> HoleView:
    if hole.department_id is not None:
        members = membership.get(hole.department_id, [])
        name = g.nodes[node_key(Label.DEPARTMENT, hole.department_id)].get("name", "")
        contact_ids = tuple(c for c in members if _is_active(g, c))
    else:
        name = str(hole.role)
        contact_ids = tuple(chain.get(hole.role, [])) if hole.role is not None else ()
    return HoleView(
        kind=str(hole.kind),
        name=name,
        reason=hole.reason,
        contact_ids=contact_ids,
        suggestion_ids=tuple(s.contact_id for s in hole.suggestions),
        hole=hole,
    )


def _path_view(path: Path) -> PathView:
    return PathView(path.probability, tuple(path.node_keys))


def _paths(
    g: nx.MultiDiGraph,
    contacts: list[str],
    important: set[str],
    as_of: date,
    settings: AnalysisSettings,
    power: nx.DiGraph,
) -> dict[str, list[PathView]]:
    """k best paths (§3.11) to the contacts that matter, the best one to every other."""
    out = {
        c: [_path_view(p)]
        for c, p in best_paths(g, contacts, as_of=as_of, settings=settings, power=power).items()
    }
    wanted = contacts if len(contacts) <= K_PATHS_FOR_ALL else sorted(important)
    for c in wanted:
        if c not in out and c not in important:
            continue
        found = paths_to_power(g, c, as_of=as_of, settings=settings, power=power)
        if found:
            out[c] = [_path_view(p) for p in found]
    return out


# -------------------------------------------------------------------- small facts


def _is_active(g: nx.MultiDiGraph, contact_id: str) -> bool:
    attrs = g.nodes.get(node_key(Label.CONTACT, contact_id), {})
    return bool(attrs.get("status", ContactStatus.ACTIVE) == ContactStatus.ACTIVE)


def _day(moment: datetime | date | None) -> date | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return (moment.astimezone(UTC) if moment.tzinfo else moment).date()
    return moment


def _last_touch(g: nx.MultiDiGraph) -> dict[str, date | None]:
    """Last contact per contact: latest ``KNOWS.last_contact_at`` or interaction attended."""
    out: dict[str, date | None] = {}
    for u, v, key, attrs in g.edges(keys=True, data=True):
        moment: date | None = None
        contact = None
        if key == RelType.KNOWS:
            contact, moment = g.nodes[v]["id"], _day(attrs.get("last_contact_at"))
        elif key == RelType.ATTENDED and g.nodes[u].get("label") == Label.CONTACT:
            contact, moment = g.nodes[u]["id"], _day(g.nodes[v].get("at"))
        if contact is None or moment is None:
            continue
        previous = out.get(contact)
        if previous is None or moment > previous:
            out[contact] = moment
    return out
