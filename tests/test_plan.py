"""Role paths and totals: computed from the corpus, honouring consolidation."""

import pytest

from corpus.plan import consolidate, expand, plain_sum, plan_for_role, total_hours


def test_module_4_once_is_36_hours_not_72(curriculum):
    module4 = [c for c in curriculum.courses if c.module == 4]
    assert plain_sum(module4) == 72
    assert total_hours(module4) == 36
    kept, consolidations = consolidate(module4)
    assert sorted(c.code for c in kept) == ["4.1.4", "4.2.4"]
    assert {c.course.code: [p.code for p in c.replaced] for c in consolidations} == {
        "4.1.4": ["4.1.1", "4.1.2", "4.1.3"],
        "4.2.4": ["4.2.1", "4.2.2", "4.2.3"],
    }


def test_parts_alone_are_not_consolidated(curriculum):
    parts = [curriculum.course(code) for code in ("4.1.1", "4.1.2")]
    assert total_hours(parts) == 12


@pytest.mark.parametrize("role", ["有規劃", "能應用", "會開發"])
def test_role_plan_totals_add_up(curriculum, role):
    plan = plan_for_role(curriculum, role)
    assert [s.stage for s in plan.stages] == ["入門", "進階", "實作"]
    for stage in plan.stages:
        assert stage.courses, stage.stage
        assert stage.hours == sum(c.hours for c in stage.courses)
    codes = [c.code for c in plan.courses]
    assert len(codes) == len(set(codes))
    assert plan.total_hours == sum(s.hours for s in plan.stages) == total_hours(plan.courses)
    assert plan.proposal


def test_split_consolidated_offers_the_parts_with_the_same_total(curriculum):
    whole = plan_for_role(curriculum, "有規劃")
    split = plan_for_role(curriculum, "有規劃", split_consolidated=True)
    assert "4.1.4" in [c.code for c in whole.courses]
    split_codes = [c.code for c in split.courses]
    assert "4.1.4" not in split_codes and {"4.1.1", "4.1.2", "4.1.3"} <= set(split_codes)
    assert split.total_hours == whole.total_hours  # 18 h = 3 × 6 h
    assert [c.code for c in expand(curriculum, [curriculum.course("4.2.4")])] == ["4.2.1", "4.2.2", "4.2.3"]


def test_stage_and_module_selection(curriculum):
    plan = plan_for_role(curriculum, "會開發", stages=["實作"], modules=[6])
    assert [s.stage for s in plan.stages] == ["實作"]
    assert [c.code for c in plan.courses] == ["6.1.1", "6.1.2", "6.2.1", "6.2.2"]
    assert plan.total_hours == 24


def test_every_course_is_reachable_from_some_role(curriculum):
    for course in curriculum.courses:
        assert curriculum.roles_of(course.code), course.code


def test_unknown_role(curriculum):
    with pytest.raises(KeyError):
        plan_for_role(curriculum, "會跳舞")


# ---------------------------------------------------------------- personal plans (issue 13)
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from corpus.plan import PlanInputError, credits_for  # noqa: E402


def plan_codes(plan):
    return [c.code for c in plan.courses]


def credit_map(plan):
    return {c.course.code: c for c in plan.credits}


def test_taken_courses_are_excluded_and_said_why(curriculum):
    plan = plan_for_role(curriculum, "能應用", taken=["1.1.1", "8.1.1"])
    assert "1.1.1" not in plan_codes(plan) and "8.1.1" not in plan_codes(plan)
    whole = plan_for_role(curriculum, "能應用")
    assert plan.total_hours == whole.total_hours - 12
    credits = credit_map(plan)
    assert credits["1.1.1"].kind == "taken" and credits["1.1.1"].on_path
    assert "您已上過" in credits["1.1.1"].why


def test_a_taken_course_off_the_path_changes_nothing_but_is_listed(curriculum):
    plan = plan_for_role(curriculum, "能應用", taken=["3.1.4"])
    assert plan_codes(plan) == plan_codes(plan_for_role(curriculum, "能應用"))
    assert not credit_map(plan)["3.1.4"].on_path


def test_all_parts_taken_cover_the_consolidated_course(curriculum):
    plan = plan_for_role(curriculum, "有規劃", taken=["4.1.1", "4.1.2", "4.1.3"])
    assert not {"4.1.4", "4.1.1", "4.1.2", "4.1.3"} & set(plan_codes(plan))
    credit = credit_map(plan)["4.1.4"]
    assert credit.kind == "covered" and [c.code for c in credit.because] == ["4.1.1", "4.1.2", "4.1.3"]
    assert "視同完成" in credit.why and credit.on_path
    assert plan.total_hours == plan_for_role(curriculum, "有規劃").total_hours - 18


def test_the_consolidated_course_taken_covers_its_parts(curriculum):
    split = plan_for_role(curriculum, "有規劃", split_consolidated=True, taken=["4.1.4"])
    assert not {"4.1.1", "4.1.2", "4.1.3", "4.1.4"} & set(plan_codes(split))
    credits = credit_map(split)
    for part in ("4.1.1", "4.1.2", "4.1.3"):
        assert credits[part].kind == "covered" and credits[part].because[0].code == "4.1.4" and credits[part].on_path
    assert "4.2.1" in plan_codes(split)  # the other consolidation is untouched


def test_some_parts_taken_leave_the_rest_of_the_parts_not_the_whole_course(curriculum):
    plan = plan_for_role(curriculum, "有規劃", taken=["4.2.2"])
    codes = plan_codes(plan)
    assert "4.2.4" not in codes and "4.2.2" not in codes
    assert [c for c in codes if c.startswith("4.2.")] == ["4.2.1", "4.2.3"]
    assert plan.stages[0].stage == "入門" and {"4.2.1", "4.2.3"} <= {c.code for c in plan.stages[0].courses}
    credit = credit_map(plan)["4.2.4"]
    assert credit.kind == "partial" and [c.code for c in credit.remaining] == ["4.2.1", "4.2.3"]
    assert "只要補上 4.2.1、4.2.3（共 12 小時）" in credit.why
    assert plan.total_hours == plan_for_role(curriculum, "有規劃").total_hours - 18 + 12


def test_credits_both_ways_from_one_set(curriculum):
    taken = [curriculum.course(c) for c in ("4.1.1", "4.1.2", "4.1.3", "4.2.4")]
    credits = {(c.course.code, c.kind) for c in credits_for(curriculum, taken)}
    assert ("4.1.4", "covered") in credits
    assert {("4.2.1", "covered"), ("4.2.2", "covered"), ("4.2.3", "covered")} <= credits


def test_excluded_and_included_modules(curriculum):
    plan = plan_for_role(curriculum, "會開發", exclude_modules=[3])
    assert all(c.module != 3 for c in plan.courses)
    assert plan.total_hours == 180 - 90  # module 3 is 54 h of 進階 and 36 h of 實作
    only = plan_for_role(curriculum, "會開發", modules=[3, 6], exclude_modules=[6])
    assert {c.module for c in only.courses} == {3}


def test_a_budget_that_fits_exactly(curriculum):
    plan = plan_for_role(curriculum, "有規劃", budget=48)  # 入門 is 6 + 6 + 18 + 18
    assert plan_codes(plan) == ["1.1.1", "1.2.1", "4.1.4", "4.2.4"]
    assert plan.total_hours == 48 and plan.left_over == 0
    assert plan.later_hours == 158 - 48 and plan.later_courses[0].code == "5.1.1"
    assert plan.blocked.code == "5.1.1"


def test_a_budget_below_the_smallest_course(curriculum):
    plan = plan_for_role(curriculum, "能應用", budget=5)
    assert plan.courses == [] and plan.total_hours == 0
    assert plan.blocked.code == "1.1.1" and plan.left_over == 5
    assert plan.later_hours == 78


def test_a_budget_with_a_consolidated_choice(curriculum):
    plan = plan_for_role(curriculum, "有規劃", budget=20)
    assert plan_codes(plan) == ["1.1.1", "1.2.1"]  # 4.1.4 (18 h) is not split and nothing jumps ahead of it
    assert plan.total_hours == 12 and plan.left_over == 8
    assert plan.blocked.code == "4.1.4" and [c.code for c in plan.split_offer] == ["4.1.1"]
    split = plan_for_role(curriculum, "有規劃", budget=20, split_consolidated=True)
    assert plan_codes(split) == ["1.1.1", "1.2.1", "4.1.1"] and split.total_hours == 18
    assert split.split_offer == []  # already split


def test_the_offer_is_only_what_fits(curriculum):
    plan = plan_for_role(curriculum, "有規劃", budget=24)
    assert [c.code for c in plan.split_offer] == ["4.1.1", "4.1.2"]
    assert plan_for_role(curriculum, "有規劃", budget=12).split_offer == []  # nothing left


def test_multi_year_split_under_a_budget(curriculum):
    plan = plan_for_role(curriculum, "能應用", budget=40, years=2)
    assert [y.year for y in plan.years] == [1, 2]
    assert all(y.hours <= 40 for y in plan.years)
    first, second = ([c.code for c in y.courses] for y in plan.years)
    whole = plan_codes(plan_for_role(curriculum, "能應用"))
    assert first + second + [c.code for c in plan.later_courses] == whole  # path order kept across years
    assert plan.total_hours == sum(y.hours for y in plan.years) == 78 - plan.later_hours


def test_multi_year_without_a_budget_is_even_and_complete(curriculum):
    plan = plan_for_role(curriculum, "有規劃", years=2)
    assert plan.later_courses == [] and plan.total_hours == 158
    assert max(y.hours for y in plan.years) == plan.year_capacity <= 158 // 2 + 18
    three = plan_for_role(curriculum, "會開發", years=3)
    assert len(three.years) == 3 and three.total_hours == 180 and not three.later_courses


def test_multi_year_splits_a_consolidated_course_larger_than_a_year(curriculum):
    plan = plan_for_role(curriculum, "有規劃", budget=12, years=3)
    assert [c.code for c in plan.split_applied] == ["4.1.4", "4.2.4"]
    assert [[c.code for c in y.courses] for y in plan.years] == [["1.1.1", "1.2.1"], ["4.1.1", "4.1.2"], ["4.1.3", "4.2.1"]]


def test_a_cap_over_several_years_fills_in_path_order_then_spreads_evenly(curriculum):
    whole = plan_codes(plan_for_role(curriculum, "能應用"))
    roomy = plan_for_role(curriculum, "能應用", total_budget=100, years=2)  # the path is 78 h: all of it, two even years
    assert roomy.total_hours == 78 and not roomy.later_courses and [y.hours for y in roomy.years] == [42, 36]
    assert [c.code for y in roomy.years for c in y.courses] == whole
    tight = plan_for_role(curriculum, "能應用", total_budget=60, years=2)
    assert tight.total_hours == 60 and [y.hours for y in tight.years] == [30, 30]
    assert [c.code for y in tight.years for c in y.courses] + [c.code for c in tight.later_courses] == whole
    assert tight.total_budget == 60 and tight.budget is None and tight.limited and tight.average_hours == 30
    # a course is never split and never skipped: the cap stops at the first that does not fit
    lead = plan_for_role(curriculum, "有規劃", total_budget=100, years=3)
    assert lead.total_hours == 96 and lead.blocked.code == "2.2.1" and lead.left_over == 4
    assert lead.total_hours <= 100 and max(y.hours for y in lead.years) == lead.year_capacity


def test_a_cap_over_one_year_is_a_budget(curriculum):
    capped = plan_for_role(curriculum, "能應用", total_budget=30)
    budgeted = plan_for_role(curriculum, "能應用", budget=30)
    assert plan_codes(capped) == plan_codes(budgeted) and capped.total_hours == budgeted.total_hours == 30


def test_stage_constraint_with_taken_and_budget(curriculum):
    plan = plan_for_role(curriculum, "能應用", stages=["入門"], taken=["1.1.1"], budget=30)
    assert plan_codes(plan) == ["1.2.1", "4.2.2"] and plan.total_hours == 12 and plan.later_courses == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"budget": 0}, "時數預算"),
        ({"budget": -3}, "時數預算"),
        ({"years": 0}, "年數"),
        ({"years": 11}, "年數"),
        ({"total_budget": 0, "years": 2}, "總時數上限"),
        ({"total_budget": 40, "budget": 20, "years": 2}, "擇一"),
        ({"taken": ["9.9.9"]}, "沒有代碼為 9.9.9"),
        ({"exclude_modules": [9]}, "沒有模組 9"),
        ({"stages": ["高階"]}, "沒有「高階」這個階段"),
    ],
)
def test_bad_input_says_what_to_fix(curriculum, kwargs, message):
    with pytest.raises(PlanInputError, match=message):
        plan_for_role(curriculum, "有規劃", **kwargs)


ROLES = ["有規劃", "能應用", "會開發"]


@st.composite
def requests(draw, curriculum):
    codes = [c.code for c in curriculum.courses]
    return dict(
        role=draw(st.sampled_from(ROLES)),
        taken=draw(st.lists(st.sampled_from(codes), max_size=8, unique=True)),
        budget=(budget := draw(st.one_of(st.none(), st.integers(min_value=1, max_value=200)))),
        total_budget=None if budget is not None else draw(st.one_of(st.none(), st.integers(min_value=1, max_value=400))),
        years=draw(st.integers(min_value=1, max_value=4)),
        stages=draw(st.one_of(st.none(), st.lists(st.sampled_from(["入門", "進階", "實作"]), min_size=1, unique=True))),
        exclude_modules=draw(st.lists(st.integers(min_value=1, max_value=8), max_size=3, unique=True)),
        split_consolidated=draw(st.booleans()),
    )


@pytest.fixture(scope="module")
def request_strategy(curriculum):
    return requests(curriculum)


def test_properties_of_every_plan(curriculum, request_strategy):
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(request_strategy)
    def check(req):
        role = req.pop("role")
        plan = plan_for_role(curriculum, role, **req)
        codes = plan_codes(plan)
        assert len(codes) == len(set(codes))
        credited = {c.course.code for c in plan.credits if c.kind != "partial"}
        partly = {c.course.code for c in plan.credits if c.kind == "partial"}
        # never a taken or credited course, nor the whole of a partly taken consolidated course
        assert not set(codes) & (set(req["taken"]) | credited | partly)
        assert not set(plan_codes(plan)) & {c.code for c in plan.later_courses}
        assert not {c.code for c in plan.later_courses} & (set(req["taken"]) | credited)
        # the total is the sum after consolidation, and the stages add up to it
        assert plan.total_hours == total_hours(plan.courses) == sum(s.hours for s in plan.stages)
        assert all(c.module not in req["exclude_modules"] for c in plan.courses + plan.later_courses)
        if req["budget"] is not None:
            assert all(y.hours <= req["budget"] for y in plan.years)
            assert plan.total_hours <= req["budget"] * req["years"]
        if req["total_budget"] is not None:
            assert plan.total_hours <= req["total_budget"]
        if plan.years:
            assert sum(y.hours for y in plan.years) == plan.total_hours
            assert len(plan.years) == req["years"]
            # nothing lost: planned + later is the unbudgeted plan (consolidated courses may come as parts)
            unlimited = plan_for_role(curriculum, role, **{**req, "budget": None, "total_budget": None, "years": 1})
            assert plan.total_hours + plan.later_hours == unlimited.total_hours
            if plan.blocked is not None:
                assert plan.blocked.hours > plan.left_over
                assert sum(c.hours for c in plan.split_offer) <= plan.left_over

    check()
