"""The typed records that travel through the pipeline, and the public record.

read → :class:`RawDocument` → normalize → :class:`NormalizedDocument` → enrich →
:class:`Document`. ``Document`` is the public contract: the CLI's and the API's JSON
and the Elasticsearch mapping use its field names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

SourceFormat = Literal["text", "html", "mht", "eml", "docx", "doc", "pdf", "image"]
Script = Literal["traditional", "simplified", "mixed"]
Role = Literal["chair", "speaker", "attendee", "reporter", "conveyor"]
YearSource = Literal["written", "text", "published", "address", "filename", "modified"]
"""Where the year of a date came from: ``written`` in the date itself (``2021年1月8日``);
else inferred, as a reader would, from a year the ``text`` states (``2021年度``, a year
written nearby), the page's ``published`` date (a header line, its markup), a date in its
``address`` or its ``filename``, or, as a last resort, the file's ``modified`` time."""


class Container(BaseModel):
    """The file a document was found in: a ZIP archive or an e-mail (its attachment)."""

    filename: str
    """The file as it arrived (``会议材料.zip``, ``转发：通知.eml``); its bytes are kept
    among the originals too."""
    sha256: str
    member: str
    """Where the document was inside it: a path in a ZIP archive (``2021/纪要.docx``), an
    attachment's name; through a container inside the first, ``附件.zip/纪要.docx``."""
    message: str | None = None
    """For an e-mail's attachment: the id of the record of the message itself (its body),
    when the message has text of its own."""


@dataclass(frozen=True)
class RawDocument:
    """A file's text as decoded by a reader, before any normalization."""

    filename: str
    sha256: str
    size: int
    encoding: str
    format: SourceFormat
    text: str
    title: str | None = None
    """A title given by the markup (HTML ``<title>``/``<h1>``); plain text has none."""
    published: dt.date | None = None
    """The publication date the markup gives (``<meta>``/``<time>`` tags)."""
    address: str | None = None
    """The page's address (URL) as the markup or the saved file records it."""
    modified: dt.datetime | None = None
    """The file's modification time when it was read, if known."""
    pages: int | None = None
    """How many pages the file has, for formats that have pages (PDF)."""
    ocr: bool = False
    """True when the text was read from images by OCR (a scan): expect misread characters."""
    container: Container | None = None
    """The ZIP archive or e-mail the file was found in, if any."""


@dataclass(frozen=True)
class NormalizedDocument:
    """A document whose script is normalized: ``text`` is simplified for search and
    extraction, ``original_text`` is the decoded text minus converter residue, for display."""

    raw: RawDocument
    text: str
    original_text: str
    title: str | None
    original_title: str | None
    pinyin_removed: int = 0
    script: Script | None = None
    """The script the text was written in; None when it holds no convertible character."""


class Source(BaseModel):
    filename: str
    sha256: str
    bytes: int
    encoding: str
    format: SourceFormat
    ingested_at: dt.datetime | None = None
    pinyin_removed: int = 0
    script: Script | None = None
    address: str | None = None
    """The page's address (URL), when the file records it."""
    modified: dt.datetime | None = None
    """The file's modification time when it was first read (kept so that reprocessing
    infers the same years as the first reading)."""
    pages: int | None = None
    """How many pages the file has, for formats that have pages (PDF)."""
    ocr: bool = False
    """True when the text was read from images by OCR (a scan): expect misread characters."""
    container: Container | None = None
    """The ZIP archive or e-mail the file was found in, if any."""


class Post(BaseModel):
    """A post a person held: the title as written (``县人大常委会主任``, ``党委书记``)
    and the organisation it belongs to when the text ties them (``青禾集团``)."""

    title: str
    org: str | None = None


class Person(BaseModel):
    name: str
    titles: list[str] = Field(default_factory=list)
    """The posts as written next to the name, with the organisation part that belongs to
    the post (``市委副书记``, ``财务部部长``), without the name of the meeting's organizer
    when it merely repeats who held the meeting."""
    roles: list[Role] = Field(default_factory=list)
    org: str | None = None
    """The organisation the titles belong to, when the text names it (青禾集团 in
    ``青禾集团党委书记、董事长郑启明``; a bare ``集团`` resolved within the article)."""
    posts: list[Post] = Field(default_factory=list)
    """Each title with its organisation, where the text ties them."""

    @property
    def held(self) -> list[Post]:
        """The posts, also of a record extracted before posts were (0.5.0 and older):
        there each title, with the one ``org`` of the person."""
        return self.posts or [Post(title=title, org=self.org) for title in self.titles]


class Meeting(BaseModel):
    name: str | None = None
    type: str | None = None
    organizer: str | None = None
    start: dt.date | None = None
    """The first day, when its year is written or could be inferred (``year_source``)."""
    end: dt.date | None = None
    start_day: str | None = None
    """The first day's month and day as ``--MM-DD``, whenever the text gives them, even
    when no year can be found (``3月6日召开`` alone)."""
    end_day: str | None = None
    """The last day's ``--MM-DD`` (a one-day meeting: the same as ``start_day``)."""
    year_source: YearSource | None = None
    """Where the year of ``start`` came from; anything but ``written`` is inferred."""
    location: str | None = None
    """Where it was held, when the text says (``在集团总部``)."""


class Directive(BaseModel):
    """A requirement set by a speaker: a person, or ``会议`` (the meeting itself)."""

    speaker: str
    speaker_titles: list[str] = Field(default_factory=list)
    cue: str
    """The verb that introduced it: 强调, 要求, 指出, 提出, 部署, 号召 …"""
    text: str
    """The whole requirement, simplified, items included."""
    items: list[str] = Field(default_factory=list)
    """The enumerated parts, in order, without their markers (一是, 第二, （三）)."""
    targets: list[str] = Field(default_factory=list)
    """Whom it addresses, when stated: 全体干部, 各单位, 子公司."""
    topics: list[str] = Field(default_factory=list)
    """Key terms from ``enrich/rules/topics.txt``: 十四五规划, 疫情防控, 党建."""


class Document(BaseModel):
    """One archived article: the public record."""

    id: str
    title: str
    """The title in simplified script, as searched."""
    original_title: str | None = None
    """The title in the script the article was written in, for display."""
    text: str
    original_text: str
    date: dt.date | None = None
    """The day of the meeting reported, else the first date of the text, else the
    publication date."""
    year: int | None = None
    year_source: YearSource | None = None
    """Where the year of ``date`` came from (``written`` when the text writes it)."""
    published: dt.date | None = None
    """The page's publication date, when it gives one (a ``发布时间：`` line, its markup,
    its address)."""
    source: Source
    persons: list[Person] = Field(default_factory=list)
    orgs: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)
    meeting: Meeting = Field(default_factory=Meeting)
    """The meeting the article reports; the others it mentions are in ``meetings``."""
    meetings: list[Meeting] = Field(default_factory=list)
    periods: list[str] = Field(default_factory=list)
    """Plan periods and anniversaries mentioned (十四五, 建党100周年), in order."""
    directives: list[Directive] = Field(default_factory=list)
    extractor_version: str


def document_id(sha256: str) -> str:
    """The record id of a file: the first 16 hex digits of the SHA-256 of its bytes.

    64 bits keep ids short enough to type while a collision stays out of reach for any
    archive of news articles (birthday bound ~4 billion documents)."""
    return sha256[:16]
