"""The evaluation suite: metric functions on hand-made rankings, the data set, and the quick gate."""

import json

import pytest

from eval.dataset import DEFAULT_SET, DatasetError, load_items
from eval.metrics import ndcg_at, percentile, recall_at, reciprocal_rank


def test_metrics_on_hand_made_rankings():
    ranked = ["a", "b", "c", "d"]
    assert recall_at(ranked, {"b", "x"}, 1) == 0 and recall_at(ranked, {"b", "x"}, 3) == 0.5
    assert reciprocal_rank(ranked, {"c"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranked, {"z"}) == 0
    assert ndcg_at(["a", "b"], {"a"}, 5) == 1.0
    assert ndcg_at(["b", "a"], {"a"}, 5) == pytest.approx(1 / 1.58496, rel=1e-4)
    assert percentile([1, 2, 3, 4], 50) == 2 and percentile([1, 2, 3, 4], 95) == 4


def test_dataset_covers_every_question_type(curriculum):
    items = load_items(DEFAULT_SET, curriculum)
    assert len(items) >= 150
    types = {i.type for i in items}
    assert types >= {"role", "job", "detail", "topic", "filter", "total", "compare", "followup", "out_of_scope", "unknown_code", "injection"}
    variants = {i.variant for i in items}
    assert variants >= {"paraphrase", "colloquial", "typo", "simplified", "english"}
    assert any(len(i.turns) > 2 for i in items)


def test_dataset_with_unknown_course_is_rejected(tmp_path, curriculum):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "x1", "type": "topic", "turns": ["q"], "must": ["9.9.9"]}) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="9.9.9"):
        load_items(path, curriculum)


def test_quick_gate(curriculum, searcher, tmp_path):
    """The full set through the assistant and both baselines; the thresholds file decides."""
    from assistant import Assistant
    from eval.__main__ import run_all
    from eval.report import write

    report = run_all(assistant=Assistant(curriculum=curriculum, searcher=searcher, phraser=None))
    write(report, tmp_path)
    assert (tmp_path / "eval.md").read_text(encoding="utf-8").startswith("# 評測報告")
    assert (tmp_path / "eval.png").stat().st_size > 10_000
    overall = report["systems"]["assistant"]["overall"]
    assert overall["made_up_citations"] == 0
    assert report["passed"], report["threshold_failures"]
    # The assistant must beat the plain RAG template it replaces.
    assert report["ratios_assistant_over"]["dense-rag"]["citation_recall"] > 1


def test_blind_gate(curriculum, searcher):
    """Every frozen blind set through the assistant; `[blind.*]` in thresholds.toml decides."""
    from assistant import Assistant
    from eval.blind import blind_sets, evaluate_blind
    from eval.blind_report import check_blind

    sets = blind_sets()
    assert len(sets) >= 1
    bot = Assistant(curriculum=curriculum, searcher=searcher, phraser=None)
    for path in sets:
        result = evaluate_blind(bot, path)
        assert result["overall"]["questions"] >= 80
        assert not check_blind(result), (path.name, check_blind(result), result["overall"])


def test_blind_scorer_on_hand_made_answers(curriculum):
    from eval.blind import BlindItem, Observed, confident_wrong, meets

    item = BlindItem(id="t", turns=["q"], expect="no_course")
    assert meets("no_course", item, Observed(text="課綱裡沒有", citations=[], kind="no_match"))
    unrelated = Observed(text="最相關的是", citations=["8.1.2"], kind="topic")
    assert not meets("no_course", item, unrelated) and confident_wrong(item, unrelated)
    hedged = unrelated.model_copy(update={"hedged": True})
    assert meets("no_course", item, hedged) and not confident_wrong(item, hedged)
    courses = BlindItem(id="c", turns=["q"], expect="courses", must=["4.2.3"], may=["4.2.4"])
    assert meets("courses", courses, Observed(text="", citations=["4.2.3", "4.2.4"]))
    assert not meets("courses", courses, Observed(text="", citations=["4.2.3", "2.1.2"]))
    fact = BlindItem(id="f", turns=["q"], expect="fact", key=["284"])
    assert meets("fact", fact, Observed(text="全部上完是 **284 小時**", citations=[]))
    assert not meets("fact", fact, Observed(text="320 小時", citations=[]))
    path = BlindItem(id="p", turns=["我是承辦，每天寫公文"], expect="role_path", roles=["能應用"])
    assert meets("role_path", path, Observed(text="「能應用」…", citations=["1.1.1", "1.2.1"], kind="role_path", role="能應用"))
    # Two topic courses carrying the role are not the role's path (the scorer once counted them right).
    assert not meets("role_path", path, Observed(text="最相關的是", citations=["8.1.1"], kind="topic", role="能應用"))
