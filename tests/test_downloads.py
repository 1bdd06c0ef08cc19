"""Issue 15.6: planner downloads are per request: concurrent sessions each get their own plan."""

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ui.downloads import Downloads

ROLES = ["有規劃", "能應用", "會開發"]
SESSIONS = 8
PLANS_EACH = 10


def test_concurrent_sessions_download_their_own_plan(app):
    from gradio_client import Client

    def one_session(n: int) -> list[str]:
        client = Client(app["url"], verbose=False)
        problems = []
        for k in range(PLANS_EACH):
            role = ROLES[(n + k) % len(ROLES)]
            summary, _table, _chart, csv_file, md_file, *_ = client.predict(
                role, None, "", [], "", 1, ["入門", "進階", "實作"], [], [], "整併課程（一門 18 小時）", api_name="/make_plan"
            )
            total = re.search(r"「(.+?)」學習路徑：合計 (\d+) 小時", summary)
            csv_text = Path(csv_file["value"] if isinstance(csv_file, dict) else csv_file).read_text(encoding="utf-8-sig")
            markdown = Path(md_file["value"] if isinstance(md_file, dict) else md_file).read_text(encoding="utf-8")
            if total.group(1) != role or f"合計,,,{total.group(2)}," not in csv_text or f"# 「{role}」學習路徑" not in markdown:
                problems.append(f"session {n} asked for {role}, got a file for another plan")
        return problems

    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        problems = [p for result in pool.map(one_session, range(SESSIONS)) for p in result]
    assert problems == []


def test_request_folders_are_cleaned_up(tmp_path):
    downloads = Downloads(tmp_path, keep_seconds=0)
    first = downloads.folder()
    (first / "a.csv").write_text("x")
    second = downloads.folder()
    assert second != first
    downloads.prune()
    assert not first.exists() and not second.exists()
