"""The assistant: Chinese questions answered with cited courses, hours and role paths.

Public API (what `ui/` and `eval/` use):
- `Assistant` — `ask(question, history) -> Answer`, `stream(...)`, `as_runnable()`
- `Answer`, `Citation` — the typed answer
- `FeedbackStore`, `IssuedAnswers`, `FeedbackError` — 👍/👎 and comments in the database (`storage`), for answers the server gave
- `QuestionLog`, `ReviewFilter` — questions asked (no user identifier) and the trainers' review filters
- `planner`, `catalog` — the planner's and the catalog's views of the corpus
"""

from assistant import catalog, planner
from assistant.core import Assistant
from assistant.models import Answer, Citation

# The feedback store brings SQLAlchemy (about 0.5–0.8 s to import); answering a question does not
# need it, so it is imported on first use (PEP 562) and a CLI answer starts that much sooner.
_FEEDBACK_NAMES = {"MAX_COMMENT_CHARS", "FeedbackError", "FeedbackStore", "IssuedAnswers", "QuestionLog", "ReviewFilter"}


def __getattr__(name: str):
    if name in _FEEDBACK_NAMES:
        from assistant import feedback

        return getattr(feedback, name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")


__all__ = [
    "MAX_COMMENT_CHARS",
    "Answer",
    "Assistant",
    "Citation",
    "FeedbackError",
    "FeedbackStore",
    "IssuedAnswers",
    "QuestionLog",
    "ReviewFilter",
    "catalog",
    "planner",
]
