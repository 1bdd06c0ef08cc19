"""The web app as civil servants, trainers and evaluators use it (issue 14), in a real Chromium."""

from __future__ import annotations

import re
import time

import pytest

from test_browser import ARGS, CHROMIUM, ask, browser, last_bot_text, page, shot  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


# ---------------------------------------------------------------- helpers
def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def choose(page, selector: str, option: str) -> None:
    page.locator(f"{selector} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def plan(page, role: str) -> dict[str, int]:
    """Generate a plan for a role; return its stage hours as the summary states them."""
    choose(page, "#plan-role", role)
    page.click("#plan-button")
    page.wait_for_function(
        "role => (document.querySelector('#plan-summary')?.innerText || '').includes(`「${role}」學習路徑`)", arg=role, timeout=30000
    )
    page.wait_for_timeout(300)
    return summary_stage_hours(page)


def summary_stage_hours(page) -> dict[str, int]:
    text = page.locator("#plan-summary").inner_text()
    return {stage: int(hours) for stage, hours in re.findall(r"(入門|進階|實作) (\d+) 小時", text)}


def table_modules(page) -> set[str]:
    return set(re.findall(r"模組\d [^\t\n]+", page.locator("#plan-table").inner_text()))


def chart_state(page) -> dict:
    """What the Vega chart draws: each bar's data (its ARIA label) and fill, and the legend's entries."""
    return page.evaluate(
        """() => {
          const root = document.querySelector('#plan-chart');
          const marks = [...root.querySelectorAll('path[aria-label]')]
            .filter(p => p.getAttribute('aria-label').startsWith('階段'))
            .map(p => ({label: p.getAttribute('aria-label'), fill: p.getAttribute('fill') || p.style.fill || ''}));
          const box = [...root.querySelectorAll('[aria-label]')].find(e => e.getAttribute('aria-label').includes('legend'));
          const legend = box ? [...box.querySelectorAll('.role-legend-label text, text')].map(t => t.textContent) : [];
          return {marks, legend};
        }"""
    )


def parse_marks(state: dict) -> list[tuple[str, int, str, str]]:
    out = []
    for mark in state["marks"]:
        fields = dict(part.split(": ", 1) for part in mark["label"].split("; "))
        out.append((fields["階段"], int(fields["時數"]), fields["模組"], mark["fill"]))
    return out


def assert_chart_matches(page, expected: dict[str, int], modules: set[str]) -> None:
    deadline = time.time() + 15
    while True:
        marks = parse_marks(chart_state(page))
        drawn: dict[str, int] = {}
        for stage, hours, _module, fill in marks:
            if fill and fill not in ("none", "transparent"):
                drawn[stage] = drawn.get(stage, 0) + hours
        drawn = {s: h for s, h in drawn.items() if h}
        if drawn == {s: h for s, h in expected.items() if h} or time.time() > deadline:
            break
        page.wait_for_timeout(300)
    assert drawn == {s: h for s, h in expected.items() if h}, f"chart draws {drawn}, plan says {expected}: {marks}"
    legend = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#plan-legend [data-module]')]
              .map(s => [s.dataset.module, getComputedStyle(s).backgroundColor]))"""
    )
    assert modules <= set(legend), f"legend {sorted(legend)} lacks modules of the plan {modules - set(legend)}"
    for _stage, hours, module, fill in marks:
        if hours:
            assert rgb(fill) == legend[module], f"{module} drawn in {fill}, legend says {legend[module]}"


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


# ---------------------------------------------------------------- 1. chart
def test_chart_matches_every_plan_in_one_page(page):
    open_tab(page, "學習路徑規劃")
    for role in ["有規劃", "會開發", "能應用"]:
        expected = plan(page, role)
        assert_chart_matches(page, expected, table_modules(page))
    # Narrow to one module, then widen again.
    page.locator("#plan-modules").get_by_label("模組3 能開發").check()
    expected = plan(page, "會開發")
    assert_chart_matches(page, expected, table_modules(page))
    page.locator("#plan-modules").get_by_label("模組3 能開發").uncheck()
    expected = plan(page, "有規劃")
    assert_chart_matches(page, expected, table_modules(page))
    shot(page, "planner-chart-after-several-plans")


# ---------------------------------------------------------------- 2. + 4. clearing and history
def _answer_with_card_and_detail(page) -> None:
    ask(page, "我是科員")
    assert "能應用" in last_bot_text(page)
    page.wait_for_selector(".course-card", timeout=30000)
    page.locator(".course-card").first.get_by_role("button", name="查看完整課程").click()
    page.wait_for_function("() => (document.querySelector('#course-detail-text')?.innerText || '').trim().length > 20")


def _assert_fresh_conversation(page) -> None:
    page.wait_for_function("() => document.querySelectorAll('#chatbot .message-row').length === 0", timeout=15000)
    page.wait_for_function("() => document.querySelectorAll('.course-card').length === 0", timeout=15000)
    assert page.locator("#course-detail-text").inner_text().strip() == ""
    # The follow-up is read as a first question: no 進階 stage of the erased conversation's role path
    # (a new conversation may instead list courses or ask which role is meant).
    ask(page, "那進階的呢？")
    text = last_bot_text(page)
    assert "進階階段（" not in text, text


def test_follow_up_uses_the_conversation(page):
    ask(page, "我是科員")
    assert "能應用" in last_bot_text(page)
    ask(page, "那進階的呢？")
    text = last_bot_text(page)
    assert "進階階段" in text and "入門階段" not in text and "能應用" in text


def test_clear_button_resets_conversation_cards_and_detail(page):
    _answer_with_card_and_detail(page)
    page.click("#clear")
    _assert_fresh_conversation(page)


def test_chatbot_trash_icon_resets_conversation_cards_and_detail(page):
    _answer_with_card_and_detail(page)
    page.locator("#chatbot button[aria-label='清除對話'], #chatbot button[aria-label='Clear']").first.click()
    _assert_fresh_conversation(page)


# ---------------------------------------------------------------- 3. votes
def _like_button(page, which: str):
    names = {"like": "Like|Liked|讚|有幫助|已標示有幫助.*", "dislike": "Dislike|Disliked|不讚|沒幫助|已標示沒幫助.*"}[which]
    return page.locator("#chatbot").get_by_role("button", name=re.compile(f"^({names})$")).last


def test_undoing_a_vote_removes_it_and_one_vote_per_answer_is_kept(page, app):
    from assistant.feedback import FeedbackStore
    from storage import Database

    question = "有哪些 12 小時的課"
    ask(page, question)
    _like_button(page, "like").click()
    page.wait_for_selector("#feedback-status :text('已記錄您的👍')", timeout=15000)
    _like_button(page, "like").click()  # the highlighted 👍 again: undo
    page.wait_for_selector("#feedback-status :text('已取消')", timeout=15000)
    store = FeedbackStore(Database.in_data_dir(app["data"]))
    assert [r.rating for r in store.rows() if r.question == question] == []
    _like_button(page, "dislike").click()
    page.wait_for_selector("#feedback-status :text('已記錄您的👎')", timeout=15000)
    _like_button(page, "like").click()  # change of mind: 👎 becomes 👍, still one vote
    page.wait_for_selector("#feedback-status :text('已記錄您的👍')", timeout=15000)
    assert [r.rating for r in store.rows() if r.question == question] == [1]


# ---------------------------------------------------------------- 5. a new answer is shown from its start
ROW_IN_VIEW = """
i => {
  const row = document.querySelectorAll('#chatbot .message-row')[i];
  let box = row.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight + 2 && getComputedStyle(box).overflowY !== 'visible')) box = box.parentElement;
  const r = row.getBoundingClientRect(), b = box.getBoundingClientRect();
  return {rowTop: r.top, boxTop: b.top, boxBottom: b.bottom, scrollTop: box.scrollTop};
}
"""


def test_new_answer_scrolls_into_view_from_its_start(page):
    ask(page, "我是中階主管該上哪些課")
    ask(page, "我在資訊室負責委外案")
    # The reader scrolls back up to the first answer, then asks again.
    page.evaluate("() => { document.querySelector('#chatbot .message-row').scrollIntoView({block: 'start'}); }")
    page.wait_for_timeout(300)
    ask(page, "我是科員")
    page.wait_for_timeout(1000)
    new_question = page.locator("#chatbot .message-row").count() - 2
    where = page.evaluate(ROW_IN_VIEW, new_question)
    assert where["boxTop"] - 2 <= where["rowTop"] < where["boxBottom"] - 40, where  # its start is in view
    box = page.locator("#question textarea")
    assert box.is_editable()
    box.fill("那進階的呢？")  # the input is still usable
    shot(page, "chat-new-answer-in-view")


# ---------------------------------------------------------------- 9. empty input
def test_empty_input_adds_no_bubble_and_shows_a_hint(page):
    for text in ["", "   "]:
        page.fill("#question textarea", text)
        page.press("#question textarea", "Enter")
    page.click("#send")
    page.wait_for_selector("#chat-hint :text('請先輸入問題')", timeout=15000)
    page.wait_for_timeout(1000)
    assert page.locator("#chatbot .message-row").count() == 0
    ask(page, "我是科員")
    assert page.locator("#chatbot .message-row").count() == 2
    assert "請先輸入問題" not in page.locator("#chat-hint").inner_text()


# ---------------------------------------------------------------- 10. the user's text as typed
def test_urls_and_punctuation_read_exactly_as_typed(page):
    typed = "請看 www.moda.gov.tw/ai_course?id=3.1.4 與 https://example.org/a_b (3.1.4) *重點* #1 1+1=2 $x$ C:\\temp `code` ~刪~"
    ask(page, typed)
    bubble = page.locator("#chatbot .message-row").nth(0)
    assert bubble.inner_text().strip() == typed
    assert bubble.locator("a, em, strong, code, del, h1, .katex").count() == 0
    # Copying the question gives back exactly what was typed.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("() => navigator.clipboard.writeText('')")
    page.locator("#chatbot").get_by_role("button", name=re.compile("^(複製訊息|Copy message)$")).first.click()
    page.wait_for_timeout(500)
    assert page.evaluate("() => navigator.clipboard.readText()") == typed


# ---------------------------------------------------------------- 6. + 7. catalog search and hours
def catalog_codes(page) -> list[str]:
    return re.findall(r"^(\d\.\d(?:\.\d)?)$", page.locator("#cat-table").inner_text(), flags=re.M)


def test_catalog_keyword_uses_the_chats_ranking_with_exact_matches_first(page):
    open_tab(page, "課程目錄")
    page.fill("#cat-keyword input, #cat-keyword textarea", "個資")
    page.wait_for_selector("#cat-count :text('依相關程度排序')", timeout=15000)
    page.wait_for_timeout(500)
    codes = catalog_codes(page)
    assert {"4.2.1", "4.2.2", "4.2.4"} <= set(codes[:4]), codes
    assert f"共 {len(codes)} 門課" in page.locator("#cat-count").inner_text()
    page.fill("#cat-keyword input, #cat-keyword textarea", "3.1.4")
    page.wait_for_function("() => (document.querySelector('#cat-count')?.innerText || '').includes('「3.1.4」')")
    page.wait_for_timeout(500)
    assert catalog_codes(page)[0] == "3.1.4"
    shot(page, "catalog-keyword")


def test_catalog_hours_apply_on_change_start_empty_and_explain_contradictions(page):
    open_tab(page, "課程目錄")
    assert "共 41 門課" in page.locator("#cat-count").inner_text()  # shown before any filter
    low, high = page.locator("#cat-min input, #cat-min textarea"), page.locator("#cat-max input, #cat-max textarea")
    assert low.input_value() == "" and high.input_value() == ""
    high.fill("6")  # no Enter
    page.wait_for_function("() => !(document.querySelector('#cat-count')?.innerText || '').includes('共 41 門')", timeout=15000)
    page.wait_for_timeout(500)
    text = page.locator("#cat-table").inner_text()
    assert "3.1.1" not in text and "1.1.1" in text
    low.fill("12")
    page.wait_for_selector("#cat-count :text('大於最多時數')", timeout=15000)


# ---------------------------------------------------------------- 12. (part) filter choices in words
def test_catalog_dropdowns_say_no_filter_and_list_methods_as_named(page):
    open_tab(page, "課程目錄")
    assert page.locator("#cat-role input").input_value() == "不限"
    page.locator("#cat-method input").click()
    options = page.get_by_role("option").all_inner_texts()
    options = [o.replace("✓", "").strip() for o in options]
    assert "不限" in options and "情境模擬" in options and "案例分析" in options
    assert "案例" not in options and "模擬" not in options and "討論" not in options


# ---------------------------------------------------------------- 8. planner edge cases
def test_planner_explains_instead_of_empty_plans(page):
    open_tab(page, "學習路徑規劃")
    choose(page, "#plan-role", "有規劃")
    for stage in ["入門", "進階", "實作"]:
        page.locator("#plan-stages").get_by_label(stage).uncheck()
    page.click("#plan-button")
    page.wait_for_selector("#plan-summary :text('請至少勾選一個階段')", timeout=15000)
    assert not page.locator("#plan-csv").is_visible() and not page.locator("#plan-md").is_visible()
    for stage in ["入門", "進階", "實作"]:
        page.locator("#plan-stages").get_by_label(stage).check()
    page.locator("#plan-modules").get_by_label("模組3 能開發").check()
    page.click("#plan-button")
    page.wait_for_selector("#plan-summary :text('沒有課程')", timeout=15000)
    assert "合計 0 小時" not in page.locator("#plan-summary").inner_text()
    assert not page.locator("#plan-csv").is_visible() and not page.locator("#plan-md").is_visible()
    assert not page.locator("#plan-chart").is_visible() and not page.locator("#plan-table").is_visible()
    shot(page, "planner-explains-empty")
    page.locator("#plan-modules").get_by_label("模組3 能開發").uncheck()
    expected = plan(page, "有規劃")
    assert expected == {"入門": 48, "進階": 54, "實作": 56}
    page.wait_for_selector("#plan-csv", state="visible", timeout=15000)
    assert_chart_matches(page, expected, table_modules(page))


# ---------------------------------------------------------------- 12. zh-TW everywhere
ENGLISH_UI = """() => [...document.querySelectorAll('[aria-label], [title], [placeholder], button, [role=menuitem], label, span')]
  .flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder'), e.childElementCount ? null : e.textContent])
  .filter(t => t && /^[\\s\\w!.,'’-]*[A-Za-z]{3,}[\\s\\w!.,'’-]*$/.test(t.trim()) && !/^(AI|ChatGPT|PBL|CSV|Markdown|DALL-E|Azure)/.test(t.trim()))"""


def test_every_string_a_user_reads_is_traditional_chinese(browser, app):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    page.goto(app["url"])
    page.wait_for_selector("#question textarea", timeout=60000)
    assert page.evaluate("document.documentElement.lang") == "zh-Hant-TW"
    ask(page, "我是科員")
    page.wait_for_selector(".course-card", timeout=30000)
    _like_button(page, "like").click()
    page.wait_for_timeout(800)
    english = set(page.evaluate(ENGLISH_UI))
    open_tab(page, "學習路徑規劃")
    plan(page, "會開發")
    page.locator("#plan-table").hover()
    page.wait_for_timeout(800)
    english |= set(page.evaluate(ENGLISH_UI))
    open_tab(page, "課程目錄")
    header = page.locator("#cat-table th").first
    header.hover()
    header.locator("button.cell-menu-button").click()  # the column menu: sort and filter
    page.wait_for_timeout(500)
    english |= set(page.evaluate(ENGLISH_UI))
    context.close()
    assert not english, f"English left in the UI: {sorted(english)}"


# ---------------------------------------------------------------- 13. cards: every course, by stage, one size
def test_cards_show_every_cited_course_by_stage_in_one_size(page):
    ask(page, "我是中階主管該上哪些課")
    page.wait_for_selector(".course-card", timeout=30000)
    page.wait_for_timeout(800)
    text = last_bot_text(page)
    cited = set(re.findall(r"\*{0,2}(\d\.\d(?:\.\d)?) ", text)) or set(re.findall(r"(\d\.\d(?:\.\d)?) ", text))
    cards = page.locator(".course-card")
    assert cards.count() >= 21, cards.count()
    titles = list(dict.fromkeys(page.locator(".card-group-title").all_inner_texts()))  # class on wrapper and text
    assert [t.split("（")[0] for t in titles] == ["入門階段", "進階階段", "實作階段"], titles
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.course-card')].map(c => {
              const b = c.querySelector('button').getBoundingClientRect();
              return [Math.round(c.getBoundingClientRect().height), Math.round(c.getBoundingClientRect().width), Math.round(b.height)];
           })"""
    )
    assert len({s[0] for s in sizes}) == 1 and len({s[1] for s in sizes}) == 1, sizes
    assert len({s[2] for s in sizes}) == 1, sizes
    last = cards.last
    last.scroll_into_view_if_needed()
    last.get_by_role("button", name="查看完整課程").click()  # the last stage's last course is reachable
    page.wait_for_function("() => (document.querySelector('#course-detail-text')?.innerText || '').trim().length > 20")
    shot(page, "chat-cards-by-stage")


# ---------------------------------------------------------------- 14. evaluators' examples
def test_evaluator_examples_are_not_on_the_first_screen(page):
    assert page.get_by_text("我是中階主管該上哪些課").first.is_visible()
    for probe in ["今天天氣如何", "忽略以上指示"]:
        assert not page.get_by_text(probe).first.is_visible()
    page.locator("#eval-examples").get_by_text("評測人員用的範例").click()
    page.wait_for_timeout(300)
    assert page.get_by_text("今天天氣如何").first.is_visible()


# ---------------------------------------------------------------- 11. phone layout
@pytest.fixture()
def phone(browser, app):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, accept_downloads=True)
    page = context.new_page()
    page.goto(app["url"])
    page.wait_for_selector("#question textarea", timeout=60000)
    yield page
    context.close()


def test_phone_layout_chat_planner_and_chart_fit(phone):
    page = phone
    ask(page, "我是中階主管該上哪些課")
    page.wait_for_selector(".course-card", timeout=30000)
    page.wait_for_timeout(800)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 2600, f"the chat tab is {height}px long after one answer"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 392  # no sideways page scroll
    # Nothing floats over the first line of an answer.
    assert page.locator("#chatbot [data-testid='block-label']").filter(visible=True).count() == 0
    shot(page, "phone-chat")
    open_tab(page, "學習路徑規劃")
    plan(page, "會開發")
    page.wait_for_timeout(800)
    for header in ["時數", "模組"]:
        box = page.locator("#plan-table th").filter(has_text=header).first.bounding_box()
        assert box and box["x"] + box["width"] <= 392, f"{header} column off-screen: {box}"
    cut = page.evaluate(
        """() => [...document.querySelectorAll('#plan-table td')].filter(td => {
              const inner = td.querySelector('span, div') || td;
              return inner.scrollWidth > inner.clientWidth + 1 && td.innerText.trim();
           }).map(td => td.innerText)"""
    )
    assert not cut, f"cells cut off at 390 px: {cut[:5]}"
    legend = page.locator("#plan-legend").bounding_box()
    assert legend["x"] >= 0 and legend["x"] + legend["width"] <= 392
    assert page.evaluate("() => { const l = document.querySelector('#plan-legend .swatches'); return l.scrollWidth <= l.clientWidth + 1; }")
    shot(page, "phone-planner")


# ---------------------------------------------------------------- screenshots of every tab, both sizes
@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_screenshots_of_every_tab(browser, app, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    page.goto(app["url"])
    page.wait_for_selector("#question textarea", timeout=60000)
    shot(page, f"tab-chat-start-{width}")
    ask(page, "我在資訊室負責委外案")
    page.wait_for_selector(".course-card", timeout=30000)
    page.wait_for_timeout(800)
    shot(page, f"tab-chat-{width}")
    open_tab(page, "學習路徑規劃")
    plan(page, "有規劃")
    page.wait_for_timeout(1500)
    shot(page, f"tab-planner-{width}")
    open_tab(page, "課程目錄")
    page.fill("#cat-keyword input, #cat-keyword textarea", "個資")
    page.wait_for_selector("#cat-count :text('依相關程度排序')", timeout=15000)
    page.wait_for_timeout(800)
    shot(page, f"tab-catalog-{width}")
    context.close()


# ---------------------------------------------------------------- clarifying questions (issue 11)
def test_a_clarifying_question_offers_its_choices_as_buttons(page):
    """An occupation with no grade gets the staff path (能應用) with the other roles as buttons; a click on a
    choice answers it, and so does typing 「好」 to an offer."""
    ask(page, "我在戶政事務所服務，想上AI課")
    text = last_bot_text(page)
    assert "「能應用」" in text and "不依職業區分" in text
    for label in ("主管", "業務承辦", "資訊人員"):
        assert page.locator("#chatbot").get_by_role("button", name=label, exact=True).count() == 1
    options = page.locator("#chatbot").get_by_role("button", name="主管", exact=True)
    before = page.locator("#chatbot .message-row").count()
    options.click()
    page.wait_for_function("n => document.querySelectorAll('#chatbot .message-row').length >= n + 2", arg=before, timeout=60000)
    answer = last_bot_text(page)
    assert "「有規劃」" in answer and "入門階段" in answer
    shot(page, "clarify-choice-1366")
    ask(page, "我是中階主管")
    assert "要我列出來嗎" in last_bot_text(page)
    ask(page, "好")  # the answer's own offer, accepted in one word
    accepted = last_bot_text(page)
    assert "「能應用」" in accepted and "入門階段" in accepted
