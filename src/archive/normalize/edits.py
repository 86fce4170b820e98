"""How a normalization step reports what it changed, so offsets survive the pipeline.

A step turns its input into its output and lists its :data:`Edit`\\ s: the places where
the length changed. Every character outside an edit is carried over one for one, kept or
substituted (``發`` → ``发``, ``Ａ`` → ``A``, ``\\u3000`` → space), so a step that only
substitutes reports nothing and costs nothing to trace.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Edit = tuple[int, int, int]
"""``(start, end, length)``: ``input[start:end]`` became ``length`` output characters, each
of which came from the whole span. Edits of one step are sorted and do not overlap."""

Trace = list[list[Edit]]
"""The edits of each step of a pipeline, in order; each list is in its step's input
coordinates (the previous step's output)."""


def compose(length: int, trace: Iterable[Sequence[Edit]]) -> tuple[list[int], list[int]]:
    """Where each output character of a traced pipeline came from: ``starts[j]`` and
    ``ends[j]`` delimit the span of the pipeline's input (``length`` characters long)
    that produced output character ``j``."""
    starts = list(range(length))
    ends = list(range(1, length + 1))
    for edits in trace:
        if edits:
            starts, ends = _apply(starts, ends, edits)
    return starts, ends


def _apply(
    starts: list[int], ends: list[int], edits: Sequence[Edit]
) -> tuple[list[int], list[int]]:
    # Runs between edits are copied as slices (C speed); only edits cost Python steps.
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    for start, end, produced in edits:
        new_starts += starts[last:start]
        new_ends += ends[last:start]
        if produced:
            if end > start:
                first, after = starts[start], ends[end - 1]
            else:  # an insertion: an empty span where it happened
                first = after = starts[start] if start < len(starts) else (ends[-1] if ends else 0)
            new_starts += [first] * produced
            new_ends += [after] * produced
        last = end
    new_starts += starts[last:]
    new_ends += ends[last:]
    return new_starts, new_ends


def proportional(start: int, end: int, produced: int) -> list[Edit]:
    """Edits that spread ``produced`` output characters evenly over ``input[start:end]``,
    in order: for a replaced segment whose correspondence nobody knows character by
    character (a phrase conversion that changed length)."""
    consumed = end - start
    if consumed == 0 or produced == 0:
        return [(start, end, produced)] if consumed or produced else []
    edits: list[Edit] = []
    if produced <= consumed:
        # Each output character takes a run of input characters.
        for index in range(produced):
            low = start + index * consumed // produced
            high = start + (index + 1) * consumed // produced
            if high - low != 1:
                edits.append((low, high, 1))
    else:
        # Each input character gives a run of output characters.
        for index in range(consumed):
            count = (index + 1) * produced // consumed - index * produced // consumed
            if count != 1:
                edits.append((start + index, start + index + 1, count))
    return edits
