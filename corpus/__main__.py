"""`python -m corpus …`: look at, check and update the curriculum."""

from __future__ import annotations

import json
from pathlib import Path

import click

from corpus.importer import import_file
from corpus.load import CorpusError, load_curriculum
from corpus.plan import plan_for_role
from corpus.settings import get_settings


def _load(path: Path | None = None):
    try:
        return load_curriculum(path)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(help="課綱資料：檢查、查詢、匯入。")
def cli() -> None:
    pass


@cli.command(help="檢查課綱檔案的格式與交叉參照。")
@click.argument("file", required=False, type=click.Path(path_type=Path))
def validate(file: Path | None) -> None:
    curriculum = _load(file)
    click.echo(f"課綱檔案正確：{len(curriculum.modules)} 個模組、{len(curriculum.courses)} 門課。")


@cli.command("list", help="列出課程（可依模組篩選）。")
@click.option("--module", "module", type=int, help="模組編號 1–8")
@click.option("--json", "as_json", is_flag=True, help="輸出 JSON")
def list_courses(module: int | None, as_json: bool) -> None:
    courses = [c for c in _load().courses if module is None or c.module == module]
    if as_json:
        click.echo(json.dumps([c.model_dump() for c in courses], ensure_ascii=False, indent=2))
        return
    for course in courses:
        level = f"（{course.level}）" if course.level else ""
        click.echo(f"{course.code:<6} {course.name}{level}  {course.hours} 小時")


@cli.command(help="顯示一門課的完整內容。")
@click.argument("code")
def show(code: str) -> None:
    curriculum = _load()
    course = curriculum.course(code.strip())
    if course is None:
        raise click.ClickException(f"沒有代碼為 {code} 的課程；可用 `python -m corpus list` 查看全部課程。")
    module = curriculum.module(course.module)
    click.echo(f"{course.code} {course.name}（{course.hours} 小時）")
    click.echo(f"{module.label if module else course.module}｜{course.unit_code} {course.unit_name}")
    for title, items in (("訓練目標", course.shown_goals), ("課程大綱", course.outline), ("教學方法", course.methods)):
        click.echo(f"{title}：")
        for item in items:
            click.echo(f"  • {item}")
    for note in course.notes:
        click.echo(f"註：{note}")


@cli.command(help="顯示一個角色的建議學習路徑與時數。")
@click.argument("role")
def path(role: str) -> None:
    curriculum = _load()
    try:
        plan = plan_for_role(curriculum, role)
    except KeyError:
        names = "、".join(r.name for r in curriculum.roles)
        raise click.ClickException(f"沒有「{role}」這個角色；可選：{names}") from None
    for stage in plan.stages:
        click.echo(f"{stage.stage}（{stage.hours} 小時）：" + "、".join(c.label for c in stage.courses))
    click.echo(f"合計 {plan.total_hours} 小時")


@cli.command("import", help="從 CSV、TSV 或 XLSX（附錄二欄位）新增或更新課程。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只檢查，不寫入")
def import_command(file: Path, dry_run: bool) -> None:
    target = get_settings().corpus_file
    try:
        result = import_file(file, target, dry_run=dry_run)
    except CorpusError as exc:
        raise click.ClickException(f"匯入失敗，課綱未做任何變更。\n{exc}") from None
    click.echo(
        f"新增 {len(result.added)} 門、更新 {len(result.updated)} 門、未變動 {len(result.unchanged)} 門。"
    )
    for label, codes in (("新增", result.added), ("更新", result.updated)):
        if codes:
            click.echo(f"{label}：{'、'.join(codes)}")
    if dry_run:
        click.echo("（試算模式，未寫入檔案）")
    elif result.written:
        click.echo(f"已寫入 {target}；下次 `python -m index build` 會重建索引。")


if __name__ == "__main__":
    cli()
