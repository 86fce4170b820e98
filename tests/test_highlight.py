"""Highlights land on the right characters of the script the article was written in."""

from __future__ import annotations

import pytest

from archive.enrich import enrich
from archive.highlight import highlight, match_spans, snippet
from archive.normalize import normalize
from archive.read import read_bytes
from archive.records import Document
from archive.segment import query_terms


def document(text: str) -> Document:
    return enrich(normalize(read_bytes(text.encode("utf-8"), "a.txt")))


TRADITIONAL = document(
    "1月12日，市城建集團召開2022年度工作會議。\n董事長王立民強調，要推動高質量發(fā)展，"
    "抓好ＡＰＥＣ項目&amp;5G網絡建設。"
)


def test_matches_are_found_in_the_simplified_text() -> None:
    assert match_spans("推动发展，促进发展", ["发展"]) == [(2, 4), (7, 9)]
    assert match_spans("高质量发展", ["发展", "高质量发展"]) == [(0, 5)], "longest wins"
    assert match_spans("5G网络", ["5g"]) == [(0, 2)]
    assert match_spans("任何文字", []) == []


@pytest.mark.parametrize(
    ("query", "original", "simplified"),
    [
        ("发展", "<mark>發展</mark>", "<mark>发展</mark>"),
        ("發展", "<mark>發展</mark>", "<mark>发展</mark>"),
        ("apec", "<mark>ＡＰＥＣ</mark>", "<mark>APEC</mark>"),
        ("城建集团", "市<mark>城建集團</mark>召開", "市<mark>城建集团</mark>召开"),
    ],
)
def test_snippets_in_either_script(query: str, original: str, simplified: str) -> None:
    terms = query_terms(query)
    assert original in snippet(TRADITIONAL, terms, "original")
    assert simplified in snippet(TRADITIONAL, terms, "simplified")


def test_pinyin_residue_never_shows_in_highlights() -> None:
    marked = highlight(TRADITIONAL, query_terms("发展"), "original")
    assert "<mark>發展</mark>" in marked and "fā" not in marked


def test_highlight_marks_every_match_and_escapes_the_rest() -> None:
    doc = document("会议强调<要发展>，发展是第一要务 & 关键。")
    marked = highlight(doc, ["发展"], "original")
    assert marked.count("<mark>发展</mark>") == 2
    assert "&lt;要" in marked and "&amp; 关键" in marked


def test_snippet_is_a_window_around_the_first_match() -> None:
    doc = document("开头。" + "前文" * 100 + "疫情防控" + "后文" * 100)
    result = snippet(doc, ["疫情防控"], "original", width=40)
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>疫情防控</mark>" in result
    assert len(result.replace("<mark>", "").replace("</mark>", "")) <= 42


def test_no_match_shows_the_beginning() -> None:
    assert snippet(TRADITIONAL, ["不存在"], "original").startswith("1月12日，市城建集團")


def test_a_stale_record_falls_back_to_the_simplified_text() -> None:
    stale = TRADITIONAL.model_copy(update={"text": TRADITIONAL.text.replace("推动", "推進")})
    assert "<mark>发展</mark>" in highlight(stale, ["发展"], "original")
