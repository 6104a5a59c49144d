"""The README's generated sections, written from the code so they cannot drift from it.

As sqlite-utils does with cog: the data dictionary comes from the models, the views and
metadata.yml (the one home of every table, view and column description), the vocabularies from
votes/vocab.py, and the command reference from the click commands of votes/cli.py. Only the
text between `<!-- [[[generated: NAME]]] -->` and `<!-- [[[end]]] -->` is rewritten.

    python -m votes.readme           # rewrite README.md (make docs)
    python -m votes.readme --check   # exit 1 with a diff when README.md is stale (make docs-check)
"""

from __future__ import annotations

import argparse
import difflib
import html
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml
from sqlalchemy import Column, MetaData, create_engine, text
from sqlalchemy.dialects import sqlite

from votes import vocab
from votes.cli import cli
from votes.database import views
from votes.database.models import Base
from votes.paths import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
METADATA = PROJECT_ROOT / "metadata.yml"
HELP_WIDTH = 78  # what `votes COMMAND --help` prints in an 80-column terminal
MARKER = re.compile(
    r"(?P<start><!-- \[\[\[generated: (?P<name>[\w-]+)\]\]\] -->\n)"
    r"(?P<body>.*?)"
    r"(?P<end><!-- \[\[\[end\]\]\] -->)",
    re.DOTALL,
)
START = "<!-- [[[generated:"


class DocsError(Exception):
    """Something the README cannot be generated from: one problem a line."""


# ---- vocabularies ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """A vocabulary as the data dictionary shows it: each value's meaning, and where it is held.

    `columns` hold any of its values, and their metadata.yml descriptions name every value;
    `subsets` hold some of its values (override_outlook.action: vetoed or pocket_vetoed);
    `unrelated` columns share a name with one of those but hold something else
    (measures.kind is not a veto's kind).
    """

    title: str
    meanings: Mapping[str, str]
    columns: tuple[str, ...]
    subsets: tuple[str, ...] = ()
    note: Callable[[str], str] = lambda _value: ""
    unrelated: tuple[str, ...] = ()


def _published_as(option: str) -> str:
    raw = sorted(r for r, normalized in vocab.RAW_OPTIONS.items() if normalized == option)
    return f" Published as {', '.join(f'`{r}`' for r in raw)} (in any case)." if raw else ""


def _types_of(kind: str) -> str:
    codes = [code for code, t in vocab.MEASURE_TYPES.items() if t.kind == kind]
    return f" Types {', '.join(f'`{c}`' for c in codes)}."


VOCABULARIES: tuple[Vocabulary, ...] = (
    Vocabulary(
        "Chambers",
        vocab.CHAMBER_MEANINGS,
        (
            "measures.originating_chamber",
            "roll_calls.chamber",
            "roll_call_thresholds.chamber",
            "member_votes.chamber",
            "member_stats.chamber",
            "override_math.chamber",
            "threshold_math.chamber",
            "veto_overrides.originating_chamber",
            "veto_overrides.chamber",
            "veto_status.originating_chamber",
            "override_outlook.originating_chamber",
            "override_outlook.chamber",
            "party_breakdown.chamber",
            "party_defectors.chamber",
            "voter_sessions.chamber",
        ),
        note=lambda c: f" Its roll call ids begin with `{vocab.CHAMBER_LETTERS[c]}`.",
    ),
    Vocabulary(
        "Measure types",
        {code: t.meaning for code, t in vocab.MEASURE_TYPES.items()},
        ("measures.type",),
    ),
    Vocabulary(
        "Measure kinds",
        vocab.MEASURE_KIND_MEANINGS,
        ("measures.kind", "veto_status.kind"),
        note=_types_of,
        unrelated=("veto_records.kind", "vetoes.kind"),
    ),
    Vocabulary(
        "Vote categories",
        vocab.CATEGORY_MEANINGS,
        (
            "roll_calls.category",
            "roll_call_thresholds.category",
            "override_math.category",
            "threshold_math.category",
        ),
        ("override_outlook.category",),
    ),
    Vocabulary(
        "Thresholds",
        vocab.THRESHOLD_MEANINGS,
        (
            "roll_calls.requires",
            "roll_call_thresholds.requires",
            "override_math.requires",
            "threshold_math.requires",
        ),
    ),
    Vocabulary(
        "Roll call statuses",
        vocab.ROLL_CALL_STATUS_MEANINGS,
        (
            "roll_calls.status",
            "roll_call_thresholds.status",
            "override_math.status",
            "threshold_math.status",
        ),
        unrelated=("veto_status.status",),
    ),
    Vocabulary(
        "Vote options",
        vocab.OPTION_MEANINGS,
        ("vote_options.option", "member_votes.option"),
        ("party_defectors.option", "party_defectors.party_majority"),
        note=_published_as,
    ),
    Vocabulary(
        "Title sources",
        vocab.TITLE_SOURCE_MEANINGS,
        ("measures.title_source",),
    ),
    Vocabulary(
        "Veto kinds",
        vocab.VETO_KIND_MEANINGS,
        ("veto_records.kind", "vetoes.kind"),
        unrelated=("measures.kind", "veto_status.kind", "veto_counts.gap"),
    ),
    Vocabulary(
        "Veto outcomes",
        vocab.VETO_OUTCOME_MEANINGS,
        ("veto_records.outcome", "vetoes.outcome"),
        unrelated=("vote_outcomes.outcome", "veto_overrides.outcome"),
    ),
    Vocabulary(
        "Measure statuses",
        vocab.MEASURE_STATUS_MEANINGS,
        ("veto_status.status",),
        unrelated=(
            "roll_calls.status",
            "roll_call_thresholds.status",
            "override_math.status",
            "threshold_math.status",
        ),
    ),
    Vocabulary(
        "Search entries",
        vocab.SEARCH_ENTITY_MEANINGS,
        ("search_entries.entity",),
        ("search_entries.detail",),
    ),
    Vocabulary(
        "Presidential actions",
        vocab.ACTION_MEANINGS,
        ("presidential_actions.action",),
        ("veto_overrides.action", "override_outlook.action", "veto_status.president_action"),
        unrelated=("veto_status.status",),
    ),
)


# ---- the data dictionary ---------------------------------------------------------------------


def documented(path: Path = METADATA) -> dict[str, Any]:
    """metadata.yml's tables and views, each with its description and its columns'."""
    tables: dict[str, Any] = yaml.safe_load(path.read_text())["databases"]["votes"]["tables"]
    return tables


def cell(words: str) -> str:
    """Text for one cell of a Markdown table: one line, HTML-escaped, pipes escaped."""
    return html.escape(" ".join(words.split()), quote=False).replace("|", "\\|")


def _check_columns(name: str, actual: Sequence[str], entry: Mapping[str, Any] | None) -> list[str]:
    """The problems of one table's or view's entry in metadata.yml, one line each."""
    if entry is None or not str(entry.get("description") or "").strip():
        return [f"metadata.yml: {name}: no description"]
    columns = entry.get("columns") or {}
    problems = [f"metadata.yml: {name}.{c}: no description" for c in actual if not columns.get(c)]
    return problems + [
        f"metadata.yml: {name}.{c}: no such column" for c in columns if c not in actual
    ]


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise DocsError("\n".join(problems))


def _details(name: str, entry: Mapping[str, Any], header: str, rows: list[str]) -> str:
    """One table or view: its name and description, its columns in a table that folds away."""
    hidden = " (hidden in Datasette)" if entry.get("hidden") else ""
    summary = f"<code>{name}</code>{hidden}: {cell(entry['description'])}"
    return "\n".join(
        ["<details>", f"<summary>{summary}</summary>", "", header, *rows, "", "</details>"]
    )


def _column_type(column: Column[Any]) -> str:
    """`VARCHAR(24)`, primary key; `INTEGER`, references `sources.id`, nullable."""
    parts = [f"`{column.type.compile(dialect=sqlite.dialect())}`"]
    parts += ["primary key"] if column.primary_key else []
    parts += [f"references `{fk.target_fullname}`" for fk in column.foreign_keys]
    parts += ["nullable"] if column.nullable and not column.primary_key else []
    return ", ".join(parts)


def render_tables(metadata: MetaData, described: Mapping[str, Any]) -> str:
    """Every table of the models, with its columns' types and descriptions from metadata.yml."""
    problems = [
        problem
        for name, table in metadata.tables.items()
        for problem in _check_columns(name, list(table.columns.keys()), described.get(name))
    ]
    _raise_if(problems)
    header = "| column | type | description |\n|---|---|---|"
    blocks = [
        _details(
            name,
            described[name],
            header,
            [
                f"| `{c.name}` | {_column_type(c)} | {cell(described[name]['columns'][c.name])} |"
                for c in table.columns
            ],
        )
        for name, table in metadata.tables.items()
    ]
    return "\n\n".join(blocks)


def view_columns(metadata: MetaData) -> dict[str, list[str]]:
    """Each view's columns, read from the views created over the models in a SQLite memory db."""
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        metadata.create_all(connection)
        views.create_all(connection)
        return {
            name: [row[1] for row in connection.execute(text(f"PRAGMA table_info({name})"))]
            for name in views.names()
        }


def render_views(columns: Mapping[str, list[str]], described: Mapping[str, Any]) -> str:
    """Every view, in creation order, with its columns' descriptions from metadata.yml."""
    problems = [
        problem
        for name, names in columns.items()
        for problem in _check_columns(name, names, described.get(name))
    ]
    _raise_if(problems)
    header = "| column | description |\n|---|---|"
    blocks = [
        _details(
            name,
            described[name],
            header,
            [f"| `{c}` | {cell(described[name]['columns'][c])} |" for c in names],
        )
        for name, names in columns.items()
    ]
    return "\n\n".join(blocks)


def render_vocabulary(vocabulary: Vocabulary) -> str:
    """One vocabulary: the columns holding it, then each value with its meaning."""
    held = ", ".join(f"`{c}`" for c in vocabulary.columns)
    some = ", ".join(f"`{c}`" for c in vocabulary.subsets)
    where = f"Held in {held}" + (f"; some of its values in {some}." if some else ".")
    rows = [
        f"| `{value}` | {cell(meaning)}{vocabulary.note(value)} |"
        for value, meaning in vocabulary.meanings.items()
    ]
    return "\n".join(
        [f"#### {vocabulary.title}", "", where, "", "| value | meaning |", "|---|---|"] + rows
    )


def render_vocabularies(vocabularies: Sequence[Vocabulary] = VOCABULARIES) -> str:
    """Every vocabulary readers meet in a column, from votes/vocab.py."""
    return "\n\n".join(render_vocabulary(v) for v in vocabularies)


# ---- the command line ------------------------------------------------------------------------


def _undocumented(path: str, command: click.Command, ctx: click.Context) -> list[str]:
    """A command without help, or an option without help text."""
    problems = [] if command.help else [f"votes/cli.py: {path}: no help"]
    return problems + [
        f"votes/cli.py: {path} {param.opts[-1]}: no help"
        for param in command.get_params(ctx)
        if isinstance(param, click.Option) and not param.hidden and not param.help
    ]


def command_help(command: click.Command, ctx: click.Context) -> str:
    """What `votes ... --help` prints; a group lists its commands with their whole first line."""
    if not isinstance(command, click.Group):
        return command.get_help(ctx)
    formatter = ctx.make_formatter()
    command.format_usage(ctx, formatter)
    command.format_help_text(ctx, formatter)
    click.Command.format_options(command, ctx, formatter)  # its options, not the cut-short list
    rows = [(n, c.get_short_help_str(limit=1000)) for n, c in _commands(command)]
    with formatter.section("Commands"):
        formatter.write_dl(rows)
    return formatter.getvalue().rstrip("\n")


def _commands(group: click.Group) -> list[tuple[str, click.Command]]:
    """The group's visible commands, in the order they are defined."""
    return [(name, c) for name, c in group.commands.items() if not c.hidden]


def render_commands(group: click.Group, name: str = "votes") -> str:
    """The group's help, then each command's, as `--help` prints them at HELP_WIDTH columns."""
    root = click.Context(group, info_name=name, terminal_width=HELP_WIDTH)
    contexts = [(name, group, root)] + [
        (f"{name} {n}", c, click.Context(c, info_name=n, parent=root)) for n, c in _commands(group)
    ]
    _raise_if([p for path, c, ctx in contexts for p in _undocumented(path, c, ctx)])
    return "\n\n".join(
        f"### {path}\n\n```text\n{command_help(c, ctx)}\n```" for path, c, ctx in contexts
    )


# ---- the README ------------------------------------------------------------------------------


def sections() -> dict[str, str]:
    """Each generated section of the README by marker name, rendered from the code."""
    described = documented()
    source = "<!-- Written by `make docs` from {}: edit the sources, not this. -->\n"
    return {
        "tables": source.format("votes/database/models.py and metadata.yml")
        + render_tables(Base.metadata, described),
        "views": source.format("votes/database/sql/ and metadata.yml")
        + render_views(view_columns(Base.metadata), described),
        "vocabularies": source.format("votes/vocab.py") + render_vocabularies(),
        "commands": source.format("votes/cli.py") + render_commands(cli),
    }


def rewrite(readme: str, rendered: Mapping[str, str]) -> str:
    """The README with the text between each pair of markers replaced by its section."""
    found = [m["name"] for m in MARKER.finditer(readme)]
    problems = [
        f"README.md: no section {n!r} (no marker for it)" for n in rendered if n not in found
    ]
    problems += [f"README.md: unknown section {n!r}" for n in found if n not in rendered]
    problems += [f"README.md: section {n!r} twice" for n in set(found) if found.count(n) > 1]
    if readme.count(START) != len(found):
        problems.append("README.md: a generated section without its end marker")
    _raise_if(problems)
    return MARKER.sub(lambda m: f"{m['start']}{rendered[m['name']]}\n{m['end']}", readme)


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the README's generated sections, or with --check report (and diff) a stale one."""
    parser = argparse.ArgumentParser(prog="python -m votes.readme", description=__doc__)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    parser.add_argument("--readme", type=Path, default=README, help="the README to rewrite")
    args = parser.parse_args(argv)
    current = args.readme.read_text()
    try:
        fresh = rewrite(current, sections())
    except DocsError as e:
        print(e, file=sys.stderr)
        return 1
    if fresh == current:
        return 0
    if args.check:
        diff = difflib.unified_diff(
            current.splitlines(keepends=True),
            fresh.splitlines(keepends=True),
            f"{args.readme}",
            f"{args.readme} (generated)",
        )
        sys.stdout.writelines(diff)
        print(f"{args.readme} is stale: run `make docs`", file=sys.stderr)
        return 1
    args.readme.write_text(fresh)
    print(f"Rewrote the generated sections of {args.readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
