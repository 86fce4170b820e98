"""Dates: find date expressions, resolve the year of those written without one.

Handles ``2021年1月8日``, ``2021-01-08``, ``2021.1.8``, ``1月8日``, Chinese numerals
(``一九九八年一月五日``, ``十二月三十一日``) and ranges (``1月8日-9日``, ``1月8日至9日``,
``1月8-9日``, ``1月30日—2月1日``). Input is :func:`archive.enrich.text.fold`-ed text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}

_Y = r"(?:\d{4}|[〇○零一二三四五六七八九]{4})"
_M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_CN_1_9 = "[一二三四五六七八九]"
_D = rf"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十{_CN_1_9}?|十{_CN_1_9}?|{_CN_1_9})"
_DASH = r"\s*(?:[-—–~～]+|至|到)\s*"

_CN_DATE = re.compile(
    rf"(?<![\d〇○零一二三四五六七八九十])"
    rf"(?:(?P<y>{_Y})年)?(?P<m>{_M})月(?P<d>{_D})"
    rf"(?:(?:{_DASH}(?P<dd>{_D}))?[日号]"
    rf"(?:{_DASH}(?:(?:(?P<y2>{_Y})年)?(?P<m2>{_M})月)?(?P<d2>{_D})[日号])?)"
)
_ISO_DATE = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<s>[-./])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d)"
)
_FILENAME_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
_FISCAL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年度")
_EXPLICIT_YEAR = re.compile(rf"(?<![\d〇○零一二三四五六七八九])({_Y})年(?!代)")
_TARGET_BEFORE = ("到", "至", "至今", "截至")

NEAR_YEAR_WINDOW = 200
"""How close (in characters, either side) an explicit ``YYYY年`` must be to a yearless date
to lend it its year. Within a paragraph the year written next to 'January 8' is its year;
further away an article may be recalling another year."""

ROLLBACK_DAYS = 60
"""A yearless date resolved with the filename's year that falls more than this many days
after the filename date belongs to the year before (a December meeting reported in January)."""


@dataclass(frozen=True)
class DateMention:
    """A date expression as written; ``year`` is None when the text leaves it out."""

    start: int
    end: int
    year: int | None
    month: int
    day: int
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None

    @property
    def is_range(self) -> bool:
        return self.end_day is not None


def cn_number(s: str) -> int:
    """An Arabic or Chinese-numeral number: ``12``, ``十二``, ``三十一``, ``一九九八``."""
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    tens, _, units = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def _num(s: str | None) -> int | None:
    return None if s is None else cn_number(s)


def find_dates(text: str) -> Iterator[DateMention]:
    """Every date expression of ``text`` with a month and a day, in order."""
    found = [_from_cn(m) for m in _CN_DATE.finditer(text)]
    found += [_from_iso(m) for m in _ISO_DATE.finditer(text)]
    for mention in sorted(found, key=lambda d: d.start):
        if _valid(mention):
            yield mention


def date_at(text: str, pos: int) -> int:
    """The end of the date expression starting at ``pos``, or ``pos`` when none does."""
    m = _CN_DATE.match(text, pos) or _ISO_DATE.match(text, pos)
    return m.end() if m else pos


def _from_cn(m: re.Match[str]) -> DateMention:
    year, month, day = _num(m["y"]), cn_number(m["m"]), cn_number(m["d"])
    if m["dd"]:  # 1月8-9日
        return DateMention(m.start(), m.end(), year, month, day, year, month, cn_number(m["dd"]))
    if not m["d2"]:
        return DateMention(m.start(), m.end(), year, month, day)
    end_month = _num(m["m2"]) or month
    return DateMention(
        m.start(), m.end(), year, month, day, _num(m["y2"]), end_month, cn_number(m["d2"])
    )


def _from_iso(m: re.Match[str]) -> DateMention:
    return DateMention(m.start(), m.end(), int(m["y"]), int(m["m"]), int(m["d"]))


def _valid(d: DateMention) -> bool:
    try:
        dt.date(d.year or 2000, d.month, d.day)  # 2000 is a leap year: 2月29日 passes
        if d.end_day is not None:
            dt.date(d.end_year or 2000, d.end_month or d.month, d.end_day)
    except ValueError:
        return False
    return True


def filename_date(filename: str) -> dt.date | None:
    """A date written in a filename: ``20210108``, ``2021-01-08``, ``19980101-01-002.txt``."""
    for m in _FILENAME_DATE.finditer(filename):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
    return None


def fiscal_year(*texts: str | None) -> int | None:
    """The year of the first ``N年度`` in ``texts`` (meeting name, title, first sentence)."""
    for text in texts:
        if text and (m := _FISCAL_YEAR.search(text)):
            return int(m[1])
    return None


def near_year(text: str, mention: DateMention, window: int = NEAR_YEAR_WINDOW) -> int | None:
    """The latest explicit year written within ``window`` characters of ``mention``.

    Target years (``到2035年``, ``至2025年``) are skipped: they name a plan's horizon, not
    the time of the article."""
    lo, hi = max(0, mention.start - window), min(len(text), mention.end + window)
    years = []
    for m in _EXPLICIT_YEAR.finditer(text, lo, hi):
        if text[max(0, m.start() - 2) : m.start()].endswith(_TARGET_BEFORE):
            continue
        year = cn_number(m[1])
        if 1900 <= year <= 2100:
            years.append(year)
    return max(years, default=None)


def resolve_year(
    text: str,
    mention: DateMention,
    *,
    fiscal: int | None = None,
    file_date: dt.date | None = None,
) -> int | None:
    """The year of ``mention``, from (in order) the expression itself, an ``N年度`` of the
    meeting, the filename's date, or the latest explicit year near the mention."""
    if mention.year is not None:
        return mention.year
    if fiscal is not None:
        return fiscal
    if file_date is not None:
        try:
            candidate = dt.date(file_date.year, mention.month, mention.day)
        except ValueError:  # 2月29日 in a common year: the filename's year is wrong
            return file_date.year - 1
        if (candidate - file_date).days > ROLLBACK_DAYS:
            return file_date.year - 1
        return file_date.year
    return near_year(text, mention)


def to_dates(mention: DateMention, year: int) -> tuple[dt.date, dt.date | None] | None:
    """The start date and (for ranges) the end date of ``mention`` in ``year``.

    A range whose end month comes before its start month ends in the next year
    (``12月30日—1月2日``)."""
    try:
        start = dt.date(year, mention.month, mention.day)
        if mention.end_day is None:
            return start, None
        end_month = mention.end_month or mention.month
        end_year = mention.end_year or (year + 1 if end_month < mention.month else year)
        end = dt.date(end_year, end_month, mention.end_day)
    except ValueError:
        return None
    return (start, end) if end >= start else (start, None)
