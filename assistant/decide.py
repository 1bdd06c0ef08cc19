"""Which kind of answer to give: the rules' slots and the trained intent, with a confidence.

Rules read slots from the corpus's own words (codes, names, hours, modules, roles…) and
are trusted for what they find. The kind of question comes from the intent classifier;
when it is unsure, or its top two intents are close, and the slots do not settle it,
the assistant asks instead of guessing.
"""

from __future__ import annotations

import re

from assistant import vocabulary as V
from assistant.models import Query
from nlu.thresholds import thresholds

# Kinds the rules settle on their own: an explicit code, a unit, a reference to a list position…
RULE_FIXED = {"empty", "injection", "unknown_code", "ordinal_out_of_range", "compare", "unit", "mentions"}
# Intents that take a question away from whatever slots it happens to mention.
NOT_ABOUT_COURSES = {"unanswerable", "document", "out_of_scope"}
# Intents that compute over the slots the rules found.
AGGREGATES = {"count", "extreme", "total"}
_COURSE_SEEKING = re.compile(r"有沒有教|有教|在教|教.{0,8}(嗎|的課)|的課|course")
_STAGE_LIST = re.compile(r"階段\s*分\s*(成|為)?\s*(哪幾|哪些|幾)|(哪幾個|哪些|幾個|分成|分為)\s*(學習)?階段|階段\s*(有哪些|有哪幾個|分成|分為|是哪|有幾個|怎麼分)|(which|what) stages")
_WHY = re.compile(r"為什麼|為何|\bwhy\b", re.IGNORECASE)
# 「要幫同仁排AI課，怎麼排」: a plan for others, whose work is not said
_PLAN_FOR_OTHERS = re.compile(r"(幫|替|給|為)\s*(同仁|同事|部屬|屬下|組員|大家|新人|新進|學員|他們|單位)\S{0,6}(排|規劃|安排)")
# 「入門那三門 1.1.1 1.2.1 4.2.2 都上過了」: a stage naming what was taken
_STAGE_WAS_TAKEN = re.compile(r"(入門|進階|實作)(階段)?\s*(那|的)?\s*([一二兩三四五六七八九\d]+\s*門)?[\s\d.、,，跟和]*(都|全|全部)?\s*(已經)?\s*(上過|上完|修過|修完)")
_NO_SUCH_MODULE = re.compile(r"(模組|module)\s*(9|[1-9]\d|九|十)|第\s*(9|[1-9]\d|九|十)\s*個?\s*模組")
_MY_ROLE = re.compile(r"我.{0,4}(適合|屬於|算是?|該是|該走|歸在|是)哪|(適合|屬於)我的?(是)?哪")  # which role is *mine*: theirs to say
_WHY_LEFT = re.compile(r"為什?麼?|為何|why|是|有些|有的|都|要", re.IGNORECASE)  # what a why-word leaves in the topic
_GENERIC = re.compile(r"\s|\bhi\b|\bhello\b|哈囉|你好|您好|想問|問一下|請問|問|想|事情|事|規劃一下|排一下|規劃|安排|幫我|一下|嗨|幾小時|多少小時|才夠|which|courses|course|should|take|what|\bi\b|公務員|公務人員|公務|哪一個|哪個|哪些|哪一些|新來的|要上|該上|[我你您他]|一些|一點|幾門|幾堂|一門|一堂|給|點|相關|的|啥|什麼|東西|東東|課程|課|ai|人工智慧|人工智能|推薦|建議|學|上|適合|好|知道|自己|該|應該|需要|要|選修|修")


def generic(topic: str) -> bool:
    """Nothing left once pronouns, quantifiers and "AI course" words are gone: 「推薦我一些AI課程」."""
    return not _GENERIC.sub("", topic.lower())


# Pairs of intents that lead to the same answer here: a close runner-up from the pair is no ambiguity.
COMPATIBLE = [{"count", "total"}, {"role_path", "start"}, {"module", "list_modules"}]


def sure(query: Query) -> bool:
    t = thresholds().intent
    if query.confidence < t.confident:
        return False
    return query.margin >= t.margin or {query.intent, query.runner_up} in COMPATIBLE


_TITLES_LONGEST_FIRST = sorted({w.lower() for w in V.TITLE_WORDS if len(w) >= 2}, key=len, reverse=True)


_DESCRIBED_COURSE = re.compile(r"([^，,。！？?!：:]{2,24}?)\s*的?\s*(?:那|這)\s*一?\s*(?:門|堂)")


# 「5.1.1 跟哪些課的教學方法完全一樣」: other courses taught the same way as the one named
SAME_METHODS = re.compile(r"^(?=.*(跟|和|與))(?=.*(哪些|哪幾門|哪一?門|其他|還有))(?=.*(教學方法|教法|上課方式|教學方式))(?=.*(一樣|相同|同樣))", re.S)
# 「所以所有課都是6小時嗎」, 「每門課都一樣長嗎」: whether the courses all have one size
ALL_ONE_SIZE = re.compile(r"((所有|全部|每一?門|每堂|各門)\s*(的)?\s*(課|課程)?|(模組\s*\d|課綱)\s*(裡)?\s*的?\s*(課|課程))\s*(都|全)\s*(是|一樣|相同|同樣)\s*(\d+\s*(小時|個小時)|長|多久|的時數)?\s*(嗎|吗|[?？]|對吧|是不是)")
_UNITS_ASKED = re.compile(r"(哪幾個|哪些|有幾個|幾個|什麼)\s*(課程)?單元|單元\s*(有哪|是哪|有幾|分別)")


def described_course(query: Query) -> str | None:
    """The description of a course described by its subject instead of named (「委外驗收那門」,
    「教AI畫圖的那門課」), no code said; None otherwise."""
    m = _DESCRIBED_COURSE.search(query.text)
    plan = query.taken or query.taken_stages or query.taken_modules or query.budget is not None or query.exclude_courses
    return m.group(1) if m and not query.codes and not plan and not generic(m.group(1)) else None


def self_described(query: Query) -> bool:
    text = query.text.lower()
    reason = (query.role_reason or "").lower()
    leading_title = bool(reason) and reason not in V.ROLE_NAMES and 0 <= text.find(reason) <= V.OCCUPATION_LEAD
    # 「科長 有規劃」, 「資訊室的 先排入門」: a title opening the message is the user's own
    opens_with_title = any(text.startswith(w) for w in _TITLES_LONGEST_FIRST)
    others = re.sub(r"(幫|給|為|替)[^，,。]{0,12}?(人員|同仁|同事|們)", " ", text)  # 「要幫法制人員開一個AI專班」: whom a class is for
    others = re.sub(r"(有教|在教|教|講)[^，,。師]{0,6}", " ", others)  # 「有教AI採購的嗎」: a subject taught, not the user's job
    return any(w in text for w in V.SELF_MARKERS) or any(w in others for w in V.OCCUPATION_WORDS) or leading_title or opens_with_title


def personal_topic(query: Query) -> str:
    """The topic once the user's description of themself is taken out (「我是警察想學AI」 → "")."""
    topic = query.topic
    for word in sorted(V.SELF_MARKERS + V.OCCUPATION_WORDS, key=len, reverse=True):
        topic = topic.replace(word, " ")
    topic = re.sub(r"^(我|本人|敝人)|(想|要|學|想要|適合|該|可以|[ 　,，。!！?？])", "", topic)
    return topic.strip()


def seeks_course(text: str) -> bool:
    """The question asks whether some course teaches a thing (「有沒有教」, 「哪門最對口」, 「有課嗎」)."""
    return bool(re.search(V.SEEKS_COURSE, re.sub(V.AI_WORDS, "", text.lower())))


# Longest first, so that 「資訊室」 goes before 「資訊」; built once.
_NOT_A_TASK = sorted(dict.fromkeys(w.lower() for w in [*V.TITLE_WORDS, *V.ROLE_NAMES, *V.SELF_MARKERS, *V.OCCUPATION_WORDS, *V.PATH_REQUEST_WORDS, "長官", "上司", "老闆", "要我", "叫我"]), key=len, reverse=True)


_WORKPLACE = re.compile(r"[\u3400-\u9fff]{1,6}(處|室|科|局|所|署|課|組|隊|中心|學校|醫院|公所)|[\u3400-\u9fff]{0,2}(職員|員工|人員|同仁)")
_ANY_WORK = re.compile(r"(只想|想|要)?\s*(在|於)?\s*(日常|平常|一般)?\s*(行政工作|行政作業|日常工作|日常業務)\s*(上|中)?\s*(用|應用|使用)?\s*(ai)?")
_SUBJECT_NAMED = re.compile(r"(跟|和|與|關於)\s*([^，,。？?、\s跟和與]{2,12}?)\s*(有關|相關)")


def own_task(query: Query) -> str:
    """What a self-description asks about besides the path: titles, self and path words taken out
    (「我是資訊室的，想學怎麼訓練大型語言模型」 → 「怎麼訓練大型語言模型」; 「我是科長，該上哪些課」 → "")."""
    if named := _SUBJECT_NAMED.search(query.text.lower()):
        return named.group(2).strip()  # 「哪幾門跟廣宣有關」: the subject said outright
    topic = re.sub(r"[一二三四五六七八九十\d]{1,3}\s*職等|薦任|委任|簡任", " ", query.topic)  # a grade is who they are
    topic = _ANY_WORK.sub(" ", topic)  # 「只想在行政工作上用AI」: AI for the work in general, no task named
    for word in _NOT_A_TASK:
        topic = topic.replace(word, " ")
    words = [w for w in topic.split() if len(w) >= 2]  # 「公關科」 leaves 「科」: not a subject
    # 「國中教務處」, 「職員」 and nothing else: where they work and who they are, no task
    return "" if all(_WORKPLACE.fullmatch(w) for w in words) else " ".join(words)


def asks_about(query: Query) -> bool:
    """What a module, or a role named as such, is — not its courses, not the user's own path."""
    text = query.text.lower()
    speaks_of_self = "我" in text or re.search(r"\bi(?:'m| am)\b", text)
    # 「會開發是要自己寫程式嗎？我們資訊室…」: the role is what the question is about, whoever goes on to speak
    named_role = bool(query.role) and query.role_reason == query.role and (not speaks_of_self or text.lstrip("「『").startswith(query.role))
    if not (query.modules or named_role) or query.codes or len(query.modules) > 1 or has_plan_constraints(query):
        return False
    if any(w in text for w in V.COURSE_LIST_WORDS) or any(w in text for w in V.COUNT_WORDS) or any(w in text for w in V.HOURS_WORDS):
        return False
    return bool(re.search(V.ABOUT_PATTERN, text))


def assume_staff(query: Query) -> Query:
    """No grade, title or role said: plan 能應用 (the curriculum's role for staff of every grade)
    and offer the other two as choices, rather than refuse or only ask."""
    query.kind, query.clarify, query.role, query.assumed_role = "role_path", None, "能應用", True
    query.alt_roles = ["有規劃", "會開發"]
    return query


def has_plan_constraints(query: Query) -> bool:
    """Courses taken (by code, name, stage, module or a role's path), a budget said as one, years or modules left out: a personal plan is asked for."""
    taken = bool(query.taken or query.taken_stages or query.taken_modules or query.taken_roles)
    budget = query.budget is not None and (query.budget_strong or bool(query.role) or taken)
    # 「規劃未來五年怎麼買AI，有沒有課」: years of the task, not of a plan, when a course is what is asked
    # (「機關未來三年要陸續採購AI系統」: the years of the agency's task, likewise)
    task_years = re.search(r"未來\s*\S{1,2}\s*年\s*(要|會|將)?\s*(陸續|逐步)?\s*(採購|導入|建置|推動|發展|買|汰換)", query.text)
    years = query.years > 1 and not seeks_course(query.text) and not task_years
    return bool(
        taken or years or query.exclude_modules or query.exclude_courses or budget or query.stage_a_year or (query.year_asked and query.year_asked > 1)
    )


def _has_filters(query: Query) -> bool:
    return bool(
        query.hours_said or query.method or query.level or query.stages or query.modules
    )


def decide(query: Query) -> Query:
    """Set `kind` (and `clarify`) from the rule kind and the intent guess."""
    q = query
    intent, confident = q.intent, sure(q)
    if intent is not None and (description := described_course(q)) and (q.kind == "mentions" and q.mention_field == "methods" or q.kind not in RULE_FIXED) and (
        q.focus or intent in ("course_detail", "compare") or q.kind == "mentions"
    ):
        q.kind, q.clarify, q.role, q.mentions = "topic", "reference", None, None  # 「委外驗收那門幾小時」: that course, found or asked
        q.topic = description.lower()  # the description, not what is asked of it
        q.vector = None  # searched by the description's own embedding, not the whole question's
        if q.mention_field == "methods" and "methods" not in q.focus:
            q.focus = [*q.focus, "methods"]
        return q
    if q.kind in RULE_FIXED or intent is None:
        return q
    if q.unknown_method and intent in ("filter", "list_methods", "count", "topic", "course_detail"):
        q.kind = "list_methods"  # 「哪些課採用翻轉教學」: no course does; the methods that are used
        return q
    rule = q.kind
    if len(q.codes) == 1 and SAME_METHODS.search(q.text):
        q.kind = "filter"  # 「5.1.1 跟哪些課的教學方法完全一樣」: the courses taught the same way, from the data
        return q
    if ALL_ONE_SIZE.search(q.text) and not (q.codes or q.role):
        q.kind = "filter"  # 「所有課都是6小時嗎」: the sizes the courses come in, answered from the data
        return q
    if len(q.modules) == 1 and not (q.codes or q.units or q.role) and _UNITS_ASKED.search(q.text):
        q.kind = "module"  # 「模組7有哪幾個課程單元」: the module's overview, unit by unit
        return q
    if _NO_SUCH_MODULE.search(q.text.lower()) and not (q.modules or q.codes):
        q.kind = "list_modules"  # 「列出模組9的課」: there are eight; the list says so
        return q
    if "list_roles" in (rule, intent) and not (q.grade or q.role or q.codes) and _MY_ROLE.search(q.text):
        q.kind, q.clarify = "clarify", "role"  # 「我適合哪個角色」 with nothing said of the work: ask, with the choices
        return q
    if rule == "out_of_scope" and q.logistics and re.search(V.BRING_TO_CLASS, q.text.lower()):
        q.kind = "unanswerable"  # 「要自備筆電嗎」: what to bring to class, not shopping
        return q
    if rule == "out_of_scope" and (any(w in q.text.lower() for w in V.STRONG_TASK_WORDS) or re.search(V.DO_MY_WORK, q.text.lower())):
        return q  # 「推薦一台跑AI的筆電，我要採購」: shopping, whoever asks; 「幫我寫心得報告」: our work, not a course
    if q.role and q.role_reason == q.role and re.fullmatch(r"\s*[「『]?(有規劃|能應用|會開發)[」』]?\s*(的|這個)?\s*(角色|路徑)?\s*[?？!！。~～]*\s*", q.text):
        q.kind = "role_path"  # 「有規劃」 alone: the user names their role (the answer opens with its definition)
        return q

    if re.search(V.LEVELS_ASKED, q.text.lower()) and not q.codes:
        if q.modules and (m := re.search(r"(基礎|進階)\s*(的課|的)?\s*(是|有)?\s*(哪幾門|哪些|有哪|是哪)", q.text)):
            q.kind, q.level, q.stages = "filter", m.group(1), []  # 「模組3分基礎跟進階 進階是哪幾門」: that level's courses
            return q
        q.kind, q.clarify = "document", "levels"  # 「哪個模組有分基礎跟進階」: from the data
        return q

    two_named = [r for r in V.ROLE_NAMES if r in q.text]
    grade_says_both = bool(q.grade) and set(two_named) <= {q.role, *q.alt_roles}
    if len(two_named) == 2 and re.search(r"還是|或是|哪一個|哪個", q.text) and (self_described(q) or "我" in q.text) and not grade_says_both:
        q.kind, q.clarify = "clarify", "role"  # 「我該走會開發還是有規劃？」: their choice, with both offered
        return q

    enrolling_someone = seeks_course(q.text) and re.search(r"(要|想|準備|打算|幫[^，,。 ]{0,4})報名", q.text)  # 「有適合的課嗎 要幫處長報名」
    # 「5.3 的教學方法有哪些？要先安排講師跟場地」: a field of a named course asked, the arrangements only mentioned
    detail_asked = bool(q.codes and q.focus)
    if q.logistics and rule != "out_of_scope" and not enrolling_someone and not detail_asked and not (q.codes and re.search(V.REPLACES_ASKED, q.text.lower())) and (
        intent == "unanswerable" or not confident or rule in ("topic", "course_detail")
        or (rule == "role_path" and not re.search(V.PATH_ASKED, q.text.lower()))
    ):
        q.kind = "unanswerable"  # enrollment, dates, fees…: the syllabus does not say, whatever course is named
        return q

    if re.search(V.CONTACT_ASKED, q.text.lower()) and not q.codes:
        q.kind = "document"  # 「對課綱有建議要找誰」: the contact section (enrolment questions were answered above)
        return q
    if re.search(V.FIGURE_WORDS, q.text.lower()) and not q.codes:
        q.kind, q.clarify = "document", "figure"  # 「角色對模組的那張對應圖」: say what we have of it
        return q
    if q.role and q.role_reason == q.role and not (q.codes or (q.exclude_modules and not _WHY.search(q.text))) and "模組" in q.text and re.search(V.PATH_MODULES, q.text) and (
        _WHY.search(q.text) or re.search(r"哪些|哪幾|哪個|which", q.text)
    ):
        q.kind, q.clarify = "document", "path_modules"  # 「有規劃路徑沒用到哪幾個模組」「為什麼能應用不用上模組3」
        return q

    if not q.role and (re.search(V.PLAN_REQUEST, q.text.strip().lower()) or _PLAN_FOR_OTHERS.search(q.text)):
        q.kind, q.clarify = "clarify", "role"  # 「幫我排課」: whose path? ask
        return q

    # 「上過 4.1.1，那 4.1.4 怎麼處理？整條路徑還剩幾小時」: the plan, which says what 4.1.4 becomes
    whole_path = q.role and re.search(r"整條|整個路徑|路徑.{0,4}(還剩|剩|還要|總共)|還剩幾|剩下的?.{0,3}(共|總共)?幾", q.text)
    if has_plan_constraints(q) and q.taken and q.stages and _STAGE_WAS_TAKEN.search(q.text) and not re.search(r"剩.{0,6}(入門|進階|實作)", q.text) \
            and re.search(r"(整條|整個)路徑|路徑.{0,4}(還剩|剩|還要|總共)", q.text):
        q.stages = []  # 「入門那三門都上過了，路徑還剩幾小時」: the stage names what was taken; the whole path is asked
    if has_plan_constraints(q) and (not (q.codes or q.units) or whole_path):
        # The rules read what a personal plan needs; whose path it is, is asked when not said.
        q.kind, q.clarify = ("role_path", None) if q.role else ("clarify", "role")
        return q

    if re.search(V.GRADE_NOTE_ASKED, q.text) and not q.codes:
        if q.grade:  # 「我中階 職等跟角色是怎麼對的」: the grade note's answer for that grade
            q.kind, q.clarify, q.role = "document", "grade_role", None
        else:
            q.kind = "list_roles"  # 「職等跟角色要怎麼對應」: the roles with the grade note
        return q
    if re.search(V.OFF_PATH, q.text.lower()) and not (q.codes or q.role or q.stages or q.modules):
        q.kind, q.clarify = "list_roles", "off_path"  # 「哪幾門沒有被排進任何一條路徑」
        return q

    roles_named = len([r for r in V.ROLE_NAMES if r in q.text])
    if roles_named >= 2 and re.search(V.UNION_WORDS, q.text.lower()) and not q.codes:
        q.kind, q.clarify = "list_roles", "union"  # 「兩條路徑合起來不重複的課有幾門」
        return q
    compares_paths = any(w in q.text.lower() for w in [*V.HOURS_WORDS, *V.TOTAL_WORDS]) or bool(re.search(r"差多少|相差|差幾|差距|差別", q.text))
    if roles_named >= 2 and compares_paths and not q.codes:
        q.kind = "list_roles"  # 「能應用跟會開發路徑各幾小時」: each role with its path's hours
        return q
    if "路徑" in q.text and not (q.role or q.codes or q.modules or q.stages or has_plan_constraints(q)) and re.search(r"總時數|總共幾小時|共幾小時|合計|多少小時|幾小時", q.text) and not (
        self_described(q) or re.search(r"(?<![幫給替])我", q.text) or seeks_course(q.text)
    ):
        q.kind = "list_roles"  # 「幫我算學習路徑總時數」: no role said; each role's path with its hours
        return q
    every_role = re.search(r"(三|3|每|各|所有)\s*(種|個|條)?\s*(角色|路徑|路線)", q.text)
    if (roles_named >= 2 or "路徑" in q.text or every_role) and not q.codes and re.search(V.COMMON_WORDS, q.text) and not self_described(q):
        q.kind = "list_roles"  # 「三條路徑都有的共同課程」: what the paths share
        return q

    # 「總時數到底是284還是320」, 「加總是320，但不重複是284，差在哪」
    two_figures = re.search(r"\d+\s*(小時)?\s*還是\s*\d+", q.text) or (
        len(re.findall(r"\d{3}", q.text)) >= 2 and re.search(r"差在|差別|差異|不同|為什麼|為何|怎麼來", q.text))
    if not (q.role or q.codes or q.units or q.modules or q.stages) and (re.search(V.CHECKING, q.text.lower()) or two_figures) and (
        q.wants_total or re.search(r"\d+\s*門", q.text) or (two_figures and re.search(r"時數|小時", q.text))
    ) and not self_described(q):
        q.kind, q.whole = "count", True  # 「課綱有42門課，沒錯吧」, 「總時數是320小時吧」: the curriculum's own count and hours
        return q
    if q.codes or q.units:
        if confident and intent == "unanswerable":
            q.kind = "unanswerable"
        return q  # course_detail / total on named courses: the rules know

    if rule in ("count", "total"):
        return q  # the whole curriculum, or a module's total, said in so many words

    if asks_about(q):
        q.kind, q.about = "document", True  # 「快優化模組主要在講什麼」: the document's words for it, not its course list
        return q

    speaks_of_self = "我" in q.text or any(w in q.text.lower() for w in V.SELF_MARKERS)
    if q.grade and not speaks_of_self and re.search(V.WHICH_ROLE, q.text.lower()) and not has_plan_constraints(q):
        q.kind, q.clarify = "document", "grade_role"  # 「中階主管對應哪個角色」: the grade note's answer, the path on 「好」
        return q
    grade_said = next(((g, w) for g, words in V.GRADE_WORDS.items() for w in words if w.lower() in q.text.lower()), None)
    checks = re.search(V.CHECKING, q.text.lower()) or re.search(r"一定(是|要|得)|只能(是|走|上)|都是", q.text)
    if grade_said and roles_named == 1 and not speaks_of_self and checks and re.search(r"對應|屬於|算|歸|是|走|上", q.text):
        # 「課綱說高階對應能應用，對嗎」: what the grade note says
        q.kind, q.clarify, q.role = "document", "grade_role", None
        q.grade, q.role_reason = grade_said
        return q
    if rule == "list_roles" and (q.grade or (self_described(q) and q.role)):
        q.kind = "role_path"  # 「委任科員是哪種角色」: which role is theirs, through the grade note
        return q

    if rule in ("list_modules", "list_roles", "list_methods"):
        if confident and intent == "document" and not _WHY.search(q.text):
            return q  # 「三種角色是哪三種？各自是什麼意思」: the list quotes each one's definition
        if confident and intent in NOT_ABOUT_COURSES:
            q.kind = intent
        elif confident and intent in AGGREGATES:
            q.kind = "count" if intent == "count" else rule
        return q

    if rule == "role_path":
        if intent == "topic" and confident and not generic(personal_topic(q)) and not ("路徑" in q.text and q.role_reason == q.role):
            q.kind = "topic"  # 「我在資訊室，有沒有教SQL的課」: the subject they ask about, not their whole path
            return q
        if intent in ("course_detail", "compare") and confident and not self_described(q):
            q.kind, q.clarify, q.role = "topic", "reference", None  # 「有一門教高階主管…的」: a course described
        elif intent == "document" and confident and re.search(r"這份|這套|課綱|文件", q.text) and not re.search(V.PATH_ASKED, q.text.lower()) \
                and not (q.stages or q.modules or q.codes):
            q.kind, q.role = "document", None  # 「人事單位要做能力盤點，這份可以當依據嗎」: about the document, whoever asks
        elif intent in ("list_roles", "document") and confident and not self_described(q) and not q.grade:
            q.kind = "list_roles"  # 「「有規劃」這個角色是在做什麼的」: what the role is, not its courses
        elif confident and intent in AGGREGATES and intent != "total" and not (intent == "count" and (q.role_reason == q.role or "路徑" in q.text or "路線" in q.text)):
            q.kind = intent  # (「主管那條路徑總共幾門課」: the path answer says how many)
        elif confident and intent in NOT_ABOUT_COURSES and not self_described(q):
            q.kind = intent
        elif confident and intent == "unanswerable":
            q.kind = intent
        # 「想知道我適合哪個角色的學習路徑」 asks for the path itself, not a task's courses
        # (daily work alone, 「我是承辦，每天寫公文」, still gets the path: a course must be asked for)
        wants = (re.search(V.WANTS, q.text.lower()) and not re.search(r"路徑|路線|角色|課表|怎麼排|如何排|排課|有系統地|系統性", q.text)) or seeks_course(q.text)
        path_of_named_role = q.role_reason == q.role and re.search(r"路徑|路線", q.text)  # 「想看能應用路徑完整有哪些課」
        if q.kind == "role_path" and wants and not (q.stages or q.modules or q.correction or path_of_named_role) and len(own_task(q).replace(" ", "")) >= 2:
            q.clarify = "task"  # who they are and a task: the task's courses if some clearly teach it, else the path
        return q

    if rule == "filter" and q.stages and not q.role and not (
        q.hours_said or q.method or q.level or q.modules or len(q.topic) > 1
    ) and intent not in AGGREGATES:
        q.kind, q.clarify = "clarify", "role"  # 「進階的有哪些」: stages are per role, so ask whose
        return q

    if not (q.codes or q.role or q.stages or q.modules) and _STAGE_LIST.search(q.text.lower()):
        q.kind = "document"  # 「學習路徑分成哪幾個階段」: the path section says 入門 → 進階 → 實作
        return q

    if rule in ("filter", "module") and not q.codes and _WHY.search(q.text) and generic(_WHY_LEFT.sub("", q.topic)):
        q.kind = "document"  # 「為什麼課程是6小時」: a reason asked for, not a list; the document says or says not
        return q

    if rule in ("filter", "module") and any(w in q.text.lower().replace("哪幾門", "") for w in V.COUNT_WORDS):
        q.kind = "count"
        return q

    if rule in ("filter", "module"):
        if confident and intent in AGGREGATES:
            q.kind = intent
        elif confident and intent in NOT_ABOUT_COURSES:
            q.kind = intent
        return q

    if rule == "out_of_scope" and intent in ("help", "out_of_scope", "unanswerable", "document"):
        return q  # a task word (詩, 天氣, 算命…) and no course-seeking intent: refuse

    # The rules found no slots that settle it (topic, help or out_of_scope by keyword).
    if self_described(q) and not q.role and intent in ("role_path", "start", "topic", "filter") and generic(personal_topic(q)):
        q.kind, q.clarify = "clarify", "role"  # 「我是公務員，要上哪個」: nothing said of the work; ask, never refuse
        return q
    course_words = intent == "help" and re.search(r"課|course", q.text.lower())  # 「hello 想問一下課程」, not a bare 「嗨」
    if (intent in ("start", "topic", "role_path") or course_words) and generic(q.topic) and not q.role:
        q.kind, q.clarify = "clarify", "role"  # 「推薦我一些AI課程」: whose path? ask
        return q
    if not q.role and {intent, q.runner_up} & {"role_path", "start"} and re.search(V.PATH_ASKED, q.text.lower()) and not own_task(q):
        q.kind, q.clarify = "clarify", "role"  # 「幫我看一下學習路徑」: a path asked for, nothing said of whose
        return q
    if not confident and intent == "unanswerable" and q.runner_up == "document" and not (q.codes or q.role or seeks_course(q.text)):
        q.kind = "unanswerable"  # 「課綱哪一年開始實施」: about the curriculum, and nothing in it says; the answer says so
        return q
    if not confident:
        q.unsure = intent != "topic"
        asks_for_course = bool(_COURSE_SEEKING.search(q.text) or seeks_course(q.text)) and not generic(q.topic)
        if intent == "document" and q.confidence >= thresholds().intent.document_floor and not asks_for_course:
            q.kind = "document"  # a quoted section with its source is a safe answer even when unsure
        elif intent == "topic" or q.runner_up == "topic" or asks_for_course:
            q.kind = "topic"  # retrieval evidence decides between an answer, a hedge and "no course"
        elif self_described(q):
            q.kind, q.clarify = "clarify", "role_or_topic"  # a task of theirs the courses teach, or ask the role
        elif rule == "out_of_scope" or (intent == "out_of_scope" and q.runner_up != "topic" and q.confidence >= thresholds().intent.refuse_floor):
            q.kind = "out_of_scope"
        elif intent == "out_of_scope" and not generic(q.topic):
            q.kind = "topic"  # a faint "out of scope" guess: the evidence decides, a refusal would be a guess
        else:
            q.kind, q.clarify = "clarify", "intent"
        return q

    if intent == "role_path":
        q.kind, q.clarify = ("role_path", None) if q.role else ("clarify", "role_or_topic")
    elif intent == "start":
        q.kind, q.clarify = ("role_path", None) if q.role else ("clarify", "role")
        if q.role and not q.stages and q.budget is None:  # (「今年30小時，先上哪些」: the budget decides how far)
            q.stages = ["入門"]
    elif intent == "filter":
        q.kind = "filter" if _has_filters(q) else ("topic" if not generic(q.topic) else "clarify")
        if q.kind == "clarify":
            q.clarify = "intent"
    elif intent in ("count", "extreme"):
        q.kind = intent
    elif intent == "total":
        q.kind = "total"
    elif intent == "module":
        q.kind = "list_modules"
    elif intent in ("list_modules", "list_roles", "list_methods", "unanswerable", "document", "out_of_scope", "help"):
        q.kind = intent
    elif intent in ("course_detail", "compare"):
        q.kind, q.clarify = "topic", "reference"  # a course described, not named: find it, or ask which
    elif intent == "topic":
        if generic(q.topic):
            q.kind, q.clarify = "clarify", "role"
        else:
            q.kind = "topic"
    return q
