"""The framework's sections (the text before 附錄二), verbatim, as data beside the courses."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

SECTIONS_FILE = Path(__file__).resolve().parent / "data" / "sections.json"


class Section(BaseModel):
    id: str
    title: str
    seed_lines: tuple[int, int]
    text: list[str]  # verbatim lines of the seed: the only part an answer quotes
    about: str = ""  # our words for what the section answers (a retrieval hint, never quoted)

    @property
    def body(self) -> str:
        return "\n".join(self.text)


@lru_cache(maxsize=1)
def load_sections(path: Path = SECTIONS_FILE) -> tuple[Section, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(Section.model_validate(s) for s in data["sections"])
