"""The trainer area in a real Chromium (issue 16): sign-in, upload with errors, preview, publish, rollback, review."""

from __future__ import annotations

import csv
import shutil
import time

import pytest

from conftest import running_app
from corpus.settings import DEFAULT_CORPUS
from test_browser import ARGS, CHROMIUM, ask, browser, last_bot_text, shot  # noqa: F401 - fixtures
from test_browser_webapp import _like_button
from test_workspace import HEADER, LONGER_314, NEW_841

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def trainer_app(tmp_path_factory, intents_file):
    """The app on its own data directory and its own copy of the corpus file (publishing writes it)."""
    from storage import Database
    from workspace.accounts import Accounts

    root = tmp_path_factory.mktemp("trainer-app")
    data = root / "data"
    (data / "nlu").mkdir(parents=True)
    shutil.copy(intents_file, data / "nlu" / intents_file.name)
    corpus = root / "curriculum.json"
    shutil.copy(DEFAULT_CORPUS, corpus)
    db = Database.in_data_dir(data)
    accounts = Accounts(db)
    accounts.add("trainer1", PASSWORD)
    accounts.add("trainer2", PASSWORD)
    db.engine.dispose()
    good = root / "syllabus.csv"
    bad = root / "bad.csv"
    bad_rows = [[*LONGER_314[:3], "十二", *LONGER_314[4:]], [*NEW_841[:7], "神仙/實作"]]
    for path, rows in ((good, [LONGER_314]), (bad, bad_rows)):
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([HEADER, *rows])
    with running_app(data, ADVISOR_CORPUS=str(corpus)) as url:
        yield {"url": url, "data": data, "good": good, "bad": bad, "corpus": corpus}


@pytest.fixture()
def tpage(browser, trainer_app):
    context = browser.new_context(viewport={"width": 1280, "height": 1400}, accept_downloads=True)
    page = context.new_page()
    page.goto(trainer_app["url"])
    page.wait_for_selector("#question textarea", timeout=60000)
    yield page
    context.close()


def open_trainer(page) -> None:
    page.get_by_role("tab", name="訓練承辦").click()
    page.wait_for_selector("#trainer-name input", timeout=15000)


def sign_in(page, name: str, password: str) -> None:
    page.fill("#trainer-name input", name)
    page.fill("#trainer-password input", password)
    page.click("#trainer-login")


def wait_text(page, selector: str, text: str, timeout: int = 120000) -> str:
    page.wait_for_function(
        "([s, t]) => (document.querySelector(s)?.innerText || '').includes(t)", arg=[selector, text], timeout=timeout
    )
    return page.locator(selector).inner_text()


def test_anonymous_users_reach_no_trainer_action(tpage, trainer_app):
    from gradio_client import Client

    api = Client(trainer_app["url"], verbose=False).view_api(print_info=False, return_format="dict")
    names = [n.strip("/") for n in [*api["named_endpoints"], *map(str, api.get("unnamed_endpoints", {}))]]
    trainer_actions = ("on_login", "on_logout", "on_check", "on_publish", "on_rollback", "review", "export")
    assert {"ask", "feedback"} <= set(names)
    assert not [n for n in names if n.startswith(trainer_actions)], names
    open_trainer(tpage)
    assert not tpage.locator("#trainer-work").is_visible()
    assert tpage.locator("#trainer-upload").count() == 0 or not tpage.locator("#trainer-upload").is_visible()


def failures_recorded(data, name: str) -> int:
    from sqlalchemy import func, select

    from storage import Database
    from storage.schema import login_failures

    db = Database.in_data_dir(data)
    try:
        with db.engine.connect() as connection:
            return connection.execute(select(func.count()).where(login_failures.c.name == name)).scalar()
    finally:
        db.engine.dispose()


def test_wrong_password_is_refused_and_repeated_failures_are_rate_limited(tpage, trainer_app):
    open_trainer(tpage)
    for i in range(1, 6):
        sign_in(tpage, "trainer2", f"wrong password {i}")
        deadline = time.time() + 60
        while failures_recorded(trainer_app["data"], "trainer2") < i and time.time() < deadline:
            tpage.wait_for_timeout(200)
        wait_text(tpage, "#trainer-login-status", "帳號或密碼不正確")
    sign_in(tpage, "trainer2", PASSWORD)  # the right password, but too many failures first
    wait_text(tpage, "#trainer-login-status", "次數過多")
    assert not tpage.locator("#trainer-work").is_visible()
    shot(tpage, "trainer-rate-limited")


def test_upload_with_errors_shows_them_by_row_and_column(tpage, trainer_app):
    open_trainer(tpage)
    sign_in(tpage, "trainer1", PASSWORD)
    wait_text(tpage, "#trainer-who", "已登入")
    tpage.set_input_files("#trainer-upload input[type=file]", str(trainer_app["bad"]))
    tpage.wait_for_timeout(1000)
    tpage.click("#trainer-check")
    wait_text(tpage, "#trainer-upload-status", "個問題")
    table = wait_text(tpage, "#trainer-errors", "神仙")
    assert "3.1.4" in table and "時數" in table and "8.4.1" in table and "學習路徑" in table
    assert not tpage.locator("#trainer-publish").is_enabled()
    shot(tpage, "trainer-upload-errors")


def test_upload_preview_publish_and_rollback(tpage, trainer_app):
    open_trainer(tpage)
    sign_in(tpage, "trainer1", PASSWORD)
    wait_text(tpage, "#trainer-who", "已登入")
    tpage.set_input_files("#trainer-upload input[type=file]", str(trainer_app["good"]))
    tpage.wait_for_timeout(1000)
    tpage.click("#trainer-check")
    preview = wait_text(tpage, "#trainer-preview", "變更預覽")
    assert "會開發 進階 90 → 96 小時" in preview and "會開發 合計 180 → 186 小時" in preview
    assert "6" in tpage.locator("#trainer-changes").inner_text() and "12" in tpage.locator("#trainer-changes").inner_text()
    shot(tpage, "trainer-preview")
    tpage.fill("#trainer-note textarea", "3.1.4 延長為 12 小時")
    tpage.click("#trainer-publish")
    wait_text(tpage, "#trainer-publish-status", "已發布版本")
    tpage.get_by_role("tab", name="版本與回復").click()
    versions = wait_text(tpage, "#trainer-versions", "3.1.4 延長為 12 小時")
    assert "trainer1" in versions and "初始版本" in versions
    tpage.get_by_role("tab", name="對話").click()
    ask(tpage, "3.1.4 幾小時")
    assert "12 小時" in last_bot_text(tpage)
    tpage.get_by_role("tab", name="訓練承辦").click()
    tpage.locator("#trainer-rollback-version input").click()
    tpage.get_by_role("option", name="初始版本", exact=False).first.click()
    tpage.click("#trainer-rollback")
    wait_text(tpage, "#trainer-rollback-status", "已回復到版本 1")
    shot(tpage, "trainer-rollback")
    tpage.get_by_role("tab", name="對話").click()
    ask(tpage, "3.1.4 還是幾小時")
    assert "6 小時" in last_bot_text(tpage)


def test_feedback_page_shows_questions_without_a_course(tpage):
    ask(tpage, "有沒有教無人機空拍的課")
    _like_button(tpage, "like").click()
    tpage.wait_for_selector("#feedback-status :text('已記錄')", timeout=15000)
    open_trainer(tpage)
    sign_in(tpage, "trainer1", PASSWORD)
    wait_text(tpage, "#trainer-who", "已登入")
    tpage.get_by_role("tab", name="回饋與提問").click()
    tpage.click("#review-refresh")
    assert "無人機" in wait_text(tpage, "#review-unanswered", "無人機")
    assert "無人機" in wait_text(tpage, "#review-feedback", "無人機")
    assert tpage.locator("#review-chart").is_visible()
    tpage.click("#review-export-xlsx")
    wait_text(tpage, "#review-status", "已匯出")
    shot(tpage, "trainer-feedback")


def test_a_path_edit_is_saved_as_a_version_and_answers_follow(tpage):
    open_trainer(tpage)
    sign_in(tpage, "trainer1", PASSWORD)
    wait_text(tpage, "#trainer-who", "已登入")
    tpage.get_by_role("tab", name="學習路徑", exact=True).click()
    wait_text(tpage, "#trainer-paths", "會開發")
    cell = tpage.locator('#trainer-paths [data-testid="cell-8-2"]')  # 會開發／實作, the codes column
    cell.dblclick()
    tpage.keyboard.press("End")
    tpage.keyboard.type("、8.1.1")
    tpage.keyboard.press("Enter")
    tpage.wait_for_timeout(500)
    tpage.locator("#trainer-paths-confirm input").check()
    tpage.click("#trainer-paths-save")
    status = wait_text(tpage, "#trainer-paths-status", "已儲存為版本")
    assert "會開發 實作 60 → 66 小時" in status
    shot(tpage, "trainer-paths")
    tpage.get_by_role("tab", name="對話").click()
    ask(tpage, "會開發的實作階段有哪些課")
    answer = last_bot_text(tpage)
    assert "8.1.1" in answer and "建議路徑" not in answer


def test_calling_a_trainer_event_directly_without_signing_in_does_nothing(trainer_app, tmp_path):
    """The page's own queue protocol, as a script would use it: check, publish, rollback and review answer 「請先登入」."""
    import json

    import httpx

    base = trainer_app["url"].rstrip("/")
    config = httpx.get(f"{base}/config").json()
    by_elem = {c.get("props", {}).get("elem_id"): c["id"] for c in config["components"]}
    results = {}
    for elem in ("trainer-check", "trainer-publish", "trainer-rollback", "review-refresh"):
        target = by_elem[elem]
        index = next(i for i, d in enumerate(config["dependencies"]) if [target, "click"] in [list(t) for t in d["targets"]])
        dependency = config["dependencies"][index]
        session = f"probe{index}"
        joined = httpx.post(
            f"{base}/gradio_api/queue/join",
            json={"data": [None] * len(dependency["inputs"]), "fn_index": dependency.get("id", index), "session_hash": session, "trigger_id": target},
        )
        if joined.status_code != 200:
            results[elem] = f"refused {joined.status_code}"
            continue
        text = ""
        with httpx.stream("GET", f"{base}/gradio_api/queue/data", params={"session_hash": session}, timeout=60) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        text = json.dumps(message.get("output", {}), ensure_ascii=False)
                        break
        results[elem] = text
    for elem, outcome in results.items():
        # Gradio runs a private event for any page session (the browser needs that): our session check refuses it.
        assert "請先登入" in outcome, (elem, outcome)
    from workspace.versions import Versions
    from storage import Database

    db = Database.in_data_dir(trainer_app["data"])
    assert all(v.trainer == "trainer1" for v in Versions(db).list() if v.action != "initial")  # nothing anonymous
    db.engine.dispose()
