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
from assistant.feedback import MAX_COMMENT_CHARS, FeedbackError, FeedbackStore, IssuedAnswers, QuestionLog, ReviewFilter
from assistant.models import Answer, Citation

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
