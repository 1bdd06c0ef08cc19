"""`python -m corpus …`: look at, check and update the curriculum."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from corpus.importer import import_file
from corpus.load import CorpusError, load_curriculum
from corpus.plan import PlanInputError, plan_for_role
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


def _codes(value: str | None) -> list[str]:
    return [v for v in re.split(r"[,，、\s]+", value or "") if v]


@cli.command(help="顯示一個角色的建議學習路徑與時數；可加上已上過的課、時數預算、年數等條件。")
@click.argument("role")
@click.option("--taken", help="已上過的課程代碼，以逗號分隔，例如 1.1.1,4.1.1")
@click.option("--budget", type=int, help="每年可用的時數（小時）")
@click.option("--total", "total_budget", type=int, help="全部年數合計的時數上限（小時），與 --budget 擇一")
@click.option("--years", type=int, default=1, show_default=True, help="分幾年上完")
@click.option("--stage", "stages", multiple=True, help="只排這些階段（入門、進階、實作），可重複")
@click.option("--module", "modules", type=int, multiple=True, help="只排這些模組，可重複")
@click.option("--exclude-module", "excluded", type=int, multiple=True, help="不排這些模組，可重複")
@click.option("--split", is_flag=True, help="整併課程改上分段的三門 6 小時")
def path(
    role: str, taken: str | None, budget: int | None, total_budget: int | None, years: int, stages, modules, excluded, split: bool
) -> None:
    curriculum = _load()
    try:
        plan = plan_for_role(
            curriculum,
            role,
            stages=list(stages) or None,
            modules=list(modules) or None,
            split_consolidated=split,
            taken=_codes(taken),
            budget=budget,
            years=years,
            exclude_modules=list(excluded),
            total_budget=total_budget,
        )
    except KeyError:
        names = "、".join(r.name for r in curriculum.roles)
        raise click.ClickException(f"沒有「{role}」這個角色；可選：{names}") from None
    except PlanInputError as exc:
        raise click.ClickException(str(exc)) from None
    for credit in plan.credits:
        click.echo(f"抵免：{credit.why}")
    if plan.years:
        for year in plan.years:
            label = f"第 {year.year} 年" if plan.year_count > 1 else "這次"
            click.echo(f"{label}（{year.hours} 小時）：")
            for stage in year.stages:
                click.echo(f"  {stage.stage}（{stage.hours} 小時）：" + "、".join(c.label for c in stage.courses))
        click.echo(f"合計 {plan.total_hours} 小時")
        if plan.later_courses:
            click.echo(f"留待以後（{plan.later_hours} 小時）：" + "、".join(c.code for c in plan.later_courses))
        if plan.blocked is not None and plan.left_over:
            click.echo(f"下一門 {plan.blocked.label}（{plan.blocked.hours} 小時）超過剩下的 {plan.left_over} 小時。")
        return
    for stage in plan.stages:
        click.echo(f"{stage.stage}（{stage.hours} 小時）：" + "、".join(c.label for c in stage.courses))
    click.echo(f"合計 {plan.total_hours} 小時")


@cli.command("import", help="從 CSV、TSV 或 XLSX（附錄二欄位）新增或更新課程；加 --replace 則以檔案取代整份課綱。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只檢查，不寫入")
@click.option("--replace", is_flag=True, help="以此檔取代整份課綱：檔案中沒有的課程將移除（也從學習路徑移除）")
def import_command(file: Path, dry_run: bool, replace: bool) -> None:
    target = get_settings().corpus_file
    try:
        result = import_file(file, target, dry_run=dry_run, replace=replace)
    except CorpusError as exc:
        raise click.ClickException(f"匯入失敗，課綱未做任何變更。\n{exc}") from None
    click.echo(
        f"新增 {len(result.added)} 門、更新 {len(result.updated)} 門、未變動 {len(result.unchanged)} 門"
        + (f"、移除 {len(result.removed)} 門。" if replace else "。")
    )
    for label, codes in (("新增", result.added), ("更新", result.updated), ("移除", result.removed)):
        if codes:
            click.echo(f"{label}：{'、'.join(codes)}")
    dropped: dict[str, list[str]] = {}
    for drop in result.dropped_from_paths:
        dropped.setdefault(drop.code, []).append(f"{drop.role} {drop.stage}")
    for code, places in dropped.items():
        click.echo(f"  {code} 也從學習路徑移除：{'、'.join(places)}")
    if dry_run:
        click.echo("（試算模式，未寫入檔案）")
    elif result.written:
        click.echo(f"已寫入 {target}；下次 `python -m index build` 會重建索引。")


@cli.command(help="把整份課綱匯出成與匯入相同欄位的 CSV 或 XLSX（修改後可用 import --replace 匯回）。")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export(file: Path) -> None:
    from corpus.exports import write_table
    from corpus.importer import SYLLABUS_HEADER, syllabus_rows

    if file.suffix.lower() not in (".csv", ".xlsx"):
        raise click.ClickException("請用 .csv 或 .xlsx 檔名。")
    curriculum = _load()
    try:
        write_table(file, SYLLABUS_HEADER, syllabus_rows(curriculum))
    except OSError as exc:
        raise click.ClickException(f"無法寫入 {file.name}：{exc.strerror or type(exc).__name__}") from None
    click.echo(f"已匯出 {len(curriculum.courses)} 門課到 {file.name}。")


if __name__ == "__main__":
    cli()
