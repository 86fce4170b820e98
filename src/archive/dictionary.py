"""The word segmenter: jieba's tokens, cut by rjieba (jieba-rs, a Rust port).

rjieba cuts with jieba's own dictionary and HMM about 10× faster than jieba, and loads in
0.1 s instead of 1.6 s, but three details differ, and each is made to match jieba here,
because the index, the queries and the extraction rules were all built on jieba's tokens
(``tests/test_dictionary.py`` compares the two on every Han run of a corpus):

* **Adding a word.** jieba's ``add_word`` adds the word's frequency to the total even
  when the word was already in the dictionary; jieba-rs first takes the old frequency
  off. The total weighs every path through a sentence, so each word is added with the
  frequency jieba would give it (:func:`_suggested`, jieba's ``suggest_freq``), and the
  old frequencies jieba-rs took off are added back as one word no text can contain.
* **Latin and digit runs.** jieba-rs keeps ``2020-07-07`` or ``1-6`` whole; jieba's HMM
  step cuts such a stretch at every character that is not a letter, a digit or a decimal
  point (``2011.12`` ``.`` ``13``): :func:`_as_jieba` cuts them the same way.
* **Frequencies and tags** are read from jieba's dictionary file (the ``jieba`` package
  is kept for its data), not from a loaded jieba.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import jieba
import rjieba

_DICT_LINE = re.compile(r"^(\S+) (\d+) (\S+)$", re.MULTILINE)
_JIEBA_BLOCK = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
"""What jieba cuts with its dictionary (``jieba.re_han_default``); the rest it yields
char by char, so rjieba, whose Han range is wider, only ever sees these blocks."""
_JIEBA_SPACE = re.compile("(\r\n|\\s)")
_JIEBA_HAN = re.compile("([\u4e00-\u9fd5]+)")
"""The Han characters jieba's HMM step treats as Han (jieba's ``finalseg.re_han``)."""
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
"""How jieba's HMM step cuts what is not Han (``finalseg.re_skip``)."""
_PURE_HAN = re.compile("[\u4e00-\u9fd5]+")
_UNUSED_WORD = "\ue000\ue001"
"""A private-use string: carries the frequency jieba-rs would otherwise miss from the
total; no normalized text holds it."""


class Dictionary:
    """jieba's dictionary plus ``user_words`` (word, tag), cutting as jieba cuts."""

    def __init__(self, user_words: Iterable[tuple[str, str]]) -> None:
        self._rust = rjieba.Jieba()
        entries = _DICT_LINE.findall(_dictionary_text())  # read once: 349k lines
        self._tags = {word: tag for word, _, tag in entries}
        self._freq = {word: int(freq) for word, freq, _ in entries}
        self._total = sum(int(freq) for _, freq, _ in entries)  # as jieba sums: every line
        self._first_chars = {word[0] for word in self._freq}
        taken_off = 0
        for word, tag in user_words:
            freq = self._suggested(word)
            taken_off += self._freq.get(word, 0)
            self._freq[word] = freq
            self._first_chars.add(word[0])
            self._total += freq
            self._rust.add_word(word, freq, tag)
        if taken_off:
            self._rust.add_word(_UNUSED_WORD, taken_off, "x")

    def _suggested(self, word: str) -> int:
        """jieba's ``suggest_freq(word, tune=False)``: the frequency that makes ``word``
        win over the cut of its parts, in jieba's float arithmetic."""
        ftotal = float(self._total)
        freq: float = 1
        for part in self._rust.cut(word, False):
            freq *= self._known_freq(part) / ftotal
        return max(int(freq * self._total) + 1, self._freq.get(word, 1))

    def _known_freq(self, part: str) -> int:
        # jieba's FREQ also holds every prefix of a word at 0: a lone character that only
        # begins words counts 0, one it does not know at all counts 1.
        if part in self._freq:
            return self._freq[part]
        return 0 if len(part) == 1 and part in self._first_chars else 1

    def cut(self, text: str) -> list[str]:
        """jieba's ``lcut(text, HMM=True)``."""
        words: list[str] = []
        # With its capturing group, split alternates: between blocks, a block, between…
        for k, part in enumerate(_JIEBA_BLOCK.split(text)):
            if not part:
                continue
            if k % 2:
                self._cut_block(part, words)
            else:  # jieba yields whitespace whole and anything else char by char
                for i, piece in enumerate(_JIEBA_SPACE.split(part)):
                    if i % 2:
                        words.append(piece)
                    else:
                        words.extend(piece)
        return words

    def tokenize(self, text: str) -> Iterator[tuple[str, int, int]]:
        """jieba's ``tokenize(text)``: (word, start, end) in character offsets."""
        at = 0
        for word in self.cut(text):
            yield word, at, at + len(word)
            at += len(word)

    def _cut_block(self, block: str, words: list[str]) -> None:
        cut = self._rust.cut(block, True)
        if _PURE_HAN.fullmatch(block):  # the common case: no Latin or digit run to recut
            words.extend(cut)
            return
        for word in cut:
            if len(word) > 1 and not self._freq.get(word) and not _PURE_HAN.fullmatch(word):
                words.extend(_as_jieba(word))
            else:
                words.append(word)

    def freq(self, word: str) -> int:
        """jieba's dictionary frequency of ``word`` (user words included); 0 if unknown."""
        return self._freq.get(word, 0)

    def tags(self) -> dict[str, str]:
        """jieba's dictionary part-of-speech tag of each of its words."""
        return self._tags


def _as_jieba(word: str) -> Iterator[str]:
    """A token holding letters, digits or punctuation, cut as jieba's HMM step cuts it."""
    for block in _JIEBA_HAN.split(word):
        if not block:
            continue
        pieces = [block] if _JIEBA_HAN.fullmatch(block) else _JIEBA_SKIP.split(block)
        yield from (piece for piece in pieces if piece)


def _dictionary_text() -> str:
    with jieba.get_dict_file() as f:
        return f.read().decode("utf-8")
