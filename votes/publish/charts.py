"""The two-thirds chart: one roll call's yeas and nays against the line an override must reach.

Drawn server-side as inline SVG (no JavaScript, nothing fetched), from one override_math row.
Every number is also text: the <title>, the labels and data-* attributes, so a screen reader, a
search engine or a test can read what the picture shows. Pixel positions use integer arithmetic,
like the vote arithmetic they draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

WIDTH, LEFT, BAR = 640, 20, 600  # the bar spans x = LEFT .. LEFT + BAR
YEA_COLOUR, NAY_COLOUR, LINE_COLOUR = "#2b6cb0", "#c05621", "#1a202c"


def x_of(count: int, voting: int) -> int:
    """Horizontal position of `count` members on a bar of `voting` members."""
    return LEFT + BAR * count // voting


def verdict(row: Mapping[str, Any]) -> str:
    """How the yeas stood against two thirds, in words."""
    margin = row["margin"]
    if margin >= 0:
        return f"two thirds reached with {margin} to spare"
    return f"{-margin} short of two thirds: {row['switches_needed']} nays would have had to switch"


def summary(row: Mapping[str, Any]) -> str:
    """The chart as one sentence."""
    return (
        f"{row['roll_call_id']}: {row['yea']} yea, {row['nay']} nay; two thirds of "
        f"{row['voting']} voting is {row['two_thirds_needed']}; {verdict(row)}. "
        f"{row['present']} present and {row['not_voting']} not voting are outside the base."
    )


def two_thirds_svg(row: Mapping[str, Any]) -> Markup:
    """The chart of one override_math row; a short note when nothing can be drawn."""
    if not row["voting"] or row["two_thirds_needed"] is None:
        return _no_chart(row)
    yea_x, line_x = x_of(row["yea"], row["voting"]), x_of(row["two_thirds_needed"], row["voting"])
    parts = [
        _open(row),
        f"<title>{escape(summary(row))}</title>",
        _text(LEFT, 18, _heading(row), "heading", weight="bold"),
        _rect("yea", LEFT, yea_x - LEFT, YEA_COLOUR, row["yea"]),
        _rect("nay", yea_x, LEFT + BAR - yea_x, NAY_COLOUR, row["nay"]),
        _text(LEFT + 6, 55, f"Yea {row['yea']}", "yea-label", fill="#fff"),
        _text(LEFT + BAR - 6, 55, f"Nay {row['nay']}", "nay-label", fill="#fff", anchor="end"),
        f'<line class="two-thirds-line" x1="{line_x}" y1="28" x2="{line_x}" y2="80" '
        f'stroke="{LINE_COLOUR}" stroke-width="3" stroke-dasharray="6 3"/>',
        _text(
            line_x,
            96,
            f"two thirds: {row['two_thirds_needed']} of {row['voting']} voting",
            "needed-label",
            anchor=_anchor(line_x),
        ),
        _text(LEFT, 122, verdict(row).capitalize() + ".", "verdict"),
        _text(
            LEFT,
            142,
            f"Present {row['present']} and not voting {row['not_voting']}: outside the base.",
            "outside",
            fill="#4a5568",
        ),
        "</svg>",
    ]
    return Markup("".join(parts))


def _heading(row: Mapping[str, Any]) -> str:
    measure = f"{row['measure']}, " if row.get("measure") else ""
    return f"{measure}{row['chamber'].capitalize()}, {row['date']}: {row['roll_call_id']}"


def _open(row: Mapping[str, Any]) -> str:
    data = " ".join(
        f'data-{key.replace("_", "-")}="{escape(row[key])}"'
        for key in ("roll_call_id", "yea", "nay", "voting", "two_thirds_needed", "margin")
    )
    return (
        f'<svg class="two-thirds-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{WIDTH}" height="152" viewBox="0 0 {WIDTH} 152" '
        f'style="max-width: 100%; height: auto" {data}>'
    )


def _rect(name: str, x: int, width: int, colour: str, count: int) -> str:
    return (
        f'<rect class="{name}-bar" data-count="{count}" x="{x}" y="36" width="{width}" '
        f'height="32" fill="{colour}"/>'
    )


def _text(
    x: int,
    y: int,
    content: str,
    name: str,
    *,
    fill: str = "#1a202c",
    anchor: str = "start",
    weight: str = "normal",
) -> str:
    return (
        f'<text class="{name}" x="{x}" y="{y}" fill="{fill}" text-anchor="{anchor}" '
        f'font-family="sans-serif" font-size="14" font-weight="{weight}">{escape(content)}</text>'
    )


def _anchor(x: int) -> str:
    """Keep the line's label inside the picture."""
    if x > LEFT + BAR * 3 // 4:
        return "end"
    return "middle" if x > LEFT + BAR // 4 else "start"


def _no_chart(row: Mapping[str, Any]) -> Markup:
    why = "the roll call was vacated" if row["status"] == "vacated" else "nobody voted yea or nay"
    return Markup(
        f'<p class="two-thirds-chart-none" data-roll-call-id="{escape(row["roll_call_id"])}">'
        f"{escape(row['roll_call_id'])}: no two-thirds chart, {why}.</p>"
    )
