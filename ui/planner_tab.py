"""The 「學習路徑規劃」 tab: a role's path or a personal plan (taken courses, an hour budget, years),
with a chart, CSV/Markdown exports of exactly what is shown, and a link that restores the plan.

Every figure comes from `assistant.planner.make_plan` (which calls `corpus.plan.plan_for_role`).
`app.py` only calls `build` inside its tabs and `restore_on_load` once the page is built.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import gradio as gr
import pandas as pd

from assistant import planner
from corpus.models import Curriculum
from ui import a11y
from ui.downloads import Downloads

SPLIT_CHOICES = ["整併課程（一門 18 小時）", "分成三門 6 小時"]
YEAR_CHOICES = [("1 年", 1)] + [(f"分 {n} 年", n) for n in range(2, planner.MAX_YEARS + 1)]
# One fixed colour per module (Vega's tableau10), so a module keeps its colour from plan to plan.
MODULE_COLOURS = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"]


def chart_frame(rows: list[dict], module_labels: list[str], stage_names: list[str]) -> pd.DataFrame:
    """Hours by stage and module, in module order, with a zero row for each module the plan lacks.

    Gradio's bar plot keeps the colour domain of the first data it drew and updates only the data,
    so every plan must carry the same, complete domain: otherwise bars of new modules are not drawn.
    """
    present = {r["模組"] for r in rows}
    padding = [{"階段": stage_names[0], "模組": m, "時數": 0} for m in module_labels if m not in present]
    order = {m: i for i, m in enumerate(module_labels)}
    frame = pd.DataFrame([*rows, *padding], columns=["階段", "模組", "時數"])
    return frame.sort_values("模組", key=lambda col: col.map(order), kind="stable").reset_index(drop=True)


def legend_html(module_labels: list[str]) -> str:
    """The chart's colour key as text that wraps at any width."""
    items = "".join(
        f'<span role="listitem"><span class="swatch" style="background:{colour}" data-module="{label}"></span>{label}</span>'
        for label, colour in zip(module_labels, MODULE_COLOURS)
    )
    return f'<div class="swatches" role="list" aria-label="圖例：模組顏色">{items}</div>'


def course_choices(curriculum: Curriculum) -> list[tuple[str, str]]:
    """(label, code) for the taken-courses picker: searchable by code and by name."""
    return [(f"{c.code} {c.name}（{c.hours} 小時）", c.code) for c in curriculum.courses]


TOTAL_PREFIX = "合計"  # 「合計 100」 in the budget box: a cap over all the years (a chat plan's link may carry one)


def parse_budget(value) -> int | None:
    """The budget box: empty is no budget; anything else must be a whole number of hours."""
    return parse_budget_box(value)[0]


def parse_budget_box(value) -> tuple[int | None, int | None]:
    """(hours a year, hours over all the years): 「20」 is a year's, 「合計 100」 is all the years' together."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip().removesuffix("小時").strip()
    total = text.startswith((TOTAL_PREFIX, "共"))
    text = text.removeprefix(TOTAL_PREFIX).removeprefix("共").strip()
    if not text:
        return None, None
    high = planner.MAX_BUDGET * (planner.MAX_YEARS if total else 1)
    if not text.isdigit() or not 1 <= int(text) <= high:
        raise planner.PlanError(
            f"時數預算請填 1 到 {planner.MAX_BUDGET:,} 的整數（小時），例如 20；留空表示不限；"
            f"全部年數合計的上限請填「{TOTAL_PREFIX} 100」。"
        )
    return (None, int(text)) if total else (int(text), None)


@dataclass
class PlannerTab:
    role: gr.Dropdown
    grade: gr.Dropdown
    job: gr.Textbox
    taken: gr.Dropdown
    budget: gr.Textbox
    years: gr.Dropdown
    stages: gr.CheckboxGroup
    modules: gr.CheckboxGroup
    skip: gr.CheckboxGroup
    split: gr.Radio
    button: gr.Button
    outputs: list  # summary, table, chart, csv, md, result column, link
    make: object  # the callback: (inputs…) -> outputs


def build(curriculum_of, downloads: Downloads, module_labels: list[str], stage_names: list[str], role_names: list[str]) -> PlannerTab:
    """The tab's components and events; call inside `gr.Tabs()`. `curriculum_of()` gives the corpus served now."""
    curriculum = curriculum_of()
    label_to_module = {m.label: m.number for m in curriculum.modules}
    with gr.Tab("學習路徑規劃", id="planner"):
        with gr.Row():
            with gr.Column(scale=1):
                role = gr.Dropdown(role_names, value=None, label="角色", elem_id="plan-role")
                grade = gr.Dropdown([g.name for g in curriculum.grades], value=None, label="或選職等", elem_id="plan-grade")
                job = gr.Textbox(label="或描述工作", placeholder="例如：我在資訊室負責委外案", elem_id="plan-job")
                taken = gr.Dropdown(
                    course_choices(curriculum),
                    value=[],
                    multiselect=True,
                    filterable=True,
                    label="已上過的課（可輸入代碼或課名搜尋）",
                    elem_id="plan-taken",
                )
                with gr.Row():
                    # A text field, not gr.Number: a Number shows "0" when empty, which reads as a budget.
                    budget = gr.Textbox(label="每年可用時數（小時）", placeholder="不限", max_lines=1, elem_id="plan-budget")
                    years = gr.Dropdown(YEAR_CHOICES, value=1, label="分幾年上完", elem_id="plan-years")
                stages = gr.CheckboxGroup(stage_names, value=stage_names, label="階段", elem_id="plan-stages")
                modules = gr.CheckboxGroup(module_labels, value=[], label="只看這些模組（不選＝全部）", elem_id="plan-modules")
                skip = gr.CheckboxGroup(module_labels, value=[], label="不排這些模組", elem_id="plan-skip")
                split = gr.Radio(SPLIT_CHOICES, value=SPLIT_CHOICES[0], label="整併課程", elem_id="plan-split")
                button = gr.Button("產生學習路徑", variant="primary", elem_id="plan-button")
            with gr.Column(scale=2):
                summary = gr.Markdown(elem_id="plan-summary")
                link = gr.Markdown(elem_id="plan-link")
                with gr.Column(visible=False, elem_id="plan-result") as result:
                    table = gr.Dataframe(
                        headers=["階段", "代碼", "課程名稱", "時數", "模組"],
                        interactive=False,
                        wrap=True,  # readable at 390 px: cells wrap instead of being cut off
                        elem_id="plan-table",
                    )
                    chart = gr.BarPlot(
                        x="階段",
                        y="時數",
                        color="模組",
                        title="各階段、各模組時數（已排入的課）",
                        elem_id="plan-chart",
                        sort=stage_names,
                        color_map=dict(zip(module_labels, MODULE_COLOURS)),
                        colors_in_legend=[],  # Vega's legend is clipped on a phone: the legend below instead
                    )
                    gr.HTML(legend_html(module_labels), elem_id="plan-legend")
                    chart_table = gr.HTML(elem_id="plan-chart-table")  # the chart's numbers as a table (ui/a11y.py)
                with gr.Row():
                    csv_button = gr.DownloadButton("下載 CSV", visible=False, elem_id="plan-csv")
                    md_button = gr.DownloadButton("下載 Markdown", visible=False, elem_id="plan-md")

    outputs = [summary, table, chart, csv_button, md_button, result, link, chart_table]

    def make(role_value, grade_value, job_value, taken_value, budget_value, years_value, stage_values, module_values, skip_values, split_value):
        hidden = gr.DownloadButton(visible=False)

        def explain(message: str):  # no table, chart or downloads: only what to change
            return f"⚠️ {message}", gr.skip(), gr.skip(), hidden, hidden, gr.Column(visible=False), "", gr.skip()

        if not stage_values:
            return explain("請至少勾選一個階段（入門、進階、實作）。")
        current = curriculum_of()
        try:
            request = planner.PlanRequest(
                role=role_value or None,
                grade=grade_value or None,
                job=job_value or None,
                stages=stage_values or [],
                modules=[label_to_module[m] for m in module_values or [] if m in label_to_module],
                exclude_modules=[label_to_module[m] for m in skip_values or [] if m in label_to_module],
                split_consolidated=split_value == SPLIT_CHOICES[1],
                taken=[str(c) for c in taken_value or []],
                budget=parse_budget_box(budget_value)[0],
                total_budget=parse_budget_box(budget_value)[1],
                years=int(years_value or 1),
            )
            view = planner.make_plan(current, request)
        except (planner.PlanError, ValueError) as exc:
            return explain(str(exc) if isinstance(exc, planner.PlanError) else "條件格式不正確，請重新選擇。")
        if not (view.rows or view.later_rows):
            if view.credited_rows:
                message = f"「{view.role}」所選路徑上的課您都上過或已抵免了，沒有還要上的課。"
                return message, gr.skip(), gr.skip(), hidden, hidden, gr.Column(visible=False), "", gr.skip()
            chosen = ", ".join(module_values or [])
            whole = planner.make_plan(current, request.model_copy(update={"modules": [], "exclude_modules": [], "taken": []}))
            has = [m for m in module_labels if any(r.module_name == m for r in [*whole.rows, *whole.later_rows])]
            return explain(
                f"「{view.role}」的建議路徑在「{chosen.replace(', ', '、') or '所選條件'}」沒有課程（所選階段內）。"
                f"這個角色的路徑包含：{'、'.join(has) or '（所選階段沒有課程）'}；請改選模組，或不選模組看全部。"
            )
        headers = planner.table_headers(view)
        frame = pd.DataFrame(planner.table_rows(view), columns=headers)
        stem = f"學習路徑-{view.role}"
        folder = downloads.folder()  # one folder per request: sessions never share a file
        csv_path = folder / f"{stem}.csv"
        md_path = folder / f"{stem}.md"
        csv_path.write_text(planner.plan_csv(view), encoding="utf-8-sig")
        md_path.write_text(planner.plan_markdown(view), encoding="utf-8")
        chart_rows = planner.chart_rows(view)
        chart_data = chart_frame(chart_rows, module_labels, stage_names)
        link_text = f"[本規劃的連結]({view.link})：開啟後是同樣的條件，可以複製連結傳給同事。"
        return (
            "\n\n".join(planner.summary_lines(view)),
            gr.Dataframe(value=frame, headers=headers),
            chart_data,
            gr.DownloadButton(value=str(csv_path), visible=True),
            gr.DownloadButton(value=str(md_path), visible=True),
            gr.Column(visible=True),
            link_text,
            a11y.chart_table_html(chart_rows, module_labels, stage_names),
        )

    inputs = [role, grade, job, taken, budget, years, stages, modules, skip, split]
    button.click(make, inputs=inputs, outputs=outputs, api_name="make_plan")  # the public planner endpoint keeps its name
    return PlannerTab(role, grade, job, taken, budget, years, stages, modules, skip, split, button, outputs, make)


def restore_on_load(demo: gr.Blocks, tabs: gr.Tabs, tab: PlannerTab, curriculum_of, module_labels: list[str], stage_names: list[str]) -> None:
    """A plan link (`?role=…&taken=…&budget=…`): fill the planner's fields, show the plan and open its tab."""
    fields = [tab.role, tab.grade, tab.job, tab.taken, tab.budget, tab.years, tab.stages, tab.modules, tab.skip, tab.split]

    def restore(request: gr.Request):
        params = dict(request.query_params) if request is not None else {}
        nothing = tuple(gr.skip() for _ in range(1 + len(fields) + len(tab.outputs)))
        if not params.get("role"):
            return nothing
        try:
            req = planner.request_from_query(curriculum_of(), params)
        except planner.PlanError as exc:
            message = f"⚠️ 無法開啟這個規劃連結：{exc}"
            rest = [gr.skip()] * (len(tab.outputs) - 1)
            return (gr.Tabs(selected="planner"), *[gr.skip()] * len(fields), message, *rest)
        labels = {m.number: m.label for m in curriculum_of().modules}
        values = [
            req.role,
            None,
            "",
            req.taken,
            str(req.budget) if req.budget is not None else f"{TOTAL_PREFIX} {req.total_budget}" if req.total_budget is not None else "",
            req.years,
            req.stages or stage_names,
            [labels[m] for m in req.modules],
            [labels[m] for m in req.exclude_modules],
            SPLIT_CHOICES[1] if req.split_consolidated else SPLIT_CHOICES[0],
        ]
        return (gr.Tabs(selected="planner"), *values, *tab.make(*values))

    demo.load(restore, outputs=[tabs, *fields, *tab.outputs], api_visibility="private")
