"""The trainer area's review page: daily ratings, the feedback list, questions without a course, exports.

Mounted by `ui/trainer.py` inside its 「回饋與提問」 tab; like every trainer event, each handler first checks
the session token (`signed_in`) and answers 「請先登入」 without one. Question kinds are shown by their zh-TW
names (assistant/data/labels.toml); the filter still passes the codes the database stores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import gradio as gr
import pandas as pd

from assistant import FeedbackStore, QuestionLog, ReviewFilter
from assistant.labels import kind_choices, kind_label, outcome_label
from corpus.exports import write_table
from ui.downloads import Downloads
from workspace.accounts import Accounts, TrainerSession

PRIVATE = {"api_visibility": "private"}
SIGN_IN_FIRST = "請先登入訓練承辦帳號。"
ANY = "不限"
RATINGS = {ANY: None, "有幫助": 1, "沒幫助": -1}
DAILY_HEADERS = ["日期（UTC）", "有幫助", "沒幫助"]
FEEDBACK_HEADERS = ["編號", "時間（UTC）", "評價", "問題", "問題類型", "意見"]
QUESTION_HEADERS = ["時間（UTC）", "問題", "問題類型", "結果"]
# On a phone (ui/phone.py): the feedback list and the questions leave out 編號 and 時間 (the exports have them).
PHONE_TABLES = {"review-daily": [None, 64, 64], "review-feedback": [0, 0, 60, None, 76, None], "review-unanswered": [0, None, 80, 76]}
FEEDBACK_FILE = "回饋"
QUESTIONS_FILE = "反問或課綱沒有的問題"


@dataclass
class Review:
    """What the trainer tab needs to refresh the page after a sign-in."""

    refresh: Callable
    inputs: list
    outputs: list


def _date(text: str, label: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{label}請寫成 YYYY-MM-DD（例如 2026-11-01），或留空表示不限。") from None


def _filters(since_text, until_text, rating_label, kinds, only_comments) -> ReviewFilter:
    return ReviewFilter(
        since=_date(since_text, "起日"), until=_date(until_text, "迄日"), rating=RATINGS.get(rating_label), kinds=kinds or [],
        with_comment=bool(only_comments),
    )


def _minute(stamp: str) -> str:
    return stamp[:16].replace("T", " ")


def feedback_rows(feedback: FeedbackStore, filters: ReviewFilter) -> list[list]:
    return [
        [r.id, _minute(r.created_at), "有幫助" if r.rating > 0 else "沒幫助", r.question, kind_label(r.kind), r.comment]
        for r in feedback.rows(filters)
    ]


def question_rows(questions: QuestionLog, filters: ReviewFilter, *, minutes: bool = True) -> list[list]:
    asked = questions.unanswered(filters.model_copy(update={"rating": None}))
    return [[_minute(q.created_at) if minutes else q.created_at, q.question, kind_label(q.kind), outcome_label(q.outcome)] for q in asked]


def build(
    token: gr.State,
    signed_in: Callable[[str], TrainerSession | None],
    accounts: Accounts,
    feedback: FeedbackStore,
    questions: QuestionLog,
) -> Review:
    """The page's components and events; call inside the 「回饋與提問」 tab."""
    downloads = Downloads()
    with gr.Row(elem_id="review-filters"):
        since = gr.Textbox(label="起日（YYYY-MM-DD）", max_lines=1, min_width=150, elem_id="review-since")
        until = gr.Textbox(label="迄日（YYYY-MM-DD）", max_lines=1, min_width=150, elem_id="review-until")
        rating = gr.Dropdown(list(RATINGS), value=ANY, label="評價", min_width=150, elem_id="review-rating")
        kind = gr.Dropdown([], value=[], multiselect=True, label="問題類型（不選＝全部）", min_width=220, elem_id="review-kind")
        with_comment = gr.Checkbox(label="只看有意見的", min_width=150, elem_id="review-comment")
    refresh = gr.Button("套用篩選", elem_id="review-refresh")
    status = gr.Markdown(elem_id="review-status")
    with gr.Row(elem_id="review-daily-row"):
        daily = gr.Dataframe(headers=DAILY_HEADERS, interactive=False, elem_id="review-daily", scale=1, min_width=260)
        daily_chart = gr.BarPlot(
            x="日期", y="筆數", color="評價", title="每日評價筆數", color_map={"有幫助": "#54a24b", "沒幫助": "#e45756"},
            elem_id="review-chart", scale=2, min_width=300,
        )
    gr.Markdown("#### 回饋")
    feedback_table = gr.Dataframe(headers=FEEDBACK_HEADERS, interactive=False, wrap=True, elem_id="review-feedback")
    gr.Markdown("#### 反問或課綱沒有的問題（使用者在找、課綱可能缺的主題）")
    unanswered = gr.Dataframe(headers=QUESTION_HEADERS, interactive=False, wrap=True, elem_id="review-unanswered")
    gr.Markdown("手機上的表格不列編號與時間；匯出的檔案有完整的欄位。", elem_classes=["phone-only"])
    with gr.Row(elem_id="review-exports"):
        export_csv = gr.Button("匯出 CSV", size="sm", elem_id="review-export-csv")
        export_xlsx = gr.Button("匯出 XLSX", size="sm", elem_id="review-export-xlsx")
    export_status = gr.Markdown(elem_id="review-export-status")  # next to the buttons: on a phone the page's top is far away
    with gr.Row(elem_id="review-downloads"):
        feedback_file = gr.DownloadButton("下載回饋", visible=False, size="sm", elem_id="review-download")
        questions_file = gr.DownloadButton("下載反問或課綱沒有的問題", visible=False, size="sm", elem_id="review-download-questions")

    def on_refresh(session_token, since_text, until_text, rating_label, kinds, only_comments):
        if signed_in(session_token) is None:
            return SIGN_IN_FIRST, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        try:
            filters = _filters(since_text, until_text, rating_label, kinds, only_comments)
        except ValueError as exc:
            return str(exc), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        rows = feedback_rows(feedback, filters)
        asked = question_rows(questions, filters)
        days = feedback.daily(filters)
        seen = {r.kind for r in feedback.rows() if r.kind} | {q.kind for q in questions.rows() if q.kind}
        helpful = sum(1 for r in rows if r[2] == "有幫助")
        summary = f"共 {len(rows)} 筆回饋（有幫助 {helpful}、沒幫助 {len(rows) - helpful}）；反問或課綱沒有的問題 {len(asked)} 題。"
        chart = [[day, label, count] for day, up, down in days for label, count in (("有幫助", up), ("沒幫助", down))]
        return (
            summary,
            pd.DataFrame([list(d) for d in days], columns=DAILY_HEADERS),
            pd.DataFrame(rows, columns=FEEDBACK_HEADERS),
            pd.DataFrame(asked, columns=QUESTION_HEADERS),
            gr.Dropdown(choices=kind_choices(sorted(seen)), value=kinds or []),
            pd.DataFrame(chart, columns=["日期", "評價", "筆數"]),
        )

    inputs = [token, since, until, rating, kind, with_comment]
    outputs = [status, daily, feedback_table, unanswered, kind, daily_chart]
    refresh.click(on_refresh, inputs=inputs, outputs=outputs, **PRIVATE)

    def on_export(suffix: str):
        def export(session_token, since_text, until_text, rating_label, kinds, only_comments):
            hidden = gr.DownloadButton(visible=False)
            session = signed_in(session_token)
            if session is None:
                return SIGN_IN_FIRST, hidden, hidden
            try:
                filters = _filters(since_text, until_text, rating_label, kinds, only_comments)
            except ValueError as exc:
                return str(exc), hidden, hidden
            folder = downloads.folder()
            feedback_target = folder / f"{FEEDBACK_FILE}{suffix}"
            count = feedback.export(feedback_target, filters)
            questions_target = folder / f"{QUESTIONS_FILE}{suffix}"
            asked = question_rows(questions, filters, minutes=False)
            write_table(questions_target, QUESTION_HEADERS, asked)
            accounts.audit(session.name, "export", {"format": suffix, "rows": count, "questions": len(asked)})
            return (
                f"已匯出 {count} 筆回饋與 {len(asked)} 題反問或課綱沒有的問題（試算表不會執行儲存格中的公式），請按下方按鈕下載。",
                gr.DownloadButton(f"下載回饋（{suffix[1:].upper()}）", value=str(feedback_target), visible=True),
                gr.DownloadButton(f"下載反問或課綱沒有的問題（{suffix[1:].upper()}）", value=str(questions_target), visible=True),
            )

        return export

    for button, suffix in ((export_csv, ".csv"), (export_xlsx, ".xlsx")):
        button.click(on_export(suffix), inputs=inputs, outputs=[export_status, feedback_file, questions_file], **PRIVATE)
    return Review(refresh=on_refresh, inputs=inputs, outputs=outputs)
