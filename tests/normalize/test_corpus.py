"""Acceptance on the evaluation data in ../shared/data, read at run time (never copied):
the seed article, People's Daily 1998, and People's Daily made into converter output.

Set ARCHIVE_TEST_NORMALIZE_FULL=1 to score the annotated variant over the whole slice
instead of a sample (``benchmarks/normalize.py`` prints the same figure).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest

from archive.normalize import (
    align,
    clean_text,
    normalize,
    normalize_text,
    pinyin_spans,
    strip_pinyin,
    to_simplified,
)
from archive.read import read_file
from archive.records import NormalizedDocument
from tests.conftest import shared_data
from tests.normalize.annotate import RESIDUE, Annotated, Score, annotate, seeded
from tests.normalize.test_align import assert_sound

# The seed converter's readings: lower-case pinyin with tone marks, right after a Han
# character, found here independently of strip_pinyin's rules.
SEED_ANNOTATION = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+ ?[)）]")
SAMPLE_EVERY = 1 if os.environ.get("ARCHIVE_TEST_NORMALIZE_FULL") else 8


def people_daily() -> list[Path]:
    return sorted(shared_data("peoples-daily-1998", "docs").glob("*.txt"))


def gaps(original: str, starts: list[int], ends: list[int]) -> str:
    """The characters of ``original`` no character of the alignment came from."""
    covered = [False] * len(original)
    for start, end in zip(starts, ends, strict=True):
        covered[start:end] = [True] * (end - start)
    return "".join(char for char, seen in zip(original, covered, strict=True) if not seen)


def removable(chars: str) -> bool:
    """Whitespace and invisible characters only: what cleaning drops or collapses."""
    return all(char.isspace() or unicodedata.category(char) in ("Cc", "Cf") for char in chars)


# -- the seed ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> NormalizedDocument:
    paths = sorted(shared_data("seed").glob("*.txt"))
    if not paths:
        pytest.skip("no seed article")
    return normalize(read_file(paths[0]))


def test_seed_loses_exactly_its_annotations(seed: NormalizedDocument) -> None:
    decoded = seed.raw.text
    annotations = [match.span() for match in SEED_ANNOTATION.finditer(decoded)]
    assert len(annotations) == seed.pinyin_removed == 216
    assert pinyin_spans(decoded) == annotations
    # Re-insertion: the decoded text minus exactly those spans, character for character.
    pieces, last = [], 0
    for start, end in annotations:
        pieces.append(decoded[last:start])
        last = end
    pieces.append(decoded[last:])
    assert "".join(pieces) == seed.original_text
    assert not RESIDUE.search(seed.original_text) and not RESIDUE.search(seed.text)
    assert not re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", seed.text + seed.original_text)


def test_seed_text_and_script(seed: NormalizedDocument) -> None:
    assert seed.script == "traditional"
    assert normalize_text(seed.original_text) == seed.text
    assert "务虚会" in seed.text and "潘宪章" in seed.text


def test_seed_alignment(seed: NormalizedDocument) -> None:
    alignment = align(seed.original_text)
    assert_sound(seed.original_text, alignment)
    assert removable(gaps(seed.original_text, alignment.starts, alignment.ends))
    # Aligning the decoded text itself skips exactly the readings (and whitespace).
    decoded = seed.raw.text
    alignment = align(decoded)
    assert alignment.text == seed.text
    skipped = gaps(decoded, alignment.starts, alignment.ends)
    readings = "".join(match.group() for match in SEED_ANNOTATION.finditer(decoded))
    assert "".join(char for char in skipped if not char.isspace()) == readings.replace(" ", "")
    # Each simplified character maps to the one traditional character it came from.
    for j, char in enumerate(seed.text):
        source = decoded[alignment.starts[j] : alignment.ends[j]]
        assert len(source) == 1 and (source == char or to_simplified(source) == char)


# -- People's Daily ----------------------------------------------------------------------


def test_people_daily_invariants() -> None:
    """Every article: the search text is normalize_text of the display text, align gives
    that text with sound offsets that skip only whitespace, and the script is simplified."""
    for path in people_daily():
        doc = normalize(read_file(path))
        assert normalize_text(doc.original_text) == doc.text, path.name
        assert doc.script == "simplified", path.name
        alignment = align(doc.original_text)
        assert_sound(doc.original_text, alignment)
        assert removable(gaps(doc.original_text, alignment.starts, alignment.ends)), path.name


def test_people_daily_passes_through_simplification() -> None:
    """Simplified articles come out of to_simplified all but unchanged: only the rare
    characters OpenCC cannot tell apart (乾 in names such as 萧乾, 藉)."""
    changed = total = 0
    for path in people_daily():
        text = path.read_text(encoding="utf-8")
        converted = to_simplified(text)
        assert len(converted) == len(text)
        changed += sum(a != b for a, b in zip(text, converted, strict=True))
        total += len(text)
    assert changed / total < 1e-5


# -- People's Daily as converter output ---------------------------------------------------


@pytest.fixture(scope="module")
def annotated_sample() -> list[tuple[str, str, Annotated]]:
    """(name, simplified text, its annotated variant) for every SAMPLE_EVERY-th article."""
    sample = []
    for path in people_daily()[::SAMPLE_EVERY]:
        simplified = path.read_text(encoding="utf-8")
        sample.append((path.name, simplified, annotate(simplified, seeded(path.name))))
    return sample


def test_annotated_people_daily_strips_exactly(
    annotated_sample: list[tuple[str, str, Annotated]],
) -> None:
    """Real articles (with their own parentheticals), converted and annotated the way a
    web converter does: every reading goes, nothing else does."""
    for name, _, variant in annotated_sample:
        assert strip_pinyin(variant.text) == (variant.traditional, variant.readings), name


def test_annotated_people_daily_normalizes_back(
    annotated_sample: list[tuple[str, str, Annotated]],
) -> None:
    """normalize_text of the converter output against the simplified original: at least
    99.8% of the characters equal by position, no reading left. Run with -s for the
    figure and the confusions (OpenCC's s2t and t2s are not inverses, e.g. 乾→干)."""
    score = Score()
    for _, simplified, variant in annotated_sample:
        score.add(clean_text(simplified), normalize_text(variant.text))
    print(f"\nannotated People's Daily, 1 article in {SAMPLE_EVERY}:\n{score.report()}")
    assert score.residue == 0 and score.unequal_lengths == 0
    assert score.share >= 0.998
