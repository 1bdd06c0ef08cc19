"""`Assistant.ask(question, history) -> Answer`: the one entry point every interface uses."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.runnables import RunnableGenerator, RunnableLambda

from assistant.decide import decide
from assistant.followup import reply_to, resolve
from assistant.models import Answer, Citation, Context, Query, Source
from assistant.respond import Draft, Responder
from assistant.understand import parse
from corpus.load import CorpusError, load_curriculum, load_with_fallback, remember_last_good
from corpus.models import Curriculum
from index.embedder import E5Embeddings, default_embeddings
from index.retrieve import HybridSearcher
from index.store import build_index

log = logging.getLogger(__name__)
REPLAY_TURNS = 4  # plain-text history: re-read this many earlier questions for context

History = Sequence[Answer | str | dict] | None
FROM_SETTINGS: Any = object()  # phraser default: whatever ADVISOR_LLM says


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
            report = build_index(self.curriculum, embeddings)  # no-op when current; rebuilds stale or missing
            if report.rebuilt:
                log.info("索引已重建（%d 門課）", report.count)
            searcher = HybridSearcher(self.curriculum, embeddings)
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

    def reload(self) -> str:
        """Read the curriculum file again; on any error keep answering from the current one."""
        try:
            curriculum = load_curriculum()
        except CorpusError as exc:
            return f"課綱檔案有誤，繼續使用目前的版本（{len(self.curriculum.courses)} 門課）：\n{exc}"
        embeddings = self.searcher.embeddings
        build_index(curriculum, embeddings, client=self.searcher.client)
        searcher = HybridSearcher(curriculum, embeddings, client=self.searcher.client, name=self.searcher.collection.name)
        remember_last_good(curriculum)
        self.curriculum, self.searcher, self.responder = curriculum, searcher, Responder(curriculum, searcher)
        self.corpus_warning = None
        return f"已重新載入課綱：{len(curriculum.courses)} 門課。"

    # ------------------------------------------------------------ context
    def _previous_context(self, history: History) -> Context | None:
        if not history:
            return None
        answers = [h for h in history if isinstance(h, Answer)]
        if answers:
            return answers[-1].context
        # Plain questions, or chat messages of which only the user's count.
        turns = [h if isinstance(h, str) else h.get("content") for h in history if isinstance(h, str) or h.get("role") == "user"]
        questions = [t for t in turns if isinstance(t, str)]
        context = None
        for question in questions[-REPLAY_TURNS:]:
            context = self._draft(question, context).context or context
        return context

    def understand(self, question: str, previous: Context | None) -> Query:
        """Rules read the slots; the trained intent (over the one e5 vector) says what kind of question it is."""
        query = parse(question, self.curriculum)
        if query.kind in ("empty", "injection"):
            return query
        if previous is not None and previous.choices and not query.role:
            # A reply to "which kind of work do you do?" is a self-description even without 「我是」.
            described = parse("我是" + question, self.curriculum)
            if described.role:
                query = described.model_copy(update={"text": query.text})
        if (reply := reply_to(query, previous)) is not None:
            return reply
        query.vector = self.searcher.embed(query.text)
        guess = self.intents.guess(self.searcher.prepare(query.text), query.vector)
        query.intent, query.confidence = guess.intent, guess.confidence
        query.runner_up, query.margin = guess.runner_up, guess.margin
        return resolve(decide(query), previous)

    def _draft(self, question: str, previous: Context | None) -> Draft:
        query = self.understand(question, previous)
        draft = self.responder.respond(query)
        if draft.context is not None:
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


class _AssistantRunnable(RunnableLambda):
    """RunnableLambda for invoke/batch, a generator for stream."""

    def __init__(self, invoke, stream):
        super().__init__(invoke, name="AI公務學習顧問")
        self._generator = RunnableGenerator(stream)

    def stream(self, input, config=None, **kwargs):  # noqa: A002 - langchain's signature
        yield from self._generator.stream(input, config, **kwargs)
