"""What the pages people read show beyond Datasette's own: a roll call's page names the vote
in its title ("S.J.Res. 68 (116th): On Overriding the Veto: Veto Sustained, 49-44"), draws it
against the threshold it needed and shows each party's split; a measure's page draws every vote
on it; a member's page shows their record congress by congress with links to every vote and its
CSV; and on every row page a foreign key reads as its label (the measure's citation, the
official record's address), not a number.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from datasette.database import Database
from datasette.utils import tilde_decode, tilde_encode
from markupsafe import Markup, escape

from votes.publish.charts import threshold_svg

# Each roll call on a page: its threshold arithmetic (threshold_math) and, for the second line
# of its chart, its two-thirds arithmetic (override_math), found by roll call or by measure.
CHART_ROWS = """
SELECT
    threshold_math.*,
    override_math.voting,
    override_math.two_thirds_needed,
    override_math.margin AS two_thirds_margin
FROM override_math
JOIN threshold_math ON threshold_math.roll_call_id = override_math.roll_call_id
WHERE override_math.{column} = :key
ORDER BY override_math.date, override_math.roll_call_id
"""
ROLL_CALL = """
SELECT
    roll_calls.id,
    roll_calls.question,
    roll_calls.result,
    measures.label,
    measures.type,
    measures.number,
    vote_counts.yea,
    vote_counts.nay
FROM roll_calls
LEFT JOIN measures ON measures.id = roll_calls.measure_id
LEFT JOIN vote_counts
    ON vote_counts.roll_call_id = roll_calls.id
    AND vote_counts.party = 'ALL'
WHERE roll_calls.id = :key
"""
PARTY_SPLIT = """
SELECT party, yea, nay, present, not_voting
FROM party_tallies
WHERE roll_call_id = :key
ORDER BY yea + nay + present + not_voting DESC, party
"""
MEMBER_STATS = """
SELECT
    congress,
    chamber,
    party,
    state,
    votes_eligible,
    missed_votes,
    missed_pct,
    party_votes,
    defections,
    with_party_pct,
    unity_votes,
    unity_pct
FROM member_stats
WHERE member_id = :key
ORDER BY congress IS NULL, congress, chamber
"""


@dataclass
class RowPage:
    """What a row page adds to Datasette's: a title, charts, tables and links."""

    title: str = ""
    charts: list[Markup] = field(default_factory=list)
    party_split: list[dict[str, Any]] = field(default_factory=list)
    member_stats: list[dict[str, Any]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


async def row_page(datasette: Any, database: str, table: str | None, pks: str) -> RowPage:
    """The additions to the row page of a roll call, a measure or a member."""
    db = datasette.get_database(database)
    key = tilde_decode(pks)
    if table == "roll_calls":
        return await roll_call_page(datasette, db, key)
    if table == "measures" and key.isdigit():
        return await measure_page(db, int(key))
    if table == "members":
        return await member_page(datasette, db, key)
    return RowPage()


async def charts(db: Database, column: str, key: Any) -> list[Markup]:
    if not await db.table_exists("threshold_math"):
        return []
    result = await db.execute(CHART_ROWS.format(column=column), {"key": key})
    return [threshold_svg(dict(row)) for row in result.rows]


def vote_title(vote: dict[str, Any]) -> str:
    """ "S.J.Res. 68 (116th): On Overriding the Veto: Veto Sustained, 49-44": the measure, the
    question up to where it repeats the citation (the Senate's "... S.J.Res. 68", the House's
    "On Passage: S J RES 68 To direct ..."), the result and the official tally."""
    question = vote["question"]
    if vote["label"]:
        question = before_citation(question, vote["label"].rsplit(" (", 1)[0])
    tally = f", {vote['yea']}-{vote['nay']}" if vote["yea"] is not None else ""
    measure = f"{vote['label']}: " if vote["label"] else ""
    return f"{measure}{question}: {vote['result']}{tally}"


def before_citation(question: str, cited: str) -> str:
    """The question up to the citation ("S.J.Res. 68", or the House's "S J RES 68") it repeats;
    the whole question when it starts with it or never gives it."""
    house = " ".join(cited.replace(".", " ").upper().split())
    found = [i for i in (question.find(cited), question.upper().find(house)) if i > 0]
    return question[: min(found)].rstrip(" :") if found else question


async def roll_call_page(datasette: Any, db: Database, vote_id: str) -> RowPage:
    found = (await db.execute(ROLL_CALL, {"key": vote_id})).rows
    if not found:
        return RowPage()
    split = await db.execute(PARTY_SPLIT, {"key": vote_id})
    return RowPage(
        title=vote_title(dict(found[0])),
        charts=await charts(db, "roll_call_id", vote_id),
        party_split=[dict(r) for r in split.rows],
        links=roll_call_links(datasette, db.name, vote_id),
    )


ROLL_CALL_VIEWS = (
    ("Every member's position", "member_votes", "_facet=party&_facet=option"),
    ("Each party: the member roll beside the official party row", "party_breakdown", ""),
    ("Members who voted against their own party", "party_defectors", "_facet=party"),
)


def roll_call_links(datasette: Any, database: str, vote_id: str) -> list[tuple[str, str]]:
    """A roll call's member roll and party views, filtered to it."""
    query = urllib.parse.urlencode({"roll_call_id": vote_id})
    return [
        (label, f"{datasette.urls.table(database, view)}?{query}" + (f"&{extra}" if extra else ""))
        for label, view, extra in ROLL_CALL_VIEWS
    ]


async def measure_page(db: Database, measure_id: int) -> RowPage:
    found = (await db.execute("SELECT label, title FROM measures WHERE id = ?", [measure_id])).rows
    if not found:
        return RowPage()
    label, title = found[0]
    return RowPage(
        title=f"{label}: {title}" if title else label,
        charts=await charts(db, "measure_id", measure_id),
    )


async def member_page(datasette: Any, db: Database, member_id: str) -> RowPage:
    found = (await db.execute("SELECT name FROM members WHERE id = ?", [member_id])).rows
    if not found:
        return RowPage()
    stats = [dict(r) for r in (await db.execute(MEMBER_STATS, {"key": member_id})).rows]
    career = stats[-1] if stats and stats[-1]["congress"] is None else None
    held = f" ({career['party']}, {career['state']})" if career else ""
    return RowPage(
        title=f"{found[0][0]}{held}",
        member_stats=stats,
        links=member_links(datasette, db.name, member_id),
    )


# The words that find the war-powers resolutions (member_votes_on_subject in metadata.yml).
WAR_POWERS = "Armed Forces hostilities"


def member_links(datasette: Any, database: str, member_id: str) -> list[tuple[str, str]]:
    """Every vote of a member, as a page and a CSV; their defections; a comparison."""
    by_member = urllib.parse.urlencode({"member_id": member_id})
    votes = datasette.urls.table(database, "member_votes")
    return [
        ("Every vote, newest first", f"{votes}?{by_member}&_facet=congress&_facet=option"),
        ("Every vote as CSV", f"{votes}.csv?{by_member}&_stream=on&_dl=1"),
        (
            "Votes on war-powers resolutions (or any subject), with each threshold and result",
            f"{datasette.urls.table(database, 'member_votes_on_subject')}?"
            + urllib.parse.urlencode({"member": member_id, "words": WAR_POWERS}),
        ),
        (
            "Votes against their own party",
            f"{datasette.urls.table(database, 'party_defectors')}?{by_member}&_facet=congress",
        ),
        (
            "How often they agreed with another member",
            f"{datasette.urls.table(database, 'member_agreement')}?"
            + urllib.parse.urlencode({"a": member_id, "b": "", "congress": ""}),
        ),
    ]


# ---- a foreign key on a row page: its label, not its number ---------------------------------

FOREIGN_KEYS: dict[tuple[str, str], dict[str, str]] = {}


async def foreign_keys(db: Database, table: str) -> dict[str, str]:
    """column -> the table it refers to (read once per table and database file)."""
    key = (str(db.path), table)
    if key not in FOREIGN_KEYS:
        found = await db.foreign_keys_for_table(table)
        FOREIGN_KEYS[key] = {fk["column"]: fk["other_table"] for fk in found}
    return FOREIGN_KEYS[key]


async def labelled(datasette: Any, database: str, table: str, column: str, value: Any) -> Any:
    """A foreign key as its label, linked to its row; a source as the official record's address,
    linked to that record. None for any other cell (Datasette shows it)."""
    db = datasette.get_database(database)
    other = (await foreign_keys(db, table)).get(column)
    if other is None or value is None:
        return None
    raw = value["value"] if isinstance(value, dict) else value
    if other == "sources":
        url = await _source_url(db, value, raw)
        return Markup(f'<a href="{escape(url)}">{escape(url)}</a>') if url else None
    if isinstance(value, dict):
        return None  # a table page: Datasette expands it with its label itself
    label_column = await db.label_column_for_table(other)
    if not label_column:
        return None
    pk = (await db.primary_keys(other) or ["rowid"])[0]
    sql = f"SELECT [{label_column}] FROM [{other}] WHERE [{pk}] = ?"
    found = (await db.execute(sql, [raw])).rows
    if not found:
        return None
    href = datasette.urls.row(database, other, tilde_encode(str(raw)))
    return Markup(f'<a href="{escape(href)}">{escape(found[0][0])}</a>')


async def _source_url(db: Database, value: Any, raw: Any) -> str:
    """A source's address: on a table page Datasette has expanded it already (the label column
    of sources is its url, metadata.yml), so no query a row; on a row page, one query."""
    if isinstance(value, dict) and value.get("label"):
        return str(value["label"])
    found = (await db.execute("SELECT url FROM sources WHERE id = ?", [raw])).rows
    return str(found[0][0]) if found else ""


# ---- the database page ---------------------------------------------------------------------

# From the stored party totals (a few ms), not the congress's 600,000 positions in member_votes
# (half a second, near the time limit on a busy server).
EXAMPLE_SQL = """SELECT party, SUM(yea) AS yea, SUM(nay) AS nay, SUM(present) AS present,
    SUM(not_voting) AS not_voting
FROM party_breakdown
WHERE congress = 118
GROUP BY party
ORDER BY party"""


def database_page(datasette: Any, database: str | None) -> dict[str, Any]:
    """Each table's and view's description, the views metadata.yml hides, and the SQL a
    reader starts from (a question a congress answers, not the first table's rows)."""
    tables = ((datasette.metadata("databases") or {}).get(database or "") or {}).get("tables") or {}
    return {
        "descriptions": {
            name: " ".join(str(t.get("description", "")).split()) for name, t in tables.items()
        },
        "hidden_views": [name for name, t in tables.items() if t.get("hidden")],
        "example_sql": EXAMPLE_SQL,
    }
