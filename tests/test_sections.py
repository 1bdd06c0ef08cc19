"""The framework's sections: indexed in their own Chroma collection, retrieved, quoted and cited."""

from __future__ import annotations

import pytest

from assistant import Assistant
from corpus.sections import load_sections
from index.sections import section_records, sections_name
from index.store import current_version

# Per section: its key fact, and questions as users would type them (zh-TW, English, Simplified).
CASES = {
    "overview": ("三種角色 × 八大課程模組", ["這份文件的主題是什麼？", "What is this curriculum document about?", "这份课纲的主题是什么"]),
    "challenges": ("缺乏標準", ["當初為什麼要訂這套課綱", "What problems is this curriculum meant to solve?", "制定这套课纲是要解决什么问题"]),
    "standards": ("SFIA", ["課綱的職能標準是參考哪些國際標準", "Which competency standards is the framework aligned with?", "职能标准聚焦哪五大核心"]),
    "audience": ("機關AI訓練規劃參考", ["機關可以拿這份課綱來做什麼用途", "Where can an agency use this curriculum?", "这份课纲适用于哪些场域"]),
    "roles": ("以資訊處理職系為主", ["文件裡三種角色各自的定位是什麼", "How does the document describe the three roles?", "三种角色的定位分别是什么"]),
    "modules": ("彈性調整、組合與進階", ["八大模組可以依機關需要調整嗎", "Can agencies adjust or combine the modules?", "八大模块可以弹性调整吗"]),
    "path": ("入門 → 進階 → 實作", ["學習路徑的順序是怎麼安排的", "What sequence does the framework set for the learning path?", "学习路径的顺序是什么"]),
    "documents": ("附錄一", ["附錄一是什麼", "What are the related documents of this curriculum?", "附录一是什么文件"]),
    "contact": ("thliu@moda.gov.tw", ["對課程設計有建議要找誰", "Who is the contact window for suggestions?", "有建议要联络谁"]),
    "closing": ("規劃要定盤", ["課綱的結語寫了什麼", "What do the closing lines of the document say?", "课纲最后的结语是什么"]),
    "disclaimer": ("彈性調整教學內容", ["機關一定要照這份課綱上課嗎", "Does the document have a disclaimer?", "机关可以自行调整课程内容吗"]),
}


def test_every_section_has_cases():
    assert set(CASES) == {s.id for s in load_sections()}


@pytest.mark.parametrize("section_id", sorted(CASES))
def test_section_questions_retrieve_and_quote_their_section(bot, section_id):
    key, questions = CASES[section_id]
    for question in questions:
        answer = bot.ask(question)
        assert answer.citations == [], question  # a document answer cites no course
        assert answer.sources and answer.sources[0].id == section_id, (question, answer.kind, answer.sources)
        assert key in answer.answer, question
        title = answer.sources[0].title
        assert f"「{title}」" in answer.answer  # the answer names its source


def test_sections_live_in_their_own_chroma_collection(bot, chroma_client, searcher):
    version = current_version(chroma_client, sections_name(searcher.name))
    assert version and version.startswith(sections_name(searcher.name) + "-v")
    stored = chroma_client.get_collection(version, embedding_function=None).get(include=["metadatas", "documents"])
    expected = section_records()
    assert sorted(stored["ids"]) == sorted(expected.ids)
    assert all(m["kind"] == "section" for m in stored["metadatas"])
    for doc_id, document in zip(stored["ids"], stored["documents"]):
        section = next(s for s in load_sections() if s.id == doc_id)
        assert section.body in document  # the verbatim text is what was embedded
    # The course collection holds courses only: no section id, whatever the filter.
    courses = searcher.collection.get(include=[])["ids"]
    assert len(courses) == 41 and not set(courses) & set(expected.ids)


def test_course_questions_never_cite_a_section(bot):
    for question in ["3.1.4 幾小時", "有沒有教個資保護的課", "我是中階主管該上哪些課", "模組4總共幾小時", "比較4.1.4和4.1.1"]:
        answer = bot.ask(question)
        assert answer.citations and answer.sources == [], question


def test_role_and_module_lists_name_their_sections(bot):
    roles = bot.ask("課綱有哪三種角色")
    assert [s.id for s in roles.sources] == ["roles", "path"] and "出處" in roles.answer
    modules = bot.ask("八大模組有哪些")
    assert [s.id for s in modules.sources] == ["modules"]
    assert "註：模組可依機關業務與技術變化彈性調整、組合與進階。" in modules.answer


def test_why_questions_say_when_the_document_gives_no_reason(bot):
    given = bot.ask("為什麼要分成三種角色")
    assert given.kind == "document" and "說明了理由" in given.answer and "精準回應不同層級與職能需求" in given.answer
    none = bot.ask("為什麼課程是6小時")
    assert none.kind == "document" and none.citations == [] and "課綱沒有說明這一點的理由" in none.answer


def test_the_seed_typo_in_4_2_4_is_never_shown_alone(bot, curriculum):
    course = curriculum.course("4.2.4")
    assert course.goals[0].startswith("將4.1.1-4.1.3整併")  # verbatim in the data
    note = "本課實際整併的是 4.2.1–4.2.3"
    assert note in course.shown_goals[0]
    assert curriculum.course("4.1.4").shown_goals == curriculum.course("4.1.4").goals  # its range is right
    assert all(c.shown_goals == c.goals for c in curriculum.courses if c.code != "4.2.4")
    for question in ["4.2.4 的訓練目標是什麼", "比較4.2.4和4.1.4"]:
        answer = bot.ask(question)
        assert "4.1.1-4.1.3" in answer.answer and note in answer.answer, question


def test_the_typo_note_follows_the_data_not_the_code(curriculum):
    """A goal whose stated range matches what the course replaces carries no note; one that does not, does."""
    fixed = curriculum.course("4.2.4").model_copy(update={"goals": ["將4.2.1-4.2.3整併為一門完整課程。"]})
    assert fixed.shown_goals == fixed.goals
    wrong = curriculum.course("4.1.4").model_copy(update={"goals": ["將4.2.1-4.2.3整併為一門完整課程。"]})
    assert "本課實際整併的是 4.1.1–4.1.3" in wrong.shown_goals[0]
