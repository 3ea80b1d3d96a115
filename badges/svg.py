"""A badge's image, drawn from its name and colour: a round medal with the name in up to three lines.

Pure: plain values in, SVG text out. The name is escaped (it is the coordinator's text) and the colour
must be #rrggbb, so nothing a coordinator types can add markup or script to the image.
"""

import re
import textwrap
from xml.sax.saxutils import escape

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SIZE = 240


def _darker(colour: str, factor: float = 0.7) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(channel * factor):02x}" for channel in (red, green, blue))


def draw(*, name: str, colour: str) -> str:
    if not COLOUR.match(colour):
        colour = "#2a7ab0"
    lines = textwrap.wrap(name, width=16)[:3] or [""]
    if len(textwrap.wrap(name, width=16)) > 3:
        lines[-1] = lines[-1][:15] + "…"
    line_height = 24
    first = SIZE / 2 - (len(lines) - 1) * line_height / 2 + 7
    text = "".join(
        f'<tspan x="{SIZE // 2}" y="{first + i * line_height:.0f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" '
        f'role="img" aria-label="{escape(name, {chr(34): "&quot;"})}">'
        f"<title>{escape(name)}</title>"
        f'<circle cx="120" cy="120" r="112" fill="{_darker(colour)}"/>'
        f'<circle cx="120" cy="120" r="100" fill="{colour}"/>'
        f'<circle cx="120" cy="120" r="88" fill="none" stroke="#ffffff" stroke-width="3" stroke-opacity="0.7"/>'
        f'<text font-family="sans-serif" font-size="20" font-weight="bold" fill="#ffffff" '
        f'text-anchor="middle">{text}</text>'
        "</svg>"
    )
