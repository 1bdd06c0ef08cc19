"""The web app in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from corpus.settings import REPO_ROOT

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = REPO_ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make chromium` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser, app):
    context = browser.new_context(viewport={"width": 1280, "height": 1400}, accept_downloads=True)
    page = context.new_page()
    page.goto(app["url"])
    page.wait_for_selector("#question textarea", timeout=60000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def ask(page, text: str) -> None:
    before = page.locator("#chatbot .message-row").count() if page.locator("#chatbot .message-row").count() else 0
    page.fill("#question textarea", text)
    page.press("#question textarea", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#chatbot .message-row').length >= n + 2", arg=before, timeout=60000
    )


def last_bot_text(page) -> str:
    page.wait_for_timeout(500)
    return page.locator("#chatbot .message-row").last.inner_text()


def test_question_shows_course_card_and_full_course(page):
    ask(page, "3.1.4 教什麼？幾小時？")
    page.wait_for_selector("text=查看完整課程", timeout=30000)
    assert "委外AI系統規格制定與驗收實務" in last_bot_text(page)
    card = page.locator(".course-card").first
    assert "3.1.4" in card.inner_text() and "6 小時" in card.inner_text()
    card.get_by_role("button", name="查看完整課程").click()
    page.wait_for_selector("#course-detail-text :text('AI專案驗收注意要點')", timeout=15000)
    shot(page, "chat-course-card")


def test_follow_up_uses_history(page):
    ask(page, "我是科員")
    assert "能應用" in last_bot_text(page)
    ask(page, "那進階的呢？")
    text = last_bot_text(page)
    assert "進階階段" in text and "入門階段" not in text
    shot(page, "chat-follow-up")
    page.click("#clear")
    page.wait_for_function("() => document.querySelectorAll('#chatbot .message-row').length === 0")


def test_enter_while_ime_composing_does_not_send(page):
    box = page.locator("#question textarea")
    box.fill("我是中")
    # What Chromium sends for Enter while an IME candidate window is open: isComposing, keyCode 229.
    box.dispatch_event("keydown", {"key": "Enter", "code": "Enter", "keyCode": 229, "isComposing": True, "bubbles": True})
    page.wait_for_timeout(1500)
    assert page.locator("#chatbot .message-row").count() == 0
    assert box.input_value() == "我是中"
    box.fill("我是中階主管")
    box.press("Enter")
    page.wait_for_selector("#chatbot .message-row", timeout=30000)
    assert page.locator("#chatbot .message-row").count() >= 1


def test_planner_plan_chart_and_exports(page):
    page.get_by_role("tab", name="學習路徑規劃").click()
    page.locator("#plan-role input").click()
    page.get_by_role("option", name="會開發").click()
    page.click("#plan-button")
    page.wait_for_selector("#plan-summary :text('合計 180 小時')", timeout=30000)
    assert page.locator("#plan-table").inner_text().count("3.1.4") == 1
    page.wait_for_selector("#plan-chart canvas, #plan-chart svg", timeout=30000)
    with page.expect_download() as download_info:
        page.click("#plan-csv")
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["階段", "代碼", "課程名稱", "時數", "模組"]
    assert rows[-1][0] == "合計" and rows[-1][3] == "180"
    assert sum(int(r[3]) for r in rows[1:-1]) == 180
    with page.expect_download() as download_info:
        page.click("#plan-md")
    markdown = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "合計 180 小時" in markdown and "| 3.1.4 |" in markdown
    shot(page, "planner")


def test_catalog_filter_and_detail(page):
    page.get_by_role("tab", name="課程目錄").click()
    page.locator("#cat-method input").click()
    page.get_by_role("option", name="工作坊").click()
    page.wait_for_selector("#cat-count :text('共 3 門課')", timeout=30000)
    table = page.locator("#cat-table").inner_text()
    assert "7.2.1" in table and "1.1.1" not in table
    page.locator("#cat-table").get_by_text("管理者的AI應用與創新設計思維").filter(visible=True).first.click()
    page.wait_for_selector("#cat-detail :text('設計思維概述與核心步驟')", timeout=15000)
    shot(page, "catalog")


def test_feedback_is_stored_in_sqlite(page, app):
    from assistant.feedback import FeedbackStore
    from storage import Database

    ask(page, "跟個資法有關的課")
    page.locator("#chatbot button[aria-label='有幫助'], #chatbot button[aria-label='Like']").last.click()
    page.wait_for_selector("#feedback-status :text('已記錄')", timeout=15000)
    page.fill("#comment textarea", "很清楚，謝謝")
    page.click("#comment-send")
    page.wait_for_selector("#feedback-status :text('已收到您的意見')", timeout=15000)
    shot(page, "feedback")
    rows = FeedbackStore(Database.in_data_dir(app["data"])).rows()
    row = next(r for r in rows if r.question == "跟個資法有關的課")
    assert row.rating == 1 and row.comment == "很清楚，謝謝"
    assert {"4.2.1", "4.2.2"} & {c["code"] for c in row.citations}
    assert "個資法" in row.answer


def test_html_and_script_are_shown_as_text_and_never_run(page):
    attacks = ['<img src=x onerror="window.__xss=1">', "<script>window.__xss=2</script>", "[點我](javascript:window.__xss=3)"]
    for attack in attacks:
        ask(page, attack)
    page.wait_for_timeout(1000)
    for link in page.locator("#chatbot a").all():
        if "javascript" in (link.get_attribute("href") or ""):
            link.click()
    assert page.evaluate("window.__xss") is None
    chat = page.locator("#chatbot").inner_text()
    assert '<img src=x onerror="window.__xss=1">' in chat and "<script>window.__xss=2</script>" in chat
    assert page.locator("#chatbot img[src='x']").count() == 0
    shot(page, "xss-as-text")


def test_broken_corpus_banner_names_no_server_path_and_clears_once_fixed(browser, tmp_path, searcher):
    """Issue 15.10: the banner and /config show the file's name only; the banner goes once the file is good."""
    import json
    import shutil
    import time
    import urllib.request

    from conftest import running_app
    from corpus.settings import DEFAULT_CORPUS

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(DEFAULT_CORPUS, data / "curriculum.last-good.json")
    corpus = tmp_path / "server-only-folder" / "curriculum.json"
    corpus.parent.mkdir()
    broken = json.loads(DEFAULT_CORPUS.read_text(encoding="utf-8"))
    broken["courses"][0]["hours"] = "six"
    corpus.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    with running_app(data, ADVISOR_CORPUS=str(corpus)) as url:
        config = urllib.request.urlopen(url + "config", timeout=30).read().decode("utf-8")
        assert "server-only-folder" not in config and str(tmp_path) not in config
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#corpus-warning :text('curriculum.json')", timeout=60000)
        banner = page.locator("#corpus-warning").inner_text()
        assert "hours" in banner and "server-only-folder" not in banner and str(tmp_path) not in banner
        shot(page, "corpus-warning")
        shutil.copy(DEFAULT_CORPUS, corpus)  # the trainer fixes the file
        deadline = time.time() + 60
        while time.time() < deadline:
            time.sleep(3)
            page.goto(url)
            page.wait_for_selector("#question textarea", timeout=60000)
            page.wait_for_timeout(1500)
            if "課綱檔案有誤" not in page.locator("body").inner_text():
                break
        else:
            pytest.fail("the banner stayed after the corpus file was fixed")
        context.close()
