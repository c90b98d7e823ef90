"""Use cases that change the graph: upserts, stances, levels, ties, roles, coverage,
visits and dataset imports.

Every use case checks the caller against the access policy, validates its whole
input with the domain models, then writes one atomic batch (so a refused write
writes nothing); the store records the change events of §2 with ``by`` = the
caller's name. Fields are given as plain values keyed by the domain's field names
(``None`` = set to null; absent = keep).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from pydantic import ValidationError

from stakegraph.graph.model import (
    LABEL_MODELS,
    CoverKind,
    DecisionRole,
    Label,
    Node,
    Relationship,
    RelType,
    Stance,
    rel_properties,
)
from stakegraph.graph.store import GraphBatch, NodePatch, RelPatch, WriteSummary
from stakegraph.influence.models import LevelSuggestion
from stakegraph.service.access import (
    check_interaction_time,
    may_act_for_rep,
    may_assign_coverage,
    require_admin,
    require_writer,
)
from stakegraph.service.errors import BadInput, Forbidden, NotFound, from_validation_error
from stakegraph.service.insights import current_suggestion, evidence_key
from stakegraph.service.scope import Scope

__all__ = [
    "TIE_TYPES",
    "accept_suggestion",
    "assign_coverage",
    "assign_role",
    "dismiss_suggestion",
    "link",
    "log_interaction",
    "set_relationship_level",
    "set_stance",
    "upsert_company",
    "upsert_competitor",
    "upsert_contact",
    "upsert_department",
    "upsert_opportunity",
    "upsert_rep",
    "upsert_team",
]

#: Contact-to-contact ties a caller may draw.
TIE_TYPES = (RelType.REPORTS_TO, RelType.INFLUENCES, RelType.ALLY_OF, RelType.RIVAL_OF)


def _new_id(label: Label) -> str:
    return f"{label.value.lower()}-{uuid4().hex[:12]}"


def _rel(t: RelType, fl: Label, f: str, tl: Label, to: str, **props: Any) -> Relationship:
    return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to, properties=props)


def _props(t: RelType, raw: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return rel_properties(t, {k: v for k, v in raw.items() if v is not None})
    except ValidationError as exc:
        raise from_validation_error(exc, None) from exc


def _prepare(scope: Scope, label: Label, fields: Mapping[str, Any]) -> tuple[Node, Node | None]:
    """(validated node, existing node or None) of an upsert: given fields over the
    stored ones. The node is for checks only: the write is a :class:`NodePatch` of the
    given fields (:func:`_patch`), applied to the node as it is when written."""
    given = dict(fields)
    node_id = given.pop("id", None)
    if node_id is None:
        node_id = _new_id(label)
    existing = scope.nodes(label, [node_id]).get(node_id)
    base = existing.model_dump(exclude={"created_at", "updated_at"}) if existing else {}
    try:
        node = LABEL_MODELS[label].model_validate(base | given | {"id": node_id})
    except ValidationError as exc:
        raise from_validation_error(exc, "input") from exc
    return node, existing


def _given(node: Node, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The validated values of the fields a caller gave (by domain name)."""
    return {k: getattr(node, k) for k in fields if k != "id" and k in type(node).model_fields}


def _patch(
    scope: Scope,
    node: Node,
    fields: Mapping[str, Any],
    relationships: Sequence[Relationship] = (),
    *,
    values: Mapping[str, Any] | None = None,
) -> Node:
    """Set only the given fields of ``node`` (their validated values in ``node``, or
    ``values``) inside the write transaction, so no writer reverts another's fields;
    the node as stored after it."""
    patch = dict(values) if values is not None else _given(node, fields)
    batch = GraphBatch(
        patches=[NodePatch(label=node.label, id=node.id, fields=patch)],
        relationships=list(relationships),
    )
    _, written = scope.store.write_returning(batch, by=scope.principal.name)
    scope.forget()
    return written[(node.label, node.id)]


def _write(scope: Scope, batch: GraphBatch) -> WriteSummary:
    summary = scope.store.write(batch, by=scope.principal.name)
    scope.forget()
    return summary


def _delete(scope: Scope, key: tuple[str, str, str, str, str]) -> int:
    deleted = scope.store.delete_relationships([key], by=scope.principal.name)
    scope.forget()
    return deleted


def _visible_rep(scope: Scope, rep_id: str, field: str) -> None:
    if rep_id not in scope.visible_records(Label.REP, [rep_id]):
        raise NotFound.of(Label.REP, rep_id, field=field)


def _act_for(scope: Scope, rep_id: str, field: str) -> None:
    _visible_rep(scope, rep_id, field)
    teams = scope.rep_team_ids([rep_id])[rep_id]
    if not may_act_for_rep(scope.principal, rep_id, teams):
        raise Forbidden(f"you may not act for rep {rep_id!r}", field=field)


# ---------------------------------------------------------------------------- upserts


def upsert_company(scope: Scope, fields: Mapping[str, Any]) -> Node:
    """Create (ADMIN) or update a visible account."""
    require_writer(scope.principal)
    node, existing = _prepare(scope, Label.COMPANY, fields)
    if existing is None:
        require_admin(scope.principal, "create an account")
    else:
        scope.account(node.id, field="input.id")
    return _patch(scope, node, fields)


def upsert_department(
    scope: Scope,
    fields: Mapping[str, Any],
    *,
    company_id: str | None = None,
    parent_department_id: str | None = None,
) -> tuple[Node, str | None]:
    """Create or update a department of a visible account (new ones need a parent)."""
    require_writer(scope.principal)
    node, existing = _prepare(scope, Label.DEPARTMENT, fields)
    if existing is not None:
        scope.record(Label.DEPARTMENT, node.id, field="input.id")
    if company_id and parent_department_id:
        raise BadInput(
            "give companyId or parentDepartmentId, not both", field="input.parentDepartmentId"
        )
    rels = []
    if company_id:
        scope.account(company_id, field="input.companyId")
        rels.append(_rel(RelType.PART_OF, Label.DEPARTMENT, node.id, Label.COMPANY, company_id))
    elif parent_department_id:
        if parent_department_id == node.id:
            raise BadInput(
                "a department cannot be part of itself", field="input.parentDepartmentId"
            )
        scope.record(Label.DEPARTMENT, parent_department_id, field="input.parentDepartmentId")
        rels.append(
            _rel(RelType.PART_OF, Label.DEPARTMENT, node.id, Label.DEPARTMENT, parent_department_id)
        )
    elif existing is None:
        raise BadInput(
            "a new department needs companyId or parentDepartmentId", field="input.companyId"
        )
    node = _patch(scope, node, fields, rels)
    return node, scope.owner(Label.DEPARTMENT, node.id)


def upsert_contact(
    scope: Scope, fields: Mapping[str, Any], *, department_id: str | None = None
) -> tuple[Node, str | None]:
    """Create (in a department of a visible account) or update a visible contact."""
    require_writer(scope.principal)
    node, existing = _prepare(scope, Label.CONTACT, fields)
    if existing is not None:
        scope.record(Label.CONTACT, node.id, field="input.id")
    rels = []
    if department_id:
        scope.record(Label.DEPARTMENT, department_id, field="input.departmentId")
        rels.append(_rel(RelType.WORKS_IN, Label.CONTACT, node.id, Label.DEPARTMENT, department_id))
    elif existing is None:
        raise BadInput("a new contact needs departmentId", field="input.departmentId")
    node = _patch(scope, node, fields, rels)
    return node, scope.owner(Label.CONTACT, node.id)


def upsert_opportunity(
    scope: Scope, fields: Mapping[str, Any], *, company_id: str | None = None
) -> tuple[Node, str | None]:
    """Create (for a visible account) or update a visible opportunity."""
    require_writer(scope.principal)
    node, existing = _prepare(scope, Label.OPPORTUNITY, fields)
    if existing is not None:
        scope.record(Label.OPPORTUNITY, node.id, field="input.id")
    rels = []
    if company_id:
        scope.account(company_id, field="input.companyId")
        rels.append(_rel(RelType.FOR, Label.OPPORTUNITY, node.id, Label.COMPANY, company_id))
    elif existing is None:
        raise BadInput("a new opportunity needs companyId", field="input.companyId")
    node = _patch(scope, node, fields, rels)
    return node, scope.owner(Label.OPPORTUNITY, node.id)


def upsert_rep(scope: Scope, fields: Mapping[str, Any]) -> Node:
    """Create or change a rep (ADMIN); a REP may edit themselves, but not grant
    themselves ``industry_expert`` (§3.8: it raises the grade; it is granted)."""
    require_writer(scope.principal)
    node, existing = _prepare(scope, Label.REP, fields)
    p = scope.principal
    own = p.rep_id == node.id and existing is not None and p.role == "REP"
    if not own:
        require_admin(p, "create or change another rep")
    elif bool(getattr(node, "industry_expert", False)) != bool(
        getattr(existing, "industry_expert", False)
    ):
        raise Forbidden("only an ADMIN may change industryExpert", field="input.industryExpert")
    return _patch(scope, node, fields)


def upsert_team(scope: Scope, fields: Mapping[str, Any], *, member_ids: Sequence[str] = ()) -> Node:
    """Create or change a team and add members (ADMIN)."""
    require_writer(scope.principal)
    require_admin(scope.principal, "create or change teams")
    node, _ = _prepare(scope, Label.TEAM, fields)
    found = scope.nodes(Label.REP, list(member_ids))
    for i, rep_id in enumerate(member_ids):
        if rep_id not in found:
            raise NotFound.of(Label.REP, rep_id, field=f"input.memberIds[{i}]")
    rels = [_rel(RelType.MEMBER_OF, Label.REP, r, Label.TEAM, node.id) for r in member_ids]
    return _patch(scope, node, fields, rels)


def upsert_competitor(scope: Scope, fields: Mapping[str, Any]) -> Node:
    """Create or rename a competitor (ADMIN: competitors are shared by every account,
    including rivals' deals)."""
    require_writer(scope.principal)
    require_admin(scope.principal, "create or rename competitors")
    node, _ = _prepare(scope, Label.COMPETITOR, fields)
    return _patch(scope, node, fields)


def log_interaction(
    scope: Scope,
    fields: Mapping[str, Any],
    *,
    company_id: str | None = None,
    opportunity_id: str | None = None,
    contact_ids: Sequence[str] = (),
    rep_ids: Sequence[str] = (),
    log: bool = True,
    now: datetime | None = None,
) -> tuple[Node, str | None]:
    """Log a visit, call… (每访必记) about a visible account, with its attendees.

    ``log`` (``logInteraction``) stamps ``at`` now when not given and needs a subject;
    an existing interaction may be changed by an ADMIN only. Attending reps are reps
    the caller may act for (a REP: themselves); ``at`` lies not in the future.
    """
    require_writer(scope.principal)
    moment = now or datetime.now(UTC)
    given = dict(fields)
    if log and given.get("at") is None:
        given["at"] = moment
    node, existing = _prepare(scope, Label.INTERACTION, given)
    if existing is not None:
        require_admin(scope.principal, "change a logged interaction", field="input.id")
    at = getattr(node, "at", None)
    if isinstance(at, datetime):
        check_interaction_time(at, moment)
    if log and not (company_id or opportunity_id or contact_ids):
        raise BadInput(
            "say what the interaction is about: companyId, opportunityId or contactIds",
            field="input.companyId",
        )
    rels: list[Relationship] = []
    subject = None
    if company_id:
        scope.account(company_id, field="input.companyId")
        subject = company_id
        rels.append(_rel(RelType.ABOUT, Label.INTERACTION, node.id, Label.COMPANY, company_id))
    if opportunity_id:
        _, opp_company = scope.record(
            Label.OPPORTUNITY, opportunity_id, field="input.opportunityId"
        )
        subject = subject or opp_company
        rels.append(
            _rel(RelType.ABOUT, Label.INTERACTION, node.id, Label.OPPORTUNITY, opportunity_id)
        )
    for i, cid in enumerate(contact_ids):
        _, owner = scope.record(Label.CONTACT, cid, field=f"input.contactIds[{i}]")
        subject = subject or owner
        rels.append(_rel(RelType.ATTENDED, Label.CONTACT, cid, Label.INTERACTION, node.id))
    for i, rid in enumerate(rep_ids):
        _act_for(scope, rid, f"input.repIds[{i}]")
        rels.append(_rel(RelType.ATTENDED, Label.REP, rid, Label.INTERACTION, node.id))
    node = _patch(scope, node, given, rels)
    return node, subject


# ------------------------------------------------------------------ relationships


def set_stance(
    scope: Scope, contact_id: str, stance: Stance | str, opportunity_id: str | None = None
) -> tuple[Node, str | None]:
    """Set a contact's stance, or its stance in one deal (``HAS_ROLE.stance``)."""
    require_writer(scope.principal)
    node, company_id = scope.record(Label.CONTACT, contact_id, field="contactId")
    value = Stance(stance)
    if opportunity_id is None:
        updated = _patch(scope, node, {}, values={"stance": value})
        return updated, company_id
    scope.record(Label.OPPORTUNITY, opportunity_id, field="opportunityId")
    roles = scope.relationships(RelType.HAS_ROLE, from_ids=[contact_id])
    role = next((r for r in roles if r.to_id == opportunity_id), None)
    if role is None:
        raise BadInput(
            f"contact {contact_id!r} holds no role in opportunity {opportunity_id!r}; "
            "assignRole first",
            field="opportunityId",
        )
    patch = RelPatch(
        type=RelType.HAS_ROLE,
        from_label=Label.CONTACT,
        from_id=contact_id,
        to_label=Label.OPPORTUNITY,
        to_id=opportunity_id,
        fields={"stance": value.value},
    )
    _write(scope, GraphBatch(rel_patches=[patch]))
    return node, company_id


def set_relationship_level(
    scope: Scope,
    rep_id: str,
    contact_id: str,
    level: int,
    *,
    last_contact_at: datetime | None = None,
    since: date | None = None,
) -> tuple[Node, str | None]:
    """Set a rep's ``KNOWS`` level (0–4) with a visible contact, as one who may act for
    that rep."""
    require_writer(scope.principal)
    node, company_id = scope.record(Label.CONTACT, contact_id, field="contactId")
    _act_for(scope, rep_id, "repId")
    if last_contact_at is not None:
        check_interaction_time(last_contact_at, datetime.now(UTC), field="lastContactAt")
    props = _props(
        RelType.KNOWS, {"level": level, "last_contact_at": last_contact_at, "since": since}
    )
    if "level" not in props:
        raise BadInput("level is required", field="level")
    rel = _rel(RelType.KNOWS, Label.REP, rep_id, Label.CONTACT, contact_id, **props)
    _write(scope, GraphBatch(relationships=[rel]))
    return node, company_id


def link(
    scope: Scope,
    rel_type: RelType,
    from_id: str,
    to_id: str,
    *,
    strength: int | None = None,
    remove: bool = False,
) -> WriteSummary:
    """Tie two visible contacts (or remove the tie); INFLUENCES takes a strength 1–3."""
    require_writer(scope.principal)
    if rel_type not in TIE_TYPES:
        raise BadInput(f"{rel_type} is not a tie between contacts", field="type")
    if from_id == to_id:
        raise BadInput("a contact cannot be tied to itself", field="toId")
    scope.record(Label.CONTACT, from_id, field="fromId")
    scope.record(Label.CONTACT, to_id, field="toId")
    if remove:
        key = (str(rel_type), str(Label.CONTACT), from_id, str(Label.CONTACT), to_id)
        if not _delete(scope, key):
            raise NotFound(f"no {rel_type} from {from_id!r} to {to_id!r}", field="toId")
        return WriteSummary(relationships_deleted=1)
    if strength is not None and rel_type != RelType.INFLUENCES:
        raise BadInput("strength applies to INFLUENCES only", field="strength")
    props = _props(rel_type, {"strength": strength}) if rel_type == RelType.INFLUENCES else {}
    rel = _rel(rel_type, Label.CONTACT, from_id, Label.CONTACT, to_id, **props)
    return _write(scope, GraphBatch(relationships=[rel]))


def assign_role(
    scope: Scope,
    contact_id: str,
    opportunity_id: str,
    role: DecisionRole | str | None = None,
    stance: Stance | str | None = None,
    *,
    remove: bool = False,
) -> WriteSummary:
    """Give a contact a buying-centre role in a deal of the same account (or remove it)."""
    require_writer(scope.principal)
    _, contact_company = scope.record(Label.CONTACT, contact_id, field="contactId")
    _, opp_company = scope.record(Label.OPPORTUNITY, opportunity_id, field="opportunityId")
    if remove:
        key = (
            str(RelType.HAS_ROLE),
            str(Label.CONTACT),
            contact_id,
            str(Label.OPPORTUNITY),
            opportunity_id,
        )
        if not _delete(scope, key):
            raise NotFound(
                f"contact {contact_id!r} holds no role in opportunity {opportunity_id!r}",
                field="opportunityId",
            )
        return WriteSummary(relationships_deleted=1)
    if contact_company != opp_company:
        raise BadInput(
            "the contact and the opportunity belong to different accounts", field="opportunityId"
        )
    props = _props(
        RelType.HAS_ROLE,
        {
            "role": None if role is None else DecisionRole(role).value,
            "stance": None if stance is None else Stance(stance).value,
        },
    )
    rel = _rel(
        RelType.HAS_ROLE, Label.CONTACT, contact_id, Label.OPPORTUNITY, opportunity_id, **props
    )
    return _write(scope, GraphBatch(relationships=[rel]))


def assign_coverage(
    scope: Scope,
    company_id: str,
    *,
    rep_id: str | None = None,
    team_id: str | None = None,
    kind: CoverKind | str = CoverKind.OWNER,
    remove: bool = False,
) -> WriteSummary:
    """A rep or team ``COVERS`` a visible account (ADMIN; MANAGER for their teams)."""
    require_writer(scope.principal)
    if (rep_id is None) == (team_id is None):
        raise BadInput("give exactly one of repId and teamId", field="repId")
    scope.account(company_id, field="companyId")
    label, coverer, field = (
        (Label.REP, rep_id, "repId") if rep_id is not None else (Label.TEAM, str(team_id), "teamId")
    )
    assert coverer is not None
    if coverer not in scope.nodes(label, [coverer]):
        raise NotFound.of(label, coverer, field=field)
    teams = scope.rep_team_ids([coverer])[coverer] if label == Label.REP else frozenset()
    if not may_assign_coverage(scope.principal, label, coverer, teams, CoverKind(kind)):
        raise Forbidden(f"you may not assign coverage by {label} {coverer!r}", field=field)
    if remove:
        key = (str(RelType.COVERS), str(label), coverer, str(Label.COMPANY), company_id)
        if not _delete(scope, key):
            raise NotFound(f"{label} {coverer!r} does not cover {company_id!r}", field=field)
        return WriteSummary(relationships_deleted=1)
    rel = _rel(
        RelType.COVERS, label, coverer, Label.COMPANY, company_id, kind=CoverKind(kind).value
    )
    return _write(scope, GraphBatch(relationships=[rel]))


# ------------------------------------------------------------- suggested levels §3.15


def accept_suggestion(
    scope: Scope, rep_id: str, contact_id: str, *, as_of: date | None = None
) -> tuple[LevelSuggestion, Node, str]:
    """Accept the open level suggestion (§3.15) for a rep and a contact: an ordinary
    ``KNOWS`` level change (its other properties kept), with its change event.

    Same authorization as :func:`set_relationship_level`: the caller must be able to
    act for the rep.

    Raises
    ------
    NotFound
        When the contact or rep is not visible, or no open suggestion concerns the pair.
    Forbidden
        When the caller may not act for the rep.
    """
    require_writer(scope.principal)
    node, _ = scope.record(Label.CONTACT, contact_id, field="contactId")
    _act_for(scope, rep_id, "repId")
    company_id, s = current_suggestion(scope, rep_id, contact_id, as_of)
    ties = scope.relationships(RelType.KNOWS, from_ids=[rep_id])
    tie = next((r for r in ties if r.to_id == contact_id), None)
    props: dict[str, Any] = dict(tie.properties) if tie is not None else {"since": s.last_at}
    props["level"] = s.suggested_level
    rel = _rel(
        RelType.KNOWS, Label.REP, rep_id, Label.CONTACT, contact_id, **_props(RelType.KNOWS, props)
    )
    _write(scope, GraphBatch(relationships=[rel]))
    return s, node, company_id


def dismiss_suggestion(
    scope: Scope, rep_id: str, contact_id: str, *, as_of: date | None = None
) -> tuple[LevelSuggestion, str]:
    """Dismiss the open level suggestion (§3.15) for a rep and a contact: its evidence
    key is stored on the rep, so it does not return for the same evidence.

    Same authorization as :func:`accept_suggestion`.
    """
    require_writer(scope.principal)
    scope.record(Label.CONTACT, contact_id, field="contactId")
    _act_for(scope, rep_id, "repId")
    company_id, s = current_suggestion(scope, rep_id, contact_id, as_of)
    rep = scope.nodes(Label.REP, [rep_id])[rep_id]
    keys = list(getattr(rep, "dismissed_suggestions", []))
    key = evidence_key(s)
    if key not in keys:
        keys.append(key)
    _write(scope, GraphBatch(nodes=[rep.model_copy(update={"dismissed_suggestions": keys})]))
    return s, company_id
