"""When and where a web page was published, as its markup says.

Meeting reports rarely write the year of the meeting (``3月6日召开``); the page they were
published on usually does, in markup the text extraction drops: ``<meta
name="publishdate">``, Open Graph's ``article:published_time``, ``<time datetime>``. The
page's address (``<link rel="canonical">``, ``og:url``, or the ``saved from url`` comment
browsers write into saved pages) often holds the date too (``/2023/0312/``, ``t20230312``).
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.html

_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|(\d{2})(\d{2}))(?!\d)"
)
# Meta names (lowercased) that carry a page's publication date, most specific first.
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:release_date",
    "publishdate",
    "pubdate",
    "publish_date",
    "publishtime",
    "publish-date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "firstpublishedtime",
)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_ADDRESS_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
_ADDRESS_MONTH = re.compile(r"/((?:19|20)\d{2})[-_]?(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])\D")


def parse_date(value: str) -> dt.date | None:
    """The first plausible date written in ``value``: ``2023-03-12T10:00+08:00``,
    ``2023/3/12``, ``2023年03月12日``, ``20230312``; None if there is none."""
    for m in _DATE.finditer(value):
        month, day = (m[2], m[3]) if m[2] else (m[4], m[5])
        try:
            return dt.date(int(m[1]), int(month), int(day))
        except ValueError:
            continue
    return None


def address_date(address: str) -> dt.date | None:
    """A date in a page's address: ``/2023-03/12/``, ``/20230312/``, ``t20230312_123``."""
    path = re.sub(r"^[a-z]+://[^/]+", "", address, flags=re.IGNORECASE)
    for pattern in (_ADDRESS_DATE, _ADDRESS_MONTH):
        for m in pattern.finditer(path + "/"):
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
    return None


def published_in_markup(tree: lxml.html.HtmlElement) -> dt.date | None:
    """The publication date the page's markup gives, if any."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _PUBLISHED_META and key not in found and meta.get("content"):
            found[key] = meta.get("content", "")
    for key in _PUBLISHED_META:
        if key in found and (date := parse_date(found[key])) is not None:
            return date
    for time in tree.iter("time"):
        value = time.get("datetime") or time.text_content()
        if value and (date := parse_date(value)) is not None:
            return date
    return None


def address_in_markup(tree: lxml.html.HtmlElement, markup: str) -> str | None:
    """The page's own address: its canonical link, ``og:url``, or the address a browser
    noted when saving it."""
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return link.get("href", "").strip() or None
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key == "og:url" and (content := (meta.get("content") or "").strip()):
            return content
    if m := _SAVED_FROM.search(markup[:4096]):
        return m[1]
    return None
