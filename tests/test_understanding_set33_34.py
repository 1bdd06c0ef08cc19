"""Families found by blind sets 33 and 34 and by the session-12 look at all earlier sets (tests in our
own words, never a set's): a topic answer shows a second course only when it is close to the best on
one signal at least."""

from __future__ import annotations

from conftest import codes


def test_a_course_weaker_on_both_signals_is_not_shown_beside_the_one_that_teaches_it(bot):
    answer = bot.ask("想用設計思維規劃新的便民服務，有課嗎")
    assert codes(answer) == ["7.2.1"]
