"""Chinese personal names next to a title: where they start and how long they are.

A name is a surname (``rules/surnames.txt``, two-character ones first) and one or two
given characters. Between the readings (``张卫`` / ``张卫东``), in order:

1. strong evidence: how many mentions of the reading in the article are followed by
   punctuation, 同志, a role cue or an honorific (``甘新和、`` keeps 和);
2. a reading ending in a function character (``rules/name_soft_stops.txt``: ``王刚和``,
   ``柏松作``) loses;
3. evidence: how many mentions of the reading are followed by a boundary (the above, a
   title, a function character);
4. jieba knows the reading as a name (dictionary tag ``nr``);
5. jieba's token boundaries agree with the reading;
6. the longer reading.

Any reading is dropped when it is not Han, holds a function character in its given name
(``rules/name_stops.txt``), is a common dictionary word (``广大``), starts inside a longer
common word (``纪念|周``), has a given name that starts with a time word or a role cue
(``于今日``, ``曾指出``), or cuts a jieba token without the article showing it followed by
a strong boundary (punctuation, 同志, a role cue). Surnames that are also adverbs or
prepositions (``rules/weak_surnames.txt``) need a second mention. A name followed by
``·`` is a transliterated foreign name and runs over the ``·`` parts (``约翰·布朗``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from archive.enrich.orgs import ends_with_org_word, is_org_word, known_orgs
from archive.enrich.places import place_parents, transliteration_chars
from archive.enrich.rules import alternation, read_rule_file, rules
from archive.enrich.text import Segmented, Token, is_han, word_freq, word_tags

COMMON_WORD_FREQ = 20
"""A dictionary word this frequent and not tagged as a name is a common word, not a name
(广大 5043). Rarer entries are often names with a wrong tag (高建国 4, tagged ns)."""

PUNCT = r",;:。!?、\n“”\"'()《》\[\]"
"""Clause punctuation in folded text (a character class body)."""


_TIME_ENDS = "时上后"
"""Characters that end a time phrase right before a name (结束时, 会上, 会后)."""


@cache
def _place_endings() -> frozenset[str]:
    return frozenset(e for e in read_rule_file("place_suffixes.txt") if len(e) == 1)


@cache
def _bad_ends() -> frozenset[str]:
    return frozenset(read_rule_file("name_bad_ends.txt"))


@cache
def cue_pattern() -> str:
    """Regex alternation of the role cue words."""
    return alternation(frozenset(rules().role_cues))


@cache
def _strong_boundary() -> re.Pattern[str]:
    # 等 closes a list of names (甘雨桐等), even where jieba reads 桐等 as a word.
    return re.compile(rf"[{PUNCT}\s等]|$|{cue_pattern()}|{alternation(rules().honorifics)}")


@cache
def _boundary() -> re.Pattern[str]:
    r = rules()
    words = r.titles | r.honorifics | r.name_stops | r.name_soft_stops
    return re.compile(rf"[{PUNCT}\s]|$|{cue_pattern()}|{alternation(words)}")


@cache
def _bad_given_start() -> re.Pattern[str]:
    r = rules()
    return re.compile(f"{cue_pattern()}|{alternation(r.time_words | r.honorifics | r.titles)}")


def surname_length(text: str, i: int) -> int:
    """2 for a two-character surname at ``i``, 1 for a single one, 0 for none."""
    surnames = rules().surnames
    if text[i : i + 2] in surnames:
        return 2
    return 1 if i < len(text) and text[i] in surnames else 0


def occurrences(text: str, names: Iterable[str]) -> list[tuple[int, int, str]]:
    """Every place a name of ``names`` is written, in order, the longest name winning:
    (start, end, name)."""
    names = frozenset(names)
    if not names:
        return []
    return [(m.start(), m.end(), m.group()) for m in re.finditer(alternation(names), text)]


def followed_by_boundary(text: str, pos: int, strong: bool = False) -> bool:
    """True when ``text[pos:]`` starts with something that may follow a name."""
    return bool((_strong_boundary() if strong else _boundary()).match(text, pos))


def _evidence(seg: Segmented, text: str, name: str, strong: bool = False) -> int:
    """How many times ``name`` is written in ``text`` followed by something that may
    follow a name; counted once per document (``seg.counts``)."""
    key = ("evidence", text, name, strong)
    if (known := seg.counts.get(key)) is not None:
        return known
    count, pos = 0, text.find(name)
    while pos >= 0:
        count += followed_by_boundary(text, pos + len(name), strong)
        pos = text.find(name, pos + len(name))
    seg.counts[key] = count
    return count


def _written(seg: Segmented, text: str, name: str) -> int:
    """How many times ``name`` is written in ``text``; counted once per document."""
    key = ("written", text, name)
    if (known := seg.counts.get(key)) is None:
        known = seg.counts[key] = text.count(name)
    return known


def _inside_word(seg: Segmented, start: int, surname: int, end: int) -> bool:
    """True when the token at ``start`` is a dictionary word longer than the surname that
    ends inside the reading: ``纪念|周``, ``贺信|中``, ``王刚|在`` (not ``诸葛|明远``, nor a
    word the dictionary tags as a name: ``甘雨|桐等``)."""
    index = seg.index_at.get(start)
    if index is None:
        return False
    token = seg.tokens[index]
    tag = word_tags().get(token.word)
    return start + surname < token.end < end and tag is not None and not tag.startswith("nr")


def _plausible(text: str, seg: Segmented, span: tuple[int, int], after_title: bool = False) -> bool:
    start, end = span
    name, sl = text[start:end], surname_length(text, start)
    r = rules()
    if not all(is_han(c) for c in name) or set(name[sl:]) & r.name_stops:
        return False
    if len(name) == sl + 1 and name[-1] in _bad_ends():
        return False  # 马方 (the Malaysian side), 李家: a surname and a noun ending
    if word_freq(name) >= COMMON_WORD_FREQ and not word_tags()[name].startswith("nr"):
        return False
    if _bad_given_start().match(text, start + sl):
        return False
    if _inside_word(seg, start, sl, end) and not (after_title and _evidence(seg, text, name, True)):
        return False  # 纪念|周, but a name after a title, shown followed by punctuation
    if is_org_word(name) or name in known_orgs():
        return False  # 欧佩克
    if any(name[:n] in r.titles for n in range(2, len(name) + 1)):
        return False  # 文明委委员, 部长顾问李明
    # 曾庆华主持 yes, 曾于去年 no
    weak = name[:sl] in r.weak_surnames and _written(seg, text, name) < 2
    if weak or name[-1] in r.name_soft_stops:
        return _evidence(seg, text, name, strong=True) > 0
    if end not in seg.ends:
        # 柏松|涛在, 柏松涛作: a token cut where a function character follows the name.
        following = text[end : end + 1]
        return (
            following in r.name_stops
            or following in r.name_soft_stops
            or (_evidence(seg, text, name, strong=True) > 0)
        )
    return True


def _best(
    text: str, seg: Segmented, spans: list[tuple[int, int]], after_title: bool = False
) -> tuple[int, int] | None:
    soft = rules().name_soft_stops
    spans = [s for s in spans if _plausible(text, seg, s, after_title)]

    def score(span: tuple[int, int]) -> tuple[int, bool, int, bool, int, int]:
        name = text[span[0] : span[1]]
        known = word_tags().get(name, "").startswith("nr")
        aligned = (span[0] in seg.starts) + (span[1] in seg.ends)
        strong = _evidence(seg, text, name, strong=True)
        return strong, name[-1] not in soft, _evidence(seg, text, name), known, aligned, len(name)

    return max(spans, key=score, default=None)


def _foreign(seg: Segmented, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` run over the ``·`` parts of a transliterated name (让·皮埃尔·马丁):
    after each ``·``, the jieba tokens that the dictionary does not know or tags as names."""
    text, tags = seg.text, word_tags()
    start, end = span
    while end < len(text) and text[end] == "·" and (index := seg.index_at.get(end + 1)):
        stop = end
        for token in seg.tokens_from(index):
            tag = tags.get(token.word)
            if not all(is_han(c) for c in token.word) or (tag is not None and tag[:2] != "nr"):
                break
            stop = token.end
        if stop == end:
            break
        end = stop
    return start, end


def name_after(text: str, seg: Segmented, i: int) -> tuple[int, int] | None:
    """The span of a name starting at ``i`` (right after a title), or None."""
    sl = surname_length(text, i)
    if not sl or i not in seg.starts:
        return None
    spans = [(i, i + sl + g) for g in (1, 2) if i + sl + g <= len(text)]
    best = _best(text, seg, spans, after_title=True)
    return _foreign(seg, best) if best else None


def left_boundary(text: str, seg: Segmented, start: int) -> bool:
    """True when a name may start at ``start``: at a line start or after punctuation, a
    function character or an organisation (``集团李磊总经理``)."""
    if start == 0:
        return True
    left, r = text[start - 1], rules()
    if re.match(rf"[{PUNCT}\s]", left) or left in r.name_stops or left in r.name_soft_stops:
        return True
    if left in _TIME_ENDS:
        return True  # 会议结束时|郑启明董事长, 会上|李明
    return ends_with_org_word(seg, start)


def name_before(text: str, seg: Segmented, end: int) -> tuple[int, int] | None:
    """The span of a name ending at ``end`` (right before a title), or None."""
    if end not in seg.starts:  # the title starts inside a word: 宣传|部长
        return None
    spans = []
    for length in (2, 3, 4):
        start = end - length
        sl = surname_length(text, start) if start >= 0 else 0
        if sl and length - sl in (1, 2) and start in seg.starts and left_boundary(text, seg, start):
            spans.append((start, end))
    return _best(text, seg, spans)


def list_member(text: str, seg: Segmented, start: int, end: int) -> tuple[int, int] | None:
    """The span of the name that is the item ``text[start:end]`` of a list of persons
    (``柏松涛、谭鸿飞、林海``), or, for an item with words in front (``专家柏松涛``), the
    name that ends it."""
    sl = surname_length(text, start)
    if sl and 1 <= end - start - sl <= 2 and start in seg.starts:
        return (start, end) if _plausible(text, seg, (start, end)) else None
    spans = [
        (end - n, end)
        for n in (2, 3)
        if end - n > start and end - n in seg.starts and surname_length(text, end - n)
    ]
    return _best(text, seg, spans)


def may_start_name(text: str, token: Token) -> bool:
    """False for a token that none of :func:`dictionary_name`, :func:`unknown_name` and
    :func:`foreign_name` can take, at the cost of a length test (they run on every token
    of every text): one character, or a dictionary word of two, not before a ``·``. Keep
    it in step with their first tests."""
    word = token.word
    if len(word) >= 3 or text[token.end : token.end + 1] == "·":
        return True
    return len(word) == 2 and not word_freq(word)


def dictionary_name(text: str, seg: Segmented, index: int) -> tuple[int, int] | None:
    """The span of token ``index`` when jieba's dictionary tags it as a person's name
    (``nr``) and it reads as one: a surname and a two-character given name that is not a
    common word (``高素质``), not a known place, not ending in a place ending or a noun
    ending (``rules/name_bad_ends.txt``: ``安全感``), not part of a ``·`` name, and
    followed by a boundary at least once in the article."""
    token = seg.tokens[index]
    word, tags = token.word, word_tags()
    if tags.get(word) not in ("nr", "nrfg") or len(word) != 3 or surname_length(word, 0) != 1:
        return None
    given = tags.get(word[1:], "nr")
    if word_freq(word[1:]) >= COMMON_WORD_FREQ and (given == "n" or given[:1] != "n"):
        return None
    if word in place_parents() or word[-1] in _place_endings() | _bad_ends():
        return None
    # 施工图, 施工 (a common verb) + 图: a compound noun that merely starts with a surname.
    # (王国强 stays: 王国 is a noun.)
    lead = tags.get(word[:2], "")
    if lead.startswith("v") and word_freq(word[:2]) >= COMMON_WORD_FREQ:
        return None
    if "·" in (text[token.start - 1 : token.start], text[token.end : token.end + 1]):
        return None
    span = (token.start, token.end)
    return span if _plausible(text, seg, span) else None


@lru_cache(maxsize=1 << 16)
def hmm_tag(word: str) -> str | None:
    """The part of speech jieba's tagging model (the HMM of ``jieba.posseg``) gives
    ``word`` read as one word (``陈妍`` → ``nr``), or None when it reads it as several.

    The model tags words its dictionary lacks; here it runs on such words only, which
    keeps the cost of ``jieba.posseg`` (about 30k characters/s) off the whole text."""
    from jieba import posseg  # loading the model costs ~1 s: only when a word needs it

    model = posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P
    _, states = posseg.viterbi(word, *model)
    if states[0][0] != "B" or any(state in "BS" for state, _ in states[1:]):
        return None
    tags = {tag for _, tag in states}
    return tags.pop() if len(tags) == 1 else None


def unknown_name(text: str, seg: Segmented, index: int) -> tuple[int, int] | None:
    """The span of token ``index`` when jieba's dictionary lacks it and its tagging model
    reads it as a person's name: a surname and one or two given characters (``陈妍``,
    ``郑启明``), plausible as a name (see :func:`name_after`)."""
    token = seg.tokens[index]
    word = token.word
    if not 2 <= len(word) <= 3 or word_freq(word) or surname_length(word, 0) != 1:
        return None
    if not all(is_han(c) for c in word) or hmm_tag(word) not in ("nr", "nrfg"):
        return None
    if word in place_parents() or word[-1] in _place_endings() | _bad_ends():
        return None
    span = (token.start, token.end)
    return span if _plausible(text, seg, span) else None


def _transliterated(word: str) -> bool:
    return all(c in transliteration_chars() for c in word)


def foreign_name(text: str, seg: Segmented, index: int) -> tuple[int, int] | None:
    """The span of a transliterated foreign name starting at token ``index``: a name in
    ``·`` parts (``约翰·米勒``, each part a word the dictionary lacks or tags as a name,
    or written in transliteration characters), or a word of three characters or more
    that jieba's dictionary tags as a name and that is written in transliteration
    characters only (``米勒顿``), not a known place."""
    token = seg.tokens[index]
    word, tag = token.word, word_tags().get(token.word)
    if not all(is_han(c) for c in word) or text[token.start - 1 : token.start] == "·":
        return None
    if text[token.end : token.end + 1] == "·":
        if tag is not None and tag[:2] != "nr" and not _transliterated(word):
            return None
        span = _foreign(seg, (token.start, token.end))
        return span if span[1] > token.end else None
    if len(word) < 3 or tag not in ("nr", "nrt", "nrfg") or word in place_parents():
        return None
    following = seg.index_at.get(token.end)
    if word in known_orgs() or (following and is_org_word(seg.tokens[following].word)):
        return None  # 欧佩克, 利库德|集团: organisations written the same way
    return (token.start, token.end) if _transliterated(word) else None
