"""Personal-plan constraints said the way people say them, read in chat (real model and index).

Every answer must be the plan `corpus.plan.plan_for_role` gives for the right inputs, with its
total hours in the answer. The questions are written for these tests; none is copied from the
exemplars, the hand-written eval set or a blind set.
"""

import pytest

from assistant.core import Assistant
from assistant.understand import find_budget, find_excluded_modules, find_taken_all
from corpus.plan import plan_for_role


@pytest.fixture(scope="module")
def bot(curriculum, searcher):
    return Assistant(curriculum=curriculum, searcher=searcher, phraser=None)


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
