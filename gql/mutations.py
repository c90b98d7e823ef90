"""The ``Mutation`` root. Every mutation checks the caller, validates its whole input
with the domain models, then writes one atomic batch (so a failed mutation writes
nothing); the store records the change events of §2 with ``by`` = the caller."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any
from uuid import uuid4

import strawberry
from pydantic import ValidationError
from strawberry import UNSET

from stakegraph.gql.analytics import map_url, mint_token
from stakegraph.gql.auth import (
    Role,
    may_act_for_rep,
    require_admin,
    require_writer,
)
from stakegraph.gql.context import Context, Info
from stakegraph.gql.errors import BadInput, ForbiddenError, NotFoundError, from_validation_error
from stakegraph.gql.inputs import (
    CompanyInput,
    CompetitorInput,
    ContactInput,
    DepartmentInput,
    InteractionInput,
    OpportunityInput,
    RepInput,
    TeamInput,
)
from stakegraph.gql.loaders import in_thread
from stakegraph.gql.scalars import JSON, CoverKind, DecisionRole, MapView, Stance, TieType
from stakegraph.gql.types import (
    Account,
    Competitor,
    Contact,
    Department,
    Interaction,
    Opportunity,
    Rep,
    Team,
    build,
)
from stakegraph.graph.model import LABEL_MODELS, Label, Node, Relationship, RelType, rel_properties
from stakegraph.graph.store import GraphBatch, WriteSummary

__all__ = ["Mutation"]


@strawberry.type(description="What a write changed.")
class WriteResult:
    nodes_created: int
    nodes_updated: int
    relationships_created: int
    relationships_updated: int
    relationships_deleted: int
    changes_recorded: int

    @classmethod
    def of(cls, s: WriteSummary) -> WriteResult:
        return cls(
            nodes_created=s.nodes_created,
            nodes_updated=s.nodes_updated,
            relationships_created=s.relationships_created,
            relationships_updated=s.relationships_updated,
            relationships_deleted=s.relationships_deleted,
            changes_recorded=s.changes_recorded,
        )


@strawberry.type(description="A signed token for the embeddable map widget.")
class EmbedToken:
    token: str
    url: str
    expires_at: datetime


# --------------------------------------------------------------------------- helpers

_LINKS = {
    "department_id",
    "company_id",
    "parent_department_id",
    "opportunity_id",
    "rep_ids",
    "contact_ids",
    "member_ids",
}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in vars(value).items() if v is not None}
    return value


def _given(inp: object) -> dict[str, Any]:
    """Fields the caller set (``null`` included), as plain values."""
    return {k: _plain(v) for k, v in vars(inp).items() if v is not UNSET}


def _new_id(label: Label) -> str:
    return f"{label.value.lower()}-{uuid4().hex[:12]}"


async def _prepare(
    ctx: Context, label: Label, inp: object
) -> tuple[Node, Node | None, dict[str, Any]]:
    """(validated node, existing node or None, link fields) of an upsert input."""
    given = _given(inp)
    links = {k: given.pop(k) for k in list(given) if k in _LINKS}
    node_id = given.pop("id", None)
    if node_id is None:
        node_id = _new_id(label)
    existing = await in_thread(ctx.store.get_node, label, node_id)
    base = existing.model_dump(exclude={"created_at", "updated_at"}) if existing else {}
    try:
        node = LABEL_MODELS[label].model_validate(base | given | {"id": node_id})
    except ValidationError as exc:
        raise from_validation_error(exc, "input") from exc
    return node, existing, links


async def _write(ctx: Context, batch: GraphBatch) -> WriteSummary:
    summary = await in_thread(ctx.store.write, batch, by=ctx.principal.name)
    ctx.invalidate()
    return summary


async def _require(ctx: Context, label: Label, node_id: str, field: str) -> tuple[Node, str | None]:
    """The node and its account; NOT_FOUND / FORBIDDEN otherwise."""
    return await ctx.owned_node(label, node_id, field=field)


async def _require_account(ctx: Context, company_id: str, field: str) -> None:
    await ctx.account_node(company_id, field=field)


def _rel(t: RelType, fl: Label, f: str, tl: Label, to: str, **props: Any) -> Relationship:
    return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to, properties=props)


def _props(t: RelType, raw: dict[str, Any]) -> dict[str, Any]:
    try:
        return rel_properties(t, {k: v for k, v in raw.items() if v is not None})
    except ValidationError as exc:
        raise from_validation_error(exc, None) from exc


async def _rep_teams(ctx: Context, rep_id: str) -> frozenset[str]:
    return frozenset(r.to_id for r in await ctx.loaders.outgoing(RelType.MEMBER_OF, rep_id))


def _writer(ctx: Context) -> None:
    require_writer(ctx.principal)


# ------------------------------------------------------------------------ upserts


async def upsert_company(ctx: Context, inp: CompanyInput) -> Account:
    _writer(ctx)
    node, existing, _ = await _prepare(ctx, Label.COMPANY, inp)
    if existing is None:
        require_admin(ctx.principal, "create an account")
    else:
        await _require_account(ctx, node.id, "input.id")
    await _write(ctx, GraphBatch(nodes=[node]))
    return build(Account, node)


async def upsert_department(ctx: Context, inp: DepartmentInput) -> Department:
    _writer(ctx)
    node, existing, links = await _prepare(ctx, Label.DEPARTMENT, inp)
    rels = []
    if existing is not None:
        await _require(ctx, Label.DEPARTMENT, node.id, "input.id")
    company_id, parent_id = links.get("company_id"), links.get("parent_department_id")
    if company_id and parent_id:
        raise BadInput(
            "give companyId or parentDepartmentId, not both", field="input.parentDepartmentId"
        )
    if company_id:
        await _require_account(ctx, company_id, "input.companyId")
        rels.append(_rel(RelType.PART_OF, Label.DEPARTMENT, node.id, Label.COMPANY, company_id))
    elif parent_id:
        if parent_id == node.id:
            raise BadInput(
                "a department cannot be part of itself", field="input.parentDepartmentId"
            )
        await _require(ctx, Label.DEPARTMENT, parent_id, "input.parentDepartmentId")
        rels.append(_rel(RelType.PART_OF, Label.DEPARTMENT, node.id, Label.DEPARTMENT, parent_id))
    elif existing is None:
        raise BadInput(
            "a new department needs companyId or parentDepartmentId", field="input.companyId"
        )
    await _write(ctx, GraphBatch(nodes=[node], relationships=rels))
    company = await ctx.loaders.company_of(Label.DEPARTMENT, node.id)
    return build(Department, node, company_id=company)


async def upsert_contact(ctx: Context, inp: ContactInput) -> Contact:
    _writer(ctx)
    node, existing, links = await _prepare(ctx, Label.CONTACT, inp)
    if existing is not None:
        await _require(ctx, Label.CONTACT, node.id, "input.id")
    rels = []
    dept = links.get("department_id")
    if dept:
        await _require(ctx, Label.DEPARTMENT, dept, "input.departmentId")
        rels.append(_rel(RelType.WORKS_IN, Label.CONTACT, node.id, Label.DEPARTMENT, dept))
    elif existing is None:
        raise BadInput("a new contact needs departmentId", field="input.departmentId")
    await _write(ctx, GraphBatch(nodes=[node], relationships=rels))
    return Contact.of(node, await ctx.loaders.company_of(Label.CONTACT, node.id))


async def upsert_opportunity(ctx: Context, inp: OpportunityInput) -> Opportunity:
    _writer(ctx)
    node, existing, links = await _prepare(ctx, Label.OPPORTUNITY, inp)
    if existing is not None:
        await _require(ctx, Label.OPPORTUNITY, node.id, "input.id")
    rels = []
    company_id = links.get("company_id")
    if company_id:
        await _require_account(ctx, company_id, "input.companyId")
        rels.append(_rel(RelType.FOR, Label.OPPORTUNITY, node.id, Label.COMPANY, company_id))
    elif existing is None:
        raise BadInput("a new opportunity needs companyId", field="input.companyId")
    await _write(ctx, GraphBatch(nodes=[node], relationships=rels))
    company = await ctx.loaders.company_of(Label.OPPORTUNITY, node.id)
    return build(Opportunity, node, company_id=company)


async def upsert_rep(ctx: Context, inp: RepInput) -> Rep:
    _writer(ctx)
    node, existing, _ = await _prepare(ctx, Label.REP, inp)
    own = (
        ctx.principal.role == Role.REP and ctx.principal.rep_id == node.id and existing is not None
    )
    if not own:
        require_admin(ctx.principal, "create or change another rep")
    elif bool(node.industry_expert) != bool(existing.industry_expert):  # type: ignore[union-attr]
        # §3.8: the flag raises the rep's grade; it is granted, not self-declared
        raise ForbiddenError(
            "only an ADMIN may change industryExpert", field="input.industryExpert"
        )
    await _write(ctx, GraphBatch(nodes=[node]))
    return build(Rep, node)


async def upsert_team(ctx: Context, inp: TeamInput) -> Team:
    _writer(ctx)
    require_admin(ctx.principal, "create or change teams")
    node, _, links = await _prepare(ctx, Label.TEAM, inp)
    members = links.get("member_ids") or []
    for i, rep_id in enumerate(members):
        if await ctx.loaders.node(Label.REP, rep_id) is None:
            raise NotFoundError(f"Rep {rep_id!r} not found", field=f"input.memberIds[{i}]")
    rels = [_rel(RelType.MEMBER_OF, Label.REP, r, Label.TEAM, node.id) for r in members]
    await _write(ctx, GraphBatch(nodes=[node], relationships=rels))
    return build(Team, node)


async def upsert_competitor(ctx: Context, inp: CompetitorInput) -> Competitor:
    _writer(ctx)
    node, _, _ = await _prepare(ctx, Label.COMPETITOR, inp)
    await _write(ctx, GraphBatch(nodes=[node]))
    return build(Competitor, node)


async def upsert_interaction(ctx: Context, inp: InteractionInput, *, log: bool) -> Interaction:
    _writer(ctx)
    if log and inp.at in (UNSET, None):
        inp.at = datetime.now(UTC)
    node, existing, links = await _prepare(ctx, Label.INTERACTION, inp)
    if existing is not None and not ctx.principal.sees_everything:
        raise ForbiddenError("only an ADMIN may change a logged interaction", field="input.id")
    rels: list[Relationship] = []
    company_id, opp_id = links.get("company_id"), links.get("opportunity_id")
    rep_ids, contact_ids = links.get("rep_ids") or [], links.get("contact_ids") or []
    if log and not (company_id or opp_id or contact_ids):
        raise BadInput(
            "say what the interaction is about: companyId, opportunityId or contactIds",
            field="input.companyId",
        )
    if company_id:
        await _require_account(ctx, company_id, "input.companyId")
        rels.append(_rel(RelType.ABOUT, Label.INTERACTION, node.id, Label.COMPANY, company_id))
    if opp_id:
        await _require(ctx, Label.OPPORTUNITY, opp_id, "input.opportunityId")
        rels.append(_rel(RelType.ABOUT, Label.INTERACTION, node.id, Label.OPPORTUNITY, opp_id))
    for i, cid in enumerate(contact_ids):
        await _require(ctx, Label.CONTACT, cid, f"input.contactIds[{i}]")
        rels.append(_rel(RelType.ATTENDED, Label.CONTACT, cid, Label.INTERACTION, node.id))
    for i, rid in enumerate(rep_ids):
        if await ctx.loaders.node(Label.REP, rid) is None:
            raise NotFoundError(f"Rep {rid!r} not found", field=f"input.repIds[{i}]")
        rels.append(_rel(RelType.ATTENDED, Label.REP, rid, Label.INTERACTION, node.id))
    await _write(ctx, GraphBatch(nodes=[node], relationships=rels))
    return build(Interaction, node, company_id=company_id)


# ----------------------------------------------------------------- relationships


async def set_stance(
    ctx: Context, contact_id: str, stance: Stance, opportunity_id: str | None
) -> Contact:
    _writer(ctx)
    node, company_id = await _require(ctx, Label.CONTACT, contact_id, "contactId")
    if opportunity_id is None:
        updated = node.model_copy(update={"stance": stance})
        await _write(ctx, GraphBatch(nodes=[updated]))
        return Contact.of(updated, company_id)
    await _require(ctx, Label.OPPORTUNITY, opportunity_id, "opportunityId")
    roles = await in_thread(ctx.store.relationships, RelType.HAS_ROLE, from_ids=[contact_id])
    role = next((r for r in roles if r.to_id == opportunity_id), None)
    if role is None:
        raise BadInput(
            f"contact {contact_id!r} holds no role in opportunity {opportunity_id!r}; assignRole first",
            field="opportunityId",
        )
    props = {**role.properties, "stance": stance.value}
    rel = _rel(
        RelType.HAS_ROLE, Label.CONTACT, contact_id, Label.OPPORTUNITY, opportunity_id, **props
    )
    await _write(ctx, GraphBatch(relationships=[rel]))
    return Contact.of(node, company_id)


async def set_relationship_level(
    ctx: Context,
    rep_id: str,
    contact_id: str,
    level: int,
    last_contact_at: datetime | None,
    since: Any,
) -> Contact:
    _writer(ctx)
    node, company_id = await _require(ctx, Label.CONTACT, contact_id, "contactId")
    if await ctx.loaders.node(Label.REP, rep_id) is None:
        raise NotFoundError(f"Rep {rep_id!r} not found", field="repId")
    if not may_act_for_rep(ctx.principal, rep_id, await _rep_teams(ctx, rep_id)):
        raise ForbiddenError(f"you may not set the relationships of rep {rep_id!r}", field="repId")
    props = _props(
        RelType.KNOWS, {"level": level, "last_contact_at": last_contact_at, "since": since}
    )
    if "level" not in props:
        raise BadInput("level is required", field="level")
    rel = _rel(RelType.KNOWS, Label.REP, rep_id, Label.CONTACT, contact_id, **props)
    await _write(ctx, GraphBatch(relationships=[rel]))
    return Contact.of(node, company_id)


async def link(
    ctx: Context, type: TieType, from_id: str, to_id: str, strength: int | None, *, remove: bool
) -> WriteResult:
    _writer(ctx)
    if from_id == to_id:
        raise BadInput("a contact cannot be tied to itself", field="toId")
    await _require(ctx, Label.CONTACT, from_id, "fromId")
    await _require(ctx, Label.CONTACT, to_id, "toId")
    rel_type = RelType(type.value)
    if remove:
        key = (str(rel_type), str(Label.CONTACT), from_id, str(Label.CONTACT), to_id)
        deleted = await in_thread(ctx.store.delete_relationships, [key], by=ctx.principal.name)
        ctx.invalidate()
        if not deleted:
            raise NotFoundError(f"no {rel_type} from {from_id!r} to {to_id!r}", field="toId")
        return WriteResult.of(WriteSummary(relationships_deleted=deleted))
    if strength is not None and rel_type != RelType.INFLUENCES:
        raise BadInput("strength applies to INFLUENCES only", field="strength")
    props = _props(rel_type, {"strength": strength}) if rel_type == RelType.INFLUENCES else {}
    rel = _rel(rel_type, Label.CONTACT, from_id, Label.CONTACT, to_id, **props)
    return WriteResult.of(await _write(ctx, GraphBatch(relationships=[rel])))


async def assign_role(
    ctx: Context,
    contact_id: str,
    opportunity_id: str,
    role: DecisionRole | None,
    stance: Stance | None,
    *,
    remove: bool,
) -> WriteResult:
    _writer(ctx)
    _, contact_company = await _require(ctx, Label.CONTACT, contact_id, "contactId")
    _, opp_company = await _require(ctx, Label.OPPORTUNITY, opportunity_id, "opportunityId")
    if remove:
        key = (
            str(RelType.HAS_ROLE),
            str(Label.CONTACT),
            contact_id,
            str(Label.OPPORTUNITY),
            opportunity_id,
        )
        deleted = await in_thread(ctx.store.delete_relationships, [key], by=ctx.principal.name)
        ctx.invalidate()
        if not deleted:
            raise NotFoundError(
                f"contact {contact_id!r} holds no role in opportunity {opportunity_id!r}",
                field="opportunityId",
            )
        return WriteResult.of(WriteSummary(relationships_deleted=deleted))
    if contact_company != opp_company:
        raise BadInput(
            "the contact and the opportunity belong to different accounts", field="opportunityId"
        )
    props = _props(
        RelType.HAS_ROLE,
        {"role": role.value if role else None, "stance": stance.value if stance else None},
    )
    rel = _rel(
        RelType.HAS_ROLE, Label.CONTACT, contact_id, Label.OPPORTUNITY, opportunity_id, **props
    )
    return WriteResult.of(await _write(ctx, GraphBatch(relationships=[rel])))


async def assign_coverage(
    ctx: Context,
    company_id: str,
    rep_id: str | None,
    team_id: str | None,
    kind: CoverKind,
    *,
    remove: bool,
) -> WriteResult:
    _writer(ctx)
    if (rep_id is None) == (team_id is None):
        raise BadInput("give exactly one of repId and teamId", field="repId")
    p = ctx.principal
    if p.role not in (Role.ADMIN, Role.MANAGER):
        raise ForbiddenError("only an ADMIN or a MANAGER may assign coverage")
    await _require_account(ctx, company_id, "companyId")
    label, coverer, field = (
        (Label.REP, rep_id, "repId") if rep_id else (Label.TEAM, team_id, "teamId")
    )
    assert coverer is not None
    if await ctx.loaders.node(label, coverer) is None:
        raise NotFoundError(f"{label} {coverer!r} not found", field=field)
    if p.role == Role.MANAGER:
        allowed = (
            coverer in p.team_ids
            if label == Label.TEAM
            else may_act_for_rep(p, coverer, await _rep_teams(ctx, coverer))
        )
        if not allowed:
            raise ForbiddenError(f"{label} {coverer!r} is not in your teams", field=field)
    if remove:
        key = (str(RelType.COVERS), str(label), coverer, str(Label.COMPANY), company_id)
        deleted = await in_thread(ctx.store.delete_relationships, [key], by=p.name)
        ctx.invalidate()
        if not deleted:
            raise NotFoundError(f"{label} {coverer!r} does not cover {company_id!r}", field=field)
        return WriteResult.of(WriteSummary(relationships_deleted=deleted))
    rel = _rel(RelType.COVERS, label, coverer, Label.COMPANY, company_id, kind=kind.value)
    return WriteResult.of(await _write(ctx, GraphBatch(relationships=[rel])))


async def import_dataset(ctx: Context, dataset: Any) -> WriteResult:
    from stakegraph.graph.dataset import import_dataset as run

    require_admin(ctx.principal, "import a dataset")
    if not isinstance(dataset, dict):
        raise BadInput("dataset must be a JSON object (dataset v1)", field="dataset")
    summary = await in_thread(run, ctx.store, dataset, by=ctx.principal.name)
    ctx.invalidate()
    return WriteResult.of(summary)


# ----------------------------------------------------------------------- the root


def _ctx(info: Info) -> Context:
    return info.context


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create (ADMIN) or update an account.")
    async def upsert_company(self, info: Info, input: CompanyInput) -> Account:
        return await upsert_company(_ctx(info), input)

    @strawberry.mutation
    async def upsert_department(self, info: Info, input: DepartmentInput) -> Department:
        return await upsert_department(_ctx(info), input)

    @strawberry.mutation
    async def upsert_contact(self, info: Info, input: ContactInput) -> Contact:
        return await upsert_contact(_ctx(info), input)

    @strawberry.mutation
    async def upsert_opportunity(self, info: Info, input: OpportunityInput) -> Opportunity:
        return await upsert_opportunity(_ctx(info), input)

    @strawberry.mutation(description="Create or change a rep (ADMIN; a REP may edit themselves).")
    async def upsert_rep(self, info: Info, input: RepInput) -> Rep:
        return await upsert_rep(_ctx(info), input)

    @strawberry.mutation(description="Create or change a team and add members (ADMIN).")
    async def upsert_team(self, info: Info, input: TeamInput) -> Team:
        return await upsert_team(_ctx(info), input)

    @strawberry.mutation
    async def upsert_competitor(self, info: Info, input: CompetitorInput) -> Competitor:
        return await upsert_competitor(_ctx(info), input)

    @strawberry.mutation
    async def upsert_interaction(self, info: Info, input: InteractionInput) -> Interaction:
        return await upsert_interaction(_ctx(info), input, log=False)

    @strawberry.mutation(description="Log a visit, call… with its attendees (每访必记).")
    async def log_interaction(self, info: Info, input: InteractionInput) -> Interaction:
        return await upsert_interaction(_ctx(info), input, log=True)

    @strawberry.mutation(
        description="Set a contact's stance, or its stance in one deal (HAS_ROLE)."
    )
    async def set_stance(
        self,
        info: Info,
        contact_id: strawberry.ID,
        stance: Stance,
        opportunity_id: strawberry.ID | None = None,
    ) -> Contact:
        return await set_stance(_ctx(info), contact_id, stance, opportunity_id)

    @strawberry.mutation(description="Set a rep's KNOWS level (0–4) with a contact.")
    async def set_relationship_level(
        self,
        info: Info,
        rep_id: strawberry.ID,
        contact_id: strawberry.ID,
        level: int,
        last_contact_at: datetime | None = None,
        since: datetime | None = None,
    ) -> Contact:
        return await set_relationship_level(
            _ctx(info), rep_id, contact_id, level, last_contact_at, since.date() if since else None
        )

    @strawberry.mutation(description="Tie two contacts (INFLUENCES takes a strength 1–3).")
    async def link(
        self,
        info: Info,
        type: TieType,
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        strength: int | None = None,
    ) -> WriteResult:
        return await link(_ctx(info), type, from_id, to_id, strength, remove=False)

    @strawberry.mutation
    async def unlink(
        self, info: Info, type: TieType, from_id: strawberry.ID, to_id: strawberry.ID
    ) -> WriteResult:
        return await link(_ctx(info), type, from_id, to_id, None, remove=True)

    @strawberry.mutation(description="Give a contact a buying-centre role in a deal.")
    async def assign_role(
        self,
        info: Info,
        contact_id: strawberry.ID,
        opportunity_id: strawberry.ID,
        role: DecisionRole,
        stance: Stance | None = None,
    ) -> WriteResult:
        return await assign_role(_ctx(info), contact_id, opportunity_id, role, stance, remove=False)

    @strawberry.mutation
    async def remove_role(
        self, info: Info, contact_id: strawberry.ID, opportunity_id: strawberry.ID
    ) -> WriteResult:
        return await assign_role(_ctx(info), contact_id, opportunity_id, None, None, remove=True)

    @strawberry.mutation(
        description="A rep or team COVERS an account (ADMIN; MANAGER for their teams)."
    )
    async def assign_coverage(
        self,
        info: Info,
        company_id: strawberry.ID,
        rep_id: strawberry.ID | None = None,
        team_id: strawberry.ID | None = None,
        kind: CoverKind = CoverKind.OWNER,
    ) -> WriteResult:
        return await assign_coverage(_ctx(info), company_id, rep_id, team_id, kind, remove=False)

    @strawberry.mutation
    async def unassign_coverage(
        self,
        info: Info,
        company_id: strawberry.ID,
        rep_id: strawberry.ID | None = None,
        team_id: strawberry.ID | None = None,
    ) -> WriteResult:
        return await assign_coverage(
            _ctx(info), company_id, rep_id, team_id, CoverKind.OWNER, remove=True
        )

    @strawberry.mutation(description="Validate, then upsert a dataset v1 document (ADMIN).")
    async def import_dataset(self, info: Info, dataset: JSON) -> WriteResult:
        return await import_dataset(_ctx(info), dataset)

    @strawberry.mutation(
        description="A signed, short-lived token for the map widget of an account."
    )
    async def embed_token(
        self,
        info: Info,
        account_id: strawberry.ID,
        view: MapView = MapView.ORG,
        opportunity_id: strawberry.ID | None = None,
    ) -> EmbedToken:
        ctx = _ctx(info)
        await _require_account(ctx, account_id, "accountId")
        if opportunity_id is not None:
            _, company = await _require(ctx, Label.OPPORTUNITY, opportunity_id, "opportunityId")
            if company != account_id:
                raise BadInput("the opportunity is not this account's", field="opportunityId")
        mask = not ctx.principal.sees_everything
        token = mint_token(ctx.settings, account_id, view, opportunity_id, mask_foreign=mask)
        url = map_url(ctx.settings, account_id, view, opportunity_id, token=token)
        expires = datetime.now(UTC) + timedelta(seconds=ctx.settings.embed_token_ttl_seconds)
        return EmbedToken(token=token, url=url, expires_at=expires)
