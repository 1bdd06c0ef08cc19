"""The trainer area in a real Chromium (issue 16): sign-in, upload with errors, preview, publish, rollback, review."""

from __future__ import annotations

import csv
import io
import shutil
import time
from datetime import timedelta
from pathlib import Path
from typing import get_args

import pytest

from conftest import running_app
from corpus.settings import DEFAULT_CORPUS
from test_browser import ARGS, CHROMIUM, ask, browser, last_bot_text, shot  # noqa: F401 - fixtures
from test_browser_webapp import _like_button
from test_workspace import HEADER, LONGER_314, NEW_841
from workspace.remember import STORAGE_KEY

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
    accounts.add("trainer3", PASSWORD)  # its sessions are ended server-side by a test
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
    trainer_actions = ("on_login", "on_logout", "on_restore", "on_check", "on_publish", "on_rollback", "on_paths", "on_refresh", "export")
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


def table_rows(page, selector: str) -> list[list[str]]:
    """The rows a Gradio table shows, cell texts in column order."""
    return page.evaluate(
        """s => [...document.querySelectorAll(`${s} .virtual-row`)].filter(r => r.offsetParent)
                 .map(r => [...r.querySelectorAll('[role=gridcell]')].map(c => c.innerText.trim()))""",
        selector,
    )


def download(page, selector: str, folder: Path) -> Path:
    """The file a download button gives, saved under the name the browser would use."""
    with page.expect_download() as caught:
        page.click(selector)
    target = folder / caught.value.suggested_filename
    caught.value.save_as(target)
    return target


def read_sheet(path: Path, suffix: str) -> list[list]:
    """Header and rows of an export; an XLSX must hold no formula cell (every text cell stored as text)."""
    if suffix == ".csv":
        return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    from openpyxl import load_workbook

    sheet = load_workbook(path).active  # not data_only: a formula would come back as "=..."
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert all(cell.data_type == "s" for cell in cells if isinstance(cell.value, str))
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


FORMULA_COMMENT = '=HYPERLINK("http://example.invalid","無人機")'
# What a trainer reads: the review page's tables and the exports' header rows.
FEEDBACK_HEADERS = ["編號", "時間（UTC）", "評價", "問題", "問題類型", "意見"]
EXPORT_HEADERS = ["編號", "時間（UTC）", "評價", "問題", "問題類型", "回答", "引用課程", "意見"]
QUESTION_HEADERS = ["時間（UTC）", "問題", "問題類型", "結果"]


def test_feedback_page_shows_kinds_in_words_and_exports_what_is_on_screen(tpage, tmp_path):
    from assistant.labels import KIND_LABELS
    from assistant.models import Kind

    codes = set(get_args(Kind))
    ask(tpage, "有沒有教無人機空拍的課")
    _like_button(tpage, "dislike").click()
    tpage.wait_for_selector("#feedback-status :text('已記錄')", timeout=15000)
    tpage.fill("#comment textarea", FORMULA_COMMENT)
    tpage.click("#comment-send")
    tpage.wait_for_selector("#feedback-status :text('已收到您的意見')", timeout=15000)
    ask(tpage, "3.1.4 幾小時")  # a question of another kind, answered: feedback only
    _like_button(tpage, "like").click()
    tpage.wait_for_selector("#feedback-status :text('已記錄')", timeout=15000)
    open_trainer(tpage)
    sign_in(tpage, "trainer1", PASSWORD)
    wait_text(tpage, "#trainer-who", "已登入")
    tpage.get_by_role("tab", name="回饋與提問").click()
    tpage.click("#review-refresh")
    wait_text(tpage, "#review-unanswered", "無人機")
    wait_text(tpage, "#review-feedback", "3.1.4 幾小時")
    assert tpage.locator("#review-chart").is_visible()
    shot(tpage, "trainer-feedback")
    # Kinds in words: the tables and the filter's choices, never the stored codes.
    feedback_kinds = [row[FEEDBACK_HEADERS.index("問題類型")] for row in table_rows(tpage, "#review-feedback")]
    question_kinds = [row[QUESTION_HEADERS.index("問題類型")] for row in table_rows(tpage, "#review-unanswered")]
    assert "課綱沒有這方面的課" in feedback_kinds + question_kinds, (feedback_kinds, question_kinds)
    assert set(feedback_kinds + question_kinds) <= set(KIND_LABELS.values()), (feedback_kinds, question_kinds)
    tpage.locator("#review-kind input").click()
    options = [o.strip() for o in tpage.locator("#review-kind ul[role=listbox] li").all_inner_texts()]
    assert "課綱沒有這方面的課" in options and "課程內容" in options, options
    assert not codes & set(options), options
    # Filtering by a label keeps only that kind.
    tpage.get_by_role("option", name="課綱沒有這方面的課", exact=True).click()
    tpage.keyboard.press("Escape")
    tpage.click("#review-refresh")
    tpage.wait_for_function(
        "() => !(document.querySelector('#review-feedback')?.innerText || '').includes('3.1.4 幾小時')", timeout=30000
    )
    shown = table_rows(tpage, "#review-feedback")
    asked = table_rows(tpage, "#review-unanswered")
    assert shown and all(row[FEEDBACK_HEADERS.index("問題類型")] == "課綱沒有這方面的課" for row in shown), shown
    shot(tpage, "trainer-feedback-filtered")
    for suffix in (".xlsx", ".csv"):
        tpage.click(f"#review-export-{suffix[1:]}")
        wait_text(tpage, "#review-export-status", f"已匯出 {len(shown)} 筆回饋與 {len(asked)} 題")
        tpage.wait_for_timeout(500)
        exported_file = download(tpage, "#review-download", tmp_path)
        assert exported_file.name == f"回饋{suffix}"
        rows = read_sheet(exported_file, suffix)
        assert rows[0] == EXPORT_HEADERS, rows[0]
        exported = {str(r[0]): r for r in rows[1:]}
        assert sorted(exported) == sorted(row[0] for row in shown)  # the rows that were on screen, and only those
        for row in shown:
            line = exported[row[0]]
            assert line[EXPORT_HEADERS.index("問題")] == row[FEEDBACK_HEADERS.index("問題")]
            assert line[EXPORT_HEADERS.index("問題類型")] == "課綱沒有這方面的課"
            assert line[EXPORT_HEADERS.index("評價")] in ("👍", "👎")
        comments = [r[EXPORT_HEADERS.index("意見")] for r in rows[1:]]
        assert "'" + FORMULA_COMMENT in comments, comments  # text, not a formula
        questions = read_sheet(download(tpage, "#review-download-questions", tmp_path), suffix)
        assert questions[0] == QUESTION_HEADERS, questions[0]
        assert [(r[1], r[2], r[3]) for r in questions[1:]] == [(r[1], r[2], r[3]) for r in asked], (questions, asked)
    shot(tpage, "trainer-feedback-exported")


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


# ---------------------------------------------------------------- the sign-in kept across reloads
def kept_token(page) -> str | None:
    return page.evaluate("key => localStorage.getItem(key)", STORAGE_KEY)


def reload_trainer_tab(page) -> None:
    page.reload()
    page.wait_for_selector("#question textarea", timeout=60000)
    page.get_by_role("tab", name="訓練承辦").click()
    page.wait_for_selector("#trainer-name input, #trainer-work", state="visible", timeout=15000)
    page.wait_for_timeout(2000)  # the page's load event has checked the kept token


def signed_in_view(page) -> bool:
    return page.locator("#trainer-work").is_visible() and not page.locator("#trainer-name input").is_visible()


def test_a_reload_keeps_the_sign_in_and_a_logout_ends_it(tpage, trainer_app):
    requested: list[str] = []
    tpage.on("request", lambda request: requested.append(request.url))
    open_trainer(tpage)
    sign_in(tpage, "trainer1", PASSWORD)
    wait_text(tpage, "#trainer-who", "已登入")
    assert kept_token(tpage)
    reload_trainer_tab(tpage)
    wait_text(tpage, "#trainer-who", "已登入：trainer1")
    assert signed_in_view(tpage)
    tpage.get_by_role("tab", name="版本與回復", exact=True).click()
    wait_text(tpage, "#trainer-versions", "初始版本")  # the workspace is filled, not just shown
    tpage.get_by_role("tab", name="學習路徑", exact=True).click()
    wait_text(tpage, "#trainer-paths", "會開發")
    assert tpage.url == trainer_app["url"]  # the token is never in the address
    assert not [u for u in requested if "?" in u and ("token" in u.lower() or "session=" in u)], requested
    shot(tpage, "trainer-after-reload")
    tpage.click("#trainer-logout")
    wait_text(tpage, "#trainer-login-status", "已登出")
    tpage.wait_for_function("key => localStorage.getItem(key) === null", arg=STORAGE_KEY)
    reload_trainer_tab(tpage)
    assert not signed_in_view(tpage) and tpage.locator("#trainer-name input").is_visible()
    assert "登入已結束" not in tpage.locator("#trainer-login-status").inner_text()  # a logout is no surprise


def end_sessions(data, name: str, how: str) -> None:
    """Server side: expire every session of `name`, or revoke them (a password change does)."""
    from sqlalchemy import select, update

    from storage import Database, now
    from storage.schema import trainer_sessions, trainers
    from workspace.accounts import Accounts

    db = Database.in_data_dir(data)
    try:
        if how == "revoke":
            Accounts(db).set_password(name, PASSWORD)
            return
        with db.begin() as connection:
            account = connection.execute(select(trainers.c.id).where(trainers.c.name == name)).scalar_one()
            connection.execute(
                update(trainer_sessions).where(trainer_sessions.c.trainer_id == account).values(expires_at=now() - timedelta(minutes=1))
            )
    finally:
        db.engine.dispose()


@pytest.mark.parametrize("how", ["expire", "revoke"])
def test_a_kept_token_the_server_no_longer_accepts_shows_the_login_form(tpage, trainer_app, how):
    open_trainer(tpage)
    sign_in(tpage, "trainer3", PASSWORD)
    wait_text(tpage, "#trainer-who", "已登入")
    reload_trainer_tab(tpage)
    wait_text(tpage, "#trainer-who", "已登入：trainer3")
    end_sessions(trainer_app["data"], "trainer3", how)
    reload_trainer_tab(tpage)
    note = wait_text(tpage, "#trainer-login-status", "登入已結束")
    assert "請重新登入" in note
    assert not signed_in_view(tpage) and tpage.locator("#trainer-name input").is_visible()
    assert kept_token(tpage) is None  # the browser forgot the refused token
    shot(tpage, f"trainer-session-ended-{how}")
    reload_trainer_tab(tpage)  # and says nothing more on the next load
    assert not signed_in_view(tpage) and "登入已結束" not in tpage.locator("#trainer-login-status").inner_text()


# ---------------------------------------------------------------- a trainer on a phone (390 × 844)
PHONE_FIT = """(selector) => {
  const root = document.querySelector(selector);
  const viewport = root.querySelector('.virtual-table-viewport') || root.querySelector('.table-wrap') || root;
  const lines = (el) => { const r = document.createRange(); r.selectNodeContents(el);
                          return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; };
  const cut = [...root.querySelectorAll('.virtual-row [role=gridcell] span')]
    .filter(s => s.offsetParent && s.innerText.trim() && (s.scrollWidth > s.clientWidth + 1
                 || s.getBoundingClientRect().right > s.closest('[role=gridcell]').getBoundingClientRect().right + 1))
    .map(s => s.innerText);
  const headers = [...root.querySelectorAll('.header-table th span.header, .header-table th .header-text, .header-table th span')]
    .filter(s => s.offsetParent && s.innerText.trim());
  const broken = headers.filter(s => lines(s) > 2).map(s => s.innerText);
  const right = Math.max(...[...root.querySelectorAll('.virtual-row, .header-table')].filter(e => e.offsetParent)
                              .map(e => e.getBoundingClientRect().right));
  return {sideways: viewport.scrollWidth > viewport.clientWidth + 1, cut, broken, right,
          inner_scroll: viewport.scrollHeight > viewport.clientHeight + 1,
          rows: root.querySelectorAll('.virtual-row').length};
}"""

CUT_BUTTONS = """() => [...document.querySelectorAll('#trainer-work button, #trainer-login-box button')]
  .filter(b => b.offsetParent && b.getBoundingClientRect().width > 0)
  .filter(b => { const r = b.getBoundingClientRect();
                 return r.left < -1 || r.right > innerWidth + 1 || b.scrollWidth > b.clientWidth + 1; })
  .map(b => (b.innerText || b.getAttribute('aria-label') || '').trim())"""


def phone_problems(page, tables: list[str], whole: tuple[str, ...] = ()) -> dict:
    """Tables that scroll sideways, cut text or break headers a character a line; `whole`: tables shown without a scroll box."""
    found = {}
    for selector in tables:
        fit = page.evaluate(PHONE_FIT, selector)
        if fit["sideways"] or fit["cut"] or fit["broken"] or fit["right"] > 390 + 1 or (selector in whole and fit["inner_scroll"]):
            found[selector] = fit
    if page.evaluate("() => document.documentElement.scrollWidth") > 390 + 1:
        found["page"] = "scrolls sideways"
    buttons = page.evaluate(CUT_BUTTONS)
    if buttons:
        found["buttons cut off"] = buttons
    return found


def test_on_a_phone_every_trainer_page_is_in_sight_and_tables_fit_the_screen(browser, trainer_app):
    """After the tests above: versions, feedback and questions all have rows."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, accept_downloads=True)
    page = context.new_page()
    page.goto(trainer_app["url"])
    page.wait_for_selector("#question textarea", timeout=60000)
    open_trainer(page)
    sign_in(page, "trainer1", PASSWORD)
    wait_text(page, "#trainer-who", "已登入")
    for name in ("上傳課綱", "版本與回復", "學習路徑", "回饋與提問"):
        assert page.get_by_role("tab", name=name, exact=True).is_visible(), f"{name} is hidden in a menu on a phone"
    problems = {}
    page.set_input_files("#trainer-upload input[type=file]", str(trainer_app["bad"]))
    page.wait_for_timeout(1000)
    page.click("#trainer-check")
    wait_text(page, "#trainer-errors", "神仙")
    page.wait_for_timeout(500)
    problems["error table"] = phone_problems(page, ["#trainer-errors"])
    assert "必須是正整數" in page.locator("#trainer-errors").inner_text()
    page.locator("#trainer-upload").get_by_role("button", name="清除", exact=True).click()
    page.set_input_files("#trainer-upload input[type=file]", str(trainer_app["good"]))
    page.wait_for_timeout(1000)
    page.click("#trainer-check")
    wait_text(page, "#trainer-preview", "變更預覽")
    page.wait_for_timeout(500)
    problems["preview"] = phone_problems(page, ["#trainer-changes", "#trainer-hours"], whole=("#trainer-hours",))
    shot(page, "phone-trainer-preview")
    page.get_by_role("tab", name="版本與回復", exact=True).click()
    wait_text(page, "#trainer-versions", "初始版本")
    page.wait_for_timeout(500)
    problems["versions"] = phone_problems(page, ["#trainer-versions"])
    shot(page, "phone-trainer-versions")
    page.get_by_role("tab", name="學習路徑", exact=True).click()
    wait_text(page, "#trainer-paths", "會開發")
    page.wait_for_timeout(500)
    problems["paths"] = phone_problems(page, ["#trainer-paths"], whole=("#trainer-paths",))
    shot(page, "phone-trainer-paths")
    page.get_by_role("tab", name="回饋與提問", exact=True).click()
    page.click("#review-refresh")
    wait_text(page, "#review-unanswered", "無人機")
    page.wait_for_timeout(1000)
    problems["review"] = phone_problems(page, ["#review-daily", "#review-feedback", "#review-unanswered"])
    page.click("#review-export-xlsx")
    wait_text(page, "#review-export-status", "已匯出")
    assert page.locator("#review-export-status").evaluate(
        "e => { const r = e.getBoundingClientRect(), b = document.querySelector('#review-download').getBoundingClientRect();"
        " return Math.abs(b.top - r.bottom) < 200; }"
    ), "the export's message is far from its download buttons"
    page.wait_for_timeout(500)
    problems["review, exported"] = phone_problems(page, [])
    shot(page, "phone-trainer-review")
    context.close()
    problems = {state: found for state, found in problems.items() if found}
    assert not problems, problems
