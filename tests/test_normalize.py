"""Normalize: pinyin residue, cleaning, simplified script, idempotence.

Alignment, script detection and the acceptance runs on ../shared/data are in
tests/normalize/."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.normalize import (
    clean_text,
    normalize,
    normalize_text,
    pinyin_spans,
    strip_pinyin,
    to_simplified,
)
from archive.read import read_file
from archive.records import RawDocument
from tests.conftest import FIXTURES

# A Han character followed by a parenthesis that opens with a Latin letter: pinyin residue.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
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
    ("北京(Běijīng)", "北京"),
    ("會議(huì yì)", "會議"),
    ("會議(hui4yi4)", "會議"),
    ("會議（huì yì ）召開", "會議召開"),
    ("工作會(gōngzuòhuì)", "工作會"),
]

# Parentheses that are not a reading of the character(s) right before them: all must
# survive strip_pinyin untouched.
PINYIN_KEPT = [
    # years and periods
    "(2021)",
    "2022年(2022)",
    "（1998年）",
    "“十四五”规划(2021—2025年)",
    "规划（2021-2025年）",
    "(2021～2025)",
    # status and drafting notes
    "辦法（试行）",
    "细则(试行)",
    "《条例（草案）》",
    "计划（草案）（修订稿）",
    "方案（征求意见稿）",
    "（以上数据均为初步统计）",
    # bylines, credits, page notes
    "（记者 张三）",
    "会议（记者 张三 李四）",
    "（通讯员 王小明 记者 赵大海）",
    "（新华社发）",
    "（本报记者 刘晓峰 摄）",
    "（附图片1张）",
    "（上接第一版）",
    "（完）",
    # definitions, abbreviations, English glosses
    "疫情(COVID-19)",
    "市城建集团（以下简称“集团”）",
    "世界贸易组织(WTO)",
    "国内生产总值（GDP）",
    "人民币(RMB)",
    "第五代移动通信(5G)",
    "（ＷＴＯ）",
    "北京(Beijing)",
    "深圳(Shenzhen)",
    "中国(China)",
    "下载(pdf)",
    "数据(data)",
    "智能手机(iPhone)",
    "认证(ISO 9001)",
    # enumerations and references
    "附件(一)",
    "（一）加强领导",
    "(二)",
    "第(1)条",
    "（3）",
    "一是(a)",
    "（b）项",
    "第(iv)款",
    # Latin text with its own parentheses
    "Hello (world)",
    "the plan (draft) was approved",
    "ABC(def)",
    "Python (programming language)",
    # quoted pinyin after a non-Han character, or away from the characters
    "“发展”(fazhan)",
    "「發展」(fāzhǎn)",
    "《论语》(lunyu)",
    "‘和’（he）",
    "A(fā)",
    "COVID-19(fā)",
    "發 (fā)",
    "(fā)开头",
    "拼音写作 fa(fā)",
    # readings of something else than the characters before
    "方(ai)",
    "市委(shi)",
    "方案(fang)",
    "長(long)",
    "發(fāzhǎn)",
    "發(fā 等",
    "發()",
    # units, figures, notes
    "（单位：万元）",
    "同比增长(5.3%)",
    "（%）",
    "（注：不含港澳台地区）",
    "（见附件2）",
    "（共5页）",
    # emoticons
    "好的(^_^)",
    "太难了(>_<)",
    "哈哈（＾▽＾）",
    "唉(T_T)",
    # addresses
    "官网(https://example.org/news/2021)",
    "網址（www.example.cn）",
    "（邮箱：office@example.com）",
    "電話(010-12345678)",
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
    ("会\r议\r\n通知", "会\n议\n通知"),
    ("会\ud800议", "会议"),  # a lone surrogate (OpenCC cannot encode one)
    ("&#8203;会议&#x3000;通知&NotEqualTilde;", "会议 通知\u2242\u0338"),
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
    assert doc.script == "traditional"
    assert normalize_text(doc.original_text) == doc.text


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
    assert doc.script == "traditional"


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


# Han characters with and without readings that matter, parentheses, Latin letters (some
# toned), digits, spaces, and syllables that read some of the characters.
ANNOTATION_PIECES = [
    "發", "发", "展", "會", "議", "長", "綠", "年", "方", "中", "國", "人", "乾", "隆",
    "(", ")", "（", "）", "a", "e", "i", "n", "g", "h", "z", "A", "B", "ā", "ǎ", "ü",
    "0", "1", "3", "2021", " ", "fā", "fa1", "zhǎn", "huì", "yì", "lǜ", "nián", "ai",
]  # fmt: skip
annotation_text = st.lists(st.sampled_from(ANNOTATION_PIECES), max_size=50).map("".join)


@settings(max_examples=1000, deadline=None)
@given(annotation_text)
def test_only_annotations_are_removed(text: str) -> None:
    """Stripping removes nothing but whole parenthesized groups, each directly after a
    Han character of the text as it stands once the earlier groups are gone."""
    stripped, removed = strip_pinyin(text)
    spans = pinyin_spans(text)
    assert removed == len(spans)
    kept = [True] * len(text)
    for start, end in spans:
        group = text[start:end]
        assert group[0] in "(（"
        closed = group[-1] in ")）"
        inner = group[1:-1] if closed else group[1:]
        assert inner and not re.search(r"[()（）\n]", inner)
        assert closed or end == len(text) or text[end] == "\n"
        before = [ch for ch, keep in zip(text[:start], kept[:start], strict=True) if keep]
        assert before and HAN.match(before[-1]), (text, group)
        kept[start:end] = [False] * (end - start)
    assert stripped == "".join(ch for ch, keep in zip(text, kept, strict=True) if keep)
    remaining = iter(text)
    assert all(ch in remaining for ch in stripped)  # a subsequence, in order


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab \n\t\r\u3000", max_size=40))
def test_clean_text_blanks_follow_the_line_rule(text: str) -> None:
    """Spaces collapsed, lines stripped, empty lines dropped: the plain definition."""
    plain = text.replace("\r\n", "\n").replace("\r", "\n").translate({9: " ", 0x3000: " "})
    lines = (re.sub(" {2,}", " ", line).strip(" ") for line in plain.split("\n"))
    assert clean_text(text) == "\n".join(line for line in lines if line)
