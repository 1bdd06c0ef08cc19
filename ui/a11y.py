"""Accessibility helpers for the web app (issue 17): CSS, page script, the chart's data table, page language.

Kept out of ui/app.py so the tabs' own modules only have to call these:
- CSS: text and button colours that meet WCAG AA contrast, a visible focus ring, phone layouts of the tables;
- PAGE_JS: polite live regions for status messages, zh-TW accessible names, chart marks of zero hours hidden
  from screen readers;
- ANNOUNCE_ANSWER: after an answer is complete, its text goes to a polite live region;
- chart_table_html: the chart's numbers as a table;
- HtmlLang: the served page says lang="zh-Hant-TW" from its first byte (Gradio's template says "en") and starts
  Gradio in its zh-TW locale.
"""

from __future__ import annotations

from html import escape

# Gradio's default orange (#f97316 / hover #ea580c) under white text is 2.8:1 / 3.6:1, and the selected tab's
# orange text on white 2.8:1. Orange-700/800 keep the look at 5.2:1 / 7.3:1 (AA needs 4.5:1).
ACCENT = "#c2410c"
ACCENT_HOVER = "#9a3412"
ACCENT_DARK_MODE = "#fb923c"  # for text on the dark theme's near-black background (8:1)
FOCUS = "#1d4ed8"  # 6.7:1 on white
# A "stop" button (「回復到這個版本」): Gradio's red #ef4444 under white text is 3.8:1; red-700/800 are 6.5:1 / 8.3:1.
DANGER = "#b91c1c"
DANGER_HOVER = "#991b1b"
# Placeholders carry instructions here (「輸入問題，按 Enter 送出」, 「不限」): Gradio's light grey is 2.5:1.
PLACEHOLDER = "#6b7280"  # 4.8:1 on white
PLACEHOLDER_DARK_MODE = "#a1a1aa"
FOCUS_DARK_MODE = "#93c5fd"

CSS = f"""
.gradio-container {{
  --color-accent: {ACCENT};
  --button-primary-background-fill: {ACCENT};
  --button-primary-background-fill-hover: {ACCENT_HOVER};
  --button-primary-border-color: {ACCENT};
  --button-primary-border-color-hover: {ACCENT_HOVER};
  --button-primary-text-color: #ffffff;
  --button-primary-text-color-hover: #ffffff;
  --checkbox-background-color-selected: {ACCENT};
  --checkbox-border-color-selected: {ACCENT};
  --checkbox-border-color-focus: {ACCENT};
  --input-placeholder-color: {PLACEHOLDER};
  --button-cancel-background-fill: {DANGER};
  --button-cancel-background-fill-hover: {DANGER_HOVER};
  --button-cancel-border-color: {DANGER};
  --button-cancel-border-color-hover: {DANGER_HOVER};
  --button-cancel-text-color: #ffffff;
  --button-cancel-text-color-hover: #ffffff;
}}
.dark .gradio-container {{ --color-accent: {ACCENT_DARK_MODE}; --input-placeholder-color: {PLACEHOLDER_DARK_MODE}; }}
.dark .gradio-container button.primary {{ background: {ACCENT}; color: #ffffff; }}
.dark .gradio-container button.stop {{ background: {DANGER}; color: #ffffff; }}

/* A focus ring a keyboard user can see on every control (2.4.7), 3 px and high contrast. */
.gradio-container :is(button, a, summary, input, textarea, select, [role=tab], [role=gridcell], [role=columnheader],
  [role=option], [role=checkbox], [role=radio], [tabindex]):focus-visible {{
  outline: 3px solid {FOCUS} !important;
  outline-offset: 2px !important;
}}
.gradio-container :is(input, textarea):focus-visible {{ outline-offset: 0 !important; }}
.dark .gradio-container :is(button, a, summary, input, textarea, select, [role=tab], [role=gridcell], [role=columnheader],
  [role=option], [role=checkbox], [role=radio], [tabindex]):focus-visible {{ outline-color: {FOCUS_DARK_MODE} !important; }}
.gradio-container :is(#course-detail-text, #cat-detail):focus {{ outline: 3px solid {FOCUS}; outline-offset: 2px; }}

/* Vega's tooltip: its grey keys are 1.9:1 on white (and the fix must not be dark on the dark theme's tooltip). */
#vg-tooltip-element td.key {{ color: #374151 !important; }}
.dark #vg-tooltip-element td.key {{ color: #d4d4d8 !important; }}

/* Gradio leaves a dropdown's list open when Tab leaves it (lists pile up over the next fields): show a list
   only while its dropdown has the focus. A mouse click on an option keeps the focus there, so it still works. */
.gradio-container .block:has(input[role=combobox]):not(:focus-within) ul[role=listbox] {{ display: none !important; }}

/* 「跳到提問框」: the first Tab stop, shown only when it has the keyboard focus (2.4.1). */
.a11y-skip {{ position: absolute; left: 8px; top: -48px; z-index: 1000; padding: 8px 14px; border-radius: 6px;
  background: {FOCUS}; color: #ffffff !important; font-weight: 600; text-decoration: none; }}
.a11y-skip:focus {{ top: 8px; outline: 3px solid #ffffff !important; box-shadow: 0 0 0 6px {FOCUS}; }}

/* Only for screen readers (the live region). */
.a11y-sr-only {{ position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }}

/* The chart's data table. */
#plan-chart-table table {{ border-collapse: collapse; font-size: var(--text-sm); }}
#plan-chart-table th, #plan-chart-table td {{ border: 1px solid var(--border-color-primary); padding: 2px 8px; text-align: right; }}
#plan-chart-table th[scope=row], #plan-chart-table thead th:first-child {{ text-align: left; }}
#plan-chart-table summary {{ cursor: pointer; }}
.phone-only {{ display: none; }}

@media (max-width: 640px) {{
  /* Planner table: a course code or an hour count is one word, never broken over lines. */
  #plan-table .virtual-row > :is(:nth-child(2), :nth-child(4)) span,
  #plan-table .header-table tr > :is(:nth-child(2), :nth-child(4)) span {{
    white-space: nowrap !important; overflow-wrap: normal !important; word-break: keep-all !important; }}
  /* Catalog on a phone: code, name, hours and module fit the screen (no sideways scrolling); the other
     columns are in the course's full text shown on selection. */
  #cat-table .header-table, #cat-table .virtual-body {{ width: 100% !important; table-layout: fixed; }}
  #cat-table .virtual-row > :nth-child(n+5), #cat-table .header-table tr > :nth-child(n+5) {{ display: none !important; }}
  #cat-table .virtual-row > :nth-child(1), #cat-table .header-table tr > :nth-child(1) {{ width: 64px !important; flex: 0 0 64px !important; }}
  #cat-table .virtual-row > :nth-child(2), #cat-table .header-table tr > :nth-child(2) {{
    width: auto !important; min-width: 0 !important; max-width: none !important; flex: 1 1 0 !important; }}
  #cat-table .virtual-row > :nth-child(3), #cat-table .header-table tr > :nth-child(3) {{ width: 52px !important; flex: 0 0 52px !important; }}
  #cat-table .virtual-row > :nth-child(4), #cat-table .header-table tr > :nth-child(4) {{ width: 76px !important; flex: 0 0 76px !important; }}
  #cat-table .virtual-row span {{ white-space: normal !important; overflow-wrap: anywhere; }}
  #cat-table .virtual-row > :is(:nth-child(1), :nth-child(3)) span, #cat-table .header-table span {{
    white-space: nowrap !important; overflow-wrap: normal !important; }}
  #cat-table .virtual-row > :nth-child(4) span {{ word-break: keep-all; }}
  .phone-only {{ display: block; }}
}}
"""

# Status messages that change after an action: announced politely, without moving focus (4.1.3).
STATUS_IDS = [
    "chat-hint", "feedback-status", "cat-count", "plan-summary", "corpus-warning",
    # the trainer area (ui/trainer.py, ui/trainer_review.py)
    "trainer-login-status", "trainer-upload-status", "trainer-publish-status", "trainer-rollback-status", "trainer-paths-status",
    "review-status", "review-export-status",
]

PAGE_JS = """
() => {
  const live = document.createElement("div");
  live.id = "answer-live";
  live.className = "a11y-sr-only";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  document.body.appendChild(live);
  // A long conversation puts every message's buttons before the question box: a way to skip them.
  const skip = document.createElement("a");
  skip.href = "#question";
  skip.className = "a11y-skip";
  skip.textContent = "跳到提問框";
  skip.addEventListener("click", (event) => {
    event.preventDefault();
    const chatTab = document.querySelector("[role=tab][data-tab-id=chat]");
    if (chatTab && chatTab.getAttribute("aria-selected") !== "true") chatTab.click();
    setTimeout(() => document.querySelector("#question textarea")?.focus(), 50);
  });
  document.body.prepend(skip);
  const statusIds = __STATUS_IDS__;
  const apply = () => {
    for (const id of statusIds) {
      const el = document.getElementById(id);
      if (el && el.getAttribute("role") !== "status") { el.setAttribute("role", "status"); el.setAttribute("aria-live", "polite"); }
    }
    // A card's button names its course: 「查看完整課程：3.1.4 委外AI系統規格制定與驗收實務」.
    document.querySelectorAll(".course-card").forEach(card => {
      const title = card.querySelector(".course-card-text strong");
      const button = card.querySelector("button");
      if (title && button) {
        const name = `${button.innerText.trim()}：${title.innerText.trim()}`;
        if (button.getAttribute("aria-label") !== name) button.setAttribute("aria-label", name);
      }
    });
    // An uploaded file's download link reads only its size (「487.0 B ⇣」): say which file it is, after the
    // visible text (a name must contain what is seen, 2.5.3).
    document.querySelectorAll("a.download-link[download]").forEach(link => {
      const shown = link.innerText.replace(/\\s+/g, " ").trim();
      const name = `${shown} 下載 ${link.getAttribute("download")}`;
      if (link.getAttribute("aria-label") !== name) link.setAttribute("aria-label", name);
    });
    // A dropdown's list is reached with the arrow keys from its input; Chromium makes a scrolling list a Tab
    // stop of its own, which Gradio then hides under the focus (the focus falls to the page).
    document.querySelectorAll("ul[role=listbox]:not([tabindex])").forEach(list => list.setAttribute("tabindex", "-1"));
    // Gradio labels each message div "bot's message: …" in English; aria-label is not allowed on a div
    // without a role (screen readers ignore it or read the text twice): the text itself is what is read.
    document.querySelectorAll("#chatbot [data-testid=bot][aria-label], #chatbot [data-testid=user][aria-label]")
      .forEach(message => message.removeAttribute("aria-label"));
    // Bars of zero hours are padding for the colour scale (see chart_frame): nothing to read out.
    document.querySelectorAll("#plan-chart path[aria-label]").forEach(bar => {
      const zero = /(^|; )時數: 0(;|$)/.test(bar.getAttribute("aria-label"));
      if (zero && bar.getAttribute("aria-hidden") !== "true") bar.setAttribute("aria-hidden", "true");
      if (!zero && bar.hasAttribute("aria-hidden")) bar.removeAttribute("aria-hidden");
    });
    const chart = document.querySelector("#plan-chart [role=graphics-document]");
    if (chart && !chart.getAttribute("aria-describedby") && document.getElementById("plan-chart-table")) {
      chart.setAttribute("aria-describedby", "plan-chart-table");
    }
  };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; apply(); });
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"]});
  apply();
}
""".replace("__STATUS_IDS__", repr(STATUS_IDS))

# Run after an answer is complete (an event's `.then(js=...)`): the new answer goes to the polite live
# region, once, as plain text, with a clarifying question's choices.
ANNOUNCE_ANSWER = """
(...args) => {
  const live = document.getElementById("answer-live");
  const rows = document.querySelectorAll("#chatbot .message-row");
  const last = rows[rows.length - 1];
  if (live && last && last.classList.contains("bot-row")) {
    const message = last.querySelector("[data-testid=bot]") || last;
    let text = message.innerText.trim();
    const boxes = [...document.querySelectorAll("#chatbot .options")]
      .filter(box => last.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING);
    const options = boxes.flatMap(box => [...box.querySelectorAll("button")]).map(b => b.innerText.trim()).filter(Boolean);
    if (options.length) text += `\\n可以直接選：${options.join("、")}`;
    live.textContent = "";
    setTimeout(() => { live.textContent = `助理回答：${text}`; }, 100);
  }
  return args;
}
"""

# After a card's 「查看完整課程」: the course's full text is where the keyboard and screen reader go next.
FOCUS_COURSE_DETAIL = """
(...args) => {
  setTimeout(() => {
    const detail = document.getElementById("course-detail-text");
    if (!detail) return;
    detail.setAttribute("tabindex", "-1");
    detail.focus({preventScroll: true});
    detail.scrollIntoView({block: "nearest"});
  }, 50);
  return args;
}
"""


def chart_table_html(rows: list[dict], module_labels: list[str], stage_names: list[str]) -> str:
    """The chart's numbers as a table: one row per module in the plan, hours by stage and in total."""
    hours: dict[str, dict[str, int]] = {}
    for row in rows:
        if row["時數"]:
            by_stage = hours.setdefault(row["模組"], {})
            by_stage[row["階段"]] = by_stage.get(row["階段"], 0) + int(row["時數"])
    modules = [m for m in module_labels if m in hours]
    stages = [s for s in stage_names if any(s in hours[m] for m in modules)]
    head = "".join(f'<th scope="col">{escape(s)}</th>' for s in stages)
    body = ""
    for module in modules:
        cells = "".join(f"<td>{hours[module].get(s, 0)}</td>" for s in stages)
        body += f'<tr><th scope="row">{escape(module)}</th>{cells}<td>{sum(hours[module].values())}</td></tr>'
    totals = "".join(f"<td>{sum(hours[m].get(s, 0) for m in modules)}</td>" for s in stages)
    grand = sum(sum(h.values()) for h in hours.values())
    return (
        '<details open><summary>圖表的數據（表格）</summary>'
        '<table><caption class="a11y-sr-only">各階段、各模組時數（小時）</caption>'
        f'<thead><tr><th scope="col">模組</th>{head}<th scope="col">合計</th></tr></thead>'
        f'<tbody>{body}</tbody>'
        f'<tfoot><tr><th scope="row">合計</th>{totals}<td>{grand}</td></tr></tfoot></table></details>'
    )


# Gradio picks the language of its own strings from navigator.language (its documented behaviour); every
# user here reads zh-TW, so the page says so before Gradio's scripts run (no reach into Gradio's modules).
LOCALE_SCRIPT = (
    '<script>(() => { try { Object.defineProperty(navigator, "language", {get: () => "zh-TW", configurable: true}); '
    'Object.defineProperty(navigator, "languages", {get: () => ["zh-TW", "zh"], configurable: true}); } catch (e) {} })();</script>'
)


class HtmlLang:
    """ASGI middleware for the served page: <html lang="en"> (Gradio's template) becomes lang="zh-Hant-TW",
    and LOCALE_SCRIPT is the first thing in <head>, so Gradio starts in zh-TW whatever the browser's language.

    The page script keeps lang so after Gradio writes its locale ("zh-TW") there.
    """

    def __init__(self, app, lang: str = "zh-Hant-TW"):
        self.app = app
        self.old = b'lang="en"'
        self.new = f'lang="{lang}"'.encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            return await self.app(scope, receive, send)
        start: dict | None = None
        chunks: list[bytes] = []

        async def wrapped(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                    start = message  # hold it: the body's length changes
                    return
                return await send(message)
            if message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks).replace(self.old, self.new, 1).replace(b"<head>", b"<head>" + LOCALE_SCRIPT.encode(), 1)
                headers = [(k, v) for k, v in start.get("headers") or [] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                return await send({"type": "http.response.body", "body": body})
            return await send(message)

        return await self.app(scope, receive, wrapped)
