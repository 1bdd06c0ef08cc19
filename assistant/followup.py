"""Follow-ups that refer back: 「那進階的呢？」, 「這些總共幾小時？」, 「第二門課的大綱是什麼？」."""

from __future__ import annotations

import re

from assistant import vocabulary as V
from assistant.decide import seeks_course
from assistant.models import Context, Query

_BACK = re.compile(r"(?i)^(and |what about|how about|那|那麼|還有|另外|再來|再|這些|這幾|上面|剛剛|剛才|前面|其中|裡面|它|這門|那門|這堂|第)|呢[?？]?$|還剩|剩下|剩哪|哪一個|哪個比較|哪一門比較|這些|這幾門|上述|剛剛|它的|這門課|那門課|(?i:\b(it|its|this course|that course|these|those|them)\b)")
_OTHER_ROLE = re.compile(r"另一個角色|其他角色|另一種角色|另一個呢|另外一個|換成另一|the other role")
_SINGLE = re.compile(r"^(那|那麼|所以)?(它|這門|那門|這堂|該課|這個|那個)|它的|它跟|它和|這門課|那門課|那一門|(?i:\b(it|this course|that course|this one|that one)\b)")
_COMPARE_WITH = re.compile(r"^(那|那麼)?\s*(跟|和|與|比起|相較於?)\s*.{0,20}(比|差|哪一?個|哪門)")
_WITHIN = re.compile(r"裡面|其中|當中|之中|哪一個|哪個比較|哪一門比較|哪門比較")
_LAST = re.compile(r"最後(一|那|這)?[門堂個項]|後面(那|這)?一?[門堂個]|後者")
_WHICH_OF = re.compile(r"\s*(那|那麼|那請問|請問)?\s*(有)?哪(一|幾)?\s*(門|堂|個|些)")  # a which-question: one picked from the list just shown
_PLURAL = re.compile(r"它們|他們各|這兩門|那兩門|這幾門|那幾門|各自")
_TOPIC_SHIFT = re.compile(r"^(那|那麼|還有|那如果是)?\s*[^那這門堂]{1,12}(這類|這種|之類|這些|類)?[^那這門堂]{0,6}呢[?？]?$")
_REFERENCE = re.compile(r"[那這]一?[門堂](?!.{0,2}[都全])")
_AFFIRM = re.compile(r"^(好|要|好啊|好的|好喔|好哦|可以|可以啊|是|是的|對|嗯|ok|okay|yes|sure|麻煩(你|您)?了?|請|請列出來?|列出來|列吧|拜託|當然)[。!！~～啊呀喔哦吧]*$")
_NUMBER_REPLY = re.compile(r"^(?:第)?\s*([1-9一二三四五])\s*(?:個|種|項|號|門)?[。!！]?$")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_ADD_STAGE = re.compile(r"^\s*(?:那|那麼)?\s*(?:再)?(?:加上|加|連同|含|包括)\s*((?:入門|進階|實作)(?:\s*(?:和|跟|、)\s*(?:入門|進階|實作))*)")
_NTH_OF_NOTHING = re.compile(r"^(那)?\s*第\s*[1-9一二三四五]\s*(個|門|種|項|堂)?\s*(呢|咧|勒)?\s*[?？。!！]*$")
_CLOSEST = re.compile(r"最接近|比較接近|最相近|相近的|類似的|差不多的|最像的")
_WHICH_ROLE_OF = re.compile(r"哪(個|一|種|條)?\s*(角色|路徑|路線|階段)|什麼角色|適合誰|誰(來)?上|給誰上")
_LEANS = re.compile(r"偏|比較|那種|那類|那個|為主")
_BUDGET_FIX = re.compile(r"記錯|才對|更正|說錯|打錯|應該是|改成|其實是")
_RELATIVE_YEAR = re.compile(r"(大後年|後年|明年|今年)")
_WHAT_IF = re.compile(r"如果|假如|要是|假設|變成|換成")  # 「那如果有60小時呢」: the same plan with another budget
_STILL_TO_DO = re.compile(r"補|還要|還剩|剩下|還差|還缺")
_PLAN_AGAIN = re.compile(
    r"^(好|好的|好啊|可以|ok)?[，,、\s]*(那|那麼)?\s*(請|麻煩)?(你)?(幫我|幫忙|替我|給我)?\s*"
    r"((排|排一下|排課|規劃|安排|排看看|排吧)(一下|看看)?(課程|學習路徑)?|把?(要上的課|我要上的課|該上的課|課程|課|路徑)(都)?(列出來|列一下|列給我|排出來|排一下))[。.!！]?$"
)
_COMPARES = re.compile(r"差多少|相差|差幾|差距|差別|多幾|少幾")
_THIS_ROLE = re.compile(r"(這|那|此|該)(個|種)?角色|這個身分|(this|that) role")
_HOURS = re.compile(r"幾小時|幾個小時|多少小時|時數|多久|很久|多少時間|how many hours|how long", re.I)
_LISTS = ("count", "module", "filter", "topic", "mentions", "total", "role_path")
NOT_FOLLOWUPS = ("injection", "empty", "out_of_scope", "unanswerable", "document", "help")


def reply_to(query: Query, previous: Context | None) -> Query | None:
    """A short reply to the previous answer's offer (「好」) or clarifying question (「主管」, 「第二個」)."""
    if previous is None or len(query.text) > 12:
        return None
    text = query.text.strip().lower()
    if previous.offer and _AFFIRM.match(text):
        return Query(text=query.text, **previous.offer)
    if previous.kind == "role_path" and previous.role and _AFFIRM.match(text):
        # 「好」 / 「要」 after a path shown in full (nothing was offered): that path again, as it was
        kept = {f: getattr(previous, f) for f in (*PLAN_FIELDS, "budget_total", "stage_a_year", "stages", "modules", "alt_roles")}
        return Query(text=query.text, kind="role_path", role=previous.role, **kept)
    if not previous.choices:
        return None
    if m := _NUMBER_REPLY.match(text):
        n = int(m.group(1)) if m.group(1).isdigit() else _CN[m.group(1)]
        if 1 <= n <= len(previous.choices):
            return Query(text=query.text, **previous.choices[n - 1]["query"])
    for choice in previous.choices:
        label = choice["label"]
        if label in text or text in label:
            return Query(text=query.text, **choice["query"])
    if query.role and not _COMPARES.search(query.text):  # 「我是承辦」 answers a question about the role
        return query.model_copy(update={"kind": "role_path"})
    return None


def _names_its_subject(query: Query) -> bool:
    """The question says what it is about: courses, units, modules, the whole curriculum, a role or a stage."""
    return bool(query.codes or query.modules or query.units or query.whole or query.role or query.stages)


def bare_detail(query: Query) -> bool:
    """A short question with no subject of its own about hours, goals, outline or methods: 「幾小時？」."""
    no_subject = not _names_its_subject(query)
    if _REFERENCE.search(query.text) or _LAST.search(query.text) or query.ordinal:
        return False  # 「最後那門幾小時」: one of the courses, picked below
    text = query.text.lower()
    short = len(re.findall(r"[\u3400-\u9fff]", text)) <= 10 and len(re.findall(r"[a-z]+", text)) <= 6
    return no_subject and short and (bool(_HOURS.search(query.text)) or bool(query.focus))


_YES_NO = re.compile(r"(嗎|是否|有沒有|會不會|要不要)\s*[?？]?\s*$|[?？]\s*$")


def _asks_of_that_course(query: Query, previous: Context) -> bool:
    """A short yes/no question with no subject of its own, right after one course was shown."""
    own = _names_its_subject(query) or query.unknown_codes
    return (
        previous.kind == "course_detail" and len(previous.codes) == 1 and not own and not query.logistics
        and query.kind not in ("injection", "empty", "count", "total") and len(query.text) <= 24
        and bool(_YES_NO.search(query.text)) and not bare_detail(query)
        and not (_BACK.search(query.text) or _OTHER_ROLE.search(query.text))  # 「另一個角色呢？」 is about the path
    )


_SAME_GROUP = re.compile(r"(?:同一?個?|這個|那個|它的|它那個|同樣的?)\s*(單元|模組)")
_ME_TOO = re.compile(r"^(那|啊|欸)?\s*(我|我們|本人)(的話)?\s*(呢|咧|勒)\s*[?？]*$")


def refers_back(query: Query) -> bool:
    if bare_detail(query):
        return True
    no_subject = not (query.codes or query.modules or query.units or query.whole or query.role)
    implicit_total = no_subject and (query.kind == "total" or (query.kind == "count" and bool(_HOURS.search(query.text))))
    return bool(
        _BACK.search(query.text) or _OTHER_ROLE.search(query.text) or query.ordinal or _LAST.search(query.text)
        or _PLURAL.search(query.text) or implicit_total or _COMPARE_WITH.search(query.text)  # 「全部上完要多久」 right after a list: that list
    )


def find_said_codes(text: str) -> list[str]:
    """Course codes written in the message itself."""
    return re.findall(r"(?<![\d.])\d\.\d\.\d(?![\d.])", text)


def resolve(query: Query, previous: Context | None) -> Query:
    """Fill a follow-up's missing slots from the previous answer's context."""
    if previous is None:
        pointing = _SINGLE.search(query.text) or _REFERENCE.search(query.text)
        own = query.codes or query.modules or query.units or query.role or query.whole or query.unknown_codes
        if _NTH_OF_NOTHING.match(query.text.strip()) and not own:
            return query.model_copy(update={"kind": "clarify", "clarify": "reference"})  # 「第二個呢」 with nothing before: which list?
        if _ME_TOO.match(query.text.strip()) and not own:
            return query.model_copy(update={"kind": "clarify", "clarify": "role"})  # 「那我呢」 with nothing before: whose path? ask
        if pointing and not own and len(query.text) <= 8 and bare_detail(query.model_copy(update={"text": _REFERENCE.sub("", query.text)})):
            return query.model_copy(update={"kind": "clarify", "clarify": "reference"})  # 「這門幾小時」 with nothing before: which?
        return query
    if previous.codes and len(query.codes) > 1 and re.search(V.CONSOLIDATED_GROUP, query.text.lower()) and not find_said_codes(query.text):
        inside = [c for c in query.codes if c in previous.codes]  # 「4.2 單元有哪幾門」 then 「整併的那門幾小時」: the one listed
        if inside:
            query = query.model_copy(update={"codes": inside})
    own = _names_its_subject(query)
    it = _SINGLE.search(query.text) or re.search(r"它(?!們)|那門|這門", query.text)
    if it and previous.codes and not (query.codes or query.units or query.modules) and query.role and re.search(V.MEMBERSHIP, query.text):
        # 「有規劃的人也會上到它嗎」 after a course: is that course on the role's path, and where
        return query.model_copy(update={"kind": "course_detail", "codes": list(previous.codes[:1]), "clarify": None})
    if query.unknown_codes and not query.codes:
        return query  # 「那 7.4.1 是幾小時」: a code the syllabus does not have is said so, whatever came before
    role_before = previous.role or previous.path_role
    if previous.kind == "role_path" and previous.stages and role_before and (m := _ADD_STAGE.match(query.text)) and not query.role:
        # 「幫我列會開發的入門」 then 「加上進階是多少小時」: both stages of that path
        added = [s for s, words in V.STAGE_WORDS.items() if any(w in m.group(1) for w in words)]
        return query.model_copy(update={"kind": "role_path", "role": role_before, "clarify": None,
                                        "stages": list(dict.fromkeys(previous.stages + added)), "min_hours": None, "max_hours": None})
    if previous.codes and query.kind == "document" and query.focus and _SINGLE.search(query.text) and not own:
        if len(previous.codes) == 1:  # 「它的大綱有什麼」 after one course: that course's
            return query.model_copy(update={"kind": "course_detail", "codes": list(previous.codes), "clarify": None})
        return query.model_copy(update={"kind": "topic", "clarify": "reference", "within": list(previous.codes)})  # which of them? picked or asked
    if query.kind == "mentions" and _WITHIN.search(query.text) and len(previous.codes) > 1:
        return query.model_copy(update={"within": list(previous.codes)})  # 「其中教學方法有工作坊的是哪幾門」
    asks_own = query.focus or seeks_course(query.text)  # 「好吧 那AI倫理的課幾小時」: a question of its own
    if previous.kind in ("out_of_scope", "injection") and query.kind in ("clarify", "help", "topic", "no_match") and not own and len(query.text) <= 14 and not asks_own:
        return query.model_copy(update={"kind": previous.kind, "clarify": None})  # 「拜託啦 一下下就好」 after a refusal
    if previous.kind == "document" and previous.modules and query.modules and len(query.modules) == 1 and _TOPIC_SHIFT.match(query.text):
        return query.model_copy(update={"kind": "document", "about": True})  # 「模組7在幹嘛」 then 「那模組6呢」
    if previous.kind == "document" and (previous.role or (previous.offer or {}).get("role")) and query.role and query.role_reason == query.role and not query.codes and _TOPIC_SHIFT.match(query.text):
        return query.model_copy(update={"kind": "document", "about": True})  # 「能應用是什麼意思」 then 「那會開發呢」
    if len(previous.codes) == 2 and not own and re.fullmatch(r"\s*(那|所以)?\s*(差在哪(裡|邊)?|差別是什麼|有什麼(不同|差別|差異)|哪裡不一樣|不一樣在哪)\s*[?？]*\s*", query.text):
        return query.model_copy(update={"kind": "compare", "codes": list(previous.codes), "clarify": None})  # 「差在哪裡」 about the two just shown
    if len(previous.codes) > 1 and not own and re.search(r"(每門|每一門|每堂|全部|都)\s*(課)?\s*(都)?\s*(是|為|要)?\s*\d+\s*(小時|hr)", query.text):
        return _hours_of_previous(query.model_copy(update={"kind": "total"}), previous)  # 「每門都是6小時嗎」 after a list: each one's hours
    if query.kind == "extreme" and not own and previous.kind in _LISTS and len(previous.codes) > 1:
        return query.model_copy(update={"codes": list(previous.codes)})  # 「哪一門最短」 right after a list: within it
    if query.kind == "total" and len(query.codes) == 1 and previous.codes and _SINGLE.search(query.text):
        if query.codes[0] not in previous.codes:  # 「那它跟8.1.1加起來呢」: the course just shown and that one
            return query.model_copy(update={"codes": [previous.codes[0], *query.codes]})
    if _WITHIN.search(query.text) and query.role and len(previous.codes) > 1 and not query.codes and query.kind == "role_path":
        return query.model_copy(update={"within": list(previous.codes)})  # 「這些裡面哪些在會開發的實作階段」
    role = previous.role or previous.path_role
    if role and len(query.codes) == 1 and not query.role and re.search(r"哪(個|一)?階段|什麼階段|第幾階段", query.text):
        return query.model_copy(update={"kind": "course_detail", "role": role})  # 「生成式AI圖像那門在哪個階段」: on the path just shown
    if query.codes and previous.taken and "補" in query.text and not query.taken:
        query = query.model_copy(update={"taken": list(previous.taken)})  # 「那4.2.4要怎麼處理，補哪幾門」 after what was taken
    if role and query.role and query.role != role and _COMPARES.search(query.text) and not query.codes:
        # 「那如果換成能應用的，總時數差多少」 after another role's path: the two paths' hours
        return query.model_copy(update={"kind": "list_roles", "clarify": "compare_roles", "alt_roles": [role]})
    if query.headcount and role and previous.kind == "role_path" and not query.role and not query.codes:
        # 「如果全機關50個人都上這條，總共幾人時」: the path just shown, times the people
        return query.model_copy(update={"kind": "role_path", "role": role, "clarify": None, "stages": previous.stages,
                                        "alt_roles": previous.alt_roles or previous.path_alt_roles})
    from assistant.decide import has_plan_constraints

    follows = re.search(V.PATH_FOLLOW, query.text) and query.kind in ("clarify", "topic", "no_match", "help", "total", "count", "list_roles", "role_path")
    own_subject = query.role or query.codes or query.units or query.modules or query.unknown_codes or query.stages or any(r in query.text for r in V.ROLE_NAMES)
    # 「所以我該走哪條路徑？」 reads as a bare path request, like 「路徑?」
    bare = bool(follows and not own_subject and not seeks_course(query.text) and not has_plan_constraints(query) and query.budget is None)
    bare = bare or bool(re.match(V.BARE_PATH_REQUEST, query.text.strip().lower()))
    if role and bare and not query.role:
        # 「路徑?」, 「給我課表」 after the user said who they are: their path, as planned so far
        keep = _had_plan(previous) and previous.role == role
        update = {"kind": "role_path", "clarify": None, "role": role, "alt_roles": previous.alt_roles or previous.path_alt_roles, "stages": []}
        if keep:
            update.update(taken=list(previous.taken), budget=previous.budget, budget_total=previous.budget_total, years=previous.years,
                          exclude_modules=list(previous.exclude_modules), exclude_courses=list(previous.exclude_courses), split=previous.split)
        return query.model_copy(update=update)
    if role and _THIS_ROLE.search(query.text) and re.search(V.ABOUT_PATTERN, query.text.lower()) and not query.role:
        # 「那這個角色在課綱裡的定義是？」 after a path: that role, in the document's words
        return query.model_copy(update={"kind": "document", "about": True, "role": role, "role_reason": role, "codes": [], "clarify": None})
    if _asks_of_that_course(query, previous):
        # 「會去外面參訪嗎？」 right after 5.3: answered from that course's own text
        return query.model_copy(update={"kind": "topic", "clarify": "reference", "within": list(previous.codes)})
    slots = query.method or query.level or query.hours_said
    if query.kind == "filter" and slots and _WHICH_OF.match(query.text) and previous.kind in _LISTS and len(previous.codes) > 1 and not (
        query.codes or query.units or query.modules or query.whole or query.role or query.stages
    ):
        # 「模組2有哪些課」 then 「哪一門有用PBL」: one picked from the list just shown
        return query.model_copy(update={"kind": "topic", "clarify": None, "within": list(previous.codes), "topic": ""})
    alternatives = previous.alt_roles or previous.path_alt_roles
    planner, applier = _said_of_own_work(query.text.lower(), V.MID_PLANNER), _said_of_own_work(query.text.lower(), V.MID_APPLIER)
    short_lean = len(query.text) <= 14 and _LEANS.search(query.text) and (planner or applier)
    own_lean = "我" in query.text and planner != applier and query.kind in ("topic", "clarify", "role_path") and not seeks_course(query.text)
    if role_before and alternatives and not (query.role or query.codes) and (short_lean or own_lean):
        # 「偏管理規劃那種」, 「我主要是自己用AI工具處理業務，不太負責規劃」 after a 中階 path: the role it leans to
        return _more_about_self(query, previous, role_before)
    if previous.kind in ("no_match", "topic") and previous.topic and _CLOSEST.search(query.text) and not own:
        return query.model_copy(update={"kind": "topic", "topic": previous.topic, "clarify": "closest"})  # 「那有什麼最接近的」 after no course
    if len(previous.codes) == 1 and not own and (m := _SAME_GROUP.search(query.text)):
        # 「4.2.2 在哪個模組」 then 「同一個單元還有哪些課」: that course's unit (or module)
        code = previous.codes[0]
        if m.group(1) == "單元":
            unit = code if code.count(".") == 1 else code.rsplit(".", 1)[0]
            return query.model_copy(update={"kind": "unit", "units": [unit], "clarify": None})
        return query.model_copy(update={"kind": "module", "modules": [int(code.split(".")[0])], "clarify": None})
    if previous.kind in ("list_modules", "count") and not previous.codes and query.ordinal and 1 <= query.ordinal <= 8 and not own:
        return query.model_copy(update={"kind": "document", "about": True, "modules": [query.ordinal], "ordinal": None})  # 「那第八個是什麼」
    if previous.codes and _SINGLE.search(query.text) and _WHICH_ROLE_OF.search(query.text) and not own:
        if len(previous.codes) == 1:  # 「這門比較適合哪個角色」: the course's paths
            return query.model_copy(update={"kind": "course_detail", "codes": list(previous.codes), "role": None, "clarify": None})
        return query.model_copy(update={"kind": "topic", "clarify": "reference", "within": list(previous.codes), "role": None})
    if not refers_back(query):
        role = previous.role or previous.path_role
        if role and not query.role and (query.clarify == "role_or_topic" or query.assumed_role) and query.kind in ("clarify", "role_path"):
            return _more_about_self(query, previous, role)  # 「我是中階主管」 then 「我主要負責推動AI政策」
        if query.kind == "clarify" and query.clarify == "role" and role:
            # 「What should I take first?」 after the user said who they are: ask nothing, use it
            stages = query.stages or (["入門"] if query.intent == "start" and not query.year_asked and query.budget is None else [])
            return query.model_copy(update={"kind": "role_path", "clarify": None, "role": role, "stages": stages,
                                            "alt_roles": previous.alt_roles or previous.path_alt_roles})
        if role and previous.kind in ("role_path", "document", "list_roles") and _PLAN_AGAIN.match(query.text.strip()):
            return query.model_copy(update={"kind": "role_path", "clarify": None, "role": role, "stages": previous.stages})
        return _stage_of_the_role(query, previous)
    has_slots = bool(query.stages or query.modules or query.method or query.level) or query.hours_said
    shifts = ("out_of_scope", "clarify", "topic", "document", "help") if previous.kind == "topic" else ("out_of_scope", "clarify", "topic")
    if query.kind in shifts and _TOPIC_SHIFT.match(query.text) and not query.role and not has_slots and not _REFERENCE.search(query.text) and not query.wants_total and not (
        (_SINGLE.search(query.text) or bare_detail(query)) and previous.codes
    ):
        return query.model_copy(update={"kind": "topic", "clarify": None})  # 「那區塊鏈呢」 after a topic answer
    if query.kind == "unanswerable" and not query.logistics and bare_detail(query) and previous.codes:
        return _hours_of_previous(query.model_copy(update={"kind": "total"}), previous)  # 「要學很久嗎」 after a path: its hours
    if query.kind in NOT_FOLLOWUPS:
        return query
    q = query.model_copy(deep=True)
    has_own_subject = bool(q.codes or q.units or q.unknown_codes or q.modules or q.whole)
    if bare_detail(q) and previous.codes and q.kind not in ("total", "count"):
        if len(previous.codes) == 1:
            q.kind, q.codes, q.clarify = "course_detail", list(previous.codes), None  # 「幾小時？」 about the course just shown
            return q
        if _HOURS.search(q.text):
            return _hours_of_previous(q, previous)
    if q.kind == "count" and not has_own_subject and previous.codes and _HOURS.search(q.text):
        return _hours_of_previous(q, previous)  # 「總共幾小時」 after a list: its hours, not its count
    if q.kind in ("count", "extreme") and not has_own_subject and previous.codes:
        q.codes = list(previous.codes)  # 「其中最長的是哪一門」: within the previous list
        return q
    if q.kind == "list_methods" and not has_own_subject and 1 <= len(previous.codes) <= 4 and not q.ordinal:
        q.kind, q.codes, q.focus = "course_detail", list(previous.codes), ["methods"]  # 「教學方法呢」 about those courses
        return q

    if previous.codes and len(q.codes) == 1 and q.codes[0] != previous.codes[0] and _COMPARE_WITH.search(q.text):
        q.kind, q.codes = "compare", [previous.codes[0], q.codes[0]]  # 「跟 5.3 比，哪一個比較長」
        return q
    if _WITHIN.search(q.text) and len(previous.codes) > 1 and not has_own_subject and len(q.topic) >= 2 and q.kind in ("topic", "clarify", "filter"):
        q.kind, q.clarify, q.within = "topic", None, list(previous.codes)  # 「裡面跟法律有關的」
        return q
    if _SINGLE.search(q.text) and previous.codes and len(q.codes) == 1 and q.kind in ("course_detail", "compare"):
        if q.codes[0] != previous.codes[0] and (q.intent == "compare" or q.kind == "compare" or re.search(r"比|一樣|相同|不同|差別", q.text)):
            q.kind, q.codes = "compare", [previous.codes[0], q.codes[0]]  # 「那它跟 X 比呢」
            return q
    if _LAST.search(q.text) and previous.codes and not q.codes and not q.role:
        q.ordinal = len(previous.codes)  # 「最後那門」
    if _REFERENCE.search(q.text) and len(previous.codes) > 1 and not has_own_subject and not q.ordinal:
        q.kind, q.clarify = "topic", "reference"
        q.within = list(previous.codes)  # 「那整併版的那門」: one of the courses just listed
        return q
    if q.kind == "clarify" and q.clarify == "role" and (previous.role or previous.path_role) and not (q.ordinal and previous.codes):
        q.kind, q.clarify = "role_path", None
        q.role = previous.role or previous.path_role
        q.alt_roles = previous.alt_roles or previous.path_alt_roles
        if q.intent == "start" and not q.stages and q.budget is None:
            q.stages = ["入門"]
        return q

    if _PLURAL.search(q.text) and 1 < len(previous.codes) <= 4 and not has_own_subject and q.kind in ("count", "total") and _HOURS.search(q.text):
        q.kind, q.codes, q.clarify = "total", list(previous.codes), None  # 「那這兩門各幾小時」: each of them and together
        return q
    if _PLURAL.search(q.text) and 1 < len(previous.codes) <= 4 and not has_own_subject and q.kind not in ("count", "extreme", "total"):
        q.kind, q.codes, q.clarify = "course_detail", list(previous.codes), None  # 「它們各自…」: each of them
        return q
    ends = re.search(V.FIRST_COURSE, q.text.lower()) or re.search(V.LAST_COURSE, q.text.lower())
    if q.stages and role_before and not (q.role or q.codes) and ends:
        # 「那進階階段第一門是什麼」 after a path: that stage's first course, not the list's
        return q.model_copy(update={"kind": "role_path", "role": role_before, "ordinal": None, "clarify": None,
                                    "alt_roles": previous.alt_roles or previous.path_alt_roles})
    if q.ordinal and q.ordinal < 0 and len(previous.codes) >= -q.ordinal:
        q.ordinal = len(previous.codes) + 1 + q.ordinal  # 「倒數第二門」
    if q.ordinal and not q.codes and not q.role:  # 「能應用的第一門」 is that path's, not the previous list's
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
    if q.wants_total and not has_own_subject and not q.role and q.stages and (previous.role or previous.path_role):
        return _stage_of_the_role(q.model_copy(update={"kind": "role_path"}), previous)  # 「入門階段總共幾小時」
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
        if q.modules or q.level or q.method or q.hours_said or q.stages:
            q.kind = "filter"
        elif q.topic:
            q.kind = "topic"
    return q


_NEGATION = re.compile(r"不|沒|非|無")
# The user says their work changed or is other than assumed: a lean of the words is then their role.
_CHANGE = re.compile(r"其實|調到|調去|轉調|轉到|改做|改當|現在(是|在|做)|已經不|比較偏|偏向|主要是")


def _said_of_own_work(text: str, words: list[str]) -> bool:
    """Some of the words said of one's work and not negated nearby (「沒有在訂政策」, 「政策不太是我在管」)."""
    for word in words:
        for m in re.finditer(re.escape(word), text):
            # within the word's own clause: 「用AI工具處理業務，不太負責規劃」 negates 規劃, not 業務
            before = re.split(r"[，,。；;]", text[max(0, m.start() - 5) : m.start()])[-1]
            after = re.split(r"[，,。；;]", text[m.end() : m.end() + 4])[0]
            if not _NEGATION.search(before + after):
                return True
    return False


def _more_about_self(query: Query, previous: Context, role: str) -> Query:
    """The user goes on about their own work after saying who they are: the role stays theirs (a
    中階 pick between 有規劃 and 能應用 follows the words of the work), and a task they name is what is asked."""
    from assistant.decide import own_task

    text = query.text.lower()
    alternatives = [role, *(previous.alt_roles or previous.path_alt_roles)]
    planner, applier = _said_of_own_work(text, V.MID_PLANNER), _said_of_own_work(text, V.MID_APPLIER)
    lean = "有規劃" if planner and not applier else "能應用" if applier and not planner else None
    if lean and (lean in alternatives or _CHANGE.search(text)):
        role = lean  # 「我比較偏執行面，沒有在訂政策」, 「其實我調到業務科當承辦了」
    alt = [r for r in dict.fromkeys(alternatives) if r != role]
    q = query.model_copy(update={"kind": "role_path", "clarify": None, "role": role, "alt_roles": alt, "assumed_role": False})
    wants = re.search(V.WANTS, text) or seeks_course(query.text)
    if wants and len(own_task(q).replace(" ", "")) >= 2:
        q.clarify = "task"  # their task's courses when some clearly teach it, else their path
    return q


def _stage_of_the_role(query: Query, previous: Context) -> Query:
    """「入門階段要上哪些？」 with no role, while the conversation is about one: that role's stage."""
    role = previous.role or previous.path_role
    other_slots = query.codes or query.units or query.modules or query.method or query.level or query.whole
    bounded = query.hours_said
    if not role or not query.stages or query.role or other_slots or bounded or query.kind not in ("clarify", "filter", "role_path", "count", "total"):
        return query
    return query.model_copy(
        update={"kind": "role_path", "clarify": None, "role": role, "alt_roles": previous.alt_roles or previous.path_alt_roles}
    )


PLAN_FIELDS = ("taken", "budget", "years", "exclude_modules", "exclude_courses", "split")


def _had_plan(previous: Context) -> bool:
    return previous.kind == "role_path" and bool(
        previous.taken or previous.budget is not None or previous.years > 1 or previous.exclude_modules or previous.exclude_courses or previous.split
        or previous.stage_a_year
    )


def continue_plan(query: Query, previous: Context | None) -> Query:
    """A personal plan's constraints said after a path (「那如果今年只有 20 小時呢」, 「分兩年呢」, 「我上過 1.1.1 了」):
    the conversation's role, and the previous plan's constraints unless said anew."""
    from assistant.decide import has_plan_constraints

    if previous is None or query.kind in ("injection", "empty"):
        return query
    order = list(V.STAGE_WORDS)  # 入門 → 進階 → 實作
    first_year = re.search(r"第一年|第1年|今年", previous.question)
    if previous.kind == "role_path" and previous.role and first_year and previous.stages and len(previous.stages) < len(order) and not previous.stage_a_year \
            and not (query.stages or query.codes or query.role) and (query.year_asked == 2 or "明年" in query.text):
        # 「第一年上入門跟進階」 then 「第二年呢」: the stages not yet planned
        rest = [s for s in order if s not in previous.stages]
        return query.model_copy(update={"kind": "role_path", "role": previous.role, "stages": rest, "year_asked": None,
                                        "clarify": None, "alt_roles": previous.alt_roles})
    if _had_plan(previous) and (previous.stage_a_year or previous.years > 1) and not query.year_asked and (m := _RELATIVE_YEAR.search(query.text)):
        query = query.model_copy(update={"year_asked": V.RELATIVE_YEARS[m.group(1)]})  # 「那明年呢」 in a plan by years: its second year
    budget_again = _BUDGET_FIX.search(query.text) or (len(query.text) <= 20 and _WHAT_IF.search(query.text) and not _RELATIVE_YEAR.search(query.text))
    if _had_plan(previous) and previous.budget is not None and budget_again and (m := re.search(r"(\d{1,3})\s*(小時|hr|h\b)", query.text)):
        # 「啊我記錯了 是40小時才對」: the same plan with the budget said now
        query = query.model_copy(update={"kind": "role_path", "role": query.role or previous.role, "budget": int(m.group(1)),
                                         "budget_total": previous.budget_total, "min_hours": None, "max_hours": None, "clarify": None})
    left = asks_what_is_left(query, previous)
    if (query.codes or query.units or query.kind in NOT_FOLLOWUPS) and not left:
        return query
    after_path = previous.kind == "role_path"
    new_plan = has_plan_constraints(query) or (after_path and (query.split or query.budget is not None))
    role = query.role or previous.role or previous.path_role
    q = query
    if new_plan and role and q.kind in ("role_path", "clarify", "filter", "topic", "total", "count", "module"):
        q = q.model_copy(update={"kind": "role_path", "role": role, "clarify": None, "min_hours": None, "max_hours": None})
        if not query.role:
            q.alt_roles = previous.alt_roles or previous.path_alt_roles
            q.stages = q.stages or (previous.stages if after_path else [])
    again = bool(_PLAN_AGAIN.match(query.text.strip()))
    if left:
        # 「還剩多少小時」, 「剩下的呢」, 「接下來上什麼」 after a personal plan: that plan again, stages as
        # before unless one is named now (not the 「從哪開始」 reading of 入門).
        said = [stage for stage, words in V.STAGE_WORDS.items() if any(w in query.text.lower() for w in words)]
        q = q.model_copy(update={"kind": "role_path", "role": previous.role, "clarify": None, "stages": said,
                                 "alt_roles": previous.alt_roles, "min_hours": None, "max_hours": None})
    if q.kind == "role_path" and _had_plan(previous) and previous.taken and q.role != previous.role and not q.taken and _STILL_TO_DO.search(query.text):
        q = q.model_copy(update={"taken": list(previous.taken)})  # 「現在改走有規劃，入門還要補什麼」: what was taken still counts
    if q.kind == "role_path" and previous.kind != "role_path" and previous.taken and not q.taken and not q.taken_roles:
        # 「上過4.2.4，4.2.2還要上嗎」 then 「那我的路徑還剩幾小時」: what was said to be taken still counts
        q = q.model_copy(update={"taken": list(previous.taken)})
    scheduled = bool(re.search(r"排|照這|照剛", query.text))  # 「照有規劃排的話是哪幾門」 after a budget: that plan
    if q.kind == "role_path" and _had_plan(previous) and q.role == previous.role and (new_plan or refers_back(query) or again or left or scheduled):
        q = q.model_copy(
            update={
                "taken": list(dict.fromkeys(previous.taken + q.taken)),
                "budget": q.budget if q.budget is not None else previous.budget,
                "budget_total": q.budget_total if q.budget is not None else previous.budget_total,
                # 「那第二年要上哪些」 after a year's budget: the plan runs at least that many years
                "years": max(q.years if q.years > 1 else previous.years, q.year_asked or 1),
                "exclude_modules": q.exclude_modules or previous.exclude_modules,
                "exclude_courses": list(dict.fromkeys(previous.exclude_courses + q.exclude_courses)),
                "split": q.split or previous.split,
                "stages": q.stages or previous.stages,
                "modules": q.modules or previous.modules,
                "min_hours": None,
                "max_hours": None,
            }
        )
        if previous.stage_a_year and q.year_asked and not q.budget:
            order = list(V.STAGE_WORDS)  # 入門 → 進階 → 實作
            if 1 <= q.year_asked <= len(order):
                # 「一年一個階段」 then 「那第三年要上哪些」: the third stage of the path
                q = q.model_copy(update={"stages": [order[q.year_asked - 1]], "years": 1, "stage_a_year": True})
    return q


def asks_what_is_left(query: Query, previous: Context) -> bool:
    """What is left of the previous personal plan: no subject of its own, a word for "the rest"."""
    own_subject = query.codes or query.units or query.modules or query.whole or query.unknown_codes
    other_role = query.role is not None and query.role != previous.role
    text = query.text.lower()
    # 「那整條路徑還要幾小時」, 「這樣總共幾門」: the plan just made, counted
    of_plan = re.search(r"整條|路徑|這樣|如此|扣掉|扣除|去掉", text) and (_HOURS.search(text) or any(w in text for w in V.COUNT_WORDS))
    return _had_plan(previous) and not own_subject and not other_role and (any(w in text for w in V.REMAINING_WORDS) or bool(of_plan))


def _hours_of_previous(q: Query, previous: Context) -> Query:
    """The hours of what was just listed: a role's stage stays that stage, else the listed courses."""
    role = previous.role or previous.path_role
    if previous.kind == "role_path" and role:
        # (「入門要幾個小時」 after a path: the stage named now)
        return q.model_copy(update={"kind": "role_path", "role": role, "stages": q.stages or previous.stages, "alt_roles": previous.alt_roles or previous.path_alt_roles})
    return q.model_copy(update={"kind": "total", "codes": list(previous.codes)})
