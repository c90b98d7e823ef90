"""A caller's view of the graph, built once per request (or CLI command).

:class:`Scope` is what every entry point holds: the caller's principal, the settings,
and — through the access policy of :mod:`stakegraph.service.access` — the records and
account subgraphs the caller may see. It reads the store; entry points never do.

* **Visibility** is computed once: :meth:`Scope.visible_account_ids`.
* **Records** come through :meth:`Scope.record` (one, or :class:`NotFound`) and
  :meth:`Scope.visible_records` (a batch, invisible ones dropped). A record the caller
  may not see is not found.
* **Subgraphs** come as :class:`AccountView`: the account subgraph with every contact
  of an account the caller may not see masked (:mod:`stakegraph.service.masking`), so a
  renderer or resolver that walks it cannot show who they are. Masking is on unless
  the policy says the caller sees every account.
* **Analyses** (:func:`stakegraph.influence.analyze_account`) are computed once per
  account, as-of day and opportunity, on the unmasked subgraph (so every caller gets
  the same figures); their contact ids are shown through :meth:`AccountView.shows`.

A scope is safe to use from several threads (GraphQL resolvers run store calls in
worker threads): every memoised value is computed once under its own lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

import networkx as nx

from stakegraph.graph.errors import NotFound as GraphNotFound
from stakegraph.graph.gc_policy import settled_batches
from stakegraph.graph.model import Label, Node, Relationship, RelType
from stakegraph.graph.store import GraphStore
from stakegraph.influence import analyze_account
from stakegraph.influence.memo import BETWEENNESS_MEMO
from stakegraph.influence.models import AccountAnalysis
from stakegraph.influence.settings import AnalysisSettings
from stakegraph.service.access import (
    Principal,
    Role,
    may_see_account,
    may_see_rep,
    may_see_team,
    sees_all_accounts,
)
from stakegraph.service.analysis_cache import AnalysisCache, LocalEntries
from stakegraph.service.errors import NotFound
from stakegraph.service.fanout import fan_out, settings_describe
from stakegraph.service.masking import foreign_contact_ids, mask_contacts

if TYPE_CHECKING:
    from stakegraph.service.settings import Settings

__all__ = ["ACCOUNT_LABELS", "BATCH_SIZE", "AccountView", "Scope"]

T = TypeVar("T")

#: Labels whose records belong to an account (and are visible with it).
ACCOUNT_LABELS = frozenset(
    {Label.COMPANY, Label.DEPARTMENT, Label.CONTACT, Label.OPPORTUNITY, Label.INTERACTION}
)


_local_entries: dict[int, LocalEntries[AccountAnalysis]] = {}
_local_subgraphs: dict[int, LocalEntries[nx.MultiDiGraph]] = {}


def _process_entries(size: int) -> LocalEntries[AccountAnalysis]:
    """The process's LRU of decoded analyses (one per configured size)."""
    return _local_entries.setdefault(size, LocalEntries(size))


def _process_subgraphs(size: int) -> LocalEntries[nx.MultiDiGraph]:
    """The process's LRU of raw account subgraphs, by store generation (one per
    configured size): a request for an account nothing was written to since the last
    one reads no subgraph from the store. Subgraphs are never changed in place (every
    analytic that edits one edits a copy; they are frozen, ``nx.freeze``, so adding or
    removing a node or tie raises), so requests share them like one request's
    resolvers do."""
    return _local_subgraphs.setdefault(size, LocalEntries(size))


#: Accounts whose subgraphs are fetched per store call in bulk work (portfolios).
BATCH_SIZE = 200


def _missing() -> Any:
    raise KeyError("not memoised")


class _Memo:
    """Values computed once per key, thread-safe (one lock per key)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                return cast(T, self._values[key])
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                if key in self._values:
                    return cast(T, self._values[key])
            value = compute()
            with self._lock:
                self._values[key] = value
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._values[key] = value

    def has(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._values

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._locks.clear()


@dataclass(frozen=True)
class AccountView:
    """An account subgraph as one caller may see it.

    ``graph`` is the subgraph with the contacts of accounts the caller may not see
    masked (node key ``Contact:masked-N``, attribute ``masked=True``, no identity);
    ``hidden`` holds the real ids of those contacts, so results computed on the
    unmasked graph (:meth:`Scope.analysis`) can be shown through :meth:`shows`.
    """

    company_id: str
    graph: nx.MultiDiGraph
    hidden: frozenset[str] = field(default_factory=frozenset)

    def shows(self, contact_id: str) -> bool:
        """Whether the caller may see this contact (of the account or of another)."""
        if contact_id in self.hidden:
            return False
        attrs = self.graph.nodes.get(f"{Label.CONTACT}:{contact_id}")
        return attrs is not None and not attrs.get("masked")

    def contact(self, contact_id: str) -> dict[str, Any] | None:
        """The attributes of a contact the caller may see, else ``None``."""
        if not self.shows(contact_id):
            return None
        return cast(dict[str, Any], self.graph.nodes[f"{Label.CONTACT}:{contact_id}"])


class Scope:
    """One caller's view of the graph (see the module docstring).

    Parameters
    ----------
    store : GraphStore
    settings : Settings
    principal : Principal
    today : datetime.date, optional
        The default "as of" date of analyses (today, UTC).
    only_account : str, optional
        Narrow what the principal sees to this one account (a widget token's scope):
        the principal's own rules still apply, and every other account is invisible.
    """

    def __init__(
        self,
        store: GraphStore,
        settings: Settings,
        principal: Principal,
        *,
        today: date | None = None,
        only_account: str | None = None,
    ) -> None:
        self._store = store
        self.settings = settings
        self.principal = principal
        # the analytics' process-wide memo takes the bounds of the settings in use
        BETWEENNESS_MEMO.resize(settings.betweenness_memo_size, settings.betweenness_memo_min_nodes)
        self.only_account = only_account
        self.today = today or datetime.now(UTC).date()
        self._memo = _Memo()
        self._cache_lock = threading.Lock()
        self._cache: AnalysisCache | None = None

    # ------------------------------------------------------------------- basics
    @property
    def store(self) -> GraphStore:
        """The store, for the use cases of this package (entry points never use it)."""
        return self._store

    @property
    def analysis_settings(self) -> AnalysisSettings:
        return self.settings.analysis

    @property
    def _path_depth(self) -> int:
        """How far the cross-account neighbourhood of a subgraph reaches (§3.11)."""
        return self.analysis_settings.max_path_edges

    def as_of(self, value: date | None) -> date:
        """An analysis date: the given one, else today."""
        return value or self.today

    def forget(self) -> None:
        """Drop what this scope has read (after a write, before the next read)."""
        with self._cache_lock:
            self._cache = None
        self._memo.clear()

    def _analysis_cache(self) -> AnalysisCache | None:
        """The shared analysis cache at the store's generation, read once — before any
        subgraph of this scope is fetched (:mod:`stakegraph.service.analysis_cache`)."""
        if not self.settings.analysis_cache:
            return None
        with self._cache_lock:
            if self._cache is None:
                self._cache = AnalysisCache(
                    self._store,
                    self._store.generation(),
                    self.analysis_settings,
                    _process_entries(self.settings.analysis_cache_local_entries),
                )
            return self._cache

    def shared_cache(self) -> AnalysisCache | None:
        """The store's cache at the generation this scope reads (``None``: caching off);
        for the use cases that cache results other than analyses (a map's data)."""
        return self._analysis_cache()

    # --------------------------------------------------------------- visibility
    def visible_account_ids(self) -> frozenset[str] | None:
        """Company ids the caller may see (``None``: every account), computed once.

        Denies by default: a principal whose role grants no rule sees nothing.
        """
        return self._memo.get(("visible",), self._narrowed_visible)

    def _narrowed_visible(self) -> frozenset[str] | None:
        visible = self._compute_visible()
        if self.only_account is None:
            return visible
        one = frozenset({self.only_account})
        return one if visible is None else visible & one

    def _compute_visible(self) -> frozenset[str] | None:
        p = self.principal
        if sees_all_accounts(p):
            return None
        if p.role == Role.REP:
            if p.rep_id is None:
                return frozenset()
            return frozenset(self._store.covered_company_ids(rep_id=p.rep_id))
        if p.role == Role.MANAGER:
            ids: set[str] = set()
            for team_id in sorted(p.team_ids):
                ids.update(self._store.covered_company_ids(team_id=team_id))
            return frozenset(ids)
        return frozenset()

    def sees(self, company_id: str | None) -> bool:
        return may_see_account(self.visible_account_ids(), company_id)

    @property
    def sees_every_account(self) -> bool:
        return self.visible_account_ids() is None

    def owners(self, label: Label, ids: Sequence[str]) -> dict[str, str]:
        """The account of each record (absent: it belongs to none), one store query."""
        wanted = sorted({i for i in ids if not self._memo.has(("owner", label, i))})
        if wanted:
            found = self._store.owning_accounts(label, wanted)
            for i in wanted:
                self._memo.put(("owner", label, i), found.get(i))
        out: dict[str, str] = {}
        for i in ids:
            owner = self._memo.get(("owner", label, i), lambda: None)
            if owner is not None:
                out[i] = owner
        return out

    def owner(self, label: Label, node_id: str) -> str | None:
        return self.owners(label, [node_id]).get(node_id)

    # ------------------------------------------------------------------ records
    def nodes(self, label: Label, ids: Sequence[str]) -> dict[str, Node]:
        """Records by id, as stored (for the checks of this package)."""
        return self._store.get_nodes(label, list(ids))

    def account(self, company_id: str, *, field: str | None = "id") -> Node:
        """The company, if it exists and the caller may see it."""
        node = self._store.get_node(Label.COMPANY, company_id)
        if node is None or not self.sees(company_id):
            raise NotFound.of(Label.COMPANY, company_id, field=field)
        return node

    def record(
        self, label: Label, node_id: str, *, field: str | None = "id"
    ) -> tuple[Node, str | None]:
        """A record and its account, if it exists and the caller may see it.

        Reps are seen in full by :meth:`sees_rep` (others see their id and name only,
        where they appear nested); ``record`` answers a rep only to those who see it
        in full, a team only to :func:`~stakegraph.service.access.may_see_team`.

        Raises
        ------
        NotFound
            When the record does not exist or the caller may not see it (the same
            answer, so ids of other accounts are never confirmed).
        """
        found = self.visible_records(label, [node_id], full=True)
        if node_id not in found:
            raise NotFound.of(label, node_id, field=field)
        node = found[node_id]
        return node, self.owner(label, node_id) if label in ACCOUNT_LABELS else None

    def visible_records(
        self, label: Label, ids: Sequence[str], *, full: bool = False
    ) -> dict[str, Node]:
        """The records among ``ids`` the caller may see (a batch; others dropped).

        Reps: every rep (they are shown in a restricted view) unless ``full``, then only
        those :meth:`sees_rep` allows. Teams: those the caller may see. Competitors:
        those tied to a visible account (``COMPETES_FOR`` one of its deals or
        ``FAVORS``-ed by one of its contacts), or all for who sees every account.
        """
        nodes = self.nodes(label, ids)
        if not nodes:
            return {}
        if label in ACCOUNT_LABELS:
            if self.sees_every_account:
                return nodes
            owners = self.owners(label, list(nodes))
            return {i: n for i, n in nodes.items() if self.sees(owners.get(i))}
        if label == Label.REP:
            if not full:
                return nodes
            return {i: n for i, n in nodes.items() if self.sees_rep(i)}
        if label == Label.TEAM:
            return {i: n for i, n in nodes.items() if may_see_team(self.principal, i)}
        if label == Label.COMPETITOR:
            if self.sees_every_account:
                return nodes
            tied = self._competitor_accounts(list(nodes))
            return {i: n for i, n in nodes.items() if any(self.sees(c) for c in tied.get(i, ()))}
        return {}

    def _competitor_accounts(self, ids: Sequence[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {i: set() for i in ids}
        deals = self._store.relationships(RelType.COMPETES_FOR, from_ids=list(ids))
        fans = self._store.relationships(RelType.FAVORS, to_ids=list(ids))
        opp_owner = self.owners(Label.OPPORTUNITY, [r.to_id for r in deals])
        contact_owner = self.owners(Label.CONTACT, [r.from_id for r in fans])
        for r in deals:
            if r.to_id in opp_owner:
                out[r.from_id].add(opp_owner[r.to_id])
        for r in fans:
            if r.from_id in contact_owner:
                out[r.to_id].add(contact_owner[r.from_id])
        return out

    def rep_team_ids(self, rep_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        """The teams each rep is a member of (``MEMBER_OF``), one store query."""
        wanted = sorted({r for r in rep_ids if not self._memo.has(("teams", r))})
        if wanted:
            teams: dict[str, set[str]] = {r: set() for r in wanted}
            for rel in self._store.relationships(RelType.MEMBER_OF, from_ids=wanted):
                if rel.from_label == Label.REP and rel.from_id in teams:
                    teams[rel.from_id].add(rel.to_id)
            for r, t in teams.items():
                self._memo.put(("teams", r), frozenset(t))
        return {r: self._memo.get(("teams", r), frozenset) for r in rep_ids}

    def sees_rep(self, rep_id: str) -> bool:
        """Whether the caller sees this rep in full (:func:`~access.may_see_rep`)."""
        return may_see_rep(self.principal, rep_id, self.rep_team_ids([rep_id])[rep_id])

    def relationships(
        self,
        rel_type: RelType,
        *,
        from_ids: Sequence[str] | None = None,
        to_ids: Sequence[str] | None = None,
    ) -> list[Relationship]:
        """Relationships of one type leaving / entering the given records.

        They tell structure only; the records at their other ends are shown through
        :meth:`visible_records`.
        """
        return self._store.relationships(
            rel_type,
            from_ids=None if from_ids is None else list(from_ids),
            to_ids=None if to_ids is None else list(to_ids),
        )

    # ----------------------------------------------------- subgraphs and analyses
    def _raw_subgraphs(self, company_ids: Sequence[str]) -> dict[str, nx.MultiDiGraph]:
        wanted = sorted({c for c in company_ids if not self._memo.has(("subgraph", c))})
        generation: str | None = None
        local = _process_subgraphs(self.settings.subgraph_cache_local_entries)
        if wanted:
            cache = self._analysis_cache()  # the generation is read before the data
            generation = cache.generation if cache is not None else None
            if generation is not None:
                for c in wanted:
                    hit = local.get(generation, f"{self._path_depth}|{c}")
                    if hit is not None:
                        self._memo.put(("subgraph", c), hit)
                wanted = [c for c in wanted if not self._memo.has(("subgraph", c))]
        if wanted:
            found = self._store.account_subgraphs(wanted, path_depth=self._path_depth)
            for c in wanted:
                g = found.get(c)
                if g is not None:
                    nx.freeze(g)  # shared by requests: no one adds or removes in place
                self._memo.put(("subgraph", c), g)
                if generation is not None and g is not None:
                    local.put(generation, f"{self._path_depth}|{c}", g)
        out: dict[str, nx.MultiDiGraph] = {}
        for c in company_ids:
            g = self._memo.get(("subgraph", c), lambda: None)
            if g is not None:
                out[c] = g
        return out

    def _raw_subgraph(self, company_id: str) -> nx.MultiDiGraph:
        g = self._raw_subgraphs([company_id]).get(company_id)
        if g is None:
            raise NotFound.of(Label.COMPANY, company_id)
        return g

    def views(self, company_ids: Sequence[str]) -> dict[str, AccountView]:
        """The views of many visible accounts, their subgraphs fetched in one batch
        (accounts that do not exist or that the caller may not see are absent)."""
        visible = [c for c in company_ids if self.sees(c)]
        graphs = self._raw_subgraphs(visible)
        out: dict[str, AccountView] = {}
        for c, g in graphs.items():
            out[c] = self._memo.get(("view", c), partial(self._view, c, g))
        return out

    def view(self, company_id: str, *, field: str | None = "id") -> AccountView:
        """The account as the caller may see it.

        Raises
        ------
        NotFound
            When the account does not exist or the caller may not see it.
        """
        if not self.sees(company_id):
            raise NotFound.of(Label.COMPANY, company_id, field=field)
        found = self.views([company_id])
        if company_id not in found:
            raise NotFound.of(Label.COMPANY, company_id, field=field)
        return found[company_id]

    def _view(self, company_id: str, g: nx.MultiDiGraph) -> AccountView:
        if self.sees_every_account:
            return AccountView(company_id, g)
        foreign = foreign_contact_ids(g)
        owners = self.owners(Label.CONTACT, foreign)
        hidden = frozenset(c for c in foreign if not self.sees(owners.get(c)))
        return AccountView(company_id, mask_contacts(g, hidden), hidden)

    def analysis(
        self, company_id: str, as_of: date | None = None, opportunity_id: str | None = None
    ) -> AccountAnalysis:
        """Every analytic of a visible account (``analyze_account``), once per
        account, day and opportunity.

        Raises
        ------
        NotFound
            When the account (or the opportunity in it) does not exist or is not visible.
        """
        day = self.as_of(as_of)
        if not self.sees(company_id):
            raise NotFound.of(Label.COMPANY, company_id)
        key = ("analysis", company_id, day, opportunity_id)

        def compute() -> AccountAnalysis:
            cache = self._analysis_cache()
            cache_key = cache.key(company_id, day, opportunity_id) if cache else ""
            if cache is not None and (hit := cache.get_many([cache_key]).get(cache_key)):
                return hit  # it existed, visibly, at this generation
            self.view(company_id)
            g = self._raw_subgraph(company_id)
            try:
                analysis = analyze_account(
                    g, as_of=day, settings=self.analysis_settings, opportunity_id=opportunity_id
                )
            except GraphNotFound as exc:
                raise NotFound(str(exc), field="opportunityId") from exc
            if cache is not None:
                cache.put_many({cache_key: analysis})
            return analysis

        return self._memo.get(key, compute)

    def stream_analyses(
        self,
        company_ids: Sequence[str],
        as_of: date | None = None,
        *,
        batch_size: int = BATCH_SIZE,
        keep_views: bool = False,
        visible_only: bool = True,
    ) -> Iterator[tuple[str, AccountView | None, AccountAnalysis]]:
        """``(id, view or None, analysis)`` of many visible accounts, in the given order.

        Subgraphs are fetched ``batch_size`` at a time and, unless ``keep_views``, not
        kept once analysed (a portfolio of thousands of accounts streams through
        memory). Accounts that do not exist or are not visible are skipped.

        ``visible_only=False`` analyses invisible accounts too, for figures about
        something the caller does see (a rep's grade counts every account the rep
        owns); such analyses must not be shown, and come without a view.
        """
        day = self.as_of(as_of)
        ids = [c for c in company_ids if self.sees(c)] if visible_only else list(company_ids)
        keep_views = keep_views and visible_only
        self._from_cache_or_cluster(ids, day, fan_out_allowed=not keep_views)
        cache = self._analysis_cache()
        with settled_batches() as settle:  # the collector sees one batch at a time
            for start in range(0, len(ids), batch_size):
                batch = ids[start : start + batch_size]
                todo = [c for c in batch if not self._memo.has(("analysis", c, day, None))]
                graphs = (
                    self._raw_subgraphs(todo)
                    if keep_views
                    else self._store.account_subgraphs(todo, path_depth=self._path_depth)
                )
                computed: dict[str, AccountAnalysis] = {}
                for c in batch:
                    key = ("analysis", c, day, None)
                    if not self._memo.has(key):
                        if c not in graphs:
                            continue
                        computed[c] = analyze_account(
                            graphs[c], as_of=day, settings=self.analysis_settings
                        )
                        self._memo.put(key, computed[c])
                    view = self.views([c]).get(c) if keep_views else None
                    analysis: AccountAnalysis = self._memo.get(key, _missing)
                    yield c, view, analysis
                if cache is not None and computed:
                    cache.put_many({cache.key(c, day): a for c, a in computed.items()})
                del graphs, computed
                if start + batch_size < len(ids):  # more to come (one batch: no cost)
                    settle()

    def _from_cache_or_cluster(
        self, ids: Sequence[str], day: date, *, fan_out_allowed: bool
    ) -> None:
        """Memoise the analyses of ``ids`` found in the shared cache, then — for a large
        remainder, when the settings describe this store — those the Dask cluster
        computes (:mod:`stakegraph.service.fanout`); the rest stays for the caller."""
        todo = [c for c in ids if not self._memo.has(("analysis", c, day, None))]
        cache = self._analysis_cache()
        if cache is not None and todo:
            keys = {cache.key(c, day): c for c in todo}
            for k, analysis in cache.get_many(list(keys)).items():
                self._memo.put(("analysis", keys[k], day, None), analysis)
            todo = [c for c in todo if not self._memo.has(("analysis", c, day, None))]
        settings = self.settings
        if not (
            fan_out_allowed
            and settings.parallel_portfolios
            and len(todo) >= settings.dask_min_accounts
            and settings_describe(settings, self._store)
        ):
            return
        with settled_batches() as settle:  # the analyses kept, out of the collector's way
            for found in fan_out(settings, todo, day, self._path_depth):
                for c, analysis in found.items():
                    self._memo.put(("analysis", c, day, None), analysis)
                if cache is not None:
                    cache.put_many({cache.key(c, day): a for c, a in found.items()})
                del found
                settle(collect=False)  # unpickled whole: no garbage to look for

    def raw_subgraph(self, company_id: str) -> nx.MultiDiGraph:
        """The unmasked subgraph of a visible account, for the analytics of this package
        (never handed to an entry point or a renderer as is)."""
        self.view(company_id)
        return self._raw_subgraph(company_id)
