"""Load and validate the curriculum file; a bad file never half-loads."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from corpus.models import Curriculum
from corpus.settings import get_settings

log = logging.getLogger(__name__)

# Pydantic's error types, said in the user's language.
ERROR_MESSAGES = {
    "missing": "缺少此欄位",
    "extra_forbidden": "不認得的欄位",
    "int_type": "必須是整數",
    "int_parsing": "必須是整數",
    "string_type": "必須是文字",
    "list_type": "必須是清單",
    "greater_than": "必須大於 0",
    "greater_than_equal": "數值太小",
    "less_than_equal": "數值太大",
    "string_too_short": "不可空白",
    "string_pattern_mismatch": "格式不符（例如 3.1.4）",
    "literal_error": "只能是「基礎」、「進階」或留空",
    "bool_type": "必須是 true 或 false",
}


class CorpusError(Exception):
    """A curriculum file that cannot be used. `problems` are one line each.

    The message names the file by its name only: it reaches users (web banner, reload reply),
    and server paths are not theirs to see. The full path stays in `file` for logs.
    """

    def __init__(self, file: Path | str, problems: list[str]):
        self.file = str(file)
        self.problems = problems
        super().__init__(f"{Path(file).name}：\n" + "\n".join(f"  - {p}" for p in problems))


def os_reason(exc: BaseException) -> str:
    """Why a file could not be read, without the path an OSError carries."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__ if isinstance(exc, OSError) else str(exc)


def describe_validation_error(error: ValidationError, data: object) -> list[str]:
    """Turn a pydantic error into lines naming the row (with its code) and the field."""
    lines = []
    for item in error.errors():
        loc = list(item["loc"])
        where = ".".join(str(part) for part in loc) or "（整個檔案）"
        if len(loc) >= 2 and loc[0] == "courses" and isinstance(loc[1], int):
            row = loc[1]
            code = ""
            if isinstance(data, dict) and isinstance(data.get("courses"), list) and row < len(data["courses"]):
                entry = data["courses"][row]
                if isinstance(entry, dict):
                    code = f"（代碼 {entry.get('code', '?')}）"
            field = ".".join(str(part) for part in loc[2:]) or "（整列）"
            where = f"courses 第 {row + 1} 筆{code} 欄位 {field}"
        message = ERROR_MESSAGES.get(item["type"])
        if item["type"] == "value_error":
            message = str(item.get("ctx", {}).get("error", item["msg"]))
        lines.append(f"{where}：{message or item['msg']}")
    return lines


def parse_curriculum(data: object, file: Path | str) -> Curriculum:
    try:
        return Curriculum.model_validate(data)
    except ValidationError as exc:
        raise CorpusError(file, describe_validation_error(exc, data)) from None


def load_curriculum(path: Path | str | None = None) -> Curriculum:
    """Read, parse and validate; raise CorpusError naming file, row and field."""
    file = Path(path) if path else get_settings().corpus_file
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError(file, ["找不到課綱檔案，請確認 ADVISOR_CORPUS 的路徑"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(file, [f"無法讀取檔案：{os_reason(exc)}"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError(file, [f"第 {exc.lineno} 行第 {exc.colno} 欄：JSON 格式錯誤（{exc.msg}）"]) from None
    return parse_curriculum(data, file)


def dump_curriculum(curriculum: Curriculum) -> str:
    return json.dumps(curriculum.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write to a temp file in the same folder, fsync, then rename: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def last_good_path() -> Path:
    return get_settings().data_dir / "curriculum.last-good.json"


def load_with_fallback(path: Path | str | None = None) -> tuple[Curriculum, str | None]:
    """Load the curriculum and remember it as the last good one; if it is bad, use the last good one.

    Returns the curriculum and, when the fallback was used, the error that caused it.
    """
    keep = last_good_path()
    try:
        curriculum = load_curriculum(path)
    except CorpusError as exc:
        if not keep.exists():
            raise
        log.error("課綱檔案有誤，改用上一份正確的課綱（%s）：\n%s", keep, exc)
        return load_curriculum(keep), str(exc)
    remember_last_good(curriculum)
    return curriculum, None


def remember_last_good(curriculum: Curriculum) -> None:
    """Keep a copy of a curriculum that loaded cleanly, for `load_with_fallback`."""
    keep = last_good_path()
    text = dump_curriculum(curriculum)
    if not keep.exists() or keep.read_text(encoding="utf-8") != text:
        write_atomically(keep, text)
