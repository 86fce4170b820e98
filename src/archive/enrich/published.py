"""The page's publication date, as a reader finds it in the text: a header line
(``发布时间：2023-03-12``, ``日期:2016/8/12``), a line holding only a date at the top or the
bottom of the page (``2011.12.13``, ``2020年4月2日`` under ``办公室 供稿``), or an address
written in the text (``http://…/2023/0312/…``). The markup's date and address, when the
page was HTML, come from the read stage (:mod:`archive.page_meta`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from archive.page_meta import address_date, parse_date
from archive.records import YearSource

HEAD_LINES = 8
"""How many lines at the top of a page may hold its header."""
FOOT_LINES = 3
"""How many lines at the bottom may hold the date it was filed."""
MAX_DATE_LINE = 24
"""A line longer than this is a sentence, not a date stamp."""

_LABELLED = re.compile(
    r"(?:发布|发表|更新|上传|录入|刊发|稿件|信息)?(?:时间|日期)\s*[:：]?\s*"
    r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
)
_DATE_ONLY = re.compile(
    r"[\s(（]*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?)"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?[\s)）]*"
)
_EVENT_WORDS = ("会议", "活动", "开会", "召开", "举办", "举行", "开幕", "报名", "截止")
"""会议时间：… is when the meeting is, not when the page was published."""
_ADDRESS = re.compile(r"https?://[^\s\"'<>，。]+", re.IGNORECASE)


@dataclass(frozen=True)
class Publication:
    """When the page was published and how that is known."""

    date: dt.date
    source: YearSource
    """``published`` (a header line, a date stamp, the markup) or ``address``."""


def _lines(text: str) -> tuple[list[str], list[str]]:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return lines[:HEAD_LINES], lines[-FOOT_LINES:] if len(lines) > HEAD_LINES else []


def date_in_text(text: str) -> dt.date | None:
    """The publication date a header line or a date stamp of ``text`` gives, if any."""
    head, foot = _lines(text)
    for line in head:
        m = _LABELLED.search(line)
        if m and not line[: m.start()].endswith(_EVENT_WORDS) and (date := parse_date(m[1])):
            return date
    for line in (*head, *reversed(foot)):
        m = _DATE_ONLY.fullmatch(line) if len(line) <= MAX_DATE_LINE else None
        if m and (date := parse_date(m[1])):
            return date
    return None


_DATELINE_AFTER = re.compile(r"[日号]?\s*(?:讯|电|訊|電)")


def stamp_test(text: str) -> Callable[[int, int], bool]:
    """A test of whether the date at ``start``..``end`` of ``text`` dates the page rather
    than an event: a dateline (``5月10日讯``), or a line that is a date stamp or a
    ``发布时间：`` header. The lines are found once and each is judged once, for all the
    dates of the text: a text of one long line made each date rescan it."""
    breaks = [m.start() for m in re.finditer("\n", text)]
    judged: dict[tuple[int, int], bool] = {}

    def is_stamp(start: int, end: int) -> bool:
        if _DATELINE_AFTER.match(text, end):
            return True
        before = bisect.bisect_left(breaks, start)
        line_start = breaks[before - 1] + 1 if before else 0
        after = bisect.bisect_left(breaks, end)  # a date range may span a line break
        line_end = breaks[after] if after < len(breaks) else len(text)
        if (line_start, line_end) not in judged:
            line = text[line_start:line_end].strip()
            judged[line_start, line_end] = _stamp_line(line)
        return judged[line_start, line_end]

    return is_stamp


def _stamp_line(line: str) -> bool:
    if len(line) <= MAX_DATE_LINE and _DATE_ONLY.fullmatch(line):
        return True
    m = _LABELLED.search(line)
    return bool(m and not line[: m.start()].endswith(_EVENT_WORDS))


def address_in_text(text: str) -> str | None:
    """An address (URL) written in the page's header or footer lines."""
    head, foot = _lines(text)
    for line in (*head, *foot):
        if m := _ADDRESS.search(line):
            return m.group()
    return None


def publication(text: str, markup_date: dt.date | None, address: str | None) -> Publication | None:
    """The page's publication date: from its markup, its header or stamp lines, or a date
    in its address (the markup's, else one written in the text)."""
    if markup_date is not None:
        return Publication(markup_date, "published")
    if (written := date_in_text(text)) is not None:
        return Publication(written, "published")
    address = address or address_in_text(text)
    if address and (from_address := address_date(address)) is not None:
        return Publication(from_address, "address")
    return None
