"""Benchmarks: start-up, answer latency, index build, memory, and scale to 100k rows.

Every figure is measured in this run on this machine and printed next to its
baselines measured in the same process: the floor (the bare query embedding of
the same model) and the plain dense-RAG template. Targets are checked here and
reported, never asserted by timed tests.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus.settings import REPO_ROOT

TARGETS = {
    "warm_p95_over_floor": 1.5,
    "cold_start_s": 10.0,
    "peak_memory_mb": 1536,
    "scale_100k_query_p95_ms": 250.0,
}


def _percentiles(values_ms: list[float]) -> dict:
    from eval.metrics import percentile

    return {"p50_ms": round(percentile(values_ms, 50), 2), "p95_ms": round(percentile(values_ms, 95), 2), "n": len(values_ms)}


def _timed(fn, inputs, repeats: int = 3) -> list[float]:
    for x in inputs[:3]:
        fn(x)  # warm up
    values = []
    for _ in range(repeats):
        for x in inputs:
            started = time.perf_counter()
            fn(x)
            values.append((time.perf_counter() - started) * 1000)
    return values


def questions() -> list[str]:
    from eval.dataset import load_items

    return [item.question for item in load_items() if len(item.turns) == 1]


def _run(args: list[str]) -> tuple[float, int, str, str]:
    """Wall seconds, peak RSS (MB), stdout and stderr of one child process."""
    script = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "w = time.perf_counter() - t\n"
        "print(json.dumps({'wall': w, 'rss': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, 'rc': p.returncode, 'out': p.stdout[-2000:], 'err': p.stderr}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=REPO_ROOT, env=os.environ.copy())
    data = json.loads(result.stdout)
    if data["rc"] != 0:
        raise RuntimeError(f"{args} failed: {data['err'][-2000:]}")
    return data["wall"], data["rss"] // 1024, data["out"], data["err"]


def bench_process(sample: list[str]) -> dict:
    """Cold start, CLI batch and peak memory, each in a fresh process."""
    cli = [sys.executable, "-m", "assistant", "ask"]
    cold = [_run([*cli, "跟個資法有關的課", "--json"]) for _ in range(3)]
    with tempfile.TemporaryDirectory() as tmp:
        many = Path(tmp) / "many.txt"
        many.write_text("\n".join(sample[:10] + sample) + "\n", encoding="utf-8")
        wall, rss_many, _, err = _run([*cli, "--file", str(many), "--json", "--timings"])
    timings = [json.loads(line)["timing_ms"] for line in err.splitlines() if line.startswith('{"timing_ms"')]
    return {
        "cold_start_s": round(statistics.median(w for w, _, _, _ in cold), 2),
        "cold_start_runs_s": [round(w, 2) for w, _, _, _ in cold],
        "peak_memory_mb": max([rss for _, rss, _, _ in cold] + [rss_many]),
        "cli_batch": {**_percentiles(timings[10:]), "total_s": round(wall, 2)},  # the first 10 warm up
    }


def bench_in_process(sample: list[str]) -> dict:
    from assistant import Assistant
    from eval.systems import DenseRagBaseline
    from index.store import build_index, drop_index, records_for

    started = time.perf_counter()
    assistant = Assistant(phraser=None)
    load_s = time.perf_counter() - started
    embeddings = assistant.searcher.embeddings
    floor = _timed(embeddings.embed_query, sample)
    api = _timed(assistant.ask, sample)
    topic_sample = [q for q in sample if assistant.ask(q).kind == "topic"]
    api_topic = _timed(assistant.ask, topic_sample)
    dense = DenseRagBaseline(assistant.searcher)
    dense_times = _timed(lambda q: dense.retrieve(q, 3), sample)
    # Reference only: the same query vectors through sentence-transformers (what indexing uses).
    started = time.perf_counter()
    _ = embeddings.model
    st_load_s = time.perf_counter() - started
    st_query = _timed(lambda q: embeddings.embed_queries_with_sentence_transformers([q]), sample)
    started = time.perf_counter()
    report = build_index(assistant.curriculum, embeddings, client=assistant.searcher.client, name="bench_build", force=True)
    build_s = time.perf_counter() - started
    drop_index(assistant.searcher.client, "bench_build")  # every version and its pointer
    f, a, d = _percentiles(floor), _percentiles(api), _percentiles(dense_times)
    return {
        "assistant_load_s": round(load_s, 2),
        "floor_query_embedding": f,
        "query_encoder": "onnxruntime" if embeddings.query_encoder is not None else "sentence-transformers",
        "sentence_transformers_query_embedding": _percentiles(st_query),
        "sentence_transformers_load_s": round(st_load_s, 2),
        "assistant_api": a,
        "assistant_api_topic_questions": _percentiles(api_topic),
        "dense_rag_baseline": d,
        "ratios": {
            "assistant_p95_over_floor_p95": round(a["p95_ms"] / f["p95_ms"], 3),
            "assistant_topic_p95_over_floor_p95": round(_percentiles(api_topic)["p95_ms"] / f["p95_ms"], 3),
            "assistant_p95_over_dense_rag_p95": round(a["p95_ms"] / d["p95_ms"], 3),
        },
        "index_build": {"courses": report.count, "seconds": round(build_s, 2), "rows_per_s": round(report.count / build_s, 1)},
        "records": len(records_for(assistant.curriculum).ids),
    }


# ------------------------------------------------------------ scale
def synthetic_records(size: int):
    """Rows made by recombining the real rows' text, each with a unique code."""
    from corpus.load import load_curriculum
    from index.store import Records

    courses = load_curriculum().courses
    n = len(courses)
    ids, documents, metadatas = [], [], []
    for i in range(size):
        a, b, c = courses[i % n], courses[(i * 7 + 3) % n], courses[(i * 13 + 5) % n]
        code = f"S{i:06d}"
        name = f"{a.name}：{b.unit_name}"
        ids.append(code)
        documents.append(f"{code} {name}\n課程大綱：{a.outline[0]}；{c.outline[-1]}")
        metadatas.append({"code": code, "name": name, "module": a.module, "hours": a.hours, "level": a.level or ""})
    return Records(ids=ids, documents=documents, metadatas=metadatas)


def scale_one(size: int) -> dict:
    """Run inside its own process so that its peak memory is its own."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from corpus.load import load_curriculum
    from index.embedder import default_embeddings
    from index.retrieve import HybridSearcher
    from index.store import build_index

    records = synthetic_records(size)
    embeddings = default_embeddings()
    embeddings.embed_query("暖機")
    _ = embeddings.model  # loaded before the clock starts: build time is embedding and writing
    with tempfile.TemporaryDirectory() as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=ChromaSettings(anonymized_telemetry=False))
        curriculum = load_curriculum()
        started = time.perf_counter()
        build_index(curriculum, embeddings, client=client, name="scale", records=records)
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        searcher = HybridSearcher(curriculum, embeddings, client=client, name="scale", records=records)
        bm25_s = time.perf_counter() - started
        sample = questions()[:60]
        query = _percentiles(_timed(lambda q: searcher.search(q, k=5), sample, repeats=1))
        floor = _percentiles(_timed(embeddings.embed_query, sample, repeats=1))
    return {
        "rows": size,
        "build_s": round(build_s, 1),
        "build_rows_per_s": round(size / build_s, 1),
        "bm25_index_s": round(bm25_s, 2),
        "query": query,
        "floor_query_embedding": floor,
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def bench_scale(sizes: list[int]) -> list[dict]:
    out = []
    for size in sizes:
        result = subprocess.run(
            [sys.executable, "-m", "eval", "bench-scale", "--rows", str(size)],
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            env=os.environ.copy(),
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        out.append(json.loads(result.stdout.strip().splitlines()[-1]))
        print(f"  {size} 筆：建置 {out[-1]['build_rows_per_s']} 筆/秒，查詢 p95 {out[-1]['query']['p95_ms']} ms，記憶體 {out[-1]['peak_memory_mb']} MB", file=sys.stderr)
    return out


def check(report: dict) -> dict:
    scale = {r["rows"]: r for r in report["scale"]}
    checks = {
        "warm_p95_over_floor": (report["in_process"]["ratios"]["assistant_p95_over_floor_p95"], TARGETS["warm_p95_over_floor"]),
        "cold_start_s": (report["process"]["cold_start_s"], TARGETS["cold_start_s"]),
        "peak_memory_mb": (report["process"]["peak_memory_mb"], TARGETS["peak_memory_mb"]),
    }
    if 100_000 in scale:
        checks["scale_100k_query_p95_ms"] = (scale[100_000]["query"]["p95_ms"], TARGETS["scale_100k_query_p95_ms"])
    return {name: {"value": value, "target": target, "met": value <= target} for name, (value, target) in checks.items()}


def markdown(report: dict) -> str:
    p, ip = report["process"], report["in_process"]
    st = ip["sentence_transformers_query_embedding"]
    lines = [
        "# 效能基準報告",
        "",
        f"{report['machine']}；{report['generated_at']}。每個數字都是本次在同一台機器上量到的。",
        "",
        "## 目標",
        "",
        "| 項目 | 量到 | 目標 | 達成 |",
        "|---|---|---|---|",
    ]
    for name, row in report["targets"].items():
        lines.append(f"| {name} | {row['value']} | ≤ {row['target']} | {'✅' if row['met'] else '❌'} |")
    lines += [
        "",
        "## 回答延遲（暖機後，單位 ms）",
        "",
        "| 路徑 | p50 | p95 | 題數 |",
        "|---|---|---|---|",
        f"| 下限：同一模型單純嵌入查詢（{ip['query_encoder']}） | {ip['floor_query_embedding']['p50_ms']} | {ip['floor_query_embedding']['p95_ms']} | {ip['floor_query_embedding']['n']} |",
        f"| assistant（Python API，全部題型） | {ip['assistant_api']['p50_ms']} | {ip['assistant_api']['p95_ms']} | {ip['assistant_api']['n']} |",
        f"| assistant（只看主題檢索題） | {ip['assistant_api_topic_questions']['p50_ms']} | {ip['assistant_api_topic_questions']['p95_ms']} | {ip['assistant_api_topic_questions']['n']} |",
        f"| 基準線：dense-only langchain + Chroma top-3 | {ip['dense_rag_baseline']['p50_ms']} | {ip['dense_rag_baseline']['p95_ms']} | {ip['dense_rag_baseline']['n']} |",
        f"| CLI 批次（--file --json，每題） | {p['cli_batch']['p50_ms']} | {p['cli_batch']['p95_ms']} | {p['cli_batch']['n']} |",
        f"| 參考：同一查詢改用 sentence-transformers 嵌入 | {st['p50_ms']} | {st['p95_ms']} | {st['n']} |",
        "",
        f"比值：assistant p95 ÷ 下限 p95 = {ip['ratios']['assistant_p95_over_floor_p95']}；主題題 ÷ 下限 = {ip['ratios']['assistant_topic_p95_over_floor_p95']}；"
        f"assistant p95 ÷ dense-RAG p95 = {ip['ratios']['assistant_p95_over_dense_rag_p95']}。",
        "",
        "## 啟動、建置與記憶體",
        "",
        f"- 冷啟動（行程開始到第一個回答，`python -m assistant ask`）：中位數 {p['cold_start_s']} 秒（{p['cold_start_runs_s']}）",
        f"- 峰值記憶體（回答行程的最大 RSS）：{p['peak_memory_mb']} MB",
        f"- 索引建置（41 門課，含嵌入；sentence-transformers 另需載入 {ip['sentence_transformers_load_s']} 秒，只在建索引時）：{ip['index_build']['seconds']} 秒",
        "",
        "## 規模（合成課程列，由真實課程文字重組，代碼不重複）",
        "",
        "| 列數 | 建置秒數 | 建置 列/秒 | BM25 建索引秒數 | 查詢 p50 ms | 查詢 p95 ms | 嵌入下限 p95 ms | 峰值記憶體 MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in report["scale"]:
        lines.append(
            f"| {r['rows']} | {r['build_s']} | {r['build_rows_per_s']} | {r['bm25_index_s']} | {r['query']['p50_ms']} | {r['query']['p95_ms']} | {r['floor_query_embedding']['p95_ms']} | {r['peak_memory_mb']} |"
        )
    return "\n".join(lines) + "\n"


def run_bench(out: Path, sizes: list[int]) -> dict:
    from datetime import datetime, timezone

    sample = questions()
    print("行程層：冷啟動、CLI 批次、記憶體…", file=sys.stderr)
    process = bench_process(sample)
    print("同一行程：下限、assistant、dense-RAG、索引建置…", file=sys.stderr)
    in_process = bench_in_process(sample)
    print("規模：" + "、".join(str(s) for s in sizes), file=sys.stderr)
    scale = bench_scale(sizes) if sizes else []
    report = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}，{os.cpu_count()} 核心，Python {platform.python_version()}",
        "process": process,
        "in_process": in_process,
        "scale": scale,
    }
    report["targets"] = check(report)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "bench.md").write_text(markdown(report), encoding="utf-8")
    return report
