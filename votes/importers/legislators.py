"""The legislators crosswalk: LIS id -> Bioguide id, and members' names."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from votes.normalized import VoterRecord
from votes.paths import REFERENCE_DIR
from votes.vocab import VICE_PRESIDENT

CROSSWALK = REFERENCE_DIR / "legislators.csv"


@dataclass(frozen=True)
class Legislator:
    bioguide_id: str
    lis_id: str
    first_name: str
    last_name: str
    full_name: str = ""
    nickname: str = ""  # "Bernie": searched beside the name (votes.database.search)

    @property
    def name(self) -> str:
        return self.full_name or f"{self.first_name} {self.last_name}".strip()


@cache
def by_bioguide() -> dict[str, Legislator]:
    """Every known legislator by Bioguide id."""
    with CROSSWALK.open(newline="", encoding="utf-8") as f:
        rows = [
            Legislator(
                r["bioguide_id"],
                r["lis_id"],
                r["first_name"],
                r["last_name"],
                r["full_name"],
                r["nickname"],
            )
            for r in csv.DictReader(f)
        ]
    return {r.bioguide_id: r for r in rows}


@cache
def by_lis() -> dict[str, Legislator]:
    """Every senator by Senate LIS id."""
    return {r.lis_id: r for r in by_bioguide().values() if r.lis_id}


@cache
def house_voter(bioguide_id: str, display_name: str, party: str, state: str) -> VoterRecord:
    """A House member by Bioguide id; one with no id keeps a flagged stand-in identity."""
    if not bioguide_id.strip("0 "):
        key = f"name:house:{' '.join(display_name.split())}:{party}:{state}"
        return VoterRecord(key, None, None, display_name.strip(), party, state)
    return _known(bioguide_id, display_name, party, state, lis_id=None)


@cache
def senate_voter(lis_id: str, display_name: str, party: str, state: str) -> VoterRecord:
    """A senator by LIS id, mapped to Bioguide; an unmapped id is kept and flagged, and one
    with no id (a few 1989 files) keeps a flagged stand-in identity by name."""
    if not lis_id:
        key = f"name:senate:{display_name}:{party}:{state}"
        return VoterRecord(key, None, None, display_name, party, state)
    if not isinstance(lis_id, str) or not re.fullmatch(r"S\d+", lis_id):
        # <lis_member_id>: the Senate's name for the id, in its XML and in upstream JSON alike
        raise ValueError(f"<lis_member_id> is not a LIS id: {lis_id!r}")
    known = by_lis().get(lis_id)
    if known is None:
        return VoterRecord(f"lis:{lis_id}", None, lis_id, display_name.strip(), party, state)
    return _known(known.bioguide_id, display_name, party, state, lis_id=lis_id)


def vice_president() -> VoterRecord:
    """The Vice President, who votes only to break a tie."""
    return VoterRecord(VICE_PRESIDENT, None, None, "The Vice President", "", "")


def _known(
    bioguide_id: str, display_name: str, party: str, state: str, lis_id: str | None
) -> VoterRecord:
    known = by_bioguide().get(bioguide_id)
    name = known.name if known else display_name.strip()
    first, last = (known.first_name, known.last_name) if known else ("", "")
    lis = lis_id or (known.lis_id if known and known.lis_id else None)
    return VoterRecord(bioguide_id, bioguide_id, lis, name, party, state, first, last)
