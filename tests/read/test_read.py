"""Readers: formats, encodings, and the files that cannot become documents."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import opencc
import pytest

from archive.errors import (
    DecodeError,
    EmptyDocument,
    FileTooLarge,
    IngestError,
    UnsupportedFormat,
)
from archive.read import (
    SUPPORTED_EXTENSIONS,
    UNDECODABLE,
    declared_charset,
    decode,
    plausibility,
    read_bytes,
    read_file,
)
from tests.conftest import FIXTURES, shared_data

READ = FIXTURES / "read"

# The same invented meeting in every encoding: (fixture, encoding recorded, a phrase of it).
ENCODED = [
    ("meeting_utf8.txt", "utf-8", "市城建集團(tuán)召開(kāi)2022年度工作會(huì)議(yì)"),
    ("meeting_utf8_bom.txt", "utf-8", "区水务局召开2023年防汛工作会议"),
    ("meeting_utf16.txt", "utf-16", "市交通投資(zī)集團(tuán)召開(kāi)第三屆(jiè)"),
    ("meeting_gb18030.txt", "gb18030", "省农业发展集团召开2022年度党风廉政建设工作会议"),
    ("meeting_big5.txt", "big5", "市文化旅遊集團召開幹部大會"),
]

# Short invented sentences: charset-normalizer alone takes the first one in Big5 for
# Shift-JIS; the reader must not.
SHORT_SENTENCES = [
    "区水务局召开专题会议，研究部署防汛工作。",
    "市城建集团召开2022年度工作会议。",
    "1月12日-13日，市城建集团党委书记、董事长王立民出席会议并讲话，总经理陈志远主持会议。",
    "会议要求，要重点做好三个方面的工作：一是抓项目，二是抓改革，三是抓作风。",
    "省农业发展集团纪委书记郑晓燕通报了监督执纪情况。",
]


@pytest.mark.parametrize(("name", "encoding", "phrase"), ENCODED)
def test_text_fixture_is_decoded(name: str, encoding: str, phrase: str) -> None:
    raw = read_file(READ / name)
    assert raw.encoding == encoding
    assert raw.format == "text"
    assert phrase in raw.text
    assert raw.title is None
    assert "\ufeff" not in raw.text and "\r" not in raw.text


def test_file_facts_are_recorded() -> None:
    path = READ / "meeting_utf8.txt"
    raw = read_file(path)
    data = path.read_bytes()
    assert raw.filename == "meeting_utf8.txt"
    assert raw.size == len(data)
    assert raw.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("sentence", SHORT_SENTENCES)
@pytest.mark.parametrize(
    ("script", "codec", "recorded"),
    [
        ("simplified", "gbk", "gb18030"),
        ("traditional", "gbk", "gb18030"),
        ("traditional", "big5", "big5"),
    ],
)
def test_short_legacy_text_is_detected(
    sentence: str, script: str, codec: str, recorded: str
) -> None:
    text = opencc.OpenCC("s2tw").convert(sentence) if script == "traditional" else sentence
    raw = read_bytes(text.encode(codec), "short.txt")
    assert (raw.encoding, raw.text) == (recorded, text)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("sentence", [SHORT_SENTENCES[0], SHORT_SENTENCES[2]])
def test_utf16_without_bom_is_detected(codec: str, sentence: str) -> None:
    raw = read_bytes(sentence.encode(codec), "bomless.txt")
    assert (raw.encoding, raw.text) == ("utf-16", sentence)


def test_big5_extensions_decode() -> None:
    # 碁 lies in the ETEN extension that plain "big5" refuses.
    text = "市圍碁協會召開年度會員大會，會長王立民主持會議。"
    raw = read_bytes(text.encode("big5hkscs"), "weiqi.txt")
    assert (raw.encoding, raw.text) == ("big5", text)


def test_line_endings_become_newlines() -> None:
    raw = read_bytes("第一段。\r\n第二段。\r第三段。".encode(), "lines.txt")
    assert raw.text == "第一段。\n第二段。\n第三段。"


def test_html_page_main_text_and_title() -> None:
    raw = read_file(READ / "meeting_page.html")
    assert raw.format == "html"
    assert raw.encoding == "gb18030"  # declared gb2312, read as its superset
    assert raw.title == "市城建集团召开2022年度工作会议"  # the h1, not "… - 城建新闻网"
    lines = raw.text.split("\n")
    assert lines[0].startswith("1月12日-13日，市城建集团召开2022年度工作会议")
    assert any(line.startswith("王立民强调，要重点做好三个方面的工作") for line in lines)
    for noise in ("首页", "网友评论", "这篇报道写得很好", "版权所有", "附件下载"):
        assert noise not in raw.text


def test_ruby_readings_are_dropped_before_extraction() -> None:
    raw = read_file(READ / "ruby_page.html")
    assert raw.title == "市城建集團召開年度工作會議"
    assert "市城建集團召開2022年度工作會議" in raw.text
    assert "一是抓項目建設" in raw.text
    for reading in ("zhào", "kāi", "huì", "zhuā", "(", ")"):
        assert reading not in raw.text


@pytest.mark.parametrize(
    ("title", "heading", "expected"),
    [
        ("区委召开常委会议 - 区政府网", "区委召开常委会议", "区委召开常委会议"),
        ("区委召开常委会议_新闻中心", "区委召开常委会议", "区委召开常委会议"),
        ("区委召开常委会议", "新闻中心", "区委召开常委会议"),
        (None, "区委召开常委会议", "区委召开常委会议"),
        ("区委召开常委会议", None, "区委召开常委会议"),
    ],
)
def test_html_title_rule(title: str | None, heading: str | None, expected: str) -> None:
    head = f"<title>{title}</title>" if title else ""
    h1 = f"<h1>{heading}</h1>" if heading else ""
    page = f"<html><head>{head}</head><body>{h1}<p>会议由区委书记李明主持。</p></body></html>"
    assert read_bytes(page.encode(), "page.html").title == expected


def test_html_declared_charset_wins_and_wrong_declaration_falls_back() -> None:
    page = '<html><head><meta charset="big5"></head><body><p>{}</p></body></html>'
    text = "市文化旅遊集團召開幹部大會，市委組織部副部長何志明出席會議並講話。"
    assert read_bytes(page.format(text).encode("big5"), "p.html").encoding == "big5"
    wrong = read_bytes(page.format(text).encode("utf-8"), "p.html")  # says big5, is UTF-8
    assert (wrong.encoding, wrong.text) == ("utf-8", text)


def test_xhtml_with_xml_declaration() -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>通知</title></head><body><p>区委召开常委会议，研究部署下半年工作。</p>"
        "</body></html>"
    )
    raw = read_bytes(page.encode(), "notice.xhtml")
    assert (raw.format, raw.title) == ("html", "通知")
    assert raw.text == "区委召开常委会议，研究部署下半年工作。"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'<meta charset="GB2312">', "gb2312"),
        (b"<meta http-equiv='Content-Type' content='text/html; charset=big5'>", "big5"),
        (b'<?xml version="1.0" encoding="UTF-8"?>', "utf-8"),
        (b"<html><head><title>x</title></head></html>", None),
    ],
)
def test_declared_charset(data: bytes, expected: str | None) -> None:
    assert declared_charset(data) == expected


@pytest.mark.parametrize(
    ("name", "error", "reason"),
    [
        ("empty.txt", EmptyDocument, "the file is empty"),
        ("whitespace_only.txt", EmptyDocument, "the file holds no text"),
        ("garbage.txt", FileTooLarge, "the image is"),  # a PNG of random size and pixels
        ("scan.pdf", DecodeError, "the PDF cannot be opened"),  # a header and no pages
        ("notes.docx", DecodeError, "the Word file is damaged"),  # a ZIP header only
    ],
)
def test_files_that_cannot_become_documents(
    name: str, error: type[IngestError], reason: str
) -> None:
    path = READ / name
    with pytest.raises(error) as caught:
        read_file(path)
    assert caught.value.path == path
    assert caught.value.reason.startswith(reason)


@pytest.mark.parametrize(
    ("data", "filename", "error"),
    [
        (b"", "empty.html", EmptyDocument),
        (b"<html><body></body></html>", "blank.html", EmptyDocument),
        (b"12345 678\n", "numbers.txt", EmptyDocument),
        ("，。、：；……".encode(), "punctuation.txt", EmptyDocument),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "image.txt", DecodeError),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "archive.txt", UnsupportedFormat),
        (b"\x00\x17\x9a\x00\xfe\x03\x00\x00\x81\x00" * 8, "noise.txt", DecodeError),
        (bytes(range(1, 32)) * 4, "controls.txt", DecodeError),
        (b"%PDF-1.4", "scan.PDF", DecodeError),
        (b"%PDF-1.4", "scan.txt", DecodeError),  # a PDF by its bytes, whatever its name
        (b"PK\x03\x04 word/document.xml", "notes.txt", DecodeError),  # a Word file so
        (b"text", "README", UnsupportedFormat),
        (b"text", "photo.png", DecodeError),
    ],
)
def test_bytes_that_cannot_become_documents(
    data: bytes, filename: str, error: type[IngestError]
) -> None:
    with pytest.raises(error) as caught:
        read_bytes(data, filename)
    assert caught.value.path == Path(filename)
    assert caught.value.reason and "\n" not in caught.value.reason


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_are_refused(seed: int) -> None:
    data = random.Random(seed).randbytes(400)
    with pytest.raises(DecodeError):
        read_bytes(data, "noise.txt")


def test_random_bytes_without_nul_are_refused() -> None:
    rng = random.Random(1)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(400))
    with pytest.raises(DecodeError) as caught:
        read_bytes(data, "noise.txt")
    assert caught.value.reason == UNDECODABLE


def test_unsupported_reason_names_what_is_read() -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        read_bytes(b"x", "notes.xls")
    for extension in SUPPORTED_EXTENSIONS:
        assert extension in caught.value.reason
    with pytest.raises(UnsupportedFormat) as caught:
        read_bytes(b"x", "Makefile")
    assert "no extension" in caught.value.reason


def test_supported_extensions() -> None:
    assert set(SUPPORTED_EXTENSIONS) == {
        *(".txt", ".text", ".html", ".htm", ".xhtml"),
        *(".mht", ".mhtml", ".eml", ".docx", ".docm", ".doc", ".dot", ".pdf"),
        *(".png", ".jpg", ".jpeg", ".tif", ".tiff", ".zip"),
    }
    assert read_bytes("会议通知".encode(), "NOTICE.TXT").format == "text"


def test_unreadable_path_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        read_file(tmp_path / "gone.txt")
    assert caught.value.path == tmp_path / "gone.txt"


def test_plausibility_tells_right_from_wrong_decoding() -> None:
    data = opencc.OpenCC("s2tw").convert(SHORT_SENTENCES[0]).encode("big5")
    right = plausibility(data.decode("big5"))
    wrong = plausibility(data.decode("gb18030"))
    assert right is not None and wrong is not None and right > wrong
    assert plausibility("plain ASCII") is None


def test_decode_strips_bom() -> None:
    assert decode("\ufeff会议".encode("utf-8"), "a.txt") == ("会议", "utf-8")
    assert decode("会议".encode("utf-16"), "a.txt") == ("会议", "utf-16")


def test_people_daily_slices_read_in_legacy_encodings() -> None:
    """Short slices (30-200 characters) of real articles, re-encoded in GB18030 and, in
    traditional characters, in Big5 and GB18030, read back exactly."""
    docs = sorted(shared_data("peoples-daily-1998", "docs").glob("*.txt"))
    rng = random.Random(1998)
    s2tw = opencc.OpenCC("s2tw")
    wrong = []
    for path in rng.sample(docs, 150):
        text = path.read_text(encoding="utf-8")
        size = rng.choice((30, 60, 200))
        start = rng.randrange(max(1, len(text) - size))
        simplified = text[start : start + size]
        traditional = s2tw.convert(simplified)
        for piece, codec, recorded in (
            (simplified, "gb18030", "gb18030"),
            (traditional, "gb18030", "gb18030"),
            (traditional, "big5", "big5"),
        ):
            try:
                data = piece.encode(codec)
            except UnicodeEncodeError:
                continue  # a character Big5 lacks
            if data.isascii() or not any(ch.isalpha() for ch in piece):
                continue
            raw = read_bytes(data, path.name)
            if (raw.encoding, raw.text) != (recorded, piece):
                wrong.append((path.name, codec, raw.encoding))
    assert wrong == []


def test_site_menus_and_footers_are_not_article_text() -> None:
    page = (
        "<html><head><title>市水务集团召开推进会</title></head><body>"
        "<header><a href='/'>首页</a> | 新闻中心</header><nav>首页 | 新闻 | 公告</nav>"
        "<article><header><h1>市水务集团召开推进会</h1></header>"
        "<p>4月8日，市水务集团召开安全生产推进会，部署隐患排查整治工作。</p></article>"
        "<aside>热门文章：市交投集团召开党委会</aside><footer>版权所有 某某网</footer>"
        "</body></html>"
    )
    raw = read_bytes(page.encode("utf-8"), "page.html")
    assert "隐患排查" in raw.text
    for chrome in ("首页", "新闻中心", "公告", "热门文章", "版权所有"):
        assert chrome not in raw.text
    assert raw.title == "市水务集团召开推进会"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n", "a PNG image"),  # decodes as GB18030 (塒NG) if not caught first
        (b"\x1f\x8b\x08\x00", "a gzip archive"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
        (b"{\\rtf1\\ansi", "an RTF document"),
    ],
)
def test_binary_formats_named_as_text_say_what_they_are(data: bytes, kind: str) -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        read_bytes(data, "会议纪要.txt")
    assert kind in caught.value.reason and ".txt" in caught.value.reason


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "汇编.txt"
    path.write_text("市青禾集团召开工作会议。\n" * 50_000, encoding="utf-8")  # ~1.8 MB
    with pytest.raises(FileTooLarge) as raised:
        read_file(path, max_bytes=2**20)
    assert raised.value.path == path
    assert "over the limit of 1 MB (ARCHIVE_MAX_FILE_MB)" in raised.value.reason
    assert read_file(path, max_bytes=2 * 2**20).size == path.stat().st_size


def test_a_text_that_mentions_a_pdf_header_is_text() -> None:
    raw = read_bytes("会议纪要\n附件格式：%PDF-1.7 版本的文件。\n".encode(), "纪要.txt")
    assert raw.format == "text"


def test_a_saved_page_with_a_nul_in_its_charset_is_read() -> None:
    page = "<html><body><p>市青禾集团召开会议。</p></body></html>".encode()
    message = (
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\n"
        b'Content-Type: text/html; charset="utf\x00-8"\r\n\r\n' + page + b"\r\n--b--\r\n"
    )
    assert "青禾集团" in read_bytes(message, "页面.mht").text


def test_a_saved_page_nested_too_deep_is_refused() -> None:
    depth = 3000
    opening = b"".join(
        b"Content-Type: multipart/related; boundary=b%d\r\n\r\n--b%d\r\n" % (n, n)
        for n in range(depth)
    )
    with pytest.raises(IngestError):
        read_bytes(
            b"MIME-Version: 1.0\r\n" + opening + b"Content-Type: text/html\r\n\r\nx", "深.mht"
        )
