"""Hybrid retrieval on the real model and a real Chroma (in a temp dir)."""

import pytest
from langchain_core.retrievers import BaseRetriever

from index.retrieve import CourseRetriever, Filters
from index.store import build_index, current_version, index_status, pointer_name, versions_of
from retrieval_cases import CASES


def test_at_least_25_cases():
    assert len(CASES) >= 25


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[q for q, _ in CASES])
def test_expected_course_in_top_3(searcher, query, expected):
    top3 = [h.code for h in searcher.search(query, k=3)]
    assert expected & set(top3), (query, top3)


def test_hits_carry_corpus_facts(searcher, curriculum):
    for hit in searcher.search("生成式AI", k=10):
        course = curriculum.course(hit.code)
        assert (hit.name, hit.hours, hit.module) == (course.name, course.hours, course.module)


def test_filters_module_hours_level(searcher, curriculum):
    hits = searcher.search("AI", k=50, filters=Filters(min_hours=12))
    assert hits and all(h.hours >= 12 for h in hits)
    assert {h.code for h in hits} == {c.code for c in curriculum.courses if c.hours >= 12}
    hits = searcher.search("模型", k=50, filters=Filters(modules=[3], level="進階"))
    assert {h.code for h in hits} == {"3.1.5", "3.2.2", "3.3.1"}
    assert searcher.search("AI", k=5, filters=Filters(max_hours=1)) == []


def test_filters_role_and_stage(searcher, curriculum):
    hits = searcher.search("課程", k=50, filters=Filters(role="會開發", stage="實作"))
    assert {h.code for h in hits} == set(curriculum.role_paths.paths["會開發"]["實作"])
    hits = searcher.search("生成式 AI", k=50, filters=Filters(role="能應用", max_hours=6))
    assert hits and all(h.hours <= 6 and "能應用" in curriculum.roles_of(h.code) for h in hits)
    with pytest.raises(ValueError, match="會跳舞"):
        searcher.search("x", filters=Filters(role="會跳舞"))


def test_simplified_query_finds_the_same_course(searcher):
    simplified = [h.code for h in searcher.search("怎么用ChatGPT写公文", k=3)]
    traditional = [h.code for h in searcher.search("怎麼用ChatGPT寫公文", k=3)]
    assert simplified[0] == traditional[0] == "8.1.1"


def test_langchain_retriever(searcher):
    retriever = CourseRetriever(searcher=searcher, k=3)
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke("要驗收廠商做的AI系統")
    assert len(documents) == 3
    assert documents[0].metadata["code"] == "3.1.4"
    assert "委外AI系統規格制定與驗收實務" in documents[0].page_content
    filtered = CourseRetriever(searcher=searcher, k=10, filters=Filters(modules=[8])).invoke("寫文案")
    assert filtered and all(d.metadata["module"] == 8 for d in filtered)


def test_collection_uses_our_embedding_function_never_chroma_default(searcher):
    assert searcher.collection.metadata["model"] == searcher.embeddings.name_or_path
    config = searcher.collection.configuration_json or {}
    assert config.get("embedding_function", {}).get("name") == "ai-advisor-e5"


def test_build_is_skipped_when_nothing_changed_and_redone_when_corpus_changes(curriculum, embeddings, chroma_client):
    name = "rebuild_check"
    first = build_index(curriculum, embeddings, client=chroma_client, name=name)
    again = build_index(curriculum, embeddings, client=chroma_client, name=name)
    assert first.rebuilt and not again.rebuilt and again.count == 41
    changed_course = curriculum.course("3.1.4").model_copy(update={"hours": 7})
    changed = curriculum.model_copy(
        update={"courses": [changed_course if c.code == "3.1.4" else c for c in curriculum.courses]}
    )
    assert index_status(changed, embeddings, client=chroma_client, name=name) == "stale"
    report = build_index(changed, embeddings, client=chroma_client, name=name)
    assert report.rebuilt
    stored = chroma_client.get_collection(report.collection).get(ids=["3.1.4"])["metadatas"][0]
    assert stored["hours"] == 7
    assert current_version(chroma_client, name) == report.collection
    for version in versions_of(chroma_client, name):
        chroma_client.delete_collection(version)
    chroma_client.delete_collection(pointer_name(name))


def test_empty_query_returns_nothing(searcher):
    assert searcher.search("   ", k=3) == []
