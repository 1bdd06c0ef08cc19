"""A role path's figure asked for (hours, course count): the figure first, computed by the planner, citing
the courses it sums; the list on 「好」 or 「有哪些課」 (a personal plan is answered by the plan itself).
Found by blind set 27; the questions here are our own."""

from __future__ import annotations

from corpus.plan import plan_for_role
from conftest import codes


def test_a_paths_total_is_the_answer_not_its_courses(bot, curriculum):
    plan = plan_for_role(curriculum, "會開發")
    answer = bot.ask("會開發這條路線全部加起來要幾個小時")
    assert answer.kind == "role_path" and answer.role == "會開發" and answer.answer.startswith("「會開發」建議路徑共")
    assert f"{len(plan.courses)} 門課、合計 {plan.total_hours} 小時" in answer.answer and codes(answer) == [c.code for c in plan.courses]


def test_a_wrong_figure_is_corrected(bot, curriculum):
    plan = plan_for_role(curriculum, "有規劃")
    answer = bot.ask("有規劃的路徑是160小時吧？對嗎")
    assert answer.answer.startswith("不對，不是 160 小時") and f"合計 {plan.total_hours} 小時" in answer.answer


def test_the_figure_follow_up_and_the_courses_on_request(bot, curriculum):
    first = bot.ask("能應用路徑一共多少小時")
    other = bot.ask("那會開發呢", [first])
    assert other.role == "會開發" and other.answer.startswith("「會開發」建議路徑共")
    assert f"合計 {plan_for_role(curriculum, '會開發').total_hours} 小時" in other.answer
    listed = bot.ask("好", [first])
    assert set(codes(listed)) == {c.code for c in plan_for_role(curriculum, "能應用").courses}
    asked = bot.ask("有哪些課", [first])
    assert set(codes(asked)) == set(codes(listed))


def test_the_courses_and_the_total_asked_together_list_the_courses(bot, curriculum):
    answer = bot.ask("能應用路徑有哪些課、共幾小時")
    assert set(codes(answer)) == {c.code for c in plan_for_role(curriculum, "能應用").courses}
