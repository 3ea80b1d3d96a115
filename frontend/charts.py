"""Bar charts drawn on the server as inline SVG: no script, no library. Pure: plain values in, markup out.

Each row is a label above its bar, the number at the bar's end. The drawing is 320 units wide and scales
to its box, so it fits a 360 px screen; for right-to-left pages the bars grow from the
right and the text runs right to left (`text-anchor="start"` follows `direction`). The SVG is
`role="img"` with a `<title>`; the page shows the same numbers in a table for screen readers."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320
ROW = 34
BAR = 12
NUMBER_ROOM = 44  # room kept after the longest bar for its number


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str = ""  # the value as printed; the value itself when empty
    muted: bool = False  # drawn in the warning colour (e.g. a need nobody covers)


def bar_chart(*, title: str, bars: list[Bar], chart_id: str, rtl: bool = False) -> SafeString:
    height = max(len(bars), 1) * ROW
    top = max((bar.value for bar in bars), default=0) or 1
    span = WIDTH - NUMBER_ROOM
    direction = "rtl" if rtl else "ltr"
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" direction="{direction}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = index * ROW
        length = round(span * max(bar.value, 0) / top, 1)
        x = WIDTH - length if rtl else 0
        label_x = WIDTH if rtl else 0
        number_x = WIDTH - length - 4 if rtl else length + 4
        colour = "#b3261e" if bar.muted else "#1f5fa8"
        shown = bar.shown or f"{bar.value:g}"
        parts.append(
            f'<text x="{label_x}" y="{y + 11}" text-anchor="start" font-size="11" '
            f'fill="#222">{escape(bar.label)}</text>'
            f'<rect x="{x}" y="{y + 15}" width="{length}" height="{BAR}" fill="{colour}"/>'
            f'<text x="{number_x}" y="{y + 25}" text-anchor="start" font-size="11" '
            f'fill="#222">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and number is escaped above
