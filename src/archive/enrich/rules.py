"""The extraction rules, loaded once from the text files in ``rules/``.

Each file holds one entry per line; blank lines and lines starting with ``#`` are ignored,
and every file opens with a comment naming its source. Changing a file changes what enrich
extracts: bump :data:`archive.enrich.EXTRACTOR_VERSION` with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import get_args

from archive.records import Role


def read_rule_file(name: str) -> list[str]:
    """The entries of ``rules/<name>``: stripped non-empty lines that are not comments."""
    text = files(__package__).joinpath("rules", name).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _pairs(name: str) -> dict[str, str]:
    """``<key> <value>`` lines; a lone key maps to itself."""
    out: dict[str, str] = {}
    for entry in read_rule_file(name):
        key, _, value = entry.partition(" ")
        out[key] = value.strip() or key
    return out


def alternation(words: frozenset[str] | tuple[str, ...]) -> str:
    """A regex alternation of ``words``, longest first so the longest match wins."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class Rules:
    """Every rule list enrich uses, as loaded from the data files."""

    titles: frozenset[str]
    surnames: frozenset[str]
    meeting_types: dict[str, str]
    meeting_nouns: frozenset[str]
    meeting_verbs: frozenset[str]
    role_cues: dict[str, Role]
    org_suffixes: frozenset[str]
    org_forms: frozenset[str]
    known_orgs: frozenset[str]
    time_words: frozenset[str]
    name_stops: frozenset[str]
    name_soft_stops: frozenset[str]
    weak_surnames: frozenset[str]
    organizer_trim: frozenset[str]
    honorifics: frozenset[str]


def _role_cues() -> dict[str, Role]:
    cues = _pairs("role_cues.txt")
    allowed = set(get_args(Role))
    bad = {cue: role for cue, role in cues.items() if role not in allowed}
    if bad:
        raise ValueError(f"role_cues.txt: unknown roles {bad}")
    return cues  # type: ignore[return-value]


@cache
def rules() -> Rules:
    """The rules, read from the package on first use and shared afterwards."""
    return Rules(
        titles=frozenset(read_rule_file("titles.txt")),
        surnames=frozenset(read_rule_file("surnames.txt")),
        meeting_types=_pairs("meeting_types.txt"),
        meeting_nouns=frozenset(read_rule_file("meeting_nouns.txt")),
        meeting_verbs=frozenset(read_rule_file("meeting_verbs.txt")),
        role_cues=_role_cues(),
        org_suffixes=frozenset(read_rule_file("org_suffixes.txt")),
        org_forms=frozenset(read_rule_file("org_forms.txt")),
        known_orgs=frozenset(read_rule_file("orgs_known.txt")),
        time_words=frozenset(read_rule_file("time_words.txt")),
        name_stops=frozenset(read_rule_file("name_stops.txt")),
        name_soft_stops=frozenset(read_rule_file("name_soft_stops.txt")),
        weak_surnames=frozenset(read_rule_file("weak_surnames.txt")),
        organizer_trim=frozenset(read_rule_file("organizer_trim.txt")),
        honorifics=frozenset(read_rule_file("honorifics.txt")),
    )


def user_dictionary() -> list[tuple[str, str]]:
    """(word, tag) pairs that jieba's user dictionary gets from the rule lists: titles
    (``n``), meeting types (``n``), organisation short forms and well-known organisations
    (``nt``). Segmentation then keeps ``党委书记``, ``务虚会`` and ``国家计委`` whole,
    which the extractors rely on. Places and surnames stay out: as words they would glue
    to the names around them."""
    r = rules()
    words = [(w, "n") for w in sorted(r.titles | frozenset(r.meeting_types))]
    orgs = r.org_forms | r.known_orgs
    words += [(w, "nt") for w in sorted(orgs)]
    return [(w, tag) for w, tag in words if len(w) > 1]
