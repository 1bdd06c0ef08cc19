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
