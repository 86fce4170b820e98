"""detect_script: which script a text is written in (invented texts)."""

from __future__ import annotations

import pytest

from archive.normalize import detect_script, normalize
from archive.normalize.script import script_characters
from archive.records import RawDocument

SIMPLIFIED = (
    "东华市城建集团召开2023年度工作会议，总结过去一年的发展成绩，部署新一年的重点任务。"
    "集团党委书记、董事长李建国出席会议并讲话，要求各单位坚持稳中求进，抓好项目建设。"
)
TRADITIONAL = (
    "東華市城建集團召開2023年度工作會議，總結過去一年的發展成績，部署新一年的重點任務。"
    "集團黨委書記、董事長李建國出席會議並講話，要求各單位堅持穩中求進，抓好項目建設。"
)

SHORT_QUOTE = (
    "东华市城建集团召开2023年度工作会议，总结过去一年的发展成绩。“東華電機實業協會”会长表示，"
    "“東華電機實業協會”将参与新区建设。"
)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        (SIMPLIFIED, "simplified"),
        (TRADITIONAL, "traditional"),
        ("发展", "simplified"),
        ("發展", "traditional"),
        # A simplified article quoting a traditional name (8 distinct traditional-only
        # characters), even a short one where the name is nearly half of the evidence.
        (SHORT_QUOTE, "simplified"),
        (SIMPLIFIED * 5 + "台湾“東華電機實業協會”" * 3, "simplified"),
        # A traditional text using characters simplified text shares (里 in 公里, 干 in
        # 若干, 后 in 皇后) that the character sets count as simplified-only.
        (TRADITIONAL + "全長三十公里，若干名代表出席，皇后鎮的代表也到了。", "traditional"),
        # Half and half: mixed.
        (SIMPLIFIED + "\n" + TRADITIONAL, "mixed"),
        (TRADITIONAL + "\n" + SIMPLIFIED[:50], "mixed"),
        # Neither: no character that differs between the scripts.
        ("", None),
        ("ABC 123, (a).", None),
        ("中文", None),
        ("人民日报", "simplified"),  # 报 is simplified-only, 日 and 人 are shared
        # An exact tie of too few characters to call it mixed: no majority either.
        ("發发", "mixed"),
    ],
)
def test_detect_script(text: str, script: str | None) -> None:
    assert detect_script(text) == script


MINORITY = "發會議團華電機實業東"  # ten distinct traditional-only characters


@pytest.mark.parametrize(
    ("text", "script"),
    [
        (MINORITY + "发" * 190, "mixed"),  # 10 distinct, 10 of 200 = 5%
        (MINORITY + "发" * 191, "simplified"),  # under 5%
        (MINORITY[:9] * 3 + "发" * 100, "simplified"),  # 27 of 127, but 9 distinct
        ("发会议团华电机实业东" + "發" * 190, "mixed"),  # either way round
    ],
)
def test_mixed_needs_ten_distinct_characters_and_five_percent(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_character_sets() -> None:
    traditional, simplified = script_characters()
    assert not traditional & simplified
    assert set(MINORITY) <= traditional and set("发会议团华电机实业东国") <= simplified
    # Not a difference: characters OpenCC keeps either way or changes either way (台 is
    # Taiwan's form, 着/著 swap in both directions, U+F900 is a compatibility form).
    for char in "台着著中公\uf900":
        assert char not in traditional and char not in simplified


def raw(text: str, title: str | None = None) -> RawDocument:
    return RawDocument("a.txt", "0" * 64, len(text), "utf-8", "text", text, title)


def test_normalize_fills_script() -> None:
    assert normalize(raw(TRADITIONAL)).script == "traditional"
    assert normalize(raw("東華市城(chéng)建集團(tuán)召開會議")).script == "traditional"
    assert normalize(raw(SIMPLIFIED)).script == "simplified"
    assert normalize(raw("2023 ABC")).script is None
    # The title counts as part of the text.
    assert normalize(raw("2023", title="工作會議")).script == "traditional"
