"""Places: known place names and administrative names built on them, in order.

A place is a run of one to :data:`MAX_PLACE_TOKENS` whole jieba tokens that reads as

- a known place (``rules/places_china.txt``, ``rules/places_world.txt``): 北京, 南非, 中东;
- a known place + an administrative ending (``rules/place_suffixes.txt``): 石家庄市, 海淀区;
- a word jieba's dictionary tags ``ns`` + an ending: 平谷县, 青禾 is no ``ns`` word so
  青禾区 is no place here (the meeting organizer may still name it an organisation);
- a foreign name jieba tags ``ns`` written in transliteration characters only
  (``rules/transliteration_chars.txt``): 伊拉克, 波斯尼亚.

Words that read like places but are none (城市, 市场, 市委; ``rules/place_stops.txt``) never
are. Adjacent places stay separate (中国 南非), and a place inside an organisation or a
person's name is not listed (北京大学 is an organisation only), as the People's Daily
annotation does.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from itertools import accumulate

from archive.enrich.orgs import is_org_word
from archive.enrich.rules import read_rule_file
from archive.enrich.text import Segmented, is_han, word_tags

MAX_PLACE_TOKENS = 3
MAX_PLACE_CHARS = 12


@cache
def place_parents() -> dict[str, str]:
    """Each known place and the place one level up (石家庄 → 河北, 河北 → 中国)."""
    out: dict[str, str] = {}
    for name in ("places_china.txt", "places_world.txt"):
        for entry in read_rule_file(name):
            place, _, parent = entry.partition(" ")
            out.setdefault(place, parent.strip())
    return out


@cache
def _suffixes() -> tuple[str, ...]:
    return tuple(sorted(read_rule_file("place_suffixes.txt"), key=len, reverse=True))


@cache
def _stops() -> frozenset[str]:
    return frozenset(read_rule_file("place_stops.txt"))


@cache
def transliteration_chars() -> frozenset[str]:
    return frozenset("".join(read_rule_file("transliteration_chars.txt")))


def _ns_head(word: str) -> bool:
    """True for a word of two characters or more that jieba's dictionary tags ``ns``."""
    return len(word) >= 2 and word not in _stops() and word_tags().get(word) == "ns"


def _foreign(word: str) -> bool:
    """True for an ``ns`` word of three characters or more written in transliteration
    characters only (伊拉克): place names, seldom common words."""
    chars = transliteration_chars()
    return len(word) >= 3 and _ns_head(word) and all(c in chars for c in word)


@cache
def _suffix_ends() -> frozenset[str]:
    return frozenset(suffix[-1] for suffix in _suffixes())


@lru_cache(maxsize=1 << 16)
def is_place(word: str) -> bool:
    """True when ``word`` names a place on its own (see the module docstring). Cached:
    it is asked of every token of every text, and most tokens are common words."""
    if word in _stops() or word[-2:] in _stops():
        return False
    if word in place_parents():
        return True
    # Cheap tests first: this runs on every run of up to three tokens of every text.
    if word[-1] in _suffix_ends():
        for suffix in _suffixes():
            head = word[: -len(suffix)]
            if head and word.endswith(suffix) and (head in place_parents() or _ns_head(head)):
                return all(map(is_han, word))
        # jieba knows many counties and towns as one word (平谷县): ns with an ending.
        suffix = next((x for x in _suffixes() if word.endswith(x)), "")
        if suffix and len(word) >= 3 and _ns_head(word) and word[: -len(suffix)] not in _stops():
            return True
    # An ns word opening with a known place is a place as a whole (北京西站, 北京城),
    # unless a verb follows the place (香港|回归: leading_place splits it).
    if _ns_head(word) and word[:2] in place_parents():
        return not word_tags().get(word[2:], "").startswith("v")
    return _foreign(word)


@cache
def leading_place(word: str) -> int:
    """The length of the known place that opens a longer jieba word when the rest is a
    word of its own and no organisation ending (中国|人民, 台湾|同胞, 香港|回归); else 0.
    jieba writes these as one word, the annotation as two."""
    tags, known = word_tags(), place_parents()
    if len(word) < 4 or word in _stops() or tags.get(word) == "nt":
        return 0  # 中国农科院, 北京队: jieba knows the whole as an organisation
    for n in range(min(len(word) - 2, MAX_PLACE_CHARS), 1, -1):
        rest = word[n:]
        if word[:n] in known and rest in tags and not is_org_word(rest):
            return n
    return 0


@cache
def _known_prefixes() -> frozenset[str]:
    """Every known place and each of its heads (石家庄 → 石, 石家, 石家庄): a run of tokens
    whose first token is none of these cannot be a known place."""
    return frozenset(place[:n] for place in place_parents() for n in range(1, len(place) + 1))


def find_places(
    seg: Segmented, blocked: Iterable[tuple[int, int]] = ()
) -> Iterator[tuple[int, int]]:
    """Spans of the places in a segmented text, in order, none overlapping another; a
    place overlapping one of the ``blocked`` spans (organisations, persons) is skipped."""
    overlaps = _overlap_test(blocked)
    tokens, text, i = seg.tokens, seg.text, 0
    ends, known, heads = _suffix_ends(), place_parents(), _known_prefixes()
    while i < len(tokens):
        first = tokens[i]
        start, found = first.start, None
        # Runs of two or three tokens first, longest first; a run is a place only as a
        # known name or with an ending. Tested on the tokens before the text is cut:
        # this runs at every token of every text.
        may_be_known = first.word in heads
        for j in range(min(len(tokens), i + MAX_PLACE_TOKENS) - 1, i, -1):
            last = tokens[j]
            bare = last.end - start > MAX_PLACE_CHARS or last.word[-1] not in ends
            if bare and not may_be_known:
                continue
            word = text[start : last.end]
            if bare and word not in known:
                continue
            if is_place(word):
                found = j
                break
        if found is None and is_place(first.word):
            found = i
        if found is None:
            end = start + leading_place(first.word)
            found = i if end > start else None
        else:
            end = tokens[found].end
        if found is None:
            i += 1
            continue
        if not overlaps(start, end):
            yield start, end
            # The rest of a word a place opens may be one too: 美国|纽约.
            stop = tokens[found].end
            if end < stop and is_place(text[end:stop]):
                yield end, stop
        i = found + 1


def _overlap_test(spans: Iterable[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test of whether ``start``..``end`` overlaps any of ``spans``, by bisection: a
    long text has thousands of organisations and persons, and every place asks."""
    ordered = sorted(spans)
    starts = [lo for lo, _ in ordered]
    reach = list(accumulate((hi for _, hi in ordered), max))  # furthest end so far

    def overlaps(start: int, end: int) -> bool:
        before = bisect.bisect_left(starts, end)  # the spans starting before ``end``
        return before > 0 and reach[before - 1] > start

    return overlaps
