"""What every importer is (the Importer protocol) and the one shape every importer parses in.

A parse reads the document safely (JSON decoded, XML parsed with entities refused), names the
record it holds, builds the normalized record and checks it. Any KeyError, TypeError,
ValueError (UnknownOption included), AttributeError, IndexError or RecursionError on the way
becomes one RecordError line, `file:record: message`, naming the record once it is known and
"-" before.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import orjson

from votes.errors import RecordError
from votes.normalized import BillRecord, RollCallRecord
from votes.vocab import UnknownOption

Record = RollCallRecord | BillRecord
Doc = TypeVar("Doc")
R = TypeVar("R", RollCallRecord, BillRecord)
UNKNOWN = "-"  # the record part of a message before the record is named
PROBLEMS = (KeyError, TypeError, ValueError, UnknownOption)
# 19 digits or more in a row: read by the json module, exactly. Found with every digit made a
# zero, by a plain substring search: 16 times faster than the regular expression \d{19}, which
# took a third of a build's reading (30 s of CPU over the 1.4 GB of vote files).
DIGITS_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
LONG_NUMBER = b"0" * 19


class Importer(Protocol):
    """One file format: recognised by content, parsed into one normalized record."""

    @property
    def name(self) -> str:
        """The format, in words ("House Clerk roll-call XML")."""
        ...

    def looks_like(self, data: bytes) -> bool:
        """Whether a file's bytes are in this format (cheap: no full parse)."""
        ...

    def parse(self, data: bytes, origin: str) -> Record:
        """The record of one file; any problem is a RecordError naming `origin`."""
        ...


def is_digits(value: str) -> bool:
    """Whether text is a whole number in ASCII digits (str.isdigit passes "²", which int()
    refuses, and int() reads other scripts' digits: neither is in an official file)."""
    return value.isascii() and value.isdigit()


def unchecked(record: R) -> R:
    """No check beyond the build's own (the default)."""
    return record


@dataclass(frozen=True)
class ParseScaffold(Generic[Doc, R]):
    """An Importer made of the steps of one format; `parse` runs them in the shared shape."""

    name: str
    looks_like: Callable[[bytes], bool]
    read: Callable[[bytes, str], Doc]  # bytes, origin -> the document (RecordError if unreadable)
    identify: Callable[[Doc], str]  # the record's id for messages
    build: Callable[[Doc, str], R]  # document, origin -> the normalized record
    check: Callable[[R], R] = unchecked  # what every record of its class must be

    def parse(self, data: bytes, origin: str) -> R:
        """Read, name, build and check one file's record; problems are one RecordError line."""
        with reported(origin, UNKNOWN):
            doc = self.read(data, origin)
            record_id = self.identify(doc)
        with reported(origin, record_id):
            record = self.build(doc, origin)
        return self.check(record)


@contextmanager
def reported(origin: str, record_id: str) -> Iterator[None]:
    """Turn a parsing problem into a RecordError naming the file and the record."""
    try:
        yield
    except RecursionError:  # JSON or XML nested deeper than any record
        raise RecordError(origin, record_id, "nested too deeply to be a record") from None
    except KeyError as e:
        raise RecordError(origin, record_id, f"missing key {e}") from None
    except (AttributeError, IndexError) as e:  # a value of another type or shape than a record's
        raise RecordError(origin, record_id, f"a value of the wrong type or shape ({e})") from None
    except PROBLEMS as e:
        raise RecordError(origin, record_id, str(e)) from None


def json_object(what: str) -> Callable[[bytes, str], dict[str, Any]]:
    """A reader of one JSON object (`what` names it in the message when the JSON is another
    value: "a vote object")."""

    def read(data: bytes, origin: str) -> dict[str, Any]:
        try:
            doc = decoded(data)
        except (ValueError, UnicodeDecodeError) as e:
            raise RecordError(origin, UNKNOWN, f"not valid JSON ({e})") from None
        if not isinstance(doc, dict):
            raise RecordError(origin, UNKNOWN, f"not {what}")
        return doc

    return read


def decoded(data: bytes) -> Any:
    """A JSON document as the json module reads it, by orjson (twice as fast on vote files)
    wherever orjson gives the same: an integer past 64 bits (orjson makes it a float) and
    anything orjson refuses go to the json module, whose verdict and words stand."""
    if LONG_NUMBER not in data.translate(DIGITS_AS_ZEROS):
        with suppress(orjson.JSONDecodeError):
            return orjson.loads(data)
    return json.loads(data)
