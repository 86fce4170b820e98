"""Directives: what a speaker required, with its enumerated items, targets and topics.

The package: :mod:`.cues` (cue and requirement words), :mod:`.speakers` (who speaks a
cue), :mod:`.passages` (the directives, sentence by sentence), :mod:`.enumerations`
(items).

Read sentence by sentence, on folded text, with the persons already found; who speaks a
cue is resolved by :mod:`archive.enrich.directives.speakers`:

- A **speaker sentence** names a speaker and then a cue (``rules/directive_cues.txt``):
  ``郑启明强调``, ``集团党委书记、董事长郑启明对…作了部署，要求…``, ``郑书记指出``, ``他强调``,
  ``会议要求``. A cue that announces requirements counts too (``提出三点要求：``,
  ``作了明确要求``, ``讲了意见``), also when the sentence leaves its speaker to the one
  before (``谭鸿飞…给予肯定。随后，就下一步工作提出两点要求：…``). What follows the cue is
  a directive when it holds a requirement word (``rules/directive_modals.txt``: 要, 必须 …),
  or the cue requires by itself (要求, 号召), or announces requirements, or an enumeration
  follows. Otherwise (``郑启明指出，…值得肯定``) the sentence only makes that person the
  current speaker. Of several cues in a sentence, the first that requires wins
  (``他认为…，并提出了三点要求``); a new cue after ``；`` starts a new directive.
- A **continuation** is a sentence with a clause that opens with a requirement word, alone
  or after a short subject (``要重点做好…``, ``各单位要…``): it belongs to the current
  speaker. One requirement passage is one directive: continuations extend the directive
  they follow.
- The current speaker ends when the meeting is reported doing something
  (``rules/reporting_cues.txt``: 会议听取了…), a person is reported attending or chairing,
  or a line opens with neither a speaker nor a continuation.

A directive's text runs from after its cue (or from the start of a continuation) to the
end of its passage, or to the end of the enumeration it announces
(:mod:`archive.enrich.directives.enumerations`), whose items are split exactly at their markers.
Reporting of past work and praise hold no requirement word and are no directives.
"""

from __future__ import annotations

import re
from functools import cache

from archive.enrich.directives.cues import targets_of
from archive.enrich.directives.passages import DirectiveMention, find_directives, item_texts
from archive.enrich.directives.speakers import MEETING
from archive.enrich.rules import alternation, read_rule_file

__all__ = [
    "MEETING",
    "DirectiveMention",
    "find_directives",
    "item_texts",
    "targets_of",
    "topics_of",
]


@cache
def _topics() -> tuple[re.Pattern[str], dict[str, str]]:
    table: dict[str, str] = {}
    for entry in read_rule_file("topics.txt"):
        term, _, topic = entry.partition(" ")
        table[term] = topic.strip() or term
    return re.compile(alternation(frozenset(table))), table


_QUOTES = str.maketrans("", "", "“”‘’「」『』\"'")


def topics_of(text: str) -> list[str]:
    """The topics of a requirement (``rules/topics.txt``), in order of first mention."""
    pattern, table = _topics()
    plain = text.translate(_QUOTES)
    return list(dict.fromkeys(table[m.group()] for m in pattern.finditer(plain)))
