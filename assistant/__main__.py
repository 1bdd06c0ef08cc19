"""`python -m assistant …`: ask one question, a file of questions, or chat in the terminal."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

import click

from corpus.load import CorpusError


def _assistant():
    from assistant.core import Assistant

    from index.store import IndexStoreError, exit_now

    try:
        return Assistant()
    except CorpusError as exc:
        raise click.ClickException(f"課綱檔案有誤，無法啟動：\n{exc}") from None
    except IndexStoreError as exc:
        exit_now(str(exc))


def _readable(answer) -> str:
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append("引用課程：" + "；".join(f"{c.code} {c.name}（{c.hours} 小時）" for c in answer.citations))
    return "\n".join(lines)


@click.group(help="AI 公務學習顧問：依「AI公務人才學習模組與課綱」回答選課問題。")
@click.option("-v", "--verbose", is_flag=True, help="在標準錯誤輸出顯示詳細記錄")
def cli(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s", stream=sys.stderr)


@cli.command(help="問一個問題；或用 --file 每行一題批次回答。")
@click.argument("question", required=False)
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="每行一題的文字檔")
@click.option("--json", "as_json", is_flag=True, help="輸出 JSON（批次時每行一個 JSON 物件）")
@click.option("--timings", is_flag=True, help="在標準錯誤輸出每題的回答時間（毫秒），供效能基準使用")
def ask(question: str | None, file: Path | None, as_json: bool, timings: bool) -> None:
    if (question is None) == (file is None):
        raise click.ClickException("請給一個問題，或用 --file 指定問題檔（兩者擇一）。")
    if file is not None:
        try:
            questions = [line.strip() for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
        except UnicodeDecodeError:
            raise click.ClickException(f"{file} 不是 UTF-8 文字檔。") from None
    else:
        questions = [question]
    assistant = _assistant()
    for index, text in enumerate(questions):
        started = time.perf_counter()
        answer = assistant.ask(text)
        if timings:
            click.echo(json.dumps({"timing_ms": round((time.perf_counter() - started) * 1000, 3)}), err=True)
        if as_json:
            click.echo(json.dumps(answer.contract(), ensure_ascii=False))
        else:
            if index:
                click.echo("\n" + "─" * 20)
            if file is not None:
                click.echo(f"問：{text}")
            click.echo(_readable(answer))


@cli.command(help="在終端機與顧問對話（/clear 清除對話、/exit 離開）。")
def chat() -> None:
    click.echo("AI 公務學習顧問（載入中…）", err=True)
    assistant = _assistant()
    history = []
    click.echo("您好！請問想了解哪些 AI 課程？（例如：我是中階主管該上哪些課）輸入 /exit 離開、/clear 重新開始。")
    while True:
        try:
            question = click.prompt("您", prompt_suffix="：", default="", show_default=False)
        except (EOFError, click.Abort):
            click.echo("\n再見！")
            return
        question = question.strip()
        if not question:
            continue
        if question in ("/exit", "/quit", "exit", "quit", "離開"):
            click.echo("再見！")
            return
        if question == "/clear":
            history = []
            click.echo("已清除對話。")
            continue
        answer = assistant.ask(question, history)
        history.append(answer)
        click.echo(f"\n顧問：{_readable(answer)}\n")


@cli.group(help="使用者回饋（👍/👎 與意見）。")
def feedback() -> None:
    pass


@feedback.command("export", help="把回饋匯出成 CSV 或 XLSX（依副檔名；Excel 可直接開啟，不會執行公式）。")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def feedback_export(file: Path) -> None:
    from assistant.feedback import FeedbackStore

    if file.parent and not file.parent.exists():
        raise click.ClickException(f"資料夾 {file.parent} 不存在。")
    count = FeedbackStore().export(file)
    click.echo(f"已匯出 {count} 筆回饋到 {file}")


@cli.command("llm-setup", help="組合選用的本機 LLM（GGUF，約 1.1 GB；`make llm` 會呼叫）。")
def llm_setup() -> None:
    from assistant.llm_setup import build_gguf
    from corpus.settings import get_settings
    from index.model_build import ModelBuildError

    try:
        path = build_gguf(get_settings().model_dir)
    except ModelBuildError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"本機 LLM 已就緒：{path}\n使用方式：ADVISOR_LLM=gguf make run")


if __name__ == "__main__":
    cli()
