"""The grounded composer: zh-TW answer text from corpus facts, no LLM.

Every figure in the text comes from the Course objects handed in; nothing here
invents a course or a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.models import Course, Curriculum
from corpus.plan import Consolidation, Plan, code_range

STAGE_INTRO = {
    "入門": "先建立共同基礎",
    "進階": "再深入與職責最相關的主題",
    "實作": "最後在工作情境中演練",
}


def plain(text: str, limit: int = 40) -> str:
    """User words echoed in an answer: no HTML or markdown, and short."""
    cleaned = re.sub(r"<[^>]*>?", " ", text)  # a tag is no subject: dropped whole, attributes and all
    cleaned = re.sub(r"(?i)javascript:|\bon[a-z]+\s*=", " ", cleaned)
    cleaned = re.sub(r"[<>`*_\[\]{}#|\\]", "", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    return cleaned if len(cleaned) <= limit else cleaned[:limit] + "…"


def course_line(course: Course, extra: str = "") -> str:
    level = f"，{course.level}" if course.level else ""
    tail = f"：{extra}" if extra else ""
    return f"- **{course.code} {course.name}**（{course.hours} 小時{level}）{tail}"


def join(items: Sequence[str]) -> str:
    return "、".join(items)


def consolidation_note(consolidations: Sequence[Consolidation]) -> str:
    if not consolidations:
        return ""
    parts = [
        f"{c.course.code}（{c.course.hours} 小時）已整併 {code_range([p.code for p in c.replaced])}"
        for c in consolidations
    ]
    return f"其中 {join(parts)}，整併課程與被整併的課只算一次。"


def path_footnotes(plan, curriculum: Curriculum) -> list[str]:
    """The lines under a path: which consolidated form it uses, and that the mapping is a proposal."""
    lines = []
    note = consolidated_choice_note(plan.courses, curriculum)
    if note:
        lines.append(note)
    if plan.proposal:
        lines.append("＊角色與模組、階段的對應是依課綱角色描述擬定的建議路徑（原始對應圖已遺失），機關可依業務彈性調整。")
    return lines


def consolidated_choice_note(courses: Sequence[Course], curriculum: Curriculum) -> str:
    merged = [c for c in courses if c.replaces]
    if not merged:
        return ""
    parts = [
        f"{c.code}（{c.hours} 小時）也可以改上 {code_range(c.replaces)} 三門各 "
        f"{curriculum.course_map[c.replaces[0]].hours} 小時的課"
        for c in merged
    ]
    return "整併課程可以一次上完，也可以分段：" + "；".join(parts) + "，時數相同，擇一即可，不必重複。"


def role_intro(
    curriculum: Curriculum, role: str, grade: str | None, reason: str | None, alt_roles: Sequence[str], occupational: bool = False
) -> str:
    role_obj = curriculum.role(role)
    lines = []
    if grade:
        grade_roles = next(g.roles for g in curriculum.grades if g.name == grade)
        mapped = "或".join(f"「{r}」" for r in grade_roles)
        if len(grade_roles) > 1:
            why = (
                f"您提到「{reason}」，" if reason and reason != grade else ""
            )
            lean = "工作偏向帶領與決策" if role == "有規劃" else "工作偏向業務執行與工具應用"
            lines.append(
                f"依課綱的職等對照，{grade}對應{mapped}。{why}我先以{lean}的「{role}」為您規劃。"
            )
        else:
            because = f"（您提到「{reason}」）" if reason and reason != grade else ""
            lines.append(f"依課綱的職等對照，{grade}{because}對應「{role}」。")
    elif occupational and reason and reason != role:
        lines.append(f"您提到「{reason}」。課綱的角色不依職業區分：把 AI 用在日常業務的各職等同仁對應「{role}」，我先以它為您規劃。")
    elif occupational:
        lines.append(f"您沒有提到職等或職務；課綱裡以各職等同仁為對象、把 AI 用在日常業務的角色是「{role}」，我先以它為您規劃。")
    elif reason and reason != role:
        lines.append(f"您提到「{reason}」，這最接近「{role}」這個角色。")
    lines.append(f"「{role}」{role_obj.description}")
    return "\n\n".join(lines)


def plan_text(plan: Plan, curriculum: Curriculum, intro: str, alt_roles: Sequence[str]) -> str:
    parts = [intro, ""]
    single = len(plan.stages) == 1
    for stage in plan.stages:
        heading = f"**{stage.stage}階段（{stage.hours} 小時）**"
        if not single:
            heading += f"：{STAGE_INTRO.get(stage.stage, '')}"
        parts.append(heading)
        if stage.courses:
            parts.extend(course_line(c) for c in stage.courses)
        else:
            parts.append("- （此階段沒有符合條件的課程）")
        parts.append("")
    if single:
        parts.append(f"{plan.stages[0].stage}階段共 {len(plan.courses)} 門課、{plan.total_hours} 小時。")
    else:
        stage_sum = " + ".join(f"{s.stage} {s.hours}" for s in plan.stages)
        which = "全部" if len(plan.stages) == len(curriculum.stages) else "、".join(s.stage for s in plan.stages)
        parts.append(f"{which} {len(plan.stages)} 個階段共 {len(plan.courses)} 門課，合計 **{plan.total_hours} 小時**（{stage_sum}）。")
    parts.extend(path_footnotes(plan, curriculum))
    if alt_roles:
        other = "、".join(f"「{r}」" for r in alt_roles)
        parts.append(f"\n如果您的工作比較偏向{'業務執行' if alt_roles[0] == '能應用' else '帶領與決策'}，也可以改走{other}的路徑，要我列出來嗎？")
    else:
        parts.append("\n想知道哪一門課的內容，直接告訴我課程代碼就可以。")
    return "\n".join(parts).strip()


def detail_text(course: Course, curriculum: Curriculum, focus: Sequence[str]) -> str:
    module = curriculum.module(course.module)
    level = f"（{course.level}）" if course.level else ""
    parts = [
        f"**{course.code} {course.name}** 是{module.label}{level}「{course.unit_code} {course.unit_name}」單元的課，"
        f"共 **{course.hours} 小時**。",
        "",
    ]
    sections = [
        ("goals", "訓練目標", course.shown_goals),
        ("outline", "課程大綱", course.outline),
        ("methods", "教學方法", course.methods),
    ]
    ordered = sorted(sections, key=lambda s: 0 if s[0] in focus else 1)
    for key, title, items in ordered:
        if key == "methods":
            parts.append(f"{title}：{join(items)}。")
        else:
            parts.append(f"{title}：")
            parts.extend(f"- {item}" for item in items)
        parts.append("")
    if course.replaces:
        parts.append(
            f"這門課是把 {code_range(course.replaces)} 整併成一門完整課程；上了它就不必再上那 {len(course.replaces)} 門。"
        )
    holder = curriculum.replaced_by(course.code)
    if holder:
        parts.append(f"這門課已被整併進 {holder.code} {holder.name}（{holder.hours} 小時）；兩者擇一即可。")
    roles = curriculum.roles_of(course.code)
    if roles:
        where = "；".join(f"{role}（{join(stages)}）" for role, stages in roles.items())
        parts.append(f"在建議學習路徑中，適合：{where}。")
    for note in course.notes:
        if not course.replaces:
            parts.append(f"註：{note}")
    return "\n".join(parts).strip()


def compare_text(courses: Sequence[Course], curriculum: Curriculum) -> str:
    a, b = courses[0], courses[1]
    parts = [f"比較 **{a.code} {a.name}** 與 **{b.code} {b.name}**：", ""]
    for course in courses:
        module = curriculum.module(course.module)
        parts.append(f"**{course.code} {course.name}**（{course.hours} 小時，{module.label}）")
        parts.append(f"- 目標：{join(course.shown_goals)}")
        parts.append(f"- 大綱：{join(course.outline)}")
        parts.append(f"- 教學方法：{join(course.methods)}")
        parts.append("")
    relation = []
    for x, y in ((a, b), (b, a)):
        if y.code in x.replaces:
            relation.append(
                f"{x.code} 是把 {code_range(x.replaces)} 整併成的完整課程（{x.hours} 小時），"
                f"{y.code} 只是其中一門（{y.hours} 小時）。上了 {x.code} 就不必再上 {y.code}。"
            )
    if not relation and a.replaces and b.replaces:
        relation.append("兩門都是整併課程，涵蓋的單元不同。")
    if a.hours != b.hours:
        longer, shorter = (a, b) if a.hours > b.hours else (b, a)
        relation.append(f"時數上 {longer.code} 比 {shorter.code} 多 {longer.hours - shorter.hours} 小時。")
    else:
        relation.append(f"兩門時數相同，都是 {a.hours} 小時。")
    shared = [m for m in a.methods if m in b.methods]
    if shared:
        relation.append(f"共同的教學方法：{join(shared)}。")
    parts.append("**差別重點**")
    parts.extend(f"- {line}" for line in relation)
    return "\n".join(parts).strip()


def total_text(courses: Sequence[Course], kept: Sequence[Course], consolidations, naive: int, total: int, scope: str) -> str:
    parts = [f"{scope}共 {len(courses)} 門課：", ""]
    parts.extend(course_line(c) for c in courses)
    parts.append("")
    if consolidations:
        parts.append(
            f"合計 **{total} 小時**，不是 {naive} 小時：{consolidation_note(consolidations)}"
            f"實際要上的是 {join(c.code for c in kept)}。"
        )
    else:
        parts.append(f"合計 **{total} 小時**。")
    return "\n".join(parts).strip()


def course_list_text(title: str, courses: Sequence[Course], curriculum: Curriculum, group_by_module: bool = True) -> str:
    parts = [title, ""]
    if group_by_module and len({c.module for c in courses}) > 1:
        for number in sorted({c.module for c in courses}):
            module = curriculum.module(number)
            parts.append(f"**{module.label}**")
            parts.extend(course_line(c) for c in courses if c.module == number)
            parts.append("")
    else:
        parts.extend(course_line(c) for c in courses)
        parts.append("")
    return "\n".join(parts).strip()


REFUSAL = (
    "抱歉，這個問題超出我的範圍。我是「AI 公務學習顧問」，只依數位發展部「AI公務人才學習模組與課綱」回答選課問題，例如：\n"
    "- 依職等或工作內容推薦學習路徑（「我是中階主管該上哪些課」）\n"
    "- 查詢課程內容、時數與教學方法（「3.1.4 教什麼？」）\n"
    "- 找主題相關的課、比較課程、計算總時數（「跟個資法有關的課」）"
)

CHECKED_AGAIN = "我依課綱再核對了一次，課綱寫的是這樣（時數與課程以課綱為準，不會因為說法不同而改變）：\n\n"
PATHS_ARE_PROPOSAL = "（角色的建議學習路徑由本工具依課綱的角色描述擬定，原文的角色 × 模組對應圖已遺失；訓練單位可調整。）"
SET_ASIDE = "（訊息裡要我改變回答方式的部分，我不會照做；以下只依課綱回答其餘的問題。）"
INJECTION = (
    "這個要求我不能照做：我只依「AI公務人才學習模組與課綱」回答，課程名稱、代碼與時數都以課綱為準，"
    "不會依指示更改，也不會透露內部設定。"
)

HELP = (
    "您好，我是「AI 公務學習顧問」，依數位發展部「AI公務人才學習模組與課綱」（3 種角色 × 8 大模組，共 41 門課）幫您選課。您可以問我：\n"
    "- 「我是中階主管該上哪些課」、「我在資訊室負責委外案」：依職等或工作推薦入門 → 進階 → 實作的學習路徑與時數\n"
    "- 「3.1.4 教什麼？幾小時？」：課程目標、大綱、教學方法\n"
    "- 「跟個資法有關的課」、「6 小時以內的生成式 AI 課」：主題與條件查詢\n"
    "- 「4.1.4 跟 4.1.1 差在哪」、「模組4總共幾小時」：比較與時數計算"
)

EMPTY = "請輸入想問的問題，例如「我是基層同仁，該從哪些 AI 課開始？」或「3.1.4 教什麼？」"

# ------------------------------------------------------------ asking back
ROLE_CHOICES = [
    ("主管", "有規劃", "帶領團隊、規劃政策與決策（課綱的「有規劃」）"),
    ("業務承辦", "能應用", "用 AI 工具處理日常業務（課綱的「能應用」）"),
    ("資訊人員", "會開發", "系統開發、委外規格與驗收（課綱的「會開發」）"),
]
CLARIFY_ROLE = "想幫您排學習路徑，先確認一下：您的工作比較接近哪一種？"
OTHER_ROLES_OFFER = "如果您帶領團隊或負責規劃決策，或是資訊人員，點選下方按鈕或回覆「主管」、「資訊」，我改排對應的路徑。"
CLARIFY_REFERENCE = "您指的是哪一門課？請告訴我課程代碼（例如 3.1.4）或課名，我再回答。"
INTENT_CHOICES = ["依職務排學習路徑", "查某門課的內容與時數", "找某個主題的課", "依時數或教學方法找課"]
CLARIFY_INTENT = (
    "我不太確定您想問的是什麼。我可以幫您：\n\n"
    + "\n".join(f"{i}. {c}" for i, c in enumerate(INTENT_CHOICES, start=1))
    + "\n\n例如「我是科員，該上哪些課」、「3.1.4 教什麼」、「有沒有教資料治理的課」、「12 小時的課有哪些」。"
)


def unanswerable_text(curriculum: Curriculum) -> str:
    return (
        "課綱沒有寫到這一點。這份「AI公務人才學習模組與課綱」只列出角色、課程模組、時數、訓練目標、大綱與教學方法；"
        "報名方式、開課日期、地點、線上或實體、講師、費用、證書、學習時數認證與個人的上課紀錄等開課資訊都不在裡面。"
        "課綱建議各機關依自身需求彈性調整與辦理訓練，這些請洽您機關的人事或訓練單位。\n\n"
        "對課程設計與推動規劃的建議，課綱列的聯絡窗口是 thliu@moda.gov.tw。\n\n"
        "我可以幫您依職務排學習路徑、查某門課的內容與時數，或找某個主題的課。"
    )


def asks_for_a_task(text: str) -> bool:
    """「幫我寫新聞稿」: a request to do a piece of work (which a course may teach)."""
    return bool(re.search(r"(幫|替|請)(我|忙|你)?.{0,4}(寫|擬|做|製作|整理|畫|設計|回覆)", text))


def asks_consolidated(text: str) -> bool:
    return bool(re.search(r"整併|不重複|consolidat|avoid duplicat", text.lower()))


def asks_which_module(text: str) -> bool:
    return bool(re.search(r"(哪一?個|哪些)模組|which module", text.lower()))


def asks_why(text: str) -> bool:
    return bool(re.search(r"為什麼|為何|why|理由|原因|目的", text.lower()))


def wants_longest(text: str) -> bool:
    """最長/最多/最久 (or English) rather than 最短/最少."""
    lowered = text.lower()
    long_at = [lowered.find(w) for w in ("最長", "最多", "最久", "最大", "最重", "longest", "most") if w in lowered]
    short_at = [lowered.find(w) for w in ("最短", "最少", "最快", "最輕", "最小", "shortest", "least", "fewest") if w in lowered]
    if long_at and short_at:
        return min(long_at) < min(short_at)
    return bool(long_at) or not short_at


def credits_text(plan: Plan) -> list[str]:
    """What was taken and credited, grouped so that a consolidated course taken is one line."""
    lines: list[str] = []
    covered_by: dict[str, list[str]] = {}
    for credit in plan.credits:
        if credit.kind == "covered" and not credit.course.replaces:  # parts covered by a consolidated course taken
            covered_by.setdefault(credit.because[0].code, []).append(credit.course.code)
    for credit in plan.credits:
        if credit.kind == "covered" and not credit.course.replaces:
            continue
        line = credit.why
        if credit.kind == "taken" and credit.course.code in covered_by:
            parts = covered_by[credit.course.code]
            line = f"{credit.course.code} {credit.course.name}：您已上過；它是整併課程，{code_range(parts)} 也一併視同完成。"
        if not credit.on_path:
            line += f"（不在「{plan.role}」這次的路徑上，不影響規劃）"
        lines.append(f"- {line}")
    return lines


def _stage_done(plan: Plan, curriculum: Curriculum, stage: str) -> bool:
    """Every course of the role's path in this stage is credited by what was taken."""
    path = curriculum.role_paths.paths.get(plan.role, {}).get(stage, [])
    credited = {c.course.code for c in plan.credits if c.kind != "partial"}
    return bool(path) and set(path) <= credited


def personal_plan_text(plan: Plan, curriculum: Curriculum, intro: str, link: str, budget_note: str) -> str:
    """A personal plan: credits, what is planned (by year when asked), hours used, what is left for later."""
    parts = [intro, ""]
    if plan.credits:
        parts += ["**已上過的課與抵免**", *credits_text(plan), ""]
    scope = []
    if plan.excluded_modules:
        scope.append("不含" + "、".join(curriculum.module(m).label for m in plan.excluded_modules))
    if plan.excluded_courses:
        scope.append("不排" + "、".join(f"{c.code} {c.name}" for c in plan.excluded_courses))
    if plan.modules:
        scope.append("只排" + "、".join(curriculum.module(m).label for m in plan.modules))
    if len(plan.stage_names) < len(curriculum.stages):
        scope.append("只排" + "、".join(plan.stage_names) + "階段")
    if scope:
        parts += ["（" + "；".join(scope) + "）", ""]
    blocks = [(f"第 {y.year} 年（{y.hours} 小時）" if plan.year_count > 1 else None, y.stages) for y in plan.years] or [(None, plan.stages)]
    for title, stages in blocks:
        if title:
            parts.append(f"### {title}")
        shown = [s for s in stages if s.courses] if plan.limited else stages
        if not shown:
            parts.append("- （這一年排不進任何一門課）")
        for stage in shown:
            parts.append(f"**{stage.stage}階段（{stage.hours} 小時）**")
            if stage.courses:
                parts.extend(course_line(c) for c in stage.courses)
            elif _stage_done(plan, curriculum, stage.stage):
                parts.append("- （這個階段的課您都已上過）")
            else:
                parts.append("- （此階段沒有符合條件的課程）")
            parts.append("")
    if plan.limited:
        parts.append(budget_note.replace(f"排入 {plan.total_hours} 小時", f"排入 **{plan.total_hours} 小時**", 1))
    else:
        done = "扣掉已上過的課，" if plan.credits else ""
        parts.append(f"{done}還要上 {len(plan.courses)} 門、合計 **{plan.total_hours} 小時**。")
    if plan.later_courses:
        later = "、".join(c.code for c in plan.later_courses)
        parts.append(f"\n**留待以後**（{len(plan.later_courses)} 門、{plan.later_hours} 小時）：{later}")
    parts.extend(path_footnotes(plan, curriculum))
    if plan.excluded_courses:  # the planner page has no control for single courses left out: no link that drops them
        parts.append("\n（「學習路徑規劃」頁目前只能排除整個模組，不能只拿掉其中幾門課，所以這份規劃沒有附上規劃頁連結。）")
    else:
        parts.append(f"\n[在規劃頁開啟]({link})：同樣的條件會帶入「學習路徑規劃」，可以調整、下載 CSV／Markdown，或把連結傳給同事。")
    return "\n".join(parts).strip()
