"""Blind-set results as JSON and Markdown, and their thresholds (`[blind.*]` in thresholds.toml)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from eval.blind import markdown
from eval.report import THRESHOLDS


def check_blind(result: dict, path: Path = THRESHOLDS) -> list[str]:
    limits = tomllib.loads(path.read_text(encoding="utf-8")).get("blind", {})
    failures = []
    for key, bound in limits.get("min", {}).items():
        value = result["overall"].get(key)
        if value is None or value < bound:
            failures.append(f"{key} = {value}，低於門檻 {bound}")
    for key, bound in limits.get("max", {}).items():
        value = result["overall"].get(key)
        if value is None or value > bound:
            failures.append(f"{key} = {value}，高於上限 {bound}")
    return failures


def write_blind(results: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "blind.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    body = "\n".join(markdown(r) for r in results)
    (out / "blind.md").write_text("# 盲測報告\n\n" + body, encoding="utf-8")
