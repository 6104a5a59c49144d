"""The README's generated sections (votes/readme.py): current, complete, and true to the code."""

from __future__ import annotations

import copy
import difflib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from sqlalchemy import CheckConstraint, Column, Integer, MetaData, Table

from votes import readme, vocab
from votes.cli import cli
from votes.database import views
from votes.database.models import Base
from votes.readme import VOCABULARIES, DocsError, Vocabulary

README = readme.README
DESCRIBED = readme.documented()


def _diff(old: str, new: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), "old", "new"))


# ---- the README is current -------------------------------------------------------------------


def test_readme_is_current() -> None:
    current = README.read_text()
    fresh = readme.rewrite(current, readme.sections())
    assert fresh == current, "README.md is stale: run `make docs`\n" + _diff(current, fresh)


@pytest.mark.parametrize("name", list(cli.commands))
def test_readme_shows_what_votes_help_prints(name: str) -> None:
    votes = Path(sys.executable).with_name("votes")
    env = {**os.environ, "COLUMNS": "80"}
    result = subprocess.run(
        [str(votes), name, "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert f"### votes {name}\n\n```text\n{result.stdout}```" in README.read_text()


def test_the_command_reference_is_the_same_in_any_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    usual = readme.render_commands(cli)
    for columns in ("40", "200"):
        monkeypatch.setenv("COLUMNS", columns)
        assert readme.render_commands(cli) == usual


# ---- a change to the code without docs fails -------------------------------------------------


def _with_build_option(option: click.Option) -> click.Group:
    """`votes` as it would be with one more option on `votes build` (cli itself is untouched)."""
    build = cli.commands["build"]
    changed = click.Command(
        "build", params=[*build.params, option], help=build.help, callback=build.callback
    )
    return click.Group("votes", commands={**cli.commands, "build": changed}, help=cli.help)


def test_a_new_option_makes_the_readme_stale() -> None:
    group = _with_build_option(click.Option(["--example-flag"], is_flag=True, help="Curated only."))
    rendered = readme.sections()
    rendered["commands"] = readme.render_commands(group)
    current = README.read_text()
    fresh = readme.rewrite(current, rendered)
    assert re.search(r"\n  --example-flag +Curated only\.\n", fresh)
    assert fresh != current


def test_an_option_or_command_without_help_is_refused() -> None:
    group = _with_build_option(click.Option(["--example-flag"], is_flag=True))
    group.add_command(click.Command("update", callback=lambda: None))
    with pytest.raises(DocsError) as raised:
        readme.render_commands(group)
    assert str(raised.value).splitlines() == [
        "votes/cli.py: votes build --example-flag: no help",
        "votes/cli.py: votes update: no help",
    ]


def _models_plus(*columns: tuple[str, Column[Any]]) -> MetaData:
    """A copy of the models' tables, with extra columns, and a new table."""
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    for name, column in columns:
        metadata.tables[name].append_column(column)
    return metadata


def test_a_model_column_or_table_without_description_is_refused() -> None:
    metadata = _models_plus(("roll_calls", Column("turnout", Integer)))
    Table("recusals", metadata, Column("id", Integer, primary_key=True))
    with pytest.raises(DocsError) as raised:
        readme.render_tables(metadata, DESCRIBED)
    assert str(raised.value).splitlines() == [
        "metadata.yml: roll_calls.turnout: no description",
        "metadata.yml: recusals: no description",
    ]


def test_a_described_column_that_is_gone_is_refused() -> None:
    described = copy.deepcopy(DESCRIBED)
    described["roll_calls"]["columns"]["turnout"] = "Share of members voting."
    with pytest.raises(DocsError, match=r"^metadata.yml: roll_calls.turnout: no such column$"):
        readme.render_tables(Base.metadata, described)


def test_a_view_column_without_description_is_refused() -> None:
    described = copy.deepcopy(DESCRIBED)
    del described["veto_overrides"]["columns"]["margin"]
    described["party_defectors"]["columns"]["party_present"] = ""
    columns = readme.view_columns(Base.metadata)
    with pytest.raises(DocsError) as raised:
        readme.render_views(columns, described)
    assert str(raised.value).splitlines() == [
        "metadata.yml: veto_overrides.margin: no description",
        "metadata.yml: party_defectors.party_present: no such column",
    ]


def test_view_columns_come_from_the_views_sql() -> None:
    columns = readme.view_columns(Base.metadata)
    assert columns["vote_outcomes"] == ["roll_call_id", "result", "outcome"]
    assert list(columns) == list(views.names())


# ---- vocabularies: every value has its meaning, and metadata.yml lists every value ------------


def test_each_vocabulary_is_its_meanings() -> None:
    assert vocab.CHAMBERS == tuple(vocab.CHAMBER_MEANINGS)
    assert vocab.MEASURE_KINDS == tuple(vocab.MEASURE_KIND_MEANINGS)
    assert vocab.CATEGORIES == tuple(vocab.CATEGORY_MEANINGS)
    assert vocab.THRESHOLDS == tuple(vocab.THRESHOLD_MEANINGS)
    assert vocab.ROLL_CALL_STATUSES == tuple(vocab.ROLL_CALL_STATUS_MEANINGS)
    assert vocab.OPTIONS == tuple(vocab.OPTION_MEANINGS)
    assert vocab.ACTION_KINDS == tuple(vocab.ACTION_MEANINGS)
    assert "unknown" in vocab.THRESHOLDS
    for vocabulary in VOCABULARIES:
        assert all(m.strip() for m in vocabulary.meanings.values()), vocabulary.title


def _checked_vocabularies() -> dict[str, tuple[str, ...]]:
    """Each column the models hold to a vocabulary (a CHECK constraint), with its values."""
    checked = {}
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            match = re.fullmatch(r"(\w+) IN \((.*)\)", str(getattr(constraint, "sqltext", "")))
            if isinstance(constraint, CheckConstraint) and match:
                values = tuple(re.findall(r"'([^']*)'", match[2]))
                checked[f"{table.name}.{match[1]}"] = values
    return checked


def test_every_column_checked_against_a_vocabulary_is_documented_with_it() -> None:
    checked = _checked_vocabularies()
    assert {"roll_calls.requires", "vote_options.option", "measures.type"} <= set(checked)
    for column, values in checked.items():
        held = [v for v in VOCABULARIES if column in v.columns]
        assert [tuple(v.meanings) for v in held] == [values], column


def _named(description: str, value: str) -> bool:
    """Whether a description names a value as a word ("passage", not "passage-suspension")."""
    return re.search(rf"(?<![\w/-]){re.escape(value)}(?![\w/-])", description) is not None


def _columns_described() -> dict[str, str]:
    return {
        f"{name}.{column}": str(text)
        for name, entry in DESCRIBED.items()
        for column, text in (entry.get("columns") or {}).items()
    }


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.title)
def test_metadata_names_every_value_where_it_lists_a_vocabulary(vocabulary: Vocabulary) -> None:
    described = _columns_described()
    assert set(vocabulary.columns + vocabulary.subsets) <= set(described), vocabulary.title
    for column in vocabulary.columns:
        missing = [v for v in vocabulary.meanings if not _named(described[column], v)]
        assert not missing, f"metadata.yml: {column} leaves out {missing}"
    for column in vocabulary.subsets:
        assert any(_named(described[column], v) for v in vocabulary.meanings), column


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.title)
def test_no_column_holds_or_lists_a_vocabulary_unnoticed(vocabulary: Vocabulary) -> None:
    """A column named like one holding the vocabulary, or whose description names all of it but
    one value at most, must be declared, so that the test above checks it (or declared to hold
    something else, `unrelated`: veto_status.status names presidential actions among its own)."""
    declared = set(vocabulary.columns + vocabulary.subsets)
    names = {column.split(".")[1] for column in declared}
    enough = max(2, len(vocabulary.meanings) - 1)
    for column, description in _columns_described().items():
        named = [v for v in vocabulary.meanings if _named(description, v)]
        listed = len(named) >= enough or column.split(".")[1] in names
        assert column in declared or column in vocabulary.unrelated or not listed, (
            f"metadata.yml: {column} holds or lists {vocabulary.title} ({named}): declare it in "
            "votes/readme.py VOCABULARIES"
        )


def test_the_enumeration_checks_can_fail() -> None:
    """The thresholds as metadata.yml listed them before "unknown" was added are caught."""
    assert not _named("Threshold as published: 1/2, 2/3, 3/5 or QUORUM.", "unknown")
    assert _named("Threshold as published: 1/2, 2/3, 3/5, QUORUM, or unknown.", "unknown")
    assert not _named("passage-suspension", "passage")


# ---- markers and the command -----------------------------------------------------------------

SAMPLE = """# Title
prose kept
<!-- [[[generated: a]]] -->
old a
<!-- [[[end]]] -->
more prose
<!-- [[[generated: b]]] -->
<!-- [[[end]]] -->
tail
"""


def test_rewrite_changes_only_the_text_between_markers() -> None:
    assert readme.rewrite(SAMPLE, {"a": "new a\nline 2", "b": "B"}) == SAMPLE.replace(
        "old a\n", "new a\nline 2\n"
    ).replace("<!-- [[[generated: b]]] -->\n", "<!-- [[[generated: b]]] -->\nB\n")


def test_rewrite_refuses_missing_unknown_twice_or_unended_sections() -> None:
    text = SAMPLE + "".join(
        f"<!-- [[[generated: {name}]]] -->\n<!-- [[[end]]] -->\n" for name in ("a", "c")
    )
    with pytest.raises(DocsError) as raised:
        readme.rewrite(text + "<!-- [[[generated: e]]] -->\n", {"a": "", "b": "", "d": ""})
    assert str(raised.value).splitlines() == [
        "README.md: no section 'd' (no marker for it)",
        "README.md: unknown section 'c'",
        "README.md: section 'a' twice",
        "README.md: a generated section without its end marker",
    ]


def _module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "votes.readme", *args], capture_output=True, text=True, timeout=120
    )


def test_check_fails_with_a_diff_and_writing_makes_it_current(tmp_path: Path) -> None:
    stale = tmp_path / "README.md"
    current = README.read_text()
    stale.write_text(current.replace("| `1/2` | A simple majority", "| `1/2` | A majority", 1))
    result = _module("--check", "--readme", str(stale))
    assert result.returncode == 1
    assert "-| `1/2` | A majority" in result.stdout
    assert "+| `1/2` | A simple majority" in result.stdout
    assert result.stderr == f"{stale} is stale: run `make docs`\n"
    assert stale.read_text() != current
    assert _module("--readme", str(stale)).returncode == 0
    assert stale.read_text() == current
    again = _module("--check", "--readme", str(stale))
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
