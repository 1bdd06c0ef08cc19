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
    method: str | None = None
    ordinal: int | None = None
    focus: list[str] = Field(default_factory=list)  # goals / outline / methods / hours
    wants_total: bool = False
    truncated: bool = False
    topic: str = ""


class Context(BaseModel):
    """What a later question may refer back to."""

    kind: Kind
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
    # The last role the conversation was about, kept across answers that are not about a role.
    path_role: str | None = None
    path_alt_roles: list[str] = Field(default_factory=list)


class Citation(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    hours: int
    module: int


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

    def contract(self) -> dict:
        """The CLI's `--json` object, exactly."""
        return {
            "question": self.question,
            "answer": self.answer,
            "citations": [c.model_dump() for c in self.citations],
            "total_hours": self.total_hours,
            "role": self.role,
            "refused": self.refused,
        }
