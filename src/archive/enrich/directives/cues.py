"""Cues: the words by which a speaker requires something, and the requirement words that
make what follows a cue a requirement.

- cue words (``rules/directive_cues.txt``: 强调, 指出, 要求* …; ``*`` marks a cue that
  requires by itself), verbs announcing requirements by naming them
  (``rules/directive_announcing.txt``: 提出|三点|要求, 作了|明确|要求), and a speech
  announcing what follows (``讲话。一、…``);
- requirement words (``rules/directive_modals.txt``: 要, 必须, 务必 …) at the head of a
  clause, alone or after its subject (``各单位要…``, ``rules/directive_targets.txt``);
- who speaks each cue (:mod:`archive.enrich.directives.speakers`), and which cues of a
  sentence count (:func:`speaker_cues`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from archive.enrich.directives.enumerations import announced_until, find_items
from archive.enrich.directives.speakers import Speakers
from archive.enrich.people.names import PUNCT
from archive.enrich.rules import alternation, read_rule_file

MAX_SUBJECT = 16
"""Most characters of the subject in front of a requirement word (各二级单位要)."""
MAX_ANNOUNCED_OBJECT = 12
"""Most characters between an announcing verb and its object: 提出|了三点具体|要求."""

_CLAUSE_PUNCT = ",，;；:：。!?！？\n"
_WEAK = frozenset({"表示", "说,", "说:", "认为", "讲话", "发言"})
"""Verbs of saying: what follows is a requirement only with a plain requirement word."""
_PLAIN_MODALS = ("要", "必须", "务必", "应当", "应该", "一定要", "需要", "不得", "不能")
_IMPLICIT_OPENERS = ("对", "就", "向", "并", "还", "又", "最后", "同时", "随后", "此外", "另外")
"""What a cue's clause may open with when the sentence leaves its speaker to the one before."""


@dataclass(frozen=True)
class Cue:
    speaker: str
    cue: str
    start: int
    content: int
    """Where the requirement after the cue starts."""
    requiring: bool
    """The cue requires by itself (要求, 号召, 提出三点要求)."""
    clause: int = 0
    """Where the clause of the cue starts: ``并就十四五规划编制提出要求`` tells the topic."""

    @property
    def weak(self) -> bool:
        return self.cue in _WEAK


@cache
def _cues() -> dict[str, bool]:
    """Cue word → whether it requires by itself (marked ``*`` in the rules)."""
    entries = read_rule_file("directive_cues.txt")
    return {entry.rstrip("*"): entry.endswith("*") for entry in entries}


@cache
def _cue_re() -> re.Pattern[str]:
    announcing = alternation(frozenset(read_rule_file("directive_announcing.txt")))
    # 提出|了三点|要求, 作了|明确|要求, 讲|意见: a verb announcing requirements; its
    # object may not be 的-bound to it (提出的要求 is a noun phrase).
    announce = (
        rf"(?P<announce>(?:{announcing})(?!的)[^{PUNCT}]{{0,{MAX_ANNOUNCED_OBJECT}}}?"
        r"(?:要求|希望|意见|指示))(?![的和与及]|精神)"
    )
    # 谭鸿飞讲话。一、…: a speech announcing what follows.
    closing = r"(?P<closing>讲话|发言)(?=[:：。])"
    # 要求 as in 各项要求 or 主持人: a noun, not a cue; the lookahead drops nouns.
    word = rf"(?P<word>{alternation(frozenset(_cues()))})(?![人者稿会高和与及严]|精神)"
    return re.compile(f"{announce}|{closing}|{word}")


@cache
def _requirement_head() -> re.Pattern[str]:
    """A clause opening with a requirement word, alone or after a short subject (要求
    there is a noun: 节目的要求; 要是 means "if")."""
    modals = alternation(frozenset(read_rule_file("directive_modals.txt")))
    return re.compile(
        rf"\s*(?P<subject>[^{PUNCT}\s]{{0,{MAX_SUBJECT}}}?)(?:都|也|还|更|均|一定)?(?P<modal>{modals})(?![求是])"
    )


_NOT_MODAL_BEFORE = tuple("重主纲摘只")
"""重要, 主要, 纲要, 摘要, 只要: 要 ending another word is no requirement."""


def _requirement(clause: str, any_subject: bool, plain: bool = False) -> bool:
    m = _requirement_head().match(clause)
    if m is None or m["subject"].endswith(_NOT_MODAL_BEFORE):
        return False
    if plain and m["modal"] not in _PLAIN_MODALS:
        return False
    return any_subject or not m["subject"] or _is_target(m["subject"])


@cache
def _targets() -> tuple[tuple[str, ...], tuple[str, ...]]:
    entries = read_rule_file("directive_targets.txt")
    openings = tuple(e[1:] for e in entries if e.startswith("^"))
    return openings, tuple(e for e in entries if not e.startswith("^"))


def _is_target(subject: str) -> bool:
    openings, endings = _targets()
    return bool(subject) and (subject.startswith(openings) or subject.endswith(endings))


_NOUN_BEFORE = tuple("的总项高些种这新该其所策要")
"""的要求, 总要求, 各项要求, 更高要求, 政策要求, 重要指示, 所希望的: a cue word after these is
a noun."""


def _noun_cue(text: str, m: re.Match[str]) -> bool:
    """True for a cue word used as a noun: 的要求, 希望工程, 希望的那样."""
    return text.endswith(_NOUN_BEFORE, 0, m.start()) or text.startswith(("工程", "的"), m.end())


def _skip_punct(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in ",，:：、了 ":
        pos += 1
    return pos


def _implicit_clause(text: str, clause: int, cue_start: int) -> bool:
    """True when the cue's clause names no speaker of its own: it opens with the cue or
    with 对/就/并/最后… (``随后，就下一步工作提出两点要求``)."""
    head = text[clause:cue_start].lstrip()
    return not head or head.startswith(_IMPLICIT_OPENERS)


def _cue_at(
    text: str, m: re.Match[str], start: int, speakers: Speakers, recent: str | None
) -> Cue | None:
    """The cue ``m`` of the sentence starting at ``start`` with its speaker, or None."""
    if m["word"] and (_noun_cue(text, m) or speakers.quoted(m.start())):
        return None
    heads = [i + 1 for i in range(start, m.start()) if text[i] in _CLAUSE_PUNCT]
    clause = max(heads, default=start)
    speaker = speakers.before(start, m.start())
    if speaker is None and recent is not None and _implicit_clause(text, clause, m.start()):
        speaker = recent
    if speaker is None:
        return None
    if m["announce"]:
        cue, content, requiring = m["announce"], m.end(), True
    elif m["closing"]:
        cue, content, requiring = m["closing"], m.end(), False
    else:
        cue, content = m.group(), m.end()
        # 作了详细安排和部署，要求…: a cue right after a cue is the one that counts.
        while (nxt := _cue_re().match(text, _skip_punct(text, content))) is not None and nxt[
            "word"
        ]:
            cue, content = nxt.group(), nxt.end()
        requiring = _cues()[cue]
    return Cue(speaker, cue.rstrip(",:"), m.start(), _skip_punct(text, content), requiring, clause)


def requires(text: str, cue: Cue, end: int) -> bool:
    """True when what follows ``cue`` up to ``end`` is a requirement, or announces a list
    (``讲话。一、…二、…``: the list may open the next sentence)."""
    if cue.requiring or find_items(text, cue.content, announced_until(text, end), len(text)):
        return True
    return (
        requirement_clause(text, cue.content, end, any_subject=not cue.weak, plain=cue.weak)
        is not None
    )


def speaker_cues(
    text: str, span: tuple[int, int], speakers: Speakers, recent: str | None
) -> list[tuple[Cue, int]]:
    """The cues of the sentence ``span`` that have a speaker, each with where its part
    of the sentence ends: the first cue (one that requires before a verb of saying), then
    every cue that opens a part after ``；``."""
    start, end = span
    found = [
        cue
        for m in _cue_re().finditer(text, start, end)
        if (cue := _cue_at(text, m, start, speakers, recent)) is not None
    ]
    if not found:
        return []
    requiring = [c for c in found if requires(text, c, end)]
    # A cue that requires beats a verb of saying: 他认为…，并提出了三点要求：一是….
    first = next((c for c in requiring if not c.weak), requiring[0] if requiring else found[0])
    parts = [first]
    for cue in found:
        if cue.start > parts[-1].content and _after_semicolon(text, cue.clause):
            parts.append(cue)
    ends = [c.clause for c in parts[1:]] + [end]
    return list(zip(parts, ends, strict=True))


LINK_WORDS = re.compile(r"同时|另外|此外")
_LINKS = re.compile(r"[;；]\s*(?:同时|另外|此外)?[,，]?\s*$")


def _after_semicolon(text: str, clause: int) -> bool:
    """True for a clause opening right after ；, or after ；同时，."""
    return bool(_LINKS.search(text, max(0, clause - 6), clause))


def requirement_clause(
    text: str, start: int, end: int, any_subject: bool = False, plain: bool = False
) -> int | None:
    """Where the first clause of ``start``..``end`` that opens with a requirement word
    starts, or None. The word may follow a target (各单位要) or, with ``any_subject``, any
    short subject (集团上下必须: what follows a speaker's cue)."""
    pos = start
    for clause in re.split(f"([{PUNCT}])", text[start:end]):
        if clause.strip() and _requirement(clause, any_subject, plain):
            return pos
        pos += len(clause)
    return None


def targets_of(text: str) -> list[str]:
    """The subjects the requirements of ``text`` are addressed to (各单位, 全体干部)."""
    out: list[str] = []
    for clause in re.split(f"[{PUNCT}]", text):
        m = _requirement_head().match(clause)
        if m and _requirement(clause, False) and (subject := m["subject"]) and subject not in out:
            out.append(subject)
    return out
