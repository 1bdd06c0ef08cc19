"""Tables on a phone (≤ 640 px wide): they fit the screen, with no sideways scrolling and no cut-off text.

Gradio sizes a table's columns by their content, so a wide table runs past a 390 px screen and its last
columns are cut off (or every header breaks into one character a line). `table_css` gives each column a
width on a phone: a fixed number of pixels, a share of the rest (None), or hidden (0) when the column can
be left out there; cells wrap. The page that hides a column says so in a `phone-only` note.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

PHONE = "@media (max-width: 640px)"


def table_css(elem_id: str, widths: Sequence[int | None]) -> str:
    table = f"#{elem_id}"
    rules = [
        f"{table} .header-table, {table} .virtual-body {{ width: 100% !important; table-layout: fixed; }}",
        f"{table} .virtual-row span, {table} .header-table span {{ white-space: normal !important; overflow-wrap: anywhere; }}",
    ]
    for n, width in enumerate(widths, start=1):
        cells = f"{table} .virtual-row > :nth-child({n}), {table} .header-table tr > :nth-child({n})"
        if width == 0:
            rules.append(f"{cells} {{ display: none !important; }}")
        elif width is None:
            rules.append(f"{cells} {{ width: auto !important; min-width: 0 !important; max-width: none !important; flex: 1 1 0 !important; }}")
        else:
            rules.append(f"{cells} {{ width: {width}px !important; min-width: 0 !important; max-width: none !important; flex: 0 0 {width}px !important; }}")
    return "\n".join(rules)


def phone_css(tables: dict[str, Sequence[int | None]], extra: Iterable[str] = ()) -> str:
    """All the tables' phone layouts (and any extra rules) in one media query."""
    body = "\n".join([*(table_css(elem_id, widths) for elem_id, widths in tables.items()), *extra])
    return f"{PHONE} {{\n{body}\n}}\n"
