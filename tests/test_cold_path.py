"""A fresh process answers a question, and publishes a syllabus, without importing torch or sentence-transformers.

Answering also leaves out scikit-learn (the intent classifier is applied from its saved weights,
`nlu.model.IntentWeights`; only training imports scikit-learn) and SQLAlchemy (the feedback store
is imported on first use).
"""

import json
import os
import subprocess
import sys

from corpus.settings import REPO_ROOT

SCRIPT = """
import json, sys
from assistant import Assistant
answer = Assistant(phraser=None).ask("跟個資法有關的課")
heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers", "sklearn", "sqlalchemy") if m in sys.modules)
print(json.dumps({"kind": answer.kind, "codes": [c.code for c in answer.citations], "heavy": heavy}))
"""


def test_answering_imports_no_torch(intents_file):  # the index and the classifier are built: nothing to embed but the question
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=REPO_ROOT, env=os.environ.copy(), timeout=300)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["kind"] == "topic" and out["codes"], out
    assert out["heavy"] == [], out


PUBLISH_SCRIPT = """
import json, sys
from pathlib import Path
import ui.app  # everything the web app process imports
from assistant import Assistant
from workspace.versions import Versions, read_upload
bot = Assistant(phraser=None)
new, preview = read_upload(Path(sys.argv[1]), bot.curriculum)
version = Versions().publish(new, "trainer1", "大綱增列一項", embeddings=bot.searcher.embeddings, client=bot.searcher.client)
followed = bot.check_index()
heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules)
print(json.dumps({"version": version.id, "followed": followed, "outline": bot.curriculum.course("3.1.4").outline, "heavy": heavy}, ensure_ascii=False))
"""


def test_publishing_from_the_app_process_imports_no_torch(trained_own_data, corpus_copy, tmp_path):
    """A publish re-embeds the changed course through the ONNX export: the app process never loads torch."""
    import csv

    from test_workspace import HEADER, LONGER_314

    changed = [*LONGER_314[:5], LONGER_314[5] + "\n驗收文件範本實作", *LONGER_314[6:]]  # new text: must be embedded
    source = tmp_path / "s.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, changed])
    result = subprocess.run(
        [sys.executable, "-c", PUBLISH_SCRIPT, str(source)], capture_output=True, text=True, cwd=REPO_ROOT, env=os.environ.copy(), timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["followed"] and out["outline"][-1] == "驗收文件範本實作", out
    assert out["heavy"] == [], out
