"""unitedstates/congress bill JSON (data.json) -> a measure, its titles, the President's actions,
the law it became and the roll calls taken on it."""

from __future__ import annotations

from datetime import date

from votes import normalized
from votes.importers.base import ParseScaffold, json_object
from votes.normalized import BillRecord, MeasureRef, RollCallRef, SourceRecord, check_bill
from votes.vocab import CHAMBER_BY_LETTER, MEASURE_TYPES, ordinal, roll_call_id, session_of_day

PUBLISHER = "Library of Congress (congress.gov)"
LAW_TYPES = {"public": "Public", "private": "Private"}


def looks_like(data: bytes) -> bool:
    """Whether a file's bytes are unitedstates/congress bill JSON."""
    return data.lstrip()[:1] == b"{" and b'"bill_type"' in data and b'"actions"' in data


def _bill_id(doc: dict) -> str:
    return normalized.bill_id(doc.get("bill_type"), doc.get("number"), doc.get("congress"))


def _bill(doc: dict, origin: str) -> BillRecord:
    type_ = doc["bill_type"]
    if type_ not in MEASURE_TYPES:
        raise ValueError(f"unknown bill type {type_!r}")
    congress, number = int(doc["congress"]), int(doc["number"])
    title = doc.get("official_title") or doc.get("short_title") or ""
    measure = MeasureRef(congress, type_, number, title)
    return BillRecord(
        measure,
        _source(doc, measure),
        _actions(doc),
        origin,
        short_titles=_short_titles(doc),
        display_title=doc.get("short_title") or title,
        law_number=_law_number(doc),
        recorded_votes=_recorded_votes(doc, congress),
    )


def _short_titles(doc: dict) -> tuple[str, ...]:
    """The measure's short titles, the latest (`short_title`) first, each once; not those of a
    portion of it."""
    titles = doc.get("titles") or []
    if not all(isinstance(t, dict) for t in titles):
        raise ValueError("titles: each must be an object")
    found = [doc.get("short_title") or ""] + [
        t.get("title") or ""
        for t in titles
        if t.get("type") == "short" and not t.get("is_for_portion")
    ]
    return tuple(dict.fromkeys(t for t in found if t))


def _law_number(doc: dict) -> str:
    """The law it became ("Public Law 104-67"), from `enacted_as`."""
    law = doc.get("enacted_as") or {}
    if not law:
        return ""
    kind = LAW_TYPES.get(str(law.get("law_type", "")).lower())
    if kind is None:
        raise ValueError(f"enacted_as: unknown law type {law.get('law_type')!r}")
    return f"{kind} Law {int(law['congress'])}-{int(law['number'])}"


def _recorded_votes(doc: dict, congress: int) -> tuple[RollCallRef, ...]:
    """The roll calls the bill's actions record (`how`: "roll", with `roll` and `where`)."""
    found: dict[str, RollCallRef] = {}
    for action in doc.get("actions", []):
        if action.get("how") == "roll" and action.get("roll"):
            ref = _roll_call_ref(action, congress)
            found.setdefault(ref.id, ref)
    return tuple(sorted(found.values(), key=lambda r: (r.voted_at, r.id)))


def _roll_call_ref(action: dict, congress: int) -> RollCallRef:
    chamber = CHAMBER_BY_LETTER.get(action.get("where", ""))
    if chamber is None:
        raise ValueError(f"a roll-call action with an unknown chamber {action.get('where')!r}")
    number, voted_at = int(action["roll"]), str(action["acted_at"])
    session = session_of_day(congress, date.fromisoformat(voted_at[:10]))
    return RollCallRef(
        id=roll_call_id(chamber, number, congress, session),
        chamber=chamber,
        congress=congress,
        session=session,
        number=number,
        voted_at=voted_at,
        url="",
    )


def _source(doc: dict, m: MeasureRef) -> SourceRecord:
    url = (
        f"https://www.congress.gov/bill/{ordinal(m.congress)}-congress/"
        f"{MEASURE_TYPES[m.type].url_word}/{m.number}/all-actions"
    )
    return SourceRecord(
        url, PUBLISHER, str(doc.get("updated_at", ""))[:10], f"{m.type}{m.number} actions"
    )


def _actions(doc: dict) -> list[tuple[str, str]]:
    if not all(isinstance(a, dict) for a in doc.get("actions", [])):
        raise ValueError("actions: each must be an object")
    dated = {(kind, a["acted_at"][:10]) for a in doc.get("actions", []) if (kind := _kind(a))}
    return sorted(dated, key=lambda a: (a[1], a[0]))


def _kind(action: dict) -> str | None:
    """Our action kind for one bill action ("Cleared for White House" is not presentment)."""
    kind, text = action.get("type", ""), action.get("text", "").lower()
    if kind == "topresident":
        return "presented" if "presented to president" in text else None
    if kind == "vetoed":
        return "pocket_vetoed" if action.get("pocket") or "pocket" in text else "vetoed"
    return "signed" if kind == "signed" else None


IMPORTER = ParseScaffold(
    name="unitedstates/congress bill JSON",
    looks_like=looks_like,
    read=json_object("a bill object"),
    identify=_bill_id,
    build=_bill,
    check=check_bill,
)
parse = IMPORTER.parse
