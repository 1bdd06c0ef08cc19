"""Turn evaluation results into JSON, a Markdown report and a PNG chart."""

from __future__ import annotations

import json
import tomllib
from datetime import datetime, timezone
from pathlib import Path

from eval.dataset import DATA
from eval.metrics import ratio

THRESHOLDS = DATA / "thresholds.toml"
HEADLINE = [
    ("citation_precision", "引用精確率"),
    ("citation_recall", "引用召回率"),
    ("made_up_citations", "捏造引用數"),
    ("hours_exact", "時數/總計正確率"),
    ("role_accuracy", "角色正確率"),
    ("refusal_recall", "該拒答時拒答"),
    ("answer_rate", "該回答時回答"),
    ("latency_ms_p50", "延遲 p50 (ms)"),
    ("latency_ms_p95", "延遲 p95 (ms)"),
]
RETRIEVAL = [("recall@1", "recall@1"), ("recall@3", "recall@3"), ("recall@5", "recall@5"), ("mrr", "MRR"), ("ndcg@5", "nDCG@5")]


def lookup(result: dict, key: str):
    if key.startswith("retrieval."):
        return result["retrieval"].get(key.split(".", 1)[1])
    return result["overall"].get(key)


def check_thresholds(result: dict, path: Path = THRESHOLDS) -> list[str]:
    limits = tomllib.loads(path.read_text(encoding="utf-8"))
    failures = []
    for key, bound in limits.get("min", {}).items():
        value = lookup(result, key)
        if value is None or value < bound:
            failures.append(f"{key} = {value}，低於門檻 {bound}")
    for key, bound in limits.get("max", {}).items():
        value = lookup(result, key)
        if value is None or value > bound:
            failures.append(f"{key} = {value}，高於上限 {bound}")
    return failures


def build_report(results: dict[str, dict], dataset: dict, failures: list[str]) -> dict:
    main = results["assistant"]
    ratios = {}
    for name, result in results.items():
        if name == "assistant":
            continue
        row = {key: ratio(main["overall"].get(key), result["overall"].get(key)) for key, _ in HEADLINE}
        row.update({f"retrieval.{key}": ratio(main["retrieval"].get(key), result["retrieval"].get(key)) for key, _ in RETRIEVAL})
        ratios[name] = {k: (round(v, 3) if v is not None else None) for k, v in row.items()}
    return {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "dataset": dataset,
        "systems": results,
        "ratios_assistant_over": ratios,
        "threshold_failures": failures,
        "passed": not failures,
    }


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1.5 else f"{value:.1f}"
    return str(value)


def markdown(report: dict) -> str:
    systems = report["systems"]
    names = list(systems)
    lines = [
        "# 評測報告",
        "",
        f"產生時間：{report['generated_at']}；題目 {report['dataset']['questions']} 題（{report['dataset']['file']}）。",
        "",
        "## 整體（答案層）",
        "",
        "| 指標 | " + " | ".join(names) + " | " + " | ".join(f"assistant ÷ {n}" for n in names[1:]) + " |",
        "|---|" + "---|" * (len(names) * 2 - 1),
    ]
    for key, label in HEADLINE:
        cells = [_fmt(systems[n]["overall"].get(key)) for n in names]
        ratios = [_fmt(report["ratios_assistant_over"][n].get(key)) for n in names[1:]]
        lines.append(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    lines += [
        "",
        f"## 檢索層（只看檢索步驟，{systems['assistant']['retrieval']['questions']} 題有標注相關課程）",
        "",
        "| 指標 | " + " | ".join(names) + " | " + " | ".join(f"assistant ÷ {n}" for n in names[1:]) + " |",
        "|---|" + "---|" * (len(names) * 2 - 1),
    ]
    for key, label in RETRIEVAL:
        cells = [_fmt(systems[n]["retrieval"].get(key)) for n in names]
        ratios = [_fmt(report["ratios_assistant_over"][n].get(f"retrieval.{key}")) for n in names[1:]]
        lines.append(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    lines += ["", "## assistant 各題型", "", "| 題型 | 題數 | 引用精確率 | 引用召回率 | 時數正確率 | 角色正確率 | 拒答 | p95 (ms) |", "|---|---|---|---|---|---|---|---|"]
    for kind, row in systems["assistant"]["by_type"].items():
        refusal = row["refusal_recall"] if row["refusal_recall"] is not None else row["answer_rate"]
        lines.append(
            f"| {kind} | {row['questions']} | {_fmt(row['citation_precision'])} | {_fmt(row['citation_recall'])} | "
            f"{_fmt(row['hours_exact'])} | {_fmt(row['role_accuracy'])} | {_fmt(refusal)} | {_fmt(row['latency_ms_p95'])} |"
        )
    lines += ["", "## assistant 各問法", "", "| 問法 | 題數 | 引用精確率 | 引用召回率 | 時數正確率 |", "|---|---|---|---|---|"]
    for variant, row in systems["assistant"]["by_variant"].items():
        lines.append(f"| {variant} | {row['questions']} | {_fmt(row['citation_precision'])} | {_fmt(row['citation_recall'])} | {_fmt(row['hours_exact'])} |")
    misses = [
        r
        for r in systems["assistant"]["rows"]
        if r["n_cited_ok"] < r["n_cited"] or r["n_must_hit"] < r["n_must"] or r.get("total_ok") is False or r.get("role_ok") is False or r["refused"] != r["refused_expected"]
    ]
    lines += ["", f"## assistant 未全對的題目（{len(misses)} 題）", ""]
    for r in misses:
        lines.append(f"- {r['id']}（{r['type']}/{r['variant']}）「{r['question']}」：引用 {r['cited']}" + (f"，總計 {r.get('total')}（應為 {r.get('total_expected')}）" if r.get("total_ok") is False else "") + (f"，角色 {r.get('role')}（應為 {r.get('role_expected')}）" if r.get("role_ok") is False else ""))
    lines += ["", "## 門檻", ""]
    lines.append("全部通過。" if report["passed"] else "\n".join(f"- ❌ {f}" for f in report["threshold_failures"]))
    return "\n".join(lines) + "\n"


def chart(report: dict, target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = ["citation_precision", "citation_recall", "hours_exact", "role_accuracy", "refusal_recall", "retrieval.recall@3", "retrieval.mrr"]
    systems = report["systems"]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.8 / len(systems)
    for i, (name, result) in enumerate(systems.items()):
        values = [lookup(result, m) or 0 for m in metrics]
        ax.bar([x + i * width for x in range(len(metrics))], values, width, label=name)
    ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(metrics))], [m.replace("retrieval.", "") for m in metrics], rotation=20)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.set_title(f"AI advisor eval ({report['dataset']['questions']} questions)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=len(systems))
    fig.tight_layout()
    fig.savefig(target, dpi=120)
    plt.close(fig)


def write(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "eval.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "eval.md").write_text(markdown(report), encoding="utf-8")
    chart(report, out / "eval.png")
