"""Families found by sealed blind set 35 after it was opened (tests in our own words, never the set's):
a minimum yearly load is not in the curriculum, 課程要怎麼上 after a goal is the path, the credit rule
asked of whoever took a consolidated course, the next stage after a year's stage was taken, a workplace
alone is no task, what a role does asked by someone who goes on about themself, and 偏政策規劃 as the
reply to 「which kind of work」."""

from __future__ import annotations

from conftest import codes


def test_a_minimum_yearly_load_is_not_in_the_curriculum(bot):
    answer = bot.ask("按規定每人每年至少要上幾小時AI課程")
    assert answer.kind == "unanswerable" and answer.citations == []


def test_how_to_take_the_courses_after_a_goal_is_the_path(bot):
    answer = bot.ask("我在地政事務所做測量，想往AI應用那邊發展，課程要怎麼上")
    assert answer.kind == "role_path"


def test_the_credit_rule_asked_of_whoever_took_a_consolidated_course(bot):
    answer = bot.ask("修過4.2.4的人還要再上4.2.1嗎")
    assert answer.kind == "course_detail" and {"4.2.4", "4.2.1"} <= set(codes(answer))
    assert "不必再上" in answer.answer or "擇一" in answer.answer


def test_the_year_after_a_stage_taken_is_the_next_stage(bot):
    first = bot.ask("我是委任書記")
    answer = bot.ask("第一年已經把入門上完，第二年該上什麼", [first])
    assert answer.kind == "role_path" and "8.1.1" in codes(answer) and "1.1.1" not in codes(answer)
    assert "8.1.2" not in codes(answer)


def test_a_workplace_alone_is_no_task(bot):
    answer = bot.ask("我是區公所民政課的課員 想學AI 有推薦的嗎")
    assert answer.kind == "role_path" and answer.role == "能應用"


def test_what_a_role_does_asked_by_someone_who_goes_on_about_themself(bot):
    answer = bot.ask("會開發是要會寫程式嗎？我們單位都外包")
    assert answer.kind == "document" and answer.citations == []
    assert "驗收" in answer.answer


def test_policy_planning_as_the_reply_about_the_work(bot):
    first = bot.ask("薦任九職等，想上AI課")
    answer = bot.ask("偏規劃，要帶整個科導入AI", [first])
    assert answer.kind == "role_path" and answer.role == "有規劃"
