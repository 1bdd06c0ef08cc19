"""The exemplar files: one intent per file, one example message per line.

Trainers add lines to `nlu/exemplars/<intent>.txt`; lines starting with `#` are comments.
Examples are not test questions: nothing from `eval/data` goes here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel

EXEMPLAR_DIR = Path(__file__).resolve().parent / "exemplars"


class Exemplars(BaseModel):
    texts: list[str]
    labels: list[str]

    @property
    def intents(self) -> list[str]:
        return sorted(set(self.labels))


def read_exemplars(folder: Path = EXEMPLAR_DIR) -> Exemplars:
    texts, labels = [], []
    for path in sorted(folder.glob("*.txt")):
        seen: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#") and line not in seen:
                seen.add(line)
                texts.append(line)
                labels.append(path.stem)
    return Exemplars(texts=texts, labels=labels)


def content_hash(folder: Path = EXEMPLAR_DIR, extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in sorted(folder.glob("*.txt")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
