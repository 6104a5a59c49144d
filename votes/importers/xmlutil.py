"""What the official-XML importers share: safe parsing, folded text, counts, Eastern time."""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree.ElementTree import Element, ParseError
from zoneinfo import ZoneInfo

from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.ElementTree import fromstring

from votes.errors import RecordError
from votes.importers.base import is_digits
from votes.normalized import CountRecord
from votes.vocab import SESSION_NUMBERS

EASTERN = ZoneInfo("America/New_York")
HEAD = 65536  # a root element is named within the first bytes of any real file


def root_is(data: bytes, tag: str) -> bool:
    """Whether bytes look like XML with the root element `tag` (after any prolog or DOCTYPE)."""
    head = data[:HEAD].lstrip(b"\xef\xbb\xbf \t\r\n")
    opening = re.compile(rb"<" + re.escape(tag.encode()) + rb"[\s>/]")
    return head.startswith(b"<") and opening.search(head) is not None


def parse_xml(data: bytes, origin: str, tag: str) -> Element:
    """The root element, parsed with entity declarations and external references refused."""
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as e:
        raise RecordError(
            origin,
            "-",
            f"unsafe XML refused: it declares the entity {e.name!r} "
            "(entity expansion and external entities are not allowed)",
        ) from None
    except DefusedXmlException as e:
        raise RecordError(origin, "-", f"unsafe XML refused ({type(e).__name__})") from None
    except ParseError as e:
        raise RecordError(origin, "-", f"not well-formed XML ({e})") from None
    if root.tag != tag:
        raise RecordError(origin, "-", f"root element is <{root.tag}>, expected <{tag}>")
    return root


def text(parent: Element | None, path: str) -> str:
    """The text of a child element with its whitespace folded; "" when it is missing or empty."""
    found = parent.find(path) if parent is not None else None
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def number(parent: Element | None, path: str) -> int:
    """A count; the official files write a zero as an empty (or missing) element."""
    value = text(parent, path)
    if value and not is_digits(value):
        raise ValueError(f"<{path}> is not a count: {value!r}")
    return int(value or 0)


def eastern(moment: str, formats: tuple[str, ...]) -> datetime:
    """A wall-clock time in Washington as an aware datetime (the files give no offset)."""
    for fmt in formats:
        try:
            return datetime.strptime(moment, fmt).replace(tzinfo=EASTERN)
        except ValueError:
            continue
    raise ValueError(f"unreadable date {moment!r}")


def session_year(congress: int, session: int) -> str:
    """A session named by its year, as unitedstates/congress does: (116, 2) -> "2020"."""
    problem = SESSION_NUMBERS.problem(session)
    if problem:
        raise ValueError(problem)
    return str(1787 + 2 * congress + session - 1)


def integer(parent: Element, path: str) -> int:
    """A required whole number (congress, roll-call number)."""
    value = text(parent, path)
    if not is_digits(value):
        raise ValueError(f"<{path}> is not a number: {value!r}")
    return int(value)


def required(value: str, element: str) -> str:
    """A value the record cannot do without."""
    if not value:
        raise ValueError(f"empty <{element}>")
    return value


def figures(c: CountRecord) -> str:
    """A count in words, for reconciliation messages."""
    return f"{c.yea} yea, {c.nay} nay, {c.present} present, {c.not_voting} not voting"
