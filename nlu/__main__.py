"""`python -m nlu …`: train the intent classifier, try it, calibrate its thresholds."""

from __future__ import annotations

import json
import logging

import click


def _searcher():
    from corpus.load import load_curriculum
    from index.embedder import default_embeddings
    from index.retrieve import HybridSearcher
    from index.store import build_index

    curriculum = load_curriculum()
    embeddings = default_embeddings()
    build_index(curriculum, embeddings)
    return HybridSearcher(curriculum, embeddings)


@click.group(help="問題理解：意圖分類器的訓練、試用與門檻校準。")
def cli() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")


@cli.command(help="依 nlu/exemplars/ 的範例訓練意圖分類器（內容沒變就略過）。")
@click.option("--force", is_flag=True, help="即使已是最新也重新訓練")
def train(force: bool) -> None:
    from corpus.settings import get_settings
    from nlu.exemplars import read_exemplars
    from nlu.model import load_or_train, model_path

    searcher = _searcher()
    path = model_path(get_settings().data_dir, searcher.embeddings)
    fresh = force or not path.exists()
    model = load_or_train(searcher, force=force)
    exemplars = read_exemplars()
    verb = "已訓練" if fresh else "已是最新"
    click.echo(f"意圖分類器{verb}：{len(model.intents)} 種意圖、{len(exemplars.texts)} 句範例（{path.name}）")


@cli.command(help="顯示一個問題的意圖與信心值。")
@click.argument("question")
def predict(question: str) -> None:
    from index.text import normalize
    from nlu.model import load_or_train

    searcher = _searcher()
    model = load_or_train(searcher)
    text = searcher.prepare(normalize(question))
    vector = searcher.embeddings.embed_queries([text])[0]
    probs = model.probabilities(text, vector)
    ranked = sorted(zip(model.intents, probs), key=lambda x: -x[1])[:4]
    click.echo(json.dumps({intent: round(float(p), 3) for intent, p in ranked}, ensure_ascii=False))


@cli.command(help="交叉驗證：各信心門檻下的正確率與涵蓋率（校準 nlu/data/thresholds.toml 用）。")
@click.option("--folds", default=5, show_default=True)
def calibrate(folds: int) -> None:
    from assistant.core import Assistant
    from corpus.load import load_curriculum
    from nlu.calibrate import cross_validate, evidence_levels

    searcher = _searcher()
    click.echo("## 意圖信心門檻")
    for line in cross_validate(searcher, folds):
        click.echo(line)
    click.echo("## 檢索證據門檻（主題題目）")
    assistant = Assistant(curriculum=load_curriculum(), searcher=searcher, phraser=None)
    for line in evidence_levels(assistant):
        click.echo(line)


if __name__ == "__main__":
    cli()
