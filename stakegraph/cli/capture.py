"""Activity capture commands: capture-calendar, capture-mail, and the level suggestions
(§3.15) they lead to: suggestions [ACCOUNT] | accept ID | dismiss ID."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from stakegraph.cli.common import (
    AsOfOpt,
    DbOpt,
    StoreOpt,
    UriOpt,
    as_of_date,
    console,
    failure,
    open_scope,
    t,
)
from stakegraph.influence.models import LevelSuggestion
from stakegraph.service import insights, writes
from stakegraph.service import portfolio as pf
from stakegraph.service.capture import Captured, capture_calendar, capture_mail
from stakegraph.service.errors import BadInput
from stakegraph.service.scope import Scope

__all__ = ["register"]

RepOpt = Annotated[
    str | None,
    typer.Option("--rep", help="the rep whose calendar or mailbox it is (Rep id)"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print the result as JSON")]


def _moment(option: str, text: str | None, *, end: bool = False) -> datetime | None:
    """YYYY-MM-DD (a whole day: --until includes it) or an ISO date-time (UTC if naive)."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            start = datetime.combine(date.fromisoformat(text), time(), UTC)
            return start + timedelta(days=1) if end else start
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        failure(t("bad_moment", option=option, value=text))
        raise typer.Exit(2) from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _as_json(result: Captured) -> dict[str, Any]:
    return {
        "rep_id": result.rep_id,
        "counts": {str(k): v for k, v in result.counts.items()},
        "upcoming": result.upcoming,
        "written": result.written,
        "summary": result.summary.model_dump(),
        "events": [
            {
                "outcome": str(o.outcome),
                "summary": o.summary,
                "start": o.start.isoformat() if o.start else None,
                "interaction_id": o.interaction_id,
                "contact_ids": list(o.contact_ids),
                "rep_ids": list(o.rep_ids),
                "unmatched": list(o.unmatched),
            }
            for o in result.outcomes
        ],
        "unmatched": [
            {"address": u.address, "name": u.name, "events": u.events} for u in result.unmatched
        ],
    }


def _print(result: Captured, source: Path, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(_as_json(result), ensure_ascii=False) + "\n")
        return
    columns = ("outcome", "when_utc", "title", "interaction", "attendees")
    table = Table(*(t(f"col.{c}") for c in columns), title=str(source))
    for o in result.outcomes:
        table.add_row(
            str(o.outcome),
            o.start.strftime("%Y-%m-%d %H:%M") if o.start else "",
            o.summary,
            o.interaction_id,
            ", ".join((*o.rep_ids, *o.contact_ids)),
        )
    console.print(table)
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items() if v)
    tail = t("capture.upcoming", n=result.upcoming) if result.upcoming else ""
    console.print(
        t("capture.summary", counts=counts or t("capture.no_events"), n=len(result.written)) + tail,
        highlight=False,
    )
    if result.unmatched:
        unmatched = Table(
            t("col.address"), t("col.name"), t("col.events"), title=t("capture.unmatched")
        )
        for u in result.unmatched:
            unmatched.add_row(u.address, u.name or "", str(u.events))
        console.print(unmatched)


def _bad_file(source: Path, exc: BadInput) -> typer.Exit:
    message = exc.message
    prefix = f"{source}: "
    if message.startswith(prefix):
        message = message[len(prefix) :]
    sys.stderr.write(f"{t('error')} {source}: {message}\n")
    return typer.Exit(2)


def capture_calendar_cmd(
    file: Annotated[Path, typer.Argument(help="an iCalendar export (.ics, Outlook or Google)")],
    rep: RepOpt = None,
    since: Annotated[
        str | None, typer.Option("--since", help="from (YYYY-MM-DD; default: 90 days back)")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="up to and including (default: now)")
    ] = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Capture the meetings of a calendar export as interactions (again: nothing changes)."""
    window = (_moment("--since", since), _moment("--until", until, end=True))
    try:
        text = file.read_bytes()
    except OSError as exc:
        sys.stderr.write(f"{t('error')} {file}: {exc.strerror or exc}\n")
        raise typer.Exit(1) from exc
    with open_scope(store, db, neo4j_uri) as scope:
        try:
            result = capture_calendar(scope, text, rep_id=rep, window=window)
        except BadInput as exc:
            if exc.field != "ics":
                raise
            raise _bad_file(file, exc) from exc
    _print(result, file, as_json)


def capture_mail_cmd(
    path: Annotated[Path, typer.Argument(help="an mbox file, an .eml file or a folder of them")],
    rep: RepOpt = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Capture mail (headers only: bodies are never read) as interactions."""
    with open_scope(store, db, neo4j_uri) as scope:
        try:
            result = capture_mail(scope, path, rep_id=rep)
        except BadInput as exc:
            if exc.field != "path":
                raise
            raise _bad_file(path, exc) from exc
    _print(result, path, as_json)


# ------------------------------------------------------------ suggestions §3.15


def suggestion_id(s: LevelSuggestion) -> str:
    """How a suggestion is named on the command line: REP:CONTACT."""
    return f"{s.rep_id}:{s.contact_id}"


def _listed(
    scope: Scope, account: str | None, rep: str | None, day: date
) -> list[tuple[str, LevelSuggestion]]:
    if rep is not None:
        found = insights.rep_suggestions(scope, rep, day)
        return [(c, s) for c, s in found if account is None or c == account]
    if account is not None:
        return [(account, s) for s in insights.account_suggestions(scope, account, day)]
    ids = [n.id for n in pf.select_accounts(scope, pf.AccountSelection())]
    return [(c, s) for c in ids for s in insights.account_suggestions(scope, c, day)]


def _pair(text: str) -> tuple[str, str]:
    rep, sep, contact = text.partition(":")
    if not (sep and rep and contact):
        failure(t("sugg.bad_name", value=text))
        raise typer.Exit(2)
    return rep, contact


def suggestions_cmd(
    account: Annotated[
        str | None,
        typer.Argument(help="an account (Company id), or accept / dismiss", show_default=False),
    ] = None,
    suggestion: Annotated[
        str | None, typer.Argument(help="after accept / dismiss: the suggestion, REP:CONTACT")
    ] = None,
    rep: Annotated[str | None, typer.Option("--rep", help="one rep's suggestions")] = None,
    as_of: AsOfOpt = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    db: DbOpt = None,
    neo4j_uri: UriOpt = None,
) -> None:
    """Suggested KNOWS levels from captured activity (§3.15), per account or rep;
    `suggestions accept REP:CONTACT` applies one, `suggestions dismiss REP:CONTACT`
    hides it until new evidence."""
    day = as_of_date(as_of)
    if account in ("accept", "dismiss"):
        if suggestion is None:
            failure(t("sugg.needs", action=account))
            raise typer.Exit(2)
        rep_id, contact_id = _pair(suggestion)
        with open_scope(store, db, neo4j_uri) as scope:
            if account == "accept":
                s, _, company_id = writes.accept_suggestion(scope, rep_id, contact_id, as_of=day)
            else:
                s, company_id = writes.dismiss_suggestion(scope, rep_id, contact_id, as_of=day)
        if as_json:
            row = s.model_dump(mode="json") | {"company_id": company_id, "id": suggestion}
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        done = t("sugg.accepted") if account == "accept" else t("sugg.dismissed")
        level = s.current_level if s.current_level is not None else "-"
        console.print(
            t(
                "sugg.done",
                done=done,
                id=suggestion,
                level=level,
                suggested=s.suggested_level,
                account=company_id,
            ),
            highlight=False,
        )
        return
    if suggestion is not None:
        failure(t("sugg.give_one"))
        raise typer.Exit(2)
    with open_scope(store, db, neo4j_uri) as scope:
        found = _listed(scope, account, rep, day)
    if as_json:
        rows = [
            s.model_dump(mode="json") | {"company_id": c, "id": suggestion_id(s)} for c, s in found
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return
    if not found:
        console.print(t("sugg.none", day=day), highlight=False)
        return
    columns = ("id", "account", "level", "suggested", "interactions", "visits", "last")
    table = Table(*(t(f"col.{c}") for c in columns), title=t("sugg.title", day=day))
    for c, s in found:
        table.add_row(
            suggestion_id(s),
            c,
            "-" if s.current_level is None else str(s.current_level),
            str(s.suggested_level),
            str(s.interactions),
            str(s.visits_or_meetings),
            s.last_at.isoformat(),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("capture-calendar")(capture_calendar_cmd)
    app.command("capture-mail")(capture_mail_cmd)
    app.command("suggestions")(suggestions_cmd)
