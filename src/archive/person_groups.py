"""Which documents speak of the same person: the grouping rule of the person page.

A name is not a person. 张伟 the general manager of 青禾集团 and 张伟 the deputy head of
江岭县 share a name and nothing else, so the person page splits the documents that name
someone into groups, each meant to be one person, by the organisations the person's posts
belong to, and shows the groups side by side instead of merging them:

1. **The person's organisations in a document** are the ``org`` of each of their posts and
   their own ``org`` (``青禾集团`` of ``青禾集团党委书记、董事长周明远``). Names that many places
   or companies use alike do not say which one is meant, so they are left out: an
   administrative level and an organ (``县委``, ``市政府``, ``人大常委会``), a bare kind of
   company (``集团公司``), or a department named in at most four characters (``财务部``,
   ``农业农村局``). See :func:`is_generic_org`.
2. **Documents that share an organisation are linked**, and links chain: a document with
   the person as 青禾集团董事长 and 青禾控股董事 joins the documents of either. Each linked
   set is one group, labelled with its organisations.
3. **A document where the person has no organisation** (``总经理韩立新``: the text ties no
   organisation to the post) joins a group only when that is unambiguous: the document
   itself names (in its ``orgs`` or as its meeting's organizer) an organisation of exactly
   one group. The rest stay together in one group without organisations ("organisation
   not stated"), listed last; when no document names an organisation at all, that group
   is the whole page.

Nothing else is compared: not titles (two counties each have a 县长), not dates, not the
people met. When in doubt the rule keeps documents apart: two groups may still be one
person who changed organisations (from 青禾集团 to 江岭县), and the page shows both rather
than merge what the records cannot tell apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archive.records import Document, Person

_LEVEL = "(?:中共)?[省市县区镇乡村州盟旗]?"
_ORGANS = (
    "委|党委|党组|党工委|纪委|纪工委|监委|政府|人民政府|人大|人大常委会|常委会|政协|政法委"
    "|机关|委员会|领导小组|集团|集团公司|公司|总公司|有限公司|股份公司|分公司|子公司"
)
_DEPARTMENT = r"[\u4e00-\u9fff]{1,4}(?:部|处|科|室|办|局|厅|中心)"
_GENERIC_ORG = re.compile(rf"{_LEVEL}(?:{_ORGANS}|{_DEPARTMENT})")


def is_generic_org(org: str) -> bool:
    """True for an organisation name that many places or companies use alike (``县委``,
    ``市政府``, ``人大常委会``, ``集团公司``, ``财务部``): it cannot tell two people apart.

    A short proper name of the same shape (``江岭林业局``) is taken for generic too; that
    only keeps documents apart, it never joins two people."""
    return _GENERIC_ORG.fullmatch(org) is not None


@dataclass(frozen=True)
class DocumentGroup:
    """The documents taken to speak of one person of that name."""

    orgs: tuple[str, ...]
    """The person's organisations in these documents, sorted; empty for the documents
    that do not say which person they mean ("organisation not stated")."""
    documents: tuple[Document, ...]
    """In the order they were given."""


def persons_named(name: str, document: Document) -> list[Person]:
    """The entries of ``document.persons`` with this name (usually one)."""
    return [person for person in document.persons if person.name == name]


def person_orgs(name: str, document: Document) -> set[str]:
    """The organisations, generic ones left out, of the posts ``name`` holds in a document."""
    orgs: set[str] = set()
    for person in persons_named(name, document):
        orgs.update(post.org for post in person.held if post.org)
        if person.org:
            orgs.add(person.org)
    return {org for org in orgs if not is_generic_org(org)}


def group_documents(name: str, documents: Sequence[Document]) -> list[DocumentGroup]:
    """The documents naming ``name``, split by the rule of this module: groups with
    organisations first, most documents first, then the documents that name none."""
    own = {document.id: person_orgs(name, document) for document in documents}
    placed = [document for document in documents if own[document.id]]
    linked = _linked_orgs(own[document.id] for document in placed)
    members: dict[frozenset[str], list[Document]] = {orgs: [] for orgs in linked}
    unplaced: list[Document] = []
    for document in documents:
        # The person's own organisations fall in exactly one linked set by construction;
        # a document without them is placed by what it names, when one group fits.
        orgs = own[document.id] or _named_by_document(document)
        matches = [group for group in linked if group & orgs]
        if len(matches) == 1:
            members[matches[0]].append(document)
        else:
            unplaced.append(document)
    groups = [DocumentGroup(tuple(sorted(orgs)), tuple(docs)) for orgs, docs in members.items()]
    groups.sort(key=lambda group: (-len(group.documents), group.orgs))
    if unplaced:
        groups.append(DocumentGroup((), tuple(unplaced)))
    return groups


def _named_by_document(document: Document) -> set[str]:
    """The specific organisations a document names: its ``orgs`` and its organizer."""
    named = set(document.orgs)
    if document.meeting.organizer:
        named.add(document.meeting.organizer)
    return {org for org in named if not is_generic_org(org)}


def _linked_orgs(org_sets: Iterable[set[str]]) -> list[frozenset[str]]:
    """The organisations, chained into sets by co-occurring in one document (union-find)."""
    parent: dict[str, str] = {}

    def root(org: str) -> str:
        while parent[org] != org:
            parent[org] = parent[parent[org]]
            org = parent[org]
        return org

    for orgs in org_sets:
        first, *rest = sorted(orgs)
        parent.setdefault(first, first)
        for org in rest:
            parent.setdefault(org, org)
            parent[root(org)] = root(first)
    components: dict[str, set[str]] = {}
    for org in parent:
        components.setdefault(root(org), set()).add(org)
    return [frozenset(orgs) for orgs in components.values()]
