"""Typed boundaries of the assistant: what a question means, and the answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal[
    "empty",
    "help",
    "out_of_scope",
    "injection",
    "unknown_code",
    "role_path",
    "course_detail",
    "unit",
    "module",
    "compare",
    "total",
    "list_modules",
    "list_roles",
    "list_methods",
    "filter",
    "topic",
    "ordinal_out_of_range",
    "count",
    "extreme",
    "clarify",
    "unanswerable",
    "document",
    "no_match",
    "mentions",
]


class Query(BaseModel):
    """What the question asks, read by rules from the question text."""

    text: str
    kind: Kind = "topic"
    codes: list[str] = Field(default_factory=list)  # known course codes, in order of mention
    unknown_codes: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
    modules: list[int] = Field(default_factory=list)
    role: str | None = None
    role_reason: str | None = None
    grade: str | None = None
    alt_roles: list[str] = Field(default_factory=list)
    stages: list[str] = Field(default_factory=list)
    level: str | None = None
    min_hours: int | None = None
    max_hours: int | None = None
    not_hours: int | None = None  # 「不是6小時的課」: every size but this one
    method: str | None = None
    unknown_method: str | None = None  # a teaching method no course uses (「哪些課採用翻轉教學」)
    ordinal: int | None = None
    focus: list[str] = Field(default_factory=list)  # goals / outline / methods / hours
    wants_total: bool = False
    whole: bool = False  # 「整份課綱」, 「全部課程」: the whole curriculum, not the previous answer
    logistics: bool = False  # enrollment, dates, venue, fees…: what a syllabus does not say
    truncated: bool = False
    topic: str = ""
    # From the trained NLU step: the intent, its confidence and the runner-up.
    intent: str | None = None
    confidence: float = 0.0
    runner_up: str | None = None
    margin: float = 1.0
    clarify: str | None = None  # what to ask about: "role", "intent", "reference"
    correction: bool = False  # 「其實我不是主管，是…」
    unsure: bool = False  # the intent was unclear: course lists are offered as "closest", not as the answer
    within: list[str] = Field(default_factory=list)  # a reference to one of these courses (the previous list)
    figure: bool = False  # a follow-up to a path's figure (「那能應用呢」): that path's figure again
    assumed_role: bool = False  # a self-description with no grade, title or role word: 能應用, the others offered
    set_aside: bool = False  # part of the message tried to change the instructions: answered without it
    about: bool = False  # 「快優化模組主要在講什麼」: what a module or role is, in the document's words
    mentions: str | None = None  # 「大綱有提到 GDPR 的課」: words looked up literally
    mention_field: str | None = None  # "name", "goals", "outline", "methods" or None (anywhere)
    # A personal plan: courses already taken, an hour budget, years, modules left out, consolidated courses split.
    taken: list[str] = Field(default_factory=list)
    # Taken said of a whole stage or module (「入門都修完了」, 「模組8的課都上過」): the role path's
    # courses there, resolved once the role is known (it may come from the conversation).
    taken_stages: list[str] = Field(default_factory=list)
    taken_modules: list[int] = Field(default_factory=list)
    taken_roles: list[str] = Field(default_factory=list)  # 「能應用路徑的課我全部上完了」: that role's path
    budget: int | None = None
    budget_strong: bool = False  # said as a budget (今年, 每年, 預算…), not possibly a course-size filter
    budget_total: bool = False  # the budget is for all the years together (「兩年內上限100小時」), not each year
    budget_basis: str = ""  # how the budget was worked out (「每月 6 小時 × 12 個月 = 72 小時…」), said in the answer
    skipped_stages: list[str] = Field(default_factory=list)  # 「實作先不排」, 「入門我都會了」: stages not planned
    years: int = 1
    year_asked: int | None = None  # 「第二年要上哪些」: one year of a plan over several
    headcount: int | None = None  # 「50個人都上這條，總共幾人時」
    stage_a_year: bool = False  # 「一年上一個階段」: each year is one stage of the path
    exclude_modules: list[int] = Field(default_factory=list)
    exclude_courses: list[str] = Field(default_factory=list)  # 「8.3.1、8.3.2 我不想上」: courses left out of the plan
    split: bool = False  # 「整併課程分開上」: the 6-hour parts instead of the 18-hour course
    vector: list[float] | None = Field(default=None, exclude=True, repr=False)  # the question's e5 vector, computed once

    @property
    def hours_said(self) -> bool:
        """A course size was said: at least, at most, exactly, or 「不是 N 小時」."""
        return self.min_hours is not None or self.max_hours is not None or self.not_hours is not None

class Context(BaseModel):
    """What a later question may refer back to."""

    kind: Kind
    question: str = ""  # the question this answered: 「你錯了，再確認一次」 answers it again
    codes: list[str] = Field(default_factory=list)
    role: str | None = None
    alt_roles: list[str] = Field(default_factory=list)
    stages: list[str] = Field(default_factory=list)
    modules: list[int] = Field(default_factory=list)
    level: str | None = None
    topic: str = ""
    min_hours: int | None = None
    max_hours: int | None = None
    method: str | None = None
    # The personal plan's constraints, so that a follow-up (「那分兩年呢」) keeps them.
    taken: list[str] = Field(default_factory=list)
    budget: int | None = None
    budget_total: bool = False
    years: int = 1
    exclude_modules: list[int] = Field(default_factory=list)
    exclude_courses: list[str] = Field(default_factory=list)
    split: bool = False
    stage_a_year: bool = False  # 「一年一個階段」: a later 「第三年呢」 is the third stage
    # The last role the conversation was about, kept across answers that are not about a role.
    path_role: str | None = None
    path_alt_roles: list[str] = Field(default_factory=list)
    # What a one-word reply (「好」, 「主管」, 「第二個」) would mean after this answer.
    offer: dict | None = None  # the query a 「好」 accepts, as Query fields
    figure: bool = False  # a path's figure was the answer (「那能應用呢」 then asks that role's figure)
    choices: list[dict] = Field(default_factory=list)  # each: {"label", "query": Query fields}


class Citation(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    hours: int
    module: int


class Source(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str


class Answer(BaseModel):
    question: str
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    total_hours: int | None = None
    role: str | None = None
    refused: bool = False
    kind: Kind = "topic"
    context: Context | None = None
    generator: Literal["composer", "llm"] = "composer"
    hedged: bool = False  # courses shown as "closest", not as an answer
    choices: list[str] = Field(default_factory=list)  # a clarifying question's options, as the user may reply
    sources: list[Source] = Field(default_factory=list)  # framework sections quoted

    def contract(self) -> dict:
        """The CLI's `--json` object, exactly."""
        return {
            "question": self.question,
            "answer": self.answer,
            "citations": [c.model_dump() for c in self.citations],
            "total_hours": self.total_hours,
            "role": self.role,
            "refused": self.refused,
            "sources": [s.model_dump() for s in self.sources],
        }
