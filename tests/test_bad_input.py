"""The bad-input matrix (issue 14, item 3): every input the project reads, made bad in the ways
an attacker or an unlucky operator would, run through the real command line.

Each case asserts the promise: exactly one error line, `Error: FILE:RECORD: message`, naming
the input file (or URL) and the record; exit status 1; no traceback; and every database file
and every data/ file byte for byte as it was (sha256), with no file left behind.

One small database is built per module (data/ alone) and copied for each case. Commands run in
this process (click's CliRunner, catch_exceptions=False: an exception that escapes fails the
test), reading with -j 0; a few run as a real subprocess with reader processes.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import sqlite3
import tarfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import QuietHandler, build_curated, copy_data, edit_csv, http_server, votes_cli
from tests.mirror import CONGRESS_119, ROLL_240, Mirror, serving
from votes.cli import cli
from votes.importers.feeds import Target
from votes.importers.fetch import Cache, Client, Manners

FIXTURES = Path(__file__).with_name("fixtures")
VOTE_JSON = FIXTURES / "upstream" / "s84" / "data.json"  # s84-116.2020
BILL_JSON = FIXTURES / "upstream" / "bills" / "116_sjres68_data.json"
BILL_STATUS = FIXTURES / "billstatus" / "BILLSTATUS-114sjres8.xml"
HOUSE_XML = FIXTURES / "official-xml" / "house_roll_2025_240.xml"
SENATE_XML = FIXTURES / "official-xml" / "senate_vote_119_1_00618.xml"
HUGE = "1234567890123456789012345"  # a 25-digit number: overflows every database's integer
SMALL_CAP = {"VOTES_MAX_INPUT_MB": "0.5"}  # 500,000 bytes: above every fixture
SHORT_DEADLINE = {"VOTES_URL_DEADLINE": "1.5"}
FAST_UPDATE = ["--delay", "0", "--timeout", "2", "--retries", "0", "--backoff", "0"]


# ---- the workspace of one case -------------------------------------------------------------


@dataclass
class Work:
    """One case's files: a copy of the small database and of data/ (both watched), a folder
    for the bad inputs (not watched), and the local server's URL."""

    root: Path
    server: str
    db: Path = field(init=False)
    data: Path = field(init=False)
    inputs: Path = field(init=False)

    def __post_init__(self) -> None:
        self.db = self.root / "watched" / "votes.db"
        self.data = self.root / "watched" / "data"
        self.inputs = self.root / "inputs"
        self.inputs.mkdir()

    def file(self, name: str, body: bytes | str) -> Path:
        path = self.inputs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body.encode() if isinstance(body, str) else body)
        return path

    def import_(self, *sources: str | Path) -> list[str]:
        return ["import", *map(str, sources), "--db", str(self.db), "-j", "0"]

    def build(self) -> list[str]:
        return ["build", "--only-curated", "--data-dir", str(self.data), "--db", str(self.db)]

    def record(self, *sources: str | Path) -> list[str]:
        return ["record", *map(str, sources), "--data-dir", str(self.data)]


@dataclass(frozen=True)
class Expect:
    """What a case runs and what its one error line must say."""

    args: list[str]
    file: str  # the input named first on the line
    says: str  # a fragment of the message
    record: str | None = None  # the record named, when the case knows it
    env: dict[str, str] = field(default_factory=dict)


Case = Callable[[Work], Expect]
CASES: dict[str, Case] = {}


def case(function: Case) -> Case:
    CASES[function.__name__] = function
    return function


# ---- mutations of the real files -------------------------------------------------------------


def vote(**changes: object) -> str:
    """s84-116.2020 with some fields changed (vote_id kept in step unless changed)."""
    doc = json.loads(VOTE_JSON.read_text())
    doc |= changes
    if "vote_id" not in changes:
        doc["vote_id"] = f"s{doc['number']}-{doc['congress']}.{doc['session']}"
    return json.dumps(doc)


def replaced(path: Path, old: str, new: str) -> str:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    return text.replace(old, new, 1)


def tar_xz(path: Path, members: dict[str, bytes], mode: str = "w:xz") -> Path:
    with tarfile.open(path, mode) as archive:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return path


# ---- uscongress vote JSON --------------------------------------------------------------------


@case
def vote_json_not_json(w: Work) -> Expect:
    f = w.file("v.json", '{"vote_id": "s84-116.2020", "number": ')
    return Expect(w.import_(f), str(f), "not valid JSON", "-")


@case
def vote_json_25_digit_roll_number(w: Work) -> Expect:
    f = w.file("v.json", vote(number=int(HUGE)))
    return Expect(w.import_(f), str(f), "roll-call number 1234567890123456789012345 is outside")


@case
def vote_json_congress_zero(w: Work) -> Expect:
    f = w.file("v.json", vote(congress=0))
    return Expect(w.import_(f), str(f), "congress 0 is outside 1..200", "s84-0.2020")


@case
def vote_json_year_before_congress(w: Work) -> Expect:
    f = w.file("v.json", vote(session="1500"))
    return Expect(w.import_(f), str(f), "year 1500 is outside 1789..2100", "s84-116.1500")


@case
def vote_json_missing_votes(w: Work) -> Expect:
    doc = json.loads(vote())
    del doc["votes"]
    f = w.file("v.json", json.dumps(doc))
    return Expect(w.import_(f), str(f), "missing key 'votes'", "s84-116.2020")


@case
def vote_json_unknown_option(w: Work) -> Expect:
    doc = json.loads(vote())
    doc["votes"]["Maybe"] = doc["votes"].pop("Yea")
    f = w.file("v.json", json.dumps(doc))
    return Expect(w.import_(f), str(f), "Maybe", "s84-116.2020")


@case
def vote_json_member_twice(w: Work) -> Expect:
    doc = json.loads(vote())
    doc["votes"]["Nay"].append(doc["votes"]["Yea"][0])
    f = w.file("v.json", json.dumps(doc))
    return Expect(w.import_(f), str(f), "is listed twice", "s84-116.2020")


@case
def vote_json_votes_retyped(w: Work) -> Expect:
    f = w.file("v.json", vote(votes=["Yea"]))
    return Expect(w.import_(f), str(f), "votes: not an object", "s84-116.2020")


@case
def vote_json_tally_disagrees(w: Work) -> Expect:
    f = w.file("v.json", vote(result_text="Veto Sustained (99-0, 2/3 majority required)"))
    return Expect(w.import_(f), str(f), "the official result says 99-0", "s84-116.2020")


@case
def vote_json_nested_too_deeply(w: Work) -> Expect:
    f = w.file("v.json", '{"vote_id": ' + "[" * 200_000 + "]" * 200_000 + "}")
    return Expect(w.import_(f), str(f), "nested too deeply", "-")


@case
def vote_json_not_utf8(w: Work) -> Expect:
    f = w.file("v.json", vote().encode().replace(b"Sustained", b"Sus\xfftained"))
    return Expect(w.import_(f), str(f), "not valid JSON", "-")


# ---- uscongress bill JSON --------------------------------------------------------------------


def bill(**changes: object) -> str:
    return json.dumps(json.loads(BILL_JSON.read_text()) | changes)


@case
def bill_json_unknown_type(w: Work) -> Expect:
    f = w.file("b.json", bill(bill_type="xx"))
    return Expect(w.import_(f), str(f), "unknown bill type 'xx'", "xx68-116")


@case
def bill_json_25_digit_roll(w: Work) -> Expect:
    doc = json.loads(bill())
    next(a for a in doc["actions"] if a.get("how") == "roll")["roll"] = HUGE
    f = w.file("b.json", json.dumps(doc))
    return Expect(w.import_(f), str(f), "roll-call number", "sjres68-116")


@case
def bill_json_congress_not_a_number(w: Work) -> Expect:
    f = w.file("b.json", bill(congress="abc"))
    return Expect(w.import_(f), str(f), "invalid literal", "sjres68-abc")


@case
def bill_json_measure_number_huge(w: Work) -> Expect:
    f = w.file("b.json", bill(number=HUGE))
    return Expect(w.import_(f), str(f), "measure number", f"sjres{HUGE}-116")


@case
def bill_json_error_names_the_input_not_data(w: Work) -> Expect:
    """`votes record` of a bad bill file names the bill file, not data/."""
    f = w.file("b.json", bill(enacted_as={"law_type": "weird", "congress": 116, "number": 1}))
    return Expect(w.record(f), str(f), "unknown law type 'weird'", "sjres68-116")


@case
def bill_json_record_problem_names_the_input(w: Work) -> Expect:
    """A problem the merged data/ shows in the rows a bill file makes names the bill file."""
    doc = json.loads(bill(bill_type="sres", number="999"))
    doc["actions"] = [a for a in doc["actions"] if a.get("type") == "topresident"]
    f = w.file("b.json", json.dumps(doc))
    return Expect(w.record(f), str(f), "never presented to the President", "sres999-116")


# ---- GPO Bill Status XML ---------------------------------------------------------------------


@case
def bill_status_truncated(w: Work) -> Expect:
    f = w.file("BILLSTATUS.xml", BILL_STATUS.read_bytes()[:5000])
    return Expect(w.import_(f), str(f), "not well-formed XML", "-")


@case
def bill_status_unknown_version(w: Work) -> Expect:
    body = replaced(BILL_STATUS, "<billStatus>", "<billStatus><version>9.9.9</version>")
    f = w.file("BILLSTATUS.xml", body)
    return Expect(w.import_(f), str(f), "unknown Bill Status schema version '9.9.9'")


@case
def bill_status_25_digit_roll(w: Work) -> Expect:
    f = w.file("BILLSTATUS.xml", replaced(BILL_STATUS, "<rollNumber>172", f"<rollNumber>{HUGE}"))
    return Expect(w.import_(f), str(f), "roll-call number", "sjres8-114")


@case
def bill_status_entity_bomb(w: Work) -> Expect:
    body = (
        '<?xml version="1.0"?><!DOCTYPE billStatus [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><billStatus>&b;</billStatus>'
    )
    f = w.file("BILLSTATUS.xml", body)
    return Expect(w.import_(f), str(f), "unsafe XML refused", "-")


@case
def bill_status_congress_zero(w: Work) -> Expect:
    body = replaced(BILL_STATUS, "<congress>114</congress>", "<congress>0</congress>")
    f = w.file("BILLSTATUS.xml", body)
    return Expect(w.import_(f), str(f), "congress 0 is outside")


# ---- House Clerk XML -------------------------------------------------------------------------


@case
def house_xml_25_digit_roll(w: Work) -> Expect:
    f = w.file("roll.xml", replaced(HOUSE_XML, "<rollcall-num>240<", f"<rollcall-num>{HUGE}<"))
    return Expect(w.import_(f), str(f), "roll-call number", f"h{HUGE}-119.2025")


@case
def house_xml_congress_999(w: Work) -> Expect:
    f = w.file("roll.xml", replaced(HOUSE_XML, "<congress>119<", "<congress>999<"))
    return Expect(w.import_(f), str(f), "congress 999 is outside", "h240-999.3785")


@case
def house_xml_totals_disagree(w: Work) -> Expect:
    text = HOUSE_XML.read_text()
    totals = re.search(r"<totals-by-vote>.*?<yea-total>(\d+)</yea-total>", text, re.S)
    assert totals is not None
    start = totals.start(1)
    f = w.file("roll.xml", text[:start] + "999" + text[totals.end(1) :])
    return Expect(w.import_(f), str(f), "does not match the official totals", "h240-119.2025")


@case
def house_xml_unknown_session(w: Work) -> Expect:
    f = w.file("roll.xml", replaced(HOUSE_XML, "<session>1st<", "<session>4th<"))
    return Expect(w.import_(f), str(f), "unknown <session> '4th'", "-")


@case
def house_xml_rollcall_not_a_number(w: Work) -> Expect:
    f = w.file("roll.xml", replaced(HOUSE_XML, "<rollcall-num>240<", "<rollcall-num>²<"))
    return Expect(w.import_(f), str(f), "<rollcall-num> is not a number", "-")


# ---- Senate LIS XML --------------------------------------------------------------------------


@case
def senate_xml_25_digit_roll(w: Work) -> Expect:
    f = w.file("vote.xml", replaced(SENATE_XML, "<vote_number>618<", f"<vote_number>{HUGE}<"))
    return Expect(w.import_(f), str(f), "roll-call number", f"s{HUGE}-119.2025")


@case
def senate_xml_year_not_a_year(w: Work) -> Expect:
    body = replaced(SENATE_XML, "<congress_year>2025<", "<congress_year>abcd<")
    f = w.file("vote.xml", body)
    return Expect(w.import_(f), str(f), "<congress_year> is not a year", "-")


@case
def senate_xml_year_3000(w: Work) -> Expect:
    body = replaced(SENATE_XML, "<congress_year>2025<", "<congress_year>3000<")
    f = w.file("vote.xml", body)
    return Expect(w.import_(f), str(f), "year 3000 is outside", "s618-119.3000")


@case
def senate_xml_session_zero(w: Work) -> Expect:
    f = w.file("vote.xml", replaced(SENATE_XML, "<session>1<", "<session>0<"))
    return Expect(w.import_(f), str(f), "session number 0 is outside 1..3", "-")


@case
def senate_xml_count_disagrees(w: Work) -> Expect:
    f = w.file("vote.xml", re.sub(r"<yeas>\d+</yeas>", "<yeas>99</yeas>", SENATE_XML.read_text()))
    return Expect(w.import_(f), str(f), "does not match the official count", "s618-119.2025")


@case
def senate_xml_no_members(w: Work) -> Expect:
    body = re.sub(
        r"<members>.*</members>", "<members></members>", SENATE_XML.read_text(), flags=re.S
    )
    f = w.file("vote.xml", body)
    return Expect(w.import_(f), str(f), "no <member> in <members>", "s618-119.2025")


# ---- archives and directories ----------------------------------------------------------------


@case
def archive_empty(w: Work) -> Expect:
    f = tar_xz(w.inputs / "empty.tar.xz", {})
    return Expect(w.import_(f), str(f), "no record file", "-")


@case
def archive_nothing_readable(w: Work) -> Expect:
    f = tar_xz(w.inputs / "notes.tar.gz", {"a/README.txt": b"hello"}, mode="w:gz")
    return Expect(w.import_(f), str(f), "nothing to import", "-")


@case
def archive_zip_nothing_readable(w: Work) -> Expect:
    f = w.inputs / "notes.zip"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("notes.txt", "hello")
    return Expect(w.import_(f), str(f), "nothing to import", "-")


@case
def archive_truncated(w: Work) -> Expect:
    whole = tar_xz(w.inputs / "whole.tar.xz", {"s84/data.json": VOTE_JSON.read_bytes()})
    f = w.file("cut.tar.xz", whole.read_bytes()[:-200])
    whole.unlink()
    return Expect(w.import_(f), f"{f}:s84/data.json", "damaged archive (EOFError", "-")


@case
def archive_not_an_archive(w: Work) -> Expect:
    f = w.file("votes.zip", b"PK\x03\x04 not really a zip")
    return Expect(w.import_(f), str(f), "damaged archive", "-")


@case
def archive_member_inflates_past_cap(w: Work) -> Expect:
    f = tar_xz(w.inputs / "bomb.tar.xz", {"a/data.json": b"{" + b" " * 2_000_000 + b"}"})
    assert f.stat().st_size < 2000  # a small file that inflates to 2 MB
    return Expect(w.import_(f), f"{f}:a/data.json", "larger than 500,000 bytes", "-", SMALL_CAP)


@case
def archive_zip_member_inflates_past_cap(w: Work) -> Expect:
    f = w.inputs / "bomb.zip"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a/data.json", b" " * 2_000_000)
    return Expect(w.import_(f), f"{f}:a/data.json", "larger than 500,000 bytes", "-", SMALL_CAP)


@case
def archive_path_traversal(w: Work) -> Expect:
    name = "../../etc/data.json"
    f = tar_xz(w.inputs / "climb.tar.xz", {name: VOTE_JSON.read_bytes()})
    return Expect(w.import_(f), f"{f}:{name}", "outside the archive's tree", "-")


@case
def archive_absolute_member(w: Work) -> Expect:
    f = w.inputs / "absolute.zip"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr(zipfile.ZipInfo("/tmp/data.json"), VOTE_JSON.read_bytes())
    return Expect(w.import_(f), f"{f}:/tmp/data.json", "outside the archive's tree", "-")


@case
def archive_with_a_bad_member(w: Work) -> Expect:
    f = tar_xz(w.inputs / "votes.tar.xz", {"s84/data.json": vote(congress=0).encode()})
    return Expect(w.import_(f), f"{f}:s84/data.json", "congress 0 is outside", "s84-0.2020")


@case
def directory_empty(w: Work) -> Expect:
    (w.inputs / "empty").mkdir()
    return Expect(w.import_(w.inputs / "empty"), str(w.inputs / "empty"), "no record file", "-")


@case
def file_past_cap(w: Work) -> Expect:
    f = w.file("big.json", vote(question="x" * 600_000))
    return Expect(w.import_(f), str(f), "larger than 500,000 bytes", "-", SMALL_CAP)


@case
def cap_not_a_number(w: Work) -> Expect:
    return Expect(
        w.import_(VOTE_JSON),
        "VOTES_MAX_INPUT_MB",
        "not a positive number",
        "-",
        {"VOTES_MAX_INPUT_MB": "lots"},
    )


# ---- data/ and the curated files (votes build --only-curated) -----------------------------------


def data_case(w: Work, name: str, old: str, new: str, says: str, record: str | None) -> Expect:
    """One hand edit of a data/ file; `record` "LINE" names the line of the edit."""
    text = (w.data / f"{name}.csv").read_text()
    line = text[: text.index(old) + len(old) - len(old.lstrip("\n"))].count("\n") + 1
    edit_csv(w.data, name, old, new)
    named = f"line {line}" if record == "LINE" else record
    return Expect(w.build(), str(w.data / f"{name}.csv"), says, named)


@case
def data_stray_quote(w: Work) -> Expect:
    return data_case(w, "roll_calls", ",passage,", ',"passage,', "not readable CSV", "LINE")


@case
def data_quote_running_on(w: Work) -> Expect:
    return data_case(w, "members", "\nA000", '\n"A000', "not readable CSV", "LINE")


@case
def data_wrong_header(w: Work) -> Expect:
    return data_case(w, "vote_counts", "not_voting", "absent", "columns must be", "header")


@case
def data_too_many_values(w: Work) -> Expect:
    return data_case(w, "roll_calls", ",passage,", ",passage,x,", "17 values, not 16", "LINE")


@case
def data_bad_int(w: Work) -> Expect:
    return data_case(
        w, "vote_counts", "h33-116.2020,ALL,", "h33-116.2020,ALL,1x", "yea: invalid value", None
    )


@case
def data_25_digit_roll_number(w: Work) -> Expect:
    return data_case(
        w,
        "roll_calls",
        "h33-116.2020,house,116,2020,33,",
        f"h33-116.2020,house,116,2020,{HUGE},",
        "roll-call number 1234567890123456789012345 is outside",
        "h33-116.2020",
    )


@case
def data_congress_out_of_range(w: Work) -> Expect:
    return data_case(
        w,
        "roll_calls",
        "h33-116.2020,house,116,",
        "h33-116.2020,house,999,",
        "congress 999 is outside 1..200",
        "h33-116.2020",
    )


@case
def data_unknown_category(w: Work) -> Expect:
    return data_case(
        w, "roll_calls", ",passage,", ",pasage,", "category: invalid value 'pasage'", None
    )


@case
def data_duplicate_key(w: Work) -> Expect:
    text = (w.data / "members.csv").read_text().splitlines()
    edit_csv(w.data, "members", text[1], f"{text[1]}\n{text[1]}")
    return Expect(w.build(), str(w.data / "members.csv"), "duplicate record", text[1].split(",")[0])


@case
def data_not_utf8(w: Work) -> Expect:
    path = w.data / "members.csv"
    path.write_bytes(path.read_bytes().replace(b"A000", b"A\xff00", 1))
    return Expect(w.build(), str(path), "not UTF-8", "-")


@case
def data_unknown_veto_outcome(w: Work) -> Expect:
    return data_case(w, "vetoes", ",sustained_senate,", ",won,", "outcome: invalid value", None)


@case
def data_veto_count_huge(w: Work) -> Expect:
    lines = (w.data / "official_veto_counts.csv").read_text().splitlines()
    name, regular, pocket, total, *rest = next(csv_row for csv_row in _csv(lines[1:]))
    new = ",".join(_quoted([name, regular, pocket, HUGE, *rest]))
    edit_csv(w.data, "official_veto_counts", lines[1], new)
    return Expect(w.build(), str(w.data / "official_veto_counts.csv"), "veto count", name)


@case
def data_line_break_in_value(w: Work) -> Expect:
    return data_case(
        w, "roll_calls", ",Passed,Passed,", ',"Pass\ned",Passed,', "runs on to line", "LINE"
    )


def _csv(lines: list[str]) -> Iterator[list[str]]:
    import csv

    yield from csv.reader(lines)


def _quoted(values: list[str]) -> list[str]:
    return [f'"{v}"' if "," in v or '"' in v else v for v in values]


# ---- votes record: nothing insane is written to data/ ------------------------------------------


@case
def record_25_digit_roll_number(w: Work) -> Expect:
    f = w.file("v.json", vote(number=int(HUGE)))
    return Expect(w.record(f), str(f), "roll-call number", f"s{HUGE}-116.2020")


@case
def record_nothing_readable(w: Work) -> Expect:
    f = tar_xz(w.inputs / "empty.tar.xz", {})
    return Expect(w.record(f), str(f), "nothing to import", "-")


@case
def record_bad_data_file(w: Work) -> Expect:
    edit_csv(w.data, "sources", "\n", '\n"', 1)
    return Expect(w.record(VOTE_JSON), str(w.data / "sources.csv"), "not readable CSV")


# ---- URLs ------------------------------------------------------------------------------------


class Hostile(QuietHandler):
    """The fixtures, plus answers a hostile or broken server gives."""

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        answer = HOSTILE.get(self.path.split("?")[0])
        if answer is None:
            super().do_GET()
        else:
            answer(self)


def _send(handler: SimpleHTTPRequestHandler, body: bytes, kind: str, declared: bool = True) -> None:
    """A 200 answer; undeclared: no Content-Length (HTTP/1.0: the body ends when it closes)."""
    handler.send_response(200)
    handler.send_header("Content-Type", kind)
    if declared:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _trickle(handler: SimpleHTTPRequestHandler) -> None:
    """One byte every 0.5 s: each read is quick, the whole never comes."""
    body = VOTE_JSON.read_bytes()
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    try:
        for byte in body:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.5)
    except OSError:  # the client has gone, as it should
        return


def _redirect_loop(handler: SimpleHTTPRequestHandler) -> None:
    handler.send_response(302)
    handler.send_header("Location", "/loop")
    handler.send_header("Content-Length", "0")
    handler.end_headers()


HOSTILE: dict[str, Callable[[SimpleHTTPRequestHandler], None]] = {
    "/500": lambda h: h.send_error(500),
    "/trickle.json": _trickle,
    "/big.json": lambda h: _send(h, b"{" + b" " * 1_000_000 + b"}", "application/json"),
    "/undeclared.json": lambda h: _send(h, b" " * 1_000_000, "application/json", False),
    "/image.png": lambda h: _send(h, b"\x89PNG\r\n\x1a\n" + bytes(500), "image/png"),
    "/page.xml": lambda h: _send(
        h, b"<!DOCTYPE html><html><body>Not here</body></html>", "text/html"
    ),
    "/loop": _redirect_loop,
    "/insane.json": lambda h: _send(h, vote(number=int(HUGE)).encode(), "application/json"),
}


@case
def url_404(w: Work) -> Expect:
    url = f"{w.server}/missing.json"
    return Expect(w.import_(url), url, "HTTP 404", "-")


@case
def url_500(w: Work) -> Expect:
    url = f"{w.server}/500"
    return Expect(w.import_(url), url, "HTTP 500", "-")


@case
def url_trickles_past_the_deadline(w: Work) -> Expect:
    url = f"{w.server}/trickle.json"
    return Expect(
        w.import_(url), url, "timed out: no whole answer within 1.5 s", "-", SHORT_DEADLINE
    )


@case
def url_body_over_the_cap(w: Work) -> Expect:
    url = f"{w.server}/big.json"
    return Expect(w.import_(url), url, "larger than 500,000 bytes", "-", SMALL_CAP)


@case
def url_undeclared_body_over_the_cap(w: Work) -> Expect:
    url = f"{w.server}/undeclared.json"
    return Expect(w.import_(url), url, "larger than 500,000 bytes (500,001 or more", "-", SMALL_CAP)


@case
def url_wrong_content_type(w: Work) -> Expect:
    url = f"{w.server}/image.png"
    return Expect(w.import_(url), url, "not a roll-call or bill file", "-")


@case
def url_html_page(w: Work) -> Expect:
    url = f"{w.server}/page.xml"
    return Expect(w.import_(url), url, "an HTML page", "-")


@case
def url_redirect_loop(w: Work) -> Expect:
    url = f"{w.server}/loop"
    return Expect(w.import_(url), url, "infinite loop", "-")


@case
def url_unreachable(w: Work) -> Expect:
    url = "http://127.0.0.1:1/vote.json"
    return Expect(w.import_(url), url, "cannot fetch", "-")


@case
def url_insane_record(w: Work) -> Expect:
    url = f"{w.server}/insane.json"
    return Expect(w.import_(url), url, "roll-call number", f"s{HUGE}-116.2020")


# ---- --db ------------------------------------------------------------------------------------


def db_case(w: Work, db: str, says: str, command: str = "import") -> Expect:
    args = w.import_(VOTE_JSON) if command == "import" else w.build()
    args[args.index("--db") + 1] = db
    return Expect(args, db, says, "-")


@case
def db_in_missing_directory(w: Work) -> Expect:
    return db_case(w, str(w.root / "watched" / "nowhere" / "votes.db"), "no such directory")


@case
def db_sqlite_url_in_missing_directory(w: Work) -> Expect:
    db = w.root / "watched" / "nowhere" / "votes.db"
    args = w.import_(VOTE_JSON)
    args[args.index("--db") + 1] = f"sqlite:///{db}"
    return Expect(args, str(db), "no such directory", "-")


@case
def db_unrelated_sqlite_file(w: Work) -> Expect:
    other = w.root / "watched" / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    return db_case(w, str(other), "not a votes database (no alembic_version)")


@case
def db_build_onto_unrelated_sqlite_file(w: Work) -> Expect:
    other = w.root / "watched" / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    return db_case(w, str(other), "not a votes database", command="build")


@case
def db_text_file(w: Work) -> Expect:
    text = w.root / "watched" / "notes.db"
    text.write_text("not a database\n" * 100)
    return db_case(w, str(text), "not a votes database")


@case
def db_unknown_revision(w: Work) -> Expect:
    with sqlite3.connect(w.db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff0000'")
    return db_case(w, str(w.db), "unknown revision 'ffff0000'")


@case
def db_unsupported_scheme(w: Work) -> Expect:
    return db_case(w, "mysql://user@127.0.0.1/votes", "unsupported database 'mysql'")


@case
def db_unreachable_postgresql(w: Work) -> Expect:
    return db_case(w, "postgresql+psycopg://user@127.0.0.1:1/votes", "connection")


# ---- votes update ----------------------------------------------------------------------------


@case
def update_db_in_missing_directory(w: Work) -> Expect:
    """Said before anything is fetched (the feeds here are a port nothing listens on)."""
    db = str(w.root / "watched" / "nowhere" / "votes.db")
    args = ["update", "--db", db, "--cache", str(w.inputs / "cache"), "--congress", "119"]
    nowhere = "http://127.0.0.1:1"
    feeds = ["--house-url", nowhere, "--senate-url", nowhere, "--billstatus-url", nowhere]
    return Expect([*args, *feeds, *FAST_UPDATE], db, "no such directory", "-")


# ---- running the cases -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database of data/ alone, built once for every case (each case works on a copy)."""
    db = tmp_path_factory.mktemp("bad-input") / "votes.db"
    build_curated(db)
    return db


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with http_server(FIXTURES, Hostile) as url:
        yield url


@pytest.fixture
def work(tmp_path: Path, small_db: Path, server: str) -> Work:
    w = Work(tmp_path, server)
    w.db.parent.mkdir()
    shutil.copyfile(small_db, w.db)
    shutil.copytree(copy_data(tmp_path / "data-source"), w.data)
    return w


def digests(directory: Path) -> dict[str, str]:
    """sha256 of every file below a directory (every database and data/ file of a case); lock
    files a writer may leave beside its target are not the record."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


ERROR_LINE = re.compile(r"Error: (?P<rest>.+)")


def check_one_line(stderr: str, expect: Expect) -> None:
    """Exactly one line, `Error: FILE:RECORD: message`, naming the input and the record."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    match = ERROR_LINE.fullmatch(lines[0])
    assert match, lines[0]
    prefix = f"{expect.file}:"
    assert match["rest"].startswith(prefix), f"{lines[0]!r} does not name {expect.file}"
    record, _, message = match["rest"][len(prefix) :].partition(": ")
    assert record and ":" not in record.replace("line ", ""), lines[0]
    if expect.record is not None:
        assert record == expect.record, lines[0]
    assert expect.says in message, lines[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_line_and_changes_nothing(name: str, work: Work) -> None:
    expect = CASES[name](work)
    before = digests(work.root / "watched")
    result = CliRunner().invoke(cli, expect.args, env=expect.env, catch_exceptions=False)
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.stdout == ""
    check_one_line(result.stderr, expect)
    assert digests(work.root / "watched") == before


def test_the_matrix_is_wide() -> None:
    """Issue 14 asks for at least 40 cases, across every input the project reads."""
    kinds = {name.split("_")[0] for name in CASES}
    print(f"\nbad-input matrix: {len(CASES)} cases over {len(kinds)} inputs: {sorted(kinds)}")
    assert len(CASES) >= 40
    assert {"vote", "bill", "house", "senate", "archive", "data", "url", "db", "record"} <= kinds


# ---- through a real process, with reader processes -----------------------------------------


@pytest.mark.parametrize(
    "name",
    ["vote_json_25_digit_roll_number", "archive_member_inflates_past_cap", "data_stray_quote"],
)
def test_real_process_with_readers(name: str, work: Work, monkeypatch: pytest.MonkeyPatch) -> None:
    """The installed `votes` command with its reader processes (-j 2) says the same one line."""
    expect = CASES[name](work)
    args = [a for a in expect.args if a not in ("-j", "0")] + ["-j", "2"]
    for key, value in expect.env.items():
        monkeypatch.setenv(key, value)
    before = digests(work.root / "watched")
    result = votes_cli(*args)
    assert result.returncode == 1, result.stderr
    check_one_line(result.stderr, expect)
    assert digests(work.root / "watched") == before


# ---- votes update: a served file that is bad ------------------------------------------------


@pytest.mark.parametrize("what", ["insane_roll_number", "hang"])
def test_update_refuses_a_bad_served_file(what: str, work: Work) -> None:
    """The House's roll call 240 served with a 25-digit roll number, or hanging past the
    deadline: one error line naming its URL, exit 1. A refused file leaves the database as it
    was; a file that could not be fetched is asked for next run, and the Senate's vote the
    mirror serves is written meanwhile (`votes update` as designed), but never roll call 240."""
    mirror = Mirror.of(CONGRESS_119)
    body = mirror.body(ROLL_240).replace(b"<rollcall-num>240<", f"<rollcall-num>{HUGE}<".encode())
    if what == "insane_roll_number":
        mirror.put(ROLL_240, body)
    else:
        mirror.script(ROLL_240, 5.0)  # a hang longer than the deadline
    env = SHORT_DEADLINE if what == "hang" else {}
    before = digests(work.root / "watched")
    with serving(mirror):
        args = ["update", "--db", str(work.db), "--cache", str(work.inputs / "cache")]
        args += ["--congress", "119", *mirror.options(), *FAST_UPDATE, "--timeout", "30"]
        result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    url = f"{mirror.url}{ROLL_240}"
    assert errors[0].startswith(f"Error: {url}:"), errors[0]
    assert ("roll-call number" if what != "hang" else "timed out") in errors[0]
    if what == "hang":
        with sqlite3.connect(work.db) as connection:
            query = "SELECT count(*) FROM roll_calls WHERE chamber = 'house' AND congress = 119"
            assert connection.execute(query).fetchone() == (0,)
    else:
        assert digests(work.root / "watched") == before


def test_update_fetches_within_the_deadline(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`votes update`'s client gives up on a server trickling one byte every 0.5 s at the
    deadline, though no single read waits as long as its time-out (30 s)."""
    monkeypatch.setenv("VOTES_URL_DEADLINE", "1.5")
    client = Client(Cache(tmp_path / "cache"), Manners(delay=0, timeout=30, retries=0))
    started = time.monotonic()
    outcome = client.get(Target(f"{server}/trickle.json", "records/trickle.json"))
    assert time.monotonic() - started < 5
    assert outcome.status == "failed"
    assert outcome.detail == "timed out: no whole answer within 1.5 s (VOTES_URL_DEADLINE) (1 try)"
    assert not (tmp_path / "cache" / "records").exists()


def test_update_refuses_a_body_over_the_cap(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap holds for `votes update` too, whether the server declares the length or not."""
    monkeypatch.setenv("VOTES_MAX_INPUT_MB", "0.5")
    (tmp_path / "cache").mkdir()
    client = Client(Cache(tmp_path / "cache"), Manners(delay=0, timeout=5, retries=0))
    for path in ("/big.json", "/undeclared.json"):
        outcome = client.get(Target(f"{server}{path}", f"records{path}"))
        assert outcome.status == "failed"
        assert outcome.detail.startswith("larger than 500,000 bytes"), outcome.detail
    assert not (tmp_path / "cache" / "records").exists()
