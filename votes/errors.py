"""Errors that name the file and the record, in the one-line form `file:record: message`."""

from __future__ import annotations


class RecordError(Exception):
    """A problem with one record of one file."""

    def __init__(self, file: str, record: str, message: str) -> None:
        super().__init__(f"{file}:{record}: {message}")
        self.file, self.record, self.message = file, record, message


class RecordErrors(Exception):
    """Every problem a validation found, one line each."""

    def __init__(self, errors: list[RecordError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors
