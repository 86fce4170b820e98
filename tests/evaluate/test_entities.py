"""The entity evaluation: the scoring core on hand-built extractions (numbers worked out by
hand), the loader on the invented gold set in fixtures/evaluate, the command end to end,
and a sanity run on People's Daily 1998 (read from ../shared/data, skipped when absent)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import pytest

from archive.evaluate.entities import (
    EvaluationError,
    GoldArticle,
    evaluate_folder,
    load_gold,
    score,
    select,
)
from archive.records import Document, Person, Source
from tests.conftest import FIXTURES, shared_data
from tests.evaluate import archive

GOLD = FIXTURES / "evaluate"


def doc(
    persons: Sequence[str] = (), places: Sequence[str] = (), orgs: Sequence[str] = ()
) -> Document:
    """A document as the extraction could have made it; only the entities matter here."""
    return Document(
        id="0" * 16,
        title="t",
        text="t",
        original_text="t",
        source=Source(filename="t.txt", sha256="0" * 64, bytes=1, encoding="utf-8", format="text"),
        persons=[Person(name=name) for name in persons],
        places=list(places),
        orgs=list(orgs),
        extractor_version="test",
    )


# What a plausible extractor finds in the four fixture articles, in gold.jsonl order:
# a repeated name, a missed surname-only reference (王), a truncated name (张明), a place
# that is not in the gold, the generic 总工会 in two articles, and WTO in half-width.
EXTRACTED = {
    "20220110-01-001": doc(["王立民", "李向东", "王立民"], [], ["市城建集团", "集团党委"]),
    "20220305-02-004": doc(["陈家宁"], ["滨海市"], ["滨海市总工会", "总工会"]),
    "20220128-03-002": doc(["张明"], [], ["清河区民政局", "总工会"]),
    "20221202-06-003": doc(["刘芳"], ["日内瓦"], ["新华社", "WTO"]),
}


@pytest.fixture(scope="module")
def evaluation():
    return score((article, EXTRACTED[article.id]) for article in load_gold(GOLD))


def test_counts_and_scores_by_hand(evaluation) -> None:
    # PER: A tp 2 fn 1 (王); B tp 1; C fp 1 (张明) fn 1 (张明华); D tp 1.
    # LOC: A fn 1 (北京); B fp 1 (滨海市); C fn 1 (清河区); D tp 1 fn 1 (北京).
    # ORG: A tp 1 fp 1; B tp 1 fp 1 fn 2; C tp 1 fp 1 fn 1; D tp 2 (WTO = ＷＴＯ) fn 1 (商务部).
    expected = {"PER": (4, 1, 2), "LOC": (1, 1, 3), "ORG": (5, 3, 4)}
    assert evaluation.documents == 4
    for label, (tp, fp, fn) in expected.items():
        s = evaluation.of(label)
        assert (s.tp, s.fp, s.fn) == (tp, fp, fn), label
    per, loc, org, overall = (*evaluation.types, evaluation.overall)
    assert per.precision == pytest.approx(4 / 5) and per.recall == pytest.approx(4 / 6)
    assert per.f1 == pytest.approx(float(Fraction(8, 11)))
    assert (loc.precision, loc.recall) == (0.5, 0.25) and loc.f1 == pytest.approx(1 / 3)
    assert org.precision == pytest.approx(5 / 8) and org.recall == pytest.approx(5 / 9)
    assert org.f1 == pytest.approx(10 / 17)
    assert (overall.tp, overall.fp, overall.fn) == (10, 5, 9)
    assert overall.precision == pytest.approx(2 / 3) and overall.recall == pytest.approx(10 / 19)
    assert overall.f1 == pytest.approx(10 / 17)


def test_misses_and_false_alarms_ranked_by_documents_then_string(evaluation) -> None:
    assert evaluation.of("LOC").misses == (("北京", 2), ("清河区", 1))
    assert evaluation.of("LOC").false_alarms == (("滨海市", 1),)
    assert evaluation.of("PER").misses == (("张明华", 1), ("王", 1))
    assert evaluation.of("ORG").misses == (
        ("区总工会", 1),
        ("商务部", 1),
        ("市总工会", 1),
        ("滨海市人民政府", 1),
    )
    assert evaluation.of("ORG").false_alarms == (("总工会", 2), ("集团党委", 1))
    top = score(((a, EXTRACTED[a.id]) for a in load_gold(GOLD)), top=1)
    assert top.of("ORG").false_alarms == (("总工会", 2),)
    assert top.of("ORG").fp == 3, "the ranking is cut, the counts are not"


def test_both_sides_normalized_and_deduplicated() -> None:
    gold = GoldArticle("x", persons=("江泽民", "江", ""), orgs=("ＷＴＯ", "WTO", "國務院"))
    found = doc(["江泽民", "江泽民", "  江泽民 "], [], ["ＷＴＯ", "国务院", "WTO "])
    result = score([(gold, found)])
    per, org = result.of("PER"), result.of("ORG")
    assert (per.tp, per.fp, per.fn) == (1, 0, 1) and per.misses == (("江", 1),)
    assert (org.tp, org.fp, org.fn) == (2, 0, 0)


def test_a_match_needs_the_same_type_and_the_whole_string() -> None:
    gold = GoldArticle("x", persons=("江",), places=("北京",))
    result = score([(gold, doc(["江泽民"], [], ["北京"]))])
    assert [(s.tp, s.fp, s.fn) for s in result.types] == [(0, 1, 1), (0, 0, 1), (0, 1, 0)]


def test_nothing_to_score_gives_zeros() -> None:
    result = score([])
    assert result.documents == 0
    assert all(s.precision == s.recall == s.f1 == 0.0 for s in (*result.types, result.overall))
    assert result.as_dict()["overall"] == {
        "tp": 0,
        "fp": 0,
        "fn": 0,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
    }


def test_load_and_select() -> None:
    articles = load_gold(GOLD)
    assert [a.id for a in articles][:2] == ["20220110-01-001", "20220305-02-004"]
    assert articles[3].orgs == ("ＷＴＯ", "新华社", "商务部"), "the gold is kept as written"
    meetings = select(articles, only_meetings=True)
    assert [a.id for a in meetings] == ["20220110-01-001", "20220305-02-004", "20221202-06-003"]
    assert select(articles, only_meetings=True, limit=2) == meetings[:2]
    assert select(articles, limit=10) == articles


def test_loader_errors(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="no gold.jsonl"):
        load_gold(tmp_path)
    (tmp_path / "gold.jsonl").write_text('{"id": "a"}\n{"title": "no id"}\n', encoding="utf-8")
    with pytest.raises(EvaluationError, match="line 2"):
        load_gold(tmp_path)
    (tmp_path / "gold.jsonl").write_text('{"id": "a", "persons": ["甲"]}\n', encoding="utf-8")
    with pytest.raises(EvaluationError, match="none of the 1 documents"):
        evaluate_folder(tmp_path)
    with pytest.raises(EvaluationError, match="selects no article"):
        evaluate_folder(tmp_path, only_meetings=True)


def test_flat_layout_batches_and_unreadable_files(tmp_path: Path) -> None:
    """Texts beside gold.jsonl; a missing and an empty file are reported, not fatal."""
    for path in (GOLD / "docs").glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    lines = (GOLD / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    lines += ['{"id": "missing", "persons": ["甲"]}', '{"id": "empty", "orgs": ["乙"]}']
    (tmp_path / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    run = evaluate_folder(tmp_path, batch_size=3)
    assert run.selected == 6 and run.extraction.located == 5 and run.evaluation.documents == 4
    assert sorted(f.id for f in run.extraction.failures) == ["empty", "missing"]
    # Whatever the extractor finds, every distinct gold string is either found or missed.
    gold_sizes = {"PER": 6, "LOC": 4, "ORG": 9}
    for label, size in gold_sizes.items():
        s = run.evaluation.of(label)
        assert s.tp + s.fn == size, label
    assert run.extraction.seconds > 0 and run.extraction.documents_per_second > 0


def test_command_json_and_table() -> None:
    done = archive("eval", "entities", "--gold", str(GOLD), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["selected"], data["scored"], data["unreadable"]) == (4, 4, [])
    assert data["extraction"]["documents"] == 4 and data["extraction"]["documents_per_second"] > 0
    assert set(data["types"]) == {"PER", "LOC", "ORG"}
    totals = {key: 0 for key in ("tp", "fp", "fn")}
    for label, size in {"PER": 6, "LOC": 4, "ORG": 9}.items():
        entry = data["types"][label]
        assert entry["tp"] + entry["fn"] == size
        assert sum(m["count"] for m in entry["misses"]) == entry["fn"]  # fewer than 20 here
        assert sum(m["count"] for m in entry["false_alarms"]) == entry["fp"]
        assert 0 <= entry["precision"] <= 1 and 0 <= entry["recall"] <= 1
        for key in totals:
            totals[key] += entry[key]
    assert {key: data["overall"][key] for key in totals} == totals
    assert "ＷＴＯ" not in done.stdout, "strings are reported normalized"

    human = archive("eval", "entities", "--gold", str(GOLD), "--only-meetings", "--limit", "2")
    assert human.returncode == 0, human.stderr
    assert "2 of 2 gold articles scored" in human.stdout and "documents/s" in human.stdout
    for word in ("PER", "LOC", "ORG", "overall", "F1", "missed (FN)", "false alarm (FP)"):
        assert word in human.stdout


def test_command_fails_clearly_without_gold(tmp_path: Path) -> None:
    done = archive("eval", "entities", "--gold", str(tmp_path))
    assert done.returncode == 1
    assert "has no gold.jsonl" in done.stderr and done.stdout == ""


def test_peoples_daily_sanity() -> None:
    """The real dev slice through the core: the numbers hang together (no quality bar)."""
    root = shared_data("peoples-daily-1998")
    run = evaluate_folder(root, limit=200)
    evaluation = run.evaluation
    assert run.selected == 200 and evaluation.documents + len(run.extraction.failures) == 200
    for s in evaluation.types:
        assert min(s.tp, s.fp, s.fn) >= 0
        assert 0 <= s.precision <= 1 and 0 <= s.recall <= 1 and 0 <= s.f1 <= 1
        assert sum(n for _, n in s.misses) <= s.fn and len(s.misses) <= 20
        counts = [n for _, n in s.misses]
        assert counts == sorted(counts, reverse=True)
    gold = {a.id: a for a in load_gold(root)[:200]}
    assert evaluation.of("PER").tp + evaluation.of("PER").fn <= sum(
        len(a.persons) for a in gold.values()
    )
    overall = evaluation.overall
    assert overall.tp == sum(s.tp for s in evaluation.types)
    assert overall.fn == sum(s.fn for s in evaluation.types)
    print(f"\n{run.extraction.documents_per_second:.1f} documents/s, overall F1 {overall.f1:.3f}")
