"""Run every system over the set and aggregate the metrics, per question type and overall."""

from __future__ import annotations

from collections import defaultdict

from corpus.models import Curriculum
from eval.dataset import EvalItem
from eval.metrics import ndcg_at, percentile, recall_at, reciprocal_rank


def retrieval_metrics(system, items: list[EvalItem]) -> dict:
    rows = [item for item in items if item.relevant]
    sums = defaultdict(float)
    for item in rows:
        ranked = system.retrieve(item.question, 5)
        relevant = set(item.relevant)
        for k in (1, 3, 5):
            sums[f"recall@{k}"] += recall_at(ranked, relevant, k)
        sums["mrr"] += reciprocal_rank(ranked, relevant)
        sums["ndcg@5"] += ndcg_at(ranked, relevant, 5)
    n = len(rows) or 1
    return {"questions": len(rows), **{key: round(value / n, 4) for key, value in sums.items()}}


def score_item(item: EvalItem, prediction, curriculum: Curriculum) -> dict:
    cited = prediction.citations
    allowed = set(item.must) | set(item.may)
    made_up = [c for c in cited if c not in curriculum.course_map]
    row = {
        "id": item.id,
        "type": item.type,
        "variant": item.variant,
        "question": item.question,
        "cited": cited,
        "n_cited": len(cited),
        "n_cited_ok": sum(1 for c in cited if c in allowed),
        "n_must": len(item.must),
        "n_must_hit": len(set(item.must) & set(cited)),
        "made_up": made_up,
        "refused_expected": item.refused,
        "refused": prediction.refused,
        "seconds": prediction.seconds,
        "quoted": list(prediction.sources),
        "course_question": bool(item.must),
    }
    if item.sources:  # a document question: quoted from one of these sections, citing no course
        row["source_ok"] = bool(prediction.sources) and prediction.sources[0] in item.sources and not cited
    if item.checks_total:
        row["total_expected"] = item.total
        row["total"] = prediction.total
        row["total_ok"] = prediction.total == item.total
    if item.checks_role:
        row["role_expected"] = item.role
        row["role"] = prediction.role
        row["role_ok"] = prediction.role == item.role
    return row


def aggregate(rows: list[dict]) -> dict:
    def share(selected: list[dict], key: str) -> float | None:
        values = [r[key] for r in selected if key in r]
        return round(sum(values) / len(values), 4) if values else None

    cited = sum(r["n_cited"] for r in rows)
    must = sum(r["n_must"] for r in rows)
    refusals = [r for r in rows if r["refused_expected"]]
    answers = [r for r in rows if not r["refused_expected"]]
    latencies = [r["seconds"] * 1000 for r in rows]
    return {
        "questions": len(rows),
        "citation_precision": round(sum(r["n_cited_ok"] for r in rows) / cited, 4) if cited else None,
        "citation_recall": round(sum(r["n_must_hit"] for r in rows) / must, 4) if must else None,
        "made_up_citations": sum(len(r["made_up"]) for r in rows),
        "hours_exact": share(rows, "total_ok"),
        "role_accuracy": share(rows, "role_ok"),
        "document_accuracy": share(rows, "source_ok"),
        # A course question answered with a section of the framework text: never.
        "sections_on_course_questions": sum(bool(r["quoted"]) and r["course_question"] for r in rows),
        "refusal_recall": round(sum(r["refused"] for r in refusals) / len(refusals), 4) if refusals else None,
        "answer_rate": round(sum(not r["refused"] for r in answers) / len(answers), 4) if answers else None,
        "latency_ms_p50": round(percentile(latencies, 50), 2),
        "latency_ms_p95": round(percentile(latencies, 95), 2),
    }


def evaluate(system, items: list[EvalItem], curriculum: Curriculum) -> dict:
    rows = [score_item(item, system.answer(item), curriculum) for item in items]
    by_type = {t: aggregate([r for r in rows if r["type"] == t]) for t in dict.fromkeys(r["type"] for r in rows)}
    by_variant = {v: aggregate([r for r in rows if r["variant"] == v]) for v in dict.fromkeys(r["variant"] for r in rows)}
    return {
        "overall": aggregate(rows),
        "by_type": by_type,
        "by_variant": by_variant,
        "retrieval": retrieval_metrics(system, items),
        "rows": rows,
    }
