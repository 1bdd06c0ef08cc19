"""Files the app offers for download: one folder per request, removed after a while.

Gradio copies a returned file into its own cache when it sends the reply, so our copy
is only needed for a moment; a shared name would let another session's file take its place.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

KEEP_SECONDS = 600


class Downloads:
    def __init__(self, root: Path | None = None, keep_seconds: float = KEEP_SECONDS):
        self.root = root or Path(tempfile.mkdtemp(prefix="advisor-exports-"))
        self.keep_seconds = keep_seconds
        self._lock = threading.Lock()

    def folder(self) -> Path:
        """A new folder for one request's files (older request folders are removed)."""
        self.prune()
        return Path(tempfile.mkdtemp(dir=self.root, prefix="req-"))

    def prune(self) -> int:
        cutoff = time.time() - self.keep_seconds
        removed = 0
        with self._lock:
            for path in self.root.glob("req-*"):
                try:
                    if path.stat().st_mtime < cutoff:
                        shutil.rmtree(path, ignore_errors=True)
                        removed += 1
                except FileNotFoundError:
                    pass
        return removed
