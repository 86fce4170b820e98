"""Enumerations inside a requirement: 一是…二是… (or 一要…二要…, mixed), 第一…第二…,
（一）（二）, 一、二、, 1. 2., 首先…其次…最后.

An enumeration is two or more markers of one style, numbered in order, each at the head of
a clause (after a colon, semicolon, full stop, comma or a line break). Items are split
exactly at their markers; markers of another style inside an item stay in its text, so a
nested list (一是…：1. … 2. …；二是…) keeps its inner list inside the outer item. A list
may run over lines (（一）… on one line, （二）… on the next); its last item runs to the end
of its line unless the caller stops it sooner (a new speaker).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from archive.enrich.text import SENTENCE_END

_DIGITS = "一二三四五六七八九"
MAX_ITEMS = 30
MAX_ITEM_CHARS = 3000
"""How far on its line the next marker is looked for: an item is a few sentences. Without
a bound, a text of one long line (a 5 MB line) made each cue scan to its end."""
_HEAD = r"(?:(?<=[:;。,，：；、\n“])|^)\s*"
"""A marker opens a clause: at a line start or after clause punctuation."""


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens - 1] + "十")
    return head + (_DIGITS[ones - 1] if ones else "")


def _style(template: Callable[[str, int], str]) -> Callable[[int], re.Pattern[str]]:
    @cache
    def marker(n: int) -> re.Pattern[str]:
        return re.compile(_HEAD + template(chinese_number(n), n), re.MULTILINE)

    return marker


# Each style: the pattern of its n-th marker.
STYLES: dict[str, Callable[[int], re.Pattern[str]]] = {
    # 一是…二要…三是: pages mix the two in one list.
    "一是": _style(lambda cn, n: rf"{cn}(?:是|要(?!求))"),
    "第一": _style(lambda cn, n: rf"第{cn}(?:是|[,，、:：]|(?=[要抓强加])|\s)"),
    "其一": _style(lambda cn, n: rf"其{cn}(?:是|[,，、:：])"),
    "（一）": _style(lambda cn, n: rf"[（(]{cn}[）)]"),
    "（1）": _style(lambda cn, n: rf"[（(]{n}[）)]"),
    "一、": _style(lambda cn, n: rf"{cn}、"),
    "1.": _style(lambda cn, n: rf"{n}(?:[.．、](?!\d)|\s)"),
}

_FIRST = re.compile(_HEAD + r"首先[,，]?", re.MULTILINE)
_NEXT = re.compile(_HEAD + r"(?:其次|再次|然后|此外)[,，]?", re.MULTILINE)
_LAST = re.compile(_HEAD + r"最后[,，]?", re.MULTILINE)


@dataclass(frozen=True)
class Item:
    """One enumerated part: ``start``..``end`` is its text without the marker."""

    marker_start: int
    start: int
    end: int


def announced_until(text: str, end: int) -> int:
    """How far the first marker of a list a sentence ending at ``end`` announces may lie:
    up to the start of the next sentence's second character (做好以下工作。第一，…)."""
    pos = end
    while pos < len(text) and (text[pos].isspace() or text[pos] in SENTENCE_END):
        pos += 1
    return min(len(text), pos + 4)


def line_end(text: str, pos: int) -> int:
    """The offset of the line break ending the line at ``pos`` (or the text's end)."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _item_end(text: str, pos: int) -> tuple[int, int]:
    """Where the same-line search for the next marker after ``pos`` stops, and the line
    break there (-1 when the line goes on past :data:`MAX_ITEM_CHARS`)."""
    eol = text.find("\n", pos, pos + MAX_ITEM_CHARS)
    return (eol if eol >= 0 else min(len(text), pos + MAX_ITEM_CHARS)), eol


def _numbered(
    text: str, first: re.Match[str], style: Callable[[int], re.Pattern[str]], stop: int
) -> list[re.Match[str]]:
    """The markers 1, 2, 3 … of one style from ``first`` on: the next one in the same
    line, or opening the next line."""
    found = [first]
    while len(found) < MAX_ITEMS:
        previous = found[-1]
        same_line, eol = _item_end(text, previous.end())
        following = style(len(found) + 1)
        m = following.search(text, previous.end(), min(same_line, stop))
        if m is None and 0 <= eol < stop:
            m = following.match(text, eol + 1, stop)
        if m is None:
            break
        found.append(m)
    return found


def _ordered(text: str, first: re.Match[str], stop: int) -> list[re.Match[str]]:
    """首先 … 其次 … 最后, on one line or opening the next lines."""
    found = [first]
    while len(found) < MAX_ITEMS:
        previous = found[-1]
        same_line, eol = _item_end(text, previous.end())
        limit = min(same_line, stop)
        m = _NEXT.search(text, previous.end(), limit) or _LAST.search(text, previous.end(), limit)
        if m is None and 0 <= eol < stop:
            m = _NEXT.match(text, eol + 1, stop) or _LAST.match(text, eol + 1, stop)
        if m is None:
            break
        found.append(m)
        if m.re is _LAST:
            break
    return found


# 全县各部门|一要…: the first marker of a list may follow the subject of its clause.
_AFTER_SUBJECT = re.compile(
    r"(?:(?<=[:;。,，：；\n“])|^)[\u4e00-\u9fff]{2,12}?(?=一(?:是|要(?!求)))"
)
_ONE = re.compile("一(?:是|要(?!求))")


def _first_marker(text: str, start: int, end: int) -> tuple[re.Match[str], str] | None:
    """The earliest first marker (一是, 第一, （一）, 1., 首先) in ``start``..``end``."""
    candidates = [
        (m, name) for name, style in STYLES.items() if (m := style(1).search(text, start, end))
    ]
    if (m := _FIRST.search(text, start, end)) is not None:
        candidates.append((m, "首先"))
    subject = None if candidates else _AFTER_SUBJECT.search(text, start, end)
    if subject is not None and (m := _ONE.match(text, subject.end(), end)) is not None:
        candidates.append((m, "一是"))
    return min(candidates, key=lambda c: c[0].start(), default=None)


def find_items(text: str, start: int, end: int, stop: int) -> list[Item]:
    """The items of the enumeration whose first marker lies in ``start``..``end`` (the
    requirement that announces it), reading on to ``stop`` at most; [] when there is
    none or only one marker."""
    first = _first_marker(text, start, end)
    if first is None:
        return []
    m, name = first
    markers = _ordered(text, m, stop) if name == "首先" else _numbered(text, m, STYLES[name], stop)
    if len(markers) < 2:
        return []
    ends = [nxt.start() for nxt in markers[1:]] + [min(line_end(text, markers[-1].end()), stop)]
    return [Item(mk.start(), mk.end(), e) for mk, e in zip(markers, ends, strict=True)]
