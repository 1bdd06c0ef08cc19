"""Gather the facts each kind of question needs and have the composer write them.

Citations are the Course objects gathered here (from the corpus and retrieval),
never parsed back out of text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from assistant import catalog, compose, planner
from assistant import vocabulary as V
from assistant.decide import ALL_ONE_SIZE, SAME_METHODS, assume_staff, generic, own_task, personal_topic, seeks_course
from assistant.document import SectionFinder
from assistant.models import Context, Kind, Query
from corpus.models import Course, Curriculum
from corpus.plan import Plan, PlanInputError, code_range, consolidate, plain_sum, plan_for_role, total_hours
from index.lexicon import EXPANSIONS
from index.lexicon import matches as lexicon_matches
from index.retrieve import HybridSearcher
from index.text import token_set, tokens
from nlu.thresholds import thresholds

LEXICON_WORDS = sorted((w for w in EXPANSIONS if not w.isascii()), key=len, reverse=True)

# Words of a question that say nothing about its topic (a missing one is no gap in the syllabus).
GENERIC_WORDS = sorted(
    {"想知道", "知道", "了解", "想學", "學習", "學會", "想要", "課嗎", "可以", "哪門", "哪一門", "上課", "有課", "那種", "我們", "需要",
     "這要", "相關", "東西", "問題", "怎麼", "如何", "是否", "有沒有", "沒有", "一下", "適合", "工作", "業務", "單位", "同仁", "主管",
     "自己", "請問", "課程", "課綱", "有教", "在教", "教", "最近", "想用", "想做", "幫忙", "用ai", "想", "常常", "經常",
     "平常", "每天", "一直", "有沒有課", "可以上", "我們", "機關", "同事", "長官", "請教", "推薦", "應該", "平常", "每天", "一堆", "很多", "要上", "哪些"},
    key=len,
    reverse=True,
)


@dataclass
class Draft:
    kind: Kind
    text: str
    courses: list[Course] = field(default_factory=list)
    total_hours: int | None = None
    role: str | None = None
    refused: bool = False
    context: Context | None = None
    hedged: bool = False
    choices: list[str] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)


def _context(query: Query, kind: Kind, courses: list[Course], **extra) -> Context:
    base = dict(
        kind=kind,
        codes=[c.code for c in courses],
        role=query.role,
        alt_roles=query.alt_roles,
        stages=query.stages,
        modules=query.modules,
        level=query.level,
        topic=query.topic,
        min_hours=query.min_hours,
        max_hours=query.max_hours,
        method=query.method,
        taken=query.taken,  # courses taken said in any question count in a later plan
    )
    base.update(extra)
    return Context(**base)


class Responder:
    def __init__(self, curriculum: Curriculum, searcher: HybridSearcher):
        self.curriculum = curriculum
        self.searcher = searcher
        self.sections = SectionFinder(searcher)
        self._evidence_cache: tuple | None = None

    # ------------------------------------------------------------ dispatch
    def respond(self, query: Query) -> Draft:
        handler = getattr(self, f"_{query.kind}")
        draft = handler(query)
        if query.set_aside:
            draft.text = f"{compose.SET_ASIDE}\n\n{draft.text}"
        if query.truncated:
            draft.text = f"（您的問題很長，我只讀了前 1000 個字來回答。）\n\n{draft.text}"
        return draft

    def courses(self, codes: list[str]) -> list[Course]:
        return [self.curriculum.course_map[c] for c in codes if c in self.curriculum.course_map]

    # ------------------------------------------------------------ no courses
    def _empty(self, query: Query) -> Draft:
        return Draft("empty", compose.EMPTY)

    def _help(self, query: Query) -> Draft:
        return Draft("help", compose.HELP)

    def _out_of_scope(self, query: Query) -> Draft:
        if query.vector is not None and query.unsure and self.evidence(query)[0] == "strong":
            return self._topic(query)  # unsure it is off-topic, and the courses match its words: offered as closest
        if query.vector is not None and compose.asks_for_a_task(query.text) and self.evidence(query)[0] == "strong":
            draft = self._topic(query)  # 「幫我寫新聞稿」: not done here, but taught by a course
            draft.text = "我沒辦法直接幫您完成這件事，不過課綱裡有教用 AI 做這類工作的課。\n\n" + draft.text
            return draft
        return Draft("out_of_scope", compose.REFUSAL, refused=True, context=Context(kind="out_of_scope"))

    def _injection(self, query: Query) -> Draft:
        text = compose.INJECTION
        if query.unknown_codes:
            text += f"\n\n另外，課綱裡沒有 {compose.join(query.unknown_codes)} 這樣的課程。"
        return Draft("injection", text + "\n\n想查課程或學習路徑，請直接問我。", refused=True, context=Context(kind="injection"))

    def _ordinal_out_of_range(self, query: Query) -> Draft:
        n = len(query.codes)
        text = f"上一個回答只列了 {n} 門課，請從第 1 到第 {n} 門中選一門，或直接告訴我課程代碼。" if n else "請先問一個會列出課程的問題，再用「第幾門」來指定。"
        return Draft("ordinal_out_of_range", text)

    # ------------------------------------------------------------ single courses
    def _course_detail(self, query: Query) -> Draft:
        courses = self.courses(query.codes)
        parts_taken = any(set(c.replaces) & set(query.taken) for c in courses)  # 「上過4.1.1跟4.1.2，那4.1.4還要整門上嗎」
        if query.role and len(query.codes) == 1 and re.search(V.MEMBERSHIP, query.text) and not parts_taken and not query.taken:
            stage = query.stages[0] if len(query.stages) == 1 else None
            return self._on_path(query.codes[0], query.role, yes_no=not re.search(r"哪(個|一)?階段|什麼階段|第幾階段", query.text), stage=stage)
        path = self.curriculum.role_paths.paths.get(query.role or "", {})
        on_path = {c for codes in path.values() for c in codes}
        if path and len(query.codes) > 1 and not query.taken and (re.search(V.MEMBERSHIP, query.text) or re.search(V.CHECKING, query.text.lower())) \
                and any(c not in on_path for c in query.codes):
            # 「聽說能應用要上4.1.4和4.2.4，對嗎」: each course checked against the path, in one answer
            drafts = [self._on_path(code, query.role) for code in query.codes[:4]]
            text = "\n\n".join(d.text.replace("\n\n" + compose.PATHS_ARE_PROPOSAL, "") for d in drafts) + "\n\n" + compose.PATHS_ARE_PROPOSAL
            cited = list({c.code: c for d in drafts for c in d.courses}.values())
            return Draft("course_detail", text, cited, role=query.role, context=_context(query, "course_detail", cited))
        if path and len(query.codes) == 1 and re.search(r"(路徑|路線)(裡|中|上)?的", query.text) and query.codes[0] not in on_path:
            return self._on_path(query.codes[0], query.role, yes_no=False)  # 「能應用路徑的3.1.2幾小時」: a premise to correct first
        if (parts_taken or re.search(V.REPLACES_ASKED, query.text.lower())) and not query.unknown_codes:
            if (draft := self._replacements(query, courses)) is not None:
                return draft
        asked = [c for c in courses if c.code not in query.taken]
        taken = self.courses([code for code in query.taken if code in self.curriculum.course_map])
        covered = [(c, t) for c in asked for t in taken if c.code in t.replaces]
        if covered and len(asked) == len(covered):
            # 「上過4.2.4，那4.2.2還需要上嗎」: the consolidated course taken already holds it
            lines = [
                f"不用再上 **{c.code} {c.name}**：您上過的 {t.code} {t.name}（{t.hours} 小時）整併了 {code_range(t.replaces)}，已涵蓋 {c.code}。"
                for c, t in covered
            ]
            cited = list({c.code: c for pair in covered for c in pair}.values())
            return Draft("course_detail", "\n\n".join(lines), cited, context=_context(query, "course_detail", cited))
        if query.unknown_codes:
            prefix = f"課綱裡沒有 {compose.join(query.unknown_codes)}。\n\n"
        else:
            prefix = ""
        texts = [compose.detail_text(c, self.curriculum, query.focus) for c in courses]
        if query.logistics:  # the field asked is answered; the arrangements mentioned are not in the syllabus
            texts[-1] += "\n\n（講師、場地、日期等開課安排課綱沒有寫，請洽您機關的人事或訓練單位。）"
        return Draft(
            "course_detail",
            prefix + "\n\n---\n\n".join(texts),
            courses,
            context=_context(query, "course_detail", courses),
        )

    def _replacements(self, query: Query, courses: list[Course]) -> Draft | None:
        """「4.2.4 取代哪幾門」: the courses a consolidated course replaces (from `replaces`, not from its goal's
        text, which misquotes 4.2.4's); 「4.1.2 被哪門整併」: the course that consolidates it."""
        lines, cited = [], []
        for course in courses:
            done = [code for code in course.replaces if code in query.taken]
            if course.replaces and done:
                rest = [p for p in self.courses(course.replaces) if p.code not in done]
                lines.append(
                    f"**{course.code} {course.name}**（{course.hours} 小時）整併了 {code_range(course.replaces)}。您已上過 {'、'.join(done)}，"
                    + (f"補上 {'、'.join(f'{p.code} {p.name}（{p.hours} 小時）' for p in rest)} 就等同上過 {course.code}，不必再上整堂 {course.hours} 小時。" if rest else f"已等同上過 {course.code}。")
                )
                cited += [*rest, course]
                continue
            if course.replaces:
                parts = self.courses(course.replaces)
                lines.append(
                    f"**{course.code} {course.name}**（{course.hours} 小時）整併了 {len(parts)} 門課，兩者擇一即可、時數相同：\n"
                    + "\n".join(compose.course_line(p) for p in parts)
                )
                notes = [note for goal in course.goals if (note := course.range_note(goal))]
                if notes:
                    lines[-1] += "\n" + notes[0]  # the seed's 4.2.4 goal names 4.1.1-4.1.3: said, from the data
                cited += [course, *parts]
                continue
            holders = [c for c in self.curriculum.courses if course.code in c.replaces]
            if holders:
                holder = holders[0]
                lines.append(f"**{course.code} {course.name}** 已整併進 **{holder.code} {holder.name}**（{holder.hours} 小時，整併 {code_range(holder.replaces)}）：上過其中一種就不必再上另一種。")
                cited += [course, holder]
            else:
                lines.append(f"**{course.code} {course.name}** 不是整併課程，也沒有被其他課整併。")
                cited.append(course)
        if not lines:
            return None
        cited = list({c.code: c for c in cited}.values())
        return Draft("course_detail", "\n\n".join(lines), cited, context=_context(query, "course_detail", cited))

    def _on_path(self, code: str, role: str, yes_no: bool = True, stage: str | None = None) -> Draft:
        """「會開發路徑裡有沒有4.1.1」: on the path, or in it through the course that consolidates it.
        With a stage named (「能應用的入門是不是有4.2.4」) and the course not in it: that stage's courses."""
        course = self.curriculum.course_map[code]
        path = self.curriculum.role_paths.paths.get(role, {})
        stages = [stage for stage, codes in path.items() if code in codes]
        on_path = {c: stage for stage, codes in path.items() for c in codes}
        holders = [c for c in self.curriculum.courses if code in c.replaces and c.code in on_path]  # on the path through its consolidation
        if stage and stage in path and stages and stage not in stages:
            text = f"沒有。**{course.code} {course.name}**（{course.hours} 小時）在「{role}」建議路徑的{'、'.join(stages)}階段，不在{stage}階段。"
            text += "\n\n" + compose.PATHS_ARE_PROPOSAL
            return Draft("course_detail", text, [course], context=_context(Query(text="", role=role), "course_detail", [course]))
        if stage and stage in path and not stages and not holders:
            listed = self.courses(path[stage])
            head = f"沒有。**{course.code} {course.name}**（{course.hours} 小時）不在「{role}」的{stage}階段（也不在這條路徑上）。「{role}」{stage}階段的課是："
            text = compose.course_list_text(head, listed, self.curriculum, group_by_module=False) + "\n\n" + compose.PATHS_ARE_PROPOSAL
            return Draft("course_detail", text, listed, context=_context(Query(text="", role=role, stages=[stage]), "course_detail", listed))
        if stages:
            text = ("有。" if yes_no else "") + f"**{course.code} {course.name}**（{course.hours} 小時）在「{role}」建議路徑的{'、'.join(stages)}階段。"
            cited = [course]
        else:
            if holders:
                holder = holders[0]
                where = on_path[holder.code]
                text = (
                    f"「{role}」的建議路徑沒有單獨列 {course.code}，但有整併了它的 **{holder.code} {holder.name}**"
                    f"（{holder.hours} 小時，{where}階段）：{course.code} 的內容已包含在 {holder.code} 裡，兩者擇一即可。"
                )
                cited = [holder, course]
            else:
                text = f"沒有。**{course.code} {course.name}**（{course.hours} 小時）不在「{role}」的建議學習路徑上。"
                same_module = [c for c in on_path if self.curriculum.course_map[c].module == course.module]
                if same_module:  # 「能應用路徑有包含4.1.4嗎」: what the path has from that module instead
                    text += f"這條路徑在模組{course.module} 排的是 {'、'.join(same_module)}。"
                cited = [course, *self.courses(same_module)]  # what the path has instead is cited too
        text += "\n\n" + compose.PATHS_ARE_PROPOSAL
        return Draft("course_detail", text, cited, context=_context(Query(text="", role=role), "course_detail", cited))

    def _compare(self, query: Query) -> Draft:
        courses = self.courses(query.codes)[:2]
        return Draft("compare", compose.compare_text(courses, self.curriculum), courses, context=_context(query, "compare", courses))

    def _unknown_code(self, query: Query) -> Draft:
        code = query.unknown_codes[0]
        near = self.near_codes(code)
        module_numbers = [m.number for m in self.curriculum.modules]
        head = f"課綱裡沒有代碼為 {code} 的課程（共 {len(self.curriculum.courses)} 門課，分屬模組 {module_numbers[0]}–{module_numbers[-1]}）。"
        text = compose.course_list_text(f"{head}代碼相近的課有：", near, self.curriculum, group_by_module=False)
        draft = Draft("unknown_code", text + "\n\n要看哪一門的內容，告訴我代碼即可。", near, context=_context(query, "unknown_code", near))
        draft.hedged = True  # suggestions for a code that does not exist, not an answer
        return draft

    def near_codes(self, code: str, limit: int = 3) -> list[Course]:
        """Courses of the same unit, else the same module, else any: nearest code first."""
        parts = [int(p) for p in code.split(".") if p.isdigit()]
        prefix = ".".join(str(p) for p in parts[:2])
        pool = (
            [c for c in self.curriculum.courses if c.unit_code == prefix]
            or [c for c in self.curriculum.courses if c.module == parts[0]]
            or self.curriculum.courses
        )

        def distance(course: Course) -> tuple:
            theirs = [int(p) for p in course.code.split(".")] + [0]
            return tuple(abs(a - b) for a, b in zip(parts + [0, 0], theirs))

        return sorted(pool, key=distance)[:limit]

    # ------------------------------------------------------------ sets of courses
    def _unit(self, query: Query) -> Draft:
        courses = [c for c in self.curriculum.courses if c.unit_code in query.units]
        unit = courses[0]
        title = f"「{unit.unit_code} {unit.unit_name}」單元有 {len(courses)} 門課："
        text = compose.course_list_text(title, courses, self.curriculum, group_by_module=False)
        text += self._sum_sentence(courses)
        return Draft("unit", text, courses, total_hours=total_hours(courses), context=_context(query, "unit", courses))

    def _module(self, query: Query) -> Draft:
        texts, all_courses = [], []
        for number in query.modules:
            module = self.curriculum.module(number)
            courses = [c for c in self.curriculum.courses if c.module == number]
            if query.level:
                courses = [c for c in courses if c.level == query.level]
            all_courses += courses
            title = f"**{module.label}**（{module.overview}）共 {len(courses)} 門課："
            lines = [title, ""]
            for unit in dict.fromkeys(c.unit_code for c in courses):
                unit_courses = [c for c in courses if c.unit_code == unit]
                lines.append(f"{unit} {unit_courses[0].unit_name}")
                lines.extend(compose.course_line(c) for c in unit_courses)
            text = "\n".join(lines) + self._sum_sentence(courses)
            roles = {r for c in courses for r in self.curriculum.roles_of(c.code)}
            if roles:
                text += f"\n\n建議學習路徑中會用到這個模組的角色：{compose.join(sorted(roles))}。"
            texts.append(text)
        return Draft(
            "module",
            "\n\n".join(texts),
            all_courses,
            total_hours=total_hours(all_courses),
            context=_context(query, "module", all_courses),
        )

    def _sum_sentence(self, courses: list[Course]) -> str:
        _, consolidations = consolidate(courses)
        total, naive = total_hours(courses), plain_sum(courses)
        if consolidations:
            return (
                f"\n\n全部上完是 **{total} 小時**，不是把每門相加的 {naive} 小時：{compose.consolidation_note(consolidations)}"
                f"{compose.consolidated_choice_note([c.course for c in consolidations], self.curriculum)}"
            )
        return f"\n\n合計 **{total} 小時**。"

    def _total(self, query: Query) -> Draft:
        courses = self.courses(query.codes)
        courses += [c for c in self.curriculum.courses if c.module in query.modules or c.unit_code in query.units]
        courses = list({c.code: c for c in courses}.values())
        if query.level and query.modules:
            courses = [c for c in courses if c.level in (None, query.level) or c.module not in query.modules]
        if not courses and query.role:
            return self._role_path(query)
        if not courses:
            return self._count(query.model_copy(update={"kind": "count"}))
        kept, consolidations = consolidate(courses)
        total, naive = total_hours(courses), plain_sum(courses)
        if query.modules:
            scope = "、".join(self.curriculum.module(m).label for m in query.modules)
        elif query.role:
            scope = f"「{query.role}」" + ("、".join(query.stages) + "階段" if query.stages else "學習路徑")
        else:
            scope = "這些"
        text = compose.total_text(courses, kept, consolidations, naive, total, scope)
        levels = sorted({c.level for c in courses if c.level})
        if query.modules and len(levels) > 1 and re.search(r"各|分別|each", query.text):
            # 「模組3基礎跟進階兩段各幾小時」: the hours of each level
            text += "\n\n" + "；".join(f"{lv}：{total_hours([c for c in courses if c.level == lv])} 小時" for lv in levels) + "。"
        text += self._per_head(query, total) + _average(query, courses)
        cited = kept if consolidations and compose.asks_consolidated(query.text) else courses  # 「只上整併版」: what is counted
        return Draft("total", text, cited, total_hours=total, role=query.role, context=_context(query, "total", cited))

    @staticmethod
    def _per_head(query: Query, hours: int) -> str:
        if not query.headcount:
            return ""
        return f"\n\n{query.headcount} 人各上 {hours} 小時，合計 **{query.headcount * hours:,} 人時**（{query.headcount} × {hours}）。"

    def taken_on_path(self, query: Query, role: str) -> list[str]:
        """The courses taken: those named, another role's whole path said to be done, and the role
        path's courses in the stages or modules said to be done (a module off the path: all its courses)."""
        path = self.curriculum.role_paths.paths.get(role, {})
        codes = list(query.taken)
        for name in query.taken_roles:  # 「能應用路徑的課全部上完了」: every course of that role's path
            codes += [code for stage in self.curriculum.role_paths.paths.get(name, {}).values() for code in stage]
        for stage in query.taken_stages:
            codes += path.get(stage, [])
        on_path = [code for stage in path.values() for code in stage]
        for number in query.taken_modules:
            in_module = [c.code for c in self.curriculum.courses if c.module == number]
            codes += [c for c in on_path if c in in_module] or in_module
        return list(dict.fromkeys(codes))

    def _role_path(self, query: Query) -> Draft:
        if query.clarify == "task" and query.vector is not None:
            task = query.model_copy(update={"topic": own_task(query), "clarify": None, "unsure": False})
            level, hits = self.evidence(task)
            if level == "strong" or seeks_course(query.text):
                return self._task_of(task)  # 「我在地政，GIS有沒有課」: the subject asked about, even with no course on it
            if self._task_taught(task) and not self._duties_with_path_asked(query):
                return self._task_of(task)  # 「想用AI回覆民眾的詢問」: the closest courses, said as closest
            query = query.model_copy(update={"clarify": None})
        if (query.taken_stages or query.taken_modules or query.taken_roles) and self.curriculum.role(query.role or "") is not None:
            # A stage or module said to be done: the role path's courses there, credited like any taken
            # course (the plan then holds the later stages; the stage done shows as done).
            role = self.curriculum.role(query.role).name
            query = query.model_copy(update={"taken": self.taken_on_path(query, role), "taken_stages": [], "taken_modules": [], "taken_roles": []})
        personal = bool(query.taken or query.budget is not None or query.years > 1 or query.exclude_modules or query.exclude_courses or query.split)
        if not personal and (query.hours_said or query.method):
            return self._filter(query)
        try:
            plan = plan_for_role(
                self.curriculum,
                query.role,
                stages=query.stages or None,
                modules=query.modules or None,
                split_consolidated=query.split,
                taken=query.taken,
                budget=None if query.budget_total else query.budget,
                years=query.years,
                exclude_modules=query.exclude_modules,
                total_budget=query.budget if query.budget_total else None,
                exclude_courses=query.exclude_courses,
            )
        except PlanInputError as exc:
            return Draft("role_path", f"{exc}", role=query.role, context=_context(query, "role_path", []))
        occupational = query.assumed_role or (not query.grade and query.role_reason in V.OCCUPATION_WORDS)
        if self._asks_path_figure(query, plan):
            return self._path_figure(query, plan)
        of_the_path = query.stages or re.search(r"路徑|路線", query.text)
        if of_the_path and not plan.personal and not query.within and (m := _PATH_SUBJECT.search(query.text.lower())) and not generic(m.group(1)):
            # 「能應用路徑裡跟數據有關的是哪幾門」, 「進階的部分有教數據分析的嗎」: the path's courses on that subject
            where = f"「{plan.role}」建議路徑" + (f"的{'、'.join(s.stage for s in plan.stages)}階段" if query.stages else "") + "裡"
            within = query.model_copy(update={"kind": "topic", "within": [c.code for c in plan.courses], "topic": m.group(1), "clarify": None})
            draft = self._topic_within(within, scope=where)
            draft.role = plan.role
            return draft
        intro = compose.role_intro(self.curriculum, plan.role, query.grade, query.role_reason, query.alt_roles, occupational)
        guessed = [r for r in V.ROLE_NAMES if r in query.text and r not in (plan.role, *query.alt_roles)]
        if query.grade and len(guessed) == 1:  # 「我是高階主管，應該走能應用吧」: the guess corrected, in so many words
            intro = f"不是「{guessed[0]}」。{intro}"
        if query.skipped_stages and query.stages:
            intro += f"\n\n依您說的，不排{'、'.join(query.skipped_stages)}階段，只排{'、'.join(plan.stage_names)}階段。"
        if query.stage_a_year and not query.year_asked:
            hours = {s.stage: sum(c.hours for c in s.courses) for s in plan.stages}
            years = "、".join(f"第 {n} 年{stage}（{h} 小時）" for n, (stage, h) in enumerate(hours.items(), start=1))
            intro += f"\n\n一年上一個階段：{years}。"
        if query.stage_a_year and query.year_asked and len(query.stages) == 1:
            intro += f"\n\n一年上一個階段（入門 → 進階 → 實作）：第 {query.year_asked} 年是「{query.stages[0]}」階段。"
        if plan.personal or query.split:
            request = planner.PlanRequest(
                role=plan.role,
                stages=query.stages,
                modules=query.modules,
                split_consolidated=query.split,
                taken=[c.code for c in plan.taken],
                budget=plan.budget,
                years=query.years,
                exclude_modules=query.exclude_modules,
                total_budget=plan.total_budget,
            )
            note = planner.budget_note(plan, in_chat=True)
            if query.budget_basis:
                note = query.budget_basis + note  # 「每月 6 小時 × 12 個月 = 72 小時…」: how the budget was read
            text = compose.personal_plan_text(plan, self.curriculum, intro, planner.plan_query(request), note)
        else:
            text = compose.plan_text(plan, self.curriculum, intro, [] if occupational else query.alt_roles)
        if query.headcount:  # the figure asked for first, then the path it comes from
            text = self._per_head(query, plan.total_hours).strip() + "\n\n" + text
        choices = []
        if occupational:  # an occupation says nothing of leading or coding: the other roles as choices
            text += "\n\n" + compose.OTHER_ROLES_OFFER
            choices = [
                {"label": label, "query": {"kind": "role_path", "role": role, "stages": query.stages, **plan_fields(query)}}
                for label, role, _ in compose.ROLE_CHOICES
            ]
        if query.within and not plan.personal:
            inside = [c for c in plan.courses if c.code in query.within]
            where = f"「{plan.role}」建議路徑" + (f"的{'、'.join(s.stage for s in plan.stages)}階段" if query.stages else "")
            if not inside:
                return Draft("role_path", f"剛才列出的課裡，沒有在{where}的。", role=plan.role, context=_context(query, "role_path", []))
            text = compose.course_list_text(f"剛才列出的課裡，在{where}的有 {len(inside)} 門：", inside, self.curriculum, group_by_module=False)
            return Draft("role_path", text, inside, total_hours=total_hours(inside), role=plan.role, context=_context(query, "role_path", inside))
        picked = _first_or_last(query.text, plan.courses)
        if picked and not plan.personal:
            text = "\n".join(f"- {name}：{compose.course_line(course).lstrip('- ')}" for name, course in picked)
            if query.stages:
                scope = f"「{plan.role}」建議路徑的{'、'.join(s.stage for s in plan.stages)}階段共 {len(plan.courses)} 門課"
            else:
                scope = f"「{plan.role}」建議路徑依 入門 → 進階 → 實作 的順序共 {len(plan.courses)} 門課"
            text = f"{scope}：\n\n{text}\n\n" + compose.PATHS_ARE_PROPOSAL
            if re.search(V.MOST_IMPORTANT, query.text.lower()):
                text = "課綱沒有排出哪一門課最重要；如果只能先上一門，建議從路徑的第一門、所有角色共同的基礎開始。\n\n" + text
            chosen = [course for _, course in picked]
            return Draft("role_path", text, chosen, role=plan.role, context=_context(query, "role_path", chosen))
        if plan.personal and plan.courses and re.search(V.NEXT_COURSE, query.text.lower()):
            # 「已經上了…，下一門是哪一門」: the first course the plan has left, in the path's order
            after = plan.courses[1:]
            first = intro.split("\n\n")[0]
            said = first + "\n\n" if first.startswith(("依課綱", "您提到", "不是「")) else ""  # who the plan is for, when read from a title
            text = said + (f"依「{plan.role}」建議路徑的順序（入門 → 進階 → 實作），扣掉您上過的課，下一門是：\n\n"
                    f"{compose.course_line(plan.courses[0])}\n\n"
                    + (f"之後還有 {len(after)} 門、{sum(c.hours for c in after)} 小時；想看完整的剩餘清單，可以問「還要上哪些」。" if after else "這也是路徑上的最後一門。")
                    + "\n\n" + compose.PATHS_ARE_PROPOSAL)
            return Draft("role_path", text, plan.courses[:1], role=plan.role, context=_context(query, "role_path", plan.courses[:1]))
        courses = plan.courses
        partial = [c for c in plan.credits if c.kind == "partial" and c.on_path]
        if partial and re.search(V.TO_ADD, query.text.lower()) and not query.stages:
            # 「上過 4.1.1、4.1.2，安全這塊還要補什麼」: the parts still to take
            rest = list({p.code: p for c in partial for p in c.remaining}.values())
            lines = [f"- {c.why}" for c in partial]
            lines += ["", f"扣掉已上過的課，「{plan.role}」整條路徑還要上 {len(plan.courses)} 門、合計 **{plan.total_hours} 小時**。"]
            return Draft("role_path", "\n".join(lines), rest, role=plan.role, context=_context(query, "role_path", plan.courses))
        if plan.credits and re.search(V.NOT_NEEDED, query.text.lower()):
            # 「上過 4.1.1–4.1.3，路徑裡哪一門不用上了」: the credits are the answer
            credited = [c.course for c in plan.credits if c.kind == "covered" and c.on_path]
            replaced = [c.course for c in plan.credits if c.kind == "partial"]  # the consolidated course not taken whole
            if credited or replaced:
                lines = [f"依您上過的課，「{plan.role}」建議路徑裡可以不必再上的是："]
                lines += [f"- {credit.why}" for credit in plan.credits if credit.kind != "taken"]
                lines += ["", f"扣掉之後，還要上 {len(plan.courses)} 門、合計 **{plan.total_hours} 小時**。"]
                cited = list({c.code: c for c in [*credited, *replaced]}.values())
                return Draft("role_path", "\n".join(lines), cited, role=plan.role, context=_context(query, "role_path", plan.courses))
        if query.year_asked and len(plan.years) > 1:
            # 「第二年要上哪些」: that year's courses lead the answer (and are what it cites); the whole plan follows.
            if query.year_asked > len(plan.years) or not plan.years[query.year_asked - 1].courses:
                lead = f"依這份規劃，第 {query.year_asked} 年沒有排課（沒有第 {query.year_asked} 年的課）。"
            else:
                year = plan.years[query.year_asked - 1]
                courses = year.courses
                lead = compose.course_list_text(
                    f"第 {query.year_asked} 年排的是這 {len(courses)} 門課，共 **{year.hours} 小時**：", courses, self.curriculum, group_by_module=False
                )
            text = f"{lead}\n\n完整的分年規劃如下。\n\n{text}"
        plan_slots = dict(
            taken=[c.code for c in plan.taken], budget=query.budget, budget_total=query.budget_total, years=query.years,
            exclude_modules=query.exclude_modules, exclude_courses=query.exclude_courses, split=query.split, stage_a_year=query.stage_a_year,
        )
        return Draft(
            "role_path",
            text,
            courses,
            total_hours=plan.total_hours,
            role=plan.role,
            context=_context(
                query,
                "role_path",
                courses,
                stages=[s.stage for s in plan.stages] if query.stages else [],
                offer={"kind": "role_path", "role": query.alt_roles[0], "alt_roles": [plan.role], "stages": query.stages, **plan_slots}
                if query.alt_roles and not occupational
                else None,
                choices=choices,
                **plan_slots,
            ),
            choices=[c["label"] for c in choices],
        )

    @staticmethod
    def _asks_path_figure(query: Query, plan: Plan) -> bool:
        """A whole role path's (or stage's) hours or course count is what is asked, not its courses. A personal
        plan (courses taken, modules or courses left out, a budget, years) is answered by the plan itself, which
        says what is left and why; so are a headcount, a pick within the path, a stage a year and skipped stages."""
        text = query.text.lower()
        if not (query.figure or re.search(V.PATH_FIGURE, text) or re.search(V.FIGURE_CLAIM, text)) or re.search(V.PATH_LIST_ASKED, text):
            return False
        return not (plan.personal or query.years > 1 or query.headcount or query.within
                    or query.year_asked or query.split or query.stage_a_year or query.skipped_stages)

    def _path_figure(self, query: Query, plan: Plan) -> Draft:
        """「有規劃路徑合計幾小時」: the figure first, with each stage's hours, computed by the planner and citing
        the courses it sums; the list itself on 「好」."""
        where = f"「{plan.role}」建議路徑" + (f"的{'、'.join(s.stage for s in plan.stages)}階段" if query.stages else "")
        stages = "、".join(f"{s.stage} {sum(c.hours for c in s.courses)} 小時" for s in plan.stages) if len(plan.stages) > 1 else ""
        stages = f"（{stages}）" if stages else ""
        verdict = ""
        if claim := re.search(V.FIGURE_CLAIM, query.text.lower()):  # 「總共200小時，對嗎」
            said = int(claim.group(1))
            verdict = "對，" if said == plan.total_hours else f"不對，不是 {said} 小時："
        lines = [
            f"{verdict}{where}共 **{len(plan.courses)} 門課、合計 {plan.total_hours} 小時**{stages}。",
            f"想看這 {len(plan.courses)} 門課的清單，回覆「好」即可。",
            compose.PATHS_ARE_PROPOSAL,
        ]
        offer = {"kind": "role_path", "role": plan.role, "stages": query.stages}
        return Draft(  # the courses the figure is the sum of are cited (the list itself on 「好」)
            "role_path", "\n\n".join(lines), plan.courses, total_hours=plan.total_hours, role=plan.role,
            context=_context(query, "role_path", plan.courses, stages=query.stages, offer=offer, figure=True),
        )

    @staticmethod
    def _duties_with_path_asked(query: Query) -> bool:
        """「採購出納發公文都有…AI課要怎麼選」: daily work described and the path asked for, no goal for AI said."""
        text = query.text.lower()
        return bool(re.search(V.PATH_ASKED, text)) and not re.search(V.AI_GOAL, text)

    def _task_taught(self, task: Query) -> bool:
        """The task a self-described user names is clearly taught, is a named thing the syllabus lacks (GIS),
        or its words score at least `task_bm25`: words matching by chance (「幫自己規劃一套」) do not."""
        if len(task.topic.replace(" ", "")) < 2:
            return False
        level, hits = self.evidence(task)
        # GIS, 3D said inside a Chinese sentence: a named thing asked about, and untaught (in English every word is ASCII)
        chinese = bool(re.search(r"[\u3400-\u9fff]", task.text))
        named_unknown = [w for w in self.unknown_terms(task.topic) if w.isascii()] if chinese else []
        return level == "strong" or bool(named_unknown) or bool(hits) and max(h.bm25_score for h in hits) >= thresholds().evidence.task_bm25

    def _task_of(self, query: Query) -> Draft:
        """A self-description with a task the courses clearly teach: those courses, and the path on 「好」."""
        draft = self._topic(query)
        if draft.kind == "role_path":
            return draft  # who they are decided it: their path (see _topic)
        offer = f"\n\n想看「{query.role}」的完整學習路徑，回覆「好」即可。"
        if not draft.text.endswith(offer):  # (_topic may have come back through here once already)
            draft.text += offer
        draft.role = query.role
        if draft.context is not None:
            draft.context.role = query.role
            draft.context.offer = {"kind": "role_path", "role": query.role, "alt_roles": query.alt_roles}
        return draft

    def _filter(self, query: Query) -> Draft:
        if query.role and query.topic:  # 「我是科長，6小時的課有哪些」: who they are is no topic
            query = query.model_copy(update={"topic": own_task(query)})
        if ALL_ONE_SIZE.search(query.text) and not query.codes:
            return self._sizes(query)
        if len(query.codes) == 1 and SAME_METHODS.search(query.text):
            return self._same_methods(query)
        if query.topic and generic(query.topic):  # 「模組7有一門會角色扮演，是哪一門」: the conditions are all of it
            query = query.model_copy(update={"topic": ""})
        courses = self.filtered(query)
        topic = query.topic
        if topic and courses:
            ranked = self.rank_by_topic(topic, courses, query.vector)
            anywhere = self.topic_shares(topic, [h.code for h in self.searcher.search(topic, k=5, vector=query.vector)]) if ranked is None else None
            if anywhere and max(anywhere.values()) >= thresholds().evidence.subject_share:
                # 「12小時的課有哪些跟資安有關」: the subject is taught, only not within these conditions
                within = self.describe(query.model_copy(update={"topic": ""}))
                text = (f"{within}的課程裡，沒有和「{compose.plain(topic)}」直接相關的。\n\n"
                        f"想找和「{compose.plain(topic)}」有關的課，可以直接問「有沒有教{compose.plain(topic)}的課」；或放寬條件再試試。")
                return Draft("filter", text, [], context=_context(query, "filter", []))
            if ranked is None:  # the leftover words are no subject the syllabus knows: the conditions alone
                query = query.model_copy(update={"topic": ""})
                topic = ""
            else:
                courses = ranked
        conditions = self.describe(query)
        if not courses:
            text = f"沒有{conditions}的課程。可以放寬條件再試試，例如調整時數範圍。"
            if query.hours_said:
                sizes = sorted({c.hours for c in self.curriculum.courses})
                text += f"\n\n課綱的課程時數只有 {'、'.join(str(h) for h in sizes)} 小時這幾種：最短 {sizes[0]} 小時，最長 {sizes[-1]} 小時。"
            return Draft("filter", text, [], context=_context(query, "filter", []))
        title = f"{conditions}的課程共 {len(courses)} 門" + ("（依相關程度排序）：" if topic else "：")
        text = compose.course_list_text(title, courses, self.curriculum, group_by_module=not topic)
        if query.stages and not query.role:
            text += "\n\n（階段以三種角色的建議學習路徑為準，任何一個角色在該階段會上的課都列出。）"
        if query.wants_total:  # 「只開那幾門的話總共幾小時」
            text += self._sum_sentence(courses)
        text += "\n".join(self._modules_of(courses, query.text))  # 「那門14小時的是放在哪個模組」
        return Draft("filter", text, courses, role=query.role, context=_context(query, "filter", courses))

    def _same_methods(self, query: Query) -> Draft:
        """「5.1.1 跟哪些課的教學方法完全一樣」: the courses whose teaching methods are the very same set."""
        course = self.curriculum.course_map[query.codes[0]]
        same = [c for c in self.curriculum.courses if c.code != course.code and set(c.methods) == set(course.methods)]
        methods = "、".join(course.methods)
        if not same:
            text = f"沒有。**{course.code} {course.name}** 的教學方法是{methods}，沒有其他課和它完全相同。"
            return Draft("filter", text, [course], context=_context(query, "filter", [course]))
        head = f"**{course.code} {course.name}** 的教學方法是{methods}；完全相同的還有這 {len(same)} 門："
        text = compose.course_list_text(head, same, self.curriculum, group_by_module=False)
        return Draft("filter", text, [course, *same], context=_context(query, "filter", same))

    def _sizes(self, query: Query) -> Draft:
        """「所有課都是6小時嗎」: no; the sizes the courses come in, with the courses of the rarer sizes."""
        pool = [c for c in self.curriculum.courses if not query.modules or c.module in query.modules]
        sizes: dict[int, list[Course]] = {}
        for course in pool:
            sizes.setdefault(course.hours, []).append(course)
        common = max(sizes, key=lambda h: len(sizes[h]))
        where = "、".join(self.curriculum.module(m).label for m in query.modules) if query.modules else "課綱"
        if len(sizes) == 1:
            text = f"是。{where}的 {len(pool)} 門課都是 {common} 小時。"
            return Draft("filter", text, pool, context=_context(query, "filter", pool))
        parts = [f"{h} 小時 {len(sizes[h])} 門" for h in sorted(sizes)]
        rare = [c for h in sorted(sizes) if h != common for c in sizes[h]]
        text = compose.course_list_text(
            f"不是。{where}的 {len(pool)} 門課時數不只一種：{'、'.join(parts)}。不是 {common} 小時的是這 {len(rare)} 門：",
            rare, self.curriculum, group_by_module=False)
        return Draft("filter", text, rare, context=_context(query, "filter", rare))

    def describe(self, query: Query) -> str:
        parts = []
        if query.role:
            parts.append(f"「{query.role}」")
        if query.modules:
            parts.append("、".join(self.curriculum.module(m).label for m in query.modules))
        if query.level:
            parts.append(query.level)
        if query.stages:
            parts.append("、".join(query.stages) + "階段")
        if query.not_hours is not None:
            parts.append(f"不是 {query.not_hours} 小時")
        if query.min_hours is not None and query.min_hours == query.max_hours:
            parts.append(f"{query.min_hours} 小時")
        else:
            if query.min_hours is not None:
                parts.append(f"{query.min_hours} 小時以上")
            if query.max_hours is not None:
                parts.append(f"{query.max_hours} 小時以內")
        if query.method:
            parts.append(f"教學方法含「{query.method}」")
        if query.topic:
            parts.append(f"與「{compose.plain(query.topic)}」相關")
        return "、".join(parts) or "所有"

    def rank_by_topic(self, topic: str, courses: list[Course], vector: list[float] | None = None) -> list[Course] | None:
        """The filtered courses that match the topic, best first (no second metadata query); None when
        no word of it is in any of them. `vector`: the question's own, already computed (the topic is not
        embedded a second time)."""
        hits = self.searcher.search(topic, k=len(courses), allowed=[c.code for c in courses], vector=vector)
        strong = [h for h in hits if h.bm25_score >= 0.5 * max((x.bm25_score for x in hits), default=0) > 0]
        shares = self.topic_shares(topic, [h.code for h in strong]) if strong else None
        if shares is not None:  # only courses whose own text holds the topic's words (「資安」 is in no 12-hour course)
            best = max(shares.values(), default=0.0)
            strong = [h for h in strong if best > 0 and shares[h.code] >= best - thresholds().evidence.keep_share_gap]
        if not strong:
            return None
        chosen = strong[:8]
        by_code = self.curriculum.course_map
        return [by_code[h.code] for h in chosen]

    # ------------------------------------------------------------ overviews
    def _list_modules(self, query: Query) -> Draft:
        lines = ["課綱共有 8 大課程模組：", ""]
        for module in self.curriculum.modules:
            courses = [c for c in self.curriculum.courses if c.module == module.number]
            alias = f"（表格中寫作「{'、'.join(module.aliases)}」）" if module.aliases else ""
            lines.append(
                f"- **{module.label}**{alias}：{module.overview}｜{len(courses)} 門課，全部上完 {total_hours(courses)} 小時"
            )
        note = self.sections.line("modules", "註：")
        lines += ["", *([note, ""] if note else []), "模組 4 的 4.1.4 與 4.2.4 是整併課程，時數已依整併計算（只算一次）。想看某個模組的課，例如問「模組3有哪些課」。"]
        sources = self.sections.sources("modules")
        lines += ["", cited_from(sources)]
        return Draft("list_modules", "\n".join(lines), sources=sources)

    def _list_roles(self, query: Query) -> Draft:
        named = [r.name for r in self.curriculum.roles if r.name in query.text]
        if query.clarify == "off_path":
            return self._off_path()
        if query.clarify == "union":
            return self._union(named)
        if query.clarify == "compare_roles" and query.role and query.alt_roles:
            named = [query.alt_roles[0], query.role]
        if re.search(V.COMMON_WORDS, query.text):
            return self._common_courses(named if len(named) >= 2 else [r.name for r in self.curriculum.roles])
        lines = ["課綱定義三種 AI 公務人員角色：", ""]
        for role in self.curriculum.roles:
            plan = plan_for_role(self.curriculum, role.name)
            lines.append(f"- **{role.name}**：{role.description}（建議路徑合計 {plan.total_hours} 小時）")
        if len(named) == 2 and (re.search(r"差多少|相差|差幾|差距|差別", query.text) or query.clarify == "compare_roles"):
            a, b = (plan_for_role(self.curriculum, n).total_hours for n in named)
            lines += ["", f"「{named[0]}」{a} 小時、「{named[1]}」{b} 小時，兩條路徑相差 **{abs(a - b)} 小時**。"]
        lines += ["", f"職等對照：{self.curriculum.grade_note}", "", "告訴我您的職等或工作內容，我幫您排出學習路徑。"]
        sources = self.sections.sources("roles", "path")
        lines += ["", cited_from(sources)]
        return Draft("list_roles", "\n".join(lines), sources=sources)

    def _union(self, roles: list[str]) -> Draft:
        """The named paths together, each course once (a consolidated course and its parts once)."""
        plans = [plan_for_role(self.curriculum, r) for r in roles]
        seen: dict[str, Course] = {}
        for plan in plans:
            for course in plan.courses:
                seen.setdefault(course.code, course)
        kept, consolidations = consolidate(list(seen.values()))
        who = "」與「".join(roles)
        parts = "、".join(f"「{r}」{len(p.courses)} 門" for r, p in zip(roles, plans))
        text = (
            f"「{who}」的建議學習路徑合起來，相同的課只算一次，共 **{len(seen)} 門課**"
            f"（{parts}，共同的課 {sum(len(p.courses) for p in plans) - len(seen)} 門）"
        )
        if len(kept) < len(seen):  # a course of one path is part of a consolidated course of the other
            text += f"；{compose.consolidation_note(consolidations)}實際要上 {len(kept)} 門"
        text += f"，合計 **{sum(c.hours for c in kept)} 小時**。\n\n課程：{'、'.join(seen)}\n\n" + compose.PATHS_ARE_PROPOSAL
        return Draft("list_roles", text, context=Context(kind="list_roles"))

    def _off_path(self) -> Draft:
        """The courses no role's suggested path lists, and the consolidated course on a path that covers each."""
        on_path = {c for stages in self.curriculum.role_paths.paths.values() for codes in stages.values() for c in codes}
        off = [c for c in self.curriculum.courses if c.code not in on_path]
        if not off:
            return Draft("list_roles", "課綱的每一門課都至少在一條建議學習路徑上。\n\n" + compose.PATHS_ARE_PROPOSAL, context=Context(kind="list_roles"))
        lines = [f"{len(self.curriculum.courses)} 門課裡，沒有單獨列在任何一條建議學習路徑上的有 {len(off)} 門：", ""]
        for course in off:
            holders = [h for h in self.curriculum.courses if course.code in h.replaces and h.code in on_path]
            via = f"：已整併進 {holders[0].code} {holders[0].name}（在路徑上），擇一即可" if holders else ""
            lines.append(compose.course_line(course) + via)
        lines += ["", compose.PATHS_ARE_PROPOSAL]
        return Draft("list_roles", "\n".join(lines), off, total_hours=total_hours(off), context=_context(Query(text=""), "list_roles", off))

    def _common_courses(self, roles: list[str]) -> Draft:
        """The courses every named role's suggested path has (「三條路徑都有的課」)."""
        plans = [plan_for_role(self.curriculum, r) for r in roles]
        shared = [c for c in plans[0].courses if all(c.code in {x.code for x in p.courses} for p in plans[1:])]
        who = "、".join(f"「{r}」" for r in roles)
        if not shared:
            return Draft("list_roles", f"{who}的建議學習路徑沒有共同的課。", context=Context(kind="list_roles"))
        text = compose.course_list_text(f"{who}的建議學習路徑都有的課共 {len(shared)} 門：", shared, self.curriculum, group_by_module=False)
        text += "\n\n" + compose.PATHS_ARE_PROPOSAL
        return Draft("list_roles", text, shared, total_hours=total_hours(shared), context=_context(Query(text=""), "list_roles", shared))

    def _list_methods(self, query: Query) -> Draft:
        counts: dict[str, int] = {}
        for course in self.curriculum.courses:
            for method in course.methods:
                counts[method] = counts.get(method, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        lines = ["課綱中各課程使用的教學方法（括號內為採用的課程數）：", ""]
        if query.unknown_method:
            lines[:0] = [f"課綱 {len(self.curriculum.courses)} 門課的教學方法裡沒有「{query.unknown_method}」，所以沒有採用它的課。", ""]
        lines.append("、".join(f"{method}（{n}）" for method, n in ranked))
        lines += ["", "想找用某種方法教的課，例如問「有實作教學的課」或「有工作坊的課」。"]
        return Draft("list_methods", "\n".join(lines))

    # ------------------------------------------------------------ topics
    def evidence(self, query: Query, k: int = 5) -> tuple[str, list]:
        """("strong" | "moderate" | "none", hits): how well the best course matches the question."""
        text = query.topic if len(query.topic) >= 2 else query.text
        # keyed by the vector's values: an id() can be reused once a question's vector is freed
        key = (text, k, None if query.vector is None else hash(tuple(query.vector)))
        if self._evidence_cache and self._evidence_cache[0] == key:
            return self._evidence_cache[1]  # asked twice for one question (clarify → topic): search once
        result = self._evidence(text, k, query)
        self._evidence_cache = (key, result)
        return result

    def _evidence(self, text: str, k: int, query: Query) -> tuple[str, list]:
        hits = self.searcher.search(text, k=k, vector=query.vector)
        if not hits:
            return "none", []
        t = thresholds().evidence
        best_dense = max(h.dense_sim for h in hits)
        best_bm25 = max(h.bm25_score for h in hits)
        lexical_strong = best_bm25 >= t.strong_bm25 and (best_dense >= t.strong_dense or best_bm25 >= t.decisive_bm25)
        if lexical_strong and not self.unknown_terms(text) and self.one_course_covers(text, hits):
            level = "strong"
        elif best_bm25 < t.weak_bm25 and best_dense < t.weak_dense:
            level = "none"
        else:
            level = "moderate"
        return level, hits

    def unknown_terms(self, text: str) -> list[str]:
        """Parts of the question the syllabus never uses (GIS, 巨集, 無人機…): then no course is "the" answer.

        An ASCII word the syllabus lacks counts on its own (acronyms and product names are specific);
        Chinese counts when at least `uncovered_share` of the topic's characters are in no syllabus bigram.
        """
        vocab = self.searcher.bm25.vocab_dict
        lowered = self._topic_text(text)
        ascii_words = [w for w in re.findall(r"[a-z][a-z0-9+#.]*", lowered) if w not in vocab and w not in ("ai", "the") and not lexicon_matches(w)]
        if ascii_words:
            return ascii_words
        runs = _cjk_runs(lowered)
        chars = sum(len(r) for r in runs)
        covered = _covered(runs, lambda bigram: bigram in vocab)
        uncovered = [r[i] for r in runs for i in range(len(r)) if (r, i) not in covered]
        share = len(uncovered) / chars if chars else 0.0
        runs_out = [
            "".join(r[i] for i in range(len(r)) if (r, i) not in covered)
            for r in runs
            if any(all((r, j) not in covered for j in range(i, i + 3)) for i in range(len(r) - 2))
        ]
        if share >= thresholds().evidence.uncovered_share or runs_out:
            return uncovered  # 「區塊鏈」: three characters in a row that no syllabus word has
        return []

    def one_course_covers(self, text: str, hits: list) -> bool:
        """Some course's own text holds the topic's words, not only the syllabus as a whole:
        「醫療影像判讀」 has 醫療 in one course and 影像 in another, and no course on it."""
        shares = self.topic_shares(text, [hit.code for hit in hits], english=False)
        if shares is None:
            return True
        return 1.0 - max(shares.values(), default=0.0) < thresholds().evidence.uncovered_share

    def _topic_text(self, text: str) -> str:
        """The topic as coverage checks read it: prepared, lower-case, without the everyday words
        the lexicon maps to syllabus terms (those count as known)."""
        lowered = self.searcher.prepare(text).lower()
        for word in GENERIC_WORDS + LEXICON_WORDS:
            lowered = lowered.replace(word, " ")
        return lowered

    def related(self, hits: list, topic: str = "") -> list:
        """The hits close to the best one on both signals: no padding with weak matches. With the
        topic given, also only those whose own text holds nearly as many of its words as the best
        keyword match does (「怎麼用ChatGPT輔助決策」: 7.1.2 holds 輔助決策, the other ChatGPT courses do not)."""
        top_bm25 = max(h.bm25_score for h in hits)
        top_dense = max(h.dense_sim for h in hits)
        t = thresholds().evidence
        kept = [h for h in hits if h.bm25_score >= t.keep_bm25_ratio * top_bm25 and h.dense_sim >= top_dense - t.keep_dense_gap]
        kept = [h for h in kept if h.bm25_score >= t.close_bm25_ratio * top_bm25 or h.dense_sim >= top_dense - t.close_dense_gap]
        if topic and len(kept) > 1:
            shares = self.topic_shares(topic, [h.code for h in kept])
            if shares is not None:  # (nothing to count: every course holds all of it)
                reference = shares[max(kept, key=lambda h: h.bm25_score).code]  # the best keyword match's share
                kept = [h for h in kept if shares[h.code] >= reference - t.keep_share_gap]
        if topic and len(kept) > 1:  # 「AI倫理的課在哪」: 1.1.1 is named for it
            kept = self.named_first(kept, [w for w in re.split(r"\s+|的", re.sub(V.AI_WORDS, " ", topic.lower())) if len(w) >= 2])
        return kept[:4] or hits[:1]

    def _modules_of(self, courses: list[Course], text: str) -> list[str]:
        """「教數位領導力的課是第幾模組」: where each listed course sits, when that is asked."""
        if not _MODULE_ASKED.search(text):
            return []
        lines = [""]
        for number in dict.fromkeys(c.module for c in courses):
            held = "、".join(c.code for c in courses if c.module == number)
            lines.append(f"{held} 在{self.curriculum.module(number).label}。")
        return lines

    def _literally_taught(self, text: str) -> tuple[str, list[Course]] | None:
        """(subject, courses) when a course is asked for by a subject said outright (「有自然語言處理的課嗎」)
        and one to three courses have those very words: in their names, else in their goals or outline."""
        m = _NAMED_SUBJECT.search(text.lower())
        subject = m and (m.group(1) or m.group(2))
        if not subject or generic(subject) or re.fullmatch(V.AI_WORDS, subject) or subject in EXPANSIONS:
            return None  # an everyday word the lexicon maps (個資, 設計思考): retrieval weighs its syllabus terms
        pool = [c for c in self.curriculum.courses if not c.replaces]
        named = [c for c in pool if subject in _folded(c.name)]  # a course named for it answers it
        found = named or [c for c in pool if subject in _folded(" ".join([*c.goals, *c.outline]))]
        return (subject, found) if 1 <= len(found) <= 3 else None

    def _described_by_slots(self, query: Query) -> Course | None:
        """The one course that a description's module, hours, method or level (and 最長/最短) select;
        with two or more left, the one the question's words clearly point to (BM25 1.5 × the next)."""
        extreme = _LONGEST_OR_SHORTEST.search(query.text.lower())
        if not (query.hours_said or query.method or query.level or query.modules or extreme):
            return None
        pool = [c for c in self.filtered(query.model_copy(update={"role": None, "stages": []})) if not c.replaces or query.hours_said]
        if pool and extreme:
            edge = max(c.hours for c in pool) if compose.wants_longest(query.text) else min(c.hours for c in pool)
            pool = [c for c in pool if c.hours == edge]
        if len(pool) == 1:
            return pool[0]
        if len(pool) < 2 or len(pool) == len(self.curriculum.courses):
            return None
        hits = self.searcher.search(query.text, k=len(pool), allowed=[c.code for c in pool])
        if len(hits) >= 2 and hits[0].bm25_score > 0 and hits[0].bm25_score >= 1.5 * hits[1].bm25_score:
            return self.curriculum.course_map[hits[0].code]
        return None

    def _named_for(self, description: str, codes: list[str]) -> str | None:
        """The one course whose name holds clearly more of a description's words than the others do."""
        lowered = self._topic_text(description)
        runs = _cjk_runs(lowered)
        latin = [w for w in re.findall(r"[a-z][a-z0-9+#.\-]*", lowered) if w != "ai"]
        size = sum(len(r) for r in runs) + sum(len(w) for w in latin)
        if not size:
            return None
        share = {}
        for code in codes:
            name = self.curriculum.course_map[code].name.lower()
            held = len(_covered(runs, lambda bigram, name=name: bigram in name)) + sum(len(w) for w in latin if w in name)
            share[code] = held / size
        ranked = sorted(codes, key=lambda c: -share[c])
        if share[ranked[0]] >= 0.5 and all(share[ranked[0]] >= share[c] + 0.25 for c in ranked[1:]):
            return ranked[0]
        return None

    def named_first(self, hits: list, words: list[str]) -> list:
        """Courses whose name holds one of the subject's words answer it; the others stay only when
        about as close by keywords (BM25 at least 0.8 of the best). No course named for it: all stay."""
        named = [h for h in hits if any(w in self.curriculum.course_map[h.code].name.lower() for w in words)]
        if not named:
            return hits
        top = max(h.bm25_score for h in hits)
        return [h for h in hits if h in named or h.bm25_score >= 0.8 * top]

    def topic_shares(self, text: str, codes: list[str], english: bool = True) -> dict[str, float] | None:
        """Per course, the share of the topic's characters inside a bigram of the course's own text;
        with `english`, an English word the syllabus uses (Python, API) counts with its letters when the
        course has it. None when the topic has nothing to count. The topic is read once for all courses."""
        lowered = self._topic_text(text)
        runs = _cjk_runs(lowered)
        documents = self.searcher.records.documents
        words: list[str] = []
        if english:
            vocab = self.searcher.bm25.vocab_dict
            candidates = [w for w in dict.fromkeys(re.findall(r"[a-z][a-z0-9+#.]*", lowered)) if w in vocab and w not in ("ai", "the")]
            if candidates:
                folded_all = [d.lower() for d in documents]
                # Only English words few courses have (Python, API): ChatGPT is in nine course names and tells none apart.
                words = [w for w in candidates if sum(w in d for d in folded_all) <= 3]
        chars = sum(len(r) for r in runs) + sum(len(w) for w in words)
        if not chars:
            return None
        shares = {}
        for code in codes:
            document = documents[self.searcher.position[code]]
            folded = document.lower()
            held = len(_covered(runs, lambda bigram, text=document: bigram in text)) + sum(len(w) for w in words if w in folded)
            shares[code] = held / chars
        return shares

    def _topic(self, query: Query) -> Draft:
        if query.within and query.clarify != "reference":
            return self._topic_within(query)
        if query.role and query.role_reason and query.role_reason != query.role and query.clarify is None and not query.unsure:
            # 「我是稅務局基層，有沒有AI寫公文的課」: the courses asked for, and their path on 「好」
            task = query.model_copy(update={"topic": own_task(query), "clarify": None, "unsure": False})
            if not seeks_course(query.text) and (not self._task_taught(task) or self._duties_with_path_asked(query)):
                # 「市立醫院護理師 想學怎麼用AI」: nothing in it a course holds; who they are decides: their path
                return self._role_path(query.model_copy(update={"kind": "role_path", "clarify": None}))
            if not seeks_course(query.text) and _MY_COURSES_ASKED.search(query.text):
                # 「…隊長，想帶隊員用AI分析資料，我要上什麼」: their path, with the courses of the goal on it named
                draft = self._role_path(query.model_copy(update={"kind": "role_path", "clarify": None}))
                level, hits = self.evidence(task)
                on_path = [c for c in draft.courses if level == "strong" and c.code in {h.code for h in self.related(hits, task.topic)}]
                if on_path:
                    named = "、".join(f"{c.code} {c.name}" for c in on_path[:3])
                    draft.text = f"和您提到的工作最相關的是路徑上的 **{named}**。\n\n" + draft.text
                return draft
            return self._task_of(query.model_copy(update={"role_reason": None}))
        level, hits = self.evidence(query)
        subject = compose.plain(query.topic or query.text)
        if query.clarify is None and (named := self._literally_taught(query.text)):
            # 「…有自然語言處理的課嗎」: the subject said outright, and few courses have those very words
            subject, courses = named
            lines = [f"課綱裡寫到「{subject}」的是這 {len(courses)} 門課：", ""]
            lines += [compose.course_line(c, why(c, frozenset(tokens(self.searcher.prepare(subject))))) for c in courses]
            lines += self._modules_of(courses, query.text)
            lines += ["", "想看哪一門的完整大綱，可以說「第一門課的大綱」或直接給我課程代碼。"]
            return Draft("topic", "\n".join(lines), courses, context=_context(query, "topic", courses))
        if query.clarify == "reference" and not query.within and (picked := self._described_by_slots(query)):
            # 「訂策略模組裡最長的那門」, 「模組2那門有用PBL的」: the conditions said pick out one course
            text = "您說的應該是這門課：\n\n" + compose.detail_text(picked, self.curriculum, query.focus)
            return Draft("course_detail", text, [picked], context=_context(query, "course_detail", [picked]))
        if query.clarify == "reference" and query.within:
            hits = self.searcher.search(query.text, k=len(query.within), allowed=query.within, vector=query.vector)
            if hits and hits[0].bm25_score > 0 and (len(hits) == 1 or hits[0].bm25_score >= 1.5 * hits[1].bm25_score):
                best = self.courses([hits[0].code])
                text = compose.detail_text(best[0], self.curriculum, query.focus)
                return Draft("course_detail", text, best, context=_context(query, "course_detail", best))
            if 2 <= len(query.within) <= 3 and _ONE_POINTED.search(query.text) and query.focus:
                # 「那門幾小時」 after a short list: the first (best) course, said so, with the others to pick instead
                first, others = self.courses(query.within[:1])[0], "、".join(query.within[1:])
                text = (f"您指的應該是剛才列的第一門：\n\n{compose.detail_text(first, self.curriculum, query.focus)}"
                        f"\n\n如果您指的是 {others}，請告訴我代碼。")
                return Draft("course_detail", text, [first], context=_context(query, "course_detail", [first]))
            if len(query.within) == 1:  # a question about the course just shown that its text does not answer
                only = self.courses(query.within)
                text = f"課綱裡這門課的訓練目標、大綱與教學方法沒有寫到這一點。以下是課綱的內容：\n\n{compose.detail_text(only[0], self.curriculum, [])}"
                return Draft("course_detail", text, only, context=_context(query, "course_detail", only))
            return self._clarify(query)
        if query.clarify == "reference" and level != "strong":
            return self._clarify(query)  # 「那門課幾小時」 with nothing to point at: ask which
        if level == "none" and query.clarify == "closest" and hits:
            level = "moderate"  # 「那有什麼最接近的」 after "no course teaches it": the closest, said as such
        elif level == "none":
            return self._no_match(query, subject)
        shown = thresholds().evidence
        chosen = self.related(hits, query.topic or query.text)[: shown.max_strong if level == "strong" else shown.max_hedged]
        courses = self.courses([h.code for h in chosen])
        if query.clarify == "reference" and level == "strong" and len(courses) >= 1:
            by_words = sorted(hits, key=lambda h: -h.bm25_score)  # a described course is found by its words
            named = self._named_for(query.topic or query.text, [h.code for h in by_words[:2]])
            if len(hits) == 1 or by_words[0].bm25_score >= 1.5 * by_words[1].bm25_score:
                best = self.courses([by_words[0].code])
            elif named:  # 「AI倫理的課幾小時」: 1.1.1's name holds the description, 1.2.1's does not
                best = self.courses([named])
            else:
                best = courses = self.courses([h.code for h in by_words[:2]])  # two close: both, to pick from
            if len(best) == 1:
                text = "您說的應該是這門課：\n\n" + compose.detail_text(best[0], self.curriculum, query.focus)
                return Draft("course_detail", text, best, context=_context(query, "course_detail", best))
            if query.focus:  # 「法律合規那門怎麼上」 and two fit: what was asked, of both
                text = "您說的可能是這兩門課之一：\n\n" + "\n\n".join(compose.detail_text(c, self.curriculum, query.focus) for c in best)
                return Draft("course_detail", text, best, context=_context(query, "course_detail", best))
        wanted = frozenset(tokens(self.searcher.prepare(query.text)))
        if level == "moderate":
            lines = [f"課綱裡沒有專門教「{subject}」的課。內容最接近的是這 {len(courses)} 門，供您參考：", ""]
        elif query.unsure:
            level = "moderate"  # shown as closest matches, not as the answer
            lines = [f"我不確定是否理解了您的問題。如果您想找和「{subject}」有關的課，內容最接近的是這 {len(courses)} 門：", ""]
        else:
            lines = [f"和「{subject}」最相關的是這 {len(courses)} 門課：", ""]
        for course in courses:
            lines.append(compose.course_line(course, why(course, wanted)))
        lines += self._modules_of(courses, query.text)
        lines.append("")
        lines.append("想看哪一門的完整大綱，可以說「第一門課的大綱」或直接給我課程代碼。")
        return Draft(
            "topic", "\n".join(lines), courses, context=_context(query, "topic", courses), hedged=level == "moderate"
        )

    def _topic_within(self, query: Query, scope: str = "剛才列出的課裡") -> Draft:
        """「裡面跟法律有關的是哪幾門」: the previous list's courses that match the words;
        「其中12小時的有哪幾門」, 「裡面超過6小時的」: the previous list filtered by hours, method or level."""
        topic = _WITHIN_WORDS.sub(" ", query.topic or "").strip()
        if _LONGEST_OR_SHORTEST.search(query.text.lower()):
            return self._extreme(query.model_copy(update={"codes": list(query.within), "within": []}))  # 「裡面最長的是哪門」
        slots = query.hours_said or query.method or query.level
        if slots and generic(re.sub(r"哪一?門|哪幾門|上課|形式|方式|進行|採用|用|是", "", topic)):  # 「其中哪一門是用工作坊上課的」
            slots_only = query.model_copy(update={"stages": [], "modules": [], "role": None, "topic": ""})
            selected = {c.code for c in self.filtered(slots_only)}
            inside = [c for c in self.courses(query.within) if c.code in selected]
            where = f"{scope}，" + self.describe(slots_only)
            if not inside:
                return Draft("filter", f"{where}的課一門也沒有。", context=_context(query, "filter", []))
            if any(w in query.text.lower().replace("哪幾門", "") for w in V.COUNT_WORDS):
                head = f"{where}的課有 **{len(inside)} 門**："
            else:
                head = f"{where}的有這 {len(inside)} 門："
            text = compose.course_list_text(head, inside, self.curriculum, group_by_module=False)
            return Draft("filter", text, inside, total_hours=total_hours(inside), context=_context(query, "filter", inside))
        hits = self.searcher.search(query.topic or query.text, k=len(query.within), allowed=query.within, vector=query.vector)
        top = max((h.bm25_score for h in hits), default=0.0)
        chosen = [h for h in hits if top > 0 and h.bm25_score >= 0.5 * top]
        chosen = self.named_first(chosen, [w for w in topic.split() if len(w) >= 2])
        subject = compose.plain(topic or query.topic or query.text)
        if not chosen:
            return Draft("topic", f"{scope}，沒有和「{subject}」直接相關的。", context=_context(query, "topic", []))
        courses = self.courses([h.code for h in chosen])
        text = compose.course_list_text(f"{scope}，和「{subject}」有關的是這 {len(courses)} 門：", courses, self.curriculum, group_by_module=False)
        return Draft("topic", text, courses, context=_context(query, "topic", courses))

    def _no_match(self, query: Query, subject: str) -> Draft:
        text = (
            f"課綱裡沒有專門教「{subject}」的課。這份課綱的 41 門課集中在 AI 素養與倫理、資料科學、AI 開發、"
            "隱私資安與合規、AI 策略、MLOps、創新領導與生成式 AI 業務應用。\n\n"
            "您可以換個說法描述想解決的工作問題，或告訴我您的職務，我幫您排學習路徑。"
        )
        return Draft("no_match", text, context=_context(query, "no_match", []))

    # ------------------------------------------------------------ asking back, and what the document does not say
    def _clarify(self, query: Query) -> Draft:
        if query.clarify == "role_or_topic":
            # their task, not who they are or how they ask (「本人任職於…，哪幾門課對我最有幫助」)
            task = query.model_copy(update={"topic": own_task(query), "unsure": False})
            if query.vector is not None and len(task.topic) >= 2 and self.evidence(task)[0] == "strong":
                draft = self._topic(task.model_copy(update={"clarify": None}))
                draft.text += "\n\n想要依職務排出完整的學習路徑，告訴我您的工作比較接近主管、業務承辦還是資訊人員。"
                return draft
            if not query.role and not generic(personal_topic(query)):  # a job described, no grade or title word: staff path and choices
                staff = assume_staff(query.model_copy())
                if (seeks_course(query.text) or re.search(V.WANTS, query.text.lower())) and len(own_task(staff).replace(" ", "")) >= 2:
                    staff.clarify = "task"  # 「我是小編，…有沒有適合我的課」: the courses of the work described, the path on 「好」
                return self._role_path(staff)
            query = query.model_copy(update={"clarify": "role"})
        if query.clarify == "role":
            options = compose.ROLE_CHOICES
            lines = [compose.CLARIFY_ROLE, ""]
            lines += [f"{i}. **{label}**：{desc}" for i, (label, _, desc) in enumerate(options, start=1)]
            lines += ["", f"職等對照：{self.curriculum.grade_note}", "", "回覆「主管」、「承辦」、「資訊」或編號即可。"]
            choices = [
                {"label": label, "query": {"kind": "role_path", "role": role, "stages": query.stages, **plan_fields(query)}}
                for label, role, _ in options
            ]
            context = Context(kind="clarify", choices=choices)
            return Draft("clarify", "\n".join(lines), context=context, choices=[label for label, _, _ in options])
        if query.clarify == "reference":
            return Draft("clarify", compose.CLARIFY_REFERENCE, context=Context(kind="clarify"))
        if query.vector is not None and self.evidence(query)[0] == "strong":
            return self._topic(query)  # unsure what kind of question, but the courses clearly match its words
        return Draft("clarify", compose.CLARIFY_INTENT, context=Context(kind="clarify"), choices=list(compose.INTENT_CHOICES))

    def _mentions(self, query: Query) -> Draft:
        """Courses whose name, goals, outline or methods contain the words as written (case and
        full-width ignored); a module or role said alongside narrows the list."""
        term, field = query.mentions or "", query.mention_field
        wanted = _folded(term)
        where = {"name": "課程名稱", "goals": "訓練目標", "outline": "課程大綱", "methods": "教學方法"}.get(field or "", "課程內容")

        def texts(course: Course) -> list[str]:
            fields = {"name": [course.name], "goals": course.goals, "outline": course.outline, "methods": course.methods}
            return fields[field] if field else [course.name, *course.goals, *course.outline, *course.methods]

        pool = [c for c in self.curriculum.courses if not query.modules or c.module in query.modules]
        pool = [c for c in pool if not query.within or c.code in query.within]
        found = [c for c in pool if any(wanted in _folded(t) for t in texts(c))]
        scope = f"{compose.join([self.curriculum.module(m).label for m in query.modules])}中，" if query.modules else ""
        scope = "剛才列出的課裡，" + scope if query.within else scope
        if not found:
            text = f"{scope}沒有課程的{where}寫到「{term}」。要找相關主題的課，可以問「跟{term}有關的課」。"
            return Draft("mentions", text, context=Context(kind="mentions"))
        title = f"{scope}{where}寫到「{term}」的課共 **{len(found)} 門**："
        text = compose.course_list_text(title, found, self.curriculum)
        return Draft("mentions", text, found, context=_context(query, "mentions", found))

    def _unanswerable(self, query: Query) -> Draft:
        return Draft("unanswerable", compose.unanswerable_text(self.curriculum))

    def _document(self, query: Query) -> Draft:
        if query.clarify == "figure":
            return self._figure()
        if query.clarify == "path_modules" and query.role:
            return self._path_modules(query.role, compose.asks_why(query.text))
        if query.about and query.modules:
            return self._module_about(self.curriculum.module(query.modules[0]))
        if query.about and query.role:
            return self._role_about(query.role)
        if query.clarify == "grade_role" and query.grade:
            return self._grade_role(query)
        if query.clarify == "levels":
            return self._levels(query)
        why_asked = compose.asks_why(query.text)
        found = self.sections.find(query.text, query.vector, reasons_only=why_asked)
        if re.search(V.CONTACT_ASKED, query.text.lower()):  # 「聯絡信箱？」: the section that gives the address
            found = sorted(found, key=lambda hit: not any("@" in line for line in hit[0].text))  # stable: ranking kept otherwise
        section, score = found[0]
        quoted = "\n".join(f"> {line}" for line in section.text)
        source = cited_from([(section.id, section.title)])
        if not why_asked:
            text = f"課綱本文「{section.title}」一節這樣寫：\n\n{quoted}\n\n{source}"
        elif score >= thresholds().document.reason_given:
            text = f"課綱在「{section.title}」一節說明了理由：\n\n{quoted}\n\n{source}"
        else:
            others = "、".join(f"「{s.title}」" for s, _ in found[1:3])
            text = (
                f"課綱沒有說明這一點的理由。它說明規劃背景的段落中，最相關的是「{section.title}」：\n\n{quoted}\n\n{source}"
                f"\n\n（說明背景的段落另有{others}。）"
            )
        return Draft("document", text, context=Context(kind="document"), sources=[(section.id, section.title)])

    def _paths_basis(self) -> str:
        paths = self.curriculum.role_paths
        if paths.proposal:
            return paths.note
        return "各角色的學習路徑已由訓練單位確認。"

    def _figure(self) -> Draft:
        """The role × module figure: its heading is in the document, its content is not."""
        sources = self.sections.sources("roles", "documents")
        text = (
            "課綱原文在「三種AI公務人員角色」之前有「公務員 AI 角色定位 × 學習模組對應地圖」這個標題，附錄一也列了「學習模組地圖」，"
            "但對應圖本身在本工具取得的課綱文字裡沒有內容（圖已遺失），所以無法描述圖上畫了什麼。\n\n"
            f"{self._paths_basis()}\n\n想看某個角色的建議路徑，例如問「能應用的學習路徑」。\n\n{cited_from(sources)}"
        )
        return Draft("document", text, context=Context(kind="document"), sources=sources)

    def _path_modules(self, role: str, why: bool) -> Draft:
        """Which modules a role's suggested path uses and which it does not, and on what basis."""
        plan = plan_for_role(self.curriculum, role)
        used = sorted({c.module for c in plan.courses})
        unused = [m.number for m in self.curriculum.modules if m.number not in used]
        label = lambda numbers: "、".join(self.curriculum.module(n).label for n in numbers) or "（無）"  # noqa: E731
        lines = []
        if why:
            lines.append("課綱沒有說明各角色為什麼上或不上哪些模組：原文的角色 × 模組對應圖已遺失。")
        lines += [
            f"「{role}」的建議路徑用到 {len(used)} 個模組：{label(used)}。",
            f"沒有用到的模組：{label(unused)}。",
            "",
            self._paths_basis(),
        ]
        sources = self.sections.sources("roles", "path")
        lines += ["", cited_from(sources)]
        context = Context(kind="document", role=role, offer={"kind": "role_path", "role": role})
        return Draft("document", "\n".join(lines), context=context, sources=sources)

    def _module_about(self, module) -> Draft:
        """A module in the document's words (its line in 八大課程模組概覽), its size, and its courses on 「好」."""
        courses = [c for c in self.curriculum.courses if c.module == module.number]
        alias = f"附錄二的表格寫作「{'、'.join(module.aliases)}」，" if module.aliases else ""
        text = (
            f"**{module.label}**：課綱的「八大課程模組概覽」寫的是「{module.overview}」。{alias}"
            f"這個模組有 {len(courses)} 門課，全部上完 {total_hours(courses)} 小時。"
        )
        note = self.sections.line("modules", "註：")
        sources = self.sections.sources("modules")
        text += ("\n\n" + note if note else "") + "\n\n要我列出這個模組的課嗎？\n\n" + cited_from(sources)
        context = Context(kind="document", modules=[module.number], offer={"kind": "module", "modules": [module.number]})
        return Draft("document", text, context=context, sources=sources)

    def _levels(self, query: Query) -> Draft:
        """Which modules have levels (基礎/進階), from the courses' own level field."""
        split = [m for m in self.curriculum.modules if len({c.level for c in self.curriculum.courses if c.module == m.number and c.level}) > 1]
        asked = [m for m in query.modules if m not in [s.number for s in split]]
        lines = []
        if asked:
            lines.append("、".join(self.curriculum.module(m).label for m in asked) + " 沒有分基礎與進階。")
        if split:
            for module in split:
                parts = []
                for level in sorted({c.level for c in self.curriculum.courses if c.module == module.number and c.level}):
                    of_level = [c for c in self.curriculum.courses if c.module == module.number and c.level == level]
                    parts.append(f"{level}：{'、'.join(c.code for c in of_level)}（{total_hours(of_level)} 小時）")
                lines.append(f"課綱附錄二中分基礎與進階的只有 **{module.label}**：" + "；".join(parts) + "。")
        else:
            lines.append("課綱附錄二的模組都沒有分基礎與進階。")
        return Draft("document", "\n\n".join(lines), context=Context(kind="document", modules=[m.number for m in split]))

    def _grade_role(self, query: Query) -> Draft:
        """「中階主管對應哪個角色」: the grade note says which role(s), each in the document's words."""
        grade = next(g for g in self.curriculum.grades if g.name == query.grade)
        names = "」或「".join(grade.roles)
        said = f"（您提到「{query.role_reason}」）" if query.role_reason and query.role_reason != grade.name else ""
        lines = [f"依課綱的職等對照，{grade.name}{said}對應「{names}」。", ""]
        lines += [f"- **{r.name}**：{r.description}" for r in self.curriculum.roles if r.name in grade.roles]
        others = [r for r in self.curriculum.roles if r.name in query.text and r.name not in grade.roles]
        if others:  # 「有規劃是給基層的，對吧」: the role named is for someone else; say so in the document's words
            if re.search(V.CHECK_ASKED, query.text):
                lines[0] = "不對。" + lines[0]
            lines += [f"- 您提到的 **{r.name}**：{r.description}" for r in others]
        lines += ["", f"職等對照：{self.curriculum.grade_note}", "", f"要我列出「{grade.roles[0]}」的建議學習路徑嗎？"]
        sources = self.sections.sources("roles")
        lines += ["", cited_from(sources)]
        offer = {"kind": "role_path", "role": grade.roles[0], "alt_roles": list(grade.roles[1:])}
        role = grade.roles[0] if len(grade.roles) == 1 else None  # the role the answer names, when the grade has one
        return Draft("document", "\n".join(lines), role=role, context=Context(kind="document", offer=offer), sources=sources)

    def _role_about(self, name: str) -> Draft:
        """A role in the document's words (三種AI公務人員角色), the grade note, and its path on 「好」."""
        role = self.curriculum.role(name)
        sources = self.sections.sources("roles")
        text = (
            f"課綱這樣定義「{role.name}」：{role.description}\n\n職等對照：{self.curriculum.grade_note}\n\n"
            f"要我列出「{role.name}」的建議學習路徑嗎？\n\n" + cited_from(sources)
        )
        context = Context(kind="document", offer={"kind": "role_path", "role": role.name})
        return Draft("document", text, context=context, sources=sources)

    # ------------------------------------------------------------ counts and extremes
    def _extreme_module(self, query: Query) -> Draft:
        """「哪一個模組的時數最多」: modules by their total hours (consolidated)."""
        totals = {m.number: total_hours([c for c in self.curriculum.courses if c.module == m.number]) for m in self.curriculum.modules}
        longest = compose.wants_longest(query.text)
        edge = max(totals.values()) if longest else min(totals.values())
        winners = [self.curriculum.module(n) for n, h in totals.items() if h == edge]
        lines = [f"依各模組全部上完的時數（整併課程只算一次），時數{'最多' if longest else '最少'}的是 **{compose.join(m.label for m in winners)}**，{edge} 小時。", ""]
        lines += [f"- {self.curriculum.module(n).label}：{h} 小時" for n, h in totals.items()]
        return Draft("extreme", "\n".join(lines), context=Context(kind="extreme"))

    def _scoped(self, query: Query) -> tuple[list[Course], str]:
        if query.codes:  # the previous answer's courses, filtered by what is said now (「其中6小時的有幾門」)
            courses = self.courses(query.codes)
            if query.hours_said or query.method or query.level:
                slots = query.model_copy(update={"stages": [], "modules": [], "role": None, "topic": ""})
                selected = {c.code for c in self.filtered(slots)}
                return [c for c in courses if c.code in selected], f"剛才列出的課裡，{self.describe(slots)}"
            return courses, "剛才列出"
        has_filter = any(
            [query.modules, query.hours_said, query.method, query.level, query.stages, query.role]
        )
        if not has_filter:
            return list(self.curriculum.courses), "課綱附錄二"
        return self.filtered(query), self.describe(query.model_copy(update={"topic": ""}))

    def filtered(self, query: Query) -> list[Course]:
        """The courses the query's slots select (metadata through Chroma, then teaching method)."""
        wanted = catalog.CatalogQuery(
            modules=query.modules,
            min_hours=query.min_hours,
            max_hours=query.max_hours,
            role=query.role,
            stage=query.stages[0] if len(query.stages) == 1 else None,
            level=query.level,
            method=query.method,
        )
        found = catalog.find_courses(self.curriculum, self.searcher, wanted)
        return [c for c in found if c.hours != query.not_hours] if query.not_hours is not None else found

    def _count(self, query: Query) -> Draft:
        courses, scope = self._scoped(query)
        if scope == "課綱附錄二":
            total, naive = total_hours(courses), plain_sum(courses)
            _, consolidations = consolidate(courses)
            text = (
                f"課綱附錄二共列 **{len(courses)} 門課**，分屬 {len(self.curriculum.modules)} 個模組、"
                f"{len({c.unit_code for c in courses})} 個課程單元。全部上完是 **{total} 小時**"
                f"（逐門相加是 {naive} 小時，多算的 {naive - total} 小時是整併重複的部分；{compose.consolidation_note(consolidations)}）"
            ) + _average(query, courses)
            # The figure is in the text; `total_hours` is always the sum over cited courses, and none is cited here.
            return Draft("count", text, context=Context(kind="count"))
        if not courses:
            return Draft("count", f"沒有{scope}的課程（0 門）。", context=_context(query, "count", []))
        title = f"{scope}的課程共 **{len(courses)} 門**："
        text = compose.course_list_text(title, courses, self.curriculum) + self._sum_sentence(courses)
        return Draft("count", text, courses, total_hours=total_hours(courses), context=_context(query, "count", courses))

    def _extreme(self, query: Query) -> Draft:
        if compose.asks_which_module(query.text) and not query.modules:
            return self._extreme_module(query)
        courses, scope = self._scoped(query)
        longest = compose.wants_longest(query.text)
        if not courses:
            return Draft("extreme", f"沒有{scope}的課程。", context=_context(query, "extreme", []))
        edge = max(c.hours for c in courses) if longest else min(c.hours for c in courses)
        tied = [c for c in courses if c.hours == edge]
        word = "最長" if longest else "最短"
        where = "" if scope == "課綱附錄二" else f"在{scope}的課程中，"
        if len(tied) <= 4:
            title = f"{where}{word}的課是 **{edge} 小時**，共 {len(tied)} 門："
            text = compose.course_list_text(title, tied, self.curriculum, group_by_module=False)
            merged = [c for c in tied if c.replaces]
            if merged:
                text += "\n\n" + compose.consolidation_note([c for c in consolidate(self.curriculum.courses)[1] if c.course in merged])
            return Draft("extreme", text, tied, context=_context(query, "extreme", tied))
        offer = {"kind": "filter", "min_hours": edge, "max_hours": edge, "modules": query.modules, "role": query.role}
        text = f"{where}{word}的課是 **{edge} 小時**，有 {len(tied)} 門課都是 {edge} 小時，沒有單獨一門{word}。要我列出這 {len(tied)} 門嗎？"
        return Draft("extreme", text, context=Context(kind="extreme", offer=offer))

# What a question within the previous list says besides its subject (「其中」, 「裡面」, 「哪幾門」).
_WITHIN_WORDS = re.compile(r"裡面|其中|當中|之中|這些|那些|剛才|剛剛|上面|唯一|哪幾門|哪一門|哪門|哪些|哪幾|哪一個|哪個|什麼|一門|是|有|的|課|呢|[?？]")


def _average(query: Query, courses: list[Course]) -> str:
    """「平均每門幾小時」: the listed hours over the number of courses (consolidated ones counted as listed)."""
    if not courses or not re.search(r"平均|average", query.text.lower()):
        return ""
    listed = plain_sum(courses)
    return f"\n\n平均每門約 **{listed / len(courses):.1f} 小時**（逐門相加 {listed} 小時 ÷ {len(courses)} 門）。"


def _cjk_runs(text: str) -> list[str]:
    """Chinese runs of two or more characters: a lone character left between removed words
    (「數位領導力」 without 領導 leaves 力) is no word of the topic."""
    return list(dict.fromkeys(re.findall(r"[\u3400-\u9fff]{2,}", text)))  # once each: coverage counts (run, index)


def _covered(runs: list[str], known) -> set[tuple[str, int]]:
    """(run, index) of every character inside a bigram that `known` accepts or the lexicon maps."""
    covered = set()
    for r in runs:
        for i in range(len(r) - 1):
            if known(r[i : i + 2]) or lexicon_matches(r[i : i + 2]):
                covered.update({(r, i), (r, i + 1)})
    return covered


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace(" ", "")


def cited_from(sources: list[tuple[str, str]]) -> str:
    return "（出處：" + "、".join(f"課綱本文「{title}」" for _, title in sources) + "）"


# 「路徑裡跟數據有關的」, 「有教數據分析的嗎」: a subject asked of a path's courses
_PATH_SUBJECT = re.compile(r"(?:有教|有講|有沒有教|有沒有講|跟|和|與|關於)\s*([\u3400-\u9fffa-z]{2,8}?)\s*(?:有關|相關|的(?:嗎|課|是|有))")
# The longest or shortest course asked for (「裡面最長的是哪門」, 「訂策略模組裡最長的那門」).
_LONGEST_OR_SHORTEST = re.compile(r"最長|最短|最久|最多小時|最少小時|時數最多|時數最少|longest|shortest")
# One course pointed at (「那門」, 「這堂」, 「它」), not several (「它們」, 「那幾門」).
_ONE_POINTED = re.compile(r"那門|這門|那堂|這堂|它(?!們)")
_MODULE_ASKED = re.compile(r"(第幾|哪個|哪一個|哪一)\s*個?\s*模組|(在|屬於|歸在)\s*哪\s*(個|一個)?\s*模組|which module")
# 「有自然語言處理的課嗎」, 「有沒有教設計思考的課」: the subject asked for, said outright
_NAMED_SUBJECT = re.compile(
    r"(?:有沒有|有)\s*(?:教|講|在教|關於)?\s*([\u3400-\u9fffa-z]{2,10}?)\s*(?:相關|有關)?\s*的\s*(?:課|課程)"
    r"|(?:^|[，,\s])(?:教|講)\s*([\u3400-\u9fffa-z]{2,10}?)\s*的\s*(?:課|課程)"
)
# 「我要上什麼」, 「我該怎麼上課」: the user's own courses asked for, i.e. their path
_MY_COURSES_ASKED = re.compile(
    r"我(要|該|應該|需要|得)(怎麼)?(上|修|選)(什麼|哪些|哪幾|哪門|甚麼)|(我|要|該|應該)怎麼上課|怎麼開始上"
    r"|(課|課程|學習)\S{0,3}(怎麼|如何|要怎麼|該怎麼)(規劃|排|安排|上)"  # 「…想學AI幫忙處理陳情案，課程要怎麼規劃」
)


def _first_or_last(text: str, courses: list[Course]) -> list[tuple[str, Course]]:
    """「第一門跟最後一門是什麼」 about a path: those courses, named."""
    picked = []
    if courses and (re.search(V.FIRST_COURSE, text.lower()) or re.search(V.MOST_IMPORTANT, text.lower())):
        picked.append(("第一門", courses[0]))
    if courses and re.search(V.LAST_COURSE, text.lower()):
        picked.append(("最後一門", courses[-1]))
    return picked


def plan_fields(query: Query) -> dict:
    """A personal plan's constraints, carried into a clarifying question's choices."""
    return dict(
        taken=query.taken, taken_stages=query.taken_stages, taken_modules=query.taken_modules, taken_roles=query.taken_roles,
        budget=query.budget, budget_strong=query.budget_strong, budget_total=query.budget_total, budget_basis=query.budget_basis, years=query.years,
        exclude_modules=query.exclude_modules, exclude_courses=query.exclude_courses, split=query.split,
    )


def why(course: Course, wanted: frozenset[str]) -> str:
    """The goal or outline item sharing most tokens with the question's."""
    best = max(course.outline + course.goals, key=lambda item: len(wanted & token_set(item)), default="")
    if best in course.outline:
        return f"大綱有「{re.sub(r'[。；]$', '', best)}」"
    shown = course.shown_goals[course.goals.index(best)] if best in course.goals else best
    return f"目標是{re.sub(r'[。；]$', '', shown)}"
