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


# ---- the threshold chart: a roll call against the threshold it required (threshold_math) ----

# Each threshold: what it is called, and what its base counts.
THRESHOLD_NAMES = {
    "majority": ("a majority", "voting"),
    "three_fifths_sworn": ("three fifths", "senators on the roll"),
    "three_fifths_voting": ("three fifths", "voting"),
    "two_thirds_voting": ("two thirds", "voting"),
    "quorum": ("a quorum", "members on the roll"),
}
ABSENT_COLOUR = "#a0aec0"


def segments(row: Mapping[str, Any]) -> list[tuple[str, str, int, str]]:
    """The bar's parts, left to right: (class, label, count, colour); they add up to the base."""
    yea, nay = row["yea"], row["nay"]
    absent = row["present"] + row["not_voting"]
    if row["threshold"] == "quorum":
        answered = yea + nay + row["present"]
        return [
            ("yea", f"Answered {answered}", answered, YEA_COLOUR),
            ("nay", f"Absent {row['not_voting']}", row["not_voting"], ABSENT_COLOUR),
        ]
    parts = [("yea", f"Yea {yea}", yea, YEA_COLOUR), ("nay", f"Nay {nay}", nay, NAY_COLOUR)]
    if row["threshold"] == "three_fifths_sworn":
        parts.append(("absent", f"Absent {absent}", absent, ABSENT_COLOUR))
    return parts


def threshold_verdict(row: Mapping[str, Any]) -> str:
    """What the vote needed and whether it got it, then the published result."""
    noun = THRESHOLD_NAMES[row["threshold"]][0].removeprefix("a ")
    result = f" {row['official_result']}." if row.get("official_result") else ""
    if row["carried"] is None:
        return f"No quorum voted: nothing was decided.{result}"
    if row["carried"]:
        return f"{noun.capitalize()} reached with {row['margin']} to spare.{result}"
    if row["threshold"] == "quorum":
        return f"{-row['margin']} short of a quorum.{result}"
    switches = f": {row['switches_needed']} nays would have had to switch"
    return f"{-row['margin']} short of {noun}{switches}.{result}"


def two_thirds_reading(row: Mapping[str, Any]) -> str:
    """The two-thirds arithmetic of a vote that needed something else: what an override would
    have needed on the same yeas and nays ("" for a two-thirds vote, or nobody voting)."""
    if row["threshold"] == "two_thirds_voting" or not row.get("two_thirds_needed"):
        return ""
    margin = row["two_thirds_margin"]
    reached = f"reached with {margin} to spare" if margin >= 0 else f"{-margin} short"
    return (
        f"Two thirds (a veto override's threshold) of {row['voting']} voting would be "
        f"{row['two_thirds_needed']}: {reached}."
    )


def threshold_summary(row: Mapping[str, Any]) -> str:
    """The threshold chart as sentences."""
    name, base_word = THRESHOLD_NAMES[row["threshold"]]
    return " ".join(
        part
        for part in (
            f"{row['roll_call_id']}: {row['yea']} yea, {row['nay']} nay; it needed {name}: "
            f"{row['needed']} of {row['base']} {base_word}.",
            threshold_verdict(row),
            two_thirds_reading(row),
        )
        if part
    )


def threshold_svg(row: Mapping[str, Any]) -> Markup:
    """The chart of one roll call against its own threshold, with the two-thirds reading as a
    second line where that is not the threshold; a short note when nothing can be drawn."""
    if row["threshold"] not in THRESHOLD_NAMES or not row["base"] or row["needed"] is None:
        return _no_threshold(row)
    name, base_word = THRESHOLD_NAMES[row["threshold"]]
    base = row["base"]
    bars, labels = _bars(row)
    line_x = x_of(min(row["needed"], base), base)
    reading = two_thirds_reading(row)
    height = 172 if reading else 152
    parts = [
        _open_threshold(row, height),
        f"<title>{escape(threshold_summary(row))}</title>",
        _text(LEFT, 18, _heading(row), "heading", weight="bold"),
        *bars,
        *labels,
        f'<line class="threshold-line" x1="{line_x}" y1="28" x2="{line_x}" y2="80" '
        f'stroke="{LINE_COLOUR}" stroke-width="3" stroke-dasharray="6 3"/>',
        _text(
            line_x,
            96,
            f"{name}: {row['needed']} of {base} {base_word}",
            "needed-label",
            anchor=_anchor(line_x),
        ),
        _text(LEFT, 122, threshold_verdict(row), "verdict"),
        _text(LEFT, 142, _outside(row), "outside", fill="#4a5568"),
    ]
    if reading:
        parts.append(_text(LEFT, 162, reading, "two-thirds-reading", fill="#4a5568"))
    return Markup("".join([*parts, "</svg>"]))


def _bars(row: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The bar's parts to scale (they add up to the base) and the labels of the first two: the
    first at the left, the second at the right end of its part."""
    parts = segments(row)
    edges, running = [LEFT], 0
    for _, _, count, _ in parts:
        running += count
        edges.append(x_of(running, row["base"]))
    bars = [
        _rect(cls, edges[i], edges[i + 1] - edges[i], colour, count)
        for i, (cls, _, count, colour) in enumerate(parts)
    ]
    labels = [
        _text(LEFT + 6, 55, parts[0][1], "yea-label", fill="#fff"),
        _text(edges[2] - 6, 55, parts[1][1], "nay-label", fill="#fff", anchor="end"),
    ]
    return bars, labels


def _outside(row: Mapping[str, Any]) -> str:
    if row["threshold"] in ("three_fifths_sworn", "quorum"):
        return "Every member on the roll counts: an absence counts against it."
    return f"Present {row['present']} and not voting {row['not_voting']}: outside the base."


def _open_threshold(row: Mapping[str, Any], height: int) -> str:
    keys = ("roll_call_id", "threshold", "yea", "nay", "base", "needed", "margin", "carried")
    extra = ("voting", "two_thirds_needed")
    data = " ".join(
        f'data-{key.replace("_", "-")}="{escape("" if row.get(key) is None else row[key])}"'
        for key in (*keys, *extra)
    )
    return (
        f'<svg class="threshold-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'style="max-width: 100%; height: auto" {data}>'
    )


def _no_threshold(row: Mapping[str, Any]) -> Markup:
    if row["status"] == "vacated":
        why = "the roll call was vacated"
    elif row["threshold"] == "none":
        why = "no threshold applies (none stated, or an election among candidates)"
    else:
        why = "nobody voted yea or nay"
    return Markup(
        f'<p class="threshold-chart-none" data-roll-call-id="{escape(row["roll_call_id"])}">'
        f"{escape(row['roll_call_id'])}: no chart, {why}.</p>"
    )
