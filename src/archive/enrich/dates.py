"""Dates: find date expressions, resolve the year of those written without one.

Handles ``2021年1月8日``, ``2021-01-08``, ``2021.1.8``, ``1月8日``, Chinese numerals
(``一九九八年一月五日``, ``十二月三十一日``) and ranges (``1月8日-9日``, ``1月8日至9日``,
``1月8-9日``, ``1月30日—2月1日``, ``4月27日、28日``). Input is
:func:`archive.enrich.text.fold`-ed text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from archive.records import YearSource

# A year written 二O一六 (a Latin O for 〇) is common on converted pages.
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}

_Y = r"(?:\d{4}|[〇○零O一二三四五六七八九]{4})"
_M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_CN_1_9 = "[一二三四五六七八九]"
_D = rf"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十{_CN_1_9}?|十{_CN_1_9}?|{_CN_1_9})"
_DASH = r"\s*(?:[-—–~～]+|至|到)\s*"

_CN_DATE = re.compile(
    rf"(?<![\d〇○零一二三四五六七八九十])"
    rf"(?:(?P<y>{_Y})年)?(?P<m>{_M})月(?P<d>{_D})"
    rf"(?:(?:{_DASH}(?P<dd>{_D}))?[日号]"
    rf"(?:(?:{_DASH}(?:(?:(?P<y2>{_Y})年)?(?P<m2>{_M})月)?|、)(?P<d2>{_D})[日号])?)"
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


@dataclass(frozen=True)
class YearHints:
    """What a reader would date a day written without its year by, best first."""

    published: dt.date | None = None
    published_source: YearSource = "published"
    """``published`` (header, stamp or markup) or ``address`` (a date in the page's URL)."""
    file_date: dt.date | None = None
    """A date in the file's name."""
    fiscal: int | None = None
    """The year of an ``N年度`` in the meeting's name, the title or the first sentence."""
    modified: dt.date | None = None
    """The day the file was last modified: a last resort."""


def _before(reference: dt.date, month: int, day: int) -> int:
    """The year that puts ``month``-``day`` on or before ``reference``, give or take
    :data:`ROLLBACK_DAYS` (a December meeting reported in January is last year's; a
    meeting announced a few weeks ahead is this year's)."""
    try:
        candidate = dt.date(reference.year, month, day)
    except ValueError:  # 2月29日 in a common year: the reference's year is wrong
        return reference.year - 1
    return reference.year - 1 if (candidate - reference).days > ROLLBACK_DAYS else reference.year


_RELATIVE = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}


def _relative_word(text: str, mention: DateMention) -> int | None:
    """The offset in years of a 今年/去年/明年 written right before ``mention``."""
    before = text[max(0, mention.start - 3) : mention.start].rstrip("的 ")
    return next((shift for word, shift in _RELATIVE.items() if before.endswith(word)), None)


def resolve_year(
    text: str, mention: DateMention, hints: YearHints = YearHints()
) -> tuple[int, YearSource] | tuple[None, None]:
    """The year of ``mention`` and where it came from: the expression itself
    (``written``), else, as a reader infers it, the page's publication date or a date in
    its address, a date in the file's name, an ``N年度`` of the meeting or the latest
    explicit year near the mention (``text``), and last the file's modification time. A
    今年/去年 right before the date counts from the first of those found."""
    if mention.year is not None:
        return mention.year, "written"
    near = near_year(text, mention)
    anchors: list[tuple[int, YearSource]] = []
    if hints.published is not None:
        anchors.append(
            (_before(hints.published, mention.month, mention.day), hints.published_source)
        )
    if hints.file_date is not None:
        anchors.append((_before(hints.file_date, mention.month, mention.day), "filename"))
    if hints.fiscal is not None:
        anchors.append((hints.fiscal, "text"))
    if near is not None:
        anchors.append((near, "text"))
    if hints.modified is not None:
        anchors.append((_before(hints.modified, mention.month, mention.day), "modified"))
    if not anchors:
        return None, None
    shift = _relative_word(text, mention)
    if shift is not None:
        reference = _reference_year(hints, near)
        if reference is not None:
            return reference[0] + shift, reference[1]
    return anchors[0]


def _reference_year(hints: YearHints, near: int | None) -> tuple[int, YearSource] | None:
    """The year 今年 means: the publication's, the file name's, the text's, the file's."""
    if hints.published is not None:
        return hints.published.year, hints.published_source
    if hints.file_date is not None:
        return hints.file_date.year, "filename"
    if hints.fiscal is not None:
        return hints.fiscal, "text"
    if near is not None:
        return near, "text"
    if hints.modified is not None:
        return hints.modified.year, "modified"
    return None


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
