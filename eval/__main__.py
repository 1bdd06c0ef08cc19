"""`python -m eval run`: score the assistant and two baselines on the Q&A set."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from pathlib import Path

import click

from eval.dataset import DEFAULT_SET, DatasetError, load_items


def run_all(items_path: Path = DEFAULT_SET, llm: bool = False, assistant=None) -> dict:
    from assistant import Assistant
    from eval import report as report_module
    from eval.runner import evaluate
    from eval.systems import AssistantSystem, Bm25Baseline, DenseRagBaseline

    assistant = assistant or Assistant(phraser=None)
    items = load_items(items_path, assistant.curriculum)
    systems = [AssistantSystem(assistant), DenseRagBaseline(assistant.searcher), Bm25Baseline(assistant.searcher)]
    if llm:
        from assistant.llm import phraser_from_settings

        phraser = phraser_from_settings(assistant.curriculum)
        if phraser is None:
            raise click.ClickException("請先設定 ADVISOR_LLM（openai 或 gguf）再用 --llm。")
        llm_assistant = Assistant(curriculum=assistant.curriculum, searcher=assistant.searcher, phraser=phraser)
        systems.insert(1, AssistantSystem(llm_assistant, label="assistant+llm"))
    results = {system.name: evaluate(system, items, assistant.curriculum) for system in systems}
    failures = report_module.check_thresholds(results["assistant"])
    dataset = {"file": str(items_path.name), "questions": len(items), "types": dict(Counter(i.type for i in items))}
    return report_module.build_report(results, dataset, failures)


@click.group(help="評測：問答測試集、指標、基準線與報告。")
def cli() -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)


@cli.command(help="執行評測，輸出 JSON、Markdown 與 PNG；未達門檻時結束碼非 0。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("reports/eval"), show_default=True)
@click.option("--set", "items_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_SET)
@click.option("--llm", is_flag=True, help="另外評測 LLM 潤飾模式（需設定 ADVISOR_LLM）")
def run(out: Path, items_path: Path, llm: bool) -> None:
    from assistant import Assistant
    from eval import report as report_module

    try:
        report = run_all(items_path, llm=llm)
    except DatasetError as exc:
        raise click.ClickException(f"測試集有誤：\n{exc}") from None
    report_module.write(report, out)
    from eval.blind import blind_sets
    from eval.blind_report import check_blind, write_blind

    blind_results = run_blind(Assistant(phraser=None), blind_sets()) if blind_sets() else []
    if blind_results:
        write_blind(blind_results, out)
    blind_failures = [f"{r['file']}：{f}" for r in blind_results for f in check_blind(r)]
    overall = report["systems"]["assistant"]["overall"]
    retrieval = report["systems"]["assistant"]["retrieval"]
    click.echo(
        f"assistant：引用精確率 {overall['citation_precision']}、召回率 {overall['citation_recall']}、"
        f"捏造 {overall['made_up_citations']}、時數正確率 {overall['hours_exact']}、角色 {overall['role_accuracy']}、"
        f"拒答 {overall['refusal_recall']}/{overall['answer_rate']}、recall@3 {retrieval['recall@3']}、"
        f"p95 {overall['latency_ms_p95']} ms"
    )
    for name, ratios in report["ratios_assistant_over"].items():
        click.echo(f"  對 {name}：引用精確率 ×{ratios['citation_precision']}、召回率 ×{ratios['citation_recall']}、recall@3 ×{ratios['retrieval.recall@3']}")
    for result in blind_results:
        click.echo(_blind_line(result))
    click.echo(f"報告：{out / 'eval.md'}、{out / 'eval.json'}、{out / 'eval.png'}" + (f"、{out / 'blind.md'}" if blind_results else ""))
    if not report["passed"] or blind_failures:
        for failure in report["threshold_failures"] + blind_failures:
            click.echo(f"未達門檻：{failure}", err=True)
        sys.exit(1)


def _blind_line(result: dict) -> str:
    o = result["overall"]
    return (
        f"盲測 {result['file']}：首見正確率 {o['accuracy']:.3f}（{o['questions']} 題）、自信答錯 {o['confident_wrong']}"
        f"（不該引用課程的題目 {o['confident_wrong_unanswerable']}）、捏造 {o['made_up_citations']}、反問 {o['clarify_rate']:.3f}、"
        f"該答卻拒答 {o['refused_when_answerable']}、該拒答卻回答 {o['answered_when_out_of_scope']}"
    )


@cli.command(help="盲測集：首見正確率、自信答錯、反問與拒答；未達門檻時結束碼非 0。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("reports/eval"), show_default=True)
@click.option("--set", "sets", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="預設為 eval/data/blind/ 的每個檔案")
def blind(out: Path, sets: tuple[Path, ...]) -> None:
    from assistant import Assistant
    from eval.blind import blind_sets
    from eval.blind_report import check_blind, write_blind

    paths = list(sets) or blind_sets()
    if not paths:
        raise click.ClickException("eval/data/blind/ 裡沒有盲測集。")
    try:
        results = run_blind(Assistant(phraser=None), paths)
    except DatasetError as exc:
        raise click.ClickException(f"盲測集有誤：\n{exc}") from None
    write_blind(results, out)
    failures = []
    for result in results:
        click.echo(_blind_line(result))
        failures += [f"{result['file']}：{f}" for f in check_blind(result)]
    click.echo(f"報告：{out / 'blind.md'}、{out / 'blind.json'}")
    for failure in failures:
        click.echo(f"未達門檻：{failure}", err=True)
    if failures:
        sys.exit(1)


def run_blind(assistant, paths: list[Path]) -> list[dict]:
    from eval.blind import evaluate_blind

    return [evaluate_blind(assistant, path) for path in paths]


def _sizes(value: str, option: str) -> list[int]:
    try:
        sizes = [int(s) for s in value.split(",") if s.strip()]
    except ValueError:
        raise click.ClickException(f"{option} 要是以逗號分隔的整數，例如 1000,10000") from None
    if any(s < 1 or s > 1_000_000 for s in sizes):
        raise click.ClickException(f"{option} 的每個數字要在 1 到 1,000,000 之間")
    return sizes


@cli.command(help="效能基準：冷啟動、延遲、建置、記憶體、規模與增量發布；輸出 Markdown 與 JSON。預設約幾分鐘，完整規模見 --sizes、--publish-sizes。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("reports/bench"), show_default=True)
@click.option("--sizes", default="1000", show_default=True, help="規模測試的合成課程列數，逗號分隔（完整：1000,10000,100000，約半小時）")
@click.option("--publish-sizes", default="1000", show_default=True, help="增量發布的合成課綱門數，逗號分隔（10000 約需 10 分鐘，多半是全部重建的基準）")
def bench(out: Path, sizes: str, publish_sizes: str) -> None:
    from eval.bench import run_bench

    report = run_bench(out, _sizes(sizes, "--sizes"), _sizes(publish_sizes, "--publish-sizes"))
    for name, row in report["targets"].items():
        click.echo(f"{'✅' if row['met'] else '❌'} {name}：{row['value']}（目標 ≤ {row['target']}）")
    click.echo(f"報告：{out / 'bench.md'}、{out / 'bench.json'}")


@cli.command("bench-scale", hidden=True)
@click.option("--rows", type=int, required=True)
def bench_scale(rows: int) -> None:
    from eval.bench import scale_one

    click.echo(json.dumps(scale_one(rows), ensure_ascii=False))


@cli.command("bench-publish", hidden=True)
@click.option("--rows", type=int, required=True)
def bench_publish(rows: int) -> None:
    from eval.bench import publish_one

    click.echo(json.dumps(publish_one(rows), ensure_ascii=False))


if __name__ == "__main__":
    cli()
