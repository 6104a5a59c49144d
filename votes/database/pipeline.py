"""Loading a database: `votes build` (the record in data/ and the shipped archives) and
`votes import` (files, trees, archives, URLs), by one road.

Reader processes read and parse (decompress, JSON or XML), derive each roll call's rows
(votes.database.derive) and check them (votes.record.checks); this process writes them through
the one writer, into SQLite or PostgreSQL (votes.database.targets). Bill records (GPO Bill Status,
unitedstates/congress bill JSON) go the same way: their measures and the President's actions as
they come, the roll calls they list linked once every vote is written. Votes travel in chunks,
dealt round-robin to the readers and collected in the same order, so a database is the same
whatever the number of readers. Every problem found is reported, and then nothing is written:
the database is exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import traceback
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from votes.database import reconcile, summaries, targets
from votes.database.derive import (
    Code,
    CodeBook,
    DerivedBill,
    DerivedVote,
    action_row,
    carried_text_row,
    derive_bill,
    derive_measure,
    official_veto_count_row,
    source_row,
    veto_row,
)
from votes.database.writer import Summary, Writer
from votes.errors import RecordError, RecordErrors
from votes.importers import billstatus, inputs, uscongress_bill
from votes.importers.archives import InputFile
from votes.normalized import BillRecord, RollCallRecord
from votes.paths import DATA_DIR, UPSTREAM_DIR
from votes.progress import Progress
from votes.record import checks

if TYPE_CHECKING:
    from votes.record.validate import Checked

CHUNK = 250  # votes per message between processes
PR_SET_PDEATHSIG = 1  # linux/prctl.h
MAX_PROBLEMS = 1000  # problems reported at the most; the count of the rest is said
# Which road a bill record's title came by (vocab.TITLE_SOURCES), by its publisher.
TITLE_SOURCE_BY_PUBLISHER = {
    billstatus.PUBLISHER: "bill_status",
    uscongress_bill.PUBLISHER: "bill_json",
}


@dataclass
class Batch:
    """A chunk of consecutive source files, as one reader read them."""

    chunk: int
    reader: int
    votes: list[DerivedVote] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    problems: list[RecordError] = field(default_factory=list)
    bills: list[DerivedBill] = field(default_factory=list)
    done: float = 0.0  # fraction of the input read


def shipped_archives() -> list[str]:
    """The upstream archives shipped in data/upstream/, in order."""
    return [str(p) for p in sorted(UPSTREAM_DIR.glob("*.tar.xz"))]


def build(
    db: str | Path,
    data_dir: Path = DATA_DIR,
    archives: Sequence[str] | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Summary:
    """A fresh database of the record in data/ and the archives (by default the shipped ones);
    where a vote is in both, data/'s copy is kept. The curated vetoes are then checked against
    every roll call of the database. On any problem `db` is left as it was."""
    archives = shipped_archives() if archives is None else list(archives)
    return _run(db, archives, jobs, progress, fresh=True, data_dir=data_dir)


def import_sources(
    paths: Sequence[inputs.Source],
    db: str | Path,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Import every roll call in `paths` (files, trees, archives, URLs, fetched files) into
    `db`, migrated to head first; all or nothing."""
    return _run(db, paths, jobs, progress, fresh=False, data_dir=None)


def _run(
    db: str | Path,
    paths: Sequence[inputs.Source],
    jobs: int | None,
    progress: Progress | None,
    fresh: bool,
    data_dir: Path | None,
) -> Summary:
    for path in paths:  # before any reader starts
        if not inputs.exists(path):
            raise RecordError(str(path), "-", "no such file or directory")
    jobs = default_jobs() if jobs is None else jobs
    try:
        with Pipeline(list(paths), jobs) as pipeline:
            # data/ is read and checked while the readers start on the archives (forked
            # before pandas is loaded, they do without its memory); nothing is written yet.
            curated = _checked(data_dir) if data_dir else None
            with targets.target(db, fresh=fresh) as sink:
                writer = Writer(sink, kept=[v.id for v in curated.votes] if curated else ())
                if curated:
                    _write_curated(writer, curated)
                _write_all(writer, pipeline, progress)
                writer.write_sessions()
                # The inventory of vetoes, where data/ has one, against every roll call.
                inventory = data_dir if curated and curated.curated.vetoes else None
                _reconcile(writer, _vetoes_file(inventory) if inventory else "")
        if progress:  # done only once committed (and renamed into place)
            progress.finish(writer.summary.votes)
        return writer.summary
    except BaseException:
        if progress:
            progress.abandon()
        raise


def _checked(data_dir: Path) -> Checked:
    """The record in data/, read and checked; every problem found is raised."""
    from votes.record import commit, validate
    from votes.record.read import read_tables

    tables = commit.read_whole(data_dir, read_tables)
    checked = validate.check(tables, data_dir)
    if checked.problems:
        raise RecordErrors(checked.problems)
    return checked


def _vetoes_file(data_dir: Path) -> str:
    """data/vetoes.csv as messages name it."""
    from votes.record import validate

    return validate.file_name("vetoes", data_dir)


def default_jobs() -> int:
    """Reader processes: one per core, at most two (the writer needs a core too)."""
    return max(1, min(2, os.cpu_count() or 1))


def _write_curated(writer: Writer, checked: Checked) -> None:
    """The record of data/: its measures first, then its votes, then what refers to them."""
    c = checked.curated
    for m in c.measures:
        writer.measure(derive_measure(m))
    writer.define(-1, checked.codes)
    writer.write(-1, checked.votes, from_data=True)
    for a in c.actions:
        writer.action(action_row(a), source_row(a.source), a.origin)
    for t in c.carried_texts:
        writer.carried_text(carried_text_row(t), source_row(t.source), t.origin)
    for v in c.vetoes:
        more = [source_row(s) for s in v.more_sources]
        writer.veto(veto_row(v), source_row(v.source), more, v.origin)
    for n in c.official_veto_counts:
        writer.official_veto_count(official_veto_count_row(n), source_row(n.source))


def _reconcile(writer: Writer, vetoes: str) -> None:
    """After every record is written: link the roll calls bill records list; set the bill
    records against the curated vetoes (notes); in a build, the curated vetoes (`vetoes`,
    their file) against every roll call. Problems stop the load; notes go in the summary."""
    problems = writer.link_recorded_votes()
    notes = reconcile.bills(writer.sink, writer.bills)
    if vetoes:
        summaries.store_override_math(writer.sink)  # what reconcile reads of every roll call
        found = reconcile.vetoes(writer.sink, vetoes)
        problems += found.problems
        notes = found.notes + notes
    if problems:
        raise RecordErrors(problems)
    writer.summary.notes += notes


def _write_all(writer: Writer, pipeline: Pipeline, progress: Progress | None) -> None:
    """Write every batch; if any problem was found, report them all and write nothing."""
    found: list[RecordError] = []
    for batch in pipeline:
        found.extend(batch.problems)
        if not found:  # after a problem, reading goes on only to report every problem
            writer.define(batch.reader, batch.codes)
            writer.write(batch.reader, batch.votes)
            for bill in batch.bills:
                writer.bill(bill)
        if progress:
            progress.update(writer.summary.votes, batch.done)
    if found:
        extra = len(found) - MAX_PROBLEMS
        shown = found[:MAX_PROBLEMS]
        if extra > 0:
            shown.append(RecordError("-", "-", f"and {extra:,} more problems"))
        raise RecordErrors(shown)


class Pipeline:
    """Reader processes feeding batches, in source order, to the writer (this process).

    Each reader writes to a pipe whose only write end it holds: if it dies, even in the middle
    of a message, the writer reads an end of file and stops the load; if the writer dies, the
    reader's next send fails and it exits. With jobs=0 the reading is done in this process, as
    a plain generator.
    """

    def __init__(self, paths: list[inputs.Source], jobs: int) -> None:
        self.paths, self.jobs = paths, jobs
        self.processes: list[multiprocessing.Process] = []
        self.pipes: list[Connection] = []

    def __enter__(self) -> Pipeline:
        if not self.paths:
            self.jobs = 0
        context = multiprocessing.get_context()
        for reader in range(self.jobs):
            receiver, sender = context.Pipe(duplex=False)
            others = list(self.pipes)  # earlier readers' pipes, which this one must not hold
            process = context.Process(
                target=_work, args=(self.paths, reader, self.jobs, sender, others), daemon=True
            )
            process.start()
            sender.close()
            self.pipes.append(receiver)
            self.processes.append(process)
        return self

    def __exit__(self, *exc: object) -> None:
        for pipe in self.pipes:
            pipe.close()
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()

    def __iter__(self) -> Iterator[Batch]:
        if not self.jobs:
            yield from read_batches(self.paths, 0, 1)
            return
        chunk = 0
        while (batch := self._next(chunk % self.jobs)) is not None:
            yield batch
            chunk += 1

    def _next(self, reader: int) -> Batch | None:
        try:
            kind, payload = self.pipes[reader].recv()
        except EOFError:
            self.processes[reader].join()
            code = self.processes[reader].exitcode
            raise RecordError(
                ", ".join(map(str, self.paths)),
                "-",
                f"reader process {reader} died (exit code {code})",
            ) from None
        if kind == "error":
            raise RecordError(*payload)
        if kind == "crash":
            raise RuntimeError(f"import reader failed:\n{payload}")
        return payload if kind == "batch" else None


def _work(
    paths: list[inputs.Source], reader: int, readers: int, out: Connection, others: list[Connection]
) -> None:
    """A reader process: its batches, then ("end", None); or the error that stopped it."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the import command's handler
    _die_with_parent()
    for pipe in others:  # so a reader whose writer has gone gets a broken pipe, not a wait
        pipe.close()
    try:
        for batch in read_batches(paths, reader, readers):
            out.send(("batch", batch))
        out.send(("end", None))
    except RecordError as e:
        out.send(("error", (e.file, e.record, e.message)))
    except BrokenPipeError:  # the writer has gone: nothing to report to
        pass
    except BaseException:  # reported to the writer, which stops the load
        with suppress(BrokenPipeError):
            out.send(("crash", traceback.format_exc()))


def _die_with_parent() -> None:
    """On Linux, the kernel kills a reader whose parent dies (even by SIGKILL)."""
    with suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # it died before prctl took effect
        os._exit(1)


def read_batches(
    paths: list[inputs.Source], reader: int, readers: int, chunk: int = CHUNK
) -> Iterator[Batch]:
    """This reader's batches: every chunk whose number is `reader` modulo `readers`."""
    book, batch = CodeBook(), Batch(0, reader)
    for n, entry in enumerate(entries(paths)):
        if n // chunk != batch.chunk:
            if batch.chunk % readers == reader:
                yield _closed(batch, book)
            batch = Batch(n // chunk, reader)
        batch.done = entry.done
        if batch.chunk % readers == reader:
            _add(batch, book, entry)
    if batch.chunk % readers == reader:
        yield _closed(batch, book)


def _add(batch: Batch, book: CodeBook, entry: InputFile) -> None:
    """One file: derived and checked, or its problems noted (a damaged archive stops all)."""
    data = entry.read()
    try:
        record = inputs.parse(entry.origin, data)
    except RecordError as e:
        batch.problems.append(e)
        return
    if isinstance(record, BillRecord):
        authority = TITLE_SOURCE_BY_PUBLISHER[record.source.publisher]
        batch.bills.append(derive_bill(record, authority))
        return
    assert isinstance(record, RollCallRecord)
    vote = book.derive(record)
    found = checks.problems(vote)
    if found:
        batch.problems.extend(RecordError(entry.origin, p.record, p.message) for p in found)
    else:
        batch.votes.append(vote)


def _closed(batch: Batch, book: CodeBook) -> Batch:
    batch.codes = book.take_new()
    return batch


def entries(paths: list[inputs.Source]) -> Iterator[InputFile]:
    """Every record file of every source, in order, read lazily where the source allows."""
    for i, path in enumerate(paths):
        for member in inputs.members(path):
            yield InputFile(member.origin, member.read, (i + member.done) / len(paths))
