"""The framework's own text in the web app: source cards in the chat and the 「關於課綱」 tab."""

from __future__ import annotations

from corpus.sections import Section, load_sections

SOURCE_PREFIX = "section:"  # a card group entry naming a section instead of a course code
SOURCE_GROUP = "課綱本文出處"


def source_entries(sources) -> list[str]:
    return [f"{SOURCE_PREFIX}{s.id}" for s in sources]


def section_of(entry: str) -> Section | None:
    if not entry.startswith(SOURCE_PREFIX):
        return None
    wanted = entry[len(SOURCE_PREFIX) :]
    return next((s for s in load_sections() if s.id == wanted), None)


def source_card_markdown(section: Section, lines: int = 3) -> str:
    """A source card: the section's title and its first verbatim lines (the answer quotes it whole)."""
    shown = [line for line in section.text if line != section.title][:lines]
    more = "…" if len(section.text) > lines + 1 else ""
    body = "\n".join(f"> {line}" for line in shown)
    return f"**課綱本文「{section.title}」**\n\n{body}{more}"


def about_markdown() -> str:
    """The sections as the document gives them, in order, verbatim."""
    parts = [
        "以下是數位發展部「AI公務人才學習模組與課綱」附錄二之前的本文，依原文順序逐字呈現；"
        "各課程的內容請看「課程目錄」分頁。",
    ]
    for section in load_sections():
        parts.append(f"## {section.title}")
        body = [line for line in section.text if line != section.title]
        parts.append("\n".join(_line(line) for line in body))
    return "\n\n".join(parts)


def _line(line: str) -> str:
    """A seed line as Markdown: its own bullets kept, other lines as paragraphs (two spaces: a line break)."""
    return line if line.startswith("- ") else f"{line}  "
