"""Benchmarks: start-up, answer latency, index build, memory, scale to 100k rows, incremental publish.

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
    # Reference only: the same query vectors through sentence-transformers (the fallback without an ONNX export).
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
    embeddings.embed_documents(["暖機"])  # the passage path loaded before the clock starts: build time is embedding and writing
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


def _child(command: str, size: int) -> dict:
    """`python -m eval <command> --rows N` in its own process (its own memory peak); its last line is JSON."""
    result = subprocess.run(
        [sys.executable, "-m", "eval", command, "--rows", str(size)], capture_output=True, text=True, cwd=REPO_ROOT, env=os.environ.copy()
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def bench_scale(sizes: list[int]) -> list[dict]:
    out = []
    for size in sizes:
        out.append(_child("bench-scale", size))
        print(f"  {size} 筆：建置 {out[-1]['build_rows_per_s']} 筆/秒，查詢 p95 {out[-1]['query']['p95_ms']} ms，記憶體 {out[-1]['peak_memory_mb']} MB", file=sys.stderr)
    return out


# ------------------------------------------------------------ incremental publish
def synthetic_curriculum(size: int):
    """A catalog of `size` courses: the real 41, then courses recombined from the real rows' text with
    codes of their own (units 10 and up, so no real code is reused), each on one role × stage path."""
    from corpus.load import load_curriculum, parse_curriculum

    base = load_curriculum()
    real = base.courses
    data = base.model_dump(mode="json")
    roles, stages = [r.name for r in base.roles], [s.name for s in base.stages]
    paths = data["role_paths"]["paths"]
    n = len(real)
    for i in range(max(0, size - n)):
        a, b, c = real[i % n], real[(i * 7 + 3) % n], real[(i * 13 + 5) % n]
        module, k = i % 8 + 1, i // 8
        unit = 10 + k // 90
        code = f"{module}.{unit}.{k % 90 + 1}"
        data["courses"].append(
            {
                "code": code,
                "name": f"{a.name}：{b.unit_name}",
                "module": module,
                "unit_code": f"{module}.{unit}",
                "unit_name": b.unit_name,
                "level": a.level,
                "hours": a.hours,
                "goals": list(a.goals[:1]),
                "outline": [a.outline[0], c.outline[-1], f"案例研討 {i + 1}"],
                "methods": list(b.methods),
                "replaces": [],
                "notes": [],
            }
        )
        paths[roles[i % len(roles)]][stages[(i // len(roles)) % len(stages)]].append(code)
    return parse_curriculum(data, "合成課綱")


def publish_one(size: int) -> dict:
    """A one-course change on a synthetic catalog of `size` courses, as a trainer makes it: upload a
    one-row spreadsheet and preview it (`read_upload`), publish (`Versions.publish`: corpus file, new
    index version, pointer switch), and the app serving the new version (`Assistant.check_index`);
    against the full build of that catalog. In this process, with a temp data directory of its own
    (corpus file, SQLite, Chroma)."""
    import shutil

    from corpus.load import dump_curriculum, write_atomically
    from corpus.settings import get_settings, reload_settings

    real = get_settings()
    catalog = synthetic_curriculum(size)  # from the real corpus file, before the settings point at the temp one
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        os.environ.update(ADVISOR_DATA_DIR=str(data_dir), ADVISOR_CORPUS=str(Path(tmp) / "curriculum.json"), ADVISOR_MODELS_DIR=str(real.model_dir))
        for variable in ("ADVISOR_DATABASE_URL", "CHROMA_HOST"):
            os.environ.pop(variable, None)
        settings = reload_settings()
        from assistant import Assistant
        from corpus.exports import write_table
        from corpus.importer import SYLLABUS_HEADER, syllabus_rows
        from index.embedder import default_embeddings
        from index.store import build_index, make_client
        from nlu.model import model_path
        from storage import Database
        from workspace.versions import Versions, read_upload

        write_atomically(settings.corpus_file, dump_curriculum(catalog))
        embeddings = default_embeddings()
        embeddings.embed_query("暖機")
        trained = model_path(real.data_dir, embeddings)
        if trained.exists():  # the app starts without training its classifier again
            (data_dir / "nlu").mkdir(parents=True, exist_ok=True)
            shutil.copy(trained, data_dir / "nlu" / trained.name)
        client = make_client(settings)
        started = time.perf_counter()
        full = build_index(catalog, embeddings, client=client, force=True)  # the baseline: every course embedded and written
        full_s = time.perf_counter() - started
        bot = Assistant(phraser=None)  # serves the catalog (the index above is current: nothing rebuilt)
        versions = Versions(Database.in_data_dir(data_dir))
        versions.ensure_initial(catalog, embeddings)  # once per deployment, not part of a publish
        # The trainer's upload: one course's row (the import's columns) with one more outline item.
        middle = catalog.courses[size // 2] if size // 2 < len(catalog.courses) else catalog.courses[-1]
        row = next(r for r in syllabus_rows(catalog) if r[2].startswith(middle.code + " "))
        row[5] += "\n新增：成果發表與回饋"
        upload = Path(tmp) / "one-course.csv"
        write_table(upload, SYLLABUS_HEADER, [row])
        started = time.perf_counter()
        changed, preview = read_upload(upload, bot.curriculum)  # the check and preview of the upload section
        preview_s = time.perf_counter() - started
        if [(c.code, c.field) for c in preview.changed] != [(middle.code, "課程大綱")]:
            raise RuntimeError(f"預覽不是只有一門課的大綱變更：{preview.changed[:3]}")
        started = time.perf_counter()
        versions.publish(changed, "bench", "一門課的大綱多一項", embeddings=bot.searcher.embeddings, client=bot.searcher.client)
        publish_s = time.perf_counter() - started
        followed = bot.check_index()
        follow_s = time.perf_counter() - started - publish_s
        served = bot.curriculum.course(middle.code)
        if not followed or served is None or served.outline[-1] != "新增：成果發表與回饋":
            raise RuntimeError("發布後 app 沒有改用新版本")
        build = versions.last_build
        total_s = preview_s + publish_s + follow_s
        return {
            "rows": size,
            "full_build_s": round(full_s, 1),
            "full_build_embedded": full.embedded,
            "preview_s": round(preview_s, 2),
            "publish_s": round(publish_s, 2),
            "publish_embedded": build.embedded,
            "publish_index_phases_s": build.phases,
            "app_follow_s": round(follow_s, 2),
            "total_s": round(total_s, 2),
            "full_build_over_total": round(full_s / total_s, 1),
            "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        }


def bench_publish(sizes: list[int]) -> list[dict]:
    out = []
    for size in sizes:
        out.append(_child("bench-publish", size))
        r = out[-1]
        print(f"  {size} 門課：全部重建 {r['full_build_s']} 秒；改一門：預覽 {r['preview_s']}＋發布 {r['publish_s']}＋app 跟上 {r['app_follow_s']} 秒", file=sys.stderr)
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
        f"- 索引建置（41 門課，含嵌入，與查詢同一個 {ip['query_encoder']} 模型）：{ip['index_build']['seconds']} 秒；"
        f"sentence-transformers（只作為參考量測，app 不載入）載入 {ip['sentence_transformers_load_s']} 秒",
        "",
        "## 增量發布（合成課綱，一門課的大綱改一項）",
        "",
        "同一行程先量整份課綱全部重建（每門課都嵌入、寫入；基準），再照訓練承辦的做法改一門課：上傳只有那一列的試算表並預覽"
        "（`read_upload`）、發布（`Versions.publish`：課綱檔、新版本索引、切換指標）、app 改用新版本（`Assistant.check_index`：讀課綱、BM25）。",
        "",
        "| 課程數 | 全部重建秒數 | 預覽 | 發布 | 其中索引：讀舊向量／嵌入／寫入／確認／切換與清理 | 嵌入幾門 | app 跟上 | 合計 | 全部重建 ÷ 合計 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report.get("publish", []):
        ph = r["publish_index_phases_s"]
        steps = "／".join(str(ph.get(k, "")) for k in ("read_reused_s", "embed_s", "write_s", "verify_s", "switch_prune_s"))
        lines.append(
            f"| {r['rows']} | {r['full_build_s']} | {r['preview_s']} | {r['publish_s']} | {steps} | {r['publish_embedded']} | {r['app_follow_s']} | {r['total_s']} | {r['full_build_over_total']} |"
        )
    lines += [
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


def run_bench(out: Path, sizes: list[int], publish_sizes: list[int] | None = None) -> dict:
    from datetime import datetime, timezone

    sample = questions()
    print("行程層：冷啟動、CLI 批次、記憶體…", file=sys.stderr)
    process = bench_process(sample)
    print("同一行程：下限、assistant、dense-RAG、索引建置…", file=sys.stderr)
    in_process = bench_in_process(sample)
    print("規模：" + "、".join(str(s) for s in sizes), file=sys.stderr)
    scale = bench_scale(sizes) if sizes else []
    print("增量發布：" + "、".join(str(s) for s in publish_sizes or []), file=sys.stderr)
    publish = bench_publish(publish_sizes) if publish_sizes else []
    report = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}，{os.cpu_count()} 核心，Python {platform.python_version()}",
        "process": process,
        "in_process": in_process,
        "scale": scale,
        "publish": publish,
    }
    report["targets"] = check(report)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "bench.md").write_text(markdown(report), encoding="utf-8")
    return report
