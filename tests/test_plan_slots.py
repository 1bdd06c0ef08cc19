"""Personal-plan constraints said the way people say them, read in chat (real model and index).

Every answer must be the plan `corpus.plan.plan_for_role` gives for the right inputs, with its
total hours in the answer. The questions are written for these tests; none is copied from the
exemplars, the hand-written eval set or a blind set.
"""

import pytest

from assistant.understand import find_budget, find_excluded_modules, find_taken_all
from corpus.plan import plan_for_role


def ask(bot, turns):
    history = []
    for turn in [turns] if isinstance(turns, str) else turns:
        history.append(bot.ask(turn, history))
    return history[-1]


def path_codes(curriculum, role, stage=None, module=None):
    stages = curriculum.role_paths.paths[role]
    codes = [code for name, codes in stages.items() if stage in (None, name) for code in codes]
    return [c for c in codes if module is None or curriculum.course_map[c].module == module]


def assert_plan(answer, curriculum, role, **inputs):
    plan = plan_for_role(curriculum, role, **inputs)
    assert answer.kind == "role_path", answer.answer
    assert answer.role == role
    assert [c.code for c in answer.citations] == [c.code for c in plan.courses], answer.answer
    assert answer.total_hours == plan.total_hours
    assert f"{plan.total_hours} 小時" in answer.answer
    return plan


# ------------------------------------------------------------ 1. taken, named by course name (and code)
@pytest.mark.parametrize(
    "turns, role, taken",
    [
        ("我是業務承辦，AI素養和倫理跟8.1.1都修過了", "能應用", ["1.1.1", "8.1.1"]),
        ("我是科員，上過素養與倫理那門和資料隱私與保護法規", "能應用", ["1.1.1", "4.2.2"]),
        ("我是主管，AI技術趨勢與應用場景介紹跟4.2.4都已經上完了", "有規劃", ["1.2.1", "4.2.4"]),
        ("I'm a clerk. I already took AI素養與倫理 and 1.2.1, what's left?", "能應用", ["1.1.1", "1.2.1"]),
    ],
)
def test_taken_by_course_name_and_code(bot, curriculum, turns, role, taken):
    answer = ask(bot, turns)
    plan = assert_plan(answer, curriculum, role, taken=taken)
    assert "已上過的課與抵免" in answer.answer and all(f"{c.code} {c.name}" in answer.answer for c in plan.taken)


# ------------------------------------------------------------ 2. taken, a whole stage or module
@pytest.mark.parametrize(
    "turns, role, stage, module",
    [
        (["我是一般科員", "入門的課都上完了"], "能應用", "入門", None),
        ("我是科長，入門的課已經全部上完了，接下來呢", "有規劃", "入門", None),
        ("我是資訊處的程式設計師，初階課程都修畢了", "會開發", "入門", None),
        ("I am an IT engineer and I finished the beginner courses, what remains?", "會開發", "入門", None),
        ("我是承辦人，用AI模組的課我都上過了", "能應用", None, 8),
        (["我是承辦", "模組8的課都學過了，還剩多少小時"], "能應用", None, 8),
        ("我是主管，模組七領創新那些都上過了，還要上什麼", "有規劃", None, 7),
    ],
)
def test_taken_by_stage_or_module(bot, curriculum, turns, role, stage, module):
    answer = ask(bot, turns)
    taken = path_codes(curriculum, role, stage=stage) if stage else path_codes(curriculum, role, module=module)
    plan = assert_plan(answer, curriculum, role, taken=taken)
    assert plan.taken and all(c.on_path for c in plan.credits)
    if stage:
        assert not [c for s in plan.stages if s.stage == stage for c in s.courses]  # the later stages are what is left
        assert "這個階段的課您都已上過" in answer.answer


# ------------------------------------------------------------ 3. modules left out, with words between
@pytest.mark.parametrize(
    "turns, role, exclude, stages",
    [
        ("我是工程師，模組6快優化我們單位內部已經辦過了，想跳過", "會開發", [6], None),
        ("我是資訊人員，快優化的課我們單位內部辦過了，不需要", "會開發", [6], None),
        ("我是承辦，用AI那些工具課用不到，跳過的話要幾小時", "能應用", [8], None),
        ("我是科長，模組4那兩門18小時的太長了先不上，入門還剩什麼", "有規劃", [4], ["入門"]),
        ("我是主管，模組5和模組7先不考慮，入門加進階要幾小時", "有規劃", [5, 7], ["入門", "進階"]),
        ("I'm an IT officer; skip module 6, how many hours is the path?", "會開發", [6], None),
    ],
)
def test_modules_left_out(bot, curriculum, turns, role, exclude, stages):
    answer = ask(bot, turns)
    assert_plan(answer, curriculum, role, exclude_modules=exclude, stages=stages)
    assert "不含" + "、".join(curriculum.module(m).label for m in exclude) in answer.answer


# ------------------------------------------------------------ 4. budgets, said many ways
@pytest.mark.parametrize(
    "turns, role, budget, stages",
    [
        ("我是承辦，進階的課今年只排得出40小時", "能應用", 40, ["進階"]),
        (["我是承辦", "這學期剩12小時"], "能應用", 12, None),
        (["我是主管", "還可以上30小時"], "有規劃", 30, None),
        ("我是主管，今年能上的時數大概三十", "有規劃", 30, None),
        ("我是資訊室的，明年只擠得出24小時", "會開發", 24, None),
        ("I'm a section chief and I only have 40 hours this year", "有規劃", 40, None),
    ],
)
def test_budgets(bot, curriculum, turns, role, budget, stages):
    answer = ask(bot, turns)
    assert_plan(answer, curriculum, role, budget=budget, stages=stages)
    assert f"{budget} 小時" in answer.answer


# ------------------------------------------------------------ 5. what is left, after taken courses
@pytest.mark.parametrize(
    "turns, role, taken",
    [
        (["我是承辦，上過1.1.1", "還剩多少小時"], "能應用", ["1.1.1"]),
        (["我是承辦，上過1.1.1", "剩下的呢"], "能應用", ["1.1.1"]),
        (["我是主管，8.1.1跟8.1.2修過了", "接下來上什麼"], "有規劃", ["8.1.1", "8.1.2"]),
        (["I'm a clerk and I have taken 1.2.1", "what's left?"], "能應用", ["1.2.1"]),
    ],
)
def test_what_is_left_after_taken_courses(bot, curriculum, turns, role, taken):
    answer = ask(bot, turns)
    assert_plan(answer, curriculum, role, taken=taken)
    assert "扣掉已上過的課" in answer.answer


# ------------------------------------------------------------ 6. a job title and constraints in one message
@pytest.mark.parametrize(
    "turns, role, inputs",
    [
        ("主任秘書，模組8那些工具課用不到，跳過的話整條路徑要幾小時", "有規劃", {"exclude_modules": [8]}),
        ("資訊室工程師，入門都修完了", "會開發", {"taken": "入門"}),
        ("股長，1.2.1上過了，今年只剩18小時", "有規劃", {"taken": ["1.2.1"], "budget": 18}),
        ("委任科員，用AI的課不需要", "能應用", {"exclude_modules": [8]}),
    ],
)
def test_a_title_with_constraints_is_a_personal_plan(bot, curriculum, turns, role, inputs):
    if inputs.get("taken") == "入門":
        inputs = {**inputs, "taken": path_codes(curriculum, role, stage="入門")}
    assert_plan(ask(bot, turns), curriculum, role, **inputs)


# ------------------------------------------------------------ not plans
def test_course_size_and_course_questions_are_not_plans(bot):
    small = bot.ask("6小時以下的課")
    assert small.kind == "filter" and all(c.hours <= 6 for c in small.citations) and "預算" not in small.answer
    this_year = bot.ask("今年有哪些12小時以上的課")
    assert this_year.kind == "filter" and all(c.hours >= 12 for c in this_year.citations)
    someone = bot.ask("4.1.1上過的人還要上4.1.4嗎")
    assert someone.kind == "course_detail" and "4.1.4" in [c.code for c in someone.citations]
    assert "已上過的課與抵免" not in someone.answer


def test_slot_reading_leaves_conditions_and_questions_alone(curriculum):
    assert find_taken_all("入門全部上完要多久", curriculum) == ([], [], [])
    assert find_taken_all("我是承辦，入門上完要幾小時", curriculum) == ([], [], [])
    assert find_taken_all("入門的1.1.1上過了", curriculum) == (["1.1.1"], [], [])  # the stage only says where
    assert find_excluded_modules("模組3要不要上", curriculum) == []
    assert find_excluded_modules("我是工程師，模組3的課我怕跟不上", curriculum) == []
    assert find_excluded_modules("我是主管，想用ai寫公文，不需要寫程式", curriculum) == []
    assert find_excluded_modules("模組3要上，但不要太難", curriculum) == []
    assert find_budget("最多 6 小時的課") == (None, False)
    assert find_budget("剩下6小時以內的課") == (None, False)
    assert find_budget("今年的時數大概二十四") == (24, True)


# ------------------------------------------------------------ 7. budgets: unrelated words first, caps over years, per year, per month
@pytest.mark.parametrize(
    "turns, role, inputs",
    [
        ("我是科長，今年公文量很大，頂多只能排出30小時", "有規劃", {"budget": 30}),
        (["我是承辦", "下半年開會很多，最多只擠得出18小時"], "能應用", {"budget": 18}),
        ("我是承辦，三年之內訓練時數上限是60小時，怎麼排", "能應用", {"total_budget": 60, "years": 3}),
        ("我是科長，兩年加起來最多100小時", "有規劃", {"total_budget": 100, "years": 2}),
        ("我是主管，每年排24小時，連續三年", "有規劃", {"budget": 24, "years": 3}),
        ("我是承辦，三年內每年最多20小時", "能應用", {"budget": 20, "years": 3}),
    ],
)
def test_budgets_over_one_or_several_years(bot, curriculum, turns, role, inputs):
    answer = ask(bot, turns)
    plan = assert_plan(answer, curriculum, role, **inputs)
    if inputs.get("years", 1) > 1:
        assert len(plan.years) == inputs["years"] and all(f"第 {y.year} 年（{y.hours} 小時）" in answer.answer for y in plan.years)
    if "total_budget" in inputs:  # a cap for all the years: the total and the per-year average are said
        assert f"合計上限 {inputs['total_budget']} 小時" in answer.answer
        assert f"{plan.total_hours} ÷ {inputs['years']}" in answer.answer
        assert f"total={inputs['total_budget']}" in answer.answer  # the planner link carries the same cap


@pytest.mark.parametrize(
    "turns, role, budget, years, said",
    [
        ("我是承辦，每個月頂多4小時，只剩一年", "能應用", 48, 1, "每月 4 小時 × 12 個月 = 48 小時"),
        ("我是承辦，剩半年，每個月大概3小時", "能應用", 18, 1, "每月 3 小時 × 6 個月 = 18 小時"),
        ("我是主管，每月可以排5小時上課", "有規劃", 60, 1, "沒有說要排多久，先以一年計"),
        ("我是主管，接下來兩年每個月撥出4小時上課", "有規劃", 48, 2, "當作每年的預算"),
    ],
)
def test_a_budget_a_month(bot, curriculum, turns, role, budget, years, said):
    answer = ask(bot, turns)
    assert_plan(answer, curriculum, role, budget=budget, years=years)
    assert said in answer.answer


# ------------------------------------------------------------ 8. years asked as an average
@pytest.mark.parametrize(
    "turns, role, years",
    [
        ("我是承辦，想把能應用路徑分三年上完，平均每年要排多少小時", "能應用", 3),
        ("我是科長，打算用兩年修完，一年大概要上幾小時", "有規劃", 2),
        (["我是資訊室工程師", "如果分四年上完，平均一年幾小時"], "會開發", 4),
    ],
)
def test_years_with_the_average_a_year(bot, curriculum, turns, role, years):
    answer = ask(bot, turns)
    plan = assert_plan(answer, curriculum, role, years=years)
    average = plan.total_hours / years
    figure = str(int(average)) if average.is_integer() else f"約 {average:.1f}"
    assert f"共 {plan.total_hours} 小時，平均每年 {plan.total_hours} ÷ {years} = {figure} 小時" in answer.answer


# ------------------------------------------------------------ 9. stages chosen by leaving some out
@pytest.mark.parametrize(
    "turns, role, stages",
    [
        ("我是主管，入門和進階我都會了，只想上實作階段", "有規劃", ["實作"]),
        ("我是承辦，入門那些我早就懂了，進階跟實作要幾小時", "能應用", ["進階", "實作"]),
        ("我是主管，實作階段明年再說先不排，入門加進階總共幾小時", "有規劃", ["入門", "進階"]),
        ("我是工程師，跳過入門，其他階段排一下", "會開發", ["進階", "實作"]),
    ],
)
def test_stages_left_out_or_known(bot, curriculum, turns, role, stages):
    answer = ask(bot, turns)
    plan = assert_plan(answer, curriculum, role, stages=stages)
    assert [s.stage for s in plan.stages] == stages
    assert f"只排{'、'.join(stages)}階段" in answer.answer


# ------------------------------------------------------------ 10. modules covered another way: left out
@pytest.mark.parametrize(
    "turns, role, exclude",
    [
        ("我是承辦，模組8那些生成式工具的課我交給助理去學就好", "能應用", [8]),
        ("我是主管，模組7的幾門課我們處裡自己有辦", "有規劃", [7]),
        ("我是承辦，模組8我已經自己學會了，不用排", "能應用", [8]),
        ("我是工程師，模組6我在前一個單位自學過，不必排", "會開發", [6]),
    ],
)
def test_modules_covered_another_way_are_left_out(bot, curriculum, turns, role, exclude):
    answer = ask(bot, turns)
    assert_plan(answer, curriculum, role, exclude_modules=exclude)
    assert "不含" + "、".join(curriculum.module(m).label for m in exclude) in answer.answer
    assert "已上過的課與抵免" not in answer.answer  # left out, not credited as taken


# ------------------------------------------------------------ 11. another role's whole path taken
@pytest.mark.parametrize(
    "turns, role, done",
    [
        ("我是科長，能應用那條路徑的課我都修完了，現在想改走有規劃，還差哪些", "有規劃", "能應用"),
        ("有規劃的課程我全部上過了，想轉會開發，還要上什麼", "會開發", "有規劃"),
    ],
)
def test_another_roles_path_taken(bot, curriculum, turns, role, done):
    answer = ask(bot, turns)
    plan = assert_plan(answer, curriculum, role, taken=path_codes(curriculum, done))
    assert "扣掉已上過的課" in answer.answer and plan.credits


# ------------------------------------------------------------ 12. taken said of the courses named just before
@pytest.mark.parametrize(
    "turns, role, taken",
    [
        ("我是科長。4.1.1、4.1.2和4.1.3，這三門我去年分開上完了，還要幾小時", "有規劃", ["4.1.1", "4.1.2", "4.1.3"]),
        ("我是股長，1.1.1跟1.2.1，這兩門都上過了，剩下的總共幾小時", "有規劃", ["1.1.1", "1.2.1"]),
    ],
)
def test_taken_said_of_the_courses_before(bot, curriculum, turns, role, taken):
    answer = ask(bot, turns)
    plan = assert_plan(answer, curriculum, role, taken=taken)
    assert not plan.split_consolidated  # how they were taken, not a wish to split
    if taken[0] == "4.1.1":
        assert any(c.course.code == "4.1.4" and c.kind == "covered" for c in plan.credits)
        assert "4.1.4" in answer.answer and "視同完成" in answer.answer
    assert f"合計 **{plan.total_hours} 小時**" in answer.answer


def test_new_slot_readers_leave_other_questions_alone(curriculum):
    from assistant.understand import find_skipped_stages, find_split, find_taken_roles, find_years, read_budget

    assert find_skipped_stages("入門的課不要太難") == []
    assert find_skipped_stages("進階要不要上") == []
    assert find_years("三年前上過1.1.1") == 1 and find_years("連續三年") == 3 and find_years("兩年加起來最多100小時") == 2 and find_years("over 3 years") == 3
    assert find_taken_roles("能應用的我上過1.1.1了", curriculum) == []
    assert find_split("4.1.4分開上要幾小時") and not find_split("這三門我分開上完了")
    assert read_budget("最多 6 小時的課", 1)[0] is None
    assert read_budget("分三年，今年只有20小時", 3)[:3] == (20, True, False)  # a year's budget, said of this year
    assert read_budget("三年內時數上限是60小時，平均一年幾小時", 3)[:3] == (60, True, True)
