"""The report of ``archive eval meetings`` for people: rich tables over a :class:`MeetingRun`.

In order: what was scored; one row per field with its value, counts and goal; the pinyin
left, the extraction speed and the unreadable pages; the pages with the most wrong facts
and what was wrong on them; per set field the most frequent misses and false alarms (for
titles also the titles alone); per exact field the pages it got wrong. ``--json`` prints
:meth:`MeetingRun.as_dict` instead, which holds the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from archive.evaluate.gold import failure_lines, percent, ranking_table
from archive.evaluate.meetings import (
    EXACT_FIELDS,
    SET_FIELDS,
    TOP,
    WORST_OF,
    FieldScore,
    MeetingEvaluation,
    MeetingRun,
    PageScore,
)

__all__ = ["fields_table", "report", "report_lines", "worst_table"]

NONE = "—"
"""Shown for a null value (no date, no chair ...)."""


def _count(number: int, noun: str) -> str:
    """``1 page``, ``2 pages``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _shown(value: str | None) -> str:
    return escape(value) if value is not None else NONE


def _value(score: FieldScore) -> str:
    if score.counts is not None:
        return percent(score.value)
    if not score.total:
        return "0/0"  # no page where the field applies (no gold year, say)
    return f"{score.right}/{score.total} {percent(score.value)}"


def _goal(score: FieldScore) -> tuple[str, str]:
    if score.goal is None:
        return "", ""
    return f"{100 * score.goal:.0f}", "✓" if score.met else "✗"


def fields_table(evaluation: MeetingEvaluation) -> Table:
    """One row per field: its value (F1 for set fields, right/total for exact ones),
    P/R/TP/FP/FN where they apply, and the goal with whether it is met."""
    table = Table(
        title=f"Meeting facts over {len(evaluation.pages)} pages, micro-averaged "
        "(value: F1 % of a set, right/total and % of an exact field)"
    )
    for name in ("field", "value", "P %", "R %", "TP", "FP", "FN", "goal", "met"):
        table.add_column(name, justify="left" if name in ("field", "met") else "right")
    for score in evaluation.fields.values():
        counts: Sequence[str] = ("",) * 5
        if score.counts is not None:
            c = score.counts
            counts = (percent(c.precision), percent(c.recall), str(c.tp), str(c.fp), str(c.fn))
        table.add_row(score.name, _value(score), *counts, *_goal(score))
    return table


def report_lines(run: MeetingRun) -> list[str]:
    """The plain lines below the fields table: pinyin left, speed, unreadable pages."""
    evaluation = run.evaluation
    with_pinyin = sorted(p.id for p in evaluation.pages if p.pinyin_left)
    pinyin = (
        f"pinyin left in the text: {_count(evaluation.pinyin_left, 'reading')} "
        f"(the pages held {evaluation.pinyin_gold})"
    )
    if with_pinyin:
        pinyin += f", on {_count(len(with_pinyin), 'page')}: {', '.join(with_pinyin[:TOP])}"
    return [pinyin, run.extraction.speed_line(), *failure_lines(run.extraction.failures, TOP)]


def what_was_wrong(page: PageScore) -> list[str]:
    """One line per wrong fact group of a page: an exact field's extracted value against
    the gold, a set field's misses and its false alarms."""
    lines = [f"{f}: {_shown(got)} ≠ gold {_shown(want)}" for f, (got, want) in page.wrong().items()]
    for f in WORST_OF:
        if page.misses[f]:
            lines.append(f"{f} missed: {escape(', '.join(page.misses[f]))}")
        if page.false_alarms[f]:
            lines.append(f"{f} false: {escape(', '.join(page.false_alarms[f]))}")
    return lines


def worst_table(evaluation: MeetingEvaluation, top: int = TOP) -> Table | None:
    """The pages with the most wrong facts, with what was wrong; None when none is."""
    pages = evaluation.worst(top)
    if not pages:
        return None
    table = Table(title=f"The {len(pages)} pages with the most wrong facts", show_lines=True)
    table.add_column("page")
    table.add_column("wrong", justify="right")
    table.add_column("what was wrong (extracted ≠ gold; missed; false alarms)")
    for page in pages:
        table.add_row(escape(page.id), str(page.errors), "\n".join(what_was_wrong(page)))
    return table


def _ranking_table(
    title: str, misses: Sequence[tuple[str, int]], alarms: Sequence[tuple[str, int]]
) -> Table | None:
    return ranking_table(title, misses, alarms) if misses or alarms else None


def errors_table(score: FieldScore) -> Table | None:
    """A set field's most frequent misses and false alarms, side by side (``name:title``
    for titles, ``speaker×items`` for directives); None when it has neither."""
    return _ranking_table(
        f"{score.name}: most frequent misses and false alarms",
        score.misses,
        score.false_alarms,
    )


def titles_table(score: FieldScore) -> Table | None:
    """The titles alone of a title field's misses and false alarms: which posts are
    missed, which are invented."""
    return _ranking_table(
        f"{score.name}: titles alone, missed and false",
        score.missed_titles,
        score.false_titles,
    )


def wrong_table(score: FieldScore) -> Table | None:
    """The pages an exact field got wrong, extracted against gold; None when none."""
    if not score.wrong:
        return None
    wrong = score.total - score.right
    title = f"{score.name}: wrong on {_count(wrong, 'page')}"
    if len(score.wrong) < wrong:
        title += f", the first {len(score.wrong)} shown"
    table = Table(title=title)
    for name in ("page", "extracted", "gold"):
        table.add_column(name)
    for page_id, got, want in score.wrong:
        table.add_row(escape(page_id), _shown(got), _shown(want))
    return table


def report(run: MeetingRun, top: int = TOP) -> list[RenderableType]:
    """The whole report, in the order it is printed."""
    evaluation = run.evaluation
    scored = f"{len(evaluation.pages)} of {run.selected} gold pages scored from {run.gold}"
    parts: list[RenderableType | None] = [
        Text(scored),
        fields_table(evaluation),
        *(Text(line) for line in report_lines(run)),
        worst_table(evaluation, top),
    ]
    for name in SET_FIELDS:
        parts.append(errors_table(evaluation.of(name)))
    parts.append(titles_table(evaluation.of("titles_lenient")))
    for name in EXACT_FIELDS:
        parts.append(wrong_table(evaluation.of(name)))
    return [part for part in parts if part is not None]
