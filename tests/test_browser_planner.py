"""The planner's personal plans in a real Chromium (issue 13): taken courses and a budget, the export
matching the screen, and a plan link that restores the same plan in a fresh page. Desktop and 390×844."""

from __future__ import annotations

import csv
import io
from urllib.parse import urljoin

import pytest

from test_browser import ask, browser, last_bot_text, page, shot  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def open_planner(page) -> None:
    page.get_by_role("tab", name="學習路徑規劃").click()
    page.wait_for_selector("#plan-button", state="visible", timeout=15000)


def choose(page, selector: str, option: str) -> None:
    page.locator(f"{selector} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def pick_taken(page, search: str, option: str) -> None:
    """Type into the taken-courses picker (code or name) and choose the course."""
    box = page.locator("#plan-taken input")
    box.click()
    box.press_sequentially(search, delay=30)
    page.get_by_role("option", name=option).first.click()
    page.locator("#plan-taken label, #plan-taken span").first.click()  # close the list


def screen_rows(page) -> list[list[str]]:
    """The planner table's rows as shown (Gradio draws each as a row of grid cells; all rows at this size)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#plan-table [role=row]')]
              .map(row => [...row.querySelectorAll('[role=gridcell]')].map(cell => cell.innerText.trim()))
              .filter(cells => cells.length && cells.some(Boolean))"""
    )


def screen_headers(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('#plan-table [role=columnheader]')].map(th => th.innerText.trim()).filter(Boolean)"""
    )


def make_personal_plan(page) -> str:
    open_planner(page)
    choose(page, "#plan-role", "有規劃")
    pick_taken(page, "1.1.1", "1.1.1 AI素養與倫理（6 小時）")
    pick_taken(page, "安全基礎", "4.1.1 AI人工智慧安全基礎（6 小時）")  # found by name
    page.fill("#plan-budget input, #plan-budget textarea", "20")
    page.click("#plan-button")
    page.wait_for_function(
        "() => (document.querySelector('#plan-summary')?.innerText || '').includes('預算 20 小時')", timeout=30000
    )
    page.wait_for_selector("#plan-csv", state="visible", timeout=15000)
    page.wait_for_timeout(500)
    return page.locator("#plan-summary").inner_text()


EXPECTED_PLAN = ["1.2.1", "4.1.2", "4.1.3"]  # 1.1.1 taken; 4.1.1 taken leaves 4.1.2 + 4.1.3 of 4.1.4; 18 of 20 h


def assert_the_personal_plan(page, summary: str, every_row: bool = True) -> None:
    assert "「有規劃」學習路徑：合計 18 小時" in summary
    assert "已上過的課與抵免" in summary and "只要補上 4.1.2、4.1.3（共 12 小時）" in summary
    assert "預算 20 小時，排入 18 小時，剩 2 小時" in summary and "留待以後" in summary
    rows = screen_rows(page)
    assert screen_headers(page)[:3] == ["安排", "階段", "代碼"]
    assert [r[2] for r in rows if r[0] == "今年"] == EXPECTED_PLAN
    if every_row:  # a phone draws only the rows in view
        assert {r[2] for r in rows if r[0] == "已抵免"} == {"1.1.1", "4.1.1"}
    assert rows[len(EXPECTED_PLAN)][0] == "留待以後" and rows[len(EXPECTED_PLAN)][2] == "4.2.4"


def test_planner_with_taken_courses_and_a_budget_exports_what_it_shows(page):
    summary = make_personal_plan(page)
    assert_the_personal_plan(page, summary)
    shot(page, "planner-personal-plan")
    rows = screen_rows(page)
    with page.expect_download() as info:
        page.click("#plan-csv")
    text = open(info.value.path(), encoding="utf-8-sig").read()
    exported = list(csv.reader(io.StringIO(text)))
    assert exported[0] == screen_headers(page)
    assert exported[1:-1] == rows  # exactly the table on the screen, then the total
    assert exported[-1][0] == "合計" and "18" in exported[-1]
    with page.expect_download() as info:
        page.click("#plan-md")
    markdown = open(info.value.path(), encoding="utf-8").read()
    for row in rows:
        assert "| " + " | ".join(row) + " |" in markdown
    assert "預算 20 小時，排入 18 小時，剩 2 小時" in markdown and "只要補上 4.1.2、4.1.3" in markdown


def test_a_plan_link_restores_the_same_plan_in_a_fresh_page(browser, page):
    summary = make_personal_plan(page)
    rows = screen_rows(page)
    href = page.locator("#plan-link a").get_attribute("href")
    assert "taken=" in href and "budget=20" in href
    url = urljoin(page.url, href)
    context = browser.new_context(viewport={"width": 1280, "height": 1400})  # a colleague's browser: nothing shared
    fresh = context.new_page()
    fresh.goto(url)
    fresh.wait_for_function(
        "() => (document.querySelector('#plan-summary')?.innerText || '').includes('預算 20 小時')", timeout=60000
    )
    fresh.wait_for_timeout(800)
    assert fresh.locator("#plan-summary").inner_text() == summary
    assert screen_rows(fresh) == rows
    assert fresh.locator("#plan-budget input, #plan-budget textarea").first.input_value() == "20"
    chips = fresh.locator("#plan-taken").inner_text()
    assert "1.1.1" in chips and "4.1.1" in chips
    shot(fresh, "planner-restored-from-link")
    context.close()


def test_a_bad_plan_link_says_what_is_wrong(browser, app):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fresh = context.new_page()
    fresh.goto(app["url"] + "?role=有規劃&budget=abc")
    fresh.wait_for_selector("#plan-summary :text('無法開啟這個規劃連結')", timeout=60000)
    assert "時數預算" in fresh.locator("#plan-summary").inner_text()
    context.close()


def test_the_chat_offers_the_plan_in_the_planner(browser, page):
    ask(page, "我是主管，今年只有 20 小時，已經上過 1.1.1")
    text = last_bot_text(page)
    assert "在規劃頁開啟" in text and "預算 20 小時" in text
    href = page.locator("#chatbot a", has_text="在規劃頁開啟").last.get_attribute("href")
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    fresh = context.new_page()
    fresh.goto(urljoin(page.url, href))
    fresh.wait_for_function(
        "() => (document.querySelector('#plan-summary')?.innerText || '').includes('預算 20 小時')", timeout=60000
    )
    summary = fresh.locator("#plan-summary").inner_text()
    assert "「有規劃」學習路徑" in summary and "1.1.1 AI素養與倫理：您已上過" in summary
    shot(fresh, "planner-opened-from-chat")
    context.close()


def test_phone_personal_plan_fits(browser, app):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, accept_downloads=True)
    phone = context.new_page()
    phone.goto(app["url"])
    phone.wait_for_selector("#question textarea", timeout=60000)
    summary = make_personal_plan(phone)
    assert_the_personal_plan(phone, summary, every_row=False)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 392  # no sideways page scroll
    for header in ["安排", "代碼", "時數"]:
        box = phone.locator("#plan-table th").filter(has_text=header).first.bounding_box()
        assert box and box["x"] >= 0, f"{header} column: {box}"
    phone.locator("#plan-summary").scroll_into_view_if_needed()
    shot(phone, "phone-planner-personal-plan")
    context.close()
