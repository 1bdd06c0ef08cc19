"""axe-core for the accessibility tests: pinned in pyproject.toml, fetched once with `npm pack`.

`python tests/axe_core.py` (what `make axe` runs) downloads the pinned version from the npm registry
into `.cache/axe-core/<version>/axe.min.js` and checks its sha256; later runs only check the file.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["advisor"]["axe-core"]
VERSION: str = PIN["version"]
CACHE = ROOT / ".cache" / "axe-core" / VERSION
SCRIPT = CACHE / "axe.min.js"


class AxeMissing(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ensure_axe() -> Path:
    """The pinned axe.min.js, fetched with npm when it is not cached yet."""
    if SCRIPT.exists() and _sha256(SCRIPT) == PIN["sha256"]:
        return SCRIPT
    npm = shutil.which("npm")
    if not npm:
        raise AxeMissing("npm is missing: run `make axe` (installs Debian's npm) or `apt-get install npm`")
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(
            [npm, "pack", f"axe-core@{VERSION}", "--pack-destination", tmp, "--silent"],
            capture_output=True, text=True, timeout=300,
        )
        if run.returncode != 0:
            raise AxeMissing(f"`npm pack axe-core@{VERSION}` failed: {run.stderr.strip()[-500:]}")
        with tarfile.open(next(Path(tmp).glob("axe-core-*.tgz"))) as tar:
            member = tar.extractfile("package/axe.min.js")
            data = member.read() if member else b""
    if hashlib.sha256(data).hexdigest() != PIN["sha256"]:
        raise AxeMissing(f"axe-core {VERSION} from npm does not match the sha256 pinned in pyproject.toml")
    CACHE.mkdir(parents=True, exist_ok=True)
    SCRIPT.write_bytes(data)
    return SCRIPT


if __name__ == "__main__":
    try:
        print(ensure_axe())
    except AxeMissing as exc:
        sys.exit(str(exc))
