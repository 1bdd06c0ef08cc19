"""`Assistant.ask(question, history) -> Answer`: the one entry point every interface uses."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.runnables import RunnableGenerator, RunnableLambda

from assistant import compose
from assistant import vocabulary as V
from assistant.decide import decide, seeks_course
from assistant.followup import continue_plan, reply_to, resolve
from assistant.models import Answer, Citation, Context, Query, Source
from assistant.respond import Draft, Responder
from assistant.understand import parse
from corpus.load import CorpusError, dump_curriculum, load_curriculum, load_with_fallback, remember_last_good, write_atomically
from corpus.models import Curriculum
from corpus.settings import get_settings
from index.embedder import E5Embeddings, default_embeddings
from index.retrieve import HybridSearcher
from index.store import (
    content_hash,
    current_version,
    ensure_index,
    open_collection,
    records_for,
    reopen_client,
    reset_local_store,
    store_identity,
)

log = logging.getLogger(__name__)
_CONSOLIDATED_OF = re.compile(r"整併(版|的版本|後的|的那門|的課|課程)")
# 「那有沒有教這個的課」 after a refusal: the task just refused; what asked it of us is dropped.
_THIS_TASK = re.compile(r"這個|這種|這方面|這類|這件事")
_REQUEST_WORDS = re.compile(r"可以|能不能|能否|可不可以|請你|請|幫我|幫忙|替我|你|嗎|呢|吧|[?？。!！~～]")
# 「那我底下一般承辦的同仁呢」, 「那主管呢」 after a path: the same question for people of another kind.
_OTHERS_ASKED = re.compile(r"^(那|那麼|至於|換成|如果是)\s*(我|我們)?\s*(底下|下面|手下|單位|部門|科裡|局裡|處裡)?\s*(的)?")
_OTHERS_END = re.compile(r"(呢|咧|勒|的部分)?\s*[?？。]*$")
REPLAY_TURNS = 4  # plain-text history: re-read this many earlier questions for context

History = Sequence[Answer | str | dict] | None
FROM_SETTINGS: Any = object()  # phraser default: whatever ADVISOR_LLM says


PASS_THROUGH = ("help", "empty")  # answers that carry no context and do not reset it


class Assistant:
    """Loads the corpus, model and index once; answers many questions."""

    def __init__(
        self,
        curriculum: Curriculum | None = None,
        searcher: HybridSearcher | None = None,
        embeddings: E5Embeddings | None = None,
        phraser: Any = FROM_SETTINGS,
    ):
        self.corpus_warning: str | None = None
        if curriculum is None:
            curriculum, self.corpus_warning = load_with_fallback()
        self.curriculum = curriculum
        if searcher is None:
            embeddings = embeddings or default_embeddings()
            # Loading the model is most of start-up: do it while the index and BM25 are opened.
            loader = threading.Thread(target=embeddings.warm, name="model-loader", daemon=True)
            loader.start()
            client, report = ensure_index(self.curriculum, embeddings)  # no-op when current; rebuilds stale, missing or damaged
            if report.rebuilt:
                log.info("索引已重建（%d 門課）", report.count)
            searcher = HybridSearcher(self.curriculum, embeddings, client=client)
            loader.join()
            searcher.embeddings.embed_query("暖機")  # first inference is slower: not on the first question
        self.searcher = searcher
        self.responder = Responder(self.curriculum, searcher)
        from nlu import load_or_train

        self.intents = load_or_train(searcher)
        if phraser is FROM_SETTINGS:
            from assistant.llm import phraser_from_settings

            phraser = phraser_from_settings(self.curriculum)
        self.phraser = phraser
        self._swap_lock = threading.Lock()
        self._store_identity = store_identity()
        self._ignored_version: str | None = None
        self._unmatched_since: dict[str, float] = {}  # pointer target -> when first seen without its version row
        # index content hash -> the curriculum published with it (the shared database); set by the web app
        self.published_corpus: Callable[[str], Curriculum | None] | None = None

    # ------------------------------------------------------------ corpus and index while running
    def _swap(self, curriculum: Curriculum, searcher: HybridSearcher, from_file: bool = False) -> None:
        """Serve the new corpus and index from the next question on (responder first: it holds both).
        `from_file`: the curriculum was just read from the corpus file, so a warning about it is over."""
        self.responder = Responder(curriculum, searcher)
        self.curriculum, self.searcher = curriculum, searcher
        self._store_identity = store_identity()
        if from_file:
            self.corpus_warning = None

    def reload(self) -> str:
        """Read the curriculum file again and serve it once its index is ready.

        Questions keep being answered from the current corpus and index meanwhile; a missing,
        stale or damaged index is rebuilt (as at start-up). On any error nothing changes.
        """
        try:
            curriculum = load_curriculum()
        except CorpusError as exc:
            return f"課綱檔案有誤，繼續使用目前的版本（{len(self.curriculum.courses)} 門課）：\n{exc}"
        with self._swap_lock:
            embeddings, name = self.searcher.embeddings, self.searcher.name
            client, report = ensure_index(curriculum, embeddings, client=self._healthy_client(), name=name)
            searcher = HybridSearcher(curriculum, embeddings, client=client, name=name, previous=self.searcher)
            remember_last_good(curriculum)
            self._swap(curriculum, searcher, from_file=True)
        return f"已重新載入課綱：{len(curriculum.courses)} 門課。"

    def _healthy_client(self):
        """The current client, or a fresh one when another process replaced the store or it cannot be read."""
        client = self.searcher.client
        if client is None or store_identity() != self._store_identity:
            return reopen_client()
        try:
            current_version(client, self.searcher.name)
        except Exception as exc:
            if store_identity() is None:  # a Chroma server: nothing to set aside here
                raise
            log.warning("索引資料庫無法讀取（%s）", exc)
            return reset_local_store(reason=str(exc))
        return client

    def check_index(self) -> bool:
        """Follow the index pointer while running. When another process switched it (`python -m
        index build`), serve that version, reading the corpus file again if the version was built
        from it. When the served index cannot be read (removed, damaged store), rebuild it as at
        start-up. Returns True when corpus or index were swapped."""
        with self._swap_lock:
            searcher = self.searcher
            if self.corpus_warning:
                self._clear_warning_if_fixed()
            if searcher.client is None:
                return False
            embeddings, name = searcher.embeddings, searcher.name
            client = self._healthy_client()
            try:
                target = current_version(client, name)
            except Exception as exc:
                log.warning("無法讀取索引指標（%s）", exc)
                target = ""
            ours_ok = client is searcher.client and _collection_readable(searcher.collection)
            if ours_ok and target in (None, searcher.collection.name, self._ignored_version):
                return False
            candidate = None
            if target != "":
                try:
                    candidate = open_collection(client, embeddings, name)
                except Exception as exc:
                    log.warning("無法開啟索引 %s（%s）", target, exc)
            if candidate is not None and _collection_readable(candidate):
                digest = (candidate.metadata or {}).get("content_hash")
                if digest == content_hash(searcher.records, embeddings.name_or_path):
                    self._swap(self.curriculum, HybridSearcher(self.curriculum, embeddings, collection=candidate, client=client, name=name, records=searcher.records, previous=searcher))
                    log.info("改用索引 %s", candidate.name)
                    return True
                try:
                    curriculum = load_curriculum()
                except CorpusError as exc:
                    curriculum = None
                    log.warning("課綱檔案有誤，無法改用新索引，繼續使用目前的課綱：%s", exc)
                records = records_for(curriculum) if curriculum is not None else None
                if (records is None or digest != content_hash(records, embeddings.name_or_path)) and self.published_corpus:
                    # Published from another app server: the curriculum comes from the shared database.
                    published = self.published_corpus(digest)
                    if published is not None:
                        curriculum, records = published, records_for(published)
                        write_atomically(get_settings().corpus_file, dump_curriculum(published))  # a restart serves it too
                if curriculum is not None:
                    if digest == content_hash(records, embeddings.name_or_path):
                        new = HybridSearcher(curriculum, embeddings, collection=candidate, client=client, name=name, records=records, previous=searcher)
                        remember_last_good(curriculum)
                        self._swap(curriculum, new, from_file=True)
                        log.info("課綱與索引已更新為 %s（%d 門課）", candidate.name, len(curriculum.courses))
                        return True
                if ours_ok:
                    if self._awaiting_publish_row(target):
                        return False  # the pointer switched before the publishing server wrote its version row
                    log.warning("索引指向 %s，但它不是由目前的課綱檔案建立；繼續使用 %s", target, searcher.collection.name)
                    self._ignored_version = target
                    return False
            # What we serve cannot be read and nothing usable replaced it: rebuild from our corpus.
            client, _ = ensure_index(self.curriculum, embeddings, client=client, name=name)
            new = HybridSearcher(self.curriculum, embeddings, client=client, name=name, records=searcher.records, previous=searcher)
            self._swap(self.curriculum, new)
            log.warning("索引無法讀取，已重建為 %s", new.collection.name)
            return True

    def _awaiting_publish_row(self, target: str) -> bool:
        """True while a version the pointer names may still get its row in the shared database.

        A publish switches the pointer first and writes the version row after; a server that looks
        in between must look again rather than ignore that version for good. After
        `publish_grace_seconds` with no row, the version is taken as foreign and ignored."""
        if self.published_corpus is None:
            return False
        first_seen = self._unmatched_since.setdefault(target, time.monotonic())
        return time.monotonic() - first_seen < get_settings().publish_grace_seconds

    def _clear_warning_if_fixed(self) -> None:
        """The start-up warning about a bad corpus file goes once the file is good and what we serve."""
        try:
            fixed = load_curriculum()
        except CorpusError:
            return
        if fixed == self.curriculum:
            remember_last_good(fixed)
            self.corpus_warning = None

    def follow_index(self, interval: float = 2.0) -> threading.Thread:
        """Check the index pointer every `interval` seconds in a daemon thread (the web app does this)."""

        def loop() -> None:
            while True:
                time.sleep(interval)
                try:
                    self.check_index()
                except Exception:  # keep serving what we have; try again next time
                    log.exception("檢查索引時發生錯誤，繼續使用目前的索引")

        thread = threading.Thread(target=loop, name="index-follower", daemon=True)
        thread.start()
        return thread

    # ------------------------------------------------------------ context
    def _previous_context(self, history: History) -> Context | None:
        if not history:
            return None
        answers = [h for h in history if isinstance(h, Answer)]
        if answers:
            # A help text (「好」 with nothing offered, an empty message) does not end what the
            # conversation was about: look past it to the answer before.
            for answer in reversed(answers):
                if answer.context is not None or answer.kind not in PASS_THROUGH:
                    return answer.context
            return None
        # Plain questions, or chat messages of which only the user's count.
        turns = [h if isinstance(h, str) else h.get("content") for h in history if isinstance(h, str) or h.get("role") == "user"]
        questions = [t for t in turns if isinstance(t, str)]
        context = None
        for question in questions[-REPLAY_TURNS:]:
            context = self._draft(question, context).context or context
        return context

    def understand(self, question: str, previous: Context | None) -> Query:
        """Rules read the slots; the trained intent (over the one e5 vector) says what kind of question it is."""
        if previous is not None and previous.kind == "out_of_scope" and previous.question and _THIS_TASK.search(question) and seeks_course(question):
            # 「幫我寫個簽呈」 refused, then 「那有沒有教這個的課」: a course for the task just asked of us
            task = _REQUEST_WORDS.sub("", previous.question).strip()
            if task:
                question = f"有沒有教{task}的課"
        query = parse(question, self.curriculum)
        if query.kind in ("empty", "injection"):
            return query
        if previous is not None and previous.choices and not query.role:
            # A reply to "which kind of work do you do?" is a self-description even without 「我是」.
            described = parse("我是" + question, self.curriculum)
            if described.role:
                query = described.model_copy(update={"text": query.text})
            elif len(question.strip()) <= 8 and (said := [r for r, words in V.REPLY_ROLE_WORDS.items() if any(w in question for w in words)]):
                query = query.model_copy(update={"kind": "role_path", "role": said[0], "clarify": None})  # 「同仁」
        if previous is not None and previous.kind == "role_path" and not query.role and len(question.strip()) <= 20 \
                and (said := [r for r, words in V.REPLY_ROLE_WORDS.items() if any(w in question for w in words if len(w) >= 3)]):
            # 「我是主任…」 answered with one of two roles, then 「偏自己做事，沒帶人」: the other one
            query = query.model_copy(update={"kind": "role_path", "role": said[0], "clarify": None})
        others = _OTHERS_ASKED.match(query.text)
        if previous is not None and (previous.role or previous.path_role) and not query.role and len(query.text) <= 20 \
                and others and re.search(r"呢|咧|勒", query.text):
            described = parse("我是" + _OTHERS_END.sub("", query.text[others.end():]), self.curriculum)
            if described.role and described.role != (previous.role or previous.path_role):
                query = described.model_copy(update={"text": query.text, "kind": "role_path"})
        if previous is not None and previous.figure and previous.offer and len(query.text) <= 16 and not (query.role or query.codes) \
                and re.search(V.PATH_LIST_ASKED, query.text.lower()) and not re.search(r"第\s*[\d一二三四五六七八九十]+\s*(門|個|堂)", query.text):
            narrowed = {"modules": query.modules} if query.modules else {}
            narrowed |= {"stages": query.stages} if query.stages else {}
            # 「那有哪些課」 after a path's figure: its courses (「其中模組4的是哪幾門」: of that module)
            return Query(text=query.text, **(previous.offer | narrowed))
        if (reply := reply_to(query, previous)) is not None:
            return reply
        prepared = self.searcher.prepare(query.text)  # normalized and lexicon-expanded, once
        query.vector = self.searcher.embed(prepared)
        guess = self.intents.guess(prepared, query.vector)
        query.intent, query.confidence = guess.intent, guess.confidence
        query.runner_up, query.margin = guess.runner_up, guess.margin
        if previous is not None and len(previous.codes) == 1 and not (query.codes or query.units) and _CONSOLIDATED_OF.search(query.text):
            # 「4.1.1 幾小時？」 then 「那整併版的呢」: the course that consolidates the one just shown
            whole = [c.code for c in self.curriculum.courses if previous.codes[0] in c.replaces]
            if whole:
                query = query.model_copy(update={"codes": whole, "kind": "course_detail", "clarify": None})
                return query
        if previous is not None and previous.codes and query.taken and previous.kind != "role_path" and not (
            query.codes or query.units or query.role or previous.role or previous.path_role
        ):
            # 「4.1.4 是幾小時」 then 「上過4.1.1跟4.1.3，要補哪門」: what the consolidated course just shown still needs
            holders = [c for c in previous.codes if set(self.curriculum.course_map[c].replaces) & set(query.taken)]
            if holders:
                return query.model_copy(update={"codes": holders, "kind": "course_detail", "clarify": None})
        query = continue_plan(resolve(decide(query), previous), previous)
        if previous is not None and previous.figure and query.kind == "role_path" and len(query.text) <= 24 \
                and not re.search(V.PATH_LIST_ASKED, query.text.lower()):
            query.figure = True  # 「有規劃路徑幾小時」 then 「那能應用呢」 / 「扣掉上過的4.1.4呢」: the figure again
        return query

    def _draft(self, question: str, previous: Context | None) -> Draft:
        query = self.understand(question, previous)
        if previous is not None and previous.question and query.kind not in ("injection", "empty") and _pushback(query):
            # 「你錯了，其實是12小時」: the syllabus is checked again and the same question answered again.
            draft = self._draft(previous.question, previous)
            draft.text = compose.CHECKED_AGAIN + draft.text
            return draft
        draft = self.responder.respond(query)
        if draft.context is not None:
            draft.context.question = draft.context.question or question
            if draft.context.role:
                draft.context.path_role, draft.context.path_alt_roles = draft.context.role, draft.context.alt_roles
            elif previous is not None:
                draft.context.path_role, draft.context.path_alt_roles = previous.path_role, previous.path_alt_roles
        return draft

    def _answer(self, question: str, draft: Draft) -> Answer:
        citations = [Citation(code=c.code, name=c.name, hours=c.hours, module=c.module) for c in draft.courses]
        return Answer(
            question=question,
            answer=draft.text,
            citations=citations,
            total_hours=draft.total_hours,
            role=draft.role,
            refused=draft.refused,
            kind=draft.kind,
            context=draft.context,
            hedged=draft.hedged,
            choices=draft.choices,
            sources=[Source(id=i, title=t) for i, t in draft.sources],
        )

    # ------------------------------------------------------------ public API
    def _composed(self, question: str, history: History) -> tuple[Answer, bool]:
        """The composer's answer, and whether the optional LLM should phrase it."""
        answer = self._answer(question, self._draft(question, self._previous_context(history)))
        return answer, self.phraser is not None and bool(answer.citations) and not answer.refused

    def ask(self, question: str, history: History = None) -> Answer:
        answer, phrase = self._composed(question, history)
        return self.phraser.phrase(answer) if phrase else answer

    def stream(self, question: str, history: History = None) -> Iterator[dict]:
        """Typed events: `text` chunks, then `citations`, then `done` with the Answer."""
        answer, phrase = self._composed(question, history)
        if phrase:
            final = None
            for event in self.phraser.stream(answer):
                if event["type"] == "done":
                    final = event["answer"]
                else:
                    yield event
            answer = final or answer
        else:
            paragraphs = answer.answer.split("\n\n")
            for i, paragraph in enumerate(paragraphs):
                yield {"type": "text", "text": paragraph + ("\n\n" if i < len(paragraphs) - 1 else "")}
        yield {"type": "citations", "citations": answer.citations}
        yield {"type": "done", "answer": answer}

    def as_runnable(self):
        """A langchain Runnable: input a question or {"question", "history"}; `.stream` yields events."""

        def _split(value):
            if isinstance(value, str):
                return value, None
            return value["question"], value.get("history")

        def _invoke(value) -> Answer:
            question, history = _split(value)
            return self.ask(question, history)

        def _stream(values: Iterator) -> Iterator[dict]:
            for value in values:
                question, history = _split(value)
                yield from self.stream(question, history)

        return _AssistantRunnable(_invoke, _stream)


def _pushback(query: Query) -> bool:
    """The message says the last answer was wrong and names no new subject of its own."""
    figure_said = re.search(r"應該是\s*\d+|\d+\s*(小時|門)?\s*才對", query.text)  # 「…也要算進去吧？那應該是176才對」: codes argue, not ask
    own = query.units or query.modules or query.role or query.unknown_codes or query.whole or (query.codes and not figure_said)
    return bool(re.search(V.PUSHBACK, query.text.lower())) and not own


def _collection_readable(collection) -> bool:
    try:
        collection.count()
        return True
    except Exception:
        return False


class _AssistantRunnable(RunnableLambda):
    """RunnableLambda for invoke/batch, a generator for stream."""

    def __init__(self, invoke, stream):
        super().__init__(invoke, name="AI公務學習顧問")
        self._generator = RunnableGenerator(stream)

    def stream(self, input, config=None, **kwargs):  # noqa: A002 - langchain's signature
        yield from self._generator.stream(input, config, **kwargs)
