"""unitedstates/congress bill JSON (data.json) -> a measure and its presidential actions."""

from __future__ import annotations

from votes.importers.base import ParseScaffold, json_object
from votes.normalized import BillRecord, MeasureRef, SourceRecord, check_bill
from votes.vocab import MEASURE_TYPES, ordinal

PUBLISHER = "Library of Congress (congress.gov)"


def looks_like(data: bytes) -> bool:
    """Whether a file's bytes are unitedstates/congress bill JSON."""
    return data.lstrip()[:1] == b"{" and b'"bill_type"' in data and b'"actions"' in data


def _bill_id(doc: dict) -> str:
    return f"{doc.get('bill_type')}{doc.get('number')}-{doc.get('congress')}"


def _bill(doc: dict, origin: str) -> BillRecord:
    type_ = doc["bill_type"]
    if type_ not in MEASURE_TYPES:
        raise ValueError(f"unknown bill type {type_!r}")
    congress, number = int(doc["congress"]), int(doc["number"])
    title = doc.get("official_title") or doc.get("short_title") or ""
    measure = MeasureRef(congress, type_, number, title)
    return BillRecord(measure, _source(doc, measure), _actions(doc), origin)


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
