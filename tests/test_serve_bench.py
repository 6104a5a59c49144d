"""benchmarks/serve_bench.py: the pages it can run alone, and the analyst's question in its two
forms side by side (the slow form against member_votes, the documented fast one over
party_breakdown), each a page of its own."""

from __future__ import annotations

import importlib.util
import sys
import urllib.parse
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "serve_bench.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("serve_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def sql_of(path: str) -> str:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["sql"][0]


def test_only_the_pages_asked_for_are_run(bench: ModuleType) -> None:
    assert list(bench.chosen(bench.PAGES, None)) == list(bench.PAGES)
    csvs = bench.chosen(bench.PAGES, ["csv"])
    assert list(csvs) == [name for name in bench.PAGES if name.startswith("CSV")]
    both = bench.chosen(bench.PAGES, ["a member", "party_breakdown"])
    assert "member_votes: a member" in both and bench.FAST_FORM in both
    plain = bench.baseline_pages(Path("full.db"), csvs)
    assert all(path.startswith("/full/") for path in plain.values())
    assert "CSV: a stored query (ours)" not in plain
    with pytest.raises(SystemExit):
        bench.chosen(bench.PAGES, ["no such page"])


def test_the_analysts_question_is_timed_in_both_forms(bench: ModuleType) -> None:
    """Two pages, next to each other: member_votes as an analyst writes it, and the form
    README and metadata.yml document over party_breakdown."""
    names = list(bench.PAGES)
    assert names.index(bench.FAST_FORM) == names.index(bench.SLOW_FORM) + 1
    slow, fast = (sql_of(bench.PAGES[name]) for name in (bench.SLOW_FORM, bench.FAST_FORM))
    assert "FROM member_votes WHERE congress = 118 GROUP BY party" in slow
    assert fast == (
        "SELECT party, SUM(yea) AS yea, SUM(nay) AS nay FROM party_breakdown "
        "WHERE congress = 118 GROUP BY party"
    )
    got = bench.Figures()
    assert bench.both_forms(got) == ""
    for elapsed in (480.0, 490.0):
        got.record(bench.SLOW_FORM, elapsed, 200, b"{}")
    got.record(bench.FAST_FORM, 7.0, 200, b"{}")
    line = bench.both_forms(got)
    assert "member_votes p50 485.0 / p95 490.0 ms" in line
    assert "party_breakdown p50 7.0 / p95 7.0 ms" in line


def test_the_list_is_held_to_100_ms_and_the_member_votes_form_to_the_time_limit(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    """The documented form is a page of the list (100 ms); the member_votes form is printed
    beside it and counted over target only past Datasette's time limit (1 s)."""
    pages = {name: bench.PAGES[name] for name in ("member page", bench.SLOW_FORM, bench.FAST_FORM)}
    got = bench.Figures()
    got.record("member page", 120.0, 200, b"")
    got.record(bench.SLOW_FORM, 700.0, 200, b"{}")
    got.record(bench.FAST_FORM, 7.0, 200, b"{}")
    bench.report("run", pages, got, 1.0)
    out = capsys.readouterr().out
    assert "over target (p95 100 ms; also timed: 1 s): 1 of 3 pages: member page\n" in out
    assert out.index("also timed") < out.index(bench.SLOW_FORM)
    got.record(bench.SLOW_FORM, 1200.0, 200, b"{}")
    bench.report("run", pages, got, 1.0)
    assert f"2 of 3 pages: member page, {bench.SLOW_FORM}\n" in capsys.readouterr().out
