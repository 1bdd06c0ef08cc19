"""Gather the facts each kind of question needs and have the composer write them.

Citations are the Course objects gathered here (from the corpus and retrieval),
never parsed back out of text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant import catalog, compose
from assistant.models import Context, Kind, Query
from assistant.understand import in_domain
from corpus.models import Course, Curriculum
from corpus.plan import consolidate, plain_sum, plan_for_role, total_hours
from index.lexicon import matches as lexicon_matches
from index.retrieve import HybridSearcher
from index.text import token_set, tokens

LEXICAL_EVIDENCE = 2.5  # best BM25 score below this, with no course words, means off-topic


@dataclass
class Draft:
    kind: Kind
    text: str
    courses: list[Course] = field(default_factory=list)
    total_hours: int | None = None
    role: str | None = None
    refused: bool = False
    context: Context | None = None


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
    )
    base.update(extra)
    return Context(**base)


class Responder:
    def __init__(self, curriculum: Curriculum, searcher: HybridSearcher):
        self.curriculum = curriculum
        self.searcher = searcher

    # ------------------------------------------------------------ dispatch
    def respond(self, query: Query) -> Draft:
        handler = getattr(self, f"_{query.kind}")
        draft = handler(query)
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
        return Draft("out_of_scope", compose.REFUSAL, refused=True)

    def _injection(self, query: Query) -> Draft:
        text = compose.INJECTION
        if query.unknown_codes:
            text += f"\n\n另外，課綱裡沒有 {compose.join(query.unknown_codes)} 這樣的課程。"
        return Draft("injection", text + "\n\n想查課程或學習路徑，請直接問我。", refused=True)

    def _ordinal_out_of_range(self, query: Query) -> Draft:
        n = len(query.codes)
        text = f"上一個回答只列了 {n} 門課，請從第 1 到第 {n} 門中選一門，或直接告訴我課程代碼。" if n else "請先問一個會列出課程的問題，再用「第幾門」來指定。"
        return Draft("ordinal_out_of_range", text)

    # ------------------------------------------------------------ single courses
    def _course_detail(self, query: Query) -> Draft:
        courses = self.courses(query.codes)
        if query.unknown_codes:
            prefix = f"課綱裡沒有 {compose.join(query.unknown_codes)}。\n\n"
        else:
            prefix = ""
        texts = [compose.detail_text(c, self.curriculum, query.focus) for c in courses]
        return Draft(
            "course_detail",
            prefix + "\n\n---\n\n".join(texts),
            courses,
            context=_context(query, "course_detail", courses),
        )

    def _compare(self, query: Query) -> Draft:
        courses = self.courses(query.codes)[:2]
        return Draft("compare", compose.compare_text(courses, self.curriculum), courses, context=_context(query, "compare", courses))

    def _unknown_code(self, query: Query) -> Draft:
        code = query.unknown_codes[0]
        near = self.near_codes(code)
        module_numbers = [m.number for m in self.curriculum.modules]
        head = f"課綱裡沒有代碼為 {code} 的課程（共 {len(self.curriculum.courses)} 門課，分屬模組 {module_numbers[0]}–{module_numbers[-1]}）。"
        text = compose.course_list_text(f"{head}代碼相近的課有：", near, self.curriculum, group_by_module=False)
        return Draft("unknown_code", text + "\n\n要看哪一門的內容，告訴我代碼即可。", near, context=_context(query, "unknown_code", near))

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
        kept, consolidations = consolidate(courses)
        total, naive = total_hours(courses), plain_sum(courses)
        if query.modules:
            scope = "、".join(self.curriculum.module(m).label for m in query.modules)
        elif query.role:
            scope = f"「{query.role}」" + ("、".join(query.stages) + "階段" if query.stages else "學習路徑")
        else:
            scope = "這些"
        text = compose.total_text(courses, kept, consolidations, naive, total, scope)
        return Draft("total", text, courses, total_hours=total, role=query.role, context=_context(query, "total", courses))

    def _role_path(self, query: Query) -> Draft:
        if query.min_hours is not None or query.max_hours is not None or query.method:
            return self._filter(query)
        plan = plan_for_role(self.curriculum, query.role, stages=query.stages or None, modules=query.modules or None)
        intro = compose.role_intro(self.curriculum, plan.role, query.grade, query.role_reason, query.alt_roles)
        text = compose.plan_text(plan, self.curriculum, intro, query.alt_roles)
        courses = plan.courses
        return Draft(
            "role_path",
            text,
            courses,
            total_hours=plan.total_hours,
            role=plan.role,
            context=_context(query, "role_path", courses, stages=[s.stage for s in plan.stages] if query.stages else []),
        )

    def _filter(self, query: Query) -> Draft:
        wanted = catalog.CatalogQuery(
            modules=query.modules,
            min_hours=query.min_hours,
            max_hours=query.max_hours,
            role=query.role,
            stage=query.stages[0] if len(query.stages) == 1 else None,
            level=query.level,
            method=query.method,
        )
        courses = catalog.find_courses(self.curriculum, self.searcher, wanted)
        topic = query.topic
        if topic and courses:
            courses = self.rank_by_topic(topic, courses)
        conditions = self.describe(query)
        if not courses:
            text = f"沒有{conditions}的課程。可以放寬條件再試試，例如調整時數範圍。"
            return Draft("filter", text, [], context=_context(query, "filter", []))
        title = f"{conditions}的課程共 {len(courses)} 門" + ("（依相關程度排序）：" if topic else "：")
        text = compose.course_list_text(title, courses, self.curriculum, group_by_module=not topic)
        if query.stages and not query.role:
            text += "\n\n（階段以三種角色的建議學習路徑為準，任何一個角色在該階段會上的課都列出。）"
        return Draft("filter", text, courses, role=query.role, context=_context(query, "filter", courses))

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

    def rank_by_topic(self, topic: str, courses: list[Course]) -> list[Course]:
        """The filtered courses that match the topic, best first (no second metadata query)."""
        hits = self.searcher.search(topic, k=len(courses), allowed=[c.code for c in courses])
        strong = [h for h in hits if h.bm25_score >= 0.5 * max((x.bm25_score for x in hits), default=0) > 0]
        chosen = strong[:8] or hits[:3]
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
        lines += ["", "模組 4 的 4.1.4 與 4.2.4 是整併課程，時數已依整併計算（只算一次）。想看某個模組的課，例如問「模組3有哪些課」。"]
        return Draft("list_modules", "\n".join(lines))

    def _list_roles(self, query: Query) -> Draft:
        lines = ["課綱定義三種 AI 公務人員角色：", ""]
        for role in self.curriculum.roles:
            plan = plan_for_role(self.curriculum, role.name)
            lines.append(f"- **{role.name}**：{role.description}（建議路徑合計 {plan.total_hours} 小時）")
        lines += ["", f"職等對照：{self.curriculum.grade_note}", "", "告訴我您的職等或工作內容，我幫您排出學習路徑。"]
        return Draft("list_roles", "\n".join(lines))

    def _list_methods(self, query: Query) -> Draft:
        counts: dict[str, int] = {}
        for course in self.curriculum.courses:
            for method in course.methods:
                counts[method] = counts.get(method, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        lines = ["課綱中各課程使用的教學方法（括號內為採用的課程數）：", ""]
        lines.append("、".join(f"{method}（{n}）" for method, n in ranked))
        lines += ["", "想找用某種方法教的課，例如問「有實作教學的課」或「有工作坊的課」。"]
        return Draft("list_methods", "\n".join(lines))

    # ------------------------------------------------------------ topics
    def off_topic(self, query: Query) -> bool:
        if in_domain(query) or lexicon_matches(query.text):
            return False
        return self.searcher.best_lexical_score(query.text) < LEXICAL_EVIDENCE

    def _topic(self, query: Query) -> Draft:
        if self.off_topic(query):
            return self._out_of_scope(query)
        hits = self.searcher.search(query.topic if len(query.topic) >= 2 else query.text, k=3)
        courses = self.courses([h.code for h in hits])
        if not courses:
            return self._out_of_scope(query)
        subject = compose.plain(query.topic or query.text)
        lines = [f"和「{subject}」最相關的是這 {len(courses)} 門課：", ""]
        wanted = frozenset(tokens(self.searcher.prepare(query.text)))
        for course in courses:
            lines.append(compose.course_line(course, why(course, wanted)))
        lines.append("")
        lines.append("想看哪一門的完整大綱，可以說「第一門課的大綱」或直接給我課程代碼。")
        return Draft("topic", "\n".join(lines), courses, context=_context(query, "topic", courses))


def why(course: Course, wanted: frozenset[str]) -> str:
    """The goal or outline item sharing most tokens with the question's."""
    best = max(course.outline + course.goals, key=lambda item: len(wanted & token_set(item)), default="")
    best = re.sub(r"[。；]$", "", best)
    return f"大綱有「{best}」" if best in course.outline else f"目標是{best}"
