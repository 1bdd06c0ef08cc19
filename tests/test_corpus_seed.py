"""The curated corpus matches the seed's 附錄二 table on every code, name and hours."""

from corpus.seed import parse_seed_table


def test_seed_table_has_41_courses(seed_path):
    rows = parse_seed_table(seed_path)
    assert len(rows) == 41
    assert len({r.code for r in rows}) == 41


def test_corpus_matches_seed_row_by_row(seed_path, curriculum):
    rows = parse_seed_table(seed_path)
    by_code = curriculum.course_map
    assert [r.code for r in rows] == [c.code for c in curriculum.courses]
    for row in rows:
        course = by_code[row.code]
        assert course.name == row.name, row.code
        assert course.hours == row.hours, row.code
        assert course.module == row.module, row.code
        assert course.unit_code == row.unit_code, row.code
        assert course.unit_name == row.unit_name, row.code
        assert course.level == row.level, row.code
        module = curriculum.module(row.module)
        assert row.module_name in [module.name, *module.aliases], row.code


def test_outline_goals_and_methods_come_from_the_seed_text(seed_path, curriculum):
    """Every list item is a verbatim piece of the seed's cell (spaces aside)."""
    squash = lambda text: "".join(text.split())  # noqa: E731
    for row in parse_seed_table(seed_path):
        course = curriculum.course(row.code)
        for field, cell in (("goals", row.goals), ("outline", row.outline), ("methods", row.methods)):
            items = getattr(course, field)
            assert items, (row.code, field)
            for item in items:
                assert squash(item) in squash(cell), (row.code, field, item)


def test_seed_quirks_are_recorded(curriculum):
    assert curriculum.course("5.3").name == "AI策略與政策研習"
    assert curriculum.course("5.3").notes
    assert curriculum.course("4.1.4").replaces == ["4.1.1", "4.1.2", "4.1.3"]
    assert curriculum.course("4.2.4").replaces == ["4.2.1", "4.2.2", "4.2.3"]
    assert any("4.1.1-4.1.3" in note for note in curriculum.course("4.2.4").notes)
    module5 = curriculum.module(5)
    assert module5.name == "訂策略" and module5.aliases == ["定策略"]
    assert curriculum.role_paths.proposal is True


def test_grades_map_to_roles_as_the_seed_says(curriculum):
    grades = {g.name: g.roles for g in curriculum.grades}
    assert grades == {"高階": ["有規劃"], "中階": ["有規劃", "能應用"], "基層": ["能應用"], "資訊職系": ["會開發"]}
    assert [s.name for s in curriculum.stages] == ["入門", "進階", "實作"]
