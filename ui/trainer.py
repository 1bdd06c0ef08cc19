"""The trainer area: sign in, upload a syllabus, preview, publish, roll back, edit paths, review feedback.

Mounted by `ui/app.py` as its own tab. Every event here is private (not in `view_api()`), and every
handler first checks the session token (a `gr.State` on the server) against the database: an anonymous
user can reach no trainer action, whether through the page or by calling the queue directly.

The browser keeps the token too (`gr.BrowserState`, localStorage, never the URL; workspace/remember.py),
so a reload restores the signed-in view while the server still accepts the token; logging out, or a
token the server no longer accepts, removes it from the browser.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pandas as pd

from assistant import Assistant, FeedbackStore, QuestionLog
from corpus.load import CorpusError
from ui import trainer_review
from ui.phone import phone_css
from workspace.accounts import Accounts, LoginError, TrainerSession
from workspace.paths import apply_paths, path_rows
from workspace.remember import STORAGE_KEY, browser_secret
from workspace.versions import PublishError, Versions, corpus_hash, diff, file_hash, problem_rows, read_upload

PRIVATE = {"api_visibility": "private"}
SIGN_IN_FIRST = trainer_review.SIGN_IN_FIRST
SESSION_ENDED = "您的登入已結束（逾時、在別處登出或密碼已變更），請重新登入。"
ERROR_HEADERS = ["列", "課程代碼", "欄位", "問題"]
CHANGE_HEADERS = ["代碼", "課程名稱", "欄位", "原本", "改為"]
HOURS_HEADERS = ["角色", "階段", "原本（小時）", "發布後（小時）", "變化"]
VERSION_HEADERS = ["版本", "時間（UTC）", "動作", "說明", "使用中", "訓練承辦", "課程數", "檔案", "檔案雜湊（前 12 碼）"]
PATH_HEADERS = ["角色", "階段", "課程代碼（依上課順序，以「、」分隔）"]
# Column widths on a phone (ui/phone.py): pixels, None for a share of the rest, 0 for hidden there.
PHONE_TABLES = {
    "trainer-errors": [40, 76, 72, None],
    "trainer-changes": [60, None, 56, None, None],
    "trainer-hours": [64, 48, None, None, 52],
    "trainer-versions": [44, 92, 72, None, 56, 0, 0, 0, 0],
    "trainer-paths": [64, 48, None],
    "trainer-paths-errors": [None],
    **trainer_review.PHONE_TABLES,
}
CSS = phone_css(PHONE_TABLES)
# After a logout, or when the kept token is refused: the browser forgets it (BrowserState never writes an empty value).
FORGET_TOKEN = f"(kept) => {{ if (!kept) localStorage.removeItem({STORAGE_KEY!r}); return []; }}"


def _frame(rows: list[list], headers: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=headers)


def kept_token(feedback: FeedbackStore) -> gr.BrowserState:
    """The browser's copy of the session token. Create it outside the tabs: a tab not opened yet is not
    rendered, and a BrowserState inside it would not have read localStorage when the page's load event runs."""
    return gr.BrowserState("", storage_key=STORAGE_KEY, secret=browser_secret(feedback.db))


def build_tab(
    demo: gr.Blocks, kept: gr.BrowserState, assistant: Assistant, feedback: FeedbackStore, questions: QuestionLog | None = None
) -> None:
    """The 「訓練承辦」 tab; call inside the app's `gr.Tabs()`. `demo`: the app (a page load restores the
    sign-in); `kept`: the token in the browser (`kept_token`)."""
    db = feedback.db
    accounts, versions = Accounts(db), Versions(db)
    questions = questions or QuestionLog(db)

    def signed_in(token: str) -> TrainerSession | None:
        return accounts.session(token)

    with gr.Tab("訓練承辦", id="trainer"):
        token = gr.State("")
        pending = gr.State(None)  # the checked upload: curriculum JSON, file name, hash, base corpus hash
        with gr.Column(elem_id="trainer-login-box") as login_box:
            gr.Markdown("### 訓練承辦登入\n帳號由系統管理者在伺服器上建立（`python -m ui trainer add 帳號`）。")
            name = gr.Textbox(label="帳號", max_lines=1, max_length=64, elem_id="trainer-name")
            password = gr.Textbox(label="密碼", type="password", max_lines=1, max_length=256, elem_id="trainer-password")
            login = gr.Button("登入", variant="primary", elem_id="trainer-login")
            login_status = gr.Markdown(elem_id="trainer-login-status")
        with gr.Column(visible=False, elem_id="trainer-work") as work_box:
            with gr.Row():
                who = gr.Markdown(elem_id="trainer-who")
                logout = gr.Button("登出", size="sm", scale=0, min_width=80, elem_id="trainer-logout")
            with gr.Tabs(overflow_behavior="wrap"):  # on a phone every page stays in sight, none in a 「…」 menu
                with gr.Tab("上傳課綱", id="trainer-upload-tab"):
                    gr.Markdown(
                        "上傳附錄二欄位的試算表（CSV、TSV 或 XLSX：課程模組、課程單元、課程名稱、時數、訓練目標、課程大綱/內容、教學方法；"
                        "選填：等級、取代課程、備註、學習路徑）。先檢查並預覽變更，確認後再發布。"
                    )
                    upload = gr.File(label="課綱試算表", file_types=[".csv", ".tsv", ".xlsx"], type="filepath", elem_id="trainer-upload")
                    replace_all = gr.Checkbox(label="以此檔取代整份課綱（檔案中沒有的課程將移除）", elem_id="trainer-replace")
                    check = gr.Button("檢查並預覽變更", elem_id="trainer-check")
                    upload_status = gr.Markdown(elem_id="trainer-upload-status")
                    errors = gr.Dataframe(headers=ERROR_HEADERS, interactive=False, wrap=True, visible=False, elem_id="trainer-errors")
                    preview = gr.Markdown(elem_id="trainer-preview")
                    changes = gr.Dataframe(headers=CHANGE_HEADERS, interactive=False, wrap=True, visible=False, elem_id="trainer-changes")
                    hours = gr.Dataframe(
                        headers=HOURS_HEADERS, interactive=False, wrap=True, visible=False, max_height=1000, elem_id="trainer-hours"
                    )
                    note = gr.Textbox(label="版本說明（會記錄在版本清單）", max_length=1000, elem_id="trainer-note")
                    publish = gr.Button("發布", variant="primary", interactive=False, elem_id="trainer-publish")
                    publish_status = gr.Markdown(elem_id="trainer-publish-status")
                with gr.Tab("版本與回復", id="trainer-versions-tab"):
                    versions_table = gr.Dataframe(headers=VERSION_HEADERS, interactive=False, wrap=True, elem_id="trainer-versions")
                    gr.Markdown("手機上只列版本、時間、動作、說明與使用中的版本；訓練承辦、課程數與檔案請在電腦上查看。", elem_classes=["phone-only"])
                    with gr.Row():
                        rollback_to = gr.Dropdown([], label="回復到版本", elem_id="trainer-rollback-version")
                        rollback_note = gr.Textbox(label="說明（選填）", max_length=1000, elem_id="trainer-rollback-note")
                    rollback = gr.Button("回復到這個版本", variant="stop", elem_id="trainer-rollback")
                    rollback_status = gr.Markdown(elem_id="trainer-rollback-status")
                with gr.Tab("學習路徑", id="trainer-paths-tab"):
                    gr.Markdown(
                        "每列是一個角色的一個階段：增刪課程代碼、調整順序，或把代碼移到另一列。儲存前會檢查每門課都在某個角色的路徑中、"
                        "同一角色沒有重複的課、整併課程（例如 4.1.4）不與它取代的課同時列出。"
                    )
                    paths_table = gr.Dataframe(
                        headers=PATH_HEADERS, interactive=True, wrap=True, row_count=(9, "fixed"), column_count=(3, "fixed"),
                        max_height=1200, elem_id="trainer-paths",  # every row in sight: no scroll box inside the page on a phone
                    )
                    paths_confirm = gr.Checkbox(label="我已確認這些學習路徑（回答不再說對應是「建議」）", elem_id="trainer-paths-confirm")
                    paths_note = gr.Textbox(label="版本說明", max_length=1000, elem_id="trainer-paths-note")
                    paths_save = gr.Button("檢查並儲存為新版本", variant="primary", elem_id="trainer-paths-save")
                    paths_status = gr.Markdown(elem_id="trainer-paths-status")
                    paths_errors = gr.Dataframe(headers=["問題"], interactive=False, wrap=True, visible=False, elem_id="trainer-paths-errors")
                with gr.Tab("回饋與提問", id="trainer-feedback-tab"):
                    review = trainer_review.build(token, signed_in, accounts, feedback, questions)

    # ---------------------------------------------------------------- helpers
    def version_rows() -> tuple[pd.DataFrame, gr.Dropdown]:
        current = versions.current()
        listed = versions.list()
        rows = [
            [v.id, f"{v.created_at:%Y-%m-%d %H:%M}", v.action_label, v.note, "✔" if current and v.id == current.id else "",
             v.trainer, v.course_count, v.file_name, v.file_hash[:12]]
            for v in listed
        ]
        choices = [(f"版本 {v.id}：{v.created_at:%Y-%m-%d %H:%M} {v.action_label} {v.note}"[:80], v.id) for v in listed]
        return _frame(rows, VERSION_HEADERS), gr.Dropdown(choices=choices, value=None)

    # ---------------------------------------------------------------- sign-in, restore on reload, sign-out
    def signed_in_view(session: TrainerSession) -> tuple:
        table, choices = version_rows()
        who_line = f"已登入：**{session.name}**（登入到 {session.expires_at:%Y-%m-%d %H:%M} UTC）"
        paths = _frame(path_rows(assistant.curriculum), PATH_HEADERS)
        return session.token, "", gr.Column(visible=False), gr.Column(visible=True), who_line, table, choices, paths

    view_outputs = [token, login_status, login_box, work_box, who, versions_table, rollback_to, paths_table]
    unchanged = tuple(gr.skip() for _ in view_outputs[2:])

    # ---------------------------------------------------------------- sign-in
    def on_login(user: str, secret: str, request: gr.Request):
        try:
            session = accounts.login(user, secret, client=getattr(request.client, "host", None) if request else None)
        except LoginError as exc:
            return "", f"⚠️ {exc}", *unchanged, "", gr.skip()
        view = signed_in_view(session)
        return *view, "", session.token

    login_event = dict(
        fn=on_login, inputs=[name, password], outputs=[*view_outputs, password, kept], show_progress="hidden", **PRIVATE
    )
    for trigger in (login.click, password.submit):
        trigger(**login_event).then(review.refresh, inputs=review.inputs, outputs=review.outputs, **PRIVATE)

    def on_restore(remembered):
        """A page (re)load: the signed-in view again if the server still accepts the kept token."""
        if not remembered:
            return gr.skip(), gr.skip(), *unchanged, gr.skip()
        session = signed_in(remembered)
        if session is None:
            return "", SESSION_ENDED, *unchanged, ""
        return *signed_in_view(session), gr.skip()

    demo.load(on_restore, inputs=[kept], outputs=[*view_outputs, kept], show_progress="hidden", **PRIVATE).then(
        None, inputs=[kept], js=FORGET_TOKEN
    ).then(review.refresh, inputs=review.inputs, outputs=review.outputs, **PRIVATE)

    def on_logout(session_token: str):
        if session_token:
            accounts.logout(session_token)
        return "", None, gr.Column(visible=True), gr.Column(visible=False), "已登出。", ""

    logout.click(on_logout, inputs=[token], outputs=[token, pending, login_box, work_box, login_status, kept], **PRIVATE).then(
        None, inputs=[kept], js=FORGET_TOKEN
    )

    # ---------------------------------------------------------------- upload and preview
    hidden_table = gr.update(visible=False)  # an update, not a component (one made here would land in the Tabs)

    def on_check(session_token: str, path: str | None, replace: bool = False):
        session = signed_in(session_token)
        if session is None:
            return SIGN_IN_FIRST, hidden_table, "", hidden_table, hidden_table, None, gr.Button(interactive=False)
        if not path:
            return "請先選擇要上傳的檔案。", hidden_table, "", hidden_table, hidden_table, None, gr.Button(interactive=False)
        source = Path(path)
        served = assistant.curriculum
        try:
            new, preview_data = read_upload(source, served, replace=bool(replace))
        except CorpusError as exc:
            accounts.audit(session.name, "upload_rejected", {"file": source.name, "problems": len(exc.problems)})
            rows = problem_rows(exc)
            return (
                f"⚠️ 檔案有 {len(rows)} 個問題，課綱沒有任何變更。請修正下表所列的列與欄位後重新上傳。",
                gr.Dataframe(value=_frame(rows, ERROR_HEADERS), visible=True),
                "",
                hidden_table,
                hidden_table,
                None,
                gr.Button(interactive=False),
            )
        digest = file_hash(source)
        accounts.audit(session.name, "upload_preview", {"file": source.name, "file_hash": digest, "replace": bool(replace)})
        if preview_data.empty:
            return "檔案沒有問題，但與目前的課綱相同，沒有需要發布的變更。", hidden_table, "", hidden_table, hidden_table, None, gr.Button(interactive=False)
        lines = [f"### 變更預覽\n新增 {len(preview_data.added)} 門、移除 {len(preview_data.removed)} 門、欄位變更 {len(preview_data.changed)} 處。"]
        lines += [f"- 新增 **{c.code} {c.name}**（{c.hours} 小時）" for c in preview_data.added]
        lines += [f"- {line}" for line in preview_data.removal_lines()]
        moved = [h for h in preview_data.hours if h.old != h.new]
        if moved:
            lines.append("\n**學習路徑時數的變化**")
            lines += [f"- {h.role} {h.stage} {h.old} → {h.new} 小時" for h in moved]
        else:
            lines.append("\n各角色學習路徑的時數不變。")
        change_rows = [[c.code, c.name, c.field, c.old, c.new] for c in preview_data.changed]
        hours_rows = [[h.role, h.stage, h.old, h.new, f"{h.new - h.old:+d}" if h.new != h.old else ""] for h in preview_data.hours]
        plan = {
            "corpus": new.model_dump(mode="json"),
            "file_name": source.name,
            "file_hash": digest,
            "base": corpus_hash(served),
        }
        return (
            "檔案檢查通過。確認下列變更後，填寫版本說明並按「發布」。",
            hidden_table,
            "\n".join(lines),
            gr.Dataframe(value=_frame(change_rows, CHANGE_HEADERS), visible=bool(change_rows)),
            gr.Dataframe(value=_frame(hours_rows, HOURS_HEADERS), visible=True),
            plan,
            gr.Button(interactive=True),
        )

    check.click(on_check, inputs=[token, upload, replace_all], outputs=[upload_status, errors, preview, changes, hours, pending, publish], **PRIVATE)

    # ---------------------------------------------------------------- publish and rollback
    def after_switch() -> None:
        assistant.check_index()  # serve the new version from the next question (the follower would, within 2 s)

    def on_publish(session_token: str, plan: dict | None, text: str):
        session = signed_in(session_token)
        if session is None:
            return SIGN_IN_FIRST, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if not plan:
            return "請先上傳檔案並檢查。", gr.skip(), gr.skip(), gr.skip(), gr.skip()
        from corpus.models import Curriculum

        if corpus_hash(assistant.curriculum) != plan["base"]:
            return "課綱在您檢查之後已經改變（可能有其他人發布），請重新檢查檔案再發布。", None, gr.Button(interactive=False), gr.skip(), gr.skip()
        new = Curriculum.model_validate(plan["corpus"])
        try:
            version = versions.publish(
                new, session.name, text or "", file_name=plan["file_name"], digest=plan["file_hash"],
                embeddings=assistant.searcher.embeddings, client=assistant.searcher.client,
            )
        except PublishError as exc:
            return f"⚠️ {exc}", gr.skip(), gr.skip(), gr.skip(), gr.skip()
        after_switch()
        table, choices = version_rows()
        return f"已發布版本 {version.id}（{version.course_count} 門課），使用者的下一個問題起就以新版本回答。", None, gr.Button(interactive=False), table, choices

    publish.click(
        on_publish, inputs=[token, pending, note], outputs=[publish_status, pending, publish, versions_table, rollback_to], **PRIVATE
    )

    def on_rollback(session_token: str, version_id, text: str):
        session = signed_in(session_token)
        if session is None:
            return SIGN_IN_FIRST, gr.skip(), gr.skip()
        if version_id in (None, ""):
            return "請先選擇要回復的版本。", gr.skip(), gr.skip()
        try:
            version = versions.rollback(
                int(version_id), session.name, text or "", embeddings=assistant.searcher.embeddings, client=assistant.searcher.client
            )
        except PublishError as exc:
            return f"⚠️ {exc}", gr.skip(), gr.skip()
        after_switch()
        table, choices = version_rows()
        return f"已回復到版本 {version_id} 的課綱（記錄為版本 {version.id}）。", table, choices

    rollback.click(on_rollback, inputs=[token, rollback_to, rollback_note], outputs=[rollback_status, versions_table, rollback_to], **PRIVATE)

    # ---------------------------------------------------------------- role paths
    def on_paths(session_token: str, table, confirm: bool, text: str):
        session = signed_in(session_token)
        if session is None:
            return SIGN_IN_FIRST, gr.skip(), gr.skip(), gr.skip(), gr.skip()
        rows = table.values.tolist() if isinstance(table, pd.DataFrame) else list(table or [])
        served = assistant.curriculum
        try:
            new = apply_paths(served, rows, bool(confirm))
        except CorpusError as exc:
            shown = gr.Dataframe(value=_frame([[p] for p in exc.problems], ["問題"]), visible=True)
            return f"⚠️ 學習路徑有 {len(exc.problems)} 個問題，沒有儲存。", shown, gr.skip(), gr.skip(), gr.skip()
        moved = [h for h in diff(served, new).hours if h.old != h.new]
        try:
            version = versions.publish(
                new, session.name, text or ("確認學習路徑" if confirm else "調整學習路徑"), action="paths",
                embeddings=assistant.searcher.embeddings, client=assistant.searcher.client,
            )
        except PublishError as exc:
            return f"⚠️ {exc}", gr.Dataframe(visible=False), gr.skip(), gr.skip(), gr.skip()
        after_switch()
        table_v, choices = version_rows()
        lines = [f"已儲存為版本 {version.id}。"] + [f"- {h.role} {h.stage} {h.old} → {h.new} 小時" for h in moved]
        return "\n".join(lines), gr.Dataframe(visible=False), _frame(path_rows(new), PATH_HEADERS), table_v, choices

    paths_save.click(
        on_paths,
        inputs=[token, paths_table, paths_confirm, paths_note],
        outputs=[paths_status, paths_errors, paths_table, versions_table, rollback_to],
        **PRIVATE,
    )
