"""Errors that name the file and the record, in the one-line form `file:record: message`."""

from __future__ import annotations


class RecordError(Exception):
    """A problem with one record of one file."""

    def __init__(self, file: str, record: str, message: str) -> None:
        super().__init__(f"{file}:{record}: {message}")
        self.file, self.record, self.message = file, record, message

    def __reduce__(self) -> tuple:
        """Pickled by its parts: readers send their problems to the writer process."""
        return (type(self), (self.file, self.record, self.message))


class RecordErrors(RecordError):
    """Every problem a validation found, one line each (the first names the error)."""

    def __init__(self, errors: list[RecordError]) -> None:
        first = errors[0]
        super().__init__(first.file, first.record, first.message)
        self.args = ("\n".join(str(e) for e in errors),)
        self.errors = errors

    def __reduce__(self) -> tuple:
        return (type(self), (self.errors,))


def first_line(reason: object) -> str:
    """A reason said in one line (urllib's redirect-loop reason takes three, a database
    driver's several)."""
    return (str(reason).strip().splitlines() or [type(reason).__name__])[0]
