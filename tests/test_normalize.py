"""Normalize v0: pinyin residue, cleaning, simplified script, idempotence."""

from __future__ import annotations

import re

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from archive.normalize import clean_text, normalize, normalize_text, strip_pinyin, to_simplified
from archive.read import read_file
from archive.records import RawDocument
from tests.conftest import FIXTURES, shared_data

# A Han character followed by a parenthesis that opens with a Latin letter: pinyin residue.
RESIDUE = re.compile(r"[\u4e00-\u9fff][(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]")

# Text as a web converter leaves it, and the text once its readings are gone.
PINYIN_REMOVED = [
    ("發(fā)展", "發展"),
    ("團(tuán)", "團"),
    ("會(huì )", "會"),
    ("年(nián)", "年"),
    ("發（fā）展", "發展"),
    ("發(fā）展", "發展"),
    ("發(fa1)展", "發展"),
    ("發(Fā)展", "發展"),
    ("發(fa\u0304)展", "發展"),  # decomposed tone mark
    ("綠(lǜ)化", "綠化"),
    ("綠(lü)化", "綠化"),
    ("綠(lv4)化", "綠化"),
    ("綠(lu)化", "綠化"),
    ("長(zhǎng)", "長"),
    ("長(cháng)", "長"),
    ("乾(gān)淨(jìng)", "乾淨"),
    ("發展(fāzhǎn)", "發展"),
    ("發展(fā zhǎn)", "發展"),
    ("發展(fa1 zhan3)", "發展"),
    ("高質量發展(fāzhǎn)", "高質量發展"),
    ("審(shěn)議(yì)了《計劃(草案(àn))》", "審議了《計劃(草案)》"),
    ("細則(zé)(試(shì)行)", "細則(試行)"),
    ("持續(xù)發(fā", "持續發"),
    ("發(fā\n展(zhǎn)", "發\n展"),
    ("董事長(zhǎng)王立民", "董事長王立民"),
    ("發(fā)(fā)展", "發展"),
]

# Parentheses that are not a reading of the character(s) right before them.
PINYIN_KEPT = [
    "(2021)",
    "2022年(2022)",
    "辦法（试行）",
    "（记者 张三）",
    "会议（记者 张三 李四）",
    "疫情(COVID-19)",
    "一是(a)",
    "方(ai)",
    "下载(pdf)",
    "市城建集团（以下简称“集团”）",
    "附件(一)",
    "第(1)条",
    "数据(data)",
    "市委(shi)",
    "發(fāzhǎn)",
    "A(fā)",
    "COVID-19(fā)",
    "發 (fā)",
    "(fā)开头",
    "發(fā 等",
    "發()",
]


@pytest.mark.parametrize(("text", "expected"), PINYIN_REMOVED)
def test_pinyin_is_removed(text: str, expected: str) -> None:
    stripped, removed = strip_pinyin(text)
    assert stripped == expected
    assert removed >= 1


@pytest.mark.parametrize("text", PINYIN_KEPT)
def test_parenthetical_is_kept(text: str) -> None:
    assert strip_pinyin(text) == (text, 0)


def test_removed_count() -> None:
    assert strip_pinyin("市城發(fā)集團(tuán)召開(kāi)會(huì)議")[1] == 4


# normalize_text: what documents and search queries become.
NORMALIZED = [
    ("發展", "发展"),
    ("发展", "发展"),
    ("發(fā)展", "发展"),
    ("發（fā）展", "发展"),
    ("乾淨 幹部 乾隆 後來", "干净 干部 乾隆 后来"),
    ("頭髮 發展 裡面 裏面 於是", "头发 发展 里面 里面 于是"),
    ("為了發展经济", "为了发展经济"),
    ("衞生", "卫生"),
    ("显著 资讯 着手 干部", "显著 资讯 着手 干部"),
    ("全角ＡＢＣ１２３ａｂｃ", "全角ABC123abc"),
    ("，。：；“”（）《》、！？", "，。：；“”（）《》、！？"),
    ("a&amp;b&nbsp;c", "a&b c"),
    ("&lt;会议&gt;", "<会议>"),
    ("a&amp;nbsp;b", "a b"),
    ("AT&T a=1&para=2", "AT&T a=1&para=2"),
    ("会议\u3000\u3000通知", "会议 通知"),
    ("\u200b会\u200d议\ufeff\u00ad", "会议"),
    ("会议\u00a0\u2002通知\t\t开始", "会议 通知 开始"),
    ("  第一段  \r\n\r\n\t第二段 \r第三段\n\n", "第一段\n第二段\n第三段"),
    ("会议\x07通知\x00", "会议通知"),
    ("段落\u2028下一段", "段落\n下一段"),
    ("", ""),
    ("   \n\u3000", ""),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZED)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


@pytest.mark.parametrize("query", ["發展", "发展", "發(fā)展", " 發展 ", "發\u200b展"])
def test_query_forms_meet(query: str) -> None:
    assert normalize_text(query) == "发展"


def test_to_simplified_passes_simplified_text() -> None:
    text = "市城建集团召开2022年度工作会议，党委书记、董事长王立民出席会议并讲话。"
    assert to_simplified(text) == text
    assert to_simplified("市城建集團召開2022年度工作會議") == "市城建集团召开2022年度工作会议"


def test_clean_text_keeps_script_and_punctuation() -> None:
    assert clean_text("市城建集團（草案）：一是…") == "市城建集團（草案）：一是…"


def test_normalize_fixture_document() -> None:
    raw = read_file(FIXTURES / "read" / "meeting_utf8.txt")
    doc = normalize(raw)
    annotations = len(re.findall(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", raw.text))
    assert doc.pinyin_removed == annotations > 50
    assert not RESIDUE.search(doc.original_text) and not RESIDUE.search(doc.text)
    assert doc.original_text.startswith("1月12日-13日,市城建集團召開2022年度工作會議,")
    assert doc.text.startswith("1月12日-13日,市城建集团召开2022年度工作会议,")
    assert "要重点做好三个方面的工作:一是抓项目建设" in doc.text
    assert "《集团2022年投资计划(草案)》" in doc.text
    assert "《集團職工" not in doc.text  # the other fixture's text did not leak in
    assert doc.raw is raw and doc.title is None and doc.original_title is None


def test_normalize_title() -> None:
    raw = RawDocument(
        filename="page.html",
        sha256="0" * 64,
        size=1,
        encoding="utf-8",
        format="html",
        text="市城建集團(tuán)召開(kāi)會議。",
        title="集團(tuán)召開(kāi)工作會議",
    )
    doc = normalize(raw)
    assert (doc.title, doc.original_title) == ("集团召开工作会议", "集團召開工作會議")
    assert doc.original_text == "市城建集團召開會議。"
    assert doc.pinyin_removed == 4


def test_seed_article() -> None:
    """The article the product was conceived from: traditional script, inline pinyin."""
    for path in sorted(shared_data("seed").glob("*.txt")):
        doc = normalize(read_file(path))
        assert not RESIDUE.search(doc.text), RESIDUE.search(doc.text)
        assert not RESIDUE.search(doc.original_text)
        assert "务虚会" in doc.text
        assert "潘宪章" in doc.text
        assert doc.pinyin_removed > 50


def _annotate(simplified: str, s2tw: opencc.OpenCC) -> tuple[str, str, int]:
    """A web converter's output for ``simplified``: its traditional text with a reading
    after each character the conversion changed; also the plain traditional text."""
    traditional = s2tw.convert(simplified)
    readings = lazy_pinyin(simplified, style=Style.TONE, errors=lambda run: list(run))
    out, count = [], 0
    for source, converted, reading in zip(simplified, traditional, readings, strict=True):
        out.append(converted)
        if converted != source and reading != source:
            out.append(f"({reading})")
            count += 1
    return "".join(out), traditional, count


def test_people_daily_annotated_by_converter_strips_exactly() -> None:
    """Real articles (with their own parentheticals), converted and annotated the way a
    web converter does: every reading goes, nothing else does."""
    s2tw = opencc.OpenCC("s2tw")
    docs = sorted(shared_data("peoples-daily-1998", "docs").glob("*.txt"))[:150]
    for path in docs:
        simplified = path.read_text(encoding="utf-8")
        annotated, traditional, count = _annotate(simplified, s2tw)
        if len(traditional) != len(simplified):
            continue  # a phrase conversion changed the length; readings would misalign
        assert strip_pinyin(annotated) == (traditional, count), path.name


def test_people_daily_passes_through_simplification() -> None:
    """Simplified articles come out of to_simplified all but unchanged: only the rare
    characters OpenCC cannot tell apart (乾 in names such as 萧乾, 藉)."""
    changed = total = 0
    for path in sorted(shared_data("peoples-daily-1998", "docs").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        converted = to_simplified(text)
        assert len(converted) == len(text)
        changed += sum(a != b for a, b in zip(text, converted, strict=True))
        total += len(text)
    assert changed / total < 1e-5


# -- properties -------------------------------------------------------------------------

# Pieces that interact: traditional and simplified Han, readings, parentheses, entities,
# full-width letters, spaces, invisibles, line breaks, phrases OpenCC treats as a unit.
PIECES = [
    "發", "发", "展", "團", "會", "乾", "隆", "蕭", "萧", "淨", "長", "綠", "著", "薴",
    "(", ")", "（", "）", "fā", "fa1", "zhǎn", "lǜ", "lv", "huì", " ", "a", "Ａ", "１",
    "&", "amp;", "&amp;", "nbsp;", "&#", "x41;", "&#65313;", "&#40;", "\u3000", "\u200b",
    "\u00a0", "\n", "\r\n", "\r", "\t", "2021", "COVID-19", "。", "，",
]  # fmt: skip
pieced_text = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
any_text = st.one_of(pieced_text, st.text(max_size=60))


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_strip_pinyin_is_idempotent(text: str) -> None:
    once, _ = strip_pinyin(text)
    assert strip_pinyin(once) == (once, 0)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80).filter(lambda t: "(" not in t and "（" not in t))
def test_strip_pinyin_leaves_text_without_parentheses(text: str) -> None:
    assert strip_pinyin(text) == (text, 0)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_strip_pinyin_only_removes(text: str) -> None:
    stripped, removed = strip_pinyin(text)
    assert len(stripped) <= len(text)
    assert (removed == 0) == (stripped == text)
    # What stays is the text in order: removing never rewrites a character.
    remaining = iter(text)
    assert all(ch in remaining for ch in stripped)
