"""A fresh process answers a question without importing torch or sentence-transformers."""

import json
import os
import subprocess
import sys

from corpus.settings import REPO_ROOT

SCRIPT = """
import json, sys
from assistant import Assistant
answer = Assistant(phraser=None).ask("跟個資法有關的課")
heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules)
print(json.dumps({"kind": answer.kind, "codes": [c.code for c in answer.citations], "heavy": heavy}))
"""


def test_answering_imports_no_torch(searcher):  # the index is built: nothing to embed but the question
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=REPO_ROOT, env=os.environ.copy(), timeout=300)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["kind"] == "topic" and out["codes"], out
    assert out["heavy"] == [], out
