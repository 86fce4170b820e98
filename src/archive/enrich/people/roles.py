"""Roles in the meeting, read from the words after each mention of a person.

The cue words (``rules/role_cues.txt``: 主持 chair, 讲话/指出/强调 speaker, 作报告/汇报/宣读
reporter, 出席/参加 attendee, 传达 conveyor) may stand anywhere in the rest of the
mention's sentence, over the clauses that name no subject of their own, before the next
person named there and before the clauses after 召开 (which tell what the meeting did):
``柏松涛主席在会上作了讲话``, ``王刚对下半年工作提出两点要求``, ``刘某回顾了…，分析了…，
安排部署了…``, ``董事长马骏作了题为《…，…》的讲话`` (commas inside 《》 and “” do not end
the clause). A cue word used as a noun is no role: 主持人, 讲话精神, 重要讲话, the object of
听取/审议 (``听取了工作报告``); a person named as what is studied (``学习贯彻林海书记
讲话精神``) has none. A possessive mention reports only what it reports:
``听取了总经理谭鸿飞所作的工作报告`` makes 谭鸿飞 a reporter.

An attendee is a person with no other role (a chair attends too, but is a chair).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from archive.enrich.rules import alternation, rules
from archive.records import Role

MAX_CLAUSE = 48
"""Most characters read after a mention for its cues."""

_CLAUSE_END = ",;:，；：。!?！？\n"
_SENTENCE_END = ";；。!?！？\n"
_HELD = re.compile("召开|举行|举办")
MAX_PREDICATE = 90
"""Most characters read after a mention for the verbs of its sentence."""
# A clause opening with a subject of its own: the cues after it are not the person's.
_NEW_SUBJECT = re.compile(
    r"[,，:：]\s*(?:会议|大会|会上|会后|会前|与会|他|她|大家|各|全体|同时|随后|其中|最后|此外)"
)
_OPENERS = {"《": "》", "“": "”", "「": "」", "『": "』", "(": ")", "（": "）"}
# Verbs whose object a cue word is (听取了工作报告, 审议通过了…说明, 学习了讲话精神).
_OBJECT_OF = re.compile(r"听取|听了|审议|观看|收看|学习了|传达学习")
OBJECT_REACH = 12
"""How far before a cue word such a verb makes it its object."""
# What makes a cue word a noun right after it: 讲话精神, 主持人, 报告会, 发言稿, 汇报材料.
_NOUN_AFTER = re.compile("精神|人|者|稿|词|材料|内容|要点|提纲|单|会(?!议)|的(?!会议)")
# 介绍了…工作情况, 作…说明: a report; 介绍了节目 is not.
_BRIEFING = re.compile(
    r"介绍(?:了)?[^,，。;；]{0,24}?(?:情况|进展|经验|做法)|[作做]了?[^,，。;；]{0,40}?说明"
)
_POSSESSIVE = re.compile(r"(?:同志)?(?:所作|作|做)?的")
_REPORTED = ("报告", "汇报", "说明", "发言")
_NOUN_MARKS = ("的", "重要", "系列", "书面", "近期")
# 学习|林海书记…, 贯彻|…: a person named as what is studied or carried out.
OBJECT_MENTION = re.compile(r"(?:学习|贯彻|传达|领会|落实|聚焦|按照|根据|围绕|遵照|依据|践行)$")


@cache
def _cue_re() -> re.Pattern[str]:
    return re.compile(alternation(frozenset(rules().role_cues)))


def clause_end(text: str, pos: int, limit: int = MAX_CLAUSE) -> int:
    """Where the clause going on at ``pos`` ends: at clause punctuation outside 《》, “”
    and brackets, at a line break, or after ``limit`` characters."""
    return _scan_end(text, pos, _CLAUSE_END, limit)


def predicate_end(text: str, pos: int, limit: int = MAX_PREDICATE) -> int:
    """Where the verbs of a subject ending at ``pos`` end: the clauses after it that name
    no subject of their own (``谭鸿飞总裁回顾了…，研判了…，部署了…``), to the end
    of the sentence, a clause opening with another subject (会议…, 他…) or ``limit``."""
    end = _scan_end(text, pos, _SENTENCE_END, limit)
    for m in _NEW_SUBJECT.finditer(text, pos, end):
        end = m.start()
        break
    # 主持召开…会议，传达学习…: after 召开 the clauses tell what the meeting did.
    if (held := _HELD.search(text, pos, end)) is not None:
        end = clause_end(text, held.end(), end - held.end())
    return end


def _scan_end(text: str, pos: int, ends: str, limit: int) -> int:
    stop = min(len(text), pos + limit)
    closing: str | None = None
    i = pos
    while i < stop:
        ch = text[i]
        if closing is not None:
            if ch == closing:
                closing = None
            elif ch == "\n":
                return i
        elif ch in _OPENERS:
            closing = _OPENERS[ch]
        elif ch in ends:
            return i
        i += 1
    return stop


def _is_noun(text: str, start: int, end: int, clause_start: int) -> bool:
    if _NOUN_AFTER.match(text, end):
        return True
    before = text[clause_start:start]
    if _OBJECT_OF.search(before[-OBJECT_REACH:]):
        return True
    # 的讲话, 重要讲话 are nouns, except as what was delivered: 作了题为《…》的讲话.
    return before.endswith(_NOUN_MARKS) and not re.search("[作做]|发表", before)


def roles_after(
    text: str, pos: int, stop: int | None = None, start: int | None = None
) -> list[Role]:
    """The roles the cue words in the rest of the clause after a mention ending at ``pos``
    give, in order, reading no further than ``stop`` (where another person is named). A
    mention starting at ``start`` that is the object of a verb (学习林海书记…) has none."""
    if start is not None and OBJECT_MENTION.search(text, max(0, start - 4), start):
        return []
    end = predicate_end(text, pos)
    if stop is not None:
        end = min(end, stop)
    cues = rules().role_cues
    if m := _POSSESSIVE.match(text, pos):
        # 谭鸿飞所作的工作报告, 张华的汇报: the person reported; no other cue is theirs.
        tail = text[m.end() : end]
        return ["reporter"] if any(w in tail[:16] for w in _REPORTED) else []
    found: list[tuple[int, Role]] = [
        (cue.start(), cues[cue.group()])
        for cue in _cue_re().finditer(text, pos, end)
        if not _is_noun(text, cue.start(), cue.end(), pos)
    ]
    found += [(m.start(), "reporter") for m in _BRIEFING.finditer(text, pos, end)]
    return list(dict.fromkeys(role for _, role in sorted(found)))


def settle(roles: Iterable[Role]) -> list[Role]:
    """``roles`` without ``attendee`` when the person has another role."""
    roles = list(dict.fromkeys(roles))
    return [r for r in roles if r != "attendee"] if len(roles) > 1 else roles


_ATTENDANCE = re.compile(
    r"(?:出席|参加|列席)(?:了)?(?:本次|这次|此次)?(?:会议|大会|座谈会|活动)?的(?:领导|同志|嘉宾|人员)?(?:还)?有"
)


def attendance_lists(text: str) -> list[tuple[int, int]]:
    """Spans of the names listed after 出席会议的有 / 参加会议的领导还有, to the end of
    the sentence: the persons named there attended."""
    spans = []
    for m in _ATTENDANCE.finditer(text):
        end = m.end()
        while end < len(text) and text[end] not in "。!?！？\n":
            end += 1
        spans.append((m.end(), end))
    return spans
