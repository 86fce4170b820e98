"""A web converter's output, made at run time from simplified text: the text in traditional
characters (OpenCC ``s2t``) with a pypinyin reading in parentheses after each character the
conversion changed. Shared by the tests and ``benchmarks/normalize.py``.

The readings vary the way converters and hand edits do: ASCII ``()`` or full-width ``（）``,
tone marks (``fā``) or tone numbers (``fa1``), sometimes a space before the closing
parenthesis (``(huì )``), and sometimes one reading for two characters after the second
(``發展(fāzhǎn)``, ``會議(huì yì)``).
"""

from __future__ import annotations

import difflib
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import opencc
from pypinyin import Style, lazy_pinyin
from pypinyin.contrib.tone_convert import to_tone3

FULL_WIDTH = 0.4  # share of readings in （） rather than ()
TONE_NUMBERS = 0.4  # share written fa1 rather than fā
INNER_SPACE = 0.1  # share with a space before the closing parenthesis
TWO_CHARACTERS = 0.2  # share read together with the next Han character, after it
SPACED_SYLLABLES = 0.5  # of the two-character readings: "huì yì" rather than "huìyì"

# A Han character followed by a parenthesis that opens with a Latin letter: pinyin residue
# (or a legitimate gloss such as 公司(COSCO), which the source text then has too).
RESIDUE = re.compile(r"[\u4e00-\u9fff][(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]")


@dataclass(frozen=True)
class Annotated:
    text: str
    """The traditional text with the readings."""
    traditional: str
    """The traditional text: what removing exactly the readings gives back."""
    readings: int
    """How many readings were inserted."""


def annotate(simplified: str, rng: random.Random) -> Annotated:
    """The converter output for ``simplified``; ``rng`` decides each reading's form."""
    traditional = _s2t().convert(simplified)
    # Readings of the simplified text, one per character (anything without one gives
    # itself), so heteronyms are read as in their word: 长大 zhǎng, 长城 cháng.
    readings = lazy_pinyin(simplified, style=Style.TONE, errors=list)
    if len(traditional) != len(simplified) or len(readings) != len(simplified):
        raise ValueError("conversion or reading changed the length; cannot place readings")
    readable = [
        reading != char and char.isalpha()
        for char, reading in zip(simplified, readings, strict=True)
    ]
    out: list[str] = []
    count = 0
    index = 0
    while index < len(simplified):
        out.append(traditional[index])
        if traditional[index] == simplified[index] or not readable[index]:
            index += 1
            continue
        syllables = [readings[index]]
        if index + 1 < len(simplified) and readable[index + 1] and rng.random() < TWO_CHARACTERS:
            index += 1
            out.append(traditional[index])
            syllables.append(readings[index])
        out.append(_reading(syllables, rng))
        count += 1
        index += 1
    return Annotated("".join(out), traditional, count)


def seeded(name: str) -> random.Random:
    """The random source for the document ``name``: the same variant on every run."""
    return random.Random(f"annotate:{name}")


@dataclass
class Score:
    """How close normalized converter output comes to the simplified text it was made
    from: characters equal position by position (a difflib ratio for a text whose length
    differs), the confusions, and the pinyin left over."""

    equal: float = 0.0
    total: int = 0
    unequal_lengths: int = 0
    residue: int = 0
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, expected: str, got: str) -> None:
        """Score ``got`` against ``expected``."""
        self.total += len(expected)
        self.residue += max(0, len(RESIDUE.findall(got)) - len(RESIDUE.findall(expected)))
        if len(expected) != len(got):
            self.unequal_lengths += 1
            matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
            self.equal += matcher.ratio() * len(expected)
            return
        for want, have in zip(expected, got, strict=True):
            if want == have:
                self.equal += 1
            else:
                self.confusions[want, have] += 1

    @property
    def share(self) -> float:
        return self.equal / self.total if self.total else 1.0

    def report(self, top: int = 10) -> str:
        confusions = ", ".join(f"{a}→{b} {n}" for (a, b), n in self.confusions.most_common(top))
        return (
            f"characters equal: {100 * self.share:.4f}% of {self.total:,}"
            f" ({self.unequal_lengths} texts of another length, {self.residue} readings left)\n"
            f"top confusions (expected→got): {confusions or 'none'}"
        )


def _reading(syllables: list[str], rng: random.Random) -> str:
    if rng.random() < TONE_NUMBERS:
        syllables = [to_tone3(syllable) for syllable in syllables]
    separator = " " if rng.random() < SPACED_SYLLABLES else ""
    reading = separator.join(syllables)
    if rng.random() < INNER_SPACE:
        reading += " "
    opening, closing = ("（", "）") if rng.random() < FULL_WIDTH else ("(", ")")
    return f"{opening}{reading}{closing}"


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")
