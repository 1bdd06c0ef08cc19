"""Families found by blind set 28 after it was opened (tests in our own words, never the set's): 「X 有開課嗎」
asks whether a course on X exists, the contact address asked by its name, arithmetic and exam preparation
are out of scope, and 「那如果有N小時呢」 re-plans with another budget."""

from __future__ import annotations

from conftest import codes


def test_whether_a_course_on_a_subject_is_offered_is_a_topic_question(bot):
    answer = bot.ask("資料治理有開課嗎")
    assert answer.kind == "topic" and "4.2.3" in codes(answer)
    assert bot.ask("今年什麼時候開課").kind == "unanswerable"  # when classes run: the syllabus does not say


def test_the_contact_address_asked_by_name(bot):
    answer = bot.ask("想寄建議，請問聯絡信箱是哪個")
    assert "thliu@moda.gov.tw" in answer.answer and answer.citations == []


def test_arithmetic_and_exam_preparation_are_out_of_scope(bot):
    for question in ["15+27=?", "地方特考要準備哪些科目"]:
        answer = bot.ask(question)
        assert answer.refused and answer.citations == [], question


def test_another_budget_said_as_what_if_re_plans(bot):
    first = bot.ask("我是科員，今年可以上18小時")
    answer = bot.ask("那如果有30小時呢", [first])
    assert answer.kind == "role_path" and answer.role == "能應用" and sum(c.hours for c in answer.citations) <= 30
    assert sum(c.hours for c in answer.citations) > 18
