"""rjieba, set up by :mod:`archive.dictionary`, must cut exactly as jieba cuts: the index,
the queries and the extraction rules were built on jieba's tokens. jieba itself is the
reference here, loaded with the same user dictionary the archive used to give it."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.enrich.rules import user_dictionary
from archive.normalize import normalize_text
from archive.segment import tokenizer
from tests.conftest import FIXTURES, shared_data


@cache
def reference() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    instance = jieba.Tokenizer()
    instance.initialize()
    for word, tag in user_dictionary():
        instance.add_word(word, tag=tag)
    return instance


def same_tokens(text: str) -> None:
    expected = list(reference().tokenize(text))
    assert list(tokenizer().tokenize(text)) == expected
    assert tokenizer().cut(text) == [word for word, _, _ in expected]


def test_the_archives_fixtures_are_cut_as_jieba_cuts() -> None:
    texts = [p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in {".txt", ".html"}]
    assert len(texts) > 10
    for path in texts:
        same_tokens(normalize_text(path.read_text(encoding="utf-8", errors="replace")))


@pytest.mark.parametrize("folder", ["peoples-daily-1998/docs", "meeting-pages/docs"])
def test_real_articles_are_cut_as_jieba_cuts(folder: str) -> None:
    for path in sorted(shared_data(folder).iterdir()):
        same_tokens(normalize_text(path.read_text(encoding="utf-8")))


def test_user_words_have_jiebas_frequencies() -> None:
    for word, _ in user_dictionary():
        assert tokenizer().freq(word) == reference().FREQ[word], word
    assert tokenizer().freq("发展") == reference().FREQ["发展"]
    assert tokenizer().freq("没有这个词吧") == 0


# What jieba treats specially: its Han range (U+4E00-U+9FD5) against rjieba's wider one
# (extension A, compatibility ideographs), Latin and digit runs with the punctuation its
# HMM step cuts at, whitespace it yields whole, and words of the user dictionary.
PIECES = st.sampled_from(
    [
        "集团",
        "党委书记",
        "董事长",
        "柏松涛",
        "出席",
        "会议",
        "并讲话",
        "要求",
        "企业职工",
        "同学们",
        "不安宁",
        "诸方面",
        "第",
        "次",
        "月",
        "日",
        "年",
        "的",
        "了",
        "是",
        "㐀",
        "䶵",
        "鿖",
        "鿿",
        "豈",
        "2020-07-07",
        "1-6",
        "2011.12.13",
        "3.5%",
        "A股",
        "T恤",
        "covid-19",
        "C++",
        "a#b&c",
        "_x_",
        " ",
        "\n",
        "\r\n",
        "\t",
        "，",
        "。",
        "：",
        "、",
        "（",
        "）",
        "“",
        "”",
        "·",
        "—",
        "-",
        ".",
        "%",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_any_mix_is_cut_as_jieba_cuts(text: str) -> None:
    same_tokens(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFFFF), max_size=40))
def test_any_text_is_cut_as_jieba_cuts(text: str) -> None:
    same_tokens(text)


def test_the_dictionary_loads_without_jieba(tmp_path: Path) -> None:
    # The point of the port: no 1.6 s jieba initialization in each worker.
    import subprocess
    import sys

    code = (
        "import sys; from archive.segment import tokenizer; tokenizer().cut('集团召开会议');"
        "print('jieba.dt' in dir(sys.modules.get('jieba')) and "
        "sys.modules['jieba'].dt.initialized)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
