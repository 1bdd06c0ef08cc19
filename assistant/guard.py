"""The citation guard: what an LLM writes may only repeat facts the cited records hold.

Text is checked sentence by sentence. A sentence goes if it names a course code
that is not cited, a course of the corpus that is not cited, an hour figure that
no cited record or computed total gives, or a piece of the instructions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from assistant.models import Answer
from corpus.models import Curriculum
from index.text import to_traditional

_CODE = re.compile(r"(?<![\d.])\d{1,2}(?:\.\d{1,2}){1,2}(?![\d.])")
_HOURS = re.compile(r"(\d{1,4})\s*(?:個)?\s*(?:小時|鐘頭|hours?|hrs?|h\b)", re.I)
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?\n]*")


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s.strip()]


class CitationGuard:
    def __init__(self, curriculum: Curriculum, answer: Answer, secrets: Iterable[str] = ()):
        self.cited = {c.code for c in answer.citations}
        self.other_names = [c.name for c in curriculum.courses if c.code not in self.cited and len(c.name) >= 6]
        allowed = {c.hours for c in answer.citations}
        if answer.total_hours is not None:
            allowed.add(answer.total_hours)
        # Figures the composer computed from the corpus (stage totals, sums) are allowed too.
        allowed.update(int(n) for n in _HOURS.findall(answer.answer))
        self.allowed_hours = allowed
        squashed_secrets = [re.sub(r"\s", "", s) for s in secrets]
        self.secret_pieces = [s[i : i + 12] for s in squashed_secrets for i in range(0, max(len(s) - 12, 1), 6)]
        self.composed = re.sub(r"\s", "", answer.answer)
        # Names the text may put in 「」: what the answer and the question already say, and the curriculum's own words.
        self.known_names = {c.name for c in answer.citations} | {r.name for r in curriculum.roles}
        self.known_names |= {m.name for m in curriculum.modules} | {s.name for s in curriculum.stages}
        self.known_names |= {g.name for g in curriculum.grades}
        self.context = self.composed + re.sub(r"\s", "", answer.question)
        self.removed: list[str] = []

    def problem(self, sentence: str) -> str | None:
        if re.match(r"\s*([-*#>|]|\d+\.\s)", sentence):
            return "清單或標題（開場白只能是敘述）"
        for code in _CODE.findall(sentence):
            if code not in self.cited:
                return f"未引用的課程代碼 {code}"
        for hours in _HOURS.findall(sentence):
            if int(hours) not in self.allowed_hours:
                return f"與課綱不符的時數 {hours}"
        for name in self.other_names:
            if name in sentence:
                return f"未引用的課程 {name}"
        for quoted in re.findall(r"[「『]([^」』]{2,40})[」』]", sentence):
            if quoted not in self.known_names and re.sub(r"\s", "", quoted) not in self.context:
                return f"課綱沒有的名稱「{quoted}」"
        squashed = re.sub(r"\s", "", sentence)
        if any(piece and piece in squashed for piece in self.secret_pieces):
            return "內部指示"
        if len(squashed) >= 12 and squashed in self.composed:
            return "照抄下方內容"
        return None

    def clean(self, text: str) -> str:
        sentences = split_sentences(to_traditional(text))
        if sentences and not re.search(r"[。！？!?\n]\s*$", sentences[-1]):
            sentences = sentences[:-1]  # cut off by the token limit: an unfinished sentence is dropped
        return "".join(self.filter(sentences)).strip()

    def filter(self, sentences: Iterable[str]) -> Iterator[str]:
        for sentence in sentences:
            reason = self.problem(sentence)
            if reason:
                self.removed.append(f"{reason}：{sentence.strip()}")
            else:
                yield sentence


def sentences_from_stream(chunks: Iterable[str], complete_only: bool = False) -> Iterator[str]:
    """Group streamed text into whole sentences so each can be checked before it is shown.

    With complete_only, a tail without an ending mark (cut by the token limit) is dropped."""
    buffer = ""
    for chunk in chunks:
        buffer += chunk
        while True:
            match = re.search(r"[。！？!?\n]", buffer)
            if not match:
                break
            yield buffer[: match.end()]
            buffer = buffer[match.end() :]
    if buffer.strip() and not complete_only:
        yield buffer
