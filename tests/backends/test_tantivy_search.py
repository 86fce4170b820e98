"""The exactness rules of the tantivy engine's facet counts, on their own: when a count
that tantivy cut, or a list of candidates, is known to hold the true top values."""

from __future__ import annotations

import pytest

from archive.backends.base import FacetValue
from archive.backends.tantivy_search import Counted, settled


def counted(counts: list[int], error: int = 0, others: int = 0) -> Counted:
    return Counted(
        [FacetValue(value=f"v{n}", count=c) for n, c in enumerate(counts)], error, others
    )


@pytest.mark.parametrize(
    ("kept", "wide", "exact", "error", "expected"),
    [
        ([5, 4], 3, [6, 5], 1, False),  # fewer candidates than wanted, and an error
        ([5, 4, 3], 3, [6, 5, 4], 1, False),  # 4 does not beat 3 + 1: a value left out may
        ([5, 4, 3], 3, [6, 5, 5], 1, True),
        ([5, 4, 3], 3, [9, 8, 7], 4, False),  # 7 does not beat 3 + the error of 4
        ([5, 4, 3], 3, [9, 8, 8], 4, True),
        ([5, 4], 3, [6, 5, 2], 1, True),  # fewer kept than wide: a value left out counts <= 1
    ],
)
def test_when_candidates_settle_the_top_values(
    kept: list[int], wide: int, exact: list[int], error: int, expected: bool
) -> None:
    exact_values = [FacetValue(value=f"v{n}", count=c) for n, c in enumerate(exact)]
    assert settled(counted(kept, error), wide, exact_values, 3) is expected


@pytest.mark.parametrize(
    ("counts", "error", "others", "size", "wide", "expected"),
    [
        ([9, 8, 7], 0, 0, 2, 3, True),  # nothing left out
        ([9, 8], 0, 5, 2, 4, True),  # no more than wanted came back
        ([9, 8, 7, 6], 0, 5, 2, 4, True),  # the cut (6) is below the last wanted (8)
        ([9, 8, 8, 8], 0, 5, 2, 4, False),  # ties with the last wanted may go on past the cut
        ([9, 8, 7, 6], 3, 5, 2, 4, False),  # counts with an error are never settled
    ],
)
def test_when_a_cut_count_holds_the_top_values(
    counts: list[int], error: int, others: int, size: int, wide: int, expected: bool
) -> None:
    assert counted(counts, error, others).settles(size, wide) is expected


def test_ties_are_ordered_by_value_like_the_other_engines() -> None:
    answer = {
        "buckets": [
            {"key": "乙", "doc_count": 2},
            {"key": "甲", "doc_count": 2},
            {"key": "丙", "doc_count": 3},
        ],
        "doc_count_error_upper_bound": 0,
        "sum_other_doc_count": 0,
    }
    assert [v.value for v in Counted.of(answer).values] == ["丙", "乙", "甲"]
