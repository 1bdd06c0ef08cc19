"""Follow-ups that refer back: 「那進階的呢？」, 「這些總共幾小時？」, 「第二門課的大綱是什麼？」."""

from __future__ import annotations

import re

from assistant.models import Context, Query

_BACK = re.compile(r"^(那|那麼|還有|另外|再來|再|這些|這幾|上面|剛剛|剛才|前面|其中|它|這門|那門|這堂|第)|呢[?？]?$|這些|這幾門|上述|剛剛|它的|這門課|那門課")
_OTHER_ROLE = re.compile(r"另一個角色|其他角色|另一種角色|另一個呢|另外一個|換成另一|the other role")
_SINGLE = re.compile(r"^(它|這門|那門|這堂|該課)|它的|這門課|那門課")


def refers_back(query: Query) -> bool:
    return bool(_BACK.search(query.text) or _OTHER_ROLE.search(query.text) or query.ordinal)


def resolve(query: Query, previous: Context | None) -> Query:
    """Fill a follow-up's missing slots from the previous answer's context."""
    if previous is None or query.kind in ("injection", "empty", "out_of_scope") or not refers_back(query):
        return query
    q = query.model_copy(deep=True)
    has_own_subject = bool(q.codes or q.units or q.unknown_codes or q.modules)

    if q.ordinal and not q.codes:
        if 1 <= q.ordinal <= len(previous.codes):
            q.codes = [previous.codes[q.ordinal - 1]]
            q.kind = "compare" if q.kind == "compare" else "course_detail"
        else:
            q.kind = "ordinal_out_of_range"
            q.codes = list(previous.codes)
        return q
    if _OTHER_ROLE.search(q.text):
        alternatives = previous.alt_roles or previous.path_alt_roles
        if alternatives:
            q.kind, q.role, q.stages = "role_path", alternatives[0], q.stages or previous.stages
            q.alt_roles = [r for r in [previous.role or previous.path_role] if r]
        else:
            q.kind = "list_roles"
        return q
    if q.wants_total and not has_own_subject and not q.role:
        q.kind, q.codes = "total", list(previous.codes)
        q.role = previous.role if previous.kind == "role_path" else None
        q.alt_roles, q.stages = previous.alt_roles, previous.stages
        return q
    if _SINGLE.search(q.text) and previous.codes and not has_own_subject:
        q.kind, q.codes = "course_detail", [previous.codes[0]]
        return q
    if has_own_subject:
        return q
    if q.role and q.kind == "role_path":
        q.stages = q.stages or previous.stages
        return q
    role = previous.role or previous.path_role  # the role the conversation is about, if any
    if q.stages and role and not q.method:
        q.kind, q.role, q.alt_roles = "role_path", role, previous.alt_roles or previous.path_alt_roles
        return q
    if q.kind in ("filter", "topic") or q.level or q.stages:
        # Narrow or shift the previous list: keep what it had, apply what is new.
        level = q.level or ("進階" if "進階" in q.stages and (3 in previous.modules or previous.level) else None)
        q.modules = previous.modules
        q.level = level or previous.level
        q.min_hours = q.min_hours if q.min_hours is not None else previous.min_hours
        q.max_hours = q.max_hours if q.max_hours is not None else previous.max_hours
        q.method = q.method or previous.method
        if level:
            q.stages = [s for s in q.stages if s != "進階"]
        q.topic = q.topic if len(q.topic) > 1 else previous.topic
        if q.modules or q.level or q.method or q.min_hours is not None or q.max_hours is not None or q.stages:
            q.kind = "filter"
        elif q.topic:
            q.kind = "topic"
    return q
