"""zh-TW names of the codes the assistant stores (question kinds, outcomes): data in assistant/data/labels.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

_LABELS = tomllib.loads((Path(__file__).resolve().parent / "data" / "labels.toml").read_text(encoding="utf-8"))
KIND_LABELS: dict[str, str] = _LABELS["kinds"]
OUTCOME_LABELS: dict[str, str] = _LABELS["outcomes"]
NO_KIND: str = _LABELS["missing"]["kind"]


def kind_label(kind: str | None) -> str:
    """A question kind as a trainer reads it; an unknown code is shown as it is rather than hidden."""
    if not kind:
        return NO_KIND
    return KIND_LABELS.get(kind, kind)


def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome)


def kind_choices(kinds: list[str]) -> list[tuple[str, str]]:
    """Dropdown choices (label, code) in the data file's order; the code stays the value the filter uses."""
    order = {kind: n for n, kind in enumerate(KIND_LABELS)}
    return [(kind_label(k), k) for k in sorted(set(kinds), key=lambda k: (order.get(k, len(order)), k))]
