"""`python -m ui trainer …`: accounts, versions, publish and rollback from the server's terminal.

Publishing here runs the same code as the web app's trainer area (`workspace.versions`).
"""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from corpus.load import CorpusError, load_curriculum
from corpus.settings import get_settings
from workspace.accounts import AccountError, Accounts
from workspace.versions import PublishError, Versions, file_hash, read_upload


def _typed_password() -> str:
    first = getpass.getpass("密碼（至少 10 個字元，不會顯示）：")
    if getpass.getpass("再輸入一次：") != first:
        raise click.ClickException("兩次輸入的密碼不同，帳號沒有變更。")
    return first


def _trainer(name: str) -> str:
    if name not in Accounts().names():
        raise click.ClickException(f"沒有訓練承辦帳號「{name}」；先用 `python -m ui trainer add {name}` 建立。")
    return name


@click.group(help="訓練承辦帳號與課綱版本（伺服器上執行）。")
def trainer() -> None:
    pass


@trainer.command(help="新增訓練承辦帳號；密碼由鍵盤輸入，只存 Argon2id 雜湊。")
@click.argument("name")
def add(name: str) -> None:
    try:
        Accounts().add(name, _typed_password())
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已新增帳號「{name}」。")


@trainer.command(help="變更密碼（該帳號所有登入中的階段都會失效）。")
@click.argument("name")
def password(name: str) -> None:
    try:
        Accounts().set_password(name, _typed_password())
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已變更「{name}」的密碼。")


@trainer.command("list", help="列出帳號。")
def list_accounts() -> None:
    for name in Accounts().names():
        click.echo(name)


@trainer.command(help="列出課綱版本（最新的在前）。")
def versions() -> None:
    current = Versions().current()
    for v in Versions().list():
        mark = "＊" if current and v.id == current.id else "  "
        click.echo(f"{mark}{v.id}\t{v.created_at:%Y-%m-%d %H:%M}\t{v.trainer}\t{v.action_label}\t{v.course_count} 門\t{v.note}")


@trainer.command(help="檢查試算表、列出變更，並發布成新版本（課綱與索引一次切換）。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--trainer", "name", required=True, help="以哪個訓練承辦帳號發布（記錄在版本與稽核紀錄）")
@click.option("--note", default="", help="版本說明")
@click.option("--dry-run", is_flag=True, help="只檢查並列出變更，不發布")
@click.option("--replace", is_flag=True, help="以此檔取代整份課綱：檔案中沒有的課程將移除（也從學習路徑移除）")
def publish(file: Path, name: str, note: str, dry_run: bool, replace: bool) -> None:
    name = _trainer(name)
    try:
        new, preview = read_upload(file, load_curriculum(get_settings().corpus_file), replace=replace)
    except CorpusError as exc:
        raise click.ClickException(f"檔案有錯，沒有發布：\n{exc}") from None
    click.echo(f"新增 {len(preview.added)} 門、移除 {len(preview.removed)} 門、欄位變更 {len(preview.changed)} 處。")
    for line in preview.removal_lines():
        click.echo("  " + line.replace("**", ""))
    for change in preview.changed:
        click.echo(f"  {change.code} {change.field}：{change.old} → {change.new}")
    for hours in preview.hours:
        if hours.old != hours.new:
            click.echo(f"  {hours.role} {hours.stage} {hours.old} → {hours.new} 小時")
    if dry_run:
        click.echo("（試算模式，沒有發布）")
        return
    try:
        version = Versions().publish(new, name, note, file_name=file.name, digest=file_hash(file))
    except PublishError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已發布版本 {version.id}（{version.course_count} 門課）；執行中的 app 會在幾秒內改用新版本。")


@trainer.command(help="回復到之前的某個版本（記錄成一個新版本）。")
@click.argument("version", type=int)
@click.option("--trainer", "name", required=True, help="以哪個訓練承辦帳號回復")
@click.option("--note", default="", help="說明")
def rollback(version: int, name: str, note: str) -> None:
    name = _trainer(name)
    try:
        new = Versions().rollback(version, name, note)
    except PublishError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已回復到版本 {version} 的課綱（新版本 {new.id}）。")


@trainer.command(help="最近的稽核紀錄。")
@click.option("--limit", default=50, show_default=True)
def audit(limit: int) -> None:
    for row in Accounts().audit_rows(limit):
        click.echo(f"{row.at:%Y-%m-%d %H:%M:%S}\t{row.trainer}\t{row.action}\t{row.detail}")
