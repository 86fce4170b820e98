"""Surname references: ``张书记``, ``秦总``, ``郭董``, ``许主席`` stand for a person the
article names in full.

A reference resolves to the one person of that surname, or, when several share it, to
the one whose posts hold the title referred to (``郭董`` is the 董事长 of 郭启明 and 郭鸿飞,
``李院长`` the 副院长 of 李明 and 李振华). Otherwise it stays unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache

from archive.enrich.rules import alternation, rules

Resolver = Callable[[str, str], "str | None"]


@cache
def reference_re() -> re.Pattern[str]:
    """A character and a title right after it: 郑书记, 秦总, 郭董 (the caller checks the
    surname and the boundary before it)."""
    return re.compile(f"([\u4e00-\u9fff])({alternation(rules().titles | {'总', '董'})})")


def _fits(reference: str, title: str) -> bool:
    """True when ``reference`` names the post ``title``: 院长 for 副院长, 总 for 总经理,
    总裁 or 副总经理, 董 for 董事长."""
    if reference in title:
        return True
    return reference in ("总", "董") and title.lstrip("副常务执行").startswith(reference)


def resolver(people: Mapping[str, Sequence[str]]) -> Resolver:
    """A function of (surname, title referred to) giving the full name it stands for, or
    None; ``people`` maps the article's names to their titles."""
    by_surname: dict[str, list[str]] = {}
    for name in people:
        by_surname.setdefault(name[0], []).append(name)

    def resolve(surname: str, title: str) -> str | None:
        names = by_surname.get(surname, [])
        if len(names) == 1:
            return names[0]
        fitting = [n for n in names if any(_fits(title, t) for t in people[n])]
        return fitting[0] if len(fitting) == 1 else None

    return resolve


def references(
    text: str, people: Mapping[str, Sequence[str]]
) -> Iterator[tuple[re.Match[str], str]]:
    """The surname references of ``text`` that resolve (``郑书记``, ``郭董``), each with the
    full name it stands for; ``people`` maps the article's names to their titles. Callers
    judge the boundary before a reference themselves."""
    resolve = resolver(people)
    for m in reference_re().finditer(text):
        if (name := resolve(m[1], m[2])) is not None:
            yield m, name
