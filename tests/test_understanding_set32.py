"""Families found by sealed blind set 32 after it was opened (tests in our own words, never the set's):
our own writing asked of us is out of scope whoever asks, a plan for colleagues whose work is not said
is asked about, 「先上哪些」 with a budget plans the budget, a reply confirming the role the answer
used, 課程怎麼規劃 with a goal gets the path, picture-making and audit words, and whether a training
institute runs the courses."""

from __future__ import annotations

from conftest import codes


def test_our_own_writing_asked_of_us_is_out_of_scope(bot):
    answer = bot.ask("幫我寫上週生成式AI研習的心得，500字就好")
    assert answer.refused and answer.citations == []


def test_a_plan_for_colleagues_whose_work_is_not_said_is_asked_about(bot):
    answer = bot.ask("想替組員規劃AI課程，要怎麼排")
    assert answer.kind == "clarify" and answer.citations == []


def test_first_courses_with_a_budget_fill_the_budget(bot):
    first = bot.ask("我是地政事務所的課員")
    answer = bot.ask("今年大概24小時，先上哪幾門", [first])
    assert answer.kind == "role_path" and sum(c.hours for c in answer.citations) == 24
    assert "8.1.1" in codes(answer)


def test_a_reply_confirming_the_role_already_used_shows_its_path(bot):
    first = bot.ask("我是衛生局的專員")
    assert first.role == "能應用"
    answer = bot.ask("對，我是一般承辦", [first])
    assert answer.kind == "role_path" and answer.role == "能應用"


def test_a_goal_with_how_to_plan_the_courses_gets_the_path(bot):
    answer = bot.ask("我是清潔隊的隊員，想用AI排收運路線，課程該怎麼規劃")
    assert answer.kind == "role_path" and answer.role == "能應用"


def test_picture_words_find_the_image_course(bot):
    answer = bot.ask("要做活動手冊，想用AI產生插圖跟介紹文字，哪些課有教")
    assert "8.2.3" in codes(answer)


def test_whether_an_institute_runs_the_courses_is_not_in_the_syllabus(bot):
    answer = bot.ask("文官學院明年會開這些課嗎")
    assert answer.kind == "unanswerable" and answer.citations == []


def test_lifelong_learning_hours_asked_in_english_are_not_in_the_syllabus(bot):
    answer = bot.ask("Do these count toward my lifelong learning hours?")
    assert answer.kind == "unanswerable" and answer.citations == []


def test_a_module_number_past_eight_gets_the_eight_modules(bot):
    answer = bot.ask("模組12有哪些課")
    assert answer.kind == "list_modules" and "8 大課程模組" in answer.answer and answer.citations == []


def test_lifelong_learning_said_in_chinese_is_not_in_the_syllabus(bot):
    answer = bot.ask("上完能不能算終身學習")
    assert answer.kind == "unanswerable" and answer.citations == []
