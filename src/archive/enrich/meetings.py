"""Where the reported meeting is held, and the other meetings an article names.

- location: ``在<venue>召开`` (``在集团总部召开``, ``于1月8日在北京召开``) in the sentence that
  reports the meeting, or ``在<X会议室>`` (``rules/location_ends.txt``) without a verb;
- other meetings: names ending in a meeting noun whose spirit is studied or conveyed
  (``会议学习了中央经济工作会议精神``). Conservative on purpose: only a name with an
  issuer (中央, 市委) or a session number (十三届, 第1次, 2021年) is kept, and names
  sharing a head are spelt out (``中央、省委经济工作会议`` → 中央经济工作会议, 省委经济工作会议).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from archive.enrich.meeting import GENERIC_NAMES, skip_lead
from archive.enrich.rules import alternation, read_rule_file, rules

MAX_LOCATION = 16
MAX_NAME = 40

# A venue holds no clause break, no second 在 and no 的 (在党的领导下召开 is no venue).
_VENUE = rf"[^,，。;；:：、在的“”]{{1,{MAX_LOCATION}}}?"
_HELD = r"(?:隆重)?(?:召开|举行|举办|开幕)"
_NAMED = re.compile(
    r"^(?:中央|中共|党中央|国务院|全国|全省|全市|全区|全县|省|市|区|县)|届|第.{1,4}次|\d{4}年"
)
_NOT_OTHER = ("本次", "此次", "这次", "该", "上述", "本", "会议")


@cache
def _location_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    ends = alternation(frozenset(read_rule_file("location_ends.txt")))
    return re.compile(rf"在({_VENUE}){_HELD}"), re.compile(rf"在({_VENUE}(?:{ends}))")


def meeting_location(folded: str, text: str, sentence: tuple[int, int]) -> str | None:
    """Where the meeting of ``sentence`` is held, as written in ``text``, or None."""
    held, venue = _location_patterns()
    lo, hi = sentence
    m = venue.search(folded, lo, hi) or held.search(folded, lo, hi)
    if m is None:
        return None
    start = skip_lead(folded, m.start(1), m.end(1))
    place = text[start : m.end(1)].strip()
    return place or None


@cache
def _cues() -> tuple[str, ...]:
    return tuple(read_rule_file("meeting_cues.txt"))


@cache
def _other_pattern() -> re.Pattern[str]:
    r = rules()
    nouns = alternation(frozenset(r.meeting_types) | r.meeting_nouns)
    cues = alternation(frozenset(read_rule_file("meeting_cues.txt")))
    return re.compile(
        rf"(?:^|(?<=[,，;；、:：])|(?:{cues})了?)(?P<name>[^,，。;；:：“”]{{2,{MAX_NAME}}}?(?:{nouns}))的?精神"
    )


def _spelt_out(names: str) -> Iterator[str]:
    """The meetings of ``中央、省委、市委经济工作会议``: each issuer with the shared head."""
    parts = names.split("、")
    last = parts[-1]
    issuer = next(
        (f for f in sorted(rules().org_forms, key=len, reverse=True) if last.startswith(f)), ""
    )
    head = last[len(issuer) :]
    for part in parts[:-1]:
        if part in rules().org_forms and issuer:
            yield part + head
        elif part.endswith(tuple(rules().meeting_types)) or part.endswith(
            tuple(rules().meeting_nouns)
        ):
            yield part
    yield last


def find_other_meetings(folded: str, text: str) -> Iterator[str]:
    """Names of the meetings whose spirit the article studies, as written, in order."""
    cues = _cues()
    for m in _other_pattern().finditer(folded):
        start, end = m.span("name")
        # The name starts after the last cue in it: 程正栋传达了|市...会议.
        start = max(
            (folded.rfind(c, start, end) + len(c) for c in cues if c in folded[start:end]),
            default=start,
        )
        start += folded.startswith("了", start)
        for name in _spelt_out(text[start:end]):
            if name in GENERIC_NAMES or name.startswith(_NOT_OTHER) or not _NAMED.search(name):
                continue
            yield name
