"""The programs' API (`/ask`, `/feedback`): pydantic checks at the boundary, zh-TW messages.

A client's history is never trusted for context: an earlier answer counts only through the
id the server issued for it in this session; anything else is read as the question it asked.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError

from assistant import Answer, Assistant, FeedbackError, FeedbackStore, IssuedAnswers, QuestionLog
from ui.limits import MAX_COMMENT_CHARS, MAX_HISTORY_ITEMS, MAX_MESSAGE_CHARS, MAX_QUESTION_CHARS, question_too_long


class ApiError(ValueError):
    """A request the API refuses; the message is for the user (zh-TW)."""


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["user", "assistant", "system"]
    content: Annotated[StrictStr, Field(max_length=MAX_MESSAGE_CHARS)]


class PastAnswer(BaseModel):
    """An earlier answer as /ask returned it; only its id and question are read."""

    model_config = ConfigDict(extra="ignore")

    question: Annotated[StrictStr, Field(max_length=MAX_MESSAGE_CHARS)]
    answer_id: StrictStr | None = None


HistoryItem = Annotated[StrictStr, Field(max_length=MAX_MESSAGE_CHARS)] | ChatMessage | PastAnswer


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: StrictStr
    history: Annotated[list[HistoryItem], Field(max_length=MAX_HISTORY_ITEMS)] | None = None


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer_id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    liked: StrictBool
    comment: Annotated[StrictStr, Field(max_length=MAX_COMMENT_CHARS)] = ""


_FIELDS = {"question": "question（問題）", "history": "history（先前的對話）", "answer_id": "answer_id（回答編號）", "liked": "liked（評分）", "comment": "comment（意見）"}


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        loc = list(item["loc"])
        field = _FIELDS.get(str(loc[0]), str(loc[0])) if loc else "請求"
        kind = item["type"]
        if loc and loc[0] == "history" and len(loc) > 1 and isinstance(loc[1], int):
            lines.append(
                f"history 第 {loc[1] + 1} 則格式不符：請傳 /ask 回傳的回答、{{\"role\", \"content\"}} 訊息或文字（每則最多 {MAX_MESSAGE_CHARS:,} 字）"
            )
            break  # one line per bad item is enough; a union reports each alternative
        if kind in ("string_type", "missing") and loc and loc[0] == "question":
            lines.append("請提供問題：question 必須是文字")
        elif kind == "string_type":
            lines.append(f"{field} 必須是文字")
        elif kind == "bool_type":
            lines.append(f"{field} 只能是 true（👍）或 false（👎）")
        elif kind == "list_type":
            lines.append(f"{field} 必須是清單")
        elif kind == "too_long" and loc and loc[0] == "history":
            lines.append(f"history 最多 {MAX_HISTORY_ITEMS} 則；較早的對話請不要再傳")
        elif kind == "string_too_long" and loc and loc[0] == "comment":
            lines.append(f"意見太長：最多 {MAX_COMMENT_CHARS:,} 字")
        elif kind == "string_too_long":
            lines.append(f"{field} 太長")
        elif kind == "missing":
            lines.append(f"缺少 {field}")
        elif kind == "extra_forbidden":
            lines.append(f"不認得的欄位 {field}")
        else:
            lines.append(f"{field} 格式不符")
    return "；".join(dict.fromkeys(lines)) or "請求格式不符"


def _validated(model: type[BaseModel], data: dict) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(_describe(exc)) from None


def context_history(history: list | None, issued: IssuedAnswers, session: str) -> list[Answer | str]:
    """What the assistant may read from a client's history: server records and plain questions."""
    turns: list[Answer | str] = []
    for item in history or []:
        if isinstance(item, str):
            turns.append(item)
        elif isinstance(item, ChatMessage):
            if item.role == "user":
                turns.append(item.content)
        else:
            record = issued.get(item.answer_id, session)
            turns.append(record if record is not None else item.question)
    return turns


def ask(
    assistant: Assistant, issued: IssuedAnswers, question: object, history: object, session: str, questions: QuestionLog | None = None
) -> dict:
    """Answer one question; the reply carries `answer_id` for /feedback. The question log keeps no session."""
    if isinstance(question, str) and len(question) > MAX_QUESTION_CHARS:
        raise ApiError(question_too_long(len(question)))
    request = _validated(AskRequest, {"question": question, "history": history})
    answer = assistant.ask(request.question, context_history(request.history, issued, session))
    answer_id = issued.issue(answer, session)
    if questions is not None:
        questions.record(answer)
    return {**answer.model_dump(mode="json"), "answer_id": answer_id}


def feedback(store: FeedbackStore, issued: IssuedAnswers, answer: object, liked: object, comment: object, session: str) -> int:
    """Store 👍/👎 for an answer this session received; its text comes from the server's record."""
    answer_id = answer.get("answer_id") if isinstance(answer, dict) else answer
    if answer_id is None:
        raise ApiError("請傳 /ask 回傳的 answer_id（或整個回答），只能對伺服器給過的回答評分")
    request = _validated(FeedbackRequest, {"answer_id": answer_id, "liked": liked, "comment": "" if comment is None else comment})
    record = issued.get(request.answer_id, session)
    if record is None:
        raise ApiError("找不到這則回答：只能對這個連線中 /ask 給過的回答評分（回答保留 24 小時）")
    try:
        return store.vote(request.answer_id, record, request.liked, request.comment, session=session)
    except FeedbackError as exc:
        raise ApiError(str(exc)) from None
