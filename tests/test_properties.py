"""Property-based tests (issue 14, item 4): real files, mutated as hypothesis chooses (fields
and elements dropped, duplicated, retyped and reordered; bytes corrupted), and read by the
importers and by data/'s reader and validator.

The property: each input either gives records that pass validation (the checks every road
runs: votes.normalized, votes.record.checks, the derivation), or is refused with the project's
own RecordError, one line naming the input. Nothing else escapes.

Deterministic and bounded: derandomized, no example database written into the checkout, a
fixed number of examples. Each test prints what it tried and how each example ended.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from votes.database.derive import CodeBook, derive_bill
from votes.database.pipeline import TITLE_SOURCE_BY_PUBLISHER
from votes.errors import RecordError
from votes.importers import inputs
from votes.normalized import BillRecord, RollCallRecord
from votes.record import checks, datafiles, validate
from votes.record.read import read_tables
from votes.vocab import CONGRESSES, MEASURE_NUMBERS, MEMBER_COUNTS, ROLL_NUMBERS, YEARS

FIXTURES = Path(__file__).with_name("fixtures")
SOURCES = {
    "vote JSON": FIXTURES / "upstream" / "s84" / "data.json",
    "bill JSON": FIXTURES / "upstream" / "bills" / "116_sjres68_data.json",
    "Bill Status XML": FIXTURES / "billstatus" / "BILLSTATUS-114sjres8.xml",
    "House XML": FIXTURES / "official-xml" / "house_roll_2025_240.xml",
    "Senate XML": FIXTURES / "official-xml" / "senate_vote_119_1_00618.xml",
}
# Examples per format (about 3 s each on an idle core); VOTES_PROPERTY_EXAMPLES asks for more,
# and VOTES_PROPERTY_SEED for other examples, when hunting (CI runs the fixed default).
EXAMPLES = int(os.environ.get("VOTES_PROPERTY_EXAMPLES", "150"))
DATA_EXAMPLES = EXAMPLES // 4  # data/ is read and validated whole each time (about 0.2 s)
SEED = os.environ.get("VOTES_PROPERTY_SEED")
BOUNDED = settings(
    max_examples=EXAMPLES,
    derandomize=SEED is None,  # the same examples on every run, in CI and here
    database=None,  # nothing written into the checkout
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=False,
)
# Values a field is retyped to: other types, empty, huge, negative, not ASCII, markup.
TEXTS = ["", "0", "-1", "1234567890123456789012345", "1.5", "²", "abc", "null", "<b>", "Yea"]
VALUES: list[Any] = [None, True, 0, -1, 10**25, 1.5, "", "x", [], {}, [1, 2], {"a": 1}, *TEXTS]

Path_ = tuple[Any, ...]
seeded = seed(int(SEED)) if SEED else (lambda f: f)
TALLY: dict[str, Counter[str]] = {}


# ---- what the importers must do with whatever they are given -------------------------------


def outcome(origin: str, data: bytes) -> str:
    """How one input ends: "accepted" (valid records), "refused" (one RecordError line naming
    the input), or an assertion error. Any other exception escapes and fails the test."""
    try:
        record = inputs.parse(origin, data)
    except RecordError as e:
        assert_one_line(e, origin)
        return "refused"
    if isinstance(record, RollCallRecord):
        return _roll_call_outcome(record, origin)
    assert isinstance(record, BillRecord)
    assert record.measure.congress in CONGRESSES and record.measure.number in MEASURE_NUMBERS
    for ref in record.recorded_votes:
        assert ref.congress in CONGRESSES and ref.number in ROLL_NUMBERS
    derive_bill(record, TITLE_SOURCE_BY_PUBLISHER[record.source.publisher])
    return "accepted"


def _roll_call_outcome(record: RollCallRecord, origin: str) -> str:
    """A roll call the importer accepted: sane numbers, and the derivation and checks every
    road runs either pass or name problems (which `votes import` reports, one line each)."""
    assert record.congress in CONGRESSES and record.number in ROLL_NUMBERS
    assert int(record.session) in YEARS
    assert all(getattr(c, n) in MEMBER_COUNTS for c in record.counts for n in ("yea", "nay"))
    problems = checks.problems(CodeBook().derive(record))
    for p in problems:
        assert_one_line(RecordError(origin, p.record, p.message), origin)
    return "refused by checks" if problems else "accepted"


def assert_one_line(e: RecordError, origin: str) -> None:
    line = str(e)
    assert "\n" not in line and "\r" not in line, line
    assert line.startswith(f"{origin}:"), line
    assert e.message.strip(), line


# ---- mutations of a JSON document ----------------------------------------------------------


def json_paths(doc: Any, at: Path_ = ()) -> list[Path_]:
    """Every place in a document: each key of an object, each item of an array."""
    found = [at]
    items = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    )
    for key, value in items:
        found += json_paths(value, (*at, key))
    return found


def _parent(doc: Any, path: Path_) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


def mutate_json(doc: Any, draw: Callable[[st.SearchStrategy[Any]], Any]) -> Any:
    """One mutation at one place: drop, duplicate, retype or reorder."""
    paths = [p for p in json_paths(doc) if p]
    path = draw(st.sampled_from(paths))
    parent, key = _parent(doc, path), path[-1]
    action = draw(st.sampled_from(["drop", "duplicate", "retype", "reorder"]))
    if action == "drop":
        del parent[key]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
    elif action == "duplicate":  # the value again under another key of the object
        parent[draw(st.sampled_from(sorted(map(str, parent))))] = copy.deepcopy(parent[key])
    elif action == "retype":
        parent[key] = draw(st.sampled_from(VALUES))
    elif isinstance(parent[key], list):
        parent[key] = draw(st.permutations(parent[key]))
    elif isinstance(parent[key], dict):
        order = draw(st.permutations(sorted(parent[key])))
        parent[key] = {k: parent[key][k] for k in order}
    return doc


# ---- mutations of an XML document ----------------------------------------------------------


def mutate_xml(root: ET.Element, draw: Callable[[st.SearchStrategy[Any]], Any]) -> ET.Element:
    """One mutation of one element: drop, duplicate, retype (its text or an attribute) or
    reorder its children."""
    parents = {child: parent for parent in root.iter() for child in parent}
    element = draw(st.sampled_from(list(root.iter())))
    parent = parents.get(element)
    action = draw(st.sampled_from(["drop", "duplicate", "retype", "reorder"]))
    if action == "drop" and parent is not None:
        parent.remove(element)
    elif action == "duplicate" and parent is not None:
        parent.insert(list(parent).index(element), copy.deepcopy(element))
    elif action == "retype" and element.attrib and draw(st.booleans()):
        element.set(draw(st.sampled_from(sorted(element.attrib))), draw(st.sampled_from(TEXTS)))
    elif action == "retype":
        element.text = draw(st.sampled_from(TEXTS))
    elif len(element):
        children = list(element)
        for child in children:
            element.remove(child)
        element.extend(draw(st.permutations(children)))
    return root


# ---- byte corruption -----------------------------------------------------------------------


def corrupt(data: bytes, draw: Callable[[st.SearchStrategy[Any]], Any]) -> bytes:
    """Flip, delete or insert a few bytes, or cut the file short."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(["flip", "delete", "insert", "cut"]))
        if action == "flip" and data:
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        elif action == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)) :]
        elif action == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        else:
            data = data[:at]
    return data


# ---- the properties ------------------------------------------------------------------------


def mutated(name: str, draw: Callable[[st.SearchStrategy[Any]], Any]) -> bytes:
    """A real file with 1-3 structural mutations, then (sometimes) corrupted bytes."""
    raw = SOURCES[name].read_bytes()
    if name.endswith("JSON"):
        doc = json.loads(raw)
        for _ in range(draw(st.integers(1, 3))):
            if json_paths(doc)[1:]:
                doc = mutate_json(doc, draw)
        data = json.dumps(doc).encode()
    else:
        root = ET.fromstring(raw)
        for _ in range(draw(st.integers(1, 3))):
            root = mutate_xml(root, draw)
        data = ET.tostring(root, encoding="utf-8")
    return corrupt(data, draw) if draw(st.booleans()) else data


def record_figures(kind: str, result: str) -> None:
    TALLY.setdefault(kind, Counter())[result] += 1


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_an_importer_accepts_valid_records_or_refuses_in_one_line(name: str) -> None:
    TALLY.pop(name, None)

    @BOUNDED
    @given(st.data())
    @seeded
    def check(data: st.DataObject) -> None:
        body = mutated(name, data.draw)
        record_figures(name, outcome(f"mutated/{SOURCES[name].name}", body))

    check()
    figures = TALLY[name]
    print(f"\n{name}: {sum(figures.values())} examples: {dict(figures)}")
    assert figures["refused"] > 0  # the mutations bite: a test that cannot fail is a defect
    assert sum(figures.values()) >= EXAMPLES


def test_the_unmutated_files_are_accepted() -> None:
    """The starting point of every mutation is a record each importer accepts."""
    for name, path in SOURCES.items():
        assert outcome(str(path), path.read_bytes()) == "accepted", name


# ---- data/ -----------------------------------------------------------------------------------

DATA_FILES = ["roll_calls", "vote_counts", "positions", "vetoes", "measures"]


def mutate_csv(text: str, draw: Callable[[st.SearchStrategy[Any]], Any]) -> str:
    """Drop, duplicate, retype or reorder rows and values of a CSV text, or corrupt it."""
    lines = text.split("\n")
    row = draw(st.integers(0, len(lines) - 2))  # any line but the empty one after the last
    action = draw(st.sampled_from(["drop", "duplicate", "retype", "reorder", "swap", "bytes"]))
    if action == "drop":
        del lines[row]
    elif action == "duplicate":
        lines.insert(row, lines[row])
    elif action == "retype":
        values = lines[row].split(",")
        values[draw(st.integers(0, len(values) - 1))] = draw(st.sampled_from([*TEXTS, '"', "a,b"]))
        lines[row] = ",".join(values)
    elif action == "reorder":
        lines = [lines[0], *draw(st.permutations(lines[1:-1])), lines[-1]]
    elif action == "swap":  # two columns swapped in every line, the header too
        width = lines[0].count(",") + 1
        a, b = draw(st.integers(0, width - 1)), draw(st.integers(0, width - 1))
        lines = [_swapped(line, a, b) for line in lines]
    else:
        return corrupt(text.encode(), draw).decode("utf-8", "replace")
    return "\n".join(lines)


def _swapped(line: str, a: int, b: int) -> str:
    values = line.split(",")
    if max(a, b) < len(values):
        values[a], values[b] = values[b], values[a]
    return ",".join(values)


def data_outcome(data_dir: Path) -> str:
    """data/ read and validated: refused (every problem one RecordError line naming a file of
    data/), or valid records with sane numbers."""
    try:
        checked = validate.check(read_tables(data_dir), data_dir)
    except RecordError as e:
        assert_one_line(e, str(datafiles.path(_file_of(e), data_dir)))
        return "refused on reading"
    for problem in checked.problems:
        assert "\n" not in str(problem), str(problem)
        assert problem.file.endswith(".csv"), str(problem)
    if checked.problems:
        return "refused by validation"
    for roll in checked.curated.roll_calls:
        assert roll.congress in CONGRESSES and roll.number in ROLL_NUMBERS
    return "accepted"


def _file_of(e: RecordError) -> str:
    return Path(e.file).stem


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("properties") / "data"
    shutil.copytree(datafiles.DATA_DIR, target, ignore=shutil.ignore_patterns("upstream"))
    return target


def test_data_files_validate_or_refuse_in_one_line_per_problem(data_copy: Path) -> None:
    originals = {n: datafiles.path(n, data_copy).read_text() for n in DATA_FILES}
    TALLY.pop("data/", None)

    @settings(BOUNDED, max_examples=DATA_EXAMPLES)
    @given(st.sampled_from(DATA_FILES), st.data())
    @seeded
    def check(name: str, data: st.DataObject) -> None:
        path = datafiles.path(name, data_copy)
        path.write_text(mutate_csv(originals[name], data.draw))
        try:
            record_figures("data/", data_outcome(data_copy))
        finally:
            path.write_text(originals[name])

    check()
    figures = TALLY["data/"]
    print(f"\ndata/ CSV: {sum(figures.values())} examples: {dict(figures)}")
    assert figures["refused on reading"] + figures["refused by validation"] > 0
