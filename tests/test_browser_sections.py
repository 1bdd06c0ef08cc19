"""The framework's text in the web app (issue 12): a source card under a document answer, and the 「關於課綱」 tab."""

from __future__ import annotations

import pytest

from corpus.sections import load_sections
from test_browser import ask, browser, last_bot_text, page, shot  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_a_document_answer_shows_its_source_card_and_opens_the_text(page):
    ask(page, "對課程設計有建議要聯絡誰")
    assert "thliu@moda.gov.tw" in last_bot_text(page)
    card = page.locator(".source-card")
    card.first.wait_for(timeout=30000)
    assert card.count() == 1 and "課綱本文「聯絡窗口」" in card.inner_text()
    assert page.locator(".course-card:not(.source-card)").count() == 0  # no course cited
    shot(page, "source-card")
    card.get_by_role("button", name="閱讀課綱本文").click()
    about = page.locator("#about-text")
    about.wait_for(state="visible", timeout=15000)
    assert "thliu@moda.gov.tw" in about.inner_text()


def test_about_tab_shows_every_section_in_order(page):
    page.get_by_role("tab", name="關於課綱").click()
    about = page.locator("#about-text")
    about.wait_for(state="visible", timeout=15000)
    headings = about.locator("h2").all_inner_texts()
    assert headings == [s.title for s in load_sections()]
    text = about.inner_text()
    assert "對齊聯合國、英國、SFIA等職能標準，建立AI職能標準" in text
    assert "學習路徑：入門 → 進階 → 實作（可依機關彈性調整與組合）" in text
    shot(page, "about-tab")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 392  # no sideways scroll on a phone
    shot(page, "about-tab-phone")


def test_a_course_answer_shows_no_source_card(page):
    ask(page, "3.1.4 幾小時")
    page.wait_for_selector(".course-card", timeout=30000)
    assert page.locator(".source-card").count() == 0


def test_every_tab_is_reachable_on_a_phone(page):
    """At 390 px every top-level tab stays in the tab bar (none pushed into Gradio's 「…」 menu)."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    names = ["對話", "學習路徑規劃", "課程目錄", "關於課綱", "訓練承辦"]
    for name in names:
        tab = page.get_by_role("tab", name=name)
        assert tab.count() == 1 and tab.is_visible(), name
    shot(page, "phone-tab-bar")
    page.get_by_role("tab", name="課程目錄").click()
    page.locator("#cat-table").wait_for(state="visible", timeout=15000)
