"""The assistant: Chinese questions answered with cited courses, hours and role paths.

Public API (what `ui/` and `eval/` use):
- `Assistant` — `ask(question, history) -> Answer`, `stream(...)`, `as_runnable()`
- `Answer`, `Citation` — the typed answer
- `FeedbackStore` — 👍/👎 and comments in SQLite
- `planner`, `catalog` — the planner's and the catalog's views of the corpus
"""

from assistant import catalog, planner
from assistant.core import Assistant
from assistant.feedback import FeedbackStore
from assistant.models import Answer, Citation

__all__ = ["Answer", "Assistant", "Citation", "FeedbackStore", "catalog", "planner"]
