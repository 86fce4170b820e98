"""``archive person NAME``: the page of a person, in the terminal or as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from archive.cli import Json, _existing_archive, _fail, _print_json, _settings, app, out
from archive.errors import ArchiveError

if TYPE_CHECKING:
    from archive.person_page import Appearance, Day, PersonGroup, PersonPage, PostSpan

ROLE_HEADINGS = {
    "chaired": "chaired",
    "spoke": "spoke (speech, report, relayed)",
    "attended": "attended",
    "named": "named, no role",
}


@app.command()
def person(
    name: Annotated[str, typer.Argument(help="The person's name, in either script.")],
    as_json: Json = False,
) -> None:
    """A person's page: posts held with first and last day, meetings by role, directives
    given and the people met most often. The same name under unrelated organisations is
    shown as separate groups."""
    from archive.person_page import read_person_page

    try:
        page = read_person_page(_existing_archive(_settings()), name)
    except ArchiveError as error:
        _fail(error)
    if as_json:
        _print_json(page.model_dump_json(indent=2))
        return
    _print_page(page)


def _print_page(page: PersonPage) -> None:
    groups = len(page.groups)
    out.print(
        f"[bold]{escape(page.name)}[/bold]  {page.read} documents"
        + (f", {groups} groups (same name, unrelated organisations)" if groups > 1 else "")
    )
    if page.capped:
        out.print(f"[yellow]only the newest {page.read} of {page.total} documents were read[/]")
    for group in page.groups:
        _print_group(page.name, group, several=groups > 1)
    out.print("\n[dim]* year inferred (not written with the date); ????: year unknown[/dim]")


def _print_group(name: str, group: PersonGroup, *, several: bool) -> None:
    where = "、".join(group.orgs) or "organisation not stated"
    out.print()
    out.rule(f"{escape(name)} · {escape(where)} · {len(group.documents)} documents", align="left")
    if several and not group.orgs:
        out.print("[dim]These documents tie the name to no organisation of the groups above.[/]")
    if group.posts:
        out.print(_timeline(group.posts))
    for key, heading in ROLE_HEADINGS.items():
        appearances: list[Appearance] = getattr(group.meetings, key)
        if appearances:
            out.print(f"\n[bold]{heading}[/bold] ({len(appearances)})")
            for appearance in appearances:
                meeting = appearance.meeting or appearance.title
                out.print(
                    f"  {day_text(appearance.day)}  {escape(meeting)}  "
                    f"[dim]{appearance.document_id}[/dim]"
                )
    if group.directives:
        out.print(f"\n[bold]directives[/bold] ({len(group.directives)})")
        for given in group.directives:
            d = given.directive
            out.print(f"  {day_text(given.day)}  {escape(d.cue)}：{escape(d.text)}")
            for n, item in enumerate(d.items, 1):
                out.print(f"      {n}. {escape(item)}")
            out.print(f"      [dim]{escape(given.meeting or given.title)}  {given.document_id}[/]")
    if group.companions:
        met = "、".join(f"{c.name} ({c.documents})" for c in group.companions)
        out.print(f"\n[bold]met most often[/bold]  {escape(met)}")


def _timeline(posts: list[PostSpan]) -> Table:
    table = Table(title="posts held", title_justify="left", box=None, pad_edge=False)
    for column in ("first seen", "last seen", "post", "organisation", "documents"):
        table.add_column(column)
    for span in posts:
        org = span.org if span.org and span.org not in span.title else ""
        table.add_row(
            day_text(span.first),
            day_text(span.last),
            escape(span.title),
            escape(org),
            str(len(span.seen)),
        )
    return table


def day_text(day: Day | None) -> str:
    """``2023-03-06``; ``2023-03-06*`` when the year is inferred; ``????-03-06`` when it is
    unknown; ``—`` without a day."""
    if day is None:
        return "—"
    if day.date is None:
        return "????" + day.month_day[1:]
    return day.date.isoformat() + ("*" if day.year_inferred else "")
