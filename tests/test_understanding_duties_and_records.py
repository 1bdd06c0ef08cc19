"""Families found by blind sets 26 and 27 (tests in our own words, never the sets'): daily work described
while the path is asked for is who the user is, not a task to find courses for; a goal for AI still is;
someone's learning records are not in the curriculum."""

from __future__ import annotations

import pytest

from corpus.plan import plan_for_role
from conftest import codes


@pytest.mark.parametrize(
    "question",
    ["我是圖書館館員，平常辦推廣活動跟寫新聞稿，AI課要怎麼選", "我在稅捐處服務台，每天回答民眾問題、整理資料，AI課程要怎麼選"],
)
def test_daily_work_with_the_path_asked_gets_the_path(bot, question):
    answer = bot.ask(question)
    assert answer.kind == "role_path" and answer.role == "能應用", answer.answer[:120]


def test_a_goal_for_ai_still_gets_the_courses_that_teach_it(bot):
    answer = bot.ask("我是區公所課員，想用AI整理會議紀錄，該上哪些課")
    assert answer.kind == "topic" and "8.1.1" in codes(answer)


@pytest.mark.parametrize("question", ["可以幫我查科長上過哪幾門課嗎", "我的研習紀錄去哪看"])
def test_learning_records_are_not_in_the_curriculum(bot, question):
    answer = bot.ask(question)
    assert answer.kind == "unanswerable" and answer.citations == []


def test_a_teaching_method_no_course_uses_is_said_to_be_absent(bot, curriculum):
    answer = bot.ask("有採用問題導向教學法的課嗎")
    assert answer.citations == [] and "沒有「問題導向教學」" in answer.answer
    assert all(m in answer.answer for m in curriculum.courses[0].methods)  # and the methods that are used


def test_a_role_said_to_be_for_the_wrong_grade_is_corrected(bot, curriculum):
    answer = bot.ask("課綱說有規劃是給基層用的，沒錯吧")
    assert answer.answer.startswith("不對") and curriculum.role("有規劃").description in answer.answer


def test_a_faint_out_of_scope_guess_is_searched_not_refused():
    """Below refuse_floor the classifier's "out of scope" is a guess: retrieval evidence decides instead."""
    from assistant.decide import decide
    from assistant.models import Query
    from nlu.thresholds import thresholds

    floor = thresholds().intent.refuse_floor
    faint = Query(text="廠商的模型精確度怎麼看", kind="topic", topic="廠商 模型精確度", intent="out_of_scope", confidence=floor - 0.05, runner_up="document", margin=0.02)
    assert decide(faint).kind == "topic"
    sure_enough = faint.model_copy(update={"confidence": floor + 0.05, "kind": "topic"})
    assert decide(sure_enough).kind == "out_of_scope"


def test_a_course_held_by_a_consolidated_course_taken_is_not_needed(bot):
    answer = bot.ask("我走能應用，去年已經修完4.1.4，4.1.2還要再修嗎")
    assert answer.answer.startswith("不用再上") and set(codes(answer)) == {"4.1.2", "4.1.4"}


def test_the_nth_stage_after_a_path_is_that_stage(bot, curriculum):
    path = bot.ask("會開發的學習路徑")
    answer = bot.ask("第三個階段總共幾小時", [path])
    stage = plan_for_role(curriculum, "會開發", stages=["實作"])
    assert answer.role == "會開發" and f"合計 {stage.total_hours} 小時" in answer.answer and "實作" in answer.answer


def test_a_field_asked_with_arrangements_mentioned_is_answered(bot, curriculum):
    answer = bot.ask("4.1.4 的大綱是什麼？我要先找講師")
    assert codes(answer) == ["4.1.4"] and curriculum.course("4.1.4").outline[0] in answer.answer and "開課安排課綱沒有寫" in answer.answer


def test_a_school_principal_heads_an_agency(bot):
    answer = bot.ask("我是高中校長，AI課該上哪些")
    assert answer.kind == "role_path" and answer.role == "有規劃"


def test_working_alone_after_a_two_role_answer_picks_the_other_role(bot):
    first = bot.ask("我是國中的主任，AI課要上哪些")
    assert first.role == "有規劃"
    answer = bot.ask("我比較偏自己做事，沒帶人", [first])
    assert answer.kind == "role_path" and answer.role == "能應用"


def test_why_a_part_of_a_consolidated_course_is_not_on_a_path(bot):
    answer = bot.ask("有規劃的路徑為什麼沒有4.2.2")
    assert set(codes(answer)) == {"4.2.2", "4.2.4"} and "整併了它的 **4.2.4" in answer.answer


def test_a_course_off_the_path_names_what_the_path_has_from_its_module(bot, curriculum):
    answer = bot.ask("能應用的路徑裡面有4.2.3嗎")
    on_path = [c for stage in curriculum.role_paths.paths["能應用"].values() for c in stage if c.startswith("4.")]
    assert answer.answer.startswith("沒有") and all(c in answer.answer for c in on_path)
