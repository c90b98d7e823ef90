"""The one settings object of stakegraph; nothing else reads the environment.

Values come from the environment or a ``.env`` file (see the README's table).
"""

from __future__ import annotations

import logging
import re
import secrets
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AliasChoices,
    BeforeValidator,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from stakegraph.graph.errors import StoreUnavailable
from stakegraph.graph.store import IMPORT_PART_ROWS, GraphStore
from stakegraph.influence.settings import AnalysisSettings
from stakegraph.service.access import ApiKey

#: The shortest widget secret accepted outside demo mode (HMAC-SHA256 key).
MIN_EMBED_SECRET_BYTES = 32

__all__ = [
    "ConfigError",
    "Settings",
    "get_settings",
    "load_settings",
    "open_store",
    "warn_if_import_interrupted",
]


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """Configuration of the service, the CLI and the stores."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=True, env_nested_delimiter="__"
    )

    store: Literal["auto", "embedded", "neo4j"] = Field(
        "auto",
        validation_alias=_env("STAKEGRAPH_STORE", "store"),
        description="auto: Neo4j when NEO4J_URI is set, else the embedded store",
    )
    db_path: Path = Field(
        Path("stakegraph.db"),
        validation_alias=_env("STAKEGRAPH_DB_PATH", "db_path"),
        description="file of the embedded store",
    )
    neo4j_uri: str | None = Field(
        None,
        validation_alias=_env("NEO4J_URI", "neo4j_uri"),
        description="bolt:// or neo4j:// (+s / +ssc for TLS), e.g. bolt://127.0.0.1:7687",
    )
    neo4j_user: str = Field(
        "neo4j",
        min_length=1,
        validation_alias=_env("NEO4J_USERNAME", "NEO4J_USER", "neo4j_user"),
        description="NEO4J_USERNAME as Neo4j and Aura write it; NEO4J_USER also read",
    )
    neo4j_password: SecretStr | None = Field(
        None,
        validation_alias=_env("NEO4J_PASSWORD", "neo4j_password"),
        description="unset: no authentication (a local server started with auth off)",
    )
    neo4j_database: str = Field("neo4j", validation_alias=_env("NEO4J_DATABASE", "neo4j_database"))
    neo4j_query_timeout: float = Field(
        30.0, gt=0, validation_alias=_env("NEO4J_QUERY_TIMEOUT", "neo4j_query_timeout")
    )
    neo4j_import_part_rows: int = Field(
        IMPORT_PART_ROWS,
        ge=1,
        validation_alias=_env("NEO4J_IMPORT_PART_ROWS", "neo4j_import_part_rows"),
        description="about the records per transaction of an import into Neo4j (whole accounts)",
    )
    host: str = Field("127.0.0.1", validation_alias=_env("STAKEGRAPH_HOST", "host"))
    port: int = Field(8000, validation_alias=_env("STAKEGRAPH_PORT", "port"))
    workers: int = Field(
        1,
        ge=1,
        le=64,
        validation_alias=_env("STAKEGRAPH_WORKERS", "workers"),
        description="server processes of `stakegraph serve` (each its own store connection; "
        "they share the store's analysis cache)",
    )
    demo_mode: bool = Field(
        False,
        validation_alias=_env("STAKEGRAPH_DEMO_MODE", "demo_mode"),
        description="anonymous read access and GraphiQL; never in production",
    )
    default_lang: Literal["en", "zh"] = Field(
        "en",
        validation_alias=_env("STAKEGRAPH_LANG"),
        description="language of the CLI's lines and of pages asked for without one",
    )
    admin_key_file: Path | None = Field(
        None,
        validation_alias=_env("STAKEGRAPH_ADMIN_KEY_FILE", "admin_key_file"),
        description="file of an ADMIN API key; generated (and printed once) when absent",
    )

    # --- logging ------------------------------------------------------------
    log_level: Annotated[
        Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
        BeforeValidator(lambda v: v.upper() if isinstance(v, str) else v),
    ] = Field("INFO", validation_alias=_env("STAKEGRAPH_LOG_LEVEL", "log_level"))
    log_format: Literal["text", "json"] = Field(
        "text",
        validation_alias=_env("STAKEGRAPH_LOG_FORMAT", "log_format"),
        description="text lines, or one JSON object per line",
    )
    slow_query_seconds: float = Field(
        0.5,
        ge=0,
        validation_alias=_env("STAKEGRAPH_SLOW_QUERY_SECONDS", "slow_query_seconds"),
        description="store queries taking at least this long are logged with their duration",
    )

    # --- API (GraphQL) -------------------------------------------------------
    api_keys: list[ApiKey] = Field(
        default_factory=list,
        validation_alias=_env("STAKEGRAPH_API_KEYS", "api_keys"),
        description="JSON list of {name, key_sha256, role, rep_id, team_ids}",
    )
    page_max: int = Field(100, ge=1, validation_alias=_env("STAKEGRAPH_PAGE_MAX", "page_max"))
    max_query_depth: int = Field(
        12, ge=1, validation_alias=_env("STAKEGRAPH_MAX_QUERY_DEPTH", "max_query_depth")
    )
    max_aliases: int = Field(
        30, ge=1, validation_alias=_env("STAKEGRAPH_MAX_ALIASES", "max_aliases")
    )
    max_expanded_fields: int = Field(
        5000,
        ge=10,
        validation_alias=_env("STAKEGRAPH_MAX_EXPANDED_FIELDS", "max_expanded_fields"),
        description="fields of a query once its fragments are expanded",
    )
    max_query_cost: int = Field(
        20_000,
        ge=1,
        validation_alias=_env("STAKEGRAPH_MAX_QUERY_COST", "max_query_cost"),
        description="fields × page sizes × nesting, analysis fields weighing cost_analysis",
    )
    cost_analysis: int = Field(
        25, ge=1, validation_alias=_env("STAKEGRAPH_COST_ANALYSIS", "cost_analysis")
    )
    cost_list_fanout: int = Field(
        10,
        ge=1,
        validation_alias=_env("STAKEGRAPH_COST_LIST_FANOUT", "cost_list_fanout"),
        description="rows assumed for a list field without `first`",
    )
    request_time_budget: float = Field(
        20.0,
        gt=0,
        validation_alias=_env("STAKEGRAPH_REQUEST_TIME_BUDGET", "request_time_budget"),
        description="seconds a GraphQL request may spend in the application layer",
    )
    max_tokens: int = Field(
        2000, ge=10, validation_alias=_env("STAKEGRAPH_MAX_TOKENS", "max_tokens")
    )
    graphql_cache_entries: int = Field(
        256,
        ge=0,
        validation_alias=_env("STAKEGRAPH_GRAPHQL_CACHE_ENTRIES", "graphql_cache_entries"),
        description="distinct GraphQL documents whose parse and validation are cached (0: off)",
    )
    max_body_bytes: int = Field(
        256_000, ge=1024, validation_alias=_env("STAKEGRAPH_MAX_BODY_BYTES", "max_body_bytes")
    )
    introspection: bool = Field(
        True, validation_alias=_env("STAKEGRAPH_INTROSPECTION", "introspection")
    )
    # --- map widget -----------------------------------------------------------
    embed_secret: SecretStr | None = Field(
        None,
        validation_alias=_env("STAKEGRAPH_EMBED_SECRET", "embed_secret"),
        description="HMAC key of widget tokens, at least 32 bytes; unset outside demo "
        "mode: no widget",
    )
    embed_token_ttl_seconds: int = Field(
        900, ge=10, validation_alias=_env("STAKEGRAPH_EMBED_TOKEN_TTL", "embed_token_ttl_seconds")
    )
    embed_allowed_origins: list[str] = Field(
        default_factory=list,
        validation_alias=_env("STAKEGRAPH_EMBED_ORIGINS", "embed_allowed_origins"),
        description="parent origins allowed to frame the widget (CSP frame-ancestors)",
    )
    public_url: str = Field(
        "http://127.0.0.1:8000", validation_alias=_env("STAKEGRAPH_PUBLIC_URL", "public_url")
    )
    org_collapse_above: int = Field(
        12,
        ge=1,
        validation_alias=_env("STAKEGRAPH_ORG_COLLAPSE_ABOVE", "org_collapse_above"),
        description="in the org chart, departments with more people start collapsed "
        "(served maps, the widget and `stakegraph map`)",
    )
    # --- activity capture -----------------------------------------------------
    capture_places: dict[str, list[str]] = Field(
        default_factory=dict,
        validation_alias=_env("STAKEGRAPH_CAPTURE_PLACES", "capture_places"),
        description="account (Company id) -> its places: a captured meeting there is a VISIT",
    )
    # --- analytics ------------------------------------------------------------
    analysis_cache: bool = Field(
        True,
        validation_alias=_env("STAKEGRAPH_ANALYSIS_CACHE", "analysis_cache"),
        description="keep analyses in the store, shared by every worker, until the next write",
    )
    analysis_cache_local_entries: int = Field(
        256,
        ge=0,
        validation_alias=_env("STAKEGRAPH_ANALYSIS_CACHE_LOCAL", "analysis_cache_local_entries"),
        description="decoded analyses a process keeps in front of the store's cache",
    )
    subgraph_cache_local_entries: int = Field(
        64,
        ge=0,
        validation_alias=_env("STAKEGRAPH_SUBGRAPH_CACHE_LOCAL", "subgraph_cache_local_entries"),
        description=(
            "account subgraphs a process keeps until the next write (with analysis_cache);"
            " 0: read each request's from the store"
        ),
    )
    betweenness_memo_size: int = Field(
        250_000,
        ge=0,
        validation_alias=_env("STAKEGRAPH_BETWEENNESS_MEMO_SIZE", "betweenness_memo_size"),
        description=(
            "contacts plus ties (summed over accounts) whose betweenness a process keeps by"
            " graph shape, for analyses after writes that change no tie; 0: none"
        ),
    )
    betweenness_memo_min_nodes: int = Field(
        200,
        ge=0,
        validation_alias=_env(
            "STAKEGRAPH_BETWEENNESS_MEMO_MIN_NODES", "betweenness_memo_min_nodes"
        ),
        description="the smallest influence graph (contacts) whose betweenness is kept",
    )
    dask_scheduler: str | None = Field(
        None,
        validation_alias=_env("STAKEGRAPH_DASK_SCHEDULER", "dask_scheduler"),
        description="tcp://host:port of a Dask scheduler for portfolios; unset: a LocalCluster",
    )
    dask_workers: int = Field(
        0,
        ge=0,
        validation_alias=_env("STAKEGRAPH_DASK_WORKERS", "dask_workers"),
        description="workers of the LocalCluster (0: one per core)",
    )
    dask_min_accounts: int = Field(
        400,
        ge=1,
        validation_alias=_env("STAKEGRAPH_DASK_MIN_ACCOUNTS", "dask_min_accounts"),
        description="portfolios with fewer accounts to analyse run serially",
    )
    dask_batch_size: int = Field(
        100, ge=1, validation_alias=_env("STAKEGRAPH_DASK_BATCH", "dask_batch_size")
    )
    parallel_portfolios: bool = Field(
        True,
        validation_alias=_env("STAKEGRAPH_PARALLEL_PORTFOLIOS", "parallel_portfolios"),
        description="fan portfolio analyses out on Dask (off: always serial)",
    )
    analysis: AnalysisSettings = Field(
        default_factory=AnalysisSettings,
        validation_alias=_env("STAKEGRAPH_ANALYSIS", "analysis"),
        description="defaults of docs/analytics.md §3 (JSON object of AnalysisSettings fields)",
    )

    @field_validator("neo4j_uri")
    @classmethod
    def _neo4j_uri_scheme(cls, uri: str | None) -> str | None:
        if uri is not None and not re.match(r"^(bolt|neo4j)(\+s|\+ssc)?://[^\s/]+", uri):
            raise ValueError(
                "must be bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s:// or "
                "neo4j+ssc:// followed by host[:port]"
            )
        return uri

    @model_validator(mode="after")
    def _neo4j_needs_a_uri(self) -> Settings:
        if self.store == "neo4j" and not self.neo4j_uri:
            raise ValueError("STAKEGRAPH_STORE=neo4j needs NEO4J_URI (e.g. bolt://127.0.0.1:7687)")
        return self

    @model_validator(mode="after")
    def _embed_secret_strong_enough(self) -> Settings:
        secret = self.embed_secret
        if secret is None or self.demo_mode:
            return self
        if len(secret.get_secret_value().encode()) < MIN_EMBED_SECRET_BYTES:
            raise ValueError(
                f"STAKEGRAPH_EMBED_SECRET must be at least {MIN_EMBED_SECRET_BYTES} bytes"
            )
        return self

    @cached_property
    def widget_secret(self) -> str | None:
        """The key widget tokens are signed with: the configured secret; in demo mode
        without one, a random key of this process (never a published default);
        ``None`` (no widget) outside demo mode without one."""
        if self.embed_secret is not None:
            return self.embed_secret.get_secret_value()
        return secrets.token_urlsafe(32) if self.demo_mode else None

    @property
    def backend(self) -> Literal["embedded", "neo4j"]:
        if self.store == "auto":
            return "neo4j" if self.neo4j_uri else "embedded"
        return self.store


#: Fields whose values never appear in an error message.
_SECRET_FIELDS = frozenset({"neo4j_password", "embed_secret", "api_keys"})


class ConfigError(Exception):
    """A configuration mistake, as one line naming the variable and what is allowed
    (never the value of a secret)."""


def env_name(field: str) -> str:
    """The environment variable of a Settings field (its first alias)."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info is not None else None
    if isinstance(alias, AliasChoices) and isinstance(alias.choices[0], str):
        return alias.choices[0]
    return field.upper()


def _field_of(key: object) -> str | None:
    if not isinstance(key, str):
        return None
    if key in Settings.model_fields:
        return key
    for name in Settings.model_fields:
        if env_name(name).lower() == key.lower():
            return name
    return None


def _describe(exc: ValidationError) -> str:
    lines = []
    for e in exc.errors():
        loc = e["loc"]
        field = _field_of(loc[0]) if loc else None
        msg = e["msg"].removeprefix("Value error, ")
        if field is None:
            lines.append(msg)
            continue
        where = env_name(field) + "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[1:]
        )
        shown = "" if field in _SECRET_FIELDS else f"={e['input']!r}"
        if e["type"] == "missing" or isinstance(e["input"], dict):
            shown = ""
        lines.append(f"{where}{shown}: {msg}")
    return "; ".join(lines)


def load_settings(**overrides: object) -> Settings:
    """The settings from the environment, ``.env`` and ``overrides``.

    Raises
    ------
    ConfigError
        One line naming the variable and what it allows; never a secret's value.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(f"configuration: {_describe(exc)}") from None
    except SettingsError as exc:
        text = str(exc)
        field = next((f for f in Settings.model_fields if f'"{f}"' in text), None)
        name = env_name(field) if field else "a variable"
        raise ConfigError(f"configuration: {name} is not valid JSON") from None


@lru_cache
def get_settings() -> Settings:
    return load_settings()


def open_store(settings: Settings) -> GraphStore:
    """The configured store (the only place a backend is chosen); a warning is logged
    when its last import was interrupted."""
    store = _open_store(settings)
    warn_if_import_interrupted(store)
    return store


def warn_if_import_interrupted(store: GraphStore) -> bool:
    """Log a warning when the store's last import did not finish; whether it did not."""
    try:
        journal = store.import_journal()
    except StoreUnavailable:
        return False
    if journal is None or journal.status() != "interrupted":
        return False
    logging.getLogger(__name__).warning(
        "the last import into the %s store (document %s, started %s by %s) was interrupted: "
        "%s of %s accounts were written, each whole; import the same document again "
        "to complete it",
        store.backend,
        journal.digest[:12],
        journal.started_at.isoformat(timespec="seconds"),
        journal.by,
        journal.accounts_done,
        journal.accounts_total,
    )
    return True


def _open_store(settings: Settings) -> GraphStore:
    if settings.backend == "neo4j":
        from stakegraph.graph.neo4j_store import Neo4jStore

        if not settings.neo4j_uri:
            raise ValueError("STAKEGRAPH_STORE=neo4j needs NEO4J_URI")
        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value() if settings.neo4j_password else None,
            database=settings.neo4j_database,
            query_timeout=settings.neo4j_query_timeout,
            slow_query_seconds=settings.slow_query_seconds,
            import_part_rows=settings.neo4j_import_part_rows,
        )
    from stakegraph.graph.embedded_store import EmbeddedStore

    return EmbeddedStore(settings.db_path, slow_query_seconds=settings.slow_query_seconds)
