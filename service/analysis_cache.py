"""Account analyses cached where every worker sees them: in the store.

An analysis (:func:`stakegraph.influence.analyze_account`) depends on the account's
subgraph, its cross-account neighbourhood (paths through other accounts' contacts,
decay saved by visits logged at other accounts) and the analysis settings. So an entry
is keyed by account, as-of day, opportunity and a fingerprint of the settings, and it
is valid only for the store :meth:`~stakegraph.graph.store.GraphStore.generation` it
was computed under. Every committed write replaces the generation in the same
transaction, on both stores, so after any write the next request recomputes: no write
can leave a stale answer behind, including a write to a *neighbouring* account that a
path or a decay depends on (a per-account version could not see those).

The generation is read once per :class:`~stakegraph.service.scope.Scope`, **before**
any subgraph of it is fetched: an analysis computed from data newer than the token it
is stored under is then at worst never reused, never wrong.

Entries live in the store (a ``cache`` table of the embedded file, ``CacheEntry``
nodes in Neo4j), compressed JSON of the pydantic model; a small per-process LRU keyed
by (generation, key) in front of it saves the decoding. Settings:
``analysis_cache`` (on/off), ``analysis_cache_local_entries``.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import zlib
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Generic, TypeVar

from stakegraph.graph.store import CacheEntry, GraphStore
from stakegraph.influence.models import AccountAnalysis
from stakegraph.influence.settings import AnalysisSettings

__all__ = ["AnalysisCache", "LocalEntries", "analysis_key", "code_fingerprint"]

#: Bump when the shape of :class:`AccountAnalysis` changes incompatibly.
_FORMAT = "a2"  # a2: texts carry codes and parameters (influence.messages)


def settings_fingerprint(settings: AnalysisSettings) -> str:
    """A short digest of the analysis settings (a change of any default is a new key)."""
    return hashlib.sha256(settings.model_dump_json().encode()).hexdigest()[:16]


@functools.cache
def code_fingerprint() -> str:
    """A digest of the code whose results are cached (the analytics and the maps' data,
    with their templates and scripts): an entry written by one release is never read by
    another, not even by a worker of a rolling deploy.

    >>> len(code_fingerprint()), code_fingerprint() == code_fingerprint()
    (12, True)
    """
    import stakegraph.influence
    import stakegraph.viz

    digest = hashlib.sha256()
    for package in (stakegraph.influence, stakegraph.viz):
        root = Path(str(package.__file__)).resolve().parent
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def analysis_key(company_id: str, day: date, opportunity_id: str | None, fingerprint: str) -> str:
    """The cache key of one analysis (the code's fingerprint included)."""
    return (
        f"{_FORMAT}|analysis|{code_fingerprint()}|{fingerprint}|{day.isoformat()}|"
        f"{opportunity_id or ''}|{company_id}"
    )


def _encode(analysis: AccountAnalysis) -> bytes:
    return zlib.compress(analysis.model_dump_json().encode(), 1)


def _decode(payload: bytes) -> AccountAnalysis:
    return AccountAnalysis.model_validate_json(zlib.decompress(payload))


V = TypeVar("V")


class LocalEntries(Generic[V]):
    """A per-process LRU of values valid at one store generation (decoded analyses in
    front of the store's cache; account subgraphs). Putting a value of a newer
    generation drops those of every other one (no reader asks for them again).

    >>> lru = LocalEntries[int](2)
    >>> lru.put("g1", "a", 1); lru.put("g1", "b", 2); lru.put("g1", "c", 3)
    >>> lru.get("g1", "a"), lru.get("g1", "c")
    (None, 3)
    >>> lru.put("g2", "a", 4)
    >>> lru.get("g1", "c"), lru.get("g2", "a")
    (None, 4)
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, str], V] = OrderedDict()
        self._generation: str | None = None
        self._lock = threading.Lock()

    def get(self, generation: str, key: str) -> V | None:
        with self._lock:
            found = self._entries.get((generation, key))
            if found is not None:
                self._entries.move_to_end((generation, key))
            return found

    def put(self, generation: str, key: str, value: V) -> None:
        if self.size <= 0:
            return
        with self._lock:
            if generation != self._generation:  # a write since: the others are dead
                self._entries = OrderedDict(
                    (k, v) for k, v in self._entries.items() if k[0] == generation
                )
                self._generation = generation
            self._entries[(generation, key)] = value
            self._entries.move_to_end((generation, key))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class AnalysisCache:
    """Analyses of one store at one generation (one per scope; see the module docstring).

    Parameters
    ----------
    store : GraphStore
    generation : str or None
        The store's generation read before anything of the scope was fetched;
        ``None`` (a store never written) disables caching.
    settings : AnalysisSettings
    local : LocalEntries
        The process's LRU.
    """

    def __init__(
        self,
        store: GraphStore,
        generation: str | None,
        settings: AnalysisSettings,
        local: LocalEntries[AccountAnalysis],
    ) -> None:
        self._store = store
        self.generation = generation
        self._fingerprint = settings_fingerprint(settings)
        self._local = local

    def key(self, company_id: str, day: date, opportunity_id: str | None = None) -> str:
        return analysis_key(company_id, day, opportunity_id, self._fingerprint)

    def get_many(self, keys: Sequence[str]) -> dict[str, AccountAnalysis]:
        """The valid entries among ``keys`` (a miss is absent)."""
        generation = self.generation
        if generation is None or not keys:
            return {}
        out: dict[str, AccountAnalysis] = {}
        missing: list[str] = []
        for k in keys:
            hit = self._local.get(generation, k)
            if hit is not None:
                out[k] = hit
            else:
                missing.append(k)
        if missing:
            for k, entry in self._store.cached(missing).items():
                if entry.generation == generation:
                    analysis = _decode(entry.payload)
                    self._local.put(generation, k, analysis)
                    out[k] = analysis
        return out

    def get_blob(self, key: str) -> bytes | None:
        """A stored payload of another kind (a map's data), if valid at this generation."""
        generation = self.generation
        if generation is None:
            return None
        entry = self._store.cached([key]).get(key)
        return entry.payload if entry is not None and entry.generation == generation else None

    def put_blob(self, key: str, payload: bytes) -> None:
        """Store a payload of another kind under this generation."""
        if self.generation is not None:
            self._store.cache([CacheEntry(key, self.generation, payload)])

    def put_many(self, analyses: Mapping[str, AccountAnalysis]) -> None:
        generation = self.generation
        if generation is None or not analyses:
            return
        entries = [CacheEntry(k, generation, _encode(a)) for k, a in analyses.items()]
        self._store.cache(entries)
        for k, a in analyses.items():
            self._local.put(generation, k, a)
